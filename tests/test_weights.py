"""Weights I/O: round trips, PyTorch and Keras layouts, and one clear line for every bad file."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import save_file

from rnncore import Model, RnnError, forward, init_model, load_model, save_model
from rnncore.weights import load_weights

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str) -> dict[str, np.ndarray]:
    with np.load(FIXTURES / f"torch_forward_{name}.npz", allow_pickle=False) as data:
        return {k: data[k] for k in data.files}


def state_dict(data: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The fixture's whole-model state dict: rnn./lstm. prefix and fc head, as torch saved it."""
    return {k[len("param.") :]: v for k, v in data.items() if k.startswith("param.")}


def only_files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


# ---------------------------------------------------------------- round trips


@pytest.mark.parametrize("suffix", [".safetensors", ".npz"])
@pytest.mark.parametrize("cell, nl", [("rnn", "relu"), ("lstm", "tanh")])
def test_round_trip(tmp_path: Path, suffix: str, cell: str, nl: str) -> None:
    vocab = ["h", "é", "你", " "]
    model = init_model(cell, 4, 3, 2, 4, seed=7, nonlinearity=nl, vocab=vocab)
    path = save_model(model, tmp_path / f"m{suffix}", metadata={"trained_on": "hello"})
    assert only_files(tmp_path) == [f"m{suffix}"]  # no temporary file left behind
    back = load_model(path)
    assert (back.cell, back.nonlinearity, back.output, back.vocab) == (cell, nl, "softmax", vocab)
    assert back.params.keys() == model.params.keys()
    for name, value in model.params.items():
        assert back.params[name].dtype == np.float64
        assert back.params[name].tobytes() == value.tobytes()
    _, meta = load_weights(path)
    assert meta["trained_on"] == "hello"


def test_npz_metadata_is_a_plain_unicode_array(tmp_path: Path) -> None:
    save_model(init_model("rnn", 2, 2, seed=0, output="linear"), tmp_path / "m.npz")
    with np.load(tmp_path / "m.npz", allow_pickle=False) as data:
        assert data["__meta__"].dtype.kind == "U" and '"cell": "rnn"' in str(data["__meta__"])


def test_save_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "m.npz"
    save_model(init_model("rnn", 2, 2, seed=0), path)
    before = path.read_bytes()

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", broken)
    with pytest.raises(OSError):
        save_model(init_model("rnn", 2, 5, seed=1), path)
    assert path.read_bytes() == before and only_files(tmp_path) == ["m.npz"]


def test_save_refuses_unknown_format_and_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(RnnError, match="use .safetensors or .npz"):
        save_model(init_model("rnn", 2, 2, seed=0), tmp_path / "m.pt")
    assert only_files(tmp_path) == []


# ---------------------------------------------------------------- PyTorch layouts


@pytest.mark.parametrize("name", ["lstm_2layers_head_batch", "rnn_relu_2layers", "lstm_head"])
def test_whole_model_state_dict_with_prefix_and_head(tmp_path: Path, name: str) -> None:
    data = fixture(name)
    save_file(state_dict(data), str(tmp_path / "w.safetensors"))
    model = load_model(tmp_path / "w.safetensors", nonlinearity=str(data["nonlinearity"]))
    assert model.cell == str(data["cell"]) and model.has_head == ("y" in data)
    assert model.output == "linear"  # no vocabulary: the head's scores are read as they are
    trace = forward(model, data["x"], data["h0"], data.get("c0"))
    np.testing.assert_allclose(trace.h, data["h"], rtol=0, atol=1e-9)
    if "y" in data:
        np.testing.assert_allclose(trace.y, data["y"], rtol=0, atol=1e-9)


def test_bare_state_dict(tmp_path: Path) -> None:
    data = fixture("rnn_tanh")
    bare = {k.split(".", 1)[1]: v for k, v in state_dict(data).items()}  # weight_ih_l0, ...
    np.savez(tmp_path / "w.npz", **bare)
    trace = forward(load_model(tmp_path / "w.npz"), data["x"], data["h0"])
    np.testing.assert_allclose(trace.h, data["h"], rtol=0, atol=1e-9)


