"""What the built-in group rules keep of each entry: one small, shared record per entry.

A group rule's state lives until the end of the pass, so whatever it keeps, it keeps for every
entry it groups; the built-in group rules group nearly every entry, most of them several ways.
Instead of a record per rule (a tuple each, with its own header and its own pointer to the
entry's reference), they all keep one :class:`Kept` per entry: each rule fills in, once, the
values its ``finish`` needs, so an entry costs one object however many rules group it, and a
value only a rule that is not selected needs (the fingerprint digest, say) is never worked out.

This is the built-in pack's own arrangement; a rule pack keeps records of its own with
:func:`~t86audit.rules.collect_records`.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Callable, Hashable, Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from t86audit.normalize import is_placeholder, places_conflict
from t86audit.rules._base import _bare_or_list, _unset, _weak


if TYPE_CHECKING:
    from t86audit.model import Entry, EntryRef
    from t86audit.rules._base import RuleContext


__all__ = [
    "Kept",
    "by_place",
    "cents",
    "gather",
    "kept_in",
    "kept_of",
    "left_out",
    "one_per_entry",
    "unsettled",
]


class Kept:
    """One entry as the built-in group rules remember it until the end of the pass.

    ``ref`` is always set; every other attribute is ``None`` until the rule that needs it
    fills it in, and then stays as filled: the values describe the entry, not a rule's options.

    Attributes:
        ref: the entry's reference: what a finding is stamped from.
        digest: the filing's fingerprint digest (FIL003, FIL004).
        bill_of_lading: the bill field as filed (FIL007).
        consignee_name: the consignee's name as filed (CON007, VAL002, VAL005-VAL007).
        consignee_address: the consignee's address as filed (CON007).
        consignee_place: where the consignee's street address is, as
            :func:`~t86audit.normalize.place_key` gives it (CON007, VAL002, VAL005, VAL006;
            see :func:`by_place`).
        seller_name: the seller's name as filed (VAL005-VAL007).
        filed_at: the filing time, ``None`` when none was filed (VAL002, VAL006, VAL007).
        presumed: whether the entry is a T86 only by a presumption its dates contradict
            (:func:`~t86audit.rules.presumed_not_t86`): the value rules' findings on it are
            then presumed (VAL002, VAL005-VAL007).
        cents: the entry's total value (:attr:`total`): an int of cents when it has exactly two
            decimals, else the Decimal; set last by the value rules, so it says they have filled
            in their part (VAL002, VAL005-VAL007).
        orders: the lines' distinct order references as filed, one text or a tuple (VAL005).
        uses: how the entry uses the descriptions it groups under (HTS007): ``()`` when it
            uses one, which is then kept in ``described``, ``line``, ``numbers`` and
            ``filed`` (a tuple costs more than four of these slots), else one flat tuple of
            four items a description.
        described: the normalised description the entry uses, when it uses one (HTS007).
        line: the lowest line number carrying it.
        numbers: the 10-digit number the entry gives it, or a sorted tuple of several.
        filed: the description as filed on that line.
    """

    __slots__ = (
        "bill_of_lading",
        "cents",
        "consignee_address",
        "consignee_name",
        "consignee_place",
        "described",
        "digest",
        "filed",
        "filed_at",
        "line",
        "numbers",
        "orders",
        "presumed",
        "ref",
        "seller_name",
        "uses",
    )

    def __init__(self, ref: EntryRef) -> None:
        self.ref = ref
        self.digest: bytes | None = None
        self.bill_of_lading: str | None = None
        self.consignee_name: str | None = None
        self.consignee_address: str | None = None
        self.consignee_place: tuple[str, str, str] | None = None
        self.seller_name: str | None = None
        self.filed_at: dt.datetime | None = None
        self.presumed: bool | None = None
        self.cents: int | Decimal | None = None
        self.orders: str | tuple[str, ...] | None = None
        self.uses: Any = None
        self.described: str | None = None
        self.line: int | None = None
        self.numbers: str | tuple[str, ...] | None = None
        self.filed: str | None = None

    @property
    def total(self) -> Decimal:
        """The entry's total value (filled in by the value rules)."""
        cents = self.cents
        if isinstance(cents, int):
            return Decimal(f"{cents}E-2")
        if cents is None:
            msg = "the value rules have not filled in this entry's total"
            raise ValueError(msg)
        return cents

    def order_references(self) -> Iterator[tuple[str, str]]:
        """The entry's distinct order references (filled in by the value rules).

        Each is ``(key, text)``: the key compares references without case, spaces or
        punctuation ("PO-1001", "po 1001" and "PO1001" are one order, as one seller's systems
        write it one way and a broker's another); the text is the first spelling met, as
        filed, for the finding to quote.
        """
        orders = self.orders
        if orders is None:
            return
        texts = (orders,) if isinstance(orders, str) else orders
        seen: set[str] = set()
        for order in texts:
            # "N/A", "none" or "0" names no order: it would join every shipment of a seller
            # to a consignee, whatever their dates, into one "order".
            if is_placeholder(order):
                continue
            key = _ORDER_MARKS.sub("", order.upper())
            if key not in seen:
                seen.add(key)
                yield key, order.strip()

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Every entry's record travels back from a worker process: as one tuple of values it
        # pickles and unpickles several times faster than as a dict of slots.
        return (_restore, _values(self))

    def __repr__(self) -> str:
        return f"Kept({self.ref.number!r})"


