"""The unrolled chain: one hidden layer at several moments, spaced along the time axis, with
its inputs below and outputs above."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from manim import (
    LEFT,
    ORIGIN,
    OUT,
    UL,
    UP,
    Animation,
    AnimationGroup,
    MathTex,
    Mobject,
    VGroup,
    VMobject,
)

from .animations import Glide, Grow
from .framing import View, seen_from
from .layout import TABLE_TEXT
from .neurons import Facing, NeuronLayer

TIME_AXIS = np.array([0.0, 1.0, 0.0])  # world y
ROW_CLEAR = 0.05  # on screen between a lifted row's neurons and other rows' (frame units)
LAYERS_CLEAR = 4 * 8 / 480  # on screen between neurons of different layers (4 px at 480p)
LEAST_SIZE = 0.6  # neurons shrink for that to this part of their size, no further
# how far a row may move from where it was built, along the side it stands on, in parts of
# its gap to its copy: the least first (below -0.5 the links from it grow too short to read)
# k / 20: -0.5 to 0.8 as np.arange(-0.5, 0.81, 0.05) had them, but rounded to the nearest
# float, so that no move is exactly 0 (arange's was -1.1e-16: lift_rows never saw nothing
# move); of two as small, the one up first, as arange's rounding had them
LIFTS = sorted((k / 20 for k in range(-10, 17)), key=lambda lift: (abs(lift), lift < 0))
LIFT_ROUNDS = 3  # rows moved clear of the others, then framed again, at most so many times
# rows to move, the layers they must stand clear of, the side they move to (from their
# copies) and what moves with them
RowLift = tuple[Sequence[NeuronLayer], Sequence[NeuronLayer], np.ndarray, Sequence[Mobject]]


def step_name(letter: str, t: int) -> MathTex:
    """x_t's or y_t's name at step t as the copies' S_t are named, the step a subscript
    (x1, y1 name a layer's units)."""
    return MathTex(f"{letter}_{{{t}}}", font_size=TABLE_TEXT + 8)


def on_screen_discs(layers: Sequence[NeuronLayer]) -> tuple[np.ndarray, np.ndarray]:
    """The centres (in the world) and on-screen radii of these layers' neurons: a neuron
    facing the camera is drawn its own size whatever the zoom and depth."""
    discs = [d for layer in layers for d in layer.discs]
    centres = np.array([d.get_center() for d in discs]).reshape(-1, 3)
    radii = np.array(
        [np.linalg.norm(d.points - c, axis=1).max() for d, c in zip(discs, centres, strict=True)]
    )
    return centres, radii


def discs_seen(
    scene, view: View, layers: Sequence[NeuronLayer]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where these layers' neurons stand on screen seen from this view, their on-screen radii
    and the number of the layer each is in."""
    centres, radii = on_screen_discs(layers)
    owner = np.repeat(np.arange(len(layers)), [len(layer.discs) for layer in layers])
    with seen_from(scene, view) as camera:
        camera.reset_rotation_matrix()  # as drawing a frame does: the camera has turned
        return camera.project_points(centres)[:, :2], radii, owner


def shrink_to_clear(
    scene, view: View, layers: Sequence[NeuronLayer], also: Sequence[NeuronLayer] = ()
) -> float:
    """Shrink the neurons of these layers (and of those also, to match), each about its
    centre, until seen from this view those of different layers stand LAYERS_CLEAR apart on
    screen (but to LEAST_SIZE of their size at most); the part of their size they keep.
    Drawn the same size however far the camera backs out to frame long rows, they close up
    as the picture shrinks (S_t and C_t touched with a long text)."""
    at, radii, owner = discs_seen(scene, view, layers)
    apart = np.linalg.norm(at[:, None] - at[None], axis=2)
    sizes = (apart - LAYERS_CLEAR) / (radii[:, None] + radii[None])
    sizes[owner[:, None] == owner[None]] = np.inf
    size = float(np.clip(sizes.min(initial=1.0), LEAST_SIZE, 1.0))
    shrink_neurons([*layers, *also], size)
    return size


def shrink_neurons(layers: Sequence[NeuronLayer], size: float) -> None:
    """Scale these layers' neurons to this part of their size (under 1), each about its
    centre. They take it at once, before the frames that show it (shrinking): the names and
    rows are placed among them at the size they will have."""
    if size < 1:  # scaled by 1 about its centre, a point may still move in the last digit
        for layer in layers:
            for disc in layer.discs:
                disc.scale(size, about_point=disc.get_center())


def shrinking(layers: Sequence[NeuronLayer], size: float, **kwargs) -> list[Animation]:
    """The animation that shows these layers' neurons, already shrunk to size
    (shrink_neurons), shrink there as it plays: they start back at their old size, 1 / size
    of the new one. None if they kept their size."""
    discs = [d for layer in layers for d in layer.discs]
    return [Grow(discs, 1 / size, **kwargs)] if size < 1 else []


def rows_crossing(scene, view: View, rows: Sequence[NeuronLayer]) -> int:
    """How many of the first of these rows to leave out (the last always stays) so that,
    seen from this view, no disc of one lies on another's row: within its radius and
    ROW_CLEAR of the line between two neighbouring discs of that row, or nearer to it than
    they are to each other (it reads as one of them; tests/layout.py's "crossing"). A row
    spread wide for its units' names had the rows before it within its span."""
    at, radii, owner = discs_seen(scene, view, rows)
    crosses = np.zeros((len(rows), len(rows)), bool)  # [row, other]: a disc of other on row
    for n in range(len(rows)):
        a = at[owner == n]
        if len(a) < 2:
            continue
        d, others = a[1:] - a[:-1], owner != n  # the discs are built in order along the row
        to_a = at[others, None] - a[None, :-1]
        t = np.clip((to_a * d).sum(axis=2) / np.maximum((d * d).sum(axis=1), 1e-12), 0, 1)
        off = np.linalg.norm(to_a - t[..., None] * d, axis=2)
        reach = np.maximum(radii[others, None] + ROW_CLEAR, np.linalg.norm(d, axis=1))
        np.logical_or.at(crosses[n], owner[others], (off < reach).any(axis=1))
    crosses |= crosses.T
    return next(n for n in range(len(rows)) if not crosses[n:, n:].any())


def clear_lift(
    scene,
    views: Sequence[View],
    rows: Sequence[NeuronLayer],
    others: Sequence[NeuronLayer],
    away: np.ndarray,
    gap: float,
    sizes: Sequence[float] | None = None,
    beneath: Sequence[NeuronLayer] = (),
) -> np.ndarray:
    """How far to move these rows (each at gap from its copy, on the side away points to)
    so that, seen from each of these views through the real camera, none of their neurons
    comes within ROW_CLEAR of the other layers' neurons: the least move (LIFTS) that does,
    else the one that leaves them the most room. Seen at a slant, a chain's rows lie side by
    side across the screen, a step apart, and a row above or below one copy falls on another
    copy's, or on the other chain's, unless its gap puts it between them. sizes: the
    neurons' size in each view, in parts of the size they have now (default: 1). beneath: a
    chain the rows must stand wholly above on screen, over its highest neuron, not only clear
    of each copy: seen among its copies, in the gaps between them, a row read as one more."""
    mine, mine_r = on_screen_discs(rows)
    theirs, theirs_r = on_screen_discs(others)
    beneath_at, beneath_r = on_screen_discs(beneath)
    shifts = [np.asarray(away, float) * lift * gap for lift in LIFTS]
    room = np.full(len(shifts), np.inf)
    for view, size in zip(views, sizes or [1.0] * len(views), strict=True):
        radii = (mine_r[:, None] + theirs_r[None]) * size
        with seen_from(scene, view) as camera:
            camera.reset_rotation_matrix()  # as drawing a frame does: the camera has turned
            b = camera.project_points(theirs)[:, :2]
            # each move projected alone (stacked, BLAS may round a point differently), then
            # all measured at once: [move, mine, theirs]
            a = np.array([camera.project_points(mine + shift)[:, :2] for shift in shifts])
            apart = np.linalg.norm(a[:, :, None] - b[None, None], axis=3)
            room = np.minimum(room, (apart - radii).min(axis=(1, 2), initial=np.inf))
            if len(beneath_at):  # the top of the chain beneath, whatever the rows' move
                top = float((camera.project_points(beneath_at)[:, 1] + beneath_r * size).max())
                room = np.minimum(room, (a[:, :, 1] - mine_r * size).min(axis=1) - top)
    clear = np.nonzero(room >= ROW_CLEAR)[0]
    return shifts[int(clear[0]) if len(clear) else int(np.argmax(room))]


def lift_rows(
    scene,
    moves: Sequence[RowLift],
    views: Callable[[], list[View]],
    gap: float,
    sizes: Callable[[list[View]], list[float]] | None = None,
    beneath: Sequence[NeuronLayer] = (),
    seen: list[View] | None = None,
) -> list[View]:
    """Move rows (each at gap from its copy) by clear_lift, with what goes along with them,
    until each stands clear of its others, seen from the views views() gives (the neurons
    as large in each as sizes() of them says, else as they are). Moving rows changes what
    is framed, and so how large the neurons are beside the chains: again, until none moves
    (at most LIFT_ROUNDS times). beneath: a chain the rows must stand above (clear_lift).
    seen: views() as the rows stand now, if the caller has them (from the lift_rows before).
    Returns the views framed as the rows stand at the end, for callers not to frame again."""
    # framed again only after a move: framing is most of the cost, and most moves are none
    seen = views() if seen is None else seen
    for _ in range(LIFT_ROUNDS):
        moved = False
        for rows, others, away, along in moves:
            size = sizes(seen) if sizes else None
            shift = clear_lift(scene, seen, rows, others, away, gap, size, beneath)
            if np.any(shift):
                for mob in (*rows, *along):
                    mob.shift(shift)
                seen, moved = views(), True
        if not moved:
            break
    return seen


class UnrolledChain(VGroup):
    """The same hidden layer at several moments, spaced along the time axis.

    states:  (K, n) the hidden state at each drawn step (diverging scale).
    names:   LaTeX name of each copy, e.g. ["S_{1}", "S_{2}", ...].
    inputs / outputs: optional (K, m) values of x_t / y_t, drawn as layers beside each copy
    (io_gap below / above it along the flow axis, world z), with their own scales, norms,
    and per-step names (LaTeX or mobjects); in_name_side: where x_t's name
    stands (RIGHT: past its last unit, clear of the previous copy in a 3D view).
    """

    def __init__(
        self,
        states: np.ndarray,
        names: Sequence[str],
        origin: np.ndarray = ORIGIN,
        dt: float = 1.6,
        time_axis: np.ndarray = TIME_AXIS,
        inputs: np.ndarray | None = None,
        outputs: np.ndarray | None = None,
        in_scale: str = "sequential",
        out_scale: str = "sequential",
        in_names: Sequence[str | VMobject] | None = None,
        out_names: Sequence[str | VMobject] | None = None,
        io_gap: float = 1.6,
        spacing: float = 0.45,
        io_spacing: float = 0.36,
        radius: float = 0.15,
        io_radius: float = 0.11,
        in_norm: float = 1.0,
        out_norm: float = 1.0,
        in_name_side: np.ndarray = LEFT,
    ) -> None:
        super().__init__()
        self.origin, self.dt = np.asarray(origin, float), dt
        self.time_axis = np.asarray(time_axis, dtype=float)
        K, n = states.shape
        self.hidden = [
            NeuronLayer(
                n, states[k], name=names[k], spacing=spacing, radius=radius, center=self.at(k)
            )
            for k in range(K)
        ]
        io = {"spacing": io_spacing, "radius": io_radius, "font_size": 16.0}
        self.inputs = self._beside(
            inputs, in_names, -OUT * io_gap, in_scale, in_norm, name_side=in_name_side, **io
        )
        self.outputs = self._beside(
            outputs, out_names, OUT * io_gap, out_scale, out_norm, label_side=UP, **io
        )
        self.add(*self.hidden, *self.inputs, *self.outputs)

    def _beside(
        self,
        values: np.ndarray | None,
        names: Sequence[str | VMobject] | None,
        offset: np.ndarray,
        scale: str,
        norm: float,
        **style,
    ) -> list[NeuronLayer]:
        """A layer of these values beside each copy (x_t below it, y_t above), with its name."""
        if values is None:
            return []
        return [
            NeuronLayer(
                values.shape[1],
                values[k],
                scale,
                center=self.at(k) + offset,
                name=None if names is None else names[k],
                norm=norm,
                **style,
            )
            for k in range(len(values))
        ]

    def at(self, k: float) -> np.ndarray:
        """Where the k-th copy of the hidden layer stands."""
        return self.origin + k * self.dt * self.time_axis

    @property
    def facing(self) -> list[Facing]:
        return [f for layer in (*self.hidden, *self.inputs, *self.outputs) for f in layer.facing]

    def layers(self, k: int) -> list[NeuronLayer]:
        """The k-th moment's layers: its hidden copy and its x_t, y_t layers."""
        return (
            [self.hidden[k]]
            + ([self.inputs[k]] if self.inputs else [])
            + ([self.outputs[k]] if self.outputs else [])
        )

    def names_up_left(self) -> None:
        """Each copy's name up and left of its first unit on screen, where no other copy
        stands: the row runs down and right, the copies before and after it lie down-left
        and up-right (beside the first unit, C_t's name met the copy before when the steps
        were close)."""
        for layer in self.hidden:
            first = layer.discs[0]
            for name in layer.title:
                name.next_to(first.get_center(), UL, buff=first.radius)

    def step(self, k: int) -> VGroup:
        """The k-th moment, as one group."""
        return VGroup(*self.layers(k))

    def unroll(self, lag_ratio: float = 0.25, **kwargs) -> Animation:
        """The copies slide out of the first one along the time axis, one after another.
        Call before the chain is shown (it moves every copy back to the start first)."""
        moves = []
        for k in range(1, len(self.hidden)):
            part = self.step(k)
            part.shift(self.at(0) - self.at(k))
            moves.append(Glide(part, self.at(k) - self.at(0)))
        return AnimationGroup(*moves, lag_ratio=lag_ratio, **kwargs)