def test_head_under_another_name(tmp_path: Path) -> None:
    sd = state_dict(fixture("lstm_head"))
    sd["decoder.weight"], sd["decoder.bias"] = sd.pop("fc.weight"), sd.pop("fc.bias")
    np.savez(tmp_path / "w.npz", **sd)
    model = load_model(tmp_path / "w.npz")
    np.testing.assert_array_equal(model.params["fc.weight"], sd["decoder.weight"])


# ---------------------------------------------------------------- layers without biases


@pytest.mark.parametrize("suffix", [".npz", ".safetensors"])
@pytest.mark.parametrize("dropped", [("fc.bias",), ("bias_",), ("fc.bias", "bias_")])
def test_layers_without_biases_read_as_zero_biases(
    tmp_path: Path, suffix: str, dropped: tuple[str, ...]
) -> None:
    """nn.Linear(bias=False) was refused ('missing fc.bias'), and nn.LSTM(bias=False) too: a
    layer without biases computes as one with zero biases."""
    full = good_lstm()
    sd = {k: v for k, v in full.items() if not k.startswith(dropped)}
    zeroed = {k: v if k in sd else np.zeros_like(v) for k, v in full.items()}
    path = tmp_path / f"w{suffix}"
    if suffix == ".npz":
        np.savez(path, **sd)
    else:
        save_file(sd, str(path))
    x = np.random.default_rng(3).normal(size=(5, 3))
    trace = forward(load_model(path), x)
    expected = forward(Model("lstm", zeroed, output="linear"), x)
    np.testing.assert_allclose(trace.h, expected.h, rtol=0, atol=1e-12)
    np.testing.assert_allclose(trace.y, expected.y, rtol=0, atol=1e-12)
    if "fc.bias" in dropped:  # nn.Linear(bias=False): W h and nothing added
        np.testing.assert_allclose(trace.y, trace.h @ full["fc.weight"].T, rtol=0, atol=1e-12)


@pytest.mark.parametrize(
    "names",
    [("embedding", "decoder"), ("embed", "out"), ("encoder", "proj")],
)
def test_a_head_without_bias_under_another_name(tmp_path: Path, names: tuple[str, str]) -> None:
    """Told from the embedding (also a 2-D weight without a bias) by what it reads: the hidden
    state. The embedding here is as wide as the hidden state, so its name tells them apart."""
    rng = np.random.default_rng(4)
    V, H = 5, 4
    sd = {k: v for k, v in init_model("rnn", H, H, 1, seed=2).params.items()}
    table, head = names
    sd[f"{table}.weight"], sd[f"{head}.weight"] = rng.normal(size=(V, H)), rng.normal(size=(V, H))
    np.savez(tmp_path / "w.npz", **{f"rnn.{k}" if "_l" in k else k: v for k, v in sd.items()})
    model = load_model(tmp_path / "w.npz")
    assert (model.input_size, model.output_size) == (V, V)
    np.testing.assert_array_equal(model.params["fc.weight"], sd[f"{head}.weight"])
    np.testing.assert_array_equal(model.params["fc.bias"], np.zeros(V))
    # a head alone, reading the hidden state (4 columns) where the input has 3
    alone = {**init_model("rnn", 3, H, 1, seed=2).params, "out.weight": rng.normal(size=(2, H))}
    np.savez(tmp_path / "head.npz", **alone)
    assert load_model(tmp_path / "head.npz").output_size == 2


@pytest.mark.parametrize(
    ("name", "read_as"),
    [("wte", "embedding"), ("lookup", "embedding"), ("emb", "embedding"), ("out", "head")],
)
def test_a_lone_weight_as_wide_as_input_and_state(tmp_path: Path, name: str, read_as: str) -> None:
    """A 2-D weight without a bias, reading 4 numbers where the first layer takes 4 and the
    state holds 4, and nothing else beside the RNN: an embedding or a head, told by its name.
    A name that says neither (wte, lookup) stays the embedding, as it was read before heads
    without a bias were."""
    sd = {**init_model("rnn", 4, 4, 1, seed=2).params, f"{name}.weight": np.ones((6, 4))}
    np.savez(tmp_path / "w.npz", **sd)
    model = load_model(tmp_path / "w.npz")
    sizes = (6, None) if read_as == "embedding" else (4, 6)
    assert (model.input_size, model.output_size) == sizes


