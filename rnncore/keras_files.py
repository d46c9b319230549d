"""Keras' own files: ``model.weights.h5`` (model.save_weights) and ``model.keras`` (model.save).

Read with h5py; nothing in a file is executed. A .keras file is a zip archive holding
config.json, read as plain JSON data, and model.weights.h5. In Keras 3's weights file each
layer's variables are the datasets ``layers/<name>/vars/0, 1, ...`` (``.../cell/vars/...`` for
a recurrent layer), where <name> is the layer's class in snake case, numbered in model order
(lstm, lstm_1, ...). The variables of each kind of layer come in a fixed order, named here with
Keras' own names so that weight_names.py reads them like any other Keras weights:

    Embedding: embeddings          SimpleRNN, LSTM: kernel, recurrent_kernel, bias
    Dense: kernel, bias

A Keras 2 .h5 (datasets named like ``lstm/lstm_cell/kernel:0``) is read by those names. The
config, when there is one, gives the layers' order, the RNN's activation and whether the head
is a softmax, and refuses what rnn3d would compute differently (GRU, Bidirectional, an LSTM
without tanh and sigmoid, a masking embedding, a reversed sequence).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from .data import json_value
from .errors import RnnError, first_line

VARIABLES = {
    "embedding": ("embeddings",),
    "simple_rnn": ("kernel", "recurrent_kernel", "bias"),
    "lstm": ("kernel", "recurrent_kernel", "bias"),
    "dense": ("kernel", "bias"),
}
WITHOUT_WEIGHTS = ("InputLayer", "Dropout", "Activation", "Softmax", "SpatialDropout1D")
RECURRENT = ("SimpleRNN", "LSTM")


def read_keras(p: Path) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """The arrays of a .weights.h5, .h5 or .keras file under Keras names, and metadata."""
    try:
        import h5py
    except ImportError:
        raise RnnError(
            f"reading {p.name} needs h5py: pip install h5py (scripts/setup.sh installs it)"
        ) from None
    config = None
    source: Any = p
    if p.suffix.lower() == ".keras":
        config, weights = _unzip(p)
        source = io.BytesIO(weights)
    try:
        with h5py.File(source, "r") as fh:
            tensors = dict(_variables(fh, h5py))
    except RnnError as err:
        raise RnnError(f"{p.name}: {err}") from None
    except (OSError, ValueError) as err:
        raise RnnError(f"{p} is not a readable Keras weights file ({first_line(err)})") from None
    meta = _meta(config, p.name) if p.suffix.lower() == ".keras" else {}
    return tensors, meta


def _unzip(p: Path) -> tuple[Any, bytes]:
    try:
        with zipfile.ZipFile(p) as z:
            config = json_value(z.read("config.json").decode("utf-8"))
            weights = z.read("model.weights.h5")
    except KeyError as err:
        raise RnnError(
            f"{p} is not a complete .keras file ({err.args[0]}): save it with "
            f"model.save('model.keras')"
        ) from None
    except (OSError, zipfile.BadZipFile, UnicodeDecodeError, ValueError) as err:
        raise RnnError(f"{p} is not a readable .keras file ({first_line(err)})") from None
    return config, weights


def _variables(fh: Any, h5py: Any) -> Iterator[tuple[str, np.ndarray]]:
    """(Keras name, array) of every variable in the file, layer by layer."""
    datasets: list[tuple[str, Any]] = []
    fh.visititems(
        lambda name, obj: datasets.append((name, obj)) if isinstance(obj, h5py.Dataset) else None
    )
    for name, ds in datasets:
        parts = name.split("/")
        if len(parts) >= 2 and parts[-2] == "vars" and parts[-1].isdigit():
            owner = [q for q in parts[:-2] if q != "layers"]
            if owner and owner[-1] == "cell":
                owner = owner[:-1]
            layer = owner[-1] if owner else "model"
            kind = re.sub(r"_\d+$", "", layer)
            names = VARIABLES.get(kind)
            if names is None:
                raise RnnError(
                    f"layer {layer!r} holds weights rnn3d does not read: a Keras "
                    f"model for rnn3d has an optional Embedding, SimpleRNN or LSTM "
                    f"layers, and an optional Dense head"
                )
            index = int(parts[-1])
            if index >= len(names):
                raise RnnError(f"layer {layer!r} has more variables than a {kind} layer")
            yield f"{'/'.join(owner)}/{names[index]}", np.asarray(ds[()])
        elif not name.startswith("optimizer_weights/"):
            # Keras 2: the dataset's own name says what it is (kernel:0, bias:0, ...)
            yield name.removeprefix("model_weights/"), np.asarray(ds[()])


def _meta(config: Any, name: str) -> dict[str, str]:
    """Metadata from a .keras file's config: layer order, the RNN's activation, the head's."""
    layers = list(_layers(config))
    if not layers:  # not a model's config (null, [], {}): activations and head go unchecked
        raise RnnError(
            f"{name}: its config.json describes no Keras model ({json.dumps(config)[:40]}): "
            f"save the model again with model.save('model.keras'), or give its .weights.h5"
        )
    meta: dict[str, str] = {}
    order: list[str] = []
    counts: dict[str, int] = {}
    for cls, cfg in layers:
        snake = _snake(cls)
        order.append(snake if snake not in counts else f"{snake}_{counts[snake]}")
        counts[snake] = counts.get(snake, 0) + 1
        if cls == "LSTM" and (
            cfg.get("activation", "tanh") != "tanh"
            or cfg.get("recurrent_activation", "sigmoid") != "sigmoid"
        ):
            raise RnnError(
                f"{name}: LSTM {cfg.get('name')!r} uses activation "
                f"{cfg.get('activation')} and recurrent_activation "
                f"{cfg.get('recurrent_activation')}; rnn3d computes tanh and sigmoid"
            )
        if cls in RECURRENT and cfg.get("go_backwards"):
            raise RnnError(
                f"{name}: {cls} {cfg.get('name')!r} reads the sequence backwards "
                f"(go_backwards), which rnn3d does not"
            )
        if cls == "SimpleRNN":
            meta["nonlinearity"] = _choice(cfg.get("activation"), ("tanh", "relu"), cls, name)
        if cls == "Embedding" and cfg.get("mask_zero"):
            raise RnnError(
                f"{name}: Embedding {cfg.get('name')!r} masks index 0 (mask_zero), "
                f"which rnn3d does not: save it with mask_zero=False"
            )
        if cls in ("Dense", "Activation", "Softmax"):
            act = "softmax" if cls == "Softmax" else cfg.get("activation", "linear")
            if cls == "Dense" or act != "linear":
                meta["output"] = _choice(act, ("softmax", "linear"), cls, name)
        if cls not in (*RECURRENT, "Embedding", "Dense", *WITHOUT_WEIGHTS):
            raise RnnError(
                f"{name}: layer {cfg.get('name')!r} is a {cls}, which rnn3d does not "
                f"read: use an optional Embedding, SimpleRNN or LSTM layers and an "
                f"optional Dense head"
            )
    meta["keras_layers"] = json.dumps(order)
    return meta


def _layers(config: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """(class name, config) of every layer, nested models opened, in model order."""
    if not isinstance(config, dict):
        return
    inner = config.get("config")
    if not isinstance(inner, dict):
        return
    if isinstance(inner.get("layers"), list):
        for layer in inner["layers"]:
            yield from _layers(layer)
    else:
        yield str(config.get("class_name")), inner


def _snake(cls: str) -> str:
    """Keras' to_snake_case: SimpleRNN -> simple_rnn, LSTM -> lstm, InputLayer -> input_layer."""
    s = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", re.sub(r"\W+", "", cls))
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", s).lower()


def _choice(value: object, allowed: tuple[str, ...], cls: str, name: str) -> str:
    if value not in allowed:
        raise RnnError(
            f"{name}: a {cls} with activation {value!r}; rnn3d reads {' or '.join(allowed)}"
        )
    return str(value)
