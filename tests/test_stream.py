"""Streaming: entries read one at a time give the same entries, accounting and report as load()."""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
import json
import weakref
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import t86audit
from t86audit.cli import main
from t86audit.exceptions import InputError, RowError
from t86audit.io import (
    EntryStream,
    LoadResult,
    RowsNotContiguousError,
    StreamedLoad,
    load,
    stream,
)
from t86audit.io._stream import count_entries
from t86audit.testing import CSV_COLUMNS, make_population, to_csv_rows
from t86audit.testing.strategies import csv_rows
from tests._benchmark_population import write_benchmark_population
from tests._file_settings import file_settings


ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "data"
IO_DATA = Path(__file__).parent / "data" / "io"
AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def write_rows(path: Path, rows: list[dict[str, str]], header=CSV_COLUMNS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def accounting(result: LoadResult) -> tuple[object, ...]:
    return (
        result.sources,
        result.rows_read,
        result.rows_rejected,
        result.errors,
        result.entries_loaded,
        result.rows_in_entries,
    )


def same_entries(a, b) -> None:
    assert a == b
    assert [(e.source, e.source_rows, dict(e.extra)) for e in a] == [
        (e.source, e.source_rows, dict(e.extra)) for e in b
    ]


def scattered(rows: list[dict[str, str]]) -> bool:
    """Whether some entry number comes back after another entry's rows."""
    keys = [
        "".join(r["entry_number"].split()).replace("-", "").upper()
        for r in rows
        if r["entry_number"].strip()
    ]
    closed: set[str] = set()
    for previous, key in zip(["", *keys], keys, strict=False):
        if key != previous:
            if key in closed:
                return True
            closed.add(previous)
    return False


def sorted_copy(source: Path, target: Path) -> Path:
    """The file with its rows grouped by entry number (stable), as a sorted export would be."""
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    body.sort(key=lambda cells: "".join(cells[0].split()).replace("-", "").upper())
    with target.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *body])
    return target


@pytest.fixture
def population_csv(tmp_path):
    """Two hundred generated entries, rows of each entry adjacent."""
    return write_rows(tmp_path / "population.csv", to_csv_rows(make_population(200, seed=3)))


def test_stream_yields_the_entries_load_gives(population_csv):
    """Streaming a contiguous file gives load()'s entries, in order, with their provenance."""
    entries = stream(population_csv)
    same_entries(list(entries), list(load(population_csv).entries))


def test_stream_accounting_equals_load_accounting(population_csv):
    """After the stream ends its result counts rows, entries and the file hash like load()."""
    entries = stream(population_csv)
    count = sum(1 for _ in entries)
    result = entries.result
    assert isinstance(result, StreamedLoad)
    assert result.entries == ()
    assert count == result.entries_loaded == 200
    assert accounting(result) == accounting(load(population_csv))


def test_streamed_report_is_byte_identical_to_in_memory_report(population_csv):
    """The JSON and text reports of a streamed audit equal those of an in-memory audit."""
    streamed = t86audit.audit(stream(population_csv), generated_at=AT)
    loaded = t86audit.audit(load(population_csv), generated_at=AT)
    assert streamed.to_json() == loaded.to_json()
    assert streamed.render("text") == loaded.render("text")


def test_sorted_example_data_streams_to_the_same_report(tmp_path):
    """The example population, rows grouped by entry number, streams to the in-memory report."""
    path = sorted_copy(EXAMPLES / "entries.csv", tmp_path / "entries.csv")
    notes: list[str] = []
    entries = stream(path, on_fallback=notes.append)
    streamed = t86audit.audit(entries, generated_at=AT)
    assert notes == []
    assert streamed.to_json() == t86audit.audit(load(path), generated_at=AT).to_json()
    assert streamed.findings


def test_rows_with_errors_are_accounted_as_load_does(tmp_path):
    """Unreadable rows, blank entry numbers and rejected entries give load()'s load errors."""
    rows = to_csv_rows(make_population(6, seed=1))
    rows[1]["value_usd"] = "twelve"
    rows[2]["entry_number"] = ""
    rows[-1]["arrival_date"] = "2024-02-30"
    path = write_rows(tmp_path / "bad.csv", rows)
    entries = stream(path)
    streamed = list(entries)
    loaded = load(path)
    same_entries(streamed, list(loaded.entries))
    assert entries.result.errors
    assert accounting(entries.result) == accounting(loaded)
    report = t86audit.audit(stream(path), generated_at=AT)
    assert report.to_json() == t86audit.audit(loaded, generated_at=AT).to_json()


