"""Audit on a Dask cluster: many cores, or many machines, when one process is not enough.

Install the extra (``pip install 't86audit[dask]'``) and call :func:`audit_dask` with a
``dask.distributed`` client and either a list of files or a Dask DataFrame in the canonical
columns. The report is the one :func:`t86audit.audit` gives for the same population: the same
findings in the same order, the same entries, the same load accounting.

How the work is split
---------------------
One task per file (or per DataFrame partition, after a shuffle on the entry number so each
entry's rows meet) runs the same pass the local ``jobs`` path runs in each worker process
(:meth:`t86audit.engine._Audit.feed`): the line and entry rules, one compact record per entry,
and the group rules' folds into compact states. Only those partials travel back: findings,
records, group states (one small shared record per entry and its keys), load accounting; never
the entries. The driver merges them in population order (file after file; a DataFrame's
entries by their first row) and finishes the groups with :meth:`~t86audit.engine._Audit.finish`,
the code every local audit ends with, then assembles the report with
:func:`t86audit.api.assemble_report` (waivers, exposure, samples, redaction): one
implementation, two schedulers.

What it costs
-------------
Each task streams its file (or loads its partition) and returns about a record and a few keys
per entry; the driver holds the merged states and records, as a single-process audit does.
For files, the entries needed again after the pass are read where the files are: a task per
file folds the groups met twice (the second look), and tasks estimate the ineligible entries'
exposure, each sending back states or estimates. The estimates are begun as soon as a file's
tasks of the pass are in, from the findings they sent (:class:`_Estimates`), on every worker
but one, so that they run while the driver merges, counts and finishes; the exposure takes
those its final reasons confirm. For a DataFrame, the exposure's entries are gathered on the
driver (the frame's rows of those entries).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from t86audit.engine import AuditResult, Refolds, _Audit, _Partial
from t86audit.exceptions import InputError
from t86audit.io import LoadResult, load, load_dataframe
from t86audit.io._result import SourceInfo
from t86audit.io._stream import (
    _CHUNK,
    EntryCount,
    StreamedLoad,
    count_entries,
    merge_loads,
    narrow_index,
)
from t86audit.model import entry_number_key
from t86audit.policy import PolicyTable, default_policy
from t86audit.refset import ReferenceSet
from t86audit.registry import RuleRegistry
from t86audit.report import Report
from t86audit.rules._base import Rule
from t86audit.waivers import coerce_waivers


if TYPE_CHECKING:
    from t86audit.api import EstimateElsewhere
    from t86audit.exposure import DutyTables
    from t86audit.exposure._assess import EntryIdentity, Estimated
    from t86audit.findings import Finding
    from t86audit.model import Entry
    from t86audit.sample import JudgmentSample


__all__ = ["audit_dask"]

_ROW = "__t86audit_row"
_KEY = "__t86audit_entry"
_MAX_ERRORS_KEPT = 5


@attrs.frozen
class _Setup:
    """What every task needs to run the rules (pickled once per task)."""

    registry: RuleRegistry | None
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    options: Mapping[str, Mapping[str, Any]]
    policy: PolicyTable | None
    reference: ReferenceSet | None
    samples: tuple[JudgmentSample, ...] = ()
    seed: int | None = None
    """:func:`_probe` in every worker when the audit began, if they all agreed; else None."""

    def rules(self) -> list[Rule]:
        registry = self.registry if self.registry is not None else RuleRegistry.default()
        return registry.select(self.select, self.ignore)

    def refs(self) -> ReferenceSet:
        return self.reference if self.reference is not None else ReferenceSet()

    def audit(self, *, quick: bool = False) -> _Audit:
        """The audit every task runs its part of.

        ``quick``: the driver will read again the entries the group rules need (files), so
        the tasks keep a digest per group key for the rules whose lone entries pass
        (:attr:`~t86audit.rules.Rule.needs_two`); digests every process computes alike, since
        workers do not share the driver's string-hash seed.
        """
        if self.seed is not None and _probe() != self.seed:
            raise _SeedChangedError
        return self.driver_audit(
            self.rules(),
            self.refs(),
            self.policy,
            again=_read_elsewhere if quick else None,
        )

    def driver_audit(
        self,
        rules: Sequence[Rule],
        reference: ReferenceSet,
        policy: PolicyTable | None,
        *,
        again: Callable[[set[str]], Iterable[Entry]] | None,
        fold_elsewhere: Callable[[frozenset[str], Mapping[str, set[int]]], Iterable[Refolds]]
        | None = None,
    ) -> _Audit:
        """An audit of these settings with the given rules and tables.

        The driver's, which the tasks' parts are merged into, or a task's own (:meth:`audit`).
        """
        return _Audit(
            rules,
            samples=self.samples,
            policy=policy,
            reference=reference,
            options=self.options,
            fail_fast=False,
            cache_verdicts=True,
            again=again,
            # Workers sharing one string-hash seed (a nanny starts each with the same one)
            # digest group keys of texts, numbers and dates with hash(): some 5% of the pass
            # less than the portable digests every process computes alike.
            portable=self.seed is None,
            seeded=self.seed is not None,
            fold_elsewhere=fold_elsewhere,
        )


_PROBE = "t86audit: do these processes hash strings alike?"


def _probe() -> int:
    """``hash`` of a fixed text: equal in two processes exactly when they share a seed."""
    return hash(_PROBE)


class _SeedChangedError(RuntimeError):
    """A task ran in a process whose strings hash otherwise than the audit's workers did."""

    def __init__(
        self, message: str = "a worker hashes strings with another seed than the others"
    ) -> None:
        # (the message is an argument so the exception unpickles where a task raised it)
        super().__init__(message)


def _shared_seed(client: Any) -> int | None:
    """:func:`_probe` of every worker, if they agree (and there are workers); else None."""
    try:
        found = set(client.run(_probe).values())
    except Exception:  # a client of another kind: the portable digests
        return None
    return found.pop() if len(found) == 1 else None


def _read_elsewhere(_wanted: set[str]) -> Iterable[Entry]:
    """A stand-in for reading entries again, where they are read elsewhere.

    In a task: the driver gathers the pass's digests, and asks the tasks again for the second
    look (:func:`_folds_on_workers`) and the exposure (:class:`_Estimates`). On the
    driver of an audit of files: those tasks read the entries, where the files are.
    """
    msg = "entries of files are read again by the tasks that need them, not here"
    raise RuntimeError(msg)


