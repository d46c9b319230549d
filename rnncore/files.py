"""Writing files atomically: a failed or interrupted write never leaves a partial file behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import RnnError


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path next to `path`; on success it replaces `path` in one step.

    The parent directory is created if missing. On any error the temporary file is removed and
    `path` is left as it was (absent or the old file).
    """
    target = Path(path)
    if target.is_dir():
        raise RnnError(f"{target} is a directory: give a file name")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as err:
        raise RnnError(f"cannot write {target}: {err.strerror or err}") from None
    os.close(fd)
    tmp = Path(tmp_name)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file the usual permissions
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def existing_file(path: str | os.PathLike[str], what: str) -> Path:
    """The path of a file to read, or an RnnError saying it is missing."""
    p = Path(path)
    if not p.exists():
        raise RnnError(f"{what} file {p} does not exist")
    if not p.is_file():
        raise RnnError(f"{what} path {p} is not a file")
    return p
