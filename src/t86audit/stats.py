"""Exact binomial statistics for what a sample of entries can and cannot show.

Everything here is exact binomial arithmetic (no normal approximation, no SciPy):

* :func:`clopper_pearson` - the exact two-sided confidence interval for a violation rate, given
  ``k`` entries with violations in a random sample of ``n``;
* :func:`upper_bound` - the exact one-sided upper confidence bound ("the rate is below X%");
* :func:`zero_failure_sample_size` - how many entries must be examined, all clean, to claim a
  rate below ``r``;
* :func:`detection_probability` - the chance that a random sample of ``n`` shows at least one
  violation when the true rate is ``p``.

These numbers describe a **random** (probability) sample. A judgment or cited sample, such as
the 10-entry samples CBP picked by risk, describes only its own entries: do not project it.

>>> [round(x, 3) for x in clopper_pearson(0, 10)]
[0.0, 0.308]
>>> round(upper_bound(0, 10), 3)
0.259
>>> zero_failure_sample_size(0.05)
59
>>> round(detection_probability(0.05, 10), 3)
0.401

Invalid arguments (``k`` outside ``0..n``, ``n < 1``, a rate or confidence outside the open
interval ``(0, 1)``, a non-integer count) raise a plain :class:`ValueError` (or
:class:`TypeError` for a wrong type): they are programming errors, not problems with the
user's data.
"""

import math
from collections.abc import Callable


__all__ = [
    "clopper_pearson",
    "detection_probability",
    "upper_bound",
    "zero_failure_sample_size",
]

# Bisection stops when the bracket is this narrow; the brief and the docs promise 1e-12.
_TOLERANCE = 1e-12
# A ratio this close to an integer is that integer: it keeps binary rounding of decimal inputs
# (rate=0.5, confidence=0.75 gives exactly 2) from adding a spurious extra entry.
_INTEGER_SLACK = 1e-9


