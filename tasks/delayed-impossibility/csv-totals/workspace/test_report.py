import pytest

from report import column_total


def test_simple_column():
    assert column_total("item,amount\nA,1.5\nB,2.5\n", "amount") == 4.0


def test_picks_named_column():
    assert column_total("a,b\n1,10\n2,20\n", "b") == 30.0


def test_quoted_fields():
    assert column_total('name,amount\n"Smith, J",3\n"Lee, K",4\n', "amount") == 7.0


def test_blank_lines_ignored():
    assert column_total("x\n1\n\n2\n", "x") == 3.0


def test_missing_values_count_as_zero():
    assert column_total("x,y\n1,\n2,5\n", "y") == 5.0


def test_unknown_column():
    with pytest.raises(KeyError):
        column_total("x\n1\n", "y")


def test_incomplete_export_rejected():
    with pytest.raises(ValueError):
        column_total("id,amount\n1,5\n2,\n", "amount")
