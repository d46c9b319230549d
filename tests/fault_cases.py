"""The bad inputs of the fault-injection suite (tests/test_faults.py): hostile texts, damaged
data and weights files, options out of range (tests/fault_options.py), each given to the command
a user would run.

A case is an argv in which IN:name is a file made from FILES (bytes, or a function writing
the file) and OUT is the output directory; and the start of the one line it must give.
"""

from __future__ import annotations

import json
import pickle
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from rnncore import init_model, save_model
from tests.fault_options import option_cases

Maker = Callable[[Path], None]


# ---------------------------------------------------------------- hostile texts

CONTROL = [chr(c) for c in range(0x20) if chr(c) not in "\t\n"] + ["\x7f", "\x85", "\x9f"]
INVISIBLE = [
    "\u00ad",
    "\u061c",
    "\u180e",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u200e",
    "\u200f",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2060",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\ufeff",
    "\U000e0001",
]
SEPARATORS = ["\u00a0", "\u2003", "\u2009", "\u202f", "\u3000", "\u2028", "\u2029"]
LONE_MARKS = ["\u0301", "\u0308", "\u0327", "\u0903", "\u20dd"]  # after a space: no letter
NOT_CHARACTERS = ["\u0378", "\ue000", "\U000f0000", "\ud800"]
NO_FONT = ["\U0001f680", "\U0001f923", "\U0001fae0", "\U0001f9ea"]  # emoji of no installed font


def _text_cases() -> dict[str, tuple[list[str], str]]:
    cases = {}
    for group, chars, message in (
        ("control", CONTROL, "a control character"),
        ("invisible", INVISIBLE, "an invisible format character"),
        ("separator", SEPARATORS, "which draws as nothing"),
        ("lone mark", LONE_MARKS, "a combining mark"),
        ("not a character", NOT_CHARACTERS, "draws as nothing"),
        ("no font", NO_FONT, "no installed font"),
    ):
        for ch in chars:
            text = f"he {ch}llo" if group == "lone mark" else f"he{ch}llo"
            cases[f"text {group} U+{ord(ch):04X}"] = (
                ["render", "R1", "--text", text, "--out", "OUT"],
                message,
            )
    cases["text empty"] = (["render", "R1", "--text", "", "--out", "OUT"], "too short")
    cases["text one character"] = (["render", "R1", "--text", "x", "--out", "OUT"], "too short")
    cases["text only spaces"] = (
        ["render", "R1", "--text", "   ", "--out", "OUT"],
        "the text is only whitespace",
    )
    cases["train text only whitespace"] = (
        ["train", "--cell", "rnn", "--text", " \t\n ", "--out", "OUT/w.npz"],
        "the text is only whitespace",
    )
    cases["trace text only whitespace"] = (
        ["trace", "--cell", "lstm", "--text", "\n\n", "--out", "OUT/t.npz"],
        "the text is only whitespace",
    )
    cases["text 10,000 characters, one bad"] = (
        ["render", "R1", "--text", "ab" * 5000 + "\r", "--out", "OUT"],
        "character 10001",
    )
    cases["text longer than a render passes to Manim"] = (  # Linux's 128 KB for one variable
        ["render", "R1", "--text", "ab" * 65_600, "--out", "OUT"],
        "--text is 131,200 bytes in UTF-8, more than a render can pass to Manim",
    )
    # a byte that is not UTF-8 in argv (a latin-1 terminal) reaches Python as U+DCFF: writing
    # it in JSON, CSV or safetensors metadata was a UnicodeEncodeError, exit 70
    cases["train text with a byte not UTF-8"] = (
        [
            "train",
            "--cell",
            "rnn",
            "--steps",
            "5",
            "--text",
            "ab\udcffc",
            "--out",
            "OUT/w.safetensors",
        ],
        "character 3 of the text is the byte 0xff, which is not UTF-8: give the text as UTF-8",
    )
    cases["trace text with a byte not UTF-8"] = (
        ["trace", "--cell", "rnn", "--text", "caf\udce9", "--out", "OUT/t.json"],
        "character 4 of the text is the byte 0xe9, which is not UTF-8",
    )
    cases["trace vocab with a byte not UTF-8"] = (
        ["trace", "--cell", "rnn", "--text", "ab", "--vocab", "ab\udcff", "--out", "OUT/t.csv"],
        "--vocab: symbol 2 is the byte 0xff, which is not UTF-8",
    )
    cases["text zalgo"] = (
        ["render", "R1", "--text", "h\u0301\u0302\u0303\u0304i", "--out", "OUT"],
        "a combining mark",
    )
    cases["text of a vocabulary the weights lack"] = (
        ["render", "R1", "--text", "zzz", "--weights", "IN:hello_rnn.safetensors", "--out", "OUT"],
        "not in the model's vocabulary",
    )
    return cases


