"""TEMPORARY (to be replaced by the Learning work): untrained models so scenes can be built.

Contract: trained_model(cell, text=None, series=None) -> (Model, History), training on the text
(next character, softmax head) or the series (next step, linear head), cached on disk.
"""

from __future__ import annotations

import numpy as np

from .data import DEFAULT_TEXT, text_data
from .model import Model, init_model

DEFAULT_HIDDEN = 8


def trained_model(cell: str, text: str | None = None,
                  series: np.ndarray | None = None) -> tuple[Model, object]:
    if series is not None:
        s = series if series.ndim == 2 else series[:, None]
        m = init_model(cell, s.shape[1], DEFAULT_HIDDEN, 1, s.shape[1], seed=0, output="linear")
        return m, None
    d = text_data(text or DEFAULT_TEXT)
    m = init_model(cell, len(d.vocab), DEFAULT_HIDDEN, 1, len(d.vocab), seed=0, vocab=d.vocab)
    return m, None
