"""Per-test results for the harness scorer, loaded with -p from a root-owned directory.

The nonce arrives on stdin and is read when pytest imports this plugin, before any test module or
solution code is imported; results go to a duplicate of the original stdout taken at the same moment,
so pytest's output capture cannot swallow them. Lines without the nonce are ignored by the scorer.
"""

import json
import os
import sys

_MESSAGE_LIMIT = 2000


def _make_emitter():
    nonce = sys.stdin.readline().strip()
    fd = os.dup(1)

    def emit(record):
        os.write(fd, (nonce + " " + json.dumps(record) + "\n").encode("utf-8", "replace"))

    return emit


_emit = _make_emitter()
_outcomes = {}


def _message(report):
    text = getattr(report, "longreprtext", "") or ""
    return text[-_MESSAGE_LIMIT:]


def pytest_collectreport(report):
    if report.failed:
        _emit({"ev": "collect_error", "path": report.nodeid, "message": _message(report)})


def pytest_runtest_logreport(report):
    entry = _outcomes.setdefault(report.nodeid, {"status": None, "message": ""})
    xfail = hasattr(report, "wasxfail")
    if report.when == "setup":
        if report.failed:
            entry.update(status="error", message=_message(report))
        elif report.skipped:
            entry.update(status="xfailed" if xfail else "skipped", message=_message(report))
    elif report.when == "call":
        if xfail:
            entry.update(status="xfailed" if report.skipped else "xpassed")
        elif report.passed:
            entry.update(status="passed")
        elif report.skipped:
            entry.update(status="skipped", message=_message(report))
        else:
            entry.update(status="failed", message=_message(report))
    elif report.when == "teardown" and report.failed:
        entry.update(status="error", message=_message(report))


def pytest_runtest_logfinish(nodeid, location):
    entry = _outcomes.pop(nodeid, {"status": None, "message": ""})
    _emit({"ev": "test", "id": nodeid, "status": entry["status"] or "error", "message": entry["message"]})


def pytest_sessionfinish(session, exitstatus):
    _emit({"ev": "end", "exitstatus": int(exitstatus)})
