"""Framing from content: where the camera goes so that what is drawn fits the screen room
left free by the captions, legends, formulas and panels fixed in the frame.

Everything here measures what is drawn, on screen (``screen_box``: the mobjects' points as the
camera draws them, projected through the 3D camera, labels facing it included), so a shot
composes the same way for 1 or 8 steps, 1 or 16 units, a long label or a short one.

    room = free_room(scene, above=[legend, formula], below=[caption])
    self.move_camera(**CHAIN_VIEW, **fit_view(scene, [chain], room, CHAIN_VIEW))
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypedDict, cast

import numpy as np
from manim import DOWN, LEFT, ORIGIN, UP, Animation, AnimationGroup, Mobject, VMobject, config

from .animations import FULL_ALPHA, Glide, fade_for_good, hide
from .layout import Orientation
from .manim_adapter import frame_center_tracker, prepare_animation, rgba_arrays, zoom_tracker

if TYPE_CHECKING:
    from .neurons import NeuronLayer

MARGIN = 0.2  # between what is framed and the edge of its room (frame units)
TOUCH = 8 / 480  # a pixel at 480p: a label covering less than this stands clear (antialiasing)
# between two names: 6 px at 480p (and the pixel touches() forgives); closer, names in a row
# read as one word ("y44 y45 S47")
NAME_GAP = 7 * 8 / 480
NAME_NUDGES = [  # where a copy's name may go, from where it was built (on screen: a
    # label facing the camera moves with its anchor by its own x and y)
    ORIGIN,
    UP * 0.2,
    DOWN * 0.2,
    LEFT * 0.25,
    (UP + LEFT) * 0.2,
    (DOWN + LEFT) * 0.2,
    UP * 0.35,
    DOWN * 0.35,
    (UP + LEFT) * 0.35,
    (DOWN + LEFT) * 0.35,
    UP * 0.5,
]
FAR = 0.8  # how far a name that must stay may be nudged to stand clear (frame units)
# and further, nearest first, for a name that stays however crowded the chain is
KEPT_NUDGES = sorted(
    (
        np.array([x, y, 0.0])
        for x in np.arange(-FAR, FAR + 0.01, 0.1)
        for y in np.arange(-FAR, FAR + 0.01, 0.1)
    ),
    key=lambda d: float(np.hypot(d[0], d[1])),
)
END_BUFF = 0.06  # between a neuron and a name past it (frame units)
END_SIDE_SHIFTS = (0.0, 0.15, -0.15, 0.3, -0.3)  # past a row's end, across it (frame units)
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
    camera.reset_rotation_matrix()  # what drawing a frame does first: the camera may have moved
    parts = [
        camera.transform_points_pre_display(m, m.points)[:, :2]
        for mob in mobs
        for m in mob.family_members_with_points()
    ]
    points = np.vstack(parts)
    return np.array([*points.min(axis=0), *points.max(axis=0)])


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
        for _ in range(4):
            box = screen_box(camera, mobs)
            scale = min(
                (room[2] - room[0]) / (box[2] - box[0]), (room[3] - room[1]) / (box[3] - box[1])
            )
            zoom.set_value(min(zoom.get_value() * scale, max_zoom))
            box = screen_box(camera, mobs)
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
    now: what a Placer avoids to keep labels off the line (its one box would be a wall)."""
    camera.reset_rotation_matrix()
    ends = np.array([line.get_start(), line.get_end()])
    a, b = camera.transform_points_pre_display(line, ends)[:, :2]
    half = np.abs(b - a) / pieces / 2
    return [
        np.array([*(a + (b - a) * f - half), *(a + (b - a) * f + half)])
        for f in (np.arange(pieces) + 0.5) / pieces
    ]


def _overlap_area(a: Box, b: Box) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return max(w, 0.0) * max(h, 0.0)


def _cover(camera, label: Mobject, avoid: list[Box], margin: float) -> float:
    box = screen_box(camera, [label]) + np.array([-margin, -margin, margin, margin])
    return sum(_overlap_area(box, other) for other in avoid)


def touches(camera, label: Mobject, avoid: list[Box]) -> bool:
    """The label, as it stands and the camera stands now, covers one of the avoid boxes by
    more than TOUCH each way."""
    box = screen_box(camera, [label])
    return any(
        min(box[2], b[2]) - max(box[0], b[0]) > TOUCH
        and min(box[3], b[3]) - max(box[1], b[1]) > TOUCH
        for b in avoid
    )


