"""Acceptance: every planted problem in the example data is found on the right entry by the rule of
the same name, and no clean entry gets a violation or a warning."""

import csv
import datetime as dt
from collections import defaultdict
from pathlib import Path

import pytest

import t86audit


EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "data"


@pytest.fixture(scope="module")
def planted():
    with (EXAMPLES / "planted.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_entry = defaultdict(set)
    for row in rows:
        by_entry[(row["file"], row["entry_number"])].add(row["problem"])
    return rows, by_entry


@pytest.fixture(scope="module")
def report():
    loaded = t86audit.load(EXAMPLES / "entries.csv", EXAMPLES / "entries-2.csv")
    return t86audit.audit(loaded, generated_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))


def test_every_planted_problem_with_a_rule_is_found(planted, report):
    """Each planted problem whose rule exists is reported on its entry by that rule."""
    rows, _ = planted
    names = {r.rule.name for r in report.rules if r.status != "not_applicable"}
    found = {(f.entry_number, f.name) for f in report.findings}
    checked = [r for r in rows if r["problem"] in names]
    missing = [
        (r["entry_number"], r["problem"])
        for r in checked
        if (r["entry_number"], r["problem"]) not in found
    ]

    assert len(checked) >= 60
    assert not missing


def test_no_finding_on_clean_entries(planted, report):
    """Entries with nothing planted get no violation and no warning."""
    _, by_entry = planted
    dirty = {number for (_file, number) in by_entry}
    noise = [
        (f.code, f.entry_number, f.message)
        for f in report.findings
        if f.entry_number not in dirty and f.severity is not t86audit.Severity.INFO
    ]

    assert not noise


def test_planted_load_errors_are_accounted(planted, report):
    """The rows planted as unreadable are in the load errors, and every row is accounted for."""
    rows, _ = planted
    load = report.load
    loaded_rows = sum(e.rows for e in report.entries)

    assert load.rows_read == loaded_rows + load.rows_rejected
    assert load.rows_rejected == len(load.errors)
    assert {r["problem"] for r in rows if r["family"] == "LOAD"} == {
        "duplicate-entry-number-in-file",
        "impossible-date",
        "value-not-a-number",
    }
    assert load.rows_rejected >= 3
