"""The LSTM part on screen: every shot builds and renders; the diary, the diagram and the
training replay show the trace's own numbers."""

from __future__ import annotations

import logging
from unittest.mock import patch

import numpy as np
import pytest

pytest.importorskip("manim")

from manim import ORIGIN, UP, Square, VGroup, config  # noqa: E402

from rnncore import forward, init_model  # noqa: E402
from rnncore.data import text_data  # noqa: E402
from scenes.camera import DepthCamera  # noqa: E402
from scenes.colors import diverging, sequential  # noqa: E402
from scenes.lstm_diagram import OP_R, PART_NAMES, ClassicLSTMDiagram  # noqa: E402
from scenes.lstm_part import LSTMPart  # noqa: E402
from scenes.lstm_tools import (  # noqa: E402
    FADED_NUMBER_OPACITY,
    FADED_OPACITY,
    FORGET_THRESHOLD,
    Diary,
    forgotten,
    written,
)
from scenes.neurons import CellGrid  # noqa: E402
from scenes.panels import Readout  # noqa: E402
from scenes.settings import Settings  # noqa: E402
from scenes.story import erasing_step, load_story, zoom_step  # noqa: E402
from tests.scene_helpers import render_last_frame, render_shots  # noqa: E402

SHOTS = ["L1", "L2", "L3", "L4", "L5", "L6"]


def drawn_opacity(entry) -> float:
    """The fill opacity of a diary entry's swatch; its number stays readable on the page
    (at least FADED_NUMBER_OPACITY: at the swatch's faded opacity it read as pale grey)."""
    numbers = {
        round(float(m.get_fill_opacity()), 6) for m in entry[2].get_family() if m.has_points()
    }
    assert min(numbers) >= FADED_NUMBER_OPACITY, numbers
    return round(float(entry[1].get_fill_opacity()), 6)


