"""The JSON report, ``schema_version`` 1 (``contracts.md`` section 4).

The keys of the contract are always present; more are added (``entries``, ``packs``,
``audit_trail``, ``disclaimer``, ``counts``, and per finding ``citation_details`` and
``policy_period``). Output is deterministic: the same report renders to the same bytes.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from t86audit.report import DISCLAIMER, SCHEMA_VERSION


if TYPE_CHECKING:
    from t86audit.findings import Finding
    from t86audit.report import Report


def _finding(f: Finding) -> dict[str, Any]:
    return {
        "code": f.code,
        "name": f.name,
        "severity": f.severity.value,
        "entry_number": f.entry_number,
        "line_number": f.line_number,
        "field": f.field,
        "observed": f.observed,
        "expected": f.expected,
        "message": f.message,
        "citations": [str(c) for c in f.citations],
        "citation_details": [c.to_dict() for c in f.citations],
        "related_entries": list(f.related_entries),
        "waived": f.waived,
        "waiver_reason": f.waiver_reason or None,
        "policy_period": f.policy_period,
        "samples": list(f.samples),
        "source": f.source,
        "source_rows": list(f.source_rows),
    }


def to_dict(report: Report) -> dict[str, Any]:
    """The report as JSON-ready data."""
    load = report.load
    if load is not None:
        sources = [
            {"path": s.path, "sha256": s.sha256, "rows_read": s.rows_read} for s in load.sources
        ]
        rows_read, rows_rejected = load.rows_read, load.rows_rejected
        load_errors = [e.to_dict() for e in load.errors]
    else:
        sources, load_errors, rows_rejected = [], [], 0
        rows_read = sum(e.rows for e in report.entries)
    samples = []
    for ev in report.samples:
        s = ev.sample
        samples.append(
            {
                "id": s.id,
                "method": s.method,
                "seed": s.seed,
                "size": s.size,
                "entries": list(s.entry_numbers),
                "entries_with_violations": ev.entries_with_violations,
                "projectable": s.projectable,
                "rate_interval_95": None
                if ev.rate_interval_95 is None
                else list(ev.rate_interval_95),
                "upper_bound_95": ev.upper_bound_95,
                "population_size": s.population_size,
                "population_fingerprint": s.population_fingerprint,
                "drawn_at": s.drawn_at.isoformat(),
                "note": s.note,
            }
        )
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "t86audit", "version": report.tool_version},
        "generated_at": report.generated_at.isoformat(),
        "disclaimer": DISCLAIMER,
        "input": {
            "sources": sources,
            "rows_read": rows_read,
            "entries_loaded": len(report.entries),
            "rows_rejected": rows_rejected,
        },
        "counts": report.counts(),
        "rules": [
            {
                "code": r.rule.code,
                "name": r.rule.name,
                "severity": r.rule.severity.value,
                "status": r.status,
                "findings": r.findings,
                "pack": r.rule.pack,
                "reason": r.reason or None,
                "errors": [
                    {
                        "entry_number": e.entry_number,
                        "exception": e.exception_type,
                        "message": e.message,
                    }
                    for e in r.errors
                ],
                "error_count": r.error_count,
            }
            for r in report.rules
        ],
        "findings": [_finding(f) for f in report.findings],
        "entries": [
            {
                "entry_number": e.entry_number,
                "arrival_date": e.arrival_date,
                "violations": e.violations,
                "warnings": e.warnings,
                "infos": e.infos,
                "samples": list(e.samples),
            }
            for e in report.entries
        ],
        "samples": samples,
        "load_errors": load_errors,
        "audit_trail": {
            "packs": [
                {"name": p.name, "version": p.version, "rules": [r.code for r in p.rules]}
                for p in report.packs
            ],
            "policy_table_version": report.result.policy_version,
            "reference_data": [
                {"name": s.name, "source": s.source, "date": s.date, "sha256": s.sha256}
                for s in report.snapshots
            ],
            "options": dict(report.options),
        },
    }


def render(report: Report, *, indent: int | None = 2) -> str:
    """The report as JSON text (UTF-8 safe, keys in contract order, trailing newline)."""
    return json.dumps(to_dict(report), indent=indent, ensure_ascii=False, default=str) + "\n"
