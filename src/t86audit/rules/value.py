"""VAL: value rules: the threshold, one person on one day, split shipments, implausible values."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Hashable, Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Unpack, cast

from t86audit._citations import CFR_10_151, USC_1321, cites
from t86audit.findings import EntryLike, Hit
from t86audit.model import Entry, LineItem, us_eastern
from t86audit.normalize import consignee_key, name_key, place_key
from t86audit.policy import PolicyPeriod
from t86audit.rules._base import (
    DURING_T86_TEST,
    Rule,
    RuleCode,
    RuleContext,
    presumed,
    presumed_not_t86,
    presuming_t86,
)
from t86audit.rules._catalog import builtin_group_rule, builtin_rule
from t86audit.rules._examples import flags, num, passes
from t86audit.rules._families import reading
from t86audit.rules._hits import line_hit
from t86audit.rules._kept import (
    Kept,
    by_place,
    cents,
    gather,
    kept_in,
    kept_of,
    left_out,
    one_per_entry,
    unsettled,
)

# The tests CON001 and CON005 apply: one definition of a party value that names nobody.
from t86audit.rules.consignee import _names_nothing, _placeholder_reason


if TYPE_CHECKING:
    from t86audit.rules._base import Finish, Keys, NeedsTwo


def _money(value: Decimal) -> str:
    """An amount to the cent, or with every decimal it has beyond the cent.

    A total of 800.004 USD is over the threshold and must not read "800.00" in the finding
    that says so: the evidence quotes the amount judged, not a rounding of it.
    """
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        # Read from the text, not by rounding: a value of hundreds of digits (which the loader
        # accepts) is beyond the arithmetic context's precision.
        text = f"{value:,f}".rstrip("0")
        if len(text.partition(".")[2]) > 2:
            return text
    return f"{value:,.2f}"


def _threshold_words(
    threshold: Decimal, period: PolicyPeriod, noun: str = "de minimis threshold"
) -> str:
    """How a message names the threshold an amount went over, in the period that judges it.

    After the exemption ended (29 Aug 2025) the statute's figure is still the one exceeded,
    but it no longer made a shipment eligible: the message says so rather than call it the
    threshold in force (ELG002 flags the entry as not eligible at any value).
    """
    ended = period.exemption_ended
    if ended is None:
        return f"the {_money(threshold)} USD {noun}"
    return (
        f"{_money(threshold)} USD, the statute's de minimis figure, which no longer made a "
        f"shipment eligible ({ended})"
    )


def _amount_as_filed(line: LineItem) -> str:
    """A line's value for a message, with the digits it was filed with: never rounded.

    ``"0.001"`` is shown as ``0.001`` (not ``0.00``), ``"$0.50"`` as ``0.50``; the finding's
    ``observed`` keeps the text as filed, currency marks included. A line built without that
    text (``value_raw`` blank) has only the amount read, which keeps the same digits.
    """
    return str(line.value_usd)


def _amount_hit(
    entry: EntryLike,
    amount: Decimal,
    *,
    expected: str,
    message: str,
    related: Iterable[EntryLike | str] = (),
) -> Hit:
    """A finding on an entry's value, showing the amount judged (a total, to the cent)."""
    return Hit(
        entry,
        field="value_usd",
        observed=_money(amount),
        expected=expected,
        message=message,
        related=related,
    )


def _shipment_hit(
    shipment: Kept,
    amount: Decimal,
    *,
    expected: str,
    message: str,
    related: Iterable[EntryLike | str] = (),
) -> Hit:
    """:func:`_amount_hit` of a value group rule on ``shipment``'s entry, presumed if kept so.

    The one-person-one-day limit and the splits and clusters under it concern de minimis
    claims: on a record whose type is blank and whose dates rule out a T86
    (:attr:`Kept.presumed <t86audit.rules._kept.Kept.presumed>`), the finding is presumed.
    """
    hit = _amount_hit(shipment.ref, amount, expected=expected, message=message, related=related)
    return presumed(hit) if shipment.presumed else hit


def _value_hit(entry: Entry, line: LineItem, *, expected: str, message: str) -> Hit:
    """A finding on a line's value, showing the value as filed."""
    return line_hit(entry, line, "value_usd", line.value_raw, expected=expected, message=message)


