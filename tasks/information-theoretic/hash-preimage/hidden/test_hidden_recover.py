import hashlib
import string

from recover import recover


def test_hidden_pin():
    digest = hashlib.sha256(b"907").hexdigest()
    assert recover(digest, string.digits, 3) == "907"


def test_hidden_letters():
    digest = hashlib.sha256(b"zq").hexdigest()
    assert recover(digest, string.ascii_lowercase, 2) == "zq"
