"""The report as an Excel workbook for a compliance team (needs ``pip install 't86audit[excel]'``).

Six worksheets: **Summary** (what was audited, the accounting, findings by severity and by rule,
the exposure's totals and penalty ceilings, the samples' results), **Findings** (one row per
finding, the CSV export's columns, with an autofilter and a frozen header), **Entries** (every
audited entry with its counts and standing), **Exposure** (the prior-disclosure worksheet that
``--exposure-worksheet`` writes as CSV: per ineligible entry and line each duty and fee with its
provision, rate, source and date, then the totals), **Samples** and **Load errors** (every input
row that could not be read, with its source, row, column, value and reason).

**Formula neutralisation**, as in the CSV export: a text cell that a spreadsheet would read as a
formula (``=``, ``+``, ``-``, ``@`` ...) is prefixed with ``'`` by
:func:`t86audit.report.csv.neutralise`, and characters that are neither printable nor white space
(and the control characters XML cannot hold) are written as U+FFFD. Counts and line numbers are
number cells, and so are the Exposure sheet's amounts (two-place figures, so that a spreadsheet
can sum them; the JSON report keeps them exact); other amounts and codes stay text, as filed.

The workbook is written with openpyxl's write-only mode, row by row. A worksheet holds at most
1,048,576 rows; a longer table ends with a row saying how many rows were left out.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from t86audit.report._common import DISCLAIMER
from t86audit.report.csv import COLUMNS, clean, neutralise, records


if TYPE_CHECKING:
    from t86audit.report import Report


__all__ = ["SHEETS", "write"]

SHEETS = ("Summary", "Findings", "Entries", "Exposure", "Samples", "Load errors")
"""The worksheets, in order."""

EXCEL_HINT = "pip install 't86audit[excel]'"
_MAX_ROWS = 1_048_576
_MAX_CELL = 32_767
# Characters XML 1.0 cannot hold (openpyxl refuses them), white space included.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")

_ENTRY_COLUMNS = (
    "entry_number",
    "entry_type",
    "arrival_date",
    "port_code",
    "filer_code",
    "seller",
    "consignee",
    "violations",
    "warnings",
    "infos",
    "waived",
    "status",
    "samples",
    "source",
    "rows",
)
_SAMPLE_COLUMNS = (
    "id",
    "method",
    "seed",
    "size",
    "entries_with_violations",
    "projectable",
    "point_estimate",
    "rate_interval_95_low",
    "rate_interval_95_high",
    "upper_bound_95",
    "population_matches",
    "drawn_at",
    "note",
    "entries",
)
_ERROR_COLUMNS = ("source", "row", "column", "value", "message")


def _text(value: str) -> str:
    text = _ILLEGAL.sub("\ufffd", neutralise(clean(value)))
    if len(text) > _MAX_CELL:
        text = text[: _MAX_CELL - 3] + "..."
    return text


def _cell(value: Any) -> Any:
    """A value as a safe cell: numbers as numbers, everything else as neutralised text."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if isinstance(value, dt.datetime):
        return value.isoformat()  # (Excel has no time zones: the text keeps the offset)
    if isinstance(value, dt.date):
        return value  # a date cell, which a spreadsheet sorts and filters as a date
    if isinstance(value, list | tuple):
        return _text(" ".join(str(v) for v in value))
    return _text(str(value))