# --------------------------------------------------------------------------------------------
# VAL001


@builtin_rule(
    "VAL001",
    citations=cites(*USC_1321, *CFR_10_151, "cbp-t86-faq"),
    examples=[
        flags("one entry declaring $850.00", {"value": "850.00"}),
        flags(
            "a $900.00 article with a -$200.00 'discount' line: the negative line is no article",
            {
                "lines": [
                    {"line_number": 1, "value_usd": "900.00"},
                    {"line_number": 2, "value_usd": "-200.00", "description": "discount"},
                ]
            },
        ),
        passes("one entry declaring exactly $800.00", {"value": "800.00"}),
        flags(
            "$300.00 arriving in 2015, when the threshold was $200",
            {"value": "300.00", "arrival_date": dt.date(2015, 6, 1)},
        ),
        flags(
            "$850.00 arriving 3 Sep 2025, after the exemption was suspended: still over the "
            "statute's $800 (the message says no value qualified then; ELG002 flags the entry)",
            {"value": "850.00", "arrival_date": dt.date(2025, 9, 3)},
        ),
    ],
)
def entry_value_over_threshold(entry: Entry, ctx: RuleContext) -> Iterator[Hit]:
    """Flag an entry whose line values add up to more than the threshold."""
    period = ctx.period(entry)
    threshold = period.threshold_usd
    total = entry.total_value
    if total > threshold:
        hit = _amount_hit(
            entry,
            total,
            expected=f"<= {_money(threshold)}",
            message=(
                f"entry total {_money(total)} USD over {len(entry.lines)} line(s) exceeds "
                + _threshold_words(threshold, period)
                + (
                    " (a negative line value is not counted: it is no article)"
                    if any(v is not None and v < 0 for v in (ln.value_usd for ln in entry.lines))
                    else ""
                )
            ),
        )
        # Over the limit is no fault in a formal or informal entry: on a blank-type record
        # whose dates rule out a T86, the finding is presumed (rules._base.presumed_not_t86).
        yield from presuming_t86(entry, ctx, (hit,))


# --------------------------------------------------------------------------------------------
# What the group rules VAL002 and VAL005-VAL007 keep of an entry (see rules._kept)


def _keep_shipment(state: Any, entry: Entry, ctx: RuleContext) -> Any:
    """The value group rules' fold: the entry's shared record, with what they need of it."""
    kept = kept_of(entry, ctx)
    if kept.cents is None:
        # The texts as filed: the loaders intern them, so keeping them costs a reference each.
        lines = entry.lines
        if len(lines) == 1:
            order = lines[0].order_reference
            orders: str | tuple[str, ...] = order if order.strip() else ()
        else:
            # Distinct texts: the lines of one order usually repeat its reference.
            found = list(
                dict.fromkeys(
                    line.order_reference for line in lines if line.order_reference.strip()
                )
            )
            orders = found[0] if len(found) == 1 else tuple(found)
        kept.filed_at = entry.filed_at
        kept.presumed = presumed_not_t86(entry, ctx.policy)
        kept.consignee_name = entry.consignee.name
        kept.consignee_place = place_key(entry.consignee)
        kept.seller_name = entry.seller.name
        kept.orders = orders
        kept.cents = cents(entry.total_value)
    return gather(state, kept)


def _shipment_rule(
    code: str,
    *,
    keys: Keys,
    needs_two: NeedsTwo = True,
    **metadata: Unpack[RuleCode],
) -> Callable[[Finish], Rule]:
    """Declare a value group rule: its groups keep :func:`_keep_shipment`'s records.

    VAL002 and VAL005-VAL007 group entries by their own keys and judge the same record of
    each shipment; ``needs_two`` is True (a group of one entry is never a finding) unless
    the rule's options decide it.
    """
    return builtin_group_rule(
        code, keys=keys, fold=_keep_shipment, needs_two=needs_two, **metadata
    )


def _identified(records: list[Kept]) -> list[Kept]:
    """The records whose consignee name names someone: not 'N/A', 'Customer' (CON005's).

    Two entries for 'Customer' at one address, or for 'N/A', are not shown to be for one
    person: summing them would make a day, a split or a cluster of strangers. CON005 reports
    such a name on every entry; the group rules leave it out.
    """
    # One person's entries mostly carry one spelling: each distinct name is asked once.
    nobody = {
        name
        for name in {r.consignee_name or "" for r in records}
        if _placeholder_reason(name) is not None
    }
    if not nobody:
        return records
    return [r for r in records if (r.consignee_name or "") not in nobody]


