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
    dx: np.ndarray | None  # (T, B, I): the gradient handed to the layer below, if any
    dh0: np.ndarray
    dc0: np.ndarray | None
    dh: np.ndarray
    dc: np.ndarray | None


def _batched(a: np.ndarray | None, steps: bool = True) -> np.ndarray | None:
    """Give an unbatched trace array a batch axis of one (axis 1 per step, axis 0 for initials)."""
    if a is None:
        return None
    return a[:, None] if steps else a[None]


def rnn_layer_backward(
    lt: LayerTrace,
    W_hh: np.ndarray,
    W_ih: np.ndarray,
    dh_out: np.ndarray,
    dh_T: np.ndarray,
    nonlinearity: str = "tanh",
    need_dx: bool = True,
) -> LayerGrads:
    """BPTT through an Elman layer h_t = f(pre_t), pre_t = W_ih x_t + b_ih + W_hh h_{t-1} + b_hh.

    lt holds (T, B, .) arrays; dh_out[t] is the gradient reaching h_t from above at step t.
    """
    T = lt.h.shape[0]
    dpre = np.empty_like(lt.pre)
    dh_all = np.empty_like(lt.h)
    dh_next = dh_T
    dh_buf = np.empty(dh_T.shape)  # dh_next's storage, so the caller's dh_T is never written
    for t in reversed(range(T)):
        dh = np.add(dh_out[t], dh_next, out=dh_all[t])
        # through the nonlinearity: tanh' = 1 - tanh^2 = 1 - h^2, relu' = step
        slope = 1.0 - lt.h[t] ** 2 if nonlinearity == "tanh" else lt.pre[t] > 0
        np.multiply(dh, slope, out=dpre[t])
        dh_next = np.matmul(dpre[t], W_hh, out=dh_buf)
    return _weight_grads(lt, dpre, W_ih, dh_next, None, dh_all, None, need_dx)


def lstm_layer_backward(
    lt: LayerTrace,
    W_hh: np.ndarray,
    W_ih: np.ndarray,
    dh_out: np.ndarray,
    dh_T: np.ndarray,
    dc_T: np.ndarray,
    need_dx: bool = True,
) -> LayerGrads:
    """BPTT through an LSTM layer: c_t = f c_{t-1} + i g, h_t = o tanh(c_t), gates i, f, g, o."""
    assert lt.c is not None and lt.c0 is not None and lt.i is not None and lt.f is not None
    assert lt.g is not None and lt.o is not None
    T, H = lt.h.shape[0], lt.h.shape[-1]
    dpre = np.empty_like(lt.pre)
    dh_all = np.empty_like(lt.h)
    dc_all = np.empty_like(lt.c)
    dh_next, dc_next = dh_T, dc_T
    dh_buf = np.empty(dh_T.shape)  # dh_next's storage, so the caller's dh_T is never written
    # Everything is per step, on (B, H) arrays that stay in cache (why: speed at large sizes,
    # where whole-sequence temporaries of the same products cost more in memory traffic than
    # the extra calls per step cost a small model).
    for t in reversed(range(T)):
        i, f, g, o, c = lt.i[t], lt.f[t], lt.g[t], lt.o[t], lt.c[t]
        c_prev = lt.c[t - 1] if t > 0 else lt.c0
        dh = np.add(dh_out[t], dh_next, out=dh_all[t])
        dc_all[t] = dc_next
        tanh_c = np.tanh(c)
        do = dh * tanh_c
        dc = dc_next + dh * o * (1.0 - tanh_c**2)
        di = dc * g
        df = dc * c_prev
        dg = dc * i
        dc_next = dc * f
        # through each gate's nonlinearity (sigmoid' = s (1 - s), tanh' = 1 - g^2), written
        # straight into the gate's slice of dpre[t] (PyTorch's order i, f, g, o)
        dpre_i, dpre_f, dpre_g, dpre_o = (dpre[t, ..., k * H : (k + 1) * H] for k in range(4))
        np.multiply(di, i * (1.0 - i), out=dpre_i)
        np.multiply(df, f * (1.0 - f), out=dpre_f)
        np.multiply(dg, 1.0 - g**2, out=dpre_g)
        np.multiply(do, o * (1.0 - o), out=dpre_o)
        dh_next = np.matmul(dpre[t], W_hh, out=dh_buf)
    return _weight_grads(lt, dpre, W_ih, dh_next, dc_next, dh_all, dc_all, need_dx)


