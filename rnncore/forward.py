"""Forward passes. One step of each cell, in the maths' own names, then the loop over time."""

from __future__ import annotations

import functools

import numpy as np

from .activations import softmax
from .errors import RnnError, plural
from .model import HEAD_BIAS, HEAD_WEIGHT, Model
from .trace import LayerTrace, Trace


def rnn_step(
    xw: np.ndarray,
    h_prev: np.ndarray,
    W_hh: np.ndarray,
    b_hh: np.ndarray,
    nonlinearity: str = "tanh",
    out: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """h_t = f(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh), with xw = W_ih x_t + b_ih precomputed.

    out: optional (pre, h) arrays to write into. run_layer passes the trace's own rows (why:
    speed; the loop over time then allocates no temporaries).
    """
    pre, h = out if out is not None else (np.empty(xw.shape), np.empty(xw.shape))
    np.matmul(h_prev, W_hh.T, out=pre)  # W_hh h_{t-1}
    pre += xw
    pre += b_hh
    if nonlinearity == "tanh":
        np.tanh(pre, out=h)
    else:
        np.maximum(pre, 0.0, out=h)  # relu, written in place
    return pre, h


def lstm_step(
    xw: np.ndarray,
    h_prev: np.ndarray,
    c_prev: np.ndarray,
    W_hh: np.ndarray,
    b_hh: np.ndarray,
    out: tuple[np.ndarray, ...] | None = None,
) -> tuple[np.ndarray, ...]:
    """One LSTM step, xw = W_ih x_t + b_ih precomputed for the whole sequence.

    i, f, o = sigmoid(.), g = tanh(.), c_t = f * c_{t-1} + i * g, h_t = o * tanh(c_t).
    out: optional (pre, gates, c, h) arrays to write into, gates holding i, f, g, o side by side
    like pre (why: speed, as in rnn_step). Returns pre, i, f, g, o, c, h.
    """
    H = h_prev.shape[-1]
    pre, gates, c, h = (
        out
        if out is not None
        else (
            np.empty(xw.shape),
            np.empty(xw.shape),
            np.empty(c_prev.shape),
            np.empty(c_prev.shape),
        )
    )
    np.matmul(h_prev, W_hh.T, out=pre)  # W_hh h_{t-1}
    pre += xw
    pre += b_hh
    # One tanh call serves all four gates (why: speed): sigmoid(z) = (1 + tanh(z/2)) / 2, the
    # formula of activations.sigmoid, and g = tanh(z). With a = 1/2 for i, f, o and 1 for g,
    # both are a tanh(a z) + (1 - a); halving is exact, so i, f, o are sigmoid's to the bit.
    a, one_minus_a = _gate_scale(H)
    np.multiply(pre, a, out=gates)
    np.tanh(gates, out=gates)
    gates *= a
    gates += one_minus_a
    i, f, g, o = (gates[..., k * H : (k + 1) * H] for k in range(4))
    np.multiply(f, c_prev, out=c)
    c += i * g
    np.tanh(c, out=h)
    h *= o
    return pre, i, f, g, o, c, h


@functools.cache
def _gate_scale(H: int) -> tuple[np.ndarray, np.ndarray]:
    """a = 1/2 for the sigmoid gates i, f, o and 1 for the tanh candidate g (PyTorch's order),
    and 1 - a."""
    a = np.repeat([0.5, 0.5, 1.0, 0.5], H)
    return a, 1.0 - a


def run_layer(
    model: Model, layer: int, x: np.ndarray, h0: np.ndarray, c0: np.ndarray | None
) -> LayerTrace:
    """Run one layer (0 is the bottom) over x of shape (T, [B,] I) from h0, c0 of shape ([B,] H).

    The same loop serves one sequence and a batch: every array keeps x's axes before the last.
    (why: one sequence then runs on plain vectors, about a third faster per step than as a
    batch of one.) Each step writes straight into row t of the trace's arrays.
    """
    W_ih, W_hh, b_ih, b_hh = model.layer(layer)
    H = W_hh.shape[1]
    steps = x.shape[:-1]  # (T,) or (T, B)
    xw = x @ W_ih.T  # the input's share of every step in one product (why: speed)
    xw += b_ih  # in place: no second (T, B, G) array
    pre = np.empty((*steps, W_hh.shape[0]))
    h = np.empty((*steps, H))
    h_prev = h0
    if model.cell == "rnn":
        for t in range(len(x)):
            rnn_step(xw[t], h_prev, W_hh, b_hh, model.nonlinearity, out=(pre[t], h[t]))
            h_prev = h[t]
        return LayerTrace(x=x, pre=pre, h=h, h0=h0, pre_x=xw)
    assert c0 is not None
    gates = np.empty_like(pre)  # i, f, g, o side by side, like pre; the trace keeps views
    c = np.empty_like(h)
    c_prev = c0
    for t in range(len(x)):
        lstm_step(xw[t], h_prev, c_prev, W_hh, b_hh, out=(pre[t], gates[t], c[t], h[t]))
        h_prev, c_prev = h[t], c[t]
    i, f, g, o = (gates[..., k * H : (k + 1) * H] for k in range(4))
    return LayerTrace(x=x, pre=pre, h=h, h0=h0, c=c, c0=c0, i=i, f=f, g=g, o=o, pre_x=xw)


def forward(
    model: Model, x: np.ndarray, h0: np.ndarray | None = None, c0: np.ndarray | None = None
) -> Trace:
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
        raise RnnError(
            f"input has {plural(x.shape[-1], 'feature')} but the model expects "
            f"{model.input_size}: use weights trained on this kind of data"
        )
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
