"""DepthCamera: the camera every part scene draws with (BlockScene sets it). It overrides the
Cairo camera's drawing methods; whatever else it needs of Manim's insides is in manim_adapter,
and what it paints with cairo itself (paths, cells, disc sprites) in cairo_paint.

It draws by rank (links < pulses < neurons < text < fixed in the frame), the neurons far to
near, and it draws what is redrawn at every frame cheaply: a mobject whose ``drawn_as`` is
"disc" (a camera-facing Neuron) is pasted as a cached sprite, one whose ``drawn_as`` is
"cells" (a CellGrid) is filled cell by cell, a big single-colour text fixed in the frame is
pasted from an image made once, and what lies off-screen is skipped. Every speed-up here was
measured with bench/render_bench.py; stills stay the same (tests/test_colors_blocks.py,
tests/test_lstm_scenes.py).
"""

from __future__ import annotations

import math
from functools import cached_property
from typing import TypeVar, cast

import cairo
import numpy as np
from manim import Mobject, VMobject
from manim.camera.three_d_camera import ThreeDCamera

from .cairo_paint import Cells, disc_sprite, draw_cells, paint_disc, trace_curves
from .manim_adapter import anchored_at_own_centre, mobjects_to_display

# draw ranks: lower first
RANK_LINK, RANK_PULSE, RANK_NEURON, RANK_TEXT = 0, 1, 2, 3

M = TypeVar("M", bound=Mobject)


def ranked(mob: M, rank: int) -> M:
    """Give a mobject its draw rank (blocks' own classes declare theirs as class attributes;
    Manim's, such as a plain path or an Arrow, get it here)."""
    mob.__dict__["draw_rank"] = rank
    return mob


def _look(text: VMobject, points: np.ndarray) -> tuple:
    """What a text looks like on screen (points: where it lies), but for its colour: shifts
    and scales change the sum and the first point."""
    return (id(text), len(points), float(points.sum()), points[0].tobytes())


