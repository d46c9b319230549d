"""Tables of real numbers fixed in the frame: R5's substituted step, R6's inputs and
predictions, L3's gate columns and L6's live readout. Each takes its numbers from a part's view
(scenes/story_rnn.py, scenes/story_lstm.py) and only lays them out."""

from __future__ import annotations

import string
from functools import cache

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    SCALE_FACTOR_PER_FONT_POINT,
    UP,
    Arrow,
    MathTex,
    Paragraph,
    Rectangle,
    VGroup,
    VMobject,
)

from .blocks import fitted_text, tex, text
from .captions import caption_text
from .colors import SCALES, diverging, one_path, sequential
from .layout import (
    HIGHLIGHT,
    LABEL,
    LEGEND_BUFF,
    NOTE,
    PANEL_HEAD,
    TABLE_TEXT,
    TEXT,
    WHITE,
    font_for,
    ink_on,
)
from .lstm_tools import Diary
from .neurons import Neuron
from .story_rnn import MAX_INPUT_ROWS, RNNView

CELL_WIDTH = 0.78  # of a cell of a gate column, in L3, at least
CELL_PAD = 0.07  # L3: between a cell's number and its edges (a "+" touched the edge)
FEED_RISE = 0.3  # L3: the arrows from s_{t-1}, x_t up into the gate columns
SEED_NAME_BUFF = 0.12  # L3, L6: the seed's names f_1, f_2 over the columns' heads
SEED_NAMES = (r"f_1", r"f_2 = i_t * \tilde{C}_t")  # over f_t, and over i_t (and C~_t)
CELL_GAP = 0.25  # between the widest cells of R6's table
# R6's turned table: the widest head of a column, a feature's name from a CSV's header cut to
# it (about 8 letters), when the table has as many columns of inputs as it can (a name of 10
# widened the table till the chain beside it was drawn too small to read); fewer columns
# share their room (a lone "temperature" was cut to "temp...", and "next temp...")
HEAD_WIDTH = 1.1
VECTOR_LINE = 4  # values of x_t on a line of R5's title
LATEX_LINE = 12.0  # pt: LaTeX's line at its 10pt size, an array's row at \arraystretch 1


def number_panel(view: RNNView, k: int, lang: str = "en") -> VGroup:
    """Drawn step k's real numbers, one row per drawn unit: S_{t-1}, the input's share
    W_in x_t + b, the memory's share W_s S_{t-1} (the new term, highlighted) and
    S_t = f(their sum), in the face of the language's words (Noto Sans CJK in Chinese, where
    the default serif digits stood out). Returns VGroup(title, table of four columns)."""
    v = view
    sum_tex = r"\tanh(\Sigma)" if v.nonlinearity == "tanh" else r"\max(0,\Sigma)"
    heads = [
        MathTex(r"S_{t-1}", font_size=PANEL_HEAD),
        MathTex(r"W_{in}x_t{+}b", font_size=PANEL_HEAD),
        MathTex(r"W_s S_{t-1}", font_size=PANEL_HEAD, color=HIGHLIGHT),
        MathTex(r"S_t{=}" + sum_tex, font_size=PANEL_HEAD),
    ]
    dotted = (True, False, False, True)  # the states, each beside a disc of its colour
    colors = (WHITE, WHITE, HIGHLIGHT, WHITE)
    groups = []
    for head, values, dots, color in zip(heads, v.panel_columns(k), dotted, colors, strict=True):
        # one Paragraph per column: one text layout instead of one per number
        rows = Paragraph(
            *(f"{x:+.2f}" for x in values),
            font_size=TABLE_TEXT,
            alignment="right",
            line_spacing=0.75,
            font=font_for(lang),
        )
        rows.set_color(color)
        VGroup(head, rows).arrange(DOWN, buff=0.2)
        col = VGroup(one_path(head), one_path(rows))
        if dots:
            col.add(
                VGroup(
                    *(
                        Neuron(0.08, diverging(x / v.h_norm)).next_to(line, LEFT, 0.15)
                        for line, x in zip(rows, values, strict=True)
                    )
                )
            )
        groups.append(col)
    table = VGroup(*groups).arrange(RIGHT, buff=0.3, aligned_edge=UP)
    title = one_path(text(panel_title(v, k), 22, lang=lang))
    panel = VGroup(title, table).arrange(DOWN, buff=0.22, aligned_edge=LEFT)
    return panel.to_edge(RIGHT, buff=LEGEND_BUFF)  # R5 centres it in the room left free


