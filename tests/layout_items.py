"""What a part scene shows, for the layout checker (tests/layout.py): every part with points,
where the camera draws it, as items of a kind.

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

An item of a NeuronLayer (a neuron, its name, its units' labels) knows its layer and role.
Text kinds are found by class name (Caption, ColorLegend, CellGrid, Neuron, ...), so the
checker follows the scenes wherever their classes live; texts made one path (colors.one_path)
are plain filled VMobjects.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
from manim import Mobject, VMobject, config

from tests.text_heights import capital_height

FRAME_PX = 480  # the rules are stated at 480p
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


def opacity(mob: Mobject) -> float:
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
            if kind is None or opacity(mob) < VISIBLE:
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
