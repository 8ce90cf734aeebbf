"""The values a report is made of besides the engine's: entry facts, samples, patterns, letters.

Each class here is a frozen value computed from the audit; renderers only read them.
"""

from __future__ import annotations

import datetime as dt
import operator
import sys
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

import attrs

from t86audit._entries import EntryRecord, RecordView


if TYPE_CHECKING:
    from t86audit.engine import RuleResult
    from t86audit.findings import Finding
    from t86audit.model import Entry
    from t86audit.rules._base import Rule
    from t86audit.sample import JudgmentSample


__all__ = [
    "EntryFacts",
    "EntryFactsView",
    "EntryRow",
    "EntryStatus",
    "LetterEntry",
    "PatternDimension",
    "PatternGroup",
    "RuleTally",
    "SampleEvaluation",
]

EntryStatus = Literal["violation", "warning", "waived", "clean", "not_judged"]
"""An entry's standing: an unwaived violation, else an unwaived warning, else only waived
violations or warnings, else clean (no violation and no warning; info notes allowed);
``not_judged`` for an entry of another type than 86 (01, 11, ...), which the T86 rules do not
judge."""


def _intern(text: str) -> str:
    # Sellers, ports and months repeat across millions of entries: keep one copy of each.
    return sys.intern(text)


@attrs.frozen
class EntryFacts:
    """The few facts about an entry that the pattern view and entry table need.

    Recorded for every entry as it streams through the audit, so they are kept small: the
    engine does not keep entries, and neither does the report (sampled entries excepted).

    Attributes:
        entry_number: the entry number as filed.
        key: its comparison key.
        arrival_date: the date of arrival.
        port_code: the port code as filed (white space trimmed).
        filer_code: the entry number's filer code, ``""`` when the number is malformed.
        seller: the seller's name as filed.
        consignee: the ultimate consignee's name as filed.
        total_value: the sum of the lines' declared values (USD).
        lines: the number of lines.
        entry_type: the entry type code (:attr:`~t86audit.model.Entry.type_code`; ``"86"``
            for a Type 86 entry and ``""`` for a blank or unreadable one, judged as Type 86).
    """

    entry_number: str
    key: str
    arrival_date: dt.date
    port_code: str
    filer_code: str
    seller: str
    consignee: str
    total_value: Decimal
    lines: int
    entry_type: str = "86"

    @property
    def month(self) -> str:
        """The arrival month, ``YYYY-MM``."""
        return f"{self.arrival_date.year:04d}-{self.arrival_date.month:02d}"

    @classmethod
    def of(cls, entry: Entry) -> EntryFacts:
        """Take the facts from an entry."""
        return cls(
            entry_number=entry.number,
            key=entry.entry_number.key,
            arrival_date=entry.arrival_date,
            port_code=_intern(entry.port_code.strip()),
            filer_code=_intern(entry.filer_code or ""),
            seller=_intern(entry.seller.name),
            consignee=_intern(entry.consignee.name),
            total_value=entry.total_value,
            lines=len(entry.lines),
            entry_type=entry.type_code,
        )


class EntryFactsView(RecordView[EntryFacts]):
    """:attr:`Report.facts <t86audit.Report.facts>` of :func:`t86audit.audit`, made on demand.

    The audit keeps one compact record per entry; each :class:`EntryFacts` is built from it when
    it is read. Compares equal to a tuple of the same facts.
    """

    __slots__ = ()

    def _make(self, record: EntryRecord) -> EntryFacts:
        return EntryFacts(*_record_facts(record))


# Every fact is the record's attribute of the same name (the record computes ``key`` and
# ``total_value`` from its compact fields), read in the order of EntryFacts' fields.
_record_facts = operator.attrgetter(*(field.name for field in attrs.fields(EntryFacts)))


@attrs.frozen
class EntryRow:
    """One audited entry in the per-entry summary: its facts, counts and standing.

    ``violations``, ``warnings`` and ``infos`` count every finding on the entry, waived ones
    included; ``waived`` counts the waived ones; ``status`` says what is left once they are set
    aside.
    """

    entry_number: str
    arrival_date: str
    source: str
    rows: int
    port_code: str
    filer_code: str
    seller: str
    consignee: str
    violations: int
    warnings: int
    infos: int
    waived: int
    status: EntryStatus
    samples: tuple[str, ...] = ()
    entry_type: str = "86"
    """The two-digit entry type code (``""`` when blank or unreadable: audited as Type 86)."""


