"""The default models the videos show: trained here, in seconds, and cached on disk.

trained_model(cell) trains a one-layer model of DEFAULT_HIDDEN units on the built-in text (or
the given text: next character, softmax head, cross-entropy) or on a numeric series (next
step: x[:-1] -> x[1:], linear head, MSE, on standardised data: see scaling.py). A text or series
longer than WINDOW steps is trained by truncated BPTT on mini-batches of windows (train.py), a
fixed amount of work whatever its length: a few seconds, under 10 s up to 100,000 steps (see
bench/train_bench.py). A progress bar shows on the terminal meanwhile. The result is saved
under $RNN3D_CACHE (default ~/.cache/rnn3d), keyed by a hash of the cell, the data, the
settings and the source code that made it, and reused while none of them changes.
adding_model() does the same for the models of shot M1, trained on the adding problem.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

import numpy as np

from .data import DEFAULT_TEXT, text_data
from .errors import RnnError, SystemFault
from .model import Model, init_model
from .scaling import train_standardised
from .train import WINDOW, WINDOWS_PER_BATCH, History, history_path, progress_bar, train

DEFAULT_HIDDEN = 8
# Chosen so both cells reach 100% next-character accuracy on "hello" well within the steps,
# and the LSTM's forget gate learns to erase (some f far below 0.5), which shot L3 shows.
# Text longer than a window (and every long series) trains on windows as rnn3d train does.
TEXT_SETTINGS: dict[str, object] = {
    "steps": 300,
    "lr": 0.03,
    "optimiser": "adam",
    "seed": 0,
    "clip": 5.0,
    "window": WINDOW,
    "batch_size": WINDOWS_PER_BATCH,
}
# Chosen so both cells beat predicting the last value by far on hourly readings (0.5-0.65 of
# its error per feature; tests/test_long_data.py), in about 2 s of CPU (bench/train_bench.py).
SERIES_SETTINGS: dict[str, object] = {
    "steps": 1000,
    "lr": 0.01,
    "optimiser": "adam",
    "seed": 0,
    "clip": 5.0,
    "window": WINDOW,
    "batch_size": WINDOWS_PER_BATCH,
}
# The code whose change must invalidate a cached model.
CODE = (
    "activations.py",
    "backward.py",
    "data.py",
    "defaults.py",
    "forward.py",
    "losses.py",
    "model.py",
    "optim.py",
    "scaling.py",
    "tasks.py",
    "train.py",
)
# Shot M1 (who remembers): the settings of bench/memory_bench.py.
ADDING_SETTINGS: dict[str, object] = {
    "hidden": 32,
    "steps": 2000,
    "lr": 0.01,
    "batch_size": 64,
    "seed": 0,
}


def cache_dir() -> Path:
    return Path(os.environ.get("RNN3D_CACHE") or Path.home() / ".cache" / "rnn3d")


def check_cache_dir() -> Path:
    """The cache folder, made if missing. A file in its place (or above it) is bad input
    (RnnError), a folder that cannot be written a fault of the machine (SystemFault); either
    says which setting to change: the system's own error named a file deep inside the cache
    (renders/stamps), not the variable that put the cache there."""
    path = cache_dir()
    where = f"the render cache at {path} " + (
        "(set by RNN3D_CACHE)" if os.environ.get("RNN3D_CACHE") else "(the default)"
    )
    fix = "set RNN3D_CACHE to a folder you can write (made if missing)"
    if path.exists() and not path.is_dir():
        raise RnnError(f"{where} is a file, not a folder: {fix}")
    file_above = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
    if file_above is not None:
        raise RnnError(f"{where} lies under the file {file_above}: {fix}")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise SystemFault(f"{where} cannot be made: {err.strerror}: {fix}") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise SystemFault(f"{where} cannot be written: Permission denied: {fix}")
    return path


def code_version() -> str:
    here = Path(__file__).parent
    h = hashlib.sha256()
    for name in CODE:
        h.update((here / name).read_bytes())
    return h.hexdigest()


def cache_key(what: dict[str, object], *arrays: np.ndarray) -> str:
    """A hash of what is trained (cell, settings, ...), the data and the code version."""
    h = hashlib.sha256()
    h.update(json.dumps({**what, "code": code_version()}, sort_keys=True).encode())
    for a in arrays:
        h.update(str((a.dtype.str, a.shape)).encode())
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()[:20]


def trained_model(
    cell: str,
    text: str | None = None,
    series: np.ndarray | None = None,
    vocab: list[str] | None = None,
    hidden: int = DEFAULT_HIDDEN,
) -> tuple[Model, History]:
    """A trained one-layer model of the cell, and its training History (cached, see above).
    vocab: the order of a text's input units (default: order of first appearance)."""
    if series is not None:
        s = np.asarray(series, dtype=np.float64)
        s = s[:, None] if s.ndim == 1 else s
        if s.ndim != 2 or s.shape[0] < 2:
            raise RnnError(
                f"a series to learn must have shape (T,) or (T, I) with at least "
                f"two steps, got {np.shape(series)}: give more rows"
            )
        x, targets, vocab, settings = s[:-1], s[1:], [], SERIES_SETTINGS
        output, n_in = "linear", s.shape[1]
    else:
        d = text_data(DEFAULT_TEXT if text is None else text, vocab)
        x, targets, vocab, settings = d.x, d.targets, d.vocab, TEXT_SETTINGS
        output, n_in = "softmax", len(d.vocab)
    key = cache_key(
        {"cell": cell, "hidden": hidden, "vocab": vocab, "settings": settings}, x, targets
    )
    path = cache_dir() / f"{cell}-{key}.safetensors"
    cached = _load_cached(path, cell)
    if cached is not None:
        return cached
    seed = int(settings["seed"])  # type: ignore[call-overload]
    model = init_model(cell, n_in, hidden, 1, n_in, seed=seed, output=output, vocab=vocab)
    how = train_standardised if series is not None else train
    bar = progress_bar(sys.stderr, f"training the default {cell.upper()}", transient=True)
    model, history = how(model, x, targets, progress=bar, **settings)  # type: ignore[arg-type]
    _save_cached(path, model, history)
    return model, history


