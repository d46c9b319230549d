"""L6's picture of a real training run: the loss curve, drawn as the replay goes on, with a
readout of the step and the loss, beside grids of the gates f, i, o on the window as the
weights reached so far make them (scenes/story_lstm.py computes them)."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from manim import (
    DL,
    DOWN,
    LEFT,
    RIGHT,
    UL,
    UP,
    Animation,
    Axes,
    Mobject,
    ValueTracker,
    VGroup,
    VMobject,
    always_redraw,
    config,
    linear,
)

from rnncore.train import History

from .blocks import CellGrid, tex, text
from .captions import CAPTIONS, caption_text
from .colors import one_path
from .layout import AXIS_LABEL, LOSS, NOTE, PANEL_HEAD, TABLE_TEXT
from .manim_adapter import prepare_animation
from .panels import Readout
from .story_lstm import LSTMView

REPLAY_SECONDS = 13.0  # the whole replay, whatever the number of training steps
PLOT_SIZE = (4.4, 4.0)  # the loss plot's axes (width, height); the grids take the rest
PLOT_SHIFT = RIGHT * 0.45 + DOWN * 0.35  # from the upper left corner: room for its numbers
GRIDS_GAP, GATE_CELL = 0.35, 0.36  # between the gate grids (and the plot); their largest cell
UNDER_LEGEND = 1.2  # from the frame's top to the grids' room, under the gate legend
GATE_NAMES = (r"f_t\,(f_1)", r"i_t", r"o_t")


class TrainingReplay:
    """The plot, the readout and the grids of one training History, and the animations that
    replay it. gates: (S, 3, K, n) the gates at each of the history's S weight snapshots.
    pin(*mobs) fixes mobjects in the frame (the readout's new digits too)."""

    def __init__(
        self,
        hist: History,
        gates: np.ndarray,
        view: LSTMView,
        lang: str,
        pin: Callable[..., None],
        floor: float | None = None,
    ) -> None:
        self.loss, self.marks, self.gates, self.pin = hist.loss, hist.snapshot_steps, gates, pin
        self.steps = steps = len(hist.loss)
        tick = nice_step(float(np.max(hist.loss)) / 4)
        top = tick * np.ceil(float(np.max(hist.loss)) / tick)
        # left: the loss curve, its readout under it; right: the gate grids under their legend
        axes = Axes(
            x_range=[0, steps, max(1, steps // 5)],
            y_range=[0, top, tick],
            x_length=PLOT_SIZE[0],
            y_length=PLOT_SIZE[1],
            tips=False,
            axis_config={
                "include_numbers": True,
                "font_size": 30,
                "decimal_number_config": {"num_decimal_places": 0},
            },
            y_axis_config={"decimal_number_config": {"num_decimal_places": places(tick)}},
        )
        axes.to_corner(UL, buff=0.5).shift(PLOT_SHIFT)
        x_name = text(caption_text("label_train_step", lang), 20, AXIS_LABEL, lang)
        x_name.next_to(axes.x_axis, DOWN, buff=0.45).align_to(axes.x_axis, RIGHT)
        y_name = text(caption_text("label_loss", lang), 20, AXIS_LABEL, lang)
        y_name.next_to(axes.y_axis, UP, buff=0.1)
        self.at = ValueTracker(0.0)  # how far the replay is, in training steps
        self.points = np.array([axes.c2p(j, self.loss[j]) for j in range(steps)])
        self.readout = Readout(
            CAPTIONS["label_step_loss"][lang], lang, step=1, steps=steps, loss=self.loss[0]
        )
        self.readout.next_to(x_name, DOWN, buff=0.3).align_to(axes, LEFT)
        self.curve = always_redraw(self.drawn_curve)
        self.plot_right = max(axes.get_right()[0], self.readout.get_right()[0])
        bottom = -config.frame_height / 2 + 0.3 if floor is None else floor
        self.grids = gate_grids(gates[0], view, self.plot_right + GRIDS_GAP, bottom)
        self.shown = 0  # the snapshot on show
        self.show_snapshot(0)
        # the axes' lines and ticks as one path, each tick number as one more
        strokes = [
            m
            for m in axes.family_members_with_points()
            if isinstance(m, VMobject) and m.get_fill_opacity() == 0
        ]
        numbers = [*axes.x_axis.numbers, *axes.y_axis.numbers]
        self.axes = VGroup(one_path(VGroup(*strokes)), *(one_path(n) for n in numbers))
        self.names = VGroup(one_path(x_name), one_path(y_name))

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
        """What changes at every frame of the replay (the scene draws these last)."""
        return [self.readout, *(g[1] for g in self.grids), self.curve]

    def to(self, fraction: float) -> Animation:
        """The replay from where it is to this fraction of the training, at its pace."""
        seconds = REPLAY_SECONDS * (fraction - self.at.get_value() / self.steps)
        replay = prepare_animation(self.at.animate.set_value(fraction * self.steps))
        return replay.set_run_time(seconds).set_rate_func(linear)


def nice_step(rough: float) -> float:
    """The tick step of 1, 2, 2.5 or 5 times a power of ten nearest above rough."""
    power = 10.0 ** np.floor(np.log10(rough))
    return float(power * next(m for m in (1, 2, 2.5, 5, 10) if m * power >= rough))


def places(step: float) -> int:
    """Decimal places that print every multiple of step exactly (0.25 -> 2, 5 -> 0)."""
    return next(p for p in range(6) if abs(round(step, p) - step) < 1e-9)


def gate_grids(first: np.ndarray, view: LSTMView, left: float, floor: float) -> VGroup:
    """Three grids (f, i, o), one cell per unit (row) and step (column) of the window, each
    with its name above and the steps' names below, the units' numbers left of the first; as
    large as fits right of x = left, under the legend and over the floor (cells at most
    GATE_CELL)."""
    K, n = view.K, first.shape[-1]
    width = config.frame_width / 2 - GRIDS_GAP - left
    top = config.frame_height / 2 - UNDER_LEGEND
    size = min(GATE_CELL, (width - 2 * GRIDS_GAP - 0.5) / (3 * K), (top - floor - 1.0) / n)
    grids = VGroup()
    for g, name in enumerate(GATE_NAMES):
        grid = CellGrid(first[g], size)
        names = [one_path(text(view.step_name(t), TABLE_TEXT, NOTE)) for t in range(K)]
        # label every stride-th column when the step names are wider than a cell (steps 40-47)
        stride = math.ceil((max(m.width for m in names) + 0.06) / size)
        cols = VGroup(
            *(
                names[t].next_to(grid.get_corner(DL) + RIGHT * size * (t + 0.5), DOWN, buff=0.08)
                for t in range(0, K, stride)
            )
        )
        head = tex(name, font_size=PANEL_HEAD).next_to(grid, UP, buff=0.12)
        grids.add(VGroup(head, grid, cols))
    grids.arrange(RIGHT, buff=GRIDS_GAP, aligned_edge=DOWN)
    first_grid = grids[0][1]
    grids[0].add(
        VGroup(
            *(
                one_path(text(str(u + 1), TABLE_TEXT, NOTE)).next_to(
                    first_grid.cell(0, j), LEFT, buff=size / 2 + 0.08
                )
                for j, u in enumerate(view.units)
            )
        )
    )
    return grids.move_to(np.array([left + width / 2 + 0.25, (top + floor) / 2, 0.0]))
