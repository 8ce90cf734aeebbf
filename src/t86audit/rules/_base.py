"""Declaring rules: the :func:`rule` and :func:`group_rule` decorators, rules and packs.

A rule is declared once: its code, kebab-case name, severity, citations, summary, rationale,
reasonable-care note, options with defaults, known limitations, and at least one flagged and
one passing example. The decorators check that metadata when the rule is defined, so an
incomplete rule fails at import time rather than in an audit. A rule pack passes all of it as
keywords; the built-in rules keep their prose (:class:`RuleProse`) in ``rules/catalog.toml``
and the rest (:class:`RuleCode`) beside their code (:mod:`t86audit.rules._catalog`).

Three scopes (the architecture's "one pass, three scopes"):

* ``line``: ``check(entry, line, ctx) -> hits``, called for each line of each entry;
* ``entry``: ``check(entry, ctx) -> hits``, called once per entry;
* ``group``: ``keys(entry, ctx) -> keys``, ``fold(state, entry, ctx) -> state`` per entry, and
  ``check(key, state, ctx) -> hits`` once per key at the end (one person on one day, reused bills).
"""

from __future__ import annotations

import datetime as dt
import re
import weakref
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, TypedDict, TypeVar, Unpack, cast

import attrs

from t86audit.exceptions import RuleDefinitionError
from t86audit.findings import BASES, BINDING_BASES, Citation, Hit, Severity, strongest_basis


if TYPE_CHECKING:
    from t86audit.findings import EntryLike
    from t86audit.model import Entry
    from t86audit.policy import PolicyPeriod, PolicyTable
    from t86audit.refset import ReferenceSet


CODE_RE = re.compile(r"^[A-Z]{2,4}[0-9]{3}$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")

Scope = Literal["line", "entry", "group"]
_S = TypeVar("_S")
_R = TypeVar("_R")

T86_ONLY: frozenset[str] = frozenset({"86"})
"""The default entry types of a rule: Type 86 entries (and those whose type is blank or
unreadable, which are audited as presumed Type 86; see
:attr:`~t86audit.model.Entry.judged_as_t86`)."""


MEMO_LIMIT = 16_384
"""Keys a context remembers (:meth:`RuleContext.remember`) before it starts again."""
_READ_RE = re.compile(r"^(?:(?:line|entry)(?:\.[a-z_][a-z0-9_]*){1,2}|period)$")


