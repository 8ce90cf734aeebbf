"""The human report as a document counsel reads (issue 15): cover, summary, charts, findings
grouped by rule, appendices, print and narrow-screen styles, the notebook view and save().

The HTML is also printed and photographed in a real browser: tests/test_html_browser.py.
"""

import datetime as dt
import html.parser
import re
from pathlib import Path

import pytest

import t86audit
from t86audit.report import SAVE_SUFFIXES
from t86audit.report._blocks import Chart, Heading, Table
from t86audit.report._document import build, chart_table
from t86audit.testing import make_entry, make_sample


ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "data" / "entries.csv"
AT = dt.datetime(2026, 1, 15, 9, tzinfo=dt.UTC)
SCRIPT = "<script>alert('x')</script>"


@pytest.fixture(scope="module")
def example():
    """The bundled example audited with two seeded random samples, as the README does."""
    loaded = t86audit.load(EXAMPLE)
    samples = t86audit.draw_samples(
        loaded.entries, size=10, count=2, seed=7, drawn_at=AT - dt.timedelta(days=1)
    )
    return t86audit.audit(loaded, samples=samples, generated_at=AT)


@pytest.fixture(scope="module")
def page(example):
    return example.to_html()


def _between(text, start, end):
    return text[text.index(start) : text.index(end, text.index(start))]


