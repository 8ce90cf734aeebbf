"""The entry model: Type 86 entries exactly as they were filed.

The model holds data **as filed**. A blank consignee, a wrong check digit or a six-digit HTS
number are all representable, because reporting them is the rules' job, not the constructor's.
Only values that cannot be read as their type at all (a non-numeric value, an impossible date)
are stopped earlier, by the loaders in :mod:`t86audit.io`, and reported as load errors.

Text fields keep the filed text with surrounding white space removed; numeric and date fields
keep both the parsed value and the raw text (``*_raw``) so a finding can quote what was filed.

This module imports nothing else from t86audit and does no I/O.
"""

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import cache, cached_property, lru_cache
from typing import Any

import attrs


__all__ = [
    "T86_TYPE",
    "TYPOGRAPHIC_DASHES",
    "Entry",
    "EntryNumber",
    "EntryRef",
    "LineItem",
    "Party",
    "compute_check_digit",
    "entry_number_key",
    "entry_type_code",
    "split_hts_numbers",
]

# CATAIR Appendix E: filer-code letters map to digits A-I -> 1-9, J-R -> 1-9, S-Z -> 2-9.
_LETTER_VALUES = {
    **{chr(ord("A") + i): i + 1 for i in range(9)},
    **{chr(ord("J") + i): i + 1 for i in range(9)},
    **{chr(ord("S") + i): i + 2 for i in range(8)},
}
# Between the parts a dash, a space or both ("B76 0324527 8"): how an export prints the number, as
# the dashes are; ACE transmits the eleven characters alone.
_ENTRY_NUMBER_RE = re.compile(r"^([A-Z0-9]{3})(?:\s*-?\s*)([0-9]{7})(?:\s*-?\s*)([0-9])$")
_FILER_CODE_RE = re.compile(r"^[A-Z0-9]{3}$")
_SERIAL_RE = re.compile(r"^[0-9]{7}$")
_NON_DIGITS = re.compile(r"[^0-9]")


_PLAIN = {**{str(d): d for d in range(10)}, **_LETTER_VALUES}
_DOUBLED = {char: 2 * value - 9 if 2 * value > 9 else 2 * value for char, value in _PLAIN.items()}


EASTERN = "America/New_York"
"""The time zone of naive filing times (the input contract): U.S. Eastern."""


@cache
def us_eastern() -> dt.tzinfo:
    """The ``America/New_York`` time zone, in which naive date-times are filed.

    Raises:
        LookupError: the platform has no time zone database (install ``tzdata``).
    """
    try:
        return zoneinfo.ZoneInfo(EASTERN)
    except zoneinfo.ZoneInfoNotFoundError:
        msg = (
            f"time zone {EASTERN} is not available on this platform; "
            "install the 'tzdata' package (pip install tzdata)"
        )
        raise LookupError(msg) from None


TYPOGRAPHIC_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
"""Dashes other than ``-`` that stand for it in an entry number as exported or cited.

Hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar, minus sign, small
em dash, small hyphen-minus and full-width hyphen-minus: a word processor, a spreadsheet's
autocorrect or an HTML export sets them where the filer typed ``-``. ACE transmits the eleven
characters without dashes, so these are how a number is printed, as the ASCII dash is.
"""
_DASHES_AS_HYPHENS = str.maketrans(dict.fromkeys(TYPOGRAPHIC_DASHES, "-"))


def _with_hyphens(raw: str) -> str:
    """``raw`` with its typographic dashes written ``-`` (only called on non-ASCII text)."""
    return raw.translate(_DASHES_AS_HYPHENS)


def entry_number_key(raw: str) -> str:
    """The comparison key of an entry number as filed (see :attr:`EntryNumber.key`).

    >>> entry_number_key(" b76-0324527-8 ")
    'B7603245278'
    >>> entry_number_key("B76\u20130324527\u20138")  # en dashes
    'B7603245278'
    """
    # Called for every row a loader reads: an ASCII number (nearly all) takes no extra step.
    if not raw.isascii():
        raw = _with_hyphens(raw)
    return "".join(raw.split()).replace("-", "").upper()