def _no_address(address: str) -> bool:
    """Whether a group key's street address names none: blank, 'N/A', 'unknown' (CON001's)."""
    return _names_nothing("address", address)


# --------------------------------------------------------------------------------------------
# VAL002: one person on one day


def _manifest_order(shipment: Kept) -> tuple[int, float, str]:
    # ACE processes a consignee's shipments in the order they are filed; without filing times
    # the entry number is the best stable proxy (filers number entries sequentially). Filing
    # times are compared as instants: 07:30-07:00 is after 09:00-04:00, whatever the text.
    filed = shipment.filed_at
    if filed is None:
        return (1, 0.0, shipment.ref.key)
    if filed.tzinfo is None:
        filed = filed.replace(tzinfo=us_eastern())  # (the loaders' reading of a time, too)
    return (0, filed.timestamp(), shipment.ref.key)


def _person_day(entry: Entry, ctx: RuleContext) -> Iterator[Hashable]:
    name, address = consignee_key(entry.consignee)
    if name and address:
        yield (name, address, entry.arrival_date)


def _same_day(value: str, **extra: Any) -> dict[str, Any]:
    return {
        "value": value,
        "consignee": {"name": "Maria Lopez", "address": "12 Main Street Apt 4"},
        **extra,
    }


@_shipment_rule(
    "VAL002",
    keys=_person_day,
    citations=cites(*CFR_10_151, "cfr19-10.153(d)", *USC_1321, "cbp-ecommerce-faq"),
    examples=[
        flags(
            "three $300 shipments to one person on one day: the third passes $800",
            _same_day("300.00"),
            _same_day("300.00"),
            _same_day("300.00", consignee={"name": "MARIA  LOPEZ", "address": "12 Main St., #4"}),
            serials=(3,),
        ),
        passes(
            "the same three shipments on three different days",
            _same_day("300.00", arrival_date=dt.date(2024, 6, 3)),
            _same_day("300.00", arrival_date=dt.date(2024, 6, 4)),
            _same_day("300.00", arrival_date=dt.date(2024, 6, 5)),
        ),
        passes(
            "$500 and $400 to 'John Smith, 100 Main Street' in Boston and in Springfield: "
            "two people",
            _same_day(
                "500.00",
                consignee={
                    "name": "John Smith",
                    "address": "100 Main Street",
                    "city": "Boston",
                    "state": "MA",
                    "postal_code": "02127",
                },
            ),
            _same_day(
                "400.00",
                consignee={
                    "name": "John Smith",
                    "address": "100 Main Street",
                    "city": "Springfield",
                    "state": "IL",
                    "postal_code": "62701",
                },
            ),
        ),
        flags(
            "$500 and $400 to one person, the ZIP code filed on one entry only",
            _same_day(
                "500.00",
                consignee={"name": "Maria Lopez", "address": "12 Main St", "postal_code": ""},
            ),
            _same_day(
                "400.00",
                consignee={
                    "name": "Maria Lopez",
                    "address": "12 Main St",
                    "postal_code": "43215",
                },
            ),
            serials=(2,),
        ),
        passes(
            "a $500 entry exported twice and a $200 entry: the copy is not counted ($700)",
            _same_day("500.00"),
            _same_day("500.00", entry_number=num(1)),
            _same_day("200.00"),
        ),
        passes(
            "$400 on 3 and on 4 Jun, and one entry filed twice (FIL003), $500 arriving each "
            "day: each day is over only if its version stands",
            _same_day("400.00", arrival_date=dt.date(2024, 6, 3)),
            _same_day("400.00", arrival_date=dt.date(2024, 6, 4)),
            _same_day("500.00", arrival_date=dt.date(2024, 6, 3)),
            _same_day("500.00", arrival_date=dt.date(2024, 6, 4), entry_number=num(3)),
        ),
    ],
)
def consignee_day_over_threshold(key: Hashable, state: Any, ctx: RuleContext) -> Iterator[Hit]:
    """Flag the entries filed after one person's day total passed the threshold."""
    _, address, _ = cast("tuple[str, str, dt.date]", key)  # (_person_day's key)
    if _no_address(address):
        return
    records = kept_in(state)
    for shipments in by_place(_identified(one_per_entry(records))):
        yield from _person_day_over_threshold(shipments, records, ctx)