def _feed_files(
    setup: _Setup, paths: tuple[str, ...], mapping: Mapping[str, str] | None, encoding: str
) -> tuple[_Partial, LoadResult]:
    """The pass over whole files, read one after the other as one stream reads them.

    Read again in entry order when an entry's rows are not adjacent. Several small files are
    one task: a task has a cost of its own (its setup, its rules'
    caches starting cold, its result's transfer), which a file of a thousand entries does
    not repay.
    """
    from t86audit.io import stream  # noqa: PLC0415

    # What the reading announces (rows regrouped, another encoding) would reach only a
    # worker's log: it goes back with the result, and the driver says it (_say_notes).
    notes: list[str] = []
    entries = stream(*paths, mapping=mapping, encoding=encoding, on_fallback=notes.append)
    # Read again with each entry's rows put together (a few numbers a row, not the rows), or
    # loaded for a workbook, each time by a new audit.
    done = entries.read_with(lambda read: setup.audit(quick=True).feed(read))
    if done.read is entries:
        # Only a reading of the files as they are notes where their entries are.
        done.value.index = entries.line_index
    done.value.notes = notes
    return done.value, done.accounting


def _count_files(
    paths: Sequence[str], mapping: Mapping[str, str] | None, encoding: str, most: int | None
) -> list[EntryCount | int]:
    """A task: each file's entries, rows and hash (a ``csv.reader`` pass), to split it.

    An ``int``, the file's line breaks, for a file that cannot hold more than ``most``
    entries: it has no more line breaks than that (:func:`_line_breaks`), and so no more data
    rows. It is then read whole, neither counted nor skipped through by a second part (and
    may share a task with its neighbours). ``most=None``: always counted.
    """
    found: list[EntryCount | int] = []
    for path in paths:
        if most is not None and (breaks := _line_breaks(path, most)) <= most:
            found.append(breaks)
            continue
        try:
            found.append(count_entries([path], mapping=mapping, encoding=encoding))
        except InputError:
            # Read whole by one task, which raises the file's first problem as a load does:
            # the count, reading only the entry numbers, can meet a later one first.
            found.append(0)
    return found


def _line_breaks(path: str, most: int) -> int:
    r"""The file's line breaks (``\n``, ``\r`` or ``\r\n``), counted until past ``most``.

    Every entry has a data row and every data row ends at a line break or at the end of the
    file, after the header's line: a file with at most ``most`` breaks has at most ``most``
    entries. The bytes are counted without decoding; a byte ``0x0A`` or ``0x0D`` inside a
    character of a multi-byte encoding, a line break inside a quoted value, a ``\r\n`` split
    between two reads: each only counts one break too many, so the answer errs towards
    counting the file. A file that cannot be read gives ``most + 1``: the count then raises
    the error a full load gives.
    """
    breaks = 0
    try:
        with Path(path).open("rb") as handle:
            while breaks <= most:
                chunk = handle.read(_CHUNK)
                if not chunk:
                    return breaks
                breaks += chunk.count(b"\n")
                # (most files end their lines with \n alone: the other two counts only if
                # there is a \r at all, a third of the count's time each)
                if b"\r" in chunk:
                    breaks += chunk.count(b"\r") - chunk.count(b"\r\n")
    except OSError:
        return most + 1
    return breaks


def _feed_file_part(
    setup: _Setup,
    path: str,
    bounds: tuple[int, int],
    mapping: Mapping[str, str] | None,
    encoding: str,
) -> tuple[_Partial, LoadResult]:
    """The pass over entries ``bounds[0]`` to ``bounds[1] - 1`` of a file (rows adjacent)."""
    from t86audit.io import stream  # noqa: PLC0415

    notes: list[str] = []
    part = stream(path, mapping=mapping, encoding=encoding, on_fallback=notes.append).part(*bounds)
    partial = setup.audit(quick=True).feed(part)
    partial.index = part.line_index
    partial.notes = notes
    return partial, part.result


