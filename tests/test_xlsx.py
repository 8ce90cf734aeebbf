"""Excel in and out: .xlsx input read like its CSV, --format xlsx a five-sheet workbook."""

import csv
import datetime as dt
import io
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest

import t86audit
from t86audit.cli import main
from t86audit.exceptions import InputError
from t86audit.io import load, load_xlsx
from t86audit.io._xlsx import excel_cell_text
from t86audit.testing import CSV_COLUMNS, make_entry, to_csv_rows


openpyxl = pytest.importorskip("openpyxl")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "data" / "entries.csv"
AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
SHEETS = ["Summary", "Findings", "Entries", "Exposure", "Samples", "Load errors"]

# The broker software's own headers for some canonical columns.
MAPPING = {
    "entry_number": "Entry No.",
    "entry_type": "Type",
    "arrival_date": "Arrival",
    "filed_at": "Transmitted",
    "estimated_arrival_date": "EDA",
    "value_usd": "FRV (USD)",
    "quantity": "Qty",
    "line_number": "Line",
}
PLAIN_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?")


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    status = main([str(a) for a in argv], stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def _excel_value(column, text):
    """What Excel would store after opening the CSV: dates as dates, numbers as numbers."""
    if column in ("arrival_date",):
        try:
            return dt.datetime.combine(dt.date.fromisoformat(text), dt.time())
        except ValueError:
            return text  # an impossible date stays text, and stays a load error
    if column == "filed_at" and text:
        return dt.datetime.fromisoformat(text)
    if column == "estimated_arrival_date" and text:
        day = dt.date.fromisoformat(text)
        return f"{day.month}/{day.day}/{day.year} 0:00"  # text as Excel's US locale shows it
    if column in ("value_usd", "gross_weight_kg") and PLAIN_NUMBER.fullmatch(text):
        return float(text)
    if column in ("quantity", "line_number", "entry_type") and text.isdigit():
        return int(text)
    return text


def write_workbook(path, rows, header, *, sheet="Entries", notes_first=True):
    workbook = openpyxl.Workbook()
    first = workbook.active
    if notes_first:
        first.title = "Notes"
        first.append(["exported by the broker system"])
        data = workbook.create_sheet(sheet)
    else:
        first.title = sheet
        data = first
    data.append([MAPPING.get(c, c) for c in header])
    for row in rows:
        data.append([_excel_value(c, row[c]) for c in header])
    workbook.save(path)


@pytest.fixture(scope="module")
def example_workbook(tmp_path_factory):
    with EXAMPLE.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        rows = list(reader)
    path = tmp_path_factory.mktemp("xlsx") / "export.xlsx"
    write_workbook(path, rows, header)
    return path


def _keys(report):
    return sorted(
        (f.code, f.entry_number, f.line_number or 0, f.field or "") for f in report.findings
    )


def test_workbook_with_own_headers_and_excel_dates_audits_like_the_csv(example_workbook):
    """Same entries, same rejected rows (one row lower: Excel counts the header), same findings."""
    from_csv = load(EXAMPLE)
    from_xlsx = load(example_workbook, sheet="Entries", mapping=MAPPING)

    assert from_xlsx.entries_loaded == from_csv.entries_loaded == 2996
    assert (from_xlsx.rows_read, from_xlsx.rows_rejected) == (
        from_csv.rows_read,
        from_csv.rows_rejected,
    )
    assert [e.row for e in from_xlsx.errors] == [(e.row or 0) + 1 for e in from_csv.errors]
    assert [e.column for e in from_xlsx.errors] == [e.column for e in from_csv.errors]
    first = from_xlsx.entries[0]
    assert first.arrival_date == dt.date(2019, 8, 15)
    assert first.filed_at == from_csv.entries[0].filed_at
    assert first.estimated_arrival_date == from_csv.entries[0].estimated_arrival_date
    assert first.lines[0].value_usd == from_csv.entries[0].lines[0].value_usd
    assert first.source_rows == (2,)  # the header is row 1

    csv_report = t86audit.audit(from_csv, generated_at=AT)
    xlsx_report = t86audit.audit(from_xlsx, generated_at=AT)
    assert _keys(xlsx_report) == _keys(csv_report)
    assert len(xlsx_report.findings) > 100


def test_cli_reads_the_named_sheet_and_writes_an_xlsx_workbook(example_workbook, tmp_path):
    """`audit export.xlsx --sheet --mapping --format xlsx` opens in openpyxl with five sheets."""
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps(MAPPING), encoding="utf-8")
    target = tmp_path / "report.xlsx"
    status, out, err = run(
        "audit", example_workbook, "--sheet", "Entries", "--mapping", mapping,
        "--format", "XLSX", "--output", target,
    )  # fmt: skip
    assert status == 0, err
    assert out == ""
    assert "6 of 4,561 input rows rejected" in err

    workbook = openpyxl.load_workbook(target)
    assert workbook.sheetnames == SHEETS
    findings = workbook["Findings"]
    assert findings.auto_filter.ref is not None
    assert findings.auto_filter.ref.startswith("A1:")
    header = [c.value for c in findings[1]]
    assert header[:4] == ["severity", "code", "name", "entry_number"]
    assert workbook["Entries"].max_row == 2996 + 1
    errors = list(workbook["Load errors"].iter_rows(min_row=2, values_only=True))
    assert len(errors) == 6
    assert errors[0][1] == 1616  # the Excel row of CSV data row 1615
    summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(values_only=True)}
    assert summary["entries audited"] == 2996
    assert summary["rows rejected (see Load errors)"] == 6
    total = sum(summary[f"{severity}s"] for severity in ("violation", "warning", "info"))
    assert findings.max_row - 1 == total > 100