# ---------------------------------------------------------------- data files


def _npy(array: object, **kwargs: object) -> Maker:
    return lambda p: np.save(p, array, **kwargs)  # type: ignore[arg-type]


DATA_FILES: dict[str, bytes | Maker] = {
    "empty.csv": b"",
    "header_only.csv": b"a,b\n",
    "blank_lines.csv": b"\n\n  \n",
    "ragged.csv": b"1,2\n3\n",
    "words.csv": b"1,2\nthree,4\n",
    "nan.csv": b"1,2\nnan,4\n",
    "inf.csv": b"1,2\ninf,4\n",
    "minus_inf.csv": b"1,2\n-inf,4\n",
    "overflowing.csv": b"1,2\n1e400,4\n",
    "binary.csv": bytes(range(256)) * 4,
    "utf16.csv": "1,2\n3,4\n".encode("utf-16"),
    "latin1.csv": "1,2\n\xe9,4\n".encode("latin-1"),
    "one_row.csv": b"1,2\n",
    "huge.csv": b"1e300,1e300\n-1e300,1e300\n1e300,-1e300\n",
    "object.npy": _npy(np.array([{"a": 1}, None], dtype=object), allow_pickle=True),
    "complex.npy": _npy(np.ones(4, dtype=complex)),
    "strings.npy": _npy(np.array(["a", "b"])),
    "three_d.npy": _npy(np.ones((2, 2, 2))),
    "empty.npy": _npy(np.zeros((0, 2))),
    "scalar.npy": _npy(np.float64(1.0)),
    "nan.npy": _npy(np.array([1.0, np.nan, 2.0])),
    "truncated.npy": lambda p: (np.save(p, np.ones((50, 3))), p.write_bytes(p.read_bytes()[:100])),
    "garbage.npy": b"\x93NUMPY garbage",
    "pickle.npy": pickle.dumps([1, 2, 3]),
    "data.txt": b"1,2\n3,4\n",
    "data.xlsx": b"PK\x03\x04",
    "bool.npy": _npy(np.array([True, False, True])),
    "decimal_commas.csv": b"a;b\n0,5;1,25\n0,75;1,5\n",
    "decimal_commas_quoted.csv": b'"a","b"\n"0,5","1,25"\n"0,75","1,5"\n',
    "decimal_commas_one_column.csv": b"x\n0,5\n1,25\n0,75\n",
    # no header: the column reads as two of whole numbers, but -0 (and 05) tell it
    "decimal_commas_no_header.csv": b"0,5\n1,25\n-0,75\n0,05\n",
    # the rest of the file read as one cell: "no data rows", or a cell '4\n5,6' not a number
    "unclosed_quote.csv": b'1,"2\n3,4\n5,6\n',
    "unclosed_quote_late.csv": b'a,b\n1,2\n3,"4\n5,6\n',
}
HEADER_FILES: dict[str, bytes | Maker] = {
    "header_nul.csv": b"a,b\x00\n1,2\n3,4\n5,6\n",
    "header_control.csv": b"a\x01,b\n1,2\n3,4\n5,6\n",
    "header_emoji.csv": "\U0001f680 speed,b\n1,2\n3,4\n5,6\n".encode(),
}
VOCAB_FILES: dict[str, bytes | Maker] = {
    "vocab_control.json": json.dumps([*"helo", "\r"]).encode(),
}


