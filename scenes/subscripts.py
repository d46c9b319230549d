"""Texts whose words hold subscripts written in Unicode (Sₜ₋₁, Wᵢₙ, x₁₂), or superscripts
(2.4×10⁻⁸), drawn readable.

A font draws a Unicode subscript at about half the size of its letters: in a caption at
font_size 24 the "ₜ" of Sₜ stood 5-6 px tall at 480p, where nothing may be under 12 px. So a run
of subscript characters is drawn as the plain characters it stands for ("ₜ₋₁" as "t-1"), at
SUBSCRIPT_SCALE of the text's size but never under SUBSCRIPT_LEAST, and lowered by
SUBSCRIPT_DROP of a capital's height (a superscript raised by SUPERSCRIPT_RISE): a smaller
glyph on a lower (higher) baseline, as LaTeX sets one.
The run is smaller in the text's layout (a Pango span), so the words around it keep their
spacing; it is lowered afterwards, so the line keeps its height; the lines stand as far apart
as a Text's.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from xml.sax.saxutils import escape

from manim import DOWN, LEFT, ORIGIN, RIGHT, UP, MarkupText, Text, VGroup, VMobject

from .layout import SUBSCRIPT_DROP, SUBSCRIPT_LEAST, SUBSCRIPT_SCALE, SUPERSCRIPT_RISE
from .linebreak import SUBSCRIPTS

# Unicode's superscript digits and signs; its subscripts are linebreak's (a word with one
# is a formula's symbol there). Each reads as its NFKC form: "ₜ" as "t", "⁻⁹" as "-9".
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁱⁿ"
_RUN = re.compile(f"[{SUBSCRIPTS}]+|[{SUPERSCRIPTS}]+")


def plain(run: str) -> str:
    """A run of subscript characters as the characters they stand for ("ₜ₋₁" -> "t-1")."""
    return unicodedata.normalize("NFKC", run).replace("\u2212", "-")


def subscript_size(font_size: float) -> float:
    return max(SUBSCRIPT_SCALE * font_size, SUBSCRIPT_LEAST)


@cache
def _capital_height(font: str) -> float:
    """The height of a capital at font_size 1 in this font (frame units)."""
    return float(Text("H", font_size=48, font=font).height) / 48


@cache
def _line_pitch(font: str) -> float:
    """From one line's baseline to the next's in a Text of this font at font_size 1 (a
    MarkupText of several lines sets them further apart, in a CJK font by a quarter)."""
    return float(Text("H\nH", font_size=48, font=font).height - _capital_height(font) * 48) / 48


def sub_text(s: str, font_size: float, color: str, font: str = "") -> VMobject:
    """s as a Text, or, when it holds Unicode subscripts or superscripts, line by line as
    MarkupTexts with each run of them drawn as real glyphs of subscript_size(font_size),
    lowered or raised (see the module); the lines as far apart as a Text's."""
    if not _RUN.search(s):
        return Text(s, font_size=font_size, color=color, font=font)
    lines = VGroup()
    for k, words in enumerate(s.split("\n")):
        line, baseline = _line(words, font_size, color, font)
        lines.add(line.shift(DOWN * (k * _line_pitch(font) * font_size + baseline)))
    for later, words in zip(lines[1:], s.split("\n")[1:], strict=True):
        # indented by its leading spaces, as a Text sets it (a glyph-less space does not
        # show in the line's box: R5's x_t, values on a second line under the first's)
        indent = (len(words) - len(words.lstrip(" "))) * _space_width(font) * font_size
        later.align_to(lines[0], LEFT).shift(RIGHT * indent)
    return lines.move_to(ORIGIN)


@cache
def _space_width(font: str) -> float:
    """How far a space moves the words after it, at font_size 1 in this font."""
    return (
        float(
            Text("H H", font_size=48, font=font).width - Text("HH", font_size=48, font=font).width
        )
        / 48
    )


def _line(words: str, font_size: float, color: str, font: str) -> tuple[VGroup, float]:
    """One line of words with subscripts or superscripts, and the height of its baseline."""
    share = f"{100 * subscript_size(font_size) / font_size:.2f}%"
    markup, moved, at = [], [], 0  # moved: the glyphs of the runs (index, raised)
    glyphs = 0  # glyphs so far: one per character that is not white space
    for run in _RUN.finditer(words):
        before = words[at : run.start()]
        glyphs += sum(not ch.isspace() for ch in before)
        sub = plain(run.group())
        up = run.group()[0] in SUPERSCRIPTS
        moved += [(k, up) for k in range(glyphs, glyphs + len(sub))]
        glyphs += len(sub)
        markup += [escape(before), f'<span size="{share}">{escape(sub)}</span>']
        at = run.end()
    glyphs += sum(not ch.isspace() for ch in words[at:])
    # a capital after the words marks their baseline; it is taken out once read
    markup += [escape(words[at:]), "H"]
    mob = MarkupText(
        "".join(markup), font_size=font_size, color=color, font=font, disable_ligatures=True
    )
    *drawn, mark = mob.submobjects
    if len(drawn) == glyphs:  # a glyph per character (else the runs stay where they are)
        caps = _capital_height(font) * font_size
        for k, up in moved:
            drawn[k].shift(UP * SUPERSCRIPT_RISE * caps if up else DOWN * SUBSCRIPT_DROP * caps)
    return VGroup(*drawn), float(mark.get_bottom()[1])
