"""The report's "Exposure" section, placed right after the findings grouped by rule.

:func:`exposure_blocks` returns the section's blocks for text, Markdown and HTML (see
:mod:`t86audit.report._document`): totals first, then the penalty ranges, the projection from
random samples, the loss by reason, by month and by seller, and the ineligible entries in a
table, with the notes that qualify their figures beneath it. The full line-by-line amounts are
in the JSON report and the prior-disclosure worksheet.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal
from typing import TYPE_CHECKING

from t86audit.report._blocks import Block, Cell, Fields, Heading, Para, Table, opening


if TYPE_CHECKING:
    from t86audit.exposure import EntryExposure, Exposure, ExposureGroup
    from t86audit.report import Report


__all__ = ["exposure_blocks"]

_ENTRIES_SHOWN = 200
"""Ineligible entries listed in the human formats; the JSON report and worksheet list all."""


def _usd(value: Decimal | None) -> str:
    return "not computable" if value is None else f"${value:,.2f}"


def _group_rows(groups: tuple[ExposureGroup, ...]) -> tuple[tuple[Cell, ...], ...]:
    return tuple(
        (
            g.label,
            str(g.entries),
            _usd(g.entered_value_usd),
            _usd(g.loss_of_revenue_usd),
            str(g.not_computable) if g.not_computable else "",
        )
        for g in groups
    )


_GROUP_COLUMNS = ("{}", "Entries", "Entered value", "Loss of revenue", "Not computable")


def _group_table(label: str, groups: tuple[ExposureGroup, ...]) -> Table:
    columns = (label, *_GROUP_COLUMNS[1:])
    return Table(columns, _group_rows(groups), numeric=(1, 2, 3, 4), nowrap=(0,))


def _totals(exposure: Exposure) -> Fields:

    totals = exposure.totals()
    items: list[tuple[str, Cell]] = [
        ("Ineligible entries", str(totals["entries"])),
        ("Entered value", _usd(Decimal(totals["entered_value_usd"]))),
        ("Duties", _usd(exposure.duty_usd)),
        ("Fees (MPF, HMF)", _usd(exposure.fees_usd)),
        ("Loss of revenue", _usd(exposure.loss_of_revenue_usd)),
    ]
    if exposure.not_computable:
        # The fees are known for every entry, the duties not: the loss adds up the duties and
        # fees of the computable entries only, so say which fees those are.
        computable_fees = sum(
            (e.fees_usd for e in exposure.entries if e.loss_of_revenue_usd is not None),
            Decimal(0),
        )
        fees = (
            f"{_usd(exposure.fees_usd)} ({_usd(computable_fees)} of the computable entries, "
            "which with the duties make the loss of revenue)"
        )
        items[-2] = ("Fees (MPF, HMF)", fees)
        items[-3] = ("Duties", f"{_usd(exposure.duty_usd)} (of the computable entries)")
        items.append(
            (
                "Not computable",
                f"{exposure.not_computable} "
                + ("entry" if exposure.not_computable == 1 else "entries")
                + " (the loss shown is a lower bound)",
            )
        )
    if totals["penalty_70531_entries"]:
        items.append(
            (
                "P.L. 119-21 s.70531",
                f"{totals['penalty_70531_entries']} "
                + ("entry" if totals["penalty_70531_entries"] == 1 else "entries")
                + " arrived 3-28 Aug 2025",
            )
        )
    return Fields(tuple(items), "facts")


def _ranges(exposure: Exposure) -> list[Block]:
    ranges = exposure.penalty_ranges
    rows: list[tuple[Cell, ...]] = [
        (
            c.culpability.replace("_", " ")
            + (" (figure UNVERIFIED)" if c.confidence.upper() == "UNVERIFIED" else ""),
            c.citation,
            _usd(c.with_loss_usd),
            _usd(c.without_loss_usd),
            _usd(c.total_usd),
        )
        for c in ranges.ceilings
    ]
    blocks: list[Block] = [
        Heading(3, "Penalty ranges", "exposure-penalties"),
        Para(ranges.statement, "note"),
        Table(
            ("Culpability", "Provision", "With loss", "Without loss", "Ceiling"),
            tuple(rows),
            numeric=(2, 3, 4),
            nowrap=(1,),
        ),
        Fields(
            (
                ("Prior disclosure tenders", _usd(ranges.prior_disclosure_tender_usd)),
                (
                    "Interest",
                    "not computed (give the rates)"
                    if ranges.interest_usd is None
                    else _usd(ranges.interest_usd),
                ),
                (
                    "s.70531 ceiling",
                    f"{_usd(ranges.s70531_ceiling_usd)} for {ranges.s70531_entries} "
                    + ("entry" if ranges.s70531_entries == 1 else "entries"),
                ),
            ),
            "facts",
        ),
    ]
    blocks.extend(Para(note, "note") for note in ranges.notes)
    return blocks


def _projections(exposure: Exposure) -> list[Block]:

    unmade = [
        Para(f"{sample}: not projected: {reason}.", "note")
        for sample, reason in exposure.not_projected
    ]
    if not exposure.projections:
        return [
            Heading(3, "Projection", "exposure-projection"),
            *(
                unmade
                or [
                    Para(
                        "No seeded random sample was audited, so the population's loss of "
                        "revenue is not projected: a cited or judgment sample describes only "
                        "its own entries.",
                        "note",
                    )
                ]
            ),
        ]
    rows: list[tuple[Cell, ...]] = []
    for item in exposure.projections:
        p = item.projection
        rows.append(
            (
                item.sample_id,
                f"{p.sample_size} of {p.population_size}",
                str(p.entries_with_loss),
                _usd(p.estimate),
                f"{_usd(p.low)} to {_usd(p.high)}"
                if p.entries_with_loss
                else "none (no sampled entry had a loss)",
            )
        )
    blocks: list[Block] = [
        Heading(3, "Projection", "exposure-projection"),
        Para(exposure.projections[0].projection.method, "note"),
        Table(
            ("Sample", "Entries", "With a loss", "Estimate", "95% interval"),
            tuple(rows),
            numeric=(2, 3, 4),
            nowrap=(0, 1),
        ),
    ]
    blocks.extend(
        Para(f"{item.sample_id}: {item.projection.note}", "note")
        for item in exposure.projections
        if item.projection.note
    )
    blocks.extend(unmade)
    return blocks


_LINE_NAMED = re.compile(r" \(line [^)]*\)")
"""The line an entry-kind note names, left out where one note stands for several entries."""

_TAGGED = re.compile(r"\[S\]|tagged S\b|UNVERIFIED")
"""A note that carries a confidence tag of the bundled tables or the domain reference."""

_SNAPSHOT_NOTE = re.compile(r"rate as printed in the HTSUS snapshot of ([^:]*): [^;]*\)(; )?")
"""The caveat of a general or column 2 rate applied before the snapshot's year
(``t86audit.exposure._estimate.SNAPSHOT_RATE_NOTE``), said once for the table."""


@functools.cache
def _preference_note() -> re.Pattern[str]:
    """A line's trade-preference note (``t86audit.exposure._estimate.PREFERENCE_NOTE``).

    One per dutiable line of a preference origin, each with its own amount, so the table's
    notes would fill with them: they are counted and summed once above the totals
    (``Exposure.notes``). Imported on first use, as the report's other uses of the exposure
    package are.
    """
    from t86audit.exposure._estimate import PREFERENCE_NOTE  # noqa: PLC0415

    return re.compile(r"(?:; )?(?:" + PREFERENCE_NOTE.pattern + ")")


_AMOUNT_NOTES_SHOWN = 40
"""Distinct notes on amounts said under the entries table; the JSON report and the worksheet
give every amount's note."""


