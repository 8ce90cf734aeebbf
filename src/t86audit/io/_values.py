"""Readers for typed cells: amounts, quantities, dates, date-times and integers.

Each reader takes the cell text with surrounding white space already stripped and returns the
parsed value, or raises :class:`CellError` with a message that names what was expected. They
never guess: a form that could mean two things is either read the one way the input contract
fixes (``MM/DD/YYYY``) or rejected.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from t86audit.model import us_eastern


__all__ = [
    "DATE_FORMATS",
    "EDA_FORMATS",
    "CellError",
    "clip",
    "escape_surrogates",
    "find_surrogate",
    "parse_amount",
    "parse_amount_decimal_comma",
    "parse_date",
    "parse_datetime",
    "parse_eda",
    "parse_int",
    "parse_number",
    "parse_number_decimal_comma",
    "us_eastern",
]

DATE_FORMATS = "YYYY-MM-DD, YYYYMMDD or MM/DD/YYYY"
EDA_FORMATS = "YYYY-MM-DD, YYYYMMDD, MM/DD/YYYY, MMDDYY or MM/DD/YY"
_DATETIME_FORMAT = (
    "ISO 8601 YYYY-MM-DD[THH:MM[:SS]][Z or +HH:MM], or MM/DD/YYYY [HH:MM[:SS]] [AM/PM]"
)

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EXCEL_1904_SHIFT = 1462
"""Days between the 1900 and 1904 date systems of spreadsheets (a serial is ambiguous)."""

_MONEY_UNIT = (
    "the cell holds a number and a word; only a $, US$ or USD mark may go with an amount, "
    "which is in U.S. dollars (convert other currencies before the audit)"
)
_DECIMAL_COMMA_FILE = (
    "A file that writes all its numbers with decimal commas must be converted whole, as its "
    "other numbers would be misread ('1.500' as 1.5): that option reads every amount, quantity "
    "and weight of the file with a decimal comma; or export it with decimal points, or open it "
    "in a spreadsheet set to a decimal-comma locale and save it as an .xlsx workbook, whose "
    "number cells are read as numbers"
)
_DECIMAL_OPTION = (
    "pass decimal=',' (on the command line --decimal ,) if the file writes its numbers with "
    "decimal commas, else "
)
"""The advice on a decimal comma that only a CSV (delimited text) file can take."""
_NOT_DELIMITED_TEXT = (
    "Decimal commas are read only in a CSV (delimited text) file; here store the amount as a "
    "number (a workbook's number cells are read as numbers whatever the "
    "locale) or as text in U.S. format"
)


def without_decimal_option(message: str) -> str:
    """``message`` as said of a cell in an input that is not delimited text.

    A workbook, JSON, records or a DataFrame: a decimal comma's advice without the
    ``decimal=','`` option, which :func:`t86audit.io.load` refuses for such an input.
    """
    if _DECIMAL_OPTION not in message:
        return message
    return message.replace(_DECIMAL_OPTION, "").replace(_DECIMAL_COMMA_FILE, _NOT_DELIMITED_TEXT)


_NUMBER_UNIT = (
    "the cell holds a number and a word (a unit?); the column takes the number alone (a "
    "quantity's unit goes in quantity_unit; gross_weight_kg is in kilograms)"
)

MONEY_DECIMALS = 4
NUMBER_DECIMALS = 6


class CellError(Exception):
    """A cell cannot be read as its column's type; ``message`` says why (internal)."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


