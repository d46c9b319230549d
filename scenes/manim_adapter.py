"""Every place rnn3d reaches past Manim's documented API, in one module.

The scenes are written against Manim 0.21 (the pin in pyproject.toml is for this module). What
they need and Manim does not offer as public API is done here, and only here: skipping the
frames nobody sees, reading whether the current section is skipped, running an animation to
its end without playing it, following the camera's frame centre, writing a VMobject's colour
arrays in place, parsing SVGs through a cache, tidying text SVGs without rewriting shared
files, and encoding with rnn3d's x264 options.
scenes/camera.py is the one other module that knows Manim's insides: it overrides the Cairo
camera's drawing methods. Moving to a new Manim is a job for these two files;
tests/test_manim_adapter.py exercises exactly what they use of Manim, so it says what to fix.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from manim import Animation, Mobject, Transform, ValueTracker, VMobject
from manim.animation.animation import prepare_animation as _prepare
from manim.camera.camera import Camera
from manim.mobject.svg.svg_mobject import SVGMobject
from manimpango import PangoUtils

from rnncore.files import atomic_path

# The colour arrays of a VMobject: one RGBA row per colour of its gradient.
RGBA_ARRAYS = ("fill_rgbas", "stroke_rgbas", "background_stroke_rgbas")

if TYPE_CHECKING:
    from av.video.stream import VideoStream
    from rich.console import Console as RichConsole

SvgParser = Callable[[SVGMobject], SVGMobject]

manim_parse_svg: SvgParser = SVGMobject.generate_mobject  # Manim's own SVG parser


# ---- the renderer ----------------------------------------------------------------------------


def section_skipped(scene) -> bool:
    """Whether the scene's current section (a PartScene shot) is skipped."""
    return bool(scene.renderer.file_writer.sections[-1].skip_animations)


def draw_only_frames_shown(renderer, full_frames: bool = True) -> None:
    """Manim's Cairo renderer draws the frame at every play(), even while animations are
    skipped, and never shows those drawings: skip them. With full_frames, a draw of the whole
    scene (no mobjects given: a section's end, the last frame) still happens while skipping;
    without (tests, which ask for frames with grab_frame), nothing is drawn unless asked."""
    draw = renderer.update_frame
    # Cairo caches its drawing context with the camera's centre at the time of the first draw;
    # make that happen now, while the centre is still at the origin.
    renderer.camera.get_cairo_context(renderer.camera.pixel_array)

    def update_frame(scene, mobjects=None, *args, ignore_skipping: bool = False, **kwargs):
        if (
            renderer.skip_animations
            and not ignore_skipping
            and (mobjects is not None or not full_frames)
        ):
            return
        draw(scene, mobjects, *args, ignore_skipping=True, **kwargs)

    renderer.update_frame = update_frame
    if not full_frames:
        renderer.save_static_frame_data = lambda scene, mobjects: None


def grab_frame(scene) -> np.ndarray:
    """Draw the whole scene now, skipping or not, and return the frame as (h, w, 3) RGB."""
    scene.renderer.static_image = None
    scene.renderer.update_frame(scene, ignore_skipping=True)
    return np.array(scene.renderer.get_frame())[:, :, :3]


# ---- mobjects -------------------------------------------------------------------------------

manim_get_family = Mobject.get_family  # Manim's own


def family(mob: Mobject, recurse: bool = True) -> list[Mobject]:
    """What Manim's Mobject.get_family gives: the mobject and its submobjects, depth first,
    each once (at its last place). Manim removes repeats at every level of the tree, in Python;
    the camera asks for every family at every frame (a third of L5's per-frame overhead):
    here the tree is walked once and repeats removed once, only if there are any."""
    return _once(_depth_first([mob]))


def _depth_first(mobs: list[Mobject]) -> list[Mobject]:
    """These mobjects' families one after the other, each depth first, repeats and all."""
    members: list[Mobject] = []
    todo = mobs[::-1]
    while todo:
        m = todo.pop()
        members.append(m)
        todo.extend(reversed(m.submobjects))
    return members


def _once(members: list[Mobject]) -> list[Mobject]:
    """Each mobject once, at its last place."""
    once = dict.fromkeys(reversed(members))
    return members if len(once) == len(members) else list(once)[::-1]


def use_fast_families() -> None:
    """Mobject.get_family is `family` from now on, in this process."""
    Mobject.get_family = family  # type: ignore[method-assign, assignment]


# ---- animations ------------------------------------------------------------------------------


def prepare_animation(anim) -> Animation:
    """An Animation from what play() accepts (an animation or a ``mob.animate`` builder)."""
    return _prepare(anim)


def run_to_end(scene, anim: Animation) -> None:
    """Leave the scene (and the animation's mobject) as the animation would at its end, without
    drawing a frame."""
    anim._setup_scene(scene)
    if _lands_on_its_target(anim):
        _land_on_target(cast(Transform, anim))
    else:
        anim.begin()
        anim.finish()
    anim.clean_up_from_scene(scene)


def _lands_on_its_target(anim: Animation) -> bool:
    """A plain Transform that ends on its target, with no updaters to run as it ends."""
    return (
        type(anim) is Transform
        and anim.rate_func(1.0) == 1.0
        and not anim.mobject.get_family_updaters()
    )


