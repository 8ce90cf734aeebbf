"""HTS: the 10-digit HTSUS number: its shape, the schedule, Chapters 98/99, fit with the goods.

One defect is reported once. The line's HTS field is read in this order, and only the first
rule that applies reports it:

1. a Chapter 98 number (HTS004) or a Chapter 99 number used alone (HTS005), whatever its length;
2. a blank field, a field with characters other than digits and separators, or a number that is
   not exactly 10 digits (HTS001);
3. a 10-digit number that is not in the schedule in force on the arrival date (HTS002), or
   missing from the bundled editions on an entry they do not cover with certainty (the HTS003
   warning).

Only a number that passes all three is compared with its description (HTS006) and with the
numbers used for the same description on other entries (HTS007).
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import weakref
from collections.abc import Callable, Hashable, Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple, cast

import attrs

from t86audit._citations import cite, cites
from t86audit.findings import Hit
from t86audit.model import Entry, EntryRef, LineItem, repaired_hts
from t86audit.normalize import description_words, is_placeholder, normalize_text
from t86audit.reference import content_words, hts_vocabulary, provenance
from t86audit.reference._data import package_bytes
from t86audit.rules._base import (
    DURING_T86_TEST,
    Example,
    RuleContext,
    on_entry,
    t86_test_running,
)
from t86audit.rules._catalog import builtin_group_rule, builtin_rule
from t86audit.rules._examples import flags, passes
from t86audit.rules._families import goods_rule, reading
from t86audit.rules._hits import hts_hit
from t86audit.rules._kept import Kept, gather, kept_in, kept_of, left_out, unsettled


if TYPE_CHECKING:
    from t86audit.policy import PolicyPeriod
    from t86audit.reference import HtsEdition, HtsEditions, HtsSchedule


__all__ = [
    "CSMS_62520662",
    "HTSUS",
    "PROCLAMATION_10326",
    "RULES",
    "DescriptionFit",
    "HtsShape",
    "Shape",
    "chapter_stems",
    "description_fit",
    "hts_shape",
    "stem",
]

# --------------------------------------------------------------------------------------------
# Citations of this family (their text and dates are data: t86audit/citations.toml)

CSMS_62520662 = cite("csms-62520662")
"""CBP's clarification of about 4 Oct 2024: a Chapter 1-97 number is reported on a T86."""
HTSUS = cite("usitc-htsus")
"""The schedule a number is checked against (the bundled snapshot, or the user's)."""
PROCLAMATION_10326 = cite("proclamation-10326")
"""The proclamation that put the HS 2022 nomenclature in the HTSUS from 27 Jan 2022."""
_SCHEDULE_CITES = cites(
    "fr89-2630-element-9",
    "fr84-40079-element-9",
    "usc19-1484",
    "usitc-htsus",
    "proclamation-10326",
)
"""What HTS002 and HTS003 (a number missing from the schedule in force) rest on."""
_CHAPTER_CITES = cites(
    "csms-62520662", "fr89-2630-element-9", "fr84-40079-element-9", "cbp-t86-faq-hts"
)
"""What HTS004, HTS008 (Chapter 98) and HTS005 (Chapter 99) rest on."""

# --------------------------------------------------------------------------------------------
# Shape of the HTS field

_SEPARATORS = frozenset(". -\u00a0\u2010\u2011\u2012\u2013")
"""Dots, spaces and dashes, the no-break space (U+00A0) and the typographic dashes (U+2010 to
U+2013), which an HTML or word-processor export writes between the digits."""


class Shape(enum.Enum):
    """What the HTS field is, in the order the rules look at it."""

    CHAPTER_98 = "chapter 98"
    CHAPTER_99 = "chapter 99"
    BLANK = "blank"
    NOT_DIGITS = "not digits"
    WRONG_LENGTH = "wrong length"
    TEN_DIGITS = "10 digits"


@attrs.frozen
class HtsShape:
    """The HTS field as the rules read it.

    Attributes:
        shape: what the field is (see :class:`Shape`).
        digits: the digits of the field, separators removed.
        stray: the characters that are neither digits nor separators (``"."``, ``" "``,
            ``"-"``), in order of appearance, without repeats.
    """

    shape: Shape
    digits: str
    stray: str = ""


@lru_cache(maxsize=65536)
def hts_shape(hts_number: str) -> HtsShape:
    """Read an HTS field: a Chapter 98/99 number, blank, malformed, wrong length or 10 digits.

    A Chapter 98 number is recognised at any length, so a short ``9801.00`` is reported once, as
    Chapter 98. A Chapter 99 number counts as one only when the field holds at most 10 digits:
    a longer field may hold a Chapter 99 number next to the goods' own number, which is not
    "Chapter 99 as the only classification".

    >>> hts_shape("6109.10.00.40").shape.name, hts_shape("9903.88.03").shape.name
    ('TEN_DIGITS', 'CHAPTER_99')
    >>> hts_shape("6109.1O.00.40").stray
    'O'
    """
    text = repaired_hts(hts_number)
    digits = "".join(c for c in text if c.isascii() and c.isdigit())
    stray = "".join(
        dict.fromkeys(
            c for c in text if not (c.isascii() and c.isdigit()) and c not in _SEPARATORS
        )
    )
    if not text:
        return HtsShape(Shape.BLANK, "")
    if digits.startswith("98"):
        return HtsShape(Shape.CHAPTER_98, digits, stray)
    if digits.startswith("99") and len(digits) <= 10:
        return HtsShape(Shape.CHAPTER_99, digits, stray)
    if stray:
        return HtsShape(Shape.NOT_DIGITS, digits, stray)
    if len(digits) != 10:
        return HtsShape(Shape.WRONG_LENGTH, digits)
    return HtsShape(Shape.TEN_DIGITS, digits)


def _dotted(digits: str) -> str:
    """``6109100040`` -> ``6109.10.00.40`` (and 8 digits -> ``6109.10.00``)."""
    if len(digits) <= 4 or len(digits) > 10:
        return digits
    parts = [digits[:4]] + [digits[i : i + 2] for i in range(4, len(digits), 2)]
    return ".".join(parts)


def _is_bundled(schedule: HtsSchedule) -> bool:
    record = provenance().get("htsus")
    return record is not None and schedule.snapshot == record.snapshot


def _schedule_label(schedule: HtsSchedule) -> str:
    """How a message names the schedule: ``the HTSUS 2025-05-26 snapshot``."""
    snapshot = schedule.snapshot
    if _is_bundled(schedule):
        return f"the HTSUS {snapshot.date} snapshot" if snapshot.date else "the HTSUS snapshot"
    label = f"the {snapshot.source}" if snapshot.source else "the user-supplied schedule"
    return f"{label} dated {snapshot.date}" if snapshot.date else label


def _suffixes(schedule: HtsSchedule, digits8: str, limit: int = 12) -> str:
    """The statistical suffixes under an 8-digit subheading, ``"04, 07, 11"`` (capped)."""
    suffixes = [n[8:] for n in schedule.numbers_with_prefix(digits8)]
    shown = ", ".join(suffixes[:limit])
    return shown + (f" and {len(suffixes) - limit} more" if len(suffixes) > limit else "")


def _hts_line(hts: str, **extra: Any) -> dict[str, object]:
    return {"lines": [{"hts_number": hts, **extra}]}


def _hts_example(
    title: str, hts: str, *, flagged: bool = True, on: dt.date | None = None, **line: Any
) -> Example:
    """An example entry with one line numbered ``hts`` (``line``: the line's other fields).

    Most HTS examples differ only in the number, the goods' description and (``on``) the
    arrival date; ``flagged`` says whether the rule reports the entry.
    """
    spec = _hts_line(hts, **line)
    if on is not None:
        spec["arrival_date"] = on
    return (flags if flagged else passes)(title, spec)


# --------------------------------------------------------------------------------------------
# HTS001