def test_xlsx_output_neutralises_formulas(tmp_path):
    """A hostile seller name is text in the workbook, never a formula."""
    payload = '=HYPERLINK("http://evil.example","click")'
    report = t86audit.audit(
        [make_entry(value="950.00", seller={"name": payload})], select=["VAL001"]
    )
    buffer = io.BytesIO()
    report.write("xlsx", buffer)  # type: ignore[arg-type]  # xlsx takes a binary stream
    workbook = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    assert workbook.sheetnames == SHEETS
    cells = [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and "HYPERLINK" in cell.value
    ]
    assert cells
    assert all(cell.data_type == "s" and cell.value.startswith("'=") for cell in cells)


def test_xlsx_to_a_text_stream_is_refused_with_a_clear_error():
    report = t86audit.audit([make_entry()], select=["VAL001"])
    with pytest.raises(ValueError, match="binary"):
        report.write("xlsx", io.StringIO())


def test_xlsx_to_a_terminal_without_output_is_a_usage_error(tmp_path):
    path = tmp_path / "e.csv"
    _write_csv(path, [make_entry()])
    status, _out, err = run("audit", path, "--format", "xlsx")
    assert status == 2
    assert err.count("\n") == 1
    assert "--output" in err


def _write_csv(path, entries):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(to_csv_rows(entries))


def test_cells_read_as_a_csv_export_would_hold_them():
    """Numbers keep their digits, dates become ISO dates, floats Excel's 15 digits."""
    assert excel_cell_text(12.5) == "12.5"
    assert excel_cell_text(1) == "1"
    assert excel_cell_text(6109100040) == "6109100040"
    assert excel_cell_text(6109100040.0) == "6109100040"
    assert excel_cell_text(0.1 + 0.2) == "0.3"
    assert excel_cell_text(dt.datetime(2019, 8, 15)) == "2019-08-15"  # noqa: DTZ001
    naive = dt.datetime(2019, 8, 12, 8, 10)  # noqa: DTZ001 - Excel cells have no zone
    assert excel_cell_text(naive) == "2019-08-12T08:10:00"
    assert excel_cell_text(None) == ""


def test_first_sheet_by_default_numbers_as_numbers_and_excel_row_numbers(tmp_path):
    """Default first sheet; an entry type 1 is read as 01's '1'; errors name the Excel row."""
    rows = to_csv_rows([make_entry(serial=1), make_entry(serial=2)])
    rows[1]["value_usd"] = "abc"
    rows[0]["entry_type"] = "1"
    rows[0]["hts_number"] = "6109100040"
    path = tmp_path / "export.xlsx"
    header = list(CSV_COLUMNS)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([])  # a blank first row: the header is on row 2
    sheet.append(header)
    for row in rows:
        sheet.append([
            int(row[c]) if c in ("entry_type", "hts_number") and row[c].isdigit() else row[c]
            for c in header
        ])  # fmt: skip
    workbook.save(path)

    loaded = load_xlsx(path)
    assert loaded.entries_loaded == 1
    entry = loaded.entries[0]
    assert entry.lines[0].hts_number == "6109100040"
    assert entry.entry_type in ("1", "01")
    assert entry.source_rows == (3,)
    (error,) = loaded.errors
    assert (error.row, error.column, error.value) == (4, "value_usd", "abc")
    status, out, _err = run("load", path)
    assert status == 0
    assert "row 4, column value_usd" in out


