"""Losses and their gradients: cross-entropy over a softmax head, mean squared error.

Each returns (loss, dL/d(scores)) where the scores are the head's logits (cross-entropy) or the
outputs y (MSE), of shape (T, [B,] O); the gradient has that full shape, zero on the steps the
loss does not read. Averaging follows PyTorch's default reduction="mean": over every scored
position (step and sequence) for cross-entropy, over every scored element for MSE. With
``last=True`` only the last step is scored (the adding problem predicts once, at the end).
"""

from __future__ import annotations

import numpy as np

from .activations import softmax
from .errors import RnnError

LOSSES = ("cross_entropy", "mse")


def _scored(scores: np.ndarray, last: bool) -> np.ndarray:
    return scores[-1:] if last else scores


def cross_entropy(
    logits: np.ndarray, targets: np.ndarray, last: bool = False
) -> tuple[float, np.ndarray]:
    """-mean log softmax(logits)[target]; targets are class indices of shape (T, [B]).

    With last=True, targets may also have the shape of one step ([B]).
    """
    z = _scored(logits, last)
    t = np.asarray(targets)
    t = t.reshape(z.shape[:-1]) if last and t.size == np.prod(z.shape[:-1]) else _scored(t, last)
    if t.shape != z.shape[:-1]:
        raise RnnError(
            f"targets have shape {np.shape(targets)} but the outputs need "
            f"{logits.shape[:-1]}: give one class index per scored step"
        )
    if not np.issubdtype(t.dtype, np.integer) or t.min() < 0 or t.max() >= z.shape[-1]:
        raise RnnError(f"targets must be class indices in 0..{z.shape[-1] - 1}")
    n = t.size
    # log softmax by log-sum-exp: finite for logits of any finite size (no log(0)).
    shifted = z - z.max(axis=-1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    picked = np.take_along_axis(log_p, t[..., None], axis=-1)
    loss = -float(picked.sum()) / n
    dz = softmax(z)
    np.put_along_axis(
        dz, t[..., None], np.take_along_axis(dz, t[..., None], axis=-1) - 1.0, axis=-1
    )
    dlogits = np.zeros_like(logits, dtype=np.float64)
    _scored(dlogits, last)[...] = dz / n
    return loss, dlogits


def mse(y: np.ndarray, targets: np.ndarray, last: bool = False) -> tuple[float, np.ndarray]:
    """mean (y - target)^2 over every scored element; targets shaped like y (or y[-1] if last)."""
    z = _scored(y, last)
    t = np.asarray(targets, dtype=np.float64)
    if last and t.shape == z.shape[1:]:
        t = t[None]
    elif t.shape != z.shape and t.size == z.size and t.ndim < z.ndim:
        t = t.reshape(z.shape)  # a series (T,) against outputs (T, 1)
    else:
        t = _scored(t, last)
    if t.shape != z.shape:
        raise RnnError(
            f"targets have shape {np.shape(targets)} but the outputs have shape "
            f"{(z[0] if last else z).shape}: give one target per output"
        )
    diff = z - t
    loss = float(np.mean(diff**2))
    dy = np.zeros_like(y, dtype=np.float64)
    _scored(dy, last)[...] = 2.0 * diff / diff.size
    return loss, dy


def loss_for(output: str) -> str:
    """The natural loss of a head: cross-entropy for softmax, MSE for linear."""
    return "cross_entropy" if output == "softmax" else "mse"


def compute_loss(
    name: str, scores: np.ndarray, targets: np.ndarray, last: bool = False
) -> tuple[float, np.ndarray]:
    if name == "cross_entropy":
        return cross_entropy(scores, targets, last)
    if name == "mse":
        return mse(scores, targets, last)
    raise RnnError(f"unknown loss {name!r}: use one of {', '.join(LOSSES)}")


def accuracy(logits: np.ndarray, targets: np.ndarray, last: bool = False) -> float:
    """Fraction of scored positions whose highest logit is the target class."""
    z = _scored(logits, last)
    t = np.asarray(targets)
    t = t.reshape(z.shape[:-1]) if last and t.size == np.prod(z.shape[:-1]) else _scored(t, last)
    return float(np.mean(np.argmax(z, axis=-1) == t))
