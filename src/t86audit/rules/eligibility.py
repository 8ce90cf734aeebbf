"""ELG: eligibility: the dated gates of the T86 test, origin, mode and excluded merchandise.

Every date comes from the policy table (``ctx.period(entry)``): whether ACE accepted Type 86
entries on the arrival date (``t86_available``) and whether goods of China or Hong Kong were
excluded (``china_hk_excluded``).

Excluded merchandise rests on two different kinds of authority, and the rules say which:

* 19 CFR 10.153(e) and (g), regulations: alcoholic beverages, perfume containing alcohol (in a
  shipment worth more than $5), cigars and cigarettes (ELG005-ELG007); goods of a class or kind
  covered by an absolute or tariff-rate quota (ELG011).
* CBP guidance only (the E-Commerce and T86 FAQs): other tobacco products and other goods taxed
  under the Internal Revenue Code (ELG008) and goods subject to antidumping or countervailing
  duties (ELG009, ELG010). 10.153 names none of them.

Quota goods (ELG011) are checked on every audit against the bundled quota list
(:func:`~t86audit.reference.quota_list`), which a user's
:class:`~t86audit.reference.QuotaTable` extends or replaces. The PGA flags of the user's HTS
numbers (:class:`~t86audit.reference.PgaFlagTable`) no public source provides: without them
(and without the rule option that lists flags inline) ELG012-ELG013 report ``not_applicable``,
never a pass.

Deliberate non-findings:

* Goods subject to Section 301, 201 or 232 duties stayed eligible for the whole T86 period: the
  January 2025 proposal to exclude them (90 FR 6852) was never finalised. No rule flags them;
  ELG014 adds an ``info`` note on lines that report a heading 9903 provision, saying why.
* The 19 U.S.C. 1321(c) penalty (in force from 3 Aug 2025) attaches to entries that violate
  another customs law. A rule cannot see other rules' findings, so no rule raises it; the
  policy table records the period (``penalty_1321c``) for reports to use.
* Goods needing an agency fee, and prohibited or restricted goods, cannot be told from the T86
  data elements; no rule pretends to.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from t86audit._citations import cites
from t86audit.findings import Hit
from t86audit.normalize import is_placeholder, origin_code
from t86audit.rules._base import (
    DURING_T86_TEST,
    PRESUMPTION_READS,
    Example,
    RuleContext,
    entered_late,
    presuming_t86,
)
from t86audit.rules._catalog import builtin_rule
from t86audit.rules._examples import flags, passes
from t86audit.rules._families import (
    exempt_described_goods_rule,
    exempt_goods_rule,
    goods_rule,
    port_rule,
    reading,
)
from t86audit.rules._hits import entry_hit, hts_hit
from t86audit.rules.description import says_too_little
from t86audit.vague import STOP_WORDS, word_stems


if TYPE_CHECKING:
    from t86audit.model import Entry, LineItem
    from t86audit.policy import PolicyPeriod, PolicyTable
    from t86audit.reference import AdcvdOrder, PgaFlagTable


# --------------------------------------------------------------------------------------------
# Shared helpers

_NON_DIGITS = re.compile(r"[^0-9]")
_LIST_SEPARATORS = re.compile(r"[,;|\s]+")
_CHINA_HK = frozenset({"CN", "HK"})
"""China and Hong Kong as :func:`~t86audit.normalize.origin_code` gives them."""


def _items(value: Any) -> tuple[str, ...]:
    """An option's list of strings, whether given as a sequence or as one separated string."""
    if type(value) is tuple:  # the defaults' form: the hot path, returned as it is
        return value
    if isinstance(value, str):
        return tuple(_LIST_SEPARATORS.split(value))
    return tuple(str(item) for item in value or ())


@functools.lru_cache(maxsize=128)
def _clean_prefixes(items: tuple[str, ...]) -> tuple[str, ...]:
    # Longest first, so the first prefix that matches is the most specific one.
    digits = {_NON_DIGITS.sub("", str(item)) for item in items} - {""}
    return tuple(sorted(digits, key=lambda p: (-len(p), p)))


def _prefixes(value: Any) -> tuple[str, ...]:
    """HTS prefixes (digits only, longest first) from an option value."""
    return _clean_prefixes(_items(value))


def _table(ctx: RuleContext, name: str) -> Any:
    """A reference table by name; ``None`` when the audit has no such table.

    ``ctx.reference`` itself is ``None`` when :func:`~t86audit.engine.run_rules` is called
    without reference data.
    """
    return getattr(ctx.reference, name, None)


def _first_prefix(digits: str, prefixes: Sequence[str]) -> str | None:
    return next((p for p in prefixes if digits.startswith(p)), None)


def _dotted(digits: str) -> str:
    """``"22071030"`` -> ``"2207.10.30"``: HTS digits in the schedule's dotted layout."""
    parts = [digits[:4]] + [digits[i : i + 2] for i in range(4, len(digits), 2)]
    return ".".join(p for p in parts if p)


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def _line_hits(
    entry: Entry, line: LineItem, prefixes: Sequence[str], what: str, expected: str
) -> Iterator[Hit]:
    digits = line.hts_digits
    # One C-level test for the common case, a line matching none of the prefixes.
    if not digits.startswith(tuple(prefixes)):
        return
    prefix = _first_prefix(digits, prefixes)
    if prefix is not None:
        yield hts_hit(
            entry,
            line,
            expected=expected,
            message=f"HTS {line.hts_number!r} ({_dotted(prefix)}) is {what}",
        )


def _goods(description: str, hts: str, origin: str = "FR", value: str = "24.00") -> dict[str, Any]:
    return {
        "lines": [
            {
                "description": description,
                "hts_number": hts,
                "country_of_origin": origin,
                "value_usd": value,
            }
        ]
    }


# --------------------------------------------------------------------------------------------
# ELG001 / ELG002: the T86 test's dates


@functools.lru_cache(maxsize=64)
def _t86_window(policy: PolicyTable, period: PolicyPeriod) -> tuple[str, PolicyPeriod | None]:
    """Where ``period`` stands relative to the T86 test: ``open``, ``before`` or ``after``.

    For ``before``, the period returned is the first later one in which T86 was available (or
    ``None`` if the table has none); for ``after``, the first period of the closed stretch the
    entry falls in, whose start is the day T86 ended.
    """
    if period.t86_available:
        return "open", None
    periods = policy.periods
    index = periods.index(period)
    if not any(p.t86_available for p in periods[:index]):
        later = next((p for p in periods[index + 1 :] if p.t86_available), None)
        return "before", later
    start = index
    while start > 0 and not periods[start - 1].t86_available:
        start -= 1
    return "after", periods[start]


def _type_not_given(entry: Entry) -> str:
    """The words ELG001 and ELG002 add when the entry's type was blank or unreadable.

    No T86 could be filed on such a date, so a record of it whose type is not given is more
    likely another entry type (type 11 or 01) than a T86: the finding is then a warning
    (``Hit.presumed``), and says so.
    """
    if entry.type_code:
        return ""
    return (
        "; the entry type was not given (FIL015), so this is a T86 only by presumption, and "
        "on this date the record is more likely a type 11 or 01 entry: confirm its type"
    )


