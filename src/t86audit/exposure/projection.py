"""Project a population's loss of revenue from a seeded simple random sample of entries.

Method (see docs/estimating-exposure.md): mean-per-unit expansion, ``N x mean``, with a 95%
**studentized (bootstrap-t) interval** (Efron & Tibshirani 1993, ch. 12; Davison & Hinkley 1997,
section 5.2): the sample's own skewness shapes the interval through the bootstrap distribution of
``t* = (mean* - mean) / se*``, so the interval is asymmetric, wider above the estimate, as
right-skewed dollar amounts need. A Student-t interval assumes a symmetric sampling distribution
and undercovers for skewed, mostly-zero amounts. Standard errors carry the finite-population
correction ``sqrt(1 - n/N)``; the lower bound is raised to the sample's own total (the sampled
entries are part of the population). When too few sampled entries have a loss for the bootstrap-t
to be stable (more than 2.5% of resamples without spread), the interval falls back to the
bias-corrected and accelerated (BCa) percentile interval, and the projection says so.
Deterministic for the seed.

Only a simple random sample supports a projection; a cited or judgment sample gets none.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from decimal import Decimal
from operator import mul

import attrs

from t86audit.exposure._rates import money


__all__ = ["PROJECTION_METHOD", "Projection", "project_loss"]

PROJECTION_METHOD = (
    "mean-per-unit expansion (N x sample mean) with a studentized bootstrap (bootstrap-t) "
    "interval, finite-population corrected; lower bound at least the sample total"
)
BCA_METHOD = (
    "mean-per-unit expansion (N x sample mean) with a bias-corrected and accelerated (BCa) "
    "bootstrap interval (too few losses for the bootstrap-t), finite-population corrected; "
    "lower bound at least the sample total"
)


@attrs.frozen
class Projection:
    """A projected population loss of revenue.

    Attributes:
        estimate: the point estimate, ``N x`` the sample mean.
        low: the lower bound of the interval (at least the sample's own total).
        high: the upper bound.
        confidence: the interval's nominal confidence (0.95).
        method: how it was computed.
        sample_size: the number of sampled entries (``n``).
        population_size: the number of entries in the population (``N``).
        entries_with_loss: sampled entries with a loss above zero.
        resamples: bootstrap resamples drawn.
        seed: the seed of the bootstrap.
        note: a caveat on this projection (e.g. too few entries with a loss), or ``""``.
    """

    estimate: Decimal
    low: Decimal
    high: Decimal
    confidence: float
    method: str
    sample_size: int
    population_size: int
    entries_with_loss: int
    resamples: int
    seed: int
    note: str = ""


def _quantile(ordered: Sequence[float], p: float) -> float:
    """The ``p`` quantile of sorted values (linear interpolation between order statistics)."""
    position = p * (len(ordered) - 1)
    lower = math.floor(position)
    upper = min(lower + 1, len(ordered) - 1)
    fraction = position - lower
    if fraction == 0:
        return ordered[lower]
    return ordered[lower] * (1 - fraction) + ordered[upper] * fraction


def project_loss(  # noqa: PLR0915  (one estimator, its fallbacks and checks in one place)
    sample_losses: Sequence[Decimal],
    population_size: int,
    *,
    seed: int,
    resamples: int = 1999,
    confidence: float = 0.95,
) -> Projection:
    """Project the population's total loss of revenue from a simple random sample of entries.

    Args:
        sample_losses: the loss of revenue of every sampled entry, ``0`` for a clean one (every
            sampled entry must be included, not only those with findings).
        population_size: the number of entries the sample was drawn from.
        seed: the bootstrap's seed; the same inputs and seed give the same interval.
        resamples: bootstrap resamples (1999 by default).
        confidence: the interval's confidence, 0.95 by default.

    Raises:
        ValueError: fewer than 2 sampled entries, a population smaller than the sample, a
            negative loss, or a confidence outside (0, 1).
    """
    n = len(sample_losses)
    if n < 2:
        msg = "a projection needs at least 2 sampled entries"
        raise ValueError(msg)
    if population_size < n:
        msg = f"population_size ({population_size}) is smaller than the sample ({n})"
        raise ValueError(msg)
    if any(v < 0 for v in sample_losses):
        msg = "losses cannot be negative"
        raise ValueError(msg)
    if not 0 < confidence < 1:
        msg = "confidence must be between 0 and 1"
        raise ValueError(msg)
    total = sum(sample_losses, Decimal(0))
    estimate = money(total * population_size / n)
    with_loss = sum(1 for v in sample_losses if v > 0)
    floor = money(total)

    def result(
        low: Decimal, high: Decimal, note: str = "", method: str = PROJECTION_METHOD
    ) -> Projection:
        return Projection(
            estimate=estimate,
            low=min(max(low, floor), estimate),
            high=max(high, estimate),
            confidence=confidence,
            method=method,
            sample_size=n,
            population_size=population_size,
            entries_with_loss=with_loss,
            resamples=resamples,
            seed=seed,
            note=note,
        )

    values = [float(v) for v in sample_losses]
    mean = math.fsum(values) / n
    if with_loss == 0 or all(v == values[0] for v in values):
        return result(
            estimate,
            estimate,
            "every sampled entry has the same loss: the interval is degenerate; it does not "
            "show that the population has no other losses",
        )
    if n >= population_size:
        return result(estimate, estimate, "the sample is the whole population: its total is exact")
    fpc = math.sqrt(1 - n / population_size)
    se = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1) / n) * fpc
    rng = random.Random(seed)  # noqa: S311 - statistics, not cryptography
    means: list[float] = []
    ts: list[float] = []
    for _ in range(resamples):
        drawn = rng.choices(values, k=n)
        m = sum(drawn) / n
        variance = (sum(map(mul, drawn, drawn)) - n * m * m) / (n - 1)
        means.append(m)
        if variance > 1e-12 * (1 + m * m):
            ts.append((m - mean) / (math.sqrt(variance / n) * fpc))
        else:
            ts.append(-math.inf if m < mean else math.inf)
    ts.sort()
    alpha = (1 - confidence) / 2
    t_low = _quantile(ts, alpha)
    t_high = _quantile(ts, 1 - alpha)
    method = PROJECTION_METHOD
    if math.isfinite(t_low) and math.isfinite(t_high):
        bounds = [mean - t_high * se, mean - t_low * se]
    else:
        method = BCA_METHOD
        bounds = _bca(values, sorted(mean + fpc * (m - mean) for m in means), mean, confidence)
    low = money(Decimal(repr(max(bounds[0], 0.0) * population_size)))
    high = money(Decimal(repr(bounds[1] * population_size)))
    note = ""
    if with_loss < 5:
        note = (
            f"only {with_loss} sampled entries have a loss: the interval rests on very few "
            "amounts and is unreliable; sample more entries"
        )
    return result(low, high, note, method)


def _bca(
    values: Sequence[float], means: Sequence[float], mean: float, confidence: float
) -> list[float]:
    """The BCa percentile bounds of the mean from sorted bootstrap means."""
    # Imported here: statistics (with fractions) costs every audit ~2 ms to import, and only a
    # projection whose bootstrap t-interval fails comes here.
    from statistics import NormalDist  # noqa: PLC0415

    normal = NormalDist()
    count = len(means)
    below = sum(1 for m in means if m < mean) + 0.5 * sum(1 for m in means if m == mean)
    share = min(max(below / count, 0.5 / count), 1 - 0.5 / count)
    z0 = normal.inv_cdf(share)
    n = len(values)
    full = math.fsum(values)
    jack = [(full - v) / (n - 1) for v in values]
    jack_mean = math.fsum(jack) / n
    d = [jack_mean - j for j in jack]
    denominator = math.fsum(x * x for x in d) ** 1.5
    a = math.fsum(x**3 for x in d) / (6 * denominator) if denominator > 0 else 0.0
    alpha = (1 - confidence) / 2
    bounds = []
    for z in (normal.inv_cdf(alpha), normal.inv_cdf(1 - alpha)):
        adjusted = normal.cdf(z0 + (z0 + z) / (1 - a * (z0 + z)))
        bounds.append(_quantile(means, adjusted))
    return bounds
