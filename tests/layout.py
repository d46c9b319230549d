"""A layout checker for the part scenes: what is on screen, where, and what is wrong with it.

It reads the scene's own mobjects, not pixels: every part with points is put where the camera
draws it (``camera.transform_points_pre_display``: as is when fixed in the frame, projected
through the 3D camera otherwise, shifted with its anchor when it keeps facing the camera), in
frame units relative to the frame's centre. Each is then one item of a kind:

  caption  a Caption (its band and words)          legend   a ColorLegend
  formula  a MathTex fixed in the frame            panel    a background (BackgroundRectangle,
  text     any other text fixed in the frame                or an opaque filled rectangle)
  grid     a CellGrid                              label    a text in the 3D world
  neuron   a Neuron in the 3D world                mark     a Neuron fixed in the frame
  line     a stroke fixed in the frame (axes, curves, arrows): checked by points on it

and ``problems(scene)`` lists, one line each, what breaks the layout rules:

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
    or scaled to since it was built (tests/text_heights.py).

Text kinds are found by class name (Caption, ColorLegend, CellGrid, Neuron, ...), so the
checker follows the scenes wherever their classes live; texts made one path (colors.one_path)
are plain filled VMobjects.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
from manim import Mobject, VMobject, config

from tests.text_heights import capital_height, text_sizes

FRAME_PX = 480  # the rules are stated at 480p
MIN_TEXT_PX = 12.0
SIZE_TOL_PX = 0.5  # "12 px" give or take half a pixel (MathTex at font_size 28 is 11.9 px)
TOL_PX = 1.0  # overlaps and cuts smaller than this are antialiasing, not layout
LABEL_GAP_PX = 6.0  # between two labels of the 3D world (placing.NAME_GAP keeps names apart)
VISIBLE = 0.02  # an item drawn at less than this opacity is not seen

TEXT_CLASSES = {
    "Text",
    "MarkupText",
    "Paragraph",
    "MathTex",
    "Tex",
    "SingleStringMathTex",
    "DecimalNumber",
    "Integer",
}
SOLID_KINDS = {"caption", "legend", "formula", "panel", "text", "grid", "mark"}
FIXED_TOUCHED_BY_LINES = {"caption", "legend", "formula", "grid"}


@dataclass
class Item:
    kind: str
    name: str  # the scene attribute it belongs to (e.g. "legend", "chain"), for messages
    box: np.ndarray  # x0, y0, x1, y1 on screen, frame units from the frame's centre
    fixed: bool
    px: float = 0.0  # texts: the height of its capitals at 480p
    points: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))  # lines
    layer: int | None = None  # the NeuronLayer it belongs to (its id), if any
    role: str = ""  # in that layer: "title" (its name), "labels" (its units' tags) or ""

    def describe(self) -> str:
        x0, y0, x1, y1 = self.box
        return f"{self.kind} {self.name} at ({x0:+.2f},{y0:+.2f})..({x1:+.2f},{y1:+.2f})"


def px(units: float) -> float:
    return units * FRAME_PX / config.frame_height


def _classes(mob: Mobject) -> set[str]:
    return {c.__name__ for c in type(mob).__mro__}


def _opacity(mob: Mobject) -> float:
    """The most opaque any part of it is drawn."""
    best = 0.0
    for m in mob.family_members_with_points():
        if isinstance(m, VMobject):
            fills = m.get_fill_opacities() if len(m.fill_rgbas) else [0.0]
            strokes = (
                m.get_stroke_opacities()
                if m.get_stroke_width() > 0 and len(m.stroke_rgbas)
                else [0.0]
            )
            best = max(best, float(np.max(fills)), float(np.max(strokes)))
        else:
            best = max(best, 1.0)
    return best


def _screen(camera, mob: Mobject) -> np.ndarray:
    """Where the points of mob (and its family) are drawn: (n, 2) frame units."""
    parts = [
        camera.transform_points_pre_display(m, m.points)[:, :2]
        for m in mob.family_members_with_points()
    ]
    return np.vstack(parts) if parts else np.zeros((0, 2))


def _box(points: np.ndarray) -> np.ndarray:
    return np.array([*points.min(axis=0), *points.max(axis=0)])


def _texts(mob: Mobject) -> list[Mobject]:
    """The texts a caption or legend is made of (each measured on its own), or mob itself."""
    if not {"Caption", "ColorLegend"} & _classes(mob):
        return [mob]
    return [m for m in mob.family_members_with_points() if _is_flat_text(m)]


def _is_flat_text(mob: Mobject) -> bool:
    """A text made one path: a plain VMobject filled, with many points."""
    return (
        type(mob) is VMobject
        and mob.get_fill_opacity() > 0
        and len(mob.points) >= 16
        and not mob.submobjects
    )


def _on_curves(points: np.ndarray, n: int = 4) -> np.ndarray:
    """Points along cubic Bezier curves (anchors and handles, 4 per curve), n per curve."""
    k = len(points) // 4 * 4
    if k == 0:
        return points[:, :2]
    c = points[:k, :2].reshape(-1, 4, 2)
    t = np.linspace(0, 1, n)[:, None, None]
    mt = 1 - t
    on = mt**3 * c[:, 0] + 3 * mt**2 * t * c[:, 1] + 3 * mt * t**2 * c[:, 2] + t**3 * c[:, 3]
    return on.reshape(-1, 2)


def _owners(scene) -> dict[int, str]:
    """id of a mobject -> the name of the scene attribute holding it (lists: name[k])."""
    names: dict[int, str] = {}
    for attr, value in vars(scene).items():
        if attr.startswith("_") or attr in (
            "mobjects",
            "foreground_mobjects",
            "camera",
            "renderer",
            "moving_mobjects",
            "static_mobjects",
        ):
            continue
        values = value if isinstance(value, list | tuple) else [value]
        for k, v in enumerate(values):
            if isinstance(v, Mobject):
                names.setdefault(id(v), attr if len(values) == 1 or v is value else f"{attr}[{k}]")
    return names


def items(scene) -> list[Item]:
    """Everything the scene shows now, as items (see the module's docstring)."""
    camera = scene.renderer.camera
    camera.reset_rotation_matrix()  # as drawing a frame does: the camera may have turned
    owners, places = _owners(scene), _places(scene)
    fixed = camera.fixed_in_frame_mobjects
    out: list[Item] = []
    for top in scene.mobjects:
        for mob, name in _walk(top, owners.get(id(top), type(top).__name__), owners):
            kind = _kind(mob, mob in fixed)
            if kind is None or _opacity(mob) < VISIBLE:
                continue
            points = _screen(camera, mob)
            if not len(points):
                continue
            layer, role = places.get(id(mob), (None, ""))
            item = Item(kind, name, _box(points), mob in fixed, layer=layer, role=role)
            if kind in ("caption", "legend", "formula", "text", "label"):
                item.px = min(px(capital_height(camera, t)) for t in _texts(mob))
            if kind == "line":
                item.points = np.vstack(
                    [
                        _on_curves(camera.transform_points_pre_display(m, m.points))
                        for m in mob.family_members_with_points()
                    ]
                )
            out.append(item)
    return out


def _walk(mob: Mobject, name: str, owners: dict[int, str]) -> Iterator[tuple[Mobject, str]]:
    """The mobjects that are items: the first of a known kind down each branch."""
    name = owners.get(id(mob), name)
    if _kind(mob, False) is not None or not mob.submobjects:
        yield mob, name
        return
    if mob.points.size and isinstance(mob, VMobject):  # a mobject with points and parts
        yield mob, name
    for sub in mob.submobjects:
        yield from _walk(sub, name, owners)


Place = tuple[int | None, str]  # the NeuronLayer a mobject is part of (its id) and its role


def _places(scene) -> dict[int, Place]:
    """id of a part of a NeuronLayer -> that layer's id and the part's role in it ("title",
    "labels", or "" for its neurons). The layers are found through the scene's attributes and
    its mobjects: an animation on some of a layer's neurons puts them in the scene in a group
    of their own, and the layer is then not in the scene's list."""
    roots = [v for v in vars(scene).values() for v in (v if isinstance(v, list | tuple) else [v])]
    places: dict[int, Place] = {}
    for root in [*roots, *scene.mobjects]:
        if not isinstance(root, Mobject):
            continue
        for layer in root.get_family():
            if "NeuronLayer" not in _classes(layer) or id(layer) in places:
                continue
            places[id(layer)] = (id(layer), "")
            for role, part in (
                ("", layer.neurons),
                ("title", layer.title),
                ("labels", layer.labels),
            ):
                for m in part.get_family():
                    places[id(m)] = (id(layer), role)
    return places


def _kind(mob: Mobject, fixed: bool) -> str | None:
    """The item kind of a mobject, or None when it is a group to look into (or drawn as
    nothing, for a leaf)."""
    classes = _classes(mob)
    if "Caption" in classes:
        return "caption"
    if "ColorLegend" in classes:
        return "legend"
    if "CellGrid" in classes:
        return "grid"
    if "BackgroundRectangle" in classes:
        return "panel"
    if "Neuron" in classes:
        return "mark" if fixed else "neuron"
    if "Links" in classes or "LinkPulse" in classes:
        return None if mob.submobjects else None  # links are not checked
    if classes & TEXT_CLASSES:
        if not fixed:
            return "label"
        return "formula" if classes & {"MathTex", "Tex"} else "text"
    if mob.submobjects or not isinstance(mob, VMobject) or not mob.points.size:
        return None
    if _is_flat_text(mob):
        return "text" if fixed else "label"  # a text made one path
    if not fixed:
        return None  # 3D shapes (arrows, axes, tools) are not checked
    if "Rectangle" in classes and mob.get_fill_opacity() > 0.5 and min(mob.width, mob.height) > 1:
        return "panel"  # an opaque filled rectangle: things are drawn on it
    if "Polygon" in classes:
        return None  # swatches, tools
    return "line" if mob.get_stroke_width() > 0 else None


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
    another copy's row reads as neither)."""
    centres, radii, layers = _discs(neurons)
    gap = np.linalg.norm(centres[:, None] - centres[None], axis=2) - radii[:, None] - radii[None]
    hit = (gap < -tol) & (layers[:, None] != layers[None])
    out, seen = [], set()
    for a, b in zip(*np.nonzero(np.triu(hit)), strict=True):
        pair = (layers[a], layers[b])
        if pair not in seen:
            seen.add(pair)
            out.append(
                f"{neurons[a].describe()} overlaps a disc of another layer: {neurons[b].describe()}"
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