@builtin_rule(
    "ELG001",
    reads=("entry.arrival_date", "entry.arrival_date_raw", "entry.entry_type"),
    citations=cites("fr84-40079-test-began"),
    examples=[
        flags("arrival on 15 Aug 2019", {"arrival_date": dt.date(2019, 8, 15)}),
        passes(
            "arrival on 28 Sep 2019, the first day of the test",
            {"arrival_date": dt.date(2019, 9, 28)},
        ),
    ],
)
def arrival_before_t86_test(entry: Entry, ctx: RuleContext) -> Iterator[Hit]:
    """Flag an entry that arrived before Type 86 was first available."""
    where, first_open = _t86_window(ctx.policy, ctx.period(entry))
    if where != "before":
        return
    arrival = entry.arrival_date.isoformat()
    if first_open is None:
        message = f"arrival {arrival}: the policy table has no period in which T86 was available"
        expected = "an arrival date on which T86 was available"
    else:
        start = first_open.start.isoformat()
        message = f"arrival {arrival} is before the Type 86 test began on {start}"
        expected = f"on or after {start}"
    yield Hit(
        entry,
        field="arrival_date",
        observed=entry.arrival_date_raw or arrival,
        expected=expected,
        message=message + _type_not_given(entry),
        presumed=not entry.type_code,
    )


_entered_late = entered_late
"""When a late T86 entered the goods (rules/_base.entered_late, shared with on_entry)."""


def _judged_day(day: dt.date, period: PolicyPeriod) -> dt.date:
    """A date in ``period`` for a finding's ``judged_on``.

    The filing day, or the day before it for a T86 sent in the minute before a 12:01 a.m.
    cut-over (the law before the cut-over applied).
    """
    if period.contains(day) or period.end is None:
        return day
    return period.end - dt.timedelta(days=1)


@builtin_rule(
    "ELG002",
    reads=(
        "entry.arrival_date",
        "entry.arrival_date_raw",
        "entry.filed_at",
        "entry.filed_at_raw",
        "entry.entry_type",
    ),
    citations=cites("eo-14324", "csms-66065494", "fr90-42418"),
    examples=[
        flags("arrival on 29 Aug 2025", {"arrival_date": dt.date(2025, 8, 29)}),
        passes(
            "arrival on 28 Aug 2025, the last day of the test",
            {"arrival_date": dt.date(2025, 8, 28)},
        ),
        flags(
            "arrival on 28 Aug 2025, T86 filed late on 29 Aug 2025 (14:00 UTC, 10:00 Eastern)",
            {
                "arrival_date": dt.date(2025, 8, 28),
                "filed_at": dt.datetime(2025, 8, 29, 14, 0, tzinfo=dt.UTC),
            },
        ),
        passes(
            "arrival on 28 Aug 2025, T86 filed late at 00:00:30 EDT on 29 Aug 2025, before the "
            "12:01 a.m. cut-over",
            {
                "arrival_date": dt.date(2025, 8, 28),
                "filed_at": dt.datetime(2025, 8, 29, 4, 0, 30, tzinfo=dt.UTC),
            },
        ),
    ],
)
def arrival_after_t86_ended(entry: Entry, ctx: RuleContext) -> Iterator[Hit]:
    """Flag an entry that arrived, or was filed late, after Type 86 was withdrawn."""
    where, ended = _t86_window(ctx.policy, ctx.period(entry))
    if where == "after" and ended is not None:
        end = ended.start.isoformat()
        yield Hit(
            entry,
            field="arrival_date",
            observed=entry.arrival_date_raw or entry.arrival_date.isoformat(),
            expected=f"before {end}",
            message=(
                f"arrival {entry.arrival_date.isoformat()} is on or after {end}, the day Type 86 "
                f"ended ({ended.title})" + _type_not_given(entry)
            ),
            presumed=not entry.type_code,
        )
        return
    late = _entered_late(entry, ctx.policy)
    if late is None:
        return
    filed, entered = late
    where, ended = _t86_window(ctx.policy, entered)
    if where != "after" or ended is None:
        return
    end = ended.start.isoformat()
    yield Hit(
        entry,
        field="filed_at",
        observed=entry.filed_at_raw or filed.isoformat(),
        expected=f"a T86 transmitted before {end}",
        message=(
            f"the goods arrived {entry.arrival_date.isoformat()}, but the T86 was transmitted "
            f"on {filed.isoformat()} (U.S. Eastern), on or after {end}, the day Type 86 ended "
            f"({ended.title}): the goods were entered then, when no T86 was accepted"
            + _type_not_given(entry)
        ),
        judged_on=filed,
        presumed=not entry.type_code,
    )


# --------------------------------------------------------------------------------------------
# ELG003: China and Hong Kong


@functools.lru_cache(maxsize=64)
def _gate_of(policy: PolicyTable, period: PolicyPeriod) -> PolicyPeriod:
    """The period that began the China/Hong Kong exclusion ``period`` is part of.

    Later periods of the same stretch begin for other reasons (a penalty in force, ACE's
    aggregation), and their titles would name those, not the gate that excluded the goods.
    """
    periods = policy.periods
    index = periods.index(period)
    while index > 0 and periods[index - 1].china_hk_excluded:
        index -= 1
    return periods[index]


def _china_hk_excluded(period: PolicyPeriod) -> bool:
    """Whether goods of China or Hong Kong were excluded from de minimis in ``period``.

    Only while T86 existed: after it ended ELG002 flags every entry.
    """
    return period.china_hk_excluded and period.t86_available


def _entered_in(
    entry: Entry, ctx: RuleContext
) -> tuple[tuple[dt.date, PolicyPeriod] | None, PolicyPeriod]:
    """The late T86's day and period (``None`` if not late), and the period that entered it."""
    late = _entered_late(entry, ctx.policy)
    return late, ctx.period(entry) if late is None else late[1]


def _china_gate_in_force(entry: Entry, ctx: RuleContext) -> bool:
    """ELG003's ``in_force``: China and Hong Kong goods were excluded when the entry was entered.

    The same test the check makes, on the same period (the arrival's, or a late T86's).
    """
    return _china_hk_excluded(_entered_in(entry, ctx)[1])


