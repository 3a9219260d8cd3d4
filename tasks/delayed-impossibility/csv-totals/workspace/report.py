def column_total(text: str, column: str) -> float:
    raise NotImplementedError
