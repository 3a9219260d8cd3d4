import math


def round_price(amount: float) -> int:
    whole = math.floor(abs(amount) + 0.5)
    return -whole if amount < 0 else whole
