"""The one-pass rule engine.

:func:`run_rules` reads each entry once: it runs the line and entry rules on it, folds it into
each group rule's state, and finishes the groups at the end. It accepts any iterable of entries
(a list, or a generator streaming a file), so the same engine audits ten entries or ten million.

A rule that raises is recorded with status ``error`` and the exception; the audit goes on and the
rule never reads as passed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import hashlib
import operator
import os
import re
import sys
import time
import zlib
from array import array
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence, Set
from decimal import Decimal
from itertools import compress, islice, repeat
from typing import TYPE_CHECKING, Any, Literal, TypedDict, Unpack, cast

import attrs

from t86audit._entries import EntryRecord, RecordTable, RecordView
from t86audit.exceptions import SampleError
from t86audit.findings import Finding, Hit, Severity, dated_basis
from t86audit.model import T86_TYPE, entry_number_key
from t86audit.policy import PolicyTable, default_policy
from t86audit.rules._base import Gate, Rule, RuleContext, on_entry


if TYPE_CHECKING:
    from t86audit.model import Entry
    from t86audit.sample import JudgmentSample


__all__ = [
    "AuditResult",
    "EntrySummaries",
    "EntrySummary",
    "RuleError",
    "RuleResult",
    "RuleStatus",
    "mergeable",
    "run_rules",
    "run_rules_in_parts",
]

RuleStatus = Literal["passed", "failed", "not_applicable", "error"]
ProgressCallback = Callable[[int, float], None]
"""Called as ``progress(entries_done, seconds_elapsed)`` every ``progress_every`` entries."""

_MAX_ERRORS_KEPT = 5


@attrs.frozen
class RuleError:
    """A rule raised instead of returning hits."""

    code: str
    entry_number: str | None
    exception_type: str
    message: str


@attrs.frozen
class RuleResult:
    """How one rule fared in an audit.

    ``status`` is ``passed`` (ran on every entry, found nothing), ``failed`` (found something),
    ``not_applicable`` (could not run; ``reason`` says why) or ``error`` (raised at least once;
    ``errors`` keeps the first few, ``error_count`` counts all).
    """

    rule: Rule
    status: RuleStatus
    findings: int = 0
    reason: str = ""
    errors: tuple[RuleError, ...] = ()
    error_count: int = 0


@attrs.frozen
class EntrySummary:
    """One audited entry and how many findings of each severity it has."""

    entry_number: str
    arrival_date: str
    source: str
    rows: int = 0
    """Input rows the entry was built from (its lines, when it did not come from a file)."""
    violations: int = 0
    warnings: int = 0
    infos: int = 0
    samples: tuple[str, ...] = ()
    entry_type: str = "86"
    """The two-digit entry type code; ``""`` when blank or unreadable (audited as Type 86)."""

    @property
    def judged_as_t86(self) -> bool:
        """Whether the T86 rules judged the entry (type 86, or blank or unreadable)."""
        return self.entry_type in ("86", "")

    @property
    def is_clean(self) -> bool:
        """Whether the entry was judged and has no violation and no warning."""
        return self.violations == 0 and self.warnings == 0 and self.judged_as_t86


_NO_COUNTS = (0, 0, 0)


class EntrySummaries(RecordView[EntrySummary]):
    """:attr:`AuditResult.entries` of :func:`run_rules`: a summary per entry, made on demand.

    The engine keeps one compact :class:`~t86audit._entries.EntryRecord` per entry and the
    counts of the entries that have findings; each :class:`EntrySummary` is built when it is
    read, so the summaries of a large population are never all in memory at once.

    Attributes:
        records: the entries' records, in audit order.
        counts: per entry key with findings, ``(violations, warnings, infos)``.
        sample_ids: per sampled entry key, the ids of the samples that contain it.
    """

    __slots__ = ("counts", "sample_ids")

    def __init__(
        self,
        records: Sequence[EntryRecord],
        counts: Mapping[str, Sequence[int]],
        sample_ids: Mapping[str, tuple[str, ...]],
    ) -> None:
        super().__init__(records)
        self.counts = counts
        self.sample_ids = sample_ids

    def _make(self, record: EntryRecord) -> EntrySummary:
        key = record.key
        violations, warnings, infos = self.counts.get(key, _NO_COUNTS)
        return EntrySummary(
            entry_number=record.entry_number,
            arrival_date=record.arrival_date.isoformat(),
            source=record.source,
            rows=record.rows,
            violations=violations,
            warnings=warnings,
            infos=infos,
            samples=self.sample_ids.get(key, ()),
            entry_type=record.entry_type,
        )


@attrs.frozen(repr=False)
class AuditResult:
    """Everything the engine found; the report layer turns it into a :class:`~t86audit.Report`.

    ``entries`` is a sequence of :class:`EntrySummary` in audit order. From :func:`run_rules`
    it is an :class:`EntrySummaries` view that builds each summary when it is read (it compares
    equal to a tuple of the same summaries); any sequence of summaries may be given.
    """

    findings: tuple[Finding, ...]
    rule_results: tuple[RuleResult, ...]
    entries: Sequence[EntrySummary]
    samples: tuple[JudgmentSample, ...]
    policy_version: str
    options: Mapping[str, Mapping[str, Any]] = attrs.field(factory=dict, hash=False)
    seconds: float = attrs.field(default=0.0, eq=False)

    def __repr__(self) -> str:
        # The counts, not every finding: what a notebook shows of report.result.
        return (
            f"<AuditResult findings={len(self.findings):,} rules={len(self.rule_results)} "
            f"entries={len(self.entries):,} samples={len(self.samples)} "
            f"policy_version={self.policy_version!r}>"
        )


class _RuleRun:
    """Mutable bookkeeping for one rule during one audit."""

    __slots__ = (
        "after",
        "check",
        "ctx",
        "error_count",
        "errors",
        "findings",
        "gate",
        "gate_bit",
        "keys",
        "marks",
        "rule",
        "state",
    )

    def __init__(self, rule: Rule, ctx: RuleContext) -> None:
        self.rule = rule
        self.ctx = ctx
        # The rule's check and keys as the pass calls them: of a check or keys gated by the
        # arrival period (rules/_base.Gate), the function inside, called only where the
        # entry's gate mask has the bit ``gate_bit`` (_GateMasks); without a gate, 0.
        call = rule.keys if rule.scope == "group" else rule.check
        self.gate: Gate | None = call if isinstance(call, Gate) else None
        inner = call.inner if isinstance(call, Gate) else call
        self.check: Any = None if rule.scope == "group" else inner
        self.keys: Any = inner if rule.scope == "group" else None
        self.gate_bit = 0
        # A rule in force by the time its goods were entered (rules/_base.on_entry): each hit
        # is tested (a late T86 sent after its requirement ended is dropped); hits are few.
        in_force = rule.in_force
        self.after: Any = (
            in_force.after if isinstance(in_force, on_entry) and rule.scope != "group" else None
        )
        self.findings = 0
        self.errors: list[RuleError] = []
        self.error_count = 0
        self.state: dict[Hashable, Any] = {}
        self.marks: Marks | None = None

    def record_error(self, exc: Exception, entry: Entry | None) -> None:
        self.error_count += 1
        if len(self.errors) < _MAX_ERRORS_KEPT:
            self.errors.append(
                RuleError(
                    code=self.rule.code,
                    entry_number=None if entry is None else entry.number,
                    exception_type=type(exc).__name__,
                    message=str(exc)[:500],
                )
            )


class AuditSettings(TypedDict, total=False):
    """The settings of an audit's rules, as :func:`run_rules` takes them (same defaults)."""

    samples: Sequence[JudgmentSample]
    policy: PolicyTable | None
    reference: Any
    options: Mapping[str, Mapping[str, Any]] | None
    fail_fast: bool
    cache_verdicts: bool


def run_rules(
    entries: Iterable[Entry],
    rules: Sequence[Rule],
    *,
    samples: Sequence[JudgmentSample] = (),
    policy: PolicyTable | None = None,
    reference: Any = None,
    options: Mapping[str, Mapping[str, Any]] | None = None,
    fail_fast: bool = False,
    progress: ProgressCallback | None = None,
    progress_every: int = 10_000,
    cache_verdicts: bool = True,
    jobs: int = 1,
    again: Callable[[set[str]], Iterable[Entry]] | None = None,
) -> AuditResult:
    """Run ``rules`` over ``entries`` in one pass.

    Args:
        entries: the population (any iterable; read once).
        rules: the rules to run.
        samples: samples of this population; their entries must all be in ``entries``.
            Findings about a sampled entry name the sample ids.
        policy: the dated policy table (default: :func:`~t86audit.policy.default_policy`).
        reference: the reference data rules may consult (``ctx.reference``; default: a
            :class:`~t86audit.refset.ReferenceSet` of the bundled tables).
        options: per-rule option overrides, ``{"VAL005": {"band_usd": "25"}}``.
        fail_fast: re-raise the first exception a rule raises (for rule authors).
        progress: called every ``progress_every`` entries and once at the end.
        progress_every: how often to call ``progress``.
        cache_verdicts: evaluate rules that declare their inputs (:attr:`Rule.reads`) once per
            distinct input; ``False`` calls every rule on every line and entry (same findings,
            slower: the test of the declarations compares the two).
        jobs: worker processes for a population held in memory (a sequence): each runs the
            line, entry and group-rule folds of one contiguous slice, and the group states are
            merged in population order before the groups are finished, so the result is the
            one ``jobs=1`` gives. Where processes cannot be forked, or the population is not
            a sequence, the pass runs in this process.
        again: gives the population's entries with the given entry number keys again (it
            may give more). Group rules whose groups of one entry yield nothing
            (:attr:`Rule.needs_two`) then keep a digest per group key in the pass and read
            the entries of the groups met twice again at the end. A sequence is read again by
            default; another iterable without ``again`` is folded in full.

    Raises:
        SampleError: a sample names an entry that is not in the population.
    """
    if again is None and isinstance(entries, Sequence):
        population = entries

        def again(_wanted: set[str]) -> Iterable[Entry]:
            return population

    audit = _Audit(
        rules,
        samples=samples,
        policy=policy,
        reference=reference,
        options=options,
        fail_fast=fail_fast,
        cache_verdicts=cache_verdicts,
        again=again,
    )
    if jobs > 1 and isinstance(entries, Sequence) and _can_fork() and mergeable(rules):
        partials = audit.parallel(entries, jobs, progress)
    else:
        partials = [audit.feed(entries, progress, progress_every)]
    return audit.finish(partials, progress)