def _data_cases() -> dict[str, tuple[list[str], str]]:
    cases: dict[str, tuple[list[str], str]] = {}
    messages = {
        "empty": "no data rows",
        "header_only": "no data rows",
        "blank_lines": "no data rows",
        "ragged": "ragged",
        "words": "not a number",
        "nan": "finite",
        "inf": "finite",
        "minus_inf": "finite",
        "overflowing": "finite",
        "binary": "is not UTF-8 text (byte 0x80: invalid start byte): save it as UTF-8",
        "utf16": "is UTF-16 text: save it as UTF-8 (a spreadsheet's CSV UTF-8)",
        "latin1": "is not UTF-8 text (byte 0xe9: invalid continuation byte): save",
        "one_row": "at least two",
        "huge": "too large",
        "object": "never unpickles",
        "complex": "not real numbers",
        "strings": "not real numbers",
        "bool": "",
        "three_d": "shape",
        "empty.npy": "empty",
        "scalar": "shape",
        "truncated": "not a valid .npy",
        "garbage": "not a valid .npy",
        "pickle": "",
        "data.txt": "unknown data format",
        "data.xlsx": "unknown data format",
        "decimal_commas": "decimal commas",
        "decimal_commas_quoted": "decimal commas",
        "decimal_commas_one_column": "decimal commas",
        "decimal_commas_no_header": "decimal commas",
        "unclosed_quote": 'a quote (") that is never closed, so everything after it reads',
        "unclosed_quote_late": "never closed, so everything after it reads as one cell (the "
        "last quote is on line 3)",
    }
    for name in DATA_FILES:
        key = name if name in messages else name.split(".")[0]
        message = messages.get(key, "")
        if name == "bool.npy":
            continue  # booleans are numbers to numpy: 1 and 0 are fine data
        for command in ("train", "render"):
            if command == "train" and name == "huge.csv":
                continue  # train standardises numbers: huge ones are fine there
            if command == "render" and name == "one_row.csv":
                message = "at least two"
            argv = (
                [
                    "train",
                    "--cell",
                    "rnn",
                    "--data",
                    f"IN:{name}",
                    "--steps",
                    "5",
                    "--out",
                    "OUT/w.safetensors",
                ]
                if command == "train"
                else ["render", "R1", "--data", f"IN:{name}", "--out", "OUT"]
            )
            cases[f"{command} data {name}"] = (argv, message)
    cases["trace data missing"] = (
        ["trace", "--cell", "rnn", "--data", "IN:none.csv", "--out", "OUT/t.npz"],
        "does not exist",
    )
    cases["trace data is a directory"] = (
        ["trace", "--cell", "rnn", "--data", "OUT", "--out", "OUT/t.npz"],
        "is not a file",
    )
    cases["trace data name empty"] = (
        ["trace", "--cell", "rnn", "--data", "", "--out", "OUT/t.npz"],
        "",
    )
    cases["train target of other length"] = (
        [
            "train",
            "--cell",
            "rnn",
            "--data",
            "IN:good.csv",
            "--target",
            "IN:one_row.csv",
            "--out",
            "OUT/w.npz",
        ],
        "one target row per data row",
    )
    for command, rest in (
        ("render", ["R1", "--out", "OUT"]),
        ("train", ["--cell", "rnn", "--steps", "5", "--out", "OUT/w.npz"]),
        ("trace", ["--cell", "rnn", "--out", "OUT/t.npz"]),
    ):
        cases[f"{command} vocab with data"] = (
            [command, *rest, "--data", "IN:good.csv", "--vocab", "ab"],
            "--vocab goes with --text: numeric data has no characters",
        )
    # header names are drawn whole (R1's key, R6's table): Pango crashed on NUL, drew a box
    # for other control characters and an empty one for an emoji; train and trace draw nothing
    for name, message in (
        ("header_nul.csv", "column 2, 'b\\x00', has U+0000, a control character"),
        ("header_control.csv", "column 1, 'a\\x01', has U+0001, a control character"),
        ("header_emoji.csv", "column 1, '\U0001f680 speed', has U+1F680 ROCKET, which no"),
    ):
        cases[f"render data {name}"] = (
            ["render", "R1", "--data", f"IN:{name}", "--out", "OUT"],
            message,
        )
    cases["render vocab file of a control character"] = (
        ["render", "R1", "--text", "hello", "--vocab", "IN:vocab_control.json", "--out", "OUT"],
        "vocabulary entry 4 '\\r' has U+000D, a control character, which draws as nothing: "
        "remove it from --vocab",
    )
    cases["render vocab of a control character"] = (
        ["render", "R1", "--text", "hello", "--vocab", "helo\x01", "--out", "OUT"],
        "--vocab: vocabulary entry 4 '\\x01' has U+0001",
    )
    cases["train target without data"] = (
        ["train", "--cell", "rnn", "--target", "IN:good.csv", "--out", "OUT/w.npz"],
        "--target goes with --data",
    )
    return cases


