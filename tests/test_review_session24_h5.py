"""Review session 24, helper h5: hand-computed boundary cases for the rule checks.

Every expectation below was written down by hand from the domain reference
(/work/shared/domain/t86-reference.md: "ref" below, with its section and rule ID) before the
library ran, then compared with what :func:`t86audit.audit` reports. Where the library's
severity differs from the reference table's "V", the comment names the documented reason: the
design's principle 14 ("severity follows the basis": CBP guidance, secondary sources and
anything UNVERIFIED give warnings), which each rule's docs (docs/rules/<CODE>.md) apply.

Check digits (section F) were computed on paper with ref 5.3's algorithm; the working is in the
comment of each case.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest

import t86audit
from t86audit.model import Entry
from t86audit.testing import make_entry, make_entry_number, make_party, to_csv_rows


AT = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
EASTERN = ZoneInfo("America/New_York")
UTC = dt.UTC

Found = tuple[str, str, str, int | None]
"""(entry number, code, severity, line number) of one finding."""


def _found(entries: list[Entry], select: list[str], **options: Any) -> list[Found]:
    report = t86audit.audit(
        entries, select=select, generated_at=AT, exposure=False, options=options or None
    )
    return sorted(
        (f.entry_number, f.code, f.severity.value, f.line_number) for f in report.findings
    )


def _codes(entries: list[Entry], select: list[str], **options: Any) -> set[tuple[str, str]]:
    """(code, severity) of every finding, whatever the entry."""
    return {(code, sev) for _, code, sev, _ in _found(entries, select, **options)}


def _et(year: int, month: int, day: int, hour: int, minute: int, second: int = 0) -> dt.datetime:
    """A naive date-time: U.S. Eastern, as the input contract reads one (contract 1)."""
    return dt.datetime(year, month, day, hour, minute, second)  # noqa: DTZ001 - naive is Eastern


def _n(serial: int) -> str:
    return make_entry_number("B76", serial)


# ---------------------------------------------------------------------------------------------
# A. One entry's value: ref 3.3 V1 (sum of line values > $800 -> V) and ref 3.2 D5 / section 1
# (threshold $200 before 10 Mar 2016, $800 from 10 Mar 2016).
# ---------------------------------------------------------------------------------------------

ENTRY_VALUES = [
    # (arrival, line values, VAL001 expected)
    ("2024-06-03", ["800.00"], False),  # V1: "> $800": $800.00 is not over
    ("2024-06-03", ["800.01"], True),  # V1: one cent over
    ("2024-06-03", ["266.67", "266.67", "266.66"], False),  # V1: the sum, 800.00
    ("2024-06-03", ["266.67", "266.67", "266.67"], True),  # V1: the sum, 800.01
    ("2024-06-03", ["400.00", "400.01"], True),  # V1: two lines, 800.01
    ("2016-03-09", ["200.00"], False),  # D5: date < 2016-03-10 -> threshold 200; not over
    ("2016-03-09", ["200.01"], True),  # D5: over $200 the day before the change
    ("2016-03-09", ["800.00"], True),  # D5: $800 was over the $200 threshold then
    ("2016-03-10", ["200.01"], False),  # D5: from 10 Mar 2016 the threshold is 800
    ("2016-03-10", ["800.00"], False),  # D5 / V1
    ("2016-03-10", ["800.01"], True),  # D5 / V1
]


@pytest.mark.parametrize(("arrival", "values", "over"), ENTRY_VALUES)
def test_entry_value_threshold_by_arrival_date(
    arrival: str, values: list[str], over: bool
) -> None:
    entry = make_entry(arrival_date=arrival, lines=[{"value_usd": v} for v in values])
    expected = [(_n(1), "VAL001", "violation", None)] if over else []
    assert _found([entry], ["VAL001"]) == expected


# ---------------------------------------------------------------------------------------------
# B. One person on one day: ref 3.3 V2. Group T86 entries by normalised consignee (name +
# address) and ET arrival day; "V on every entry released after the cumulative total first
# exceeds $800 (ACE processes in manifest order)". The entry whose release takes the running
# total over is the first one flagged (ACE Release 3 withholds that release: ref section 1,
# 12 Aug 2025), and every later one is.
# ---------------------------------------------------------------------------------------------


def _shipment(serial: int, value: str, **fields: Any) -> Entry:
    return make_entry(serial=serial, value=value, **fields)


def _at(hour: int, minute: int = 0) -> dt.datetime:
    """A filing time on 2 Jun 2024, naive: U.S. Eastern by the input contract."""
    return _et(2024, 6, 2, hour, minute)


def test_day_total_of_exactly_800_is_not_over() -> None:
    # V2: "> $800"; $400 + $400 = $800.00.
    entries = [_shipment(1, "400.00"), _shipment(2, "400.00")]
    assert _found(entries, ["VAL002"]) == []


def test_day_total_one_cent_over_flags_the_second_shipment_only() -> None:
    # V2: $400 + $400.01 = $800.01; the first release left the total at $400.
    entries = [_shipment(1, "400.00"), _shipment(2, "400.01")]
    assert _found(entries, ["VAL002"]) == [(_n(2), "VAL002", "violation", None)]


def test_three_shipments_over_by_one_cent_flag_the_third() -> None:
    # V2: 266.67 + 266.67 = 533.34, + 266.67 = 800.01: the third takes the day over.
    entries = [_shipment(s, "266.67") for s in (1, 2, 3)]
    assert _found(entries, ["VAL002"]) == [(_n(3), "VAL002", "violation", None)]
    # 266.67 + 266.67 + 266.66 = 800.00: not over.
    entries[2] = _shipment(3, "266.66")
    assert _found(entries, ["VAL002"]) == []


def test_the_entry_that_first_exceeds_and_every_later_one_are_flagged() -> None:
    # V2, manifest order: $300 (total 300), $600 (900: first over), $100 (1000).
    entries = [
        _shipment(1, "300.00", filed_at=_at(8)),
        _shipment(2, "600.00", filed_at=_at(9)),
        _shipment(3, "100.00", filed_at=_at(10)),
    ]
    assert _found(entries, ["VAL002"]) == [
        (_n(2), "VAL002", "violation", None),
        (_n(3), "VAL002", "violation", None),
    ]


def test_manifest_order_is_the_filing_order_not_the_entry_number() -> None:
    # V2 "ACE processes in manifest order": serial 3 ($600) was filed first, then serial 1
    # ($300: total 900, first over), then serial 2 ($100).
    entries = [
        _shipment(1, "300.00", filed_at=_at(12)),
        _shipment(2, "100.00", filed_at=_at(13)),
        _shipment(3, "600.00", filed_at=_at(8)),
    ]
    assert _found(entries, ["VAL002"]) == [
        (_n(1), "VAL002", "violation", None),
        (_n(2), "VAL002", "violation", None),
    ]


def test_filing_times_in_utc_and_eastern_are_ordered_as_instants() -> None:
    # V2 manifest order across time zones. A: 22:00 EDT 2 Jun (naive = Eastern), $500.
    # B: 01:30 UTC 3 Jun = 21:30 EDT 2 Jun, $400: B was filed first, so A takes the day over.
    a = _shipment(1, "500.00", filed_at=_at(22))
    b = _shipment(2, "400.00", filed_at=dt.datetime(2024, 6, 3, 1, 30, tzinfo=UTC))
    assert _found([a, b], ["VAL002"]) == [(_n(1), "VAL002", "violation", None)]
    # B at 02:30 UTC = 22:30 EDT, after A: B takes it over.
    b = _shipment(2, "400.00", filed_at=dt.datetime(2024, 6, 3, 2, 30, tzinfo=UTC))
    assert _found([a, b], ["VAL002"]) == [(_n(2), "VAL002", "violation", None)]


def test_a_first_shipment_over_800_alone_is_flagged_with_the_later_one() -> None:
    # V1 for the $900 entry; V2: the $900 release takes the day over, the $100 comes after.
    entries = [_shipment(1, "900.00", filed_at=_at(8)), _shipment(2, "100.00", filed_at=_at(9))]
    assert _found(entries, ["VAL001", "VAL002"]) == [
        (_n(1), "VAL001", "violation", None),
        (_n(1), "VAL002", "violation", None),
        (_n(2), "VAL002", "violation", None),
    ]


def test_the_same_values_on_three_days_are_three_days() -> None:
    # V2 groups by the ET arrival day: $300 on each of 3, 4 and 5 Jun is never over.
    entries = [_shipment(s, "300.00", arrival_date=f"2024-06-0{s + 2}") for s in (1, 2, 3)]
    assert _found(entries, ["VAL002"]) == []


def test_day_threshold_before_10_march_2016_is_200() -> None:
    # D5 with V2: $100 + $100.01 on 9 Mar 2016 is over $200; $150 + $150 on 10 Mar is not
    # over $800.
    before = [
        _shipment(1, "100.00", arrival_date="2016-03-09"),
        _shipment(2, "100.01", arrival_date="2016-03-09"),
    ]
    assert _found(before, ["VAL002"]) == [(_n(2), "VAL002", "violation", None)]
    on = [
        _shipment(1, "150.00", arrival_date="2016-03-10"),
        _shipment(2, "150.00", arrival_date="2016-03-10"),
    ]
    assert _found(on, ["VAL002"]) == []


# The default consignee is 'Jordan Ellis, 1845 Maple Avenue, Columbus OH 43215'. Each variant
# below is the same person written differently (V2: "normalized consignee (name + address)").
SAME_PERSON = [
    {"name": "JORDAN ELLIS"},  # case
    {"name": "jordan  ellis."},  # spacing, punctuation
    {"name": "Ellis, Jordan"},  # surname first
    {"name": "Jordan  Ellis "},
    {"address": "1845 MAPLE AVE"},  # abbreviation, case
    {"address": "1845 Maple Ave."},
    {"postal_code": "43215-1234"},  # ZIP+4 is the same ZIP
    {"state": "Ohio"},  # state spelt out
]


@pytest.mark.parametrize("variant", SAME_PERSON, ids=[str(v) for v in SAME_PERSON])
def test_one_consignee_written_differently_is_one_person(variant: dict[str, str]) -> None:
    # V2: $500 + $400 = $900 to one person: the second is flagged.
    entries = [_shipment(1, "500.00"), _shipment(2, "400.00", consignee=variant)]
    assert _found(entries, ["VAL002"]) == [(_n(2), "VAL002", "violation", None)]


ADDRESS_PAIRS = [
    ("12 North Main Street Apt 2", "12 N. Main St., Apartment 2"),
    ("12 North Main Street Apt 2", "12 N Main St #2"),
    ("400 Lake Road Suite 100", "400 LAKE RD STE 100"),
    ("77 Harbor Boulevard", "77 Harbor Blvd"),
    ("9 West 57th Street", "9 W 57th St"),
]


@pytest.mark.parametrize(("first", "second"), ADDRESS_PAIRS)
def test_address_abbreviations_are_one_address(first: str, second: str) -> None:
    # V2 "normalized ... address": street-type, direction and unit abbreviations.
    entries = [
        _shipment(1, "500.00", consignee={"address": first}),
        _shipment(2, "400.00", consignee={"address": second}),
    ]
    assert _found(entries, ["VAL002"]) == [(_n(2), "VAL002", "violation", None)]


OTHER_PERSON = [
    {"name": "Maria Lopez"},  # another name at the same address: another person
    {"postal_code": "43216"},  # the same name and street in another ZIP code
    # Library's documented choice (docs/rules/VAL002.md, limitations): a suffix, middle name
    # or initial added makes another name; the reference asks for normalisation, not fuzzy
    # matching, and ACE's own method is UNVERIFIED (ref 3.4 C6).
    {"name": "Jordan Ellis Jr"},
]


@pytest.mark.parametrize("variant", OTHER_PERSON, ids=[str(v) for v in OTHER_PERSON])
def test_another_consignee_is_not_summed(variant: dict[str, str]) -> None:
    entries = [_shipment(1, "500.00"), _shipment(2, "400.00", consignee=variant)]
    assert _found(entries, ["VAL002"]) == []


def test_another_unit_in_one_building_is_another_address() -> None:
    entries = [
        _shipment(1, "500.00", consignee={"address": "12 North Main Street Apt 2"}),
        _shipment(2, "400.00", consignee={"address": "12 North Main Street Apt 3"}),
    ]
    assert _found(entries, ["VAL002"]) == []


def test_two_consignees_at_one_address_are_two_people() -> None:
    # V2 groups by name + address: $500 each to two names at one address is never over.
    # C6 warns only of "many distinct names at one address".
    entries = [_shipment(1, "500.00"), _shipment(2, "500.00", consignee={"name": "Maria Lopez"})]
    assert _found(entries, ["VAL002", "CON007"]) == []


NAMES = ["Jordan Ellis", "Maria Lopez", "Wei Chen", "Ama Owusu", "Liam Walsh"]


@pytest.mark.parametrize("count", [4, 5])
def test_many_names_at_one_address_is_a_warning(count: int) -> None:
    # C6: many distinct names at one address on one day -> W. The reference gives no number;
    # the library's limit (CON007 max_names = 4) is its documented choice.
    entries = [
        _shipment(i, "100.00", consignee={"name": name}) for i, name in enumerate(NAMES[:count], 1)
    ]
    expected = (
        [(_n(i), "CON007", "warning", None) for i in range(1, count + 1)] if count > 4 else []
    )
    assert _found(entries, ["CON007"]) == expected


def test_an_informal_entry_does_not_count_toward_the_t86_day() -> None:
    # V2 groups T86 entries: a type 11 entry of $700 and a T86 of $200 to one person on one
    # day leave the T86 group at $200 (design principle 13: other types are not judged).
    entries = [_shipment(1, "700.00", entry_type="11"), _shipment(2, "200.00")]
    assert _found(entries, ["VAL"]) == []


SPLIT = [
    ("2024-06-03", "400.00", False),  # V4: combined $800.00 is not over
    ("2024-06-03", "400.01", True),  # V4: same day, combined $800.01
    ("2024-06-04", "400.01", True),  # V4: adjacent (next) day
    ("2024-06-02", "400.01", True),  # V4: adjacent (previous) day
    ("2024-06-05", "400.01", False),  # V4: two days apart is not adjacent
]


@pytest.mark.parametrize(("second_day", "second_value", "warned"), SPLIT)
def test_split_shipments_same_or_adjacent_days(
    second_day: str, second_value: str, warned: bool
) -> None:
    # V4: same seller + consignee, same or adjacent arrival dates, combined > $800 -> W on
    # both (a warning: both texts require intent).
    entries = [
        _shipment(1, "400.00", order_reference="A-1"),
        _shipment(2, second_value, arrival_date=second_day, order_reference="A-2"),
    ]
    expected = [(_n(1), "VAL005", "warning", None), (_n(2), "VAL005", "warning", None)]
    assert _found(entries, ["VAL005"]) == (expected if warned else [])


@pytest.mark.parametrize(("value", "warned"), [("0.00", True), ("0.01", True), ("0.02", False)])
def test_nominal_line_value(value: str, warned: bool) -> None:
    # V5: a line value <= $0.01 -> W (undervaluation indicator).
    expected = [(_n(1), "VAL004", "warning", 1)] if warned else []
    assert _found([make_entry(value=value)], ["VAL004"]) == expected


# ---------------------------------------------------------------------------------------------
# C. Date gates: ref section 1 and 3.2 D1-D3. Arrival is the ET calendar day of arrival.
# ---------------------------------------------------------------------------------------------

GATES = [
    # (arrival, origin, expected codes)
    ("2019-09-27", "VN", {("ELG001", "violation")}),  # D1: arrival < 2019-09-28
    ("2019-09-28", "VN", set()),  # D1: the test's first day
    ("2025-08-28", "VN", set()),  # D2: the last day T86 existed
    ("2025-08-29", "VN", {("ELG002", "violation")}),  # D2: from 29 Aug 2025 00:01 EDT
    ("2025-02-03", "CN", set()),  # D3: before 4 Feb 2025 00:01 EST
    ("2025-02-04", "CN", {("ELG003", "violation")}),  # D3: [4 Feb 00:01 EST, 7 Feb)
    ("2025-02-06", "HK", {("ELG003", "violation")}),  # D3: HK as CN; still inside
    ("2025-02-07", "CN", set()),  # D3: the window's end is open (EO 14200 pause)
    ("2025-05-01", "CN", set()),  # D3: before 2 May 2025 00:01 EDT
    ("2025-05-02", "CN", {("ELG003", "violation")}),  # D3: >= 2 May 2025 00:01 EDT
    ("2025-05-02", "HK", {("ELG003", "violation")}),
    ("2025-08-28", "CN", {("ELG003", "violation")}),  # D3: the gate stays on
    ("2025-05-02", "VN", set()),  # D3: other origins are unaffected
    # D2 is ELG002's: after 29 Aug 2025 every T86 is ineligible, China or not.
    ("2025-08-29", "CN", {("ELG002", "violation")}),
]


@pytest.mark.parametrize(("arrival", "origin", "expected"), GATES)
def test_date_gates_on_the_arrival_day(
    arrival: str, origin: str, expected: set[tuple[str, str]]
) -> None:
    entry = make_entry(arrival_date=arrival, lines=[{"country_of_origin": origin}])
    assert _codes([entry], ["ELG001", "ELG002", "ELG003"]) == expected


MIXED = [
    {"country_of_origin": "VN"},
    {
        "country_of_origin": "CN",
        "description": "ceramic coffee mug, 350 ml",
        "hts_number": "6912.00.48.00",
    },
    {
        "country_of_origin": "HK",
        "description": "stainless steel table spoon",
        "hts_number": "8215.99.50.00",
    },
]


@pytest.mark.parametrize(
    ("arrival", "gated"),
    [("2025-02-03", False), ("2025-02-04", True), ("2025-02-07", False), ("2025-05-02", True)],
)
def test_china_and_hong_kong_lines_beside_other_origins(arrival: str, gated: bool) -> None:
    # D3 "IF any line COO in {CN, HK}": the evidence is the line COO, so the CN and HK lines
    # (2 and 3) are named and the Vietnamese line 1 is not.
    entry = make_entry(arrival_date=arrival, lines=MIXED)
    expected = [(_n(1), "ELG003", "violation", 2), (_n(1), "ELG003", "violation", 3)]
    assert _found([entry], ["ELG003"]) == (expected if gated else [])


@pytest.mark.parametrize(
    ("filed", "codes"),
    [
        # 00:00:30 EDT 2 May 2025: before the 12:01 a.m. cut-over; late (F1).
        (dt.datetime(2025, 5, 2, 4, 0, 30, tzinfo=UTC), {("FIL008", "violation")}),
        # 00:01 EDT: at the cut-over; late, and the goods are entered after it.
        (
            dt.datetime(2025, 5, 2, 4, 1, tzinfo=UTC),
            {("FIL008", "violation"), ("ELG003", "violation")},
        ),
        # 23:59 EDT 1 May, the arrival day: upon arrival, before the cut-over.
        (_et(2025, 5, 1, 23, 59), set()),
    ],
)
def test_late_t86_across_the_2_may_cut_over(filed: dt.datetime, codes: set[Any]) -> None:
    # Ref section 1: cut-overs "12:01 a.m. ET apply to goods entered for consumption ... on or
    # after that instant"; D2 notes the FR notice keys on entry, so a T86 transmitted after
    # arrival (which enters the goods then) is judged at its transmission. The D3 table row
    # keys on arrival only: this reading is the library's, documented in docs/rules/ELG003.md.
    entry = make_entry(
        arrival_date="2025-05-01", filed_at=filed, lines=[{"country_of_origin": "CN"}]
    )
    assert _codes([entry], ["ELG003", "FIL008"]) == codes


def test_an_aware_utc_arrival_is_read_as_its_eastern_day() -> None:
    # Ref section 1: the day is the arrival's 12:00 a.m.-11:59 p.m. Eastern; D3's gate opens
    # at 2 May 2025 00:01 EDT = 04:01 UTC.
    base = make_entry(arrival_date="2025-05-02", lines=[{"country_of_origin": "CN"}])
    before = attrs.evolve(base, arrival_date=dt.datetime(2025, 5, 2, 3, 30, tzinfo=UTC))
    assert before.arrival_date == dt.date(2025, 5, 1)
    assert _found([before], ["ELG003"]) == []


def test_an_aware_eastern_arrival_keeps_its_day() -> None:
    # The same instant given in Eastern time is 1 May: not gated (D3).
    base = make_entry(arrival_date="2025-05-02", lines=[{"country_of_origin": "CN"}])
    local = dt.datetime(2025, 5, 1, 23, 30, tzinfo=EASTERN)
    assert _found([attrs.evolve(base, arrival_date=local)], ["ELG003"]) == []
    after = dt.datetime(2025, 5, 2, 0, 30, tzinfo=EASTERN)
    assert _found([attrs.evolve(base, arrival_date=after)], ["ELG003"]) == [
        (_n(1), "ELG003", "violation", 1)
    ]


def _write_csv(path: Path, entries: list[Entry], **override: str) -> Path:
    rows = to_csv_rows(entries)
    for row in rows:
        row.update(override)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_a_csv_arrival_with_a_utc_offset_is_a_load_error_not_a_guess(tmp_path: Path) -> None:
    # The contract's arrival_date is a date (the ET day, ref section 1); a date-time with an
    # offset would need a conversion the file does not ask for: the row is refused with its
    # file, row, column and value, never audited on a guessed day.
    path = _write_csv(
        tmp_path / "entries.csv",
        [make_entry(arrival_date="2025-05-02")],
        arrival_date="2025-05-02T03:30:00Z",
    )
    loaded = t86audit.load(path)
    assert len(loaded.entries) == 0
    (error,) = loaded.errors
    assert (error.row, error.column, error.value) == (1, "arrival_date", "2025-05-02T03:30:00Z")
    assert "not a date" in error.message
    assert str(path) in str(error.source)


# ---------------------------------------------------------------------------------------------
# D. Filing deadlines: ref 3.7 F1-F3, with transmission times in Eastern and in UTC.
# ---------------------------------------------------------------------------------------------

FILING = [
    # F1: from 2024-02-15, filed after arrival -> V. The arrival is a day; "upon arrival"
    # takes in the arrival day (ET).
    ("2024-06-03", _et(2024, 6, 3, 23, 59), set()),
    ("2024-06-03", _et(2024, 6, 4, 0, 0, 30), {("FIL008", "violation")}),
    # 03:30 UTC 4 Jun = 23:30 EDT 3 Jun: on the arrival day.
    ("2024-06-03", dt.datetime(2024, 6, 4, 3, 30, tzinfo=UTC), set()),
    # 04:30 UTC 4 Jun = 00:30 EDT 4 Jun: the day after.
    ("2024-06-03", dt.datetime(2024, 6, 4, 4, 30, tzinfo=UTC), {("FIL008", "violation")}),
    # F1 applies from arrivals of 2024-02-15; F2 (15 days) before.
    ("2024-02-14", _et(2024, 2, 15, 10, 0), set()),
    ("2024-02-15", _et(2024, 2, 16, 10, 0), {("FIL008", "violation")}),
    ("2024-02-15", _et(2024, 2, 15, 23, 0), set()),
    # F2: arrival < 2024-02-15 and filed > arrival + 15 days. 14 Feb + 15 days = 29 Feb 2024
    # (a leap year).
    ("2024-02-14", _et(2024, 2, 29, 23, 59), set()),
    ("2024-02-14", _et(2024, 3, 1, 0, 1), {("FIL009", "violation")}),
    # 28 Sep 2019 + 15 days = 13 Oct 2019.
    ("2019-09-28", _et(2019, 10, 13, 12, 0), set()),
    ("2019-09-28", _et(2019, 10, 14, 12, 0), {("FIL009", "violation")}),
    # EST (UTC-5): 10 Jan + 15 = 25 Jan; 04:59 UTC 26 Jan = 23:59 EST 25 Jan.
    ("2024-01-10", dt.datetime(2024, 1, 26, 4, 59, tzinfo=UTC), set()),
    ("2024-01-10", dt.datetime(2024, 1, 26, 5, 0, tzinfo=UTC), {("FIL009", "violation")}),
    # EDT from 8 Mar 2020 (UTC-4): 1 Mar + 15 = 16 Mar; 03:30 UTC 17 Mar = 23:30 EDT 16 Mar.
    ("2020-03-01", dt.datetime(2020, 3, 17, 3, 30, tzinfo=UTC), set()),
    ("2020-03-01", dt.datetime(2020, 3, 17, 4, 30, tzinfo=UTC), {("FIL009", "violation")}),
]


@pytest.mark.parametrize(("arrival", "filed", "expected"), FILING)
def test_filing_deadlines(arrival: str, filed: dt.datetime, expected: set[Any]) -> None:
    entry = make_entry(arrival_date=arrival, filed_at=filed)
    assert _codes([entry], ["FIL008", "FIL009"]) == expected


@pytest.mark.parametrize(
    ("filed", "warned"),
    [
        (_et(2024, 7, 24, 23, 59), False),
        (_et(2024, 7, 25, 0, 0), True),
        (dt.datetime(2024, 7, 25, 3, 59, tzinfo=UTC), False),  # 23:59 EDT 24 Jul
        (dt.datetime(2024, 7, 25, 4, 0, tzinfo=UTC), True),  # 00:00 EDT 25 Jul
    ],
)
def test_missing_eda_from_25_july_2024(filed: dt.datetime, warned: bool) -> None:
    # F3: submitted >= 2024-07-25 AND EDA missing. Ref says V; the requirement is known from
    # a CSMS (CBP guidance), so the library's FIL010 is a warning (docs/rules/FIL010.md,
    # principle 14).
    entry = make_entry(arrival_date="2024-07-26", filed_at=filed, estimated_arrival_date=None)
    assert _found([entry], ["FIL010"]) == ([(_n(1), "FIL010", "warning", None)] if warned else [])


@pytest.mark.parametrize(
    ("filed_at", "late"),
    [("2024-06-04T03:30:00Z", False), ("2024-06-04T04:30:00Z", True), ("2024-06-03 23:59", False)],
)
def test_filing_time_in_a_csv_file_utc_or_local(tmp_path: Path, filed_at: str, late: bool) -> None:
    # F1 through the loader: an offset is kept, a naive time is Eastern (contract 1).
    path = _write_csv(
        tmp_path / "e.csv", [make_entry(arrival_date="2024-06-03")], filed_at=filed_at
    )
    loaded = t86audit.load(path)
    assert not loaded.errors
    codes = _codes(list(loaded.entries), ["FIL008"])
    assert codes == ({("FIL008", "violation")} if late else set())


# ---------------------------------------------------------------------------------------------
# E. Entry types: design principle 13 (T86 rules judge Type 86 entries; blank or unreadable
# types are audited as presumed T86 with FIL015).
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry_type", "expected"),
    [
        ("86", {("HTS001", "violation")}),
        ("086", {("HTS001", "violation")}),
        ("01", set()),  # formal entry: not judged by T86 rules
        ("11", set()),  # informal entry: not judged
        ("", {("HTS001", "violation"), ("FIL015", "warning")}),  # presumed T86
        ("T6", {("HTS001", "violation"), ("FIL015", "warning")}),  # unreadable: presumed T86
    ],
)
def test_entry_types(entry_type: str, expected: set[Any]) -> None:
    # A 6-digit HTS (H1 -> V) shows whether the T86 rules judged the entry.
    entry = make_entry(entry_type=entry_type, lines=[{"hts_number": "6109.10"}])
    assert _codes([entry], ["HTS001", "FIL015"]) == expected


def test_other_entry_types_draw_no_t86_finding_at_all() -> None:
    # An informal entry of $5,000 of Chinese goods after T86 ended: none of V1, D2, D3 apply.
    for entry_type in ("01", "11"):
        entry = make_entry(
            entry_type=entry_type,
            arrival_date="2025-09-03",
            value="5000.00",
            lines=None,
        )
        chinese = attrs.evolve(
            entry, lines=(attrs.evolve(entry.lines[0], country_of_origin="CN"),)
        )
        assert _found([chinese], []) == []


# ---------------------------------------------------------------------------------------------
# F. Entry numbers: ref 5.1-5.3 and 3.7 F5. Check digits computed by hand:
#   letters A-I 1-9, J-R 1-9, S-Z 2-9; digits at even positions doubled (minus 9 if > 9);
#   check = (10 - sum mod 10) mod 10.
# ---------------------------------------------------------------------------------------------

CHECK_DIGITS = [
    # B76 0324527: 2 7 6 0 3 2 4 5 2 7; odd 2+6+3+4+2 = 17; even 14->5,0,4,10->1,14->5 = 15;
    # 32 -> 8 (ref 5.3's worked example).
    ("B76", "0324527", "B76-0324527-8"),
    # ABC 1234567: 1 2 3 1 2 3 4 5 6 7; odd 1+3+2+4+6 = 16; even 4,2,6,10->1,14->5 = 18;
    # 34 -> 6.
    ("ABC", "1234567", "ABC-1234567-6"),
    # 999 0000000: odd 9+9 = 18; even 18->9; 27 -> 3.
    ("999", "0000000", "999-0000000-3"),
    # ZZZ 9999999: ten 9s; odd 45; even 5 x (18->9) = 45; 90 -> 0.
    ("ZZZ", "9999999", "ZZZ-9999999-0"),
    # SJ1 0000010: S=2 J=1: 2 1 1 0 0 0 0 0 1 0; odd 2+1+1 = 4; even 2; 6 -> 4.
    ("SJ1", "0000010", "SJ1-0000010-4"),
    # R9K 5550432: R=9 K=2: 9 9 2 5 5 5 0 4 3 2; odd 9+2+5+0+3 = 19;
    # even 18->9, 10->1, 10->1, 8, 4 = 23; 42 -> 8.
    ("R9K", "5550432", "R9K-5550432-8"),
    # IS0 1111111: I=9 S=2: 9 2 0 1 1 1 1 1 1 1; odd 9+0+1+1+1 = 12; even 4+2+2+2+2 = 12;
    # 24 -> 6.
    ("IS0", "1111111", "IS0-1111111-6"),
    # B76 0000001: 2 7 6 0 0 0 0 0 0 1; odd 8; even 14->5, 2 = 7; 15 -> 5.
    ("B76", "0000001", "B76-0000001-5"),
]


@pytest.mark.parametrize(("filer", "serial", "number"), CHECK_DIGITS)
def test_hand_computed_check_digits_pass(filer: str, serial: str, number: str) -> None:
    assert make_entry_number(filer, serial) == number
    assert _found([make_entry(entry_number=number)], ["FIL001", "FIL002"]) == []


@pytest.mark.parametrize(("filer", "serial", "number"), CHECK_DIGITS)
def test_a_wrong_check_digit_is_reported(filer: str, serial: str, number: str) -> None:
    # F5: check digit mismatch. Ref says V; ref 5.3 marks the algorithm [C] (implementations
    # and the worked example, not Appendix E's text), so FIL002 is a warning (docs/rules/
    # FIL002.md, principle 14).
    wrong = f"{number[:-1]}{(int(number[-1]) + 1) % 10}"
    assert _found([make_entry(entry_number=wrong)], ["FIL001", "FIL002"]) == [
        (wrong, "FIL002", "warning", None)
    ]


@pytest.mark.parametrize(
    "number", ["B76-324527-8", "B76-0324527", "B_6-0324527-8", "B7-60324527-8", ""]
)
def test_a_malformed_entry_number_is_a_violation(number: str) -> None:
    # 5.1 / 5.2 / F5: XXX-NNNNNNN-C, filer code A-Z/0-9, leading zeros required.
    assert _codes([make_entry(entry_number=number)], ["FIL001", "FIL002"]) == {
        ("FIL001", "violation")
    }


def test_one_entry_number_on_two_filings_is_a_violation_on_both() -> None:
    # 5.1: "the same number must not be used for more than one entry"; F5 duplicates -> V.
    first = make_entry(entry_number="ABC-1234567-6")
    second = make_entry(entry_number="ABC-1234567-6", consignee={"name": "Maria Lopez"})
    assert _found([first, second], ["FIL003"]) == [
        ("ABC-1234567-6", "FIL003", "violation", None),
        ("ABC-1234567-6", "FIL003", "violation", None),
    ]


# ---------------------------------------------------------------------------------------------
# G. Descriptions: ref 3.5 H5 and section 4.
# ---------------------------------------------------------------------------------------------

# Section 4 terms confirmed in CBP's own text (CSMS 60011750 [V]), alone -> V.
CONFIRMED_TERMS = ["gift", "Gifts", "  GIFT  ", "daily necessities", "accessories", "parts",
                   "Parts.", "consolidated"]  # fmt: skip


@pytest.mark.parametrize("description", CONFIRMED_TERMS)
def test_a_confirmed_vague_term_alone_is_a_violation(description: str) -> None:
    entry = make_entry(lines=[{"description": description}])
    assert _found([entry], ["DES"]) == [(_n(1), "DES002", "violation", 1)]


# Section 4 rows known from a reproduction of CBP's list [S], carriers or vendors [C], or
# UNVERIFIED. Ref H5 says V; principle 14 (and docs/rules/DES002.md) make them DES004 warnings.
UNCONFIRMED_TERMS = [
    "freight of all kinds", "FAK", "Bubbles Brand", "animals", "apparel", "clothing",
    "garments", "blanket", "electronic goods", "electronics", "food", "foodstuffs",
    "machinery", "toys", "pharmaceuticals", "samples", "personal use", "personal effects",
    "textiles", "cleaning supplies", "other", "thing", "stuff", "company business", "powder",
    "general merchandise", "general cargo", "said to contain", "STC", "SLAC",
    "shipper's load, stow and count",
]  # fmt: skip


@pytest.mark.parametrize("description", UNCONFIRMED_TERMS)
def test_an_unconfirmed_vague_term_alone_is_a_warning(description: str) -> None:
    entry = make_entry(lines=[{"description": description}])
    assert _found([entry], ["DES"]) == [(_n(1), "DES004", "warning", 1)]


# Each vague term inside a description that says what, of what and for what: no finding.
# The acceptable examples are section 4's own column where it gives one.
ACCEPTABLE = [
    "ceramic coffee mug gift set",  # gift
    "gift box of assorted chocolates",  # gift
    "hair elastics",  # accessories -> "name the accessory, e.g. hair elastics"
    "doll & accessories",  # accessories added to named goods
    "table legs",  # parts -> "table legs"
    "motor housing",  # parts -> "motor housing"
    "brake pads, spark plugs, air filters",  # auto parts -> these
    "bicycle brake parts, steel",  # parts named, with material
    "Bubbles Brand laundry detergent",  # brand alone -> brand + goods
    "horse",  # animals
    "women's dresses made of 60% cotton 40% polyester",  # apparel / clothing
    "100% polyester blanket",  # blanket
    "mobile telephones",  # electronic goods
    "electronic toys",  # electronic goods: CBP's own example (fixed in this session)
    "electronic dolls",  # electronic goods
    "canned tuna",  # food
    "corn tortillas",  # food
    "dog food, dry kibble, 2 kg",  # food, named
    "metal working machinery",  # machinery
    "children's toys made of plastic",  # toys
    "plastic bottle product samples",  # samples
]


@pytest.mark.parametrize("description", ACCEPTABLE)
def test_a_vague_term_inside_a_precise_description_passes(description: str) -> None:
    entry = make_entry(lines=[{"description": description}])
    assert _found([entry], ["DES"]) == []


# Section 4 implementation notes: a vague term with nothing specific after it ("parts",
# "auto parts") -> W; "parts of <noun>" -> W only.
UNSPECIFIC = [
    "auto parts",
    "parts of bicycle",
    "hair accessories",
    "assorted gifts",
    # The reference's row reads "consolidated / consolidated cargo" [V]; its implementation
    # note puts a term followed by nothing specific at W, and the bundled list (like
    # /work/shared/data/descriptions/cbp_vague_terms.csv) holds only "Consolidated": W.
    "consolidated cargo",
]


@pytest.mark.parametrize("description", UNSPECIFIC)
def test_a_vague_term_with_nothing_specific_is_a_warning(description: str) -> None:
    entry = make_entry(lines=[{"description": description}])
    assert _found([entry], ["DES"]) == [(_n(1), "DES003", "warning", 1)]


@pytest.mark.parametrize(
    ("description", "code"),
    [
        # Section 4 notes: only digits or punctuation, or not English -> flagged. The rules
        # are CBP's list as summarised by carriers [S]: warnings (principle 14).
        ("12345", "DES005"),
        ("!!!", "DES005"),
        ("手机壳", "DES007"),
    ],
)
def test_descriptions_without_english_words(description: str, code: str) -> None:
    entry = make_entry(lines=[{"description": description}])
    assert _found([entry], ["DES"]) == [(_n(1), code, "warning", 1)]


# ---------------------------------------------------------------------------------------------
# H. Classification: ref 3.5 H1-H4, 5.5.
# ---------------------------------------------------------------------------------------------

HTS = [
    ("2024-06-03", "6109.10.00.40", set()),  # 10 digits, in the 2025 snapshot
    ("2024-06-03", "6109100040", set()),  # the same without dots
    ("2024-06-03", "6109.10", {("HTS001", "violation")}),  # H1: 6 digits
    ("2024-06-03", "6109.10.00", {("HTS001", "violation")}),  # H1: 8 digits
    ("2024-06-03", "6109.10.00.400", {("HTS001", "violation")}),  # H1: 11 digits
    # H2: not a statistical number (6109.10.00 has .04 ... .70, no .99) on a 2025 arrival.
    ("2025-06-03", "6109.10.00.99", {("HTS002", "violation")}),
    # H2 on an older entry: the bundled schedule is the 2025 edition (ref hts README: "a
    # code valid in this snapshot may be invalid at an earlier or later date"), so the
    # library warns (HTS003, documented) instead of calling it invalid in 2024.
    ("2024-06-03", "6109.10.00.99", {("HTS003", "warning")}),
    # H4: Chapter 99 as the only classification -> V.
    ("2024-06-03", "9903.88.03", {("HTS005", "violation")}),
    ("2024-06-03", "9903.88.0300", {("HTS005", "violation")}),
    # H3: Chapter 98 -> V in the ref, on CSMS 62520662 (about 4 Oct 2024): CBP guidance, so a
    # warning (docs/rules/HTS004.md); before the CSMS, HTS008 says the guidance came later.
    ("2024-10-03", "9801.00.10.12", {("HTS008", "warning")}),
    ("2024-10-04", "9801.00.10.12", {("HTS004", "warning")}),
]


@pytest.mark.parametrize(("arrival", "hts", "expected"), HTS)
def test_hts_numbers(arrival: str, hts: str, expected: set[Any]) -> None:
    entry = make_entry(arrival_date=arrival, lines=[{"hts_number": hts}])
    assert (
        _codes([entry], ["HTS001", "HTS002", "HTS003", "HTS004", "HTS005", "HTS008"]) == expected
    )


def test_chapter_99_beside_a_chapter_1_97_number_is_no_violation() -> None:
    # H4 "used as the only classification"; E8: 301/201/232 goods stayed eligible -> no
    # finding, at most an info note.
    entry = make_entry(lines=[{"additional_hts": "9903.88.03"}])
    assert _codes([entry], ["HTS", "ELG"]) == {("ELG014", "info")}


# ---------------------------------------------------------------------------------------------
# I. Ineligible merchandise: ref 3.6 E1-E6 and 3.1 (19 CFR 10.153).
# ---------------------------------------------------------------------------------------------

GOODS = [
    # E2 / 10.153(g): "any class or kind covered by an absolute or tariff-rate quota, open or
    # closed": the in-quota line (additional U.S. note 3 to ch. 2) and the over-quota "Other".
    ("0201.10.10.10", "fresh beef carcasses, veal", "VN", {("ELG011", "violation")}),
    ("0201.10.50.10", "fresh beef carcasses, veal", "VN", {("ELG011", "violation")}),
    # E3a / 10.153(e): alcoholic beverages, ch. 22 2203-2208.
    ("2203.00.00.30", "lager beer in cans, 355 ml", "VN", {("ELG005", "violation")}),
    ("2208.30.30.20", "scotch whisky, 700 ml bottle", "VN", {("ELG005", "violation")}),
    ("2202.10.00.20", "sparkling soft drink in cans", "VN", set()),  # not 2203-2208
    ("2209.00.00.00", "wine vinegar, 500 ml bottle", "VN", set()),  # not 2203-2208
    # E3a: cigars or cigarettes (2402).
    ("2402.20.80.00", "paper-wrapped cigarettes", "VN", {("ELG007", "violation")}),
    ("2402.10.30.00", "cigars, tobacco leaf wrapped", "VN", {("ELG007", "violation")}),
    # E3b: other tobacco, cigarette papers. Ref: basis CBP guidance ("say so") -> warning.
    ("2403.19.20.20", "pipe tobacco, 50 g pouch", "VN", {("ELG008", "warning")}),
    ("4813.10.00.00", "cigarette paper booklets", "VN", {("ELG008", "warning")}),
    # E1: AD/CVD A-570-001 (potassium permanganate, China). Ref: basis CBP guidance, and the
    # AD/CVD data README: "a match on HTS is a warning to check the scope" -> warning.
    ("2841.61.00.00", "potassium permanganate crystals", "CN", {("ELG009", "warning")}),
    # The bundled orders are China's only: the same goods of Vietnam match none.
    ("2841.61.00.00", "potassium permanganate crystals", "VN", set()),
]


@pytest.mark.parametrize(("hts", "description", "origin", "expected"), GOODS)
def test_ineligible_goods(hts: str, description: str, origin: str, expected: set[Any]) -> None:
    line = {"hts_number": hts, "description": description, "country_of_origin": origin}
    entry = make_entry(lines=[line])
    assert _codes([entry], ["ELG005", "ELG006", "ELG007", "ELG008", "ELG009", "ELG011"]) == (
        expected
    )


_PERFUME = {"hts_number": "3303.00.30.00", "description": "eau de parfum containing alcohol"}


@pytest.mark.parametrize(
    ("values", "flagged_lines"),
    [
        (["5.00"], []),  # E3a: "unless the whole shipment is worth $5 or less"
        (["5.01"], [1]),
        (["2.00", "3.00"], []),  # two perfume lines, shipment $5.00
        (["2.00", "3.01"], [1, 2]),  # shipment $5.01
    ],
)
def test_perfume_containing_alcohol_over_5_dollars(
    values: list[str], flagged_lines: list[int]
) -> None:
    entry = make_entry(lines=[{**_PERFUME, "value_usd": v} for v in values])
    assert _found([entry], ["ELG006"]) == [
        (_n(1), "ELG006", "violation", n) for n in flagged_lines
    ]


def test_perfume_in_a_shipment_worth_over_5_dollars_with_other_goods() -> None:
    # E3a: the $5 is the whole shipment's: $3 perfume + a $14.99 t-shirt is $17.99.
    entry = make_entry(lines=[{**_PERFUME, "value_usd": "3.00"}, {}])
    assert _found([entry], ["ELG006"]) == [(_n(1), "ELG006", "violation", 1)]


_LIPSTICK = {"hts_number": "3304.10.00.00", "description": "lipstick, 4 g tube, wax and pigments"}
_BOWL = {"hts_number": "3924.10.40.00", "description": "plastic kitchen mixing bowl"}
# /work/shared/data/pga/pga_flags_by_hts.csv: 3304.10.00.00 FD2 (FDA data always required),
# 3924.10.40.00 FD1 (may be required). The flags are the user's table (ELG012 option).
_FLAGS = {"hts_flags": {"3304100000": "FD2", "3924104000": "FD1"}}
_IOR = "12-3456789AB"


@pytest.mark.parametrize(
    ("line", "pga", "ior", "expected"),
    [
        # E5: flagged HTS and neither message set nor disclaim -> flagged. Ref V; the flags
        # come from the user's table and the T86 FAQ (guidance): a warning (docs ELG012).
        (_LIPSTICK, "", _IOR, {("ELG012", "warning")}),
        (_BOWL, "", _IOR, {("ELG012", "warning")}),
        (_LIPSTICK, "declared", _IOR, set()),
        (_BOWL, "declared", _IOR, set()),
        # An R flag (FD2) cannot be disclaimed; an M flag (FD1) can.
        (_LIPSTICK, "disclaimed", _IOR, {("ELG013", "warning")}),
        (_BOWL, "disclaimed", _IOR, set()),
        # C8: PGA data present and IOR missing. Ref V; the condition is the T86 FAQ's (CBP
        # guidance) and the IOR formats are UNVERIFIED: a warning (docs/rules/CON009.md).
        (_LIPSTICK, "declared", "", {("CON009", "warning")}),
    ],
)
def test_pga_flagged_goods(line: dict[str, str], pga: str, ior: str, expected: set[Any]) -> None:
    entry = make_entry(lines=[line], pga_data=pga, importer_of_record=ior)
    options = {"ELG012": _FLAGS, "ELG013": _FLAGS}
    assert _codes([entry], ["ELG012", "ELG013", "CON009"], **options) == expected


def test_mail_mode() -> None:
    # E6: mode = international mail. Ref V "(as summarized)": the 2024 notice's wording is
    # known from summaries (UNVERIFIED), so a warning (docs/rules/ELG004.md).
    assert _found([make_entry(mode="mail")], ["ELG004"]) == [(_n(1), "ELG004", "warning", None)]
    assert _found([make_entry(mode="air")], ["ELG004"]) == []


# ---------------------------------------------------------------------------------------------
# J. Parties: ref 3.4 C1-C7.
# ---------------------------------------------------------------------------------------------

_SELLER = make_party("seller")

PARTIES = [
    ({"consignee": {"name": ""}}, {("CON001", "violation")}),  # C1
    ({"consignee": {"address": ""}}, {("CON001", "violation")}),  # C1
    ({"consignee": {"country": "CA"}}, {("CON002", "violation")}),  # C2
    ({"consignee": {"name": "N/A"}}, {("CON005", "violation")}),  # C5
    ({"consignee": {"name": "Customer"}}, {("CON005", "violation")}),  # C5
    ({"consignee": {"name": "TBD"}}, {("CON005", "violation")}),  # C5
    ({"consignee": {"name": "12345"}}, {("CON005", "violation")}),  # C5 numbers only
    ({"seller": {"name": ""}}, {("CON008", "violation")}),  # C7
    ({"seller": {"country": ""}}, {("CON008", "violation")}),  # C7
    # C3: the foreign seller as consignee at its address abroad -> V (C2's violation), with
    # the C3 warning naming the seller.
    (
        {
            "consignee": {
                "name": _SELLER.name,
                "address": _SELLER.address,
                "country": _SELLER.country,
                "city": "",
                "state": "",
                "postal_code": "",
            }
        },
        {("CON002", "violation"), ("CON003", "warning")},
    ),
    # C3: the foreign owner "in care of" a U.S. warehouse address -> W (allowed; check it).
    (
        {
            "consignee": {
                "name": f"{_SELLER.name} c/o ShipHub Fulfillment",
                "address": "500 Logistics Pkwy",
            }
        },
        {("CON004", "warning")},
    ),
    # C4: a nominal consignee -> V in the ref, on Customs Directive 3550-079A known from a
    # secondary source [S]: a warning (docs/rules/CON006.md, basis guidance).
    ({"consignee": {"name": "DHL Express USA"}}, {("CON006", "warning")}),
]


@pytest.mark.parametrize(("fields", "expected"), PARTIES, ids=[str(f) for f, _ in PARTIES])
def test_parties(fields: dict[str, Any], expected: set[Any]) -> None:
    assert _codes([make_entry(**fields)], ["CON"]) == expected


# ---------------------------------------------------------------------------------------------
# K. The 1321(c) penalty: ref 3.2 D6 (entries of 2025-08-03 to 2025-08-28 that violate another
# customs law: up to $5,000 for the first, $10,000 for each subsequent).
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arrival", "entries", "ceiling"),
    [("2025-08-02", 0, None), ("2025-08-03", 3, "25000.00"), ("2025-08-28", 3, "25000.00")],
)
def test_section_70531_penalty_window(arrival: str, entries: int, ceiling: str | None) -> None:
    # Three $900 entries to three people (V1 each): 5,000 + 10,000 + 10,000 = 25,000.
    population = [
        make_entry(serial=i, value="900.00", arrival_date=arrival, consignee={"name": name})
        for i, name in enumerate(["Ann Lee", "Maria Lopez", "Wei Chen"], 1)
    ]
    report = t86audit.audit(population, select=["VAL001"], generated_at=AT)
    exposure = report.to_dict()["exposure"]
    assert exposure["totals"]["penalty_70531_entries"] == entries
    if ceiling is not None:
        assert exposure["penalty_ranges"]["s70531_entries"] == entries
        assert exposure["penalty_ranges"]["s70531_ceiling_usd"] == ceiling
