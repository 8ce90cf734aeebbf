"""The findings as CSV, one row per finding, safe to open in a spreadsheet.

Columns are :data:`COLUMNS`. Multi-valued cells (citations, related entries, samples, source
rows) are joined with ``"; "`` or ``" "``. Every cell is quoted (RFC 4180, CRLF line ends).

**Formula neutralisation.** A spreadsheet reads a cell that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return as a formula, which a hostile seller name or description could
use to run commands or leak data (CSV injection). Following the OWASP recommendation, such a
cell is prefixed with a single quote ``'``, which makes the spreadsheet show it as text. The
check also looks past leading white space and invisible characters, catches a leading line feed
and the full-width forms of the four signs (U+FF1D and so on), which some spreadsheets accept. The
quote is visible in the cell: ``-5.00`` is written ``'-5.00``. Use the JSON report when exact
values matter.

**Control characters.** Characters that are neither printable nor white space (control and
format characters such as NUL, escape sequences or bidirectional overrides, and unpaired
surrogates) are written as U+FFFD, as in the text report: they have no place in a name or a
description, and some could mislead a reader or a program that opens the file.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING, Any

from t86audit.report._common import cited_law, finding_facts


if TYPE_CHECKING:
    from t86audit._entries import EntryRecord
    from t86audit.findings import Finding
    from t86audit.report import Report
    from t86audit.report._common import TextWriter
    from t86audit.report._model import EntryFacts


__all__ = ["COLUMNS", "FORMULA_PREFIXES", "clean", "neutralise", "records", "render", "write"]

COLUMNS = (
    "severity",
    "code",
    "name",
    "entry_number",
    "line_number",
    "field",
    "observed",
    "expected",
    "message",
    "basis",
    "citations",
    "citation_urls",
    "related_entries",
    "policy_period",
    "samples",
    "waived",
    "waiver_reason",
    "waiver_reviewer",
    "waiver_date",
    "arrival_date",
    "port_code",
    "filer_code",
    "seller",
    "consignee",
    "source",
    "source_rows",
)
"""The CSV header, in order (also the keys of :meth:`Report.to_records`)."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
"""First characters that make a spreadsheet treat a cell as a formula."""

_FORMULA_SIGNS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b")
"""The signs that start a formula, with their full-width and small forms."""


def neutralise(value: str) -> str:
    """Prefix ``value`` with ``'`` if a spreadsheet would read it as a formula.

    >>> neutralise("=1+2")
    "'=1+2"
    >>> neutralise("plain")
    'plain'
    """
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value
    for c in value:
        # Spreadsheets skip leading blanks before a formula sign; look past anything unseen.
        if c.isspace() or not c.isprintable():
            continue
        return "'" + value if c in _FORMULA_SIGNS else value
    return value


def clean(value: str) -> str:
    r"""Replace characters that are neither printable nor white space with U+FFFD.

    >>> clean("Acme\x1b[31m Ltd") == "Acme\ufffd[31m Ltd"
    True
    """
    if value.isprintable():
        return value
    return "".join(c if c.isprintable() or c.isspace() else "\ufffd" for c in value)


def _facts_index(report: Report) -> dict[str, EntryFacts | EntryRecord]:
    """The facts of the first entry of each key that has a finding (only those are needed)."""
    from t86audit.report._analysis import entry_key, fact_rows  # noqa: PLC0415

    wanted = {entry_key(f.entry_number) for f in report.findings}
    index: dict[str, EntryFacts | EntryRecord] = {}
    if not wanted:
        return index
    for fact in fact_rows(report):
        key = fact.key
        if key in wanted and key not in index:
            index[key] = fact
            if len(index) == len(wanted):
                break
    return index


def _record(
    report: Report, f: Finding, facts: dict[str, EntryFacts | EntryRecord]
) -> dict[str, Any]:
    from t86audit.report._analysis import entry_key  # noqa: PLC0415

    fact = facts.get(entry_key(f.entry_number))
    waiver = report.waiver_for(f)
    return {
        "severity": f.severity.value,
        "code": f.code,
        "name": f.name,
        **finding_facts(f),
        "citations": cited_law(f.citations),
        "citation_urls": " ".join(c.url for c in f.citations if c.url),
        "related_entries": " ".join(f.related_entries),
        "policy_period": f.policy_period,
        "samples": " ".join(f.samples),
        "waived": f.waived,
        "waiver_reason": f.waiver_reason or None,
        "waiver_reviewer": waiver.reviewer if waiver else None,
        "waiver_date": waiver.date.isoformat() if waiver else None,
        "arrival_date": fact.arrival_date.isoformat() if fact else None,
        "port_code": fact.port_code if fact else None,
        "filer_code": fact.filer_code if fact else None,
        "seller": fact.seller if fact else None,
        "consignee": fact.consignee if fact else None,
        "source": f.source,
        "source_rows": " ".join(str(r) for r in f.source_rows),
    }


def records(report: Report) -> list[dict[str, Any]]:
    """One dict per finding, keys :data:`COLUMNS`, in the report's order (values as is)."""
    facts = _facts_index(report)
    return [_record(report, f, facts) for f in report.findings]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return neutralise(clean(str(value)))


_CHUNK = 512
"""Rows formatted per write to the stream."""


def write(report: Report, stream: TextWriter) -> None:
    """Write the findings as CSV to ``stream``, a few hundred rows at a time (see :func:`render`).

    ``stream`` must not translate line ends: the rows end with CRLF already.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    facts = _facts_index(report)
    for count, finding in enumerate(report.findings, 1):
        record = _record(report, finding, facts)
        writer.writerow([_text(record[c]) for c in COLUMNS])
        if count % _CHUNK == 0:
            stream.write(buffer.getvalue())
            buffer.seek(0)
            buffer.truncate()
    stream.write(buffer.getvalue())


def render(report: Report) -> str:
    """Render the findings as CSV text (header row first)."""
    from t86audit.report._common import collect  # noqa: PLC0415

    return collect(write, report)
