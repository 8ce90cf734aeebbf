"""Session 23, lead: an arrival given as a date-time is judged as its day.

A review of the session's merges (h8) found that an arrival date given as a ``datetime`` (a
pandas ``Timestamp`` is one), which the model accepted, made the dated citations' comparison
fail: the finding was lost to a rule error, or the cached audit raised. Several filing rules
had failed on it before. The model now reads such a value as its date.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

import t86audit
from t86audit.testing import make_entry


@pytest.mark.parametrize(
    ("changes", "day", "codes"),
    [
        ({"value": "900"}, dt.date(2024, 6, 3), ["VAL001"]),
        ({"consignee": {"name": ""}}, dt.date(2018, 6, 1), ["ELG001"]),
        # (make_entry files in 2025: FIL009, the filing more than 15 days after arrival)
        ({"consignee": {"name": ""}}, dt.date(2021, 6, 1), ["CON001", "FIL009"]),
    ],
)
def test_an_arrival_given_as_a_date_time_is_judged_as_its_day(
    changes: dict[str, object], day: dt.date, codes: list[str]
) -> None:
    on_day = attrs.evolve(make_entry(**changes), arrival_date=day)  # type: ignore[arg-type]
    at_nine = attrs.evolve(on_day, arrival_date=dt.datetime.combine(day, dt.time(9, 0)))

    assert at_nine.arrival_date == day
    assert type(at_nine.arrival_date) is dt.date
    by_day = t86audit.audit([on_day])
    by_time = t86audit.audit([at_nine])
    assert sorted(f.code for f in by_time.findings) == codes
    assert by_time.findings == by_day.findings
    assert not [r.rule.code for r in by_time.rules if r.error_count]
