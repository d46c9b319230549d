"""scenes/subtitles.py: .srt and .vtt files that other programs parse (PyAV's demuxers, which
are ffmpeg's), and the joining of per-shot subtitles into one continuous file."""

from __future__ import annotations

import re
from pathlib import Path

import av
import pytest

from scenes.subtitles import Cue, join_cues, join_srt_files, read_srt, write_subtitles

CUES = [
    Cue(0.0, 1.25, "first line"),
    Cue(1.25, 3.5, "a <b> & c --> d"),
    Cue(4.0, 61.042, "第二句：门控，\n两行"),
]


def demuxed(path: Path) -> list[tuple[float, float, str]]:
    """(start, end, text) of every cue, as ffmpeg reads the file."""
    with av.open(str(path)) as container:
        stream = container.streams.subtitles[0]
        cues = []
        for packet in container.demux(stream):
            if packet.pts is None:
                continue
            texts = [sub.dialogue.decode() for sub in packet.decode()]
            if not any(texts):
                continue  # mov_text fills the gaps between cues with empty samples
            start = float(packet.pts * packet.time_base)
            cues.append(
                (start, start + float(packet.duration * packet.time_base), "\n".join(texts))
            )
        return cues


def test_srt_and_vtt_parse_with_their_times(tmp_path: Path) -> None:
    srt_path, vtt_path = write_subtitles(CUES, tmp_path / "clip.mp4")
    assert (srt_path.name, vtt_path.name) == ("clip.srt", "clip.vtt")
    assert read_srt(srt_path) == CUES
    for path in (srt_path, vtt_path):
        found = demuxed(path)
        times = [t for s, e, _ in found for t in (s, e)]
        assert times == pytest.approx([t for c in CUES for t in (c.start, c.end)])
        assert found[0][2] == "first line"
        # ffmpeg turns line breaks into \N (ASS); the words and their order are kept
        assert found[2][2].replace("\\N", "\n") == CUES[2].text
    # in WebVTT the markup characters are escaped, so the text reads back as written
    assert "a &lt;b&gt; &amp; c --&gt; d" in vtt_path.read_text(encoding="utf-8")
    assert vtt_path.read_text(encoding="utf-8").startswith("WEBVTT\n")


def test_srt_and_vtt_give_the_same_milliseconds(tmp_path: Path) -> None:
    """Times summed from clip lengths fall between milliseconds (18.4996 s): both
    files round them alike, not the .srt down and the .vtt up."""
    cues = [Cue(11.433, 18.4996, "a"), Cue(18.4996, 24.6997, "b")]
    srt_path, vtt_path = write_subtitles(cues, tmp_path / "clip.mp4")
    srt_times = re.findall(r"\d\d:\d\d:\d\d,\d{3}", srt_path.read_text(encoding="utf-8"))
    vtt_times = re.findall(r"\d\d:\d\d:\d\d\.\d{3}", vtt_path.read_text(encoding="utf-8"))
    assert [t.replace(",", ".") for t in srt_times] == vtt_times
    assert vtt_times == ["00:00:11.433", "00:00:18.500", "00:00:18.500", "00:00:24.700"]


def test_join_shifts_each_video_by_the_length_of_those_before() -> None:
    first = [Cue(0.0, 2.0, "a"), Cue(2.0, 5.0, "b")]
    second = [Cue(0.0, 1.0, "b"), Cue(1.0, 4.0, "c")]  # starts with the caption "b" ran on with
    third = [Cue(0.5, 9.0, "d")]  # runs past its video's end: clipped
    assert join_cues([(first, 5.0), (second, 4.0), ([], 1.5), (third, 2.0)]) == [
        Cue(0.0, 2.0, "a"),
        Cue(2.0, 6.0, "b"),
        Cue(6.0, 9.0, "c"),
        Cue(11.0, 12.5, "d"),
    ]


def test_join_keeps_a_repeated_caption_apart_when_time_separates_them() -> None:
    joined = join_cues([([Cue(0.0, 1.0, "a")], 2.0), ([Cue(0.0, 1.0, "a")], 1.0)])
    assert joined == [Cue(0.0, 1.0, "a"), Cue(2.0, 3.0, "a")]


def test_join_files(tmp_path: Path) -> None:
    write_subtitles([Cue(0.0, 1.5, "one")], tmp_path / "R1.mp4")
    write_subtitles([Cue(0.25, 1.0, "two")], tmp_path / "R2.mp4")
    pieces = [(tmp_path / "R1.srt", 1.5), (tmp_path / "none.srt", 1.0), (tmp_path / "R2.srt", 1.0)]
    assert join_srt_files(pieces) == [Cue(0.0, 1.5, "one"), Cue(2.75, 3.5, "two")]
