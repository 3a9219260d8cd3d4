"""The report channel of the harness's scripts in the sandbox (harness_report.py, differential.py).

The first stdin line is a nonce, read when a script starts, before any test module or solution code is
imported. Records go out as nonce-tagged JSON lines on a duplicate of the original stdout taken at that
moment, so output capture or a replaced sys.stdout cannot swallow them; lines without the nonce are
ignored by the scorer, so code under test cannot forge one.
"""

import json
import os
import sys


def make_emitter():
    """Reads the nonce line from stdin and returns emit(record), which writes one tagged line."""
    nonce = sys.stdin.readline().strip()
    fd = os.dup(1)

    def emit(record):
        os.write(fd, (nonce + " " + json.dumps(record) + "\n").encode("utf-8", "replace"))

    return emit
