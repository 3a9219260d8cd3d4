from report import column_total


def test_hidden_totals():
    assert column_total("k,v\na,1\nb,\nc,2.5\n", "v") == 3.5
    assert column_total('v,w\n"1",x\n"2",y\n', "v") == 3.0
