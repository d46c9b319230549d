"""`rnn3d list` and `rnn3d render`: listing, bad input, real renders, atomic output.

Renders use tiny PartScene subclasses (a square per shot) so they take about a second each;
the real parts are rendered by their own tests.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from rnncore import RnnError, init_model
from scenes import lengths
from scenes.cli import main, render_cmd
from scenes.cli.render_cache import ClipCache
from scenes.shots import PART_TITLES, SHOTS, shots_of

TIMED_SHOTS = """

def _timed(k):
    def shot(self):
        self.wait(0.1)
        self.play(Rotate(Square(), 0.1), run_time=0.2 * (k + 1))
    return shot


for k, s in enumerate(s for s in SHOTS if s.part == "rnn"):
    setattr(TinyRNN, f"shot_{s.id}", _timed(k))
"""

TINY_SCENES = '''
from manim import RIGHT, WHITE, Rotate, Square

from scenes.base import PartScene
from scenes.shots import SHOTS


class TinyPart(PartScene):
    """Shot k adds a white square at x = k - 6 whose side is a tenth of the text's length:
    the last frame shows which shots ran and which text they were given."""


def _shot(k):
    def shot(self):
        side = 0.1 * len(self.settings.text or "hello")
        square = Square(side_length=side, fill_opacity=1, stroke_width=0, color=WHITE)
        self.add(square.shift((k - 6) * RIGHT))
        self.wait(0.1)
    return shot


for k, s in enumerate(SHOTS):
    setattr(TinyPart, f"shot_{s.id}", _shot(k))


class TinyRNN(TinyPart):
    part = "rnn"


class TinyLSTM(TinyPart):
    part = "lstm"


class BrokenRNN(TinyRNN):
    def shot_R1(self):
        raise RuntimeError("this scene always fails")


class SlowRNN(TinyRNN):
    def shot_R1(self):
        self.play(Rotate(Square()), run_time=120)
'''

DRIVER = """
import signal
import sys
from pathlib import Path

from scenes.cli import main, render_cmd

# Ctrl-C reaches a command run in a terminal; a shell starts background jobs with SIGINT
# ignored, and Python keeps it ignored, so a suite started with & would never interrupt
signal.signal(signal.SIGINT, signal.default_int_handler)

scene_file = Path(sys.argv[1])
render_cmd.PART_SCENES = {"rnn": (scene_file, sys.argv[2]), "lstm": (scene_file, "TinyLSTM")}
sys.exit(main(sys.argv[3:]))
"""


@pytest.fixture
def tiny(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point both parts at tiny scenes, with a render cache of their own; return the scene
    file."""
    scene_file = tmp_path / "tiny_scenes.py"
    scene_file.write_text(TINY_SCENES)
    monkeypatch.setattr(
        render_cmd,
        "PART_SCENES",
        {"rnn": (scene_file, "TinyRNN"), "lstm": (scene_file, "TinyLSTM")},
    )
    monkeypatch.setattr(render_cmd, "render_cache", lambda: ClipCache(tmp_path / "render-cache"))
    return scene_file


def test_shot_lengths_are_what_the_scene_plays(tmp_path: Path) -> None:
    """Skipped, a part adds up the run times of its plays: the lengths of playing it (Manim's
    own clock, which rounds each play to whole frames: a frame at 60 fps per play at most),
    with no table kept by hand."""
    namespace: dict = {}
    exec(compile(TINY_SCENES + TIMED_SHOTS, "tiny_scenes.py", "exec"), namespace)
    skipped = lengths.measure(namespace["TinyRNN"])
    played = lengths.measure(namespace["TinyRNN"], skip=False)
    ids = [s.id for s in shots_of("rnn")]
    assert list(skipped) == ids and skipped == pytest.approx(played, abs=2 / 60)
    assert [skipped[i] for i in ids] == pytest.approx([0.3 + 0.2 * k for k in range(len(ids))])


