"""Properties of the whole pipeline, load -> audit -> render, for generated hostile input.

Valid populations from :mod:`t86audit.testing.strategies` are written as CSV or JSON with some
cells replaced by hostile text (markup, formulas, control characters, broken numbers and dates,
unpaired surrogates) and some rows duplicated or cut short. Whatever the input: only
t86audit's own exceptions escape, every row is accounted for, the HTML holds no markup from the
input, no CSV cell starts a formula, the JSON report reads back as itself and validates against
its schema, the same run twice gives the same bytes, and a redacted report names no party.
"""

from __future__ import annotations

import csv
import datetime as dt
import html.parser
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs
import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import t86audit
from t86audit.exceptions import T86AuditError
from t86audit.io import LoadResult, load_csv, load_json, load_records
from t86audit.model import Entry
from t86audit.redact import Redactor
from t86audit.refset import ReferenceSet
from t86audit.registry import RuleRegistry
from t86audit.report import Report
from t86audit.sample import JudgmentSample
from t86audit.testing import CSV_COLUMNS, to_csv_rows
from t86audit.testing.strategies import csv_rows, populations


ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "docs" / "report-schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
FORMATS = ("text", "markdown", "html", "json", "csv")
AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
# Built once: every example audits a small population.
REGISTRY = RuleRegistry.default()
REFERENCE = ReferenceSet()
# Raise for a longer local run: T86AUDIT_PROPERTY_EXAMPLES=2000 pytest tests/test_properties.py
PROPERTY = settings(
    max_examples=int(os.environ.get("T86AUDIT_PROPERTY_EXAMPLES", "40")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

MARKUP = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<a href='javascript:alert(1)'>x</a>",
    "</td></tr></table><h1>owned</h1>",
    "<!-- x",
    "<style>*{display:none}</style>",
    "<svg/onload=alert(1)>",
    "[x](javascript:alert(1))",
    "![i](http://evil.example/x.png)",
    "| a | b |",
    "# heading",
    "**b** _i_ `c` ~~s~~ \\",
    "&lt;b&gt; &amp; &#60;",
)
FORMULAS = (
    "=1+1",
    "+1",
    "-1",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    " =cmd|' /C calc'!A0",
    "\u00a0=1",
    "\uff1d1+1",
    '=HYPERLINK("http://evil.example")',
)
CONTROLS = ("\x00", "\x1b[31m", "\x07", "\x7f", "\x85", "\u202e", "\u2028", "\ufeff", "\r\n")
BROKEN = ("NaN", "inf", "1e3", "1,23.4", "(5)", "-0", "9" * 60, "2024-02-31", "13/13/2024", "")

hostile_text = st.one_of(
    st.sampled_from(MARKUP + FORMULAS + CONTROLS + BROKEN),
    st.text(max_size=15),
    st.lists(st.sampled_from(MARKUP + FORMULAS + CONTROLS), max_size=3).map("".join),
)
hostile_or_surrogate = st.one_of(hostile_text, st.sampled_from(("\udcff", "x\ud800y")))


@st.composite
def hostile_rows(draw: st.DrawFn, *, surrogates: bool = False) -> list[dict[str, str]]:
    """CSV rows of a valid population, then hostile cells, repeated rows and cut rows."""
    rows = draw(csv_rows(min_size=1, max_size=4))
    cells = hostile_or_surrogate if surrogates else hostile_text
    for _ in range(draw(st.integers(0, 6))):
        row = draw(st.sampled_from(rows))
        row[draw(st.sampled_from(CSV_COLUMNS))] = draw(cells)
    if draw(st.booleans()):
        rows.append(dict(draw(st.sampled_from(rows))))
    return rows


@st.composite
def hostile_csv(draw: st.DrawFn, *, surrogates: bool = False) -> str:
    """CSV text (optionally with a byte-order mark, CRLF, or a short row) of hostile rows."""
    rows = draw(hostile_rows(surrogates=surrogates))
    out = io.StringIO()
    terminator = draw(st.sampled_from(["\n", "\r\n"]))
    # A lone "\r" in a cell is unambiguous only with CRLF line ends or every cell quoted.
    if terminator == "\n":
        writer = csv.writer(out, lineterminator=terminator, quoting=csv.QUOTE_ALL)
    else:
        writer = csv.writer(out, lineterminator=terminator, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        cells = [row[c] for c in CSV_COLUMNS]
        if draw(st.integers(0, 9)) == 0:
            cells = cells[:-1]
        writer.writerow(cells)
    return ("\ufeff" if draw(st.booleans()) else "") + out.getvalue()


@st.composite
def hostile_json(draw: st.DrawFn) -> str:
    """A JSON array (or JSON Lines) of entry objects built from hostile rows."""
    rows = draw(hostile_rows(surrogates=True))
    entry_keys, line_keys = CSV_COLUMNS[:19], CSV_COLUMNS[19:]
    records: list[Any] = []
    for row in rows:
        record: dict[str, Any] = {k: row[k] for k in entry_keys}
        record["lines"] = [{k: row[k] for k in line_keys}]
        records.append(record)
    if draw(st.booleans()):
        records.append(draw(st.sampled_from([1, "x", None, [], {"lines": 3}])))
    if draw(st.booleans()):
        return "\n".join(json.dumps(r) for r in records) + "\n"
    return json.dumps(records)


def audit(result: LoadResult | Iterable[Entry], **options: Any) -> Report:
    return t86audit.audit(
        result, generated_at=AT, registry=REGISTRY, reference=REFERENCE, **options
    )


def accounted(result: LoadResult) -> bool:
    return (
        result.rows_read == result.rows_in_entries + result.rows_rejected
        and result.rows_rejected == len(result.errors)
    )


def load_text(text: str, kind: str) -> LoadResult | None:
    """Load CSV or JSON text; ``None`` when the whole input is refused (our own error)."""
    try:
        if kind == "csv":
            return load_csv(io.StringIO(text, newline=""), source_name="input.csv")
        return load_json(io.StringIO(text), source_name="input.json")
    except T86AuditError:
        return None


@PROPERTY
@given(text=hostile_csv(surrogates=True))
def test_only_our_errors_escape_and_every_row_is_accounted_for(text):
    """Any CSV loads (or raises a T86AuditError), and the report counts every row."""
    result = load_text(text, "csv")
    if result is None:
        return
    assert accounted(result)
    report = audit(result)
    counts = report.to_dict()["input"]
    rows_in_entries = sum(entry.rows for entry in report.entries)

    assert counts["rows_read"] == rows_in_entries + counts["rows_rejected"] == result.rows_read
    for fmt in FORMATS:
        report.render(fmt).encode("utf-8")


@PROPERTY
@given(text=hostile_json())
def test_json_input_only_raises_our_errors_and_accounts_for_every_line(text):
    """Any JSON array or JSON Lines loads (or raises a T86AuditError) with lines accounted."""
    result = load_text(text, "json")
    if result is None:
        return
    assert accounted(result)
    for fmt in FORMATS:
        audit(result).render(fmt).encode("utf-8")


class _Markup(html.parser.HTMLParser):
    ALLOWED = frozenset(
        [
            "html",
            "head",
            "meta",
            "title",
            "style",
            "body",
            "nav",
            "ol",
            "ul",
            "li",
            "a",
            "main",
            "h1",
            "h2",
            "h3",
            "h4",
            "p",
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
            "dl",
            "dt",
            "dd",
            "section",
            "br",
            "div",
            # the report's charts: inline SVG drawn by the library (report/_charts.py)
            "svg",
            "defs",
            "pattern",
            "g",
            "rect",
            "line",
            "text",
        ]
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.ALLOWED:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("src", "srcdoc", "style", "formaction"):
                self.problems.append(f"{tag} {name}")
            if name == "href" and not (value or "").startswith(("#", "https://", "http://")):
                self.problems.append(f"href {value!r}")

    def handle_comment(self, data: str) -> None:
        self.problems.append("comment")


@PROPERTY
@given(text=hostile_csv())
def test_html_report_holds_no_markup_from_the_input(text):
    """The HTML has only the report's own elements: no tag, attribute or link from input."""
    result = load_text(text, "csv")
    if result is None:
        return
    page = audit(result).to_html()
    parser = _Markup()
    parser.feed(page)
    parser.close()

    assert parser.problems == []
    assert all(payload not in page for payload in MARKUP if "<" in payload)


FORMULA_SIGNS = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")


@PROPERTY
@given(text=hostile_csv())
def test_no_csv_cell_starts_a_formula(text):
    """Every CSV report cell that a spreadsheet would read as a formula starts with a quote."""
    result = load_text(text, "csv")
    if result is None:
        return
    table = audit(result).to_csv()

    for row in csv.reader(io.StringIO(table, newline="")):
        for cell in row:
            visible = "".join(c for c in cell if c.isprintable() and not c.isspace())
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "\n"))
            assert cell.startswith("'") or not visible.startswith(FORMULA_SIGNS)


@PROPERTY
@given(text=hostile_csv(surrogates=True))
def test_json_report_round_trips_and_validates(text):
    """The JSON report parses back to exactly the report's data and fits its schema."""
    result = load_text(text, "csv")
    if result is None:
        return
    report = audit(result)
    rendered = report.to_json()
    document = json.loads(rendered)

    assert document == report.to_dict()
    assert [e.message for e in VALIDATOR.iter_errors(document)] == []
    assert rendered.replace("\n", "").isprintable()


def _run_everything(text: str, seed: int) -> list[bytes]:
    """Load, draw a seeded sample, audit with a waiver and options, render every format."""
    result = load_text(text, "csv")
    if result is None:
        return []
    samples: tuple[JudgmentSample, ...] = ()
    if result.entries:
        samples = t86audit.draw_samples(result.entries, size=1, seed=seed, drawn_at=AT)
    waivers = [
        {
            "entry_number": e.number,
            "code": "VAL001",
            "reason": "checked",
            "reviewer": "J. Ortiz",
            "date": "2024-07-01",
        }
        for e in result.entries[:1]
        if e.number.strip()
    ]
    report = audit(
        result,
        samples=samples,
        waivers=waivers,
        options={"CON007": {"max_names": 2}},
    )
    return [report.render(fmt).encode("utf-8") for fmt in FORMATS]


@PROPERTY
@given(text=hostile_csv(), seed=st.integers(0, 2**32))
def test_same_input_options_seed_and_time_give_the_same_bytes(text, seed):
    """Two runs with the same input, options, seed and timestamp are byte-identical."""
    assert _run_everything(text, seed) == _run_everything(text, seed)


_DIGESTS = """
import hashlib, io, sys
from pathlib import Path
from t86audit.cli import main
for fmt in ("text", "markdown", "html", "json", "csv"):
    out = io.StringIO()
    argv = ["audit", sys.argv[1], "--format", fmt, "--generated-at", "2026-01-01T00:00:00Z"]
    status = main(argv, stdout=out, stderr=io.StringIO())
    print(fmt, status, hashlib.sha256(out.getvalue().encode("utf-8")).hexdigest())
"""


def test_output_does_not_depend_on_the_hash_seed(tmp_path):
    """Two processes with different PYTHONHASHSEED write the same bytes in every format."""
    rows = [r for entry in _population_for_hash_test() for r in to_csv_rows([entry])]
    path = tmp_path / "entries.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    runs = []
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        done = subprocess.run(
            [sys.executable, "-c", _DIGESTS, str(path)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        runs.append(done.stdout)

    assert runs[0] == runs[1]
    assert runs[0].count(" 0 ") == len(FORMATS)


def _population_for_hash_test():
    """Entries that fire group rules (sets of names, addresses and bills inside the rules)."""
    from t86audit.testing import make_entry  # noqa: PLC0415

    shared = {"address": "7 Shared Lane", "city": "Columbus"}
    return [
        make_entry(
            serial=n,
            value=f"{300 + 90 * n}.00",
            consignee={**shared, "name": f"Person {n % 5}"},
            seller={"name": f"Seller {n % 3}"},
            bill_of_lading="176-00000011" if n % 4 == 0 else None,
        )
        for n in range(1, 13)
    ]


@st.composite
def party_populations(draw: st.DrawFn) -> list[Entry]:
    """Populations whose findings quote names and addresses in their messages.

    Some entries share the first entry's consignee and arrival day (one person, one day), and
    the last may name its seller as the consignee at a U.S. address (in care of a warehouse).
    """
    population = draw(populations(min_size=2, max_size=6))
    first = population[0]
    sharing = draw(st.sets(st.integers(0, len(population) - 1)))
    entries = [
        attrs.evolve(e, consignee=first.consignee, arrival_date=first.arrival_date)
        if i in sharing
        else e
        for i, e in enumerate(population)
    ]
    if draw(st.booleans()):
        last = entries[-1]
        owner = attrs.evolve(last.seller, address=first.consignee.address, country="US")
        entries[-1] = attrs.evolve(last, consignee=owner)
    return entries


@PROPERTY
@given(
    population=party_populations(),
    key=st.binary(min_size=16, max_size=32),
    from_file=st.booleans(),
)
def test_redacted_reports_name_no_party(population, key, from_file):
    """No consignee or seller name or street address survives redaction, in any format.

    The population is audited as loaded rows (as the command line does) or streamed through
    Redactor.watch, the two ways every address is known to the redaction.
    """
    redactor = Redactor(key)
    if from_file:
        report = audit(load_records(to_csv_rows(population)))
    else:
        report = audit(redactor.watch(population))
    redacted = redactor.report(report)
    secrets_ = {
        value.casefold()
        for entry in population
        for party in (entry.consignee, entry.seller)
        for value in (party.name, party.address)
        if len(value.strip()) >= 5
    }

    assert redacted.counts() == report.counts()
    for fmt in FORMATS:
        text = redacted.render(fmt).casefold()
        if fmt in ("html", "markdown"):
            text = text.replace("&#x27;", "'").replace("&amp;", "&").replace("\\", "")
        assert [s for s in secrets_ if s in text] == []
