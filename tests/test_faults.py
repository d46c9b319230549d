"""Fault injection, part 1: every bad input of tests/fault_cases.py, and faults of the machine
(a full disk, no permission, no memory), through the command as users run it.

Each must give one line on stderr (no traceback, no warning before it), exit 2 for bad input
and 3 for the machine, and leave the output directory as it was.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from fault_cases import CASES, FILES

from scenes.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fault-inputs")
    for name, content in FILES.items():
        if isinstance(content, bytes):
            (folder / name).write_bytes(content)
        else:
            content(folder / name)
    return folder


def _argv(argv: list[str], inputs: Path, out: Path) -> list[str]:
    def place(arg: str) -> str:
        arg = arg.replace("IN:", f"{inputs}/")
        return str(out) if arg == "OUT" else arg.replace("OUT/", f"{out}/")

    return [place(a) for a in argv]


def _one_line(err: str) -> str:
    """The one line of a failure, after train's progress bar if it ran."""
    err = "".join(
        line
        for line in err.replace("\r", "\n").splitlines(keepends=True)
        if not line.startswith("training [") and line.strip()
    )
    assert err.count("\n") == 1 and err.startswith("rnn3d"), f"not one line: {err!r}"
    assert "Traceback" not in err and "Warning" not in err, err
    return err


def run_main(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str]:
    code = main(argv)
    return code, capsys.readouterr().err


def test_main_returns_argparse_s_status_too(capsys: pytest.CaptureFixture[str]) -> None:
    """Like every other failure's: it raised SystemExit, which each caller had to catch."""
    assert main(["train", "--cell", "gru", "--out", "w.npz"]) == 2
    assert main(["paint"]) == main([]) == 2
    assert main(["--help"]) == main(["trace", "--help"]) == 0
    assert "invalid choice: 'gru'" in capsys.readouterr().err