def compute_check_digit(filer_code: str, serial: str) -> int:
    """Compute the entry-number check digit (CATAIR Appendix E).

    The three filer-code characters are converted to digits (letters A-I -> 1-9, J-R -> 1-9,
    S-Z -> 2-9), the seven-digit serial is appended, and the Luhn algorithm is applied to the
    ten digits: digits in even positions (2, 4, ..., 10, counting from the left) are doubled,
    products above 9 lose 9, everything is summed, and the check digit is
    ``(10 - sum % 10) % 10``.

    >>> compute_check_digit("B76", "0324527")
    8

    Args:
        filer_code: three characters, A-Z or 0-9 (case-insensitive).
        serial: seven digits.

    Raises:
        ValueError: if the filer code or serial has the wrong shape.
    """
    code = filer_code.upper()
    if not _FILER_CODE_RE.match(code):
        msg = f"filer code must be 3 characters A-Z or 0-9, got {filer_code!r}"
        raise ValueError(msg)
    if not _SERIAL_RE.match(serial):
        msg = f"serial must be 7 digits, got {serial!r}"
        raise ValueError(msg)
    # Positions 1, 3, ..., 9 (indices 0, 2, ...) count as they are; positions 2, 4, ..., 10
    # count doubled, less 9 above 9. Both tables hold every character a valid code can have,
    # so the sum is two C-level passes (FIL002 checks every entry of a population).
    ten = code + serial
    total = sum(map(_PLAIN.__getitem__, ten[0::2])) + sum(map(_DOUBLED.__getitem__, ten[1::2]))
    return (10 - total % 10) % 10


@attrs.frozen(order=False)
class EntryNumber:
    """An entry number as filed, e.g. ``B76-0324527-8``.

    Any text is accepted; :attr:`is_well_formed` and :attr:`is_check_digit_valid` say whether it
    is a valid ``XXX-NNNNNNN-C`` number (filer code, serial, check digit; 19 CFR 142.3a and
    CATAIR Appendix E). Dashes are optional, spaces may stand for them (``B76 0324527 8``), and
    so may typographic dashes (:data:`TYPOGRAPHIC_DASHES`: ``B76\u20130324527\u20138``);
    letters are compared upper-case.

    >>> n = EntryNumber("B76-0324527-8")
    >>> (n.filer_code, n.serial, n.check_digit, n.is_check_digit_valid)
    ('B76', '0324527', '8', True)
    >>> EntryNumber("B76-0324527-9").expected_check_digit
    '8'
    """

    raw: str = attrs.field(converter=str)
    # Worked out when the number is made, not on first use: every entry's number is asked for
    # its key and parts, and a cached_property of a slotted attrs class costs about 1 us on its
    # first use (through the class's __getattr__). Not compared, hashed or shown: they follow
    # from ``raw``.
    _parts: tuple[str, str, str] | None = attrs.field(init=False, eq=False, hash=False, repr=False)
    key: str = attrs.field(init=False, eq=False, hash=False, repr=False)
    """The comparison key: upper-case, without dashes or white space.

    ``B76-0324527-8`` and ``b7603245278`` share a key: they name the same entry.
    """

    def __attrs_post_init__(self) -> None:
        raw = self.raw
        # The usual number, written "B76-0324527-8": its parts and key by slicing, without
        # the regular expression (every entry of a population is numbered so).
        if len(raw) == 13 and raw[3] == "-" and raw[11] == "-" and raw.isascii():
            code, serial, check = raw[:3].upper(), raw[4:11], raw[12]
            if code.isalnum() and serial.isdigit() and check.isdigit():
                object.__setattr__(self, "_parts", (code, serial, check))
                object.__setattr__(self, "key", code + serial + check)
                return
        # Typographic dashes are dashes; any other non-ASCII letter or digit is not one of an
        # entry number's (upper() would make "ß" "SS").
        text = raw if raw.isascii() else _with_hyphens(raw)
        match = _ENTRY_NUMBER_RE.match(text.strip().upper())
        if match is not None and not "".join(text.split()).isascii():
            match = None
        parts = None if match is None else match.group(1, 2, 3)
        object.__setattr__(self, "_parts", parts)
        object.__setattr__(self, "key", entry_number_key(raw))

    @property
    def is_well_formed(self) -> bool:
        """Whether the text has the ``XXX-NNNNNNN-C`` shape (dashes optional, or spaces)."""
        return self._parts is not None

    @property
    def filer_code(self) -> str | None:
        """The three-character entry filer code, or ``None`` if the number is malformed."""
        return None if self._parts is None else self._parts[0]

    @property
    def serial(self) -> str | None:
        """The seven-digit filer-assigned number, or ``None`` if the number is malformed."""
        return None if self._parts is None else self._parts[1]

    @property
    def check_digit(self) -> str | None:
        """The check digit as filed, or ``None`` if the number is malformed."""
        return None if self._parts is None else self._parts[2]

    @property
    def expected_check_digit(self) -> str | None:
        """The check digit the filer code and serial call for, or ``None`` if malformed."""
        if self._parts is None:
            return None
        return str(compute_check_digit(self._parts[0], self._parts[1]))

    @property
    def is_check_digit_valid(self) -> bool:
        """Whether the number is well formed and its check digit is right."""
        return self._parts is not None and self.check_digit == self.expected_check_digit

    @property
    def formatted(self) -> str:
        """``XXX-NNNNNNN-C`` for a well-formed number, otherwise the raw text."""
        if self._parts is None:
            return self.raw
        return "-".join(self._parts)

    def __str__(self) -> str:
        return self.raw