def _reads(value: Iterable[str] | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    names = tuple(sorted(set(value)))
    bad = [name for name in names if not _READ_RE.match(name)]
    if bad:
        msg = (
            f"reads: {bad} must be 'line.<attribute>', 'entry.<attribute>' (either may name an "
            "attribute of that attribute, e.g. 'entry.consignee.country') or 'period'"
        )
        raise RuleDefinitionError(msg)
    return names


def _entry_types(value: Iterable[str] | None) -> frozenset[str] | None:
    if value is None:
        return None
    from t86audit.model import entry_type_code  # noqa: PLC0415

    codes = frozenset(entry_type_code(str(v)) or str(v) for v in value)
    if not codes:
        msg = "entry_types must name at least one entry type, or be None for every type"
        raise RuleDefinitionError(msg)
    return codes


class RuleContext:
    """What a rule may consult while it runs: its options, the policy table, reference data.

    One context is made per rule per audit; rules must not keep state on it between entries
    (group rules keep their state in the value ``fold`` returns).
    """

    def __init__(
        self, options: Mapping[str, Any], policy: PolicyTable, reference: ReferenceSet
    ) -> None:
        self.options = options
        self.policy = policy
        self.reference: ReferenceSet = reference
        # A population spans a few hundred arrival days; rules ask for the period of each
        # entry several times, so each day's period is looked up once per rule.
        self._periods: dict[dt.date, PolicyPeriod] = {}
        # What a rule works out from one value that repeats across entries (an HTS number and
        # description, say) and that depends on nothing else: :meth:`remember` computes it once.
        self._memo: dict[Hashable, Any] = {}
        # Set by the engine while the groups are finished: see repeated_entries.
        self._repeats: Callable[[], Mapping[str, int]] | None = None

    @property
    def repeated_entries(self) -> Mapping[str, int]:
        """The entry numbers two or more records of the audited population carry: key -> count.

        Keyed by :attr:`~t86audit.model.EntryNumber.key`; a number on one record only is not
        held. The records counted are those of the entry types the rule judges (blank as Type
        86), copies of one filing (FIL004) and versions of it (FIL003) alike. A group rule's
        ``finish`` reads it to tell whether an entry of its group has records in other groups
        (or in none): its group's record may then not be the filing that stands. Known only
        while the groups are finished, when the population is whole: worked out on the first
        ask (one pass over the audit's entry numbers) and shared by the rules judging the same
        entry types. Anywhere else (a ``fold``, a check called by hand) it is empty.
        """
        repeats = self._repeats
        return _NO_REPEATS if repeats is None else repeats()

    def finishing(self, repeats: Callable[[], Mapping[str, int]] | None) -> None:
        """Give the group rules' finish the population's :attr:`repeated_entries` (engine use).

        ``repeats`` works the mapping out when first called and gives the same one after;
        ``None`` once the groups are finished, so the context holds nothing of the population.
        """
        self._repeats = repeats

    def remember(self, key: Hashable, compute: Callable[..., _R], *args: Any) -> _R:
        """``compute(*args)``, worked out once per ``key`` for this rule in this audit.

        For a pure function of ``key`` (and of this context's options and reference data) that
        a rule asks for on many entries; not for state carried between entries. The memory
        stays bounded: past :data:`MEMO_LIMIT` keys it starts again.
        """
        memo = self._memo
        try:
            return cast("_R", memo[key])
        except KeyError:
            pass
        value = compute(*args)
        if len(memo) >= MEMO_LIMIT:
            memo.clear()
        memo[key] = value
        return value

    def period(self, entry: EntryLike) -> PolicyPeriod:
        """The policy period in force on the entry's (or entry reference's) arrival date."""
        day = entry.arrival_date
        found = self._periods.get(day)
        if found is None:
            found = self._periods[day] = self.policy.at(day)
        return found


_NO_REPEATS: Mapping[str, int] = MappingProxyType({})
"""What :attr:`RuleContext.repeated_entries` is outside the groups' finish: nothing known."""


# What the decorators take, named once (see :func:`rule` and :func:`group_rule`). Defined at
# run time too, so that typing.get_type_hints() reads the decorators' annotations.
Check: TypeAlias = Callable[..., Iterable[Hit]]
Keys: TypeAlias = Callable[["Entry", RuleContext], Iterable[Hashable]]
Fold: TypeAlias = Callable[[Any, "Entry", RuleContext], Any]
Finish: TypeAlias = Callable[[Hashable, Any, RuleContext], Iterable[Hit]]
Variant: TypeAlias = Callable[["Entry", Hashable, RuleContext], Hashable | None]
NeedsTwo: TypeAlias = bool | Callable[[RuleContext], bool]
SameEveryDay: TypeAlias = tuple[str, Callable[[Any, RuleContext], bool]]
"""A declared input and a test of its value: :attr:`Rule.same_every_day`."""
InForce: TypeAlias = Callable[["Entry", RuleContext], bool]
"""Whether the requirement a rule checks was law for an entry: :attr:`Rule.in_force`."""


class on_arrival:  # noqa: N801  (used as a function: ``in_force=on_arrival(test)``)
    """A rule's :attr:`Rule.in_force`: ``test(period)`` of the arrival date's policy period.

    For a rule whose requirement is law in the periods ``test`` accepts, judged by the period
    in force on the entry's arrival date.
    ``test(period)`` should be the very function the rule's check asks before it judges an
    entry, so that the check and the declaration cannot disagree. A class, not a closure, so
    that it pickles (when ``test`` is a module-level function) and names its test in a repr.

    >>> import datetime as dt
    >>> from t86audit.model import Entry
    >>> from t86audit.policy import default_policy
    >>> def eda_mandatory(period):
    ...     return period.eda_required
    >>> ctx = RuleContext({}, default_policy(), None)  # type: ignore[arg-type]
    >>> in_force = on_arrival(eda_mandatory)
    >>> in_force(Entry(entry_number="X", arrival_date=dt.date(2024, 7, 1)), ctx)
    False
    >>> in_force(Entry(entry_number="X", arrival_date=dt.date(2024, 8, 1)), ctx)
    True
    """

    __slots__ = ("test",)

    def __init__(self, test: Callable[[PolicyPeriod], bool]) -> None:
        self.test = test

    def __call__(self, entry: Entry, ctx: RuleContext) -> bool:
        return bool(self.test(ctx.period(entry)))

    def __reduce__(self) -> tuple[Any, ...]:
        return (on_arrival, (self.test,))

    def __repr__(self) -> str:
        return f"on_arrival({getattr(self.test, '__qualname__', self.test)})"

    def spans(self, policy: PolicyTable) -> tuple[tuple[dt.date, dt.date | None], ...]:
        """The stretches of arrival dates ``test`` accepts in ``policy``: ``(first, last)``.

        ``last`` is ``None`` for a stretch that runs on (the table's last period). Adjacent
        periods the test accepts are joined, so the rule reference can say when the rule is in
        force in a few dates.

        >>> from t86audit.policy import default_policy
        >>> on_arrival(t86_test_running).spans(default_policy())
        ((datetime.date(2019, 9, 28), datetime.date(2025, 8, 28)),)
        """
        out: list[tuple[dt.date, dt.date | None]] = []
        for period in policy.periods:
            if not self.test(period):
                continue
            last = None if period.end is None else period.end - dt.timedelta(days=1)
            before = out[-1][1] if out else None
            if before is not None and before + dt.timedelta(days=1) == period.start:
                out[-1] = (out[-1][0], last)
            else:
                out.append((period.start, last))
        return tuple(out)


def t86_test_running(period: PolicyPeriod) -> bool:
    """Whether ACE accepted Type 86 entries in ``period`` (28 Sep 2019 to 28 Aug 2025).

    The test of the rules whose requirement is a term of the T86 test itself: a data element
    of its Federal Register notices (84 FR 40079, 89 FR 2630), or CBP's guidance and ACE's
    behaviour for Type 86. Before the test began and after it ended no T86 could be filed, so
    no such term applied: ELG001 or ELG002 is then the finding, and those rules stand down.
    """
    return bool(period.t86_available)


_DATE_ONLY = re.compile(r"\s*(?:\d{4}-\d{1,2}-\d{1,2}|\d{8}|\d{1,2}/\d{1,2}/\d{4})\s*")
"""A filing time given as a date alone (the formats the date readers take)."""


def entered_late(entry: Entry, policy: PolicyTable) -> tuple[dt.date, PolicyPeriod] | None:
    """When a T86 transmitted on a later U.S. Eastern day than the arrival entered the goods.

    A T86 filed after arrival is made (entered) when it is transmitted, not when the goods
    arrived; naive filing times are Eastern already. Returns the Eastern day of transmission
    and the policy period in force at that instant (so a T86 sent in the minute before a
    12:01 a.m. cut-over is judged by the law before it), or ``None`` when the T86 was not
    transmitted on a later day than the arrival date.
    """
    day = entry.filed_day
    if day is None or day <= entry.arrival_date:
        return None
    assert entry.filed_at is not None  # (a filing day comes from a filing time)
    if _DATE_ONLY.fullmatch(entry.filed_at_raw):
        # A day without a time reads as midnight, the one minute before a 12:01 a.m. cut-over
        # that the rest of the day is after: the law of the day is applied.
        return day, policy.at(day)
    return day, policy.at_instant(entry.filed_at)


def presumed_not_t86(entry: Entry, policy: PolicyTable) -> bool:
    """Whether ``entry`` is a T86 only by a presumption its dates contradict.

    Its type is blank or unreadable, so it is audited as a presumed Type 86 (FIL015), and it
    was entered when no T86 could be made: it arrived outside the T86 test (before 28 Sep 2019
    or from 29 Aug 2025, by ``policy``), or its filing time puts its entry after the test ended
    (:func:`entered_late`). Such a record is more likely a formal (01) or informal (11) entry
    the export included, for which the de minimis conditions never applied. ELG001 and ELG002
    are then warnings that say so (:attr:`~t86audit.findings.Hit.presumed`), and so are the
    findings of the rules whose requirement bears only on a de minimis claim
    (:func:`presuming_t86`); the exposure does not price the entry. A blank type inside the
    test stays a presumed T86, judged as one.
    """
    if entry.entry_type == "86" or entry.type_code:  # (the first test spares the usual case)
        return False
    if not policy.at(entry.arrival_date).t86_available:
        return True
    late = entered_late(entry, policy)
    return late is not None and not late[1].t86_available


PRESUMPTION_READS: tuple[str, ...] = ("entry.untyped_dates",)
"""What :func:`presumed_not_t86` reads of an entry, in a rule's :attr:`Rule.reads`:
:attr:`~t86audit.model.Entry.untyped_dates`, ``None`` for an entry whose type is given (so a
typed population keys nothing more by it), else the dates the test reads."""

PRESUMED_WORDS = (
    "; the entry type was not given (FIL015) and no T86 could be made when these goods were "
    "entered, so this holds only if the record was a T86, and it is more likely a type 11 or 01 "
    "entry: confirm its type"
)
"""What a finding adds when its entry is a T86 only by presumption (:func:`presumed`)."""


def presumed(hit: Hit) -> Hit:
    """``hit`` on a record that is a T86 only by a presumption its dates contradict.

    Marked :attr:`~t86audit.findings.Hit.presumed` (a violation rule's finding is then a
    warning) with :data:`PRESUMED_WORDS` added to its message. See :func:`presumed_not_t86`.
    """
    return attrs.evolve(hit, presumed=True, message=hit.message + PRESUMED_WORDS)


def presuming_t86(entry: Entry, ctx: RuleContext, hits: Iterable[Hit]) -> Iterator[Hit]:
    """The ``hits`` on ``entry`` of a rule whose requirement bears only on a de minimis claim.

    Each is :func:`presumed` when :func:`presumed_not_t86` holds: the value limit of 19 U.S.C.
    1321 and 19 CFR 10.151, the goods 19 CFR 10.153 and CBP's guidance keep out of the
    exemption. A formal or informal entry of such goods, or over the limit, broke no rule, so
    on a record whose type is not given and whose dates rule out a T86 the finding is a
    warning. (The entry number, the description and the consignee's country are required of
    every entry type: their rules do not presume.) A rule that declares its inputs must read
    :data:`PRESUMPTION_READS`. The entry is asked only once the rule has a hit.
    """
    presume: bool | None = None
    for hit in hits:
        if presume is None:
            presume = presumed_not_t86(entry, ctx.policy)
        yield presumed(hit) if presume else hit


class on_entry(on_arrival):  # noqa: N801  (used as a function, as on_arrival is)
    """:class:`on_arrival`, and for a T86 transmitted on a later day, ``test`` at transmission.

    For a requirement that governs the T86 itself, so that it is law for a T86 only if it was
    law when the goods were entered: on arrival, or, for a T86 transmitted on a later U.S.
    Eastern day than the arrival, when it was transmitted (:func:`entered_late`; the rule
    ELG002 and ELG003 apply). The engine gates the check by the arrival period, as for
    :class:`on_arrival` (the verdicts stay keyed by that answer), and tests :meth:`after` on
    each hit only: a hit on an entry whose T86 was transmitted when the requirement was no
    longer law is dropped. Hits are few, so an audit pays nothing per entry for it.

    >>> import datetime as dt
    >>> from t86audit.model import Entry
    >>> from t86audit.policy import default_policy
    >>> ctx = RuleContext({}, default_policy(), None)  # type: ignore[arg-type]
    >>> during = on_entry(t86_test_running)
    >>> late = Entry(entry_number="X", arrival_date=dt.date(2025, 8, 28),
    ...              filed_at=dt.datetime(2025, 8, 29, 10, 0))
    >>> during(late, ctx), during.after(late, ctx)
    (False, False)
    >>> on_time = Entry(entry_number="X", arrival_date=dt.date(2025, 8, 28),
    ...                 filed_at=dt.datetime(2025, 8, 27, 20, 0))
    >>> during(on_time, ctx)
    True
    """

    __slots__ = ("late",)

    def __init__(
        self,
        test: Callable[[PolicyPeriod], bool],
        late: Callable[[PolicyPeriod], bool] | None = None,
    ) -> None:
        super().__init__(test)
        # What must hold at a late transmission: ``test`` itself by default; another test
        # for a rule whose arrival test also dates guidance by the arrival (HTS004/HTS008:
        # the Chapter 98 CSMS dates by arrival, the T86's own life by its transmission).
        self.late = test if late is None else late

    def __call__(self, entry: Entry, ctx: RuleContext) -> bool:
        return bool(self.test(ctx.period(entry))) and self.after(entry, ctx)

    def after(self, entry: EntryLike, ctx: RuleContext) -> bool:
        """Whether ``late`` (by default ``test``) holds at a late T86's transmission.

        ``True`` if not late. ``entry`` may be a group rule's
        :class:`~t86audit.model.EntryRef`, which keeps no filing time: it is taken as not
        late (its group was formed by the keys, which test this on the entry itself).
        """
        if getattr(entry, "filed_at", None) is None:
            return True
        late = entered_late(cast("Entry", entry), ctx.policy)
        return late is None or bool(self.late(late[1]))

    def __reduce__(self) -> tuple[Any, ...]:
        if self.late is self.test:
            return (on_entry, (self.test,))
        return (on_entry, (self.test, self.late))

    def __repr__(self) -> str:
        name = getattr(self.test, "__qualname__", self.test)
        if self.late is self.test:
            return f"on_entry({name})"
        return f"on_entry({name}, {getattr(self.late, '__qualname__', self.late)})"


DURING_T86_TEST = on_entry(t86_test_running)
"""The :attr:`Rule.in_force` of a rule whose requirement is a term of the T86 test.

Judged when the goods were entered: on arrival, or when a T86 transmitted on a later day than
the arrival was transmitted. A T86 sent on or after 29 Aug 2025 for goods that arrived before
then was made when no T86 was accepted (ELG002), and the test's terms did not govern it.
"""


class Gate:
    """A rule's check (or a group rule's ``keys``) that finds nothing where ``in_force`` is false.

    Built by :func:`rule` and :func:`group_rule` for a rule whose ``in_force`` is an
    :class:`on_arrival`, so that its check and its declaration cannot disagree: the
    requirement is not judged on an entry of a period in which it was not law, and a group
    rule puts such an entry in no group. The engine does not call the gate: it calls
    ``inner`` where a mask of each arrival day's answers says the gate is open (a bit test
    inline, not three calls an entry; engine._GateMasks).
    """

    __slots__ = ("in_force", "inner", "keyed_by_gate")

    def __init__(
        self,
        inner: Callable[..., Iterable[Any]],
        in_force: on_arrival,
        keyed_by_gate: bool = False,
    ) -> None:
        self.inner = inner
        self.in_force = in_force
        self.keyed_by_gate = keyed_by_gate
        """Whether ``"period"`` is among the rule's reads for this gate alone (not for its
        check): the verdict cache then keys the gate's answer, not the period itself."""

    def __call__(self, entry: Entry, *rest: Any) -> Iterable[Any]:
        # rest is (ctx,) for an entry check or keys, (line, ctx) for a line check.
        if not self.in_force.test(rest[-1].period(entry)):
            return ()
        if isinstance(self.in_force, on_entry) and not self.in_force.after(entry, rest[-1]):
            return ()
        return self.inner(entry, *rest)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Gate, (self.inner, self.in_force, self.keyed_by_gate))

    def __repr__(self) -> str:
        return f"{self.in_force!r}.gate({getattr(self.inner, '__qualname__', self.inner)})"


