"""Finding entries again by where the pass saw them: the line index of a stream read whole or in
parts gives the same entries, with the same row numbers, as a full load filtered by number."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import t86audit
from t86audit.io import _stream as stream_module
from t86audit.io import stream
from t86audit.io._stream import count_entries
from t86audit.model import entry_number_key
from t86audit.testing import make_population, to_csv_rows
from t86audit.testing.strategies import csv_rows
from tests._benchmark_population import write_benchmark_population
from tests._file_settings import file_settings
from tests.test_stream import scattered, write_rows


def _loaded(paths: list[Path], wanted: set[str]) -> list[t86audit.Entry]:
    keys = {entry_number_key(n) for n in wanted}
    return [e for e in t86audit.load(*paths).entries if e.entry_number.key in keys]


def _identities(entries: list[t86audit.Entry]) -> list[tuple[object, ...]]:
    return [(e.number, e.source, e.source_rows, dict(e.extra)) for e in entries]


def _read_whole(paths: list[Path]) -> t86audit.io.EntryStream:
    whole = stream(*paths)
    for _ in whole:
        pass
    return whole


def _read_in_parts(paths: list[Path], cuts: list[int]) -> t86audit.io.EntryStream:
    count = count_entries(paths).entries
    bounds = list(zip([0, *cuts], [*cuts, count], strict=True))
    parts = [stream(*paths).part(first, end) for first, end in bounds]
    for part in parts:
        for _ in part:
            pass
    population = stream(*paths)
    population.take_index([part.line_index for part in parts])
    return population


def _found_again(population: t86audit.io.EntryStream, wanted: set[str]) -> list[t86audit.Entry]:
    again = population.only(wanted)
    assert again._find_by is not None, "the index was not used"
    return list(again)


def _mixed(tmp_path: Path, name: str = "mixed.csv", seed: int = 9) -> tuple[Path, list[str]]:
    """Quoted values spanning lines, a row without a number, blank rows, a short row last."""
    rows = to_csv_rows(make_population(40, seed=seed))
    numbers = list(dict.fromkeys(row["entry_number"] for row in rows))
    for row in rows:
        if row["entry_number"] in (numbers[3], numbers[20]):
            row["description"] = 'mug, "large"\nwith a second line\nand a third'
        if row["entry_number"] == numbers[12]:
            row["seller_name"] = 'Acme "Tools", Ltd'
    blank = dict(rows[30])
    blank["entry_number"] = ""
    # Another bill: an entry whose number is missing, not a continuation row of the
    # entry before it (which would reject that entry whole).
    blank["bill_of_lading"] = "176-99999995"
    rows.insert(31, blank)
    path = write_rows(tmp_path / name, rows)
    text = path.read_text(encoding="utf-8").splitlines(keepends=True)
    # Blank records between entries (counted as rows, read as nothing) and before the header.
    text.insert(12, "\n")
    text.insert(25, ",,,\n")
    text.insert(0, "\n")
    text.append("B76-9999999-1,86\n")  # a short row at the end: an entry rejected
    path.write_text("".join(text), encoding="utf-8")
    return path, numbers


@pytest.mark.parametrize(
    "picks",
    [(0,), (39,), (3,), (20, 21), (0, 3, 4, 21, 29, 39), (12, 30, 31), tuple(range(40))],
)
def test_a_stream_read_whole_finds_entries_again_by_their_lines(tmp_path, picks):
    path, numbers = _mixed(tmp_path)
    wanted = {numbers[i] for i in picks}
    expected = _loaded([path], wanted)
    assert len(expected) == len(wanted)
    again = _found_again(_read_whole([path]), wanted)
    assert _identities(again) == _identities(expected)
    assert again == expected
    # The same as the reading that splits every line (no index).
    assert list(stream(path).only(wanted)) == expected


@pytest.mark.parametrize("cuts", [[1], [4], [20], [21], [38], [3, 17, 25]])
def test_parts_put_their_indexes_together(tmp_path, cuts):
    path, numbers = _mixed(tmp_path)
    wanted = {numbers[i] for i in (0, 3, 4, 19, 20, 21, 22, 29, 39)}
    again = _found_again(_read_in_parts([path], cuts), wanted)
    assert again == _loaded([path], wanted)
    assert _identities(again) == _identities(_loaded([path], wanted))


def test_several_files_and_one_file_given_twice(tmp_path):
    first, numbers = _mixed(tmp_path, "a.csv", seed=9)
    second, others = _mixed(tmp_path, "b.csv", seed=10)
    wanted = {numbers[2], numbers[20], others[0], others[39]}
    for paths in ([first, second], [first, second, first]):
        expected = _loaded(paths, wanted)
        assert _found_again(_read_whole(paths), wanted) == expected
        total = count_entries(paths).entries
        for cut in (5, 41, 42, total - 3):
            assert _found_again(_read_in_parts(paths, [cut]), wanted) == expected


def test_crlf_lines_and_a_byte_order_mark(tmp_path):
    rows = to_csv_rows(make_population(15, seed=5))
    numbers = list(dict.fromkeys(row["entry_number"] for row in rows))
    rows[4]["description"] = "two\r\nlines"
    path = write_rows(tmp_path / "crlf.csv", rows)
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n").replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    wanted = {numbers[1], numbers[2], numbers[14]}
    assert _found_again(_read_whole([path]), wanted) == _loaded([path], wanted)


def test_the_lines_of_other_entries_are_not_looked_at(tmp_path, monkeypatch):
    """With the index, no line of another entry is split to read its entry number."""
    path, numbers = _mixed(tmp_path)
    population = _read_whole([path])

    def refuse(*args: object) -> None:
        raise AssertionError("a line was split")

    monkeypatch.setattr(stream_module, "_number_cells", refuse)
    monkeypatch.setattr(stream_module, "_ends_quoted", refuse)
    wanted = {numbers[5], numbers[33]}
    assert _found_again(population, wanted) == _loaded([path], wanted)


def test_a_stream_not_read_to_the_end_has_no_index(tmp_path):
    path, numbers = _mixed(tmp_path)
    population = stream(path)
    next(iter(population))
    again = population.only({numbers[0]})
    assert again._find_by is None
    assert list(again) == _loaded([path], {numbers[0]})


def test_a_part_without_an_index_leaves_the_stream_without_one(tmp_path):
    path, numbers = _mixed(tmp_path)
    population = stream(path)
    population.take_index([None])
    assert population.only({numbers[0]})._find_by is None


def test_the_audit_reads_entries_again_by_the_index(tmp_path, monkeypatch):
    """One process and two: the second look and the exposure find their entries by the index,
    and the report is the one the line-splitting reading gives."""
    path = write_benchmark_population(tmp_path / "population.csv", 4_500)
    used: list[bool] = []
    only = stream_module.EntryStream.only

    def spy(self: t86audit.io.EntryStream, numbers: object) -> t86audit.io.EntryStream:
        again = only(self, numbers)  # type: ignore[arg-type]
        used.append(again._find_by is not None)
        return again

    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    baseline = t86audit.audit(t86audit.load(path), jobs=1, generated_at=at).render("json")
    monkeypatch.setattr(stream_module.EntryStream, "only", spy)
    for jobs in (1, 2):
        used.clear()
        report = t86audit.audit(stream(path), jobs=jobs, generated_at=at)
        assert used
        assert all(used)
        assert report.render("json") == baseline


@file_settings(30)
@given(rows=csv_rows(min_size=1, max_size=10), data=st.data())
def test_any_population_finds_any_entries_again(tmp_path, rows, data):
    """Generated populations (defects included), read whole or in two parts."""
    if scattered(rows):
        return
    path = write_rows(tmp_path / f"q{data.draw(st.integers(0, 10**9))}.csv", rows)
    numbers = sorted({row["entry_number"] for row in rows if row["entry_number"].strip()})
    wanted = set(data.draw(st.lists(st.sampled_from(numbers), unique=True))) if numbers else set()
    expected = _loaded([path], wanted)
    assert _found_again(_read_whole([path]), wanted) == expected
    count = count_entries([path]).entries
    cut = data.draw(st.integers(1, max(count, 1)))
    if 0 < cut < count:
        assert _found_again(_read_in_parts([path], [cut]), wanted) == expected


class _Inline:
    """A stand-in for a Dask client that runs each task at once and notes its arguments."""

    def __init__(self) -> None:
        self.calls: list[tuple[tuple[object, ...], dict[str, object]]] = []

    def submit(self, fn, *args, pure=True, **kwargs):
        self.calls.append((args, kwargs))
        value = fn(*args, **kwargs)

        class _Done:
            def result(self) -> object:
                return value

            def release(self) -> None:
                pass

        return _Done()


def test_dask_tasks_read_entries_again_by_the_index_of_the_file_tasks(tmp_path):
    """The tasks that read a file again (the second look's folds, the exposure's estimates)
    get the line indexes the file's tasks noted and read the wanted entries by them; without
    an index (a file whose rows were regrouped) they read the file as before."""
    import t86audit.distributed as dist  # noqa: PLC0415

    first, numbers = _mixed(tmp_path, "a.csv", seed=9)
    second, others = _mixed(tmp_path, "b.csv", seed=10)
    wanted = frozenset({numbers[3], numbers[25], others[0]})
    expected = _loaded([first, second], set(wanted))
    indexes = [[_read_whole([first]).line_index], [_read_in_parts([second], [17]).line_index]]
    paths = [str(first), str(second)]

    def read(path, given, mapping, encoding, *, index):
        return dist._read_wanted(path, given.value, mapping, encoding, index)

    for noted in (indexes, [None, None]):
        client = _Inline()
        found = dist._file_by_file(client, read, paths, noted, [wanted] * 2, None, "utf-8")
        assert [entry for entries in found for entry in entries] == expected
        assert [kwargs["index"] for _, kwargs in client.calls] == noted


def test_a_part_names_the_line_of_malformed_quoting_as_a_full_read_does(tmp_path):
    """A part that skipped the lines before it still names the file's line (and row)."""
    from t86audit.exceptions import InputError  # noqa: PLC0415

    path, _ = _mixed(tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[-6] = lines[-6].rstrip("\n") + ',"x""y"z\n'
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(InputError) as whole:
        list(stream(path))
    count = count_entries([path]).entries
    for first in (5, count - 4):
        with pytest.raises(InputError) as part:
            list(stream(path).part(first, count))
        assert str(part.value) == str(whole.value)
    assert f"near line {len(lines) - 5} of the file" in str(whole.value)


def test_a_file_changed_after_the_pass_is_read_line_by_line(tmp_path):
    """The index is of the file as the pass read it: once the file changes (size or time), its
    wanted entries are found by their numbers, wherever they now are."""
    import os  # noqa: PLC0415

    path, numbers = _mixed(tmp_path)
    population = _read_whole([path])
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    # Another export of the same entries: two rows moved to the top (the index would now
    # point at the wrong lines).
    header, body = lines[:2], lines[2:]
    path.write_text("".join(header + body[-8:-6] + body[:-8] + body[-6:]), encoding="utf-8")
    os.utime(path, ns=(0, 10**18))
    wanted = {numbers[0], numbers[15], numbers[33]}
    again = population.only(wanted)
    assert list(again) == _loaded([path], wanted)


def test_parts_that_saw_a_file_change_between_them_find_the_right_entries(tmp_path):
    path, numbers = _mixed(tmp_path)
    count = count_entries([path]).entries
    first = stream(path).part(0, 10)
    list(first)
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    second = stream(path).part(10, count + 1)
    list(second)
    population = stream(path)
    population.take_index([first.line_index, second.line_index])
    assert list(population.only({numbers[2], numbers[30]})) == _loaded(
        [path], {numbers[2], numbers[30]}
    )


def _spoil(path: Path, line_number: int) -> None:
    """Make a byte of line ``line_number`` invalid UTF-8, keeping the size and time."""
    import os  # noqa: PLC0415

    before = path.stat()
    data = bytearray(path.read_bytes())
    lines = data.split(b"\n")
    data[sum(len(line) + 1 for line in lines[:line_number]) + 2] = 0xFF
    path.write_bytes(bytes(data))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def test_bytes_made_unreadable_in_a_wanted_entry_are_reported(tmp_path):
    """A file rewritten under the same size and time, with a byte no longer UTF-8 in a line
    the re-read reads, stops the re-read with the file's decoding error."""
    path, numbers = _mixed(tmp_path)
    population = _read_whole([path])
    last = path.read_bytes().split(b"\n")
    _spoil(path, len(last) - 3)  # a line of the last entries
    with pytest.raises(t86audit.InputError, match=path.name):
        list(population.only(set(numbers[-5:])))


def test_lines_passed_over_are_not_read_where_offsets_are_known(tmp_path):
    """With byte offsets (UTF-8), the lines of other entries are not even decoded: a byte
    spoiled in them is not met (a file changed under the same size and time is not noticed,
    as docs/internals.md says), and the wanted entries are found as before."""
    path, numbers = _mixed(tmp_path)
    population = _read_whole([path])
    expected = _loaded([path], {numbers[-1]})
    _spoil(path, 2 * len(path.read_bytes().split(b"\n")) // 3)
    assert list(population.only({numbers[-1]})) == expected


def test_bytes_made_unreadable_in_lines_passed_over_are_reported_when_counted(tmp_path):
    """In an encoding whose bytes per line its text does not tell (cp1250 here), lines are
    passed over by counting them through the decoder: a byte made undecodable there stops
    the re-read with the file's decoding error."""
    import os  # noqa: PLC0415

    path, numbers = _mixed(tmp_path)
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1250"))
    population = stream(path, encoding="cp1250")
    for _ in population:
        pass
    assert population.line_index[0].offsets is None
    before = path.stat()
    data = bytearray(path.read_bytes())
    lines = data.split(b"\n")
    # Inside a line two thirds down: past the first piece the decoder reads with the header,
    # and before the wanted entry's lines, so it is met while lines are passed over.
    at = 2 * len(lines) // 3
    data[sum(len(line) + 1 for line in lines[:at]) + 2] = 0x98  # undefined in cp1250
    path.write_bytes(bytes(data))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    with pytest.raises(t86audit.InputError, match=path.name):
        list(population.only({numbers[-1]}))


ENCODINGS = [
    ("utf-8", b""),
    ("utf-8", b"\xef\xbb\xbf"),
    ("utf-8-sig", b"\xef\xbb\xbf"),
    ("latin-1", b""),
    ("cp1252", b""),
    ("utf-16", b""),
]
"""Encodings (and byte-order marks) whose lines are found again: by bytes, or by counting."""


@pytest.mark.parametrize(("encoding", "bom"), ENCODINGS)
def test_entries_with_other_alphabets_are_found_by_their_bytes(tmp_path, encoding, bom):
    """Non-ASCII names and descriptions (more bytes than characters in UTF-8), a byte-order
    mark, single-byte encodings, and UTF-16 (found by counting lines): the entries found
    again are those a full load gives."""
    rows = to_csv_rows(make_population(30, seed=21))
    numbers = list(dict.fromkeys(row["entry_number"] for row in rows))
    for i, row in enumerate(rows):
        if i % 3 == 0:
            row["consignee_name"] = "Zoë Ångström-Müller"
            row["description"] = "café crème, «grande»\nsur deux lignes"
    path = write_rows(tmp_path / "names.csv", rows)
    text = path.read_text(encoding="utf-8")
    data = text.encode(encoding)
    path.write_bytes(data if data.startswith(bom) else bom + data)
    population = stream(path, encoding=encoding)
    for _ in population:
        pass
    measured = population.line_index[0].offsets is not None
    assert measured == (encoding != "utf-16")
    for picks in [(0,), (1, 2, 3), (29,), (0, 9, 15, 28, 29), tuple(range(30))]:
        wanted = {numbers[i] for i in picks}
        again = population.only(wanted)
        assert again._find_by is not None
        expected = list(t86audit.load(path, encoding=encoding).entries)
        assert list(again) == [e for e in expected if e.number in wanted]


def test_offsets_of_lines_already_passed_are_let_go(tmp_path, monkeypatch):
    """A reading keeps only the offsets of the lines near the last entry's start (here three
    lines behind it): the entries found again by their bytes are still those a load gives."""
    monkeypatch.setattr(stream_module, "_MEASURED_KEPT", 3)
    path, numbers = _mixed(tmp_path)
    for population in (_read_whole([path]), _read_in_parts([path], [4, 21])):
        assert population.line_index[0].offsets is not None
        for picks in [(0,), (3, 20, 21), (39,), tuple(range(40))]:
            wanted = {numbers[i] for i in picks}
            assert _found_again(population, wanted) == _loaded([path], wanted)
