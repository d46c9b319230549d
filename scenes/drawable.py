"""Which texts the scenes can draw: checked before rendering, so a hostile --text (or a weights
file's vocabulary) is refused in one line instead of crashing Manim or drawing blank boxes.

Every symbol is drawn alone beside a neuron (scenes/rnn_part.py's symbol(): space, newline and
tab get visible stand-ins). So a character must have a glyph of its own: control and format
characters (a carriage return, zero-width spaces, bidirectional marks) draw nothing, a
combining mark has nothing to sit on, and a character no installed font covers (most emoji:
only colour fonts have them, and Manim cannot draw those) would be an empty box. Text is first
put in NFC, so an accent typed as a separate mark joins its letter when Unicode can.
Right-to-left letters are drawn with a left-to-right mark before them: Pango lays a
right-to-left paragraph out from the right edge of its page, and Manim's text page then shows
nothing.
"""

from __future__ import annotations

import bisect
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable
from functools import cache

from rnncore import RnnError

STAND_INS = {" ": "␣", "\n": "↵", "\t": "⇥"}  # invisible symbols drawn as visible ones
LEFT_TO_RIGHT_MARK = "\u200e"
NO_GLYPH = {
    "Cc": "a control character",
    "Cf": "an invisible format character",
    "Zl": "a line separator",
    "Zp": "a paragraph separator",
    "Zs": "a space other than ' '",
    "Cn": "not a character Unicode has assigned",
    "Co": "a private-use character",
    "Cs": "half of a surrogate pair",
}
MARKS = ("Mn", "Mc", "Me")


def visible(symbol: str) -> str:
    """A vocabulary symbol as Manim's Text can draw it beside a neuron."""
    symbol = STAND_INS.get(symbol, symbol)
    if any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in symbol):
        return LEFT_TO_RIGHT_MARK + symbol
    return symbol


def check_text(text: str, source: str = "--text") -> str:
    """The text in NFC, or RnnError naming the first character that cannot be drawn.
    source: where the user gave it (--text, or RNN3D_TEXT for plain Manim)."""
    text = unicodedata.normalize("NFC", text)
    for k, ch in enumerate(text):
        problem = _problem(ch)
        if problem:
            raise RnnError(
                f"{source} character {k + 1} is {_name(ch)}, {problem}: "
                f"remove it or use another character"
            )
    return text


def check_symbols(
    symbols: Iterable[str], source: str, fix: str = "fix the file's 'vocab' metadata"
) -> None:
    """Every vocabulary symbol (from a weights file, or --vocab) must be drawable; RnnError
    otherwise."""
    for k, symbol in enumerate(symbols):
        for ch in symbol:
            problem = _problem(ch)
            if problem:
                raise RnnError(
                    f"{source}: vocabulary entry {k} {symbol!r} has {_name(ch)}, {problem}: {fix}"
                )


def check_feature_names(names: Iterable[tuple[int, str]], source: str) -> None:
    """The drawn features' names (column, name) from a CSV's header must be drawable; RnnError
    otherwise. A name is drawn whole, so marks and format characters in it are fine; a control
    character is not (NUL crashed Pango, others drew a box with their code), nor one no font
    has (an emoji drew an empty box)."""
    for column, name in names:
        for ch in name:
            problem = _problem(ch)
            if problem and unicodedata.category(ch) not in (*MARKS, "Cf"):
                raise RnnError(
                    f"{source}: the header's name of column {column}, {name!r}, has "
                    f"{_name(ch)}, {problem}: rename the column"
                )


def _problem(ch: str) -> str | None:
    if ch in STAND_INS:
        return None
    category = unicodedata.category(ch)
    if category in NO_GLYPH:
        return f"{NO_GLYPH[category]}, which draws as nothing"
    if category in MARKS:
        return "a combining mark with no letter to sit on (each character is drawn alone)"
    covered = _font_coverage()
    if covered is not None and not _covers(covered, ord(ch)):
        return "which no installed font can draw (emoji need a colour font Manim cannot use)"
    return None


def _name(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return f"U+{ord(ch):04X}{' ' + name if name else ''}"


def _covers(ranges: tuple[list[int], list[int]], code: int) -> bool:
    starts, ends = ranges
    k = bisect.bisect_right(starts, code) - 1
    return k >= 0 and code <= ends[k]


@cache
def _font_coverage() -> tuple[list[int], list[int]] | None:
    """The code points some installed font covers, as sorted merged ranges (from fontconfig,
    which is what Pango falls back through). None when fontconfig cannot tell."""
    if shutil.which("fc-list") is None:
        return None
    try:
        out = subprocess.run(
            ["fc-list", "--format", "%{charset}\n"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    ranges = sorted(_parse_range(item) for item in out.split())
    starts: list[int] = []
    ends: list[int] = []
    for start, end in ranges:
        if ends and start <= ends[-1] + 1:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return (starts, ends) if starts else None


def _parse_range(item: str) -> tuple[int, int]:
    start, _, end = item.partition("-")
    return int(start, 16), int(end or start, 16)
