"""Each part's view of its story (scenes/story_rnn.py, scenes/story_lstm.py): the numbers the
shots draw, checked against the model's equations written out here, without Manim."""

from __future__ import annotations

import numpy as np
import pytest

from rnncore import forward, init_model
from rnncore.data import text_data
from rnncore.sensitivity import gradient_flow
from rnncore.weights import save_model
from scenes.settings import Settings
from scenes.story import Story, drawn_io_units, parse_window, shortened, symbol, zoom_step
from scenes.story_lstm import (
    FADES_BELOW,
    Fade,
    LSTMView,
    bar_figure,
    figure,
    replay_gates,
    training_history,
)
from scenes.story_rnn import RNNView


def story_of(cell: str, text: str, window: str, hidden: int = 5, seed: int = 3) -> Story:
    d = text_data(text)
    model = init_model(cell, len(d.vocab), hidden, 1, len(d.vocab), seed=seed, vocab=d.vocab)
    trace = forward(model, d.x)
    labels = [d.vocab[int(np.argmax(v))] for v in d.x]
    return Story(model, trace, parse_window(window, trace.steps), labels, d.targets)


def test_rnn_view_splits_every_state_into_the_input_and_memory_shares() -> None:
    story = story_of("rnn", "hello world", "2:7")
    view = RNNView(story)
    W_ih, W_hh, b_ih, b_hh = story.model.layer(0)
    x, h, u = story.trace.x, story.trace.h, view.units
    for k in range(view.K):
        t = 2 + k
        s_prev = h[t - 1]
        assert np.allclose(view.h_before[k], s_prev[u])
        # the formula's one b is b_in + b_s, on the input's side: the memory's share is W_s S_{t-1}
        assert np.allclose(view.pres_x[k], (W_ih @ x[t] + b_ih + b_hh)[u])
        assert np.allclose(view.memory[k], (W_hh @ s_prev)[u])
        assert np.allclose(view.hs[k], np.tanh(view.pres_x[k] + view.memory[k]))
    assert view.step_number(0) == 2 and view.K == 5
    assert np.allclose(view.W_s, W_hh[u][:, u])
    assert np.allclose(view.W_in, W_ih[u][:, view.in_units])


def test_rnn_view_names_what_the_text_reads_and_predicts() -> None:
    story = story_of("rnn", "hello world", "3:8")
    view = RNNView(story)
    inputs, predictions, targets = view.inset_rows()
    assert inputs == [symbol(c) for c in "lo wo"]  # ' ' is printed as a visible blank
    assert targets == [symbol(c) for c in "o wor"]
    y = story.trace.y
    assert y is not None
    assert predictions == [symbol(story.model.vocab[int(np.argmax(y[t]))]) for t in range(3, 8)]
    assert view.best_p == pytest.approx([float(y[t].max()) for t in range(3, 8)])
    assert view.in_names == [symbol(story.model.vocab[i]) for i in view.in_units]


def series_story(features: int, window: str) -> Story:
    """A one-layer RNN reading numeric data of this many columns (a CSV, no targets)."""
    t = np.arange(60)
    x = np.stack([np.sin(t / (5 + i)) for i in range(features)], axis=1)
    model = init_model("rnn", features, 5, 1, features, seed=1)
    trace = forward(model, x)
    labels = [f"x_{s}" for s in range(len(x))]
    return Story(model, trace, parse_window(window, trace.steps), labels, None)


def test_rnn_view_lists_every_column_that_the_x_layer_shows() -> None:
    """R5's x_t and R6's input rows hold every drawn column of a CSV, as the x layer does
    (issue 10); R6 lists the first MAX_INPUT_ROWS; one column reads as before."""
    view = RNNView(series_story(3, "40:48"))
    x = view.story.trace.x
    assert view.input_values(1) == [f"{v:+.2f}" for v in x[41]]
    assert view.input_names == ["x1", "x2", "x3"]
    rows = view.inset_rows()
    assert view.prediction_names == ["y1"]
    assert len(rows) == 4 and rows[2] == [f"{v:+.2f}" for v in x[40:48, 2]]
    assert RNNView(series_story(8, "40:48")).input_names == ["x1", "x2", "x3"]
    one = RNNView(series_story(1, "40:48"))
    assert one.input_values(1) == [f"{x[41, 0]:+.2f}"]
    assert one.input_names is None and one.prediction_names is None
    assert len(one.inset_rows()) == 2


def test_drawn_inputs_put_the_window_s_symbols_first() -> None:
    text = "abcdefghijkl"  # 12 symbols, only 8 can be drawn
    story = story_of("rnn", text, "4:6")
    ins, outs = drawn_io_units(story)
    vocab = story.model.vocab
    # e, f read and f, g predicted come first; then the vocabulary in order up to 8 units
    assert [vocab[i] for i in ins] == sorted("efg" + "abcdh")
    assert outs is not None and list(outs) == list(ins)


