"""The Dask adapter: two local workers find exactly what the single-process audit finds."""

from __future__ import annotations

import csv
import datetime as dt
import pickle
import time
from pathlib import Path

import pytest
from attrs import evolve as attrs_evolve


pytest.importorskip(
    "dask", reason="the Dask adapter needs the extra: pip install 't86audit[dask]'"
)
distributed = pytest.importorskip(
    "distributed", reason="the Dask adapter needs the extra: pip install 't86audit[dask]'"
)
pd = pytest.importorskip("pandas", reason="Dask DataFrames need pandas")

dd = pytest.importorskip("dask.dataframe", reason="Dask DataFrames need dask[dataframe]")

import t86audit  # noqa: E402
import t86audit.distributed as dist  # noqa: E402
from t86audit.distributed import audit_dask  # noqa: E402
from t86audit.engine import _portable_32, _seeded_32  # noqa: E402
from t86audit.testing import CSV_COLUMNS, make_entry, make_population, to_csv_rows  # noqa: E402


EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "data"
AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)



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


_SETUP = dist._Setup(registry=None, select=(), ignore=(), options={}, policy=None, reference=None)


class _Done:
    """A finished future (what :class:`_Inline` hands back)."""

    def __init__(self, value):
        self.value = value


class _Inline:
    """A client that runs each task at once, in this process; two threads, it says."""

    def __init__(self):
        self.calls = []

    def submit(self, fn, *args, pure=True):
        self.calls.append(fn.__name__)
        return _Done(fn(*args) if fn.__name__ == "_count_files" else None)

    def gather(self, futures):
        return [f.value for f in futures]

    def nthreads(self):
        return {"tcp://a": 1, "tcp://b": 1}


def _write_population(path, count, seed, *, newline="\n"):
    rows = to_csv_rows(make_population(count, seed=seed))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, CSV_COLUMNS, lineterminator=newline)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_small_files_are_not_counted_and_share_a_task_per_thread(tmp_path):
    """Four files for two threads, each with fewer line breaks than task_entries: no count,
    and two neighbours a task, so each thread reads half."""
    paths = [str(_write_population(tmp_path / f"p{i}.csv", 40, seed=i)) for i in range(4)]
    client = _Inline()
    planned = dist._file_tasks(
        client, _SETUP, paths, mapping=None, encoding="utf-8", task_entries=1_000
    )
    assert [(run, counted, len(tasks)) for run, counted, tasks in planned] == [
        (paths[:2], None, 1),
        (paths[2:], None, 1),
    ]
    assert client.calls == ["_count_files"] * 4 + ["_feed_files"] * 2


def test_whole_files_share_a_task_up_to_task_entries(tmp_path):
    """Runs of whole files stay within task_entries (their line breaks bound their entries),
    keep the files' order, and a file split into parts ends the run before it."""
    small = [str(_write_population(tmp_path / f"s{i}.csv", 20, seed=i)) for i in range(8)]
    big = str(_write_population(tmp_path / "big.csv", 300, seed=9))
    order = [*small[:4], big, *small[4:]]
    client = _Inline()
    planned = dist._file_tasks(
        client, _SETUP, order, mapping=None, encoding="utf-8", task_entries=100
    )
    assert [path for run, _, _ in planned for path in run] == order
    (split,) = [(counted, tasks) for run, counted, tasks in planned if run == [big]]
    assert split[0] is not None  # counted,
    assert len(split[1]) == 3  # then three parts of at most 100
    runs = [run for run, counted, _ in planned if counted is None]
    assert all(big not in run for run in runs)
    sizes = {path: dist._line_breaks(path, 10**9) for path in small}
    assert all(sum(sizes[path] for path in run) <= 100 for run in runs)
    assert len(runs) < len(small)  # some files do share a task
    assert client.calls.count("_feed_files") == len(runs)


