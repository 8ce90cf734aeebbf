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

:func:`write` streams the report (two-space indent) to a text stream a few hundred entries at a
time; :func:`render` returns the same text. The entry table and the findings have fixed shapes
and are formatted from templates, with strings encoded by :mod:`json`'s C string encoder: the
text is byte for byte what ``json.dumps(to_dict(report), indent=2, ensure_ascii=False)`` gives.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from itertools import islice, repeat
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any, Final, cast

from t86audit._entries import T86_CODES, column_of
from t86audit.report._analysis import (
    _CLEAN,
    EntryRowSource,
    EntryRowValues,
    RowTail,
    _not_judged,
)
from t86audit.report._common import (
    CULPABILITY_NOTE,
    DISCLAIMER,
    SCHEMA_VERSION,
    finding_facts,
)


if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from t86audit._entries import EntryRecord
    from t86audit.findings import Finding
    from t86audit.io import SourceInfo
    from t86audit.report import Report
    from t86audit.report._common import TextWriter
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


def _safe(text: str) -> str:
    """``text`` with its unprintable characters escaped (see the module docstring)."""
    # Outside strings the JSON text holds only ASCII punctuation, digits and white space, so an
    # unprintable character stands inside a string, where its escape means the same value. The
    # string encoder already escapes the C0 controls, so ASCII text without DEL needs nothing.
    if text.isascii():
        return text if "\x7f" not in text else _UNSAFE_RUN.sub(_escape_run, text)
    # Text with printable non-ASCII characters only (a seller's name in its own script) is
    # checked in C, its lines at once: the search below calls back into Python for each run
    # of such characters, three times as slow on a large report's entry table.
    if "".join(text.split("\n")).isprintable():
        return text
    return _UNSAFE_RUN.sub(_escape_run, text)


_string: Callable[[str], str] = encode_basestring
"""A string as JSON (C when available): exactly what ``json.dumps(ensure_ascii=False)`` writes."""

_PADS: Final = tuple("\n" + "  " * level for level in range(16))
"""A line break and the indentation of each nesting level."""


def _pad(level: int) -> str:
    return _PADS[level] if level < len(_PADS) else "\n" + "  " * level


def _value(value: object, level: int) -> str:
    """``value`` as ``json.dumps(value, indent=2, ensure_ascii=False, default=str)`` writes it.

    At nesting ``level``: plain str, int, bool, None, list, tuple and str-keyed dict here, and
    anything else (floats, subclasses, other keys) by :func:`json.dumps` itself.
    """
    kind = type(value)
    # Exact types only: anything else (a subclass too) is left to json.dumps to write.
    if kind is str:
        return _string(cast("str", value))
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return int.__repr__(cast("int", value))
    if kind is list or kind is tuple:
        return _list(cast("list[Any]", value), level)
    if kind is dict:
        mapping = cast("dict[Any, Any]", value)
        if all(type(k) is str for k in mapping):
            return _object(mapping, level)
    text = json.dumps(value, indent=2, ensure_ascii=False, default=str)
    return text.replace("\n", _pad(level))


def _list(items: list[Any] | tuple[Any, ...], level: int) -> str:
    if not items:
        return "[]"
    pad = _pad(level + 1)
    inner = level + 1
    return "[" + pad + ("," + pad).join([_value(v, inner) for v in items]) + _pad(level) + "]"


def _object(mapping: dict[str, Any], level: int) -> str:
    if not mapping:
        return "{}"
    pad = _pad(level + 1)
    inner = level + 1
    return (
        "{"
        + pad
        + ("," + pad).join([_string(k) + ": " + _value(v, inner) for k, v in mapping.items()])
        + _pad(level)
        + "}"
    )


def _round(value: float | None) -> float | None:
    """Rates to 4 places (0.3085), as in the contract; exact values stay in the report."""
    return None if value is None else round(value, 4)


def _waiver(w: Waiver) -> dict[str, Any]:
    return w.to_dict()


_Cited = dict[int, tuple[object, str, str]]
"""Per citations tuple (by identity, the tuple kept alive): its two lists as JSON text."""


