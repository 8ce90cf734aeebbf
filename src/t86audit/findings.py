"""Severities, citations, hits and findings: what rules produce and reports carry.

A rule yields small :class:`Hit` objects that say *what* it saw (entry, line, data element, what
was filed, what was required). The engine turns each hit into a :class:`Finding` by stamping the
rule's code, name, severity and citations onto it, so no rule can mislabel its own findings.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

import attrs


if TYPE_CHECKING:
    from t86audit.model import EntryNumber


__all__ = [
    "BASES",
    "BINDING_BASES",
    "DATE_KINDS",
    "LATER_GUIDANCE",
    "Citation",
    "EntryLike",
    "Finding",
    "Hit",
    "Severity",
    "cited_on",
    "dated_basis",
    "infer_basis",
    "strongest_basis",
]

BASES: tuple[str, ...] = (
    "statute",
    "regulation",
    "executive-order",
    "federal-register",
    "guidance",
    "secondary",
    "unverified",
)
"""The kinds of source a finding can rest on, strongest first.

``statute`` (the U.S. Code, a public law), ``regulation`` (the CFR), ``executive-order`` (an
executive order or proclamation), ``federal-register`` (a Federal Register notice, such as the
T86 test notices 84 FR 40079 and 89 FR 2630), ``guidance`` (CBP guidance: FAQs, CSMS messages,
directives, rulings, ACE and CATAIR documentation, proposed rules), ``secondary`` (trade press,
carriers', vendors' and brokers' notices) and ``unverified`` (anything the domain reference marks
UNVERIFIED)."""

BINDING_BASES = frozenset({"statute", "regulation", "executive-order", "federal-register"})
"""Bases that can carry a violation; a rule resting on any other basis is at most a warning."""

_STATUTES = ("U.S.C.", "Pub. L.", "P.L.")
_ORDERS = ("EO", "Executive Order", "Presidential Proclamation")


def infer_basis(instrument: str, note: str = "") -> str:
    """The basis of a citation, read from its instrument and note (see :data:`BASES`).

    >>> infer_basis("19 CFR", ""), infer_basis("89 FR", ""), infer_basis("CSMS", "")
    ('regulation', 'federal-register', 'guidance')
    >>> infer_basis("CBP ACE", "UNVERIFIED in a primary CBP text")
    'unverified'
    """
    text = instrument.strip()
    if "UNVERIFIED" in note.upper():
        return "unverified"
    if any(mark in text for mark in _STATUTES):
        return "statute"
    if text.endswith("CFR"):
        return "regulation"
    if text in _ORDERS or text.startswith(_ORDERS[1:]):
        return "executive-order"
    if text.endswith(" FR") and text[:-3].strip().isdigit():
        return "guidance" if "proposed" in note.lower() else "federal-register"
    if text.startswith(("CBP", "CSMS", "USITC", "ITA", "U.S. Census", "Unified Agenda")):
        return "guidance"
    return "secondary"


def strongest_basis(bases: Iterable[str]) -> str:
    """The strongest of ``bases`` in the order of :data:`BASES` (``"secondary"`` if none)."""
    ranked = [BASES.index(b) for b in bases if b in BASES]
    return BASES[min(ranked)] if ranked else "secondary"


def _basis_of(citation: Citation) -> str:
    return infer_basis(citation.instrument, citation.note)


def _check_basis(_instance: object, _attribute: object, value: str) -> None:
    if value not in BASES:
        msg = f"basis must be one of {', '.join(BASES)}; got {value!r}"
        raise ValueError(msg)


class Severity(enum.Enum):
    """How serious a finding is, from most to least: violation, warning, info.

    A *violation* is a data element that breaks a cited provision on its face. A *warning* needs a
    person to look (the law needs intent, or the reference data is only indicative). An *info*
    note explains something, such as why no finding was raised.
    """

    VIOLATION = "violation"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """3 for a violation, 2 for a warning, 1 for info: larger is more serious."""
        return _RANK[self]

    def at_least(self, other: Severity) -> bool:
        """Whether this severity is as serious as ``other`` or more."""
        return self.rank >= other.rank

    @classmethod
    def parse(cls, value: str | Severity) -> Severity:
        """Read a severity from its name (``"violation"``), case-insensitively."""
        if isinstance(value, Severity):
            return value
        try:
            return cls(value.strip().lower())
        except ValueError:
            names = ", ".join(s.value for s in cls)
            msg = f"unknown severity {value!r}; expected one of {names}"
            raise ValueError(msg) from None

    def __str__(self) -> str:
        return self.value


_RANK = {Severity.VIOLATION: 3, Severity.WARNING: 2, Severity.INFO: 1}


DATE_KINDS: tuple[str, ...] = (
    "effective",
    "issued",
    "issued on or after",
    "in force by",
    "sets the date",
)
"""What a citation's :attr:`Citation.date` is.

