"""Sampling numbers and statements checked against values computed by hand.

Every expected value here was computed independently of :mod:`t86audit.stats`: exact binomial
tail sums in 60-digit :class:`decimal.Decimal` arithmetic, solved by bisection (the
Clopper-Pearson limits and one-sided bounds), exact :class:`fractions.Fraction` powers
(zero-failure sample sizes, detection probabilities), closed forms where they exist
(``k == 0`` and ``k == n``), and counts taken from the report's own findings. The tests keep the
hand computations that agreed with the library, with their sources, and the one that did not
(a cited entry of another type than 86 listed as passing every T86 check).
"""

import datetime as dt
import hashlib
import json
import re
from collections import Counter
from decimal import Decimal, getcontext
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

import t86audit
from t86audit.exceptions import SampleError
from t86audit.model import Entry, LineItem, Party, compute_check_digit
from t86audit.sample import cited_sample, draw_samples
from t86audit.stats import (
    clopper_pearson,
    detection_probability,
    upper_bound,
    zero_failure_sample_size,
)


ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "data" / "entries.csv"
WHEN = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
TOLERANCE = 1e-9


# --- an exact binomial, independent of t86audit.stats ------------------------------------


def _row(n: int) -> list[int]:
    row = [1] * (n + 1)
    for i in range(1, n + 1):
        row[i] = row[i - 1] * (n - i + 1) // i
    return row


def _at_most(k: int, n: int, p: Decimal) -> Decimal:
    """P(X <= k) for X ~ binomial(n, p), exactly to 60 digits."""
    row = _row(n)
    q = 1 - p
    return sum((Decimal(row[i]) * p**i * q ** (n - i) for i in range(k + 1)), Decimal(0))


def _solve(function: Any, target: Decimal, *, increasing: bool) -> float:
    low, high = Decimal(0), Decimal(1)
    for _ in range(60):
        middle = (low + high) / 2
        if (function(middle) < target) == increasing:
            low = middle
        else:
            high = middle
    return float((low + high) / 2)


def hand_interval(k: int, n: int, confidence: str) -> tuple[float, float]:
    """Clopper-Pearson by definition: P(X >= k | lower) = P(X <= k | upper) = alpha / 2."""
    getcontext().prec = 60
    half_alpha = (1 - Decimal(confidence)) / 2
    lower = (
        0.0 if k == 0 else _solve(lambda p: 1 - _at_most(k - 1, n, p), half_alpha, increasing=True)
    )
    upper = 1.0 if k == n else _solve(lambda p: _at_most(k, n, p), half_alpha, increasing=False)
    return lower, upper


def hand_upper_bound(k: int, n: int, confidence: str) -> float | None:
    """The one-sided bound by definition: P(X <= k | bound) = 1 - confidence."""
    getcontext().prec = 60
    if k == n:
        return None
    return _solve(lambda p: _at_most(k, n, p), 1 - Decimal(confidence), increasing=False)


def hand_zero_failure(rate: Fraction, confidence: Fraction) -> int:
    """The smallest n with (1 - rate) ** n <= 1 - confidence, in exact fractions."""
    n = 1
    while (1 - rate) ** n > 1 - confidence:
        n += 1
    return n


# --- 1. statistics ---------------------------------------------------------------------


