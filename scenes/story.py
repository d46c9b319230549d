"""The numbers a part is drawn from: model, trace, the window of steps and the units drawn.

Scenes get every number from here (which gets them from rnncore); they never do the maths.
Story is what both parts read; PartView cuts it to what is drawn (the window's steps, the drawn
units) and each part's view (story_rnn.RNNView, story_lstm.LSTMView) adds what its shots show.
All plain numpy, tested without Manim (tests/test_story.py).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from rnncore import Model, RnnError, Trace, forward
from rnncore.data import DEFAULT_TEXT
from rnncore.errors import plural

from .drawable import check_feature_names, check_symbols, visible
from .settings import Settings, check_vocab_goes_with_text

MAX_STEPS = 8  # at most this many time steps are drawn
MAX_UNITS = 8  # at most this many neurons per drawn layer


@dataclass
class Story:
    model: Model
    trace: Trace  # unbatched, the whole sequence
    window: range  # the steps drawn, a subrange of range(trace.steps)
    labels: list[str]  # per step of the whole sequence: the input symbol ("h") or "x_3"
    targets: np.ndarray | None  # per step: the index of the next character, for text
    notes: list[str] = field(default_factory=list)  # for the user: an assumed vocabulary, ...
    # the head's output i is the next step's feature i: rnn3d trained the model on the series
    # (a user's --weights may predict anything)
    predicts_next: bool = False

    @cached_property
    def units(self) -> np.ndarray:
        """The hidden units drawn: all if H <= 8, else the 8 most active over the window."""
        H = self.model.hidden_size
        if H <= MAX_UNITS:
            return np.arange(H)
        activity = np.abs(self.trace.h[self.window.start : self.window.stop]).mean(axis=0)
        return np.sort(np.argsort(-activity, kind="stable")[:MAX_UNITS])

    @property
    def units_note(self) -> str | None:
        H = self.model.hidden_size
        return None if H <= MAX_UNITS else f"{MAX_UNITS} of {H} units shown"


def symbol(s: str) -> str:
    """A vocabulary symbol as it can be printed beside a neuron."""
    return visible(s)


def columns(s: str) -> int:
    """How many columns a text takes in a monospaced sense: a wide (CJK) character two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def shortened(name: str, width: int) -> str:
    """The name, or as much of it as fits width columns with an ellipsis after it."""
    if columns(name) <= width:
        return name
    kept = ""
    for ch in name:
        if columns(kept + ch) + 1 > width:  # the ellipsis takes a column
            break
        kept += ch
    return kept.rstrip() + "…"


def latex_number(x: float) -> str:
    r"""A measured figure in LaTeX: 0.43, or 3.2 \cdot 10^{-9} when small."""
    if x == 0 or abs(x) >= 0.01:
        return f"{x:.2f}"
    mantissa, exponent = f"{x:.1e}".split("e")
    return rf"{mantissa} \cdot 10^{{{int(exponent)}}}"


def drawn_io_units(story: Story) -> tuple[np.ndarray, np.ndarray | None]:
    """Which input and output units are drawn (at most MAX_UNITS each).

    Text: the symbols the window reads or should predict come first, then the rest of the
    vocabulary in order. Numeric data: the first features. No output units without a head.
    """
    x = story.trace.top.x
    n_in = x.shape[-1]
    n_out = None if story.trace.y is None else story.trace.y.shape[-1]
    if story.targets is not None and story.model.num_layers == 1:
        w = story.window
        seen = [int(np.argmax(v)) for v in x[w.start : w.stop]] + list(
            story.targets[w.start : w.stop]
        )
        order = list(dict.fromkeys([*seen, *range(n_in)]))[:MAX_UNITS]
        units = np.array(sorted(order))
        if n_out == n_in:
            return units, units
    else:
        units = np.arange(min(n_in, MAX_UNITS))
    return units, None if n_out is None else np.arange(min(n_out, MAX_UNITS))


