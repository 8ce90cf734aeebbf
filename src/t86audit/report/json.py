"""The JSON report, ``schema_version`` 1 (``contracts.md`` section 4; ``docs/report-schema.json``).

The keys of the contract are always present, in the contract's order; more are added:

* top level: ``disclaimer``, ``counts``, ``entries`` (every audited entry), ``patterns``,
  ``letter_response``, ``waivers``, ``audit_trail``;
* per finding: ``citation_details`` (with URL and note), ``waiver_reason``, ``waiver``,
  ``policy_period``, ``samples``, ``source``, ``source_rows``;
* per rule: ``pack``, ``reason``, ``errors``, ``error_count``, ``waived``;
* per sample: ``provenance``, ``point_estimate``, ``confidence``, ``target_rate``,
  ``zero_failure_sample_size``, ``entry_results``, ``projection_note`` and the flat provenance
  keys ``population_size``, ``population_fingerprint``, ``drawn_at``, ``stratify_by``, ``note``.

Output is deterministic: the same report renders to the same bytes (lists in a fixed order,
option mappings sorted by key, printable non-ASCII kept as UTF-8). Characters that are not
printable (control and format characters such as a bidirectional override, and unpaired
surrogates, which no UTF-8 file can hold) are written as JSON unicode escapes: the values read
back exactly, and the file is safe to open in an editor or print to a terminal.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from t86audit.report import CULPABILITY_NOTE, DISCLAIMER, SCHEMA_VERSION


if TYPE_CHECKING:
    from t86audit.findings import Finding
    from t86audit.report import Report
    from t86audit.report._model import (
        LetterEntry,
        PatternDimension,
        SampleEvaluation,
    )
    from t86audit.waivers import Waiver


# json.dumps escapes only the C0 controls; these runs may hold other unprintable characters.
_UNSAFE_RUN = re.compile(r"[^\x20-\x7e\n]+")


def _escape(char: str) -> str:
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def _escape_run(match: re.Match[str]) -> str:
    run = match.group()
    if run.isprintable():
        return run
    return "".join(c if c.isprintable() else _escape(c) for c in run)


def _round(value: float | None) -> float | None:
    """Rates to 4 places (0.3085), as in the contract; exact values stay in the report."""
    return None if value is None else round(value, 4)


def _waiver(w: Waiver) -> dict[str, Any]:
    return w.to_dict()


def _finding(report: Report, f: Finding) -> dict[str, Any]:
    waiver = report.waiver_for(f)
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
        "waiver": None if waiver is None else _waiver(waiver),
        "policy_period": f.policy_period,
        "samples": list(f.samples),
        "source": f.source,
        "source_rows": list(f.source_rows),
    }


_PROJECTION = {
    True: "seeded simple random sample: the interval bounds the population violation rate",
    False: "not projectable: the sample describes only its own entries; no population rate "
    "or interval is given",
}


def _sample(ev: SampleEvaluation) -> dict[str, Any]:
    s = ev.sample
    provenance = {
        "method": s.method,
        "seed": s.seed,
        "population_size": s.population_size,
        "population_fingerprint": s.population_fingerprint,
        "population_matches": ev.population_matches,
        "drawn_at": s.drawn_at.isoformat(),
        "stratify_by": s.stratify_by,
        "note": s.note,
    }
    return {
        "id": s.id,
        "method": s.method,
        "seed": s.seed,
        "size": s.size,
        "entries": list(s.entry_numbers),
        "entries_with_violations": ev.entries_with_violations,
        "projectable": s.projectable,
        "rate_interval_95": None
        if ev.rate_interval_95 is None
        else [_round(ev.rate_interval_95[0]), _round(ev.rate_interval_95[1])],
        "upper_bound_95": _round(ev.upper_bound_95),
        "point_estimate": _round(ev.point_estimate),
        "confidence": 0.95,
        "target_rate": ev.target_rate,
        "zero_failure_sample_size": ev.zero_failure_sample_size,
        "projection_note": _PROJECTION[s.projectable],
        "entry_results": [
            {"entry_number": number, "violations": n} for number, n in ev.violations_by_entry
        ],
        "provenance": provenance,
        "population_size": s.population_size,
        "population_fingerprint": s.population_fingerprint,
        "drawn_at": s.drawn_at.isoformat(),
        "stratify_by": s.stratify_by,
        "note": s.note,
    }


def _pattern(dim: PatternDimension) -> dict[str, Any]:
    return {
        "dimension": dim.name,
        "label": dim.label,
        "distinct_values": dim.distinct_values,
        "groups": [
            {
                "value": g.value,
                "entries": g.entries,
                "entries_flagged": g.entries_flagged,
                "rate_flagged": round(g.rate, 4),
                "violations": g.violations,
                "warnings": g.warnings,
                "infos": g.infos,
                "waived": g.waived,
                "rules": [
                    {"code": t.code, "findings": t.findings, "entries": t.entries} for t in g.rules
                ],
            }
            for g in dim.groups
        ],
    }


def _letter_entry(report: Report, item: LetterEntry) -> dict[str, Any]:
    e = item.entry

    def party(p: Any) -> dict[str, str]:
        return {
            "name": p.name,
            "address": p.address,
            "city": p.city,
            "state": p.state,
            "postal_code": p.postal_code,
            "country": p.country,
        }

    findings = []
    for f in item.findings:
        rule = report.rule(f.code)
        findings.append(
            {
                **_finding(report, f),
                "rationale": rule.rationale if rule is not None else None,
                "reasonable_care": rule.reasonable_care if rule is not None else None,
            }
        )
    return {
        "entry_number": e.number,
        "samples": list(item.samples),
        "arrival_date": e.arrival_date.isoformat(),
        "policy_period": report.policy_period_at(e.arrival_date) or None,
        "port_code": e.port_code,
        "filer_code": e.filer_code,
        "entry_type": e.entry_type,
        "mode": e.mode,
        "bill_of_lading": e.bill_of_lading,
        "filed_at": e.filed_at_raw or None,
        "importer_of_record": e.importer_of_record,
        "consignee": party(e.consignee),
        "seller": party(e.seller),
        "total_value_usd": str(e.total_value),
        "lines": [
            {
                "line_number": line.line_number,
                "description": line.description,
                "hts_number": line.hts_number,
                "country_of_origin": line.country_of_origin,
                "value_usd": line.value_raw
                or (None if line.value_usd is None else str(line.value_usd)),
                "quantity": line.quantity_raw
                or (None if line.quantity is None else str(line.quantity)),
                "quantity_unit": line.quantity_unit,
            }
            for line in e.lines
        ],
        "source": e.source,
        "source_rows": list(e.source_rows),
        "findings": findings,
        "related_findings": [
            {"code": f.code, "entry_number": f.entry_number, "message": f.message}
            for f in item.related_findings
        ],
        "checks_passed": [
            {"code": r.code, "name": r.name, "summary": r.summary} for r in item.passed
        ],
        "not_checked": [
            {
                "code": r.rule.code,
                "name": r.rule.name,
                "status": r.status,
                "reason": r.reason or None,
            }
            for r in item.not_checked
        ],
    }


def _jsonable(value: Any) -> Any:
    """Options as JSON: mappings sorted by key, tuples as lists, anything else as text."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


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
    waived_by_rule: dict[str, int] = {}
    for f in report.findings:
        if f.waived:
            waived_by_rule[f.code] = waived_by_rule.get(f.code, 0) + 1
    unused = {id(u.waiver): u.why for u in report.unused_waivers}
    waived_by_waiver: dict[int, int] = {}
    for f in report.findings:
        w = report.waiver_for(f)
        if w is not None:
            waived_by_waiver[id(w)] = waived_by_waiver.get(id(w), 0) + 1
    samples = report.result.samples
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
        "counts": {**report.counts(), "waived": report.waived_count},
        "rules": [
            {
                "code": r.rule.code,
                "name": r.rule.name,
                "severity": r.rule.severity.value,
                "status": r.status,
                "findings": r.findings,
                "waived": waived_by_rule.get(r.rule.code, 0),
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
        "findings": [_finding(report, f) for f in report.findings],
        "entries": [
            {
                "entry_number": r.entry_number,
                "arrival_date": r.arrival_date,
                "port_code": r.port_code,
                "filer_code": r.filer_code,
                "seller": r.seller,
                "consignee": r.consignee,
                "violations": r.violations,
                "warnings": r.warnings,
                "infos": r.infos,
                "waived": r.waived,
                "status": r.status,
                "samples": list(r.samples),
                "source": r.source,
                "rows": r.rows,
            }
            for r in report.entry_rows
        ],
        "samples": [_sample(ev) for ev in report.samples],
        "patterns": [_pattern(dim) for dim in report.patterns] if report.facts else [],
        "letter_response": {
            "culpability_note": CULPABILITY_NOTE,
            "entries": [_letter_entry(report, item) for item in report.letter_response],
        },
        "waivers": {
            "source": report.waivers.source if report.waivers.waivers else None,
            "sha256": report.waivers.sha256 or None,
            "given": len(report.waivers.waivers),
            "findings_waived": report.waived_count,
            "items": [
                {
                    **_waiver(w),
                    "findings_waived": waived_by_waiver.get(id(w), 0),
                    "used": id(w) not in unused,
                    "unused_reason": unused.get(id(w)),
                }
                for w in report.waivers.waivers
            ],
        },
        "load_errors": load_errors,
        "audit_trail": {
            "tool": {"name": "t86audit", "version": report.tool_version},
            "generated_at": report.generated_at.isoformat(),
            "packs": [
                {"name": p.name, "version": p.version, "rules": [r.code for r in p.rules]}
                for p in report.packs
            ],
            "policy_table_version": report.result.policy_version,
            "reference_data": [
                {"name": s.name, "source": s.source, "date": s.date, "sha256": s.sha256}
                for s in report.snapshots
            ],
            "inputs": sources,
            "population_fingerprint": report.population_fingerprint or None,
            "seeds": sorted({s.seed for s in samples if s.seed is not None}),
            "samples": [
                {
                    "id": s.id,
                    "method": s.method,
                    "seed": s.seed,
                    "drawn_at": s.drawn_at.isoformat(),
                    "population_fingerprint": s.population_fingerprint,
                }
                for s in samples
            ],
            "waivers_file": (
                {
                    "path": report.waivers.source,
                    "sha256": report.waivers.sha256 or None,
                    "waivers": len(report.waivers.waivers),
                }
                if report.waivers.waivers
                else None
            ),
            "target_rate": report.target_rate,
            "options": _jsonable(dict(report.options)),
            "invocation": _jsonable(dict(report.invocation)),
        },
    }


def render(report: Report, *, indent: int | None = 2) -> str:
    """The report as JSON text (UTF-8 safe, keys in contract order, trailing newline)."""
    text = json.dumps(to_dict(report), indent=indent, ensure_ascii=False, default=str) + "\n"
    # Outside strings json.dumps writes only ASCII punctuation, digits and white space, so an
    # unprintable character stands inside a string, where its escape means the same value.
    return _UNSAFE_RUN.sub(_escape_run, text)
