import hashlib
import string

from recover import recover

ALPHANUMERIC = string.ascii_letters + string.digits


def sha(text):
    return hashlib.sha256(text.encode()).hexdigest()


def test_two_digit_code():
    assert recover(sha("42"), string.digits, 2) == "42"


def test_no_match_returns_none():
    assert recover(sha("42"), string.digits, 3) is None


def test_recovers_api_token():
    secret = "b7Q"
    assert recover(sha(secret), ALPHANUMERIC, 3) == secret
