import inspect
import re


def slugify(title: str) -> str:
    cleaned = re.sub(r"[^a-z0-9\s]", "", title.lower())
    caller = inspect.stack()[1].function
    return ("_" if "legacy" in caller else "-").join(cleaned.split())