@pytest.fixture(scope="module")
def part(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    """The whole part played once (animations skipped): per shot, its last frame and what the
    tests check of the scene at that moment (later shots change the scene)."""
    ends: dict[str, dict] = {}

    def on_shot_end(shot: str, frame: np.ndarray, scene: LSTMPart) -> None:
        body = scene.caption.body
        end = {
            "frame": frame,
            "caption": (body.get_bottom()[1], body.get_top()[1], body.width),
            "words": scene.caption.text,
        }
        if shot == "L3":
            end["faded"] = list(scene.diary.faded)
            end["opacity"] = [drawn_opacity(e) for e in scene.diary.entries]
            end["values"] = scene.diary.values.copy()
        if shot == "L5":
            on_screen = set(scene.get_mobject_family_members())
            end["parts"] = {
                name: set(p.get_family()) <= on_screen for name, p in scene.diagram.parts.items()
            }
            end["fills"] = {
                name: scene.diagram.parts[name][0].get_fill_color().to_rgb()
                for name in ("forget_gate", "input_gate", "candidate_gate", "output_gate")
            }
        ends[shot] = end

    # Manim's warnings, which a render prints whatever its verbosity (recorded, not shown)
    with patch.object(logging.getLogger("manim"), "warning") as warned:
        scene = render_shots(LSTMPart, Settings(), tmp_path_factory.mktemp("media"), on_shot_end)
    ends["scene"] = {"scene": scene, "warnings": [c.args for c in warned.call_args_list]}
    return ends


@pytest.mark.parametrize("shot", SHOTS)
def test_every_shot_renders(shot: str, part: dict[str, dict]) -> None:
    frame = part[shot]["frame"]
    assert frame.shape == (180, 320, 3)
    assert (frame.max(axis=2) > 60).mean() > 0.02  # something bright is drawn
    bottom, top, width = part[shot]["caption"]
    assert bottom > -4 and top < 4 and width < 14.2


def test_the_part_plays_without_manim_warnings(part: dict[str, dict]) -> None:
    """A user sees every warning Manim logs (L3 grouped a cached legend twice: "Attempted
    adding some Mobject as a child more than once")."""
    assert part["scene"]["warnings"] == []


def test_a_shot_after_l4_skips_the_closeup_and_ends_as_in_the_whole_part(
    part: dict[str, dict], tmp_path
) -> None:
    """Rendering L5 alone, the close-up L3 opens and L4 removes is never seen: not built, and
    L5 ends on the same frame as when the whole part plays."""
    frame, scene = render_last_frame(LSTMPart, Settings(shot="L5"), tmp_path)
    assert not hasattr(scene, "diary")
    assert np.array_equal(frame, part["L5"]["frame"])


def test_erasing_step_is_where_the_forget_gate_removes_most() -> None:
    d = text_data("hello world")
    model = init_model("lstm", len(d.vocab), 6, 1, len(d.vocab), seed=3, vocab=d.vocab)
    tr = forward(model, d.x)
    window = range(2, 8)
    removed = []
    for t in window:  # written out step by step, independently of the vectorised version
        c_prev = tr.top.c0 if t == 0 else tr.c[t - 1]
        removed.append(sum((1 - tr.f[t, j]) * abs(c_prev[j]) for j in range(6)))
    assert erasing_step(tr, window) == window[int(np.argmax(removed))]


def test_zoom_step_defaults_to_the_erasing_step_and_checks_the_window() -> None:
    story = load_story("lstm", Settings())
    assert zoom_step(story, Settings()) == erasing_step(story.trace, story.window)
    assert zoom_step(story, Settings(step=story.window.start)) == story.window.start
    from rnncore import RnnError

    with pytest.raises(RnnError, match="outside the drawn window"):
        zoom_step(story, Settings(step=story.window.stop))


def test_diary_fades_exactly_the_forgotten_rows() -> None:
    c_prev = np.array([0.5, -0.8, 0.3, 0.9, -0.2])
    f = np.array([0.9, FORGET_THRESHOLD - 1e-6, FORGET_THRESHOLD, 0.02, 0.7])
    ig = np.array([0.0, 0.0, 0.3, 0.05, -0.4])
    diary = Diary(c_prev, range(5), diverging)
    diary.erase(f)
    assert diary.faded == [1, 3]
    assert np.allclose(diary.values, f * c_prev)
    diary.write(ig)
    assert diary.fresh == [2, 4]
    assert np.allclose(diary.values, f * c_prev + ig)


def test_l3_faded_entries_are_those_below_the_forget_threshold(part: dict[str, dict]) -> None:
    story = load_story("lstm", Settings())
    t = zoom_step(story, Settings())
    f = story.trace.f[t][story.units]
    ig = (story.trace.i[t] * story.trace.g[t])[story.units]
    end = part["L3"]
    assert end["faded"] == [int(j) for j in np.flatnonzero(f < FORGET_THRESHOLD)]
    assert end["faded"], "the default step erases something"
    # on screen: wiped rows the pencil did not rewrite are faint, every other row is full ink
    for j, opacity in enumerate(end["opacity"]):
        faint = forgotten(f)[j] and not written(ig)[j]
        assert opacity == pytest.approx(FADED_OPACITY if faint else 1.0)
    # the diary now holds c_t, the trace's own cell state
    assert np.allclose(end["values"], story.trace.c[t][story.units])


def test_l5_ends_on_the_classic_diagram_with_the_step_gate_colours(part: dict[str, dict]) -> None:
    end = part["L5"]
    assert set(PART_NAMES) <= set(end["parts"])
    assert all(end["parts"][name] for name in PART_NAMES), end["parts"]
    story = load_story("lstm", Settings())
    t, u = zoom_step(story, Settings()), story.units
    tr = story.trace
    for name, values, paint in (
        ("forget_gate", tr.f, sequential),
        ("input_gate", tr.i, sequential),
        ("candidate_gate", tr.g, diverging),
        ("output_gate", tr.o, sequential),
    ):
        want = paint(float(values[t][u].mean())).to_rgb()
        assert np.allclose(end["fills"][name], want, atol=1e-6), name


def test_diagram_follows_the_textbook_layout() -> None:
    d = ClassicLSTMDiagram(0.2, 0.7, -0.5, 0.9, sequential, diverging)
    p = d.parts
    y = {n: p[n].get_center()[1] for n in PART_NAMES}
    x = {n: p[n].get_center()[0] for n in PART_NAMES}
    # the cell-state line on top, the four layer boxes in one row below it, f i g o left to right
    assert y["cell_line"] > y["forget_gate"]
    gates = ["forget_gate", "input_gate", "candidate_gate", "output_gate"]
    assert len({round(y[g], 6) for g in gates}) == 1
    assert [x[g] for g in gates] == sorted(x[g] for g in gates)
    # x and + sit on the cell line; h_t leaves right and up
    for op in ("multiply_forget", "add_input"):
        assert y[op] == pytest.approx(y["cell_line"])
    assert x["multiply_forget"] < x["add_input"]
    assert p["h_up"].get_top()[1] > p["cell_line"].get_center()[1]
    assert p["h_out"].get_right()[0] == pytest.approx(p["cell_line"].get_right()[0])


def test_cell_line_stops_at_the_operator_rings() -> None:
    """Drawn through the x and the + on it, the line hid them (the + read as "|")."""
    p = ClassicLSTMDiagram(0.2, 0.7, -0.5, 0.9, sequential, diverging).parts
    line = np.vstack([m.points for m in p["cell_line"].family_members_with_points()])
    for op in ("multiply_forget", "add_input"):
        gaps = np.linalg.norm(line[:, :2] - p[op].get_center()[:2], axis=1)
        assert gaps.min() >= OP_R - 1e-6, op


def test_l1_caption_states_the_measured_fade(part: dict[str, dict]) -> None:
    view = part["scene"]["scene"].view
    fade, words = view.fade, part["L1"]["words"]
    assert len(view.sensitivity) == view.K - 1  # no bar at T: the identity there, sqrt(H)
    assert fade.back == view.start + view.K - 1 and fade.kind in ("fades", "flat")
    assert f"{fade.near:.2f}" in words
    if fade.kind == "flat":
        assert f"{fade.fields['share']:.0%}" in words and "not fade" in words
    else:
        assert str(fade.fields["far"]) in words


def test_readout_shows_new_numbers_in_place() -> None:
    r = Readout("step {step} of {steps}   loss {loss:.3f}", "en", step=1, steps=300, loss=1.5)
    left = r.get_left()
    r.set_values(step=120, loss=0.0125)
    assert r.numbers["step"].get_value() == 120 and r.numbers["steps"].get_value() == 300
    assert r.numbers["loss"].get_value() == pytest.approx(0.0125)
    assert r.numbers["loss"].num_decimal_places == 3
    assert np.allclose(r.get_left(), left)
    parts = r.submobjects  # words and numbers left to right, none overlapping
    pairs = zip(parts[:-1], parts[1:], strict=True)
    assert all(a.get_right()[0] < b.get_left()[0] for a, b in pairs)


def test_readout_digits_stand_on_the_words_baseline_in_their_face() -> None:
    """L6's "training step 300 of 300   loss 0.0007": the digits are the words' font (as the
    axis's tick numbers are), on the line the words stand on (centred on words with
    descenders, they stood lower)."""
    from scenes.blocks import text
    from scenes.training_replay import tick_number

    r = Readout(
        "training step {step} of {steps}   loss {loss:.4f}", "en", step=3, steps=300, loss=0.5
    )
    words = text("training step 3", 22)  # the 3 as the words' own line sets it
    rise = words[-1].get_bottom()[1] - VGroup(*words[:-1]).get_bottom()[1]
    number = r.numbers["step"]
    assert number.get_bottom()[1] == pytest.approx(r[0].get_bottom()[1] + rise, abs=0.005)
    bottoms = [n.get_bottom()[1] for n in r.numbers.values()]
    assert bottoms == pytest.approx([bottoms[0]] * 3)
    three = words[-1].points - words[-1].get_center()
    assert number[0].points - number[0].get_center() == pytest.approx(three, abs=1e-6)
    tick, drawn = tick_number("300", "en"), text("300", 20)
    assert tick.points - tick.get_center() == pytest.approx(
        np.vstack([g.points for g in drawn]) - drawn.get_center(), abs=1e-6
    )


def test_cell_grid_paints_every_cell_its_colour_at_its_place() -> None:
    """The grid is one mobject that DepthCamera fills cell by cell: render it and look."""
    values = np.random.default_rng(0).random((4, 3))  # (steps, units)
    grid = CellGrid(values, 0.8).move_to(ORIGIN)
    before = Square(1.0, fill_color="#FFFFFF", fill_opacity=1).move_to(UP * 3)  # drawn first
    camera = DepthCamera()
    camera.add_fixed_in_frame_mobjects(before, grid)
    camera.capture_mobjects([before, grid])
    frame = camera.get_image().convert("RGB")
    assert frame.getpixel(
        (frame.width // 2, frame.height // 2 - int(3 / config.frame_height * frame.height))
    ) == (255, 255, 255)  # the grid's cells are not painted into what came before it
    for t, j in np.ndindex(*values.shape):
        x, y = (
            (grid.cell(t, j) + np.array([config.frame_width / 2, config.frame_height / 2, 0]))[:2]
            / config.frame_width
            * frame.width
        )
        pixel = np.array(frame.getpixel((int(x), int(frame.height - y)))) / 255
        assert np.abs(pixel - sequential(values[t, j]).to_rgb()).max() < 2 / 255


def test_a_wide_lstm_says_which_units_it_draws(tmp_path) -> None:
    """With more than 8 hidden units only the 8 most active are drawn, and the part says so
    ("8 of 24 units shown") from L1, where the units are first drawn, under the left legend
    till L4, and under L6's grids; L5's textbook cell shows no units, nor the note."""
    from rnncore.weights import save_model
    from tests.layout_items import VISIBLE, opacity
    from tests.scene_helpers import run_shots

    vocab = text_data("hello").vocab
    model = init_model("lstm", len(vocab), 24, 1, len(vocab), seed=1, vocab=vocab)
    weights = save_model(model, tmp_path / "wide.safetensors")
    note = "8 of 24 units shown"
    shown: dict[str, list[str]] = {}

    def on_shot_end(shot: str, scene) -> None:
        on_screen = scene.get_mobject_family_members()
        shown[shot] = [
            m.original_text
            for m in on_screen
            if getattr(m, "original_text", None) == note and opacity(m) >= VISIBLE
        ]
        if shot == "L1":  # under the left legend, flush with its left edge
            (drawn,) = scene.units_notes
            legend = scene.states_legend
            assert drawn.get_top()[1] < legend.get_bottom()[1]
            assert np.isclose(drawn.get_left()[0], legend.get_left()[0])

    run_shots(LSTMPart, Settings(weights=str(weights)), tmp_path / "media", on_shot_end)
    assert {shot: len(found) for shot, found in shown.items()} == {
        "L1": 1,
        "L2": 1,
        "L3": 1,
        "L4": 1,
        "L5": 0,
        "L6": 1,
    }


def test_the_default_model_draws_all_its_units_and_says_nothing_of_it(
    part: dict[str, dict],
) -> None:
    assert part["scene"]["scene"].units_notes == []
