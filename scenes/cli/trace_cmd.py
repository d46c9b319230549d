"""rnn3d trace: run a cell on data and write every intermediate as .npz, .json or .csv.

Data: --text (default the built-in "hello") or --data FILE (.csv or .npy). Weights: --weights
FILE, or a fresh model with PyTorch's default initialisation from --seed. A fresh model on
text has a softmax head with one output per character (next-character scores); on numeric data
a linear head with one output per feature (a next-step prediction). The file keys are listed in
rnncore/export.py.
"""

from __future__ import annotations

import argparse
import os

import numpy as np

from rnncore import Model, RnnError, Trace, forward, init_model
from rnncore.data import DEFAULT_TEXT, NumericData, load_numeric, read_vocab, text_data
from rnncore.defaults import DEFAULT_HIDDEN
from rnncore.errors import plural
from rnncore.export import check_format, write_trace
from rnncore.files import check_writable
from rnncore.fit import fit_series, fit_text
from rnncore.weights import load_model
from scenes.cli import check_nonlinearity, given, not_empty, print_notes, whole_number
from scenes.settings import check_vocab_goes_with_text

EPILOG = """A fresh model (no --weights) starts from PyTorch's default initialisation: on text it
has a softmax head with one output per character (next-character scores), on numeric data a
linear head with one output per feature (a next-step prediction). Given weights trained on
text, the text is encoded with --vocab, else the file's vocabulary, else the text's characters in
order of first appearance (said in a note). The file holds x, pre, h, for the LSTM
c, i, f, g, o, with a head logits and y (time first, last layer), every layer as layer0_h,
layer0_c, ..., the gradient flow sensitivity_h (sensitivity_c), and features, the names in a
CSV's header; .csv has one row per step."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    parser.add_argument(
        "--cell",
        choices=("rnn", "lstm"),
        required=True,
        help="the kind of cell (must match --weights when given)",
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--text", help=f"characters to read (default {DEFAULT_TEXT!r})")
    source.add_argument(
        "--data",
        type=given,
        metavar="FILE",
        help="numeric data: .csv (rows are steps, columns features, one "
        "header row allowed) or .npy (T,) or (T, I)",
    )
    parser.add_argument(
        "--weights",
        type=given,
        metavar="FILE",
        help=".safetensors, .npz, .pt, .keras or .weights.h5 (PyTorch or Keras names); "
        "default: a fresh model from --seed",
    )
    add_vocab_argument(parser)
    parser.add_argument(
        "--hidden",
        type=whole_number(1),
        metavar="N",
        help=f"hidden units of a fresh model (default {DEFAULT_HIDDEN})",
    )
    parser.add_argument(
        "--layers",
        type=whole_number(1),
        metavar="N",
        help="stacked layers of a fresh model (default 1)",
    )
    parser.add_argument(
        "--seed",
        type=whole_number(0),
        metavar="N",
        help="seed of a fresh model's initial weights (default 0)",
    )
    parser.add_argument(
        "--nonlinearity",
        choices=("tanh", "relu"),
        help="the RNN's activation (default tanh, or what the weights file says)",
    )
    parser.add_argument(
        "--out",
        type=given,
        metavar="FILE",
        required=True,
        help="where to write the trace: .npz, .json or .csv",
    )


def run(args: argparse.Namespace) -> int:
    check_format(args.out)  # before any work: a wrong name fails fast and writes nothing
    check_not_an_input(args)
    check_writable(args.out)
    check_nonlinearity(args.cell, args.nonlinearity)
    vocab = read_vocab(args.vocab, "--vocab") if args.vocab else None
    check_vocab_goes_with_text(args.vocab, args.data)
    loaded = _load_weights(args) if args.weights else None
    data = load_numeric(args.data) if args.data else None  # a CSV's header names its features
    if loaded is not None:
        model, x = _given(loaded, args, vocab, data)
    else:
        x, vocab = _read_data(args, vocab, data)
        model = _fresh(args, x, vocab)
    trace = forward(model, x)
    trace.check_finite()
    trace.vocab = trace.vocab or vocab or []
    trace.features = data.names if data is not None else []
    path = write_trace(trace, args.out, extra=extra_arrays(model, trace))
    print(f"wrote the {model.cell.upper()} trace of {plural(trace.steps, 'step')} to {path}")
    return 0


def check_not_an_input(args: argparse.Namespace) -> None:
    """--out must not name a file the trace reads: --out d.csv with --data d.csv (or the
    --weights .npz, or the --vocab .json) replaced it with the trace, status 0, and the user's
    file was lost; so was it when the input was a link to --out. (An --out that is a link to an
    input is replaced by the trace and the file kept, as elsewhere.)"""
    vocab_file = args.vocab if args.vocab and args.vocab.lower().endswith(".json") else None
    for option, name in (
        ("--data", args.data),
        ("--weights", args.weights),
        ("--vocab", vocab_file),
    ):
        if name and _entry(args.out) == os.path.split(os.path.realpath(name)):  # what it reads
            raise RnnError(
                f"--out {args.out} is the {option} file the trace reads, which it would "
                f"replace: give another --out"
            )


def _entry(path: str) -> tuple[str, str]:
    """The folder entry a path names, however it is written (./d.csv, sub/../d.csv)."""
    full = os.path.abspath(path)
    return os.path.realpath(os.path.dirname(full)), os.path.basename(full)


def extra_arrays(model: Model, trace: Trace) -> dict[str, np.ndarray]:
    """Arrays written next to the trace, one value (or row) per step: the gradient flow
    sensitivity_h (and for the LSTM sensitivity_c), shape (T,), from rnncore.sensitivity."""
    from rnncore.sensitivity import gradient_flow

    return gradient_flow(model, trace)


def add_vocab_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--vocab",
        type=not_empty,
        metavar="CHARS|FILE.json",
        help="with --text: the model's characters in index order, as a string "
        "or a .json list (default: the weights file's, else the text's "
        "characters in order of first appearance)",
    )


def _read_data(
    args: argparse.Namespace, vocab: list[str] | None, data: NumericData | None
) -> tuple[np.ndarray, list[str]]:
    """A fresh model's input sequence (T, I) and, for text, the symbol of each input unit."""
    if data is not None:
        return data.x, []
    text = text_data(DEFAULT_TEXT if args.text is None else args.text, vocab)
    return text.x, text.vocab