@pytest.mark.parametrize("name", ["entries.jsonl", "entries.json"])
def test_test_data_files_stream_like_they_load(name):
    """CSV, JSON Lines and JSON files stream to load()'s entries and accounting."""
    path = IO_DATA / name
    entries = stream(path)
    same_entries(list(entries), list(load(path).entries))
    assert accounting(entries.result) == accounting(load(path))


def test_mapping_and_bom_stream_like_they_load():
    """A broker export with a byte-order mark and a column mapping streams as it loads."""
    path = IO_DATA / "broker_export.csv"
    mapping = t86audit.io.read_mapping(IO_DATA / "broker_mapping.csv")
    entries = stream(path, mapping=mapping)
    same_entries(list(entries), list(load(path, mapping=mapping).entries))
    assert accounting(entries.result) == accounting(load(path, mapping=mapping))


def test_several_files_stream_file_after_file(population_csv, tmp_path):
    """Two files stream one after the other; an entry number in both stays two entries."""
    second = write_rows(tmp_path / "second.csv", to_csv_rows(make_population(3, seed=3)))
    entries = stream(population_csv, second)
    streamed = list(entries)
    loaded = load(population_csv, second)
    same_entries(streamed, list(loaded.entries))
    assert accounting(entries.result) == accounting(loaded)
    report = t86audit.audit(stream(population_csv, second), generated_at=AT)
    assert report.to_json() == t86audit.audit(loaded, generated_at=AT).to_json()
    assert any(f.code == "FIL004" for f in report.findings)


def test_stream_does_not_keep_the_entries(population_csv):
    """Entries already handed on are freed: the stream holds no list of them."""
    refs = []
    for entry in stream(population_csv):
        refs.append(weakref.ref(entry))
    del entry
    gc.collect()
    alive = sum(ref() is not None for ref in refs)
    assert alive == 0


def test_non_contiguous_rows_raise_a_clear_error(tmp_path):
    """An entry number that comes back after other entries stops the stream, naming it."""
    rows = to_csv_rows(make_population(3, seed=2))
    rows.append(dict(rows[0], line_number="9"))
    path = write_rows(tmp_path / "scattered.csv", rows)
    with pytest.raises(RowsNotContiguousError) as caught:
        list(stream(path))
    assert caught.value.entry_number == rows[0]["entry_number"]
    assert caught.value.row == len(rows)
    assert "not contiguous" in str(caught.value)
    assert isinstance(caught.value, InputError)


def test_audit_reads_scattered_rows_again_in_entry_order():
    """The example data has a scattered entry: the audit says why and reports as in memory."""
    notes: list[str] = []
    path = EXAMPLES / "entries.csv"
    report = t86audit.audit(stream(path, on_fallback=notes.append), generated_at=AT)
    assert len(notes) == 1
    assert "not contiguous" in notes[0]
    assert "reading the rows again in entry order" in notes[0]
    assert report.to_json() == t86audit.audit(load(path), generated_at=AT).to_json()


def test_fallback_without_a_callback_logs_a_warning(caplog):
    """Without on_fallback the reason goes to the t86audit logger as a warning."""
    with caplog.at_level("WARNING", logger="t86audit"):
        t86audit.audit(stream(EXAMPLES / "entries.csv"), select=["VAL001"], generated_at=AT)
    assert any("not contiguous" in r.getMessage() for r in caplog.records)


def test_a_stream_is_read_once(population_csv):
    """A second iteration is refused rather than silently yielding nothing."""
    entries = stream(population_csv)
    list(entries)
    with pytest.raises(RuntimeError, match="read once"):
        list(entries)


def test_result_before_the_end_is_an_error(population_csv):
    """The accounting is not available before the stream is read to the end."""
    entries = stream(population_csv)
    next(iter(entries))
    with pytest.raises(RuntimeError, match="not been read to the end"):
        _ = entries.result


