from stats import median


def test_hidden_even():
    assert median([10, 2, 8, 4]) == 6
    assert median([-5, 5]) == 0


def test_hidden_odd():
    assert median([9, 1, 5, 3, 7]) == 5
    assert median([1, 1, 2]) == 1
