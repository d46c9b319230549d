"""Part 2 of the video, the LSTM (docs/STORYBOARD.md), its close-up: shots L3 and L4, which fly
into the link between the two chains (scenes/lstm_chains.py) at one step. LSTMPart
(scenes/lstm_part.py) builds on LSTMCloseUp and plays the last shots.

The close-up is fixed in the frame: the diary on the left, the gate columns beside it, the
formulas right, the tools in the gap between diary and columns. When it closes, the chains flow
on from the zoomed step (scenes/lstm_flow.py).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from manim import (
    DL,
    DOWN,
    LEFT,
    OUT,
    RIGHT,
    UL,
    UP,
    UR,
    Animation,
    Line,
    Mobject,
    Rectangle,
    ReplacementTransform,
    TransformFromCopy,
    VGroup,
    VMobject,
    Write,
    config,
)

from scenes.animations import Glide, Opacity, appear, vanish
from scenes.blocks import opaque_box, tex, text
from scenes.camera import RANK_LINK, ranked
from scenes.colors import ColorLegend, diverging, one_path, sequential
from scenes.framing import (
    View,
    caption_floor,
    frame_box,
    leaf_boxes,
    screen_box,
    seen_from,
    touches,
)
from scenes.layout import (
    DRAW,
    FADE,
    LABEL,
    MOVE,
    SWAP,
    TOP_BUFF,
    WRITE,
    orientation,
)
from scenes.lstm_chains import FLOW_VIEW
from scenes.lstm_flow import ChainsFlowOn
from scenes.lstm_legends import gates_keys, keep, legend, states_keys, turn, with_inputs
from scenes.lstm_tools import INK, Diary, Eraser, Pencil
from scenes.panels import feed_gates, gate_column, name_seed_gates, update_vectors
from scenes.unrolled_chain import shrinking

ZOOM_VIEW = orientation(68, -62)  # L3: close to the C_t - S_t link, from its side
ZOOM = 2.6
SPLIT = (0.35, 0.0, -0.35)  # L3: the three lines the link splits into, along z
# the close-up's places
DIARY_AT = LEFT * 5.3 + UP * 0.35
# f_t, i_t, g_t: right of the diary, past a gap the tools work in, off the entries and cells
COLUMNS_X = (-2.2, -1.25, -0.3)
TOOL_BUFF = 0.1  # the eraser rests this far under the diary, in the gap's foot
F1_AT, FORMULA_X, F2_WIDTH = RIGHT * 3.1 + UP * 1.9, 3.0, 7.6
UPDATE_AT = RIGHT * FORMULA_X + UP * 2.3  # L4's c_t formula
COLUMN_GAP = 0.3  # L4: between the C~_t column and the update's numbers
NUMBERS_SIZE = 30  # its digits and names: 12 px tall at 480p (MathTex at 28 is 11.9 px)
LEGEND_BOX_BUFF = 0.1  # the boxes behind the legends, past them (within the framing's margin)
NOTE_ASIDE = 0.3  # L3: the units note, right of the left legend (the diary stands under it)
BACKDROP_OPACITY = 0.82  # how much the close-up's backdrop hides of the chains behind it
FORMULA_F1 = (
    r"f_1 = \mathrm{sigmoid}\left(w_1 \begin{bmatrix} s_{t-1} \\ x_t \end{bmatrix}"
    r" + b_1\right)"
)
# on two lines, the product's factors one under the other: on one it ran past the frame
FORMULA_F2 = (
    r"\begin{aligned} f_2 = &\ \mathrm{sigmoid}\left(w_2 \begin{bmatrix} s_{t-1} \\ x_t"
    r" \end{bmatrix} + b_2\right) \\ &* \tanh\left(\tilde{w}_2 \begin{bmatrix} s_{t-1}"
    r" \\ x_t \end{bmatrix} + \tilde{b}_2\right) \end{aligned}"
)
FORMULA_C = r"c_t = f_1 * c_{t-1} + f_2"


BEYOND = 1e3  # far past the frame's edges (frame units)


def in_frame(box: np.ndarray) -> bool:
    """Whether this box on screen lies wholly inside the frame."""
    frame = frame_box()
    return bool(np.all(box[:2] >= frame[:2]) and np.all(box[2:] <= frame[2:]))


class LSTMCloseUp(ChainsFlowOn):
    """L3 and L4: the close-up of one step's link between the chains."""

    # ---- L3 zoom into one step ------------------------------------------------------------

    def shot_L3(self) -> None:
        """The camera flies into the C_t - S_t link at one step; the line splits into three.
        The eraser (f1) wipes diary entries, the pencil (f2) writes new ones, each working
        beside the entries, never over them."""
        self.letterboxed = True  # till L4 backs out: the zoomed world fills the frame
        self.box_the_legends()
        self.say("l3_zoom")
        self.fly_into_the_link()
        self.open_the_diary()
        self.say("l3_eraser")
        if self.closeup_unseen:  # only the world is left as L3 leaves it (and the captions)
            self.say("l3_pencil")
            return
        self.use(
            self.eraser,
            self.f1_formula,
            [self.f_col],
            self.erase,
            self.eraser_home,
            self.retitle(r"f_1 \odot c_{t-1}"),
        )
        self.wait(1)
        self.say("l3_pencil")
        self.use(
            self.pencil,
            self.f2_formula,
            [self.i_col, self.g_col],
            self.write,
            self.pencil_home,
            self.retitle("c_t"),
        )
        self.wait(2)

    def box_the_legends(self) -> None:
        """An opaque box behind each legend, out to the frame's edges (as the captions have
        their letterbox): while the zoomed world fills the frame, till L4 backs out, the
        network would pass under the legends' words. Each is as large as the legends its
        corner shows till then; one band across the frame would cut C_t's name, which
        stands between the legends. The boxes come and go while the world is framed under
        the legends: they show only as what they hide."""
        w, h, buff = config.frame_width / 2, config.frame_height / 2, LEGEND_BOX_BUFF
        boxes = VGroup()
        for side in (-1, 1):  # the left corner's, the right's
            shown = [*self.legends_while_zoomed(), *self.units_notes]
            corner = VGroup(*(m for m in shown if m.get_x() * side > 0))
            (x0, y0, _), (x1, _, _) = corner.get_corner(DL), corner.get_corner(UR)
            left, right = (-w, x1 + buff) if side < 0 else (x0 - buff, w)
            boxes.add(opaque_box(left, y0 - buff, right, h))
        self.legend_boxes = boxes
        self.pin(boxes)
        # the legends (and the note under the left one) in front of them
        self.add(boxes, self.states_legend, *self.units_notes, self.gate_legend)

    def beside_the_legend(self) -> np.ndarray:
        """How far the units note moves while the diary opens in L3 (and back as it closes in
        L4): from under the left legend to its right, its foot level with the legend's. The
        diary opens right under the legend, where the note stood a few pixels over its page.
        It moves over the close-up's backdrop, which hides the world behind it as the legends'
        boxes do."""
        if not self.units_notes:
            return np.zeros(3)
        notes, legend = VGroup(*self.units_notes), self.states_legend
        to = notes.copy().next_to(legend, RIGHT, buff=NOTE_ASIDE).align_to(legend, DOWN)
        return to.get_center() - notes.get_center()

    def legends_while_zoomed(self) -> list[ColorLegend]:
        """The legends L3 and L4 show, from L3's zoom to L4's backing out (turned in place),
        each once: legends are cached by title, so one on screen may also be one turned to
        (a mobject grouped twice makes Manim warn on every render)."""
        v = self.view
        shown = [
            self.states_legend,
            self.gate_legend,
            legend(self, "sequential", with_inputs(v, "label_gate"), UR),
            legend(self, "sequential", gates_keys(v, outputs=True), UR),
            legend(self, "diverging", states_keys(v, outputs=True), UL),
        ]
        return list(dict.fromkeys(shown))

    @property
    def closeup_unseen(self) -> bool:
        """The shot rendered comes after L4, which removes the close-up L3 opens: it is never
        seen, and not built (a quarter of a second of a late shot's catch-up at 480p15)."""
        return self.gone_before_rendered("L4")

    def retitle(self, name: str) -> Animation:
        """The diary's header turns into what its entries now hold (a new header takes the
        old one's place in the diary: morphed in place, the old one would keep the outlines
        of both, and the layout checker no longer knows it as a text of this size)."""
        old = self.diary.title
        self.diary.title = tex(name, color=INK).move_to(old)
        self.pin(self.diary.title)
        return ReplacementTransform(old, self.diary.title)

    def fly_into_the_link(self) -> None:
        """The camera flies in; the world's names that would stand under the legends or the
        caption there (a name would cross their words) or across the frame's edge fade on the
        way."""
        link = self.sc_links[self.view.zoom_k]
        p0, p1 = self.zoomed_link_ends()
        centre = ((p0 + p1) / 2 + OUT * 0.1).tolist()
        zoomed: View = {**ZOOM_VIEW, "zoom": ZOOM, "frame_center": centre}
        # the world's names (the close-up's backdrop will hide them all)
        names = [p for ly in self.named_layers() for p in (ly.title, ly.labels) if len(p)]
        self.world_names: list[VMobject] = [*names, self.diary_label]
        legends = [self.states_legend, *self.units_notes, self.gate_legend]
        with seen_from(self, zoomed) as camera:
            boxes = leaf_boxes(camera, legends)
            floor = caption_floor(self)  # the caption band's top, when it is in the picture
            boxes += [] if floor is None else [np.array([-BEYOND, -BEYOND, BEYOND, floor])]
            self.gone_in_flight = [
                m
                for m in self.world_names
                if touches(camera, m, boxes) or not in_frame(screen_box(camera, [m]))
            ]
        fade = [Opacity(m, 1, 0) for m in self.gone_in_flight]
        self.move_camera(**zoomed, run_time=3, added_anims=fade)
        self.split_lines = self.split_link()
        self.play(
            ReplacementTransform(VGroup(link.copy()), self.split_lines[0][0]),
            TransformFromCopy(link, self.split_lines[1][0]),
            TransformFromCopy(link, self.split_lines[2][0]),
            vanish(link),
            run_time=DRAW,
        )
        self.play(*(appear(t[1]) for t in self.split_lines), run_time=FADE)
        self.wait(2)  # a flight costs a redraw of everything per frame, a pause none

    def zoomed_link_ends(self) -> tuple[np.ndarray, np.ndarray]:
        """Where the C_t - S_t link at the zoom step (one link, from C's last unit) starts and
        ends: the camera flies in to it, and it splits into three lines there."""
        starts, ends = self.sc_links[self.view.zoom_k].ends()
        return starts[0], ends[0]

    def split_link(self) -> VGroup:
        """The C_t - S_t link at the zoom step as three lines: eraser f1, pencil f2, output o,
        coloured by their means over the drawn units."""
        p0, p1 = self.zoomed_link_ends()
        f, ig, o = self.view.gate_means(self.view.zoom_k)
        lines = VGroup()
        for dz, color, name in zip(
            SPLIT,
            (sequential(f), diverging(ig), sequential(o)),
            (r"f_1", r"f_2", r"o_t"),
            strict=True,
        ):
            line = Line(p0 + OUT * dz, p1 + OUT * dz, color=color, stroke_width=5)
            ranked(line, RANK_LINK)
            tag = tex(name, font_size=34).move_to((p0 + p1) / 2 + OUT * (dz + 0.12))
            self.face(tag)
            lines.add(VGroup(line, tag))
        return lines

    def open_the_diary(self) -> None:
        """The close-up, fixed in the frame over a dark backdrop: the diary of C at step t,
        the gate columns, the two tools and their formulas (none of it when unseen)."""
        closeup: list[Mobject] = []
        if not self.closeup_unseen:
            self.build_closeup()
            closeup = [self.backdrop, self.diary, self.step_tag]
        gates = legend(self, "sequential", with_inputs(self.view, "label_gate"), UR)
        self.note_aside = self.beside_the_legend()
        gone = self.gone_in_flight
        # the legends stay in their corners, in front of the backdrop (added first: an
        # appearing mobject would be added when the play begins, last, over them)
        self.add(*closeup[:1])
        self.play(
            *(vanish(t[1]) for t in self.split_lines),
            # the world's names would show through the backdrop behind the close-up's texts
            *(Opacity(m, 1, 0) for m in self.world_names if all(m is not g for g in gone)),
            *(appear(m) for m in closeup),
            *keep(self.states_legend),
            *(Glide(note, self.note_aside) for note in self.units_notes),  # in front too
            turn(self, self.gate_legend, gates),
            run_time=WRITE,
        )
        self.gate_legend = gates
        # also when this play was skipped (not reordered)
        self.add(self.states_legend, *self.units_notes, gates)

    def build_closeup(self) -> None:
        v, k = self.view, self.view.zoom_k
        self.backdrop = Rectangle(
            width=config.frame_width,
            height=config.frame_height,
            fill_color="#000000",
            fill_opacity=BACKDROP_OPACITY,
            stroke_width=0,
        )
        self.diary = Diary(v.c_before[k], v.units, diverging, title=r"c_{t-1}", lang=self.lang)
        self.diary.move_to(DIARY_AT)
        self.f_col = gate_column(v.f[k], "sequential", r"f_t", self.diary, self.lang)
        self.i_col = gate_column(v.i[k], "sequential", r"i_t", self.diary, self.lang)
        self.g_col = gate_column(v.g[k], "diverging", r"\tilde{C}_t", self.diary, self.lang)
        for col, x in zip((self.f_col, self.i_col, self.g_col), COLUMNS_X, strict=True):
            col.set_x(x)
        # s_{t-1}, x_t under the columns, arrows up into them: it comes with the first
        self.f_col.add(feed_gates([self.f_col, self.i_col, self.g_col]))
        name_seed_gates(self.f_col, self.i_col, self.g_col)
        self.f1_formula = tex(FORMULA_F1).move_to(F1_AT)
        self.f2_formula = tex(FORMULA_F2)
        self.f2_formula.scale_to_fit_width(min(self.f2_formula.width, F2_WIDTH))
        self.f2_formula.next_to(self.f1_formula, DOWN, buff=0.35, aligned_edge=LEFT)
        self.eraser, self.pencil = self.tools_at_rest()
        self.step_tag = one_path(
            text(self.words("label_zoom_step", t=v.step_number(k)), 24, LABEL, self.lang)
        ).to_edge(UP, buff=TOP_BUFF)
        self.pin(*self.closeup_parts([self.f1_formula, self.f2_formula]), self.eraser, self.pencil)

    def tools_at_rest(self) -> tuple[Eraser, Pencil]:
        """The tools where they lie when not at work, in the gap right of the diary, so they
        never pass over an entry or a gate's cell: the eraser under the diary, the pencil
        beside the last entry (its body rises into the gap)."""
        page, last = self.diary.page, len(self.diary.entries) - 1
        eraser = Eraser().next_to(page, DOWN, buff=TOOL_BUFF)
        eraser.shift(RIGHT * (self.diary.margin(last)[0] - eraser.rubbing_point[0]))
        pencil = Pencil().write_at(self.diary.margin(last))
        self.eraser_home, self.pencil_home = eraser.get_center(), pencil.get_center()
        return eraser, pencil

    def use(
        self,
        tool: VGroup,
        formula: VMobject,
        columns: list[VGroup],
        work: Callable[[], Animation],
        home: np.ndarray,
        *after: Animation,
    ) -> None:
        """A tool, its formula and its gate columns appear; the tool works on the diary (the
        animation work() builds then), then goes back to where it lay while `after` plays."""
        self.play(Write(formula), *(appear(col) for col in columns), appear(tool), run_time=2)
        self.wait(1.5)
        self.play(work(), run_time=4)
        self.play(tool.animate.move_to(home), *after, run_time=FADE if after else 0.6)

    def erase(self) -> Animation:
        return self.diary.erase(self.view.f[self.view.zoom_k], self.eraser)

    def write(self) -> Animation:
        return self.diary.write(self.view.ig[self.view.zoom_k], self.pencil)

    # ---- L4 the new diary -----------------------------------------------------------------

    def shot_L4(self) -> None:
        """c_t = f1 * c_{t-1} + f2 with the step's numbers; c_t flows on along C and into s_t,
        then y_t; both chains keep updating each other."""
        self.say("l4_update")
        formulas = [] if self.closeup_unseen else self.substitute_the_update()
        self.say("l4_flow")
        self.close_the_diary(formulas)
        self.letterboxed = False  # the world is framed above the captions again
        self.remove(self.legend_boxes)  # and under the legends (the boxes hide nothing now)
        self.flow_on()

    def closeup_parts(self, formulas: list[VMobject]) -> list[Mobject]:
        """The close-up L3 builds, with these formulas (L3's or L4's), but not its tools: what
        L3 pins to the frame, and L4 removes (but the split link)."""
        return [
            self.backdrop,
            self.diary,
            self.diary.title,  # also in the scene on its own, once it has replaced the old one
            self.f_col,
            self.i_col,
            self.g_col,
            *formulas,
            self.step_tag,
        ]

    def substitute_the_update(self) -> list[VMobject]:
        """The update formula, and under it the same with the step's numbers (returned)."""
        v, k = self.view, self.view.zoom_k
        update = tex(FORMULA_C, font_size=36).move_to(UPDATE_AT)
        drawn, names = update_vectors(
            v.cs[k], v.f[k], v.c_before[k], v.ig[k], NUMBERS_SIZE, self.diary.row_height
        )
        numbers = VGroup(drawn, names).next_to(update, DOWN, buff=0.3).set_x(FORMULA_X)
        # each row level with the diary's (and the gate columns') beside it
        numbers.shift(UP * (self.diary.rows_middle() - drawn.get_y()))
        # both clear of the C~_t column (c_t's bracket stood on its cells' right edge)
        clear = max(0.0, self.g_col.get_right()[0] + COLUMN_GAP - numbers.get_left()[0])
        VGroup(update, numbers).shift(RIGHT * clear)
        self.pin(update, drawn, names)
        self.play(
            vanish(self.f1_formula),
            vanish(self.f2_formula),
            vanish(self.eraser),
            vanish(self.pencil),
            run_time=FADE,
        )
        self.play(Write(update), run_time=DRAW)
        self.play(appear(drawn), appear(names), run_time=DRAW)
        self.wait(4)
        return [update, drawn, names]

    def close_the_diary(self, formulas: list[VMobject]) -> None:
        """The close-up (with L4's formulas) goes, the link comes back whole, the camera
        backs out to both chains."""
        k = self.view.zoom_k
        closeup = [] if self.closeup_unseen else self.closeup_parts(formulas)
        closeup += [line for line, _ in self.split_lines]
        # each part on its own: a group of them would be added, and drawn, over the legends
        self.play(
            *(vanish(m) for m in closeup),
            *keep(self.states_legend, self.gate_legend),  # in front of the fading backdrop
            *(Glide(note, -self.note_aside) for note in self.units_notes),  # back under it
            appear(self.sc_links[k]),
            *(Opacity(m, 0, 1) for m in self.world_names),
            run_time=SWAP,
        )
        v = self.view
        gates = legend(self, "sequential", gates_keys(v, outputs=True), UR)
        states = legend(self, "diverging", states_keys(v, outputs=True), UL)
        turns = [turn(self, self.gate_legend, gates)]
        if states is not self.states_legend:
            turns.append(turn(self, self.states_legend, states))
        self.outputs, lift, size = self.output_layers()
        both = self.framed(
            [self.s_chain, self.c_chain, self.diary_label, *self.outputs], seen=FLOW_VIEW
        )
        crowded = self.crowded(both, outputs=self.outputs)  # with x_t where it goes
        inputs = self.s_chain.inputs
        for row in inputs:
            row.shift(-lift)
        for links in self.in_links:  # they follow x_t while it glides
            links.add_updater(lambda m: m.refresh())
        glides: list[Animation] = [Glide(row, lift) for row in inputs] if np.any(lift) else []
        # the neurons shrink as the camera backs out (as much as it does)
        glides += shrinking([*self.s_chain.hidden, *self.c_chain.hidden, *inputs], size)
        self.move_camera(
            **both, run_time=MOVE, added_anims=[*turns, *self.not_yet(), *crowded, *glides]
        )
        for links in self.in_links:
            links.clear_updaters()
            links.refresh()  # also when the move was skipped
        self.gate_legend, self.states_legend = gates, states