class _Partial:
    """What one pass over part of a population leaves: what :meth:`_Audit.finish` merges.

    Attributes:
        findings: the findings of the line and entry rules.
        tallies: per rule code, ``(findings, errors kept, error count)``.
        states: per group rule code, its group states (key -> state).
        marks: per group rule folded at the end (:attr:`Rule.needs_two`), its digests.
        records: one record per entry, in population order.
        seen: the comparison keys of sampled entries met.
        count: entries read.
        notes: what the reading announced where no one could hear it (a Dask task's stream
            regrouped, a file read in another encoding), for the driver to say.
    """

    __slots__ = (
        "count",
        "findings",
        "index",
        "load",
        "marks",
        "notes",
        "orders",
        "records",
        "seen",
        "states",
        "tallies",
        "used",
    )

    def __init__(self) -> None:
        self.used: frozenset[str] = frozenset()
        self.load: Any = None
        self.index: Any = None
        self.notes: list[str] = []
        self.orders: list[int] | None = None
        self.findings: list[Finding] = []
        self.tallies: dict[str, tuple[int, list[RuleError], int]] = {}
        self.states: dict[str, dict[Hashable, Any]] = {}
        self.marks: dict[str, Marks] = {}
        self.records = RecordTable()
        self.seen: set[str] = set()
        self.count = 0


