"""Gradient flow: how much the last state still depends on each earlier state (shots L1, M1).

For one sequence and the last (top) layer, with T steps:

    sensitivity_h[t] = || d h_T / d h_t ||_F     t = 1..T (index t-1 in the array)
    sensitivity_c[t] = || d c_T / d c_t ||_F     LSTM only

d h_T / d h_t perturbs h_t alone: the step's cell state c_t is held fixed (for the LSTM), and
every path forward from h_t counts (into h_{t+1} and, for the LSTM, into c_{t+1} through the
gates, and so on up to step T). d c_T / d c_t perturbs c_t with h_t held fixed: c_t then reaches
the future only through c_{t+1} = f_{t+1} c_t + ..., and from there along every path again.
The layers below the top one do not depend on its states, so stacking changes nothing here;
the layers below enter only through the values they feed the top layer. At t = T both Jacobians
are the identity, of norm sqrt(H).

The Jacobians are exactly the per-step state gradients of backpropagation through time seeded
with one unit vector per component of h_T (or c_T): all H (or 2H) seeds run at once as a batch
through the same backward loop as training (backward.layer_backward).

Only unbatched traces (one sequence, the scenes' case) are accepted: a batch has one Jacobian
per sequence, and averaging norms over sequences would hide what the scenes draw.
"""

from __future__ import annotations

import numpy as np

from .backward import layer_backward
from .errors import RnnError
from .model import Model
from .trace import LayerTrace, Trace


def _repeat(lt: LayerTrace, n: int) -> LayerTrace:
    """View an unbatched layer trace as a batch of n identical sequences (no copies)."""

    def per_step(a: np.ndarray | None) -> np.ndarray | None:
        return None if a is None else np.broadcast_to(a[:, None], (a.shape[0], n, a.shape[-1]))

    def initial(a: np.ndarray | None) -> np.ndarray | None:
        return None if a is None else np.broadcast_to(a, (n, a.shape[-1]))

    steps = {k: per_step(getattr(lt, k)) for k in ("x", "pre", "h", "c", "i", "f", "g", "o")}
    initials = {k: initial(getattr(lt, k)) for k in ("h0", "c0")}
    return LayerTrace(**steps, **initials)  # type: ignore[arg-type]


def gradient_flow(model: Model, trace: Trace) -> dict[str, np.ndarray]:
    """{"sensitivity_h": (T,)} and, for the LSTM, {"sensitivity_c": (T,)}; see the module doc."""
    if trace.batched:
        raise RnnError(
            "gradient flow is computed for one sequence: run the model on an "
            "unbatched input of shape (T, I)"
        )
    top = trace.top
    T, H = top.h.shape
    lstm = model.cell == "lstm"
    seeds = 2 * H if lstm else H  # rows 0..H-1 seed h_T, rows H..2H-1 seed c_T
    eye = np.eye(H)
    dh_T = np.zeros((seeds, H))
    dh_T[:H] = eye
    dc_T = None
    if lstm:
        dc_T = np.zeros((seeds, H))
        dc_T[H:] = eye
    lg = layer_backward(
        model, len(trace.layers) - 1, _repeat(top, seeds), np.zeros((T, seeds, H)), dh_T, dc_T
    )
    # lg.dh[t, k] = d h_T[k] / d h_t (a row of the Jacobian) for the h seeds k < H
    flow = {"sensitivity_h": np.linalg.norm(lg.dh[:, :H], axis=(1, 2))}
    if lstm:
        assert lg.dc is not None
        flow["sensitivity_c"] = np.linalg.norm(lg.dc[:, H:], axis=(1, 2))
    return flow
