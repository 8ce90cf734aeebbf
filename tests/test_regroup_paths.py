"""Every path that streams the input reads scattered rows again in entry order.

An entry's rows that are not adjacent (entry A's row, entry B's row, entry A's row) stop a
stream; the audit (one process or several), the command line's ``load``, ``audit`` and its
``--samples`` pass, :func:`~t86audit.api.read_again` and the Dask adapter's whole-file task
then read the rows put together (:meth:`~t86audit.io.EntryStream.read_with`). Each gives the
entries and findings of the same rows written adjacent, and the regrouping is said once.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest

import t86audit
from t86audit.api import read_again
from t86audit.cli import main
from t86audit.io import (
    EntryStream,
    LoadResult,
    RowsNotContiguousError,
    StreamedLoad,
    load,
    stream,
)
from t86audit.testing import make_population, to_csv_rows
from tests._benchmark_population import write_benchmark_population
from tests.test_stream import scattered as is_scattered
from tests.test_stream import write_rows


AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
AT_TEXT = "2026-01-01T00:00:00+00:00"
NOTE = "rows of some entries are not adjacent"
"""The command line's note that the input is read again (above its size threshold)."""


def _first_of_several(rows: list[dict[str, str]]) -> tuple[int, int]:
    """Where the first entry of several rows starts, and where the next entry starts."""
    starts = [
        i
        for i, row in enumerate(rows)
        if i == 0 or row["entry_number"] != rows[i - 1]["entry_number"]
    ]
    for a, b in itertools.pairwise(starts):
        if b - a >= 2:
            return a, b
    msg = "the population has no entry of several rows"
    raise AssertionError(msg)


