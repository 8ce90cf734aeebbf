"""The exposure of an audited population: every ineligible entry's estimate, totals, ranges.

:func:`assess` takes the audit's findings and the ineligible entries themselves and returns an
:class:`Exposure`: what each entry would have owed (:func:`estimate_entry`), totals by reason,
by month and by seller, the penalty ranges (:func:`penalty_ranges`) and, for each seeded random
sample, a projection of the population's loss of revenue (:func:`project_loss`). The report
carries it; :meth:`Exposure.to_dict` is its JSON form and :meth:`Exposure.worksheet_rows` the
prior-disclosure worksheet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

import attrs

from t86audit.exposure._estimate import (
    INELIGIBLE_RULES,
    PREFERENCE_NOTE,
    Amount,
    EntryExposure,
    estimate_entry,
)
from t86audit.exposure.penalties import EntryPenalty, PenaltyRanges, penalty_ranges
from t86audit.exposure.projection import Projection, project_loss
from t86audit.policy import default_policy


if TYPE_CHECKING:
    from t86audit.exposure.penalties import InterestRates
    from t86audit.exposure.tables import DutyTables
    from t86audit.findings import Finding
    from t86audit.model import Entry
    from t86audit.policy import PolicyTable
    from t86audit.sample import JudgmentSample


__all__ = [
    "EntryIdentity",
    "Exposure",
    "ExposureGroup",
    "SampleProjection",
    "assess",
    "entry_identity",
    "ineligible_reasons",
]

_ZERO = Decimal("0.00")


def _money(value: Decimal | None) -> str | None:
    # Half up, as CBP rounds and docs/estimating-exposure.md says (800.005 is 800.01).
    return None if value is None else str(value.quantize(_ZERO, rounding=ROUND_HALF_UP))


@attrs.frozen
class ExposureGroup:
    """Entries of one reason, month or seller, and what they would have owed."""

    label: str
    entries: int
    entered_value_usd: Decimal
    loss_of_revenue_usd: Decimal
    not_computable: int

    def to_dict(self) -> dict[str, Any]:
        """The group as JSON-ready data (money as decimal strings)."""
        return {
            "label": self.label,
            "entries": self.entries,
            "entered_value_usd": _money(self.entered_value_usd),
            "loss_of_revenue_usd": _money(self.loss_of_revenue_usd),
            "not_computable": self.not_computable,
        }


@attrs.frozen
class SampleProjection:
    """A seeded random sample's projection of the population's loss of revenue."""

    sample_id: str
    projection: Projection
    not_computable_in_sample: int

    def to_dict(self) -> dict[str, Any]:
        """The projection as JSON-ready data."""
        p = self.projection
        return {
            "sample": self.sample_id,
            "estimate_usd": _money(p.estimate),
            "interval_95_usd": [_money(p.low), _money(p.high)],
            "confidence": p.confidence,
            "method": p.method,
            "sample_size": p.sample_size,
            "population_size": p.population_size,
            "entries_with_loss": p.entries_with_loss,
            "not_computable_in_sample": self.not_computable_in_sample,
            "note": p.note or None,
        }


@attrs.frozen(repr=False)
class Exposure:
    """What the audited population's ineligible T86 entries would have owed.

    Attributes:
        entries: one estimate per ineligible entry, in entry-number order.
        penalty_ranges: statutory ceilings and the prior-disclosure tender (estimates, not a
            penalty assessment).
        by_reason: per rule code that made entries ineligible (an entry with several reasons
            counts under each).
        by_month: per arrival month, in date order.
        by_seller: per seller, most loss first.
        projections: one per seeded random sample; cited and judgment samples get none.
        missing: ineligible entries that could not be found again to estimate.
    """

    entries: tuple[EntryExposure, ...]
    penalty_ranges: PenaltyRanges
    by_reason: tuple[ExposureGroup, ...]
    by_month: tuple[ExposureGroup, ...]
    by_seller: tuple[ExposureGroup, ...]
    projections: tuple[SampleProjection, ...] = ()
    missing: tuple[str, ...] = ()
    """Ineligible entries that could not be read again (a one-shot iterable was audited):
    their exposure is not estimated."""
    not_projected: tuple[tuple[str, str], ...] = ()
    """Seeded random samples whose loss is not projected, each with the reason: a sampled
    ineligible entry whose loss is unknown or not computable would count as nothing, and a
    projection must not count an unestimated amount as zero (domain reference, E-6)."""
    not_priced: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """Entries a finding makes ineligible but that are not priced, each with those findings'
    codes, in entry-number order: records whose entry type is blank and whose dates rule out
    a T86 (:func:`~t86audit.rules.presumed_not_t86`). Their findings are presumed (warnings):
    they hold only if the record was a T86, which the data does not show. :attr:`notes` says
    so; no total, range or projection counts them."""

    @property
    def duty_usd(self) -> Decimal:
        """The summed duty of the computable entries (those :attr:`loss_of_revenue_usd` adds).

        An entry whose duty is known but a fee is not (no MPF row for its fiscal year) is not
        computable: its duty is left out here as from the loss, so that the duties and the
        computable entries' fees add up to the loss.
        """
        return sum(
            (e.duty_usd for e in self.entries if e.computable and e.duty_usd is not None), _ZERO
        )

    @property
    def fees_usd(self) -> Decimal:
        """The summed fees (MPF, HMF) of every entry."""
        return sum((e.fees_usd for e in self.entries), _ZERO)

    @property
    def loss_of_revenue_usd(self) -> Decimal:
        """The summed loss of revenue of the computable entries (a lower bound otherwise)."""
        return sum(
            (e.loss_of_revenue_usd for e in self.entries if e.loss_of_revenue_usd is not None),
            _ZERO,
        )

    @property
    def not_computable(self) -> int:
        """Entries whose loss of revenue could not be computed from the filed data."""
        return sum(1 for e in self.entries if not e.computable)

    def __repr__(self) -> str:
        # The totals, not every estimate: what a notebook shows of a report's exposure.
        return (
            f"<Exposure entries={len(self.entries):,} not_computable={self.not_computable:,} "
            f"loss_of_revenue_usd={_money(self.loss_of_revenue_usd)} "
            f"duty_usd={_money(self.duty_usd)} fees_usd={_money(self.fees_usd)}>"
        )

    @property
    def notes(self) -> tuple[str, ...]:
        """Notes on the estimate as a whole, said once in each report format.

        The entries not priced (:attr:`not_priced`), when there are any, and the
        trade-preference caveat, when a line's general duty carries a preference note
        (:data:`~t86audit.exposure._estimate.PREFERENCE_NOTE`).
        """
        notes = [not_priced_note(self.not_priced), preference_summary(self.entries)]
        return tuple(note for note in notes if note)

    def totals(self) -> dict[str, Any]:
        """The totals as JSON-ready data."""
        return {
            "entries": len(self.entries),
            "computable_entries": len(self.entries) - self.not_computable,
            "not_computable_entries": self.not_computable,
            "entered_value_usd": _money(sum((e.entered_value_usd for e in self.entries), _ZERO)),
            "duty_usd": _money(self.duty_usd),
            "fees_usd": _money(self.fees_usd),
            "loss_of_revenue_usd": _money(self.loss_of_revenue_usd),
            "penalty_70531_entries": sum(1 for e in self.entries if e.penalty_70531),
            "not_estimated_entries": list(self.missing),
            "by_reason": [g.to_dict() for g in self.by_reason],
            "by_month": [g.to_dict() for g in self.by_month],
            "by_seller": [g.to_dict() for g in self.by_seller],
        }

    def to_dict(self) -> dict[str, Any]:
        """The ``exposure`` object of the JSON report (``schema_version`` 2)."""
        projection = self.projections[0].to_dict() if self.projections else None
        ceilings = {p.entry_number: p for p in self.penalty_ranges.per_entry}
        return {
            "entries": [_entry_dict(e, ceilings.get(e.entry_number)) for e in self.entries],
            "totals": self.totals(),
            "penalty_ranges": _ranges_dict(self.penalty_ranges),
            "projection": projection,
            "projections": [p.to_dict() for p in self.projections],
            "projections_not_made": [
                {"sample": sample, "reason": reason} for sample, reason in self.not_projected
            ],
            "notes": list(self.notes),
            # The records left out of every amount, by entry number (the note says why).
            "not_priced": [
                {"entry_number": number, "codes": list(codes), "reason": NOT_PRICED_REASON}
                for number, codes in self.not_priced
            ],
        }

    def worksheet_rows(self) -> Iterator[dict[str, str]]:
        """The prior-disclosure worksheet: one row per entry and line, then a totals row.

        Columns: :data:`WORKSHEET_COLUMNS`. Each line row lists every amount of the line
        (provision, rate, amount); the entry's fees follow on a row of their own.
        """
        for e in self.entries:
            base = {
                "entry_number": e.entry_number,
                "arrival_date": e.arrival_date.isoformat(),
                "reasons": " ".join(e.reasons),
                "entry_kind": e.entry_kind,
                "entry_kind_note": e.entry_kind_note,
            }
            for line in e.lines:
                where = {
                    "line_number": str(line.line_number),
                    "hts_number": line.hts_number,
                    "country_of_origin": line.country_of_origin,
                    "value_usd": _money(line.value_usd) or "",
                }
                if not line.amounts:
                    yield _row(base, where, note=line.not_computable_reason or "")
                for amount in line.amounts:
                    yield _row(base, where, **_amount_cells(amount))
            entered = {"value_usd": _money(e.entered_value_usd) or ""}
            for amount in e.entry_amounts:
                yield _row(base, entered, **_amount_cells(amount))
            yield _row(
                base,
                entered,
                kind="entry total",
                provision="loss of revenue (duties and fees)",
                amount_usd=_money(e.loss_of_revenue_usd) or "",
                note=e.not_computable_reason,
            )
        lower = (
            [f"{self.not_computable} entries not computable: the total is a lower bound"]
            if self.not_computable
            else []
        )
        yield _row(
            {"entry_number": "TOTAL"},
            {"value_usd": _money(sum((e.entered_value_usd for e in self.entries), _ZERO)) or ""},
            kind="total",
            provision="loss of revenue of the computable entries",
            amount_usd=_money(self.loss_of_revenue_usd) or "",
            note="; ".join((*lower, *self.notes)),
        )


_NAMED_ENTRIES = 10
"""Entries the preference summary names; every line's note is in the JSON and worksheet."""


