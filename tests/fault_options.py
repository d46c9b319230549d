"""The options out of range of the fault-injection suite (tests/fault_cases.py): each an argv
(OUT is the output directory, IN:good.csv a good data file) and the start of the one line it
must give."""

from __future__ import annotations


def option_cases() -> dict[str, tuple[list[str], str]]:
    train = ["train", "--cell", "rnn", "--steps", "5"]
    cases: dict[str, tuple[list[str], str]] = {
        "no command": ([], ""),
        "unknown command": (["paint"], "invalid choice"),
        "render no target": (["render"], "required"),
        "render unknown target": (["render", "R9", "--out", "OUT"], "unknown target"),
        "render unknown part": (["render", "gru", "--out", "OUT"], "unknown target"),
        "render empty target": (["render", "", "--out", "OUT"], "unknown target"),
        "render quality": (["render", "R1", "-q", "x", "--out", "OUT"], "invalid choice"),
        "render format": (["render", "R1", "--format", "avi", "--out", "OUT"], "invalid choice"),
        "render lang": (["render", "R1", "--lang", "fr", "--out", "OUT"], "invalid choice"),
        "render jobs zero": (["render", "R1", "--jobs", "0", "--out", "OUT"], "at least 1"),
        "render jobs word": (["render", "R1", "--jobs", "two", "--out", "OUT"], "invalid"),
        "render text and data": (
            ["render", "R1", "--text", "hi", "--data", "IN:good.csv", "--out", "OUT"],
            "not allowed with",
        ),
        "render out empty": (["render", "R1", "--out", ""], "--out: is empty"),
        "render out is a file": (["render", "R1", "--out", "IN:good.csv"], "is a file"),
        "render out under a file": (
            ["render", "R1", "--out", "IN:good.csv/sub"],
            "good.csv/sub lies under the file",
        ),
        "slides out under a file": (
            ["slides", "R1", "--out", "IN:good.csv/sub/deck"],
            "lies under the file",
        ),
        "render step without L3 or L4": (
            ["render", "R1", "--step", "2", "--out", "OUT"],
            "no target shows them",
        ),
        "render step outside window": (
            ["render", "L3", "--steps", "0:3", "--step", "3", "--out", "OUT"],
            "outside the drawn window",
        ),
        "render step negative": (["render", "L3", "--step", "-1", "--out", "OUT"], "outside"),
        "render step word": (["render", "L3", "--step", "x", "--out", "OUT"], "invalid int"),
        "render vocab empty": (
            [
                "render",
                "R1",
                "--weights",
                "IN:hello_rnn.safetensors",
                "--vocab",
                "",
                "--out",
                "OUT",
            ],
            "argument --vocab: is empty",
        ),
        "render history empty": (
            ["render", "L6", "--weights", "IN:lstm.npz", "--history", "", "--out", "OUT"],
            "argument --history: is empty",
        ),
        "render steps empty": (["render", "R1", "--steps", "", "--out", "OUT"], "is empty"),
        "slides steps empty": (["slides", "R1", "--steps", "", "--out", "OUT"], "is empty"),
        "train vocab empty": ([*train, "--vocab", "", "--out", "OUT/w.npz"], "is empty"),
        "trace vocab empty": (
            ["trace", "--cell", "rnn", "--vocab", "", "--out", "OUT/t.npz"],
            "argument --vocab: is empty",
        ),
        "train hidden --": ([*train, "--hidden=--", "--out", "OUT/w.npz"], "expected one value"),
        "render data --": (["render", "R1", "--data=--", "--out", "OUT"], "expected one value"),
        "train out empty": ([*train, "--out", ""], "--out: is empty"),
        "train out directory": ([*train, "--out", "OUT/dir.npz"], "is a directory"),
        "train out directory without suffix": ([*train, "--out", "OUT"], "is a directory"),
        "trace out directory without suffix": (
            ["trace", "--cell", "rnn", "--out", "OUT"],
            "is a directory: give a file name",
        ),
        "train out under a file": ([*train, "--out", "IN:good.csv/w.npz"], ""),
        # Path drops a trailing slash: the file w.safetensors was written, exit 0
        "train out ends in a slash": (
            [*train, "--out", "OUT/w.safetensors/"],
            "w.safetensors/ names a folder, not a file: give a file name",
        ),
        "train out ends in /.": ([*train, "--out", "OUT/w.npz/."], "names a folder, not a file"),
        # ENAMETOOLONG: said as a fault of the machine (exit 3), though the name is the user's
        "train out name too long": (
            [*train, "--out", f"OUT/{'a' * 300}.npz"],
            "is 304 bytes long, more than the 255 a name can have here: give a shorter name",
        ),
        "trace out folder name too long": (
            ["trace", "--cell", "rnn", "--out", f"OUT/{'d' * 256}/t.npz"],
            "is 256 bytes long, more than the 255 a name can have here",
        ),
        "render out name too long": (
            ["render", "R1", "--out", f"OUT/{'字' * 86}"],
            "is 258 bytes long, more than the 255 a name can have here: give a shorter --out",
        ),
        "trace data name too long": (
            ["trace", "--cell", "rnn", "--data", f"IN:{'e' * 300}.csv", "--out", "OUT/t.npz"],
            "is 304 bytes long, more than the 255 a name can have here: check the file's name",
        ),
        "trace out ends in a slash": (
            ["trace", "--cell", "rnn", "--out", "OUT/t.npz/"],
            "t.npz/ names a folder, not a file",
        ),
        # W.npz and W.safetensors share W.history.npz: it was replaced, and L6 replayed it
        # for the other's weights
        "train out beside weights of the same name": (
            [*train, "--out", "IN:paired.npz"],
            "paired.history.npz is the training history of",
        ),
        "train out unknown format": ([*train, "--out", "OUT/w.pt"], "use .safetensors or .npz"),
        "train hidden zero": ([*train, "--hidden", "0", "--out", "OUT/w.npz"], "at least 1"),
        "train hidden negative": ([*train, "--hidden", "-3", "--out", "OUT/w.npz"], "at least 1"),
        "train layers zero": ([*train, "--layers", "0", "--out", "OUT/w.npz"], "at least 1"),
        "train cell": (["train", "--cell", "gru", "--out", "OUT/w.npz"], "invalid choice"),
        "train no cell": (["train", "--out", "OUT/w.npz"], "required"),
        "train optimiser": (
            [*train, "--optimiser", "rmsprop", "--out", "OUT/w.npz"],
            "invalid choice",
        ),
        "train nonlinearity": (
            [*train, "--nonlinearity", "gelu", "--out", "OUT/w.npz"],
            "invalid choice",
        ),
        "train text too short": ([*train, "--text", "a", "--out", "OUT/w.npz"], "too short"),
        "trace out unknown format": (
            ["trace", "--cell", "rnn", "--out", "OUT/t.txt"],
            "unknown trace format",
        ),
        "trace out empty": (["trace", "--cell", "rnn", "--out", ""], "--out: is empty"),
        # the trace replaced the file it read, status 0: the user's data or weights were lost
        "trace out is its data": (
            ["trace", "--cell", "rnn", "--data", "IN:good.csv", "--out", "IN:good.csv"],
            "good.csv is the --data file the trace reads, which it would replace",
        ),
        "trace out is its weights": (
            ["trace", "--cell", "lstm", "--weights", "IN:lstm.npz", "--out", "IN:./lstm.npz"],
            "lstm.npz is the --weights file the trace reads",
        ),
        "trace relu lstm": (
            ["trace", "--cell", "lstm", "--nonlinearity", "relu", "--out", "OUT/t.npz"],
            "relu is for the RNN",
        ),
        "trace hidden word": (
            ["trace", "--cell", "rnn", "--hidden", "x", "--out", "OUT/t.npz"],
            "invalid int",
        ),
    }
    for value, message in (
        ("0", "positive"),
        ("-0.1", "positive"),
        ("nan", "positive"),
        ("inf", "positive"),
        ("1e300", "diverged"),
        ("1e308", "diverged"),
        ("1e10", "diverged"),
        ("x", "invalid float"),
    ):
        cases[f"train lr {value}"] = ([*train[:-2], "--lr", value, "--out", "OUT/w.npz"], message)
    for value, message in (("0", "positive"), ("-1", "positive"), ("nan", "positive")):
        cases[f"train clip {value}"] = ([*train, "--clip", value, "--out", "OUT/w.npz"], message)
    for value, message in (("0", "at least 1"), ("-5", "at least 1"), ("x", "invalid int")):
        cases[f"train steps {value}"] = (
            ["train", "--cell", "rnn", "--steps", value, "--out", "OUT/w.npz"],
            message,
        )
    for window, message in (
        ("2:9", "outside"),
        ("5:2", "outside"),
        ("0:0", "outside"),
        ("3", "not of the form"),
        ("a:b", "not of the form"),
        ("-1:3", "outside"),
        ("1:2:3", "not of the form"),
        ("0:20", "outside"),
        ("9:", "outside"),
        (":9", "outside"),
    ):
        cases[f"render steps {window}"] = (
            ["render", "R1", f"--steps={window}", "--out", "OUT"],
            message,
        )
    cases["render window too wide"] = (
        ["render", "R1", "--text", "abcdefghijkl", "--steps", "0:10", "--out", "OUT"],
        "at most 8",
    )
    return cases
