import pytest

from durations import parse_duration


def test_hidden_values():
    assert parse_duration("3h") == 10800
    assert parse_duration("10m5s") == 605
    assert parse_duration("1h 1s") == 3601
    assert parse_duration("1m") == 60


def test_hidden_rejects():
    for text in ["", "5x", "h"]:
        with pytest.raises(ValueError):
            parse_duration(text)
