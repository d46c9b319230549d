"""rnn3d trace: good runs write the documented keys (bad input: tests/test_trace_bad_input.py)."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import save_file

from rnncore import forward, init_model, save_model, text_data
from scenes.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
LSTM_KEYS = {"x", "pre", "h", "c", "i", "f", "g", "o"}


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    """Exit status, stdout, stderr of `rnn3d trace ARGV`."""
    code = main(["trace", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def ok(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    return out


# ---------------------------------------------------------------- good runs


def test_default_lstm_npz(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = ok(capsys, "--cell", "lstm", "--out", tmp_path / "t.npz")
    assert str(tmp_path / "t.npz") in out
    with np.load(tmp_path / "t.npz", allow_pickle=False) as data:
        assert LSTM_KEYS | {
            "y",
            "logits",
            "vocab",
            "cell",
            "layer0_h",
            "layer0_c",
            "layer0_h0",
            "sensitivity_h",
            "sensitivity_c",
        } <= set(data.files)
        assert data["vocab"].tolist() == ["h", "e", "l", "o"] and str(data["cell"]) == "lstm"
        d = text_data("hello")
        expected = forward(init_model("lstm", 4, 8, 1, 4, seed=0, vocab=d.vocab), d.x)
        for key in LSTM_KEYS:
            assert data[key].shape[0] == 4
            np.testing.assert_array_equal(data[key], getattr(expected.top, key))
        np.testing.assert_array_equal(data["y"], expected.y)
        np.testing.assert_allclose(data["y"].sum(axis=1), 1.0)  # softmax over the characters
        assert data["sensitivity_h"].shape == (4,)


def test_stacked_rnn_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ok(
        capsys,
        "--cell",
        "rnn",
        "--text",
        "abcabd",
        "--layers",
        "2",
        "--hidden",
        "3",
        "--seed",
        "5",
        "--nonlinearity",
        "relu",
        "--out",
        tmp_path / "t.json",
    )
    doc = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    assert doc["cell"] == "rnn" and doc["vocab"] == ["a", "b", "c", "d"]
    assert "c" not in doc and "layer1_c" not in doc
    d = text_data("abcabd")
    model = init_model("rnn", 4, 3, 2, 4, seed=5, nonlinearity="relu", vocab=d.vocab)
    expected = forward(model, d.x)
    assert np.array(doc["layer0_h"]).tolist() == expected.layers[0].h.tolist()  # exact floats
    assert np.array(doc["h"]).tolist() == expected.h.tolist()
    assert min(min(row) for row in doc["layer0_h"]) >= 0.0  # relu


def test_csv_one_row_per_step(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ok(capsys, "--cell", "lstm", "--layers", "2", "--hidden", "2", "--out", tmp_path / "t.csv")
    with open(tmp_path / "t.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    assert len(body) == 4 and [r[1] for r in body] == ["h", "e", "l", "l"]
    for name in (
        "step",
        "input",
        "x_0",
        "h_0",
        "h_1",
        "c_1",
        "i_0",
        "o_1",
        "y_3",
        "layer0_h_1",
        "layer0_c_0",
        "sensitivity_h",
        "sensitivity_c",
    ):
        assert name in header
    assert not any(n.startswith("layer1_") or "h0" in n for n in header)  # top layer = h, c..
    ok(capsys, "--cell", "lstm", "--layers", "2", "--hidden", "2", "--out", tmp_path / "t.npz")
    with np.load(tmp_path / "t.npz", allow_pickle=False) as data:
        h = np.array([[float(r[header.index(f"h_{k}")]) for k in range(2)] for r in body])
        np.testing.assert_array_equal(h, data["h"])  # repr() writes floats exactly


def test_numeric_data_gets_a_linear_head(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "d.csv").write_text("a,b\n1,2\n3,4\n5,-6\n", encoding="utf-8")
    ok(capsys, "--cell", "rnn", "--data", tmp_path / "d.csv", "--out", tmp_path / "t.npz")
    with np.load(tmp_path / "t.npz", allow_pickle=False) as data:
        assert "vocab" not in data.files and data["x"].tolist() == [[1, 2], [3, 4], [5, -6]]
        np.testing.assert_array_equal(data["y"], data["logits"])  # linear: scores as they are
        assert data["y"].shape == (3, 2)
        assert data["features"].tolist() == ["a", "b"]  # the header's names


def test_a_csv_header_is_written_as_the_features_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A fixed-width unicode array in the .npz (read without pickles), a list in the .json;
    no header, no key."""
    (tmp_path / "d.csv").write_text("温度,,wind speed\n1,2,3\n4,5,6\n", encoding="utf-8")
    for suffix in ("npz", "json"):
        ok(
            capsys,
            "--cell",
            "lstm",
            "--data",
            tmp_path / "d.csv",
            "--out",
            tmp_path / f"t.{suffix}",
        )
    with np.load(tmp_path / "t.npz", allow_pickle=False) as data:
        assert data["features"].dtype.kind == "U"
        assert data["features"].tolist() == ["温度", "", "wind speed"]
    doc = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    assert doc["features"] == ["温度", "", "wind speed"]
    (tmp_path / "d.csv").write_text("1,2,3\n4,5,6\n", encoding="utf-8")
    ok(capsys, "--cell", "rnn", "--data", tmp_path / "d.csv", "--out", tmp_path / "t.npz")
    with np.load(tmp_path / "t.npz", allow_pickle=False) as data:
        assert "features" not in data.files