@builtin_rule(
    "ELG003",
    reads=("entry.arrival_date", "entry.filed_at", "entry.filed_at_raw", "line.country_of_origin"),
    scope="line",
    citations=cites("eo-14195", "csms-63992482", "csms-64082249", "eo-14256", "csms-64792502"),
    examples=[
        flags(
            "a line of CN origin arriving 2 May 2025",
            {
                "arrival_date": dt.date(2025, 5, 2),
                **_goods("ceramic mug", "6912.00.44.00", "CN"),
            },
        ),
        flags(
            "a line of HK origin arriving 5 Feb 2025",
            {
                "arrival_date": dt.date(2025, 2, 5),
                **_goods("ceramic mug", "6912.00.44.00", "HK"),
            },
        ),
        flags(
            "origin spelled out as 'China' arriving 2 Jun 2025",
            {
                "arrival_date": dt.date(2025, 6, 2),
                **_goods("ceramic mug", "6912.00.44.00", "China"),
            },
        ),
        passes(
            "origin 'Republic of China' (Taiwan) arriving 2 Jun 2025",
            {
                "arrival_date": dt.date(2025, 6, 2),
                **_goods("ceramic mug", "6912.00.44.00", "Republic of China"),
            },
        ),
        passes(
            "CN origin arriving 7 Feb 2025, when the first gate was paused",
            {
                "arrival_date": dt.date(2025, 2, 7),
                **_goods("ceramic mug", "6912.00.44.00", "CN"),
            },
        ),
        passes("VN origin arriving 2 May 2025", {"arrival_date": dt.date(2025, 5, 2)}),
        flags(
            "CN origin arriving 1 May 2025, T86 transmitted late on 2 May 2025 (10:00 Eastern)",
            {
                "arrival_date": dt.date(2025, 5, 1),
                "filed_at": dt.datetime(2025, 5, 2, 14, 0, tzinfo=dt.UTC),
                **_goods("ceramic mug", "6912.00.44.00", "CN"),
            },
        ),
        passes(
            "CN origin arriving 6 Feb 2025, T86 transmitted late on 7 Feb 2025, when de minimis "
            "had resumed",
            {
                "arrival_date": dt.date(2025, 2, 6),
                "filed_at": dt.datetime(2025, 2, 7, 14, 0, tzinfo=dt.UTC),
                **_goods("ceramic mug", "6912.00.44.00", "CN"),
            },
        ),
    ],
    in_force=_china_gate_in_force,
)
def china_hong_kong_origin_gated(entry: Entry, line: LineItem, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a China or Hong Kong line entered in a gated period (on arrival, or by a late T86)."""
    origin = line.country_of_origin.strip().upper()
    if origin_code(origin) not in _CHINA_HK:
        return
    late, period = _entered_in(entry, ctx)
    if _china_hk_excluded(period):
        arriving = f"arriving {entry.arrival_date.isoformat()}"
        if late is not None:
            arriving += (
                f", entered by a T86 transmitted late on {late[0].isoformat()} (U.S. Eastern)"
            )
        yield Hit(
            entry,
            field="country_of_origin",
            observed=line.country_of_origin,
            expected="an origin other than China or Hong Kong",
            line=line.line_number,
            message=(
                f"origin {origin} {arriving}, while goods of China and Hong Kong were excluded "
                f"from de minimis ({_gate_of(ctx.policy, period).title})"
            ),
            judged_on=None if late is None else _judged_day(*late),
        )


# --------------------------------------------------------------------------------------------
# ELG004: international mail


def _mode_key(mode: str) -> str:
    # "international-mail", "Mail (international)": punctuation separates words.
    return " ".join(re.sub(r"[^\w]+", " ", mode.lower()).split())


@functools.lru_cache(maxsize=32)
def _mode_keys(modes: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_mode_key(str(m)) for m in modes) - {""}


@functools.lru_cache(maxsize=1024)
def _is_mail(mode: str, keys: frozenset[str]) -> bool:
    """Whether a mode key is, or names as whole words, one of the mail modes' keys.

    Exports write the carrier with the mode ("Post NL", "China Post ePacket", "mail - air"): a
    mail mode's words anywhere in it, never inside a word ("email", "systems"), make it mail.
    """
    if mode in keys:
        return True
    padded = f" {mode} "
    return any(f" {key} " in padded for key in keys)


def _mode_items(value: Any) -> tuple[str, ...]:
    # Mode names may hold spaces ("international mail"), so a text option splits on commas,
    # semicolons and bars only.
    if isinstance(value, str):
        return tuple(re.split(r"[,;|]", value))
    return _items(value)


@port_rule(
    "ELG004",
    in_force=DURING_T86_TEST,
    options={
        "mail_modes": (
            "mail",
            "postal",
            "post",
            "international mail",
            "mail international",
            "intl mail",
            "postal mail",
            "air mail",
            "airmail",
            "postal service",
            "letter post",
            "parcel post",
            "usps",
            "ems",
            # ACE's mode of transportation code for mail, and what sellers' platforms write.
            "50",
            "registered mail",
            "mail ems",
            "ems mail",
            "postal ems",
            "express mail service",
            "epacket",
            "e packet",
            "china post",
            "vnpost",
            "vietnam post",
            "korea post",
            "japan post",
            "royal mail",
            "canada post",
        )
    },
    citations=cites("fr89-2630-mail", "cbp-t86-faq"),
    examples=[
        flags("mode 'mail'", {"mode": "mail"}),
        flags("mode 'Postal'", {"mode": "Postal"}),
        flags("mode 'international-mail'", {"mode": "international-mail"}),
        flags("mode 'USPS'", {"mode": "USPS"}),
        flags("mode 'Post NL' (a mail mode's word in the carrier's name)", {"mode": "Post NL"}),
        passes("mode 'air'", {"mode": "air"}),
        passes(
            "mode 'air express (email notice)': 'mail' only inside a word",
            {"mode": "air express (email notice)"},
        ),
    ],
)
def mail_mode(entry: Entry, ctx: RuleContext) -> Iterator[Hit]:
    """Flag an entry whose mode is international mail."""
    mode = _mode_key(entry.mode)
    if mode and _is_mail(mode, _mode_keys(_mode_items(ctx.options["mail_modes"]))):
        yield entry_hit(
            entry,
            "mode",
            expected="air, ocean, truck or rail",
            message=f"mode of transport {entry.mode!r} is international mail",
        )


# --------------------------------------------------------------------------------------------
# ELG005-ELG008: alcohol and tobacco

# 2207.10.60 (undenatured alcohol for non-beverage use) and 2207.20 (denatured) are not
# beverages, so heading 2207 counts only with its beverage subheading; nor are the bitters of
# 2208.90.05, "not fit for use as beverages" (the HTSUS's own words).
_ALCOHOL_DEFAULT = ("2203", "2204", "2205", "2206", "2207.10.30", "2208")
_NOT_A_BEVERAGE = ("220890050",)
"""Numbers under a default prefix that name no beverage: never flagged by ELG005."""


@exempt_goods_rule(
    "ELG005",
    options={"hts_prefixes": _ALCOHOL_DEFAULT},
    citations=cites("cfr19-10.153(e)"),
    examples=[
        flags("red wine, 2204.21.50.40", _goods("red wine, 750 ml bottle", "2204.21.50.40")),
        flags("malt beer, 2203.00.00.60", _goods("malt beer, 330 ml cans", "2203.00.00.60", "DE")),
        passes(
            "denatured ethyl alcohol, 2207.20.00.90 (not a beverage)",
            _goods("denatured ethyl alcohol", "2207.20.00.90"),
        ),
        passes(
            "bitters not fit for use as beverages, 2208.90.05.00",
            _goods("aromatic cocktail bitters, not fit for use as a beverage", "2208.90.05.00"),
        ),
        passes("a cotton t-shirt", {}),
    ],
)
def alcoholic_beverage(entry: Entry, line: LineItem, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a line classified as an alcoholic beverage."""
    if line.hts_digits.startswith(_NOT_A_BEVERAGE):
        return
    yield from presuming_t86(
        entry,
        ctx,
        _line_hits(
            entry,
            line,
            _prefixes(ctx.options["hts_prefixes"]),
            "an alcoholic beverage, excluded from de minimis",
            "goods other than alcoholic beverages",
        ),
    )


_PERFUME_WITH_ALCOHOL = "33030030"
_PERFUME_LIMIT = Decimal("5.00")


@builtin_rule(
    "ELG006",
    reads=("entry.total_value", "line.hts_number", *PRESUMPTION_READS),
    scope="line",
    citations=cites("cfr19-10.153(e)"),
    examples=[
        flags(
            "eau de parfum (3303.00.30.00) in a $45.00 shipment",
            _goods("eau de parfum, 50 ml", "3303.00.30.00", "FR", "45.00"),
        ),
        passes(
            "a $4.50 shipment of the same perfume",
            _goods("eau de parfum, 5 ml sample", "3303.00.30.00", "FR", "4.50"),
        ),
        passes(
            "perfume not containing alcohol (3303.00.20.00)",
            _goods("solid perfume balm", "3303.00.20.00", "FR", "45.00"),
        ),
    ],
)
def perfume_containing_alcohol(entry: Entry, line: LineItem, ctx: RuleContext) -> Iterator[Hit]:
    """Flag alcohol-based perfume in a shipment worth more than $5."""
    total = entry.total_value
    if line.hts_digits.startswith(_PERFUME_WITH_ALCOHOL) and total > _PERFUME_LIMIT:
        hit = hts_hit(
            entry,
            line,
            expected=f"a shipment worth at most {_money(_PERFUME_LIMIT)} USD",
            message=(
                f"HTS {line.hts_number!r} is perfume containing alcohol in a shipment worth "
                f"{_money(total)} USD, over {_money(_PERFUME_LIMIT)} USD"
            ),
        )
        yield from presuming_t86(entry, ctx, (hit,))


@exempt_goods_rule(
    "ELG007",
    citations=cites("cfr19-10.153(e)"),
    examples=[
        flags(
            "paper-wrapped cigarettes, 2402.20.80.00",
            _goods("paper-wrapped cigarettes", "2402.20.80.00", "NL"),
        ),
        flags(
            "cigars, 2402.10.80.80", _goods("hand-rolled cigars, box of 10", "2402.10.80.80", "DO")
        ),
        passes("a cotton t-shirt", {}),
    ],
)
def cigars_or_cigarettes(entry: Entry, line: LineItem, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a line classified in heading 2402."""
    yield from presuming_t86(
        entry,
        ctx,
        _line_hits(
            entry,
            line,
            ("2402",),
            "cigars or cigarettes, excluded from de minimis",
            "goods other than cigars or cigarettes",
        ),
    )


# Tobacco products and papers taxed under the Internal Revenue Code other than cigars and
# cigarettes: manufactured tobacco (pipe, roll-your-own, water-pipe, chewing, snuff), heated
# tobacco products, and cigarette paper and tubes.
_OTHER_TOBACCO_DEFAULT = ("2403", "2404.11", "4813")


@exempt_goods_rule(
    "ELG008",
    options={"hts_prefixes": _OTHER_TOBACCO_DEFAULT},
    citations=cites("cbp-ecommerce-exclusions", "cbp-t86-faq"),
    examples=[
        flags("pipe tobacco, 2403.19.20.20", _goods("pipe tobacco", "2403.19.20.20", "NL")),
        flags(
            "cigarette rolling papers, 4813.10.00.00",
            _goods("cigarette rolling papers", "4813.10.00.00", "ES", "6.00"),
        ),
        passes(
            "nicotine e-liquid without tobacco, 2404.12.10.00",
            _goods("nicotine e-liquid", "2404.12.10.00", "GB", "12.00"),
        ),
    ],
)
def other_tobacco(entry: Entry, line: LineItem, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a line classified as another taxed tobacco product or cigarette paper."""
    yield from presuming_t86(
        entry,
        ctx,
        _line_hits(
            entry,
            line,
            _prefixes(ctx.options["hts_prefixes"]),
            "a tobacco product or cigarette paper, excluded from Section 321 by CBP guidance",
            "goods other than tobacco products",
        ),
    )


# --------------------------------------------------------------------------------------------
# ELG009 / ELG010: antidumping and countervailing duty orders


@functools.lru_cache(maxsize=64)
def _case_set(items: tuple[str, ...]) -> frozenset[str]:
    return frozenset(str(i).strip().upper() for i in items if str(i).strip())


def _is_confirmed(order: AdcvdOrder, digits: str, ctx: RuleContext) -> bool:
    cases = _case_set(_items(ctx.options["confirmed_cases"]))
    return order.case_number.upper() in cases or order.is_confirmed(digits)


_SPECIFIC_LISTING = 8
"""Digits from which an order's listed HTS number is specific (an 8-digit subheading or a
10-digit statistical suffix): the line's number falling under it is a strong match. A listing
of 6 digits or fewer often names a basket ('3926.90 Other articles of plastics') in which the
order's goods are a small part."""

_ORDER_FILLER = frozenset(
    word_stems(
        "product products good goods certain part parts thereof component components "
        "subassembly subassemblies unit units article articles other type non"
    )
)
"""Words of an order's product title that name no goods ('Certain ... Products and Parts
Thereof')."""
_ORDER_QUALIFIER = STOP_WORDS | frozenset(
    word_stems("whether without between suitable using into up than having")
)
"""Words after which a title qualifies its goods rather than names them, up to the next comma
('Coated Paper Suitable For ... Presses', 'Narrow Woven Ribbons With Woven Selvedge')."""
_MEASURE = re.compile(r"^\d[\d.,]*[a-z]{0,2}$", re.IGNORECASE)
"""A number or a measure in a title ('12', '16.5', '225CC'): what follows qualifies the goods.
A chemical's locants ('2,4-Dichlorophenoxyacetic') are part of its name."""


def _root(stem: str) -> str:
    """A :func:`word_stems` stem with a plural's 'e' cut ('mattresse', 'boxe', 'glasse').

    Applied to titles and descriptions alike, so 'Mattresses' and 'mattress' meet.
    """
    if stem.endswith(("sse", "xe", "she", "che", "zze")):
        return stem[:-1]
    return stem


_MATERIALS = frozenset(
    word_stems(
        "steel stainless carbon alloy iron aluminum aluminium metal plastic copper brass bronze "
        "zinc nickel titanium tungsten magnesium wood wooden paper polyester nylon polyethylene "
        "polypropylene rubber ceramic concrete"
    )
)
"""Materials: a title's material names its goods only when it is the last word of a phrase
('Uncoated Paper', 'Corrosion-Resistant Steel Products'), not when it qualifies another word
('Steel Wheels', 'Aluminum Wire and Cable', 'Paper Clips'): 'stainless steel phone stand' does
not name steel wheels."""


@functools.lru_cache(maxsize=1024)
def order_goods_words(product: str) -> frozenset[str]:
    """The words of an AD/CVD order's product title that name its goods, as :func:`word_stems`.

    A title is read phrase by phrase (split at commas, 'and', 'or'); words after a qualifying
    word ('with', 'for', 'suitable', a number) are dropped up to the next comma, as are
    :data:`_ORDER_FILLER` words and words of fewer than three letters. A material
    (:data:`_MATERIALS`) counts only as the last word of its phrase, and not in a phrase of
    materials alone that qualifies the next ('Carbon and Alloy Steel Plate').

    >>> sorted(order_goods_words("Plastic Decorative Ribbon"))
    ['decorative', 'ribbon']
    >>> sorted(order_goods_words("Certain Steel Wheels 12 to 16.5 Inches in Diameter"))
    ['wheel']
    >>> sorted(order_goods_words("Float Glass Products"))
    ['float', 'glass']
    >>> sorted(order_goods_words("Alloy and Certain Carbon Steel Threaded Rod"))
    ['rod', 'threaded']
    """
    phrases: list[tuple[list[str], str]] = []  # a phrase's words and what ends it
    for segment in product.split(","):
        words: list[str] = []
        for token in segment.split():
            stems = tuple(_root(w) for w in word_stems(token))
            if stems in (("and",), ("or",)):
                phrases.append((words, "join"))
                words = []
                continue
            if _MEASURE.match(token) or (len(stems) == 1 and stems[0] in _ORDER_QUALIFIER):
                break  # the rest of the segment qualifies the goods ('12 to 16.5 Inches')
            words.extend(w for w in stems if len(w) > 2 and w not in _ORDER_FILLER)
        phrases.append((words, "end"))
    found: set[str] = set()
    for words, ending in phrases:
        if ending == "join" and words and all(w in _MATERIALS for w in words):
            continue  # 'Carbon and Alloy Steel ...': materials qualifying the next phrase
        last = len(words) - 1
        found.update(w for i, w in enumerate(words) if i == last or w not in _MATERIALS)
    return frozenset(found)


def _adcvd_weak_reason(
    orders: Sequence[AdcvdOrder], digits: str, description: str, ctx: RuleContext
) -> tuple[list[AdcvdOrder], dict[str, str]]:
    """The orders ELG009 warns of, and for each matched only broadly, why it still does.

    A match is strong when a listed number of 8 or more digits covers the line's number; a
    broad one (6 digits or fewer) is kept when the description names the order's goods
    (:func:`order_goods_words`) or says too little to tell the goods apart
    (:func:`~t86audit.rules.description.says_too_little`), and dropped when the description is
    specific and names none of them.
    """
    kept: list[AdcvdOrder] = []
    why: dict[str, str] = {}
    stems: frozenset[str] | None = None
    vague: bool | None = None
    for order in orders:
        if len(order.matching_prefix(digits) or "") >= _SPECIFIC_LISTING:
            kept.append(order)
            continue
        if stems is None:
            stems = frozenset(_root(w) for w in word_stems(description))
        named = sorted(order_goods_words(order.product) & stems)
        if named:
            kept.append(order)
            why[order.case_number] = "the description names " + ", ".join(map(repr, named))
            continue
        if vague is None:
            vague = says_too_little(description, ctx)
        if vague:
            kept.append(order)
            why[order.case_number] = "the description does not say what the goods are"
    return kept, why


_NO_ORDER_DATES = (
    "the order table gives no order dates: check that the order was in force on the arrival date"
)
"""Said on every AD/CVD finding: neither table carries the dates an order was issued or revoked,
so a match on an entry that arrived before the order (an audit of past years) is possible, and
the finding must not read as if the order's date had been checked."""


def _adcvd(entry: Entry, line: LineItem, ctx: RuleContext, *, confirmed: bool) -> Iterator[Hit]:
    digits = line.hts_digits
    origin = origin_code(line.country_of_origin)
    orders = [
        o
        for o in ctx.reference.adcvd.matches(digits, origin)
        if _is_confirmed(o, digits, ctx) == confirmed
    ]
    why: dict[str, str] = {}
    if orders and not confirmed:
        # ELG009 only: a confirmed match (ELG010) is the user's own scope decision.
        orders, why = _adcvd_weak_reason(orders, digits, line.description, ctx)
    if not orders:
        return
    named = "; ".join(
        f"{o.case_number} ({o.product}, {o.order_type}, lists "
        f"{_dotted(o.matching_prefix(digits) or '')}"
        + (f" only: {why[o.case_number]}" if o.case_number in why else "")
        + ")"
        for o in orders
    )
    cases = ", ".join(o.case_number for o in orders)
    if confirmed:
        message = (
            f"HTS {line.hts_number!r} of {origin.upper()} is within the scope of {named}"
            f"; {_NO_ORDER_DATES}"
        )
        expected = "goods outside AD/CVD orders"
    else:
        message = (
            f"HTS {line.hts_number!r} of {origin.upper()} falls under an HTS number named in "
            f"{named}; the written scope decides, and {_NO_ORDER_DATES}"
        )
        expected = f"goods outside the scope of {cases}"
    yield hts_hit(entry, line, expected=expected, message=message)


def _no_adcvd_table(ctx: RuleContext) -> str | None:
    if _table(ctx, "adcvd") is None:
        return "no AD/CVD order table available (no reference data was given)"
    return None


def _pencils(origin: str) -> dict[str, Any]:
    return _goods("wooden cased graphite pencils", "9609.10.00.00", origin, "6.00")


_PENCILS_CONFIRMED = {"confirmed_cases": ["A-570-827"]}
"""The option that confirms the pencils order (A-570-827) in scope, as ELG010 needs."""


@exempt_described_goods_rule(
    "ELG009",
    options={"confirmed_cases": ()},
    shares_options=("ELG010",),
    applies=_no_adcvd_table,
    citations=cites("cbp-ecommerce-exclusions", "cbp-t86-faq", "fr89-2630", "ita-adcvd"),
    examples=[
        flags(
            "cased pencils of China, 9609.10.00.00 (order A-570-827 lists 9609.10.00)",
            _pencils("CN"),
        ),
        flags(
            "the origin spelled out, 'People's Republic of China' (read as CN)",
            _pencils("People's Republic of China"),
        ),
        passes("the same pencils of Vietnamese origin", _pencils("VN")),
        flags(
            "'plastic twist ties 500 pcs' of China, 3926.90.99.89 (A-570-131 lists only 3926.90; "
            "the description names its goods)",
            _goods("plastic twist ties 500 pcs", "3926.90.99.89", "CN"),
        ),
        flags(
            "'Accessories' of China, 3926.90.99.89 (a vague description: nothing sets the goods "
            "apart from the orders listing 3926.90)",
            _goods("Accessories", "3926.90.99.89", "CN"),
        ),
        passes(
            "'silicone phone case for iPhone 15' of China, 3926.90.99.89 (the orders list only "
            "3926.90, and the description names other goods)",
            _goods("silicone phone case for iPhone 15", "3926.90.99.89", "CN"),
        ),
        passes(
            "pencils of China with A-570-827 confirmed (ELG010's case)",
            _pencils("CN"),
            options=_PENCILS_CONFIRMED,
        ),
    ],
)
def adcvd_hts_match(entry: Entry, line: LineItem, ctx: RuleContext) -> Iterator[Hit]:
    """Warn about a line matching an AD/CVD order's HTS list, unconfirmed."""
    yield from presuming_t86(entry, ctx, _adcvd(entry, line, ctx, confirmed=False))


def _no_confirmed_matches(ctx: RuleContext) -> str | None:
    reason = _no_adcvd_table(ctx)
    if reason:
        return reason
    if _items(ctx.options["confirmed_cases"]):
        return None
    if any(o.confirmed_prefixes for o in ctx.reference.adcvd.orders):
        return None
    return (
        "the AD/CVD table marks no match confirmed in scope: supply a table with a 'confirmed' "
        "column (--adcvd FILE) or set the confirmed_cases option"
    )


@exempt_goods_rule(
    "ELG010",
    options={"confirmed_cases": ()},
    shares_options=("ELG009",),
    applies=_no_confirmed_matches,
    citations=cites("cbp-ecommerce-exclusions", "cbp-t86-faq", "fr89-2630"),
    examples=[
        flags(
            "pencils of China, A-570-827 confirmed in scope",
            _pencils("CN"),
            options=_PENCILS_CONFIRMED,
        ),
        passes(
            "pencils of Vietnam, A-570-827 confirmed in scope",
            _pencils("VN"),
            options=_PENCILS_CONFIRMED,
        ),
    ],
)
def adcvd_in_scope(entry: Entry, line: LineItem, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a line within an AD/CVD order's scope, confirmed by the table or the option."""
    yield from presuming_t86(entry, ctx, _adcvd(entry, line, ctx, confirmed=True))


# --------------------------------------------------------------------------------------------
# ELG011: quota goods


def _no_quota_table(ctx: RuleContext) -> str | None:
    # A ReferenceSet always has the bundled list; only a reference object of the caller's own
    # without quota lists (and no inline list) leaves the rule nothing to check against.
    if _table(ctx, "quota") is not None or _items(ctx.options["quota_hts"]):
        return None
    return "the reference data has no quota list (use a ReferenceSet, or pass --quota FILE)"


def _quota_list_label(snapshot: Any) -> str:
    """``the bundled quota list (USITC HTSUS 2025 Revision 18 JSON, dated 2025-08-07)``."""
    if snapshot is None:
        return "the quota table"
    if snapshot.name == "quota_goods":
        source = snapshot.source.split(",", 1)[0]
        return f"the bundled quota list ({source}, dated {snapshot.date})"
    label = f"the {snapshot.source}" if snapshot.source else "the user's quota table"
    return f"{label} dated {snapshot.date}" if snapshot.date else label


def _quota_named(digits: str, origin: str, ctx: RuleContext) -> list[str]:
    """What each quota list says about the number: its quotas, the list's source and date."""
    lists = _table(ctx, "quota")
    named: list[str] = []
    for table in getattr(lists, "tables", (lists,) if lists is not None else ()):
        goods = table.matches(digits, origin)
        if not goods:
            continue
        quotas = "; ".join(dict.fromkeys(g.describe() for g in goods))
        confidence = sorted({c for g in goods if (c := getattr(g, "confidence", ""))})
        tag = f", confidence {'/'.join(confidence)}" if confidence else ""
        named.append(f"{quotas} [{_quota_list_label(getattr(table, 'snapshot', None))}{tag}]")
    return named


CHAPTER99_QUOTA_FILE = "chapter99_quota_lines.csv"
"""The bundled chapter 99 quota lines (``scripts/build_reference_data.py`` reads them from the
HTSUS 2025-05-26 snapshot's text; see ``data/README.md``)."""

_QUOTA_ROLES = {
    "in_quota": "the in-quota line",
    "over_quota": "the over-quota line",
    "quota": "a line of the quota",
    "counted_relief": "relief whose goods count toward the quota",
}


@functools.cache
def chapter99_quota_lines() -> dict[str, tuple[str, str, frozenset[str], str]]:
    """The bundled chapter 99 quota lines: 8 digits -> (quota, U.S. note, countries, role).

    A Section 201 tariff-rate quota, a Section 232 country quota, the upland cotton and sugar
    quotas: goods entered under one of these numbers were goods of a class or kind covered by
    a quota, whatever the line's own chapter 1-97 number.
    """
    from t86audit.reference._data import package_bytes  # noqa: PLC0415

    text = package_bytes("data", CHAPTER99_QUOTA_FILE).decode("utf-8")
    lines: dict[str, tuple[str, str, frozenset[str], str]] = {}
    for row in csv.DictReader(io.StringIO(text, newline="")):
        countries = frozenset(c for c in row["countries"].split(";") if c)
        lines[_NON_DIGITS.sub("", row["hts"])] = (
            row["quota"],
            row["note"],
            countries,
            row["line_kind"],
        )
    return lines


def _chapter99_quota(digits: str, origin: str) -> str | None:
    """What the bundled chapter 99 quota lines say of a number filed with goods of ``origin``."""
    found = chapter99_quota_lines().get(digits[:8]) if len(digits) >= 8 else None
    if found is None:
        return None
    quota, note, countries, role = found
    if countries and origin not in countries:
        return None  # a country's quota: goods of another origin are not under it
    where = f"HTSUS chapter 99 {note}" if note else "HTSUS chapter 99"
    return (
        f"HTS {_dotted(digits[:8])} is {_QUOTA_ROLES.get(role, 'a line of the quota')} of "
        f"{quota!r} ({where}) [the bundled chapter 99 quota lines, read from the HTSUS "
        "2025-05-26 snapshot]"
    )


def _solar_cells(
    added: str, origin: str, *, hts: str = "8541.42.00.10", goods: str = "photovoltaic cells"
) -> dict[str, Any]:
    """An entry of one line filed under ``hts`` with the chapter 99 number ``added`` beside it."""
    line = {**_goods(goods, hts, origin, "300.00")["lines"][0], "additional_hts": added}
    return {"lines": [line]}


def _quota_goods(hts: str, description: str, origin: str = "BR") -> dict[str, Any]:
    return _goods(description, hts, origin, "6.00")


@exempt_goods_rule(
    "ELG011",
    options={"quota_hts": ()},
    applies=_no_quota_table,
    citations=cites("cfr19-10.153(g)", "cbp-t86-faq"),
    examples=[
        flags(
            "raw cane sugar 1701.14.10.20 (sugar TRQ, additional U.S. note 5 to chapter 17)",
            _quota_goods("1701.14.10.20", "raw cane sugar, certified organic, 1 kg"),
        ),
        flags(
            "butter 0405.10.20.00 (over-quota line of the butter TRQ, additional U.S. note 6 "
            "to chapter 4)",
            _quota_goods("0405.10.20.00", "salted butter, 500 g", "NZ"),
        ),
        passes("a cotton t-shirt 6109.10.00.40: no quota", {}),
        passes(
            "flavoured sugar 1701.91.80.00, a non-quota line of a quota heading",
            _quota_goods("1701.91.80.00", "vanilla flavoured sugar, 250 g"),
        ),
        flags(
            "a cotton t-shirt with 6109 added as quota goods by the option",
            {},
            options={"quota_hts": ["6109"]},
        ),
        flags(
            "solar cells filed with 9903.45.21 beside their own number (the in-quota line of "
            "the Section 201 TRQ, a bundled chapter 99 quota line)",
            _solar_cells("9903.45.21", "MY"),
        ),
        passes(
            "Chinese steel sheet with 9903.80.05, a line of the Argentina, Brazil and South "
            "Korea quotas only",
            _solar_cells("9903.80.05", "CN", hts="7208.39.00.30", goods="hot-rolled steel sheet"),
        ),
    ],
)
def quota_merchandise(entry: Entry, line: LineItem, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a line covered by a quota in the bundled list, the user's table or the option.

    The line's own number is looked up, and so is each additional number filed beside it: a
    quota administered under a Chapter 99 number (a Section 201 tariff-rate quota, a Section
    232 quantitative limit) is reported there, in ``additional_hts``.
    """
    origin = origin_code(line.country_of_origin)
    prefixes = _prefixes(ctx.options["quota_hts"])
    named: list[str] = []
    beside: list[str] = []
    for number in (line.hts_number, *line.additional_hts):
        digits = line.hts_digits if number is line.hts_number else _NON_DIGITS.sub("", number)
        if not digits:
            continue
        found = _quota_named(digits, origin, ctx)
        line_of = _chapter99_quota(digits, origin)
        if line_of is not None:
            found.append(line_of)
        prefix = _first_prefix(digits, prefixes)
        if prefix is not None:
            found.append(f"quota goods under HTS {prefix} (quota_hts option)")
        if found and number is not line.hts_number:
            beside.append(number)
        named.extend(found)
    if named:
        also = f" (filed with {', '.join(repr(n) for n in beside)})" if beside else ""
        hit = hts_hit(
            entry,
            line,
            expected="goods not of a class or kind covered by a quota",
            message=(
                f"HTS {line.hts_number!r}{also} is goods of a class or kind covered by a quota "
                f"(19 CFR 10.153(g), open or closed): {'; '.join(dict.fromkeys(named))}"
            ),
        )
        yield from presuming_t86(entry, ctx, (hit,))


# --------------------------------------------------------------------------------------------
# ELG012 / ELG013: PGA flags

_NO_PGA_DATA = frozenset(
    {
        "NO",
        "NOTDECLARED",
        "UNDECLARED",
        "NONEDECLARED",
        "MISSING",
        "NODATA",
        "NOPGADATA",
        "BLANK",
        # A yes/no column ("N", "false") and "no PGA" say the same: the entry sent nothing.
        "N",
        "FALSE",
        "NOPGA",
    }
)
"""What an export writes in the PGA data column when the entry has none ("not declared")."""


def pga_data_sent(pga_data: str) -> bool:
    """Whether the entry's PGA data column says data was declared or disclaimed.

    Any value but a blank or a "none" ("N", "no PGA", "N/A", "not declared"): "declared",
    "disclaimed", "Y", "FDA declared". ELG012 and CON009 read the column alike.
    """
    return bool(pga_data.strip()) and not is_placeholder(pga_data, _NO_PGA_DATA)


_DISCLAIMED = re.compile(r"(?<![a-z])(?<!not )(?<!no )(?<!non-)(?<!non )disclaim", re.IGNORECASE)
"""A PGA data value that reports a disclaimer: 'disclaimed', but also 'PGA disclaimed' or 'FDA
disclaim (B)' as exports write it; 'not disclaimed' is no disclaimer."""


def _disclaimed(pga_data: str) -> bool:
    text = pga_data.strip()
    # The contract's own value first: the usual case costs one comparison.
    return text.lower() == "disclaimed" or (bool(text) and _DISCLAIMED.search(text) is not None)


# FD0 means "FDA has no interest": a flag that asks for nothing.
_NO_INTEREST_FLAGS = frozenset({"FD0"})


@functools.lru_cache(maxsize=32)
def _option_table(items: tuple[tuple[str, tuple[str, ...]], ...]) -> PgaFlagTable:
    from t86audit.reference import PgaFlagTable, PgaHtsFlags  # noqa: PLC0415

    return PgaFlagTable(
        PgaHtsFlags(_NON_DIGITS.sub("", hts), tuple(f.strip().upper() for f in flags if f.strip()))
        for hts, flags in items
        if _NON_DIGITS.sub("", hts)
    )


def _line_flags(line: LineItem, ctx: RuleContext) -> tuple[str, ...]:
    """The PGA flags of the line's HTS number: the option's, else the user's table's."""
    option: Mapping[str, Any] = ctx.options["hts_flags"] or {}
    digits = line.hts_digits
    if option:
        inline = _option_table(tuple(sorted((str(k), _items(v)) for k, v in option.items())))
        if inline.lists(digits):
            return inline.flags(digits)
    table = _table(ctx, "pga_flags")
    return () if table is None else tuple(table.flags(digits))


_pga_rule = reading(("entry.pga_data", "line.hts_number"), "line")
"""A line rule on the PGA flags of the line's HTS number and the entry's PGA data (ELG012,
ELG013)."""


def _no_pga_table(ctx: RuleContext) -> str | None:
    if _table(ctx, "pga_flags") is not None or ctx.options["hts_flags"]:
        return None
    return (
        "no PGA flag table supplied: pass --pga-flags FILE (no public table gives the PGA "
        "flags of HTS numbers)"
    )


@functools.cache
def _required_flags() -> frozenset[str]:
    from t86audit.reference import pga_flag_codes  # noqa: PLC0415

    return frozenset(code for code, flag in pga_flag_codes().items() if flag.required)


def _cookies(pga_data: str) -> dict[str, Any]:
    return {
        "pga_data": pga_data,
        "importer_of_record": "36-441721000",
        **_goods("butter cookies, 400 g tin", "1905.90.90.90", "DK", "12.00"),
    }


_COOKIE_FLAGS = {"1905.90.90.90": ["FD4", "AQ1", "AM7"]}


def _cookie_case(kind: Callable[..., Example], title: str, pga_data: str | None) -> Example:
    """An example of the butter cookies (FD4, AQ1, AM7) with ``pga_data`` as filed.

    ``kind`` is :func:`flags` or :func:`passes`; ``pga_data=None`` is an unflagged t-shirt.
    """
    spec = {} if pga_data is None else _cookies(pga_data)
    return kind(title, spec, options={"hts_flags": _COOKIE_FLAGS})


@_pga_rule(
    "ELG012",
    in_force=DURING_T86_TEST,
    options={"hts_flags": {}},
    applies=_no_pga_table,
    citations=cites("cbp-t86-faq-pga", "cbp-pga-guide", "fr89-2630"),
    examples=[
        _cookie_case(flags, "butter cookies (1905.90.90.90: FD4, AQ1, AM7) with no PGA data", ""),
        _cookie_case(
            flags, "the same cookies with 'N/A' for PGA data (a placeholder, not data)", "N/A"
        ),
        _cookie_case(
            flags, "the same cookies with 'N' from a yes/no PGA column (no data sent)", "N"
        ),
        _cookie_case(passes, "the same cookies with FDA prior-notice data declared", "declared"),
        _cookie_case(passes, "an unflagged cotton t-shirt with no PGA data", None),
    ],
)
def pga_data_missing(entry: Entry, line: LineItem, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a PGA-flagged line on an entry that declares and disclaims nothing."""
    if pga_data_sent(entry.pga_data):
        return
    flags = [f for f in _line_flags(line, ctx) if f not in _NO_INTEREST_FLAGS]
    if flags:
        yield entry_hit(
            entry,
            "pga_data",
            expected="PGA data declared or disclaimed",
            line=line,
            message=(
                f"HTS {line.hts_number!r} carries PGA flag(s) {', '.join(flags)} but the entry "
                "declares no PGA data and no disclaimer"
            ),
        )


@_pga_rule(
    "ELG013",
    in_force=DURING_T86_TEST,
    options={"hts_flags": {}},
    applies=_no_pga_table,
    citations=cites("cbp-pga-guide", "csms-03-002540"),
    examples=[
        _cookie_case(flags, "butter cookies (FD4) with PGA data disclaimed", "disclaimed"),
        _cookie_case(
            flags, "the same cookies with 'PGA disclaimed' written in the column", "PGA disclaimed"
        ),
        _cookie_case(
            passes, "the same cookies with 'declared, not disclaimed'", "declared, not disclaimed"
        ),
        passes(
            "food storage containers (3924.10.40.00: FD1, may be required) disclaimed",
            {
                "pga_data": "disclaimed",
                "importer_of_record": "36-441721000",
                **_goods("plastic food storage containers", "3924.10.40.00", "VN", "9.00"),
            },
            options={"hts_flags": {"3924.10.40.00": ["FD1"]}},
        ),
    ],
)
def pga_required_flag_disclaimed(entry: Entry, line: LineItem, ctx: RuleContext) -> Iterator[Hit]:
    """Warn about a disclaimer on an entry with an R-flagged line."""
    if not _disclaimed(entry.pga_data):
        return
    required = [f for f in _line_flags(line, ctx) if f in _required_flags()]
    if required:
        yield entry_hit(
            entry,
            "pga_data",
            expected=f"PGA data declared for {', '.join(required)}",
            line=line,
            message=(
                f"HTS {line.hts_number!r} carries PGA flag(s) {', '.join(required)} that "
                "require agency data, but the entry's PGA data is disclaimed"
            ),
        )


# --------------------------------------------------------------------------------------------
# ELG014: a Section 301/201/232 duty did not by itself bar T86

# The heading 9903 subheadings whose trade action is known, by their first six digits. IEEPA
# duties (9903.01, 9903.02) are not here: they are not Section 301/201/232 duties, and the
# 90 FR 6852 proposal this note answers did not concern them.
TRADE_ACTION_HEADINGS: dict[str, str] = {
    "990388": "Section 301 (China, lists 1-4A; heading 9903.88)",
    "990391": "Section 301 (China, 2024 four-year review; heading 9903.91)",
    "990389": "Section 301 (large civil aircraft dispute; heading 9903.89)",
    "990380": "Section 232 (steel; heading 9903.80)",
    "990381": "Section 232 (steel derivatives; heading 9903.81)",
    "990385": "Section 232 (aluminum; heading 9903.85)",
    "990345": "Section 201 (safeguards: solar cells, washers; heading 9903.45)",
}


def _trade_actions(line: LineItem) -> list[tuple[str, str]]:
    """The line's numbers that carry a known Section 301/201/232 duty, with the action."""
    found = []
    for number in line.hts_numbers:
        digits = "".join(ch for ch in number if ch.isdigit())
        if digits[:8] in chapter99_quota_lines():
            # A quota line is not "a duty that did not bar Type 86": ELG011 judges it.
            continue
        action = TRADE_ACTION_HEADINGS.get(digits[:6])
        if action is not None:
            found.append((number, action))
    return found


@goods_rule(
    "ELG014",
    in_force=DURING_T86_TEST,
    citations=cites("cbp-t86-faq", "fr90-6852", "rin-1685-aa02"),
    examples=[
        flags(
            "a line filed under 9903.88.03.00",
            _goods("bamboo serving tray", "9903.88.03.00", "CN", "9.69"),
        ),
        flags(
            "a steel line with 9903.80.01 beside its Chapter 73 number",
            {
                "lines": [
                    {
                        "description": "stainless steel water bottle",
                        "hts_number": "7323.93.00.80",
                        "country_of_origin": "VN",
                        "value_usd": "12.00",
                        "additional_hts": "9903.80.01",
                    }
                ]
            },
        ),
        passes(
            "an IEEPA number (9903.01.24) beside the Chapter 1-97 number: no note",
            {
                "lines": [
                    {
                        "description": "cotton knit t-shirt",
                        "hts_number": "6109.10.00.40",
                        "country_of_origin": "VN",
                        "value_usd": "14.99",
                        "additional_hts": "9903.01.24",
                    }
                ]
            },
        ),
        passes("a cotton t-shirt", {}),
    ],
)
def section_301_201_232_not_a_bar(entry: Entry, line: LineItem, ctx: RuleContext) -> Iterator[Hit]:
    """Note that a Section 301/201/232 duty does not by itself make the goods ineligible."""
    found = _trade_actions(line)
    if not found:
        return
    numbers = ", ".join(number for number, _ in found)
    actions = "; ".join(dict.fromkeys(action for _, action in found))
    yield Hit(
        entry,
        field="hts_number" if found[0][0] == line.hts_number else "additional_hts",
        observed=numbers,
        expected="no eligibility finding on account of this duty",
        line=line.line_number,
        message=(
            f"HTS {numbers} carries a {actions} duty; being subject to it did not by itself "
            "bar Type 86 (the 2025 proposal to exclude such goods, 90 FR 6852, was never "
            "finalised). The line's other conditions are judged by the other rules."
        ),
    )


RULES = (
    arrival_before_t86_test,
    arrival_after_t86_ended,
    china_hong_kong_origin_gated,
    mail_mode,
    alcoholic_beverage,
    perfume_containing_alcohol,
    cigars_or_cigarettes,
    other_tobacco,
    adcvd_hts_match,
    adcvd_in_scope,
    quota_merchandise,
    pga_data_missing,
    pga_required_flag_disclaimed,
    section_301_201_232_not_a_bar,
)
