"""`rnn3d slides`: one slide per beat, captions as speaker notes, and decks that open: html
in a real headless Chromium with no network, pptx and pdf read back part by part.

The beat rules are checked on tiny slide scenes (a second a render); one real shot (R2, the
shortest, at the lowest quality) is rendered once into all three decks.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from scenes import decks
from scenes.captions import caption_text
from scenes.cli import main, slides_cmd
from scenes.shots import find_shot

TINY_SLIDES = '''
from manim import WHITE, Square

from scenes.base import PartScene
from scenes.slides import PartSlides


class TinySlides(PartSlides, PartScene):
    """R1 draws a square and says nothing, R2 says two captions, each with a square, and the
    later shots only wait."""

    part = "rnn"

    def square(self, k):
        self.add(Square(side_length=0.5, fill_opacity=1, color=WHITE).shift([k - 3, 1, 0]))

    def shot_R1(self):
        self.square(0)
        self.wait(0.2)

    def shot_R2(self):
        for k, key in enumerate(["r2_deeper", "r2_time"]):
            self.say(key, run_time=0.2)
            self.square(k + 1)
            self.wait(0.2)

    shot_R3 = shot_R4 = shot_R5 = shot_R6 = lambda self: self.wait(0.2)
'''

R2_CAPTIONS = [caption_text("r2_deeper"), caption_text("r2_time")]


@pytest.fixture
def tiny(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scene_file = tmp_path / "tiny_slides.py"
    scene_file.write_text(TINY_SLIDES)
    monkeypatch.setitem(slides_cmd.SLIDE_SCENES, "rnn", (scene_file, "TinySlides"))


@pytest.mark.parametrize(
    "target, notes",
    [
        ("R1", [find_shot("R1").title]),  # no caption: the shot is one beat, named by its title
        ("R2", R2_CAPTIONS),  # the shot before is skipped, and gives no slide
        # a shot that only waits is a beat of its own, with the words still on screen
        ("rnn", [find_shot("R1").title, *R2_CAPTIONS, *[R2_CAPTIONS[-1]] * 4]),
    ],
)
def test_one_slide_per_beat_with_its_caption_as_notes(
    tiny: None, tmp_path: Path, target: str, notes: list[str]
) -> None:
    out = tmp_path / "decks"
    assert main(["slides", target, "--to", "pptx", "--out", str(out)]) == 0
    assert os.listdir(out) == [f"{target}_480p15.pptx"]  # nothing else, no temporary left
    assert [notes for notes, _ in _pptx_slides(out / f"{target}_480p15.pptx")] == notes


def test_manim_slides_own_tools_take_the_slide_scenes(tmp_path: Path) -> None:
    from manim_slides import ThreeDSlide

    from scenes.lstm_part import LSTMPart
    from scenes.rnn_part import RNNPart
    from scenes.slides import LSTMSlides, RNNSlides

    assert issubclass(RNNSlides, RNNPart) and issubclass(LSTMSlides, LSTMPart)
    assert issubclass(RNNSlides, ThreeDSlide) and issubclass(LSTMSlides, ThreeDSlide)
    # `manim-slides render`, then its own converter, on a slide scene as the README shows
    scene_file = tmp_path / "tiny_slides.py"
    scene_file.write_text(TINY_SLIDES)
    bin_dir = Path(sys.executable).parent
    env = os.environ | {"RNN3D_SHOT": "R2", "PYTHONPATH": str(Path(__file__).parents[1])}
    for command in (
        ["render", "-ql", "--progress_bar", "none", str(scene_file), "TinySlides"],
        ["convert", "TinySlides", "deck.pdf"],
    ):
        subprocess.run(
            [str(bin_dir / "manim-slides"), *command],
            cwd=tmp_path,
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )
    presentation = json.loads((tmp_path / "slides" / "TinySlides.json").read_text())
    assert [slide["notes"] for slide in presentation["slides"]] == R2_CAPTIONS
    assert len(re.findall(rb"/Type\s*/Page(?!s)", (tmp_path / "deck.pdf").read_bytes())) == 2


def test_a_failed_deck_keeps_the_earlier_one(
    tiny: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    revealjs = tmp_path / "reveal.js"  # its package.json is there, its files are not
    revealjs.mkdir()
    shutil.copy(decks.REVEALJS_DIR / "package.json", revealjs)
    monkeypatch.setattr(decks, "REVEALJS_DIR", revealjs)
    out = tmp_path / "decks"
    (out / "R1_480p15_assets").mkdir(parents=True)
    (out / "R1_480p15.html").write_text("an earlier deck")
    (out / "R1_480p15_assets" / "clip.mp4").write_text("its clip")
    assert main(["slides", "R1", "--to", "html", "--out", str(out)]) == 1
    assert "has no dist/" in capsys.readouterr().err
    assert sorted(os.listdir(out)) == ["R1_480p15.html", "R1_480p15_assets"]
    assert (out / "R1_480p15.html").read_text() == "an earlier deck"
    assert os.listdir(out / "R1_480p15_assets") == ["clip.mp4"]


BAD_INPUTS = {
    "unknown format": (["R1", "--to", "html,key"], "unknown deck format 'key'"),
    "unknown target": (["R9", "--to", "pdf"], "unknown target 'R9'"),
    "formats apart": (["R1", "--to", "html", "pptx", "PDF"], "commas: --to html,pptx,pdf"),
    "target after an option": (["R1", "--to", "pdf", "R2"], "before any option: R1 R2"),
    "window past the end": (["R3", "--steps", "2:9"], "outside the sequence of 4 steps"),
}


@pytest.mark.parametrize("argv, message", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_is_one_line_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    _expect_one_line_error(tmp_path, capsys, argv, message)


def test_a_folder_where_a_deck_goes_is_found_before_rendering(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "decks" / "R1_480p15.pdf"
    folder.mkdir(parents=True)
    assert main(["slides", "R1", "--to", "html,pdf", "--out", str(folder.parent)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"rnn3d: error: {folder} is a directory") and err.count("\n") == 1
    assert [p.name for p in folder.parent.iterdir()] == [folder.name]


def test_html_without_revealjs_says_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(decks, "REVEALJS_DIR", tmp_path / "nowhere")
    _expect_one_line_error(tmp_path, capsys, ["R1", "--to", "html"], "run scripts/setup.sh")


def _expect_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    out = tmp_path / "decks"
    assert main(["slides", *argv, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("rnn3d: error: "), err
    assert message in err
    assert not out.exists()


# ---- one real shot, all three decks ----------------------------------------------------------


@pytest.fixture(scope="module")
def r2_decks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("decks")
    assert main(["slides", "R2", "--to", "html,pptx,pdf", "--out", str(out)]) == 0
    return out


def test_html_deck_is_self_contained(r2_decks: Path) -> None:
    deck = r2_decks / "R2_480p15.html"
    page = re.sub(r"<!--.*?-->", "", deck.read_text(encoding="utf-8"), flags=re.DOTALL)
    urls = re.findall(r"""(?:src|href|data-background-(?:video|image))=["']([^"']+)["']""", page)
    assert any(u.endswith("reveal.js/dist/reveal.js") for u in urls)
    for url in urls:  # every file the page loads is beside it
        assert not re.match(r"\w+:", url), url
        assert (r2_decks / url).is_file(), url
    assert not re.search(r"""=["']https?:""", page)
    notes = re.findall(r'<aside class="notes"[^>]*>(.*?)</aside>', page, re.DOTALL)
    assert [html.unescape(n).replace("\\", "") for n in notes] == R2_CAPTIONS
    # each beat's clip, with its last frame as the poster shown before and after it plays
    clips = _html_clips(r2_decks)
    posters = re.findall(r'data-poster="([^"]+)"', page)
    assert len(clips) == len(posters) == len(R2_CAPTIONS)
    for clip, poster in zip(clips, posters, strict=True):
        _, last = _first_and_last_frames(clip)
        assert np.abs(_pixels(r2_decks / poster) - last).mean() < 3  # JPEG's loss
    # a background image would stand in for the clip: reveal.js then draws no video at all
    assert "data-background-image" not in page


