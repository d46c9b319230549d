"""`rnn3d slides TARGET... --to html|pptx|pdf`: a deck per target, one slide per beat.

Takes every option of `rnn3d render` (the same code checks them). Each target renders in a
child Manim process as its slide scene (scenes/slides.py, built on manim-slides), which writes
one clip per beat and its caption as speaker notes; this process then converts the clips into
each deck asked for (scenes/decks.py), named like renders: rnn_480p15.html (with its assets
folder rnn_480p15_assets beside it), L3_1080p60.pptx, R2_480p15.pdf.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from scenes.cli import render_cmd
from scenes.cli.render_cmd import (
    add_target_arguments,
    check_destinations,
    prepare,
    resolve_targets,
)
from scenes.cli.render_jobs import SCENES_DIR, Job, output_stem, render_all
from scenes.cli.render_run import Target, choose_jobs
from scenes.decks import DECK_FORMATS, revealjs_version, write_deck
from scenes.settings import Settings
from scenes.shots import PART_TITLES, find_shot

# The slide scene of each part: the file Manim renders and the class in it.
SLIDE_SCENES: dict[str, tuple[Path, str]] = {
    "rnn": (SCENES_DIR / "slides.py", "RNNSlides"),
    "lstm": (SCENES_DIR / "slides.py", "LSTMSlides"),
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_target_arguments(parser)
    parser.add_argument(
        "--to",
        type=_deck_formats,
        default=["html"],
        metavar="FORMAT",
        help="html (default; reveal.js, works offline), pptx or pdf; several "
        "separated by commas (--to html,pdf) come from one render",
    )
    parser.epilog = (
        "examples: rnn3d slides rnn; rnn3d slides L3 --to pptx; "
        "rnn3d slides all --to html,pdf -q h --lang zh"
    )


def hint_for_left_over(args: argparse.Namespace, left_over: list[str]) -> str | None:
    """`--to html pptx pdf`: --to took html, and argparse left the other formats over (and
    targets named after the options, as for render)."""
    if all(word.lower() in DECK_FORMATS for word in left_over):
        formats = ",".join(dict.fromkeys([*args.to, *(w.lower() for w in left_over)]))
        return f"; for several decks, join the formats with commas: --to {formats}"
    return render_cmd.hint_for_left_over(args, left_over)


def _deck_formats(text: str) -> list[str]:
    formats = list(dict.fromkeys(f.strip().lower() for f in text.split(",")))
    unknown = [f for f in formats if f not in DECK_FORMATS]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown deck format {unknown[0]!r}: use "
            f"{', '.join(DECK_FORMATS)} (or several: html,pdf)"
        )
    return formats


class DeckJob(Job):
    """One target rendering as slides in a child Manim process; finish() writes its decks."""

    def __init__(
        self, target: Target, settings: Settings, quality: str, out: Path, formats: list[str]
    ):
        super().__init__(target, settings, quality, "mp4", out, scene=SLIDE_SCENES[target.part])
        self.decks = deck_paths(out, target, quality, formats)

    def finish(self) -> list[Path]:
        config_file = self.tmp / "slides" / f"{self.scene[1]}.json"  # manim-slides writes it
        self.check_exit(config_file.is_file(), self.decks[0])
        work = self.tmp / "decks"
        work.mkdir()
        return [
            write_deck(config_file, deck.suffix[1:], deck, deck_title(self.target), work)
            for deck in self.decks
        ]


def _check_decks(formats: list[str]) -> None:
    if "html" in formats:
        revealjs_version()  # RnnError if reveal.js is not installed


def deck_paths(out: Path, target: Target, quality: str, formats: list[str]) -> list[Path]:
    """The decks of a target, named like renders: rnn_480p15.html, L3_1080p60.pptx."""
    return [out / f"{output_stem(target, quality)}.{fmt}" for fmt in formats]


def _check_output(args: argparse.Namespace) -> None:
    _check_decks(args.to)
    check_destinations(
        [
            deck
            for target in resolve_targets(args.targets)
            for deck in deck_paths(Path(args.out), target, args.quality, args.to)
        ]
    )


def deck_title(target: Target) -> str:
    shot = find_shot(target.shot) if target.shot else None
    return f"{shot.id} {shot.title}" if shot else PART_TITLES[target.part]


def run(args: argparse.Namespace) -> int:
    targets, settings, out = prepare(args, lambda: _check_output(args))
    jobs = choose_jobs(args.jobs, args.quality, len(targets))
    return render_all(
        targets, jobs, lambda target: DeckJob(target, settings, args.quality, out, args.to)
    )
