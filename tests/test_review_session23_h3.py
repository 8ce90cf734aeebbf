"""Session 23 (h3): a fourth broker's export, as a spreadsheet and an API dump give it.

"Meridian Harbor Customs Brokerage" (filer code MH4) hands over its Type 86 line detail as an
Excel workbook the way an analyst makes one: a merged title over a blank row, header names as an
ACE report words them (one wrapped with Alt+Enter, ``Entry`` over ``Number``), real date and
date-time cells beside text dates, money as floats with a currency format (19.99, ``=0.1+0.2``
with the value Excel saved, 799.995 shown as $800.00, 800, 1234.5), quantities as integers, HTS
numbers as numbers (``0902.30.0015`` kept as 902300015), a hidden column, the consignee merged
down over an entry's two lines, a value merged over two lines, a date cell that lost its date
format (45560), a ``Totals`` row of formulas, styled blank rows under it and a second sheet. The
same entries come as JSON Lines from an API: nested lines, numbers as JSON numbers and strings,
nulls, booleans, a float's noise, a Unix time.

``EXPECTED_*`` were written by hand before the run, from the input contract and
``/work/shared/domain/t86-reference.md`` (the $800 threshold from 10 Mar 2016, "does not exceed":
800.00 passes; the EDA is required on a T86 submitted from 25 Jul 2024).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from t86audit import audit, load
from t86audit.exceptions import InputError
from t86audit.io import LoadResult


openpyxl = pytest.importorskip("openpyxl")

FILER = "MH4"
MONEY = '"$"#,##0.00'
EASTERN_EDT = dt.timezone(dt.timedelta(hours=-4))


def _check_digit(filer: str, serial: str) -> str:
    """The entry number's check digit (domain reference 5.3, CATAIR Appendix E)."""
    letters = {c: str((i % 9) + 1) for i, c in enumerate("ABCDEFGHIJKLMNOPQR")}
    letters.update({c: str(i + 2) for i, c in enumerate("STUVWXYZ")})
    digits = "".join(letters.get(c, c) for c in filer) + serial
    total = 0
    for position, char in enumerate(digits, 1):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def number(serial: int) -> str:
    text = f"{serial:07d}"
    return f"{FILER}-{text}-{_check_digit(FILER, text)}"


HEADERS = [
    "Entry\nNumber",  # wrapped with Alt+Enter: the user sees (and maps) "Entry Number"
    "Entry Type",
    "Arrival Date",
    "Entry Filed Date/Time",
    "Est. Arrival Date",
    "Port of Entry",
    "MOT",
    "Master/House Bill",
    "Ultimate Consignee Name",
    "Consignee Street",
    "Consignee City",
    "Consignee State",
    "Consignee Zip",
    "Consignee Country",
    "Manufacturer/Seller Name",
    "Seller Address",
    "Seller Country",
    "Reviewer",  # hidden
    "Line #",
    "Commodity Description",
    "HTS Number",
    "Country of Origin",
    "Unit Price",
    "Line Value (USD)",
    "Qty",
    "UOM",
]
MAPPING = {
    "entry_number": "Entry Number",
    "entry_type": "Entry Type",
    "arrival_date": "Arrival Date",
    "filed_at": "Entry Filed Date/Time",
    "estimated_arrival_date": "Est. Arrival Date",
    "port_code": "Port of Entry",
    "mode": "MOT",
    "bill_of_lading": "Master/House Bill",
    "consignee_name": "Ultimate Consignee Name",
    "consignee_address": "Consignee Street",
    "consignee_city": "Consignee City",
    "consignee_state": "Consignee State",
    "consignee_postal_code": "Consignee Zip",
    "consignee_country": "Consignee Country",
    "seller_name": "Manufacturer/Seller Name",
    "seller_address": "Seller Address",
    "seller_country": "Seller Country",
    "line_number": "Line #",
    "description": "Commodity Description",
    "hts_number": "HTS Number",
    "country_of_origin": "Country of Origin",
    "value_usd": "Line Value (USD)",
    "quantity": "Qty",
    "quantity_unit": "UOM",
}