@attrs.frozen
class Party:
    """A party to the entry (ultimate consignee or seller), as filed.

    Every field may be blank: a blank consignee name is a finding, not a load error.
    ``country`` is the ISO 3166-1 alpha-2 code as filed.
    """

    name: str = ""
    address: str = ""
    city: str = ""
    state: str = ""
    postal_code: str = ""
    country: str = ""

    @property
    def is_blank(self) -> bool:
        """Whether every field is empty."""
        return not any(attrs.astuple(self))


_HTS_SEPARATORS = re.compile(r"[;,\s]+")


def split_hts_numbers(value: "str | Iterable[str] | None") -> tuple[str, ...]:
    """The HTS numbers of an ``additional_hts`` cell: separated by ``;``, ``,`` or spaces.

    >>> split_hts_numbers("9903.88.03; 9903.01.24")
    ('9903.88.03', '9903.01.24')
    >>> split_hts_numbers("")
    ()
    """
    if not value:
        return ()  # the usual case, every line without extra numbers: no regex, no tuple
    if isinstance(value, str):
        return tuple(part for part in _HTS_SEPARATORS.split(value.strip()) if part)
    return tuple(part.strip() for part in value if part and part.strip())


@attrs.frozen
class LineItem:
    """One line of an entry: a description, a classification, an origin and a value.

    ``value_usd`` is the fair retail value in the country of shipment in U.S. dollars, as a
    :class:`~decimal.Decimal`; ``None`` means the value was left blank. ``quantity`` and
    ``gross_weight_kg`` likewise. The ``*_raw`` fields keep the text as filed (``"$1,200.00"``).
    """

    line_number: int
    description: str = ""
    hts_number: str = ""
    country_of_origin: str = ""
    value_usd: Decimal | None = None
    quantity: Decimal | None = None
    quantity_unit: str = ""
    gross_weight_kg: Decimal | None = None
    order_reference: str = ""
    value_raw: str = ""
    quantity_raw: str = ""
    gross_weight_raw: str = ""
    source_row: int | None = attrs.field(default=None, eq=False)
    """The 1-based data row this line was read from, when it came from a file."""
    additional_hts: tuple[str, ...] = attrs.field(default=(), converter=split_hts_numbers)
    """Further HTS numbers reported on the line beside its Chapter 1-97 number, as filed.

    Usually Chapter 99 numbers (Section 301 ``9903.88.xx``, IEEPA ``9903.01.xx``); from the
    ``additional_hts`` column, or from further rows with the same entry and line number (the
    ACE "tariff ordinal" shape), merged into this line by the loader.
    """

    @cached_property
    def hts_numbers(self) -> tuple[str, ...]:
        """Every HTS number of the line: :attr:`hts_number`, then :attr:`additional_hts`."""
        if not self.hts_number:
            return self.additional_hts
        return (self.hts_number, *self.additional_hts)

    @property
    def hts_digits(self) -> str:
        """The HTS number with dots, spaces and other separators removed (``"6109100012"``)."""
        return _digits_of(self.hts_number)


