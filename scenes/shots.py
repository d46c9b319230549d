"""Every part and shot the tool can render: id, title and a nominal length (seconds), used
only to share render work out; `rnn3d list` shows the lengths measured from the scenes
(scenes/lengths.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Shot:
    id: str
    part: str
    title: str
    seconds: float


SHOTS: list[Shot] = [
    Shot("R1", "rnn", "A plain network", 21),
    Shot("R2", "rnn", "Deeper, not longer", 12),
    Shot("R3", "rnn", "Turn to 3D and unroll along time", 19),
    Shot("R4", "rnn", "Links through time share W_s", 19),
    Shot("R5", "rnn", "The equation", 19),
    Shot("R6", "rnn", "Iterate", 24),
    Shot("L1", "lstm", "Short memory", 15),
    Shot("L2", "lstm", "A second chain", 18),
    Shot("L3", "lstm", "Zoom into one step: eraser and pencil", 30),
    Shot("L4", "lstm", "The new diary", 20),
    Shot("L5", "lstm", "Back to the textbook", 25),
    Shot("L6", "lstm", "Training", 20),
]

PART_TITLES = {"rnn": "Part 1: RNN", "lstm": "Part 2: LSTM"}


def shots_of(part: str) -> list[Shot]:
    return [s for s in SHOTS if s.part == part]


def find_shot(shot_id: str) -> Shot | None:
    return next((s for s in SHOTS if s.id.lower() == shot_id.lower()), None)