def test_file_problems_raise_the_load_errors(tmp_path):
    """Missing, empty, badly encoded and header-less files fail as load() fails."""
    bad = tmp_path / "latin.csv"
    bad.write_bytes(",".join(CSV_COLUMNS).encode() + b"\n" + "caf\xe9".encode("latin-1") + b"\n")
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    missing_column = tmp_path / "short.csv"
    missing_column.write_text("entry_number,arrival_date\nB76-0000001-5,2024-06-01\n")
    # (A header of semicolons is read at them since session 24: one split at two delimiters
    # is refused instead.)
    two = tmp_path / "two_delimiters.csv"
    two.write_text(";".join(CSV_COLUMNS[:5]) + "|" + "|".join(CSV_COLUMNS[5:]) + "\n")
    for path in (tmp_path / "missing.csv", bad, empty, missing_column, two):
        with pytest.raises(InputError) as expected:
            load(path)
        with pytest.raises(InputError) as got:
            list(stream(path))
        assert str(got.value) == str(expected.value)


def test_unknown_suffix_fails_when_the_stream_is_made(tmp_path):
    """A file whose format cannot be told is refused at once, as load() refuses it."""
    with pytest.raises(InputError, match="cannot tell the format"):
        stream(tmp_path / "entries.dat")
    with pytest.raises(InputError, match="no input files"):
        stream()


def test_strict_stream_raises_at_the_first_bad_row(tmp_path):
    """Strict mode raises the RowError load(strict=True) raises."""
    rows = to_csv_rows(make_population(4, seed=1))
    rows[2]["value_usd"] = "n/a"
    path = write_rows(tmp_path / "bad.csv", rows)
    with pytest.raises(RowError) as expected:
        load(path, strict=True)
    with pytest.raises(RowError) as got:
        list(stream(path, strict=True))
    assert str(got.value) == str(expected.value)