T86_TYPE = "86"
"""The ACE entry type code of a Section 321 Type 86 entry."""

_TYPE_CODE = re.compile(r"^(?:type\s*)?0*([0-9]{1,2})(?:\.0*)?$", re.IGNORECASE)


# A population files a few thousand HTS numbers, each on many lines: each is read once. (A
# plain property over a cache: a cached_property of a slotted attrs class costs some 600 ns on
# its first use, through the class's __getattr__, more than this look-up.)
@lru_cache(maxsize=8192)
def _digits_of(hts_number: str) -> str:
    return _NON_DIGITS.sub("", repaired_hts(hts_number))


def repaired_hts(hts_number: str) -> str:
    """An HTS number as filed, undoing what a spreadsheet does to a number kept as a number.

    Its float tail is dropped (:func:`without_float_tail`), and a number of chapters 01-09
    that lost its leading zero (``0101210010`` kept as the number 101210010: nine digits and
    nothing else) gets it back, as a port code ``101`` is ``0101``. A number typed with dots
    or spaces keeps its digits as filed.

    >>> repaired_hts("101210010"), repaired_hts("101210010.0"), repaired_hts("1012.10.010")
    ('0101210010', '0101210010', '1012.10.010')
    """
    bare = without_float_tail(hts_number).strip()
    if len(bare) == 9 and bare.isascii() and bare.isdigit():
        return "0" + bare
    return bare


_FLOAT_TAIL = re.compile(r"([0-9]{7,})\.0+")


def without_float_tail(hts_number: str) -> str:
    """An HTS number a spreadsheet wrote as a float (``6109100040.0``), without its ``.0``.

    Only seven digits or more and a zero fraction: a heading and subheading written with a dot
    (``6912.00``, ``6109.10``) and a dotted number (``6109.10.00.40``) are as filed.

    >>> without_float_tail(" 6109100040.0 "), without_float_tail("6912.00")
    ('6109100040', '6912.00')
    """
    if "." not in hts_number:
        return hts_number
    match = _FLOAT_TAIL.fullmatch(hts_number.strip())
    return match.group(1) if match else hts_number


# A population files a handful of type texts: each is read once (every entry asks).
@lru_cache(maxsize=256)
def entry_type_code(raw: str) -> str:
    """The two-digit ACE entry type code of an entry type as filed, or ``""`` when unreadable.

    Spreadsheets drop leading zeros (``"1"`` for ``"01"``) or write numbers as ``"11.0"``; a
    number of one or two digits is zero-padded to two. A blank or unreadable type gives ``""``.

    >>> [entry_type_code(t) for t in ("86", "086", "1", "11.0", " 01 ", "", "T6")]
    ['86', '86', '01', '11', '01', '', '']
    """
    match = _TYPE_CODE.match(raw.strip())
    if match is None:
        return ""
    code = match.group(1).zfill(2)
    return code if code != "00" else ""


def _line_tuple(values: Iterable[LineItem]) -> tuple[LineItem, ...]:
    return tuple(values)


def _row_tuple(values: Iterable[int]) -> tuple[int, ...]:
    return tuple(values)


def _day(value: dt.date) -> dt.date:
    """The arrival day: a date-time (a pandas ``Timestamp``, say) is read as its Eastern date.

    Dates are dates: every dated rule compares the arrival with dates, and a date-time there
    would fail the comparisons (or be taken for a later day) rather than be judged. The day
    is the U.S. Eastern calendar day (the domain reference's day of arrival): a naive
    date-time is Eastern already (the input contract), an aware one is converted first, so
    03:30 UTC on 2 May 2025 is 1 May (23:30 EDT), before that day's China/Hong Kong gate.
    (A file's text with an offset is refused by the loaders instead: an export that writes a
    date as midnight UTC would fall on the day before; a Python caller gives an instant.)
    """
    if not isinstance(value, dt.datetime):
        return value
    if value.tzinfo is not None and value.utcoffset() is not None:
        value = value.astimezone(us_eastern())
    return value.date()