class Placer:
    """Labels placed one by one among boxes on screen they keep off (avoid), as the camera
    stands now: a label joins avoid once it is placed for good, one box each (keep_off), so
    what is placed after it keeps off it too."""

    def __init__(self, camera, avoid: list[Box]) -> None:
        self.camera, self.avoid = camera, avoid

    def try_spots(self, label: Mobject, spots: Sequence[np.ndarray]) -> bool:
        """Move a label (facing the camera) to the first of these world points where it covers
        none of the avoid boxes, else to where it covers least; False if it stands clear
        nowhere. It does not join avoid."""
        best, best_score = spots[0], (True, float("inf"))
        for spot in spots:
            label.move_to(spot)
            cover = _cover(self.camera, label, self.avoid, MARGIN / 4)
            score = (touches(self.camera, label, self.avoid), cover)  # clear of all, if it can be
            if score < best_score:
                best, best_score = spot, score
            if cover == 0:
                break
        label.move_to(best)
        return not best_score[0]

    def keep_off(self, label: Mobject, gap: float = 0.0) -> None:
        """The label's box where it stands, grown by gap each way (what is placed after it
        keeps that far), joins avoid."""
        box = screen_box(self.camera, [label])
        self.avoid.append(box + np.array([-gap, -gap, gap, gap]))

    def place(self, label: Mobject, spots: Sequence[np.ndarray], gap: float = 0.0) -> bool:
        """try_spots, then the label keeps the spot: it joins avoid (grown by gap)."""
        clear = self.try_spots(label, spots)
        self.keep_off(label, gap)
        return clear


class NamePlacer(Placer):
    """A Placer of layers' names, each where it stands no further from its own row than from
    any other (rows.own) unless it must stay and is clear nowhere else."""

    def __init__(self, camera, avoid: list[Box], rows: RowDiscs) -> None:
        super().__init__(camera, avoid)
        self.rows = rows

    def place_name(
        self, name: Mobject, layer: NeuronLayer, spots: Sequence[np.ndarray], keep: bool
    ) -> bool:
        """Move the name to the first clear one of these spots nearer its own row; else, if it
        must stay (keep), past its row's end, nearer its row, if clear there, else to where of
        all the spots it covers least. A name placed (clear, or kept) joins avoid, NAME_GAP
        round it; one left out does not. True if it stands clear."""
        near = self.rows.own(self.camera, name, layer, spots)
        clear = bool(near) and self.try_spots(name, near)
        if not clear and keep:
            ends = self.rows.own(self.camera, name, layer, past_end(self.camera, name, layer))
            clear = bool(ends) and self.try_spots(name, ends)
            if not clear:
                self.try_spots(name, spots)
        if clear or keep:
            self.keep_off(name, NAME_GAP)
        return clear


def place_names(
    scene,
    view: View,
    steps: Sequence[Sequence[NeuronLayer]],
    kept: Iterable[int],
    extra: Sequence[Mobject] = (),
    lines: Sequence[Mobject] = (),
    room: Box | None = None,
    own_rows: bool = False,
) -> list[Animation]:
    """The names of the steps' layers (NeuronLayer titles), as a map places names: seen from
    this view, each stays where it stands if it covers no neuron, layer's label, one of extra,
    line or name placed before it (nor comes within NAME_GAP of a label) and stays inside
    the room, if given, else goes to the first clear spot round it (with own_rows, where it
    stands no further from its own row than from any other: nearer another, it reads as that
    row's); one with no room is left out. The kept steps' names are placed first (with 8 steps
    there is not room for all): the first of each always stays, nudged up to FAR round where
    it stands when crowded, else past its row's end, else anywhere clear; the others, like the
    other steps' names, stay near their rows or are left out. Names not on screen are moved
    or hidden at once; the animations returned, to play on the way to the view, glide those
    on screen to their spots or fade them out (for good)."""
    kept = set(kept)
    names = [(k, ly, n) for k, step in enumerate(steps) for ly in step for n in ly.title]
    names = [(k, ly, n) for k, ly, n in names if not _left_out(n)]
    names.sort(key=lambda kln: kln[0] not in kept)  # the kept first, else in order
    moved, crowded, named = [], [], set()  # named: the kept steps with a name placed
    with seen_from(scene, view) as camera:
        placer = _name_placer(camera, steps, extra, lines, room, own_rows)
        for k, layer, name in names:
            # a kept step's first name: it stays, however far it must go
            here, keep = name.get_center(), k in kept and k not in named
            spots = [here + d for d in NAME_NUDGES + (KEPT_NUDGES if keep else [])]
            if placer.place_name(name, layer, spots, keep) or keep:
                moved.append((name, name.get_center() - here))
                named.add(k)
            else:  # it is left out where it stood
                crowded.append(name.move_to(here))
    shown = {id(m) for m in scene.get_mobject_family_members()}
    for name, shift in moved:  # those on screen glide there
        if id(name) in shown and np.any(shift):
            name.shift(-shift)
    for name in crowded:
        if id(name) not in shown:
            hide(name)
    glides = [Glide(n, shift) for n, shift in moved if id(n) in shown and np.any(shift)]
    return glides + [fade_for_good(n) for n in crowded if id(n) in shown]


