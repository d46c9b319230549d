import numpy as np
import pytest

from rnncore import RnnError, tasks
from rnncore.losses import cross_entropy, mse
from rnncore.tasks import ADDING_BASELINE_MSE, adding_problem, copy_baseline, copy_task


def test_adding_problem_structure() -> None:
    x, y = adding_problem(50, 200, seed=3)
    assert x.shape == (50, 200, 2) and y.shape == (200, 1)
    values, markers = x[..., 0], x[..., 1]
    assert values.min() >= 0 and values.max() <= 1
    assert np.all(markers.sum(axis=0) == 2)
    assert np.all(markers[:25].sum(axis=0) == 1)  # one mark in each half
    np.testing.assert_allclose(y[:, 0], (values * markers).sum(axis=0))


def test_adding_problem_mean_baseline_is_one_sixth() -> None:
    """Predicting the mean sum (1) for every sequence scores MSE 1/6, measured on 200k."""
    x, y = adding_problem(10, 200_000, seed=0)
    assert abs(float(np.mean(y)) - 1.0) < 0.01
    loss, _ = mse(np.ones((10, 200_000, 1)), y, last=True)
    assert abs(loss - ADDING_BASELINE_MSE) < 0.003


def test_adding_problem_is_seeded() -> None:
    a, b = adding_problem(20, 5, seed=1), adding_problem(20, 5, seed=1)
    assert all(np.array_equal(p, q) for p, q in zip(a, b, strict=True))
    assert not np.array_equal(a[0], adding_problem(20, 5, seed=2)[0])


def test_copy_task_structure() -> None:
    blank = 15
    x, t = copy_task(blank, 7, seed=0)
    T = blank + 2 * tasks.COPY_LENGTH
    assert x.shape == (T, 7, 10) and t.shape == (T, 7)
    inputs = x.argmax(axis=-1)
    assert np.all(x.sum(axis=-1) == 1)
    np.testing.assert_array_equal(t[-tasks.COPY_LENGTH :], inputs[: tasks.COPY_LENGTH])
    assert np.all(t[: -tasks.COPY_LENGTH] == tasks.BLANK)
    assert np.all(inputs[tasks.COPY_LENGTH + blank - 1] == tasks.DELIMITER)
    assert np.all((inputs[: tasks.COPY_LENGTH] >= 1) & (inputs[: tasks.COPY_LENGTH] <= 8))


def test_copy_baseline_matches_memoryless_strategy() -> None:
    blank = 30
    x, t = copy_task(blank, 4000, seed=0)
    p = np.zeros(x.shape)
    p[: -tasks.COPY_LENGTH, :, tasks.BLANK] = 1.0
    p[-tasks.COPY_LENGTH :, :, 1:9] = 1.0 / 8
    logits = np.log(np.maximum(p, 1e-300))
    loss, _ = cross_entropy(logits, t)
    assert loss == pytest.approx(copy_baseline(blank), rel=1e-9)


def test_bad_task_sizes() -> None:
    with pytest.raises(RnnError):
        adding_problem(1, 5)
    with pytest.raises(RnnError):
        copy_task(0, 5)


def test_adding_experiment_lstm_beats_the_baseline() -> None:
    from rnncore.tasks import adding_experiment

    r = adding_experiment("lstm", 10, hidden=8, steps=300, train_size=2000, test_size=500)
    assert r.test_mse < 0.3 * ADDING_BASELINE_MSE
    assert r.history.loss.shape == (300,) and r.model.cell == "lstm"
