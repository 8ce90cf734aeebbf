"""Hand-made cases at the date boundaries of the law: the day before, the day of, the day after.

Every boundary the rules turn on was taken from the domain reference
(/work/shared/domain/t86-reference.md) and the expected verdicts were written from it, by section,
before the audit was run: the start of the T86 test (28 Sep 2019, section 1 and 3.2 D1), its end
(12:01 a.m. EDT 29 Aug 2025, D2), the China / Hong Kong gates (12:01 a.m. EST 4 Feb 2025 to
7 Feb 2025 and 12:01 a.m. EDT 2 May 2025, D3), the $200 / $800 threshold (10 Mar 2016, D5 and
3.3 V1), the filing deadlines (15 days after arrival, then prior to or upon arrival from
15 Feb 2024, 3.7 F1/F2), the EDA by filing date (25 Jul 2024, F3), the Chapter 98 clarification
(about 4 Oct 2024, section 1 and 3.5 H3), dated HTSUS editions (3.5 H2, judged as the HTS002 and
HTS003 rules document), and the milestones no rule may gate on (CBP's vague-description messaging
of 1 Apr 2024 and ACE's aggregation of 12 Aug 2025: section 1 says the duties are older). Filing
times are given near Eastern midnight in several zones and spellings (contracts 1: naive times
are U.S. Eastern), in daylight and in standard time.

Each case is a CSV with the canonical columns, audited as a user would, and the exact set of
(rule code, entry number) findings is compared. Wrong verdicts when written:

* d03 / d04 (ELG002): a T86 transmitted late in the first minute of 29 Aug 2025 (00:00:30 EDT,
  before the 12:01 a.m. cut-over) was reported as transmitted after T86 ended.
* d08 (ELG003): China / Hong Kong goods that arrived before a gate but whose T86 was
  transmitted late, on or after the gate's 12:01 a.m. cut-over, were not flagged although the
  goods were entered then; and goods that arrived in the first gate (6 Feb 2025) but were
  entered by a late T86 on 7 Feb 2025, when de minimis was restored, were flagged.

Check digits are computed with the reference's algorithm (section 5.3) by the helper of
tests/test_rules_hand_cases.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

import t86audit
from tests.test_rules_hand_cases import COLUMNS, check_digit, row, write


def E(n: int) -> str:
    serial = f"{n:07d}"
    return f"H1D-{serial}-{check_digit('H1D', serial)}"


def at(n: int, arrival: str, **kw: Any) -> dict[str, Any]:
    """One clean line of entry ``E(n)`` arriving on ``arrival``.

    Filed at 10:00 Eastern the day before arrival, with the EDA equal to the arrival date, its
    own bill, consignee and seller; a Vietnamese cotton t-shirt worth $50.
    """
    day = dt.date.fromisoformat(arrival)
    base = {
        "entry_number": E(n),
        "entry_type": "86",
        "arrival_date": arrival,
        "filed_at": f"{(day - dt.timedelta(days=1)).isoformat()}T10:00:00",
        "estimated_arrival_date": arrival,
        "port_code": "4701",
        "mode": "air",
        "bill_of_lading": f"738-{n:08d}",
        "consignee_name": f"Person {n} Example",
        "consignee_address": f"{n} Main Street",
        "consignee_city": "Boston",
        "consignee_state": "MA",
        "consignee_postal_code": "02127",
        "consignee_country": "US",
        "seller_name": f"Seller {n} Co., Ltd.",
        "seller_address": "112 Nguyen Van Linh Street, HCMC",
        "seller_country": "VN",
        "importer_of_record": "",
        "pga_data": "",
        "line_number": "1",
        "description": "women's cotton knit t-shirt",
        "hts_number": "6109.10.00.40",
        "country_of_origin": "VN",
        "value_usd": "50.00",
        "quantity": "2",
        "quantity_unit": "PCS",
        "gross_weight_kg": "0.4",
        "order_reference": f"ORD-{n}",
    }
    base.update(kw)
    return base


CASES: list[dict[str, Any]] = []


def case(name: str, ref: str, rows: list[dict[str, Any]], expected: list[tuple[str, str]]) -> None:
    CASES.append({"name": name, "ref": ref, "rows": rows, "expected": set(expected)})


# ---------------------------------------------------------------------------------------------
# The T86 test's start and end

case(
    "d01_test_start",
    "1 (28 Sep 2019: T86 entries valid from here); 3.2 D1: arrival < 2019-09-28 -> V, by "
    "the arrival even when the T86 was filed, within the 15 days then allowed, once the test "
    "had started",
    [
        at(101, "2019-09-27"),
        at(102, "2019-09-28"),
        at(103, "2019-09-29"),
        at(104, "2019-09-27", filed_at="2019-09-28T10:00:00"),
    ],
    [("ELG001", E(101)), ("ELG001", E(104))],
)
case(
    "d02_test_end_by_arrival",
    "3.2 D2: entry at or after 2025-08-29 00:01 EDT -> V; a T86 filed earlier for goods "
    "entered after the cut-over is ineligible too",
    [
        at(201, "2025-08-28"),
        at(202, "2025-08-29"),
        at(203, "2025-08-30"),
        at(204, "2025-08-29", filed_at="2025-08-20T10:00:00"),
        # 3.2 D4: the statutory end of 1 Jul 2027 does not reopen anything.
        at(205, "2027-06-30"),
        at(206, "2027-07-01"),
    ],
    [
        ("ELG002", E(202)),
        ("ELG002", E(203)),
        ("ELG002", E(204)),
        ("ELG002", E(205)),
        ("ELG002", E(206)),
    ],
)
case(
    "d03_test_end_by_late_filing_time",
    "3.2 D2: the goods are entered when a late T86 is transmitted; ELG002 from 00:01 EDT "
    "29 Aug 2025 on (the minute before is still the old law); 3.7 F1: filed after the arrival "
    "day -> V (contracts 1: naive times are Eastern)",
    [
        at(301, "2025-08-28", filed_at="2025-08-28T23:59:59-04:00"),
        at(302, "2025-08-28", filed_at="2025-08-29T03:59:00Z"),  # 23:59 EDT on the 28th
        at(303, "2025-08-28", filed_at="2025-08-29T00:00:30-04:00"),  # before 12:01 a.m.
        at(304, "2025-08-28", filed_at="2025-08-29T00:00:59"),  # naive: Eastern
        at(305, "2025-08-28", filed_at="2025-08-29T04:00:30Z"),  # 00:00:30 EDT
        at(306, "2025-08-28", filed_at="2025-08-29T00:01:00-04:00"),
        at(307, "2025-08-28", filed_at="2025-08-29T04:01:00Z"),  # 00:01 EDT
        at(308, "2025-08-28", filed_at="2025-08-29T00:01:00"),
        at(309, "2025-08-28", filed_at="2025-08-30T09:00:00+08:00"),  # 29 Aug 21:00 EDT
    ],
    [
        ("FIL008", E(303)),
        ("FIL008", E(304)),
        ("FIL008", E(305)),
        ("FIL008", E(306)),
        ("ELG002", E(306)),
        ("FIL008", E(307)),
        ("ELG002", E(307)),
        ("FIL008", E(308)),
        ("ELG002", E(308)),
        ("FIL008", E(309)),
        ("ELG002", E(309)),
    ],
)
case(
    "d04_test_end_value_over",
    "3.3 V1: a total over $800 is over the threshold on any date; 3.2 D2 on top after the end",
    [
        at(401, "2025-08-28", value_usd="800.01"),
        at(402, "2025-08-29", value_usd="800.01"),
        at(403, "2025-08-29", value_usd="800.00"),
    ],
    [("VAL001", E(401)), ("VAL001", E(402)), ("ELG002", E(402)), ("ELG002", E(403))],
)

# ---------------------------------------------------------------------------------------------
# China and Hong Kong


def cn(n: int, arrival: str, origin: str = "CN", **kw: Any) -> dict[str, Any]:
    return at(
        n,
        arrival,
        country_of_origin=origin,
        description="ceramic coffee mug",
        hts_number="6912.00.44.00",
        **kw,
    )


case(
    "d05_china_gate_one",
    "3.2 D3: CN/HK line with arrival in [2025-02-04 00:01 EST, 2025-02-07) -> V; 1: "
    "de minimis resumed 7 Feb 2025 (CSMS 64082249); other origins are never gated",
    [
        cn(501, "2025-02-03"),
        cn(502, "2025-02-04"),
        cn(503, "2025-02-05", "HK"),
        cn(504, "2025-02-06"),
        cn(505, "2025-02-07"),
        cn(506, "2025-02-08", "HK"),
        cn(507, "2025-02-04", "VN"),
    ],
    [("ELG003", E(502)), ("ELG003", E(503)), ("ELG003", E(504))],
)
case(
    "d06_china_gate_two",
    "3.2 D3: CN/HK line with arrival >= 2025-05-02 00:01 EDT -> V, until every T86 is D2's",
    [
        cn(601, "2025-05-01"),
        cn(602, "2025-05-02"),
        cn(603, "2025-05-03", "HK"),
        cn(604, "2025-08-28"),
        cn(605, "2025-08-29"),
        cn(606, "2025-05-02", "TW"),
    ],
    [("ELG003", E(602)), ("ELG003", E(603)), ("ELG003", E(604)), ("ELG002", E(605))],
)
case(
    "d07_china_line_among_others",
    "3.2 D3: 'any line COO in {CN, HK}' -> V, on that line; the other lines are not gated",
    [
        cn(701, "2025-05-02"),
        {**at(701, "2025-05-02"), "line_number": "2"},
        {**at(702, "2025-05-01"), "line_number": "1"},
        {**cn(702, "2025-05-01"), "line_number": "2"},
    ],
    [("ELG003", E(701))],
)
case(
    "d08_china_gate_by_late_filing_time",
    "1: the 12:01 a.m. ET cut-overs (EO 14195, EO 14256) apply to goods entered on or after "
    "that instant; a T86 transmitted after arrival enters the goods when transmitted (the "
    "reasoning of 3.2 D2); 3.7 F1: filed after the arrival day -> V",
    [
        # Gate two, daylight time.
        cn(801, "2025-05-01", filed_at="2025-05-02T10:00:00"),
        cn(802, "2025-05-01", filed_at="2025-05-02T00:00:30-04:00"),  # before 12:01 a.m.
        cn(803, "2025-05-01", filed_at="2025-05-02T04:01:00Z"),  # 00:01 EDT
        cn(804, "2025-05-01", filed_at="2025-05-02T03:30:00Z"),  # 23:30 EDT on 1 May
        # Gate one, standard time.
        cn(805, "2025-02-03", filed_at="2025-02-04T05:00:30Z"),  # 00:00:30 EST
        cn(806, "2025-02-03", filed_at="2025-02-04T05:01:00Z"),  # 00:01 EST
        cn(807, "2025-02-03", filed_at="2025-02-04T04:30:00Z"),  # 23:30 EST on 3 Feb
        # Arrived in gate one, entered on 7 Feb once de minimis had resumed.
        cn(808, "2025-02-06", filed_at="2025-02-07T09:00:00"),
        # Arrived in gate one and filed late the same gate: still gated.
        cn(809, "2025-02-04", filed_at="2025-02-05T09:00:00"),
        # Another origin: late only.
        cn(810, "2025-05-01", "VN", filed_at="2025-05-02T10:00:00"),
        # The end of T86: the minute before 12:01 a.m. EDT is still the second gate.
        cn(811, "2025-08-28", filed_at="2025-08-29T00:00:30-04:00"),
        cn(812, "2025-08-28", filed_at="2025-08-29T00:01:00-04:00"),
    ],
    [
        ("FIL008", E(801)),
        ("ELG003", E(801)),
        ("FIL008", E(802)),
        ("FIL008", E(803)),
        ("ELG003", E(803)),
        ("FIL008", E(805)),
        ("FIL008", E(806)),
        ("ELG003", E(806)),
        ("FIL008", E(808)),
        ("FIL008", E(809)),
        ("ELG003", E(809)),
        ("FIL008", E(810)),
        ("FIL008", E(811)),
        ("ELG003", E(811)),
        ("FIL008", E(812)),
        ("ELG002", E(812)),
    ],
)

# ---------------------------------------------------------------------------------------------
# Filing deadlines

case(
    "d09_deadline_switch",
    "3.7 F1: late is a violation for arrivals on/after 2024-02-15; F2: before, filing within "
    "15 days after arrival was allowed (2024 is a leap year: 14 Feb + 15 days = 29 Feb)",
    [
        at(901, "2024-02-14", filed_at="2024-02-15T10:00:00"),
        at(902, "2024-02-15", filed_at="2024-02-16T10:00:00"),
        at(903, "2024-02-16", filed_at="2024-02-17T10:00:00"),
        at(904, "2024-02-14", filed_at="2024-02-29T10:00:00"),
        at(905, "2024-02-14", filed_at="2024-03-01T10:00:00"),
        at(906, "2024-02-14", filed_at="2024-03-01T04:59:00Z"),  # 23:59 EST 29 Feb
        at(907, "2024-02-14", filed_at="2024-03-01T05:00:00Z"),  # 00:00 EST 1 Mar
        at(908, "2024-02-15", filed_at="2024-02-16T04:59:00Z"),  # 23:59 EST 15 Feb
        at(909, "2024-02-15", filed_at="2024-02-16T05:00:00Z"),  # 00:00 EST 16 Feb
        at(910, "2024-02-15", filed_at="2024-02-15T08:00:00"),  # on the arrival day
    ],
    [
        ("FIL008", E(902)),
        ("FIL008", E(903)),
        ("FIL009", E(905)),
        ("FIL009", E(907)),
        ("FIL008", E(909)),
    ],
)
case(
    "d10_fifteen_days",
    "3.7 F2: arrival < 2024-02-15 AND filed > arrival + 15 days -> V; days are Eastern "
    "calendar days (daylight time from 12 Mar 2023)",
    [
        at(1001, "2019-09-28", filed_at="2019-10-13T10:00:00"),
        at(1002, "2019-09-28", filed_at="2019-10-14T10:00:00"),
        at(1003, "2023-03-01", filed_at="2023-03-17T03:30:00Z"),  # 16 Mar 23:30 EDT
        at(1004, "2023-03-01", filed_at="2023-03-17T04:30:00Z"),  # 17 Mar 00:30 EDT
        at(1005, "2023-03-01", filed_at="2023-03-16T23:59:59"),
    ],
    [("FIL009", E(1002)), ("FIL009", E(1004))],
)

# ---------------------------------------------------------------------------------------------
# Estimated date of arrival

case(
    "d11_eda_by_filing_day",
    "3.7 F3: submitted >= 2024-07-25 AND EDA missing -> flagged (a warning by the library's "
    "design: CSMS guidance); the submission date governs, not the arrival",
    [
        at(1101, "2024-07-25", estimated_arrival_date="", filed_at="2024-07-24T23:59:00-04:00"),
        at(1102, "2024-07-25", estimated_arrival_date="", filed_at="2024-07-25T03:59:00Z"),
        at(1103, "2024-07-25", estimated_arrival_date="", filed_at="2024-07-25T04:00:00Z"),
        at(1104, "2024-07-25", estimated_arrival_date="", filed_at="2024-07-25T00:00:00"),
        at(1105, "2024-07-26", estimated_arrival_date="", filed_at="2024-07-24T10:00:00"),
        at(1106, "2024-07-26", estimated_arrival_date="", filed_at="2024-07-25T10:00:00"),
        at(1107, "2024-07-24", estimated_arrival_date="", filed_at="2024-07-26T10:00:00"),
    ],
    [
        ("FIL010", E(1103)),
        ("FIL010", E(1104)),
        ("FIL010", E(1106)),
        ("FIL010", E(1107)),
        ("FIL008", E(1107)),
    ],
)
case(
    "d12_eda_without_filing_time",
    "3.7 F3 with no filing time: the arrival date stands for the submission (FIL010's "
    "documented design)",
    [
        at(1201, "2024-07-24", estimated_arrival_date="", filed_at=""),
        at(1202, "2024-07-25", estimated_arrival_date="", filed_at=""),
        at(1203, "2024-07-26", estimated_arrival_date="", filed_at=""),
    ],
    [("FIL010", E(1202)), ("FIL010", E(1203))],
)

# ---------------------------------------------------------------------------------------------
# The threshold

case(
    "d13_threshold_2016",
    "3.2 D5: threshold = 200 if date < 2016-03-10 else 800; 3.3 V1: total > threshold -> V; "
    "3.2 D1: every such entry arrived before the T86 test",
    [
        at(1301, "2016-03-09", value_usd="200.00"),
        at(1302, "2016-03-09", value_usd="200.01"),
        at(1303, "2016-03-10", value_usd="200.01"),
        at(1304, "2016-03-10", value_usd="800.00"),
        at(1305, "2016-03-10", value_usd="800.01"),
        at(1306, "2016-03-11", value_usd="500.00"),
    ],
    [
        ("ELG001", E(1301)),
        ("ELG001", E(1302)),
        ("VAL001", E(1302)),
        ("ELG001", E(1303)),
        ("ELG001", E(1304)),
        ("ELG001", E(1305)),
        ("VAL001", E(1305)),
        ("ELG001", E(1306)),
    ],
)
SMITH = {"consignee_name": "John Smith", "consignee_address": "100 Main Street"}
case(
    "d14_one_person_one_day",
    "3.3 V2: one person on one day, the day being the arrival date; V on the entry that takes "
    "the day over $800; ACE's own aggregation (12 Aug 2025) does not start the legal rule",
    [
        at(1401, "2024-06-03", value_usd="500.00", **SMITH),
        at(1402, "2024-06-04", value_usd="400.00", **SMITH),
        at(1403, "2025-08-11", value_usd="500.00", filed_at="2025-08-10T09:00:00", **SMITH),
        at(1404, "2025-08-11", value_usd="400.00", filed_at="2025-08-10T10:00:00", **SMITH),
        at(1405, "2025-08-12", value_usd="500.00", filed_at="2025-08-11T09:00:00", **SMITH),
        at(1406, "2025-08-12", value_usd="400.00", filed_at="2025-08-11T10:00:00", **SMITH),
    ],
    [("VAL002", E(1404)), ("VAL002", E(1406))],
)

# ---------------------------------------------------------------------------------------------
# Descriptions: no date gate

case(
    "d15_vague_before_messaging",
    "1: description messaging from 2024-04-01, but the regulatory duty is older: vague "
    "descriptions are findable for the whole T86 period; 3.5 H5 -> V",
    [
        at(1501, "2019-09-28", description="gift"),
        at(1502, "2024-03-31", description="gift"),
        at(1503, "2024-04-01", description="gift"),
    ],
    [("DES002", E(1501)), ("DES002", E(1502)), ("DES002", E(1503))],
)

# ---------------------------------------------------------------------------------------------
# Classification


def ch98(n: int, arrival: str) -> dict[str, Any]:
    return at(
        n,
        arrival,
        hts_number="9801.00.10.98",
        description="men's leather belt, customer return",
    )


case(
    "d16_chapter_98",
    "1 (~4 Oct 2024, CSMS 62520662) and 3.5 H3: Chapter 98 -> V from the CSMS; before it the "
    "finding rests on later guidance (HTS008's documented design: a warning)",
    [ch98(1601, "2024-10-03"), ch98(1602, "2024-10-04"), ch98(1603, "2024-10-05")],
    [("HTS008", E(1601)), ("HTS004", E(1602)), ("HTS004", E(1603))],
)


def hs(n: int, arrival: str, hts: str, description: str) -> dict[str, Any]:
    # Each entry's own description: one description under two numbers is HTS007's business.
    return at(n, arrival, hts_number=hts, description=f"{description}, lot {n}")


BATTERIES = "spent primary lithium cells, waste for recycling"
case(
    "d17_hs2022",
    "3.5 H2: the number must be valid on the entry date; HS 2022 in the HTSUS from "
    "27 Jan 2022 (Proclamation 10326) deleted subheading 8548.10: before, HTS003 warns "
    "(no older edition bundled); from then on the 6-digit subheading is surely invalid",
    [
        hs(1701, "2022-01-26", "8548.10.05.00", BATTERIES),
        hs(1702, "2022-01-27", "8548.10.05.00", BATTERIES),
        hs(1703, "2022-01-28", "8548.10.05.00", BATTERIES),
    ],
    [("HTS003", E(1701)), ("HTS002", E(1702)), ("HTS002", E(1703))],
)
COFFEE = "green coffee beans, 1 kg"
case(
    "d18_2025_revision_16",
    "3.5 H2 with HTS002/HTS003's documented design: 0901.11.00.45 was in the 2025 revisions "
    "to rev 15, 0901.11.00.35 from rev 16 (dated 2025-06-06); a number valid in a revision "
    "dated within 31 days is a warning, outside that a violation",
    [
        hs(1801, "2025-06-05", "0901.11.00.45", COFFEE),
        hs(1802, "2025-06-06", "0901.11.00.45", COFFEE),
        hs(1803, "2025-07-06", "0901.11.00.45", COFFEE),
        hs(1804, "2025-07-07", "0901.11.00.45", COFFEE),
        hs(1805, "2025-05-05", "0901.11.00.35", COFFEE),
        hs(1806, "2025-05-06", "0901.11.00.35", COFFEE),
        hs(1807, "2025-06-05", "0901.11.00.35", COFFEE),
        hs(1808, "2025-06-06", "0901.11.00.35", COFFEE),
    ],
    [
        ("HTS003", E(1802)),
        ("HTS003", E(1803)),
        ("HTS002", E(1804)),
        ("HTS002", E(1805)),
        ("HTS003", E(1806)),
        ("HTS003", E(1807)),
    ],
)


@pytest.mark.parametrize("spec", CASES, ids=[c["name"] for c in CASES])
def test_date_boundary_case(spec: dict[str, Any], tmp_path: Path) -> None:
    """The audit of the case's CSV finds exactly the expected (code, entry) pairs."""
    path = tmp_path / f"{spec['name']}.csv"
    write(str(path), spec["rows"], columns=COLUMNS)
    loaded = t86audit.load(str(path))
    assert not loaded.errors, loaded.errors
    report = t86audit.audit(loaded)
    found = {(f.code, f.entry_number) for f in report.findings}
    messages = sorted(f"{f.code} {f.entry_number}: {f.message}" for f in report.findings)
    assert found == spec["expected"], (spec["ref"], messages)


