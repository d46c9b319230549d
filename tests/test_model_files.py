"""Users' own models: embeddings folded, Keras files, vocabularies (given, saved, assumed).

References are committed fixtures made by tests/fixtures/make_char_fixtures.py (torch, float64:
1e-9) and tests/fixtures/make_keras_fixtures.py (Keras' own predictions, float32: 1e-6).
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest
from safetensors import safe_open

from rnncore import RnnError, forward, init_model, text_data
from rnncore.data import read_vocab
from rnncore.fit import fit_text
from rnncore.weights import load_model, save_state_dict
from scenes.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
CHAR = ["char_embed_rnn2", "char_embed_lstm", "char_embed_lstm2", "char_rnn_sorted"]
KERAS = ["keras_seq_embed_lstm2", "keras_fn_rnn_relu", "keras_seq_rnn"]


def reference(name: str) -> dict[str, np.ndarray]:
    with np.load(FIXTURES / f"{name}.npz", allow_pickle=False) as z:
        return {k: z[k] for k in z.files}


# ---------------------------------------------------------------- embeddings, char models


@pytest.mark.parametrize("name", CHAR)
def test_char_models_match_torch(name: str) -> None:
    ref = reference(name)
    vocab = ref["vocab"].tolist()
    model = load_model(FIXTURES / f"{name}.safetensors")
    assert model.input_size == len(vocab) and model.num_layers == int(ref["layers"])
    data = text_data(str(ref["text"]), vocab)
    np.testing.assert_array_equal(data.targets, ref["index"][1:])
    trace = forward(model, data.x)
    np.testing.assert_allclose(trace.h, ref["h"], rtol=0, atol=1e-9)
    np.testing.assert_allclose(trace.logits, ref["logits"], rtol=0, atol=1e-9)


def test_embedding_is_folded_exactly() -> None:
    """W_ih E^T on a one-hot is W_ih on the embedded vector: checked against the table."""
    from safetensors.numpy import load_file

    sd = load_file(str(FIXTURES / "char_embed_lstm.safetensors"))
    model = load_model(FIXTURES / "char_embed_lstm.safetensors")
    table, w_ih = sd["embedding.weight"], sd["lstm.weight_ih_l0"]
    for v in range(table.shape[0]):
        np.testing.assert_allclose(
            model.params["weight_ih_l0"][:, v], w_ih @ table[v], rtol=0, atol=1e-15
        )


# ---------------------------------------------------------------- Keras files


def keras_input(ref: dict[str, np.ndarray], model_inputs: int) -> np.ndarray:
    x = ref["x"]
    return np.eye(model_inputs)[x] if x.ndim == 1 else x.astype(np.float64)


@pytest.mark.parametrize("suffix", [".keras", ".weights.h5"])
@pytest.mark.parametrize("name", KERAS)
def test_keras_files_match_keras(name: str, suffix: str) -> None:
    ref = reference(name)
    nl = str(ref["nonlinearity"])
    # a .weights.h5 holds no config: the activation is said by the caller (--nonlinearity)
    model = load_model(
        FIXTURES / f"{name}{suffix}", nonlinearity=nl if suffix == ".weights.h5" else None
    )
    assert model.cell == str(ref["cell"]) and model.nonlinearity == nl
    trace = forward(model, keras_input(ref, model.input_size))
    if suffix == ".keras":
        assert model.output == str(ref["output"])
        y = trace.y
    else:  # the head's activation is in the config only
        y = (
            trace.y
            if str(ref["output"]) == "linear"
            else np.exp(trace.logits) / np.exp(trace.logits).sum(axis=-1, keepdims=True)
        )
    np.testing.assert_allclose(y, ref["y"], rtol=0, atol=1e-6)


def rewritten_keras(tmp_path: Path, edit) -> Path:
    """The LSTM fixture's .keras with its config.json changed by edit(config)."""
    src = zipfile.ZipFile(FIXTURES / "keras_seq_embed_lstm2.keras")
    config = json.loads(src.read("config.json"))
    edit(config)
    out = tmp_path / "edited.keras"
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("config.json", json.dumps(config))
        z.writestr("model.weights.h5", src.read("model.weights.h5"))
    return out


