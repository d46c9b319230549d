"""Texts whose words hold subscripts written in Unicode (Sₜ₋₁, Wᵢₙ, x₁₂), drawn readable.

A font draws a Unicode subscript at about half the size of its letters: in a caption at
font_size 24 the "ₜ" of Sₜ stood 5-6 px tall at 480p, where nothing may be under 12 px. So a run
of subscript characters is drawn as the plain characters it stands for ("ₜ₋₁" as "t-1"), at
SUBSCRIPT_SCALE of the text's size but never under SUBSCRIPT_LEAST, and lowered by
SUBSCRIPT_DROP of a capital's height: a smaller glyph on a lower baseline, as LaTeX sets one.
The run is smaller in the text's layout (a Pango span), so the words around it keep their
spacing; it is lowered afterwards, so the lines keep their height.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from xml.sax.saxutils import escape

from manim import DOWN, MarkupText, Text

from .layout import SUBSCRIPT_DROP, SUBSCRIPT_LEAST, SUBSCRIPT_SCALE

# Unicode's subscript letters, digits and signs (each reads as its NFKC form: "ₜ" as "t")
SUBSCRIPTS = "ₐₑₒₓₔₕₖₗₘₙₚₛₜᵢᵣᵤᵥᵦᵧᵨᵩᵪ₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎"
_RUN = re.compile(f"[{SUBSCRIPTS}]+")


def plain(run: str) -> str:
    """A run of subscript characters as the characters they stand for ("ₜ₋₁" -> "t-1")."""
    return unicodedata.normalize("NFKC", run).replace("\u2212", "-")


def subscript_size(font_size: float) -> float:
    return max(SUBSCRIPT_SCALE * font_size, SUBSCRIPT_LEAST)


@cache
def _capital_height(font: str) -> float:
    """The height of a capital at font_size 1 in this font (frame units)."""
    return float(Text("H", font_size=48, font=font).height) / 48


def sub_text(s: str, font_size: float, color: str, font: str = "") -> Text | MarkupText:
    """s as a Text, or, when it holds Unicode subscripts, as a MarkupText with each run of them
    drawn as real glyphs of subscript_size(font_size), lowered (see the module)."""
    runs = list(_RUN.finditer(s))
    if not runs:
        return Text(s, font_size=font_size, color=color, font=font)
    share = f"{100 * subscript_size(font_size) / font_size:.2f}%"
    markup, lowered, at = [], [], 0  # lowered: the glyphs of the runs, by index
    glyphs = 0  # glyphs so far: one per character that is not white space
    for run in runs:
        before = s[at : run.start()]
        glyphs += sum(not ch.isspace() for ch in before)
        sub = plain(run.group())
        lowered += range(glyphs, glyphs + len(sub))
        glyphs += len(sub)
        markup += [escape(before), f'<span size="{share}">{escape(sub)}</span>']
        at = run.end()
    markup.append(escape(s[at:]))
    mob = MarkupText(
        "".join(markup), font_size=font_size, color=color, font=font, disable_ligatures=True
    )
    drop = SUBSCRIPT_DROP * _capital_height(font) * font_size
    if len(mob.submobjects) == glyphs + sum(not ch.isspace() for ch in s[at:]):
        for k in lowered:
            mob.submobjects[k].shift(DOWN * drop)
    return mob
