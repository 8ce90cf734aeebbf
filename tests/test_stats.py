"""Tests for t86audit.stats: every number of the reference's sampling section, and more."""

import math
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from t86audit.stats import (
    clopper_pearson,
    detection_probability,
    upper_bound,
    zero_failure_sample_size,
)


def pct(value: float) -> str:
    """A fraction as a percent rounded to one decimal, as the reference prints it."""
    return f"{100 * value:.1f}"


# Reference section 6.2: k found in 10 -> 95% two-sided interval and one-sided 95% upper bound.
TABLE_N10 = [
    (0, "0.0", "30.8", "25.9"),
    (1, "0.3", "44.5", "39.4"),
    (2, "2.5", "55.6", "50.7"),
    (3, "6.7", "65.2", "60.7"),
    (5, "18.7", "81.3", "77.8"),
    (10, "69.2", "100.0", None),
]


@pytest.mark.parametrize(("k", "lower", "upper", "one_sided"), TABLE_N10)
def test_reference_table_ten_entry_samples(
    k: int, lower: str, upper: str, one_sided: str | None
) -> None:
    """Each row of the reference's n = 10 table is reproduced to 0.1 percentage point."""
    low, high = clopper_pearson(k, 10)
    assert (pct(low), pct(high)) == (lower, upper)
    bound = upper_bound(k, 10)
    if one_sided is None:
        assert bound is None
    else:
        assert bound is not None
        assert pct(bound) == one_sided


@pytest.mark.parametrize(
    ("k", "lower", "upper"),
    [(0, "0.0", "16.8"), (2, "1.2", "31.7"), (5, "8.7", "49.1")],
)
def test_reference_pooled_twenty(k: int, lower: str, upper: str) -> None:
    """Two samples pooled (n = 20) give the reference's intervals."""
    low, high = clopper_pearson(k, 20)
    assert (pct(low), pct(high)) == (lower, upper)


@pytest.mark.parametrize(
    ("rate", "expected"),
    [(0.01, "9.6"), (0.02, "18.3"), (0.05, "40.1"), (0.10, "65.1"), (0.20, "89.3")],
)
def test_reference_detection_probability(rate: float, expected: str) -> None:
    """The chance a random 10-entry sample shows a violation matches the reference."""
    assert pct(detection_probability(rate, 10)) == expected


@pytest.mark.parametrize(("rate", "expected"), [(0.10, 29), (0.05, 59), (0.02, 149), (0.01, 299)])
def test_reference_zero_failure_sample_sizes(rate: float, expected: int) -> None:
    """The clean-sample sizes needed to claim a rate below r match the reference."""
    assert zero_failure_sample_size(rate) == expected
    assert zero_failure_sample_size(rate, 0.95) == expected


def test_closed_forms_for_zero_and_all() -> None:
    """k = 0 and k = n have closed forms; the bisection agrees to 1e-12."""
    for n in (1, 10, 20, 59, 300):
        low, high = clopper_pearson(0, n)
        assert low == 0.0
        assert math.isclose(high, 1 - 0.025 ** (1 / n), abs_tol=1e-12)
        bound = upper_bound(0, n)
        assert bound is not None
        assert math.isclose(bound, 1 - 0.05 ** (1 / n), abs_tol=1e-12)
        low, high = clopper_pearson(n, n)
        assert high == 1.0
        assert math.isclose(low, 0.025 ** (1 / n), abs_tol=1e-12)


def test_interval_limits_have_the_defining_tail_probabilities() -> None:
    """At the limits the exact binomial tails equal (1 - confidence) / 2."""
    n, k = 20, 4
    low, high = clopper_pearson(k, n)

    def pmf(i: int, p: float) -> float:
        return math.comb(n, i) * p**i * (1 - p) ** (n - i)

    assert math.isclose(sum(pmf(i, low) for i in range(k, n + 1)), 0.025, rel_tol=1e-9)
    assert math.isclose(sum(pmf(i, high) for i in range(k + 1)), 0.025, rel_tol=1e-9)


def test_confidence_level_changes_width() -> None:
    """A higher confidence gives a wider interval and a higher bound."""
    narrow = clopper_pearson(2, 10, 0.80)
    wide = clopper_pearson(2, 10, 0.99)
    assert wide[0] < narrow[0] < narrow[1] < wide[1]
    low_bound, high_bound = upper_bound(2, 10, 0.80), upper_bound(2, 10, 0.99)
    assert low_bound is not None
    assert high_bound is not None
    assert low_bound < high_bound


def test_large_sample_is_fast_and_sensible() -> None:
    """Large n works (log-space terms) and the interval brackets the point estimate."""
    low, high = clopper_pearson(37, 100_000)
    assert low < 37 / 100_000 < high
    assert high - low < 0.0003


def test_zero_failure_exact_boundary() -> None:
    """An exact boundary does not add an entry through binary rounding."""
    assert zero_failure_sample_size(0.5, 0.75) == 2
    assert zero_failure_sample_size(0.5, 0.5) == 1
    assert zero_failure_sample_size(0.9, 0.5) == 1


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: clopper_pearson(11, 10), ValueError),
        (lambda: clopper_pearson(-1, 10), ValueError),
        (lambda: clopper_pearson(0, 0), ValueError),
        (lambda: clopper_pearson(1, 10, 1.0), ValueError),
        (lambda: clopper_pearson(1, 10, 0.0), ValueError),
        (lambda: clopper_pearson(1, 10, math.nan), ValueError),
        (lambda: clopper_pearson(True, 10), TypeError),
        (lambda: upper_bound(3, 2), ValueError),
        (lambda: zero_failure_sample_size(0.0), ValueError),
        (lambda: zero_failure_sample_size(1.0), ValueError),
        (lambda: zero_failure_sample_size(0.05, 1.5), ValueError),
        (lambda: detection_probability(0.05, 0), ValueError),
        (lambda: detection_probability(-0.1, 10), ValueError),
    ],
)
def test_invalid_arguments_rejected(call: Callable[[], object], error: type[Exception]) -> None:
    """Out-of-range or wrongly typed arguments raise ValueError or TypeError."""
    with pytest.raises(error):
        call()


def test_wrong_types_rejected() -> None:
    """A float count or a string rate is a TypeError, not silently converted."""
    with pytest.raises(TypeError, match="k must be an integer"):
        clopper_pearson(1.0, 10)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="rate must be a number"):
        detection_probability("0.05", 10)  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(n=st.integers(min_value=1, max_value=200), data=st.data())
def test_property_interval_contains_estimate_and_bound_inside(n: int, data: st.DataObject) -> None:
    """The interval is ordered, contains k/n, and the one-sided bound lies inside it."""
    k = data.draw(st.integers(min_value=0, max_value=n))
    low, high = clopper_pearson(k, n)
    assert 0.0 <= low <= k / n <= high <= 1.0
    bound = upper_bound(k, n)
    if k == n:
        assert bound is None
    else:
        assert bound is not None
        assert k / n <= bound <= high