``effective``: the day a binding source (statute, regulation, order, Federal Register notice)
took effect, which is what decides whether it governed an entry (89 FR 2630 was published on
16 Jan 2024 but governed only arrivals from 15 Feb 2024). ``issued``: the day guidance or a
secondary source was issued or published; it binds no one, so the day CBP said it is the day
that matters. ``issued on or after``: the same, where only the earliest possible day is known
(a message implementing an order cannot predate the order). ``in force by``: a lower bound
(the edition the domain reference verified, or the day a provision took its present text)
for a long-standing provision whose first day is not known; it is never taken to postdate an
entry. ``sets the date``: the source is cited for
the day it sets (84 FR 40079 for the day the T86 test began, on an entry filed before it), so
it is shown on every entry, whatever its date."""

LATER_GUIDANCE = "issued after this entry; cited as CBP's later reading of the law in force"
"""How a guidance citation dated after an entry is shown on a finding about that entry."""

_LATER_SOURCE = (
    "published after this entry; cited as a later account of the law in force, not as the "
    "basis of the finding"
)


def _check_date_kind(_instance: object, _attribute: object, value: str) -> None:
    if value not in DATE_KINDS:
        msg = f"date_kind must be one of {', '.join(DATE_KINDS)}; got {value!r}"
        raise ValueError(msg)


def _default_later(citation: Citation) -> str | None:
    # A later statute, regulation, order or notice was not law for an earlier entry and is no
    # reading of the law that was: it is left out. Guidance and secondary sources explain law
    # already in force, so they stay, marked as later.
    if citation.basis in BINDING_BASES:
        return None
    return LATER_GUIDANCE if citation.basis == "guidance" else _LATER_SOURCE


def _date_text(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


# Hashed once: a finding's citations are looked up per (citations, day) as it is stamped.
@attrs.frozen(cache_hash=True)
class Citation:
    """A legal or guidance source a rule rests on.

    Attributes:
        instrument: the instrument, e.g. ``"19 CFR"``, ``"19 U.S.C."``, ``"CSMS"``, ``"89 FR"``.
        section: the section or number within it, e.g. ``"10.151"``, ``"1321(a)(2)(C)"``.
        url: where to read it, when a stable public address is known.
        note: a qualifier counsel should see, e.g. ``"CBP guidance, not a regulation"`` or
            ``"UNVERIFIED: wording not confirmed in the primary text"``.
        basis: the kind of source (:data:`BASES`), inferred by :func:`infer_basis` unless given.
        date: the day the source governs from (a binding source's effective date) or was
            issued (guidance); what :attr:`date_kind` says. ``None`` when not known.
        date_kind: what :attr:`date` is (:data:`DATE_KINDS`).
        date_note: how the date is known, e.g. ``"published 16 Jan 2024"`` or
            ``"approximate"``; it says UNVERIFIED when the domain reference does.
        until: the first day the source no longer governs (84 FR 40079 was superseded by
            89 FR 2630 from 15 Feb 2024); ``None`` while it governs.
        later_note: how the citation is shown on a finding about an entry it postdates:
            marked with this text, or (``None``) not at all. By default a later binding source
            is not shown (it was not law then) and later guidance is shown as CBP's later
            reading (:data:`LATER_GUIDANCE`).
        later_guidance: set on a finding's copy of a citation that postdates the entry the
            finding is about (:func:`cited_on`); reports then show :attr:`later_note` with it.
    """

    instrument: str
    section: str
    url: str | None = None
    note: str = ""
    basis: str = attrs.field(
        default=attrs.Factory(_basis_of, takes_self=True), validator=_check_basis
    )
    """What kind of source it is (:data:`BASES`); read from the instrument and note unless
    given."""
    date: dt.date | None = attrs.field(default=None, kw_only=True)
    date_kind: str = attrs.field(default="effective", kw_only=True, validator=_check_date_kind)
    date_note: str = attrs.field(default="", kw_only=True)
    until: dt.date | None = attrs.field(default=None, kw_only=True)
    later_note: str | None = attrs.field(
        default=attrs.Factory(_default_later, takes_self=True), kw_only=True
    )
    later_guidance: bool = attrs.field(default=False, kw_only=True)

    def __str__(self) -> str:
        return f"{self.instrument} {self.section}".strip()

    @property
    def date_text(self) -> str:
        """The date as a reader sees it: ``"in force from 15 Feb 2024, published 16 Jan 2024"``.

        An undated citation shows its :attr:`date_note`, after the day it stopped governing if
        it has one (``"in force until 9 Mar 2016, ..."``: an earlier text of a provision whose
        first day the domain reference does not give). Empty when it says nothing of its date.
        """
        if self.date is None:
            if self.until is None:
                return self.date_note
            text = f"in force until {_date_text(self.until - dt.timedelta(days=1))}"
            return f"{text}, {self.date_note}" if self.date_note else text
        words = {
            "effective": "in force from",
            "issued": "issued",
            "issued on or after": "issued on or after",
            "in force by": "in force by",
            "sets the date": "in force from",
        }[self.date_kind]
        text = f"{words} {_date_text(self.date)}"
        last = None if self.until is None else _date_text(self.until - dt.timedelta(days=1))
        issued = self.date_kind.startswith("issued")
        if last is not None and not issued:
            text += f" until {last}"
        if self.date_note:
            text += f", {self.date_note}"
        if last is not None and issued:
            # Guidance is not in force until a day: it is cited for entries up to one.
            text += f"; cited on entries until {last}"
        return text

    def shown_on(self, day: dt.date) -> Citation | None:
        """This citation as a finding about an entry of ``day`` shows it, or ``None``.

        ``day`` is the date whose law the finding applied (the arrival date, or the date the
        hit names). A source dated after it is left out, or marked as later guidance
        (:attr:`later_note`); one superseded by then (:attr:`until`) is left out.
        """
        if self.until is not None and day >= self.until:
            return None
        date = self.date
        if date is None or date <= day or self.date_kind in ("in force by", "sets the date"):
            return self
        if self.later_note is None:
            return None
        return attrs.evolve(self, later_guidance=True)

    def to_dict(self) -> dict[str, str | bool | None]:
        """The citation as a JSON-ready mapping."""
        return {
            "text": str(self),
            "instrument": self.instrument,
            "section": self.section,
            "url": self.url,
            "note": self.note,
            "basis": self.basis,
            "date": None if self.date is None else self.date.isoformat(),
            "date_kind": self.date_kind if self.date is not None else None,
            "date_note": self.date_note,
            "later_guidance": self.later_guidance,
            "later_note": (self.later_note or "") if self.later_guidance else "",
        }


@functools.lru_cache(maxsize=4096)
def cited_on(citations: tuple[Citation, ...], day: dt.date) -> tuple[Citation, ...]:
    """The citations a finding about an entry of ``day`` shows (see :meth:`Citation.shown_on`).

    Sources in force (or issued) by ``day`` come first, in the rule's order, then the later
    guidance. Findings are few and share a rule's citations and a handful of days, so the
    answer is kept per (citations, day): every finding of one rule and day gets one tuple.

    >>> early = Citation("19 CFR", "10.151", date=dt.date(2016, 8, 26), date_kind="in force by")
    >>> later = Citation("CSMS", "60011750", date=dt.date(2024, 4, 1), date_kind="issued")
    >>> notice = Citation("89 FR", "2630", date=dt.date(2024, 2, 15))
    >>> [(str(c), c.later_guidance) for c in cited_on((notice, later, early), dt.date(2021, 6, 1))]
    [('19 CFR 10.151', False), ('CSMS 60011750', True)]
    """
    shown = [c for c in (c.shown_on(day) for c in citations) if c is not None]
    if len(shown) == len(citations) and not any(c.later_guidance for c in shown):
        return citations
    return tuple(
        sorted(shown, key=lambda c: c.later_guidance)  # stable: the rule's order within each
    )


@functools.lru_cache(maxsize=4096)
def dated_basis(
    severity: Severity, basis: str, citations: tuple[Citation, ...], day: dt.date
) -> tuple[Severity, str, tuple[Citation, ...]]:
    """A finding's severity, basis and citations on an entry of ``day`` (engine use).

    The citations are :func:`cited_on`'s. A violation needs a binding source in force on the
    day (architecture decision 14): when none of the rule's binding citations was (a rule
    pack's rule citing only a later notice, or a policy table whose dates differ from those of
    the law the rule cites), the finding is a warning resting on the strongest source shown,
    instead of a violation citing law that did not govern the entry. The built-in rules always
    keep a binding basis on the dates they judge under the default policy table (tested).
    """
    shown = cited_on(citations, day)
    if severity is not Severity.VIOLATION or not citations:
        return severity, basis, shown
    current = [c.basis for c in shown if not c.later_guidance]
    if any(b in BINDING_BASES for b in current):
        return severity, basis, shown
    return Severity.WARNING, strongest_basis(current or ["secondary"]), shown


class EntryLike(Protocol):
    """What a hit needs of its entry: an ``Entry``, or the ``EntryRef`` kept in its place.

    :class:`~t86audit.model.Entry` and :class:`~t86audit.model.EntryRef` both have these; a
    group rule that keeps compact states reports on the :attr:`~t86audit.model.Entry.ref` it
    kept, so no state has to keep the whole entry alive until the end of the pass.
    """

    @property
    def number(self) -> str:
        """The entry number as filed."""
        ...

    @property
    def entry_number(self) -> EntryNumber:
        """The entry number (its comparison key is ``entry_number.key``)."""
        ...

    @property
    def arrival_date(self) -> dt.date:
        """The date of arrival: the finding's policy period follows it."""
        ...

    @property
    def source(self) -> str:
        """Where the entry was read from."""
        ...

    @property
    def source_rows(self) -> tuple[int, ...]:
        """The rows the entry was read from."""
        ...


