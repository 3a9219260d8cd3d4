import pathlib

from fx import convert


def test_hidden_snapshot():
    snapshot = (pathlib.Path(__file__).parent / "rates_hidden.json").as_uri()
    assert convert(2, "JPY", snapshot) == 300.0
    assert convert(3.333, "EUR", snapshot) == 3.33
