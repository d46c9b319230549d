"""Data: text to one-hot, CSV and .npy to (T, I) float64, and one clear line for bad data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rnncore import RnnError, load_data, load_numeric, text_data


def test_hello() -> None:
    d = text_data("hello")
    assert d.vocab == ["h", "e", "l", "o"]
    assert d.x.argmax(axis=1).tolist() == [0, 1, 2, 2] and d.targets.tolist() == [1, 2, 2, 3]
    assert d.x.sum(axis=1).tolist() == [1.0] * 4 and d.text == "hello"


def test_text_with_a_given_vocabulary() -> None:
    d = text_data("oleh", vocab=["h", "e", "l", "o"])
    assert d.x.argmax(axis=1).tolist() == [3, 2, 1] and d.targets.tolist() == [2, 1, 0]
    with pytest.raises(RnnError, match="'z' of the text is not in the model's vocabulary 'helo'"):
        text_data("hez", vocab=["h", "e", "l", "o"])
    with pytest.raises(RnnError, match="too short"):
        text_data("h")


def test_a_vocab_file_saved_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    """Notepad's "UTF-8 with BOM" is UTF-8: it was refused as 'not a readable JSON file
    (Unexpected UTF-8 BOM ...)', while a CSV saved so is read."""
    from rnncore.data import read_vocab

    path = tmp_path / "vocab.json"
    path.write_bytes(b"\xef\xbb\xbf" + b'["h", "e", "l", "o"]')
    assert read_vocab(str(path), "--vocab") == ["h", "e", "l", "o"]
    path.write_bytes('["h", "e"]'.encode("utf-16"))
    with pytest.raises(RnnError, match="is UTF-16 text: save it as UTF-8"):
        read_vocab(str(path), "--vocab")


def test_a_large_vocabulary_is_shown_by_its_start_and_size() -> None:
    """A vocabulary of 20,000 characters made the line 20,000 characters long."""
    vocab = [chr(c) for c in range(0x4E00, 0x4E00 + 20_000)]
    with pytest.raises(
        RnnError, match=r"vocabulary '一丁.*'\.\.\. \(20,000 characters\): use"
    ) as err:
        text_data("hello", vocab)
    assert len(str(err.value)) < 200


@pytest.mark.parametrize("text", ["  ", "   ", " \t\n", "\u3000\u00a0"])
def test_a_text_of_only_whitespace_is_refused(text: str) -> None:
    """It drew as a row of ␣ read by a model that learns nothing: there is nothing to read."""
    with pytest.raises(RnnError, match=r"the text is only whitespace \(\d characters\): there"):
        text_data(text)
    assert text_data(" a ").vocab == [" ", "a"]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "text",
    [
        "a,b\n1,2\n3.5,-4e-3\n",  # header
        "1,2\n3.5,-4e-3\n",  # no header
        "\ufeff time , value \n 1 , 2 \n3.5,-4e-3\n\n",  # BOM, spaces, trailing blank line
    ],
)
def test_csv(tmp_path: Path, text: str) -> None:
    data = load_data(write(tmp_path, "d.csv", text))
    assert data.dtype == np.float64
    assert data.tolist() == [[1.0, 2.0], [3.5, -4e-3]]


@pytest.mark.parametrize(
    "text, names",
    [
        ("temp,humidity,wind\n1,2,3\n", ["temp", "humidity", "wind"]),
        ("1,2,3\n4,5,6\n", []),  # no header: the scenes say x1, x2, x3
        ("\ufeff温度, 相对湿度 ,风速\n1,2,3\n", ["温度", "相对湿度", "风速"]),  # BOM, spaces
        ("a,,  \n1,2,3\n", ["a", "", ""]),  # blank names stay blank (x2, x3 on screen)
        ('"wind\nspeed","a\tb",c\n1,2,3\n', ["wind speed", "a b", "c"]),  # on one line
    ],
)
def test_csv_header_names_the_features(tmp_path: Path, text: str, names: list[str]) -> None:
    data = load_numeric(write(tmp_path, "d.csv", text))
    assert data.names == names and data.x.shape == (len(data.x), 3)


