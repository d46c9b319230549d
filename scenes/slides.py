"""The two parts as manim-slides presentations: one slide per beat of a shot.

RNNSlides and LSTMSlides are the parts' scenes that are also manim-slides' ThreeDSlide. Every
shot starts a slide, and so does every caption (PartScene.beat), with the caption as the
slide's speaker notes. `rnn3d slides` renders them and converts them to html, pptx or pdf;
manim-slides' own tools take them as they are (the RNN3D_* variables choose data, window,
language and shot, as for the parts):

    manim-slides render scenes/slides.py RNNSlides
    manim-slides present RNNSlides
"""

from __future__ import annotations

from manim import DefaultSectionType
from manim_slides.slide.manim import ThreeDSlide  # the Manim (not ManimGL) backend

from scenes.lstm_part import LSTMPart
from scenes.rnn_part import RNNPart
from scenes.shots import find_shot


class PartSlides(ThreeDSlide):
    """What turns a part into slides; listed before the part in a slide class's bases, so
    that its beat() and next_section() are the ones called."""

    # A reversed copy of every slide costs as much as encoding it again, and only
    # `manim-slides present` plays it (stepping backwards then jumps instead of rewinding).
    skip_reversing = True

    def setup(self) -> None:
        super().setup()
        self._words = ""  # the caption of the beat being drawn

    def beat(self, words: str) -> None:
        self._words = words
        self.next_slide(notes=words)

    def next_section(
        self,
        name: str = "unnamed",
        section_type: str = DefaultSectionType.NORMAL,
        skip_animations: bool = False,
        **kwargs,
    ) -> None:
        """A shot begins: a new slide, whose notes are the words still on screen (or the
        shot's title, when it is rendered alone and does not begin with a caption)."""
        shot = find_shot(name)
        notes = self._words or (shot.title if shot else "")
        super().next_section(
            name, section_type, skip_animations=skip_animations, notes=notes, **kwargs
        )


class RNNSlides(PartSlides, RNNPart):
    """Part 1, the RNN, one slide per beat."""


class LSTMSlides(PartSlides, LSTMPart):
    """Part 2, the LSTM, one slide per beat."""
