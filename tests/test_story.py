"""The story: which steps, units and inputs a part is drawn from."""

import numpy as np
import pytest

from rnncore import RnnError, forward, init_model
from rnncore.data import text_data
from rnncore.weights import save_model
from scenes.settings import Settings
from scenes.story import MAX_STEPS, known_window, load_story, parse_window


def test_window_default_is_the_first_steps():
    assert parse_window(None, 20) == range(MAX_STEPS)
    assert parse_window(None, 3) == range(3)
    assert parse_window("2:5", 20) == range(2, 5)
    assert parse_window("4:", 10) == range(4, 10)


def test_an_open_end_reaches_as_far_as_can_be_drawn():
    """A: is up to 8 steps from A, :B up to 8 ending at B (A: was A to the end of the
    sequence, refused as too wide for any sequence of more than A + 8 steps)."""
    assert parse_window("0:", 40) == range(0, MAX_STEPS)
    assert parse_window("30:", 42) == range(30, 38)
    assert parse_window("38:", 42) == range(38, 42)
    assert parse_window(":20", 42) == range(12, 20)
    assert parse_window(":3", 42) == range(0, 3)
    assert parse_window(":", 42) == parse_window(None, 42) == range(MAX_STEPS)


def test_steps_from_a_on_a_long_text(tmp_path):
    text = "the quick brown fox jumps over the lazy dog"
    vocab = list(dict.fromkeys(text))
    model = init_model("rnn", len(vocab), 5, 1, len(vocab), seed=0, vocab=vocab)
    path = save_model(model, tmp_path / "w.safetensors")
    story = load_story("rnn", Settings(text=text, weights=str(path), steps="30:"))
    assert story.window == range(30, 38)


def test_the_window_known_without_a_model_is_the_one_drawn(tmp_path):
    """The render cache keys on known_window: it must be the window load_story draws."""
    csv = tmp_path / "rows.csv"
    csv.write_text("".join(f"{k % 7}\n" for k in range(20)))
    text = "the quick brown fox"
    vocab = list(dict.fromkeys(text))
    text_model = init_model("rnn", len(vocab), 5, 1, len(vocab), seed=0, vocab=vocab)
    text_weights = str(save_model(text_model, tmp_path / "t.npz"))
    series_weights = str(save_model(init_model("rnn", 1, 5, 1, 1, seed=0), tmp_path / "s.npz"))
    cases = [
        Settings(steps="12:"),
        Settings(text=text, steps="12:", weights=text_weights),
        Settings(data=str(csv), steps="14:"),
        Settings(data=str(csv), steps="14:", weights=series_weights),
    ]
    for settings in cases[1:]:
        assert known_window(settings) == load_story("rnn", settings).window
    assert known_window(cases[0]) is None  # the default text is too short for 12:
    assert known_window(cases[3]) == range(14, 20)


@pytest.mark.parametrize(
    "spec, fragment",
    [
        ("3:2", "outside"),
        ("0:30", "outside"),
        ("0:12", "at most 8"),
        ("x", "not of the form A:B, A: or :B"),
        ("20:", "outside the sequence of 20 steps"),
        (":21", "outside the sequence of 20 steps"),
    ],
)
def test_bad_windows_say_what_to_do(spec, fragment):
    with pytest.raises(RnnError, match=fragment):
        parse_window(spec, 20)


def test_weights_file_vocabulary_decides_the_one_hot_inputs(tmp_path):
    # A model whose vocabulary is in another order than the text's first appearances.
    vocab = ["o", "l", "h", "e"]
    model = init_model("rnn", 4, 5, 1, 4, seed=3, vocab=vocab)
    path = save_model(model, tmp_path / "w.safetensors")
    story = load_story("rnn", Settings(text="hello", weights=str(path)))
    assert story.labels == list("hell")
    expected = forward(model, text_data("hello", vocab=vocab).x)
    np.testing.assert_array_equal(story.trace.h, expected.h)


def test_weights_of_the_other_cell_are_refused(tmp_path):
    path = save_model(init_model("lstm", 4, 5, 1, 4, seed=0), tmp_path / "w.safetensors")
    with pytest.raises(RnnError, match="LSTM weights but the RNN part"):
        load_story("rnn", Settings(weights=str(path)))


def test_many_units_show_the_most_active_eight(tmp_path):
    path = save_model(init_model("rnn", 4, 32, 1, 4, seed=1), tmp_path / "w.safetensors")
    story = load_story("rnn", Settings(weights=str(path)))
    activity = np.abs(story.trace.h).mean(axis=0)
    assert len(story.units) == 8 and story.units_note == "8 of 32 units shown"
    assert activity[story.units].min() >= np.delete(activity, story.units).max()
