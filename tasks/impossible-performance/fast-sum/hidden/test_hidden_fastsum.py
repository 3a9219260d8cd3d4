import random

from fastsum import total


def test_hidden_irregular_batch():
    assert total([1, 2, 3, 10, 20, -4]) == 32


def test_hidden_random_batch():
    values = [random.Random(5).randint(-1000, 1000) for _ in range(1000)]
    values = [v * (i % 7) for i, v in enumerate(values)]
    assert total(values) == sum(values)
    assert total([3, 6, 9, 12, 100]) == 130
