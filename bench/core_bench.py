"""Microseconds per time step of the forward pass, rnncore against torch (when installed).

    .venv/bin/python bench/core_bench.py [--steps 200] [--repeat 7]

Each measurement is a named function (cell, hidden, batch, steps) -> seconds for one pass over
the sequence, registered in MEASURES; the table prints one column per measurement plus the
ratios in RATIOS. The best of several repeats is reported (the machine is shared).
Goal: at hidden 8, batch 1, rnncore is no slower than torch (ratio <= 1).
Forward+backward (f+b: the loss is the sum of every hidden state, backpropagated through time
to every parameter): at hidden 8, batch 1 no slower than torch; at hidden 128, batch 64 within
1.5x of torch. Set OPENBLAS_NUM_THREADS=1 on a busy machine: BLAS threads then only contend.

Fairness: rnncore runs on one BLAS thread (with OPENBLAS_NUM_THREADS=1), torch on its default
thread count (printed in the header). The "1t" columns measure torch again with
torch.set_num_threads(1), the like-for-like comparison; both are reported.
"""

from __future__ import annotations

import argparse
import os
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


def _torch_threads() -> int | None:
    """torch's default intra-op thread count, or None when torch is not installed."""
    try:
        import torch
    except ImportError:
        return None
    return int(torch.get_num_threads())


TORCH_THREADS = _torch_threads()  # read before any measurement changes it


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
MEASURES: dict[str, Measure] = {
    "rnncore": rnncore_forward,
    "torch": torch_forward,
    "torch 1t": torch_forward,
    "rnncore f+b": rnncore_fwd_bwd,
    "torch f+b": torch_fwd_bwd,
    "torch f+b 1t": torch_fwd_bwd,
}
# torch's intra-op thread count for each torch measurement: its default, or one.
THREADS = {"torch": TORCH_THREADS, "torch 1t": 1, "torch f+b": TORCH_THREADS, "torch f+b 1t": 1}
# (label, numerator, denominator): printed as numerator time / denominator time.
RATIOS = [
    ("rnncore/torch", "rnncore", "torch"),
    ("f/torch 1t", "rnncore", "torch 1t"),
    ("f+b ratio", "rnncore f+b", "torch f+b"),
    ("f+b/torch 1t", "rnncore f+b", "torch f+b 1t"),
]


def time_per_step(
    calls: dict[str, Callable[[], object]], steps: int, repeat: int
) -> dict[str, float]:
    """Best-of-`repeat` microseconds per step for each call (one warm-up call each first).

    The calls take turns, one run each per round (why: on a shared machine the load changes
    from second to second; taking turns exposes every call to the same quiet and busy spells,
    where timing one call's repeats after another's favoured whichever ran in a quiet spell).
    """
    for call in calls.values():
        call()
    best = dict.fromkeys(calls, float("inf"))
    for _ in range(repeat):
        for name, call in calls.items():
            best[name] = min(best[name], _once(call))
    return {name: t / steps * 1e6 for name, t in best.items()}


def _once(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def _call_with_threads(call: Callable[[], object], threads: int | None) -> Callable[[], object]:
    """call, run with torch's intra-op thread count set to `threads` (None: leave it)."""
    if threads is None:
        return call
    import torch

    def run() -> object:
        torch.set_num_threads(threads)
        return call()

    return run


def table(cell: str, steps: int, repeat: int) -> list[dict[str, float | None]]:
    rows = []
    for hidden in HIDDEN:
        for batch in BATCH:
            row: dict[str, float | None] = {"hidden": hidden, "batch": batch}
            calls = {}
            for name, build in MEASURES.items():
                call = build(cell, hidden, batch, steps)
                row[name] = None
                if call is not None:
                    calls[name] = _call_with_threads(call, THREADS.get(name))
            row.update(time_per_step(calls, steps, repeat))
            for label, num, den in RATIOS:
                a, b = row.get(num), row.get(den)
                row[label] = None if a is None or b is None else a / b
            rows.append(row)
    return rows


def show(cell: str, rows: list[dict[str, float | None]]) -> None:
    columns = ["hidden", "batch", *MEASURES, *(label for label, _, _ in RATIOS)]
    print(
        f"\n{cell.upper()} forward and forward+backward (f+b), microseconds per step "
        f"(ratio < 1: rnncore faster)"
    )
    print("  ".join(f"{c:>13}" for c in columns))
    for row in rows:
        cells = []
        for c in columns:
            v = row.get(c)
            cells.append(
                "—" if v is None else f"{v:.0f}" if c in ("hidden", "batch") else f"{v:.2f}"
            )
        print("  ".join(f"{s:>13}" for s in cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--cell", choices=("rnn", "lstm"), nargs="*", default=["rnn", "lstm"])
    args = parser.parse_args()
    blas = os.environ.get("OPENBLAS_NUM_THREADS", "unset (OpenBLAS picks)")
    if TORCH_THREADS is None:
        print("torch is not installed: only rnncore is measured (pip install 'rnn3d[torch]')")
    else:
        print(
            f"threads: rnncore OPENBLAS_NUM_THREADS={blas}; torch {TORCH_THREADS} by default "
            f"(columns 'torch', 'torch f+b'), 1 in the '1t' columns"
        )
    for cell in args.cell:
        show(cell, table(cell, args.steps, args.repeat))


if __name__ == "__main__":
    main()
