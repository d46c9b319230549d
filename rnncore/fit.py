"""A given model meets the data it is to read: which input unit each character is, and checks.

`rnn3d trace` and the scenes (scenes/story.py) both use this, so a file one accepts the other
draws. A text model's vocabulary (the symbol of each input unit, in index order) comes from the
caller (the CLI's --vocab), else from the weights file, else it is assumed: the text's
characters in order of first appearance. An assumed order is said in a note, and so is a better
fitting standard order (sorted characters, as `sorted(set(text))` gives) when the model
predicts the text at about chance under the one used.
"""

from __future__ import annotations

import math

import numpy as np

from .data import TextData, text_data, vocabulary
from .errors import RnnError, plural
from .forward import forward
from .model import Model

CHANCE = 0.8  # a loss above this fraction of log V counts as (about) chance
FAR_BETTER = 0.5  # another order fits "far better" below this fraction of the loss used


def fit_text(
    model: Model, text: str, source: str, vocab: list[str] | None, vocab_option: str
) -> tuple[TextData, list[str]]:
    """Encode the text for this model: the data and the notes to show the user.

    vocab: the caller's, which wins over the file's; vocab_option: how the user gives one, named
    in what to do (the CLI's "--vocab"). The model is told its vocabulary, and a head
    with one output per symbol is read as next-character scores (softmax)."""
    given = vocab or model.vocab
    from_file = not vocab and bool(model.vocab)
    if not given and model.input_size != len(set(text)):
        raise RnnError(
            f"{source} reads {plural(model.input_size, 'input')} but the text has "
            f"{plural(len(set(text)), 'distinct character')}, and the file has no vocabulary: "
            f"give the model's characters in index order with {vocab_option}"
        )
    data = text_data(text, given or None)
    if model.input_size != len(data.vocab):
        raise RnnError(
            f"{source} reads {plural(model.input_size, 'input')} but the vocabulary has "
            f"{plural(len(data.vocab), 'symbol')}: give the model's own characters with "
            f"{vocab_option}"
        )
    if model.output_size == len(data.vocab) and not model.vocab:
        model.output = "softmax"  # a bare state dict on text: the head scores characters
    model.vocab = data.vocab
    notes = []
    if not given:
        notes.append(
            f"{source} has no vocabulary: assuming its input units are the text's "
            f"characters in order of first appearance ({''.join(data.vocab)!r}); if "
            f"the model was trained with another order, give it with {vocab_option}"
        )
    if not from_file:  # an order assumed or given by hand: does another fit far better?
        better = better_order(model, text, data.vocab, vocab_option)
        if better:
            notes.append(better)
    return data, notes


def fit_series(model: Model, x: np.ndarray, source: str, data_name: str) -> None:
    """Check that the model reads as many features as the data has."""
    if model.input_size != x.shape[1]:
        raise RnnError(
            f"{source} reads {plural(model.input_size, 'input')} but {data_name} has "
            f"{plural(x.shape[1], 'feature')}: use data of the kind the weights were trained on"
        )


def text_loss(model: Model, text: str, vocab: list[str]) -> float | None:
    """Mean cross-entropy of the model's next-character predictions over the text, reading it
    with this vocabulary; None without a head scoring every symbol."""
    if model.output_size != len(vocab) or len(vocab) < 2:
        return None
    data = text_data(text, vocab)
    logits = forward(model, data.x).logits
    assert logits is not None
    z = logits - logits.max(axis=-1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    return -float(log_p[np.arange(len(data.targets)), data.targets].mean())


def better_order(model: Model, text: str, used: list[str], vocab_option: str) -> str | None:
    """A note when the model predicts the text at about chance with the order used, but far
    better with the other standard order (sorted, or first appearance)."""
    loss = text_loss(model, text, used)
    if loss is None:
        return None
    chance = math.log(len(used))
    if loss <= CHANCE * chance:  # better than chance as it is: no other order to try
        return None
    for name, order in (
        ("sorted order", sorted(used)),
        ("order of first appearance", vocabulary(text)),
    ):
        if order == used or set(order) != set(used):
            continue
        other = text_loss(model, text, order)
        if other is not None and other < FAR_BETTER * loss:
            return (
                f"with its characters in the order used ({''.join(used)!r}) the model "
                f"predicts the text no better than chance (loss {loss:.2f}, chance "
                f"{chance:.2f}), but in {name} far better (loss {other:.2f}): if it was "
                f"trained that way, pass {vocab_option} {''.join(order)!r}"
            )
    return None
