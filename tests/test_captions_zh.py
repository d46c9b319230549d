"""Caption lines: every caption fits two lines at the frame's width; Chinese lines break only
between the words a caption marks or after closing punctuation, by the CJK rules (kinsoku),
and never inside a formula; the marks are never drawn nor written into subtitles."""

from __future__ import annotations

import re
import unicodedata

import pytest

from scenes.captions import CAPTIONS, MARK, caption_text
from scenes.linebreak import (
    BREAK,
    CJK_CLOSING,
    CLOSING,
    OPENING,
    break_points,
    ems,
    strip_breaks,
    wrap,
    wrap_cjk,
)

# the widest numbers the fields of a caption get (L1's fade)
FIELDS = {"back": 299, "near": 10.55, "far": "1.2×10⁻⁹", "share": 1.0}
SENTENCES = [key for key in CAPTIONS if not key.startswith("label_")]


def wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def test_a_line_breaks_only_at_a_mark_or_after_closing_punctuation() -> None:
    s = f"今天{BREAK}天气{BREAK}很好，我们{BREAK}去公园{BREAK}散步。"
    assert wrap_cjk(s, 6) == ["今天天气", "很好，我们", "去公园散步。"]
    assert wrap_cjk(s, 30) == ["今天天气很好，我们去公园散步。"]
    # two equal lines rather than a full one and a short one
    assert wrap_cjk(f"一二{BREAK}三四{BREAK}五六{BREAK}七八", 6) == ["一二三四", "五六七八"]


def test_lines_are_about_equally_long_not_only_the_longest_short() -> None:
    # the first line is forced (a seven-character word); the other two share the rest evenly
    # rather than a full line and a short one
    s = "甲乙丙丁戊己庚" + "".join(f"{BREAK}{ch}" for ch in "一二三四五六七八九")
    lines = wrap_cjk(s, 7)
    assert lines[0] == "甲乙丙丁戊己庚" and len(lines) == 3
    assert abs(len(lines[1]) - len(lines[2])) <= 1, lines


def test_a_line_breaks_between_phrases_when_that_keeps_the_lines_nearly_even() -> None:
    # after the comma the lines are 12 and 8 long, at the mark 10 and 10: the phrase wins
    s = f"一二三四五六七八九十{BREAK}甲，乙丙丁戊己庚辛壬"
    assert wrap_cjk(s, 14) == ["一二三四五六七八九十甲，", "乙丙丁戊己庚辛壬"]
    # 14 and 6 are too uneven: the lines break at the mark
    s = f"一二三四五六七八九十{BREAK}甲乙丙，丁戊己庚辛壬"
    assert wrap_cjk(s, 16) == ["一二三四五六七八九十", "甲乙丙，丁戊己庚辛壬"]


def test_kinsoku_no_line_starts_with_closing_or_ends_with_opening_punctuation() -> None:
    plain, points = break_points(f"他说{BREAK}（你好{BREAK}）。”{BREAK}再见")
    assert plain == "他说（你好）。”再见"
    assert points == [2, 8]  # not after （, not before ）, 。 or ”


def test_a_stretch_without_marks_still_fits_between_cjk_characters() -> None:
    lines = wrap_cjk("汉" * 60, 26)
    assert len(lines) == 3 and all(len(line) <= 26 for line in lines)
    lines = wrap_cjk("甲" * 10 + "，" + "乙" * 10 + "Sₜ = f(Wᵢₙ X + b)", 12)
    assert "Sₜ = f(Wᵢₙ X + b)" in lines[-1]  # the formula stays whole
    assert not any(line.startswith(tuple(CLOSING)) for line in lines)


def test_english_never_breaks_inside_a_formula() -> None:
    s = "For an RNN it becomes Sₜ = f(Wᵢₙ X + Wₛ Sₜ₋₁ + b): one more term, Wₛ Sₜ₋₁."
    lines = wrap(s, "en", 24).replace("\u00a0", " ").split("\n")
    assert "Sₜ = f(Wᵢₙ X + Wₛ Sₜ₋₁ + b):" in lines
    assert lines[-1].endswith("Wₛ Sₜ₋₁.")


@pytest.mark.parametrize("key", SENTENCES)
def test_no_english_caption_breaks_inside_a_formula(key: str) -> None:
    words = caption_text(key, "en", **FIELDS)
    lines = wrap(words, "en", 80).replace("\u00a0", " ").split("\n")
    # an equation up to its punctuation, and a weight times a state (Wₛ Sₜ₋₁)
    formulas = re.findall(r"\S+ = [^,;:]+?(?=[,;:]|\.(?: |$))|W\S+ [SX]\S*", words)
    for formula in formulas:
        assert any(formula in line for line in lines), f"{key}: {formula!r} broken: {lines}"


