"""What a spreadsheet does to numbers kept as numbers is not the filing (session 21).

A port code kept as a number is written ``4701.0``; an HTS number of chapters 01-09 kept as a
number loses its leading zero (``0101210010`` becomes ``101210010``). Before, both were
violations (FIL012 "not a 4-digit Schedule D code", HTS001 "has 9 digits, not 10") about the
export, not the entry.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from t86audit import audit, load
from t86audit.testing import make_entry


def _codes(**fields: Any) -> list[str]:
    return [f.code for f in audit([make_entry(**fields)], select=["FIL012", "HTS"]).findings]


@pytest.mark.parametrize("port", ["4701.0", "712.0"])
def test_a_port_code_written_as_a_number_is_the_code(port: str) -> None:
    assert _codes(port_code=port) == []


@pytest.mark.parametrize("port", ["47010", "4701.00", ".0", "9999.0"])
def test_other_port_codes_are_still_judged(port: str) -> None:
    assert _codes(port_code=port) == ["FIL012"]


@pytest.mark.parametrize("hts", ["101210010", "101210010.0", "0101.21.00.10"])
def test_a_chapter_01_to_09_number_that_lost_its_zero_is_the_number(hts: str) -> None:
    lines = [{"hts_number": hts, "description": "Live purebred breeding horses"}]
    assert _codes(lines=lines) == []


def test_a_number_typed_with_separators_keeps_its_digits() -> None:
    """'1012.10.010' was typed (dots): its nine digits are the filer's, HTS001 as before."""
    lines = [{"hts_number": "1012.10.010", "description": "Live horses"}]
    assert _codes(lines=lines) == ["HTS001"]


def test_a_wrong_nine_digit_number_is_still_flagged_and_says_how_it_was_read() -> None:
    lines = [{"hts_number": "610910001", "description": "Cotton T-shirt"}]
    (finding,) = [
        f for f in audit([make_entry(lines=lines)], select=["HTS"]).findings if f.code == "HTS002"
    ]
    assert finding.observed == "610910001"
    assert "the nine digits filed, '610910001', read as 0610910001" in finding.message


def test_a_workbook_with_numeric_cells_reads_as_filed(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        [
            "entry_number",
            "arrival_date",
            "port_code",
            "bill_of_lading",
            "consignee_name",
            "consignee_address",
            "consignee_country",
            "seller_name",
            "seller_address",
            "seller_country",
            "line_number",
            "description",
            "hts_number",
            "country_of_origin",
            "value_usd",
            "quantity",
        ]
    )
    sheet.append(
        [
            "B76-1000000-5",
            dt.date(2024, 7, 24),
            712,
            "738-26418497",
            "Sofia Brown",
            "8201 Maple Rd",
            "US",
            "Acme Ltd",
            "1 Road",
            "CA",
            1,
            "Live purebred breeding horses",
            101210010,
            "CA",
            500,
            1,
        ]
    )
    path = tmp_path / "export.xlsx"
    book.save(path)
    report = audit(load(path), select=["FIL012", "HTS"])
    assert report.findings == ()


def test_a_label_row_is_named_as_one(tmp_path: Path) -> None:
    """Before: '--- 2024 filings ---' was rejected as 'arrival_date is blank' and nothing more."""
    header = (
        "entry_number,arrival_date,port_code,bill_of_lading,consignee_name,consignee_address,"
        "consignee_country,seller_name,seller_address,seller_country,line_number,description,"
        "hts_number,country_of_origin,value_usd,quantity\n"
    )
    row = (
        "B76-1000000-5,2024-07-24,4701,738-26418497,Sofia Brown,8201 Maple Rd,US,Acme,1 Rd,VN,"
        "1,Cotton T-shirt,6109100012,VN,20,1\n"
    )
    path = tmp_path / "export.csv"
    path.write_text(header + "--- 2024 filings ---" + "," * 15 + "\n" + row, encoding="utf-8")
    loaded = load(path)
    (error,) = loaded.errors
    assert error.row == 1
    assert "the row holds only '--- 2024 filings ---', as a title, label or note row" in (
        error.message
    )
    assert len(loaded.entries) == 1
