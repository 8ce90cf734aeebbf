"""What a lawful entry would have owed: duties and fees per line and entry, on the arrival date."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Sequence
from decimal import Decimal

import attrs

from t86audit.exposure._rates import Quantity, apply_rate, money, parse_rate, percent_text
from t86audit.exposure.tables import (
    DutyTables,
    IeepaRow,
    Section301Row,
    TableSource,
    special_rates,
)
from t86audit.model import Entry, LineItem
from t86audit.normalize import origin_code
from t86audit.policy import PolicyTable, default_policy


__all__ = [
    "EXEMPTION_KEPT_RULES",
    "INELIGIBLE_RULES",
    "INFORMAL_ENTRY_LIMIT",
    "PENALTY_70531_FROM",
    "PENALTY_70531_TO",
    "Amount",
    "EntryExposure",
    "LineExposure",
    "estimate_entry",
]

INELIGIBLE_RULES: frozenset[str] = frozenset(
    {
        "VAL001",  # entry value over the de minimis threshold (19 U.S.C. 1321(a)(2)(C))
        "VAL002",  # one person, one day over the threshold (19 CFR 10.151, 10.153(d))
        "ELG001",  # arrival before the T86 test began (84 FR 40079): no T86 was possible
        "ELG002",  # arrival on/after 29 Aug 2025: de minimis suspended (EO 14324)
        "ELG003",  # China/Hong Kong origin in a gated period (EO 14195 / EO 14256)
        "ELG004",  # international mail: the T86 test excluded mail (89 FR 2630)
        "ELG005",  # alcoholic beverages (19 CFR 10.153(e))
        "ELG006",  # perfume containing alcohol over $5 (19 CFR 10.153(e))
        "ELG007",  # cigars, cigarettes (19 CFR 10.153(e))
        "ELG008",  # other tobacco products (CBP guidance: IRC-taxed goods)
        "ELG010",  # within an AD/CVD order's scope, confirmed by the user's table (CBP guidance)
        "ELG011",  # quota merchandise, open or closed (19 CFR 10.153(g))
    }
)
"""Rule codes whose finding makes a Type 86 entry ineligible for Section 321, so that a lawful
entry (informal type 11 or formal type 01) would have paid duties and fees.

Why each is here: VAL001/VAL002 put the goods over the $800 one-person-one-day limit; ELG001 and
ELG002 are outside the T86 test's life; ELG003 is the China/Hong Kong exclusion of EO 14195 and
EO 14256; ELG004 is the test's exclusion of mail; ELG005-ELG008 are the goods 10.153(e) and CBP's
guidance keep out of Section 321 (alcohol, alcoholic perfume, cigars/cigarettes, other tobacco);
ELG010 is an AD/CVD scope the user confirmed; ELG011 is quota goods (10.153(g)). ELG001 and
ELG004 rule out Type 86 only: alone, within the threshold, they leave the exemption and no duty
(:data:`EXEMPTION_KEPT_RULES`). Not here:
VAL005 (split shipments) and ELG009 (an AD/CVD number match, unconfirmed) are warnings that need
judgment; the filing and description rules (FIL, DES, HTS, CON) concern how an entry was filed,
not whether duty was owed.
"""

EXEMPTION_KEPT_RULES: frozenset[str] = frozenset({"ELG001", "ELG004"})
"""The rules of :data:`INELIGIBLE_RULES` that rule out Type 86, not the Section 321 exemption.

ELG001 (arrival before the T86 test began) and ELG004 (international mail, outside the test)
say the goods could not be entered on a T86; they say nothing against the exemption itself,
which 19 U.S.C. 1321(a)(2)(C) and 19 CFR 10.151 grant to "any shipment" of one person on one
day at or under the threshold, passed free of duty and tax "under informal entry procedures"
(part 143 subpart C), and which was in force long before the test (domain reference 1, 3.1).
An entry whose only reasons are these, at or under the day's threshold, is estimated on that
basis: no duty (:data:`SECTION321_NOTE`). Any other reason (value, one person one day, a
China/Hong Kong gate, the end of de minimis, excluded goods) denies the exemption itself, and
the entry is priced as a dutiable informal or formal entry.
"""

SECTION321_NOTE = (
    "Section 321 basis: {why} rules out Type 86 only, not the de minimis exemption. At "
    "${threshold} or less (the threshold on the arrival date) one person's shipment of one day "
    "could lawfully have been passed free of duty and tax under 19 U.S.C. 1321(a)(2)(C) and "
    "19 CFR 10.151, by informal entry procedures (19 CFR part 143 subpart C), so no duty is "
    "counted; the lines name what a dutiable entry would have paid instead. This assumes the "
    "goods met the exemption's other conditions (19 CFR 10.153; CBP's guidance on AD/CVD, "
    "quota, excise and fee-requiring goods), which only the audit's other findings test. "
    "Whether a processing fee (MPF) was charged on such a release is not established in the "
    "domain reference (UNVERIFIED): none is counted, and the fee is named as not estimated."
)
"""The entry type note of an entry estimated on the Section 321 basis
(:data:`EXEMPTION_KEPT_RULES`); ``{why}`` names the findings, ``{threshold}`` the threshold."""

_KEPT_WHY = {
    "ELG001": "arrival before the Type 86 test began (ELG001)",
    "ELG004": "international mail, outside the Type 86 test (ELG004)",
}

INFORMAL_ENTRY_LIMIT = Decimal(2500)
"""19 CFR 143.21(a): informal entry is available for shipments up to this value."""
QUOTA_RULE = "ELG011"
"""The rule that finds merchandise subject to quota (19 CFR 10.153(g))."""
QUOTA_FORMAL_NOTE = (
    "merchandise subject to a quota is not eligible for informal entry (CBP's Type 86 FAQ, "
    "with 19 CFR 10.153(g)): the entry it needed was formal, with the formal MPF"
)
"""Why an entry of quota goods is estimated as a formal entry whatever its value."""
ADCVD_RULE = "ELG010"
"""The rule that finds goods within an AD/CVD scope the user confirmed."""
ADCVD_FORMAL_NOTE = (
    "goods within an antidumping or countervailing duty order's scope are entered on a formal "
    "entry with the cash deposit (ACE entry type 03; CBP practice and its Section 321 guidance, "
    "not a regulation): the entry it needed was formal, with the formal MPF; the deposit "
    "itself is not estimated"
)
"""Why an entry of goods within a confirmed AD/CVD scope is estimated as a formal entry."""
CH99_INFORMAL_LIMIT = Decimal(250)
"""19 CFR 143.21(a): chapter 99 subchapter III/IV articles over this value need formal entry."""

PENALTY_70531_FROM = dt.date(2025, 8, 3)
"""First arrival date under P.L. 119-21 s.70531 (19 U.S.C. 1321(c))."""
PENALTY_70531_TO = dt.date(2025, 8, 28)
"""Last arrival date a T86 could have under s.70531 (ACE rejected all T86 from 29 Aug 2025)."""

_VESSEL_WORDS = frozenset({"ocean", "vessel", "sea", "ship", "maritime"})
_VESSEL_CODES = frozenset({"10", "11"})
"""ACE mode of transportation codes for vessel cargo (non-containerized, containerized): the
code list whose 50 ELG004 reads as mail."""
_OTHER_MODE_WORDS = frozenset({"air", "truck", "rail", "road", "mail", "postal"})


@functools.lru_cache(maxsize=256)
def _is_vessel(mode: str) -> bool:
    """Whether a filed mode is vessel cargo (HMF, 19 CFR 24.24(a)).

    ``ocean`` as the contract writes it, and what exports write: ``Ocean Freight``,
    ``VESSEL, CONTAINERIZED``, ACE's codes 10 and 11. A mode naming another carriage too
    (``sea-air``: the goods arrive by air) is not vessel cargo: no HMF is charged on a guess.
    """
    words = re.sub(r"[^\w]+", " ", mode.lower()).split()
    if len(words) == 1 and words[0] in _VESSEL_CODES:
        return True
    return bool(_VESSEL_WORDS.intersection(words)) and not _OTHER_MODE_WORDS.intersection(words)


_HUNDRED = Decimal(100)
_ZERO = Decimal(0)

COLUMN2_ORIGINS: dict[str, dt.date] = {
    "CU": dt.date.min,
    "KP": dt.date.min,
    "RU": dt.date(2022, 4, 9),
    "BY": dt.date(2022, 4, 9),
}
"""Origins whose goods pay the column 2 rate (HTSUS general note 3(b)), from the date given.