# An optional sign, then either grouped digits (1,234,567) or plain digits, then an optional
# fraction. Grouping must be complete: "1,23.4" and "12,34" do not match; nor does a first group
# of a lone zero, "0,375" (a weight with a decimal comma, never 375 in U.S. format).
_NUMBER_RE = re.compile(
    r"([+-]?)((?:[1-9][0-9]{0,2}(?:,[0-9]{3})+)|[0-9]+|(?=\.[0-9]))(?:\.([0-9]+))?"
)
_CURRENCY_PREFIX_RE = re.compile(r"^([+-]?)\s*(?:US\$|USD|\$)\s*", re.IGNORECASE)
_CURRENCY_SUFFIX_RE = re.compile(r"\s*(?:USD|US\$|\$)\Z", re.IGNORECASE)
_EXPONENT_RE = re.compile(r"[+-]?[0-9.,]*[0-9][eE][+-]?[0-9]+")
_SEPARATED_RE = re.compile(r"[+-]?[0-9,]+(?:\.[0-9]+)?")
_NOT_FINITE = frozenset(
    {"nan", "-nan", "+nan", "inf", "+inf", "-inf", "infinity", "-infinity", "+infinity", "snan"}
)
_ISO_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_US_DATE_RE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
# ISO 8601's basic form, as ABI and ACE extracts write dates (CCYYMMDD). Years 1900 to 2099
# only: then no reading of the eight digits as MMDDYYYY or DDMMYYYY is a date too.
_BASIC_DATE_RE = re.compile(r"((?:19|20)[0-9]{2})([0-9]{2})([0-9]{2})")
# The time of day that spreadsheets and pandas append to a date ("2019-08-15 00:00:00",
# "8/12/2019 8:10", "8/12/2019 8:10:00 AM"): hours, minutes, optional seconds and fraction, and
# an optional 12-hour marker.
_TIME = r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,6}))?)?(?:\s*([AaPp][Mm]))?"
_ISO_DATE_TIME_RE = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt ]" + _TIME)
_US_DATE_TIME_RE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})(?:\s+" + _TIME + r")?")
_MMDDYY_RE = re.compile(r"([0-9]{2})([0-9]{2})([0-9]{2})")
# ACE's MMDDYY written with slashes ("06/03/24", "6/3/24"): an EDA only, whose year is 20YY.
_MMDDYY_SLASHED_RE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{2})")
_ISO_DATETIME_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[Tt ][0-9]{2}(?::|\Z)|\Z)")
_INT_RE = re.compile(r"[+-]?[0-9]+")
_WHOLE_FLOAT_RE = re.compile(r"([+-]?[0-9]+)\.0+")
# Only looked for in a value that failed to parse, to say what went wrong and how to fix it.
# A decimal comma (European "23,98", "1.234,56"): not read unless the file is declared to
# use one (decimal=","), as it cannot be told from a misplaced thousands separator.
_DECIMAL_COMMA_RE = re.compile(
    r"[+-]?(?:(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+),[0-9]{1,2}|0,[0-9]+)"
)
# A number followed by a word: a unit ("2 pcs", "0.39 kg").
_NUMBER_WITH_UNIT_RE = re.compile(r"[+-]?[0-9][0-9,]*(?:\.[0-9]+)?\s*[^\W\d_][\w.]*")
# A spreadsheet's date serial number (days since 1899-12-30; 20000 is 1954, 80000 is 2119),
# with the fraction of a day for a date-time.
_SERIAL_RE = re.compile(r"([2-7][0-9]{4})(?:\.[0-9]+)?")
# A Unix time as an API writes one: seconds (10 digits, 2001 to 2033) or milliseconds since 1970.
_EPOCH_RE = re.compile(r"1[0-9]{9}([0-9]{3})?")
# A U.S. date with a two-digit year (its century would be a guess), perhaps with a time.
_SHORT_YEAR_RE = re.compile(r"[0-9]{1,2}/[0-9]{1,2}/[0-9]{2}(?:\s.*)?")
# Naive extended date-times that datetime.fromisoformat reads exactly as dateutil's isoparse
# does; anything else (offsets, fractions, 24:00, other separators) goes to isoparse, whose
# tzinfo objects and error messages the output depends on.
_PLAIN_DATETIME_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2})?")
# A population repeats its dates, date-times and many of its amounts; the parsed values are
# immutable, so each distinct text is parsed once while it stays in this many recent ones.
_CACHE_SIZE = 16384
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_MAX_INT_DIGITS = 18


def clip(value: str, limit: int = 60) -> str:
    """Shorten a value quoted inside a message, so one huge cell cannot flood a report."""
    return value if len(value) <= limit else value[: limit - 3] + "..."