class DepthCamera(ThreeDCamera):
    """ThreeDCamera that draws by rank (links < pulses < neurons < text < fixed in frame) and,
    within the neurons, far to near, so a near ball always covers a far one.

    ``picture_shift`` moves the world (not what is fixed in the frame) down the screen by that
    many units: a picture without a caption band centres its model in the space the band
    leaves free."""

    picture_shift = 0.0
    # the camera's centre, rotation, focal distance and zoom, read once per frame
    _view: tuple[np.ndarray, np.ndarray, float, float] | None = None
    _drawing = False  # while capture_mobjects draws a frame
    _last_view: tuple[np.ndarray, np.ndarray, float, float] | None = None  # the last frame's
    _moved: bool | None = None  # whether it moved since (_camera_moved), once known
    # where the neurons' centres land on screen in the frame drawn, by id: all projected at
    # once (get_mobjects_to_display)
    _centres_on_screen: dict[int, list[float]] = {}

    @cached_property
    def _paths(self) -> dict:
        """Cairo's copies of the paths traced, by what they were traced from (_trace)."""
        return {}

    def project_points(self, points: np.ndarray) -> np.ndarray:
        # ThreeDCamera's projection, the same arithmetic with the camera's state read once per
        # frame (_camera_state) and the depth factor computed once, not once per coordinate
        centre, rotation_t, focal, zoom = self._camera_state()
        points = np.dot(points - centre, rotation_t)
        zs = points[:, 2]
        if self.exponential_projection:
            factor = np.exp(zs / focal)
            lt0 = zs < 0
            factor[lt0] = focal / (focal - zs[lt0])
        else:
            factor = focal / (focal - zs)
            factor[(focal - zs) < 0] = 10**6
        scale = factor * zoom
        points[:, 0] *= scale
        points[:, 1] *= scale
        points[:, 1] -= self.picture_shift
        return points

    def transform_points_pre_display(self, mobject: Mobject, points: np.ndarray) -> np.ndarray:
        # ThreeDCamera's, calling the faster project_points (and with one lookup of each map)
        if not np.isfinite(points).all():
            points = np.zeros((1, 3))
        if mobject in self.fixed_in_frame_mobjects:
            return points
        anchor = self.fixed_orientation_mobjects.get(mobject)
        if anchor is None:
            return self.project_points(points)
        center = anchor()
        return points + (self.project_points(center.reshape((1, 3)))[0] - center)

    def screen_points(self, mobjects: list[Mobject]) -> np.ndarray:
        """The points of these mobjects as transform_points_pre_display places them, stacked,
        with those in the world (and the anchors of those facing the camera) projected in one
        go: framing measures whole models, hundreds of mobjects at a time, many times."""
        if not mobjects:
            return np.zeros((0, 3))
        if not np.isfinite(np.vstack([m.points for m in mobjects])).all():
            return np.vstack([self.transform_points_pre_display(m, m.points) for m in mobjects])
        fixed = [m for m in mobjects if m in self.fixed_in_frame_mobjects]
        anchors = self.fixed_orientation_mobjects
        facing = [m for m in mobjects if m in anchors and m not in self.fixed_in_frame_mobjects]
        world = [m for m in mobjects if m not in anchors and m not in self.fixed_in_frame_mobjects]
        parts = [m.points for m in fixed]
        if world:
            parts.append(self.project_points(np.vstack([m.points for m in world])))
        if facing:
            centres = np.array([anchors[m]() for m in facing])
            shifts = self.project_points(centres) - centres
            parts += [m.points + shift for m, shift in zip(facing, shifts, strict=True)]
        return np.vstack(parts)

    def _camera_state(self) -> tuple[np.ndarray, np.ndarray, float, float]:
        """The camera's centre, rotation (transposed), focal distance and zoom: read once per
        frame while one is drawn, at every call otherwise (framing moves the camera between
        projections)."""
        view = self._view or (
            self.frame_center.copy(),
            self.get_rotation_matrix().T,
            self.get_focal_distance(),
            self.get_zoom(),
        )
        if self._drawing:
            self._view = view
        return view

    def _camera_moved(self) -> bool:
        """Whether the camera moved since the last frame drawn. Asked while drawing, once
        ThreeDCamera has turned the camera for this frame (it does so in capture_mobjects)."""
        if self._moved is None:
            view, last = self._camera_state(), self._last_view
            pairs = zip(view, last, strict=True) if last else ()
            same = all(np.array_equal(np.asarray(a), np.asarray(b)) for a, b in pairs)
            self._moved = last is None or not same
            self._last_view = view
        return self._moved

    def get_mobjects_to_display(self, *args, **kwargs) -> list[Mobject]:
        mobjects = mobjects_to_display(self, *args, **kwargs)
        fixed = self.fixed_in_frame_mobjects
        neurons = [m for m in mobjects if getattr(m, "draw_rank", None) == RANK_NEURON]
        neurons = [m for m in neurons if m not in fixed]
        centres = np.array([m.get_center() for m in neurons]).reshape(-1, 3)
        towards_viewer = self.get_rotation_matrix()[2]
        # each centre's dot product with it, summed in np.dot's order (ties keep their order)
        depths = (centres * towards_viewer).sum(axis=1).tolist()
        depth = dict(zip(map(id, neurons), depths, strict=True))
        on_screen = self.project_points(centres)[:, :2].tolist()
        self._centres_on_screen = dict(zip(map(id, neurons), on_screen, strict=True))

        def key(mob: Mobject) -> tuple[int, float]:
            if mob in fixed:
                return (RANK_TEXT + 1, 0.0)
            return (getattr(mob, "draw_rank", RANK_TEXT), depth.get(id(mob), 0.0))

        return sorted(mobjects, key=key)

    def type_or_raise(self, mobject: Mobject) -> type:
        # Manim asks this for every mobject at every frame, in isinstance checks over its
        # display functions: the answer depends on the class alone
        kind = type(mobject)
        known = self.__dict__.setdefault("_display_types", {})
        if kind not in known:
            known[kind] = super().type_or_raise(mobject)
        return known[kind]

    def get_cairo_context(self, pixel_array: np.ndarray) -> cairo.Context:
        # Curves flattened to within half a pixel (cairo's default is a tenth) and cairo's fast
        # antialiasing: stills look the same to the eye (glyph edges move by a few levels of
        # grey), and every frame of a camera move draws ~12% faster.
        ctx = super().get_cairo_context(pixel_array)
        ctx.set_tolerance(0.5)
        ctx.set_antialias(cairo.ANTIALIAS_FAST)
        return ctx

    def capture_mobjects(self, mobjects, **kwargs) -> None:
        self._view = None  # the camera may have moved since the last frame
        self._drawing, self._moved = True, None
        try:
            super().capture_mobjects(mobjects, **kwargs)
        finally:  # what was found for this frame holds for no other
            self._drawing, self._view, self._centres_on_screen = False, None, {}

    def display_vectorized(self, vmobject: VMobject, ctx) -> DepthCamera:
        # Neurons are most of what is redrawn while the camera moves. One facing the camera is
        # a translated circle on screen: paste its sprite, skipping manim's generic
        # projection, path, subpath and gradient maths.
        if (
            getattr(vmobject, "drawn_as", None) == "disc"
            and vmobject in self.fixed_orientation_mobjects
            and vmobject.get_stroke_width(True) == 0
            and len(vmobject.points)
        ):
            self._draw_disc(vmobject, ctx)
            return self
        points = self.transform_points_pre_display(vmobject, vmobject.points)
        fixed = vmobject in self.fixed_in_frame_mobjects  # laid out to be seen: not culled
        if not fixed and not self._on_screen(points):  # zoomed in (L3, L4), most of the
            return self  # model is off-screen
        if getattr(vmobject, "drawn_as", None) == "cells":
            draw_cells(cast(Cells, vmobject), points, ctx)
            return self
        if self._is_flat_text(vmobject) and self._still(vmobject, points):
            self._paste_text(vmobject, points, ctx)
            return self
        # while the camera moves, nothing in the world lies where it lay on screen last frame
        self._trace(ctx, vmobject, points, keep=fixed or not self._camera_moved())
        self.apply_stroke(ctx, vmobject, background=True)
        self.apply_fill(ctx, vmobject)
        self.apply_stroke(ctx, vmobject)
        return self

    def _is_flat_text(self, vmobject: VMobject) -> bool:
        """A big single-colour fill (a caption, a formula, a label made one path): drawn once
        into an image, then pasted while it looks the same on screen."""
        return (
            len(vmobject.points) >= 200
            and vmobject.get_stroke_width() == 0
            and vmobject.get_stroke_width(True) == 0
            and len(vmobject.fill_rgbas) == 1
            and not vmobject.shade_in_3d
        )

    def _still(self, text: VMobject, points: np.ndarray) -> bool:
        """Whether to paste this text: always when fixed in the frame; in the world (L5's
        cell diagram, seen from the side) once it stood where it stands on screen when last
        drawn, so a camera move, which projects it anew at every frame, makes no images it
        never pastes again."""
        if text in self.fixed_in_frame_mobjects:
            return True
        look = _look(text, points)
        last = self.__dict__.setdefault("_last_look", {})
        if len(last) > 4096:
            last.clear()
        same = last.get(id(text)) == look
        last[id(text)] = look
        return same

    def _paste_text(self, text: VMobject, points: np.ndarray, ctx) -> None:
        rgba = text.fill_rgbas[0]
        key = (*_look(text, points), rgba[:3].tobytes())
        cache = self.__dict__.setdefault("_text_cache", {})
        if key not in cache:
            if len(cache) > 256:  # animated texts change at every frame
                cache.clear()
            cache[key] = self._text_image(text, points, ctx)
        image, x0, y0 = cache[key]
        ctx.save()
        ctx.identity_matrix()
        ctx.set_source_surface(image, x0, y0)
        ctx.paint_with_alpha(float(rgba[3]))
        ctx.restore()

    def _text_image(
        self, text: VMobject, points: np.ndarray, ctx
    ) -> tuple[cairo.ImageSurface, int, int]:
        """The text drawn opaque into an image on the frame's pixel grid, and where it goes
        (points: where it lies on screen)."""
        lo, hi = points[:, :2].min(axis=0), points[:, :2].max(axis=0)
        corners = [ctx.user_to_device(x, y) for x, y in ((lo[0], lo[1]), (hi[0], hi[1]))]
        x0, y0 = (math.floor(min(c[i] for c in corners)) - 2 for i in (0, 1))
        x1, y1 = (math.ceil(max(c[i] for c in corners)) + 2 for i in (0, 1))
        image = cairo.ImageSurface(cairo.FORMAT_ARGB32, x1 - x0, y1 - y0)
        draw = cairo.Context(image)
        m = ctx.get_matrix()
        draw.set_matrix(cairo.Matrix(m.xx, m.yx, m.xy, m.yy, m.x0 - x0, m.y0 - y0))
        draw.set_tolerance(ctx.get_tolerance())
        draw.set_antialias(ctx.get_antialias())
        self._trace(draw, text, points)
        b, g, r = text.fill_rgbas[0][2::-1].tolist()
        draw.set_source_rgba(b, g, r, 1.0)
        draw.fill()
        return image, x0, y0

    def _on_screen(self, points: np.ndarray) -> bool:
        """Whether any of these points (as transform_points_pre_display gives them: relative
        to the frame's centre) lies in the frame, or close enough for a stroke to show."""
        if len(points) == 0:
            return False
        w, h = self.frame_width / 2 + 0.2, self.frame_height / 2 + 0.2  # 0.2: a wide stroke
        lo, hi = points[:, :2].min(axis=0), points[:, :2].max(axis=0)
        return bool(hi[0] > -w and lo[0] < w and hi[1] > -h and lo[1] < h)

    def _trace(self, ctx, vmobject: VMobject, points: np.ndarray, keep: bool = True) -> None:
        """Manim's set_cairo_context_path. A path traced once is kept (cairo's copy), and
        put back whole while the mobject lies where it lay on screen: what is redrawn at every
        frame without moving (texts and plots drawn after an animated mobject, or updated by
        it) costs one lookup. Without keep (the camera moved: it cannot be where it was), the
        path is only traced, not hashed, looked up and copied for nothing."""
        ctx.new_path()
        if len(points) == 0:
            return
        if not keep:
            trace_curves(ctx, vmobject, points)
            return
        key = (
            points[:, :2].tobytes(),
            vmobject.n_points_per_cubic_curve,
            vmobject.tolerance_for_point_equality,
            tuple(ctx.get_matrix()),
        )
        paths = self._paths
        path = paths.get(key)
        if path is not None:
            ctx.append_path(path)
            return
        if len(paths) > 512:  # a moving camera or mobject makes new paths at every frame
            paths.clear()
        trace_curves(ctx, vmobject, points)
        paths[key] = ctx.copy_path()

    def _draw_disc(self, disc: VMobject, ctx) -> None:
        """A facing neuron as a sprite: the disc with its sheen and rim drawn once per colour
        and size into a small image, then pasted (cheaper than filling a gradient and
        stroking an arc at every frame). Fading scales the pasted image's opacity."""
        # on screen, a facing mobject is shifted as its anchor (a neuron's own centre) projects
        at_centre = anchored_at_own_centre(self, disc)
        at = self._centres_on_screen.get(id(disc)) if at_centre else None
        if at is None:
            anchor = self.fixed_orientation_mobjects[disc]()
            shifted = self.project_points(anchor.reshape(1, 3))[0, :2]
            if not at_centre:  # anchored elsewhere than at its own centre (else no shift)
                shifted += (disc.get_center() - anchor)[:2]
            at = shifted.tolist()
        x, y = at
        xs = disc.points[:, 0]
        r = float(xs.max() - xs.min()) / 2
        if abs(x) > self.frame_width / 2 + r or abs(y) > self.frame_height / 2 + r:
            return
        fill, rim = self.get_fill_rgbas(disc), self.get_stroke_rgbas(disc)
        width = disc.get_stroke_width()
        line_width = width * self.cairo_line_width_multiple  # in units
        alphas = [*fill[:, 3].tolist(), *rim[:, 3].tolist()]
        alpha = alphas[0]
        if alphas.count(alpha) != len(alphas) or len(rim) != 1:
            paint_disc(ctx, x, y, r, fill, rim[0], line_width)  # as built
            return
        scale = ctx.get_matrix()[0]  # pixels per unit
        key = (fill[:, :3].tobytes(), rim[0, :3].tobytes(), width, round(r * scale * 4))
        sprite = self._sprites.get(key)
        if sprite is None:
            sprite = self._sprites[key] = disc_sprite(fill, rim[0], line_width, r, scale)
        dx, dy = ctx.user_to_device(x, y)
        half = sprite.get_width() / 2
        ctx.save()
        ctx.identity_matrix()
        ctx.set_source_surface(sprite, dx - half, dy - half)
        ctx.paint_with_alpha(alpha)
        ctx.restore()

    @property
    def _sprites(self) -> dict:
        cache = self.__dict__.setdefault("_sprite_cache", {})
        if len(cache) > 4096:  # colours animate: keep the cache from growing without end
            cache.clear()
        return cache