T = dt.datetime
# Each entry: its key, serial, arrival, filed and EDA cells, consignee and seller, its lines
# as description, HTS cell, value cell and quantity, and the column merged down over its rows.
ENTRIES: list[tuple[Any, ...]] = [
    (
        "E1",
        2001001,
        T(2024, 9, 10),
        T(2024, 9, 9, 14, 5),
        T(2024, 9, 10),
        "Avery Collins",
        "Saigon Knitwear Co",
        [
            ("Men's cotton knit T-shirts", 6109100012, 19.99, 2),
            ("Cotton knit socks", 6115959000, "=0.1+0.2", 1),
        ],
        None,
    ),
    (
        "E2",
        2001002,
        "09/12/2024",
        "09/11/2024 10:30 AM",
        "2024-09-12",
        "Brandon Hughes",
        "Hue Leather Goods",
        [("Leather handbag", 4202216000, 799.995, 1)],
        None,
    ),
    (
        "E3",
        2001003,
        T(2024, 9, 13),
        T(2024, 9, 12, 9, 0),
        T(2024, 9, 13),
        "Chloe Nguyen",
        "Da Nang Ceramics",
        [("Ceramic dinner plates", 6912004400, 800.0, 4)],
        None,
    ),
    (
        "E4",
        2001004,
        T(2024, 9, 16),
        T(2024, 9, 15, 16, 45),
        T(2024, 9, 16),
        "Daniel Brooks",
        "Mekong Electronics",
        [
            ("Cellular smartphone", 8517130000, 1234.5, 1),
            ("Plastic phone case", 3926909989, 15, 1),
        ],
        None,
    ),
    (
        "E5",
        2001005,
        T(2024, 9, 17),
        T(2024, 9, 16, 11, 20),
        T(2024, 9, 17),
        "Elena Petrova",
        "Thai Nguyen Tea Estate",
        [
            ("Black tea in tea bags", 902300015, 24.0, 3),
            ("Black tea, loose leaf", 902300050, 12.75, 1),
        ],
        "I",  # the consignee merged down over both lines
    ),
    (
        "E6",
        2001006,
        T(2024, 9, 20, 8, 15),  # a date-time in the date column: its date
        T(2024, 9, 19, 7, 0),
        T(2024, 9, 20),
        "Farah Siddiqui",
        "Hoi An Tailors",
        [("Women's cotton scarves", 6214900010, 1234.5, 1)],
        None,
    ),
    (
        "E7",
        2001007,
        45560,  # a date cell whose format became General: Excel shows 45560
        T(2024, 9, 23, 10, 0),
        T(2024, 9, 24),
        "Gavin Murphy",
        "Hanoi Paper Crafts",
        [("Paper notebooks", 4820102050, 35.0, 5)],
        None,
    ),
    (
        "E8",
        2001008,
        T(2024, 9, 25),
        T(2024, 9, 24, 15, 0),
        T(2024, 9, 25),
        "Hannah Weiss",
        "Ben Thanh Bags",
        [("Cotton tote bags", 4202923100, 60.0, 2), ("Canvas backpacks", 4202923100, None, 1)],
        "X",  # the value merged over both lines: one line's, or their total?
    ),
]