def test_html_deck_shows_in_chromium_with_no_network(r2_decks: Path, tmp_path: Path) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("chromium is not installed (scripts/setup.sh installs it)")
    deck = r2_decks / "R2_480p15.html"
    shots = [_screenshot(chromium, deck, slide, tmp_path) for slide in (0, 1)]
    for shot in shots:
        # the clip is drawn: many pixels well above the black background, in many colours
        assert (shot.max(axis=2) > 80).mean() > 0.02
        assert len(np.unique(shot.reshape(-1, 3) // 32, axis=0)) > 20
    assert (np.abs(shots[0].astype(int) - shots[1]).max(axis=2) > 40).mean() > 0.01
    # the second slide, before its clip plays, shows its own beat: the caption of its clip's
    # last frame, not the caption of the beat before that its first frame still has (the
    # first slide's clip is muted, so headless Chromium starts it, and it stands at frame 0)
    first, last = (_caption_band(f) for f in _first_and_last_frames(_html_clips(r2_decks)[1]))
    seen = _caption_band(np.asarray(Image.fromarray(shots[1]).resize((854, 480)), dtype=float))
    assert np.abs(seen - last).mean() * 5 < np.abs(seen - first).mean()
    # and the slides play their clips: reveal.js made a video with the beat's poster for each
    page = _chromium(chromium, deck, 1, tmp_path, "--dump-dom").stdout.decode()
    videos = re.findall(r'<video poster="([^"]+)"><source src="([^"]+)"', page)
    assert [(Path(p).stem, Path(v).name) for p, v in videos] == [
        (clip.stem, clip.name) for clip in _html_clips(r2_decks)
    ]


def _caption_band(frame: np.ndarray) -> np.ndarray:
    """The bottom of a frame, where the caption stands, in blocks of 8 by 8 pixels averaged
    (a screenshot scaled back to the clip's size does not match it pixel for pixel)."""
    band = frame[int(frame.shape[0] * 0.85) :]
    h, w = band.shape[0] // 8 * 8, band.shape[1] // 8 * 8
    return band[:h, :w].reshape(h // 8, 8, w // 8, 8, 3).mean(axis=(1, 3))


def _screenshot(chromium: str, deck: Path, slide: int, tmp_path: Path) -> np.ndarray:
    png = tmp_path / f"slide{slide}.png"
    _chromium(chromium, deck, slide, tmp_path, f"--screenshot={png}")
    with Image.open(png) as image:
        return np.asarray(image.convert("RGB"))


def _chromium(
    chromium: str, deck: Path, slide: int, tmp_path: Path, output: str
) -> subprocess.CompletedProcess:
    """Headless Chromium showing the deck at this slide, with no network."""
    return subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / f'profile{slide}{output[2:6]}'}",
            # no host resolves: a deck that needed the network would stay empty
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--window-size=1280,720",
            output,
            "--virtual-time-budget=8000",
            f"{deck.as_uri()}#/{slide}",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


def test_pptx_has_a_clip_a_poster_and_notes_per_beat(r2_decks: Path) -> None:
    slides = _pptx_slides(r2_decks / "R2_480p15.pptx")
    assert [notes for notes, _ in slides] == R2_CAPTIONS
    clips = _html_clips(r2_decks)
    for (_, movie), clip in zip(slides, clips, strict=True):
        assert movie.media_type == "video/mp4" and movie.blob == clip.read_bytes()
        assert movie.poster.size == (854, 480)
        # the picture PowerPoint shows before and after the clip plays is the beat with its
        # own caption: the clip's last frame, not its first (with the caption before)
        first, last = _first_and_last_frames(clip)
        poster = np.asarray(movie.poster.convert("RGB"), dtype=float)
        assert np.abs(poster - last).mean() < 1
        assert np.abs(_caption_band(poster) - _caption_band(first)).mean() > 3


def test_pdf_has_a_page_per_beat_showing_its_last_frame(r2_decks: Path) -> None:
    pdf = (r2_decks / "R2_480p15.pdf").read_bytes()
    pages = re.findall(rb"/Type\s*/Page(?!s)", pdf)
    images = re.findall(rb"/Filter\s*/DCTDecode.*?stream\r?\n(.*?)endstream", pdf, re.DOTALL)
    clips = _html_clips(r2_decks)
    assert len(pages) == len(images) == len(clips) == len(R2_CAPTIONS)
    for jpeg, clip in zip(images, clips, strict=True):
        page = _pixels(_bytes_io(jpeg))
        first, last = _first_and_last_frames(clip)
        assert np.abs(page - last).mean() < 3  # JPEG's loss
        assert np.abs(page - first).mean() > 3 * np.abs(page - last).mean()


def _pixels(image_file) -> np.ndarray:
    with Image.open(image_file) as image:
        return np.asarray(image.convert("RGB"), dtype=float)


def _html_clips(out: Path) -> list[Path]:
    page = (out / "R2_480p15.html").read_text(encoding="utf-8")
    return [out / v for v in re.findall(r'data-background-video="([^"]+)"', page)]


def _first_and_last_frames(clip: Path) -> tuple[np.ndarray, np.ndarray]:
    with av.open(str(clip)) as container:
        frames = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    return frames[0].astype(float), frames[-1].astype(float)


class _Movie:
    def __init__(self, media_type: str, blob: bytes, poster: Image.Image):
        self.media_type, self.blob, self.poster = media_type, blob, poster


def test_pptx_is_described_as_the_deck_not_as_python_pptx_template(r2_decks: Path) -> None:
    from pptx import Presentation

    props = Presentation(str(r2_decks / "R2_480p15.pptx")).core_properties
    assert props.title == "R2 Deeper, not longer"
    assert (props.author, props.last_modified_by, props.comments) == ("", "", "")
    assert props.created is not None and props.created.year >= 2025
    assert props.modified == props.created


def _pptx_slides(path: Path) -> list[tuple[str, _Movie]]:
    """(speaker notes, the one movie) of every slide, read with python-pptx."""
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
    slides = []
    for slide in Presentation(str(path)).slides:
        (shape,) = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.MEDIA]
        video = next(
            r.target_part for r in slide.part.rels.values() if r.reltype.endswith("/video")
        )
        poster_rel = shape._element.blipFill.blip.rEmbed
        poster = Image.open(_bytes_io(slide.part.related_part(poster_rel).blob))
        slides.append(
            (
                slide.notes_slide.notes_text_frame.text,
                _Movie(video.content_type, video.blob, poster),
            )
        )
    return slides


def _bytes_io(data: bytes):
    import io

    return io.BytesIO(data)


def test_pptx_slides_are_16_9_filled_by_their_clips_with_the_first_as_thumbnail(
    r2_decks: Path,
) -> None:
    from pptx import Presentation

    deck = r2_decks / "R2_480p15.pptx"
    with zipfile.ZipFile(deck) as z:
        size = re.search(r"<p:sldSz [^>]*>", z.read("ppt/presentation.xml").decode())
        thumbnail = _pixels(_bytes_io(z.read("docProps/thumbnail.jpeg")))
    # marked 16:9 as PowerPoint's Design > Slide Size reads it, and 16:9 in fact
    assert size is not None and 'type="screen16x9"' in size.group(0), size
    presentation = Presentation(str(deck))
    width, height = presentation.slide_width, presentation.slide_height
    assert width * 9 == height * 16
    for slide in presentation.slides:
        (movie,) = slide.shapes
        assert (movie.left, movie.top, movie.width, movie.height) == (0, 0, width, height)
    # the thumbnail a file browser shows is the first slide's picture, not a blank page
    _, last = _first_and_last_frames(_html_clips(r2_decks)[0])
    assert thumbnail.shape[1] == 256 and thumbnail.std() > 20
    small = np.asarray(Image.fromarray(last.astype(np.uint8)).resize(thumbnail.shape[1::-1]))
    assert np.abs(thumbnail - small).mean() < 6
