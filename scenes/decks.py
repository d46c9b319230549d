"""Turn a rendered manim-slides presentation (one clip per beat, its caption as notes) into a
deck: html (reveal.js), pptx or pdf, with manim-slides' converters.

The html deck works with no network: manim-slides' template loads reveal.js from a CDN, so
here it loads it from the deck's own assets folder instead, copied from the reveal.js that
scripts/setup.sh unpacked from its npm package into the virtual environment. Nothing in a
deck names an http(s) URL (checked before it is written).

Every deck is written into a temporary directory first and moved into place only when it is
complete, so an earlier deck at the same path stays whole if anything fails.
"""

from __future__ import annotations

import html
import io
import json
import mimetypes
import os
import re
import shutil
import sys
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from rnncore import RnnError

DECK_FORMATS = ("html", "pptx", "pdf")
SLIDE_16_9 = (9_144_000, 5_143_500)  # a pptx slide's width and height in EMU: 10 by 5.625 in
THUMBNAIL = "docProps/thumbnail.jpeg"  # inside a pptx
REVEALJS_DIR = Path(sys.prefix) / "share" / "reveal.js"  # where scripts/setup.sh puts it
# Markdown's special characters: reveal.js reads html notes as Markdown, captions are plain.
MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]#|~])")
URL_ATTRIBUTE = re.compile(
    r"""(?:src|href|data-background-(?:video|image|iframe))\s*=\s*["']([^"']*)["']"""
)


def write_deck(config_file: Path, fmt: str, dest: Path, title: str, work: Path) -> Path:
    """Write the presentation described by manim-slides' `config_file` as a deck of format
    `fmt` at `dest`, building it in the directory `work` (on dest's file system)."""
    from manim_slides.config import PresentationConfig

    presentation = PresentationConfig.from_file(config_file)
    built = work / dest.name
    if fmt == "html":
        _write_html(presentation, built, title)
        _move_into_place(_assets_dir(built), _assets_dir(dest))
    elif fmt == "pptx":
        first_poster = _write_pptx(presentation, built, title)
        _replace_thumbnail(built, first_poster)
    elif fmt == "pdf":
        from manim_slides.convert import PDF

        PDF(presentation_configs=[presentation], frame_index="last").convert_to(built)
    else:
        raise ValueError(f"unknown deck format {fmt!r}")
    os.replace(built, dest)
    return dest


def _write_pptx(presentation, built: Path, title: str):
    """One slide per clip, playing as the slide opens, as manim-slides' PowerPoint converter
    makes them, but with the beat's last frame as the poster PowerPoint shows before and
    after the clip plays (the converter's first frame still has the caption before), and the
    deck's own document properties. Returns the first slide's poster (for the thumbnail)."""
    from manim_slides.convert import _auto_play_pptx_media
    from pptx import Presentation
    from pptx.util import Emu

    deck = Presentation()
    # 16:9 like the clips, which fill it (python-pptx's template is 4:3 and stays marked so
    # when only its width and height change): PowerPoint's "On-screen Show (16:9)"
    deck.slide_width, deck.slide_height = (Emu(length) for length in SLIDE_16_9)
    deck.part._element.sldSz.set("type", "screen16x9")
    _describe(deck.core_properties, title)
    blank = deck.slide_layouts[6]
    first_poster = None
    for slide_config in presentation.slides:
        # one frame at a time: a deck of many beats at 2160p would hold hundreds of MB
        poster = _last_frame(slide_config.file)
        if first_poster is None:
            first_poster = poster
        png = io.BytesIO()
        poster.save(png, "PNG")
        slide = deck.slides.add_slide(blank)
        movie = slide.shapes.add_movie(
            str(slide_config.file),
            0,
            0,
            deck.slide_width,
            deck.slide_height,
            poster_frame_image=png,
            mime_type=mimetypes.guess_type(slide_config.file)[0] or "video/mp4",
        )
        _auto_play_pptx_media(movie, loop=slide_config.loop)
        if slide_config.notes:
            slide.notes_slide.notes_text_frame.text = slide_config.notes
    deck.save(str(built))
    return first_poster


def _replace_thumbnail(path: Path, picture) -> None:
    """Make the deck's thumbnail (what file browsers and PowerPoint's file list show) its
    first slide's picture, in place of python-pptx's template's blank white page."""
    thumbnail = io.BytesIO()
    picture.thumbnail((256, 256))
    picture.save(thumbnail, "JPEG", quality=85)
    with zipfile.ZipFile(path) as old:
        parts = [(info, old.read(info)) for info in old.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info, data in parts:
            new.writestr(info, thumbnail.getvalue() if info.filename == THUMBNAIL else data)


def _describe(props, title: str) -> None:
    """Give a deck its own document properties: python-pptx's template's are shown by
    PowerPoint (File > Info) as the deck's: no title, "last modified by Steve Canny", created
    in 2013, "generated using python-pptx"."""
    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)  # the format's UTC, naive
    props.title, props.author, props.last_modified_by, props.comments = (title, "", "", "")
    props.created = props.modified = now
    props.revision = 1


