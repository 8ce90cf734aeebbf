"""Review session 24, helper h1: the citations are data, read by id from ``citations.toml``.

Every source the built-in rules and the policy table cite is a table of
``src/t86audit/citations.toml``, keyed by a stable id; the code names it by that id. These tests
hold the file to what a reader of a finding relies on: each source is dated from the domain
reference or says that its date is UNVERIFIED, links only to https pages (but for one
third-party copy the reference gives over http), is cited by something, and a malformed table is
refused with the file, the id, the key and the reason.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import io
import json
from decimal import Decimal
from typing import Any

import pytest

import t86audit
from t86audit._citations import CITATIONS_FILE, citations, cite, cites, parse_citations
from t86audit.exceptions import RuleDefinitionError
from t86audit.findings import Citation, Finding, Severity
from t86audit.policy import default_policy, parse_milestones
from t86audit.rules import BUILTIN_PACK, classification
from t86audit.testing import make_entry


LIVING_TABLES = {
    # Databases the rules check numbers against: each entry is judged by the edition in force on
    # its date (the bundled snapshot says which), so the source itself carries no one date.
    "usitc-htsus": "the edition in force on the entry's date",
    "ita-adcvd": "the order list carries its own dates",
}
HTTP_ONLY = {
    # The domain reference (S51d, and the same site for the FD flag definitions) gives this
    # third-party copy of an old CSMS message only over http.
    "csms-03-002540": "http://gistnet.com/",
}


def _cited_somewhere() -> list[Citation]:
    used = [c for r in BUILTIN_PACK.rules for c in r.citations]
    used += [c for m in default_policy().milestones for c in m.citations]
    # Public names of the classification family, kept for importers.
    used += [classification.CSMS_62520662, classification.HTSUS, classification.PROCLAMATION_10326]
    return used


def test_the_data_file_is_package_data_beside_the_loader() -> None:
    # The wheel ships the whole src/t86audit tree (pyproject: packages = ["src/t86audit"]).
    text = importlib.resources.files("t86audit").joinpath(CITATIONS_FILE).read_text("utf-8")
    assert parse_citations(text) == dict(citations())


def test_every_citation_has_a_date_or_says_its_date_is_unverified() -> None:
    undated = {
        ident: c.date_note
        for ident, c in citations().items()
        if c.date is None and "UNVERIFIED" not in c.date_note
    }
    assert undated == {k: v for k, v in undated.items() if k in LIVING_TABLES}
    for ident, words in LIVING_TABLES.items():
        assert words in cite(ident).date_note


def test_every_dated_citation_says_what_its_date_is() -> None:
    for ident, c in citations().items():
        if c.date is not None:
            assert c.date_text.split()[0] in {"in", "issued"}, ident
            assert dt.date(1930, 1, 1) < c.date < dt.date(2028, 1, 1), ident


def test_every_address_is_https_but_the_one_the_reference_gives_over_http() -> None:
    for ident, c in citations().items():
        if c.url is None:
            continue
        if ident in HTTP_ONLY:
            assert c.url.startswith(HTTP_ONLY[ident])
        else:
            assert c.url.startswith("https://"), (ident, c.url)


def test_no_two_ids_name_one_source_the_same_way() -> None:
    values = list(citations().values())
    assert len(values) == len(set(values))
    lowered = [ident.lower() for ident in citations()]
    assert len(lowered) == len(set(lowered))


def test_a_repeated_id_is_refused() -> None:
    text = '["usc19-1484"]\ninstrument = "19 U.S.C."\nsection = "1484(a)"\n' * 2
    with pytest.raises(RuleDefinitionError, match=r"citations\.toml: .*usc19-1484"):
        parse_citations(text)


def test_every_id_is_cited_by_a_rule_or_the_policy_table() -> None:
    used = _cited_somewhere()
    unused = [ident for ident, c in citations().items() if c not in used]
    assert unused == []


def test_every_rule_citation_comes_from_the_data_file() -> None:
    known = set(citations().values())
    for r in BUILTIN_PACK.rules:
        assert set(r.citations) <= known, r.code
    for m in default_policy().milestones:
        assert set(m.citations) <= known, m.key


def test_a_second_reading_of_a_source_keeps_its_address_and_date() -> None:
    faq, pga = cite("cbp-t86-faq"), cite("cbp-t86-faq-pga")
    assert (pga.url, pga.date, pga.date_kind, pga.date_note) == (
        faq.url,
        faq.date,
        faq.date_kind,
        faq.date_note,
    )
    assert pga.note != faq.note
    # Its own note decides its basis: the mail exclusion is UNVERIFIED in the notice's wording.
    assert cite("fr89-2630").basis == "federal-register"
    assert cite("fr89-2630-mail").basis == "unverified"


def test_cites_keeps_the_order_given_and_refuses_an_unknown_id() -> None:
    assert [str(c) for c in cites("usc19-1592", "usc19-1484")] == [
        "19 U.S.C. 1592(a)",
        "19 U.S.C. 1484(a)",
    ]
    with pytest.raises(RuleDefinitionError, match=r"citations\.toml has no citation \['nope'\]"):
        cite("nope")


_GOOD = '["x-1"]\ninstrument = "19 CFR"\nsection = "1.1"\n'


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('["X 1"]\ninstrument = "19 CFR"\nsection = "1.1"\n', "'X 1'.*not a table named by an id"),
        (_GOOD + 'colour = "red"\n', r"'x-1'.*unknown key\(s\) \['colour'\]"),
        (_GOOD + "note = 3\n", "'x-1'.*note = 3 is not a string"),
        (_GOOD + 'date = "2016-03-10"\n', "'x-1'.*date = '2016-03-10' is not a date"),
        (_GOOD + "date = 2016-03-10T10:00:00\n", "'x-1'.*date = .* is not a date"),
        (_GOOD + "later_note = true\n", "'x-1'.*later_note = True is neither"),
        (_GOOD + 'url = "ftp://x"\n', "'x-1'.*url = 'ftp://x' is not a web address"),
        (_GOOD + 'date_kind = "someday"\n', "'x-1'.*date_kind must be one of"),
        ('["x-1"]\nsection = "1.1"\n', "'x-1'.*has no instrument"),
        (_GOOD + '["x-2"]\nlike = "x-3"\n', "'x-2'.*like = 'x-3' names no table"),
        (_GOOD + '["x-2"]\nlike = "x-1"\n["x-3"]\nlike = "x-2"\n', "'x-3'.*like = 'x-2'"),
        ("[x-1\n", r"citations\.toml: "),
    ],
)
def test_a_malformed_table_is_refused_with_its_id_key_and_reason(text: str, says: str) -> None:
    with pytest.raises(RuleDefinitionError, match=says):
        parse_citations(text)


def test_later_note_false_means_left_off_an_earlier_entry() -> None:
    (c,) = parse_citations(
        _GOOD.replace("19 CFR", "CSMS") + "date = 2024-01-16\n"
        'date_kind = "issued"\nlater_note = false\n'
    ).values()
    assert c.later_note is None
    assert c.shown_on(dt.date(2023, 6, 1)) is None
    assert cite("csms-59089765").shown_on(dt.date(2023, 6, 1)) is None


# --- the policy table's milestones are data too (policy.toml) -------------------------------

# The domain reference's timeline (section 1), written by hand: effective date, what changed.
TIMELINE = [
    (dt.date(2016, 3, 10), "tftea-800", {"threshold_usd": Decimal(800)}),
    (dt.date(2019, 9, 28), "t86-test", {"t86_available": True, "filing_deadline_days": 15}),
    (dt.date(2024, 2, 15), "t86-republished", {"filing_deadline_days": 0}),
    (dt.date(2024, 4, 1), "vague-messaging", {"vague_description_messaging": True}),
    (dt.date(2024, 7, 25), "eda-required", {"eda_required": True}),
    (dt.date(2024, 10, 4), "chapter-98-clarified", {"chapter_98_barred": True}),
    (dt.date(2025, 2, 4), "china-gate-1", {"china_hk_excluded": True}),
    (dt.date(2025, 2, 7), "china-gate-paused", {"china_hk_excluded": False}),
    (dt.date(2025, 5, 2), "china-gate-2", {"china_hk_excluded": True}),
    (dt.date(2025, 8, 3), "penalty-1321c", {"penalty_1321c": True}),
    (dt.date(2025, 8, 12), "ace-aggregation", {"ace_aggregation": True}),
    (dt.date(2025, 8, 29), "t86-ended", {"t86_available": False}),
    (dt.date(2027, 7, 1), "statutory-end", {"penalty_1321c": False}),
]


def test_the_bundled_milestones_are_the_reference_timeline() -> None:
    milestones = default_policy().milestones
    assert milestones[0].key == "pre-2016"
    assert default_policy().at(dt.date(2015, 6, 1)).threshold_usd == Decimal(200)
    assert [(m.date, m.key, m.changes) for m in milestones[1:]] == TIMELINE
    # The executive orders' cut-overs: goods entered from 12:01 a.m. Eastern.
    assert {m.key for m in milestones if m.starts_at == dt.time(0, 1)} == {
        "china-gate-1",
        "china-gate-2",
        "t86-ended",
    }
    assert isinstance(default_policy().at(dt.date(2020, 1, 1)).threshold_usd, Decimal)


def test_each_milestone_cites_dated_sources_from_the_data_file() -> None:
    cited = {m.key: [str(c) for c in m.citations] for m in default_policy().milestones}
    assert cited["tftea-800"] == ["Pub. L. 114-125, sec. 901(c)", "81 FR 58831"]
    assert cited["t86-ended"] == ["EO 14324", "CSMS 66065494", "90 FR 42418"]
    assert cite("publ-119-21-70531a").until == dt.date(2027, 7, 1)


_MILESTONE = '[[milestone]]\ndate = 2030-01-01\nkey = "k"\ntitle = "t"\n'


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (
            _MILESTONE + "changes = { threshold_usd = 900.5 }\n",
            "threshold_usd = 900.5: should be a decimal string",
        ),
        (
            _MILESTONE + "changes = { eda_required = 1 }\n",
            "eda_required = 1: should be true or false",
        ),
        (
            _MILESTONE + "changes = { filing_deadline_days = true }\n",
            "True: should be a whole number",
        ),
        (_MILESTONE + 'changes = { threshold_usd = "8OO" }\n', "'8OO': should be a decimal"),
        (_MILESTONE + "changes = { colour = true }\n", "colour = True: not a field"),
        ('[[milestone]]\ndate = 2030-01-01\ntitle = "t"\n', "milestone 1 has keys"),
        (_MILESTONE + "when = 1\n", "milestone 1 has keys"),
        ("[other]\n", "only \\[\\[milestone\\]\\] tables"),
    ],
)
def test_a_malformed_milestone_is_refused_with_the_key_and_value(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_milestones(text)


def test_a_milestone_citing_an_unknown_id_is_refused() -> None:
    with pytest.raises(RuleDefinitionError, match="no citation \\['eo-99999'\\]"):
        parse_milestones(_MILESTONE + 'citations = ["eo-99999"]\n')


# --- Task 2: each finding cites the law as it stood on its entry's date ----------------------
#
# Written by hand from the domain reference before the code ran:
# * timeline and D5: the threshold was $200 before 10 Mar 2016; TFTEA sec. 901(c) made it $800
#   for articles entered from 10 Mar 2016; CBP Dec. 16-13 (81 FR 58831) conformed 19 CFR 10.151
#   on 26 Aug 2016. Neither the day 1321(a)(2)(C) began to read $200 nor the day 10.151 did is
#   in the reference: the earlier texts are undated (UNVERIFIED) and end the day before.
# * section 1 and 4: 19 CFR 4.7a, 122.48a, 123.91, 123.92 and 128.21 are older than the T86
#   test, with no date given: not "in force by 28 Sep 2019" on an entry of 2018.

AT = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
FAQ = "CBP Entry Type 86 Frequently Asked Questions"
STATUTE = "19 U.S.C. 1321(a)(2)(C)"
REGULATION = "19 CFR 10.151"
DESCRIBE = ["19 CFR 4.7a", "19 CFR 122.48a", "19 CFR 123.91", "19 CFR 123.92", "19 CFR 128.21"]


def _finding(code: str, day: str, **fields: Any) -> Finding:
    report = t86audit.audit(
        [make_entry(arrival_date=day, **fields)], select=[code], generated_at=AT
    )
    (found,) = report.findings
    return found


def _by_text(finding: Finding) -> dict[str, Citation]:
    return {str(c): c for c in finding.citations}


def test_an_entry_of_2015_is_judged_and_cited_at_200_dollars() -> None:
    found = _finding("VAL001", "2015-06-01", value="300.00")
    assert found.expected == "<= 200.00"
    assert found.severity is Severity.VIOLATION
    assert found.basis == "statute"
    assert [str(c) + ("*" if c.later_guidance else "") for c in found.citations] == [
        STATUTE,
        REGULATION,
        FAQ + "*",
    ]
    statute, regulation = _by_text(found)[STATUTE], _by_text(found)[REGULATION]
    assert "$200" in statute.note
    assert "TFTEA" in statute.note
    assert statute.date is None
    assert statute.until == dt.date(2016, 3, 10)
    assert statute.date_text.startswith("in force until 9 Mar 2016")
    assert "UNVERIFIED" in statute.date_text
    assert "$200" in regulation.note
    assert regulation.until == dt.date(2016, 8, 26)
    # Nothing on the finding speaks of the $800 texts or dates them after the entry.
    for c in found.citations[:2]:
        assert "$800 per person" not in c.note
        assert "in force from" not in c.date_text


def test_the_statute_changes_text_on_10_march_2016() -> None:
    before = _finding("VAL001", "2016-03-09", value="300.00")
    on = _finding("VAL001", "2016-03-10", value="900.00")
    assert before.expected == "<= 200.00"
    assert on.expected == "<= 800.00"
    assert _by_text(before)[STATUTE].until == dt.date(2016, 3, 10)
    statute = _by_text(on)[STATUTE]
    assert (statute.date, statute.date_kind, statute.until) == (
        dt.date(2016, 3, 10),
        "effective",
        None,
    )
    assert "$800" in statute.note
    # $300 on 10 Mar 2016 is within the new threshold: no finding.
    report = t86audit.audit(
        [make_entry(arrival_date="2016-03-10", value="300.00")], select=["VAL001"], generated_at=AT
    )
    assert report.findings == ()


def test_an_entry_of_mid_2016_cites_the_800_statute_and_the_200_regulation() -> None:
    found = _finding("VAL001", "2016-06-01", value="900.00")
    assert found.expected == "<= 800.00"
    assert found.severity is Severity.VIOLATION
    statute, regulation = _by_text(found)[STATUTE], _by_text(found)[REGULATION]
    assert statute.date == dt.date(2016, 3, 10)
    assert "$800" in statute.note
    # The regulation still read $200 until CBP Dec. 16-13: cited as it then read, and saying
    # that the statute's $800 governed.
    assert regulation.date is None
    assert regulation.until == dt.date(2016, 8, 26)
    assert "$200 text" in regulation.note
    assert "statute's $800" in regulation.note
    assert regulation.date_text.startswith("in force until 25 Aug 2016")


def test_the_regulation_changes_text_on_26_august_2016() -> None:
    last = _by_text(_finding("VAL001", "2016-08-25", value="900.00"))[REGULATION]
    first = _by_text(_finding("VAL001", "2016-08-26", value="900.00"))[REGULATION]
    assert last.until == dt.date(2016, 8, 26)
    assert (first.date, first.date_kind, first.until) == (dt.date(2016, 8, 26), "effective", None)
    assert first.date_text.startswith("in force from 26 Aug 2016, $800 text from CBP Dec. 16-13")


def test_an_entry_of_2018_cites_both_800_texts() -> None:
    found = _finding("VAL001", "2018-06-01", value="900.00")
    statute, regulation = _by_text(found)[STATUTE], _by_text(found)[REGULATION]
    assert statute.date == dt.date(2016, 3, 10)
    assert regulation.date == dt.date(2016, 8, 26)
    assert statute.until is None
    assert regulation.until is None
    assert _by_text(found)[FAQ].later_guidance  # the FAQ of Oct 2019 postdates the entry


def test_one_person_one_day_in_2015_is_judged_and_cited_at_200_dollars() -> None:
    consignee = {"name": "Maria Lopez", "address": "12 Main Street Apt 4"}
    entries = [
        make_entry(serial=n, arrival_date="2015-06-01", value="100.00", consignee=consignee)
        for n in (1, 2, 3)
    ]
    report = t86audit.audit(entries, select=["VAL002"], generated_at=AT)
    # 100, 200, 300: the third shipment takes the day past $200 (not past $800).
    (found,) = report.findings
    assert found.entry_number == entries[2].number
    assert found.expected == "<= 200.00 per person per day"
    shown = _by_text(found)
    assert shown[REGULATION].until == dt.date(2016, 8, 26)
    assert shown[STATUTE].until == dt.date(2016, 3, 10)


@pytest.mark.parametrize("day", ["2015-06-01", "2016-06-01", "2018-06-01"])
def test_the_description_regulations_are_not_dated_by_the_t86_test(day: str) -> None:
    found = _finding("DES001", day, lines=[{"description": ""}])
    shown = _by_text(found)
    assert list(shown) == DESCRIBE
    for text in DESCRIBE:
        c = shown[text]
        assert c.date is None
        assert "older than the T86 test" in c.date_note
        assert "UNVERIFIED" in c.date_note
        assert "2019" not in c.date_text
    assert found.severity is Severity.VIOLATION  # still regulations, in force on any date
    details = json.loads(
        t86audit.audit(
            [make_entry(arrival_date=day, lines=[{"description": ""}])],
            select=["DES001"],
            generated_at=AT,
        ).to_json()
    )["findings"][0]["citation_details"]
    assert {d["date"] for d in details} == {None}


def test_no_citation_is_dated_the_day_the_t86_test_began_but_the_test_s_own() -> None:
    dated = sorted(i for i, c in citations().items() if c.date == dt.date(2019, 9, 28))
    # The 2019 notice (its own day and its data element) and ACE's one-bill rule, which came
    # with the test's deployment: T86 terms, which did not exist before it.
    assert dated == ["ace-one-bill", "fr84-40079", "fr84-40079-element-9", "fr84-40079-test-began"]


def test_a_report_of_entries_either_side_names_the_text_beside_each_finding() -> None:
    entries = [
        make_entry(serial=1, arrival_date="2015-06-01", value="300.00"),
        make_entry(serial=2, arrival_date="2016-06-01", value="900.00"),
        make_entry(serial=3, arrival_date="2018-06-01", value="900.00"),
    ]
    markdown = t86audit.audit(entries, select=["VAL001"], generated_at=AT).to_markdown()
    # The rule's table of findings: one row per finding, its last column the law on its date.
    rows = {
        line.split(" | ")[0].lstrip("| "): line.rsplit(" | ", 1)[1].rstrip(" |")
        for line in markdown.splitlines()
        if "de minimis threshold" in line and line.startswith("| B76")
    }
    until_1321, from_1321 = (
        f"{STATUTE} (text until 9 Mar 2016)",
        f"{STATUTE} (text from 10 Mar 2016)",
    )
    until_151, from_151 = (
        f"{REGULATION} (text until 25 Aug 2016)",
        f"{REGULATION} (text from 26 Aug 2016)",
    )
    assert rows == {
        entries[0].number: f"{until_1321}; {until_151}",
        entries[1].number: f"{from_1321}; {until_151}",
        entries[2].number: f"{from_1321}; {from_151}",
    }
    # The rule's Law field lists all four texts, each with its own note and date.
    (law,) = [line for line in markdown.splitlines() if line.startswith("- **Law:**")]
    assert law.count("[19 CFR 10.151]") == 2
    assert law.count("[19 U.S.C. 1321(a)(2)(C)]") == 2


def test_the_policy_table_s_first_period_cites_the_200_dollar_texts() -> None:
    first = default_policy().at(dt.date(2015, 6, 1))
    assert first.id == "pre-2016"
    assert [c.until for c in first.citations] == [dt.date(2016, 3, 10), dt.date(2016, 8, 26)]


def test_the_rule_listing_names_each_provision_once() -> None:
    from t86audit.cli import main  # noqa: PLC0415

    out = io.StringIO()
    assert main(["rules", "--format", "json"], stdout=out) == 0
    (val001,) = [r for r in json.loads(out.getvalue()) if r["code"] == "VAL001"]
    assert val001["citations"] == [STATUTE, REGULATION, FAQ]
