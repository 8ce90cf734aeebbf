"""The dated policy table: each boundary tested on both sides."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest

from t86audit.policy import Milestone, PolicyTable, default_policy


D = dt.date
TABLE = default_policy()


@pytest.mark.parametrize(
    ("day", "attribute", "value"),
    [
        (D(2016, 3, 9), "threshold_usd", Decimal(200)),
        (D(2016, 3, 10), "threshold_usd", Decimal(800)),
        (D(2019, 9, 27), "t86_available", False),
        (D(2019, 9, 28), "t86_available", True),
        (D(2024, 2, 14), "filing_deadline_days", 15),
        (D(2024, 2, 15), "filing_deadline_days", 0),
        (D(2024, 3, 31), "vague_description_messaging", False),
        (D(2024, 4, 1), "vague_description_messaging", True),
        (D(2024, 7, 24), "eda_required", False),
        (D(2024, 7, 25), "eda_required", True),
        (D(2025, 2, 3), "china_hk_excluded", False),
        (D(2025, 2, 4), "china_hk_excluded", True),
        (D(2025, 2, 6), "china_hk_excluded", True),
        (D(2025, 2, 7), "china_hk_excluded", False),
        (D(2025, 5, 1), "china_hk_excluded", False),
        (D(2025, 5, 2), "china_hk_excluded", True),
        (D(2025, 8, 2), "penalty_1321c", False),
        (D(2025, 8, 3), "penalty_1321c", True),
        (D(2025, 8, 28), "t86_available", True),
        (D(2025, 8, 29), "t86_available", False),
        (D(2027, 6, 30), "penalty_1321c", True),
        (D(2027, 7, 1), "penalty_1321c", False),
    ],
)
def test_boundaries(day, attribute, value):
    """Every change of law takes effect on its date and not the day before."""
    assert getattr(TABLE.at(day), attribute) == value


def test_periods_tile_the_calendar():
    """Periods are contiguous: each ends where the next begins; the last is open."""
    periods = TABLE.periods

    for before, after in itertools.pairwise(periods):
        assert before.end == after.start
    assert periods[-1].end is None
    assert all(p.contains(p.start) for p in periods)


def test_period_ids_are_recorded_on_lookup():
    """The period in force names the milestone that opened it."""
    assert TABLE.at(D(2025, 5, 2)).id == "china-gate-2"
    assert TABLE.at(D(2025, 5, 2)).describe().startswith("china-gate-2 (2025-05-02 to")
    assert TABLE.at(dt.datetime(2019, 9, 28, 12, 0, tzinfo=dt.UTC)).id == "t86-test"


def test_custom_table_rejects_unknown_fields():
    """A milestone may only change known policy attributes."""
    with pytest.raises(ValueError, match="unknown fields"):
        PolicyTable([Milestone(D(2020, 1, 1), "x", "x", {"colour": "red"})], version="t")
    with pytest.raises(ValueError, match="at least one"):
        PolicyTable([], version="t")


def test_custom_table_answers_hypotheses():
    """A user can model a different cut-over date."""
    table = PolicyTable(
        [
            Milestone(D(1, 1, 1), "base", "base", {}),
            Milestone(D(2030, 1, 1), "t", "test", {"threshold_usd": Decimal(100)}),
        ],
        version="custom",
    )

    assert table.at(D(2029, 12, 31)).threshold_usd == Decimal(200)
    assert table.at(D(2030, 1, 1)).threshold_usd == Decimal(100)
    assert table.milestone("t").title == "test"
