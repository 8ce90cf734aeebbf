"""The answer to a CBP letter, read as counsel reads it, in the readable formats.

Two cited samples (ten entries, and nine: the letter's tenth number is not in the broker's
data, which cited_sample names), clean entries, violations, warnings, a waived violation and a
cited entry of type 01. For each cited entry the letter response must name the data element,
what was filed, the provisions (and, for a warning resting on guidance or an unverified source,
say so) and must not present an unjudged entry as clean. Written when the letter response said
of a cited type 01 entry "No finding on this entry. Checks passed: 0 of 58; 61 not checked"
(58 rules never ran on it, and 0 + 61 > 58), and gave each finding without its provisions or
data element (reference section 0: a defensible finding names the entry, the data element, the
provision, the evidence and why it reflects a failure of reasonable care).
"""

from __future__ import annotations

import re

import pytest

import t86audit
from tests.test_group_hand_cases import E, _write, maria, r


CITED_1 = [E(1), E(40), E(41), E(42), E(43), E(44), E(45), E(46), E(47), E(2)]
CITED_2 = [E(3), E(48), E(49), E(53), E(55), E(4), E(5), E(6), E(7)]
NOT_OURS = "H3K-0099999-0"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> t86audit.Report:
    folder = tmp_path_factory.mktemp("letter")
    rows = [r(n, "60.00") for n in range(1, 11)]
    rows += [
        maria(40, "500.00"),
        maria(41, "450.00", filed_at="2024-06-03T00:40:00"),  # VAL002 (V)
        r(42, "950.00"),  # VAL001 (V)
        r(43, "20.00", description="gift"),  # DES002 (V)
        r(44, "0.01"),  # VAL004 (W)
        r(45, "40.00", hts_number="6109.10"),  # HTS001 (V), waived
        r(46, "1500.00", entry_type="01"),  # not a T86
        r(47, "40.00", filed_at="2024-06-04T10:00:00"),  # FIL008 (V)
        r(48, "40.00", description="portable bluetooth speaker", hts_number="8518.22.00.00"),
        r(49, "40.00", description="portable bluetooth speaker", hts_number="8518.29.80.00"),
        r(53, "40.00", bill_of_lading="176-55555555"),  # FIL007 (W, unverified basis)
        r(54, "40.00", bill_of_lading="176-55555555", day="2024-06-05"),
        r(55, "60.00", mode="mail"),  # ELG004 (W, guidance)
    ]
    path = folder / "entries.csv"
    _write(path, rows)
    waivers = folder / "waivers.csv"
    waivers.write_text(
        "entry_number,code,reason,reviewer,date\n"
        f"{E(45)},HTS001,ACE shows 6109.10.00.12 transmitted,J. Ortiz,2024-06-20\n",
        encoding="utf-8",
    )
    loaded = t86audit.load(path)
    assert not loaded.errors
    with pytest.raises(t86audit.UnknownEntriesError, match=NOT_OURS):
        t86audit.cited_sample(loaded.entries, [*CITED_2, NOT_OURS], id="CBP-2", size=10)
    one = t86audit.cited_sample(loaded.entries, CITED_1, id="CBP-1", size=10)
    two = t86audit.cited_sample(loaded.entries, CITED_2, id="CBP-2", size=9)
    return t86audit.audit(loaded, samples=[one, two], waivers=waivers, exposure=False)


def _entry_section(text: str, number: str) -> str:
    start = text.index(f"### Entry {number}")
    end = text.find("\n### ", start + 1)
    return text[start:end]


def test_samples_count_unwaived_violations(report: t86audit.Report) -> None:
    """CBP-1: 41, 42, 43, 47 have violations; 45's is waived, 44's is a warning, 46 is a 01."""
    counts = {e.sample.id: e.entries_with_violations for e in report.samples}
    assert counts == {"CBP-1": 4, "CBP-2": 0}
    assert all(e.rate_interval_95 is None for e in report.samples)


def test_a_cited_entry_of_another_type_is_not_called_clean(report: t86audit.Report) -> None:
    markdown = report.to_markdown()
    section = _entry_section(markdown, E(46))
    assert "No finding on this entry" not in section
    assert "Not judged: an entry of type 01 is not a Type 86 entry" in section
    # Counted from the audit, not written down: a new rule must not break the statement.
    rules = len(report.rules)
    ran = sum(1 for r in report.rules if r.status in ("passed", "failed"))
    assert f"Checks passed: none ran on this entry; {rules} not checked" in section
    assert re.search(rf"\| {re.escape(E(46))}\]?[^|]*\| CBP-1 \| 0 of 0 \|", markdown)
    # A Type 86 entry's count is over the rules that ran on it and were in force on its dates.
    (first,) = (i for i in report.letter_response if i.entry.number == E(1))
    gated = len(first.not_in_force)
    assert gated  # FIL008 or FIL009, HTS004 or HTS008: one of each pair is out of force
    clean = (
        f"Checks passed: {ran - gated} of {ran - gated}; {gated} not in force on its dates; "
        f"{rules - ran} not checked"
    )
    assert clean in _entry_section(markdown, E(1))
    assert rules - ran == 3  # ELG010, ELG012, ELG013 need tables this audit has not


def test_each_finding_names_its_data_element_and_law(report: t86audit.Report) -> None:
    markdown = report.to_markdown()
    day = _entry_section(markdown, E(41))
    assert "| Data element |" in day
    assert "| value\\_usd | 950.00 |" in day
    assert "19 CFR 10.151; 19 CFR 10.153(d); 19 U.S.C. 1321(a)(2)(C)" in day
    gift = _entry_section(markdown, E(43))
    assert "| line 1 description | gift |" in gift
    assert "19 CFR 4.7a" in gift


@pytest.mark.parametrize(
    ("number", "basis"),
    [
        (E(53), "(basis: a source not verified in a primary text (so a warning at most))"),
        (E(55), "(basis: CBP guidance, not a statute or regulation (so a warning at most))"),
    ],
)
def test_a_warning_on_weak_law_says_what_kind_of_source(
    report: t86audit.Report, number: str, basis: str
) -> None:
    section = _entry_section(report.to_markdown(), number)
    assert "| warning |" in section
    assert basis in section
    assert "| violation |" not in section


def test_statute_and_regulation_findings_carry_no_basis_caveat(report: t86audit.Report) -> None:
    assert "(basis:" not in _entry_section(report.to_markdown(), E(42))


@pytest.mark.parametrize("fmt", ["markdown", "text", "html"])
def test_every_readable_format_says_it_is_not_legal_advice(
    report: t86audit.Report, fmt: str
) -> None:
    rendered = report.render(fmt)
    assert "It is not legal advice" in rendered
    assert "does not judge its type" in rendered or "no rule of this audit judges" in rendered
