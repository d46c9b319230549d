"""Data: text becomes one-hot vectors over its vocabulary; CSV and .npy give numeric features.

The built-in default is the classic character-level "hello": vocabulary h, e, l, o; the model
reads h, e, l, l and predicts e, l, l, o. Telling the first 'l' (next: 'l') from the second
(next: 'o') needs memory, which is the point of the videos.
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .errors import RnnError, first_line, plural
from .files import existing_file, not_utf8

DEFAULT_TEXT = "hello"


@dataclass
class TextData:
    """x: (T, V) one-hot inputs text[:-1]; targets: (T,) vocabulary index of text[1:]."""

    x: np.ndarray
    targets: np.ndarray
    vocab: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.vocab[int(np.argmax(v))] for v in self.x) + self.vocab[self.targets[-1]]


def vocabulary(text: str) -> list[str]:
    """Characters in order of first appearance ("hello" -> h, e, l, o): rnn3d's default order.
    (Many character models use sorted(set(text)) instead: give theirs to read_vocab.)"""
    return list(dict.fromkeys(text))


def read_vocab(spec: str, source: str) -> list[str]:
    """A model's symbols in index order as a user gives them, a string of characters ("ehlo")
    or the name of a .json file holding a list of them (["e", "h", "l", "o"]); source: where
    the user gave it, for the messages (the CLI's "--vocab")."""
    if not spec.lower().endswith(".json"):
        # a file of another kind, not characters ('/' twice, ...); a name without a suffix or
        # a folder in it ("helo") is characters even if the current folder holds such a file
        if (os.sep in spec or os.path.splitext(spec)[1]) and os.path.exists(spec):
            raise RnnError(
                f"{source} {spec} is a path but not a .json file: give the characters as a string, "
                f'or a .json file holding their list, such as ["e", "h", "l", "o"]'
            )
        return check_vocab(list(spec), source)
    p = existing_file(spec, "vocabulary")
    try:  # utf-8-sig, as a CSV is read: Notepad's "UTF-8 with BOM" is UTF-8 too
        vocab = json_strings(p.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as err:
        raise not_utf8(p, err) from None
    except (OSError, ValueError) as err:
        raise RnnError(f"{p} is not a readable JSON file ({first_line(err)})") from None
    if vocab is None:
        raise RnnError(
            f'{p} must hold a JSON list of strings in index order, such as ["e", "h", "l", "o"]'
        )
    return check_vocab(vocab, str(p))


def json_value(raw: str | bytes) -> Any:
    """json.loads for the JSON in users' files: ValueError for any that is not JSON, also for
    one nested too deeply for Python's parser ([[[[...), which raised RecursionError (exit 70,
    "a bug in rnn3d") from a vocabulary file, a weights file's metadata or a .keras config."""
    try:
        return json.loads(raw)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


def json_strings(raw: str) -> list[str] | None:
    """The list of strings a JSON text holds (a vocabulary, in a file or in a weights file's
    metadata), or None if it holds anything else; ValueError if it is not JSON."""
    value = json_value(raw)
    if isinstance(value, list) and all(isinstance(s, str) for s in value):
        return value
    return None


def check_vocab(vocab: list[str], source: str) -> list[str]:
    """A vocabulary for text read character by character: single characters, each once."""
    if not vocab:
        raise RnnError(
            f"{source}: the vocabulary is empty: give the model's characters in index order"
        )
    for k, s in enumerate(vocab):
        bad = _not_encodable(s)
        if bad:
            raise RnnError(f"{source}: symbol {k} is {bad}: give the characters as UTF-8 text")
        if len(s) != 1:
            raise RnnError(
                f"{source}: symbol {s!r} is not one character; rnn3d reads text "
                f"character by character"
            )
    repeated = next((s for n, s in enumerate(vocab) if s in vocab[:n]), None)
    if repeated is not None:
        raise RnnError(
            f"{source}: {repeated!r} appears twice in the vocabulary: give each "
            f"character once, in the model's index order"
        )
    return list(vocab)


def _not_encodable(s: str) -> str | None:
    """What a string holds that no file can be written with (a trace, the weights' vocabulary):
    a byte that was not UTF-8 where the text came in (Python keeps it as U+DC80..U+DCFF), or
    half of a surrogate pair; None if nothing."""
    for ch in s:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:
            return f"the byte 0x{code - 0xDC00:02x}, which is not UTF-8"
        if 0xD800 <= code <= 0xDFFF:
            return f"U+{code:04X}, half of a surrogate pair"
    return None


def one_hot(indices: np.ndarray, size: int) -> np.ndarray:
    out = np.zeros((len(indices), size))
    out[np.arange(len(indices)), indices] = 1.0
    return out


def text_data(text: str = DEFAULT_TEXT, vocab: list[str] | None = None) -> TextData:
    """Next-character prediction data for a text of at least two characters.

    vocab: the symbols of a model's input units (from its weights file); by default the text's
    own characters in order of first appearance.
    """
    if len(text) < 2:
        raise RnnError(f"text {text!r} is too short: give at least two characters")
    if text.isspace():  # a model learns nothing from it, and the videos show a row of ␣
        raise RnnError(
            f"the text is only whitespace ({len(text)} characters): there is nothing to read; "
            "give a text with letters, digits or signs"
        )
    for k, ch in enumerate(text):
        bad = _not_encodable(ch)
        if bad:
            raise RnnError(f"character {k + 1} of the text is {bad}: give the text as UTF-8")
    vocab = vocabulary(text) if not vocab else list(vocab)
    unknown = [ch for ch in dict.fromkeys(text) if ch not in vocab]
    if unknown:
        raise RnnError(
            f"character {unknown[0]!r} of the text is not in the model's vocabulary "
            f"{_shown(vocab)}: use only those characters"
        )
    index = np.array([vocab.index(ch) for ch in text])
    return TextData(one_hot(index[:-1], len(vocab)), index[1:], vocab)


def _shown(vocab: list[str], most: int = 60) -> str:
    """A vocabulary as a message shows it: whole when short, else its start and its size (one
    of 20,000 characters made a line of 20,000)."""
    if len(vocab) <= most:
        return repr("".join(vocab))
    return f"{''.join(vocab[:most])!r}... ({len(vocab):,} characters)"


# Numeric data: rows are time steps, columns are features.


@dataclass
class NumericData:
    """x: (T, I) float64, rows are time steps; names: one per feature from a CSV's header
    ("" for a blank cell of it), or empty when the file names none (no header, .npy)."""

    x: np.ndarray
    names: list[str] = field(default_factory=list)


def load_data(path: str | os.PathLike[str]) -> np.ndarray:
    """A numeric sequence of shape (T, I), float64, from a .csv or .npy file (load_numeric's
    numbers, for the callers that need no feature names)."""
    return load_numeric(path).x


def load_numeric(path: str | os.PathLike[str]) -> NumericData:
    """A numeric sequence of shape (T, I), float64, and its features' names, from a .csv or
    .npy file.

    CSV: comma-separated, one row per time step, one column per feature; the first row may be
    a header (it is one if any of its cells is not a number), which names the features. .npy:
    an array of shape (T,) (one feature) or (T, I). Empty, ragged, non-numeric and non-finite
    data raise RnnError.
    """
    p = existing_file(path, "data")
    suffix = p.suffix.lower()
    names: list[str] = []
    if suffix == ".csv":
        data, names = _read_csv(p)
    elif suffix == ".npy":
        data = _read_npy(p)
    else:
        raise RnnError(
            f"unknown data format {suffix or p.name!r}: use a .csv or .npy file of numbers "
            f"(characters are read as a text, not as data)"
        )
    if data.ndim == 1:
        data = data[:, None]
    _check_finite(data, p)
    return NumericData(data, names)


def _read_csv(p: os.PathLike[str]) -> tuple[np.ndarray, list[str]]:
    """The rows of numbers, and the header's names (empty without a header)."""
    try:
        with open(p, newline="", encoding="utf-8-sig") as fh:
            lines = [
                (n, row)
                for n, row in enumerate(csv.reader(fh), start=1)
                if any(cell.strip() for cell in row)
            ]
    except UnicodeDecodeError as err:
        raise not_utf8(p, err, "save it as UTF-8 (a spreadsheet's CSV UTF-8)") from None
    except csv.Error as err:
        raise RnnError(f"{p} is not a readable CSV text file ({err})") from None
    header = None
    if lines and not all(_is_number(cell) for cell in lines[0][1]):
        header, lines = lines[0], lines[1:]
    if not lines:
        _refuse_open_quote(p)
        raise RnnError(f"{p} has no data rows: give one row of numbers per time step")
    width = len(lines[0][1])
    rows = []
    for n, row in lines:
        if len(row) != width:
            if any("\n" in cell for cell in row):  # '"3,4' opened a cell that ran to the end
                _refuse_open_quote(p)
            raise RnnError(
                f"{p} is ragged: line {n} has {plural(len(row), 'column')} but line "
                f"{lines[0][0]} has {width}; give every step the same features"
            )
        for col, cell in enumerate(row, start=1):
            if not _is_number(cell):
                if "\n" in cell:  # a quoted cell ran over lines: a quote never closed?
                    _refuse_open_quote(p)
                raise RnnError(
                    f"{p} line {n}, column {col}: {cell.strip()!r} is not a number: "
                    f"{_what_to_do(cell, lines)}"
                )
        rows.append([float(cell) for cell in row])
    if header is not None and len(header[1]) != width:
        _refuse_header(p, header, lines)
    if header is None:
        _refuse_split_decimals(p, lines)
    names = [] if header is None else [feature_name(cell) for cell in header[1]]
    return np.array(rows, dtype=np.float64), names


def _refuse_open_quote(p: os.PathLike[str]) -> None:
    """RnnError for a quote that is never closed: CSV reads the rest of the file after it as
    one cell, so a file of many rows read as a header alone ("has no data rows")."""
    with open(p, encoding="utf-8-sig") as fh:
        text = fh.read()
    if text.count('"') % 2:
        line = text[: text.rfind('"')].count("\n") + 1
        raise RnnError(
            f'{p} has a quote (") that is never closed, so everything after it reads as one '
            f"cell (the last quote is on line {line}): close it or remove it"
        )


def feature_name(cell: str) -> str:
    """A header cell as a name to show: its whitespace (a quoted cell may hold line breaks and
    tabs) collapsed to single spaces, so it draws on one line."""
    return " ".join(cell.split())


def _refuse_header(
    p: os.PathLike[str], header: tuple[int, list[str]], lines: list[tuple[int, list[str]]]
) -> None:
    """RnnError for a header of another width than the rows. A column of numbers with
    decimal commas (0,5) reads as two columns of whole numbers under a header of one name:
    the one case of decimal commas that was not an error, and a wrong series."""
    n, names = header
    first, width = lines[0][0], len(lines[0][1])
    columns = plural(len(names), "column")
    wrong = f"{p} is ragged: its header (line {n}) names {columns} but line {first} has {width}"
    if len(names) == 1 and all(DECIMAL_COMMA.fullmatch(",".join(row)) for _, row in lines):
        raise RnnError(f"{wrong}: {_decimal_comma_advice(','.join(lines[0][1]), first)}")
    raise RnnError(f"{wrong}: give each column one name, and every step the same features")


def _refuse_split_decimals(p: os.PathLike[str], lines: list[tuple[int, list[str]]]) -> None:
    """RnnError for a headerless column of numbers with decimal commas (0,5 1,25 -0,75),
    which CSV splits into two columns of whole numbers. Every line two whole numbers alone is
    no proof (a step and a count is a real file of them), so this also needs a sign that no
    column of whole numbers writes: a negative zero (-0,75 split is -0 and 75), or digits
    after the comma with a leading zero (0,05) while those cells differ in length (a padded
    column, 2024,03 for a year and a month, pads every cell to one length; a fraction's
    digits, as a spreadsheet writes them, do not). A fraction written to a fixed number of
    places (0,50 0,05) stays two columns: refusing it would refuse padded whole numbers too."""
    if not all(len(row) == 2 and SPLIT_DECIMAL.fullmatch(",".join(row)) for _, row in lines):
        return
    fractions = [row[1].strip() for _, row in lines]
    padded = len({len(f) for f in fractions}) > 1
    for n, row in lines:
        whole, fraction = (c.strip() for c in row)
        if whole in ("-0", "+0") or (padded and fraction.startswith("0") and len(fraction) > 1):
            raise RnnError(f"{p}: {_decimal_comma_advice(','.join(row), n)}")


# A line of two whole numbers, the second unsigned: how a decimal-comma number reads in CSV
SPLIT_DECIMAL = re.compile(r"\s*[+-]?\d+\s*,\s*\d+\s*")
# A number written with a decimal comma, as spreadsheets in many languages save it: 0,5 -1,25e3
DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+(?:[eE][+-]?\d+)?")
OTHER_SEPARATORS = r"[;\t ]+"


def _what_to_do(cell: str, lines: list[tuple[int, list[str]]]) -> str:
    """Advice for a cell that is not a number. Decimal commas anywhere in the file are said
    first: splitting them at their commas made the cells wrong, and "separate the columns with
    commas" alone would make the file worse. Then numbers split by another separator ("3;4",
    "3 4") are columns the file does not separate with commas."""
    found = _decimal_comma(lines)
    if found:
        return _decimal_comma_advice(*found)
    parts = [part for part in re.split(OTHER_SEPARATORS, cell.strip()) if part]
    if len(parts) > 1 and all(_is_number(part) for part in parts):
        return "separate the columns with commas"
    return "give numbers only (one header row allowed): drop text columns such as dates or names"


def _decimal_comma_advice(example: str, n: int) -> str:
    return (
        f"the numbers are written with decimal commas ({example} on line {n}): "
        "write decimal points (0.5), and commas between the columns"
    )


def _decimal_comma(lines: list[tuple[int, list[str]]]) -> tuple[str, int] | None:
    """The first number written with a decimal comma, and its line: in a line of numbers
    split by another separator (0,5;1,25) or in quoted cells ("0,5","1,25"). A line split by
    commas only (0,5) is two columns to CSV, and stays so."""
    for n, row in lines:
        parts = [c.strip().strip('"') for c in re.split(OTHER_SEPARATORS, ",".join(row))]
        parts = [c for c in parts if c]
        if len(parts) == 1:  # no other separator: a decimal comma can only be in quotes
            parts = [c.strip() for c in row]
        commas = [c for c in parts if DECIMAL_COMMA.fullmatch(c)]
        if commas and all(c in commas or _is_number(c) for c in parts):
            return commas[0], n
    return None


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _read_npy(p: os.PathLike[str]) -> np.ndarray:
    try:
        _check_npy_length(p)
        data = np.load(p, allow_pickle=False)
    except ValueError as err:
        if "allow_pickle" in str(err):
            raise RnnError(
                f"{p} holds Python objects, which rnn3d never unpickles: save a numeric array"
            ) from None
        raise RnnError(f"{p} is not a valid .npy file ({err})") from None
    except (OSError, EOFError) as err:
        raise RnnError(f"{p} is not a valid .npy file ({err})") from None
    if not isinstance(data, np.ndarray):
        raise RnnError(f"{p} is not a single .npy array: save one array with np.save")
    if data.dtype.kind not in "biuf":
        raise RnnError(f"{p} holds {data.dtype} values, not real numbers: save a numeric array")
    if data.ndim not in (1, 2):
        raise RnnError(
            f"{p} has shape {data.shape}: give shape (T,) or (T, I), rows are time steps"
        )
    if data.size == 0:
        raise RnnError(f"{p} is empty (shape {data.shape}): give at least one time step")
    return data.astype(np.float64)


def _check_npy_length(p: os.PathLike[str]) -> None:
    """A file shorter than its header's shape says is damaged: refused before numpy allocates
    the shape (a header saying (10**13, 2) was "out of memory", a fault of the machine)."""
    with open(p, "rb") as fh:
        version = np.lib.format.read_magic(fh)
        read_header = (
            np.lib.format.read_array_header_1_0
            if version == (1, 0)
            else np.lib.format.read_array_header_2_0
        )
        shape, _, dtype = read_header(fh)
        held = os.fstat(fh.fileno()).st_size - fh.tell()
    needed = math.prod(shape) * dtype.itemsize
    if not dtype.hasobject and needed > held:
        raise ValueError(
            f"its header says shape {shape} of {dtype}, {needed} bytes, but it holds {held}: "
            "the file is cut short"
        )


def _check_finite(data: np.ndarray, p: os.PathLike[str]) -> None:
    bad = np.argwhere(~np.isfinite(data))
    if len(bad):
        t, col = (int(v) for v in bad[0])
        value = data[t, col]
        what = "nan" if math.isnan(value) else str(value)
        raise RnnError(
            f"{p}: step {t + 1}, feature {col + 1} is {what}: every value must be a finite number"
        )
