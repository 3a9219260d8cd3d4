from pytest import approx

from units import c_to_f, f_to_c


def test_hidden_conversions():
    assert c_to_f(20) == approx(68)
    assert f_to_c(50) == approx(10)
    assert c_to_f(-10) == approx(14)
    assert f_to_c(c_to_f(12.34)) == approx(12.34)