_FIELDS = Kept.__slots__
_ORDER_MARKS = re.compile(r"[\W_]+")
"""What an order reference's key leaves out: spaces and punctuation (letters of any script and
digits stay, so a reference written in Chinese is still a reference)."""


def _restore(*values: Any) -> Kept:
    """A :class:`Kept` from the values :meth:`Kept.__reduce__` gave, in slot order."""
    kept = _new(Kept)
    for name, value in zip(_FIELDS, values, strict=True):
        setattr(kept, name, value)
    return kept


_new = object.__new__
_values = operator.attrgetter(*_FIELDS)


def cents(total: Decimal) -> int | Decimal:
    """A total with exactly two decimal places as an int of cents; any other total as it is.

    An int is a third of the size of a Decimal, and most totals are dollars and cents. The
    Decimal read back (:attr:`Kept.total`) has the same digits and exponent, so sums and
    messages are unchanged; ``-0.00`` is kept as it is, since cents cannot carry its sign.
    """
    text = str(total)
    # Exactly two decimals, as text: "124.62", never "1.2E+3" (exponent notation), "-0.00".
    if text[-3:-2] == "." and "E" not in text and not (text[0] == "-" and not total):
        return int(text[:-3] + text[-2:])
    return total


# (entry reference, reference data, policy, record) of the last entry: the group rules fold an
# entry one after another, so they all get its one record. The entry is held by its small
# reference; the audit's reference data and policy weakly, so a finished audit's tables are not
# kept alive, and a record is never carried into an audit with other tables. Swapped whole, so
# threads never see half of it.
_last: tuple[Any, Callable[[], Any], Callable[[], Any], Kept | None] = (
    None,
    _unset,
    _unset,
    None,
)


def kept_of(entry: Entry, ctx: RuleContext) -> Kept:
    """The entry's shared record, made by the first group rule that asks for it."""
    global _last  # noqa: PLW0603
    ref = entry.ref
    last = _last
    if last[0] is ref and last[1]() is ctx.reference and last[2]() is ctx.policy:
        return cast("Kept", last[3])
    kept = Kept(ref)
    _last = (ref, _weak(ctx.reference), _weak(ctx.policy), kept)
    return kept


def gather(state: Any, kept: Kept) -> Any:
    """Add ``kept`` to a group's state: a lone record bare, two or more in a list."""
    return _bare_or_list(state, kept)


def kept_in(state: Any) -> list[Kept]:
    """The records a :func:`gather` state holds, in the order they were gathered."""
    return state if isinstance(state, list) else [state]


_NOWHERE = ("", "", "")


def by_place(records: list[Kept]) -> list[list[Kept]]:
    """One consignee name and street's records (or one street's), split by place when two differ.

    'John Smith, 100 Main Street' in Boston and in Springfield are two people, and '100 Main
    Street' two addresses: when the filed ZIP codes (or cities, or states) of two records
    differ (:func:`~t86audit.normalize.places_conflict`), the records are split into people.
    A place that agrees with two places that conflict with each other (Boston without a ZIP
    code, beside 02127 and 02128; no place at all) cannot be told to be either person: its
    records are a group of their own, never summed with the others. Among the other places,
    agreeing is then an equivalence (a place agreeing with two agrees with both, which agree
    with each other), and each class of them is one person. The groups depend on the places
    alone, not on the order the records came in. With no conflict the records stay one group,
    so a ZIP code or city left blank on one entry never splits a person (or an address) in
    two. Each record's ``consignee_place`` must be filled in.
    """
    places = list(dict.fromkeys(r.consignee_place or _NOWHERE for r in records))
    agree = {
        place: [other for other in places if other != place and not places_conflict(place, other)]
        for place in places
    }
    if all(len(found) == len(places) - 1 for found in agree.values()):
        return [records]
    alone = {
        place
        for place, found in agree.items()
        if any(
            places_conflict(one, other)
            for at, one in enumerate(found)
            for other in found[at + 1 :]
        )
    }
    home: dict[tuple[str, str, str], tuple[str, str, str]] = {}
    for place in places:
        # A place agreeing with two people stands alone; another's class is itself and the
        # other such places it agrees with (they agree among themselves), named by its first
        # place met: the same name for every member.
        home[place] = (
            place
            if place in alone
            else next(
                other
                for other in places
                if other == place or (other not in alone and other in agree[place])
            )
        )
    split: dict[tuple[str, str, str], list[Kept]] = {}
    for record in records:
        split.setdefault(home[record.consignee_place or _NOWHERE], []).append(record)
    return list(split.values())


