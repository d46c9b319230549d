"""The RNN part on screen: every shot builds and renders, and the pixels mean what they should."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("manim")

from scenes.blocks import text  # noqa: E402
from scenes.captions import caption_text  # noqa: E402
from scenes.colors import diverging, sequential  # noqa: E402
from scenes.layout import TABLE_TEXT  # noqa: E402
from scenes.neurons import Neuron  # noqa: E402
from scenes.panels import (  # noqa: E402
    inputs_word,
    number_panel,
    prediction_row_names,
    step_table,
)
from scenes.rnn_part import RNNPart  # noqa: E402
from scenes.settings import Settings  # noqa: E402
from scenes.story import load_story  # noqa: E402
from scenes.story_rnn import RNNView  # noqa: E402
from tests.scene_helpers import pixel_rgb, render_last_frame, render_shots  # noqa: E402

TOL = 0.05  # colour tolerance (0..1): the sheen gradient changes ~0.03 per pixel at 640 px


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Manim's LaTeX and text caches, shared by the renders of this module (formulas compile
    once). Not shared between runs: manim writes its cache files in place, so processes
    sharing one directory can read each other's half-written files."""
    return tmp_path_factory.mktemp("media")


def probe(frame, scene, neuron: Neuron, color) -> tuple[np.ndarray, np.ndarray]:
    """(the colour drawn at a neuron's centre, the colour its value should have there)"""
    return pixel_rgb(frame, scene, neuron), Neuron.centre_rgb(color)


@pytest.fixture(scope="module")
def part(media: Path) -> dict:
    """One run of the whole part with the defaults: every shot's last frame and, where the
    meaning of a pixel is known, (drawn, expected) colour pairs taken while that shot ended."""
    story = load_story("rnn", Settings())
    t0 = story.window.start
    out: dict = {"frames": {}, "probes": {}}

    def on_shot_end(shot: str, frame: np.ndarray, scene) -> None:
        out["frames"][shot] = frame
        probes = []
        if shot == "R1":
            for neuron, unit in zip(scene.s.neurons, story.units, strict=True):
                probes.append(probe(frame, scene, neuron, diverging(story.trace.h[t0, unit])))
            # the input neuron of the first character is fully on, the others off
            first = story.trace.vocab.index(story.labels[t0])
            for neuron, unit in zip(scene.x.neurons, scene.view.in_units, strict=True):
                probes.append(probe(frame, scene, neuron, sequential(float(unit == first))))
        if shot in ("R3", "R6"):  # each copy of the hidden layer has its own state
            assert len(scene.chain.hidden) == len(story.window)
            for k, layer in enumerate(scene.chain.hidden):
                for neuron, unit in zip(layer.neurons, story.units, strict=True):
                    state = story.trace.h[t0 + k, unit]
                    probes.append(probe(frame, scene, neuron, diverging(state)))
        out["probes"][shot] = probes
        out["caption", shot] = (scene.caption.get_bottom()[1], scene.caption.width)

    out["scene"] = render_shots(RNNPart, Settings(), media, on_shot_end, 640, 360)
    return out


@pytest.mark.parametrize("shot", ["R1", "R2", "R3", "R4", "R5", "R6"])
def test_every_shot_renders(shot: str, part: dict) -> None:
    frame = part["frames"][shot]
    assert frame.shape == (360, 640, 3)
    assert (frame.max(axis=2) > 60).mean() > 0.02  # something bright is drawn
    bottom, width = part["caption", shot]
    assert bottom > -4 and width < 14.2  # the caption is inside the frame


@pytest.mark.parametrize("shot", ["R1", "R3", "R6"])
def test_neurons_have_the_scale_colour_of_their_value(shot: str, part: dict) -> None:
    probes = part["probes"][shot]
    assert len(probes) >= 8
    for got, want in probes:
        assert np.abs(got - want).max() < TOL, (got, want)


def test_shot_alone_starts_where_the_part_left_it(part: dict, media: Path) -> None:
    frame, _ = render_last_frame(RNNPart, Settings(shot="R4"), media, 640, 360)
    assert np.abs(frame.astype(int) - part["frames"]["R4"].astype(int)).max() <= 2


