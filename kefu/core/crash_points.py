"""Crash points: where the crash-safety tests stop a real process dead, as a power cut would.

When the environment variable named at a crash point holds a file path, the process writes the given
value there and stops itself (SIGSTOP) until the test kills it with SIGKILL, so no clean-up code runs.
Nothing else reads these variables; in production they are never set and a crash point costs one
environment lookup.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path


def crash_point(variable: str, value: object) -> None:
    marker = os.environ.get(variable)
    if not marker:
        return
    Path(marker).write_text(str(value))
    os.kill(os.getpid(), signal.SIGSTOP)