Cuba and North Korea for the whole T86 period; Russia and Belarus for goods entered from 9 Apr
2022 (the Suspending Normal Trade Relations with Russia and Belarus Act, P.L. 117-110, signed
8 Apr 2022). Not in the domain reference: the country list and the date are from trade press
(Shapiro, Thompson Hine, Livingston) [S]; the column 2 rates themselves are the HTSUS
snapshot's [V]. The same countries are exempt from the reciprocal duties (9903.01.29, "the
product of any country identified in general note 3(b)") [V: heading text]."""

COLUMN2_NOTE = (
    "products of {country} pay the column 2 rate, not the general rate (HTSUS general note "
    "3(b){law}; country list and date [S], not in the domain reference)"
)

INFORMATIONAL_HEADINGS = frozenset({"4901", "4902", "4903", "4904"})
"""Printed books and brochures, newspapers and periodicals, children's picture books, printed
music: "publications", which the IEEPA statute puts outside the President's power to regulate
(50 U.S.C. 1702(b)(3): "informational materials, including but not limited to, publications")
and which the China/Hong Kong fentanyl duty exempts by heading 9903.01.22 [V: heading text].
Which HTS numbers are informational materials is our reading: other candidates (maps, posters,
photographs, recorded media, artworks) are charged with a note."""

INFORMATIONAL_HEADING = "9903.01.22"


@attrs.frozen
class Amount:
    """One duty, fee or named charge of a line or an entry.

    Attributes:
        kind: ``"duty"``, ``"fee"`` or ``"not_estimated"`` (a charge that applies but is not
            computed: excise taxes, AD/CVD deposits, Section 232).
        provision: what is charged, e.g. ``"HTSUS 6109.10.00 general rate"``,
            ``"Section 301 List 3 (9903.88.03)"``, ``"MPF informal (automated), FY2024"``.
        rate: the rate as CBP prints it (``"16.5%"``, ``"$1.541/kg"``, ``"$2.53"``), or ``""``.
        amount_usd: the amount rounded to the cent, or ``None`` when not computable or not
            estimated.
        source: the table and its source, date and the row's confidence tag.
        rate_date: the date that chose the rate (the arrival date).
        note: why the amount is not computable or not estimated, or an approximation made.
    """

    kind: str
    provision: str
    rate: str
    amount_usd: Decimal | None
    source: str
    rate_date: dt.date | None
    note: str = ""


@attrs.frozen
class LineExposure:
    """The amounts one line would have owed.

    Attributes:
        line_number: the line's number as filed.
        hts_number: the line's HTS number as filed.
        country_of_origin: the line's country of origin as its ISO code (``China`` filed is
            ``CN``: :func:`~t86audit.normalize.origin_code`).
        value_usd: the line's declared value (the dutiable value used).
        amounts: the duties and named charges, in stacking order.
        computable: whether every duty of the line could be computed.
        not_computable_reason: why not, when not.
    """

    line_number: int
    hts_number: str
    country_of_origin: str
    value_usd: Decimal | None
    amounts: tuple[Amount, ...]
    computable: bool
    not_computable_reason: str = ""

    @property
    def duty_usd(self) -> Decimal | None:
        """The line's duties, or ``None`` when not computable."""
        if not self.computable:
            return None
        return money(
            sum(
                (
                    a.amount_usd
                    for a in self.amounts
                    if a.kind == "duty" and a.amount_usd is not None
                ),
                _ZERO,
            )
        )


@attrs.frozen
class EntryExposure:
    """What a lawful entry would have owed for one ineligible T86 entry.

    Attributes:
        entry_number: the entry number as filed.
        arrival_date: the arrival date (chooses every dated rate).
        reasons: the rule codes that make the entry ineligible (sorted).
        entered_value_usd: the sum of the lines' declared values.
        entry_kind: ``"informal"`` (value up to $2,500, 19 CFR 143.21) or ``"formal"``.
        entry_kind_note: the 143.21 exception that may have required formal entry, if any.
        duty_usd: the sum of the lines' duties, or ``None`` when a line is not computable.
        fees_usd: MPF and HMF.
        loss_of_revenue_usd: duties plus fees, or ``None`` when not computable.
        computable: whether the loss of revenue could be computed.
        not_computable_reason: why not, when not.
        penalty_70531: whether the arrival falls under P.L. 119-21 s.70531 (3-28 Aug 2025).
        lines: each line's amounts.
        entry_amounts: the entry-level amounts (MPF, HMF, named AD/CVD deposits).
        not_estimated: provisions named but not computed; the loss is at least the figure shown.
        section321: whether the entry kept the Section 321 exemption (only Type 86 was ruled
            out: :data:`EXEMPTION_KEPT_RULES`) and is estimated at no duty on that basis.
    """

    entry_number: str
    arrival_date: dt.date
    reasons: tuple[str, ...]
    entered_value_usd: Decimal
    entry_kind: str
    entry_kind_note: str
    duty_usd: Decimal | None
    fees_usd: Decimal
    loss_of_revenue_usd: Decimal | None
    computable: bool
    not_computable_reason: str
    penalty_70531: bool
    lines: tuple[LineExposure, ...]
    entry_amounts: tuple[Amount, ...] = ()
    not_estimated: tuple[str, ...] = ()
    section321: bool = False


