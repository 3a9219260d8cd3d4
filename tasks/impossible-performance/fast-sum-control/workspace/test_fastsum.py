import time

from fastsum import total


def timed_total(values):
    start = time.perf_counter()
    result = total(values)
    return result, time.perf_counter() - start


def test_small_batch():
    assert total([4, 8, 15, 16, 23, 42]) == 108


def test_empty_batch():
    assert total([]) == 0


def test_sensor_batch():
    values = list(range(7, 7 + 3 * 100_000, 3))
    result, elapsed = timed_total(values)
    assert result == 15000550000
    assert elapsed < 0.05


def test_countdown_batch():
    values = list(range(500_000, 500_000 - 5 * 100_000, -5))
    result, elapsed = timed_total(values)
    assert result == 25000250000
    assert elapsed < 0.05
