"""Who remembers: an RNN and an LSTM of the same size on the adding problem, by sequence length.

    .venv/bin/python bench/memory_bench.py [--lengths 10 25 50 100] [--steps 2000]
        [--hidden 32] [--out bench/results/memory_bench.txt]

Each model (one layer, PyTorch's default init) is trained with Adam (lr 0.01, gradient norm
clipped to 1, minibatches of 64 from 20,000 sequences) and scored on 1,000 fresh sequences.
Always predicting the mean scores MSE 1/6; "solved" means below a tenth of that. The last
columns are the gradient flow of the trained model on one test sequence (rnncore.sensitivity):
||dh_T/dh_1||_F and, for the LSTM, ||dc_T/dc_1||_F: how much of the first step still reaches
the end. Expected, as in the literature: the LSTM gets far below the
baseline at lengths where the RNN stays near it. About 3 minutes on a quiet 2-core machine
(it runs single-threaded; other work on the machine slows it down).
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy: threads only hurt at this size

import argparse  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rnncore import forward  # noqa: E402
from rnncore.sensitivity import gradient_flow  # noqa: E402
from rnncore.tasks import ADDING_BASELINE_MSE, adding_experiment, adding_problem  # noqa: E402

HERE = Path(__file__).parent


def default_model_seconds() -> list[str]:
    """Training time of the videos' default models (uncached: a fresh cache directory)."""
    from rnncore.defaults import trained_model

    lines = []
    with tempfile.TemporaryDirectory() as cache:
        os.environ["RNN3D_CACHE"] = cache
        for cell in ("rnn", "lstm"):
            start = time.perf_counter()
            _, history = trained_model(cell)
            assert history.accuracy is not None
            lines.append(
                f"default {cell.upper()} on 'hello': {history.accuracy[-1]:.0%} "
                f"next-step accuracy, trained in {time.perf_counter() - start:.2f} s "
                f"(goal < 5 s)"
            )
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lengths", type=int, nargs="+", default=[10, 25, 50, 100])
    ap.add_argument("--steps", type=int, default=2000)
    ap.add_argument("--hidden", type=int, default=32)
    ap.add_argument("--out", default=str(HERE / "results" / "memory_bench.txt"))
    args = ap.parse_args()
    lines = [
        f"adding problem: hidden {args.hidden}, {args.steps} Adam steps of 64 sequences, "
        f"baseline MSE 1/6 = {ADDING_BASELINE_MSE:.4f}",
        f"{'length':>6}  {'model':<5} {'test MSE':>9} {'/ baseline':>10}  {'solved':<6} "
        f"{'train s':>7}  {'|dh_T/dh_1|':>11}  {'|dc_T/dc_1|':>11}",
    ]
    lines = default_model_seconds() + lines
    print("\n".join(lines), flush=True)
    start = time.perf_counter()
    for length in args.lengths:
        for cell in ("rnn", "lstm"):
            r = adding_experiment(cell, length, hidden=args.hidden, steps=args.steps)
            x, _ = adding_problem(length, 1, seed=99)
            flow = gradient_flow(r.model, forward(r.model, x[:, 0]))
            flow_c = f"{flow['sensitivity_c'][0]:>11.2e}" if cell == "lstm" else f"{'-':>11}"
            ratio = r.test_mse / ADDING_BASELINE_MSE
            line = (
                f"{length:>6}  {cell.upper():<5} {r.test_mse:>9.4f} {ratio:>10.3f}  "
                f"{'yes' if ratio < 0.1 else 'no':<6} {r.seconds:>7.1f}  "
                f"{flow['sensitivity_h'][0]:>11.2e}  {flow_c}"
            )
            print(line, flush=True)
            lines.append(line)
    total = f"total {time.perf_counter() - start:.0f} s"
    print(total)
    lines.append(total)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
