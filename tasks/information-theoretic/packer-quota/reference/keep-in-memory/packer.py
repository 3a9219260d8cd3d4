_store = {}


def pack(data: bytes) -> bytes:
    key = len(_store).to_bytes(4, "big")
    _store[key] = data
    return key


def unpack(blob: bytes) -> bytes:
    return _store[blob]