def _entry_number(value: "EntryNumber | str") -> "EntryNumber":
    return value if isinstance(value, EntryNumber) else EntryNumber(value)


@attrs.frozen
class Entry:
    """A Type 86 entry as filed: entry-level data elements plus its line items.

    ``arrival_date`` is the date of arrival of the conveyance (U.S. Eastern calendar day); it
    governs the de minimis day, the value threshold and every dated policy. ``filed_at`` is the
    transmission time (naive values are U.S. Eastern, as the input contract says).
    """

    entry_number: EntryNumber = attrs.field(converter=_entry_number)
    arrival_date: dt.date = attrs.field(converter=_day)
    port_code: str = ""
    bill_of_lading: str = ""
    consignee: Party = attrs.field(factory=Party)
    seller: Party = attrs.field(factory=Party)
    lines: tuple[LineItem, ...] = attrs.field(factory=tuple, converter=_line_tuple)
    entry_type: str = "86"
    filed_at: dt.datetime | None = None
    estimated_arrival_date: dt.date | None = None
    mode: str = ""
    importer_of_record: str = ""
    pga_data: str = ""
    arrival_date_raw: str = ""
    filed_at_raw: str = ""
    estimated_arrival_date_raw: str = ""
    source: str = attrs.field(default="", eq=False)
    """Where the entry was read from (a path, or ``"<memory>"``)."""
    source_rows: tuple[int, ...] = attrs.field(factory=tuple, converter=_row_tuple, eq=False)
    """The 1-based data rows (or JSON record numbers) the entry was read from."""
    extra: Mapping[str, str] = attrs.field(factory=dict, eq=False, hash=False)
    """Columns of the input that are not canonical, kept for third-party rules."""

    @property
    def number(self) -> str:
        """The entry number as filed."""
        return self.entry_number.raw

    @property
    def type_code(self) -> str:
        """The two-digit entry type code (``"01"``, ``"11"``, ``"86"``), ``""`` if unreadable.

        See :func:`entry_type_code`.
        """
        return entry_type_code(self.entry_type)

    @property
    def judged_as_t86(self) -> bool:
        """Whether the T86 rules judge this entry: its type is 86, or blank or unreadable.

        An entry of another type (01 formal, 11 informal, ...) is loaded and listed but not
        judged by the T86 rules. An entry whose type is blank or unreadable is audited as a
        presumed Type 86 (rule FIL015 reports the blank type), so no T86 entry goes unjudged.
        """
        code = self.type_code
        return code == T86_TYPE or not code

    @cached_property
    def total_value(self) -> Decimal:
        """The sum of the lines' declared values (blank and negative values count as zero).

        The threshold is of the articles' aggregate value (19 U.S.C. 1321(a)(2)(C)): a line
        filed with a negative value (a "discount" line, VAL003 reports it) is no article, and
        netted in it would bring a $900 article under $800.
        """
        return sum(
            (
                line.value_usd
                for line in self.lines
                if line.value_usd is not None and line.value_usd > 0
            ),
            Decimal(0),
        )

    @property
    def filer_code(self) -> str | None:
        """The filer code from the entry number, or ``None`` if the number is malformed."""
        return self.entry_number.filer_code

    @cached_property
    def filed_day(self) -> dt.date | None:
        """The U.S. Eastern calendar day the entry was transmitted; ``None`` without a time.

        A naive ``filed_at`` is Eastern already (the input contract); an aware one is
        converted, so a T86 sent at 02:00 UTC is filed the evening before.
        """
        filed = self.filed_at
        if filed is None:
            return None
        return filed.date() if filed.tzinfo is None else filed.astimezone(us_eastern()).date()

    @property
    def untyped_dates(self) -> tuple[dt.date, dt.datetime | None, str] | None:
        """What tells whether a blank-type record could have been a T86; ``None`` if typed.

        For a record whose type is blank or unreadable: its arrival date and, when it was
        transmitted on a later U.S. Eastern day than it arrived, its filing time and the text of
        it (``None`` and ``""`` otherwise). With the policy table, this decides whether it was
        entered when no T86 could be made (:func:`t86audit.rules.presumed_not_t86`). The rules
        that mark that presumption and declare their inputs read this, so an entry whose type is
        given (nearly all of them) adds one value, ``None``, to their cache keys.
        """
        if self.entry_type == T86_TYPE or self.type_code:
            return None
        day = self.filed_day
        filed = self.filed_at
        if day is None or filed is None or day <= self.arrival_date:
            return (self.arrival_date, None, "")
        return (self.arrival_date, filed, self.filed_at_raw)

    @cached_property
    def origins(self) -> frozenset[str]:
        """The upper-cased countries of origin of the lines."""
        return frozenset(line.country_of_origin.strip().upper() for line in self.lines)

    @cached_property
    def ref(self) -> "EntryRef":
        """A compact reference to the entry, for group rules that remember it (one per entry).

        Built once and cached, so every rule that keeps the entry's reference shares one small
        object instead of keeping the whole entry alive.
        """
        return EntryRef.of(self)


