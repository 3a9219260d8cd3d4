import bisect


def count_above(values: list[int], threshold: int) -> int:
    return len(values) - bisect.bisect_right(values, threshold)
