"""All cores: an audit split over worker processes gives the report of one process.

The line and entry rules run where each slice of the population is; the group rules' states
are merged in population order before their groups are finished, so findings, their order,
the entry table and every rendering are byte-identical to ``jobs=1``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest

import t86audit
from t86audit.engine import _can_fork
from tests._benchmark_population import write_benchmark_population


ROOT = Path(__file__).resolve().parent.parent
WHEN = dt.datetime(2026, 12, 5, tzinfo=dt.UTC)

pytestmark = pytest.mark.skipif(not _can_fork(), reason="worker processes need fork here")


@pytest.fixture(scope="module")
def population(tmp_path_factory: pytest.TempPathFactory) -> t86audit.LoadResult:
    path = tmp_path_factory.mktemp("jobs") / "population.csv"
    return t86audit.load(write_benchmark_population(path, 9000))


def test_two_workers_write_the_same_report(population: t86audit.LoadResult) -> None:
    samples = t86audit.draw_samples(population.entries, size=10, count=2, seed=11)
    one = t86audit.audit(population, samples=samples, jobs=1, generated_at=WHEN)
    two = t86audit.audit(population, samples=samples, jobs=2, generated_at=WHEN)
    assert one.findings == two.findings
    assert one.findings
    for fmt in ("json", "csv", "text"):
        assert one.render(fmt) == two.render(fmt), fmt


def test_example_data_same_with_three_workers() -> None:
    loaded = t86audit.load(ROOT / "examples" / "data" / "entries.csv")
    one = t86audit.audit(loaded, jobs=1, generated_at=WHEN)
    three = t86audit.audit(loaded, jobs=3, generated_at=WHEN)
    assert one.render("json") == three.render("json")


def test_jobs_must_be_a_positive_whole_number(population: t86audit.LoadResult) -> None:
    with pytest.raises(ValueError, match="jobs must be a whole number"):
        t86audit.audit(population, jobs=0)


def test_a_streamed_csv_audited_in_parts_gives_the_same_report(tmp_path: Path) -> None:
    """Two workers each read their part of the file: same report, same load accounting."""
    import csv  # noqa: PLC0415

    from t86audit.io import stream  # noqa: PLC0415
    from t86audit.testing import CSV_COLUMNS, make_population, to_csv_rows  # noqa: PLC0415

    rows = to_csv_rows(make_population(600, seed=5))
    rows[10]["value_usd"] = "abc"  # a rejected entry, in the first part
    rows[-3]["arrival_date"] = "2024-02-31"  # and one in the last
    rows.insert(400, {**rows[400], "entry_number": ""})  # a loose row in the middle
    path = tmp_path / "entries.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    one = t86audit.audit(stream(path), jobs=1, generated_at=WHEN)
    two = t86audit.audit(stream(path), jobs=2, generated_at=WHEN)
    assert one.load is not None
    assert two.load is not None
    assert one.load.rows_rejected == two.load.rows_rejected >= 3
    assert one.render("json") == two.render("json")
    assert one.render("csv") == two.render("csv")


def test_a_workers_error_reaches_the_caller_and_nothing_hangs(tmp_path: Path) -> None:
    """Strict mode with two workers: the row error is raised, as with one process."""
    import csv  # noqa: PLC0415

    from t86audit.exceptions import RowError  # noqa: PLC0415
    from t86audit.io import stream  # noqa: PLC0415
    from t86audit.testing import CSV_COLUMNS, make_population, to_csv_rows  # noqa: PLC0415

    rows = to_csv_rows(make_population(300, seed=2))
    rows[400]["value_usd"] = "abc"  # in the second worker's part
    path = tmp_path / "strict.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(RowError, match="value_usd"):
        t86audit.audit(stream(path, strict=True), jobs=2)


def test_a_rule_packs_own_fold_runs_in_one_process() -> None:
    """A fold keeping a running total cannot be joined across slices: jobs is not used."""
    from t86audit.engine import mergeable  # noqa: PLC0415
    from t86audit.registry import RuleRegistry  # noqa: PLC0415
    from t86audit.rules._base import Rule  # noqa: PLC0415

    rules = list(RuleRegistry.default())
    assert mergeable(rules)
    total = next(r for r in rules if r.scope == "group")

    def running_total(state: int | None, entry: object, ctx: object) -> int:
        return (state or 0) + 1

    own: Rule = attrs.evolve(total, fold=running_total)
    assert not mergeable([own])


def test_a_worker_that_dies_is_an_error_not_a_hang(population: t86audit.LoadResult) -> None:
    """A worker killed mid-pass (out of memory, say) ends the audit with an error naming it."""
    import os  # noqa: PLC0415

    from t86audit.engine import run_rules  # noqa: PLC0415
    from t86audit.registry import RuleRegistry  # noqa: PLC0415

    parent = os.getpid()
    (value_rule,) = RuleRegistry.default().select(["VAL001"], ())

    def dies_in_a_worker(entry: object, ctx: object) -> tuple[()]:
        if os.getpid() != parent:
            os._exit(9)  # the worker vanishes without a word, as a killed process does
        return ()

    fatal = attrs.evolve(value_rule, check=dies_in_a_worker, reads=None)
    with pytest.raises(RuntimeError, match=r"worker process \d of 2 ended \(exit code 9\)"):
        run_rules(population.entries, [fatal], jobs=2)


def test_worker_results_equal_one_process_with_a_repeated_number(
    population: t86audit.LoadResult,
) -> None:
    """A number filed in both workers' slices: the second look compares the two filings."""
    entries = list(population.entries)
    copy = entries[10]
    entries.append(attrs.evolve(copy, source="again.csv"))
    one = t86audit.audit(entries, jobs=1, generated_at=WHEN)
    two = t86audit.audit(entries, jobs=2, generated_at=WHEN)
    assert [f for f in one.findings if f.code == "FIL004"] != []
    assert two.render("json") == one.render("json")