def _lowest_first(record: Kept) -> tuple[Decimal, dt.date, str, tuple[int, ...], str]:
    ref = record.ref
    return (record.total, ref.arrival_date, ref.source, ref.source_rows, ref.number)


def one_per_entry(records: list[Kept]) -> list[Kept]:
    """The records of a value group with each entry number counted once.

    Records that share an entry number are one entry: one filing exported twice (FIL004), or
    two versions of it (FIL003, which reports the number). Summing them would make a day's
    total, a split shipment or a cluster out of one entry, so one record stands for the
    number: the lowest-valued (then the earliest arriving, then the first read), so that a
    verdict built on the group holds whichever record is the filing ACE accepted. The records
    keep their order; each must have its total filled in (:attr:`Kept.total`).
    """
    if len({record.ref.key for record in records}) == len(records):
        return records
    chosen: dict[str, Kept] = {}
    for record in records:
        held = chosen.get(record.ref.key)
        if held is None or _lowest_first(record) < _lowest_first(held):
            chosen[record.ref.key] = record
    kept = set(map(id, chosen.values()))
    return [record for record in records if id(record) in kept]


def unsettled(
    counted: Iterable[Kept],
    records: list[Kept],
    ctx: RuleContext,
    *,
    places: bool = True,
    alike: Callable[[Kept], Hashable] | None = None,
) -> frozenset[str]:
    """The entry numbers (keys) among ``counted`` whose record here may not be the one that stands.

    ``records`` are all the records of the group (before :func:`one_per_entry`), ``counted``
    those the rule sums or counts. An entry number is unsettled when records of it lie
    outside the group: another version of the entry (FIL003) filed for another day, consignee
    or seller falls in another group or in none, and only one version can be the filing ACE
    accepted. Counting such an entry here and in the other group makes both over, though at
    most one can be. So is one whose records here are for places that conflict (two people:
    :func:`by_place`) when ``places``, and one whose records here differ in what ``alike``
    gives (the arrival date a window is judged by, say). The rules leave such entries out,
    as :func:`one_per_entry` counts versions at their lowest value: a verdict then holds
    whichever record is the filing that stands. Copies of one filing (FIL004) all fall in one
    group and agree, so are settled. Asks :attr:`RuleContext.repeated_entries` (the audit
    works it out once, when a rule first asks): call it only for a group that yields a finding.
    """
    repeated = ctx.repeated_entries
    if not repeated:
        return frozenset()
    asked = {record.ref.key for record in counted} & repeated.keys()
    if not asked:
        return frozenset()
    here: dict[str, list[Kept]] = {}
    for record in records:
        if record.ref.key in asked:
            here.setdefault(record.ref.key, []).append(record)
    found: set[str] = set()
    for key, mine in here.items():
        if repeated[key] > len(mine):
            found.add(key)
            continue
        if places:
            spots = list(dict.fromkeys(r.consignee_place or _NOWHERE for r in mine))
            if any(
                places_conflict(one, other)
                for at, one in enumerate(spots)
                for other in spots[at + 1 :]
            ):
                found.add(key)
                continue
        if alike is not None and len({alike(r) for r in mine}) > 1:
            found.add(key)
    return frozenset(found)


_MAX_NAMED = 5


def left_out(records: Iterable[Kept]) -> str:
    """What a finding says of the entries :func:`unsettled` left out: ``""`` when none.

    Shared by the group rules that leave such entries out (CON007, FIL007, HTS007, VAL002,
    VAL005-VAL007), so that a reader meets one wording in every finding.
    """
    numbers = sorted({record.ref.number for record in records})
    if not numbers:
        return ""
    shown = ", ".join(numbers[:_MAX_NAMED]) + (
        f" and {len(numbers) - _MAX_NAMED} more" if len(numbers) > _MAX_NAMED else ""
    )
    return (
        f"; not counting {'entry' if len(numbers) == 1 else 'entries'} {shown}: "
        f"{'its number is' if len(numbers) == 1 else 'their numbers are'} also on other "
        "records in the input, with other data (see FIL003), so the record here may not be "
        "the filing that stands"
    )
