"""`rnn3d render TARGET...`: render parts or single shots to video (mp4, webm, gif, mov) or
their last frame to png, with their captions burned in or as subtitles (scenes/cli/formats.py).

A target is made of clips, each rendered by one child process: a part's video is its shots,
rendered as separate jobs (a shot starts from the picture in which the previous one ends) and
joined without re-encoding (join.py); a still is the last shot's last frame. Clips are kept in
the render cache (render_cache.py), so only clips whose inputs changed are rendered again, and
a target whose file is as it was written is left alone ("up to date").

Everything that can be wrong with the input is checked here, in process, before Manim starts:
targets, data, weights, window, the text's characters, LaTeX. Then each target renders in its
own child process, `manim render ...` (through scenes/cli/render_child.py, which makes it die
with this process and say faults of the machine in one line), because Manim's config is
global to a process (a child gets a clean one per target), its progress bars show as they are,
Ctrl-C stops it cleanly, and several targets can render in parallel on several cores
(--jobs). This process never imports Manim, so bad input fails in well under a second.

A child writes into a temporary directory (for `render`, in the render cache); a target's
files are made (joined, finished for the format, subtitles) in a temporary directory inside
the output directory and moved into place with os.replace (atomic on one file system), so a
failed or interrupted render leaves no partial file and keeps an earlier render at the same
path intact. The directories are named after this run (processes), so the next run removes
them if this one was killed outright.
"""

from __future__ import annotations

import argparse
import errno
import os
import shutil
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

from rnncore import RnnError, system_fault
from rnncore.files import check_name_length, nearest_existing
from scenes.cli import (
    formats,
    given,
    manim_cache,
    not_empty,
    print_notes,
    processes,
    whole_number,
)
from scenes.cli.render_cache import ClipCache, Keys, cache_limit, digest
from scenes.cli.render_jobs import QUALITIES, SCENES_DIR, Job, output_stem
from scenes.cli.render_run import (
    Clip,
    Delivery,
    Target,
    choose_jobs,
    render_clips,
    sigterm_interrupts,
)
from scenes.drawable import check_text
from scenes.settings import Settings, option
from scenes.shots import PART_TITLES, find_shot, shots_of