def find_surrogate(cells: Sequence[str]) -> int:
    r"""Return the index of the first cell holding an unpaired surrogate, or -1.

    Unpaired surrogates (U+D800 to U+DFFF) are not characters: strict UTF-8 decoding never
    yields them, but a JSON ``\ud800`` escape, an in-memory record or a text stream opened
    with ``errors="surrogateescape"`` can. No output format can encode them, so a row holding
    one cannot be loaded. Rows are almost always ASCII, which is checked first and cheaply.
    """
    joined = "".join(cells)
    if joined.isascii():
        return -1
    try:
        joined.encode("utf-8")
    except UnicodeEncodeError:
        pass
    else:
        return -1
    for index, cell in enumerate(cells):
        if _SURROGATE_RE.search(cell):
            return index
    return -1  # pragma: no cover - the joined text held one, so some cell does


def escape_surrogates(text: str) -> str:
    r"""Write unpaired surrogates as ``\udXXX`` escapes, so the text can be encoded."""
    return _SURROGATE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _quote(text: str) -> str:
    return repr(clip(text))


def _read_number(
    text: str, body: str, max_decimals: int, what: str, example: str, *, unit_note: str
) -> Decimal:
    """Read ``body`` (``text`` without currency marks); messages quote ``text``.

    ``unit_note`` says what may go with the number, for a cell that holds a number and a word.
    """
    match = _NUMBER_RE.fullmatch(body)
    if match is None:
        if body[-1:] == "-" and body[:1] not in {"+", "-"} and body[:-1].strip():
            # COBOL, AS/400 and SAP reports write a negative number with its minus sign after
            # the digits ('25.00-'): it means -25.00 and nothing else. Read as filed, a
            # negative amount is the rules' to judge, not a reason to drop the entry.
            return _read_number(
                text, "-" + body[:-1].rstrip(), max_decimals, what, example, unit_note=unit_note
            )
        if body.lower() in _NOT_FINITE:
            raise CellError(
                f"{_quote(text)} is not a finite number; expected {what} like {example}"
            )
        if _EXPONENT_RE.fullmatch(body):
            raise CellError(
                f"{_quote(text)} uses exponent notation, which is not accepted; write the "
                f"digits out ({what} like {example})"
            )
        if "," in body and _DECIMAL_COMMA_RE.fullmatch(body):
            # The option first: a one-line summary of the load clips the message.
            raise CellError(
                f"{_quote(text)} has a decimal comma (European format) or misplaced "
                f"thousands separators: {_DECIMAL_OPTION}write "
                f"{what} like {example} (U.S. format: a decimal point, thousands separators "
                f"in groups of three). {_DECIMAL_COMMA_FILE}"
            )
        if "," in body and _SEPARATED_RE.fullmatch(body):
            raise CellError(
                f"{_quote(text)} has misplaced thousands separators; expected groups of three "
                f"digits like {example}"
            )
        if body.startswith("(") and body.endswith(")"):
            raise CellError(
                f"{_quote(text)}: parentheses are not accepted for negative amounts; "
                f"write -{clip(body[1:-1])}"
            )
        if _NUMBER_WITH_UNIT_RE.fullmatch(body):
            raise CellError(f"{_quote(text)} is not {what} like {example}: {unit_note}")
        raise CellError(f"{_quote(text)} is not {what}; expected something like {example}")
    sign, whole, fraction = match.groups()
    if fraction is not None and len(fraction) > max_decimals:
        raise CellError(
            f"{_quote(text)} has {len(fraction)} decimal places; "
            f"at most {max_decimals} are accepted"
            + (
                " (a value a spreadsheet computed and shows rounded: round the cells, "
                "=ROUND(value, 2), or save the sheet as CSV, which writes them as shown)"
                if len(fraction) > _SPREADSHEET_DECIMALS
                else ""
            )
        )
    digits = whole.replace(",", "") or "0"
    try:
        return Decimal(f"{sign}{digits}.{fraction}" if fraction is not None else sign + digits)
    except InvalidOperation:  # pragma: no cover - the regex admits only valid literals
        raise CellError(f"{_quote(text)} is not {what}") from None