def _save_formula_values(path: Path, values: dict[str, str]) -> None:
    """Give formula cells the values Excel computes and saves with them (openpyxl cannot)."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    part = "xl/worksheets/sheet1.xml"
    xml = parts[part].decode("utf-8")
    for cell, value in values.items():
        xml, count = re.subn(
            rf'(<c r="{cell}"[^>]*>)(<f>[^<]*</f>)(<v\s*/>|<v></v>)?', rf"\1\2<v>{value}</v>", xml
        )
        assert count == 1, cell
    parts[part] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def build_workbook(path: Path) -> dict[str, list[int]]:
    """Write the workbook; return each entry's sheet rows (and ``Totals``)."""
    from openpyxl.styles import Font, PatternFill  # noqa: PLC0415

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "T86 Lines"
    sheet.append(["Meridian Harbor Customs Brokerage - ACE Entry Summary Line Detail (Type 86)"])
    sheet.merge_cells("A1:H1")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append(HEADERS)
    header_row = sheet.max_row
    sheet.column_dimensions["R"].hidden = True
    rows: dict[str, list[int]] = {}
    for key, serial, arrival, filed, eda, consignee, seller, lines, merge in ENTRIES:
        first = sheet.max_row + 1
        for index, (description, hts, value, quantity) in enumerate(lines, 1):
            sheet.append(
                [
                    number(serial),
                    86,
                    arrival,
                    filed,
                    eda,
                    2901,
                    "Air",
                    f"MH{serial}",
                    consignee,
                    f"{serial % 1000} Birch Lane",
                    "Dayton",
                    "OH",
                    45402,
                    "USA",
                    seller,
                    "12 Ly Thuong Kiet, Hanoi",
                    "Vietnam",
                    "JQ",
                    index,
                    description,
                    hts,
                    "VN",
                    None,
                    value,
                    quantity,
                    "PCS",
                ]
            )
            row = sheet.max_row
            rows.setdefault(key, []).append(row)
            formats = {3: "mm/dd/yyyy", 4: "mm/dd/yyyy h:mm AM/PM", 5: "m/d/yyyy", 24: MONEY}
            for column, form in formats.items():
                if not isinstance(sheet.cell(row, column).value, str):
                    sheet.cell(row, column).number_format = form
            sheet.cell(row, 13).number_format = "00000"
            if isinstance(arrival, int):
                sheet.cell(row, 3).number_format = "General"
        if merge is not None:
            sheet.merge_cells(f"{merge}{first}:{merge}{sheet.max_row}")
    last = sheet.max_row
    sheet.append(
        [None] * 19
        + ["Totals", None, None, None]
        + [f"=SUBTOTAL(9,X{header_row + 1}:X{last})", f"=SUM(Y{header_row + 1}:Y{last})"]
    )
    total = sheet.max_row
    rows["Totals"] = [total]
    fill = PatternFill("solid", fgColor="FFFFCC")
    for row in range(total + 1, total + 6):  # styled, never typed in
        for column in range(1, 27):
            sheet.cell(row, column).fill = fill
            sheet.cell(row, column).number_format = MONEY
    pivot = book.create_sheet("By Consignee")
    pivot.append(["Consignee", "Entries", "Total FRV"])
    pivot.append(["Avery Collins", 1, 20.29])
    book.save(path)
    _save_formula_values(
        path,
        {
            f"X{rows['E1'][1]}": repr(0.1 + 0.2),  # 0.30000000000000004, as Excel saves it
            f"X{total}": repr(19.99 + 0.1 + 0.2 + 799.995 + 800.0 + 1249.5 + 36.75 + 1234.5 + 95),
            f"Y{total}": "22",
        },
    )
    return rows