def panel_title(view: RNNView, k: int) -> str:
    """'t = 41,   xₜ = -0.41', or with several columns of data xₜ's every value (as the x
    layer shows them), on lines of their own under t when there are more than fit beside it."""
    values = view.input_values(k)
    if len(values) == 1:
        return f"t = {view.step_number(k)},   xₜ = {values[0]}"
    lines = [", ".join(values[i : i + VECTOR_LINE]) for i in range(0, len(values), VECTOR_LINE)]
    vector = "xₜ = (" + ",\n       ".join(lines) + ")"
    return (
        f"t = {view.step_number(k)},   " + vector
        if len(lines) == 1
        else f"t = {view.step_number(k)}\n" + vector
    )


def named_rows(head: str, names: list[str] | None) -> list[str]:
    """R6's heads of one kind of row: 'input', or 'input x1', 'input x2', ... per feature."""
    return [f"{head} {name}" for name in names] if names else [head]


def prediction_row_names(view: RNNView, lang: str) -> list[str] | None:
    """The name of R6's prediction row: 'next temp' when it is the next value of a feature
    (rnn3d's own model), else the view's (y1 with several outputs, or none)."""
    feature = view.predicted_feature
    if feature is None:
        return view.prediction_names
    return [caption_text("label_next", lang, name=feature)]


def glyphs_by_cell(rows: list[list[str]], lang: str) -> tuple[Paragraph, list[list[VGroup]]]:
    """R6's tables: the rows of cells as one Paragraph (one text layout, one face for every
    row; a cell holds no space) and, per row, the glyphs of each cell, to place one by one."""
    lines = Paragraph(
        *(" ".join(row) for row in rows),
        line_spacing=0.9,
        font_size=TABLE_TEXT,
        font=font_for(lang),
    )
    glyphs_of = []
    for line, row in zip(lines, rows, strict=True):
        # the Paragraph drops the spaces: a cell's glyphs follow the previous cell's
        starts = np.cumsum([0, *(len(cell) for cell in row)])
        glyphs_of.append([VGroup(*line[a:b]) for a, b in zip(starts, starts[1:], strict=False)])
    return lines, glyphs_of


def prediction_table(view: RNNView, lang: str) -> tuple[VGroup, list[VGroup]]:
    """R6's flat table of the inputs and the model's predictions (and the targets, for text),
    one column per drawn step, at the top between the legends; returns the table and its
    columns, to show one by one."""
    v = view
    inputs = named_rows(caption_text("label_input", lang), v.input_names)
    outputs = named_rows(caption_text("label_prediction", lang), prediction_row_names(v, lang))
    heads = Paragraph(
        *inputs,
        *outputs,
        *([caption_text("label_target", lang)] if v.is_text else []),
        font_size=TABLE_TEXT,
        alignment="right",
        line_spacing=0.9,
        font=font_for(lang),
    )
    heads.set_color(NOTE)
    cells = v.inset_rows()
    width = 0.45 if v.is_text else 0.72  # of a column
    rows, glyphs_of = glyphs_by_cell(cells, lang)  # in the heads' face: one font across the row
    width = max(width, max(g.width for row in glyphs_of for g in row) + CELL_GAP)
    cols: list[VGroup] = [VGroup() for _ in range(v.K)]
    for r, (line, cell_glyphs) in enumerate(zip(rows, glyphs_of, strict=True)):
        line.match_y(heads[r])
        for k, glyphs in enumerate(cell_glyphs):
            glyphs.set_x(heads.get_right()[0] + 0.4 + width * (k + 0.5))
            if r == len(inputs) and v.is_text and v.best_p is not None:
                glyphs.set_color(sequential(v.best_p[k]))
            cols[k].add(glyphs)
    box = VGroup(heads, *cols)
    box.to_edge(UP, buff=LEGEND_BUFF).set_x(0)
    return box, cols


def inputs_word(view: RNNView, lang: str) -> str:
    """The word over the turned table's input columns: input, or 'input, 3 of 6' when it
    lists fewer features (MAX_INPUT_ROWS) than the x layer shows: the rest left out unsaid
    read as if the data had three."""
    listed, drawn = len(view.input_names or []), len(view.in_names or [])
    if 0 < listed < drawn:
        return caption_text("label_input_some", lang, shown=listed, total=drawn)
    return caption_text("label_input", lang)