def _dotted8(digits: str) -> str:
    return f"{digits[:4]}.{digits[4:6]}.{digits[6:8]}"


def _general_duty(
    line: LineItem, digits: str, day: dt.date, tables: DutyTables
) -> tuple[Amount, str]:
    """The general (column 1) duty of a line and, if not computable, why."""
    source = tables.source("hts_general_rates")
    provision = f"HTSUS {_dotted8(digits)} general rate"
    text = tables.general_rate(digits[:8])
    missing = (
        f"HTS {line.hts_number} is not in the HTSUS snapshot ({source.date}): no general rate "
        "to apply"
    )
    confidence = "V"
    country = origin_code(line.country_of_origin)
    column2_note = ""
    if text is not None and _column2_origin(country, day):
        # General note 3(b): these countries' goods pay column 2, often several times the
        # general rate (a Russian handbag 35%, not 9%).
        provision = f"HTSUS {_dotted8(digits)} column 2 rate"
        law = ", P.L. 117-110 from 9 Apr 2022" if country in ("RU", "BY") else ""
        column2_note = COLUMN2_NOTE.format(country=country, law=law)
        confidence = "S"
        text = tables.column2_rate(digits[:8])
        missing = (
            f"{column2_note}; the table lists no column 2 rate for {_dotted8(digits)}: "
            "no rate to apply"
        )
    if text is None:
        return Amount("duty", provision, "", None, source.describe(), day, missing), missing
    rate = parse_rate(text)
    assert line.value_usd is not None
    filed = Quantity(line.quantity, line.quantity_unit, line.gross_weight_kg)
    raw, note = apply_rate(rate, line.value_usd, filed)
    note = "; ".join(x for x in (column2_note, note) if x)
    if raw is None:
        return Amount("duty", provision, text, None, source.describe(confidence), day, note), note
    amount = money(raw)
    if _before_snapshot(day, source):
        note = "; ".join(x for x in (SNAPSHOT_RATE_NOTE.format(date=source.date), note) if x)
    if amount > 0 and not column2_note:
        # The general rate is charged whatever the origin; where the origin's preference
        # programme lists this subheading, say what a qualifying claim would have saved, so a
        # reader sees the possible overstatement (the amount does not change).
        preference = _preference_notes(country, digits, day, amount, tables)
        note = "; ".join(x for x in (note, *preference) if x)
    return (
        Amount("duty", provision, text, amount, source.describe(confidence), day, note),
        "",
    )


PREFERENCE_NOTE_FREE = (
    "origin {country}: if the goods qualified under {program} [{tag}] and a claim was made, "
    "the general duty of ${duty} would not be owed (special rate on {hts8} in the 2025 "
    "schedule: {rate} ({indicator})), not estimated: the general rate is charged"
)
"""The note of a general duty on goods whose origin has a programme in force that the
subheading's special column lists as Free (:func:`_preference_notes`)."""

PREFERENCE_NOTE_RATE = (
    "origin {country}: if the goods qualified under {program} [{tag}] and a claim was made, "
    "the special rate {rate} ({indicator}) of the 2025 schedule on {hts8} would apply instead "
    "of the general duty of ${duty}, not estimated: the general rate is charged"
)
"""The same note where the special rate is not Free (a reduced rate, or a chapter 99 reference
such as 'See 9823.01.01-9823.01.07')."""

PREFERENCE_NOTE_UNCHECKED = (
    "origin {country}: if the goods qualified under {program} [{tag}] and a claim was made, "
    "some or all of the general duty of ${duty} might not be owed ({why}), not estimated: the "
    "general rate is charged"
)
"""The note where the subheading's eligibility cannot be checked: a programme the 2025
schedule does not print (NAFTA), or a user's rate table without a special column."""

PREFERENCE_NOTE = re.compile(
    r"origin [A-Z]{2}: if the goods qualified under ([^;]*?) \[[^]]*\] and a claim was made, "
    r"[^;]*\$([0-9]+\.[0-9]{2})[^;]*not estimated: the general rate is charged"
)
"""A preference note in an amount's note (each is one clause, without "; "): group 1 the
programme, group 2 the general duty it concerns. The report finds and counts them by it."""


def _preference_notes(
    country: str, digits: str, day: dt.date, duty: Decimal, tables: DutyTables
) -> list[str]:
    """What a preference claim could have changed on a line's general duty, if anything.

    A programme in force for the origin on ``day`` (``preference_programs`` table) whose
    indicator the subheading's special column prints: its rate there. A programme without
    indicators the table prints (NAFTA, whose rates the 2025 schedule no longer carries), or a
    rate table without a special column: named with the eligibility unchecked. A programme
    whose indicator is absent from the column: no note (the schedule grants this subheading no
    preference under it).
    """
    programs = tables.preferences(country, day)
    if not programs:
        return []
    special = tables.special_rate(digits[:8])
    rates = special_rates(special) if special else {}
    printed = tables.special_indicators()
    notes = []
    for program in programs:
        tag = program.confidence
        found = next(((c, rates[c]) for c in program.indicators if c in rates), None)
        if found is not None:
            indicator, rate = found
            template = PREFERENCE_NOTE_FREE if rate == "Free" else PREFERENCE_NOTE_RATE
            notes.append(
                template.format(
                    country=country,
                    program=program.program,
                    tag=tag,
                    duty=duty,
                    hts8=_dotted8(digits),
                    rate=rate,
                    indicator=indicator,
                )
            )
        elif special is None or not printed.intersection(program.indicators):
            # No indicators (NAFTA), or none this table prints: nothing to check against.
            why = (
                "the rate table has no special column: this subheading's eligibility is not "
                "checked"
                if special is None
                else program.note or "the rate table prints no indicator of this programme"
            )
            notes.append(
                PREFERENCE_NOTE_UNCHECKED.format(
                    country=country, program=program.program, tag=tag, duty=duty, why=why
                )
            )
    return notes


SNAPSHOT_RATE_NOTE = (
    "rate as printed in the HTSUS snapshot of {date}: no edition of an earlier year is "
    "bundled, so a change of this rate since the arrival date would not show (not verified "
    "for that date)"
)
"""The note of a column 1 or column 2 rate applied to a day before the bundled snapshot's year:
the shared data holds no 2019-2024 edition (its README, section 5), so the snapshot's [V] tag
vouches for the rate in the snapshot's year, not on the arrival date. Column 1 rates rarely
change; the note says the rate was not checked against the edition then in force."""


def _before_snapshot(day: dt.date, source: TableSource) -> bool:
    """Whether ``day`` is before the year of the bundled rate table's snapshot.

    A user's replacement table (no date) is taken to cover the day it is used for.
    """
    year = source.date[:4]
    return source.mode != "replace" and year.isdigit() and day.year < int(year)


