def is_leap_year(year: int) -> bool:
    raise NotImplementedError
