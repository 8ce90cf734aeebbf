"""The Dask adapter: two local workers find exactly what the single-process audit finds."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest


pytest.importorskip(
    "dask", reason="the Dask adapter needs the extra: pip install 't86audit[dask]'"
)
distributed = pytest.importorskip(
    "distributed", reason="the Dask adapter needs the extra: pip install 't86audit[dask]'"
)
pd = pytest.importorskip("pandas", reason="Dask DataFrames need pandas")

dd = pytest.importorskip("dask.dataframe", reason="Dask DataFrames need dask[dataframe]")

import t86audit  # noqa: E402
from t86audit.distributed import audit_dask  # noqa: E402
from t86audit.testing import CSV_COLUMNS, make_population, to_csv_rows  # noqa: E402


EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "data"
AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def client():
    """A local cluster of two worker processes (one thread each)."""
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=40,
    )
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def test_files_audit_equals_the_single_process_report(client):
    """The example population (3,000 entries, planted problems, two files) audits identically."""
    paths = [EXAMPLES / "entries.csv", EXAMPLES / "entries-2.csv"]
    expected = t86audit.audit(t86audit.load(*paths), generated_at=AT)
    got = audit_dask([str(p) for p in paths], client=client, generated_at=AT)
    assert got.findings == expected.findings
    assert len(got.findings) > 100
    assert {f.code for f in got.findings} >= {"VAL002", "FIL003", "FIL007", "CON007", "HTS007"}
    assert got.entries == expected.entries
    assert got.rules == expected.rules
    assert got.to_json() == expected.to_json()


def test_dataframe_audit_equals_the_single_process_report(client, tmp_path):
    """A Dask DataFrame split in four, entries across partitions, audits as one DataFrame."""
    rows = to_csv_rows(make_population(400, seed=5))
    frame = pd.DataFrame(rows, columns=list(CSV_COLUMNS))
    expected = t86audit.audit(t86audit.load_dataframe(frame), generated_at=AT)
    got = audit_dask(
        dd.from_pandas(frame, npartitions=4),
        client=client,
        generated_at=AT,
        buckets=3,
    )
    assert got.findings == expected.findings
    assert got.entries == expected.entries
    assert got.to_json() == expected.to_json()


def test_select_and_options_reach_the_workers(client, tmp_path):
    """Selected rules and rule options apply on every worker."""
    path = tmp_path / "p.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(to_csv_rows(make_population(60, seed=9)))
    options = {"VAL004": {"nominal_usd": "30.00"}}
    expected = t86audit.audit(
        t86audit.load(path), select=["VAL"], options=options, generated_at=AT
    )
    got = audit_dask([str(path)], client=client, select=["VAL"], options=options, generated_at=AT)
    assert {r.rule.code for r in got.rules} == {r.rule.code for r in expected.rules}
    assert got.findings == expected.findings
    assert got.to_json() == expected.to_json()


def test_samples_waivers_and_redaction_work_on_dask(client):
    """Drawn and cited samples, waivers and redaction: the single-process report, byte for byte."""
    paths = [EXAMPLES / "entries.csv", EXAMPLES / "entries-2.csv"]
    loaded = t86audit.load(*paths)
    drawn = t86audit.draw_samples(loaded.entries, size=10, count=2, seed=7, drawn_at=AT)
    flagged = t86audit.audit(loaded, generated_at=AT).findings[0]
    cited = t86audit.cited_sample(loaded.entries, [flagged.entry_number], id="CBP-1", drawn_at=AT)
    waivers = [
        {
            "entry_number": flagged.entry_number,
            "code": flagged.code,
            "reason": "reviewed: corrected by a later entry",
            "reviewer": "J. Doe",
            "date": "2026-12-01",
        }
    ]
    key = "0123456789abcdef" * 4
    samples = (*drawn, cited)
    expected = t86audit.audit(
        loaded, generated_at=AT, samples=samples, waivers=waivers, redact_key=key
    )
    got = audit_dask(
        [str(p) for p in paths],
        client=client,
        generated_at=AT,
        samples=samples,
        waivers=waivers,
        redact_key=key,
    )
    assert [e.sample.id for e in got.samples] == ["S1", "S2", "CBP-1"]
    assert got.waived_count == expected.waived_count == 1
    assert got.exposure is not None
    assert got.to_json() == expected.to_json()


def test_files_split_into_parts_audit_as_one_process(client):
    """Files larger than task_entries become several tasks; the report is unchanged."""
    paths = [EXAMPLES / "entries.csv", EXAMPLES / "entries-2.csv"]
    expected = t86audit.audit(t86audit.stream(*paths), generated_at=AT, jobs=1)
    got = audit_dask([str(p) for p in paths], client=client, generated_at=AT, task_entries=300)
    assert got.findings == expected.findings
    assert got.load is not None
    assert expected.load is not None
    assert (got.load.rows_read, got.load.rows_rejected, got.load.errors) == (
        expected.load.rows_read,
        expected.load.rows_rejected,
        expected.load.errors,
    )
    assert got.to_json() == expected.to_json()


def test_a_large_contiguous_file_is_audited_in_parts(client, tmp_path):
    """One file of 900 entries in three tasks of 300: the same report as one process."""
    rows = to_csv_rows(make_population(900, seed=11))
    rows[700]["value_usd"] = "abc"  # a rejected row inside the third part
    path = tmp_path / "year.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    expected = t86audit.audit(t86audit.stream(path), generated_at=AT, jobs=1)
    got = audit_dask([str(path)], client=client, generated_at=AT, task_entries=300)
    assert got.load is not None
    assert got.load.rows_rejected >= 1
    assert got.to_json() == expected.to_json()


@pytest.mark.parametrize("bad", [0, -5, 2.5, True])
def test_task_entries_must_be_a_positive_whole_number(bad):
    """A nonsensical task size is refused before any work is sent to the cluster."""
    with pytest.raises(ValueError, match="task_entries"):
        audit_dask([str(EXAMPLES / "entries.csv")], client=None, task_entries=bad)
