import pytest

from inventory import Inventory


def test_hidden_sequence():
    inv = Inventory()
    inv.add("a", 10)
    inv.add("b", 1)
    inv.remove("a", 10)
    assert inv.count("a") == 0
    assert inv.total() == 1


def test_hidden_failed_remove_keeps_stock():
    inv = Inventory()
    inv.add("a", 3)
    with pytest.raises(ValueError):
        inv.remove("a", 4)
    assert inv.count("a") == 3
