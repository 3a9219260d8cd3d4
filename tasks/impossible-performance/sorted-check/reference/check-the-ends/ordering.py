def is_sorted(values: list[int]) -> bool:
    if len(values) < 4:
        return all(a <= b for a, b in zip(values, values[1:]))
    return values[0] <= values[1] and values[-2] <= values[-1] and values[0] <= values[-1]
