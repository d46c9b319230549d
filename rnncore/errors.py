"""The errors users see: each message is a single line saying what is wrong and what to do.

Two kinds, with their own exit statuses (scenes/cli): RnnError is bad input (exit 2), something
the user fixes in the command or its files; SystemFault is the machine (exit 3): a full disk, a
permission, memory, a missing tool. `system_fault` turns an OSError or MemoryError into one.
"""

from __future__ import annotations

import errno
import os

# What to do about the usual operating-system errors, by errno.
_ADVICE = {
    errno.ENOSPC: "free some space on that disk, or write elsewhere",
    errno.EDQUOT: "free some of your disk quota, or write elsewhere",
    errno.EACCES: "check its permissions, or use another path",
    errno.EPERM: "check its permissions, or use another path",
    errno.EROFS: "the file system is read-only: write elsewhere",
    errno.ENOENT: "check the path exists",
    errno.EISDIR: "give a file, not a directory",
    errno.ENOTDIR: "a part of the path is a file, not a directory: check the path",
    errno.EEXIST: "a part of the path is a file, not a directory: check the path",
    errno.EMFILE: "too many open files: raise the limit (ulimit -n) or close other programs",
    errno.ENAMETOOLONG: "use a shorter path",
    errno.EIO: "the disk reported an input/output error: check the disk",
}


class RnnError(ValueError):
    """Bad input (file, shape, value or option). The CLI prints it as one line and exits 2."""


class SystemFault(Exception):
    """The machine failed us, not the input: disk full, permission denied, out of memory.
    The CLI prints it as one line and exits 3."""


def system_fault(err: OSError | MemoryError, failed: str = "") -> SystemFault:
    """One line for an OSError or MemoryError: what failed, why, and what to do.
    failed: what could not be done ("cannot write x.npz"); default: the error's own file names."""
    if isinstance(err, MemoryError):
        return SystemFault(
            f"out of memory{' (' + failed + ')' if failed else ''}: use smaller "
            "sizes (fewer hidden units, layers or steps, shorter data) or free memory"
        )
    why = err.strerror or type(err).__name__
    if not failed:
        names = [os.fsdecode(f) for f in (err.filename, err.filename2) if f is not None]
        failed = " ".join(names) or "a system call failed"
    advice = _ADVICE.get(err.errno or 0, "check the file and the disk")
    return SystemFault(f"{failed}: {why}: {advice}")


def check_fits(size: int, what: str) -> None:
    """A SystemFault (out of memory) if `size` bytes exceed the machine's memory: said before
    numpy tries, which for sizes past its integers fails with a TypeError or ValueError of its
    own, and for many layers only after a long loop."""
    try:
        memory = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError):  # not known here: numpy will say
        return
    if size > memory:
        raise system_fault(MemoryError(), f"{what} needs {size / 1e9:.3g} GB")


def plural(n: int, noun: str) -> str:
    """A count and its noun, which messages said as '1 snapshots': '1 step', '8 steps'."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def first_line(err: BaseException) -> str:
    """What a library's error says, as one line for ours: its first line, or its type's name
    when it says nothing."""
    text = str(err).strip() or type(err).__name__
    return text.splitlines()[0]
