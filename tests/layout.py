"""A layout checker for the part scenes: what is wrong with what is on screen.

``problems(scene)`` lists, one line each, what of the scene's items (tests/layout_items.py:
captions, legends, formulas, panels, texts, grids, labels, neurons, marks, lines, where the
camera draws them) breaks the layout rules:

  - everything fixed in the frame is inside it, and a label or neuron whose middle is on
    screen is not cut by the frame's edge;
  - no two things fixed in the frame overlap (but what lies inside a panel, on it);
  - no line fixed in the frame runs through a caption, legend, formula or grid;
  - nothing of the 3D world (labels, neurons) shows under anything fixed in the frame (so
    captions and panels are clear of the network), no label overlaps another label or a
    neuron, and two labels side by side (not one over the other, like the lines of a box)
    stand at least LABEL_GAP_PX apart (closer, they read as one: "y44y45S47", "W_s S_43");
  - every text is at least MIN_TEXT_PX tall at 480p, measured as the height its capitals
    and digits have (font_size 20 gives 12 px in the captions' font), wherever it was moved
    or scaled to since it was built (tests/text_heights.py);
  - no disc of a layer overlaps another layer's ("layers") or comes within LAYER_GAP_PX of
    it ("near"), no disc of a layer lies on another layer's row ("crossing": within its
    radius and LAYER_GAP_PX of the line between two neighbouring discs of a row, or nearer
    to it than they are to each other), and no layer's name stands nearer
    another layer's neurons than its own ("astray").
"""

from __future__ import annotations

import numpy as np
from manim import config

from tests.layout_items import FRAME_PX, Item, items
from tests.text_heights import text_sizes

MIN_TEXT_PX = 12.0
SIZE_TOL_PX = 0.5  # "12 px" give or take half a pixel (MathTex at font_size 28 is 11.9 px)
TOL_PX = 1.0  # overlaps and cuts smaller than this are antialiasing, not layout
LABEL_GAP_PX = 6.0  # between two labels of the 3D world (placing.NAME_GAP keeps names apart)
LAYER_GAP_PX = 3.0  # between two discs of different layers (unrolled_chain.ROW_CLEAR: 3 px)
SOLID_KINDS = {"caption", "legend", "formula", "panel", "text", "grid", "mark"}
FIXED_TOUCHED_BY_LINES = {"caption", "legend", "formula", "grid"}


def _overlap(a: np.ndarray, b: np.ndarray, tol: float) -> bool:
    return bool(min(a[2], b[2]) - max(a[0], b[0]) > tol and min(a[3], b[3]) - max(a[1], b[1]) > tol)


def _inside(a: np.ndarray, b: np.ndarray, tol: float) -> bool:
    """Box a lies within box b."""
    return bool(
        a[0] >= b[0] - tol and a[1] >= b[1] - tol and a[2] <= b[2] + tol and a[3] <= b[3] + tol
    )


def _stacked(a: Item, b: Item) -> bool:
    """One label above the other, lines of one block (a gate box's name over its value)."""
    return min(a.box[2], b.box[2]) > max(a.box[0], b.box[0])