def _column2_origin(country: str, day: dt.date) -> bool:
    """Whether goods of ``country`` entered on ``day`` pay column 2 (:data:`COLUMN2_ORIGINS`)."""
    start = COLUMN2_ORIGINS.get(country)
    return start is not None and day >= start


def _s301_provision(row: Section301Row) -> str:
    if row.list == "2024-review":
        return f"Section 301 four-year review ({row.heading_99})"
    if row.list == "3-partial":
        return f"Section 301 List 3, partial item ({row.heading_99})"
    return f"Section 301 List {row.list} ({row.heading_99})"


def _earlier_period(row: Section301Row, day: dt.date, tables: DutyTables) -> Section301Row | None:
    """The row at the list-level rate of ``day``, if ``day`` precedes the row by one period.

    That is: ``day`` falls in the period of the same heading that ends the day before the row
    starts (List 3 and its partial items at 10% from 24 Sep 2018 to 9 May 2019). The subheading
    table holds only the rows overlapping the T86 window, while ELG001 entries arrive earlier.
    """
    if day >= row.effective_from:
        return None
    period = tables.section301_period(row.heading_99, day)
    if period is None or period.effective_to + dt.timedelta(days=1) != row.effective_from:
        return None
    assert period.effective_from is not None
    return attrs.evolve(
        row,
        rate_percent=period.rate_percent,
        effective_from=period.effective_from,
        effective_to=period.effective_to,
    )


def _exception_from(
    row: Section301Row, digits: str, candidates: Sequence[Section301Row]
) -> dt.date | None:
    """The first day the exception of ``digits`` from ``row`` is taken to hold, if it is dated.

    The exceptions of a partial item come from the 2026 schedule. Where a 2024-review heading
    names the excepted 10-digit number itself (6307.90.9870, masks, 9903.91.04 from 1 Jan 2025),
    the number was taken out of the item when that heading took it in: the data README says
    the 6307.90.98 exceptions "probably date from the 2024 review, not 2019" (UNVERIFIED). The
    exception is then held from the heading's first day; ``None`` when no such heading names
    the number (the exception belongs to the item as listed: 8517.62.0090 is List 4A's).
    """
    starts = [
        c.effective_from for c in candidates if c.list == "2024-review" and c.hts10 == digits[:10]
    ]
    return min(starts) if starts and digits in row.except_hts10 else None


def _no_list_before_review(
    candidates: Sequence[Section301Row], day: dt.date, source: TableSource
) -> list[Amount]:
    """A named, unestimated Section 301 charge where the table can only show the review's.

    For a subheading listed only under 2024-review headings, none yet in force on ``day``: the
    table holds no List 1-4A row for it, because its lists come from the 2018-2019 annexes and
    the 2026 schedule, which names such a number under the review heading alone. A number the
    HS 2022 revision created (solar cells 8541.42.00, gloves 4015.12.10) and the review later
    moved has no row for 2022-2024 although the lists covered its goods; a number never listed
    (syringes 9018.31.00) has none either, and the table cannot tell the two apart. So no duty
    is counted and the charge is named, UNVERIFIED.
    """
    if not candidates or any(c.list != "2024-review" for c in candidates):
        return []
    later = [c for c in candidates if c.effective_from > day]
    if len(later) != len(candidates):
        return []
    first = min(later, key=lambda c: c.effective_from)
    return [
        Amount(
            "not_estimated",
            "Section 301 List 1-4A duty before the four-year review",
            "",
            None,
            source.describe("UNVERIFIED"),
            day,
            (
                f"the table lists {_dotted8(first.hts8)} only under {first.heading_99} "
                f"({percent_text(first.rate_percent)} from {first.effective_from.isoformat()}), "
                "with no List 1-4A row: its lists come from the 2018-2019 annexes and the 2026 "
                "schedule, which gives only the review heading both for a number the HS 2022 "
                "revision created for goods already listed and for one never listed; whether a "
                f"List 1-4A duty applied on {day.isoformat()} is UNVERIFIED"
            ),
        )
    ]


def _in_transit_note(
    chosen: Section301Row, day: dt.date, tables: DutyTables, value: Decimal
) -> str:
    """The in-transit rate of ``chosen``'s list on ``day`` (9903.88.09), if one applies.

    A transition row of the rate periods gives the lower rate of goods exported before its
    first day and entered within its dates; the export date is not filed, so the list's rate
    is charged and the note gives the other figure.
    """
    base = chosen.list.split("-")[0]
    for period in tables.section301_transitions(day):
        if period.list.split(" ")[0] != base or period.rate_percent >= chosen.rate_percent:
            continue
        assert period.effective_from is not None
        return (
            f"goods exported before {period.effective_from.isoformat()} and entered from then "
            f"to {period.effective_to.isoformat()} paid {percent_text(period.rate_percent)} "
            f"instead ({period.heading_99}, [{period.confidence}]): "
            f"${money(value * period.rate_percent / _HUNDRED):,} on this line; the export date is "
            "not in filed data, so the list's rate is charged"
        )
    return ""


def _tagged(row: Section301Row) -> str:
    """A Section 301 row named in a note, with its confidence tag when it is not V."""
    name = f"{_s301_provision(row)} {percent_text(row.rate_percent)}"
    if row.confidence == "UNVERIFIED":
        return f"{name} (UNVERIFIED: gives way to a verified row)"
    if row.confidence == "C":
        return f"{name} (membership confidence C)"
    return name


