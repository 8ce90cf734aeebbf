"""The one compact record the audit keeps per entry, and read-only views over many of them.

An audit of a year of filings keeps one :class:`EntryRecord` per entry from the pass until the
report is written: everything the per-entry summary (:class:`~t86audit.engine.EntrySummary`),
the pattern view and the entry table (:class:`~t86audit.report.EntryFacts`,
:class:`~t86audit.report.EntryRow`) need, in one tuple of shared values. The public per-entry
objects are built from the records on demand, one at a time, by the views here, so memory grows
by about a tuple and an entry number per entry however the report is read.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator, Sequence
from decimal import Context, Decimal
from typing import TYPE_CHECKING, NamedTuple, TypeVar, overload


if TYPE_CHECKING:
    from t86audit.model import Entry


__all__ = ["EntryRecord", "RecordView", "SequenceView", "records_of"]

T = TypeVar("T")

_T86_CODES = frozenset({"86", ""})
"""Entry type codes the T86 rules judge: 86, and blank or unreadable (presumed 86)."""

_EXACT = Context(prec=60)
"""Digits enough to scale a declared total by 100 exactly (longer ones stay ``Decimal``)."""


def _cents(value: Decimal) -> int | Decimal:
    # A Decimal takes 104 bytes, an int of cents 28 to 32. Only a plain two-place value is
    # stored as cents, so the Decimal read back has the same digits and exponent; anything
    # else (another exponent, -0.00, NaN) is kept as it is.
    sign, digits, exponent = value.as_tuple()
    if exponent == -2 and len(digits) < _EXACT.prec and (value or not sign):
        return int(value.scaleb(2, _EXACT))
    return value


class EntryRecord(NamedTuple):
    """One audited entry as the audit keeps it until the report is written.

    A plain tuple (128 bytes): the strings are shared (interned names, ports, filer codes and
    sources; one date object per arrival date), so an entry costs the tuple, its entry number
    and, for totals with cents, a small int.

    Attributes:
        entry_number: the entry number as filed.
        odd_key: the comparison key when it is not the entry number without its hyphens
            (``None`` otherwise: the key is rebuilt rather than kept); see :attr:`key`.
        arrival_date: the date of arrival.
        source: where the entry was read from.
        rows: the input rows the entry was built from (its lines when not from a file).
        port_code: the port code as filed, white space trimmed.
        filer_code: the entry number's filer code (``""`` when the number is malformed).
        seller: the seller's name as filed.
        consignee: the ultimate consignee's name as filed.
        lines: the number of lines.
        value: the total declared value in cents, or as a ``Decimal`` when it is not a plain
            two-place amount; see :attr:`total_value`.
        entry_type: the two-digit entry type code (:attr:`~t86audit.model.Entry.type_code`;
            ``""`` when blank or unreadable).
    """

    entry_number: str
    odd_key: str | None
    arrival_date: dt.date
    source: str
    rows: int
    port_code: str
    filer_code: str
    seller: str
    consignee: str
    lines: int
    value: int | Decimal
    entry_type: str = "86"

    @property
    def judged_as_t86(self) -> bool:
        """Whether the T86 rules judged the entry (type 86, or blank or unreadable)."""
        return self.entry_type in _T86_CODES

    @property
    def key(self) -> str:
        """The entry number's comparison key (:attr:`~t86audit.model.EntryNumber.key`)."""
        odd = self.odd_key
        return self.entry_number.replace("-", "") if odd is None else odd

    @property
    def total_value(self) -> Decimal:
        """The sum of the lines' declared values (USD), exactly as the entry had it."""
        value = self.value
        return value if isinstance(value, Decimal) else Decimal(f"{value}E-2")

    @property
    def month(self) -> str:
        """The arrival month, ``YYYY-MM``."""
        return f"{self.arrival_date.year:04d}-{self.arrival_date.month:02d}"


def records_of() -> Callable[[Entry, str], EntryRecord]:
    """A function making the record of an entry (given its comparison key).

    Each function keeps one date object per arrival date, so records share them even when the
    loader's parsing cache did not.
    """
    intern = sys.intern
    dates: dict[dt.date, dt.date] = {}

    def record(entry: Entry, key: str) -> EntryRecord:
        number = entry.number
        day = entry.arrival_date
        return EntryRecord(
            number,
            None if number.replace("-", "") == key else key,
            dates.setdefault(day, day),
            intern(entry.source),
            len(entry.source_rows) or len(entry.lines),
            intern(entry.port_code.strip()),
            intern(entry.filer_code or ""),
            intern(entry.seller.name),
            intern(entry.consignee.name),
            len(entry.lines),
            _cents(entry.total_value),
            intern(entry.type_code),
        )

    return record


class SequenceView(Sequence[T]):
    """A read-only sequence whose items are made on demand.

    Compares equal to any sequence with equal items (a tuple of the same objects, as these
    attributes were before), and hashes as that tuple would.
    """

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if other is self:
            return True
        if not isinstance(other, Sequence) or isinstance(other, str | bytes):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {len(self)}>"


class RecordView(SequenceView[T]):
    """A read-only sequence of ``T`` made on demand, one per :class:`EntryRecord`."""

    __slots__ = ("records",)

    def __init__(self, records: Sequence[EntryRecord]) -> None:
        self.records = records

    def _make(self, record: EntryRecord) -> T:
        raise NotImplementedError

    def __len__(self) -> int:
        return len(self.records)

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...

    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
        if isinstance(index, slice):
            return tuple(self._make(r) for r in self.records[index])
        return self._make(self.records[index])

    def __iter__(self) -> Iterator[T]:
        make = self._make
        for record in self.records:
            yield make(record)
