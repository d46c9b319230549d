"""Files: written atomically (a failed or interrupted write never leaves a partial file behind),
checked before any work, and read with one-line errors."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import RnnError, system_fault


def _file_name(path: str | os.PathLike[str]) -> Path:
    if not os.fspath(path).strip():
        raise RnnError("the output file name is empty: give a file name")
    target = Path(path)
    if target.is_dir():
        raise RnnError(f"{target} is a directory: give a file name")
    return target


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path next to `path`; on success it replaces `path` in one step.

    The parent directory is created if missing. On any error the temporary file is removed and
    `path` is left as it was (absent or the old file). The file gets the usual mode (0666 less
    the umask), whatever wrote it.
    """
    target = _file_name(path)
    tmp = _temporary_next_to(target)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp (and some writers) make 0600
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def check_writable(path: str | os.PathLike[str]) -> Path:
    """Before any work: RnnError if `path` cannot name an output file (empty, a directory),
    SystemFault if its directory cannot be written (read-only, no permission, a parent that
    cannot be made). It tries for real, with a temporary file removed at once."""
    target = _file_name(path)
    _temporary_next_to(target).unlink()
    return target


def _temporary_next_to(target: Path) -> Path:
    nearest = next(p for p in [target.parent, *target.parent.parents] if p.exists())
    if not nearest.is_dir():
        raise RnnError(f"cannot write {target}: {nearest} is a file, not a directory")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as err:
        raise system_fault(err, f"cannot write {target}") from None
    os.close(fd)
    return Path(name)


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def existing_file(path: str | os.PathLike[str], what: str) -> Path:
    """The path of a file to read, or an error saying it is missing or unreadable."""
    p = Path(path)
    if not os.fspath(path).strip():
        raise RnnError(f"the {what} file name is empty: give a file")
    if not p.exists():
        raise RnnError(f"{what} file {p} does not exist")
    if not p.is_file():
        raise RnnError(f"{what} path {p} is not a file")
    if not os.access(p, os.R_OK):
        raise system_fault(PermissionError(errno.EACCES, "Permission denied"), f"cannot read {p}")
    return p