def _citations_text(f: Finding, cited: _Cited) -> tuple[str, str]:
    """``citations`` and ``citation_details`` of ``f`` as JSON text (level 3).

    A rule's findings share its citations: each tuple is written once per report.
    """
    citations = f.citations
    found = cited.get(id(citations))
    if found is None or found[0] is not citations:
        found = cited[id(citations)] = (
            citations,
            _list([str(c) for c in citations], 3),
            _list([c.to_dict() for c in citations], 3),
        )
    return found[1], found[2]


def _finding_text(report: Report, f: Finding, cited: _Cited) -> str:
    """:func:`_finding` as JSON text, an item of the top-level ``findings`` list (level 2)."""
    waiver = report.waiver_for(f)
    v = _value
    citations, details = _citations_text(f, cited)
    return (
        f'{{\n      "code": {v(f.code, 3)},'
        f'\n      "name": {v(f.name, 3)},'
        f'\n      "severity": {v(f.severity.value, 3)},'
        f'\n      "entry_number": {v(f.entry_number, 3)},'
        f'\n      "line_number": {v(f.line_number, 3)},'
        f'\n      "field": {v(f.field, 3)},'
        f'\n      "observed": {v(f.observed, 3)},'
        f'\n      "expected": {v(f.expected, 3)},'
        f'\n      "message": {v(f.message, 3)},'
        f'\n      "basis": {v(f.basis, 3)},'
        f'\n      "citations": {citations},'
        f'\n      "citation_details": {details},'
        f'\n      "related_entries": {_list(f.related_entries, 3)},'
        f'\n      "waived": {v(f.waived, 3)},'
        f'\n      "waiver_reason": {v(f.waiver_reason or None, 3)},'
        f'\n      "waiver": {"null" if waiver is None else v(_waiver(waiver), 3)},'
        f'\n      "policy_period": {v(f.policy_period, 3)},'
        f'\n      "samples": {_list(f.samples, 3)},'
        f'\n      "source": {v(f.source, 3)},'
        f'\n      "source_rows": {_list(f.source_rows, 3)}'
        "\n    }"
    )


def _finding(report: Report, f: Finding) -> dict[str, Any]:
    waiver = report.waiver_for(f)
    return {
        "code": f.code,
        "name": f.name,
        "severity": f.severity.value,
        **finding_facts(f),
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
    "random": "seeded simple random sample: the interval bounds the rate of violations visible "
    "in the filed data among the population's Type 86 entries (each entry number once; "
    "entries of other types are not drawn)",
    # A stratified random sample is a probability sample, projectable only weighted by stratum.
    "stratified": "not projected: a stratified sample's rate describes the population only "
    "weighted by stratum, which this report does not do; no population rate or interval is given",
}
_NOT_PROJECTABLE = (
    "not projectable: the sample describes only its own entries; no population rate "
    "or interval is given"
)


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
        "projection_note": _PROJECTION.get(s.method, _NOT_PROJECTABLE),
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


def _entry(row: EntryRowValues) -> dict[str, Any]:
    (number, arrival, source, rows, port, filer, seller, consignee) = row[:8]
    (violations, warnings, infos, waived, status, samples, entry_type) = row[8:]
    return {
        "entry_number": number,
        "arrival_date": arrival,
        "port_code": port,
        "filer_code": filer,
        "seller": seller,
        "consignee": consignee,
        "violations": violations,
        "warnings": warnings,
        "infos": infos,
        "waived": waived,
        "status": status,
        "samples": list(samples),
        "source": source,
        "rows": rows,
        "entry_type": entry_type,
    }


