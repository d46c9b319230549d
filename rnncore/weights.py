"""Reading and writing a Model's weights: .safetensors, .npz, and .pt (read only, needs torch).

Files are never unpickled: safetensors, `np.load(allow_pickle=False)`, and for .pt
`torch.load(weights_only=True)`.

What is accepted (all converted to PyTorch's names, see model.py):

- PyTorch: a bare ``nn.RNN``/``nn.LSTM`` state dict (``weight_ih_l0``, ...), or a whole model's
  state dict with the recurrent module under one prefix (``lstm.weight_ih_l0``,
  ``rnn.weight_hh_l1``, ...). The optional linear head is ``fc.weight``/``fc.bias`` if present,
  else the one other ``<name>.weight`` (O, H) with its ``<name>.bias`` (O,). Any other key is an
  error, because ignoring a layer would give a wrong trace. A .pt file may also hold such a dict
  under ``state_dict`` or ``model_state_dict``.
- Keras LSTM / SimpleRNN: ``kernel`` (I, G*U), ``recurrent_kernel`` (U, G*U), ``bias`` (G*U),
  each possibly under a layer prefix (``lstm/kernel``, ``lstm_1/lstm_cell/kernel:0``); stacked
  layers are ordered by their prefix (lstm, lstm_1, lstm_2, ...). Keras' gate order i, f, c, o is
  PyTorch's i, f, g, o, so W_ih = kernel.T, W_hh = recurrent_kernel.T, b_ih = bias, b_hh = 0.
  A ``Dense`` layer (``kernel`` (U, O) and ``bias`` without a recurrent kernel) is the head.
  Keras' own .h5/.keras files are not read (that needs h5py); save the arrays as .npz with
  ``np.savez("w.npz", **{w.path: w.numpy() for w in model.weights})``.

Metadata (all optional): ``cell`` ("rnn"/"lstm"), ``nonlinearity`` ("tanh"/"relu"), ``output``
("softmax"/"linear") and ``vocab`` (a JSON list of symbols). In .safetensors they are the
file's string metadata; in .npz they are one JSON object stored as a 0-d unicode array under
the key ``__meta__``. Any other string metadata given to `save_model` is stored alongside.
The cell is read from the shapes (G*H rows: G = 4 is an LSTM, 1 an RNN); metadata and the
caller's hints must agree with it. Without metadata the nonlinearity is tanh, and the head is
read as a softmax when there is a vocabulary, else as linear.
"""

from __future__ import annotations

import json
import os
import pickle  # only for its exception type: nothing is ever unpickled
import re
from pathlib import Path

import numpy as np

from .errors import RnnError
from .files import atomic_path, existing_file
from .model import HEAD_BIAS, HEAD_WEIGHT, Model, expected_shapes

META_KEY = "__meta__"  # the .npz key holding the metadata as JSON
MODEL_META = ("cell", "nonlinearity", "output", "vocab")
FORMATS = (".safetensors", ".npz", ".pt")

# PyTorch recurrent keys: <prefix>(weight|bias)_(ih|hh|hr)_l<layer>[_reverse]
TORCH_KEY = re.compile(r"^(?P<prefix>.*?)(?P<kind>weight|bias)_(?P<part>ih|hh|hr)_l(?P<layer>\d+)"
                       r"(?P<reverse>_reverse)?$")
KERAS_NAMES = ("kernel", "recurrent_kernel", "bias")


# ---------------------------------------------------------------- reading

def load_model(path: str | os.PathLike[str], cell: str | None = None,
               nonlinearity: str | None = None) -> Model:
    """Read a model from .safetensors, .npz or .pt (PyTorch or Keras names, see module doc).

    cell, nonlinearity: what the caller expects (for example from --cell); an error if the file
    says otherwise. Every shape is checked and every value must be finite.
    """
    tensors, meta = load_weights(path)
    return model_from_tensors(tensors, meta, str(path), cell, nonlinearity)


def load_weights(path: str | os.PathLike[str]) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """The raw arrays and string metadata of a weights file, without interpreting them."""
    p = existing_file(path, "weights")
    suffix = p.suffix.lower()
    if suffix == ".safetensors":
        return _read_safetensors(p)
    if suffix == ".npz":
        return _read_npz(p)
    if suffix == ".pt" or suffix == ".pth":
        return _read_torch(p)
    if suffix in (".h5", ".keras"):
        raise RnnError(f"{p.name}: Keras files are not read directly; save the arrays as .npz: "
                       f"np.savez('w.npz', **{{w.path: w.numpy() for w in model.weights}})")
    raise RnnError(f"unknown weights format {suffix or p.name!r}: use .safetensors, .npz or .pt")


