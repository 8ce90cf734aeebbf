"""The top-level entry points: :func:`audit` composes the engine and the report."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import attrs

from t86audit._entries import T86_CODES, column_of
from t86audit.engine import (
    AuditResult,
    EntrySummaries,
    ProgressCallback,
    collection_paused,
    run_rules,
)
from t86audit.exceptions import InputError
from t86audit.model import T86_TYPE
from t86audit.policy import default_policy
from t86audit.refset import ReferenceSet
from t86audit.registry import RuleRegistry
from t86audit.report import EntryFacts, Report
from t86audit.report._model import EntryFactsView
from t86audit.waivers import Waiver, WaiverSet, apply_waivers, coerce_waivers


if TYPE_CHECKING:
    from t86audit._entries import EntryRecord
    from t86audit.exposure import DutyTables, Exposure, InterestRates
    from t86audit.exposure._assess import EntryIdentity, Estimated
    from t86audit.findings import Finding
    from t86audit.io import EntryStream, LoadResult
    from t86audit.io._stream import EntryCount, StreamedLoad
    from t86audit.model import Entry
    from t86audit.policy import PolicyTable
    from t86audit.rules._base import Rule
    from t86audit.sample import JudgmentSample

    EstimateElsewhere = Callable[
        [Mapping[EntryIdentity, tuple[str, ...]], DutyTables | None],
        Mapping[EntryIdentity, Estimated],
    ]
    """Estimates of the ineligible entries made where they are (see :func:`exposure_of`)."""


__all__ = ["assemble_report", "audit"]


def _fingerprint(facts: Iterable[EntryFacts | EntryRecord]) -> str:
    """:func:`t86audit.sample.population_fingerprint`, from the recorded facts or records."""
    joined = "\n".join(sorted(column_of(facts, "entry_number")))
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()


PARALLEL_FROM = 5_000
"""Populations of more entries than this use every core when ``jobs`` is not given."""


def _jobs(jobs: int | None, entries: Iterable[Entry]) -> int:
    """How many processes audit ``entries``: as asked, or every core for a large sequence."""
    if jobs is not None:
        given: object = jobs
        if isinstance(given, bool) or not isinstance(given, int) or given < 1:
            msg = f"jobs must be a whole number of at least 1, got {jobs!r}"
            raise ValueError(msg)
        return given
    if isinstance(entries, Sequence) and len(entries) > PARALLEL_FROM:
        return os.cpu_count() or 1
    return 1


STREAM_PARALLEL_FROM_BYTES = 2_000_000
"""Streamed inputs larger than this (about 5,000 entries) use every core by default."""


_SCATTERED = "the rows of some entries are not contiguous"
"""What :func:`_audit_in_parts` returns when its count found an entry's rows apart: the reason
the files are read in entry order."""


def _audit_in_parts(
    population: EntryStream,
    jobs: int | None,
    rules: Sequence[Rule],
    **run: Any,
) -> tuple[AuditResult, LoadResult] | str | None:
    """Audit a CSV stream with several processes, each reading its own part of the files.

    ``None`` when one process should do it: ``jobs`` is 1, the inputs are small (with
    ``jobs`` not given) or not all CSV, or the machine cannot fork. :data:`_SCATTERED` when
    the count of the files found an entry's rows not adjacent: the caller then reads the
    files in entry order (:meth:`~t86audit.io.EntryStream.regrouped`) at once, rather than
    stream them to the row that comes back.
    """
    from t86audit.engine import _can_fork, mergeable, run_rules_in_parts  # noqa: PLC0415
    from t86audit.io._stream import RowsNotContiguousError, count_entries  # noqa: PLC0415

    if population.started or not population.partitionable or not mergeable(rules):
        return None  # (a stream read before is refused by the one-process path, as always)
    if jobs is None:
        try:
            size = sum(Path(path).stat().st_size for path in population.paths)
        except OSError:
            return None  # (one process reads the files, and says what is wrong with them)
        jobs = (os.cpu_count() or 1) if size > STREAM_PARALLEL_FROM_BYTES else 1
    else:
        jobs = _jobs(jobs, ())
    if jobs < 2 or not _can_fork():  # (asked last: it imports multiprocessing)
        return None
    counts: list[EntryCount] = []

    def counting() -> int | None:
        # Counted while the first worker reads: the parts are known only then.
        try:
            counted = count_entries(
                population.paths,
                mapping=population.mapping or None,
                encoding=population.encoding,
                delimiter=population.delimiter,
            )
        except InputError:
            # One process reads the files and raises their first problem, as jobs=1 does:
            # the count, reading only the entry numbers, can meet a later one first.
            return None
        counts.append(counted)
        if not counted.contiguous or counted.entries < 2 * jobs:
            return None
        return counted.entries

    try:
        done = run_rules_in_parts(
            population.part,
            counting,
            rules,
            jobs=jobs,
            again=_entries_again(population, None),
            indexed=population.take_index,
            **run,
        )
    except RowsNotContiguousError:
        # Met before the count could say so (the parent's first entries, read before the
        # workers start): the files are read in entry order.
        return _SCATTERED
    if done is None:
        return _SCATTERED if counts and not counts[0].contiguous else None
    result, loads = done
    load = load_of_parts(counts[0], loads)
    population.settle(load)
    return result, load


def load_of_parts(counted: EntryCount, loads: Sequence[LoadResult]) -> StreamedLoad:
    """The load accounting of files read in parts: the count's sources, the parts' errors.

    Each part accounts for the rows it kept (its entries and its rejected rows); the rows
    read and the files' hashes are the counting pass's, which read every row. Parts are
    given in population order, so their errors are in row order within each file.
    """
    from t86audit.io._stream import StreamedLoad  # noqa: PLC0415

    rows_in = sum(part.rows_in_entries for part in loads)
    rows_read = sum(source.rows_read for source in counted.sources)
    return StreamedLoad(
        entries=(),
        errors=tuple(error for part in loads for error in part.errors),
        sources=counted.sources,
        rows_read=rows_read,
        rows_rejected=rows_read - rows_in,
        entries_seen=sum(part.entries_loaded for part in loads),
        rows_in_seen=rows_in,
    )


def _check_rate(rate: float) -> float:
    value: object = rate
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1:
        msg = f"target_rate must be a number strictly between 0 and 1, got {rate!r}"
        raise ValueError(msg)
    return float(value)


def _population_of(
    given: LoadResult | EntryStream | Iterable[Entry] | str | os.PathLike[str] | Sequence[Any],
) -> LoadResult | EntryStream | Iterable[Entry]:
    """What :func:`audit` was given, with a path (or a list of paths) made a stream of them.

    A path would otherwise be iterated as its characters, and fail far from the mistake.
    """
    from t86audit.io import stream  # noqa: PLC0415

    if isinstance(given, str | os.PathLike):
        return stream(given)
    if (
        isinstance(given, list | tuple)
        and given
        and all(isinstance(path, str | os.PathLike) for path in given)
    ):
        return stream(*given)
    return given  # type: ignore[return-value]


def audit(
    population: LoadResult
    | EntryStream
    | Iterable[Entry]
    | str
    | os.PathLike[str]
    | Sequence[str | os.PathLike[str]],
    *,
    samples: Sequence[JudgmentSample] | JudgmentSample = (),
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    options: Mapping[str, Mapping[str, Any]] | None = None,
    waivers: str
    | os.PathLike[str]
    | WaiverSet
    | Iterable[Waiver | Mapping[str, Any]]
    | None = None,
    target_rate: float = 0.05,
    registry: RuleRegistry | None = None,
    policy: PolicyTable | None = None,
    reference: ReferenceSet | None = None,
    generated_at: dt.datetime | None = None,
    invocation: Mapping[str, Any] | None = None,
    fail_fast: bool = False,
    progress: ProgressCallback | None = None,
    redact_key: bytes | str | None = None,
    jobs: int | None = None,
    exposure: bool = True,
    duty_tables: DutyTables | None = None,
    interest_rates: InterestRates | None = None,
) -> Report:
    """Audit a population of entries and return the report.

    Group rules (one person on one day, reused bills) see the whole population; findings are
    reported for every entry and marked with the samples that contain it. Waivers are applied
    after the rules ran: a waived finding stays in the report, marked, and does not count
    toward ``--fail-on`` (:meth:`Report.has_at_least`) or a sample's violations.

    Args:
        population: a :class:`~t86audit.io.LoadResult` (its load errors go into the report),
            an :class:`~t86audit.io.EntryStream` from :func:`t86audit.io.stream` (read once,
            its load accounting goes into the report; if its rows turn out not to be
            contiguous the audit says so and starts again on an in-memory load), any
            iterable of entries (read once, so a generator streams), or the path of a file of
            entries, or a list of paths, streamed as :func:`t86audit.io.stream` streams them
            (as the command line reads its files; a CSV file's delimiter is found as
            :func:`~t86audit.io.load_csv` says: to name it, or to read decimal commas, pass
            ``stream(path, delimiter=";", decimal=",")``, which takes every reading option).
        samples: samples of this population to evaluate (or one sample).
        select: rule codes or prefixes to run (empty: all), e.g. ``["VAL", "CON"]``.
        ignore: rule codes or prefixes to skip, e.g. ``["DES003"]``.
        options: per-rule option overrides, e.g. ``{"CON007": {"max_names": 8}}``.
        waivers: a waivers CSV file (see :mod:`t86audit.waivers`), a
            :class:`~t86audit.waivers.WaiverSet`, or :class:`~t86audit.waivers.Waiver` objects
            or mappings with the file's column names.
        target_rate: the violation rate for which each sample reports the zero-failure sample
            size (default 5%: 59 entries).
        registry: the rules available (default: every installed pack).
        policy: the dated policy table (default: the bundled one).
        reference: reference data (default: the bundled tables).
        generated_at: the report's timestamp (default: now, UTC); fix it for reproducible output.
        invocation: how the audit was run, for the audit trail (the command line passes its
            format and the files it read).
        fail_fast: re-raise the first exception a rule raises instead of recording it.
        progress: called as ``progress(entries_done, seconds)`` every 10,000 entries during
            the pass and once at its end.
        redact_key: replace consignee and seller names and addresses with stable keyed
            pseudonyms in the whole report (see :mod:`t86audit.redact`); bytes, 64 hex digits
            or a passphrase of 16 bytes or more.
        exposure: estimate what each ineligible entry would have owed (duties, fees, penalty
            ranges, projections from random samples; :mod:`t86audit.exposure`). A streamed
            population is read a second time for the ineligible entries.
        duty_tables: the dated duty and fee tables (default: the bundled ones).
        interest_rates: the rates for a prior disclosure's interest
            (:class:`~t86audit.exposure.InterestRates`); without them the tender has none.
        jobs: worker processes for a population held in memory (a
            :class:`~t86audit.io.LoadResult` or a sequence of entries); ``None`` uses every
            core for populations of more than :data:`PARALLEL_FROM` entries. The report is
            the same whatever the number (see :func:`~t86audit.engine.run_rules`).

    Raises:
        InputError: the waivers cannot be read or a waiver is malformed.
        SampleError: a sample names an entry that is not in the population.
        ValueError: ``target_rate`` is not strictly between 0 and 1, or an option is unknown.

    >>> import t86audit
    >>> from t86audit.testing import make_entry
    >>> report = t86audit.audit([make_entry(value="950.00")], select=["VAL001"])
    >>> [f.code for f in report.findings]
    ['VAL001']
    """
    rate = _check_rate(target_rate)
    population = _population_of(population)
    # One sample given alone is a list of one. (Asked without importing the samples module,
    # which a plain audit does not load: a sample exists only once that module has.)
    sampling = sys.modules.get("t86audit.sample")
    alone = sampling is not None and isinstance(samples, sampling.JudgmentSample)
    chosen = cast("Sequence[JudgmentSample]", (samples,) if alone else samples)
    redactor = None
    if redact_key is not None:  # before the audit, so a bad key fails fast
        from t86audit.redact import Redactor, key_from_text  # noqa: PLC0415

        redactor = Redactor(
            key_from_text(redact_key) if isinstance(redact_key, str) else redact_key
        )
    waiver_set = coerce_waivers(waivers)
    reg = registry if registry is not None else RuleRegistry.default()
    rules = reg.select(select, ignore)
    refs = reference if reference is not None else ReferenceSet()
    table = policy or default_policy()
    from t86audit.io import EntryStream, LoadResult  # noqa: PLC0415  (not needed at import)

    engine_options: dict[str, Any] = {
        "samples": chosen,
        "policy": table,
        "reference": refs,
        "options": options,
        "fail_fast": fail_fast,
        "progress": progress,
    }

    def run(
        entries: Iterable[Entry], given: LoadResult | EntryStream | None = None
    ) -> AuditResult:
        # The entries are read again (the second look) from what was given, or from them.
        reread = _reader_of(given if given is not None else entries)
        if redactor is not None:
            # Learn every party value as it streams past, so names quoted inside messages
            # are replaced too.
            entries = redactor.watch(entries)
        # The engine keeps one compact record per entry: the report's summaries, facts and
        # entry table are all read from those records.
        return run_rules(entries, rules, jobs=_jobs(jobs, entries), again=reread, **engine_options)

    load: LoadResult | None = None
    parted = (
        _audit_in_parts(population, jobs, rules, **engine_options)
        if isinstance(population, EntryStream) and redactor is None
        else None
    )
    if isinstance(parted, tuple):
        result, load = parted
    elif isinstance(population, EntryStream):
        # The count of the files found an entry's rows apart (no pass that would stop at
        # them), or the pass stops where an entry number comes back: the audit starts again
        # on the rows put together (or loaded, for a workbook), and what follows (the second
        # look, the exposure) reads that population.
        done = population.read_with(run, scattered=parted if isinstance(parted, str) else None)
        result, load, population = done.value, done.load, done.read
    elif isinstance(population, LoadResult):
        load = population
        result = run(population.entries, population)
    else:
        result = run(population)
    return assemble_report(
        result,
        load,
        again=_entries_again(population, load) if exposure else None,
        registry=reg,
        rules=rules,
        reference=refs,
        policy=table,
        samples=chosen,
        waivers=waiver_set,
        select=select,
        ignore=ignore,
        options=options,
        generated_at=generated_at,
        invocation=invocation,
        target_rate=rate,
        redactor=redactor,
        duty_tables=duty_tables,
        interest_rates=interest_rates,
    )


def assemble_report(
    result: AuditResult,
    load: LoadResult | None,
    *,
    again: Callable[[set[str]], Iterable[Entry]] | None,
    registry: RuleRegistry,
    rules: Sequence[Rule],
    reference: ReferenceSet,
    policy: PolicyTable,
    samples: Sequence[JudgmentSample],
    waivers: WaiverSet,
    select: Sequence[str],
    ignore: Sequence[str],
    options: Mapping[str, Mapping[str, Any]] | None,
    generated_at: dt.datetime | None,
    invocation: Mapping[str, Any] | None,
    target_rate: float,
    redactor: Any = None,
    duty_tables: DutyTables | None = None,
    interest_rates: InterestRates | None = None,
    estimate_elsewhere: EstimateElsewhere | None = None,
) -> Report:
    """The one assembly of a report from the engine's result, whichever way the pass ran.

    Applies the waivers, estimates the exposure (``again(wanted)`` gives the ineligible
    entries again; ``None`` leaves the exposure out), builds the :class:`Report` and redacts
    it. :func:`audit` (in memory, streamed, in parts) and the Dask adapter all end here.
    """
    from t86audit import __version__  # noqa: PLC0415

    reg, refs, table, waiver_set, rate = registry, reference, policy, waivers, target_rate
    assert isinstance(result.entries, EntrySummaries)
    records = result.entries.records

    def resolve(code: str) -> str:
        return reg.get(code).code if code in reg else code

    waived_keys = {w.key for w in waiver_set.waivers}
    findings, unused = apply_waivers(
        result.findings,
        waiver_set.waivers,
        resolve_code=resolve,
        # The keys only explain unused waivers: only the waivers' own keys are worth passing
        # (a set of every entry's key would be as large as the population).
        entry_keys=(r.key for r in records if r.key in waived_keys) if waived_keys else None,
        codes_run=(r.code for r in rules),
        codes_known=(r.code for r in reg.select()),
    )
    if waiver_set.waivers:
        result = attrs.evolve(result, findings=findings)
    result = _unjudged_not_applicable(result, records)
    # The exposure's estimates and the report are made of many objects and no reference
    # cycles: collection paused meanwhile, as in the pass (a full collection rescans the
    # population's records and findings).
    with collection_paused():
        estimate = None
        if again is not None:
            estimate = exposure_of(
                findings,
                again,
                samples=samples,
                records=records,
                tables=duty_tables,
                interest_rates=interest_rates,
                estimate_elsewhere=estimate_elsewhere,
                policy=table,
            )
        report = Report(
            result=result,
            load=load,
            generated_at=generated_at or dt.datetime.now(dt.UTC).replace(microsecond=0),
            packs=reg.packs,
            snapshots=tuple(refs.snapshots()),
            options={
                "select": list(select),
                "ignore": list(ignore),
                "rule_options": {
                    k: {n: str(v) for n, v in sorted(o.items())}
                    for k, o in sorted((options or {}).items())
                },
            },
            tool_version=__version__,
            facts=EntryFactsView(records),
            waivers=waiver_set,
            unused_waivers=unused,
            target_rate=rate,
            population_fingerprint=_fingerprint(records),
            policy_periods=table.periods,
            invocation=dict(invocation or {}),
            exposure=estimate,
        )
    return report if redactor is None else redactor.report(report)


def _unjudged_not_applicable(result: AuditResult, records: Any) -> AuditResult:
    """A rule that judged no entry at all did not pass: it is ``not_applicable``, and says why.

    An export of formal (01) and informal (11) entries only is listed in full, but no Type 86
    rule judged any of it: "passed" would say the rule ran on every entry and found nothing.
    An empty population is left as it is.
    """
    types = {T86_TYPE if code in T86_CODES else code for code in column_of(records, "entry_type")}
    if not types:
        return result
    changed = [
        attrs.evolve(
            r,
            status="not_applicable",
            reason=(
                "no entry of the types the rule judges "
                f"({', '.join(sorted(r.rule.entry_types or ()))}): the population holds "
                f"entry types {', '.join(sorted(types))} only"
            ),
        )
        if r.status == "passed" and not any(r.rule.judges(code) for code in types)
        else r
        for r in result.rule_results
    ]
    if all(a is b for a, b in zip(changed, result.rule_results, strict=True)):
        return result
    return attrs.evolve(result, rule_results=tuple(changed))


def _reader_of(
    population: LoadResult | EntryStream | Iterable[Entry],
) -> Callable[[set[str]], Iterable[Entry]] | None:
    """How the engine reads entries of ``population`` again, or ``None`` if it cannot."""
    from t86audit.io import EntryStream, LoadResult  # noqa: PLC0415

    if isinstance(population, EntryStream | LoadResult | Sequence):
        return _entries_again(population, None)
    return None


def _identity(entry: Entry) -> tuple[str, str, tuple[int, ...]]:
    return (entry.entry_number.key, entry.source, entry.source_rows)


def _entries_again(
    population: LoadResult | EntryStream | Iterable[Entry], load: LoadResult | None
) -> Callable[[set[str]], Iterable[Entry]]:
    """How to find entries of the audit again among its population (``wanted``: their keys)."""
    from t86audit.io import EntryStream, LoadResult  # noqa: PLC0415
    from t86audit.io._stream import RowsNotContiguousError  # noqa: PLC0415
    from t86audit.model import entry_number_key  # noqa: PLC0415

    source: Iterable[Entry]
    if load is not None and load.entries:
        source = load.entries
    elif isinstance(population, LoadResult):
        source = population.entries
    elif isinstance(population, EntryStream):
        # The stream was read once; the ineligible entries are read again, and only they are
        # parsed and kept (CSV rows of other entries are skipped unparsed).
        stream_again = population

        def again(wanted: set[str]) -> Iterable[Entry]:
            given: Counter[tuple[str, str, tuple[int, ...]]] = Counter()
            rest: Iterable[Entry]
            if stream_again.partitionable or stream_again.regrouping:
                try:
                    for entry in stream_again.only(wanted):
                        given[_identity(entry)] += 1
                        yield entry
                except RowsNotContiguousError as exc:
                    # Scattered rows (a stream that had not met them yet, a Dask task's own
                    # reading): the wanted entries are read again in entry order.
                    regrouped = stream_again.only(wanted).regrouped(exc.reason, announce=False)
                    rest = regrouped.entries if isinstance(regrouped, LoadResult) else regrouped
                else:
                    return
            else:
                rest = read_again(stream_again.paths, **stream_again.reading)
            # Each wanted entry once: those already given before the rows turned out scattered
            # are passed over (as many times as given, so an entry filed twice still comes
            # twice), and the others' entries are not given at all.
            keys = {entry_number_key(number) for number in wanted}
            for entry in rest:
                if entry.entry_number.key not in keys:
                    continue
                identity = _identity(entry)
                if given[identity]:
                    given[identity] -= 1
                    continue
                yield entry

        return again
    elif isinstance(population, Sequence):
        source = population
    else:
        source = ()  # a one-shot iterable cannot be read again: the exposure says so
    return lambda _wanted: source


def read_again(paths: Sequence[str | os.PathLike[str]], **options: Any) -> Iterator[Entry]:
    """The entries of ``paths`` once more: streamed, or regrouped when the rows are scattered.

    Entries already given before a stream stops are given again by the second reading
    (:meth:`~t86audit.io.EntryStream.regrouped`, or a load for a workbook); callers keep the
    first of each number.
    """
    from t86audit.io import LoadResult, stream  # noqa: PLC0415
    from t86audit.io._stream import RowsNotContiguousError  # noqa: PLC0415

    reading = stream(*paths, **options)
    try:
        yield from reading
    except RowsNotContiguousError as exc:
        # Said once already, by the audit that met the scattered rows first.
        again = reading.regrouped(exc.reason, announce=False)
        yield from again.entries if isinstance(again, LoadResult) else again


def exposure_of(
    findings: Sequence[Finding],
    entries: Callable[[set[str]], Iterable[Entry]],
    *,
    samples: Sequence[JudgmentSample],
    records: Sequence[EntryRecord],
    tables: DutyTables | None,
    interest_rates: InterestRates | None = None,
    estimate_elsewhere: EstimateElsewhere | None = None,
    policy: PolicyTable | None = None,
) -> Exposure:
    """The exposure of the ineligible entries among ``findings``; the one assembly of it.

    ``entries(wanted)`` gives the population again, or at least the entries whose numbers (as
    filed) are in ``wanted`` (called only when some entry is ineligible); only those are
    kept. ``estimate_elsewhere(reasons, tables)``, if given, estimates the ineligible
    entries where they are instead (the Dask adapter: each worker its files) and gives the
    estimates by entry identity, the first of each. The single-process audit, the streamed
    one and the Dask adapter all end here, so their exposure is the same. ``policy`` is the
    audit's table (its threshold decides which entries kept the Section 321 exemption).
    """
    from t86audit.exposure import ineligible_reasons  # noqa: PLC0415
    from t86audit.exposure._assess import assess_estimated, estimate_entries  # noqa: PLC0415

    reasons = ineligible_reasons(findings)
    estimated: Mapping[EntryIdentity, Estimated] = {}
    if reasons and estimate_elsewhere is not None:
        estimated = estimate_elsewhere(reasons, tables)
    elif reasons:
        estimated = estimate_entries(entries({key[0] for key in reasons}), reasons, tables, policy)
    judged = sum(1 for code in column_of(records, "entry_type") if code in T86_CODES)
    return assess_estimated(
        findings,
        estimated,
        samples=samples,
        population_size=judged,
        interest_rates=interest_rates,
    )
