"""Session 21 review of the value rules: hand-worked group cases for VAL001-VAL007.

Each case is a handful of entries whose findings were worked out on paper, before running,
from the domain reference (section 3.3 value and aggregation, section 1 timeline, the value
threshold history) and the rules' catalog entries (where the reference leaves a choice, the
catalog's documented design). Every case is audited three ways: in memory with one process,
in memory with two worker processes (each folding part of the case; the group states are
merged), and loaded back from CSV files written to a temporary directory; the three must give
identical findings, and those must be exactly the expected ones, finding by finding: rule,
entry, severity, observed amount and related entries (in the order the rule gives them), with
a phrase of the message where the case is about the message.

The default arrival day is Monday 3 June 2024 ($800 threshold). A seller of its own per entry
unless the case is about one seller, so that VAL005/VAL007 do not fire by accident.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

import t86audit
from t86audit import engine
from t86audit.testing import CSV_COLUMNS, make_entry, make_entry_number, to_csv_rows


D = "2024-06-03"
EASTERN_OFFSET = dt.timezone(dt.timedelta(hours=-4))

P = {
    "name": "Maria Lopez",
    "address": "12 Main Street Apt 4",
    "city": "Boston",
    "state": "MA",
    "postal_code": "02127",
}
Q = {**P, "name": "Ann Wu", "address": "9 Pine Road"}
R = {**P, "name": "Lee Chen", "address": "5 Elm Street", "postal_code": "10001"}
S = "Shenzhen Bright Trading Co., Ltd."

SEVERITY = {
    "VAL001": "violation",
    "VAL002": "violation",
    "VAL003": "violation",
    "VAL004": "warning",
    "VAL005": "warning",
    "VAL006": "warning",
    "VAL007": "warning",
    "FIL003": "violation",
    "FIL004": "warning",
    "ELG003": "violation",
}
CODES = frozenset(c for c in SEVERITY if c.startswith("VAL")) | {"FIL003", "FIL004"}


def E(serial: int) -> str:
    return make_entry_number("B76", serial)


def at(text: str) -> dt.datetime:
    """A filing time: naive (U.S. Eastern, the input contract) unless the text has an offset."""
    return dt.datetime.fromisoformat(text)


def x(
    serial: int,
    value: str | None = "100.00",
    *,
    day: str = D,
    who: dict[str, str] | None = None,
    seller: str | None = None,
    filed: str | dt.datetime | bool | None = True,
    file: int = 0,
    **kw: Any,
) -> dict[str, Any]:
    """One entry: ``serial``'s number, one line of ``value`` unless ``lines`` are given.

    ``filed``: a time (``"2024-06-02T08:00"``), ``None`` for no filing time, or ``True``
    for make_entry's default (18:30 the day before arrival, the same for every entry).
    """
    spec: dict[str, Any] = {
        "serial": serial,
        "arrival_date": day,
        "consignee": who if who is not None else P,
        "seller": {"name": seller if seller is not None else f"Seller {serial} Trading"},
        **kw,
    }
    if "lines" not in kw:
        spec["value"] = value
    if filed is None:
        spec["filed_at"] = None
    elif isinstance(filed, str):
        spec["filed_at"] = at(filed)
    elif isinstance(filed, dt.datetime):
        spec["filed_at"] = filed
    return {"_file": file, **spec}


def person(serial: int) -> dict[str, str]:
    """A consignee of the entry's own (nobody else's day or cluster)."""
    return {**P, "name": f"Person {serial} Example", "address": f"{serial} Elm Street"}


CASES: list[dict[str, Any]] = []
ANY = object()


def case(
    name: str,
    why: str,
    entries: list[dict[str, Any]],
    expected: list[tuple[Any, ...]],
    *,
    options: dict[str, dict[str, Any]] | None = None,
    codes: frozenset[str] = CODES,
    says: dict[tuple[str, int], str] | None = None,
) -> None:
    """Register a case; ``expected`` items are ``(code, serial, observed, related serials)``.

    ``observed``/``related`` of :data:`ANY` are not compared (FIL003/FIL004 are other rules').
    """
    CASES.append(
        {
            "name": name,
            "why": why,
            "entries": entries,
            "expected": expected,
            "options": options or {},
            "codes": codes,
            "says": says or {},
        }
    )


# --- VAL002: the day is the arrival day, the order is the filing order ---------------------

case(
    "v01_arrival_day_not_filing_day",
    "3.3 V2 groups by arrival date (ET day), not the filing day: $500 and $400 arriving 3 Jun "
    "(filed 1 and 2 Jun) are one day, the second filed is over; $450 arriving 4 Jun (filed 2 "
    "Jun, the same day as the second) is another day",
    [
        x(11, "500.00", filed="2024-06-01T22:00"),
        x(12, "400.00", filed="2024-06-02T08:00"),
        x(13, "450.00", day="2024-06-04", filed="2024-06-02T09:00"),
    ],
    [("VAL002", 12, "900.00", (11,))],
    says={("VAL002", 12): "shipment 2 of 2 to 'Maria Lopez' arriving 2024-06-03"},
)

case(
    "v02_filing_instants_not_their_text",
    "3.3 V2 manifest order: 09:00-04:00 (13:00 UTC) is after 12:30 UTC (08:30 EDT), though "
    "its text sorts first: the $500 filed at 09:00 EDT is the one that crosses",
    [
        x(21, "500.00", filed=dt.datetime(2024, 6, 2, 9, 0, tzinfo=EASTERN_OFFSET)),
        x(22, "400.00", filed=dt.datetime(2024, 6, 2, 12, 30, tzinfo=dt.UTC)),
    ],
    [("VAL002", 21, "900.00", (22,))],
)

case(
    "v03_filed_in_another_order_than_numbered",
    "3.3 V2: three $300 entries numbered 31-33 but filed 33, 32, 31: the last filed (31) "
    "takes the day to $900, not the highest number",
    [
        x(31, "300.00", filed="2024-06-02T10:00"),
        x(32, "300.00", filed="2024-06-02T09:00"),
        x(33, "300.00", filed="2024-06-02T08:00"),
    ],
    [("VAL002", 31, "900.00", (33, 32))],
)

case(
    "v04_no_filing_times_entry_number_order",
    "catalog VAL002: without filing times, the entry number orders; the population lists 43 "
    "first, but 43 is the third numbered",
    [
        x(43, "300.00", filed=None),
        x(41, "300.00", filed=None),
        x(42, "300.00", filed=None),
    ],
    [("VAL002", 43, "900.00", (41, 42))],
)

case(
    "v05_the_crossing_entry_and_every_later_one",
    "3.3 V2: filed 54 ($10), 51 ($500), 52 ($400), 53 ($50): 52 crosses at $910, 53 (later) is "
    "flagged at $960; the two before are not",
    [
        x(51, "500.00", filed="2024-06-02T08:00"),
        x(52, "400.00", filed="2024-06-02T09:00"),
        x(53, "50.00", filed="2024-06-02T10:00"),
        x(54, "10.00", filed="2024-06-02T07:00"),
    ],
    [("VAL002", 52, "910.00", (54, 51, 53)), ("VAL002", 53, "960.00", (54, 51, 52))],
    says={
        ("VAL002", 53): "shipment 4 of 4 to 'Maria Lopez' arriving 2024-06-03 brings the "
        "day's total to 960.00 USD (day total 960.00 USD)"
    },
)

case(
    "v06_five_at_200_exactly_800_then_over",
    "3.3 V1/V2 'does not exceed': five $200 entries: the fourth makes $800.00 (passes), the "
    "fifth $1,000.00",
    [x(60 + i, "200.00", filed=f"2024-06-02T0{i}:00") for i in range(1, 6)],
    [("VAL002", 65, "1,000.00", (61, 62, 63, 64))],
)

case(
    "v07_one_filing_exported_twice_counted_once",
    "3.7 F5 / 3.3 V2: the $500 filing in two exports is one entry (FIL004 on each copy): "
    "with $200 the day is $700, no VAL002; Ann Wu's copy plus $200 plus $150 is $850: the "
    "$150 filed last crosses, naming 73 once",
    [
        x(71, "500.00", filed="2024-06-02T08:00"),
        x(71, "500.00", filed="2024-06-02T08:00", file=1),
        x(72, "200.00", filed="2024-06-02T09:00"),
        x(73, "500.00", who=Q, filed="2024-06-02T08:00"),
        x(73, "500.00", who=Q, filed="2024-06-02T08:00", file=1),
        x(74, "200.00", who=Q, filed="2024-06-02T09:00"),
        x(75, "150.00", who=Q, filed="2024-06-02T10:00"),
    ],
    [
        ("FIL004", 71, ANY, ANY),
        ("FIL004", 71, ANY, ANY),
        ("FIL004", 73, ANY, ANY),
        ("FIL004", 73, ANY, ANY),
        ("VAL002", 75, "850.00", (73, 74)),
    ],
)

case(
    "v08_corrected_filing_counted_once_at_its_lower_value",
    "3.7 F5: two versions of entry 81 ($500, $450; FIL003) are one entry counted at $450: with "
    "$400 the day is $850 whichever version ACE took: V on the later filed (82); entry 83's "
    "versions ($500, $350) with $400 are $750 at the lower: no VAL002",
    [
        x(81, "500.00", filed="2024-06-02T08:00"),
        x(81, "450.00", filed="2024-06-02T08:00", file=1),
        x(82, "400.00", filed="2024-06-02T09:00"),
        x(83, "500.00", who=Q, filed="2024-06-02T08:00"),
        x(83, "350.00", who=Q, filed="2024-06-02T08:00", file=1),
        x(84, "400.00", who=Q, filed="2024-06-02T09:00"),
    ],
    [
        ("FIL003", 81, ANY, ANY),
        ("FIL003", 81, ANY, ANY),
        ("FIL003", 83, ANY, ANY),
        ("FIL003", 83, ANY, ANY),
        ("VAL002", 82, "850.00", (81,)),
    ],
)

case(
    "v09_day_total_of_exactly_800_and_800_01",
    "3.3 V2: $400.00 + $400.00 = $800.00 passes; $400.00 + $400.01 = $800.01 is over",
    [
        x(91, "400.00"),
        x(92, "400.00"),
        x(93, "400.00", who=Q, filed="2024-06-02T08:00"),
        x(94, "400.01", who=Q, filed="2024-06-02T09:00"),
    ],
    [("VAL002", 94, "800.01", (93,))],
)

# --- VAL001: the threshold on the arrival date ---------------------------------------------

case(
    "v10_entry_total_at_the_threshold",
    "3.3 V1: $800.00 passes; $800.01, 799.99 + 0.02 and $800.001 are over (the amount shown "
    "with its every digit); a -$200 'discount' line is no article: $900 is over, and the "
    "negative line is VAL003",
    [
        x(101, "800.00", who=person(101)),
        x(102, "800.01", who=person(102)),
        x(
            103,
            who=person(103),
            lines=[{"value_usd": "799.99"}, {"value_usd": "0.02"}],
        ),
        x(104, "800.001", who=person(104)),
        x(
            105,
            who=person(105),
            lines=[{"value_usd": "900.00"}, {"value_usd": "-200.00", "description": "discount"}],
        ),
    ],
    [
        ("VAL001", 102, "800.01", ()),
        ("VAL001", 103, "800.01", ()),
        ("VAL001", 104, "800.001", ()),
        ("VAL001", 105, "900.00", ()),
        ("VAL003", 105, "-200.00", ()),
    ],
    says={
        ("VAL001", 102): "entry total 800.01 USD over 1 line(s) exceeds the 800.00 USD de "
        "minimis threshold",
        ("VAL001", 105): "(a negative line value is not counted: it is no article)",
    },
)

case(
    "v11_200_dollars_before_10_march_2016",
    "1 timeline / 3.2 D5: $200 before 10 Mar 2016, $800 from that day: $200.00 in 2015 "
    "passes, $200.01 does not; $300 on 9 Mar 2016 is over, on 10 Mar it is not",
    [
        x(111, "200.00", day="2015-06-01", who=person(111)),
        x(112, "200.01", day="2015-06-01", who=person(112)),
        x(113, "300.00", day="2016-03-09", who=person(113)),
        x(114, "300.00", day="2016-03-10", who=person(114)),
    ],
    [("VAL001", 112, "200.01", ()), ("VAL001", 113, "300.00", ())],
    says={("VAL001", 112): "exceeds the 200.00 USD de minimis threshold"},
)

case(
    "v12_day_totals_either_side_of_10_march_2016",
    "3.3 V2 with D5: $150 + $60 on 9 Mar 2016 is $210, over that day's $200; $500 + $250 on "
    "10 Mar 2016 is $750, under that day's $800",
    [
        x(121, "150.00", day="2016-03-09"),
        x(122, "60.00", day="2016-03-09"),
        x(123, "500.00", day="2016-03-10"),
        x(124, "250.00", day="2016-03-10"),
    ],
    [("VAL002", 122, "210.00", (121,))],
    says={("VAL002", 122): "over the 200.00 USD threshold"},
)

case(
    "v13_split_lots_either_side_of_10_march_2016",
    "3.3 V4 judged by each lot's own day: $150 (9 Mar 2016) and $100 (10 Mar) from one seller: "
    "$250 is over the $200 in force for the first lot, not the $800 for the second",
    [
        x(131, "150.00", day="2016-03-09", seller=S),
        x(132, "100.00", day="2016-03-10", seller=S),
    ],
    [("VAL005", 131, "250.00", (132,))],
)

# --- who is one person ----------------------------------------------------------------------

case(
    "v14_one_name_at_two_addresses",
    "3.3 V2 / catalog: a consignee is a name and a street address: John Smith at 100 Main St "
    "and at 200 Oak Ave are two consignees ($500, $400 from one seller): nothing",
    [
        x(141, "500.00", who={**P, "name": "John Smith", "address": "100 Main St"}, seller=S),
        x(142, "400.00", who={**P, "name": "John Smith", "address": "200 Oak Ave"}, seller=S),
    ],
    [],
)

case(
    "v15_two_people_at_one_address",
    "3.3 V2: John Smith and Mary Smith at one street are two people: nothing",
    [
        x(151, "500.00", who={**P, "name": "John Smith", "address": "100 Main St"}, seller=S),
        x(152, "400.00", who={**P, "name": "Mary Smith", "address": "100 Main St"}, seller=S),
    ],
    [],
)

_JOHN = {**P, "name": "John Smith", "address": "100 Main Street"}

case(
    "v16_one_name_written_three_ways_a_middle_initial_another",
    "catalog VAL002 limitations: 'SMITH, JOHN' and 'Smith John' are John Smith; 'Mr. John A. "
    "Smith' is another person: $500 + $400 (crosses) + $10 (later) for John Smith",
    [
        x(161, "500.00", who=_JOHN, filed="2024-06-02T08:00"),
        x(162, "400.00", who={**_JOHN, "name": "SMITH, JOHN"}, filed="2024-06-02T09:00"),
        x(163, "400.00", who={**_JOHN, "name": "Mr. John A. Smith"}, filed="2024-06-02T10:00"),
        x(164, "10.00", who={**_JOHN, "name": "Smith John"}, filed="2024-06-02T11:00"),
    ],
    [("VAL002", 162, "900.00", (161, 164)), ("VAL002", 164, "910.00", (161, 162))],
)

case(
    "v17_place_filed_on_one_entry_only",
    "catalog VAL002: ZIP, city and state left blank on one entry do not split one person",
    [
        x(171, "500.00", filed="2024-06-02T08:00"),
        x(
            172,
            "400.00",
            who={**P, "postal_code": "", "city": "", "state": ""},
            filed="2024-06-02T09:00",
        ),
    ],
    [("VAL002", 172, "900.00", (171,))],
)

case(
    "v18_two_zip_codes_two_people",
    "catalog VAL002: the same name and street in ZIP 02127 and 02128 are two people",
    [x(181, "500.00"), x(182, "400.00", who={**P, "postal_code": "02128"})],
    [],
)

case(
    "v19_a_place_left_blank_beside_two_zip_codes",
    "catalog VAL002: $500 in ZIP 02127 and $500 in 02128 are two people; an entry with no place "
    "filed ($400, filed last) may be either, or a third at another ZIP: it is summed with "
    "neither, and no reading is over the threshold for the two whose place is known",
    [
        x(191, "500.00", filed="2024-06-02T08:00"),
        x(192, "500.00", who={**P, "postal_code": "02128"}, filed="2024-06-02T09:00"),
        x(
            193,
            "400.00",
            who={**P, "postal_code": "", "city": "", "state": ""},
            filed="2024-06-02T10:00",
        ),
    ],
    [],
)

case(
    "v20_entries_of_type_01_and_11_not_counted",
    "catalog VAL002: only Type 86 entries are summed: $500 + $250 T86 with $400 type 01 and "
    "$400 type 11 is $750; a $900 type 01 entry is not VAL001's",
    [
        x(201, "500.00", seller=S),
        x(202, "400.00", entry_type="01", seller=S),
        x(203, "400.00", entry_type="11", seller=S),
        x(204, "250.00"),
        x(205, "900.00", entry_type="01", who=person(205)),
    ],
    [],
)

case(
    "v21_china_gate_2_may_2025",
    "1 / 3.2 D3 with 3.3 V2: on 1 May 2025 a CN $500 and a VN $400 are $900 (V on the VN filed "
    "later); on 2 May the CN entry is ELG003 and still claims the exemption for that person "
    "that day (the g13 design): V on the VN; one seller's CN $500 on 1 May and VN $400 on 2 May "
    "are a split-shipment W on both",
    [
        x(
            211,
            day="2025-05-01",
            filed="2025-04-30T08:00",
            lines=[{"value_usd": "500.00", "country_of_origin": "CN"}],
        ),
        x(212, "400.00", day="2025-05-01", filed="2025-04-30T09:00"),
        x(
            213,
            who=Q,
            day="2025-05-02",
            filed="2025-05-01T08:00",
            lines=[{"value_usd": "500.00", "country_of_origin": "CN"}],
        ),
        x(214, "400.00", who=Q, day="2025-05-02", filed="2025-05-01T09:00"),
        x(
            215,
            who=R,
            seller=S,
            day="2025-05-01",
            lines=[{"value_usd": "500.00", "country_of_origin": "CN"}],
        ),
        x(216, "400.00", who=R, seller=S, day="2025-05-02"),
    ],
    [
        ("ELG003", 213, ANY, ANY),
        ("VAL002", 212, "900.00", (211,)),
        ("VAL002", 214, "900.00", (213,)),
        ("VAL005", 215, "900.00", (216,)),
        ("VAL005", 216, "900.00", (215,)),
    ],
    codes=CODES | {"ELG003"},
)

# --- VAL005: split shipments ------------------------------------------------------------------

case(
    "v22_one_order_split_a_week_apart",
    "3.3 V4: one order (PO-77, written 'po-77 ' the second time) in two $450 lots a week apart "
    "is a W on both; two other orders a week apart are not",
    [
        x(221, "450.00", seller=S, order_reference="PO-77"),
        x(222, "450.00", seller=S, day="2024-06-10", order_reference="po-77 "),
        x(223, "450.00", seller=S, day="2024-06-24", order_reference="ORD-A"),
        x(224, "450.00", seller=S, day="2024-07-01", order_reference="ORD-B"),
    ],
    [("VAL005", 221, "900.00", (222,)), ("VAL005", 222, "900.00", (221,))],
    says={
        ("VAL005", 221): "2 shipments from 'Shenzhen Bright Trading Co., Ltd.' to 'Maria "
        "Lopez' under order reference PO-77, arriving 2024-06-03 (1 shipment, 450.00 USD) and "
        "2024-06-10 (1 shipment, 450.00 USD), total 900.00 USD, over 800.00 USD"
    },
)

case(
    "v23_one_order_written_with_and_without_punctuation",
    "3.3 V4 (same order reference): 'PO-1001' and 'po 1001' from one seller to one person are "
    "one order: two $450 lots a week apart are a W on both, quoting the first as filed",
    [
        x(231, "450.00", seller=S, order_reference="PO-1001"),
        x(232, "450.00", seller=S, day="2024-06-10", order_reference="po 1001"),
    ],
    [("VAL005", 231, "900.00", (232,)), ("VAL005", 232, "900.00", (231,))],
    says={("VAL005", 232): "under order reference PO-1001, arriving 2024-06-03"},
)

case(
    "v24_one_seller_written_two_ways",
    "3.3 V4: 'Shenzhen Bright Trading Co., Ltd.' and 'SHENZHEN BRIGHT TRADING COMPANY LIMITED' "
    "are one seller: $450 on consecutive days is a W on both",
    [
        x(241, "450.00", seller=S),
        x(242, "450.00", seller="SHENZHEN BRIGHT TRADING COMPANY LIMITED", day="2024-06-04"),
    ],
    [("VAL005", 241, "900.00", (242,)), ("VAL005", 242, "900.00", (241,))],
)

case(
    "v25_anchored_two_day_windows",
    "catalog VAL005: $450 on 3, 4, 5 Jun: each is judged with its heaviest two-day window "
    "(the earliest on a tie); six daily $150 parcels to Ann Wu are never chained",
    [
        x(251, "450.00", seller=S),
        x(252, "450.00", seller=S, day="2024-06-04"),
        x(253, "450.00", seller=S, day="2024-06-05"),
        *(x(254 + i, "150.00", who=Q, seller=S, day=f"2024-06-{3 + i:02d}") for i in range(6)),
    ],
    [
        ("VAL005", 251, "900.00", (252,)),
        ("VAL005", 252, "900.00", (251,)),
        ("VAL005", 253, "900.00", (252,)),
    ],
)

_TWO_APART = [
    x(261, "450.00", seller=S),
    x(262, "450.00", seller=S, day="2024-06-05"),
]

case(
    "v26a_two_days_apart_default_window",
    "catalog VAL005: 3 and 5 Jun are not in one window of the same and the next day",
    _TWO_APART,
    [],
)

case(
    "v26b_two_days_apart_window_days_2",
    "VAL005.window_days=2: 3 and 5 Jun are one window: W on both",
    _TWO_APART,
    [("VAL005", 261, "900.00", (262,)), ("VAL005", 262, "900.00", (261,))],
    options={"VAL005": {"window_days": 2}},
)

case(
    "v27_window_days_0_same_day_only",
    "VAL005.window_days=0: consecutive days are apart; two $450 lots on one day are one "
    "window (and one person's $900 day, VAL002 on the second numbered)",
    [
        x(271, "450.00", seller=S),
        x(272, "450.00", seller=S, day="2024-06-04"),
        x(273, "450.00", seller=S, day="2024-06-10"),
        x(274, "450.00", seller=S, day="2024-06-10"),
    ],
    [
        ("VAL002", 274, "900.00", (273,)),
        ("VAL005", 273, "900.00", (274,)),
        ("VAL005", 274, "900.00", (273,)),
    ],
    options={"VAL005": {"window_days": 0}},
)

case(
    "v28_split_lot_exported_twice",
    "catalog VAL005: a $450 lot exported twice is one lot: alone it is nothing; with a $400 "
    "lot the next day it is $850, W on both, the copy named once",
    [
        x(281, "450.00", seller=S),
        x(281, "450.00", seller=S, file=1),
        x(282, "400.00", seller=S, day="2024-06-04"),
        x(283, "450.00", who=Q, seller=S, day="2024-07-01"),
        x(283, "450.00", who=Q, seller=S, day="2024-07-01", file=1),
    ],
    [
        ("FIL004", 281, ANY, ANY),
        ("FIL004", 281, ANY, ANY),
        ("FIL004", 283, ANY, ANY),
        ("FIL004", 283, ANY, ANY),
        ("VAL005", 281, "850.00", (282,)),
        ("VAL005", 282, "850.00", (281,)),
    ],
)

case(
    "v29_placeholder_order_reference_joins_nothing",
    "catalog VAL005: 'N/A' names no order: two $450 lots a week apart under it are nothing",
    [
        x(291, "450.00", seller=S, order_reference="N/A"),
        x(292, "450.00", seller=S, day="2024-06-10", order_reference="n/a"),
    ],
    [],
)

case(
    "v30_type_11_lot_not_a_split",
    "catalog VAL002/VAL005: a type 11 entry does not claim the exemption: nothing",
    [x(301, "450.00", seller=S), x(302, "450.00", seller=S, entry_type="11")],
    [],
)

# --- VAL006 / VAL007: values bunched under the threshold ---------------------------------------

case(
    "v31_cluster_and_band_edges",
    "catalog VAL006: $760, $790, $799.99 to one person (any dates) is a cluster of 3 in the "
    "$50 band; for Ann Wu $750.00 (the band's edge) and $800.00 are in it, $749.99 and "
    "$800.01 (VAL001) are not: with $775 three",
    [
        x(311, "760.00", day="2024-01-10"),
        x(312, "790.00", day="2024-03-05"),
        x(313, "799.99", day="2024-06-03"),
        x(314, "750.00", who=Q, day="2024-02-01"),
        x(315, "749.99", who=Q, day="2024-02-02"),
        x(316, "800.00", who=Q, day="2024-02-03"),
        x(317, "800.01", who=Q, day="2024-02-04"),
        x(318, "775.00", who=Q, day="2024-02-05"),
    ],
    [
        ("VAL001", 317, "800.01", ()),
        ("VAL006", 311, "760.00", (312, 313)),
        ("VAL006", 312, "790.00", (311, 313)),
        ("VAL006", 313, "799.99", (311, 312)),
        ("VAL006", 314, "750.00", (316, 318)),
        ("VAL006", 316, "800.00", (314, 318)),
        ("VAL006", 318, "775.00", (314, 316)),
    ],
    says={
        ("VAL006", 311): "3 entries for consignee 'Maria Lopez' are valued within 50.00 USD "
        "under the 800.00 USD threshold; this one totals 760.00 USD"
    },
)

_PAIR = [x(321, "790.00", day="2024-06-03"), x(322, "780.00", day="2024-06-20")]

case("v32a_two_near_default_min_3", "catalog VAL006: two are not a cluster of 3", _PAIR, [])

case(
    "v32b_two_near_min_entries_2",
    "VAL006.min_entries=2: two are",
    _PAIR,
    [("VAL006", 321, "790.00", (322,)), ("VAL006", 322, "780.00", (321,))],
    options={"VAL006": {"min_entries": 2}},
)

_THREE = [
    x(331, "760.00", day="2024-06-03"),
    x(332, "790.00", day="2024-06-10"),
    x(333, "799.00", day="2024-06-17"),
]

case(
    "v33a_band_50",
    "catalog VAL006: $760, $790, $799 are in the default $50 band",
    _THREE,
    [
        ("VAL006", 331, "760.00", (332, 333)),
        ("VAL006", 332, "790.00", (331, 333)),
        ("VAL006", 333, "799.00", (331, 332)),
    ],
)

case(
    "v33b_band_25",
    "VAL006.band_usd=25 ($775-$800): $760 is out, two left: nothing",
    _THREE,
    [],
    options={"VAL006": {"band_usd": "25"}},
)

case(
    "v34_min_entries_1_is_not_shared_with_val007",
    "VAL006.min_entries=1: one near entry is reported alone; VAL007 keeps its own 3",
    [x(341, "790.00")],
    [("VAL006", 341, "790.00", ())],
    options={"VAL006": {"min_entries": 1}},
    says={("VAL006", 341): "1 entry for consignee 'Maria Lopez' is valued within 50.00 USD"},
)

case(
    "v35_cluster_of_copies_is_one_entry",
    "catalog VAL006: a $790 filing exported three times and a $780 entry are two entries",
    [
        x(351, "790.00"),
        x(351, "790.00", file=1),
        x(351, "790.00", file=2),
        x(352, "780.00", day="2024-06-20"),
    ],
    [("FIL004", 351, ANY, ANY)] * 3,
)

case(
    "v36_cluster_in_three_zip_codes",
    "catalog VAL006: Lee Chen at 5 Elm Street in three ZIP codes is three people; an entry "
    "with none filed agrees with all three, which conflict: it is nobody's",
    [
        x(361, "795.00", who={**R, "postal_code": "10001"}, day="2024-06-03"),
        x(362, "795.00", who={**R, "postal_code": "60601"}, day="2024-06-10"),
        x(363, "795.00", who={**R, "postal_code": "94105"}, day="2024-06-17"),
        x(364, "795.00", who={**R, "postal_code": "", "city": ""}, day="2024-06-24"),
    ],
    [],
)

case(
    "v37_cluster_with_a_zip_left_blank",
    "catalog VAL006: two entries in ZIP 10001 and one with the ZIP left blank are one person",
    [
        x(371, "790.00", who=R, day="2024-06-03"),
        x(372, "795.00", who=R, day="2024-06-10"),
        x(373, "785.00", who={**R, "postal_code": ""}, day="2024-06-17"),
    ],
    [
        ("VAL006", 371, "790.00", (372, 373)),
        ("VAL006", 372, "795.00", (371, 373)),
        ("VAL006", 373, "785.00", (371, 372)),
    ],
)

case(
    "v38_cluster_under_each_entrys_own_threshold",
    "D5 with VAL006: $190 in 2015 (under $200) and $790, $795 in 2017-18 (under $800) are each "
    "within $50 of the threshold in force for them",
    [
        x(381, "190.00", day="2015-06-01"),
        x(382, "790.00", day="2017-06-01"),
        x(383, "795.00", day="2018-06-01"),
    ],
    [
        ("VAL006", 381, "190.00", (382, 383)),
        ("VAL006", 382, "790.00", (381, 383)),
        ("VAL006", 383, "795.00", (381, 382)),
    ],
)

case(
    "v39_cluster_under_a_name_written_three_ways",
    "catalog VAL002 (as VAL006): 'Lee Chen', 'CHEN, LEE' and 'Chen Lee' are one person",
    [
        x(391, "790.00", who=R, day="2024-06-03"),
        x(392, "795.00", who={**R, "name": "CHEN, LEE"}, day="2024-06-10"),
        x(393, "785.00", who={**R, "name": "Chen Lee"}, day="2024-06-17"),
    ],
    [
        ("VAL006", 391, "790.00", (392, 393)),
        ("VAL006", 392, "795.00", (391, 393)),
        ("VAL006", 393, "785.00", (391, 392)),
    ],
)

case(
    "v40_one_seller_written_three_ways_to_three_buyers",
    "catalog VAL007: 'Acme Export Ltd', 'ACME EXPORT LIMITED', 'Acme Export Ltd.' are one "
    "seller; $785, $799, $780.50 to three people is a cluster",
    [
        x(401, "785.00", who=person(401), seller="Acme Export Ltd"),
        x(402, "799.00", who=person(402), seller="ACME EXPORT LIMITED"),
        x(403, "780.50", who=person(403), seller="Acme Export Ltd."),
    ],
    [
        ("VAL007", 401, "785.00", (402, 403)),
        ("VAL007", 402, "799.00", (401, 403)),
        ("VAL007", 403, "780.50", (401, 402)),
    ],
    says={("VAL007", 403): "3 entries for seller 'Acme Export Ltd' are valued within"},
)

case(
    "v41_seller_cluster_counts_type_86_in_the_band_only",
    "catalog VAL007: of $790 (T86), $790 (type 11), $801 (over: VAL001) and $780 (T86) two "
    "are T86 in the band: nothing but VAL001",
    [
        x(411, "790.00", who=person(411), seller=S),
        x(412, "790.00", who=person(412), seller=S, entry_type="11"),
        x(413, "801.00", who=person(413), seller=S),
        x(414, "780.00", who=person(414), seller=S),
    ],
    [("VAL001", 413, "801.00", ())],
)

case(
    "v42_val006_options_leave_val007_alone",
    "VAL006.min_entries=2: Maria Lopez's two near entries are a cluster; one seller's two "
    "near entries to two others are not (VAL007 keeps 3)",
    [
        x(421, "790.00", day="2024-06-03"),
        x(422, "780.00", day="2024-06-10"),
        x(423, "790.00", who=person(423), seller=S),
        x(424, "790.00", who=person(424), seller=S),
    ],
    [("VAL006", 421, "790.00", (422,)), ("VAL006", 422, "780.00", (421,))],
    options={"VAL006": {"min_entries": 2}},
)

# --- VAL003 / VAL004: line values ---------------------------------------------------------------

case(
    "v43_blank_negative_zero_and_nominal_lines",
    "3.3 V5 / catalog VAL003-VAL004: blank and negative values are VAL003; 0.00 and 0.01 "
    "(the default cut-off) VAL004; 0.02 nothing",
    [
        x(431, who=person(431), lines=[{"value_usd": None}, {"value_usd": "10.00"}]),
        x(432, "-5.00", who=person(432)),
        x(433, "0.00", who=person(433)),
        x(434, "0.01", who=person(434)),
        x(435, "0.02", who=person(435)),
    ],
    [
        ("VAL003", 431, "", ()),
        ("VAL003", 432, "-5.00", ()),
        ("VAL004", 433, "0.00", ()),
        ("VAL004", 434, "0.01", ()),
    ],
)

case(
    "v44_day_after_the_exemption_ended",
    "3.2 D2 / VAL002: $500 + $400 on 3 Sep 2025 is over the statute's $800, which no longer "
    "made a shipment eligible; the message says so",
    [
        x(441, "500.00", day="2025-09-03", filed="2025-09-02T08:00"),
        x(442, "400.00", day="2025-09-03", filed="2025-09-02T09:00"),
    ],
    [("VAL002", 442, "900.00", (441,))],
    says={("VAL002", 442): "the statute's de minimis figure, which no longer made a shipment"},
)

case(
    "v45_nominal_cut_off_raised",
    "VAL004.nominal_usd=1.00: a 0.50 line is nominal, 1.01 is not",
    [x(451, "0.50", who=person(451)), x(452, "1.01", who=person(452))],
    [("VAL004", 451, "0.50", ())],
    options={"VAL004": {"nominal_usd": "1.00"}},
)

_NOBODY = {"name": "N/A", "address": "unknown", "city": "", "state": "", "postal_code": ""}

case(
    "v46_placeholder_consignees_are_nobody_s_day",
    "catalog VAL002 (CON001/CON005 report them): 'N/A' at 'unknown', 'Customer' at one street "
    "and John Smith at 'N/A' are not shown to be one person each: their $500 + $400 days, "
    "lots from one seller and near-threshold values make no VAL002, VAL005 or VAL006; a "
    "seller named 'N/A' makes no VAL007",
    [
        x(461, "500.00", who=_NOBODY, seller=S),
        x(462, "400.00", who={**_NOBODY, "name": "NA", "address": "Unknown"}, seller=S),
        x(463, "500.00", who={**P, "name": "Customer"}, seller=S),
        x(464, "400.00", who={**P, "name": "customer"}, seller=S),
        x(465, "500.00", who={**P, "name": "John Smith", "address": "N/A"}, seller=S),
        x(466, "400.00", who={**P, "name": "John Smith", "address": "n/a"}, seller=S),
        *(
            x(467 + i, "790.00", who={**P, "name": "Customer"}, day=f"2024-07-0{1 + i}")
            for i in range(3)
        ),
        *(x(470 + i, "790.00", who=person(470 + i), seller="N/A") for i in range(3)),
    ],
    [],
)

case(
    "v46b_a_placeholder_whose_letters_are_a_name_s",
    "catalog VAL002: 'N/A' has the letters of initials 'A. N.' (one name identity, 'an'), but "
    "names nobody: at one address the 'N/A' $400 is not summed with A. N.'s $500; A. N.'s "
    "own $500 + $400 (written 'A N') is over: V on the second filed, naming only A. N.'s",
    [
        x(4601, "500.00", who={**P, "name": "A. N."}, filed="2024-06-02T08:00"),
        x(4602, "400.00", who={**P, "name": "N/A"}, filed="2024-06-02T08:30"),
        x(4603, "400.00", who={**P, "name": "A N"}, filed="2024-06-02T09:00"),
    ],
    [("VAL002", 4603, "900.00", (4601,))],
)

case(
    "v47_state_spelt_out_is_the_same_place",
    "catalog VAL002: 'MA' and 'Massachusetts' (no ZIP filed) are one place",
    [
        x(471, "500.00", who={**P, "postal_code": ""}, filed="2024-06-02T08:00"),
        x(
            472,
            "400.00",
            who={**P, "postal_code": "", "state": "Massachusetts"},
            filed="2024-06-02T09:00",
        ),
    ],
    [("VAL002", 472, "900.00", (471,))],
)

case(
    "v48_one_filer_s_entries_with_and_without_a_time",
    "catalog VAL002 order: filing time first; an entry with no time is ordered after those "
    "with one",
    [x(481, "500.00", filed=None), x(482, "400.00", filed="2024-06-02T09:00")],
    [("VAL002", 481, "900.00", (482,))],
)


# --- running the cases ------------------------------------------------------------------------


def _entries(spec: dict[str, Any]) -> list[Any]:
    return [make_entry(**{k: v for k, v in e.items() if k != "_file"}) for e in spec["entries"]]


def _files(spec: dict[str, Any], tmp_path: Path) -> list[Path]:
    """The case's entries as CSV files: one per ``_file`` index (a copy goes in another)."""
    by_file: dict[int, list[Any]] = {}
    for e, entry in zip(spec["entries"], _entries(spec), strict=True):
        by_file.setdefault(e["_file"], []).append(entry)
    paths = []
    for index, entries in sorted(by_file.items()):
        path = tmp_path / f"{spec['name']}_{index}.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS)
            writer.writeheader()
            writer.writerows(to_csv_rows(entries))
        paths.append(path)
    return paths


def _rows(report: t86audit.Report, codes: frozenset[str]) -> list[tuple[Any, ...]]:
    return sorted(
        (
            f.code,
            f.entry_number,
            f.severity.value,
            f.observed,
            tuple(f.related_entries),
            f.line_number,
            # Another rule's message names the files a record came from: only its presence.
            f.message if f.code.startswith("VAL") else "",
        )
        for f in report.findings
        if f.code in codes
    )


def _audit(population: Any, spec: dict[str, Any], jobs: int = 1) -> t86audit.Report:
    return t86audit.audit(population, options=spec["options"], exposure=False, jobs=jobs)


def _compare(rows: list[tuple[Any, ...]], spec: dict[str, Any]) -> None:
    found = [
        (code, number, severity, observed, related)
        for code, number, severity, observed, related, *_ in rows
    ]
    wanted = []
    for code, serial, observed, related in spec["expected"]:
        wanted.append(
            (
                code,
                E(serial),
                SEVERITY[code],
                observed,
                related if related is ANY else tuple(E(s) for s in related),
            )
        )
    messages = [f"{code} {number}: {message}" for code, number, *_, message in rows]
    assert len(found) == len(wanted), (spec["why"], messages)
    remaining = list(found)
    for item in sorted(wanted, key=lambda w: (w[0], w[1], str(w[3]))):
        match = next(
            (
                f
                for f in remaining
                if f[:3] == item[:3]
                and (item[3] is ANY or f[3] == item[3])
                and (item[4] is ANY or f[4] == item[4])
            ),
            None,
        )
        assert match is not None, (spec["why"], item, found, messages)
        remaining.remove(match)
    for (code, serial), phrase in spec["says"].items():
        texts = [m for c, n, *_, m in rows if c == code and n == E(serial)]
        assert texts, (code, serial)
        assert all(phrase in t for t in texts), (phrase, texts)


@pytest.mark.parametrize("spec", CASES, ids=[c["name"] for c in CASES])
def test_value_group_case(
    spec: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One process, two worker processes and the CSV files: the same, expected findings."""
    entries = _entries(spec)
    one = _rows(_audit(entries, spec), spec["codes"])
    _compare(one, spec)
    # The engine gives a worker no fewer than 2,000 entries; one is enough here, so that the
    # two workers each fold a part of the case and their group states are merged.
    monkeypatch.setattr(engine, "_MIN_SLICE", 1)
    assert _rows(_audit(entries, spec, jobs=2), spec["codes"]) == one
    loaded = t86audit.load(*_files(spec, tmp_path))
    assert not loaded.errors, loaded.errors
    assert _rows(_audit(loaded, spec), spec["codes"]) == one
    assert _rows(_audit(loaded, spec, jobs=2), spec["codes"]) == one


def test_there_are_at_least_forty_cases() -> None:
    assert len(CASES) >= 40


def test_a_negative_window_is_a_rule_error_that_says_so() -> None:
    """VAL005.window_days=-1 has no window: the error names the option, not an entry number."""
    spec = {"entries": [x(1, "450.00", seller=S), x(2, "450.00", seller=S)]}
    report = t86audit.audit(
        _entries(spec), select=["VAL005"], options={"VAL005": {"window_days": -1}}
    )
    (result,) = [r for r in report.result.rule_results if r.rule.code == "VAL005"]
    assert result.status == "error"
    assert result.errors[0].message == (
        "VAL005.window_days must be 0 (the same day only) or more; got -1"
    )
