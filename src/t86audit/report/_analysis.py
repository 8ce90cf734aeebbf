"""Computations behind the report's views: sample evaluation, entry rows, patterns, letters.

Every function here is a pure function of the report's data and returns values in a fixed
order (never the iteration order of a set), so renderers stay deterministic.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, overload

import attrs

from t86audit._entries import T86_CODES, EntryRecord, RecordTable, SequenceView, column_of
from t86audit.engine import EntrySummaries
from t86audit.findings import Severity
from t86audit.model import T86_TYPE, entry_number_key
from t86audit.report._model import (
    EntryFacts,
    EntryFactsView,
    EntryRow,
    EntryStatus,
    LetterEntry,
    PatternDimension,
    PatternGroup,
    RuleTally,
    SampleEvaluation,
)


if TYPE_CHECKING:
    from t86audit.engine import EntrySummary, RuleResult
    from t86audit.findings import Finding
    from t86audit.model import Entry
    from t86audit.policy import PolicyTable
    from t86audit.report import Report
    from t86audit.rules import Rule, RuleContext
    from t86audit.sample import JudgmentSample


__all__ = [
    "PATTERN_DIMENSIONS",
    "EntryRowSource",
    "EntryRows",
    "entry_key",
    "entry_records",
    "entry_rows",
    "evaluate_sample",
    "fact_rows",
    "letter_response",
    "patterns",
]


def entry_key(entry_number: str) -> str:
    """The comparison key of an entry number as filed (as :attr:`EntryNumber.key`)."""
    return entry_number_key(entry_number)


def evaluate_sample(
    sample: JudgmentSample,
    findings: Sequence[Finding],
    *,
    target_rate: float = 0.05,
    population_fingerprint: str = "",
) -> SampleEvaluation:
    """Count the sample's entries with an unwaived violation; bound the rate if random.

    Args:
        sample: the sample.
        findings: the audit's findings.
        target_rate: the rate for the zero-failure sample size (default 5%: 59 entries).
        population_fingerprint: the audited population's fingerprint, to check the sample's.
    """
    from t86audit.stats import (  # noqa: PLC0415  (stats only when samples exist)
        clopper_pearson,
        upper_bound,
        zero_failure_sample_size,
    )

    keys = sample.keys
    per_entry: dict[str, int] = {}
    for f in findings:
        if f.severity is Severity.VIOLATION and not f.waived:
            key = entry_key(f.entry_number)
            if key in keys:
                per_entry[key] = per_entry.get(key, 0) + 1
    k = len(per_entry)
    by_entry = tuple(
        (entry.number, per_entry.get(entry.entry_number.key, 0)) for entry in sample.entries
    )
    matches = (
        None
        if not population_fingerprint
        else sample.population_fingerprint == population_fingerprint
    )
    needed = zero_failure_sample_size(target_rate)
    if not sample.projectable:
        return SampleEvaluation(
            sample,
            k,
            None,
            None,
            None,
            target_rate,
            needed,
            matches,
            by_entry,
        )
    return SampleEvaluation(
        sample,
        k,
        clopper_pearson(k, sample.size),
        1.0 if k == sample.size else upper_bound(k, sample.size),  # all failed: no bound below 1
        k / sample.size,
        target_rate,
        needed,
        matches,
        by_entry,
    )


def _status(violations: int, warnings: int, unwaived: Sequence[bool]) -> EntryStatus:
    if unwaived[0]:
        return "violation"
    if unwaived[1]:
        return "warning"
    if violations or warnings:
        return "waived"
    return "clean"


def entry_records(report: Report) -> Sequence[EntryRecord] | None:
    """The audit's per-entry records, if ``report.entries`` and ``report.facts`` are views of them.

    So they are for a report from :func:`t86audit.audit`; ``None`` for a report built otherwise
    (redacted, or from the Dask adapter), whose summaries and facts are read as given.
    """
    entries = report.result.entries
    facts = report.facts
    if (
        isinstance(entries, EntrySummaries)
        and isinstance(facts, EntryFactsView)
        and facts.records is entries.records
    ):
        return entries.records
    return None


def fact_rows(report: Report) -> Sequence[EntryRecord | EntryFacts]:
    """Per audited entry, its facts: the audit's records when it has them, else ``report.facts``.

    Both have the attributes of :class:`EntryFacts`; the records are read without building an
    object per entry.
    """
    records = entry_records(report)
    return records if records is not None else report.facts


EntryRowValues = tuple[
    str, str, str, int, str, str, str, str, int, int, int, int, EntryStatus, tuple[str, ...], str
]
"""An :class:`EntryRow` as a plain tuple, in the order of its fields."""

_NOT_FLAGGED = (False, False)
_NO_COUNTS = (0, 0, 0)
RowTail = tuple[int, int, int, int, EntryStatus, tuple[str, ...]]
"""The end of an entry table row: violations, warnings, infos, waived, status, samples."""

_CLEAN: RowTail = (0, 0, 0, 0, "clean", ())


def _not_judged(
    tail: RowTail,
) -> RowTail:
    """The tail of a row of an entry the T86 rules did not judge (type 01, 11, ...)."""
    return (*tail[:4], "not_judged", tail[5])


def _record_row(
    record: EntryRecord,
    arrival: str,
    tail: RowTail,
) -> EntryRowValues:
    """The row of an audit's record: its filed facts, then its finding counts and status.

    ``arrival`` is the record's arrival date as ISO text (the caller may reuse one per day).
    """
    entry_type = record.entry_type
    if entry_type not in T86_CODES:
        tail = _not_judged(tail)
    return (
        record.entry_number,
        arrival,
        record.source,
        record.rows,
        record.port_code,
        record.filer_code,
        record.seller,
        record.consignee,
        *tail,
        entry_type,
    )


class EntryRowSource:
    """The entry table of a report as :data:`EntryRowValues` tuples, made as they are read.

    Built once per rendering: it walks the findings (not the entries) to learn which entries
    have findings, waivers or samples; every other entry is clean, so a row costs a few
    attribute reads and one dictionary look-up.
    """

    def __init__(self, report: Report) -> None:
        waived: dict[str, int] = {}
        unwaived: dict[str, list[bool]] = {}
        for f in report.findings:
            key = entry_key(f.entry_number)
            if f.waived:
                waived[key] = waived.get(key, 0) + 1
            elif f.severity is not Severity.INFO:
                flags = unwaived.setdefault(key, [False, False])
                flags[0 if f.severity is Severity.VIOLATION else 1] = True
        self._waived = waived
        self._unwaived = unwaived
        self._entries = report.entries
        self._records = entry_records(report)
        self._facts: Sequence[EntryFacts] = (
            report.facts if len(report.facts) == len(report.entries) else ()
        )
        # For the records' view: the tail of the row (counts to samples) of each entry that
        # is not simply clean, by key.
        self._tails: dict[str, RowTail] = {}
        if self._records is not None:
            summaries = report.result.entries
            assert isinstance(summaries, EntrySummaries)
            counts: Mapping[str, Sequence[int]] = summaries.counts
            samples = summaries.sample_ids
            for key in (*counts, *samples, *waived):
                v, w, i = counts.get(key, _NO_COUNTS)
                self._tails[key] = (
                    v,
                    w,
                    i,
                    waived.get(key, 0),
                    _status(v, w, unwaived.get(key, _NOT_FLAGGED)),
                    samples.get(key, ()),
                )

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def plain(self) -> bool:
        """Whether the rows come from the audit's records.

        If so every value has its plain type (str, int, a tuple of str); rows from summaries
        and facts given otherwise may not.
        """
        return self._records is not None

    def row(self, index: int) -> EntryRowValues:
        """The row of the entry at ``index`` (negative indices count from the end)."""
        records = self._records
        if records is not None:
            record = records[index]
            tail = self._tails.get(record.key, _CLEAN)
            return _record_row(record, record.arrival_date.isoformat(), tail)
        return self._summary_row(self._entries[index], index)

    def _summary_row(self, summary: EntrySummary, index: int) -> EntryRowValues:
        key = entry_key(summary.entry_number)
        fact = self._facts[index] if self._facts else None
        status = _status(
            summary.violations, summary.warnings, self._unwaived.get(key, _NOT_FLAGGED)
        )
        if summary.entry_type not in T86_CODES:
            status = "not_judged"
        return (
            summary.entry_number,
            summary.arrival_date,
            summary.source,
            summary.rows,
            fact.port_code if fact else "",
            fact.filer_code if fact else "",
            fact.seller if fact else "",
            fact.consignee if fact else "",
            summary.violations,
            summary.warnings,
            summary.infos,
            self._waived.get(key, 0),
            status,
            summary.samples,
            summary.entry_type,
        )

    def __iter__(self) -> Iterator[EntryRowValues]:
        records = self._records
        if records is None:
            for index, summary in enumerate(self._entries):
                yield self._summary_row(summary, index)
            return
        tails = self._tails
        days: dict[dt.date, str] = {}  # one text per arrival date
        for record in records:
            odd = record.odd_key
            tail = (
                tails.get(record.entry_number.replace("-", "") if odd is None else odd, _CLEAN)
                if tails
                else _CLEAN
            )
            day = record.arrival_date
            text = days.get(day)
            if text is None:
                text = days[day] = day.isoformat()
            yield _record_row(record, text, tail)

    def record_tails(self) -> tuple[Sequence[EntryRecord], Mapping[str, RowTail]] | None:
        """The audit's records and, by key, the row tail of each entry not simply clean.

        Every other judged entry's tail is (0, 0, 0, 0, "clean", ()); an entry of another type
        than 86 has status "not_judged" whatever its tail says. ``None`` when the rows are
        not read from records (see :attr:`plain`). For writers that format the table by
        column rather than a row at a time.
        """
        return None if self._records is None else (self._records, self._tails)

    def clean(self) -> int:
        """How many judged entries are clean (no violation and no warning, waived or not).

        Entries the T86 rules did not judge (types other than 86) are never counted clean.
        """
        if self._records is None:
            return sum(1 for row in self if row[12] == "clean")
        flagged = {key for key, tail in self._tails.items() if tail[4] != "clean"}
        return sum(
            1
            for record in self._records
            if record.key not in flagged and record.entry_type in T86_CODES
        )

    def by_type(self) -> dict[str, int]:
        """How many entries of each entry type code (``""``: blank or unreadable), sorted."""
        counts: dict[str, int] = {}
        if self._records is None:
            for row in self:
                counts[row[14]] = counts.get(row[14], 0) + 1
        else:
            counts.update(Counter(column_of(self._records, "entry_type")))
        return dict(sorted(counts.items()))


class EntryRows(SequenceView[EntryRow]):
    """:attr:`Report.entry_rows <t86audit.Report.entry_rows>`, made as it is read.

    An :class:`EntryRow` per audited entry, in audit order, each made when it is read. Compares
    equal to a tuple of the rows.
    """

    __slots__ = ("_report", "_source")

    def __init__(self, report: Report) -> None:
        self._report = report
        self._source: EntryRowSource | None = None

    @property
    def source(self) -> EntryRowSource:
        """The rows as plain tuples."""
        if self._source is None:
            self._source = EntryRowSource(self._report)
        return self._source

    def __len__(self) -> int:
        return len(self._report.entries)

    @overload
    def __getitem__(self, index: int) -> EntryRow: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[EntryRow, ...]: ...

    def __getitem__(self, index: int | slice) -> EntryRow | tuple[EntryRow, ...]:
        source = self.source
        if isinstance(index, slice):
            return tuple(EntryRow(*source.row(i)) for i in range(*index.indices(len(self))))
        if not -len(self) <= index < len(self):
            msg = "entry row index out of range"
            raise IndexError(msg)
        return EntryRow(*source.row(index))

    def __iter__(self) -> Iterator[EntryRow]:
        for values in self.source:
            yield EntryRow(*values)


def entry_rows(report: Report) -> EntryRows:
    """Every audited entry with its counts and standing, in audit order (made as read)."""
    return EntryRows(report)


def _collapsed(text: str) -> str:
    return " ".join(text.split()).casefold()


def _month(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _same(value: str) -> str:
    return value


PATTERN_DIMENSIONS: tuple[
    tuple[str, str, str, Callable[[dt.date], str] | Callable[[str], str], Callable[[str], str]],
    ...,
] = (
    ("seller", "Seller", "seller", _same, _collapsed),
    ("consignee", "Ultimate consignee", "consignee", _same, _collapsed),
    ("filer_code", "Filer code", "filer_code", _same, str.upper),
    ("port", "Port of entry", "port_code", _same, str.strip),
    ("month", "Arrival month", "arrival_date", _month, str),
)
"""``(name, label, attribute of an entry's facts, its value, grouping key of a value)`` for each
pattern dimension (the month is the arrival date's ``YYYY-MM``, as :attr:`EntryFacts.month`).

Seller and consignee names are grouped case-insensitively with white space collapsed, as
:func:`t86audit.draw_samples` stratifies them; a group shows the name as first filed.
"""


@attrs.define(eq=False)
class _Tally:
    """Counts for one pattern group while the findings are walked."""

    value: str
    entries: int = 0
    flagged: set[str] = attrs.Factory(set)
    violations: int = 0
    warnings: int = 0
    infos: int = 0
    waived: int = 0
    rule_findings: dict[str, int] = attrs.Factory(dict)
    rule_entries: dict[str, set[str]] = attrs.Factory(dict)

    def add(self, finding: Finding, key: str) -> None:
        if finding.waived:
            self.waived += 1
            return
        if finding.severity is Severity.VIOLATION:
            self.violations += 1
            self.flagged.add(key)
        elif finding.severity is Severity.WARNING:
            self.warnings += 1
            self.flagged.add(key)
        else:
            self.infos += 1
        code = finding.code
        self.rule_findings[code] = self.rule_findings.get(code, 0) + 1
        self.rule_entries.setdefault(code, set()).add(key)

    def group(self) -> PatternGroup:
        rules = sorted(
            (
                RuleTally(code, n, len(self.rule_entries[code]))
                for code, n in self.rule_findings.items()
            ),
            key=lambda r: (-r.entries, -r.findings, r.code),
        )
        return PatternGroup(
            value=self.value,
            entries=self.entries,
            entries_flagged=len(self.flagged),
            violations=self.violations,
            warnings=self.warnings,
            infos=self.infos,
            waived=self.waived,
            rules=tuple(rules),
        )


def patterns(report: Report) -> tuple[PatternDimension, ...]:
    """Findings counted by rule against seller, consignee, filer code, port and month.

    A finding counts against the values of the entry it is about; waived findings are counted
    apart. Entries whose number is filed twice share their facts (the first entry's), as they
    share their findings. Groups without any finding are left out; ``distinct_values`` still
    counts them.

    A group's entries are those judged as Type 86 (the T86 rules judge no other type), and an
    entry of another type only if a rule that judges its type flagged it: a group of eight
    entries, two of them type 01, with three flagged, is three of six (50%), not three of eight.
    """
    facts = fact_rows(report)
    keyed = [(entry_key(f.entry_number), f) for f in report.findings]
    wanted = {key for key, _ in keyed}
    facts_by_key: dict[str, EntryRecord | EntryFacts] = {}
    if isinstance(facts, RecordTable):
        facts_by_key.update((key, facts[at]) for key, at in facts.first_of(wanted).items())
    elif wanted:
        for fact in facts:
            key = fact.key
            if key in wanted and key not in facts_by_key:
                facts_by_key[key] = fact
                if len(facts_by_key) == len(wanted):
                    break
    out: list[PatternDimension] = []
    # A population of Type 86 entries only (most are) counts each dimension's values alone;
    # paired with their types, every entry would cost a tuple too, three times the count.
    only_t86 = set(column_of(facts, "entry_type")) <= T86_CODES
    for name, label, attribute, value_of, group_of in PATTERN_DIMENSIONS:
        # Count each distinct filed value once (in C), in order of first appearance, so a
        # group still shows the value first filed and the entries are walked once.
        value_fn: Callable[[object], str] = value_of  # type: ignore[assignment]
        tallies: dict[str, _Tally] = {}
        group_of_raw: dict[object, str] = {}
        if only_t86:
            pairs = [((raw, "86"), n) for raw, n in Counter(column_of(facts, attribute)).items()]
        else:
            pairs = list(
                Counter(
                    zip(column_of(facts, attribute), column_of(facts, "entry_type"), strict=True)
                ).items()
            )
        for (raw, entry_type), n in pairs:
            group = group_of_raw.get(raw)
            if group is None:
                value = value_fn(raw)
                group = group_of_raw[raw] = group_of(value)
                if group not in tallies:
                    tallies[group] = _Tally(value)
            if entry_type in T86_CODES:
                tallies[group].entries += n
        touched: dict[str, None] = {}
        counted_apart: set[str] = set()  # flagged entries of other types, counted once each
        for key, finding in keyed:
            about = facts_by_key.get(key)
            if about is None:
                continue
            group = group_of_raw[getattr(about, attribute)]
            touched[group] = None
            tally = tallies[group]
            if about.entry_type not in T86_CODES and key not in counted_apart:
                counted_apart.add(key)
                tally.entries += 1
            tally.add(finding, key)
        groups = sorted(
            (tallies[group].group() for group in touched),
            key=lambda g: (
                -g.entries_flagged,
                -g.violations,
                -g.warnings,
                -g.infos,
                group_of(g.value),
                g.value,
            ),
        )
        out.append(PatternDimension(name, label, len(tallies), tuple(groups)))
    return tuple(out)


def _checkable(results: Iterable[RuleResult]) -> tuple[list[RuleResult], list[RuleResult]]:
    ran: list[RuleResult] = []
    not_checked: list[RuleResult] = []
    for r in results:
        (ran if r.status in ("passed", "failed") else not_checked).append(r)
    return ran, not_checked


def _policy_of(report: Report) -> PolicyTable | None:
    """The policy table the audit judged by: its periods, as the report keeps them.

    A report built without them is taken to have used the bundled table if it names that
    table's version; otherwise ``None`` (no rule is then judged out of force).
    """
    from t86audit.policy import PolicyTable, default_policy  # noqa: PLC0415

    version = report.result.policy_version
    if report.policy_periods:
        return PolicyTable.from_periods(report.policy_periods, version=version)
    table = default_policy()
    return table if version == table.version else None


class _InForce:
    """Asks the rules that declare :attr:`~t86audit.rules.Rule.in_force` about one entry.

    Only for the cited and sampled entries, when the report is assembled: the engine never
    asks. A context per rule (its options), made when first needed.
    """

    def __init__(self, report: Report) -> None:
        self._policy = _policy_of(report)
        self._contexts: dict[str, RuleContext] = {}
        self._reference: object = None

    def _context(self, rule: Rule, policy: PolicyTable) -> RuleContext:
        ctx = self._contexts.get(rule.code)
        if ctx is None:
            from t86audit.refset import ReferenceSet  # noqa: PLC0415
            from t86audit.rules import RuleContext  # noqa: PLC0415

            # A rule's in_force reads the policy period; the reference data is there only
            # because a context has it (the bundled tables, loaded only if read).
            if self._reference is None:
                self._reference = ReferenceSet()
            ctx = RuleContext(rule.options, policy, self._reference)  # type: ignore[arg-type]
            self._contexts[rule.code] = ctx
        return ctx

    def reason(self, rule: Rule, entry: Entry) -> tuple[bool, str] | None:
        """Why ``rule`` cannot vouch for ``entry`` by its in-force test, or ``None`` if it can.

        ``(True, why)`` when its requirement was not in force on the entry's dates; ``(False,
        why)`` when the test raised (the rule is then not checked, never passed). ``None``
        also for a rule that declares no test (a rule pack's, say): it is taken to be in
        force on every date, as before such tests existed.
        """
        test = rule.in_force
        policy = self._policy
        if test is None or policy is None:
            return None
        try:
            in_force = test(entry, self._context(rule, policy))
        except Exception as error:  # any failure: not vouched for, and the reason says why
            return False, (
                "could not tell whether its requirement was in force on the entry's dates "
                f"({type(error).__name__}: {error})"
            )
        return None if in_force else (True, _not_in_force_words(entry, policy))


def _not_in_force_words(entry: Entry, policy: PolicyTable) -> str:
    """The reason a rule not in force gives: the entry's dates and the periods they fall in.

    The arrival date, and the T86's filing day when it falls in another period (FIL010 and
    ELG003 judge a T86 by when it was filed).
    """
    arrival = entry.arrival_date
    period = policy.at(arrival)
    # A period's title names what opened it (a threshold change, say), not that no T86 was
    # accepted in it, which is why the T86 test's own terms were not in force.
    closed = "" if period.t86_available else "; T86 not available"
    words = (
        f"not in force on the entry's dates: arrived {arrival.isoformat()} "
        f"({period.id}: {period.title}{closed})"
    )
    filed = entry.filed_day
    if filed is not None and entry.filed_at is not None and filed != arrival:
        at_filing = policy.at_instant(entry.filed_at)
        if at_filing.id != period.id:
            shut = "" if at_filing.t86_available else "; T86 not available"
            words += f", T86 filed {filed.isoformat()} ({at_filing.id}: {at_filing.title}{shut})"
    return words + "; the requirement this rule checks did not apply to it"


def letter_response(report: Report) -> tuple[LetterEntry, ...]:
    """For each cited or sampled entry: its findings, and the checks it passed.

    Entries appear once each, in the order of the samples and of the entries within them; an
    entry in two samples names both. A rule whose requirement was not in force on the entry's
    dates (:attr:`~t86audit.rules.Rule.in_force`) found nothing because it did not judge the
    entry: it is listed as not checked, with that reason, not as passed.
    """
    entries: dict[str, Entry] = {}
    sample_ids: dict[str, list[str]] = {}
    for evaluation in report.samples:
        sample = evaluation.sample
        for entry in sample.entries:
            key = entry.entry_number.key
            entries.setdefault(key, entry)
            sample_ids.setdefault(key, []).append(sample.id)
    if not entries:
        return ()
    own: dict[str, list[Finding]] = {key: [] for key in entries}
    related: dict[str, list[Finding]] = {key: [] for key in entries}
    for f in report.findings:
        key = entry_key(f.entry_number)
        if key in own:
            own[key].append(f)
        for number in f.related_entries:
            other = entry_key(number)
            if other in related and other != key:
                related[other].append(f)
    ran, not_checked = _checkable(report.rules)
    in_force = _InForce(report)
    out: list[LetterEntry] = []
    for key, entry in entries.items():
        codes_hit = {f.code for f in own[key]} | {f.code for f in related[key]}
        # A rule vouches only for the entries it judges: the engine runs it on an entry of
        # type 01 or 11 only if its entry_types name that type (T86 rules do not).
        judged_type = entry.type_code or T86_TYPE
        judged = [r for r in ran if r.rule.judges(judged_type)]
        not_judged = [
            attrs.evolve(
                r,
                status="not_applicable",
                findings=0,
                reason=f"the rule does not judge entries of type {entry.type_code}",
                errors=(),
                error_count=0,
            )
            for r in ran
            if not r.rule.judges(judged_type)
        ]
        passed: list[Rule] = []
        out_of_force: list[RuleResult] = []
        not_in_force: list[str] = []
        for r in judged:
            if r.rule.code in codes_hit:
                continue
            answer = in_force.reason(r.rule, entry)
            if answer is None:
                passed.append(r.rule)
                continue
            if answer[0]:
                not_in_force.append(r.rule.code)
            out_of_force.append(
                attrs.evolve(
                    r,
                    status="not_applicable",
                    findings=0,
                    reason=answer[1],
                    errors=(),
                    error_count=0,
                )
            )
        out.append(
            LetterEntry(
                entry=entry,
                samples=tuple(sample_ids[key]),
                findings=tuple(own[key]),
                related_findings=tuple(related[key]),
                passed=tuple(passed),
                not_checked=(*not_judged, *out_of_force, *not_checked),
                not_in_force=tuple(not_in_force),
            )
        )
    return tuple(out)
