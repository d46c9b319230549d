"""Captions burned into the picture, or not: the same shot's last frame with --captions burn
and srt."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("manim")

from scenes.blocks import caption_band_height  # noqa: E402
from scenes.neurons import Neuron  # noqa: E402
from scenes.rnn_part import RNNPart  # noqa: E402
from scenes.settings import Settings  # noqa: E402
from tests.scene_helpers import pixel_rgb, render_last_frame, screen_xy  # noqa: E402

W, H = 640, 360


@pytest.fixture(scope="module")
def frames(tmp_path_factory: pytest.TempPathFactory) -> dict:
    media = tmp_path_factory.mktemp("media")
    return {
        mode: render_last_frame(RNNPart, Settings(shot="R3", captions=mode), media, W, H)
        for mode in ("burn", "srt")
    }


def caption_pixels(scene) -> tuple[slice, slice]:
    """The rows and columns of the caption's text in the frame."""
    body = scene.caption.body
    (x0, y0, _), (x1, y1, _) = body.get_corner([-1, -1, 0]), body.get_corner([1, 1, 0])
    units = H / 8  # pixels per unit: the frame is 8 units high

    def px(x: float, y: float) -> tuple[int, int]:
        return round(H / 2 - y * units), round(W / 2 + x * units)

    (top, left), (bottom, right) = px(x0, y1), px(x1, y0)
    return slice(top, bottom), slice(left, right)


def test_srt_frame_has_no_caption_where_burn_has_it(frames: dict) -> None:
    (burned, burn_scene), (clean, srt_scene) = frames["burn"], frames["srt"]
    rows, cols = caption_pixels(burn_scene)
    text = burned[rows, cols].min(axis=2) > 200  # the caption's white letters
    assert text.sum() > 500
    assert srt_scene.caption is None
    assert (clean[rows, cols][text].min(axis=1) > 200).mean() < 0.05


def test_without_the_band_the_model_takes_the_freed_space(frames: dict) -> None:
    """The chain is framed in the room over the caption band: with no band (srt) that room
    reaches the frame's foot, so the chain stands lower and no smaller than with the band."""
    (_, burn_scene), (clean, srt_scene) = frames["burn"], frames["srt"]
    shift = caption_band_height("en") / 2
    assert 0.3 < shift < 1.0

    def span(scene) -> tuple[float, float]:  # the lowest neuron centre, and the chain's width
        neurons = [n for layer in scene.chain.hidden for n in layer.neurons]
        xy = np.array([screen_xy(scene, n.get_center()) for n in neurons])
        return xy[:, 1].min(), np.ptp(xy[:, 0])

    (burn_low, burn_width), (srt_low, srt_width) = span(burn_scene), span(srt_scene)
    assert srt_low < burn_low - shift / 2
    assert srt_low > -4.0  # still inside the frame (8 units high)
    assert srt_width >= burn_width - 1e-6
    for neuron in (srt_scene.chain.hidden[0].neurons[0], srt_scene.chain.hidden[-1].neurons[0]):
        # the neuron is drawn where the camera puts it: its centre has the colour of its value
        expected = Neuron.centre_rgb(neuron.get_fill_color().to_rgb())
        assert pixel_rgb(clean, srt_scene, neuron) == pytest.approx(expected, abs=0.05)
