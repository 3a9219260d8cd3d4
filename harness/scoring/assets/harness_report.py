"""Per-test results for the harness scorer, loaded with -p from a root-owned directory.

The nonce arrives on stdin and is read when pytest imports this plugin, before any test module or
solution code is imported; results go to a duplicate of the original stdout taken at the same moment,
so pytest's output capture cannot swallow them. Lines without the nonce are ignored by the scorer.

Ids are workspace-relative (`tests/test_x.py::TestY::test_z[case]`) whatever pytest's rootdir. The workspace
root is put on sys.path when the session starts, so tests in a subfolder import the workspace's modules as
`python -m pytest` from the workspace root would, while `-P` still keeps the workspace off the path while
pytest and this plugin are imported. With --collect-only, every collected id is reported.

The second stdin line lists the test files (workspace-relative) that code under test must not touch.
An audit hook (PEP 578), installed before any workspace code runs and impossible to remove from Python,
reports every open, listing, removal, rename or spawned command that reaches one of them while a frame
of a workspace file other than those tests is on the stack: the solution reading or replacing its tests.
"""

import json
import os
import sys
import threading

from harness_channel import make_emitter

_MESSAGE_LIMIT = 2000
_WORKSPACE = "/workspace/"


_emit = make_emitter()
_outcomes = {}


def _read_watched():
    line = sys.stdin.readline().strip()
    try:
        paths = json.loads(line) if line else []
    except ValueError:
        paths = []
    return {os.path.normpath(_WORKSPACE + p) for p in paths if isinstance(p, str)}


_watched = _read_watched()
_watched_names = {os.path.basename(p) for p in _watched}
_watched_dirs = {os.path.dirname(p) for p in _watched}
_busy = threading.local()
_realpath = os.path.realpath
_fspath = os.fsdecode
_getframe = sys._getframe
_reported = set()

# Event -> (kind, indexes of the arguments that are paths). Writes and removals are tampering.
_PATH_EVENTS = {
    "open": ("read", (0,)),
    "os.listdir": ("list", (0,)),
    "os.scandir": ("list", (0,)),
    "glob.glob": ("list", (0,)),
    "os.remove": ("tamper", (0,)),
    "os.rmdir": ("tamper", (0,)),
    "os.rename": ("tamper", (0, 1)),
    "os.truncate": ("tamper", (0,)),
    "os.chmod": ("tamper", (0,)),
    "os.symlink": ("tamper", (0, 1)),
    "os.link": ("tamper", (0, 1)),
    "shutil.rmtree": ("tamper", (0,)),
    "shutil.move": ("tamper", (0, 1)),
    "shutil.copyfile": ("read", (0,)),
}
_SPAWN_EVENTS = {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn"}


def _solution_frame():
    """The innermost frame of a workspace file that is not a watched test, or None."""
    frame = _getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        if name.startswith(_WORKSPACE) and os.path.normpath(name) not in _watched:
            return frame
        frame = frame.f_back
    return None


def _resolve(value):
    if isinstance(value, int) or value is None:
        return None
    try:
        path = _fspath(value)
    except TypeError:
        return None
    if not os.path.isabs(path):
        path = os.path.join(os.getcwd(), path)
    return _realpath(path)


def _touches(kind, path):
    if path in _watched:
        return True
    # A listing or glob of a folder that holds tests is how a solution finds them.
    return kind == "list" and (path in _watched_dirs or any(w.startswith(path + "/") for w in _watched))


def _report(kind, path, frame):
    where = "%s:%d" % (frame.f_code.co_filename[len(_WORKSPACE):], frame.f_lineno)
    key = (kind, path, where)
    if key in _reported:
        return
    _reported.add(key)
    rel = path[len(_WORKSPACE):] if path.startswith(_WORKSPACE) else path
    _emit({"ev": "access", "kind": kind, "path": rel, "where": where})


def _hook(event, args):
    if not _watched or getattr(_busy, "on", False):
        return
    spec = _PATH_EVENTS.get(event)
    if spec is None and event not in _SPAWN_EVENTS:
        return
    _busy.on = True
    try:
        if spec is not None:
            kind, indexes = spec
            if event == "open" and len(args) > 1 and isinstance(args[1], str) and any(c in args[1] for c in "wax+"):
                kind = "tamper"
            if event == "glob.glob":
                path = _resolve(os.path.dirname(_fspath(args[0])) or ".")
                hits = [path] if path and _touches(kind, path) else []
            else:
                hits = [p for p in (_resolve(args[i]) for i in indexes if i < len(args)) if p and _touches(kind, p)]
            if hits:
                frame = _solution_frame()
                if frame is not None:
                    for path in hits:
                        _report(kind, path, frame)
        else:
            text = " ".join(str(a) for a in args)
            named = [n for n in _watched_names if n in text]
            if named:
                frame = _solution_frame()
                if frame is not None:
                    _report("spawn", named[0], frame)
    except Exception:
        pass
    finally:
        _busy.on = False


sys.addaudithook(_hook)


_config = {}


def pytest_configure(config):
    _config["rootdir"] = str(config.rootpath)


def _workspace_id(nodeid):
    """The node id with its path made relative to the workspace rather than to pytest's rootdir."""
    path, sep, rest = nodeid.partition("::")
    if not path or "rootdir" not in _config:
        return nodeid
    absolute = os.path.normpath(os.path.join(_config["rootdir"], path))
    if not absolute.startswith(_WORKSPACE):
        return nodeid
    return absolute[len(_WORKSPACE):] + sep + rest


def pytest_sessionstart(session):
    root = _WORKSPACE.rstrip("/")
    if root not in sys.path:
        sys.path.insert(0, root)


def pytest_collection_finish(session):
    if session.config.option.collectonly:
        for item in session.items:
            _emit({"ev": "collected", "id": _workspace_id(item.nodeid)})


def _message(report):
    text = getattr(report, "longreprtext", "") or ""
    return text[-_MESSAGE_LIMIT:]


def pytest_collectreport(report):
    if report.failed:
        _emit({"ev": "collect_error", "path": _workspace_id(report.nodeid), "message": _message(report)})


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
    _emit({"ev": "test", "id": _workspace_id(nodeid), "status": entry["status"] or "error", "message": entry["message"]})


def pytest_sessionfinish(session, exitstatus):
    _emit({"ev": "end", "exitstatus": int(exitstatus)})
