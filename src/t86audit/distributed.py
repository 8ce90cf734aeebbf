"""Audit on a Dask cluster: many cores, or many machines, when one process is not enough.

Install the extra (``pip install 't86audit[dask]'``) and call :func:`audit_dask` with a
``dask.distributed`` client and either a list of files or a Dask DataFrame in the canonical
columns. The report is the one :func:`t86audit.audit` gives for the same population: the same
findings in the same order, the same entries, the same load accounting.

How the work is split
---------------------
Line and entry rules look at one entry at a time; group rules look at groups (one person on
one day, one bill, one entry number, one seller and consignee, one address on one day, one
description, one seller), and no single partitioning keeps every one of those groups whole.
So the audit runs in two stages:

1. **Entries** (one task per file, or per DataFrame partition after a shuffle on the entry
   number, so each entry's rows are on one worker): build the entries, run the line and entry
   rules, keep the small per-entry facts of the report, and route each entry to the *buckets*
   of its group keys (a stable hash of each key of each group rule, modulo the bucket count).
2. **Groups** (one task per bucket): every entry that has a key in the bucket arrives there, in
   population order; each group rule folds and finishes only its keys of that bucket. Every
   group is therefore complete on one worker, whichever rule it belongs to.

The driver merges the findings (sorted as the single-process engine sorts them), the rules'
statuses and the entry table, and builds the report.

What it costs
-------------
Every entry is pickled once to its first stage and once more to each bucket one of its group
keys falls in (at most the number of group rules, nine in the built-in pack), so the network
and memory traffic is several times the input size. On one machine with two cores the stages
rarely beat the streaming single-process audit; the adapter pays off when the population does
not fit one machine's memory, or when many cores are available (the first stage, most of the
work, scales with workers). Samples and waivers are not supported here: audit the population
here, then rebuild samples from the report's entries, or apply waivers with the single-process
audit of the sampled subset.
"""

from __future__ import annotations

import datetime as dt
import os
import zlib
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from t86audit.engine import AuditResult, RuleError, RuleResult, run_rules
from t86audit.findings import Finding
from t86audit.io import LoadResult, load, load_dataframe
from t86audit.io._result import SourceInfo
from t86audit.io._stream import StreamedLoad
from t86audit.model import entry_number_key
from t86audit.policy import PolicyTable, default_policy
from t86audit.refset import ReferenceSet
from t86audit.registry import RuleRegistry
from t86audit.report import EntryFacts, Report
from t86audit.rules._base import Rule


if TYPE_CHECKING:
    from t86audit.exposure import DutyTables
    from t86audit.model import Entry


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
    buckets: int

    def rules(self) -> list[Rule]:
        registry = self.registry if self.registry is not None else RuleRegistry.default()
        return registry.select(self.select, self.ignore)

    def refs(self) -> ReferenceSet:
        return self.reference if self.reference is not None else ReferenceSet()


def _bucket(key: Hashable, buckets: int) -> int:
    """A key's bucket, the same in every process (``hash()`` of text is salted per process)."""
    return zlib.crc32(repr(key).encode("utf-8")) % buckets


class _BucketKeys:
    """A group rule's key function limited to the keys of one bucket."""

    def __init__(self, keys: Callable[..., Iterable[Hashable]], bucket: int, buckets: int) -> None:
        self.keys = keys
        self.bucket = bucket
        self.buckets = buckets

    def __call__(self, entry: Entry, ctx: Any) -> list[Hashable]:
        try:
            keys = list(self.keys(entry, ctx))
        except Exception:
            # Recorded once, by bucket 0 (where the first stage sends such an entry).
            if self.bucket == 0:
                raise
            return []
        return [k for k in keys if _bucket(k, self.buckets) == self.bucket]


@attrs.frozen
class _EntryStage:
    """What the first stage returns for one part of the population."""

    load: LoadResult
    result: AuditResult
    facts: tuple[EntryFacts, ...]
    orders: tuple[tuple[int, int], ...]
    routed: Mapping[int, list[tuple[tuple[int, int], Entry]]]
    used: frozenset[str] = frozenset()


