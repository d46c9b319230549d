"""Long data: training on windows (truncated BPTT), standardised series, the default models on
a year of hourly readings, and the train command's --window and --batch."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import numpy as np
import pytest

from rnncore import forward, init_model
from rnncore.backward import backward
from rnncore.errors import RnnError
from rnncore.losses import compute_loss
from rnncore.scaling import Standardisation, fold, train_standardised
from rnncore.series import hourly_readings
from rnncore.train import History, history_path, train, windows
from scenes.cli import main

pytestmark = pytest.mark.usefixtures("private_cache")  # tests/conftest.py


def series_model(cell: str, seed: int = 0):
    return init_model(cell, 2, 6, 1, 2, seed=seed, output="linear")


# ---------------------------------------------------------------- windows


def test_windows_are_slices_stacked_time_first() -> None:
    x = np.arange(20.0).reshape(10, 2)
    t = np.arange(10)
    xb, tb = windows(x, t, np.array([0, 4, 7]), 3)
    assert xb.shape == (3, 3, 2) and tb.shape == (3, 3)
    for b, s in enumerate([0, 4, 7]):
        assert np.array_equal(xb[:, b], x[s : s + 3]) and np.array_equal(tb[:, b], t[s : s + 3])


def test_a_training_step_follows_the_gradient_of_the_seeded_windows() -> None:
    """One plain SGD step (no clipping) moves every weight by -lr times the gradient on the
    windows whose starts the seed draws: uniform over every start that fits."""
    s = hourly_readings(300)
    x, y = s[:-1], s[1:]
    m = series_model("lstm")
    stepped, history = train(
        m, x, y, steps=1, lr=0.1, optimiser="sgd", clip=None, seed=4, window=20, batch_size=5
    )
    starts = np.random.default_rng(4).integers(0, len(x) - 20 + 1, size=5)
    xb, yb = windows(x, y, starts, 20)
    tr = forward(m, xb)
    value, d = compute_loss("mse", tr.y, yb)
    grads = backward(m, tr, d)
    assert history.loss[0] == value
    for k, p in m.params.items():
        np.testing.assert_allclose(stepped.params[k], p - 0.1 * grads[k], rtol=1e-13, atol=1e-15)


def test_windowed_training_is_deterministic_and_seeded() -> None:
    s = hourly_readings(500)
    runs = [
        train(series_model("rnn"), s[:-1], s[1:], steps=20, seed=seed, window=16, batch_size=4)[
            1
        ].loss
        for seed in (1, 1, 2)
    ]
    assert np.array_equal(runs[0], runs[1]) and not np.array_equal(runs[0], runs[2])


def test_a_sequence_within_one_window_trains_whole() -> None:
    s = hourly_readings(40)
    whole, _ = train(series_model("lstm"), s[:-1], s[1:], steps=5)
    windowed, h = train(series_model("lstm"), s[:-1], s[1:], steps=5, window=39, batch_size=8)
    assert all(np.array_equal(whole.params[k], windowed.params[k]) for k in whole.params)
    assert h.settings["window"] == "39"


@pytest.mark.parametrize(
    "case,says",
    [
        ("window0", "window length must be at least 1"),
        ("batch0", "batch size must be at least 1"),
        ("last", "last step only cannot be cut into windows"),
        ("batched", "windows are cut from one sequence"),
    ],
)
def test_windowed_training_refuses_what_it_cannot_do(case: str, says: str) -> None:
    s = hourly_readings(100)
    x, y, kw = s[:-1], s[1:], {"window": 10}
    if case == "window0":
        kw = {"window": 0}
    elif case == "batch0":
        kw = {"window": 10, "batch_size": 0}
    elif case == "last":
        kw = {"window": 10, "last": True}
    else:
        x, y = x[:, None], y[:, None]
    with pytest.raises(RnnError, match=says):
        train(series_model("rnn"), x, y, steps=2, **kw)


# ---------------------------------------------------------------- standardised training


def test_folded_weights_on_raw_data_equal_the_trained_model_on_standardised_data() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(30, 2)) * [3.0, 40.0] + [10.0, 70.0]
    y = rng.normal(size=(30, 2)) * [0.5, 20.0] - [4.0, 100.0]
    xs, ys = Standardisation.of(x), Standardisation.of(y)
    m = series_model("lstm", seed=3)
    unit = forward(m, xs.apply(x))
    m_raw = m.copy()
    m_raw.params = fold(m.params, xs, ys)
    raw = forward(m_raw, x)
    np.testing.assert_allclose(raw.h, unit.h, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(raw.y, unit.y * ys.std + ys.mean, rtol=1e-12, atol=1e-10)
    stacked = {k: np.stack([v, 2 * v]) for k, v in m.params.items()}  # a snapshot axis
    folded = fold(stacked, xs, ys)
    for k, v in fold({k: 2 * v for k, v in m.params.items()}, xs, ys).items():
        np.testing.assert_allclose(folded[k][1], v, rtol=1e-14, atol=1e-14)


def test_standardised_training_gives_a_model_and_history_for_raw_data() -> None:
    s = hourly_readings(400)
    x, y = s[:-1], s[1:]
    plain, _ = train(series_model("rnn"), x, y, steps=60, lr=0.03, window=24, batch_size=8)
    model, history = train_standardised(
        series_model("rnn"), x, y, steps=60, lr=0.03, window=24, batch_size=8
    )
    err = np.mean((forward(model, x).y - y) ** 2, axis=0)
    plain_err = np.mean((forward(plain, x).y - y) ** 2, axis=0)
    assert np.all(err < 0.5 * y.var(axis=0)) and np.all(err < 0.5 * plain_err)
    last = history.model_at(len(history.snapshot_steps) - 1, model)
    assert all(np.array_equal(last.params[k], model.params[k]) for k in model.params)
    assert history.settings["standardised"] == "True"


# ---------------------------------------------------------------- default models


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_default_models_beat_the_last_value_on_a_long_series(cell: str) -> None:
    """Trained on 4,000 hours (windowed), tested on the 1,000 that follow, run from the start."""
    from rnncore.defaults import trained_model

    s = hourly_readings(5000, seed=1)
    model, history = trained_model(cell, series=s[:4000])
    assert history.settings["window"] != "None"
    pred = forward(model, s[:-1]).y[4000:]
    test_err = np.mean((pred - s[4001:]) ** 2, axis=0)  # per feature: both must be learnt
    last_value_err = np.mean((s[4000:-1] - s[4001:]) ** 2, axis=0)
    assert np.all(test_err < 0.8 * last_value_err)


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_default_models_are_perfect_on_a_text_longer_than_a_window(cell: str) -> None:
    from rnncore.data import text_data
    from rnncore.defaults import trained_model

    text = "the quick brown fox jumps over the lazy dog"
    model, history = trained_model(cell, text=text)
    assert int(history.settings["window"]) < len(text) - 1
    d = text_data(text)
    assert np.array_equal(forward(model, d.x).logits.argmax(axis=-1), d.targets)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_default_model_training_shows_a_progress_bar_on_a_terminal_only(
    monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """On a terminal the bar is redrawn in place and wiped when done; in a log, nothing (the
    command's own output, an error line included, stands alone)."""
    from rnncore.defaults import trained_model

    terminal = Terminal()
    with monkeypatch.context() as m:
        m.setattr(sys, "stderr", terminal)
        trained_model("rnn", text="hi there")
    shown = terminal.getvalue()
    assert "\rtraining the default RNN [" in shown and "300/300" in shown
    assert shown.endswith("\r") and "\n" not in shown
    trained_model("lstm", text="hi there")
    assert capsys.readouterr().err == ""


# ---------------------------------------------------------------- the train command


def test_train_command_trains_on_windows_of_a_long_csv(tmp_path: Path, capsys) -> None:
    from rnncore.weights import load_model

    data = tmp_path / "long.csv"
    s = hourly_readings(3000)
    np.savetxt(data, s, delimiter=",", header="temperature,humidity", comments="")
    out = tmp_path / "w.safetensors"
    assert (
        main(
            [
                "train",
                "--cell",
                "lstm",
                "--data",
                str(data),
                "--steps",
                "150",
                "--window",
                "24",
                "--batch",
                "8",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    settings = History.load(history_path(out)).settings
    assert (settings["window"], settings["batch_size"]) == ("24", "8")
    model = load_model(out)  # takes the raw readings and predicts in their units
    pred = forward(model, s[:-1]).y
    assert np.all(np.mean((pred - s[1:]) ** 2, axis=0) < 0.5 * s.var(axis=0))
    assert "training [" in capsys.readouterr().err


@pytest.mark.parametrize("option", ["--window", "--batch"])
def test_train_command_refuses_empty_windows(tmp_path: Path, capsys, option: str) -> None:
    out = tmp_path / "w.safetensors"
    assert main(["train", "--cell", "rnn", option, "0", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"argument {option}: must be at least 1" in err
    assert not out.exists()