def _fresh(args: argparse.Namespace, x: np.ndarray, vocab: list[str]) -> Model:
    """PyTorch's default initialisation from the seed; the head predicts the next step."""
    features = x.shape[1]
    return init_model(
        args.cell,
        features,
        args.hidden or DEFAULT_HIDDEN,
        args.layers or 1,
        features,
        seed=args.seed or 0,
        nonlinearity=args.nonlinearity or "tanh",
        output="softmax" if vocab else "linear",
        vocab=vocab,
    )


def _load_weights(args: argparse.Namespace) -> Model:
    model = load_model(args.weights, nonlinearity=args.nonlinearity)
    if model.cell != args.cell:  # checked here, not by load_model, to name the option
        raise RnnError(
            f"{args.weights} holds {model.cell.upper()} weights but --cell is {args.cell}: "
            f"use --cell {model.cell} or {args.cell.upper()} weights"
        )
    for name, asked, has in (
        ("hidden", args.hidden, model.hidden_size),
        ("layers", args.layers, model.num_layers),
    ):
        if asked is not None and asked != has:
            raise RnnError(
                f"--{name} {asked} does not match {args.weights}, which has {has}: "
                f"drop --{name} when giving --weights"
            )
    if args.seed is not None:
        raise RnnError("--seed sets a fresh model's weights: drop it when giving --weights")
    return model


def _given(
    model: Model, args: argparse.Namespace, vocab: list[str] | None, data: NumericData | None
) -> tuple[Model, np.ndarray]:
    """The loaded model and its input: the data checked against it, text in its vocabulary."""
    if data is not None:
        fit_series(model, data.x, args.weights, args.data)
        return model, data.x
    text, notes = fit_text(
        model,
        DEFAULT_TEXT if args.text is None else args.text,
        args.weights,
        vocab,
        vocab_option="--vocab",
    )
    print_notes(notes)
    return model, text.x
