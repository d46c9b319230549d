"""A model is a cell type plus a flat dict of parameters named as in PyTorch.

Recurrent weights per layer l: ``weight_ih_l{l}`` (G*H x I), ``weight_hh_l{l}`` (G*H x H),
``bias_ih_l{l}``, ``bias_hh_l{l}`` (G*H), with G = 4 for the LSTM (gates stacked i, f, g, o)
and G = 1 for the Elman RNN. The optional linear head y = W_hy h + b_hy is ``fc.weight`` (O x H)
and ``fc.bias`` (O), the names a ``nn.Linear`` called ``fc`` has in a model's state dict.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .errors import RnnError, check_fits

CELLS = ("rnn", "lstm")
NONLINEARITIES = ("tanh", "relu")
OUTPUTS = ("softmax", "linear")
HEAD_WEIGHT, HEAD_BIAS = "fc.weight", "fc.bias"


def gate_count(cell: str) -> int:
    return 4 if cell == "lstm" else 1


@dataclass
class Model:
    cell: str  # "rnn" or "lstm"
    params: dict[str, np.ndarray]
    nonlinearity: str = "tanh"  # RNN only
    output: str = "softmax"  # how the head's scores are read: "softmax" (characters) or "linear"
    vocab: list[str] = field(default_factory=list)  # symbol of each input/output unit, for text

    def __post_init__(self) -> None:
        if self.cell not in CELLS:
            raise RnnError(f"unknown cell {self.cell!r}: use one of {', '.join(CELLS)}")
        if self.nonlinearity not in NONLINEARITIES:
            raise RnnError(f"unknown nonlinearity {self.nonlinearity!r}: use tanh or relu")
        if self.output not in OUTPUTS:
            raise RnnError(f"unknown output {self.output!r}: use softmax or linear")

    @property
    def num_layers(self) -> int:
        return sum(1 for k in self.params if k.startswith("weight_ih_l"))

    @property
    def hidden_size(self) -> int:
        return self.params["weight_hh_l0"].shape[1]

    @property
    def input_size(self) -> int:
        return self.params["weight_ih_l0"].shape[1]

    @property
    def has_head(self) -> bool:
        return HEAD_WEIGHT in self.params

    @property
    def output_size(self) -> int | None:
        return self.params[HEAD_WEIGHT].shape[0] if self.has_head else None

    def layer(self, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        p = self.params
        return p[f"weight_ih_l{n}"], p[f"weight_hh_l{n}"], p[f"bias_ih_l{n}"], p[f"bias_hh_l{n}"]

    def copy(self) -> Model:
        return Model(
            self.cell,
            {k: v.copy() for k, v in self.params.items()},
            self.nonlinearity,
            self.output,
            list(self.vocab),
        )


def expected_shapes(
    cell: str,
    input_size: int,
    hidden_size: int,
    num_layers: int = 1,
    output_size: int | None = None,
) -> dict[str, tuple[int, ...]]:
    """The shape of every parameter of such a model, in PyTorch's order."""
    gh = gate_count(cell) * hidden_size
    shapes: dict[str, tuple[int, ...]] = {}
    for n in range(num_layers):
        inp = input_size if n == 0 else hidden_size
        shapes[f"weight_ih_l{n}"] = (gh, inp)
        shapes[f"weight_hh_l{n}"] = (gh, hidden_size)
        shapes[f"bias_ih_l{n}"] = (gh,)
        shapes[f"bias_hh_l{n}"] = (gh,)
    if output_size is not None:
        shapes[HEAD_WEIGHT] = (output_size, hidden_size)
        shapes[HEAD_BIAS] = (output_size,)
    return shapes


def parameter_count(
    cell: str, input_size: int, hidden_size: int, num_layers: int, output_size: int | None
) -> int:
    """How many numbers expected_shapes' parameters hold (without making them: a size of
    10**20 layers is counted at once)."""
    gh = gate_count(cell) * hidden_size
    first = gh * (input_size + hidden_size + 2)
    rest = (num_layers - 1) * gh * (2 * hidden_size + 2)
    return first + rest + (0 if output_size is None else output_size * (hidden_size + 1))


def init_model(
    cell: str,
    input_size: int,
    hidden_size: int,
    num_layers: int = 1,
    output_size: int | None = None,
    seed: int = 0,
    **kwargs: object,
) -> Model:
    """PyTorch's default initialisation: every parameter ~ U(-1/sqrt(H), 1/sqrt(H)).

    The head uses the same bound (nn.Linear's default bound is 1/sqrt(fan_in) = 1/sqrt(H) too).
    Same seed, same bits.
    """
    for name, n in (
        ("input size", input_size),
        ("hidden size", hidden_size),
        ("number of layers", num_layers),
    ):
        if n < 1:
            raise RnnError(f"{name} must be at least 1, got {n}")
    check_fits(
        8 * parameter_count(cell, input_size, hidden_size, num_layers, output_size), "the model"
    )
    rng = np.random.default_rng(seed)
    k = 1.0 / np.sqrt(hidden_size)
    shapes = expected_shapes(cell, input_size, hidden_size, num_layers, output_size)
    params = {name: rng.uniform(-k, k, size=shape) for name, shape in shapes.items()}
    return Model(cell, params, **kwargs)  # type: ignore[arg-type]
