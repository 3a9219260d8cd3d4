def count_above(values: list[int], threshold: int) -> int:
    raise NotImplementedError