def _named(numbers: Sequence[str]) -> str:
    """The first :data:`_NAMED_ENTRIES` entry numbers, and how many more."""
    more = len(numbers) - _NAMED_ENTRIES
    return ", ".join(numbers[:_NAMED_ENTRIES]) + (f" and {more} more" if more > 0 else "")


NOT_PRICED_REASON = (
    "entry type blank or unreadable, and no T86 could be made on its dates: presumed a formal "
    "or informal entry, its findings warnings (confirm its type)"
)
"""Why an entry of :attr:`Exposure.not_priced` is not priced, as the JSON report gives it."""


def not_priced_note(not_priced: Sequence[tuple[str, Sequence[str]]]) -> str:
    """The note on the entries :attr:`Exposure.not_priced` lists; empty when there are none."""
    if not not_priced:
        return ""
    one = len(not_priced) == 1
    codes = ", ".join(sorted({code for _, reasons in not_priced for code in reasons}))
    return (
        f"Not priced: {len(not_priced)} {'entry' if one else 'entries'} "
        f"({_named([number for number, _ in not_priced])}) whose entry type is blank or "
        f"unreadable and which {'was' if one else 'were'} entered when no T86 could be made "
        "(before the Type 86 test began or after it ended). Such a record is a T86 only by "
        "presumption (FIL015), and more likely a formal (01) or informal (11) entry the export "
        f"included: its findings ({codes}) are warnings that hold only if it was a T86. No "
        "duty, fee, penalty ceiling or projection counts "
        f"{'it' if one else 'them'}, and a random sample holding one is not projected. Confirm "
        "each record's entry type: a record that was a T86 would owe what a lawful entry "
        "would have paid, which these totals leave out."
    )


