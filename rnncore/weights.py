"""Reading and writing a Model's weights: .safetensors, .npz, .pt (read only, needs torch), and
Keras' .weights.h5 and .keras (read only, see keras_files.py).

Files are never unpickled: safetensors, `np.load(allow_pickle=False)`, for .pt
`torch.load(weights_only=True)`, and Keras files through h5py (their config.json is read as
data). Which names are accepted, and how they become a Model: weight_names.py.

Metadata: in .safetensors it is the file's string metadata; in .npz one JSON object stored as
a 0-d unicode array under the key ``__meta__``; in a .pt checkpoint dict the string entries,
and the vocabulary from ``vocab``, ``itos`` (a list) or ``stoi`` (a dict symbol -> index).
Any other string metadata given to `save_model` is stored alongside.
"""

from __future__ import annotations

import json
import os
import pickle  # only for its exception type: nothing is ever unpickled
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .data import json_value
from .errors import RnnError, first_line
from .files import atomic_path, existing_file
from .model import Model
from .weight_names import model_from_tensors

META_KEY = "__meta__"  # the .npz key holding the metadata as JSON
VOCAB_KEYS = ("vocab", "itos", "stoi")  # a .pt checkpoint's vocabulary, as tokenizers name it

__all__ = ["load_model", "load_weights", "model_from_tensors", "save_model", "save_state_dict"]


# ---------------------------------------------------------------- reading


def load_model(
    path: str | os.PathLike[str], cell: str | None = None, nonlinearity: str | None = None
) -> Model:
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
        from .keras_files import read_keras

        return read_keras(p)
    raise RnnError(
        f"unknown weights format {suffix or p.name!r}: use .safetensors, .npz, "
        f".pt (or .pth), .weights.h5 or .keras"
    )


def _read_safetensors(p: Path) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    from safetensors import safe_open

    try:
        with safe_open(str(p), framework="numpy") as fh:
            meta = dict(fh.metadata() or {})
            tensors = {k: fh.get_tensor(k) for k in fh.keys()}  # noqa: SIM118 (not a dict)
    except Exception as err:  # safetensors raises its own error types, and TypeError for bf16
        dtypes = _dtypes_numpy_lacks(p)
        if dtypes:
            raise RnnError(
                f"{p} holds {', '.join(dtypes)} tensors, which numpy cannot read: save them as "
                f"float32 first (in PyTorch: model.float() before saving)"
            ) from None
        raise RnnError(f"{p} is not a readable safetensors file ({first_line(err)})") from None
    return tensors, meta


NUMPY_LACKS = ("BF16", "F8_E4M3", "F8_E5M2")  # safetensors' dtypes with no numpy type


def _dtypes_numpy_lacks(p: Path) -> list[str]:
    """The dtypes of a safetensors file's header that numpy has no type for (bfloat16 is
    common in PyTorch checkpoints), or none if the header cannot be read."""
    try:
        with open(p, "rb") as fh:
            size = int.from_bytes(fh.read(8), "little")
            # safetensors' own limit: a damaged size reads no more than it would
            header = json_value(fh.read(min(size, 100_000_000)))
        dtypes = {entry.get("dtype") for entry in header.values() if isinstance(entry, dict)}
    except (OSError, ValueError, AttributeError):
        return []
    return [dtype for dtype in NUMPY_LACKS if dtype in dtypes]


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
            raise RnnError(
                f"{p} holds Python objects, which rnn3d never unpickles: save numeric arrays only"
            ) from None
        raise RnnError(f"{p} is not a readable .npz file ({first_line(err)})") from None
    except Exception as err:  # OSError, EOFError, zipfile.BadZipFile, ...
        raise RnnError(f"{p} is not a readable .npz file ({first_line(err)})") from None
    meta: dict[str, str] = {}
    if META_KEY in arrays:
        raw = arrays.pop(META_KEY)
        try:
            meta = json_value(str(raw[()]))
            assert isinstance(meta, dict)
        except (ValueError, AssertionError, IndexError):
            raise RnnError(f"{p}: {META_KEY} is not a JSON object of metadata") from None
        meta = {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in meta.items()}
    return arrays, meta