def _entry_texts(rows: Iterable[EntryRowValues], *, plain: bool) -> Iterable[str]:
    """:func:`_entry` as JSON text per row, items of the top-level ``entries`` list (level 2).

    ``plain``: every value has the type an audit gives it (str, int, tuple of str), so the
    strings go straight to the C encoder; otherwise each value is encoded as ``json`` would.
    """
    s: Callable[[Any], str] = _string if plain else (lambda value: _value(value, 3))
    n: Callable[[Any], str] = int.__repr__ if plain else (lambda value: _value(value, 3))
    for (
        number,
        arrival,
        source,
        rows_read,
        port,
        filer,
        seller,
        consignee,
        violations,
        warnings,
        infos,
        waived,
        status,
        samples,
        entry_type,
    ) in rows:
        yield (
            f'{{\n      "entry_number": {s(number)},'
            f'\n      "arrival_date": {s(arrival)},'
            f'\n      "port_code": {s(port)},'
            f'\n      "filer_code": {s(filer)},'
            f'\n      "seller": {s(seller)},'
            f'\n      "consignee": {s(consignee)},'
            f'\n      "violations": {n(violations)},'
            f'\n      "warnings": {n(warnings)},'
            f'\n      "infos": {n(infos)},'
            f'\n      "waived": {n(waived)},'
            f'\n      "status": {s(status)},'
            f'\n      "samples": {_list(list(samples), 3) if samples else "[]"},'
            f'\n      "source": {s(source)},'
            f'\n      "rows": {n(rows_read)},'
            f'\n      "entry_type": {s(entry_type)}'
            "\n    }"
        )


_ROW: Final = (
    '{\n      "entry_number": %s,\n      "arrival_date": %s,\n      "port_code": %s,'
    '\n      "filer_code": %s,\n      "seller": %s,\n      "consignee": %s,%s'
    '\n      "source": %s,\n      "rows": %d,\n      "entry_type": %s\n    }'
)
"""An entry's item in the ``entries`` list, as :func:`_entry_texts` writes it; the ``%s``
after the consignee is the row's tail (:func:`_tail_text`)."""


def _tail_text(tail: RowTail) -> str:
    """The counts, status and samples of an entry's item (between consignee and source)."""
    violations, warnings, infos, waived, status, samples = tail
    return (
        f'\n      "violations": {violations},'
        f'\n      "warnings": {warnings},'
        f'\n      "infos": {infos},'
        f'\n      "waived": {waived},'
        f'\n      "status": {_string(status)},'
        f'\n      "samples": {_list(list(samples), 3) if samples else "[]"},'
    )


class _Encoded(dict[Any, str]):
    """Texts as JSON, each encoded once: the columns whose values repeat (ports, days, ...)."""

    def __init__(self, text: Callable[[Any], str] = str) -> None:
        super().__init__()
        self.text = text

    def __missing__(self, value: Any) -> str:
        self[value] = encoded = _string(self.text(value))
        return encoded


def _record_texts(records: Sequence[EntryRecord], tails: Mapping[str, RowTail]) -> Iterable[str]:
    """:func:`_entry_texts` of an audit's records, made column by column.

    The same text, made in C but for the tails of the few entries not simply clean: a
    population's table of entries is most of its report, and a row a time costs several
    times more (a tuple, a dozen calls and encodings per entry).
    """
    clean = _tail_text(_CLEAN)
    by_key = {key: _tail_text(tail) for key, tail in tails.items()}
    keys = column_of(records, "key")
    types = list(column_of(records, "entry_type"))
    if set(types) <= T86_CODES:
        tail_texts: Iterable[str] = map(by_key.get, keys, repeat(clean))
    else:
        # An entry of another type is "not_judged", its counts as the audit made them.
        tail_texts = (
            by_key.get(key, clean)
            if entry_type in T86_CODES
            else _tail_text(_not_judged(tails.get(key, _CLEAN)))
            for key, entry_type in zip(keys, types, strict=True)
        )
    encoded = _Encoded()
    return map(
        _ROW.__mod__,
        zip(
            map(_string, column_of(records, "entry_number")),
            map(_Encoded(dt.date.isoformat).__getitem__, column_of(records, "arrival_date")),
            map(encoded.__getitem__, column_of(records, "port_code")),
            map(encoded.__getitem__, column_of(records, "filer_code")),
            map(encoded.__getitem__, column_of(records, "seller")),
            map(_string, column_of(records, "consignee")),
            tail_texts,
            map(encoded.__getitem__, column_of(records, "source")),
            column_of(records, "rows"),
            map(encoded.__getitem__, types),
            strict=True,
        ),
    )