def _check_count(name: str, value: object, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        msg = f"{name} must be an integer, got {value!r}"
        raise TypeError(msg)
    if value < minimum:
        msg = f"{name} must be at least {minimum}, got {value}"
        raise ValueError(msg)
    return value


def _check_probability(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        msg = f"{name} must be a number, got {value!r}"
        raise TypeError(msg)
    number = float(value)
    # The comparison is written so that NaN fails it too.
    if not 0.0 < number < 1.0:
        msg = f"{name} must be strictly between 0 and 1, got {value!r}"
        raise ValueError(msg)
    return number


def _check_k_n(k: object, n: object) -> tuple[int, int]:
    n_checked = _check_count("n", n, 1)
    k_checked = _check_count("k", k, 0)
    if k_checked > n_checked:
        msg = f"k must be between 0 and n={n_checked}, got {k_checked}"
        raise ValueError(msg)
    return k_checked, n_checked


def _tail(n: int, indices: range) -> Callable[[float], float]:
    """Return ``p -> sum of the binomial(n, p) probabilities of indices``, for ``0 < p < 1``.

    Terms are formed in log space so that a large ``n`` neither overflows ``comb`` nor
    underflows ``p ** i``, and summed with :func:`math.fsum`. The log binomial coefficients are
    computed once, because bisection evaluates the sum some forty times.
    """
    log_n = math.lgamma(n + 1)
    terms = [(i, log_n - math.lgamma(i + 1) - math.lgamma(n - i + 1)) for i in indices]

    def probability(p: float) -> float:
        log_p = math.log(p)
        log_q = math.log1p(-p)
        return math.fsum(math.exp(log_c + i * log_p + (n - i) * log_q) for i, log_c in terms)

    return probability


def _at_most(k: int, n: int) -> Callable[[float], float]:
    """Return ``p -> P(X <= k)`` for X ~ binomial(n, p); it decreases in p.

    The shorter of the two tails is summed (the other by complement), so that a small ``k``
    in a large sample costs ``k`` terms, not ``n``.
    """
    if k + 1 <= n - k:
        return _tail(n, range(k + 1))
    upper = _tail(n, range(k + 1, n + 1))
    return lambda p: 1.0 - upper(p)


def _at_least(k: int, n: int) -> Callable[[float], float]:
    """Return ``p -> P(X >= k)`` for X ~ binomial(n, p); it increases in p."""
    if n - k + 1 <= k:
        return _tail(n, range(k, n + 1))
    lower = _tail(n, range(k))
    return lambda p: 1.0 - lower(p)


def _bisect_increasing(function_of_p: Callable[[float], float], target: float) -> float:
    """Find p in (0, 1) with ``function_of_p(p) == target`` for an increasing function."""
    low, high = 0.0, 1.0
    while high - low > _TOLERANCE:
        middle = (low + high) / 2
        if middle in {low, high}:
            break
        if function_of_p(middle) < target:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def clopper_pearson(k: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Return the exact (Clopper-Pearson) two-sided confidence interval for a binomial rate.

    The lower limit is the rate at which finding ``k`` or more violations has probability
    ``(1 - confidence) / 2`` (0 when ``k == 0``); the upper limit is the rate at which finding
    ``k`` or fewer has that probability (1 when ``k == n``). Limits are found by bisection on
    exact binomial tail sums, to within 1e-12.

    >>> [round(100 * x, 1) for x in clopper_pearson(2, 10)]
    [2.5, 55.6]

    Args:
        k: entries with violations found in the sample, ``0 <= k <= n``.
        n: entries examined, at least 1.
        confidence: the two-sided confidence level, strictly between 0 and 1.

    Returns:
        ``(lower, upper)`` as fractions between 0 and 1.

    Raises:
        ValueError: if an argument is out of range.
        TypeError: if ``k`` or ``n`` is not an integer, or ``confidence`` not a number.
    """
    k, n = _check_k_n(k, n)
    level = _check_probability("confidence", confidence)
    half_alpha = (1.0 - level) / 2
    lower = 0.0 if k == 0 else _lower_limit(k, n, half_alpha)
    upper = 1.0 if k == n else _upper_limit(k, n, half_alpha)
    return lower, upper


def _lower_limit(k: int, n: int, tail_probability: float) -> float:
    """The rate at which P(X >= k) equals ``tail_probability``; needs ``k >= 1``."""
    return _bisect_increasing(_at_least(k, n), tail_probability)


def _upper_limit(k: int, n: int, tail_probability: float) -> float:
    """The rate at which P(X <= k) equals ``tail_probability``; needs ``k < n``."""
    at_most = _at_most(k, n)
    # P(X <= k) decreases in p; its negation increases.
    return _bisect_increasing(lambda p: -at_most(p), -tail_probability)


def upper_bound(k: int, n: int, confidence: float = 0.95) -> float | None:
    """Return the exact one-sided upper confidence bound for a binomial rate.

    It is the rate at which finding ``k`` or fewer violations in ``n`` has probability
    ``1 - confidence``: with that confidence the true rate is below it. When every entry had a
    violation (``k == n``) there is no bound below 100%, and ``None`` is returned.

    >>> round(100 * upper_bound(1, 10), 1)
    39.4

    Args:
        k: entries with violations found in the sample, ``0 <= k <= n``.
        n: entries examined, at least 1.
        confidence: the one-sided confidence level, strictly between 0 and 1.

    Returns:
        The bound as a fraction between 0 and 1, or ``None`` when ``k == n``.

    Raises:
        ValueError: if an argument is out of range.
        TypeError: if ``k`` or ``n`` is not an integer, or ``confidence`` not a number.
    """
    k, n = _check_k_n(k, n)
    level = _check_probability("confidence", confidence)
    if k == n:
        return None
    return _upper_limit(k, n, 1.0 - level)


def zero_failure_sample_size(rate: float, confidence: float = 0.95) -> int:
    """Return how many entries must be examined, all clean, to show the rate is below ``rate``.

    It is the smallest ``n`` with ``(1 - rate) ** n <= 1 - confidence``: if the true rate were
    ``rate`` or more, a clean sample of ``n`` would happen less than ``1 - confidence`` of the
    time.

    >>> [zero_failure_sample_size(r) for r in (0.10, 0.05, 0.02, 0.01)]
    [29, 59, 149, 299]

    Args:
        rate: the violation rate to rule out, strictly between 0 and 1.
        confidence: the confidence level, strictly between 0 and 1.

    Returns:
        The sample size, at least 1.

    Raises:
        ValueError: if an argument is out of range.
        TypeError: if an argument is not a number.
    """
    rate_checked = _check_probability("rate", rate)
    level = _check_probability("confidence", confidence)
    ratio = math.log1p(-level) / math.log1p(-rate_checked)
    nearest = round(ratio)
    if abs(ratio - nearest) <= _INTEGER_SLACK * max(1.0, ratio):
        return max(1, nearest)
    return max(1, math.ceil(ratio))


def detection_probability(rate: float, n: int) -> float:
    """Return the chance that a random sample of ``n`` shows at least one violation.

    With a true violation rate ``rate`` (and a population large enough that sampling without
    replacement is close to with replacement) it is ``1 - (1 - rate) ** n``.

    >>> round(100 * detection_probability(0.10, 10), 1)
    65.1

    Args:
        rate: the true violation rate, strictly between 0 and 1.
        n: the sample size, at least 1.

    Returns:
        The probability, between 0 and 1.

    Raises:
        ValueError: if an argument is out of range.
        TypeError: if ``rate`` is not a number or ``n`` not an integer.
    """
    rate_checked = _check_probability("rate", rate)
    n_checked = _check_count("n", n, 1)
    return -math.expm1(n_checked * math.log1p(-rate_checked))
