"""Part 1's numbers, as its shots draw them (plain numpy, tested without Manim)."""

from __future__ import annotations

import numpy as np

from .settings import Settings
from .story import PartView, Story, load_story, symbol

MAX_INPUT_ROWS = 3  # of R6's table, one per feature of numeric data


class RNNView(PartView):
    """The RNN's window: weights among the drawn units, states, the two shares of every
    pre-activation (R5), the colour scales, and the model's predictions (R6).

    W_in (units x inputs), W_s (units x units), W_out (outputs x units, None without a head);
    hs, pres, pres_x, memory, h_before: (K, units): S_t, its pre-activation, the input's share
    W_in x_t + b, the memory's share W_s S_{t-1}, and S_{t-1}. The formula's one b is
    b_in + b_s: rnncore's RNN has PyTorch's two biases, and only their sum counts."""

    def __init__(self, story: Story) -> None:
        super().__init__(story)
        tr, model, units = story.trace, story.model, self.units
        assert tr.top.pre_x is not None, "a trace with the input's share of every step"
        W_ih, W_hh, _, b_hh = model.layer(model.num_layers - 1)
        self.W_in = W_ih[units][:, self.in_units]
        self.W_s = W_hh[units][:, units]
        W_hy = model.params.get("fc.weight")
        self.W_out = (
            None if self.out_units is None or W_hy is None else W_hy[self.out_units][:, units]
        )
        self.hs = self.window(tr.h)
        self.pres = self.window(tr.top.pre)
        self.pres_x = self.window(tr.top.pre_x) + b_hh[units]  # W_in x_t + b_in + b_s
        self.memory = self.pres - self.pres_x
        self.h_before = self.window(np.vstack([tr.top.h0[None], tr.h]))
        self.nonlinearity = model.nonlinearity
        self.h_norm = 1.0 if self.nonlinearity == "tanh" else max(np.abs(self.hs).max(), 1e-9)
        self.in_scale = "sequential" if self.is_text else "diverging"
        self.in_norm = 1.0 if self.is_text else max(np.abs(self.xs).max(), 1e-9)
        self.in_names = self.unit_names(self.in_units, "x")
        self.out_names = self.unit_names(self.out_units, "y")
        # the model's prediction at each step: its most probable symbol over the whole
        # vocabulary (not only the units drawn), with that probability
        probs = None if tr.y is None else tr.y[self.start : self.start + self.K]
        self.best = None if probs is None else [int(np.argmax(p)) for p in probs]
        self.best_p = None if probs is None else [float(p.max()) for p in probs]

    @classmethod
    def load(cls, settings: Settings) -> RNNView:
        return cls(load_story("rnn", settings))

    @property
    def input_names(self) -> list[str] | None:
        """The names of R6's input rows when there is one per feature (numeric data of several
        features, or of one the CSV's header names): the header's names, else x1, x2, ..., as
        the x layer's neurons; the first MAX_INPUT_ROWS (more would crowd the chain out of the
        frame). Else None (one row)."""
        names = self.feature_names or (self.in_names if self.reads_columns else None)
        return None if names is None else names[:MAX_INPUT_ROWS]

    @property
    def prediction_names(self) -> list[str] | None:
        """The name of R6's prediction row when the y layer has several neurons (numeric data
        of several features): its first, y1, the one the row lists (a row per output left
        the chain too small under the table), else None. A scene names it after its feature
        instead when it has one (predicted_feature)."""
        if not self.reads_columns or self.out_names is None or len(self.out_names) == 1:
            return None
        return self.out_names[:1]

    @property
    def predicted_feature(self) -> str | None:
        """The feature whose next value R6's prediction row lists, by its input row's name
        (temp, or x1 without a header): rnn3d's own model learns each next row, so its first
        output y1 is the next step's first feature. None with a user's --weights (its outputs
        are tied to no feature: the row stays y1) or when the input row has no name."""
        names = self.input_names
        return names[0] if self.story.predicts_next and names else None

    def panel_columns(self, k: int) -> list[np.ndarray]:
        """R5's table for drawn step k: S_{t-1}, W_in x_t + b, W_s S_{t-1}, S_t."""
        return [self.h_before[k], self.pres_x[k], self.memory[k], self.hs[k]]

    def predicted_symbol(self, k: int) -> str:
        """The character the model finds most likely at drawn step k, or the number of its
        most likely output when its head does not score characters."""
        assert self.best is not None, "a model with a head"
        return symbol(self.vocab[self.best[k]]) if self.predicts_text else f"y{self.best[k] + 1}"

    def inset_rows(self) -> list[list[str]]:
        """R6's table, one row per line (input, prediction, and the target for text), one
        cell per drawn step; numeric data of several features has one input row per drawn
        feature (named by input_names), as the x layer has one neuron per feature, and
        names the output its prediction row lists (prediction_names)."""
        K = self.K
        if self.is_text:
            targets = self.story.targets
            assert targets is not None
            return [
                [self.input_symbol(k) for k in range(K)],
                [self.predicted_symbol(k) for k in range(K)],
                [symbol(self.vocab[int(targets[self.start + k])]) for k in range(K)],
            ]
        inputs = (
            [[f"{x:+.2f}" for x in self.xs[:, i]] for i in range(len(self.input_names))]
            if self.input_names
            else [[self.input_symbol(k) for k in range(K)]]
        )
        if self.ys is None:
            return [*inputs, ["-"] * K]
        return [*inputs, [f"{y:+.2f}" for y in self.ys[:, 0]]]
