"""Group rules that look again: FIL003 and FIL004 keep no filing digest during the pass.

A number is almost always used once; only the entries of a number used two or more times are
compared, and those are read again at the end (a sequence is read again, a stream re-read from
its files). The findings must be the ones a full fold in the pass gives, on one process or
several.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

import t86audit
from t86audit.engine import _can_fork, run_rules
from t86audit.io import load, stream
from t86audit.registry import RuleRegistry
from t86audit.rules import filing
from t86audit.testing import CSV_COLUMNS, make_population, to_csv_rows


WHEN = dt.datetime(2026, 12, 5, tzinfo=dt.UTC)


def write_rows(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def two_files(tmp_path: Path) -> tuple[Path, Path]:
    """A population, and a second file repeating one filing and reusing another's number."""
    rows = to_csv_rows(make_population(300, seed=5))
    numbers = list(dict.fromkeys(row["entry_number"] for row in rows))
    copied, reused = numbers[10], numbers[200]
    again = [dict(row) for row in rows if row["entry_number"] == copied]
    for row in rows:
        if row["entry_number"] == reused:
            changed = dict(row)
            changed["port_code"] = "2704" if row["port_code"] != "2704" else "4701"
            again.append(changed)
    return write_rows(tmp_path / "a.csv", rows), write_rows(tmp_path / "b.csv", again)


def codes(report: t86audit.Report, *wanted: str) -> list[tuple[str, str]]:
    return [(f.code, f.entry_number) for f in report.findings if f.code in wanted]


def test_a_stream_read_again_gives_the_findings_of_a_full_fold(two_files):
    """Streamed (entries read again from the files) == a one-shot iterable (full fold)."""
    entries = load(*two_files).entries
    full = t86audit.audit(iter(entries), generated_at=WHEN, exposure=False)
    streamed = t86audit.audit(stream(*two_files), generated_at=WHEN, exposure=False, jobs=1)
    in_memory = t86audit.audit(list(entries), generated_at=WHEN, exposure=False, jobs=1)
    found = codes(full, "FIL003", "FIL004")
    assert {code for code, _ in found} == {"FIL003", "FIL004"}
    assert streamed.findings == full.findings
    assert in_memory.findings == full.findings


@pytest.mark.skipif(not _can_fork(), reason="worker processes need fork here")
def test_numbers_repeated_across_workers_parts_are_compared(two_files):
    """With two workers, the copies sit in different parts: the second look still finds them."""
    one = t86audit.audit(stream(*two_files), generated_at=WHEN, exposure=False, jobs=1)
    two = t86audit.audit(stream(*two_files), generated_at=WHEN, exposure=False, jobs=2)
    assert codes(two, "FIL003", "FIL004") == codes(one, "FIL003", "FIL004") != []
    assert two.render("json") == one.render("json")


def test_the_digest_is_made_only_for_numbers_used_twice(two_files, monkeypatch):
    """The pass makes no digest; the second look makes one per entry of a repeated number."""
    made: list[str] = []
    digest = filing._digest

    def counting(entry: object) -> bytes:
        made.append(entry.number)  # type: ignore[attr-defined]
        return digest(entry)  # type: ignore[arg-type]

    monkeypatch.setattr(filing, "_digest", counting)
    entries = load(*two_files).entries
    rules = RuleRegistry.default().select(["FIL003", "FIL004"], ())
    run_rules(entries, rules)
    keys = [e.entry_number.key for e in entries]
    repeated = {k for k in keys if keys.count(k) > 1}
    assert len(repeated) == 2
    assert sorted(made) == sorted(e.number for e in entries if e.entry_number.key in repeated)
    made.clear()
    run_rules(iter(entries), rules)  # cannot be read again: every entry is digested
    assert len(made) == len(entries)


def test_entries_missing_when_read_again_make_the_rule_an_error(two_files):
    """If the entries read again are not the ones the pass met, the rule says so."""
    entries = load(*two_files).entries
    rules = RuleRegistry.default().select(["FIL003"], ())
    result = run_rules(entries, rules, again=lambda wanted: entries[:50])
    (outcome,) = result.rule_results
    assert outcome.status == "error"
    assert "read again" in outcome.errors[0].message
    assert result.findings == ()
