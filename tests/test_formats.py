"""`rnn3d render --format ... --transparent --captions ...`: every file is decoded (PyAV) and
its subtitles parsed, not trusted by name.

The renders use a tiny part whose every shot fades in a square while it says its shot's first
caption (the real sentences, in both languages), so each takes a few seconds.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import av
import numpy as np
import pytest
import srt

from scenes.blocks import caption_lines
from scenes.captions import caption_text
from scenes.cli import formats, main, render_cmd
from scenes.linebreak import strip_breaks
from scenes.shots import shots_of
from tests.test_subtitles import demuxed

TALKING_SCENES = '''
from manim import RIGHT, WHITE, FadeIn, Square

from scenes.base import PartScene
from scenes.captions import CAPTIONS
from scenes.shots import SHOTS


def first_caption(shot_id):
    return next(k for k in CAPTIONS if k.startswith(shot_id.lower() + "_"))


class TalkingPart(PartScene):
    """Shot k says its first caption while a white square fades in at x = k - 6."""


def _shot(k, shot_id):
    def shot(self):
        square = Square(side_length=0.5, fill_opacity=1, stroke_width=0, color=WHITE)
        self.say(first_caption(shot_id), FadeIn(square.shift((k - 6) * RIGHT), run_time=0.4))
        self.wait(0.5)
    return shot


for k, s in enumerate(SHOTS):
    setattr(TalkingPart, f"shot_{s.id}", _shot(k, s.id))


class TalkingRNN(TalkingPart):
    part = "rnn"


class TalkingLSTM(TalkingPart):
    part = "lstm"
'''


@pytest.fixture
def talking(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    scene_file = tmp_path / "talking_scenes.py"
    scene_file.write_text(TALKING_SCENES)
    monkeypatch.setattr(
        render_cmd,
        "PART_SCENES",
        {"rnn": (scene_file, "TalkingRNN"), "lstm": (scene_file, "TalkingLSTM")},
    )
    return tmp_path / "renders"


def _first_caption_keys(part: str) -> list[str]:
    from scenes.captions import CAPTIONS

    return [next(k for k in CAPTIONS if k.startswith(s.id.lower() + "_")) for s in shots_of(part)]


def first_captions(part: str, lang: str) -> list[str]:
    keys = _first_caption_keys(part)
    # subtitles: in the lines the caption is drawn in, without marks
    return [caption_lines(caption_text(k, lang), lang) for k in keys]


def video_seconds(path: Path) -> float:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.decode(stream))
        return frames / float(stream.average_rate)


def check_cues(cues: list[tuple[float, float, str]], texts: list[str], seconds: float) -> None:
    """Every cue inside the video, none overlapping the next, in the captions' order, each in
    the one or two lines its caption is drawn in (a player shows them so, not one long line)."""
    assert [text for _, _, text in cues] == texts
    assert all(1 <= len(text.split("\n")) <= 2 for text in texts)
    for (start, end, _), (next_start, _, _) in zip(cues, cues[1:], strict=False):
        assert start < end <= next_start + 1e-6
    assert cues[0][0] >= 0 and cues[-1][1] <= seconds + 1e-3


def top_level_boxes(path: Path) -> list[str]:
    data, boxes, at = path.read_bytes(), [], 0
    while at < len(data):
        size = int.from_bytes(data[at : at + 4], "big")
        boxes.append(data[at + 4 : at + 8].decode())
        at += size if size > 1 else len(data)
    return boxes


def test_srt_writes_subtitle_files_and_a_soft_track(talking: Path) -> None:
    assert main(["render", "rnn", "--captions", "srt", "--out", str(talking)]) == 0
    video = talking / "rnn_480p15.mp4"
    assert sorted(p.name for p in talking.iterdir()) == [
        "rnn_480p15.mp4",
        "rnn_480p15.srt",
        "rnn_480p15.vtt",
    ]
    seconds, texts = video_seconds(video), first_captions("rnn", "en")
    # the timings are real: each shot plays 0.6 s of caption swap and 0.5 s of wait (in whole
    # frames), and a caption starts in the middle of its swap
    shot = seconds / 6
    assert shot == pytest.approx(1.1, abs=0.05)
    parsed = [
        (s.start.total_seconds(), s.end.total_seconds(), s.content)
        for s in srt.parse((talking / "rnn_480p15.srt").read_text(encoding="utf-8"))
    ]
    check_cues(parsed, texts, seconds)
    lines = [line for _, _, text in parsed for line in text.split("\n")]
    assert len(lines) > len(parsed) and max(map(len, lines)) <= 80  # ~115 characters a cue
    # the sentence itself, its formulas' spaces no-break spaces (a player that wraps again
    # keeps a formula whole, as the video does)
    assert [re.sub("[\n\u00a0]", " ", text) for _, _, text in parsed] == [
        strip_breaks(caption_text(k, "en")) for k in _first_caption_keys("rnn")
    ]
    assert [start for start, _, _ in parsed] == pytest.approx(
        [0.3 + shot * k for k in range(6)], abs=1e-3
    )
    for track in (talking / "rnn_480p15.vtt", video):  # the file, and the track in the mp4
        assert _same(demuxed(track), parsed)
    with av.open(str(video)) as container:
        track = container.streams.subtitles[0]
        assert (track.codec_context.name, track.metadata.get("language")) == ("mov_text", "eng")
    boxes = top_level_boxes(video)
    assert boxes.index("moov") < boxes.index("mdat")  # faststart


def _same(found: list[tuple[float, float, str]], want: list[tuple[float, float, str]]) -> bool:
    return len(found) == len(want) and all(
        a[2] == b[2] and abs(a[0] - b[0]) < 2e-3 and abs(a[1] - b[1]) < 2e-3
        for a, b in zip(found, want, strict=True)
    )


def test_chinese_subtitles_in_a_webm_of_one_shot(talking: Path) -> None:
    assert (
        main(
            [
                "render",
                "R3",
                "--format",
                "webm",
                "--captions",
                "both",
                "--lang",
                "zh",
                "--out",
                str(talking),
            ]
        )
        == 0
    )
    video = talking / "R3_480p15.webm"
    with av.open(str(video)) as container:
        kinds = {s.type: s.codec_context.name for s in container.streams}
        track = container.streams.subtitles[0]
        assert track.metadata.get("language") == "chi"
    assert kinds == {"video": "vp9", "subtitle": "webvtt"}
    # a shot rendered alone starts with the caption the shot before it ended with
    zh = first_captions("rnn", "zh")
    for cues in (demuxed(video), demuxed(talking / "R3_480p15.vtt")):
        check_cues(cues, zh[1:3], video_seconds(video))
        assert any("\n" in text for _, _, text in cues)  # ~60 characters: two lines
        assert cues[0][0] == 0
    assert re.search("[\u4e00-\u9fff]", zh[2])


def test_gif_is_sized_for_a_web_page(talking: Path) -> None:
    assert main(["render", "R1", "--format", "gif", "-q", "m", "--out", str(talking)]) == 0
    with av.open(str(talking / "R1_720p30.gif")) as container:
        stream = container.streams.video[0]
        frames = list(container.decode(stream))
        times = [float(f.pts * f.time_base) for f in frames]
    assert (frames[0].width, frames[0].height) == (formats.GIF_WIDTH, 360)
    assert np.diff(times) == pytest.approx(1 / formats.GIF_FPS, abs=0.011)  # gif: 1/100 s
    assert times[-1] == pytest.approx(1.1, abs=0.15)  # R1: a 0.6 s swap and a 0.5 s wait


def alpha_of_last_frame(path: Path) -> np.ndarray:
    if path.suffix == ".png":
        from PIL import Image

        with Image.open(path) as image:
            return np.asarray(image)[..., 3]
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        # ffmpeg's own VP9 decoder drops the alpha that libvpx stores beside each frame
        decoder = (
            av.CodecContext.create("libvpx-vp9", "r")
            if path.suffix == ".webm"
            else stream.codec_context
        )
        frames = [f for packet in container.demux(stream) for f in decoder.decode(packet)]
        return frames[-1].to_ndarray(format="rgba")[..., 3]


@pytest.mark.parametrize("fmt", ["png", "mov", "webm", "gif"])
def test_transparent_keeps_alpha(
    talking: Path, fmt: str, capfd: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            [
                "render",
                "R1",
                "--format",
                fmt,
                "--transparent",
                "--captions",
                "none",
                "--out",
                str(talking),
            ]
        )
        == 0
    )
    assert "Output format changed" not in capfd.readouterr().out  # Manim's needless warning
    assert [p.name for p in talking.iterdir()] == [f"R1_480p15.{fmt}"]  # none: no subtitles
    alpha = alpha_of_last_frame(talking / f"R1_480p15.{fmt}")
    h, w = alpha.shape
    assert alpha[: h // 4].max() == 0  # the background is see-through
    x = round((0.5 - 6 / (8 * w / h)) * w)  # R1's square is at x = -6, the frame 8 units high
    assert alpha[h // 2 - 5 : h // 2 + 5, x - 5 : x + 5].min() == 255


def test_transparent_mp4_is_refused(talking: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "R1", "--transparent", "--out", str(talking)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "mp4 cannot keep a transparent background" in err
    assert not talking.exists()


def test_the_render_child_drops_manims_webm_warning() -> None:
    """Setting the format to webm makes Manim warn that it "can be slower than other
    formats", on every webm render; the child drops that one warning, and only it."""
    from manim import config

    from scenes.cli import render_child

    logger = logging.getLogger("manim")
    seen: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: seen.append(record.getMessage())  # type: ignore[method-assign]
    logger.addHandler(handler)
    level = logger.level  # earlier tests may have set Manim's verbosity to ERROR
    logger.setLevel(logging.WARNING)
    try:
        render_child.quiet_known_warnings()
        webm = config.copy()
        webm.movie_file_extension = ".webm"  # as the child's manim.cfg says (formats.py)
        webm.format = "webm"
        logger.warning("another warning")
    finally:
        logger.setLevel(level)
        logger.removeHandler(handler)
        logger.removeFilter(render_child._not_webm_is_slower)
    assert seen == ["another warning"]
