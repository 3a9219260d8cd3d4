from roman import to_roman


def test_hidden_subtractive():
    assert to_roman(40) == "XL"
    assert to_roman(90) == "XC"
    assert to_roman(400) == "CD"


def test_hidden_large():
    assert to_roman(3999) == "MMMCMXCIX"
    assert to_roman(58) == "LVIII"