def layer_config(config: dict, cls: str) -> dict:
    return next(
        layer["config"] for layer in config["config"]["layers"] if layer["class_name"] == cls
    )


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda c: layer_config(c, "LSTM").update(activation="relu"), "rnn3d computes tanh"),
        (lambda c: layer_config(c, "LSTM").update(go_backwards=True), "go_backwards"),
        (lambda c: layer_config(c, "Embedding").update(mask_zero=True), "mask_zero"),
        (lambda c: layer_config(c, "Dense").update(activation="sigmoid"), "softmax or linear"),
        (
            lambda c: c["config"]["layers"].insert(
                1, {"class_name": "GRU", "config": {"name": "g"}}
            ),
            "is a GRU",
        ),
    ],
)
def test_keras_config_refuses_what_rnn3d_computes_differently(
    tmp_path: Path, edit, message: str
) -> None:
    with pytest.raises(RnnError, match=message) as err:
        load_model(rewritten_keras(tmp_path, edit))
    assert "\n" not in str(err.value)


def test_bad_keras_files(tmp_path: Path) -> None:
    import h5py

    with h5py.File(tmp_path / "gru.weights.h5", "w") as fh:
        for n, shape in enumerate([(3, 12), (4, 12), (12,)]):
            fh[f"layers/gru/cell/vars/{n}"] = np.zeros(shape)
    with pytest.raises(RnnError, match="layer 'gru' holds weights rnn3d does not read"):
        load_model(tmp_path / "gru.weights.h5")
    (tmp_path / "junk.keras").write_bytes(b"not a zip")
    with pytest.raises(RnnError, match="not a readable .keras file"):
        load_model(tmp_path / "junk.keras")
    with zipfile.ZipFile(tmp_path / "half.keras", "w") as z:
        z.writestr("config.json", "{}")
    with pytest.raises(RnnError, match="not a complete .keras file"):
        load_model(tmp_path / "half.keras")
    (tmp_path / "junk.weights.h5").write_bytes(b"\x89HDF junk")
    with pytest.raises(RnnError, match="not a readable Keras weights file"):
        load_model(tmp_path / "junk.weights.h5")


# ---------------------------------------------------------------- vocabularies


def test_read_vocab(tmp_path: Path) -> None:
    assert read_vocab("ehlo", "--vocab") == ["e", "h", "l", "o"]
    (tmp_path / "v.json").write_text('[" ", "a", "\\n"]', encoding="utf-8")
    assert read_vocab(str(tmp_path / "v.json"), "--vocab") == [" ", "a", "\n"]
    for spec, message in [("hello", "'l' appears twice"), ("", "empty")]:
        with pytest.raises(RnnError, match=message):
            read_vocab(spec, "--vocab")
    (tmp_path / "bad.json").write_text('{"a": 0}', encoding="utf-8")
    (tmp_path / "multi.json").write_text('["ab"]', encoding="utf-8")
    for name, message in [
        ("bad.json", "JSON list of strings"),
        ("multi.json", "one character"),
        ("missing.json", "does not exist"),
    ]:
        with pytest.raises(RnnError, match=message):
            read_vocab(str(tmp_path / name), "--vocab")
    (tmp_path / "v.txt").write_text("ehlo", encoding="utf-8")  # was read as characters: '/' twice
    for path in (tmp_path / "v.txt", tmp_path):
        with pytest.raises(RnnError, match="is a path but not a .json file: give the characters"):
            read_vocab(str(path), "--vocab")


def test_sorted_model_without_vocab_gets_a_note_and_right_numbers_with_vocab() -> None:
    ref = reference("char_rnn_sorted")
    text, vocab = str(ref["text"]), ref["vocab"].tolist()
    model = load_model(FIXTURES / "char_rnn_sorted.safetensors")
    _, notes = fit_text(model, text, "char.safetensors", None, "--vocab")
    assert len(notes) == 2 and "order of first appearance" in notes[0]
    assert "sorted order far better" in notes[1] and repr("".join(vocab)) in notes[1]
    model = load_model(FIXTURES / "char_rnn_sorted.safetensors")
    data, notes = fit_text(model, text, "char.safetensors", vocab, "--vocab")
    assert notes == [] and model.vocab == vocab and model.output == "softmax"
    np.testing.assert_allclose(forward(model, data.x).h, ref["h"], rtol=0, atol=1e-9)