def test_missing_sheet_names_the_sheets(example_workbook):
    with pytest.raises(InputError, match="no worksheet 'Data'; its worksheets are: 'Notes'"):
        load(example_workbook, sheet="Data")
    status, _, err = run("audit", example_workbook, "--sheet", "Data")
    assert status == 2
    assert err.count("\n") == 1


def test_workbook_renamed_csv_is_one_line_saying_what_to_do(example_workbook, tmp_path):
    renamed = tmp_path / "export.csv"
    renamed.write_bytes(example_workbook.read_bytes())
    for command in ("audit", "load", "sample"):
        status, out, err = (
            run(command, renamed, "--seed", "1") if command == "sample" else run(command, renamed)
        )
        assert status == 2
        assert out == ""
        assert err.count("\n") == 1
        assert "Excel .xlsx workbook" in err
        assert ".xlsx suffix" in err
        assert "Traceback" not in err


def test_workbook_without_the_extra_is_one_line_saying_what_to_do(example_workbook, monkeypatch):
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(InputError, match=r"pip install 't86audit\[excel\]'"):
        load(example_workbook)
    status, _out, err = run("audit", example_workbook, "--sheet", "Entries")
    assert status == 2
    assert err.count("\n") == 1
    assert "pip install 't86audit[excel]'" in err