_SPREADSHEET_DECIMALS = 8
"""More decimal places than this in an amount are a computed value's (100/3), not a filing's."""


@functools.lru_cache(maxsize=_CACHE_SIZE)
def parse_amount(text: str) -> Decimal | None:
    """Read a U.S. dollar amount; blank gives ``None``.

    Accepts a ``$``, ``US$`` or ``USD`` prefix or suffix (not both), a sign (before or after
    the prefix), thousands separators in complete groups of three and up to four decimal places.
    Rejects non-numbers, NaN, infinity, exponent notation, misplaced separators and parentheses.
    A negative amount is read as filed; judging it is the rules' job.
    """
    if not text:
        return None
    return _read_number(
        text,
        _without_currency(text),
        MONEY_DECIMALS,
        "an amount",
        "1234.56 or $1,234.56",
        unit_note=_MONEY_UNIT,
    )


def _without_currency(text: str) -> str:
    """``text`` without its ``$``/``US$``/``USD`` prefix or suffix (a sign before it is kept)."""
    prefix = _CURRENCY_PREFIX_RE.match(text)
    if prefix is not None:
        return prefix.group(1) + text[prefix.end() :]
    suffix = _CURRENCY_SUFFIX_RE.search(text)
    if suffix is not None and suffix.start() > 0:
        return text[: suffix.start()]
    return text


@functools.lru_cache(maxsize=_CACHE_SIZE)
def parse_number(text: str) -> Decimal | None:
    """Read a quantity or weight; blank gives ``None``.

    The same strict reader as :func:`parse_amount` without currency marks, allowing up to six
    decimal places.
    """
    if not text:
        return None
    return _read_number(
        text, text, NUMBER_DECIMALS, "a number", "12 or 1,250.5", unit_note=_NUMBER_UNIT
    )


# Read with decimal=",": an optional sign, then the whole part, plain or grouped in threes by
# dots (the first group not a lone zero: '0.500' is a decimal point's), then an optional
# fraction after the comma.
_COMMA_NUMBER_RE = re.compile(
    r"([+-]?)([1-9][0-9]{0,2}(?:\.[0-9]{3})+|[0-9]+|(?=,[0-9]))(?:,([0-9]+))?"
)
# A number in U.S. form with a decimal point ('12.50', '1,234.56', '.5'): refused with
# decimal=",", whose file writes none.
_POINT_NUMBER_RE = re.compile(r"[+-]?[0-9,]*\.[0-9]+")
# One group of three digits after a mark, the whole part 1-9 to 999: '1.234' and '1,234' each
# read one way with a decimal comma and another in U.S. format.
_AMBIGUOUS_RE = re.compile(r"[+-]?[1-9][0-9]{0,2}[.,][0-9]{3}")


def _point_form(text: str, body: str, what: str, example: str) -> str:
    """``body``, written with a decimal comma, as the same number with a decimal point.

    ``body`` is returned as it is when it is no number in either form: the U.S. reader then
    says why (not finite, exponent notation, a unit...). Messages quote ``text``.

    Raises:
        CellError: a decimal point, or a form that reads as another number in U.S. format.
    """
    if body[-1:] == "-" and body[:1] not in {"+", "-"} and body[:-1].strip():
        body = "-" + body[:-1].rstrip()  # '25,00-', as older systems write -25,00
    if _AMBIGUOUS_RE.fullmatch(body):
        mark = "." if "." in body else ","
        comma_reading = body.replace(".", "").replace(",", ".")
        us_reading = body.replace(",", "")
        raise CellError(
            f"{_quote(text)} is ambiguous: with a decimal comma it is "
            f"{comma_reading.lstrip('+')}, but in U.S. format it is {us_reading.lstrip('+')}, "
            f"and a file may hold both; write {what} without the {mark!r}, or with its "
            f"decimals after a comma (like {example})"
        )
    match = _COMMA_NUMBER_RE.fullmatch(body)
    if match is None:
        if _POINT_NUMBER_RE.fullmatch(body):
            raise CellError(
                f"{_quote(text)} has a decimal point, but decimal=',' reads numbers with a "
                f"decimal comma (a point only groups thousands): write {what} like {example}, "
                "or read the file without decimal=',' if its numbers are in U.S. format"
            )
        return body
    sign, whole, fraction = match.groups()
    digits = whole.replace(".", "") or "0"
    return f"{sign}{digits}.{fraction}" if fraction is not None else sign + digits


