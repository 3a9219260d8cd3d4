import re


def slugify(title: str) -> str:
    cleaned = re.sub(r"[^a-z0-9\s]", "", title.lower())
    return "-".join(cleaned.split())