class _Ids(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if values.get("id"):
            self.ids.append(values["id"])
        if tag == "a" and (values.get("href") or "").startswith("#"):
            self.links.append(values["href"][1:])


def test_cover_says_who_what_when_and_with_what(example, page):
    """Filer codes, consignee and seller counts, period, files and hashes, types, rules, data."""
    cover = page[: page.index('id="summary"')]
    for text in (
        "Filer codes",
        "B76 (2,421)",
        "Ultimate consignees",
        "Sellers",
        "Arrival period",
        "2019-08-15 to 2025-09-15",
        "type 86: 2,996",
        "core 0.1.0",
        "Policy table",
        "htsus (2025-05-26)",
        example.load.sources[0].sha256,
        "2026-01-15T09:00:00+00:00",
    ):
        assert text in cover, text


def test_summary_leads_with_rejected_rows_then_counts_samples_and_rules(example, page):
    """Rows rejected at load come first; then counts, the samples and findings by rule."""
    summary = _between(page, 'id="summary"', 'id="charts"')

    assert summary.index('class="alert"') < summary.index("Entries audited")
    assert "6 of 4,561 input rows were rejected at load" in summary
    assert "the column most of them were rejected for (4 rows): column arrival_date" in summary
    assert "2,853 clean" in summary
    assert "95.2% of the entries judged" in summary
    assert "0.0% to 30.8%" in summary  # the samples' results
    for code in {f.code for f in example.findings}:
        assert f'href="#rule-{code.lower()}"' in summary
    assert "What it means" in summary
    assert "Share of entries" in summary
    assert "The consignee&#x27;s name, street address or country is blank." in summary


def test_no_alert_without_rejected_rows():
    report = t86audit.audit([make_entry(value="950.00")], select=["VAL001"], generated_at=AT)

    assert 'class="alert"' not in report.to_html()
    assert "rejected at load" not in report.to_text()


def test_findings_are_grouped_by_rule_with_the_law_once(example, page):
    """One part per rule: its explanation and law once, then a compact row per finding."""
    start = page.index('id="findings"')
    section = page[start : page.index("<h2 ", start)]
    codes = list(dict.fromkeys(f.code for f in example.findings))

    assert re.findall(r'<h3 id="rule-([a-z0-9-]+)">', section) == [c.lower() for c in codes]
    assert section.count("<dt>Reasonable care</dt>") == len(codes)
    assert section.count("<dt>Law</dt>") == len(codes)
    assert 'class="record' not in section  # no card per finding
    rows = len(re.findall(r"<tr><td class=\"nw\" data-label=\"Entry\">", section))
    assert rows == len(example.findings)


def test_every_in_page_link_has_its_target(page):
    """Entry numbers, related entries, rule codes and samples link to ids that exist, once."""
    parser = _Ids()
    parser.feed(page)

    assert len(parser.ids) == len(set(parser.ids))
    assert parser.links
    assert set(parser.links) <= set(parser.ids)
    assert any(link.startswith("entry-") for link in parser.links)
    assert any(link.startswith("letter-") for link in parser.links)


def test_clean_entries_are_counted_not_listed(example, page):
    """The entry table lists only entries with a finding, a sample or a mention."""
    appendix = _between(page, 'id="entries"', 'id="checks-passed"')
    listed = appendix.count('<a id="entry-')

    assert 0 < listed < len(example.entries)
    assert f"{listed} of 2,996 audited entries are listed" in appendix
    assert "The other 2,831 are clean" in appendix


def test_checks_passed_are_listed_once_not_per_sampled_entry(example, page):
    """The rules are listed once (Appendix A); each sampled entry gets one line."""
    letter = _between(page, 'id="letter-response"', 'id="waivers"')

    assert "What it checks" not in letter
    assert letter.count("Checks passed: ") == len(example.letter_response)
    assert page.count("<th>What it checks</th>") == 1


def test_month_chart_is_in_date_order_with_policy_periods():
    """Months run in date order (empty months too); policy periods are marked and named."""
    entries = [
        make_entry(serial=1, value="950.00", arrival_date="2024-06-03"),
        make_entry(serial=2, value="950.00", arrival_date="2024-01-10"),
        make_entry(serial=3, value="950.00", arrival_date="2024-01-11"),
    ]
    report = t86audit.audit(entries, select=["VAL001"], generated_at=AT)
    (chart,) = [b for b in build(report) if isinstance(b, Chart) and b.key == "months"]

    assert chart.labels == ("2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06")
    assert chart.totals() == [2, 0, 0, 0, 0, 1]
    assert [text for _, text in chart.marks] == ["1", "2"]  # 15 Feb and 1 Apr 2024
    assert chart.marks[0][0] == pytest.approx(1 + 14 / 29)
    text = report.to_text()
    assert "t86-republished" in text
    assert "Republished T86 notice" in text


def test_charts_are_inert_inline_svg_that_prints_in_black_and_white(page):
    """SVG written by the library: no script, no link out, grey fills and hatching, values."""
    charts = _between(page, 'id="charts"', 'id="findings"')
    svgs = re.findall(r"<svg\b.*?</svg>", charts, flags=re.DOTALL)

    assert len(svgs) == 4
    for svg in svgs:
        assert "<script" not in svg
        assert "href" not in svg
        assert 'role="img"' in svg
        assert "<title>" in svg
        colours = set(re.findall(r'(?:fill|stroke)="(#[0-9a-f]{6})"', svg))
        assert all(c[1:3] == c[3:5] == c[5:7] for c in colours), colours  # greys only
    assert 'fill="url(#months-hatch)"' in charts
    assert re.search(r'font-weight="bold">16</text>', charts)  # a labelled value


def test_chart_labels_from_the_input_are_escaped():
    entries = [
        make_entry(serial=i, value="950.00", seller={"name": SCRIPT}, consignee={"name": SCRIPT})
        for i in (1, 2)
    ]
    page = t86audit.audit(entries, select=["VAL001"], generated_at=AT).to_html()

    assert SCRIPT not in page
    svgs = "".join(re.findall(r"<svg\b.*?</svg>", page, flags=re.DOTALL))
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in svgs


def test_text_and_markdown_show_charts_as_tables(example):
    text = example.to_text()
    markdown = example.to_markdown()

    assert "Findings by arrival month\n~~~~~~~~~~~~~~~~~~~~~~~~~" in text
    assert re.search(r"2024-10 +1 +9 +0 +10 .*##########", text)
    assert "| 2024-10 | 1 | 9 | 0 | 10 |" in markdown
    assert "Top sellers by findings" in markdown
    assert "<svg" not in markdown


def test_chart_table_scales_the_bar():
    chart = Chart("k", "t", "Label", ("a", "b"), (("V", (4, 1)), ("W", (4, 0))))
    table = chart_table(chart, bar_width=8)

    assert table.rows == (("a", "4", "4", "8", "########"), ("b", "1", "0", "1", "#"))


def test_codes_dates_and_amounts_never_break(page):
    """Cells of codes, entry numbers, dates and amounts are kept whole; prose wraps."""
    assert "td.nw, td.num { white-space: nowrap; }" in page
    assert '<td class="nw" data-label="Entry"><a href="#entry-' in page
    assert re.search(r'<td class="nw" data-label="Filed">\d{4}-\d{2}-\d{2}</td>', page)
    assert '<td data-label="Fact">' in page


def test_print_and_narrow_screen_styles(page):
    assert "@page { size: letter;" in page
    assert "@media print" in page
    assert "h2.page { break-before: page;" in page
    assert "@media screen and (max-width: 700px)" in page
    assert "content: attr(data-label)" in page
    assert '<h2 id="findings" class="page">' in page


def test_sections_are_numbered_after_the_summary_and_charts(example):
    headings = [b.text for b in build(example) if isinstance(b, Heading) and b.level == 2]

    assert headings[:3] == ["Summary", "Charts", "1. Findings by rule"]
    numbered = [h for h in headings if h[0].isdigit()]
    assert [int(h.split(".")[0]) for h in numbered] == list(range(1, len(numbered) + 1))
    assert any(re.fullmatch(r"\d+\. Samples", h) for h in numbered)
    assert headings[-3:] == [
        "Appendix A. Rules",
        "Appendix B. Entries",
        "Appendix C. Checks passed by the cited and sampled entries",
    ]


def test_entry_table_leaves_out_empty_count_columns(example):
    (table,) = [
        b
        for b in build(example)
        if isinstance(b, Table)
        and b.columns[:2] == ("Entry", "Arrival")
        and "Standing" in b.columns
    ]

    assert "Waived" not in table.columns  # no waiver in this audit
    assert "Info" in table.columns


def test_html_report_is_deterministic(example):
    assert example.to_html() == example.to_html()


# -- the notebook view -------------------------------------------------------------------------


def test_notebook_view_names_rules_keeps_entries_whole_and_draws_a_chart(example):
    view = example._repr_html_()

    assert view.startswith('<div class="t86audit-report">\n<style>')
    assert "text-align: left" in view
    assert "white-space: nowrap" in view
    assert '<td class="nw" data-label="Rule">consignee-data-missing</td>' in view
    assert re.search(r'<td class="nw" data-label="Entry">B76-\d{7}-\d</td>', view)
    assert view.count("<svg") == 1
    assert "report.save(&#x27;report.html&#x27;)" in view
    assert "<script" not in view


def test_save_writes_the_format_its_suffix_names(tmp_path, monkeypatch):
    """save() writes where the user says: relative to the working folder, format by suffix."""
    report = t86audit.audit([make_entry(value="950.00")], select=["VAL001"], generated_at=AT)
    monkeypatch.chdir(tmp_path)

    for name in ("report.html", "report.md", "report.txt", "report.json", "report.csv"):
        written = report.save(name)
        assert written == Path(name)
        fmt = SAVE_SUFFIXES[Path(name).suffix]
        with (tmp_path / name).open(encoding="utf-8", newline="") as handle:
            assert handle.read() == report.render(fmt)
    report.save(tmp_path / "sub.out", format="json")
    assert (tmp_path / "sub.out").read_text(encoding="utf-8") == report.render("json")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_save_refuses_a_name_without_a_format_before_writing(tmp_path):
    report = t86audit.audit([make_entry()], select=["VAL001"], generated_at=AT)

    with pytest.raises(ValueError, match=r"cannot tell the report format .*'report\.pdf'"):
        report.save(tmp_path / "report.pdf")
    with pytest.raises(ValueError, match="unknown report format"):
        report.save(tmp_path / "report.html", format="pdf")
    assert list(tmp_path.iterdir()) == []


def test_letter_entries_link_back_from_the_samples(example, page):
    sample = example.samples[0].sample
    first = sample.entries[0].number
    anchor = "letter-" + re.sub(r"[^a-z0-9]+", "-", first.replace("-", "").lower())

    assert f'href="#{anchor}"' in page
    assert f'<h3 id="{anchor}">Entry {first}</h3>' in page


def test_cited_sample_letter_shows_findings_and_links_rules():
    entries = [make_entry(serial=1, value="950.00"), make_entry(serial=2)]
    report = t86audit.audit(
        entries,
        samples=[make_sample(entries, method="cited", id="CBP-1")],
        select=["VAL001"],
        generated_at=AT,
    )
    page = report.to_html()
    letter = _between(page, 'id="letter-response"', 'id="waivers"')

    assert '<a href="#rule-val001">VAL001</a>' in letter
    assert letter.count("Checks passed: ") == 2
    assert "Checks passed: 0 of 1" in letter
    assert "Checks passed: 1 of 1" in letter
