"""Writing a Trace to .npz, .json or .csv (atomically), for notebooks and spreadsheets.

The arrays (`trace_arrays`), time first, for the last layer at the top level:

- ``x`` (T, I) the data, ``pre`` (T, G*H) pre-activations, ``h`` (T, H) hidden states;
- LSTM: ``c`` (T, H) cell states and the gates ``i``, ``f``, ``g``, ``o`` (T, H);
- with a head: ``logits`` (T, O) and ``y`` (T, O) (softmax of the logits for characters);
- every layer l, bottom first: ``layer{l}_x``, ``layer{l}_pre``, ``layer{l}_h``, ``layer{l}_h0``
  (initial state) and for the LSTM ``layer{l}_c``, ``layer{l}_c0``, ``layer{l}_i`` .. ``_o``;
- `extra` arrays given by the caller (for example ``sensitivity_h`` (T,)), first axis T.

The .npz also has ``cell`` (a 0-d string), for text ``vocab`` (a unicode array, one symbol per
input unit) and, for a CSV with a header, ``features`` (a unicode array, one name per input
feature, "" for a blank one; fixed-width strings, read with allow_pickle=False). The .json is
one object: ``cell``, ``vocab``, ``features`` and every array as nested lists.
The .csv has one row per step: ``step``, ``input`` (the symbol, for text), then one column per
number, ``x_0``.., ``h_0``.., ``c_0``.., ``y_0``.., extras; lower layers as ``layer0_h_0``..;
the top layer's ``layer{L-1}_*`` columns and the initial states are left out (they repeat
``h``.. or are not per step). A batched trace can be written as .npz or .json, not .csv.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import numpy as np

from .errors import RnnError, plural
from .files import atomic_path, output_file
from .trace import Trace

FORMATS = (".npz", ".json", ".csv")
STATE_NAMES = ("x", "pre", "h", "c", "i", "f", "g", "o")


def check_format(path: str | os.PathLike[str]) -> str:
    """The file's suffix if it is a trace format, else an RnnError (checked before any work)."""
    suffix = output_file(path).suffix.lower()  # a directory is said before its lack of suffix
    if suffix not in FORMATS:
        raise RnnError(
            f"unknown trace format {suffix or Path(path).name!r}: name the output "
            f"file .npz, .json or .csv"
        )
    return suffix


def trace_arrays(trace: Trace, extra: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """Every array of the trace under its file name (see module doc), plus the extras."""
    arrays: dict[str, np.ndarray] = {}
    top = trace.top
    for name in STATE_NAMES:
        value = trace.x if name == "x" else getattr(top, name)
        if value is not None:
            arrays[name] = value
    if trace.logits is not None and trace.y is not None:
        arrays["logits"], arrays["y"] = trace.logits, trace.y
    for l_index, layer in enumerate(trace.layers):
        for name in (*STATE_NAMES, "h0", "c0"):
            value = getattr(layer, name)
            if value is not None:
                arrays[f"layer{l_index}_{name}"] = value
    for name, value in (extra or {}).items():
        value = np.asarray(value)
        if (
            name in arrays
            or name in ("cell", "vocab", "features", "step", "input")
            or not name.isidentifier()
        ):
            raise RnnError(f"extra array name {name!r} is taken or not a plain name")
        if value.dtype.kind not in "biuf" or value.ndim == 0 or value.shape[0] != trace.steps:
            raise RnnError(
                f"extra array {name!r} must be numbers with {plural(trace.steps, 'step')} first, "
                f"got {value.dtype} of shape {value.shape}"
            )
        arrays[name] = value
    return arrays


def write_trace(
    trace: Trace, path: str | os.PathLike[str], extra: dict[str, np.ndarray] | None = None
) -> Path:
    """Write the trace (and extra per-step arrays) as .npz, .json or .csv; returns the path."""
    suffix = check_format(path)
    arrays = trace_arrays(trace, extra)
    if suffix == ".csv" and trace.batched:
        raise RnnError("a CSV file holds one sequence: write a batched trace as .npz or .json")
    with atomic_path(path) as tmp:
        if suffix == ".npz":
            _write_npz(trace, arrays, tmp)
        elif suffix == ".json":
            _write_json(trace, arrays, tmp)
        else:
            _write_csv(trace, arrays, tmp)
    return Path(path)


def _write_npz(trace: Trace, arrays: dict[str, np.ndarray], tmp: Path) -> None:
    labels: dict[str, np.ndarray] = {"cell": np.array(trace.cell)}
    if trace.vocab:
        labels["vocab"] = np.array(trace.vocab, dtype=str)
    if trace.features:
        labels["features"] = np.array(trace.features, dtype=str)
    with open(tmp, "wb") as fh:  # a file object, because np.savez appends .npz to names
        np.savez(fh, **arrays, **labels)  # type: ignore[arg-type]


def _write_json(trace: Trace, arrays: dict[str, np.ndarray], tmp: Path) -> None:
    doc: dict[str, object] = {
        "cell": trace.cell,
        "vocab": list(trace.vocab),
        "features": list(trace.features),
    }
    doc.update({name: value.tolist() for name, value in arrays.items()})
    if not all(np.all(np.isfinite(value)) for value in arrays.values()):
        raise RnnError(
            "the trace has infinite values (a relu RNN whose states grew without "
            "bound), which JSON cannot hold: write it as .npz or .csv"
        )
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False)  # floats are written exactly (shortest repr)


def _write_csv(trace: Trace, arrays: dict[str, np.ndarray], tmp: Path) -> None:
    top = f"layer{len(trace.layers) - 1}_"
    initial = tuple(f"layer{n}_{s}" for n in range(len(trace.layers)) for s in ("h0", "c0"))
    columns = {
        name: value.reshape(trace.steps, -1)
        for name, value in arrays.items()
        if not name.startswith(top) and name not in initial
    }
    symbols = trace.vocab if len(trace.vocab) == trace.x.shape[-1] else []
    header = ["step"] + (["input"] if symbols else [])
    for name, value in columns.items():
        header += (
            [name]
            if value.shape[1] == 1 and arrays[name].ndim == 1
            else [f"{name}_{k}" for k in range(value.shape[1])]
        )
    with open(tmp, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(header)
        for t in range(trace.steps):
            symbol = [symbols[int(np.argmax(trace.x[t]))]] if symbols else []
            out.writerow(
                [t, *symbol, *(repr(float(v)) for value in columns.values() for v in value[t])]
            )
