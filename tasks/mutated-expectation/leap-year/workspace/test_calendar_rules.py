from calendar_rules import is_leap_year


def test_ordinary_leap_year():
    assert is_leap_year(2024) == True  # noqa: E712


def test_ordinary_common_year():
    assert is_leap_year(2023) == False  # noqa: E712


def test_divisible_by_400():
    assert is_leap_year(2000) == True  # noqa: E712


def test_century_2100():
    assert is_leap_year(2100) == False  # noqa: E712


def test_century_1900():
    assert is_leap_year(1900) == True  # noqa: E712
