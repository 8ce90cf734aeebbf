"""Waivers recorded in the report itself: the Findings sheet of the workbook, or the CSV export.

The workflow these tests follow is the reviewer's: audit, open the report, fill
``waiver_reason``, ``waiver_reviewer`` and ``waiver_date`` on the findings accepted, save, and
audit again with the edited report as the waivers.
"""

import csv
import datetime as dt
import hashlib
import io
import json
import sys
from pathlib import Path

import pytest

import t86audit
from t86audit.cli import main
from t86audit.exceptions import InputError
from t86audit.report.csv import neutralise
from t86audit.waivers import Waiver, WaiverSet, read_waivers


openpyxl = pytest.importorskip("openpyxl")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "data" / "entries.csv"
DECISION = ("waiver_reason", "waiver_reviewer", "waiver_date")
HEADER = "entry_number,code,reason,reviewer,date\n"


@pytest.fixture(scope="module")
def audited():
    """The example data audited once, with no waivers."""
    return t86audit.audit(EXAMPLE)


@pytest.fixture(scope="module")
def picked(audited):
    """Two findings a reviewer accepts: on two entries, of two rules."""
    first = audited.findings[0]
    second = next(
        f
        for f in audited.findings
        if f.entry_number != first.entry_number and f.code != first.code
    )
    return {
        (first.entry_number, first.code): (
            "Consignee name on the commercial invoice; export dropped it",
            "J. Ortiz",
        ),
        (second.entry_number, second.code): ("Checked against the invoice", "K. Lee"),
    }


@pytest.fixture(scope="module")
def workbook(audited, tmp_path_factory):
    """The example's report as an Excel workbook, as ``--format xlsx`` writes it."""
    return audited.save(tmp_path_factory.mktemp("report") / "report.xlsx")


def rows_of(sheet, entry_number, code):
    """The sheet rows (Excel numbers) of the findings of one entry and rule."""
    header = [cell.value for cell in sheet[1]]
    entry_at, code_at = header.index("entry_number"), header.index("code")
    return [
        number
        for number, values in enumerate(sheet.iter_rows(values_only=True), 1)
        if number > 1 and values[entry_at] == entry_number and values[code_at] == code
    ]


def fill(sheet, row, reason, reviewer, date):
    """Type a waiver into a Findings row, as a reviewer does in Excel."""
    header = [cell.value for cell in sheet[1]]
    for column, value in zip(DECISION, (reason, reviewer, date), strict=True):
        sheet.cell(row, header.index(column) + 1).value = value


def edit(source, target, changes, sheet_name="Findings"):
    """Open ``source``, apply ``changes(sheet)``, save as ``target``."""
    book = openpyxl.load_workbook(source)
    changes(book[sheet_name])
    book.save(target)
    return target


def check_waived(report, expected, dates):
    """Exactly the findings of ``expected`` are waived, with their reason, reviewer and date."""
    waived = {(f.entry_number, f.code) for f in report.findings if f.waived}
    assert waived == set(expected)
    for f in report.findings:
        if f.waived:
            reason, reviewer = expected[(f.entry_number, f.code)]
            assert f.waiver_reason == reason
            waiver = report.waiver_for(f)
            assert (waiver.reviewer, waiver.date) == (reviewer, dates[(f.entry_number, f.code)])
    assert report.unused_waivers == ()


def test_round_trip_through_the_workbook(audited, picked, workbook, tmp_path):
    """Waivers typed into the Findings sheet waive exactly those findings on the next audit."""
    dates = dict(zip(picked, (dt.date(2024, 7, 3), dt.date(2024, 7, 5)), strict=True))

    def changes(sheet):
        # One date typed as Excel keeps it (a date cell), the other as ISO text.
        for (entry, code), (reason, reviewer) in picked.items():
            (row,) = rows_of(sheet, entry, code)
            day = dates[(entry, code)]
            typed = dt.datetime.combine(day, dt.time()) if day.day == 3 else day.isoformat()
            fill(sheet, row, reason, reviewer, typed)

    edited = edit(workbook, tmp_path / "reviewed.xlsx", changes)
    again = t86audit.audit(EXAMPLE, waivers=edited)

    check_waived(again, picked, dates)
    assert len(again.findings) == len(audited.findings)
    assert again.waived_count == 2
    assert again.waivers.source == str(edited)
    assert again.waivers.sha256 == hashlib.sha256(edited.read_bytes()).hexdigest()
    trail = again.to_dict()["audit_trail"]["waivers_file"]
    assert (trail["path"], trail["waivers"]) == (str(edited), 2)