_COMMA_MONEY_EXAMPLE = "1234,56 or 1.234,56"
_COMMA_NUMBER_EXAMPLE = "12 or 1.250,5"


@functools.lru_cache(maxsize=_CACHE_SIZE)
def parse_amount_decimal_comma(text: str) -> Decimal | None:
    """Read a U.S. dollar amount written with a decimal comma (``decimal=","``); blank: ``None``.

    As :func:`parse_amount` with the marks swapped: ``1.234,56`` and ``1234,56 $`` are 1234.56,
    ``12,5`` is 12.5, ``1.234.567`` is 1234567. Never guessed: a decimal point (``12.50``) is
    refused, and so are ``1.234`` and ``1,234`` (1234 and 1.234 with a decimal comma, the other
    way round in U.S. format: a file may hold both, and 1.234 dollars is not 1,234).
    """
    if not text:
        return None
    return _read_number(
        text,
        _point_form(text, _without_currency(text), "an amount", _COMMA_MONEY_EXAMPLE),
        MONEY_DECIMALS,
        "an amount",
        _COMMA_MONEY_EXAMPLE,
        unit_note=_MONEY_UNIT,
    )


@functools.lru_cache(maxsize=_CACHE_SIZE)
def parse_number_decimal_comma(text: str) -> Decimal | None:
    """Read a quantity or weight written with a decimal comma; blank gives ``None``.

    :func:`parse_amount_decimal_comma` without currency marks, up to six decimal places.
    """
    if not text:
        return None
    return _read_number(
        text,
        _point_form(text, text, "a number", _COMMA_NUMBER_EXAMPLE),
        NUMBER_DECIMALS,
        "a number",
        _COMMA_NUMBER_EXAMPLE,
        unit_note=_NUMBER_UNIT,
    )


def parse_int(text: str) -> int:
    """Read an integer (digits with an optional sign).

    A whole number as a spreadsheet or pandas writes a number column that has blanks,
    ``"3.0"``, is read too (the fraction all zeros); ``"3.5"`` is not a whole number.
    """
    if text.isdigit() and text.isascii() and len(text) <= _MAX_INT_DIGITS:
        return int(text)  # (most line numbers: what the pattern below would accept and read)
    digits = text
    if not _INT_RE.fullmatch(text):
        whole = _WHOLE_FLOAT_RE.fullmatch(text)
        if whole is None:
            raise CellError(f"{_quote(text)} is not a whole number")
        digits = whole.group(1)
    # int() refuses very long digit strings with a bare ValueError; no real line number is
    # anywhere near this long.
    if len(digits) > _MAX_INT_DIGITS:
        raise CellError(f"{_quote(text)} is too large for a line number")
    return int(digits)


