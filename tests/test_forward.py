"""Hand-worked forward passes: 1-unit cells with chosen weights, computed step by step here."""

from __future__ import annotations

import math

import numpy as np
import pytest

from rnncore import Model, RnnError, forward, init_model, lstm_step, rnn_step


def sig(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))  # the textbook form, independent of rnncore's tanh form


def one_unit_rnn(w_ih: float, w_hh: float, b_ih: float, b_hh: float, nl: str = "tanh") -> Model:
    p = {
        "weight_ih_l0": np.array([[w_ih]]),
        "weight_hh_l0": np.array([[w_hh]]),
        "bias_ih_l0": np.array([b_ih]),
        "bias_hh_l0": np.array([b_hh]),
    }
    return Model("rnn", p, nl)


def test_rnn_tanh_two_steps_by_hand() -> None:
    model = one_unit_rnn(0.5, -1.0, 0.1, 0.2)
    trace = forward(model, np.array([[1.0], [2.0]]))
    h1 = math.tanh(0.5 * 1.0 + 0.1 + 0.2)  # h0 = 0
    pre2 = 0.5 * 2.0 + 0.1 - 1.0 * h1 + 0.2
    assert trace.h[:, 0] == pytest.approx([h1, math.tanh(pre2)], abs=1e-15)
    assert trace.top.pre[:, 0] == pytest.approx([0.8, pre2], abs=1e-15)
    assert trace.c is None and trace.y is None


def test_input_share_of_the_pre_activation_by_hand() -> None:
    # pre_x = W_in x_t + b_in; pre - pre_x is the memory's share W_s S_{t-1} + b_s (shot R5).
    model = one_unit_rnn(0.5, -1.0, 0.1, 0.2)
    trace = forward(model, np.array([[1.0], [2.0]]))
    h1 = math.tanh(0.8)
    assert trace.top.pre_x[:, 0] == pytest.approx([0.6, 1.1], abs=1e-15)
    memory_share = trace.top.pre[:, 0] - trace.top.pre_x[:, 0]
    assert memory_share == pytest.approx([0.2, -1.0 * h1 + 0.2], abs=1e-15)


def test_rnn_relu_by_hand() -> None:
    model = one_unit_rnn(1.0, 2.0, -0.5, 0.0, "relu")
    trace = forward(model, np.array([[1.0], [-3.0], [1.0]]))
    # pre: 1 - 0.5 = 0.5; -3 - 0.5 + 2 * 0.5 = -2.5 -> 0; 1 - 0.5 + 2 * 0 = 0.5
    assert trace.top.pre[:, 0].tolist() == [0.5, -2.5, 0.5]
    assert trace.h[:, 0].tolist() == [0.5, 0.0, 0.5]


def test_rnn_step_alone() -> None:
    pre, h = rnn_step(np.array([0.3]), np.array([0.5]), np.array([[2.0]]), np.array([-0.1]))
    assert pre[0] == pytest.approx(0.3 + 1.0 - 0.1)
    assert h[0] == pytest.approx(math.tanh(1.2))


LSTM_W_IH = [0.5, -1.0, 2.0, 1.0]  # rows i, f, g, o (PyTorch's order), distinct on purpose
LSTM_W_HH = [0.1, 0.2, -0.3, 0.4]
LSTM_B_IH = [0.0, 1.0, 0.0, 0.0]
LSTM_B_HH = [0.1, 0.0, 0.0, -0.2]


def hand_lstm_step(x: float, h: float, c: float) -> tuple[float, float, list[float]]:
    z = [
        wi * x + wh * h + bi + bh
        for wi, wh, bi, bh in zip(LSTM_W_IH, LSTM_W_HH, LSTM_B_IH, LSTM_B_HH, strict=True)
    ]
    i, f, g, o = sig(z[0]), sig(z[1]), math.tanh(z[2]), sig(z[3])
    c_new = f * c + i * g
    return o * math.tanh(c_new), c_new, [i, f, g, o]


def test_lstm_two_steps_by_hand() -> None:
    p = {
        "weight_ih_l0": np.array(LSTM_W_IH)[:, None],
        "weight_hh_l0": np.array(LSTM_W_HH)[:, None],
        "bias_ih_l0": np.array(LSTM_B_IH),
        "bias_hh_l0": np.array(LSTM_B_HH),
    }
    model = Model("lstm", p)
    trace = forward(model, np.array([[1.0], [0.5]]), h0=np.zeros((1, 1)), c0=np.full((1, 1), 0.3))
    h, c = 0.0, 0.3
    for t, x in enumerate((1.0, 0.5)):
        h, c, gates = hand_lstm_step(x, h, c)
        got = [trace.i[t, 0], trace.f[t, 0], trace.g[t, 0], trace.o[t, 0]]
        assert got == pytest.approx(gates, abs=1e-14)
        assert trace.c[t, 0] == pytest.approx(c, abs=1e-14)
        assert trace.h[t, 0] == pytest.approx(h, abs=1e-14)
    assert trace.top.c0[0] == 0.3
    # first step, by hand: z = (0.6, 0, 2, 0.8), so f = 1/2 exactly
    assert trace.f[0, 0] == 0.5