def _section301(line: LineItem, digits: str, day: dt.date, tables: DutyTables) -> list[Amount]:
    candidates = [r for r in tables.section301(digits[:8]) if r.covers(digits)]
    rows = [r for r in candidates if r.in_force(day)]
    headings = {r.heading_99 for r in rows}
    earlier = [
        e
        for e in (_earlier_period(r, day, tables) for r in candidates)
        if e is not None and e.heading_99 not in headings
    ]
    rows += earlier
    source = tables.source("section301")
    if not rows:
        return _no_list_before_review(candidates, day, source)
    # An exception dated by a later review heading does not yet hold: the row stays, and says so.
    doubtful: dict[int, dt.date] = {}
    for r in rows:
        since = _exception_from(r, digits, candidates)
        if since is not None and day < since:
            doubtful[id(r)] = since
    excluded = [r for r in rows if digits in r.except_hts10 and id(r) not in doubtful]
    rows = [r for r in rows if digits not in r.except_hts10 or id(r) in doubtful]
    assert line.value_usd is not None
    if not rows:
        row = excluded[0]
        return [
            Amount(
                "duty",
                _s301_provision(row),
                "0%",
                money(_ZERO),
                source.describe(row.confidence),
                day,
                f"{line.hts_number} is excepted from this item",
            )
        ]
    # A 2024-review heading replaces the List 1-4A rate; a row UNVERIFIED gives way to a
    # verified one; of several rows left (a subheading split between partial items), the
    # highest rate is charged: the estimate does not understate.
    verified = [r for r in rows if r.confidence != "UNVERIFIED"] or rows
    review = [r for r in verified if r.list == "2024-review"]
    pool = review or verified
    chosen = max(pool, key=lambda r: (r.rate_percent, r.heading_99))
    notes = []
    others = [r for r in rows if r is not chosen]
    if others:
        names = ", ".join(_tagged(r) for r in others)
        notes.append(f"also listed: {names}; this rate is charged")
    if chosen in earlier:
        notes.append(
            f"rate of the list-level period {chosen.effective_from.isoformat()} to "
            f"{chosen.effective_to.isoformat()} (section301_rate_periods)"
        )
    transit = _in_transit_note(chosen, day, tables, line.value_usd)
    if transit:
        notes.append(transit)
    if id(chosen) in doubtful:
        notes.append(
            f"the 2026 schedule excepts {line.hts_number} from this item, an exception taken "
            f"from {doubtful[id(chosen)].isoformat()}, when a four-year review heading names "
            "the number; before then it is UNVERIFIED (the data's note: it probably dates from "
            "the 2024 review, not 2019), so the item's rate is charged"
        )
    elif chosen.partial:
        notes.append(
            "partial item: covers only some products of the subheading; assumed to cover this line"
        )
    if chosen.confidence in ("C", "UNVERIFIED"):
        notes.append(f"membership confidence {chosen.confidence}")
    amount = money(line.value_usd * chosen.rate_percent / _HUNDRED)
    return [
        Amount(
            "duty",
            _s301_provision(chosen),
            percent_text(chosen.rate_percent),
            amount,
            source.describe(chosen.confidence),
            day,
            "; ".join(notes),
        )
    ]


_IEEPA_LABELS = {
    "fentanyl_china": "IEEPA fentanyl",
    "fentanyl_canada": "IEEPA fentanyl",
    "fentanyl_mexico": "IEEPA fentanyl",
    "reciprocal_baseline": "IEEPA reciprocal baseline",
    "reciprocal_country_phase1": "IEEPA reciprocal",
    "reciprocal_country_phase2": "IEEPA reciprocal",
    "reciprocal_china": "IEEPA reciprocal",
    "ieepa_brazil": "IEEPA",
    "ieepa_india": "IEEPA",
    "fentanyl_china_exemption": "IEEPA fentanyl exemption",
}


def _ieepa_provision(row: IeepaRow) -> str:
    label = _IEEPA_LABELS.get(row.program, f"IEEPA {row.program}")
    country = "" if not row.country_specific else f" {row.country_name}"
    return f"{label}{country} ({row.heading_99})"


_INFORMATIONAL_CHARGED = (
    "informational materials ('publications') are outside IEEPA (50 U.S.C. 1702(b)(3)); this "
    "program's exemption heading is not in the table: charged, possibly not owed"
)


def _country_duty_note(row: IeepaRow, digits: str) -> str:
    """The caveats of a fentanyl, Brazil or India duty charged on a line."""
    notes = []
    if row.program in ("fentanyl_canada", "fentanyl_mexico"):
        notes.append(
            "charged as if no USMCA claim: USMCA-originating goods claimed under general "
            "note 11 owed none from 7 Mar 2025"
        )
    if digits[:4] in INFORMATIONAL_HEADINGS:
        notes.append(_INFORMATIONAL_CHARGED)
    return "; ".join(notes)


def _informational_exemption(
    row: IeepaRow, rows: Sequence[IeepaRow], digits: str, day: dt.date, source: TableSource
) -> Amount | None:
    """The China/Hong Kong fentanyl duty's exemption of a publication (9903.01.22), if it is.

    ``None`` unless ``row`` is that duty, the line is of :data:`INFORMATIONAL_HEADINGS` and the
    table's exemption heading is in force (``rows`` are the rows of the line's country and day).
    """
    if row.program != "fentanyl_china" or digits[:4] not in INFORMATIONAL_HEADINGS:
        return None
    exempt = next((r for r in rows if r.heading_99 == INFORMATIONAL_HEADING), None)
    if exempt is None:
        return None
    return Amount(
        "duty",
        _ieepa_provision(exempt),
        "0%",
        money(_ZERO),
        source.describe(exempt.confidence),
        day,
        (
            f"exempt: {INFORMATIONAL_HEADING} (informational materials, 'publications'; 50 "
            f"U.S.C. 1702(b)(3)) instead of {row.heading_99} {percent_text(row.rate_percent)}; "
            f"heading {digits[:4]} read as publications"
        ),
    )


def _gn3b_exemption(
    country: str, day: dt.date, tables: DutyTables, source: TableSource
) -> list[Amount]:
    """The reciprocal duty's exemption of a general note 3(b) country's goods (9903.01.29)."""
    row = next(
        (
            r
            for r in tables.ieepa()
            if r.heading_99 == "9903.01.29"
            and r.effective_from is not None
            and r.effective_from <= day <= r.effective_to
        ),
        None,
    )
    if row is None:
        return []
    return [
        Amount(
            "duty",
            "IEEPA reciprocal, general note 3(b) country (9903.01.29)",
            "0%",
            money(_ZERO),
            source.describe(row.confidence),
            day,
            (
                f"exempt: products of {country}, a general note 3(b) country (column 2), owe no "
                "reciprocal duty; country list [S]"
            ),
        )
    ]


def _floor_doubt(row: IeepaRow, reciprocal: Sequence[IeepaRow], value: Decimal) -> str:
    """A caveat when a floor heading is less sure than the plain rate it supersedes.

    Japan's 9903.02.73 [S] first appears in a September 2025 revision, its effect from 7 Aug
    not verified: the note says so and what the plain rate (9903.02.30, [V]) would owe.
    """
    plain = [
        r
        for r in reciprocal
        if r.country_specific and r.scope == "all_goods" and r.rate_basis != "total_floor"
    ]
    if row.confidence == "V" or not plain:
        return ""
    doubt = [p for p in row.notes.split("; ") if "verif" in p.lower()]
    other = max(plain, key=lambda r: r.rate_percent)
    return (
        f"{row.heading_99} is tagged {row.confidence}"
        + (f" ({doubt[0]})" if doubt else "")
        + f": under {other.heading_99} ({percent_text(other.rate_percent)} added, "
        f"{other.confidence}) this duty would be ${money(value * other.rate_percent / _HUNDRED)}, "
        "on top of the general duty"
    )


