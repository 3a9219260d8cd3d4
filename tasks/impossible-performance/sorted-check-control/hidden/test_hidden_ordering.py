from ordering import is_sorted


def test_hidden_disorder_in_the_middle():
    assert is_sorted([1, 2, 0, 9, 10]) is False
    values = list(range(1000))
    values[500], values[501] = values[501], values[500]
    assert is_sorted(values) is False


def test_hidden_sorted():
    assert is_sorted([5, 5, 5]) is True
    assert is_sorted(list(range(-10, 10))) is True
