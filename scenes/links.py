"""Links between neuron layers: a bundle drawn as one path per colour bin (Links.BINS), every
unit to every unit (DenseLinks) or unit i to unit i (SelfLinks)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import Animation, Mobject, VGroup, VMobject

from .animations import LinkPulse, straight_lines
from .camera import RANK_LINK, ranked
from .colors import diverging
from .neurons import Facing, NeuronLayer


class Links(VGroup):
    """Links between two layers, listed as (a index, b index) pairs, one weight per pair.

    With weights, a link's colour is ``diverging(q)`` and its width grows with |q|, where q is
    the weight divided by ``norm`` (default: the largest |weight|) and rounded to the nearest
    of BINS levels in [-1, 1]; links of one level are drawn as one path. Without weights every
    link is a thin neutral line (structure only).
    """

    BINS = 9  # levels -1, -0.75, ..., 1
    draw_rank = RANK_LINK

    def __init__(
        self,
        a: NeuronLayer,
        b: NeuronLayer,
        pairs: Sequence[tuple[int, int]],
        weights: Sequence[float] | np.ndarray | None = None,
        norm: float | None = None,
        max_width: float = 5.0,
        opacity: float = 0.85,
    ) -> None:
        super().__init__()
        self.a, self.b, self.pairs = a, b, list(pairs)
        # labels drawn over these links (W_s): a play drawing the links redraws them too
        self.over: list[Mobject] = []
        half = (self.BINS - 1) // 2
        if weights is None:
            self.levels: list[int | None] = [None] * len(self.pairs)
        else:
            w = np.asarray(weights, dtype=float)
            self.norm = float(norm if norm is not None else max(np.abs(w).max(), 1e-12))
            self.levels = [int(k) for k in np.rint(np.clip(w / self.norm, -1, 1) * half)]
        # which neuron of a each link starts at and of b it ends at, and each level's links
        self._from, self._to = (np.array([p[n] for p in self.pairs], int) for n in (0, 1))
        self._at_level = {lv: np.array([v == lv for v in self.levels], bool) for lv in self.levels}
        self.paths: dict[int | None, VMobject] = {}
        for level in sorted(set(self.levels), key=lambda k: -1 if k is None else abs(k)):
            if level is None:
                path = VMobject(stroke_color="#8A8A99", stroke_width=1.5, stroke_opacity=0.6)
            else:
                q = level / half
                path = VMobject(
                    stroke_color=diverging(q),
                    stroke_opacity=opacity,
                    stroke_width=max_width * max(abs(q), 0.12),
                )
            self.paths[level] = ranked(path, RANK_LINK)
            self.add(path)
        self.refresh()

    def __deepcopy__(self, memo: dict) -> Links:
        memo[id(self.a)], memo[id(self.b)] = self.a, self.b  # a copy links the same layers
        return super().__deepcopy__(memo)

    def ends(self) -> tuple[np.ndarray, np.ndarray]:
        """Where each link starts and ends, in the order of pairs: two (links, 3) arrays, each
        neuron's centre read once (a dense bundle joins each to every neuron of the other)."""
        ca = np.array([n.get_center() for n in self.a.neurons]).reshape(-1, 3)
        cb = np.array([n.get_center() for n in self.b.neurons]).reshape(-1, 3)
        return ca[self._from], cb[self._to]

    def refresh(self) -> Links:
        """Redraw from the neurons' current positions (use as an updater when layers move)."""
        p0, p1 = self.ends()
        for level, path in self.paths.items():
            mine = self._at_level[level]
            path.points = straight_lines(p0[mine], p1[mine], path.n_points_per_cubic_curve)
        return self

    @property
    def facing(self) -> list[Facing]:
        return []

    def pulse(self, color: str = "#FFFFFF", width: float = 0.3, **kwargs) -> Animation:
        """Signals travelling along every link from layer a to layer b."""
        return LinkPulse(self, color=color, width=width, **kwargs)


class DenseLinks(Links):
    """Every neuron of a to every neuron of b; weights[i, j] is the weight from a_j to b_i
    (PyTorch's layout: rows are the receiving units)."""

    def __init__(
        self, a: NeuronLayer, b: NeuronLayer, weights: np.ndarray | None = None, **kwargs
    ) -> None:
        pairs = [(j, i) for i in range(len(b.neurons)) for j in range(len(a.neurons))]
        w = None if weights is None else [weights[i, j] for j, i in pairs]
        super().__init__(a, b, pairs, w, **kwargs)


class SelfLinks(Links):
    """Neuron i of a to neuron i of b; weights[i] (e.g. the diagonal of W_S)."""

    def __init__(
        self,
        a: NeuronLayer,
        b: NeuronLayer,
        weights: Sequence[float] | np.ndarray | None = None,
        **kwargs,
    ) -> None:
        super().__init__(a, b, [(i, i) for i in range(len(a.neurons))], weights, **kwargs)