def _gated_reads(
    reads: Iterable[str] | None, same_every_day: SameEveryDay | None, in_force: object
) -> Iterable[str] | None:
    """``reads`` with ``"period"`` added when an :class:`on_arrival` gate reads it.

    The gate reads the arrival date's period; a rule that declares its inputs must then be
    keyed by it, unless the arrival date itself is in the key (it is not for the values a
    ``same_every_day`` test frees of it).
    """
    if reads is None or not isinstance(in_force, on_arrival):
        return reads
    names = tuple(reads)
    if "period" in names or ("entry.arrival_date" in names and same_every_day is None):
        return names
    return (*names, "period")


def _str_tuple(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _rule_tuple(values: Iterable[Rule]) -> tuple[Rule, ...]:
    return tuple(values)


@attrs.frozen
class Example:
    """A small population showing a rule at work; every example runs as a test.

    Attributes:
        title: one line saying what the example shows.
        build: builds the entries (lazily, so importing rules stays cheap).
        flagged: entry numbers (as filed) the rule must report; empty for a passing example.
        options: rule options for this example, overriding the defaults.
        reference: builds the reference data the example needs (for example a user-supplied
            quota table); ``None`` means the bundled tables.
    """

    title: str
    build: Callable[[], Sequence[Entry]] = attrs.field(eq=False)
    flagged: tuple[str, ...] = attrs.field(default=(), converter=_str_tuple)
    options: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    reference: Callable[[], Any] | None = attrs.field(default=None, eq=False)

    def make_reference(self) -> Any:
        """The reference data to run the example with."""
        if self.reference is not None:
            return self.reference()
        from t86audit.refset import ReferenceSet  # noqa: PLC0415

        return ReferenceSet()

    @property
    def is_flagged(self) -> bool:
        """Whether the rule must report something in this example."""
        return bool(self.flagged)


def _no_keys(entry: Entry, ctx: RuleContext) -> Iterable[Hashable]:
    return ()


def _append(state: list[Entry] | None, entry: Entry, ctx: RuleContext) -> list[Entry]:
    if state is None:
        return [entry]
    state.append(entry)
    return state


def _bare_or_list(state: Any, item: Any) -> Any:
    """Add ``item`` to a group's state: a lone item bare, two or more in a list.

    Shared by :func:`collect` (entries) and :func:`t86audit.rules._kept.gather` (kept records),
    so the two states keep one layout.
    """
    if state is None:
        return item
    if isinstance(state, list):
        state.append(item)
        return state
    return [state, item]


def collect(state: Any, entry: Entry, ctx: RuleContext) -> Any:
    """Fold that keeps a lone entry bare and lists only groups of two or more.

    Most group keys (entry numbers, bills, one person on one day) hold one entry; not wrapping
    those in a list saves a list per key. ``finish`` reads the state with :func:`entries_of`.
    """
    return _bare_or_list(state, entry)


def entries_of(state: Any) -> list[Entry]:
    """The entries a :func:`collect` state holds, in the order they were folded."""
    return state if isinstance(state, list) else [state]


def records_of(state: Any) -> list[Any]:
    """The records a :func:`collect_records` state holds, in the order they were folded."""
    return state if isinstance(state, list) else [state]


_UNSET = object()


def _unset() -> object:
    """What the fold remembers before its first entry: reference data no audit has."""
    return _UNSET


def _weak(value: Any) -> Callable[[], Any]:
    """A weak reference to ``value``, or (when it cannot have one, e.g. ``None``) a strong one."""
    try:
        return weakref.ref(value)
    except TypeError:
        return lambda: value


def collect_records(
    record: Callable[[Entry, RuleContext], Any],
) -> Callable[[Any, Entry, RuleContext], Any]:
    """A fold that keeps a compact record of each entry instead of the entry, as :func:`collect`.

    A group state lives until the end of the pass, so what it keeps is kept for every entry
    of the population: ``record(entry, ctx)`` should return only what ``finish`` needs, for
    example a tuple of ``entry.ref`` (:class:`~t86audit.model.EntryRef`, which a
    :class:`~t86audit.findings.Hit` accepts in place of the entry) and a few values. A lone
    record is kept bare and groups of two or more as a list, so a record must not be a list;
    ``finish`` reads the state with :func:`records_of`.

    The fold remembers the record of the last entry it was given (not the entry), so an entry
    with several keys, or several rules given this same fold object, build one record per
    entry; rules that share the fold must therefore not make the record depend on their
    ``ctx.options``. The fold pickles as ``collect_records(record)`` (a rule travels to other
    processes with it), so ``record`` must be picklable: a module-level function.
    """
    return _RecordFold(record)


class _RecordFold:
    """The fold :func:`collect_records` makes: callable, with a one-entry memory."""

    __slots__ = ("_last", "record")

    def __init__(self, record: Callable[[Entry, RuleContext], Any]) -> None:
        self.record = record
        # (entry reference, reference data, policy, record). The entry is held by its small
        # reference, never itself; the reference data and policy weakly, so a finished audit's
        # tables are not kept alive by a rule. Compared by identity.
        self._last: tuple[Any, Callable[[], Any], Callable[[], Any], Any] = (
            None,
            _unset,
            _unset,
            None,
        )

    def __call__(self, state: Any, entry: Entry, ctx: RuleContext) -> Any:
        ref = entry.ref
        last = self._last
        if last[0] is ref and last[1]() is ctx.reference and last[2]() is ctx.policy:
            item = last[3]
        else:
            item = self.record(entry, ctx)
            # Swapped whole, so a thread never sees half of it.
            self._last = (ref, _weak(ctx.reference), _weak(ctx.policy), item)
        if state is None:
            if isinstance(item, list):
                name = getattr(self.record, "__name__", repr(self.record))
                msg = f"{name} returned a list, not a record"
                raise TypeError(msg)
            return item
        if isinstance(state, list):
            state.append(item)
            return state
        return [state, item]

    def __reduce__(self) -> tuple[Any, ...]:
        # Not the memory: it holds the reference data, which need not pickle.
        return (collect_records, (self.record,))

    def __repr__(self) -> str:
        return f"collect_records({getattr(self.record, '__qualname__', self.record)})"


@attrs.frozen
class Rule:
    """A rule: metadata plus one check function. Build it with :func:`rule` or :func:`group_rule`.

    Frozen: :meth:`with_options` returns a changed copy.
    """

    code: str
    name: str
    severity: Severity
    scope: Scope
    check: Check = attrs.field(eq=False, repr=False)
    citations: tuple[Citation, ...]
    summary: str
    rationale: str
    reasonable_care: str
    examples: tuple[Example, ...] = attrs.field(eq=False, repr=False)
    options: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    limitations: str = ""
    aliases: tuple[str, ...] = ()
    shares_options: tuple[str, ...] = ()
    """Codes of rules whose value for an option of the same name this rule takes when it is
    not given one of its own (in an audit's ``options``).

    Two rules that split one question between them (ELG009 warns of an AD/CVD match, ELG010
    flags the same match once confirmed) read one setting: confirming a case for either moves
    its matches from the one to the other, instead of leaving both rules to report it, or
    neither. A value given to the rule itself wins."""
    applies: Callable[[RuleContext], str | None] | None = attrs.field(
        default=None, eq=False, repr=False
    )
    keys: Keys = attrs.field(default=_no_keys, eq=False, repr=False)
    fold: Fold = attrs.field(default=_append, eq=False, repr=False)
    needs_two: Callable[[RuleContext], bool] | None = attrs.field(
        default=None, eq=False, repr=False
    )
    """Whether a group of one entry never yields a finding, with the options in ``ctx``
    (``None``: it may).

    Most groups of the built-in rules have one member (one number, one bill, one person on
    one day), and such a group is reported by none of them. When the audit can read its
    population again, the pass then keeps only a 64-bit digest of each group key and the
    entry's position (16 bytes, not a record and a dictionary key); at the end, the entries
    of the digests met two or more times are read again and folded with :attr:`fold`, and
    only those groups are finished. An audit that cannot read its entries again (a one-shot
    iterable, a Dask DataFrame) folds every entry as it goes; both give the same findings
    (``tests/test_second_look.py`` compares them for every built-in rule). A group read again
    must have as many entries as the pass counted, or the rule is reported as an error (the
    files changed in between). The fold is then called only for the entries of groups met
    twice: a fold that fails on a lone entry's record is an error only when every entry is
    folded in the pass.
    """
    variant: Variant | None = attrs.field(default=None, eq=False, repr=False)
    """With :attr:`needs_two`: what the entry gives its group ``key`` that the rule compares,
    or ``None`` when its group must be looked at whatever the others give.

    A group whose entries all give one and the same variant then yields no finding either and
    is not read again (HTS007: a description under one number throughout). It is called in
    the pass for every key; an exception it raises is the rule's error for that entry."""
    pack: str = ""
    basis: str = "secondary"
    """The kind of source the rule rests on (:data:`~t86audit.findings.BASES`); a violation
    rule rests on a statute, a regulation, an executive order or the T86 test's Federal
    Register notice (architecture decision 14)."""
    reads: tuple[str, ...] | None = attrs.field(default=None, converter=_reads)
    """What the rule's verdict depends on, or ``None`` (the engine calls it for every line or
    entry).

    Names are ``"line.<attribute>"`` (line rules), ``"entry.<attribute>"`` and ``"period"`` (the
    id of the policy period in force on the arrival date); an attribute of an attribute may be
    named (``"entry.consignee.country"``), so a rule that reads one field of a party is keyed
    by that field alone, not by the whole party. An entry that lacks a declared input (a
    field of a field that is ``None``) is judged by calling the rule, uncached. A line rule's
    key always includes its line number. The engine evaluates the rule once per distinct value
    of these inputs and reuses the hits for every other line or entry with the same inputs
    (rules that declare the same inputs share one look-up), so a declaration must name
    *everything* the check, its messages and its options-independent helpers read: a test runs
    every rule with and without the cache and compares the findings.
    """
    same_every_day: SameEveryDay | None = attrs.field(default=None, eq=False, repr=False)
    """For a rule that reads ``entry.arrival_date``: one of its other declared inputs and a
    test of that input's value saying the rule's verdict is then the same whatever the arrival
    date (``("line.hts_number", test)``, ``test(value, ctx) -> bool``).

    The engine keys a line or entry whose input passes the test without its arrival date, so
    that a value met on many days is judged once, and remembers the test's answer per value.
    The verdict, its messages included, must then not read the date at all. Rules sharing
    inputs share one look-up only when they declare the same test.
    """
    in_force: InForce | None = attrs.field(default=None, eq=False, repr=False)
    """Whether the requirement the rule checks was law for an entry, by the policy period its
    check reads (``in_force(entry, ctx) -> bool``); ``None`` when the rule does not say (it
    is then taken to be in force on every date).

    A rule that judges only entries of some periods (FIL009: the 15-day filing limit of
    arrivals before 15 Feb 2024) finds nothing on an entry of another period. The letter
    response (:attr:`t86audit.Report.letter_response`) asks this, for the cited and sampled
    entries only, so that it lists such a rule for such an entry as not in force on its
    dates rather than as a check the entry passed; the engine never calls it. It must give
    ``False`` only where the check finds nothing whatever the entry's other fields: declare
    it from the same test the check makes, never a copy of it.

    An :class:`on_arrival` declaration is also enforced: :func:`rule` and :func:`group_rule`
    wrap the check (a group rule's ``keys``) so that it finds nothing on an entry whose
    arrival period the test rejects, and add ``"period"`` to a declared :attr:`reads`. The
    rules whose requirement is a term of the T86 test (a data element of its notices, CBP's
    Type 86 guidance) declare :data:`DURING_T86_TEST`: before 28 Sep 2019 and from 29 Aug
    2025 they stand down, and ELG001 or ELG002 is the finding.
    """
    entry_types: frozenset[str] | None = attrs.field(default=T86_ONLY, converter=_entry_types)
    """The entry types (two-digit ACE codes) the rule judges; ``None`` for every entry.

    The default, ``{"86"}``, judges Type 86 entries and entries whose type is blank or
    unreadable (presumed Type 86): entries of other types in an export (01 formal, 11
    informal) are listed in the report but never judged by a T86 rule, nor counted in a T86
    rule's groups.
    """

    @same_every_day.validator
    def _check_same_every_day(self, _attribute: object, value: SameEveryDay | None) -> None:
        if value is None:
            return
        reads = self.reads or ()
        if "entry.arrival_date" not in reads or value[0] not in reads:
            msg = (
                f"{self.code}: same_every_day names {value[0]!r}; the rule must read it and "
                f"'entry.arrival_date' (it reads {list(reads)})"
            )
            raise RuleDefinitionError(msg)

    def judges(self, entry_type: str) -> bool:
        """Whether the rule judges entries of this (judged) type: ``"86"`` or another code."""
        return self.entry_types is None or entry_type in self.entry_types

    @property
    def family(self) -> str:
        """The code's letter prefix, e.g. ``VAL``."""
        return self.code.rstrip("0123456789")

    def with_options(self, **options: Any) -> Rule:
        """A copy of the rule with some option defaults changed (unknown names raise)."""
        unknown = set(options) - set(self.options)
        if unknown:
            msg = f"{self.code} has no option(s) {sorted(unknown)}; it has {sorted(self.options)}"
            raise RuleDefinitionError(msg)
        return attrs.evolve(self, options={**self.options, **options})

    def matches(self, selector: str) -> bool:
        """Whether a ``--select`` / ``--ignore`` token names this rule (code, alias or prefix)."""
        token = selector.strip().upper()
        if not token:
            return False
        return any(code.startswith(token) for code in (self.code, *self.aliases))


def _validate(
    *,
    code: str,
    name: str,
    citations: Sequence[Citation],
    summary: str,
    rationale: str,
    reasonable_care: str,
    examples: Sequence[Example],
    options: Mapping[str, Any],
    severity: Severity | None = None,
    basis: str | None = None,
) -> None:
    where = f"rule {code!r}"
    if not CODE_RE.match(code):
        msg = f"{where}: code must be 2-4 capital letters and 3 digits (e.g. VAL001)"
        raise RuleDefinitionError(msg)
    if not NAME_RE.match(name):
        msg = f"{where}: name {name!r} must be kebab-case (e.g. entry-value-over-threshold)"
        raise RuleDefinitionError(msg)
    if not citations or not all(isinstance(c, Citation) for c in citations):
        msg = f"{where}: at least one Citation is required"
        raise RuleDefinitionError(msg)
    for label, text in (
        ("summary", summary),
        ("rationale", rationale),
        ("reasonable_care", reasonable_care),
    ):
        if not text or not text.strip():
            msg = f"{where}: {label} is required"
            raise RuleDefinitionError(msg)
    if "\n" in summary.strip():
        msg = f"{where}: summary must be one line"
        raise RuleDefinitionError(msg)
    if not any(e.is_flagged for e in examples) or not any(not e.is_flagged for e in examples):
        msg = f"{where}: needs at least one flagged and one passing Example"
        raise RuleDefinitionError(msg)
    if basis is not None and basis not in BASES:
        msg = f"{where}: basis {basis!r} must be one of {', '.join(BASES)}"
        raise RuleDefinitionError(msg)
    if severity is Severity.VIOLATION and basis not in BINDING_BASES:
        msg = (
            f"{where}: a violation must rest on a statute, a regulation, an executive order or "
            f"the T86 test's Federal Register notice; its basis is {basis!r} (make it a warning, "
            "or cite the binding text and give basis=...)"
        )
        raise RuleDefinitionError(msg)
    for example in examples:
        unknown = set(example.options) - set(options)
        if unknown:
            msg = f"{where}: example {example.title!r} sets unknown options {sorted(unknown)}"
            raise RuleDefinitionError(msg)


class _RequiredCode(TypedDict):
    """What no rule's code may leave out: the sources it rests on and its examples.

    The required keys stand apart from the optional ones so that, at run time too, the
    dictionaries below tell them apart (``NotRequired`` is lost to postponed annotations on
    3.11).
    """

    citations: Sequence[Citation]
    examples: Sequence[Example]


class RuleCode(_RequiredCode, total=False):
    """The metadata a rule declares beside its code: citations, examples and how it runs.

    A built-in rule declares only these in its decorator; its :class:`RuleProse` is in the
    catalog (:mod:`t86audit.rules._catalog`).
    """

    options: Mapping[str, Any] | None
    aliases: Sequence[str]
    shares_options: Sequence[str]
    applies: Callable[[RuleContext], str | None] | None
    entry_types: Iterable[str] | None
    in_force: InForce | None


class _RequiredProse(TypedDict):
    """What no rule's prose may leave out (apart from the rest, as :class:`_RequiredCode`)."""

    name: str
    severity: Severity | str
    summary: str
    rationale: str
    reasonable_care: str


class RuleProse(_RequiredProse, total=False):
    """The metadata that says what a rule is: its name, severity, basis and texts."""

    limitations: str
    basis: str | None


class RuleMetadata(RuleCode, RuleProse, total=False):
    """The metadata every rule declares, by keyword, to :func:`rule` and :func:`group_rule`.

    Written once so that the two decorators take, default and check it alike: ``options``
    defaults to none, ``limitations`` to ``""``, ``aliases`` to ``()``, ``applies`` to ``None``
    (the rule always runs), ``entry_types`` to :data:`T86_ONLY`, ``in_force`` to ``None`` (in
    force on every date: :attr:`Rule.in_force`) and ``basis`` to the strongest of the
    citations' bases. It is :class:`RuleCode` and :class:`RuleProse` together.
    """


def _check_keywords(decorator: str, code: str, meta: Mapping[str, Any]) -> None:
    """Refuse a missing or unknown keyword as a Python signature would, with a TypeError."""
    missing = RuleMetadata.__required_keys__ - meta.keys()
    unknown = meta.keys() - RuleMetadata.__required_keys__ - RuleMetadata.__optional_keys__
    if missing or unknown:
        msg = (
            f"{decorator}() for {code!r}: missing keyword(s) {sorted(missing)}, "
            f"unknown {sorted(unknown)} (see RuleMetadata)"
        )
        raise TypeError(msg)


def _declare(code: str, scope: Scope, meta: RuleMetadata) -> dict[str, Any]:
    """Check a rule's metadata and return the :class:`Rule` fields both decorators share.

    Raises:
        RuleDefinitionError: when any metadata is missing or malformed.
    """
    citations = meta["citations"]
    summary = meta["summary"]
    rationale = meta["rationale"]
    reasonable_care = meta["reasonable_care"]
    examples = meta["examples"]
    opts = dict(meta.get("options") or {})
    sev = Severity.parse(meta["severity"])
    basis = meta.get("basis")
    rests_on = basis if basis is not None else _cited_basis(citations)
    _validate(
        code=code,
        name=meta["name"],
        citations=citations,
        summary=summary,
        rationale=rationale,
        reasonable_care=reasonable_care,
        examples=examples,
        options=opts,
        severity=sev,
        basis=rests_on,
    )
    return {
        "code": code,
        "name": meta["name"],
        "severity": sev,
        "scope": scope,
        "citations": tuple(citations),
        "summary": summary.strip(),
        "rationale": rationale.strip(),
        "reasonable_care": reasonable_care.strip(),
        "examples": tuple(examples),
        "options": opts,
        "limitations": meta.get("limitations", "").strip(),
        "aliases": tuple(meta.get("aliases", ())),
        "shares_options": tuple(meta.get("shares_options", ())),
        "applies": meta.get("applies"),
        "entry_types": meta.get("entry_types", T86_ONLY),
        "in_force": meta.get("in_force"),
        "basis": rests_on,
    }


def _cited_basis(citations: Sequence[Citation]) -> str:
    """A rule's basis when it declares none: the strongest basis among its citations."""
    return strongest_basis(getattr(c, "basis", "secondary") for c in citations)


def rule(
    code: str,
    *,
    scope: Literal["line", "entry"] = "entry",
    reads: Iterable[str] | None = None,
    same_every_day: SameEveryDay | None = None,
    **metadata: Unpack[RuleMetadata],
) -> Callable[[Check], Rule]:
    """Turn a check function into a :class:`Rule` (line or entry scope).

    The check yields :class:`~t86audit.findings.Hit` objects; the engine stamps the code, name,
    severity and citations. ``applies(ctx)`` may return a reason the rule cannot run (for
    example, a reference table the user did not supply): the rule is then reported as
    ``not_applicable``, never as passed. ``entry_types`` names the entry types the rule
    judges (default: Type 86 only; ``None`` for every entry, e.g. a rule about the entry type
    itself). ``basis`` is the kind of source the rule rests on
    (:data:`~t86audit.findings.BASES`); by default the strongest of its citations'. Declare it
    when the rule rests on a weaker source than it cites (a FAQ, beside a notice cited for
    context): a violation needs a binding basis, so severity follows the evidence.

    The metadata keywords (:class:`RuleMetadata`, shared with :func:`group_rule`): ``name``,
    ``severity``, ``citations``, ``summary``, ``rationale``, ``reasonable_care`` and
    ``examples`` are required; ``options``, ``limitations``, ``aliases``, ``applies``,
    ``entry_types``, ``in_force`` (:attr:`Rule.in_force`) and ``basis`` are optional.

    Raises:
        TypeError: when a required keyword is missing or an unknown one is given.
        RuleDefinitionError: when any metadata is missing or malformed.
    """
    _check_keywords("rule", code, metadata)
    fields = _declare(code, scope, metadata)

    in_force = fields["in_force"]
    gated_reads = _gated_reads(reads, same_every_day, in_force)

    def decorate(check: Check) -> Rule:
        if isinstance(in_force, on_arrival):
            check = Gate(check, in_force, tuple(gated_reads or ()) != tuple(reads or ()))
        return Rule(check=check, reads=gated_reads, same_every_day=same_every_day, **fields)

    return decorate


def _always(_ctx: RuleContext) -> bool:
    """``needs_two=True``: whatever the options."""
    return True


class _KeysAfter:
    """A group rule's keys that name no group for an entry :meth:`on_entry.after` rejects."""

    __slots__ = ("in_force", "keys")

    def __init__(self, keys: Keys, in_force: on_entry) -> None:
        self.keys = keys
        self.in_force = in_force

    def __call__(self, entry: Entry, ctx: RuleContext) -> Iterable[Hashable]:
        # Called for every entry: only a T86 transmitted on a later day than the arrival is
        # asked the test (most are not; the filing day is one the filing rules ask for anyway).
        day = entry.filed_day
        if day is not None and day > entry.arrival_date and not self.in_force.after(entry, ctx):
            return ()
        return self.keys(entry, ctx)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_KeysAfter, (self.keys, self.in_force))

    def __repr__(self) -> str:
        return f"{self.in_force!r}.after({getattr(self.keys, '__qualname__', self.keys)})"


