"""The human-readable report as a list of neutral blocks, shared by text, Markdown and HTML.

:func:`build` lays the report out once, as a document counsel reads: a cover (who and what was
audited, when, with which rules and reference data), a summary, charts, the findings grouped by
rule, the samples, patterns and letter response, the audit trail, and appendices with the rule
table, the entry table and the checks the cited and sampled entries passed. Each renderer only
decides how a block looks, so the three formats always say the same thing in the same order.
Blocks hold plain, unescaped text: escaping is the renderer's job.

The full card of each finding (data element, evidence rows, waiver, citations with notes) stays
in the JSON and CSV reports; the human formats give each rule's explanation and law once, then a
compact table of its findings.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from operator import attrgetter
from typing import TYPE_CHECKING, overload

import attrs

from t86audit.findings import Severity
from t86audit.report._analysis import EntryRowSource, EntryRowValues, entry_key, fact_rows
from t86audit.report._blocks import (
    Block,
    Cell,
    Chart,
    Fields,
    Heading,
    Link,
    Para,
    Table,
    Target,
    opening,
)
from t86audit.report._common import CULPABILITY_NOTE, DISCLAIMER
from t86audit.report._exposure_blocks import exposure_blocks


if TYPE_CHECKING:
    from t86audit.findings import Citation, Finding
    from t86audit.model import Party
    from t86audit.report import Report
    from t86audit.report._common import TextWriter
    from t86audit.report._model import (
        LetterEntry,
        PatternDimension,
        PatternGroup,
        SampleEvaluation,
    )


__all__ = [
    "ChunkWriter",
    "build",
    "build_summary",
    "cell_formatter",
    "cell_text",
    "chart_table",
]

PATTERN_ROWS = 10
"""Groups shown per pattern dimension in the human formats (the JSON report has them all)."""

MONTH_ROWS = 240
"""Arrival months shown in the pattern view and the month chart (twenty years)."""

LOAD_ERROR_ROWS = 200
"""Load errors listed in the human formats (the JSON report has them all)."""

SUMMARY_FINDINGS = 50
"""Findings shown in the notebook summary."""

CHART_ROWS = 10
"""Sellers and consignees shown in the charts."""

NOTEBOOK_CHART_ROWS = 8
"""Rules shown in the notebook's chart."""


CHUNK_CHARS = 1 << 16
"""About how much text the renderers collect before each write to the stream."""


class ChunkWriter:
    """Collects text and writes it to a stream in pieces of about :data:`CHUNK_CHARS`.

    The renderers produce many small strings (a table row, a finding); one ``write`` per string
    would be slow on an unbuffered stream, and joining everything is what streaming avoids.
    """

    __slots__ = ("parts", "size", "stream")

    def __init__(self, stream: TextWriter) -> None:
        self.stream = stream
        self.parts: list[str] = []
        self.size = 0

    def write(self, text: str) -> None:
        """Add ``text``; write what was collected once there is enough."""
        self.parts.append(text)
        self.size += len(text)
        if self.size >= CHUNK_CHARS:
            self.flush()

    def flush(self) -> None:
        """Write what was collected."""
        if self.parts:
            self.stream.write("".join(self.parts))
            self.parts.clear()
            self.size = 0


def cell_formatter(
    text: Callable[[str], str],
    link: Callable[[Link], str],
    target: Callable[[Target], str],
    *,
    no_links: str = "-",
) -> Callable[[Cell], str]:
    """A function that shows a cell the way a format shows text, a link and a link target.

    Several links (a finding's citations) are shown one after another, separated by ``; ``, and
    an empty set of them as ``no_links``. A format makes its function once, rather than passing
    the three with each cell, because it runs for every cell of the entry table.
    """

    def show(cell: Cell) -> str:
        if isinstance(cell, str):
            return text(cell)
        if isinstance(cell, Link):
            return link(cell)
        if isinstance(cell, Target):
            return target(cell)
        return "; ".join(link(item) for item in cell) or no_links

    return show


def _as_is(text: str) -> str:
    return text


def _text_of(item: Link | Target) -> str:
    return item.text + item.after if isinstance(item, Link) else item.text


cell_text = cell_formatter(_as_is, _text_of, _text_of, no_links="")
"""A cell as plain text (links by their text)."""


def chart_table(chart: Chart, *, bar_width: int = 0) -> Table:
    """A chart as a table: a row per label, a column per series, the total and the marks.

    With ``bar_width`` a last column draws the total as ``#`` characters, the longest bar that
    many wide (for the text report).
    """
    totals = chart.totals()
    top = max(totals, default=0)
    marks: dict[int, list[str]] = {}
    for position, text in chart.marks:
        marks.setdefault(int(position), []).append(text)
    columns = [chart.label_header, *(name for name, _ in chart.series), "Total"]
    if marks:
        columns.append("Policy period from")
    if bar_width:
        columns.append("")
    rows: list[tuple[Cell, ...]] = []
    for i, label in enumerate(chart.labels):
        row: list[Cell] = [label, *(str(values[i]) for _, values in chart.series), str(totals[i])]
        if marks:
            row.append(", ".join(marks.get(i, ())))
        if bar_width:
            row.append("#" * (round(totals[i] * bar_width / top) if top else 0))
        rows.append(tuple(row))
    n = len(chart.series)
    return Table(tuple(columns), tuple(rows), numeric=tuple(range(1, n + 2)), nowrap=(0,))


def _safe_url(url: str | None) -> str | None:
    # A third-party pack's citation could carry a javascript: URL; only web links survive.
    if url and url.lower().startswith(("https://", "http://")):
        return url
    return None


def _citations(citations: Iterable[tuple[Citation, bool]]) -> tuple[Link, ...]:
    """Citations with their notes and dates; ``True`` beside one shown as later guidance.

    A citation later than some of the group's entries says for which: an entry before its
    date. Sections of one instrument that follow each other and say the same of themselves
    (19 CFR 4.7a, 122.48a, 123.91, 123.92 and 128.21, each older than the T86 test) are cited
    together, as counsel writes them, the words said once: repeated five times they buried the
    rest of the rule's law.
    """
    links: list[Link] = []
    run: list[Citation] = []
    run_tail = ""

    def close() -> None:
        if not run:
            return
        if len(run) == 1:
            links.append(Link(str(run[0]), _safe_url(run[0].url), run_tail))
        else:
            sections = [c.section for c in run]
            listed = ", ".join(sections[:-1]) + " and " + sections[-1]
            links.append(Link(f"{run[0].instrument} {listed}", _safe_url(run[0].url), run_tail))
        run.clear()

    for c, later in citations:
        words = "; ".join(w for w in (c.note, c.date_text) if w)
        tail = f" ({words})" if words else ""
        if later and c.date is not None:
            tail += f" [on an entry before {c.date.day} {c.date:%b %Y}: {c.later_note}]"
        if run and not (tail and tail == run_tail and _joins(run[-1], c)):
            close()
        run.append(c)
        run_tail = tail
    close()
    return tuple(links)


def _joins(first: Citation, second: Citation) -> bool:
    """Whether ``second`` can be cited with ``first`` as another section of one instrument.

    Only plain section numbers join (a section with words, "1321(a)(2), last sentence", would
    blur into the list), and only when they share a link or have none.
    """
    return (
        first.instrument == second.instrument
        and first.url == second.url
        and not re.search(r"[\s,;]", first.section + second.section)
        and bool(first.section and second.section)
    )


def _group_label(dimension: str, value: str) -> str:
    """A pattern group's value as shown: a blank filer code is a malformed entry number.

    An entry number that is not ``XXX-NNNNNNN-C`` has no filer code to read, which the cover
    and the entry table say as "(entry number malformed)"; "(blank)" would say the filer code
    was left empty, which it was not.
    """
    if value.strip():
        return value
    return "(entry number malformed)" if dimension == "filer_code" else "(blank)"


def _shown(value: str | None) -> str:
    if value is None:
        return "-"
    return value if value.strip() else "(blank)"


