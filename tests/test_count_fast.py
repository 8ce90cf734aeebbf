"""count_entries counts a block of lines at once: its counts are a csv.reader pass's.

The reference below reads the whole text with ``csv.reader`` and counts what a full load
counts: data rows (records after the header with a cell that is not blank), entries (runs of
rows whose entry number has one key; rows without a number belong to the run around them) and
whether an entry number comes back after another entry. The generated files hold entry
numbers repeated in runs and interleaved, spellings of one number that differ (case, spaces,
dashes), blank rows and rows without a number, short rows, quoted values holding commas,
doubled quotes and line breaks (in the number's cell too), quotes inside unquoted values,
``\\n``, ``\\r\\n`` and ``\\r`` line ends, a byte-order mark, other encodings, and blocks of a
few characters (so every cut between blocks is met).
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import t86audit
from t86audit.exceptions import InputError
from t86audit.io import _stream
from t86audit.io._columns import REQUIRED_COLUMNS
from t86audit.io._stream import count_entries
from t86audit.model import entry_number_key
from tests._file_settings import file_settings


OTHER_COLUMNS = sorted(REQUIRED_COLUMNS - {"entry_number"})


def reference(text: str, index: int) -> tuple[int, int, bool]:
    """(entries, data rows, contiguous) of a CSV text, from csv.reader's records."""
    records = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""), strict=True))
    while records and not "".join(records[0]).strip():
        del records[0]  # blank records before the header
    rows = [cells for cells in records[1:] if "".join(cells).strip()]
    runs: list[str] = []
    for cells in rows:
        number = cells[index].strip() if index < len(cells) else ""
        if number:
            key = entry_number_key(number)
            if not runs or runs[-1] != key:
                runs.append(key)
    return len(runs), len(rows), len(set(runs)) == len(runs)


NUMBERS = ["B76-0000001-5", "B76-0000002-3", "B76-0000003-1", "X1", "12", "a-b"]

plain_text = st.text(alphabet="ab -é9", max_size=6)
quoted_text = st.text(alphabet='ab,"\n\r -é', max_size=8)


@st.composite
def spelling(draw: st.DrawFn) -> str:
    """One of a few entry numbers, spelled as filed: case, spaces and dashes may differ."""
    number = draw(st.sampled_from(NUMBERS))
    if draw(st.booleans()):
        number = number.lower()
    if draw(st.booleans()):
        number = number.replace("-", draw(st.sampled_from(["", " ", "--"])))
    return draw(st.sampled_from(["", " ", "  "])) + number + draw(st.sampled_from(["", " "]))


@st.composite
def cell(draw: st.DrawFn) -> tuple[str, bool]:
    """A cell and whether it is written as it is (not through csv.writer's quoting)."""
    kind = draw(st.sampled_from(["plain", "plain", "quoted", "inch", "empty"]))
    if kind == "plain":
        return draw(plain_text), False
    if kind == "quoted":
        return draw(quoted_text), False
    if kind == "inch":
        # A quote inside an unquoted value is a character: 12" pipe, or a value ending in one.
        return draw(st.sampled_from(['12" pipe', 'x"', 'a"b"c', '3""'])), True
    return "", False


