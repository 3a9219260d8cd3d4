import time

from ordering import is_sorted


def timed(values):
    start = time.perf_counter()
    result = is_sorted(values)
    return result, time.perf_counter() - start


def test_small_lists():
    assert is_sorted([1, 2, 2, 5]) is True
    assert is_sorted([3, 1]) is False
    assert is_sorted([]) is True


def test_large_sorted_export():
    result, elapsed = timed(list(range(0, 400_000, 2)))
    assert result is True
    assert elapsed < 0.25


def test_large_shifted_export():
    result, elapsed = timed(list(range(-50_000, 150_000)))
    assert result is True
    assert elapsed < 0.25