def _land_on_target(anim: Transform) -> None:
    """Transform's begin and finish without the copy of the mobject it starts from: the
    mobject is aligned with a copy of the target, as in begin, and each part is then
    interpolated to it at alpha 1, as in finish (which takes none of the start's points, and
    every colour from the target)."""
    mob, target = cast(Mobject, anim.mobject), cast(Mobject, anim.target_mobject).copy()
    mob.align_data(target)
    for part, end in zip(
        mob.family_members_with_points(), target.family_members_with_points(), strict=True
    ):
        anim.interpolate_submobject(part, part, end, 1.0)


# ---- the camera ------------------------------------------------------------------------------


def frame_center_tracker(camera) -> Mobject:
    """The point mobject a ThreeDCamera looks at (animate it to move the camera along with other
    animations in one play)."""
    return camera._frame_center


def zoom_tracker(camera) -> ValueTracker:
    return camera.zoom_tracker


def anchored_at_own_centre(camera, mob: Mobject) -> bool:
    """Whether a mobject facing the camera turns about its own centre: ThreeDCamera keeps, for
    each, the function giving its anchor, by default the bound get_center of the mobject added
    (a submobject's is its parent's)."""
    anchor = camera.fixed_orientation_mobjects[mob]
    return getattr(anchor, "__self__", None) is mob and anchor.__name__ == "get_center"


def mobjects_to_display(
    camera: Camera,
    mobjects: list[Mobject],
    include_submobjects: bool = True,
    excluded_mobjects: list[Mobject] | None = None,
) -> list[Mobject]:
    """The flat list of what a camera draws, in the scene's order (ThreeDCamera's own sorts
    it by depth, which DepthCamera replaces by its ranks): Camera.get_mobjects_to_display's
    list, found at every frame with one walk of the tree and repeats removed once (Manim
    lists each family's members with points, then removes repeats in Python)."""
    if not include_submobjects or excluded_mobjects:
        return Camera.get_mobjects_to_display(
            camera, mobjects, include_submobjects, excluded_mobjects
        )
    # all the families in one walk: each member at its last place, as Manim keeps them
    shown = _once([m for m in _depth_first(list(mobjects)) if len(m.points)])
    return sorted(shown, key=lambda m: m.z_index) if camera.use_z_index else shown


# ---- VMobject colours --------------------------------------------------------------------------


def rgba_arrays(mob: VMobject) -> list[np.ndarray]:
    """The colour arrays of a VMobject (fill, stroke, background stroke), to change in place."""
    return [getattr(mob, name) for name in RGBA_ARRAYS]


def plain_vmobjects(
    points: list[np.ndarray], fill: np.ndarray, stroke: np.ndarray, stroke_width: np.ndarray
) -> list[VMobject]:
    """VMobjects with these points, each with one fill and one stroke colour (RGBA rows) and
    a stroke width: what VMobject(fill_color=, fill_opacity=, stroke_color=, stroke_opacity=,
    stroke_width=) builds, in a fiftieth of the time (its __init__ sets every colour through
    Manim's colour parsing, half a millisecond; a text has a glyph per character). Each is a
    copy of one plain VMobject's attributes, with arrays and lists of its own."""
    plain = VMobject(stroke_width=0.0)
    state = plain.__dict__
    leaves = []
    for pts, f, s, w in zip(points, fill, stroke, stroke_width.tolist(), strict=True):
        leaf = VMobject.__new__(VMobject)
        leaf.__dict__.update(state)
        leaf.submobjects, leaf.updaters = [], []
        leaf.sheen_direction = np.array(plain.sheen_direction)
        leaf.background_stroke_rgbas = plain.background_stroke_rgbas.copy()
        leaf.points = pts
        leaf.fill_rgbas = np.array([f], dtype=float)
        leaf.stroke_rgbas = np.array([s], dtype=float)
        leaf.fill_opacity, leaf.stroke_opacity, leaf.stroke_width = float(f[3]), float(s[3]), w
        leaves.append(leaf)
    return leaves


manim_subpaths_from_points = VMobject.get_subpaths_from_points  # Manim's own


def subpaths_from_points(vmob: VMobject, points: np.ndarray) -> list[np.ndarray]:
    """VMobject.get_subpaths_from_points: the runs of curves whose ends meet, found with
    Manim's own vectorised split (get_subpath_split_indices_from_points, the same test of
    nearness), not one numpy comparison per curve in Python. Every Transform aligns its two
    mobjects' subpaths as it begins; a text has hundreds of curves."""
    nppcc = vmob.n_points_per_cubic_curve
    splits = vmob.get_subpath_split_indices_from_points(points).tolist()
    return [points[start:end] for start, end in splits if end - start >= nppcc]


def use_fast_subpaths() -> None:
    """VMobject.get_subpaths_from_points is `subpaths_from_points` from now on, here."""
    VMobject.get_subpaths_from_points = subpaths_from_points  # type: ignore[method-assign, assignment]