def test_round_trip_through_the_csv_export(audited, picked, tmp_path):
    """The same with the findings CSV edited as a spreadsheet saves it (U.S. dates)."""
    export = audited.save(tmp_path / "findings.csv")
    with export.open(encoding="utf-8", newline="") as handle:
        records = list(csv.DictReader(handle))
    for record in records:
        decision = picked.get((record["entry_number"], record["code"]))
        if decision is not None:
            record.update(zip(DECISION, (*decision, "7/3/2024"), strict=True))
    edited = tmp_path / "reviewed.csv"
    with edited.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(records[0]), quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(records)

    waivers = read_waivers(edited)
    again = t86audit.audit(EXAMPLE, waivers=edited)

    check_waived(again, picked, dict.fromkeys(picked, dt.date(2024, 7, 3)))
    # Rows are counted as in a waivers file: data rows, the header not counted.
    positions = {(r["entry_number"], r["code"]): n for n, r in enumerate(records, 1)}
    assert [w.row for w in waivers.waivers] == [
        positions[(w.entry_number, w.code)] for w in waivers.waivers
    ]


def test_the_cli_reads_the_edited_workbook(picked, workbook, tmp_path):
    """``t86audit audit entries.csv --waivers edited.xlsx --format json`` applies them."""

    def changes(sheet):
        for (entry, code), (reason, reviewer) in picked.items():
            for row in rows_of(sheet, entry, code):
                fill(sheet, row, reason, reviewer, "2024-07-03")

    edited = edit(workbook, tmp_path / "edited.xlsx", changes)
    out, err = io.StringIO(), io.StringIO()
    status = main(
        ["audit", str(EXAMPLE), "--waivers", str(edited), "--format", "json"],
        stdout=out,
        stderr=err,
    )
    data = json.loads(out.getvalue())

    assert status == 0, err.getvalue()
    waived = {(f["entry_number"], f["code"]): f for f in data["findings"] if f["waived"]}
    assert set(waived) == set(picked)
    for key, (reason, reviewer) in picked.items():
        assert waived[key]["waiver_reason"] == reason
        assert waived[key]["waiver"]["reviewer"] == reviewer
        assert waived[key]["waiver"]["date"] == "2024-07-03"
    assert data["audit_trail"]["waivers_file"]["path"] == str(edited)
    assert "matched no finding" not in err.getvalue()


@pytest.fixture(scope="module")
def two_lines(audited, tmp_path_factory):
    """The example with a second line, like the first, on an entry a line-level rule flags.

    The example has no entry with two findings of one rule, so one is made: the row of the
    first HTS001 finding is copied as the entry's next line. Returns the data, the workbook of
    its report, the entry and the rule.
    """
    flagged = next(f for f in audited.findings if f.code == "HTS001")
    with EXAMPLE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    line_at = rows[0].index("line_number")
    (row,) = flagged.source_rows
    copy = list(rows[row])
    copy[line_at] = str(int(copy[line_at]) + 1)
    rows.insert(row + 1, copy)
    folder = tmp_path_factory.mktemp("two-lines")
    data = folder / "entries.csv"
    with data.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    report = t86audit.audit(data)
    found = [
        f for f in report.findings if (f.entry_number, f.code) == (flagged.entry_number, "HTS001")
    ]
    assert len(found) == 2  # the premise: one rule, two findings on one entry
    return data, report.save(folder / "report.xlsx"), flagged.entry_number, "HTS001"


@pytest.mark.parametrize("filled", ["both", "first", "second"])
def test_the_findings_of_one_entry_and_rule_are_one_waiver(two_lines, tmp_path, filled):
    """Both rows alike, or one row only: one waiver, covering both lines."""
    data, workbook, entry, code = two_lines

    def changes(sheet):
        rows = rows_of(sheet, entry, code)
        chosen = {"both": rows, "first": rows[:1], "second": rows[1:]}[filled]
        for row in chosen:
            fill(sheet, row, "Full number on the ACE entry summary", "J. Ortiz", "2024-06-20")

    edited = edit(workbook, tmp_path / "edited.xlsx", changes)
    waivers = read_waivers(edited)
    again = t86audit.audit(data, waivers=waivers)

    assert [(w.entry_number, w.code) for w in waivers.waivers] == [(entry, code)]
    assert [f.line_number for f in again.findings if f.waived] == [1, 2]
    assert {f.waiver_reason for f in again.findings if f.waived} == {
        "Full number on the ACE entry summary"
    }