def _read_safetensors(p: Path) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    from safetensors import safe_open

    try:
        with safe_open(str(p), framework="numpy") as fh:
            meta = dict(fh.metadata() or {})
            tensors = {k: fh.get_tensor(k) for k in fh.keys()}  # noqa: SIM118 (not a dict)
    except Exception as err:  # safetensors raises its own error types, and TypeError for bf16
        raise RnnError(f"{p} is not a readable safetensors file ({_first_line(err)})") from None
    return tensors, meta


def _read_npz(p: Path) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    try:
        npz = np.load(p, allow_pickle=False)
        if not isinstance(npz, np.lib.npyio.NpzFile):
            raise RnnError(f"{p} is a single array, not an .npz archive of named weights")
        with npz:
            arrays = {k: npz[k] for k in npz.files}
    except RnnError:
        raise
    except ValueError as err:
        if "allow_pickle" in str(err):
            raise RnnError(f"{p} holds Python objects, which rnn3d never unpickles: save "
                           f"numeric arrays only") from None
        raise RnnError(f"{p} is not a readable .npz file ({_first_line(err)})") from None
    except Exception as err:  # OSError, EOFError, zipfile.BadZipFile, ...
        raise RnnError(f"{p} is not a readable .npz file ({_first_line(err)})") from None
    meta: dict[str, str] = {}
    if META_KEY in arrays:
        raw = arrays.pop(META_KEY)
        try:
            meta = json.loads(str(raw[()]))
            assert isinstance(meta, dict)
        except (ValueError, AssertionError, IndexError):
            raise RnnError(f"{p}: {META_KEY} is not a JSON object of metadata") from None
        meta = {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in meta.items()}
    return arrays, meta


