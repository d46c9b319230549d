"""The render cache: a rendered clip is kept under a key made of everything it is drawn from,
so a render whose inputs are unchanged is not made again.

A clip's key hashes the code (every source file of `rnncore` and `scenes`), the versions of
Manim and the libraries that draw and encode, the settings (text, window, step, language,
captions, and the data and weights files by content; the window as the steps it spans, so 30:
and 30:38 on a long text share a key), the quality, the format and transparency. A shot starts
from the picture in which the shot before it ends, so a shot's key also hashes the source of its
own method and of every earlier shot's (`shot_R1` .. `shot_R3` for R3, in whichever module of
the package they are), and the rest of the code with the shot methods taken out: editing one
shot's method renders that shot and the ones after it in its part again, and the earlier ones
come from the cache.

Clips live in `<cache>/renders/<key>.<suffix>` (Manim's movie or still, and the .srt of the
captions it said), beside `<key>.json`, their sizes and sha256: a clip that does not match (a
crash half-way through writing it, a damaged disk) is deleted and rendered again. A file
written for the user is stamped with the key it was made from and its size and modification
time, so an unchanged render is recognised without reading it. Every file is written to a
temporary name and moved into place atomically, so concurrent runs never see a half-written
entry; two runs that render the same clip at once both write a valid one.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

from rnncore import RnnError
from rnncore.data import DEFAULT_TEXT
from rnncore.files import atomic_path
from scenes.settings import Settings
from scenes.story import known_window

# The largest data file whose window the key resolves (about 13,000 rows of three numbers,
# read in well under 0.1 s)
RESOLVE_DATA_BYTES = 1_000_000
PACKAGE_DIRS = [Path(__file__).resolve().parents[2] / name for name in ("rnncore", "scenes")]
# What draws and encodes a frame besides our code.
LIBRARIES = ("manim", "av", "pycairo", "manimpango", "numpy", "pillow")
# Clips beyond this many bytes are deleted, the least recently used first.
CACHE_LIMIT = 4 * 2**30


def cache_limit() -> int:
    """RNN3D_RENDER_CACHE_BYTES, or CACHE_LIMIT when it is unset or empty; RnnError for a
    value that is not a whole number of bytes (it was read as this module was imported, and
    'abc' or '' was a traceback)."""
    raw = os.environ.get("RNN3D_RENDER_CACHE_BYTES", "").strip()
    if not raw:
        return CACHE_LIMIT
    try:
        limit = int(raw)
    except ValueError:
        limit = -1
    if limit < 0:
        raise RnnError(
            f"RNN3D_RENDER_CACHE_BYTES={raw!r} is not a whole number of bytes: give one "
            f"such as {CACHE_LIMIT} (4 GB), or unset it"
        )
    return limit


def digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little") + data)
    return h.hexdigest()


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def split_shots(source: str) -> tuple[str, dict[str, str]]:
    """A scene file's source without its `shot_XX` methods, and each method's source by shot
    id. A file Python cannot parse is all 'rest'."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source, {}
    lines = source.splitlines(keepends=True)
    shots: dict[str, str] = {}  # every class's method of that name, in order
    cut: set[int] = set()
    methods = (
        node
        for cls in ast.walk(tree)
        if isinstance(cls, ast.ClassDef)
        for node in cls.body
        if isinstance(node, ast.FunctionDef)
    )
    for node in methods:
        if node.name.startswith("shot_"):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)]) - 1
            span = range(first, node.end_lineno or node.lineno)
            shot = node.name.removeprefix("shot_").upper()
            shots[shot] = shots.get(shot, "") + "".join(lines[i] for i in span)
            cut.update(span)
    rest = "".join(line for i, line in enumerate(lines) if i not in cut)
    return rest, shots


class Keys:
    """The cache keys of one run: what every clip of it is drawn from, read once."""

    def __init__(
        self,
        settings: Settings,
        quality: str,
        fmt: str,
        transparent: bool,
        scene_files: Iterable[Path],
    ):
        # every module's shot methods, wherever a part keeps them (its scene file, or the
        # classes it builds on), apart; the rest of each module goes into the common key
        code_files = {p.resolve() for d in PACKAGE_DIRS for p in d.rglob("*.py")}
        self.shot_sources: dict[str, str] = {}
        rests = []
        for path in sorted(code_files | {p.resolve() for p in scene_files}):
            rest, shots = split_shots(path.read_text(encoding="utf-8"))
            rests.append(rest)
            for shot, source in shots.items():
                self.shot_sources[shot] = self.shot_sources.get(shot, "") + source
        self.common = digest(
            *rests, *_versions(), _settings_digest(settings), quality, fmt, str(transparent)
        )

    def clip(self, scene: tuple[Path, str], part_shots: list[str], shot: str | None) -> str:
        """The key of a clip of the scene (file, class) of a part whose shots are
        `part_shots`, in order: one shot, or the whole part (shot None)."""
        upto = part_shots if shot is None else part_shots[: part_shots.index(shot) + 1]
        return digest(
            self.common,
            str(scene[0].resolve()),
            scene[1],
            shot or "whole",
            *(self.shot_sources.get(s, f"no method for {s}") for s in upto),
        )


def _versions() -> list[str]:
    found = []
    for name in LIBRARIES:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name} absent")
    return found