def test_the_same_report_gives_the_same_workbook_bytes_whatever_the_clock(monkeypatch, tmp_path):
    """A workbook's zip members and its document properties carry the report's time, so two
    writings of one report are the same file (its hash can stand as evidence)."""
    pytest.importorskip("openpyxl")
    import time  # noqa: PLC0415
    import zipfile  # noqa: PLC0415

    at = dt.datetime(2026, 3, 4, 5, 6, 8, tzinfo=dt.UTC)
    report = t86audit.audit(
        t86audit.load(Path(__file__).resolve().parents[1] / "examples" / "data" / "entries.csv"),
        generated_at=at,
    )
    report.save(tmp_path / "first.xlsx")
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 86_400 * 3)  # three days later
    report.save(tmp_path / "second.xlsx")
    first = (tmp_path / "first.xlsx").read_bytes()
    assert first == (tmp_path / "second.xlsx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(first)) as book:
        assert {member.date_time for member in book.infolist()} == {(2026, 3, 4, 5, 6, 8)}
        core = book.read("docProps/core.xml").decode("utf-8")
    assert "<dcterms:modified" in core
    assert "2026-03-04T05:06:08Z" in core


def _sheet_with(path: Path, above: list[list[object]], rows: list[dict[str, str]]) -> None:
    """A workbook whose only sheet has the rows ``above`` before the header and the data."""
    header = list(CSV_COLUMNS)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for cells in above:
        sheet.append(cells)
    sheet.append(header)
    for row in rows:
        sheet.append([row[c] for c in header])
    workbook.save(path)


def test_a_title_block_above_the_header_is_passed_over(tmp_path: Path) -> None:
    """A report's title and date range above the column headers, as broker software writes."""
    rows = to_csv_rows([make_entry(serial=1), make_entry(serial=2)])
    path = tmp_path / "export.xlsx"
    _sheet_with(path, [["T86 entries by port"], [], ["From", "2025-01-01"]], rows)
    loaded = load_xlsx(path)
    assert loaded.entries_loaded == 2
    assert loaded.rows_read == 2  # the title rows are not data rows, like the header
    assert [entry.source_rows for entry in loaded.entries] == [(5,), (6,)]  # Excel's rows


def test_a_row_of_values_above_the_header_is_not_taken_for_a_title(tmp_path: Path) -> None:
    """Three values or more above the header may be data: the first row's error stands."""
    rows = to_csv_rows([make_entry(serial=1)])
    path = tmp_path / "export.xlsx"
    _sheet_with(path, [["B76-0324527-8", "86", "2025-01-02"]], rows)
    with pytest.raises(InputError) as info:
        load_xlsx(path)
    reason = info.value.reason
    assert "missing required column(s): entry_number" in reason
    assert (
        "(the header is the first row with any value, row 1: 'B76-0324527-8, 86, 2025-01-02')"
        in reason
    )


def test_a_sheet_without_a_header_row_names_the_row_read_as_one(tmp_path: Path) -> None:
    """No row of the first ones has the columns: the message says which row was the header."""
    path = tmp_path / "export.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["Entry report"])
    workbook.active.append(["Entry No.", "Date"])
    workbook.save(path)
    with pytest.raises(InputError, match=r"row 1: 'Entry report'\)$"):
        load_xlsx(path)


def test_the_workbook_carries_the_exposure_as_the_json_does(example_workbook, tmp_path):
    """Summary: the totals and ceilings; Exposure: the worksheet's rows, amounts as numbers
    that add up to the JSON's loss of revenue."""
    report = t86audit.audit(load(EXAMPLE), generated_at=AT)
    summary, rows = _summary_and_exposure(report, tmp_path)
    totals = report.to_dict()["exposure"]["totals"]
    assert report.exposure is not None
    assert summary["loss of revenue"] == float(totals["loss_of_revenue_usd"])
    assert summary["ineligible entries"] == totals["entries"]
    assert summary["penalty ceiling, negligence"] == float(
        report.exposure.penalty_ranges.ceilings[0].total_usd
    )
    header = list(rows[0])
    at = {name: header.index(name) for name in ("entry_number", "kind", "amount_usd")}
    (total,) = [r for r in rows[1:] if r[at["entry_number"]] == "TOTAL"]
    assert total[at["amount_usd"]] == float(totals["loss_of_revenue_usd"])
    entry_totals = [
        r[at["amount_usd"]]
        for r in rows[1:]
        if r[at["kind"]] == "entry total" and r[at["amount_usd"]]
    ]
    assert round(sum(entry_totals), 2) == float(totals["loss_of_revenue_usd"])
    assert len({r[at["entry_number"]] for r in rows[1:]} - {"TOTAL"}) == totals["entries"]


def test_an_audit_without_exposure_says_so_in_the_workbook(tmp_path):
    report = t86audit.audit(load(EXAMPLE), generated_at=AT, exposure=False)
    summary, rows = _summary_and_exposure(report, tmp_path)
    assert summary["Exposure"] == "not estimated (the audit was run without it)"
    assert len(rows) == 1  # the header


def _summary_and_exposure(
    report: t86audit.Report, tmp_path: Path
) -> tuple[dict[Any, Any], list[tuple[Any, ...]]]:
    """The saved workbook's Summary (label: value) and Exposure rows."""
    out = tmp_path / "report.xlsx"
    report.save(out)
    workbook = openpyxl.load_workbook(out, read_only=True)
    summary = {
        row[0]: row[1] if len(row) > 1 else None
        for row in workbook["Summary"].iter_rows(values_only=True)
        if row
    }
    rows = list(workbook["Exposure"].iter_rows(values_only=True))
    workbook.close()
    return summary, rows


def test_summary_counts_entries_with_a_finding_not_entries_not_clean() -> None:
    """An entry of another type (01) with no finding is "not_judged", not flagged; an entry
    with only an information note has a finding though its status is clean."""
    openpyxl = pytest.importorskip("openpyxl")
    entries = [
        make_entry(serial=1),  # clean
        make_entry(serial=2, value="950.00", arrival_date="2024-02-01"),  # VAL001 alone
        make_entry(serial=3, entry_type="01"),  # not judged, no finding
        # ELG014 (info): a Section 301 number reported, not a bar by itself
        make_entry(
            serial=4,
            arrival_date="2024-03-02",  # another day: not summed with the $950 entry (VAL002)
            lines=[
                {
                    "description": "cotton tank top",  # its own description (HTS007)
                    "hts_number": "6109.10.00.12",
                    "additional_hts": "9903.88.15",
                }
            ],
        ),
    ]
    report = t86audit.audit(entries, exposure=False)
    rows = {row.entry_number: row for row in report.entry_rows}
    assert rows[entries[2].number].status == "not_judged"
    assert rows[entries[3].number].infos == 1
    assert rows[entries[3].number].status == "clean"
    buffer = io.BytesIO()
    report.write("xlsx", buffer)  # type: ignore[arg-type]  # xlsx takes a binary stream
    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))["Summary"]
    summary = {row[0]: row[1] for row in sheet.iter_rows(values_only=True) if len(row) > 1}
    assert summary["entries with a finding"] == 2
