"""rnncore's forward pass against PyTorch: committed fixtures (always) and live torch (if any).

The fixtures are made by tests/fixtures/make_torch_fixtures.py; float64 throughout, 1e-9.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rnncore import Model, forward

FIXTURES = sorted(Path(__file__).parent.glob("fixtures/torch_forward_*.npz"))
TOL = 1e-9


def fixture_model(data: np.lib.npyio.NpzFile) -> Model:
    """The fixture's state dict as a Model, prefix stripped by hand (independent of weights.py)."""
    params = {}
    for key in data.files:
        if key.startswith("param."):
            name = key[len("param.") :]
            params[name if name.startswith("fc.") else name.split(".", 1)[1]] = data[key]
    return Model(str(data["cell"]), params, str(data["nonlinearity"]), output="linear")


def test_fixtures_are_there() -> None:
    assert len(FIXTURES) == 6


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_forward_matches_torch_fixture(path: Path) -> None:
    data = np.load(path, allow_pickle=False)
    model = fixture_model(data)
    c0 = data["c0"] if model.cell == "lstm" else None
    trace = forward(model, data["x"], data["h0"], c0)
    np.testing.assert_allclose(trace.h, data["h"], rtol=0, atol=TOL)
    for n, layer in enumerate(trace.layers):
        np.testing.assert_allclose(layer.h, data[f"layer{n}_h"], rtol=0, atol=TOL)
        if model.cell == "lstm":
            np.testing.assert_allclose(layer.c, data[f"layer{n}_c"], rtol=0, atol=TOL)
    if "y" in data.files:
        np.testing.assert_allclose(trace.y, data["y"], rtol=0, atol=TOL)
    else:
        assert trace.y is None


CONFIGS = [  # cell, nonlinearity, input, hidden, layers, steps, batch
    ("rnn", "tanh", 5, 7, 1, 9, None),
    ("rnn", "relu", 2, 6, 3, 8, 4),
    ("lstm", "tanh", 4, 3, 1, 12, None),
    ("lstm", "tanh", 3, 8, 2, 10, 5),
]


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: f"{c[0]}-{c[1]}-L{c[4]}-B{c[6]}")
def test_forward_matches_live_torch(config: tuple) -> None:
    torch = pytest.importorskip("torch")
    cell, nl, inputs, hidden, layers, steps, batch = config
    torch.manual_seed(len(CONFIGS) + inputs * hidden)
    if cell == "lstm":
        module = torch.nn.LSTM(inputs, hidden, layers).double()
    else:
        module = torch.nn.RNN(inputs, hidden, layers, nonlinearity=nl).double()
    model = Model(cell, {k: v.detach().numpy() for k, v in module.state_dict().items()}, nl)
    shape = (steps, inputs) if batch is None else (steps, batch, inputs)
    x = torch.randn(shape, dtype=torch.float64) * 3.0
    with torch.no_grad():
        out, state = module(x)
    trace = forward(model, x.numpy())
    np.testing.assert_allclose(trace.h, out.numpy(), rtol=0, atol=TOL)
    if cell == "lstm":
        h_n, c_n = state
        for n, layer in enumerate(trace.layers):  # the final c of every layer
            np.testing.assert_allclose(layer.c[-1], c_n[n].numpy(), rtol=0, atol=TOL)
            np.testing.assert_allclose(layer.h[-1], h_n[n].numpy(), rtol=0, atol=TOL)
    else:
        for n, layer in enumerate(trace.layers):
            np.testing.assert_allclose(layer.h[-1], state[n].numpy(), rtol=0, atol=TOL)
