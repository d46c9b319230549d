"""What DepthCamera paints with cairo itself, without Manim: a VMobject's curves as a path, a
CellGrid's cells, and a facing neuron's disc (drawn once per colour and size into a sprite)."""

from __future__ import annotations

import math
from typing import Protocol

import cairo
import numpy as np
from manim import LEFT, UP, VMobject

UL_DIR = UP + LEFT  # where the light on a neuron comes from


class Cells(Protocol):
    """What DepthCamera needs of a mobject drawn as "cells" (blocks.CellGrid)."""

    values: np.ndarray  # (columns, rows)
    bgr: np.ndarray  # (columns, rows, 3) their colours, blue first

    def get_fill_opacity(self) -> float: ...


def trace_curves(ctx, vmobject: VMobject, points: np.ndarray) -> None:
    """Manim's set_cairo_context_path, with the curves handed to cairo as Python floats
    taken from numpy in one go (not one numpy scalar at a time): text glyphs are most of
    what a moving camera redraws, thousands of curves per frame."""
    nppcc = vmobject.n_points_per_cubic_curve
    xy = points[:, :2]
    for start, end in vmobject.get_subpath_split_indices_from_points(points, 2).tolist():
        n = (end - start) // nppcc
        if n == 0:
            continue
        curves = xy[start : start + n * nppcc].reshape(n, nppcc, 2)
        ctx.new_sub_path()
        ctx.move_to(*curves[0, 0].tolist())
        for c in curves[:, 1:].reshape(n, -1).tolist():
            ctx.curve_to(*c)
        if vmobject.consider_points_equals_2d(xy[start].tolist(), xy[end - 1].tolist()):
            ctx.close_path()


def draw_cells(grid: Cells, points: np.ndarray, ctx) -> None:
    """A CellGrid's cells (its values, coloured as .bgr), as rectangles filling its outline
    (it faces the viewer)."""
    (x0, y0), (x1, y1) = points[:, :2].min(axis=0), points[:, :2].max(axis=0)
    K, n = grid.values.shape
    w, h = (x1 - x0) / K, (y1 - y0) / n
    alpha = grid.get_fill_opacity()
    ctx.new_path()  # Manim leaves the last mobject's path in the context (fill_preserve)
    for (t, j), (b, g, r) in zip(np.ndindex(K, n), grid.bgr.reshape(-1, 3).tolist(), strict=True):
        ctx.rectangle(x0 + t * w, y1 - (j + 1) * h, w, h)
        ctx.set_source_rgba(b, g, r, alpha)  # cairo's surface stores pixels as BGRA
        ctx.fill()


def disc_sprite(
    fill: np.ndarray, rim: np.ndarray, line_width: float, r: float, scale: float
) -> cairo.ImageSurface:
    """A facing neuron's disc (radius r, rim line_width wide, both in units) drawn opaque into a
    small image at scale pixels per unit, its centre at the image's."""
    opaque = np.array(fill)
    opaque[:, 3] = 1
    side = 2 * math.ceil(r * scale + line_width * scale + 2)
    sprite = cairo.ImageSurface(cairo.FORMAT_ARGB32, side, side)
    ctx = cairo.Context(sprite)
    ctx.set_matrix(cairo.Matrix(scale, 0, 0, -scale, side / 2, side / 2))
    ctx.set_antialias(cairo.ANTIALIAS_FAST)
    paint_disc(ctx, 0.0, 0.0, r, opaque, np.array([*rim[:3], 1.0]), line_width)
    return sprite


def paint_disc(
    ctx, x: float, y: float, r: float, fill: np.ndarray, rim: np.ndarray, line_width: float
) -> None:
    """A disc: filled with one colour or with its sheen (several), and its rim."""
    ctx.new_path()
    ctx.arc(x, y, r, 0, math.tau)
    ctx.close_path()
    if len(fill) == 1:
        ctx.set_source_rgba(*fill[0][2::-1], fill[0][3])
    else:  # the sheen: what Neuron.get_gradient_start_and_end_points gives, on screen
        dx, dy = r * UL_DIR[0], r * UL_DIR[1]
        pattern = cairo.LinearGradient(x - dx, y - dy, x + dx, y + dy)
        for rgba, offset in zip(fill, np.linspace(0, 1, len(fill)), strict=True):
            b, g, r, a = rgba[[2, 1, 0, 3]].tolist()
            pattern.add_color_stop_rgba(offset, b, g, r, a)
        ctx.set_source(pattern)
    ctx.fill_preserve()
    if line_width > 0:
        ctx.set_source_rgba(*rim[2::-1], rim[3])
        ctx.set_line_width(line_width)
        ctx.stroke_preserve()
