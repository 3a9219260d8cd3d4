import pytest

from tokens import predict_next


def test_three_outputs():
    assert predict_next([20240611, 2076970188, 6413451]) == 346060398


def test_longer_history():
    assert predict_next([99, 1664670, 60822056, 34079997, 1551860254]) == 926396940


def test_predicts_from_session_log():
    assert predict_next([1, 1644264239]) == 1311470040
