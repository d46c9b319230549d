"""Activations that stay finite and warning-free for any finite input (|z| up to 1e4 and beyond)."""

import numpy as np


def sigmoid(z: np.ndarray) -> np.ndarray:
    # 1/(1+exp(-z)) overflows exp for z < -709; the tanh form never does.
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def relu(z: np.ndarray) -> np.ndarray:
    return np.maximum(z, 0.0)
