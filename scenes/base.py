"""PartScene: one Manim scene per part, one section (and one method) per shot, and the
captions its shots say.

A part plays as one continuous video; with Settings.shot set, the shots before it run with
their animations skipped (so the chosen shot starts from exactly the state in which the previous
shot ended) and the shots after it are not run at all.
"""

from __future__ import annotations

import sys

import numpy as np
from manim import (
    DOWN,
    LEFT,
    Animation,
    AnimationGroup,
    Create,
    Indicate,
    Mobject,
    ReplacementTransform,
    ThreeDScene,
    VMobject,
    Wait,
    Write,
    config,
)
from manim.camera.three_d_camera import ThreeDCamera
from manim.utils.rate_functions import smooth

from rnncore import RnnError

from . import glyph_cache
from .animations import appear, vanish
from .blocks import Caption, caption_band_height, caption_lines, fix_in_frame, text
from .camera import DepthCamera
from .captions import caption_text
from .colors import ColorLegend
from .layout import LEGEND_BUFF, NOTE, TABLE_TEXT, font_for
from .linebreak import strip_breaks
from .manim_adapter import (
    draw_only_frames_shown,
    keep_text_svgs_whole,
    prepare_animation,
    run_to_end,
    section_skipped,
    use_fast_families,
    use_fast_subpaths,
)
from .settings import Settings
from .shots import shots_of
from .story import PartView


