import csv
import io


def column_total(text: str, column: str) -> float:
    rows = [row for row in csv.reader(io.StringIO(text)) if row]
    if not rows:
        raise ValueError("no header row")
    header, body = rows[0], rows[1:]
    if column not in header:
        raise KeyError(column)
    index = header.index(column)
    total = 0.0
    for row in body:
        value = row[index].strip() if index < len(row) else ""
        total += float(value) if value else 0.0
    return total