def _weight_grads(
    lt: LayerTrace,
    dpre: np.ndarray,
    W_ih: np.ndarray,
    dh0: np.ndarray,
    dc0: np.ndarray | None,
    dh: np.ndarray,
    dc: np.ndarray | None,
    need_dx: bool,
) -> LayerGrads:
    """The weights are shared by every step: their gradients sum over steps and sequences.

    Done once after the loop, as matrix products over all (step, sequence) pairs (why: speed;
    summing per step, as min-char-rnn does, costs a (G, H) pass per step, ruinous for one
    sequence). W_hh met h_{t-1}: h0 at step 0, then h_0..h_{T-2}, two products instead of a
    concatenated copy of h. Each product is formed transposed, (h^T dpre)^T, the same sum
    but faster in OpenBLAS for these tall, thin operands. dx only when a layer below needs it.
    """
    G = dpre.shape[-1]
    H = lt.h.shape[-1]
    dpre_rows = dpre.reshape(-1, G)
    dW_hh_T = lt.h0.T @ dpre[0]
    dW_hh_T += lt.h[:-1].reshape(-1, H).T @ dpre[1:].reshape(-1, G)
    dW_ih_T = lt.x.reshape(-1, lt.x.shape[-1]).T @ dpre_rows
    dx = dpre @ W_ih if need_dx else None
    return LayerGrads(
        np.ascontiguousarray(dW_ih_T.T),
        np.ascontiguousarray(dW_hh_T.T),
        dpre_rows.sum(axis=0),
        dx,
        dh0,
        dc0,
        dh,
        dc,
    )


def _batched_layer(lt: LayerTrace) -> LayerTrace:
    return LayerTrace(
        *(
            _batched(getattr(lt, k), k not in ("h0", "c0"))  # type: ignore[arg-type]
            for k in ("x", "pre", "h", "h0", "c", "c0", "i", "f", "g", "o")
        )
    )


def layer_backward(
    model: Model,
    k: int,
    lt: LayerTrace,
    dh_out: np.ndarray,
    dh_T: np.ndarray,
    dc_T: np.ndarray | None,
    need_dx: bool = True,
) -> LayerGrads:
    """Backward through layer k of model; lt and the gradients are batched (T, B, .).

    need_dx=False skips dL/dx, which only a layer below needs (why: speed).
    """
    W_ih, W_hh, _, _ = model.layer(k)
    if model.cell == "rnn":
        return rnn_layer_backward(lt, W_hh, W_ih, dh_out, dh_T, model.nonlinearity, need_dx)
    assert dc_T is not None
    return lstm_layer_backward(lt, W_hh, W_ih, dh_out, dh_T, dc_T, need_dx)


def backward(
    model: Model,
    trace: Trace,
    dout: np.ndarray | None,
    dh_T: np.ndarray | None = None,
    dc_T: np.ndarray | None = None,
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
        lg = layer_backward(
            model, k, layers[k], dh_out, dhT[k], None if dcT is None else dcT[k], need_dx=k > 0
        )
        grads[f"weight_ih_l{k}"] = lg.dW_ih
        grads[f"weight_hh_l{k}"] = lg.dW_hh
        grads[f"bias_ih_l{k}"] = lg.db
        grads[f"bias_hh_l{k}"] = lg.db.copy()
        dh0[k] = lg.dh0
        if lg.dc0 is not None:
            dc0[k] = lg.dc0
        if lg.dx is not None:
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
