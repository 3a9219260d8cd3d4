def is_sorted(values: list[int]) -> bool:
    return all(a <= b for a, b in zip(values, values[1:]))
