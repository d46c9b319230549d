"""Training: optimisers, determinism, the history file, the default models and the commands."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rnncore import forward, init_model
from rnncore.data import DEFAULT_TEXT, text_data
from rnncore.optim import SGD, Adam, clip_grad_norm
from rnncore.tasks import adding_problem
from rnncore.train import History, history_path, train
from scenes.cli import main

pytestmark = pytest.mark.usefixtures("private_cache")  # tests/conftest.py


def hello_model(cell: str, seed: int = 0):
    d = text_data(DEFAULT_TEXT)
    return init_model(cell, len(d.vocab), 8, 1, len(d.vocab), seed=seed, vocab=d.vocab), d


# ---------------------------------------------------------------- optimisers


def test_sgd_momentum_by_hand() -> None:
    p = {"w": np.array([1.0, -2.0])}
    opt = SGD(lr=0.1, momentum=0.9)
    g1, g2 = np.array([0.5, 1.0]), np.array([-1.0, 2.0])
    opt.step(p, {"w": g1})
    opt.step(p, {"w": g2})
    v2 = 0.9 * g1 + g2
    np.testing.assert_allclose(p["w"], np.array([1.0, -2.0]) - 0.1 * g1 - 0.1 * v2, rtol=1e-15)


def test_adam_first_step_moves_by_lr_times_sign() -> None:
    p = {"w": np.array([1.0, -2.0, 3.0])}
    Adam(lr=0.01).step(p, {"w": np.array([0.3, -4.0, 1e-3])})
    np.testing.assert_allclose(p["w"], [0.99, -1.99, 2.99], rtol=0, atol=1e-7)


@pytest.mark.parametrize("name", ["sgd", "adam"])
def test_optimisers_match_torch(name: str) -> None:
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    w0 = rng.normal(size=(3, 4))
    grads = [rng.normal(size=(3, 4)) for _ in range(5)]
    ours = {"w": w0.copy()}
    opt = SGD(0.05, 0.9) if name == "sgd" else Adam(0.05)
    tw = torch.tensor(w0, requires_grad=True)
    topt = (
        torch.optim.SGD([tw], lr=0.05, momentum=0.9)
        if name == "sgd"
        else torch.optim.Adam([tw], lr=0.05)
    )
    for g in grads:
        opt.step(ours, {"w": g.copy()})
        tw.grad = torch.tensor(g)
        topt.step()
    np.testing.assert_allclose(ours["w"], tw.detach().numpy(), rtol=1e-12, atol=1e-14)


def test_clip_grad_norm() -> None:
    grads = {"a": np.array([3.0, 0.0]), "b": np.array([[4.0]])}
    assert clip_grad_norm(grads, 1.0) == pytest.approx(5.0)
    total = np.sqrt(sum(float(np.sum(g * g)) for g in grads.values()))
    assert total == pytest.approx(1.0, abs=1e-6)
    np.testing.assert_allclose(grads["a"] / grads["b"][0], [0.75, 0.0])


# ---------------------------------------------------------------- training


@pytest.mark.parametrize("optimiser", ["adam", "sgd"])
def test_training_is_bit_identical(optimiser: str) -> None:
    x, y = adding_problem(8, 32, seed=0)
    m = init_model("lstm", 2, 6, 2, 1, seed=3, output="linear")
    runs = [
        train(m, x, y, steps=15, lr=0.01, optimiser=optimiser, seed=5, last=True, batch_size=8)
        for _ in range(2)
    ]
    (m1, h1), (m2, h2) = runs
    for k in m1.params:
        assert np.array_equal(m1.params[k], m2.params[k])
        assert np.array_equal(h1.snapshots[k], h2.snapshots[k])
    assert np.array_equal(h1.loss, h2.loss)
    other, _ = train(
        m, x, y, steps=15, lr=0.01, optimiser=optimiser, seed=6, last=True, batch_size=8
    )
    assert not np.array_equal(other.params["fc.weight"], m1.params["fc.weight"])
    assert np.array_equal(
        m.params["fc.weight"],
        init_model("lstm", 2, 6, 2, 1, seed=3, output="linear").params["fc.weight"],
    )


def test_history_snapshots_and_file(tmp_path: Path) -> None:
    m, d = hello_model("lstm")
    trained, h = train(m, d.x, d.targets, steps=90, lr=0.03)
    assert h.loss.shape == (90,) and h.accuracy is not None and h.accuracy.shape == (90,)
    assert h.snapshot_steps[0] == 0 and h.snapshot_steps[-1] == 90
    assert 20 <= len(h.snapshot_steps) <= 40
    for k, v in m.params.items():
        assert np.array_equal(h.snapshots[k][0], v)
        assert np.array_equal(h.snapshots[k][-1], trained.params[k])
    replay = [h.model_at(k, trained) for k in range(len(h.snapshot_steps))]
    assert np.array_equal(replay[0].params["weight_hh_l0"], m.params["weight_hh_l0"])
    before, after = (forward(r, d.x).logits.argmax(-1) for r in (replay[0], replay[-1]))
    assert np.array_equal(after, d.targets) and not np.array_equal(before, d.targets)
    path = history_path(tmp_path / "w.safetensors")
    assert path.name == "w.history.npz"
    h.save(path)
    back = History.load(path)
    assert np.array_equal(back.loss, h.loss) and np.array_equal(back.accuracy, h.accuracy)
    assert np.array_equal(back.snapshot_steps, h.snapshot_steps)
    assert all(np.array_equal(back.snapshots[k], h.snapshots[k]) for k in h.snapshots)
    assert back.settings == h.settings and back.settings["optimiser"] == "adam"
    assert [p.name for p in tmp_path.iterdir()] == ["w.history.npz"]  # no temporary left
    np.load(path, allow_pickle=False).close()


def test_training_lowers_the_loss_on_the_adding_problem() -> None:
    x, y = adding_problem(10, 256, seed=0)
    m = init_model("lstm", 2, 8, 1, 1, seed=0, output="linear")
    _, h = train(m, x, y, steps=150, lr=0.01, last=True, batch_size=64, seed=0)
    assert h.loss[-20:].mean() < 0.5 * h.loss[:5].mean()


# ---------------------------------------------------------------- default models


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_default_models_are_perfect_on_hello(cell: str) -> None:
    from rnncore.defaults import trained_model

    model, history = trained_model(cell)
    d = text_data(DEFAULT_TEXT)
    pred = forward(model, d.x).logits.argmax(axis=-1)
    assert np.array_equal(pred, d.targets)
    assert history.accuracy is not None and history.accuracy[-1] == 1.0
    assert history.loss[-1] < 0.05 * history.loss[0]


def test_default_lstm_forget_gate_erases() -> None:
    """Shot L3 needs a step where the forget gate wipes a real entry of the diary."""
    from rnncore.defaults import trained_model

    model, _ = trained_model("lstm")
    tr = forward(model, text_data(DEFAULT_TEXT).x)
    erased = (tr.f[1:] < 0.2) & (np.abs(tr.c[:-1]) > 0.5)
    assert erased.any()


def test_default_models_are_cached(private_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from rnncore import defaults

    first, h1 = defaults.trained_model("rnn", text="hello world")
    assert len(list(private_cache.glob("rnn-*.safetensors"))) == 1

    def no_training(*args: object, **kwargs: object) -> None:
        raise AssertionError("trained again although nothing changed")

    monkeypatch.setattr(defaults, "train", no_training)
    again, h2 = defaults.trained_model("rnn", text="hello world")
    assert all(np.array_equal(first.params[k], again.params[k]) for k in first.params)
    assert np.array_equal(h1.loss, h2.loss) and again.vocab == first.vocab
    with pytest.raises(AssertionError, match="trained again"):
        defaults.trained_model("rnn", text="hello there")  # other data: another key


def test_default_model_on_a_series() -> None:
    from rnncore.defaults import trained_model

    s = np.sin(np.linspace(0, 6, 30))
    model, history = trained_model("lstm", series=s)
    assert model.output == "linear" and model.output_size == 1
    assert history.loss[-1] < 0.01 * history.loss[0]


# ---------------------------------------------------------------- the train command


def test_train_command_writes_weights_and_history(tmp_path: Path, capsys) -> None:
    out = tmp_path / "w.safetensors"
    assert (
        main(["train", "--cell", "lstm", "--text", "hello", "--steps", "60", "--out", str(out)])
        == 0
    )
    assert out.is_file() and history_path(out).is_file()
    assert "training [" in capsys.readouterr().err
    from rnncore.weights import load_model

    model = load_model(out)
    assert model.cell == "lstm" and model.vocab == ["h", "e", "l", "o"]
    assert len(History.load(history_path(out)).loss) == 60
    torch = pytest.importorskip("torch")
    from safetensors.numpy import load_file

    state = {k: torch.tensor(v) for k, v in load_file(str(out)).items() if not k.startswith("fc.")}
    lstm = torch.nn.LSTM(4, 8, dtype=torch.float64)
    lstm.load_state_dict(state)  # strict: every recurrent name and shape as in PyTorch
    d = text_data("hello")
    out_t, _ = lstm(torch.tensor(d.x))
    np.testing.assert_allclose(out_t.detach().numpy(), forward(model, d.x).h, atol=1e-12)


def test_train_command_retrains_beside_weights_of_another_format(tmp_path: Path, capsys) -> None:
    """W.npz and W.safetensors share W.history.npz. Training into W.npz is refused while the
    history is W.safetensors' (L6 would replay the new training for it), but not when it is
    W.npz's own: retraining W.npz beside an unrelated W.safetensors was refused, and the
    message called its own history the other's."""

    def train_into(name: str, steps: str) -> int:
        argv = ["train", "--cell", "rnn", "--steps", steps, "--out", str(tmp_path / name)]
        return main(argv)

    assert train_into("w.safetensors", "3") == 0
    assert train_into("w.npz", "4") == 2  # the history is w.safetensors'
    assert "w.history.npz is the training history of" in capsys.readouterr().err
    assert len(History.load(tmp_path / "w.history.npz").loss) == 3
    history_path(tmp_path / "w.safetensors").unlink()  # w.safetensors: one without a history
    assert train_into("w.npz", "4") == 0
    assert train_into("w.npz", "5") == 0  # its own history, replaced
    assert len(History.load(tmp_path / "w.history.npz").loss) == 5