def _anchor(prefix: str, text: str) -> str:
    # Anchors come from input (entry numbers); only [a-z0-9-] may reach an id attribute.
    return prefix + "-" + (re.sub(r"[^a-z0-9]+", "-", entry_key(text).lower()).strip("-") or "x")


def _pct(value: float) -> str:
    # A share that is not zero (1 of 2,996 entries) never reads as 0.0%, nor one short of all
    # as 100.0%.
    if 0 < value < 0.0005:
        return "<0.1%"
    if 0.9995 <= value < 1:
        return ">99.9%"
    return f"{value * 100:.1f}%"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _waiver_text(report: Report, f: Finding) -> str:
    if not f.waived:
        return "not waived"
    waiver = report.waiver_for(f)
    if waiver is None:
        return f"WAIVED: {f.waiver_reason}"
    return f"WAIVED by {waiver.reviewer} on {waiver.date.isoformat()}: {waiver.reason}"


_BASIS_WORDS = {
    "statute": "statute",
    "regulation": "regulation",
    "executive-order": "executive order",
    "federal-register": "Federal Register notice of the T86 test",
    "guidance": "CBP guidance, not a statute or regulation (so a warning at most)",
    "secondary": "secondary sources, not binding (so a warning at most)",
    "unverified": "a source not verified in a primary text (so a warning at most)",
}


