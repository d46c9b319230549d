"""The glyph cache gives back exactly what Manim's own SVG parse gives, and never less."""

from __future__ import annotations

import numpy as np
import pytest
from manim import MathTex, Text

from scenes import glyph_cache
from scenes.blocks import Formula
from scenes.manim_adapter import svg_id_groups


def build():
    return [
        Text("eraser 擦 and\npencil", font_size=24, color="#FF0000"),
        MathTex(r"c_t =", r"f_1 c_{t-1}", r"+ f_2").set_color_by_tex("f_1 c_{t-1}", "#00FF00"),
        Formula(r"S_t = f(", r"W_s S_{t-1}", r"+ W_x x_t)", colors={r"W_s S_{t-1}": "#FF8800"}),
    ]


def glyphs(mobs) -> list[np.ndarray]:
    return [
        np.concatenate(
            [
                leaf.points.ravel(),
                leaf.fill_rgbas.ravel(),
                leaf.stroke_rgbas.ravel(),
                [leaf.stroke_width],
            ]
        )
        for mob in mobs
        for leaf in mob.family_members_with_points()
    ]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("RNN3D_CACHE", str(tmp_path))
    glyph_cache.install()
    return tmp_path / "glyphs"


def same(a: list[np.ndarray], b: list[np.ndarray]) -> bool:
    return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))


def test_read_back_glyphs_equal_parsed_ones(cache, monkeypatch):
    parsed = build()
    assert len(list(cache.glob(f"*{glyph_cache.SUFFIX}"))) == 3
    monkeypatch.setattr(glyph_cache, "manim_parse_svg", lambda svg: pytest.fail("parsed again"))
    read = build()
    assert same(glyphs(parsed), glyphs(read))
    # MathTex's parts (looked up by the SVG's id groups) are the same too
    assert [len(p) for p in read[1]] == [len(p) for p in parsed[1]]
    assert same(glyphs(read[2][1]), glyphs(parsed[2][1]))
    copy = read[1].copy()  # a copy's groups hold the copy's own glyphs
    glyph = svg_id_groups(copy)["root"].submobjects[0]
    assert any(glyph is m for m in copy.family_members_with_points())


def test_damaged_entry_is_parsed_again(cache):
    parsed = glyphs(build())
    entries = list(cache.glob(f"*{glyph_cache.SUFFIX}"))
    for entry in entries:
        entry.write_bytes(b"not an entry")
    assert same(glyphs(build()), parsed)
    assert all(glyph_cache.read_entry(e)["points"].size for e in entries)
