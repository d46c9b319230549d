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
    """Run one layer (0 is the bottom) over a batched sequence x of shape (T, B, I)."""
    W_ih, W_hh, b_ih, b_hh = model.layer(layer)
    T, B = x.shape[:2]
    H = W_hh.shape[1]
    xw = x @ W_ih.T + b_ih  # the input's share of every step in one product (why: speed)
    pre = np.empty((T, B, W_hh.shape[0]))
    h = np.empty((T, B, H))
    h_prev = h0
    if model.cell == "rnn":
        for t in range(T):
            pre[t], h[t] = rnn_step(xw[t], h_prev, W_hh, b_hh, model.nonlinearity)
            h_prev = h[t]
        return LayerTrace(x=x, pre=pre, h=h, h0=h0)
    assert c0 is not None
    c, i, f, g, o = (np.empty((T, B, H)) for _ in range(5))
    c_prev = c0
    for t in range(T):
        pre[t], i[t], f[t], g[t], o[t], c[t], h[t] = lstm_step(xw[t], h_prev, c_prev, W_hh, b_hh)
        h_prev, c_prev = h[t], c[t]
    return LayerTrace(x=x, pre=pre, h=h, h0=h0, c=c, c0=c0, i=i, f=f, g=g, o=o)


def forward(model: Model, x: np.ndarray, h0: np.ndarray | None = None,
            c0: np.ndarray | None = None) -> Trace:
    """Run the model on x: (T, I) for one sequence or (T, B, I) for a batch.

    h0, c0: initial states of shape (L, [B,] H); zeros when omitted (as in PyTorch).
    Returns the full Trace, in float64, with the batch axis only if x had one.
    """
    x = np.asarray(x, dtype=np.float64)
    batched = x.ndim == 3
    if x.ndim not in (2, 3):
        raise RnnError(f"input must have shape (T, I) or (T, B, I), got {x.shape}")
    if x.shape[0] == 0:
        raise RnnError("input sequence is empty: give at least one time step")
    if x.shape[-1] != model.input_size:
        raise RnnError(f"input has {x.shape[-1]} features but the model expects "
                       f"{model.input_size}: use weights trained on this kind of data")
    if not np.all(np.isfinite(x)):
        raise RnnError("input contains NaN or infinite values: clean the data first")
    xb = x if batched else x[:, None, :]
    L, B, H = model.num_layers, xb.shape[1], model.hidden_size
    h0b = _initial(h0, L, B, H, batched, "h0")
    c0b = _initial(c0, L, B, H, batched, "c0") if model.cell == "lstm" else None
    layers = []
    inp = xb
    for n in range(L):
        layer = run_layer(model, n, inp, h0b[n], None if c0b is None else c0b[n])
        layers.append(layer)
        inp = layer.h
    logits = y = None
    if model.has_head:
        logits = inp @ model.params[HEAD_WEIGHT].T + model.params[HEAD_BIAS]
        y = softmax(logits) if model.output == "softmax" else logits
    trace = Trace(model.cell, layers, logits, y, list(model.vocab))
    return trace if batched else unbatch(trace)


def _initial(s0: np.ndarray | None, L: int, B: int, H: int, batched: bool,
             name: str) -> np.ndarray:
    if s0 is None:
        return np.zeros((L, B, H))
    s0 = np.asarray(s0, dtype=np.float64)
    want = (L, B, H) if batched else (L, H)
    if s0.shape != want:
        raise RnnError(f"{name} must have shape {want}, got {s0.shape}")
    return s0 if batched else s0[:, None, :]


def unbatch(trace: Trace) -> Trace:
    """Drop the batch axis of a batch of one (axis 1 of every per-step array, 0 of initials)."""
    def sq(a: np.ndarray | None, axis: int = 1) -> np.ndarray | None:
        return None if a is None else np.take(a, 0, axis=axis)

    layers = [LayerTrace(sq(lt.x), sq(lt.pre), sq(lt.h), sq(lt.h0, 0), sq(lt.c),  # type: ignore[arg-type]
                         sq(lt.c0, 0), sq(lt.i), sq(lt.f), sq(lt.g), sq(lt.o))
              for lt in trace.layers]
    return Trace(trace.cell, layers, sq(trace.logits), sq(trace.y), trace.vocab)
