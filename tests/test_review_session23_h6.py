"""Review session 23, helper h6: the report as counsel reads it, after the dated citations.

Read as counsel would, the reports after the citations were dated (h4) buried the answer to
"what law applied to this entry" in the rule's Law field: every source of every finding, the
same dates repeated after each of five regulations, and nothing beside a finding to say which
of two notices governed it (84 FR 40079 until 14 Feb 2024, 89 FR 2630 from 15 Feb 2024). The
expected texts below were written from the rendering the fix aims at, before running it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import t86audit
from t86audit.docgen import render_rule
from t86audit.registry import RuleRegistry
from t86audit.report._common import DISCLAIMER
from t86audit.sample import cited_sample
from t86audit.testing import make_entry


AT = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
LATER = "issued after this entry; cited as CBP's later reading of the law in force"


def _law_line(text: str) -> str:
    (law,) = [line for line in text.splitlines() if line.startswith("Law ")]
    return law


def _rows(text: str, header: str) -> list[str]:
    """The rows of the text table whose header line starts with ``header``."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header))
    rows = []
    for line in lines[start + 2 :]:
        if not line.strip():
            break
        rows.append(line)
    return rows


def _chapter_98(*days: str) -> t86audit.Report:
    entries = [
        make_entry(serial=n, arrival_date=day, lines=[{"hts_number": "9801.00.10.98"}])
        for n, day in enumerate(days, 1)
    ]
    return t86audit.audit(entries, select=["HTS008"], generated_at=AT)


def _gifts(*days: str) -> tuple[list[t86audit.Entry], t86audit.Report]:
    entries = [
        make_entry(
            serial=n,
            arrival_date=day,
            lines=[{"description": "gift"}],
            consignee={"name": f"Consignee {n}"},
        )
        for n, day in enumerate(days, 1)
    ]
    return entries, t86audit.audit(entries, select=["DES002"], generated_at=AT)


# -- which law governed each finding ----------------------------------------------------------


def test_each_finding_names_the_notice_in_force_on_its_date() -> None:
    report = _chapter_98("2021-06-10", "2024-02-20")
    text = report.to_text()
    rows = _rows(text, "Entry ")
    assert "Law on its date" in next(
        line for line in text.splitlines() if line.startswith("Entry ")
    )
    # Beside each finding, the notice that governed it, and not the other one.
    assert rows[0].rstrip().endswith("84 FR 40079")
    assert rows[1].rstrip().endswith("89 FR 2630")
    # The rule's Law field still gives both with their dates.
    law = _law_line(text)
    assert (
        "84 FR 40079 (T86 data element 9: the 10-digit HTSUS number; in force from 28 Sep " in law
    )
    assert "2019 until 14 Feb 2024" in law
    assert "89 FR 2630 (T86 data element 9" in law
    assert "in force from 15 Feb 2024" in law


def test_each_finding_says_when_the_guidance_came_after_it() -> None:
    _, report = _gifts("2021-06-10", "2025-06-10")
    rows = _rows(report.to_text(), "Entry ")
    assert (
        rows[0].rstrip().endswith("CSMS 60011750 (later guidance); CSMS 60144714 (later guidance)")
    )
    assert rows[1].rstrip().endswith("CSMS 60011750; CSMS 60144714")
    markdown = report.to_markdown()
    assert "| Law on its date |" in markdown
    assert "| CSMS 60011750 (later guidance); CSMS 60144714 (later guidance) |" in markdown
    html = report.to_html()
    assert "<th>Law on its date</th>" in html or ">Law on its date<" in html
    assert "CSMS 60011750 (later guidance); CSMS 60144714 (later guidance)" in html


def test_no_law_column_when_every_finding_rests_on_the_same_law() -> None:
    _, report = _gifts("2021-06-10", "2021-06-11")
    text = report.to_text()
    header = next(line for line in text.splitlines() if line.startswith("Entry "))
    assert header.split() == ["Entry", "Line", "Filed", "Fact"]
    assert "| Law on its date |" not in report.to_markdown()
    assert not re.search(r"<th[^>]*>Law on its date<", report.to_html())


# -- the rule's Law field --------------------------------------------------------------------