def _amount_notes(e: EntryExposure) -> list[str]:
    """What qualifies the figures of ``e``: the caveats a reader of the totals must see.

    The notes of duties (a column 2 rate and its country list [S], a publication's exemption, a
    floor heading whose effective date is not verified, a partial Section 301 item assumed to
    cover the line, a per-kg rate on gross weight) and of charges named but not estimated
    (excise taxes, AD/CVD deposits), which the loss shown leaves out. A fee's note is its
    provision or "minimum applied", not a caveat, unless the fee could not be computed. An
    entry that kept the Section 321 exemption has its basis in its entry-kind note, and a note
    that is the line's reason for not being computable is already in the Loss column.
    """
    if e.section321:
        return []
    reasons = {line.not_computable_reason for line in e.lines if line.not_computable_reason}
    notes: list[str] = []
    amounts = [a for line in e.lines for a in line.amounts] + list(e.entry_amounts)
    for a in amounts:
        if a.kind == "fee" and a.amount_usd is not None:
            continue
        # The snapshot caveat of a rate before 2025 is said once above the table.
        note = _preference_note().sub("", _SNAPSHOT_NOTE.sub("", a.note)).removeprefix("; ")
        if a.kind == "not_estimated":
            text = f"{a.provision}: not estimated, so not in the loss shown" + (
                f" ({note})" if note else ""
            )
        elif note and note not in reasons:
            text = f"{a.provision}: {note}"
        else:
            continue
        if text not in notes:
            notes.append(text)
    return notes


