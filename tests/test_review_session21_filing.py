"""Twenty-first session, filing rules (FIL001-FIL011) against what broker exports write.

Entry numbers printed with spaces, EDAs in ACE's MMDDYY written with slashes, air waybills
whose check digit is mistyped, a consolidation's master bill given alone, and filing times in
several zones across the 2024 and 2025 changes of daylight saving time.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

import t86audit
from t86audit.testing import CSV_COLUMNS, make_entry, to_csv_rows


def _findings(entries, code):
    report = t86audit.audit(list(entries), select=[code], exposure=False)
    return [f for f in report.findings if f.code == code]


def _load(tmp_path: Path, **raw: str) -> t86audit.LoadResult:
    """One default entry written to a CSV file with the raw cells given, then loaded."""
    rows = to_csv_rows([make_entry()])
    for row in rows:
        row.update(raw)
    path = tmp_path / "entries.csv"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return t86audit.load(path)


# --- FIL001: spaces where the dashes go are how an export prints the number ------------------


@pytest.mark.parametrize("number", ["B76 0324527 8", "b76 0324527-8", "B76 - 0324527 - 8"])
def test_entry_number_with_spaces_for_dashes_is_well_formed(number: str) -> None:
    entry = make_entry(entry_number=number)
    assert _findings([entry], "FIL001") == []
    assert _findings([entry], "FIL002") == []  # and its check digit is judged: right here


def test_entry_number_with_spaces_elsewhere_is_still_malformed() -> None:
    found = _findings([make_entry(entry_number="B7 60324527 8")], "FIL001")
    assert [f.severity.value for f in found] == ["violation"]
    assert "contains spaces" in found[0].message


def test_spaced_entry_number_has_its_check_digit_judged() -> None:
    found = _findings([make_entry(entry_number="B76 0324527 9")], "FIL002")
    assert len(found) == 1
    assert found[0].expected == "B76-0324527-8"


def test_spaced_and_dashed_copies_of_one_filing_are_one_filing() -> None:
    entries = [
        make_entry(entry_number=number, bill_of_lading="176-12345675", order_reference="ORD-1")
        for number in ("B76-0324527-8", "B76 0324527 8")
    ]
    assert len(_findings(entries, "FIL004")) == 2
    assert _findings(entries, "FIL001") == []
    assert _findings(entries, "FIL003") == []


# --- EDA: ACE's MMDDYY written with slashes --------------------------------------------------


@pytest.mark.parametrize("text", ["06/03/24", "6/3/24", "060324"])
def test_eda_mmddyy_with_slashes_is_read_and_the_entry_audited(tmp_path, text) -> None:
    loaded = _load(tmp_path, estimated_arrival_date=text)
    assert not loaded.errors
    (entry,) = loaded.entries
    assert entry.estimated_arrival_date == dt.date(2024, 6, 3)
    assert _findings(loaded.entries, "FIL010") == []
    assert _findings(loaded.entries, "FIL011") == []


def test_eda_mmddyy_with_slashes_far_from_arrival_is_flagged(tmp_path) -> None:
    # Arriving 2024-09-03, filed the evening before: the EDA was mandatory (session 22 judges
    # FIL011 from 25 Jul 2024 only, as FIL010).
    loaded = _load(
        tmp_path,
        arrival_date="2024-09-03",
        filed_at="2024-09-02T18:30:00",
        estimated_arrival_date="9/20/24",
    )
    found = _findings(loaded.entries, "FIL011")
    assert len(found) == 1
    assert "2024-09-20 is 17 days after the arrival on 2024-09-03" in found[0].message


def test_two_digit_year_in_the_arrival_date_is_still_not_guessed(tmp_path) -> None:
    loaded = _load(tmp_path, arrival_date="06/03/24")
    assert not loaded.entries
    assert [e.column for e in loaded.errors] == ["arrival_date"]


# --- FIL006/FIL007: an air waybill is told by its eleven digits, not its check digit --------


def test_two_air_waybills_one_with_a_mistyped_check_digit_are_two_bills() -> None:
    # 1234568 % 7 is 6, so the second number's check digit 0 is wrong: it was read as a house
    # bill beside the first, and the entry's two bills went unreported.
    entry = make_entry(bill_of_lading="176-12345675 / 176-12345680")
    found = _findings([entry], "FIL006")
    assert len(found) == 1
    assert "17612345675, 17612345680" in found[0].message


def test_master_with_a_mistyped_check_digit_and_its_house_bill_are_one_pair() -> None:
    entry = make_entry(bill_of_lading="176-12345670 / SZX0098123")
    assert _findings([entry], "FIL006") == []
    assert _findings([entry], "FIL005") == []


def test_the_house_bill_of_such_a_pair_is_what_is_compared_for_reuse() -> None:
    entries = [
        make_entry(serial=1, bill_of_lading="176-12345670 / SZX0098123"),
        make_entry(serial=2, bill_of_lading="176-12345675 / SZX0098123"),
        make_entry(serial=3, bill_of_lading="176-12345675 / SZX0098124"),
    ]
    found = _findings(entries, "FIL007")
    assert sorted(f.entry_number for f in found) == ["B76-0000001-5", "B76-0000002-3"]
    assert all("SZX0098123" in f.message for f in found)


# --- FIL007: a master bill given alone on several entries -----------------------------------


def _consolidation(bill: str) -> list[t86audit.Entry]:
    return [
        make_entry(serial=i, bill_of_lading=bill, consignee={"name": f"Person {i}"})
        for i in (1, 2, 3)
    ]


def test_reused_labelled_master_says_what_the_finding_shows() -> None:
    found = _findings(_consolidation("MAWB 176-12345675"), "FIL007")
    assert len(found) == 3
    assert all("labels it a master bill" in f.message for f in found)
    assert all("does not show one shipment entered twice" in f.message for f in found)


def test_reused_unlabelled_bill_keeps_the_plain_message() -> None:
    found = _findings(_consolidation("176-12345675"), "FIL007")
    assert len(found) == 3
    assert not any("master" in f.message for f in found)


def test_one_master_with_a_house_bill_each_is_no_reuse() -> None:
    entries = [
        make_entry(serial=i, bill_of_lading=f"MAWB 176-12345675 HAWB SZX009812{i}")
        for i in (1, 2, 3)
    ]
    assert _findings(entries, "FIL007") == []


# --- FIL008: filing times in several zones, at midnight and across DST changes --------------


@pytest.mark.parametrize(
    ("arrival", "filed", "late"),
    [
        ("2024-06-03", "2024-06-03T23:59:00", False),  # naive: U.S. Eastern
        ("2024-06-03", "2024-06-04T00:00:00", True),
        ("2024-06-03", "2024-06-04T03:59:00Z", False),  # 23:59 EDT
        ("2024-06-03", "2024-06-04T04:00:00Z", True),
        ("2024-06-03", "2024-06-04T11:00:00+08:00", False),  # 23:00 EDT
        ("2024-06-03", "2024-06-04T12:30:00+08:00", True),
        ("2024-06-03", "2024-06-03T20:59:00-07:00", False),
        ("2024-06-03", "06/03/2024 11:59 PM", False),
        ("2024-06-03", "06/04/2024 12:00 AM", True),
        ("2024-06-03", "2024-06-04", True),  # a date alone is that day
        ("2024-03-09", "2024-03-10T04:30:00Z", False),  # 23:30 EST, before the change
        ("2024-03-10", "2024-03-11T03:30:00Z", False),  # 23:30 EDT, after it
        ("2024-03-10", "2024-03-11T04:30:00Z", True),
        ("2024-11-02", "2024-11-03T03:30:00Z", False),  # 23:30 EDT
        ("2024-11-02", "2024-11-03T04:30:00Z", True),
        ("2024-11-03", "2024-11-04T04:30:00Z", False),  # 23:30 EST
        ("2025-03-09", "2025-03-10T03:59:00Z", False),
        ("2025-03-09", "2025-03-10T04:00:00Z", True),
    ],
)
def test_filed_after_arrival_by_the_eastern_day(tmp_path, arrival, filed, late) -> None:
    loaded = _load(tmp_path, arrival_date=arrival, filed_at=filed)
    assert not loaded.errors
    assert bool(_findings(loaded.entries, "FIL008")) is late