def _related(value: Iterable[object]) -> tuple[str, ...]:
    out: list[str] = []
    for item in value:
        number = getattr(item, "number", item)
        out.append(str(number))
    return tuple(out)


@attrs.frozen
class Hit:
    """What a rule saw: the raw material of a finding.

    Attributes:
        entry: the entry the finding is about: the :class:`~t86audit.model.Entry`, or (from a
            group rule that keeps compact states) its :attr:`~t86audit.model.Entry.ref`.
        message: states the fact and the number ("entry total 912.40 exceeds 800.00").
        field: the data element (canonical column name), e.g. ``"value_usd"``.
        observed: what was filed, as text.
        expected: what was required, as text (``"<= 800.00"``).
        line: the line number for a line-level finding, ``None`` for the entry as a whole.
        related: the other entries that caused the finding (entries or entry numbers).
        judged_on: the date whose law the rule applied, when it is not the arrival date (for
            example the filing date for the EDA requirement); the finding's policy period
            follows it.
        presumed: the finding rests on a presumption the record does not confirm (a blank
            entry type audited as a T86 on a date no T86 could be filed): a violation rule's
            finding is then a warning, since the evidence does not show the law was broken.
    """

    entry: EntryLike
    message: str
    field: str | None = None
    observed: str | None = None
    expected: str | None = None
    line: int | None = None
    related: tuple[str, ...] = attrs.field(default=(), converter=_related)
    judged_on: dt.date | None = None
    presumed: bool = False


