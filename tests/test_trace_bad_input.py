"""rnn3d trace, bad input: one line, exit 2, no file."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from rnncore import init_model, save_model
from tests.test_trace_cmd import run


def lstm_weights(tmp_path: Path) -> Path:
    return save_model(
        init_model("lstm", 4, 3, 1, 4, seed=0, vocab=list("helo")), tmp_path / "lstm.npz"
    )


def bad_files(tmp_path: Path) -> dict[str, Path]:
    """One file per kind of bad input."""
    files = {}

    def text(name: str, content: str) -> None:
        files[name] = tmp_path / name
        files[name].write_text(content, encoding="utf-8")

    text("ragged.csv", "1,2\n3\n")
    text("words.csv", "a\nb\n")
    text("empty.csv", "")
    text("nan.csv", "1\nnan\n")
    text("data.txt", "1\n2\n")
    np.save(tmp_path / "obj.npy", np.array([None, 1], dtype=object), allow_pickle=True)
    files["obj.npy"] = tmp_path / "obj.npy"
    np.save(tmp_path / "cube.npy", np.zeros((2, 2, 2)))
    files["cube.npy"] = tmp_path / "cube.npy"
    np.save(tmp_path / "three.npy", np.zeros((5, 3)))
    files["three.npy"] = tmp_path / "three.npy"
    sd = dict(init_model("lstm", 4, 3, seed=0).params)
    np.savez(tmp_path / "bidir.npz", **sd, weight_ih_l0_reverse=sd["weight_ih_l0"])
    np.savez(tmp_path / "shape.npz", **{**sd, "weight_hh_l0": np.zeros((12, 2))})
    np.savez(tmp_path / "nan.npz", **{**sd, "bias_hh_l0": np.full(12, np.nan)})
    (tmp_path / "junk.safetensors").write_bytes(b"\x01\x02junk")
    (tmp_path / "w.h5").write_bytes(b"")
    for name in ("bidir.npz", "shape.npz", "nan.npz", "junk.safetensors", "w.h5"):
        files[name] = tmp_path / name
    files["lstm.npz"] = lstm_weights(tmp_path)
    files["rnn.npz"] = save_model(init_model("rnn", 4, 3, seed=0), tmp_path / "rnn.npz")
    return files


BAD = [  # argv (FILE:<name> is a file from bad_files), message
    (["--cell", "lstm", "--out", "OUT.txt"], "unknown trace format '.txt'"),
    (["--cell", "gru", "--out", "OUT.npz"], "invalid choice: 'gru'"),
    (["--out", "OUT.npz"], "the following arguments are required: --cell"),
    (
        ["--cell", "rnn", "--text", "ab", "--data", "FILE:ragged.csv", "--out", "OUT.npz"],
        "not allowed with argument",
    ),
    (["--cell", "rnn", "--text", "h", "--out", "OUT.npz"], "too short"),
    (["--cell", "rnn", "--data", "FILE:missing.csv", "--out", "OUT.npz"], "does not exist"),
    (["--cell", "rnn", "--data", "FILE:ragged.csv", "--out", "OUT.npz"], "ragged"),
    (["--cell", "rnn", "--data", "FILE:words.csv", "--out", "OUT.npz"], "'b' is not a number"),
    (["--cell", "rnn", "--data", "FILE:empty.csv", "--out", "OUT.npz"], "no data rows"),
    (["--cell", "rnn", "--data", "FILE:nan.csv", "--out", "OUT.npz"], "is nan"),
    (["--cell", "rnn", "--data", "FILE:data.txt", "--out", "OUT.npz"], "unknown data format"),
    (["--cell", "rnn", "--data", "FILE:obj.npy", "--out", "OUT.npz"], "holds Python objects"),
    (["--cell", "rnn", "--data", "FILE:cube.npy", "--out", "OUT.npz"], r"shape \(2, 2, 2\)"),
    (["--cell", "lstm", "--weights", "FILE:missing.npz", "--out", "OUT.npz"], "does not exist"),
    (["--cell", "lstm", "--weights", "FILE:w.h5", "--out", "OUT.npz"], "not a readable Keras"),
    (
        ["--cell", "lstm", "--weights", "FILE:junk.safetensors", "--out", "OUT.npz"],
        "not a readable safetensors file",
    ),
    (["--cell", "lstm", "--weights", "FILE:bidir.npz", "--out", "OUT.npz"], "not supported"),
    (
        ["--cell", "lstm", "--weights", "FILE:shape.npz", "--out", "OUT.npz"],
        r"weight_hh_l0 has shape \(12, 2\)",
    ),
    (["--cell", "lstm", "--weights", "FILE:nan.npz", "--out", "OUT.npz"], "NaN or infinite"),
    (
        ["--cell", "rnn", "--weights", "FILE:lstm.npz", "--out", "OUT.npz"],
        "holds LSTM weights but --cell is rnn: use --cell lstm or RNN weights",
    ),
    (
        ["--cell", "lstm", "--weights", "FILE:lstm.npz", "--text", "hex", "--out", "OUT.npz"],
        "'x' of the text is not in the model's vocabulary",
    ),
    (
        [
            "--cell",
            "lstm",
            "--weights",
            "FILE:lstm.npz",
            "--data",
            "FILE:three.npy",
            "--out",
            "OUT.npz",
        ],
        "reads 4 inputs but .*three.npy has 3 features",
    ),
    (
        ["--cell", "lstm", "--weights", "FILE:lstm.npz", "--hidden", "8", "--out", "OUT.npz"],
        "--hidden 8 does not match",
    ),
    (
        ["--cell", "lstm", "--weights", "FILE:lstm.npz", "--layers", "2", "--out", "OUT.npz"],
        "--layers 2 does not match",
    ),
    (
        ["--cell", "lstm", "--weights", "FILE:lstm.npz", "--seed", "1", "--out", "OUT.npz"],
        "drop it when giving --weights",
    ),
    (
        [
            "--cell",
            "rnn",
            "--weights",
            "FILE:rnn.npz",
            "--nonlinearity",
            "relu",
            "--out",
            "OUT.npz",
        ],
        "saved with nonlinearity tanh but relu",
    ),
    (["--cell", "lstm", "--nonlinearity", "relu", "--out", "OUT.npz"], "relu is for the RNN"),
    (["--cell", "lstm", "--hidden", "0", "--out", "OUT.npz"], "--hidden: must be at least 1"),
    (["--cell", "lstm", "--layers", "0", "--out", "OUT.json"], "--layers: must be at least 1"),
    (["--cell", "lstm", "--hidden", "x", "--out", "OUT.npz"], "invalid int value"),
    (["--cell", "rnn", "--seed", "-1", "--out", "OUT.npz"], "argument --seed: must be at least 0"),
    (["--cell", "lstm", "--out", "DIR.npz"], "is a directory"),
]


@pytest.mark.parametrize("argv, message", BAD, ids=[" ".join(a[:4]) for a, _ in BAD])
def test_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    (tmp_path / "in").mkdir()
    files = bad_files(tmp_path / "in")
    out = tmp_path / "out"
    (out / "DIR.npz").mkdir(parents=True)

    def path(arg: str) -> str:  # OUT.x, DIR.npz (a directory) -> in out/; FILE:name -> in in/
        if arg.startswith(("OUT", "DIR")):
            return str(out / arg)
        if arg.startswith("FILE:"):
            return str(files.get(arg[5:], tmp_path / "in" / arg[5:]))
        return arg

    code, _, err = run(capsys, *map(path, argv))
    assert code == 2
    assert err.startswith("rnn3d") and err.count("\n") == 1, err
    assert re.search(message, err), err
    assert [p.name for p in out.iterdir()] == ["DIR.npz"] and not any((out / "DIR.npz").iterdir())


def test_pt_without_torch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "w.pt").write_bytes(b"x")
    monkeypatch.setitem(sys.modules, "torch", None)
    code, _, err = run(
        capsys, "--cell", "lstm", "--weights", tmp_path / "w.pt", "--out", tmp_path / "t.npz"
    )
    assert code == 2 and "pip install 'rnn3d[torch]'" in err and err.count("\n") == 1
    assert not (tmp_path / "t.npz").exists()


def test_real_process_exit_status_and_stderr(tmp_path: Path) -> None:
    """The command as users run it: a separate process, a one-line error, status 2."""
    (tmp_path / "d.csv").write_text("1,2\n3\n", encoding="utf-8")
    argv = [
        sys.executable,
        "-m",
        "scenes",
        "trace",
        "--cell",
        "rnn",
        "--data",
        str(tmp_path / "d.csv"),
        "--out",
        str(tmp_path / "t.npz"),
    ]
    done = subprocess.run(
        argv, capture_output=True, text=True, timeout=60, cwd=Path(__file__).parent.parent
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("rnn3d: error:") and "ragged" in done.stderr
    assert "Traceback" not in done.stderr and done.stderr.count("\n") == 1
    assert not (tmp_path / "t.npz").exists()


def test_an_out_that_an_input_links_to_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--data link.csv, a link to real.csv, with --out real.csv: the trace replaced the data
    it read, status 0. An --out that is itself a link to the data is fine: the link is
    replaced and the data kept."""
    real, link = tmp_path / "real.csv", tmp_path / "link.csv"
    real.write_text("1,2\n3,4\n5,6\n", encoding="utf-8")
    link.symlink_to(real.name)
    code, _, err = run(capsys, "--cell", "rnn", "--data", link, "--out", real)
    assert code == 2 and "is the --data file the trace reads" in err and err.count("\n") == 1
    assert real.read_text(encoding="utf-8") == "1,2\n3,4\n5,6\n"
    code, _, err = run(capsys, "--cell", "rnn", "--data", real, "--out", link)
    assert code == 0, err
    assert real.read_text(encoding="utf-8") == "1,2\n3,4\n5,6\n" and not link.is_symlink()