def test_lstm_step_alone_gate_order() -> None:
    """A 2-unit LSTM step: each gate reads its own rows of the stacked (i, f, g, o) weights."""
    H = 2
    xw = np.array([1.0, -1.0, 2.0, -2.0, 0.5, -0.5, 3.0, -3.0])
    pre, i, f, g, o, c, h = lstm_step(
        xw, np.zeros(H), np.array([1.0, 1.0]), np.zeros((4 * H, H)), np.zeros(4 * H)
    )
    assert pre.tolist() == xw.tolist()
    assert i == pytest.approx([sig(1.0), sig(-1.0)])
    assert f == pytest.approx([sig(2.0), sig(-2.0)])
    assert g == pytest.approx([math.tanh(0.5), math.tanh(-0.5)])
    assert o == pytest.approx([sig(3.0), sig(-3.0)])
    assert c == pytest.approx(f * 1.0 + i * g)
    assert h == pytest.approx(o * np.tanh(c))


def test_two_stacked_layers_by_hand() -> None:
    low, high = one_unit_rnn(1.0, 0.5, 0.0, 0.0), one_unit_rnn(-2.0, 0.25, 0.1, 0.0)
    params = dict(low.params)
    params.update({k.replace("_l0", "_l1"): v for k, v in high.params.items()})
    trace = forward(Model("rnn", params), np.array([[0.2], [0.4]]))
    a1 = math.tanh(0.2)
    a2 = math.tanh(0.4 + 0.5 * a1)
    b1 = math.tanh(-2.0 * a1 + 0.1)
    b2 = math.tanh(-2.0 * a2 + 0.25 * b1 + 0.1)
    assert trace.layers[0].h[:, 0] == pytest.approx([a1, a2], abs=1e-15)
    assert trace.h[:, 0] == pytest.approx([b1, b2], abs=1e-15)
    np.testing.assert_array_equal(trace.layers[1].x, trace.layers[0].h)  # reads the h below


def test_softmax_head_by_hand() -> None:
    model = one_unit_rnn(1.0, 0.0, 0.0, 0.0)
    model.params["fc.weight"] = np.array([[2.0], [-1.0]])
    model.params["fc.bias"] = np.array([0.0, 0.5])
    trace = forward(model, np.array([[0.3]]))
    h = math.tanh(0.3)
    logits = [2.0 * h, -h + 0.5]
    total = math.exp(logits[0]) + math.exp(logits[1])
    assert trace.logits[0] == pytest.approx(logits)
    assert trace.y[0] == pytest.approx([math.exp(v) / total for v in logits])


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_batch_agrees_with_single_sequences(cell: str) -> None:
    model = init_model(cell, 3, 6, 2, 4, seed=3)
    x = np.random.default_rng(1).normal(size=(9, 5, 3))
    batch = forward(model, x)
    assert batch.batched and batch.h.shape == (9, 5, 6) and batch.y.shape == (9, 5, 4)
    for b in range(5):
        one = forward(model, x[:, b])
        assert not one.batched
        np.testing.assert_allclose(batch.h[:, b], one.h, rtol=0, atol=1e-14)
        np.testing.assert_allclose(batch.y[:, b], one.y, rtol=0, atol=1e-14)
        if cell == "lstm":
            np.testing.assert_allclose(batch.c[:, b], one.c, rtol=0, atol=1e-14)


def test_trace_shapes_are_documented() -> None:
    trace = forward(init_model("lstm", 4, 5, 2, 3, seed=0), np.eye(4)[[0, 1, 2, 2]])
    assert trace.x.shape == (4, 4) and trace.steps == 4
    for n, layer in enumerate(trace.layers):
        assert layer.x.shape == (4, 4 if n == 0 else 5)
        assert layer.pre.shape == (4, 20)
        for name in ("h", "c", "i", "f", "g", "o"):
            assert getattr(layer, name).shape == (4, 5)
        assert layer.h0.shape == layer.c0.shape == (5,)
    np.testing.assert_allclose(trace.y.sum(axis=1), 1.0)


@pytest.mark.parametrize(
    "x, message",
    [
        (np.zeros((3, 2)), "features but the model expects 4"),
        (np.zeros((0, 4)), "empty"),
        (np.zeros(4), "shape (T, I) or (T, B, I)"),
        (np.array([[0.0, np.nan, 0.0, 0.0]]), "NaN"),
    ],
)
def test_bad_inputs_raise_one_clear_error(x: np.ndarray, message: str) -> None:
    with pytest.raises(RnnError, match=message.replace("(", r"\(").replace(")", r"\)")):
        forward(init_model("rnn", 4, 2, seed=0), x)