def zero_state_fixture(tmp_path: Path) -> tuple[Path, Path, dict[str, np.ndarray]]:
    """The torch fixture's whole-model state dict as safetensors, and its input as .npy."""
    with np.load(FIXTURES / "torch_forward_lstm_2layers_head_zero_state.npz") as f:
        data = {k: f[k] for k in f.files}
    save_file(
        {k[6:]: v for k, v in data.items() if k.startswith("param.")},
        str(tmp_path / "w.safetensors"),
    )
    np.save(tmp_path / "x.npy", data["x"])
    return tmp_path / "w.safetensors", tmp_path / "x.npy", data


def test_weights_from_torch_match_the_torch_fixture(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    weights, x, ref = zero_state_fixture(tmp_path)
    ok(capsys, "--cell", "lstm", "--weights", weights, "--data", x, "--out", tmp_path / "t.npz")
    with np.load(tmp_path / "t.npz", allow_pickle=False) as data:
        for key in ("h", "layer0_h", "layer0_c", "layer1_c", "y"):
            np.testing.assert_allclose(data[key], ref[key], rtol=0, atol=1e-9)
        np.testing.assert_allclose(data["c"], ref["layer1_c"], rtol=0, atol=1e-9)


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_pt_weights_match_live_torch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cell: str
) -> None:
    torch = pytest.importorskip("torch")
    torch.manual_seed(3)
    module = (torch.nn.LSTM if cell == "lstm" else torch.nn.RNN)(2, 6, 2).double()
    torch.save(module.state_dict(), tmp_path / "w.pt")
    x = torch.randn(11, 2, dtype=torch.float64)
    np.save(tmp_path / "x.npy", x.numpy())
    ok(
        capsys,
        "--cell",
        cell,
        "--weights",
        tmp_path / "w.pt",
        "--data",
        tmp_path / "x.npy",
        "--out",
        tmp_path / "t.npz",
    )
    with torch.no_grad():
        out, state = module(x)
    with np.load(tmp_path / "t.npz", allow_pickle=False) as data:
        np.testing.assert_allclose(data["h"], out.numpy(), rtol=0, atol=1e-9)
        if cell == "lstm":
            np.testing.assert_allclose(data["c"][-1], state[1][-1].numpy(), rtol=0, atol=1e-9)
        assert "y" not in data.files  # no head in a bare nn.LSTM state dict


def test_text_uses_the_weights_vocabulary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = init_model("lstm", 4, 3, 1, 4, seed=2, vocab=["o", "l", "e", "h"])
    save_model(model, tmp_path / "w.npz")
    ok(
        capsys,
        "--cell",
        "lstm",
        "--weights",
        tmp_path / "w.npz",
        "--text",
        "hell",
        "--out",
        tmp_path / "t.npz",
    )
    with np.load(tmp_path / "t.npz", allow_pickle=False) as data:
        assert data["vocab"].tolist() == ["o", "l", "e", "h"]
        assert data["x"].argmax(axis=1).tolist() == [3, 2, 1]
        np.testing.assert_array_equal(data["h"], forward(model, data["x"]).h)


def test_bare_state_dict_on_text_reads_the_head_as_softmax(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    params = init_model("rnn", 4, 3, 1, 4, seed=1).params
    np.savez(tmp_path / "w.npz", **{f"rnn.{k}" if "_l0" in k else k: v for k, v in params.items()})
    ok(capsys, "--cell", "rnn", "--weights", tmp_path / "w.npz", "--out", tmp_path / "t.npz")
    with np.load(tmp_path / "t.npz", allow_pickle=False) as data:
        assert data["vocab"].tolist() == ["h", "e", "l", "o"]  # the text's own, no metadata
        logits = data["logits"]
        expected = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
        np.testing.assert_allclose(data["y"], expected, rtol=1e-12)


# ---------------------------------------------------------------- a closed stdout


def test_reader_gone_is_status_141_and_silent(tmp_path: Path) -> None:
    """`rnn3d trace ... | head -c0`: the reader leaving is no machine fault (status 3, 'check
    the disk'), but what a command killed by SIGPIPE reports, with nothing on stderr."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])}
    command = [sys.executable, "-m", "scenes", "trace", "--cell", "rnn", "--out", "t.npz"]
    proc = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the command prints its line
    err = proc.stderr.read()
    assert proc.wait() == 141
    assert err == b""


def test_other_broken_pipe_is_the_machines(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A pipe other than stdout (an encoder's) breaking is still status 3 with one line."""
    import scenes.cli.trace_cmd as trace_cmd

    def broken(_args: object) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(trace_cmd, "run", broken)
    code, _, err = run(capsys, "--cell", "rnn", "--out", "t.npz")
    assert code == 3
    assert err.startswith("rnn3d: error:") and err.count("\n") == 1
