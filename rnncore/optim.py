"""Optimisers that update a dict of parameter arrays in place, and gradient-norm clipping.

Both follow PyTorch's update rules (torch.optim.SGD with momentum, torch.optim.Adam), so the
numbers mean what a PyTorch user expects.
"""

from __future__ import annotations

import numpy as np

from .errors import RnnError

OPTIMISERS = ("adam", "sgd")


def clip_grad_norm(grads: dict[str, np.ndarray], max_norm: float | None) -> float:
    """Scale every gradient by one factor so their joint L2 norm is at most max_norm.

    Returns the norm before clipping (as torch.nn.utils.clip_grad_norm_ does). Why clip:
    exploding gradients through long time spans would otherwise throw training off in one step.
    """
    norm = float(np.sqrt(sum(float(np.sum(g * g)) for g in grads.values())))
    if max_norm is not None and norm > max_norm:
        scale = max_norm / (norm + 1e-6)
        for g in grads.values():
            g *= scale
    return norm


class SGD:
    """v = momentum * v + grad; p -= lr * v."""

    def __init__(self, lr: float, momentum: float = 0.9) -> None:
        self.lr, self.momentum = lr, momentum
        self.velocity: dict[str, np.ndarray] = {}

    def step(self, params: dict[str, np.ndarray], grads: dict[str, np.ndarray]) -> None:
        for name, p in params.items():
            v = self.velocity.setdefault(name, np.zeros_like(p))
            v *= self.momentum
            v += grads[name]
            p -= self.lr * v


class Adam:
    """Adam (Kingma & Ba): running means of the gradient and its square, bias-corrected."""

    def __init__(
        self, lr: float, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8
    ) -> None:
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.m: dict[str, np.ndarray] = {}
        self.v: dict[str, np.ndarray] = {}
        self.t = 0

    def step(self, params: dict[str, np.ndarray], grads: dict[str, np.ndarray]) -> None:
        self.t += 1
        correction1 = 1.0 - self.beta1**self.t
        correction2 = 1.0 - self.beta2**self.t
        for name, p in params.items():
            g = grads[name]
            m = self.m.setdefault(name, np.zeros_like(p))
            v = self.v.setdefault(name, np.zeros_like(p))
            m *= self.beta1
            m += (1.0 - self.beta1) * g
            v *= self.beta2
            v += (1.0 - self.beta2) * g * g
            p -= self.lr * (m / correction1) / (np.sqrt(v / correction2) + self.eps)


def make_optimiser(name: str, lr: float) -> SGD | Adam:
    if not lr > 0 or not np.isfinite(lr):
        raise RnnError(f"learning rate must be a positive number, got {lr}")
    if name == "adam":
        return Adam(lr)
    if name == "sgd":
        return SGD(lr)
    raise RnnError(f"unknown optimiser {name!r}: use one of {', '.join(OPTIMISERS)}")
