"""Every part and shot the tool can render: id and title (their lengths are measured from the
scenes: scenes/lengths.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Shot:
    id: str
    part: str
    title: str


SHOTS: list[Shot] = [
    Shot("R1", "rnn", "A plain network"),
    Shot("R2", "rnn", "Deeper, not longer"),
    Shot("R3", "rnn", "Turn to 3D and unroll along time"),
    Shot("R4", "rnn", "Links through time share W_S"),
    Shot("R5", "rnn", "The equation"),
    Shot("R6", "rnn", "Iterate"),
    Shot("L1", "lstm", "Short memory"),
    Shot("L2", "lstm", "A second chain"),
    Shot("L3", "lstm", "Zoom into one step: eraser and pencil"),
    Shot("L4", "lstm", "The new diary"),
    Shot("L5", "lstm", "Back to the textbook"),
    Shot("L6", "lstm", "Training"),
]

PART_TITLES = {"rnn": "Part 1: RNN", "lstm": "Part 2: LSTM"}


def shots_of(part: str) -> list[Shot]:
    return [s for s in SHOTS if s.part == part]


def find_shot(shot_id: str) -> Shot | None:
    return next((s for s in SHOTS if s.id.lower() == shot_id.lower()), None)
