"""The numbers a part is drawn from: model, trace, the window of steps and the units drawn.

Scenes get every number from here (which gets them from rnncore); they never do the maths.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from rnncore import Model, RnnError, Trace, forward
from rnncore.data import DEFAULT_TEXT, text_data

from .settings import Settings

MAX_STEPS = 8  # at most this many time steps are drawn
MAX_UNITS = 8  # at most this many neurons per drawn layer


@dataclass
class Story:
    model: Model
    trace: Trace  # unbatched, the whole sequence
    window: range  # the steps drawn, a subrange of range(trace.steps)
    labels: list[str]  # per step of the whole sequence: the input symbol ("h") or "x_3"
    targets: np.ndarray | None  # per step: the index of the next character, for text

    @cached_property
    def units(self) -> np.ndarray:
        """The hidden units drawn: all if H <= 8, else the 8 most active over the window."""
        H = self.model.hidden_size
        if H <= MAX_UNITS:
            return np.arange(H)
        activity = np.abs(self.trace.h[self.window.start:self.window.stop]).mean(axis=0)
        return np.sort(np.argsort(-activity, kind="stable")[:MAX_UNITS])

    @property
    def units_note(self) -> str | None:
        H = self.model.hidden_size
        return None if H <= MAX_UNITS else f"{MAX_UNITS} of {H} units shown"


def parse_window(spec: str | None, steps: int) -> range:
    """'A:B' (0-based, B exclusive, like a Python slice) -> range; default the first steps."""
    if not spec:
        return range(min(steps, MAX_STEPS))
    try:
        a_text, b_text = spec.split(":")
        a = int(a_text) if a_text else 0
        b = int(b_text) if b_text else steps
    except ValueError:
        raise RnnError(f"--steps {spec!r} is not of the form A:B, for example 0:8") from None
    if not 0 <= a < b <= steps:
        raise RnnError(f"--steps {spec} is outside the sequence of {steps} steps: "
                       f"choose A:B with 0 <= A < B <= {steps}")
    if b - a > MAX_STEPS:
        raise RnnError(f"--steps {spec} spans {b - a} steps but at most {MAX_STEPS} can be drawn: "
                       f"choose a narrower window, for example {a}:{a + MAX_STEPS}")
    return range(a, b)


def load_story(cell: str, settings: Settings) -> Story:
    """Build the story of a part ("rnn" or "lstm") from the render settings.

    Without --weights, a model of that cell is trained on the data (cached, a few seconds):
    next character for text, next step for a numeric series.
    """
    from rnncore.defaults import trained_model

    model = _given_model(cell, settings.weights) if settings.weights else None
    targets = None
    if settings.data:
        from rnncore.data import load_data

        x = load_data(settings.data)
        labels = [f"x_{t + 1}" for t in range(len(x))]
        if model is None:
            model, _ = trained_model(cell, series=x)
            x, labels = x[:-1], labels[:-1]  # trained to predict x_{t+1} from x_1..x_t
    else:
        text = settings.text or DEFAULT_TEXT
        # A weights file's own vocabulary fixes which input unit each character is.
        data = text_data(text, vocab=model.vocab or None if model else None)
        x, labels, targets = data.x, [data.vocab[int(np.argmax(v))] for v in data.x], data.targets
        if model is None:
            model, _ = trained_model(cell, text=text)
    trace = forward(model, x)
    return Story(model, trace, parse_window(settings.steps, trace.steps), labels, targets)


def _given_model(cell: str, path: str) -> Model:
    from rnncore.weights import load_model

    model = load_model(path)
    if model.cell != cell:
        raise RnnError(f"{path} holds {model.cell.upper()} weights but the "
                       f"{cell.upper()} part needs {cell.upper()} weights")
    return model


def erasing_step(trace: Trace, window: range) -> int:
    """The step of the window where the forget gate erases the most: the largest
    sum over units of (1 - f_t) * |c_{t-1}| (what the eraser removes from the diary).
    Ties go to the earliest step; c_{-1} is the initial cell state c0."""
    assert trace.c is not None and trace.f is not None, "an LSTM trace"
    c_prev = np.concatenate([trace.top.c0[None], trace.c[:-1]])
    erased = ((1.0 - trace.f) * np.abs(c_prev)).sum(axis=-1)
    steps = list(window)
    return steps[int(np.argmax(erased[steps]))]


def zoom_step(story: Story, settings: Settings) -> int:
    """The step shots L3/L4 zoom into: --step T (0-based, inside the window) or erasing_step."""
    if settings.step is None:
        return erasing_step(story.trace, story.window)
    if settings.step not in story.window:
        w = story.window
        raise RnnError(f"--step {settings.step} is outside the drawn window {w.start}:{w.stop}: "
                       f"choose a step T with {w.start} <= T < {w.stop}")
    return settings.step
