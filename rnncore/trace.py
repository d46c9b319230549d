"""A Trace holds every intermediate of a forward pass, time first. Scenes read nothing else.

Shapes: T steps, B sequences (the B axis is absent when one unbatched sequence went in),
I inputs, H hidden units, O outputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .errors import RnnError


@dataclass
class LayerTrace:
    """One layer over all steps.

    x:   (T, [B,] I_l)   this layer's input (the data for layer 0, the layer below's h above)
    pre: (T, [B,] G*H)   pre-activations W_ih x + b_ih + W_hh h_{t-1} + b_hh; LSTM gates i, f, g, o
    h:   (T, [B,] H)     hidden state after each step (the seed's S_t)
    h0:  ([B,] H)        initial hidden state
    c, i, f, g, o: (T, [B,] H)  LSTM only: cell state (the diary C_t) and the four gates
    c0:  ([B,] H)        LSTM only: initial cell state
    pre_x: (T, [B,] G*H) the input's share of pre, W_ih x_t + b_ih (the rest, pre - pre_x, is
                         the memory's share W_hh h_{t-1} + b_hh: the seed's new term W_s S_{t-1})
    """

    x: np.ndarray
    pre: np.ndarray
    h: np.ndarray
    h0: np.ndarray
    c: np.ndarray | None = None
    c0: np.ndarray | None = None
    i: np.ndarray | None = None
    f: np.ndarray | None = None
    g: np.ndarray | None = None
    o: np.ndarray | None = None
    pre_x: np.ndarray | None = None


@dataclass
class Trace:
    """The forward pass of a model on one sequence or a batch.

    cell:    "rnn" or "lstm"
    layers:  one LayerTrace per stacked layer, bottom first
    logits:  (T, [B,] O) head scores W_hy h_t + b_hy of the last layer, or None without a head
    y:       (T, [B,] O) outputs: softmax(logits) for character models, logits otherwise
    vocab:   symbol per input/output unit when the data was text
    features: name per input feature when the data was a CSV with a header ("" for a blank
             name), empty otherwise: they travel with the numbers, to the file and the screen
    """

    cell: str
    layers: list[LayerTrace]
    logits: np.ndarray | None = None
    y: np.ndarray | None = None
    vocab: list[str] = field(default_factory=list)
    features: list[str] = field(default_factory=list)

    @property
    def top(self) -> LayerTrace:
        return self.layers[-1]

    @property
    def x(self) -> np.ndarray:
        """The data fed to the first layer."""
        return self.layers[0].x

    # The last layer's states and gates, the ones the scenes draw.
    @property
    def h(self) -> np.ndarray:
        return self.top.h

    @property
    def c(self) -> np.ndarray | None:
        return self.top.c

    @property
    def i(self) -> np.ndarray | None:
        return self.top.i

    @property
    def f(self) -> np.ndarray | None:
        return self.top.f

    @property
    def g(self) -> np.ndarray | None:
        return self.top.g

    @property
    def o(self) -> np.ndarray | None:
        return self.top.o

    @property
    def steps(self) -> int:
        return self.x.shape[0]

    @property
    def batched(self) -> bool:
        return self.x.ndim == 3

    def check_finite(self) -> None:
        """RnnError naming the first value that overflowed (a ReLU RNN has no bound, and huge
        weights or data overflow any cell): a trace of inf and nan would draw nothing true."""
        named = [
            (f"layer {k} {name}", getattr(layer, name))
            for k, layer in enumerate(self.layers)
            for name in ("pre", "h", "c")
        ]
        for what, values in [*named, ("the head's logits", self.logits), ("the outputs", self.y)]:
            if values is None or np.isfinite(values).all():
                continue
            step = int(np.argwhere(~np.isfinite(values))[0][0])
            raise RnnError(
                f"the model's values overflow: {what} is not finite at step {step} "
                f"(the weights or the data are too large; a ReLU RNN has no bound): "
                f"scale them down"
            )