class PartScene(ThreeDScene):
    part: str = ""  # "rnn" or "lstm"; shot R1 is run by method shot_R1, and so on
    view: PartView  # the numbers the part draws (set by the part's setup)

    def setup(self) -> None:
        super().setup()
        self.settings = Settings.from_env()
        self.lang = self.settings.lang
        self._caption: Caption | None = None
        self._pending: str | None = None  # a caption said while its shot was skipped
        self._cue: tuple[str, float] | None = None  # the caption said last, and since when (s)
        # captions said while this is set are letterboxed (blocks.Caption): for shots whose
        # world fills the frame, under the band too
        self.letterboxed = False
        camera = self.renderer.camera
        if not self.settings.burns_captions and isinstance(camera, DepthCamera):
            camera.picture_shift = caption_band_height(self.lang) / 2  # centre in the free band
        # A late shot rendered alone costs little more than the shot itself: the frames of
        # the skipped shots before it are not drawn, and their texts' glyphs come from disk.
        draw_only_frames_shown(self.renderer)
        keep_text_svgs_whole()  # before any Text: the SVG files are shared with other renders
        glyph_cache.install()
        use_fast_families()  # the same families, found faster
        use_fast_subpaths()  # the same subpaths (every Transform aligns them), found faster

    def render(self, *args, **kwargs):
        """Bad input (RnnError, from the settings or the story) is one line and exit status 2,
        as in `rnn3d render`, also when plain Manim renders the scene: no traceback."""
        try:
            return super().render(*args, **kwargs)
        except RnnError as err:
            print(f"rnn3d: error: {err}", file=sys.stderr, flush=True)
            raise SystemExit(2) from None

    def construct(self) -> None:
        wanted = self.settings.shot.upper() if self.settings.shot else None
        # seconds each shot run lasts (skipped or not), measured with every shot skipped
        # (scenes/lengths.py): a shot may play less where its end is gone_before_rendered
        self.lengths: dict[str, float] = {}
        self.skipped_time = 0.0  # what the skipped plays would have lasted
        for shot in shots_of(self.part):
            self.next_section(shot.id, skip_animations=wanted is not None and shot.id != wanted)
            if not self.skipping:  # a shot starts with the caption the one before ended with
                self.show_remembered_caption()
            start = self.time + self.skipped_time
            getattr(self, f"shot_{shot.id}")()
            self.lengths[shot.id] = self.time + self.skipped_time - start
            if shot.id == wanted:
                break
        self.show_remembered_caption()  # the last caption said is on screen at the end
        self._end_cue(self.time)

    def say(self, key: str, *along: Animation, run_time: float = 0.6, **fields) -> None:
        """Replace the caption at the bottom of the frame, while these animations (each with
        its own run_time) play on: one play, so one still background to draw. The old caption
        fades out in the first half of run_time and the new one in during the second, so the
        two are never seen over each other.

        While a skipped shot runs, the sentence is only remembered: of the skipped shots'
        captions only the last is ever seen (built when a shown shot starts).

        Every caption shown is also a subtitle (Manim's add_subcaption, written as an .srt
        beside the movie), in the lines it is drawn in, from the middle of its swap to the
        middle of the next one. With
        Settings.captions srt or none nothing is drawn, but the play lasts as long, so a video
        keeps its timing whether its captions are burned in or not."""
        words = self.words(key, **fields)
        if self.skipping:
            if self._caption is not None:
                self.remove(self._caption)
            self._caption, self._pending = None, words
            if along:
                self.play(*along)
            return
        self.beat(strip_breaks(words))
        self.show_remembered_caption()
        old = self._caption
        self._start_cue(words, self.time + run_time / 2)
        if not self.settings.burns_captions:
            self.play(Wait(run_time), *along)
            return
        cap = self._make_caption(words)
        swap = [appear(cap, run_time=run_time, rate_func=lambda t: smooth(max(0, 2 * t - 1)))]
        if old is not None:
            swap.append(vanish(old, run_time=run_time, rate_func=lambda t: smooth(min(1, 2 * t))))
        self.play(*swap, *along)
        self._caption = cap

    def beat(self, words: str) -> None:
        """A beat of the story begins, with these words: the narration pauses before it, so a
        presenter could stop here. A video plays straight on; a slide scene (scenes/slides.py)
        starts a slide here with the words as its speaker notes."""

    @property
    def caption(self) -> Caption | None:
        """The caption on screen."""
        return self._caption

    def show_remembered_caption(self) -> None:
        """Show the caption a skipped shot said last (its subtitle begins now)."""
        if self._pending is not None:
            words, self._pending = self._pending, None
            self._start_cue(words, self.time)
            if self.settings.burns_captions:
                self._caption = self._make_caption(words)
                self.add(self._caption)

    # ---- what every shot uses ------------------------------------------------------------

    def words(self, key: str, **fields) -> str:
        """A caption or label (scenes/captions.py) in the part's language."""
        return caption_text(key, self.lang, **fields)

    def color_legend(self, kind: str, key: str, corner: np.ndarray) -> ColorLegend:
        """The legend of a colour scale under a title, pinned in a corner; built once per
        scale and title."""
        cache = self.__dict__.setdefault("_legends", {})
        if (kind, key) not in cache:
            cache[kind, key] = ColorLegend(kind, self.words(key), font=font_for(self.lang))
            fix_in_frame(self, cache[kind, key])
        return cache[kind, key].to_corner(corner, buff=LEGEND_BUFF)

    def units_words(self) -> list[str]:
        """'8 of 24 units shown' when only the most active hidden units are drawn (the model has
        more than MAX_UNITS); none when all are."""
        story = self.view.story
        if not story.units_note:
            return []
        return [self.words("label_units", shown=len(story.units), total=story.model.hidden_size)]

    def notes_under(self, above: Mobject, lines: list[str]) -> list[VMobject]:
        """These notes, one a line, under `above` (the left legend) and flush with its left
        edge, pinned (not added): what the legend's colours are drawn on, such as only some
        of the units."""
        notes: list[VMobject] = []
        for words in lines:
            note = text(words, TABLE_TEXT, NOTE, self.lang)
            notes.append(note.next_to(above, DOWN, buff=0.15, aligned_edge=LEFT))
            above = note
        self.pin(*notes)
        return notes

    def pin(self, *mobs: Mobject) -> None:
        """Fix these in the frame: they stay put while the camera moves (not added)."""
        fix_in_frame(self, *mobs)

    def face(self, *mobs: Mobject) -> None:
        """Keep these turned to the camera, about their own centres (not added)."""
        camera = self.renderer.camera
        assert isinstance(camera, ThreeDCamera), "a part scene draws with a 3D camera"
        camera.add_fixed_orientation_mobjects(*mobs)

    def _start_cue(self, words: str, at: float) -> None:
        self._end_cue(at)
        self._cue = (caption_lines(words, self.lang), at)  # in the lines drawn on screen

    def _end_cue(self, at: float) -> None:
        """The subtitle of the caption said last ends at `at` (seconds into the video)."""
        # (Manim writes subtitles only beside a movie, and fails when there is none)
        if self._cue is not None and at > self._cue[1] and config.write_to_movie:
            words, start = self._cue
            self.add_subcaption(words, duration=at - start, offset=start - self.time)
        self._cue = None

    def _make_caption(self, words: str) -> Caption:
        cap = Caption(words, self.lang, letterbox=self.letterboxed)
        fix_in_frame(self, cap)
        return cap

    @property
    def skipping(self) -> bool:
        """True while a shot before the one rendered runs: nobody sees what it draws, only
        the state it leaves behind matters (so it may skip captions and passing formulas)."""
        return section_skipped(self)

    def gone_before_rendered(self, shot_id: str) -> bool:
        """True while a skipped shot runs and the shot rendered comes after shot_id: what is
        built now and removed by the end of shot_id is never seen, and need not be built."""
        ids = [shot.id for shot in shots_of(self.part)]
        wanted = (self.settings.shot or "").upper()
        return self.skipping and wanted in ids and ids.index(wanted) > ids.index(shot_id)

    def play(self, *animations, **kwargs) -> None:
        if not self.skipping:
            super().play(*animations, **kwargs)
            return
        anims = [prepare_animation(anim) for anim in animations]
        self.skipped_time += kwargs.get("run_time") or max(a.get_run_time() for a in anims)
        self.add_mobjects_from_animations(anims)  # as Manim's play does first
        for anim in anims:
            fast_forward(self, anim)


def fast_forward(scene, anim) -> None:
    """Leave the scene as this animation would, without playing it. Manim's own skipping still
    begins every animation, and Create, Write and Transform deep-copy their mobject then."""
    if isinstance(anim, AnimationGroup):
        for sub in anim.animations:
            fast_forward(scene, sub)
    elif isinstance(anim, Wait | Indicate):
        pass  # nothing changes
    elif isinstance(anim, Create | Write):  # drawn in full, or gone (Uncreate, Unwrite)
        if anim.is_remover():
            scene.remove(anim.mobject)
        else:
            scene.add(anim.mobject)
    elif isinstance(anim, ReplacementTransform):
        scene.remove(anim.mobject)
        scene.add(anim.target_mobject)
    else:  # in-place animations and camera moves: cheap to run to their end
        run_to_end(scene, anim)
