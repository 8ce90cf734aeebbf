"""Twentieth session: the fixes of its review passes and the verdicts keyed without the date."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from t86audit.engine import run_rules
from t86audit.exceptions import RuleDefinitionError
from t86audit.model import Entry
from t86audit.policy import default_policy
from t86audit.refset import ReferenceSet
from t86audit.registry import RuleRegistry
from t86audit.rules import RuleContext
from t86audit.testing import make_entry


RULES = list(RuleRegistry.default())
REFERENCE = ReferenceSet()

# --- HTS002/HTS003/HTS004/HTS008: a number valid in every revision is judged once -----------

_NUMBERS = (
    "6109.10.00.12",  # valid in every bundled revision
    "0901.11.00.35",  # added by HTSUS 2025 revision 16
    "0901.11.00.45",  # removed by revision 16
    "6109.10.00.99",  # never valid
    "9802.00.50.60",  # Chapter 98: turns on CBP's CSMS of October 2024
    "9903.88.03",  # Chapter 99 alone
    "6109.10",  # short
)
_DAYS = (
    dt.date(2019, 3, 2),
    dt.date(2021, 3, 2),
    dt.date(2024, 2, 20),
    dt.date(2024, 6, 3),
    dt.date(2024, 11, 4),
    dt.date(2025, 3, 3),
    dt.date(2025, 6, 5),
    dt.date(2025, 6, 6),
    dt.date(2025, 6, 20),
    dt.date(2025, 8, 1),
    dt.date(2026, 2, 1),
)


def _dated_population() -> list[Entry]:
    entries: list[Entry] = []
    serial = 0
    for day in _DAYS:
        for number in _NUMBERS:
            serial += 1
            entries.append(
                make_entry(
                    serial=serial,
                    arrival_date=day,
                    lines=[
                        {"description": "women's cotton knit t-shirt", "hts_number": number},
                        {"description": "quartz wristwatch returned", "hts_number": number},
                    ],
                )
            )
    return entries


def test_dated_hts_rules_give_the_same_findings_cached_or_not():
    """A number met on many days: the dated messages stay with their own entries."""
    entries = _dated_population()
    codes = ["HTS002", "HTS003", "HTS004", "HTS008"]
    rules = [r for r in RULES if r.code in codes]
    cached = run_rules(entries, rules, reference=REFERENCE)
    plain = run_rules(entries, rules, reference=REFERENCE, cache_verdicts=False)
    assert cached.findings == plain.findings
    found = {(f.code, f.entry_number, f.message) for f in cached.findings}
    assert {code for code, _, _ in found} == set(codes)
    # Each dated finding names its own entry's arrival date.
    by_number = {e.entry_number.raw: e for e in entries}
    for f in cached.findings:
        if "arrived" in f.message:
            day = by_number[str(f.entry_number)].arrival_date
            assert day.isoformat() in f.message


def test_the_always_valid_number_is_judged_once_whatever_the_day():
    """The test the HTS rules declare: a number valid throughout is the same on every day."""
    hts002 = next(r for r in RULES if r.code == "HTS002")
    assert hts002.same_every_day is not None
    name, test = hts002.same_every_day
    assert name == "line.hts_number"
    context = RuleContext(hts002.options, default_policy(), REFERENCE)
    assert test("6109.10.00.12", context)
    assert test("6109.10", context)
    assert not test("0901.11.00.35", context)  # changed by a revision
    assert not test("6109.10.00.99", context)  # invalid: the message names the date
    assert not test("9802.00.50.60", context)  # Chapter 98: before or after the CSMS


def test_same_every_day_must_name_a_declared_input_and_the_date():
    hts002 = next(r for r in RULES if r.code == "HTS002")
    with pytest.raises(RuleDefinitionError, match=r"same_every_day names 'line\.hts_number'"):
        attrs.evolve(hts002, reads=("line.hts_number", "line.description"))
    assert hts002.same_every_day is not None
    test = hts002.same_every_day[1]
    with pytest.raises(RuleDefinitionError, match="same_every_day"):
        attrs.evolve(hts002, same_every_day=("line.quantity", test))
