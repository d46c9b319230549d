"""Backpropagation through time against centred finite differences (float64), and against
PyTorch autograd: committed fixtures always, live torch when it is installed."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

from rnncore import Model, forward, init_model
from rnncore.backward import backward
from rnncore.losses import compute_loss

FIXTURES = Path(__file__).parent / "fixtures"


def rel_error(a: np.ndarray, b: np.ndarray) -> float:
    """Norm-wise relative error of one parameter's gradient (0 when both are 0)."""
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)


def make_case(
    cell: str,
    nonlinearity: str = "tanh",
    layers: int = 1,
    head: bool = True,
    loss: str = "cross_entropy",
    batch: int | None = 2,
    seed: int = 0,
):
    rng = np.random.default_rng(seed)
    n_in, H, n_out, T = 3, 4, 3, 5
    model = init_model(
        cell,
        n_in,
        H,
        layers,
        n_out if head else None,
        seed=seed,
        nonlinearity=nonlinearity,
        output="softmax" if loss == "cross_entropy" else "linear",
    )
    # larger weights than the default init, so the gates and tanh are far from linear
    model.params = {k: 1.5 * v for k, v in model.params.items()}
    lead = (T,) if batch is None else (T, batch)
    x = rng.normal(size=lead + (n_in,))
    st = (layers, H) if batch is None else (layers, batch, H)
    h0, c0 = rng.normal(size=st), rng.normal(size=st)
    out = n_out if head else H
    targets = (
        rng.integers(0, n_out, size=lead)
        if loss == "cross_entropy"
        else rng.normal(size=lead + (out,))
    )
    return model, x, h0, c0, targets


def loss_of(model: Model, x, h0, c0, targets, loss: str, last: bool) -> tuple[float, dict]:
    c0_ = c0 if model.cell == "lstm" else None
    tr = forward(model, x, h0, c0_)
    scores = tr.logits if model.has_head else tr.h
    value, dscores = compute_loss(loss, scores, targets, last)
    return value, backward(model, tr, dscores)


def centred_differences(
    f, arrays: dict[str, np.ndarray], eps: float = 1e-6
) -> dict[str, np.ndarray]:
    """df/da for every entry of every array, by centred finite differences, nudging in place."""
    num = {}
    for name, a in arrays.items():
        g = np.zeros_like(a)
        for idx in np.ndindex(a.shape):
            keep = a[idx]
            a[idx] = keep + eps
            up = f()
            a[idx] = keep - eps
            down = f()
            a[idx] = keep
            g[idx] = (up - down) / (2 * eps)
        num[name] = g
    return num


def numeric_grads(
    model: Model, x, h0, c0, targets, loss: str, last: bool, eps: float = 1e-6
) -> dict[str, np.ndarray]:
    arrays = dict(model.params, h0=h0)
    if model.cell == "lstm":
        arrays["c0"] = c0
    return centred_differences(
        lambda: loss_of(model, x, h0, c0, targets, loss, last)[0], arrays, eps
    )


CASES = [
    dict(cell="rnn", nonlinearity="tanh"),
    dict(cell="rnn", nonlinearity="relu"),
    dict(cell="lstm"),
    dict(cell="rnn", layers=2),
    dict(cell="lstm", layers=2),
    dict(cell="rnn", loss="mse"),
    dict(cell="lstm", loss="mse", layers=2),
    dict(cell="lstm", loss="mse", head=False),
    dict(cell="rnn", nonlinearity="relu", loss="mse", head=False, layers=2),
    dict(cell="lstm", batch=None),
    dict(cell="rnn", batch=None, loss="mse"),
]


@pytest.mark.parametrize("last", [False, True], ids=["every-step", "last-step"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join(f"{v}" for v in c.values()))
def test_gradients_match_finite_differences(case: dict, last: bool) -> None:
    loss = case.get("loss", "cross_entropy")
    model, x, h0, c0, targets = make_case(**case)
    _, grads = loss_of(model, x, h0, c0, targets, loss, last)
    num = numeric_grads(model, x, h0, c0, targets, loss, last)
    assert set(num) == set(grads)
    for name in num:
        assert grads[name].shape == num[name].shape, name
        assert rel_error(grads[name], num[name]) < 1e-6, name


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_final_state_gradients(cell: str) -> None:
    """Seeds on h_T and c_T of every layer (PyTorch's h_n, c_n) reach every parameter."""
    model, x, h0, c0, _ = make_case(cell, layers=2, head=False)
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=h0.shape), rng.normal(size=c0.shape)

    def f() -> float:
        tr = forward(model, x, h0, c0 if cell == "lstm" else None)
        h_n = np.stack([lt.h[-1] for lt in tr.layers])
        value = float(np.sum(a * h_n))
        if cell == "lstm":
            value += float(np.sum(b * np.stack([lt.c[-1] for lt in tr.layers])))
        return value

    tr = forward(model, x, h0, c0 if cell == "lstm" else None)
    grads = backward(model, tr, None, dh_T=a, dc_T=b if cell == "lstm" else None)
    num = centred_differences(f, dict(model.params, h0=h0))
    for name in num:
        assert rel_error(grads[name], num[name]) < 1e-6, name


