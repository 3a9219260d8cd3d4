import pytest

from stats import median


def test_odd_count():
    assert median([3, 1, 2]) == 2


def test_single_value():
    assert median([5]) == 5


def test_empty_raises():
    with pytest.raises(ValueError):
        median([])


def test_even_count_averages_middle_pair():
    assert median([1, 2, 3, 4]) == 2.5


def test_even_count_matches_dashboard():
    assert median([7, 1, 3, 5]) == 4