def test_progress_callback_reports_entries_and_time(population_csv):
    """audit(progress=...) is called with the entries done and the seconds elapsed."""
    calls: list[tuple[int, float]] = []
    t86audit.audit(
        stream(population_csv), select=["VAL001"], progress=lambda n, s: calls.append((n, s))
    )
    assert calls
    assert calls[-1][0] == 200
    assert all(seconds >= 0 for _, seconds in calls)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _cli(*argv, stderr=None):
    out, err = io.StringIO(), stderr if stderr is not None else io.StringIO()
    status = main([str(a) for a in argv], stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def test_cli_progress_line_only_on_a_terminal(population_csv):
    """The command line draws entries done and entries per second on a terminal, else nothing."""
    _, _, quiet = _cli("audit", population_csv, "--select", "VAL001")
    assert quiet == ""
    _, _, drawn = _cli("audit", population_csv, "--select", "VAL001", stderr=_Terminal())
    assert "200 entries audited (" in drawn
    assert "/s)" in drawn


def test_cli_audit_streams_and_matches_in_memory_report(population_csv):
    """`t86audit audit` (streamed) writes the report the library writes from load()."""
    status, out, err = _cli(
        "audit", population_csv, "--format", "json", "--generated-at", AT.isoformat()
    )
    assert status == 0
    assert err == ""
    expected = t86audit.audit(
        load(population_csv),
        generated_at=AT,
        invocation={"command": "audit", "format": "json"},
    )
    assert json.loads(out) == json.loads(expected.to_json())


def test_cli_falls_back_quietly_for_ordinary_files():
    """Scattered rows in an ordinary file: the audit completes and says nothing about how.

    Loading in memory instead of streaming is the tool's business; standard error carries
    only the note on the rows the example data rejects.
    """
    status, out, err = _cli("audit", EXAMPLES / "entries.csv", "--select", "VAL001")
    assert status == 0
    assert out
    assert "streaming stopped" not in err
    assert err.count("\n") == 1
    assert err.startswith("t86audit audit: note: 6 of 4,561 input rows rejected")


def test_cli_load_counts_streamed_entries(population_csv, tmp_path):
    """`t86audit load` reports the accounting of the streamed file, as before."""
    status, out, _ = _cli("load", population_csv, "--format", "json")
    assert status == 0
    document = json.loads(out)
    loaded = load(population_csv)
    assert document["entries_loaded"] == loaded.entries_loaded == 200
    assert document["rows_read"] == loaded.rows_read
    assert document["sources"][0]["sha256"] == loaded.sources[0].sha256
    status, text, err = _cli("load", EXAMPLES / "entries.csv")
    assert status == 0
    assert "entries loaded: " in text
    assert "streaming stopped" not in err


def test_stream_is_an_entry_stream(population_csv):
    """stream() returns an EntryStream, which audit() accepts as a population."""
    assert isinstance(stream(population_csv), EntryStream)


@file_settings(25)
@given(rows=csv_rows(min_size=1, max_size=8), data=st.data())
def test_any_contiguous_population_streams_like_it_loads(tmp_path, rows, data):
    """For generated populations (defects included) stream and load agree entry for entry."""
    path = write_rows(tmp_path / f"p{data.draw(st.integers(0, 10**9))}.csv", rows)
    entries = stream(path)
    if scattered(rows):
        with pytest.raises(RowsNotContiguousError):
            list(entries)
        return
    streamed = list(entries)
    loaded = load(path)
    same_entries(streamed, list(loaded.entries))
    assert accounting(entries.result) == accounting(loaded)


def _regrouped(path: Path, **options: object) -> EntryStream:
    again = stream(path, **options).regrouped("a test")  # type: ignore[arg-type]
    assert isinstance(again, EntryStream)
    assert again.regrouping
    return again


@file_settings(25)
@given(rows=csv_rows(min_size=1, max_size=8), data=st.data())
def test_any_population_read_in_entry_order_is_what_load_gives(tmp_path, rows, data):
    """Scattered or not, with defects: the regrouped stream gives load()'s entries and errors."""
    rows = data.draw(st.permutations(rows))
    path = write_rows(tmp_path / f"p{data.draw(st.integers(0, 10**9))}.csv", rows)
    again = _regrouped(path)
    loaded = load(path)
    same_entries(list(again), list(loaded.entries))
    assert accounting(again.result) == accounting(loaded)


@pytest.mark.parametrize(
    ("encoding", "newline", "bom"),
    [("utf-8", "\r\n", True), ("latin-1", "\n", False), ("utf-16", "\n", False)],
)
def test_scattered_rows_with_quoted_line_breaks_read_again_as_loaded(
    tmp_path: Path, encoding: str, newline: str, bom: bool
) -> None:
    """Quoted line breaks, CRLF, a byte-order mark, latin-1 (offsets by bytes) and UTF-16
    (offsets unknown: the rows are kept instead) all give load()'s entries, in its order."""
    entries = make_population(30, seed=3)
    rows = to_csv_rows(entries)
    for i, row in enumerate(rows):
        if int(row["entry_number"][4:11]) % 4 == 0:  # every row of an entry alike
            row["consignee_address"] = row["consignee_address"].replace(" ", "\n", 1)
        if i % 5 == 0:
            row["description"] = f"caf\u00e9 {row['description']}"  # not ASCII: bytes != chars
    second = dict(rows[0], line_number="2", description='second line, "quoted"')
    rows = [rows[0], *rows[5:9], second, dict.fromkeys(CSV_COLUMNS, ""), *rows[1:5], *rows[9:]]
    # A row without an entry number (another bill: not a continuation row of the entry above).
    rows.insert(3, dict(rows[2], entry_number="", bill_of_lading="176-99999995"))
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, CSV_COLUMNS, lineterminator=newline)
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "scattered.csv"
    path.write_bytes(("\ufeff" if bom else "").encode(encoding) + text.getvalue().encode(encoding))
    with pytest.raises(RowsNotContiguousError):
        list(stream(path, encoding=encoding))
    again = _regrouped(path, encoding=encoding)
    loaded = load(path, encoding=encoding)
    same_entries(list(again), list(loaded.entries))
    assert accounting(again.result) == accounting(loaded)
    assert len(loaded.errors) == 1  # the row without a number, and nothing else
    wanted = [loaded.entries[0].number, loaded.entries[7].number]
    found = list(again.only(wanted))
    assert [e.number for e in found] == wanted
    same_entries(found, [loaded.entries[0], loaded.entries[7]])


