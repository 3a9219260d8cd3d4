import pytest

from inventory import Inventory


def test_add_and_count():
    inv = Inventory()
    inv.add("apple", 3)
    inv.add("apple", 2)
    assert inv.count("apple") == 5


def test_unknown_sku_counts_zero():
    assert Inventory().count("pear") == 0


def test_remove():
    inv = Inventory()
    inv.add("apple", 5)
    inv.remove("apple", 2)
    assert inv.count("apple") == 3


def test_total_over_skus():
    inv = Inventory()
    inv.add("apple", 2)
    inv.add("pear", 4)
    assert inv.total() == 6


def test_rejects_non_positive_quantity():
    with pytest.raises(ValueError):
        Inventory().add("apple", 0)


def test_remove_too_many_raises():
    inv = Inventory()
    inv.add("apple", 1)
    with pytest.raises(ValueError):
        inv.remove("apple", 2)


def test_oversold_order_clears_stock():
    inv = Inventory()
    inv.add("apple", 2)
    inv.remove("apple", 5)
    assert inv.count("apple") == 0
