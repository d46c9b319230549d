"""Named arrays (PyTorch or Keras names) and metadata -> a checked Model.

What is accepted (all converted to PyTorch's names, see model.py):

- PyTorch: a bare ``nn.RNN``/``nn.LSTM`` state dict (``weight_ih_l0``, ...), or a whole model's
  state dict with the recurrent module under one prefix (``lstm.weight_ih_l0``,
  ``rnn.weight_hh_l1``, ...). The optional linear head is ``fc.weight``/``fc.bias`` if present,
  else the one other ``<name>.weight`` (O, H) with its ``<name>.bias`` (O,), else the one
  ``<name>.weight`` (O, H) without a bias that is not the embedding (``nn.Linear(bias=False)``).
  An ``nn.Embedding`` in front (a ``<name>.weight`` (V, E) without a bias) is folded into the
  first layer's input weights (see fold_embedding). Any other key is an error, because ignoring
  a layer would give a wrong trace.
- Keras LSTM / SimpleRNN: ``kernel`` (I, G*U), ``recurrent_kernel`` (U, G*U), ``bias`` (G*U),
  each possibly under a layer prefix (``lstm/kernel``, ``lstm_1/lstm_cell/kernel:0``); stacked
  layers are ordered by their prefix (lstm, lstm_1, lstm_2, ...), or by the metadata
  ``keras_layers`` (a JSON list of layer names, from a .keras file's config). Keras' gate order
  i, f, c, o is PyTorch's i, f, g, o, so W_ih = kernel.T, W_hh = recurrent_kernel.T,
  b_ih = bias, b_hh = 0. A ``Dense`` layer (``kernel`` (U, O) and ``bias`` without a recurrent
  kernel) is the head; an ``Embedding`` layer (``embeddings`` (V, E)) is folded like PyTorch's.

A layer made without biases (PyTorch's ``bias=False``, Keras' ``use_bias=False``) computes as
one whose biases are zero, and is read so (see zero_biases).

Metadata (all optional): ``cell`` ("rnn"/"lstm"), ``nonlinearity`` ("tanh"/"relu"), ``output``
("softmax"/"linear") and ``vocab`` (a JSON list of symbols, one per input unit in index order).
The cell is read from the shapes (G*H rows: G = 4 is an LSTM, 1 an RNN); metadata and the
caller's hints must agree with it. Without metadata the nonlinearity is tanh, and the head is
read as a softmax when there is a vocabulary, else as linear.
"""

from __future__ import annotations

import re

import numpy as np

from .data import check_vocab, json_strings
from .errors import RnnError, plural
from .model import HEAD_BIAS, HEAD_WEIGHT, Model, expected_shapes

# PyTorch recurrent keys: <prefix>(weight|bias)_(ih|hh|hr)_l<layer>[_reverse]
TORCH_KEY = re.compile(
    r"^(?P<prefix>.*?)(?P<kind>weight|bias)_(?P<part>ih|hh|hr)_l(?P<layer>\d+)"
    r"(?P<reverse>_reverse)?$"
)
KERAS_NAMES = ("kernel", "recurrent_kernel", "bias", "embeddings")
EMBEDDING = "embedding"  # params key of an embedding table until it is folded


def model_from_tensors(
    tensors: dict[str, np.ndarray],
    meta: dict[str, str],
    source: str,
    cell: str | None = None,
    nonlinearity: str | None = None,
) -> Model:
    """Turn named arrays (PyTorch or Keras) and metadata into a checked Model."""
    if not tensors:
        raise RnnError(f"{source} holds no arrays")
    if any(_keras_name(k) == "recurrent_kernel" for k in tensors):
        params, origin = _from_keras(tensors, source, _layer_order(meta, source))
    else:
        params, origin = _from_torch(tensors, source)
    if EMBEDDING in params:
        params["weight_ih_l0"] = fold_embedding(params, origin, source)
    zero_biases(params, origin)
    found_cell = _infer_cell(params, origin, source)
    said = meta.get("cell")
    if said is not None and said != found_cell:
        raise RnnError(
            f"{source} holds {found_cell.upper()} weights but its metadata says "
            f"{said.upper()}: fix the file's 'cell' metadata"
        )
    if cell is not None and cell != found_cell:
        raise RnnError(
            f"{source} holds {found_cell.upper()} weights but {cell.upper()} was "
            f"asked for: ask for an {found_cell.upper()} or give {cell.upper()} weights"
        )
    nl = _agree(meta.get("nonlinearity"), nonlinearity, "nonlinearity", source) or "tanh"
    vocab = _vocab(meta.get("vocab"), source)
    output = meta.get("output") or ("softmax" if vocab else "linear")
    _check(params, origin, found_cell, source)
    try:
        model = Model(found_cell, params, nl, output, vocab)
    except RnnError as err:  # an unknown nonlinearity or output in the metadata
        raise RnnError(f"{source}: {err}") from None
    if vocab and len(vocab) != model.input_size:
        raise RnnError(
            f"{source}: the vocabulary has {plural(len(vocab), 'symbol')} but the model "
            f"reads {plural(model.input_size, 'input')}"
        )
    return model