GRID = [(k, n) for n in (1, 10, 20) for k in range(n + 1)] + [
    (k, n) for n in (59, 100) for k in (0, 1, 2, 5, n // 2, n - 1, n)
]


@pytest.mark.parametrize("confidence", ["0.90", "0.95", "0.99"])
def test_clopper_pearson_and_upper_bound_match_exact_decimal_computation(
    confidence: str,
) -> None:
    """Source: exact binomial tails in 60-digit Decimal, bisection to 2**-60 (this file).

    The wider run (n = 1000 too, all k for n <= 100) agreed to 5.5e-13.
    """
    for k, n in GRID:
        lower, upper = clopper_pearson(k, n, float(confidence))
        hand_lower, hand_upper = hand_interval(k, n, confidence)
        assert abs(lower - hand_lower) < TOLERANCE, (k, n, confidence)
        assert abs(upper - hand_upper) < TOLERANCE, (k, n, confidence)
        bound = upper_bound(k, n, float(confidence))
        hand = hand_upper_bound(k, n, confidence)
        if hand is None:
            assert bound is None
        else:
            assert bound is not None
            assert abs(bound - hand) < TOLERANCE, (k, n, confidence)


@pytest.mark.parametrize("n", [1, 10, 20, 59, 100, 1000])
@pytest.mark.parametrize("confidence", [0.90, 0.95, 0.99])
def test_closed_forms_at_the_ends(n: int, confidence: float) -> None:
    """Source: for k = 0 the upper limit solves (1 - p) ** n = alpha / 2, so
    p = 1 - (alpha / 2) ** (1 / n); for k = n the lower limit is (alpha / 2) ** (1 / n); the
    one-sided bound for k = 0 is 1 - alpha ** (1 / n)."""
    alpha = 1 - confidence
    assert clopper_pearson(0, n, confidence)[0] == 0.0
    assert abs(clopper_pearson(0, n, confidence)[1] - (1 - (alpha / 2) ** (1 / n))) < TOLERANCE
    assert abs(clopper_pearson(n, n, confidence)[0] - (alpha / 2) ** (1 / n)) < TOLERANCE
    assert clopper_pearson(n, n, confidence)[1] == 1.0
    bound = upper_bound(0, n, confidence)
    assert bound is not None
    assert abs(bound - (1 - alpha ** (1 / n))) < TOLERANCE
    assert upper_bound(n, n, confidence) is None


@pytest.mark.parametrize("confidence", ["0.90", "0.95", "0.99"])
def test_zero_failure_sample_sizes_match_exact_fractions(confidence: str) -> None:
    """Source: smallest n with (1 - r) ** n <= 1 - c in exact fractions, r = 1%..50%."""
    for percent in range(1, 51):
        rate = Fraction(percent, 100)
        expected = hand_zero_failure(rate, Fraction(confidence))
        assert zero_failure_sample_size(float(rate), float(confidence)) == expected


@pytest.mark.parametrize(
    ("rate", "confidence", "expected"),
    # (1 - r) ** n == 1 - c exactly: 0.5**2 = 0.25, 0.5**3 = 0.125, 0.8**2 = 0.64, 0.1**2 = 0.01.
    [("0.5", "0.75", 2), ("0.5", "0.875", 3), ("0.2", "0.36", 2), ("0.9", "0.99", 2)],
)
def test_zero_failure_exact_boundaries(rate: str, confidence: str, expected: int) -> None:
    """Source: exact fractions; at equality the smaller n already suffices."""
    assert hand_zero_failure(Fraction(rate), Fraction(confidence)) == expected
    assert zero_failure_sample_size(float(rate), float(confidence)) == expected


def test_detection_probability_matches_exact_fractions() -> None:
    """Source: 1 - (1 - r) ** n in exact fractions, r = 1%..50%, n in 1, 10, 20, 59, 100, 1000."""
    for percent in range(1, 51):
        rate = Fraction(percent, 100)
        for n in (1, 10, 20, 59, 100, 1000):
            exact = float(1 - (1 - rate) ** n)
            assert abs(detection_probability(float(rate), n) - exact) < TOLERANCE


def _pct(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


@pytest.mark.parametrize(
    ("k", "n", "interval", "bound"),
    [
        # t86-reference.md section 6.2, the 10-entry table (also reading-a-report.md, concepts.md).
        (0, 10, (0.0, 30.8), 25.9),
        (1, 10, (0.3, 44.5), 39.4),
        (2, 10, (2.5, 55.6), 50.7),
        (3, 10, (6.7, 65.2), 60.7),
        (5, 10, (18.7, 81.3), 77.8),
        (10, 10, (69.2, 100.0), None),
        # section 6.2, two samples pooled (n = 20); bounds from the Decimal computation.
        (0, 20, (0.0, 16.8), 13.9),
        (2, 20, (1.2, 31.7), 28.3),
        (5, 20, (8.7, 49.1), 45.6),
        # walkthrough-answering-a-letter.md: 4 of 10 is 12.2%-73.8%; 1 of 59 is 0.0%-9.1%, 7.8%.
        (4, 10, (12.2, 73.8), 69.6),
        (1, 59, (0.0, 9.1), 7.8),
    ],
)
def test_reference_and_doc_figures(
    k: int, n: int, interval: tuple[float, float], bound: float | None
) -> None:
    """The published figures are the hand-computed limits, rounded to 0.1%."""
    hand = hand_interval(k, n, "0.95")
    assert (_pct(hand[0]), _pct(hand[1])) == interval
    assert _pct(hand_upper_bound(k, n, "0.95")) == bound
    lower, upper = clopper_pearson(k, n)
    assert (_pct(lower), _pct(upper)) == interval
    assert _pct(upper_bound(k, n)) == bound


def test_reference_detection_and_zero_failure_figures() -> None:
    """t86-reference.md section 6.2: 9.6%, 18.3%, 40.1%, 65.1%, 89.3%; 29, 59, 149, 299."""
    rates = (Fraction(1, 100), Fraction(2, 100), Fraction(5, 100), Fraction(1, 10), Fraction(1, 5))
    hand = [round(100 * float(1 - (1 - r) ** 10), 1) for r in rates]
    assert hand == [9.6, 18.3, 40.1, 65.1, 89.3]
    assert [round(100 * detection_probability(float(r), 10), 1) for r in rates] == hand
    needed = [
        hand_zero_failure(Fraction(r), Fraction("0.95")) for r in ("0.1", "0.05", "0.02", "0.01")
    ]
    assert needed == [29, 59, 149, 299]
    assert [zero_failure_sample_size(r) for r in (0.1, 0.05, 0.02, 0.01)] == needed


def test_walkthrough_claims_about_59_entries() -> None:
    """walkthrough-answering-a-letter.md step 6: none of 59 puts the bound just under 5%, and
    93 entries with at most one violation are needed for 'fewer than 5%' (92 are not enough)."""
    none_of_59 = hand_upper_bound(0, 59, "0.95")
    assert none_of_59 is not None
    assert 0.049 < none_of_59 < 0.05
    at_92, at_93 = hand_upper_bound(1, 92, "0.95"), hand_upper_bound(1, 93, "0.95")
    assert at_92 is not None
    assert at_93 is not None
    assert at_92 > 0.05 > at_93
    assert (upper_bound(1, 92) or 1.0) > 0.05 > (upper_bound(1, 93) or 1.0)


# --- 2. samples ------------------------------------------------------------------------


def _number(serial: int, filer: str = "ABC") -> str:
    digits = f"{serial:07d}"
    return f"{filer}-{digits}-{compute_check_digit(filer, digits)}"


def _entry(
    serial: int, *, port: str = "2704", entry_type: str = "86", consignee: str = "Jane Doe"
) -> Entry:
    fields: dict[str, Any] = {
        "entry_number": _number(serial),
        "arrival_date": dt.date(2024, 1, 15),
        "port_code": port,
        "consignee": Party(name=consignee, address="1 Main St", country="US"),
        "seller": Party(name="Shenzhen Seller Co", address="2 Road", country="CN"),
        "lines": [LineItem(1, description="cotton T-shirt", value_usd=Decimal("25.00"))],
        "entry_type": entry_type,
    }
    return Entry(**fields)


def _key(number: str) -> str:
    return re.sub(r"[\s-]", "", number).upper()


def _hand_rank(seed: int, entries: list[Entry]) -> list[str]:
    """The documented order: sha256(f"{seed}\\x1f{key}") as bytes, ties by key."""
    keys = [_key(e.number) for e in entries if e.entry_type == "86"]
    return sorted(keys, key=lambda k: (hashlib.sha256(f"{seed}\x1f{k}".encode()).digest(), k))


def _port_population() -> list[Entry]:
    """19 + 12 + 5 Type 86 entries at three ports, and one formal (01) entry."""
    ports = ["2720"] * 19 + ["4701"] * 12 + ["5206"] * 5
    entries = [_entry(serial, port=port) for serial, port in enumerate(ports, start=1)]
    entries.append(_entry(99, port="2720", entry_type="01"))
    return entries


@pytest.mark.parametrize("seed", [0, 7, 20240611, -3, 2**70])
def test_random_samples_follow_the_hand_ranked_order(seed: int) -> None:
    """Source: the recipe of sample.py's module docs, recomputed with hashlib."""
    entries = _port_population()
    samples = draw_samples(entries, size=10, count=3, seed=seed, drawn_at=WHEN)
    ranked = _hand_rank(seed, entries)
    got = [[_key(n) for n in s.entry_numbers] for s in samples]
    assert got == [ranked[0:10], ranked[10:20], ranked[20:30]]
    drawn = [k for sample in got for k in sample]
    assert len(drawn) == len(set(drawn))  # disjoint, no repeats
    assert _key(_number(99)) not in drawn  # the formal entry is never a candidate
    assert all(s.method == "random" and s.projectable for s in samples)
    assert all(s.population_size == 37 for s in samples)  # the whole population as loaded
    again = draw_samples(list(reversed(entries)), size=10, count=3, seed=seed, drawn_at=WHEN)
    assert [s.entry_numbers for s in again] == [s.entry_numbers for s in samples]


def test_stratified_allocation_by_largest_remainder_by_hand() -> None:
    """Source: 10 x (19, 12, 5) / 36 = 5.28, 3.33, 1.39: floors 5 + 3 + 1 = 9, the remaining
    place to the largest remainder (5206: 50 mod 36 = 14 > 12 > 10). Each sample takes, per
    port, the next run of that port's entries in hash order."""
    entries = _port_population()
    samples = draw_samples(entries, size=10, count=2, seed=7, stratify_by="port", drawn_at=WHEN)
    ports = {_key(e.number): e.port_code for e in entries}
    ranked = _hand_rank(7, entries)
    for index, sample in enumerate(samples):
        assert Counter(ports[_key(n)] for n in sample.entry_numbers) == {
            "2720": 5,
            "4701": 3,
            "5206": 2,
        }
        expected = []
        for port, places in (("2720", 5), ("4701", 3), ("5206", 2)):
            members = [k for k in ranked if ports[k] == port]
            expected += members[index * places : (index + 1) * places]
        expected.sort(key=ranked.index)
        assert [_key(n) for n in sample.entry_numbers] == expected
        assert sample.method == "stratified"
        assert not sample.projectable


def test_stratified_samples_that_cannot_share_one_allocation_are_refused() -> None:
    """Source: 12 x (19, 12, 5) / 36 gives floors 6, 4, 1 (remainders 12, 0, 24) but three
    disjoint samples hold at most 6, 4 and 1 per port: only 11 places per sample."""
    with pytest.raises(SampleError, match="can fill only 11 places per sample"):
        draw_samples(_port_population(), size=12, count=3, seed=7, stratify_by="port")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"size": 37}, "population has 36 distinct Type 86 entries; 1 sample of 37 needs 37"),
        ({"size": 10, "count": 4}, "4 samples of 10 need 40"),
        ({"count": 0}, "count must be a positive integer, got 0"),
        ({"size": 0}, "size must be a positive integer, got 0"),
        ({"stratify_by": "colour"}, "cannot stratify by 'colour': use one of consignee"),
    ],
)
def test_impossible_requests_fail_clearly(kwargs: dict[str, Any], message: str) -> None:
    """36 Type 86 entries (the formal entry does not count)."""
    with pytest.raises(SampleError, match=re.escape(message)):
        draw_samples(_port_population(), seed=7, **kwargs)