def _file_tasks(
    client: Any,
    setup: _Setup,
    paths: list[str],
    *,
    mapping: Mapping[str, str] | None,
    encoding: str,
    task_entries: int | None,
) -> list[tuple[list[str], EntryCount | None, list[Any]]]:
    """The tasks, in population order: per run of files, its count and its tasks' futures.

    A run is one file split into parts (with its count) or whole files read by one task
    (count ``None``). A CSV file of more than ``task_entries`` entries (counted on the
    workers first) becomes several tasks, each streaming its own contiguous part of the
    file, so a worker holds the group states of one part at a time, not of a whole file.
    Fewer files than twice the cluster's threads are also split, into parts of at least
    :data:`_LEAST_PART` entries, so that every thread has work (:func:`_parts`). A file whose
    line breaks show it cannot need splitting is not counted, and neighbouring such files
    share a task, in runs of even size for the cluster's threads (:func:`_runs`): a task
    has a cost of its own (its setup, cold caches, its result's transfer and, for a later
    part, reading past the earlier parts' lines), about 5% of the pass at 50,000 entries a
    task and more than the pass itself at 1,000.
    """
    from t86audit.io import stream  # noqa: PLC0415

    split = [
        task_entries is not None and stream(path, mapping=mapping).partitionable for path in paths
    ]
    threads = _threads(client)
    slots = 2 * threads
    # Few files: each is counted and may be split for the threads' sake, whatever its size.
    most = None if len(paths) < slots else task_entries
    # Counted in as many tasks as the files, up to twice the threads (a thousand daily files
    # are not a thousand tasks).
    wanted = [path for path, splittable in zip(paths, split, strict=True) if splittable]
    chunks = min(len(wanted), slots)
    batches = [
        wanted[len(wanted) * i // chunks : len(wanted) * (i + 1) // chunks] for i in range(chunks)
    ]
    counting = [
        client.submit(_count_files, batch, mapping, encoding, most, pure=False)
        for batch in batches
    ]
    counts: dict[str, EntryCount | int] = dict(
        zip(wanted, [c for found in client.gather(counting) for c in found], strict=True)
    )
    total = sum(c.entries for c in counts.values() if isinstance(c, EntryCount) and c.contiguous)
    out: list[tuple[list[str], EntryCount | None, list[Any]]] = []
    run: list[str] = []  # whole files waiting to be read by one task
    whole = sum(
        size
        for size in map(_whole_size, counts.values())
        if size is not None and size <= (task_entries or 0)
    )
    runs = 0 if task_entries is None or not whole else _runs(whole, task_entries, threads)
    before = 0  # the sizes of the whole files met so far
    at = -1  # which of the runs the files waiting belong to

    def read_run() -> None:
        if run:
            task = client.submit(_feed_files, setup, tuple(run), mapping, encoding, pure=False)
            out.append((list(run), None, [task]))
            run.clear()

    for path in paths:
        counted = counts.get(path)
        if isinstance(counted, EntryCount) and counted.contiguous and task_entries is not None:
            parts = _parts(counted.entries, task_entries, total, slots if most is None else 0)
            if parts > 1:
                read_run()
                bounds = [
                    (counted.entries * i // parts, counted.entries * (i + 1) // parts)
                    for i in range(parts)
                ]
                tasks = [
                    client.submit(_feed_file_part, setup, path, b, mapping, encoding, pure=False)
                    for b in bounds
                ]
                out.append(([path], counted, tasks))
                continue
        known = _whole_size(counted)
        if not runs or known is None:
            read_run()
            run.append(path)
            read_run()  # a file of unknown size is a task of its own
            continue
        # The run whose share of the sizes holds the middle of this file: runs of even size,
        # in file order, without a look ahead.
        share = min(runs - 1, (before + known // 2) * runs // whole)
        before += known
        if share != at:
            read_run()
            at = share
        run.append(path)
    read_run()
    return out


def _whole_size(counted: EntryCount | int | None) -> int | None:
    """A file's size for sharing whole files out: its line breaks, or its entries if counted.

    ``None``: not known (not counted, or an entry's rows are not adjacent).
    """
    if isinstance(counted, EntryCount):
        return counted.entries if counted.contiguous else None
    return counted


def _runs(whole: int, task_entries: int, threads: int) -> int:
    """Into how many tasks whole files of ``whole`` line breaks (or entries) are shared out.

    A multiple of the cluster's threads, so that they finish together, each task about
    ``task_entries`` at most: a worker holds one task's group states at a time.
    """
    return threads * max(1, -(-whole // (threads * task_entries)))


_LEAST_PART = 10_000
"""The fewest entries of a part split off only to give the cluster's threads work."""


def _parts(entries: int, task_entries: int, total: int, slots: int) -> int:
    """How many parts a file of ``entries`` (of ``total`` counted) is split into.

    At least enough for no part to exceed ``task_entries``; with ``slots`` (twice the
    cluster's threads, when there are fewer files), also the file's share of that many
    tasks, in parts of no fewer than :data:`_LEAST_PART` entries.
    """
    parts = -(-entries // task_entries)  # task_entries >= 1: checked by the caller
    if slots and total:
        share = -(-slots * entries // total)
        parts = max(parts, min(share, entries // _LEAST_PART))
    return max(parts, 1)


def _nthreads(client: Any) -> Mapping[str, int]:
    """Each worker's threads, by address (none when the client cannot tell)."""
    try:
        found = client.nthreads()
    except Exception:  # a client of another kind
        return {}
    return found if isinstance(found, Mapping) else {}


def _worker_addresses(client: Any) -> list[str]:
    """The cluster's workers (none when the client cannot tell)."""
    return sorted(_nthreads(client))


def _threads(client: Any) -> int:
    """The threads of the cluster's workers (1 when the client cannot tell)."""
    return max(1, sum(_nthreads(client).values()))


def _feed_partition(
    setup: _Setup, part: Any, mapping: Mapping[str, str] | None, source_name: str
) -> tuple[_Partial, LoadResult]:
    """One DataFrame partition's pass; its records carry their first rows, for ordering."""
    loaded = _load_partition(part, mapping, source_name)
    partial = setup.audit().feed(loaded.entries)
    partial.orders = [entry.source_rows[0] for entry in loaded.entries]
    return partial, StreamedLoad.of(loaded)


def _load_file(path: str, mapping: Mapping[str, str] | None, encoding: str) -> LoadResult:
    return load(path, mapping=mapping, encoding=encoding)


def _load_partition(frame: Any, mapping: Mapping[str, str] | None, source_name: str) -> LoadResult:
    """Entries of one DataFrame partition, with the row numbers of the whole frame."""
    frame = frame.sort_values(_ROW, kind="stable")
    rows = [int(r) for r in frame[_ROW]]
    loaded = load_dataframe(
        frame.drop(columns=[_ROW, _KEY]), mapping=mapping, source_name=source_name
    )

    def renumber(entry: Entry) -> Entry:
        return attrs.evolve(
            entry,
            source_rows=tuple(rows[r - 1] for r in entry.source_rows),
            lines=tuple(
                attrs.evolve(line, source_row=rows[line.source_row - 1])
                if line.source_row is not None
                else line
                for line in entry.lines
            ),
        )

    entries = sorted((renumber(e) for e in loaded.entries), key=lambda e: e.source_rows[0])
    errors = tuple(
        attrs.evolve(error, row=rows[error.row - 1]) if error.row is not None else error
        for error in loaded.errors
    )
    return attrs.evolve(loaded, entries=tuple(entries), errors=errors)


def _frame_parts(client: Any, frame: Any) -> list[Any]:
    """One future per partition, each entry's rows in one partition, rows numbered globally."""
    import dask.dataframe as dd  # noqa: PLC0415

    from t86audit.io._columns import normalize_header  # noqa: PLC0415

    lengths = frame.map_partitions(len).compute()
    offsets = [0]
    for length in lengths:
        offsets.append(offsets[-1] + int(length))
    column = next((c for c in frame.columns if normalize_header(str(c)) == "entry_number"), None)

    def number(part: Any, partition_info: Any = None) -> Any:
        start = offsets[partition_info["number"]] if partition_info else 0
        rows = range(start + 1, start + 1 + len(part))
        keys = (
            [
                entry_number_key(str(v)) if str(v).strip() else f"row {r}"
                for v, r in zip(part[column], rows, strict=True)
            ]
            if column is not None
            else [f"row {r}" for r in rows]
        )
        return part.assign(**{_ROW: list(rows), _KEY: keys})

    numbered = frame.map_partitions(number)
    if not isinstance(numbered, dd.DataFrame):  # pragma: no cover - defensive
        raise TypeError("expected a Dask DataFrame")
    shuffled = numbered.shuffle(on=_KEY)
    return list(client.compute(shuffled.to_delayed()))


def audit_dask(
    source: Sequence[str | os.PathLike[str]] | Any,
    *,
    client: Any,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    options: Mapping[str, Mapping[str, Any]] | None = None,
    mapping: Mapping[str, str] | None = None,
    encoding: str = "utf-8",
    registry: RuleRegistry | None = None,
    policy: PolicyTable | None = None,
    reference: ReferenceSet | None = None,
    buckets: int | None = None,
    generated_at: dt.datetime | None = None,
    source_name: str = "<DataFrame>",
    exposure: bool = True,
    duty_tables: DutyTables | None = None,
    samples: Sequence[JudgmentSample] = (),
    waivers: Any = None,
    target_rate: float = 0.05,
    redact_key: bytes | str | None = None,
    task_entries: int | None = 200_000,
) -> Report:
    """Audit a population on a Dask cluster; the report equals :func:`t86audit.audit`'s.

    Args:
        source: a file or a list of files (the population is the files in order, as
            :func:`t86audit.load` reads them; see ``task_entries`` for how they are shared out
            as tasks), or a Dask DataFrame in the canonical columns
            (rows are shuffled so each entry's rows meet in one partition; row numbers are
            those of the whole frame, as :func:`t86audit.io.load_dataframe` numbers them).
        client: a ``dask.distributed.Client``.
        select: rule codes or prefixes to run (empty: all).
        ignore: rule codes or prefixes to skip.
        options: per-rule option overrides.
        mapping: canonical column name -> the header used instead.
        encoding: the files' encoding. A CSV file's delimiter is found as
            :func:`~t86audit.io.load_csv` finds it (a ``sep=`` line, ``.tsv``, the header
            row); the adapter takes no ``delimiter=`` or ``decimal=`` yet, so a file whose
            delimiter cannot be found, or that writes decimal commas, is audited in one
            process (``t86audit.audit(stream(path, delimiter=..., decimal=...))``).
        registry: the rules available (default: every installed pack).
        policy: the dated policy table (default: the bundled one).
        reference: reference data (default: the bundled tables).
        buckets: ignored (the adapter no longer routes entries to group buckets); kept so
            existing calls keep working.
        generated_at: the report's timestamp (default: now, UTC).
        source_name: the source name of a DataFrame's entries.
        exposure: estimate what the ineligible entries would have owed (files: their
            entries are read again and estimated by the workers, a task per file; a frame:
            its rows of those entries are gathered on the driver).
        duty_tables: the dated duty and fee tables (default: the bundled ones).
        samples: samples of the population (drawn or cited), evaluated as
            :func:`t86audit.audit` evaluates them.
        waivers: waivers, as :func:`t86audit.audit` takes them.
        target_rate: the rate for the samples' zero-failure sample size.
        redact_key: redact party names and addresses, as :func:`t86audit.audit` does.
        task_entries: the most entries one task audits: a CSV file with more (counted on the
            workers first, about a ``csv.reader`` pass) is split into contiguous parts, each
            a task streaming its own part, so a worker's memory is bounded by the part, not
            the file. With fewer files than twice the cluster's threads, the files are also
            split so that every thread has work (parts of at least 10,000 entries). A file
            with no more line breaks than ``task_entries`` (and enough files) is read whole
            without being counted, and such neighbouring files share a task, in runs of about
            even size for the cluster's threads. ``None`` makes each file one task.

    Raises:
        InputError: a file cannot be read (as :func:`t86audit.load` raises it).
        T86AuditError: a ``select`` or ``ignore`` token matches no rule.
        TypeError: ``source`` is neither files nor a Dask DataFrame.
        ValueError: ``task_entries`` is not a whole number of at least 1 (or ``None``).
    """
    from t86audit.api import (  # noqa: PLC0415
        _check_rate,
        assemble_report,
        read_again,
    )

    del buckets  # kept in the signature for callers of the earlier two-stage adapter
    if isinstance(source, str | os.PathLike):
        source = [source]  # one file (a path would otherwise be taken for a DataFrame)
    elif not isinstance(source, list | tuple) and not hasattr(source, "map_partitions"):
        msg = (
            "source must be a list of files or a Dask DataFrame (a pandas one: "
            f"dask.dataframe.from_pandas), got {type(source).__name__}"
        )
        raise TypeError(msg)
    given: object = task_entries  # a caller's value, whatever its annotation says
    if given is not None and (isinstance(given, bool) or not isinstance(given, int) or given < 1):
        msg = f"task_entries must be a whole number of at least 1, or None; got {task_entries!r}"
        raise ValueError(msg)
    rate = _check_rate(target_rate)
    reg = registry if registry is not None else RuleRegistry.default()
    rules = reg.select(select, ignore)
    refs = reference if reference is not None else ReferenceSet()
    table = policy or default_policy()
    waiver_set = coerce_waivers(waivers)
    redactor = None
    if redact_key is not None:
        from t86audit.redact import Redactor, key_from_text  # noqa: PLC0415

        redactor = Redactor(
            key_from_text(redact_key) if isinstance(redact_key, str) else redact_key
        )
    files = isinstance(source, list | tuple)
    seed = _shared_seed(client) if files else None
    for attempt in (seed, None) if seed is not None else (None,):
        try:
            result, loads, again, estimate = _pass_and_finish(
                client,
                source,
                _Setup(
                    registry=registry,
                    select=tuple(select),
                    ignore=tuple(ignore),
                    options={k: dict(v) for k, v in (options or {}).items()},
                    policy=policy,
                    reference=reference,
                    samples=tuple(samples),
                    seed=attempt,
                ),
                rules,
                refs=refs,
                table=table,
                mapping=mapping,
                encoding=encoding,
                task_entries=task_entries,
                source_name=source_name,
                exposure=exposure,
                duty_tables=duty_tables,
            )
            break
        except _SeedChangedError:
            # A worker joined with another seed: the digests cannot be compared; again,
            # with the digests every process computes alike.
            continue
    load: LoadResult | None = None
    for part in loads:
        load = part if load is None else merge_loads(load, part)
    if not files and load is not None:
        # One DataFrame is one source, its errors in row order, as load_dataframe gives them.
        load = attrs.evolve(
            load,
            sources=(SourceInfo(source_name, "", load.rows_read),),
            errors=tuple(
                sorted(load.errors, key=lambda error: (error.row is None, error.row or 0))
            ),
        )

    if redactor is not None:
        # Names and addresses quoted inside findings are replaced only if the redactor has
        # seen them: it learns them from the population, read once more on the driver.
        population = (
            read_again(tuple(source), mapping=mapping, encoding=encoding)
            if files
            else _all_frame_entries(source, mapping, source_name)
        )
        for _ in redactor.watch(population):
            pass

    return assemble_report(
        result,
        load,
        again=again if exposure else None,
        estimate_elsewhere=estimate,
        registry=reg,
        rules=rules,
        reference=refs,
        policy=table,
        samples=tuple(samples),
        waivers=waiver_set,
        select=select,
        ignore=ignore,
        options=options,
        generated_at=generated_at,
        invocation=None,
        target_rate=rate,
        redactor=redactor,
        duty_tables=duty_tables,
    )


def _pass_and_finish(
    client: Any,
    source: Sequence[str | os.PathLike[str]] | Any,
    setup: _Setup,
    rules: Sequence[Rule],
    *,
    refs: ReferenceSet,
    table: PolicyTable,
    mapping: Mapping[str, str] | None,
    encoding: str,
    task_entries: int | None,
    source_name: str,
    exposure: bool,
    duty_tables: DutyTables | None = None,
) -> tuple[
    AuditResult,
    list[LoadResult],
    Callable[[set[str]], Iterable[Entry]],
    EstimateElsewhere | None,
]:
    """The tasks' pass and the driver's finish, and what the report's assembly needs after.

    The result, the loads, the way to read entries again and, for files, the way to
    estimate the ineligible entries on the workers (begun as each file's tasks end, with
    ``duty_tables``: :class:`_Estimates`).

    Raises:
        _SeedChangedError: a task ran where strings hash otherwise than ``setup.seed`` says.
    """
    files = isinstance(source, list | tuple)
    paths = [os.fspath(p) for p in source] if files else []
    if files:
        planned = _file_tasks(
            client,
            setup,
            paths,
            mapping=mapping,
            encoding=encoding,
            task_entries=task_entries,
        )
        tasks = [task for _, _, file_tasks in planned for task in file_tasks]
    else:
        tasks = [
            client.submit(_feed_partition, setup, part, mapping, source_name, pure=False)
            for part in _frame_parts(client, source)
        ]
    indexes: list[list[Any] | None] = []
    estimates = (
        _Estimates(
            client,
            paths,
            mapping,
            encoding,
            indexes=indexes,
            policy=table,
            tables=duty_tables,
        )
        if files and exposure
        else None
    )
    threads = _threads(client)

    def running(left: int) -> None:
        # Once fewer tasks of the pass are left than the cluster has threads, a worker has
        # none: the estimates guessed so far may begin.
        if estimates is not None and left < threads:
            estimates.open_guesses()

    gathered: list[tuple[_Partial, LoadResult]] = []
    loads: list[LoadResult] = []
    files_done = 0  # the files whose tasks are all in (their runs', in order)

    def file_done(run: list[str], counted: EntryCount | None, done: list[Any]) -> None:
        nonlocal files_done
        _run_done(run, counted, done, indexes=indexes, loads=loads)
        if estimates is not None:
            # The files' ineligible entries as the pass found them are estimated now, on
            # workers that have finished their part of the pass, while the driver merges
            # and looks again; the exposure takes those that its reasons confirm.
            estimates.guess(files_done, len(run), [partial.findings for partial, _ in done])
        files_done += len(run)

    def arriving() -> Iterator[_Partial]:
        # Each partial is merged as soon as it and those before it are in, while the other
        # tasks still run. As a run of files has all its tasks in, its loads and line indexes
        # are known (the second look reads the files again with them), and its files'
        # estimates begin.
        position = 0  # the tasks of the runs already done
        runs = iter(planned) if files else iter(())
        run = next(runs, None)
        running(len(tasks))  # fewer tasks than threads: a worker has none from the start
        for arrived in _collect(tasks, running):
            gathered.append(arrived)
            while run is not None and len(gathered) >= position + len(run[2]):
                file_done(run[0], run[1], gathered[position : position + len(run[2])])
                position += len(run[2])
                run = next(runs, None)
            yield arrived[0]
        _say_notes([partial for partial, _ in gathered])
        if not files:
            loads.extend(part for _, part in gathered)

    def again(wanted: set[str]) -> Iterable[Entry]:
        # Only a frame's entries are read again on the driver (its rows of those entries):
        # the entries of files are read where they are, by the tasks that fold the second
        # look and estimate the exposure.
        if files:
            return _read_elsewhere(wanted)
        return _frame_entries(source, wanted, mapping, source_name)

    # A frame's partitions fold in full: its entries read again would be numbered by their
    # partition, not the frame, so the tasks fold every entry as they go.
    audit = setup.driver_audit(
        rules,
        refs,
        table,
        again=_read_elsewhere if files else None,
        fold_elsewhere=(
            _folds_on_workers(client, setup, paths, mapping, encoding, indexes=indexes)
            if files
            else None
        ),
    )
    try:
        result = audit.finish(arriving(), None, ordered=not files)
        if estimates is not None:
            estimates.prepare(result.findings)
    except BaseException:
        if estimates is not None:
            estimates.cancel()  # a failed attempt leaves no task behind
        raise
    return result, loads, again, estimates


def _run_done(
    run: list[str],
    counted: EntryCount | None,
    done: list[tuple[_Partial, LoadResult]],
    *,
    indexes: list[list[Any] | None],
    loads: list[LoadResult],
) -> None:
    """Note the loads and line indexes of a run of files whose tasks (``done``) are all in.

    A file split into parts has one accounting: its count's rows and hash, its parts' errors
    and entries. Files read by one task have that task's, and each the index of its lines
    the task noted (its file number in the task's stream).
    """
    from t86audit.api import load_of_parts  # noqa: PLC0415

    if counted is None:
        ((partial, part),) = done
        noted = partial.index
        for number in range(len(run)):
            index = None if noted is None else noted.get(number)
            indexes.append(None if index is None else [{0: index}])
        loads.append(part)
    else:
        found = [partial.index for partial, _ in done]
        indexes.append(None if any(i is None for i in found) else found)
        loads.append(load_of_parts(counted, [part for _, part in done]))


def _say_notes(partials: Sequence[_Partial]) -> None:
    """Say, once each and in task order, what the tasks' readings announced.

    As :func:`t86audit.audit` says it: a warning of the ``t86audit`` logger (a file whose
    rows had to be read again in entry order, a file read in another encoding).
    """
    said: set[str] = set()
    for partial in partials:
        for note in partial.notes:
            if note not in said:
                said.add(note)
                logging.getLogger("t86audit").warning("t86audit: %s", note)


def _read_wanted(
    path: str,
    wanted: frozenset[str],
    mapping: Mapping[str, str] | None,
    encoding: str,
    index: Sequence[Any] | None = None,
) -> list[Entry]:
    """The entries of one file whose keys are ``wanted``, in file order (in a task).

    ``index``: the line indexes of the file's tasks (:attr:`EntryStream.line_index`), in
    order; with them, only the wanted entries' lines are read.
    """
    from t86audit.api import _entries_again  # noqa: PLC0415
    from t86audit.io import LoadResult, stream  # noqa: PLC0415
    from t86audit.io._stream import RowsNotContiguousError  # noqa: PLC0415

    population = stream(path, mapping=mapping, encoding=encoding)
    if index is not None:
        population.take_index(index)
    if not population.partitionable:
        return list(_entries_again(population, None)(set(wanted)))
    try:
        return list(population.only(wanted))
    except RowsNotContiguousError as exc:
        # A file whose rows are scattered (the pass read it in entry order): what was read
        # before the scattered row is dropped, since an entry given then may lack its later
        # rows, and the wanted entries are read in entry order.
        regrouped = stream(path, mapping=mapping, encoding=encoding).only(wanted)
        again = regrouped.regrouped(exc.reason, announce=False)
        read = again.entries if isinstance(again, LoadResult) else again
        return [entry for entry in read if entry.entry_number.key in wanted]


@attrs.frozen
class _Given:
    """What the driver asks of a file's task (keys, digests, reasons), handed over sealed.

    Dask walks every dict, list, set and tuple among a task's arguments looking for futures;
    sealed, thousands of entry keys and reasons are pickled once and not walked.
    """

    value: Any


def _file_by_file(
    client: Any,
    task: Callable[..., Any],
    paths: Sequence[str],
    indexes: Sequence[Sequence[Any] | None],
    given: Sequence[Any],
    *args: Any,
) -> Iterator[Any]:
    """``task(path, _Given(given[i]), *args, index=)`` for every file at once, in file order.

    ``given``: what each file's task is asked (:class:`_Given`). ``args`` ends with the
    mapping and the encoding, as every task that reads a file again takes them; ``index`` is
    the file's line indexes (:func:`_read_wanted`). The tasks are submitted at once (not when
    the first result is asked for); each result is let go on its worker once fetched.
    """
    futures = [
        client.submit(task, path, _Given(asked), *args, index=index, pure=False)
        for path, asked, index in zip(paths, given, indexes, strict=True)
    ]

    def fetched() -> Iterator[Any]:
        for future in futures:
            done = future.result()
            future.release()
            yield done

    return fetched()


def _fold_file_again(
    path: str,
    looked_for: _Given,
    setup: _Setup,
    mapping: Mapping[str, str] | None,
    encoding: str,
    *,
    index: Sequence[Any] | None,
) -> Refolds:
    """A task: the second look's folds of one file's wanted entries.

    Made on a worker, where the pass's digests were made (a worker's string-hash seed), so
    the driver sends only ``looked_for``, the entries' keys and per rule the digests needing
    a look, and gets back the groups' states, not the entries.
    """
    wanted, needing = looked_for.value
    entries = _read_wanted(path, wanted, mapping, encoding, index)
    return setup.audit(quick=True).fold_again(entries, wanted, needing)


def _folds_on_workers(
    client: Any,
    setup: _Setup,
    paths: Sequence[str],
    mapping: Mapping[str, str] | None,
    encoding: str,
    *,
    indexes: Sequence[Sequence[Any] | None],
) -> Callable[[frozenset[str], Mapping[str, set[int]]], Iterator[Refolds]]:
    """The driver's second look, read and folded by the workers: a task per file, all at once.

    The files' folds come back in file order (population order), for the driver to join; an
    entry's rows are in one file, so folding the files apart finds what one fold finds.
    """

    def fold(wanted: frozenset[str], needing: Mapping[str, set[int]]) -> Iterator[Refolds]:
        looked_for = [(wanted, dict(needing))] * len(paths)
        # Each task is sent its file's index cut down to the wanted entries' lines.
        narrowed = [narrow_index(index, wanted) for index in indexes]
        yield from _file_by_file(
            client, _fold_file_again, paths, narrowed, looked_for, setup, mapping, encoding
        )

    return fold


@attrs.frozen
class _Estimating:
    """The tables an estimate reads: the duty tables and the audit's policy table."""

    tables: DutyTables | None
    policy: PolicyTable | None


def _estimate_file_again(
    path: str,
    given: _Given,
    estimating: _Estimating,
    mapping: Mapping[str, str] | None,
    encoding: str,
    *,
    index: Sequence[Any] | None,
) -> dict[EntryIdentity, Estimated]:
    """A task: the exposure estimates of one file's ineligible entries (by their lines).

    ``given``: the reasons of the entries (:func:`_reasons_by_file`) this file may hold.
    """
    from t86audit.exposure._assess import estimate_entries  # noqa: PLC0415

    reasons: Mapping[EntryIdentity, tuple[str, ...]] = given.value
    wanted = frozenset(key[0] for key in reasons)
    return estimate_entries(
        _read_wanted(path, wanted, mapping, encoding, index),
        reasons,
        estimating.tables,
        estimating.policy,
    )


def _estimate_files_again(
    asked: _Given,
    estimating: _Estimating,
    mapping: Mapping[str, str] | None,
    encoding: str,
) -> list[dict[EntryIdentity, Estimated]]:
    """A task: :func:`_estimate_file_again` of several files, one after the other.

    ``asked``: per file, in order, its path, the reasons of the entries it may hold and its
    line indexes. One task for a few entries of several files: a task has a cost of its own
    (scheduling, the indexes' transfer), larger than reading a few lines again.
    """
    return [
        _estimate_file_again(path, _Given(reasons), estimating, mapping, encoding, index=index)
        for path, reasons, index in asked.value
    ]


def _reasons_by_file(
    reasons: Mapping[EntryIdentity, tuple[str, ...]], paths: Sequence[str]
) -> list[dict[EntryIdentity, tuple[str, ...]]]:
    """Each file's share of ``reasons``: the entries it names as their source.

    An identity whose source is none of the paths (a source named otherwise than its path)
    goes to every file, which estimates it if it holds it: as if every file were asked.
    """
    named = set(paths)
    shared = {key: codes for key, codes in reasons.items() if key[1] not in named}
    shares: dict[str, dict[EntryIdentity, tuple[str, ...]]] = {p: dict(shared) for p in named}
    for key, codes in reasons.items():
        if key[1] in named:
            shares[key[1]][key] = codes
    return [shares[path] for path in paths]


class _Estimates:
    """The exposure's estimates made by the workers, a task per file (an ``EstimateElsewhere``).

    Each task reads its file's ineligible entries and sends back their estimates, not the
    entries; the first estimate of an identity is kept, files in order, as
    :func:`t86audit.api.exposure_of` keeps the first entry it reads.

    The estimates are begun before they are asked for. As soon as a file's tasks of the pass
    are in, a task estimates the entries its findings make ineligible (:meth:`guess`), to
    run once its worker has no more of the pass to do, while the driver merges the parts
    and counts the second look's digests; once the groups are finished, the entries their
    findings make ineligible, or whose reasons they change, are asked of the files
    (:meth:`prepare`) while the driver applies the waivers. When the exposure asks
    (:meth:`__call__`) with the reasons of every finding, waivers applied, an estimate begun
    early is taken where its entry's reasons and the tables are those it was made with: an
    estimate is a function of the entry, its reasons, the tables and the policy, so it is
    the one asked for. Any other entry (its reasons changed by a waiver, say) is estimated
    then, as all were before. Estimates not taken cost a worker's time only.

    The tasks go to every worker but one, in turn (to the one worker of a cluster of two).
    The driver of a local cluster shares its cores with the workers: while it counts and
    finishes, one core is free, and a task on every worker would slow the driver's work,
    which the rest of the audit waits for (measured: the second look's count a third
    slower, on two cores). Each estimating worker loads the duty tables once, in its first
    task.
    """

    def __init__(
        self,
        client: Any,
        paths: Sequence[str],
        mapping: Mapping[str, str] | None,
        encoding: str,
        *,
        indexes: Sequence[Sequence[Any] | None],
        policy: PolicyTable | None,
        tables: DutyTables | None,
    ) -> None:
        self.client = client
        self.paths = paths
        self.mapping = mapping
        self.encoding = encoding
        # (filled in as the files' tasks end; read when a file is estimated)
        self.indexes = indexes
        self.policy = policy
        self.tables = tables
        # The workers that estimate: all but one (a local cluster's driver shares the
        # cores; it merges, counts and finishes meanwhile), each reading the tables once.
        workers = _worker_addresses(client)
        self.estimators = workers[: max(1, len(workers) - 1)]
        self.submitted = 0
        # Guesses wait here while every worker still has some of the pass to do: run between
        # two of a worker's tasks, one would hold its estimates and the tables through the
        # rest of that worker's pass.
        self.waiting: list[tuple[list[tuple[int, dict[EntryIdentity, tuple[str, ...]]]], Any]] = []
        self.open = False
        # Each guessed file's task, and the reasons it was given (by entry identity).
        self.guessed: list[tuple[Any, dict[EntryIdentity, tuple[str, ...]]]] = []
        # The tasks asked once the groups were finished, and the reasons they were given.
        self.prepared: tuple[list[Any], Mapping[EntryIdentity, tuple[str, ...]]] | None = None
        self.named = {path for path in paths if paths.count(path) == 1}

    def submit(
        self,
        shares: Sequence[tuple[int, dict[EntryIdentity, tuple[str, ...]]]],
        tables: DutyTables | None,
        *,
        early: bool,
    ) -> Any:
        """A task estimating, for each ``(file number, reasons)`` of ``shares``, its entries.

        On one of the estimating workers, in turn; it gives a dictionary of estimates per
        file, in order. ``early``: a guess, of lower priority than anything else (the pass,
        the second look's folds, the estimates asked for): it waits for its worker to have
        none of those.
        """
        where: dict[str, Any] = {}
        if self.estimators:
            worker = self.estimators[self.submitted % len(self.estimators)]
            # (another worker only if this one has left the cluster)
            where = {"workers": [worker], "allow_other_workers": True}
        self.submitted += 1
        asked = [
            (self.paths[number], share, narrow_index(self.indexes[number], (k[0] for k in share)))
            for number, share in shares
        ]
        return self.client.submit(
            _estimate_files_again,
            _Given(asked),
            _Estimating(tables, self.policy),
            self.mapping,
            self.encoding,
            pure=False,
            priority=-1 if early else 1,
            **where,
        )

    def guess(self, first: int, count: int, findings: Iterable[Sequence[Finding]]) -> None:
        """Begin estimating files ``first`` to ``first + count - 1``: a run's tasks are in.

        ``findings``: the run's tasks' findings, whose ineligible entries are estimated
        (each by the file it names as its source), in one task of the lowest priority.
        """
        from t86audit.exposure._assess import ineligible_reasons  # noqa: PLC0415

        reasons = ineligible_reasons(finding for found in findings for finding in found)
        shares: list[tuple[int, dict[EntryIdentity, tuple[str, ...]]]] = []
        for number in range(first, first + count):
            path = self.paths[number]
            if path not in self.named:
                continue  # a file given twice: its entries are estimated when asked
            share = {key: codes for key, codes in reasons.items() if key[1] == path}
            if share:
                shares.append((number, share))
        if shares:
            merged = {key: codes for _, share in shares for key, codes in share.items()}
            if self.open:
                self.guessed.append((self.submit(shares, self.tables, early=True), merged))
            else:
                self.waiting.append((shares, merged))

    def open_guesses(self) -> None:
        """Submit the guesses waiting: fewer tasks of the pass are left than threads."""
        self.open = True
        for shares, merged in self.waiting:
            self.guessed.append((self.submit(shares, self.tables, early=True), merged))
        self.waiting.clear()

    def prepare(self, findings: Iterable[Finding]) -> None:
        """Ask for the estimates that the groups' ``findings`` (every finding) call for.

        The entries whose reasons are not those they were guessed with, as when the exposure
        asks for them, begun before the waivers are applied.
        """
        from t86audit.exposure._assess import ineligible_reasons  # noqa: PLC0415

        self.open_guesses()
        reasons = ineligible_reasons(findings)
        guessed = {key: codes for _, share in self.guessed for key, codes in share.items()}
        rest = {key: codes for key, codes in reasons.items() if guessed.get(key) != codes}
        if rest:
            self.prepared = (self.elsewhere(rest, self.tables), rest)

    def __call__(
        self, reasons: Mapping[EntryIdentity, tuple[str, ...]], tables: DutyTables | None
    ) -> dict[EntryIdentity, Estimated]:
        """The estimates of the entries ``reasons`` names, by identity (the first of each)."""
        self.open_guesses()
        same = tables is self.tables
        rest = dict(reasons)
        kept: list[tuple[Any, set[EntryIdentity]]] = []
        try:
            for task, share in self.guessed:
                taken = {key for key, codes in share.items() if same and rest.get(key) == codes}
                for key in taken:
                    del rest[key]
                if taken:
                    kept.append((task, taken))
            prepared: set[EntryIdentity] = set()
            if self.prepared is not None and same:
                asked = self.prepared[1]
                prepared = {key for key, codes in rest.items() if asked.get(key) == codes}
                for key in prepared:
                    del rest[key]
            late = self.elsewhere(rest, tables) if rest else []
            early = self.prepared[0] if prepared and self.prepared is not None else []
            # Fetched all at once: the guesses are done, the others running or done.
            done = self.client.gather([*(task for task, _ in kept), *early, *late])
            found: dict[EntryIdentity, Estimated] = {}
            for (_, taken), files in zip(kept, done, strict=False):
                # An entry its file did not give again is not estimated, as when asked.
                for estimated in files:
                    found.update((key, e) for key, e in estimated.items() if key in taken)
            # The others as they were asked: the first estimate of each, files in order.
            for wanted, tasks in (
                (prepared, done[len(kept) : len(kept) + len(early)]),
                (None, done[len(kept) + len(early) :]),
            ):
                for files in tasks:
                    for estimated in files:
                        for key, estimate in estimated.items():
                            if wanted is None or key in wanted:
                                found.setdefault(key, estimate)
            for task in late:
                task.release()
        finally:
            self.cancel()
        return found

    def elsewhere(
        self, reasons: Mapping[EntryIdentity, tuple[str, ...]], tables: DutyTables | None
    ) -> list[Any]:
        """Estimate the ``reasons``' entries in every file that may hold one.

        The files in order, shared out in turn to as many tasks as there are estimating
        workers (each task's files contiguous, so the tasks' estimates in order are the
        files'); the tasks' futures, submitted at once.
        """
        shares = [
            (number, share)
            for number, share in enumerate(_reasons_by_file(reasons, self.paths))
            if share
        ]
        tasks = max(1, min(len(self.estimators), len(shares)))
        return [
            self.submit(
                shares[len(shares) * i // tasks : len(shares) * (i + 1) // tasks],
                tables,
                early=False,
            )
            for i in range(tasks)
        ]

    def cancel(self) -> None:
        """Let every task go (those not run yet are cancelled)."""
        for task, _ in self.guessed:
            task.cancel()
            task.release()
        self.guessed.clear()
        for task in self.prepared[0] if self.prepared is not None else ():
            task.cancel()
            task.release()
        self.prepared = None


def _collect(
    tasks: list[Any], running: Callable[[int], None] | None = None
) -> Generator[Any, None, None]:
    """The tasks' results in task order, each as soon as it and those before it are done.

    ``running(left)``, if given, is told how many tasks are still running each time one ends.

    Each is fetched (and let go on its worker) when its task ends: a worker that runs
    several tasks would otherwise hold every finished task's partial until the last one
    ends; fetched as they finish, it holds at most the one it is making and the one being
    sent. Given in order as they come, the driver merges the early ones while the later
    ones still run.
    """
    from distributed import as_completed  # noqa: PLC0415

    index = {future.key: position for position, future in enumerate(tasks)}
    # The futures not yet fetched, kept here (not read back from `as_completed`, whose
    # finished-but-not-yielded futures sit in a queue and whose pending set the client's
    # event loop changes meanwhile) so that a failure lets every one of them go.
    unfetched = {future.key: future for future in tasks}
    results: dict[int, Any] = {}
    waiting = as_completed(tasks)  # type: ignore[no-untyped-call]
    tasks.clear()
    given = 0  # the results given so far, in task order
    try:
        for future in waiting:
            results[index[future.key]] = future.result()
            future.release()  # a fetched result is let go on its worker at once
            del unfetched[future.key]
            if running is not None:
                running(len(unfetched))
            while given in results:
                yield results.pop(given)
                given += 1
    except BaseException:
        # A task failed (or the seed changed, or the merge stopped): it and the others are
        # cancelled and let go, not left running and holding their results for as long as
        # the client lives.
        waiting.clear()  # type: ignore[no-untyped-call]
        left = list(unfetched.values())
        unfetched.clear()
        for task in left:
            task.cancel()
            task.release()
        raise


def _all_frame_entries(
    frame: Any, mapping: Mapping[str, str] | None, source_name: str
) -> Iterator[Entry]:
    """Every entry of a Dask DataFrame, one partition at a time, on the driver."""
    for part in frame.to_delayed():
        yield from load_dataframe(part.compute(), mapping=mapping, source_name=source_name).entries


def _frame_entries(
    frame: Any, wanted: set[str], mapping: Mapping[str, str] | None, source_name: str
) -> Iterable[Entry]:
    """The entries of a Dask DataFrame whose numbers (as filed) are in ``wanted``."""
    from t86audit.io._columns import normalize_header  # noqa: PLC0415

    target = normalize_header((mapping or {}).get("entry_number", "entry_number"))
    column = next((c for c in frame.columns if normalize_header(str(c)) == target), None)
    if column is None:
        return ()
    rows = frame[frame[column].astype(str).str.strip().isin(sorted(wanted))].compute()
    return load_dataframe(rows, mapping=mapping, source_name=source_name).entries
