"""L1 and L6 with the user's weights: which model each shows, and the screen saying so; the
training history L6 replays (--history: rnn3d train's .npz, or a CSV of the loss)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rnncore import RnnError, forward, init_model, save_model
from rnncore.data import text_data
from rnncore.train import History, history_path, train
from scenes.captions import caption_text
from scenes.settings import Settings
from scenes.story import load_story
from scenes.story_lstm import LSTMView, read_history, replay_gates, training_history

VOCAB = ["o", "l", "h", "e"]  # not "hello"'s order of first appearance


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, History]:
    """A user's LSTM trained briefly with rnn3d train's code, saved with its history beside."""
    d = text_data("hello", VOCAB)
    model = init_model("lstm", 4, 5, 1, 4, seed=4, vocab=VOCAB)
    model, hist = train(model, d.x, d.targets, steps=40, lr=0.05)
    path = save_model(model, tmp_path_factory.mktemp("w") / "user.safetensors")
    hist.save(history_path(path))
    return path, hist


def test_history_beside_the_weights_is_the_user_s_own(trained) -> None:
    path, hist = trained
    settings = Settings(weights=str(path))
    view = LSTMView.load(settings)
    training = training_history(settings, view.story.model)
    assert training.own and training.snapshots
    np.testing.assert_array_equal(training.history.loss, hist.loss)
    gates = replay_gates(view, training.history)  # the last snapshot is the drawn model
    assert np.allclose(gates[-1, 0], view.f) and np.allclose(gates[-1, 2], view.o)


def test_loss_csv_stands_with_the_final_model_s_gates(trained, tmp_path: Path) -> None:
    path, hist = trained
    csv = tmp_path / "loss.csv"
    rows = "".join(f"{n + 1},{float(v)!r}\n" for n, v in enumerate(hist.loss))
    csv.write_text("step,loss\n" + rows)
    view = LSTMView.load(Settings(weights=str(path)))
    training = read_history(str(csv), view.story.model)
    assert training.own and not training.snapshots
    np.testing.assert_allclose(training.history.loss, hist.loss, rtol=1e-15)
    gates = replay_gates(view, training.history)
    assert len(gates) == 2 and np.allclose(gates[0], gates[1])
    assert np.allclose(gates[0, 0], view.f)
    one_column = tmp_path / "one.csv"
    one_column.write_text("".join(f"{v}\n" for v in hist.loss[:5]))
    assert len(read_history(str(one_column), view.story.model).history.loss) == 5


def test_history_of_another_model_and_bad_histories(trained, tmp_path: Path) -> None:
    path, _ = trained
    model = LSTMView.load(Settings(weights=str(path))).story.model
    d = text_data("hello")
    other = init_model("lstm", 4, 7, 1, 4, seed=0, vocab=d.vocab)
    _, other_hist = train(other, d.x, d.targets, steps=3)
    other_hist.save(tmp_path / "other.npz")
    (tmp_path / "short.csv").write_text("0.5\n")
    (tmp_path / "h.txt").write_text("0.5\n0.4\n")
    for name, message in [
        ("other.npz", "history of another model"),
        ("short.csv", "at least two finite numbers"),
        ("h.txt", "unknown history format"),
        ("none.npz", "does not exist"),
    ]:
        with pytest.raises(RnnError, match=message) as err:
            read_history(str(tmp_path / name), model)
        assert "\n" not in str(err.value)
    with pytest.raises(RnnError, match="--history goes with --weights"):
        training_history(Settings(history=str(tmp_path / "other.npz")), model)


def test_weights_without_a_history_replay_an_lstm_trained_here_in_their_vocabulary(
    tmp_path: Path,
) -> None:
    model = init_model("lstm", 4, 5, 1, 4, seed=2, vocab=VOCAB)
    path = save_model(model, tmp_path / "bare.safetensors")
    settings = Settings(weights=str(path))
    view = LSTMView.load(settings)
    training = training_history(settings, view.story.model)
    assert not training.own and view.rnn_trained_here
    # L1's RNN and L6's LSTM trained here read the characters through the user's units
    rnn = load_story("rnn", Settings(), like=view.story.model)
    assert rnn.model.vocab == VOCAB and rnn.model.hidden_size == 5
    assert np.allclose(view.rnn_hs, rnn.trace.h[:4][:, rnn.units])
    last = training.history.model_at(len(training.history.snapshot_steps) - 1, view.story.model)
    x = view.story.trace.x  # the user's encoding of "hello"
    y = forward(last, x).y
    assert y is not None and np.mean(np.argmax(y, axis=1) == view.story.targets) == 1.0
    assert not LSTMView.load(Settings()).rnn_trained_here


# ---------------------------------------------------------------- on screen


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("media")


def test_l1_and_l6_say_whose_model_they_show(media: Path, tmp_path: Path) -> None:
    pytest.importorskip("manim")
    from scenes.lstm_part import LSTMPart
    from tests.scene_helpers import render_last_frame

    path = save_model(
        init_model("lstm", 4, 5, 1, 4, seed=2, vocab=VOCAB), tmp_path / "bare.safetensors"
    )
    _, scene = render_last_frame(LSTMPart, Settings(shot="L1", weights=str(path)), media)
    assert scene.whose is not None and scene.caption.text.startswith(
        caption_text("l1_flat_here", "en", back=0, near=1, far=1, share=1)[:40]
    )
    _, scene = render_last_frame(LSTMPart, Settings(shot="L6", weights=str(path)), media)
    assert scene.caption.text == caption_text("l6_gates", "en")
    assert scene.training_note == caption_text("label_no_history", "en")
    csv = tmp_path / "loss.csv"
    csv.write_text("1.4\n0.9\n0.5\n0.2\n")
    _, scene = render_last_frame(
        LSTMPart, Settings(shot="L6", weights=str(path), history=str(csv), lang="zh"), media
    )
    assert scene.training_note == caption_text("label_loss_only", "zh")


def test_an_embedding_model_s_input_layer_is_its_characters() -> None:
    """nn.Embedding folded into W_ih: the drawn input units are the vocabulary's characters."""
    fixtures = Path(__file__).parent / "fixtures"
    with np.load(fixtures / "char_embed_lstm.npz", allow_pickle=False) as ref:
        text, vocab = str(ref["text"]), ref["vocab"].tolist()
    view = LSTMView.load(
        Settings(
            text=text, weights=str(fixtures / "char_embed_lstm.safetensors"), vocab="".join(vocab)
        )
    )
    assert view.is_text and view.story.model.input_size == len(vocab)
    assert view.unit_names(view.in_units, "x") == [
        vocab[i] if vocab[i] != " " else "␣" for i in view.in_units
    ]
