"""Twenty-second session (h1): filing rules and the reading of dates and entry numbers.

Each case is worked out by hand from the domain reference (section 1 and 3.7, F3-F5) and the
input contract, not from what the code returns.
"""

from __future__ import annotations

import datetime as dt

import pytest

import t86audit
from t86audit.model import us_eastern
from t86audit.sample import cited_sample
from t86audit.testing import make_entry


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
