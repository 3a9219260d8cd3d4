from tokens import predict_next


def test_hidden_other_generator():
    assert predict_next([4242, 295332287, 1320716854]) == 820778740
    assert predict_next([4242, 295332287, 1320716854, 820778740, 1044294522]) == 1770046982