def test_batched_equals_sum_of_single_sequences() -> None:
    model, x, h0, c0, targets = make_case("lstm", layers=2, loss="mse")
    tr = forward(model, x, h0, c0)
    d = np.random.default_rng(2).normal(size=tr.logits.shape)
    both = backward(model, tr, d)
    for b in range(x.shape[1]):
        one = backward(model, forward(model, x[:, b], h0[:, b], c0[:, b]), d[:, b])
        np.testing.assert_allclose(one["h0"], both["h0"][:, b], rtol=1e-12, atol=1e-14)
    single = [
        backward(model, forward(model, x[:, b], h0[:, b], c0[:, b]), d[:, b])
        for b in range(x.shape[1])
    ]
    for name in model.params:
        np.testing.assert_allclose(sum(s[name] for s in single), both[name], rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_no_warnings_for_huge_pre_activations(cell: str) -> None:
    """Pre-activations up to 1e4 in magnitude: no overflow or invalid value, finite gradients."""
    model, x, h0, c0, targets = make_case(cell, loss="cross_entropy")
    model.params = {k: v * 3e3 for k, v in model.params.items()}
    x = x * 10
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tr = forward(model, x, h0, c0 if cell == "lstm" else None)
        assert np.abs(tr.top.pre).max() > 1e4
        _, dlogits = compute_loss("cross_entropy", tr.logits, targets)
        grads = backward(model, tr, dlogits)
    assert all(np.all(np.isfinite(g)) for g in grads.values())


def _fixture_files(part: str = "") -> list[Path]:
    return sorted(FIXTURES.glob(f"torch_grads_*{part}.npz"))


def _grads_from_fixture(z) -> tuple[dict, dict]:
    cell = str(z["cell"])
    params = {k[len("param/") :]: z[k] for k in z.files if k.startswith("param/")}
    model = Model(cell, params, nonlinearity=str(z["nonlinearity"]), output=str(z["output"]))
    h0 = z["h0"]
    c0 = z["c0"] if cell == "lstm" else None
    x, targets = z["x"], z["targets"]
    if "window" in z.files:  # truncated BPTT: the windows train() would cut at these starts
        from rnncore.train import windows

        x, targets = windows(x, targets, z["starts"], int(z["window"]))
    tr = forward(model, x, h0, c0)
    _, d = compute_loss(str(z["loss"]), tr.logits, targets, bool(z["last"]))
    ours = backward(model, tr, d)
    theirs = {k[len("grad/") :]: z[k] for k in z.files if k.startswith("grad/")}
    return ours, theirs


def test_fixtures_exist() -> None:
    assert len(_fixture_files()) >= 4


@pytest.mark.parametrize("path", _fixture_files(), ids=lambda p: p.stem)
def test_gradients_match_torch_fixtures(path: Path) -> None:
    with np.load(path, allow_pickle=False) as z:
        ours, theirs = _grads_from_fixture(z)
    assert set(theirs) <= set(ours)
    for name, g in theirs.items():
        np.testing.assert_allclose(
            ours[name], g, rtol=0, atol=1e-9 * max(1.0, np.abs(g).max()), err_msg=name
        )


@pytest.mark.parametrize(
    "path", [*_fixture_files()[:2], *_fixture_files("_windows_*")], ids=lambda p: p.stem
)
def test_gradients_match_live_torch(path: Path) -> None:
    pytest.importorskip("torch")
    import importlib.util

    spec = importlib.util.spec_from_file_location("mk", FIXTURES / "make_torch_grad_fixtures.py")
    assert spec is not None and spec.loader is not None
    mk = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mk)
    with np.load(path, allow_pickle=False) as z:
        ours, _ = _grads_from_fixture(z)
        live = mk.torch_grads(dict(z))
    for name, g in live.items():
        np.testing.assert_allclose(
            ours[name], g, rtol=0, atol=1e-9 * max(1.0, np.abs(g).max()), err_msg=name
        )


# ---------------------------------------------------------------- windows (truncated BPTT)


def window_case(cell: str, loss: str):
    """A sequence of 40 steps, and the starts of 3 windows of 6 steps drawn as train() draws
    them (overlapping ones included: starts 3 and 5)."""
    model, _, _, _, _ = make_case(cell, loss=loss)
    rng = np.random.default_rng(7)
    x = rng.normal(size=(40, 3))
    n_out = model.output_size
    targets = (
        rng.integers(0, n_out, size=40) if loss == "cross_entropy" else rng.normal(size=(40, n_out))
    )
    return model, x, targets, np.array([3, 5, 31]), 6


@pytest.mark.parametrize("cell,loss", [("rnn", "mse"), ("lstm", "cross_entropy")])
def test_window_gradients_match_finite_differences(cell: str, loss: str) -> None:
    """The gradient of one windowed step (the windows as a batch, each from the zero state)
    against centred differences of the same loss computed window by window, from slices."""
    from rnncore.train import windows

    model, x, targets, starts, length = window_case(cell, loss)
    xb, tb = windows(x, targets, starts, length)
    tr = forward(model, xb)
    _, dscores = compute_loss(loss, tr.logits, tb)
    grads = backward(model, tr, dscores)

    def per_window_loss() -> float:
        return float(
            np.mean(
                [
                    compute_loss(
                        loss, forward(model, x[s : s + length]).logits, targets[s : s + length]
                    )[0]
                    for s in starts
                ]
            )
        )

    num = centred_differences(per_window_loss, model.params)
    for name in num:
        assert rel_error(grads[name], num[name]) < 1e-6, name