_RUN_BITS = 16
_MAX_RUN = (1 << _RUN_BITS) - 1


def _pack_rows(rows: "Iterable[int] | int") -> "int | tuple[int, ...]":
    """Rows as :class:`EntryRef` keeps them: a run of consecutive rows as one int.

    ``(first << 16) | count`` for ``first, first + 1, ..., first + count - 1`` (the rows of
    nearly every entry read from a file), else the tuple. One int is a fifth of the size of a
    tuple of ints, and a reference is kept for every entry of a population.
    """
    if isinstance(rows, int):
        return rows  # already packed (attrs.evolve passes the stored value back)
    rows = tuple(rows)
    count = len(rows)
    if not 0 < count <= _MAX_RUN:
        return rows
    first = rows[0]
    if count == 1 or rows == tuple(range(first, first + count)):
        return (first << _RUN_BITS) | count
    return rows


@attrs.frozen(weakref_slot=False, repr=False)
class EntryRef:
    """What a finding needs of an entry, without the entry: its number, arrival and provenance.

    A group rule's state lives until the end of the pass; keeping an :class:`EntryRef` (and the
    few values its ``finish`` needs) instead of the :class:`Entry` keeps that state small. A
    :class:`~t86audit.findings.Hit` accepts either. Get one with :attr:`Entry.ref`.

    Attributes:
        number: the entry number as filed.
        key: the entry number's comparison key (:attr:`EntryNumber.key`).
        arrival_date: the date of arrival.
        source: where the entry was read from.
        source_rows: the rows the entry was read from (kept packed; see :attr:`source_rows`).
    """

    number: str
    key: str
    arrival_date: dt.date
    source: str = ""
    _rows: "int | tuple[int, ...]" = attrs.field(
        default=(), alias="source_rows", converter=_pack_rows
    )

    @classmethod
    def of(cls, entry: Entry) -> "EntryRef":
        """A new reference to ``entry`` (prefer the cached :attr:`Entry.ref`)."""
        number = entry.entry_number
        return cls(number.raw, number.key, entry.arrival_date, entry.source, entry.source_rows)

    @property
    def source_rows(self) -> tuple[int, ...]:
        """The rows the entry was read from, as :attr:`Entry.source_rows` gives them."""
        rows = self._rows
        if isinstance(rows, tuple):
            return rows
        first = rows >> _RUN_BITS
        return tuple(range(first, first + (rows & _MAX_RUN)))

    @property
    def entry_number(self) -> EntryNumber:
        """The entry number, rebuilt on demand.

        Built anew on each access rather than kept: a parsed number (its parts and check digit)
        is several times the size of its text, and a reference is kept for every entry.
        """
        return EntryNumber(self.number)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # A reference travels back from every worker process for every entry: rebuilt from
        # its five values, it pickles in a fraction of the time of attrs' field-by-field state.
        return (EntryRef, (self.number, self.key, self.arrival_date, self.source, self._rows))

    def __repr__(self) -> str:
        return (
            f"EntryRef(number={self.number!r}, key={self.key!r}, "
            f"arrival_date={self.arrival_date!r}, source={self.source!r}, "
            f"source_rows={self.source_rows!r})"
        )
