"""Review of the Dask after-pass on the workers: the second look and the exposure's estimates.

Since the second look (group rules whose groups were met twice folded again) and the
estimates of the ineligible entries run a task per file on the workers, the report of
:func:`t86audit.distributed.audit_dask` must still be the one of
``t86audit.audit(t86audit.stream(*files), jobs=1)`` byte for byte, on populations where the
after-pass matters: a file given twice, groups spread over several files (and a rule whose
fold fails on some of their entries), waivers of ineligibility findings, ``exposure=False``,
a file whose rows are scattered among normal files, and files split into several parts.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pytest


pytest.importorskip(
    "dask", reason="the Dask adapter needs the extra: pip install 't86audit[dask]'"
)
distributed = pytest.importorskip(
    "distributed", reason="the Dask adapter needs the extra: pip install 't86audit[dask]'"
)

import t86audit  # noqa: E402
from t86audit.distributed import audit_dask  # noqa: E402
from t86audit.exposure import INELIGIBLE_RULES  # noqa: E402
from t86audit.registry import RuleRegistry  # noqa: E402
from t86audit.rules._base import RulePack, _bare_or_list  # noqa: E402
from t86audit.testing import (  # noqa: E402
    make_entry,
    make_party,
    make_population,
    to_csv_rows,
)
from tests.test_regroup_paths import _interleaved  # noqa: E402
from tests.test_second_look import crowded, write_rows  # noqa: E402
from tests.test_stream import scattered as is_scattered  # noqa: E402


AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)



def _same(client, paths, **options) -> t86audit.Report:
    """The Dask report of ``paths`` equals the streamed single-process one; returned."""
    task_entries = options.pop("task_entries", 200_000)
    expected = t86audit.audit(t86audit.stream(*paths), generated_at=AT, jobs=1, **options)
    got = audit_dask(
        [str(p) for p in paths],
        client=client,
        generated_at=AT,
        task_entries=task_entries,
        **options,
    )
    assert got.findings == expected.findings
    assert got.rules == expected.rules
    assert got.to_json() == expected.to_json()
    return got


def _ineligible(report: t86audit.Report) -> list[t86audit.Finding]:
    return [f for f in report.findings if f.code in INELIGIBLE_RULES and not f.waived]


def _spread(n: int) -> list[t86audit.Entry]:
    """One consignee on one day, its entries 50 apart: each file of 50 holds one of them."""
    person = make_party(name="Dana Spread", address="9 Wide Road")
    return [
        make_entry(
            serial=900_000 + i,
            arrival_date=dt.date(2024, 6, 3),
            consignee=person,
            value="450.00",
        )
        for i in range(n)
    ]


def _population(seed: int) -> list[dict[str, str]]:
    """Crowded entries (shared people, bills, numbers; some over $800) and a spread group."""
    rows = to_csv_rows(crowded(120, seed))
    spread = to_csv_rows(_spread(3))
    # The spread group's entries at the start, the middle and the end.
    return [spread[0], *rows[:60], spread[1], *rows[60:], spread[2]]


def test_one_file_given_twice(client, tmp_path):
    """Copies of every entry are two members of their groups and estimated once."""
    path = write_rows(tmp_path / "one.csv", to_csv_rows(crowded(120, 3)))
    got = _same(client, [path, path])
    assert {"VAL002", "FIL004"} <= {f.code for f in got.findings}
    assert _ineligible(got)
    assert got.exposure is not None


def test_groups_spread_over_three_files(client, tmp_path):
    """A consignee's day and shared bills with entries in the first and third file."""
    rows = _population(8)
    third = len(rows) // 3
    paths = [
        write_rows(tmp_path / "a.csv", rows[:third]),
        write_rows(tmp_path / "b.csv", rows[third : 2 * third]),
        write_rows(tmp_path / "c.csv", rows[2 * third :]),
    ]
    got = _same(client, paths)
    spread = {e.number for e in _spread(3)}
    assert spread <= {f.entry_number for f in got.findings if f.code == "VAL005"}
    assert len(spread & {f.entry_number for f in got.findings if f.code == "VAL002"}) == 2


def _failing_fold(state, entry, ctx):
    # Fails on every entry whose serial is odd: some groups lose members, some every one.
    if int(entry.number.split("-")[1]) % 2:
        msg = f"cannot keep {entry.number}"
        raise ValueError(msg)
    return _bare_or_list(state, entry)


def test_a_fold_failing_on_entries_of_groups_over_several_files(client, tmp_path):
    """A rule (given by ``registry=``) whose fold fails: the same errors, in the same order."""
    rule = attrs.evolve(RuleRegistry.default().get("FIL007"), code="ZZZ907", fold=_failing_fold)
    registry = RuleRegistry(
        [*RuleRegistry.default().packs, RulePack("zzz", "1.0", ("ZZZ",), (rule,))]
    )
    rows = _population(4)
    half = len(rows) // 2
    paths = [
        write_rows(tmp_path / "a.csv", rows[:half]),
        write_rows(tmp_path / "b.csv", rows[half:]),
    ]
    got = _same(client, [*paths, paths[0]], registry=registry, select=["FIL", "ZZZ"])
    (result,) = [r for r in got.rules if r.rule.code == "ZZZ907"]
    assert result.status == "error"
    assert result.errors


def test_waived_ineligibility_and_no_exposure(client, tmp_path):
    """A waived ineligibility finding leaves its entry out of the exposure; exposure=False."""
    rows = _population(6)
    paths = [write_rows(tmp_path / "a.csv", rows[:90]), write_rows(tmp_path / "b.csv", rows[90:])]
    plain = t86audit.audit(t86audit.stream(*paths), generated_at=AT, jobs=1)
    ineligible = _ineligible(plain)
    assert len(ineligible) > 2
    waivers = [
        {
            "entry_number": f.entry_number,
            "code": f.code,
            "reason": "reviewed",
            "reviewer": "J. Doe",
            "date": "2026-12-01",
        }
        for f in ineligible[::2]
    ]
    got = _same(client, paths, waivers=waivers)
    assert got.exposure is not None
    assert got.exposure != plain.exposure
    _same(client, paths, exposure=False)
    _same(client, [*paths, paths[1]], exposure=False, waivers=waivers)


def test_a_scattered_file_among_normal_files(client, tmp_path):
    """One file's entries have rows apart (read again regrouped); the others are adjacent."""
    entries = crowded(90, 11)
    multi = [e for e in entries if len(e.lines) > 1]
    assert multi
    rows = to_csv_rows(entries)
    apart = _interleaved(rows)
    assert is_scattered(apart)
    paths = [
        write_rows(tmp_path / "a.csv", to_csv_rows(crowded(60, 12))),
        write_rows(tmp_path / "scattered.csv", apart),
        write_rows(tmp_path / "c.csv", rows),
    ]
    _same(client, paths)
    _same(client, paths, task_entries=50)


def test_files_split_into_parts(client, tmp_path):
    """A file of several tasks (task_entries=50) folded and estimated again as one file."""
    big = _population(2) + to_csv_rows(make_population(120, seed=5))
    paths = [
        write_rows(tmp_path / "big.csv", big),
        write_rows(tmp_path / "small.csv", to_csv_rows(crowded(40, 7))),
    ]
    _same(client, paths, task_entries=50)
    _same(client, [paths[0], paths[1], paths[0]], task_entries=50)
