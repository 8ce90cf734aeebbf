"""Session 24, h4: the Dask audit's exposure estimates begin while the driver finishes.

As each file's tasks of the pass come back, the estimates of the entries its findings make
ineligible are begun on the workers (a guess); when the exposure asks, with the reasons of
every finding (the groups' findings and the waivers too), a guess is taken only where the
entry's reasons are the ones it was made with. These tests hold the report to the
single-process one where the reasons change after the pass, and check which files are read
again; and the JSON writer's check of non-ASCII text.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

import t86audit
import t86audit.distributed as dist
from t86audit.exposure import DutyTables
from t86audit.exposure._assess import ineligible_reasons
from t86audit.registry import RuleRegistry
from t86audit.testing import CSV_COLUMNS, make_entry, to_csv_rows
from t86audit.waivers import Waiver


AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
MARIA = {"name": "Maria Lopez", "address": "12 Main Street Apt 4"}
JANE = {"name": "Jane Doe", "address": "5 Elm Street"}


def _person(name: str, address: str) -> dict[str, str]:
    """A consignee of one's own: every entry of one person on one day is a VAL002 group."""
    return {"name": name, "address": address}


def _write(path: Path, entries: list[Any]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(to_csv_rows(entries))
    return path


def _population(tmp_path: Path) -> tuple[list[Path], dict[str, str]]:
    """Three files whose ineligible entries change reasons after the pass, or do not.

    a.csv: #1 $950 (VAL001: over the $800 of 19 U.S.C. 1321(a)(2)(C)); #2 $950 too, its
    VAL001 finding waived below; #3 $500 and #4 $400 to Maria Lopez on one day (VAL002, one
    person's day over $800, 19 CFR 10.151: a group's finding, made after the pass, on #4).
    b.csv: #5 $300 and #6 $900 to Jane Doe on one day (#6: VAL001 in the pass, VAL002 after).
    c.csv: #7 $1,200 (VAL001 only).
    """
    a = [
        make_entry(serial=1, value="950.00", consignee=_person("Ana Silva", "1 Oak Street")),
        make_entry(serial=2, value="950.00", consignee=_person("Ben Cho", "2 Pine Street")),
        make_entry(serial=3, value="500.00", consignee=MARIA),
        make_entry(serial=4, value="400.00", consignee=MARIA),
    ]
    b = [
        make_entry(serial=5, value="300.00", consignee=JANE),
        make_entry(serial=6, value="900.00", consignee=JANE),
    ]
    c = [make_entry(serial=7, value="1200.00", consignee=_person("Carl Dunn", "7 Birch Street"))]
    numbers = {f"#{i}": e.number for i, e in enumerate([*a, *b, *c], start=1)}
    paths = [
        _write(tmp_path / "a.csv", a),
        _write(tmp_path / "b.csv", b),
        _write(tmp_path / "c.csv", c),
    ]
    return paths, numbers


def _waiver(number: str) -> Waiver:
    return Waiver(
        number, "VAL001", "value corrected on a post-summary correction", "QA", AT.date()
    )


def test_reasons_changed_after_the_pass_give_the_single_process_exposure(client, tmp_path):
    """A waived finding, a group's finding and a group's finding added to an entry's own:
    the exposure is the single-process audit's, entry by entry and reason by reason."""
    paths, n = _population(tmp_path)
    waivers = [_waiver(n["#2"])]
    expected = t86audit.audit(t86audit.stream(*paths), generated_at=AT, jobs=1, waivers=waivers)
    got = dist.audit_dask([str(p) for p in paths], client=client, generated_at=AT, waivers=waivers)
    assert got.to_json() == expected.to_json()
    assert got.exposure is not None
    reasons = {e.entry_number: e.reasons for e in got.exposure.entries}
    # Worked out from the rules, not read off the output: #1 and #7 over $800 alone; #2's
    # VAL001 waived (a waived finding makes no entry ineligible); #4 and #6 the entries after
    # which their person's day passed $800; #6 over $800 alone as well.
    assert reasons[n["#1"]] == ("VAL001",)
    assert reasons[n["#4"]] == ("VAL002",)
    assert reasons[n["#6"]] == ("VAL001", "VAL002")
    assert reasons[n["#7"]] == ("VAL001",)
    assert n["#2"] not in reasons
    assert n["#3"] not in reasons
    assert n["#5"] not in reasons


def test_the_exposure_off_begins_no_estimate(client, tmp_path):
    """exposure=False: no file is read again for estimates, and the report has none."""
    paths, _ = _population(tmp_path)
    with pytest.importorskip("distributed").get_task_stream(client) as tasks:
        got = dist.audit_dask([str(p) for p in paths], client=client, exposure=False)
    assert got.exposure is None
    assert not [t for t in tasks.data if "_estimate_file_again" in str(t["key"])]


class _Done:
    def __init__(self, value: object) -> None:
        self.value = value
        self.cancelled = False

    def result(self) -> object:
        return self.value

    def cancel(self) -> None:
        self.cancelled = True

    def release(self) -> None:
        pass


class _Inline:
    """A stand-in for a Dask client: runs each task at once and notes the files read."""

    def __init__(self) -> None:
        self.read: list[tuple[str, dict[Any, tuple[str, ...]], object]] = []

    def submit(self, fn: Any, *args: Any, pure: bool = True, **kwargs: Any) -> _Done:
        priority = kwargs.pop("priority", 0)
        kwargs.pop("workers", None)
        kwargs.pop("allow_other_workers", None)
        if fn is dist._estimate_files_again:
            self.read.extend((path, dict(share), priority) for path, share, _ in args[0].value)
        return _Done(fn(*args, **kwargs))

    def gather(self, futures: list[_Done]) -> list[object]:
        return [f.result() for f in futures]

    def nthreads(self) -> dict[str, int]:
        return {"tcp://a": 1}


def _pass_reasons(path: Path) -> Any:
    """The findings of the pass over one file (its line and entry rules, no group rule)."""
    group = [r.code for r in RuleRegistry.default().select() if r.scope == "group"]
    report = t86audit.audit(str(path), ignore=group, generated_at=AT, jobs=1)
    return report.findings


def _guessed(tmp_path: Path) -> tuple[list[str], dict[str, str], _Inline, Any]:
    """The three files' estimates guessed from their pass findings, with a recording client."""
    paths, n = _population(tmp_path)
    client = _Inline()
    estimates = dist._Estimates(
        client,
        [str(p) for p in paths],
        None,
        "utf-8",
        indexes=[None] * 3,
        policy=None,
        tables=None,
    )
    for number, path in enumerate(paths):
        estimates.guess(number, 1, [_pass_reasons(path)])
    # Begun once no more tasks of the pass are left than the cluster has threads: until then
    # every worker has some of the pass to do.
    assert client.read == []
    estimates.open_guesses()
    return [str(p) for p in paths], n, client, estimates


def _asked(client: _Inline) -> list[tuple[str, list[tuple[str, tuple[str, ...]]]]]:
    """The files read again since the last look, and the entries and reasons each was given."""
    asked = [
        (path, sorted((k[0], codes) for k, codes in share.items()))
        for path, share, _ in client.read
    ]
    client.read.clear()
    return asked


def test_a_guess_is_taken_where_the_reasons_are_those_it_was_made_with(tmp_path):
    """Files are read again when the exposure asks only for entries whose reasons changed
    after the pass (or that a group's finding made ineligible): a file whose ineligible
    entries were all found by the pass is read once, when its tasks came back."""
    names, n, client, estimates = _guessed(tmp_path)
    # Each behind the pass and the second look's folds (priority 0): it waits for a worker
    # with nothing of those to do.
    assert {priority for _, _, priority in client.read} == {-1}
    assert _asked(client) == [
        (names[0], [(n["#1"], ("VAL001",)), (n["#2"], ("VAL001",))]),
        (names[1], [(n["#6"], ("VAL001",))]),
        (names[2], [(n["#7"], ("VAL001",))]),
    ]
    final = t86audit.audit(
        t86audit.stream(*names), generated_at=AT, jobs=1, waivers=[_waiver(n["#2"])]
    )
    found = estimates(ineligible_reasons(final.findings), None)
    # Asked again: a.csv for #4 (VAL002 only), b.csv for #6 (now VAL001 and VAL002); c.csv's
    # guess is taken as it is, and a.csv's of #1.
    assert _asked(client) == [
        (names[0], [(n["#4"], ("VAL002",))]),
        (names[1], [(n["#6"], ("VAL001", "VAL002"))]),
    ]
    assert sorted(k[0] for k in found) == sorted(n[k] for k in ("#1", "#4", "#6", "#7"))
    assert found[next(k for k in found if k[0] == n["#6"])].exposure.reasons == (
        "VAL001",
        "VAL002",
    )


def test_the_groups_findings_are_estimated_before_the_exposure_asks(tmp_path):
    """Once the groups are finished, their findings' entries are asked for at once (before
    the waivers are applied); the exposure then takes them, and reads again only an entry
    whose reasons a waiver changed since."""
    names, n, client, estimates = _guessed(tmp_path)
    client.read.clear()
    unwaived = t86audit.audit(t86audit.stream(*names), generated_at=AT, jobs=1)
    estimates.prepare(unwaived.findings)
    assert _asked(client) == [
        (names[0], [(n["#4"], ("VAL002",))]),
        (names[1], [(n["#6"], ("VAL001", "VAL002"))]),
    ]
    # A waiver of #6's VAL001 leaves it ineligible by VAL002 alone: estimated again so.
    waived = t86audit.audit(
        t86audit.stream(*names), generated_at=AT, jobs=1, waivers=[_waiver(n["#6"])]
    )
    found = estimates(ineligible_reasons(waived.findings), None)
    assert _asked(client) == [(names[1], [(n["#6"], ("VAL002",))])]
    assert sorted(k[0] for k in found) == sorted(n[k] for k in ("#1", "#2", "#4", "#6", "#7"))
    assert found[next(k for k in found if k[0] == n["#6"])].exposure.reasons == ("VAL002",)


def test_other_duty_tables_than_the_guesses_were_made_with_are_asked_again(tmp_path):
    """An estimate is a function of the tables too: asked with other tables, every entry is
    estimated again with them."""
    paths, _ = _population(tmp_path)
    names = [str(p) for p in paths]
    client = _Inline()
    estimates = dist._Estimates(
        client, names, None, "utf-8", indexes=[None] * 3, policy=None, tables=None
    )
    estimates.guess(2, 1, [_pass_reasons(paths[2])])
    estimates.open_guesses()
    reasons = ineligible_reasons(_pass_reasons(paths[2]))
    client.read.clear()
    found = estimates(reasons, DutyTables.default())
    assert [path for path, _, _ in client.read] == [names[2]]
    assert set(found) == set(reasons)


def test_a_file_given_twice_is_estimated_when_asked(tmp_path):
    """The same file twice: its entries are estimated when the exposure asks (the first
    file's estimate of each kept), not guessed."""
    paths, _ = _population(tmp_path)
    names = [str(paths[2]), str(paths[2])]
    client = _Inline()
    estimates = dist._Estimates(
        client, names, None, "utf-8", indexes=[None, None], policy=None, tables=None
    )
    estimates.guess(0, 2, [_pass_reasons(paths[2])])
    assert client.read == []
    reasons = ineligible_reasons(_pass_reasons(paths[2]))
    assert set(estimates(reasons, None)) == set(reasons)
    assert [path for path, _, _ in client.read] == names


def test_printable_non_ascii_text_is_kept_and_unprintable_escaped():
    """The JSON writer's check of non-ASCII text: a name in its own script stays as filed;
    a bidirectional override or a zero-width space beside it is written as an escape."""
    from t86audit.report.json import _safe  # noqa: PLC0415

    assert _safe('"Jos\u00e9 \u5f20\u4f1f",\n  "x"') == '"Jos\u00e9 \u5f20\u4f1f",\n  "x"'
    assert _safe('"Jos\u00e9 \u202eEvil\u202c"\n') == '"Jos\u00e9 \\u202eEvil\\u202c"\n'
    assert _safe('"\u00e9\u200b"') == '"\u00e9\\u200b"'
    assert _safe('"a\x7fb"') == '"a\\u007fb"'
    report = t86audit.audit(
        [make_entry(serial=1, value="950.00", seller={"name": "\u6df1\u5733 \u2066x\u2069"})],
        generated_at=AT,
    )
    text = report.render("json")
    assert "\u6df1\u5733" in text
    assert "\\u2066x\\u2069" in text
    assert not [c for c in text if not c.isprintable() and c != "\n"]


def test_patterns_count_a_type_86_population_as_a_mixed_one_counts_its_type_86_entries():
    """The pattern view counts a group's Type 86 entries; a population of Type 86 entries only
    is counted by its values alone. One formal entry (type 01) of a new seller, consignee,
    filer, port and month added: each Type 86 group keeps its counts, and each dimension has one
    value more (the new one, which no finding touches)."""
    sellers = [{"name": f"Seller {i % 3}", "country": "VN"} for i in range(9)]
    t86 = [
        make_entry(serial=10 + i, value="950.00" if i % 4 == 0 else "40.00", seller=seller)
        for i, seller in enumerate(sellers)
    ]
    formal = make_entry(
        serial=99,
        value="40.00",
        entry_type="01",
        filer_code="C12",
        seller={"name": "Another Seller", "country": "VN"},
        consignee=_person("Dana Eve", "9 Fir Street"),
        port_code="2704",
        arrival_date=dt.date(2024, 9, 9),
    )
    only = t86audit.audit(t86, generated_at=AT).patterns
    mixed = t86audit.audit([*t86, formal], generated_at=AT).patterns
    assert [d.name for d in only] == [d.name for d in mixed]
    for alone, with_formal in zip(only, mixed, strict=True):
        assert with_formal.groups == alone.groups
        assert with_formal.distinct_values == alone.distinct_values + 1
    sellers_view = next(d for d in only if d.name == "seller")
    # Three sellers of three entries each (serials 10 + i, seller i % 3); the $950 entries
    # (i = 0, 4, 8: over the $800 threshold, VAL001) are one of each seller's.
    assert {g.value: g.entries for g in sellers_view.groups} == {
        "Seller 0": 3,
        "Seller 1": 3,
        "Seller 2": 3,
    }
    assert {
        g.value: next(t.entries for t in g.rules if t.code == "VAL001")
        for g in sellers_view.groups
    } == {"Seller 0": 1, "Seller 1": 1, "Seller 2": 1}


def test_a_narrowed_line_index_finds_what_the_whole_index_finds(tmp_path):
    """The index a task reading a few entries again is sent, cut down to their lines and each
    one's next entry's, finds the same entries (rows, sources, values) as the whole index
    and as a load filtered by number: read whole or in parts, each entry alone, neighbours,
    the first with the last, the rejected short row's number, and a number not in the file."""
    from t86audit.io._stream import narrow_index  # noqa: PLC0415
    from tests.test_line_index import (  # noqa: PLC0415
        _identities,
        _loaded,
        _mixed,
        _read_in_parts,
        _read_whole,
    )

    path, numbers = _mixed(tmp_path)
    wanted_sets = [{n} for n in numbers]
    wanted_sets += [{numbers[i], numbers[i + 1]} for i in range(0, len(numbers) - 1, 5)]
    wanted_sets += [{numbers[0], numbers[-1]}, {"B76-9999999-1"}, {"B76-1234567-0"}]
    for population in (_read_whole([path]), _read_in_parts([path], [7, 23])):
        index = [population.line_index]
        whole_size = len(index[0][0].marks)
        for wanted in wanted_sets:
            narrowed = narrow_index(index, wanted)
            assert narrowed is not None
            assert len(narrowed[0][0].marks) <= 2 * len(wanted)
            again = t86audit.io.stream(path)
            again.take_index(narrowed)
            found = again.only(wanted)
            assert found._find_by is not None
            assert _identities(list(found)) == _identities(_loaded([path], wanted))
        assert whole_size == len(numbers) + 1  # every entry's, the short row's too
    assert narrow_index(None, {numbers[0]}) is None
    assert narrow_index([None], {numbers[0]}) is None
