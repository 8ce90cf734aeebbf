"""Entries and estimates for the exposure cases worked by hand (session 22 h3, session 23 h2)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D  # noqa: N817

from t86audit.exposure import EntryExposure, estimate_entry
from t86audit.model import Entry, LineItem


Line = tuple[str, str, str, str, str]
"""HTS number, origin, value, quantity, unit."""


def case_entry(
    day: str, lines: list[Line], mode: str = "air", number: str = "B76-0324527-8"
) -> Entry:
    """An entry of ``day`` (ISO) with one line per ``(hts, origin, value, quantity, unit)``."""
    return Entry(
        number,
        dt.date.fromisoformat(day),
        mode=mode,
        lines=[
            LineItem(
                n,
                hts_number=hts,
                country_of_origin=origin,
                value_usd=D(value),
                quantity=D(qty) if qty else None,
                quantity_unit=unit,
            )
            for n, (hts, origin, value, qty, unit) in enumerate(lines, 1)
        ],
    )


def case_estimate(
    day: str, lines: list[Line], reasons: tuple[str, ...] = ("VAL001",), mode: str = "air"
) -> EntryExposure:
    """The exposure estimate of :func:`case_entry`'s entry, ineligible for ``reasons``."""
    return estimate_entry(case_entry(day, lines, mode), list(reasons))
