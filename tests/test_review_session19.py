"""What a hand-worked review of the exposure and the AD/CVD rules found (nineteenth session).

* ELG009 (an AD/CVD match to read the scope of) and ELG010 (the match, confirmed in scope) read
  one ``confirmed_cases`` setting: a case confirmed for either moves its matches to ELG010.
  Before, confirming a case for ELG010 left ELG009 warning about the same line, and confirming
  it for ELG009 alone silenced both rules.
* The 19 CFR 143.21 note an estimate makes (formal entry may have been required; quota goods
  needed it) reaches the JSON report, the worksheet and the human formats.
* The exposure's total duty adds the computable entries' duties only, as the loss does and as
  each entry's own ``duty_usd`` (``null`` when not computable) shows.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest

import t86audit
from t86audit.exposure import WORKSHEET_COLUMNS
from t86audit.registry import RuleRegistry
from t86audit.testing import make_entry, make_line


PENCILS = "9609.10.00.00"
"""Cased pencils: the bundled AD/CVD table names them in order A-570-827 (China)."""


def _pencils(serial: int = 1, origin: str = "CN") -> t86audit.Entry:
    line = make_line(
        description="wooden cased graphite pencils",
        hts_number=PENCILS,
        country_of_origin=origin,
        value_usd="6.00",
    )
    return make_entry(serial=serial, arrival_date="2024-06-03", lines=[line])


def _adcvd_codes(options: dict[str, dict[str, object]]) -> list[str]:
    report = t86audit.audit([_pencils()], select=["ELG009", "ELG010"], options=options)
    return sorted(f.code for f in report.findings)


def test_an_unconfirmed_match_is_elg009s_warning_alone() -> None:
    assert _adcvd_codes({}) == ["ELG009"]


def test_a_case_confirmed_for_elg010_moves_the_match_from_elg009() -> None:
    assert _adcvd_codes({"ELG010": {"confirmed_cases": ["A-570-827"]}}) == ["ELG010"]


def test_a_case_confirmed_for_elg009_is_elg010s_finding_not_silence() -> None:
    assert _adcvd_codes({"ELG009": {"confirmed_cases": "A-570-827"}}) == ["ELG010"]


def test_a_value_given_to_the_rule_itself_wins_over_the_shared_one() -> None:
    # ELG009 told explicitly that no case is confirmed keeps warning; ELG010 takes its own.
    options: dict[str, dict[str, object]] = {
        "ELG009": {"confirmed_cases": []},
        "ELG010": {"confirmed_cases": ["A-570-827"]},
    }
    assert _adcvd_codes(options) == ["ELG009", "ELG010"]


def test_a_shared_option_value_of_the_wrong_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="confirmed_cases"):
        t86audit.audit([_pencils()], select=["ELG009"], options={"ELG010": {"confirmed_cases": 5}})


def test_the_rule_pages_say_the_option_is_shared() -> None:
    from t86audit.docgen import render_rule  # noqa: PLC0415

    registry = RuleRegistry.default()
    assert "applies to ELG009 too" in render_rule(registry.get("ELG009")).replace("`", "")
    assert "applies to ELG010 too" in render_rule(registry.get("ELG010")).replace("`", "")


def _chinese_entry(serial: int, value: str, day: str) -> t86audit.Entry:
    line = make_line(
        description="silicon rectifier diodes",
        hts_number="8541.10.00.80",
        country_of_origin="CN",
        value_usd=value,
    )
    return make_entry(serial=serial, arrival_date=day, lines=[line])


def _json(report: t86audit.Report) -> dict[str, object]:
    buffer = io.StringIO()
    report.write("json", buffer)
    document: dict[str, object] = json.loads(buffer.getvalue())
    return document


def test_the_143_21_note_reaches_the_json_the_worksheet_and_the_document() -> None:
    # $900 of Chinese diodes in Dec 2024: over the threshold (VAL001), Section 301 (List 2, 25%)
    # on a line over $250, so 143.21(a) may have required a formal entry.
    report = t86audit.audit([_chinese_entry(1, "900.00", "2024-12-16")])
    exposure = report.exposure
    assert exposure is not None
    (estimate,) = exposure.entries
    assert estimate.entry_kind == "informal"
    assert "143.21(a)" in estimate.entry_kind_note
    (listed,) = _json(report)["exposure"]["entries"]  # type: ignore[index]
    assert listed["entry_kind_note"] == estimate.entry_kind_note
    assert "entry_kind_note" in WORKSHEET_COLUMNS
    rows = list(exposure.worksheet_rows())
    mine = [row for row in rows if row["entry_number"] == estimate.entry_number]
    notes = {row["entry_kind_note"] for row in mine}
    assert notes == {estimate.entry_kind_note}
    markdown = io.StringIO()
    report.write("markdown", markdown)
    text = markdown.getvalue()
    assert "informal (note 1)" in text
    assert "Note 1: 19 CFR 143.21(a) excludes from informal entry" in text


def test_an_entry_without_doubt_has_an_empty_note_and_no_mark() -> None:
    # $900 of Vietnamese t-shirts: no chapter 99 duty, nothing in doubt.
    line = make_line(country_of_origin="VN", value_usd="900.00")
    report = t86audit.audit([make_entry(serial=2, arrival_date="2024-12-16", lines=[line])])
    assert report.exposure is not None
    (estimate,) = report.exposure.entries
    assert estimate.entry_kind_note == ""
    (listed,) = _json(report)["exposure"]["entries"]  # type: ignore[index]
    assert listed["entry_kind_note"] == ""
    markdown = io.StringIO()
    report.write("markdown", markdown)
    assert "(note 1)" not in markdown.getvalue()


def test_the_total_duty_adds_the_computable_entries_only() -> None:
    # 2016-03-09: $250 over the $200 threshold, but no MPF row covers FY2016, so the entry is
    # not computable although its duty is known; 2024-06-03: a computable entry.
    old = make_entry(
        serial=3,
        arrival_date="2016-03-09",
        lines=[make_line(country_of_origin="VN", value_usd="250.00")],
    )
    new = make_entry(
        serial=4,
        arrival_date="2024-06-03",
        lines=[make_line(country_of_origin="VN", value_usd="900.00")],
    )
    report = t86audit.audit([old, new])
    exposure = report.exposure
    assert exposure is not None
    by_number = {e.entry_number: e for e in exposure.entries}
    assert len(by_number) == 2
    not_computable = [e for e in exposure.entries if not e.computable]
    computable = [e for e in exposure.entries if e.computable]
    assert len(not_computable) == 1
    assert not_computable[0].duty_usd is not None  # known, but not added
    assert exposure.duty_usd == sum((e.duty_usd or Decimal(0) for e in computable), Decimal(0))
    fees_of_computable = sum((e.fees_usd for e in computable), Decimal(0))
    assert exposure.duty_usd + fees_of_computable == exposure.loss_of_revenue_usd
    totals = _json(report)["exposure"]["totals"]  # type: ignore[index]
    entries = _json(report)["exposure"]["entries"]  # type: ignore[index]
    listed = sum(Decimal(e["duty_usd"]) for e in entries if e["duty_usd"] is not None)
    assert Decimal(totals["duty_usd"]) == listed


def test_the_worksheet_csv_has_the_note_column_after_the_entry_kind() -> None:
    index = WORKSHEET_COLUMNS.index("entry_kind")
    assert WORKSHEET_COLUMNS[index + 1] == "entry_kind_note"
    report = t86audit.audit([_chinese_entry(5, "900.00", "2024-12-16")])
    assert report.exposure is not None
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, WORKSHEET_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(report.exposure.worksheet_rows())
    header = buffer.getvalue().splitlines()[0].split(",")
    assert header[index + 1] == "entry_kind_note"