def keep_first_stroke_colour(mob: VMobject) -> None:
    """A plain stroke: only the first colour of its gradient (one colour to draw)."""
    mob.stroke_rgbas = mob.stroke_rgbas[:1]


# ---- SVG parsing (every Text and MathTex) -------------------------------------------------------


def use_svg_parser(parse: SvgParser) -> None:
    """Parse every SVG (Text, MathTex) with parse, which may call manim_parse_svg."""
    SVGMobject.generate_mobject = parse  # type: ignore[method-assign, assignment]


def keep_text_svgs_whole() -> None:
    """Text and MarkupText tidy their SVG file each time one is built (manimpango's
    remove_last_M), rewriting it in place even when nothing changes. A render child's SVGs are
    hard links to the shared cache's files, so every other render reading the same file could
    catch it emptied or half-written: a "no element found" ParseError, or a Text with fewer
    glyphs than characters (and a glyph-cache entry keyed by the half file). Here the file is
    rewritten only when the tidying changes it, as a new file put in place in one step; the
    shared file is never touched."""
    PangoUtils.remove_last_M = staticmethod(_remove_last_m_atomically)  # type: ignore[method-assign]


def _remove_last_m_atomically(file_name: str) -> None:
    path = Path(file_name)
    content = path.read_text()
    tidied = re.sub(r'Z M [^A-Za-z]*? "\/>', 'Z "/>', content)  # manimpango's own pattern
    if tidied != content:
        with atomic_path(path) as tmp:
            tmp.write_text(tidied)


def svg_identity(svg: SVGMobject) -> tuple[bytes, tuple]:
    """Everything that shapes what an SVG is parsed into: its file's bytes and its settings."""
    return (
        svg.get_file_path().read_bytes(),
        (type(svg).__qualname__, svg.svg_default, svg.path_string_config),
    )


def svg_id_groups(svg: SVGMobject) -> dict:
    """The SVG's element ids, each with the VGroup of its glyphs (MathTex finds parts by id)."""
    return svg.id_to_vgroup_dict


def set_svg_id_groups(svg: SVGMobject, groups: dict) -> None:
    svg.id_to_vgroup_dict = groups


def forget_parsed_svgs() -> None:
    """Empty Manim's in-process map of parsed SVGs (MathTex uses it), so the next text is
    parsed, or read from the glyph cache, as in a new process."""
    from manim.mobject.svg import svg_mobject

    svg_mobject.SVG_HASH_TO_MOB_MAP.clear()


# ---- the encoder (rnn3d's render children) ------------------------------------------------------


def use_x264_options(options: dict[str, str]) -> None:
    """Open every H.264 stream Manim writes with these x264 options beside Manim's own (crf),
    and convert a frame Manim writes many times (a wait) to the stream's pixel format once.

    Manim opens a stream per animation and its worker thread opens the encoder at the first
    frame, which Manim queues only after open_partial_movie_stream returns: options set here
    are in place by then."""
    import av
    from manim.scene.scene_file_writer import SceneFileWriter, _PartialMovieEncodeJob

    open_stream = SceneFileWriter.open_partial_movie_stream
    encode_frames = _PartialMovieEncodeJob._encode_and_write_frame

    def open_partial_movie_stream(writer: SceneFileWriter, file_path: Any = None) -> None:
        open_stream(writer, file_path)
        job = writer._current_encode_job
        if job is not None and job.stream.codec_context.name == "libx264":
            job.stream.codec_context.options = {**job.stream.codec_context.options, **options}

    def encode_and_write_frame(job: _PartialMovieEncodeJob, frame: Any, count: int) -> None:
        if count == 1 or job.stream.codec_context.name != "libx264":
            encode_frames(job, frame, count)
            return
        stream = cast("VideoStream", job.stream)
        picture = av.VideoFrame.from_ndarray(frame, format="rgba").reformat(format=stream.pix_fmt)
        for _ in range(count):
            picture.pts = None  # each copy gets the next time stamp (x264 copies the picture)
            for packet in stream.encode(picture):
                job.container.mux(packet)

    SceneFileWriter.open_partial_movie_stream = open_partial_movie_stream  # type: ignore[method-assign, assignment]
    _PartialMovieEncodeJob._encode_and_write_frame = encode_and_write_frame  # type: ignore[method-assign, assignment]


# ---- the command line (`manim render` in rnn3d's render children) --------------------------------


ErrorReport = Callable[[BaseException], "int | None"]


def report_render_errors(report: ErrorReport) -> None:
    """`manim render` prints any exception a scene raises as a long traceback, then exits 1.
    Give report(err) the first word: it prints its own line and returns an exit status, or
    returns None to leave the exception to Manim."""
    import sys

    from manim.cli.render import commands

    manims = commands.error_console

    class Console:
        def print_exception(self, *args, **kwargs) -> None:
            err = sys.exc_info()[1]
            status = None if err is None else report(err)
            if status is None:
                manims.print_exception(*args, **kwargs)
            else:
                sys.exit(status)

        def __getattr__(self, name: str):
            return getattr(manims, name)

    # it stands in for Manim's rich Console: what it does not define, it hands on to that one
    commands.error_console = cast("RichConsole", Console())
