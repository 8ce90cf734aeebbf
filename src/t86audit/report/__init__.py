"""The audit report: a frozen, complete value, and its renderers.

:class:`Report` holds everything an audit produced: findings, per-rule status, the per-entry
summary, sample evaluation, the pattern view, the letter response for cited and sampled
entries, waivers, load accounting and the audit trail. Renderers are pure functions of it (the
same report always renders to the same bytes):

* :func:`t86audit.report.text.render` - a terminal view;
* :func:`t86audit.report.markdown.render` - Markdown, for a memo or a ticket;
* :func:`t86audit.report.html.render` - one self-contained, printable HTML file;
* :func:`t86audit.report.json.render` - ``contracts.md`` section 4, ``schema_version`` 1,
  described by ``docs/report-schema.json``;
* :func:`t86audit.report.csv.render` - one row per finding, safe to open in a spreadsheet.

In a notebook a report displays as tables (``_repr_html_``, ``_repr_markdown_``);
:meth:`Report.to_records` and :meth:`Report.to_dataframe` give one row per finding.

:meth:`Report.write` writes a format to a text stream piece by piece (the entry table a few
hundred rows at a time), so a report on a large population is never whole in memory;
:meth:`Report.render` returns the same text as one string.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import attrs

from t86audit.engine import (
    AuditResult,
    EntrySummary,
    RuleResult,
    collection_paused,
    count_by_severity,
)
from t86audit.findings import Finding, Severity
from t86audit.report._analysis import evaluate_sample
from t86audit.report._common import (
    CULPABILITY_NOTE,
    DISCLAIMER,
    SCHEMA_VERSION,
    TextWriter,
    collect,  # noqa: F401  (re-exported: renderers and scripts call report.collect)
)
from t86audit.report._model import (
    EntryFacts,
    EntryRow,
    EntryStatus,
    LetterEntry,
    PatternDimension,
    PatternGroup,
    RuleTally,
    SampleEvaluation,
)
from t86audit.waivers import UnusedWaiver, Waiver, WaiverSet


if TYPE_CHECKING:
    from t86audit.exposure import Exposure
    from t86audit.io import LoadResult
    from t86audit.policy import PolicyPeriod
    from t86audit.redact import Redactor
    from t86audit.reference import Snapshot
    from t86audit.rules._base import Rule, RulePack


__all__ = [
    "CULPABILITY_NOTE",
    "DISCLAIMER",
    "FORMATS",
    "SCHEMA_VERSION",
    "EntryFacts",
    "EntryRow",
    "EntryStatus",
    "Format",
    "LetterEntry",
    "PatternDimension",
    "PatternGroup",
    "Report",
    "RuleTally",
    "SampleEvaluation",
    "TextWriter",
    "evaluate_sample",
]

Format = Literal["text", "markdown", "html", "json", "csv"]
"""The output formats of :meth:`Report.render`."""

FORMATS: tuple[str, ...] = ("text", "markdown", "html", "json", "csv")

SAVE_SUFFIXES: dict[str, str] = {
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".json": "json",
    ".csv": "csv",
    ".xlsx": "xlsx",
}
"""The file name suffixes :meth:`Report.save` reads a format from."""


def _frozen_mapping(value: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return dict(value or {})


@attrs.frozen
class Report:
    """Everything an audit found, ready to render. Build it with :func:`t86audit.audit`.

    Attributes:
        result: what the engine found (findings with waivers applied).
        load: the load accounting, when the population came from :func:`t86audit.load`.
        generated_at: the report's timestamp (fix it for byte-identical output).
        packs: the rule packs available to the audit.
        snapshots: the reference data the rules consulted.
        options: the audit's options (select, ignore, rule options).
        tool_version: the t86audit version.
        facts: per audited entry, in audit order, the facts the pattern view needs (from
            :func:`t86audit.audit`, a sequence that makes each :class:`EntryFacts` as it is
            read from the audit's compact per-entry records).
        waivers: the waivers given, with their source.
        unused_waivers: the waivers that matched no finding, and why.
        target_rate: the rate the zero-failure sample size is computed for.
        population_fingerprint: :func:`t86audit.sample.population_fingerprint` of the audited
            entries (``""`` when unknown).
        policy_periods: the periods of the policy table the audit used, in date order.
        invocation: how the audit was run beyond ``options`` (for example the command line's
            format and files), for the audit trail.
    """

    result: AuditResult
    load: LoadResult | None
    generated_at: dt.datetime
    packs: tuple[RulePack, ...]
    snapshots: tuple[Snapshot, ...] = ()
    options: Mapping[str, Any] = attrs.field(factory=dict, hash=False)
    tool_version: str = ""
    facts: Sequence[EntryFacts] = attrs.field(default=(), eq=False, repr=False)
    waivers: WaiverSet = attrs.field(factory=lambda: WaiverSet(()))
    unused_waivers: tuple[UnusedWaiver, ...] = ()
    target_rate: float = 0.05
    population_fingerprint: str = ""
    policy_periods: tuple[PolicyPeriod, ...] = ()
    invocation: Mapping[str, Any] = attrs.field(
        factory=dict, hash=False, converter=_frozen_mapping
    )
    exposure: Exposure | None = attrs.field(default=None, eq=False, repr=False)
    """What the ineligible entries would have owed (:mod:`t86audit.exposure`); ``None`` when
    the audit was run without it."""

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Findings sorted by severity, code, entry number and line (waived ones marked)."""
        return self.result.findings

    @property
    def rules(self) -> tuple[RuleResult, ...]:
        """Per-rule status, in code order."""
        return self.result.rule_results

    @property
    def entries(self) -> Sequence[EntrySummary]:
        """Every audited entry with its violation and warning counts, in audit order.

        A sequence (from :func:`t86audit.audit`, each summary is made as it is read; it
        compares equal to a tuple of the same summaries).
        """
        return self.result.entries

    @cached_property
    def entry_rows(self) -> Sequence[EntryRow]:
        """Every audited entry with its facts, counts, waived findings and standing.

        A sequence whose rows are made as they are read (it compares equal to a tuple of the
        same rows), so the table of a large audit is never all in memory.
        """
        from t86audit.report._analysis import entry_rows  # noqa: PLC0415

        return entry_rows(self)

    @cached_property
    def samples(self) -> tuple[SampleEvaluation, ...]:
        """Each sample evaluated on its own entries."""
        return tuple(
            evaluate_sample(
                s,
                self.findings,
                target_rate=self.target_rate,
                population_fingerprint=self.population_fingerprint,
            )
            for s in self.result.samples
        )

    @cached_property
    def patterns(self) -> tuple[PatternDimension, ...]:
        """Findings counted against seller, consignee, filer code, port and arrival month."""
        from t86audit.report._analysis import patterns  # noqa: PLC0415

        return patterns(self)

    @cached_property
    def letter_response(self) -> tuple[LetterEntry, ...]:
        """For each cited or sampled entry: its findings and the checks it passed."""
        from t86audit.report._analysis import letter_response  # noqa: PLC0415

        return letter_response(self)

    @cached_property
    def _waiver_index(self) -> dict[tuple[str, str], Waiver]:
        from t86audit.report._analysis import entry_key  # noqa: PLC0415

        index: dict[tuple[str, str], Waiver] = {}
        codes = self._rule_index
        for waiver in self.waivers.waivers:
            rule = codes.get(waiver.code)
            code = rule.code if rule is not None else waiver.code
            index.setdefault((entry_key(waiver.entry_number), code), waiver)
        return index

    @cached_property
    def _rule_index(self) -> dict[str, Rule]:
        index: dict[str, Rule] = {}
        for pack in self.packs:
            for r in pack.rules:
                for code in (r.code, *r.aliases):
                    index.setdefault(code, r)
        for result in self.rules:
            index[result.rule.code] = result.rule
        return index

    def waiver_for(self, finding: Finding) -> Waiver | None:
        """The waiver that covers ``finding``, or ``None`` if it is not waived."""
        if not finding.waived:
            return None
        from t86audit.report._analysis import entry_key  # noqa: PLC0415

        return self._waiver_index.get((entry_key(finding.entry_number), finding.code))

    def rule(self, code: str) -> Rule | None:
        """The rule with this code (or alias) among the audit's packs, or ``None``."""
        return self._rule_index.get(code.strip().upper())

    def policy_period(self, period_id: str) -> str:
        """The description of a policy period, by id (the id itself if unknown)."""
        for period in self.policy_periods:
            if period.id == period_id:
                return period.describe()
        return period_id

    def policy_period_at(self, day: dt.date) -> str:
        """The description of the policy period in force on ``day`` (``""`` if unknown)."""
        for period in self.policy_periods:
            if period.contains(day):
                return period.describe()
        return ""

    def counts(self) -> dict[str, int]:
        """Finding counts by severity name (waived findings included)."""
        return {s.value: n for s, n in count_by_severity(self.findings).items()}

    @property
    def waived_count(self) -> int:
        """How many findings are waived."""
        return sum(1 for f in self.findings if f.waived)

    def has_at_least(self, severity: Severity | str) -> bool:
        """Whether an unwaived finding of this severity or worse exists (for ``--fail-on``)."""
        level = Severity.parse(severity)
        return any(f.severity.at_least(level) and not f.waived for f in self.findings)

    def redacted(self, key: bytes | str | Redactor) -> Report:
        """A copy with consignee and seller names and addresses replaced by keyed pseudonyms.

        Every format and section of the copy shows ``Consignee-3f9a2c41b7`` instead of the
        name; the same key always gives the same pseudonym, so whoever holds the key can trace
        a finding back (see :mod:`t86audit.redact`). Counts, codes, entry numbers, HTS numbers
        and values are unchanged.

        Args:
            key: at least 16 bytes (``bytes.fromhex(secrets.token_hex(32))``), the same as hex
                text or a passphrase, or a :class:`~t86audit.redact.Redactor`.

        Raises:
            InputError: the key is too short.
            ValueError: the report is already redacted.
        """
        from t86audit.redact import redact_report  # noqa: PLC0415

        return redact_report(self, key)

    def to_dict(self) -> dict[str, Any]:
        """The JSON report as a dict (``contracts.md`` section 4)."""
        from t86audit.report.json import to_dict  # noqa: PLC0415

        return to_dict(self)

    def to_json(self, *, indent: int | None = 2) -> str:
        """The JSON report as text."""
        from t86audit.report.json import render  # noqa: PLC0415

        return render(self, indent=indent)

    def to_text(self) -> str:
        """A plain-text view for a terminal."""
        from t86audit.report.text import render  # noqa: PLC0415

        return render(self)

    def to_markdown(self) -> str:
        """The full report as Markdown (every input value escaped)."""
        from t86audit.report.markdown import render  # noqa: PLC0415

        return render(self)

    def to_html(self) -> str:
        """The full report as one self-contained, printable HTML document."""
        from t86audit.report.html import render  # noqa: PLC0415

        return render(self)

    def to_csv(self) -> str:
        """One row per finding as CSV; formula-like cells are neutralised."""
        from t86audit.report.csv import render  # noqa: PLC0415

        return render(self)

    def render(self, format: Format | str = "text") -> str:
        """The report in one of :data:`FORMATS`.

        Raises:
            ValueError: for an unknown format.
        """
        renderers = {
            "text": self.to_text,
            "markdown": self.to_markdown,
            "html": self.to_html,
            "json": self.to_json,
            "csv": self.to_csv,
        }
        try:
            renderer = renderers[format]
        except KeyError:
            raise ValueError(_unknown(format)) from None
        return renderer()

    def write(self, format: Format | str, stream: TextWriter) -> None:
        """Write the report in one of :data:`FORMATS` to ``stream``, piece by piece.

        Writes exactly the text of :meth:`render` in several ``write`` calls, so the text of a
        report on a large population is never whole in memory. Open a file with
        ``newline=""``: the text already has its line ends (CRLF for CSV).

        >>> import io, t86audit
        >>> from t86audit.testing import make_entry
        >>> report = t86audit.audit([make_entry(value="950.00")], select=["VAL001"])
        >>> buffer = io.StringIO()
        >>> report.write("json", buffer)
        >>> buffer.getvalue() == report.render("json")
        True

        Raises:
            ValueError: for an unknown format (before anything is written).
        """
        writer = _writer(format)
        writer(self, stream)

    def save(self, path: str | os.PathLike[str], format: Format | str | None = None) -> Path:
        """Write the report to the file ``path``; the format is named by its suffix.

        ``.html`` (or ``.htm``), ``.md``, ``.txt``, ``.json``, ``.csv`` and ``.xlsx`` (an Excel
        workbook: ``pip install 't86audit[excel]'``) name a format; ``format`` names one for
        any other file name. A relative path is taken from the
        current folder (in a notebook, the notebook's folder), and an existing file is
        replaced whole once the report is written (never left half-written).

        >>> import t86audit
        >>> from t86audit.testing import make_entry
        >>> report = t86audit.audit([make_entry(value="950.00")], select=["VAL001"])
        >>> report.save("report.txt")  # doctest: +SKIP
        PosixPath('report.txt')

        Returns:
            the path written, as given.

        Raises:
            ValueError: the suffix names no format and ``format`` is not given, or the format
                is unknown (before anything is written).
        """
        target = Path(path)
        chosen = format or SAVE_SUFFIXES.get(target.suffix.lower())
        if chosen is None:
            suffixes = ", ".join(sorted(SAVE_SUFFIXES))
            msg = (
                f"cannot tell the report format from the file name {target.name!r}: "
                f"name it with one of {suffixes}, or give the format "
                f"(one of {', '.join((*FORMATS, 'xlsx'))})"
            )
            raise ValueError(msg)
        writer = _writer(chosen)
        binary = chosen == "xlsx"
        partial = target.with_name(f".{target.name}.partial")
        try:
            if binary:
                with partial.open("wb") as raw:
                    writer(self, raw)  # type: ignore[arg-type]
            else:
                with partial.open("w", encoding="utf-8", newline="") as handle:
                    writer(self, handle)
            partial.replace(target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return target

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per finding, with the CSV's columns (values not neutralised, not text).

        >>> import t86audit
        >>> from t86audit.testing import make_entry
        >>> report = t86audit.audit([make_entry(value="950.00")], select=["VAL001"])
        >>> [(r["code"], r["observed"]) for r in report.to_records()]
        [('VAL001', '950.00')]
        """
        from t86audit.report.csv import records  # noqa: PLC0415

        return records(self)

    def to_dataframe(self, table: Literal["findings", "entries"] = "findings") -> Any:
        """A table of the report as a pandas DataFrame (needs pandas).

        ``"findings"``: one row per finding, the CSV export's columns. ``"entries"``: one row
        per audited entry (the entry table: its filed facts, finding counts and status), the
        fields of :class:`EntryRow`, ``samples`` a tuple of sample ids.

        Raises:
            ImportError: pandas is not installed (``pip install 't86audit[pandas]'``).
            ValueError: ``table`` names no table.
        """
        from t86audit.report.csv import COLUMNS  # noqa: PLC0415

        if table not in ("findings", "entries"):
            msg = f"to_dataframe() makes the 'findings' or the 'entries' table, not {table!r}"
            raise ValueError(msg)
        try:
            import pandas as pd  # noqa: PLC0415
        except ImportError as exc:
            msg = "to_dataframe() needs pandas: pip install 't86audit[pandas]'"
            raise ImportError(msg) from exc
        if table == "entries":
            from t86audit.report._analysis import EntryRowSource  # noqa: PLC0415

            names = [field.name for field in attrs.fields(EntryRow)]
            return pd.DataFrame.from_records(list(EntryRowSource(self)), columns=names)
        return pd.DataFrame.from_records(self.to_records(), columns=list(COLUMNS))

    def _repr_html_(self) -> str:
        """A notebook view: summary, a chart, the first findings, rules, samples (escaped).

        Rule names stand beside codes, text is left-aligned and entry numbers stay on one line.
        """
        from t86audit.report.html import render_fragment  # noqa: PLC0415

        return render_fragment(self)

    def _repr_markdown_(self) -> str:
        """A notebook view in Markdown: summary, rule table, the first findings, samples."""
        from t86audit.report.markdown import render_summary  # noqa: PLC0415

        return render_summary(self)

    def __repr__(self) -> str:
        c = self.counts()
        return (
            f"<t86audit.Report entries={len(self.entries)} violations={c['violation']} "
            f"warnings={c['warning']} waived={self.waived_count} rules={len(self.rules)}>"
        )


def _unknown(format: str) -> str:
    return f"unknown report format {format!r}; expected one of {', '.join(FORMATS)}"


def _writer(format: str) -> Callable[[Report, TextWriter], None]:
    """The ``write(report, stream)`` function of a format, run with collection paused.

    Writing allocates millions of short-lived texts and no reference cycles worth a
    collection; automatic garbage collection would meanwhile rescan the report's own
    millions of objects (findings, records), some 15% of writing a large report.
    """
    write = _format_writer(format)

    def paused(report: Report, stream: TextWriter) -> None:
        with collection_paused():
            write(report, stream)

    return paused


def _format_writer(format: str) -> Callable[[Report, TextWriter], None]:
    """The ``write(report, stream)`` function of a format."""
    if format == "json":
        from t86audit.report.json import write as write_json  # noqa: PLC0415

        return write_json
    if format == "csv":
        from t86audit.report.csv import write as write_csv  # noqa: PLC0415

        return write_csv
    if format == "html":
        from t86audit.report.html import write as write_html  # noqa: PLC0415

        return write_html
    if format == "markdown":
        from t86audit.report.markdown import write as write_markdown  # noqa: PLC0415

        return write_markdown
    if format == "text":
        from t86audit.report.text import write as write_text  # noqa: PLC0415

        return write_text
    if format == "xlsx":  # a binary workbook: the stream takes bytes (report/xlsx.py)
        from t86audit.report.xlsx import write as write_xlsx  # noqa: PLC0415

        return write_xlsx
    raise ValueError(_unknown(format))
