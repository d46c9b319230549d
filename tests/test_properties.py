"""Property tests: shapes, determinism, and saturation (huge inputs, long sequences)."""

from __future__ import annotations

import warnings

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from rnncore import forward, init_model

FAST = settings(max_examples=25, deadline=None)

cells = st.sampled_from(["rnn", "lstm"])
sizes = st.integers(1, 6)


@FAST
@given(
    cell=cells,
    inputs=sizes,
    hidden=sizes,
    layers=st.integers(1, 3),
    outputs=st.one_of(st.none(), sizes),
    steps=st.integers(1, 7),
    batch=st.one_of(st.none(), st.integers(1, 4)),
)
def test_trace_shapes(
    cell: str,
    inputs: int,
    hidden: int,
    layers: int,
    outputs: int | None,
    steps: int,
    batch: int | None,
) -> None:
    model = init_model(cell, inputs, hidden, layers, outputs, seed=0)
    lead = (steps,) if batch is None else (steps, batch)
    trace = forward(model, np.ones((*lead, inputs)))
    assert trace.batched == (batch is not None) and trace.steps == steps
    assert len(trace.layers) == layers
    G = 4 if cell == "lstm" else 1
    for n, layer in enumerate(trace.layers):
        assert layer.x.shape == (*lead, inputs if n == 0 else hidden)
        assert layer.pre.shape == (*lead, G * hidden)
        assert layer.h.shape == (*lead, hidden)
        assert layer.h0.shape == lead[1:] + (hidden,)
        gates = (layer.c, layer.i, layer.f, layer.g, layer.o)
        if cell == "lstm":
            assert all(a.shape == (*lead, hidden) for a in gates)
        else:
            assert all(a is None for a in gates)
    if outputs is None:
        assert trace.y is None and trace.logits is None
    else:
        assert trace.y.shape == trace.logits.shape == (*lead, outputs)


@FAST
@given(
    cell=cells, inputs=sizes, hidden=sizes, layers=st.integers(1, 2), seed=st.integers(0, 2**32 - 1)
)
def test_same_seed_same_bits(cell: str, inputs: int, hidden: int, layers: int, seed: int) -> None:
    a = init_model(cell, inputs, hidden, layers, inputs, seed=seed)
    b = init_model(cell, inputs, hidden, layers, inputs, seed=seed)
    other = init_model(cell, inputs, hidden, layers, inputs, seed=seed + 1)
    bound = 1.0 / np.sqrt(hidden)
    for name, value in a.params.items():
        assert value.tobytes() == b.params[name].tobytes()
        assert np.all(np.abs(value) <= bound)  # PyTorch's U(-1/sqrt(H), 1/sqrt(H))
    assert any(not np.array_equal(v, other.params[k]) for k, v in a.params.items())
    x = np.random.default_rng(seed).normal(size=(5, inputs))
    assert forward(a, x).h.tobytes() == forward(b, x).h.tobytes()


def no_warnings_finite(model, x):  # type: ignore[no-untyped-def]
    """Run forward with every numpy warning as an error; return the trace.

    Overflow, division by zero and invalid operations raise. Underflow (exp(-1e4) -> 0 in a
    saturated softmax) gives the right answer and is ignored, as numpy does by default.
    """
    with (
        warnings.catch_warnings(),
        np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"),
    ):
        warnings.simplefilter("error")
        trace = forward(model, x)
    for layer in trace.layers:
        for name in ("pre", "h", "c", "i", "f", "g", "o"):
            value = getattr(layer, name)
            assert value is None or np.all(np.isfinite(value)), name
    assert trace.y is None or np.all(np.isfinite(trace.y))
    return trace


@FAST
@given(
    cell=cells,
    nonlinearity=st.sampled_from(["tanh", "relu"]),
    x=st.lists(st.lists(st.floats(-1e4, 1e4), min_size=3, max_size=3), min_size=1, max_size=10),
    seed=st.integers(0, 1000),
)
def test_huge_inputs_stay_finite_without_warnings(
    cell: str, nonlinearity: str, x: list[list[float]], seed: int
) -> None:
    model = init_model(cell, 3, 4, 2, 3, seed=seed, nonlinearity=nonlinearity)
    trace = no_warnings_finite(model, np.array(x))
    np.testing.assert_allclose(trace.y.sum(axis=-1), 1.0)  # softmax of huge logits
    if cell == "lstm":
        assert np.all((trace.i >= 0) & (trace.i <= 1) & (trace.f >= 0) & (trace.f <= 1))
        assert np.all(np.abs(trace.c) <= np.arange(1, len(x) + 1)[:, None] + 1e-12)


def test_saturated_weights_and_inputs() -> None:
    """Weights of +-1e3 and inputs of 1e4: gates saturate (most at exactly 0 or 1), no warnings."""
    model = init_model("lstm", 2, 3, 1, 2, seed=0)
    for name in model.params:
        model.params[name] = np.sign(model.params[name]) * 1e3
    x = np.array([[1e4, -1e4], [-1e4, 1e4], [1e4, 1e4]])
    trace = no_warnings_finite(model, x)
    gates = np.concatenate([trace.i, trace.f, trace.o])
    assert np.all((gates >= 0) & (gates <= 1))
    assert np.mean((gates == 0) | (gates == 1)) > 0.5


def test_ten_thousand_steps_stay_finite() -> None:
    x = np.random.default_rng(0).normal(scale=100.0, size=(10_000, 2))
    for cell in ("rnn", "lstm"):
        trace = no_warnings_finite(init_model(cell, 2, 8, 1, 2, seed=1), x)
        assert trace.h.shape == (10_000, 8)
