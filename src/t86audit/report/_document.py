"""The human-readable report as a list of neutral blocks, shared by text, Markdown and HTML.

:func:`build` lays the report out once (headings, paragraphs, tables, field lists, finding
records); each renderer only decides how a block looks, so the three formats always say the
same thing in the same order. Blocks hold plain, unescaped text: escaping is the renderer's job.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, overload

import attrs

from t86audit.report import CULPABILITY_NOTE, DISCLAIMER
from t86audit.report._analysis import EntryRowSource, EntryRowValues, entry_key


if TYPE_CHECKING:
    from t86audit.findings import Citation, Finding
    from t86audit.model import Party
    from t86audit.report import Report, TextWriter
    from t86audit.report._model import LetterEntry, PatternDimension, SampleEvaluation


__all__ = [
    "Block",
    "Cell",
    "ChunkWriter",
    "Fields",
    "Heading",
    "Link",
    "Para",
    "Record",
    "Table",
    "build",
    "build_summary",
    "cell_text",
]

PATTERN_ROWS = 20
"""Groups shown per pattern dimension in the human formats (the JSON report has them all)."""

LOAD_ERROR_ROWS = 200
"""Load errors listed in the human formats (the JSON report has them all)."""

SUMMARY_FINDINGS = 50
"""Findings shown in the notebook summary."""


@attrs.frozen
class Link:
    """Text that points somewhere: a citation's URL (``http``/``https`` only) or an anchor."""

    text: str
    url: str | None = None


Cell = str | Link | tuple[Link, ...]
"""A table or field value: text, one link, or several links (citations)."""


@attrs.frozen
class Heading:
    """A section heading; ``level`` 1 is the title."""

    level: int
    text: str
    anchor: str = ""


@attrs.frozen
class Para:
    """A paragraph; ``kind`` ``note`` is set apart (the disclaimer, explanations)."""

    text: str
    kind: str = "plain"


@attrs.frozen
class Table:
    """A table; ``numeric`` columns are right-aligned; ``more`` says what was left out.

    ``rows`` may be a sequence whose rows are made as they are read (the entry table): read it
    in order, as few times as the layout needs.
    """

    columns: tuple[str, ...]
    rows: Sequence[tuple[Cell, ...]]
    numeric: tuple[int, ...] = ()
    more: str = ""


@attrs.frozen
class Fields:
    """Labelled values, one per line."""

    items: tuple[tuple[str, Cell], ...]


@attrs.frozen
class Record:
    """One finding: a title line, a tag (severity or ``waived``) and labelled values."""

    title: str
    tag: str
    items: tuple[tuple[str, Cell], ...]


Block = Heading | Para | Table | Fields | Record

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


def cell_text(cell: Cell) -> str:
    """A cell as plain text (links by their text)."""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, Link):
        return cell.text
    return "; ".join(link.text for link in cell)


def _safe_url(url: str | None) -> str | None:
    # A third-party pack's citation could carry a javascript: URL; only web links survive.
    if url and url.lower().startswith(("https://", "http://")):
        return url
    return None


def _citations(citations: Iterable[Citation]) -> tuple[Link, ...]:
    return tuple(
        Link(str(c) + (f" ({c.note})" if c.note else ""), _safe_url(c.url)) for c in citations
    )


def _shown(value: str | None) -> str:
    if value is None:
        return "-"
    return value if value.strip() else "(blank)"


def _anchor(prefix: str, text: str) -> str:
    # Anchors come from input (entry numbers); only [a-z0-9-] may reach an id attribute.
    return prefix + "-" + (re.sub(r"[^a-z0-9]+", "-", entry_key(text).lower()).strip("-") or "x")


def _pct(value: float) -> str:
    return f"{value * 100:.1f}%"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _where(f: Finding) -> str:
    return "entry as a whole" if f.line_number is None else f"line {f.line_number}"


def _waiver_text(report: Report, f: Finding) -> str:
    if not f.waived:
        return "not waived"
    waiver = report.waiver_for(f)
    if waiver is None:
        return f"WAIVED: {f.waiver_reason}"
    return f"WAIVED by {waiver.reviewer} on {waiver.date.isoformat()}: {waiver.reason}"