def test_two_heads_without_bias_are_refused(tmp_path: Path) -> None:
    sd = {**init_model("rnn", 4, 4, 1, seed=2).params}
    sd["a.weight"], sd["b.weight"] = np.zeros((3, 4)), np.zeros((3, 4))
    np.savez(tmp_path / "w.npz", **sd)
    with pytest.raises(RnnError, match=r"several candidate output heads \(a, b\).*name it fc"):
        load_model(tmp_path / "w.npz")


def test_torch_modules_without_biases(tmp_path: Path) -> None:
    """Against PyTorch itself, when it is installed."""
    torch = pytest.importorskip("torch")
    torch.manual_seed(5)
    net = torch.nn.ModuleDict(
        {
            "embedding": torch.nn.Embedding(6, 3),
            "lstm": torch.nn.LSTM(3, 4, 2, bias=False),
            "head": torch.nn.Linear(4, 6, bias=False),
        }
    ).double()
    sd = {k: v.detach().numpy() for k, v in net.state_dict().items()}
    save_file(sd, str(tmp_path / "w.safetensors"))
    model = load_model(tmp_path / "w.safetensors")
    index = torch.tensor([0, 3, 5, 1, 2])
    with torch.no_grad():
        out, _ = net["lstm"](net["embedding"](index))
        y = net["head"](out)
    trace = forward(model, np.eye(6)[index.numpy()])
    np.testing.assert_allclose(trace.h, out.numpy(), rtol=0, atol=1e-9)
    np.testing.assert_allclose(trace.y, y.numpy(), rtol=0, atol=1e-9)


# ---------------------------------------------------------------- Keras