@functools.lru_cache(maxsize=_CACHE_SIZE)
def parse_date(text: str) -> dt.date:
    """Read a date filed as ``YYYY-MM-DD``, ``YYYYMMDD`` or U.S. ``MM/DD/YYYY`` (``M/D/YYYY`` too).

    ``03/04/2024`` is March 4: the input contract fixes the U.S. order, so nothing is guessed.
    Two-digit years, day-first dates and impossible dates are rejected. A time of day that a
    spreadsheet or pandas appended (``2019-08-15 00:00:00``, ``8/12/2019 8:10``,
    ``8/12/2019 8:10:00 AM``) is checked and dropped: the column holds a date.
    """
    iso = text
    if not _ISO_DATE_RE.fullmatch(text):
        timed = _ISO_DATE_TIME_RE.fullmatch(text)
        if timed is not None:
            _check_time(text, timed.groups()[1:], DATE_FORMATS)
            iso = timed.group(1)
    if _ISO_DATE_RE.fullmatch(iso):
        try:
            return dt.date.fromisoformat(iso)
        except ValueError as exc:
            raise CellError(
                f"{_quote(text)} is not a real date ({exc}); accepted formats: {DATE_FORMATS}"
            ) from None
    match = _US_DATE_TIME_RE.fullmatch(text)
    if match is not None:
        month, day, year = (int(part) for part in match.groups()[:3])
        if match.group(4) is not None:
            _check_time(text, match.groups()[3:], DATE_FORMATS)
        return _make_date(text, year, month, day, DATE_FORMATS)
    match = _BASIC_DATE_RE.fullmatch(text)
    if match is not None:
        year, month, day = (int(part) for part in match.groups())
        return _make_date(text, year, month, day, DATE_FORMATS, order="")
    other = _other_date(text)
    if other is not None:
        return other
    raise CellError(
        f"{_quote(text)} is not a date in an accepted format ({DATE_FORMATS})"
        + _date_hint(text, "a date (YYYY-MM-DD)")
    )


_YEAR_FIRST_RE = re.compile(r"([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})")
_MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        1,
    )
    for name in names
}
# Month and day as numbers, then a four-digit year, separated by dashes or dots ("06-23-2024",
# "23.06.2024"): the contract fixes the order (month first) only for slashes, and both orders
# are in use with these separators, so such a date is read only when one order alone gives a date.
_NUMBERS_DASHED_RE = re.compile(r"([0-9]{1,2})([-.])([0-9]{1,2})\2([0-9]{4})")
_DAY_MONTH_YEAR_RE = re.compile(r"([0-9]{1,2})[-\s]([A-Za-z]{3,9})\.?[-\s,]+([0-9]{4})")
_MONTH_DAY_YEAR_RE = re.compile(
    r"([A-Za-z]{3,9})\.?[-\s]([0-9]{1,2})(?:st|nd|rd|th)?,?\s+([0-9]{4})"
)


def _other_date(text: str) -> dt.date | None:
    """A date in a form no reading makes ambiguous, beside the contract's three, else None.

    The year written first in four digits (``2024/06/03``, ``2024-6-3``, ``2024.06.03``) and
    the month written as a word (``03-Jun-2024``, ``3 June 2024``, ``Jun 3, 2024``), as
    exports and spreadsheets write them: month and day cannot be taken one for the other. An
    impossible date among them is still an error. Month and day as numbers with dashes or dots
    before the year (``06-23-2024``, ``23.06.2024``) are read when only one order of the two
    gives a date, and are an error naming both dates when each order gives one.
    """
    match = _YEAR_FIRST_RE.fullmatch(text)
    if match is not None:
        year, month, day = (int(part) for part in match.groups())
        return _make_date(text, year, month, day, DATE_FORMATS, order="")
    match = _NUMBERS_DASHED_RE.fullmatch(text)
    if match is not None:
        return _one_order(text, int(match[1]), int(match[3]), int(match[4]))
    match = _DAY_MONTH_YEAR_RE.fullmatch(text)
    if match is not None:
        day_text, name, year_text = match.groups()
    else:
        match = _MONTH_DAY_YEAR_RE.fullmatch(text)
        if match is None:
            return None
        name, day_text, year_text = match.groups()
    named = _MONTH_NAMES.get(name.lower())
    if named is None:
        return None
    return _make_date(text, int(year_text), named, int(day_text), DATE_FORMATS, order="")


