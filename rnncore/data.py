"""Data: text becomes one-hot vectors over its vocabulary; CSV and .npy give numeric features.

The built-in default is the classic character-level "hello": vocabulary h, e, l, o; the model
reads h, e, l, l and predicts e, l, l, o. Telling the first 'l' (next: 'l') from the second
(next: 'o') needs memory, which is the point of the videos.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .errors import RnnError

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
    """Characters in order of first appearance ("hello" -> h, e, l, o)."""
    return list(dict.fromkeys(text))


def one_hot(indices: np.ndarray, size: int) -> np.ndarray:
    out = np.zeros((len(indices), size))
    out[np.arange(len(indices)), indices] = 1.0
    return out


def text_data(text: str = DEFAULT_TEXT) -> TextData:
    """Next-character prediction data for a text of at least two characters."""
    if len(text) < 2:
        raise RnnError(f"text {text!r} is too short: give at least two characters")
    vocab = vocabulary(text)
    index = np.array([vocab.index(ch) for ch in text])
    return TextData(one_hot(index[:-1], len(vocab)), index[1:], vocab)