def keras_lstm(x: np.ndarray, kernel: np.ndarray, rec: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """Keras' own equations (x @ kernel, gates i, f, c, o along the columns), written out here."""
    U = rec.shape[0]
    h, c, hs = np.zeros(U), np.zeros(U), []
    for x_t in x:
        z = x_t @ kernel + h @ rec + bias
        i, f, cand, o = (z[k * U : (k + 1) * U] for k in range(4))
        i, f, o = (1 / (1 + np.exp(-v)) for v in (i, f, o))
        c = f * c + i * np.tanh(cand)
        h = o * np.tanh(c)
        hs.append(h)
    return np.array(hs)


def keras_simple_rnn(
    x: np.ndarray, kernel: np.ndarray, rec: np.ndarray, bias: np.ndarray
) -> np.ndarray:
    h, hs = np.zeros(rec.shape[0]), []
    for x_t in x:
        h = np.tanh(x_t @ kernel + h @ rec + bias)
        hs.append(h)
    return np.array(hs)


def test_keras_stacked_lstm_with_dense_head(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    n_in, U, n_out = 3, 4, 2
    w = {
        "lstm/lstm_cell/kernel:0": rng.normal(size=(n_in, 4 * U)),
        "lstm/lstm_cell/recurrent_kernel:0": rng.normal(size=(U, 4 * U)),
        "lstm/lstm_cell/bias:0": rng.normal(size=4 * U),
        "lstm_1/lstm_cell/kernel:0": rng.normal(size=(U, 4 * U)),
        "lstm_1/lstm_cell/recurrent_kernel:0": rng.normal(size=(U, 4 * U)),
        "lstm_1/lstm_cell/bias:0": rng.normal(size=4 * U),
        "dense/kernel:0": rng.normal(size=(U, n_out)),
        "dense/bias:0": rng.normal(size=n_out),
    }
    save_file(w, str(tmp_path / "k.safetensors"))
    model = load_model(tmp_path / "k.safetensors")
    assert (model.cell, model.num_layers, model.hidden_size, model.output_size) == (
        "lstm",
        2,
        U,
        n_out,
    )
    x = rng.normal(size=(6, n_in))
    names = ("kernel", "recurrent_kernel", "bias")
    low = keras_lstm(x, *(w[f"lstm/lstm_cell/{k}:0"] for k in names))
    high = keras_lstm(low, *(w[f"lstm_1/lstm_cell/{k}:0"] for k in names))
    trace = forward(model, x)
    np.testing.assert_allclose(trace.layers[0].h, low, rtol=0, atol=1e-12)
    np.testing.assert_allclose(trace.h, high, rtol=0, atol=1e-12)
    np.testing.assert_allclose(trace.y, high @ w["dense/kernel:0"] + w["dense/bias:0"], atol=1e-12)


def test_keras_simple_rnn_plain_names(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    w = {
        "kernel": rng.normal(size=(2, 5)),
        "recurrent_kernel": rng.normal(size=(5, 5)) * 0.3,
        "bias": rng.normal(size=5),
    }
    np.savez(tmp_path / "k.npz", **w)
    model = load_model(tmp_path / "k.npz")
    assert model.cell == "rnn"
    x = rng.normal(size=(7, 2))
    np.testing.assert_allclose(forward(model, x).h, keras_simple_rnn(x, **_kw(w)), atol=1e-12)


def test_keras_dense_without_bias(tmp_path: Path) -> None:
    """Dense(use_bias=False) holds only its kernel: read as a zero bias, as use_bias=False
    recurrent layers are."""
    rng = np.random.default_rng(2)
    w = {
        "simple_rnn/kernel": rng.normal(size=(2, 5)),
        "simple_rnn/recurrent_kernel": rng.normal(size=(5, 5)) * 0.3,
        "dense/kernel": rng.normal(size=(5, 3)),
    }
    np.savez(tmp_path / "k.npz", **w)
    model = load_model(tmp_path / "k.npz")
    x = rng.normal(size=(4, 2))
    h = keras_simple_rnn(x, w["simple_rnn/kernel"], w["simple_rnn/recurrent_kernel"], np.zeros(5))
    np.testing.assert_allclose(forward(model, x).y, h @ w["dense/kernel"], rtol=0, atol=1e-12)


def _kw(w: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {"kernel": w["kernel"], "rec": w["recurrent_kernel"], "bias": w["bias"]}


# ---------------------------------------------------------------- .pt


def test_pt_state_dict_through_weights_only(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    net = torch.nn.Sequential()  # keys "0.weight_ih_l0" ...: a prefix without a head
    net.append(torch.nn.LSTM(3, 4))
    torch.save(net.state_dict(), tmp_path / "w.pt")
    model = load_model(tmp_path / "w.pt")
    x = torch.randn(5, 3, dtype=torch.float64)
    with torch.no_grad():
        out, _ = net.double()[0](x)
    np.testing.assert_allclose(forward(model, x.numpy()).h, out.numpy(), rtol=0, atol=1e-9)
    torch.save(
        {"model_state_dict": net.state_dict(), "epoch": 3, "vocab": '["a", "b", "c"]'},
        tmp_path / "ckpt.pt",
    )
    assert load_model(tmp_path / "ckpt.pt").vocab == ["a", "b", "c"]


def test_pt_whole_model_is_refused(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    torch.save(torch.nn.RNN(2, 3), tmp_path / "whole.pt")
    with pytest.raises(RnnError, match=r"pickled Python objects.*state_dict\(\)"):
        load_model(tmp_path / "whole.pt")


def test_pt_without_torch_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "w.pt").write_bytes(b"anything")
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch now raises ImportError
    with pytest.raises(RnnError, match=r"pip install 'rnn3d\[torch\]'.*safetensors"):
        load_model(tmp_path / "w.pt")


# ---------------------------------------------------------------- bad files


def good_lstm() -> dict[str, np.ndarray]:
    return dict(init_model("lstm", 3, 4, 2, 2, seed=0).params)


def changed(**edits: np.ndarray | None) -> dict[str, np.ndarray]:
    sd = good_lstm()
    for key, value in edits.items():
        key = key.replace("__", ".")
        if value is None:
            del sd[key]
        else:
            sd[key] = value
    return sd


BAD = {
    "wrong shape": (
        changed(weight_hh_l1=np.zeros((16, 3))),
        r"weight_hh_l1 has shape \(16, 3\) but a LSTM with input size 3 and hidden "
        r"size 4 needs \(16, 4\)",
    ),
    "wrong input shape of layer 1": (
        changed(weight_ih_l1=np.zeros((16, 3))),
        r"weight_ih_l1 has shape \(16, 3\) .* needs \(16, 4\)",
    ),
    "wrong head": (changed(fc__weight=np.zeros((2, 5))), r"fc.weight has shape \(2, 5\)"),
    "1-d head": (changed(fc__weight=np.zeros(2)), r"fc.weight has shape \(2,\) .* needs \(O, 4\)"),
    "missing key": (changed(bias_hh_l1=None), r"missing bias_hh_l1 \(expected shape \(16,\)\)"),
    "some recurrent biases missing": (
        changed(bias_ih_l0=None, bias_hh_l0=None),
        r"missing bias_ih_l0 \(expected shape \(16,\)\)",
    ),
    "nan": (changed(bias_ih_l0=np.full(16, np.nan)), "bias_ih_l0 contains NaN or infinite"),
    "inf": (changed(fc__bias=np.array([0.0, np.inf])), "fc.bias contains NaN or infinite"),
    "bidirectional": (
        changed(weight_ih_l0_reverse=np.zeros((16, 3))),
        "bidirectional layer, which is not supported",
    ),
    "projection": (changed(weight_hr_l0=np.zeros((2, 4))), "proj_size"),
    "gru": (
        {
            "weight_ih_l0": np.zeros((12, 3)),
            "weight_hh_l0": np.zeros((12, 4)),
            "bias_ih_l0": np.zeros(12),
            "bias_hh_l0": np.zeros(12),
        },
        "a GRU's, which is not",
    ),
    "no recurrent weights": ({"encoder.weight": np.zeros((3, 3))}, "no recurrent weights"),
    "extra layer": (changed(norm__weight=np.zeros(4)), "unexpected key 'norm.weight'"),
    "embedding of the wrong width": (
        changed(embedding__weight=np.zeros((5, 2))),
        "embedding embedding.weight gives vectors of size 2",
    ),
    "two heads": (
        changed(
            fc__weight=None,
            fc__bias=None,
            a__weight=np.zeros((2, 4)),
            a__bias=np.zeros(2),
            b__weight=np.zeros((2, 4)),
            b__bias=np.zeros(2),
        ),
        "several candidate output heads",
    ),
    "two recurrent modules": (
        {
            **{f"a.{k}": v for k, v in good_lstm().items() if "_l" in k},
            **{f"b.{k}": v for k, v in good_lstm().items() if "_l" in k},
        },
        "several recurrent modules",
    ),
    "complex": (changed(bias_ih_l0=np.zeros(16, dtype=complex)), "not real numbers"),
    "keras gru": (
        {"kernel": np.zeros((3, 12)), "recurrent_kernel": np.zeros((4, 12)), "bias": np.zeros(12)},
        "GRU",
    ),
    "keras stray key": (
        {"kernel": np.zeros((3, 4)), "recurrent_kernel": np.zeros((4, 4)), "gamma": np.zeros(4)},
        "unexpected key 'gamma'",
    ),
}


@pytest.mark.parametrize("suffix", [".npz", ".safetensors"])
@pytest.mark.parametrize("case", list(BAD))
def test_bad_weights_one_clear_line(tmp_path: Path, case: str, suffix: str) -> None:
    arrays, message = BAD[case]
    path = tmp_path / f"w{suffix}"
    if suffix == ".npz":
        np.savez(path, **arrays)
    elif any(v.dtype.kind == "c" for v in arrays.values()):
        pytest.skip("safetensors has no complex dtype")
    else:
        save_file({k: np.ascontiguousarray(v) for k, v in arrays.items()}, str(path))
    with pytest.raises(RnnError, match=message) as err:
        load_model(path)
    assert "\n" not in str(err.value) and str(path) in str(err.value)


def npz_with(tmp_path: Path, meta: str | None = None, **arrays: np.ndarray) -> Path:
    extra = {} if meta is None else {"__meta__": np.array(meta)}
    np.savez(tmp_path / "w.npz", **(arrays or good_lstm()), **extra)
    return tmp_path / "w.npz"


@pytest.mark.parametrize(
    "meta, kwargs, message",
    [
        ('{"cell": "rnn"}', {}, "holds LSTM weights but its metadata says RNN"),
        (
            "{}",
            {"cell": "rnn"},
            "holds LSTM weights but RNN was asked for: ask for an LSTM or give RNN weights",
        ),
        ('{"nonlinearity": "relu"}', {"nonlinearity": "tanh"}, "saved with nonlinearity relu"),
        ('{"vocab": "[1, 2]"}', {}, "not a JSON list of strings"),
        ('{"vocab": "[\\"a\\", \\"b\\"]"}', {}, "vocabulary has 2 symbols but the model reads 3"),
        ("not json", {}, "__meta__ is not a JSON object"),
        ('{"output": "sigmoid"}', {}, r"w\.npz: unknown output 'sigmoid'"),
    ],
)
def test_metadata_and_hints_must_agree(
    tmp_path: Path, meta: str, kwargs: dict[str, str], message: str
) -> None:
    with pytest.raises(RnnError, match=message):
        load_model(npz_with(tmp_path, meta), **kwargs)


def test_metadata_sets_nonlinearity_and_output(tmp_path: Path) -> None:
    sd = dict(init_model("rnn", 2, 3, seed=0).params)
    model = load_model(npz_with(tmp_path, '{"nonlinearity": "relu", "output": "linear"}', **sd))
    assert (model.nonlinearity, model.output) == ("relu", "linear")
    assert load_model(tmp_path / "w.npz", cell="rnn", nonlinearity="relu").cell == "rnn"


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("w.safetensors", b"\x00" * 20, "not a readable safetensors file"),
        ("w.npz", b"PK\x03\x04 not really a zip", "not a readable .npz file"),
        ("w.txt", b"", "unknown weights format '.txt'"),
        ("w.h5", b"", r"w.h5 is not a readable Keras weights file"),
    ],
)
def test_corrupt_or_unknown_files(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    (tmp_path / name).write_bytes(content)
    with pytest.raises(RnnError, match=message):
        load_model(tmp_path / name)


def test_bfloat16_safetensors_says_to_save_float32(tmp_path: Path) -> None:
    """PyTorch checkpoints are often bfloat16, which numpy has no type for: it said "not a
    readable safetensors file (data type 'bfloat16' not understood)"."""
    weight = np.ones((2, 2), dtype=np.float32)
    raw = (weight.view("<u4") >> 16).astype("<u2").tobytes()  # bfloat16: float32's high half
    header = json.dumps(
        {"weight_ih_l0": {"dtype": "BF16", "shape": [2, 2], "data_offsets": [0, len(raw)]}}
    ).encode()
    path = tmp_path / "w.safetensors"
    path.write_bytes(len(header).to_bytes(8, "little") + header + raw)
    with pytest.raises(RnnError, match="holds BF16 tensors, which numpy cannot read: save th"):
        load_model(path)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(RnnError, match="does not exist"):
        load_model(tmp_path / "nope.npz")
    (tmp_path / "d.npz").mkdir()
    with pytest.raises(RnnError, match="is not a file"):
        load_model(tmp_path / "d.npz")


def test_pickled_and_single_array_npz_refused(tmp_path: Path) -> None:
    np.savez(tmp_path / "obj.npz", weight_ih_l0=np.array([{"a": 1}], dtype=object))
    with pytest.raises(RnnError, match="never unpickles"):
        load_model(tmp_path / "obj.npz")
    np.save(tmp_path / "one.npy", np.zeros(3))
    (tmp_path / "one.npy").rename(tmp_path / "one.npz")
    with pytest.raises(RnnError, match="single array"):
        load_model(tmp_path / "one.npz")
    np.savez(tmp_path / "empty.npz")
    with pytest.raises(RnnError, match="holds no arrays"):
        load_model(tmp_path / "empty.npz")


def test_corrupt_pt(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    (tmp_path / "w.pt").write_bytes(b"\x80\x02 junk")
    with pytest.raises(RnnError, match="not a readable PyTorch file|pickled"):
        load_model(tmp_path / "w.pt")