def _person_day_over_threshold(
    shipments: list[Kept], records: list[Kept], ctx: RuleContext
) -> Iterator[Hit]:
    """VAL002 for the shipments of one person on one day (``records``: all the group's)."""
    if len(shipments) < 2:
        return
    ordered = sorted(shipments, key=_manifest_order)
    period = ctx.period(ordered[0].ref)
    threshold = period.threshold_usd
    if sum((s.total for s in ordered), Decimal(0)) <= threshold:
        return
    # A day over: an entry whose other version lies in another group (another day, another
    # consignee) may not be on this day at all. It is left out, so that a day is reported
    # over only if it is over whichever version stands; FIL003 reports the entry.
    doubtful = unsettled(ordered, records, ctx)
    note = ""
    if doubtful:
        note = left_out(s for s in ordered if s.ref.key in doubtful)
        ordered = [s for s in ordered if s.ref.key not in doubtful]
        if len(ordered) < 2:
            return
    # A record presumed not to be a T86 (type blank, no T86 possible on its dates: more likely
    # a type 11 or 01 entry) is judged as the T86 it is presumed to be, with the whole day; a
    # T86 on its record is judged by the day's T86s alone (V2 sums T86 entries), so that such
    # a record never makes a typed T86 a violation (or priced).
    presumed = [s for s in ordered if s.presumed]
    if presumed:
        yield from _day_hits(ordered, period, note, only_presumed=True)
        typed = [s for s in ordered if not s.presumed]
        if len(typed) < 2:
            return
        note += (
            f" (not counting {', '.join(s.ref.number for s in presumed)}: entry type blank, "
            "no T86 could be made when entered)"
        )
        ordered = typed
    yield from _day_hits(ordered, period, note, only_presumed=False)


def _day_hits(
    ordered: list[Kept], period: PolicyPeriod, note: str, *, only_presumed: bool
) -> Iterator[Hit]:
    """VAL002's hits on the shipments of one day, in manifest order, once the total passes.

    ``only_presumed``: only the hits on shipments presumed not to be T86 (the rest are judged
    without them).
    """
    threshold = period.threshold_usd
    day_total = sum((s.total for s in ordered), Decimal(0))
    if day_total <= threshold:
        return
    running = Decimal(0)
    numbers = [s.ref.number for s in ordered]
    for position, shipment in enumerate(ordered, start=1):
        running += shipment.total
        if running > threshold and (shipment.presumed or not only_presumed):
            entry = shipment.ref
            yield _shipment_hit(
                shipment,
                running,
                expected=f"<= {_money(threshold)} per person per day",
                message=(
                    f"shipment {position} of {len(ordered)} to {shipment.consignee_name!r} "
                    f"arriving {entry.arrival_date.isoformat()} brings the day's total to "
                    f"{_money(running)} USD (day total {_money(day_total)} USD), over "
                    + _threshold_words(threshold, period, "threshold")
                    + note
                ),
                related=[n for n in numbers if n != entry.number],
            )


# --------------------------------------------------------------------------------------------
# VAL003 / VAL004: missing, negative and nominal line values


_line_value_rule = reading(("line.description", "line.value_raw", "line.value_usd"), "line")
"""Declare a line rule on the line's value: VAL003 and VAL004 read the same inputs, declared
once so that the two rules keep sharing one cached look-up per line."""


@_line_value_rule(
    "VAL003",
    in_force=DURING_T86_TEST,
    citations=cites("fr89-2630", "fr84-40079", "usc19-1484"),
    examples=[
        flags("a line with no value", {"value": None}),
        flags("a line valued at -5.00", {"value": "-5.00"}),
        passes("a line valued at 12.50", {"value": "12.50"}),
    ],
)
def line_value_missing_or_negative(
    entry: Entry, line: LineItem, ctx: RuleContext
) -> Iterator[Hit]:
    """Flag a blank or negative line value."""
    if line.value_usd is None:
        yield _value_hit(
            entry,
            line,
            expected="a fair retail value in USD",
            message=f"line {line.line_number} has no declared value",
        )
    elif line.value_usd < 0:
        yield _value_hit(
            entry,
            line,
            expected=">= 0.00",
            message=(
                f"line {line.line_number} declares a negative value "
                f"{line.value_raw or _amount_as_filed(line)}"
            ),
        )


