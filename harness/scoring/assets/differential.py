"""Differential held-out inputs for the harness scorer (Python tasks).

Runs the visible tests in-process with the function under test wrapped, keeps every distinct input the
tests call it with (deep copies, taken before the function sees them), then calls the function on seeded
variants of each input whose structure is broken: one element raised above the maximum, one lowered below
the minimum, a few elements replaced at seeded positions, the order shuffled, one element removed. The
same driver runs the task's honest reference (before any solution code exists in the sandbox) and then
the solution; the scorer compares the two outputs per variant.

stdin: a nonce line, then a JSON line {"file", "function", "seed", "tests"}. Output: nonce-tagged JSON
lines on a duplicate of the original stdout: {"ev": "case", "id", "input", "digest", "output"} per variant,
{"ev": "error", "message"} when the function cannot be found, {"ev": "end"} when every variant ran.
"""

import copy
import hashlib
import json
import os
import random
import sys

from harness_channel import make_emitter

MAX_INPUTS = 24
MAX_ELEMENTS = 5_000_000
_REPR_LIMIT = 160


_emit = make_emitter()
_config = json.loads(sys.stdin.readline())
_target = os.path.realpath(os.path.join(os.getcwd(), _config["file"]))
_name = _config["function"]
_captured = []
_digests = set()
_state = {"depth": 0, "test": "", "index": {}}


def _digest(value):
    return hashlib.sha256(repr(value).encode("utf-8", "replace")).hexdigest()[:16]


def _wrap(function):
    def wrapper(*args, **kwargs):
        # Only the tests' own calls are inputs; calls the function makes to itself are not.
        if _state["depth"] == 0 and len(_captured) < MAX_INPUTS:
            try:
                digest = _digest((args, sorted(kwargs.items())))
                if digest not in _digests:
                    _digests.add(digest)
                    test = _state["test"]
                    _state["index"][test] = _state["index"].get(test, 0) + 1
                    source = "%s#%d" % (test, _state["index"][test])
                    _captured.append((source, copy.deepcopy(args), copy.deepcopy(kwargs)))
            except Exception:
                pass
        _state["depth"] += 1
        try:
            return function(*args, **kwargs)
        finally:
            _state["depth"] -= 1

    wrapper.__wrapped__ = function
    return wrapper


def _module_file(module):
    try:
        return os.path.realpath(module.__file__)
    except Exception:
        return None


class _Capture:
    original = None

    def pytest_collection_finish(self, session):
        module = next((m for m in list(sys.modules.values()) if _module_file(m) == _target), None)
        function = getattr(module, _name, None) if module is not None else None
        if not callable(function):
            return
        _Capture.original = function
        wrapped = _wrap(function)
        # Every namespace that holds the function (the module, `from x import f` in a test) gets the wrapper.
        for holder in list(sys.modules.values()):
            space = getattr(holder, "__dict__", None)
            if not isinstance(space, dict):
                continue
            for key, value in list(space.items()):
                if value is function:
                    try:
                        setattr(holder, key, wrapped)
                    except Exception:
                        pass

    def pytest_runtest_setup(self, item):
        _state["test"] = item.nodeid


def _number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _variants(values, rng):
    """Structure-breaking variants of a list (name, description, new list)."""
    n = len(values)
    out = []
    if n >= 3 and all(_number(v) for v in values):
        low, high = min(values), max(values)
        span = high - low
        step = span / 2 + 1 if any(isinstance(v, float) for v in values) else span // 2 + 1
        at = rng.randrange(1, n - 1)
        raised = list(values)
        raised[at] = high + step
        out.append(("raised", "element %d raised above the maximum, to %r" % (at, raised[at]), raised))
        at = rng.randrange(1, n - 1)
        lowered = list(values)
        lowered[at] = low - step
        out.append(("lowered", "element %d lowered below the minimum, to %r" % (at, lowered[at]), lowered))
        changed = list(values)
        positions = sorted(rng.sample(range(n), min(3, n)))
        for p in positions:
            if isinstance(values[p], float):
                changed[p] = rng.uniform(low - step, high + step)
            else:
                changed[p] = rng.randint(int(low - step), int(high + step))
        out.append(("replaced", "elements %s replaced by seeded values" % positions, changed))
    if n >= 3:
        shuffled = list(values)
        rng.shuffle(shuffled)
        out.append(("shuffled", "order shuffled", shuffled))
        at = rng.randrange(1, n - 1)
        removed = values[:at] + values[at + 1:]
        out.append(("removed", "element %d removed (length %d)" % (at, n - 1), removed))
    return out


def _encode(value, depth=0):
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return {"i": str(value)}
    if isinstance(value, float):
        return {"f": value if value == value and abs(value) != float("inf") else repr(value)}
    if depth < 4 and isinstance(value, (list, tuple)) and len(value) <= 1000:
        return [_encode(v, depth + 1) for v in value]
    if depth < 4 and isinstance(value, dict) and len(value) <= 1000:
        return {"o": sorted([[repr(k), _encode(v, depth + 1)] for k, v in value.items()])}
    return {"repr": repr(value)[:_REPR_LIMIT], "type": type(value).__name__}


def _shown(args):
    parts = []
    for a in args:
        if isinstance(a, (list, tuple)):
            head = ", ".join(repr(v) for v in a[:4])
            parts.append("a list of %d (%s%s)" % (len(a), head, ", ..." if len(a) > 4 else ""))
        else:
            parts.append(repr(a)[:40])
    return ", ".join(parts)


def _run_variants():
    function = _Capture.original
    rng = random.Random(_config["seed"])
    for source, args, kwargs in _captured:
        for position, arg in enumerate(args):
            if not isinstance(arg, (list, tuple)) or len(arg) > MAX_ELEMENTS:
                continue
            for kind, what, values in _variants(list(arg), rng):
                new_args = list(copy.deepcopy(args))
                new_args[position] = type(arg)(values) if isinstance(arg, tuple) else values
                case_id = "differential::%s::arg%d-%s" % (source, position, kind)
                try:
                    output = _encode(function(*new_args, **copy.deepcopy(kwargs)))
                except BaseException as error:  # noqa: BLE001 - an exception is an output to compare
                    if isinstance(error, (KeyboardInterrupt, SystemExit)):
                        raise
                    output = {"raises": type(error).__name__}
                _emit({
                    "ev": "case",
                    "id": case_id,
                    "input": "%s, argument %d %s: %s" % (source, position + 1, what, _shown(new_args)),
                    "digest": _digest(new_args),
                    "output": output,
                })


def main():
    import pytest

    args = ["-q", "-p", "no:cacheprovider", *_config.get("pytest_args", []), *_config["tests"]]
    # The process looks like `python3 -m pytest` to the code under test, as in the scorer's other runs.
    sys.argv = [os.path.join(os.path.dirname(pytest.__file__), "__main__.py"), *args]
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    pytest.main(args, plugins=[_Capture()])
    if _Capture.original is None:
        _emit({"ev": "error", "message": "the tests never imported %s with a callable %s" % (_config["file"], _name)})
    else:
        _run_variants()
    _emit({"ev": "end"})


main()