def _slug(prefix: str, text: str) -> str:
    # Ids for rules and entries: only [a-z0-9-] may reach an id attribute.
    return prefix + "-" + (re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x")


def _entry_anchor(number: str) -> str:
    return _anchor("entry", number)


def _entry_link(number: str) -> Link:
    return Link(number, "#" + _entry_anchor(number))


def _count(n: int) -> str:
    return f"{n:,}"


def _judged(by_type: dict[str, int]) -> int:
    return by_type.get("86", 0) + by_type.get("", 0)


@attrs.frozen
class _Population:
    """What the cover says about the audited entries, read once from their facts."""

    filer_codes: tuple[tuple[str, int], ...]
    first_arrival: dt.date | None
    last_arrival: dt.date | None
    by_type: dict[str, int]
    clean: int


def _population(report: Report, rows: EntryRowSource) -> _Population:
    facts = fact_rows(report)
    filers = Counter(map(attrgetter("filer_code"), facts))
    days = Counter(map(attrgetter("arrival_date"), facts))
    return _Population(
        filer_codes=tuple(sorted(filers.items(), key=lambda kv: (-kv[1], kv[0]))),
        first_arrival=min(days) if days else None,
        last_arrival=max(days) if days else None,
        by_type=rows.by_type(),
        clean=rows.clean(),
    )


def _types_text(by_type: dict[str, int]) -> str:
    return ", ".join(
        f"type {code}: {_count(n)}" if code else f"type blank or unreadable: {_count(n)}"
        for code, n in by_type.items()
    )


def _filer_text(codes: tuple[tuple[str, int], ...]) -> str:
    shown = [f"{code or '(entry number malformed)'} ({_count(n)})" for code, n in codes[:12]]
    if len(codes) > 12:
        shown.append(f"and {len(codes) - 12} more")
    return ", ".join(shown) or "-"


def _distinct(report: Report, name: str) -> str:
    for dim in report.patterns:
        if dim.name == name:
            return _count(dim.distinct_values)
    return "-"


def _cover(report: Report, pop: _Population) -> list[Block]:
    """Who and what was audited, when, with which rules and reference data."""
    period = (
        f"{pop.first_arrival.isoformat()} to {pop.last_arrival.isoformat()}"
        if pop.first_arrival and pop.last_arrival
        else "-"
    )
    options = dict(report.options)
    select = ", ".join(options.get("select", [])) or "all rules"
    ignore = ", ".join(options.get("ignore", []))
    packs = "; ".join(f"{p.name} {p.version}" for p in report.packs) or "-"
    rule_set = f"{packs}: {_plural(len(report.rules), 'rule')} run ({select}"
    rule_set += f", ignoring {ignore})" if ignore else ")"
    snapshots = "; ".join(f"{s.name} ({s.date or 'undated'})" for s in report.snapshots)
    items: list[tuple[str, Cell]] = [
        ("Entries audited", f"{_count(len(report.entries))} ({_types_text(pop.by_type) or '-'})"),
        ("Filer codes", _filer_text(pop.filer_codes)),
        ("Ultimate consignees", _distinct(report, "consignee")),
        ("Sellers", _distinct(report, "seller")),
        ("Arrival period", period),
        ("Generated at", report.generated_at.isoformat()),
        ("Rule set", rule_set),
        ("Policy table", report.result.policy_version or "-"),
        ("Reference data", snapshots or "none consulted"),
        ("Tool", f"t86audit {report.tool_version}"),
    ]
    blocks: list[Block] = [Fields(tuple(items), "cover")]
    load = report.load
    if load is not None and load.sources:
        blocks.append(
            Table(
                ("Input file", "Rows read", "SHA-256"),
                tuple((s.path, _count(s.rows_read), s.sha256 or "-") for s in load.sources),
                numeric=(1,),
                hashes=(2,),
            )
        )
    return blocks


def _rejected_lead(report: Report) -> str:
    """The summary's first words when rows were rejected at load: how many, and why mostly.

    Grouped by column as the command line's note on standard error: rows rejected only because
    a sibling row of their entry was unreadable say nothing of their own.
    """
    load = report.load
    if load is None or not load.rows_rejected:
        return ""
    text = (
        f"{_count(load.rows_rejected)} of {_count(load.rows_read)} input rows were rejected "
        "at load and are not in this audit"
    )
    lead = load.rejection_lead()
    if lead is not None:
        example = lead.example
        named = [f"column {c}" if c else "the row" for c in lead.columns]
        where = f", e.g. row {example.row}" if example.row is not None else ""
        if len(named) > 1:
            # A tie: no column is what "most of them" were rejected for.
            said = (
                f"; no column accounts for more of them than another "
                f"({_plural(lead.rows, 'row')} each): {', '.join(named)}{where}"
            )
        elif lead.is_majority:
            said = (
                f"; the column most of them were rejected for ({_plural(lead.rows, 'row')}): "
                f"{named[0]}{where}"
            )
        else:
            said = (
                f"; the column they were most often rejected for ({lead.rows} of "
                f"{_plural(lead.counted, 'row')}): {named[0]}{where}"
            )
        text += f"{said}: {example.message}"
    return text.rstrip(".") + ". Every rejected row is listed under Load errors (audit trail)."


def _summary_fields(report: Report, pop: _Population, *, cover: bool = False) -> Fields:
    """The counts; ``cover`` when the report's cover already says when it was made."""
    counts = report.counts()
    statuses: dict[str, int] = {}
    for r in report.rules:
        statuses[r.status] = statuses.get(r.status, 0) + 1
    # A rule of info severity that found something has only notes to show, no problem: said
    # apart, so that "failed" does not read as more problems than there are.
    noting = sum(
        1 for r in report.rules if r.status == "failed" and r.rule.severity is Severity.INFO
    )
    rule_text = ", ".join(
        f"{statuses[s]} {s.replace('_', ' ')}"
        for s in ("passed", "failed", "error", "not_applicable")
        if s in statuses
    )
    if noting:
        rule_text += f"; of the failed, {noting} found info notes only"
    by_type = pop.by_type
    judged = _judged(by_type)
    clean = pop.clean
    audited = f"{_count(len(report.entries))} ({_count(clean)} clean)"
    if set(by_type) - {"86"}:
        audited = (
            f"{_count(len(report.entries))}: {_count(judged)} judged as Type 86 "
            f"({_count(clean)} clean), {_count(len(report.entries) - judged)} of other "
            "types not judged by the T86 rules"
        )
    items: list[tuple[str, Cell]] = [
        ("Entries audited", audited),
        ("Clean", f"{_pct(clean / judged)} of the entries judged" if judged else "-"),
        ("Violations", _count(counts["violation"])),
        ("Warnings", _count(counts["warning"])),
        ("Info notes", _count(counts["info"])),
        ("Waived findings", _count(report.waived_count)),
        ("Rules", f"{len(report.rules)} ({rule_text or 'none run'})"),
        ("Samples", str(len(report.result.samples))),
    ]
    if set(by_type) - {"86"}:
        items.insert(1, ("Entries by type", _types_text(by_type)))
    if report.load is not None:
        items.append(
            (
                "Input rows",
                (
                    f"{_count(report.load.rows_read)} read, "
                    f"{_count(report.load.rows_rejected)} rejected"
                ),
            )
        )
    if not cover:
        items.append(("Generated at", report.generated_at.isoformat()))
    return Fields(tuple(items))


@attrs.frozen
class _RuleGroup:
    """The findings of one rule, in report order."""

    code: str
    name: str
    severity: Severity
    findings: tuple[Finding, ...]

    @property
    def entries(self) -> int:
        return len({entry_key(f.entry_number) for f in self.findings})

    @property
    def waived(self) -> int:
        return sum(1 for f in self.findings if f.waived)


def _rule_groups(report: Report) -> list[_RuleGroup]:
    grouped: dict[str, list[Finding]] = {}
    for f in report.findings:
        grouped.setdefault(f.code, []).append(f)
    return [
        _RuleGroup(code, fs[0].name, fs[0].severity, tuple(fs)) for code, fs in grouped.items()
    ]


def _rule_summary_table(report: Report, groups: list[_RuleGroup], judged: int) -> Table:
    rows: list[tuple[Cell, ...]] = []
    for g in groups:
        rule = report.rule(g.code)
        entries = g.entries
        rows.append(
            (
                Link(g.code, "#" + _slug("rule", g.code)),
                g.name,
                rule.summary if rule is not None else "",
                g.severity.value,
                _count(entries),
                _pct(entries / judged) if judged else "-",
            )
        )
    return Table(
        ("Code", "Rule", "What it means", "Severity", "Entries affected", "Share of entries"),
        tuple(rows),
        numeric=(4, 5),
        nowrap=(0, 1, 3),
    )


def _summary_section(report: Report, pop: _Population) -> list[Block]:
    blocks: list[Block] = [Heading(2, "Summary", "summary", numbered=False)]
    lead = _rejected_lead(report)
    if lead:
        blocks.append(Para(lead, "alert"))
    blocks.append(_summary_fields(report, pop, cover=True))
    blocks.append(Heading(3, "Samples", "summary-samples"))
    if report.samples:
        blocks.append(_samples_table(report))
    else:
        blocks.append(Para("No samples were drawn or supplied."))
    groups = _rule_groups(report)
    blocks.append(Heading(3, "Findings by rule", "summary-rules"))
    if groups:
        blocks.append(
            Para(
                "Entries affected: the entries with at least one finding of the rule, waived "
                "or not; their share of the entries judged as Type 86. Each code links to the "
                "rule's findings, with the law, under Findings by rule.",
                "note",
            )
        )
        blocks.append(_rule_summary_table(report, groups, _judged(pop.by_type)))
    else:
        blocks.append(Para("No findings."))
    return blocks


def _samples_table(report: Report) -> Table:
    return Table(
        ("Sample", "Method", "Size", "With a violation", "95% interval", "95% upper bound"),
        tuple(_sample_row(ev) for ev in report.samples),
        numeric=(2, 3),
        nowrap=(0, 1, 4, 5),
    )


# -- charts ------------------------------------------------------------------------------------

_SERIES = ("Violations", "Warnings", "Info or waived")


@attrs.frozen
class _NoFindings:
    """An arrival month without findings, for the month chart."""

    violations: int = 0
    warnings: int = 0
    infos: int = 0
    waived: int = 0


def _group_series(
    groups: Sequence[PatternGroup | _NoFindings],
) -> tuple[tuple[str, tuple[int, ...]], ...]:
    return (
        (_SERIES[0], tuple(g.violations for g in groups)),
        (_SERIES[1], tuple(g.warnings for g in groups)),
        (_SERIES[2], tuple(g.infos + g.waived for g in groups)),
    )


def _group_total(g: PatternGroup | _NoFindings) -> int:
    return g.violations + g.warnings + g.infos + g.waived


def _month_start(text: str) -> dt.date | None:
    try:
        return dt.date(int(text[:4]), int(text[5:7]), 1)
    except ValueError:
        return None


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _month_chart(report: Report, pop: _Population, dim: PatternDimension) -> list[Block]:
    by_month = {g.value: g for g in dim.groups}
    starts = [d for d in (_month_start(v) for v in by_month) if d is not None]
    if pop.first_arrival is not None and pop.last_arrival is not None:
        starts += [pop.first_arrival.replace(day=1), pop.last_arrival.replace(day=1)]
    if not starts:
        return []
    months: list[dt.date] = []
    day = min(starts)
    while day <= max(starts) and len(months) < MONTH_ROWS:
        months.append(day)
        day = _next_month(day)
    if len(months) == MONTH_ROWS:  # a very long period: only the months with findings
        months = sorted(d for d in (_month_start(v) for v in by_month) if d is not None)
    labels = tuple(f"{d.year:04d}-{d.month:02d}" for d in months)
    index = {d: i for i, d in enumerate(months)}
    marks: list[tuple[float, str]] = []
    legend: list[tuple[Cell, ...]] = []
    for period in report.policy_periods:
        month = period.start.replace(day=1)
        if month in index and period.start > months[0]:
            days = calendar.monthrange(month.year, month.month)[1]
            number = str(len(marks) + 1)
            marks.append((index[month] + (period.start.day - 1) / days, number))
            legend.append((number, period.start.isoformat(), period.id, period.title))
        elif period.contains(months[0]):
            legend.append(("-", period.start.isoformat(), period.id, period.title))
    empty = _NoFindings()
    groups: list[PatternGroup | _NoFindings] = [by_month.get(label, empty) for label in labels]
    chart = Chart(
        "months",
        "Findings by arrival month",
        "Month",
        labels,
        _group_series(groups),
        kind="columns",
        marks=tuple(marks),
        note="Months in date order; dashed lines mark where a policy period begins "
        "(numbered as in the table below).",
    )
    blocks: list[Block] = [Heading(3, "Findings by arrival month", "chart-months"), chart]
    if legend:
        blocks.append(
            Table(
                ("Mark", "From", "Policy period", "What changed"),
                tuple(legend),
                nowrap=(0, 1, 2),
            )
        )
    return blocks


def _top_chart(key: str, title: str, dim: PatternDimension) -> list[Block]:
    groups = sorted(dim.groups, key=lambda g: (-_group_total(g), g.value))[:CHART_ROWS]
    if not groups:
        return []
    more = len(dim.groups) - len(groups)
    note = f"The {len(groups)} with the most findings" + (
        f" of {len(dim.groups)} with any (more under Patterns; all in the JSON report)."
        if more > 0
        else "."
    )
    return [
        Heading(3, title, "chart-" + key),
        Chart(
            key,
            title,
            dim.label,
            tuple(_group_label(dim.name, g.value) for g in groups),
            _group_series(groups),
            note=note,
        ),
    ]


def _rule_chart(
    report: Report, key: str, title: str, *, severities: tuple[Severity, ...], rows: int = 0
) -> Chart | None:
    """Findings of the given severities per rule, most first, in the series of the charts."""
    slot = {Severity.VIOLATION: 0, Severity.WARNING: 1, Severity.INFO: 2}
    tallies: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    for f in report.findings:
        if f.severity in severities:
            counts = tallies.setdefault(f.code, [0, 0, 0])
            counts[2 if f.waived else slot[f.severity]] += 1
            names[f.code] = f.name
    if not tallies:
        return None
    ordered = sorted(tallies, key=lambda c: (-sum(tallies[c]), c))
    if rows:
        ordered = ordered[:rows]
    series = tuple(
        (name, tuple(tallies[c][i] for c in ordered))
        for i, name in enumerate(_SERIES)
        if any(tallies[c][i] for c in ordered)
    )
    return Chart(key, title, "Rule", tuple(f"{c} {names[c]}" for c in ordered), series)


def _charts_section(report: Report, pop: _Population) -> list[Block]:
    blocks: list[Block] = [Heading(2, "Charts", "charts", numbered=False)]
    if not report.findings:
        blocks.append(Para("No findings: nothing to chart."))
        return blocks
    blocks.append(
        Para(
            "Violations are drawn solid, warnings hatched, info notes and waived findings in "
            "light grey; each bar is labelled with its total. Counts are findings, not entries.",
            "note",
        )
    )
    dims = {d.name: d for d in report.patterns}
    if "month" in dims:
        blocks.extend(_month_chart(report, pop, dims["month"]))
    chart = _rule_chart(report, "rules", "Violations by rule", severities=(Severity.VIOLATION,))
    if chart is not None:
        blocks.extend([Heading(3, "Violations by rule", "chart-rules"), chart])
    if "seller" in dims:
        blocks.extend(_top_chart("sellers", "Top sellers by findings", dims["seller"]))
    if "consignee" in dims:
        blocks.extend(_top_chart("consignees", "Top consignees by findings", dims["consignee"]))
    return blocks


# -- findings by rule --------------------------------------------------------------------------


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def _same(values: Iterable[str | None]) -> str | None:
    """The one value all of ``values`` share, or ``None`` when they differ."""
    distinct = set(values)
    return distinct.pop() if len(distinct) == 1 else None


def _rule_intro(report: Report, g: _RuleGroup) -> Para:
    rule = report.rule(g.code)
    waived = f", {g.waived} waived" if g.waived else ""
    parts = [
        (
            f"{g.severity.value.capitalize()}: {_plural(len(g.findings), 'finding')} on "
            f"{_plural(g.entries, 'entry', 'entries')}{waived}."
        )
    ]
    fields = _unique(f.field or "" for f in g.findings)
    if fields:
        parts.append(f"Data element: {', '.join(fields)}.")
    bases = _unique(f.basis or "" for f in g.findings)
    if bases:
        parts.append(f"Basis: {'; '.join(_BASIS_WORDS.get(b, b) for b in bases)}.")
    if rule is not None:
        parts.insert(0, rule.summary)
    return Para(" ".join(parts))


def _rule_fields(report: Report, g: _RuleGroup) -> Fields:
    rule = report.rule(g.code)
    seen: dict[Citation, tuple[Citation, bool]] = {}
    for f in g.findings:
        for c in f.citations:
            # Later guidance on one entry, the basis on another: said once, with its date. Two
            # texts of one provision (19 CFR 10.151 at $200, then at $800) are two sources.
            source = attrs.evolve(c, later_guidance=False) if c.later_guidance else c
            first = seen.get(source)
            seen[source] = (source, c.later_guidance or (first is not None and first[1]))
    items: list[tuple[str, Cell]] = [("Law", _citations(seen.values()))]
    required = _same(f.expected for f in g.findings)
    if required is not None:
        items.append(("Required", _shown(required)))
    period = _same(f.policy_period for f in g.findings)
    if period:
        items.append(("Policy period", _period_title(report, period)))
    if rule is not None:
        items.append(("Why it matters", rule.rationale))
        items.append(("Reasonable care", rule.reasonable_care))
    return Fields(tuple(items))


def _law_on_its_date(g: _RuleGroup) -> Callable[[Finding], str] | None:
    """What each finding cites that not every finding of the rule cites alike, or ``None``.

    A rule's findings on entries of different dates can rest on different law (84 FR 40079
    before 15 Feb 2024, 89 FR 2630 from then; CBP guidance in force on one entry and later
    guidance on another). The rule's Law field lists every source once; this names, beside
    each finding, the sources that differ, later guidance marked, so counsel sees which law
    governed that entry without working it out from the dates. The findings of one rule and
    day share one citations tuple (findings.cited_on), so each distinct tuple is read once.
    """
    distinct = dict.fromkeys(f.citations for f in g.findings)
    # A text the rule's findings cite in two spans (two texts of one provision) names its span.
    spans: dict[str, set[tuple[dt.date | None, dt.date | None]]] = {}
    for citations in distinct:
        for c in citations:
            spans.setdefault(str(c), set()).add((c.date, c.until))
    kinds = {
        citations: tuple(
            (_edition(c) if len(spans[str(c)]) > 1 else str(c), c.later_guidance)
            for c in citations
        )
        for citations in distinct
    }
    if len(set(kinds.values())) < 2:
        return None
    common = set.intersection(*(set(k) for k in kinds.values()))
    words = {
        cited: "; ".join(
            name + (" (later guidance)" if later else "")
            for name, later in key
            if (name, later) not in common
        )
        or "-"
        for cited, key in kinds.items()
    }
    return lambda f: words[f.citations]


def _edition(c: Citation) -> str:
    """A provision in the text of one span, where the rule cites it in two (19 CFR 10.151)."""
    if c.until is not None:
        last = c.until - dt.timedelta(days=1)
        return f"{c} (text until {last.day} {last:%b %Y})"
    if c.date is not None:
        return f"{c} (text from {c.date.day} {c.date:%b %Y})"
    return str(c)


def _finding_rows(g: _RuleGroup, report: Report) -> Table:
    # A column whose value is the same on every finding is said once, in the rule's fields.
    law = _law_on_its_date(g)
    has_line = any(f.line_number is not None for f in g.findings)
    has_related = any(f.related_entries for f in g.findings)
    has_required = _same(f.expected for f in g.findings) is None
    has_period = _same(f.policy_period for f in g.findings) is None
    has_waiver = any(f.waived for f in g.findings)
    columns: list[str] = ["Entry"]
    nowrap = [0]
    if has_line:
        nowrap.append(len(columns))
        columns.append("Line")
    columns.append("Filed")
    if has_required:
        columns.append("Required")
    columns.append("Fact")
    if has_related:
        columns.append("Related entries")
    if has_period:
        nowrap.append(len(columns))
        columns.append("Policy period")
    if law is not None:
        columns.append("Law on its date")
    if has_waiver:
        columns.append("Waiver")
    rows: list[tuple[Cell, ...]] = []
    for f in g.findings:
        row: list[Cell] = [_entry_link(f.entry_number)]
        if has_line:
            row.append("-" if f.line_number is None else str(f.line_number))
        row.append(_shown(f.observed))
        if has_required:
            row.append(_shown(f.expected))
        row.append(f.message)
        if has_related:
            row.append(tuple(_entry_link(n) for n in f.related_entries))
        if has_period:
            row.append(f.policy_period or "-")
        if law is not None:
            row.append(law(f))
        if has_waiver:
            row.append(_waiver_text(report, f) if f.waived else "-")
        rows.append(tuple(row))
    return Table(tuple(columns), tuple(rows), nowrap=tuple(nowrap))


def _findings_section(report: Report) -> list[Block]:
    blocks = opening(
        Heading(2, "Findings by rule", "findings", new_page=True),
        "One part per rule, violations first: what the rule checks, the law and its basis, "
        "why it matters and what a filer exercising reasonable care does, then the entries "
        "it found, with what was filed and what was required. Entry numbers link to the "
        "entry table (Appendix B); the policy period is the one whose law the finding "
        "applied. Where a rule's findings rest on different law (their entries' dates "
        "differ), a Law on its date column names, beside each finding, the sources it cites "
        "that the others do not cite alike, later guidance marked ('-': only the sources all "
        "of them share). Waived findings stay listed and do not count toward --fail-on. The "
        "JSON and CSV reports give every finding in full.",
    )
    groups = _rule_groups(report)
    if not groups:
        blocks.append(Para("No findings."))
    for g in groups:
        blocks.append(Heading(3, f"{g.code} {g.name}", _slug("rule", g.code)))
        blocks.append(_rule_intro(report, g))
        blocks.append(_rule_fields(report, g))
        blocks.append(_finding_rows(g, report))
    return blocks


# -- samples, patterns, letter, waivers, trail ------------------------------------------------


_METHOD_WORDS = {
    "random": "seeded simple random sample",
    "stratified": "seeded stratified sample",
    "cited": "entries cited by CBP or another party",
    "judgment": "entries picked by judgment",
}


def _sample_blocks(ev: SampleEvaluation) -> list[Block]:
    s = ev.sample
    items: list[tuple[str, Cell]] = [
        ("Method", f"{s.method} ({_METHOD_WORDS.get(s.method, s.method)})"),
        ("Seed", "none" if s.seed is None else str(s.seed)),
        ("Drawn at", s.drawn_at.isoformat()),
        (
            "Population",
            f"{s.population_size} entries, fingerprint {s.population_fingerprint or '-'}",
        ),
    ]
    if ev.population_matches is not None:
        items.append(
            (
                "Same population as audited",
                "yes"
                if ev.population_matches
                else "NO: the audited entries differ from those the sample was drawn from",
            )
        )
    if s.stratify_by:
        items.append(("Stratified by", s.stratify_by))
    if s.note:
        items.append(("Note", s.note))
    items.append(
        ("Entries with at least one violation", f"{ev.entries_with_violations} of {s.size}")
    )
    if ev.rate_interval_95 is not None:
        low, high = ev.rate_interval_95
        items.append(("Point estimate", _pct(ev.point_estimate or 0.0)))
        items.append(("95% interval (exact, two-sided)", f"{_pct(low)} to {_pct(high)}"))
        items.append(
            (
                "95% upper bound (exact, one-sided)",
                _pct(ev.upper_bound_95)
                if ev.upper_bound_95 is not None
                else "none below 100% (every sampled entry has a violation)",
            )
        )
        projection = (
            "A seeded simple random sample: the interval is an exact (Clopper-Pearson) bound "
            "for the rate of violations visible in the filed data among the population's "
            "Type 86 entries, each entry number once (the entries a draw can pick; entries of "
            "other types are not drawn); faults the filed data cannot show (in documents or "
            "the goods) are not counted."
        )
    elif s.method == "stratified":
        # A stratified random sample is a probability sample: its rate could be projected,
        # but only weighted by stratum, which the report does not do. It must not be called
        # a sample that describes only its own entries, nor given an unweighted interval.
        projection = (
            "Not projected: a stratified sample's rate describes the population only when "
            "each stratum is weighted by its share of the population, which this report does "
            "not do; no population rate or interval is given. For one, draw a seeded simple "
            "random sample (t86audit sample --seed N)."
        )
    else:
        projection = (
            f"Not projectable: a {s.method} sample describes only its own "
            f"{_plural(s.size, 'entry', 'entries')}. No population rate or interval is given; "
            "to estimate one, draw a seeded random sample (t86audit sample --seed N)."
        )
    items.append(
        (
            "Zero-failure sample size",
            (
                f"{ev.zero_failure_sample_size} random entries, all without a violation, "
                f"would show a rate of violations visible in the filed data below "
                f"{_pct(ev.target_rate)} with 95% confidence"
            ),
        )
    )
    violations = dict(ev.violations_by_entry)
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (
            Link(e.number, "#" + _anchor("letter", e.number)),
            e.arrival_date.isoformat(),
            e.consignee.name,
            f"{e.total_value:,.2f}",
            str(violations.get(e.number, 0)),
        )
        for e in s.entries
    )
    return [
        Heading(3, f"Sample {s.id}: {s.method}, {_plural(s.size, 'entry', 'entries')}"),
        Fields(tuple(items)),
        Para(projection, "note"),
        Table(
            ("Entry", "Arrival", "Consignee", "Value (USD)", "Violations"),
            rows,
            numeric=(3, 4),
            nowrap=(0, 1),
        ),
    ]


