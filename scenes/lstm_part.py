"""Part 2 of the video: the LSTM, shots L1-L6 (see STORYBOARD.md), one method per shot.

Every colour and number comes from the Story of a trained model (load_story("lstm", ...); L1
also the RNN's) and from rnncore (sensitivities, the training History); the geometry lives in
scenes/blocks.py, the eraser, pencil and diary in scenes/lstm_tools.py, the textbook cell in
scenes/lstm_diagram.py. Render with
    manim -ql scenes/lstm_part.py LSTMPart            (RNN3D_SHOT=L3 for one shot)

World layout (as in scenes/blocks.py: neurons along x, flow up z, time along y): the S chain
stands at x = 0 with x_t below and y_t above it; the C chain ("the diary") runs beside it at
x = -C_OFFSET; at every step one link joins C_t to S_t.
"""

from __future__ import annotations

import string

import numpy as np
from manim import (
    DEGREES,
    DL,
    DOWN,
    IN,
    LEFT,
    ORIGIN,
    OUT,
    RIGHT,
    UL,
    UP,
    UR,
    Animation,
    AnimationGroup,
    Axes,
    Create,
    DecimalNumber,
    GrowFromCenter,
    GrowFromEdge,
    Line,
    MathTex,
    Mobject,
    Rectangle,
    ReplacementTransform,
    Text,
    TransformFromCopy,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    always_redraw,
    config,
    linear,
)

from scenes.base import PartScene
from scenes.blocks import (
    RANK_LINK,
    BlockScene,
    CellGrid,
    DenseLinks,
    Formula,
    Glide,
    Links,
    NeuronLayer,
    SelfLinks,
    UnrolledChain,
    appear,
    face_camera,
    fix_in_frame,
    tex,
    text,
    vanish,
)
from scenes.captions import CAPTIONS, caption_text
from scenes.colors import ColorLegend, diverging, one_path, sequential
from scenes.lstm_diagram import BUS_Y, TOP_Y, ClassicLSTMDiagram
from scenes.lstm_tools import Diary, Eraser, Pencil
from scenes.manim_adapter import frame_center_tracker, zoom_tracker
from scenes.story_lstm import LSTMView, replay_gates, training_history

CHAIN_VIEW = {"phi": 62 * DEGREES, "theta": -30 * DEGREES}  # time opens out to the right
SIDE_VIEW = {"phi": 90 * DEGREES, "theta": 0 * DEGREES}  # screen right = time, up = z
IO_GAP = 2.3  # x_t below and y_t above S_t, along world z
SPACING, RADIUS = 0.5, 0.17
C_OFFSET = 5.0  # the C chain runs beside the S chain, this far along -x
REPLAY_SECONDS = 13.0  # L6's training replay, whatever the number of training steps
DIAGRAM_SCALE = 0.82  # the classic diagram's size in L5 (world units per diagram unit)
FORMULA_F1 = (r"f_1 = \mathrm{sigmoid}\left(w_1 \begin{bmatrix} s_{t-1} \\ x_t \end{bmatrix}"
              r" + b_1\right)")
FORMULA_F2 = (r"f_2 = \mathrm{sigmoid}\left(w_2 \begin{bmatrix} s_{t-1} \\ x_t \end{bmatrix}"
              r" + b_2\right) * \tanh\left(\tilde{w}_2 \begin{bmatrix} s_{t-1} \\ x_t"
              r" \end{bmatrix} + \tilde{b}_2\right)")
FORMULA_C = r"c_t = f_1 * c_{t-1} + f_2"


def bmatrix(values: np.ndarray) -> str:
    return r"\begin{bmatrix}" + r"\\".join(f"{v:+.2f}" for v in values) + r"\end{bmatrix}"


