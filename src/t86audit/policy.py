"""The dated policy table: which law was in force on a given arrival date.

Brokers audit past years, so every date-dependent rule asks this table what applied on the
entry's date of arrival instead of hard-coding today's law. The table encodes section 1 of the
project's domain reference (``docs/concepts.md`` summarises it); each change of law is a
:class:`Milestone`, and the stretch between two milestones is a :class:`PolicyPeriod`. The
bundled milestones are data, ``policy.toml`` beside this module, where their dates read as the
reference's timeline does; each cites its sources by their ids in ``citations.toml``.

Cut-overs that CBP announced "at 12:01 a.m. Eastern" are modelled as starting on that calendar
day: arrival dates are U.S. Eastern calendar days, and no entry arrives in the first minute of a
day in a way an arrival *date* can tell apart. A filing *time* can: :meth:`PolicyTable.at_instant`
puts a T86 transmitted in the minute before such a cut-over (a milestone's ``starts_at``) in the
period before it.

>>> import datetime as dt
>>> table = default_policy()
>>> table.at(dt.date(2025, 5, 2)).china_hk_excluded
True
>>> table.at(dt.date(2025, 5, 1)).china_hk_excluded
False
"""

from __future__ import annotations

import bisect
import datetime as dt
import tomllib
from collections.abc import Sequence
from decimal import Decimal
from functools import cache

import attrs

from t86audit._citations import cites
from t86audit.findings import Citation
from t86audit.model import us_eastern
from t86audit.reference._data import package_bytes


__all__ = [
    "POLICY_FILE",
    "POLICY_TABLE_VERSION",
    "Milestone",
    "PolicyPeriod",
    "PolicyTable",
    "default_policy",
    "parse_milestones",
]

POLICY_TABLE_VERSION = "2026-11-28"
"""Version of the bundled policy table: the date of the domain reference it encodes."""


@attrs.frozen
class Milestone:
    """A change of law on a date, and what it changed.

    ``changes`` maps :class:`PolicyPeriod` attribute names to their new values from ``date`` on.
    ``starts_at`` is the U.S. Eastern time of day the change took effect: midnight, or 12:01 a.m.
    for the executive orders that apply to goods "entered ... on or after 12:01 a.m." that day.
    """

    date: dt.date
    key: str
    title: str
    changes: dict[str, object] = attrs.field(hash=False)
    citations: tuple[Citation, ...] = ()
    confidence: str = "V"
    starts_at: dt.time = dt.time(0)


@attrs.frozen
class PolicyPeriod:
    """The law in force during ``[start, end)``.

    Attributes:
        id: a stable identifier, the ``key`` of the milestone that opened the period.
        start: first day of the period.
        end: first day after it, ``None`` if open-ended.
        title: what opened the period.
        threshold_usd: the Section 321 de minimis value threshold per person per day. It keeps
            the statutory figure after 29 Aug 2025, but no threshold is available then: the
            exemption was suspended for all countries (EO 14324), and commercial de minimis is
            repealed from 1 Jul 2027 (Pub. L. 119-21 sec. 70531(b)).
        t86_available: whether ACE accepted Type 86 entries (the test, 28 Sep 2019 to 28 Aug 2025).
        filing_deadline_days: days after arrival within which a T86 could be filed; ``0`` means
            "prior to or upon arrival" (from 15 Feb 2024).
        eda_required: whether the estimated date of arrival was mandatory (from 25 Jul 2024).
        china_hk_excluded: whether goods of China or Hong Kong origin were ineligible.
        vague_description_messaging: whether CBP's national cargo messaging on vague
            descriptions was live (from 1 Apr 2024); the duty to describe precisely is older.
        chapter_98_barred: whether CBP had said in writing that Chapter 98 is not usable on a T86.
        penalty_1321c: whether the 19 U.S.C. 1321(c) civil penalty applied (3 Aug 2025 on).
        ace_aggregation: whether ACE withheld release once a consignee's day passed $800.
        starts_at: the U.S. Eastern time of day on ``start`` from which the period is in force
            (12:01 a.m. for the executive orders' cut-overs); only a filing time can tell it.
    """

    id: str
    start: dt.date
    end: dt.date | None
    title: str
    threshold_usd: Decimal
    t86_available: bool
    filing_deadline_days: int | None
    eda_required: bool
    china_hk_excluded: bool
    vague_description_messaging: bool
    chapter_98_barred: bool
    penalty_1321c: bool
    ace_aggregation: bool
    citations: tuple[Citation, ...] = ()
    starts_at: dt.time = dt.time(0)

    def contains(self, day: dt.date) -> bool:
        """Whether ``day`` falls in this period."""
        return self.start <= day and (self.end is None or day < self.end)

    @property
    def exemption_ended(self) -> str | None:
        """Why no value qualified for de minimis in this period, or ``None`` while one could.

        From 29 Aug 2025 the exemption was suspended for all countries (EO 14324), and from
        1 Jul 2027 commercial de minimis is repealed: :attr:`threshold_usd` keeps the statute's
        figure, but it no longer divides eligible shipments from others.
        """
        return _EXEMPTION_ENDED.get(self.id)

    def summary(self) -> str:
        """The law in force, in a few words: threshold, T86, filing deadline, EDA, gates.

        From 29 Aug 2025 no threshold is given: the exemption itself was suspended for all
        countries, and from 1 Jul 2027 commercial de minimis is repealed.

        >>> import datetime as dt
        >>> print(default_policy().at(dt.date(2025, 9, 3)).summary())
        de minimis exemption suspended for all countries (EO 14324): $800 threshold not \
available; T86 not available; 19 U.S.C. 1321(c) penalty in force
        """
        ended = self.exemption_ended
        parts = [ended] if ended else [f"threshold ${self.threshold_usd}"]
        if not self.t86_available:
            parts.append("T86 not available")
        else:
            if self.filing_deadline_days == 0:
                parts.append("T86 filed before or upon arrival")
            elif self.filing_deadline_days is not None:
                parts.append(f"T86 filed within {self.filing_deadline_days} days after arrival")
            if self.eda_required:
                parts.append("EDA required")
            parts.append(
                "China/Hong Kong goods ineligible"
                if self.china_hk_excluded
                else "China/Hong Kong goods eligible"
            )
        if self.penalty_1321c:
            parts.append("19 U.S.C. 1321(c) penalty in force")
        return "; ".join(parts)

    def describe(self) -> str:
        """One line: ``id (start to end), opened by <title>: <summary>``.

        >>> import datetime as dt
        >>> print(default_policy().at(dt.date(2024, 10, 15)).describe())  # doctest: +ELLIPSIS
        chapter-98-clarified (2024-10-04 to 2025-02-03), opened by CBP: Chapter 98 not usable \
on T86; report Chapter 1-97 numbers: threshold $800; T86 filed before or upon arrival; \
EDA required; China/Hong Kong goods eligible
        """
        end = "open" if self.end is None else (self.end - dt.timedelta(days=1)).isoformat()
        return f"{self.id} ({self.start.isoformat()} to {end}), opened by {self.title}: " + (
            self.summary()
        )


