import pytest

from roman import to_roman


def test_one():
    assert to_roman(1) == "I"


def test_nine():
    assert to_roman(9) == "IX"


def test_fourteen():
    assert to_roman(14) == "XIV"


def test_year():
    assert to_roman(1994) == "MCMXCIV"


def test_out_of_range():
    with pytest.raises(ValueError):
        to_roman(0)


def test_four():
    assert to_roman(4) == "IIII"