# --- 3. audit with samples -------------------------------------------------------------

LETTER_1 = [
    "B76-0411564-5",
    "B76-0411562-9",
    "B76-0410181-9",
    "B76-0410622-2",
    "B76-0410850-9",
    "B76-0411406-9",
    "B76-0410944-0",
    "B76-0412164-3",
    "H3K-0004102-4",
    "B76-0410002-7",
]
LETTER_2 = [
    "B76-0410181-9",
    "B76-0410315-3",
    "B76-0411367-3",
    "B76-0411644-5",
    "B76-0411987-8",
    "B76-0410114-0",
    "B76-0411533-0",
    "B76-0411534-8",
    "B76-0410006-8",
    "H3K-0004103-2",
]
WAIVERS = [
    {
        "entry_number": "B76-0410622-2",
        "code": "CON001",
        "reason": "invoice checked",
        "reviewer": "J. Doe",
        "date": "2026-01-02",
    },
    {
        "entry_number": "B76-0410315-3",
        "code": "CON005",
        "reason": "invoice checked",
        "reviewer": "J. Doe",
        "date": "2026-01-02",
    },
]


@pytest.fixture(scope="module")
def letter_report() -> dict[str, Any]:
    loaded = t86audit.io.load(EXAMPLE)
    samples = [
        cited_sample(loaded, LETTER_1, id="CBP-2023-07", drawn_at=WHEN),
        cited_sample(loaded, LETTER_2, id="CBP-2024-01", method="judgment", drawn_at=WHEN),
        *draw_samples(loaded, size=10, count=2, seed=20240611, drawn_at=WHEN),
        *draw_samples(loaded, size=59, seed=20240611, id_prefix="R", drawn_at=WHEN),
    ]
    report = t86audit.audit(loaded, samples=samples, waivers=WAIVERS, generated_at=WHEN)
    document: dict[str, Any] = json.loads(report.to_json())
    return document


