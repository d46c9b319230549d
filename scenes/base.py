"""PartScene: one Manim scene per part, one section (and one method) per shot.

A part plays as one continuous video; with Settings.shot set, the shots before it run with
their animations skipped (so the chosen shot starts from exactly the state in which the previous
shot ended) and the shots after it are not run at all.
"""

from __future__ import annotations

from manim import (
    AnimationGroup,
    Create,
    Indicate,
    ReplacementTransform,
    ThreeDScene,
    Wait,
    Write,
)
from manim.animation.animation import prepare_animation

from .settings import Settings
from .shots import shots_of


class PartScene(ThreeDScene):
    part: str = ""  # "rnn" or "lstm"; shot R1 is run by method shot_R1, and so on

    def setup(self) -> None:
        super().setup()
        self.settings = Settings.from_env()
        _draw_only_frames_shown(self.renderer)

    def construct(self) -> None:
        wanted = self.settings.shot.upper() if self.settings.shot else None
        for shot in shots_of(self.part):
            self.next_section(shot.id, skip_animations=wanted is not None and shot.id != wanted)
            getattr(self, f"shot_{shot.id}")()
            if shot.id == wanted:
                return

    @property
    def skipping(self) -> bool:
        """True while a shot before the one rendered runs: nobody sees what it draws, only
        the state it leaves behind matters (so it may skip captions and passing formulas)."""
        return self.renderer.file_writer.sections[-1].skip_animations

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
        anim._setup_scene(scene)
        anim.begin()
        anim.finish()
        anim.clean_up_from_scene(scene)


def _draw_only_frames_shown(renderer) -> None:
    """Manim's Cairo renderer draws the frame at every play(), even while animations are
    skipped (the shots before Settings.shot), and never shows those drawings. Skip them: a late
    shot rendered alone then costs little more than the shot itself."""
    draw = renderer.update_frame
    # Cairo caches its drawing context with the camera's centre at the time of the first draw;
    # make that happen now, while the centre is still at the origin.
    renderer.camera.get_cairo_context(renderer.camera.pixel_array)

    def update_frame(scene, mobjects=None, *args, **kwargs) -> None:
        if mobjects is not None and renderer.skip_animations:
            return
        draw(scene, mobjects, *args, **kwargs)

    renderer.update_frame = update_frame