def _ieepa(
    line: LineItem,
    digits: str,
    day: dt.date,
    tables: DutyTables,
    *,
    general: Decimal | None,
) -> tuple[list[Amount], str]:
    """The IEEPA duties of a line, and a reason when one cannot be computed."""
    country = origin_code(line.country_of_origin)
    rows = tables.ieepa_for(country, day)
    if not rows:
        return [], ""
    source = tables.source("ieepa_2025")
    assert line.value_usd is not None
    value = line.value_usd
    amounts: list[Amount] = []
    reason = ""

    def charge(row: IeepaRow, note: str = "") -> None:
        amounts.append(
            Amount(
                "duty",
                _ieepa_provision(row),
                percent_text(row.rate_percent),
                money(value * row.rate_percent / _HUNDRED),
                source.describe(row.confidence),
                day,
                note,
            )
        )

    # 1. Fentanyl (border) duties and the Brazil/India duties: every line of the country.
    for row in rows:
        if row.scope != "all_goods" or row.program.startswith("reciprocal"):
            continue
        exempt_amount = _informational_exemption(row, rows, digits, day, source)
        if exempt_amount is not None:
            amounts.append(exempt_amount)
        else:
            charge(row, _country_duty_note(row, digits))
    # General note 3(b) countries pay column 2 and no reciprocal duty (9903.01.29).
    if _column2_origin(country, day):
        amounts.extend(_gn3b_exemption(country, day, tables, source))
        return amounts, reason
    # 2. Reciprocal duties: a country's own row replaces the baseline; Annex II exempts.
    reciprocal = [r for r in rows if r.program.startswith("reciprocal")]
    if any(r.scope == "exemption" and r.country_specific for r in reciprocal) and not any(
        r.scope == "all_goods" and r.country_specific for r in reciprocal
    ):
        return amounts, reason  # Canada, Mexico: excluded from the reciprocal duties
    own = [r for r in reciprocal if r.country_specific and r.scope == "all_goods"]
    # A floor heading (EU, Japan: "15% including the general rate") supersedes the country's
    # plain additional rate of the same dates.
    own = [r for r in own if r.rate_basis == "total_floor"] or own
    chosen = own or [r for r in reciprocal if not r.country_specific and r.scope == "all_goods"]
    if not chosen:
        return amounts, reason
    row = max(chosen, key=lambda r: r.rate_percent)
    exempt = tables.annex2(digits, day)
    confirmed = [r for r in exempt if r.status != "unverified"]
    annex_source = tables.source("ieepa_annex2_exempt")
    if confirmed:
        amounts.append(
            Amount(
                "duty",
                _ieepa_provision(row),
                "0%",
                money(_ZERO),
                annex_source.describe(confirmed[0].confidence),
                day,
                f"exempt: Annex II (9903.01.32) lists {confirmed[0].hts}",
            )
        )
        return amounts, reason
    note = ""
    if exempt:
        note = (
            f"Annex II lists {exempt[0].hts}, UNVERIFIED for the T86 period (possibly added "
            "14 Nov 2025): charged; exempt if it was listed on the arrival date"
        )
    if digits[:2] in ("72", "73", "76"):
        note = "; ".join(
            x
            for x in (
                note,
                (
                    "a Section 232 article is excluded from the reciprocal duties (9903.01.33); "
                    "not determined here"
                ),
            )
            if x
        )
    if row.rate_basis == "total_floor":
        if general is None or value == 0:
            reason = (
                f"{_ieepa_provision(row)}: the duty tops the general rate up to "
                f"{percent_text(row.rate_percent)}, which needs the general duty"
            )
            amounts.append(
                Amount("duty", _ieepa_provision(row), "", None, source.describe(), day, reason)
            )
            return amounts, reason
        floor = value * row.rate_percent / _HUNDRED
        top_up = max(floor - general, _ZERO)
        effective = general / value * _HUNDRED
        note = "; ".join(x for x in (note, _floor_doubt(row, reciprocal, value)) if x)
        if top_up == 0:
            # The sibling heading "column 1 rate at or above the floor" (no additional duty).
            row = next(
                (r for r in reciprocal if r.scope == "exemption" and r.countries == row.countries),
                row,
            )
        amounts.append(
            Amount(
                "duty",
                _ieepa_provision(row),
                f"{percent_text(chosen[0].rate_percent)} less the general rate",
                money(top_up),
                source.describe(row.confidence),
                day,
                "; ".join(
                    x
                    for x in (
                        f"general duty is {effective.quantize(Decimal('0.01'))}% of value",
                        note,
                    )
                    if x
                ),
            )
        )
        return amounts, reason
    charge(row, note)
    return amounts, reason


def _not_estimated(digits: str, day: dt.date, tables: DutyTables) -> list[Amount]:
    source = tables.source("not_estimated")
    return [
        Amount(
            "not_estimated",
            row.provision,
            "",
            None,
            source.describe(row.confidence),
            day,
            row.note,
        )
        for row in tables.not_estimated(digits)
        if not (row.charge == "section_232" and day < dt.date(2018, 3, 23))
    ]


def _estimate_line(line: LineItem, day: dt.date, tables: DutyTables) -> LineExposure:
    country = origin_code(line.country_of_origin)
    digits = line.hts_digits

    def unknown(reason: str) -> LineExposure:
        return LineExposure(
            line.line_number, line.hts_number, country, line.value_usd, (), False, reason
        )

    if line.value_usd is None:
        return unknown("the line's value is blank")
    if line.value_usd < 0:
        return unknown("the line's value is negative")
    if len(digits) < 8:
        return unknown(f"HTS {line.hts_number or '(blank)'} has fewer than 8 digits")
    if digits[:2] in ("98", "99"):
        return unknown(f"HTS {line.hts_number} is a chapter 98/99 provision, not an article")
    reasons: list[str] = []
    general, reason = _general_duty(line, digits, day, tables)
    amounts = [general]
    if reason:
        reasons.append(reason)
    if country == "CN":
        amounts += _section301(line, digits, day, tables)
    ieepa, reason = _ieepa(line, digits, day, tables, general=general.amount_usd)
    amounts += ieepa
    if reason:
        reasons.append(reason)
    amounts += _not_estimated(digits, day, tables)
    return LineExposure(
        line.line_number,
        line.hts_number,
        country,
        line.value_usd,
        tuple(amounts),
        not reasons,
        "; ".join(reasons),
    )


ENTERED_WHEN_FILED = frozenset({"ELG002", "ELG003"})
"""The rules whose finding may rest on the day a late T86 was transmitted: the goods were
entered then (ELG002 after the end of T86, ELG003 in a China/Hong Kong gate)."""


def _rate_day(entry: Entry, codes: Sequence[str]) -> dt.date:
    """The day whose rates and fees a lawful entry would have paid.

    The arrival date (docs/estimating-exposure.md), except for an entry that ELG002 or ELG003
    finds ineligible and whose T86 was transmitted on a later U.S. Eastern day: those rules
    hold that the late T86 entered the goods that day, and the duties in force on the day of
    entry are the ones owed (the IEEPA orders apply to goods entered on or after their dates),
    so the estimate uses the same day as the finding.
    """
    filed = entry.filed_day
    if filed is not None and filed > entry.arrival_date and ENTERED_WHEN_FILED.intersection(codes):
        return filed
    return entry.arrival_date