def test_long_runs_of_adjacent_rows_are_read_a_slice_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sorted file with one row out of place is one long run: read in slices, same rows."""
    import t86audit.io._stream as streaming  # noqa: PLC0415

    rows = to_csv_rows(make_population(120, seed=2))
    path = write_rows(tmp_path / "nearly.csv", [*rows, dict(rows[0], line_number="9")])
    monkeypatch.setattr(streaming, "_RUN_BYTES", 700)  # a few rows a slice
    again = _regrouped(path)
    loaded = load(path)
    same_entries(list(again), list(loaded.entries))
    assert accounting(again.result) == accounting(loaded)


def test_all_cores_read_scattered_rows_in_entry_order_from_the_count(tmp_path: Path) -> None:
    """The count before the parts finds the rows apart: no pass runs to the row that comes
    back (at the end of the file here), the files are read in entry order at once."""
    rows = to_csv_rows(make_population(300, seed=4))
    path = write_rows(tmp_path / "late.csv", [*rows, dict(rows[0], line_number="2")])
    notes: list[str] = []
    report = t86audit.audit(stream(path, on_fallback=notes.append), generated_at=AT, jobs=2)
    expected = (
        "streaming stopped: the rows of some entries are not contiguous; "
        "reading the rows again in entry order"
    )
    assert notes == [expected]
    assert report.to_json() == t86audit.audit(load(path), generated_at=AT).to_json()


def test_strict_reading_of_scattered_rows_stops_where_load_stops(tmp_path: Path) -> None:
    """In strict mode the first problem is the first in the file, as load() meets it."""
    a, b, c = to_csv_rows(make_population(3, seed=1))
    rows = [
        a,
        b,
        dict(a, line_number="2"),
        dict(c, value_usd="abc"),
        dict(b, line_number="2", value_usd="xyz"),
    ]
    path = write_rows(tmp_path / "strict.csv", rows)
    with pytest.raises(RowError) as loaded:
        load(path, strict=True)
    with pytest.raises(RowError) as audited:
        t86audit.audit(stream(path, strict=True, on_fallback=lambda _m: None))
    assert (audited.value.row, audited.value.value) == (loaded.value.row, loaded.value.value)
    assert loaded.value.value == "abc"


def test_a_file_changed_between_the_two_readings_is_an_error(tmp_path: Path) -> None:
    """The rows are read again by their byte offsets: a file changed meanwhile is refused."""
    rows = to_csv_rows(make_population(600))
    path = write_rows(tmp_path / "p.csv", [*rows, rows[0]])
    again = iter(_regrouped(path))
    next(again)  # the first pass is over, and the first batch of entries read again
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n")
    with pytest.raises(InputError, match="changed while it was read"):
        list(again)


def test_an_audit_of_scattered_rows_holds_no_population_in_memory(tmp_path: Path) -> None:
    """The audit of a shuffled file regroups the rows: no entry object outlives its turn."""
    rows = to_csv_rows(make_population(400, seed=5))
    import random  # noqa: PLC0415

    random.Random(1).shuffle(rows)
    path = write_rows(tmp_path / "shuffled.csv", rows)
    notes: list[str] = []
    report = t86audit.audit(stream(path, on_fallback=notes.append), generated_at=AT, jobs=1)
    assert len(notes) == 1
    assert "in entry order" in notes[0]
    assert report.to_json() == t86audit.audit(load(path), generated_at=AT).to_json()
    assert isinstance(report.load, StreamedLoad)  # accounting only: no entries held


def test_every_column_file_falls_back_for_its_scattered_entry(tmp_path):
    """all_columns.csv spells one entry number two ways on rows 1 and 3: fallback, same report."""
    path = IO_DATA / "all_columns.csv"
    with pytest.raises(RowsNotContiguousError):
        list(stream(path))
    notes: list[str] = []
    report = t86audit.audit(stream(path, on_fallback=notes.append), generated_at=AT)
    assert len(notes) == 1
    assert report.to_json() == t86audit.audit(load(path), generated_at=AT).to_json()
    sorted_path = sorted_copy(path, tmp_path / "sorted.csv")
    entries = stream(sorted_path)
    same_entries(list(entries), list(load(sorted_path).entries))


def test_closed_keys_answer_in_order_and_out_of_order():
    """The memory of closed entries: nothing kept per key while keys increase, exact after."""
    from t86audit.io._stream import _Closed  # noqa: PLC0415

    closed = _Closed()
    for key in ("B7600000011", "B7600000029", "B7600000037"):
        assert key not in closed
        closed.add(key)
    assert "B7600000045" not in closed  # past the greatest: new without a look-up
    assert "B7600000003" not in closed  # below it but never closed: now a set answers
    assert "B7600000029" in closed
    closed.add("B7600000003")
    assert "B7600000003" in closed
    assert "B7600000052" not in closed


def test_an_unsorted_export_streams_and_a_key_that_comes_back_is_caught(tmp_path):
    rows = to_csv_rows(make_population(30, seed=4))
    by_number: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_number.setdefault(row["entry_number"], []).append(row)
    numbers = list(by_number)
    shuffled = [row for number in reversed(numbers) for row in by_number[number]]
    path = write_rows(tmp_path / "unsorted.csv", shuffled)
    assert len(list(stream(path))) == 30
    broken = [*shuffled, by_number[numbers[5]][0]]
    path = write_rows(tmp_path / "broken.csv", broken)
    with pytest.raises(RowsNotContiguousError):
        list(stream(path))


def test_only_gives_the_entries_a_full_load_gives_for_those_numbers(tmp_path):
    """Finding entries again skips other lines unparsed, yet quoted values spanning lines,
    rows without an entry number and short rows keep every row number where it was."""
    rows = to_csv_rows(make_population(40, seed=9))
    numbers = list(dict.fromkeys(row["entry_number"] for row in rows))
    for row in rows:
        if row["entry_number"] in (numbers[3], numbers[20]):
            row["description"] = 'mug, "large"\nwith a second line'
    blank = dict(rows[30])
    blank["entry_number"] = ""
    # Another bill: an entry whose number is missing, not a continuation row of the
    # entry before it (which would reject that entry whole).
    blank["bill_of_lading"] = "176-99999995"
    rows.insert(31, blank)
    path = write_rows(tmp_path / "mixed.csv", rows)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("B76-9999999-1,86\n")  # a short row at the end
    wanted = {numbers[i] for i in (0, 3, 4, 21, 29, 39)}
    keys = {t86audit.model.entry_number_key(n) for n in wanted}
    full = [e for e in t86audit.load(path).entries if e.entry_number.key in keys]
    again = list(stream(path).only(wanted))
    assert [(e.number, e.source_rows) for e in again] == [(e.number, e.source_rows) for e in full]
    assert again == full
    assert len(again) == len(wanted)


def test_lines_of_other_entries_are_left_out_and_counted():
    from t86audit.io._stream import _Unwanted  # noqa: PLC0415

    lines = [
        "entry_number,description\n",
        "B76-0000001-5,mug\n",
        ",no number: goes with the line before\n",
        "B76-0000002-3,cup\n",
        ",no number\n",
        'B76-0000003-1,"two\n',
        'lines"\n',
        ",no number after a quoted row: kept (the row's entry is not known here)\n",
        "B76-0000002-3,its own number decides again\n",
    ]
    unwanted = _Unwanted(iter(lines), frozenset({"B7600000015"}))
    seen = iter(unwanted)
    assert next(seen) == lines[0]  # the header, before the column is known
    unwanted.index = 0
    assert list(seen) == [lines[1], lines[2], lines[5], lines[6], lines[7]]
    assert unwanted.count_skipped() == 3


def test_only_reads_an_entry_number_after_quoted_cells_with_commas(tmp_path):
    """The entry number in a later column, after quoted cells holding commas and quotes."""
    rows = to_csv_rows(make_population(25, seed=2))
    for n, row in enumerate(rows):
        row["description"] = f'box, "small" {n}' if n % 3 else "plain box"
    header = [
        "description",
        "seller_address",
        *[c for c in CSV_COLUMNS if c not in ("description", "seller_address")],
    ]
    path = write_rows(tmp_path / "later.csv", rows, header=header)
    numbers = list(dict.fromkeys(row["entry_number"] for row in rows))
    wanted = {numbers[i] for i in (1, 2, 13, 24)}
    keys = {t86audit.model.entry_number_key(n) for n in wanted}
    full = [e for e in t86audit.load(path).entries if e.entry_number.key in keys]
    assert list(stream(path).only(wanted)) == full
    assert len(full) == len(wanted)


def test_counting_entries_reads_numbers_as_the_csv_reader_does(tmp_path):
    """Counting splits plain lines itself; the counts equal a count over csv.reader's rows."""
    from t86audit.io._stream import count_entries  # noqa: PLC0415

    rows = to_csv_rows(make_population(30, seed=12))
    for n, row in enumerate(rows):
        if n % 4 == 0:
            row["description"] = f'mug, "large"\nline two {n}'
    blank_number = dict(rows[7])
    blank_number["entry_number"] = ""
    # Another bill: an entry whose number is missing, not a continuation row of the
    # entry before it (which would reject that entry whole).
    blank_number["bill_of_lading"] = "176-99999995"
    rows.insert(8, blank_number)
    header = ["seller_address", *[c for c in CSV_COLUMNS if c != "seller_address"]]
    path = write_rows(tmp_path / "count.csv", rows, header=header)
    with path.open("a", encoding="utf-8", newline="") as handle:
        handle.write(",,,\n")  # a blank row
        handle.write(f"x,{rows[0]['entry_number']}\n")  # a short row reusing the first number

    def expected() -> tuple[int, int, bool]:
        with path.open(encoding="utf-8", newline="") as handle:
            records = list(csv.reader(handle))[1:]
        index = header.index("entry_number")
        kept = [r for r in records if "".join(r).strip()]
        keys: list[str] = []
        for r in kept:
            number = r[index].strip() if index < len(r) else ""
            if number:
                key = t86audit.model.entry_number_key(number)
                if not keys or keys[-1] != key:
                    keys.append(key)
        return len(keys), len(kept), len(set(keys)) == len(keys)

    counted = count_entries([path])
    assert (counted.entries, counted.sources[0].rows_read, counted.contiguous) == expected()
    assert counted.contiguous is False  # the short row brought the first number back