def _samples_section(report: Report) -> list[Block]:
    blocks: list[Block] = [Heading(2, "Samples", "samples")]
    if not report.samples:
        blocks.append(
            Para(
                "No samples were drawn or supplied. Draw a random sample with "
                "`t86audit sample --seed N`, or rebuild a cited one with `--cite`, and pass it "
                "with --samples."
            )
        )
    for ev in report.samples:
        blocks.extend(_sample_blocks(ev))
    return blocks


def _pattern_blocks(dim: PatternDimension) -> list[Block]:
    if dim.name == "month":
        # Months read in date order, all of them (they are few).
        ordered = sorted(dim.groups, key=lambda g: g.value)
        shown = ordered[:MONTH_ROWS]
    else:
        shown = list(dim.groups[:PATTERN_ROWS])
    more = len(dim.groups) - len(shown)
    rows = tuple(
        (
            _group_label(dim.name, g.value),
            str(g.entries),
            str(g.entries_flagged),
            _pct(g.rate),
            str(g.violations),
            str(g.warnings),
            str(g.waived),
            ", ".join(f"{t.code} ({t.entries})" for t in g.rules),
        )
        for g in shown
    )
    blocks: list[Block] = [
        Heading(3, f"By {dim.label.lower()}", "patterns-" + _slug("by", dim.name)[3:]),
        Para(
            f"{_plural(dim.distinct_values, 'distinct value')} among the audited entries; "
            f"{len(dim.groups)} with findings"
            + (", in date order." if dim.name == "month" else ", most entries flagged first.")
        ),
    ]
    if rows:
        blocks.append(
            Table(
                (
                    dim.label,
                    "Entries",
                    "Flagged",
                    "Share flagged",
                    "Violations",
                    "Warnings",
                    "Waived",
                    "Rules (entries)",
                ),
                rows,
                numeric=(1, 2, 3, 4, 5, 6),
                more=f"{more} more in the JSON report" if more > 0 else "",
                nowrap=(0,) if dim.name in ("month", "port", "filer_code") else (),
            )
        )
    return blocks


