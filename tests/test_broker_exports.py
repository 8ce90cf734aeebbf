"""Brokers' real exports: the example file as other systems and spreadsheets write it.

Each variant is built in ``tmp_path`` from ``examples/data/entries.csv``. A variant that only
spells the same data differently (byte-order mark, line ends, quoting, trailing delimiters,
blank lines, header case, ``$1,234.56``, U.S. dates, ...) loads the same entries, with the same
rejected rows, as the clean file. A variant that cannot be read as the clean file is read (a
decimal comma, an HTS number in exponent notation, a repeated header row, a totals row, a date
serial number, ...) is a load error or an input error that names the file, row, column, value
and what to do, never a silent misreading. Every row read is in an entry or in the load errors.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import Counter
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import t86audit
from t86audit.cli import main
from t86audit.exceptions import InputError
from t86audit.io import LoadError, LoadResult, load


EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "data" / "entries.csv"
AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

Rows = list[list[str]]


def _example() -> tuple[list[str], Rows]:
    with EXAMPLE.open(encoding="utf-8", newline="") as handle:
        header, *rows = csv.reader(handle)
    return header, rows


HEADER, ROWS = _example()
AT_COLUMN = {name: index for index, name in enumerate(HEADER)}


def write(
    path: Path,
    header: Sequence[str],
    rows: Sequence[Sequence[str] | str | None],
    *,
    eol: str = "\n",
    bom: bool = False,
    encoding: str = "utf-8",
    quote_all: bool = False,
) -> Path:
    """Write CSV: a row of cells, a raw line (``str``) or a blank line (``None``)."""
    out = io.StringIO()
    writer = csv.writer(
        out, lineterminator=eol, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    )
    writer.writerow(header)
    for row in rows:
        if row is None:
            out.write(eol)
        elif isinstance(row, str):
            out.write(row + eol)
        else:
            writer.writerow(row)
    path.write_bytes((("\ufeff" if bom else "") + out.getvalue()).encode(encoding))
    return path


def with_column(column: str, change: Callable[[str], str]) -> Rows:
    """The example's rows with ``change`` applied to one column's cells."""
    index = AT_COLUMN[column]
    rows = [list(row) for row in ROWS]
    for row in rows:
        row[index] = change(row[index])
    return rows


def accounted(result: LoadResult) -> LoadResult:
    assert result.rows_read == result.rows_in_entries + result.rows_rejected
    assert len(result.errors) == result.rows_rejected
    return result


def content(result: LoadResult) -> tuple[object, ...]:
    """What an audit reads from a load, whatever the spelling of the cells it came from."""
    entries = sorted(
        (
            (
                str(entry.entry_number.key),
                entry.arrival_date,
                entry.filed_at,
                entry.estimated_arrival_date,
                entry.type_code,
                entry.port_code,
                entry.consignee,
                entry.seller,
                tuple(
                    (
                        line.line_number,
                        line.description,
                        line.hts_number.replace(".", ""),
                        line.country_of_origin,
                        line.value_usd,
                        line.quantity,
                        line.gross_weight_kg,
                        line.additional_hts,
                    )
                    for line in entry.lines
                ),
            )
            for entry in result.entries
        ),
        key=repr,
    )
    errors = Counter(error.column or "" for error in result.errors)
    return result.rows_read, result.rows_rejected, tuple(entries), sorted(errors.items())


@pytest.fixture(scope="module")
def clean() -> LoadResult:
    return accounted(load(EXAMPLE))


def _money(text: str, form: str) -> str:
    try:
        value = Decimal(text)
    except ArithmeticError:
        return text
    return form.format(value)


def _us_date(text: str) -> str:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return text
    return f"{day.month}/{day.day}/{day.year}"


def _us_datetime(text: str) -> str:
    if not text:
        return text
    return dt.datetime.fromisoformat(text).strftime("%m/%d/%Y %I:%M:%S %p")


def _blank_lines(rows: Rows) -> list[list[str] | str | None]:
    out: list[list[str] | str | None] = []
    for number, row in enumerate(rows):
        out.append(row)
        if number % 7 == 0:
            out.append(None)
        if number % 11 == 0:
            out.append("," * (len(HEADER) - 1))  # a spreadsheet's empty row
    return [*out, None, None]


SAME_DATA: dict[str, Callable[[Path], Path]] = {
    "bom and CRLF": lambda p: write(p, HEADER, ROWS, eol="\r\n", bom=True),
    "bare CR line ends": lambda p: write(p, HEADER, ROWS, eol="\r"),
    "every cell quoted": lambda p: write(p, HEADER, ROWS, quote_all=True),
    "a trailing comma on every line": lambda p: write(
        p, [*HEADER, ""], [[*row, ""] for row in ROWS]
    ),
    "blank lines between rows and at the end": lambda p: write(p, HEADER, _blank_lines(ROWS)),
    "headers upper case and padded": lambda p: write(p, [f" {h.upper()} " for h in HEADER], ROWS),
    "amounts as $1,234.56": lambda p: write(
        p, HEADER, with_column("value_usd", lambda v: _money(v, "${:,}"))
    ),
    "amounts as USD 12.00, padded": lambda p: write(
        p, HEADER, with_column("value_usd", lambda v: _money(v, " USD {} "))
    ),
    "dates as M/D/YYYY": lambda p: write(p, HEADER, with_column("arrival_date", _us_date)),
    "dates with the time Excel appends": lambda p: write(
        p, HEADER, with_column("arrival_date", lambda v: v + " 00:00:00" if v[:1] == "2" else v)
    ),
    "filing times as MM/DD/YYYY HH:MM:SS AM": lambda p: write(
        p, HEADER, with_column("filed_at", _us_datetime)
    ),
    "entry numbers lower case without dashes": lambda p: write(
        p, HEADER, with_column("entry_number", lambda v: v.replace("-", "").lower())
    ),
    "line numbers as pandas writes them (1.0)": lambda p: write(
        p, HEADER, with_column("line_number", lambda v: f"{v}.0" if v else v)
    ),
    "HTS numbers without dots": lambda p: write(
        p, HEADER, with_column("hts_number", lambda v: v.replace(".", ""))
    ),
    "300 extra columns": lambda p: write(
        p, [*HEADER, *(f"Note {n}" for n in range(300))], [[*row, *["x"] * 300] for row in ROWS]
    ),
}


@pytest.mark.parametrize("variant", SAME_DATA)
def test_an_export_spelling_the_same_data_loads_the_same_entries(
    variant: str, clean: LoadResult, tmp_path: Path
) -> None:
    result = accounted(load(SAME_DATA[variant](tmp_path / "export.csv")))
    assert content(result) == content(clean)


def test_an_export_spelling_the_same_data_gives_the_same_findings(
    clean: LoadResult, tmp_path: Path
) -> None:
    """Dollar signs, U.S. dates and CRLF together: the same findings as in the clean file."""
    rows = with_column("value_usd", lambda v: _money(v, "${:,}"))
    index = AT_COLUMN["arrival_date"]
    for row in rows:
        row[index] = _us_date(row[index])
    result = load(write(tmp_path / "export.csv", HEADER, rows, eol="\r\n", bom=True))

    def keys(loaded: LoadResult) -> list[tuple[str, str, int, str, str]]:
        report = t86audit.audit(loaded, generated_at=AT)
        return sorted(
            (f.code, f.entry_number, f.line_number or 0, f.field or "", f.message)
            for f in report.findings
        )

    assert keys(result) == keys(clean)


def _only_new(result: LoadResult, clean: LoadResult) -> list[LoadError]:
    known = Counter((error.column, error.value) for error in clean.errors)
    new = []
    for error in result.errors:
        if known[(error.column, error.value)]:
            known[(error.column, error.value)] -= 1
        else:
            new.append(error)
    return new


def test_repeated_header_rows_are_named_as_such_and_the_rest_loads(
    clean: LoadResult, tmp_path: Path
) -> None:
    """Exports put one after another repeat the header: those rows, not the entries, fail."""
    path = write(tmp_path / "joined.csv", HEADER, [*ROWS[:1500], HEADER, *ROWS[1500:], HEADER])
    result = accounted(load(path))
    new = _only_new(result, clean)
    assert [(e.source, e.row, e.column, e.value) for e in new] == [
        (str(path), 1501, "arrival_date", "arrival_date"),
        (str(path), len(ROWS) + 2, "arrival_date", "arrival_date"),
    ]
    assert all("repeats the header row" in e.message and "delete it" in e.message for e in new)
    assert content(result)[2] == content(clean)[2]  # every entry as in the clean file

    # The audit streams the file: the same rows are named.
    out, err = io.StringIO(), io.StringIO()
    status = main(
        ["audit", str(path), "--format", "json", "--generated-at", AT.isoformat()],
        stdout=out,
        stderr=err,
    )
    assert status == 0, err.getvalue()
    report = json.loads(out.getvalue())
    assert report["input"]["rows_read"] == len(ROWS) + 2
    assert report["input"]["entries_loaded"] == clean.entries_loaded
    rows = {e["row"] for e in report["load_errors"] if "repeats the header" in e["message"]}
    assert rows == {1501, len(ROWS) + 2}


def test_a_totals_row_is_a_load_error_that_says_so(clean: LoadResult, tmp_path: Path) -> None:
    total = [""] * len(HEADER)
    total[AT_COLUMN["entry_number"]] = "Total"
    total[AT_COLUMN["value_usd"]] = "123456.78"
    footer = [""] * len(HEADER)
    footer[AT_COLUMN["description"]] = "Grand total"
    footer[AT_COLUMN["value_usd"]] = "$123,456.78"
    path = write(tmp_path / "export.csv", HEADER, [*ROWS, total, footer, "Printed 05/02/2025"])
    result = accounted(load(path))
    new = _only_new(result, clean)
    assert [(e.row, e.column, e.value) for e in new] == [
        (len(ROWS) + 1, "entry_number", "Total"),
        (len(ROWS) + 2, "entry_number", ""),
        (len(ROWS) + 3, None, None),
    ]
    assert "totals or footer row ('Total')" in new[0].message
    assert "totals or footer row ('Grand total')" in new[1].message
    assert "'Printed 05/02/2025'" in new[2].message
    assert "a title, note or footer line, it holds no entry" in new[2].message
    assert content(result)[2] == content(clean)[2]


def test_a_trailing_delimiter_on_the_rows_but_not_the_header_says_how_to_fix_it(
    tmp_path: Path,
) -> None:
    """Not read as the row without its last cell: an unquoted comma would give the same row."""
    path = write(tmp_path / "export.csv", HEADER, [[*row, ""] for row in ROWS[:3]])
    result = accounted(load(path))
    assert result.entries_loaded == 0
    assert [(e.row, e.column) for e in result.errors] == [(1, None), (2, None), (3, None)]
    message = result.errors[0].message
    assert "29 cells but the header has 28" in message
    assert "end the header row with one too" in message


@pytest.mark.parametrize(
    ("column", "raw", "says"),
    [
        # Excel stored the HTS number as a number: the digits are gone, nothing to audit.
        ("hts_number", "6.1091E+09", "exponent notation"),
        ("hts_number", "6.11e+09", "format the column as text"),
        ("additional_hts", "9903.88.03; 9.9039E+07", "exponent notation"),
        # A European decimal comma is never read as a thousands separator (23,98 -> 2398).
        ("value_usd", "23,98", "decimal comma"),
        ("value_usd", "1.234,56", "decimal comma"),
        ("value_usd", "12 EUR", "U.S. dollars"),
        ("quantity", "2 pcs", "quantity_unit"),
        ("gross_weight_kg", "0.39 kg", "the number alone"),
        # A date serial number: 1900 or 1904 date system is a guess.
        ("arrival_date", "43692", "2019-08-15 in Excel's usual 1900 date system, 2023-08-16"),
        ("filed_at", "43689.340868", "date serial number"),
        ("arrival_date", "08/15/19", "two digits"),
        ("line_number", "1.5", "not a whole number"),
    ],
)
def test_a_cell_that_cannot_be_read_as_filed_is_a_load_error_saying_what_to_do(
    column: str, raw: str, says: str, tmp_path: Path
) -> None:
    first = ROWS[0]
    rows = [list(first)]
    header = HEADER if column in AT_COLUMN else [*HEADER, column]
    if column not in AT_COLUMN:
        rows[0].append("")
    rows[0][header.index(column)] = raw
    rows.append(list(ROWS[1]))
    if column not in AT_COLUMN:
        rows[1].append("")
    path = write(tmp_path / "export.csv", header, rows)
    result = accounted(load(path))
    assert result.entries_loaded == 1  # the other entry
    (error,) = result.errors
    assert (error.source, error.row, error.column, error.value) == (str(path), 1, column, raw)
    assert says in error.message, error.message


def test_an_hts_number_in_exponent_notation_in_json_is_a_load_error(tmp_path: Path) -> None:
    record = dict(zip(HEADER[:19], ROWS[0][:19], strict=True))
    line = dict(zip(HEADER[19:], ROWS[0][19:], strict=True))
    path = tmp_path / "export.json"
    text = json.dumps([{**record, "lines": [{**line, "hts_number": "HTS"}]}])
    path.write_text(text.replace('"HTS"', "6.1091E+09"), encoding="utf-8")
    result = accounted(load(path))
    (error,) = result.errors
    assert (error.column, error.value) == ("hts_number", "6.1091E+09")
    assert "exponent notation" in error.message


def test_title_lines_and_excels_sep_line_above_a_csv_header_are_named(tmp_path: Path) -> None:
    titled = write(
        tmp_path / "titled.csv", ["ACME Brokerage - T86 report"], [[], *[HEADER], *ROWS]
    )
    with pytest.raises(InputError) as info:
        load(titled)
    assert info.value.source == str(titled)
    assert "the header read: 'ACME Brokerage - T86 report'" in info.value.reason
    assert "delete them" in info.value.reason

    sep = write(tmp_path / "sep.csv", ["sep=,"], [HEADER, *ROWS])
    with pytest.raises(InputError, match="'sep=,' is a spreadsheet's delimiter hint"):
        load(sep)


def test_a_windows_export_read_as_utf8_is_told_about_cp1252(tmp_path: Path) -> None:
    rows = with_column("consignee_name", lambda v: v + " O\u2019Brien")
    path = write(tmp_path / "export.csv", HEADER, rows[:5], encoding="cp1252")
    with pytest.raises(InputError) as info:
        load(path)
    assert "line 2 of the file" in info.value.reason
    assert "'cp1252'" in info.value.reason
    loaded = accounted(load(path, encoding="cp1252"))
    assert loaded.entries[0].consignee.name.endswith("O\u2019Brien")


def test_a_workbook_whose_first_sheet_is_not_the_data_names_its_sheets(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    workbook: Any = openpyxl.Workbook()
    notes = workbook.active
    notes.title = "Read me"
    notes.append(["Exported by the broker system on 05/02/2025"])
    data = workbook.create_sheet("Entries")
    data.append(HEADER)
    for row in ROWS[:20]:
        data.append(row)
    path = tmp_path / "export.xlsx"
    workbook.save(path)
    with pytest.raises(InputError) as info:
        load(path)
    reason = info.value.reason
    assert "row 1 of worksheet 'Read me', the first" in reason
    assert "the workbook's worksheets are 'Read me', 'Entries'" in reason
    assert "sheet=NAME" in reason
    assert accounted(load(path, sheet="Entries")).entries_loaded > 0
    out, err = io.StringIO(), io.StringIO()
    assert main(["load", str(path)], stdout=out, stderr=err) == 2
    assert "pass --sheet NAME to read another" in err.getvalue()
