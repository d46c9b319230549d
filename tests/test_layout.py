"""Every shot composes for any input: at the end of every shot, over a matrix of inputs, the
layout checker (tests/layout.py) finds nothing cut by the frame, nothing overlapping and no
text too small. Each part is built once per input with its animations skipped and nothing
drawn (a few seconds); each (input, shot, rule) is its own test.

KNOWN lists what is still wrong today, as strict expected failures: a fix makes its entry
XPASS, and then the entry goes.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np
import pytest

pytest.importorskip("manim")

from rnncore import init_model  # noqa: E402
from rnncore.data import text_data  # noqa: E402
from rnncore.weights import save_model  # noqa: E402
from scenes.lstm_part import LSTMPart  # noqa: E402
from scenes.rnn_chain import R5_STEP  # noqa: E402
from scenes.rnn_part import RNNPart  # noqa: E402
from scenes.settings import Settings  # noqa: E402
from scenes.shots import SHOTS  # noqa: E402
from scenes.unrolled_chain import UnrolledChain  # noqa: E402
from tests.layout import check_shots, problems  # noqa: E402
from tests.layout_items import VISIBLE, opacity  # noqa: E402

LONG_TEXT = "the quick brown fox jumps over the lazy dog"  # 43 characters
INPUTS = [
    "default",
    "long",
    "one_step",
    "csv",
    "csv_names",
    "csv_one",
    "csv_six",
    "wide",
    "wide24",
    "deep",
    "zh",
    "zh_text",
    "late",
    "two_steps",
]
# a header of long names, of wide letters and of Chinese: R1's key and R6's table cut them
NAMES_HEADER = "outdoor_temperature_celsius,WWWWWWWWWWWWWWWW,相对湿度百分比数值"
# six long names: R1's key of six lines, R5's x_t on two lines, R6's table of the first three
SIX_HEADER = (
    "outdoor_temperature_celsius,relative_humidity_percent,wind_speed_metres_per_second,"
    "barometric_pressure_hpa,solar_irradiance_w_per_m2,precipitation_millimetres"
)
ZH_TEXT = "循环神经网络会记住过去的信息然后用它来预测下一个字"  # Chinese as data: 8 glyphs a layer
RULES = {  # the rest: "overlap"
    "frame": "cut by the frame",
    "size": "px tall",
    "layers": "overlaps a disc of another layer",
    "near": "px of a disc of another layer",
    "astray": "nearer to another layer",
    "crossing": "row runs through",
}
PARTS = {"rnn": RNNPart, "lstm": LSTMPart}

# (input, shot) that may leave out names of steps other than the first, the last and R5's
FEWER_NAMES = {("csv", "R6"), ("csv_names", "R6"), ("csv_six", "R6")}
# (input, shot) -> the rules that shot still breaks with that input:
KNOWN: dict[tuple[str, str], set[str]] = {}


def settings_for(name: str, cell: str, folder: Path) -> Settings:
    """The input called name, for a part of this cell (files are written into folder)."""
    if name == "long":  # a 43-character text, a window late in it
        return Settings(text=LONG_TEXT, steps="32:40")
    if name == "one_step":
        return Settings(text="hi", steps="0:1")
    if name == "zh":
        return Settings(lang="zh")
    if name == "zh_text":
        return Settings(text=ZH_TEXT, lang="zh")
    if name == "late":  # a 3045-character text, a window of 4-digit steps
        words = LONG_TEXT.split()
        return Settings(text=" ".join([*words[::-1], *words, ""]) * 35, steps="2980:2988")
    # 300 steps of 3 features (1, 6), a window well inside; csv_one's one long name in
    # Chinese: "下一步outdoor…" over the prediction
    if name.startswith("csv"):
        t = np.arange(300)
        waves = [np.sin(t / 7), np.cos(t / 11), 0.5 * np.sin(t / 5)]
        series = np.stack({"csv_one": waves[:1], "csv_six": waves * 2}.get(name, waves), axis=1)
        path = folder / "series.csv"
        header = {"csv": "a,b,c", "csv_names": NAMES_HEADER, "csv_six": SIX_HEADER}.get(
            name, NAMES_HEADER.split(",")[0]
        )
        np.savetxt(
            path, series, delimiter=",", header=header, comments="", fmt="%.5f", encoding="utf-8"
        )
        return Settings(data=str(path), steps="40:48", lang="zh" if name == "csv_one" else "en")
    if name == "two_steps":  # narrow grids in L6, under wider heads
        return Settings(steps="2:4")
    if name == "wide24":  # 8 of 24 units drawn (two-digit unit numbers), and a note says so
        vocab = text_data(LONG_TEXT).vocab
        model = init_model(cell, len(vocab), 24, 1, len(vocab), seed=2, vocab=vocab)
        weights = save_model(model, folder / f"{cell}_wide24.safetensors")
        return Settings(weights=str(weights), text=LONG_TEXT)
    if name in ("wide", "deep"):  # a 16-unit char model; a 2-layer one
        vocab = text_data("hello").vocab
        hidden, layers = (16, 1) if name == "wide" else (8, 2)
        model = init_model(cell, len(vocab), hidden, layers, len(vocab), seed=1, vocab=vocab)
        return Settings(weights=str(save_model(model, folder / f"{cell}_{name}.safetensors")))
    assert name == "default", name
    return Settings()


def rule_of(problem: str) -> str:
    return next((rule for rule, words in RULES.items() if words in problem), "overlap")


class ShotEnd(NamedTuple):
    problems: list[str]
    names: list[list[bool]]  # names_shown


@pytest.fixture(scope="module")
def found(tmp_path_factory: pytest.TempPathFactory):
    """(part, input) -> {shot: ShotEnd}, each part built once per input when first asked."""
    media = tmp_path_factory.mktemp("media")
    runs: dict[tuple[str, str], dict[str, ShotEnd]] = {}

    def get(part: str, name: str) -> dict[str, ShotEnd]:
        if (part, name) not in runs:
            out: dict[str, ShotEnd] = {}
            folder = tmp_path_factory.mktemp(f"{part}-{name}")
            check_shots(
                PARTS[part],
                settings_for(name, part, folder),
                media,
                lambda shot, scene: out.setdefault(
                    shot, ShotEnd(problems(scene), names_shown(scene))
                ),
            )
            runs[part, name] = out
        return runs[part, name]

    return get


def names_shown(scene) -> list[list[bool]]:
    """For each row of the scene's unrolled chain (S_t, x_t, y_t), whether each step's name
    shows (in the scene, drawn); [] for a scene without one."""
    chain = getattr(scene, "chain", None)
    if not isinstance(chain, UnrolledChain):
        return []
    drawn = {id(m) for m in scene.get_mobject_family_members()}
    rows = zip(*(chain.layers(k) for k in range(scene.view.K)), strict=True)
    return [
        [all(id(t) in drawn and opacity(t) >= VISIBLE for t in layer.title) for layer in row]
        for row in rows
    ]


def cases() -> list:
    out = []
    for name in INPUTS:
        for shot in SHOTS:
            for rule in ("overlap", *RULES):
                marks = (
                    [pytest.mark.xfail(strict=True, reason="known, issue 10")]
                    if rule in KNOWN.get((name, shot.id), set())
                    else []
                )
                out.append(
                    pytest.param(
                        name, shot.part, shot.id, rule, marks=marks, id=f"{name}-{shot.id}-{rule}"
                    )
                )
    return out


@pytest.mark.parametrize("name, part, shot, rule", cases())
def test_shot_layout(found, name: str, part: str, shot: str, rule: str) -> None:
    broken = [p for p in found(part, name)[shot].problems if rule_of(p) == rule]
    assert not broken, f"{shot} with input {name}:\n" + "\n".join(broken[:8])


@pytest.mark.parametrize("name", INPUTS)
def test_the_rnn_chain_names_every_step(found, name: str) -> None:
    """R3, R4 and R6 name every step's x_t, S_t and y_t (a name with no room where it was
    built moves round it or past its row's end, never nearer another row: the 'astray'
    rule). Only R6 under an inset too wide for the room between the legends (the CSV's),
    which frames the chain smaller, may leave out a name with no room, but none of the
    first, the last and R5's steps (placing.place_names)."""
    ends = found("rnn", name)
    for shot in ("R3", "R4", "R6"):
        rows = ends[shot].names
        K = len(rows[0])
        named = {0, K - 1, min(R5_STEP, K - 1)} if (name, shot) in FEWER_NAMES else range(K)
        missing = [(row, k) for row, shown in enumerate(rows) for k in named if not shown[k]]
        assert not missing, f"{shot} with input {name}: (row, step) {missing} not named"


class FlatCamera:
    """Draws every point where it is (a text fixed in the frame)."""

    def transform_points_pre_display(self, mob, points):
        return points


def test_the_size_rule_measures_a_text_by_its_smallest_glyphs() -> None:
    """A subscript written in Unicode (Sₜ₋₁) is drawn at about half the size of the letters;
    the rule measures it at that size, and a subscript drawn by scenes/subscripts.py reaches
    12 px in a caption."""
    from manim import MarkupText, Text

    from scenes.blocks import Caption, text
    from scenes.captions import CAPTIONS, caption_text
    from scenes.colors import one_path
    from tests.layout import MIN_TEXT_PX, SIZE_TOL_PX
    from tests.layout_items import px
    from tests.text_heights import capital_height, text_sizes

    def size(mob) -> float:
        return px(capital_height(FlatCamera(), mob))

    least = MIN_TEXT_PX - SIZE_TOL_PX
    with text_sizes():
        plain = one_path(Text("Then Sₜ₋₁ and Wᵢₙ", font_size=24))
        words = one_path(Text("Then S and W", font_size=24))
        drawn = one_path(text("Then Sₜ₋₁ and Wᵢₙ", 24))
        small_run = one_path(MarkupText('Then S<span size="50%">t-1</span>', font_size=24))
        captions = [
            Caption(caption_text(key, lang, back=3, near=1.5, far="0.5", share=0.9), lang)
            for key, ways in CAPTIONS.items()
            if any("ₜ" in ways[lang] for lang in ways)
            for lang in ways
        ]
    assert size(words) == pytest.approx(14.4, abs=0.5)  # font_size 24 in the captions' font
    assert size(plain) < least  # the old way: Unicode's subscripts at 5-8 px
    assert size(small_run) < least
    assert size(drawn) >= least
    for caption in captions:
        assert size(caption.body) >= least, caption.text