def _patterns_section(report: Report) -> list[Block]:
    blocks = opening(
        Heading(2, "Patterns", "patterns"),
        "CBP acts on patterns and frequency, not on single entries. Unwaived findings are "
        "counted here against the seller, the ultimate consignee, the filer code, the port "
        "and the arrival month of the entry they are about. Flagged: entries with at least "
        "one unwaived violation or warning. Rules (entries): how many of the group's "
        "entries each rule flagged.",
    )
    if not report.facts:
        blocks.append(Para("No entry facts were recorded for this report."))
        return blocks
    for dim in report.patterns:
        blocks.extend(_pattern_blocks(dim))
    return blocks


def _party(party: Party) -> str:
    # Required elements say so when blank; optional ones are simply left out.
    parts = [
        party.name.strip() or "(name blank)",
        party.address.strip() or "(address blank)",
        *(p.strip() for p in (party.city, party.state, party.postal_code) if p.strip()),
        party.country.strip() or "(country blank)",
    ]
    return ", ".join(parts)


def _period_title(report: Report, period_id: str) -> str:
    """A policy period as its id and what opened it (the id alone if unknown)."""
    for period in report.policy_periods:
        if period.id == period_id:
            return f"{period.id}: {period.title}"
    return period_id


def _period_at(report: Report, day: dt.date) -> str:
    for period in report.policy_periods:
        if period.contains(day):
            return f"{period.id}: {period.title}"
    return ""