def step_table(view: RNNView, lang: str) -> tuple[VGroup, list[VGroup]]:
    """R6's table turned, for numbers too wide for the room between the legends (a CSV's): a
    row per drawn step (its t, its inputs and the prediction), a column per row of the flat
    table, under its name, the words input and prediction over their columns. It stands
    beside the chain (the flat table across the frame left it small under its rows). Returns
    the table (its heads first) and its rows, to show one by one."""
    v = view
    kinds = v.inset_rows()  # per row of the flat table, a cell per step
    cells = [[str(v.step_number(k)), *(kind[k] for kind in kinds)] for k in range(v.K)]
    lines, glyphs_of = glyphs_by_cell(cells, lang)  # per step, the glyphs of each cell

    def head(name: str) -> VMobject:
        return one_path(text(name, TABLE_TEXT, NOTE, lang))

    # the named columns (the inputs, and the prediction) share the room of as many as can be:
    # fewer keep more of their names, and the table is never wider
    room = HEAD_WIDTH * (MAX_INPUT_ROWS + 1) / (max(len(v.input_names or []), 1) + 1)

    def cut(name: str) -> VMobject:  # a name from the user's file, cut to fit
        return fitted_text(name, room, head)

    def next_of(feature: str) -> VMobject:  # "next temp", the name cut as its input's is
        def make(name: str) -> VMobject:
            return head(caption_text("label_next", lang, name=name))

        return fitted_text(feature, room + make("x").width - head("x").width, make)

    feature = v.predicted_feature
    groups = [  # per kind of column, its word and the heads of its columns, if named
        (inputs_word(v, lang), [cut(n) for n in v.input_names or []]),
        (
            caption_text("label_prediction", lang),
            [next_of(feature)] if feature else [cut(n) for n in v.prediction_names or []],
        ),
        *([(caption_text("label_target", lang), [])] if v.is_text else []),
    ]
    heads = [head("t")]
    for word, named in groups:  # our own words whole, over a column with no name
        heads += named or [head(word)]
    widths = [
        max(name.width, *(row[c].width for row in glyphs_of)) + CELL_GAP
        for c, name in enumerate(heads)
    ]
    rights = np.cumsum(widths)  # each column's numbers and name flush right
    pitch = lines[1].get_y() - lines[0].get_y() if v.K > 1 else -0.4
    for c, name in enumerate(heads):
        name.set_x(rights[c] - name.width / 2).set_y(lines[0].get_y() - pitch)
    predicted = 1 + len(v.input_names or [""])  # the prediction's column
    for k, step in enumerate(glyphs_of):
        for c, glyphs in enumerate(step):
            glyphs.set_x(rights[c] - glyphs.width / 2)
        step[0].set_color(NOTE)  # t, as the heads
        if v.is_text and v.best_p is not None:
            step[predicted].set_color(sequential(v.best_p[k]))
    words = VGroup()
    first = 1
    for word, named in groups:
        span = len(named or [word])
        if named:  # the word over its columns' names, not past the last column
            over = VGroup(*heads[first : first + span])
            said = one_path(text(word, TABLE_TEXT, NOTE, lang)).next_to(over, UP, buff=0.12)
            words.add(said.set_x(min(said.get_x(), rights[-1] - said.width / 2)))
        first += span
    rows = [VGroup(*row) for row in glyphs_of]
    return VGroup(VGroup(*heads, *words), *rows), rows


def gate_column(values: np.ndarray, kind: str, head: str, diary: Diary, lang: str = "en") -> VGroup:
    """A gate vector (L3) as a column of cells coloured on its scale, each with its number
    (in the face of the captions of this language), one beside each row of the diary.
    Returns VGroup(head, cells)."""
    paint = SCALES[kind]
    numbers = [
        one_path(SansNumber(v, 2, TABLE_TEXT, ink_on(paint(v)), lang, signed=kind != "sequential"))
        for v in values
    ]
    # one width for the column: its widest number ("+1.00") with a margin on either side
    width = max(CELL_WIDTH, max(n.width for n in numbers) + 2 * CELL_PAD)
    cells = VGroup()
    for k, (v, number) in enumerate(zip(values, numbers, strict=True)):
        box = Rectangle(
            width=width,
            height=diary.row_height * 0.8,
            fill_color=paint(v),
            fill_opacity=1,
            stroke_width=1,
            stroke_color="#222222",
        )
        box.move_to(diary.row_center(k))
        # one path: drawn once, and read as one number (a lone minus sign is no text size)
        cells.add(VGroup(box, number.move_to(box)))
    header = tex(head, font_size=28).next_to(cells, UP, buff=0.15)
    return VGroup(header, cells)


