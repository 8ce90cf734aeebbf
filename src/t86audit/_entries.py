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
from array import array
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from decimal import Context, Decimal
from functools import partial
from itertools import compress, islice, repeat
from operator import attrgetter, eq
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar, overload


if TYPE_CHECKING:
    from t86audit.model import Entry


__all__ = ["T86_CODES", "EntryRecord", "RecordTable", "RecordView", "SequenceView", "column_of"]

T = TypeVar("T")

T86_CODES = frozenset({"86", ""})
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
        return self.entry_type in T86_CODES

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


_ODD = -(2**63)
"""In :class:`RecordTable`'s cents column: the total is kept on the side (a ``Decimal``, or
cents past 64 bits)."""

_INT32 = "i" if array("i").itemsize == 4 else "l"

_new_record = partial(tuple.__new__, EntryRecord)
"""An :class:`EntryRecord` from a tuple of its fields, without a Python call."""


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


class RecordTable(SequenceView[EntryRecord]):
    """The audit's :class:`EntryRecord` of every entry, kept by column.

    A record is a tuple of twelve references (about 300 bytes an entry with its number and
    cents); the table keeps the entry numbers and consignee names as strings and every other
    field in a typed array, the texts that repeat (sources, ports, filer codes, sellers, entry
    types) as positions in one list of distinct texts: about 170 bytes an entry. A worker
    process sends its table to the parent as a few buffers instead of a tuple per entry.
    Records are made again when read; dates and repeated texts are shared between them.
    """

    __slots__ = (
        "_cents",
        "_consignees",
        "_dates",
        "_days",
        "_decimals",
        "_filers",
        "_index",
        "_lines",
        "_numbers",
        "_odd_keys",
        "_ports",
        "_rows",
        "_sellers",
        "_sources",
        "_texts",
        "_types",
    )

    def __init__(self) -> None:
        self._numbers: list[str] = []
        self._consignees: list[str] = []
        self._odd_keys: dict[int, str] = {}
        self._days = array(_INT32)
        self._sources = array(_INT32)
        self._rows = array(_INT32)
        self._ports = array(_INT32)
        self._filers = array(_INT32)
        self._sellers = array(_INT32)
        self._lines = array(_INT32)
        self._types = array(_INT32)
        self._cents = array("q")
        self._decimals: dict[int, int | Decimal] = {}
        self._texts: list[str] = []
        self._index: dict[str, int] = {}
        self._dates: dict[int, dt.date] = {}

    def _text(self, text: str) -> int:
        found = self._index.get(text)
        if found is None:
            found = self._index[text] = len(self._texts)
            self._texts.append(text)
        return found

    def add(self, entry: Entry, key: str) -> None:
        """Add the record of ``entry`` (whose comparison key is ``key``)."""
        self.add_many((entry,), (key,))

    def add_many(self, entries: Sequence[Entry], keys: Sequence[str]) -> None:
        """:meth:`add` of each entry in turn (``keys[i]`` is ``entries[i]``'s), by column.

        The pass adds a batch of entries at a time: a column made by one loop over the batch
        costs a fraction of a method call and a dozen appends per entry.
        """
        start = len(self._numbers)
        numbers = [entry.number for entry in entries]
        self._numbers.extend(numbers)
        odd = self._odd_keys
        for i, number, key in zip(range(start, start + len(numbers)), numbers, keys, strict=True):
            if number.replace("-", "") != key:
                odd[i] = key
        days = [entry.arrival_date for entry in entries]
        ordinals = [day.toordinal() for day in days]
        dates = self._dates
        for ordinal, day in zip(ordinals, days, strict=True):
            if ordinal not in dates:
                dates[ordinal] = day
        self._days.extend(ordinals)
        index = self._index
        text = self._text
        for column, texts in (
            (self._sources, [entry.source for entry in entries]),
            (self._ports, [entry.port_code.strip() for entry in entries]),
            (self._filers, [entry.filer_code or "" for entry in entries]),
            (self._sellers, [entry.seller.name for entry in entries]),
            (self._types, [entry.type_code for entry in entries]),
        ):
            column.extend([index[t] if t in index else text(t) for t in texts])
        self._rows.extend([len(entry.source_rows) or len(entry.lines) for entry in entries])
        intern = sys.intern
        self._consignees.extend([intern(entry.consignee.name) for entry in entries])
        self._lines.extend([len(entry.lines) for entry in entries])
        cents = self._cents
        for i, value in enumerate(map(_cents, [entry.total_value for entry in entries]), start):
            if isinstance(value, int) and _ODD < value < 2**63:
                cents.append(value)
            else:
                cents.append(_ODD)
                self._decimals[i] = value

    def extend(self, other: RecordTable) -> None:
        """Add ``other``'s records after these (another part of the population)."""
        offset = len(self._numbers)
        moved = [self._text(text) for text in other._texts]
        for mine, theirs in (
            (self._sources, other._sources),
            (self._ports, other._ports),
            (self._filers, other._filers),
            (self._sellers, other._sellers),
            (self._types, other._types),
        ):
            mine.extend(array(_INT32, [moved[i] for i in theirs]))
        self._numbers.extend(other._numbers)
        self._consignees.extend(other._consignees)
        self._days.extend(other._days)
        self._rows.extend(other._rows)
        self._lines.extend(other._lines)
        self._cents.extend(other._cents)
        for ordinal, day in other._dates.items():
            self._dates.setdefault(ordinal, day)
        self._odd_keys.update((offset + i, key) for i, key in other._odd_keys.items())
        self._decimals.update((offset + i, value) for i, value in other._decimals.items())

    def first_of(self, wanted: Collection[str]) -> dict[str, int]:
        """The position of the first record of each comparison key of ``wanted`` held here.

        Without making a record per entry: a report looks up the few entries its findings are
        about among all of them.
        """
        found: dict[str, int] = {}
        if not wanted:
            return found
        keys = list(map(str.replace, self._numbers, repeat("-"), repeat("")))
        for position, odd in self._odd_keys.items():
            keys[position] = odd
        # The wanted keys and their positions picked in C: a few thousand of a population's.
        for position, key in compress(enumerate(keys), map(wanted.__contains__, keys)):
            if key not in found:
                found[key] = position
                if len(found) == len(wanted):
                    break
        return found

    def repeats(self, judged: Callable[[str], bool] | None = None) -> dict[str, int]:
        """The comparison keys two or more records carry, each with how many records carry it.

        Copies of one filing (FIL004) and versions of it (FIL003) alike; with ``judged``, only
        the records whose entry type code (``""`` when blank) it accepts. Worked out without a
        key kept per record: the keys' hashes are sorted (a list of ints, about 40 bytes a
        record while it lives), and only the keys whose hash repeats, a few in most
        populations, are made again and counted exactly.
        """
        if len(self._numbers) < 2:
            return {}

        def keys() -> Iterator[str]:
            if judged is None:
                return self._keys()
            accepted = [judged(text) for text in self._texts]
            return compress(self._keys(), map(accepted.__getitem__, self._types))

        hashes = list(map(hash, keys()))
        hashes.sort()
        twice = set(compress(hashes, map(eq, hashes, islice(hashes, 1, None))))
        del hashes
        if not twice:
            return {}
        met = twice.__contains__
        counts = Counter(compress(keys(), map(met, map(hash, keys()))))
        return {key: n for key, n in counts.items() if n > 1}

    def key(self, index: int) -> str:
        """The comparison key of the entry at ``index`` (:attr:`EntryRecord.key`)."""
        odd = self._odd_keys.get(index)
        return self._numbers[index].replace("-", "") if odd is None else odd

    def __len__(self) -> int:
        return len(self._numbers)

    def _record(self, i: int) -> EntryRecord:
        texts = self._texts
        return EntryRecord(
            self._numbers[i],
            self._odd_keys.get(i),
            self._dates[self._days[i]],
            texts[self._sources[i]],
            self._rows[i],
            texts[self._ports[i]],
            texts[self._filers[i]],
            texts[self._sellers[i]],
            self._consignees[i],
            self._lines[i],
            self._value(i, self._cents[i]),
            texts[self._types[i]],
        )

    @overload
    def __getitem__(self, index: int) -> EntryRecord: ...

    @overload
    def __getitem__(self, index: slice) -> list[EntryRecord]: ...

    def __getitem__(self, index: int | slice) -> EntryRecord | list[EntryRecord]:
        size = len(self._numbers)
        if isinstance(index, slice):
            return [self._record(i) for i in range(*index.indices(size))]
        if index < 0:
            index += size
        if not 0 <= index < size:
            msg = "record index out of range"
            raise IndexError(msg)
        return self._record(index)

    def __iter__(self) -> Iterator[EntryRecord]:
        # Column by column, in C: a report reads every record once or twice.
        size = len(self._numbers)
        text = self._texts.__getitem__
        odd_keys = map(self._odd_keys.get, range(size)) if self._odd_keys else repeat(None, size)
        values = map(self._value, range(size), self._cents) if self._decimals else self._cents
        return map(
            _new_record,
            zip(
                self._numbers,
                odd_keys,
                map(self._dates.__getitem__, self._days),
                map(text, self._sources),
                self._rows,
                map(text, self._ports),
                map(text, self._filers),
                map(text, self._sellers),
                self._consignees,
                self._lines,
                values,
                map(text, self._types),
                strict=True,
            ),
        )

    def column(self, name: str) -> Iterator[object]:
        """One field of every record, in order, without making the records (in C)."""
        texts = {
            "source": self._sources,
            "port_code": self._ports,
            "filer_code": self._filers,
            "seller": self._sellers,
            "entry_type": self._types,
        }.get(name)
        if texts is not None:
            return map(self._texts.__getitem__, texts)
        if name == "entry_number":
            return iter(self._numbers)
        if name == "key":
            return self._keys()
        if name == "consignee":
            return iter(self._consignees)
        if name in {"rows", "lines"}:
            return iter(self._rows if name == "rows" else self._lines)
        if name == "arrival_date":
            return map(self._dates.__getitem__, self._days)
        return map(attrgetter(name), self)

    def _keys(self) -> Iterator[str]:
        keys = map(str.replace, self._numbers, repeat("-"), repeat(""))
        odd = self._odd_keys
        return keys if not odd else (odd.get(i, key) for i, key in enumerate(keys))

    def _value(self, index: int, cents: int) -> int | Decimal:
        return self._decimals[index] if cents == _ODD else cents


def column_of(rows: Iterable[Any], name: str) -> Iterator[Any]:
    """One field of each of ``rows``, in order.

    Read from the columns of a :class:`RecordTable`, else from each row (records, facts,
    summaries).
    """
    if isinstance(rows, RecordTable):
        return rows.column(name)
    return map(attrgetter(name), rows)


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