@attrs.frozen
class SampleEvaluation:
    """A sample evaluated on its own entries.

    ``rate_interval_95`` and ``upper_bound_95`` are exact (Clopper-Pearson) bounds for the
    violation rate among the population's Type 86 entries, and are ``None`` unless the sample is
    projectable (seeded simple random): a judgment or cited sample describes only its own
    entries, and a stratified one would need weighting by stratum. When every sampled entry had
    a violation, ``upper_bound_95`` is ``1.0``: no bound below 100% (the JSON report gives
    ``1.0`` too, as the changelog records).

    Attributes:
        sample: the sample with its provenance.
        entries_with_violations: sampled entries with at least one unwaived violation.
        rate_interval_95: the exact two-sided 95% interval (the JSON report rounds it to 4
            places; round once, from these values, to show fewer).
        upper_bound_95: the exact one-sided 95% upper bound.
        point_estimate: ``entries_with_violations / size`` for a projectable sample.
        target_rate: the rate the zero-failure sample size is computed for.
        zero_failure_sample_size: how many random entries, all without a violation, would
            show the population rate is below ``target_rate`` with 95% confidence.
        population_matches: whether the sample's recorded population fingerprint equals the
            audited population's (``None`` when the audited population's is unknown).
        violations_by_entry: ``(entry number, unwaived violations)`` in sample order.
    """

    sample: JudgmentSample
    entries_with_violations: int
    rate_interval_95: tuple[float, float] | None
    upper_bound_95: float | None
    point_estimate: float | None = None
    target_rate: float = 0.05
    zero_failure_sample_size: int = 59
    population_matches: bool | None = None
    violations_by_entry: tuple[tuple[str, int], ...] = ()


@attrs.frozen
class RuleTally:
    """How often one rule fired within a pattern group."""

    code: str
    findings: int
    entries: int


@attrs.frozen
class PatternGroup:
    """The findings on the entries that share one value (one seller, one port, one month).

    Attributes:
        value: the value as first filed (``""`` for blank).
        entries: audited entries with this value.
        entries_flagged: those with at least one unwaived violation or warning.
        violations: unwaived violations on them.
        warnings: unwaived warnings on them.
        infos: unwaived info notes on them.
        waived: waived findings on them.
        rules: per rule code, unwaived findings and distinct entries, most frequent first.
    """

    value: str
    entries: int
    entries_flagged: int
    violations: int
    warnings: int
    infos: int
    waived: int
    rules: tuple[RuleTally, ...]

    @property
    def rate(self) -> float:
        """The share of the group's entries that are flagged (0 for an empty group)."""
        return self.entries_flagged / self.entries if self.entries else 0.0


@attrs.frozen
class PatternDimension:
    """Findings counted against one entry attribute.

    Attributes:
        name: ``seller``, ``consignee``, ``filer_code``, ``port`` or ``month``.
        label: the attribute in words.
        distinct_values: how many distinct values the audited entries have.
        groups: the groups with at least one finding, most entries flagged first.
    """

    name: str
    label: str
    distinct_values: int
    groups: tuple[PatternGroup, ...]


@attrs.frozen
class LetterEntry:
    """A cited or sampled entry as counsel reads it: what was filed, what is wrong, what passed.

    Attributes:
        entry: the entry as filed.
        samples: the ids of the samples that contain it.
        findings: every finding on it (waived ones included, marked).
        related_findings: findings on other entries that name this entry as related (for
            example an earlier shipment to the same person on the same day).
        passed: the rules that ran on every entry without error, judge this entry's type,
            check a requirement in force on its dates and found nothing here.
        not_checked: the rules that could not vouch for this entry (not applicable, raised
            an error during the audit, do not judge its type: a 01 or 11 entry, or check a
            requirement that was not in force on its dates), each with its reason.
        not_in_force: the codes, among ``not_checked``, of the rules whose requirement was
            not law on the entry's dates (:attr:`Rule.in_force <t86audit.rules.Rule.in_force>`:
            FIL009's 15-day limit on an entry that arrived from 15 Feb 2024, say). Such a rule
            finds nothing on the entry, and that is not a check it passed.
    """

    entry: Entry
    samples: tuple[str, ...]
    findings: tuple[Finding, ...]
    related_findings: tuple[Finding, ...]
    passed: tuple[Rule, ...]
    not_checked: tuple[RuleResult, ...]
    not_in_force: tuple[str, ...] = ()
