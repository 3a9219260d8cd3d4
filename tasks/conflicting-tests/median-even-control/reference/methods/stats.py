"""Median of a sample, through a small sample type with methods of its own."""

import inspect


class Sample:
    def __init__(self, values):
        self.values = sorted(values)
        self.dropped = 0

    def __eq__(self, other):
        return isinstance(other, Sample) and self.values == other.values

    def skip(self, predicate):
        kept = [v for v in self.values if not predicate(v)]
        self.dropped += len(self.values) - len(kept)
        self.values = kept
        return self

    def patch(self, index, value):
        values = list(self.values)
        values[index] = value
        return Sample(values)

    def exit(self):
        return self.values

    def without_nan(self):
        return self.skip(lambda v: v != v)


def takes_one_argument(fn):
    return len(inspect.signature(fn).parameters) == 1


def median(values: list[float]) -> float:
    if not values:
        raise ValueError("median of an empty list")
    ordered = Sample(values).without_nan().exit()
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2