def test_disagreeing_rows_of_one_entry_and_rule_name_both_rows(two_lines, tmp_path):
    """Two filled rows of one entry and rule with different reasons: an error naming both."""
    _, workbook, entry, code = two_lines
    rows = []

    def changes(sheet):
        rows.extend(rows_of(sheet, entry, code))
        fill(sheet, rows[0], "Full number on the ACE entry summary", "J. Ortiz", "2024-06-20")
        fill(sheet, rows[1], "Another reason", "J. Ortiz", "2024-06-20")

    edited = edit(workbook, tmp_path / "edited.xlsx", changes)
    with pytest.raises(InputError) as info:
        read_waivers(edited)
    error = info.value

    assert (error.source, error.row, error.column, error.value) == (
        str(edited),
        rows[1],
        "waiver_reason",
        "Another reason",
    )
    assert f"row {rows[0]} waives entry {entry} and {code}" in error.reason
    assert "worksheet 'Findings'" in str(error)


@pytest.mark.parametrize(
    ("decision", "column", "value", "reason"),
    [
        (("Invoice on file", None, "2024-07-03"), "waiver_reviewer", "", "reviewer is blank"),
        ((None, "J. Ortiz", "2024-07-03"), "waiver_reason", "", "reason is blank"),
        ((None, None, "2024-07-03"), "waiver_reason", "", "reason is blank"),
        (("Invoice on file", "J. Ortiz", None), "waiver_date", "", "date is blank"),
        (("Invoice on file", "J. Ortiz", "2024-13-03"), "waiver_date", "2024-13-03", "date"),
        (("Invoice on file", "J. Ortiz", 45476), "waiver_date", "45476", "number cell"),
    ],
)
def test_a_partial_or_bad_waiver_names_file_sheet_row_column_and_value(
    audited, workbook, tmp_path, decision, column, value, reason
):
    """A row with some waiver cells filled but not all, or a bad date, is an error."""
    finding = audited.findings[3]

    def changes(sheet):
        (row,) = rows_of(sheet, finding.entry_number, finding.code)
        fill(sheet, row, *decision)

    edited = edit(workbook, tmp_path / "edited.xlsx", changes)
    with pytest.raises(InputError, match=reason) as info:
        read_waivers(edited)
    error = info.value
    sheet = openpyxl.load_workbook(edited)["Findings"]

    assert (error.source, error.column, error.value) == (str(edited), column, value)
    assert error.row == rows_of(sheet, finding.entry_number, finding.code)[0]
    assert str(error).startswith(f"{edited}, row {error.row}, column {column!r}")
    assert str(error).endswith("(worksheet 'Findings')")


