"""Part 2's numbers, as its shots draw them (plain numpy, tested without Manim): the LSTM's
window, the RNN it is compared with in L1, and the training L6 replays."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from rnncore import Model, RnnError, forward
from rnncore.sensitivity import gradient_flow
from rnncore.train import History

from .settings import Settings
from .story import MAX_UNITS, PartView, Story, latex_number, load_story, symbol, zoom_step

# The largest loss L6 replays: its readout writes the loss out in full (1e15 is 21 characters;
# the digits of 1e50 pushed the gate grids out of the frame), and a training that got there
# diverged.
MOST_LOSS = 1e15


class LSTMView(PartView):
    """The LSTM's window, each (K, units): hs (S_t), cs (C_t), c_before (C_{t-1}), the gates
    f, i, g, o and ig = i * g (what the pencil writes).

    zoom_t, zoom_k: the step L3 and L4 zoom into (in the sequence, in the window).
    rnn_hs, rnn_ws, rnn_w_in: L1's RNN, trained on the same data (its states, W_S and W_in
    among the drawn units); rnn_inputs: what it reads (a one-layer model: the data itself, which
    a deeper LSTM's top layer does not read: L2 then swaps x_t for the LSTM's own);
    rnn_trained_here: it is, while the LSTM is the user's (so the screen says whose model L1
    shows); sensitivity: its real ||dS_T/dS_t|| for every drawn step t before T, the window's
    last step (at T itself it is the identity's norm, sqrt(H), for any model: not drawn);
    fade: the same measured over the whole sequence up to T (see Fade)."""

    def __init__(
        self, story: Story, rnn: Story, zoom_t: int, rnn_trained_here: bool = False
    ) -> None:
        super().__init__(story)
        tr, c0 = story.trace, story.trace.top.c0
        assert tr.c is not None and tr.f is not None and tr.i is not None, "an LSTM trace"
        assert tr.g is not None and tr.o is not None and c0 is not None
        self.zoom_t, self.zoom_k = zoom_t, zoom_t - self.start
        self.rnn_trained_here = rnn_trained_here
        self.hs, self.cs = self.window(tr.h), self.window(tr.c)
        self.f, self.i, self.g, self.o = (self.window(a) for a in (tr.f, tr.i, tr.g, tr.o))
        self.ig = self.i * self.g
        self.c_before = self.window(np.vstack([c0[None], tr.c]))
        self.rnn_hs = rnn.trace.h[self.start : self.start + self.K][:, rnn.units]
        self.rnn_inputs = PartView(rnn)
        W_ih, W_hh, _, _ = rnn.model.layer(0)
        self.rnn_ws = W_hh[rnn.units][:, rnn.units]
        self.rnn_w_in = W_ih[rnn.units][:, self.rnn_inputs.in_units]
        self.same_inputs = self.rnn_inputs.is_text == self.is_text and np.array_equal(
            self.rnn_inputs.xs, self.xs
        )
        stop = self.start + self.K
        upto = forward(rnn.model, rnn.trace.x[:stop])  # the window's last step is "T"
        flow = gradient_flow(rnn.model, upto)["sensitivity_h"]
        self.sensitivity = flow[self.start : stop - 1]
        self.fade = Fade(stop - 1, float(flow[-2]) if stop > 1 else 0.0, float(flow[0]))
        self.in_scale = "sequential" if self.is_text else "diverging"
        self.rnn_in_scale = "sequential" if self.rnn_inputs.is_text else "diverging"
        # y_t's units by their symbols, for text (numbers are drawn unnamed)
        self.out_names = (
            self.unit_names(self.out_units, "y") if self.is_text and self.vocab else None
        )

    @classmethod
    def load(cls, settings: Settings) -> LSTMView:
        story = load_story("lstm", settings)
        # L1's RNN is trained here on the same data, as wide as the LSTM and in its vocabulary
        # (so its units are drawn like the LSTM's): a --weights file holds the LSTM only
        rnn = load_story("rnn", replace(settings, weights=None), like=story.model)
        return cls(story, rnn, zoom_step(story, settings), rnn_trained_here=bool(settings.weights))

    def gate_means(self, k: int) -> tuple[float, float, float]:
        """The mean over the drawn units of f_t, i_t * g_t and o_t at drawn step k (the three
        lines the C_t - S_t link splits into)."""
        return float(self.f[k].mean()), float(self.ig[k].mean()), float(self.o[k].mean())

    def diagram_gates(self, k: int) -> tuple[float, float, float, float]:
        """The mean over the drawn units of f_t, i_t, g_t and o_t at drawn step k (L5's
        textbook cell colours its four layers by them)."""
        f, i, g, o = (float(a[k].mean()) for a in (self.f, self.i, self.g, self.o))
        return f, i, g, o

    def best_name(self, k: int) -> str | None:
        """The symbol the model finds most likely at drawn step k (among the drawn outputs),
        for text; None for numbers."""
        if self.ys is None or self.out_units is None or not self.out_names:
            return None
        return symbol(self.vocab[self.out_units[int(np.argmax(self.ys[k]))]])

    def step_name(self, k: int) -> str:
        """A drawn step under the gate grids: its character, or its number."""
        return self.input_symbol(k) if self.is_text else str(self.step_number(k))


SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
# a sensitivity float64 underflowed to 0 is less than 10 to this (its floor is 1e-308)
UNDERFLOW = -300
FADES_BELOW = 0.5  # L1 calls it a fade when S_T depends on S_0 less than this share of S_{T-1}


@dataclass
class Fade:
    """How much the last state S_T still depends on the earlier ones, over the whole sequence
    up to T (longer than the window when it starts late): near = ||dS_T/dS_{T-1}|| one step
    back, far = ||dS_T/dS_0|| back steps back, at the sequence's first state."""

    back: int
    near: float
    far: float

    @property
    def kind(self) -> str:
        """alone: nothing before T; one: only S_{T-1} (far is near); fades: far is under
        FADES_BELOW of near; else flat."""
        if self.back <= 1:
            return ("alone", "one")[self.back]
        return "fades" if self.far < FADES_BELOW * self.near else "flat"

    @property
    def fields(self) -> dict[str, float | str]:
        """What a caption says of it (far written out: 0.43, or 2.4×10⁻⁸, or <10⁻³⁰⁰)."""
        return {
            "back": self.back,
            "near": self.near,
            "far": figure(self.far) if self.far > 0 else f"<10{superscript(UNDERFLOW)}",
            "share": self.far / max(self.near, 1e-300),
        }

    @property
    def far_latex(self) -> str:
        r"""'= 0.43', '= 2.4 \cdot 10^{-8}', or '< 10^{-300}' when it underflowed."""
        return f"= {latex_number(self.far)}" if self.far > 0 else f"< 10^{{{UNDERFLOW}}}"


def powers_of_ten(x: float, digits: int = 2) -> str:
    """x as 2.4×10⁻⁸, with this many significant digits."""
    mantissa, exponent = f"{x:.{digits - 1}e}".split("e")
    return f"{mantissa}×10{superscript(int(exponent))}"


def superscript(n: int) -> str:
    """An integer in Unicode's superscripts: -8 as ⁻⁸."""
    return str(n).translate(SUPERSCRIPTS)


def figure(x: float) -> str:
    """A measured figure for a caption: 0.43, or 2.4×10⁻⁸ when under 0.01."""
    if x == 0 or abs(x) >= 0.01:
        return f"{x:.2f}"
    return powers_of_ten(x)


def bar_figure(x: float) -> str:
    """A measured figure over a bar, to two significant digits and as wide as need be:
    0.086, 2.0 (not 2, beside 2.1), 0.00022, 2.4×10⁻⁸ (not Python's 2.4e-08), 120."""
    rounded = float(f"{x:.2g}")
    if rounded == 0 or abs(rounded) >= 100:
        return f"{x:.0f}"
    if abs(rounded) < 1e-4:
        return powers_of_ten(x)
    return f"{x:#.2g}".rstrip(".")


@dataclass
class Training:
    """The training run L6 replays: its History (loss per step, weight snapshots), whether it
    is the drawn model's own (the built-in model's, or the user's from --history or beside
    --weights; else an LSTM trained here on the same data, and the shot says so), and whether
    it has weight snapshots (else the gates shown are the final model's, and the shot says so).
    """

    history: History
    own: bool
    snapshots: bool = True


def training_history(settings: Settings, model: Model) -> Training:
    """What L6 replays for the drawn model: --history, else the history saved beside
    --weights, else the built-in model's training on the same data (for the user's weights
    that is an LSTM trained here, not theirs)."""
    from rnncore.data import load_data
    from rnncore.defaults import trained_model
    from rnncore.train import history_path

    if settings.history:
        if not settings.weights:
            history, weights = settings.named("history"), settings.named("weights")
            raise RnnError(
                f"{history} goes with {weights}: it replays the training of your "
                f"model; without {weights} L6 shows the built-in model's own"
            )
        return read_history(settings.history, model)
    if settings.weights and history_path(settings.weights).is_file():
        return read_history(str(history_path(settings.weights)), model)
    if settings.data:
        _, hist = trained_model("lstm", series=load_data(settings.data), hidden=model.hidden_size)
    else:  # in the drawn model's vocabulary, so the replay reads the same input units
        _, hist = trained_model(
            "lstm", text=settings.text, vocab=model.vocab or None, hidden=model.hidden_size
        )
    return Training(hist, own=not settings.weights)


GIVE_HISTORY = "give the .history.npz that rnn3d train writes, or a .csv of the loss per step"


def read_history(path: str, model: Model) -> Training:
    """A history file for the given model: the .history.npz `rnn3d train` writes (its weight
    snapshots must be this model's), or a .csv of the loss per step (one column, or the loss
    in the last column, as in step,loss). Without snapshots the final model stands for them."""
    from rnncore.data import load_data
    from rnncore.files import existing_file

    p = existing_file(path, "history")
    if p.suffix.lower() == ".csv":
        hist = History(load_data(p)[:, -1], None, np.zeros(0, dtype=int), {})
    elif p.suffix.lower() == ".npz":
        try:
            hist = History.load(p)
        except RnnError as err:  # rnncore says what is wrong; what to do is the command's
            raise RnnError(f"{err}: {GIVE_HISTORY}") from None
    else:
        raise RnnError(f"unknown history format {p.suffix or p.name!r}: {GIVE_HISTORY}")
    if hist.loss.ndim != 1 or len(hist.loss) < 2 or not np.all(np.isfinite(hist.loss)):
        raise RnnError(f"{p}: the loss must be at least two finite numbers, one per step")
    peak = float(np.max(np.abs(hist.loss)))
    if peak > MOST_LOSS:
        raise RnnError(
            f"{p}: the loss reaches {peak:.3g}, too large to replay (at most {MOST_LOSS:g}): "
            f"give the loss of a training that did not diverge"
        )
    if not hist.snapshots:
        final = {k: np.stack([v, v]) for k, v in model.params.items()}
        return Training(
            History(hist.loss, hist.accuracy, np.array([0, len(hist.loss)]), final, hist.settings),
            own=True,
            snapshots=False,
        )
    for name, value in model.params.items():
        found = hist.snapshots.get(name)
        if found is None or found.shape[1:] != value.shape:
            what = "none" if found is None else f"shape {found.shape[1:]}"
            raise RnnError(
                f"{p} is the history of another model: its snapshots of {name} have "
                f"{what} but the weights have {value.shape}; give the history saved "
                f"with these weights"
            )
    return Training(hist, own=True)


def replay_gates(view: LSTMView, hist: History) -> np.ndarray:
    """(S, 3, K, n) the gates f, i, o on the window at each of the history's S weight
    snapshots.

    The units are the drawn ones when the history is of a model of the drawn size; another
    model's history (weights given without one) shows its first units."""
    m, w = view.story.model, range(view.start, view.start + view.K)
    units = view.units
    H = hist.snapshots["weight_hh_l0"].shape[-1]
    if m.hidden_size != H:
        units = np.arange(min(H, MAX_UNITS))
    out = []
    for s in range(len(hist.snapshot_steps)):
        snap = Model(m.cell, hist.params_at(s), m.nonlinearity, m.output, list(m.vocab))
        tr = forward(snap, view.story.trace.x[: w.stop])  # causal: later steps change nothing
        gates = (tr.f, tr.i, tr.o)
        assert all(a is not None for a in gates), "an LSTM trace"
        out.append([a[w.start : w.stop][:, units] for a in gates])  # type: ignore[index]
    return np.array(out)
