"""Building blocks the part scenes are made of, one class per kind (ManimML style), one module
per kind of thing:
  - blocks.py (here): BlockScene, face_camera, fix_in_frame, text and tex, Caption, Formula,
  - neurons.py: Neuron, NeuronLayer, CellGrid,
  - links.py: Links, DenseLinks, SelfLinks,
  - unrolled_chain.py: UnrolledChain,
  - animations.py: appear, vanish, Opacity, Glide, Throb, Recolor, LinkPulse.

World conventions (manim's ThreeDScene, z up):
  - a layer's neurons lie along ``axis`` (default RIGHT = world x: a row in the front view),
  - signals flow up along world z (x at the bottom, y on top, as in Karpathy's diagrams),
  - time runs along world y (into the screen in the front view, see UnrolledChain); turning
    the camera round the vertical axis opens it out to the right.
  FRONT is the camera of the flat front view: ``scene.set_camera_orientation(**FRONT)``.

Speed (see docs/DESIGN.md): every neuron is ONE flat disc with a sheen gradient and a
darker rim, kept facing the camera, so it reads as a ball from every angle; DepthCamera pastes
it as a small cached image. A bundle of links is one path per colour bin (Links.BINS), so an
8x8 bundle costs about 9 paths, not 64. Labels and single-colour formulas are one path each
(``tex``, colors.one_path); fixed in the frame, DepthCamera pastes them from an image too. A
heat map is one CellGrid. Measure with bench/render_bench.py before and after a change.

Using the blocks in a scene:
  - ``class MyPart(BlockScene, PartScene)``: draws with DepthCamera (links, then neurons
    far-to-near, then text, then everything fixed in the frame) and redraws at each frame only
    what the animations change.
  - ``face_camera(scene, *blocks)`` once a block is built (before it is shown): its discs and
    labels keep facing the camera; ``fix_in_frame(scene, *mobs)`` for captions, formulas,
    legends and insets. Neither adds anything to the scene: animate them in as usual.
  - Animations are built by the blocks: ``layer.fill(values)``, ``links.pulse()``,
    ``chain.unroll()``; still changes: ``layer.set_values(values)``. ``appear``, ``vanish``,
    ``Opacity``, ``Glide``, ``Recolor``, ``Throb``, ``Grow`` change a mobject in place: unlike
    FadeIn, .animate and friends they never deep-copy it, which matters for text and big groups.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np
from manim import (
    DOWN,
    UP,
    AnimationGroup,
    BackgroundRectangle,
    ManimColor,
    MathTex,
    Mobject,
    Rectangle,
    ThreeDScene,
    VGroup,
    VMobject,
    config,
)

from .animations import LinkPulse
from .camera import DepthCamera
from .colors import one_path
from .layout import font_for, orientation
from .linebreak import wrap
from .links import Links
from .manim_adapter import prepare_animation
from .story import columns, shortened
from .subscripts import sub_text

FRONT = orientation(90, -90)  # screen right = +x, screen up = +z


class BlockScene(ThreeDScene):
    """A ThreeDScene made of these blocks; listed first among a scene's bases: ``class
    RNNPart(BlockScene, PartScene)``. It draws with DepthCamera, and redraws at each frame only
    what the animations change.

    (Manim redraws, at every frame, the first animated or updating mobject of the scene's list
    and every one after it; the rest is drawn once into a still background. So what updaters
    change and what is animated go last; and with links, drawn under neurons, the layers they
    join and the labels over them (Links.over) are redrawn too, for the duration:
    get_moving_mobjects adds them, the scene's list is left as it is.)
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(camera_class=DepthCamera, **kwargs)
        self._joined: list[Mobject] = []

    def play(self, *animations, **kwargs) -> None:
        if getattr(self, "skipping", False):  # a PartScene shot nobody sees: nothing is drawn
            super().play(*animations, **kwargs)
            return
        animations = tuple(prepare_animation(a) for a in animations)
        # what updaters change is redrawn too: last, after what earlier plays put last
        updating = [m for m in self.mobjects if m.get_family_updaters()]
        self.mobjects = [m for m in self.mobjects if m not in updating] + updating
        for anim in animations:
            for mob, links in _animated(anim):
                if mob in self.mobjects:
                    self.mobjects.remove(mob)
                    self.mobjects.append(mob)
                self._joined += [m for bundle in links for m in (bundle.a, bundle.b, *bundle.over)]
        try:
            super().play(*animations, **kwargs)
        finally:
            self._joined = []

    def get_moving_mobjects(self, *animations) -> list[Mobject]:
        moving = super().get_moving_mobjects(*animations)
        shown = set(self.get_mobject_family_members())
        # the layers' parts, not only the layers: once a part was removed (a name faded out
        # for good), Manim broke the layer up in the scene's list and only its parts are there
        joined = [m for layer in self._joined for m in layer.get_family()]
        seen = {id(m) for m in moving}
        return moving + [m for m in joined if m in shown and id(m) not in seen]


def _animated(anim) -> list[tuple[Mobject | None, list[Links]]]:
    """Each mobject an animation changes, with the bundles of links among it."""
    if isinstance(anim, AnimationGroup):
        return [pair for sub in anim.animations for pair in _animated(sub)]
    mob = getattr(anim, "mobject", None)
    if isinstance(anim, LinkPulse):
        return [(mob, [anim.links])]
    members = mob.submobjects if isinstance(mob, VGroup) else []
    links = [mob] if isinstance(mob, Links) else [m for m in members if isinstance(m, Links)]
    return [(mob, links)]


def face_camera(scene, *blocks) -> None:
    """Keep the discs and labels of these blocks facing the camera (without adding them)."""
    camera = scene.renderer.camera
    for block in blocks:
        for mob, anchor in block.facing:
            camera.add_fixed_orientation_mobjects(mob, center_func=anchor)


def fix_in_frame(scene, *mobs: Mobject) -> None:
    """Pin these to the screen: they stay put while the camera moves (without adding them)."""
    scene.renderer.camera.add_fixed_in_frame_mobjects(*mobs)


def text(s: str, font_size: float = 22, color: str = "#EEEEEE", lang: str = "en") -> VMobject:
    """A Text in the caption font of a language (Noto Sans CJK SC for Chinese); its Unicode
    subscripts (Sₜ₋₁) drawn as real glyphs that read (scenes/subscripts.py)."""
    return sub_text(s, font_size, color, font_for(lang))


def fitted_text(
    name: str, width: float, make: Callable[[str], VMobject], most: int = 24
) -> VMobject:
    """make(name), its name cut with an ellipsis (story.shortened) to at most `most` columns,
    and shorter till what make draws is at most width wide: a name from a user's file (a
    CSV's header) may be of any length, and its letters of any width (W, 中)."""
    top = max(min(columns(name), most), 1)
    mob = make(shortened(name, top))
    if mob.width <= width:
        return mob
    # the longest cut that fits, found by halving: each try builds a text (a long name took
    # up to 22 tries one column at a time, 0.3-0.4 s of each shot's build)
    fits, low, high = None, 1, top - 1
    while low <= high:
        cut = (low + high) // 2
        tried = make(shortened(name, cut))
        if tried.width <= width:
            fits, low = tried, cut + 1
        else:
            high = cut - 1
    return fits or make(shortened(name, 1))


def tex(*parts: str, font_size: float = 30, color: str | ManimColor = "#FFFFFF") -> VMobject:
    """A single-colour formula as one path (a MathTex is a mobject per glyph, and each costs
    time at every frame it is redrawn). Use MathTex where parts are coloured or animated."""
    return one_path(MathTex(*parts, font_size=font_size, color=color))


class Caption(VGroup):
    """A subtitle fixed at the bottom of the frame, on a dark band, wrapped to fit. As a
    letterbox, the band is opaque and spans the frame's width, as high as a two-line band: for
    while the world fills the frame (the network showed through the band as it passed under)."""

    def __init__(
        self,
        s: str,
        lang: str = "en",
        font_size: float = 24,
        max_width: float | None = None,
        letterbox: bool = False,
    ) -> None:
        super().__init__()
        max_width = max_width or caption_width()
        self.text = s
        body = one_path(
            text(caption_lines(s, lang, font_size, max_width), font_size, "#FFFFFF", lang)
        )
        if body.width > max_width:
            body.scale_to_fit_width(max_width)
        body.to_edge(DOWN, buff=0.25)
        band: Rectangle = BackgroundRectangle(body, color="#000000", fill_opacity=0.65, buff=0.12)
        if letterbox:
            two_lines = caption_band_height(lang) - config.frame_height / 2
            band = letterbox_band(max(band.get_top()[1], two_lines))
        self.body = body
        self.add(band, body)


def caption_width() -> float:
    """How wide a caption may be, in scene units: the frame's width less a margin."""
    return config.frame_width - 1.0


def caption_lines(s: str, lang: str, font_size: float = 24, max_width: float | None = None) -> str:
    """A caption with "\\n" where its lines break, as a Caption draws it; the subtitles break
    their cues here too (scenes/base.py), so a player shows the lines the video would."""
    max_width = max_width or caption_width()
    width = max_width / cjk_em(font_size) * 0.95 if lang == "zh" else 80  # 5 %: estimates
    return wrap(s, lang, width)


def letterbox_band(top: float) -> Rectangle:
    """An opaque black band across the frame, from its bottom edge up to top."""
    height = top + config.frame_height / 2
    band = Rectangle(
        width=config.frame_width, height=height, fill_color="#000000", fill_opacity=1.0
    )
    return band.set_stroke(width=0).to_edge(DOWN, buff=0)


def opaque_box(x0: float, y0: float, x1: float, y1: float) -> Rectangle:
    """An opaque black box from (x0, y0) to (x1, y1) on screen: what is behind it does not
    show (a letterbox of any size)."""
    box = Rectangle(width=x1 - x0, height=y1 - y0, stroke_width=0)
    return box.set_fill("#000000", 1).move_to(np.array([(x0 + x1) / 2, (y0 + y1) / 2, 0.0]))


@functools.cache
def cjk_em(font_size: float) -> float:
    """The width of a CJK character in the caption font at this size (linebreak.ems counts
    widths in these)."""
    return float(text("字" * 10, font_size, lang="zh").width) / 10


def caption_band_height(lang: str) -> float:
    """How far up from the frame's bottom edge the band of a two-line caption (most are)
    reaches: the room a picture without burned captions gains."""
    return _band_height(lang, config.frame_width, config.frame_height)


@functools.cache
def _band_height(lang: str, frame_width: float, frame_height: float) -> float:
    # built once per frame size: a caption of 60 glyphs, asked for by every shot that frames
    # its picture above the captions (caption_floor), a tenth of a second each time
    two_lines = "Mg " * 30 if lang != "zh" else "字" * 40
    return float(Caption(two_lines, lang).get_top()[1]) + frame_height / 2


class Formula(MathTex):
    """A formula fixed at the top of the frame. ``colors`` maps a LaTeX part to a colour (give
    that part as its own argument so it can be highlighted, e.g. "W_s S_{t-1}")."""

    def __init__(
        self, *tex: str, colors: dict[str, str] | None = None, font_size: float = 40, **kwargs
    ) -> None:
        super().__init__(*tex, font_size=font_size, **kwargs)
        for part, color in (colors or {}).items():
            self.set_color_by_tex(part, color)
        self.to_edge(UP, buff=0.3)
