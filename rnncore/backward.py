"""Backpropagation through time, by hand, from a Trace (the forward pass keeps everything needed).

One loop over time per layer, newest step first, in the maths' own names: dh is dL/dh_t, dc is
dL/dc_t, di, df, dg, do the gradients on the LSTM's gates, dpre on the pre-activations. The
gradient arriving at h_t has two sources: the output (the head, or the layer above) at step t,
and the next step through W_hh (dh_next). For the LSTM, c_t also gets dc_next = dc_{t+1} * f_{t+1}.

Every parameter gradient is named like the parameter (PyTorch names); ``h0`` and ``c0`` are the
gradients on the initial states, shaped (L, [B,] H) like forward()'s h0 and c0.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .model import HEAD_BIAS, HEAD_WEIGHT, Model
from .trace import LayerTrace, Trace


@dataclass
class LayerGrads:
    """Gradients of one layer. dh, dc: (T, B, H) per-step state gradients, kept for gradient flow.

    dh[t]: dL/dh_t (every path from h_t forward, c_t held fixed).
    dc[t]: dL/dc_t with h_t held fixed (only the path c_t -> c_{t+1}); LSTM only.
    """

    dW_ih: np.ndarray
    dW_hh: np.ndarray
    db: np.ndarray  # bias_ih and bias_hh enter the sum identically: one gradient for both
    dx: np.ndarray  # (T, B, I): the gradient handed to the layer below
    dh0: np.ndarray
    dc0: np.ndarray | None
    dh: np.ndarray
    dc: np.ndarray | None


def _batched(a: np.ndarray | None, steps: bool = True) -> np.ndarray | None:
    """Give an unbatched trace array a batch axis of one (axis 1 per step, axis 0 for initials)."""
    if a is None:
        return None
    return a[:, None] if steps else a[None]


def rnn_layer_backward(lt: LayerTrace, W_hh: np.ndarray, W_ih: np.ndarray, dh_out: np.ndarray,
                       dh_T: np.ndarray, nonlinearity: str = "tanh") -> LayerGrads:
    """BPTT through an Elman layer h_t = f(pre_t), pre_t = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh.

    lt holds (T, B, .) arrays; dh_out[t] is the gradient reaching h_t from above at step t.
    """
    T = lt.h.shape[0]
    dpre = np.empty_like(lt.pre)
    dh_all = np.empty_like(lt.h)
    dh_next = dh_T
    # the slope of the nonlinearity at every step at once: tanh' = 1 - tanh^2, relu' = step
    slope = 1.0 - lt.h ** 2 if nonlinearity == "tanh" else (lt.pre > 0).astype(np.float64)
    for t in reversed(range(T)):
        dh = dh_out[t] + dh_next
        dh_all[t] = dh
        dpre[t] = dh * slope[t]
        dh_next = dpre[t] @ W_hh
    return _weight_grads(lt, dpre, W_ih, dh_next, None, dh_all, None)


def lstm_layer_backward(lt: LayerTrace, W_hh: np.ndarray, W_ih: np.ndarray, dh_out: np.ndarray,
                        dh_T: np.ndarray, dc_T: np.ndarray) -> LayerGrads:
    """BPTT through an LSTM layer: c_t = f c_{t-1} + i g, h_t = o tanh(c_t), gates i, f, g, o."""
    assert lt.c is not None and lt.c0 is not None and lt.i is not None and lt.f is not None
    assert lt.g is not None and lt.o is not None
    T = lt.h.shape[0]
    i, f, g, o = lt.i, lt.f, lt.g, lt.o
    c_prev = np.concatenate([lt.c0[None], lt.c[:-1]])
    # Whatever does not depend on the gradient is computed for all steps at once (why: speed):
    # tanh(c_t), and the slope of each gate's nonlinearity at its pre-activation,
    # sigmoid' = s (1 - s) for i, f, o and tanh' = 1 - g^2 for g, in the gates' order.
    tanh_c = np.tanh(lt.c)
    slope = np.concatenate([i * (1.0 - i), f * (1.0 - f), 1.0 - g ** 2, o * (1.0 - o)], axis=-1)
    dpre = np.empty_like(lt.pre)
    dh_all = np.empty_like(lt.h)
    dc_all = np.empty_like(lt.c)
    dh_next, dc_next = dh_T, dc_T
    for t in reversed(range(T)):
        dh = dh_out[t] + dh_next
        dh_all[t], dc_all[t] = dh, dc_next
        do = dh * tanh_c[t]
        dc = dc_next + dh * o[t] * (1.0 - tanh_c[t] ** 2)
        di = dc * g[t]
        df = dc * c_prev[t]
        dg = dc * i[t]
        dc_next = dc * f[t]
        dpre[t] = np.concatenate((di, df, dg, do), axis=-1) * slope[t]
        dh_next = dpre[t] @ W_hh
    return _weight_grads(lt, dpre, W_ih, dh_next, dc_next, dh_all, dc_all)


def _weight_grads(lt: LayerTrace, dpre: np.ndarray, W_ih: np.ndarray, dh0: np.ndarray,
                  dc0: np.ndarray | None, dh: np.ndarray, dc: np.ndarray | None) -> LayerGrads:
    """The weights are shared by every step: their gradients sum over steps and sequences.

    Done once after the loop, as two matrix products over all (step, sequence) pairs (why: speed).
    """
    G = dpre.shape[-1]
    h_prev = np.concatenate([lt.h0[None], lt.h[:-1]])
    dpre2 = dpre.reshape(-1, G)
    dW_hh = dpre2.T @ h_prev.reshape(-1, h_prev.shape[-1])
    dW_ih = dpre2.T @ lt.x.reshape(-1, lt.x.shape[-1])
    dx = dpre @ W_ih
    return LayerGrads(dW_ih, dW_hh, dpre2.sum(axis=0), dx, dh0, dc0, dh, dc)


def _batched_layer(lt: LayerTrace) -> LayerTrace:
    return LayerTrace(*(_batched(getattr(lt, k), k not in ("h0", "c0"))  # type: ignore[arg-type]
                        for k in ("x", "pre", "h", "h0", "c", "c0", "i", "f", "g", "o")))


def layer_backward(model: Model, k: int, lt: LayerTrace, dh_out: np.ndarray, dh_T: np.ndarray,
                   dc_T: np.ndarray | None) -> LayerGrads:
    """Backward through layer k of model; lt and the gradients are batched (T, B, .)."""
    W_ih, W_hh, _, _ = model.layer(k)
    if model.cell == "rnn":
        return rnn_layer_backward(lt, W_hh, W_ih, dh_out, dh_T, model.nonlinearity)
    assert dc_T is not None
    return lstm_layer_backward(lt, W_hh, W_ih, dh_out, dh_T, dc_T)


def backward(model: Model, trace: Trace, dout: np.ndarray | None,
             dh_T: np.ndarray | None = None, dc_T: np.ndarray | None = None
             ) -> dict[str, np.ndarray]:
    """Gradients of a loss for every parameter of model and for h0, c0.

    dout: dL/dlogits (T, [B,] O) when the model has a head; otherwise dL/dh (T, [B,] H) on the
          last layer's hidden states. None means zero (only dh_T, dc_T carry gradient).
    dh_T, dc_T: (L, [B,] H) gradients on the final states h_T, c_T of every layer (PyTorch's
          h_n, c_n); zero when omitted.
    Shapes follow the trace: with or without the batch axis.
    """
    batched = trace.batched
    layers = trace.layers if batched else [_batched_layer(lt) for lt in trace.layers]
    top = layers[-1]
    T, B, H = top.h.shape
    L = len(layers)
    grads: dict[str, np.ndarray] = {}
    if dout is None:
        dh_out = np.zeros((T, B, H))
    else:
        d = np.asarray(dout, dtype=np.float64)
        d = d if batched else d[:, None]
        if model.has_head:
            W_hy = model.params[HEAD_WEIGHT]
            grads[HEAD_WEIGHT] = d.reshape(-1, d.shape[-1]).T @ top.h.reshape(-1, H)
            grads[HEAD_BIAS] = d.reshape(-1, d.shape[-1]).sum(axis=0)
            dh_out = d @ W_hy
        else:
            dh_out = d
    if dout is None and model.has_head:
        grads[HEAD_WEIGHT] = np.zeros_like(model.params[HEAD_WEIGHT])
        grads[HEAD_BIAS] = np.zeros_like(model.params[HEAD_BIAS])
    dhT = _final(dh_T, L, B, H, batched)
    dcT = _final(dc_T, L, B, H, batched) if model.cell == "lstm" else None
    dh0 = np.empty((L, B, H))
    dc0 = np.empty((L, B, H))
    for k in reversed(range(L)):
        lg = layer_backward(model, k, layers[k], dh_out, dhT[k], None if dcT is None else dcT[k])
        grads[f"weight_ih_l{k}"] = lg.dW_ih
        grads[f"weight_hh_l{k}"] = lg.dW_hh
        grads[f"bias_ih_l{k}"] = lg.db
        grads[f"bias_hh_l{k}"] = lg.db.copy()
        dh0[k] = lg.dh0
        if lg.dc0 is not None:
            dc0[k] = lg.dc0
        dh_out = lg.dx  # the layer below's h fed this layer's x
    grads["h0"] = dh0 if batched else dh0[:, 0]
    if model.cell == "lstm":
        grads["c0"] = dc0 if batched else dc0[:, 0]
    return grads


def _final(d: np.ndarray | None, L: int, B: int, H: int, batched: bool) -> np.ndarray:
    if d is None:
        return np.zeros((L, B, H))
    d = np.asarray(d, dtype=np.float64)
    return d if batched else d[:, None]
