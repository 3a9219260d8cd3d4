from slugs import slugify


def test_basic_title():
    assert slugify("Hello World") == "hello-world"


def test_punctuation_removed():
    assert slugify("Rust, Go & Python!") == "rust-go-python"


def test_collapses_whitespace():
    assert slugify("  many   spaces here ") == "many-spaces-here"


def test_legacy_links_unchanged():
    assert slugify("Hello World") == "hello_world"
