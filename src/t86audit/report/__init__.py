"""The audit report: a frozen, complete value, and its renderers.

:class:`Report` holds everything an audit produced: findings, per-rule status, the per-entry
summary, sample evaluation, load accounting and the audit trail. Renderers are pure functions of
it: :func:`t86audit.report.json.render` (``contracts.md`` section 4, ``schema_version`` 1) and
:func:`t86audit.report.text.render` (a terminal view).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from t86audit.engine import AuditResult, EntrySummary, RuleResult, count_by_severity
from t86audit.findings import Finding, Severity


if TYPE_CHECKING:
    from t86audit.io import LoadResult
    from t86audit.reference import Snapshot
    from t86audit.rules._base import RulePack
    from t86audit.sample import JudgmentSample


__all__ = ["DISCLAIMER", "SCHEMA_VERSION", "Report", "SampleEvaluation"]

SCHEMA_VERSION = 1

DISCLAIMER = (
    "t86audit reports evidence from the data as filed, judged against the cited provisions and "
    "CBP guidance in force on each arrival date. It is not legal advice; counsel should review "
    "any finding before it is relied on."
)


@attrs.frozen
class SampleEvaluation:
    """A sample evaluated on its own entries.

    ``rate_interval_95`` and ``upper_bound_95`` are exact (Clopper-Pearson) bounds for the
    population violation rate, and are ``None`` unless the sample is projectable (seeded simple
    random): a judgment or cited sample describes only its own entries.
    """

    sample: JudgmentSample
    entries_with_violations: int
    rate_interval_95: tuple[float, float] | None
    upper_bound_95: float | None


def evaluate_sample(sample: JudgmentSample, findings: Sequence[Finding]) -> SampleEvaluation:
    """Count the sample's entries with an unwaived violation; bound the rate if random."""
    keys = sample.keys
    violating = {
        _key(f.entry_number)
        for f in findings
        if f.severity is Severity.VIOLATION and not f.waived and _key(f.entry_number) in keys
    }
    k = len(violating)
    if not sample.projectable:
        return SampleEvaluation(sample, k, None, None)
    from t86audit.stats import clopper_pearson, upper_bound  # noqa: PLC0415

    low, high = clopper_pearson(k, sample.size)
    return SampleEvaluation(
        sample, k, (round(low, 4), round(high, 4)), _round(upper_bound(k, sample.size))
    )


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _key(entry_number: str) -> str:
    return "".join(entry_number.split()).replace("-", "").upper()


@attrs.frozen
class Report:
    """Everything an audit found, ready to render. Build it with :func:`t86audit.audit`."""

    result: AuditResult
    load: LoadResult | None
    generated_at: dt.datetime
    packs: tuple[RulePack, ...]
    snapshots: tuple[Snapshot, ...] = ()
    options: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    tool_version: str = ""

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Findings sorted by severity, code, entry number and line."""
        return self.result.findings

    @property
    def rules(self) -> tuple[RuleResult, ...]:
        """Per-rule status, in code order."""
        return self.result.rule_results

    @property
    def entries(self) -> tuple[EntrySummary, ...]:
        """Every audited entry with its violation and warning counts."""
        return self.result.entries

    @property
    def samples(self) -> tuple[SampleEvaluation, ...]:
        """Each sample evaluated on its own entries."""
        return tuple(evaluate_sample(s, self.findings) for s in self.result.samples)

    def counts(self) -> dict[str, int]:
        """Finding counts by severity name (waived findings included)."""
        return {s.value: n for s, n in count_by_severity(self.findings).items()}

    def has_at_least(self, severity: Severity | str) -> bool:
        """Whether an unwaived finding of this severity or worse exists (for ``--fail-on``)."""
        level = Severity.parse(severity)
        return any(f.severity.at_least(level) and not f.waived for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        """The JSON report as a dict (``contracts.md`` section 4)."""
        from t86audit.report.json import to_dict  # noqa: PLC0415

        return to_dict(self)

    def to_json(self, *, indent: int | None = 2) -> str:
        """The JSON report as text."""
        from t86audit.report.json import render  # noqa: PLC0415

        return render(self, indent=indent)

    def to_text(self) -> str:
        """A plain-text view for a terminal."""
        from t86audit.report.text import render  # noqa: PLC0415

        return render(self)

    def __repr__(self) -> str:
        c = self.counts()
        return (
            f"<t86audit.Report entries={len(self.entries)} violations={c['violation']} "
            f"warnings={c['warning']} rules={len(self.rules)}>"
        )