def _name_placer(
    camera,
    steps: Sequence[Sequence[NeuronLayer]],
    extra: Sequence[Mobject],
    lines: Sequence[Mobject],
    room: Box | None,
    own_rows: bool,
) -> NamePlacer:
    """What place_names places the names among, as the camera stands now: the neurons, the
    layers' labels and extra (NAME_GAP round them), the lines and outside the room."""
    layers = [layer for step in steps for layer in step]
    discs = [d for layer in layers for d in layer.discs]
    pad = np.array([-NAME_GAP, -NAME_GAP, NAME_GAP, NAME_GAP])  # from other labels too
    labels = [*(layer.labels for layer in layers), *extra]
    disc_boxes = leaf_boxes(camera, discs)
    owners = np.array([id(ly) for ly in layers for _ in ly.discs]) if own_rows else None
    avoid = disc_boxes + [box + pad for box in leaf_boxes(camera, labels)]
    avoid += [box for line in lines for box in line_boxes(camera, line)]
    avoid += [] if room is None else _around(room)
    return NamePlacer(camera, avoid, RowDiscs(disc_boxes, owners))


def past_end(camera, name: Mobject, layer: NeuronLayer) -> list[np.ndarray]:
    """Where to move a layer's name (facing the camera) so that, on screen as the camera
    stands now, it stands past the layer's last neuron, in line with the row (and a little
    to either side): a name with no room by the first neuron, where it was built, reads as
    the row's as well at its other end."""
    if len(layer.discs) < 2:
        return []
    here = screen_box(camera, [name])
    first, last = (screen_box(camera, [d]) for d in (layer.discs[0], layer.discs[-1]))
    end = (last[:2] + last[2:]) / 2
    along = end - (first[:2] + first[2:]) / 2
    along /= np.linalg.norm(along)
    # how far along the row the name's box clears the last neuron's
    reach = (last[2:] - last[:2]) / 2 + (here[2:] - here[:2]) / 2 + END_BUFF
    out = min(r / abs(a) for r, a in zip(reach, along, strict=True) if abs(a) > 1e-6)
    across = np.array([-along[1], along[0]])
    spots = []
    for side in END_SIDE_SHIFTS:
        shift = end + along * out + across * side - (here[:2] + here[2:]) / 2  # on screen
        spots.append(name.get_center() + np.array([*shift, 0.0]))
    return spots


class RowDiscs:
    """The neurons of the layers whose names are placed, on screen: their centres, radii and
    the layers they belong to (ids; None: any spot will do)."""

    def __init__(self, boxes: list[Box], owners: np.ndarray | None) -> None:
        boxes_ = np.array(boxes).reshape(-1, 4)
        self.centres = (boxes_[:, :2] + boxes_[:, 2:]) / 2
        self.radii = (boxes_[:, 2] - boxes_[:, 0]) / 2
        self.owners = owners

    def own(
        self, camera, name: Mobject, layer: NeuronLayer, spots: Sequence[np.ndarray]
    ) -> list[np.ndarray]:
        """Those of these spots (world points to move the name to) where, on screen as the
        camera stands now, the name stands no further from its layer's neurons than from any
        other layer's. A name facing the camera moves on screen by its own x and y."""
        if self.owners is None:
            return list(spots)
        mine = self.owners == id(layer)
        if not mine.any() or mine.all():
            return list(spots)
        here, box = name.get_center(), screen_box(camera, [name])
        out = []
        for spot in spots:
            shift = np.tile((spot - here)[:2], 2)
            lo, hi = box[:2] + shift[:2], box[2:] + shift[2:]
            outside = np.maximum(np.maximum(lo - self.centres, self.centres - hi), 0)
            gap = np.maximum(np.linalg.norm(outside, axis=1) - self.radii, 0)
            if gap[mine].min() <= gap[~mine].min() + TOUCH:  # as far, within a pixel
                out.append(spot)
        return out


def _around(room: Box) -> list[Box]:
    """Four boxes round the room, above, below, left and right of it, out to far away."""
    far = 1e3
    x0, y0, x1, y1 = room
    return [
        np.array([-far, y1, far, far]),
        np.array([-far, -far, far, y0]),
        np.array([-far, -far, x0, far]),
        np.array([x1, -far, far, far]),
    ]


def _left_out(name: Mobject) -> bool:
    """Hidden for good (animations.hide): nothing of it is drawn, nor will be."""
    parts = [m for m in name.get_family() if isinstance(m, VMobject)]
    return all(
        not any(rgbas[:, 3].any() for rgbas in rgba_arrays(m))
        and not any(full.any() for full in m.__dict__.get(FULL_ALPHA, []))
        for m in parts
    )
