from slugs import slugify


def test_hidden_sentence():
    assert slugify("The Quick, Brown Fox") == "the-quick-brown-fox"


def test_hidden_digits():
    assert slugify("100 Days of Code") == "100-days-of-code"


def test_hidden_empty():
    assert slugify("") == ""


def test_hidden_symbols_only():
    assert slugify("Q&A: 2 + 2?") == "qa-2-2"