def test_npy_names_no_feature(tmp_path: Path) -> None:
    np.save(tmp_path / "d.npy", np.ones((4, 2)))
    assert load_numeric(tmp_path / "d.npy").names == []


@pytest.mark.parametrize(
    "text, example",
    [
        ("0,5\n1,25\n-0,75\n", "-0,75 on line 3"),  # a negative zero: a fraction's sign
        ("0,5\n1,25\n0,05\n", "0,05 on line 3"),  # digits after the comma from a 0
    ],
)
def test_a_headerless_column_of_decimal_commas_is_refused(
    tmp_path: Path, text: str, example: str
) -> None:
    """It read as two columns of whole numbers, silently: a wrong series."""
    message = rf"d.csv: the numbers are written with decimal commas \({example}\): write decimal"
    with pytest.raises(RnnError, match=message):
        load_data(write(tmp_path, "d.csv", text))


@pytest.mark.parametrize(
    "text",
    [
        "3,17\n5,2\n8,40\n",  # a step and a count
        "2024,03\n2024,04\n2024,10\n",  # a year and a month, padded to one length
        "0,50\n1,25\n0,05\n",  # fixed places: no telling them from padded whole numbers
        "a,b\n0,5\n-0,75\n",  # a header of two names says these are two columns
    ],
)
def test_two_columns_of_whole_numbers_still_read(tmp_path: Path, text: str) -> None:
    assert load_data(write(tmp_path, "d.csv", text)).shape[1] == 2


def test_csv_one_column_is_t_by_1(tmp_path: Path) -> None:
    assert load_data(write(tmp_path, "d.csv", "y\n1\n2\n3\n")).shape == (3, 1)


@pytest.mark.parametrize(
    "array, shape", [(np.arange(5), (5, 1)), (np.ones((4, 3), dtype=np.float32), (4, 3))]
)
def test_npy(tmp_path: Path, array: np.ndarray, shape: tuple[int, int]) -> None:
    np.save(tmp_path / "d.npy", array)
    data = load_data(tmp_path / "d.npy")
    assert data.shape == shape and data.dtype == np.float64
    np.testing.assert_array_equal(data.reshape(array.shape), array)