def _read_torch(p: Path) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    try:
        import torch
    except ImportError:
        raise RnnError(
            f"reading {p.name} needs PyTorch: run make torch (pip install "
            f"'rnn3d[torch]'), or convert the state dict to .safetensors"
        ) from None
    try:
        obj = torch.load(p, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError:  # a whole pickled model, or other arbitrary objects
        raise RnnError(
            f"{p} holds pickled Python objects, which rnn3d never loads: save "
            f"model.state_dict() instead of the whole model"
        ) from None
    except Exception as err:  # RuntimeError and others for files that are not torch files
        raise RnnError(f"{p} is not a readable PyTorch file ({first_line(err)})") from None
    if not isinstance(obj, dict):
        raise RnnError(
            f"{p} holds a {type(obj).__name__}, not a state dict: save model.state_dict()"
        )
    meta = {str(k): v for k, v in obj.items() if isinstance(v, str)}  # e.g. "cell": "lstm"
    meta.update(_checkpoint_vocab(obj, p))
    for key in ("state_dict", "model_state_dict"):  # a training checkpoint
        if isinstance(obj.get(key), dict):
            obj = obj[key]
            break
    tensors = {
        str(k): v.detach().to(torch.float64).numpy()
        for k, v in obj.items()
        if isinstance(v, torch.Tensor)
    }
    return tensors, meta


def _checkpoint_vocab(obj: Mapping[object, object], p: Path) -> dict[str, str]:
    """A checkpoint's vocabulary as metadata: vocab or itos (a list, a JSON list, or a string
    of characters), or stoi (a dict symbol -> index)."""
    for key in VOCAB_KEYS:
        value = obj.get(key)
        if value is None:
            continue
        if isinstance(value, str):  # a JSON list as rnn3d writes it, or the characters
            try:
                value = json_value(value) if value.startswith("[") else list(value)
            except ValueError:
                value = None
        if isinstance(value, Mapping):
            value = _by_index(value, f"{p.name}: {key!r}")
        if not isinstance(value, list | tuple) or not all(isinstance(s, str) for s in value):
            raise RnnError(
                f"{p.name}: {key!r} is not a list of symbols: save the vocabulary as a "
                f"list of strings in index order"
            )
        return {"vocab": json.dumps(list(value), ensure_ascii=False)}
    return {}


def _by_index(stoi: Mapping[object, object], what: str) -> list[str]:
    """{symbol: index} -> the symbols in index order; the indices must be 0..V-1."""
    pairs = sorted((i, s) for s, i in stoi.items() if isinstance(s, str) and isinstance(i, int))
    if len(pairs) != len(stoi) or [i for i, _ in pairs] != list(range(len(pairs))):
        raise RnnError(f"{what} must map each symbol to its index 0..{len(stoi) - 1}, once each")
    return [s for _, s in pairs]


# ---------------------------------------------------------------- writing


def save_model(
    model: Model, path: str | os.PathLike[str], metadata: dict[str, str] | None = None
) -> Path:
    """Write the model to .safetensors or .npz (atomically) with its cell, nonlinearity, output
    and vocab as metadata, plus any extra string metadata. Returns the path written."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in (".safetensors", ".npz"):
        raise RnnError(f"cannot write weights as {suffix or p.name!r}: use .safetensors or .npz")
    meta = {
        "cell": model.cell,
        "nonlinearity": model.nonlinearity,
        "output": model.output,
        "vocab": json.dumps(list(model.vocab), ensure_ascii=False),
    }
    for k, v in (metadata or {}).items():
        if k in meta or k == META_KEY or not isinstance(v, str):
            raise RnnError(f"metadata {k!r} must be a string and not one of {', '.join(meta)}")
        meta[k] = v
    arrays = {k: np.ascontiguousarray(v, dtype=np.float64) for k, v in model.params.items()}
    with atomic_path(p) as tmp:
        if suffix == ".safetensors":
            _write_safetensors(tmp, arrays, meta)
        else:
            arrays[META_KEY] = np.array(json.dumps(meta, ensure_ascii=False))
            with open(tmp, "wb") as fh:  # a file object: np.savez would append .npz to a name
                np.savez(fh, **arrays)  # type: ignore[arg-type]
    return p


def save_state_dict(
    state_dict: Mapping[str, Any],
    path: str | os.PathLike[str],
    vocab: Sequence[str] | str | None = None,
    **metadata: str,
) -> Path:
    """Write a PyTorch state dict as .safetensors with the metadata rnn3d reads, so that nobody
    writes JSON by hand::

        from rnncore.weights import save_state_dict
        save_state_dict(model.state_dict(), "char_rnn.safetensors", vocab=chars)

    vocab: the characters in the model's index order (a list, or a string of characters);
    metadata: optional cell, nonlinearity ("relu" for nn.RNN(nonlinearity="relu")), output.
    Tensors are converted with .detach().cpu().numpy(), keeping their dtype (torch itself is
    not imported here). The dict is checked as rnn3d will read it before anything is written,
    so a file it cannot read is never made."""
    p = Path(path)
    if p.suffix.lower() != ".safetensors":
        raise RnnError(f"cannot write a state dict as {p.suffix or p.name!r}: use .safetensors")
    arrays = {str(k): np.ascontiguousarray(_numpy(v)) for k, v in state_dict.items()}
    meta = {str(k): str(v) for k, v in metadata.items()}
    if vocab is not None:
        from .data import check_vocab

        meta["vocab"] = json.dumps(check_vocab(list(vocab), "vocab"), ensure_ascii=False)
    model_from_tensors(dict(arrays), meta, str(p))  # raises RnnError for what rnn3d cannot read
    with atomic_path(p) as tmp:
        _write_safetensors(tmp, arrays, meta)
    return p


def _numpy(value: Any) -> np.ndarray:
    if hasattr(value, "detach"):  # a torch.Tensor
        value = value.detach().cpu().numpy()
    return np.asarray(value)


SAFETENSORS_DTYPES = {
    "f8": "F64",
    "f4": "F32",
    "f2": "F16",
    "i8": "I64",
    "i4": "I32",
    "i2": "I16",
    "i1": "I8",
    "u8": "U64",
    "u4": "U32",
    "u2": "U16",
    "u1": "U8",
    "b1": "BOOL",
}


def _write_safetensors(path: Path, arrays: dict[str, np.ndarray], meta: dict[str, str]) -> None:
    """The safetensors format (an 8-byte little-endian header length, a JSON header, the raw
    little-endian data), written here with sorted keys so the same model gives the same bytes:
    the safetensors package writes the metadata in a different order on every run."""
    header: dict[str, object] = {"__metadata__": dict(sorted(meta.items()))}
    offset, chunks = 0, []
    for name in sorted(arrays):
        array = arrays[name]
        kind = SAFETENSORS_DTYPES.get(array.dtype.str[1:])
        if kind is None:
            raise RnnError(f"{name} holds {array.dtype} values, which safetensors cannot store")
        data = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<")).tobytes()
        header[name] = {
            "dtype": kind,
            "shape": list(array.shape),
            "data_offsets": [offset, offset + len(data)],
        }
        offset += len(data)
        chunks.append(data)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode()
    text += b" " * (-len(text) % 8)  # the data starts 8-byte aligned, as safetensors does it
    with open(path, "wb") as fh:
        fh.write(len(text).to_bytes(8, "little"))
        fh.write(text)
        fh.writelines(chunks)