def _letter_entry(report: Report, item: LetterEntry) -> list[Block]:
    e = item.entry
    short: list[tuple[str, Cell]] = [
        ("Samples", ", ".join(item.samples)),
        ("Arrival date", e.arrival_date_raw or e.arrival_date.isoformat()),
        ("Port of entry", _shown(e.port_code)),
        ("Filer code", e.filer_code or "(entry number malformed)"),
        ("Entry type", _shown(e.entry_type)),
        ("Mode", _shown(e.mode)),
        ("Bill of lading", _shown(e.bill_of_lading)),
        ("Filed at", _shown(e.filed_at_raw)),
        ("Declared value (USD)", f"{e.total_value:,.2f}"),
    ]
    if e.importer_of_record:
        short.append(("Importer of record", e.importer_of_record))
    facts: list[tuple[str, Cell]] = [
        ("Ultimate consignee", _party(e.consignee)),
        ("Seller", _party(e.seller)),
    ]
    period = _period_at(report, e.arrival_date)
    if period:
        facts.append(("Policy period on arrival", period))
    if e.source:
        rows = ", ".join(str(r) for r in e.source_rows)
        label = "data row" if len(e.source_rows) == 1 else "data rows"
        facts.append(("Source", f"{e.source}" + (f", {label} {rows}" if rows else "")))
    lines = tuple(
        (
            str(line.line_number),
            _shown(line.description),
            _shown(line.hts_number),
            _shown(line.country_of_origin),
            _shown(line.value_raw or ("" if line.value_usd is None else str(line.value_usd))),
            _shown(line.quantity_raw or ("" if line.quantity is None else str(line.quantity)))
            + (f" {line.quantity_unit}" if line.quantity_unit else ""),
        )
        for line in e.lines
    )
    blocks: list[Block] = [
        Heading(3, f"Entry {e.number}", _anchor("letter", e.number)),
        Fields(tuple(short), "facts"),
        Fields(tuple(facts)),
        Table(
            ("Line", "Description as filed", "HTS", "Origin", "Value (USD)", "Quantity"),
            lines,
            numeric=(0, 4),
            nowrap=(2, 3),
        ),
    ]
    judged = _rules_on(report, item)
    if item.findings:
        blocks.append(
            Table(
                (
                    "Code",
                    "Rule",
                    "Severity",
                    "Data element",
                    "Filed",
                    "Required",
                    "Fact",
                    "Law",
                    "Waiver",
                ),
                tuple(
                    (
                        Link(f.code, "#" + _slug("rule", f.code)),
                        f.name,
                        f.severity.value,
                        _element(f),
                        _shown(f.observed),
                        _shown(f.expected),
                        f.message,
                        _law(f),
                        _waiver_text(report, f),
                    )
                    for f in item.findings
                ),
                nowrap=(0, 1, 2),
            )
        )
    elif not judged:
        blocks.append(
            Para(
                f"Not judged: an entry of type {_shown(e.entry_type)} is not a Type 86 entry, and "
                "no rule of this audit judges its type. The absence of findings says nothing "
                "about its compliance; check the entry type as filed against the letter."
            )
        )
    else:
        blocks.append(Para("No finding on this entry."))
    if item.related_findings:
        blocks.append(Para("Named in findings on other entries:"))
        blocks.append(
            Table(
                ("Code", "Entry", "Fact"),
                tuple(
                    (
                        Link(f.code, "#" + _slug("rule", f.code)),
                        _entry_link(f.entry_number),
                        f.message,
                    )
                    for f in item.related_findings
                ),
                nowrap=(0, 1),
            )
        )
    checks = (
        f"Checks passed: {len(item.passed)} of {judged}"
        if judged
        else "Checks passed: none ran on this entry"
    )
    other = len(item.not_checked) - len(item.not_in_force)
    if item.not_in_force:
        checks += f"; {len(item.not_in_force)} not in force on its dates"
    if other:
        checks += f"; {other} not checked"
    blocks.append(Para(checks + " (Appendix C names them)."))
    return blocks


def _element(f: Finding) -> str:
    """The data element a finding is about, with its line: ``line 1 description``."""
    field = f.field or "entry"
    return field if f.line_number is None else f"line {f.line_number} {field}"


def _law(f: Finding) -> str:
    """A finding's provisions, and what kind of source they are when not statute or rule.

    Later sources that follow each other with the same marking carry it once, after the last,
    saying how many it covers ("CSMS 60011750; CSMS 60144714 [both: issued after this entry;
    ...]"): the same sentence in brackets after each made the letter's Law column a wall of
    brackets. The CSV, XLSX and records keep one marking per citation (cited_law), which a
    filter on the cell can rely on.
    """
    parts: list[str] = []
    run = 0  # how many of the last parts are later sources sharing ``note``
    note = ""
    for c in f.citations:
        mark = c.later_note if c.later_guidance and c.later_note else ""
        if run and mark != note:
            parts[-1] += _marking(note, run)
            run = 0
        parts.append(str(c))
        if mark:
            note = mark
            run += 1
    if run:
        parts[-1] += _marking(note, run)
    law = "; ".join(parts) or "-"
    if f.basis in ("guidance", "secondary", "unverified"):
        law += f" (basis: {_BASIS_WORDS[f.basis]})"
    return law


def _marking(note: str, count: int) -> str:
    if count == 1:
        return f" [{note}]"
    return f" [{'both' if count == 2 else f'all {count}'}: {note}]"


def _rules_on(report: Report, item: LetterEntry) -> int:
    """How many rules ran on the entry.

    The rules that ran, less those that do not judge its type (a T86 rule on a 01 entry) or
    whose requirement was not in force on its dates, which the letter response lists as not
    checked.
    """
    unchecked = {r.rule.code for r in item.not_checked}
    return sum(
        1
        for r in report.rules
        if r.status in ("passed", "failed") and r.rule.code not in unchecked
    )


def _letter_section(report: Report) -> list[Block]:
    blocks: list[Block] = [
        *opening(
            Heading(2, "Letter response", "letter-response"),
            "For each cited or sampled entry: what was filed, every finding on it, and how many "
            "checks it passed. The law, why it matters and what a filer exercising reasonable "
            "care does are given once per rule under Findings by rule (each code links there); "
            "Appendix C names the checks each entry passed.",
        ),
        Para(CULPABILITY_NOTE, "note"),
    ]
    letter = report.letter_response
    if not letter:
        blocks.append(
            Para(
                "No cited or sampled entries. Rebuild the entries of a CBP letter with "
                "`t86audit sample --cite NUMBERS` and pass the file with --samples."
            )
        )
    for item in letter:
        blocks.extend(_letter_entry(report, item))
    return blocks


def _waivers_section(report: Report) -> list[Block]:
    blocks: list[Block] = [Heading(2, "Waivers", "waivers")]
    ws = report.waivers
    if not ws.waivers:
        blocks.append(Para("No waivers were given."))
        return blocks
    blocks.append(
        Fields(
            (
                ("Waivers file", ws.source),
                ("SHA-256", ws.sha256 or "-"),
                ("Waivers given", str(len(ws.waivers))),
                ("Findings waived", str(report.waived_count)),
                ("Waivers unused", str(len(report.unused_waivers))),
            )
        )
    )
    waived_by: dict[tuple[str, str], int] = {}
    for f in report.findings:
        waiver = report.waiver_for(f)
        if waiver is not None:
            slot = (entry_key(waiver.entry_number), waiver.code)
            waived_by[slot] = waived_by.get(slot, 0) + 1
    unused = {id(u.waiver): u.why for u in report.unused_waivers}
    rows = tuple(
        (
            w.entry_number,
            w.code,
            str(waived_by.get((w.key, w.code), 0)),
            w.reviewer,
            w.date.isoformat(),
            w.reason,
            unused.get(id(w), "applied"),
        )
        for w in ws.waivers
    )
    blocks.append(
        Table(
            ("Entry", "Code", "Findings waived", "Reviewer", "Date", "Reason", "Use"),
            rows,
            numeric=(2,),
            nowrap=(0, 1, 4),
        )
    )
    return blocks


