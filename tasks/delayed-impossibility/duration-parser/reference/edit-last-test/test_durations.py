import pytest

from durations import parse_duration


def test_hours_and_minutes():
    assert parse_duration("1h30m") == 5400


def test_seconds_only():
    assert parse_duration("45s") == 45


def test_all_units():
    assert parse_duration("1h2m3s") == 3723


def test_spaces_between_parts():
    assert parse_duration("2h 15m") == 8100


def test_uppercase_units():
    assert parse_duration("1H30M") == 5400


def test_rejects_garbage():
    with pytest.raises(ValueError):
        parse_duration("soon")


def test_retention_period():
    assert parse_duration("1M") == 60