def problems(scene) -> list[str]:
    """Every layout rule the scene breaks now, one line each."""
    tol = TOL_PX * config.frame_height / FRAME_PX
    w, h = config.frame_width / 2, config.frame_height / 2
    frame = np.array([-w, -h, w, h])
    found = items(scene)
    camera = scene.renderer.camera
    # the world seen straight on, not zoomed: nothing of it may be cut by the frame's edge
    flat = (
        abs(camera.get_phi() - np.pi / 2) < 1e-3
        and abs(camera.get_theta() + np.pi / 2) < 1e-3
        and abs(camera.get_zoom() - 1) < 1e-3
    )
    # a panel the size of the frame dims what is behind it: not a place things are put
    dimmed = any(i.kind == "panel" and _inside(frame, i.box, tol) for i in found)
    on_screen = [
        i
        for i in found
        if _overlap(i.box, frame, 0) and not (i.kind == "panel" and _inside(frame, i.box, tol))
    ]
    out: list[str] = []
    for i in on_screen:
        middle = (i.box[:2] + i.box[2:]) / 2
        middle_seen = abs(middle[0]) < w and abs(middle[1]) < h
        if (i.fixed or (flat and i.kind in ("label", "neuron") and middle_seen)) and not _inside(
            i.box, frame, tol
        ):
            out.append(f"{i.describe()} is cut by the frame's edge")
        if (
            i.kind in ("caption", "legend", "formula", "text", "label")
            and i.px < MIN_TEXT_PX - SIZE_TOL_PX
        ):
            out.append(f"{i.describe()} is {i.px:.1f} px tall at 480p (at least {MIN_TEXT_PX:g})")
    solids = [i for i in on_screen if i.fixed and i.kind in SOLID_KINDS]
    panels = [i for i in solids if i.kind == "panel"]
    for n, a in enumerate(solids):
        for b in solids[n + 1 :]:
            if not _overlap(a.box, b.box, tol):
                continue
            if any(_inside(c.box, p.box, tol) for c, p in ((a, b), (b, a)) if p.kind == "panel"):
                continue  # drawn on a panel
            out.append(f"{a.describe()} overlaps {b.describe()}")
    for line in (i for i in on_screen if i.kind == "line"):
        for s in solids:
            if s.kind not in FIXED_TOUCHED_BY_LINES or _inside(line.box, s.box, tol):
                continue
            x0, y0, x1, y1 = s.box + np.array([tol, tol, -tol, -tol])
            p = line.points
            if np.any((p[:, 0] > x0) & (p[:, 0] < x1) & (p[:, 1] > y0) & (p[:, 1] < y1)):
                out.append(f"{line.describe()} runs through {s.describe()}")
    world = [i for i in on_screen if not i.fixed and i.kind in ("label", "neuron")]
    for i in world:
        for s in solids:
            if dimmed and (i.kind != "label" or s.kind in ("panel", "mark", "grid")):
                continue  # behind a dimmer the world is background, but labels show through
            if _overlap(i.box, s.box, tol) and not any(
                _inside(s.box, p.box, tol) for p in panels if p is not s
            ):
                out.append(f"{i.describe()} shows under {s.describe()}")
    labels = [i for i in world if i.kind == "label"]
    gap = LABEL_GAP_PX * config.frame_height / FRAME_PX
    for n, a in enumerate(labels):
        for b in [*labels[n + 1 :], *(i for i in world if i.kind == "neuron")]:
            if _overlap(a.box, b.box, tol):
                out.append(f"{a.describe()} overlaps {b.describe()}")
            elif b.kind == "label" and _overlap(a.box, b.box, -gap) and not _stacked(a, b):
                out.append(f"{a.describe()} is within {LABEL_GAP_PX:g} px of {b.describe()}")
    if not dimmed:  # behind a dimmer the world is background
        neurons = [i for i in world if i.kind == "neuron" and i.layer is not None]
        out += _layers_overlap(neurons, tol)
        out += _rows_crossing(neurons)
        out += _names_astray([i for i in labels if i.role == "title"], neurons, tol)
    return out