def test_lstm_view_cell_state_is_kept_plus_written() -> None:
    story = story_of("lstm", "hello world", "1:6", seed=4)
    rnn = story_of("rnn", "hello world", "1:6")
    view = LSTMView(story, rnn, zoom_step(story, Settings()))
    # c_t = f_t * c_{t-1} + i_t * g_t, unit by unit, at every drawn step
    assert np.allclose(view.cs, view.f * view.c_before + view.ig)
    assert np.allclose(view.hs, view.o * np.tanh(view.cs))
    assert view.start <= view.zoom_t < view.start + view.K
    assert view.zoom_k == view.zoom_t - view.start
    f, ig, o = view.gate_means(view.zoom_k)
    assert f == pytest.approx(view.f[view.zoom_k].mean())
    assert ig == pytest.approx((view.i * view.g)[view.zoom_k].mean())
    assert view.diagram_gates(0)[3] == pytest.approx(view.o[0].mean())
    assert view.sensitivity.shape == (4,) and np.all(view.sensitivity > 0)
    assert np.allclose(view.rnn_hs, rnn.trace.h[1:6][:, rnn.units])
    assert view.step_name(0) == "e" and view.best_name(0) is not None
    assert view.same_inputs  # one layer each, on the same text: L2 keeps x_t


def test_l1_s_rnn_reads_the_text_under_a_deeper_lstm() -> None:
    """A 2-layer LSTM's top layer reads the layer below; L1's one-layer RNN reads the text."""
    lstm = story_of("lstm", "hello world", "1:6", seed=4)
    d = text_data("hello world")
    deep = init_model("lstm", len(d.vocab), 5, 2, len(d.vocab), seed=4, vocab=d.vocab)
    lstm = Story(deep, forward(deep, d.x), lstm.window, lstm.labels, lstm.targets)
    rnn = story_of("rnn", "hello world", "1:6")
    view = LSTMView(lstm, rnn, zoom_step(lstm, Settings()))
    assert not view.is_text and view.xs.shape == (5, 5)  # the lower layer's 5 units
    assert view.rnn_inputs.is_text and not view.same_inputs
    assert view.rnn_inputs.input_symbol(0) == "e"
    assert view.rnn_w_in.shape == (5, len(view.rnn_inputs.in_units))
    W_ih = rnn.model.layer(0)[0]
    assert np.allclose(view.rnn_w_in, W_ih[rnn.units][:, view.rnn_inputs.in_units])


def test_replay_ends_with_the_drawn_model_s_gates() -> None:
    settings = Settings()
    view = LSTMView.load(settings)
    training = training_history(settings, view.story.model)
    hist = training.history
    assert training.own and training.snapshots
    gates = replay_gates(view, hist)
    assert gates.shape == (len(hist.snapshot_steps), 3, view.K, len(view.units))
    # the last snapshot is the drawn model itself: its gates are the trace's
    assert np.allclose(gates[-1, 0], view.f) and np.allclose(gates[-1, 2], view.o)
    assert not np.allclose(gates[0], gates[-1])  # and they changed while it learned


def test_weights_without_a_history_borrow_the_built_in_one(tmp_path) -> None:
    d = text_data("hello")
    model = init_model("lstm", len(d.vocab), 4, 1, len(d.vocab), seed=1, vocab=d.vocab)
    path = save_model(model, tmp_path / "w.safetensors")
    settings = Settings(weights=str(path))
    training = training_history(settings, model)
    hist = training.history
    assert not training.own
    gates = replay_gates(LSTMView.load(settings), hist)
    assert gates.shape[-1] == min(hist.snapshots["weight_hh_l0"].shape[-1], 8)


def test_l1_s_fade_is_measured_up_to_t_over_the_whole_sequence() -> None:
    """A window late in a long text: the fade is measured from S_0, before the window."""
    text = "the quick brown fox jumps over the lazy dog"
    lstm, rnn = story_of("lstm", text, "32:40", seed=4), story_of("rnn", text, "32:40")
    view = LSTMView(lstm, rnn, zoom_step(lstm, Settings()))
    flow = gradient_flow(rnn.model, forward(rnn.model, rnn.trace.x[:40]))["sensitivity_h"]
    assert np.allclose(view.sensitivity, flow[32:39])  # the drawn steps before T
    fade = view.fade
    assert (fade.back, fade.near, fade.far) == (39, flow[38], flow[0])
    assert fade.kind == ("fades" if flow[0] < FADES_BELOW * flow[38] else "flat")
    assert Fade(0, 0.0, 1.0).kind == "alone" and Fade(3, 1.0, 0.9).kind == "flat"
    assert Fade(1, 1.5, 1.5).kind == "one"  # S_{T-1} is S_0: "1 steps back" said it twice
    assert Fade(3, 1.0, 0.1).kind == "fades" and Fade(3, 2.0, 1.0).fields["share"] == 0.5
    assert figure(0.4321) == "0.43" and figure(2.44e-8) == "2.4×10⁻⁸"


