"""rnn3d train: train a cell on data; save the weights and the training history.

Data: --text (next character, softmax head, cross-entropy; default the built-in "hello"), or
--data FILE (numeric, .csv or .npy): with --target FILE (one target row per data row) the model
learns data -> target at every step, without it the next step (x[:-1] -> x[1:]); both with a
linear head and mean squared error, trained on the data standardised per column with the
scaling folded into the saved weights (rnncore/scaling.py), so they take the raw data. Data
longer than --window steps trains on --batch windows per step (truncated BPTT). The weights go
to --out (.safetensors or .npz, PyTorch names: the recurrent part loads into torch.nn.RNN/LSTM,
the head is fc.weight/fc.bias) and the history (loss per step, weight snapshots) next to them
as <name>.history.npz.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from rnncore import RnnError, init_model, load_model
from rnncore.data import DEFAULT_TEXT, load_data, read_vocab, text_data
from rnncore.defaults import DEFAULT_HIDDEN, TEXT_SETTINGS
from rnncore.errors import plural
from rnncore.files import atomic_path, check_writable, output_file
from rnncore.optim import OPTIMISERS
from rnncore.scaling import train_standardised
from rnncore.train import (
    WINDOW,
    WINDOWS_PER_BATCH,
    History,
    check_training,
    history_path,
    progress_bar,
    train,
)
from rnncore.weights import save_model
from scenes.cli import check_nonlinearity, given, not_empty, whole_number
from scenes.settings import check_vocab_goes_with_text

WEIGHT_FORMATS = (".safetensors", ".npz")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--cell", choices=("rnn", "lstm"), required=True, help="the kind of cell")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--text", help=f"characters to learn (default {DEFAULT_TEXT!r})")
    source.add_argument(
        "--data", type=given, metavar="FILE", help="numeric data: .csv or .npy, rows are steps"
    )
    parser.add_argument(
        "--target",
        type=given,
        metavar="FILE",
        help="with --data: the target of every step, one row per data row "
        "(default: predict the next row of the data)",
    )
    parser.add_argument(
        "--vocab",
        type=not_empty,
        metavar="CHARS|FILE.json",
        help="with --text: the order of the input units, as a string or a .json "
        "list holding every character of the text (default: order of first "
        "appearance); saved with the weights",
    )
    parser.add_argument(
        "--hidden",
        type=whole_number(1),
        default=DEFAULT_HIDDEN,
        metavar="N",
        help=f"hidden units (default {DEFAULT_HIDDEN})",
    )
    parser.add_argument(
        "--layers", type=whole_number(1), default=1, metavar="N", help="stacked layers (default 1)"
    )
    parser.add_argument(
        "--nonlinearity",
        choices=("tanh", "relu"),
        default="tanh",
        help="the RNN's activation (default tanh)",
    )
    parser.add_argument(
        "--steps",
        type=whole_number(1),
        default=TEXT_SETTINGS["steps"],
        metavar="N",
        help="training steps (default %(default)s)",
    )
    parser.add_argument(
        "--lr",
        type=float,
        default=TEXT_SETTINGS["lr"],
        metavar="X",
        help="learning rate (default %(default)s)",
    )
    parser.add_argument(
        "--seed",
        type=whole_number(0),
        default=0,
        metavar="N",
        help="seed of the initial weights (default 0)",
    )
    parser.add_argument(
        "--optimiser",
        choices=OPTIMISERS,
        default="adam",
        help="adam, or sgd with momentum 0.9 (default adam)",
    )
    parser.add_argument(
        "--clip",
        type=float,
        default=5.0,
        metavar="X",
        help="clip the gradient's norm to X (default 5)",
    )
    parser.add_argument(
        "--window",
        type=whole_number(1),
        default=WINDOW,
        metavar="N",
        help="data longer than N steps trains on windows of N steps, truncated "
        "BPTT (default %(default)s)",
    )
    parser.add_argument(
        "--batch",
        type=whole_number(1),
        default=WINDOWS_PER_BATCH,
        metavar="N",
        help="windows per training step (default %(default)s)",
    )
    parser.add_argument(
        "--out",
        type=given,
        metavar="WEIGHTS",
        required=True,
        help="where to write the weights: .safetensors or .npz",
    )


def run(args: argparse.Namespace) -> int:
    out = output_file(args.out)  # a directory is said before its lack of suffix
    # Every check before any work: bad input fails fast and writes nothing.
    if out.suffix.lower() not in WEIGHT_FORMATS:
        raise RnnError(
            f"cannot write weights as {out.suffix or out.name!r}: use .safetensors or .npz"
        )
    check_nonlinearity(args.cell, args.nonlinearity)
    check_training(args.steps, args.lr, args.clip)
    x, targets, vocab = read_training_data(args)
    check_history_is_its_own(out)
    for path in (out, history_path(out)):  # a place the results cannot go fails before training
        check_writable(path)
    n_out = len(vocab) if vocab else targets.shape[1]
    model = init_model(
        args.cell,
        x.shape[1],
        args.hidden,
        args.layers,
        n_out,
        seed=args.seed,
        nonlinearity=args.nonlinearity,
        output="softmax" if vocab else "linear",
        vocab=vocab,
    )
    start = time.perf_counter()
    how = train if vocab else train_standardised  # numbers: see rnncore/scaling.py
    model, history = how(
        model,
        x,
        targets,
        steps=args.steps,
        lr=args.lr,
        optimiser=args.optimiser,
        seed=args.seed,
        clip=args.clip,
        window=args.window,
        batch_size=args.batch,
        progress=progress_bar(sys.stderr),
    )
    seconds = time.perf_counter() - start
    hist = history_path(out)
    # The history goes into place only once the weights are: a failure writing them (a full
    # disk) left the new history beside the earlier weights, and L6 replayed it for them.
    with atomic_path(hist) as staged:
        history.save(staged)
        metadata = {"final_loss": repr(float(history.loss[-1])), "steps": str(args.steps)}
        save_model(model, out, metadata=metadata)
    score = f"loss {history.loss[-1]:.4g}" + ("" if vocab else " (standardised units)")
    if history.accuracy is not None:
        score += f", next-step accuracy {history.accuracy[-1]:.0%}"
    print(
        f"trained the {args.cell.upper()} for {plural(args.steps, 'step')} in {seconds:.1f} s: "
        f"{score}; "
        f"wrote {out} and {hist}"
    )
    return 0


def check_history_is_its_own(out: Path) -> None:
    """W.npz and W.safetensors share W.history.npz: training into one replaced the history of
    the other, which L6 then replayed for the other's weights. Refused when the other is there
    with a history, unless the history is out's own (it ends in out's weights, not the
    other's): retraining W.npz beside an unrelated W.safetensors was refused, and its own
    history named the other's."""
    hist = history_path(out)
    if not hist.is_file():
        return
    for suffix in WEIGHT_FORMATS:
        other = out.with_suffix(suffix)
        if suffix == out.suffix.lower() or not other.is_file():
            continue
        if ends_in(hist, out) and not ends_in(hist, other):
            continue
        raise RnnError(
            f"{hist} is the training history of {other}: training into {out} would "
            f"replace it; give --out another name, or move {other} away"
        )


