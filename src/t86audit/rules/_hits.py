"""Findings on one line's data element, built the same way by every rule family.

Many line rules report one data element of one line (its HTS number, value or description)
as filed, with what was required and why. Building that :class:`~t86audit.findings.Hit` in
one place keeps those findings alike: the line number, the field name and what is shown as
observed always go together.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from t86audit.findings import Hit


if TYPE_CHECKING:
    from t86audit.model import Entry, LineItem


__all__ = ["hts_hit", "line_hit"]


def line_hit(
    entry: Entry, line: LineItem, field: str, observed: str, *, expected: str, message: str
) -> Hit:
    """A finding on ``line``'s data element ``field``, which was filed as ``observed``."""
    return Hit(
        entry,
        line=line.line_number,
        field=field,
        observed=observed,
        expected=expected,
        message=message,
    )


def hts_hit(entry: Entry, line: LineItem, *, expected: str, message: str) -> Hit:
    """A finding on ``line``'s HTS number, showing the number as filed."""
    return line_hit(entry, line, "hts_number", line.hts_number, expected=expected, message=message)
