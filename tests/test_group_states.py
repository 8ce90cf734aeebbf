"""Group rules keep compact records, never entries: memory grows with their keys, not entries."""

from __future__ import annotations

import datetime as dt
import gc
import weakref
from collections.abc import Hashable
from pathlib import Path
from typing import Any

import attrs
import pytest

import t86audit
from t86audit.engine import run_rules
from t86audit.findings import Hit
from t86audit.model import Entry, EntryRef, LineItem, Party
from t86audit.policy import default_policy
from t86audit.refset import ReferenceSet
from t86audit.rules import (
    BUILTIN_PACK,
    Example,
    Rule,
    RuleContext,
    collect_records,
    group_rule,
    records_of,
    rule,
)
from t86audit.rules._examples import num
from t86audit.testing import make_entry


EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "data"
FILES = (EXAMPLES / "entries.csv", EXAMPLES / "entries-2.csv")
GROUP_RULES = [r for r in BUILTIN_PACK.rules if r.scope == "group"]
ENTRY_PARTS = (Entry, LineItem, Party)


@pytest.fixture(scope="module")
def population() -> tuple[Entry, ...]:
    """The example population: every group rule has groups of one and of several in it."""
    return tuple(t86audit.load(*FILES).entries)


def fold_all(rule: Rule, entries: tuple[Entry, ...]) -> dict[Hashable, Any]:
    """What the engine keeps for ``rule`` at the end of the pass: its key -> state mapping."""
    ctx = RuleContext(rule.options, default_policy(), ReferenceSet())
    states: dict[Hashable, Any] = {}
    for entry in entries:
        for key in rule.keys(entry, ctx):
            states[key] = rule.fold(states.get(key), entry, ctx)
    return states


def reachable(root: object) -> list[object]:
    """Every object reachable from ``root`` through the garbage collector's references."""
    seen: set[int] = set()
    out: list[object] = []
    todo = [root]
    while todo:
        obj = todo.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        out.append(obj)
        if not isinstance(obj, type):
            todo.extend(gc.get_referents(obj))
    return out


def test_the_builtin_pack_has_the_group_rules_checked_here():
    """A new group rule is checked below too; this says which ones exist today."""
    assert [r.code for r in GROUP_RULES] == [
        "CON007",
        "FIL003",
        "FIL004",
        "FIL007",
        "HTS007",
        "VAL002",
        "VAL005",
        "VAL006",
        "VAL007",
    ]


@pytest.mark.parametrize("rule", GROUP_RULES, ids=lambda r: r.code)
def test_group_state_keeps_no_entry(rule: Rule, population: tuple[Entry, ...]):
    """No entry, line or party is reachable from a built-in group rule's states."""
    states = fold_all(rule, population)
    assert states, "the example population must give the rule some groups"
    assert any(isinstance(s, list) for s in states.values()), "and some groups of several"

    kept = [type(obj).__name__ for obj in reachable(states) if isinstance(obj, ENTRY_PARTS)]

    assert kept == []


def test_entries_die_while_the_group_states_live(population: tuple[Entry, ...]):
    """Folding a fresh copy of the population, then dropping it, frees every entry."""
    entries = tuple(t86audit.load(*FILES).entries)
    alive = [weakref.ref(e) for e in entries]
    states = [fold_all(rule, entries) for rule in GROUP_RULES]
    del entries
    gc.collect()

    assert [r for r in alive if r() is not None] == []
    assert all(states)


def test_findings_from_refs_equal_findings_from_entries():
    """A hit on an entry's reference becomes the same finding as a hit on the entry."""
    entry = make_entry(source="jan.csv", source_rows=[4, 5])

    def on(subject: Any) -> Any:
        return Hit(subject, message="m", related=[entry.ref, "X"], judged_on=None)

    @rule(
        "ZZZ001",
        name="probe",
        severity="info",
        citations=BUILTIN_PACK.rules[0].citations,
        summary="probe",
        rationale="probe",
        reasonable_care="probe",
        examples=BUILTIN_PACK.rules[0].examples,
    )
    def both(e: Entry, ctx: RuleContext) -> Any:
        yield on(e)
        yield on(e.ref)

    (first, second) = run_rules([entry], [both]).findings

    assert first == second
    assert (first.source, first.source_rows) == (second.source, second.source_rows)
    assert second.related_entries == ("X",)


# --------------------------------------------------------------------------------------------
# EntryRef


def test_entry_ref_is_built_once_and_says_what_findings_need():
    """``Entry.ref`` is cached; it carries the number, its key, the arrival and provenance."""
    entry = make_entry(
        entry_number="b76-0000001-5",
        source="jan.csv",
        source_rows=[7, 8],
        arrival_date="2024-06-03",
    )

    ref = entry.ref

    assert entry.ref is ref
    assert ref == EntryRef("b76-0000001-5", "B7600000015", dt.date(2024, 6, 3), "jan.csv", (7, 8))
    assert ref.number == entry.number
    assert ref.entry_number == entry.entry_number
    assert ref.entry_number.key == entry.entry_number.key
    assert EntryRef.of(entry) == ref
    assert ref.source_rows == entry.source_rows