def build_json_lines(path: Path) -> None:
    """The same entries as an API gives them: one entry object with its lines per line."""
    common = {
        "port_code": 2901,  # a JSON number
        "mode": "air",
        "consignee_address": "118 Birch Lane",
        "consignee_country": "US",
        "seller_address": "12 Ly Thuong Kiet, Hanoi",
        "seller_country": "VN",
        "importer_of_record": None,
        "pga_data": None,
        "is_section_321": True,  # not a canonical key: kept in Entry.extra
    }
    records = [
        {
            "entry_number": number(2001001),
            "entry_type": 86,
            "arrival_date": "2024-09-10",
            "filed_at": "2024-09-09T18:05:00Z",
            "estimated_arrival_date": "2024-09-10",
            "bill_of_lading": "MH2001001",
            "consignee_name": "Avery Collins",
            "seller_name": "Saigon Knitwear Co",
            **common,
            "lines": [
                {
                    "line_number": 1,
                    "description": "Men's cotton knit T-shirts",
                    "hts_number": "6109100012",
                    "country_of_origin": "VN",
                    "value_usd": 19.99,
                    "quantity": 2,
                    "gross_weight_kg": None,
                },
                {
                    "line_number": 2,
                    "description": "Cotton knit socks",
                    "hts_number": 6115959000,
                    "country_of_origin": "VN",
                    "value_usd": 0.1 + 0.2,  # written 0.30000000000000004
                    "quantity": 1.0,
                    "hazmat": False,
                },
            ],
        },
        {
            "entry_number": number(2001002),
            "entry_type": "86",
            "arrival_date": "2024-09-12",
            "filed_at": "2024-09-11T10:30:00-04:00",
            "estimated_arrival_date": None,
            "bill_of_lading": "MH2001002",
            "consignee_name": "Brandon Hughes",
            "seller_name": "Hue Leather Goods",
            **common,
            "lines": [
                {
                    "line_number": "1",
                    "description": "Leather handbag",
                    "hts_number": "4202.21.6000",
                    "country_of_origin": "VN",
                    "value_usd": "799.995",
                    "quantity": "1",
                }
            ],
        },
        {
            "entry_number": number(2001003),
            "entry_type": 86,
            "arrival_date": "2024-09-13",
            "filed_at": "2024-09-12T09:00:00",
            "estimated_arrival_date": "2024-09-13",
            "bill_of_lading": "MH2001003",
            "consignee_name": "Chloe Nguyen",
            "seller_name": "Da Nang Ceramics",
            **common,
            "lines": [
                {
                    "line_number": 1,
                    "description": "Ceramic dinner plates",
                    "hts_number": 6912004400,
                    "country_of_origin": "VN",
                    "value_usd": 800.00,  # written 800.0
                    "quantity": 4,
                }
            ],
        },
        {
            "entry_number": number(2001004),
            "entry_type": 86,
            "arrival_date": "2024-09-16",
            "filed_at": "2024-09-15T16:45:00",
            "estimated_arrival_date": "2024-09-16",
            "bill_of_lading": "MH2001004",
            "consignee_name": "Daniel Brooks",
            "seller_name": "Mekong Electronics",
            **common,
            "lines": [
                {
                    "line_number": 1,
                    "description": "Cellular smartphone",
                    "hts_number": "8517130000",
                    "country_of_origin": "VN",
                    "value_usd": 1234.5,
                    "quantity": 1,
                },
                {
                    "line_number": 2,
                    "description": "Plastic phone case",
                    "hts_number": "3926909989",
                    "country_of_origin": "VN",
                    "value_usd": 15,
                    "quantity": True,  # a flag where a number belongs
                },
            ],
        },
        {
            "entry_number": number(2001005),
            "entry_type": 86,
            "arrival_date": "2024-09-17",
            "filed_at": 1726500000000,  # JavaScript's Date.now(): milliseconds since 1970
            "estimated_arrival_date": "2024-09-17",
            "bill_of_lading": "MH2001005",
            "consignee_name": "Elena Petrova",
            "seller_name": "Thai Nguyen Tea Estate",
            **common,
            "lines": [
                {
                    "line_number": 1,
                    "description": "Black tea in tea bags",
                    "hts_number": 902300015,
                    "country_of_origin": "VN",
                    "value_usd": 24.0,
                    "quantity": 3,
                }
            ],
        },
        {
            "entry_number": number(2001006),
            "entry_type": 86,
            "arrival_date": "2024-09-20",
            "estimated_arrival_date": "2024-09-20",
            "bill_of_lading": "MH2001006",
            "consignee_name": "Farah Siddiqui",
            "seller_name": "Hoi An Tailors",
            **common,
            "lines": None,
        },
    ]
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")