def test_late_findings_are_judged_by_the_law_at_the_filing_time(tmp_path: Path) -> None:
    """1, 3.2 D2/D3: a finding on goods entered by a late T86 names the period then in force."""
    path = tmp_path / "late.csv"
    write(
        str(path),
        [
            cn(1901, "2025-05-01", filed_at="2025-05-02T10:00:00"),
            cn(1902, "2025-08-28", filed_at="2025-08-29T00:00:30-04:00"),
            at(1903, "2025-08-28", filed_at="2025-08-29T10:00:00"),
            cn(1904, "2025-05-02"),
        ],
        columns=COLUMNS,
    )
    report = t86audit.audit(str(path))
    periods = {
        (f.code, f.entry_number): f.policy_period
        for f in report.findings
        if f.code in {"ELG002", "ELG003"}
    }
    assert periods == {
        ("ELG003", E(1901)): "china-gate-2",
        ("ELG003", E(1902)): "ace-aggregation",
        ("ELG002", E(1903)): "t86-ended",
        ("ELG003", E(1904)): "china-gate-2",
    }
    (late,) = (f for f in report.findings if (f.code, f.entry_number) == ("ELG003", E(1901)))
    assert "transmitted late on 2025-05-02" in late.message


@pytest.mark.parametrize(
    ("when", "period"),
    [
        # 12:01 a.m. EST cut-over (February: UTC-5).
        ("2025-02-04T05:00:59+00:00", "chapter-98-clarified"),
        ("2025-02-04T05:01:00+00:00", "china-gate-1"),
        ("2025-02-04T00:01:00", "china-gate-1"),  # naive: Eastern
        # The pause of 7 Feb 2025 has no time of day: from midnight.
        ("2025-02-07T00:00:00", "china-gate-paused"),
        # 12:01 a.m. EDT cut-overs (UTC-4).
        ("2025-05-02T00:00:59-04:00", "china-gate-paused"),
        ("2025-05-02T04:01:00+00:00", "china-gate-2"),
        ("2025-08-29T12:00:30+12:00", "ace-aggregation"),  # 28 Aug 20:00:30 EDT
        ("2025-08-29T00:00:59", "ace-aggregation"),
        ("2025-08-29T00:01:00", "t86-ended"),
        # Midnight milestones are unchanged.
        ("2024-07-25T00:00:00", "eda-required"),
        ("2024-07-25T03:59:00+00:00", "vague-messaging"),
        ("2024-02-15T00:00:00", "t86-republished"),
        ("2019-09-28T00:00:00", "t86-test"),
    ],
)
def test_policy_at_instant(when: str, period: str) -> None:
    """1: the orders' cut-overs are 12:01 a.m. Eastern; a filing time can precede one."""
    instant = dt.datetime.fromisoformat(when)
    assert t86audit.default_policy().at_instant(instant).id == period


