"""What a render costs, measured as a user runs it: the wall time, the CPU seconds of the whole
process tree (user + system, the children it waited for included), and the peak of the tree's
summed resident memory (sampled every 0.1 s: an encoder or helper process beside Manim counts).

CPU seconds hardly change with the machine's load; wall times do (the benches say the load).
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass
from pathlib import Path
from subprocess import Popen

SAMPLE_S = 0.1
PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class Usage:
    wall: float  # s
    cpu: float  # user + system s of the process and every descendant it waited for
    peak: int  # bytes: the most the process tree held resident at once


def tree_resident(root: int) -> int:
    """Bytes resident in `root` and all its descendants now (Linux /proc; 0 elsewhere)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir() if Path("/proc").is_dir() else []:
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except (OSError, ValueError):
            continue  # not a process, or gone
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        with contextlib.suppress(OSError, ValueError, IndexError):  # ended meanwhile
            total += int((Path("/proc") / str(pid) / "statm").read_text().split()[1]) * PAGE
        todo += children.get(pid, [])
    return total


def wait(proc: Popen) -> Usage:
    """Wait for a process started just now, sampling its tree's memory; set its returncode."""
    start, peak = time.perf_counter(), 0
    while True:
        peak = max(peak, tree_resident(proc.pid))
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        time.sleep(SAMPLE_S)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss: the biggest single process, in case it peaked between two samples
    return Usage(wall, usage.ru_utime + usage.ru_stime, max(peak, usage.ru_maxrss * 1024))
