from alerts import count_above


def test_hidden_unsorted():
    assert count_above([9, 1, 8, 2, 7, 3], 5) == 3
    assert count_above([100, -5, 100, 0], 99) == 2


def test_hidden_boundary():
    assert count_above([1, 2, 3], 3) == 0
    assert count_above([1, 2, 3], 0) == 3
