"""Subtitles: the captions a render said, with their times, as .srt and .vtt files.

A scene records every caption it shows with Manim's add_subcaption, which writes an .srt beside
the movie (scenes/base.py). This module reads that file, joins the files of shots rendered
one by one into one continuous file for the part they make up, and writes .srt and WebVTT.
It never imports Manim.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import srt


@dataclass(frozen=True)
class Cue:
    start: float  # seconds into the video
    end: float
    text: str


def read_srt(path: Path) -> list[Cue]:
    subs = srt.parse(path.read_text(encoding="utf-8"))
    return [Cue(s.start.total_seconds(), s.end.total_seconds(), s.content) for s in subs]


def srt_text(cues: Iterable[Cue]) -> str:
    return srt.compose(
        [
            srt.Subtitle(i, _srt_time(c.start), _srt_time(c.end), c.text)
            for i, c in enumerate(cues, 1)
        ]
    )


def _srt_time(seconds: float) -> timedelta:
    # rounded to the millisecond as in the .vtt: srt truncates, and a time joined from clip
    # lengths (18.4996 s) read 18,499 in the .srt and 18.500 in the .vtt beside it
    return timedelta(milliseconds=round(seconds * 1000))


def vtt_text(cues: Iterable[Cue]) -> str:
    blocks = [f"{_vtt_time(c.start)} --> {_vtt_time(c.end)}\n{_vtt_escape(c.text)}" for c in cues]
    return "WEBVTT\n\n" + "".join(f"{block}\n\n" for block in blocks)


def _vtt_time(seconds: float) -> str:
    ms = round(seconds * 1000)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def _vtt_escape(text: str) -> str:
    # WebVTT cue text is markup: &, < and > must be escaped, and no line may hold "-->"
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("-->", "--&gt;")


def write_subtitles(cues: Sequence[Cue], video: Path) -> list[Path]:
    """Write `video` with .srt and .vtt in place of its suffix; return the two paths."""
    paths = [video.with_suffix(".srt"), video.with_suffix(".vtt")]
    for path, text in zip(paths, (srt_text(cues), vtt_text(cues)), strict=True):
        path.write_text(text, encoding="utf-8")
    return paths


def join_cues(pieces: Sequence[tuple[Sequence[Cue], float]]) -> list[Cue]:
    """One continuous list from the cues of videos played one after another, each given with
    its length in seconds: a video's cues are shifted by the lengths of those before it, and
    clipped to its own length. A caption that runs on across a join (a shot rendered alone
    starts with the caption the previous one ended with) stays one cue."""
    joined: list[Cue] = []
    offset = 0.0
    for cues, length in pieces:
        for cue in cues:
            start, end = offset + cue.start, offset + min(cue.end, length)
            if end <= start:
                continue
            last = joined[-1] if joined else None
            if last is not None and last.text == cue.text and abs(last.end - start) < 1e-3:
                joined[-1] = Cue(last.start, end, cue.text)
            else:
                joined.append(Cue(start, end, cue.text))
        offset += length
    return joined


def join_srt_files(pieces: Sequence[tuple[Path, float]]) -> list[Cue]:
    """join_cues for .srt files (a missing file: a video without captions)."""
    return join_cues(
        [(read_srt(path) if path.is_file() else [], length) for path, length in pieces]
    )
