"""Training that scales with the data: full BPTT against windows (truncated BPTT), by length.

    .venv/bin/python bench/train_bench.py [--lengths 100 1000 10000 100000] [--full-up-to 10000]
        [--render] [--out bench/results/train_bench.txt]

Each row trains the default models' one-layer cell (8 units, linear head, the settings of
rnncore.defaults.SERIES_SETTINGS, standardised data) to predict the next hour of a series of
hourly readings (rnncore.series: temperature and humidity) of the given length, once by full
BPTT (every update runs through the whole series) and once on windows (each update on
WINDOWS_PER_BATCH windows of WINDOW steps). Reported: CPU and wall seconds; the final loss, the
MSE of the trained model run over the whole training series (standardised units, so both
methods are scored alike); and its error on the following quarter of the length (at least 100
hours) divided by predicting the last value, per feature, averaged (below 1 beats it).
Wall times stretch with the machine's load (printed at the start and the end); CPU seconds
hardly do. Full BPTT above --full-up-to steps would take an hour: its time is projected from 3
updates and its loss left out. --render also times `rnn3d render L3 --format png --data` on a
10,000-step CSV with an empty cache (goal: at most 25 s). OPENBLAS_NUM_THREADS=1 throughout.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy: threads only hurt at this size

import argparse  # noqa: E402
import resource  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rnncore import forward, init_model  # noqa: E402
from rnncore.defaults import DEFAULT_HIDDEN, SERIES_SETTINGS  # noqa: E402
from rnncore.scaling import Standardisation, train_standardised  # noqa: E402
from rnncore.series import hourly_readings  # noqa: E402

HERE = Path(__file__).parent
PROBE_UPDATES = 3  # updates timed to project a full-BPTT run too long to make


def run(cell: str, length: int, windowed: bool, project: bool) -> str:
    """One row: train on `length` hours, test on the next quarter of them."""
    test = max(length // 4, 100)
    s = hourly_readings(length + test + 1, seed=1)
    x, y = s[:length], s[1 : length + 1]
    settings = dict(SERIES_SETTINGS)
    if not windowed:
        settings["window"] = None
    steps = int(settings["steps"])  # type: ignore[call-overload]
    if project:
        settings["steps"] = PROBE_UPDATES
    model = init_model(cell, 2, DEFAULT_HIDDEN, 1, 2, seed=0, output="linear")
    cpu, wall = time.process_time(), time.perf_counter()
    model, _ = train_standardised(model, x, y, **settings)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    method = f"windows {settings['window']}x{settings['batch_size']}" if windowed else "full"
    head = f"{length:>7}  {cell.upper():<4}  {method:<14}"
    if project:
        scale = steps / PROBE_UPDATES
        return f"{head} {cpu * scale:>8.1f}* {wall * scale:>7.1f}*  {'-':>10}  {'-':>9}"
    pred = forward(model, s[:-1]).y
    scale = Standardisation.of(y)
    fit = np.mean((scale.apply(pred[:length]) - scale.apply(y)) ** 2)
    test_err = np.mean((pred[length:] - s[length + 1 :]) ** 2, axis=0)
    last_err = np.mean((s[length:-1] - s[length + 1 :]) ** 2, axis=0)
    return f"{head} {cpu:>9.2f} {wall:>8.2f}  {fit:>10.4f}  {np.mean(test_err / last_err):>9.3f}"


def render_seconds() -> str:
    """Wall time of a cold render of L3's still from a 10,000-step CSV (default models trained,
    formulas typeset, glyphs read: nothing cached)."""
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "hourly.csv"
        np.savetxt(
            data,
            hourly_readings(10_000),
            delimiter=",",
            fmt="%.3f",
            header="temperature,humidity",
            comments="",
        )
        env = {**os.environ, "RNN3D_CACHE": str(Path(tmp) / "empty-cache")}
        rnn3d = Path(sys.executable).with_name("rnn3d")
        cpu, start = _children_cpu(), time.perf_counter()
        subprocess.run(
            [
                str(rnn3d),
                "render",
                "L3",
                "--format",
                "png",
                "--data",
                str(data),
                "--out",
                str(Path(tmp) / "out"),
            ],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return (
            f"rnn3d render L3 --format png --data <10,000-step CSV>, empty cache: "
            f"{time.perf_counter() - start:.1f} s wall, {_children_cpu() - cpu:.1f} s CPU "
            f"(with Manim and LaTeX; goal <= 25 s)"
        )


def _children_cpu() -> float:
    """CPU seconds (user + system) of every finished child process and their children."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lengths", type=int, nargs="+", default=[100, 1000, 10_000, 100_000])
    ap.add_argument("--cells", nargs="+", default=["rnn", "lstm"])
    ap.add_argument(
        "--full-up-to",
        type=int,
        default=10_000,
        help="longest series trained by full BPTT; longer ones are projected",
    )
    ap.add_argument("--render", action="store_true", help="also time a cold render of L3")
    ap.add_argument("--out", default=str(HERE / "results" / "train_bench.txt"))
    args = ap.parse_args()
    s = SERIES_SETTINGS
    lines = [
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the start "
        f"(wall times stretch with it; CPU s do not)",
        f"next-hour prediction, hidden {DEFAULT_HIDDEN}, {s['steps']} Adam updates, "
        f"lr {s['lr']}; * = projected from {PROBE_UPDATES} updates",
        " length  cell  method          CPU s   wall s   fit loss  test/last",
    ]
    print("\n".join(lines), flush=True)
    for length in args.lengths:
        for cell in args.cells:
            for windowed in (False, True):
                project = not windowed and length > args.full_up_to
                lines.append(run(cell, length, windowed, project))
                print(lines[-1], flush=True)
    if args.render:
        lines.append(render_seconds())
        print(lines[-1], flush=True)
    lines.append(f"load average {os.getloadavg()[0]:.1f} at the end")
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text("\n".join(lines) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