class Readout(VGroup):
    """A label with live numbers: its words are drawn once and each {field} is a DecimalNumber
    (Manim keeps the digits it has drawn), so new numbers cost no new text."""

    def __init__(self, template: str, lang: str, font_size: float = 22, color: str = "#EEEEEE",
                 **values: float) -> None:
        super().__init__()
        self.numbers: dict[str, DecimalNumber] = {}
        self.gaps: list[float] = []
        for literal, field, spec, _ in string.Formatter().parse(template):
            if literal.strip():
                self._put(one_path(text(literal.strip(), font_size, color, lang)), literal)
            if field:
                places = int(spec[1:].rstrip("f")) if spec.startswith(".") else 0
                number = DecimalNumber(values[field], num_decimal_places=places,
                                       font_size=font_size * 1.45, color=color)
                self.numbers[field] = number
                self._put(number, literal[len(literal.rstrip()):])
        self.lay_out()

    def _put(self, mob: Mobject, spaces_before: str) -> None:
        """Add mob; the gap before it grows with the spaces the template puts there."""
        blank = len(spaces_before) - len(spaces_before.lstrip())
        self.gaps.append(0.06 + 0.09 * blank)
        self.add(mob)

    def lay_out(self) -> None:
        parts = self.submobjects
        for prev, mob, gap in zip(parts[:-1], parts[1:], self.gaps[1:], strict=True):
            mob.next_to(prev, RIGHT, buff=gap)

    def show(self, **values: float) -> Readout:
        left = self.get_left()
        for field, value in values.items():
            self.numbers[field].set_value(value)
        self.lay_out()
        return self.shift(left - self.get_left())


