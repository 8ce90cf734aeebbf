"""A part of a stream passes over the entries before its first a block of lines at a time.

`EntryStream.part(first, end)` leaves out the lines of the file's first entries before the CSV
reader (`_stream._Before`): whole blocks at once where that is safe, the other lines one by one.
What a part gives must not depend on which: its entries, its load accounting and the line index
it notes (lines, rows, CRC marks and byte offsets) are compared here with the line-by-line
reading, for blocks of a few characters to the real size, on files with quoted values spanning
lines, blank rows, a row without a number, CRLF and a byte-order mark, other alphabets and
encodings, numbers out of order, and generated populations.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import t86audit
from t86audit.io import _stream, stream
from t86audit.io._stream import count_entries
from t86audit.testing import make_population, to_csv_rows
from t86audit.testing.strategies import csv_rows
from tests._file_settings import file_settings
from tests.test_line_index import ENCODINGS, _found_again, _loaded, _mixed, _read_in_parts
from tests.test_stream import scattered, write_rows


_BLOCKS = [7, 64, 997, 1 << 18]
"""Block sizes in characters: smaller than a line, a few lines, many lines, the real one."""


def _part_reading(paths: list[Path], first: int, end: int, **options: Any) -> dict[str, Any]:
    """Everything a part gives: entries, accounting, and its line index."""
    part = stream(*paths, **options).part(first, end)
    entries = list(part)
    result = part.result
    index = part.line_index
    return {
        "entries": entries,
        "rows": [e.source_rows for e in entries],
        "errors": result.errors,
        "rows_read": result.rows_read,
        "rows_rejected": result.rows_rejected,
        "index": {
            number: (
                line.header,
                list(line.starts),
                list(line.rows),
                list(line.marks),
                None if line.offsets is None else list(line.offsets),
            )
            for number, line in index.items()
        },
    }


def _line_by_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_stream._Before, "_passed", lambda self, lines: False)


def _compare_parts(
    monkeypatch: pytest.MonkeyPatch, paths: list[Path], cuts: list[int], **options: Any
) -> int:
    """Every part of ``cuts`` read with blocks of each size against line by line.

    Returns how many blocks were passed at once (so a test can show the fast way ran).
    """
    count = count_entries(paths, encoding=options.get("encoding", "utf-8")).entries
    bounds = list(zip([0, *cuts], [*cuts, count], strict=True))
    passed = 0
    original = _stream._Before._passed

    def counting(self: Any, lines: list[str]) -> bool:
        nonlocal passed
        done = original(self, lines)
        passed += done
        return done

    with monkeypatch.context() as patch:
        _line_by_line(patch)
        expected = [_part_reading(paths, first, end, **options) for first, end in bounds]
    everything = t86audit.load(*paths, encoding=options.get("encoding", "utf-8")).entries
    # The parts together are the population, as a load gives it.
    assert [e for part in expected for e in part["entries"]] == list(everything)
    for block in _BLOCKS:
        with monkeypatch.context() as patch:
            patch.setattr(_stream, "_COUNT_BLOCK", block)
            patch.setattr(_stream._Before, "_passed", counting)
            found = [_part_reading(paths, first, end, **options) for first, end in bounds]
        assert found == expected, f"blocks of {block} characters"
    return passed


@pytest.mark.parametrize("cuts", [[1], [4], [20], [21], [38], [3, 17, 25], [39]])
def test_a_part_of_a_file_with_quotes_and_blank_rows_is_read_as_line_by_line(
    tmp_path, monkeypatch, cuts
):
    path, _ = _mixed(tmp_path)
    _compare_parts(monkeypatch, [path], cuts)


def test_parts_of_a_large_plain_file_pass_blocks_at_once(tmp_path, monkeypatch):
    """No quote anywhere: most blocks before a part are passed at once, and nothing changes."""
    rows = to_csv_rows(make_population(300, seed=3))
    for row in rows:
        for column, value in row.items():
            row[column] = value.replace(",", " ").replace('"', "")
    path = write_rows(tmp_path / "plain.csv", rows)
    assert '"' not in path.read_text(encoding="utf-8")
    passed = _compare_parts(monkeypatch, [path], [150, 299])
    assert passed > 10


def test_numbers_out_of_order_are_closed_one_by_one(tmp_path, monkeypatch):
    """Entry numbers that do not increase (an export sorted by date): the keys passed over are
    closed one by one, and an entry of the part met again among them is still caught."""
    rows = to_csv_rows(make_population(120, seed=8))
    by_number: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_number.setdefault(row["entry_number"], []).append(row)
    groups = list(by_number.values())
    random.Random(4).shuffle(groups)
    shuffled = [row for group in groups for row in group]
    path = write_rows(tmp_path / "shuffled.csv", shuffled)
    passed = _compare_parts(monkeypatch, [path], [60, 119])
    assert passed > 0
    # The first entry of the file comes back after the part's first: not contiguous.
    again = [*shuffled, dict(shuffled[0])]
    back = write_rows(tmp_path / "back.csv", again)
    for block in _BLOCKS:
        with monkeypatch.context() as patch:
            patch.setattr(_stream, "_COUNT_BLOCK", block)
            with pytest.raises(_stream.RowsNotContiguousError):
                list(stream(back).part(60, 200))


def test_crlf_a_byte_order_mark_and_several_files(tmp_path, monkeypatch):
    rows = to_csv_rows(make_population(40, seed=5))
    rows[4]["description"] = "two\r\nlines"
    path = write_rows(tmp_path / "crlf.csv", rows)
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n").replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    other, _ = _mixed(tmp_path, "b.csv", seed=10)
    _compare_parts(monkeypatch, [path], [2, 30])
    _compare_parts(monkeypatch, [path, other, path], [39, 41, 70, 100])


@pytest.mark.parametrize(("encoding", "bom"), ENCODINGS)
def test_other_alphabets_and_encodings_are_measured_alike(tmp_path, monkeypatch, encoding, bom):
    """Lines of more bytes than characters: the byte offsets a part notes after the lines it
    passed over are those the line-by-line reading notes, and find the same entries again."""
    rows = to_csv_rows(make_population(60, seed=21))
    for i, row in enumerate(rows):
        if i % 3 == 0:
            row["consignee_name"] = "Zoë Ångström-Müller"
        # A value running onto a second line ends the passing over (the reader must read
        # it): such values only near the end, so the lines before the parts are passed.
        if i % 7 == 0 and i > len(rows) - 12:
            row["description"] = "café crème, «grande»\nsur deux lignes"
    path = write_rows(tmp_path / "names.csv", rows)
    data = path.read_text(encoding="utf-8").encode(encoding)
    path.write_bytes(data if data.startswith(bom) else bom + data)
    assert _compare_parts(monkeypatch, [path], [25, 50], encoding=encoding) > 0
    numbers = list(dict.fromkeys(row["entry_number"] for row in rows))
    wanted = {numbers[i] for i in (0, 24, 25, 26, 49, 50, 59)}
    if encoding != "utf-16":
        with monkeypatch.context() as patch:
            patch.setattr(_stream, "_COUNT_BLOCK", 64)
            population = stream(path, encoding=encoding)
            count = count_entries([path], encoding=encoding).entries
            parts = [population.part(0, 25), population.part(25, 50), population.part(50, count)]
            for part in parts:
                list(part)
            population.take_index([part.line_index for part in parts])
        again = population.only(wanted)
        assert again._find_by is not None
        expected = t86audit.load(path, encoding=encoding).entries
        assert list(again) == [e for e in expected if e.number in wanted]


def test_parts_find_entries_again_by_their_bytes_with_small_blocks(tmp_path, monkeypatch):
    path, numbers = _mixed(tmp_path)
    wanted = {numbers[i] for i in (0, 3, 4, 19, 20, 21, 22, 29, 39)}
    monkeypatch.setattr(_stream, "_COUNT_BLOCK", 64)
    for cuts in ([4], [21], [3, 17, 25]):
        again = _found_again(_read_in_parts([path], cuts), wanted)
        assert again == _loaded([path], wanted)


@file_settings(25)
@given(rows=csv_rows(min_size=1, max_size=12), data=st.data())
def test_any_population_parts_alike(tmp_path_factory, rows, data):
    """Generated populations (defects included), split anywhere, small blocks or line by line."""
    if scattered(rows):
        return
    folder = tmp_path_factory.mktemp("parts")
    path = write_rows(folder / "gen.csv", rows)
    count = count_entries([path]).entries
    if count < 2:
        return
    cut = data.draw(st.integers(1, count - 1))
    block = data.draw(st.sampled_from([7, 64, 997]))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_stream._Before, "_passed", lambda self, lines: False)
        expected = [_part_reading([path], 0, cut), _part_reading([path], cut, count)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_stream, "_COUNT_BLOCK", block)
        found = [_part_reading([path], 0, cut), _part_reading([path], cut, count)]
    assert found == expected


def test_a_part_decodes_no_further_ahead_than_line_by_line(tmp_path):
    """A byte that is not UTF-8 far after a part's last entry is never decoded: the part reads
    its own entries whether it passed over entries before them or not (a review found the
    blocks decoding up to 256 Ki characters past a part's end)."""
    rows = to_csv_rows(make_population(300, seed=12))
    rows[-5]["description"] = "BAD"
    path = write_rows(tmp_path / "bad.csv", rows)
    data = path.read_bytes()
    path.write_bytes(data.replace(b"BAD", b"\xff\xfe"))
    assert len(data) > 64 * 1024
    for first in (0, 5, 40):
        assert len(list(stream(path).part(first, first + 3))) == 3
    with pytest.raises(t86audit.InputError):
        list(stream(path).part(5, 400))  # a part that reaches the byte reports it