def _marks(numbers: list[int]) -> str:
    if not numbers:
        return ""
    label = "note" if len(numbers) == 1 else "notes"
    return f" ({label} {', '.join(str(n) for n in sorted(numbers))})"


def _entries(exposure: Exposure) -> list[Block]:
    shown = exposure.entries[:_ENTRIES_SHOWN]
    # An entry whose lawful entry type is in doubt (19 CFR 143.21) or was formal for another
    # reason (quota goods), or whose amounts carry a caveat (an unverified rate, an exemption
    # read from the HTS number, a charge not estimated: the totals above rest on them), is
    # marked in the entry-kind column, which leaves the money columns plain amounts. Each note
    # is said once below the table.
    marks: dict[str, int] = {}
    amount_notes_left = 0
    rows: list[tuple[Cell, ...]] = []
    for e in shown:
        numbers: list[int] = []
        if e.entry_kind_note:
            key = _LINE_NAMED.sub("", e.entry_kind_note)
            numbers.append(marks.setdefault(key, len(marks) + 1))
        for note in _amount_notes(e):
            if note not in marks and len(marks) >= _AMOUNT_NOTES_SHOWN:
                amount_notes_left += 1
                continue
            number = marks.setdefault(note, len(marks) + 1)
            if number not in numbers:
                numbers.append(number)
        rows.append(
            (
                e.entry_number,
                e.arrival_date.isoformat(),
                " ".join(e.reasons),
                e.entry_kind + _marks(numbers),
                _usd(e.entered_value_usd),
                _usd(e.duty_usd) if e.computable else "",
                _usd(e.fees_usd) if e.computable else "",
                _usd(e.loss_of_revenue_usd) if e.computable else e.not_computable_reason,
            )
        )
    more = ""
    if len(exposure.entries) > len(shown):
        more = (
            f"{len(exposure.entries) - len(shown)} more entries in the JSON report and the "
            "prior-disclosure worksheet"
        )
    blocks: list[Block] = [
        Heading(3, "Ineligible entries", "exposure-entries"),
        Table(
            ("Entry", "Arrival", "Reasons", "Entry", "Value", "Duty", "Fees", "Loss"),
            tuple(rows),
            numeric=(4, 5, 6),
            nowrap=(0, 1, 2, 4, 5, 6),
            more=more,
        ),
    ]
    blocks.extend(
        Para(f"Note {number}: {note.rstrip('.')}.", "note") for note, number in marks.items()
    )
    if any(_TAGGED.search(note) for note in marks):
        # The notes pass on the tables' confidence tags; a reader of the report has no other
        # key to them (the domain reference's legend, docs/estimating-exposure.md).
        blocks.append(
            Para(
                "In these notes [S] (or 'tagged S') marks a rate, list or date taken from a "
                "secondary source (trade press, a law firm's or broker's summary) that "
                "summarises the primary text, V one verified in the primary text, and "
                "UNVERIFIED one confirmed in neither.",
                "note",
            )
        )
    if amount_notes_left:
        blocks.append(
            Para(
                f"{amount_notes_left} further notes on the amounts are not listed here; the "
                "JSON report and the prior-disclosure worksheet give every amount's note.",
                "note",
            )
        )
    return blocks


