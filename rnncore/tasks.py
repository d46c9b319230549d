"""Long-memory tasks: data that only a network remembering far back can fit.

Adding problem (Hochreiter & Schmidhuber 1997; here the version of Arjovsky et al. 2016): each
step carries a value ~ U[0, 1] and a marker; exactly two steps are marked, one in the first half
of the sequence and one in the second; the target, read at the last step, is the sum of the two
marked values. Always predicting the mean sum, 1, scores MSE = Var(a + b) = 2 * 1/12 = 1/6.

Copy task (same paper): 10 symbols drawn from 8, then a stretch of blanks, then a delimiter;
after it the network must output the 10 symbols in order. Until then the target is blank.
Always predicting blank then guessing uniformly scores 10 * ln(8) / (blank + 20) nats per step.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .errors import RnnError
from .forward import forward
from .losses import mse
from .model import Model, init_model
from .train import History, train

ADDING_BASELINE_MSE = 1.0 / 6.0
COPY_SYMBOLS = 8  # symbols 1..8; 0 is the blank, 9 the delimiter
COPY_LENGTH = 10
BLANK, DELIMITER = 0, COPY_SYMBOLS + 1


def adding_problem(length: int, batch: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """x: (length, batch, 2) = (value, marker) per step; targets: (batch, 1), the marked sum."""
    if length < 2 or batch < 1:
        raise RnnError(
            f"the adding problem needs length >= 2 and batch >= 1, got {length}, {batch}"
        )
    rng = np.random.default_rng(seed)
    values = rng.uniform(0.0, 1.0, size=(length, batch))
    half = length // 2
    first = rng.integers(0, half, size=batch)
    second = rng.integers(half, length, size=batch)
    markers = np.zeros((length, batch))
    cols = np.arange(batch)
    markers[first, cols] = 1.0
    markers[second, cols] = 1.0
    x = np.stack([values, markers], axis=-1)
    targets = (values[first, cols] + values[second, cols])[:, None]
    return x, targets


def copy_task(blank: int, batch: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """x: (blank + 20, batch, 10) one-hot inputs; targets: (blank + 20, batch) class indices.

    Inputs: 10 symbols, blank - 1 blanks, the delimiter, 10 blanks. Targets: blank + 10 blanks,
    then the 10 symbols.
    """
    if blank < 1 or batch < 1:
        raise RnnError(f"the copy task needs blank >= 1 and batch >= 1, got {blank}, {batch}")
    rng = np.random.default_rng(seed)
    symbols = rng.integers(1, COPY_SYMBOLS + 1, size=(COPY_LENGTH, batch))
    T = blank + 2 * COPY_LENGTH
    inputs = np.full((T, batch), BLANK)
    inputs[:COPY_LENGTH] = symbols
    inputs[COPY_LENGTH + blank - 1] = DELIMITER
    targets = np.full((T, batch), BLANK)
    targets[-COPY_LENGTH:] = symbols
    x = np.eye(COPY_SYMBOLS + 2)[inputs]
    return x, targets


def copy_baseline(blank: int) -> float:
    """Cross-entropy per step of the memoryless strategy: blank, then a uniform guess."""
    return COPY_LENGTH * np.log(COPY_SYMBOLS) / (blank + 2 * COPY_LENGTH)


@dataclass
class AddingResult:
    """One model trained on the adding problem of one length, scored on fresh sequences."""

    cell: str
    length: int
    model: Model
    history: History
    test_mse: float
    seconds: float  # training time


def adding_experiment(
    cell: str,
    length: int,
    hidden: int = 32,
    steps: int = 2000,
    lr: float = 0.01,
    batch_size: int = 64,
    seed: int = 0,
    train_size: int = 20_000,
    test_size: int = 1_000,
) -> AddingResult:
    """Train a one-layer cell (PyTorch's default init, no tricks) with Adam on the adding
    problem and measure its MSE on test sequences it never saw (baseline: 1/6)."""
    x, y = adding_problem(length, train_size, seed=seed + 1)
    x_test, y_test = adding_problem(length, test_size, seed=seed + 2)
    model = init_model(cell, 2, hidden, 1, 1, seed=seed, output="linear")
    start = time.perf_counter()
    model, history = train(
        model,
        x,
        y,
        loss="mse",
        steps=steps,
        lr=lr,
        clip=1.0,
        last=True,
        batch_size=batch_size,
        seed=seed,
    )
    seconds = time.perf_counter() - start
    y_pred = forward(model, x_test).y
    assert y_pred is not None  # the model has a head
    test_mse, _ = mse(y_pred, y_test, last=True)
    return AddingResult(cell, length, model, history, test_mse, seconds)
