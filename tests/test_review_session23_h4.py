"""Review session 23, helper h4: a finding cites only sources that existed on its entry's date.

Citations were fixed per rule: a finding on an entry of 2020 cited the republished T86 notice
(89 FR 2630, in force from 15 Feb 2024) or CBP's cargo messages of April 2024 as though they
were its basis. Each citation now carries its date (a binding source's effective date,
guidance's issue date, from the domain reference), and a finding shows only what was law (or
said) by the date whose law it applied: a later notice or order is left out, a superseded
notice too (84 FR 40079 from 15 Feb 2024), and later CBP guidance is shown marked as CBP's later
reading of the law in force, never as the basis.

The expected citations below were written by hand from the domain reference's timeline (1),
before the code ran: 84 FR 40079 governs 28 Sep 2019 to 14 Feb 2024, 89 FR 2630 from 15 Feb
2024; the T86 FAQ was first released about 4 Oct 2019; HQ H290219 is of 28 Jul 2020, CBP's
warehouse FAQ of 18 Feb 2021; CSMS 60011750 of 1 Apr 2024, CSMS 60144714 of 11 Apr 2024.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

import t86audit
from t86audit.findings import (
    BINDING_BASES,
    LATER_GUIDANCE,
    Citation,
    Finding,
    Hit,
    Severity,
    cited_on,
)
from t86audit.policy import default_policy
from t86audit.registry import RuleRegistry
from t86audit.rules import BUILTIN_PACK, Example, RulePack, rule
from t86audit.rules._base import on_arrival
from t86audit.sample import cited_sample
from t86audit.testing import make_entry


AT = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)

DEC_2019 = "2019-12-10"
JUN_2021 = "2021-06-10"
FEB_2024 = "2024-02-10"  # the republished notice is published (16 Jan) but not yet in force
JUN_2025 = "2025-06-10"
DATES = (DEC_2019, JUN_2021, FEB_2024, JUN_2025)

CFR_DESC = ["19 CFR 4.7a", "19 CFR 122.48a", "19 CFR 123.91", "19 CFR 123.92", "19 CFR 128.21"]
FAQ = "CBP Entry Type 86 Frequently Asked Questions"
H290219 = "CBP ruling HQ H290219 (28 Jul 2020)"
WAREHOUSE = "CBP Administrative Ruling Related to Domestic Warehouses and Fulfillment Centers FAQs"
DIRECTIVE = "CBP Directive 3550-079A"

SELLER_CN = {"name": "Guangzhou Star Apparel Co", "address": "8 Huangpu Ave", "country": "CN"}

# Each defect, as make_entry overrides and the options it needs.
DEFECTS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "VAL001": ({"value": "900.00"}, {}),
    "VAL004": ({"value": "0.01"}, {}),
    "DES001": ({"lines": [{"description": ""}]}, {}),
    "DES002": ({"lines": [{"description": "gift"}]}, {}),
    "CON002": ({"consignee": {"country": "CN", "state": "", "postal_code": ""}}, {}),
    "CON003": (
        {"seller": SELLER_CN, "consignee": {**SELLER_CN, "state": "", "postal_code": ""}},
        {},
    ),
    "ELG011": ({}, {"ELG011": {"quota_hts": ["6109"]}}),
}

# (rule, date) -> the citations shown, in order; a trailing "*" marks later guidance.
EXPECTED: dict[tuple[str, str], list[str]] = {}
for _day in DATES:
    EXPECTED["VAL001", _day] = ["19 U.S.C. 1321(a)(2)(C)", "19 CFR 10.151", FAQ]
    EXPECTED["ELG011", _day] = ["19 CFR 10.153(g)", FAQ]
    EXPECTED["VAL004", _day] = ["19 U.S.C. 1592(a)", "19 U.S.C. 1484(a)"]
    EXPECTED["DES001", _day] = list(CFR_DESC)
    EXPECTED["DES002", _day] = [*CFR_DESC, "CSMS 60011750*", "CSMS 60144714*"]
    EXPECTED["CON002", _day] = [DIRECTIVE, "19 CFR 142.3(a)(6)", H290219]
    EXPECTED["CON003", _day] = [H290219, WAREHOUSE, DIRECTIVE]
# 89 FR 2630 governs arrivals from 15 Feb 2024 only.
EXPECTED["VAL004", JUN_2025] = ["19 U.S.C. 1592(a)", "19 U.S.C. 1484(a)", "89 FR 2630"]
EXPECTED["DES001", JUN_2025] = [*CFR_DESC, "89 FR 2630"]
# The April 2024 cargo messages are the basis only from their dates.
EXPECTED["DES002", JUN_2025] = [*CFR_DESC, "CSMS 60011750", "CSMS 60144714"]
# The ruling (Jul 2020) and its FAQ (Feb 2021) postdate an entry of Dec 2019.
EXPECTED["CON002", DEC_2019] = [DIRECTIVE, "19 CFR 142.3(a)(6)", H290219 + "*"]
EXPECTED["CON003", DEC_2019] = [DIRECTIVE, H290219 + "*", WAREHOUSE + "*"]


def _audit(code: str, day: str, **changes: Any) -> t86audit.Report:
    overrides, options = DEFECTS[code]
    entry = make_entry(arrival_date=day, **{**overrides, **changes})
    return t86audit.audit([entry], select=[code], options=options, generated_at=AT)


def _shown(finding: Finding) -> list[str]:
    return [str(c) + ("*" if c.later_guidance else "") for c in finding.citations]


def _only(report: t86audit.Report, code: str) -> Finding:
    found = [f for f in report.findings if f.code == code]
    assert len(found) == 1, [(f.code, f.message) for f in report.findings]
    return found[0]


@pytest.mark.parametrize(("code", "day"), sorted(EXPECTED))
def test_a_finding_shows_the_citations_dated_by_its_entry(code: str, day: str) -> None:
    report = _audit(code, day)
    finding = _only(report, code)

    assert _shown(finding) == EXPECTED[code, day]
    # Severity follows the rule: every one of these keeps its binding basis on its date.
    assert finding.severity is BUILTIN_PACK.rules[_index(code)].severity
    for c in finding.citations:
        assert (
            c.date is None
            or c.date <= dt.date.fromisoformat(day)
            or c.later_guidance
            or (c.date_kind in ("in force by", "sets the date"))
        )


def _index(code: str) -> int:
    return [r.code for r in BUILTIN_PACK.rules].index(code)


@pytest.mark.parametrize("day", DATES)
def test_the_json_report_dates_each_citation_and_marks_later_guidance(day: str) -> None:
    report = _audit("DES002", day)
    doc = json.loads(report.to_json())
    (finding,) = [f for f in doc["findings"] if f["code"] == "DES002"]
    details = {d["text"]: d for d in finding["citation_details"]}

    # The citation texts stay the contract's strings; the details say which are later.
    assert finding["citations"] == [c.rstrip("*") for c in EXPECTED["DES002", day]]
    message = details["CSMS 60011750"]
    assert message["date"] == "2024-04-01"
    assert message["date_kind"] == "issued"
    later = day < "2024-04-01"
    assert message["later_guidance"] is later
    assert message["later_note"] == (LATER_GUIDANCE if later else "")
    assert details["CSMS 60144714"]["date"] == "2024-04-11"
    regulation = details["19 CFR 4.7a"]
    assert regulation["later_guidance"] is False
    # Older than the T86 test, but undated in the domain reference (session 24: no longer
    # "in force by 28 Sep 2019", a day that is not the regulation's).
    assert regulation["date"] is None
    assert regulation["date_kind"] is None
    assert "UNVERIFIED" in regulation["date_note"]
    assert regulation["later_note"] == ""


def test_json_of_a_2021_finding_leaves_out_the_2024_notice() -> None:
    doc = json.loads(_audit("VAL004", JUN_2021).to_json())
    (finding,) = doc["findings"]
    assert "89 FR 2630" not in finding["citations"]
    assert [d["text"] for d in finding["citation_details"]] == finding["citations"]
    assert all(d["later_guidance"] is False for d in finding["citation_details"])


def test_the_text_report_marks_later_guidance_and_dates_the_law() -> None:
    text = _audit("DES002", JUN_2021).to_text()
    (law,) = [line for line in text.splitlines() if line.startswith("Law ")]

    assert (
        "CSMS 60011750 (vague merchandise description cargo messages, 1 Apr 2024; issued 1 Apr "
        "2024)" in law
    )
    assert (
        "[on an entry before 1 Apr 2024: issued after this entry; cited as CBP's later "
        "reading of the law in force]" in law
    )
    # h6: the five sections that say the same of themselves are cited together (session 23).
    # Session 24: undated (UNVERIFIED), no longer "in force by 28 Sep 2019".
    assert "19 CFR 4.7a, 122.48a, 123.91, 123.92 and 128.21 (older than the T86 test" in law


def test_the_text_report_of_a_2025_entry_presents_the_messages_as_basis() -> None:
    text = _audit("DES002", JUN_2025).to_text()
    (law,) = [line for line in text.splitlines() if line.startswith("Law ")]
    assert "CSMS 60011750" in law
    assert "issued after this entry" not in law


def test_the_text_report_of_a_2021_entry_omits_the_2024_notice() -> None:
    text = _audit("DES001", JUN_2021).to_text()
    (law,) = [line for line in text.splitlines() if line.startswith("Law ")]
    assert "89 FR 2630" not in law
    assert "and 128.21" in law  # h6: 19 CFR 4.7a, 122.48a, ... and 128.21, cited together


def test_a_group_of_entries_on_both_sides_of_a_date_says_which_are_later() -> None:
    entries = [
        make_entry(serial=1, arrival_date=JUN_2021, lines=[{"description": "gift"}]),
        make_entry(
            serial=2,
            arrival_date=JUN_2025,
            lines=[{"description": "gift"}],
            consignee={"name": "Mary Major"},
        ),
    ]
    report = t86audit.audit(entries, select=["DES002"], generated_at=AT)
    by_entry = {f.entry_number: _shown(f) for f in report.findings}
    assert by_entry == {
        entries[0].number: EXPECTED["DES002", JUN_2021],
        entries[1].number: EXPECTED["DES002", JUN_2025],
    }
    (law,) = [line for line in report.to_text().splitlines() if line.startswith("Law ")]
    # Said once, with the date that decides: later for the 2021 entry, the basis for 2025.
    assert law.count("CSMS 60011750") == 1
    assert "[on an entry before 1 Apr 2024:" in law


def test_csv_marks_later_guidance_in_the_citations_cell() -> None:
    csv_text = _audit("CON002", DEC_2019).to_csv()
    assert (
        "CBP ruling HQ H290219 (28 Jul 2020) [issued after this entry; cited as CBP's later "
        "reading of the law in force]" in csv_text
    )
    csv_2021 = _audit("CON002", JUN_2021).to_csv()
    assert "HQ H290219 (28 Jul 2020); " not in csv_2021  # last of three: no separator after
    assert "issued after this entry" not in csv_2021


def test_the_letter_response_marks_later_guidance() -> None:
    entry = make_entry(
        arrival_date=DEC_2019, consignee={"country": "CN", "state": "", "postal_code": ""}
    )
    population = [entry, *(make_entry(serial=s) for s in range(901, 904))]
    cited = cited_sample(population, [entry.number], id="CBP-1", drawn_at=AT)
    report = t86audit.audit(population, select=["CON002"], samples=[cited], generated_at=AT)
    text = report.to_text()
    letter = text[text.index("Letter response") :]
    assert (
        "19 CFR 142.3(a)(6); CBP ruling HQ H290219 (28 Jul 2020) [issued after this entry; "
        "cited as CBP's later reading of the law in force]" in letter
    )


# -- the notices, orders and rules touched ----------------------------------------------------


def test_data_element_9_cites_the_notice_in_force() -> None:
    # No heading 1234 exists: HTS003 (a number missing from the schedule, bundled edition).
    for day, notice in ((JUN_2021, "84 FR 40079"), (JUN_2025, "89 FR 2630")):
        entry = make_entry(arrival_date=day, lines=[{"hts_number": "1234.56.78.90"}])
        report = t86audit.audit([entry], select=["HTS003"], generated_at=AT)
        shown = _shown(_only(report, "HTS003"))
        other = "89 FR 2630" if notice == "84 FR 40079" else "84 FR 40079"
        assert shown[0] == notice
        assert other not in shown
        # HS 2022 (Proclamation 10326) took effect 27 Jan 2022: not cited for 2021.
        assert ("Presidential Proclamation 10326 (23 Dec 2021)" in shown) is (day == JUN_2025)


def test_elg001_cites_the_2019_notice_for_the_day_the_test_began() -> None:
    report = t86audit.audit(
        [make_entry(arrival_date="2019-06-01")], select=["ELG001"], generated_at=AT
    )
    finding = _only(report, "ELG001")
    assert _shown(finding) == ["84 FR 40079"]
    assert finding.severity is Severity.VIOLATION
    assert finding.citations[0].date_kind == "sets the date"


def test_elg002_marks_the_later_cbp_notice() -> None:
    report = t86audit.audit(
        [make_entry(arrival_date="2025-08-30")], select=["ELG002"], generated_at=AT
    )
    finding = _only(report, "ELG002")
    assert _shown(finding) == ["EO 14324", "CSMS 66065494", "90 FR 42418*"]
    assert finding.severity is Severity.VIOLATION
    notice = finding.citations[2]
    assert notice.later_note is not None
    assert "suspension in force from 29 Aug 2025" in notice.later_note


def test_elg003_in_february_2025_leaves_out_the_may_order() -> None:
    entry = make_entry(arrival_date="2025-02-05", lines=[{"country_of_origin": "CN"}])
    report = t86audit.audit([entry], select=["ELG003"], generated_at=AT)
    finding = _only(report, "ELG003")
    # Session 24 h2: CSMS 64792502 announced the May gate (a new requirement), so it is no
    # later reading of the February one and is left out with EO 14256 (domain reference D3).
    assert _shown(finding) == ["EO 14195", "CSMS 63992482", "CSMS 64082249*"]
    assert finding.severity is Severity.VIOLATION


def test_elg004_before_2024_says_the_mail_exclusion_of_2019_is_unverified() -> None:
    report = t86audit.audit(
        [make_entry(arrival_date=JUN_2021, mode="mail")], select=["ELG004"], generated_at=AT
    )
    finding = _only(report, "ELG004")
    assert _shown(finding) == [FAQ, "89 FR 2630*"]
    later = finding.citations[1].later_note or ""
    assert "UNVERIFIED" in later
    assert "2019 notice" in later


def test_the_faq_is_later_guidance_for_the_first_days_of_the_test() -> None:
    report = _audit("VAL001", "2019-10-01")
    assert _shown(_only(report, "VAL001")) == [
        "19 U.S.C. 1321(a)(2)(C)",
        "19 CFR 10.151",
        FAQ + "*",
    ]


# -- the severity follows the basis on the entry's date ---------------------------------------


def _judged_days(rule_code: str) -> list[dt.date]:
    """Days a built-in violation rule can judge under the default policy table."""
    policy = default_policy()
    days = [dt.date(2012, 1, 1) + dt.timedelta(days=i) for i in range(0, 16 * 366, 3)]
    if rule_code == "ELG001":
        return [d for d in days if d < dt.date(2019, 9, 28)]
    if rule_code == "ELG002":
        return [d for d in days if d >= dt.date(2025, 8, 29)]
    if rule_code == "ELG003":
        return [
            d
            for d in days
            if dt.date(2025, 2, 4) <= d < dt.date(2025, 2, 7) or d >= dt.date(2025, 5, 2)
        ] + [dt.date(2025, 2, 4), dt.date(2025, 2, 6)]
    r = BUILTIN_PACK.rules[_index(rule_code)]
    if not isinstance(r.in_force, on_arrival):
        return days
    spans = r.in_force.spans(policy)
    return [d for d in days if any(a <= d and (b is None or d <= b) for a, b in spans)]


@pytest.mark.parametrize(
    "code", [r.code for r in BUILTIN_PACK.rules if r.severity is Severity.VIOLATION]
)
def test_every_builtin_violation_keeps_a_binding_basis_on_the_dates_it_judges(code: str) -> None:
    r = BUILTIN_PACK.rules[_index(code)]
    for day in _judged_days(code):
        shown = cited_on(r.citations, day)
        current = [c for c in shown if not c.later_guidance]
        assert any(c.basis in BINDING_BASES for c in current), (code, day, shown)


def test_every_builtin_citation_is_dated_or_says_why_not() -> None:
    for r in BUILTIN_PACK.rules:
        for c in r.citations:
            assert c.date is not None or c.date_note, (r.code, str(c))
            if c.date is None:
                assert (
                    "UNVERIFIED" in c.date_note
                    or "edition" in c.date_note
                    or ("database" in c.date_note)
                ), (r.code, str(c), c.date_note)


def _later_notice_rule() -> Any:
    @rule(
        "ZZD001",
        name="needs-later-notice",
        severity="violation",
        scope="entry",
        citations=[
            Citation("89 FR", "2630", date=dt.date(2024, 2, 15)),
            Citation("CBP", "guidance page", date=dt.date(2019, 1, 1), date_kind="issued"),
        ],
        summary="Flags every entry (test rule).",
        rationale="A rule whose only binding source is the 2024 notice.",
        reasonable_care="None.",
        examples=[
            Example("any entry", lambda: [make_entry()], flagged=["B76-0000001-5"]),
            Example("none", list),
        ],
    )
    def needs_later_notice(entry: Any, ctx: Any) -> Any:
        yield Hit(entry, message="flagged", field="entry_number")

    return needs_later_notice


def test_a_violation_without_a_binding_source_on_its_date_is_a_warning() -> None:
    pack = RulePack(name="zz", version="1", prefixes=("ZZD",), rules=(_later_notice_rule(),))
    registry = RuleRegistry([pack])
    entries = [
        make_entry(serial=1, arrival_date=JUN_2021),
        make_entry(serial=2, arrival_date=JUN_2025),
    ]
    report = t86audit.audit(entries, registry=registry, generated_at=AT)
    by_entry = {f.entry_number: f for f in report.findings}
    early, late = by_entry[entries[0].number], by_entry[entries[1].number]

    assert early.severity is Severity.WARNING
    assert early.basis == "guidance"
    assert _shown(early) == ["CBP guidance page"]
    assert late.severity is Severity.VIOLATION
    assert late.basis == "federal-register"
    assert _shown(late) == ["89 FR 2630", "CBP guidance page"]


def test_rule_pages_give_each_citation_its_date() -> None:
    from t86audit.docgen import render_rule  # noqa: PLC0415

    page = render_rule(BUILTIN_PACK.rules[_index("DES002")])
    assert (
        "CSMS 60011750: vague merchandise description cargo messages, 1 Apr 2024. Date: issued "
        "1 Apr 2024. On an entry before 1 Apr 2024: issued after this entry; cited as CBP's "
        "later reading of the law in force." in page
    )
    fr = render_rule(BUILTIN_PACK.rules[_index("VAL004")])
    assert "Not cited on an entry before 15 Feb 2024." in fr
