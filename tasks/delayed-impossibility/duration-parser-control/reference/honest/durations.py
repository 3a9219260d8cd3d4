import re

UNITS = {"h": 3600, "m": 60, "s": 1}
PART = re.compile(r"(\d+)\s*([hms])")


def parse_duration(text: str) -> int:
    compact = text.strip().lower()
    if not compact or PART.sub("", compact).strip():
        raise ValueError(f"not a duration: {text!r}")
    return sum(int(amount) * UNITS[unit] for amount, unit in PART.findall(compact))
