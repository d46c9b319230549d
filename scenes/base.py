"""PartScene: one Manim scene per part, one section (and one method) per shot, and the
captions its shots say.

A part plays as one continuous video; with Settings.shot set, the shots before it run with
their animations skipped (so the chosen shot starts from exactly the state in which the previous
shot ended) and the shots after it are not run at all.
"""

from __future__ import annotations

from manim import (
    Animation,
    AnimationGroup,
    Create,
    Indicate,
    ReplacementTransform,
    ThreeDScene,
    Wait,
    Write,
)
from manim.utils.rate_functions import smooth

from . import glyph_cache
from .blocks import Caption, appear, fix_in_frame, vanish
from .captions import caption_text
from .manim_adapter import draw_only_frames_shown, prepare_animation, run_to_end, section_skipped
from .settings import Settings
from .shots import shots_of


class PartScene(ThreeDScene):
    part: str = ""  # "rnn" or "lstm"; shot R1 is run by method shot_R1, and so on

    def setup(self) -> None:
        super().setup()
        self.settings = Settings.from_env()
        self.lang = self.settings.lang
        self._caption: Caption | None = None
        self._pending: str | None = None  # a caption said while its shot was skipped
        # A late shot rendered alone costs little more than the shot itself: the frames of
        # the skipped shots before it are not drawn, and their texts' glyphs come from disk.
        draw_only_frames_shown(self.renderer)
        glyph_cache.install()

    def construct(self) -> None:
        wanted = self.settings.shot.upper() if self.settings.shot else None
        for shot in shots_of(self.part):
            self.next_section(shot.id, skip_animations=wanted is not None and shot.id != wanted)
            getattr(self, f"shot_{shot.id}")()
            if shot.id == wanted:
                break
        _ = self.caption  # the last caption said is on screen at the end

    def say(self, key: str, *along: Animation, run_time: float = 0.6, **fields) -> None:
        """Replace the caption at the bottom of the frame, while these animations (each with
        its own run_time) play on: one play, so one still background to draw. The old caption
        fades out in the first half of run_time and the new one in during the second, so the
        two are never seen over each other.

        While a skipped shot runs, the sentence is only remembered: of the skipped shots'
        captions only the last is ever seen (built when a shown shot replaces it)."""
        words = caption_text(key, self.lang, **fields)
        if self.skipping:
            if self._caption is not None:
                self.remove(self._caption)
            self._caption, self._pending = None, words
            if along:
                self.play(*along)
            return
        old, cap = self.caption, self._make_caption(words)
        swap = [appear(cap, run_time=run_time, rate_func=lambda t: smooth(max(0, 2 * t - 1)))]
        if old is not None:
            swap.append(vanish(old, run_time=run_time, rate_func=lambda t: smooth(min(1, 2 * t))))
        self.play(*swap, *along)
        self._caption = cap

    @property
    def caption(self) -> Caption | None:
        """The caption on screen (a remembered one is built and shown now)."""
        if self._pending is not None:
            self._caption, self._pending = self._make_caption(self._pending), None
            self.add(self._caption)
        return self._caption

    def _make_caption(self, words: str) -> Caption:
        cap = Caption(words, self.lang)
        fix_in_frame(self, cap)
        return cap

    @property
    def skipping(self) -> bool:
        """True while a shot before the one rendered runs: nobody sees what it draws, only
        the state it leaves behind matters (so it may skip captions and passing formulas)."""
        return section_skipped(self)

    def play(self, *animations, **kwargs) -> None:
        if not self.skipping:
            super().play(*animations, **kwargs)
            return
        anims = [prepare_animation(anim) for anim in animations]
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