def test_the_suite_has_more_than_150_distinct_bad_inputs() -> None:
    distinct = {tuple(argv) for argv, _ in CASES.values()}
    assert len(distinct) == len(CASES) > 150
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"{len(CASES)} distinct bad inputs" in readme  # the README states the count


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_one_line_exit_2_nothing_written(
    case: str, inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv, message = CASES[case]
    out = tmp_path / "out"
    (out / "dir.npz").mkdir(parents=True)
    before = sorted(out.rglob("*"))
    code, err = run_main(capsys, _argv(argv, inputs, out))
    assert code == 2, (code, err)
    assert message in _one_line(err), err
    assert sorted(out.rglob("*")) == before  # nothing written, not even a temporary file


# ---------------------------------------------------------------- faults of the machine


def _fail_with(number: int) -> object:
    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(number, os.strerror(number))

    return fail


SYSTEM_FAULTS = {
    "disk full writing a trace": (
        "rnncore.files.os.replace",
        errno.ENOSPC,
        "trace",
        "No space left on device",
    ),
    "disk full writing weights": (
        "rnncore.files.os.replace",
        errno.ENOSPC,
        "train",
        "No space left on device",
    ),
    "quota exceeded writing a trace": ("rnncore.files.os.replace", errno.EDQUOT, "trace", "quota"),
    "read-only file system": ("rnncore.files.tempfile.mkstemp", errno.EROFS, "trace", "read-only"),
    "no permission to write": (
        "rnncore.files.tempfile.mkstemp",
        errno.EACCES,
        "train",
        "Permission denied",
    ),
    "input/output error": ("rnncore.files.os.replace", errno.EIO, "trace", "input/output"),
    "too many open files": (
        "rnncore.files.tempfile.mkstemp",
        errno.EMFILE,
        "trace",
        "too many open files",
    ),
}
COMMANDS = {
    "trace": ["trace", "--cell", "lstm", "--out", "OUT/t.npz"],
    "train": ["train", "--cell", "rnn", "--steps", "5", "--out", "OUT/w.safetensors"],
}


@pytest.mark.parametrize("fault", list(SYSTEM_FAULTS))
def test_system_fault_is_one_line_exit_3(
    fault: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    target, number, command, message = SYSTEM_FAULTS[fault]
    out = tmp_path / "out"
    out.mkdir()
    (out / "w.safetensors").write_bytes(b"an earlier file")
    monkeypatch.setattr(target, _fail_with(number))
    code, err = run_main(capsys, _argv(COMMANDS[command], tmp_path, out))
    assert code == 3, err
    assert message.lower() in _one_line(err).lower()
    assert sorted(p.name for p in out.iterdir()) == ["w.safetensors"]  # no temporary left
    assert (out / "w.safetensors").read_bytes() == b"an earlier file"


def test_disk_full_writing_the_weights_keeps_the_earlier_pair(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The history was put in place before the weights were written: a full disk then left
    the new training's history beside the earlier weights, and L6 replayed it for them."""
    out = tmp_path / "w.safetensors"
    (tmp_path / "w.history.npz").write_bytes(b"an earlier history")
    out.write_bytes(b"earlier weights")
    monkeypatch.setattr("rnncore.weights._write_safetensors", _fail_with(errno.ENOSPC))
    code, err = run_main(capsys, _argv(COMMANDS["train"], tmp_path, tmp_path))
    assert code == 3 and "No space left on device" in _one_line(err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.history.npz", "w.safetensors"]
    assert (tmp_path / "w.history.npz").read_bytes() == b"an earlier history"
    assert out.read_bytes() == b"earlier weights"


def test_disk_full_writing_the_render_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Path, "write_text", _fail_with(errno.ENOSPC))
    out = tmp_path / "out"
    # --force: a clip already in the render cache (after `make demo`) needs no config
    code, err = run_main(capsys, ["render", "R1", "--out", str(out), "--force"])
    assert code == 3 and "No space left on device" in _one_line(err)
    assert list(out.iterdir()) == []  # its temporary directory went too


@pytest.mark.parametrize("where", ["zeros", "empty"])
def test_out_of_memory(
    where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_memory(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(np, where, no_memory)
    code, err = run_main(capsys, _argv(COMMANDS["train"], tmp_path, tmp_path))
    assert code == 3 and "out of memory" in _one_line(err)
    assert not list(tmp_path.glob("*.safetensors"))


def test_a_huge_hidden_size_is_out_of_memory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = run_main(
        capsys,
        ["trace", "--cell", "lstm", "--hidden", "4000000000", "--out", str(tmp_path / "t.npz")],
    )
    assert code == 3 and "out of memory" in _one_line(err)


@pytest.mark.parametrize(
    "argv",
    [
        ["trace", "--cell", "rnn", "--hidden", "99999999999999999999"],
        ["train", "--cell", "rnn", "--hidden", "99999999999999999999"],
        ["train", "--cell", "lstm", "--steps", "99999999999999999999"],
        ["trace", "--cell", "rnn", "--layers", "10000000000000"],
    ],
    ids=["trace hidden", "train hidden", "train steps", "trace layers"],
)
def test_sizes_past_numpy_integers_are_out_of_memory(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Numpy failed on them with a TypeError or ValueError of its own (exit 70, "a bug"), or
    made layers one by one for hours: they are counted before anything is made."""
    code, err = run_main(capsys, [*argv, "--out", str(tmp_path / "w.npz")])
    assert code == 3 and "out of memory (" in _one_line(err) and " GB): use smaller" in err
    assert not list(tmp_path.iterdir())


def test_parameter_count_is_that_of_the_shapes() -> None:
    from rnncore.model import expected_shapes, parameter_count

    for sizes in [("rnn", 4, 8, 1, 4), ("lstm", 3, 16, 3, None), ("lstm", 5, 7, 2, 9)]:
        shapes = expected_shapes(*sizes).values()
        assert parameter_count(*sizes) == sum(int(np.prod(s)) for s in shapes)


def test_unreadable_data_file_by_monkeypatch(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "d.csv"
    data.write_text("1,2\n3,4\n")
    monkeypatch.setattr("rnncore.files.os.access", lambda *a, **k: False)
    code, err = run_main(
        capsys, ["trace", "--cell", "rnn", "--data", str(data), "--out", str(tmp_path / "t.npz")]
    )
    assert code == 3 and "Permission denied" in _one_line(err)


def _without_root_powers() -> list[str]:
    """A command prefix under which file permissions hold: as root, drop the capabilities that
    override them (the suite may run as root, and the Python may live where no other user can
    read it); as any other user, nothing."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: cannot make a real permission error")
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]


def _run_unprivileged(argv: list[str], cache: Path) -> subprocess.CompletedProcess[str]:
    """rnn3d ARGV in a process of its own, under which file permissions hold."""
    return subprocess.run(
        [*_without_root_powers(), sys.executable, "-m", "scenes", *argv],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "RNN3D_CACHE": str(cache)},
    )


@pytest.mark.parametrize("fault", ["unreadable data", "read-only --out directory"])
def test_real_permission_errors(fault: str, tmp_path: Path) -> None:
    data = tmp_path / "d.csv"
    data.write_text("1,2\n3,4\n")
    locked = tmp_path / "locked"
    locked.mkdir()
    if fault == "unreadable data":
        data.chmod(0o000)
        argv = ["trace", "--cell", "rnn", "--data", str(data), "--out", str(locked / "t.npz")]
    else:
        locked.chmod(0o555)
        argv = ["train", "--cell", "rnn", "--out", str(locked / "w.npz")]
    done = _run_unprivileged(argv, cache=tmp_path / "cache")
    locked.chmod(0o755)
    assert done.returncode == 3, done.stderr
    assert "Permission denied" in _one_line(done.stderr)  # before any training step
    assert list(locked.iterdir()) == []


@pytest.mark.parametrize("command", ["render", "slides"])
@pytest.mark.parametrize("where", ["a file", "under a file"])
def test_a_cache_that_is_a_file_names_rnn3d_cache(
    command: str,
    where: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The line names the render cache and the variable that put it there (it said
    '.../renders/stamps: Not a directory', or slides went on without a cache); an earlier
    render stays as it was."""
    blocker = tmp_path / "cache-file"
    blocker.write_text("not a folder")
    cache = blocker if where == "a file" else blocker / "sub"
    monkeypatch.setenv("RNN3D_CACHE", str(cache))
    out = tmp_path / "out"
    out.mkdir()
    (out / "R1_480p15.mp4").write_bytes(b"an earlier render")
    code, err = run_main(capsys, [command, "R1", "--out", str(out)])
    line = _one_line(err)
    assert code == 2, err
    assert f"the render cache at {cache} (set by RNN3D_CACHE)" in line
    assert "set RNN3D_CACHE to a folder" in line
    assert sorted(p.name for p in out.iterdir()) == ["R1_480p15.mp4"]
    assert (out / "R1_480p15.mp4").read_bytes() == b"an earlier render"
    assert blocker.read_text() == "not a folder"


@pytest.mark.parametrize("value", ["abc", "1e9", "-1"])
def test_a_bad_render_cache_size_is_one_line(
    value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """It was read as render_cache.py was imported: 'abc' was a traceback, before any check."""
    monkeypatch.setenv("RNN3D_RENDER_CACHE_BYTES", value)
    monkeypatch.setenv("RNN3D_CACHE", str(tmp_path / "cache"))
    out = tmp_path / "out"
    out.mkdir()
    (out / "R1_480p15.png").write_bytes(b"an earlier render")
    code, err = run_main(capsys, ["render", "R1", "--format", "png", "--out", str(out)])
    assert code == 2, err
    line = _one_line(err)
    assert f"RNN3D_RENDER_CACHE_BYTES={value!r} is not a whole number of bytes" in line
    assert sorted(p.name for p in out.iterdir()) == ["R1_480p15.png"]
    assert (out / "R1_480p15.png").read_bytes() == b"an earlier render"


def test_an_unwritable_cache_names_rnn3d_cache(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    done = _run_unprivileged(["render", "R1", "--out", str(tmp_path / "out")], cache=locked)
    locked.chmod(0o755)
    assert done.returncode == 3, done.stderr
    line = _one_line(done.stderr)
    assert f"the render cache at {locked} (set by RNN3D_CACHE) cannot be written" in line
    assert "Permission denied: set RNN3D_CACHE to a folder you can write" in line
    assert list(locked.iterdir()) == []


# ---------------------------------------------------------------- warnings and overflow


def test_no_numpy_warning_before_the_line(tmp_path: Path) -> None:
    """In a real process, where warnings go to stderr: ReLU weights that overflow, an absurd
    learning rate, and huge data (which train standardises, so it trains)."""
    from rnncore import init_model

    params = init_model("rnn", 4, 3, 1, 4, seed=1).params
    np.savez(
        tmp_path / "relu.npz",
        **{k: v * 1e200 for k, v in params.items()},
        __meta__=np.array(
            '{"nonlinearity": "relu", "vocab": "[\\"h\\", \\"e\\", \\"l\\", \\"o\\"]"}'
        ),
    )
    (tmp_path / "huge.csv").write_text("1e300\n-1e300\n1e300\n")
    for argv, status in (
        (["trace", "--cell", "rnn", "--weights", "relu.npz", "--out", "t.npz"], 2),
        (["train", "--cell", "rnn", "--lr", "1e308", "--out", "w.npz"], 2),
        (["train", "--cell", "lstm", "--data", "huge.csv", "--steps", "20", "--out", "h.npz"], 0),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "scenes", *argv],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        assert done.returncode == status, done.stderr
        assert "Warning" not in done.stderr, done.stderr
        if status:
            assert "overflow" in _one_line(done.stderr) or "diverged" in done.stderr
    assert not (tmp_path / "t.npz").exists() and not (tmp_path / "w.npz").exists()


def test_huge_data_blames_the_data_not_the_learning_rate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "huge.csv").write_text("1e300\n-1e300\n1e300\n")
    code, err = run_main(
        capsys,
        ["render", "R1", "--data", str(tmp_path / "huge.csv"), "--out", str(tmp_path / "out")],
    )
    assert code == 2 and "data" in _one_line(err) and "learning rate" not in err


def test_trained_weights_are_byte_identical_and_0644(tmp_path: Path) -> None:
    """The same training twice, in two processes: the same bytes, the usual file mode."""
    files = []
    for k in range(2):
        out = tmp_path / f"w{k}.safetensors"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "scenes",
                "train",
                "--cell",
                "lstm",
                "--steps",
                "20",
                "--out",
                str(out),
            ],
            check=True,
            capture_output=True,
            timeout=120,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        files.append(out)
    assert files[0].read_bytes() == files[1].read_bytes()
    umask = os.umask(0)
    os.umask(umask)
    for f in files:
        assert f.stat().st_mode & 0o777 == 0o666 & ~umask
    from safetensors.numpy import load_file

    from rnncore import load_model

    assert set(load_file(files[0])) == set(load_model(files[0]).params)
    assert np.isfinite(np.concatenate([v.ravel() for v in load_file(files[0]).values()])).all()


def test_a_bug_is_one_line_exit_70(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def bug(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("scenes.cli.trace_cmd.forward", bug)
    monkeypatch.delenv("RNN3D_TRACEBACK", raising=False)
    code, err = run_main(capsys, ["trace", "--cell", "rnn", "--out", str(tmp_path / "t.npz")])
    assert code == 70 and re.search("internal error .ZeroDivisionError", _one_line(err))


def test_latex_missing_is_bad_input_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    code, err = run_main(capsys, ["render", "R1", "--out", str(tmp_path / "o")])
    assert code == 2 and "LaTeX is missing" in _one_line(err)


def test_a_10000_character_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Long hostile-free text: traced in full, and checked for drawing in well under a second."""
    import time

    from scenes.drawable import check_text

    text = ("the quick brown fox jumps over the lazy dog, ünd 你好 שלום! " * 200)[:10_000]
    start = time.perf_counter()
    assert check_text(text) == text
    assert time.perf_counter() - start < 1.0
    out = tmp_path / "t.npz"
    code, err = run_main(capsys, ["trace", "--cell", "lstm", "--text", text, "--out", str(out)])
    assert code == 0, err
    with np.load(out, allow_pickle=False) as trace:
        assert trace["h"].shape[0] == 9_999 and np.isfinite(trace["h"]).all()


@pytest.mark.parametrize("command", ["trace", "train"])
def test_a_long_name_the_file_system_takes_is_written(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A name of 255 bytes is a file's: its temporary name (some 40 characters more) was too
    long to make, exit 3. The history beside the weights has its own 255."""
    stem = "w" * (255 - len(".history.npz"))
    argv = [*COMMANDS[command][:-1], str(tmp_path / f"{stem}.npz")]
    assert main(argv) == 0, capsys.readouterr().err
    written = {f"{stem}.npz"} | ({f"{stem}.history.npz"} if command == "train" else set())
    assert {p.name for p in tmp_path.iterdir()} == written


def test_a_write_removes_what_a_killed_writer_left(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A SIGKILL during a write leaves its temporary file; the next write of that file removes
    it, and leaves a live concurrent writer's (here: this process's) alone."""
    from test_fault_processes import dead_run_tag

    from rnncore.files import run_tag

    dead = dead_run_tag()
    out = tmp_path / "t.npz"
    left = tmp_path / f".t.npz{dead}abc.tmp"
    live = tmp_path / f".t.npz{run_tag()}def.tmp"
    other = tmp_path / f".other.npz{dead}abc.tmp"
    for f in (left, live, other):
        f.write_bytes(b"half a file")
    code, err = run_main(capsys, ["trace", "--cell", "rnn", "--out", str(out)])
    assert code == 0, err
    assert not left.exists() and live.exists() and other.exists()  # only t.npz's dead ones