@pytest.mark.parametrize(
    "rows",
    [(), (7,), (7, 8), (7, 8, 9), (7, 9), (8, 7), (3, 3), (0,), tuple(range(5, 70_005))],
    ids=["none", "one", "two", "three", "gap", "backwards", "repeated", "zero", "very-many"],
)
def test_entry_ref_gives_back_the_rows_it_was_given(rows: tuple[int, ...]):
    """Rows are kept packed when they run on; what comes back is the tuple given."""
    ref = EntryRef("B76-0000001-5", "B7600000015", dt.date(2024, 6, 3), "jan.csv", rows)

    assert ref.source_rows == rows
    assert attrs.evolve(ref, number="x").source_rows == rows
    assert ref == EntryRef("B76-0000001-5", "B7600000015", dt.date(2024, 6, 3), "jan.csv", rows)
    assert f"source_rows={rows!r}" in repr(ref)


# --------------------------------------------------------------------------------------------
# collect_records


def _pair(entry: Entry, ctx: RuleContext) -> tuple[EntryRef, Any]:
    calls.append(entry.number)
    return (entry.ref, entry.total_value)


calls: list[str] = []


def test_collect_records_keeps_lone_records_bare_and_lists_groups():
    """Like ``collect``: a group of one is its record, a group of several a list of records."""
    fold = collect_records(_pair)
    ctx = RuleContext({}, default_policy(), ReferenceSet())
    one, two = make_entry(serial=1, value="3.00"), make_entry(serial=2, value="4.00")

    alone = fold(None, one, ctx)
    both = fold(fold(None, one, ctx), two, ctx)

    assert alone == (one.ref, one.total_value)
    assert records_of(alone) == [alone]
    assert both == [(one.ref, one.total_value), (two.ref, two.total_value)]
    assert fold(both, one, ctx) is both
    assert len(records_of(both)) == 3


def test_collect_records_builds_one_record_per_entry_for_every_key_and_rule():
    """An entry with several keys, or rules sharing one fold, share one record of it."""
    fold = collect_records(_pair)
    ctx = RuleContext({}, default_policy(), ReferenceSet())
    entry, other = make_entry(serial=1), make_entry(serial=2)
    calls.clear()

    first = fold(None, entry, ctx)
    again = fold(None, entry, ctx)
    fold(None, other, ctx)
    after = fold(None, entry, ctx)

    assert again is first
    assert after == first
    assert calls == [entry.number, other.number, entry.number]


def test_collect_records_does_not_reuse_a_record_across_reference_data():
    """The same entry audited again with other reference data gets a new record."""
    fold = collect_records(_pair)
    entry = make_entry()
    calls.clear()

    fold(None, entry, RuleContext({}, default_policy(), ReferenceSet()))
    fold(None, entry, RuleContext({}, default_policy(), ReferenceSet()))

    assert calls == [entry.number, entry.number]


def test_collect_records_refuses_a_list_record():
    """A list would read as a group of several records."""
    fold = collect_records(lambda entry, ctx: [entry.ref])

    with pytest.raises(TypeError, match="returned a list"):
        fold(None, make_entry(), RuleContext({}, default_policy(), ReferenceSet()))


def test_collect_and_entries_of_still_keep_entries():
    """The entry-keeping helpers of rule packs are unchanged."""
    from t86audit.rules._base import collect, entries_of  # noqa: PLC0415

    ctx = RuleContext({}, default_policy(), ReferenceSet())
    one, two = make_entry(serial=1), make_entry(serial=2)

    assert entries_of(collect(None, one, ctx)) == [one]
    assert entries_of(collect(collect(None, one, ctx), two, ctx)) == [one, two]


def test_group_rule_of_a_pack_can_report_on_refs():
    """A pack's group rule keeping (ref, total) records reports like one keeping entries."""

    def _day(entry: Entry, ctx: RuleContext) -> Any:
        yield entry.arrival_date

    def _build() -> list[Entry]:
        return [make_entry(serial=1, value="500.00"), make_entry(serial=2, value="400.00")]

    @group_rule(
        "ZZZ002",
        name="day-over-threshold",
        severity="warning",
        keys=_day,
        fold=collect_records(_pair),
        citations=BUILTIN_PACK.rules[0].citations,
        summary="A day's entries add up to more than the threshold.",
        rationale="probe",
        reasonable_care="probe",
        examples=[
            Example("two entries", _build, flagged=[num(1), num(2)]),
            Example("one entry", lambda: _build()[:1]),
        ],
    )
    def day_over(key: Hashable, state: Any, ctx: RuleContext) -> Any:
        records = records_of(state)
        total = sum(value for _, value in records)
        if total > ctx.period(records[0][0]).threshold_usd:
            for ref, _ in records:
                yield Hit(ref, message=f"day total {total}", related=[r for r, _ in records])

    from t86audit.testing import assert_rule_examples  # noqa: PLC0415

    assert_rule_examples(day_over)
    (finding, _) = run_rules(_build(), [day_over]).findings
    assert finding.message == "day total 900.00"
    assert finding.related_entries == (num(2),)


def test_an_audit_leaves_no_reference_data_alive(population: tuple[Entry, ...]):
    """The folds remember their last record, but not the audit's reference data or policy."""
    refs = ReferenceSet()
    alive = weakref.ref(refs)

    run_rules(population[:200], GROUP_RULES, reference=refs)
    del refs
    gc.collect()

    assert alive() is None