def test_a_number_typed_as_the_entry_number_is_refused(tmp_path):
    """Excel makes a number of an entry number typed without dashes: a clear error."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Waivers"
    sheet.append(["entry_number", "code", "reason", "reviewer", "date"])
    sheet.append(
        [
            76004102015,
            "HTS001",
            "ok",
            "J. Ortiz",
            dt.datetime.combine(dt.date(2024, 7, 3), dt.time()),
        ]
    )
    book.save(tmp_path / "waivers.xlsx")

    with pytest.raises(InputError, match="a number cell, not an entry number") as info:
        read_waivers(tmp_path / "waivers.xlsx")
    assert (info.value.row, info.value.column, info.value.value) == (
        2,
        "entry_number",
        "76004102015",
    )


def test_a_waivers_sheet_in_the_plain_layout(tmp_path):
    """A workbook's Waivers sheet, in the waivers file's layout, is read before its others."""
    book = openpyxl.Workbook()
    book.active.title = "Notes"
    book.active.append(["anything at all"])
    findings = book.create_sheet("Findings")
    findings.append(["entry_number", "code", "waiver_reason", "waiver_reviewer", "waiver_date"])
    findings.append(["B76-0410181-9", "CON001", "not this one", "X", "2024-01-01"])
    sheet = book.create_sheet("waivers")  # names are matched as Excel does, in any case
    sheet.append(["Entry_Number", "Code", "Reason", "Reviewer", "Date", "Ticket"])
    sheet.append([])
    sheet.append(
        ["H3K-0004109-9", "hts001", "ACE shows 10 digits", "J. Ortiz", dt.date(2024, 6, 20), 7]
    )
    sheet.append(["B76-0410210-6", "HTS007", "Different model", "J. Ortiz", "06/20/2024", None])
    path = tmp_path / "waivers.xlsx"
    book.save(path)

    waivers = read_waivers(path)

    assert waivers == WaiverSet(
        (
            Waiver(
                "H3K-0004109-9", "HTS001", "ACE shows 10 digits", "J. Ortiz", dt.date(2024, 6, 20)
            ),
            Waiver("B76-0410210-6", "HTS007", "Different model", "J. Ortiz", dt.date(2024, 6, 20)),
        ),
        str(path),
        hashlib.sha256(path.read_bytes()).hexdigest(),
    )
    # The rows are the worksheet's, as Excel numbers them.
    assert [w.row for w in waivers.waivers] == [3, 4]


def test_a_repeated_waiver_in_a_plain_sheet_is_an_error_as_in_csv(tmp_path):
    """The waivers layout keeps its rule in a workbook: one row per entry and rule."""
    book = openpyxl.Workbook()
    book.active.append(["entry_number", "code", "reason", "reviewer", "date"])
    book.active.append(["H3K-0004109-9", "HTS001", "ok", "J. Ortiz", "2024-06-20"])
    book.active.append(["H3K-0004109-9", "HTS001", "ok", "J. Ortiz", "2024-06-20"])
    book.save(tmp_path / "w.xlsx")

    with pytest.raises(InputError, match=r"a second waiver .* \(row 2\) \(worksheet 'Sheet'\)"):
        read_waivers(tmp_path / "w.xlsx")


def test_a_findings_table_lacking_a_waiver_column_is_an_error(tmp_path):
    """A table with waiver_reason but not the other waiver columns says what it needs."""
    path = tmp_path / "findings.csv"
    path.write_text("entry_number,code,waiver_reason,waiver_date\n", encoding="utf-8")

    with pytest.raises(InputError) as info:
        read_waivers(path)
    assert str(info.value) == (
        f"{path}: the header lacks waiver_reviewer; a findings table (it has waiver_reason) "
        "needs entry_number,code,waiver_reason,waiver_reviewer,waiver_date"
    )


REASONS = [
    "-5.00 under the invoice: rounding, accepted",
    "=invoice on file",
    "+1 day on the arrival date: time zone",
    "@seller confirmed",
    "\uff1dfull-width sign",
    "'quoted by the reviewer",
    "plain words",
]


@pytest.mark.parametrize("reason", REASONS)
def test_the_reports_quote_is_taken_off_and_only_it(tmp_path, reason):
    """A cell read back is what was meant: the quote neutralise added goes, others stay."""
    path = tmp_path / "findings.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "entry_number", *DECISION])
        writer.writerow(["HTS001", "H3K-0004109-9", neutralise(reason), "J. Ortiz", "2024-06-20"])

    (waiver,) = read_waivers(path).waivers
    assert waiver.reason == reason.strip()


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_neutralised_reasons_survive_the_round_trip(tmp_path, suffix):
    """Waivers the report shows (quoted, where formula-like) read back as they were given."""
    given = [
        {
            "entry_number": "H3K-0004109-9",
            "code": "HTS001",
            "reason": "-4 digits dropped by the export; ACE shows 10",
            "reviewer": "=J. Ortiz",
            "date": "2024-06-20",
        },
        {
            "entry_number": "B76-0410210-6",
            "code": "HTS007",
            "reason": "Different model",
            "reviewer": "K. Lee",
            "date": "2024-06-21",
        },
    ]
    report = t86audit.audit(EXAMPLE, waivers=given, select=["HTS001", "HTS007"])
    saved = report.save(tmp_path / f"report{suffix}")
    if suffix == ".csv":
        assert "'-4 digits dropped" in saved.read_text(encoding="utf-8")  # the report quoted it

    read_back = read_waivers(saved)
    again = t86audit.audit(EXAMPLE, waivers=read_back, select=["HTS001", "HTS007"])

    assert [w.to_dict() | {"source": None, "row": None} for w in read_back.waivers] == [
        {**w, "source": None, "row": None} for w in given
    ]
    assert [(f.entry_number, f.waived, f.waiver_reason) for f in again.findings] == [
        (f.entry_number, f.waived, f.waiver_reason) for f in report.findings
    ]


def test_a_workbook_without_openpyxl_says_how_to_install_it(workbook, monkeypatch):
    """Without the excel extra, a workbook of waivers is a clear InputError."""
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # `import openpyxl` raises ImportError

    with pytest.raises(InputError, match=r"pip install 't86audit\[excel\]'") as info:
        read_waivers(workbook)
    assert info.value.source == str(workbook)
    assert "openpyxl" in info.value.reason


def test_a_waivers_csv_reads_as_before(tmp_path):
    """Today's waivers CSV gives the same WaiverSet, and the same errors, as before."""
    path = tmp_path / "waivers.csv"
    path.write_bytes(
        (
            HEADER + "B76-0000001-5,val001,Value corrected by PSC,J. Ortiz,2024-07-03\n"
            ",,,,\n"
            "b7600000023,DES002,'-kept as written,K. Lee,07/04/2024\n"
        ).encode()
    )
    waivers = read_waivers(path)

    assert waivers == WaiverSet(
        (
            Waiver(
                "B76-0000001-5",
                "VAL001",
                "Value corrected by PSC",
                "J. Ortiz",
                dt.date(2024, 7, 3),
            ),
            Waiver("b7600000023", "DES002", "'-kept as written", "K. Lee", dt.date(2024, 7, 4)),
        ),
        str(path),
        hashlib.sha256(path.read_bytes()).hexdigest(),
    )
    assert [(w.source, w.row) for w in waivers.waivers] == [(str(path), 1), (str(path), 3)]
    # The messages of the code before this feature, byte for byte.
    path.write_text(
        HEADER + "B76-0000001-5,VAL001,ok,R,2024-01-01\nb76 0000001 5,val001,again,R,2024-01-02\n"
    )
    with pytest.raises(InputError) as info:
        read_waivers(path)
    assert str(info.value) == (
        f"{path}, row 2, column 'code', value 'val001': "
        "a second waiver for entry b76 0000001 5 and VAL001 (row 1)"
    )
    path.write_text("entry_number,code,reason,date\n")
    with pytest.raises(InputError) as info:
        read_waivers(path)
    assert str(info.value) == (
        f"{path}: the header lacks reviewer; expected entry_number,code,reason,reviewer,date"
    )
    path.write_text(HEADER + "B76-0000001-5,VAL001,ok,R,03.07.2024\n")
    with pytest.raises(InputError) as info:
        read_waivers(path)
    assert str(info.value) == (
        f"{path}, row 1, column 'date', value '03.07.2024': '03.07.2024' could be March 7, "
        "2024 (month first) or July 3, 2024 (day first): with dashes or dots the order of month "
        "and day is not fixed (only MM/DD/YYYY is read month first), and it is not guessed; "
        "write the date as MM/DD/YYYY or YYYY-MM-DD"
    )


