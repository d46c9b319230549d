"""Manim's cache of formula and text SVGs (LaTeX and Pango output), shared by every render.

Manim writes these into its tex_dir and text_dir and reuses a file whenever it exists, so a
damaged file breaks every later render, and two renders sharing the directories trip over
each other (LaTeX's .aux files, which Manim also deletes after each formula). So each render
child gets directories of its own, seeded with hard links to the shared files (`seed`); what it
makes is copied back under a temporary name and renamed into place (`publish`), so nobody ever
sees a half-written file; and `heal` drops shared files that are not whole SVG documents.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

KINDS = ("Tex", "texts")  # Manim's tex_dir and text_dir


def shared_dir() -> Path:
    from rnncore.defaults import cache_dir

    return cache_dir() / "manim"


def heal() -> int:
    """Remove every shared SVG that is not a whole SVG document; return how many."""
    dropped = 0
    for kind in KINDS:
        for svg in (shared_dir() / kind).glob("*.svg"):
            if not is_whole_svg(svg):
                svg.unlink(missing_ok=True)
                dropped += 1
    return dropped


def seed(private: Path) -> None:
    """Make private/Tex and private/texts, with a hard link to every shared SVG (a copy where
    the two directories are on different file systems).

    Not symbolic links: Manim resolves them, and would then write into the shared directory
    itself, beside the file it parses (its scratch copy, <name>_.svg), and through a link
    whose file has gone (a new SVG, visible half-written to every other render)."""
    for kind in KINDS:
        (private / kind).mkdir(parents=True, exist_ok=True)
        for svg in _svgs(shared_dir() / kind):
            try:
                os.link(svg, private / kind / svg.name)
            except FileNotFoundError:
                continue  # healed away meanwhile
            except OSError:
                with contextlib.suppress(FileNotFoundError):
                    shutil.copyfile(svg, private / kind / svg.name)


def publish(private: Path) -> None:
    """Copy the whole SVGs a child made into the shared cache, atomically. Best effort: a
    cache that cannot be written only costs time."""
    for kind in KINDS:
        shared = shared_dir() / kind
        for svg in _svgs(private / kind):
            if (shared / svg.name).exists() or not is_whole_svg(svg):
                continue
            try:
                shared.mkdir(parents=True, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=shared, prefix=f".{svg.name}.", suffix=".tmp")
                os.close(fd)
                try:
                    shutil.copyfile(svg, tmp)
                    os.chmod(tmp, 0o644)
                    os.replace(tmp, shared / svg.name)
                finally:
                    Path(tmp).unlink(missing_ok=True)
            except OSError:
                return


def is_whole_svg(path: Path) -> bool:
    try:
        return ET.parse(path).getroot().tag.endswith("svg")
    except (OSError, ET.ParseError):
        return False


def _svgs(directory: Path) -> list[Path]:
    """The SVGs in directory, without Manim's scratch copies (<name>_.svg)."""
    if not directory.is_dir():
        return []
    return sorted(p for p in directory.glob("*.svg") if not p.name.endswith("_.svg"))
