"""The colour scales and the geometry of the building blocks."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("manim")

from manim import DOWN, UP, ManimColor, ThreeDScene, VGroup, tempconfig  # noqa: E402

from scenes.animations import vanish  # noqa: E402
from scenes.blocks import BlockScene, Caption  # noqa: E402
from scenes.colors import NEGATIVE, NEUTRAL, POSITIVE, VIRIDIS, diverging, sequential  # noqa: E402
from scenes.linebreak import wrap  # noqa: E402
from scenes.links import DenseLinks, Links, SelfLinks  # noqa: E402
from scenes.neurons import NeuronLayer  # noqa: E402


def rgb(c: ManimColor) -> np.ndarray:
    return ManimColor(c).to_rgb()


def test_diverging_ends_middle_and_clipping() -> None:
    assert np.allclose(rgb(diverging(-1)), rgb(NEGATIVE))
    assert np.allclose(rgb(diverging(0)), rgb(NEUTRAL))
    assert np.allclose(rgb(diverging(1)), rgb(POSITIVE))
    assert np.allclose(rgb(diverging(7)), rgb(POSITIVE))
    assert np.allclose(rgb(diverging(0.5)), (rgb(NEUTRAL) + rgb(POSITIVE)) / 2, atol=1 / 255)
    assert np.allclose(
        rgb(diverging(-0.25)), 0.75 * rgb(NEUTRAL) + 0.25 * rgb(NEGATIVE), atol=1 / 255
    )


def test_sequential_follows_the_viridis_stops() -> None:
    for k, stop in enumerate(VIRIDIS):
        assert np.allclose(rgb(sequential(k / 4)), rgb(stop), atol=1 / 255)
    assert np.allclose(
        rgb(sequential(0.125)), (rgb(VIRIDIS[0]) + rgb(VIRIDIS[1])) / 2, atol=1 / 255
    )
    assert np.allclose(rgb(sequential(-3)), rgb(VIRIDIS[0]))


def test_scales_stay_visible_on_black() -> None:
    for v in np.linspace(-1, 1, 21):
        assert rgb(diverging(v)).max() > 0.3
    for v in np.linspace(0, 1, 21):
        assert rgb(sequential(v)).max() > 0.3


def test_layer_colours_its_neurons_by_value() -> None:
    values = [-0.9, 0.0, 0.4]
    layer = NeuronLayer(3, values)
    for neuron, v in zip(layer.neurons, values, strict=True):
        assert np.allclose(rgb(neuron.get_fill_color()), rgb(diverging(v)), atol=1 / 255)
    layer.set_values([1, 1, 1])
    assert np.allclose(rgb(layer.neurons[1].get_fill_color()), rgb(POSITIVE), atol=1 / 255)


def test_links_are_binned_by_weight() -> None:
    a, b = NeuronLayer(3), NeuronLayer(2)
    w = np.array([[0.8, -0.8, 0.0], [0.4, 0.1, -0.2]])  # b x a, as PyTorch stores it
    dense = DenseLinks(a, b, w)
    assert len(dense.pairs) == 6
    # levels: w / 0.8 rounded to quarters
    level = dict(zip(dense.pairs, dense.levels, strict=True))
    half = (Links.BINS - 1) // 2
    assert level[(0, 0)] == half and level[(1, 0)] == -half and level[(2, 0)] == 0
    assert level[(0, 1)] == round(0.5 * half) and level[(2, 1)] == round(-0.25 * half)
    assert len(dense.submobjects) == len(set(dense.levels))  # one path per level
    path = dense.paths[half]
    assert np.allclose(rgb(path.get_stroke_color()), rgb(diverging(1.0)), atol=1 / 255)
    selfs = SelfLinks(a, NeuronLayer(3), [0.5, -0.5, 0.25])
    assert selfs.pairs == [(0, 0), (1, 1), (2, 2)]


def test_caption_wraps_to_fit_the_frame() -> None:
    long = "word " * 60
    cap = Caption(long)
    assert cap.width < 14.2 and cap.get_bottom()[1] > -4.0
    assert all(len(line) <= 26 for line in wrap("汉" * 60, "zh", 26).split("\n"))


class _Scene(BlockScene, ThreeDScene):
    pass


def test_playing_links_keeps_every_layer_in_the_scene(tmp_path) -> None:
    """A play that animates links while Manim breaks up the group holding their layers (here:
    recolouring neurons of one layer, fading the links out) leaves every layer shown, drawn
    from the same list, as when the shot is skipped (a regression: x_t vanished in L2)."""
    options = {
        "pixel_width": 160,
        "pixel_height": 90,
        "frame_rate": 5,
        "disable_caching": True,
        "write_to_movie": False,
        "media_dir": str(tmp_path),
        "verbosity": "ERROR",
        "progress_bar": "none",
    }
    with tempconfig(options):
        scene = _Scene()
        a, b = NeuronLayer(3, center=DOWN), NeuronLayer(3, center=UP)
        links = DenseLinks(a, b, np.ones((3, 3)))
        chain = VGroup(a, b)
        scene.add(chain, links)
        scene.play(b.fill([0.5, -0.5, 0.9]), vanish(links), run_time=0.4)
        shown = scene.get_mobject_family_members()
        assert all(n in shown for n in [*a.neurons, *b.neurons])
        assert links not in shown
        assert len(shown) == len(set(shown))  # nothing twice


def test_pasted_texts_are_drawn_as_they_are_now(monkeypatch) -> None:
    """DepthCamera pastes a big fixed text from an image made once; after a shift, a recolour
    or a fade the frame is still what drawing it directly gives."""
    from manim import RIGHT, Text

    from scenes.camera import DepthCamera
    from scenes.colors import one_path

    def frame(text, cached: bool) -> np.ndarray:
        if not cached:
            monkeypatch.setattr(DepthCamera, "_is_flat_text", lambda self, m: False)
        camera.reset()
        camera.capture_mobjects([text])
        monkeypatch.undo()
        return np.asarray(camera.get_image().convert("RGB")).astype(int)

    camera = DepthCamera()
    text = one_path(Text("a caption, long enough", font_size=30, color="#FFAA00"))
    camera.add_fixed_in_frame_mobjects(text)
    for change in (
        lambda: None,
        lambda: text.shift(RIGHT * 0.37),
        lambda: text.set_fill("#00CCFF"),
        lambda: text.set_fill(opacity=0.4),
    ):
        change()
        pasted, drawn = frame(text, True), frame(text, False)
        assert pasted.max() > 40  # something is drawn
        assert np.abs(pasted - drawn).max() <= 1


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_line_of_subscripted_words_keeps_its_leading_spaces(lang: str) -> None:
    """A text with subscripts is set line by line; a line's leading spaces indent it as a
    Text indents it (R5's x_t = (...) went on, on its second line, at the first's left)."""
    from manim import Text

    from scenes.blocks import text
    from scenes.layout import font_for

    words = "xₜ = (+7.21, +61.69,\n       +253.75)"
    drawn = text(words, 22, lang=lang)
    plain = Text(words.replace("ₜ", "t"), font_size=22, font=font_for(lang))
    second = len(words.split("\n")[0].replace(" ", ""))  # the second line's first glyph
    indent = drawn[1].get_left()[0] - drawn[0].get_left()[0]
    assert indent == pytest.approx(plain[second].get_left()[0] - plain.get_left()[0], abs=0.05)
    assert indent > 0.3  # not the first line's left
