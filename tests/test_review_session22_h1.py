"""Twenty-second session (h1): filing rules and the reading of dates and entry numbers.

Each case is worked out by hand from the domain reference (section 1 and 3.7, F3-F5) and the
input contract, not from what the code returns.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

import t86audit
from t86audit.io._stream import _keys
from t86audit.model import EntryNumber, entry_number_key, us_eastern
from t86audit.sample import cited_sample
from t86audit.testing import CSV_COLUMNS, make_entry, make_line, to_csv_rows


AT = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)


def _findings(entries, code):
    report = t86audit.audit(list(entries), select=[code], exposure=False)
    return [f for f in report.findings if f.code == code]


def _eastern(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=us_eastern())


# --- 1. FIL011 judges an EDA's accuracy only where the EDA was mandatory ---------------------
#
# Reference section 1: the EDA became mandatory on T86 submissions from 25 Jul 2024 (CSMS
# 61421135, "for all entry type 86 submissions"); F3 keys on the submission. Before then no
# source names the EDA among the T86 data elements, so an EDA in an earlier record is not judged.


@pytest.mark.parametrize(
    ("arrival", "filed", "eda", "flagged"),
    [
        # Filed 2024-06-02 for 2024-06-03, EDA 2024-06-20 (17 days after): before 25 Jul 2024.
        ("2024-06-03", "2024-06-02", "2024-06-20", False),
        # Filed 2024-07-24 for 2024-07-26, EDA 2024-08-10 (15 days after): submitted the day
        # before the requirement, though it arrived after: not judged (as FIL010 would not).
        ("2024-07-26", "2024-07-24", "2024-08-10", False),
        # Filed 2024-07-25 for 2024-07-26, EDA 2024-08-10 (15 days after): judged, flagged.
        ("2024-07-26", "2024-07-25", "2024-08-10", True),
        # Filed 2024-09-02 for 2024-09-03, EDA 2024-09-10 (7 days: the limit itself): passes.
        ("2024-09-03", "2024-09-02", "2024-09-10", False),
        # The same with EDA 2024-09-11 (8 days): flagged.
        ("2024-09-03", "2024-09-02", "2024-09-11", True),
    ],
)
def test_fil011_judges_only_t86_submitted_while_the_eda_was_mandatory(
    arrival: str, filed: str, eda: str, flagged: bool
) -> None:
    entry = make_entry(
        serial=1, arrival_date=arrival, filed_at=_eastern(filed), estimated_arrival_date=eda
    )
    found = _findings([entry], "FIL011")
    assert len(found) == (1 if flagged else 0)


def test_fil011_without_a_filing_time_goes_by_the_arrival_date() -> None:
    """No filing time: the arrival date stands for the submission, as in FIL010."""
    before = make_entry(
        serial=1, arrival_date="2024-07-24", filed_at=None, estimated_arrival_date="2024-08-10"
    )
    after = make_entry(
        serial=2, arrival_date="2024-07-25", filed_at=None, estimated_arrival_date="2024-08-10"
    )
    found = _findings([before, after], "FIL011")
    assert [f.entry_number for f in found] == [after.number]
    assert found[0].message == (
        "estimated date of arrival 2024-08-10 is 16 days after the arrival on 2024-07-25"
    )


def test_fil011_finding_names_the_period_of_the_submission() -> None:
    """Arrived 2024-07-26, filed 2024-07-25: judged under the period in force when filed."""
    entry = make_entry(
        serial=1,
        arrival_date="2024-07-26",
        filed_at=_eastern("2024-07-25"),
        estimated_arrival_date="2024-08-10",
    )
    (finding,) = _findings([entry], "FIL011")
    assert finding.policy_period == "eda-required"
    assert "15 days after the arrival on 2024-07-26" in finding.message


def test_fil011_is_not_in_force_for_a_cited_entry_filed_before_the_requirement() -> None:
    """The letter response lists FIL011 as not in force for a June 2024 entry, not as passed."""
    entry = make_entry(serial=7, arrival_date="2024-06-03", estimated_arrival_date="2024-06-02")
    population = [entry, *(make_entry(serial=s) for s in range(901, 904))]
    sample = cited_sample(population, [entry.number], id="CBP-1", drawn_at=AT)
    report = t86audit.audit(population, samples=[sample], generated_at=AT, exposure=False)
    (item,) = report.letter_response
    assert "FIL011" in item.not_in_force
    assert "FIL011" not in {r.code for r in item.passed}


# --- 2. Month and day as numbers with dashes or dots -----------------------------------------
#
# The contract (section 1) fixes month first for MM/DD/YYYY only and says an ambiguous date is a
# load error, never a guess. With dashes or dots both orders are in use, so such a date is read
# only when one order alone gives a date.


def _load(tmp_path: Path, **raw: str) -> t86audit.LoadResult:
    """One default entry written to a CSV file with the raw cells given, then loaded."""
    rows = to_csv_rows([make_entry(serial=1)])
    for row in rows:
        row.update(raw)
    path = tmp_path / "entries.csv"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return t86audit.load(path)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("06-23-2024", dt.date(2024, 6, 23)),  # no month 23: June 23
        ("23-06-2024", dt.date(2024, 6, 23)),  # the same, day first
        ("23.06.2024", dt.date(2024, 6, 23)),
        ("6-23-2024", dt.date(2024, 6, 23)),
        ("06-06-2024", dt.date(2024, 6, 6)),  # either order: June 6
    ],
)
def test_a_dashed_eda_with_one_reading_is_read(tmp_path: Path, text: str, day: dt.date) -> None:
    loaded = _load(tmp_path, estimated_arrival_date=text)
    assert not loaded.errors
    (entry,) = loaded.entries
    assert entry.estimated_arrival_date == day
    assert entry.estimated_arrival_date_raw == text


def test_a_dashed_arrival_date_with_one_reading_is_read(tmp_path: Path) -> None:
    loaded = _load(tmp_path, arrival_date="06-23-2024", estimated_arrival_date="2024-06-23")
    (entry,) = loaded.entries
    assert entry.arrival_date == dt.date(2024, 6, 23)


@pytest.mark.parametrize(
    ("column", "text", "dates"),
    [
        ("estimated_arrival_date", "06-03-2024", "June 3, 2024 (month first) or March 6, 2024"),
        ("arrival_date", "06.03.2024", "June 3, 2024 (month first) or March 6, 2024"),
        ("arrival_date", "3-6-2024", "March 6, 2024 (month first) or June 3, 2024"),
    ],
)
def test_a_dashed_date_with_two_readings_is_a_load_error_naming_both(
    tmp_path: Path, column: str, text: str, dates: str
) -> None:
    loaded = _load(tmp_path, **{column: text})
    assert not loaded.entries
    (error,) = loaded.errors
    assert error.column == column
    assert error.value == text
    assert f"could be {dates} (day first)" in error.message
    assert "write the date as MM/DD/YYYY or YYYY-MM-DD" in error.message


def test_the_contract_order_for_slashes_is_unchanged(tmp_path: Path) -> None:
    """'06/03/2024' is June 3 (contract); '23/06/2024' is no date in that order: refused."""
    loaded = _load(tmp_path, estimated_arrival_date="06/03/2024")
    assert loaded.entries[0].estimated_arrival_date == dt.date(2024, 6, 3)
    loaded = _load(tmp_path, estimated_arrival_date="23/06/2024")
    assert not loaded.entries
    assert "not a real date" in loaded.errors[0].message


def test_a_dashed_date_that_is_no_date_either_way_is_refused(tmp_path: Path) -> None:
    loaded = _load(tmp_path, arrival_date="02-30-2024")
    assert not loaded.entries
    assert loaded.errors[0].message.startswith(
        "'02-30-2024' is not a real date, whichever of its first two numbers is the month"
    )


# --- 3. Entry numbers written with typographic dashes -----------------------------------------
#
# Reference 5.1: the number is XXX-NNNNNNN-C and "the same number must not be used for more than
# one entry"; ACE transmits the eleven characters, so a dash of any kind is how an export prints
# it. 'B76-0324527-8' is Appendix E's worked example (check digit 8).

DASHES = ["\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212"]


@pytest.mark.parametrize("dash", DASHES)
def test_a_typographic_dash_is_a_dash_in_the_entry_number(dash: str) -> None:
    number = EntryNumber(f"B76{dash}0324527{dash}8")
    assert number.key == "B7603245278" == EntryNumber("B76-0324527-8").key
    assert entry_number_key(f" b76{dash}0324527{dash}8 ") == "B7603245278"
    assert (number.filer_code, number.serial, number.check_digit) == ("B76", "0324527", "8")
    assert number.is_check_digit_valid
    assert number.raw == f"B76{dash}0324527{dash}8"  # quoted as filed


def test_a_non_ascii_letter_is_not_read_as_a_filer_code() -> None:
    """'ß76-...' upper-cases to 'SS76-...': not a three-character filer code (FIL001)."""
    number = EntryNumber("\u00df7-0324527-8")
    assert not number.is_well_formed
    found = _findings([make_entry(entry_number="\u00df7-0324527-8")], "FIL001")
    assert len(found) == 1


def test_two_filings_under_one_number_one_with_en_dashes_are_fil003() -> None:
    """One number on entries arriving 2024-06-03 and 2024-08-06, one printed with en dashes."""
    plain = make_entry(entry_number="B76-0324527-8", arrival_date="2024-06-03")
    dashed = make_entry(entry_number="B76\u20130324527\u20138", arrival_date="2024-08-06")
    found = _findings([plain, dashed], "FIL003")
    assert sorted(f.entry_number for f in found) == sorted([plain.number, dashed.number])
    assert all("the filings differ in arrival_date" in f.message for f in found)
    assert _findings([plain, dashed], "FIL001") == []


def test_one_filing_exported_with_and_without_en_dashes_is_fil004() -> None:
    plain = make_entry(entry_number="B76-0324527-8")
    dashed = make_entry(entry_number="B76\u20130324527\u20138")
    assert len(_findings([plain, dashed], "FIL004")) == 2
    assert _findings([plain, dashed], "FIL003") == []


def test_a_malformed_number_with_en_dashes_says_what_is_wrong() -> None:
    (found,) = _findings([make_entry(entry_number="B76\u2013324527\u20138")], "FIL001")
    assert "has the serial '324527' (6 characters), not 7 digits" in found.message


def test_rows_of_one_entry_with_en_dashes_on_one_row_load_as_one_entry(tmp_path: Path) -> None:
    """Before: two entries of one line each (value halved, FIL001, the bill 'reused')."""
    entry = make_entry(serial=1, lines=[make_line(line_number=1), make_line(line_number=2)])
    rows = to_csv_rows([entry])
    rows[1]["entry_number"] = rows[1]["entry_number"].replace("-", "\u2013")
    path = tmp_path / "entries.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    loaded = t86audit.load(path)
    assert not loaded.errors
    (only,) = loaded.entries
    assert [line.line_number for line in only.lines] == [1, 2]
    report = t86audit.audit(path, exposure=False)
    assert not [f for f in report.findings if f.code in ("FIL001", "FIL003", "FIL007")]


def test_the_streams_batch_keys_agree_with_entry_number_key() -> None:
    numbers = ["B76\u20130000001\u20135", "B76-0000002-3", "b76\u22120000003\u22121"]
    assert _keys(list(numbers)) == [entry_number_key(n) for n in numbers]
    assert _keys(list(numbers))[0] == "B7600000015"


# --- 4. Two bills with only a space between them ----------------------------------------------
#
# Reference 2.1 and 3.7 F4: one bill per T86; the same bill on two T86 is reused. A space
# separates two bills only where each side is a whole bill by its shape (an air waybill's
# airline prefix and 8-digit serial; a UPS '1Z' number): '738 26418497' is one air waybill.


def _bills(field: str, code: str) -> list[str]:
    return [f.message for f in _findings([make_entry(serial=1, bill_of_lading=field)], code)]


@pytest.mark.parametrize(
    ("field", "bills"),
    [
        ("176-12345675 176-12345686", "17612345675, 17612345686"),
        ("17612345675 17612345686", "17612345675, 17612345686"),
        ("738 2641 8497 738 2641 8501", "73826418497, 73826418501"),
        ("AWB 176-12345675 176-12345686", "17612345675, 17612345686"),
        ("1Z999AA10123456784 1Z999AA10123456791", "1Z999AA10123456784, 1Z999AA10123456791"),
    ],
)
def test_whole_bills_separated_by_a_space_are_two_bills(field: str, bills: str) -> None:
    (message,) = _bills(field, "FIL006")
    assert message.startswith(f"2 bills on one entry: {bills} ")


@pytest.mark.parametrize(
    "field",
    [
        "738 26418497",  # one air waybill, a space after the airline prefix
        "176-1234 5675",  # one air waybill, its serial printed in two groups
        "MAEU 123456789",  # one ocean bill: the carrier's code and the number
        "176-12345675 176-12345675",  # one bill written twice
        "176-12345675 SZX0098123",  # not all parts whole by shape: left as one
        "176-12345675 176-12345686 1",  # a trailing '1': not all parts whole
    ],
)
def test_a_space_inside_one_bill_or_beside_a_part_is_not_a_separator(field: str) -> None:
    assert _bills(field, "FIL006") == []
    assert _bills(field, "FIL005") == []


def test_a_bill_listed_with_a_space_is_found_reused() -> None:
    """Entry 1 lists two air waybills with a space; entry 2, a week later, has the second."""
    first = make_entry(
        serial=1, bill_of_lading="176-12345675 176-12345686", arrival_date="2024-05-14"
    )
    second = make_entry(serial=2, bill_of_lading="176-12345686", arrival_date="2024-05-21")
    found = _findings([first, second], "FIL007")
    assert sorted(f.entry_number for f in found) == sorted([first.number, second.number])
    assert all("bill 17612345686" in f.message or "'176-12345686'" in f.message for f in found)
