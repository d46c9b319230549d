"""Gradient flow against finite differences: re-run the top layer from step t with h_t (or c_t)
nudged and the other state held fixed, and measure the change of h_T (or c_T)."""

from __future__ import annotations

import numpy as np
import pytest

from rnncore import Model, RnnError, forward, init_model
from rnncore.sensitivity import gradient_flow


def top_layer_alone(model: Model) -> Model:
    """The top layer as a one-layer model without head (the reference re-runs only it)."""
    k = model.num_layers - 1
    names = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
    params = {f"{n}_l0": model.params[f"{n}_l{k}"] for n in names}
    return Model(model.cell, params, model.nonlinearity, "linear")


def run_from(one: Model, rest: np.ndarray, h: np.ndarray, c: np.ndarray | None):
    """h_T and c_T of the one-layer model run on rest from the state (h, c)."""
    r = forward(one, rest, h[None], None if c is None else c[None])
    return r.h[-1], None if r.c is None else r.c[-1]


def numeric_jacobians(model: Model, x: np.ndarray, eps: float = 1e-6):
    """J_h[t] = d h_T / d h_t and J_c[t] = d c_T / d c_t by centred differences."""
    tr = forward(model, x)
    top, one = tr.top, top_layer_alone(model)
    T, H = top.h.shape
    J_h, J_c = np.zeros((T, H, H)), np.zeros((T, H, H))
    for t in range(T):
        if t == T - 1:
            J_h[t] = J_c[t] = np.eye(H)
            continue
        rest = top.x[t + 1 :]
        c_t = top.c[t] if model.cell == "lstm" else None
        for k in range(H):
            e = np.zeros(H)
            e[k] = eps
            up, _ = run_from(one, rest, top.h[t] + e, c_t)
            down, _ = run_from(one, rest, top.h[t] - e, c_t)
            J_h[t][:, k] = (up - down) / (2 * eps)
            if c_t is not None:
                _, cu = run_from(one, rest, top.h[t], c_t + e)
                _, cd = run_from(one, rest, top.h[t], c_t - e)
                J_c[t][:, k] = (cu - cd) / (2 * eps)
    return J_h, J_c


@pytest.mark.parametrize(
    "cell,layers,nonlinearity",
    [("rnn", 1, "tanh"), ("rnn", 2, "relu"), ("lstm", 1, "tanh"), ("lstm", 2, "tanh")],
)
def test_sensitivity_matches_finite_differences(cell: str, layers: int, nonlinearity: str) -> None:
    model = init_model(cell, 3, 5, layers, 2, seed=4, nonlinearity=nonlinearity)
    model.params = {k: 2.0 * v for k, v in model.params.items()}
    x = np.random.default_rng(0).normal(size=(9, 3))
    flow = gradient_flow(model, forward(model, x))
    J_h, J_c = numeric_jacobians(model, x)
    ref_h = np.linalg.norm(J_h, axis=(1, 2))
    np.testing.assert_allclose(flow["sensitivity_h"], ref_h, rtol=1e-7, atol=1e-9)
    assert flow["sensitivity_h"][-1] == pytest.approx(np.sqrt(5))
    if cell == "lstm":
        np.testing.assert_allclose(
            flow["sensitivity_c"], np.linalg.norm(J_c, axis=(1, 2)), rtol=1e-7, atol=1e-9
        )
    else:
        assert "sensitivity_c" not in flow


def test_contracting_rnn_forgets() -> None:
    """A tanh RNN whose W_hh has spectral norm 0.5 loses at least half per step, exactly as
    the bound ||dh_T/dh_t|| <= 0.5^(T-t) ||I|| says."""
    model = init_model("rnn", 2, 4, 1, None, seed=0)
    q, _ = np.linalg.qr(np.random.default_rng(1).normal(size=(4, 4)))
    model.params["weight_hh_l0"] = 0.5 * q
    x = np.random.default_rng(2).normal(size=(12, 2))
    s = gradient_flow(model, forward(model, x))["sensitivity_h"]
    bound = 2.0 * 0.5 ** np.arange(11, -1, -1)
    assert np.all(s <= bound * (1 + 1e-12))
    assert np.all(np.diff(s) > 0)


def test_batched_trace_is_refused() -> None:
    model = init_model("lstm", 2, 3, 1, None, seed=0)
    with pytest.raises(RnnError):
        gradient_flow(model, forward(model, np.zeros((4, 2, 2))))
