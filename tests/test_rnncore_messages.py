"""rnncore does not know the command line: its messages name the file and what is wrong, and
the CLI (scenes/) names its options in what to do."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from rnncore import RnnError
from rnncore.train import History

RNNCORE = Path(__file__).resolve().parents[1] / "rnncore"
OPTION = re.compile(r"--[a-z]")


def message_strings(tree: ast.AST) -> list[str]:
    """Every string literal that is not a docstring (a bare string statement)."""
    docstrings = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_no_rnncore_message_names_a_command_line_option() -> None:
    for path in sorted(RNNCORE.glob("*.py")):
        for s in message_strings(ast.parse(path.read_text(encoding="utf-8"))):
            assert not OPTION.search(s), f"{path.name}: {s!r} names a CLI option"


def test_a_history_that_is_not_one_is_named_and_the_command_says_what_to_do(
    tmp_path: Path,
) -> None:
    import numpy as np

    path = tmp_path / "w.npz"
    np.savez(path, x=np.zeros(3))
    with pytest.raises(RnnError) as err:
        History.load(path)
    assert str(err.value) == f"{path} is not a training history (it has no loss)"


def test_a_count_of_one_is_singular(tmp_path: Path) -> None:
    """Messages said '1 snapshots' and 'a sequence of 1 steps': counts go through plural."""
    import numpy as np

    from rnncore import forward, init_model
    from rnncore.errors import plural
    from rnncore.fit import fit_series

    assert [plural(n, "step") for n in (0, 1, 2)] == ["0 steps", "1 step", "2 steps"]
    model = init_model("rnn", 2, 3, seed=0)
    with pytest.raises(RnnError, match="^input has 1 feature but the model expects 2"):
        forward(model, np.zeros((4, 1)))
    with pytest.raises(RnnError, match="^w reads 1 input but d.csv has 2 features"):
        fit_series(init_model("rnn", 1, 3, seed=0), np.zeros((4, 2)), "w", "d.csv")