def preference_summary(entries: Sequence[EntryExposure]) -> str:
    """The once-per-report caveat of the lines whose general duty a preference may have spared.

    Empty when no line carries a preference note. Counts the lines and entries, adds their
    general duty (each line's once, whatever the number of programmes named) and names the
    programmes and the first entries; the amounts themselves are unchanged.
    """
    lines = 0
    duty = _ZERO
    programs: dict[str, int] = {}
    named: list[str] = []
    for e in entries:
        if e.section321:
            continue
        for line in e.lines:
            found = [
                m
                for a in line.amounts
                if a.kind == "duty"
                for m in PREFERENCE_NOTE.finditer(a.note)
            ]
            if not found:
                continue
            lines += 1
            duty += Decimal(found[0].group(2))
            for m in found:
                programs[m.group(1)] = programs.get(m.group(1), 0) + 1
            if e.entry_number not in named:
                named.append(e.entry_number)
    if not lines:
        return ""
    which = ", ".join(
        f"{name} {n} {'line' if n == 1 else 'lines'}" for name, n in sorted(programs.items())
    )
    shown = _named(named)
    return (
        f"Trade preferences: {lines} {'line' if lines == 1 else 'lines'} of {len(named)} "
        f"{'entry' if len(named) == 1 else 'entries'} ({shown}) are of an origin with a "
        f"preference programme in force on the rate date ({which}) whose indicator the "
        "subheading's special column prints (or, for NAFTA, whose rates the bundled 2025 "
        f"schedule no longer carries). Their general duty, ${duty:,.2f}, is charged in full: "
        "if the goods met the programme's rules of origin and a claim was made, some or all of "
        "it would not have been owed, so the duties and loss shown may overstate what is owed. "
        "Whether the goods qualified is not known from T86 data and the preference is not "
        "estimated; each line's note gives the special rate. Programme dates other than "
        "USMCA's (1 Jul 2020) and NAFTA's end are UNVERIFIED, and GSP (lapsed 1 Jan 2021), "
        "AGOA and the Caribbean programmes are not modelled."
    )