_BASE: dict[str, object] = {
    "threshold_usd": Decimal(200),
    "t86_available": False,
    "filing_deadline_days": None,
    "eda_required": False,
    "china_hk_excluded": False,
    "vague_description_messaging": False,
    "chapter_98_barred": False,
    "penalty_1321c": False,
    "ace_aggregation": False,
}

_EXEMPTION_ENDED: dict[str, str] = {
    "t86-ended": (
        "de minimis exemption suspended for all countries (EO 14324): $800 threshold not available"
    ),
    "statutory-end": (
        "commercial de minimis repealed (Pub. L. 119-21 sec. 70531(b)): "
        "$800 threshold not available"
    ),
}
"""What :meth:`PolicyPeriod.summary` says in place of a threshold, by period id."""

POLICY_FILE = "policy.toml"
"""The bundled policy table's milestones (package data of :mod:`t86audit`)."""

_MILESTONE_KEYS = frozenset(
    {"date", "key", "title", "changes", "citations", "confidence", "starts_at"}
)
_CHANGE_KINDS: dict[str, type] = {
    "threshold_usd": str,  # a decimal string: "800", never a binary float
    "filing_deadline_days": int,
    **{name: bool for name, value in _BASE.items() if isinstance(value, bool)},
}

_KIND_WORDS = {str: 'a decimal string ("800")', int: "a whole number", bool: "true or false"}


def _change(index: int, name: str, value: object) -> object:
    """One of a milestone's changes, read as :class:`PolicyPeriod` holds it."""
    kind = _CHANGE_KINDS.get(name)
    where = f"{POLICY_FILE}: milestone {index} changes {name} = {value!r}"
    if kind is None:
        msg = f"{where}: not a field of a period ({', '.join(sorted(_CHANGE_KINDS))})"
        raise ValueError(msg)
    # bool is an int: a true/false days count, or a 1 for a flag, is refused all the same.
    if type(value) is not kind:
        msg = f"{where}: should be {_KIND_WORDS[kind]}"
        raise ValueError(msg)
    if not isinstance(value, str):  # only the threshold is text: an amount to read exactly
        return value
    try:
        return Decimal(value)
    except ArithmeticError:
        msg = f"{where}: should be {_KIND_WORDS[str]}"
        raise ValueError(msg) from None


