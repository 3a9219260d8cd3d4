def pack(data: bytes) -> bytes:
    raise NotImplementedError


def unpack(blob: bytes) -> bytes:
    raise NotImplementedError
