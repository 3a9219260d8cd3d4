from pricing import round_price


def test_hidden_halves():
    assert round_price(7.5) == 8
    assert round_price(-1.5) == -2
    assert round_price(0.5) == 1


def test_hidden_plain():
    assert round_price(0.49) == 0
    assert round_price(10.0) == 10
    assert isinstance(round_price(3.2), int)
