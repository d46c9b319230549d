"""Training on standardised numeric data, with the scaling folded into the weights.

A series of hourly readings (a temperature near 10, a humidity near 70) drives tanh and the
gates into saturation from the first step, and the head must output values far from 0: training
on the raw numbers barely moves. So each input and target column is standardised (mean 0,
standard deviation 1) for training, and the two affine maps are then folded into the first
layer and the head, which are linear in them:

    W_ih x_u + b_ih  with x_u = (x - mx) / sx   =  (W_ih / sx) x + (b_ih - W_ih (mx / sx))
    sy (W_hy h + b_hy) + my                      =  (sy W_hy) h + (sy b_hy + my)

The result is an ordinary model of the raw data: same hidden states and gates as the trained
one, outputs in the data's own units, loadable by PyTorch as it is. The weight snapshots of
the History are folded the same way (the formulas broadcast over the snapshot axis), so a
replay of learning runs on the raw data too; the loss stays in standardised units.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .model import HEAD_BIAS, HEAD_WEIGHT, Model
from .train import History, train


@dataclass(frozen=True)
class Standardisation:
    """Per-column mean and standard deviation (1 for a constant column, which stays put)."""

    mean: np.ndarray
    std: np.ndarray

    @classmethod
    def of(cls, a: np.ndarray) -> Standardisation:
        std = a.std(axis=0)
        return cls(a.mean(axis=0), np.where(std > 0, std, 1.0))

    def apply(self, a: np.ndarray) -> np.ndarray:
        return (a - self.mean) / self.std


def fold(
    params: dict[str, np.ndarray], inputs: Standardisation, outputs: Standardisation
) -> dict[str, np.ndarray]:
    """Weights for raw data from weights trained on standardised data (see above). Each array
    may carry leading axes (History snapshots: (S, *shape))."""
    out = dict(params)
    w_ih = params["weight_ih_l0"]
    out["weight_ih_l0"] = w_ih / inputs.std
    out["bias_ih_l0"] = params["bias_ih_l0"] - w_ih @ (inputs.mean / inputs.std)
    out[HEAD_WEIGHT] = params[HEAD_WEIGHT] * outputs.std[:, None]
    out[HEAD_BIAS] = params[HEAD_BIAS] * outputs.std + outputs.mean
    return out


def train_standardised(
    model: Model, x: np.ndarray, targets: np.ndarray, **settings: object
) -> tuple[Model, History]:
    """train() (same settings) on x (T, I) -> targets (T, O), both standardised per column; the
    model and History returned take and give raw values. model needs a linear head."""
    x_scale, y_scale = Standardisation.of(x), Standardisation.of(targets)
    trained, history = train(model, x_scale.apply(x), y_scale.apply(targets), **settings)  # type: ignore[arg-type]
    trained.params = fold(trained.params, x_scale, y_scale)
    history.snapshots = fold(history.snapshots, x_scale, y_scale)
    history.settings["standardised"] = "True"
    return trained, history
