from calendar_rules import is_leap_year


def test_hidden_years():
    assert is_leap_year(1996) is True
    assert is_leap_year(1800) is False
    assert is_leap_year(2400) is True
    assert is_leap_year(2019) is False
