"""Training by gradient descent: forward, loss, backward (BPTT), clip, optimiser step; repeat.

A long sequence is trained by truncated BPTT: each step draws a mini-batch of windows (a window
length, a number of windows) from the sequence and backpropagates through those windows only,
so a step costs the same whatever the sequence's length. Each window starts from the zero state
(not stateful; why: windows drawn at random are independent samples, which is what Adam's
running averages assume, and the state a window would inherit is a stale one, made by older
weights). A sequence no longer than a window is trained whole (full BPTT).

Deterministic: the same model, data, settings and seed give bit-identical weights (no threads,
no hidden random state; the seed only chooses the minibatches and windows). The History keeps
the loss and accuracy of every step and snapshots of the weights, enough to replay learning
(shot L6).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO, cast

import numpy as np

from .backward import backward
from .errors import RnnError, check_fits, first_line, plural
from .files import atomic_path
from .forward import forward
from .losses import accuracy, compute_loss, loss_for
from .model import Model
from .optim import clip_grad_norm, make_optimiser

SNAPSHOTS = 30  # about this many weight snapshots per run, plus the first and the last
# Truncated BPTT on a long sequence: steps per window, windows per update (rnn3d train's and
# the default models' settings). 32 steps cover more than a day of hourly readings; more or
# longer windows fit a little better and cost proportionally more (bench/train_bench.py).
WINDOW, WINDOWS_PER_BATCH = 32, 32


@dataclass
class History:
    """What happened during training.

    loss:           (steps,) loss of each step, on that step's data, before its update
    accuracy:       (steps,) fraction of correctly predicted classes (cross-entropy only)
    snapshot_steps: (S,) number of updates done when each snapshot was taken (0 = initial)
    snapshots:      parameter name -> (S, *shape) the weights at those moments
    settings:       how the run was made (cell, loss, optimiser, lr, steps, seed, ...), as text
    """

    loss: np.ndarray
    accuracy: np.ndarray | None
    snapshot_steps: np.ndarray
    snapshots: dict[str, np.ndarray]
    settings: dict[str, str] = field(default_factory=dict)

    def params_at(self, k: int) -> dict[str, np.ndarray]:
        """The weights of snapshot k (a fresh copy)."""
        return {name: a[k].copy() for name, a in self.snapshots.items()}

    def model_at(self, k: int, model: Model) -> Model:
        """model (cell, head, vocab) with the weights of snapshot k: replaying learning."""
        m = model.copy()
        m.params = self.params_at(k)
        return m

    def save(self, path: str | Path) -> None:
        """Write an .npz (no pickles) atomically: never a half-written file."""
        arrays: dict[str, np.ndarray] = {"loss": self.loss, "snapshot_steps": self.snapshot_steps}
        if self.accuracy is not None:
            arrays["accuracy"] = self.accuracy
        arrays.update({f"snapshot/{k}": v for k, v in self.snapshots.items()})
        arrays.update({f"setting/{k}": np.array(v) for k, v in self.settings.items()})
        with atomic_path(path) as tmp, open(tmp, "wb") as fh:  # np.savez(name) would add .npz
            np.savez(fh, **cast(dict[str, Any], arrays))

    @classmethod
    def load(cls, path: str | Path) -> History:
        """A saved history, its arrays checked (RnnError): each is replayed, and a damaged
        one (a loss of strings, a NaN snapshot, fewer snapshots than steps) failed inside
        Manim or as a bug."""
        history = cls._read(path)
        history._check(path)
        return history

    @classmethod
    def _read(cls, path: str | Path) -> History:
        try:
            with np.load(path, allow_pickle=False) as z:
                files = z.files
                return cls(
                    loss=z["loss"],
                    accuracy=z["accuracy"] if "accuracy" in files else None,
                    snapshot_steps=z["snapshot_steps"],
                    snapshots={
                        k[len("snapshot/") :]: z[k] for k in files if k.startswith("snapshot/")
                    },
                    settings={
                        k[len("setting/") :]: str(z[k]) for k in files if k.startswith("setting/")
                    },
                )
        except KeyError as err:  # an .npz of something else: weights, data
            raise RnnError(
                f"{path} is not a training history (it has no {err.args[0].split()[0]})"
            ) from None
        except Exception as err:  # OSError, ValueError, zipfile.BadZipFile, EOFError
            raise RnnError(
                f"{path} is not a readable training history ({first_line(err)})"
            ) from None

    def _check(self, path: str | Path) -> None:
        for name, a in [("loss", self.loss), *self.snapshots.items()]:
            if a.dtype.kind not in "biuf":
                raise RnnError(f"{path}: {name} holds {a.dtype} values, not real numbers")
        steps = self.snapshot_steps
        if steps.dtype.kind not in "iu" or steps.ndim != 1:
            raise RnnError(
                f"{path}: snapshot_steps must be whole numbers, one per snapshot, not "
                f"{steps.dtype} of shape {steps.shape}"
            )
        for name, a in self.snapshots.items():
            if a.ndim == 0 or len(a) != len(steps):
                held = "no snapshot axis" if a.ndim == 0 else plural(len(a), "snapshot")
                raise RnnError(f"{path}: {name} has {held} but snapshot_steps counts {len(steps)}")
            if not np.all(np.isfinite(a)):
                raise RnnError(f"{path}: {name} is not finite: every weight must be a number")


def history_path(weights_path: str | Path) -> Path:
    """Where the history of a weights file lives: W.safetensors -> W.history.npz."""
    p = Path(weights_path)
    return p.with_name(p.stem + ".history.npz")


def _batch_axis(x: np.ndarray, targets: np.ndarray, last: bool) -> int:
    """Targets scored on every step are (T, B, ...); last-step targets may be (B, ...)."""
    T, B = x.shape[:2]
    full = targets.ndim >= 2 and targets.shape[:2] == (T, B)
    return 0 if last and not full and targets.shape[0] == B else 1


def windows(
    x: np.ndarray, targets: np.ndarray, starts: np.ndarray, length: int
) -> tuple[np.ndarray, np.ndarray]:
    """The windows x[s:s + length] (and their targets) for each start s, as a batch:
    (length, len(starts), ...), time first like every batch."""
    rows = np.asarray(starts)[None, :] + np.arange(length)[:, None]
    return x[rows], targets[rows]


def _batch_drawer(
    x: np.ndarray,
    targets: np.ndarray,
    last: bool,
    batch_size: int | None,
    window: int | None,
    rng: np.random.Generator,
) -> Callable[[], tuple[np.ndarray, np.ndarray]]:
    """What each step trains on: windows drawn from one long sequence, sequences drawn from a
    batch, or everything."""
    long = window is not None and len(x) > window
    if x.ndim == 3:
        if long:
            raise RnnError("windows are cut from one sequence: give the data as (T, I)")
        if batch_size is None or batch_size == x.shape[1]:
            return lambda: (x, targets)
        if not 0 < batch_size <= x.shape[1]:
            raise RnnError(f"batch size {batch_size} needs a batch of at least that many sequences")
        axis = _batch_axis(x, targets, last)

        def draw_sequences() -> tuple[np.ndarray, np.ndarray]:
            pick = np.sort(rng.choice(x.shape[1], batch_size, replace=False))
            return x[:, pick], np.take(targets, pick, axis=axis)

        return draw_sequences
    if not long:
        return lambda: (x, targets)
    assert window is not None
    if last:
        raise RnnError("a sequence scored at its last step only cannot be cut into windows")
    if len(targets) != len(x):
        raise RnnError(
            f"targets have {plural(len(targets), 'step')} but the data has {len(x)}: give one "
            f"target per step"
        )
    n, span = batch_size or WINDOWS_PER_BATCH, len(x) - window + 1
    return lambda: windows(x, targets, rng.integers(0, span, size=n), window)


def check_training(
    steps: int,
    lr: float,
    clip: float | None,
    window: int | None = None,
    batch_size: int | None = None,
) -> None:
    for name, n in (("window length", window), ("batch size", batch_size)):
        if n is not None and n < 1:
            raise RnnError(f"the {name} must be at least 1, got {n}")
    if steps < 1:
        raise RnnError(f"the number of training steps must be at least 1, got {steps}")
    check_fits(16 * steps, f"a loss history of {steps} steps")  # a float64 loss, accuracy each
    if not (lr > 0 and np.isfinite(lr)):
        raise RnnError(f"the learning rate must be a positive number, got {lr}")
    if clip is not None and not clip > 0:
        raise RnnError(f"the gradient clipping norm must be positive, got {clip}")


DIVERGED = 1e3  # a loss this many times the first one (or not finite) means training diverged


def _check_progress(
    step: int, losses: np.ndarray, grads: dict[str, np.ndarray], x: np.ndarray
) -> None:
    """RnnError once the loss or a gradient is no longer finite, or the loss has grown far past
    where it began. Before any update the data (or the initial weights) is to blame; after,
    the learning rate."""
    loss = losses[step]
    finite = np.isfinite(loss) and all(np.isfinite(g).all() for g in grads.values())
    if finite and not loss > DIVERGED * max(losses[0], 1e-3):
        return
    if step == 0:
        raise RnnError(
            f"the loss or its gradient overflows before any update (loss {loss:.3g}, "
            f"largest input {np.abs(x).max():.3g}): the data or the weights are too "
            f"large; scale the data down"
        )
    raise RnnError(
        f"training diverged at step {step + 1} (loss {loss:.3g}, "
        f"{losses[0]:.3g} at the start): lower the learning rate"
    )


def train(
    model: Model,
    x: np.ndarray,
    targets: np.ndarray,
    loss: str | None = None,
    steps: int = 300,
    lr: float = 0.01,
    optimiser: str = "adam",
    seed: int = 0,
    clip: float | None = 5.0,
    snapshot_every: int | None = None,
    last: bool = False,
    batch_size: int | None = None,
    window: int | None = None,
    progress: Callable[[int, int, float], None] | None = None,
) -> tuple[Model, History]:
    """Train a copy of model on x -> targets; return it and its History.

    x: (T, I) one sequence or (T, B, I) a batch. targets: class indices (T, [B]) for
    cross-entropy, values shaped like the outputs for MSE; with last=True only the last step
    is scored and its targets may be given alone ([B, ...]).
    loss: "cross_entropy" or "mse"; default from the model's head (softmax -> cross-entropy).
    batch_size: train on this many sequences per step, drawn with the seed (default: all); for
    one sequence cut into windows, the number of windows per step (default WINDOWS_PER_BATCH).
    window: when one sequence (T, I) is longer than this, each step trains on windows of this
    many steps drawn with the seed (truncated BPTT, see above). None: always the whole sequence.
    progress(step, steps, loss) is called after every step.
    """
    check_training(steps, lr, clip, window, batch_size)
    x = np.asarray(x, dtype=np.float64)
    targets = np.asarray(targets)
    loss = loss or loss_for(model.output)
    model = model.copy()
    opt = make_optimiser(optimiser, lr)
    rng = np.random.default_rng(seed)
    every = snapshot_every or max(1, steps // SNAPSHOTS)
    draw = _batch_drawer(x, targets, last, batch_size, window, rng)
    losses = np.empty(steps)
    accs = np.empty(steps) if loss == "cross_entropy" else None
    snap_steps = [0]
    snaps = {k: [v.copy()] for k, v in model.params.items()}
    for step in range(steps):
        xb, tb = draw()
        trace = forward(model, xb)
        scores = trace.logits if trace.logits is not None else trace.h
        losses[step], dscores = compute_loss(loss, scores, tb, last)
        if accs is not None:
            accs[step] = accuracy(scores, tb, last)
        grads = backward(model, trace, dscores)
        grads = {k: grads[k] for k in model.params}  # h0, c0 are not trained
        _check_progress(step, losses, grads, x)
        clip_grad_norm(grads, clip)
        opt.step(model.params, grads)
        if (step + 1) % every == 0 or step + 1 == steps:
            snap_steps.append(step + 1)
            for k, v in model.params.items():
                snaps[k].append(v.copy())
        if progress is not None:
            progress(step + 1, steps, float(losses[step]))
    if not all(np.isfinite(v).all() for v in model.params.values()):
        raise RnnError(
            f"training diverged at step {steps}: the weights overflowed; lower the learning rate"
        )
    settings = {
        "cell": model.cell,
        "loss": loss,
        "optimiser": optimiser,
        "lr": repr(lr),
        "steps": str(steps),
        "seed": str(seed),
        "clip": repr(clip),
        "last": str(last),
        "batch_size": str(batch_size),
        "window": str(window),
    }
    history = History(
        losses, accs, np.array(snap_steps), {k: np.stack(v) for k, v in snaps.items()}, settings
    )
    return model, history


def progress_bar(
    stream: TextIO, label: str = "training", width: int = 30, transient: bool = False
) -> Callable[[int, int, float], None]:
    """label [#####.....] step/steps loss: redrawn in place about 100 times on a terminal; in a log
    (not a terminal) one line per quarter, so the log is not flooded.

    transient: only on a terminal, and wiped when done (why: training a default model is a
    wait inside another command, whose own output, an error line included, must stand alone).
    """
    tty = stream.isatty()
    updates = 100 if tty else 4

    def show(step: int, steps: int, loss: float) -> None:
        if (transient and not tty) or (step % max(1, steps // updates) and step != steps):
            return
        filled = width * step // steps
        bar = "#" * filled + "." * (width - filled)
        line = f"{label} [{bar}] {step}/{steps} loss {loss:.4f}"
        stream.write(f"\r{line}" if tty else f"{line}\n")
        if tty and step == steps:
            stream.write("\r" + " " * len(line) + "\r" if transient else "\n")
        stream.flush()

    return show