def test_marks_become_invisible_breaks_and_leave_no_trace() -> None:
    words = caption_text("r4_shared", "zh")
    assert BREAK in words and MARK not in words
    assert "其实" in strip_breaks(words) and f"其{BREAK}实" not in words
    assert BREAK not in caption_text("r4_shared", "en")
    assert not any(MARK in c["en"] or BREAK in c["en"] + c["zh"] for c in CAPTIONS.values())


@pytest.mark.parametrize("key", SENTENCES)
def test_every_chinese_caption_is_marked_so_that_it_breaks_between_words(key: str) -> None:
    raw = CAPTIONS[key]["zh"]
    # a mark never stands inside a run of Latin letters, digits and symbols (a word, a
    # formula), nor before closing or after opening punctuation
    for run in re.findall(r"[^\u3000-\u9fff\uff00-\uffef]+", raw):
        assert MARK not in run.strip(MARK), f"{key}: a mark inside {run!r}"
    assert not re.search(f"\\{MARK}[{CLOSING}]|[{OPENING}]\\{MARK}", raw)
    words = caption_text(key, "zh", **FIELDS)
    marks = {m.start() - i for i, m in enumerate(re.finditer(BREAK, words))}
    lines = wrap(words, "zh", 38)
    plain = strip_breaks(words)
    assert re.sub(r"\s", "", lines) == re.sub(r"\s", "", plain)  # nothing lost or added
    assert 1 <= len(lines.split("\n")) <= 2, f"{key}: {lines}"
    at = 0
    for line in lines.split("\n")[:-1]:
        at = plain.index(line, at) + len(line)
        assert at in marks or plain[at - 1] in CJK_CLOSING, f"{key}: breaks in a word: {lines}"
        assert wide(plain[at - 1]) or wide(plain[at]), f"{key}: breaks in a formula: {lines}"
    for line in lines.split("\n"):
        assert not line.startswith(tuple(CLOSING)) and not line.endswith(tuple(OPENING))
    widths = [ems(line) for line in lines.split("\n")]
    assert min(widths) >= 0.7 * max(widths), f"{key}: uneven lines: {lines}"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_caption_fits_two_lines_at_the_frames_width(lang: str) -> None:
    pytest.importorskip("manim")
    from manim import config

    from scenes.blocks import Caption

    for key in SENTENCES:
        cap = Caption(caption_text(key, lang, **FIELDS), lang)
        lines = cap.body.height / Caption("字", lang).body.height
        assert lines < 2.5, f"{key} ({lang}) runs to {lines:.1f} lines"
        # not shrunk to fit: the caption's size is the same for all
        assert cap.body.width < config.frame_width - 1.0 - 1e-3, f"{key} ({lang}) is shrunk"


# past the widest numbers any input gives: a sequence of a million steps, a fade of 99x
WIDEST = {"back": 999_999, "near": 999.99, "far": "1.2×10⁻¹⁹", "share": 99.99}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_caption_breaks_into_two_lines_at_most(lang: str) -> None:
    """As the scenes break them (blocks.caption_lines): a third line would run into the
    picture above the caption band."""
    pytest.importorskip("manim")
    from scenes.blocks import caption_lines

    for key in SENTENCES:
        for fields in (FIELDS, WIDEST):
            lines = caption_lines(caption_text(key, lang, **fields), lang).split("\n")
            assert len(lines) <= 2, f"{key} ({lang}) breaks into {len(lines)} lines: {lines}"


def test_a_readouts_digits_are_in_the_face_of_its_words() -> None:
    """L6's readout: its live numbers are set in the label's font (Noto Sans CJK for Chinese),
    not in LaTeX's serif, and a new value keeps the text's place and spacing."""
    pytest.importorskip("manim")
    from scenes.blocks import text
    from scenes.panels import Readout

    readout = Readout("训练第{step}步   损失 {loss:.4f}", "zh", step=30, loss=0.25)
    words_three = text("第3", 22, lang="zh")[1]  # the 3 as the Chinese text draws it
    number_three = readout.numbers["step"][0]
    shape = words_three.points - words_three.get_center()
    assert number_three.points - number_three.get_center() == pytest.approx(shape, abs=1e-6)
    left, width = readout.get_left()[0], readout.numbers["loss"].width
    old = list(readout.numbers["step"])
    readout.set_values(step=300, loss=0.1234)
    assert all(len(glyph.points) == 0 for glyph in old)  # a play drawing them draws nothing
    assert len(readout.numbers["step"]) == 3 and len(readout.numbers["loss"]) == 6
    assert readout.get_left()[0] == pytest.approx(left)
    assert readout.numbers["loss"].width == pytest.approx(width, rel=0.1)
    assert readout.numbers["step"].get_left()[0] > readout[0].get_right()[0]
