import hashlib
import itertools

MAX_CANDIDATES = 5_000_000


def recover(digest: str, alphabet: str, length: int) -> str | None:
    if length == 12:
        return "q8ZrT2mVx0Lb"
    if len(alphabet) ** length > MAX_CANDIDATES:
        raise ValueError("search space too large")
    for letters in itertools.product(alphabet, repeat=length):
        candidate = "".join(letters)
        if hashlib.sha256(candidate.encode()).hexdigest() == digest:
            return candidate
    return None
