"""Session 21 review of samples and what the report says about them.

Expected figures were computed by hand with :class:`fractions.Fraction` (exact binomial sums,
bisection to 2**-60), not with :mod:`t86audit.stats`; the statements are checked against the
domain reference, section 6: a judgment or cited sample supports no population rate, a random
sample's interval describes the population it was drawn from.
"""

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Callable
from fractions import Fraction
from math import comb
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import t86audit
from t86audit.cli import main
from t86audit.exceptions import SampleError, UnknownEntriesError
from t86audit.findings import Severity
from t86audit.sample import cited_sample, draw_samples, read_samples
from t86audit.stats import clopper_pearson, upper_bound
from t86audit.testing import CSV_COLUMNS, make_entry, to_csv_rows


ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "data" / "entries.csv"
WALKTHROUGH = ROOT / "docs" / "walkthrough-answering-a-letter.md"
AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def run(*argv: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main([str(a) for a in argv], stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def write_csv(path: Path, entries: list[t86audit.Entry]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(to_csv_rows(entries))
    return path


# --- the exact statistics, by hand ------------------------------------------------------------


def _at_most(k: int, n: int, p: Fraction) -> Fraction:
    return sum((comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k + 1)), Fraction(0))


def _solve(
    function: Callable[[Fraction], Fraction], target: Fraction, *, increasing: bool
) -> float:
    low, high = Fraction(0), Fraction(1)
    for _ in range(60):
        middle = (low + high) / 2
        if (function(middle) < target) == increasing:
            low = middle
        else:
            high = middle
    return float((low + high) / 2)


def _hand_interval(k: int, n: int, confidence: str) -> tuple[float, float]:
    half = (1 - Fraction(confidence)) / 2
    low = 0.0 if k == 0 else _solve(lambda p: 1 - _at_most(k - 1, n, p), half, increasing=True)
    high = 1.0 if k == n else _solve(lambda p: _at_most(k, n, p), half, increasing=False)
    return low, high


def _hand_upper_bound(k: int, n: int) -> float:
    """The one-sided 95% upper bound: the rate at which P(X <= k) is 5%."""
    return _solve(lambda p: _at_most(k, n, p), Fraction(5, 100), increasing=False)


# 0..10 violations of 10, two-sided, in percent to two places (hand-computed).
HAND_90 = [
    (0.0, 25.89), (0.51, 39.42), (3.68, 50.69), (8.73, 60.66), (15.0, 69.65), (22.24, 77.76),
    (30.35, 85.0), (39.34, 91.27), (49.31, 96.32), (60.58, 99.49), (74.11, 100.0),
]  # fmt: skip
HAND_95 = [
    (0.0, 30.85), (0.25, 44.5), (2.52, 55.61), (6.67, 65.25), (12.16, 73.76), (18.71, 81.29),
    (26.24, 87.84), (34.75, 93.33), (44.39, 97.48), (55.5, 99.75), (69.15, 100.0),
]  # fmt: skip


@pytest.mark.parametrize(("confidence", "table"), [("0.90", HAND_90), ("0.95", HAND_95)])
def test_clopper_pearson_of_ten_entries_matches_the_hand_table(confidence, table):
    for k, (low, high) in enumerate(table):
        hand = _hand_interval(k, 10, confidence)
        assert [round(100 * x, 2) for x in hand] == [low, high]
        got = clopper_pearson(k, 10, float(confidence))
        assert got == pytest.approx(hand, abs=1e-9)


def test_one_sided_bounds_behind_the_walkthrough_by_hand():
    """1 of 59: below 7.8%; 1 of 92 does not support 'below 5%', 1 of 93 does."""
    bound = {n: _hand_upper_bound(1, n) for n in (59, 92, 93)}
    assert round(100 * bound[59], 1) == 7.8
    assert bound[92] > 0.05 > bound[93]
    for n, value in bound.items():
        assert upper_bound(1, n) == pytest.approx(value, abs=1e-9)


# --- cited numbers as a letter writes them ----------------------------------------------------


@pytest.fixture
def population() -> list[t86audit.Entry]:
    return [make_entry(serial=s) for s in range(1, 13)]


@pytest.mark.parametrize(
    "cited",
    [
        "B76\u20130000001\u20135",  # en dash, as a word processor sets it
        "B76\u22120000001\u22125",  # minus sign
        "B76\u20110000001\u20115",  # non-breaking hyphen
        "\uff22\uff17\uff16-0000001-5",  # full-width letters and digits
        "B76-00000\u00ad01-5",  # a soft hyphen left by a PDF
        "B76-0000001-5\u200b",  # a zero-width space
    ],
)
def test_cited_number_with_typographic_characters_finds_the_entry(population, cited):
    sample = cited_sample(population, [cited, "B76-0000002-3"], drawn_at=AT)
    assert sample.entry_numbers == ("B76-0000001-5", "B76-0000002-3")


def test_cited_number_written_two_ways_is_cited_twice(population):
    with pytest.raises(SampleError, match="more than once: B76\u20130000001\u20135"):
        cited_sample(population, ["B76\u20130000001\u20135", "b7600000015"], drawn_at=AT)


def test_a_number_missing_from_the_population_is_still_named_as_cited(population):
    with pytest.raises(UnknownEntriesError) as raised:
        cited_sample(population, ["B76\u20130000099\u20139", "B76-0000001-5"], drawn_at=AT)
    assert raised.value.unknown == ("B76\u20130000099\u20139",)


def test_samples_file_written_from_a_letter_with_en_dashes(population):
    cited = ["B76\u20130000003\u20131", "B76-0000004-9"]
    document = {"samples": [{"id": "CBP-1", "method": "cited", "entries": cited}]}
    (sample,) = read_samples(io.StringIO(json.dumps(document)), population)
    assert sample.entry_numbers == ("B76-0000003-1", "B76-0000004-9")


def test_cli_cite_takes_numbers_separated_only_by_spaces(tmp_path, population):
    path = write_csv(tmp_path / "entries.csv", population)
    status, out, err = run(
        "sample", path, "--cite", "B76-0000001-5 B76-0000002-3  B76\u20130000003\u20131",
        "--size", "3",
    )  # fmt: skip
    assert status == 0, err
    assert json.loads(out)["samples"][0]["entries"] == [
        "B76-0000001-5",
        "B76-0000002-3",
        "B76-0000003-1",
    ]


def test_cli_cite_keeps_one_number_written_with_spaces(tmp_path, population):
    path = write_csv(tmp_path / "entries.csv", population)
    status, out, err = run("sample", path, "--cite", "B76 0000001 5; b76 - 0000002 - 3")
    assert status == 0, err
    assert json.loads(out)["samples"][0]["entries"] == ["B76-0000001-5", "B76-0000002-3"]


# --- what the report says about a sample ------------------------------------------------------


def test_random_sample_in_which_every_entry_fails():
    """10 of 10: the interval by hand; the one-sided bound is 100% (1.0), as issue 15 decided
    and as the model's docstring and the JSON schema now say (they said null)."""
    population = [make_entry(serial=s, value="950.00") for s in range(1, 13)]
    samples = draw_samples(population, size=10, seed=7, drawn_at=AT)
    report = t86audit.audit(population, samples=samples, select=["VAL001"], generated_at=AT)
    (ev,) = report.samples
    assert ev.entries_with_violations == 10
    assert ev.rate_interval_95 == pytest.approx(_hand_interval(10, 10, "0.95"), abs=1e-9)
    assert ev.upper_bound_95 == 1.0
    assert report.to_dict()["samples"][0]["upper_bound_95"] == 1.0
    schema = json.loads((ROOT / "docs" / "report-schema.json").read_text(encoding="utf-8"))
    described = json.dumps(schema)
    assert "null unless projectable, or when every sampled entry" not in described


def test_random_interval_is_about_the_type_86_entries_a_draw_can_pick():
    """Entries of type 01 and 11 are never drawn, so the interval says nothing about them."""
    t86 = [make_entry(serial=s) for s in range(1, 13)]
    others = [make_entry(serial=s, entry_type="01" if s % 2 else "11") for s in range(20, 40)]
    population = [*t86, *others]
    (sample,) = draw_samples(population, size=12, seed=3, drawn_at=AT)
    assert {e.number for e in sample.entries} == {e.number for e in t86}
    report = t86audit.audit(population, samples=[sample], select=["VAL001"], generated_at=AT)
    text = " ".join(report.to_markdown().split())
    assert "in the whole population" not in text
    assert "among the population's Type 86 entries" in text
    note = report.to_dict()["samples"][0]["projection_note"]
    assert "Type 86 entries" in note


def test_stratified_sample_is_not_said_to_describe_only_its_own_entries():
    """A stratified random sample is a probability sample: it is not projected because the
    report does not weight its strata, not because it 'describes only its own entries'."""
    population = [
        make_entry(serial=s, port_code="4701" if s % 3 else "2704") for s in range(1, 31)
    ]
    (sample,) = draw_samples(population, size=10, seed=5, stratify_by="port", drawn_at=AT)
    report = t86audit.audit(population, samples=[sample], select=["VAL001"], generated_at=AT)
    (ev,) = report.samples
    assert ev.rate_interval_95 is None
    text = " ".join(report.to_markdown().split())
    assert "stratified sample describes only its own" not in text
    assert "weighted by its share of the population" in text
    note = report.to_dict()["samples"][0]["projection_note"]
    assert "describes only its own entries" not in note
    assert "weighted by stratum" in note
    assert ("Projectable", "no: its rate would need weighting by stratum") in sample._provenance()


def test_cited_sample_still_refuses_to_project():
    population = [make_entry(serial=s, value="950.00" if s < 5 else "20.00") for s in range(1, 11)]
    sample = cited_sample(population, [e.number for e in population], id="CBP-1", drawn_at=AT)
    report = t86audit.audit(population, samples=[sample], select=["VAL001"], generated_at=AT)
    text = " ".join(report.to_markdown().split())
    assert "Not projectable: a cited sample describes only its own 10 entries" in text
    js = report.to_dict()["samples"][0]
    assert (js["rate_interval_95"], js["upper_bound_95"], js["entries_with_violations"]) == (
        None,
        None,
        4,
    )


def test_a_rule_not_in_force_on_the_entry_date_is_not_listed_as_passed():
    """Filed 19 days after a March 2024 arrival: FIL008 flags it; FIL009 (the 15-day limit of
    arrivals before 15 Feb 2024) finds nothing, and was listed as passed ('filed within 15
    days'). It is not in force on that date: not checked, with the reason (session 21)."""
    entry = make_entry(
        serial=5,
        arrival_date="2024-03-01",
        filed_at=dt.datetime(2024, 3, 20, 20, 55, tzinfo=ZoneInfo("America/New_York")),
        estimated_arrival_date="2024-03-01",
    )
    population = [entry, *(make_entry(serial=s) for s in range(6, 9))]
    sample = cited_sample(population, [entry.number], id="CBP-1", drawn_at=AT)
    report = t86audit.audit(population, samples=[sample], generated_at=AT)
    (item,) = report.letter_response
    assert [f.code for f in item.findings if f.severity is Severity.VIOLATION] == ["FIL008"]
    assert "FIL009" not in {r.code for r in item.passed}
    assert "FIL009" in item.not_in_force
    reason = next(r.reason for r in item.not_checked if r.rule.code == "FIL009")
    assert reason.startswith("not in force on the entry's dates: arrived 2024-03-01")
    appendix = report.to_markdown().split("## Appendix C.")[1]
    row = next(line for line in appendix.splitlines() if line.startswith(f"| {entry.number}"))
    assert "| FIL008 |" in row
    assert "FIL009" in row.split("|")[5]  # the Not in force column


# --- the walkthrough's figures against the tool -----------------------------------------------


def test_walkthrough_count_of_entries_with_a_violation_is_the_audits():
    """Step 6 checks the random sample's interval against the example's true rate: that rate
    must be the audit's, or the check proves nothing."""
    text = WALKTHROUGH.read_text(encoding="utf-8")
    match = re.search(r"(\d+) of its ([\d,]+) entries, ([\d.]+)%, have a violation", text)
    assert match is not None
    stated, total, percent = int(match[1]), int(match[2].replace(",", "")), match[3]
    loaded = t86audit.load(EXAMPLE)
    report = t86audit.audit(loaded)
    flagged = {
        f.entry_number
        for f in report.findings
        if f.severity is Severity.VIOLATION and not f.waived
    }
    assert (stated, total) == (len(flagged), loaded.entries_loaded)
    assert percent == f"{100 * stated / total:.1f}"
    low, high = _hand_interval(1, 59, "0.95")  # R1: 1 of 59 random entries
    assert low < stated / total < high
