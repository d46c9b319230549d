"""Where a caption's lines break: as few lines as fit the width, about equally long, and never
inside a word or a formula.

English breaks at spaces. Chinese has no spaces and no word segmenter is installed, so a
Chinese caption marks where a line may break between its words (BREAK, written "^" in
scenes/captions.py); a line also may break after closing punctuation. Both follow the CJK
rules of line breaking (kinsoku): no line starts with closing punctuation such as ，。）, none
ends with opening punctuation such as （“. The marks are never drawn: wrap() drops them, and
strip_breaks() gives the plain sentence (for subtitles and speaker notes). Neither language
breaks inside a formula: the spaces of "Sₜ = f(Wᵢₙ X + b)" do not break, and a Chinese caption
puts no mark inside one.
"""

from __future__ import annotations

import math
import re
import textwrap
import unicodedata

BREAK = "\u200b"  # zero-width space: a line may break here
CJK_CLOSING = "，。、；：？！…）】》〉」』”’"  # a line may break after one
CLOSING = CJK_CLOSING + ",.;:?!)"  # no line starts with one
OPENING = "（【《〈「『“‘("  # no line ends with one
# a line breaks between two phrases (after punctuation) rather than inside one when its two
# lines then differ by at most this much more, in ems (two lines a, b cost a² + b²)
PHRASE_SLACK = 5.0
NARROW_EM = 0.55  # width of a Latin letter or digit in a CJK font, in widths of a CJK character

SUBSCRIPTS = "ₐₑₒₓₔₕₖₗₘₙₚₛₜᵢᵣᵤᵥᵦᵧᵨᵩᵪ₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎"
_OPERATOR = re.compile(r" ([=*+·]) ")


def strip_breaks(s: str) -> str:
    """The sentence as it is drawn, without its break marks."""
    return s.replace(BREAK, "")


def ems(s: str) -> float:
    """The width of a text in a CJK font, in widths of a CJK character (estimated)."""
    return sum(_char_ems(ch) for ch in s)


def _char_ems(ch: str) -> float:
    if ch == BREAK:
        return 0.0
    return 1.0 if unicodedata.east_asian_width(ch) in "WF" else NARROW_EM


def wrap(s: str, lang: str, width: float) -> str:
    """The caption with "\\n" where its lines break, none longer than width: characters for
    English, CJK character widths (ems()) for Chinese."""
    if lang == "zh":
        return "\n".join(wrap_cjk(s, width))
    return _wrap_words(strip_breaks(s), int(width))


def _wrap_words(s: str, width: int) -> str:
    s = _keep_formulas_whole(s)
    lines = max(1, math.ceil(len(s) / width))
    even = textwrap.wrap(s, min(width, math.ceil(len(s) / lines) + 6), break_long_words=False)
    return "\n".join(
        even if len(even) == lines else textwrap.wrap(s, width, break_long_words=False)
    )


def _keep_formulas_whole(s: str) -> str:
    """No-break spaces where a space is part of a formula: around =, *, + and ·, inside
    parentheses, and between two symbols (Wₛ Sₜ₋₁)."""
    s = _OPERATOR.sub("\u00a0\\1\u00a0", s)
    out, depth = [], 0
    words = s.split(" ")
    for i, word in enumerate(words):
        if i > 0:
            inside = depth > 0 or (_is_symbol(words[i - 1]) and _is_symbol(word))
            out.append("\u00a0" if inside else " ")
        out.append(word)
        depth += word.count("(") - word.count(")")
    return "".join(out)


def _is_symbol(word: str) -> bool:
    """A formula's symbol: a letter with a subscript (Sₜ₋₁), or one capital letter (X)."""
    word = word.strip(",.;:")
    return any(ch in SUBSCRIPTS for ch in word) or (len(word) == 1 and word.isupper())


def break_points(s: str) -> tuple[str, list[int]]:
    """The sentence without its marks, and the places (indices into it) where a line may
    start: at a mark, or after closing punctuation, as kinsoku allows."""
    plain, marked = "", set()
    for ch in s:
        if ch == BREAK:
            marked.add(len(plain))
        else:
            plain += ch
    points = [
        i
        for i in range(1, len(plain))
        if (i in marked or plain[i - 1] in CJK_CLOSING) and _kinsoku_allows(plain, i)
    ]
    return plain, points


def _kinsoku_allows(plain: str, i: int) -> bool:
    return plain[i] not in CLOSING and plain[i - 1] not in OPENING


def wrap_cjk(s: str, width: float) -> list[str]:
    """The lines of a Chinese caption: broken only at its marks and after closing punctuation;
    where a stretch between two of those is wider than a line, also between two CJK
    characters (a caption that forgot its marks still fits; the tests catch it)."""
    plain, points = break_points(s)
    lines = _balanced(plain, points, width)
    if any(ems(line) > width for line in lines):
        anywhere = [
            i
            for i in range(1, len(plain))
            if _char_ems(plain[i - 1]) == _char_ems(plain[i]) == 1.0 and _kinsoku_allows(plain, i)
        ]
        lines = _balanced(plain, sorted(set(points) | set(anywhere)), width)
    return lines


def _balanced(plain: str, points: list[int], width: float) -> list[str]:
    """Split at some of these points: fewest lines over the width, then fewest lines, then
    the least cost: lines as equally long as the points allow (the sum of their squared
    widths, least when the widths spread least around their mean), and phrases kept whole
    (a break that is not after punctuation costs as much as PHRASE_SLACK more difference
    between two lines)."""
    ends = [0, *points, len(plain)]
    # best[j]: (lines over width, lines, cost, previous end) up to ends[j]
    best: list[tuple[int, int, float, int]] = [(0, 0, 0.0, -1)]
    for j in range(1, len(ends)):
        options = []
        for i in range(j):
            over, count, cost, _ = best[i]
            w = ems(plain[ends[i] : ends[j]].strip())
            inside = j < len(ends) - 1 and plain[ends[j] - 1] not in CJK_CLOSING
            cost += w * w + (PHRASE_SLACK**2 / 2 if inside else 0.0)
            options.append((over + (w > width), count + 1, cost, i))
        best.append(min(options))
    lines, j = [], len(ends) - 1
    while j > 0:
        i = best[j][3]
        lines.append(plain[ends[i] : ends[j]].strip())
        j = i
    return lines[::-1]