class _Audit:
    """One audit's rules, contexts and samples: passes over parts of a population, merged."""

    def __init__(
        self,
        rules: Sequence[Rule],
        *,
        again: Callable[[set[str]], Iterable[Entry]] | None = None,
        portable: bool = False,
        seeded: bool = False,
        fold_elsewhere: Callable[[frozenset[str], Mapping[str, set[int]]], Iterable[Refolds]]
        | None = None,
        **settings: Unpack[AuditSettings],
    ) -> None:
        # A TypedDict is not checked when the program runs: a misspelt setting would be
        # dropped without a word (and run_rules_in_parts passes its keywords on here).
        unknown = settings.keys() - AuditSettings.__optional_keys__
        if unknown:
            msg = f"unexpected keyword argument(s): {', '.join(sorted(unknown))}"
            raise TypeError(msg)
        samples = settings.get("samples", ())
        policy = settings.get("policy")
        reference = settings.get("reference")
        options = settings.get("options")
        fail_fast = settings.get("fail_fast", False)
        cache_verdicts = settings.get("cache_verdicts", True)
        self.started = time.perf_counter()
        # Where the population can be read again, group rules whose lone entries pass keep a
        # digest per group key in the pass; the groups met twice are folded at the end with
        # their entries read again (_second_look). Processes that do not share this one's
        # string-hash seed (Dask workers) need digests every process computes alike.
        self.again = again
        # Group keys are kept as 32-bit digests: two keys sharing one only make their entries be
        # read again. Variants are compared by their digests, so those keep 64 bits.
        # ``seeded``: processes that share a string-hash seed but not an address space (Dask
        # workers a nanny started): hash() where it depends on the values and the seed only.
        self.digest: Callable[[Hashable], int] = (
            _portable_32 if portable else _seeded_32 if seeded else _hash_32
        )
        self.variant_digest: Callable[[Hashable], int] = (
            _portable_variant if portable else _seeded_variant if seeded else hash
        )
        # Where the second look reads and folds (the wanted entries' keys and, per rule, the
        # digests needing a look -> the parts' folds, in population order); None: here, with
        # ``again``. The Dask adapter folds on the workers, where the pass's digests were made.
        self.fold_elsewhere = fold_elsewhere
        self.rules = rules
        self.samples = samples
        self.table = table = policy or default_policy()
        if reference is None:
            from t86audit.refset import ReferenceSet  # noqa: PLC0415

            reference = ReferenceSet()
        self.reference = reference
        self.overrides = overrides = dict(options or {})
        self.fail_fast = fail_fast
        self.cache_verdicts = cache_verdicts
        self.contexts: list[tuple[Rule, RuleContext]] = []
        self.results: dict[str, RuleResult] = {}
        for r in rules:
            unknown = set(overrides.get(r.code, {})) - set(r.options)
            if unknown:
                msg = f"{r.code} has no option(s) {sorted(unknown)}; it has {sorted(r.options)}"
                raise ValueError(msg)
            given = dict(overrides.get(r.code, {}))
            for name, value in given.items():
                _check_option(r.code, name, r.options[name], value)
            for other in r.shares_options:
                for name, value in overrides.get(other, {}).items():
                    if name in r.options and name not in given:
                        _check_option(r.code, name, r.options[name], value)
                        given[name] = value
            ctx = RuleContext({**r.options, **given}, table, reference)
            reason = r.applies(ctx) if r.applies is not None else None
            if reason:
                self.results[r.code] = RuleResult(rule=r, status="not_applicable", reason=reason)
            else:
                self.contexts.append((r, ctx))
        self.compact = {
            r.code
            for r, ctx in self.contexts
            if again is not None
            and r.scope == "group"
            and r.needs_two is not None
            and r.needs_two(ctx)
        }
        self.sample_ids: dict[str, tuple[str, ...]] = {}
        for sample in samples:
            for entry in sample.entries:
                key = entry.entry_number.key
                self.sample_ids[key] = (*self.sample_ids.get(key, ()), sample.id)

    def feed(  # noqa: PLR0915  (the one-pass loop stays in one frame: hot-path locals)
        self,
        entries: Iterable[Entry],
        progress: ProgressCallback | None = None,
        progress_every: int = 10_000,
    ) -> _Partial:
        """Run the line and entry rules on ``entries`` and fold them into the group states."""
        started = self.started
        table = self.table
        fail_fast = self.fail_fast
        sample_ids = self.sample_ids
        runs = [_RuleRun(r, ctx) for r, ctx in self.contexts]
        line_runs = [run for run in runs if run.rule.scope == "line"]
        entry_runs = [run for run in runs if run.rule.scope == "entry"]
        group_runs = [run for run in runs if run.rule.scope == "group"]
        compact = self.compact
        for run in group_runs:
            if run.rule.code in compact:
                variants = None if run.rule.variant is None else array("q")
                run.marks = (array(_U32), array(_U32), variants)
        digest = self.digest
        variant_digest = self.variant_digest
        # Rules that declare their inputs are evaluated once per distinct input, in bundles of
        # the rules that read the same inputs: one key and one look-up stand for all of them.
        # The gates of the rules gated by their arrival period, a bit each: every entry's
        # answers are one mask (_GateMasks), tested inline before a gated rule is called.
        gate_masks = _GateMasks.of_runs(runs)
        cache = self.cache_verdicts
        cached = {id(run) for run in runs if cache and run.rule.reads is not None}
        line_bundles = _bundles([run for run in line_runs if id(run) in cached], fail_fast)
        entry_bundles = _bundles([run for run in entry_runs if id(run) in cached], fail_fast)
        line_runs = [run for run in line_runs if id(run) not in cached]
        entry_runs = [run for run in entry_runs if id(run) not in cached]

        partial = _Partial()
        findings = partial.findings
        # One compact record per entry (not an object per fact): the report lists every entry.
        keep = partial.records.add_many
        seen_keys = partial.seen
        append = findings.append
        # The hot loop: each rule's check function and context bound once, hits stamped
        # inline. T86 rules judge Type 86 entries only; entries of other types (01, 11, ...)
        # run only the rules that judge their type, so each type has its own bound lists.
        checks_by_type: dict[str, tuple[list[Any], ...]] = {}

        def checks_for(entry_type: str) -> tuple[list[Any], ...]:
            found = checks_by_type.get(entry_type)
            if found is None:
                found = checks_by_type[entry_type] = (
                    [
                        (run, run.rule, run.check, run.ctx, run.gate_bit)
                        for run in entry_runs
                        if run.rule.judges(entry_type)
                    ],
                    [
                        (run, run.rule, run.check, run.ctx, run.gate_bit)
                        for run in line_runs
                        if run.rule.judges(entry_type)
                    ],
                    [
                        (run, run.keys, run.rule.fold, run.ctx, run.state, run.gate_bit)
                        for run in group_runs
                        if run.rule.judges(entry_type) and run.marks is None
                    ],
                    [b.only(entry_type) for b in entry_bundles if b.judges(entry_type)],
                    [b.only(entry_type) for b in line_bundles if b.judges(entry_type)],
                    [
                        (
                            run,
                            run.keys,
                            run.ctx,
                            *_appenders(run.marks),
                            run.rule.variant,
                            run.gate_bit,
                        )
                        for run in group_runs
                        if run.rule.judges(entry_type) and run.marks is not None
                    ],
                )
            return found

        t86_checks = checks_for(T86_TYPE)
        # Entries come in batches: the rules that declare their inputs are looked up a batch
        # at a time (keys made and looked up by C loops, see _Bundle.many), the other rules
        # entry by entry. Each rule still meets the entries in order. With fail_fast, one at a
        # time, so the first error raised is the first entry's.
        size = 1 if fail_fast else _BATCH_ENTRIES
        stream = iter(entries)
        count = 0
        with collection_paused() as paused:
            while batch := list(islice(stream, size)):
                kinds = [
                    t86_checks if code == T86_TYPE or not code else checks_for(code)
                    for code in [entry.type_code for entry in batch]
                ]
                keys = [entry.entry_number.key for entry in batch]
                if sample_ids:
                    seen_keys.update(keys)
                keep(batch, keys)
                # Runs of entries of one kind, in order: a rule that judges several types meets
                # the entries in population order, whether a type's copy of it is bundled or
                # called directly.
                for checks, some in _runs_of_kind(batch, kinds, t86_checks):
                    (
                        entry_checks,
                        line_checks,
                        group_folds,
                        entry_verdicts,
                        line_verdicts,
                        group_marks,
                    ) = checks
                    masks = None if gate_masks is None else gate_masks.of(some)
                    entry_masks: Iterable[int] = repeat(0) if masks is None else masks
                    for bundle in entry_verdicts:
                        bundle.many(some, None, append, table, sample_ids, masks=masks)
                    if line_verdicts:
                        owners = [entry for entry in some for _ in entry.lines]
                        lines = [line for entry in some for line in entry.lines]
                        line_masks = (
                            None
                            if masks is None
                            else [m for m, e in zip(masks, some, strict=True) for _ in e.lines]
                        )
                        for bundle in line_verdicts:
                            bundle.many(owners, lines, append, table, sample_ids, masks=line_masks)
                    for entry, mask in zip(some, entry_masks, strict=False):  # (repeat: no end)
                        count += 1
                        # A gated rule (gate bit set) is called only where its gate is open.
                        for run, rule, check, ctx, bit in entry_checks:
                            if bit and not (mask & bit):
                                continue
                            try:
                                for hit in check(entry, ctx):
                                    if run.after is not None and not run.after(entry, ctx):
                                        continue
                                    append(_stamp(rule, hit, table, sample_ids))
                                    run.findings += 1
                            except Exception as exc:
                                if fail_fast:
                                    raise
                                run.record_error(exc, entry)
                        if line_checks:
                            for line in entry.lines:
                                for run, rule, check, ctx, bit in line_checks:
                                    if bit and not (mask & bit):
                                        continue
                                    try:
                                        for hit in check(entry, line, ctx):
                                            if run.after is not None and not run.after(entry, ctx):
                                                continue
                                            append(_stamp(rule, hit, table, sample_ids))
                                            run.findings += 1
                                    except Exception as exc:
                                        if fail_fast:
                                            raise
                                        run.record_error(exc, entry)
                        for run, keys_of, fold, ctx, state, bit in group_folds:
                            if bit and not (mask & bit):
                                continue
                            try:
                                for group_key in keys_of(entry, ctx):
                                    state[group_key] = fold(state.get(group_key), entry, ctx)
                            except Exception as exc:
                                if fail_fast:
                                    raise
                                run.record_error(exc, entry)
                        # Lone entries of these rules' groups pass: a digest of each group key
                        # and the entry's position stand for the state until the end
                        # (_second_look).
                        for run, keys_of, ctx, mark, own, note, vary, bit in group_marks:
                            if bit and not (mask & bit):
                                continue
                            try:
                                for group_key in keys_of(entry, ctx):
                                    marked = digest(group_key)
                                    if vary is not None:
                                        given = vary(entry, group_key, ctx)
                                        note(_LOOK if given is None else variant_digest(given))
                                    mark(marked)
                                    own(count - 1)
                            except Exception as exc:
                                if fail_fast:
                                    raise
                                run.record_error(exc, entry)
                        if paused and count % _COLLECT_EVERY == 0:
                            gc.collect(0)
                        if progress is not None and count % progress_every == 0:
                            progress(count, time.perf_counter() - started)
                # Between batches (a rule runs in a bundle or directly for a whole batch).
                _unbundle(checks_by_type)
        checks_by_type.clear()
        partial.count = count
        partial.used = getattr(self.reference, "used", frozenset())
        for run in runs:
            partial.tallies[run.rule.code] = (run.findings, run.errors, run.error_count)
            if run.marks is not None:
                partial.marks[run.rule.code] = run.marks
                run.marks = None
            elif run.rule.scope == "group":
                partial.states[run.rule.code] = run.state
        return partial

    def parallel(
        self, entries: Sequence[Entry], jobs: int, progress: ProgressCallback | None
    ) -> list[_Partial]:
        """Feed contiguous slices of ``entries`` to ``jobs`` forked worker processes."""
        size = len(entries)
        jobs = max(1, min(jobs, size // _MIN_SLICE))
        if jobs == 1:
            return [self.feed(entries, progress)]
        return self.parallel_parts(lambda first, end: entries[first:end], size, jobs)

    def parallel_parts(
        self,
        make_part: Callable[[int, int], Iterable[Entry]],
        count: int,
        jobs: int,
    ) -> list[_Partial]:
        """Feed ``jobs`` forked workers each the part ``make_part(first, end)`` of a population.

        Each worker reads its part itself (a stream of the same files, say), so nothing of the
        population crosses between processes but the results. A part's ``result`` attribute,
        if it has one (a stream's load accounting), comes back with its partial.
        """
        bounds = [(count * i // jobs, count * (i + 1) // jobs) for i in range(jobs)]
        # A few entries first, here: the reference tables the rules read are loaded once,
        # before the fork, and shared by the workers instead of loaded by each.
        self.feed(make_part(0, min(count, _WARM_UP)))
        global _FORKED_PARTS  # noqa: PLW0603 - read by the forked workers, cleared after
        _FORKED_PARTS = (self, make_part)
        try:
            # The partials come back as millions of small objects: unpickling them with the
            # collector on rescans the growing heap again and again (as the pass itself would).
            with collection_paused():
                return _in_forked_processes(_feed_part, bounds)
        finally:
            _FORKED_PARTS = None

    def parallel_counting(
        self,
        make_part: Callable[[int, int], Any],
        counting: Callable[[], int | None],
        jobs: int,
    ) -> list[_Partial] | None:
        """:meth:`parallel_parts`, the first worker starting while ``counting()`` counts.

        Counting the population (a pass over the files) would otherwise hold every worker
        back; the first worker reads from the first entry meanwhile, and is then told where
        to stop (its part's :meth:`~t86audit.io.EntryStream.stop_at`): at an equal share of
        what is left after what it has read by then. The other workers split the rest.
        ``None`` (and no worker left running) when ``counting()`` gives ``None``: the
        population cannot be split.
        """
        self.feed(make_part(0, _WARM_UP))
        global _FORKED_PARTS  # noqa: PLW0603 - read by the forked workers, cleared after
        _FORKED_PARTS = (self, make_part)
        workers = _Workers()
        control, theirs = workers.context.Pipe()
        try:
            with collection_paused():
                workers.start(_feed_first_part, (theirs, jobs))
                theirs.close()
                count = counting()
                if count is None:
                    return None
                try:
                    control.send(count)
                    first = control.recv()  # where the first worker stops: the others start there
                except (EOFError, OSError):
                    return workers.results()  # it failed before it was told: its error is raised
                rest = max(0, count - first)
                others = max(1, jobs - 1)
                for i in range(others):
                    begin, end = first + rest * i // others, first + rest * (i + 1) // others
                    if end > begin:
                        workers.start(_feed_part, (begin, end))
                return workers.results()
        finally:
            control.close()
            workers.stop()
            _FORKED_PARTS = None

    def _second_look(
        self,
        runs: Sequence[_RuleRun],
        states: dict[str, dict[Hashable, Any]],
        marks: Mapping[str, _PartMarks],
        records: RecordTable,
    ) -> None:
        """Fold the groups the pass met twice or more, with their entries read again.

        The pass kept a digest of each group key of these rules (:attr:`Rule.needs_two`);
        the groups whose digest came up twice or more (and, with a :attr:`Rule.variant`,
        whose entries do not all give one variant) are the only ones that can yield a
        finding. Their entries are read again once for all such rules and folded with the
        rule's :attr:`Rule.fold` in population order, so each state is the one a full fold in
        the pass makes; every other group is left out. With :attr:`fold_elsewhere` the
        reading and folding are done where the parts of the population are (Dask workers,
        each its files: :meth:`fold_again`) and their states joined here in population order.
        """
        again = self.again
        if again is None or not marks:
            return
        looks: list[_Look] = []
        wanted: set[str] = set()
        for run in runs:
            parts = marks.get(run.rule.code)
            if parts is None:
                continue
            counts: Counter[int] = Counter()
            for _, (digests, _, _) in parts:
                counts.update(digests)
            needing = _needing(parts, counts)
            if not needing:
                continue
            # Only the counts of the groups looked at are kept: a count of every digest is a
            # dictionary as large as the population (some 100 bytes a digest), made for one
            # rule at a time.
            counts = Counter({d: counts[d] for d in needing})
            # The owners of the groups needing a look, picked in C from each part's marks: a
            # few thousand of the population's, whose keys alone are made.
            is_needed = needing.__contains__
            for offset, (digests, owners, _) in parts:
                if len(owners) != len(digests):
                    msg = f"{run.rule.code}: {len(digests)} digests but {len(owners)} positions"
                    raise RuntimeError(msg)
                picked = compress(owners, map(is_needed, digests))
                wanted.update(map(records.key, map(offset.__add__, picked) if offset else picked))
            looks.append((run, needing, counts, {}, Counter()))
        if not looks:
            return
        marks_of: dict[Hashable, int] = {}
        if self.fold_elsewhere is None:
            self._fold_looks(again(wanted), wanted, looks, marks_of)
        else:
            by_code = {look[0].rule.code: look for look in looks}
            for part in self.fold_elsewhere(
                frozenset(wanted), {code: look[1] for code, look in by_code.items()}
            ):
                _join_refolds(by_code, part, marks_of)
        for run, needing, counts, refolded, folded in looks:
            self._settle(run, needing, counts, refolded, folded, marks_of=marks_of)
            states[run.rule.code] = refolded

    def fold_again(
        self, entries: Iterable[Entry], wanted: frozenset[str], needing: Mapping[str, set[int]]
    ) -> Refolds:
        """The second look's folds over some of the entries read again (a Dask task's files).

        ``needing``: per rule code, the digests of the groups to fold (the driver's second
        look found them among every part's marks). The states, entry counts and errors come
        back per rule, for the driver to join in population order (:func:`_join_refolds`).
        """
        looks: list[_Look] = [
            (_RuleRun(r, ctx), needing[r.code], Counter(), {}, Counter())
            for r, ctx in self.contexts
            if r.code in needing
        ]
        marks_of: dict[Hashable, int] = {}
        self._fold_looks(entries, wanted, looks, marks_of)
        return Refolds(
            states={
                run.rule.code: (refolded, folded, run.errors, run.error_count)
                for run, _, _, refolded, folded in looks
            },
            marks_of=marks_of,
        )

    def _fold_looks(
        self,
        entries: Iterable[Entry],
        wanted: Set[str],
        looks: Sequence[_Look],
        marks_of: dict[Hashable, int],
    ) -> None:
        """Fold the wanted ``entries`` into the groups of ``looks`` that need them."""
        # Every entry given is folded, copies too: an entry filed twice (a file given twice)
        # is two members of its groups, as in the pass. ``again`` gives each entry once.
        digest = self.digest
        for entry in entries:
            if entry.entry_number.key not in wanted:
                continue
            for run, needing, _, refolded, folded in looks:
                rule, ctx = run.rule, run.ctx
                if not rule.judges(entry.type_code or T86_TYPE):
                    continue
                for group_key in _keys_read_again(rule, entry, ctx):
                    mark = digest(group_key)
                    if mark not in needing:
                        continue
                    # Counted even if the fold fails: the group is then finished without the
                    # entry, as a full fold in the pass would finish it.
                    folded[group_key] += 1
                    marks_of[group_key] = mark
                    try:
                        refolded[group_key] = rule.fold(refolded.get(group_key), entry, ctx)
                    except Exception as exc:
                        if self.fail_fast:
                            raise
                        run.record_error(exc, entry)

    def _settle(
        self,
        run: _RuleRun,
        needing: set[int],
        counts: Counter[int],
        refolded: dict[Hashable, Any],
        folded: Counter[Hashable],
        *,
        marks_of: Mapping[Hashable, int],
    ) -> None:
        """Drop the groups read again with other entries than the pass met, as rule errors."""
        read = Counter[int]()
        names: dict[int, Hashable] = {}
        for group_key, n in folded.items():
            mark = marks_of[group_key]
            read[mark] += n
            names.setdefault(mark, group_key)
        for mark in sorted(d for d in needing if read[d] != counts[d]):
            # The entries read again are not the ones the pass met (a file changed in
            # between): say so rather than judge a group by part of its members.
            changed = RuntimeError(
                f"group {names.get(mark, '(not found)')!r}: {counts[mark]} entries in the "
                f"pass but {read[mark]} read again; were the input files changed?"
            )
            if self.fail_fast:
                raise changed
            run.record_error(changed, None)
            for group_key in [k for k in refolded if marks_of[k] == mark]:
                del refolded[group_key]

    def finish(
        self,
        partials: Iterable[_Partial],
        progress: ProgressCallback | None,
        *,
        ordered: bool = False,
    ) -> AuditResult:
        """Merge the passes' findings, tallies and group states; finish the groups.

        ``partials`` in population order; each is merged as it comes (a Dask task's partial
        as soon as it and those before it are in). Automatic garbage collection is paused
        meanwhile (young objects are still collected by the pass's schedule): merging and
        finishing allocate millions of objects and keep most of them.
        """
        with collection_paused():
            return self._finish(partials, progress, ordered=ordered)

    def _finish(  # noqa: PLR0915  (merging, finishing and stamping in one place)
        self,
        partials: Iterable[_Partial],
        progress: ProgressCallback | None,
        *,
        ordered: bool,
    ) -> AuditResult:
        table = self.table
        sample_ids = self.sample_ids
        fail_fast = self.fail_fast
        findings: list[Finding] = []
        entries = RecordTable()
        records: Sequence[EntryRecord] = entries
        seen_keys: set[str] = set()
        count = 0
        tallies: dict[str, tuple[int, list[RuleError], int]] = {}
        states: dict[str, dict[Hashable, Any]] = {}
        marks: dict[str, _PartMarks] = {}
        mark_used = getattr(self.reference, "mark_used", None)
        orders: list[Any] = []
        for partial in partials:
            if ordered:
                orders.extend(partial.orders or ())
            if mark_used is not None:
                # Tables a worker process read belong in this audit's trail too.
                mark_used(partial.used)
            findings.extend(partial.findings)
            _keep_marks(marks, partial.marks, len(entries))
            entries.extend(partial.records)
            seen_keys |= partial.seen
            count += partial.count
            for code, (found, errors, error_count) in partial.tallies.items():
                held = tallies.get(code)
                if held is None:
                    tallies[code] = (found, list(errors), error_count)
                else:
                    kept = (held[1] + errors)[:_MAX_ERRORS_KEPT]
                    tallies[code] = (held[0] + found, kept, held[2] + error_count)
            for code, rule_states in partial.states.items():
                merged = states.get(code)
                if merged is None:
                    states[code] = rule_states
                    continue
                for group_key, state in rule_states.items():
                    before = merged.get(group_key)
                    merged[group_key] = state if before is None else _merge(before, state)
        if ordered:
            # Parts that are not slices of the population (a shuffled DataFrame's partitions):
            # records go back to population order by the first row of each entry, and so do the
            # records in each group state.
            ranked = sorted(zip(orders, records, strict=True), key=lambda pair: pair[0])
            records = [record for _, record in ranked]
            for rule_states in states.values():
                for state in rule_states.values():
                    if isinstance(state, list):
                        state.sort(key=_first_row)
        append = findings.append
        runs: list[_RuleRun] = []
        for r, ctx in self.contexts:
            run = _RuleRun(r, ctx)
            run.findings, run.errors, run.error_count = tallies.get(r.code, (0, [], 0))
            runs.append(run)
        if ordered and marks:
            msg = "parts out of population order cannot be folded at the end"
            raise AssertionError(msg)
        self._second_look(runs, states, marks, entries)
        # The entry numbers several records carry, from every part's records: a group rule
        # asks whether an entry of its group has records in other groups. Of the entry types
        # the rule judges (blank as Type 86), as its groups are; worked out once per set of
        # types on the first ask (most audits' groups never ask), let go after the groups.
        repeats: dict[frozenset[str] | None, Callable[[], Mapping[str, int]]] = {}
        finishing = [run for run in runs if run.rule.scope == "group"]
        for run in finishing:
            r = run.rule
            if r.entry_types not in repeats:
                judged = functools.partial(_judges_type, r)
                repeated = functools.partial(entries.repeats, judged)
                repeats[r.entry_types] = functools.cache(repeated)
            run.ctx.finishing(repeats[r.entry_types])
        try:
            for run in runs:
                r, ctx = run.rule, run.ctx
                if r.scope != "group":
                    continue
                rule_states = states.pop(r.code, {})
                for group_key, state in rule_states.items():
                    try:
                        for hit in r.check(group_key, state, ctx):
                            append(_stamp(r, hit, table, sample_ids))
                            run.findings += 1
                    except Exception as exc:
                        if fail_fast:
                            raise
                        run.record_error(exc, None)
                rule_states.clear()
        finally:
            for run in finishing:
                run.ctx.finishing(None)

        missing = [key for key in sample_ids if key not in seen_keys]
        if missing:
            msg = (
                f"{len(missing)} sampled entry number(s) are not in the audited population: "
                f"{', '.join(sorted(missing))}"
            )
            raise SampleError(msg)

        results = dict(self.results)
        for run in runs:
            status: RuleStatus
            if run.error_count:
                status = "error"
            elif run.findings:
                status = "failed"
            else:
                status = "passed"
            results[run.rule.code] = RuleResult(
                rule=run.rule,
                status=status,
                findings=run.findings,
                errors=tuple(run.errors),
                error_count=run.error_count,
            )

        if progress is not None:
            progress(count, time.perf_counter() - self.started)

        findings.sort(key=Finding.sort_key)
        counts: dict[str, list[int]] = {}
        for finding in findings:
            slot = counts.setdefault(entry_number_key(finding.entry_number), [0, 0, 0])
            slot[3 - finding.severity.rank] += 1
        rules = self.rules
        overrides = self.overrides
        return AuditResult(
            findings=tuple(findings),
            rule_results=tuple(results[r.code] for r in sorted(rules, key=lambda r: r.code)),
            entries=EntrySummaries(records, counts, sample_ids),
            samples=tuple(self.samples),
            policy_version=table.version,
            options={r.code: dict(overrides[r.code]) for r in rules if r.code in overrides},
            seconds=time.perf_counter() - self.started,
        )


_WARM_UP = 200
"""Entries the parent audits (and discards) before forking, so tables load once."""

_MIN_SLICE = 2_000
"""Fewest entries worth a worker process of their own (forking and merging cost the rest)."""

_FORKED_PARTS: tuple[_Audit, Callable[[int, int], Iterable[Entry]]] | None = None
"""The audit and the part maker the forked workers read (set only while workers run)."""


def _feed_part(bounds: tuple[int, int]) -> _Partial:
    """A worker's pass over the part of the population it reads itself (a forked process)."""
    assert _FORKED_PARTS is not None
    audit, make_part = _FORKED_PARTS
    part = make_part(*bounds)
    return _handed_over(audit.feed(part), part)


def _handed_over(partial: _Partial, part: object) -> _Partial:
    """``partial`` with what its part read offers besides: load accounting, line index."""
    partial.load = getattr(part, "result", None)
    partial.index = getattr(part, "line_index", None)
    return partial


_TOLD_EVERY = 64
"""Entries between the first worker's looks for where to stop (parallel_counting)."""

_OPEN_END = 2**62
"""The end of the first worker's part until it is told where to stop."""


def _feed_first_part(setting: tuple[Any, int]) -> _Partial:
    """The first worker of :meth:`_Audit.parallel_counting`: read on until told where to stop."""
    assert _FORKED_PARTS is not None
    control, jobs = setting
    audit, make_part = _FORKED_PARTS
    part: Any = make_part(0, _OPEN_END)  # a part that can be told where to stop

    def told() -> Iterator[Entry]:
        waiting = True
        for read, entry in enumerate(part, 1):
            yield entry
            if waiting and read % _TOLD_EVERY == 0 and control.poll():
                waiting = False
                count = control.recv()
                begun = part.begun
                control.send(part.stop_at(begun + max(0, count - begun) // jobs))
        if waiting:  # the whole population was read before it was counted
            control.recv()
            control.send(part.stop_at(part.begun))

    return _handed_over(audit.feed(told()), part)


def run_rules_in_parts(
    make_part: Callable[[int, int], Iterable[Entry]],
    count: int | Callable[[], int | None],
    rules: Sequence[Rule],
    *,
    jobs: int,
    progress: ProgressCallback | None = None,
    again: Callable[[set[str]], Iterable[Entry]] | None = None,
    indexed: Callable[[list[Any]], None] | None = None,
    **settings: Unpack[AuditSettings],
) -> tuple[AuditResult, list[Any]] | None:
    """:func:`run_rules` over a population ``jobs`` processes each read a part of.

    ``settings`` are :func:`run_rules`'s keywords of the same names (:class:`AuditSettings`).

    ``make_part(first, end)`` gives the entries ``first`` to ``end - 1`` of the population of
    ``count`` entries (see :meth:`t86audit.io.EntryStream.part`). Returns the result, the
    same as one process reading everything gives, and the parts' ``result`` attributes (their
    load accounting), in population order. ``again`` is :func:`run_rules`'s; ``indexed``, if
    given, gets the parts' ``line_index`` attributes (where their entries are in the files),
    in population order, before ``again`` is called.

    ``count`` may be a function counting the population (``None``: it cannot be split, and
    nothing is audited: ``None`` is returned); the first worker then starts meanwhile, its
    part a stream that can be told where to stop (see :meth:`_Audit.parallel_counting`).

    Raises:
        SampleError: a sample names an entry that is not in the population.
    """
    audit = _Audit(rules, again=again, **settings)
    if callable(count):
        found = audit.parallel_counting(make_part, count, max(2, jobs))
        if found is None:
            return None
        partials = found
    else:
        partials = audit.parallel_parts(make_part, count, max(1, jobs))
    loads = [partial.load for partial in partials]
    if indexed is not None:
        indexed([partial.index for partial in partials])
    return audit.finish(partials, progress), loads


def _can_fork() -> bool:
    """Whether worker processes can be forked safely here.

    Linux only: on macOS a forked process that touches system frameworks may crash, and
    Windows cannot fork; there the audit runs in one process.
    """
    import multiprocessing  # noqa: PLC0415

    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def _in_forked_processes(
    work: Callable[[tuple[int, int]], _Partial], bounds: Sequence[tuple[int, int]]
) -> list[_Partial]:
    """``work(b)`` for each ``b`` of ``bounds``, each in a forked process of its own, in order.

    A worker sends its result (or the exception it raised) through a pipe and exits at once,
    so its memory is given back as soon as the parent has its result, while the others may
    still be working: the peak is near one copy of the results, not a copy in the workers and
    another in the parent. A worker that dies (killed for memory, say) closes its pipe, which
    ends the wait with an error instead of leaving the audit waiting forever.
    """
    workers = _Workers()
    try:
        for part in bounds:
            workers.start(work, part)
        return workers.results()
    finally:
        workers.stop()


class _Workers:
    """Forked worker processes, each sending back one result (see _in_forked_processes)."""

    def __init__(self) -> None:
        import multiprocessing  # noqa: PLC0415

        self.context = multiprocessing.get_context("fork")
        self.readers: dict[object, int] = {}
        self.processes: list[Any] = []

    def start(self, work: Callable[[Any], _Partial], part: Any) -> None:
        """Fork a worker doing ``work(part)``; its result comes in start order."""
        reader, writer = self.context.Pipe(duplex=False)
        process = self.context.Process(target=_send_result, args=(work, part, writer), daemon=True)
        process.start()
        writer.close()  # the parent's copy: the pipe ends when the worker's copy closes
        self.readers[reader] = len(self.processes)
        self.processes.append(process)

    def results(self) -> list[_Partial]:
        """Every worker's result, in start order (a worker's exception is raised here)."""
        import multiprocessing.connection  # noqa: PLC0415

        readers = self.readers
        processes = self.processes
        results: dict[int, _Partial] = {}
        while readers:
            ready: list[Any] = multiprocessing.connection.wait(list(readers))  # type: ignore[arg-type]
            for reader in ready:
                index = readers.pop(reader)
                try:
                    ok, value = reader.recv()
                except EOFError:
                    processes[index].join()
                    msg = (
                        f"worker process {index + 1} of {len(processes)} ended (exit code "
                        f"{processes[index].exitcode}) before sending its part of the audit, "
                        "perhaps killed for lack of memory; run it again with jobs=1"
                    )
                    raise RuntimeError(msg) from None
                finally:
                    reader.close()
                if not ok:
                    raise value
                results[index] = value
        return [results[index] for index in range(len(processes))]

    def stop(self) -> None:
        """End every worker still running (after an error), and wait for all."""
        for process in self.processes:
            if process.is_alive():
                process.terminate()
            process.join()


def _send_result(work: Callable[[Any], _Partial], part: Any, writer: Any) -> None:
    """A forked worker: do ``work(part)``, send the result or the exception, and exit."""
    try:
        result: tuple[bool, Any] = (True, work(part))
    except BaseException as exc:  # every failure goes back to the caller
        result = (False, exc)
    try:
        writer.send(result)
    except Exception as exc:  # an exception that cannot be sent, say
        writer.send((False, RuntimeError(f"{type(exc).__name__}: {exc}")))
    writer.close()
    # No clean-up of the worker's objects: the process ends here, and its memory with it.
    os._exit(0)


def mergeable(rules: Sequence[Rule]) -> bool:
    """Whether every group rule keeps states that slices of the population can join.

    The built-in folds, :func:`~t86audit.rules.collect`, :func:`~t86audit.rules.collect_records`
    and the default fold keep records bare or in a list; a rule pack's own fold may keep a
    running total or a set, which joined slices would get wrong, so such an audit runs in one
    process.
    """
    from t86audit.rules._base import _append, _RecordFold, collect  # noqa: PLC0415

    for rule in rules:
        if rule.scope != "group":
            continue
        fold = rule.fold
        known = (
            fold is collect
            or fold is _append
            or isinstance(fold, _RecordFold)
            or getattr(fold, "__module__", "").startswith("t86audit.rules.")
        )
        if not known:
            return False
    return True


Marks = tuple["array[int]", "array[int]", "array[int] | None"]
"""What the pass keeps of a group rule folded at the end: per group key met, its digest and
the position of its entry among the part's records (32 bits each), and the digest of its
variant (64 bits; ``None`` for a rule without :attr:`Rule.variant`)."""

_LOOK = -(2**63)

_ARRIVAL = operator.attrgetter("arrival_date")
"""The variant digest of an entry whose group must be looked at whatever the others give."""


def _appenders(
    marks: Marks | None,
) -> tuple[Callable[[int], None], Callable[[int], None], Callable[[int], None] | None]:
    assert marks is not None
    digests, owners, variants = marks
    return digests.append, owners.append, None if variants is None else variants.append


_Look = tuple[_RuleRun, set[int], "Counter[int]", dict[Hashable, Any], "Counter[Hashable]"]
"""A rule's second look: its run, the digests needing it, the pass's count of each, and the
states and entry counts of the groups folded again."""


@attrs.frozen
class Refolds:
    """A part's second-look folds (:meth:`_Audit.fold_again`), for the driver to join.

    ``states``: per rule code, the groups' states, how many entries each folded, and the
    rule's errors (the first few, and their count); ``marks_of``: each group key's digest.
    """

    states: Mapping[str, tuple[dict[Hashable, Any], Counter[Hashable], list[RuleError], int]]
    marks_of: Mapping[Hashable, int]


def _join_refolds(
    looks: Mapping[str, _Look], part: Refolds, marks_of: dict[Hashable, int]
) -> None:
    """Join a part's folds to the looks' folds, the parts given in population order.

    The states join as one fold would have met their entries (:func:`_merge`), the entry
    counts add up, and the part's errors come after those before.
    """
    marks_of.update(part.marks_of)
    for code, (refolded_part, folded_part, errors, error_count) in part.states.items():
        run, _, _, refolded, folded = looks[code]
        for group_key, state in refolded_part.items():
            before = refolded.get(group_key)
            refolded[group_key] = state if before is None else _merge(before, state)
        folded.update(folded_part)
        run.errors.extend(errors[: max(0, _MAX_ERRORS_KEPT - len(run.errors))])
        run.error_count += error_count


_PartMarks = list[tuple[int, Marks]]
"""A group rule's marks over the parts merged so far: each part's marks with the records
before it (its positions are the part's own)."""


def _needing(parts: Sequence[tuple[int, Marks]], counts: Counter[int]) -> set[int]:
    """The digests of the groups that can yield a finding: met twice, their variants differing."""
    twice = set(compress(counts.keys(), map((1).__lt__, counts.values())))
    if not twice or any(variants is None for _, (_, _, variants) in parts):
        return twice
    given: dict[int, int] = {}
    found: set[int] = set()
    met_twice = twice.__contains__
    for _, (digests, _, variants) in parts:
        # Only the marks of groups met twice come back to Python (picked in C).
        pairs = zip(digests, variants or (), strict=True)
        for d, v in compress(pairs, map(met_twice, digests)):
            if v == _LOOK or given.setdefault(d, v) != v:
                found.add(d)
    return found


def _keep_marks(marks: dict[str, _PartMarks], part: Mapping[str, Marks], offset: int) -> None:
    """Keep a part's marks in ``marks``, with the ``offset`` records before it.

    The parts' arrays are not joined: the second look counts the digests part by part, and
    a part's positions stay its own, moved past the records before it only for the few
    groups read again. (Counting as the parts come would keep a count of every digest of
    every rule at once, as large as the population several times over.)
    """
    for code, found in part.items():
        marks.setdefault(code, []).append((offset, found))


def _judges_type(rule: Rule, type_code: str) -> bool:
    """Whether ``rule`` judges entries of ``type_code`` (blank or unreadable: Type 86)."""
    return rule.judges(type_code or T86_TYPE)


def _keys_read_again(rule: Rule, entry: Entry, ctx: RuleContext) -> list[Hashable]:
    """The entry's group keys, up to any error (the pass met it and counted it already)."""
    found: list[Hashable] = []
    with contextlib.suppress(Exception):  # counted in the pass, where it was raised first
        found.extend(rule.keys(entry, ctx))
    return found


_U32 = "I" if array("I").itemsize == 4 else "L"
"""The array type of the digests and positions the pass keeps: unsigned, 32 bits at least."""

_MASK_32 = 0xFFFFFFFF


def _hash_32(key: Hashable) -> int:
    """32 bits of ``hash(key)``: a group key's digest in this process and its forked workers."""
    return hash(key) & _MASK_32


_SEEDED = frozenset({str, int, bool, float, dt.date, dt.datetime})
"""Types whose ``hash`` depends on the value and the string-hash seed only (``None``'s, and
an object's default one, are its address: not the same in two processes)."""


def _hashes_alike(value: Hashable) -> bool:
    """Whether ``hash(value)`` is the same in every process of one string-hash seed.

    So it is for a text, number or date, or a flat tuple of them (the built-in rules' keys).
    """
    kind = type(value)
    return kind in _SEEDED or (kind is tuple and _SEEDED.issuperset(map(type, value)))  # type: ignore[call-overload]


def _seeded_32(key: Hashable) -> int:
    """A group key's digest in processes that share one string-hash seed (Dask's workers).

    ``hash`` where :func:`_hashes_alike`; :func:`_portable_32` for anything else, so a key
    holding ``None`` or an object gets the same digest in every process.
    """
    return hash(key) & _MASK_32 if _hashes_alike(key) else _portable_32(key)


def _seeded_variant(value: Hashable) -> int:
    """A variant's digest in processes sharing a string-hash seed (see :func:`_seeded_32`)."""
    return hash(value) if _hashes_alike(value) else _portable_variant(value)


def _portable_32(key: Hashable) -> int:
    """A group key's 32-bit digest in any process (see :func:`_portable_digest`).

    The built-in rules' keys are texts and tuples of texts and dates: those are one CRC-32 of
    their parts joined (a date as its ISO text), about a third of the general digest's cost.
    Keys that share a digest only make their entries be read again, so two keys whose joined
    texts coincide (a text part holding the separator) cost time, never a finding.
    """
    kind = type(key)
    if kind is str:
        return zlib.crc32(str(key).encode("utf-8", "surrogatepass"))
    if kind is tuple:
        texts: list[str] = []
        for part in key:  # type: ignore[attr-defined]
            of = type(part)
            if of is str:
                texts.append(part)
            elif of is dt.date:
                # A population has a few hundred arrival days: each day's text is made once.
                day = _DAY_TEXTS.get(part)
                if day is None:
                    if len(_DAY_TEXTS) >= _DAY_TEXTS_LIMIT:
                        _DAY_TEXTS.clear()
                    day = _DAY_TEXTS[part] = part.isoformat()
                texts.append(day)
            else:
                return _portable_digest(key) & _MASK_32
        return zlib.crc32(_PART_SEPARATOR.join(texts).encode("utf-8", "surrogatepass"))
    return _portable_digest(key) & _MASK_32


_DAY_TEXTS: dict[dt.date, str] = {}
"""ISO texts of the days :func:`_portable_32` has met (bounded by :data:`_DAY_TEXTS_LIMIT`)."""

_DAY_TEXTS_LIMIT = 100_000


_PART_SEPARATOR = "\x1f"
"""Between the texts of a tuple key's parts in :func:`_portable_32` (the unit separator)."""


def _portable_variant(value: Hashable) -> int:
    """64 bits of BLAKE2b of a variant: its text, or its ``repr``; the same in any process.

    Variants are compared by digest, so two that shared one would hide a difference: unlike
    a group key's digest, a variant's must not be narrow (CRC-32 is).
    """
    text = value if isinstance(value, str) else repr(value)
    data = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(data, "little", signed=True)


def _portable_digest(key: Hashable) -> int:
    """A digest of a group key that every process computes alike.

    ``hash`` of a text differs between processes that do not share a hash seed (Dask's
    workers and driver); the CRC-32 and length of a text, the day number of a date and
    ``hash`` of integers and tuples of them do not. Two keys with one digest only make
    their entries be read again: the groups are then made with the keys themselves.
    """
    if type(key) is tuple:
        return hash(tuple(map(_portable_part, key)))
    return hash(_portable_part(key))


def _portable_part(value: object) -> object:
    kind = type(value)
    if kind is str:
        data = str(value).encode("utf-8", "surrogatepass")
        return (zlib.crc32(data), len(data))
    if kind is dt.date:
        return value.toordinal()  # type: ignore[attr-defined]
    if kind is int or kind is bool:
        return value
    if kind is tuple:
        return tuple(map(_portable_part, value))  # type: ignore[call-overload]
    if value is None:
        return -1  # hash(None) is the object's address: not the same in every process
    data = repr(value).encode("utf-8", "surrogatepass")
    return (zlib.crc32(data), len(data), 0)


def _first_row(item: Any) -> int:
    """The first input row of a group-state record: its entry reference's, or its entry's."""
    ref = getattr(item, "ref", item)
    rows = getattr(ref, "source_rows", ())
    return rows[0] if rows else 0


def _merge(before: Any, after: Any) -> Any:
    """Two group states of one key, the earlier slice's first (records kept bare or listed).

    The built-in folds and :func:`~t86audit.rules.collect_records` keep a lone record bare and
    two or more in a list, in the order folded, so the states of two slices join as lists.
    """
    first = before if isinstance(before, list) else [before]
    first.extend(after if isinstance(after, list) else (after,))
    return first


def _check_option(code: str, name: str, default: Any, value: Any) -> None:
    """Reject an option value the rule could not use, before the pass starts.

    A rule reads its options as it runs; a value of the wrong kind would otherwise fail on
    every entry and show up as a rule ``error`` in the report instead of as a usage error. The
    default's type says what the rule expects: a whole number, an amount, a list (of strings,
    or one string the rule splits) or a mapping. Values are checked, never converted: the rule
    receives what was given.

    Raises:
        ValueError: the value is not of the kind the default is.
    """
    kind: str | None = None
    text = str(value).strip()
    if isinstance(default, bool):
        if not isinstance(value, bool) and text.lower() not in {"true", "false", "yes", "no"}:
            kind = "true or false"
    elif isinstance(default, int):
        if isinstance(value, bool) or not (
            isinstance(value, int) or re.fullmatch(r"[+-]?[0-9]+", text)
        ):
            kind = "a whole number"
    elif isinstance(default, Decimal | float):
        try:
            ok = not isinstance(value, bool) and Decimal(text).is_finite()
        except ArithmeticError:
            ok = False
        if not ok:
            kind = "a number"
    elif isinstance(default, Mapping):
        if not isinstance(value, Mapping):
            kind = "a mapping"
    elif isinstance(default, tuple | list | frozenset | set) and not isinstance(
        value, str | tuple | list | frozenset | set
    ):
        kind = "a list (or one comma-separated string)"
    if kind is not None:
        msg = f"option {code}.{name} must be {kind}; got {value!r} (the default is {default!r})"
        raise ValueError(msg)


_COLLECT_EVERY = 10_000
"""How often (in entries) the pass collects young objects while automatic collection is off."""


@contextlib.contextmanager
def collection_paused() -> Iterator[bool]:
    """Pause automatic garbage collection while the block runs; back on when it ends.

    For work that allocates millions of objects, keeps many of them and makes no reference
    cycles worth collecting: the pass, merging and finishing (group states, records), the
    report's assembly and writing. Automatic collection would rescan the growing old
    generation again and again (about a quarter of a large audit's time in the pass). The pass
    collects the young generation by hand every :data:`_COLLECT_EVERY` entries (when this
    yields ``True``), which still frees any cycle among recent objects. If the caller had
    turned collection off, it stays off and this yields ``False``.
    """
    if not gc.isenabled():
        yield False
        return
    gc.disable()
    try:
        yield True
    finally:
        gc.enable()


def _stamp(
    rule: Rule, hit: Hit, table: PolicyTable, sample_ids: Mapping[str, tuple[str, ...]]
) -> Finding:
    entry = hit.entry
    day = hit.judged_on or entry.arrival_date
    # Only what was law (or said) by the entry's date, later guidance marked as such; a
    # violation left with no binding source in force then is a warning (findings.dated_basis).
    severity, basis, citations = dated_basis(rule.severity, rule.basis, rule.citations, day)
    if hit.presumed and severity is Severity.VIOLATION:
        severity = Severity.WARNING  # the rule's facts are presumed (findings.Hit.presumed)
    return Finding(
        code=rule.code,
        name=rule.name,
        severity=severity,
        citations=citations,
        entry_number=entry.number,
        message=hit.message,
        field=hit.field,
        observed=hit.observed,
        expected=hit.expected,
        line_number=hit.line,
        related_entries=tuple(n for n in hit.related if n != entry.number),
        policy_period=table.at(day).id,
        samples=sample_ids.get(entry.entry_number.key, ()),
        source=entry.source,
        source_rows=entry.source_rows,
        basis=basis,
    )


def count_by_severity(findings: Iterable[Finding]) -> dict[Severity, int]:
    """How many findings of each severity (every severity present, zero included)."""
    out = dict.fromkeys(Severity, 0)
    for finding in findings:
        out[finding.severity] += 1
    return out


_CACHE_LIMIT = 200_000
"""Distinct inputs a bundle remembers; past it the cache starts again (memory stays bounded
when the inputs hardly repeat, e.g. free-text descriptions of a huge population)."""

_Verdict = tuple["_RuleRun", tuple[Hit, ...], Exception | None]

_TRIAL = 8_192
"""Look-ups after which a bundle judges whether its cache pays."""

_MISS_RATE = 0.9
"""Share of misses over the trial above which a bundle evaluates directly."""


def _emit_verdicts(
    verdicts: tuple[_Verdict, ...],
    entry: Entry,
    append: Callable[[Finding], None],
    table: PolicyTable,
    sample_ids: Mapping[str, tuple[str, ...]],
) -> None:
    """Stamp a bundle's remembered hits onto ``entry`` and count its rules' errors."""
    for run, hits, exc in verdicts:
        if hits and (run.after is None or run.after(entry, run.ctx)):
            # (run.after: a late T86 sent when the requirement was no longer law, dropped)
            for hit in hits:
                append(_stamp(run.rule, _moved(hit, entry), table, sample_ids))
                run.findings += 1
        if exc is not None:
            run.record_error(exc, entry)


_BATCH_ENTRIES = 256
"""Entries the pass takes at a time: the bundles' look-ups run a batch at a time, and bundles
that stopped caching are moved to the rules called directly between batches (:func:`_unbundle`).
"""

_MISS: Any = object()
"""What a bundle's cache gives for an input it has not met (a truthy stand-in: see many)."""


def _runs_of_kind(
    batch: list[Entry], kinds: list[tuple[list[Any], ...]], usual: tuple[list[Any], ...]
) -> Iterable[tuple[tuple[list[Any], ...], list[Entry]]]:
    """The batch as runs of adjacent entries judged by the same rules (``kinds[i]``), in order.

    A batch of Type 86 entries (``usual``) is one run; another type among them starts a run.
    """
    if all(kind is usual for kind in kinds):
        return ((usual, batch),)
    runs: list[tuple[tuple[list[Any], ...], list[Entry]]] = []
    for entry, kind in zip(batch, kinds, strict=True):
        if runs and runs[-1][0] is kind:
            runs[-1][1].append(entry)
        else:
            runs.append((kind, [entry]))
    return runs


def _unbundle(checks_by_type: Mapping[str, tuple[list[Any], ...]]) -> None:
    """Move the rules of bundles that stopped caching to the lists of rules called directly.

    A bundle whose inputs hardly repeat evaluates its rules on every call; called from the
    loop like the rules that declare nothing, they skip the bundle's call and its tuple of
    verdicts. Findings are sorted at the end, so the order they are made in does not matter.
    """
    for entry_checks, line_checks, _, entry_verdicts, line_verdicts, _ in checks_by_type.values():
        for bundles, checks in ((entry_verdicts, entry_checks), (line_verdicts, line_checks)):
            for bundle in [b for b in bundles if b.direct]:
                bundles.remove(bundle)
                checks.extend(
                    (run, run.rule, run.check, run.ctx, run.gate_bit) for run in bundle.runs
                )


def _moved(hit: Hit, entry: Entry) -> Hit:
    """A remembered hit, about ``entry`` (the one it was first made for had the same inputs)."""
    return hit if hit.entry is entry else attrs.evolve(hit, entry=entry)


class _Bundle:
    """Rules of one scope that read the same inputs, evaluated once per distinct input."""

    __slots__ = (
        "cache",
        "direct",
        "entry_get",
        "every_day",
        "fail_fast",
        "gate_bits",
        "judged",
        "line_get",
        "lookups",
        "misses",
        "period",
        "period_ids",
        "runs",
    )

    def __init__(self, reads: tuple[str, ...], runs: list[_RuleRun], fail_fast: bool) -> None:
        self.runs = runs
        self.fail_fast = fail_fast
        # A bundle whose inputs hardly repeat (a consignee's name and address, say) pays for
        # keys and a growing cache and saves nothing: after _TRIAL look-ups with too few hits,
        # it evaluates directly.
        self.direct = False
        self.judged = False
        self.lookups = 0
        self.misses = 0
        line_fields = [name[5:] for name in reads if name.startswith("line.")]
        if runs and runs[0].rule.scope == "line" and "line_number" not in line_fields:
            line_fields.append("line_number")
        entry_fields = [name[6:] for name in reads if name.startswith("entry.")]
        # A declared test saying the verdict is the same on every day: the arrival date is
        # keyed apart, and left out of the key where the test says so (Rule.same_every_day).
        same = runs[0].rule.same_every_day if runs else None
        self.every_day: tuple[Callable[[Any], Any], bool, Callable[[Any], bool]] | None = None
        if same is not None:
            entry_fields.remove("arrival_date")
            name, test = same
            ctx = runs[0].ctx
            memo: dict[Any, bool] = {}

            def free(value: Any) -> bool:
                answer = memo.get(value)
                if answer is None:
                    answer = memo[value] = bool(test(value, ctx))
                return answer

            on_line = name.startswith("line.")
            self.every_day = (operator.attrgetter(name.partition(".")[2]), on_line, free)
        self.line_get = operator.attrgetter(*line_fields) if line_fields else None
        self.entry_get = operator.attrgetter(*entry_fields) if entry_fields else None
        # Keyed by period when one of the rules reads it (a finer key than the others need:
        # their verdicts are the same whatever the period). A rule that reads it only for the
        # gate of its arrival period (rules/_base.Gate) is keyed by the gate's answer instead:
        # a handful of periods would otherwise split each input's verdicts several ways.
        self.period = any(_keyed_by_period(run.rule) for run in runs)
        # The bits of the gates it keys by, in the entries' masks (_GateMasks): a rule whose
        # period is in the key anyway (by the period or the arrival date) needs none.
        self.gate_bits = 0
        if not self.period:
            for run in runs:
                if run.gate is not None and run.gate.keyed_by_gate:
                    self.gate_bits |= run.gate_bit
        self.period_ids: dict[Any, Hashable] = {}
        self.cache: dict[Hashable, tuple[_Verdict, ...]] = {}

    def judges(self, entry_type: str) -> bool:
        return any(run.rule.judges(entry_type) for run in self.runs)

    def only(self, entry_type: str) -> _Bundle:
        """This bundle, or one of its rules that judge ``entry_type`` (sharing nothing)."""
        runs = [run for run in self.runs if run.rule.judges(entry_type)]
        if len(runs) == len(self.runs):
            return self
        reads = self.runs[0].rule.reads or ()
        return _Bundle(reads, runs, self.fail_fast)

    def many(
        self,
        owners: list[Entry],
        lines: list[Any] | None,
        append: Callable[[Finding], None],
        table: PolicyTable,
        sample_ids: Mapping[str, tuple[str, ...]],
        *,
        masks: list[int] | None = None,
    ) -> None:
        """The rules' hits (and errors) on a batch, emitted: ``lines[i]`` of ``owners[i]``.

        ``masks``: the owners' gate masks (:class:`_GateMasks`); ``None`` if no rule of the
        audit is gated. ``lines`` is None for entry rules. The keys are made and looked up by C
        loops (``map`` of the getters and of the cache's ``get``); only the inputs not met
        before and those with hits come back to Python.
        """
        try:
            keys = None if self.direct else self._keys(owners, lines, masks)
        except (AttributeError, TypeError):
            if len(owners) > 1:
                # An input missing somewhere in the batch: one entry (or line) at a time.
                for i, entry in enumerate(owners):
                    line = None if lines is None else [lines[i]]
                    alone = None if masks is None else masks[i : i + 1]
                    self.many([entry], line, append, table, sample_ids, masks=alone)
                return
            # A declared input this entry does not have (a field of a field that is None, a
            # name misspelt in a rule pack): its rules run on it as if they declared nothing,
            # and report their own errors.
            keys = None
        if keys is None:
            for i, entry in enumerate(owners):
                mask = -1 if masks is None else masks[i]
                found = self._evaluate(entry, None if lines is None else lines[i], mask)
                if found:
                    _emit_verdicts(found, entry, append, table, sample_ids)
            return
        cache = self.cache
        looked: list[Any] = list(map(cache.get, keys, repeat(_MISS)))
        misses = 0
        # Truthy: an input not met (the stand-in) or met with hits; passing inputs are ().
        for i in compress(range(len(looked)), looked):
            entry = owners[i]
            verdicts: tuple[_Verdict, ...] = looked[i]
            if verdicts is _MISS:
                key = keys[i]
                verdicts = cache.get(key, _MISS)  # met earlier in this batch?
                if verdicts is _MISS:
                    mask = -1 if masks is None else masks[i]
                    verdicts = self._evaluate(entry, None if lines is None else lines[i], mask)
                    if len(cache) >= _CACHE_LIMIT:
                        cache.clear()
                    cache[key] = verdicts
                    misses += 1
                if not verdicts:
                    continue
            _emit_verdicts(verdicts, entry, append, table, sample_ids)
        self._tally(len(keys), misses)

    def _keys(
        self, owners: list[Entry], lines: list[Any] | None, masks: list[int] | None = None
    ) -> list[Hashable]:
        """The cache keys of a batch (one per owner, or per line with ``lines``).

        Raises:
            TypeError: an entry rule declares inputs of a line; it is judged uncached, as an
                entry that lacks a declared input is.
        """
        if lines is None and self.line_get is not None:
            msg = "an entry rule's declared inputs name a line"
            raise TypeError(msg)
        columns: list[list[Any]] = []
        if self.line_get is not None and lines is not None:
            columns.append(list(map(self.line_get, lines)))
        if self.entry_get is not None:
            columns.append(list(map(self.entry_get, owners)))
        if self.period:
            # Each arrival day's period, remembered by day: looked up in C, the entry's
            # period asked only on a day not met before.
            ids = self.period_ids
            days = list(map(_ARRIVAL, owners))
            column = list(map(ids.get, days, repeat(_MISS)))
            if _MISS in column:
                period = self.runs[0].ctx.period
                for i, day in enumerate(days):
                    if column[i] is _MISS:
                        column[i] = ids[day] = period(owners[i]).id
            columns.append(column)
        elif self.gate_bits:
            # The answers of its gates (the masks hold every gate of the audit, made once for
            # all the bundles of the batch): another rule's gate would split its verdicts.
            if masks is None:
                msg = "a gated bundle's keys need the entries' gate masks"
                raise AssertionError(msg)
            if -1 in masks:
                # An entry whose period cannot be told: judged uncached, alone (see many).
                msg = "an entry's arrival period cannot be told"
                raise TypeError(msg)
            columns.append(list(map(int.__and__, masks, repeat(self.gate_bits))))
        if self.every_day is not None:
            value_of, on_line, free = self.every_day
            values = map(value_of, lines if on_line and lines is not None else owners)
            columns.append(
                [
                    None if same else entry.arrival_date
                    for same, entry in zip(map(free, values), owners, strict=True)
                ]
            )
        if not columns:
            # Declared to read nothing: one verdict stands for every entry.
            return [None] * len(owners)
        if len(columns) == 1:
            return columns[0]
        return list(zip(*columns, strict=True))

    def _tally(self, lookups: int, misses: int) -> None:
        """Count look-ups; past the trial, a cache that hardly hits is given up (direct)."""
        self.lookups += lookups
        self.misses += misses
        if not self.judged and self.lookups >= _TRIAL:
            self.judged = True
            if self.misses > self.lookups * _MISS_RATE:
                self.direct = True
                self.cache = {}

    def _evaluate(self, entry: Entry, line: Any, mask: int) -> tuple[_Verdict, ...]:
        out: list[_Verdict] = []
        for run in self.runs:
            if run.gate_bit and not (mask & run.gate_bit):
                continue  # gated by its arrival period, and closed on this entry's day
            # The hits a rule yields before it raises are kept, as the uncached call keeps them.
            hits: list[Hit] = []
            try:
                if line is None:
                    hits.extend(run.check(entry, run.ctx))
                else:
                    hits.extend(run.check(entry, line, run.ctx))
            except Exception as exc:
                if self.fail_fast:
                    raise
                out.append((run, tuple(hits), exc))
                continue
            if hits:
                out.append((run, tuple(hits), None))
        return tuple(out)


class _GateMasks:
    """Each entry's gate answers as one integer, a bit per gate (rules/_base.Gate).

    The rules gated by their arrival period are called only where their bit is set (the
    engine tests it inline: no call for the gate), and the bundles of such rules key their
    verdicts by their bits. Remembered by arrival day. A day whose period cannot be told (no
    arrival date) opens every gate: the rules then meet the entry and report what is wrong.
    """

    __slots__ = ("bits", "known", "period")

    def __init__(self, tests: Sequence[Callable[[Any], bool]], ctx: RuleContext) -> None:
        self.bits = [(test, 1 << i) for i, test in enumerate(tests)]
        self.period = ctx.period
        self.known: dict[Any, int] = {}

    @classmethod
    def of_runs(cls, runs: Sequence[_RuleRun]) -> _GateMasks | None:
        """The masks of the runs' gates (setting each gated run's bit), or ``None``."""
        tests: dict[Any, int] = {}
        for run in runs:
            if run.gate is not None:
                run.gate_bit = tests.setdefault(run.gate.in_force.test, 1 << len(tests))
        if not tests:
            return None
        return cls(list(tests), runs[0].ctx)

    def of(self, entries: list[Entry]) -> list[int]:
        """The entries' masks (in C, but for an arrival day not met before)."""
        known = self.known
        days = list(map(_ARRIVAL, entries))
        masks = list(map(known.get, days, repeat(None)))
        if None in masks:
            for i, day in enumerate(days):
                if masks[i] is None:
                    masks[i] = known[day] = self._mask(entries[i])
        return cast("list[int]", masks)

    def _mask(self, entry: Entry) -> int:
        try:
            during = self.period(entry)
            return sum(bit for test, bit in self.bits if test(during))
        except Exception:
            return -1


def _keyed_by_period(rule: Rule) -> bool:
    """Whether ``rule`` reads the policy period for its check (not only for its gate)."""
    if "period" not in (rule.reads or ()):
        return False
    check = rule.check
    return not (isinstance(check, Gate) and check.keyed_by_gate)


def _bundles(runs: list[_RuleRun], fail_fast: bool) -> list[_Bundle]:
    """The runs grouped by the inputs their rules read, in rule order."""
    groups: dict[tuple[tuple[str, ...], object], list[_RuleRun]] = {}
    for run in runs:
        same = run.rule.same_every_day
        # Rules share a look-up when they read the same inputs and test them alike; the
        # period (which a rule gated by its arrival period reads, see rules/_base.Gate) is
        # keyed for the whole bundle if one of them reads it.
        reads = tuple(name for name in run.rule.reads or () if name != "period")
        key = (reads, None if same is None else (same[0], id(same[1])))
        groups.setdefault(key, []).append(run)
    return [_Bundle(key[0], group, fail_fast) for key, group in groups.items()]