def _discs(neurons: list[Item]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The neurons' centres, radii and layers on screen (a neuron faces the camera: a disc)."""
    boxes = np.array([i.box for i in neurons]).reshape(-1, 4)
    centres = (boxes[:, :2] + boxes[:, 2:]) / 2
    radii = (boxes[:, 2] - boxes[:, 0]) / 2
    return centres, radii, np.array([i.layer for i in neurons])


def _layers_overlap(neurons: list[Item], tol: float) -> list[str]:
    """One line for each two layers some of whose discs overlap on screen (a row drawn over
    another copy's row reads as neither), or stand closer than LAYER_GAP_PX ("near": two
    rows that touch read as one, and a near miss is one input or window from an overlap)."""
    centres, radii, layers = _discs(neurons)
    gap = np.linalg.norm(centres[:, None] - centres[None], axis=2) - radii[:, None] - radii[None]
    near = LAYER_GAP_PX * config.frame_height / FRAME_PX
    hit = (gap < near) & (layers[:, None] != layers[None])
    out, seen = [], set()
    for a, b in zip(*np.nonzero(np.triu(hit)), strict=True):
        pair = (layers[a], layers[b])
        if pair not in seen:
            seen.add(pair)
            how = (
                "overlaps a disc of another layer"
                if gap[a, b] < -tol
                else f"is within {LAYER_GAP_PX:g} px of a disc of another layer"
            )
            out.append(f"{neurons[a].describe()} {how}: {neurons[b].describe()}")
    return out


def _rows_crossing(neurons: list[Item]) -> list[str]:
    """One line for each layer whose row (the segments between its neighbouring discs on
    screen) has a disc of another layer on it: within that disc's radius and LAYER_GAP_PX of
    a segment, or nearer to it than the segment is long (nearer the row than its own discs
    are to each other, it reads as one of them). Rows then run through each other
    ("crossing"), though no two discs touch: a row spread wide for its names (L4) had two
    others within its span."""
    centres, radii, layers = _discs(neurons)
    near = LAYER_GAP_PX * config.frame_height / FRAME_PX
    out = []
    for layer in dict.fromkeys(layers):
        own = np.nonzero(layers == layer)[0]
        others = np.nonzero(layers != layer)[0]
        if len(own) < 2 or not len(others):
            continue
        at = centres[own]
        along = np.linalg.svd(at - at.mean(axis=0))[2][0]  # a row is a line: its direction
        at = at[np.argsort(at @ along)]
        a, b = at[:-1], at[1:]  # the segments between neighbours
        d = b - a
        p = centres[others]
        to_a = p[:, None] - a[None]  # (disc, segment, xy)
        t = np.clip((to_a * d[None]).sum(axis=2) / np.maximum((d * d).sum(axis=1), 1e-12), 0, 1)
        off = np.linalg.norm(to_a - t[..., None] * d[None], axis=2)
        reach = np.maximum(radii[others, None] + near, np.linalg.norm(d, axis=1)[None])
        hit = np.nonzero((off < reach).any(axis=1))[0]
        if len(hit):
            first = neurons[int(own[0])]
            out.append(
                f"{first.describe()}'s row runs through a disc of another layer: "
                f"{neurons[int(others[hit[0]])].describe()}"
            )
    return out


def _names_astray(titles: list[Item], neurons: list[Item], tol: float) -> list[str]:
    """A layer's name standing nearer to another layer's neurons than to its own reads as
    that layer's name."""
    if not neurons:
        return []
    centres, radii, layers = _discs(neurons)
    out = []
    for name in titles:
        lo, hi = name.box[:2], name.box[2:]
        to_box = np.linalg.norm(np.maximum(np.maximum(lo - centres, centres - hi), 0), axis=1)
        gap = np.maximum(to_box - radii, 0)
        own, other = layers == name.layer, layers != name.layer
        if not own.any() or not other.any():
            continue
        nearest = int(np.argmin(np.where(other, gap, np.inf)))
        if gap[nearest] < gap[own].min() - tol:
            out.append(
                f"{name.describe()} is nearer to another layer's neuron than to its own: "
                f"{neurons[nearest].describe()}"
            )
    return out


def check_shots(scene_cls: type, settings, media_dir, on_shot_end) -> None:
    """Run a part scene with its animations skipped and nothing drawn, and call
    on_shot_end(shot id, scene) at the end of every shot, while the scene is in that shot's
    final state (e.g. with problems(scene))."""
    from tests.scene_helpers import run_shots

    with text_sizes():
        run_shots(scene_cls, settings, media_dir, on_shot_end)