def adding_model(cell: str, length: int, **overrides: object) -> tuple[Model, History]:
    """The cell trained on the adding problem of this length (shot M1), cached like the default
    models. Its MSE on fresh test sequences (baseline 1/6) is history.settings["test_mse"].
    overrides: any of ADDING_SETTINGS. Uncached it takes seconds (length 10) to about a minute
    (length 100, LSTM) on this machine; see bench/results/memory_bench.txt."""
    from .tasks import adding_experiment

    settings = {**ADDING_SETTINGS, **overrides}
    key = cache_key({"task": "adding", "cell": cell, "length": length, "settings": settings})
    path = cache_dir() / f"adding-{cell}-{length}-{key}.safetensors"
    cached = _load_cached(path, cell)
    if cached is not None:
        return cached
    r = adding_experiment(cell, length, **settings)  # type: ignore[arg-type]
    r.history.settings.update(task="adding", length=str(length), test_mse=repr(r.test_mse))
    _save_cached(path, r.model, r.history)
    return r.model, r.history


def _load_cached(path: Path, cell: str) -> tuple[Model, History] | None:
    from .weights import load_model

    hist = history_path(path)
    if not (path.is_file() and hist.is_file()):
        return None
    try:
        model, history = load_model(path, cell=cell), History.load(hist)
        _check_entry(model, history)
        return model, history
    except Exception:  # a damaged entry (truncated, emptied, inconsistent) is dropped, retrained
        for damaged in (path, hist):
            damaged.unlink(missing_ok=True)
        return None


def _check_entry(model: Model, history: History) -> None:
    """ValueError unless the history fits the model: what the scenes read from it."""
    S = len(history.snapshot_steps)
    fits = (
        set(history.snapshots) == set(model.params)
        and all(history.snapshots[k].shape == (S, *v.shape) for k, v in model.params.items())
        and history.loss.ndim == 1
        and len(history.loss) > 0
        and S > 0
        and all(np.isfinite(a).all() for a in (history.loss, *history.snapshots.values()))
    )
    if not fits:
        raise ValueError("a training history that does not fit its model")


def _save_cached(path: Path, model: Model, history: History) -> None:
    """Best effort: the history first, the weights last (a weights file means a complete entry).
    A cache that cannot be written only costs retraining next time."""
    from .weights import save_model

    try:
        history.save(history_path(path))
        save_model(model, path, metadata={"made_by": "rnncore.defaults"})
    except (OSError, RnnError):
        pass
