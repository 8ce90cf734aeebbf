"""Findings on one data element, built the same way by every rule family.

Many rules report one data element of one line (its HTS number, value or description) or of
the entry (its port code, mode, bill of lading...) as filed, with what was required and why.
Building that :class:`~t86audit.findings.Hit` in one place keeps those findings alike: the
line number, the field name and what is shown as observed always go together.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from t86audit.findings import Hit


if TYPE_CHECKING:
    from t86audit.model import Entry, LineItem


__all__ = ["entry_hit", "hts_hit", "line_hit"]


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


def entry_hit(
    entry: Entry, field: str, *, expected: str, message: str, line: LineItem | None = None
) -> Hit:
    """A finding on the entry's data element ``field``, showing ``entry.<field>`` as filed.

    ``line`` names the line that made the entry's element matter, when one did.
    """
    return Hit(
        entry,
        line=None if line is None else line.line_number,
        field=field,
        observed=getattr(entry, field),
        expected=expected,
        message=message,
    )


def hts_hit(entry: Entry, line: LineItem, *, expected: str, message: str) -> Hit:
    """A finding on ``line``'s HTS number, showing the number as filed."""
    digits = line.hts_digits
    if len(digits) == 10 and digits[0] == "0" and line.hts_number.strip()[:1] not in ("0", ""):
        # Judged with the leading zero a spreadsheet drops (model.repaired_hts): say so.
        message += (
            f" (the nine digits filed, {line.hts_number.strip()!r}, read as {digits}: a number "
            "kept as a number in a spreadsheet loses the leading zero of chapters 01-09)"
        )
    return line_hit(entry, line, "hts_number", line.hts_number, expected=expected, message=message)