def _jsonable(value: Any) -> Any:
    """Options as JSON: mappings sorted by key, tuples as lists, anything else as text."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


_FINDINGS: Final = object()
_ENTRIES: Final = object()


def to_dict(report: Report) -> dict[str, Any]:
    """The report as JSON-ready data."""
    return _document(
        report,
        [_finding(report, f) for f in report.findings],
        [_entry(row) for row in EntryRowSource(report)],
    )


def _source(source: SourceInfo) -> dict[str, Any]:
    """An input file in ``input.sources``; its delimiter only when it is not the comma.

    (As ``t86audit load`` gives it: a report of comma-separated files reads as before.)
    """
    out: dict[str, Any] = {
        "path": source.path,
        "sha256": source.sha256,
        "rows_read": source.rows_read,
    }
    if source.delimiter:
        out["delimiter"] = source.delimiter
        out["delimiter_found"] = source.delimiter_found
    return out


def _document(report: Report, findings: object, entries: object) -> dict[str, Any]:
    """The report as JSON-ready data with the given ``findings`` and ``entries`` values."""
    load = report.load
    if load is not None:
        sources = [_source(s) for s in load.sources]
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
            "entries_by_type": EntryRowSource(report).by_type(),
        },
        "counts": {**report.counts(), "waived": report.waived_count},
        "rules": [
            {
                "code": r.rule.code,
                "name": r.rule.name,
                "severity": r.rule.severity.value,
                "basis": r.rule.basis,
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
        "findings": findings,
        "entries": entries,
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
        "exposure": None if report.exposure is None else report.exposure.to_dict(),
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


_CHUNK = 512
"""Entries or findings formatted per write to the stream."""


class _Out:
    """Collects the pieces of the text; writes them, escaped, a chunk at a time."""

    __slots__ = ("parts", "stream")

    def __init__(self, stream: TextWriter) -> None:
        self.stream = stream
        self.parts: list[str] = []

    def flush(self) -> None:
        if self.parts:
            self.stream.write(_safe("".join(self.parts)))
            self.parts.clear()

    def items(self, texts: Iterable[str]) -> None:
        """Write the items of a top-level list (level 1) as ``json`` does."""
        parts = self.parts
        texts = iter(texts)
        # A chunk of items joined in C: a population's entry table is most of the report, and
        # a Python step per item (two appends and a count) cost a third of its writing.
        chunk = list(islice(texts, _CHUNK))
        if not chunk:
            parts.append("[]")
            return
        parts.append("[\n    ")
        while True:
            parts.append(",\n    ".join(chunk))
            self.flush()
            chunk = list(islice(texts, _CHUNK))
            if not chunk:
                break
            parts.append(",\n    ")
        parts.append("\n  ]")


def write(report: Report, stream: TextWriter) -> None:
    """Write the JSON report to ``stream`` piece by piece: the text of :func:`render`.

    The report's findings and entry table are formatted a few hundred at a time, so the whole
    text is never in memory (``stream`` should not translate line ends).
    """
    out = _Out(stream)
    document = _document(report, _FINDINGS, _ENTRIES)
    separator = "{\n  "
    for key, value in document.items():
        out.parts.append(f"{separator}{_string(key)}: ")
        separator = ",\n  "
        if value is _FINDINGS:
            cited: _Cited = {}
            out.items(_finding_text(report, f, cited) for f in report.findings)
        elif value is _ENTRIES:
            source = EntryRowSource(report)
            by_column = source.record_tails()
            out.items(
                _entry_texts(source, plain=source.plain)
                if by_column is None
                else _record_texts(*by_column)
            )
        else:
            out.parts.append(_value(value, 1))
    out.parts.append("\n}\n")
    out.flush()


def render(report: Report, *, indent: int | None = 2) -> str:
    """The report as JSON text (UTF-8 safe, keys in contract order, trailing newline)."""
    if indent == 2:
        buffer = io.StringIO()
        write(report, buffer)
        return buffer.getvalue()
    text = json.dumps(to_dict(report), indent=indent, ensure_ascii=False, default=str) + "\n"
    return _safe(text)