WORKSHEET_COLUMNS: tuple[str, ...] = (
    "entry_number",
    "arrival_date",
    "reasons",
    "entry_kind",
    "entry_kind_note",
    "line_number",
    "hts_number",
    "country_of_origin",
    "value_usd",
    "kind",
    "provision",
    "rate",
    "amount_usd",
    "source",
    "rate_date",
    "note",
)
"""The columns of the prior-disclosure worksheet (:meth:`Exposure.worksheet_rows`)."""


def _row(*parts: dict[str, str], **cells: str) -> dict[str, str]:
    """A worksheet row: every column, blank unless ``parts`` or ``cells`` fill it."""
    row = dict.fromkeys(WORKSHEET_COLUMNS, "")
    for part in parts:
        row.update(part)
    row.update(cells)
    return row


def _amount_dict(a: Amount) -> dict[str, Any]:
    """An amount in the JSON report.

    Written out rather than ``attrs.asdict``: an audit has an amount or two per line of each
    entry assessed, and ``asdict`` takes some 20 µs an amount.
    """
    return {
        "kind": a.kind,
        "provision": a.provision,
        "rate": a.rate,
        "amount_usd": _money(a.amount_usd),
        "source": a.source,
        "rate_date": a.rate_date.isoformat() if a.rate_date else None,
        "note": a.note,
    }


def _amount_cells(amount: Amount) -> dict[str, str]:
    """An amount's worksheet cells: its values in the JSON report, a blank cell for ``null``."""
    return {k: "" if v is None else v for k, v in _amount_dict(amount).items()}


def _entry_dict(e: EntryExposure, ceiling: EntryPenalty | None = None) -> dict[str, Any]:
    return {
        "penalty_ceilings": None
        if ceiling is None
        else {
            "negligence_usd": _money(ceiling.negligence_usd),
            "gross_negligence_usd": _money(ceiling.gross_negligence_usd),
            "fraud_usd": _money(ceiling.fraud_usd),
            "interest_usd": _money(ceiling.interest_usd),
            "penalty_70531_usd": _money(ceiling.penalty_70531_usd),
        },
        "entry_number": e.entry_number,
        "arrival_date": e.arrival_date.isoformat(),
        "reasons": list(e.reasons),
        "entry_kind": e.entry_kind,
        "entry_kind_note": e.entry_kind_note,
        "entered_value_usd": _money(e.entered_value_usd),
        "duty_usd": _money(e.duty_usd) if e.computable else None,
        "fees_usd": _money(e.fees_usd) if e.computable else None,
        "loss_of_revenue_usd": _money(e.loss_of_revenue_usd) if e.computable else None,
        "computable": e.computable,
        "not_computable_reason": e.not_computable_reason,
        "penalty_70531": e.penalty_70531,
        "not_estimated": list(e.not_estimated),
        "lines": [
            {
                "line_number": line.line_number,
                "hts_number": line.hts_number,
                "country_of_origin": line.country_of_origin,
                "computable": line.computable,
                "not_computable_reason": line.not_computable_reason,
                "amounts": [_amount_dict(a) for a in line.amounts],
            }
            for line in e.lines
        ],
        "entry_amounts": [_amount_dict(a) for a in e.entry_amounts],
    }