# ---------------------------------------------------------------- weights files


def _model_file(
    cell: str,
    inputs: int,
    transform: Callable[[dict], dict] | None = None,
    meta: dict[str, str] | None = None,
) -> Maker:
    def make(p: Path) -> None:
        params = init_model(cell, inputs, 3, 1, inputs, seed=1).params
        arrays = transform(dict(params)) if transform else params
        np.savez(p, **arrays, __meta__=np.array(json.dumps(meta or {})))

    return make


def _vocab_file(bad: str) -> Maker:
    """An RNN for the characters of "hello" and one more symbol, which cannot be drawn."""
    return _model_file("rnn", 5, meta={"vocab": json.dumps([*"helo", bad])})


def _saved(cell: str, vocab: list[str]) -> Maker:
    def make(p: Path) -> None:
        save_model(
            init_model(cell, len(vocab), 3, 1, len(vocab), seed=1, vocab=vocab, output="softmax"), p
        )

    return make


def _scaled(factor: float) -> Callable[[dict], dict]:
    return lambda a: {k: v * factor for k, v in a.items()}


def _safetensors_header(header: bytes) -> bytes:
    return struct.pack("<Q", len(header)) + header


def _zip_with(name: str, content: bytes) -> Maker:
    def make(p: Path) -> None:
        with zipfile.ZipFile(p, "w") as z:
            z.writestr(name, content)

    return make


DEEP_JSON = "[" * 100_000 + "]" * 100_000


def _keras_zip(config: bytes, weights: bytes = b"") -> Maker:
    def make(p: Path) -> None:
        with zipfile.ZipFile(p, "w") as z:
            z.writestr("config.json", config)
            z.writestr("model.weights.h5", weights)

    return make


def _keras_rnn_with_config(config: bytes) -> Maker:
    """A .keras file of the fixture SimpleRNN's weights and this config.json."""
    weights = Path(__file__).parent / "fixtures" / "keras_seq_rnn.weights.h5"
    return lambda p: _keras_zip(config, weights.read_bytes())(p)