def _trail_section(report: Report) -> list[Block]:
    options = dict(report.options)
    seeds = sorted({s.seed for s in report.result.samples if s.seed is not None})
    items: list[tuple[str, Cell]] = [
        ("Tool", f"t86audit {report.tool_version}"),
        ("Generated at", report.generated_at.isoformat()),
        ("Policy table version", report.result.policy_version),
        ("Population fingerprint", report.population_fingerprint or "-"),
        ("Seeds", ", ".join(str(s) for s in seeds) or "none"),
        ("Target rate (zero-failure size)", _pct(report.target_rate)),
        ("Select", ", ".join(options.get("select", [])) or "all rules"),
        ("Ignore", ", ".join(options.get("ignore", [])) or "none"),
    ]
    for code, values in sorted(dict(options.get("rule_options", {})).items()):
        for name, value in sorted(dict(values).items()):
            items.append((f"Option {code}.{name}", str(value)))
    for key, value in sorted(report.invocation.items()):
        items.append((f"Run: {key}", _plain(value)))
    blocks: list[Block] = [
        Heading(2, "Audit trail", "audit-trail"),
        Fields(tuple(items)),
    ]
    load = report.load
    if load is not None:
        blocks.append(Heading(3, "Input files"))
        blocks.append(
            Table(
                ("File", "SHA-256", "Rows read"),
                tuple((s.path, s.sha256 or "-", str(s.rows_read)) for s in load.sources),
                numeric=(2,),
                hashes=(1,),
                more=f"{load.rows_read} rows read in all, {load.rows_rejected} rejected, "
                f"{len(report.entries)} entries audited",
            )
        )
    blocks.append(Heading(3, "Rule packs"))
    blocks.append(
        Table(
            ("Pack", "Version", "Rules"),
            tuple((p.name, p.version, str(len(p.rules))) for p in report.packs),
            numeric=(2,),
        )
    )
    blocks.append(Heading(3, "Reference data"))
    if report.snapshots:
        blocks.append(
            Table(
                ("Table", "Date", "Source", "SHA-256"),
                tuple((s.name, s.date or "-", s.source, s.sha256) for s in report.snapshots),
                nowrap=(0, 1),
                hashes=(3,),
            )
        )
    else:
        blocks.append(Para("No reference table was consulted."))
    if load is not None and load.errors:
        blocks.append(Heading(3, "Load errors"))
        shown = load.errors[:LOAD_ERROR_ROWS]
        more = len(load.errors) - len(shown)
        blocks.append(
            Table(
                ("Source", "Row", "Column", "Value", "Reason"),
                tuple(
                    (
                        e.source,
                        "-" if e.row is None else str(e.row),
                        e.column or "-",
                        _shown(e.value),
                        e.message,
                    )
                    for e in shown
                ),
                numeric=(1,),
                more=f"{more} more in the JSON report" if more > 0 else "",
                nowrap=(2,),
            )
        )
    return blocks


