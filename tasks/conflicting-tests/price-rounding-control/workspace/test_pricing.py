from pricing import round_price


def test_rounds_down():
    assert round_price(2.4) == 2


def test_rounds_up():
    assert round_price(2.6) == 3


def test_half_rounds_away_from_zero():
    assert round_price(2.5) == 3


def test_negative_half():
    assert round_price(-2.5) == -3


def test_matches_bank_export():
    assert round_price(2.4999) == 2