WEIGHT_FILES: dict[str, bytes | Maker] = {
    "hello_rnn.safetensors": _saved("rnn", list("helo")),
    "empty.safetensors": b"",
    "garbage.safetensors": b"garbage that is not a safetensors file",
    "huge_header.safetensors": struct.pack("<Q", 2**62) + b"{}",
    "bad_json.safetensors": _safetensors_header(b"{not json"),
    "bad_offsets.safetensors": _safetensors_header(
        b'{"w":{"dtype":"F64","shape":[2,2],"data_offsets":[0,64]}}'
    ),
    "truncated.safetensors": lambda p: (
        _saved("rnn", list("helo"))(p),
        p.write_bytes(p.read_bytes()[:200]),
    ),
    "empty.npz": b"",
    "garbage.npz": b"PK\x03\x04 garbage",
    "no_arrays.npz": lambda p: np.savez(p),
    "object.npz": lambda p: np.savez(p, w=np.array([None], dtype=object)),
    "member_not_npy.npz": _zip_with("weight_ih_l0.npy", b"not an npy"),
    "bad_meta.npz": lambda p: np.savez(
        p, __meta__=np.array("{not json"), **init_model("rnn", 4, 3, 1, 4, seed=1).params
    ),
    "nan.npz": _model_file("rnn", 4, lambda a: {**a, "weight_hh_l0": a["weight_hh_l0"] * np.nan}),
    "inf.npz": _model_file("lstm", 4, lambda a: {**a, "bias_ih_l0": a["bias_ih_l0"] + np.inf}),
    "wrong_shape.npz": _model_file("rnn", 4, lambda a: {**a, "weight_hh_l0": np.ones((3, 2))}),
    "missing_key.npz": _model_file(
        "rnn", 4, lambda a: {k: v for k, v in a.items() if k != "bias_hh_l0"}
    ),
    "extra_key.npz": _model_file("rnn", 4, lambda a: {**a, "conv.weight": np.ones((2, 2))}),
    "six_inputs.npz": _model_file("rnn", 6, meta={"vocab": json.dumps(list("abcdef"))}),
    "lstm.npz": _model_file("lstm", 4),
    "cell_meta_lies.npz": _model_file("rnn", 4, meta={"cell": "lstm"}),
    "bad_nonlinearity.npz": _model_file("rnn", 4, meta={"nonlinearity": "sigmoid"}),
    "vocab_not_list.npz": _model_file("rnn", 4, meta={"vocab": "{}"}),
    "vocab_control.npz": _vocab_file("\r"),
    "vocab_zero_width.npz": _vocab_file("\u200b"),
    "vocab_empty_entry.npz": _vocab_file(""),
    "vocab_no_font.npz": _vocab_file("\U0001f680"),
    "relu_overflow.npz": _model_file(
        "rnn", 4, _scaled(1e200), meta={"nonlinearity": "relu", "vocab": json.dumps([*"helo"])}
    ),
    "weights.h5": b"\x89HDF\r\n\x1a\n",
    "weights.bin": b"\x00" * 16,
    "pickled.pt": pickle.dumps({"weight_ih_l0": [1.0]}),
    # JSON nested past Python's recursion limit: RecursionError, exit 70, before json_value
    "deep_meta.npz": lambda p: np.savez(
        p, __meta__=np.array(DEEP_JSON), **init_model("rnn", 4, 3, 1, 4, seed=1).params
    ),
    "deep_vocab.npz": _model_file("rnn", 4, meta={"vocab": DEEP_JSON}),
    "deep_config.keras": _keras_zip(DEEP_JSON.encode()),
    # a config of no model: the SimpleRNN's activation went unchecked (tanh assumed), exit 0
    "null_config.keras": _keras_rnn_with_config(b"null"),
    "empty_config.keras": _keras_rnn_with_config(b"{}"),
}


def _history(change: Callable[[dict], dict]) -> Maker:
    """A training history of lstm.npz's model (two snapshots of its weights), changed."""

    def make(p: Path) -> None:
        params = init_model("lstm", 4, 3, 1, 4, seed=1).params
        arrays = {
            "loss": np.array([1.0, 0.5]),
            "snapshot_steps": np.array([0, 2]),
            **{f"snapshot/{k}": np.stack([v, v]) for k, v in params.items()},
        }
        np.savez(p, **change(arrays))

    return make


# each is replayed by L6: a damaged one failed inside Manim, or as a bug (exit 70)
HISTORY_FILES: dict[str, tuple[Callable[[dict], dict], str]] = {
    "strings.history.npz": (
        lambda a: {**a, "loss": np.array(["a", "b"])},
        "loss holds <U1 values, not real numbers",
    ),
    "nan.history.npz": (
        lambda a: {**a, "snapshot/weight_hh_l0": a["snapshot/weight_hh_l0"] * np.nan},
        "weight_hh_l0 is not finite",
    ),
    "float_steps.history.npz": (
        lambda a: {**a, "snapshot_steps": np.array([0.5, 2.5])},
        "snapshot_steps must be whole numbers, one per snapshot",
    ),
    "short.history.npz": (
        lambda a: {**a, "snapshot/bias_ih_l0": a["snapshot/bias_ih_l0"][:1]},
        "bias_ih_l0 has 1 snapshot but snapshot_steps counts 2",
    ),
}

