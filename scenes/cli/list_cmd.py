"""`rnn3d list`: every part and its shots, with the id to pass to `rnn3d render`."""

from __future__ import annotations

import argparse

from scenes.shots import PART_TITLES, shots_of


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = "Render any id shown here with: rnn3d render ID (for example rnn3d render R3)."


def run(args: argparse.Namespace) -> int:
    from scenes.lengths import shot_lengths

    for part, title in PART_TITLES.items():
        shots = shots_of(part)
        seconds = shot_lengths(part)  # measured from the scenes (cached after the first time)
        print(f"{part:<6}{title:<42}{sum(seconds.values()):>5.0f} s")
        for shot in shots:
            print(f"  {shot.id:<4}{shot.title:<42}{seconds[shot.id]:>5.0f} s")
    return 0