class LSTMPart(BlockScene, PartScene):
    part = "lstm"

    def setup(self) -> None:
        super().setup()
        self.view = LSTMView.load(self.settings)

    def t_label(self, k: int) -> int:
        """The 1-based step number of the k-th drawn step."""
        return self.view.step_number(k)

    # ---- small helpers --------------------------------------------------------------------

    def leave(self, *mobs: Mobject, run_time: float = 1.0) -> None:
        """Fade these out. They are first taken out of the groups they belong to and put last
        in the scene: Manim redraws every frame only from the first animated mobject on, so
        only they are redrawn (with the layers of fading links, which BlockScene adds)."""
        self.add(*mobs)
        self.play(*(vanish(m) for m in mobs), run_time=run_time)

    def label(self, key: str, **fields) -> str:
        return caption_text(key, self.lang, **fields)

    def legend(self, kind: str, key: str, corner: np.ndarray) -> VGroup:
        """A colour legend in a corner; built once per scale and title (never two on screen)."""
        cache = self.__dict__.setdefault("legends", {})
        if (kind, key) not in cache:
            font = "Noto Sans CJK SC" if self.lang == "zh" else ""
            cache[kind, key] = ColorLegend(kind, self.label(key), font=font)
            fix_in_frame(self, cache[kind, key])
        return cache[kind, key].to_corner(corner, buff=0.3)

    def focus(self, point: np.ndarray, zoom: float, run_time: float = 2.0) -> Animation:
        """Look at this point, from this far (as move_camera, but to play with others)."""
        return AnimationGroup(
            frame_center_tracker(self.camera).animate(run_time=run_time).move_to(point),
            zoom_tracker(self.camera).animate(run_time=run_time).set_value(zoom))

    # ---- L1 short memory ------------------------------------------------------------------

    def build_chain(self) -> None:
        """The unrolled S chain, first with the RNN's states (L1), with x_t and y_t."""
        v = self.view
        K = v.K
        dt = min(1.6, 10.0 / K)
        in_names = [text(v.input_symbol(k), 22) if v.is_text else f"x_{{{self.t_label(k)}}}"
                    for k in range(K)]
        self.chain = UnrolledChain(
            v.rnn_hs, [f"S_{{{self.t_label(k)}}}" for k in range(K)], dt=dt,
            inputs=v.xs, outputs=None, in_scale=v.in_scale, in_names=in_names, io_gap=IO_GAP,
            spacing=SPACING, radius=RADIUS, io_spacing=SPACING, io_radius=RADIUS * 0.8)
        face_camera(self, self.chain)
        c = self.chain
        self.in_links = VGroup(*(DenseLinks(c.inputs[j], c.hidden[j], v.rnn_w_in)
                                 for j in range(K)))
        self.ws_links = VGroup(*(DenseLinks(c.hidden[j], c.hidden[j + 1], v.rnn_ws)
                                 for j in range(K - 1)))

    def sensitivity_bars(self) -> VGroup:
        """One bar per step beside S_t, its height the real ||dS_T/dS_t|| over its maximum."""
        rel = self.view.sensitivity / max(float(self.view.sensitivity.max()), 1e-12)
        end = (len(self.view.units) - 1) / 2 * SPACING + 0.6
        bars = VGroup()
        for k, r in enumerate(rel):
            bar = Rectangle(width=0.45, height=max(1.3 * r, 0.02), fill_color=sequential(r),
                            fill_opacity=0.95, stroke_width=1, stroke_color="#DDDDDD")
            bar.rotate(90 * DEGREES, RIGHT).rotate(90 * DEGREES, OUT)  # into the y-z plane
            bar.move_to(self.chain.at(k) + LEFT * end, aligned_edge=IN)  # at the far end
            value = one_path(Text(f"{self.view.sensitivity[k]:.2f}", font_size=20, color="#FFFFFF"))
            value.move_to(bar.get_zenith() + OUT * 0.25)  # above the bar (z is up)
            self.renderer.camera.add_fixed_orientation_mobjects(value)
            bars.add(VGroup(bar, value))
        return bars

    def shot_L1(self) -> None:
        self.build_chain()
        self.set_camera_orientation(**CHAIN_VIEW, frame_center=self.rnn_center())
        self.say("l1_short")
        self.states_legend = self.legend("diverging", "label_state", UL)
        self.play(appear(self.chain), appear(self.states_legend), run_time=1.5)
        self.play(Create(self.in_links), Create(self.ws_links), run_time=1.5)
        self.wait(2)
        first, last = float(self.view.sensitivity[0]), float(self.view.sensitivity[-1])
        self.say("l1_fade", back=self.view.K - 1, first=first, last=last,
                 ratio=first / max(last, 1e-12))
        self.bars = self.sensitivity_bars()
        self.formula = one_path(Formula(r"\left\| \partial S_T / \partial S_t \right\|",
                                        r"\quad T = " + str(self.t_label(self.view.K - 1))))
        self.sens_legend = self.legend("sequential", "label_sensitivity", UR)
        fix_in_frame(self, self.formula)
        self.play(Write(self.formula), appear(self.sens_legend), run_time=1.2)
        # from the last step backwards: how much S_T still feels each earlier state
        self.play(AnimationGroup(*(GrowFromEdge(b, IN) for b in reversed(self.bars)),
                                 lag_ratio=0.5), run_time=4)
        self.wait(3)

    def rnn_center(self) -> np.ndarray:
        """Where the camera looks in L1: the middle of the chain, a little low (captions)."""
        return self.chain.at((self.view.K - 1) / 2) + OUT * -0.6

    def chain_center(self) -> np.ndarray:
        """Where the camera looks once the C chain stands beside S."""
        return self.chain.at((self.view.K - 1) / 2) + LEFT * C_OFFSET / 2 + OUT * -1.6

    # ---- L2 a second chain ----------------------------------------------------------------

    def build_cell_chain(self) -> None:
        """C beside S; links C_{t-1} -> C_t unit by unit (c_t = f_t c_{t-1} + ...: width and
        colour (sequential scale) are the forget gate f_t), and at every step one link from
        C_t to S_t. The links into and between the S copies are drawn as structure only: an
        LSTM has four weight blocks per link, no single weight to colour them by."""
        K, c = self.view.K, self.chain
        self.cells = UnrolledChain(self.view.cs, [f"C_{{{self.t_label(k)}}}" for k in range(K)],
                                   origin=LEFT * C_OFFSET, dt=c.dt, spacing=SPACING,
                                   radius=RADIUS)
        face_camera(self, self.cells)
        h = self.cells.hidden
        self.c_links = VGroup(*(SelfLinks(h[j], h[j + 1], self.view.f[j + 1], norm=1.0)
                                for j in range(K - 1)))
        half = (Links.BINS - 1) // 2
        for bundle in self.c_links:  # Links colour weights on the diverging scale: f is a gate
            for level, path in bundle.paths.items():
                path.set_stroke(sequential(level / half))
        last = len(self.view.units) - 1
        self.sc_links = VGroup(*(Links(h[j], c.hidden[j], [(last, 0)], [1.0], norm=1.0,
                                       max_width=6) for j in range(K)))
        for link in self.sc_links:
            link.set_stroke("#E8E8E8")
        # S_{t-1} -> S_t: drawn unit to unit, as structure (the full picture is in L1's W_S)
        self.s_links = VGroup(*(SelfLinks(c.hidden[j], c.hidden[j + 1]) for j in range(K - 1)))
        self.lstm_in_links = VGroup(*(DenseLinks(c.inputs[j], c.hidden[j]) for j in range(K)))
        diary = one_path(text(self.label("label_diary") + "  C", 24, "#F4ECD8", self.lang))
        diary.move_to(self.cells.at(-0.9) + OUT * 0.5)
        self.renderer.camera.add_fixed_orientation_mobjects(diary)
        self.diary_label = diary

    def shot_L2(self) -> None:
        c, K = self.chain, self.view.K
        self.build_cell_chain()
        self.say("l2_chain")
        states = self.legend("diverging", "label_cell", UL)
        self.play(vanish(self.bars), vanish(self.formula), vanish(self.sens_legend),
                  vanish(self.states_legend), appear(states), run_time=1)
        self.states_legend = states
        # the same chain, now the LSTM's: its own states and weights
        self.play(*(c.hidden[k].fill(self.view.hs[k], lag_ratio=0) for k in range(K)),
                  vanish(self.ws_links), vanish(self.in_links), appear(self.s_links),
                  appear(self.lstm_in_links), run_time=1.5)
        first = self.cells.hidden[0]
        unroll = [self.cells.unroll(lag_ratio=0.3, run_time=2.5)] if K > 1 else []
        self.add(*self.cells.hidden[1:])
        self.play(appear(first), *unroll, appear(self.diary_label),
                  self.focus(self.chain_center(), zoom=0.9, run_time=2.5), run_time=2.5)
        self.play(Create(self.c_links), run_time=1.5)
        self.gate_legend = self.legend("sequential", "label_forget_links", UR)
        self.play(Create(self.sc_links), appear(self.gate_legend), run_time=1.5)
        self.wait(2.5)
        self.say("l2_state")
        for k in range(K):
            self.play(self.sc_links[k].pulse(run_time=0.7),
                      *([self.c_links[k - 1].pulse(run_time=0.7)] if k else []))
        self.wait(2.5)

    # ---- L3 zoom into one step ------------------------------------------------------------

    def split_link(self) -> VGroup:
        """The C_t - S_t link at the zoom step as three lines: eraser f1, pencil f2, output o."""
        link = self.sc_links[self.view.zoom_k]
        _, p0, p1 = link.segments()[0]
        k = self.view.zoom_k
        values = self.view.gate_means(k)
        colors = (sequential(values[0]), diverging(values[1]), sequential(values[2]))
        names = (r"f_1", r"f_2", r"o_t")
        lines = VGroup()
        for dz, color, name in zip((0.35, 0.0, -0.35), colors, names, strict=True):
            line = Line(p0 + OUT * dz, p1 + OUT * dz, color=color, stroke_width=5)
            line.draw_rank = RANK_LINK
            tag = tex(name, font_size=34).move_to((p0 + p1) / 2 + OUT *
                                                                         (dz + 0.12))
            self.renderer.camera.add_fixed_orientation_mobjects(tag)
            lines.add(VGroup(line, tag))
        return lines

    def value_column(self, values: np.ndarray, kind: str, head: str,
                     diary: Diary) -> VGroup:
        """A gate vector as a column of coloured cells with their numbers, one per diary row."""
        paint = sequential if kind == "sequential" else diverging
        cells = VGroup()
        for k, v in enumerate(values):
            box = Rectangle(width=0.78, height=diary.row_height * 0.8, fill_color=paint(v),
                            fill_opacity=1, stroke_width=1, stroke_color="#222222")
            box.move_to(diary._row_center(k))
            ink = "#111111" if paint(v).to_rgb() @ np.array([0.3, 0.59, 0.11]) > 0.5 else "#FFFFFF"
            number = Text(f"{v:.2f}" if kind == "sequential" else f"{v:+.2f}", font_size=17,
                          color=ink)
            cells.add(VGroup(box, one_path(number).move_to(box)))
        header = tex(head, font_size=28).next_to(cells, UP, buff=0.15)
        return VGroup(header, cells)

    def shot_L3(self) -> None:
        k = self.view.zoom_k
        link = self.sc_links[k]
        _, p0, p1 = link.segments()[0]
        self.say("l3_zoom")
        self.move_camera(phi=68 * DEGREES, theta=-62 * DEGREES, zoom=2.6,
                         frame_center=(p0 + p1) / 2 + OUT * 0.1, run_time=3,
                         added_anims=[vanish(self.gate_legend), vanish(self.states_legend)])
        self.three = self.split_link()
        self.play(ReplacementTransform(VGroup(link.copy()), self.three[0][0]),
                  TransformFromCopy(link, self.three[1][0]),
                  TransformFromCopy(link, self.three[2][0]), vanish(link), run_time=1.5)
        self.play(*(appear(t[1]) for t in self.three), run_time=0.8)
        self.wait(2)  # a flight costs a redraw of everything per frame, a pause none
        # the close-up: the diary of C at step t, the two tools and the gate vectors
        self.build_closeup()
        self.gate_legend = self.legend("sequential", "label_gate", UR)
        self.states_legend = self.legend("diverging", "label_cell", UL)
        self.play(*(vanish(t[1]) for t in self.three),
                  appear(self.dim), appear(self.diary), appear(self.step_tag),
                  appear(self.gate_legend), appear(self.states_legend), run_time=1.2)
        self.say("l3_eraser")
        self.play(Write(self.f1_formula), appear(self.f_col), appear(self.eraser),
                  run_time=2)
        self.wait(1.5)
        self.play(self.diary.erase(self.view.f[k], self.eraser), run_time=4)
        self.play(self.eraser.animate.move_to(self.eraser_home), run_time=0.6)
        self.wait(1)
        self.say("l3_pencil")
        self.play(Write(self.f2_formula), appear(self.i_col), appear(self.g_col),
                  appear(self.pencil), run_time=2)
        self.wait(1.5)
        self.play(self.diary.write(self.view.ig[k], self.pencil), run_time=4)
        self.play(self.pencil.animate.move_to(self.pencil_home),
                  self.diary.title.animate.become(tex("c_t", color="#3b3024")
                                                  .move_to(self.diary.title)), run_time=0.8)
        self.wait(2)

    def build_closeup(self) -> None:
        k = self.view.zoom_k
        frame_w, frame_h = config.frame_width, config.frame_height
        self.dim = Rectangle(width=frame_w, height=frame_h, fill_color="#000000",
                             fill_opacity=0.82, stroke_width=0)
        self.diary = Diary(self.view.c_before[k], self.view.units, diverging,
                           title=r"c_{t-1}").move_to(LEFT * 5.3 + UP * 0.35)
        self.f_col = self.value_column(self.view.f[k], "sequential", r"f_t\,(f_1)", self.diary)
        self.i_col = self.value_column(self.view.i[k], "sequential", r"i_t", self.diary)
        self.g_col = self.value_column(self.view.g[k], "diverging", r"\tilde{C}_t", self.diary)
        for col, x in ((self.f_col, -3.4), (self.i_col, -2.45), (self.g_col, -1.5)):
            col.set_x(x)
        self.f1_formula = tex(FORMULA_F1).move_to(RIGHT * 3.1 + UP * 1.9)
        self.f2_formula = tex(FORMULA_F2)
        self.f2_formula.scale_to_fit_width(min(self.f2_formula.width, 7.6))
        self.f2_formula.next_to(self.f1_formula, DOWN, buff=0.45).set_x(3.0)
        self.eraser = Eraser().move_to(RIGHT * 1.2 + DOWN * 0.75)
        self.pencil = Pencil().move_to(RIGHT * 4.0 + DOWN * 0.95)
        self.eraser_home = self.eraser.get_center()
        self.pencil_home = self.pencil.get_center()
        self.step_tag = one_path(text(self.label("label_zoom_step", t=self.t_label(k)), 24,
                                      "#DDDDDD", self.lang)).to_edge(UP, buff=0.35)
        fix_in_frame(self, self.dim, self.diary, self.f_col, self.i_col, self.g_col,
                     self.f1_formula, self.f2_formula, self.eraser, self.pencil, self.step_tag)

    # ---- L4 the new diary -----------------------------------------------------------------

    def shot_L4(self) -> None:
        k = self.view.zoom_k
        self.say("l4_update")
        update = tex(FORMULA_C, font_size=36).move_to(RIGHT * 3.0 + UP * 2.3)
        numbers = MathTex(bmatrix(self.view.cs[k]), "=", bmatrix(self.view.f[k]), r"\odot",
                          bmatrix(self.view.c_before[k]), "+", bmatrix(self.view.ig[k]),
                          font_size=24)
        numbers.next_to(update, DOWN, buff=0.3).set_x(3.0)
        if numbers.height > 4.2:
            numbers.scale_to_fit_height(4.2)
        names = VGroup(*(tex(s, font_size=24).next_to(numbers[j], DOWN, buff=0.12)
                         for s, j in ((r"c_t", 0), (r"f_1", 2), (r"c_{t-1}", 4), (r"f_2", 6))))
        numbers = one_path(numbers)
        fix_in_frame(self, update, numbers, names)
        self.play(vanish(self.f1_formula), vanish(self.f2_formula), vanish(self.eraser),
                  vanish(self.pencil), run_time=0.8)
        self.play(Write(update), run_time=1.5)
        self.play(appear(numbers), appear(names), run_time=1.5)
        self.wait(4)
        self.say("l4_flow")
        closeup = VGroup(self.dim, self.diary, self.f_col, self.i_col, self.g_col, update,
                         numbers, names, self.step_tag)
        self.play(vanish(closeup), vanish(self.three), appear(self.sc_links[k]),
                  run_time=1)
        legend = self.legend("sequential", "label_gate_prob", UR)
        self.move_camera(**CHAIN_VIEW, zoom=0.78, frame_center=self.chain_center() + OUT * 0.2,
                         run_time=2.5, added_anims=[vanish(self.gate_legend), appear(legend)])
        self.gate_legend = legend
        c, K = self.chain, self.view.K
        # c_t goes on along C and into s_t = o_t * tanh(c_t), which gives y_t
        flow = [self.sc_links[k].pulse(run_time=1.2)]
        if k + 1 < K:
            flow.append(self.c_links[k].pulse(run_time=1.2))
        self.play(*flow)
        s_formula = one_path(Formula(r"s_t = o_t * \tanh(c_t)"))
        fix_in_frame(self, s_formula)
        self.play(Write(s_formula), c.hidden[k].fill(self.view.hs[k]), run_time=1.5)
        self.outputs = self.output_layers()
        self.play(appear(self.outputs[k]), run_time=1)
        # both chains keep updating each other, step after step
        for j in range(k + 1, K):
            self.play(self.c_links[j - 1].pulse(run_time=0.6), self.s_links[j - 1].pulse(
                run_time=0.6), self.sc_links[j].pulse(run_time=0.6))
            self.play(appear(self.outputs[j]), run_time=0.4)
        self.play(vanish(s_formula), run_time=0.6)
        self.wait(2.5)

    def output_layers(self) -> list[VGroup]:
        """y_t above S_t, coloured by the prediction, each with the link from S_t."""
        v = self.view
        if v.ys is None or v.out_units is None:
            return [VGroup() for _ in range(v.K)]
        layers = []
        for k in range(v.K):
            best = v.best_name(k)
            y = NeuronLayer(len(v.out_units), v.ys[k], v.out_scale, labels=v.out_names,
                            name=f"y_{{{self.t_label(k)}}}" if best is None else
                            text(best, 22, "#FDE725"),
                            center=self.chain.at(k) + OUT * IO_GAP,
                            spacing=SPACING, radius=RADIUS * 0.8, label_side=UP, norm=v.out_norm,
                            font_size=16)
            face_camera(self, y)
            # structure only: the legends on screen are states and gates, not weights
            layers.append(VGroup(DenseLinks(self.chain.hidden[k], y), y))
        return layers

    # ---- L5 back to the textbook ----------------------------------------------------------

    def shot_L5(self) -> None:
        c, cells, K, k = self.chain, self.cells, self.view.K, self.view.zoom_k
        self.say("l5_turn")
        anchor = c.at(k)
        # x_t and y_t have no place in the textbook cell's outline: they go first
        self.leave(*c.inputs, *self.lstm_in_links, *self.outputs, self.diary_label,
                   self.states_legend, self.gate_legend, run_time=1)
        # turn 90 degrees: look along the units, so time runs left to right, C and S overlap
        self.move_camera(**SIDE_VIEW, zoom=1, frame_center=anchor + OUT * 1.2, run_time=2.5)
        links = VGroup(*self.c_links, *self.s_links, *self.sc_links)
        for bundle in (*self.c_links, *self.sc_links):  # the links that move with C
            bundle.add_updater(lambda m: m.refresh())
        # project C onto the plane: from beside S (along the units) to above it
        lift = OUT * (TOP_Y - BUS_Y) * DIAGRAM_SCALE + RIGHT * C_OFFSET
        self.play(*(Glide(h, lift) for h in cells.hidden), run_time=2)
        for bundle in self.s_links:  # S moves too, from now on
            bundle.add_updater(lambda m: m.refresh())
        # stretch along time: the step grows to the width of one cell diagram
        stretch = 11.0 * DIAGRAM_SCALE / c.dt
        moves = []
        for j in range(K):
            shift = (j - k) * (stretch - 1) * c.dt * c.time_axis
            moves += [Glide(c.hidden[j], shift), Glide(cells.hidden[j], shift)]
        self.play(*moves, run_time=2)
        for bundle in links:
            bundle.clear_updaters()
        # the links open out into the textbook cell
        d = ClassicLSTMDiagram(*self.view.diagram_gates(k), sequential, diverging)
        d.scale(DIAGRAM_SCALE, about_point=ORIGIN)
        d.rotate(90 * DEGREES, RIGHT, about_point=ORIGIN).rotate(90 * DEGREES, OUT,
                                                                 about_point=ORIGIN)
        d.shift(anchor - BUS_Y * DIAGRAM_SCALE * OUT)
        self.diagram = d
        p = d.parts
        neurons = VGroup(*c.hidden, *cells.hidden)
        # lines become lines: C's links the cell-state line, S's the [h, x] bus, the links
        # between the chains the wires to and from the gates; the neurons (units) fold away
        self.play(ReplacementTransform(VGroup(*self.c_links), p["cell_line"]),
                  ReplacementTransform(VGroup(*self.s_links), p["hidden_bus"]),
                  ReplacementTransform(VGroup(*self.sc_links), VGroup(
                      p["forget_link"], p["input_link"], p["candidate_link"], p["write_link"],
                      p["output_link"], p["cell_fork"], p["h_out"])),
                  vanish(neurons), run_time=2.5)
        p["cell_box"].draw_rank = RANK_LINK - 1  # behind the wires (DepthCamera draws by rank)
        self.play(appear(p["cell_box"]), *(GrowFromCenter(p[name]) for name in (
            "forget_gate", "input_gate", "candidate_gate", "output_gate", "multiply_forget",
            "add_input", "multiply_input", "multiply_output", "tanh_cell")),
            Create(p["x_in"]), Create(p["h_up"]), appear(p["forks"]), run_time=2)
        self.play(Write(p["labels"]), Write(p["f2_label"]), run_time=2)
        self.gate_legend = self.legend("sequential", "label_gate", UR)
        self.states_legend = self.legend("diverging", "label_cell", UL)
        tag = one_path(text(self.label("label_zoom_step", t=self.t_label(k)), 24, "#DDDDDD",
                            self.lang))
        tag.to_edge(UP, buff=0.35)
        fix_in_frame(self, tag)
        self.play(appear(self.gate_legend), appear(self.states_legend), appear(tag),
                  run_time=0.8)
        self.wait(4)
        self.say("l5_hard")
        self.wait(5.5)

    # ---- L6 training ----------------------------------------------------------------------

    def shot_L6(self) -> None:
        hist, own = training_history(self.settings)
        note = None if own else self.label("label_no_history")
        gates = replay_gates(self.view, hist)
        self.say("l6_train")
        scene_mobs = [m for m in self.mobjects if m is not self.caption]
        self.play(*(vanish(m) for m in scene_mobs), run_time=1)
        steps = len(hist.loss)
        top = float(np.max(hist.loss)) * 1.05
        # left: the loss curve, its readout inside the plot's empty upper right (the loss
        # falls); right: the gate grids under their legend
        axes = Axes(x_range=[0, steps, max(1, steps // 5)], y_range=[0, top, top / 4],
                    x_length=6.2, y_length=4.0, tips=False,
                    axis_config={"include_numbers": True, "font_size": 22,
                                 "decimal_number_config": {"num_decimal_places": 0}},
                    y_axis_config={"decimal_number_config": {"num_decimal_places": 1}})
        axes.to_corner(UL, buff=0.5).shift(RIGHT * 0.45 + DOWN * 0.35)
        x_name = text(self.label("label_train_step"), 20, "#CCCCCC", self.lang)
        x_name.next_to(axes.x_axis, DOWN, buff=0.45).align_to(axes.x_axis, RIGHT)
        y_name = text(self.label("label_loss"), 20, "#CCCCCC", self.lang)
        y_name.next_to(axes.y_axis, UP, buff=0.1)
        at = ValueTracker(0.0)
        loss = hist.loss
        points = np.array([axes.c2p(j, loss[j]) for j in range(steps)])

        def curve() -> VMobject:
            n = max(int(at.get_value()), 2)
            return VMobject(stroke_color="#FF8A1F", stroke_width=3).set_points_as_corners(
                points[:n])

        readout = Readout(CAPTIONS["label_step_loss"][self.lang], self.lang, step=1,
                          steps=steps, loss=loss[0])
        readout.next_to(axes.c2p(steps, top), DL, buff=0.05)
        drawn = always_redraw(curve)
        grids = self.gate_grids(gates[0])

        marks = hist.snapshot_steps

        def show_snapshot(k: int) -> None:
            """Gates and readout of weight snapshot k (shown until the next one is reached)."""
            for g, grid in enumerate(grids):
                grid[1].show(gates[k, g])
            n = max(int(marks[k]), 1)
            readout.show(step=n, loss=loss[n - 1])
            fix_in_frame(self, readout)  # its new digits too

        shown = [0]

        def follow(_: Mobject) -> None:
            """Show the last snapshot the replay has reached."""
            k = max(int(np.searchsorted(marks, at.get_value(), side="right")) - 1, 0)
            if k != shown[0]:
                shown[0] = k
                show_snapshot(k)

        show_snapshot(0)
        self.gate_legend = self.legend("sequential", "label_gate", UR)
        self.gate_legend.set_x(grids.get_x())
        # the axes' lines and ticks as one path, each tick number as one more
        strokes = [m for m in axes.family_members_with_points() if m.get_fill_opacity() == 0]
        numbers = [*axes.x_axis.numbers, *axes.y_axis.numbers]
        flat_axes = VGroup(one_path(VGroup(*strokes)), *(one_path(n) for n in numbers))
        x_name, y_name = one_path(x_name), one_path(y_name)
        fix_in_frame(self, flat_axes, x_name, y_name, drawn, readout, grids)
        extras = []
        if note:
            n = one_path(text(note, 16, "#BBBBBB", self.lang)).to_edge(UP, buff=0.1)
            fix_in_frame(self, n)
            extras.append(appear(n))
        self.play(Create(flat_axes), appear(x_name), appear(y_name), appear(grids),
                  appear(self.gate_legend), appear(readout), *extras, run_time=1.5)
        # the replay: the curve is drawn as the loss falls, the gates and the readout follow
        # the snapshots it reaches. Only they are redrawn at every frame (put last), and
        # each grid is one mobject.
        readout.add_updater(follow)
        self.add(readout, *(g[1] for g in grids), drawn)

        def replay_to(fraction: float) -> Animation:
            """The replay from where it is to this fraction of the training, at its pace."""
            seconds = REPLAY_SECONDS * (fraction - at.get_value() / steps)
            return at.animate(rate_func=linear, run_time=seconds).set_value(fraction * steps)

        # a quarter of the way, the caption turns to the gates; the replay goes on meanwhile
        # (in a play of its own: the captions are redrawn at every frame of it)
        self.play(replay_to(0.25))
        self.say("l6_gates", replay_to(0.25 + 0.6 / REPLAY_SECONDS))
        self.play(replay_to(1.0))
        readout.remove_updater(follow)
        self.wait(3)

    def gate_grids(self, first: np.ndarray) -> VGroup:
        """Three grids (f, i, o), one cell per unit (row) and step (column) of the window,
        each with its name above and the steps' names below."""
        K, n = self.view.K, first.shape[-1]
        size = min(0.36, 3.0 / max(n, K))
        grids = VGroup()
        for g, name in enumerate((r"f_t\,(f_1)", r"i_t", r"o_t")):
            grid = CellGrid(first[g], size)
            cols = VGroup(*(one_path(text(self.view.step_name(t), 16, "#BBBBBB"))
                            .next_to(grid.get_corner(DL) + RIGHT * size * (t + 0.5),
                                     DOWN, buff=0.08)
                            for t in range(K)))
            head = tex(name, font_size=28).next_to(grid, UP, buff=0.12)
            grids.add(VGroup(head, grid, cols))
        grids.arrange(RIGHT, buff=0.5, aligned_edge=DOWN).move_to(RIGHT * 3.7 + UP * 0.2)
        return grids
