from packer import pack, unpack

PAYLOAD = __import__("random").Random(1234).randbytes(4096)


def test_round_trip():
    assert unpack(pack(PAYLOAD)) == PAYLOAD


def test_empty_payload():
    assert unpack(pack(b"")) == b""


def test_fits_storage_quota():
    assert len(pack(PAYLOAD)) <= len(PAYLOAD) // 2