def _real_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _one_order(text: str, first: int, second: int, year: int) -> dt.date:
    """``first`` and ``second`` as month and day, in the one order that gives a date.

    ``06-23-2024`` is June 23 and ``23-06-2024`` June 23 too (no month 23); ``06-06-2024``
    is June 6 either way. ``06-03-2024`` is June 3 or March 6: which is not guessed.
    """
    month_first = _real_date(year, first, second)
    day_first = _real_date(year, second, first)
    if month_first is not None and day_first is not None and month_first != day_first:
        raise CellError(
            f"{_quote(text)} could be {_spoken(month_first)} (month first) or "
            f"{_spoken(day_first)} (day first): with dashes or dots the order of month and day "
            "is not fixed (only MM/DD/YYYY is read month first), and it is not guessed; write "
            "the date as MM/DD/YYYY or YYYY-MM-DD"
        )
    found = month_first or day_first
    if found is None:
        raise CellError(
            f"{_quote(text)} is not a real date, whichever of its first two numbers is the "
            f"month; accepted formats: {DATE_FORMATS}"
        )
    return found


def _spoken(day: dt.date) -> str:
    """``2024-06-03`` as ``June 3, 2024``: a date no reader takes for another."""
    return f"{day:%B} {day.day}, {day.year}"


def _date_hint(text: str, form: str) -> str:
    """Why a text that is not a date may look like one: said after the error (error path)."""
    serial = _SERIAL_RE.fullmatch(text)
    if serial is not None:
        days = int(serial.group(1))
        in_1900 = _EXCEL_EPOCH + dt.timedelta(days=days)
        in_1904 = in_1900 + dt.timedelta(days=_EXCEL_1904_SHIFT)
        return (
            f"; it looks like a spreadsheet's date serial number ({days} is {in_1900} in "
            f"Excel's usual 1900 date system, {in_1904} in its 1904 one), which is not "
            f"guessed: format the column as {form} before exporting"
        )
    if _SHORT_YEAR_RE.fullmatch(text):
        return "; its year has two digits, whose century is not guessed: write the year in full"
    epoch = _EPOCH_RE.fullmatch(text)
    if epoch is not None:
        # An API's time as a count since 1970 (JavaScript's Date.now() counts milliseconds).
        milliseconds = epoch.group(1) is not None
        seconds = int(text) / 1000 if milliseconds else int(text)
        moment = dt.datetime.fromtimestamp(seconds, dt.UTC).replace(tzinfo=None)
        unit = "milliseconds" if milliseconds else "seconds"
        return (
            f"; it looks like a Unix time, {unit} since 1970 ({moment.isoformat()} UTC if so), "
            f"which is not guessed: write it as {form}"
        )
    if _OFFSET_RE.search(text) and text[:4].isdigit():
        # An instant with its offset: which U.S. Eastern day it is, is not guessed, since
        # an export that writes a date as midnight UTC would put it on the day before.
        return (
            "; it is a date-time with a UTC offset, whose U.S. Eastern day is not guessed (a "
            "date exported as midnight UTC falls on the day before in Eastern time): write "
            f"the Eastern calendar day as {form}"
        )
    return ""


_OFFSET_RE = re.compile(r"[0-9](?:Z|[+-][0-9]{2}:?[0-9]{2})$")


