"""Session 24, lead: the Chapter 98 rules judged by a late T86's transmission (found by h6)."""

from __future__ import annotations

import datetime as dt
import pickle
from typing import Any

import t86audit
from t86audit.model import us_eastern
from t86audit.rules._base import on_entry, t86_test_running
from t86audit.testing import make_entry


def _et(year: int, month: int, day: int, hour: int) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=us_eastern())


def _codes(**fields: Any) -> list[str]:
    entry = make_entry(
        lines=[{"hts_number": "9801.00.10.98", "description": "men's leather belt, return"}],
        **fields,
    )
    report = t86audit.audit([entry], select=["HTS004", "HTS008"], exposure=False)
    return sorted(f.code for f in report.findings)


def test_a_chapter_98_number_sent_after_the_t86_ended_is_not_judged_by_the_t86_guidance() -> None:
    # Arrived 28 Aug 2025, transmitted 29 Aug 2025 10:00 ET: after 12:01 a.m. EDT that day no
    # T86 was accepted (ELG002's finding); the T86 test's terms did not govern it.
    assert _codes(arrival_date=dt.date(2025, 8, 28), filed_at=_et(2025, 8, 29, 10)) == []
    # Transmitted on time, the same entry is HTS004's (after CSMS 62520662 of about 4 Oct 2024).
    assert _codes(arrival_date=dt.date(2025, 8, 28), filed_at=_et(2025, 8, 27, 20)) == ["HTS004"]


def test_a_late_t86_inside_the_test_keeps_the_guidance_dated_by_arrival() -> None:
    # Arrived 1 Oct 2024, before the CSMS; sent 10 Oct 2024, after it but during the test:
    # the guidance still postdates the arrival, so HTS008 (a warning) is the finding.
    assert _codes(arrival_date=dt.date(2024, 10, 1), filed_at=_et(2024, 10, 10, 9)) == ["HTS008"]


def test_on_entry_with_its_own_transmission_test_pickles_and_names_both() -> None:
    def dated(period: object) -> bool:
        return True

    gate = on_entry(t86_test_running)
    assert pickle.loads(pickle.dumps(gate)).late is t86_test_running
    assert repr(on_entry(dated, t86_test_running)).endswith(", t86_test_running)")


def test_the_json_report_lists_the_records_not_priced_by_number() -> None:
    # A record with a blank type that arrived in 2018, before any T86 could be made, valued
    # over the limit: VAL001 is presumed (a warning) and the exposure leaves it out, by number.
    untyped = make_entry(
        entry_number="B76-0000001-5",
        entry_type="",
        arrival_date=dt.date(2018, 6, 15),
        value="950.00",
    )
    typed = make_entry(entry_number="B76-0000002-3", arrival_date=dt.date(2024, 6, 3), value="950")
    report = t86audit.audit([untyped, typed], select=["VAL001"])
    exposure = report.to_dict()["exposure"]
    assert [row["entry_number"] for row in exposure["not_priced"]] == ["B76-0000001-5"]
    assert exposure["not_priced"][0]["codes"] == ["VAL001"]
    assert "blank" in exposure["not_priced"][0]["reason"]
    assert [e["entry_number"] for e in exposure["entries"]] == ["B76-0000002-3"]