def _used(refs: ReferenceSet) -> frozenset[str]:
    """The reference tables a worker's rules consulted (the audit trail names them)."""
    return frozenset(getattr(refs, "_used", ()))


def _entry_stage(part: int, loaded: LoadResult, setup: _Setup, *, by_row: bool) -> _EntryStage:
    """Line and entry rules on one part; route each entry to the buckets of its group keys."""
    from t86audit.rules._base import RuleContext  # noqa: PLC0415

    rules = setup.rules()
    local = [r for r in rules if r.scope != "group"]
    group = [r for r in rules if r.scope == "group"]
    table = setup.policy or default_policy()
    refs = setup.refs()
    entries = loaded.entries
    facts = tuple(EntryFacts.of(entry) for entry in entries)
    result = run_rules(entries, local, policy=table, reference=refs, options=setup.options)
    # Population order: file after file and entry after entry; for a DataFrame, first row.
    orders = tuple(
        (0, entry.source_rows[0]) if by_row else (part, index)
        for index, entry in enumerate(entries)
    )
    contexts = [
        (r, RuleContext({**r.options, **setup.options.get(r.code, {})}, table, refs))
        for r in group
    ]
    routed: dict[int, list[tuple[tuple[int, int], Entry]]] = {}
    for order, entry in zip(orders, entries, strict=True):
        targets: set[int] = set()
        for r, ctx in contexts:
            try:
                targets.update(_bucket(k, setup.buckets) for k in r.keys(entry, ctx))
            except Exception:
                # The rule's error is recorded by bucket 0, once, as the engine records it.
                targets.add(0)
        for target in targets:
            routed.setdefault(target, []).append((order, entry))
    return _EntryStage(
        load=StreamedLoad(
            entries=(),
            errors=loaded.errors,
            sources=loaded.sources,
            rows_read=loaded.rows_read,
            rows_rejected=loaded.rows_rejected,
            entries_seen=loaded.entries_loaded,
            rows_in_seen=loaded.rows_in_entries,
        ),
        result=result,
        facts=facts,
        orders=orders,
        routed=routed,
        used=_used(refs),
    )


def _group_stage(
    bucket: int, parts: Sequence[Sequence[tuple[tuple[int, int], Entry]]], setup: _Setup
) -> tuple[AuditResult, frozenset[str]]:
    """Every group rule, on the keys of one bucket, over the entries routed there."""
    routed = sorted((item for part in parts for item in part), key=lambda item: item[0])
    rules = [
        attrs.evolve(r, keys=_BucketKeys(r.keys, bucket, setup.buckets))
        for r in setup.rules()
        if r.scope == "group"
    ]
    refs = setup.refs()
    result = run_rules(
        [entry for _, entry in routed],
        rules,
        policy=setup.policy or default_policy(),
        reference=refs,
        options=setup.options,
    )
    return result, _used(refs)


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