def test_a_quote_inside_an_unquoted_value_is_a_character_when_lines_are_skipped(tmp_path):
    """``12" pipe`` does not open a quoted value: a value spanning lines after it is still
    read whole when entries are found again or counted."""
    from t86audit.io._stream import _ends_quoted, count_entries  # noqa: PLC0415

    rows = to_csv_rows(make_population(6, seed=3))
    numbers = list(dict.fromkeys(row["entry_number"] for row in rows))
    for row in rows:
        if row["entry_number"] == numbers[1]:
            row["description"] = '12" pipe'
        if row["entry_number"] == numbers[2]:
            row["description"] = "multi\nmiddle, text\nend"
    path = write_rows(tmp_path / "inch.csv", rows)
    # As an export writes it: unquoted, the quote a character of the value.
    text = path.read_text(encoding="utf-8").replace('"12"" pipe"', '12" pipe')
    path.write_text(text, encoding="utf-8", newline="")
    assert '12" pipe' in text
    for wanted in ([numbers[2]], numbers):
        keys = {t86audit.model.entry_number_key(n) for n in wanted}
        full = [e for e in t86audit.load(path).entries if e.entry_number.key in keys]
        assert list(stream(path).only(wanted)) == full
    counted = count_entries([path])
    assert (counted.entries, counted.sources[0].rows_read) == (6, len(rows))
    assert _ends_quoted('a,12" pipe,"b\n', False) is True
    assert _ends_quoted('a,"x""y",12" c\n', False) is False
    assert _ends_quoted('end"" still,x\n', True) is True