def _with_defects(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The clean population's rows with something to find, on the entry to scatter too."""
    rows = [dict(row) for row in rows]
    a, b = _first_of_several(rows)
    for row in rows[a:b]:
        row["consignee_name"] = ""  # an entry finding on the scattered entry
    rows[a + 1]["country_of_origin"] = "CN"  # a line of it another rule looks at
    rows[-1]["value_usd"] = "abc"  # a load error
    rows[len(rows) // 2]["seller_name"] = ""
    return rows


def _interleaved(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """``rows`` with the first entry of several rows interrupted by the next entry's first."""
    a, b = _first_of_several(rows)
    # A's first row, B's first row, A's other rows, B's other rows.
    return [*rows[: a + 1], rows[b], *rows[a + 1 : b], *rows[b + 1 :]]


def _pair(base: Path, rows: list[dict[str, str]]) -> tuple[Path, Path]:
    """The same rows twice: each entry's rows adjacent, and one entry's rows apart."""
    apart = _interleaved(rows)
    assert is_scattered(apart)
    assert not is_scattered(rows)
    (base / "adjacent").mkdir()
    (base / "scattered").mkdir()
    # One name in two folders: the entries' sources differ only by their folder.
    return (
        write_rows(base / "adjacent" / "entries.csv", rows),
        write_rows(base / "scattered" / "entries.csv", apart),
    )


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A population with findings and load errors, adjacent and scattered."""
    rows = _with_defects(to_csv_rows(make_population(80, seed=11)))
    return _pair(tmp_path_factory.mktemp("regroup"), rows)


@pytest.fixture(scope="module")
def clean_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A population strict reading accepts (it stops at a load error), adjacent and scattered."""
    rows = _with_defects(to_csv_rows(make_population(80, seed=11)))
    for row in rows:  # the defects strict reading would stop at
        if row["value_usd"] == "abc":
            row["value_usd"] = "12.50"
    return _pair(tmp_path_factory.mktemp("regroup_clean"), _consistent(rows))


def _consistent(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """``rows`` whose entries' rows agree on the seller (one blank seller, for a whole entry)."""
    seller: dict[str, str] = {}
    for row in rows:
        row["seller_name"] = seller.setdefault(row["entry_number"], row["seller_name"])
    return rows


def _accounting(loaded: LoadResult) -> tuple[object, ...]:
    """test_stream's accounting without what differs between the two files of one population:
    the sources (their paths and hashes) and where each error is (its file and row)."""
    return (
        loaded.rows_read,
        loaded.entries_loaded,
        loaded.rows_in_entries,
        loaded.rows_rejected,
        [(e.row is None, e.message) for e in loaded.errors],
    )


def test_the_scattered_file_stops_a_stream_and_loads_as_the_adjacent_one(files):
    adjacent, scattered = files
    with pytest.raises(RowsNotContiguousError):
        list(stream(scattered))
    expected, got = load(adjacent), t86audit.load(scattered)
    assert got.entries == expected.entries
    assert _accounting(got) == _accounting(expected)
    assert list(stream(adjacent)) == list(expected.entries)


def test_read_with_calls_the_consumer_once_on_adjacent_rows(files):
    adjacent, _ = files
    calls: list[int] = []

    def consume(entries):
        calls.append(0)
        return [entry.number for entry in entries]

    reading = stream(adjacent)
    done = reading.read_with(consume)
    assert calls == [0]
    assert done.read is reading
    assert done.load is reading.result
    assert done.accounting is reading.result
    assert done.value == [entry.number for entry in load(adjacent).entries]


@pytest.mark.parametrize("announce", [True, False])
def test_read_with_starts_the_consumer_again_on_the_rows_regrouped(files, announce):
    """The interrupted call's work is dropped: the value is the second, whole reading's."""
    adjacent, scattered = files
    calls: list[int] = []

    def consume(entries):
        calls.append(0)
        return list(entries)

    notes: list[str] = []
    reading = stream(scattered, on_fallback=notes.append)
    done = reading.read_with(consume, announce=announce)
    assert len(calls) == 2
    assert len(notes) == (1 if announce else 0)
    assert done.read is not reading
    assert isinstance(done.read, EntryStream)
    assert done.read.regrouping
    expected = load(adjacent)
    assert done.value == list(expected.entries)
    assert _accounting(done.load) == _accounting(expected)


def test_read_with_regroups_at_once_rows_known_scattered(files):
    """``scattered``: no first reading; the reason given is the one announced."""
    adjacent, scattered = files
    notes: list[str] = []
    calls: list[int] = []

    def consume(entries):
        calls.append(0)
        return len(list(entries))

    done = stream(scattered, on_fallback=notes.append).read_with(consume, scattered="known")
    assert calls == [0]
    assert notes == ["streaming stopped: known; reading the rows again in entry order"]
    assert done.value == len(load(adjacent).entries)


def test_read_with_a_loaded_population_gives_its_entries_and_accounting(clean_files):
    """Strict reading regroups by loading in memory: the load keeps its entries, the
    accounting does not."""
    adjacent, scattered = clean_files
    done = stream(scattered, strict=True, on_fallback=lambda _m: None).read_with(list)
    assert isinstance(done.read, LoadResult)
    assert done.load is done.read
    assert done.value == list(done.read.entries) == list(load(adjacent).entries)
    assert done.accounting.entries == ()
    assert _accounting(done.accounting) == _accounting(done.load)


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_audit_of_a_stream_regroups_once(files, jobs):
    """One process or several: the findings, entries and accounting of the adjacent rows."""
    adjacent, scattered = files
    notes: list[str] = []
    report = t86audit.audit(
        stream(scattered, on_fallback=notes.append), generated_at=AT, jobs=jobs
    )
    expected = t86audit.audit(load(adjacent), generated_at=AT)
    assert len(notes) == 1
    assert "reading the rows again in entry order" in notes[0]
    assert report.result.findings == expected.result.findings
    assert report.result.findings  # the comparison compares something
    assert isinstance(report.load, StreamedLoad)  # accounting only: no entries held
    assert report.load is not None
    assert expected.load is not None
    assert _accounting(report.load) == _accounting(expected.load)
    assert report.population_fingerprint == expected.population_fingerprint
    assert report.exposure == expected.exposure


def test_a_strict_audit_of_scattered_rows_loads_them_in_memory_once(clean_files):
    """Strict reading is loaded in memory (a LoadResult, not a stream): the same findings."""
    adjacent, scattered = clean_files
    notes: list[str] = []
    report = t86audit.audit(
        stream(scattered, strict=True, on_fallback=notes.append), generated_at=AT, jobs=1
    )
    expected = t86audit.audit(load(adjacent), generated_at=AT)
    assert len(notes) == 1
    assert "loading the population in memory" in notes[0]
    assert report.result.findings == expected.result.findings
    assert report.load is not None
    assert report.load.entries == expected.load.entries  # type: ignore[union-attr]
    assert report.exposure == expected.exposure


def test_read_again_gives_every_entry_without_a_note(files):
    """The entries read again end with the adjacent file's, in its order; nothing is said."""
    adjacent, scattered = files
    notes: list[str] = []
    got = list(read_again([scattered], on_fallback=notes.append))
    expected = list(load(adjacent).entries)
    assert notes == []
    # Entries given before the stream stopped come first (callers keep the first of each).
    assert got[len(got) - len(expected) :] == expected
    assert {e.entry_number.key for e in got} == {e.entry_number.key for e in expected}


def _run(*argv: object, stderr: io.StringIO | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), stderr if stderr is not None else io.StringIO()
    status = main([str(a) for a in argv], stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def noted(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line notes a reading again whatever the input's size."""
    import t86audit.cli  # noqa: PLC0415

    monkeypatch.setattr(t86audit.cli, "_FALLBACK_NOTE_BYTES", 0)


def _load_document(out: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(out)
    document.pop("sources")  # (the files' hashes differ: their rows are in another order)
    for error in document["load_errors"]:
        error.pop("source")
        error.pop("row", None)
    return document


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.usefixtures("noted")
def test_cli_load_regroups_once(files, clean_files, strict):
    adjacent, scattered = clean_files if strict else files
    extra = ["--strict"] if strict else []
    status, out, err = _run("load", scattered, "--format", "json", *extra)
    assert status == 0, err
    assert err.count(NOTE) == 1
    assert ("loaded in memory" if strict else "read again entry by entry") in err
    _, expected, _ = _run("load", adjacent, "--format", "json", *extra)
    assert _load_document(out) == _load_document(expected)


def _findings(out: str) -> tuple[list[dict[str, Any]], dict[str, Any], list[Any]]:
    document = json.loads(out)
    findings = document["findings"]
    for finding in findings:
        finding.pop("source")
        finding.pop("source_rows")
    return findings, document["counts"], document["samples"]


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.usefixtures("noted")
def test_cli_audit_regroups_once(files, jobs, tmp_path):
    """The audit and its --samples pass read the scattered rows; the note is made once."""
    adjacent, scattered = files
    samples = tmp_path / "samples.json"
    status, _, err = _run("sample", adjacent, "--seed", "3", "--size", "5", "-o", samples)
    assert status == 0, err
    common = ["--format", "json", "--generated-at", AT_TEXT, "--jobs", jobs]
    common += ["--samples", samples]
    status, out, err = _run("audit", scattered, *common)
    assert status in {0, 1}, err
    assert err.count(NOTE) == 1
    _, expected, _ = _run("audit", adjacent, *common)
    got = _findings(out)
    assert got == _findings(expected)
    assert got[0]
    assert got[2]  # the sample was rebuilt from the scattered rows


class _Terminal(io.StringIO):
    """Standard error as a terminal: the commands draw their progress line on it."""

    def isatty(self) -> bool:
        return True


def test_cli_load_progress_does_not_start_again_when_it_regroups(tmp_path):
    """The count drawn never goes back when the rows are read again in entry order."""
    path = write_benchmark_population(tmp_path / "late.csv", 10_300)
    with path.open(encoding="utf-8", newline="") as handle:
        first_row = handle.readlines()[1]
    with path.open("a", encoding="utf-8", newline="") as handle:
        handle.write(first_row)  # the first entry comes back at the end: 10,300 read first
    status, out, err = _run("load", path, stderr=_Terminal())
    assert status == 0, err
    drawn = [int(n.replace(",", "")) for n in re.findall(r"\r([\d,]+) entries read", err)]
    loaded = int(re.search(r"entries loaded: (\d+)", out).group(1))  # type: ignore[union-attr]
    assert drawn == [10_000, loaded]


def test_cli_audit_progress_does_not_start_again_when_it_regroups(tmp_path):
    """The audit's progress line holds its count while the regrouped reading catches up."""
    path = write_benchmark_population(tmp_path / "late.csv", 10_300)
    with path.open(encoding="utf-8", newline="") as handle:
        first_row = handle.readlines()[1]
    with path.open("a", encoding="utf-8", newline="") as handle:
        handle.write(first_row)  # the first entry comes back at the end
    out = tmp_path / "report.json"
    status, _, err = _run(
        "audit", path, "--jobs", "1", "--format", "json", "-o", out, stderr=_Terminal()
    )
    assert status in {0, 1}, err
    drawn = [int(n.replace(",", "")) for n in re.findall(r"\r([\d,]+) entries audited", err)]
    assert drawn
    assert drawn == sorted(set(drawn))  # never back, never the same count twice


def test_the_dask_whole_file_task_regroups(files):
    """The Dask adapter's task over whole files: the adjacent rows' accounting, no index."""
    pytest.importorskip("dask", reason="the Dask adapter needs the extra")
    pytest.importorskip("distributed", reason="the Dask adapter needs the extra")
    import t86audit.distributed as dist  # noqa: PLC0415

    adjacent, scattered = files
    setup = dist._Setup(
        registry=None, select=(), ignore=(), options={}, policy=None, reference=None
    )
    partial, got = dist._feed_files(setup, (str(scattered),), None, "utf-8")
    expected_partial, expected = dist._feed_files(setup, (str(adjacent),), None, "utf-8")
    assert isinstance(got, StreamedLoad)
    assert _accounting(got) == _accounting(expected)
    assert expected_partial.index is not None
    assert partial.index is None  # the regrouped reading notes no line index
    assert partial.count == expected_partial.count


def test_the_dask_audit_of_scattered_files_finds_what_the_adjacent_rows_give(files):
    pytest.importorskip("dask", reason="the Dask adapter needs the extra")
    distributed = pytest.importorskip("distributed", reason="the Dask adapter needs the extra")
    from t86audit.distributed import audit_dask  # noqa: PLC0415

    adjacent, scattered = files
    expected = t86audit.audit(load(adjacent), generated_at=AT)
    with (
        distributed.LocalCluster(
            n_workers=1,
            threads_per_worker=2,
            processes=False,
            dashboard_address=":0",
            silence_logs=40,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        report = audit_dask([str(scattered)], client=client, generated_at=AT)
    assert report.result.findings == expected.result.findings
    assert report.load is not None
    assert expected.load is not None
    assert _accounting(report.load) == _accounting(expected.load)
    assert report.exposure == expected.exposure


def test_the_dask_audit_says_once_that_it_read_the_rows_again(files, caplog):
    """A task's regrouping is said by the driver, as t86audit.audit says it, once."""
    pytest.importorskip("dask", reason="the Dask adapter needs the extra")
    distributed = pytest.importorskip("distributed", reason="the Dask adapter needs the extra")
    from t86audit.distributed import audit_dask  # noqa: PLC0415

    adjacent, scattered = files
    with (
        distributed.LocalCluster(
            n_workers=1,
            threads_per_worker=1,
            processes=False,
            dashboard_address=":0",
            silence_logs=40,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        caplog.clear()
        with caplog.at_level("WARNING", logger="t86audit"):
            audit_dask([str(scattered)], client=client, generated_at=AT)
        said = [r.getMessage() for r in caplog.records if r.name == "t86audit"]
        caplog.clear()
        with caplog.at_level("WARNING", logger="t86audit"):
            audit_dask([str(adjacent)], client=client, generated_at=AT)
        quiet = [r.getMessage() for r in caplog.records if r.name == "t86audit"]
    assert len(said) == 1
    assert "reading the rows again in entry order" in said[0]
    assert quiet == []