def revealjs_version() -> str:
    """The version of the reveal.js installed beside rnn3d; RnnError if there is none."""
    try:
        return str(json.loads((REVEALJS_DIR / "package.json").read_text())["version"])
    except (OSError, ValueError, KeyError):
        raise RnnError(
            f"reveal.js is not installed in {REVEALJS_DIR}, and html decks need it: "
            "run scripts/setup.sh (or use --to pptx or --to pdf)"
        ) from None


def _assets_dir(deck: Path) -> Path:
    return deck.with_name(f"{deck.stem}_assets")  # manim-slides' default name


def _write_html(presentation, built: Path, title: str) -> None:
    from manim_slides.convert import RevealJS

    assets = _assets_dir(built)
    reveal_url = f"{assets.name}/reveal.js"  # relative: the deck opens from disk anywhere
    notes_as_markdown = presentation.model_copy(
        update={
            "slides": [
                slide.model_copy(update={"notes": _markdown(slide.notes)})
                for slide in presentation.slides
            ]
        }
    )
    RevealJS(
        presentation_configs=[notes_as_markdown],
        cdn_url=reveal_url,
        title=title,
        reveal_version=revealjs_version(),
        background_color=str(presentation.background_color),
    ).convert_to(built)
    page = _with_posters(built.read_text(encoding="utf-8"), built.parent)
    built.write_text(page, encoding="utf-8")
    page = re.sub(r"<!--.*?-->", "", page, flags=re.DOTALL)
    for url in URL_ATTRIBUTE.findall(page):
        if re.match(r"[a-z][a-z0-9+.-]*:", url, re.IGNORECASE):
            raise RnnError(
                f"the html deck would load {url}, but it must work offline: "
                "this is a bug in rnn3d or manim-slides"
            )
        if url.startswith(reveal_url + "/"):
            _copy_revealjs_file(url.removeprefix(reveal_url + "/"), assets / "reveal.js")


def _with_posters(page: str, folder: Path) -> str:
    """Give every clip's video its beat's last frame as poster (a JPEG beside the clip): the
    picture a browser shows until the clip plays, and the one it stops on, both with the
    beat's own caption (the first frame still has the caption of the beat before).

    reveal.js makes the video of a data-background-video itself, with no poster, and draws no
    video at all when a data-background-image stands beside it; so the poster is named by
    data-poster and put on the video by a script when reveal.js has made it."""

    def add_poster(match: re.Match) -> str:
        clip = match.group(1)
        poster = str(Path(clip).with_suffix(".jpg"))
        _last_frame(folder / clip).save(folder / poster, quality=90)
        return f'{match.group(0)} data-poster="{poster}"'

    page = re.sub(r'data-background-video="([^"]+)"', add_poster, page)
    return page.replace("</body>", f"{POSTER_SCRIPT}</body>", 1)


POSTER_SCRIPT = """<script>
      // reveal.js makes a slide's background video when the slide comes near: give it its
      // poster, the beat's last frame (see scenes/decks.py)
      function givePosters() {
        for (const slide of Reveal.getSlides()) {
          const video = Reveal.getSlideBackground(slide)?.querySelector("video");
          if (video && slide.dataset.poster && !video.poster) video.poster = slide.dataset.poster;
        }
      }
      Reveal.on("ready", givePosters);
      Reveal.on("slidechanged", givePosters);
    </script>
  """


def _last_frame(clip: Path):
    """The clip's last frame as an RGB image: the beat with its own caption standing."""
    from manim_slides.convert import FrameIndex, read_image_from_video_file

    return read_image_from_video_file(clip, FrameIndex.last).convert("RGB")


def _copy_revealjs_file(name: str, into: Path) -> None:
    source = REVEALJS_DIR / name
    if not source.is_file():
        raise RnnError(
            f"reveal.js in {REVEALJS_DIR} has no {name}, which the html deck "
            f"needs: run scripts/setup.sh again (it reinstalls reveal.js)"
        )
    (into / name).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, into / name)


def _markdown(notes: str) -> str:
    """Plain caption text as Markdown inside html: escaped, so it reads the same."""
    return MARKDOWN_SPECIALS.sub(r"\\\1", html.escape(notes, quote=False))


def _move_into_place(built: Path, dest: Path) -> None:
    """Replace the directory `dest` by `built`; the old one is removed only afterwards."""
    old = built.with_name(built.name + ".old")
    if dest.exists():
        os.replace(dest, old)
    os.replace(built, dest)
    shutil.rmtree(old, ignore_errors=True)