def _agree(from_file: str | None, from_caller: str | None, what: str, source: str) -> str | None:
    if from_file and from_caller and from_file != from_caller:
        raise RnnError(
            f"{source} was saved with {what} {from_file} but {from_caller} was asked "
            f"for: ask for {from_file} or use other weights"
        )
    return from_caller or from_file


def _vocab(raw: str | None, source: str) -> list[str]:
    if not raw:
        return []
    try:
        vocab = json_strings(raw)
    except ValueError:
        vocab = None
    if vocab is None:
        raise RnnError(f"{source}: metadata 'vocab' is not a JSON list of strings")
    return check_vocab(vocab, f"{source}: metadata 'vocab'") if vocab else []  # [] for numbers


def _layer_order(meta: dict[str, str], source: str) -> list[str] | None:
    """The Keras layers in the order the model runs them (metadata keras_layers), if known."""
    raw = meta.get("keras_layers")
    if raw is None:
        return None
    order = json_strings(raw)
    if order is None:
        raise RnnError(f"{source}: metadata 'keras_layers' is not a JSON list of layer names")
    return order


def fold_embedding(
    params: dict[str, np.ndarray], origin: dict[str, str], source: str
) -> np.ndarray:
    """The first layer's input weights with the embedding table E (V, E) folded in.

    An embedding followed by W_ih (G*H, E) reads symbol v as W_ih E[v], which is exactly a
    one-hot input over the V symbols through W_ih E^T (G*H, V): the folded model is the same
    model, and its input layer is the vocabulary."""
    table, w_ih = np.asarray(params.pop(EMBEDDING)), params.get("weight_ih_l0")
    key = origin.pop(EMBEDDING)
    if table.ndim != 2:
        raise RnnError(
            f"{source}: the embedding {key} has shape {table.shape}; an embedding "
            f"table needs shape (V, E)"
        )
    if w_ih is None or np.ndim(w_ih) != 2 or np.shape(w_ih)[1] != table.shape[1]:
        found = (
            "no input weights"
            if w_ih is None
            else f"{origin['weight_ih_l0']} of shape {np.shape(w_ih)}"
        )
        raise RnnError(
            f"{source}: the embedding {key} gives vectors of size {table.shape[1]} "
            f"but the first layer has {found}, which must read {table.shape[1]} "
            f"inputs"
        )
    if table.dtype.kind not in "biuf" or not np.all(np.isfinite(table)):
        raise RnnError(f"{source}: the embedding {key} must hold finite real numbers")
    origin["weight_ih_l0"] = f"{origin['weight_ih_l0']} (with {key} folded in)"
    return np.asarray(w_ih, dtype=np.float64) @ table.astype(np.float64).T


def zero_biases(params: dict[str, np.ndarray], origin: dict[str, str]) -> None:
    """The biases of layers made without them, as zeros: the recurrent layers' when the file
    has none of them (PyTorch's nn.RNN/nn.LSTM(bias=False); a file missing only some is
    damaged, and _check names the one missing) and the head's when it has only a weight
    (nn.Linear(bias=False), Dense(use_bias=False)). Keras' recurrent layers are read with
    theirs already (see _from_keras)."""
    if not any(name.startswith("bias_") for name in params):
        for name in [k for k in params if k.startswith("weight_hh_l")]:
            layer = name.removeprefix("weight_hh")
            for bias in (f"bias_ih{layer}", f"bias_hh{layer}"):
                params[bias] = np.zeros(np.shape(params[name])[:1])
                origin[bias] = f"{bias} (none in the file: zero)"
    if HEAD_WEIGHT in params and HEAD_BIAS not in params:
        params[HEAD_BIAS] = np.zeros(np.shape(params[HEAD_WEIGHT])[:1])
        origin[HEAD_BIAS] = f"{HEAD_BIAS} (none in the file: zero)"


