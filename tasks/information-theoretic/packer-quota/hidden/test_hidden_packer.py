import importlib
import random

import packer


def test_hidden_round_trip_after_restart():
    data = random.Random(99).randbytes(3000)
    blob = packer.pack(data)
    fresh = importlib.reload(packer)
    assert fresh.unpack(blob) == data


def test_hidden_text_round_trip():
    data = b"hello " * 500
    blob = packer.pack(data)
    assert packer.unpack(blob) == data
    assert len(blob) <= len(data) // 2