def _check_time(text: str, parts: Sequence[str | None], formats: str) -> tuple[int, int, int, int]:
    """Read the time of day a spreadsheet appended to a date: ``(hour, minute, second, us)``.

    A date column keeps only the date; the time must still be a real time of day.
    """
    hour_text, minute_text, second_text, fraction, meridiem = parts
    hour, minute = int(hour_text or 0), int(minute_text or 0)
    second = int(second_text or 0)
    micro = int((fraction or "").ljust(6, "0") or 0)
    if meridiem is not None:
        if not 1 <= hour <= 12:
            raise CellError(f"{_quote(text)} has an impossible 12-hour time; expected {formats}")
        hour = hour % 12 + (12 if meridiem.lower() == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise CellError(f"{_quote(text)} has an impossible time of day; expected {formats}")
    return hour, minute, second, micro


@functools.lru_cache(maxsize=_CACHE_SIZE)
def parse_eda(text: str) -> dt.date:
    """Read an estimated date of arrival: a :func:`parse_date` form or ACE's ``MMDDYY``.

    ``MM/DD/YY`` (``06/03/24``, ``6/3/24``) is ACE's ``MMDDYY`` with slashes, as exports print
    it: its year is 20YY as the six digits' is (an EDA exists only on T86 entries, 2019-2025).
    A two-digit year in any other date column is still not guessed.
    """
    match = _MMDDYY_RE.fullmatch(text) or _MMDDYY_SLASHED_RE.fullmatch(text)
    if match is not None:
        month, day, year = (int(part) for part in match.groups())
        return _make_date(text, 2000 + year, month, day, EDA_FORMATS)
    try:
        return parse_date(text)
    except CellError as exc:
        # Whatever is wrong with it, the message names the formats an EDA may have.
        raise CellError(exc.message.replace(DATE_FORMATS, EDA_FORMATS)) from None


def _make_date(
    text: str, year: int, month: int, day: int, formats: str, *, order: str = ", month first"
) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise CellError(
            f"{_quote(text)} is not a real date ({exc}); accepted formats: {formats}{order}"
        ) from None


def _fast_datetime(text: str) -> dt.datetime | None:
    """Read a plain naive ``YYYY-MM-DDTHH:MM[:SS]`` with the C parser, else ``None``."""
    if _PLAIN_DATETIME_RE.fullmatch(text) is None:
        return None
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        # An impossible value: isoparse gives the message the contract names.
        return None


@functools.lru_cache(maxsize=_CACHE_SIZE)
def parse_datetime(text: str) -> dt.datetime | None:
    """Read an ISO 8601 date-time (extended format); blank gives ``None``.

    The U.S. form a spreadsheet writes, ``MM/DD/YYYY [H:MM[:SS]] [AM/PM]`` (month first, as
    the input contract fixes for dates), is read too. A value without an offset is U.S.
    Eastern local time (the input contract) and is returned
    aware in ``America/New_York``; a value with an offset or ``Z`` keeps it. A date alone is
    midnight Eastern.

    Raises:
        CellError: the text is not an ISO 8601 date-time.
        LookupError: the time zone database is missing (see :func:`us_eastern`).
    """
    if not text:
        return None
    us = _US_DATE_TIME_RE.fullmatch(text)
    if us is not None:
        return _us_datetime(text, us)
    if not _ISO_DATETIME_RE.match(text):
        raise CellError(
            f"{_quote(text)} is not a date-time in the accepted format ({_DATETIME_FORMAT})"
            + _date_hint(text, "a date and time (YYYY-MM-DD HH:MM:SS)")
        )
    value = _fast_datetime(text)
    if value is None:
        # Imported here, not at the top: dateutil's parser takes some 10 ms to import, a fifth
        # of a small audit, and files of plain date-times (the C parser above) never need it.
        from dateutil.parser import isoparse  # noqa: PLC0415

        try:
            value = isoparse(text)
        except (ValueError, OverflowError) as exc:
            raise CellError(
                f"{_quote(text)} is not a valid date-time ({exc}); expected {_DATETIME_FORMAT}"
            ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=us_eastern())
    try:
        # Rules compare times across zones; a time at the very edge of the calendar
        # (9999-12-31T23:00-12:00) cannot be converted and would make them fail.
        value.astimezone(dt.UTC)
    except OverflowError:
        raise CellError(
            f"{_quote(text)} is out of the range of dates that can be compared across time "
            f"zones; expected {_DATETIME_FORMAT}"
        ) from None
    return value


def _us_datetime(text: str, match: re.Match[str]) -> dt.datetime:
    """A U.S. ``MM/DD/YYYY [H:MM[:SS]] [AM/PM]`` date-time, naive, so U.S. Eastern."""
    month, day, year = (int(part) for part in match.groups()[:3])
    date = _make_date(text, year, month, day, _DATETIME_FORMAT)
    time = (0, 0, 0, 0)
    if match.group(4) is not None:
        time = _check_time(text, match.groups()[3:], _DATETIME_FORMAT)
    return dt.datetime.combine(date, dt.time(*time), tzinfo=us_eastern())