def ends_in(hist: Path, weights: Path) -> bool:
    """Whether a training history ends in these weights: its last snapshot is them (train
    snapshots the final weights). False when either is missing or cannot be read."""
    if not weights.is_file():
        return False
    try:
        snapshots, params = History.load(hist).snapshots, load_model(weights).params
    except RnnError:
        return False
    return snapshots.keys() == params.keys() and all(
        np.array_equal(snapshots[k][-1], v) for k, v in params.items()
    )


def read_training_data(args: argparse.Namespace) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Inputs (T, I), targets and, for text, the vocabulary (empty for numeric data)."""
    if args.target and not args.data:
        raise RnnError("--target goes with --data FILE: give the inputs as --data")
    check_vocab_goes_with_text(args.vocab, args.data)
    if not args.data:
        vocab = read_vocab(args.vocab, "--vocab") if args.vocab else None
        d = text_data(DEFAULT_TEXT if args.text is None else args.text, vocab)
        return d.x, d.targets, d.vocab
    data = load_data(args.data)
    if not args.target:
        if len(data) < 2:
            raise RnnError(
                f"{args.data} has {len(data)} row: give at least two to predict the "
                f"next one, or a --target file"
            )
        return data[:-1], data[1:], []
    target = load_data(args.target)
    if len(target) != len(data):
        raise RnnError(
            f"{args.target} has {plural(len(target), 'row')} but {args.data} has {len(data)}: "
            f"give one target row per data row"
        )
    return data, target, []