def _ranges_dict(r: PenaltyRanges) -> dict[str, Any]:
    return {
        "statement": r.statement,
        "entries": r.entries,
        "computable_entries": r.computable_entries,
        "loss_of_revenue_usd": _money(r.loss_of_revenue_usd),
        "dutiable_value_usd": _money(r.dutiable_value_usd),
        "ceilings": [attrs.asdict(c, value_serializer=_serial) for c in r.ceilings],
        "prior_disclosure_tender_usd": _money(r.prior_disclosure_tender_usd),
        "interest_usd": _money(r.interest_usd),
        "s70531_entries": r.s70531_entries,
        "s70531_ceiling_usd": _money(r.s70531_ceiling_usd),
        "notes": list(r.notes),
    }


def _serial(_instance: Any, _field: Any, value: Any) -> Any:
    if isinstance(value, Decimal):
        return _money(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


EntryIdentity = tuple[str, str, int | None]
"""An entry as the exposure tells entries apart: number as filed, source, first input row.

Two entries that share a number (FIL003's finding) are two entries here, each estimated."""


def entry_identity(entry: Entry | Finding) -> EntryIdentity:
    """The :data:`EntryIdentity` of an entry, or of the entry a finding is about."""
    number = entry.entry_number if isinstance(entry.entry_number, str) else entry.number
    rows = entry.source_rows
    return (str(number), entry.source, rows[0] if rows else None)


def ineligible_reasons(findings: Iterable[Finding]) -> dict[EntryIdentity, tuple[str, ...]]:
    """Per entry (:data:`EntryIdentity`), the rule codes that make it ineligible for T86.

    Waived findings do not count: a reviewer set them aside. Findings of any severity count
    (ELG010, a confirmed AD/CVD scope, is a warning because its basis is guidance, but the
    goods still needed another entry type).
    """
    out: dict[EntryIdentity, set[str]] = {}
    for f in findings:
        if f.code in INELIGIBLE_RULES and not f.waived:
            out.setdefault(entry_identity(f), set()).add(f.code)
    return {key: tuple(sorted(codes)) for key, codes in out.items()}


def _groups(
    items: Iterable[tuple[str, EntryExposure]], *, by_loss: bool
) -> tuple[ExposureGroup, ...]:
    acc: dict[str, list[Decimal | int]] = {}
    for label, e in items:
        slot = acc.setdefault(label, [0, _ZERO, _ZERO, 0])
        slot[0] = int(slot[0]) + 1
        slot[1] = Decimal(slot[1]) + e.entered_value_usd
        slot[2] = Decimal(slot[2]) + (e.loss_of_revenue_usd or _ZERO)
        slot[3] = int(slot[3]) + (0 if e.computable else 1)
    groups = [
        ExposureGroup(label, int(n), Decimal(value), Decimal(loss), int(missing))
        for label, (n, value, loss, missing) in acc.items()
    ]
    if by_loss:
        groups.sort(key=lambda g: (-g.loss_of_revenue_usd, g.label))
    else:
        groups.sort(key=lambda g: g.label)
    return tuple(groups)


def assess(
    findings: Sequence[Finding],
    entries: Mapping[EntryIdentity, Entry],
    *,
    samples: Sequence[JudgmentSample] = (),
    population_size: int = 0,
    tables: DutyTables | None = None,
    sellers: int = 20,
    interest_rates: InterestRates | None = None,
    policy: PolicyTable | None = None,
) -> Exposure:
    """The exposure of the ineligible entries among ``findings``.

    Args:
        findings: the audit's findings (waived ones are set aside).
        entries: the ineligible entries, by :func:`entry_identity` (at least those
            :func:`ineligible_reasons` names; others are ignored).
        samples: the audit's samples; each seeded random sample gets a projection.
        population_size: entries in the population the samples were drawn from.
        tables: the duty tables (default: the bundled ones).
        sellers: how many sellers ``by_seller`` lists.
        interest_rates: the rates of a prior disclosure's interest, when the user has them.
        policy: the audit's dated policy table (its threshold decides which entries kept the
            Section 321 exemption); the bundled one by default.
    """
    reasons = ineligible_reasons(findings)
    return assess_estimated(
        findings,
        estimate_entries(
            (entries[key] for key in reasons if key in entries), reasons, tables, policy
        ),
        samples=samples,
        population_size=population_size,
        sellers=sellers,
        interest_rates=interest_rates,
    )


@attrs.frozen
class Estimated:
    """An ineligible entry's estimate and the seller it is grouped under (``by_seller``).

    ``exposure`` is ``None`` for an entry that is not priced: a record whose type is blank
    and whose dates rule out a T86 (:func:`~t86audit.rules.presumed_not_t86`).
    """

    exposure: EntryExposure | None
    seller: str


def estimate_entries(
    entries: Iterable[Entry],
    reasons: Mapping[EntryIdentity, Sequence[str]],
    tables: DutyTables | None,
    policy: PolicyTable | None = None,
) -> dict[EntryIdentity, Estimated]:
    """The estimates of the ``entries`` that ``reasons`` names, by identity.

    The first entry of each identity is estimated; entries not named are ignored. What
    :func:`assess` does for each ineligible entry, apart so that the Dask adapter can
    estimate where the entries are (each worker its files) and send back only the estimates.
    An entry whose type is blank and whose dates rule out a T86 is not priced (its
    ``exposure`` is ``None``): every finding that makes it ineligible rests on the presumption
    that it was a T86, and the rules mark those findings presumed by the same test
    (:func:`~t86audit.rules.presumed_not_t86`).
    """
    from t86audit.rules._base import presumed_not_t86  # noqa: PLC0415  (loads the rules)

    table = policy or default_policy()
    found: dict[EntryIdentity, Estimated] = {}
    for entry in entries:
        key = entry_identity(entry)
        codes = reasons.get(key)
        if codes is None or key in found:
            continue
        seller = entry.seller.name.strip()
        if presumed_not_t86(entry, table):
            found[key] = Estimated(None, seller)
        else:
            found[key] = Estimated(_estimate(entry, codes, tables, table), seller)
    return found


def assess_estimated(
    findings: Sequence[Finding],
    estimated: Mapping[EntryIdentity, Estimated],
    *,
    samples: Sequence[JudgmentSample] = (),
    population_size: int = 0,
    sellers: int = 20,
    interest_rates: InterestRates | None = None,
) -> Exposure:
    """:func:`assess` of entries already estimated (:func:`estimate_entries`)."""
    reasons = ineligible_reasons(findings)
    found = [(key, estimated[key]) for key in sorted(reasons, key=_sortable) if key in estimated]
    priced = [(key, e.exposure, e.seller) for key, e in found if e.exposure is not None]
    unpriced = {key for key, e in found if e.exposure is None}
    estimates = tuple(exposure for _, exposure, _ in priced)
    by_key = {key: exposure for key, exposure, _ in priced}
    not_found = tuple(sorted({key[0] for key in reasons if key not in estimated}))
    by_reason = _groups(((code, e) for e in estimates for code in e.reasons), by_loss=False)
    by_month = _groups(((e.arrival_date.strftime("%Y-%m"), e) for e in estimates), by_loss=False)
    by_seller = _groups(
        ((seller or "(blank)", exposure) for _, exposure, seller in priced),
        by_loss=True,
    )
    projections: list[SampleProjection] = []
    not_projected: list[tuple[str, str]] = []
    for sample in samples:
        if not sample.projectable or sample.seed is None:
            continue
        losses, reason = _sample_losses(sample, by_key, reasons, unpriced)
        if reason:
            not_projected.append((sample.id, reason))
            continue
        try:
            projection = project_loss(
                losses, max(population_size, len(losses)), seed=int(sample.seed)
            )
        except ValueError:
            not_projected.append((sample.id, "a sample of one entry projects nothing"))
            continue
        projections.append(SampleProjection(sample.id, projection, 0))
    return Exposure(
        entries=estimates,
        penalty_ranges=penalty_ranges(estimates, interest_rates=interest_rates),
        by_reason=by_reason,
        by_month=by_month,
        by_seller=by_seller[:sellers],
        projections=tuple(projections),
        missing=not_found,
        not_projected=tuple(not_projected),
        not_priced=tuple((key[0], reasons[key]) for key in sorted(unpriced, key=_sortable)),
    )


def _sample_losses(
    sample: JudgmentSample,
    by_key: Mapping[EntryIdentity, EntryExposure],
    reasons: Mapping[EntryIdentity, tuple[str, ...]],
    unpriced: Collection[EntryIdentity],
) -> tuple[list[Decimal], str]:
    """The sampled entries' losses (0 for an eligible one), and why no projection is made.

    The reason is empty when the sample can be projected. It is not when a sampled entry is
    not priced (:attr:`Exposure.not_priced`), or is ineligible with a loss not estimated or
    not computable: counted as nothing, such a loss would make the projection understate the
    population's loss, and look exact while doing so.
    """
    losses: list[Decimal] = []
    unknown: list[str] = []  # ineligible, but not found again: the loss is unknown
    uncomputed: list[str] = []  # estimated, but the loss could not be computed
    presumed: list[str] = []  # not priced: a T86 only by presumption
    for entry in sample.entries:
        key = entry_identity(entry)
        e = by_key.get(key)
        if key in unpriced:
            presumed.append(entry.number)
        elif e is None and key in reasons:
            unknown.append(entry.number)
        elif e is not None and e.loss_of_revenue_usd is None:
            uncomputed.append(entry.number)
        losses.append(Decimal(0) if e is None else (e.loss_of_revenue_usd or Decimal(0)))
    if presumed:
        # Its loss is none if the record was not a T86, and a lawful entry's if it was.
        one = len(presumed) == 1
        return losses, (
            f"{len(presumed)} sampled {'entry is' if one else 'entries are'} not priced "
            f"({_named(sorted(presumed))}): entry type blank, entered when no T86 could be "
            f"made; a projection would count {'it' if one else 'them'} as nothing, so none is "
            "made"
        )
    if not (unknown or uncomputed):
        return losses, ""
    left = sorted(uncomputed) + sorted(unknown)
    named = ", ".join(left[:5]) + (f" and {len(left) - 5} more" if len(left) > 5 else "")
    if not unknown:
        why = "not computable from the filed data"
    elif not uncomputed:
        why = "not estimated (not read again)"
    else:
        why = "not computable or not estimated"
    one = len(left) == 1
    return losses, (
        f"{len(left)} sampled ineligible {'entry has' if one else 'entries have'} a loss "
        f"{why} ({named}); a projection would count "
        f"{'it' if one else 'them'} as nothing, so none is made"
    )


def _sortable(key: EntryIdentity) -> tuple[str, str, int]:
    return (key[0], key[1], -1 if key[2] is None else key[2])


def _estimate(
    entry: Entry,
    reasons: Sequence[str],
    tables: DutyTables | None,
    policy: PolicyTable | None = None,
) -> EntryExposure:
    """:func:`estimate_entry`, or a not-computable estimate when a filed value is out of range.

    A value no table arithmetic can hold (``1E+400`` is a number the loader accepts) makes the
    entry's loss not computable, with the reason, instead of stopping the report.
    """
    try:
        return estimate_entry(entry, reasons, tables=tables, policy=policy)
    except ArithmeticError as exc:
        return EntryExposure(
            entry_number=entry.number,
            arrival_date=entry.arrival_date,
            reasons=tuple(sorted(reasons)),
            entered_value_usd=_ZERO,
            entry_kind="formal",
            entry_kind_note="",
            duty_usd=None,
            fees_usd=_ZERO,
            loss_of_revenue_usd=None,
            computable=False,
            not_computable_reason=(
                "a filed value is out of the range duty arithmetic can hold "
                f"({type(exc).__name__}); its value is left out of every total"
            ),
            penalty_70531=False,
            lines=(),
        )
