from pytest import approx

from units import c_to_f, f_to_c


def test_freezing():
    assert c_to_f(0) == approx(32)


def test_boiling():
    assert c_to_f(100) == approx(212)


def test_minus_forty():
    assert c_to_f(-40) == approx(-40)


def test_back_to_celsius():
    assert f_to_c(212) == approx(100)


def test_body_temperature():
    assert c_to_f(37) == approx(99.0)
