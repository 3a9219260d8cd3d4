def count_above(values: list[int], threshold: int) -> int:
    return sum(1 for value in values if value > threshold)