def seed_names(heads: list[VMobject], font_size: float) -> tuple[VMobject, VMobject]:
    """The seed's names f_1, f_2 (SEED_NAMES) on one line SEED_NAME_BUFF over the highest of
    these gate heads, each still to be placed along x (L3, L6)."""
    top = max(head.get_top()[1] for head in heads) + SEED_NAME_BUFF
    f1, f2 = (tex(name, font_size=font_size).align_to(UP * top, DOWN) for name in SEED_NAMES)
    return f1, f2


def name_seed_gates(f_col: VGroup, i_col: VGroup, g_col: VGroup, font_size: float = 28) -> None:
    """The seed's names over the gate columns' textbook heads (L3): f_1 over f_t, and
    f_2 = i_t * C~_t over the two columns it multiplies (f_2 is their product, not i_t).
    Added to the first and the last column: each appears with its columns."""
    f1, f2 = seed_names([col[0] for col in (f_col, i_col, g_col)], font_size)
    f1.set_x(f_col[1].get_x())
    f2.set_x((i_col[1].get_x() + g_col[1].get_x()) / 2)
    f_col.add(f1)
    g_col.add(f2)


def feed_gates(columns: list[VGroup], font_size: float = 30) -> VMobject:
    """What every gate reads, s_{t-1} and x_t, under the gate columns (L3), with an arrow up
    into each column, added to it (it appears with its column). Returns the name."""
    bottom = min(col.get_bottom()[1] for col in columns)
    name = tex(r"s_{t-1},\ x_t", font_size=font_size)
    name.move_to(RIGHT * VGroup(*columns).get_x() + UP * (bottom - FEED_RISE - 0.2))
    for col in columns:
        start = RIGHT * col.get_x() + UP * (name.get_top()[1] + 0.05)
        end = RIGHT * col.get_x() + UP * (bottom - 0.04)
        col.add(Arrow(start, end, buff=0, stroke_width=3, tip_length=0.12, color=LABEL))
    return name


def bmatrix(values: np.ndarray, stretch: float = 1.0) -> str:
    """A column vector of these values, its rows stretch times LaTeX's line apart."""
    rows = r"\\".join(f"{v:+.2f}" for v in values)
    spaced = rf"\renewcommand{{\arraystretch}}{{{stretch:.4f}}}"
    return "{" + spaced + r"\begin{bmatrix}" + rows + r"\end{bmatrix}}"


def update_vectors(
    c_t: np.ndarray,
    f: np.ndarray,
    c_before: np.ndarray,
    ig: np.ndarray,
    font_size: float,
    row_height: float,
) -> tuple[VMobject, VGroup]:
    """L4's c_t = f_1 * c_{t-1} + f_2 with one step's numbers, as column vectors (one path)
    with rows row_height apart (as the diary's and the gate columns' beside them), and the
    names under them."""
    line = LATEX_LINE * font_size * SCALE_FACTOR_PER_FONT_POINT  # an array's row, unstretched
    stretch = row_height / line
    numbers = MathTex(
        bmatrix(c_t, stretch),
        "=",
        bmatrix(f, stretch),
        r"\odot",
        bmatrix(c_before, stretch),
        "+",
        bmatrix(ig, stretch),
        font_size=font_size,
    )
    names = VGroup(
        *(
            tex(s, font_size=font_size).next_to(numbers[j], DOWN, buff=0.12)
            for s, j in ((r"c_t", 0), (r"f_1", 2), (r"c_{t-1}", 4), (r"f_2", 6))
        )
    )
    return one_path(numbers), names


NumberFace = tuple[dict[str, VMobject], dict[str, float], float]


@cache
def _number_face(font_size: float, color: str, lang: str) -> NumberFace:
    """SansNumber's characters in one size, colour and language: each as one path, how far
    it stands above the baseline, and the font's gap between them. Made once per process (L3
    has 24 numbers in a few colours; a late shot builds them again in its catch-up); numbers
    only ever draw copies of them."""
    chars = SansNumber.CHARS
    glyphs = text(chars, font_size, color, lang)
    baseline = glyphs[0].get_bottom()[1]  # the bottom of "0"
    paths = {ch: one_path(glyph) for ch, glyph in zip(chars, glyphs, strict=True)}
    rise = {ch: float(g.get_bottom()[1] - baseline) for ch, g in paths.items()}
    inked = sum(g.width for g in paths.values())
    gap = (glyphs.width - inked) / (len(chars) - 1)  # as the font spaces them
    return paths, rise, gap