@st.composite
def csv_file(draw: st.DrawFn) -> tuple[str, int, str]:
    """(text, entry number column, encoding) of a CSV file."""
    width = draw(st.integers(1, 4))
    index = draw(st.integers(0, width - 1))
    names = [f"x{i}" for i in range(width)]
    names[index] = "entry_number"
    header = names + OTHER_COLUMNS
    end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    quote_all = draw(st.integers(0, 5)) == 0
    out = io.StringIO(newline="")
    writer = csv.writer(
        out, lineterminator=end, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    )
    if draw(st.booleans()):
        out.write(draw(st.sampled_from(["\n", ",,\n", " \r\n"])))  # blank lines before the header
    writer.writerow(header)
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.sampled_from(["row"] * 6 + ["blank", "no number", "short", "run"]))
        if kind == "blank":
            out.write(draw(st.sampled_from(["", ",", ",,", " , ", '"",', ',""', '" ",""'])) + end)
            continue
        number = "" if kind == "no number" else draw(spelling())
        count = draw(st.integers(2, 4)) if kind == "run" else 1
        inch = not quote_all and draw(st.integers(0, 9)) == 0
        for _ in range(count):
            cells = [draw(cell()) for _ in range(width + draw(st.integers(0, 2)))]
            # A quote inside the number's unquoted value now and then: 7" is a number too.
            cells[index] = (number + '"', True) if number and inch else (number, False)
            if kind == "short":
                cells = cells[: draw(st.integers(0, index))]
            if quote_all or not any(raw for _, raw in cells):
                writer.writerow([value for value, _ in cells])
            else:
                line = io.StringIO(newline="")
                csv.writer(line, lineterminator=end).writerow(
                    ["RAW" if raw else value for value, raw in cells]
                )
                # Put the raw cells back in place of their markers (plain text, no commas).
                parts = line.getvalue()[: -len(end)].split("RAW")
                texts = iter(value for value, raw in cells if raw)
                out.write(parts[0] + "".join(next(texts) + rest for rest in parts[1:]) + end)
    text = out.getvalue()
    if text.endswith(end) and draw(st.booleans()):
        text = text[: -len(end)]  # no line end after the last row
    encoding = draw(
        st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16"])
    )
    if encoding == "utf-8" and draw(st.booleans()):
        text = "\ufeff" + text
    return text, index, encoding


@file_settings(300)
@given(made=csv_file(), block=st.sampled_from([1, 2, 3, 5, 16, 1 << 18]))
def test_the_count_is_a_csv_reader_count(
    tmp_path: Path, made: tuple[str, int, str], block: int
) -> None:
    text, index, encoding = made
    path = tmp_path / "count.csv"
    data = text.encode(encoding)
    path.write_bytes(data)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_stream, "_COUNT_BLOCK", block)
        counted = count_entries([path], encoding=encoding)
    entries, rows, contiguous = reference(text, index)
    assert (counted.entries, counted.sources[0].rows_read, counted.contiguous) == (
        entries,
        rows,
        contiguous,
    )
    assert counted.sources[0].sha256 == hashlib.sha256(data).hexdigest()
    assert counted.sources[0].path == str(path)


@file_settings(60)
@given(made=csv_file())
def test_the_count_is_what_a_load_records(tmp_path: Path, made: tuple[str, int, str]) -> None:
    """The rows and hash a full load records (its source), however the lines were counted."""
    text, _, encoding = made
    path = tmp_path / "load.csv"
    path.write_bytes(text.encode(encoding))
    loaded = t86audit.load(path, encoding=encoding)
    assert count_entries([path], encoding=encoding).sources == loaded.sources


def _write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


HEADER = ",".join(["entry_number", *OTHER_COLUMNS]) + "\n"


def test_files_are_counted_one_after_the_other(tmp_path: Path) -> None:
    """Entries add up; a number in two files does not make either file's rows apart."""
    first = _write(tmp_path / "a.csv", HEADER + "A1,x\nA1,y\nB2,z\n")
    second = _write(tmp_path / "b.csv", HEADER + "B2,x\nC3,y\n")
    counted = count_entries([first, second])
    assert counted.entries == 4
    assert counted.contiguous is True
    assert [source.rows_read for source in counted.sources] == [3, 2]
    apart = _write(tmp_path / "c.csv", HEADER + "A1,x\nB2,y\na-1,z\n")
    assert count_entries([first, apart]).contiguous is False


def test_a_mapped_entry_number_column(tmp_path: Path) -> None:
    header = ",".join(["x", "y", "Entry No.", *OTHER_COLUMNS]) + "\n"
    path = _write(tmp_path / "m.csv", header + 'q,"a,b",A1\n"q\nr",1,A1\n,1,B2\n')
    counted = count_entries([path], mapping={"entry_number": "Entry No."})
    assert (counted.entries, counted.sources[0].rows_read) == (2, 3)
    with pytest.raises(InputError, match="entry_number"):
        count_entries([path])