def test_value_over_800_after_the_suspension_is_not_called_the_threshold_in_force(
    tmp_path: Path,
) -> None:
    """VAL001 and VAL002 after 29 Aug 2025 say the $800 no longer made a shipment eligible.

    The policy summary of that period says the threshold is not available (EO 14324); a finding
    calling $800 "the de minimis threshold" would contradict it. Before the suspension the
    words are the threshold's, as they were.
    """
    one, two, three = E(901), E(902), E(903)
    path = str(tmp_path / "after.csv")
    after = {"arrival_date": "2025-09-03", "filed_at": "2025-09-02T10:00:00"}
    before = {"arrival_date": "2025-08-20", "filed_at": "2025-08-19T10:00:00"}
    shared = {"consignee_name": "Dana Example", "consignee_address": "9 Elm Street"}
    write(
        path,
        [
            row(one, value_usd="850.00", **after),
            row(two, value_usd="500.00", **after, **shared),
            row(three, value_usd="450.00", **after, **shared),
            row(E(904), value_usd="850.00", **before),
        ],
    )
    report = t86audit.audit(path)
    messages = {(f.code, f.entry_number): f.message for f in report.findings}
    suspended = "the statute's de minimis figure, which no longer made a shipment eligible"
    assert suspended in messages["VAL001", one]
    assert "EO 14324" in messages["VAL001", one]
    assert ("ELG002", one) in messages  # the entry's ineligibility, at any value
    assert suspended in messages["VAL002", three]
    assert messages["VAL001", E(904)].endswith("exceeds the 800.00 USD de minimis threshold")
