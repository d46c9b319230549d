"""Render children that die with their parent, and temporary folders that outlive no run.

A child runs in a process group of its own, so stopping it stops whatever it started (LaTeX,
dvisvgm); on Linux it also gets a parent-death signal, so even a SIGKILL of rnn3d takes it
down. A temporary folder is named after the run that made it (its process id and start time),
so the next run can tell the folders of dead runs, which it removes, from those of a live
concurrent one, which it leaves alone.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import shutil
import signal
import subprocess
from pathlib import Path

PR_SET_PDEATHSIG = 1  # linux/prctl.h
TAG = re.compile(r"\.rnn3d-(\d+)-(\d+)-")  # in a temporary folder's name: .rnn3d-PID-START-


def run_tag(pid: int | None = None) -> str:
    """'.rnn3d-PID-START-': this run's mark in the names of its temporary folders."""
    pid = os.getpid() if pid is None else pid
    return f".rnn3d-{pid}-{_start_time(pid)}-"


def _start_time(pid: int) -> int:
    """When the process started, in clock ticks since boot (Linux), or 0 where unknown: a pid
    reused by a later process has another start time."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    return int(stat.rpartition(")")[2].split()[19])  # field 22; the name may hold spaces


def is_alive(pid: int, start: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # another user's live process
    return start == 0 or _start_time(pid) in (0, start)


def remove_stale(folder: Path) -> list[Path]:
    """Remove the temporary folders and files in `folder` left by runs no longer alive."""
    removed = []
    for path in folder.glob(".*"):
        found = TAG.search(path.name)
        if found and not is_alive(int(found[1]), int(found[2])):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def spawn(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.Popen:
    """Start a child in a process group of its own, asked to die with this process."""
    env = {**env, "RNN3D_PARENT": str(os.getpid())}
    return subprocess.Popen(command, cwd=cwd, env=env, start_new_session=True)


def die_with_parent() -> None:
    """In a child: ask the kernel for SIGKILL when the parent dies (Linux; elsewhere nothing),
    and exit now if the parent is already gone."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    parent = os.environ.get("RNN3D_PARENT")
    if parent and os.getppid() != int(parent):  # the parent died before prctl
        os._exit(1)


def stop(proc: subprocess.Popen, grace: float = 5.0) -> None:
    """Stop a child and everything in its process group: SIGTERM, then SIGKILL after grace."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, None)):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)  # what the child started and left behind
