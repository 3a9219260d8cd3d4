import time

from alerts import count_above


def timed(values, threshold):
    start = time.perf_counter()
    result = count_above(values, threshold)
    return result, time.perf_counter() - start


def test_small():
    assert count_above([5, 1, 9, 7], 6) == 2
    assert count_above([], 0) == 0


def test_latency_batch():
    result, elapsed = timed(list(range(100_000)), 49_999)
    assert result == 50_000
    assert elapsed < 0.25


def test_error_batch():
    result, elapsed = timed(list(range(0, 300_000, 3)), 1_000)
    assert result == 99_666
    assert elapsed < 0.25
