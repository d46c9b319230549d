"""Part 1 of the video, the RNN (docs/STORYBOARD.md), shot R4: links through time share W_s.
LinksThroughTime builds on RNNChain (scenes/rnn_chain.py); RNNPart (scenes/rnn_part.py) plays
R5 and R6 with its chain and links.
"""

from __future__ import annotations

import math

import numpy as np
from manim import (
    IN,
    LEFT,
    OUT,
    RIGHT,
    UP,
    BackgroundRectangle,
    Create,
    Indicate,
    MathTex,
    VGroup,
    VMobject,
)

from scenes.animations import appear, hide, vanish
from scenes.blocks import text
from scenes.colors import one_path
from scenes.framing import leaf_boxes
from scenes.layout import DRAW, FADE, HIGHLIGHT, OUTLINE, TOP_BUFF, WRITE
from scenes.linebreak import ems, wrap
from scenes.links import DenseLinks, SelfLinks
from scenes.placing import Placer
from scenes.rnn_chain import RNNChain

WS_LABEL_GAP = 0.9  # from an end unit of the hidden layer to a W_s label beside a gap
WS_LABEL_SIZE = 40  # W_s beside a gap: 17 px tall at 480p (MathTex at 28 is 12 px)
WS_CROWDED_SIZE = 32  # 14 px, where the gaps are narrow (more than five steps)
WS_BOX_OPACITY = 0.8  # its dark box: the links behind it still show through, dimmed
WS_NAME_CLEAR = 0.3  # from a step's name (18 px at 480p): nearer, "W_s S_43" read as a product
SHARED_WIDTH = 6.0  # R4's note fits between the two legends
SHARED_SIZE = 20  # 12 px tall at 480p


class LinksThroughTime(RNNChain):
    """The links through time R4 adds to the chain, and the W_s on every gap."""

    def shot_R4(self) -> None:
        """Every neuron of S_{t-1} to every neuron of S_t; then each only to itself; the same
        W_s on every gap: the weights are shared, the count does not grow with time."""
        if self.view.K < 2:  # a window of one step has no link through time to show
            self.dense = VGroup()
            for key in ("r4_dense", "r4_self", "r4_shared"):
                self.say(key)
                self.wait(5)
            return
        self.build_links_through_time()
        self.say("r4_dense", Create(self.dense, run_time=DRAW))
        self.play(appear(self.ws_labels), run_time=FADE)
        self.wait(3.2)
        self.say(
            "r4_self",
            vanish(self.dense, run_time=WRITE),
            Create(self.selfs, run_time=WRITE),
        )
        self.wait(3.3)
        self.weights_are_shared()

    def build_links_through_time(self) -> None:
        c, K, W_s = self.chain, self.view.K, self.view.W_s
        norm = float(np.abs(W_s).max())
        gaps = [(c.hidden[k], c.hidden[k + 1]) for k in range(K - 1)]
        dense = [DenseLinks(a, b, W_s, norm=norm) for a, b in gaps]
        selfs = [SelfLinks(a, b, np.diag(W_s), norm=norm) for a, b in gaps]
        self.dense, self.selfs = VGroup(*dense), VGroup(*selfs)
        camera = self.renderer.camera
        names = [layer.title for k in range(K) for layer in c.layers(k)]
        clear = np.array([-WS_NAME_CLEAR, -WS_NAME_CLEAR, WS_NAME_CLEAR, WS_NAME_CLEAR])
        avoid = [box + clear for box in leaf_boxes(camera, names)]
        avoid += leaf_boxes(camera, [c, self.time_axis, self.time_label])
        placer = Placer(camera, avoid)
        self.ws_names: list[MathTex] = []  # the labels' names, without their boxes
        self.ws_labels = VGroup(*(self.ws_label(k, placer) for k in range(K - 1)))
        for tag, *links in zip(self.ws_labels, dense, selfs, strict=True):
            for bundle in links:  # drawn over its gap's links: redrawn as they are drawn
                bundle.over.append(tag)

    def ws_label(self, k: int, placer: Placer) -> VGroup:
        """W_s in the gap between copies k and k+1, over the links (its dark box keeps it
        readable on links of its colours), where on screen it covers no neuron or label
        (the placer's boxes: the steps' names' grown by WS_NAME_CLEAR), else beside the gap:
        past the last unit and the time axis, past the first unit, or above the gap's
        middle."""
        c = self.chain
        size = WS_LABEL_SIZE if self.view.K <= 5 else WS_CROWDED_SIZE
        label = MathTex("W_s", font_size=size, color=HIGHLIGHT)
        # a dark box under it: the links it stands beside are drawn in colours like its own
        box = BackgroundRectangle(label, color=OUTLINE, fill_opacity=WS_BOX_OPACITY, buff=0.06)
        tag = VGroup(box, label)
        self.ws_names.append(label)
        self.face(box, label)  # placed as it is drawn, facing the camera
        n = len(self.view.units)
        ends = [
            (c.hidden[k].neurons[j].get_center() + c.hidden[k + 1].neurons[j].get_center()) / 2
            for j in (-1, 0, n // 2, n // 4, 3 * n // 4)
        ]
        side = WS_LABEL_GAP + label.width / 2
        spots = [
            *ends[2:],
            ends[0] + RIGHT * side,
            ends[1] + LEFT * side,
            ends[2] + OUT * 0.4,
            ends[0] + RIGHT * (side + 0.4),
            ends[1] + LEFT * (side + 0.4),
            ends[2] + OUT * 0.7,
            ends[2] + IN * 0.5,
        ]
        # one W_s always shows (the captions name it); the others only where they stand clear
        if placer.try_spots(tag, spots) or k == 0:
            placer.keep_off(tag)
        else:
            hide(tag)
        return tag

    def note_between_legends(self, words: str) -> VMobject:
        """The words at SHARED_SIZE on as few lines as fit between the two legends (scaled
        down to 12 px would be too small to read)."""
        length = ems(words) if self.lang == "zh" else len(words)
        for lines in range(1, 4):
            width = math.ceil(length / lines) + (1 if self.lang == "zh" else 4)
            note = text(wrap(words, self.lang, width), SHARED_SIZE, HIGHLIGHT, self.lang)
            if note.width <= SHARED_WIDTH:
                break
        return note

    def weights_are_shared(self) -> None:
        H, K = self.view.story.model.hidden_size, self.view.K
        shared = "label_shared" if K > 2 else "label_shared_one"
        words = self.words(shared, n=H, count=H * H, gaps=K - 1)
        note = one_path(self.note_between_legends(words).to_edge(UP, buff=TOP_BUFF))
        self.pin(note)
        self.say(
            "r4_shared",
            vanish(self.selfs, run_time=WRITE),
            Create(self.dense, run_time=WRITE),
            appear(note, run_time=WRITE),
        )
        # last in the scene's list, they are all that is redrawn (else the links, after them,
        # were drawn again over the still neurons and boxes); each about its own centre
        # (about the group's, they swelled out of their boxes), not their boxes
        self.add(self.ws_labels)
        self.play(
            *(Indicate(name, color=HIGHLIGHT, scale_factor=1.2) for name in self.ws_names),
            run_time=WRITE,
        )
        self.wait(4.1)
        self.play(vanish(note), run_time=FADE)