def _source_text(f: Finding) -> str:
    if not f.source:
        return ""
    if not f.source_rows:
        return f.source
    rows = ", ".join(str(r) for r in f.source_rows)
    return f"{f.source}, data row{'s' if len(f.source_rows) > 1 else ''} {rows}"


def _finding_title(f: Finding) -> str:
    line = "" if f.line_number is None else f", line {f.line_number}"
    waived = " [WAIVED]" if f.waived else ""
    return f"{f.severity.value.upper()} {f.code} {f.name}: entry {f.entry_number}{line}{waived}"


_BASIS_WORDS = {
    "statute": "statute",
    "regulation": "regulation",
    "executive-order": "executive order",
    "federal-register": "Federal Register notice of the T86 test",
    "guidance": "CBP guidance, not a statute or regulation (so a warning at most)",
    "secondary": "secondary sources, not binding (so a warning at most)",
    "unverified": "a source not verified in a primary text (so a warning at most)",
}


def _finding_items(report: Report, f: Finding, *, counsel: bool) -> tuple[tuple[str, Cell], ...]:
    items: list[tuple[str, Cell]] = [
        ("Entry", f.entry_number),
        ("Line", _where(f)),
        ("Data element", f.field or "-"),
        ("Filed", _shown(f.observed)),
        ("Required", _shown(f.expected)),
        ("Fact", f.message),
        ("Law", _citations(f.citations)),
    ]
    if f.basis:
        items.append(("Basis", _BASIS_WORDS.get(f.basis, f.basis)))
    if f.related_entries:
        items.append(("Related entries", ", ".join(f.related_entries)))
    if f.policy_period:
        items.append(("Policy period", report.policy_period(f.policy_period)))
    source = _source_text(f)
    if source:
        items.append(("Evidence" if counsel else "Source", source))
    if f.samples:
        items.append(("Samples", ", ".join(f.samples)))
    rule = report.rule(f.code)
    if counsel and rule is not None:
        items.append(("Why it matters", rule.rationale))
        items.append(("Reasonable care", rule.reasonable_care))
    items.append(("Waiver", _waiver_text(report, f)))
    return tuple(items)


def _summary_fields(report: Report) -> Fields:
    counts = report.counts()
    rows = EntryRowSource(report)
    clean = rows.clean()
    by_type = rows.by_type()
    statuses: dict[str, int] = {}
    for r in report.rules:
        statuses[r.status] = statuses.get(r.status, 0) + 1
    rule_text = ", ".join(
        f"{statuses[s]} {s.replace('_', ' ')}"
        for s in ("passed", "failed", "error", "not_applicable")
        if s in statuses
    )
    judged = by_type.get("86", 0) + by_type.get("", 0)
    audited = f"{len(report.entries)} ({clean} clean)"
    if set(by_type) - {"86"}:
        audited = (
            f"{len(report.entries)}: {judged} judged as Type 86 ({clean} clean), "
            f"{len(report.entries) - judged} of other types not judged by the T86 rules"
        )
    items: list[tuple[str, Cell]] = [
        ("Entries audited", audited),
        ("Violations", str(counts["violation"])),
        ("Warnings", str(counts["warning"])),
        ("Info notes", str(counts["info"])),
        ("Waived findings", str(report.waived_count)),
        ("Rules", f"{len(report.rules)} ({rule_text or 'none run'})"),
        ("Samples", str(len(report.result.samples))),
    ]
    if set(by_type) - {"86"}:
        items.insert(
            1,
            (
                "Entries by type",
                ", ".join(
                    f"type {code}: {n}" if code else f"type blank or unreadable: {n}"
                    for code, n in by_type.items()
                ),
            ),
        )
    if report.load is not None:
        items.append(
            (
                "Input rows",
                f"{report.load.rows_read} read, {report.load.rows_rejected} rejected",
            )
        )
    items.append(("Generated at", report.generated_at.isoformat()))
    return Fields(tuple(items))


def _findings_section(report: Report) -> list[Block]:
    blocks: list[Block] = [
        Heading(2, "1. Findings", "findings"),
        Para(
            "Sorted by severity, rule code and entry number. Each finding names the entry as "
            "filed, the line, the data element, what was filed, what was required, the law, "
            "and the policy period whose law it applied. Waived findings stay listed, marked "
            "WAIVED, and do not count toward --fail-on.",
            "note",
        ),
    ]
    if not report.findings:
        blocks.append(Para("No findings."))
    blocks.extend(
        Record(
            _finding_title(f),
            "waived" if f.waived else f.severity.value,
            _finding_items(report, f, counsel=False),
        )
        for f in report.findings
    )
    return blocks


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


