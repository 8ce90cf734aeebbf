"""Session 22 review (h9): the report as counsel read it, after the session's new exposure notes.

The twenty-second session gave exposure amounts new caveats (a column 2 rate whose country list
and date are [S], the publications exemption read from the heading, Japan's floor heading whose
effective date is not verified). They reached the JSON report and the worksheet only: the text,
Markdown and HTML reports showed a $900 Belarusian T-shirt entry owing $810.00 of duty, and a
Japanese entry's duty, with no word of either. The human formats now mark such entries in the
ineligible-entries table and say each note once beneath it, with a key to the tags.

Amounts worked by hand from the bundled tables (see tests/test_review_session22_h3.py): a $900
Russian handbag (4202.21.90) on 1 Jun 2025 owes the column 2 rate 35% = $315.00; a $1,000
Japanese handbag on 20 Aug 2025 owes 9% = $90.00 and the 9903.02.73 floor top-up $60.00, where
the plain 9903.02.30 would add 15% = $150.00; a $1,000 Taiwanese laptop in June 2024 owes only
the FY2024 informal MPF $2.53 (20% of its value is $200.00, 40% $400.00).
"""

from __future__ import annotations

import html
import io
import re

import pytest

import t86audit
from t86audit.testing import make_entry


HANDBAG = "4202.21.90.00"
LAPTOP = "8471.30.01.00"


def _entry(serial: int, day: str, hts: str, origin: str, value: str) -> t86audit.Entry:
    return make_entry(
        serial=serial,
        arrival_date=day,
        consignee={"name": f"Buyer {serial} Lee", "address": f"{serial} Elm St"},
        lines=[
            {
                "description": "women's leather handbag with shoulder strap"
                if hts == HANDBAG
                else "laptop computer 14 inch",
                "hts_number": hts,
                "country_of_origin": origin,
                "value_usd": value,
            }
        ],
    )


def _write(report: t86audit.Report, fmt: str) -> str:
    buffer = io.StringIO()
    report.write(fmt, buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def report() -> t86audit.Report:
    return t86audit.audit(
        [
            _entry(1, "2025-06-01", HANDBAG, "RU", "900.00"),
            _entry(2, "2025-08-20", HANDBAG, "JP", "1000.00"),
        ],
        select=["VAL001"],
    )


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_the_column2_and_floor_caveats_reach_the_human_formats(report, fmt) -> None:
    """Before: neither note appeared outside the JSON report and the worksheet."""
    out = _write(report, fmt)
    flat = re.sub(r"\s+", " ", html.unescape(out).replace("\\[", "[").replace("\\]", "]"))
    assert "HTSUS 4202.21.90 column 2 rate: products of RU pay the column 2 rate" in flat
    assert "country list and date [S], not in the domain reference" in flat
    assert "9903.02.73 is tagged S" in flat
    assert "effective date of this heading not verified" in flat
    assert "this duty would be $150.00, on top of the general duty" in flat
    # A reader is told what the tags mean.
    assert "[S] (or 'tagged S') marks a rate, list or date taken from a secondary source" in flat


def test_the_entries_are_marked_and_the_money_columns_stay_amounts(report) -> None:
    text = _write(report, "text").split("Ineligible entries\n~")[1].split("Note 1:")[0]
    rows = {
        line.split()[0]: line
        for line in text.splitlines()
        if re.match(r"B76-000000[12]-\d  20", line)
    }
    russian, japanese = rows.values()
    # The Russian entry: its column 2 rate (note 1) and the exemption from the reciprocal duty.
    assert "informal (notes 1, 2)" in russian
    assert russian.rstrip().endswith("$317.62")
    # The Japanese entry: the 143.21(a) note and the floor's note.
    assert re.search(r"informal \(notes \d, \d\)", japanese)
    assert japanese.rstrip().endswith("$152.62")


def test_notes_end_with_one_full_stop() -> None:
    """The Section 321 note ended 'named as not estimated..' (its own stop and the list's)."""
    entry = make_entry(arrival_date="2019-08-15", serial=9)
    report = t86audit.audit([entry], select=["ELG001"])
    text = _write(report, "text")
    assert "not estimated." in text
    assert ".." not in re.sub(r"\.{3}", "", text.split("Ineligible entries")[-1])


def test_an_entry_with_no_caveat_is_not_marked() -> None:
    """A Vietnamese T-shirt over $800: a general rate and the informal MPF, nothing to qualify."""
    entry = make_entry(serial=3, value="900.00", arrival_date="2024-12-16")
    text = _write(t86audit.audit([entry], select=["VAL001"]), "text")
    assert "(note" not in text.split("Ineligible entries")[-1]
    assert "In these notes [S]" not in text


def test_one_fee_only_entry_is_spoken_of_in_the_singular() -> None:
    """'1 of the entries lost fees only ... Their ceilings ... of their dutiable value' and '1
    entries' before."""
    entry = _entry(5, "2024-06-03", LAPTOP, "TW", "1000.00")
    exposure = t86audit.audit([entry], select=["VAL001"]).exposure
    assert exposure is not None
    (note,) = [n for n in exposure.penalty_ranges.notes if "fees only" in n]
    assert "Its ceilings above use the loss" in note
    assert "20%/40% of its dutiable value instead: $200.00 negligence and $400.00" in note


def test_one_s70531_entry_is_one_entry() -> None:
    entry = _entry(6, "2025-08-20", HANDBAG, "JP", "1000.00")
    text = _write(t86audit.audit([entry], select=["VAL001"]), "text")
    assert "1 entry arrived 3-28 Aug 2025" in text
    assert "$5,000.00 for 1 entry" in text
    assert "1 entries" not in text


def test_the_workbook_summary_carries_the_ceilings_caveats(tmp_path) -> None:
    """The xlsx Summary gave the fraud ceiling without 'UNVERIFIED' and the negligence ceilings
    without the fee-only note the other formats give beside them."""
    openpyxl = pytest.importorskip("openpyxl")
    entry = _entry(5, "2024-06-03", LAPTOP, "TW", "1000.00")
    path = tmp_path / "report.xlsx"
    with path.open("wb") as handle:
        t86audit.audit([entry], select=["VAL001"]).write("xlsx", handle)
    sheet = openpyxl.load_workbook(path)["Summary"]
    rows = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    labels = [str(row[0]) for row in rows if row]
    assert "penalty ceiling, fraud (figure UNVERIFIED)" in labels
    notes = [str(row[1]) for row in rows if row and row[0] == "penalty note"]
    assert any("20%/40% of its dutiable value instead: $200.00 negligence" in n for n in notes)
    assert any("not a penalty assessment" in n for n in notes)