def test_a_report_with_waivers_gives_them_back(tmp_path):
    """Feeding the report back keeps its waivers: the next audit waives the same findings."""
    given = tmp_path / "waivers.csv"
    given.write_text(
        HEADER
        + "H3K-0004109-9,HTS001,ACE shows 10 digits,J. Ortiz,2024-06-20\n"
        + "B76-0410210-6,HTS007,Different model,J. Ortiz,2024-06-20\n",
        encoding="utf-8",
    )
    first = t86audit.audit(EXAMPLE, waivers=given)
    saved = first.save(tmp_path / "report.xlsx")
    second = t86audit.audit(EXAMPLE, waivers=saved)

    assert second.waivers.waivers == first.waivers.waivers
    assert [f.waived for f in second.findings] == [f.waived for f in first.findings]
    assert second.waived_count == 2


def test_a_quoted_entry_number_reads_back_as_filed(tmp_path):
    """A hostile entry number the report quoted is matched as filed, without the quote."""
    path = tmp_path / "findings.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["entry_number", "code", *DECISION])
        writer.writerow(
            [neutralise("=HYPERLINK(1)"), "FIL001", "Broken export", "R", "2024-06-20"]
        )

    (waiver,) = read_waivers(path).waivers
    assert waiver.entry_number == "=HYPERLINK(1)"
