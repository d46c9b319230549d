"""rnn3d trace: run a cell on data and write every intermediate as .npz, .json or .csv.

Data: --text (default the built-in "hello") or --data FILE (.csv or .npy). Weights: --weights
FILE, or a fresh model with PyTorch's default initialisation from --seed. A fresh model on
text has a softmax head with one output per character (next-character scores); on numeric data
a linear head with one output per feature (a next-step prediction). The file keys are listed in
rnncore/export.py.
"""

from __future__ import annotations

import argparse

import numpy as np

from rnncore import Model, RnnError, Trace, forward, init_model
from rnncore.data import DEFAULT_TEXT, load_data, text_data
from rnncore.defaults import DEFAULT_HIDDEN
from rnncore.export import check_format, write_trace
from rnncore.weights import load_model

EPILOG = """A fresh model (no --weights) starts from PyTorch's default initialisation: on text it
has a softmax head with one output per character (next-character scores), on numeric data a
linear head with one output per feature (a next-step prediction). Given weights trained on
text, the text is encoded with the file's vocabulary. The file holds x, pre, h, for the LSTM
c, i, f, g, o, with a head logits and y (time first, last layer), every layer as layer0_h,
layer0_c, ..., and the gradient flow sensitivity_h (sensitivity_c); .csv has one row per step."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    parser.add_argument("--cell", choices=("rnn", "lstm"), required=True,
                        help="the kind of cell (must match --weights when given)")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--text", help=f"characters to read (default {DEFAULT_TEXT!r})")
    source.add_argument("--data", metavar="FILE", help="numeric data: .csv (rows are steps, "
                        "columns features, one header row allowed) or .npy (T,) or (T, I)")
    parser.add_argument("--weights", metavar="FILE",
                        help=".safetensors, .npz or .pt (PyTorch or Keras names); "
                             "default: a fresh model from --seed")
    parser.add_argument("--hidden", type=int, metavar="N",
                        help=f"hidden units of a fresh model (default {DEFAULT_HIDDEN})")
    parser.add_argument("--layers", type=int, metavar="N",
                        help="stacked layers of a fresh model (default 1)")
    parser.add_argument("--seed", type=int, metavar="N",
                        help="seed of a fresh model's initial weights (default 0)")
    parser.add_argument("--nonlinearity", choices=("tanh", "relu"),
                        help="the RNN's activation (default tanh, or what the weights file says)")
    parser.add_argument("--out", metavar="FILE", required=True,
                        help="where to write the trace: .npz, .json or .csv")


def run(args: argparse.Namespace) -> int:
    check_format(args.out)  # before any work: a wrong name fails fast and writes nothing
    if args.cell == "lstm" and args.nonlinearity == "relu":
        raise RnnError("--nonlinearity relu is for the RNN: the LSTM's gates use sigmoid and "
                       "tanh; drop the option")
    loaded = _load_weights(args) if args.weights else None
    x, vocab = _read_data(args, loaded.vocab if loaded else [])
    model = _fit(loaded, args, x, vocab) if loaded else _fresh(args, x, vocab)
    trace = forward(model, x)
    trace.vocab = trace.vocab or vocab
    path = write_trace(trace, args.out, extra=extra_arrays(model, trace))
    print(f"wrote the {model.cell.upper()} trace of {trace.steps} steps to {path}")
    return 0


def extra_arrays(model: Model, trace: Trace) -> dict[str, np.ndarray]:
    """Arrays written next to the trace, one value (or row) per step: the gradient flow
    sensitivity_h (and for the LSTM sensitivity_c), shape (T,), from rnncore.sensitivity."""
    from rnncore.sensitivity import gradient_flow

    return gradient_flow(model, trace)


def _read_data(args: argparse.Namespace, vocab: list[str]) -> tuple[np.ndarray, list[str]]:
    """The input sequence (T, I) and, for text, the symbol of each input unit.

    Text is encoded with the weights' vocabulary when the file has one, else with the text's
    own characters in order of first appearance.
    """
    if args.data:
        return load_data(args.data), []
    data = text_data(DEFAULT_TEXT if args.text is None else args.text, vocab or None)
    return data.x, data.vocab


def _fresh(args: argparse.Namespace, x: np.ndarray, vocab: list[str]) -> Model:
    """PyTorch's default initialisation from the seed; the head predicts the next step."""
    for name in ("hidden", "layers"):
        value = getattr(args, name)
        if value is not None and value < 1:
            raise RnnError(f"--{name} must be at least 1, got {value}")
    features = x.shape[1]
    return init_model(args.cell, features, args.hidden or DEFAULT_HIDDEN, args.layers or 1,
                      features, seed=args.seed or 0, nonlinearity=args.nonlinearity or "tanh",
                      output="softmax" if vocab else "linear", vocab=vocab)


def _load_weights(args: argparse.Namespace) -> Model:
    model = load_model(args.weights, cell=args.cell, nonlinearity=args.nonlinearity)
    for name, asked, has in (("hidden", args.hidden, model.hidden_size),
                             ("layers", args.layers, model.num_layers)):
        if asked is not None and asked != has:
            raise RnnError(f"--{name} {asked} does not match {args.weights}, which has {has}: "
                           f"drop --{name} when giving --weights")
    if args.seed is not None:
        raise RnnError("--seed sets a fresh model's weights: drop it when giving --weights")
    return model


def _fit(model: Model, args: argparse.Namespace, x: np.ndarray, vocab: list[str]) -> Model:
    """Check the weights read this data."""
    features = x.shape[1]
    if model.input_size != features:
        what = (f"the text has {features} distinct characters" if vocab
                else f"{args.data} has {features} features")
        raise RnnError(f"{args.weights} reads {model.input_size} inputs but {what}: use data "
                       f"of the kind the weights were trained on")
    if vocab and not model.vocab and model.output_size == len(vocab):
        model.output = "softmax"  # a bare torch state dict on text: the head scores characters
    return model