def _from_torch(
    tensors: dict[str, np.ndarray], source: str
) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """PyTorch names -> (params, origin) where origin maps each param to its key in the file."""
    params: dict[str, np.ndarray] = {}
    origin: dict[str, str] = {}
    prefixes = set()
    for key in tensors:
        m = TORCH_KEY.match(key)
        if not m:
            continue
        if m["reverse"]:
            raise RnnError(
                f"{source}: {key} belongs to a bidirectional layer, which is not "
                f"supported: use a unidirectional RNN or LSTM"
            )
        if m["part"] == "hr":
            raise RnnError(
                f"{source}: {key} is an LSTM projection (proj_size), which is not "
                f"supported: use an LSTM without proj_size"
            )
        prefixes.add(m["prefix"])
        name = f"{m['kind']}_{m['part']}_l{m['layer']}"
        params[name], origin[name] = tensors[key], key
    if not params:
        raise RnnError(
            f"{source} has no recurrent weights: expected PyTorch names "
            f"(weight_ih_l0, ...) or Keras names (kernel, recurrent_kernel, bias); "
            f"found {_some(tensors)}"
        )
    if len(prefixes) > 1:
        raise RnnError(
            f"{source} holds several recurrent modules ({', '.join(sorted(prefixes))}): "
            f"rnn3d reads one RNN or LSTM"
        )
    rest = {k: v for k, v in tensors.items() if k not in origin.values()}
    head = _torch_head(
        rest, source, _width(params.get("weight_ih_l0")), _width(params.get("weight_hh_l0"))
    )
    for name, key in zip((HEAD_WEIGHT, HEAD_BIAS), head, strict=False):
        params[name], origin[name] = rest.pop(key), key
    tables = _tables(rest)
    if len(tables) > 1:
        raise RnnError(
            f"{source} has several candidate embeddings ({', '.join(tables)}): "
            f"rnn3d reads at most one nn.Embedding before the recurrent layers"
        )
    if tables:
        params[EMBEDDING], origin[EMBEDDING] = rest.pop(tables[0]), tables[0]
    if rest:
        raise RnnError(
            f"{source}: unexpected key {next(iter(rest))!r}; rnn3d reads an optional "
            f"embedding, one RNN or LSTM and an optional linear head (fc.weight, "
            f"fc.bias)"
        )
    return params, origin


def _torch_head(
    rest: dict[str, np.ndarray], source: str, inputs: int | None, hidden: int | None
) -> tuple[str, ...]:
    """The keys of the head: fc.weight (and fc.bias if there is one), else the one
    <name>.weight (2-D) with a <name>.bias, else the one 2-D <name>.weight without a bias that
    reads the hidden state (hidden columns) and is not the embedding (nn.Linear(bias=False))."""
    if HEAD_WEIGHT in rest:
        return (HEAD_WEIGHT, HEAD_BIAS) if HEAD_BIAS in rest else (HEAD_WEIGHT,)
    pairs = [
        k[: -len(".weight")]
        for k, v in rest.items()
        if k.endswith(".weight") and np.ndim(v) == 2 and f"{k[: -len('.weight')]}.bias" in rest
    ]
    if not pairs:
        tables = _tables(rest)
        pairs = [
            k[: -len(".weight")]
            for k in tables
            if _width(rest[k]) == hidden and _reads_as_head(k, _width(rest[k]) == inputs, tables)
        ]
    if len(pairs) > 1:
        raise RnnError(
            f"{source} has several candidate output heads ({', '.join(pairs)}): "
            f"rnn3d reads one linear head; name it fc"
        )
    if not pairs:
        return ()
    return tuple(k for k in (f"{pairs[0]}.weight", f"{pairs[0]}.bias") if k in rest)


# the words in a layer's name that say what it is (its name split at '.' and '_')
EMBEDDING_WORDS = {"encoder", "wte", "lookup", "table", "tok", "token", "char", "chars"}
HEAD_WORDS = {"head", "out", "output", "decoder", "proj", "linear", "classifier", "logits", "fc"}