def group_rule(
    code: str,
    *,
    keys: Keys,
    fold: Fold | None = None,
    needs_two: NeedsTwo = False,
    variant: Variant | None = None,
    **metadata: Unpack[RuleMetadata],
) -> Callable[[Finish], Rule]:
    """Turn a ``finish(key, state, ctx)`` function into a group-scope :class:`Rule`.

    ``keys(entry, ctx)`` names the groups an entry belongs to (none, one or several).
    ``fold(state, entry, ctx)`` adds the entry to a group's state (``state`` is ``None`` for the
    first entry); the default keeps a list of the group's entries. Memory grows with the number
    of keys and what ``fold`` keeps, never with the number of rules: keep compact records
    (:func:`collect_records`) rather than entries when a rule groups most of the population.

    With ``jobs`` above 1 each worker process folds its slice of the population and the states
    of one key are joined in population order as the built-in folds keep them: a lone record
    bare, several in a list (:func:`collect`, :func:`collect_records` and the default fold all
    do). A fold that keeps another kind of state (a running total, say) must be written so
    that ``finish`` can read such a joined list, or the rule run with ``jobs=1``.

    ``needs_two`` (``True``, or a function of the rule's context for a rule whose options
    decide it) says that a group of one entry never yields a finding, ``variant`` what a
    group's entries must all agree on for it to yield none: the pass then keeps a digest per
    group key instead of the fold's state (see :attr:`Rule.needs_two`). Both require a fold
    that keeps records of the built-in shape, as ``jobs`` above 1 does.

    The metadata keywords are :func:`rule`'s (:class:`RuleMetadata`).

    Raises:
        TypeError: when a required keyword is missing or an unknown one is given.
        RuleDefinitionError: when any metadata is missing or malformed.
        ValueError: ``variant`` without ``needs_two``.
    """
    _check_keywords("group_rule", code, metadata)
    if variant is not None and needs_two is False:
        msg = f"{code}: variant goes with needs_two"
        raise ValueError(msg)
    fields = _declare(code, "group", metadata)
    in_force = fields["in_force"]
    # An on_arrival rule puts an entry of a period it does not judge in no group, so that such
    # an entry neither gets its finding nor counts towards another entry's.
    grouped = Gate(keys, in_force) if isinstance(in_force, on_arrival) else keys
    if isinstance(in_force, on_entry):
        # The engine calls the keys inside the gate where the arrival period's answer is yes;
        # a late T86 transmitted when the requirement was no longer law joins no group either.
        grouped = Gate(_KeysAfter(keys, in_force), in_force)

    def decorate(finish: Finish) -> Rule:
        return Rule(
            check=finish,
            keys=grouped,
            fold=fold or _append,
            needs_two=_always if needs_two is True else (needs_two or None),
            variant=variant,
            **fields,
        )

    return decorate