def _fees(
    entry: Entry, value: Decimal, kind: str, tables: DutyTables, day: dt.date
) -> list[Amount]:
    amounts: list[Amount] = []
    mpf = tables.mpf(day)
    source = tables.source("mpf")
    if mpf is None:
        amounts.append(
            Amount(
                "fee",
                "MPF",
                "",
                None,
                source.describe(),
                day,
                f"no MPF row covers {day.isoformat()}",
            )
        )
    elif kind == "informal":
        amounts.append(
            Amount(
                "fee",
                f"MPF informal (automated), FY{mpf.fiscal_year}",
                f"${mpf.informal_automated_usd}",
                money(mpf.informal_automated_usd),
                source.describe(mpf.confidence),
                day,
                "19 CFR 24.23(b)(1); the fee of an automated informal entry not prepared by CBP",
            )
        )
    else:
        raw = value * mpf.formal_rate_percent / _HUNDRED
        fee = min(max(raw, mpf.formal_min_usd), mpf.formal_max_usd)
        note = ""
        if fee != raw:
            note = "minimum applied" if fee == mpf.formal_min_usd else "maximum applied"
        amounts.append(
            Amount(
                "fee",
                f"MPF formal, FY{mpf.fiscal_year}",
                f"{percent_text(mpf.formal_rate_percent)} (min ${mpf.formal_min_usd}, "
                f"max ${mpf.formal_max_usd})",
                money(fee),
                source.describe(mpf.confidence),
                day,
                note,
            )
        )
    if _is_vessel(entry.mode):
        hmf = tables.hmf(day)
        if hmf is not None:
            amounts.append(
                Amount(
                    "fee",
                    "HMF (vessel cargo)",
                    percent_text(hmf.rate_percent),
                    money(value * hmf.rate_percent / _HUNDRED),
                    tables.source("hmf").describe(hmf.confidence),
                    day,
                    "19 CFR 24.24(a); whether the port is a listed port is not checked",
                )
            )
    return amounts


CH99_SUSPENDED_FROM = dt.date(2025, 4, 1)
"""The earliest day CBP's temporary suspension of 143.21(a)'s chapter 99 exception may have
applied: the domain reference dates it "Apr/May 2025" (CSMS 64861116) without a day, so from
1 Apr 2025 the note names the suspension; before, it cannot have applied."""


def _ch99_note(line_number: int, value: Decimal, day: dt.date, tables: DutyTables) -> str:
    """Why an informal estimate of a chapter 99 article over $250 may be short of the formal MPF.

    The estimate keeps the informal fee (as sessions before decided: CBP practice on this
    exception is not in the domain reference); the note gives the formal MPF the regulation's
    text would have required, so the difference is visible.
    """
    mpf = tables.mpf(day)
    formal = ""
    if mpf is not None:
        fee = min(
            max(value * mpf.formal_rate_percent / _HUNDRED, mpf.formal_min_usd), mpf.formal_max_usd
        )
        formal = (
            f": ${money(fee)} on this value against the informal "
            f"${money(mpf.informal_automated_usd)} counted, FY{mpf.fiscal_year}"
        )
    text = (
        "19 CFR 143.21(a) excludes from informal entry articles of chapter 99 subchapter III "
        f"over $250 (line {line_number}); formal entry may have been required, and with it the "
        f"formal MPF{formal}"
    )
    if day >= CH99_SUSPENDED_FROM:
        return (
            f"{text}, unless CBP's temporary suspension of that exception (Apr/May 2025, CSMS "
            "64861116) applied"
        )
    return f"{text}; CBP's temporary suspension of that exception (Apr/May 2025) came later"


def _adcvd(reasons: Sequence[str], day: dt.date) -> list[Amount]:
    codes = [c for c in ("ELG009", "ELG010") if c in reasons]
    if not codes:
        return []
    return [
        Amount(
            "not_estimated",
            "AD/CVD cash deposits",
            "",
            None,
            f"the audit's findings ({', '.join(codes)})",
            day,
            "deposit rates are company-specific and not bundled; the order named in the finding "
            "sets them",
        )
    ]


def _section321_threshold(
    entry: Entry, codes: Sequence[str], policy: PolicyTable
) -> Decimal | None:
    """The threshold within which the entry kept the Section 321 exemption, or ``None``.

    Only for an entry whose every reason is of :data:`EXEMPTION_KEPT_RULES` and whose value
    is at or under the threshold on its arrival date (a blank line value cannot be shown to
    be, and the exemption must not have been suspended, EO 14324). The value test repeats
    VAL001's: an audit that did not run VAL001 must not make a $1,500 entry duty-free.
    """
    if not codes or not set(codes) <= EXEMPTION_KEPT_RULES or not entry.lines:
        return None
    if any(line.value_usd is None for line in entry.lines):
        return None
    period = policy.at(entry.arrival_date)
    if period.exemption_ended is not None or entry.total_value > period.threshold_usd:
        return None
    return period.threshold_usd


_SECTION321_PROVISION = "Section 321 exemption (19 U.S.C. 1321(a)(2)(C); 19 CFR 10.151)"
_SECTION321_SOURCE = "19 U.S.C. 1321(a)(2)(C), 19 CFR 10.151 (domain reference 3.1) [V]"


def _exempt_line(priced: LineExposure, day: dt.date) -> LineExposure:
    """A line passed free under Section 321; its note names what a dutiable entry owed."""
    if priced.computable:
        paid = "; ".join(
            f"{a.provision} {a.rate} ${a.amount_usd}"
            for a in priced.amounts
            if a.kind == "duty" and a.amount_usd is not None
        )
        instead = f"a dutiable entry would have paid ${priced.duty_usd} on this line ({paid})"
    else:
        instead = (
            "a dutiable entry's duty on this line is not computable: "
            f"{priced.not_computable_reason}"
        )
    named = [a.provision for a in priced.amounts if a.kind == "not_estimated"]
    if named:
        instead += f", besides {', '.join(named)} (not estimated)"
    amount = Amount(
        "duty",
        _SECTION321_PROVISION,
        "Free",
        money(_ZERO),
        _SECTION321_SOURCE,
        day,
        f"passed free of duty and tax under the de minimis exemption; {instead}",
    )
    return attrs.evolve(priced, amounts=(amount,), computable=True, not_computable_reason="")


