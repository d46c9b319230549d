"""A disk cache of the glyphs Manim reads from SVG files (every Text and MathTex).

Manim turns a text into an SVG (Pango or LaTeX, both cached on disk already) and then parses
that SVG into one VMobject per glyph on every run: about 0.1 s per caption, and a render of a
late shot builds the texts of every shot before it. Here the parsed glyphs (points and style,
plus the SVG's id groups that MathTex looks parts up by) are kept in one file per SVG, keyed
by the SVG's bytes and everything else that shapes the result, and read back in a tenth of a
millisecond: its arrays' bytes one after the other, behind a line of JSON that says their
names, types and shapes (an .npz took 2 ms to read, most of it parsing its eight headers, and
a render of L5 reads over a hundred). A missing or stale entry is simply parsed again; a
damaged one (truncated, emptied, inconsistent) is dropped first, then parsed and stored again.
Entries are written under a temporary name and renamed, so concurrent renders never read half
an entry.

``install()`` once per process (PartScene.setup does it); Manim's parser is swapped through
scenes/manim_adapter.py.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
from copy import deepcopy
from pathlib import Path

import manim
import numpy as np
from manim import VGroup, VMobject, config
from manim.mobject.svg.svg_mobject import SVGMobject

from rnncore.defaults import cache_dir
from rnncore.files import atomic_path

from .manim_adapter import (
    manim_parse_svg,
    plain_vmobjects,
    rgba_arrays,
    set_svg_id_groups,
    svg_id_groups,
    svg_identity,
    use_svg_parser,
)

# Bumped when what an entry holds changes, or when entries may be wrong: 2 drops the entries
# made before text SVGs stopped being rewritten in place (some were keyed by half a file); 3
# is the format of write_entry (was .npz).
FORMAT = 3
SUFFIX = ".glyphs"
MAGIC = b"rnn3d glyphs\n"


def install() -> None:
    use_svg_parser(_generate_mobject)


def glyph_dir() -> Path:
    return cache_dir() / "glyphs"


def _generate_mobject(svg: SVGMobject) -> SVGMobject:
    try:
        svg_file, settings = svg_identity(svg)
    except OSError:  # no file to read: let Manim say so
        return manim_parse_svg(svg)
    if not svg_file.rstrip().endswith(b"</svg>"):  # not a whole SVG: Manim says what is wrong
        return manim_parse_svg(svg)
    key = _key(svg_file, settings)
    path = glyph_dir() / f"{key}{SUFFIX}"
    if path.is_file():
        try:
            _rebuild(svg, read_entry(path))
            return svg
        except Exception:  # damaged (truncated, emptied, not an npz, inconsistent): drop it
            path.unlink(missing_ok=True)
    manim_parse_svg(svg)
    _store(svg, path)
    return svg


def _key(svg_file: bytes, settings: tuple) -> str:
    h = hashlib.sha256()
    h.update(svg_file)
    h.update(repr((FORMAT, manim.__version__, *settings, config.renderer)).encode())
    return h.hexdigest()[:32]


def _store(svg: SVGMobject, path: Path) -> None:
    leaves = list(svg.submobjects)
    if any(
        leaf.submobjects or len(rgba_arrays(leaf)[0]) != 1 or len(rgba_arrays(leaf)[1]) != 1
        for leaf in leaves
    ):
        return  # not a flat list of one-colour glyphs: nothing this cache knows to keep
    index = {id(leaf): k for k, leaf in enumerate(leaves)}
    groups = {
        name: [index[id(m)] for m in group.submobjects]
        for name, group in svg_id_groups(svg).items()
    }
    entry = dict(
        points=np.concatenate([leaf.points for leaf in leaves]) if leaves else np.zeros((0, 3)),
        sizes=np.array([len(leaf.points) for leaf in leaves], dtype=np.int64),
        fill=np.array([rgba_arrays(leaf)[0][0] for leaf in leaves]).reshape(-1, 4),
        stroke=np.array([rgba_arrays(leaf)[1][0] for leaf in leaves]).reshape(-1, 4),
        stroke_width=np.array([leaf.stroke_width for leaf in leaves], dtype=float),
        group_names=np.array(list(groups), dtype=str),
        group_sizes=np.array([len(g) for g in groups.values()], dtype=np.int64),
        group_members=np.array([k for g in groups.values() for k in g], dtype=np.int64),
    )
    with contextlib.suppress(Exception):  # a cache that cannot be written only costs time
        write_entry(path, entry)


def write_entry(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """MAGIC, a line of JSON listing each array's name, type and shape, then their bytes in
    that order; written whole under a temporary name, then renamed."""
    arrays = {name: np.ascontiguousarray(a) for name, a in arrays.items()}
    header = [[name, a.dtype.str, list(a.shape)] for name, a in arrays.items()]
    with atomic_path(path) as tmp:
        tmp.write_bytes(
            b"".join(
                [MAGIC, json.dumps(header).encode(), b"\n", *(a.tobytes() for a in arrays.values())]
            )
        )


def read_entry(path: Path) -> dict[str, np.ndarray]:
    """The arrays write_entry wrote; ValueError (or KeyError, TypeError) if the file is not
    such an entry, whole."""
    data = bytearray(path.read_bytes())  # writable: the glyphs' points are views of it
    if not data.startswith(MAGIC):
        raise ValueError("not a glyph cache entry")
    end = data.index(b"\n", len(MAGIC))
    offset, arrays = end + 1, {}
    for name, dtype, shape in json.loads(data[len(MAGIC) : end]):
        count = math.prod(shape)
        arrays[name] = np.frombuffer(data, dtype, count, offset).reshape(shape)
        offset += arrays[name].nbytes
    if offset != len(data):
        raise ValueError("a glyph cache entry of the wrong length")
    return arrays


def _rebuild(svg: SVGMobject, entry: dict[str, np.ndarray]) -> None:
    """Give svg the glyphs (and id groups) _store kept, as Manim's parse would have."""
    pts_all = entry["points"]
    ends = np.cumsum(entry["sizes"])
    points = np.split(pts_all, ends[:-1]) if len(ends) else []
    leaves = plain_vmobjects(points, entry["fill"], entry["stroke"], entry["stroke_width"])
    members = np.split(entry["group_members"], np.cumsum(entry["group_sizes"])[:-1])
    groups = _Groups(
        zip(entry["group_names"].tolist(), [m.tolist() for m in members], strict=True), leaves
    )
    points_ok = entry["points"].ndim == 2 and entry["points"].shape[1] == 3
    colours_ok = all(entry[k].shape == (len(leaves), 4) for k in ("fill", "stroke"))
    members_ok = all(0 <= k < len(leaves) for m in groups.members.values() for k in m)
    if not (points_ok and colours_ok and members_ok and sum(entry["sizes"]) == len(pts_all)):
        raise ValueError("an inconsistent glyph cache entry")
    svg.add(*leaves)  # only once every part is read: a damaged entry leaves svg untouched
    set_svg_id_groups(svg, groups)


class _Groups(dict):
    """The SVG's id -> VGroup map, each VGroup built when first looked up (a text has about
    three groups per glyph and MathTex looks up one per part)."""

    def __init__(self, members, leaves: list[VMobject]) -> None:
        super().__init__()
        self.members, self.leaves = dict(members), leaves

    def __missing__(self, name: str) -> VGroup:
        group = VGroup(*(self.leaves[k] for k in self.members[name]))
        self[name] = group
        return group

    def __contains__(self, name: object) -> bool:
        return name in self.members

    def __deepcopy__(self, memo: dict) -> _Groups:
        # a copied text gets groups of its own copied glyphs (memo maps glyph to copy)
        copy = _Groups(self.members.items(), deepcopy(self.leaves, memo))
        for name, group in self.items():
            dict.__setitem__(copy, name, deepcopy(group, memo))
        return copy