def test_l1_s_figures_read_alike() -> None:
    """The bars' figures keep two significant digits, a trailing zero too (2.0 beside 2.1),
    and never fall into Python's e-notation; a fade that underflowed float64 to 0 (3000 steps
    back) is said to be under 10⁻³⁰⁰, not 0.00."""
    shown = [bar_figure(x) for x in (2.04, 2.1, 0.3, 0.086, 0.002, 0.00022, 4.3e-5, 99.7, 123.4)]
    assert shown == ["2.0", "2.1", "0.30", "0.086", "0.0020", "0.00022", "4.3×10⁻⁵", "100", "123"]
    gone = Fade(2987, 3.33, 0.0)
    assert gone.kind == "fades" and gone.fields["far"] == "<10⁻³⁰⁰"
    assert gone.far_latex == "< 10^{-300}" and Fade(5, 1.0, 0.43).far_latex == "= 0.43"


def csv_view(tmp_path, header: str, columns: int = 3, weights: str | None = None) -> RNNView:
    """R6's view of a CSV of 3 columns (or fewer) with this header line, through --data as a
    render reads it (with rnn3d's own model, or these --weights)."""
    t = np.arange(40)
    values = [np.sin(t / 5), np.cos(t / 7), np.sin(t / 3)][:columns]
    rows = "\n".join(",".join(f"{v:.4f}" for v in row) for row in zip(*values, strict=True))
    path = tmp_path / "d.csv"
    path.write_text(f"{header}\n{rows}\n" if header else f"{rows}\n", encoding="utf-8")
    return RNNView.load(Settings(data=str(path), steps="20:28", weights=weights))


@pytest.mark.usefixtures("private_cache")
def test_a_csv_header_names_the_features_on_screen(tmp_path) -> None:
    """The header's names travel with the numbers (the story's trace) to R6's table and to
    R1's key of the x layer's neurons, which keep their short names x1, x2, x3."""
    view = csv_view(tmp_path, "temp,湿度,")
    assert view.story.trace.features == ["temp", "湿度", ""]
    assert view.input_names == ["temp", "湿度", "x3"]  # a blank name: the neuron's own
    assert view.in_names == ["x1", "x2", "x3"]
    assert view.feature_key == [("x1", "temp"), ("x2", "湿度")]
    rows = view.inset_rows()
    assert len(rows) == 4 and rows[1] == [f"{v:+.2f}" for v in view.xs[:, 1]]
    plain = csv_view(tmp_path, "")  # no header: x1, x2, x3 and no key
    assert plain.story.trace.features == [] and plain.input_names == ["x1", "x2", "x3"]
    assert plain.feature_key is None


@pytest.mark.usefixtures("private_cache")
def test_rnn3d_s_own_model_predicts_the_next_value_of_the_first_feature(tmp_path) -> None:
    """rnn3d's model learns each next row, so R6's prediction row (its first output, y1) is
    the next value of the first feature, named by its input row's name (temp, or x1 without
    a header). A user's model (--weights) may predict anything: its row stays y1."""
    view = csv_view(tmp_path, "temp,湿度,")
    assert view.story.predicts_next and view.predicted_feature == "temp"
    assert view.prediction_names == ["y1"]  # the neuron's own name, for a user's model
    assert csv_view(tmp_path, "").predicted_feature == "x1"
    one = csv_view(tmp_path, "temp", columns=1)  # one named column: its row has the name
    assert one.input_names == ["temp"] and one.predicted_feature == "temp"
    assert csv_view(tmp_path, "", columns=1).predicted_feature is None  # rows "input", ...
    model = init_model("rnn", 3, 4, 1, 3, seed=1)
    weights = str(save_model(model, tmp_path / "theirs.safetensors"))
    theirs = csv_view(tmp_path, "temp,湿度,", weights=weights)
    assert not theirs.story.predicts_next and theirs.predicted_feature is None
    assert theirs.input_names == ["temp", "湿度", "x3"] and theirs.prediction_names == ["y1"]


def test_long_names_are_cut_with_an_ellipsis() -> None:
    assert shortened("humidity", 8) == "humidity"
    assert shortened("temperature", 8) == "tempera…"
    assert shortened("wind speed", 6) == "wind…"  # no space before the ellipsis
    assert shortened("相对湿度百分比", 8) == "相对湿…"  # a CJK character takes two columns
