def is_sorted(values: list[int]) -> bool:
    raise NotImplementedError
