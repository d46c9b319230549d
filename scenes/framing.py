"""Framing from content: where the camera goes so that what is drawn fits the screen room
left free by the captions, legends, formulas and panels fixed in the frame.

Everything here measures what is drawn, on screen (``screen_box``: the mobjects' points as the
camera draws them, projected through the 3D camera, labels facing it included), so a shot
composes the same way for 1 or 8 steps, 1 or 16 units, a long label or a short one. Labels
placed among what is drawn: placing.py.

    room = free_room(scene, above=[legend, formula], below=[caption])
    self.move_camera(**CHAIN_VIEW, **fit_view(scene, [chain], room, CHAIN_VIEW))
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypedDict, cast

import numpy as np
from manim import AnimationGroup, Mobject, config

from .layout import Orientation
from .manim_adapter import frame_center_tracker, prepare_animation, zoom_tracker

MARGIN = 0.2  # between what is framed and the edge of its room (frame units)
TOUCH = 8 / 480  # a pixel at 480p: a label covering less than this stands clear (antialiasing)
Box = np.ndarray  # x0, y0, x1, y1 on screen, frame units from the frame's centre


class View(TypedDict):
    """Where the camera stands, as set_camera_orientation and move_camera take it."""

    phi: float
    theta: float
    frame_center: list[float]
    zoom: float


def frame_box() -> Box:
    w, h = config.frame_width / 2, config.frame_height / 2
    return np.array([-w, -h, w, h])


def screen_box(camera, mobs: Iterable[Mobject]) -> Box:
    """The box on screen of everything these mobjects draw, as the camera stands now."""
    return leaves_box(camera, drawn_leaves(mobs))


def drawn_leaves(mobs: Iterable[Mobject]) -> list[Mobject]:
    """The parts with points of these mobjects: what screen_box measures."""
    return [m for mob in mobs for m in mob.family_members_with_points()]


def leaves_box(camera, leaves: list[Mobject]) -> Box:
    """screen_box of the parts drawn_leaves found."""
    camera.reset_rotation_matrix()  # what drawing a frame does first: the camera may have moved
    points = camera.screen_points(leaves)[:, :2]
    return np.array([*points.min(axis=0), *points.max(axis=0)])


def box_as_seen(camera, mobs: Sequence[Mobject]) -> Callable[[], Box]:
    """screen_box of these mobjects as a function of where the camera stands, for mobjects
    that stay put while it moves: fit_view measures them eight times. What does not depend
    on the camera is found once: the parts, which are fixed in the frame, in the world or
    facing the camera, the points of those in the world stacked, and the centres those
    facing it turn about with each one's box about its points (on screen a facing part is
    its points shifted: its box is its own box shifted the same, to the last bit, as adding
    the same number keeps the order of floats)."""
    leaves = drawn_leaves(mobs)
    if not leaves or not np.isfinite(np.vstack([m.points for m in leaves])).all():
        return lambda: leaves_box(camera, leaves)  # screen_points' way with bad points
    in_frame, anchors = camera.fixed_in_frame_mobjects, camera.fixed_orientation_mobjects
    fixed = [m.points[:, :2] for m in leaves if m in in_frame]
    facing = [m for m in leaves if m in anchors and m not in in_frame]
    world = [m.points for m in leaves if m not in anchors and m not in in_frame]
    world_points = np.vstack(world) if world else None
    centres = np.array([anchors[m]() for m in facing]).reshape(-1, 3)
    facing_low = np.array([m.points[:, :2].min(axis=0) for m in facing]).reshape(-1, 2)
    facing_high = np.array([m.points[:, :2].max(axis=0) for m in facing]).reshape(-1, 2)
    lows = [p.min(axis=0) for p in fixed]
    highs = [p.max(axis=0) for p in fixed]

    def box() -> Box:
        camera.reset_rotation_matrix()  # as in leaves_box
        low, high = list(lows), list(highs)
        if world_points is not None:
            points = camera.project_points(world_points)[:, :2]
            low.append(points.min(axis=0))
            high.append(points.max(axis=0))
        if facing:
            shifts = (camera.project_points(centres) - centres)[:, :2]
            low.append((facing_low + shifts).min(axis=0))
            high.append((facing_high + shifts).max(axis=0))
        return np.array([*np.min(low, axis=0), *np.max(high, axis=0)])

    return box


def free_room(
    above: Sequence[Mobject] = (),
    below: Sequence[Mobject] = (),
    left: Sequence[Mobject] = (),
    right: Sequence[Mobject] = (),
    bottom: float | None = None,
) -> Box:
    """The room the frame leaves between things fixed in it: under those above, over those
    below (or over ``bottom``, e.g. the top of the caption band), right of those on the left
    and left of those on the right."""
    room = frame_box()
    if above:
        room[3] = min(m.get_bottom()[1] for m in above)
    if below:
        room[1] = max(m.get_top()[1] for m in below)
    if bottom is not None:
        room[1] = max(room[1], bottom)
    if left:
        room[0] = max(m.get_right()[0] for m in left)
    if right:
        room[2] = min(m.get_left()[0] for m in right)
    return room + np.array([MARGIN, MARGIN, -MARGIN, -MARGIN])


def caption_floor(scene, words: str | None = None) -> float | None:
    """The top of the band a caption takes at the bottom of the frame: of these words, or of
    a two-line caption (most are); None when the captions are not drawn into the picture."""
    from .blocks import Caption, caption_band_height

    if not scene.settings.burns_captions:
        return None
    if words is not None:
        return float(Caption(words, scene.lang).get_top()[1])
    return -config.frame_height / 2 + caption_band_height(scene.lang)


@contextmanager
def seen_from(scene, view: Orientation | View) -> Iterator:
    """The camera stands at this view (its orientation, and its centre and zoom if given)
    inside the with block, and as it was after it."""
    camera = scene.renderer.camera
    centre, zoom = frame_center_tracker(camera), zoom_tracker(camera)
    saved = (camera.get_phi(), camera.get_theta(), centre.get_center(), zoom.get_value())
    camera.set_phi(view["phi"])
    camera.set_theta(view["theta"])
    if "zoom" in view:
        where = cast(View, view)
        centre.move_to(np.array(where["frame_center"]))
        zoom.set_value(where["zoom"])
    try:
        yield camera
    finally:
        camera.set_phi(saved[0])
        camera.set_theta(saved[1])
        centre.move_to(saved[2])
        zoom.set_value(saved[3])
        camera.reset_rotation_matrix()


def fit_view(
    scene, mobs: Sequence[Mobject], room: Box, view: Orientation, max_zoom: float = 1.0
) -> View:
    """The view from this orientation (phi, theta) at which these mobjects are as large as
    fits the room, up to max_zoom, and centred in it. The camera is left as it was."""
    with seen_from(scene, view) as camera:
        centre, zoom = frame_center_tracker(camera), zoom_tracker(camera)
        # labels keep their size while zooming and the projection has perspective: a few
        # rounds of scaling, then shifting, settle it
        measured = box_as_seen(camera, mobs)
        for _ in range(4):
            box = measured()
            scale = min(
                (room[2] - room[0]) / (box[2] - box[0]), (room[3] - room[1]) / (box[3] - box[1])
            )
            zoom.set_value(min(zoom.get_value() * scale, max_zoom))
            box = measured()
            dx, dy = (room[:2] + room[2:]) / 2 - (box[:2] + box[2:]) / 2
            right, up = camera.get_rotation_matrix()[:2]
            centre.move_to(centre.get_center() - (dx * right + dy * up) / zoom.get_value())
        return {
            "phi": view["phi"],
            "theta": view["theta"],
            "frame_center": centre.get_center().tolist(),
            "zoom": float(zoom.get_value()),
        }


def look_at(scene, view: View, run_time: float) -> AnimationGroup:
    """Move the camera's centre and zoom to those of view (as move_camera does, but to play
    along with other animations in one play; phi and theta stay)."""
    camera = scene.renderer.camera
    move = prepare_animation(
        frame_center_tracker(camera).animate.move_to(np.array(view["frame_center"]))
    )
    turn = prepare_animation(zoom_tracker(camera).animate.set_value(view["zoom"]))
    return AnimationGroup(move.set_run_time(run_time), turn.set_run_time(run_time))


def leaf_boxes(camera, mobs: Iterable[Mobject]) -> list[Box]:
    """The screen box of every part with points of these mobjects (a neuron, a label...)."""
    camera.reset_rotation_matrix()
    boxes = []
    for mob in mobs:
        for m in mob.family_members_with_points():
            p = camera.transform_points_pre_display(m, m.points)[:, :2]
            boxes.append(np.array([*p.min(axis=0), *p.max(axis=0)]))
    return boxes


def line_boxes(camera, line: Mobject, pieces: int = 32) -> list[Box]:
    """Small boxes along a straight line drawn in the world (an axis), as the camera stands
    now: what a placing.Placer avoids to keep labels off the line (its one box would be a wall)."""
    camera.reset_rotation_matrix()
    ends = np.array([line.get_start(), line.get_end()])
    a, b = camera.transform_points_pre_display(line, ends)[:, :2]
    half = np.abs(b - a) / pieces / 2
    return [
        np.array([*(a + (b - a) * f - half), *(a + (b - a) * f + half)])
        for f in (np.arange(pieces) + 0.5) / pieces
    ]


def touches(camera, label: Mobject, avoid: list[Box]) -> bool:
    """The label, as it stands and the camera stands now, covers one of the avoid boxes by
    more than TOUCH each way."""
    return box_touches(screen_box(camera, [label]), avoid)


def box_touches(box: Box, avoid: list[Box] | np.ndarray) -> bool:
    """A box on screen covers one of the avoid boxes (a list, or an array one a row) by
    more than TOUCH each way."""
    others = np.asarray(avoid, float).reshape(-1, 4)
    w = np.minimum(box[2], others[:, 2]) - np.maximum(box[0], others[:, 0])
    h = np.minimum(box[3], others[:, 3]) - np.maximum(box[1], others[:, 1])
    return bool(((w > TOUCH) & (h > TOUCH)).any())