def test_sorted_numbers_in_many_blocks_keep_rows_apart_found(tmp_path: Path) -> None:
    """Increasing numbers are closed a block at once; one coming back is still found."""
    numbers = [f"B76-{n:07d}-0" for n in range(2000)]
    lines = [f"{n},x\n" for n in numbers for _ in range(2)]
    path = _write(tmp_path / "s.csv", HEADER + "".join(lines))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_stream, "_COUNT_BLOCK", 997)
        counted = count_entries([path])
        assert (counted.entries, counted.sources[0].rows_read, counted.contiguous) == (
            2000,
            4000,
            True,
        )
        back = _write(tmp_path / "b.csv", HEADER + "".join(lines) + f"{numbers[1500]},y\n")
        assert count_entries([back]).contiguous is False
        down = _write(tmp_path / "d.csv", HEADER + "".join(reversed(lines)))
        assert count_entries([down]).contiguous is True
        assert count_entries([down]).entries == 2000


def test_a_row_of_quoted_blank_cells_is_not_a_row(tmp_path: Path) -> None:
    """``,"",`` is blank to the reader: neither a load nor the count counts it."""
    path = _write(tmp_path / "q.csv", HEADER + 'A1,x\n,"",\n, "" ,\nA2,x\n,"  ",""\n')
    loaded = t86audit.load(path)
    assert count_entries([path]).sources == loaded.sources
    assert loaded.sources[0].rows_read == 3


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n",
        HEADER.replace("entry_number", "number"),
        HEADER + 'A1,"never closed\n',
        HEADER + 'A1,x\n"A2"x,y\n',
        HEADER + 'A1,x\n"A2\n"x,y\nA3\n',
        (HEADER + 'A1,x\n\nA2,"y\n\n"\n,,\n"A3"x,y\n').replace("\n", "\r\n"),
        (HEADER + 'A1,x\n\nA2,"y\n\n"\n,,\n"A3"x,y\n').replace("\n", "\r"),
    ],
)
@pytest.mark.parametrize("block", [1, 2, 3, 1 << 18])
def test_errors_are_a_load_s(tmp_path: Path, text: str, block: int) -> None:
    """An empty file, a missing column, quoting the reader cannot read: as a load says it
    (the line and row named counted across the lines counted without the reader)."""
    path = _write(tmp_path / "e.csv", text)
    with pytest.raises(InputError) as loaded:
        t86audit.load(path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_stream, "_COUNT_BLOCK", block)
        with pytest.raises(InputError) as counted:
            count_entries([path])
    assert (str(counted.value), counted.value.row) == (str(loaded.value), loaded.value.row)


def test_an_undecodable_file_is_a_load_s_error(tmp_path: Path) -> None:
    path = tmp_path / "u.csv"
    path.write_bytes(HEADER.encode() + b"A1,x\n" * 1000 + b"A2,\xff\n")
    with pytest.raises(InputError) as loaded:
        t86audit.load(path)
    with pytest.raises(InputError) as counted:
        count_entries([path])
    assert str(counted.value) == str(loaded.value)


def test_quoting_after_the_number_on_a_line_counted_alone_is_left_to_the_reader(
    tmp_path: Path,
) -> None:
    """As before: a line whose number a split at commas gives, and that ends outside any
    quoted value, is counted without the reader, so its bad quoting is not met (the stream's
    reader meets it, as a load does)."""
    path = _write(tmp_path / "b.csv", HEADER + 'A1,x\nA2,"a"b\n')
    with pytest.raises(InputError):
        t86audit.load(path)
    counted = count_entries([path])
    assert (counted.entries, counted.sources[0].rows_read) == (2, 2)


@pytest.mark.parametrize("block", [1, 2, 7])
def test_a_long_line_and_a_byte_order_mark_across_blocks(tmp_path: Path, block: int) -> None:
    """A line longer than many blocks is put together once; a mark alone in a block goes."""
    long = "y" * 5000
    text = "\ufeff" + HEADER + f"A1,{long}\r\nA1,x\rB2,{long}"
    path = _write(tmp_path / "l.csv", text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_stream, "_COUNT_BLOCK", block)
        counted = count_entries([path])
    assert (counted.entries, counted.sources[0].rows_read) == (2, 3)
    assert counted.sources == t86audit.load(path).sources
