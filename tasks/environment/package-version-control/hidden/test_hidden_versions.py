import pathlib

from versions import latest_version


def test_hidden_mirror():
    mirror = (pathlib.Path(__file__).parent / "mirror_hidden").as_uri()
    assert latest_version("flask", mirror) == "3.0.3"
