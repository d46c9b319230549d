"""Output formats and captions: the options, what Manim is asked to write for each, and the
finishing step that turns Manim's movie into the delivered file.

Manim writes the picture: mp4 (H.264), webm (VP9, with alpha when transparent), mov (H.264,
or QuickTime Animation with alpha when transparent), or the last frame as png (with alpha when
transparent). A gif is made from Manim's movie, smaller (GIF_WIDTH, GIF_FPS) and with a palette
of its own. Then ffmpeg copies the video stream (nothing is encoded again) into the delivered
file: mp4 and mov with the moov box first (faststart: browsers and PowerPoint play it while it
loads), and with the subtitles as a soft track when captions are written (mov_text in mp4 and
mov, WebVTT in webm). The .srt and .vtt go beside the video.

Used by `rnn3d render` and shared with the commands that render too (the options and their
checks are defined once, here).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from rnncore import RnnError
from scenes.settings import CAPTION_MODES
from scenes.subtitles import Cue, write_subtitles

FORMATS = ("mp4", "webm", "gif", "mov", "png")
GIF_WIDTH = 640  # pixels at most: a gif is for a web page or an issue, not a screen
GIF_FPS = 15  # frames per second at most; a smooth enough gif stays a few MB a minute
LANG_TAGS = {"en": "eng", "zh": "chi"}  # ISO 639-2, as players read a track's language
SUBTITLE_CODECS = {".mp4": "mov_text", ".mov": "mov_text", ".webm": "webvtt"}


def add_format_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="mp4",
        help="mp4 (default), webm, gif (sized for a web page), mov, or png: "
        "the target's last frame",
    )
    parser.add_argument(
        "--transparent",
        action="store_true",
        help="keep the background transparent (alpha): webm, mov, png or gif",
    )


def add_captions_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--captions",
        choices=CAPTION_MODES,
        default="burn",
        help="burn: in the picture (default); srt: not in the picture but "
        "beside it (a video: .srt, .vtt and a subtitle track; a deck "
        "keeps them as speaker notes); both; none",
    )


def check_format(fmt: str, transparent: bool) -> None:
    """RnnError for a combination that cannot be written, or a missing ffmpeg."""
    if transparent and fmt == "mp4":
        raise RnnError(
            "mp4 cannot keep a transparent background: use --format webm (VP9 "
            "with alpha) or mov (with alpha), or leave out --transparent"
        )
    if fmt != "png" and shutil.which("ffmpeg") is None:
        raise RnnError(
            "ffmpeg is missing (not found on PATH), and videos are finished with "
            "it: run scripts/setup.sh, or sudo apt install ffmpeg"
        )


def writes_subtitles(fmt: str, captions: str) -> bool:
    return fmt != "png" and captions in ("srt", "both")


def manim_flags(fmt: str, transparent: bool) -> list[str]:
    """The options of `manim render` that make it write the picture for this format."""
    flags = ["-t"] if transparent else []
    if fmt == "png":  # one frame: nothing to show progress of
        return [*flags, "-s", "--progress_bar", "none"]
    return [*flags, "--format", manim_suffix(fmt, transparent)[1:]]


def manim_config(fmt: str, transparent: bool) -> str:
    """Lines for the child's manim.cfg. Manim warns that the format "changed to support
    transparency" whenever a movie is not an mp4 (even when it writes only a png), unless
    the suffix it will settle on is configured first."""
    movie = manim_suffix(fmt, transparent)
    if fmt == "png":  # no movie is written, but Manim still settles on a suffix
        movie = ".mov" if transparent else ".mp4"
    return f"movie_file_extension = {movie}\n"


def manim_suffix(fmt: str, transparent: bool) -> str:
    """The suffix of the file Manim writes (a gif is made from a movie)."""
    if fmt == "gif":
        return ".mov" if transparent else ".mp4"
    return f".{fmt}"


def finish(movie: Path, dest: Path, cues: Sequence[Cue] | None, lang: str) -> list[Path]:
    """Make `dest` (its suffix says the format) from Manim's file `movie`, in movie's folder,
    with the subtitles when `cues` is given; return the files made, video last (the caller
    moves them into place in that order, so the video never goes out before its
    subtitles)."""
    made = movie.with_name(f"finished{dest.suffix}")
    subtitles = write_subtitles(cues, made) if cues is not None else []
    if dest.suffix == ".png":
        movie.replace(made)
    elif dest.suffix == ".gif":
        _ffmpeg(["-i", str(movie), "-filter_complex", _gif_filter(movie), "-loop", "0", str(made)])
    else:
        _ffmpeg(_remux_args(movie, subtitles[0] if cues else None, lang, made))
    return [*subtitles, made]


def _remux_args(movie: Path, srt: Path | None, lang: str, out: Path) -> list[str]:
    args = ["-i", str(movie)]
    if srt is not None:
        args += [
            "-i",
            str(srt),
            "-map",
            "0:v",
            "-map",
            "1:s",
            "-c:s",
            SUBTITLE_CODECS[out.suffix],
            "-metadata:s:s:0",
            f"language={LANG_TAGS.get(lang, 'und')}",
        ]
    args += ["-c:v", "copy"]
    if out.suffix in (".mp4", ".mov"):
        args += ["-movflags", "+faststart"]
    return [*args, str(out)]


def _gif_filter(movie: Path) -> str:
    """Fewer frames, smaller, and one palette made for this video (dithered, only the changed
    rectangle of each frame redrawn); a transparent movie keeps a transparent colour."""
    import av

    with av.open(str(movie)) as video:
        stream = video.streams.video[0]
        alpha = "a" in (stream.codec_context.pix_fmt or "")
        width = min(GIF_WIDTH, stream.codec_context.width)
        fps = min(GIF_FPS, float(stream.average_rate or GIF_FPS))
    reserve = ":reserve_transparent=1" if alpha else ":reserve_transparent=0"
    threshold = ":alpha_threshold=128" if alpha else ""
    return (
        f"fps={fps:g},scale={width}:-2:flags=lanczos,split[a][b];"
        f"[a]palettegen=stats_mode=diff{reserve}[p];"
        f"[b][p]paletteuse=dither=bayer:bayer_scale=5:diff_mode=rectangle{threshold}"
    )


def _ffmpeg(args: list[str]) -> None:
    done = subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-y", *args], capture_output=True, text=True
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise RnnError(f"ffmpeg could not finish {args[-1]}: {last}")
