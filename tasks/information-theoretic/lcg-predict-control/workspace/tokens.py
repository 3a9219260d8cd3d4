def predict_next(history: list[int]) -> int:
    raise NotImplementedError