def _read_torch(p: Path) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    try:
        import torch
    except ImportError:
        raise RnnError(f"reading {p.name} needs PyTorch: pip install 'rnn3d[torch]', or convert "
                       f"the state dict to .safetensors") from None
    try:
        obj = torch.load(p, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError:  # a whole pickled model, or other arbitrary objects
        raise RnnError(f"{p} holds pickled Python objects, which rnn3d never loads: save "
                       f"model.state_dict() instead of the whole model") from None
    except Exception as err:  # RuntimeError and others for files that are not torch files
        raise RnnError(f"{p} is not a readable PyTorch file ({_first_line(err)})") from None
    if not isinstance(obj, dict):
        raise RnnError(f"{p} holds a {type(obj).__name__}, not a state dict: save "
                       f"model.state_dict()")
    meta = {str(k): v for k, v in obj.items() if isinstance(v, str)}  # e.g. "cell": "lstm"
    for key in ("state_dict", "model_state_dict"):  # a training checkpoint
        if isinstance(obj.get(key), dict):
            obj = obj[key]
            break
    tensors = {str(k): v.detach().to(torch.float64).numpy() for k, v in obj.items()
               if isinstance(v, torch.Tensor)}
    return tensors, meta


def _first_line(err: BaseException) -> str:
    text = str(err).strip() or type(err).__name__
    return text.splitlines()[0]


# ---------------------------------------------------------------- interpreting

def model_from_tensors(tensors: dict[str, np.ndarray], meta: dict[str, str], source: str,
                       cell: str | None = None, nonlinearity: str | None = None) -> Model:
    """Turn named arrays (PyTorch or Keras) and metadata into a checked Model."""
    if not tensors:
        raise RnnError(f"{source} holds no arrays")
    if any(_keras_name(k) == "recurrent_kernel" for k in tensors):
        params, origin = _from_keras(tensors, source)
    else:
        params, origin = _from_torch(tensors, source)
    found_cell = _infer_cell(params, origin, source)
    said = meta.get("cell")
    if said is not None and said != found_cell:
        raise RnnError(f"{source} holds {found_cell.upper()} weights but its metadata says "
                       f"{said.upper()}: fix the file's 'cell' metadata")
    if cell is not None and cell != found_cell:
        raise RnnError(f"{source} holds {found_cell.upper()} weights but {cell.upper()} was "
                       f"asked for: use --cell {found_cell} or {cell.upper()} weights")
    nl = _agree(meta.get("nonlinearity"), nonlinearity, "nonlinearity", source) or "tanh"
    vocab = _vocab(meta.get("vocab"), source)
    output = meta.get("output") or ("softmax" if vocab else "linear")
    _check(params, origin, found_cell, source)
    try:
        model = Model(found_cell, params, nl, output, vocab)
    except RnnError as err:  # an unknown nonlinearity or output in the metadata
        raise RnnError(f"{source}: {err}") from None
    if vocab and len(vocab) != model.input_size:
        raise RnnError(f"{source}: the vocabulary has {len(vocab)} symbols but the model reads "
                       f"{model.input_size} inputs")
    return model


def _agree(from_file: str | None, from_caller: str | None, what: str, source: str) -> str | None:
    if from_file and from_caller and from_file != from_caller:
        raise RnnError(f"{source} was saved with {what} {from_file} but {from_caller} was asked "
                       f"for: drop the option or use other weights")
    return from_caller or from_file


def _vocab(raw: str | None, source: str) -> list[str]:
    if not raw:
        return []
    try:
        vocab = json.loads(raw)
    except ValueError:
        vocab = None
    if not isinstance(vocab, list) or not all(isinstance(s, str) for s in vocab):
        raise RnnError(f"{source}: metadata 'vocab' is not a JSON list of strings")
    return vocab


def _from_torch(tensors: dict[str, np.ndarray],
                source: str) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """PyTorch names -> (params, origin) where origin maps each param to its key in the file."""
    params: dict[str, np.ndarray] = {}
    origin: dict[str, str] = {}
    prefixes = set()
    for key in tensors:
        m = TORCH_KEY.match(key)
        if not m:
            continue
        if m["reverse"]:
            raise RnnError(f"{source}: {key} belongs to a bidirectional layer, which is not "
                           f"supported: use a unidirectional RNN or LSTM")
        if m["part"] == "hr":
            raise RnnError(f"{source}: {key} is an LSTM projection (proj_size), which is not "
                           f"supported: use an LSTM without proj_size")
        prefixes.add(m["prefix"])
        name = f"{m['kind']}_{m['part']}_l{m['layer']}"
        params[name], origin[name] = tensors[key], key
    if not params:
        raise RnnError(f"{source} has no recurrent weights: expected PyTorch names "
                       f"(weight_ih_l0, ...) or Keras names (kernel, recurrent_kernel, bias); "
                       f"found {_some(tensors)}")
    if len(prefixes) > 1:
        raise RnnError(f"{source} holds several recurrent modules ({', '.join(sorted(prefixes))}): "
                       f"rnn3d reads one RNN or LSTM")
    rest = {k: v for k, v in tensors.items() if k not in origin.values()}
    head = _torch_head(rest, source)
    for name, key in zip((HEAD_WEIGHT, HEAD_BIAS), head, strict=False):
        params[name], origin[name] = rest.pop(key), key
    if rest:
        raise RnnError(f"{source}: unexpected key {next(iter(rest))!r}; rnn3d reads one RNN or "
                       f"LSTM and an optional linear head (fc.weight, fc.bias)")
    return params, origin


def _torch_head(rest: dict[str, np.ndarray], source: str) -> tuple[str, ...]:
    """The keys of the head: fc.weight/fc.bias, else the one <name>.weight (2-D) + <name>.bias."""
    if HEAD_WEIGHT in rest:
        return (HEAD_WEIGHT, HEAD_BIAS) if HEAD_BIAS in rest else (HEAD_WEIGHT,)
    pairs = [k[:-len(".weight")] for k, v in rest.items()
             if k.endswith(".weight") and np.ndim(v) == 2 and f"{k[:-len('.weight')]}.bias" in rest]
    if len(pairs) > 1:
        raise RnnError(f"{source} has several candidate output heads ({', '.join(pairs)}): "
                       f"rnn3d reads one linear head; name it fc")
    return (f"{pairs[0]}.weight", f"{pairs[0]}.bias") if pairs else ()


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


def _from_keras(tensors: dict[str, np.ndarray],
                source: str) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    groups: dict[str, dict[str, str]] = {}
    for key in tensors:
        name = _keras_name(key)
        if name not in KERAS_NAMES:
            raise RnnError(f"{source}: unexpected key {key!r}; a Keras file should hold kernel, "
                           f"recurrent_kernel and bias of RNN/LSTM layers and one Dense head")
        group = groups.setdefault(_keras_group(key), {})
        if name in group:
            raise RnnError(f"{source}: {key} and {group[name]} both name the {name} of layer "
                           f"{_keras_group(key)!r}")
        group[name] = key
    recurrent = sorted((g for g in groups if "recurrent_kernel" in groups[g]), key=_natural)
    dense = [g for g in groups if g not in recurrent]
    if len(dense) > 1:
        raise RnnError(f"{source} has several Dense layers ({', '.join(dense)}): rnn3d reads "
                       f"one linear head")
    params: dict[str, np.ndarray] = {}
    origin: dict[str, str] = {}
    for n, g in enumerate(recurrent):
        keys = groups[g]
        if "kernel" not in keys:
            raise RnnError(f"{source}: layer {g!r} has a recurrent_kernel but no kernel")
        rk = tensors[keys["recurrent_kernel"]]
        for name, key, value in (
                (f"weight_ih_l{n}", keys["kernel"], _transpose(tensors[keys["kernel"]])),
                (f"weight_hh_l{n}", keys["recurrent_kernel"], _transpose(rk))):
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
        raise RnnError(f"{source}: {key} has shape {w.shape} but a recurrent weight needs "
                       f"shape (G*H, H)")
    rows, H = w.shape
    if rows == 4 * H:
        return "lstm"
    if rows == H:
        return "rnn"
    kind = ", a GRU's, which is not supported" if rows == 3 * H else ""
    raise RnnError(f"{source}: {key} has shape {w.shape}{kind}; rnn3d reads an RNN ({H}, {H}) "
                   f"or an LSTM ({4 * H}, {H})")


def _check(params: dict[str, np.ndarray], origin: dict[str, str], cell: str,
           source: str) -> None:
    """Every expected key present with its shape, nothing extra, numbers finite -> float64."""
    H = params["weight_hh_l0"].shape[1]
    w_ih = params.get("weight_ih_l0")
    if w_ih is None or w_ih.ndim != 2:
        what = "missing" if w_ih is None else f"of shape {w_ih.shape}"
        raise RnnError(f"{source}: weight_ih_l0 is {what} but a {cell.upper()} needs a "
                       f"2-D input weight")
    layers = 1 + max(int(k.rsplit("_l", 1)[1]) for k in params
                     if k.startswith(("weight_", "bias_")))
    head = params.get(HEAD_WEIGHT)
    out = head.shape[0] if head is not None and head.ndim == 2 else None
    want = expected_shapes(cell, w_ih.shape[1], H, layers, out)
    if head is not None and out is None:
        want[HEAD_WEIGHT] = (-1, H)  # a 1-D head weight: report it against (O, H)
    for name, shape in want.items():
        if name not in params:
            raise RnnError(f"{source}: missing {name} (expected shape {shape}) for a "
                           f"{layers}-layer {cell.upper()} with hidden size {H}")
        found = params[name].shape
        if found != shape:
            expect = f"(O, {H})" if shape[0] == -1 else str(shape)
            raise RnnError(f"{source}: {origin[name]} has shape {found} but a {cell.upper()} "
                           f"with input size {w_ih.shape[1]} and hidden size {H} needs {expect}")
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


# ---------------------------------------------------------------- writing

def save_model(model: Model, path: str | os.PathLike[str],
               metadata: dict[str, str] | None = None) -> Path:
    """Write the model to .safetensors or .npz (atomically) with its cell, nonlinearity, output
    and vocab as metadata, plus any extra string metadata. Returns the path written."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in (".safetensors", ".npz"):
        raise RnnError(f"cannot write weights as {suffix or p.name!r}: use .safetensors or .npz")
    meta = {"cell": model.cell, "nonlinearity": model.nonlinearity, "output": model.output,
            "vocab": json.dumps(list(model.vocab), ensure_ascii=False)}
    for k, v in (metadata or {}).items():
        if k in meta or k == META_KEY or not isinstance(v, str):
            raise RnnError(f"metadata {k!r} must be a string and not one of {', '.join(meta)}")
        meta[k] = v
    arrays = {k: np.ascontiguousarray(v, dtype=np.float64) for k, v in model.params.items()}
    with atomic_path(p) as tmp:
        if suffix == ".safetensors":
            from safetensors.numpy import save_file

            save_file(arrays, str(tmp), metadata=meta)
        else:
            arrays[META_KEY] = np.array(json.dumps(meta, ensure_ascii=False))
            with open(tmp, "wb") as fh:  # a file object: np.savez would append .npz to a name
                np.savez(fh, **arrays)  # type: ignore[arg-type]
    return p