# Written by hand before the run: entry -> {(code, line): observed}.
EXPECTED_XLSX: dict[str, dict[tuple[str, int | None], str]] = {
    "E1": {},  # 19.99 + 0.3 (Excel's 0.30000000000000004) = 20.29
    "E2": {},  # 799.995, shown as $800.00: it does not exceed 800
    "E3": {},  # exactly 800.00: does not exceed 800
    "E4": {("VAL001", None): "1,249.50"},  # 1234.5 + 15
    "E5": {},  # tea kept as the number 902300015 is 0902.30.00.15; consignee merged down
    "E6": {("VAL001", None): "1,234.50"},
}
EXPECTED_JSON: dict[str, dict[tuple[str, int | None], str]] = {
    "E1": {},
    "E2": {("FIL010", None): ""},  # the EDA is null on a T86 submitted 11 Sep 2024
    "E3": {},
}
KEYS = {number(serial): key for key, serial, *_ in ENTRIES}


def _findings(result: LoadResult) -> dict[str, dict[tuple[str, int | None], str]]:
    found: dict[str, dict[tuple[str, int | None], str]] = {
        KEYS[entry.entry_number.raw]: {} for entry in result.entries
    }
    for f in json.loads(audit(result).to_json())["findings"]:
        line = None if f["line_number"] is None else int(f["line_number"])
        found[KEYS[f["entry_number"]]][(f["code"], line)] = f["observed"]
    return found


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mh4")


@pytest.fixture(scope="module")
def workbook(folder: Path) -> tuple[Path, dict[str, list[int]]]:
    path = folder / "mh4.xlsx"
    return path, build_workbook(path)


@pytest.fixture(scope="module")
def loaded(workbook: tuple[Path, dict[str, list[int]]]) -> LoadResult:
    return load(workbook[0], mapping=MAPPING)


@pytest.fixture(scope="module")
def api(folder: Path) -> Path:
    path = folder / "mh4.jsonl"
    build_json_lines(path)
    return path


def _lines(result: LoadResult) -> dict[str, list[tuple[Decimal | None, Decimal | None, str]]]:
    return {
        KEYS[entry.entry_number.raw]: [
            (line.value_usd, line.quantity, line.hts_number) for line in entry.lines
        ]
        for entry in result.entries
    }


def test_the_workbook_loads_exact_decimal_money_and_the_sheets_dates(loaded, workbook):
    _, rows = workbook
    lines = _lines(loaded)
    assert lines["E1"] == [
        (Decimal("19.99"), Decimal(2), "6109100012"),
        (Decimal("0.3"), Decimal(1), "6115959000"),
    ]
    assert str(lines["E1"][0][0]) == "19.99"
    assert lines["E2"] == [(Decimal("799.995"), Decimal(1), "4202216000")]
    assert lines["E3"][0][0] == Decimal("800")
    assert [value for value, _, _ in lines["E4"]] == [Decimal("1234.5"), Decimal(15)]
    assert [hts for _, _, hts in lines["E5"]] == ["902300015", "902300050"]
    by_key = {KEYS[e.entry_number.raw]: e for e in loaded.entries}
    e1, e2, e6 = by_key["E1"], by_key["E2"], by_key["E6"]
    assert e1.arrival_date == dt.date(2024, 9, 10)
    assert e1.filed_at == T(2024, 9, 9, 14, 5, tzinfo=EASTERN_EDT)
    assert e1.estimated_arrival_date == dt.date(2024, 9, 10)
    assert e2.arrival_date == dt.date(2024, 9, 12)  # text dates, as typed
    assert e2.filed_at == T(2024, 9, 11, 10, 30, tzinfo=EASTERN_EDT)
    assert e6.arrival_date == dt.date(2024, 9, 20)  # a date-time cell in a date column
    assert e1.port_code == "2901"
    assert e1.entry_type == "86"
    # The hidden column is data all the same: kept for third-party rules.
    assert e1.extra["Reviewer"] == "JQ"
    # Source rows are the sheet's, as Excel shows them at its left.
    assert e1.source_rows == tuple(rows["E1"])


