"""The top-level entry points: :func:`audit` composes the engine and the report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from t86audit.engine import ProgressCallback, run_rules
from t86audit.refset import ReferenceSet
from t86audit.registry import RuleRegistry
from t86audit.report import Report


if TYPE_CHECKING:
    from t86audit.io import LoadResult
    from t86audit.model import Entry
    from t86audit.policy import PolicyTable
    from t86audit.sample import JudgmentSample


__all__ = ["audit"]


def audit(
    population: LoadResult | Iterable[Entry],
    *,
    samples: Sequence[JudgmentSample] = (),
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    options: Mapping[str, Mapping[str, Any]] | None = None,
    registry: RuleRegistry | None = None,
    policy: PolicyTable | None = None,
    reference: ReferenceSet | None = None,
    generated_at: dt.datetime | None = None,
    fail_fast: bool = False,
    progress: ProgressCallback | None = None,
) -> Report:
    """Audit a population of entries and return the report.

    Group rules (one person on one day, reused bills) see the whole population; findings are
    reported for every entry and marked with the samples that contain it.

    Args:
        population: a :class:`~t86audit.io.LoadResult` (its load errors go into the report) or
            any iterable of entries (read once, so a generator streams).
        samples: samples of this population to evaluate.
        select: rule codes or prefixes to run (empty: all), e.g. ``["VAL", "CON"]``.
        ignore: rule codes or prefixes to skip, e.g. ``["DES003"]``.
        options: per-rule option overrides, e.g. ``{"CON007": {"max_names": 8}}``.
        registry: the rules available (default: every installed pack).
        policy: the dated policy table (default: the bundled one).
        reference: reference data (default: the bundled tables).
        generated_at: the report's timestamp (default: now, UTC); fix it for reproducible output.
        fail_fast: re-raise the first exception a rule raises instead of recording it.
        progress: called as ``progress(entries_done, seconds)`` during the pass.

    >>> import t86audit
    >>> from t86audit.testing import make_entry
    >>> report = t86audit.audit([make_entry(value="950.00")], select=["VAL001"])
    >>> [f.code for f in report.findings]
    ['VAL001']
    """
    from t86audit import __version__  # noqa: PLC0415

    reg = registry if registry is not None else RuleRegistry.default()
    rules = reg.select(select, ignore)
    refs = reference if reference is not None else ReferenceSet()
    from t86audit.io import LoadResult  # noqa: PLC0415  (io is not needed for in-memory entries)

    load: LoadResult | None = None
    entries: Iterable[Entry]
    if isinstance(population, LoadResult):
        load = population
        entries = population.entries
    else:
        entries = population
    result = run_rules(
        entries,
        rules,
        samples=samples,
        policy=policy,
        reference=refs,
        options=options,
        fail_fast=fail_fast,
        progress=progress,
    )
    return Report(
        result=result,
        load=load,
        generated_at=generated_at or dt.datetime.now(dt.UTC).replace(microsecond=0),
        packs=reg.packs,
        snapshots=tuple(refs.snapshots()),
        options={
            "select": list(select),
            "ignore": list(ignore),
            "rule_options": {
                k: {n: str(v) for n, v in o.items()} for k, o in sorted((options or {}).items())
            },
        },
        tool_version=__version__,
    )