def test_two_texts_give_different_frames(media: Path) -> None:
    a, _ = render_last_frame(RNNPart, Settings(shot="R1"), media)
    b, scene = render_last_frame(RNNPart, Settings(shot="R1", text="abcabd"), media)
    assert scene.view.story.trace.vocab == ["a", "b", "c", "d"]
    assert np.abs(a.astype(int) - b.astype(int)).mean() > 1.0


def test_chinese_captions_render(part: dict, media: Path) -> None:
    manimpango = pytest.importorskip("manimpango")
    assert "Noto Sans CJK SC" in manimpango.list_fonts()
    en = part["frames"]["R2"]
    zh, scene = render_last_frame(RNNPart, Settings(shot="R2", lang="zh"), media, 640, 360)
    assert scene.caption.text == caption_text("r2_time", "zh")
    band = slice(int(360 * 0.85), 360)  # the caption's rows at the bottom of the frame
    assert (zh[band].max(axis=2) > 200).sum() > 300  # white glyphs were drawn
    assert np.abs(en[band].astype(int) - zh[band].astype(int)).mean() > 1.0


def test_a_wide_model_draws_its_most_active_units(media: Path, tmp_path: Path) -> None:
    import json

    from rnncore import init_model

    model = init_model("rnn", 4, 16, 1, 4, seed=3, vocab=list("helo"))
    path = tmp_path / "wide.npz"
    np.savez(path, **model.params, __meta__=np.array(json.dumps({"vocab": list("helo")})))
    frame, scene = render_last_frame(
        RNNPart, Settings(shot="R1", weights=str(path)), media, 640, 360
    )
    story = scene.view.story
    assert len(scene.s.neurons) == 8 and story.units_note == "8 of 16 units shown"
    assert any(getattr(m, "original_text", "") == "8 of 16 units shown" for m in scene.legend)
    t0 = story.window.start
    for neuron, unit in zip(scene.s.neurons, story.units, strict=True):
        got, want = probe(frame, scene, neuron, diverging(story.trace.h[t0, unit]))
        assert np.abs(got - want).max() < TOL


def test_numeric_data_and_a_one_step_window(media: Path, tmp_path: Path) -> None:
    path = tmp_path / "wave.csv"
    np.savetxt(path, np.sin(np.arange(12) / 2)[:, None], delimiter=",")
    frame, scene = render_last_frame(RNNPart, Settings(data=str(path), steps="3:7"), media)
    assert len(scene.chain.hidden) == 4 and not scene.view.is_text
    assert (frame.max(axis=2) > 60).mean() > 0.02
    frame, scene = render_last_frame(RNNPart, Settings(shot="R5", steps="2:3"), media)
    assert len(scene.chain.hidden) == 1 and scene.view.step_number(0) == 2


@pytest.mark.usefixtures("private_cache")
def test_r6_names_the_prediction_after_the_feature_it_predicts(tmp_path: Path) -> None:
    """rnn3d's own model predicts each next row: R6's prediction row is the next value of
    the first feature, named so in either language, and in the turned table its name is cut
    as its input's head is (the word next has room of its own)."""
    path = tmp_path / "weather.csv"
    t = np.arange(40)
    series = np.stack([np.sin(t / 5), np.cos(t / 7)], axis=1)
    header = "outdoor_temperature_celsius,wind"
    np.savetxt(path, series, delimiter=",", header=header, comments="", fmt="%.4f")
    view = RNNView.load(Settings(data=str(path), steps="20:28"))
    assert prediction_row_names(view, "en") == ["next outdoor_temperature_celsius"]
    assert prediction_row_names(view, "zh") == ["下一步outdoor_temperature_celsius"]
    for lang in ("en", "zh"):
        heads = step_table(view, lang)[0][0]  # t, the inputs' heads, the prediction's, words
        first, predicted = heads[1], heads[3]

        def width(s: str, lang: str = lang) -> float:
            return text(s, TABLE_TEXT, lang=lang).width

        word = width(caption_text("label_next", lang, name="x")) - width("x")
        assert predicted.width == pytest.approx(first.width + word, abs=0.05), lang