def test_a_consignee_merged_down_over_an_entrys_lines_is_on_every_line(loaded, workbook):
    """Before: 'rows disagree on consignee_name: 'Elena Petrova' (row 10) vs '' (row 11)',
    both rows rejected and the entry not audited."""
    _, rows = workbook
    (e5,) = [e for e in loaded.entries if KEYS[e.entry_number.raw] == "E5"]
    assert e5.consignee.name == "Elena Petrova"
    assert e5.source_rows == tuple(rows["E5"])
    assert len(e5.lines) == 2


def test_every_row_is_in_an_entry_or_a_load_error_naming_file_row_column_value(loaded, workbook):
    path, rows = workbook
    assert loaded.rows_read == 13  # 12 line rows and the Totals row; the styled rows are blank
    assert loaded.rows_read == loaded.rows_in_entries + loaded.rows_rejected
    assert sorted(KEYS[e.entry_number.raw] for e in loaded.entries) == sorted(EXPECTED_XLSX)
    errors = {error.row: error for error in loaded.errors}
    assert set(errors) == {*rows["E7"], *rows["E8"], *rows["Totals"]}
    assert all(error.source == str(path) for error in loaded.errors)
    serial = errors[rows["E7"][0]]
    assert (serial.column, serial.value) == ("arrival_date", "45560")
    assert "date serial number" in serial.message
    assert "2024-09-25 in Excel's usual 1900 date system" in serial.message
    merged_row = rows["E8"][1]
    merged = errors[merged_row]
    assert (merged.column, merged.value) == ("value_usd", "")
    assert f"X{merged_row}" in merged.message
    assert f"X{rows['E8'][0]}:X{merged_row}" in merged.message
    assert "'60'" in merged.message
    assert "unmerge the cells" in merged.message
    assert errors[rows["E8"][0]].column is None  # its entry rejected whole for the row below
    totals = errors[rows["Totals"][0]]
    assert totals.column == "entry_number"
    assert "totals" in totals.message


def test_the_workbook_audits_to_the_hand_written_findings(loaded):
    assert _findings(loaded) == EXPECTED_XLSX


def _options(mapping: Path) -> list[str]:
    return ["--mapping", str(mapping), "--format", "json"]


