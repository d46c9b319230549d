"""Labels placed among what is drawn, as a map places names: each where, on screen as the
camera stands, it covers no neuron, line or label placed before it (Placer), and the names of
a chain's layers near their own rows (place_names). framing.py measures what is drawn."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import groupby
from typing import TYPE_CHECKING

import numpy as np
from manim import DOWN, LEFT, ORIGIN, UP, Animation, Mobject, VMobject

from .animations import FULL_ALPHA, Glide, fade_for_good, hide
from .framing import (
    MARGIN,
    TOUCH,
    Box,
    View,
    box_touches,
    leaf_boxes,
    line_boxes,
    screen_box,
    seen_from,
)
from .manim_adapter import rgba_arrays

if TYPE_CHECKING:
    from .neurons import NeuronLayer

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
FAR = 0.8  # how far a name may be nudged to stand clear (frame units)
# and further, nearest first, for a name with no room near where it was built nor past its
# row's end
FAR_NUDGES = sorted(
    (
        np.array([x, y, 0.0])
        for x in np.arange(-FAR, FAR + 0.01, 0.1)
        for y in np.arange(-FAR, FAR + 0.01, 0.1)
    ),
    key=lambda d: float(np.hypot(d[0], d[1])),
)
# how far from its row a name that need not stay may stand (frame units, 24 px at 480p):
# further, it floats among the copies, as much another row's as its own
NAME_REACH = 0.4
END_BUFF = 0.06  # between a neuron and a name past it (frame units)
END_SIDE_SHIFTS = (0.0, 0.15, -0.15, 0.3, -0.3)  # past a row's end, across it (frame units)


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
        avoid = np.array(self.avoid).reshape(-1, 4)  # in one array: each spot meets all at once
        for spot in spots:
            box = screen_box(self.camera, [label.move_to(spot)])  # measured once a spot
            cover = _cover(box, avoid, MARGIN / 4)
            score = (box_touches(box, avoid), cover)  # clear of all, if it can be
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

    def place_name(self, name: Mobject, layer: NeuronLayer, keep: bool) -> bool:
        """Move the name to the first clear spot nearer its own row, within NAME_REACH of it:
        near where it stands (NAME_NUDGES), else past its row's end, else up to FAR round
        where it stands; else, if it must stay (keep), up to FAR round it however far from
        its row. A name placed joins avoid, NAME_GAP round it; one left out does not. True if
        it is placed."""
        here = name.get_center()
        near, far = ([here + d for d in nudges] for nudges in (NAME_NUDGES, FAR_NUDGES))
        tries = [(near, NAME_REACH), (None, NAME_REACH), (far, NAME_REACH)]
        placed = False
        for spots, reach in tries + ([(far, np.inf)] if keep else []):
            spots = past_end(self.camera, name, layer) if spots is None else spots
            own = self.rows.own(self.camera, name, layer, spots, reach)
            placed = bool(own) and self.try_spots(name, own)
            if placed:
                break
        if placed:
            self.keep_off(name, NAME_GAP)
        return placed

    def place_anywhere(self, name: Mobject) -> None:
        """Move the name to where, near where it stands or up to FAR round it, it covers least
        (for a name that must stay and stands clear nowhere place_name tries); it joins avoid,
        NAME_GAP round it."""
        here = name.get_center()
        self.try_spots(name, [here + d for d in NAME_NUDGES + FAR_NUDGES])
        self.keep_off(name, NAME_GAP)


def place_names(
    scene,
    view: View,
    steps: Sequence[Sequence[NeuronLayer]],
    kept: Iterable[int],
    extra: Sequence[Mobject] = (),
    lines: Sequence[Mobject] = (),
    room: Box | None = None,
    own_rows: bool = False,
    starts: Mapping[int, np.ndarray] | None = None,
) -> list[Animation]:
    """The names of the steps' layers (NeuronLayer titles), as a map places names: seen from
    this view, each stays where it stands if it covers no neuron, layer's label, one of extra,
    line or name placed before it (nor comes within NAME_GAP of a label) and stays inside
    the room, if given, else goes to the first clear spot round it, else past its row's end,
    else up to FAR round it (with own_rows, where it stands no further from its own row than
    from any other, nor further than NAME_REACH: nearer another, it reads as that row's;
    further, as no row's); one with no room is left out. The kept steps' names are placed
    first (with 8 steps there is not room for all) and each keeps one: the first that stands
    clear nearer its own row, if need be further from it (C_39 stood nearer y_37's row than
    its own, while S_39 had room by its row); when none does, the first, where it covers
    least. A name is placed from where it stands, or from its point in starts (by its id:
    e.g. where an earlier view placed it). Names not on screen are moved or hidden at once;
    the animations returned, to play on the way to the view, glide those on screen from
    where they stand to their spots or fade them out (for good) where they stand."""
    kept = set(kept)
    names = [(k, ly, n) for k, step in enumerate(steps) for ly in step for n in ly.title]
    names = [(k, ly, n) for k, ly, n in names if not _left_out(n)]
    names.sort(key=lambda kln: kln[0] not in kept)  # the kept first, else in order
    moved, crowded = [], []
    starts = starts or {}
    with seen_from(scene, view) as camera:
        placer = _name_placer(camera, steps, extra, lines, room, own_rows)
        for k, group in groupby(names, key=lambda kln: kln[0]):
            step = [(ly, n, n.get_center()) for _, ly, n in group]
            named = False  # a kept step's name stands: the others need not
            for layer, name, here in step:
                name.move_to(starts.get(id(name), here))
                if placer.place_name(name, layer, keep=k in kept and not named):
                    moved.append((name, name.get_center() - here))
                    named = True
                else:  # it is left out where it stood
                    crowded.append(name.move_to(here))
            if k in kept and not named:  # none stands by its own row: the first, anywhere
                _, name, here = step[0]
                crowded.remove(name)
                name.move_to(starts.get(id(name), here))
                placer.place_anywhere(name)  # place_name found it no clear spot
                moved.append((name, name.get_center() - here))
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
        self,
        camera,
        name: Mobject,
        layer: NeuronLayer,
        spots: Sequence[np.ndarray],
        reach: float = np.inf,
    ) -> list[np.ndarray]:
        """Those of these spots (world points to move the name to) where, on screen as the
        camera stands now, the name stands no further from its layer's neurons than from any
        other layer's, nor further than reach. A name facing the camera moves on screen by its
        own x and y."""
        if self.owners is None:
            return list(spots)
        mine = self.owners == id(layer)
        if not mine.any() or mine.all():
            return list(spots)
        if not len(spots):
            return []
        here, box = name.get_center(), screen_box(camera, [name])
        # every spot at once: [spot, neuron]
        shifts = (np.array(spots) - here)[:, None, :2]
        lo, hi = box[:2] + shifts, box[2:] + shifts
        outside = np.maximum(np.maximum(lo - self.centres, self.centres - hi), 0)
        gap = np.maximum(np.linalg.norm(outside, axis=2) - self.radii, 0)
        # as far, within a pixel
        near = gap[:, mine].min(axis=1) <= np.minimum(gap[:, ~mine].min(axis=1) + TOUCH, reach)
        return [spot for spot, ok in zip(spots, near, strict=True) if ok]


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


def _cover(box: Box, avoid: np.ndarray, margin: float) -> float:
    """The area of the avoid boxes (one a row) the box, grown by margin, covers."""
    box = box + np.array([-margin, -margin, margin, margin])
    w = np.minimum(box[2], avoid[:, 2]) - np.maximum(box[0], avoid[:, 0])
    h = np.minimum(box[3], avoid[:, 3]) - np.maximum(box[1], avoid[:, 1])
    areas = np.maximum(w, 0.0) * np.maximum(h, 0.0)
    # added one after another (as sum() did; np.sum adds in pairs, another last bit): of
    # spots covering as much, the first is taken
    return float(np.cumsum(areas)[-1]) if len(areas) else 0.0
