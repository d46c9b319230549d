"""Where things go, how they look and how long they take, by name, for both parts.

World conventions (see scenes/blocks.py): neurons lie along world x, signals flow up world z,
time runs along world y. A part's own places (where its close-ups stand) are named constants at
the top of its module; what both parts share is here.
"""

from __future__ import annotations

from typing import TypedDict

import numpy as np
from manim import DEGREES, YELLOW, ManimColor

# ---- the palette -----------------------------------------------------------------------------
# (values are coloured by the two scales of scenes/colors.py; these are the inks around them)
WHITE = "#FFFFFF"  # formulas, captions, pulses
TEXT = "#EEEEEE"  # texts and readouts
LABEL = "#DDDDDD"  # names beside things, step tags, tick labels
NOTE = "#BBBBBB"  # what is said in passing: notes, table heads, the steps under a grid
AXIS = "#AAAAAA"  # the time axis
AXIS_LABEL = "#CCCCCC"  # its name, and the loss plot's
STRUCTURE = "#E8E8E8"  # a link drawn as structure only (no weight to colour it by)
OUTLINE = "#000000"  # the dark edge that keeps a label readable over crossing links
HIGHLIGHT = YELLOW.to_hex()  # what is new: the RNN's memory term W_s S_{t-1}
PREDICTION = "#FDE725"  # the symbol the model predicts (the top of viridis: sure)
LOSS = "#FF8A1F"  # the loss curve
DARK_INK, LIGHT_INK = "#111111", "#FFFFFF"  # text on a coloured cell

CJK_FONT = "Noto Sans CJK SC"  # installed by scripts/setup.sh (fonts-noto-cjk)


def font_for(lang: str) -> str:
    """The font of texts in a language ("" is Manim's default)."""
    return CJK_FONT if lang == "zh" else ""


def ink_on(fill: ManimColor) -> str:
    """Dark or light text, whichever reads on this fill (by its luma, Rec. 601)."""
    r, g, b = ManimColor(fill).to_rgb()
    return DARK_INK if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else LIGHT_INK


# ---- geometry --------------------------------------------------------------------------------
SPACING = 0.5  # between the neurons of a hidden layer
RADIUS = 0.17  # of a neuron
ROW_MARGIN = 0.6  # from a row's last neuron to what stands beyond it (time axis, bars)
LEGEND_BUFF = 0.3  # legends and tables from the frame's edges
TOP_BUFF = 0.35  # a one-line note at the top of the frame


def point(x: float, y: float, z: float = 0.0) -> np.ndarray:
    """A point of the plane a flat drawing (the textbook cell, the pencil) is laid out in."""
    return np.array([x, y, z], dtype=float)


def row_end(units: int) -> float:
    """How far beyond a row's centre, along it, things beside a row of this many neurons stand
    (the time axis, L1's sensitivity bars)."""
    return (units - 1) / 2 * SPACING + ROW_MARGIN


class Orientation(TypedDict):
    """A camera orientation, as set_camera_orientation and move_camera take it (radians)."""

    phi: float
    theta: float


def orientation(phi: float, theta: float) -> Orientation:
    """A camera orientation from its two angles in degrees."""
    return {"phi": phi * DEGREES, "theta": theta * DEGREES}


# ---- text sizes (font_size; 20 draws capitals 12 px tall at 480p, the least that reads on a
# projector: tests/layout.py checks every text against it)
TABLE_TEXT = 20  # numbers in tables and panels, table heads
PANEL_HEAD = 30  # formulas heading a panel's columns (MathTex draws smaller than Text)
TICK_TEXT = 30  # the numbers on a plot's axes (MathTex)
# a subscript in words (Sₜ₋₁, scenes/subscripts.py): this share of the words' size, never
# under the least that reads, lowered by this share of a capital's height (a superscript,
# 10⁻⁸, raised by this one)
SUBSCRIPT_SCALE, SUBSCRIPT_LEAST, SUBSCRIPT_DROP, SUPERSCRIPT_RISE = 0.8, 20, 0.2, 0.45

# ---- pace (seconds) ----------------------------------------------------------------------------
# Transitions short, pauses long: a still frame costs little more than an empty one.
FADE = 0.8  # a fade in or out beside other things
SWAP = 1.0  # a layer's colours change, one thing gives way to another
WRITE = 1.2  # a formula is written, a pulse runs along a bundle
DRAW = 1.5  # links or a formula drawn, a group appears
MOVE = 2.5  # the camera flies
