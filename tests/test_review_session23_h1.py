"""Review session 23, helper h1: rules that cite law not in force on an entry's date.

An entry that arrived before the Type 86 test began (28 Sep 2019) or from the day it ended
(29 Aug 2025) is flagged by ELG001 or ELG002: no T86 could be filed for it. It also got the
findings of the rules whose requirement is a term of the T86 test itself (a data element of
84 FR 40079 / 89 FR 2630, CBP's Type 86 guidance), citing notices that were not in force on its
date. Those rules now stand down outside the test (``in_force=DURING_T86_TEST``); the rules
resting on law that applied whatever the entry type (19 U.S.C. 1321, 19 CFR 10.151 and 10.153,
the manifest description regulations, the ultimate consignee directive, 19 CFR 142.3a) still
judge such an entry.

The table below was written by hand from the domain reference (sections 1, 2.1 and 3) before
the code ran: for each defect, the findings a careful reviewer expects on an entry arriving on
each of the dates around the test's start, the EDA requirement (25 Jul 2024), the China/Hong
Kong gate (2 May 2025) and the test's end (29 Aug 2025), and in 2018 and 2026. Each entry is
audited alone, filed at 20:00 Eastern the evening before it arrived, with its EDA the arrival
date, so that only the defect and the date speak; the whole set of codes found is compared.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import t86audit
from t86audit.docgen import render_rule
from t86audit.engine import run_rules
from t86audit.model import Entry
from t86audit.registry import RuleRegistry
from t86audit.sample import cited_sample
from t86audit.testing import make_entry, make_line


EASTERN = ZoneInfo("America/New_York")
AT = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)

DATES = (
    "2018-06-01",  # (a) before the test
    "2019-09-27",  # (b) the day before the test
    "2019-09-28",  # (b) the test's first day (84 FR 40079; 15 days to file)
    "2024-07-24",  # (c) the day before the EDA was mandatory
    "2024-07-25",  # (c) EDA mandatory (CSMS 61421135) for T86 submitted from this day
    "2025-05-01",  # (d) the day before the China/Hong Kong gate
    "2025-05-02",  # (d) EO 14256: China/Hong Kong goods ineligible
    "2025-08-28",  # (e) the test's last day
    "2025-08-29",  # (e) EO 14324: no T86 accepted
    "2026-03-01",  # (f) after the end
)

PRE_TEST = {"2018-06-01", "2019-09-27"}
POST_END = {"2025-08-29", "2026-03-01"}
IN_TEST = set(DATES) - PRE_TEST - POST_END


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _evening_before(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day - dt.timedelta(days=1), dt.time(20), tzinfo=EASTERN)


def _line(**fields: Any) -> list[Any]:
    return [make_line(**fields)]


# The defect on each kind of entry: fields given to make_entry (a function of the arrival
# date where the defect is a date). Every other field is make_entry's clean default.
DEFECTS: dict[str, Any] = {
    "clean": {},
    "value over $800": {"value": "900"},
    "blank line value": {"lines": _line(value_usd=None)},
    "nominal value": {"value": "0.01"},
    "blank consignee name": {"consignee": {"name": ""}},
    "consignee in France": {
        "consignee": {
            "address": "12 Rue de Rivoli",
            "city": "Paris",
            "state": "",
            "postal_code": "75001",
            "country": "FR",
        }
    },
    "placeholder consignee": {"consignee": {"name": "N/A"}},
    "blank seller name": {"seller": {"name": ""}},
    "PGA disclaimed, no IOR": {"pga_data": "FD1 disclaim"},
    "blank description": {"lines": _line(description="")},
    "description 'gift'": {"lines": _line(description="gift")},
    "8-digit HTS": {"lines": _line(hts_number="6109.10")},
    "Chapter 99 number only": {"lines": _line(hts_number="9903.88.0300")},
    "Chapter 98 number": {"lines": _line(hts_number="9801.00.1000")},
    "China origin": {"lines": _line(country_of_origin="CN")},
    "mail": {"mode": "mail"},
    "wine": {"lines": _line(description="red wine, 750 ml bottle", hts_number="2204.21.5040")},
    "cigarettes": {
        "lines": _line(
            description="filter cigarettes, 20 per pack, 10 packs", hts_number="2402.20.8000"
        )
    },
    "blank bill": {"bill_of_lading": ""},
    "port 9999": {"port_code": "9999"},
    "blank origin": {"lines": _line(country_of_origin="")},
    "filed 2 days after arrival": lambda d: {
        "filed_at": dt.datetime.combine(d + dt.timedelta(days=2), dt.time(10), tzinfo=EASTERN)
    },
    "filed 20 days after arrival": lambda d: {
        "filed_at": dt.datetime.combine(d + dt.timedelta(days=20), dt.time(10), tzinfo=EASTERN)
    },
    "blank EDA": {"estimated_arrival_date": None},
    "EDA 12 days after arrival": lambda d: {"estimated_arrival_date": d + dt.timedelta(days=12)},
}


def _in(days: set[str], code: str) -> dict[str, set[str]]:
    return {day: {code} for day in days}


# The hand table: defect -> {arrival date -> the codes expected besides ELG001/ELG002}. A date
# not named expects none. Reasons, from the domain reference:
# - ELG001 (D1) before 28 Sep 2019; ELG002 (D2) from 29 Aug 2025: on every entry of those dates.
# - Terms of the T86 test (data elements 1-10 of 84 FR 40079 / 89 FR 2630, CBP's T86 FAQ and
#   CSMS messages about T86): only on the test's dates. CON001/CON005 (element 5), CON008
#   (element 4), CON009 (element 10, T86 FAQ), VAL003 (element 8), HTS001/HTS005 (element 9),
#   FIL005 (element 1), FIL012 (element 3), FIL016 (elements 6, 7), ELG004 (the test's mail
#   exclusion), ELG014 (why Section 301 did not bar a T86).
# - Law that applied whatever the entry type: VAL001 (19 U.S.C. 1321(a)(2)(C), 10.151; $800
#   from 10 Mar 2016), VAL004 (1592, 1484), CON002 (Directive 3550-079A, 142.3), DES001/DES002
#   (19 CFR 4.7a, 122.48a, 123.91/92, 128.21), ELG005/ELG007 (10.153(e)): on every date.
#   After 29 Aug 2025 VAL001 says the $800 figure no longer made a shipment eligible (unchanged
#   here; see the report).
# - Dated terms: HTS008 (Chapter 98, warning) from the test's start to 3 Oct 2024, HTS004 from
#   4 Oct 2024 to the end; ELG003 from 2 May 2025 to the end; FIL008 (89 FR 2630) for arrivals
#   from 15 Feb 2024 to the end, FIL009 (84 FR 40079, 15 days) for arrivals before it; FIL010
#   and FIL011 for a T86 submitted (filing day, Eastern) from 25 Jul 2024 while T86 existed.
EXPECTED: dict[str, dict[str, set[str]]] = {
    "clean": {},
    "value over $800": _in(set(DATES), "VAL001"),
    "blank line value": _in(IN_TEST, "VAL003"),
    "nominal value": _in(set(DATES), "VAL004"),
    "blank consignee name": _in(IN_TEST, "CON001"),
    "consignee in France": _in(set(DATES), "CON002"),
    "placeholder consignee": _in(IN_TEST, "CON005"),
    "blank seller name": _in(IN_TEST, "CON008"),
    "PGA disclaimed, no IOR": _in(IN_TEST, "CON009"),
    "blank description": _in(set(DATES), "DES001"),
    "description 'gift'": _in(set(DATES), "DES002"),
    "8-digit HTS": _in(IN_TEST, "HTS001"),
    "Chapter 99 number only": {day: {"HTS005", "ELG014"} for day in IN_TEST},
    "Chapter 98 number": {
        **_in({"2019-09-28", "2024-07-24", "2024-07-25"}, "HTS008"),
        **_in({"2025-05-01", "2025-05-02", "2025-08-28"}, "HTS004"),
    },
    "China origin": _in({"2025-05-02", "2025-08-28"}, "ELG003"),
    "mail": _in(IN_TEST, "ELG004"),
    "wine": _in(set(DATES), "ELG005"),
    "cigarettes": _in(set(DATES), "ELG007"),
    "blank bill": _in(IN_TEST, "FIL005"),
    "port 9999": _in(IN_TEST, "FIL012"),
    "blank origin": _in(IN_TEST, "FIL016"),
    # Filed on 30 Aug 2025 for goods that arrived 28 Aug: late under 89 FR 2630 on the arrival
    # date (FIL008), and transmitted when no T86 was accepted (ELG002).
    "filed 2 days after arrival": {
        **_in({"2024-07-24", "2024-07-25", "2025-05-01", "2025-05-02"}, "FIL008"),
        "2025-08-28": {"FIL008", "ELG002"},
    },
    "filed 20 days after arrival": {
        "2019-09-28": {"FIL009"},
        **_in({"2024-07-24", "2024-07-25", "2025-05-01", "2025-05-02"}, "FIL008"),
        "2025-08-28": {"FIL008", "ELG002"},
    },
    # Filed the evening before: a T86 for 25 Jul 2024 was submitted on 24 Jul, before the EDA
    # was mandatory; one for 29 Aug 2025 on 28 Aug, while it was (and ACE accepted T86).
    "blank EDA": _in({"2025-05-01", "2025-05-02", "2025-08-28", "2025-08-29"}, "FIL010"),
    "EDA 12 days after arrival": _in(
        {"2025-05-01", "2025-05-02", "2025-08-28", "2025-08-29"}, "FIL011"
    ),
}


def _entry(defect: str, day: str, *, serial: int = 7, entry_type: str = "86") -> Entry:
    arrival = _day(day)
    spec = DEFECTS[defect]
    fields = spec(arrival) if callable(spec) else spec
    base: dict[str, Any] = {
        "arrival_date": arrival,
        "filed_at": _evening_before(arrival),
        "estimated_arrival_date": arrival,
        "entry_type": entry_type,
    }
    return make_entry(serial=serial, **{**base, **fields})


def _expected(defect: str, day: str) -> set[str]:
    codes = set(EXPECTED[defect].get(day, set()))
    if day in PRE_TEST:
        codes.add("ELG001")
    if day in POST_END:
        codes.add("ELG002")
    return codes


CASES = [(defect, day) for defect in DEFECTS for day in DATES]


@pytest.mark.parametrize(("defect", "day"), CASES, ids=[f"{d}@{day}" for d, day in CASES])
def test_hand_table(defect: str, day: str) -> None:
    found = {f.code for f in t86audit.audit([_entry(defect, day)]).findings}
    assert found == _expected(defect, day)


def test_the_table_covers_every_rule_family_on_both_sides() -> None:
    # The table must hold, for each family, a finding that stands down outside the test and
    # one that does not (where the family has one): else it compares nothing.
    inside = {code for table in EXPECTED.values() for codes in table.values() for code in codes}
    families = {code[:3] for code in inside}
    assert families == {"VAL", "CON", "DES", "HTS", "ELG", "FIL"}
    outside = {
        code
        for table in EXPECTED.values()
        for day, codes in table.items()
        if day in PRE_TEST | POST_END
        for code in codes
    }
    assert {"VAL001", "VAL004", "CON002", "DES001", "ELG005", "ELG007"} <= outside
    assert not outside & {"CON001", "CON008", "HTS001", "FIL005", "FIL016", "VAL003"}


def test_one_person_one_day_is_judged_before_the_test_and_not_split_by_the_gate() -> None:
    """VAL002 (19 CFR 10.151, 10.153(d)) applied before 2019: two $500 shipments to one person
    on 1 Jun 2018 are over $800 (the second is flagged), beside ELG001 on both."""
    day = _day("2018-06-01")
    pair = [
        make_entry(
            serial=s,
            arrival_date=day,
            value="500",
            filed_at=_evening_before(day),
            estimated_arrival_date=day,
            seller={"name": f"Seller {s}"},
        )
        for s in (11, 12)
    ]
    found = {(f.entry_number, f.code) for f in t86audit.audit(pair).findings}
    first, second = (str(e.number) for e in pair)
    assert found == {(first, "ELG001"), (second, "ELG001"), (second, "VAL002")}


def test_a_bill_on_a_pre_test_record_and_on_a_t86_is_not_a_reused_bill() -> None:
    """FIL007 (one bill per T86, ACE behaviour) stands down before the test, and a record of
    that date does not count towards another entry's group; two T86 of 2021 with one bill are
    still both flagged."""
    bill = "176-12345675"

    def on(day: str, serial: int) -> Entry:
        arrival = _day(day)
        return make_entry(
            serial=serial,
            arrival_date=arrival,
            bill_of_lading=bill,
            filed_at=_evening_before(arrival),
            estimated_arrival_date=arrival,
            consignee={"name": f"Person {serial}"},
        )

    mixed = [on("2018-06-01", 21), on("2021-06-01", 22)]
    assert "FIL007" not in {f.code for f in t86audit.audit(mixed).findings}
    both = [on("2021-06-01", 23), on("2021-06-02", 24)]
    flagged = {f.entry_number for f in t86audit.audit(both).findings if f.code == "FIL007"}
    assert flagged == {str(e.number) for e in both}


def test_one_defect_on_both_sides_of_the_start_in_one_audit() -> None:
    """The verdict cache keys the gated rules by the policy period: one 8-digit HTS number on
    entries of 27 and 28 Sep 2019, in one audit, is HTS001's on the second only."""
    entries = [
        _entry("8-digit HTS", "2019-09-27", serial=31),
        _entry("8-digit HTS", "2019-09-28", serial=32),
        _entry("8-digit HTS", "2026-03-01", serial=33),
    ]
    rules = list(RuleRegistry.default())
    for cache in (True, False):
        found = run_rules(entries, rules, cache_verdicts=cache).findings
        by = {(f.entry_number, f.code) for f in found}
        assert (str(entries[1].number), "HTS001") in by
        assert (str(entries[0].number), "HTS001") not in by
        assert (str(entries[2].number), "HTS001") not in by