def test_the_command_line_gives_what_the_library_gives(loaded, workbook, folder):
    path, _ = workbook
    mapping = folder / "mapping.json"
    mapping.write_text(json.dumps(MAPPING), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "t86audit", "audit", str(path), *_options(mapping)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["input"]["rows_read"] == 13
    assert report["input"]["rows_rejected"] == 4
    assert report["input"]["entries_loaded"] == 6
    got = {(KEYS[f["entry_number"]], f["code"], f["observed"]) for f in report["findings"]}
    want = {
        (key, code, observed)
        for key, found in EXPECTED_XLSX.items()
        for (code, _), observed in found.items()
    }
    assert got == want
    library = json.loads(audit(loaded).to_json())["load_errors"]
    assert [(e["row"], e["column"], e["value"]) for e in report["load_errors"]] == [
        (e["row"], e["column"], e["value"]) for e in library
    ]
    assert "4 of 13 input rows rejected" in done.stderr


def test_a_misspelt_mapping_under_a_title_names_the_header_row_and_the_one_header(workbook):
    """Before: all 24 mapped headers were listed as missing, from row 1 (the title)."""
    path, _ = workbook
    wrong = dict(MAPPING, value_usd="Line Value USD")
    with pytest.raises(InputError) as caught:
        load(path, mapping=wrong)
    reason = caught.value.reason
    assert "'value_usd' -> 'Line Value USD'" in reason
    assert "'entry_number' -> " not in reason
    assert "the header is row 3 of worksheet 'T86 Lines'" in reason
    assert caught.value.column == "value_usd"


def test_without_a_mapping_the_error_offers_the_look_alike_headers_of_the_header_row(workbook):
    path, _ = workbook
    with pytest.raises(InputError) as caught:
        load(path)
    reason = caught.value.reason
    assert '"hts_number": "HTS Number"' in reason
    assert "the header is row 3" in reason


def test_the_json_lines_load_exact_money_and_account_for_every_line(api):
    result = load(api)
    lines = _lines(result)
    # A float's noise is read at the 15 digits a double holds; 19.99 stays 19.99.
    assert lines["E1"] == [
        (Decimal("19.99"), Decimal(2), "6109100012"),
        (Decimal("0.3"), Decimal(1), "6115959000"),
    ]
    assert lines["E2"] == [(Decimal("799.995"), Decimal(1), "4202.21.6000")]
    assert lines["E3"][0][0] == Decimal("800.0")
    by_key = {KEYS[e.entry_number.raw]: e for e in result.entries}
    assert by_key["E1"].filed_at == T(2024, 9, 9, 18, 5, tzinfo=dt.UTC)
    assert by_key["E2"].estimated_arrival_date is None  # null is a blank
    assert by_key["E1"].extra["is_section_321"] == "true"
    assert by_key["E1"].port_code == "2901"
    # 2 + 1 + 1 + 2 + 1 + 1 line objects; E4 (2), E5 (1) and E6 (no lines: 1) rejected.
    assert (result.rows_read, result.entries_loaded, result.rows_rejected) == (8, 3, 4)
    errors = [(e.row, e.column, e.value) for e in result.errors]
    assert (4, "quantity", "true") in errors
    assert (5, "filed_at", "1726500000000") in errors
    messages = {e.row: e.message for e in result.errors if e.column or e.row == 6}
    assert "Unix time, milliseconds since 1970 (2024-09-16T15:20:00 UTC if so)" in messages[5]
    assert "'lines' is null" in messages[6]
    assert _findings(result) == EXPECTED_JSON


def test_a_json_float_noise_is_read_as_the_value_and_a_string_as_written(tmp_path):
    """Before: 0.30000000000000004 was a load error ('has 17 decimal places'), the entry lost."""
    from t86audit.io._json import _number_text  # noqa: PLC0415

    assert _number_text("0.30000000000000004") == "0.3"
    assert _number_text("1234.5000000000002") == "1234.5"
    assert _number_text("19.989999999999998") == "19.99"
    assert _number_text("799.995") == "799.995"  # 15 digits or fewer: as written
    assert _number_text("800.0000000000001") == "800"  # never a $0.0000000000001 violation
    assert _number_text("1e-7") == "1e-7"  # exponent: as written (and refused as such)
    path = tmp_path / "one.jsonl"
    path.write_text(
        json.dumps(
            {
                "entry_number": number(2001009),
                "arrival_date": "2024-09-10",
                "port_code": "2901",
                "bill_of_lading": "MH9",
                "consignee_name": "Ivan Sokolov",
                "consignee_address": "1 Main St",
                "consignee_country": "US",
                "seller_name": "S",
                "seller_address": "A",
                "seller_country": "VN",
                "lines": [
                    {
                        "description": "Cotton socks",
                        "hts_number": "6115959000",
                        "country_of_origin": "VN",
                        "value_usd": "0.30000000000000004",
                        "quantity": 1,
                    }
                ],
            }
        )
        + "\n",
        encoding="utf-8",
    )
    (error,) = load(path).errors
    assert (error.column, error.value) == ("value_usd", "0.30000000000000004")
    assert "decimal places" in error.message


def test_a_header_wrapped_in_its_cell_matches_the_name_a_mapping_gives(tmp_path):
    """Before: 'Entry\\nNumber' did not match the mapping's 'Entry Number'."""
    from t86audit.io._columns import normalize_header  # noqa: PLC0415

    assert normalize_header(" Entry\nNumber ") == "entry number"
    assert normalize_header("Line\u00a0Value  (USD)") == "line value (usd)"
    assert normalize_header("Entry_Number") == "entry_number"  # punctuation still matters
