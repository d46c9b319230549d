"""Settings from RNN3D_* variables: checked like rnn3d render's options, relative file names
against the current directory, and the plain-Manim route's one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rnncore import RnnError
from scenes.settings import Settings

ROOT = Path(__file__).parent.parent


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for key in list(os.environ):
        if key.startswith("RNN3D_") and key != "RNN3D_CACHE":
            monkeypatch.delenv(key)
    return monkeypatch


def test_relative_files_resolve_against_the_current_directory(
    env: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    env.chdir(tmp_path)
    env.setenv("RNN3D_DATA", "series.csv")
    env.setenv("RNN3D_WEIGHTS", "sub/w.safetensors")
    env.setenv("RNN3D_VOCAB", "v.json")
    s = Settings.from_env()
    assert s.data == str(tmp_path / "series.csv")
    assert s.weights == str(tmp_path / "sub" / "w.safetensors")
    assert s.vocab == str(tmp_path / "v.json")
    env.setenv("RNN3D_VOCAB", "ehlo")  # characters, not a file
    assert Settings.from_env().vocab == "ehlo"


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("RNN3D_STEP", "two", "RNN3D_STEP='two' is not a whole number"),
        ("RNN3D_LANG", "fr", "unknown language 'fr'"),
        ("RNN3D_SHOT", "R9", "RNN3D_SHOT='R9' is not a shot"),
        ("RNN3D_TEXT", "he\rllo", r"RNN3D_TEXT character 3 is U\+000D"),
    ],
)
def test_bad_values_are_one_clear_line(
    env: pytest.MonkeyPatch, name: str, value: str, message: str
) -> None:
    env.setenv(name, value)
    with pytest.raises(RnnError, match=message) as err:
        Settings.from_env()
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    "variables, message",
    [
        ({"RNN3D_STEP": "x"}, "RNN3D_STEP='x' is not a whole number"),
        ({"RNN3D_DATA": "missing.csv"}, "missing.csv does not exist"),
        # checked as --text is: Manim crashed on it (IndexError, status 1)
        ({"RNN3D_TEXT": "he\rllo"}, "RNN3D_TEXT character 3 is U+000D, a control character"),
        # checked as --vocab is: Pango crashed on it
        ({"RNN3D_VOCAB": "helo\x01"}, "vocabulary entry 4 '\\x01' has U+0001"),
    ],
)
def test_plain_manim_bad_value_is_one_line_without_traceback(
    tmp_path: Path, variables: dict[str, str], message: str
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RNN3D_")}
    env.update(variables, PYTHONPATH=str(ROOT), RNN3D_SHOT="R1")
    if "RNN3D_CACHE" in os.environ:
        env["RNN3D_CACHE"] = os.environ["RNN3D_CACHE"]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "manim",
            "-ql",
            "-s",
            "--progress_bar",
            "none",
            str(ROOT / "scenes" / "rnn_part.py"),
            "RNNPart",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("rnn3d: error: ") and done.stderr.count("\n") == 1, done.stderr
    assert message in done.stderr and "Traceback" not in done.stdout + done.stderr
    if "RNN3D_DATA" in variables:  # named where the user is, not where the scenes are
        assert str(tmp_path / "missing.csv") in done.stderr
