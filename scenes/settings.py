"""What a render is about: data, weights, window, language, captions. Read from RNN3D_*
environment variables so that plain `manim -ql scenes/rnn_part.py RNNPart` works with the
defaults and the `rnn3d render` command can pass its options to Manim (in process or in a
child process).

Both routes check the values the same way (RnnError: one line, exit 2) and resolve relative
file names against the current directory when they are read, so a child process running
elsewhere gets absolute ones."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import Field, dataclass, field, fields, replace

from rnncore import RnnError

from .drawable import check_text

LANGS = ("en", "zh")
FILES = ("data", "weights", "history")  # fields naming a file

# --captions: burned into the picture, written as subtitle files (.srt, .vtt, and a soft track
# in the video), both, or neither
CAPTION_MODES = ("burn", "srt", "both", "none")


def option(setting: str) -> str:
    """The rnn3d option that gives a setting: steps -> --steps."""
    return f"--{setting}"


def variable(setting: str) -> str:
    """The environment variable that gives a setting to plain Manim: steps -> RNN3D_STEPS."""
    return f"RNN3D_{setting.upper()}"


def check_vocab_goes_with_text(
    vocab: str | None, data: str | None, named: Callable[[str], str] = option
) -> None:
    """--vocab names the characters of a text: render, train and trace refuse it beside
    --data with this one line (named: how the user gives a setting, see Settings.named)."""
    if vocab and data:
        raise RnnError(
            f"{named('vocab')} goes with {named('text')}: numeric data has no characters"
        )


@dataclass(frozen=True)
class Settings:
    text: str | None = None  # --text: a text to read instead of the built-in default
    data: str | None = None  # --data: a CSV or .npy file of numeric features
    weights: str | None = None  # --weights: trained weights; default: the built-in trained model
    vocab: str | None = None  # --vocab: the weights' characters in index order, or a .json list
    history: str | None = None  # --history: the training history L6 replays
    steps: str | None = None  # --steps A:B, the window of time steps drawn (at most 8)
    step: int | None = None  # --step T, the step L3/L4 zoom into (default: chosen from the gates)
    lang: str = "en"  # --lang en|zh, caption language
    captions: str = "burn"  # --captions burn|srt|both|none: burned into the picture or not
    shot: str | None = None  # render only this shot (R1..R6, L1..L6); earlier shots are skipped
    # Where the user gave these, for messages to name it: rnn3d's options (--steps, also in
    # rnn3d render's children) or plain Manim's variables (RNN3D_STEPS). Not a setting: no
    # variable of its own, and no part of a render's key (see setting_fields()).
    from_variables: bool = field(default=False, compare=False)

    @property
    def burns_captions(self) -> bool:
        """Whether the captions are drawn into the picture (else it has no caption band)."""
        return self.captions in ("burn", "both")

    def __post_init__(self) -> None:
        if self.lang not in LANGS:
            raise RnnError(f"unknown language {self.lang!r}: use {' or '.join(LANGS)}")
        if self.captions not in CAPTION_MODES:
            raise RnnError(
                f"unknown captions mode {self.captions!r}: use {', '.join(CAPTION_MODES)}"
            )

    def named(self, setting: str) -> str:
        """How the user gave a setting: --steps to rnn3d, RNN3D_STEPS to plain Manim."""
        return variable(setting) if self.from_variables else option(setting)

    def as_dict(self) -> dict[str, object]:
        """The settings by name, not where they came from: what a render depends on."""
        return {f.name: getattr(self, f.name) for f in setting_fields()}

    @classmethod
    def from_env(cls) -> Settings:
        """The settings in RNN3D_* variables: plain Manim's (checked and named as such), or
        those rnn3d render gave its child (RNN3D_PARENT set), whose options they are."""
        values: dict[str, object] = {"from_variables": "RNN3D_PARENT" not in os.environ}
        for f in setting_fields():
            name = variable(f.name)
            raw = os.environ.get(name)
            if raw is None or raw == "":
                continue
            if f.name == "step":
                try:
                    values[f.name] = int(raw)
                except ValueError:
                    raise RnnError(
                        f"{name}={raw!r} is not a whole number: give the 0-based "
                        f"step to zoom into, such as {name}=2"
                    ) from None
            elif f.name == "text":
                values[f.name] = check_text(raw, name)
            else:
                values[f.name] = raw
        if values.get("shot") is not None:
            from .shots import find_shot

            if find_shot(str(values["shot"])) is None:
                raise RnnError(
                    f"RNN3D_SHOT={values['shot']!r} is not a shot: use an id such as "
                    f"R3 or L6 (rnn3d list shows them all)"
                )
        return cls(**values).resolved()  # type: ignore[arg-type]

    def resolved(self) -> Settings:
        """The same settings with relative file names made absolute (against the current
        directory), so they mean the same file from any other directory."""
        paths = {name: os.path.abspath(value) for name in FILES if (value := getattr(self, name))}
        if self.vocab and self.vocab.lower().endswith(".json"):
            paths["vocab"] = os.path.abspath(self.vocab)
        return replace(self, **paths)

    def to_env(self) -> dict[str, str]:
        return {
            variable(f.name): str(getattr(self, f.name))
            for f in setting_fields()
            if getattr(self, f.name) is not None
        }


def setting_fields() -> list[Field]:
    """The fields of Settings that are settings, each given by an option or a variable."""
    return [f for f in fields(Settings) if f.name != "from_variables"]