def exposure_blocks(report: Report) -> list[Block]:
    """The blocks of the Exposure section of ``report`` (none when it carries no exposure)."""
    exposure = report.exposure
    if exposure is None:
        return []
    blocks = opening(
        Heading(2, "Exposure", "exposure", new_page=True),
        "What a lawful entry would have owed, on its arrival date, for each T86 entry a "
        "finding makes ineligible (over the threshold, one person on one day, China/Hong "
        "Kong gates, quota goods, alcohol and tobacco, confirmed AD/CVD scope, outside the "
        "T86 period, international mail, whose exclusion from the T86 test is summarised, "
        "its wording not verified: see By reason, ELG004). Estimates from the filed data and "
        "bundled dated tables, each amount "
        "with its provision, rate and source (JSON report, prior-disclosure worksheet); "
        "excise taxes, AD/CVD deposits and Section 232 duties are named, never counted as "
        "zero. Not a penalty assessment.",
    )
    exempt = sum(1 for e in exposure.entries if e.section321)
    if exempt:
        blocks.append(
            Para(
                f"{exempt} of these {'entry' if exempt == 1 else 'entries'} (before the T86 "
                "test, or international mail) could not be a T86 but kept the Section 321 "
                "exemption, being within the day's threshold: estimated at no duty, with the "
                "basis in the entry's note; any fee of such a release is UNVERIFIED and not "
                "counted.",
                "note",
            )
        )
    earlier = [
        e
        for e in exposure.entries
        if any(_SNAPSHOT_NOTE.match(a.note) for line in e.lines for a in line.amounts)
    ]
    if earlier:
        snapshot = next(
            found.group(1)
            for line in earlier[0].lines
            for a in line.amounts
            if (found := _SNAPSHOT_NOTE.match(a.note))
        )
        blocks.append(
            Para(
                f"For {len(earlier)} of these entries, arriving before "
                f"{snapshot[:4]} (the year of the bundled tariff schedule, HTSUS snapshot of "
                f"{snapshot}), the general (column 1) and column 2 rates charged are that "
                "schedule's, no earlier edition being bundled: a rate changed since the arrival "
                "would not show, and the rates are not verified for those dates (column 1 rates "
                "rarely change).",
                "note",
            )
        )
    # Said once, as the JSON report's exposure.notes and the worksheet's total row say them.
    blocks.extend(Para(note, "note") for note in exposure.notes)
    if exposure.missing:
        blocks.append(
            Para(
                f"{len(exposure.missing)} ineligible entries could not be read again to "
                "estimate (the audit was given a one-shot iterable of entries; pass a file, "
                "a stream or a loaded population): "
                + ", ".join(exposure.missing[:20])
                + (" and more" if len(exposure.missing) > 20 else ""),
                "alert",
            )
        )
    if not exposure.entries:
        if exposure.not_priced and not exposure.missing:
            blocks.append(Para("No entry is priced: the note above says why."))
        elif not exposure.missing:
            blocks.append(Para("No finding makes an entry ineligible: nothing to estimate."))
        return blocks
    blocks.append(_totals(exposure))
    blocks.extend(_ranges(exposure))
    blocks.extend(_projections(exposure))
    blocks.append(Heading(3, "By reason", "exposure-reasons"))
    blocks.append(Para("An entry with several reasons counts under each of them.", "note"))
    blocks.append(_group_table("Rule", exposure.by_reason))
    blocks.append(Heading(3, "By arrival month", "exposure-months"))
    blocks.append(_group_table("Month", exposure.by_month))
    blocks.append(Heading(3, "By seller", "exposure-sellers"))
    blocks.append(_group_table("Seller", exposure.by_seller))
    blocks.extend(_entries(exposure))
    return blocks
