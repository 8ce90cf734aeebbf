"""Session 23, h7: the exposure estimate names trade preferences (USMCA, NAFTA, FTAs).

The estimate charges the general (column 1) rate whatever the origin. A line whose origin has a
preference programme in force on the rate date, and whose subheading's special column (HTSUS
2025 snapshot) lists that programme, now says that the duty, or part of it, would not be owed
if the goods qualified and a claim was made. The amounts never change. Hand cases: a T-shirt
(6109.10.00, 16.5% general, special "Free (...,AU,...,IL,...,KR,...,P,...,S,SG)") at $1,000
owes $165.00 general duty whatever the origin.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

import t86audit
from t86audit.exposure import estimate_entry
from t86audit.exposure.tables import DutyTables, special_rates
from t86audit.model import Entry, LineItem
from t86audit.testing import make_entry


SHIRT = "6109.10.00.12"


def _general(country: str, day: dt.date, hts: str = SHIRT, value: str = "1000"):
    entry = Entry(
        "H7T-0000001-0",
        day,
        lines=[LineItem(1, hts_number=hts, country_of_origin=country, value_usd=Decimal(value))],
    )
    exposure = estimate_entry(entry, ["VAL001"])
    return exposure, exposure.lines[0].amounts[0]


@pytest.mark.parametrize(
    ("country", "day", "program", "indicator"),
    [
        ("MX", dt.date(2020, 7, 1), "USMCA", "S"),  # USMCA's first day
        ("CA", dt.date(2023, 3, 15), "USMCA", "S"),
        ("Mexico", dt.date(2025, 2, 1), "USMCA", "S"),  # a country name filed
        ("KR", dt.date(2019, 11, 4), "KORUS (Korea FTA)", "KR"),
        ("AU", dt.date(2022, 5, 9), "Australia FTA", "AU"),
        ("IL", dt.date(2024, 8, 20), "Israel FTA", "IL"),
    ],
)
def test_free_preference_is_named_on_the_general_duty(country, day, program, indicator):
    exposure, general = _general(country, day)
    assert general.amount_usd == Decimal("165.00")  # unchanged: the general rate is charged
    assert exposure.duty_usd == Decimal("165.00")
    iso = "MX" if country == "Mexico" else country
    assert (
        f"origin {iso}: if the goods qualified under {program} [S] and a claim was made, "
        "the general duty of $165.00 would not be owed (special rate on 6109.10.00 in the "
        f"2025 schedule: Free ({indicator})), not estimated: the general rate is charged"
    ) in general.note


@pytest.mark.parametrize(
    ("country", "day"),
    [("CN", dt.date(2024, 6, 3)), ("DE", dt.date(2021, 6, 3)), ("VN", dt.date(2020, 7, 1))],
)
def test_no_preference_note_for_origins_without_a_programme(country, day):
    _, general = _general(country, day)
    assert general.amount_usd == Decimal("165.00")
    assert "a claim was made" not in general.note


def test_nafta_before_1_jul_2020_is_named_unchecked_and_usmca_from_that_day():
    _, before = _general("MX", dt.date(2020, 6, 30))
    _, after = _general("MX", dt.date(2020, 7, 1))
    assert "under NAFTA [S]" in before.note
    assert "USMCA" not in before.note
    assert "some or all of the general duty of $165.00 might not be owed" in before.note
    assert "NAFTA eligibility is not checked" in before.note
    assert "under USMCA [S]" in after.note
    assert "NAFTA" not in after.note
    _, canada_2019 = _general("CA", dt.date(2019, 10, 1))
    assert "under NAFTA [S]" in canada_2019.note


def test_a_reduced_special_rate_is_given_not_called_free():
    # Fresh beef carcasses, over quota: 26.4% general, KORUS 3.5% in the 2025 schedule.
    _, general = _general("KR", dt.date(2024, 1, 2), hts="0201.10.50.10")
    assert general.amount_usd == Decimal("264.00")
    assert (
        "the special rate 3.5% (KR) of the 2025 schedule on 0201.10.50 would apply instead of "
        "the general duty of $264.00"
    ) in general.note
    assert "would not be owed" not in general.note


def test_no_note_where_the_schedule_lists_no_preference_or_the_duty_is_zero():
    # 8471.30.01 is Free general: nothing to save.
    _, laptop = _general("MX", dt.date(2024, 1, 2), hts="8471.30.01.00")
    assert laptop.amount_usd == Decimal("0.00")
    assert "a claim was made" not in laptop.note
    # Japan's agreement covers few subheadings: the T-shirt's special column has no JP.
    _, shirt = _general("JP", dt.date(2024, 1, 2))
    assert "a claim was made" not in shirt.note
    # Cut flowers' relative 0602.30.00 lists JP; before the agreement's start, no note.
    _, plant = _general("JP", dt.date(2024, 1, 2), hts="0602.30.00.00")
    assert "under U.S.-Japan Trade Agreement [UNVERIFIED]" in plant.note
    _, plant_2019 = _general("JP", dt.date(2019, 12, 31), hts="0602.30.00.00")
    assert "a claim was made" not in plant_2019.note


def test_column_2_origin_gets_no_preference_note():
    _, general = _general("RU", dt.date(2024, 1, 2))
    assert general.provision.endswith("column 2 rate")
    assert "a claim was made" not in general.note


def test_special_column_parser_handles_run_together_and_missing_commas():
    rates = special_rates("Free (A,AU,KR,S,SG)8.8¢/liter(JO)")
    assert rates["KR"] == "Free"
    assert rates["JO"] == "8.8¢/liter"
    assert special_rates("Free (A*,AU,E IL,JO)")["IL"] == "Free"
    shirt = DutyTables.default().special_rate("61091000")
    assert shirt is not None
    assert shirt.startswith("Free (")


WHEN = dt.datetime(2026, 12, 5, tzinfo=dt.UTC)


def _audited() -> t86audit.Report:
    """Four VAL001 entries of $900 T-shirts: MX before USMCA, CA and KR after, DE (control)."""

    def one(serial: int, day: str, country: str) -> t86audit.Entry:
        return make_entry(
            serial=serial,
            arrival_date=day,
            consignee={"name": f"Buyer {serial}", "address": f"{serial} Elm Street"},
            lines=[
                {
                    "description": "men's cotton knit t-shirts",
                    "hts_number": SHIRT,
                    "country_of_origin": country,
                    "value_usd": "900.00",
                    "quantity": "60",
                }
            ],
        )

    entries = [
        one(1, "2020-06-30", "MX"),
        one(2, "2021-03-01", "CA"),
        one(3, "2024-03-01", "KR"),
        one(4, "2024-03-01", "DE"),
    ]
    return t86audit.audit(entries, generated_at=WHEN)


def test_summary_note_once_in_json_and_worksheet():
    report = _audited()
    assert report.exposure is not None
    assert len(report.exposure.entries) == 4
    data = json.loads(report.to_json())["exposure"]
    assert len(data["notes"]) == 1
    note = data["notes"][0]
    # Three lines (MX under NAFTA, CA under USMCA, KR under KORUS); the German one is not.
    assert note.startswith("Trade preferences: 3 lines of 3 entries")
    assert "(KORUS (Korea FTA) 1 line, NAFTA 1 line, USMCA 1 line)" in note
    assert "Their general duty, $445.50, is charged in full" in note  # 3 x 16.5% of $900
    assert "may overstate what is owed" in note
    german = next(e for e in data["entries"] if e["lines"][0]["country_of_origin"] == "DE")
    assert german["entry_number"] not in note
    # The amounts are those of the general rate, preference or not: 4 x $148.50.
    assert data["totals"]["duty_usd"] == "594.00"
    line_notes = {
        e["lines"][0]["country_of_origin"]: e["lines"][0]["amounts"][0]["note"]
        for e in data["entries"]
    }
    assert "origin MX: if the goods qualified under NAFTA [S]" in line_notes["MX"]
    assert "origin CA: if the goods qualified under USMCA [S]" in line_notes["CA"]
    assert "the general duty of $148.50 would not be owed" in line_notes["KR"]
    assert "a claim was made" not in line_notes["DE"]
    rows = list(report.exposure.worksheet_rows())
    assert rows[-1]["entry_number"] == "TOTAL"
    assert note in rows[-1]["note"]
    assert sum(note in r["note"] for r in rows) == 1


def test_summary_note_once_in_text_and_markdown_not_per_entry():
    report = _audited()
    assert report.exposure is not None
    assert len(report.exposure.notes) == 1
    for rendered in (report.to_text(), report.to_markdown()):
        flat = " ".join(rendered.split())
        assert flat.count("Trade preferences: 3 lines of 3 entries") == 1
        assert "Their general duty, $445.50, is charged in full" in flat
        # The per-line notes stay in the JSON report and worksheet: the table's numbered
        # notes do not repeat them entry by entry.
        assert "if the goods qualified under USMCA" not in flat


def test_no_summary_note_without_preference_lines():
    report = t86audit.audit(
        [
            make_entry(
                serial=9,
                arrival_date="2024-03-01",
                lines=[
                    {
                        "description": "men's cotton knit t-shirts",
                        "hts_number": SHIRT,
                        "country_of_origin": "DE",
                        "value_usd": "900.00",
                    }
                ],
            )
        ],
        generated_at=WHEN,
    )
    assert report.exposure is not None
    assert report.exposure.notes == ()
    assert json.loads(report.to_json())["exposure"]["notes"] == []
    assert "Trade preferences" not in report.to_text()
