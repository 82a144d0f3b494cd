"""CPU time, which other processes sharing the cores do not inflate, for tests that must not
depend on the machine's speed (HELPERS.md): how much processor a thread has used so far."""

from __future__ import annotations

import os
import threading
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def thread_cpu_seconds(thread: threading.Thread) -> float:
    """The user and system CPU time another thread of this process has used (Linux's
    /proc/self/task/<tid>/stat); 0 before it starts and after it ends."""
    if thread.native_id is None:
        return 0.0
    try:
        stat = Path(f"/proc/self/task/{thread.native_id}/stat").read_text()
    except FileNotFoundError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()  # after "pid (name)": state is field 3, utime 14
    return (int(fields[11]) + int(fields[12])) / TICKS