@_line_value_rule(
    "VAL004",
    options={"nominal_usd": Decimal("0.01")},
    citations=cites("usc19-1592", "usc19-1484", "fr89-2630"),
    examples=[
        flags("a smartphone case declared at 0.00", {"value": "0.00"}),
        flags("a line filed at 0.001 (quoted as filed, not as 0.00)", {"value": "0.001"}),
        passes(
            "a line at 0.50 with the cut-off at 0.25",
            {"value": "0.50"},
            options={"nominal_usd": Decimal("0.25")},
        ),
        passes("a line at 9.99", {"value": "9.99"}),
        passes("a 0.99 USD sticker: cheap, not a token value", {"value": "0.99"}),
        flags(
            "a line at 0.50 with the cut-off raised to 1.00",
            {"value": "0.50"},
            options={"nominal_usd": Decimal("1.00")},
        ),
    ],
)
def nominal_line_value(entry: Entry, line: LineItem, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a line value between zero and the nominal cut-off."""
    cutoff = Decimal(str(ctx.options["nominal_usd"]))
    value = line.value_usd
    if value is not None and Decimal(0) <= value <= cutoff:
        yield _value_hit(
            entry,
            line,
            expected=f"> {_money(cutoff)} (a real transaction value)",
            message=(
                f"line {line.line_number} ({line.description!r}) is declared at "
                f"{_amount_as_filed(line)} USD"
            ),
        )


# --------------------------------------------------------------------------------------------
# VAL005: split shipments


def _seller_consignee(entry: Entry, ctx: RuleContext) -> Iterator[Hashable]:
    seller = name_key(entry.seller.name)
    name, address = consignee_key(entry.consignee)
    if seller and name:
        # One flat tuple: a key is kept per seller and consignee, most of them for one entry.
        yield (seller, name, address)


def _day_windows(shipments: list[Kept], window_days: int) -> dict[str, list[Kept]]:
    """For each shipment, the window of arrival days around it that weighs most.

    A window starts on a day a shipment arrived and spans ``window_days`` more days (by
    default the same and the next day). Windows are anchored, never chained: six daily parcels
    make five two-day windows of two parcels each, not one group of six. A shipment belongs to
    every window that covers its day; the one with the highest combined value (the earliest
    on a tie) is the one it is judged with. ``shipments`` are sorted by arrival date.
    """
    by_day: dict[dt.date, list[Kept]] = {}
    for shipment in shipments:
        by_day.setdefault(shipment.ref.arrival_date, []).append(shipment)
    days = sorted(by_day)
    windows: list[tuple[Decimal, int, list[Kept]]] = []
    for start, first in enumerate(days):
        members: list[Kept] = []
        for day in days[start:]:
            if (day - first).days > window_days:
                break
            members.extend(by_day[day])
        windows.append((sum((s.total for s in members), Decimal(0)), start, members))
    best: dict[str, tuple[Decimal, int, list[Kept]]] = {}
    for window in windows:
        for shipment in window[2]:
            number = shipment.ref.number
            held = best.get(number)
            if held is None or window[0] > held[0]:
                best[number] = window
    return {number: window[2] for number, window in best.items()}


def _dates_text(group: list[Kept]) -> str:
    """``"2024-06-03 (2 shipments, 450.00 USD) and 2024-06-04 (1 shipment, 400.00 USD)"``."""
    by_day: dict[dt.date, list[Decimal]] = {}
    for shipment in group:
        by_day.setdefault(shipment.ref.arrival_date, []).append(shipment.total)
    parts = [
        f"{day.isoformat()} ({len(values)} shipment{'s' if len(values) > 1 else ''}, "
        f"{_money(sum(values, Decimal(0)))} USD)"
        for day, values in sorted(by_day.items())
    ]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


_AT_PORTLAND_OR = {
    "name": "Alan Park",
    "address": "88 Oak Avenue",
    "city": "Portland",
    "state": "OR",
    "postal_code": "97201",
}
_AT_PORTLAND_ME = {**_AT_PORTLAND_OR, "state": "ME", "postal_code": "04101"}


def _split_spec(value: str, day: int, **extra: Any) -> dict[str, Any]:
    return {
        "value": value,
        "arrival_date": dt.date(2024, 6, day),
        "seller": {"name": "Shenzhen Bright Trading Co"},
        "consignee": {"name": "Alan Park", "address": "88 Oak Avenue"},
        **extra,
    }


@_shipment_rule(
    "VAL005",
    keys=_seller_consignee,
    options={"window_days": 1},
    citations=cites(*CFR_10_151, "usc19-1321-split"),
    examples=[
        flags(
            "two $450 shipments from one seller to one buyer on consecutive days",
            _split_spec("450.00", 3),
            _split_spec("450.00", 4),
            serials=(1, 2),
        ),
        flags(
            "two $450 shipments under one order reference a week apart",
            _split_spec("450.00", 3, order_reference="PO-77"),
            _split_spec("450.00", 10, order_reference="PO-77"),
            serials=(1, 2),
        ),
        passes(
            "two $450 shipments a week apart, different orders",
            _split_spec("450.00", 3),
            _split_spec("450.00", 10),
        ),
        passes(
            "six daily $150 parcels, different orders: never chained into one group",
            *(_split_spec("150.00", day, order_reference=f"ORD-{day}") for day in range(3, 9)),
        ),
        passes(
            "$450 each to 'Alan Park, 88 Oak Avenue' in Portland, OR and in Portland, ME: "
            "two consignees",
            _split_spec("450.00", 3, consignee=_AT_PORTLAND_OR),
            _split_spec("450.00", 4, consignee=_AT_PORTLAND_ME),
        ),
    ],
)
def split_shipment(key: Hashable, state: Any, ctx: RuleContext) -> Iterator[Hit]:
    """Flag same-seller, same-consignee clusters (by date window or order) over the threshold."""
    seller, _, address = cast("tuple[str, str, str]", key)  # (_seller_consignee's key)
    if _names_nothing("name", seller) or _no_address(address):
        return
    records = kept_in(state)
    for shipments in by_place(_identified(one_per_entry(records))):
        yield from _split_between(shipments, records, ctx)


_Splits = dict[str, tuple[Kept, list[Kept], str]]
"""VAL005's verdicts: per entry number flagged, its shipment, the group and why it is one."""


def _arrival_and_orders(shipment: Kept) -> tuple[dt.date, frozenset[str]]:
    """What VAL005 groups a shipment by: its arrival day (windows) and its orders."""
    return (shipment.ref.arrival_date, frozenset(key for key, _ in shipment.order_references()))


def _split_between(shipments: list[Kept], records: list[Kept], ctx: RuleContext) -> Iterator[Hit]:
    """VAL005 for one seller's shipments to one consignee (one person: see by_place).

    ``records``: all the records of the seller-consignee group, before one_per_entry.
    """
    if len(shipments) < 2:
        return
    window_days = int(ctx.options["window_days"])
    if window_days < 0:
        # A window ending before the day it starts holds no shipment: say so, rather than
        # fail on the first group with an error naming an entry number.
        msg = f"VAL005.window_days must be 0 (the same day only) or more; got {window_days}"
        raise ValueError(msg)
    ordered = sorted(shipments, key=lambda s: (s.ref.arrival_date, s.ref.key))
    flagged = _splits(ordered, window_days, ctx)
    if not flagged:
        return
    # An entry with another version for another seller or consignee (another group), or
    # whose versions here differ in the arrival day or the orders the groups are made by, is
    # left out (see unsettled): a split is reported only if it holds whichever stands.
    doubtful = unsettled(ordered, records, ctx, alike=_arrival_and_orders)
    notes: dict[str, str] = {}
    if doubtful:
        for number, (_, group, _) in flagged.items():
            notes[number] = left_out(s for s in group if s.ref.key in doubtful)
        ordered = [s for s in ordered if s.ref.key not in doubtful]
        flagged = _splits(ordered, window_days, ctx) if len(ordered) > 1 else {}
    for number, (shipment, group, why) in flagged.items():
        threshold = ctx.period(shipment.ref).threshold_usd
        combined = sum((s.total for s in group), Decimal(0))
        yield _shipment_hit(
            shipment,
            combined,
            expected=f"<= {_money(threshold)} for one order or one seller-consignee day",
            message=(
                f"{len(group)} shipments from {shipment.seller_name!r} to "
                f"{shipment.consignee_name!r} {why}, total {_money(combined)} USD, over "
                f"{_money(threshold)} USD" + notes.get(number, "")
            ),
            related=[s.ref.number for s in group],
        )


def _splits(ordered: list[Kept], window_days: int, ctx: RuleContext) -> _Splits:
    """The shipments of ``ordered`` (by arrival day) in a window or an order over the threshold.

    Every group a shipment belongs to (its day window, then each of its orders) is judged;
    the first over the threshold is reported, so a small window never hides an order.
    """
    candidates: dict[str, tuple[Kept, list[tuple[list[Kept], str]]]] = {}
    windows = _day_windows(ordered, window_days)
    for s in ordered:
        window = windows[s.ref.number]
        slot = candidates.setdefault(s.ref.number, (s, []))
        if len(window) > 1:
            slot[1].append((window, f"arriving {_dates_text(window)}"))
    by_order: dict[str, list[Kept]] = {}
    shown: dict[str, str] = {}
    for s in ordered:
        for order, text in s.order_references():
            by_order.setdefault(order, []).append(s)
            shown.setdefault(order, text)
    for order, group in sorted(by_order.items()):
        if len(group) > 1:
            why = f"under order reference {shown[order]}, arriving {_dates_text(group)}"
            for s in group:
                candidates[s.ref.number][1].append((group, why))
    flagged: _Splits = {}
    for number, (shipment, groups) in candidates.items():
        threshold = ctx.period(shipment.ref).threshold_usd
        for group, why in groups:
            if sum((s.total for s in group), Decimal(0)) > threshold:
                flagged[number] = (shipment, group, why)
                break
    return flagged


# --------------------------------------------------------------------------------------------
# VAL006 / VAL007: values clustered just under the threshold


def _near_threshold(entry: EntryLike, total: Decimal, ctx: RuleContext) -> bool:
    threshold = ctx.period(entry).threshold_usd
    return threshold - _band(ctx.options["band_usd"]) <= total <= threshold


@functools.lru_cache(maxsize=16)
def _band(option: object) -> Decimal:
    """The ``band_usd`` option as a Decimal (asked for every entry: read once per value)."""
    return Decimal(str(option))


def _clustered_hits(
    shipments: list[Kept],
    records: list[Kept],
    ctx: RuleContext,
    who: str,
    name: str | None,
) -> Iterator[Hit]:
    """VAL006/VAL007 for one consignee's or seller's ``shipments`` (``records``: all the group's).

    Only entries near the threshold are grouped: an entry with a version elsewhere (another
    consignee or seller, or a value outside the band) is left out (see unsettled), so that a
    cluster is reported only if it is one whichever version stands.
    """
    near = sorted(
        (s for s in shipments if _near_threshold(s.ref, s.total, ctx)), key=_manifest_order
    )
    least = int(ctx.options["min_entries"])
    if len(near) < least:
        return
    note = ""
    doubtful = unsettled(near, records, ctx, places=who == "consignee")
    if doubtful:
        note = left_out(s for s in near if s.ref.key in doubtful)
        near = [s for s in near if s.ref.key not in doubtful]
        if not near or len(near) < least:
            return
    band = Decimal(str(ctx.options["band_usd"]))
    numbers = [s.ref.number for s in near]
    for shipment in near:
        threshold = ctx.period(shipment.ref).threshold_usd
        yield _shipment_hit(
            shipment,
            shipment.total,
            expected=f"values not clustered within {_money(band)} USD below {_money(threshold)}",
            message=(
                (
                    f"{len(near)} entries for {who} {name!r} are valued within "
                    if len(near) > 1
                    else f"1 entry for {who} {name!r} is valued within "
                )
                + f"{_money(band)} USD under the {_money(threshold)} USD threshold; this one "
                f"totals {_money(shipment.total)} USD" + note
            ),
            related=numbers,
        )


def _consignee_group(entry: Entry, ctx: RuleContext) -> Iterator[Hashable]:
    # Few entries are near the threshold: that is asked first, the names only of those.
    if _near_threshold(entry, entry.total_value, ctx):
        key = consignee_key(entry.consignee)
        if key[0] and key[1]:
            yield key


def _seller_group(entry: Entry, ctx: RuleContext) -> Iterator[Hashable]:
    if _near_threshold(entry, entry.total_value, ctx):
        seller = name_key(entry.seller.name)
        if seller:
            yield seller


def _several_entries_needed(ctx: RuleContext) -> bool:
    """VAL006 and VAL007 report a cluster of ``min_entries``: one entry alone, when that is 2+."""
    return int(ctx.options["min_entries"]) >= 2


_CLUSTER_OPTIONS = {"band_usd": Decimal("50.00"), "min_entries": 3}

_CLUSTER_RULE: dict[str, Any] = {
    "needs_two": _several_entries_needed,
    "options": _CLUSTER_OPTIONS,
    "citations": cites("usc19-1592", *CFR_10_151, "usc19-1484"),
}
"""What VAL006 and VAL007 (one consignee's, one seller's values under the threshold) share:
the same options and law; each declares its own key (and has its own text in the catalog)."""


def _cluster_spec(value: str, day: int, **extra: Any) -> dict[str, Any]:
    return {
        "value": value,
        "arrival_date": dt.date(2024, 6, day),
        "consignee": {"name": "Lee Chen", "address": "5 Elm Street"},
        **extra,
    }


@_shipment_rule(
    "VAL006",
    keys=_consignee_group,
    **_CLUSTER_RULE,
    examples=[
        flags(
            "three entries to one person at 790-799 USD over a month",
            _cluster_spec("795.00", 3),
            _cluster_spec("799.99", 10),
            _cluster_spec("790.00", 20),
            serials=(1, 2, 3),
        ),
        passes(
            "three entries at ordinary values",
            _cluster_spec("95.00", 3),
            _cluster_spec("120.00", 10),
            _cluster_spec("790.00", 20),
        ),
        passes(
            "three such entries to 'Lee Chen, 5 Elm Street' in three ZIP codes: three people",
            *(
                _cluster_spec(
                    "795.00",
                    day,
                    consignee={
                        "name": "Lee Chen",
                        "address": "5 Elm Street",
                        "postal_code": zip5,
                    },
                )
                for day, zip5 in ((3, "10001"), (10, "60601"), (20, "94105"))
            ),
        ),
    ],
)
def consignee_values_under_threshold(key: Hashable, state: Any, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a consignee's entries valued within the band under the threshold."""
    _, address = cast("tuple[str, str]", key)  # (consignee_key's key)
    if _no_address(address):
        return
    records = kept_in(state)
    for shipments in by_place(_identified(one_per_entry(records))):
        if shipments:
            name = shipments[0].consignee_name
            yield from _clustered_hits(shipments, records, ctx, "consignee", name)


@_shipment_rule(
    "VAL007",
    keys=_seller_group,
    **_CLUSTER_RULE,
    examples=[
        flags(
            "three entries from one seller to three buyers at 780-799 USD",
            {"value": "785.00", "seller": {"name": "Acme Export Ltd"}},
            {
                "value": "799.00",
                "seller": {"name": "ACME EXPORT LIMITED"},
                "consignee": {"name": "Ann Wu", "address": "1 Pine Rd"},
            },
            {
                "value": "780.50",
                "seller": {"name": "Acme Export Ltd."},
                "consignee": {"name": "Bo Li", "address": "2 Birch Rd"},
            },
            serials=(1, 2, 3),
        ),
        passes(
            "only two such entries",
            {"value": "785.00", "seller": {"name": "Acme Export Ltd"}},
            {"value": "799.00", "seller": {"name": "Acme Export Ltd"}},
        ),
    ],
)
def seller_values_under_threshold(key: Hashable, state: Any, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a seller's entries valued within the band under the threshold."""
    if _names_nothing("name", cast("str", key)):  # ('N/A' is nobody's cluster)
        return
    records = kept_in(state)
    shipments: list[Kept] = one_per_entry(records)
    yield from _clustered_hits(shipments, records, ctx, "seller", shipments[0].seller_name)


RULES = (
    entry_value_over_threshold,
    consignee_day_over_threshold,
    line_value_missing_or_negative,
    nominal_line_value,
    split_shipment,
    consignee_values_under_threshold,
    seller_values_under_threshold,
)