def _settings_digest(settings: Settings) -> str:
    """The settings with every file they name (data, weights, the history beside the weights or
    given, a .json vocabulary) replaced by its contents' hash. A missing file hashes as missing:
    the story check that follows reports it properly."""
    values: dict[str, object] = settings.as_dict() | {"shot": None}
    # spellings of the same picture hash alike: the default text, and the window resolved
    # (30: and 30:38 on a long text, none and 0:8)
    if not settings.data and settings.text is None:
        values["text"] = DEFAULT_TEXT
    window = known_window(settings) if _cheap_to_resolve(settings) else None
    if window is not None:
        values["steps"] = [window.start, len(window)]
    files = {name: values[name] for name in ("data", "weights", "history")}
    if isinstance(settings.vocab, str) and settings.vocab.lower().endswith(".json"):
        files["vocab"] = settings.vocab
    if settings.weights and not settings.history:
        from rnncore.train import history_path

        files["history beside weights"] = str(history_path(settings.weights))
    for name, path in files.items():
        if isinstance(path, str):
            try:
                values[name] = file_digest(Path(path))
            except OSError:
                values[name] = f"unreadable {os.path.abspath(path)}"
    return digest(json.dumps(values, sort_keys=True))


def _cheap_to_resolve(settings: Settings) -> bool:
    """Whether the window can be resolved for the key at little cost: always for a text, for
    data only from a small file, since resolving reads the file whole (a CSV of 200,000 rows
    takes about 1 s, which an unchanged re-render would pay each time). A larger file keys on
    the window as spelled: 30: and 30:38 then render once each."""
    if not settings.data:
        return True
    try:
        return os.path.getsize(settings.data) <= RESOLVE_DATA_BYTES
    except OSError:
        return False


def _write_atomically(dest: Path, write) -> None:
    """Call write(temporary path) and move the result to dest in one step."""
    with atomic_path(dest) as tmp:
        write(tmp)


class ClipCache:
    """Clips by key: the files one child process made (a movie or a still, and the .srt of
    its captions), each as <key><suffix>, beside <key>.json with their sizes and hashes."""

    def __init__(self, root: Path):
        self.root = root
        self.stamps = root / "stamps"
        for folder in (root, self.stamps):  # a file in a folder's place is damage: it heals
            if not folder.is_dir() and (folder.is_symlink() or folder.exists()):
                folder.unlink()
        self.stamps.mkdir(parents=True, exist_ok=True)

    def get(self, key: str) -> dict[str, Path] | None:
        """The files of this key by suffix if they are whole, else None (and a damaged entry
        is removed)."""
        record = self.root / f"{key}.json"
        try:
            expected = json.loads(record.read_text())["files"]
            files = {suffix: self.root / f"{key}{suffix}" for suffix in expected}
            if all(
                path.stat().st_size == expected[suffix]["size"]
                and file_digest(path) == expected[suffix]["sha256"]
                for suffix, path in files.items()
            ):
                os.utime(record)  # recently used: pruned last
                return files
        except FileNotFoundError:
            if not record.exists():
                return None
        except (OSError, ValueError, KeyError, TypeError):
            pass
        for path in self.root.glob(f"{key}.*"):
            path.unlink(missing_ok=True)
        return None

    def put(self, key: str, produced: list[Path]) -> dict[str, Path]:
        """Move freshly made files in as the clip of this key (their suffixes must differ)."""
        fields = {p.suffix: {"size": p.stat().st_size, "sha256": file_digest(p)} for p in produced}
        files = {}
        for path in produced:
            files[path.suffix] = self.root / f"{key}{path.suffix}"
            # the file may be on another file system: moved (or copied) next to its place first
            _write_atomically(files[path.suffix], lambda tmp, p=path: shutil.move(p, tmp))
        record = self.root / f"{key}.json"
        _write_atomically(record, lambda tmp: tmp.write_text(json.dumps({"files": fields})))
        return files

    def _stamp(self, dest: Path) -> Path:
        return self.stamps / f"{digest(str(dest.resolve()))[:32]}.json"

    def is_up_to_date(self, dest: Path, key: str) -> bool:
        """Whether dest was written from this key and has not been touched since."""
        try:
            stamp = json.loads(self._stamp(dest).read_text())
            stat = dest.stat()
        except (OSError, ValueError):
            return False
        return stamp == {"key": key, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}

    def stamp(self, dest: Path, key: str) -> None:
        """Remember that dest, as it is now, was written from key."""
        stat = dest.stat()
        fields = {"key": key, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
        _write_atomically(self._stamp(dest), lambda tmp: tmp.write_text(json.dumps(fields)))

    def prune(self, limit: int | None = None) -> None:
        """Delete the least recently used clips until the rest fit in `limit` bytes (default
        cache_limit())."""
        limit = cache_limit() if limit is None else limit
        entries = []
        for record in self.root.glob("*.json"):
            clips = [p for p in self.root.glob(f"{record.stem}.*") if p != record]
            try:
                entries.append(
                    (record.stat().st_mtime, record, clips, sum(p.stat().st_size for p in clips))
                )
            except OSError:
                continue  # another run is pruning too
        total = sum(size for *_, size in entries)
        for _, record, clips, size in sorted(entries, key=lambda e: e[0]):
            if total <= limit:
                break
            for path in [*clips, record]:
                path.unlink(missing_ok=True)
            total -= size
