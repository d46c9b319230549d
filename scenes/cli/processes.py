"""Render children that die with their parent, and temporary folders that outlive no run.

A child runs in a process group of its own, so stopping it stops whatever it started (LaTeX,
dvisvgm); on Linux it also gets a parent-death signal, so even a SIGKILL of rnn3d takes it
down. A temporary folder is named after the run that made it (its process id and start time,
rnncore.files.run_tag), so the next run can tell the folders of dead runs, which it removes,
from those of a live concurrent one, which it leaves alone.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
from pathlib import Path

from rnncore.files import remove_stale, run_tag

__all__ = ["die_with_parent", "remove_stale", "run_tag", "spawn", "stop"]

PR_SET_PDEATHSIG = 1  # linux/prctl.h


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
