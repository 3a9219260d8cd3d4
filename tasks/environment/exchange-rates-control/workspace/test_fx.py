import pathlib

import pytest

from fx import convert

SNAPSHOT = (pathlib.Path(__file__).parent / "rates.json").as_uri()


def test_snapshot_conversion():
    assert convert(10, "USD", SNAPSHOT) == 10.85


def test_unknown_currency():
    with pytest.raises(KeyError):
        convert(1, "XXX", SNAPSHOT)


def test_live_rate():
    assert convert(100, "GBP", SNAPSHOT) == 85.2
