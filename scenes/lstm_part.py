"""Part 2 of the video: the LSTM, shots L1-L6 (docs/STORYBOARD.md), one method per shot.

Each shot method reads as its storyboard row: a list of beats, one method each. Every number
comes from the part's view of a trained model (scenes/story_lstm.py: the LSTM, L1's RNN, the
training L6 replays); places, inks and pace from scenes/layout.py. The two chains and shots L1
and L2 are in scenes/lstm_chains.py (TwoChains), the close-up of shots L3 and L4 in
scenes/lstm_closeup.py (LSTMCloseUp), on which LSTMPart builds with L5 and L6; the textbook
cell is in scenes/lstm_diagram.py, the training replay in scenes/training_replay.py.
Render with
    manim -ql scenes/lstm_part.py LSTMPart            (RNN3D_SHOT=L3 for one shot)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from manim import (
    DEGREES,
    ORIGIN,
    OUT,
    RIGHT,
    UL,
    UP,
    UR,
    Animation,
    AnimationGroup,
    Create,
    FadeIn,
    FadeOut,
    Line,
    Mobject,
    Rectangle,
    ReplacementTransform,
    ShowPassingFlash,
    ThreeDCamera,
    VMobject,
    Write,
    smooth,
)

from scenes.animations import Glide, Opacity, appear, fade_for_good, is_hidden, unhide, vanish
from scenes.blocks import text
from scenes.camera import RANK_LINK, ranked
from scenes.colors import diverging, one_path, sequential
from scenes.framing import (
    View,
    caption_floor,
    fit_view,
    free_room,
    look_at,
    screen_box,
    seen_from,
)
from scenes.layout import (
    DRAW,
    FADE,
    LABEL,
    MOVE,
    SWAP,
    TOP_BUFF,
    orientation,
)
from scenes.links import Links
from scenes.lstm_chains import C_OFFSET
from scenes.lstm_closeup import LSTMCloseUp
from scenes.lstm_diagram import (
    BUS_Y,
    GATE_PARTS,
    OPENS_INTO,
    OPERATOR_PARTS,
    ROUTES,
    TOP_Y,
    ClassicLSTMDiagram,
)
from scenes.neurons import NeuronLayer
from scenes.story_lstm import replay_gates, training_history
from scenes.training_replay import REPLAY_SECONDS, TrainingReplay

SIDE_VIEW = orientation(90, 0)  # L5: screen right = time, up = z
DIAGRAM_SCALE = 0.82  # the classic diagram's size in L5 (world units per diagram unit)
DIAGRAM_WIDTH = 11.0  # L5 stretches a step to the diagram's width (in diagram units)
PLANE_FILL, PLANE_EDGE = "#1c2430", "#6c7a89"  # the plane C is projected onto: the cell's own
FLASH = "#ffe08a"  # a signal running through the textbook cell
FLOW = 4.0  # seconds a signal takes through the cell
TURN_FADE = 0.4  # the part of L5's turn in which the names of the other steps fade out
TURN_AWAY = 0.3  # then the part in which the zoomed step's names, faded too, move
TURN_BACK = TURN_FADE + TURN_AWAY  # from there on they fade back in, in their new places
NAME_GAP = 0.12  # between the zoomed step's names and their layers, seen from the side
GROWN = (*GATE_PARTS, *OPERATOR_PARTS)  # what grows in the textbook cell where links open out
GROW_FROM = 0.3  # they grow from this part of their size
LINK_GONE = 0.4  # the part of the opening by which a link's own line has faded
FORKS_FROM = 0.5  # the part of the opening from which the forks appear: their wires are near


def between(start: float, end: float) -> Callable[[float], float]:
    """A rate function that goes smoothly from 0 to 1 between these parts of an animation."""
    return lambda t: smooth(float(np.clip((t - start) / (end - start), 0, 1)))


def along(start: np.ndarray, end: np.ndarray, outline: VMobject) -> VMobject:
    """The outline's every point moved onto the line from start to end, to the nearest point
    of it: a path as long as the outline (a morph pairs their points one to one) that is
    the line where the outline lies along it. (Morphed from a plain line, the outline's first
    wire took the whole line, from the step before, far past the frame's edge, and the
    others grew out of its end.)"""
    direction = (end - start) / np.linalg.norm(end - start)
    t = np.clip((outline.points - start) @ direction, 0.0, np.linalg.norm(end - start))
    return VMobject().set_points(start + t[:, None] * direction)


def follow(*links: Links) -> None:
    """These links follow their layers while they move (until their updaters are cleared)."""
    for bundle in links:
        bundle.add_updater(lambda m: m.refresh())


class LSTMPart(LSTMCloseUp):
    """Part 2: L1, L2 (TwoChains), L3, L4 (LSTMCloseUp), and here L5 and L6."""

    # ---- L5 back to the textbook ----------------------------------------------------------

    def shot_L5(self) -> None:
        """C is projected onto S's plane, the model turns 90 degrees and stretches; the links
        open out into the classic cell diagram, and a signal runs through it: hard to read,
        because it shows 3D flat."""
        self.say("l5_turn")
        anchor = self.s_chain.at(self.view.zoom_k)
        # x_t and y_t have no place in the textbook cell's outline: they go first
        self.leave(
            *self.s_chain.inputs,
            *self.in_links,
            *self.outputs,
            self.diary_label,
            self.states_legend,
            *self.units_notes,  # the textbook cell shows no units
            self.gate_legend,
            run_time=SWAP,
        )
        self.project_c()
        # look at the plane, so time runs left to right and C stands above S
        # the whole model in the frame while it turns; then, as it stretches, the zoomed step
        cell = View(**SIDE_VIEW, frame_center=(anchor + OUT * 1.2).tolist(), zoom=1.0)
        layers = [layer.neurons for layer in (*self.s_chain.hidden, *self.c_chain.hidden)]
        room = free_room(bottom=caption_floor(self))
        whole = fit_view(self, [self.plane, *layers], room, SIDE_VIEW, max_zoom=1.0)
        self.move_camera(**whole, run_time=MOVE, added_anims=self.names_make_way(whole, cell))
        self.diagram = self.textbook_cell(anchor)
        self.stretch(cell)
        self.open_out()
        self.say("l5_hard")
        self.play(self.flow(), run_time=FLOW)
        self.wait(2)

    def project_c(self) -> None:
        """Seen in 3D: the plane of S appears, and C is projected onto it, above S, where the
        textbook draws the cell state. The links follow."""
        s, c = self.s_chain, self.c_chain
        rise = (TOP_Y - BUS_Y) * DIAGRAM_SCALE
        K = len(s.hidden)
        self.plane = ranked(
            Rectangle(
                width=(K - 1) * s.dt + 2.0,
                height=rise + 1.4,
                stroke_color=PLANE_EDGE,
                stroke_width=2,
                fill_color=PLANE_FILL,
                fill_opacity=0.55,
            ),
            RANK_LINK - 1,  # behind the links (DepthCamera draws by rank)
        )
        self.plane.rotate(90 * DEGREES, RIGHT).rotate(90 * DEGREES, OUT)  # into the y-z plane
        self.plane.move_to(s.at((K - 1) / 2) + OUT * rise / 2)
        moving = (*self.c_links, *self.sc_links)  # the links that move with C
        follow(*moving)
        self.play(appear(self.plane), run_time=FADE)
        self.play(*(Glide(h, OUT * rise + RIGHT * C_OFFSET) for h in c.hidden), run_time=2.5)
        for bundle in moving:  # still while the camera turns: not redrawn at every frame
            bundle.clear_updaters()

    def names_make_way(self, *views: View) -> list[Animation]:
        """While the camera turns to the side: seen edge on, every step's layers stand on one
        spot, where its names would cover them. The other steps' names fade out early in the
        turn; the zoomed step's fade too, and come back over C_t and under S_t, clear of both
        chains as seen from each of these views (crossing the turning chains, they would
        cover them)."""
        k = self.view.zoom_k
        layers = (self.c_chain.hidden, self.s_chain.hidden)
        gone = [layer.title for chain in layers for j, layer in enumerate(chain) if j != k]
        fade, back = between(0, TURN_FADE), between(TURN_BACK, 1)
        moves: list[Animation] = [fade_for_good(name, rate_func=fade) for name in gone]
        for layer, up in ((self.c_chain.hidden[k], True), (self.s_chain.hidden[k], False)):
            for name in layer.title:
                to = self.clear_of(layer, name, up, views)
                if is_hidden(name):  # left out of L2-L4 for want of room: seen from the side
                    unhide(name)  # it has room, and L5 turns it into S_t = h_t
                    opacity = Opacity(name, 0, 1, rate_func=back)
                else:
                    opacity = Opacity(name, 1, 0, rate_func=lambda t: fade(t) - back(t))
                moves += [Glide(name, to, rate_func=between(TURN_FADE, TURN_BACK)), opacity]
        return moves

    def clear_of(
        self, layer: NeuronLayer, name: Mobject, up: bool, views: Sequence[View]
    ) -> np.ndarray:
        """How far to move the layer's name so that it stands over (or under) the layer,
        centred on its anchor, seen from each of these views. On screen, a name facing the
        camera stands its own x and y from its anchor: the boxes are taken from there."""
        anchor = dict((id(mob), at) for mob, at in layer.facing)[id(name)]()
        stack, label = np.array([np.inf, np.inf, -np.inf, -np.inf]), np.zeros(4)
        for view in views:
            with seen_from(self, view) as camera:
                box, label = screen_box(camera, [layer.neurons]), screen_box(camera, [name])
                at = np.tile(camera.project_points(anchor[None])[0, :2], 2)  # (turned by now)
                box, label = box - at, label - at
            stack = np.array([*np.minimum(stack[:2], box[:2]), *np.maximum(stack[2:], box[2:])])
        y = stack[3] + NAME_GAP - label[1] if up else stack[1] - NAME_GAP - label[3]
        return np.array([-(label[0] + label[2]) / 2, y, 0.0])

    def stretch(self, cell: View) -> None:
        """Each step is stretched to the width of one cell diagram, about the zoomed one, and
        the camera comes to the zoomed step (at cell)."""
        s, c, k = self.s_chain, self.c_chain, self.view.zoom_k
        links = (*self.c_links, *self.s_links, *self.sc_links)
        follow(*links)
        stretch = DIAGRAM_WIDTH * DIAGRAM_SCALE / s.dt
        moves = []
        for j in range(self.view.K):
            shift = (j - k) * (stretch - 1) * s.dt * s.time_axis
            moves += [Glide(s.hidden[j], shift), Glide(c.hidden[j], shift)]
        box = self.diagram.parts["cell_box"]
        ranked(box, RANK_LINK - 1)  # behind the wires (DepthCamera draws by rank)
        self.play(*moves, ReplacementTransform(self.plane, box), look_at(self, cell, 2), run_time=2)
        for bundle in links:
            bundle.clear_updaters()
        # every other step now lies a stretched step (DIAGRAM_WIDTH * DIAGRAM_SCALE) or more
        # from the centre, beyond the frame's edge: out of the scene, where it costs nothing
        # (before, it faded out unseen while the links opened out, projected at every frame)
        used = [m for m in self.zoomed_links().values() if m is not None]
        kept = (*used, c.hidden[k], s.hidden[k])
        self.remove(*(m for m in (*links, *c.hidden, *s.hidden) if not any(m is u for u in kept)))

    def zoomed_links(self) -> dict[str, Links | Mobject | None]:
        """The links at the zoomed step, by what they open out into (lstm_diagram.OPENS_INTO):
        none before the first step or after the last."""
        k, K = self.view.zoom_k, self.view.K
        return {
            "c_in": self.c_links[k - 1] if k > 0 else None,
            "c_out": self.c_links[k] if k < K - 1 else None,
            "s_in": self.s_links[k - 1] if k > 0 else None,
            "s_out": self.s_links[k] if k < K - 1 else None,
            "c_to_s": self.sc_links[k],
        }

    def textbook_cell(self, anchor: np.ndarray) -> ClassicLSTMDiagram:
        """The classic cell of the zoomed step, in the plane of S, its h_{t-1} line on S."""
        gates = self.view.diagram_gates(self.view.zoom_k)
        d = ClassicLSTMDiagram(*gates, sequential, diverging, self.lang)
        d.scale(DIAGRAM_SCALE, about_point=ORIGIN)
        d.rotate(90 * DEGREES, RIGHT, about_point=ORIGIN).rotate(
            90 * DEGREES, OUT, about_point=ORIGIN
        )
        return d.shift(anchor - BUS_Y * DIAGRAM_SCALE * OUT)

    def open_out(self) -> None:
        """Lines become lines: the links into and out of the step open out into the cell's
        wires while the boxes with the gates' values and the operators grow; C_t and S_t fold
        into the + and the x that compute them, and their names become 'C_t = c_t' and
        'S_t = h_t'. Then the labels of the textbook cell."""
        k, d = self.view.zoom_k, self.diagram
        p = d.parts
        # each link morphs into the outline of its wires (no loose pieces)
        used = self.zoomed_links()
        outlines = {key: d.outline(names) for key, names in OPENS_INTO.items()}
        morphs = [
            m for key, outline in outlines.items() for m in self.open_into(used[key], outline)
        ]
        c_layer, s_layer = self.c_chain.hidden[k], self.s_chain.hidden[k]
        titles = [layer.title for layer in (c_layer, s_layer)]
        self.play(
            *morphs,
            FadeOut(c_layer.neurons, target_position=p["add_input"], scale=0.3),
            FadeOut(s_layer.neurons, target_position=p["multiply_output"], scale=0.3),
            *self.renamed(titles, p["state_names"]),
            # faded in as they grow: grown from nothing, they showed as dots for a while
            *(FadeIn(p[name], scale=GROW_FROM) for name in GROWN),
            appear(p["forks"], rate_func=between(FORKS_FROM, 1)),
            run_time=MOVE,
        )
        # the wires take their outlines' place (the same drawing, with arrow tips)
        self.remove(*outlines.values())
        self.add(*(p[n] for names in OPENS_INTO.values() for n in names))
        self.play(
            Create(p["x_in"]),
            Write(p["labels"]),
            Write(p["f2_label"]),
            Write(p["gate_note"]),
            run_time=2,
        )
        self.gate_legend = self.color_legend("sequential", "label_gate", UR)
        self.states_legend = self.color_legend("diverging", "label_cell", UL)
        tag = one_path(
            text(self.words("label_zoom_step", t=self.view.step_number(k)), 24, LABEL, self.lang)
        ).to_edge(UP, buff=TOP_BUFF)
        self.pin(tag)
        self.play(appear(self.gate_legend), appear(self.states_legend), appear(tag), run_time=FADE)
        self.play(self.flow(), run_time=FLOW)

    def open_into(self, link: Mobject | None, outline: VMobject) -> list[Animation]:
        """The link (None: there is none, at the chain's ends) becomes the outline of its
        wires, each wire sliding out of the stretch of the link it lies along, while the
        link's own line fades early: from the step before, it runs far past the frame's
        edge. Seen from the side, a link's unit lines lie on one another: one line stands
        for them."""
        if link is None:
            return [Create(outline)]
        assert isinstance(link, Links)
        starts, ends = link.ends()
        start, end = starts.mean(axis=0), ends.mean(axis=0)
        color = link.submobjects[-1].get_stroke_color()
        line = ranked(Line(start, end, color=color), RANK_LINK)
        laid = ranked(along(start, end, outline).match_style(line), RANK_LINK)
        self.remove(link)
        self.add(line, laid)
        return [ReplacementTransform(laid, outline), vanish(line, rate_func=between(0, LINK_GONE))]

    def renamed(self, titles: Sequence[Mobject], names: Mobject) -> list[Animation]:
        """The names of C_t and S_t travel, on screen, to where c_t and h_t leave the cell,
        and fade into 'C_t = c_t' and 'S_t = h_t' there. (Each name faces the camera and moves
        on screen by its own x and y; the new names lie in the cell's plane.)"""
        camera = self.renderer.camera
        assert isinstance(camera, ThreeDCamera), "a part scene draws with a 3D camera"
        late = {"rate_func": lambda t: smooth(max(0.0, 2 * t - 1))}  # once nearly there
        moves: list[Animation] = [appear(names, **late)]
        for title, name in zip(titles, names, strict=True):
            for mob in title:  # anchored where its neurons stand now (they leave)
                here = camera.fixed_orientation_mobjects[mob]()
                camera.add_fixed_orientation_mobjects(mob, center_func=here.copy)
            a, b = screen_box(camera, [title]), screen_box(camera, [name])
            to = np.array([*((b[:2] + b[2:] - a[:2] - a[2:]) / 2), 0.0])
            moves += [Glide(title, to), vanish(title, **late)]
        return moves

    def flow(self) -> Animation:
        """A signal runs through the cell, path after path: c_{t-1} along the top, h_{t-1}
        and x_t into the gates, the gates' outputs to the operators, h_t out."""
        return AnimationGroup(
            *(
                ShowPassingFlash(self.diagram.outline(names).set_stroke(FLASH, 6), time_width=0.6)
                for names in ROUTES
            ),
            lag_ratio=0.5,
        )

    # ---- L6 training ----------------------------------------------------------------------

    def shot_L6(self) -> None:
        """The LSTM is trained by gradient descent: the loss falls, and the gates' behaviour
        on the sequence changes as it learns."""
        training = training_history(self.settings, self.view.story.model)
        hist = training.history
        replay = TrainingReplay(
            hist,
            replay_gates(self.view, hist),
            self.view,
            self.lang,
            self.pin,
            caption_floor(self),
            units_note=next(iter(self.units_words()), None),
        )
        # whose training this is, when not the drawn model's own (with its snapshots)
        self.training_note = (
            None
            if training.own and training.snapshots
            else self.words("label_no_history" if not training.own else "label_loss_only")
        )
        self.say("l6_train" if training.own else "l6_train_here")
        self.play(*(vanish(m) for m in self.mobjects if m is not self.caption), run_time=SWAP)
        self.show_the_plot(replay, self.training_note)
        # the replay: the curve is drawn as the loss falls, the gates and the readout follow
        # the snapshots it reaches. Only they are redrawn at every frame (put last), and
        # each grid is one mobject.
        replay.readout.add_updater(replay.follow)
        self.add(*replay.moving)
        # a quarter of the way, the caption turns to the gates; the replay goes on meanwhile
        # (in a play of its own: the captions are redrawn at every frame of it)
        self.play(replay.to(0.25))
        self.say("l6_gates", replay.to(0.25 + 0.6 / REPLAY_SECONDS))
        self.play(replay.to(1.0))
        replay.readout.remove_updater(replay.follow)
        self.wait(3)

    def show_the_plot(self, replay: TrainingReplay, note: str | None) -> None:
        """The empty plot, the readout, the grids under their legend, and a note when the
        history is not the drawn model's own."""
        self.gate_legend = self.color_legend("sequential", "label_gate", UR)
        self.gate_legend.set_x(replay.grids.get_x())
        self.pin(replay.axes, replay.names, replay.curve, replay.readout, replay.grids)
        extras = []
        if note:
            whose = replay.note(note, self.lang)
            self.pin(whose)
            extras.append(appear(whose))
        self.play(
            Create(replay.axes),
            *(appear(n) for n in replay.names),
            appear(replay.grids),
            appear(self.gate_legend),
            appear(replay.readout),
            *extras,
            run_time=DRAW,
        )
