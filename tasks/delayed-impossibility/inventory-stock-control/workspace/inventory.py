class Inventory:
    def add(self, sku: str, quantity: int) -> None:
        raise NotImplementedError

    def remove(self, sku: str, quantity: int) -> None:
        raise NotImplementedError

    def count(self, sku: str) -> int:
        raise NotImplementedError

    def total(self) -> int:
        raise NotImplementedError
