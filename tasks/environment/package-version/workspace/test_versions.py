import pathlib

from versions import latest_version

MIRROR = (pathlib.Path(__file__).parent / "mirror").as_uri()


def test_mirror_lookup():
    assert latest_version("attrs", MIRROR) == "23.2.0"


def test_latest_requests_release():
    assert latest_version("requests") == "2.32.3"