def test_sample_counts_and_intervals_by_hand(letter_report: dict[str, Any]) -> None:
    """k counted from the report's findings (unwaived violations per entry); intervals from the
    Decimal computation, rounded to 4 places as the JSON contract says."""
    own: dict[str, list[dict[str, Any]]] = {}
    for finding in letter_report["findings"]:
        own.setdefault(_key(finding["entry_number"]), []).append(finding)

    def unwaived(key: str) -> int:
        return sum(1 for f in own.get(key, []) if f["severity"] == "violation" and not f["waived"])

    expected_k = {"CBP-2023-07": 4, "CBP-2024-01": 5, "S1": 1, "S2": 0, "R1": 1}
    for sample in letter_report["samples"]:
        keys = [_key(n) for n in sample["entries"]]
        k = sum(1 for key in keys if unwaived(key))
        assert k == expected_k[sample["id"]] == sample["entries_with_violations"]
        assert [r["violations"] for r in sample["entry_results"]] == [unwaived(x) for x in keys]
        random = sample["method"] == "random"
        assert sample["projectable"] is random
        if not random:
            assert sample["rate_interval_95"] is None
            assert sample["upper_bound_95"] is None
            assert sample["point_estimate"] is None
            continue
        n = len(keys)
        lower, upper = hand_interval(k, n, "0.95")
        assert sample["rate_interval_95"] == [round(lower, 4), round(upper, 4)]
        assert sample["upper_bound_95"] == round(hand_upper_bound(k, n, "0.95") or 1.0, 4)
        assert sample["point_estimate"] == round(k / n, 4)
    by_id = {s["id"]: s for s in letter_report["samples"]}
    assert by_id["S1"]["rate_interval_95"] == [0.0025, 0.445]
    assert by_id["S2"]["rate_interval_95"] == [0.0, 0.3085]  # the contract's example
    assert by_id["S2"]["upper_bound_95"] == 0.2589
    assert by_id["R1"]["rate_interval_95"] == [0.0004, 0.0909]
    assert by_id["R1"]["upper_bound_95"] == 0.0779