def test_the_other_way_round_first_appearance_model_given_sorted() -> None:
    from rnncore.defaults import trained_model

    text = "hello world"
    model, _ = trained_model("rnn", text=text)  # first-appearance order, trained to ~100%
    _, notes = fit_text(model.copy(), text, "w", sorted(set(text)), "--vocab")
    assert len(notes) == 1 and "order of first appearance far better" in notes[0]
    # its own vocabulary, from the file: nothing to say
    _, notes = fit_text(model, text, "w", None, "--vocab")
    assert notes == []


def test_vocab_from_a_pt_checkpoint(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    net = torch.nn.LSTM(3, 2)
    sd = {f"lstm.{k}": v for k, v in net.state_dict().items()}
    for key, value in [
        ("itos", ["c", "a", "b"]),
        ("stoi", {"a": 1, "b": 2, "c": 0}),
        ("vocab", "cab"),
    ]:
        torch.save({"state_dict": sd, key: value}, tmp_path / "ck.pt")
        assert load_model(tmp_path / "ck.pt").vocab == ["c", "a", "b"], key
    torch.save({"state_dict": sd, "stoi": {"a": 0, "b": 2}}, tmp_path / "bad.pt")
    with pytest.raises(RnnError, match="index 0..1"):
        load_model(tmp_path / "bad.pt")


def test_save_state_dict_writes_what_rnn3d_reads(tmp_path: Path) -> None:
    model = init_model("rnn", 4, 3, 1, 4, seed=2)
    sd = {("rnn." + k if "_l0" in k else k): v for k, v in model.params.items()}
    path = save_state_dict(sd, tmp_path / "m.safetensors", vocab="dcba", nonlinearity="relu")
    with safe_open(str(path), framework="numpy") as fh:
        assert json.loads(fh.metadata()["vocab"]) == ["d", "c", "b", "a"]
    loaded = load_model(path)
    assert loaded.vocab == ["d", "c", "b", "a"] and loaded.nonlinearity == "relu"
    assert loaded.output == "softmax"
    with pytest.raises(RnnError, match="unexpected key 'norm.weight'"):
        save_state_dict({**sd, "norm.weight": np.ones(3)}, tmp_path / "bad.safetensors")
    with pytest.raises(RnnError, match="the vocabulary has 3 symbols"):
        save_state_dict(sd, tmp_path / "bad.safetensors", vocab="abc")
    assert not (tmp_path / "bad.safetensors").exists()


# ---------------------------------------------------------------- the commands


def cli(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str]:
    code = main([*map(str, argv)])
    return code, capsys.readouterr().err


def test_trace_vocab_option_and_notes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ref = reference("char_rnn_sorted")
    text, vocab = str(ref["text"]), "".join(ref["vocab"].tolist())
    weights = FIXTURES / "char_rnn_sorted.safetensors"
    code, err = cli(
        capsys,
        "trace",
        "--cell",
        "rnn",
        "--text",
        text,
        "--weights",
        weights,
        "--out",
        tmp_path / "a.npz",
    )
    assert code == 0 and err.count("rnn3d: note:") == 2 and "--vocab" in err
    code, err = cli(
        capsys,
        "trace",
        "--cell",
        "rnn",
        "--text",
        text,
        "--weights",
        weights,
        "--vocab",
        vocab,
        "--out",
        tmp_path / "b.npz",
    )
    assert code == 0 and err == ""
    with np.load(tmp_path / "b.npz", allow_pickle=False) as z:
        np.testing.assert_allclose(z["h"], ref["h"], rtol=0, atol=1e-9)
        assert "".join(z["vocab"].tolist()) == vocab
    code, err = cli(
        capsys,
        "trace",
        "--cell",
        "rnn",
        "--text",
        "xyz",
        "--weights",
        weights,
        "--out",
        tmp_path / "c.npz",
    )
    assert code == 2 and "--vocab" in err and err.count("\n") == 1


def test_train_saves_the_given_vocab_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = cli(
        capsys,
        "train",
        "--cell",
        "rnn",
        "--text",
        "hello",
        "--vocab",
        "ehlo",
        "--steps",
        "5",
        "--out",
        tmp_path / "w.safetensors",
    )
    assert code == 0 and load_model(tmp_path / "w.safetensors").vocab == ["e", "h", "l", "o"]
    code, err = cli(
        capsys,
        "train",
        "--cell",
        "rnn",
        "--text",
        "hello",
        "--vocab",
        "ehl",
        "--steps",
        "5",
        "--out",
        tmp_path / "x.safetensors",
    )
    assert code == 2 and "'o' of the text is not in the model's vocabulary" in err
