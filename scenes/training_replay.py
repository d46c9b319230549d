"""L6's picture of a real training run: the loss curve, drawn as the replay goes on, with a
readout of the step and the loss, beside grids of the gates f, i, o on the window as the
weights reached so far make them (scenes/story_lstm.py computes them)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UL,
    UP,
    Animation,
    Axes,
    Group,
    Mobject,
    ValueTracker,
    VGroup,
    VMobject,
    always_redraw,
    config,
    linear,
)

from rnncore.train import History

from .blocks import tex, text
from .captions import CAPTIONS, caption_text
from .colors import one_path
from .layout import AXIS_LABEL, LOSS, NOTE, PANEL_HEAD, TABLE_TEXT, TICK_TEXT, WHITE
from .linebreak import ems, strip_breaks, wrap
from .manim_adapter import prepare_animation
from .neurons import CellGrid
from .panels import Readout, seed_names, words_on_baseline
from .story_lstm import LSTMView

REPLAY_SECONDS = 13.0  # the whole replay, whatever the number of training steps
PLOT_WIDTHS, PLOT_HEIGHT = (3.4, 4.4), 4.0  # the loss plot's axes; the grids take the rest
PLOT_BUFF = 0.35  # the plot (with its numbers and names) from the frame's upper left corner
NOTE_BUFF = 0.25  # from the readout to the note under it
GRIDS_GAP, GATE_CELL = 0.35, 0.36  # between the gate grids (and the plot); their largest cell
ROW_LEAST = 0.3  # a grid's least row height: its unit number (12 px tall at 480p) and a gap
SIDE = 0.75  # left of the grids: the units' numbers and the word "unit"
UNDER_LEGEND = 1.2  # from the frame's top to the grids' room, under the gate legend
LOG_RATIO = 20.0  # a loss that falls this much (its largest / its least) is drawn on a log scale
LOG_STEPS = (1, 2, 5, 10, 20, 50, 100, 200)  # decades between the log axis's ticks, the least
MOST_TICKS = 6  # that leaves at most this many ticks: a float's 616 decades need 200
GATE_HEADS = (r"f_t", r"i_t", r"o_t")
HEADS_ROOM = 1.4  # a grid's heads over it (two lines) and the steps' names under it
COLUMN_NAME_GAP = 0.06  # between the names of two columns side by side, at least
UNITS_NOTE_BUFF = 0.15  # from the grids' step names to the units note under them


class TrainingReplay:
    """The plot, the readout and the grids of one training History, and the animations that
    replay it. gates: (S, 3, K, n) the gates at each of the history's S weight snapshots.
    pin(*mobs) fixes mobjects in the frame (the readout's new digits too). units_note: what
    the grids' units are of all ("8 of 24 units shown"), under them, when only some are."""

    def __init__(
        self,
        hist: History,
        gates: np.ndarray,
        view: LSTMView,
        lang: str,
        pin: Callable[..., None],
        floor: float | None = None,
        units_note: str | None = None,
    ) -> None:
        self.loss, self.marks, self.gates, self.pin = hist.loss, hist.snapshot_steps, gates, pin
        self.steps = steps = len(hist.loss)
        self.scale = LossAxis.of(self.loss)
        # left: the loss curve, its readout under it; right: the gate grids under their legend
        axes = Axes(
            x_range=[0, steps, nice_step(steps / 3)],
            y_range=[0, self.scale.height, self.scale.step],
            x_length=plot_width(view.K),
            y_length=PLOT_HEIGHT,
            tips=False,
        )
        y_numbers = [
            tick_number(label, lang).next_to(axes.c2p(0, y), LEFT, buff=0.15)
            for y, label in self.scale.ticks()
        ]
        numbers = [
            *y_numbers,
            *(
                tick_number(f"{x:g}", lang).next_to(axes.c2p(x, 0), DOWN, buff=0.15)
                for x in np.arange(0, steps + 1, nice_step(steps / 3))
            ),
        ]
        x_name = text(caption_text("label_train_step", lang), 20, AXIS_LABEL, lang)
        x_name.next_to(axes.x_axis, DOWN, buff=0.45).align_to(axes.x_axis, RIGHT)
        y_key = "label_loss_log" if self.scale.log else "label_loss"
        y_name = text(caption_text(y_key, lang), 20, AXIS_LABEL, lang)
        # over the axis and its top number (a linear axis's ends at its top: "loss" on "1.5")
        y_name.next_to(VGroup(axes.y_axis, *y_numbers), UP, buff=0.1)
        y_name.align_to(axes.y_axis, LEFT).shift(LEFT * 0.3)
        # the plot in the upper left corner, its widest tick number PLOT_BUFF from the edge
        VGroup(axes, *numbers, x_name, y_name).to_corner(UL, buff=PLOT_BUFF)
        self.at = ValueTracker(0.0)  # how far the replay is, in training steps
        self.points = np.array(
            [axes.c2p(j, y) for j, y in enumerate(self.scale.at(self.loss))], dtype=float
        )
        self.readout = Readout(
            CAPTIONS["label_step_loss"][lang], lang, step=1, steps=steps, loss=self.loss[0]
        )
        self.readout.next_to(x_name, DOWN, buff=0.3).align_to(axes, LEFT)
        self.curve = always_redraw(self.drawn_curve)
        self.plot_right = max(axes.get_right()[0], self.readout.get_right()[0])
        bottom = -config.frame_height / 2 + 0.3 if floor is None else floor
        # right of the plot and its readout, or right of the plot only and over the readout
        # (wider: with 8 steps the grids' cells then fit every step's name)
        plot = VGroup(axes, *numbers, x_name, y_name).get_right()[0]
        self.grids = max(
            gate_grids(gates[0], view, self.plot_right + GRIDS_GAP, bottom, lang, units_note),
            gate_grids(
                gates[0], view, plot + GRIDS_GAP, self.readout.get_top()[1], lang, units_note
            ),
            key=cell_size,  # the larger cells; on a tie the first
        )
        self.shown = 0  # the snapshot on show
        self.show_snapshot(0)
        # the axes' lines and ticks as one path, each tick number as one more
        strokes = [
            m
            for m in axes.family_members_with_points()
            if isinstance(m, VMobject) and m.get_fill_opacity() == 0
        ]
        self.axes = VGroup(one_path(VGroup(*strokes)), *(one_path(n) for n in numbers))
        self.names = VGroup(one_path(x_name), one_path(y_name))

    def note(self, words: str, lang: str) -> VMobject:
        """A note under the readout (whose training this is), in lines as wide as the plot's
        column at most, so it stays clear of the grids; as wide as the frame when it stands
        below them."""
        left = PLOT_BUFF - config.frame_width / 2
        top = self.readout.get_bottom()[1] - NOTE_BUFF
        below = top < self.grids.get_bottom()[1]
        room = (config.frame_width / 2 - PLOT_BUFF if below else self.plot_right) - left
        one_line = text(strip_breaks(words), TABLE_TEXT, NOTE, lang)
        length = ems(words) if lang == "zh" else len(words)
        capacity = length * room / one_line.width  # characters (or ems) per line
        while True:  # the estimate is by characters; the drawn width decides
            note = text(wrap(words, lang, capacity), TABLE_TEXT, NOTE, lang)
            if note.width <= room or capacity < 10:
                break
            capacity *= 0.9
        drawn = one_path(note)
        return drawn.next_to(self.readout, DOWN, buff=NOTE_BUFF).align_to(self.readout, LEFT)

    def drawn_curve(self) -> VMobject:
        n = max(int(self.at.get_value()), 2)
        return VMobject(stroke_color=LOSS, stroke_width=3).set_points_as_corners(self.points[:n])

    def show_snapshot(self, k: int) -> None:
        """Gates and readout of weight snapshot k (shown until the next one is reached)."""
        for g, grid in enumerate(self.grids):
            grid[1].set_values(self.gates[k, g])
        n = max(int(self.marks[k]), 1)
        self.readout.set_values(step=n, loss=self.loss[n - 1])
        self.pin(self.readout)  # its new digits too

    def follow(self, _: Mobject) -> None:
        """Show the last snapshot the replay has reached (the readout's updater)."""
        k = max(int(np.searchsorted(self.marks, self.at.get_value(), side="right")) - 1, 0)
        if k != self.shown:
            self.shown = k
            self.show_snapshot(k)

    @property
    def moving(self) -> list[Mobject]:
        """What changes at every frame of the replay (the scene draws these last). The grids
        go in one group with the readout, whose updater (follow) recolours them: Manim
        redraws only from the first updating mobject of the scene's list on, so grids of their
        own, before it, stayed frozen while the counter ran."""
        return [Group(self.readout, *(g[1] for g in self.grids)), self.curve]

    def to(self, fraction: float) -> Animation:
        """The replay from where it is to this fraction of the training, at its pace."""
        seconds = REPLAY_SECONDS * (fraction - self.at.get_value() / self.steps)
        replay = prepare_animation(self.at.animate.set_value(fraction * self.steps))
        return replay.set_run_time(seconds).set_rate_func(linear)


@dataclass(frozen=True)
class LossAxis:
    """How the loss stands on the plot's y axis. A loss that falls by more than LOG_RATIO is
    drawn on a log scale (else its first steps would take the whole height and the rest lie
    flat on the axis): ticks at powers of ten, the top at the loss's largest value. Otherwise
    the loss itself from 0, with nice ticks. Axis units count from the bottom (0), so the x
    axis lies there."""

    log: bool
    low: float  # the bottom: a loss, or a power of ten when log
    height: float  # in axis units (decades when log)
    step: float

    @classmethod
    def of(cls, loss: np.ndarray) -> LossAxis:
        least, most = float(np.min(loss)), float(np.max(loss))
        if least > 0 and most / least >= LOG_RATIO:
            top, bottom = float(np.log10(most)), float(np.log10(least))
            decades = next(s for s in LOG_STEPS if (top - bottom) / s < MOST_TICKS - 1)
            low = decades * float(np.floor(bottom / decades))
            return cls(True, low, top - low, float(decades))
        span = most - min(least, 0.0) or 1.0  # a flat loss (all 0: a perfect model) gets one
        step = nice_step(max(span, 1e-12) / 4)
        low = min(0.0, step * float(np.floor(least / step)))
        return cls(False, low, max(step * float(np.ceil(most / step)) - low, step), step)

    def at(self, loss: np.ndarray) -> np.ndarray:
        """Losses in axis units."""
        return (np.log10(loss) if self.log else np.asarray(loss, dtype=float)) - self.low

    def ticks(self) -> list[tuple[float, str]]:
        """(axis units, the loss written out) of every tick."""
        count = int(np.floor(self.height / self.step + 1e-9)) + 1
        at = [j * self.step for j in range(count)]
        if self.log:
            return [(y, decade(int(round(self.low + y)))) for y in at]
        return [(y, f"{self.low + y:.{places(self.step)}f}") for y in at]


def tick_number(label: str, lang: str) -> VMobject:
    """A tick's number in the face of the axis names and the readout under them (LaTeX's
    digits stood out beside "training step 300 of 300"); a power of ten stays LaTeX."""
    if "^" not in label:
        return one_path(text(label, TABLE_TEXT, WHITE, lang))  # as tall as the LaTeX
    return tex(label, font_size=TICK_TEXT)


def decade(power: int) -> str:
    """10^power written out (0.001, 1, 100), or as a power beyond four places."""
    if -4 <= power <= 4:
        return f"{10.0**power:.{max(-power, 0)}f}"
    return f"10^{{{power}}}"


def plot_width(steps: int) -> float:
    """The loss axis's length: what the gate grids of this many steps leave at their largest
    cells, within PLOT_WIDTHS (the grids of 8 steps then get cells of a readable height)."""
    grids = 3 * steps * GATE_CELL + 3 * GRIDS_GAP + SIDE
    room = config.frame_width - 2 * PLOT_BUFF - 1.0 - grids  # 1.0: the loss axis's numbers
    return float(np.clip(room, *PLOT_WIDTHS))


def nice_step(rough: float) -> float:
    """The tick step of 1, 2, 2.5 or 5 times a power of ten nearest above rough."""
    power = 10.0 ** np.floor(np.log10(rough))
    return float(power * next(m for m in (1, 2, 2.5, 5, 10) if m * power >= rough))


def places(step: float) -> int:
    """Decimal places that print every multiple of step exactly (0.25 -> 2, 5 -> 0)."""
    return next(p for p in range(6) if abs(round(step, p) - step) < 1e-9)


def gate_grids(
    first: np.ndarray,
    view: LSTMView,
    left: float,
    floor: float,
    lang: str,
    units_note: str | None = None,
) -> VGroup:
    """Three grids (f, i, o), one cell per unit (row) and step (column) of the window, each
    with its textbook name above (and the seed's name over that, as L3 has them) and the
    steps' names below; left of the first, the units' numbers under the word "unit" and what
    the columns are (x_t, or t for numbers); under them the units note, if any. As large as
    fits right of x = left, under the legend and over the floor (cells at most GATE_CELL wide,
    and at least ROW_LEAST tall where there is room)."""
    K, n = view.K, first.shape[-1]
    width = config.frame_width / 2 - GRIDS_GAP - left
    top = config.frame_height / 2 - UNDER_LEGEND
    note = None if units_note is None else text(units_note, TABLE_TEXT, NOTE, lang)
    under = 0.0 if note is None else note.height + UNITS_NOTE_BUFF
    tall = (top - floor - HEADS_ROOM - under) / n
    size = min(GATE_CELL, (width - 2 * GRIDS_GAP - SIDE) / (3 * K), tall)
    # narrow cells (many steps) are drawn taller than wide, so the units' numbers stand apart
    row = min(max(size, ROW_LEAST), tall)
    names = [words_on_baseline(view.step_name(t), TABLE_TEXT, NOTE, lang) for t in range(K)]
    cells = [CellGrid(first[g], size, row=row) for g in range(len(GATE_HEADS))]
    heads = [
        tex(h, font_size=PANEL_HEAD).next_to(c, UP, buff=0.12)
        for h, c in zip(GATE_HEADS, cells, strict=True)
    ]
    grids = VGroup(*(VGroup(h, c) for h, c in zip(heads, cells, strict=True)))
    f1, f2 = seed_names(heads, PANEL_HEAD)
    for gap, (left_grid, right_grid) in zip(seed_gaps(grids, f1, f2), pairwise(grids), strict=True):
        right_grid.next_to(left_grid, RIGHT, buff=gap, aligned_edge=DOWN)
    f1.set_x(cells[0].get_x())
    f2.set_x(cells[1].get_x())
    cols = [column_names(c, names) for c in cells]
    for part, below in zip(grids, cols, strict=True):
        part.add(below)
    grids[0].add(f1, row_names(heads[0], cells[0], cols[0], view, lang))
    grids[1].add(f2)
    if note is not None:  # under the steps' names, flush with the grids' left edge
        grids[0].add(note.next_to(grids, DOWN, buff=UNITS_NOTE_BUFF).align_to(grids, LEFT))
    return grids.move_to(np.array([left + width / 2, (top + floor) / 2, 0.0]))


def cell_size(grids: VGroup) -> float:
    """How wide the cells of gate_grids' grids are."""
    grid = grids[0][1]
    assert isinstance(grid, CellGrid)
    return grid.size


def column_names(grid: CellGrid, names: list[tuple[VMobject, float]]) -> VGroup:
    """The steps' names under the grid's columns, on one baseline (each name comes with how
    far its baseline stands above its bottom). Every column is named when the widest name
    fits a cell; else every stride-th (two-digit step numbers are wider than 8 steps' cells)."""
    size = grid.size
    stride = math.ceil((max(name.width for name, _ in names) + COLUMN_NAME_GAP) / size)
    ascent = max(name.height - rise for name, rise in names)  # baseline to the tallest top
    baseline = grid.get_bottom()[1] - 0.08 - ascent
    left = grid.get_left()[0]
    return VGroup(
        *(
            name.copy().move_to(RIGHT * (left + size * (t + 0.5)) + UP * (baseline - rise), DOWN)
            for t, (name, rise) in enumerate(names)
            if t % stride == 0
        )
    )


def seed_gaps(grids: VGroup, f1: VMobject, f2: VMobject) -> tuple[float, float]:
    """The gaps between the three grids (each with its head), for the seed's names over them
    as L3 has them: f_1 centred over f_t, f_2 = i_t * C~_t over i_t (a factor of the pencil
    f_2, not the pencil). GRIDS_GAP, or wider where f_2 is wider than its grid (a step or
    two): each name stays within its grid's share of the row (the grid and half the gaps
    beside it), so f_2 ends as far from the o_t grid as it reaches past its own, and GRIDS_GAP
    from f_1. (Such narrow grids leave room to spare: plot_width.)"""
    f_over = (f1.width - grids[0].width) / 2  # how far each name reaches past its grid's sides
    i_over = (f2.width - grids[1].width) / 2
    first = max(GRIDS_GAP, 2 * i_over, f_over + i_over + GRIDS_GAP)
    return first, max(GRIDS_GAP, 2 * i_over)


def row_names(head: VMobject, grid: CellGrid, cols: VGroup, view: LSTMView, lang: str) -> VGroup:
    """Left of a grid (with its head and column names): the units' numbers, "unit" over
    them (clear of the grid's head), what the columns are under them."""
    size = grid.size
    numbers = VGroup(
        *(
            one_path(text(str(u + 1), TABLE_TEXT, NOTE, lang)).next_to(
                grid.cell(0, j), LEFT, buff=size / 2 + 0.08
            )
            for j, u in enumerate(view.units)
        )
    )
    right = min(numbers.get_right()[0], head.get_left()[0] - 0.12)
    unit = one_path(text(caption_text("label_unit", lang), TABLE_TEXT, NOTE, lang))
    unit.move_to(head, coor_mask=UP).set_x(right - unit.width / 2)
    along = tex(r"x_t" if view.is_text else "t", font_size=PANEL_HEAD, color=NOTE)
    along.move_to(cols, coor_mask=UP)
    along.set_x(min(numbers.get_right()[0], cols.get_left()[0] - 0.1) - along.width / 2)
    return VGroup(numbers, unit, along)
