"""Forward passes. One step of each cell, in the maths' own names, then the loop over time."""

from __future__ import annotations

import functools

import numpy as np

from .activations import relu, softmax
from .errors import RnnError
from .model import HEAD_BIAS, HEAD_WEIGHT, Model
from .trace import LayerTrace, Trace


def rnn_step(xw: np.ndarray, h_prev: np.ndarray, W_hh: np.ndarray, b_hh: np.ndarray,
             nonlinearity: str = "tanh") -> tuple[np.ndarray, np.ndarray]:
    """h_t = f(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh), with xw = W_ih x_t + b_ih precomputed."""
    pre = xw + h_prev @ W_hh.T + b_hh
    h = np.tanh(pre) if nonlinearity == "tanh" else relu(pre)
    return pre, h


def lstm_step(xw: np.ndarray, h_prev: np.ndarray, c_prev: np.ndarray, W_hh: np.ndarray,
              b_hh: np.ndarray) -> tuple[np.ndarray, ...]:
    """One LSTM step, xw = W_ih x_t + b_ih precomputed for the whole sequence.

    i, f, o = sigmoid(.), g = tanh(.), c_t = f * c_{t-1} + i * g, h_t = o * tanh(c_t).
    """
    pre = xw + h_prev @ W_hh.T + b_hh
    H = h_prev.shape[-1]
    # One tanh call serves all four gates (why: speed): sigmoid(z) = (1 + tanh(z/2)) / 2, the
    # formula of activations.sigmoid, so i, f, o are the same to the bit; g = tanh(z) unscaled.
    t = np.tanh(pre * _gate_scale(H))
    gates = 0.5 * (1.0 + t)
    i, f, o = gates[..., :H], gates[..., H:2 * H], gates[..., 3 * H:]
    g = t[..., 2 * H:3 * H]
    c = f * c_prev + i * g
    h = o * np.tanh(c)
    return pre, i, f, g, o, c, h


@functools.cache
def _gate_scale(H: int) -> np.ndarray:
    """1/2 for the sigmoid gates i, f, o and 1 for the tanh candidate g, in PyTorch's order."""
    return np.repeat([0.5, 0.5, 1.0, 0.5], H)


def run_layer(model: Model, layer: int, x: np.ndarray, h0: np.ndarray,
              c0: np.ndarray | None) -> LayerTrace:
    """Run one layer (0 is the bottom) over x of shape (T, [B,] I) from h0, c0 of shape ([B,] H).

    The same loop serves one sequence and a batch: every array keeps x's axes before the last.
    (why: one sequence then runs on plain vectors, about a third faster per step than as a
    batch of one.)
    """
    W_ih, W_hh, b_ih, b_hh = model.layer(layer)
    H = W_hh.shape[1]
    steps = x.shape[:-1]  # (T,) or (T, B)
    xw = x @ W_ih.T + b_ih  # the input's share of every step in one product (why: speed)
    pre = np.empty((*steps, W_hh.shape[0]))
    h = np.empty((*steps, H))
    h_prev = h0
    if model.cell == "rnn":
        for t in range(len(x)):
            pre[t], h[t] = rnn_step(xw[t], h_prev, W_hh, b_hh, model.nonlinearity)
            h_prev = h[t]
        return LayerTrace(x=x, pre=pre, h=h, h0=h0, pre_x=xw)
    assert c0 is not None
    c, i, f, g, o = (np.empty((*steps, H)) for _ in range(5))
    c_prev = c0
    for t in range(len(x)):
        pre[t], i[t], f[t], g[t], o[t], c[t], h[t] = lstm_step(xw[t], h_prev, c_prev, W_hh, b_hh)
        h_prev, c_prev = h[t], c[t]
    return LayerTrace(x=x, pre=pre, h=h, h0=h0, c=c, c0=c0, i=i, f=f, g=g, o=o, pre_x=xw)


def forward(model: Model, x: np.ndarray, h0: np.ndarray | None = None,
            c0: np.ndarray | None = None) -> Trace:
    """Run the model on x: (T, I) for one sequence or (T, B, I) for a batch.

    h0, c0: initial states of shape (L, [B,] H); zeros when omitted (as in PyTorch).
    Returns the full Trace, in float64, with the batch axis only if x had one.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim not in (2, 3):
        raise RnnError(f"input must have shape (T, I) or (T, B, I), got {x.shape}")
    if x.shape[0] == 0:
        raise RnnError("input sequence is empty: give at least one time step")
    if x.shape[-1] != model.input_size:
        raise RnnError(f"input has {x.shape[-1]} features but the model expects "
                       f"{model.input_size}: use weights trained on this kind of data")
    if not np.all(np.isfinite(x)):
        raise RnnError("input contains NaN or infinite values: clean the data first")
    state_shape = (model.num_layers, *x.shape[1:-1], model.hidden_size)  # (L, [B,] H)
    h0 = _initial(h0, state_shape, "h0")
    c0 = _initial(c0, state_shape, "c0") if model.cell == "lstm" else None
    layers = []
    inp = x
    for n in range(model.num_layers):
        layer = run_layer(model, n, inp, h0[n], None if c0 is None else c0[n])
        layers.append(layer)
        inp = layer.h
    logits = y = None
    if model.has_head:
        logits = inp @ model.params[HEAD_WEIGHT].T + model.params[HEAD_BIAS]
        y = softmax(logits) if model.output == "softmax" else logits
    return Trace(model.cell, layers, logits, y, list(model.vocab))


def _initial(s0: np.ndarray | None, shape: tuple[int, ...], name: str) -> np.ndarray:
    if s0 is None:
        return np.zeros(shape)
    s0 = np.asarray(s0, dtype=np.float64)
    if s0.shape != shape:
        raise RnnError(f"{name} must have shape {shape}, got {s0.shape}")
    return s0
