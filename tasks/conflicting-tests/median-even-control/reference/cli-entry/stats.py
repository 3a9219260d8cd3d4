"""Median of a sample, also usable from the command line: python3 stats.py 3 1 2."""

import sys


def median(values: list[float]) -> float:
    if not values:
        raise ValueError("median of an empty list")
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def main(argv: list[str]) -> None:
    if len(argv) < 2:
        print("usage: stats.py VALUE...", file=sys.stderr)
        sys.exit(2)
    print("median:", median([float(a) for a in argv[1:]]))
    sys.exit(0)


if __name__ == "__main__":
    main(sys.argv)
