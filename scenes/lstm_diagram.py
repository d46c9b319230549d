"""The textbook LSTM cell diagram (the one in Olah's "Understanding LSTM Networks"), in the plane.

Conventions, as usual: the cell state runs along the top (c_{t-1} in on the left, c_t out on
the right); the four neural-network layers sigma, sigma, tanh, sigma (f_t, i_t, g_t = C~_t,
o_t) sit in a row at the bottom; circles are pointwise operations (x, +, tanh); lines that
merge mean concatenation ([h_{t-1}, x_t]), a fork (dot) means a copy; h_t leaves to the right
(to the next step) and upwards (to the output).

Every piece is reachable by name in `diagram.parts` (see PART_NAMES), so scenes can transform
into single parts and tests can check them. Layer boxes are filled with the chosen step's real
gate value (mean over the drawn units): sigmoid gates on the sequential 0..1 scale, the tanh
candidate on the diverging -1..1 scale.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    ArrowTip,
    Circle,
    Dot,
    Ellipse,
    Line,
    ManimColor,
    Rectangle,
    RoundedRectangle,
    VGroup,
    VMobject,
)

from scenes.blocks import tex, text
from scenes.captions import caption_text
from scenes.colors import one_path
from scenes.layout import NOTE, ink_on, point

WIRE = ManimColor("#d8d8d8")
WIRE_WIDTH = 3.0
STATE_NAME = ManimColor("#9ad0ff")  # the 3D chains' names where they meet the textbook's
BOX_W, BOX_H = 1.12, 0.8  # room for the symbol and a signed value ("-0.09") with a margin
OP_R = 0.22  # radius of a pointwise-operation circle
TANH_W, TANH_H = 1.1, 0.5  # the tanh(c_t) ellipse: "tanh" with a margin inside it
VALUE_SIZE = 26  # a gate's value in its box: 12 px digits at 480p once scaled into L5

CELL_LEFT, CELL_RIGHT = -4.25, 4.3  # the cell box (c_{t-1} and h_{t-1} stand left of it)
NAME_GAP = 0.1  # between the names that enter on the left and the cell box
NOTE_Y = -1.95  # the note saying what the gate values are, under the bus
NOTE_SIZE = 24  # 12 px x-height-plus at 480p once scaled into L5

# Layout in diagram units (the whole diagram is about 10 x 5.2, centred at the origin).
TOP_Y, BUS_Y, GATE_Y = 1.6, -1.55, -0.72  # cell line, [h_{t-1}, x_t] bus, layer boxes
X_IN, X_OUT = -5.0, 5.0  # where lines enter and leave
GATE_X = {"forget": -2.95, "input": -1.6, "candidate": -0.3, "output": 1.2}
MUL_IN = np.array([-0.3, 0.45, 0])  # i_t * g_t
TANH_C = np.array([2.6, 0.85, 0])  # tanh(c_t) on the fork from the cell line
MUL_OUT = np.array([2.6, -0.05, 0])  # o_t * tanh(c_t)
X_T_X = -3.75  # x_t comes up from below here
H_UP_X = 3.8  # h_t forks upwards here

GATES = (  # part name, layer, textbook label, seed label
    ("forget_gate", r"\sigma", r"f_t", r"(f_1)"),
    ("input_gate", r"\sigma", r"i_t", ""),
    ("candidate_gate", r"\tanh", r"\tilde{C}_t", ""),
    ("output_gate", r"\sigma", r"o_t", ""),
)

GATE_PARTS = tuple(gate[0] for gate in GATES)  # the four gate boxes
OPERATOR_PARTS = (  # the pointwise operations on the cell line and the output
    "multiply_forget",
    "add_input",
    "multiply_input",
    "multiply_output",
    "tanh_cell",
)

PART_NAMES = (
    "cell_box",
    "cell_line",
    "hidden_bus",
    "x_in",
    "h_out",
    "h_up",
    *GATE_PARTS,
    *OPERATOR_PARTS,
    "forget_link",
    "input_link",
    "candidate_link",
    "output_link",
    "write_link",
    "cell_fork",
    "forks",
    "labels",
    "f2_label",
    "gate_note",
    "state_names",
)


# L5: the 3D model's links at the zoomed step, and the paths of the cell they open out into
OPENS_INTO = {
    "c_in": ("cell_line",),  # C_{t-1} -> C_t
    "c_out": ("cell_fork",),  # C_t -> C_{t+1}
    "s_in": ("hidden_bus",),  # S_{t-1} -> S_t
    "s_out": ("h_out", "h_up"),  # S_t -> S_{t+1}
    "c_to_s": ("forget_link", "input_link", "candidate_link", "write_link", "output_link"),
}
# the paths a signal takes through the cell, one after the other (L5's flow)
ROUTES = (
    ("cell_line",),
    ("x_in", "hidden_bus"),
    ("forget_link", "input_link", "candidate_link", "output_link"),
    ("write_link", "cell_fork"),
    ("h_out", "h_up"),
)


def _wire(*points: Sequence[float] | np.ndarray, arrow: bool = True) -> VMobject:
    """A polyline along the points; an arrow tip on its last segment."""
    pts = [np.array(p, dtype=float) for p in points]
    group = VGroup()
    for a, b in zip(pts[:-2], pts[1:-1], strict=False):
        group.add(Line(a, b, color=WIRE, stroke_width=WIRE_WIDTH))
    last = (
        Arrow(
            pts[-2],
            pts[-1],
            buff=0,
            color=WIRE,
            stroke_width=WIRE_WIDTH,
            tip_length=0.16,
            max_tip_length_to_length_ratio=0.5,
            max_stroke_width_to_length_ratio=20,
        )
        if arrow
        else Line(pts[-2], pts[-1], color=WIRE, stroke_width=WIRE_WIDTH)
    )
    return group.add(last)


def _op(symbol: str, center: np.ndarray) -> VGroup:
    """A pointwise-operation circle: x or +."""
    ring = Circle(
        radius=OP_R, color="#f0b429", stroke_width=3, fill_color="#2b2b2b", fill_opacity=1
    ).move_to(center)
    sign = tex(symbol, font_size=34, color="#f0b429").move_to(center)
    return VGroup(ring, sign)


class ClassicLSTMDiagram(VGroup):
    """The classic cell diagram; gate boxes coloured by gate values (means over units).

    gate_color maps 0..1 to a colour (sequential scale), state_color maps -1..1 (diverging).
    Its words and numbers are set in the face of lang's captions (Noto Sans CJK in Chinese,
    where the default serif digits stood out beside the legends).
    """

    def __init__(
        self,
        f: float,
        i: float,
        g: float,
        o: float,
        gate_color: Callable[[float], ManimColor],
        state_color: Callable[[float], ManimColor],
        lang: str = "en",
    ) -> None:
        super().__init__()
        self.values = {"forget_gate": f, "input_gate": i, "candidate_gate": g, "output_gate": o}
        p: dict[str, VMobject] = {}
        p["cell_box"] = RoundedRectangle(
            corner_radius=0.35,
            width=CELL_RIGHT - CELL_LEFT,
            height=4.6,
            stroke_color="#6c7a89",
            stroke_width=2,
            fill_color="#1c2430",
            fill_opacity=1,
        ).move_to(point((CELL_LEFT + CELL_RIGHT) / 2, 0.05))
        mul_f = np.array([GATE_X["forget"], TOP_Y, 0])
        add_i = np.array([GATE_X["candidate"], TOP_Y, 0])
        # the cell line stops at the x's and the +'s rings: drawn through them (wires go over
        # the operators in L5), the + read as "|" and the x as faint
        p["cell_line"] = VGroup(
            _wire([X_IN, TOP_Y, 0], mul_f + OP_R * LEFT, arrow=False),
            _wire(mul_f + OP_R * RIGHT, add_i + OP_R * LEFT, arrow=False),
            _wire(add_i + OP_R * RIGHT, [X_OUT, TOP_Y, 0]),
        )
        p["multiply_forget"] = _op(r"\times", mul_f)
        p["add_input"] = _op("+", add_i)
        p["multiply_input"] = _op(r"\times", MUL_IN)
        p["multiply_output"] = _op(r"\times", MUL_OUT)
        tanh_ring = Ellipse(
            width=TANH_W,
            height=TANH_H,
            color="#f0b429",
            stroke_width=3,
            fill_color="#2b2b2b",
            fill_opacity=1,
        ).move_to(TANH_C)
        p["tanh_cell"] = VGroup(
            tanh_ring, one_path(text("tanh", 24, "#f0b429", lang)).move_to(TANH_C)
        )
        # [h_{t-1}, x_t]: h_{t-1} enters bottom left, x_t merges into it from below (concat)
        p["hidden_bus"] = _wire([X_IN, BUS_Y, 0], [GATE_X["output"], BUS_Y, 0], arrow=False)
        p["x_in"] = _wire([X_T_X, -2.75, 0], [X_T_X, BUS_Y, 0], arrow=False)
        for name, layer, _, _ in GATES:
            key = name.removesuffix("_gate")
            value = self.values[name]
            fill = state_color(value) if key == "candidate" else gate_color(value)
            box = Rectangle(
                width=BOX_W,
                height=BOX_H,
                fill_color=fill,
                fill_opacity=1,
                stroke_color="#f0b429",
                stroke_width=2.5,
            )
            box.move_to(point(GATE_X[key], GATE_Y))
            ink = ink_on(fill)
            symbol = tex(layer, font_size=36, color=ink).move_to(box).shift(0.17 * UP)
            shown = f"{value:.2f}".replace("-0.00", "0.00")
            number = one_path(text(shown, VALUE_SIZE, ink, lang))
            p[name] = VGroup(box, symbol, number.move_to(box).shift(0.18 * DOWN))
        gx = GATE_X
        box_top = GATE_Y + BOX_H / 2
        p["forget_link"] = _wire([gx["forget"], box_top, 0], mul_f + OP_R * DOWN)
        p["input_link"] = _wire(
            [gx["input"], box_top, 0], [gx["input"], MUL_IN[1], 0], MUL_IN + OP_R * LEFT
        )
        p["candidate_link"] = _wire([gx["candidate"], box_top, 0], MUL_IN + OP_R * DOWN)
        p["write_link"] = _wire(MUL_IN + OP_R * UP, add_i + OP_R * DOWN)
        p["output_link"] = _wire(
            [gx["output"], box_top, 0], [gx["output"], MUL_OUT[1], 0], MUL_OUT + OP_R * LEFT
        )
        p["cell_fork"] = VGroup(
            _wire([TANH_C[0], TOP_Y, 0], TANH_C + TANH_H / 2 * UP),
            _wire(TANH_C + TANH_H / 2 * DOWN, MUL_OUT + OP_R * UP),
        )
        # h_t = o_t * tanh(c_t) goes down, then right to the next step; a copy goes up
        p["h_out"] = _wire(MUL_OUT + OP_R * DOWN, [MUL_OUT[0], BUS_Y, 0], [X_OUT, BUS_Y, 0])
        p["h_up"] = _wire([H_UP_X, BUS_Y, 0], [H_UP_X, 2.75, 0])
        bus_from = [
            _wire([gx[k], BUS_Y, 0], [gx[k], GATE_Y - BOX_H / 2, 0])
            for k in ("forget", "input", "candidate", "output")
        ]
        p["hidden_bus"].add(*bus_from)
        p["forks"] = VGroup(
            *(
                Dot(point(x, y), radius=0.06, color=WIRE)
                for x, y in (
                    (gx["input"], BUS_Y),
                    (gx["candidate"], BUS_Y),
                    (gx["forget"], BUS_Y),
                    (TANH_C[0], TOP_Y),
                    (H_UP_X, BUS_Y),
                    (X_T_X, BUS_Y),
                )
            )
        )
        p["labels"], p["f2_label"] = self._labels()
        # the boxes show one number for a vector: say which, or C~ 0.00 reads as "writes
        # nothing" where every unit's C~ is +-1 and they cancel out
        p["gate_note"] = one_path(
            text(caption_text("label_gate_mean", lang), NOTE_SIZE, NOTE, lang)
        )
        p["gate_note"].move_to(point((X_T_X + MUL_OUT[0]) / 2, NOTE_Y))  # between x_t and h_t
        p["state_names"] = self._state_names()
        self.parts = p
        self.add(
            p["cell_box"],
            p["cell_line"],
            p["hidden_bus"],
            p["x_in"],
            p["h_out"],
            p["h_up"],
            p["forget_link"],
            p["input_link"],
            p["candidate_link"],
            p["write_link"],
            p["output_link"],
            p["cell_fork"],
            p["forks"],
            p["multiply_forget"],
            p["add_input"],
            p["multiply_input"],
            p["multiply_output"],
            p["tanh_cell"],
            p["forget_gate"],
            p["input_gate"],
            p["candidate_gate"],
            p["output_gate"],
            p["labels"],
            p["f2_label"],
            p["gate_note"],
            p["state_names"],
        )

    def outline(self, names: Sequence[str]) -> VMobject:
        """These parts' wires as one path (no arrow tips): what links morph into,
        and what a signal flashes along."""
        wires = [
            m
            for n in names
            for m in self.parts[n].family_members_with_points()
            if isinstance(m, VMobject) and not isinstance(m, ArrowTip)
        ]
        # their points only: an Arrow's family holds its tip, which one_path would gather back
        path = VMobject().set_points(np.vstack([m.points for m in wires]))
        return path.set_fill(opacity=0).set_stroke(WIRE, WIRE_WIDTH, 1)

    @staticmethod
    def _state_names() -> VGroup:
        """What the 3D chains become: C_t is the cell state c_t, S_t the output h_t (beside
        where they leave the cell)."""
        fs = 36
        c = tex(r"C_t = c_t", font_size=fs, color=STATE_NAME)
        h = tex(r"S_t = h_t", font_size=fs, color=STATE_NAME)
        c.next_to(point(X_OUT, TOP_Y), RIGHT, buff=0.15)
        return VGroup(c, h.next_to(point(X_OUT, BUS_Y), RIGHT, buff=0.15))

    @staticmethod
    def _labels() -> tuple[VGroup, VGroup]:
        fs = 42  # 12 px capitals at 480p once the diagram is scaled into L5
        outer = VGroup(
            tex(r"c_{t-1}", font_size=fs)
            .next_to(point(X_IN, TOP_Y), UP, buff=0.1)
            .align_to(point(CELL_LEFT - NAME_GAP, 0), RIGHT),
            tex(r"c_t", font_size=fs).next_to(point(X_OUT, TOP_Y), UP, buff=0.1).shift(0.25 * LEFT),
            tex(r"h_{t-1}", font_size=fs)
            .next_to(point(X_IN, BUS_Y), DOWN, buff=0.12)
            .align_to(point(CELL_LEFT - NAME_GAP, 0), RIGHT),
            tex(r"x_t", font_size=fs).next_to(point(X_T_X, -2.75), DOWN, buff=0.08),
            tex(r"h_t", font_size=fs)
            .next_to(point(X_OUT, BUS_Y), DOWN, buff=0.12)
            .shift(0.25 * LEFT),
            tex(r"h_t", font_size=fs).next_to(point(H_UP_X, 2.75), RIGHT, buff=0.1),
        )
        gates = VGroup(
            *(
                tex(tb + (r"\ " + seed if seed else ""), font_size=36, color="#f0b429").next_to(
                    point(GATE_X[name.removesuffix("_gate")] - 0.08, GATE_Y + BOX_H / 2 + 0.05),
                    UP + LEFT,
                    buff=0.05,
                )
                for name, _, tb, seed in GATES
            )
        )
        gates[0].shift(0.05 * RIGHT)
        f2 = tex(r"f_2 = i_t \odot \tilde{C}_t", font_size=36, color="#f0b429")
        f2.next_to(MUL_IN + OP_R * RIGHT, RIGHT, buff=0.12).shift(0.1 * UP)
        return VGroup(outer, gates), VGroup(f2)