# The scene of each part: the file Manim renders and the class in it.
PART_SCENES: dict[str, tuple[Path, str]] = {
    "rnn": (SCENES_DIR / "rnn_part.py", "RNNPart"),
    "lstm": (SCENES_DIR / "lstm_part.py", "LSTMPart"),
}
LATEX_TOOLS = ("latex", "dvisvgm")
LATEX_PACKAGES = (
    "texlive-latex-base texlive-latex-recommended texlive-latex-extra "
    "texlive-fonts-recommended dvisvgm"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_target_arguments(parser)
    formats.add_format_arguments(parser)
    parser.add_argument(
        "--force", action="store_true", help="render again even what the render cache holds"
    )
    parser.epilog = (
        "examples: rnn3d render rnn; rnn3d render R3 --format png; "
        "rnn3d render all -q h; rnn3d render lstm --text 'hello world'"
    )


def add_target_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of every command that renders targets (render, slides): what to render,
    from which data and weights, at which quality, into which directory."""
    parser.add_argument(
        "targets",
        nargs="+",
        metavar="TARGET",
        help="a part (rnn, lstm), a shot id (R1..R6, L1..L6; see rnn3d list) or all (every part)",
    )
    parser.add_argument(
        "-q",
        "--quality",
        choices=list(QUALITIES),
        default="l",
        help="l 480p15 (default), m 720p30, h 1080p60, k 2160p60",
    )
    formats.add_captions_argument(parser)
    data = parser.add_mutually_exclusive_group()
    data.add_argument("--text", help='a text to read instead of the built-in "hello"')
    data.add_argument(
        "--data", type=given, metavar="FILE", help="numeric data: .csv or .npy, rows are steps"
    )
    parser.add_argument(
        "--weights",
        type=given,
        metavar="FILE",
        help="trained weights (.safetensors, .npz, .pt, .keras, .weights.h5); default: "
        "the built-in model trained on the data",
    )
    parser.add_argument(
        "--vocab",
        type=not_empty,
        metavar="CHARS|FILE.json",
        help="with --text: the model's characters in index order, as a string or a "
        ".json list (default: the --weights file's, else the text's characters in order "
        "of first appearance); without --weights, the order the built-in model learns",
    )
    parser.add_argument(
        "--history",
        type=given,
        metavar="FILE",
        help="with --weights: the training history shot L6 replays, the "
        ".history.npz rnn3d train writes or a .csv of the loss per step "
        "(default: the one beside --weights, else an LSTM trained here)",
    )
    parser.add_argument(
        "--steps",
        type=not_empty,
        metavar="A:B",
        help="the time steps drawn, 0-based, B exclusive, at most 8; A: is up to 8 from A, "
        ":B up to 8 ending at B (default: the first 8)",
    )
    parser.add_argument(
        "--step",
        type=int,
        metavar="T",
        help="the step the LSTM shots L3 and L4 zoom into, 0-based, inside the "
        "window (default: one where the forget gate erases)",
    )
    parser.add_argument("--lang", choices=["en", "zh"], default="en", help="caption language")
    parser.add_argument(
        "--out",
        type=given,
        default="renders",
        metavar="DIR",
        help="output directory (default: renders/)",
    )
    parser.add_argument(
        "--jobs",
        type=whole_number(1),
        metavar="N",
        help="render up to N shots at once, one process each (default: as many "
        "as there are cores and memory for at the quality)",
    )


def resolve_targets(names: list[str]) -> list[Target]:
    """Part names, shot ids (any case) and `all` -> targets, in order, without repeats."""
    targets: list[Target] = []
    for name in names:
        key = name.lower()
        if key == "all":
            found = [Target(part, part, None) for part in PART_TITLES]
        elif key in PART_TITLES:
            found = [Target(key, key, None)]
        elif (shot := find_shot(name)) is not None:
            found = [Target(shot.id, shot.part, shot.id)]
        else:
            raise RnnError(
                f"unknown target {name!r}: use a part ({', '.join(PART_TITLES)}), "
                "a shot id such as R3 (rnn3d list shows them all) or all"
            )
        targets += [t for t in found if t not in targets]
    return targets


def hint_for_left_over(args: argparse.Namespace, left_over: list[str]) -> str | None:
    """`rnn3d render R3 -q l R5`: the targets end where the options begin, and argparse
    left R5 over; say where it goes."""
    if all(_is_target(word) for word in left_over):
        targets = " ".join([*args.targets, *left_over])
        return f"; name all targets first, before any option: {targets}"
    return None


def _is_target(word: str) -> bool:
    return word.lower() == "all" or word.lower() in PART_TITLES or find_shot(word) is not None


def check_latex() -> None:
    missing = [tool for tool in LATEX_TOOLS if shutil.which(tool) is None]
    if missing:
        raise RnnError(
            f"LaTeX is missing ({' and '.join(missing)} not found on PATH), and the "
            "formulas need it: run scripts/setup.sh, or sudo apt install "
            f"--no-install-recommends {LATEX_PACKAGES}"
        )


def check_scenes(targets: list[Target]) -> None:
    for part in dict.fromkeys(t.part for t in targets):
        path, _ = PART_SCENES[part]
        if not path.is_file():
            raise RnnError(f"the {part} part cannot be rendered: its scene file {path} is missing")


def check_stories(targets: list[Target], settings: Settings) -> None:
    """Build each needed part's story once: it raises RnnError for bad data, weights that do
    not fit the data or the cell, windows outside the sequence and a history of another model.
    It also trains (and caches) the default model before the children start, so they do not
    race to train it. Notes (an assumed vocabulary, ...) are printed once."""
    from scenes.story import load_story, zoom_step
    from scenes.story_lstm import training_history

    if settings.step is not None and not any(
        t.part == "lstm" and t.shot in (None, "L3", "L4") for t in targets
    ):
        raise RnnError(
            f"--step {settings.step} chooses the step shots L3 and L4 zoom into, and "
            f"no target shows them: drop --step, or render L3, L4 or lstm"
        )
    parts = list(dict.fromkeys(t.part for t in targets))
    if settings.history and "lstm" not in parts:
        raise RnnError(
            "--history is replayed by shot L6 of the lstm part: render lstm or L6, "
            "or drop --history"
        )
    notes: list[str] = []
    for part in parts:
        story = load_story(part, settings)
        notes += [n for n in story.notes if n not in notes]
        if part == "lstm":
            zoom_step(story, settings)  # --step must lie inside the window
            training_history(settings, story.model)
    print_notes(notes)


def check_out_name(out: str) -> None:
    path = Path(out)
    check_name_length(path, "give a shorter --out")  # not the machine's ENAMETOOLONG (exit 3)
    if path.exists() and not path.is_dir():
        raise RnnError(f"--out {out} is a file: give a directory")
    # one under a file was found only when the folder was made, after the models had trained,
    # and said as a fault of the machine (status 3), while train and trace call it bad input
    above = nearest_existing(path)
    if not above.is_dir():
        raise RnnError(f"--out {out} lies under the file {above}: give a directory")


def check_destinations(paths: list[Path]) -> None:
    """The files a run writes must not be folders: found before rendering, not after it."""
    for path in paths:
        if path.is_dir():
            raise RnnError(
                f"{path} is a directory, where rnn3d writes a file: move it away or "
                f"give another --out"
            )


def prepare_out_dir(out: str) -> Path:
    path = Path(out)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise system_fault(err, f"cannot make the --out directory {out}") from None
    if not os.access(path, os.W_OK):
        raise system_fault(
            PermissionError(errno.EACCES, "Permission denied"), f"cannot write into --out {out}"
        )
    processes.remove_stale(path)  # the temporary folders of runs killed outright
    manim_cache.heal()
    return path


def prepare(
    args: argparse.Namespace, check_output: Callable[[], None]
) -> tuple[list[Target], Settings, Path]:
    """Check everything add_target_arguments' options say, before Manim starts: the targets,
    their scenes, LaTeX, what the command writes (`check_output`), the data, weights and
    window (and train the default model), the output directory. RnnError for the first thing
    that is wrong."""
    targets, settings = check_request(args, check_output)
    check_stories(targets, settings)
    return targets, settings, prepare_out_dir(args.out)


def check_request(
    args: argparse.Namespace, check_output: Callable[[], None]
) -> tuple[list[Target], Settings]:
    """The checks of prepare() that need no story: targets, output, cache, scenes, LaTeX,
    text."""
    from rnncore.defaults import check_cache_dir

    targets = resolve_targets(args.targets)
    check_out_name(args.out)
    check_cache_dir()
    check_scenes(targets)
    check_latex()
    check_output()
    text = None if args.text is None else check_text(args.text)
    settings = Settings(
        text=text,
        data=args.data,
        weights=args.weights,
        vocab=args.vocab,
        history=args.history,
        steps=args.steps,
        step=args.step,
        lang=args.lang,
        captions=args.captions,
    ).resolved()
    check_passable(settings)
    return targets, settings


def check_passable(settings: Settings) -> None:
    """Each render child gets the options in RNN3D_* variables, and Linux refuses to start a
    process with one longer than 32 pages (MAX_ARG_STRLEN): a --text of 128 KB failed at the
    first child as "python: Argument list too long: check the file and the disk", a fault of
    the machine (status 3), after the model had trained on it."""
    if not sys.platform.startswith("linux"):
        return
    most = 32 * os.sysconf("SC_PAGE_SIZE") - 1  # with its NUL
    for name, value in settings.to_env().items():
        size = len(f"{name}={value}".encode(errors="surrogatepass"))
        if size > most:
            given = option(name.removeprefix("RNN3D_").lower())
            raise RnnError(
                f"{given} is {size - len(name) - 1:,} bytes in UTF-8, more than a render can "
                f"pass to Manim ({most - len(name) - 1:,} at most): give a shorter one"
            )


def plan(
    targets: list[Target], settings: Settings, quality: str, fmt: str, transparent: bool, out: Path
) -> list[Delivery]:
    """Each target's file and the clips it is made of: a still is its last shot's still, a
    video is its shots (or itself, a shot)."""
    keys = Keys(settings, quality, fmt, transparent, {PART_SCENES[t.part][0] for t in targets})
    deliveries = []
    for target in targets:
        part_shots = [s.id for s in shots_of(target.part)]
        if fmt == "png":
            shots = [target.shot or part_shots[-1]]
        else:
            shots = [target.shot] if target.shot else part_shots
        clips = [
            Clip(target.part, shot, keys.clip(PART_SCENES[target.part], part_shots, shot))
            for shot in shots
        ]
        dest = out / f"{output_stem(target, quality)}.{fmt}"
        deliveries.append(Delivery(target, dest, clips, digest(*(c.key for c in clips))))
    return deliveries


def render_cache() -> ClipCache:
    from rnncore.defaults import cache_dir

    cache_limit()  # a bad RNN3D_RENDER_CACHE_BYTES is said before rendering, not after
    return ClipCache(cache_dir() / "renders")


def run(args: argparse.Namespace) -> int:
    targets, settings = check_request(
        args, lambda: formats.check_format(args.format, args.transparent)
    )
    deliveries = plan(
        targets, settings, args.quality, args.format, args.transparent, Path(args.out)
    )
    check_destinations([d.dest for d in deliveries])
    cache = render_cache()
    if not args.force:
        for delivery in [d for d in deliveries if cache.is_up_to_date(d.dest, d.key)]:
            print(f"rnn3d: {delivery.dest} is up to date", flush=True)
            deliveries.remove(delivery)
    if not deliveries:
        return 0
    check_stories([d.target for d in deliveries], settings)
    out = prepare_out_dir(args.out)
    jobs = choose_jobs(args.jobs, args.quality, sum(len(d.clips) for d in deliveries))

    def start(clip: Clip, workdir: Path) -> Job:
        return Job(
            Target(clip.name, clip.part, clip.shot),
            settings,
            args.quality,
            args.format,
            workdir,
            PART_SCENES[clip.part],
            transparent=args.transparent,
            progress=jobs == 1,
        )

    from scenes.cli.join import assemble

    finish = partial(
        assemble,
        suffix=formats.manim_suffix(args.format, args.transparent),
        subtitles=formats.writes_subtitles(args.format, args.captions),
        lang=args.lang,
    )
    with sigterm_interrupts():
        return render_clips(deliveries, start, finish, cache, jobs, out, args.force)