def test_sections_of_one_instrument_with_the_same_dates_are_cited_together() -> None:
    _, report = _gifts("2021-06-10")
    law = _law_line(report.to_text())
    # Session 24: the five are undated in the domain reference (UNVERIFIED), said once.
    assert law.split(None, 1)[1].startswith(
        "19 CFR 4.7a, 122.48a, 123.91, 123.92 and 128.21 (older than the T86 test (domain "
        "reference); its first date is not in the domain reference (UNVERIFIED)); CSMS 60011750 ("
    )
    assert law.count("older than the T86 test") == 1
    # A later source says for which entries it is later, in the singular of "this entry".
    assert f"issued 1 Apr 2024) [on an entry before 1 Apr 2024: {LATER}]" in law


def test_sections_with_words_or_other_links_are_not_merged() -> None:
    entries = [
        make_entry(serial=1, arrival_date="2021-06-10", value="500.00", bill_of_lading="B-1"),
        make_entry(serial=2, arrival_date="2021-06-11", value="400.00", bill_of_lading="B-2"),
    ]
    law = _law_line(t86audit.audit(entries, select=["VAL005"], generated_at=AT).to_text())
    # "1321(a)(2), last sentence" cannot join a list of sections without blurring it.
    assert "; 19 U.S.C. 1321(a)(2), last sentence (articles forwarded" in law
    assert "19 CFR 10.151 (in force from 26 Aug 2016" in law  # CBP Dec. 16-13 (session 24)


def test_html_links_only_the_citation_name() -> None:
    html = _chapter_98("2024-02-20").to_html()
    assert re.search(
        r'<a href="https://www\.federalregister\.gov/d/2024-00698"[^>]*>89 FR 2630</a> '
        r"\(T86 data element 9",
        html,
    )
    # The Markdown link text is the name too; the words follow as plain text.
    assert "[89 FR 2630](https://www.federalregister.gov/d/2024-00698) (T86 data element 9" in (
        _chapter_98("2024-02-20").to_markdown()
    )


# -- the letter response and the spreadsheet cells ------------------------------------------


def test_letter_law_marks_a_run_of_later_guidance_once() -> None:
    entries, _ = _gifts("2019-12-10", "2025-06-10", "2025-06-11", "2025-06-12")
    cited = cited_sample(entries, [entries[0].number], id="CBP-1", drawn_at=AT)
    report = t86audit.audit(entries, select=["DES002"], samples=[cited], generated_at=AT)
    text = report.to_text()
    letter = text[text.index("Letter response") :]
    assert f"19 CFR 123.92; 19 CFR 128.21; CSMS 60011750; CSMS 60144714 [both: {LATER}]" in letter
    assert letter.count(LATER) == 1


def test_csv_keeps_one_marking_per_citation() -> None:
    # A filter on the cell ("CSMS 60011750 [issued after") must keep working.
    _, report = _gifts("2019-12-10")
    (row,) = csv.DictReader(io.StringIO(report.to_csv()))
    assert row["citations"] == (
        "19 CFR 4.7a; 19 CFR 122.48a; 19 CFR 123.91; 19 CFR 123.92; 19 CFR 128.21; "
        f"CSMS 60011750 [{LATER}]; CSMS 60144714 [{LATER}]"
    )
    assert "\n" not in row["citations"]


# -- said once: evidence, not legal advice ---------------------------------------------------


def test_not_legal_advice_is_said_once_and_not_again_by_the_exposure() -> None:
    entries = [make_entry(serial=1, arrival_date="2021-06-10", value="900.00")]
    report = t86audit.audit(entries, generated_at=AT)
    text = report.to_text()
    assert report.exposure is not None
    flat = " ".join(text.split())
    assert flat.count(" ".join(DISCLAIMER.split())) == 1
    exposure = flat[flat.index("2. Exposure") : flat.index("Penalty ranges")]
    assert "never counted as zero. Not a penalty assessment." in exposure
    assert "legal advice" not in exposure


# -- rule pages ------------------------------------------------------------------------------


def test_rule_page_dates_its_span_as_its_citations() -> None:
    page = render_rule(RuleRegistry.default().get("HTS008"))
    assert "**In force:** arrivals from 28 Sep 2019 to 3 Oct 2024; a T86 transmitted" in page
    # (Session 24: a late T86 is judged only if the T86 test still ran at its transmission.)
    assert "only if the T86 test was still running when it was transmitted" in page
    assert "On an entry before 4 Oct 2024: issued after this entry" in page
    assert not re.search(r"\b20\d\d-\d\d-\d\d\b", page.split("## Examples")[0])