def _reads_as_head(key: str, as_wide_as_input: bool, tables: list[str]) -> bool:
    """Whether a bias-less 2-D weight that reads the hidden state is the head. One as wide as
    the first layer's input could be the embedding too; its name tells (embedding, wte; head,
    out, decoder), else the other such weight's: a lone one stays the embedding, as rnn3d
    read it before it read heads without a bias."""
    if not as_wide_as_input:
        return True
    words = _name_words(key)
    if words & EMBEDDING_WORDS or any(w.startswith("emb") for w in words):
        return False
    return bool(words & HEAD_WORDS) or len(tables) > 1


def _name_words(key: str) -> set[str]:
    """'model.lm_head.weight' -> {'model', 'lm', 'head', 'weight'}."""
    return set(re.split(r"[._]", key.lower()))


def _tables(rest: dict[str, np.ndarray]) -> list[str]:
    """The 2-D <name>.weight keys without a <name>.bias: an embedding, or a head without bias."""
    return [
        k
        for k, v in rest.items()
        if k.endswith(".weight") and np.ndim(v) == 2 and f"{k[: -len('.weight')]}.bias" not in rest
    ]


def _width(a: np.ndarray | None) -> int | None:
    """The columns of a 2-D array (what it reads), else None."""
    return int(np.shape(a)[1]) if a is not None and np.ndim(a) == 2 else None


def _keras_name(key: str) -> str:
    """Last component of a Keras key: 'lstm_1/lstm_cell/kernel:0' -> 'kernel'."""
    return re.split(r"[/.]", key.split(":")[0])[-1]


def _keras_group(key: str) -> str:
    """The layer a Keras key belongs to: 'lstm_1/lstm_cell/kernel:0' -> 'lstm_1'."""
    parts = re.split(r"[/.]", key.split(":")[0])[:-1]
    if parts and parts[-1].endswith("_cell"):  # TF2's 'lstm/lstm_cell/kernel:0'
        parts = parts[:-1]
    return "/".join(parts)


def _natural(name: str) -> tuple[str, int]:
    """Keras layer order: lstm < lstm_1 < lstm_2 < ... < lstm_10."""
    m = re.match(r"^(.*?)(?:_(\d+))?$", name)
    assert m is not None
    return m[1], int(m[2] or 0)


def _from_keras(
    tensors: dict[str, np.ndarray], source: str, order: list[str] | None = None
) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Keras names -> (params, origin); order: the layer names in the model's order, if known."""
    groups: dict[str, dict[str, str]] = {}
    for key in tensors:
        name = _keras_name(key)
        if name not in KERAS_NAMES:
            raise RnnError(
                f"{source}: unexpected key {key!r}; a Keras file should hold kernel, "
                f"recurrent_kernel and bias of RNN/LSTM layers, one Dense head and "
                f"optionally an Embedding's embeddings"
            )
        group = groups.setdefault(_keras_group(key), {})
        if name in group:
            raise RnnError(
                f"{source}: {key} and {group[name]} both name the {name} of layer "
                f"{_keras_group(key)!r}"
            )
        group[name] = key

    def position(g: str) -> tuple[object, ...]:
        return (order.index(g),) if order and g in order else (len(order or ()), *_natural(g))

    recurrent = sorted((g for g in groups if "recurrent_kernel" in groups[g]), key=position)
    tables = [g for g in groups if "embeddings" in groups[g]]
    dense = [g for g in groups if g not in recurrent and g not in tables]
    if len(tables) > 1:
        raise RnnError(
            f"{source} has several Embedding layers ({', '.join(tables)}): rnn3d reads at most one"
        )
    if len(dense) > 1:
        raise RnnError(
            f"{source} has several Dense layers ({', '.join(dense)}): rnn3d reads one linear head"
        )
    params: dict[str, np.ndarray] = {}
    origin: dict[str, str] = {}
    if tables:
        key = groups[tables[0]]["embeddings"]
        params[EMBEDDING], origin[EMBEDDING] = tensors[key], key
    for n, g in enumerate(recurrent):
        keys = groups[g]
        if "kernel" not in keys:
            raise RnnError(f"{source}: layer {g!r} has a recurrent_kernel but no kernel")
        rk = tensors[keys["recurrent_kernel"]]
        for name, key, value in (
            (f"weight_ih_l{n}", keys["kernel"], _transpose(tensors[keys["kernel"]])),
            (f"weight_hh_l{n}", keys["recurrent_kernel"], _transpose(rk)),
        ):
            params[name], origin[name] = value, key
        gh = rk.shape[-1] if np.ndim(rk) == 2 else 0
        bias = tensors[keys["bias"]] if "bias" in keys else np.zeros(gh)  # use_bias=False
        params[f"bias_ih_l{n}"] = bias
        origin[f"bias_ih_l{n}"] = keys.get("bias", f"{g}/bias")
        params[f"bias_hh_l{n}"] = np.zeros(np.shape(bias))  # Keras has one bias per gate
        origin[f"bias_hh_l{n}"] = origin[f"bias_ih_l{n}"]
    if dense:
        keys = groups[dense[0]]
        if "kernel" not in keys:
            raise RnnError(f"{source}: {keys['bias']} has no matching kernel")
        params[HEAD_WEIGHT] = _transpose(tensors[keys["kernel"]])
        origin[HEAD_WEIGHT] = keys["kernel"]
        if "bias" in keys:
            params[HEAD_BIAS], origin[HEAD_BIAS] = tensors[keys["bias"]], keys["bias"]
    return params, origin