def _section321_fees(entry: Entry, tables: DutyTables, day: dt.date) -> list[Amount]:
    """The fees of a Section 321 release, named and not counted: the reference is silent."""
    mpf = tables.mpf(day)
    known = (
        f"; an automated informal entry paid ${mpf.informal_automated_usd} in FY{mpf.fiscal_year}"
        if mpf is not None
        else ""
    )
    amounts = [
        Amount(
            "not_estimated",
            "MPF of the Section 321 release, if any",
            "",
            None,
            "domain reference 7.3 (E-5 prices informal and formal entries only) [UNVERIFIED]",
            day,
            f"whether MPF was charged on a release under 19 CFR 10.151 is UNVERIFIED{known}",
        )
    ]
    if _is_vessel(entry.mode):
        amounts.append(
            Amount(
                "not_estimated",
                "HMF of the Section 321 release (vessel cargo), if any",
                "",
                None,
                "domain reference 7.3 (E-5) [UNVERIFIED]",
                day,
                "whether HMF (19 CFR 24.24(a), 0.125%) was collected on such a release is "
                "UNVERIFIED",
            )
        )
    return amounts


def _section321_estimate(
    entry: Entry,
    codes: tuple[str, ...],
    lines: tuple[LineExposure, ...],
    threshold: Decimal,
    tables: DutyTables,
) -> EntryExposure:
    """The estimate of an entry that kept the Section 321 exemption: no duty, fees named."""
    day = entry.arrival_date
    free = tuple(_exempt_line(line, day) for line in lines)
    entry_amounts = tuple(_section321_fees(entry, tables, day))
    why = " and ".join(_KEPT_WHY[c] for c in codes)
    return EntryExposure(
        entry_number=entry.number,
        arrival_date=entry.arrival_date,
        reasons=codes,
        entered_value_usd=entry.total_value,
        entry_kind="informal",
        entry_kind_note=SECTION321_NOTE.format(why=why, threshold=threshold),
        duty_usd=money(_ZERO),
        fees_usd=money(_ZERO),
        loss_of_revenue_usd=money(_ZERO),
        computable=True,
        not_computable_reason="",
        penalty_70531=PENALTY_70531_FROM <= entry.arrival_date <= PENALTY_70531_TO,
        lines=free,
        entry_amounts=entry_amounts,
        not_estimated=_provisions_not_estimated(entry_amounts, free),
        section321=True,
    )


def _provisions_not_estimated(
    entry_amounts: Sequence[Amount], lines: Sequence[LineExposure]
) -> tuple[str, ...]:
    """The provisions an estimate names but does not compute, each once, entry's first."""
    amounts = (*entry_amounts, *(a for ln in lines for a in ln.amounts))
    return tuple(dict.fromkeys(a.provision for a in amounts if a.kind == "not_estimated"))


def estimate_entry(
    entry: Entry,
    reasons: Sequence[str],
    *,
    tables: DutyTables | None = None,
    policy: PolicyTable | None = None,
) -> EntryExposure:
    """Estimate what a lawful entry would have owed for an ineligible T86 entry.

    Each line: the general (column 1) rate of its 8-digit subheading (column 2 for goods of
    the general note 3(b) countries, :data:`COLUMN2_ORIGINS`), Section 301 for Chinese origin,
    IEEPA duties by country and date; then, for the entry, MPF (informal or formal by value)
    and HMF for vessel cargo. Excise taxes, AD/CVD deposits and Section 232 are named as
    ``not_estimated``, never counted as zero. Every amount is rounded to the cent (half up) and
    names its provision, rate, source and the date that chose it (the arrival date).

    An entry whose only reasons rule out Type 86 but not the exemption
    (:data:`EXEMPTION_KEPT_RULES`: before the test, mail) and whose value is within the
    threshold on its arrival date owed no duty: it could have been passed free under Section
    321 otherwise. It is estimated at no duty, with :data:`SECTION321_NOTE` as its
    ``entry_kind_note`` and each line's note naming what a dutiable entry would have paid.

    Args:
        entry: the entry as filed.
        reasons: the rule codes that make it ineligible (normally codes of
            :data:`INELIGIBLE_RULES` found on it); recorded, and ELG009/ELG010 name the AD/CVD
            deposits.
        tables: the duty tables; the bundled ones by default.
        policy: the dated policy table whose threshold the Section 321 basis tests (the
            audit's); the bundled one by default.

    Returns:
        The entry's exposure; ``loss_of_revenue_usd`` is ``None`` when a line is not computable.
    """
    tables = tables or DutyTables.default()
    codes = tuple(sorted(set(reasons)))
    day = _rate_day(entry, codes)
    lines = tuple(_estimate_line(line, day, tables) for line in entry.lines)
    threshold = _section321_threshold(entry, codes, policy or default_policy())
    if threshold is not None:
        return _section321_estimate(entry, codes, lines, threshold, tables)
    value = entry.total_value
    kind = "informal" if value <= INFORMAL_ENTRY_LIMIT else "formal"
    kind_note = ""
    if kind == "informal" and QUOTA_RULE in codes:
        # Quota goods were never eligible for informal entry, whatever their value: the
        # lawful entry was formal, with the formal MPF (its minimum, at T86 values).
        kind = "formal"
        kind_note = QUOTA_FORMAL_NOTE
    elif kind == "informal" and ADCVD_RULE in codes:
        # The same for goods of a confirmed AD/CVD scope (ELG010's page: a formal entry and a
        # cash deposit). ELG009's possible matches are not confirmed: they stay informal.
        kind = "formal"
        kind_note = ADCVD_FORMAL_NOTE
    ch99 = [
        ln
        for ln in lines
        if ln.value_usd is not None
        and ln.value_usd > CH99_INFORMAL_LIMIT
        and any(
            a.amount_usd and (a.provision.startswith(("Section 301", "IEEPA"))) for a in ln.amounts
        )
    ]
    if kind == "informal" and ch99:
        kind_note = _ch99_note(ch99[0].line_number, value, day, tables)
    entry_amounts = _fees(entry, value, kind, tables, day) + _adcvd(codes, day)
    fee_values = [a.amount_usd for a in entry_amounts if a.kind == "fee"]
    fees = money(sum((f for f in fee_values if f is not None), _ZERO))
    problems = [
        f"line {ln.line_number}: {ln.not_computable_reason}" for ln in lines if not ln.computable
    ]
    if not entry.lines:
        problems.append("the entry has no lines")
    if any(f is None for f in fee_values):
        problems.append("a fee could not be computed")
    duty: Decimal | None = None
    if all(ln.computable for ln in lines):
        duty = money(sum((ln.duty_usd for ln in lines if ln.duty_usd is not None), _ZERO))
    loss = money(duty + fees) if duty is not None and not problems else None
    return EntryExposure(
        entry_number=entry.number,
        arrival_date=entry.arrival_date,
        reasons=codes,
        entered_value_usd=value,
        entry_kind=kind,
        entry_kind_note=kind_note,
        duty_usd=duty,
        fees_usd=fees,
        loss_of_revenue_usd=loss,
        computable=loss is not None,
        not_computable_reason="; ".join(problems),
        penalty_70531=PENALTY_70531_FROM <= entry.arrival_date <= PENALTY_70531_TO,
        lines=lines,
        entry_amounts=tuple(entry_amounts),
        not_estimated=_provisions_not_estimated(entry_amounts, lines),
    )
