"""A target's files from its clips: the movies of a part's shots joined without re-encoding
(or a single clip copied), their captions joined with the right offsets, then finished for the
format (scenes/cli/formats.py).

Every shot is encoded by Manim with the same codec settings, so their packets can be copied into
one container one after the other, as Manim itself joins the clips of a scene's animations:
FFmpeg's concat demuxer shifts each clip's timestamps to follow the one before.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import av

from scenes.cli import formats
from scenes.subtitles import join_srt_files

# Containers whose clips join by copying packets (every movie Manim writes for rnn3d).
JOINABLE = (".mp4", ".webm", ".mov")


def join_clips(clips: list[Path], dest: Path) -> None:
    """Write `clips` one after the other into `dest`, a file of the same container."""
    with tempfile.NamedTemporaryFile(
        "w", suffix=".txt", dir=dest.parent, prefix=".concat.", encoding="utf-8", delete=False
    ) as listing:
        for clip in clips:
            listing.write(f"file 'file:{clip.resolve().as_posix()}'\n")
    try:
        with (
            av.open(listing.name, format="concat", options={"safe": "0"}) as joined,
            av.open(str(dest), mode="w", format=dest.suffix[1:]) as out,
        ):
            source = joined.streams.video[0]
            stream = out.add_stream_from_template(template=source)
            for packet in joined.demux(source):
                if packet.dts is None:  # the flushing packet at the end
                    continue
                packet.dts = None  # let the muxer compute it: each clip's start from 0
                packet.stream = stream
                out.mux(packet)
    finally:
        Path(listing.name).unlink(missing_ok=True)


def count_frames(path: Path) -> int:
    """The frames a video really holds (decoded, not the header's claim)."""
    with av.open(str(path)) as container:
        return sum(1 for _ in container.decode(video=0))


def clip_seconds(path: Path) -> float:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = stream.frames or count_frames(path)
        return frames / float(stream.average_rate or stream.guessed_rate or 1)


def assemble(
    clips: list[dict[str, Path]], dest: Path, work: Path, suffix: str, subtitles: bool, lang: str
) -> list[Path]:
    """Make dest's files in `work` from its clips (each Manim's file by suffix, and the .srt
    of its captions if it said any): the video last, as formats.finish returns them."""
    movie = work / f"movie{suffix}"
    if len(clips) == 1:
        shutil.copyfile(clips[0][suffix], movie)
    else:
        join_clips([clip[suffix] for clip in clips], movie)
    cues = None
    if subtitles:
        cues = join_srt_files(
            [(clip.get(".srt", work / "none.srt"), clip_seconds(clip[suffix])) for clip in clips]
        )
    return formats.finish(movie, dest, cues, lang)