@goods_rule(
    "HTS001",
    in_force=DURING_T86_TEST,
    citations=cites("fr89-2630-element-9", "cbp-t86-faq-hts", "fr84-40079"),
    examples=[
        _hts_example("an 8-digit subheading '4202.92.31'", "4202.92.31"),
        _hts_example(
            "'9101.11.40', a subheading without breakout: reported as 9101.11.40.00",
            "9101.11.40",
            description="gold-cased wrist watch",
        ),
        _hts_example("a 6-digit HS code '851830' without dots", "851830"),
        _hts_example("a blank HTS number", ""),
        _hts_example("a letter O for a zero: '6109.1O.00.40'", "6109.1O.00.40"),
        _hts_example("'6109.10.00.40'", "6109.10.00.40", flagged=False),
        _hts_example("'6109 10 0040', spaces for dots", "6109 10 0040", flagged=False),
    ],
)
def hts_not_10_digits(entry: Entry, line: LineItem, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a blank, malformed or wrong-length HTS number (not Chapter 98/99)."""
    read = hts_shape(line.hts_number)
    if read.shape is Shape.BLANK:
        message = f"line {line.line_number} has no HTS number"
    elif read.shape is Shape.NOT_DIGITS:
        message = (
            f"HTS {line.hts_number!r} contains {read.stray!r}; only digits (with dots, spaces "
            "or dashes between them) make an HTS number"
        )
    elif read.shape is Shape.WRONG_LENGTH:
        message = f"HTS {line.hts_number!r} has {len(read.digits)} digits, not 10"
        message += _subheading_hint(read.digits, ctx)
    else:
        return
    yield hts_hit(
        entry, line, expected="a 10-digit HTSUS statistical reporting number", message=message
    )


def _subheading_hint(digits: str, ctx: RuleContext) -> str:
    if len(digits) != 8:
        return ""
    schedule: HtsSchedule = ctx.reference.hts
    label = _schedule_label(schedule)
    numbers = list(schedule.numbers_with_prefix(digits))
    if numbers == [digits + "00"]:
        return (
            f"; subheading {_dotted(digits)} has no statistical breakout in {label}: "
            f"report {_dotted(digits + '00')}"
        )
    if not numbers:
        return ""
    return f"; statistical suffixes of {_dotted(digits)} in {label}: {_suffixes(schedule, digits)}"


# --------------------------------------------------------------------------------------------
# HTS002 and HTS003, numbers the schedule does not have

_COVERS_FROM = "2022-01-27"
# The bundled snapshot follows the HS 2022 nomenclature, in the HTSUS from 27 Jan 2022
# (Proclamation 10326), to the end of 2026 (HS 2027 follows). Its headings and 6-digit
# subheadings are the international HS ones and change only with the HS: for an entry in that
# period a number whose heading or 6-digit subheading the snapshot lacks was never valid.
_HS2022_TO = dt.date(2026, 12, 31)
_MARGIN_DAYS = 31
# The bundled revision dates mix publication and policy dates (the July 2025 statistical
# changes are dated 6 Jun 2025): a revision within this many days of the arrival date may have
# been the one in force.


def _covers_from(ctx: RuleContext) -> dt.date:
    return dt.date.fromisoformat(str(ctx.options["bundled_covers_from"]))


@attrs.frozen
class _Judgement:
    """Why a number is not valid on the entry's date, and whether the data makes it certain."""

    violation: bool
    message: str


def _missing_number(line: LineItem) -> str | None:
    """The line's 10-digit number (``None`` for other shapes, which other rules report)."""
    read = hts_shape(line.hts_number)
    return read.digits if read.shape is Shape.TEN_DIGITS else None


def _label(edition: HtsEdition) -> str:
    """``HTSUS 2025 rev 16 (from 2025-06-06)``."""
    return f"HTSUS {edition.label} (from {edition.date.isoformat()})"


def _why_missing_in(digits: str, editions: HtsEditions, edition: HtsEdition) -> str:
    label = _label(edition)
    suffixes = [n[8:] for n in editions.numbers_with_prefix(digits[:8], edition)]
    if suffixes:
        shown = ", ".join(suffixes[:12])
        shown += f" and {len(suffixes) - 12} more" if len(suffixes) > 12 else ""
        return (
            f"is not a statistical reporting number in the {label}; subheading "
            f"{_dotted(digits[:8])} has the suffixes {shown}"
        )
    if editions.numbers_with_prefix(digits[:4], edition):
        subheading = _dotted(digits[:8])
        return f"is not in the {label}; heading {digits[:4]} has no subheading {subheading}"
    return f"is not in the {label}; there is no heading {digits[:4]}"


def _judge(entry: Entry, digits: str, ctx: RuleContext) -> _Judgement | None:
    """Judge a 10-digit number by the schedule in force on the arrival date, where known.

    ``None``: valid (or not judged). A violation needs data covering the arrival date: a user's
    schedule (taken to be the one in force), a bundled 2025 revision, or, for a heading or
    6-digit subheading missing from the HS 2022 nomenclature, an entry of the HS 2022 period.
    Anything else missing from the bundled data is a warning.
    """
    schedule: HtsSchedule = ctx.reference.hts
    if not _is_bundled(schedule):
        if schedule.is_valid(digits):
            return None
        return _Judgement(True, f"HTS {_dotted(digits)} {_why_missing(digits, schedule)}")
    editions: HtsEditions | None = getattr(ctx.reference, "hts_editions", None)
    if editions is None or (not editions.changed(digits) and schedule.is_valid(digits)):
        # Valid in every bundled revision (or no revisions to tell): not a finding.
        return None if schedule.is_valid(digits) else _judge_uncovered(entry, digits, ctx, None)
    day = entry.arrival_date
    primary = editions.in_force(day)
    if primary is None:
        return _judge_uncovered(entry, digits, ctx, editions)
    if editions.is_valid(digits, primary):
        return None
    margin = int(ctx.options["revision_margin_days"])
    nearby = editions.around(day, margin)
    valid_in = [e for e in nearby if editions.is_valid(digits, e)]
    why = _why_missing_in(digits, editions, primary)
    arrived = f"the entry arrived {day.isoformat()}"
    if valid_in:
        return _Judgement(
            False,
            f"HTS {_dotted(digits)} {why}, the revision in force on the arrival date by the "
            f"bundled revision dates, but is in the "
            f"{', '.join(_label(e) for e in valid_in)}; {arrived}, within {margin} days of a "
            "revision date, which are uncertain: check which edition was in force",
        )
    unlisted = [
        e
        for e in nearby
        if not e.subheadings_listed and not editions.numbers_with_prefix(digits[:8], e)
    ]
    if unlisted:
        return _Judgement(
            False,
            f"HTS {_dotted(digits)} {why}; {arrived}, and the bundled data does not list every "
            f"8-digit subheading of {', '.join('HTSUS ' + e.label for e in unlisted)} (a "
            "subheading without statistical rows added after the 2025-05-26 snapshot is "
            "unknown to it): check that edition",
        )
    others = [e for e in nearby if e != primary]
    also = f"; nor in the {', '.join(_label(e) for e in others)}" if others else ""
    return _Judgement(
        True,
        f"HTS {_dotted(digits)} {why}, the revision in force on the arrival date "
        f"({day.isoformat()}){also}",
    )


def _judge_uncovered(
    entry: Entry, digits: str, ctx: RuleContext, editions: HtsEditions | None
) -> _Judgement | None:
    """A number on an entry the bundled revisions do not cover (before 2025 or after them)."""
    schedule: HtsSchedule = ctx.reference.hts
    day = entry.arrival_date
    if editions is None:
        if schedule.is_valid(digits):
            return None
        edition_text = _schedule_label(schedule)
        why = f"{_why_missing(digits, schedule)}"
        valid_later = None
    else:
        nearest = editions.editions[0] if day < editions.covers_from else editions.editions[-1]
        if editions.is_valid(digits, nearest):
            return None
        edition_text = f"the {_label(nearest)}"
        why = _why_missing_in(digits, editions, nearest)
        later = editions.first_with(digits)
        valid_later = later if later is not None and later.date > day else None
    hs_period = _covers_from(ctx) <= day <= _HS2022_TO
    hs_missing = not any(schedule.numbers_with_prefix(digits[:6]))
    if hs_period and hs_missing:
        level = "heading" if not any(schedule.numbers_with_prefix(digits[:4])) else "subheading"
        code = digits[:4] if level == "heading" else _dotted(digits[:6])
        return _Judgement(
            True,
            f"HTS {_dotted(digits)} {why}: {level} {code} is not in the HS 2022 nomenclature, "
            f"the same in every HTSUS edition from {_covers_from(ctx).isoformat()} to "
            f"{_HS2022_TO.isoformat()}, so it was not valid on {day.isoformat()} either",
        )
    added = (
        f"; the number first appears in the {_label(valid_later)}, after the arrival"
        if valid_later is not None
        else ""
    )
    if editions is None:
        covered = f"only {edition_text} is at hand"
    else:
        covered = (
            f"the bundled editions cover {editions.covers_from.isoformat()} to "
            f"{editions.covers_to.isoformat()} only"
        )
    return _Judgement(
        False,
        f"HTS {_dotted(digits)} {why}{added}; the entry arrived {day.isoformat()} and "
        f"{covered}: check the edition in force on the arrival date",
    )


def _why_missing(digits: str, schedule: HtsSchedule) -> str:
    label = _schedule_label(schedule)
    suffixes = _suffixes(schedule, digits[:8])
    if suffixes:
        return (
            f"is not a statistical reporting number in {label}; subheading "
            f"{_dotted(digits[:8])} has the suffixes {suffixes}"
        )
    if schedule.heading_text(digits[:4]) is not None or any(
        schedule.numbers_with_prefix(digits[:4])
    ):
        return f"is not in {label}; heading {digits[:4]} has no subheading {_dotted(digits[:8])}"
    return f"is not in {label}; there is no heading {digits[:4]}"


def _judged_alike_every_day(hts_number: str, ctx: RuleContext) -> bool:
    """Whether HTS002, HTS003, HTS004 and HTS008 judge ``hts_number`` alike on every day.

    So they do for every shape but a Chapter 98 number (HTS004 and HTS008 turn on the date of
    CBP's CSMS) and a 10-digit number: HTS002 and HTS003 judge only those, and their verdict
    on one is dated unless the number is valid in every bundled revision (or judged by a
    user's schedule, taken to be in force on every date), when they pass it without reading the
    date (:func:`_judge`). The engine then judges a number met on many days once.
    """
    read = hts_shape(hts_number)
    if read.shape is Shape.CHAPTER_98:
        return False
    if read.shape is not Shape.TEN_DIGITS:
        return True
    schedule: HtsSchedule = ctx.reference.hts
    if not _is_bundled(schedule):
        return True
    editions: HtsEditions | None = getattr(ctx.reference, "hts_editions", None)
    return (editions is None or not editions.changed(read.digits)) and schedule.is_valid(
        read.digits
    )


_dated_hts_rule = reading(
    ("entry.arrival_date", "line.description", "line.hts_number"),
    "line",
    same_every_day=("line.hts_number", _judged_alike_every_day),
)
"""A line rule on the HTS number as of the arrival date, whose message may name the goods'
description (HTS002, HTS003, HTS004, HTS008)."""

_DATED_GOODS = {
    "0901.11.00.35": "green coffee beans, 1 kg",
    "0901.11.00.45": "green coffee beans, 1 kg",
    "1234.56.78.90": "ceramic flower vase",
    "3406.00.00.00": "scented soy wax candle",
}
"""The goods HTS002's and HTS003's examples file under these numbers (else the catalog's
t-shirt, the default line's goods)."""


def _dated_example(title: str, hts: str, day: dt.date, *, flagged: bool = True) -> Example:
    """An example entry arriving on ``day`` with one line of the goods numbered ``hts``.

    The examples of HTS002 and HTS003 differ in the number and the arrival date only.
    """
    goods = _DATED_GOODS.get(hts)
    line = {} if goods is None else {"description": goods}
    return _hts_example(title, hts, flagged=flagged, on=day, **line)


_COVERS_OPTION = {"bundled_covers_from": _COVERS_FROM, "revision_margin_days": _MARGIN_DAYS}


@_dated_hts_rule(
    "HTS002",
    in_force=DURING_T86_TEST,
    options=_COVERS_OPTION,
    citations=_SCHEDULE_CITES,
    examples=[
        _dated_example(
            "'6109.10.00.99' on an entry of March 2025: the subheading exists, the suffix does "
            "not",
            "6109.10.00.99",
            dt.date(2025, 3, 3),
        ),
        _dated_example(
            "'1234.56.78.90' on an entry of June 2024: there is no heading 1234 in HS 2022",
            "1234.56.78.90",
            dt.date(2024, 6, 3),
        ),
        _dated_example(
            "'0901.11.00.45' (coffee) on an entry of Feb 2025, valid until revision 16",
            "0901.11.00.45",
            dt.date(2025, 2, 10),
            flagged=False,
        ),
        _dated_example(
            "'0901.11.00.45' on an entry of Aug 2025, after revision 16 (2025-06-06) removed it",
            "0901.11.00.45",
            dt.date(2025, 8, 10),
        ),
        _dated_example(
            "'0901.11.00.35' on an entry of Feb 2025, before revision 16 added it",
            "0901.11.00.35",
            dt.date(2025, 2, 10),
        ),
        _dated_example(
            "'3406.00.00.00': a subheading without breakout, valid with suffix 00",
            "3406.00.00.00",
            dt.date(2025, 3, 3),
            flagged=False,
        ),
        _dated_example(
            "'6109.10.00.99' on an entry of June 2024 (HTS003's case: no 2024 edition bundled)",
            "6109.10.00.99",
            dt.date(2024, 6, 3),
            flagged=False,
        ),
    ],
)
def hts_not_in_schedule(entry: Entry, line: LineItem, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a 10-digit number not valid in the schedule in force on the arrival date."""
    digits = _missing_number(line)
    if digits is None:
        return
    judgement = _judge(entry, digits, ctx)
    if judgement is None or not judgement.violation:
        return
    yield hts_hit(
        entry,
        line,
        expected="a 10-digit HTSUS statistical reporting number valid on the arrival date",
        message=judgement.message,
    )


def _user_schedule(ctx: RuleContext) -> str | None:
    if _is_bundled(ctx.reference.hts):
        return None
    return "the HTS schedule was supplied by the user and judges every entry (HTS002)"


@_dated_hts_rule(
    "HTS003",
    in_force=DURING_T86_TEST,
    options=_COVERS_OPTION,
    applies=_user_schedule,
    citations=_SCHEDULE_CITES,
    examples=[
        _dated_example(
            "'6109.10.00.99' on an entry of June 2024", "6109.10.00.99", dt.date(2024, 6, 3)
        ),
        _dated_example(
            "'0901.11.00.35' on an entry of 2024: added by HTSUS 2025 revision 16",
            "0901.11.00.35",
            dt.date(2024, 6, 3),
        ),
        _dated_example(
            "'0901.11.00.45' on 2025-06-20, days after revision 16 (2025-06-06) removed it",
            "0901.11.00.45",
            dt.date(2025, 6, 20),
        ),
        _dated_example(
            "'6109.10.00.99' on an entry of March 2025 (HTS002's case)",
            "6109.10.00.99",
            dt.date(2025, 3, 3),
            flagged=False,
        ),
        _dated_example(
            "'6109.10.00.40' on an entry of March 2021",
            "6109.10.00.40",
            dt.date(2021, 3, 2),
            flagged=False,
        ),
    ],
)
def hts_not_in_schedule_older_entry(
    entry: Entry, line: LineItem, ctx: RuleContext
) -> Iterator[Hit]:
    """Flag a number missing from the bundled data on an entry it does not cover with certainty."""
    digits = _missing_number(line)
    if digits is None:
        return
    judgement = _judge(entry, digits, ctx)
    if judgement is None or judgement.violation:
        return
    yield hts_hit(
        entry,
        line,
        expected="a number valid in the HTSUS edition in force on the arrival date",
        message=judgement.message,
    )


# --------------------------------------------------------------------------------------------
# HTS004 and HTS005, Chapters 98 and 99

_RETURN_WORDS = frozenset({"return", "returned", "returns", "repair", "repaired", "warranty"})


def _watch_returned(day: dt.date) -> dict[str, object]:
    return {
        **_hts_line("9802.00.50.60", description="quartz wristwatch returned after repair"),
        "arrival_date": day,
    }


def _chapter_98_barred(period: PolicyPeriod) -> bool:
    """Whether CBP had said in writing that Chapter 98 is not usable on a T86 (HTS004's law).

    Only while T86 existed: the CSMS is about the T86 test, and after the test ended ELG002
    flags every entry.
    """
    return bool(period.chapter_98_barred) and t86_test_running(period)


def _chapter_98_not_yet_barred(period: PolicyPeriod) -> bool:
    """Whether the entry's period is before CBP's clarifying CSMS (HTS008's warning).

    Only from the test's start: before it no T86 could be filed (ELG001's finding), so no
    T86 data element, nor guidance about it, applied.
    """
    return not period.chapter_98_barred and t86_test_running(period)


def _chapter_98_hit(entry: Entry, line: LineItem, ctx: RuleContext, *, after: bool) -> Hit | None:
    """The Chapter 98 finding on ``line``, if the entry arrived after (or before) the CSMS."""
    read = hts_shape(line.hts_number)
    # The test each rule declares as its in_force, so the two cannot disagree.
    law = _chapter_98_barred if after else _chapter_98_not_yet_barred
    if read.shape is not Shape.CHAPTER_98 or not law(ctx.period(entry)):
        return None
    message = (
        f"HTS {line.hts_number!r} is a Chapter 98 special provision, not the goods' Chapter "
        "1-97 classification"
    )
    if _RETURN_WORDS & set(description_words(line.description)):
        message += "; returned or repaired goods are reported under their own Chapter 1-97 number"
    if not after:
        message += (
            f"; the entry arrived {entry.arrival_date.isoformat()}, before CBP's clarifying "
            "CSMS 62520662 (about 4 Oct 2024), so this rests on guidance issued after the "
            "entry and is a warning"
        )
    return hts_hit(entry, line, expected="a Chapter 1-97 10-digit HTSUS number", message=message)


@_dated_hts_rule(
    "HTS004",
    citations=_CHAPTER_CITES,
    examples=[
        flags(
            "'9801.00.10.98' for a returned belt, Nov 2024",
            {
                **_hts_line("9801.00.10.98", description="men's leather belt, customer return"),
                "arrival_date": dt.date(2024, 11, 4),
            },
        ),
        passes(
            "'9802.00.50.60' in Feb 2024, before the CSMS: HTS008's",
            _watch_returned(dt.date(2024, 2, 20)),
        ),
        _hts_example(
            "a returned belt under its own number '4203.30.00.00'",
            "4203.30.00.00",
            description="men's leather belt, customer return",
            flagged=False,
        ),
    ],
    in_force=on_entry(_chapter_98_barred, t86_test_running),
)
def hts_chapter_98(entry: Entry, line: LineItem, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a Chapter 98 number on an entry that arrived after CBP's CSMS 62520662."""
    hit = _chapter_98_hit(entry, line, ctx, after=True)
    if hit is not None:
        yield hit


@_dated_hts_rule(
    "HTS008",
    citations=_CHAPTER_CITES,
    examples=[
        flags(
            "'9802.00.50.60' in Feb 2024, before the CSMS", _watch_returned(dt.date(2024, 2, 20))
        ),
        passes(
            "'9802.00.50.60' in Nov 2024, after the CSMS: HTS004's",
            _watch_returned(dt.date(2024, 11, 4)),
        ),
    ],
    in_force=on_entry(_chapter_98_not_yet_barred, t86_test_running),
)
def hts_chapter_98_before_guidance(
    entry: Entry, line: LineItem, ctx: RuleContext
) -> Iterator[Hit]:
    """Warn about a Chapter 98 number on an entry that arrived before CSMS 62520662."""
    hit = _chapter_98_hit(entry, line, ctx, after=False)
    if hit is not None:
        yield hit


def _names_goods_number(text: str) -> bool:
    """Whether an additional number is the goods' Chapter 1-97 number, or an attempt at one.

    A 10-digit number, or one of six digits or more that is not a Chapter 98 or 99 number;
    "N/A", "-" or "0" beside a Chapter 99 number give the goods no number.
    """
    read = hts_shape(text)
    if read.shape is Shape.TEN_DIGITS:
        return True
    return read.shape is Shape.WRONG_LENGTH and len(read.digits) >= 6 and not is_placeholder(text)


@goods_rule(
    "HTS005",
    in_force=DURING_T86_TEST,
    citations=_CHAPTER_CITES,
    examples=[
        passes(
            "'9903.88.03' beside '4419.90.91.00' (additional_hts): reported as it should be",
            _hts_line(
                "9903.88.03",
                description="bamboo serving tray",
                additional_hts="4419.90.91.00",
            ),
        ),
        _hts_example(
            "'9903.88.03.00' (Section 301) alone",
            "9903.88.03.00",
            description="bamboo serving tray",
        ),
        _hts_example("'9903.88.15' (8 digits) alone", "9903.88.15"),
        _hts_example("'6109.10.00.40'", "6109.10.00.40", flagged=False),
    ],
)
def hts_chapter_99(entry: Entry, line: LineItem, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a Chapter 99 number standing alone in the HTS field."""
    read = hts_shape(line.hts_number)
    if read.shape is not Shape.CHAPTER_99:
        return
    # A Chapter 1-97 number given beside it (additional_hts, or a merged tariff ordinal row)
    # is the line's classification: the Chapter 99 number is then reported as it should be.
    if any(_names_goods_number(other) for other in line.additional_hts):
        return
    also = f" (with {', '.join(line.additional_hts)})" if line.additional_hts else ""
    yield hts_hit(
        entry,
        line,
        expected="the goods' Chapter 1-97 10-digit HTSUS number",
        message=(
            f"HTS {line.hts_number!r}{also} is a Chapter 99 (additional duty) number filed as "
            "the line's only classification; the goods' Chapter 1-97 number is missing"
        ),
    )


# --------------------------------------------------------------------------------------------
# HTS006, the description against the article

_IRREGULAR = {
    "knives": "knife",
    "scarves": "scarf",
    "shelves": "shelf",
    "leaves": "leaf",
    "halves": "half",
    "wolves": "wolf",
    "calves": "calf",
    "loaves": "loaf",
    "hooves": "hoof",
    "wives": "wife",
    "lives": "life",
    "lens": "lens",
    "lenses": "lens",
    "men": "man",
    "women": "woman",
    "children": "child",
    "feet": "foot",
    "teeth": "tooth",
    "mice": "mouse",
    "geese": "goose",
}
_KEEP_E = frozenset({"kite", "cape", "tape", "pine", "cane", "tube", "robe"})
"""Words whose final e is kept: without it they would be other goods ("kite" is no "kit", nor a
"cape" a "cap"; a sewing kit is not a toy)."""
_KEEP_DOUBLE = ("ll", "ss", "zz", "ff")
_SIBILANTS = ("s", "x", "z", "ch", "sh")


def _undouble(word: str) -> str:
    if len(word) > 3 and word[-1] == word[-2] and word[-2:] not in _KEEP_DOUBLE:
        return word[:-1]
    return word


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light English stem, the same for a word's plural and -ed/-ing forms.

    Not a linguist's stem: it only has to give a tariff text and a description the same key
    (``"knitted"`` and ``"knit"``, ``"boxes"`` and ``"box"``, ``"knives"`` and ``"knife"``).

    >>> [stem(w) for w in ("shirts", "knitted", "knit", "boxes", "knives", "knife", "cases")]
    ['shirt', 'knit', 'knit', 'box', 'knif', 'knif', 'cas']
    >>> [stem(w) for w in ("educational", "education", "musical", "music")]
    ['education', 'education', 'music', 'music']
    """
    w = _IRREGULAR.get(word, word)
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif w.endswith("sses") or (len(w) > 4 and w.endswith("es") and w[:-2].endswith(_SIBILANTS)):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if len(w) > 5 and w.endswith("ing"):
        w = _undouble(w[:-3])
    elif len(w) > 4 and w.endswith("ied"):
        w = w[:-3] + "y"
    elif len(w) > 4 and w.endswith("ed") and not w.endswith("eed"):
        w = _undouble(w[:-2])
    if len(w) > 6 and w.endswith(("ional", "ical")):
        # 'educational' and 'education', 'musical' and 'music', 'electrical' and 'electric'
        # name the same thing in a title and in a tariff text.
        w = w[:-2]
    if len(w) > 3 and w.endswith("e") and w not in _KEEP_E:
        w = w[:-1]
    return w


# Everyday words for what the schedule names otherwise. Only ever used to find a match.
_SYNONYM_TEXT = {
    "phone": "telephone",
    "phones": "telephone",
    "cellphone": "telephone",
    "smartphone": "telephone",
    "iphone": "telephone",
    "mobile": "telephone",
    "tshirt": "shirt",
    "tee": "shirt",
    "tees": "shirt",
    "tank": "singlet",
    "earbud": "earphone",
    "earbuds": "earphone",
    "earpods": "earphone",
    "headset": "headphone",
    "speaker": "loudspeaker",
    "sneaker": "footwear shoe",
    "sneakers": "footwear shoe",
    "slipper": "footwear",
    "slippers": "footwear",
    "flip": "footwear",
    "heels": "footwear",
    "hoodie": "sweatshirt pullover",
    "hoody": "sweatshirt pullover",
    "jumper": "sweater pullover",
    "cardigan": "sweater",
    "legging": "trousers tights",
    "leggings": "trousers tights",
    "jogger": "trousers",
    "joggers": "trousers",
    "pants": "trousers",
    "jeans": "trousers denim",
    "bra": "brassiere",
    "bras": "brassiere",
    "underwear": "briefs panties underpants",
    "swimsuit": "swimwear",
    "bikini": "swimwear",
    "pyjama": "pajama",
    "pyjamas": "pajama",
    "laptop": "computer automatic data processing machine",
    "notebook": "computer automatic data processing machine",
    "charger": "converter power supply",
    "adaptor": "adapter",
    "powerbank": "battery accumulator",
    "necklace": "jewelry",
    "bracelet": "jewelry",
    "earring": "jewelry",
    "earrings": "jewelry",
    "jewellery": "jewelry",
    "ring": "jewelry",
    "plush": "stuffed toy",
    "lego": "toy",
    "makeup": "make",
    "lipstick": "lip",
    "mascara": "eye make",
    "eyeliner": "eye make",
    "cologne": "toilet water",
    "colour": "color",
    "grey": "gray",
    "aluminium": "aluminum",
    "tyre": "tire",
    "tyres": "tire",
    "tumbler": "drinking glass cup vacuum vessel flask",
    "purse": "handbag",
    "tote": "handbag",
    "luggage": "suitcase trunk",
    "cap": "headgear hat",
    "beanie": "headgear hat",
    "tv": "television",
    "bulb": "lamp",
    "bulbs": "lamp",
    "led": "diode emitting",
    "drone": "aircraft",
    "computer": "automatic data processing machine",
    "cookie": "biscuit",
    "cookies": "biscuit",
    "cracker": "biscuit",
    "crackers": "biscuit",
    "candy": "confectionery sugar",
    "gummy": "confectionery sugar",
    "gummies": "confectionery sugar",
    "novel": "book",
    "paperback": "book",
    "hardcover": "book",
    "webcam": "camera",
    "cam": "camera",
    "camcorder": "camera",
    "headlamp": "lamp",
    "torch": "lamp",
    "flashlight": "lamp",
    "light": "lighting luminaire",
    "lights": "lighting luminaire",
    "lamp": "luminaire lighting",
    "lamps": "luminaire lighting",
    "trimmer": "clipper",
    "beard": "hair",
    "brace": "orthopedic",
    "serum": "skin",
    "skincare": "skin care",
    "moisturizer": "skin",
    "moisturiser": "skin",
    "hammock": "camping",
    "manual": "hand operated",
    "nozzle": "spraying",
    "diffuser": "appliance",
    "thermos": "vacuum flask",
    "yoga": "exercise gymnastics",
    "pilates": "exercise gymnastics",
    "fitness": "exercise gymnastics",
    "workout": "exercise gymnastics",
    "gym": "exercise gymnastics",
    "dumbbell": "exercise gymnastics",
    "kettlebell": "exercise gymnastics",
    "bike": "bicycle",
    "cycling": "bicycle",
    "eyeshadow": "eye make",
    "nail": "manicure pedicure",
    "vape": "vaporizing",
    "sticker": "label",
    "stickers": "label",
    "poster": "printed",
}

# Words that say nothing about which goods these are: never evidence for or against a fit.
_NEUTRAL_TEXT = """
    man woman men women boy girl boys girls kid kids child children baby babies infant infants
    toddler unisex adult adults lady ladies gent gents mens womens
    black white red blue green yellow pink purple grey gray brown orange beige navy khaki
    ivory cream multicolor multicolour colorful colourful
    small medium large mini big size sizes xl xxl
    new fashion fashionable style stylish premium luxury cute cool quality high best hot sale
    gift gifts item items product products goods thing things stuff accessory accessories part
    parts piece pieces pair pairs set sets kit kits pack packs pcs pc unit units lot lots box
    assorted various mixed misc miscellaneous general merchandise sample samples custom personal
    daily use used home household everyday portable universal compatible replacement spare
    model type design edition version brand original genuine
    one two three four five six ten dozen
"""
_NEUTRAL = frozenset(stem(w) for w in _NEUTRAL_TEXT.split())


@lru_cache(maxsize=65536)
def _description_terms(description: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """The description's content words with the stems each may match, in order, deduplicated."""
    kept = content_words(description)
    terms: dict[str, frozenset[str]] = {}
    for word in description_words(description):
        if word not in kept and word not in _SYNONYM_TEXT:
            continue
        base = stem(word)
        if base in _NEUTRAL or word in terms:
            continue
        extra = _SYNONYM_TEXT.get(word, "").split()
        terms[word] = frozenset({base, *(stem(w) for w in extra)})
    return tuple(terms.items())


# Words that, in a seller's title, qualify the goods without naming them: qualities, materials,
# units, seasons, and parts or features of the article ("short sleeve", "side zipper"). Skipped
# when looking for the product a title names (its last noun), and never evidence that a
# description fits a number. Words ending as adjectives usually do (see _ADJECTIVE_ENDINGS).
_NOT_THE_PRODUCT_TEXT = """
    fast slim soft hard thick thin heavy duty lightweight quick dry non slip nonslip anti fog
    auto open compact natural organic pure raw fresh classic modern vintage retro rustic
    casual formal elegant cute funny professional digital electric smart mini large long short
    high low deep full half double single triple extra super ultra upper lower front rear side
    left right inner outer indoor outdoor universal ergonomic silent quiet loud bright dimmable
    scented unscented sweet multi multipurpose durable stretch stretchy elastic seamless
    oversized regular straight wide narrow round square flat warm cold hot cool thermal
    waterproof water resistant windproof shockproof rechargeable cordless wireless portable
    adjustable foldable folding retractable removable detachable stackable nesting handheld
    summer winter spring autumn fall christmas halloween holiday party wedding birthday floral
    print graphic solid plain striped plaid leopard camo vneck crew crewneck standard king
    queen twin official practice training everyday travel daily manual reflective chunky fuzzy
    cozy comfy sexy basic loose tight cropped mid midi maxi high waist waisted
    steel stainless cotton leather silicone plastic plastics wood wooden bamboo glass ceramic
    metal aluminum aluminium polyester nylon rubber silk satin wool acrylic canvas fleece denim
    brass copper gold silver sterling platinum titanium carbon fiber fibre chiffon linen velvet
    suede faux mesh latex pvc abs crystal porcelain stoneware marble stone resin paper
    cardboard cork jute sisal microfiber memory foam knit woven lace cashmere spandex neoprene
    inch inches ft feet foot oz ounce ounces lbs pound pounds liter liters litre gallon
    meter meters mah watt watts volt volts pcs piece pieces count pairs dozen
    size sizes xxl xxxl lumen lumens ply gauge tier tiers layer layers degree
    sleeve sleeves neck heel zipper zip pocket pockets lining lid lids handle handles finish
    display pattern color colors colour colours style styles ratio feel ink scent scents
    flavor flavors fragrance grip closure waist sole soles toe button buttons hood shape
    capacity speed mode function protection support control technology tech effect look fit
    length width height weight material fabric tone shade shades coating surface texture glow
    sound stereo sim usb wifi bluetooth rgb spf dot approved certified lcd hdmi pro max lite
    gen series grade bpa free safe friendly eco proof day night week month year monthly weekly
    adult adults boy boys girl girls teen teens unisex family home house work school sport
    sports beach pool hiking person people spray stick liquid powder newborn fiberglass
    ram windows android ios gps nfc
    and the of or from per each into set sets pack packs pcs pair pairs lot bundle assorted
"""
_NOT_THE_PRODUCT = frozenset(_NOT_THE_PRODUCT_TEXT.split())
_GOODS_WHEN_LAST = frozenset(
    [
        "sleeve",
        "sleeves",
        "grip",
        "grips",
        "ink",
        "inks",
        "button",
        "buttons",
        "handle",
        "handles",
        "lid",
        "lids",
    ]
)
"""Qualifiers that name the goods themselves when they end a title ('laptop sleeve', 'shirt
buttons', 'fountain pen ink', 'cabinet handles'), as they do not in 'short sleeve dress'."""
# -ing words ("running", "charging") qualify the noun after them; after a product noun they
# often start another compound ("shoe cleaning kit"), so they only count before it.
_ADJECTIVE_ENDINGS = ("able", "ible", "ive", "ful", "less", "proof", "ous", "ish", "ic", "ed")

# Where a title stops naming the goods: "Phone Case for iPhone 15", "Earbuds with Charging Case",
# "Phone Case not for iPhone 14" (a negation names what the goods are not, or do not fit).
# After such a word the title names other goods; after punctuation it may name the same ones.
_FOR_BREAK = re.compile(
    r"\b(?:for|with|w/|compatible|including|includes|featuring|fits|not|without|except|excluding)\b",
    re.IGNORECASE,
)
_PUNCTUATION_BREAK = re.compile(r"[,;:|()\[\]{}]|\s[-/]\s")

_QUANTITY = frozenset(
    stem(w) for w in ("set", "pack", "piece", "pair", "count", "dozen", "lot", "bundle")
)
# Neutral nouns that, right after a product noun, may be the goods themselves ('shoe box',
# 'bike parts', 'camera accessories', 'nail kit'): the product noun then does not decide.
_GOODS_NOUNS = frozenset(
    stem(w)
    for w in ("box", "part", "accessory", "kit", "item", "gift", "product", "goods", "thing")
)

# A number with its unit of measure or count ('750ml', '40% ABV', '12 year old', '1 carton',
# '5 pack', 'box of 25'): how much of the goods, never which goods. A seller writes it after the
# goods' noun, where the unit ('carton', 'year', 'bottle') would otherwise read as more goods
# ('Cigarettes 1 carton' is cigarettes, not a carton of heading 4819).
_MEASURE = re.compile(
    r"\b(?:box|pack|carton|case|set|bottle|tin|pouch|bag)\s+of\s+\d+\b"
    r"|\b\d+(?:[.,]\d+)?\s*-?\s*"
    r"(?:%(?:\s*(?:abv|vol|alc)\b)?"
    r"|(?:fl\.?\s*oz|ml|cl|dl|l|ltr|lt|liters?|litres?|oz|ounces?|g|gr|grams?|kg|mg|lbs?"
    r"|proof|abv|vol|years?\s+old|years?|yrs?|yo|months?|ct|count|pcs|pc|pieces?|packs?|pk"
    r"|cartons?|sticks?|bottles?|cans?|boxe?s?|tins?|pouch(?:es)?)\b)",
    re.IGNORECASE,
)

# Packages a seller names after the measure of the goods they hold ('Pipe Tobacco 50g Pouch',
# 'Coffee Beans 1kg Bag', 'Honey 500g Jar'): the title names the goods, packed in the package.
_PACKAGES = frozenset(
    stem(w)
    for w in [
        "pouch",
        "bag",
        "sack",
        "tin",
        "jar",
        "bottle",
        "can",
        "box",
        "pack",
        "packet",
        "carton",
        "tube",
        "sachet",
        "tub",
        "canister",
    ]
)

_EXCLUDED_GOODS: dict[str, str] = {
    "2203": "alcoholic beverages",
    "2204": "alcoholic beverages",
    "2205": "alcoholic beverages",
    "2206": "alcoholic beverages",
    "2208": "alcoholic beverages",
    "3303": "perfume containing alcohol",
    "2402": "cigars and cigarettes",
    "2403": "other tobacco products",
    "4813": "cigarette paper",
}
"""Headings of goods excluded from Type 86 (reference 3.6, E3a and E3b), and what the goods
are. A product-table phrase with one of these places (vodka, cigarettes, pipe tobacco, perfume)
names excise goods: see :func:`_excise`."""
_EXCLUDED_TEXT = {
    "alcoholic beverages": ("ELG005", "are excluded from Type 86 by 19 CFR 10.153(e)"),
    "perfume containing alcohol": (
        "ELG006",
        "is excluded from Type 86 by 19 CFR 10.153(e) in a shipment worth over $5",
    ),
    "cigars and cigarettes": ("ELG007", "are excluded from Type 86 by 19 CFR 10.153(e)"),
    "other tobacco products": ("ELG008", "are excluded from Type 86 by CBP guidance"),
    "cigarette paper": ("ELG008", "is excluded from Type 86 by CBP guidance"),
}
"""Per kind of excluded goods: the eligibility rule that screens their numbers, and the
exclusion as the note of HTS006's message states it."""

_NOT_ALCOHOLIC = re.compile(
    r"\b(?:non|no|zero|without)[\s-]*alcohol(?:ic)?\b|\balcohol[\s-]*free\b"
    r"|\bde-?alcoholi[sz]ed\b|\b0(?:[.,]0+)?\s*%",
    re.IGNORECASE,
)
"""A title saying its drink or perfume has no alcohol: non-alcoholic beer and wine are
beverages of heading 2202, and neither is excluded from Type 86 as an alcoholic beverage."""

_AFTER_EXCISE_TEXT = """
    ml cl dl ltr liter liters litre litres oz ounce ounces fl proof abv vol volume alc alcohol
    year years yr yrs old aged age month months gram grams kg mg lbs pack packs count pcs
    premium luxury original classic quality best authentic imported genuine pure natural organic
    fine rare special reserve select limited vintage blended single double triple straight dry
    extra sweet semi light lights strong mild smooth vsop xxo reserva anejo reposado blanco
    spray mist long lasting intense edp edt travel size mini sample tester new
    man men woman women mens womens unisex him her
    """
_AFTER_EXCISE = frozenset(_AFTER_EXCISE_TEXT.split())
"""Words that may follow the noun of excise goods while it still names the goods: measures and
grades ('Vodka 750ml', 'Cognac VSOP', 'Perfume Spray Long Lasting', 'Cigarettes Lights'). Any
other word makes the noun a qualifier of other goods: a material or colour ('Whiskey Stones',
'Whiskey Glass', 'Cognac Leather', 'Wine Red'), a set or box ('Sake Set', 'Cigar Box'), or a
word the table does not know ('Whisky Decanter', 'Brandy Melville', 'Tequila Sunrise')."""

PRODUCTS_FILE = "hts006_products.tsv"
"""HTS006's table of product nouns (package data of :mod:`t86audit.rules`)."""


def _qualifies(word: str) -> bool:
    """Whether a title word after a product noun qualifies it (rather than naming more goods)."""
    return len(word) < 3 or word in _NOT_THE_PRODUCT or word.endswith(_ADJECTIVE_ENDINGS)


def _describes(word: str) -> bool:
    """Whether a title word qualifies the goods rather than naming them."""
    return _qualifies(word) or stem(word) in _NEUTRAL or word.endswith("ing")


@lru_cache(maxsize=1)
def _product_nouns() -> dict[tuple[str, ...], frozenset[str]]:
    """The product table: a phrase's stems -> the HTS prefixes its goods may be filed under.

    Read once from :data:`PRODUCTS_FILE` (see the file's header for how it was built); phrases
    with the same stems (``shoe`` and ``shoes``) pool their prefixes.
    """
    text = package_bytes("rules", PRODUCTS_FILE).decode("utf-8")
    table: dict[tuple[str, ...], frozenset[str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        phrase, _, prefixes = line.partition("\t")
        key = tuple(stem(word) for word in description_words(phrase))
        table[key] = table.get(key, frozenset()) | frozenset(prefixes.split())
    return table


def _excise(key: tuple[str, ...]) -> tuple[str, ...]:
    """The excluded headings (:data:`_EXCLUDED_GOODS`) among a table phrase's places."""
    return tuple(sorted(p for p in _product_nouns().get(key, ()) if p in _EXCLUDED_GOODS))


def _names_excise_goods(
    words: tuple[str, ...], span: tuple[int, int], since: int, stop: int
) -> bool:
    """Whether the excise-goods noun at ``span`` names the goods.

    Only measures and grades (:data:`_AFTER_EXCISE`, or abbreviations such as 'ml', 'XO') may
    follow it up to ``stop``, and no tool may be named before it since ``since`` ('Cocktail
    Smoker Whiskey', 'Ice Mold Bourbon').
    """
    start, end = span
    if not all(len(word) < 3 or word in _AFTER_EXCISE for word in words[end:stop]):
        return False
    return not any(_tool_noun(word) for word in words[since:start])


_NOT_TOOLS_TEXT = (
    "lager porter pilsner amber bitter bitters ginger elder kosher premier silver copper"
)
_NOT_TOOLS = frozenset(_NOT_TOOLS_TEXT.split())
"""Words ending like the name of a tool that name a drink or its kind ('Lager Beer')."""


def _tool_noun(word: str) -> bool:
    """Whether a title word names a tool or utensil.

    An agent noun such as 'smoker', 'shaker', 'decanter', 'opener' or 'aerator', or a mold.
    """
    if word in _NOT_TOOLS or _describes(word):
        return False
    return (len(word) >= 5 and word.endswith(("er", "ers", "or", "ors"))) or stem(word) in {
        "mold",
        "mould",
    }


def _segment_products(
    words: tuple[str, ...],
) -> tuple[list[tuple[int, int]], bool | None, frozenset[int]]:
    """The product phrases of one title segment, and whether the last of them names the goods.

    Returns the (start, end) spans of the phrases found (longest first, left to right) and
    ``True`` when the last phrase ends the segment or is followed by a qualifier ('Golf Balls
    12 Pack Distance', 'Dress Short Sleeve'); ``False`` when a word the table does not know
    follows it at once ('Shoe Horn': the goods may be that word) or no phrase was found;
    ``None`` when every word is a qualifier. Third, the positions of product nouns found to
    qualify with the participle after them ('vacuum insulated'), and of those participles.
    """
    table = _product_nouns()
    stems = [stem(word) for word in words]
    spans: list[tuple[int, int]] = []
    covered = [False] * len(words)
    start = 0
    while start < len(words):
        for size in range(min(3, len(words) - start), 0, -1):
            key = tuple(stems[start : start + size])
            # A lone qualifier or participle is not a product ('short' sleeve, 'plated').
            word = words[start]
            if key in table and not (
                size == 1 and (word in _NOT_THE_PRODUCT or word.endswith("ed"))
            ):
                spans.append((start, start + size))
                covered[start : start + size] = [True] * size
                start += size
                break
        else:
            start += 1
    # A noun before a participle qualifies the goods named before it ('Water Bottle Vacuum
    # Insulated', 'Flashlight Battery Operated'): it is not a product, and the pair is skipped
    # like any qualifier.
    compound: set[int] = set()
    for index, (a, b) in enumerate(spans):
        if index and b - a == 1 and b < len(words) and _participle(words[b]):
            compound.update((a, b))
    spans = [span for span in spans if span[0] not in compound]
    # Excise goods ('whiskey', 'cognac', 'cigar', 'sake') name other goods' kind, colour or
    # use when another word follows ('Whiskey Stones', 'Cognac Leather Belt', 'Sake Set'):
    # such a noun is a qualifier. Right before another product noun it stays one of the goods
    # named ('Vodka Gummies': either fits), as any product noun does.
    kept: list[tuple[int, int]] = []
    for index, (a, b) in enumerate(spans):
        stop = spans[index + 1][0] if index + 1 < len(spans) else len(words)
        since = spans[index - 1][1] if index else 0
        if _excise(tuple(stems[a:b])) and not _names_excise_goods(words, (a, b), since, stop):
            compound.update(range(a, b))
            continue
        kept.append((a, b))
    spans = kept
    if not spans:
        every = all(_describes(word) for word in words)
        return spans, None if every else False, frozenset(compound)
    end = spans[-1][1]
    while end in compound:
        end += 1
    if end == len(words) or _excise(tuple(stems[spans[-1][0] : spans[-1][1]])):
        return spans, True, frozenset(compound)
    after = words[end]
    base = stem(after)
    if after in _GOODS_WHEN_LAST and all(_describes(word) for word in words[end + 1 :]):
        # 'laptop sleeve', 'shirt buttons', 'pen ink', 'laptop sleeve neoprene 13 inch': the
        # title's last noun is the goods.
        return spans, False, frozenset(compound)
    named = base not in _GOODS_NOUNS and (
        _qualifies(after) or base in _QUANTITY or base in _NEUTRAL
    )
    return spans, named, frozenset(compound)


_EMPTY_PACKAGE = frozenset(("empty", "refillable", "reusable", "blank"))
"""Words saying a package is sold for itself ('Perfume 10ml Bottle Empty'), not holding goods."""


def _unpacked(words: tuple[str, ...]) -> tuple[str, ...]:
    """The title's words without a package named right after a measure of goods named before it.

    'Aromatic Pipe Tobacco 50 g Pouch' names pipe tobacco sold in a 50 g pouch, not a pouch
    (an article of heading 4202 or 3923) for pipe tobacco. The package is dropped only when
    nothing but qualifiers follows it and a product noun comes before the measure: in '32 oz
    Bottle' or 'Stainless 32 oz Bottle' the bottle is the goods and stays, and so it does in a
    title that says the package is sold empty ('Perfume 10ml Bottle Empty', 'Refillable').
    """
    if _EMPTY_PACKAGE.intersection(words):
        return words
    for index in range(1, len(words)):
        if (
            words[index - 1] == "pcs"
            and stem(words[index]) in _PACKAGES
            and all(_describes(word) for word in words[index + 1 :])
            and _segment_products(words[: index - 1])[0]
        ):
            return words[:index] + words[index + 1 :]
    return words


def _participle(word: str) -> bool:
    """Whether a title word is a past participle ('insulated', 'operated'; not 'bed' or 'seed')."""
    return len(word) >= 5 and word.endswith("ed") and not word.endswith("eed")


_ACCESSORY_HEADS = frozenset(
    stem(w)
    for w in [
        "case",
        "cover",
        "sleeve",
        "skin",
        "protector",
        "holder",
        "stand",
        "mount",
        "strap",
        "band",
        "charger",
        "cable",
        "adapter",
        "dock",
        "tripod",
        "bag",
        "backpack",
        "pouch",
        "organizer",
        "rack",
        "holster",
    ]
)
"""Last nouns of a title that name an accessory or a container of the goods named before them:
'Laptop Backpack' names a backpack, 'Phone Case' a case, 'Bike Phone Mount' a mount. The goods
before them say what the accessory fits or holds (see :data:`_PARTS_OF`)."""

_PARTS_OF: dict[str, tuple[str, ...]] = {
    # machines and their parts-and-accessories headings (HTSUS heading texts)
    "8470": ("8473",),
    "8471": ("8473",),
    "8472": ("8473",),
    "8508": ("850870",),
    "8509": ("850990",),
    "8510": ("851090",),
    "8516": ("851690",),
    "8517": ("851779",),
    "8518": ("851890",),
    "8519": ("8522",),
    "8521": ("8522",),
    "8525": ("8529",),
    "8527": ("8529",),
    "8528": ("8529",),
    "8703": ("8708",),
    "8704": ("8708",),
    "8711": ("8714",),
    "8712": ("8714",),
    "8715": ("8715",),
    "8806": ("8807",),
    "9006": ("900691", "900699"),
    "9101": ("9113", "9114"),
    "9102": ("9113", "9114"),
    "9105": ("9114",),
    "9201": ("9209",),
    "9202": ("9209",),
    "9207": ("9209",),
}
"""Where the parts and accessories of goods of a heading are classified. When a title names an
accessory of other goods ('Laptop Backpack', 'Bike Phone Mount'), the goods it fits lend it
these places, not their own: a laptop backpack is no laptop, but may be an accessory of one."""

_TOY_WORDS = frozenset(
    ["toy", "toys", "kid", "kids", "child", "children", "childrens", "toddler", "toddlers"]
)
"""Words that say the goods are for children: any goods may then be a toy version (9503)."""
_POWERED_WORDS = frozenset(
    [
        "electric",
        "electrical",
        "electronic",
        "heated",
        "heating",
        "rechargeable",
        "battery",
        "powered",
        "motorized",
        "motorised",
        "cordless",
        "usb",
        "smart",
        "wifi",
    ]
)
"""Words that say the goods work by electricity: chapters 84 and 85 may then classify them
(a heated vest, a smart plug) whatever the table gives the goods' noun."""


class _Named(NamedTuple):
    """The goods a title names and where they may be classified."""

    products: tuple[str, ...]
    """The product-table phrases naming the goods."""
    places: frozenset[str]
    """Where the table (and :data:`_PARTS_OF`, for accessories) puts them."""
    fits: tuple[str, ...] = ()
    """Phrases naming what the goods are an accessory or container of ('laptop')."""
    not_evidence: frozenset[str] = frozenset()
    """Title words that are no evidence of a fit when an article text uses them: the words of
    ``fits`` (a laptop backpack under portable computers), the leading words of a phrase (the
    'makeup' of 'makeup brush' under make-up preparations) and a noun qualifying with a
    participle (the 'vacuum' of 'vacuum insulated' under vacuum pumps), and the goods named
    after 'for' (the 'iPhone' of 'Phone Case for iPhone' under smartphones)."""
    also: frozenset[str] = frozenset()
    """Places the title's other words open (9503 for goods for children, chapters 84 and 85
    for powered goods); never named in a message."""
    measures: tuple[str, ...] = ()
    """The title's measures and counts ('750ml', '1 carton'): how much of the goods, which
    counts towards the words a judgement needs (``min_known_words``)."""
    excise: tuple[str, ...] = ()
    """When the goods named last are excise goods, the excluded headings the table gives them
    (:data:`_EXCLUDED_GOODS`)."""
    excise_words: frozenset[str] = frozenset()
    """The words of excise goods' nouns, and the chapters of their places: an article text of
    another chapter that uses them names something else ('cigarette holders' of heading 9614
    are not cigarettes), while the table lists every place of such goods."""
    excise_chapters: frozenset[str] = frozenset()


_NOTHING_NAMED = _Named((), frozenset())


@lru_cache(maxsize=65536)
def _products(description: str) -> _Named:
    """The goods a title names (product-table phrases) and where they may be classified.

    Looks at the title up to the first 'for', 'with' and the like (the rest names what the goods
    are for or come with); a punctuation-separated part that only qualifies ('2 Pack - Phone
    Case') passes to the next. Decides only when the title's last noun is in the table:
    ``_NOTHING_NAMED`` otherwise, so brand names or goods the table does not know leave the
    judgement to the chapter comparison. When the last noun names an accessory or container
    (:data:`_ACCESSORY_HEADS`), the goods named before it are what it fits: they lend it their
    parts headings (:data:`_PARTS_OF`), not their own.
    """
    head = _FOR_BREAK.split(description, maxsplit=1)[0]
    for part in _PUNCTUATION_BREAK.split(head):
        measures = tuple(m.group(0).strip() for m in _MEASURE.finditer(part))
        # A measure reads as 'pcs', a qualifier: 'Golf Balls 12 Pack Distance' stays golf balls.
        words = description_words(_MEASURE.sub(" pcs ", part) if measures else part)
        if measures:
            words = _unpacked(words)
        spans, named, compound = _segment_products(words)
        if named is None:
            continue
        if not named:
            break
        table = _product_nouns()
        keys = [tuple(stem(w) for w in words[a:b]) for a, b in spans]
        fitted: set[int] = set()
        if keys[-1][-1] in _ACCESSORY_HEADS:
            fitted = {i for i, key in enumerate(keys[:-1]) if key[-1] not in _ACCESSORY_HEADS}
        places: set[str] = set()
        for i, key in enumerate(keys):
            if i in fitted:
                places.update(p for place in table[key] for p in _PARTS_OF.get(place, ()))
            else:
                places.update(table[key])
        phrases = [" ".join(words[a:b]) for a, b in spans]
        not_evidence = {
            w for i, (a, b) in enumerate(spans) for w in words[a : b if i in fitted else b - 1]
        } | {words[i] for i in compound}
        # After 'for' a title names the device the goods fit ('Phone Case for iPhone 15'): a
        # number whose text names that device classifies the device, not the goods.
        not_evidence.update(
            w
            for w in description_words(description[len(head) :])
            if any((stem(x),) in table for x in (w, *_SYNONYM_TEXT.get(w, "").split()))
        )
        # The unit of a measure ('carton' of '1 carton') is no evidence either.
        not_evidence.update(w for m in measures for w in description_words(m))
        every = set(description_words(description))
        also = {"9503"} if every & _TOY_WORDS else set()
        if every & _POWERED_WORDS:
            also.update(("84", "85"))
        excise_spans = [(a, b) for (a, b), key in zip(spans, keys, strict=True) if _excise(key)]
        last = len(keys) - 1
        excise = () if last in fitted else _excise(keys[last])
        if _NOT_ALCOHOLIC.search(description):
            also.add("2202")
            excise = tuple(h for h in excise if not h.startswith(("22", "3303")))
        return _Named(
            tuple(dict.fromkeys(p for i, p in enumerate(phrases) if i not in fitted)),
            frozenset(places),
            tuple(dict.fromkeys(p for i, p in enumerate(phrases) if i in fitted)),
            frozenset(not_evidence),
            frozenset(also),
            tuple(m.group(0).strip() for m in _MEASURE.finditer(description)),
            excise,
            frozenset(w for a, b in excise_spans for w in words[a:b]),
            frozenset(
                p[:2] for (a, b) in excise_spans for p in table[tuple(stem(w) for w in words[a:b])]
            ),
        )
    return _NOTHING_NAMED


@attrs.frozen
class DescriptionFit:
    """How a description compares with the chapter of its HTS number.

    Attributes:
        matched: the description's words found in the number's chapter (its headings and
            article texts).
        unmatched: the description's words not found there.
        known: when nothing matched, the unmatched words the schedule uses in some goods
            chapter (brand names, misspellings and words of other languages are not).
        elsewhere: when nothing matched, the other goods chapters (1-97) that use every
            ``known`` word, at least one of them a specific word (see
            :data:`SPECIFIC_MAX_CHAPTERS`); in chapter order.
        products: the goods the description names, as phrases of the product table
            (:data:`PRODUCTS_FILE`); empty when its last noun is not in the table. When set,
            they decide, not the chapter comparison.
        misfit: with ``products``, whether the number is outside every place the table gives
            them and its article text shares no word with the description other than
            qualifiers (materials, qualities, sizes). Then ``known`` are the description's words
            the schedule or the table knows, ``elsewhere`` the chapters the table gives, and
            ``unmatched`` the words not in the article text.
        fits: with ``products`` naming an accessory or container, the goods it fits or holds
            ('laptop' in 'Laptop Backpack'); ``elsewhere`` then has their parts headings.
        excluded: with ``misfit``, when the goods named last are goods of headings excluded
            from Type 86 (spirits, wine, beer, cigars, cigarettes, other tobacco, perfume),
            those headings ('2208').
    """

    matched: tuple[str, ...]
    unmatched: tuple[str, ...]
    known: tuple[str, ...] = ()
    elsewhere: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    misfit: bool = False
    fits: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()

    def is_inconsistent(self, min_known_words: int) -> bool:
        """Whether the description does not fit the number.

        True when the named goods belong elsewhere or, no goods named, nothing matched the
        chapter; either way with ``min_known_words`` or more words the schedule or table knows.
        """
        enough = len(self.known) >= max(min_known_words, 1)
        if self.products:
            return self.misfit and enough
        return not self.matched and enough and bool(self.elsewhere)


_GOODS_CHAPTERS = tuple(f"{chapter:02d}" for chapter in range(1, 98))
"""Chapters that classify goods; 98 and 99 (special and additional-duty provisions) do not."""

SPECIFIC_MAX_CHAPTERS = 3
"""A word is specific if at most this many goods chapters use it.

Words such as 'case', 'steel', 'nail' or 'polish' occur in many chapters: that two of them
meet again in some other chapter says nothing about where the goods belong.
"""


class _FitIndex:
    """Stemmed chapter vocabularies of one schedule; each (number, description) judged once."""

    def __init__(self, schedule: HtsSchedule, *, prebuilt: bool = True) -> None:
        self._schedule = schedule
        self._chapters: dict[str, frozenset[str]] = {}
        self._where: dict[str, frozenset[str]] | None = None
        # The bundled snapshot's stems ship pre-built (reference.hts_vocabulary): reading them
        # is far cheaper than decompressing the texts and stemming every word of a chapter.
        # Any other schedule is stemmed here.
        self._prebuilt = None
        if prebuilt and _is_bundled(schedule):
            vocabulary = hts_vocabulary()
            if vocabulary.schedule_sha256 == schedule.snapshot.sha256:
                self._prebuilt = vocabulary
        self.fit = lru_cache(maxsize=65536)(self._fit)
        self._article_stems = lru_cache(maxsize=4096)(self._stems_of_article)

    def _stems_of_article(self, digits: str) -> frozenset[str]:
        """The stems of a number's article text (its heading and subheading texts)."""
        article = self._schedule.article(digits) or ""
        return frozenset(stem(word) for word in content_words(article))

    def chapter_stems(self, chapter: str) -> frozenset[str]:
        cached = self._chapters.get(chapter)
        if cached is None:
            if self._prebuilt is not None:
                cached = self._prebuilt.get(chapter, frozenset())
            else:
                cached = frozenset(stem(w) for w in self._schedule.chapter_vocabulary(chapter))
            self._chapters[chapter] = cached
        return cached

    def where(self) -> dict[str, frozenset[str]]:
        """Each stem -> the goods chapters that use it."""
        # Built only when a description shares nothing with its own chapter, so clean data
        # never pays for reading every chapter.
        if self._where is None:
            where: dict[str, set[str]] = {}
            for chapter in _GOODS_CHAPTERS:
                for word in self.chapter_stems(chapter):
                    where.setdefault(word, set()).add(chapter)
            self._where = {word: frozenset(chapters) for word, chapters in where.items()}
        return self._where

    def _fit(self, digits: str, description: str) -> DescriptionFit | None:
        chapter = self._schedule.chapter(digits)
        if chapter is None:
            return None
        evidence = self.chapter_stems(chapter)
        terms = _description_terms(description)
        matched = tuple(word for word, stems in terms if stems & evidence)
        unmatched = tuple(word for word, stems in terms if not stems & evidence)
        named = _products(description)
        if named.products:
            return self._product_fit(
                digits, terms=terms, matched=matched, unmatched=unmatched, named=named
            )
        if matched or not unmatched:
            return DescriptionFit(matched, unmatched)
        where = self.where()
        chapters_of: dict[str, frozenset[str]] = {}
        specific: set[str] = set()
        for word, stems in terms:
            found = frozenset(c for s in stems for c in where.get(s, ()))
            if found:
                chapters_of[word] = found
                specific.update(
                    c
                    for s in stems
                    if len(where.get(s, ())) <= SPECIFIC_MAX_CHAPTERS
                    for c in where.get(s, ())
                )
        known = tuple(chapters_of)
        if len(known) < len(unmatched):
            # A word the schedule does not use may be the goods themselves ('Harmonica 10 Hole
            # Key of C': 'hole' and 'key' meet in chapter 84, the harmonica is a mouth organ):
            # only a description whose every word is known can be placed elsewhere.
            return DescriptionFit((), unmatched, known)
        common = frozenset.intersection(*chapters_of.values()) if chapters_of else frozenset()
        elsewhere = tuple(sorted(common & specific))
        return DescriptionFit((), unmatched, known, elsewhere)

    def _product_fit(
        self,
        digits: str,
        *,
        terms: tuple[tuple[str, frozenset[str]], ...],
        matched: tuple[str, ...],
        unmatched: tuple[str, ...],
        named: _Named,
    ) -> DescriptionFit:
        """Judge a description that names goods of the product table."""
        products = named.products
        if any(digits.startswith(place) for place in named.places | named.also):
            return DescriptionFit(matched, unmatched, products=products, fits=named.fits)
        article = self._article_stems(digits)
        not_evidence = named.not_evidence
        if digits[:2] not in named.excise_chapters:
            not_evidence |= named.excise_words
        if any(
            stems & article
            for word, stems in terms
            if not _describes(word) and word not in not_evidence
        ):
            # The heading or subheading text itself names something of the description: the
            # table may be incomplete, the schedule is not. Not a word naming what the goods
            # fit ('laptop' of a laptop backpack) or qualifying the goods' noun ('makeup' of a
            # makeup brush): those may be in the text of other goods.
            return DescriptionFit(matched, unmatched, products=products, fits=named.fits)
        where = self.where()
        table = _product_nouns()
        # The words of a phrase the table knows ('eau de parfum') are known, and so is a
        # measure ('750ml'): 'Vodka 750ml' says what and how much, as two words would.
        phrase_words = {w for product in products for w in product.split()}
        known = (
            tuple(
                word
                for word, stems in terms
                if word in phrase_words or any(s in where or (s,) in table for s in stems)
            )
            + named.measures[:1]
        )
        missing = tuple(word for word, stems in terms if not stems & article)
        # The places as the table gives them: a heading stays a heading, so that a message
        # never names the chapter of the very number it flags ("chapter 42" for 4205 when
        # the table lists heading 4203).
        where_given = tuple(sorted(named.places))
        return DescriptionFit(
            matched,
            missing,
            known,
            where_given,
            products,
            misfit=True,
            fits=named.fits,
            excluded=named.excise,
        )


def _places_text(places: Iterable[str]) -> str:
    """``("39", "42", "4203", "870899")`` -> ``chapters 39, 42; heading 4203; subheading ...``.

    The last: ``subheading 8708.99``.
    """
    kinds = (("chapter", 2), ("heading", 4), ("subheading", 6))
    parts = []
    for noun, size in kinds:
        some = [_dotted(p) for p in places if len(p) == size]
        if some:
            parts.append(f"{noun}{'s' if len(some) > 1 else ''} {', '.join(some)}")
    return "; ".join(parts)


_FIT_INDEXES: weakref.WeakKeyDictionary[HtsSchedule, _FitIndex] = weakref.WeakKeyDictionary()


def _fit_index(schedule: HtsSchedule) -> _FitIndex:
    index = _FIT_INDEXES.get(schedule)
    if index is None:
        index = _FitIndex(schedule)
        _FIT_INDEXES[schedule] = index
    return index


def chapter_stems(schedule: HtsSchedule) -> dict[str, frozenset[str]]:
    """The stems HTS006 compares descriptions with, per chapter, computed from the schedule.

    Each chapter's stems are :func:`stem` of its content words
    (:meth:`~t86audit.reference.HtsSchedule.chapter_vocabulary`); chapters without words are
    left out. ``scripts/build_reference_data.py`` stores this for the bundled snapshot
    (:func:`t86audit.reference.hts_vocabulary`), which HTS006 then reads instead.
    """
    index = _FitIndex(schedule, prebuilt=False)
    stems = {f"{n:02d}": index.chapter_stems(f"{n:02d}") for n in range(100)}
    return {chapter: words for chapter, words in stems.items() if words}


def description_fit(
    schedule: HtsSchedule, hts_number: str, description: str
) -> DescriptionFit | None:
    """Compare a description with the article of a valid number (cached per schedule).

    Returns ``None`` when the number is not a valid 10-digit number of ``schedule``.
    """
    digits = "".join(c for c in hts_number if c.isascii() and c.isdigit())
    return _fit_index(schedule).fit(digits, description)


def _excluded_note(headings: tuple[str, ...]) -> str:
    """What a reader must check when the goods named are of headings excluded from Type 86.

    Conditional on purpose: the description may be what is wrong, not the number, so the note
    says what follows if the goods are what it names. The eligibility rules (ELG005-ELG008)
    judge the number filed, so under this number they say nothing.
    """
    if not headings:
        return ""
    by_kind: dict[str, list[str]] = {}
    for heading in headings:
        by_kind.setdefault(_EXCLUDED_GOODS[heading], []).append(heading)
    parts = []
    for kind, places in by_kind.items():
        rule, excluded = _EXCLUDED_TEXT[kind]
        noun = "heading" if len(places) == 1 else "headings"
        parts.append(
            f"{kind} ({noun} {', '.join(places)}) {excluded} ({rule} reads the number filed, "
            "not the description)"
        )
    return ". If the goods are what the description names, " + "; ".join(parts)


def _shorten(text: str, limit: int = 110) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + " ..."


def _article_summary(article: str) -> str:
    """The article chain with each long segment shortened, for a one-line message."""
    return " > ".join(_shorten(segment) for segment in article.split(" > "))


@builtin_rule(
    "HTS006",
    reads=("line.description", "line.hts_number"),
    scope="line",
    options={"min_known_words": 2},
    citations=cites("csms-60144714", "usc19-1484", "usitc-htsus"),
    examples=[
        _hts_example(
            "'silicone phone case' under 6109.10.00.40 (T-shirts)",
            "6109.10.00.40",
            description="silicone phone case",
        ),
        _hts_example(
            "'leather dog leash' under 8511.10.00.00 (spark plugs)",
            "8511.10.00.00",
            description="leather dog leash",
        ),
        _hts_example(
            "'Men's Running Shoes Breathable Mesh' under 8517.13.00.00 (smartphones)",
            "8517.13.00.00",
            description="Men's Running Shoes Breathable Mesh",
        ),
        _hts_example(
            "'Kids Wooden Building Blocks 100pcs' under 6404.19.25.60 (footwear, for women)",
            "6404.19.25.60",
            description="Kids Wooden Building Blocks 100pcs",
        ),
        _hts_example(
            "'Women's Leather Crossbody Bag' under 6403.59.60.60 (leather shoes; only "
            "'leather' shared)",
            "6403.59.60.60",
            description="Women's Leather Crossbody Bag",
        ),
        _hts_example(
            "'Men's Running Shoes Breathable Mesh' under 6404.11.90.20 (athletic footwear)",
            "6404.11.90.20",
            description="Men's Running Shoes Breathable Mesh",
            flagged=False,
        ),
        _hts_example(
            "'Metal Shoe Rack 4 Tier' under 9403.20.00.86 (furniture: the rack, not the shoe)",
            "9403.20.00.86",
            description="Metal Shoe Rack 4 Tier",
            flagged=False,
        ),
        _hts_example(
            "'leather dog leash' under 4201.00.30.00 (dog leashes)",
            "4201.00.30.00",
            description="leather dog leash",
            flagged=False,
        ),
        _hts_example(
            "'women's cotton knit t-shirt' under 6109.10.00.40", "6109.10.00.40", flagged=False
        ),
        _hts_example(
            "'Anker PowerCore 10000' (no word the schedule uses) under 8507.60.00.20",
            "8507.60.00.20",
            description="Anker PowerCore 10000",
            flagged=False,
        ),
    ],
)
def description_inconsistent_with_hts(
    entry: Entry, line: LineItem, ctx: RuleContext
) -> Iterator[Hit]:
    """Flag a description whose goods belong elsewhere than its (valid) HTS number."""
    read = hts_shape(line.hts_number)
    if read.shape is not Shape.TEN_DIGITS or not line.description.strip():
        return
    schedule: HtsSchedule = ctx.reference.hts
    fit = _fit_index(schedule).fit(read.digits, line.description)
    if fit is None or not fit.is_inconsistent(int(ctx.options["min_known_words"])):
        return
    article = schedule.article(read.digits) or ""
    others = ", ".join(fit.elsewhere)
    if fit.products:
        yield hts_hit(
            entry,
            line,
            expected=f"an HTS number whose article describes {line.description!r}",
            message=(
                f"description {line.description!r} names {' / '.join(fit.products)}"
                + (f" (an accessory of or for {' / '.join(fit.fits)})" if fit.fits else "")
                + f", goods of {_places_text(fit.elsewhere)} (HTS006's product table), not of HTS "
                f"{_dotted(read.digits)} ({_article_summary(article)}) in "
                f"{_schedule_label(schedule)}; words not found there: "
                f"{', '.join(fit.unmatched)}" + _excluded_note(fit.excluded)
            ),
        )
        return
    yield hts_hit(
        entry,
        line,
        expected=f"an HTS number whose article describes {line.description!r}",
        message=(
            f"description {line.description!r} shares no word with HTS {_dotted(read.digits)} "
            f"({_article_summary(article)}) or the rest of chapter {read.digits[:2]} in "
            f"{_schedule_label(schedule)}; words not found there: {', '.join(fit.unmatched)}; "
            f"chapter{'s' if len(fit.elsewhere) > 1 else ''} {others} "
            f"use{'' if len(fit.elsewhere) > 1 else 's'} all of {', '.join(fit.known)}"
        ),
    )


# --------------------------------------------------------------------------------------------
# HTS007, one description under several numbers


def _description_key(description: str, ctx: RuleContext) -> str:
    """The normalised description, or ``""`` for one with no word or only a vague term."""
    if not description_words(description):
        return ""
    match = ctx.reference.vague_matcher.match(description)
    if match.exact:
        return ""
    return normalize_text(description)


def _grouped(description: str, hts_number: str, ctx: RuleContext) -> tuple[str, str] | None:
    """A line's group key and 10-digit number, or ``None`` when HTS007 does not group it.

    Only a well-formed Chapter 1-97 10-digit number and a description with a word, not only a
    vague term, are grouped.
    """
    read = hts_shape(hts_number)
    if read.shape is not Shape.TEN_DIGITS:
        return None
    key = _description_key(description, ctx)
    return (key, read.digits) if key else None


def _line_use(line: LineItem, ctx: RuleContext) -> tuple[str, str] | None:
    """:func:`_grouped` of the line, worked out once per description and number.

    A broker's year repeats a few thousand products over every entry: the normalising and the
    vague-term match are paid once per product, not once per line.
    """
    description = line.description
    number = line.hts_number
    return ctx.remember((description, number), _grouped, description, number, ctx)


class _Use(NamedTuple):
    """How one entry uses one description (what HTS007 needs of it at the end of the pass)."""

    description: str
    """The normalised description (the group key)."""
    line: int
    """The lowest line number carrying the description."""
    numbers: str | tuple[str, ...]
    """The 10-digit number the entry gives the description, or several, sorted."""
    filed: str
    """The description as filed on the line numbered ``line``."""


def _classified(entry: Entry, ctx: RuleContext) -> Kept:
    """The entry's shared record, with how the entry uses each description (made once).

    The key function asks first and the fold finds it made. A group of one description keeps
    every entry, so each is kept as small as it can be: an entry with one description (most
    entries) has its use in the record itself (``described``, ``line``, ``numbers``,
    ``filed``); an entry with several has them all in one flat tuple in ``uses`` (four items
    a use, in the order of :class:`_Use`), not a tuple of tuples.
    """
    kept = kept_of(entry, ctx)
    if kept.uses is None:
        uses = _uses(entry, ctx)
        if len(uses) == 1:
            ((kept.described, kept.line, kept.numbers, kept.filed),) = uses
            kept.uses = ()
        else:
            kept.uses = tuple(item for use in uses for item in use)
    return kept


def _keep_uses(state: Any, entry: Entry, ctx: RuleContext) -> Any:
    """HTS007's fold: the entry's shared record, with its uses of descriptions."""
    return gather(state, _classified(entry, ctx))


def _classify(entry: Entry, ctx: RuleContext) -> tuple[_Use, ...]:
    if len(entry.lines) == 1:
        # Most entries have one line: its number, description and line are the use.
        (line,) = entry.lines
        grouped = _line_use(line, ctx)
        if grouped is None:
            return ()
        return (_Use(grouped[0], line.line_number, grouped[1], line.description),)
    described: dict[int, str] = {}
    found: dict[str, tuple[int, set[str]]] = {}
    for line in entry.lines:
        number = line.line_number
        # The first line with a number is the one a finding quotes.
        described.setdefault(number, line.description)
        grouped = _line_use(line, ctx)
        if grouped is None:
            continue
        key, digits = grouped
        seen = found.get(key)
        if seen is None:
            found[key] = (number, {digits})
        else:
            seen[1].add(digits)
            if number < seen[0]:
                found[key] = (number, seen[1])
    return tuple(
        _Use(
            key,
            first,
            next(iter(numbers)) if len(numbers) == 1 else tuple(sorted(numbers)),
            described[first],
        )
        for key, (first, numbers) in found.items()
    )


def _nothing() -> None:
    return None


_LAST_USES: list[tuple[Callable[[], object], Callable[[], object], tuple[_Use, ...]]] = [
    (_nothing, _nothing, ())
]
"""Weak references to the last entry :func:`_uses` worked out and its context; its uses."""


def _uses(entry: Entry, ctx: RuleContext) -> tuple[_Use, ...]:
    """:func:`_classify`, worked out once for an entry asked about several times in a row.

    The pass asks for an entry's keys, then for the number it gives each key: an entry with
    several lines would otherwise be classified once more per description. The slot holds the
    entry and context weakly (an audit must not keep either alive): while they live, no other
    object has their identity.
    """
    last_entry, last_ctx, uses = _LAST_USES[0]
    if last_entry() is entry and last_ctx() is ctx:
        return uses
    uses = _classify(entry, ctx)
    _LAST_USES[0] = (weakref.ref(entry), weakref.ref(ctx), uses)
    return uses


def _descriptions(entry: Entry, ctx: RuleContext) -> Iterator[Hashable]:
    """The entry's descriptions (normalised) on well-formed numbers, in line order, once each."""
    lines = entry.lines
    if len(lines) == 1:
        # Most entries: the key comes straight from the line. No shared record is made here:
        # when the pass keeps digests only, the fold makes it for the entries read again.
        grouped = _line_use(lines[0], ctx)
        if grouped is not None:
            yield grouped[0]
        return
    for use in _uses(entry, ctx):
        yield use.description


def _use(kept: Kept, description: str) -> _Use:
    """The entry's use of ``description``, from what :func:`_classified` kept."""
    if kept.described == description:
        return _Use(description, cast("int", kept.line), kept.numbers or "", kept.filed or "")
    uses: tuple[Any, ...] = kept.uses
    start = uses[0::4].index(description) * 4
    return _Use(*uses[start : start + 4])


def _one_number(state: list[Kept], description: str) -> bool:
    """Whether every entry of the group gives ``description`` one and the same number."""
    seen: str | None = None
    for kept in state:
        numbers = (
            kept.numbers if kept.described == description else _use(kept, description).numbers
        )
        if not isinstance(numbers, str) or (seen is not None and numbers != seen):
            return False
        seen = numbers
    return True


def _groups_of_two(ctx: RuleContext) -> bool:
    """HTS007 compares the entries of a description: one entry alone, when ``min_entries`` >= 2."""
    return int(ctx.options["min_entries"]) >= 2


def _number_given(entry: Entry, description: Hashable, ctx: RuleContext) -> str | None:
    """The one number the entry gives ``description`` (``None`` when it gives several).

    A description whose entries all give it one and the same number is not reported
    (:func:`_one_number`), so only the others are read again at the end of the pass.
    """
    lines = entry.lines
    if len(lines) == 1:
        grouped = _line_use(lines[0], ctx)
        # The key came from this line (_descriptions), so the line's number is the one given.
        return None if grouped is None else grouped[1]
    for use in _uses(entry, ctx):
        if use.description == description:
            return use.numbers if isinstance(use.numbers, str) else None
    return None


def _ref_order(ref: EntryRef) -> tuple[str, str, str, str]:
    return (ref.key, ref.number, ref.arrival_date.isoformat(), ref.source)


def _entry_order(kept: Kept) -> tuple[str, str, str, str]:
    return _ref_order(kept.ref)


def _kinship(numbers: Iterable[str]) -> str:
    """What the numbers of one description have in common, and what that can mean.

    HTS007 claims only that one description carries several numbers. Both may be right when
    the goods differ in what the description does not state (a knitted and a woven 'dress' are
    in chapters 61 and 62; cotton and polyester ones in different subheadings), so the message
    says where the numbers part and leaves open which reading holds.
    """
    digits = sorted(numbers)
    shared = 0
    while shared < min(len(d) for d in digits) and len({d[shared] for d in digits}) == 1:
        shared += 1
    if shared >= 8:
        where = f"they differ only in the statistical suffix of {_dotted(digits[0][:8])}"
    elif shared >= 6:
        where = f"they share subheading {_dotted(digits[0][:6])}"
    elif shared >= 4:
        where = f"they share heading {digits[0][:4]}"
    elif shared >= 2:
        where = f"they share chapter {digits[0][:2]}"
    else:
        where = "they are in different chapters"
    return (
        f"{where}, so either the goods differ in what the description does not state "
        "(material, construction, size, who they are for) or at least one number is wrong"
    )


def _speaker(hts: str) -> dict[str, object]:
    return _hts_line(hts, description="portable bluetooth speaker")


@builtin_group_rule(
    "HTS007",
    keys=_descriptions,
    fold=_keep_uses,
    needs_two=_groups_of_two,
    variant=_number_given,
    options={"min_entries": 2, "max_related": 10},
    citations=cites("usc19-1484", "csms-60144714"),
    examples=[
        flags(
            "'portable bluetooth speaker' under three numbers",
            _speaker("8518.22.00.00"),
            _speaker("8518.29.80.00"),
            _speaker("8519.81.41.50"),
            serials=(1, 2, 3),
        ),
        flags(
            "'Portable Bluetooth Speaker!' and 'portable bluetooth speaker' under two numbers",
            _hts_line("8518.22.00.00", description="Portable Bluetooth Speaker!"),
            _speaker("8518.29.80.00"),
            serials=(1, 2),
        ),
        passes(
            "the same description under one number, written '8518.22.00.00' and '8518220000'",
            _speaker("8518.22.00.00"),
            _speaker("8518220000"),
        ),
        passes(
            "two lines of one entry under two numbers (min_entries 2)",
            {
                "lines": [
                    {"description": "polyester dress", "hts_number": "6104.43.20.10"},
                    {"description": "polyester dress", "hts_number": "6204.43.40.30"},
                ]
            },
        ),
    ],
)
def inconsistent_classification(key: Hashable, state: Any, ctx: RuleContext) -> Iterator[Hit]:
    """Flag every entry of a description group that uses more than one number."""
    state = kept_in(state)
    if len(state) < int(ctx.options["min_entries"]):
        return
    description = str(key)
    if _one_number(state, description):
        return  # most groups: every entry agrees, and nothing below needs doing
    # An entry whose number is also on a record outside the group (a version under another
    # description, or without a well-formed number), or whose versions here give the
    # description other numbers (a number corrected), may not give it the number its record
    # here gives: it is left out (see unsettled), so that a description is reported only if
    # its entries disagree whichever version stands. FIL003 reports the entry and the numbers
    # its versions differ in.
    doubtful = unsettled(
        state, state, ctx, places=False, alike=lambda kept: _use(kept, description).numbers
    )
    note = ""
    if doubtful:
        note = left_out(kept for kept in state if kept.ref.key in doubtful)
        state = [kept for kept in state if kept.ref.key not in doubtful]
    # Records that share an entry number (one filing exported twice, FIL004, or versions of
    # it that agree here) are one entry: counted and flagged once, on its first record.
    entries: dict[str, tuple[EntryRef, _Use, set[str]]] = {}
    for kept in sorted(state, key=_entry_order):
        use = _use(kept, description)
        given = (use.numbers,) if isinstance(use.numbers, str) else use.numbers
        held = entries.get(kept.ref.key)
        if held is None:
            entries[kept.ref.key] = (kept.ref, use, set(given))
        else:
            held[2].update(given)
    if len(entries) < int(ctx.options["min_entries"]):
        return
    # A number that a 2025 revision added or removed, filed while it was valid, is counted as
    # its subheading: the goods filed under 7013.99.40.90 before revision 16 and under
    # 7013.99.40.01 after it were classified alike. A number filed when it was not valid stays
    # itself (HTS002's violation, and a disagreement here).
    editions: HtsEditions | None = getattr(ctx.reference, "hts_editions", None)
    renumbered = False
    if editions is not None:
        for ref, _, filed in entries.values():
            day = ref.arrival_date
            # Before (after) the bundled revisions, the first (last) of them stands for the
            # schedule of the day, as HTS003 takes it.
            edition = editions.in_force(day) or (
                editions.editions[0] if day < editions.covers_from else editions.editions[-1]
            )
            changed = {
                d
                for d in filed
                if len(d) == 10 and editions.changed(d) and editions.is_valid(d, edition)
            }
            if changed:
                renumbered = True
                filed.difference_update(changed)
                filed.update(d[:8] for d in changed)
    uses = [(ref, use, frozenset(given)) for ref, use, given in entries.values()]
    counts: dict[str, int] = {}
    by_numbers: dict[frozenset[str], list[EntryRef]] = {}
    for ref, _, numbers in uses:
        for digits in numbers:
            counts[digits] = counts.get(digits, 0) + 1
        by_numbers.setdefault(numbers, []).append(ref)
    if len(counts) < 2:
        return
    used = ", ".join(
        f"{_dotted(d)} ({n} entr{'y' if n == 1 else 'ies'})" for d, n in sorted(counts.items())
    )
    limit = int(ctx.options["max_related"])
    # Entries with the same numbers share their list of conflicting entries: work it out once
    # per combination of numbers, not once per entry, so a large group stays linear.
    conflicts: dict[frozenset[str], tuple[list[str], int]] = {}
    for own in by_numbers:
        # Another entry conflicts when its numbers are not this entry's: a number this one
        # lacks, or one of this entry's numbers alone (an entry giving the description two
        # numbers on two lines conflicts with each entry that gives it one of them).
        groups = [group for numbers, group in by_numbers.items() if numbers != own]
        firsts = sorted((e for group in groups for e in group[:limit]), key=_ref_order)
        conflicts[own] = ([e.number for e in firsts[:limit]], sum(len(g) for g in groups))
    kinship = _kinship(counts)
    for ref, use, own in uses:
        related, total = conflicts[own]
        more = f"; {total - len(related)} more not listed" if total > len(related) else ""
        here = ", ".join(_dotted(d) for d in sorted(own))
        yield Hit(
            ref,
            line=use.line,
            field="hts_number",
            observed=here,
            expected="one number for one description, or a description that tells the goods apart",
            message=(
                f"description {use.filed!r} is classified under {len(counts)} numbers across "
                f"{len(uses)} entries: {used}; this entry uses {here}{more}; {kinship}"
                + (
                    " (a number a 2025 revision added or removed is counted as its 8-digit "
                    "subheading)"
                    if renumbered
                    else ""
                )
                + note
            ),
            related=related,
        )


RULES = (
    hts_not_10_digits,
    hts_not_in_schedule,
    hts_not_in_schedule_older_entry,
    hts_chapter_98,
    hts_chapter_99,
    hts_chapter_98_before_guidance,
    description_inconsistent_with_hts,
    inconsistent_classification,
)
