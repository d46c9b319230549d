"""Files: written atomically (a failed or interrupted write never leaves a partial file behind),
checked before any work, and read with one-line errors.

A temporary name carries the run that made it (process id and start time: `run_tag`), so a
file or folder left by a run killed outright (SIGKILL) is removed by the next write next to
it (`remove_stale`), and one of a live concurrent run is left alone.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import RnnError, system_fault


def output_file(path: str | os.PathLike[str]) -> Path:
    """The path of a file to write, or an RnnError if it is empty or names a directory."""
    name = os.fspath(path)
    if not name.strip():
        raise RnnError("the output file name is empty: give a file name")
    target = Path(path)
    check_name_length(target, "give a shorter name")
    if target.is_dir():
        raise RnnError(f"{target} is a directory: give a file name")
    # Path drops a trailing slash (and a last '.'): w.safetensors/ was written as the file
    # w.safetensors, though the name says a folder
    if os.path.basename(name) in ("", ".", ".."):
        raise RnnError(f"{name} names a folder, not a file: give a file name (no trailing /)")
    return target


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path next to `path`; on success it replaces `path` in one step.

    The parent directory is created if missing. On any error the temporary file is removed and
    `path` is left as it was (absent or the old file). The file gets the usual mode (0666 less
    the umask), whatever wrote it.
    """
    target = output_file(path)
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
    target = output_file(path)
    _temporary_next_to(target).unlink()
    return target


def nearest_existing(path: Path) -> Path:
    """The closest folder above `path` that exists (or a file in a folder's place): where
    writing it would begin. A name the file system refuses counts as missing."""
    return next((p for p in path.parents if os.path.exists(p)), Path("."))


def _temporary_next_to(target: Path) -> Path:
    nearest = nearest_existing(target)
    if not nearest.is_dir():
        raise RnnError(f"cannot write {target}: {nearest} is a file, not a directory")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # the temporary name is the target's and some 40 more characters: of a long name
        # (one the file system takes) only the start, or the name was too long to make
        start = _cut(target.name, _name_max(target.parent) - 64)
        remove_stale(target.parent, start)
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{start}{run_tag()}", suffix=".tmp")
    except OSError as err:
        raise system_fault(err, f"cannot write {target}") from None
    os.close(fd)
    return Path(name)


def check_name_length(path: Path, fix: str) -> None:
    """RnnError if a name in `path`, or the whole, is longer than the file system takes: said
    as the user's name (exit 2), not as the system's ENAMETOOLONG, a fault of the machine."""
    nearest = nearest_existing(path)
    most = _name_max(nearest)
    for part in path.parts:
        size = len(os.fsencode(part))
        if size > most:
            raise RnnError(
                f"the name {_short(part)!r} in {_short(str(path))} is {size} bytes long, "
                f"more than the {most} a name can have here: {fix}"
            )
    size, most = len(os.fsencode(path)), _path_max(nearest)
    if size > most:
        raise RnnError(
            f"{_short(str(path))} is {size} bytes long, more than the {most} a path can have "
            f"here: {fix}"
        )


def _name_max(folder: Path) -> int:
    """The most bytes a file's name can have in `folder` (255 where it is not known)."""
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        return 255


def _path_max(folder: Path) -> int:
    """The most bytes a path can have, its final NUL excluded (4095 where it is not known)."""
    try:
        return os.pathconf(folder, "PC_PATH_MAX") - 1
    except (OSError, ValueError):
        return 4095


def _cut(name: str, size: int) -> str:
    """The start of `name` that is at most `size` bytes in the file system's encoding."""
    return os.fsencode(name)[: max(size, 1)].decode("utf-8", "ignore")  # no half characters


def _short(text: str) -> str:
    """A long name as its start and end, for a message."""
    return text if len(text) <= 60 else f"{text[:40]}…{text[-16:]}"


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def existing_file(path: str | os.PathLike[str], what: str) -> Path:
    """The path of a file to read, or an error saying it is missing or unreadable."""
    p = Path(path)
    if not os.fspath(path).strip():
        raise RnnError(f"the {what} file name is empty: give a file")
    check_name_length(p, "check the file's name")
    if not p.exists():
        raise RnnError(f"{what} file {p} does not exist: check its name and folder")
    if not p.is_file():
        kind = "a directory" if p.is_dir() else "a device or a pipe"
        raise RnnError(f"{what} path {p} is not a file but {kind}: give the path of a file")
    if not os.access(p, os.R_OK):
        raise system_fault(PermissionError(errno.EACCES, "Permission denied"), f"cannot read {p}")
    return p


# byte-order marks of the encodings a spreadsheet's "Unicode text" is saved in (UTF-32's
# first: its little-endian mark begins with UTF-16's)
BYTE_ORDER_MARKS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def not_utf8(
    p: str | os.PathLike[str], err: UnicodeDecodeError, save_as: str = "save it as UTF-8"
) -> RnnError:
    """The one line for a text file that is not UTF-8: its encoding when a byte-order mark
    names it (it said only "'utf-8' codec can't decode byte 0xff in position 0"), else the
    byte that is not UTF-8; and what to do (save_as)."""
    try:
        with open(p, "rb") as fh:
            start = fh.read(4)
    except OSError:
        start = b""
    found = next((name for mark, name in BYTE_ORDER_MARKS if start.startswith(mark)), None)
    bad = err.object[err.start : err.start + 1].hex()
    what = f"{found} text" if found else f"not UTF-8 text (byte 0x{bad}: {err.reason})"
    return RnnError(f"{p} is {what}: {save_as}")


TAG = re.compile(r"\.rnn3d-(\d+)-(\d+)-")  # in a temporary name: .rnn3d-PID-START-


def run_tag(pid: int | None = None) -> str:
    """'.rnn3d-PID-START-': this run's mark in the names of its temporary files and folders."""
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


def remove_stale(folder: Path, name: str = "") -> list[Path]:
    """Remove the temporary files and folders in `folder` (those of `name` only, if given)
    left by runs no longer alive; return them."""
    removed = []
    for path in folder.glob(f".{glob_escape(name)}*"):
        found = TAG.search(path.name)
        if found and not is_alive(int(found[1]), int(found[2])):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)