def test_train_command_on_data_with_targets(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    np.save(tmp_path / "x.npy", rng.normal(size=(12, 2)))
    np.save(tmp_path / "y.npy", rng.normal(size=(12, 3)))
    out = tmp_path / "w.npz"
    assert (
        main(
            [
                "train",
                "--cell",
                "rnn",
                "--data",
                str(tmp_path / "x.npy"),
                "--target",
                str(tmp_path / "y.npy"),
                "--steps",
                "20",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    from rnncore.weights import load_model

    m = load_model(out)
    assert m.output == "linear" and m.input_size == 2 and m.output_size == 3


@pytest.mark.parametrize(
    "args,says",
    [
        (["--steps", "0"], "steps"),
        (["--steps", "-3"], "steps"),
        (["--lr", "0"], "learning rate"),
        (["--lr", "-0.1"], "learning rate"),
        (["--lr", "nan"], "learning rate"),
        (["--hidden", "0"], "--hidden"),
        (["--layers", "0"], "--layers"),
        (["--seed", "-1"], "argument --seed: must be at least 0"),
        (["--cell", "lstm", "--nonlinearity", "relu"], "relu is for the RNN"),
        (["TARGET_MISMATCH"], "one target row per data row"),
        (["TARGET_ONLY"], "--target goes with --data"),
    ],
)
def test_train_command_bad_input(tmp_path: Path, capsys, args: list[str], says: str) -> None:
    np.save(tmp_path / "x.npy", np.zeros((10, 2)))
    np.save(tmp_path / "y.npy", np.zeros((9, 1)))
    if args == ["TARGET_MISMATCH"]:
        args = ["--data", str(tmp_path / "x.npy"), "--target", str(tmp_path / "y.npy")]
    elif args == ["TARGET_ONLY"]:
        args = ["--target", str(tmp_path / "y.npy")]
    out = tmp_path / "w.safetensors"
    assert main(["train", "--cell", "rnn", *args, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("rnn3d: error:") and says in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.npy", "y.npy"]


# ---------------------------------------------------------------- the trace command


def test_trace_command_writes_sensitivities(tmp_path: Path) -> None:
    from rnncore.sensitivity import gradient_flow
    from rnncore.weights import load_model

    w = tmp_path / "w.safetensors"
    assert main(["train", "--cell", "lstm", "--steps", "30", "--out", str(w)]) == 0
    for cell, weights in (("lstm", ["--weights", str(w)]), ("rnn", [])):
        out = tmp_path / f"{cell}.npz"
        assert main(["trace", "--cell", cell, *weights, "--out", str(out)]) == 0
        with np.load(out, allow_pickle=False) as z:
            assert z["sensitivity_h"].shape == (4,)
            assert z["sensitivity_h"][-1] == pytest.approx(np.sqrt(8))
            assert ("sensitivity_c" in z.files) == (cell == "lstm")
            if cell == "lstm":
                model = load_model(w)
                flow = gradient_flow(model, forward(model, text_data("hello").x))
                np.testing.assert_array_equal(z["sensitivity_h"], flow["sensitivity_h"])
                np.testing.assert_array_equal(z["sensitivity_c"], flow["sensitivity_c"])


def test_adding_models_are_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    from rnncore import defaults, tasks

    model, history = defaults.adding_model("lstm", 6, hidden=4, steps=40)
    assert model.hidden_size == 4 and history.loss.shape == (40,)
    test_mse = float(history.settings["test_mse"])
    assert 0 < test_mse < 1

    def no_training(*args: object, **kwargs: object) -> None:
        raise AssertionError("trained again although nothing changed")

    monkeypatch.setattr(tasks, "adding_experiment", no_training)
    again, h2 = defaults.adding_model("lstm", 6, hidden=4, steps=40)
    assert float(h2.settings["test_mse"]) == test_mse
    assert np.array_equal(again.params["weight_hh_l0"], model.params["weight_hh_l0"])
    with pytest.raises(AssertionError, match="trained again"):
        defaults.adding_model("lstm", 7, hidden=4, steps=40)