def test_a_file_with_more_line_breaks_than_task_entries_is_counted_and_split(tmp_path):
    """The line breaks only bound the entries: a file past the bound is counted, then split."""
    paths = [str(_write_population(tmp_path / f"p{i}.csv", 300, seed=i)) for i in range(4)]
    client = _Inline()
    planned = dist._file_tasks(
        client, _SETUP, paths, mapping=None, encoding="utf-8", task_entries=100
    )
    for _, counted, tasks in planned:
        assert counted is not None
        assert len(tasks) == -(-counted.entries // 100) >= 3


def test_few_files_are_split_so_every_thread_has_work(tmp_path, monkeypatch):
    """One file for two threads becomes four parts (twice the threads); the report is unchanged."""
    path = _write_population(tmp_path / "year.csv", 900, seed=5)
    monkeypatch.setattr(dist, "_LEAST_PART", 100)
    client = _Inline()
    planned = dist._file_tasks(
        client, _SETUP, [str(path)], mapping=None, encoding="utf-8", task_entries=200_000
    )
    assert [len(tasks) for _, _, tasks in planned] == [4]
    monkeypatch.setattr(dist, "_LEAST_PART", 300)  # now at most three parts of 300
    planned = dist._file_tasks(
        _Inline(), _SETUP, [str(path)], mapping=None, encoding="utf-8", task_entries=200_000
    )
    assert [len(tasks) for _, _, tasks in planned] == [3]


def test_small_files_read_together_audit_as_one_process(client, tmp_path):
    """Eight small files, four to a task: the single-process report, byte for byte (the load
    accounting, the findings of groups across files, the entries read again by the index of
    the files a task read, the exposure)."""
    paths = [_write_population(tmp_path / f"d{i}.csv", 60, seed=20 + i) for i in range(8)]
    inline = _Inline()
    planned = dist._file_tasks(
        inline,
        _SETUP,
        [str(p) for p in paths],
        mapping=None,
        encoding="utf-8",
        task_entries=200_000,
    )
    assert [len(run) for run, _, _ in planned] == [4, 4]
    assert (
        inline.calls.count("_count_files") == 4
    )  # eight files counted in twice the threads' tasks
    expected = t86audit.audit(t86audit.stream(*paths), generated_at=AT, jobs=1)
    got = audit_dask([str(p) for p in paths], client=client, generated_at=AT)
    assert got.to_json() == expected.to_json()
    assert len(got.findings) > 10


def test_split_for_the_threads_audits_as_one_process(client, tmp_path, monkeypatch):
    """The parts made for the threads' sake give the single-process report, byte for byte."""
    path = _write_population(tmp_path / "year.csv", 900, seed=7)
    monkeypatch.setattr(dist, "_LEAST_PART", 100)
    expected = t86audit.audit(t86audit.stream(path), generated_at=AT, jobs=1)
    got = audit_dask([str(path)], client=client, generated_at=AT)
    assert got.to_json() == expected.to_json()


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_breaks_bound_the_entries_whatever_the_line_ending(tmp_path, newline):
    """LF, CRLF and CR files: the breaks counted are the lines, so the bound holds exactly."""
    path = tmp_path / "p.csv"
    path.write_bytes(("h" + newline + ("x" + newline) * 5).encode())
    assert dist._line_breaks(str(path), 6) == 6
    assert dist._line_breaks(str(path), 5) == 6  # past the bound: the file is counted


def test_a_quoted_line_break_only_makes_the_bound_larger(tmp_path):
    """A value spanning lines counts its breaks too: the bound errs towards counting."""
    path = tmp_path / "p.csv"
    path.write_text('h,d\r\n1,"two\r\nlines"\r\n', encoding="utf-8", newline="")
    assert dist._line_breaks(str(path), 2) == 3
    assert dist._line_breaks(str(path), 3) == 3


def test_an_unreadable_file_is_counted_so_its_error_is_the_loads(tmp_path):
    """A missing file says 'exceeds': the count that follows raises the load's error."""
    assert dist._line_breaks(str(tmp_path / "missing.csv"), 10**9) == 10**9 + 1


def _recording(monkeypatch):
    """The wanted sets of the re-reads the driver made itself (a task's are not seen)."""
    calls = []
    real = dist._read_wanted

    def recorded(*args, **kwargs):
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(dist, "_read_wanted", recorded)
    return calls


def _two_files(tmp_path):
    """Two files of generated entries, each entry's rows adjacent (so each has an index)."""
    return [_write_population(tmp_path / f"y{i}.csv", 400, seed=30 + i) for i in range(2)]


def test_the_workers_fold_the_second_look_and_estimate_the_exposure(client, monkeypatch, tmp_path):
    """The entries needed after the pass are read where the files are: the workers fold the
    second look (a task per file) and estimate the ineligible entries, and send back states
    and estimates; the driver reads no entry again. The same report."""
    paths = _two_files(tmp_path)
    over = [make_entry(serial=900_001 + i, value="2500.00") for i in range(3)]
    with paths[1].open("a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, CSV_COLUMNS, lineterminator="\n").writerows(to_csv_rows(over))
    driver_reads = _recording(monkeypatch)
    expected = t86audit.audit(t86audit.stream(*paths), generated_at=AT, jobs=1)
    with distributed.get_task_stream(client) as tasks:
        got = audit_dask([str(p) for p in paths], client=client, generated_at=AT)
    assert got.to_json() == expected.to_json()
    names = [str(task["key"]) for task in tasks.data]
    assert sum("_fold_file_again" in name for name in names) == len(paths)
    # The estimates: begun as each file's task came back (session 24), each task for the
    # files of one task of the pass (here one file each), and any asked after the groups.
    assert 1 <= sum("_estimate_files_again" in name for name in names) <= len(paths) + 1
    assert driver_reads == []
    assert expected.exposure is not None
    assert {e.entry_number for e in expected.exposure.entries} == {e.number for e in over}


def test_workers_sharing_a_hash_seed_digest_with_hash(client, tmp_path):
    """A nanny starts every worker with one string-hash seed: the tasks then digest group
    keys with hash() (cheaper than the portable digests), and the second look's keys are
    digested where they were, on the workers; the report is the single-process one."""
    assert dist._shared_seed(client) is not None
    setup = dist._Setup(
        registry=None, select=(), ignore=(), options={}, policy=None, reference=None
    )
    seeded = attrs_evolve(setup, seed=dist._shared_seed(client))
    assert client.submit(lambda s: s.audit(quick=True).digest.__name__, seeded).result() == (
        "_seeded_32"
    )
    assert setup.audit(quick=True).digest.__name__ == "_portable_32"
    paths = _two_files(tmp_path)
    expected = t86audit.audit(t86audit.stream(*paths), generated_at=AT, jobs=1)
    got = audit_dask([str(p) for p in paths], client=client, generated_at=AT)
    assert got.to_json() == expected.to_json()


def test_a_worker_of_another_seed_makes_the_audit_start_again_portably(
    client, tmp_path, monkeypatch
):
    """Told a seed the workers do not have (as if one had joined with another), the tasks
    refuse it and the audit runs again with the digests every process computes alike."""
    attempts = []
    real = dist._pass_and_finish

    def counted(*args, **kwargs):
        attempts.append(args[2].seed)
        return real(*args, **kwargs)

    monkeypatch.setattr(dist, "_pass_and_finish", counted)
    monkeypatch.setattr(dist, "_shared_seed", lambda client: dist._probe() ^ 1)
    paths = _two_files(tmp_path)
    expected = t86audit.audit(t86audit.stream(*paths), generated_at=AT, jobs=1)
    got = audit_dask([str(p) for p in paths], client=client, generated_at=AT)
    assert attempts == [dist._probe() ^ 1, None]
    assert got.to_json() == expected.to_json()


def test_keys_holding_none_get_one_digest_in_every_worker(client):
    """hash(None) is an address: keys holding it (a rule pack's, say) are digested portably
    even where the workers share a seed, so a group met on two workers is one group."""
    keys = [("a", None), "a", ("a", dt.date(2024, 1, 2), 3), ("a", ("nested",))]
    seen = client.run(lambda: [_seeded_32(key) for key in keys])
    assert len({tuple(v) for v in seen.values()}) == 1
    assert _seeded_32(("a", None)) == _portable_32(("a", None))
    assert _seeded_32(("a", dt.date(2024, 1, 2))) == hash(("a", dt.date(2024, 1, 2))) & (2**32 - 1)


def test_the_seed_error_travels_back_from_a_worker():
    """The exception a task raises on a process of another seed pickles and unpickles."""
    error = pickle.loads(pickle.dumps(dist._SeedChangedError()))
    assert isinstance(error, dist._SeedChangedError)


def test_a_failed_attempt_leaves_no_task_behind(client, tmp_path, monkeypatch):
    """When an attempt's tasks fail, the others are cancelled and let go: after the retry
    the scheduler holds nothing of the first attempt."""
    monkeypatch.setattr(dist, "_shared_seed", lambda client: dist._probe() ^ 1)
    paths = [_write_population(tmp_path / f"z{i}.csv", 150, seed=50 + i) for i in range(6)]
    audit_dask([str(p) for p in paths], client=client, generated_at=AT, task_entries=None)
    for _ in range(200):  # releases reach the scheduler asynchronously: up to 20 s on a slow host
        held = client.run_on_scheduler(
            lambda dask_scheduler: [
                k for k, ts in dask_scheduler.tasks.items() if "_feed_file" in str(k)
            ]
        )
        if not held:
            break
        time.sleep(0.1)
    assert held == []


def test_one_path_is_a_list_of_one_and_other_sources_are_refused(client):
    """audit_dask("entries.csv") audits the file (it took the path for a DataFrame and failed
    on 'map_partitions'); a pandas frame or a number is a TypeError saying what is taken."""
    path = EXAMPLES / "entries.csv"
    expected = audit_dask([str(path)], client=client, generated_at=AT)
    assert audit_dask(str(path), client=client, generated_at=AT).to_json() == expected.to_json()
    assert audit_dask(path, client=client, generated_at=AT).to_json() == expected.to_json()
    pd = pytest.importorskip("pandas")
    with pytest.raises(TypeError, match=r"a list of files or a Dask DataFrame .*from_pandas"):
        audit_dask(pd.DataFrame({"entry_number": ["x"]}), client=client)
    with pytest.raises(TypeError, match="got int"):
        audit_dask(3, client=client)


def _wait_for(name, seconds):
    """A task: whether the Dask event ``name`` was set within ``seconds``."""
    return distributed.Event(name).wait(seconds)


def test_each_partial_is_given_as_soon_as_those_before_it_are_in(client):
    """The driver merges a finished task's partial while later tasks still run: the first
    result comes while the second task still waits, on an event only the caller sets."""
    name = f"t86audit-collect-{time.monotonic_ns()}"
    tasks = [
        client.submit(lambda: "first", pure=False),
        client.submit(_wait_for, name, 60, pure=False),
        client.submit(lambda: "third", pure=False),
    ]
    left: list[int] = []
    arriving = dist._collect(tasks, left.append)
    assert next(arriving) == "first"
    distributed.Event(name, client=client).set()
    assert list(arriving) == [True, "third"]
    # Told how many tasks still run each time one ends (when to ready the idle workers).
    assert left == [2, 1, 0]


def test_a_merge_that_stops_lets_the_running_tasks_go(client):
    """Closed before its end (the merge failed, or the seed changed), the collection cancels
    and lets go the tasks not yet fetched."""
    name = f"t86audit-stop-{time.monotonic_ns()}"
    tasks = [
        client.submit(lambda: "first", pure=False),
        client.submit(_wait_for, name, 60, pure=False),
    ]
    kept = list(tasks)
    arriving = dist._collect(tasks)
    assert next(arriving) == "first"
    arriving.close()
    assert kept[1].cancelled()


def test_each_file_is_asked_for_the_reasons_of_its_own_entries():
    """The exposure's task of a file gets the ineligible entries of that file, and those of
    a source named otherwise than any path (which any file may hold)."""
    reasons: dict[tuple[str, str, int | None], tuple[str, ...]] = {
        ("1", "a.csv", 2): ("ELG001",),
        ("2", "b.csv", 2): ("ELG002",),
        ("3", "elsewhere", 5): ("VAL001",),
        ("4", "a.csv", 9): ("ELG003",),
    }
    shares = dist._reasons_by_file(reasons, ["a.csv", "b.csv", "a.csv"])
    assert shares[0] == {
        ("1", "a.csv", 2): ("ELG001",),
        ("3", "elsewhere", 5): ("VAL001",),
        ("4", "a.csv", 9): ("ELG003",),
    }
    assert shares[1] == {("2", "b.csv", 2): ("ELG002",), ("3", "elsewhere", 5): ("VAL001",)}
    assert shares[2] == shares[0]


def test_a_file_whose_rows_are_scattered_audits_as_one_process(client, tmp_path):
    """Rows of some entries moved to the end (and one row repeated): the pass reads the file in
    entry order, and so do the workers' second look and exposure, each wanted entry once.

    The second look's tasks read the file afresh; they met the scattered rows only then and
    read every entry of the file twice (groups of 2 read again as 4: rule errors, and the
    group rules' findings lost) until the nineteenth session.
    """
    with (EXAMPLES / "entries.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    later = [i for i in range(1, len(body)) if body[i][0] == body[i - 1][0]][:25]
    kept = [row for i, row in enumerate(body) if i not in set(later)]
    path = tmp_path / "scattered.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerows([header, *kept, *(body[i] for i in later), body[later[0]]])
    expected = t86audit.audit(str(path), generated_at=AT, jobs=1)
    got = audit_dask([str(path)], client=client, generated_at=AT)
    assert not [r for r in got.rules if r.status == "error"]
    assert {f.code for f in got.findings} >= {"VAL002", "FIL007", "CON007", "HTS007"}
    assert got.findings == expected.findings
    assert got.to_json() == expected.to_json()