def test_letter_response_lists_flagging_rules_and_passed_checks(
    letter_report: dict[str, Any],
) -> None:
    """Each cited entry: exactly its own findings (waived ones marked), and as passed every rule
    that ran on all entries except those with a finding on it or naming it."""
    own: dict[str, list[dict[str, Any]]] = {}
    named: dict[str, set[str]] = {}
    for finding in letter_report["findings"]:
        key = _key(finding["entry_number"])
        own.setdefault(key, []).append(finding)
        for other in finding["related_entries"]:
            if _key(other) != key:
                named.setdefault(_key(other), set()).add(finding["code"])
    ran = [r["code"] for r in letter_report["rules"] if r["status"] in ("passed", "failed")]
    unchecked = [r["code"] for r in letter_report["rules"] if r["code"] not in ran]
    entries = letter_report["letter_response"]["entries"]
    order: list[str] = []
    for sample in letter_report["samples"]:
        order += [_key(n) for n in sample["entries"] if _key(n) not in order]
    assert [_key(e["entry_number"]) for e in entries] == order
    for item in entries:
        key = _key(item["entry_number"])
        mine = own.get(key, [])
        assert sorted((f["code"], f["waived"]) for f in item["findings"]) == sorted(
            (f["code"], f["waived"]) for f in mine
        )
        hit = {f["code"] for f in mine} | named.get(key, set())
        # The rules whose requirement was not law on the entry's dates are not checked
        # (with that reason), never passed; only the period-gated rules can be.
        gated = [
            c["code"]
            for c in item["not_checked"]
            if (c["reason"] or "").startswith("not in force on the entry's dates")
        ]
        assert set(gated) <= {"ELG003", "FIL008", "FIL009", "FIL010", "FIL011", "HTS004", "HTS008"}
        assert {"FIL008", "FIL009"} & set(gated)  # one filing limit is law on any date
        assert [c["code"] for c in item["checks_passed"]] == [
            c for c in ran if c not in hit and c not in gated
        ]
        assert [c["code"] for c in item["not_checked"]] == gated + unchecked
    waived = {
        (_key(e["entry_number"]), f["code"]): f["waived"] for e in entries for f in e["findings"]
    }
    assert waived[(_key("B76-0410622-2"), "CON001")] is True
    assert waived[(_key("B76-0410315-3"), "CON005")] is True
    both = next(e for e in entries if e["entry_number"] == "B76-0410181-9")
    assert both["samples"] == ["CBP-2023-07", "CBP-2024-01"]