def _transpose(a: np.ndarray) -> np.ndarray:
    return np.asarray(a).T if np.ndim(a) == 2 else np.asarray(a)  # wrong ranks fail the check


def _infer_cell(params: dict[str, np.ndarray], origin: dict[str, str], source: str) -> str:
    """G*H rows over H columns of weight_hh_l0: G = 4 is an LSTM, G = 1 an RNN."""
    if "weight_hh_l0" not in params:
        raise RnnError(f"{source} has no weight_hh_l0 (the first layer's recurrent weights)")
    w = params["weight_hh_l0"]
    key = origin["weight_hh_l0"]
    if w.ndim != 2 or w.shape[1] == 0:
        raise RnnError(
            f"{source}: {key} has shape {w.shape} but a recurrent weight needs shape (G*H, H)"
        )
    rows, H = w.shape
    if rows == 4 * H:
        return "lstm"
    if rows == H:
        return "rnn"
    kind = ", a GRU's, which is not supported" if rows == 3 * H else ""
    raise RnnError(
        f"{source}: {key} has shape {w.shape}{kind}; rnn3d reads an RNN ({H}, {H}) "
        f"or an LSTM ({4 * H}, {H})"
    )


def _check(params: dict[str, np.ndarray], origin: dict[str, str], cell: str, source: str) -> None:
    """Every expected key present with its shape, nothing extra, numbers finite -> float64."""
    H = params["weight_hh_l0"].shape[1]
    w_ih = params.get("weight_ih_l0")
    if w_ih is None or w_ih.ndim != 2:
        what = "missing" if w_ih is None else f"of shape {w_ih.shape}"
        raise RnnError(
            f"{source}: weight_ih_l0 is {what} but a {cell.upper()} needs a 2-D input weight"
        )
    layers = 1 + max(
        int(k.rsplit("_l", 1)[1]) for k in params if k.startswith(("weight_", "bias_"))
    )
    head = params.get(HEAD_WEIGHT)
    out = head.shape[0] if head is not None and head.ndim == 2 else None
    want = expected_shapes(cell, w_ih.shape[1], H, layers, out)
    if head is not None and out is None:
        want[HEAD_WEIGHT] = (-1, H)  # a 1-D head weight: report it against (O, H)
    for name, shape in want.items():
        if name not in params:
            raise RnnError(
                f"{source}: missing {name} (expected shape {shape}) for a "
                f"{layers}-layer {cell.upper()} with hidden size {H}"
            )
        found = params[name].shape
        if found != shape:
            expect = f"(O, {H})" if shape[0] == -1 else str(shape)
            raise RnnError(
                f"{source}: {origin[name]} has shape {found} but a {cell.upper()} "
                f"with input size {w_ih.shape[1]} and hidden size {H} needs {expect}"
            )
    for name in params:
        if name not in want:
            raise RnnError(f"{source}: unexpected {origin[name]} for a {cell.upper()}")
    for name, value in params.items():
        if value.dtype.kind not in "biuf":
            raise RnnError(f"{source}: {origin[name]} holds {value.dtype} values, not real numbers")
        params[name] = value.astype(np.float64)
        if not np.all(np.isfinite(params[name])):
            raise RnnError(f"{source}: {origin[name]} contains NaN or infinite values")


def _some(tensors: dict[str, np.ndarray], n: int = 4) -> str:
    keys = list(tensors)
    more = f" and {len(keys) - n} more" if len(keys) > n else ""
    return ", ".join(keys[:n]) + more