class _EntryTableRows(Sequence[tuple[Cell, ...]]):
    """The rows of the entry table, made from the report's entry rows each time they are read."""

    __slots__ = ("source",)

    def __init__(self, source: EntryRowSource) -> None:
        self.source = source

    def __len__(self) -> int:
        return len(self.source)

    @staticmethod
    def _cells(values: EntryRowValues) -> tuple[Cell, ...]:
        return (
            values[0],  # entry number
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
            ", ".join(values[13]),  # samples
        )

    @overload
    def __getitem__(self, index: int) -> tuple[Cell, ...]: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[tuple[Cell, ...]]: ...

    def __getitem__(self, index: int | slice) -> tuple[Cell, ...] | Sequence[tuple[Cell, ...]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if not -len(self) <= index < len(self):
            msg = "row index out of range"
            raise IndexError(msg)
        return self._cells(self.source.row(index))

    def __iter__(self) -> Iterator[tuple[Cell, ...]]:
        cells = self._cells
        for values in self.source:
            yield cells(values)


def _rules_and_entries(report: Report) -> list[Block]:
    blocks: list[Block] = [
        Heading(2, "2. Rules and entries", "rules"),
        Heading(3, "Rules", "rules-table"),
        Para(
            "passed: ran on every entry and found nothing; failed: found something; "
            "error: raised on some entry (never read as passed); not applicable: could not "
            "run, with the reason.",
            "note",
        ),
        Table(
            ("Code", "Rule", "Severity", "Status", "Findings", "Waived", "Note"),
            _rule_rows(report),
            numeric=(4, 5),
        ),
        Heading(3, "Entries", "entries"),
        Para(
            "Every audited entry, in input order. Counts include waived findings; the standing "
            "sets them aside: violation, warning, waived (only waived findings) or clean "
            "(no violation and no warning). Entries of other types than 86 (01 formal, 11 "
            "informal) are listed but not judged by the T86 rules.",
            "note",
        ),
    ]
    rows = _EntryTableRows(EntryRowSource(report))
    blocks.append(
        Table(
            (
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
            ),
            rows,
            numeric=(5, 6, 7, 8),
        )
        if rows
        else Para("No entries were audited.")
    )
    return blocks


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
            "for the rate, in the whole population, of violations visible in the filed data; "
            "faults the filed data cannot show (in documents or the goods) are not counted."
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
    rows = tuple(
        (
            e.number,
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
        ),
    ]


def _samples_section(report: Report) -> list[Block]:
    blocks: list[Block] = [Heading(2, "3. Samples", "samples")]
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
    shown = dim.groups[:PATTERN_ROWS]
    more = len(dim.groups) - len(shown)
    rows = tuple(
        (
            g.value or "(blank)",
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
        Heading(3, f"By {dim.label.lower()}"),
        Para(
            f"{_plural(dim.distinct_values, 'distinct value')} among the audited entries; "
            f"{len(dim.groups)} with findings."
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
            )
        )
    return blocks


def _patterns_section(report: Report) -> list[Block]:
    blocks: list[Block] = [
        Heading(2, "4. Patterns", "patterns"),
        Para(
            "CBP acts on patterns and frequency, not on single entries. Unwaived findings are "
            "counted here against the seller, the ultimate consignee, the filer code, the port "
            "and the arrival month of the entry they are about. Flagged: entries with at least "
            "one unwaived violation or warning. Rules (entries): how many of the group's "
            "entries each rule flagged.",
            "note",
        ),
    ]
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


def _letter_entry(report: Report, item: LetterEntry) -> list[Block]:
    e = item.entry
    period = report.policy_period_at(e.arrival_date)
    facts: list[tuple[str, Cell]] = [
        ("Samples", ", ".join(item.samples)),
        ("Arrival date", e.arrival_date_raw or e.arrival_date.isoformat()),
        ("Port of entry", _shown(e.port_code)),
        ("Filer code", e.filer_code or "(entry number malformed)"),
        ("Entry type", _shown(e.entry_type)),
        ("Mode", _shown(e.mode)),
        ("Bill of lading", _shown(e.bill_of_lading)),
        ("Filed at", _shown(e.filed_at_raw)),
        ("Ultimate consignee", _party(e.consignee)),
        ("Seller", _party(e.seller)),
        ("Total declared value (USD)", f"{e.total_value:,.2f}"),
    ]
    if e.importer_of_record:
        facts.append(("Importer of record", e.importer_of_record))
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
        Heading(3, f"Entry {e.number}", _anchor("entry", e.number)),
        Fields(tuple(facts)),
        Table(
            ("Line", "Description as filed", "HTS", "Origin", "Value (USD)", "Quantity"),
            lines,
            numeric=(0, 4),
        ),
        Heading(4, "Findings"),
    ]
    if item.findings:
        blocks.extend(
            Record(
                _finding_title(f),
                "waived" if f.waived else f.severity.value,
                _finding_items(report, f, counsel=True),
            )
            for f in item.findings
        )
    else:
        blocks.append(Para("No finding on this entry."))
    if item.related_findings:
        blocks.append(Heading(4, "Named in findings on other entries"))
        blocks.append(
            Table(
                ("Code", "Entry", "Fact"),
                tuple((f.code, f.entry_number, f.message) for f in item.related_findings),
            )
        )
    blocks.append(Heading(4, "Checks passed"))
    if item.passed:
        blocks.append(
            Table(
                ("Code", "Check", "What it checks"),
                tuple((r.code, r.name, r.summary) for r in item.passed),
            )
        )
    else:
        blocks.append(Para("None."))
    if item.not_checked:
        blocks.append(
            Para(
                "Not checked (cannot vouch for this entry): "
                + "; ".join(
                    f"{r.rule.code} {r.rule.name} ({r.status.replace('_', ' ')}"
                    + (f": {r.reason}" if r.reason else "")
                    + ")"
                    for r in item.not_checked
                ),
                "note",
            )
        )
    return blocks


def _letter_section(report: Report) -> list[Block]:
    blocks: list[Block] = [
        Heading(2, "5. Letter response", "letter-response"),
        Para(
            "For each cited or sampled entry: what was filed, every finding with the law, the "
            "evidence and the reasonable-care note, and the checks it passed.",
            "note",
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
    blocks: list[Block] = [Heading(2, "6. Waivers", "waivers")]
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
        Heading(2, "7. Audit trail", "audit-trail"),
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


def build(report: Report) -> list[Block]:
    """The whole report as blocks, in the order of the sections."""
    blocks: list[Block] = [
        Heading(1, "t86audit report"),
        Para(DISCLAIMER, "note"),
        _summary_fields(report),
    ]
    for section in (
        _findings_section,
        _rules_and_entries,
        _samples_section,
        _patterns_section,
        _letter_section,
        _waivers_section,
        _trail_section,
    ):
        blocks.extend(section(report))
    return blocks


def build_summary(report: Report) -> list[Block]:
    """A short view for notebooks: summary, rules, the first findings, samples."""
    shown = report.findings[:SUMMARY_FINDINGS]
    more = len(report.findings) - len(shown)
    blocks: list[Block] = [
        Heading(3, "t86audit report"),
        _summary_fields(report),
        Table(
            (
                "Severity",
                "Code",
                "Entry",
                "Line",
                "Data element",
                "Filed",
                "Required",
                "Fact",
                "Waived",
            ),
            tuple(
                (
                    f.severity.value,
                    f.code,
                    f.entry_number,
                    "" if f.line_number is None else str(f.line_number),
                    f.field or "",
                    _shown(f.observed),
                    _shown(f.expected),
                    f.message,
                    "yes" if f.waived else "",
                )
                for f in shown
            ),
            more=f"{more} more findings: report.to_dataframe() or report.to_html()"
            if more > 0
            else "",
        ),
        Table(
            ("Code", "Rule", "Severity", "Status", "Findings", "Waived", "Note"),
            _rule_rows(report),
            numeric=(4, 5),
        ),
    ]
    if report.samples:
        blocks.append(
            Table(
                (
                    "Sample",
                    "Method",
                    "Size",
                    "With a violation",
                    "95% interval",
                    "95% upper bound",
                ),
                tuple(_sample_row(ev) for ev in report.samples),
                numeric=(2, 3),
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