def _merge_rules(rules: Sequence[Rule], results: Iterable[AuditResult]) -> tuple[RuleResult, ...]:
    merged: dict[str, RuleResult] = {}
    for result in results:
        for rr in result.rule_results:
            seen = merged.get(rr.rule.code)
            if seen is None:
                merged[rr.rule.code] = rr
                continue
            errors: tuple[RuleError, ...] = (seen.errors + rr.errors)[:_MAX_ERRORS_KEPT]
            findings = seen.findings + rr.findings
            count = seen.error_count + rr.error_count
            status = "error" if count else "failed" if findings else seen.status
            if status == "not_applicable":
                status = seen.status
            merged[rr.rule.code] = attrs.evolve(
                seen, status=status, findings=findings, errors=errors, error_count=count
            )
    by_code = {r.code: r for r in rules}
    # The stages ran copies of the group rules with bucketed key functions: report the rules.
    return tuple(
        attrs.evolve(merged[code], rule=by_code[code])
        for code in sorted(by_code)
        if code in merged
    )


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
) -> Report:
    """Audit a population on a Dask cluster; the report equals :func:`t86audit.audit`'s.

    Args:
        source: a list of files (each one task; the population is the files in order, as
            :func:`t86audit.load` reads them), or a Dask DataFrame in the canonical columns
            (rows are shuffled so each entry's rows meet in one partition; row numbers are
            those of the whole frame, as :func:`t86audit.io.load_dataframe` numbers them).
        client: a ``dask.distributed.Client``.
        select: rule codes or prefixes to run (empty: all).
        ignore: rule codes or prefixes to skip.
        options: per-rule option overrides.
        mapping: canonical column name -> the header used instead.
        encoding: the files' encoding.
        registry: the rules available (default: every installed pack).
        policy: the dated policy table (default: the bundled one).
        reference: reference data (default: the bundled tables).
        buckets: how many group-stage tasks (default: twice the workers).
        generated_at: the report's timestamp (default: now, UTC).
        source_name: the source name of a DataFrame's entries.
        exposure: estimate what the ineligible entries would have owed (their entries are
            read again on the driver: the files streamed, or the frame's rows of those
            entries gathered).
        duty_tables: the dated duty and fee tables (default: the bundled ones).

    Raises:
        InputError: a file cannot be read (as :func:`t86audit.load` raises it).
        T86AuditError: a ``select`` or ``ignore`` token matches no rule.
    """
    from t86audit import __version__  # noqa: PLC0415

    reg = registry if registry is not None else RuleRegistry.default()
    rules = reg.select(select, ignore)
    refs = reference if reference is not None else ReferenceSet()
    table = policy or default_policy()
    if buckets is None:
        workers = len(client.scheduler_info().get("workers", {})) or 1
        buckets = 2 * workers
    setup = _Setup(
        registry=registry,
        select=tuple(select),
        ignore=tuple(ignore),
        options={k: dict(v) for k, v in (options or {}).items()},
        policy=policy,
        reference=reference,
        buckets=buckets,
    )
    files = isinstance(source, list | tuple)
    if files:
        loads = [
            client.submit(_load_file, os.fspath(path), mapping, encoding, pure=False)
            for path in source
        ]
    else:
        loads = [
            client.submit(_load_partition, part, mapping, source_name, pure=False)
            for part in _frame_parts(client, source)
        ]
    stages = [
        client.submit(_entry_stage, index, part, setup, by_row=not files, pure=False)
        for index, part in enumerate(loads)
    ]
    routed = [
        client.submit(lambda stage, b: stage.routed.get(b, []), stage, bucket, pure=False)
        for bucket in range(buckets)
        for stage in stages
    ]
    groups = [
        client.submit(
            _group_stage,
            bucket,
            routed[bucket * len(stages) : (bucket + 1) * len(stages)],
            setup,
            pure=False,
        )
        for bucket in range(buckets)
    ]
    first: list[_EntryStage] = client.gather(
        [client.submit(_without_routes, s, pure=False) for s in stages]
    )
    gathered: list[tuple[AuditResult, frozenset[str]]] = client.gather(groups)
    second = [result for result, _ in gathered]
    used = frozenset().union(*(stage.used for stage in first), *(u for _, u in gathered))
    for name in sorted(used):
        # Consult the same tables here, so the report's audit trail names them.
        getattr(refs, name, None)
    report_options = {
        "select": list(select),
        "ignore": list(ignore),
        "rule_options": {
            k: {n: str(v) for n, v in sorted(o.items())}
            for k, o in sorted((options or {}).items())
        },
    }
    report = _report(
        rules,
        first,
        second,
        reg=reg,
        refs=refs,
        table=table,
        generated_at=generated_at,
        version=__version__,
        options=setup.options,
        report_options=report_options,
        frame_name=None if files else source_name,
    )
    if not exposure:
        return report
    from t86audit.api import exposure_of, read_again  # noqa: PLC0415
    from t86audit.engine import EntrySummaries  # noqa: PLC0415

    def again(wanted: set[str]) -> Iterable[Entry]:
        # The ineligible entries are read again on the driver: the files streamed, or only
        # the frame's rows of those entries gathered.
        if files:
            return read_again(tuple(source), mapping=mapping, encoding=encoding)
        return _frame_entries(source, wanted, mapping, source_name)

    summaries = report.result.entries
    records = summaries.records if isinstance(summaries, EntrySummaries) else ()
    estimate = exposure_of(report.findings, again, samples=(), records=records, tables=duty_tables)
    return attrs.evolve(report, exposure=estimate)


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


