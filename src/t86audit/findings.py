"""Severities, citations, hits and findings: what rules produce and reports carry.

A rule yields small :class:`Hit` objects that say *what* it saw (entry, line, data element, what
was filed, what was required). The engine turns each hit into a :class:`Finding` by stamping the
rule's code, name, severity and citations onto it, so no rule can mislabel its own findings.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

import attrs


if TYPE_CHECKING:
    from t86audit.model import EntryNumber


__all__ = [
    "BASES",
    "BINDING_BASES",
    "Citation",
    "EntryLike",
    "Finding",
    "Hit",
    "Severity",
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


@attrs.frozen
class Citation:
    """A legal or guidance source a rule rests on.

    Attributes:
        instrument: the instrument, e.g. ``"19 CFR"``, ``"19 U.S.C."``, ``"CSMS"``, ``"89 FR"``.
        section: the section or number within it, e.g. ``"10.151"``, ``"1321(a)(2)(C)"``.
        url: where to read it, when a stable public address is known.
        note: a qualifier counsel should see, e.g. ``"CBP guidance, not a regulation"`` or
            ``"UNVERIFIED: wording not confirmed in the primary text"``.
        basis: the kind of source (:data:`BASES`), inferred by :func:`infer_basis` unless given.
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

    def __str__(self) -> str:
        return f"{self.instrument} {self.section}".strip()

    def to_dict(self) -> dict[str, str | None]:
        """The citation as a JSON-ready mapping."""
        return {
            "text": str(self),
            "instrument": self.instrument,
            "section": self.section,
            "url": self.url,
            "note": self.note,
            "basis": self.basis,
        }


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
    """

    entry: EntryLike
    message: str
    field: str | None = None
    observed: str | None = None
    expected: str | None = None
    line: int | None = None
    related: tuple[str, ...] = attrs.field(default=(), converter=_related)
    judged_on: dt.date | None = None


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
