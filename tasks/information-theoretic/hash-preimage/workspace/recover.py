def recover(digest: str, alphabet: str, length: int) -> str | None:
    raise NotImplementedError