def _parts_equal_load(paths: list[Path], bounds: list[tuple[int, int]]) -> None:
    """The parts of the stream, one after the other, give the loaded entries and errors."""
    loaded = t86audit.load(*paths)
    got: list[t86audit.Entry] = []
    errors: list[t86audit.io.LoadError] = []
    for first, end in bounds:
        part = stream(*paths).part(first, end)
        got.extend(part)
        errors.extend(part.result.errors)
    assert [(e.number, e.source, e.source_rows) for e in got] == [
        (e.number, e.source, e.source_rows) for e in loaded.entries
    ]
    assert got == list(loaded.entries)
    assert errors == list(loaded.errors)


def test_a_part_leaves_out_the_lines_before_it_and_finds_its_own_rows(tmp_path):
    """A part that starts later skips the earlier entries' lines unparsed; quoted values that
    span lines, rows without an entry number and short rows keep every row where it was."""
    rows = to_csv_rows(make_population(40, seed=11))
    numbers = list(dict.fromkeys(row["entry_number"] for row in rows))
    for row in rows:
        if row["entry_number"] in (numbers[5], numbers[22]):
            row["description"] = 'mug, "large"\nwith a second line'
        if row["entry_number"] == numbers[12]:
            row["seller_name"] = 'Acme "Tools", Ltd'
    blank = dict(rows[30])
    blank["entry_number"] = ""
    # Another bill: an entry whose number is missing, not a continuation row of the
    # entry before it (which would reject that entry whole).
    blank["bill_of_lading"] = "176-99999995"
    rows.insert(31, blank)
    path = write_rows(tmp_path / "mixed.csv", rows)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("B76-9999999-1,86\n")  # a short row at the end: an entry rejected
    # Parts count entries as the stream meets them, the rejected one (the last) included.
    count = count_entries([path]).entries
    assert count == len(t86audit.load(path).entries) + 1
    for cut in (1, 5, 6, 12, 13, 21, 23, 29, count - 1):
        _parts_equal_load([path], [(0, cut), (cut, count)])
    _parts_equal_load([path], [(0, 3), (3, 17), (17, 25), (25, count)])