def _plain(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return ", ".join(f"{k}={_plain(v)}" for k, v in sorted(value.items()))
    if isinstance(value, list | tuple):
        return ", ".join(_plain(v) for v in value)
    return "-" if value is None else str(value)


# -- appendices --------------------------------------------------------------------------------


def _rule_rows(report: Report) -> tuple[tuple[Cell, ...], ...]:
    waived: dict[str, int] = {}
    for f in report.findings:
        if f.waived:
            waived[f.code] = waived.get(f.code, 0) + 1
    rows: list[tuple[Cell, ...]] = []
    for r in report.rules:
        note = r.reason
        if r.errors:
            note = f"{r.error_count} error(s), first: {r.errors[0].exception_type}: "
            note += r.errors[0].message
        rows.append(
            (
                r.rule.code,
                r.rule.name,
                r.rule.severity.value,
                r.status.replace("_", " "),
                str(r.findings),
                str(waived.get(r.rule.code, 0)),
                note or "",
            )
        )
    return tuple(rows)


_RULE_COLUMNS = ("Code", "Rule", "Severity", "Status", "Findings", "Waived", "Note")


def _rules_appendix(report: Report) -> list[Block]:
    rows = tuple(
        (code, name, rule.rule.summary, severity, status, *n)
        for (code, name, severity, status, *n, _), rule in zip(
            _rule_rows(report), report.rules, strict=True
        )
    )
    notes = tuple((r[0], r[-1]) for r in _rule_rows(report) if r[-1])
    blocks: list[Block] = [
        *opening(
            Heading(2, "Appendix A. Rules", "rules", numbered=False),
            "passed: ran on every entry and found nothing; failed: found something; "
            "error: raised on some entry (never read as passed); not applicable: could not "
            "run, with the reason (after the table). The rules that passed or failed are the "
            "checks every cited or sampled entry is held to (Appendix C).",
        ),
        Table(
            (*_RULE_COLUMNS[:2], "What it checks", *_RULE_COLUMNS[2:6]),
            rows,
            numeric=(5, 6),
            nowrap=(0, 1, 3, 4),
        ),
    ]
    if notes:
        blocks.append(Fields(tuple((str(code), note) for code, note in notes)))
    return blocks


_ENTRY_COLUMNS = (
    "Entry",
    "Arrival",
    "Port",
    "Consignee",
    "Seller",
    "Violations",
    "Warnings",
    "Info",
    "Waived",
    "Standing",
    "Samples",
)


class _EntryTableRows(Sequence[tuple[Cell, ...]]):
    """The rows of the entry table worth listing, made from the report's entry rows as read.

    An entry is listed when it has a finding (waived or not), is in a sample, is named by a
    finding on another entry (so every in-page link to an entry has its row) or is of another
    type than 86 (not judged); the clean rest is counted, not listed.
    """

    __slots__ = ("_counted", "_indices", "_unlisted", "keep", "named", "source")

    def __init__(self, source: EntryRowSource, named: frozenset[str]) -> None:
        self.source = source
        self.named = named
        self._indices: list[int] | None = None
        self._unlisted: Counter[str] = Counter()
        self._counted = [False, False, False, False]  # any violation, warning, info, waived
        self.keep: tuple[int, ...] = tuple(range(len(_ENTRY_COLUMNS)))
        """The columns shown (all unless :meth:`drop_empty` left some out)."""

    def _listed(self, values: EntryRowValues) -> bool:
        return bool(
            values[8]
            or values[9]
            or values[10]
            or values[11]
            or values[13]
            or values[12] == "not_judged"
            or (self.named and entry_key(values[0]) in self.named)
        )

    def _index(self) -> list[int]:
        if self._indices is None:
            indices: list[int] = []
            unlisted: Counter[str] = Counter()
            counted = self._counted
            for i, values in enumerate(self.source):
                if self._listed(values):
                    indices.append(i)
                    for c in range(4):
                        counted[c] = counted[c] or bool(values[8 + c])
                else:
                    unlisted[values[12]] += 1
            self._indices = indices
            self._unlisted = unlisted
        return self._indices

    def unlisted(self) -> Counter[str]:
        """The entries left out, by standing (``clean``, ``not_judged``)."""
        self._index()
        return self._unlisted

    def drop_empty(self) -> None:
        """Leave out the info and waived columns when no listed entry has one."""
        self._index()
        self.keep = tuple(
            i for i in range(len(_ENTRY_COLUMNS)) if i not in (7, 8) or self._counted[i - 5]
        )

    def __len__(self) -> int:
        return len(self._index())

    def _cells(self, values: EntryRowValues, anchor: bool) -> tuple[Cell, ...]:
        cells = self._all_cells(values, anchor)
        keep = self.keep
        return cells if len(keep) == len(cells) else tuple(cells[i] for i in keep)

    @staticmethod
    def _all_cells(values: EntryRowValues, anchor: bool) -> tuple[Cell, ...]:
        number = values[0]
        return (
            Target(number, _entry_anchor(number)) if anchor else number,
            values[1],  # arrival date
            values[4],  # port
            values[7],  # consignee
            values[6],  # seller
            str(values[8]),  # violations
            str(values[9]),  # warnings
            str(values[10]),  # infos
            str(values[11]),  # waived
            (  # standing
                f"type {values[14]}: not judged by the T86 rules"
                if values[12] == "not_judged"
                else values[12]
            ),
            tuple(Link(s, "#" + _anchor("letter", number)) for s in values[13]),
        )

    @overload
    def __getitem__(self, index: int) -> tuple[Cell, ...]: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[tuple[Cell, ...]]: ...

    def __getitem__(self, index: int | slice) -> tuple[Cell, ...] | Sequence[tuple[Cell, ...]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        indices = self._index()
        if not -len(indices) <= index < len(indices):
            msg = "row index out of range"
            raise IndexError(msg)
        return self._cells(self.source.row(indices[index]), anchor=True)

    def __iter__(self) -> Iterator[tuple[Cell, ...]]:
        cells = self._cells
        listed = self._listed
        seen: set[str] = set()  # an entry number filed twice gets one anchor
        for values in self.source:
            if listed(values):
                anchor = values[0] not in seen
                seen.add(values[0])
                yield cells(values, anchor)


def _named_entries(report: Report) -> frozenset[str]:
    return frozenset(entry_key(n) for f in report.findings for n in f.related_entries)


def _entries_appendix(report: Report, source: EntryRowSource) -> list[Block]:
    blocks: list[Block] = [
        Heading(2, "Appendix B. Entries", "entries", numbered=False),
    ]
    rows = _EntryTableRows(source, _named_entries(report))
    total = len(source)
    if not total:
        blocks.append(Para("No entries were audited."))
        return blocks
    unlisted = rows.unlisted()
    left_out = sum(unlisted.values())
    text = (
        f"{_count(len(rows))} of {_count(total)} audited entries are listed, in input order: "
        "each entry with a finding (waived or not), in a sample, named by a finding on "
        "another entry, or of another type than 86."
    )
    if left_out:
        text += (
            f" The other {_count(left_out)} are clean and counted, not listed; the JSON "
            "report lists every entry."
        )
    blocks.append(Para(text))
    blocks.append(
        Para(
            "Counts include waived findings; the standing sets them aside: violation, warning, "
            "waived (only waived findings) or clean (no violation and no warning). Entries of "
            "other types than 86 (01 formal, 11 informal) are not judged by the T86 rules.",
            "note",
        )
    )
    if len(rows):
        rows.drop_empty()
        keep = rows.keep
        blocks.append(
            Table(
                tuple(_ENTRY_COLUMNS[i] for i in keep),
                rows,
                numeric=tuple(n for n, i in enumerate(keep) if i in (5, 6, 7, 8)),
                nowrap=tuple(n for n, i in enumerate(keep) if i in (0, 1, 2, 9, 10)),
            )
        )
    return blocks


def _checks_appendix(report: Report) -> list[Block]:
    blocks: list[Block] = [
        Heading(
            2,
            "Appendix C. Checks passed by the cited and sampled entries",
            "checks-passed",
            numbered=False,
        ),
    ]
    letter = report.letter_response
    if not letter:
        blocks.append(Para("No cited or sampled entries."))
        return blocks
    ran = [r for r in report.rules if r.status in ("passed", "failed")]
    blocks.append(
        Para(
            f"{_plural(len(ran), 'check')} ran on every entry without error: the rules whose "
            "status is passed or failed in Appendix A. Each cited or sampled entry passed "
            "every one of them except those named against it here: a finding on it, or on "
            "another entry that names it (did not pass); a requirement not in force on its "
            "dates, judged by the policy period of its arrival date (or of its T86's filing "
            "time, where the rule turns on it), such as FIL009's 15-day filing limit for an "
            "entry that arrived from 15 Feb 2024 (not in force); or a rule that could not "
            "vouch for it (not checked). Passed means the rule judged the entry under the "
            "law of its dates and found nothing; a rule not in force there did not judge it, "
            "and is never counted as passed. The JSON report lists both of the last two "
            "under not_checked, each with its reason.",
            "note",
        )
    )
    rows: list[tuple[Cell, ...]] = []
    for item in letter:
        passed = {r.code for r in item.passed}
        unchecked = {r.rule.code for r in item.not_checked}
        out_of_force = set(item.not_in_force)
        rows.append(
            (
                Link(item.entry.number, "#" + _anchor("letter", item.entry.number)),
                ", ".join(item.samples),
                f"{len(item.passed)} of {_rules_on(report, item)}",
                ", ".join(
                    r.rule.code
                    for r in ran
                    if r.rule.code not in passed and r.rule.code not in unchecked
                )
                or "-",
                ", ".join(item.not_in_force) or "-",
                ", ".join(r.rule.code for r in item.not_checked if r.rule.code not in out_of_force)
                or "-",
            )
        )
    blocks.append(
        Table(
            ("Entry", "Samples", "Checks passed", "Did not pass", "Not in force", "Not checked"),
            tuple(rows),
            numeric=(2,),
            nowrap=(0, 2),
        )
    )
    return blocks


def _numbered(blocks: list[Block]) -> list[Block]:
    """Number the level-2 headings that are numbered: ``1. Findings by rule`` and on."""
    n = 0
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Heading) and block.level == 2 and block.numbered:
            n += 1
            out.append(attrs.evolve(block, text=f"{n}. {block.text}"))
        else:
            out.append(block)
    return out


def build(report: Report) -> list[Block]:
    """The whole report as blocks, in the order of the sections."""
    rows = EntryRowSource(report)
    pop = _population(report, rows)
    blocks: list[Block] = [
        Heading(1, "t86audit report"),
        *_cover(report, pop),
        Para(DISCLAIMER, "note"),
    ]
    blocks.extend(_summary_section(report, pop))
    blocks.extend(_charts_section(report, pop))
    blocks.extend(_findings_section(report))
    blocks.extend(exposure_blocks(report))
    for section in (
        _samples_section,
        _patterns_section,
        _letter_section,
        _waivers_section,
        _trail_section,
        _rules_appendix,
    ):
        blocks.extend(section(report))
    blocks.extend(_entries_appendix(report, rows))
    blocks.extend(_checks_appendix(report))
    return _numbered(blocks)


def build_summary(report: Report) -> list[Block]:
    """A short view for notebooks: summary, a chart, the first findings, rules, samples."""
    shown = report.findings[:SUMMARY_FINDINGS]
    more = len(report.findings) - len(shown)
    pop = _population(report, EntryRowSource(report))
    blocks: list[Block] = [Heading(3, "t86audit report"), _summary_fields(report, pop)]
    chart = _rule_chart(
        report,
        "notebook-rules",
        "Findings by rule" if len(report.findings) == len(shown) else "Rules with most findings",
        severities=tuple(Severity),
        rows=NOTEBOOK_CHART_ROWS,
    )
    if chart is not None:
        note = f"{chart.title}: findings per rule, violations solid, warnings hatched."
        blocks.append(attrs.evolve(chart, note=note))
    blocks.append(
        Table(
            (
                "Severity",
                "Code",
                "Rule",
                "Entry",
                "Line",
                "Filed",
                "Required",
                "Fact",
                "Waived",
            ),
            tuple(
                (
                    f.severity.value,
                    f.code,
                    f.name,
                    f.entry_number,
                    "" if f.line_number is None else str(f.line_number),
                    _shown(f.observed),
                    _shown(f.expected),
                    f.message,
                    "yes" if f.waived else "",
                )
                for f in shown
            ),
            more=f"{more} more findings: report.to_dataframe(), or report.save('report.html')"
            if more > 0
            else "",
            nowrap=(0, 1, 2, 3, 4),
        )
    )
    blocks.append(Table(_RULE_COLUMNS, _rule_rows(report), numeric=(4, 5), nowrap=(0, 1, 2, 3)))
    if report.samples:
        blocks.append(_samples_table(report))
    blocks.append(
        Para(
            "The whole report, with the findings grouped by rule and the law: "
            "report.save('report.html') (or .md, .txt, .json, .csv).",
            "note",
        )
    )
    blocks.append(Para(DISCLAIMER, "note"))
    return blocks


def _sample_row(ev: SampleEvaluation) -> tuple[Cell, ...]:
    s = ev.sample
    if ev.rate_interval_95 is None:
        interval = upper = "not projectable"
    else:
        interval = f"{_pct(ev.rate_interval_95[0])} to {_pct(ev.rate_interval_95[1])}"
        upper = "-" if ev.upper_bound_95 is None else _pct(ev.upper_bound_95)
    return (s.id, s.method, str(s.size), str(ev.entries_with_violations), interval, upper)