def test_list_shows_every_part_and_shot(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seconds = {s.id: 10.0 + k for k, s in enumerate(SHOTS)}  # as measured (tested below)
    monkeypatch.setattr(
        lengths, "shot_lengths", lambda part: {s.id: seconds[s.id] for s in shots_of(part)}
    )
    assert main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(PART_TITLES) + len(SHOTS)
    for part, title in PART_TITLES.items():
        line = next(li for li in lines if li.startswith(part + " "))
        assert title in line
        assert line.endswith(f"{sum(seconds[s.id] for s in shots_of(part)):.0f} s")
    for shot in SHOTS:
        line = next(li for li in lines if li.split()[0] == shot.id)
        assert shot.title in line and line.endswith(f" {seconds[shot.id]:.0f} s")
    # shots are listed under their part, in order
    assert [li.split()[0] for li in lines] == [
        x for part in PART_TITLES for x in [part, *(s.id for s in shots_of(part))]
    ]


def _weights(tmp_path: Path, cell: str, input_size: int) -> str:
    weights = pytest.importorskip("rnncore.weights")
    from rnncore import init_model

    path = tmp_path / f"{cell}_{input_size}.safetensors"
    weights.save_model(init_model(cell, input_size, 3, 1, input_size, seed=1), path)
    return str(path)


BAD_INPUTS = {
    "unknown target": (["R9"], "unknown target 'R9'"),
    "unknown part": (["gru"], "unknown target 'gru'"),
    "window past the end": (["R3", "--steps", "2:9"], "outside the sequence of 4 steps"),
    "window too wide": (["rnn", "--text", "abcdefghijkl", "--steps", "0:10"], "at most 8"),
    "window not A:B": (["R3", "--steps", "3"], "not of the form A:B"),
    "step outside the window": (["L3", "--steps", "0:3", "--step", "3"], "--step 3 is outside"),
    "text too short": (["rnn", "--text", "a"], "too short"),
    "target after an option": (["R3", "-q", "l", "r5"], "targets first, before any option: R3 r5"),
    "word after an option": (["R3", "-q", "l", "r9"], "unrecognized arguments: r9 (see"),
}


@pytest.mark.parametrize("argv, message", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_is_one_line_and_writes_nothing(
    tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    _expect_one_line_error(tmp_path, capsys, argv, message)


@pytest.mark.parametrize("fmt", ["png", "mp4"])
def test_a_folder_where_the_file_goes_is_found_before_rendering(
    tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    """It was found after rendering, when the file was moved into place: exit 3, and a line
    naming the temporary file."""
    folder = tmp_path / "renders" / f"R1_480p15.{fmt}"
    folder.mkdir(parents=True)
    argv = ["render", "R1", "--format", fmt, "--out", str(tmp_path / "renders")]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err == f"rnn3d: error: {folder} is a directory, where rnn3d writes a file: move it " + (
        "away or give another --out\n"
    )
    assert [p.name for p in folder.parent.iterdir()] == [folder.name]


def test_weights_that_do_not_fit_the_data(
    tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # "hello" has a vocabulary of 4 characters; these weights read 6 inputs
    weights = _weights(tmp_path, "rnn", 6)
    _expect_one_line_error(tmp_path, capsys, ["R1", "--weights", weights], "reads 6 inputs")


def test_lstm_weights_for_the_rnn_part(
    tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    weights = _weights(tmp_path, "lstm", 4)
    _expect_one_line_error(tmp_path, capsys, ["rnn", "--weights", weights], "LSTM weights")


def test_missing_latex(
    tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    _expect_one_line_error(tmp_path, capsys, ["R1"], "LaTeX is missing")


def _expect_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    out = tmp_path / "renders"
    assert main(["render", *argv, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("rnn3d: error: "), err
    assert message in err
    assert not out.exists()


def _pixels(path: Path) -> np.ndarray:
    from PIL import Image

    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"))


def test_render_shot_and_part_to_png(
    tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "renders"
    assert (
        main(
            [
                "render",
                "r3",
                "rnn",
                "--format",
                "png",
                "--jobs",
                "2",
                "--out",
                str(out),
                "--text",
                "hi there",
            ]
        )
        == 0
    )
    shot_png, part_png = out / "R3_480p15.png", out / "rnn_480p15.png"
    assert sorted(os.listdir(out)) == sorted([shot_png.name, part_png.name])  # no temp left
    printed = capsys.readouterr().out
    assert f"wrote {shot_png}" in printed and f"wrote {part_png}" in printed
    shot, part = _pixels(shot_png), _pixels(part_png)
    assert shot.shape == part.shape == (480, 854, 3)
    # R3 stops after three shots, the part runs all six; each square is 0.8 units wide (the
    # text has 8 characters), and the frame is 8 units = 480 pixels high
    square = (0.8 * 480 / 8) ** 2
    lit = [(img.max(axis=2) > 128).sum() for img in (shot, part)]
    assert lit == [pytest.approx(3 * square, rel=0.05), pytest.approx(6 * square, rel=0.05)]


def test_render_to_mp4(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "renders"
    assert main(["render", "L2", "--out", str(out)]) == 0
    assert os.listdir(out) == ["L2_480p15.mp4"]
    assert (out / "L2_480p15.mp4").read_bytes()[4:8] == b"ftyp"  # an MP4 container


def test_failed_render_keeps_the_earlier_file(
    tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "renders"
    out.mkdir()
    earlier = out / "R1_480p15.png"
    earlier.write_bytes(b"an earlier render")
    monkeypatch.setitem(render_cmd.PART_SCENES, "rnn", (tiny, "BrokenRNN"))
    assert main(["render", "R1", "--format", "png", "--out", str(out)]) == 1
    assert "rendering R1 failed" in capsys.readouterr().err
    assert os.listdir(out) == [earlier.name]
    assert earlier.read_bytes() == b"an earlier render"


def test_interrupt_stops_manim_and_leaves_nothing(tiny: Path, tmp_path: Path) -> None:
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    out, cache = tmp_path / "renders", tmp_path / "cache"
    proc = subprocess.Popen(
        [sys.executable, str(driver), str(tiny), "SlowRNN", "render", "R1", "--out", str(out)],
        env=os.environ | {"RNN3D_CACHE": str(cache)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not (out.exists() and list(out.rglob("*.mp4"))):  # Manim is writing frames
        assert proc.poll() is None and time.monotonic() < deadline, "render never started"
        time.sleep(0.2)
    proc.send_signal(signal.SIGINT)  # to the command only: it must stop Manim itself
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert err.endswith("rnn3d: interrupted\n")
    assert os.listdir(out) == []
    assert not list((cache / "renders").glob("*.*"))  # no clip


@pytest.mark.parametrize("tty", [True, False])
def test_interrupted_starts_its_own_line_on_a_terminal(
    tty: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a terminal a progress bar's line is open when Ctrl-C comes: the message goes on a
    line of its own, not after the bar; into a pipe or a file it is the one line, as ever."""
    import io

    from scenes.cli import list_cmd

    class Stderr(io.StringIO):
        def isatty(self) -> bool:
            return tty

    def interrupted(_args: object) -> int:
        sys.stderr.write(" 40%|####      | 12/30")  # a bar's line, left open
        raise KeyboardInterrupt

    monkeypatch.setattr(list_cmd, "run", interrupted)
    monkeypatch.setattr(sys, "stderr", Stderr())
    assert main(["list"]) == 130
    ending = "\nrnn3d: interrupted\n" if tty else "12/30rnn3d: interrupted\n"
    assert sys.stderr.getvalue().endswith(ending)


def test_real_shot_renders_to_png(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    scene_file, _ = render_cmd.PART_SCENES["rnn"]
    if not scene_file.exists():
        pytest.skip(f"{scene_file} is not written yet")
    out = tmp_path / "renders"
    assert main(["render", "R1", "--format", "png", "--out", str(out)]) == 0
    assert _pixels(out / "R1_480p15.png").shape == (480, 854, 3)
    # rnn3d's lines only: the child's Manim printed its banner, "Manim Community v0.21.0"
    assert capfd.readouterr().out.splitlines() == [
        "rnn3d: rendered R1 (1 of 1)",
        f"rnn3d: wrote {out / 'R1_480p15.png'}",
    ]


def test_real_lstm_shot_with_own_weights(tmp_path: Path) -> None:
    scene_file, _ = render_cmd.PART_SCENES["lstm"]
    if not scene_file.exists():
        pytest.skip(f"{scene_file} is not written yet")
    weights = _weights(tmp_path, "lstm", 4)  # reads the 4 characters of "hello"
    out = tmp_path / "renders"
    assert main(["render", "L1", "--weights", weights, "--format", "png", "--out", str(out)]) == 0
    assert _pixels(out / "L1_480p15.png").shape == (480, 854, 3)


def test_notes_on_an_assumed_vocabulary_and_vocab_option(
    tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fixtures = Path(__file__).parent / "fixtures"
    with np.load(fixtures / "char_rnn_sorted.npz", allow_pickle=False) as ref:
        text, vocab = str(ref["text"]), "".join(ref["vocab"].tolist())
    argv = [
        "render",
        "R1",
        "--format",
        "png",
        "--text",
        text,
        "--weights",
        str(fixtures / "char_rnn_sorted.safetensors"),
        "--out",
        str(tmp_path / "r"),
    ]
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert err.count("rnn3d: note:") == 2 and f"--vocab {vocab!r}" in err
    assert main([*argv, "--vocab", vocab]) == 0
    assert "rnn3d: note:" not in capsys.readouterr().err
    assert main([*argv, "--vocab", vocab[:-1]]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not in the model's vocabulary" in err


def test_a_history_loss_too_large_to_write_out_is_refused_before_manim(tmp_path: Path) -> None:
    """Manim's layout failed on the readout's 301 digits of 1e300 (exit 1, a traceback)."""
    from scenes.story_lstm import read_history

    (tmp_path / "loss.csv").write_text("1e300\n1e-300\n1\n")
    with pytest.raises(RnnError, match="the loss reaches 1e[+]300, too large to replay"):
        read_history(str(tmp_path / "loss.csv"), init_model("lstm", 4, 3, 1, 4, seed=0))


def test_an_npz_that_is_no_history_says_so(tmp_path: Path) -> None:
    """It said "'loss is not a file in the archive'" (numpy's KeyError)."""
    from scenes.story_lstm import read_history

    model = init_model("lstm", 4, 3, 1, 4, seed=0)
    np.savez(tmp_path / "weights.npz", **model.params)
    with pytest.raises(RnnError, match="is not a training history [(]it has no loss[)]: give"):
        read_history(str(tmp_path / "weights.npz"), model)


def test_an_unreadable_history_says_what_to_give(tmp_path: Path) -> None:
    from scenes.story_lstm import read_history

    (tmp_path / "junk.npz").write_bytes(b"PK\x03\x04 junk")
    with pytest.raises(RnnError, match=r"readable training history \(.*\): give the .history.npz"):
        read_history(str(tmp_path / "junk.npz"), init_model("lstm", 4, 3, 1, 4, seed=0))


def test_history_option_is_checked_before_rendering(
    tiny: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    weights = _weights(tmp_path, "lstm", 4)
    (tmp_path / "loss.csv").write_text("1.0\n0.5\n0.2\n")
    base = ["--weights", weights, "--format", "png", "--out", str(tmp_path / "r")]
    assert main(["render", "L6", *base, "--history", str(tmp_path / "loss.csv")]) == 0
    for argv, message in [
        (["R1", "--history", str(tmp_path / "loss.csv")], "shot L6"),
        (["L6", "--history", str(tmp_path / "none.npz")], "does not exist"),
    ]:
        capsys.readouterr()
        assert main(["render", *argv, *base]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and message in err, err
