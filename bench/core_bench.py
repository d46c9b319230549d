"""Microseconds per time step of the forward pass, rnncore against torch (when installed).

    .venv/bin/python bench/core_bench.py [--steps 200] [--repeat 7]

Each measurement is a named function (cell, hidden, batch, steps) -> seconds for one pass over
the sequence, registered in MEASURES; the table prints one column per measurement plus the
ratios in RATIOS. The best of several repeats is reported (the machine is shared).
Goal: at hidden 8, batch 1, rnncore is no slower than torch (ratio <= 1).
Forward+backward (f+b: the loss is the sum of every hidden state, backpropagated through time
to every parameter): at hidden 8, batch 1 no slower than torch; at hidden 128, batch 64 within
1.5x of torch. Set OPENBLAS_NUM_THREADS=1 on a busy machine: BLAS threads then only contend.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np

from rnncore import forward, init_model
from rnncore.backward import backward

INPUTS = 8
HIDDEN = (8, 32, 128)
BATCH = (1, 64)

Measure = Callable[[str, int, int, int], Callable[[], object] | None]


def _inputs(steps: int, batch: int) -> np.ndarray:
    x = np.random.default_rng(0).normal(size=(steps, batch, INPUTS))
    return x[:, 0, :] if batch == 1 else x  # batch 1 as one unbatched sequence, the common use


def rnncore_forward(cell: str, hidden: int, batch: int, steps: int) -> Callable[[], object]:
    model = init_model(cell, INPUTS, hidden, seed=0)
    x = _inputs(steps, batch)
    return lambda: forward(model, x)


def _torch_cell(cell: str, hidden: int, batch: int, steps: int) -> tuple | None:
    """torch's module and the same inputs, or None when torch is not installed."""
    try:
        import torch
    except ImportError:
        return None
    module = (torch.nn.LSTM if cell == "lstm" else torch.nn.RNN)(INPUTS, hidden).double()
    return torch, module, torch.from_numpy(_inputs(steps, batch))


def torch_forward(cell: str, hidden: int, batch: int, steps: int) -> Callable[[], object] | None:
    if (found := _torch_cell(cell, hidden, batch, steps)) is None:
        return None
    torch, module, x = found

    def run() -> object:
        with torch.no_grad():
            return module(x)
    return run


def rnncore_fwd_bwd(cell: str, hidden: int, batch: int, steps: int) -> Callable[[], object]:
    model = init_model(cell, INPUTS, hidden, seed=0)
    x = _inputs(steps, batch)

    def run() -> object:
        trace = forward(model, x)
        return backward(model, trace, np.ones_like(trace.h))  # dL/dh_t = 1: L = sum of all h
    return run


def torch_fwd_bwd(cell: str, hidden: int, batch: int, steps: int) -> Callable[[], object] | None:
    if (found := _torch_cell(cell, hidden, batch, steps)) is None:
        return None
    _, module, x = found

    def run() -> object:
        module.zero_grad()
        out, _ = module(x)
        out.sum().backward()
        return out
    return run


# name -> how to build the timed call.
MEASURES: dict[str, Measure] = {"rnncore": rnncore_forward, "torch": torch_forward,
                                "rnncore f+b": rnncore_fwd_bwd, "torch f+b": torch_fwd_bwd}
# (label, numerator, denominator): printed as numerator time / denominator time.
RATIOS = [("rnncore/torch", "rnncore", "torch"), ("f+b ratio", "rnncore f+b", "torch f+b")]


def time_per_step(call: Callable[[], object], steps: int, repeat: int) -> float:
    """Best-of-`repeat` microseconds per step (one warm-up call first)."""
    call()
    best = min(_once(call) for _ in range(repeat))
    return best / steps * 1e6


def _once(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def table(cell: str, steps: int, repeat: int) -> list[dict[str, float | None]]:
    rows = []
    for hidden in HIDDEN:
        for batch in BATCH:
            row: dict[str, float | None] = {"hidden": hidden, "batch": batch}
            for name, build in MEASURES.items():
                call = build(cell, hidden, batch, steps)
                row[name] = None if call is None else time_per_step(call, steps, repeat)
            for label, num, den in RATIOS:
                a, b = row.get(num), row.get(den)
                row[label] = None if a is None or b is None else a / b
            rows.append(row)
    return rows


def show(cell: str, rows: list[dict[str, float | None]]) -> None:
    columns = ["hidden", "batch", *MEASURES, *(label for label, _, _ in RATIOS)]
    print(f"\n{cell.upper()} forward and forward+backward (f+b), microseconds per step "
          f"(ratio < 1: rnncore faster)")
    print("  ".join(f"{c:>14}" for c in columns))
    for row in rows:
        cells = []
        for c in columns:
            v = row.get(c)
            cells.append("—" if v is None else f"{v:.0f}" if c in ("hidden", "batch")
                         else f"{v:.2f}")
        print("  ".join(f"{s:>14}" for s in cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--cell", choices=("rnn", "lstm"), nargs="*", default=["rnn", "lstm"])
    args = parser.parse_args()
    if MEASURES["torch"](args.cell[0], 1, 1, 1) is None:
        print("torch is not installed: only rnncore is measured (pip install 'rnn3d[torch]')")
    for cell in args.cell:
        show(cell, table(cell, args.steps, args.repeat))


if __name__ == "__main__":
    main()