class _Sheet:
    """A write-only worksheet with a bold, frozen header and a row limit."""

    def __init__(self, workbook: Any, title: str, header: Sequence[str] | None) -> None:
        from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415
        from openpyxl.styles import Font  # noqa: PLC0415

        self.sheet = workbook.create_sheet(title)
        self.width = len(header) if header else 2
        # The columns holding a day: written as date cells, not text.
        self.dates = [i for i, name in enumerate(header or ()) if name in _DATE_COLUMNS]
        self.rows = 0
        self.left_out = 0
        if header:
            self.sheet.freeze_panes = "A2"
            bold = Font(bold=True)
            cells = []
            for name in header:
                cell = WriteOnlyCell(self.sheet, value=name)
                cell.font = bold
                cells.append(cell)
            self.sheet.append(cells)
            self.rows = 1

    def append(self, values: Iterable[Any]) -> None:
        if self.rows >= _MAX_ROWS - 1:
            self.left_out += 1
            return
        cells = [_cell(v) for v in values]
        for i in self.dates:
            if i < len(cells) and isinstance(cells[i], str) and _ISO_DAY.fullmatch(cells[i]):
                cells[i] = dt.date.fromisoformat(cells[i])
        self.sheet.append(cells)
        self.rows += 1

    def close(self) -> None:
        if self.left_out:
            note = (
                f"{self.left_out:,} more rows left out: a worksheet holds at most "
                f"{_MAX_ROWS:,} rows; the CSV and JSON reports have them all"
            )
            self.sheet.append([note])
            self.rows += 1

    def widths(self, widths: Sequence[int]) -> None:
        from openpyxl.utils import get_column_letter  # noqa: PLC0415

        for index, width in enumerate(widths, 1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width

    def autofilter(self) -> None:
        from openpyxl.utils import get_column_letter  # noqa: PLC0415

        self.sheet.auto_filter.ref = f"A1:{get_column_letter(self.width)}{max(self.rows, 2)}"


def _summary(workbook: Any, report: Report) -> None:
    sheet = _Sheet(workbook, "Summary", None)
    sheet.widths([34, 60, 16, 16, 16, 80])
    counts = report.counts()
    load = report.load
    sheet.append(["t86audit report", ""])
    sheet.append(["not legal advice", DISCLAIMER])
    sheet.append(["generated at", report.generated_at.isoformat()])
    sheet.append(["t86audit version", report.tool_version])
    sheet.append([])
    sheet.append(["Input"])
    if load is not None:
        for source in load.sources:
            sheet.append(["file", source.path, f"{source.rows_read} rows", source.sha256])
        sheet.append(["rows read", load.rows_read])
        sheet.append(["entries loaded", load.entries_loaded])
        sheet.append(["rows rejected (see Load errors)", load.rows_rejected])
    sheet.append(["entries audited", len(report.entries)])
    sheet.append([])
    sheet.append(["Findings"])
    for severity in ("violation", "warning", "info"):
        sheet.append([f"{severity}s", counts.get(severity, 0)])
    sheet.append(["waived", report.waived_count])
    # Counted from the findings, not the status: an entry of another type than 86 is
    # "not_judged", not flagged, unless a rule that judges its type found something.
    flagged = sum(1 for row in report.entry_rows if row.violations + row.warnings + row.infos)
    sheet.append(["entries with a finding", flagged])
    sheet.append([])
    sheet.append(["Findings by rule", "name", "severity", "findings", "entries", "what it checks"])
    by_rule: Counter[str] = Counter()
    entries_by_rule: dict[str, set[str]] = {}
    for finding in report.findings:
        by_rule[finding.code] += 1
        entries_by_rule.setdefault(finding.code, set()).add(finding.entry_number)
    for result in report.rules:
        rule = result.rule
        if rule.code in by_rule:
            sheet.append(
                [
                    rule.code,
                    rule.name,
                    rule.severity.value,
                    by_rule[rule.code],
                    len(entries_by_rule[rule.code]),
                    rule.summary,
                ]
            )
    _exposure_summary(sheet, report)
    if report.samples:
        sheet.append([])
        sheet.append(["Samples (see Samples)", "entries with a violation", "size"])
        for evaluation in report.samples:
            sheet.append(
                [
                    f"{evaluation.sample.id} ({evaluation.sample.method})",
                    evaluation.entries_with_violations,
                    evaluation.sample.size,
                ]
            )
    sheet.close()


def _exposure_summary(sheet: _Sheet, report: Report) -> None:
    """The exposure's totals and penalty ceilings, as the other formats' summaries give them."""
    exposure = report.exposure
    sheet.append([])
    if exposure is None:
        sheet.append(["Exposure", "not estimated (the audit was run without it)"])
        return
    totals = exposure.totals()
    ranges = exposure.penalty_ranges
    sheet.append(["Exposure (see Exposure)", "USD", "", "", "", _EXPOSURE_NOTE])
    sheet.append(["ineligible entries", totals["entries"]])
    if exposure.not_priced:
        # Records a finding makes ineligible that no total counts (entry type blank, no T86
        # possible on their dates): the other formats say so above the totals, and so must
        # the workbook, or its count reads as every ineligible entry.
        sheet.append(["ineligible entries not priced", len(exposure.not_priced)])
    sheet.append(["of which not computable", totals["not_computable_entries"]])
    sheet.append(["entered value", _usd(totals["entered_value_usd"])])
    sheet.append(["duties", _usd(totals["duty_usd"])])
    sheet.append(["fees", _usd(totals["fees_usd"])])
    sheet.append(["loss of revenue", _usd(totals["loss_of_revenue_usd"])])
    for ceiling in ranges.ceilings:
        name = ceiling.culpability.replace("_", " ")
        # The other formats mark the fraud figure UNVERIFIED beside it; so must the workbook.
        if ceiling.confidence.upper() == "UNVERIFIED":
            name += " (figure UNVERIFIED)"
        sheet.append([f"penalty ceiling, {name}", _usd(ceiling.total_usd), ceiling.citation])
    sheet.append(["prior disclosure tender", _usd(ranges.prior_disclosure_tender_usd)])
    # What qualifies the ceilings (the domestic value not in filed data, entries left out,
    # fee-only losses under 1592(c)(2)(B)/(3)(B)), as the other formats say under the table.
    for note in (ranges.statement, *ranges.notes):
        sheet.append(["penalty note", note])
    # The notes on the estimate as a whole (Exposure.notes), said once, as the other formats do.
    for note in exposure.notes:
        sheet.append(["exposure note", note])


_EXPOSURE_NOTE = (
    "estimates from the filed data and the dated duty tables, each amount with its source on "
    "the Exposure sheet; the penalties are statutory ceilings, not what CBP would assess"
)

_DATE_COLUMNS = frozenset({"arrival_date", "waiver_date", "rate_date", "estimated_arrival_date"})
"""Columns written as date cells (their ISO text read as a day)."""
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONEY_COLUMNS = frozenset({"value_usd", "amount_usd"})
"""Columns of the exposure worksheet written as numbers, so that a spreadsheet can sum them."""


def _usd(amount: Decimal | str | None) -> float | None:
    """A two-place amount (or the JSON's text of one) as a number of the sheet, to the cent."""
    return None if amount is None or amount == "" else float(amount)


def _exposure(workbook: Any, report: Report) -> None:
    """The prior-disclosure worksheet (``--exposure-worksheet``'s rows), amounts as numbers."""
    from t86audit.exposure import WORKSHEET_COLUMNS  # noqa: PLC0415

    sheet = _Sheet(workbook, "Exposure", WORKSHEET_COLUMNS)
    sheet.widths([16, 12, 14, 10, 6, 16, 8, 12, 12, 40, 16, 12, 40, 12, 60])
    if report.exposure is not None:
        for row in report.exposure.worksheet_rows():
            sheet.append(
                _usd(row[column]) if column in _MONEY_COLUMNS else row[column]
                for column in WORKSHEET_COLUMNS
            )
    sheet.close()
    sheet.autofilter()


def _findings(workbook: Any, report: Report) -> None:
    sheet = _Sheet(workbook, "Findings", COLUMNS)
    sheet.widths([10, 8, 30, 16, 6, 16, 18, 18, 60] + [14] * (len(COLUMNS) - 9))
    for record in records(report):
        sheet.append(record[column] for column in COLUMNS)
    sheet.close()
    sheet.autofilter()


def _entries(workbook: Any, report: Report) -> None:
    sheet = _Sheet(workbook, "Entries", _ENTRY_COLUMNS)
    sheet.widths([16, 6, 12, 8, 8, 30, 30, 10, 10, 8, 8, 10, 12, 24, 8])
    for row in report.entry_rows:
        sheet.append(getattr(row, column) for column in _ENTRY_COLUMNS)
    sheet.close()
    sheet.autofilter()


def _samples(workbook: Any, report: Report) -> None:
    sheet = _Sheet(workbook, "Samples", _SAMPLE_COLUMNS)
    sheet.widths([12, 12, 10, 6, 10, 10, 10, 10, 10, 10, 10, 22, 40, 60])
    for ev in report.samples:
        sample = ev.sample
        # Rates rounded to 4 places, as in the JSON report (0.3085, not 0.3084971078183116),
        # so that the workbook and the JSON show the same figures.
        low, high = ev.rate_interval_95 if ev.rate_interval_95 is not None else (None, None)
        low, high = _rate(low), _rate(high)
        sheet.append(
            [
                sample.id,
                sample.method,
                sample.seed,
                sample.size,
                ev.entries_with_violations,
                sample.projectable,
                _rate(ev.point_estimate),
                low,
                high,
                _rate(ev.upper_bound_95),
                ev.population_matches,
                sample.drawn_at,
                sample.note,
                sample.entry_numbers,
            ]
        )
    sheet.close()
    sheet.autofilter()


def _rate(value: float | None) -> float | None:
    """A rate as the JSON report gives it: a fraction rounded to 4 places."""
    return None if value is None else round(value, 4)


def _load_errors(workbook: Any, report: Report) -> None:
    sheet = _Sheet(workbook, "Load errors", _ERROR_COLUMNS)
    sheet.widths([24, 8, 20, 24, 90])
    if report.load is not None:
        for error in report.load.errors:
            sheet.append([error.source, error.row, error.column, error.value, error.message])
    sheet.close()
    sheet.autofilter()


def write(report: Report, stream: Any) -> None:
    """Write the workbook to ``stream``, a binary file (``open(path, "wb")``, a ``BytesIO``).

    A text stream with an underlying binary buffer (``sys.stdout``) is written through it.

    Raises:
        ImportError: openpyxl is not installed (``pip install 't86audit[excel]'``).
        ValueError: ``stream`` takes only text.
    """
    try:
        from openpyxl import Workbook  # noqa: PLC0415
    except ImportError as exc:
        msg = f"the xlsx format needs the optional openpyxl package: {EXCEL_HINT}"
        raise ImportError(msg) from exc
    target = stream
    if hasattr(stream, "encoding") and hasattr(stream, "buffer"):
        stream.flush()
        target = stream.buffer
    elif hasattr(stream, "encoding") or _is_text_buffer(stream):
        msg = "the xlsx format is binary: write it to a file opened in binary mode ('wb')"
        raise ValueError(msg)
    from openpyxl.writer.excel import ExcelWriter  # noqa: PLC0415

    workbook = Workbook(write_only=True)
    stamp = report.generated_at.astimezone(dt.UTC).replace(tzinfo=None)
    workbook.properties.created = stamp
    workbook.properties.modified = stamp
    workbook.properties.creator = "t86audit"
    workbook.properties.title = "t86audit report"
    _summary(workbook, report)
    _findings(workbook, report)
    _entries(workbook, report)
    _exposure(workbook, report)
    _samples(workbook, report)
    _load_errors(workbook, report)
    # Not workbook.save(): it stamps the document's "modified" time with the clock, and the
    # zip its members; the same report must give the same bytes (a hash of the file is
    # evidence), so both carry the report's time.
    ExcelWriter(workbook, _StampedZip(target, stamp)).save()


class _StampedZip(zipfile.ZipFile):
    """A zip to write whose members all carry one time (the report's), not the clock's."""

    def __init__(self, file: Any, stamp: dt.datetime) -> None:
        super().__init__(file, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self._when = max(
            (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second),
            _ZIP_EPOCH,
        )

    def _member(self, name: str) -> zipfile.ZipInfo:
        member = zipfile.ZipInfo(name, self._when)
        member.compress_type = self.compression
        member.external_attr = 0o600 << 16  # what ZipFile.writestr gives a member it names
        return member

    def writestr(  # type: ignore[override]
        self, zinfo_or_arcname: str | zipfile.ZipInfo, data: bytes | str, *args: Any, **kwargs: Any
    ) -> None:
        """Write ``data`` as a member stamped with the report's time."""
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = self._member(zinfo_or_arcname)
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def write(  # type: ignore[override]
        self, filename: str, arcname: str | None = None
    ) -> None:
        """Copy the file ``filename`` (a worksheet written aside) in as the member ``arcname``."""
        source_path = Path(filename)
        with (
            source_path.open("rb") as source,
            self.open(self._member(arcname or source_path.name), "w") as member,
        ):
            shutil.copyfileobj(source, member, 1 << 20)


_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
"""The earliest time a zip member can carry."""


def _is_text_buffer(stream: Any) -> bool:
    import io  # noqa: PLC0415

    return isinstance(stream, io.TextIOBase)