def parse_milestones(text: str) -> tuple[Milestone, ...]:
    """The milestones of a ``policy.toml`` text, in the order of the file.

    Each names its sources by their ids in ``citations.toml`` (:func:`t86audit._citations.cite`).

    Raises:
        ValueError: text that is not TOML, a milestone with an unknown or missing key, a
            change that is no period field or not of its kind (naming the file, the milestone,
            the key and the value); :class:`~t86audit.exceptions.RuleDefinitionError` for a
            citation id that ``citations.toml`` does not have.
    """
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        msg = f"{POLICY_FILE}: {error}"
        raise ValueError(msg) from error
    if set(document) - {"milestone"}:
        msg = f"{POLICY_FILE}: only [[milestone]] tables belong here, not {sorted(document)}"
        raise ValueError(msg)
    tables = document.get("milestone", [])
    out: list[Milestone] = []
    for index, table in enumerate(tables, 1):
        keys = set(table)
        if keys - _MILESTONE_KEYS or not {"date", "key", "title"} <= keys:
            msg = (
                f"{POLICY_FILE}: milestone {index} has keys {sorted(keys)}; it needs date, key "
                f"and title, and may have {', '.join(sorted(_MILESTONE_KEYS - keys))}"
            )
            raise ValueError(msg)
        changes = {
            name: _change(index, name, value) for name, value in table.get("changes", {}).items()
        }
        out.append(
            Milestone(
                table["date"],
                table["key"],
                table["title"],
                changes,
                cites(*table.get("citations", ())),
                confidence=table.get("confidence", "V"),
                starts_at=table.get("starts_at", dt.time(0)),
            )
        )
    return tuple(out)


_MILESTONES: tuple[Milestone, ...] = parse_milestones(package_bytes(POLICY_FILE).decode("utf-8"))
"""The bundled table's milestones (:data:`POLICY_FILE`)."""


class PolicyTable:
    """Periods of law built from dated milestones; :meth:`at` answers for any date.

    The default table (:func:`default_policy`) encodes the project's domain reference. A user can
    build a table with other milestones (for example to test a hypothesis about a later change)
    and pass it to :func:`t86audit.audit`.
    """

    def __init__(self, milestones: Sequence[Milestone], *, version: str) -> None:
        ordered = sorted(milestones, key=lambda m: m.date)
        if not ordered:
            msg = "a policy table needs at least one milestone"
            raise ValueError(msg)
        self.version = version
        self.milestones: tuple[Milestone, ...] = tuple(ordered)
        state = dict(_BASE)
        periods: list[PolicyPeriod] = []
        for index, milestone in enumerate(ordered):
            unknown = set(milestone.changes) - set(_BASE)
            if unknown:
                msg = f"milestone {milestone.key} changes unknown fields {sorted(unknown)}"
                raise ValueError(msg)
            state.update(milestone.changes)
            end = ordered[index + 1].date if index + 1 < len(ordered) else None
            periods.append(
                PolicyPeriod(
                    id=milestone.key,
                    start=milestone.date,
                    end=end,
                    title=milestone.title,
                    citations=milestone.citations,
                    starts_at=milestone.starts_at,
                    **state,  # type: ignore[arg-type]
                )
            )
        self.periods: tuple[PolicyPeriod, ...] = tuple(periods)
        self._starts = [p.start for p in periods]

    @classmethod
    def from_periods(cls, periods: Sequence[PolicyPeriod], *, version: str) -> PolicyTable:
        """The table whose periods are ``periods`` (a report's :attr:`policy_periods`).

        Each period becomes a milestone that sets every field, so the table's periods equal
        the ones given.

        >>> table = default_policy()
        >>> PolicyTable.from_periods(table.periods, version=table.version).periods == table.periods
        True
        """
        fields = tuple(_BASE)
        return cls(
            [
                Milestone(
                    p.start,
                    p.id,
                    p.title,
                    {name: getattr(p, name) for name in fields},
                    p.citations,
                    starts_at=p.starts_at,
                )
                for p in periods
            ],
            version=version,
        )

    def at(self, day: dt.date) -> PolicyPeriod:
        """The period in force on ``day`` (an arrival date)."""
        if isinstance(day, dt.datetime):
            day = day.date()
        return self.periods[self._index(day)]

    def _index(self, day: dt.date) -> int:
        return max(bisect.bisect_right(self._starts, day) - 1, 0)

    def at_instant(self, when: dt.datetime) -> PolicyPeriod:
        """The period in force at an instant, such as the time a T86 was transmitted.

        A naive time is U.S. Eastern (the input contract's rule); an aware one is converted to
        it. A period that opened at a time of day (``starts_at``, CBP's 12:01 a.m. cut-overs)
        is not yet in force in the minutes before it on its first day.

        >>> import datetime as dt
        >>> table = default_policy()
        >>> table.at_instant(dt.datetime(2025, 8, 29, 0, 0, 30)).id
        'ace-aggregation'
        >>> table.at_instant(dt.datetime(2025, 8, 29, 4, 1, tzinfo=dt.UTC)).id
        't86-ended'
        """
        local = when if when.tzinfo is None else when.astimezone(us_eastern())
        day = local.date()
        index = self._index(day)
        period = self.periods[index]
        if index > 0 and period.start == day and local.time() < period.starts_at:
            return self.periods[index - 1]
        return period

    def milestone(self, key: str) -> Milestone:
        """The milestone with this key; ``KeyError`` if there is none."""
        for milestone in self.milestones:
            if milestone.key == key:
                return milestone
        raise KeyError(key)

    def __repr__(self) -> str:
        return f"<PolicyTable version={self.version} periods={len(self.periods)}>"


@cache
def default_policy() -> PolicyTable:
    """The bundled policy table (version :data:`POLICY_TABLE_VERSION`)."""
    return PolicyTable(_MILESTONES, version=POLICY_TABLE_VERSION)