@pytest.mark.usefixtures("private_cache")
def test_r6_says_when_its_table_leaves_features_out(tmp_path: Path) -> None:
    """R6's turned table lists the first three features; with six, the word over them says
    so (in either language), with three it is the plain word."""
    t = np.arange(40)
    for columns, want in ((6, ["input, 3 of 6", "输入（6个中的3个）"]), (3, ["input", "输入"])):
        path = tmp_path / f"six{columns}.csv"
        series = np.stack([np.sin(t / (k + 3)) for k in range(columns)], axis=1)
        header = ",".join(f"feature_{k}" for k in range(columns))
        np.savetxt(path, series, delimiter=",", header=header, comments="", fmt="%.4f")
        view = RNNView.load(Settings(data=str(path), steps="20:28"))
        assert [inputs_word(view, lang) for lang in ("en", "zh")] == want


def test_r5_shows_the_input_and_memory_shares_of_one_real_step(part: dict) -> None:
    """The panel's columns, recomputed here from the weights alone: S_{t-1}, W_in x_t + b with
    the formula's one b = b_in + b_s, W_s S_{t-1} (the new term) and S_t = tanh of their sum,
    for the drawn units; one
    row of numbers (and a disc beside each state) per drawn unit."""
    scene = part["scene"]
    story, k = scene.view.story, 1
    t = story.window.start + k
    W_ih, W_hh, b_ih, b_hh = story.model.layer(0)
    x_t, s_prev = story.trace.x[t], story.trace.h[t - 1]
    units = story.units
    want = [
        s_prev[units],
        (W_ih @ x_t + b_ih + b_hh)[units],
        (W_hh @ s_prev)[units],
        np.tanh(W_ih @ x_t + b_ih + W_hh @ s_prev + b_hh)[units],
    ]
    for column, values in zip(scene.view.panel_columns(k), want, strict=True):
        assert np.allclose(column, values, atol=1e-9)
    table = number_panel(scene.view, k)[1]
    assert len(table) == 4
    assert [len(col[-1]) for col in table[::3]] == [len(units)] * 2  # the discs


def test_r6_draws_a_bare_char_state_dict_as_trace_reads_it(media: Path) -> None:
    """A character RNN saved as a plain state dict (no vocabulary): R6's table of predictions
    used to index an empty vocabulary. It renders, in the order given by --vocab."""
    fixtures = Path(__file__).parent / "fixtures"
    with np.load(fixtures / "char_rnn_sorted.npz", allow_pickle=False) as ref:
        text, vocab = str(ref["text"]), "".join(ref["vocab"].tolist())
    weights = str(fixtures / "char_rnn_sorted.safetensors")
    frame, scene = render_last_frame(
        RNNPart, Settings(shot="R6", text=text, weights=weights, steps="60:68"), media
    )
    assert scene.view.vocab == list(dict.fromkeys(text))  # assumed ...
    assert scene.view.story.notes  # ... and said
    frame, scene = render_last_frame(
        RNNPart, Settings(shot="R6", text=text, weights=weights, vocab=vocab, steps="60:68"), media
    )
    assert scene.view.vocab == list(vocab) and scene.view.story.notes == []
    # with the model's own order it predicts the sentence: every next character is its best
    targets = [scene.view.vocab[int(t)] for t in scene.view.story.targets[60:68]]
    assert [scene.view.vocab[b] for b in scene.view.best] == targets
    assert (frame.max(axis=2) > 60).mean() > 0.02


def test_a_text_model_whose_head_predicts_something_else_renders(
    media: Path, tmp_path: Path
) -> None:
    """trace accepts a head of any size on text; R6 then names the most likely output y1, y2."""
    from rnncore import init_model

    path = tmp_path / "classes.npz"
    np.savez(path, **init_model("rnn", 4, 5, 1, 2, seed=1).params)  # 2 classes, no vocabulary
    frame, scene = render_last_frame(RNNPart, Settings(shot="R6", weights=str(path)), media)
    assert not scene.view.predicts_text and scene.view.out_names == ["y1", "y2"]
    assert scene.view.inset_rows()[1][0] in ("y1", "y2")
