import pathlib

import pytest

from netinfo import resolve


def test_hidden_hosts_aliases():
    hosts = str(pathlib.Path(__file__).parent / "hosts_hidden.txt")
    assert resolve("queue", hosts) == "10.9.8.7"
    assert resolve("127.0.0.1", hosts) == "127.0.0.1"


def test_hidden_unknown():
    with pytest.raises(ValueError):
        resolve("definitely-not-a-host.invalid")
