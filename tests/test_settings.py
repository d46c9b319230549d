"""Settings from RNN3D_* variables: checked like rnn3d render's options, relative file names
against the current directory, and the plain-Manim route's one-line errors."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
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
    "settings, message",
    [
        (Settings(steps="two"), "{steps} 'two' is not of the form A:B"),
        (Settings(steps="0:20"), "{steps} 0:20 is outside the sequence of 4 steps"),
        (Settings(step=7), "{step} 7 is outside the drawn window 0:4"),
        (Settings(vocab="ab", data="x.csv"), "{vocab} goes with {text}: numeric data"),
        (Settings(history="h.npz"), "{history} goes with {weights}: it replays"),
        (Settings(vocab="helo\x01"), "{vocab}: vocabulary entry 4 '\\x01' has U+0001"),
        (Settings(vocab="helo\x01"), "draws as nothing: remove it from {vocab}"),
    ],
)
@pytest.mark.parametrize("from_variables", [False, True], ids=["rnn3d", "plain Manim"])
def test_messages_name_what_the_user_set(
    settings: Settings, message: str, from_variables: bool
) -> None:
    """rnn3d's options to rnn3d, RNN3D_* variables to plain Manim: one mechanism
    (Settings.named), each message naming what the user actually wrote."""
    from scenes.story import load_story, zoom_step
    from scenes.story_lstm import training_history

    settings = replace(settings, from_variables=from_variables)
    named = {k: settings.named(k) for k in ("steps", "step", "vocab", "text", "history", "weights")}
    with pytest.raises(RnnError) as err:
        story = load_story("lstm", settings)
        zoom_step(story, settings)
        training_history(settings, story.model)
    assert message.format(**named) in str(err.value)
    other = "--" if from_variables else "RNN3D_"
    assert other not in str(err.value)


def test_rnn3d_render_s_children_name_its_options(env: pytest.MonkeyPatch) -> None:
    """A child of rnn3d render gets its options in RNN3D_* variables too; they are options."""
    env.setenv("RNN3D_STEPS", "1:3")
    assert Settings.from_env().named("steps") == "RNN3D_STEPS"
    env.setenv("RNN3D_PARENT", "1")
    assert Settings.from_env().named("steps") == "--steps"
    # where they came from is no setting: no variable of its own, equal settings
    assert set(Settings.from_env().to_env()) == {"RNN3D_STEPS", "RNN3D_LANG", "RNN3D_CAPTIONS"}
    assert Settings.from_env() == Settings(steps="1:3")


@pytest.mark.parametrize(
    "variables, message",
    [
        ({"RNN3D_STEP": "x"}, "RNN3D_STEP='x' is not a whole number"),
        ({"RNN3D_DATA": "missing.csv"}, "missing.csv does not exist"),
        # checked as --text is: Manim crashed on it (IndexError, status 1)
        ({"RNN3D_TEXT": "he\rllo"}, "RNN3D_TEXT character 3 is U+000D, a control character"),
        # checked as --vocab is: Pango crashed on it
        ({"RNN3D_VOCAB": "helo\x01"}, "vocabulary entry 4 '\\x01' has U+0001"),
        # named as the user gave it, not as rnn3d's option (--steps, --vocab)
        ({"RNN3D_STEPS": "90:98"}, "RNN3D_STEPS 90:98 is outside the sequence of 4 steps"),
        ({"RNN3D_VOCAB": "helo\x01"}, "remove it from RNN3D_VOCAB"),
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