def _without_routes(stage: _EntryStage) -> _EntryStage:
    """The first stage's result without the routed entries (which stay on the workers)."""
    return attrs.evolve(stage, routed={})


def _report(
    rules: Sequence[Rule],
    first: Sequence[_EntryStage],
    second: Sequence[AuditResult],
    *,
    reg: RuleRegistry,
    refs: ReferenceSet,
    table: PolicyTable,
    generated_at: dt.datetime | None,
    version: str,
    options: Mapping[str, Mapping[str, Any]],
    report_options: Mapping[str, Any],
    frame_name: str | None,
) -> Report:
    from t86audit.api import _fingerprint  # noqa: PLC0415

    # Entries in population order: part after part (files), or by first row (DataFrame).
    pairs = sorted(
        (
            (summary, fact, order)
            for stage in first
            for summary, fact, order in zip(
                stage.result.entries, stage.facts, stage.orders, strict=True
            )
        ),
        key=lambda item: item[2],
    )
    findings = sorted(
        (
            *(f for stage in first for f in stage.result.findings),
            *(f for result in second for f in result.findings),
        ),
        key=Finding.sort_key,
    )
    counts: dict[str, list[int]] = {}
    for finding in findings:
        slot = counts.setdefault(entry_number_key(finding.entry_number), [0, 0, 0])
        slot[3 - finding.severity.rank] += 1
    summaries = tuple(
        attrs.evolve(
            s,
            violations=counts.get(entry_number_key(s.entry_number), [0, 0, 0])[0],
            warnings=counts.get(entry_number_key(s.entry_number), [0, 0, 0])[1],
            infos=counts.get(entry_number_key(s.entry_number), [0, 0, 0])[2],
        )
        for s, _, _ in pairs
    )
    facts = tuple(fact for _, fact, _ in pairs)
    load: LoadResult | None = None
    for stage in first:
        load = stage.load if load is None else _add(load, stage.load)
    if frame_name is not None and load is not None:
        # One DataFrame is one source, its errors in row order, as load_dataframe gives them.
        load = attrs.evolve(
            load,
            sources=(SourceInfo(frame_name, "", load.rows_read),),
            errors=tuple(
                sorted(load.errors, key=lambda error: (error.row is None, error.row or 0))
            ),
        )
    result = AuditResult(
        findings=tuple(findings),
        rule_results=_merge_rules(rules, [s.result for s in first] + list(second)),
        entries=summaries,
        samples=(),
        policy_version=table.version,
        options={r.code: dict(options[r.code]) for r in rules if r.code in options},
    )
    return Report(
        result=result,
        load=load,
        generated_at=generated_at or dt.datetime.now(dt.UTC).replace(microsecond=0),
        packs=reg.packs,
        snapshots=tuple(refs.snapshots()),
        options=report_options,
        tool_version=version,
        facts=facts,
        population_fingerprint=_fingerprint(facts),
        policy_periods=table.periods,
    )


def _add(first: LoadResult, second: LoadResult) -> StreamedLoad:
    return StreamedLoad(
        entries=(),
        errors=first.errors + second.errors,
        sources=first.sources + second.sources,
        rows_read=first.rows_read + second.rows_read,
        rows_rejected=first.rows_rejected + second.rows_rejected,
        entries_seen=first.entries_loaded + second.entries_loaded,
        rows_in_seen=first.rows_in_entries + second.rows_in_entries,
    )