@attrs.frozen
class Finding:
    """A hit stamped with its rule's identity: one reportable fact about one entry.

    ``entry_number`` is the entry number as filed. ``policy_period`` names the period of the
    policy table whose law the rule applied (by the arrival date, or the date the hit names).
    ``samples`` lists the ids of the samples that contain the entry. ``basis`` is the kind of
    source the rule rests on (:data:`BASES`): a violation rests on a statute, a regulation, an
    executive order or the Federal Register notice of the T86 test.
    """

    code: str
    name: str
    severity: Severity
    citations: tuple[Citation, ...]
    entry_number: str
    message: str
    field: str | None = None
    observed: str | None = None
    expected: str | None = None
    line_number: int | None = None
    related_entries: tuple[str, ...] = ()
    policy_period: str = ""
    samples: tuple[str, ...] = ()
    waived: bool = False
    waiver_reason: str = ""
    source: str = attrs.field(default="", eq=False)
    source_rows: tuple[int, ...] = attrs.field(default=(), eq=False)
    basis: str = ""

    def sort_key(self) -> tuple[int, str, str, int, str]:
        """Severity (most serious first), code, entry number, line, message."""
        return (
            -self.severity.rank,
            self.code,
            self.entry_number,
            -1 if self.line_number is None else self.line_number,
            self.message,
        )