class PartView:
    """A story cut to what is drawn: the window's steps (k = 0..K-1) and the drawn units.

    xs, ys: (K, drawn inputs / outputs) what x_t and y_t show (ys None without a head);
    is_text: the inputs are one-hot characters (a one-layer model reading text), so units and
    steps are named by their symbols."""

    def __init__(self, story: Story) -> None:
        self.story, w, tr = story, story.window, story.trace
        self.K, self.start = len(w), w.start
        self.units = story.units
        self.in_units, self.out_units = drawn_io_units(story)
        self.is_text = story.targets is not None and story.model.num_layers == 1
        self.vocab = tr.vocab or story.model.vocab
        self.xs = tr.top.x[w.start : w.stop][:, self.in_units]
        self.ys = (
            None
            if tr.y is None or self.out_units is None
            else tr.y[w.start : w.stop][:, self.out_units]
        )
        self.softmax = story.model.output == "softmax"
        # the head scores the characters (one output per symbol), so outputs are named by them;
        # a text model's head may also predict something else (a class, a value)
        self.predicts_text = self.is_text and story.model.output_size == len(self.vocab)

    def step_number(self, k: int) -> int:
        """The number of the k-th drawn step: 0-based, as --steps and --step count them (the
        first input read is step 0, and S_0 the state after it)."""
        return self.start + k

    def window(self, a: np.ndarray) -> np.ndarray:
        """A per-step array of the whole sequence, cut to the drawn steps and units."""
        return a[self.start : self.start + self.K][:, self.units]

    def input_symbol(self, k: int) -> str:
        """What the k-th drawn step reads: its character, or its first feature's value."""
        if self.is_text:
            return symbol(self.story.labels[self.start + k])
        return f"{self.xs[k][0]:+.2f}"

    @property
    def reads_columns(self) -> bool:
        """The x layer shows several columns of numeric data: a one-layer model reading a CSV
        (a deeper one's x layer holds the state of the layer below, not the data)."""
        one_layer = self.story.model.num_layers == 1
        return self.story.targets is None and one_layer and self.xs.shape[1] > 1

    def input_values(self, k: int) -> list[str]:
        """The whole input of the k-th drawn step: its character, or its value, or every
        drawn feature's value when the x layer shows several columns of data."""
        if not self.reads_columns:
            return [self.input_symbol(k)]
        return [f"{x:+.2f}" for x in self.xs[k]]

    def unit_names(self, units: np.ndarray | None, letter: str) -> list[str] | None:
        """Input or output units by their symbols (text) or as x1, x2, ... (numbers)."""
        if units is None:
            return None
        if self.is_text and self.vocab and (letter == "x" or self.predicts_text):
            return [symbol(self.vocab[i]) for i in units]
        return [f"{letter}{i + 1}" for i in units]

    @property
    def feature_names(self) -> list[str] | None:
        """The drawn features by their names in the CSV's header (a blank name as x1, x2, ...,
        the neuron's own), or None when the x layer is not the data (text, a deeper model's
        top layer) or the data names no feature. Whole: a scene shortens a long one to the
        room it has (blocks.fitted_text)."""
        features = self.story.trace.features
        if self.story.targets is not None or self.story.model.num_layers > 1 or not features:
            return None
        return [features[i] or f"x{i + 1}" for i in self.in_units]

    @property
    def feature_key(self) -> list[tuple[str, str]] | None:
        """What ties the x layer's neurons (x1, x2, ...) to the features' names: (x1, name)
        per drawn feature the header names, or None when it names none."""
        names = self.feature_names
        if names is None:
            return None
        key = [(f"x{i + 1}", name) for i, name in zip(self.in_units, names, strict=True)]
        return [(x, name) for x, name in key if x != name] or None

    @property
    def out_scale(self) -> str:
        return "sequential" if self.softmax else "diverging"

    @property
    def out_norm(self) -> float:
        """What outputs are divided by before colouring: probabilities as they are."""
        if self.softmax or self.ys is None:
            return 1.0
        return max(float(np.abs(self.ys).max()), 1e-9)


def parse_window(spec: str | None, steps: int, name: str = "--steps") -> range:
    """'A:B' (0-based, B exclusive, like a Python slice) -> range; default the first steps.
    An open end reaches as far as can be drawn: 'A:' is up to MAX_STEPS steps from A, ':B' up
    to MAX_STEPS ending at B (as a slice, A: ran to the end of the sequence, too wide to draw
    for any sequence more than MAX_STEPS past A). name: how the user gave it (Settings.named)."""
    if not spec:
        return range(min(steps, MAX_STEPS))
    try:
        a_text, b_text = spec.split(":")
        a = int(a_text) if a_text.strip() else None
        b = int(b_text) if b_text.strip() else None
    except ValueError:
        raise RnnError(
            f"{name} {spec!r} is not of the form A:B, A: or :B, for example 0:8"
        ) from None
    if a is None:
        a = 0 if b is None else max(0, b - MAX_STEPS)
    if b is None:
        b = min(a + MAX_STEPS, steps)
    if not 0 <= a < b <= steps:
        raise RnnError(
            f"{name} {spec} is outside the sequence of {plural(steps, 'step')}: "
            f"choose A:B with 0 <= A < B <= {steps}"
        )
    if b - a > MAX_STEPS:
        raise RnnError(
            f"{name} {spec} spans {b - a} steps but at most {MAX_STEPS} can be drawn: "
            f"choose a narrower window, for example {a}:{a + MAX_STEPS}"
        )
    return range(a, b)


def sequence_steps(settings: Settings) -> int:
    """How many steps load_story's trace has, found without a model: a text of n characters
    reads n - 1 (each one predicts the next); numeric data reads every row with --weights,
    and all but the last without (the built-in model learns each next row from those before)."""
    if settings.data:
        from rnncore.data import load_data

        rows = len(load_data(settings.data))
        return rows if settings.weights else rows - 1
    return len(DEFAULT_TEXT if settings.text is None else settings.text) - 1


