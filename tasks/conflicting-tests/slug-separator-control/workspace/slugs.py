def slugify(title: str) -> str:
    raise NotImplementedError
