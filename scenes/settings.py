"""What a render is about: data, weights, window, language, captions. Read from RNN3D_* environment
variables so that plain `manim -ql scenes/rnn_part.py RNNPart` works with the defaults and the
`rnn3d render` command can pass its options to Manim (in process or in a child process)."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

# --captions: burned into the picture, written as subtitle files (.srt, .vtt, and a soft track
# in the video), both, or neither
CAPTION_MODES = ("burn", "srt", "both", "none")


@dataclass(frozen=True)
class Settings:
    text: str | None = None  # --text: a text to read instead of the built-in default
    data: str | None = None  # --data: a CSV or .npy file of numeric features
    weights: str | None = None  # --weights: trained weights; default: the built-in trained model
    steps: str | None = None  # --steps A:B, the window of time steps drawn (at most 8)
    step: int | None = None  # --step T, the step L3/L4 zoom into (default: chosen from the gates)
    lang: str = "en"  # --lang en|zh, caption language
    captions: str = "burn"  # --captions burn|srt|both|none: burned into the picture or not
    shot: str | None = None  # render only this shot (R1..R6, L1..L6); earlier shots are skipped

    @property
    def burns_captions(self) -> bool:
        """Whether the captions are drawn into the picture (else it has no caption band)."""
        return self.captions in ("burn", "both")

    @classmethod
    def from_env(cls) -> Settings:
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = os.environ.get(f"RNN3D_{f.name.upper()}")
            if raw is not None and raw != "":
                values[f.name] = int(raw) if f.name == "step" else raw
        return cls(**values)  # type: ignore[arg-type]

    def to_env(self) -> dict[str, str]:
        return {f"RNN3D_{f.name.upper()}": str(getattr(self, f.name))
                for f in fields(self) if getattr(self, f.name) is not None}