class SansNumber(VGroup):
    """A number in the face of the words around it (Manim's DecimalNumber sets its digits in
    LaTeX's serif, which stands out in a sans line, in Chinese most). The characters are
    drawn once, from one Text, and a new value is copies of them, so it costs no new text."""

    CHARS = "0123456789.-+%"

    def __init__(
        self,
        value: float,
        places: int,
        font_size: float,
        color: str,
        lang: str,
        signed: bool = False,  # a + before positive values too
    ):
        super().__init__()
        self.num_decimal_places = places  # named as DecimalNumber names them
        self.sign = "+" if signed else ""
        self.value = value
        self.glyphs, self.rise, self.gap = _number_face(font_size, color, lang)
        self.set_value(value)

    def set_value(self, value: float) -> SansNumber:
        left = self.get_left() if self.submobjects else None
        x = 0.0
        chars = []
        self.value = value
        for ch in f"{value:{self.sign}.{self.num_decimal_places}f}":
            glyph = self.glyphs[ch].copy()
            glyph.move_to((x, float(self.rise[ch]), 0.0), aligned_edge=DOWN + LEFT)
            x += glyph.width + self.gap
            chars.append(glyph)
        for old in self.submobjects:
            # a play keeps drawing the parts its mobjects had when it began (as DecimalNumber
            # knows): empty the old characters, or they stay on screen under the new ones
            old.points = np.zeros((0, 3))
        self.submobjects = chars
        if left is not None:
            self.shift(left - self.get_left())
        return self

    def get_value(self) -> float:
        return self.value


def words_on_baseline(s: str, font_size: float, color: str, lang: str) -> tuple[VMobject, float]:
    """Words as one path, and how far their baseline stands above their bottom (a digit set
    after them in the same text marks it: a digit stands on the baseline)."""
    drawn = text(s + "0", font_size, color, lang)
    words = one_path(VGroup(*drawn[:-1]))
    return words, float(drawn[-1].get_bottom()[1] - words.get_bottom()[1])


class Readout(VGroup):
    """A label with live numbers: its words are drawn once and each {field} is a SansNumber
    in the label's face, on the words' baseline, so new numbers cost no new text and read
    as one line of the label's font."""

    def __init__(
        self, template: str, lang: str, font_size: float = 22, color: str = TEXT, **values: float
    ) -> None:
        super().__init__()
        self.numbers: dict[str, SansNumber] = {}
        self.gaps: list[float] = []
        self.rises: list[float] = []  # each part's baseline above its bottom
        for literal, field, spec, _ in string.Formatter().parse(template):
            if literal.strip():
                words, rise = words_on_baseline(literal.strip(), font_size, color, lang)
                self._put(words, literal, rise)
            if field:
                places = int(spec[1:].rstrip("f")) if spec and spec.startswith(".") else 0
                number = SansNumber(values[field], places, font_size, color, lang)
                self.numbers[field] = number
                self._put(number, literal[len(literal.rstrip()) :], 0.0)  # digits: on it
        self.lay_out()

    def _put(self, mob: VMobject, spaces_before: str, rise: float) -> None:
        """Add mob; the gap before it grows with the spaces the template puts there."""
        blank = len(spaces_before) - len(spaces_before.lstrip())
        self.gaps.append(0.06 + 0.09 * blank)
        self.rises.append(rise)
        self.add(mob)

    def lay_out(self) -> None:
        """Left to right, each part on the first one's baseline (centred on one another,
        digits stood lower than words with descenders)."""
        parts = self.submobjects
        baseline = parts[0].get_bottom()[1] + self.rises[0]
        for prev, mob, gap, rise in zip(
            parts[:-1], parts[1:], self.gaps[1:], self.rises[1:], strict=True
        ):
            mob.next_to(prev, RIGHT, buff=gap)
            mob.shift(UP * (baseline - mob.get_bottom()[1] - rise))

    def set_values(self, **values: float) -> Readout:
        left = self.get_left()
        for field, value in values.items():
            self.numbers[field].set_value(value)
        self.lay_out()
        return self.shift(left - self.get_left())