@attrs.frozen
class RulePack:
    """A named, versioned set of rules claiming code prefixes.

    Every rule's code must start with one of ``prefixes``; codes and names must be unique.
    Register a pack under the ``t86audit.rules`` entry-point group to make it available::

        [project.entry-points."t86audit.rules"]
        acme = "acme_t86_rules:PACK"
    """

    name: str
    version: str
    prefixes: tuple[str, ...] = attrs.field(converter=_str_tuple)
    rules: tuple[Rule, ...] = attrs.field(converter=_rule_tuple)
    description: str = ""
    docs_url: str = ""

    def __attrs_post_init__(self) -> None:
        from t86audit.exceptions import DuplicateRuleError  # noqa: PLC0415

        if not self.prefixes:
            msg = f"rule pack {self.name!r} claims no code prefix"
            raise RuleDefinitionError(msg)
        for prefix in self.prefixes:
            if not re.fullmatch(r"[A-Z]{2,4}", prefix):
                msg = f"rule pack {self.name!r}: prefix {prefix!r} must be 2-4 capital letters"
                raise RuleDefinitionError(msg)
        codes: dict[str, str] = {}
        names: dict[str, str] = {}
        for r in self.rules:
            if r.family not in self.prefixes:
                msg = (
                    f"rule pack {self.name!r}: rule {r.code} does not start with a claimed "
                    f"prefix ({', '.join(self.prefixes)})"
                )
                raise RuleDefinitionError(msg)
            for code in (r.code, *r.aliases):
                if code in codes:
                    msg = (
                        f"rule pack {self.name!r}: code {code} used by {codes[code]} and {r.code}"
                    )
                    raise DuplicateRuleError(msg)
                codes[code] = r.code
            if r.name in names:
                msg = (
                    f"rule pack {self.name!r}: name {r.name!r} used by {names[r.name]} "
                    f"and {r.code}"
                )
                raise DuplicateRuleError(msg)
            names[r.name] = r.code
        stamped = tuple(
            sorted((attrs.evolve(r, pack=self.name) for r in self.rules), key=lambda r: r.code)
        )
        object.__setattr__(self, "rules", stamped)
