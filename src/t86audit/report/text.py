"""A plain-text report for a terminal: summary, findings grouped by entry, rule status.

Example (abridged)::

    t86audit report: 3 entries, 2 violations, 1 warning
    ...
    B76-0000003-9  arrival 2024-06-03
      VIOLATION VAL002 consignee-day-over-threshold  value_usd
        shipment 3 of 3 to 'Maria Lopez' ... over the 800.00 USD threshold
        filed: 900.00   required: <= 800.00 per person per day
        law: 19 CFR 10.151; 19 CFR 10.153(d); ...
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from t86audit.report import DISCLAIMER


if TYPE_CHECKING:
    from t86audit.report import Report


def _clean(text: object) -> str:
    """Neutralise control characters from the input so they cannot drive the terminal."""
    return "".join(c if c.isprintable() else "\ufffd" for c in str(text))


def render(report: Report) -> str:
    """Render ``report`` as text."""
    counts = report.counts()
    out: list[str] = []
    load = report.load
    out.append(
        f"t86audit report: {len(report.entries)} entries audited, "
        f"{counts['violation']} violation(s), {counts['warning']} warning(s), "
        f"{counts['info']} info"
    )
    if load is not None:
        out.append(
            f"input: {load.rows_read} rows read, {load.rows_rejected} rejected "
            f"({len(load.errors)} load error(s))"
        )
    out.append(
        f"generated {report.generated_at.isoformat()}  policy table {report.result.policy_version}"
    )
    out.append("")
    current = None
    for f in report.findings:
        if f.entry_number != current:
            current = f.entry_number
            out.append(_clean(f.entry_number))
        where = f"line {f.line_number}" if f.line_number is not None else "entry"
        waived = "  [WAIVED]" if f.waived else ""
        out.append(
            f"  {f.severity.value.upper():9} {f.code} {f.name}  ({where}, "
            f"{f.field or '-'}){waived}"
        )
        out.append(f"      {_clean(f.message)}")
        if f.observed is not None or f.expected is not None:
            out.append(
                f"      filed: {_clean(f.observed or '')!s}   required: {_clean(f.expected or '')}"
            )
        out.append("      law: " + "; ".join(str(c) for c in f.citations))
        if f.related_entries:
            shown = ", ".join(_clean(n) for n in f.related_entries[:10])
            more = len(f.related_entries) - 10
            out.append(f"      related: {shown}" + (f" (+{more} more)" if more > 0 else ""))
    if not report.findings:
        out.append("no findings")
    out.append("")
    for ev in report.samples:
        s = ev.sample
        out.append(
            f"sample {_clean(s.id)} ({s.method}, {s.size} entries): "
            f"{ev.entries_with_violations} with a violation"
        )
        if ev.rate_interval_95 is not None:
            low, high = ev.rate_interval_95
            out.append(f"    95% interval for the population rate: {low:.1%} to {high:.1%}")
        else:
            out.append("    not projectable: describes its own entries only")
    out.append("rules:")
    for r in report.rules:
        extra = f" ({_clean(r.reason)})" if r.reason else ""
        if r.errors:
            extra = f" ({r.error_count} error(s): {_clean(r.errors[0].message)})"
        out.append(f"  {r.rule.code} {r.rule.name:40} {r.status:15} {r.findings}{extra}")
    if load is not None and load.errors:
        out.append("")
        out.append("load errors:")
        out.extend(
            f"  {_clean(e.source)} row {e.row} {e.column or '-'}: {_clean(e.message)}"
            for e in load.errors[:50]
        )
        if len(load.errors) > 50:
            out.append(f"  ... {len(load.errors) - 50} more (see the JSON report)")
    out.append("")
    out.append(DISCLAIMER)
    return "\n".join(out) + "\n"