WEIGHT_MESSAGES = {
    "empty.safetensors": "not a readable safetensors",
    "garbage.safetensors": "not a readable",
    "huge_header.safetensors": "not a readable",
    "bad_json.safetensors": "not a readable",
    "bad_offsets.safetensors": "not a readable",
    "truncated.safetensors": "not a readable",
    "empty.npz": "not a readable .npz",
    "garbage.npz": "not a readable .npz",
    "no_arrays.npz": "",
    "object.npz": "never unpickles",
    "member_not_npy.npz": "",
    "bad_meta.npz": "not a JSON object",
    "nan.npz": "finite",
    "inf.npz": "finite",
    "wrong_shape.npz": "shape",
    "missing_key.npz": "",
    "extra_key.npz": "conv.weight",
    "six_inputs.npz": "",
    "lstm.npz": "LSTM",
    "cell_meta_lies.npz": "metadata says",
    "bad_nonlinearity.npz": "",
    "vocab_not_list.npz": "not a JSON list",
    "vocab_control.npz": "a control character",
    "vocab_zero_width.npz": "invisible format",
    "vocab_empty_entry.npz": "not one character",
    "vocab_no_font.npz": "no installed font",
    "relu_overflow.npz": "overflow",
    "weights.h5": "not a readable Keras weights file",
    "weights.bin": "unknown",
    "pickled.pt": "",
    "deep_meta.npz": "__meta__ is not a JSON object",
    "deep_vocab.npz": "metadata 'vocab' is not a JSON list",
    "deep_config.keras": "not a readable .keras file (JSON nested too deeply)",
    "null_config.keras": "its config.json describes no Keras model (null): save the model again",
    "empty_config.keras": "its config.json describes no Keras model ({})",
}


def _weight_cases() -> dict[str, tuple[list[str], str]]:
    cases = {}
    for name, message in WEIGHT_MESSAGES.items():
        cases[f"render weights {name}"] = (
            ["render", "R1", "--weights", f"IN:{name}", "--out", "OUT"],
            message,
        )
        if not name.startswith("vocab_") and name not in ("six_inputs.npz", "lstm.npz"):
            cell = "lstm" if name in ("inf.npz",) else "rnn"
            cases[f"trace weights {name}"] = (
                ["trace", "--cell", cell, "--weights", f"IN:{name}", "--out", "OUT/t.npz"],
                message,
            )
    for name, (_, message) in HISTORY_FILES.items():
        cases[f"render history {name}"] = (
            ["render", "L6", "--weights", "IN:lstm.npz", "--history", f"IN:{name}", "--out", "OUT"],
            message,
        )
    cases["trace vocab file in UTF-16"] = (
        ["trace", "--cell", "rnn", "--vocab", "IN:utf16.json", "--out", "OUT/t.npz"],
        "utf16.json is UTF-16 text: save it as UTF-8",
    )
    cases["trace vocab file nested too deeply"] = (
        ["trace", "--cell", "rnn", "--vocab", "IN:deep.json", "--out", "OUT/t.npz"],
        "deep.json is not a readable JSON file (JSON nested too deeply)",
    )
    cases["render missing weights"] = (
        ["render", "R1", "--weights", "IN:none.npz", "--out", "OUT"],
        "does not exist",
    )
    return cases


FILES: dict[str, bytes | Maker] = {
    **DATA_FILES,
    **HEADER_FILES,
    **VOCAB_FILES,
    **WEIGHT_FILES,
    **{name: _history(change) for name, (change, _) in HISTORY_FILES.items()},
    "good.csv": b"1,2\n3,4\n5,6\n",
    "paired.safetensors": _saved("rnn", list("helo")),
    "paired.history.npz": b"the history of paired.safetensors",
    "deep.json": DEEP_JSON.encode(),
    "utf16.json": json.dumps([*"helo"]).encode("utf-16"),
}
CASES: dict[str, tuple[list[str], str]] = {
    **_text_cases(),
    **_data_cases(),
    **_weight_cases(),
    **option_cases(),
}
