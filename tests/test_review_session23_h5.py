"""Review session 23, helper h5: entries at the edges of the T86 period, and blank types.

Written by hand from the domain reference before the code ran (section 1; D2 of section 3.2:
ACE rejected every T86 from 12:01 a.m. EDT 29 Aug 2025, and a T86 transmitted after arrival
enters the goods when it is transmitted):

- A T86 transmitted on or after 29 Aug 2025 (Eastern) for goods that arrived on 27 or 28 Aug is
  ELG002 and FIL008: the law that governed that filing had no T86, so the test's data elements
  (CON001, HTS001) stand down; the deadline (FIL008, 3.7 F1) is keyed on arrival, when the goods
  were under the test, so the T86 is still late. Transmitted in the minute before
  12:01 a.m., or on the arrival day, it is judged by the test (no ELG002).
- A record with a blank entry type dated before the test or after its end is a T86 only by
  presumption (FIL015); then it is more likely a type 11/01 entry, so ELG001/ELG002 are
  warnings that say so. With type 86 they stay violations.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

import t86audit
from t86audit.engine import run_rules
from t86audit.findings import Severity
from t86audit.registry import RuleRegistry
from t86audit.sample import cited_sample
from t86audit.testing import make_entry, make_line


EASTERN = ZoneInfo("America/New_York")
AT = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)

DEFECTS: dict[str, dict[str, Any]] = {
    "clean": {},
    "blank consignee": {"consignee": {"name": ""}},
    "8-digit HTS": {"lines": [make_line(hts_number="6109.10")]},
}
DEFECT_CODE = {"clean": set(), "blank consignee": {"CON001"}, "8-digit HTS": {"HTS001"}}


def _at(day: str, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime.combine(
        dt.date.fromisoformat(day), dt.time(hour, minute, second), tzinfo=EASTERN
    )


# (arrival, filed_at, codes expected besides the defect's own, whether the defect is judged)
EDGE = [
    ("2025-08-27", _at("2025-08-26", 20), set(), True),
    ("2025-08-27", _at("2025-08-28", 23, 59), {"FIL008"}, True),  # late, while T86 existed
    ("2025-08-27", _at("2025-08-29", 10), {"ELG002", "FIL008"}, False),
    ("2025-08-27", _at("2025-08-30", 10), {"ELG002", "FIL008"}, False),
    ("2025-08-28", _at("2025-08-27", 20), set(), True),
    ("2025-08-28", _at("2025-08-28", 23, 59), set(), True),
    # 00:00:30 EDT on 29 Aug: before the 12:01 a.m. cut-over, late under 89 FR 2630.
    ("2025-08-28", _at("2025-08-29", 0, 0, 30), {"FIL008"}, True),
    ("2025-08-28", _at("2025-08-29", 10), {"ELG002", "FIL008"}, False),
    ("2025-08-28", dt.datetime(2025, 8, 29, 14, tzinfo=dt.UTC), {"ELG002", "FIL008"}, False),
    ("2025-08-28", _at("2025-08-30", 10), {"ELG002", "FIL008"}, False),
    ("2025-08-29", _at("2025-08-28", 20), {"ELG002"}, False),
    ("2025-08-29", _at("2025-08-29", 10), {"ELG002"}, False),
    ("2025-08-30", _at("2025-08-29", 20), {"ELG002"}, False),
    ("2025-08-30", _at("2025-08-30", 10), {"ELG002"}, False),
]
CASES = [(a, f, other, judged, d) for a, f, other, judged in EDGE for d in DEFECTS]


def _entry(arrival: str, filed: dt.datetime, defect: str, **extra: Any) -> Any:
    day = dt.date.fromisoformat(arrival)
    fields = {"arrival_date": day, "filed_at": filed, "estimated_arrival_date": day}
    return make_entry(serial=7, **{**fields, **DEFECTS[defect], **extra})


@pytest.mark.parametrize(
    ("arrival", "filed", "other", "judged", "defect"),
    CASES,
    ids=[f"{a}-filed-{f.isoformat()}-{d}" for a, f, _, _, d in CASES],
)
def test_edge_of_the_end(
    arrival: str, filed: dt.datetime, other: set[str], judged: bool, defect: str
) -> None:
    findings = t86audit.audit([_entry(arrival, filed, defect)]).findings
    expected = other | (DEFECT_CODE[defect] if judged else set())
    assert {f.code for f in findings} == expected
    assert all(f.severity is Severity.VIOLATION for f in findings)


def test_late_t86_after_the_end_cites_eo_14324_and_says_when_it_was_sent() -> None:
    entry = _entry("2025-08-28", _at("2025-08-30", 10), "blank consignee")
    findings = {f.code: f for f in t86audit.audit([entry]).findings}
    assert set(findings) == {"ELG002", "FIL008"}
    finding = findings["ELG002"]
    assert finding.field == "filed_at"
    assert finding.policy_period == "t86-ended"
    assert "transmitted on 2025-08-30 (U.S. Eastern)" in finding.message
    assert "EO 14324" in finding.message
    assert "no T86 was accepted" in finding.message
    cited = [str(c) for c in finding.citations]
    assert cited[0] == "EO 14324"
    assert "CSMS 66065494" in cited


@pytest.mark.parametrize("cache", [True, False])
def test_one_input_filed_before_and_after_the_end_in_one_audit(cache: bool) -> None:
    """The verdict cache keys CON001 by its inputs and the arrival gate, not the filing time:
    two entries alike but for filed_at must still differ."""
    before = _entry("2025-08-28", _at("2025-08-27", 20), "blank consignee")
    after = make_entry(
        serial=8,
        arrival_date=dt.date(2025, 8, 28),
        filed_at=_at("2025-08-29", 10),
        estimated_arrival_date=dt.date(2025, 8, 28),
        consignee={"name": ""},
    )
    rules = list(RuleRegistry.default())
    for order in ([before, after], [after, before]):
        found = run_rules(order, rules, cache_verdicts=cache).findings
        by = {(f.entry_number, f.code) for f in found}
        assert by == {
            (str(before.number), "CON001"),
            (str(after.number), "ELG002"),
            (str(after.number), "FIL008"),
        }


def test_a_bill_on_a_t86_sent_after_the_end_is_in_no_fil007_group() -> None:
    bill = "176-12345675"
    during = make_entry(
        serial=41,
        arrival_date=dt.date(2025, 8, 27),
        filed_at=_at("2025-08-26", 20),
        estimated_arrival_date=dt.date(2025, 8, 27),
        bill_of_lading=bill,
        consignee={"name": "Person A"},
    )
    sent_after = make_entry(
        serial=42,
        arrival_date=dt.date(2025, 8, 28),
        filed_at=_at("2025-08-29", 10),
        estimated_arrival_date=dt.date(2025, 8, 28),
        bill_of_lading=bill,
        consignee={"name": "Person B"},
    )
    codes = {(f.entry_number, f.code) for f in t86audit.audit([during, sent_after]).findings}
    assert codes == {(str(sent_after.number), "ELG002"), (str(sent_after.number), "FIL008")}


@pytest.mark.parametrize(("arrival", "code"), [("2018-06-01", "ELG001"), ("2026-03-01", "ELG002")])
@pytest.mark.parametrize(("entry_type", "severity"), [("", "warning"), ("86", "violation")])
def test_blank_type_outside_the_test_is_a_warning(
    arrival: str, code: str, entry_type: str, severity: str
) -> None:
    day = dt.date.fromisoformat(arrival)
    entry = make_entry(
        serial=9,
        arrival_date=day,
        filed_at=_at(str(day - dt.timedelta(days=1)), 20),
        estimated_arrival_date=day,
        entry_type=entry_type,
        consignee={"name": ""},
    )
    findings = {f.code: f for f in t86audit.audit([entry]).findings}
    expected = {code, "FIL015"} if not entry_type else {code}
    assert set(findings) == expected
    assert findings[code].severity.value == severity
    says = "type was not given (FIL015), so this is a T86 only by presumption"
    assert (says in findings[code].message) is (not entry_type)


def test_blank_type_inside_the_test_is_judged_as_a_t86() -> None:
    entry = make_entry(
        serial=10,
        arrival_date=dt.date(2021, 6, 1),
        filed_at=_at("2021-05-31", 20),
        estimated_arrival_date=dt.date(2021, 6, 1),
        entry_type="",
        consignee={"name": ""},
    )
    found = {f.code: f.severity for f in t86audit.audit([entry]).findings}
    assert found == {"CON001": Severity.VIOLATION, "FIL015": Severity.WARNING}


def test_blank_and_t86_types_share_no_cached_elg001_verdict() -> None:
    def on(serial: int, entry_type: str) -> Any:
        return make_entry(
            serial=serial,
            arrival_date=dt.date(2018, 6, 1),
            filed_at=_at("2018-05-31", 20),
            estimated_arrival_date=dt.date(2018, 6, 1),
            entry_type=entry_type,
        )

    entries = [on(51, "86"), on(52, ""), on(53, "86")]
    found = run_rules(entries, list(RuleRegistry.default())).findings
    severity = {f.entry_number: f.severity for f in found if f.code == "ELG001"}
    assert [severity[str(e.number)] for e in entries] == [
        Severity.VIOLATION,
        Severity.WARNING,
        Severity.VIOLATION,
    ]


def test_letter_response_of_a_t86_sent_after_the_end() -> None:
    entry = _entry("2025-08-28", _at("2025-08-29", 10), "blank consignee")
    population = [entry, *(make_entry(serial=s) for s in range(901, 904))]
    sample = cited_sample(population, [entry.number], id="CBP-1", drawn_at=AT)
    (item,) = t86audit.audit(population, samples=[sample], generated_at=AT).letter_response
    assert {f.code for f in item.findings} == {"ELG002", "FIL008"}
    passed = {r.code for r in item.passed}
    for code in ("CON001", "HTS001", "FIL005"):
        assert code in item.not_in_force
        assert code not in passed
    reason = next(r.reason for r in item.not_checked if r.rule.code == "CON001")
    assert "T86 filed 2025-08-29 (t86-ended" in reason
    assert {"VAL001", "DES001"} <= passed
