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
from decimal import Decimal

import pytest

from t86audit._citations import CITATIONS_FILE, citations, cite, cites, parse_citations
from t86audit.exceptions import RuleDefinitionError
from t86audit.findings import Citation
from t86audit.policy import default_policy, parse_milestones
from t86audit.rules import BUILTIN_PACK, classification


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
