"""FIL: filing mechanics and data integrity: entry number, bill, filing time, EDA, port, type.

Dates: ``arrival_date`` is a U.S. Eastern calendar day and the data carry no time of arrival, so
"filed after arrival" means "transmitted on a later Eastern calendar day than the arrival date".
``filed_at`` is aware (the loaders make naive input U.S. Eastern) or, in entries built in memory,
naive, which is read as U.S. Eastern too. An entry without a filing time is not judged by the
timing rules: the data element was not supplied, which is not evidence of late filing.
"""

from __future__ import annotations

import bisect
import datetime as dt
import decimal
import functools
import itertools
import re
import struct
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, Unpack, cast

from t86audit._citations import cites
from t86audit.findings import Hit
from t86audit.model import Entry, EntryRef, _with_hyphens, us_eastern
from t86audit.normalize import is_placeholder, last_by_identity
from t86audit.reference import PORT_CODE_CLASSES, Port, classify_port_code, port_table
from t86audit.rules._base import (
    DURING_T86_TEST,
    Example,
    Rule,
    RuleCode,
    RuleContext,
    on_arrival,
    presuming_t86,
)
from t86audit.rules._catalog import builtin_group_rule, builtin_rule
from t86audit.rules._examples import flags, num, passes, population
from t86audit.rules._families import port_rule, reading
from t86audit.rules._hits import entry_hit, line_hit
from t86audit.rules._kept import Kept, gather, kept_in, kept_of, left_out, unsettled


if TYPE_CHECKING:
    from t86audit.policy import PolicyPeriod
    from t86audit.rules._base import Finish


_ENTRY_NUMBER_CITES = cites("cfr19-142.3a", "catair-entry-numbers")
"""What FIL001 and FIL002 (the shape and check digit of the entry number) rest on."""


# --------------------------------------------------------------------------------------------
# Shared helpers


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def _where(entry: Entry | EntryRef) -> str:
    """``"arriving 2024-04-16 in entries.csv row 12"``: enough to find one of several filings."""
    text = f"arriving {entry.arrival_date.isoformat()}"
    if entry.source and entry.source != "<memory>":
        text += f" in {PurePath(entry.source).name}"
    if entry.source_rows:
        text += f" row {entry.source_rows[0]}"
    return text


# --------------------------------------------------------------------------------------------
# FIL001 / FIL002: entry number shape and check digit


def _is_digits(text: str, length: int) -> bool:
    return len(text) == length and text.isascii() and text.isdigit()


def _malformed_reason(raw: str) -> str:
    """Why a number is not ``XXX-NNNNNNN-C``, in words a filer can act on."""
    text = raw.strip().upper()
    if not text.isascii():
        text = _with_hyphens(text)  # an en dash is a dash, as the model reads it
    if not text:
        return "is blank"
    if any(c.isspace() for c in text):
        return "contains spaces"
    parts = text.split("-")
    if len(parts) == 3:
        filer, serial, check = parts
        if not (len(filer) == 3 and filer.isascii() and filer.isalnum()):
            return f"has the filer code {filer!r}, not 3 letters or digits"
        if not _is_digits(serial, 7):
            return (
                f"has the serial {serial!r} ({len(serial)} characters), not 7 digits "
                "(leading zeros are required)"
            )
        if not _is_digits(check, 1):
            return f"has the check digit {check!r}, not one digit"
    compact = text.replace("-", "")
    if not (compact.isascii() and compact.isalnum()):
        return "contains characters other than letters, digits and dashes"
    if len(compact) != 11:
        return f"has {len(compact)} letters and digits, not 11"
    if not compact[3:].isdigit():
        return "has letters after the 3-character filer code"
    return "has its dashes in the wrong places"


@builtin_rule(
    "FIL001",
    citations=_ENTRY_NUMBER_CITES,
    examples=[
        Example(
            "a six-digit serial, 'B76-324527-8'",
            lambda: population({"entry_number": "B76-324527-8"}),
            flagged=["B76-324527-8"],
        ),
        Example(
            "no check digit, 'B760324527'",
            lambda: population({"entry_number": "B760324527"}),
            flagged=["B760324527"],
        ),
        Example(
            "filer code 000, '000-1234567-4' (all-digit filer codes run from 001 to 999)",
            lambda: population({"entry_number": "000-1234567-4"}),
            flagged=["000-1234567-4"],
        ),
        passes(
            "'B76-0324527-8' and the same without dashes",
            {"entry_number": "B76-0324527-8"},
            {"entry_number": "B7603245278"},
        ),
    ],
)
def entry_number_malformed(entry: Entry, ctx: RuleContext) -> Iterator[Hit]:
    """Flag an entry number that does not have the XXX-NNNNNNN-C shape."""
    number = entry.entry_number
    if not number.is_well_formed:
        yield Hit(
            entry,
            field="entry_number",
            observed=number.raw,
            expected="XXX-NNNNNNN-C: 3-character filer code, 7-digit serial, check digit",
            message=f"entry number {number.raw!r} {_malformed_reason(number.raw)}",
        )
    elif number.filer_code == "000":
        yield Hit(
            entry,
            field="entry_number",
            observed=number.raw,
            expected="a filer code CBP assigns: letters and digits, or digits 001 to 999",
            message=f"entry number {number.raw!r} has filer code 000, which CBP assigns to no "
            "filer (all-digit filer codes run from 001 to 999)",
        )