@pytest.mark.parametrize("entry_type", ["01", "11"])
@pytest.mark.parametrize("day", ["2018-06-01", "2025-08-29", "2026-03-01", "2021-06-01"])
@pytest.mark.parametrize(
    "defect", ["value over $800", "blank consignee name", "8-digit HTS", "wine", "blank EDA"]
)
def test_other_entry_types_get_no_t86_finding_on_any_date(
    entry_type: str, day: str, defect: str
) -> None:
    """Types 01 and 11 are listed but never judged by a T86 rule, before, during or after."""
    report = t86audit.audit([_entry(defect, day, entry_type=entry_type)])
    assert list(report.findings) == []


def test_a_blank_type_before_the_test_is_flagged_as_a_presumed_t86_only() -> None:
    """A blank type is audited as a presumed T86 (FIL015 says so): before the test that is
    ELG001, and the T86 data-element rules (CON001 here) stand down."""
    entry = _entry("blank consignee name", "2018-06-01", entry_type="")
    assert {f.code for f in t86audit.audit([entry]).findings} == {"ELG001", "FIL015"}


@pytest.mark.parametrize("day", ["2018-06-01", "2026-03-01"])
def test_letter_response_lists_the_t86_terms_as_not_in_force(day: str) -> None:
    entry = _entry("blank consignee name", day)
    population = [entry, *(make_entry(serial=s) for s in range(901, 904))]
    sample = cited_sample(population, [entry.number], id="CBP-1", drawn_at=AT)
    report = t86audit.audit(population, samples=[sample], generated_at=AT)
    (item,) = report.letter_response
    assert {f.code for f in item.findings} == {"ELG001" if day < "2019" else "ELG002"}
    passed = {r.code for r in item.passed}
    for code in ("CON001", "CON008", "HTS001", "FIL005", "FIL016", "VAL003", "ELG004"):
        assert code in item.not_in_force
        assert code not in passed
    reason = next(r.reason for r in item.not_checked if r.rule.code == "CON001")
    assert reason.startswith(f"not in force on the entry's dates: arrived {day} (")
    assert "; T86 not available)" in reason
    # The rules resting on law in force then were checked and passed.
    assert {"VAL001", "CON002", "DES001", "ELG005"} <= passed