def test_cited_entry_of_another_type_passes_no_t86_check() -> None:
    """Bug: a cited formal (01) entry, which the T86 rules never judge, was listed as passing
    every check ("Checks passed: 58 of 58"). The rules that do not judge its type could not
    vouch for it: they are not checked for it, and none is passed or 'did not pass'."""
    entries = [_entry(serial) for serial in range(1, 6)] + [_entry(99, entry_type="01")]
    cited = cited_sample(entries, [_number(99), _number(1)], drawn_at=WHEN)
    report = t86audit.audit(entries, samples=[cited], generated_at=WHEN)
    formal, typical = report.letter_response
    ran = [r for r in report.rules if r.status in ("passed", "failed")]
    assert ran
    assert all(not r.rule.judges("01") for r in ran)  # the built-in rules judge Type 86 only
    assert formal.passed == ()
    assert {r.rule.code for r in formal.not_checked} == {r.rule.code for r in report.rules}
    assert all(r.status == "not_applicable" for r in formal.not_checked)
    assert len(typical.passed) == len(ran) - len({f.code for f in typical.findings}) - len(
        typical.not_in_force
    )
    document = json.loads(report.to_json())
    first = document["letter_response"]["entries"][0]
    assert first["checks_passed"] == []
    assert first["not_checked"][0]["reason"] == "the rule does not judge entries of type 01"
    appendix = report.to_markdown().split("## Appendix C.")[1]
    row = next(line for line in appendix.splitlines() if line.startswith(f"| {_number(99)}"))
    # None of the rules that ran judged it: 0 passed of 0 run on it (not "0 of 58", which
    # said 58 checks ran on it and none passed, none failed).
    assert "| 0 of 0 | - |" in row
