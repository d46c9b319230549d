"""Trace files: extra arrays in every format, batched traces, and nothing written on error."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from rnncore import RnnError, forward, init_model, trace_arrays, write_trace


def lstm_trace(batch: int | None = None):  # type: ignore[no-untyped-def]
    shape = (5, 3) if batch is None else (5, batch, 3)
    x = np.random.default_rng(0).normal(size=shape)
    return forward(init_model("lstm", 3, 2, 2, 3, seed=0), x)


def test_extra_arrays_in_every_format(tmp_path: Path) -> None:
    trace = lstm_trace()
    extra = {"sensitivity_h": np.linspace(0.1, 1.0, 5), "sensitivity_c": np.arange(5.0)}
    for suffix in (".npz", ".json", ".csv"):
        write_trace(trace, tmp_path / f"t{suffix}", extra=extra)
    with np.load(tmp_path / "t.npz", allow_pickle=False) as data:
        np.testing.assert_array_equal(data["sensitivity_h"], extra["sensitivity_h"])
    doc = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    assert doc["sensitivity_c"] == [0.0, 1.0, 2.0, 3.0, 4.0]
    with open(tmp_path / "t.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [float(r["sensitivity_h"]) for r in rows] == extra["sensitivity_h"].tolist()
    assert "input" not in rows[0]  # no vocabulary: no symbol column


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"h": np.zeros(5)}, "'h' is taken"),
        ({"vocab": np.zeros(5)}, "'vocab' is taken"),
        ({"features": np.zeros(5)}, "'features' is taken"),
        ({"bad name": np.zeros(5)}, "not a plain name"),
        ({"s": np.zeros(4)}, "must be numbers with 5 steps first"),
        ({"s": np.array(3.0)}, "must be numbers with 5 steps first"),
        ({"s": np.array(list("abcde"))}, "must be numbers"),
    ],
)
def test_bad_extra_arrays_write_nothing(
    tmp_path: Path, extra: dict[str, np.ndarray], message: str
) -> None:
    with pytest.raises(RnnError, match=message):
        write_trace(lstm_trace(), tmp_path / "t.npz", extra=extra)
    assert not any(tmp_path.iterdir())


def test_batched_trace(tmp_path: Path) -> None:
    trace = lstm_trace(batch=4)
    write_trace(trace, tmp_path / "t.npz")
    with np.load(tmp_path / "t.npz", allow_pickle=False) as data:
        assert data["h"].shape == (5, 4, 2) and data["layer1_c0"].shape == (4, 2)
    with pytest.raises(RnnError, match="CSV file holds one sequence"):
        write_trace(trace, tmp_path / "t.csv")
    assert not (tmp_path / "t.csv").exists()


def test_rnn_has_no_lstm_keys_and_no_head_keys() -> None:
    trace = forward(init_model("rnn", 2, 3, seed=0), np.ones((4, 2)))
    keys = set(trace_arrays(trace))
    assert {"x", "pre", "h", "layer0_h", "layer0_h0"} <= keys
    assert not keys & {"c", "i", "f", "g", "o", "y", "logits", "layer0_c"}


def test_overwrite_keeps_the_old_file_on_error(tmp_path: Path) -> None:
    path = tmp_path / "t.json"
    write_trace(lstm_trace(), path)
    before = path.read_bytes()
    with pytest.raises(RnnError):
        write_trace(lstm_trace(), path, extra={"s": np.zeros(2)})
    assert path.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["t.json"]


def test_json_refuses_infinite_values(tmp_path: Path) -> None:
    model = init_model("rnn", 1, 1, seed=0, nonlinearity="relu")
    model.params.update(
        weight_ih_l0=np.ones((1, 1)),
        weight_hh_l0=np.full((1, 1), 1e300),
        bias_ih_l0=np.zeros(1),
        bias_hh_l0=np.zeros(1),
    )
    with np.errstate(over="ignore"):  # the overflow is the point here
        trace = forward(model, np.ones((3, 1)))  # h: 1, 1e300, inf
    assert np.isinf(trace.h[-1, 0])
    with pytest.raises(RnnError, match="JSON cannot hold"):
        write_trace(trace, tmp_path / "t.json")
    assert not any(tmp_path.iterdir())
    write_trace(trace, tmp_path / "t.npz")