def known_window(settings: Settings) -> range | None:
    """The window load_story draws, if the settings give it without loading a model; None
    when they are wrong (load_story reports that)."""
    try:
        return parse_window(settings.steps, sequence_steps(settings), settings.named("steps"))
    except (RnnError, OSError):
        return None


def load_story(cell: str, settings: Settings, like: Model | None = None) -> Story:
    """Build the story of a part ("rnn" or "lstm") from the render settings.

    Without --weights, a model of that cell is trained on the data (cached, a few seconds):
    next character for text (in --vocab's order, else the text's), next step for a numeric
    series; like: train it with this model's hidden size and vocabulary (to compare with it).
    """
    from rnncore.data import read_vocab
    from rnncore.defaults import DEFAULT_HIDDEN, trained_model
    from rnncore.fit import fit_series, fit_text

    check_vocab_goes_with_text(settings.vocab, settings.data, settings.named)
    vocab = (like.vocab if like else None) or (
        read_vocab(settings.vocab, settings.named("vocab")) if settings.vocab else None
    )
    hidden = like.hidden_size if like else DEFAULT_HIDDEN
    model = _given_model(cell, settings.weights) if settings.weights else None
    targets, notes, features, predicts_next = None, list[str](), list[str](), False
    if settings.data:
        from rnncore.data import load_numeric

        series = load_numeric(settings.data)
        x, features = series.x, series.names
        labels = [f"x_{t}" for t in range(len(x))]  # 0-based, as the steps
        if model is None:
            model, _ = trained_model(cell, series=x, hidden=hidden)
            x, labels = x[:-1], labels[:-1]  # trained to predict x_{t+1} from x_0..x_t
            predicts_next = True
        else:
            fit_series(model, x, settings.weights or "", settings.data)
    else:
        text = DEFAULT_TEXT if settings.text is None else settings.text
        if model is None:
            model, _ = trained_model(cell, text=text, vocab=vocab, hidden=hidden)
        # the model's vocabulary (--vocab, its file's, or assumed) fixes each character's unit
        data, notes = fit_text(
            model,
            text,
            settings.weights or "the model",
            vocab if settings.weights else None,
            vocab_option=settings.named("vocab"),
        )
        x, labels, targets = data.x, [data.vocab[int(np.argmax(v))] for v in data.x], data.targets
    trace = forward(model, x)
    trace.check_finite()
    trace.features = features
    window = parse_window(settings.steps, trace.steps, settings.named("steps"))
    story = Story(model, trace, window, labels, targets, notes, predicts_next)
    _check_drawable(story, settings)
    return story


def _check_drawable(story: Story, settings: Settings) -> None:
    """What the part draws from the user's files must be drawable: the vocabulary's symbols
    (each beside an input neuron) and the drawn features' names. Here, not in the CLI, so that
    plain Manim refuses them in one line too (they crashed Pango or drew empty boxes)."""
    if settings.vocab:
        option = settings.named("vocab")
        source = settings.vocab if settings.vocab.lower().endswith(".json") else option
        check_symbols(story.model.vocab, source, f"remove it from {option}")
    elif settings.weights and story.model.vocab:
        check_symbols(story.model.vocab, settings.weights)
    if not settings.data:
        return
    view = PartView(story)
    if view.feature_names:
        columns = [int(i) + 1 for i in view.in_units]
        check_feature_names(zip(columns, view.feature_names, strict=True), settings.data)


def _given_model(cell: str, path: str) -> Model:
    from rnncore.weights import load_model

    model = load_model(path)
    if model.cell != cell:
        raise RnnError(
            f"{path} holds {model.cell.upper()} weights but the "
            f"{cell.upper()} part needs {cell.upper()} weights"
        )
    return model


def erasing_step(trace: Trace, window: range) -> int:
    """The step of the window where the forget gate erases the most: the largest
    sum over units of (1 - f_t) * |c_{t-1}| (what the eraser removes from the diary).
    Ties go to the earliest step; c_{-1} is the initial cell state c0."""
    c0 = trace.top.c0
    assert trace.c is not None and trace.f is not None and c0 is not None, "an LSTM trace"
    c_prev = np.concatenate([c0[None], trace.c[:-1]])
    erased = ((1.0 - trace.f) * np.abs(c_prev)).sum(axis=-1)
    steps = list(window)
    return steps[int(np.argmax(erased[steps]))]


def zoom_step(story: Story, settings: Settings) -> int:
    """The step shots L3/L4 zoom into: --step T (0-based, inside the window) or erasing_step."""
    if settings.step is None:
        return erasing_step(story.trace, story.window)
    if settings.step not in story.window:
        w, name = story.window, settings.named("step")
        raise RnnError(
            f"{name} {settings.step} is outside the drawn window {w.start}:{w.stop}: "
            f"choose a step T with {w.start} <= T < {w.stop}"
        )
    return settings.step