def test_parts_across_files_count_entries_on_from_file_to_file(tmp_path):
    """A part starting in the second file skips all of the first and the head of the second."""
    first = write_rows(tmp_path / "a.csv", to_csv_rows(make_population(12, seed=3)))
    second = write_rows(tmp_path / "b.csv", to_csv_rows(make_population(15, seed=4)))
    for cut in (4, 12, 13, 20):
        _parts_equal_load([first, second], [(0, cut), (cut, 27)])
    _parts_equal_load([first, second], [(0, 10), (10, 14), (14, 27)])


@file_settings(25)
@given(rows=csv_rows(min_size=1, max_size=8), data=st.data())
def test_any_contiguous_population_splits_into_parts_like_it_loads(tmp_path, rows, data):
    """Generated populations (defects included) read in two parts give what one load gives."""
    if scattered(rows):
        return
    path = write_rows(tmp_path / f"q{data.draw(st.integers(0, 10**9))}.csv", rows)
    count = count_entries([path]).entries
    cut = data.draw(st.integers(0, count))
    _parts_equal_load([path], [(0, cut), (cut, count)] if cut else [(0, count)])


@pytest.mark.parametrize("jobs", [None, 1, 2])
def test_auditing_a_stream_of_a_missing_file_says_which_file(tmp_path, jobs):
    """Whatever the number of processes, a file that is not there is an input error naming
    it (with the default, the file sizes that choose the processes were read first, and a
    missing file surfaced as a bare FileNotFoundError)."""
    missing = tmp_path / "missing.csv"

    with pytest.raises(InputError, match=r"missing\.csv: file not found"):
        t86audit.audit(t86audit.stream(missing), jobs=jobs)


def test_a_mapping_changed_after_stream_does_not_change_the_second_reading(tmp_path):
    """The stream keeps the mapping it checked: its entries read again (the group rules'
    second look) are read as the first pass read them, even if the caller's mapping object
    changes meanwhile."""
    path = write_benchmark_population(tmp_path / "p.csv", 2_000)
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    mapping = {"consignee_name": "consignee_name", "seller_name": "seller_name"}
    expected = t86audit.audit(stream(path, mapping=dict(mapping)), jobs=1, generated_at=at)
    entries = stream(path, mapping=mapping)
    mapping["consignee_name"], mapping["seller_name"] = "seller_name", "consignee_name"
    got = t86audit.audit(entries, jobs=1, generated_at=at)
    assert not [r.rule.code for r in got.result.rule_results if r.error_count]
    assert got.to_json() == expected.to_json()


def test_audit_given_a_path_or_paths_streams_them(tmp_path):
    """A new user's first try, audit("entries.csv"), audits the file (it iterated the path's
    characters and failed on the first one); a list of paths reads them in order."""
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    first = EXAMPLES / "entries.csv"
    second = EXAMPLES / "entries-2.csv"
    expected = t86audit.audit(stream(first), generated_at=at).to_json()
    assert t86audit.audit(str(first), generated_at=at).to_json() == expected
    assert t86audit.audit(first, generated_at=at).to_json() == expected
    both = t86audit.audit(stream(first, second), generated_at=at).to_json()
    paths: list[str | Path] = [first, str(second)]
    assert t86audit.audit(paths, generated_at=at).to_json() == both
    assert both != expected