def test_letter_response_of_an_entry_in_the_test_checks_the_t86_terms() -> None:
    entry = _entry("clean", "2021-06-01")
    population = [entry, *(make_entry(serial=s) for s in range(901, 904))]
    sample = cited_sample(population, [entry.number], id="CBP-1", drawn_at=AT)
    (item,) = t86audit.audit(population, samples=[sample], generated_at=AT).letter_response
    assert {"CON001", "CON008", "HTS001", "FIL005", "VAL003"} <= {r.code for r in item.passed}
    assert not {"CON001", "CON008", "HTS001", "FIL005", "VAL003"} & set(item.not_in_force)


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("CON001", "**In force:** arrivals from 28 Sep 2019 to 28 Aug 2025"),
        ("HTS008", "**In force:** arrivals from 28 Sep 2019 to 3 Oct 2024"),
        ("HTS004", "**In force:** arrivals from 4 Oct 2024 to 28 Aug 2025"),
        ("FIL009", "**In force:** arrivals from 28 Sep 2019 to 14 Feb 2024"),
        ("VAL001", "**In force:** not limited by date"),
        ("FIL010", "**In force:** on the dates its check tests"),
    ],
)
def test_rule_page_says_when_the_rule_is_in_force(code: str, words: str) -> None:
    rule = RuleRegistry.default().get(code)
    assert words in render_rule(rule)
