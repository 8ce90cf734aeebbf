"""Computations behind the report's views: sample evaluation, entry rows, patterns, letters.

Every function here is a pure function of the report's data and returns values in a fixed
order (never the iteration order of a set), so renderers stay deterministic.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from t86audit.findings import Severity
from t86audit.model import entry_number_key
from t86audit.report._model import (
    EntryFacts,
    EntryRow,
    EntryStatus,
    LetterEntry,
    PatternDimension,
    PatternGroup,
    RuleTally,
    SampleEvaluation,
)


if TYPE_CHECKING:
    from t86audit.engine import RuleResult
    from t86audit.findings import Finding
    from t86audit.model import Entry
    from t86audit.report import Report
    from t86audit.sample import JudgmentSample


__all__ = [
    "PATTERN_DIMENSIONS",
    "entry_key",
    "entry_rows",
    "evaluate_sample",
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
        upper_bound(k, sample.size),
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


def entry_rows(report: Report) -> tuple[EntryRow, ...]:
    """Every audited entry with its counts and standing, in audit order."""
    waived: dict[str, int] = {}
    unwaived: dict[str, list[bool]] = {}
    for f in report.findings:
        key = entry_key(f.entry_number)
        if f.waived:
            waived[key] = waived.get(key, 0) + 1
        elif f.severity is not Severity.INFO:
            flags = unwaived.setdefault(key, [False, False])
            flags[0 if f.severity is Severity.VIOLATION else 1] = True
    facts = report.facts if len(report.facts) == len(report.entries) else ()
    rows: list[EntryRow] = []
    for index, summary in enumerate(report.entries):
        key = entry_key(summary.entry_number)
        fact = facts[index] if facts else None
        flags = unwaived.get(key, [False, False])
        rows.append(
            EntryRow(
                entry_number=summary.entry_number,
                arrival_date=summary.arrival_date,
                source=summary.source,
                rows=summary.rows,
                port_code=fact.port_code if fact else "",
                filer_code=fact.filer_code if fact else "",
                seller=fact.seller if fact else "",
                consignee=fact.consignee if fact else "",
                violations=summary.violations,
                warnings=summary.warnings,
                infos=summary.infos,
                waived=waived.get(key, 0),
                status=_status(summary.violations, summary.warnings, flags),
                samples=summary.samples,
            )
        )
    return tuple(rows)


def _collapsed(text: str) -> str:
    return " ".join(text.split()).casefold()


PATTERN_DIMENSIONS: tuple[
    tuple[str, str, Callable[[EntryFacts], str], Callable[[str], str]], ...
] = (
    ("seller", "Seller", lambda f: f.seller, _collapsed),
    ("consignee", "Ultimate consignee", lambda f: f.consignee, _collapsed),
    ("filer_code", "Filer code", lambda f: f.filer_code, str.upper),
    ("port", "Port of entry", lambda f: f.port_code, str.strip),
    ("month", "Arrival month", lambda f: f.month, str),
)
"""``(name, label, value of an entry, grouping key of a value)`` for each pattern dimension.

Seller and consignee names are grouped case-insensitively with white space collapsed, as
:func:`t86audit.draw_samples` stratifies them; a group shows the name as first filed.
"""


class _Tally:
    """Counts for one pattern group while the findings are walked."""

    __slots__ = (
        "entries",
        "flagged",
        "infos",
        "rule_entries",
        "rule_findings",
        "value",
        "violations",
        "waived",
        "warnings",
    )

    def __init__(self, value: str) -> None:
        self.value = value
        self.entries = 0
        self.flagged: set[str] = set()
        self.violations = 0
        self.warnings = 0
        self.infos = 0
        self.waived = 0
        self.rule_findings: dict[str, int] = {}
        self.rule_entries: dict[str, set[str]] = {}

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
    """
    facts_by_key: dict[str, EntryFacts] = {}
    for fact in report.facts:
        facts_by_key.setdefault(fact.key, fact)
    keyed = [(entry_key(f.entry_number), f) for f in report.findings]
    out: list[PatternDimension] = []
    for name, label, value_of, group_of in PATTERN_DIMENSIONS:
        tallies: dict[str, _Tally] = {}
        for fact in report.facts:
            value = value_of(fact)
            group = group_of(value)
            tally = tallies.get(group)
            if tally is None:
                tally = tallies[group] = _Tally(value)
            tally.entries += 1
        touched: dict[str, None] = {}
        for key, finding in keyed:
            about = facts_by_key.get(key)
            if about is None:
                continue
            group = group_of(value_of(about))
            touched[group] = None
            tallies[group].add(finding, key)
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


def letter_response(report: Report) -> tuple[LetterEntry, ...]:
    """For each cited or sampled entry: its findings, and the checks it passed.

    Entries appear once each, in the order of the samples and of the entries within them; an
    entry in two samples names both.
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
    out: list[LetterEntry] = []
    for key, entry in entries.items():
        codes_hit = {f.code for f in own[key]} | {f.code for f in related[key]}
        out.append(
            LetterEntry(
                entry=entry,
                samples=tuple(sample_ids[key]),
                findings=tuple(own[key]),
                related_findings=tuple(related[key]),
                passed=tuple(r.rule for r in ran if r.rule.code not in codes_hit),
                not_checked=tuple(not_checked),
            )
        )
    return tuple(out)
