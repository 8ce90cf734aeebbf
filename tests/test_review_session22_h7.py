"""Review session 22, helper h7: old filings (2015-2023) judged by the law of their arrival date.

``tests/data/h7_s22_old_filings.csv`` is a hand-built population of 63 entries arriving from
2015 to 2024: across the $200 -> $800 threshold change of 10 Mar 2016, before and after the T86
test began (28 Sep 2019), across the Section 301 list dates of 2018-2019, with HTS numbers valid
in an earlier edition but not in the bundled 2025 ones (and the reverse), filing-time and EDA
rules not yet in force, consignee-day totals on both sides of the threshold change, quota goods
and AD/CVD orders. ``h7_s22_old_filings.expect.json`` holds, per entry, the date-dependent
findings the domain reference calls for, written down before the audit was run, each with its
reason.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

import t86audit
from t86audit.testing import make_entry


DATA = Path(__file__).parent / "data"
POPULATION = DATA / "h7_s22_old_filings.csv"
EXPECTED = json.loads((DATA / "h7_s22_old_filings.expect.json").read_text(encoding="utf-8"))

# The rules whose verdict turns on the arrival (or filing) date: on these the population's
# expectations are complete, so a finding the key does not name is a wrong finding. Other rules
# (descriptions, sellers' value clusters) judge what the hand-made data happens to repeat.
DATED = {
    "ELG001", "ELG002", "ELG003", "ELG009", "ELG011", "ELG014",
    "FIL008", "FIL009", "FIL010", "FIL011",
    "HTS002", "HTS003", "HTS004", "HTS005", "HTS008",
    "VAL001", "VAL002", "VAL005",
}  # fmt: skip


@pytest.fixture(scope="module")
def report() -> t86audit.Report:
    return t86audit.audit(POPULATION, exposure=True)


def _found(report: t86audit.Report) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for f in report.findings:
        found[f.entry_number][f.code] = f.severity.value
    return found


@pytest.mark.parametrize("case", EXPECTED, ids=[f"{e['number']}-{e['arrival']}" for e in EXPECTED])
def test_old_entry_judged_by_law_of_its_arrival_date(
    report: t86audit.Report, case: dict[str, object]
) -> None:
    got = _found(report).get(str(case["number"]), {})
    want = dict(case["expect"])  # type: ignore[call-overload]
    dated = {code: sev for code, sev in got.items() if code in DATED or code in want}
    assert dated == want, case["why"]


def test_adcvd_finding_says_the_order_dates_were_not_checked(report: t86audit.Report) -> None:
    # The wooden cabinets and vanities orders (A-570-106 / C-570-107) were issued in 2020; the
    # entry arrived on 15 Oct 2019. The bundled table has no order dates, so the warning must
    # not read as if the order had been checked to be in force then.
    [finding] = [
        f for f in report.findings if f.code == "ELG009" and "A-570-106" in (f.message or "")
    ]
    assert finding.severity.value == "warning"
    assert "no order dates" in finding.message
    assert "in force on the arrival date" in finding.message


def test_adcvd_confirmed_match_says_the_order_dates_were_not_checked() -> None:
    entry = make_entry(
        arrival_date=dt.date(2019, 10, 15),
        lines=[
            {
                "description": "wooden cased graphite pencils",
                "hts_number": "9609.10.00.00",
                "country_of_origin": "CN",
                "value_usd": "6.00",
            }
        ],
    )
    found = t86audit.audit(
        [entry], select=["ELG010"], options={"ELG010": {"confirmed_cases": ["A-570-827"]}}
    ).findings
    assert [f.code for f in found] == ["ELG010"]
    assert "no order dates" in found[0].message


def test_section_301_exposure_follows_the_list_dates(report: t86audit.Report) -> None:
    # Exposure of pre-test entries names what a dutiable entry would have paid, with the
    # Section 301 rate of the arrival date: List 3 was 10% to 9 May 2019 and 25% from 10 May
    # 2019; List 4A 15% from 1 Sep 2019 (domain reference 7.3 E-3).
    notes = {}
    for item in report.exposure.entries if report.exposure else ():
        for line in item.lines:
            for amount in line.amounts:
                notes[item.entry_number] = amount.note
    by_arrival = {str(e["arrival"]): str(e["number"]) for e in EXPECTED}
    assert "List 3 (9903.88.03) 10%" in notes[by_arrival["2019-05-09"]]
    assert "List 3 (9903.88.03) 25%" in notes[by_arrival["2019-05-10"]]
    assert "List 4A (9903.88.15) 15%" in notes[by_arrival["2019-09-01"]]
    # List 1 began on 6 Jul 2018; the valve is a List 3 good, not yet charged on 1 Aug 2018.
    assert "Section 301" not in notes[by_arrival["2018-08-01"]]


@pytest.mark.parametrize(
    ("code", "changes"),
    [
        ("CON008", {"seller": {"name": ""}}),
        ("CON001", {"consignee": {"name": ""}}),
        ("FIL005", {"bill_of_lading": ""}),
    ],
)
def test_data_element_finding_on_a_2021_entry_cites_the_2019_notice(
    code: str, changes: dict[str, Any]
) -> None:
    # A T86 of 2021 was filed under the 2019 test notice (84 FR 40079); the 2024 republication
    # (89 FR 2630) took effect on 15 Feb 2024. A data-element finding must cite the notice in
    # force on the arrival date, not only the later one (domain reference 2.1: the ten elements
    # of the 2019 notice were carried into the 2024 republication).
    entry = make_entry(arrival_date=dt.date(2021, 6, 1), **changes)
    [finding] = list(t86audit.audit([entry], select=[code]).findings)
    cited = {(c.instrument, c.section) for c in finding.citations}
    assert ("84 FR", "40079") in cited
