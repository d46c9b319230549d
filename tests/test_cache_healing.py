"""Fault injection, part 2: every cache heals. A damaged entry of the model cache, the glyph
cache or Manim's formula/text cache is dropped and rebuilt, giving what a cold cache gives."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from rnncore.defaults import cache_dir, trained_model
from scenes.cli import manim_cache


def _truncate(p: Path) -> None:
    p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2])


def _npz_edit(**changes: object) -> Callable[[Path], None]:
    """Rewrite an .npz entry with some arrays changed (None: removed): well-formed but wrong."""

    def edit(p: Path) -> None:
        with np.load(p, allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        for k, v in changes.items():
            if v is None:
                arrays.pop(k, None)
            elif callable(v):
                arrays[k] = v(arrays[k])
            else:
                arrays[k] = v
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        p.write_bytes(buffer.getvalue())

    return edit


def _bad_member(p: Path) -> None:
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("loss.npy", b"\x93NUMPY not really")


DAMAGE: dict[str, Callable[[Path], None]] = {
    "emptied": lambda p: p.write_bytes(b""),
    "truncated": _truncate,
    "garbage": lambda p: p.write_bytes(b"\x00\xff garbage " * 50),
    "a zip of a broken array": _bad_member,
}


# ---------------------------------------------------------------- the model cache

HISTORY_DAMAGE = {
    **DAMAGE,
    "no loss": _npz_edit(loss=None),
    "nan loss": _npz_edit(loss=lambda a: a * np.nan),
    "snapshots of other shapes": _npz_edit(**{"snapshot/weight_hh_l0": lambda a: a[:, :2, :2]}),
    "a snapshot missing": _npz_edit(**{"snapshot/bias_hh_l0": None}),
}


@pytest.fixture
def model_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RNN3D_CACHE", str(tmp_path / "cache"))
    trained_model("rnn")
    return cache_dir()


@pytest.mark.parametrize(
    "which, damage", [*(("history", d) for d in HISTORY_DAMAGE), *(("weights", d) for d in DAMAGE)]
)
def test_damaged_model_cache_entry_is_retrained(model_cache: Path, which: str, damage: str) -> None:
    cold_model, cold_history = trained_model("rnn")
    pattern = "*.history.npz" if which == "history" else "*.safetensors"
    (entry,) = model_cache.glob(pattern)
    HISTORY_DAMAGE[damage](entry)
    model, history = trained_model("rnn")  # no error: dropped and retrained
    for k, v in cold_model.params.items():
        np.testing.assert_array_equal(model.params[k], v)
    np.testing.assert_array_equal(history.loss, cold_history.loss)
    # the entry was written again, whole: the next run reads it without training
    again, _ = trained_model("rnn")
    np.testing.assert_array_equal(again.params["weight_hh_l0"], cold_model.params["weight_hh_l0"])
    assert entry.stat().st_size > 100


# ---------------------------------------------------------------- the glyph cache


def _glyph_edit(**changes: Callable[[np.ndarray], np.ndarray] | None) -> Callable[[Path], None]:
    """Rewrite a glyph cache entry with some arrays changed (None: removed): well-formed but
    wrong."""
    from scenes import glyph_cache

    def edit(p: Path) -> None:
        arrays = glyph_cache.read_entry(p)
        for k, v in changes.items():
            if v is None:
                arrays.pop(k, None)
            else:
                arrays[k] = v(arrays[k])
        glyph_cache.write_entry(p, arrays)

    return edit


def _glyph_cut(p: Path) -> None:
    """The last bytes missing: the header promises more than the file holds."""
    p.write_bytes(p.read_bytes()[:-8])


GLYPH_DAMAGE = {
    **DAMAGE,
    "last bytes missing": _glyph_cut,
    "sizes past the points": _glyph_edit(sizes=lambda a: a + 1000),
    "points of two columns": _glyph_edit(points=lambda a: a[:, :2]),
    "colours missing": _glyph_edit(fill=None),
    "group members out of range": _glyph_edit(group_members=lambda a: a + 10**6),
    "group sizes wrong": _glyph_edit(group_sizes=lambda a: a[:-1]),
}


@pytest.fixture
def fresh_svgs():
    """Texts parsed (or read from the glyph cache) as in a new process, before and after."""
    from scenes.manim_adapter import forget_parsed_svgs

    forget_parsed_svgs()
    yield forget_parsed_svgs
    forget_parsed_svgs()  # leave no texts parsed with this test's cache to later tests


@pytest.mark.parametrize("damage", list(GLYPH_DAMAGE))
def test_damaged_glyph_cache_entry_is_parsed_again(
    tmp_path: Path, damage: str, fresh_svgs, monkeypatch: pytest.MonkeyPatch
) -> None:
    from test_glyph_cache import build, glyphs, same

    from scenes import glyph_cache

    monkeypatch.setenv("RNN3D_CACHE", str(tmp_path))
    glyph_cache.install()
    cold = glyphs(build())
    entries = sorted((tmp_path / "glyphs").glob(f"*{glyph_cache.SUFFIX}"))
    assert entries
    for entry in entries:
        GLYPH_DAMAGE[damage](entry)
    fresh_svgs()  # read every entry again, as a new render would
    assert same(glyphs(build()), cold)  # no error, the same glyphs
    for entry in entries:  # stored again, whole
        z = glyph_cache.read_entry(entry)
        assert z["points"].shape[1] == 3 and z["sizes"].sum() == len(z["points"])


# ---------------------------------------------------------------- Manim's formula/text cache

SVG = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" '
    b'height="10"><path d="M0 0L1 1"/></svg>\n'
)
SVG_DAMAGE = {
    "emptied": b"",
    "truncated": SVG[:60],
    "garbage": b"\x00garbage",
    "not an svg": b"<html></html>",
    "half a tag": SVG[:-8],
}


@pytest.mark.parametrize("damage", list(SVG_DAMAGE))
def test_damaged_formula_svg_is_dropped(
    tmp_path: Path, damage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RNN3D_CACHE", str(tmp_path))
    shared = manim_cache.shared_dir()
    for kind in manim_cache.KINDS:
        (shared / kind).mkdir(parents=True)
        (shared / kind / "good.svg").write_bytes(SVG)
        (shared / kind / "bad.svg").write_bytes(SVG_DAMAGE[damage])
    assert manim_cache.heal() == 2
    assert sorted(p.name for p in shared.rglob("*.svg")) == ["good.svg", "good.svg"]


def test_children_work_in_their_own_folders_and_publish_whole_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RNN3D_CACHE", str(tmp_path / "cache"))
    shared = manim_cache.shared_dir() / "Tex"
    shared.mkdir(parents=True)
    (shared / "old.svg").write_bytes(SVG)
    child = tmp_path / "child"
    manim_cache.seed(child)
    seeded = child / "Tex" / "old.svg"
    # a hard link: a symbolic one Manim would resolve, and then write beside it in the shared
    # directory (its scratch copy <name>_.svg)
    assert not seeded.is_symlink() and seeded.resolve().parent == child.resolve() / "Tex"
    assert seeded.read_bytes() == SVG and (child / "texts").is_dir()
    (child / "Tex" / "new.svg").write_bytes(SVG)
    (child / "Tex" / "half.svg").write_bytes(SVG[:50])  # a child killed while writing
    (child / "Tex" / "new.aux").write_bytes(b"LaTeX's own")
    manim_cache.publish(child)
    assert sorted(p.name for p in shared.iterdir()) == ["new.svg", "old.svg"]
    assert (shared / "new.svg").read_bytes() == SVG and not (shared / "new.svg").is_symlink()


def test_a_text_built_in_a_child_never_rewrites_the_shared_svg(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Manim tidies a text's SVG each time a Text is built; in a child that file is a hard link
    to the shared one, and rewriting it in place let another render read it emptied (the
    --jobs 2 race: a ParseError, or a Text short of glyphs)."""
    from manim import Text, tempconfig
    from manimpango import PangoUtils

    from scenes.manim_adapter import keep_text_svgs_whole

    monkeypatch.setenv("RNN3D_CACHE", str(tmp_path / "cache"))
    keep_text_svgs_whole()
    first, second = tmp_path / "first", tmp_path / "second"
    with tempconfig({"text_dir": str(first / "texts")}):
        assert len(Text("shared 42")) == len("shared42")
    manim_cache.publish(first)
    (shared,) = (manim_cache.shared_dir() / "texts").glob("*.svg")
    before = (shared.stat().st_mtime_ns, shared.read_bytes())
    manim_cache.seed(second)
    with tempconfig({"text_dir": str(second / "texts")}):
        assert len(Text("shared 42")) == len("shared42")
    assert (shared.stat().st_mtime_ns, shared.read_bytes()) == before

    # a file the tidying does change becomes the child's own; the shared one stays as it was
    untidy = before[1].replace(b'Z "/>', b'Z M 1 2 "/>', 1)
    shared.write_bytes(untidy)
    linked = second / "texts" / "untidy.svg"
    linked.hardlink_to(shared)
    PangoUtils.remove_last_M(str(linked))
    assert linked.read_bytes() == before[1] and shared.read_bytes() == untidy


# ---------------------------------------------------------------- the render cache


@pytest.mark.parametrize("where", ["renders", "renders/stamps"])
def test_a_file_where_the_render_cache_has_a_folder_is_dropped(tmp_path: Path, where: str) -> None:
    """It stopped every render with '.../renders/stamps: Not a directory' (status 3), though
    the render cache is rnn3d's own, like the others that heal."""
    from scenes.cli.render_cache import ClipCache

    blocker = tmp_path / where
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("not a folder")
    cache = ClipCache(tmp_path / "renders")
    assert cache.root.is_dir() and cache.stamps.is_dir()
