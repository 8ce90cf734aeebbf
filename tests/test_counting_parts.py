"""The first worker starts before the population is counted, and is told where to stop.

Whatever the moment it is told (early, or after it has read everything), the parts cover the
population once, in order, and the audit is the one-process audit.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import time
from pathlib import Path

import pytest

import t86audit
from t86audit.engine import _can_fork, run_rules_in_parts
from t86audit.io import stream
from t86audit.io._stream import count_entries
from t86audit.registry import RuleRegistry
from tests._benchmark_population import write_benchmark_population


WHEN = dt.datetime(2026, 12, 5, tzinfo=dt.UTC)

pytestmark = pytest.mark.skipif(not _can_fork(), reason="worker processes need fork here")


@pytest.fixture(scope="module")
def population_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_benchmark_population(tmp_path_factory.mktemp("counting") / "p.csv", 4_500)


def _findings(path: Path, counting: object, jobs: int) -> list[t86audit.Finding] | None:
    rules = RuleRegistry.default().select()
    done = run_rules_in_parts(stream(path).part, counting, rules, jobs=jobs)  # type: ignore[arg-type]
    return None if done is None else list(done[0].findings)


def test_a_part_told_where_to_stop_gives_the_entries_before_it(population_csv: Path) -> None:
    entries = list(t86audit.load(population_csv).entries)
    part = stream(population_csv).part(0, 2**62)
    got = []
    for entry in part:
        got.append(entry)
        if len(got) == 300:
            end = part.stop_at(10)  # too early: the entries begun are still given
            assert end == part.begun
            assert end >= 300
    assert got == entries[:end]


@pytest.mark.parametrize(("delay", "jobs"), [(0.0, 2), (0.0, 3), (4.0, 2)])
def test_counted_early_or_late_the_audit_is_the_one_process_audit(
    population_csv: Path, delay: float, jobs: int
) -> None:
    """A count that takes long enough for the first worker to read everything included."""
    expected = list(t86audit.audit(stream(population_csv), jobs=1, generated_at=WHEN).findings)

    def counting() -> int:
        time.sleep(delay)
        return count_entries([population_csv]).entries

    assert _findings(population_csv, counting, jobs) == expected


def test_a_population_that_cannot_be_split_leaves_no_worker_running(
    population_csv: Path,
) -> None:
    assert _findings(population_csv, lambda: None, 2) is None
    assert multiprocessing.active_children() == []


def test_the_default_command_reads_in_parts_and_writes_the_one_process_report(
    population_csv: Path,
) -> None:
    one = t86audit.audit(stream(population_csv), jobs=1, generated_at=WHEN)
    two = t86audit.audit(stream(population_csv), jobs=2, generated_at=WHEN)
    assert two.load is not None
    assert one.load is not None
    assert (two.load.rows_read, two.load.sources) == (one.load.rows_read, one.load.sources)
    assert two.render("json") == one.render("json")


def test_told_early_the_first_worker_leaves_the_rest_to_the_others(population_csv: Path) -> None:
    """Each worker gets a share: the first stops near an equal share of what is left."""
    from t86audit.engine import _Audit  # noqa: PLC0415
    from t86audit.policy import default_policy  # noqa: PLC0415

    audit = _Audit(
        RuleRegistry.default().select(),
        samples=(),
        policy=default_policy(),
        options={},
        fail_fast=False,
        cache_verdicts=True,
        reference=None,
    )
    count = count_entries([population_csv]).entries
    partials = audit.parallel_counting(stream(population_csv).part, lambda: count, 3)
    assert partials is not None
    sizes = [partial.count for partial in partials]
    assert len(sizes) == 3
    assert sum(sizes) == count
    assert min(sizes) > count // 5


def test_rows_that_come_back_among_the_first_entries_fall_back_as_one_process_does(
    tmp_path: Path,
) -> None:
    """An entry whose rows come back is met by the parent's first entries (before the count
    can say the rows are not contiguous): the audit loads the file, as with one process."""
    import csv  # noqa: PLC0415

    from t86audit.testing import CSV_COLUMNS, make_population, to_csv_rows  # noqa: PLC0415

    rows = to_csv_rows(make_population(40, seed=1))
    rows.append(dict(rows[0]))  # the first entry's row comes back at the end
    path = tmp_path / "scattered.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    notes: list[str] = []
    one = t86audit.audit(stream(path, on_fallback=notes.append), jobs=1, generated_at=WHEN)
    two = t86audit.audit(stream(path, on_fallback=notes.append), jobs=2, generated_at=WHEN)
    assert two.render("json") == one.render("json")
    assert len(notes) == 2
    assert multiprocessing.active_children() == []