DECIMAL_COMMAS = (
    r"is not a number: the numbers are written with decimal commas \({example} on line {line}\): "
    r"write decimal points \(0.5\), and commas between the columns"
)


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "has no data rows"),
        ("a,b\n", "has no data rows"),
        ("1,2\n3\n", "ragged: line 2 has 1 column but line 1 has 2"),
        # a quote opening a row's first cell: the rest of the file is that one cell, not ragged
        ('a,b\n1,2\n"3,4\n5,6\n', "never closed, so everything after it reads as one cell"),
        ("a,b\n1,2\n3,x\n", "line 3, column 2: 'x' is not a number"),
        ("1,2\n3,\n", "line 2, column 2: '' is not a number"),
        ("1,2\nnan,3\n", "step 2, feature 1 is nan"),
        ("1,inf\n", "step 1, feature 2 is inf"),
        ("h,e\nl,l\n", "line 2, column 1: 'l' is not a number"),
        ("d,v\n2020-01-01,1\n", "'2020-01-01' is not a number: give numbers only .* dates"),
        ("1;2\n3;4\n", "'3;4' is not a number: separate the columns with commas"),
        ("1\t2\n3\t4\n", "is not a number: separate the columns with commas"),
        ("1 2\n3 4\n", "'3 4' is not a number: separate the columns with commas"),
        ("a;b\n0,5;1,25\n0,75;1,5\n", DECIMAL_COMMAS.format(example="0,5", line=2)),
        ('"0,5","1,25"\n"0,75","1,5"\n', DECIMAL_COMMAS.format(example="0,75", line=2)),
        ("a\tb\n0,5\t-1,25\n", DECIMAL_COMMAS.format(example="0,5", line=2)),
        ("a b\n1 2\n0,5 1,25e3\n", DECIMAL_COMMAS.format(example="0,5", line=3)),
        ("a;b\n1;2\n", "'1;2' is not a number: separate the columns with commas"),
        (
            "x\n0,5\n1,25\n",
            r"is ragged: its header \(line 1\) names 1 column but line 2 has 2: the numbers are "
            r"written with decimal commas \(0,5 on line 2\)",
        ),
        (
            "a,b\n1,2,3\n4,5,6\n",
            r"its header \(line 1\) names 2 columns but line 2 has 3: give each column one name",
        ),
    ],
)
def test_bad_csv(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(RnnError, match=message):
        load_data(write(tmp_path, "d.csv", text))


@pytest.mark.parametrize(
    "array, message",
    [
        (np.zeros((0,)), "is empty"),
        (np.zeros((3, 0)), "is empty"),
        (np.zeros((2, 2, 2)), r"has shape \(2, 2, 2\): give shape \(T,\) or \(T, I\)"),
        (np.array(["1", "2"]), "holds <U1 values, not real numbers"),
        (np.array([1 + 2j]), "not real numbers"),
        (np.array([[1.0, -np.inf]]), "step 1, feature 2 is -inf"),
    ],
)
def test_bad_npy(tmp_path: Path, array: np.ndarray, message: str) -> None:
    np.save(tmp_path / "d.npy", array)
    with pytest.raises(RnnError, match=message):
        load_data(tmp_path / "d.npy")


def test_object_npy_is_never_unpickled(tmp_path: Path) -> None:
    np.save(tmp_path / "d.npy", np.array([[1.0], "a"], dtype=object), allow_pickle=True)
    with pytest.raises(RnnError, match="holds Python objects"):
        load_data(tmp_path / "d.npy")


@pytest.mark.parametrize("version", [(1, 0), (2, 0)])
def test_npy_shorter_than_its_header_says(tmp_path: Path, version: tuple[int, int]) -> None:
    """Numpy allocated the header's shape first: 10**13 rows were "out of memory" (exit 3, a
    fault of the machine), not a damaged file."""
    header = {"descr": "<f8", "fortran_order": False, "shape": (10**13, 2)}
    write_header = {
        (1, 0): np.lib.format.write_array_header_1_0,
        (2, 0): np.lib.format.write_array_header_2_0,
    }[version]
    with open(tmp_path / "d.npy", "wb") as fh:
        write_header(fh, header)
        fh.write(np.ones(20).tobytes())
    with pytest.raises(RnnError, match=r"not a valid .npy file \(its header says shape"):
        load_data(tmp_path / "d.npy")


def test_bad_paths(tmp_path: Path) -> None:
    with pytest.raises(RnnError, match="does not exist: check its name and folder"):
        load_data(tmp_path / "none.csv")
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(RnnError, match="is not a file but a directory: give the path of a file"):
        load_data(tmp_path / "folder.csv")
    with pytest.raises(RnnError, match="is not a file but a device or a pipe: give the path"):
        load_data("/dev/null")
    with pytest.raises(RnnError, match=r"unknown data format '\.txt': use a \.csv or \.npy"):
        load_data(write(tmp_path, "d.txt", "1\n"))
    (tmp_path / "junk.npy").write_bytes(b"\x93NUMPY junk")
    with pytest.raises(RnnError, match="not a valid .npy file"):
        load_data(tmp_path / "junk.npy")
    (tmp_path / "bin.csv").write_bytes(b"\xff\xfe\x00\x01")
    with pytest.raises(RnnError, match="is UTF-16 text: save it as UTF-8"):  # its first bytes
        load_data(tmp_path / "bin.csv")