@builtin_rule(
    "FIL002",
    citations=_ENTRY_NUMBER_CITES,
    examples=[
        Example(
            "'B76-0324527-9' (the formula gives 8)",
            lambda: population({"entry_number": "B76-0324527-9"}),
            flagged=["B76-0324527-9"],
        ),
        passes("'B76-0324527-8', Appendix E's worked example", {"entry_number": "B76-0324527-8"}),
        passes(
            "a malformed number (FIL001's case) is not judged here",
            {"entry_number": "B76-324527-8"},
        ),
    ],
)
def entry_number_check_digit(entry: Entry, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a well-formed entry number whose check digit is wrong."""
    number = entry.entry_number
    if number.is_well_formed and not number.is_check_digit_valid:
        expected = number.expected_check_digit
        yield Hit(
            entry,
            field="entry_number",
            observed=number.raw,
            expected=f"{number.filer_code}-{number.serial}-{expected}",
            message=(
                f"check digit {number.check_digit} of entry number {number.raw!r} does not "
                f"match filer code {number.filer_code} and serial {number.serial}; the formula "
                f"gives {expected}"
            ),
        )


# --------------------------------------------------------------------------------------------
# FIL003 / FIL004: one number, several filings; one filing, several copies


def _number_key(entry: Entry, ctx: RuleContext) -> Iterator[Hashable]:
    key = entry.entry_number.key
    if key:
        yield key


def _eastern_instant(value: dt.datetime | None) -> dt.datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=us_eastern())


_FINGERPRINT_FIELDS = (
    "arrival_date",
    "filed_at",
    "estimated_arrival_date",
    "port_code",
    "bill_of_lading",
    "entry_type",
    "mode",
    "consignee",
    "seller",
    "importer_of_record",
    "pga_data",
    "lines",
)


# Exact arithmetic for the canonical form of a number: no rounding to a context's precision.
_EXACT = decimal.Context(prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@functools.lru_cache(maxsize=4096)
def _number(text: str) -> str:
    """A number's text (``str(value)``) in a form that is equal exactly when the numbers are.

    ``12.50`` and ``1.25E+1`` are both ``12.5``; ``"None"`` (no number) stays as it is. Keyed
    by the text, which is cheap to make and to look up, and which a population repeats.
    """
    # Only a coefficient ending in a zero, or an exponent, can spell the value another way.
    if text[-1] != "0" and "E" not in text:
        return text
    value = Decimal(text)
    if not value.is_finite():
        return text
    return str(value.normalize(_EXACT)) if value else "0"


@functools.lru_cache(maxsize=8192)
def _instant(value: dt.datetime | None) -> str:
    """A filing time as the time since 1970-01-01 UTC, as text (naive times are U.S. Eastern).

    Equal exactly when the instants are, whatever the zones. A difference, not a conversion
    to UTC, so a time near the ends of the calendar cannot overflow. Cached: a population
    repeats its filing times (the loaders share one object per text), and an offset in a
    named zone is costly to look up.
    """
    aware = _eastern_instant(value)
    if aware is None:
        return "None"
    if aware.utcoffset() is None:
        # A time zone that gives no offset makes the time naive: compare it as written.
        return repr(aware)
    return str(aware - _EPOCH)


def _fingerprint(entry: Entry) -> tuple[Hashable, ...]:
    """What the entry says, without the spelling of it: raw texts and provenance left out.

    Two exports of one filing (one writing ``2024-06-02T18:30:00``, the other ``...-04:00``, or
    ``12.5`` against ``12.50``) give the same fingerprint. Every value is text in a canonical
    form (``str()`` of a date or of ``None``), in tuples, so hashing a field is as strong as
    hashing text: a number's hash would make ``-1`` and ``-2`` one value.
    """
    number = _number
    lines = tuple(
        [
            (
                str(line.line_number),
                line.description.strip(),
                line.hts_digits,
                line.country_of_origin.strip().upper(),
                number(str(line.value_usd)),
                number(str(line.quantity)),
                line.quantity_unit.strip().upper(),
                number(str(line.gross_weight_kg)),
                line.order_reference.strip().upper(),
            )
            for line in entry.lines
        ]
    )
    consignee, seller = entry.consignee, entry.seller
    return (
        str(entry.arrival_date),
        _instant(entry.filed_at),
        str(entry.estimated_arrival_date),
        _port_code(entry.port_code),
        _bill_numbers(entry.bill_of_lading),
        entry.entry_type.strip(),
        entry.mode.strip().lower(),
        (
            consignee.name,
            consignee.address,
            consignee.city,
            consignee.state,
            consignee.postal_code,
            consignee.country,
        ),
        (
            seller.name,
            seller.address,
            seller.city,
            seller.state,
            seller.postal_code,
            seller.country,
        ),
        entry.importer_of_record.strip().upper(),
        entry.pga_data.strip().lower(),
        lines,
    )


_CHECKS = struct.Struct(f"<q{len(_FINGERPRINT_FIELDS)}I")
_LOW_32 = 0xFFFFFFFF


def _digest(entry: Entry) -> bytes:
    """The filing's fingerprint in 56 bytes: a 64-bit hash of the whole, then 32 bits a field.

    Every value of the fingerprint is text (or ``None``), and Python hashes text with a keyed
    64-bit hash (SipHash), so two different filings get the same digest with a chance of about
    one in 2**61, and no filer can aim for it without the process's key. The hashes differ from
    one process to the next, which does not matter: a group is folded and finished in one
    process, and nothing is ordered by them. A field's 32 bits only name the fields two
    different filings differ in.
    """
    hashes = tuple(map(hash, _fingerprint(entry)))
    return _CHECKS.pack(hash(hashes), *map(_LOW_32.__and__, hashes))


def _keep_filing(state: Any, entry: Entry, ctx: RuleContext) -> Any:
    """FIL003's and FIL004's fold: the entry's shared record, with its digest (made once)."""
    kept = kept_of(entry, ctx)
    if kept.digest is None:
        kept.digest = _digest(entry)
    return gather(state, kept)


def _number_rule(code: str, **metadata: Unpack[RuleCode]) -> Callable[[Finish], Rule]:
    """Declare a group rule on the records that share one entry number (FIL003, FIL004).

    Both group by the number's key and keep the same record of each filing (its digest), and
    a number used once is never a finding of either.
    """
    return builtin_group_rule(
        code, keys=_number_key, fold=_keep_filing, needs_two=True, **metadata
    )


Filing = tuple[EntryRef, bytes]
"""A filing as FIL003 and FIL004 compare it: its reference and its fingerprint digest."""


def _filings(state: list[Kept]) -> list[Filing]:
    return [(kept.ref, cast("bytes", kept.digest)) for kept in state]


def _provenance(entry: EntryRef) -> tuple[str, str, str]:
    return (_where(entry), entry.source, entry.number)


def _ordered_filings(filings: Iterable[Filing]) -> list[Filing]:
    # Sorted on provenance so the findings do not depend on input order. Records that tie
    # (in-memory entries without rows, one number, one arrival date) print the same, and what
    # is worked out from their contents takes all of them (see _compared).
    return sorted(filings, key=lambda f: _provenance(f[0]))


_MAX_SHOWN = 5
_MAX_RELATED = 25


def _others(filings: Sequence[Filing], entry: EntryRef) -> list[EntryRef]:
    """Up to ``_MAX_RELATED`` of the group's other records, in the group's order."""
    out: list[EntryRef] = []
    for other, _ in filings:
        if other is not entry:
            out.append(other)
            if len(out) == _MAX_RELATED:
                break
    return out


def _listing(others: Sequence[EntryRef], count: int) -> str:
    shown = "; ".join(_where(e) for e in others[:_MAX_SHOWN])
    return shown + (f"; and {count - _MAX_SHOWN} more" if count > _MAX_SHOWN else "")


def _compared(distinct: Sequence[tuple[bytes, tuple[str, str, str]]], mine: bytes) -> list[bytes]:
    """The first ``_MAX_SHOWN`` other filings, with any the last of them ties with.

    ``distinct`` is each different filing with the provenance it first appears with, in the
    group's order; a filing that ties with the last one taken is taken too, so which are
    compared does not depend on the order of the input.
    """
    out: list[bytes] = []
    last = None
    for digest, provenance in distinct:
        if digest == mine:
            continue
        if len(out) >= _MAX_SHOWN and provenance != last:
            break
        out.append(digest)
        last = provenance
    return out


def _differences(mine: bytes, others: Iterable[bytes]) -> list[str]:
    checks = _CHECKS.unpack(mine)[1:]
    differing: set[int] = set()
    for other in others:
        theirs = _CHECKS.unpack(other)[1:]
        differing.update(i for i, (a, b) in enumerate(zip(checks, theirs, strict=True)) if a != b)
    return [_FINGERPRINT_FIELDS[i] for i in sorted(differing)]


_TWO_FILINGS: tuple[dict[str, Any], ...] = (
    {},
    {"entry_number": num(1), "arrival_date": dt.date(2024, 8, 6)},
)
"""Two different filings under one number (FIL003 flags them, FIL004 passes them)."""


@_number_rule(
    "FIL003",
    citations=cites("cfr19-142.3a", "catair-duplicates"),
    examples=[
        flags("one number on entries arriving 2024-06-03 and 2024-08-06", *_TWO_FILINGS),
        passes("two entries, two numbers", {}, {}),
        passes("one filing exported twice (FIL004's case)", {}, {"entry_number": num(1)}),
    ],
)
def duplicate_entry_number(key: Hashable, state: Any, ctx: RuleContext) -> Iterator[Hit]:
    """Flag every filing under a number that two or more different filings share."""
    if not isinstance(state, list):
        return
    filings = _ordered_filings(_filings(state))
    first: dict[bytes, tuple[str, str, str]] = {}
    for entry, digest in filings:
        if digest not in first:
            first[digest] = _provenance(entry)
    if len(first) < 2:
        return
    distinct = list(first.items())
    for entry, mine in filings:
        others = _others(filings, entry)
        fields = _differences(mine, _compared(distinct, mine))
        yield Hit(
            entry,
            field="entry_number",
            observed=entry.number,
            expected="a number used for one entry only",
            message=(
                f"entry number {entry.number!r} ({_where(entry)}) is also used by "
                f"{len(filings) - 1} other record(s): {_listing(others, len(filings) - 1)}; "
                f"the filings differ in {', '.join(fields)}"
            ),
            related=[e.number for e in others],
        )


@_number_rule(
    "FIL004",
    citations=cites("cfr19-142.3a"),
    examples=[
        flags("one filing exported twice", {}, {"entry_number": num(1)}),
        passes("two different filings under one number (FIL003's case)", *_TWO_FILINGS),
        passes("two entries, two numbers", {}, {}),
    ],
)
def entry_repeated_in_input(key: Hashable, state: Any, ctx: RuleContext) -> Iterator[Hit]:
    """Flag each copy of a filing that occurs more than once."""
    if not isinstance(state, list):
        return
    copies: dict[bytes, list[Filing]] = {}
    for entry, fp in _ordered_filings(_filings(state)):
        copies.setdefault(fp, []).append((entry, fp))
    for same in copies.values():
        if len(same) < 2:
            continue
        for entry, _ in same:
            others = _others(same, entry)
            yield Hit(
                entry,
                field="entry_number",
                observed=entry.number,
                expected="each filing once",
                message=(
                    f"entry {entry.number!r} ({_where(entry)}) is repeated with identical "
                    f"data: {_listing(others, len(same) - 1)}"
                ),
                related=[e.number for e in others],
            )


# --------------------------------------------------------------------------------------------
# FIL005 / FIL006 / FIL007: bill of lading


# Separators a broker system uses to list several bills in one field. White space is not one:
# ocean bills are often written "MAEU 123456789", air waybills "738 26418497".
_BILL_SEPARATOR = re.compile(r"[,;|/&+\n]|\sand\s", re.IGNORECASE)
# Bills whose shape says they are whole, so that white space beside them can only separate them
# from another: an air waybill, a 3-digit airline prefix and an 8-digit serial (written
# "176-12345675", "17612345675", "176 12345675" or "176-1234 5675"), and a UPS tracking number
# ("1Z" and 16 letters and digits). Other shapes are not recognised whole: carriers print long
# numbers in groups ("7489 4567 1234"), and an ocean bill is its carrier's code and a number.
_WHOLE_BILL_TEXT = r"(?:[0-9]{3}[-\s]?[0-9]{4}\s?[0-9]{4}|1Z[0-9A-Z]{16})"
_WHOLE_BILL = re.compile(_WHOLE_BILL_TEXT, re.IGNORECASE)
_SPACED_BILLS = re.compile(rf"{_WHOLE_BILL_TEXT}(?:\s+{_WHOLE_BILL_TEXT})+", re.IGNORECASE)
"""Two or more whole bills with white space alone between them."""
_NOT_ALNUM = re.compile(r"[^0-9A-Z]")
_BILL_PLACEHOLDERS = frozenset(
    {
        "NOBILL",
        "NO",
        "NOBL",
        "NOAWB",
        "BL",
        "BOL",
        "AWB",
        "MAWB",
        "HAWB",
        "SEEINVOICE",
        "SEEATTACHED",
        "SEEBELOW",
    }
)
"""A bill field that names no bill, beside the shared placeholders: a bill's own labels alone."""


def _bill_key(text: str) -> str:
    """A bill compared without case, spaces or punctuation: '176-1234 5675' -> '17612345675'."""
    return _NOT_ALNUM.sub("", text.upper())


def _is_placeholder_bill(key: str) -> bool:
    # The shared placeholders, and a run of one filler character ("XXXXXXXX") names no bill.
    return is_placeholder(key, _BILL_PLACEHOLDERS) or set(key) == {"X"}


def _looks_like_bill(key: str) -> bool:
    # A fragment such as "1" in "12345/1" is a suffix, not a second bill.
    return len(key) >= 6 and any(c.isdigit() for c in key) and not _is_placeholder_bill(key)


def _pieces(part: str) -> list[str]:
    """``part`` as the whole bills it lists with white space alone between them, else itself.

    "176-12345675 176-12345686" is two air waybills, each an airline prefix and a serial; the
    eleven digits of each fix where one ends ("738 2641 8497 738 2641 8501" is two as well).
    "738 26418497" (one air waybill), "MAEU 123456789" (one ocean bill) and "176-12345675
    SZX0098123" (nothing says where "SZX0098123" ends) stay one part.
    """
    text = part.strip()
    if len(text) < 23 or _SPACED_BILLS.fullmatch(text) is None:  # (two bills: 22 characters)
        return [part]
    return _WHOLE_BILL.findall(text)


@functools.lru_cache(maxsize=4096)
def _split_bills(text: str) -> tuple[str, ...]:
    parts = [_bill_key(piece) for part in _BILL_SEPARATOR.split(text) for piece in _pieces(part)]
    bills = tuple(dict.fromkeys(key for key in parts if _looks_like_bill(key)))
    if len(bills) >= 2 or (len(bills) == 1 and parts.count(bills[0]) >= 2):
        # Several bills, or one bill written twice ("X; X"), which is still one bill.
        return bills
    others = [key for key in parts if key not in bills]
    if all(_is_placeholder_bill(key) for key in others):
        # One bill beside placeholders ("020-12121233 / N/A"), or placeholders only
        # ("N/A / N/A"): the placeholders name no bill.
        return bills
    whole = _bill_key(text)
    return () if _is_placeholder_bill(whole) else (whole,)


_LABELS = re.compile(
    r"\b(?P<label>M/B/L|H/B/L|MB/L|HB/L|MAWB|HAWB|MBOL|HBOL|MBL|HBL"
    r"|(?:MASTER|HOUSE)(?:\s+(?:AWB|BILL(?:\s+OF\s+LADING)?|B/L))?"
    r"|AWB|B/L|BOL|BL|BILL\s+OF\s+LADING|WAYBILL|AIR\s+WAYBILL)"
    r"(?:\s*(?:NO\.?|#))?(?=[\s:#=.]|$)[\s:#=.]*",
    re.IGNORECASE,
)
"""A label before a bill number: a master or house one ("MAWB 176-...", "HBL: SZX...", "House
AWB #", "MB/L:"), or a plain one that says no role ("AWB 176-...", "B/L No. MAEU...")."""
_AIR_WAYBILL = re.compile(r"^[0-9]{11}$")
_PLAIN_BILL = re.compile(r"[0-9A-Za-z-]+\Z")
"""A field of letters, digits and hyphens only: no separator, so at most one bill."""


def _is_air_waybill(key: str) -> bool:
    """An air waybill's shape: a 3-digit airline prefix and an 8-digit serial, 11 digits.

    The serial's last digit is the carrier's mod-7 check digit, but it is not asked for: the
    shape only tells a master from a house bill, and an air waybill with a mistyped check digit
    is still one. (No rule judges that check digit: the domain reference gives no source for
    it in a T86; its mod-7 is the in-bond number's.)
    """
    return bool(_AIR_WAYBILL.match(key))


def _label_role(label: str) -> str:
    """``M`` for a master label, ``H`` for a house label, ``-`` for one that names no role."""
    first = label[0].upper()
    return first if first in "MH" else "-"


_ROLES = {"M": "master", "H": "house"}
"""The role a master or house label's marker letter stands for."""


def _marked_label(match: re.Match[str]) -> str:
    role = _label_role(match.group("label"))
    return " " if role == "-" else f"\x00{role}\x01"


def _labelled_bills(text: str) -> list[tuple[str | None, str]]:
    """The field's bills as ``(role, key)``: role ``master``, ``house`` or ``None`` (no label).

    A master or house label splits bills as separators do ("MAWB 176-12345675 HAWB SZX0098123"
    is two); a plain label ("AWB", "B/L") only drops out, so that what stands on either side of
    it is one bill ("MAEU B/L 123456789" is "MAEU123456789": the carrier's code is part of an
    ocean bill). Labels are not part of the key ("HAWB SZX0098123" and "SZX0098123" are one
    bill); a label run into the number ("HAWB001234") is the number.
    """
    marked = _LABELS.sub(_marked_label, text)
    bills: list[tuple[str | None, str]] = []
    for part in _BILL_SEPARATOR.split(marked):
        for chunk in part.split("\x00"):
            role: str | None = None
            number = chunk
            if "\x01" in chunk:
                letter, _, number = chunk.partition("\x01")
                role = _ROLES.get(letter)
            for piece in _pieces(number):
                key = _bill_key(piece)
                if key:
                    bills.append((role, key))
    return bills


def _master_house_pair(text: str) -> tuple[str, str] | None:
    """``(master, house)`` keys when the field gives one shipment's master and house bill.

    A consolidation's house bill is filed with its master: labelled ("MAWB 176-12345675 HAWB
    SZX0098123", "MBL: ... / HBL: ..."), or as two bills of which exactly one is an air waybill
    (11 digits) and the other is not ("176-12345675 / SZX0098123"). Anything else is not one
    pair: two air waybills, two house bills, or three bills.
    """
    bills = [(role, key) for role, key in _labelled_bills(text) if _looks_like_bill(key)]
    if len(bills) != 2 or bills[0][1] == bills[1][1]:
        return None
    roles = {role for role, _ in bills}
    if roles == {"master", "house"}:
        master = next(key for role, key in bills if role == "master")
        house = next(key for role, key in bills if role == "house")
        return master, house
    if "house" in roles and "master" not in roles:
        houses = [key for role, key in bills if role == "house"]
        others = [key for role, key in bills if role != "house"]
        if len(houses) != 1:
            return None  # two house bills: two shipments, not one pair
        return (others[0], houses[0]) if _is_air_waybill(others[0]) else None
    airs = [key for _, key in bills if _is_air_waybill(key)]
    if len(airs) != 1:
        return None
    master = airs[0]
    house = next(key for _, key in bills if key != master)
    if "master" in roles and next(r for r, k in bills if k == master) != "master":
        return None  # a labelled master that is not the air waybill: read as two bills
    return master, house


_SLASHED_NA = re.compile(r"\bN\s*/\s*A\b", re.IGNORECASE)
"""'N/A', whose slash is not a separator of two bills ('N/A / N/A' names none)."""


# FIL003, FIL005, FIL006 and FIL007 read the bills of each entry in turn: the last field read
# is remembered (by identity: the loaders intern their texts), so it is parsed once.
@last_by_identity
def _bill_numbers(text: str) -> tuple[str, ...]:
    """The bills named in a bill-of-lading field, as comparison keys; ``()`` if none.

    One bill for an ordinary value, several when the field lists several (separated by commas,
    semicolons, slashes and the like, or by white space alone between whole air waybills or UPS
    tracking numbers: :func:`_pieces`), none when it is blank or a placeholder ('N/A', 'TBD').
    """
    text = text.strip()
    if "/" in text:
        text = _SLASHED_NA.sub("NA", text)
    if not text:
        return ()
    if _PLAIN_BILL.match(text) and not _LABELS.search(text):
        # One bill, as most fields are ("SZX0098123", "176-12345675"): no separator and no
        # label, so no pair and no list; what the general reading below would return.
        key = _bill_key(text)
        return () if _is_placeholder_bill(key) else (key,)
    pair = _master_house_pair(text)
    if pair is not None:
        # One shipment: the house bill names it (the master covers the whole consolidation).
        return (pair[1],)
    if _LABELS.search(text):
        bills = tuple(
            dict.fromkeys(key for _, key in _labelled_bills(text) if _looks_like_bill(key))
        )
        if bills:
            return bills
        if _is_placeholder_bill(_bill_key(_LABELS.sub("", text))):
            return ()  # "HAWB N/A": a label and a placeholder name no bill
    if _BILL_SEPARATOR.search(text) or len(_pieces(text)) > 1:
        return _split_bills(text)
    key = _bill_key(text)
    return () if _is_placeholder_bill(key) else (key,)


@builtin_rule(
    "FIL005",
    in_force=DURING_T86_TEST,
    citations=cites("fr89-2630", "fr84-40079", "ace-one-bill"),
    examples=[
        flags("a blank bill", {"bill_of_lading": ""}),
        flags("the bill 'N/A'", {"bill_of_lading": "N/A"}),
        flags("a label and a placeholder 'B/L TBD'", {"bill_of_lading": "B/L TBD"}),
        passes("an air waybill '176-12345675'", {"bill_of_lading": "176-12345675"}),
        passes(
            "a labelled air waybill 'AWB 176-12345675'", {"bill_of_lading": "AWB 176-12345675"}
        ),
    ],
)
def bill_of_lading_missing(entry: Entry, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a blank or placeholder bill of lading."""
    if not _bill_numbers(entry.bill_of_lading):
        filed = entry.bill_of_lading.strip()
        yield entry_hit(
            entry,
            "bill_of_lading",
            expected="the bill of lading or air waybill number of the shipment",
            message=(
                f"bill of lading {filed!r} is a placeholder, not a bill number"
                if filed
                else "bill of lading is blank"
            ),
        )


@builtin_rule(
    "FIL006",
    in_force=DURING_T86_TEST,
    citations=cites("ace-one-bill", "fr89-2630"),
    examples=[
        flags("'176-12345675, 176-12345686'", {"bill_of_lading": "176-12345675, 176-12345686"}),
        flags(
            "two air waybills, '176-12345675 / 176-12345686'",
            {"bill_of_lading": "176-12345675 / 176-12345686"},
        ),
        passes(
            "a master and a house bill, '176-12345675 / SZX0098123'",
            {"bill_of_lading": "176-12345675 / SZX0098123"},
        ),
        passes(
            "labelled, 'MAWB 176-12345675 HAWB SZX0098123'",
            {"bill_of_lading": "MAWB 176-12345675 HAWB SZX0098123"},
        ),
        flags(
            "two air waybills with a space between, '176-12345675 176-12345686'",
            {"bill_of_lading": "176-12345675 176-12345686"},
        ),
        passes(
            "an ocean bill with a space, 'MAEU 123456789'", {"bill_of_lading": "MAEU 123456789"}
        ),
        passes(
            "an air waybill with a space after its airline prefix, '738 26418497'",
            {"bill_of_lading": "738 26418497"},
        ),
        passes(
            "a bill with a short suffix, '176-12345675/1'", {"bill_of_lading": "176-12345675/1"}
        ),
    ],
)
def more_than_one_bill_of_lading(entry: Entry, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a bill-of-lading field that names two or more bills."""
    bills = _bill_numbers(entry.bill_of_lading)
    if len(bills) > 1:
        yield entry_hit(
            entry,
            "bill_of_lading",
            expected="exactly one bill (master or house, or one shipment's master and house)",
            message=(
                f"{len(bills)} bills on one entry: {', '.join(bills)} (ACE's one-bill rule is "
                "reported by secondary sources, unverified in a primary CBP text)"
            ),
        )


def _bill_groups(entry: Entry, ctx: RuleContext) -> tuple[str, ...]:
    return _bill_numbers(entry.bill_of_lading)


def _keep_bill(state: Any, entry: Entry, ctx: RuleContext) -> Any:
    """FIL007's fold: the entry's shared record, with the bill field as filed."""
    kept = kept_of(entry, ctx)
    kept.bill_of_lading = entry.bill_of_lading
    return gather(state, kept)


def _reuse_spec(bill: str, day: dt.date) -> dict[str, Any]:
    return {"bill_of_lading": bill, "arrival_date": day}


@builtin_group_rule(
    "FIL007",
    in_force=DURING_T86_TEST,
    keys=_bill_groups,
    fold=_keep_bill,
    needs_two=True,
    options={"max_days_apart": 365},
    citations=cites("ace-one-bill", "itt-2025-one-package", "fr89-2630"),
    examples=[
        flags(
            "one air waybill, written two ways, on entries a week apart",
            _reuse_spec("176-12345675", dt.date(2024, 5, 14)),
            _reuse_spec("17612345675", dt.date(2024, 5, 21)),
            serials=(1, 2),
        ),
        passes("two entries, two bills", {}, {}),
        passes(
            "one air waybill number two years apart (a recycled serial)",
            _reuse_spec("176-12345675", dt.date(2022, 5, 14)),
            _reuse_spec("176-12345675", dt.date(2024, 5, 21)),
        ),
    ],
)
def bill_of_lading_reused(key: Hashable, state: Any, ctx: RuleContext) -> Iterator[Hit]:
    """Flag each entry whose bill is on another entry arriving within the window."""
    if not isinstance(state, list) or len({kept.ref.key for kept in state}) < 2:
        return
    window = int(ctx.options["max_days_apart"])
    if not _within(state, window):
        return  # (a recycled serial years apart, say): nothing to report, nothing to ask
    # An entry whose number is also on a record without this bill (a version with the bill
    # corrected), or whose versions here arrive on other days (the window is judged by the
    # day), may not carry the bill on that day: it is left out (see unsettled), so that a
    # bill is reported reused only if it is whichever version stands. FIL003 reports it.
    doubtful = unsettled(state, state, ctx, places=False, alike=_arrival)
    left: list[Kept] = []
    if doubtful:
        left = [kept for kept in state if kept.ref.key in doubtful]
        state = [kept for kept in state if kept.ref.key not in doubtful]
        if len({kept.ref.key for kept in state}) < 2:
            return
    records = [(kept.ref, cast("str", kept.bill_of_lading)) for kept in kept_in(state)]
    ordered = sorted(records, key=lambda r: (r[0].arrival_date, r[0].key, _where(r[0])))
    days = [ref.arrival_date.toordinal() for ref, _ in ordered]
    # Copies of one entry number are one entry: count them apart with their own day lists.
    by_number: dict[str, list[int]] = {}
    for (ref, _), day in zip(ordered, days, strict=True):
        by_number.setdefault(ref.key, []).append(day)
    copies = len(by_number) < len(ordered)
    flagged: set[str] = set()
    for (entry, bill_of_lading), day in zip(ordered, days, strict=True):
        if entry.key in flagged:
            continue  # a copy of an entry flagged: one entry, one finding (as CON007, HTS007)
        low = bisect.bisect_left(days, day - window)
        high = bisect.bisect_right(days, day + window)
        mine = by_number[entry.key]
        same = bisect.bisect_right(mine, day + window) - bisect.bisect_left(mine, day - window)
        count = (high - low) - same
        if count <= 0:
            continue
        flagged.add(entry.key)
        if copies:
            # Copies of another entry number are one other entry, named once.
            distinct = {ordered[i][0].key: ordered[i][0].number for i in range(low, high)}
            distinct.pop(entry.key, None)
            count = len(distinct)
            others = list(distinct.values())[:_MAX_RELATED]
        else:
            others = []
            for index in range(low, high):
                other = ordered[index][0]
                if other.key != entry.key:
                    others.append(other.number)
                    if len(others) == _MAX_RELATED:
                        break
        shown = ", ".join(others[:3]) + (f" and {count - 3} more" if count > 3 else "")
        filed = bill_of_lading.strip()
        bill = repr(filed) if _bill_numbers(filed) == (key,) else str(key)
        yield Hit(
            entry,
            field="bill_of_lading",
            observed=bill_of_lading,
            expected="a bill entered once",
            message=(
                f"bill {bill} is also on {count} other entr"
                f"{'y' if count == 1 else 'ies'} arriving within {_days(window)}: {shown}"
                + (
                    _MASTER_NOTE
                    if _bill_numbers(filed) == (key,) and _labelled_master(filed, key)
                    else ""
                )
                + left_out(
                    kept for kept in left if abs(kept.ref.arrival_date.toordinal() - day) <= window
                )
            ),
            related=others,
        )


def _within(records: list[Kept], window: int) -> bool:
    """Whether two records of different entry numbers arrive at most ``window`` days apart.

    The closest such pair is next to each other in arrival order (a record between them is
    closer to one of the two, and of another number than one of them), so only neighbours
    are compared.
    """
    ordered = sorted(records, key=_arrival)
    return any(
        a.ref.key != b.ref.key and (b.ref.arrival_date - a.ref.arrival_date).days <= window
        for a, b in itertools.pairwise(ordered)
    )


def _arrival(kept: Kept) -> dt.date:
    """The day FIL007's window judges a record by."""
    return kept.ref.arrival_date


_MASTER_NOTE = (
    "; the entry labels it a master bill, which a consolidation's house bills share, and "
    "names no house bill (a consolidation's T86 is filed under its house bill): this alone "
    "does not show one shipment entered twice"
)
"""FIL007's word on a reused bill the filer labelled master (MAWB, MBL, master) and gave alone."""


def _labelled_master(text: str, key: Hashable) -> bool:
    """Whether the bill field labels ``key`` a master bill ("MAWB 176-12345675")."""
    if not _LABELS.search(text):
        return False
    return any(role == "master" and bill == key for role, bill in _labelled_bills(text))


# --------------------------------------------------------------------------------------------
# FIL008 / FIL009: filed late


def _late_by(entry: Entry, deadline: int | None) -> tuple[dt.date, int] | None:
    """The filing day and the days after arrival, if later than ``deadline`` days after it."""
    if deadline is None:
        return None
    filed = entry.filed_day
    if filed is None:
        return None
    after = (filed - entry.arrival_date).days
    return (filed, after) if after > deadline else None


def _filed_text(entry: Entry) -> str:
    if entry.filed_at_raw:
        return entry.filed_at_raw
    return "" if entry.filed_at is None else entry.filed_at.isoformat()


def _late_hit(entry: Entry, late: tuple[dt.date, int], *, expected: str, limit: str) -> Hit:
    """FIL008's and FIL009's finding: the filing time as filed, how late it was, the limit.

    ``late`` is :func:`_late_by`'s filing day and days after arrival.
    """
    filed, after = late
    return Hit(
        entry,
        field="filed_at",
        observed=_filed_text(entry),
        expected=expected,
        message=(
            f"filed {filed.isoformat()} (U.S. Eastern), {_days(after)} after arrival on "
            f"{entry.arrival_date.isoformat()}; {limit}"
        ),
    )


def _filed(day: int, after: int, *, hour: int = 9) -> dict[str, Any]:
    arrival = dt.date(2024, 6, day)
    return {
        "arrival_date": arrival,
        "filed_at": dt.datetime.combine(arrival + dt.timedelta(days=after), dt.time(hour)),
    }


def _due_upon_arrival(period: PolicyPeriod) -> bool:
    """Whether a T86 had to be filed prior to or upon arrival (FIL008's law, from 15 Feb 2024).

    Not while no T86 could be filed at all: ELG001 or ELG002 says so, not a deadline missed.
    FIL008's check and its ``in_force`` both ask this, so they cannot disagree.
    """
    return period.filing_deadline_days == 0 and period.t86_available


def _filed_within_days(period: PolicyPeriod) -> bool:
    """Whether a T86 could be filed some days after arrival (FIL009's law, before 15 Feb 2024)."""
    return bool(period.filing_deadline_days)


def _filed_2023(after: int) -> dict[str, Any]:
    arrival = dt.date(2023, 3, 1)
    return {
        "arrival_date": arrival,
        "filed_at": dt.datetime.combine(arrival + dt.timedelta(days=after), dt.time(10, 15)),
        "estimated_arrival_date": None,
    }


@builtin_rule(
    "FIL008",
    citations=cites("fr89-2630", "csms-59089765", "csms-59889329"),
    examples=[
        flags("arrived 2024-06-03, filed 2024-06-04 09:00 Eastern", _filed(3, 1)),
        passes(
            "arrived 2024-06-03, filed 2024-06-04 02:00 UTC (22:00 Eastern on the arrival day)",
            {
                "arrival_date": dt.date(2024, 6, 3),
                "filed_at": dt.datetime(2024, 6, 4, 2, 0, tzinfo=dt.UTC),
            },
        ),
        passes("filed the evening before arrival", {}),
        passes(
            "arrived 2023-03-01, filed 5 days later (allowed before 15 Feb 2024)", _filed_2023(5)
        ),
    ],
    in_force=on_arrival(_due_upon_arrival),
)
def filed_after_arrival(entry: Entry, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a T86 transmitted on a later Eastern day than its arrival, where that was barred."""
    if not _due_upon_arrival(ctx.period(entry)):
        return
    late = _late_by(entry, 0)
    if late is not None:
        hit = _late_hit(
            entry,
            late,
            expected=f"on or before the arrival date {entry.arrival_date.isoformat()}",
            limit="a T86 had to be filed prior to or upon arrival",
        )
        # A blank-type record sent after T86 ended (ELG002's presumed case) was more likely a
        # type 11 or 01 entry, which may be filed after arrival: the deadline is presumed.
        yield from presuming_t86(entry, ctx, (hit,))


@builtin_rule(
    "FIL009",
    citations=cites("fr84-40079"),
    examples=[
        flags("arrived 2023-03-01, filed 19 days later", _filed_2023(19)),
        passes("arrived 2023-03-01, filed on day 15", _filed_2023(15)),
        passes("arrived 2024-06-03, filed 20 days later (FIL008's period)", _filed(3, 20)),
    ],
    in_force=on_arrival(_filed_within_days),
)
def filed_more_than_15_days_after_arrival(entry: Entry, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a T86 filed after the post-arrival window of its period."""
    period = ctx.period(entry)
    deadline = period.filing_deadline_days
    if deadline is None or not _filed_within_days(period):
        return
    late = _late_by(entry, deadline)
    if late is not None:
        last = entry.arrival_date + dt.timedelta(days=deadline)
        yield _late_hit(
            entry,
            late,
            expected=f"within {_days(deadline)} after arrival (by {last.isoformat()})",
            limit=f"the limit was {_days(deadline)}",
        )


# --------------------------------------------------------------------------------------------
# FIL010 / FIL011: estimated date of arrival


def _eda_mandatory(period: PolicyPeriod) -> bool:
    """Whether a T86 submitted in ``period`` had to give the EDA (from 25 Jul 2024).

    Not once no T86 was accepted: a T86 submitted after Type 86 ended is ELG002's finding,
    not an EDA left out.
    """
    return period.eda_required and period.t86_available


def _eda_submitted(entry: Entry) -> dt.date:
    """The day FIL010 and FIL011 judge an entry by: its T86's filing day, else its arrival."""
    return entry.filed_day or entry.arrival_date


def _eda_in_force(entry: Entry, ctx: RuleContext) -> bool:
    """FIL010's and FIL011's ``in_force``: the EDA was mandatory on the T86's submission day."""
    return _eda_mandatory(ctx.policy.at(_eda_submitted(entry)))


def _eda_case(arrival: dt.date, filed: dt.datetime | None) -> dict[str, Any]:
    return {"arrival_date": arrival, "filed_at": filed, "estimated_arrival_date": None}


@builtin_rule(
    "FIL010",
    citations=cites("csms-61421135"),
    examples=[
        Example(
            "no EDA, filed 2024-07-25 for arrival the next day",
            lambda: population(
                _eda_case(
                    dt.date(2024, 7, 26), dt.datetime(2024, 7, 25, 8, 40, tzinfo=us_eastern())
                )
            ),
            flagged=[num(1)],
        ),
        flags(
            "no EDA and no filing time, arrived 2024-09-03", _eda_case(dt.date(2024, 9, 3), None)
        ),
        Example(
            "no EDA, filed 2024-07-24 for arrival on 2024-07-25",
            lambda: population(
                _eda_case(
                    dt.date(2024, 7, 25), dt.datetime(2024, 7, 24, 18, 30, tzinfo=us_eastern())
                )
            ),
        ),
        passes("an EDA given", {"arrival_date": dt.date(2024, 9, 3)}),
    ],
    in_force=_eda_in_force,
)
def estimated_arrival_date_missing(entry: Entry, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a blank EDA on an entry submitted while the EDA was mandatory."""
    if entry.estimated_arrival_date is not None or not _eda_in_force(entry, ctx):
        return
    filed = entry.filed_day
    submitted = _eda_submitted(entry)
    when = (
        f"for a T86 filed {submitted.isoformat()}"
        if filed is not None
        else f"on {submitted.isoformat()} (the arrival date; no filing time was given)"
    )
    yield Hit(
        entry,
        field="estimated_arrival_date",
        observed=entry.estimated_arrival_date_raw,
        expected="the estimated date of arrival",
        message=(
            "estimated date of arrival is "
            + (
                f"{entry.estimated_arrival_date_raw.strip()!r}, no date"
                if entry.estimated_arrival_date_raw.strip()
                else "blank"
            )
            + f"; it was mandatory {when}"
        ),
        judged_on=submitted,
    )


def _eda_spec(eda: dt.date, *, arrival: dt.date = dt.date(2024, 9, 10)) -> dict[str, Any]:
    """An entry arriving ``arrival``, filed the evening before, giving the EDA ``eda``."""
    filed = dt.datetime.combine(arrival - dt.timedelta(days=1), dt.time(18, 30))
    return {"arrival_date": arrival, "filed_at": filed, "estimated_arrival_date": eda}


@builtin_rule(
    "FIL011",
    options={"max_days": 7},
    citations=cites("csms-61421135"),
    examples=[
        flags("EDA 10 days after arrival", _eda_spec(dt.date(2024, 9, 20))),
        flags("EDA 21 days before arrival", _eda_spec(dt.date(2024, 8, 20))),
        passes("EDA the day before arrival", _eda_spec(dt.date(2024, 9, 9))),
        passes(
            "EDA 10 days after arrival with max_days 14",
            _eda_spec(dt.date(2024, 9, 20)),
            options={"max_days": 14},
        ),
        passes(
            "EDA 10 days after arrival on a T86 filed 2024-06-02, before the EDA was required",
            _eda_spec(dt.date(2024, 6, 13), arrival=dt.date(2024, 6, 3)),
        ),
    ],
    in_force=_eda_in_force,
)
def estimated_arrival_date_far_from_arrival(entry: Entry, ctx: RuleContext) -> Iterator[Hit]:
    """Flag an EDA more than ``max_days`` from the arrival date, either way.

    Judged only on a T86 submitted while the EDA was mandatory (FIL010's test): before 25 Jul
    2024 no source makes the EDA a T86 data element, so nothing said how exact it had to be.
    """
    eda = entry.estimated_arrival_date
    if eda is None:
        return
    limit = int(ctx.options["max_days"])
    gap = (eda - entry.arrival_date).days
    # The distance first: it is cheap, and most EDAs are near; the submission day's period only
    # for the few that are not.
    if abs(gap) > limit and _eda_in_force(entry, ctx):
        side = "after" if gap > 0 else "before"
        yield Hit(
            entry,
            field="estimated_arrival_date",
            observed=entry.estimated_arrival_date_raw or eda.isoformat(),
            expected=f"within {_days(limit)} of the arrival date {entry.arrival_date.isoformat()}",
            message=(
                f"estimated date of arrival {eda.isoformat()} is {_days(abs(gap))} {side} the "
                f"arrival on {entry.arrival_date.isoformat()}"
            ),
            judged_on=_eda_submitted(entry),
        )


# --------------------------------------------------------------------------------------------
# FIL012 / FIL013 / FIL014: port code


@functools.lru_cache(maxsize=4096)
def _port_code(text: str) -> str:
    """The code as ACE would have it: stripped, and a three-digit code given its leading zero.

    Spreadsheets turn ``0101`` into ``101``, and a code kept as a number may be written
    ``4701.0``; those are export artefacts, not filing errors.
    """
    code = text.strip()
    if code.endswith(".0") and 5 <= len(code) <= 6 and code[:-2].isascii() and code[:-2].isdigit():
        code = code[:-2]
    if len(code) == 3 and code.isascii() and code.isdigit():
        return "0" + code
    return code


def _ports(ctx: RuleContext) -> Any:
    # ctx.reference is a ReferenceSet in an audit; a bare run_rules() call may pass None.
    ports = getattr(ctx.reference, "ports", None)
    return port_table() if ports is None else ports


def _lookup(ctx: RuleContext, entry: Entry) -> tuple[str, Port | None]:
    """The normalised code and its port, ``None`` when the code is malformed or unlisted."""
    code = _port_code(entry.port_code)
    if not _is_digits(code, 4):
        return code, None
    port: Port | None = _ports(ctx).get(code)
    return code, port


@port_rule(
    "FIL012",
    in_force=DURING_T86_TEST,
    citations=cites("fr89-2630", "fr84-40079", "cbp-ace-port-codes", "census-schedule-d"),
    examples=[
        flags("port 9999", {"port_code": "9999"}),
        flags("a blank port", {"port_code": ""}),
        flags("port 'JFK'", {"port_code": "JFK"}),
        passes("port 4701 (JFK in ACE)", {"port_code": "4701"}),
        passes("port 1012 (JFK in Census statistics)", {"port_code": "1012"}),
        passes("port '101' (0101, Portland ME)", {"port_code": "101"}),
        passes("port '4701.0', a spreadsheet's number", {"port_code": "4701.0"}),
    ],
)
def port_code_unknown(entry: Entry, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a blank, malformed or unlisted port code."""
    code, port = _lookup(ctx, entry)
    if port is not None:
        return
    if not code:
        message = "planned port of entry is blank"
    elif not _is_digits(code, 4):
        message = f"port code {code!r} is not a 4-digit Schedule D code"
    elif classify_port_code(code) != "port":
        return
    else:
        message = (
            f"port code {code} is in neither CBP's ACE port list nor Census Schedule D, "
            "nor in Census trade data since 2010"
        )
    yield entry_hit(
        entry,
        "port_code",
        expected="a 4-digit port code ACE knows, e.g. 4701 (JFK Airport)",
        message=message,
    )


_TRADED = re.compile(r"traded (\d{4})(?:-(\d{4}))?")


def _last_traded(port: Port) -> int | None:
    match = _TRADED.search(port.note)
    if match is None:
        return None
    return int(match.group(2) or match.group(1))


@port_rule(
    "FIL013",
    in_force=DURING_T86_TEST,
    citations=cites("cbp-ace-port-codes", "census-schedule-d"),
    examples=[
        flags(
            "port 2711 (El Segundo, CA; traded 2010-2019) on an entry of 2023",
            {"port_code": "2711", "arrival_date": dt.date(2023, 11, 7)},
        ),
        passes(
            "port 2711 on an entry of 2019, when it was still seen",
            {"port_code": "2711", "arrival_date": dt.date(2019, 10, 1)},
        ),
        passes("port 4701", {"port_code": "4701"}),
    ],
)
def port_code_historical(entry: Entry, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a port code known only from Census trade data of years before the arrival."""
    code, port = _lookup(ctx, entry)
    if port is None or port.listed_in != "census_historical":
        return
    last = _last_traded(port)
    if last is not None and entry.arrival_date.year <= last:
        return
    seen = f"last seen in Census trade data in {last}" if last else "in no current reference"
    yield entry_hit(
        entry,
        "port_code",
        expected="a port code in CBP's current ACE list",
        message=f"port code {code} ({port.name}) is in neither current port list; {seen}",
    )


_NOT_A_PORT = {
    "low_value": "a Census statistical code (low-value shipments), not a port",
    "mail": "a Census statistical code (mail shipments), not a port",
    "vessels_under_own_power": "a Census statistical code (vessels under own power), not a port",
    "region_or_preclearance": "a CBP region or foreign preclearance code, not a port of unlading",
}


@port_rule(
    "FIL014",
    in_force=DURING_T86_TEST,
    citations=cites("census-schedule-d", "cbp-ace-port-codes", "csms-92-000574"),
    examples=[
        flags("port 7000 (LOW VALUE)", {"port_code": "7000"}),
        flags("port 7400 (CBP Southeast Region)", {"port_code": "7400"}),
        passes("port 4771 (ECCF NYACC JFK)", {"port_code": "4771"}),
    ],
)
def port_code_not_a_port_of_entry(entry: Entry, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a statistical, region or preclearance code given as the port of entry."""
    code, port = _lookup(ctx, entry)
    if port is not None:
        code_class = port.code_class
        name = f" ({port.name})"
    elif _is_digits(code, 4):
        code_class = classify_port_code(code)
        name = ""
    else:
        return
    if code_class == "port":
        return
    what = _NOT_A_PORT.get(code_class) or PORT_CODE_CLASSES.get(code_class, "not a port")
    yield entry_hit(
        entry,
        "port_code",
        expected="the code of the port of unlading",
        message=f"port code {code}{name} is {what}",
    )


# --------------------------------------------------------------------------------------------
# FIL015: entry type


@port_rule(
    "FIL015",
    citations=cites("fr89-2630", "fr84-40079", "cbp-t86-faq"),
    examples=[
        flags("entry type blank", {"entry_type": ""}),
        flags("entry type 'T6'", {"entry_type": "T6"}),
        passes("entry type 86", {"entry_type": "86"}),
        passes("entry type '086'", {"entry_type": "086"}),
        passes("entry type 11 (not judged)", {"entry_type": "11"}),
    ],
)
def entry_type_blank_or_unreadable(entry: Entry, ctx: RuleContext) -> Iterator[Hit]:
    """Flag an entry whose type is blank or not an entry type code: audited as Type 86."""
    if not entry.type_code:
        shown = entry.entry_type.strip()
        what = f"{shown!r}, not an entry type code" if shown else "blank"
        yield entry_hit(
            entry,
            "entry_type",
            expected="an ACE entry type code (86 for a Section 321 Type 86 entry)",
            message=f"entry type is {what}; the entry was audited as a presumed Type 86",
        )


# --------------------------------------------------------------------------------------------
# FIL016: a line's country of origin or quantity left blank


def _blank_line(**fields: Any) -> dict[str, Any]:
    return {"lines": [{"line_number": 1, **fields}]}


@reading(("line.country_of_origin", "line.quantity", "line.quantity_raw"), "line")(
    "FIL016",
    in_force=DURING_T86_TEST,
    citations=cites("fr84-40079", "fr89-2630", "cbp-t86-faq"),
    examples=[
        flags("a line whose country of origin is blank", _blank_line(country_of_origin="")),
        flags("a line whose quantity is blank", _blank_line(quantity=None)),
        flags("an origin 'N/A', which names no country", _blank_line(country_of_origin="N/A")),
        passes("'NA' is Namibia's code", _blank_line(country_of_origin="NA")),
        passes("a line with its origin (VN) and quantity (1)", _blank_line()),
        passes(
            "a quantity of zero is filled in (VAL004 looks at values)", _blank_line(quantity=0)
        ),
    ],
)
def line_origin_or_quantity_missing(entry: Entry, line: Any, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a line whose country of origin or quantity is blank (or the origin a placeholder)."""
    origin = line.country_of_origin.strip()
    # "NA" is Namibia's code; "N/A", "unknown" or "--" name no country.
    if not origin or (origin.upper() != "NA" and is_placeholder(origin)):
        what = "blank" if not origin else f"{origin!r}, which names no country"
        yield line_hit(
            entry,
            line,
            "country_of_origin",
            line.country_of_origin,
            expected="the goods' country of origin (an ISO 3166 code, such as VN)",
            message=f"line {line.line_number}'s country of origin is {what}",
        )
    if line.quantity is None:
        yield line_hit(
            entry,
            line,
            "quantity",
            line.quantity_raw,
            expected="the quantity of the goods",
            message=f"line {line.line_number}'s quantity is blank",
        )


RULES = (
    entry_number_malformed,
    entry_number_check_digit,
    duplicate_entry_number,
    entry_repeated_in_input,
    bill_of_lading_missing,
    more_than_one_bill_of_lading,
    bill_of_lading_reused,
    filed_after_arrival,
    filed_more_than_15_days_after_arrival,
    estimated_arrival_date_missing,
    estimated_arrival_date_far_from_arrival,
    port_code_unknown,
    port_code_historical,
    port_code_not_a_port_of_entry,
    entry_type_blank_or_unreadable,
    line_origin_or_quantity_missing,
)
