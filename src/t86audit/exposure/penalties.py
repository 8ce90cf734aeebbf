"""Statutory penalty ceilings (19 U.S.C. 1592(c)), prior-disclosure tender and s.70531 amounts.

These are **statutory ceilings and estimates, not a penalty assessment and not legal advice**.
CBP's mitigation guidelines (19 CFR part 171 appendix B) usually put actual penalties far below
the ceilings; culpability is a legal judgment the filed data cannot make.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

import attrs

from t86audit.exposure._estimate import EntryExposure
from t86audit.exposure._rates import money


__all__ = [
    "BROKER_PENALTY_NOTE",
    "PENALTY_STATEMENT",
    "CulpabilityCeiling",
    "EntryPenalty",
    "InterestRates",
    "PenaltyRanges",
    "penalty_ranges",
]

PENALTY_STATEMENT = (
    "These figures are statutory ceilings and estimates computed from the filed data, not a "
    "penalty assessment and not legal advice. Culpability (negligence, gross negligence, fraud) "
    "is a legal finding the data cannot make; CBP's mitigation guidelines (19 CFR part 171, "
    "appendix B) usually set penalties well below the ceilings."
)

BROKER_PENALTY_NOTE = (
    "A customs broker filing for others faces, besides 1592: a monetary penalty of up to $30,000 "
    "in total in lieu of suspension or revocation of its licence, on the grounds of 19 CFR "
    "111.53 (19 U.S.C. 1641(d), 19 CFR 111.91; a person other than a broker, up to $10,000 per "
    "transaction and $30,000 in total); and, under CBP's mitigation guidelines (19 CFR part 171, "
    "appendix B), 1592 liability only if culpable and, for negligence or gross negligence, only "
    "if it shared in the benefits of the violation (the guidelines' condition as a secondary "
    "source states it). These are not computed per entry."
)
"""19 U.S.C. 1641 and the part 171 guidelines as the domain reference (7.2) gives them: 1641(d)
and 111.91 verified; the broker condition of appendix B verified in part, its wording from a
secondary source."""

_ZERO = Decimal(0)
_S70531_FIRST = Decimal(5000)
_S70531_SUBSEQUENT = Decimal(10000)

# culpability -> (citation, confidence, loss multiple, percent of dutiable value without loss,
#                 prior-disclosure basis)
_CULPABILITY = {
    "negligence": (
        "19 U.S.C. 1592(c)(3)",
        "V",
        Decimal(2),
        Decimal(20),
    ),
    "gross_negligence": (
        "19 U.S.C. 1592(c)(2)",
        "V",
        Decimal(4),
        Decimal(40),
    ),
    "fraud": ("19 U.S.C. 1592(c)(1)", "UNVERIFIED", _ZERO, _ZERO),
}


def _periods(
    values: Iterable[tuple[dt.date, Decimal]],
) -> tuple[tuple[dt.date, Decimal], ...]:
    return tuple((day, Decimal(rate)) for day, rate in values)


@attrs.frozen
class InterestRates:
    """Interest rates the user supplies for a prior-disclosure tender (19 U.S.C. 1505(c)).

    Attributes:
        periods: ``(first day, annual rate in percent)`` pairs, ascending: the IRS underpayment
            rates of 26 U.S.C. 6621 by quarter, as the user looks them up.
        through: the last day interest runs to (the planned date of the tender).
    """

    periods: tuple[tuple[dt.date, Decimal], ...] = attrs.field(converter=_periods)
    through: dt.date

    def interest(self, principal: Decimal, start: dt.date) -> Decimal | None:
        """Interest compounded daily on ``principal`` from ``start`` to :attr:`through`.

        ``None`` when no period covers ``start``.
        """
        periods = sorted(self.periods)
        if not periods or periods[0][0] > start:
            return None
        balance = principal
        for index, (first, rate) in enumerate(periods):
            end = periods[index + 1][0] if index + 1 < len(periods) else self.through
            begin = max(first, start)
            stop = min(end, self.through)
            days = (stop - begin).days
            if days > 0:
                balance *= (1 + rate / Decimal(36500)) ** days
        return money(balance - principal)


@attrs.frozen
class CulpabilityCeiling:
    """The 1592(c) ceiling for one degree of culpability, summed over the entries.

    Attributes:
        culpability: ``"negligence"``, ``"gross_negligence"`` or ``"fraud"``.
        citation: the statute.
        confidence: the domain reference's tag for the figure (``V`` or ``UNVERIFIED``).
        with_loss_basis: the ceiling where duties were lost.
        without_loss_basis: the ceiling where no duty was lost (percent of dutiable value).
        with_loss_usd: the ceiling summed over entries with a loss of revenue.
        without_loss_usd: the ceiling summed over computable entries without one.
        total_usd: both together.
        prior_disclosure_basis: the cap under a valid prior disclosure (1592(c)(4)).
        prior_disclosure_usd: that cap summed, or ``None`` when it needs interest rates not given.
    """

    culpability: str
    citation: str
    confidence: str
    with_loss_basis: str
    without_loss_basis: str
    with_loss_usd: Decimal
    without_loss_usd: Decimal
    total_usd: Decimal
    prior_disclosure_basis: str
    prior_disclosure_usd: Decimal | None


@attrs.frozen
class EntryPenalty:
    """The ceilings of one entry (``None`` where its loss of revenue is not computable)."""

    entry_number: str
    loss_of_revenue_usd: Decimal | None
    dutiable_value_usd: Decimal
    negligence_usd: Decimal | None
    gross_negligence_usd: Decimal | None
    fraud_usd: Decimal
    interest_usd: Decimal | None
    penalty_70531_usd: Decimal


@attrs.frozen
class PenaltyRanges:
    """Penalty ceilings, prior-disclosure tender and s.70531 amounts for a set of entries.

    Attributes:
        entries: how many entries were given.
        computable_entries: how many have a computable loss of revenue (the others are left out
            of every loss-based figure and counted here).
        loss_of_revenue_usd: the summed loss of revenue of the computable entries.
        dutiable_value_usd: the summed entered value of the computable entries.
        ceilings: per culpability.
        prior_disclosure_tender_usd: what a prior disclosure tenders: the loss of duties, taxes
            and fees (19 CFR 162.74), plus interest when rates were given.
        interest_usd: the interest part, or ``None`` when no rates were given.
        s70531_entries: entries arriving 3-28 Aug 2025.
        s70531_ceiling_usd: $5,000 for the first and $10,000 for each subsequent one.
        per_entry: each entry's figures.
        statement: the plain statement that these are ceilings and estimates.
        notes: assumptions and caveats.
    """

    entries: int
    computable_entries: int
    loss_of_revenue_usd: Decimal
    dutiable_value_usd: Decimal
    ceilings: tuple[CulpabilityCeiling, ...]
    prior_disclosure_tender_usd: Decimal
    interest_usd: Decimal | None
    s70531_entries: int
    s70531_ceiling_usd: Decimal
    per_entry: tuple[EntryPenalty, ...]
    statement: str = PENALTY_STATEMENT
    notes: tuple[str, ...] = ()

    @property
    def not_computable_entries(self) -> int:
        """Entries whose loss of revenue could not be computed."""
        return self.entries - self.computable_entries


def penalty_ranges(
    exposures: Sequence[EntryExposure], *, interest_rates: InterestRates | None = None
) -> PenaltyRanges:
    """The 1592(c) ceilings, prior-disclosure tender and s.70531 amounts of estimated entries.

    Per entry, the loss-based ceiling applies where duties, taxes or fees were lost (every
    entry with a computable loss above zero) and the value-based one otherwise. The s.70531
    amounts take the entries in arrival order as one person's violations: $5,000 for the first,
    $10,000 for each subsequent one (P.L. 119-21 s.70531(a), 19 U.S.C. 1321(c)).

    Args:
        exposures: estimates from :func:`~t86audit.exposure.estimate_entry`.
        interest_rates: the rates for the prior-disclosure interest; without them, no interest
            is computed and the negligence prior-disclosure caps are ``None``.
    """
    per_entry: list[EntryPenalty] = []
    ordered = sorted(exposures, key=lambda e: (e.arrival_date, e.entry_number))
    s70531_seen = 0
    interest_total: Decimal | None = _ZERO if interest_rates is not None else None
    interest_missing = False
    for exposure in ordered:
        loss = exposure.loss_of_revenue_usd
        value = exposure.entered_value_usd
        s70531 = _ZERO
        if exposure.penalty_70531:
            s70531 = _S70531_FIRST if s70531_seen == 0 else _S70531_SUBSEQUENT
            s70531_seen += 1
        interest: Decimal | None = None
        if interest_rates is not None and loss is not None:
            interest = interest_rates.interest(loss, exposure.arrival_date)
            if interest is None:
                interest_missing = True
            elif interest_total is not None:
                interest_total += interest
        per_entry.append(
            EntryPenalty(
                entry_number=exposure.entry_number,
                loss_of_revenue_usd=loss,
                dutiable_value_usd=value,
                negligence_usd=_ceiling("negligence", loss, value),
                gross_negligence_usd=_ceiling("gross_negligence", loss, value),
                fraud_usd=money(value),
                interest_usd=interest,
                penalty_70531_usd=s70531,
            )
        )
    computable = [p for p in per_entry if p.loss_of_revenue_usd is not None]
    with_loss = [p for p in computable if (p.loss_of_revenue_usd or _ZERO) > 0]
    without_loss = [p for p in computable if p.loss_of_revenue_usd == 0]
    total_loss = money(sum((p.loss_of_revenue_usd or _ZERO for p in computable), _ZERO))
    total_value = money(sum((p.dutiable_value_usd for p in computable), _ZERO))
    if interest_missing:
        interest_total = None
    ceilings = []
    for name, (citation, confidence, multiple, percent) in _CULPABILITY.items():
        if name == "fraud":
            loss_part = money(sum((p.fraud_usd for p in with_loss), _ZERO))
            value_part = money(sum((p.fraud_usd for p in without_loss), _ZERO))
            pd_basis = (
                "100% of the loss of revenue; 10% of dutiable value where none was lost "
                "(1592(c)(4)(A))"
            )
            pd: Decimal | None = money(
                sum((p.loss_of_revenue_usd or _ZERO for p in with_loss), _ZERO)
                + sum((p.dutiable_value_usd for p in without_loss), _ZERO) / 10
            )
            with_basis = "domestic value of the merchandise (entered value shown: a floor of it)"
            without_basis = with_basis
        else:
            loss_part = money(
                sum((multiple * (p.loss_of_revenue_usd or _ZERO) for p in with_loss), _ZERO)
            )
            value_part = money(
                sum((p.dutiable_value_usd * percent / 100 for p in without_loss), _ZERO)
            )
            pd_basis = "interest on the loss of revenue (1592(c)(4)(B)); none where none was lost"
            pd = interest_total
            with_basis = (
                f"{multiple}x the loss of duties, taxes and fees, capped at the domestic value"
            )
            without_basis = f"{percent}% of dutiable value, capped at the domestic value"
        ceilings.append(
            CulpabilityCeiling(
                culpability=name,
                citation=citation,
                confidence=confidence,
                with_loss_basis=with_basis,
                without_loss_basis=without_basis,
                with_loss_usd=loss_part,
                without_loss_usd=value_part,
                total_usd=money(loss_part + value_part),
                prior_disclosure_basis=pd_basis,
                prior_disclosure_usd=pd,
            )
        )
    s70531_total = money(sum((p.penalty_70531_usd for p in per_entry), _ZERO))
    notes = _notes(
        len(per_entry),
        len(computable),
        given_rates=interest_rates is not None,
        interest_missing=interest_missing,
    )
    fee_only = [
        e
        for e in exposures
        if e.duty_usd == 0 and e.loss_of_revenue_usd is not None and e.loss_of_revenue_usd > 0
    ]
    if fee_only:
        notes.append(_fee_only_note(fee_only))
    tender = total_loss + (interest_total or _ZERO)
    return PenaltyRanges(
        entries=len(per_entry),
        computable_entries=len(computable),
        loss_of_revenue_usd=total_loss,
        dutiable_value_usd=total_value,
        ceilings=tuple(ceilings),
        prior_disclosure_tender_usd=money(tender),
        interest_usd=interest_total,
        s70531_entries=s70531_seen,
        s70531_ceiling_usd=s70531_total,
        per_entry=tuple(per_entry),
        notes=tuple(notes),
    )


def _notes(
    entries: int, computable: int, *, given_rates: bool, interest_missing: bool
) -> list[str]:
    """The notes under the penalty ranges: their bases and what they leave out."""
    notes = [
        (
            "Dutiable value is the declared fair retail value of the T86 lines; the transaction "
            "value a formal entry declares may differ."
        ),
        (
            "The domestic value (which caps every 1592(c) ceiling) is not in filed data; the "
            "loss-based ceilings are shown uncapped and the fraud ceiling as the entered value."
        ),
        (
            "1592(c)(1) (fraud) figures are UNVERIFIED in the domain reference (standard "
            "statutory "
            "text, not retrieved)."
        ),
        (
            "s.70531 applies to de minimis use in violation of other customs laws; entries are "
            "taken in arrival order as one person's violations."
        ),
        BROKER_PENALTY_NOTE,
    ]
    if computable < entries:
        left = entries - computable
        notes.append(
            f"{left} of the {entries} entries estimated have no computable loss of "
            "revenue (see the exposure's entries): they are left out of every ceiling, tender "
            "and total above, which are therefore lower bounds, the fraud ceiling included "
            "(their entered value is known, but their ceilings are not summed with the others)."
        )
    if not given_rates:
        notes.append("No interest rates given: the tender excludes interest.")
    elif interest_missing:
        notes.append(
            "The interest rates given do not cover every arrival date: no interest total."
        )
    return notes


def _fee_only_note(fee_only: Sequence[EntryExposure]) -> str:
    """Why the ceilings of entries that lost only fees are shown by the loss, and the other way.

    1592(c)(2)(A)/(3)(A) multiply "the lawful duties, taxes, and fees" lost, while (B) applies
    "if the violation did not affect the assessment of duties": an entry that owed no duty but
    a processing fee fits both readings, and the domain reference does not settle which.
    """
    value = sum((e.entered_value_usd for e in fee_only), _ZERO)
    loss = sum((e.loss_of_revenue_usd or _ZERO for e in fee_only), _ZERO)
    one = len(fee_only) == 1
    its = "Its" if one else "Their"
    return (
        f"{len(fee_only)} of the entries lost fees only (MPF/HMF, ${money(loss):,} in all) and no "
        f"duty. {its} ceilings above use the loss (2x/4x, 1592(c)(3)(A)/(2)(A), which name "
        "'duties, taxes, and fees'); if such a violation counts as one that 'did not affect the "
        f"assessment of duties' (1592(c)(3)(B)/(2)(B)), the ceilings are 20%/40% of {its.lower()} "
        f"dutiable value instead: ${money(value * 20 / 100):,} negligence and "
        f"${money(value * 40 / 100):,} gross negligence. Which applies is not settled in the "
        "domain reference (UNVERIFIED)."
    )


def _ceiling(name: str, loss: Decimal | None, value: Decimal) -> Decimal | None:
    if loss is None:
        return None
    _, _, multiple, percent = _CULPABILITY[name]
    if loss > 0:
        return money(multiple * loss)
    return money(value * percent / 100)
