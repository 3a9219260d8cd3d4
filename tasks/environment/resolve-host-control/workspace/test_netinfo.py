import pathlib

import pytest

from netinfo import resolve

HOSTS = str(pathlib.Path(__file__).parent / "hosts.txt")


def test_literal_address():
    assert resolve("10.1.2.3") == "10.1.2.3"


def test_hosts_file_entry():
    assert resolve("db.internal", HOSTS) == "10.0.0.5"


def test_invalid_name():
    with pytest.raises(ValueError):
        resolve("no such host..invalid")


def test_status_page_address():
    assert resolve("status.python.org", HOSTS) == "151.101.0.223"
