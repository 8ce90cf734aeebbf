"""Review of the batched pass: bundles looked up a batch of entries at a time.

The pass now reads entries ``_BATCH_ENTRIES`` at a time; for each batch the bundles of rules
that declare their inputs (``Rule.reads``) are evaluated for each run of adjacent entries of
one type in the batch, then the other rules entry by entry; the compact records are added by column
(``RecordTable.add_many``). Whatever the batch size, the cache's trial and its limit, an audit
must give the findings, rule results (error counts and the first errors kept, in population
order), records and reports of calling every rule on every entry, one entry at a time.

The tests pin what was checked; four of them found two regressions, since fixed (see the
comment before them).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import t86audit
import t86audit.engine as engine
from t86audit._entries import EntryRecord
from t86audit.cli import main
from t86audit.engine import AuditResult, run_rules
from t86audit.findings import Hit
from t86audit.model import Entry, LineItem
from t86audit.refset import ReferenceSet
from t86audit.registry import RuleRegistry
from t86audit.rules import Rule, RulePack
from t86audit.testing import make_entry, make_population, strategies
from tests._benchmark_population import write_benchmark_population
from tests.test_record_table import expected as expected_record


RULES = list(RuleRegistry.default())
REFERENCE = ReferenceSet()
AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
BASE_ENTRY = next(r for r in RULES if r.code == "CON005")  # an entry rule
BASE_LINE = next(r for r in RULES if r.scope == "line" and r.reads is not None)
BATCHES = (1, 2, 3, 7, 256)

Outcome = tuple[tuple[object, ...], list[tuple[object, ...]]]


def _outcome(result: AuditResult) -> Outcome:
    """Everything an audit says about its rules: findings in order, and each rule's result."""
    return (
        result.findings,
        [
            (r.rule.code, r.status, r.findings, r.error_count, r.errors)
            for r in result.rule_results
        ],
    )


def _run(
    entries: Sequence[Entry],
    rules: Sequence[Rule],
    monkeypatch: pytest.MonkeyPatch,
    *,
    batch: int = 256,
    trial: int | None = None,
    limit: int | None = None,
    cache: bool = True,
    **options: Any,
) -> AuditResult:
    with monkeypatch.context() as patched:
        patched.setattr(engine, "_BATCH_ENTRIES", batch)
        if trial is not None:
            patched.setattr(engine, "_TRIAL", trial)
        if limit is not None:
            patched.setattr(engine, "_CACHE_LIMIT", limit)
        return run_rules(entries, rules, reference=REFERENCE, cache_verdicts=cache, **options)


def _entry_rule(
    code: str, check: Callable[..., Iterator[Hit]], reads: Sequence[str] | None, **more: Any
) -> Rule:
    return attrs.evolve(
        BASE_ENTRY, code=code, name=f"rule-{code}", check=check, reads=reads, **more
    )


def _line_rule(
    code: str, check: Callable[..., Iterator[Hit]], reads: Sequence[str] | None, **more: Any
) -> Rule:
    return attrs.evolve(
        BASE_LINE, code=code, name=f"rule-{code}", check=check, reads=reads, **more
    )


def _failed_on(result: AuditResult, code: str) -> list[str | None]:
    """The entries of the errors ``code`` kept, in the order kept."""
    found = next(r for r in result.rule_results if r.rule.code == code)
    return [e.entry_number for e in found.errors]


# --- rules that raise (their messages depend on declared inputs only) ----------------------


def _port_fails(entry: Entry, ctx: object) -> Iterator[Hit]:
    """A hit on every entry; raises (after the hit) on ports ending in an odd digit."""
    yield Hit(entry, message=f"port {entry.port_code}")
    if int(entry.port_code[-1]) % 2:
        raise RuntimeError(f"odd port {entry.port_code}")


def _description_fails(entry: Entry, line: LineItem, ctx: object) -> Iterator[Hit]:
    """Raises on lines described 'bad'; a hit before it on 'bad' lines numbered 2."""
    if line.description == "bad":
        if line.line_number == 2:
            yield Hit(entry, line=line.line_number, message="second line is bad")
        raise ValueError(f"bad line {line.line_number}")
    yield from ()


def _failing_population() -> list[Entry]:
    ports = ("4701", "2704", "4701", "3901", "2704", "5301", "4701", "2811")
    descriptions = ("cotton t-shirt", "bad", "scarf")
    entries = []
    for i in range(60):
        lines = [
            {
                "description": descriptions[(i + k) % 3],
                "hts_number": "6109.10.0012",
                "value_usd": "12.00",
            }
            for k in range(1 + i % 3)
        ]
        entries.append(make_entry(serial=i + 1, port_code=ports[i % len(ports)], lines=lines))
    return entries


def test_errors_and_hits_before_them_the_same_for_every_batch_size_and_uncached(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Rules that raise on many entries keep the same count and first five, in entry order."""
    rules = [
        _entry_rule("ZZZ001", _port_fails, ("entry.port_code",)),
        _line_rule("ZZZ002", _description_fails, ("line.description",)),
    ]
    entries = _failing_population()
    uncached = _run(entries, rules, monkeypatch, cache=False)
    plain = _outcome(uncached)
    assert _failed_on(uncached, "ZZZ001") == [entries[i].number for i in (0, 2, 3, 5, 6)]
    assert len(_failed_on(uncached, "ZZZ002")) == 5
    assert all(r.error_count > 5 for r in uncached.rule_results)
    for batch in BATCHES:
        for trial, limit in ((None, None), (4, None), (None, 2), (3, 1)):
            got = _outcome(
                _run(entries, rules, monkeypatch, batch=batch, trial=trial, limit=limit)
            )
            assert got == plain, (batch, trial, limit)


@pytest.mark.parametrize("batch", [1, 3, 256])
def test_fail_fast_raises_the_first_entrys_error_whoever_raises_it(
    monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    """Bundled entry and line rules and a direct rule fail on different entries: first wins."""

    def fails_on(serials: set[int], text: str) -> Callable[..., Iterator[Hit]]:
        def check(entry: Entry, *rest: object) -> Iterator[Hit]:
            if int(entry.entry_number.serial or 0) in serials:
                raise RuntimeError(text)
            yield from ()

        return check

    entries = [make_entry(serial=i) for i in range(1, 40)]
    for bundled, line, direct, first in (
        ({9}, {5}, {7}, "line"),
        ({3}, {5}, {7}, "bundled"),
        ({30}, {31}, {29}, "direct"),
        ({20, 1}, {2}, {3}, "bundled"),
    ):
        rules = [
            _entry_rule("ZZZ003", fails_on(bundled, "bundled"), ("entry.entry_number",)),
            _line_rule(
                "ZZZ004", fails_on(line, "line"), ("entry.entry_number", "line.hts_number")
            ),
            _entry_rule("ZZZ005", fails_on(direct, "direct"), None),
        ]
        with pytest.raises(RuntimeError, match=f"^{first}$"):
            _run(entries, rules, monkeypatch, batch=batch, fail_fast=True)


# Two regressions this review found, fixed (each pinned by the two tests after it): a batch
# split by entry type made a bundled rule that judges several types meet the entries type by
# type, not in population order (its first errors and tied findings out of order; now the pass
# takes runs of adjacent entries of one type, engine._runs_of_kind); an entry rule with no key
# column (reads=(), or line inputs only) judged no entry (now: reads=() is one verdict for
# every entry, line inputs make the rule run uncached, as before the batches).


# --- mixed entry types ---------------------------------------------------------------------


def _raises_by_port(entry: Entry, ctx: object) -> Iterator[Hit]:
    if entry.port_code:
        raise RuntimeError(f"port {entry.port_code}")
    yield from ()


def test_a_rule_judging_every_type_keeps_its_first_errors_in_population_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A bundled rule of every entry type meets a batch's entries in population order.

    The batch is split by entry type before the bundles run, so an audit of 01/86 entries
    interleaved records the Type 86 entries' errors before the earlier 01 entries'.
    """
    rule = _entry_rule("ZZZ006", _raises_by_port, ("entry.port_code",), entry_types=None)
    types = ("01", "86", "01", "86", "11", "86", "86", "01")
    entries = [make_entry(serial=i + 1, entry_type=t) for i, t in enumerate(types)]
    plain = _outcome(_run(entries, [rule], monkeypatch, cache=False))
    one_at_a_time = _outcome(_run(entries, [rule], monkeypatch, batch=1))
    assert one_at_a_time == plain
    kept = plain[1][0][4]
    assert isinstance(kept, tuple)
    assert [e.entry_number for e in kept] == [e.number for e in entries[:5]]
    assert _outcome(_run(entries, [rule], monkeypatch)) == plain


def _flag_source(entry: Entry, ctx: object) -> Iterator[Hit]:
    yield Hit(entry, field="source", observed=entry.source, message="flagged")


def test_a_rule_judging_every_type_orders_tied_findings_as_uncached(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Findings that sort alike (one entry number in two files) keep population order.

    An 01 entry and a Type 86 entry filed under the same number in two files get the same
    finding from a rule of every type (same code, number, line and message: the sort leaves
    them in the order they were made); the report lists them in the order the files had them.
    """
    rule = _entry_rule("ZZZ007", _flag_source, ("entry.source",), entry_types=None)
    number = make_entry(serial=77).number
    entries = [
        make_entry(serial=1),
        make_entry(entry_number=number, entry_type="01", source="first.csv"),
        make_entry(entry_number=number, entry_type="86", source="second.csv"),
    ]
    plain = run_rules(entries, [rule], reference=REFERENCE, cache_verdicts=False)
    assert [f.observed for f in plain.findings if f.entry_number == number] == [
        "first.csv",
        "second.csv",
    ]
    assert _run(entries, [rule], monkeypatch, batch=1).findings == plain.findings
    assert _run(entries, [rule], monkeypatch).findings == plain.findings
    registry = RuleRegistry([RulePack("review", "1", ("ZZZ",), (rule,))])
    one, batched = (
        _report_json(entries, monkeypatch, batch, registry=registry) for batch in (1, 256)
    )
    assert batched == one


def _report_json(
    entries: Sequence[Entry], monkeypatch: pytest.MonkeyPatch, batch: int, **options: Any
) -> str:
    with monkeypatch.context() as patched:
        patched.setattr(engine, "_BATCH_ENTRIES", batch)
        return t86audit.audit(list(entries), generated_at=AT, **options).render("json")


def test_mixed_types_within_batches_are_judged_by_their_own_rules(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """86, 01, 11, blank and unreadable entries interleaved, sharing lines, in any batch."""
    lines = [
        {"description": "gift", "hts_number": "6117.10.6010", "value_usd": "950.00"},
        {"description": "goods", "hts_number": "3303.00.30.00", "value_usd": "40.00"},
        {"description": "cotton t-shirt", "hts_number": "6109.10", "value_usd": "12.00"},
    ]
    types = ("86", "01", "", "11", "XX", "86", "01", "01", "86")
    entries = [
        make_entry(serial=i + 1, entry_type=types[i % len(types)], lines=[lines[i % 3]])
        for i in range(45)
    ]
    plain = _outcome(_run(entries, RULES, monkeypatch, cache=False))
    judged = {e.number for e in entries if e.type_code in ("86", "")}
    assert {e.type_code for e in entries} == {"86", "01", "11", ""}
    assert plain[0]
    line_and_entry = {r.code for r in RULES if r.scope != "group"}
    flagged = {f.entry_number for f in plain[0] if f.code in line_and_entry}  # type: ignore[attr-defined]
    assert flagged
    assert flagged <= judged
    for batch in (1, 2, 7, 256):
        got = _outcome(_run(entries, RULES, monkeypatch, batch=batch, trial=5, limit=2))
        assert got == plain, batch


# --- declarations the batched keys handle differently --------------------------------------


def _always(entry: Entry, ctx: object) -> Iterator[Hit]:
    yield Hit(entry, message="every entry")


def test_an_entry_rule_that_reads_nothing_still_judges_every_entry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``reads=()`` (a verdict that depends on no input): one evaluation, every entry flagged.

    With no key column the batch's key list is empty, and no entry of the batch is judged.
    """
    rule = _entry_rule("ZZZ008", _always, ())
    assert rule.reads == ()
    entries = [make_entry(serial=i + 1) for i in range(5)]
    plain = run_rules(entries, [rule], reference=REFERENCE, cache_verdicts=False)
    assert len(plain.findings) == 5
    for batch in (1, 256):
        got = _run(entries, [rule], monkeypatch, batch=batch)
        assert _outcome(got) == _outcome(plain), batch


def _names_a_description(entry: Entry, ctx: object) -> Iterator[Hit]:
    for line in entry.lines:
        if line.description == "gift":
            yield Hit(entry, line=line.line_number, message="a gift")


def test_an_entry_rule_declaring_line_inputs_is_judged_as_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An entry rule that names ``line.`` inputs is called on every entry (no line to key).

    Before the batched pass its key could not be made (an entry rule has no line), so it was
    called uncached; the batch's keys leave the line column out instead: the rule is keyed
    by its entry inputs only (or by nothing) and its verdicts copied across entries.
    """
    entries = [
        make_entry(serial=i + 1, lines=[{"description": "gift" if i % 2 else "scarf"}])
        for i in range(6)
    ]
    for reads in (("line.description",), ("entry.port_code", "line.description")):
        rule = _entry_rule("ZZZ009", _names_a_description, reads)
        plain = run_rules(entries, [rule], reference=REFERENCE, cache_verdicts=False)
        assert [f.entry_number for f in plain.findings] == [entries[i].number for i in (1, 3, 5)]
        assert _outcome(_run(entries, [rule], monkeypatch)) == _outcome(plain), reads


def test_a_missing_input_in_part_of_a_batch_falls_back_entry_by_entry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Entries without a filing time among others: two rules share the bundle, one raises."""

    def late(entry: Entry, ctx: object) -> Iterator[Hit]:
        if entry.filed_at is not None and entry.filed_at.hour >= 12:
            yield Hit(entry, message=f"filed at {entry.filed_at.hour}")

    def fails(entry: Entry, ctx: object) -> Iterator[Hit]:
        yield Hit(entry, message="seen")
        if entry.filed_at is None or entry.filed_at.hour == 3:
            raise LookupError("no usable time")

    reads = ("entry.filed_at.hour",)
    rules = [_entry_rule("ZZZ010", late, reads), _entry_rule("ZZZ011", fails, reads)]
    entries = [
        make_entry(
            serial=i + 1,
            filed_at=None if i % 5 == 2 else dt.datetime(2024, 7, 20, (i * 7) % 24, tzinfo=dt.UTC),
        )
        for i in range(40)
    ]
    uncached = _run(entries, rules, monkeypatch, cache=False)
    plain = _outcome(uncached)
    assert uncached.rule_results[1].error_count > 5
    for batch in BATCHES:
        for trial in (None, 3):
            got = _outcome(_run(entries, rules, monkeypatch, batch=batch, trial=trial, limit=3))
            assert got == plain, (batch, trial)


_PORTS = ("4701", "2704", "3901", "5301")
_DESCRIPTIONS = ("cotton t-shirt", "bad", "scarf", "gift")


@st.composite
def _entries_sharing_inputs(draw: st.DrawFn) -> list[Entry]:
    """Entries of Type 86, blank, 01 and 11 drawn from few ports and descriptions (0-3 lines)."""
    size = draw(st.integers(0, 24))
    entries = []
    for i in range(size):
        lines = [
            {"description": draw(st.sampled_from(_DESCRIPTIONS)), "value_usd": "10.00"}
            for _ in range(draw(st.integers(0, 3)))
        ]
        entries.append(
            make_entry(
                serial=i + 1,
                port_code=draw(st.sampled_from(_PORTS)),
                entry_type=draw(st.sampled_from(["86", "86", "", "01", "11"])),
                lines=lines,
            )
        )
    return entries


def _port_hits(entry: Entry, ctx: object) -> Iterator[Hit]:
    if entry.port_code.startswith(("2", "3")):
        yield Hit(entry, field="port_code", observed=entry.port_code, message="port")


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    entries=_entries_sharing_inputs(),
    batch=st.sampled_from(BATCHES),
    trial=st.sampled_from([None, 1, 2, 5]),
    limit=st.sampled_from([None, 1, 2]),
)
def test_raising_rules_on_drawn_populations_same_results_any_batch(
    entries: list[Entry], batch: int, trial: int | None, limit: int | None
) -> None:
    """Type 86 rules, bundled or not, raising or not, on entries of mixed types."""
    rules = [
        _entry_rule("ZZZ020", _port_fails, ("entry.port_code",)),
        _entry_rule("ZZZ021", _port_hits, ("entry.port_code",)),
        _entry_rule("ZZZ022", _port_fails, None),
        _line_rule("ZZZ023", _description_fails, ("line.description",)),
        _line_rule("ZZZ024", _description_fails, ("entry.port_code", "line.description")),
    ]
    with pytest.MonkeyPatch.context() as monkeypatch:
        plain = _run(entries, rules, monkeypatch, cache=False)
        got = _run(entries, rules, monkeypatch, batch=batch, trial=trial, limit=limit)
    assert _outcome(got) == _outcome(plain)
    judged = [e.number for e in entries if e.type_code in ("86", "")]
    assert {f.entry_number for f in got.findings} <= set(judged)
    # The bundled and the direct copy of one rule fail on the same entries, in order.
    failing = [e.number for e in entries if e.number in judged and int(e.port_code[-1]) % 2]
    assert _failed_on(got, "ZZZ020") == _failed_on(got, "ZZZ022") == failing[:5]


# --- built-in rules on generated populations -----------------------------------------------


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    clean=strategies.populations(max_size=6, distinct=False),
    defective=strategies.populations(
        max_size=5,
        chapter_98=True,
        china_origin=True,
        over_threshold=True,
        vague_description=True,
        short_hts=True,
    ),
    odd=strategies.populations(
        max_size=5, mail_mode=True, tobacco=True, placeholder_consignee=True
    ),
    batch=st.sampled_from(BATCHES),
    trial=st.sampled_from([None, 1, 4, 9]),
    limit=st.sampled_from([None, 1, 3]),
    types=st.lists(st.sampled_from(["86", "01", "11", ""]), min_size=16, max_size=16),
)
def test_generated_populations_same_results_any_batch_trial_and_limit(
    clean: list[Entry],
    defective: list[Entry],
    odd: list[Entry],
    batch: int,
    trial: int | None,
    limit: int | None,
    types: list[str],
) -> None:
    entries = [
        attrs.evolve(e, entry_type=types[i % 16]) if i % 3 == 0 else e
        for i, e in enumerate([*clean, *defective, *odd, *defective])
    ]
    with pytest.MonkeyPatch.context() as monkeypatch:
        plain = _outcome(_run(entries, RULES, monkeypatch, cache=False))
        got = _outcome(_run(entries, RULES, monkeypatch, batch=batch, trial=trial, limit=limit))
    assert got == plain


# --- records, samples, reports -------------------------------------------------------------


def _odd_entries() -> list[Entry]:
    seller = t86audit.testing.make_party("seller", name="")
    return [
        make_entry(serial=1, value="12.345"),
        make_entry(serial=2, value="-0.00"),
        make_entry(serial=3, value="1E+400"),
        make_entry(entry_number="b76 0000004 9", value="4.00"),
        make_entry(entry_number="b760000005 6", entry_type="01"),
        make_entry(entry_number="B76-0000006-4 ", entry_type="11", seller=seller),
        make_entry(serial=7, value="123456789012345678901234.56", port_code=" 2704 "),
        make_entry(serial=8, entry_type="", seller=seller, value="0"),
        make_entry(serial=9, entry_type="XX", value="7.10", source="other.csv"),
        make_entry(serial=10, value="-12.00"),
    ]


@pytest.mark.parametrize("batch", [1, 2, 3, 256])
def test_records_of_odd_entries_equal_their_fields(
    monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    entries = [*make_population(12, seed=5), *_odd_entries(), *make_population(9, seed=6)]
    result = _run(entries, RULES, monkeypatch, batch=batch)
    records = result.entries.records  # type: ignore[attr-defined]
    wanted: list[EntryRecord] = [expected_record(e) for e in entries]
    assert list(records) == wanted
    assert [records[i] for i in range(len(entries))] == wanted
    assert [str(r.total_value) for r in records] == [str(e.total_value) for e in entries]
    assert [s.entry_number for s in result.entries] == [e.number for e in entries]
    assert [s.entry_type for s in result.entries] == [e.type_code for e in entries]


@pytest.mark.parametrize("batch", [1, 3, 256])
def test_sampled_entries_are_marked_on_their_findings(
    monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    entries = [*make_population(30, seed=4), *_odd_entries()]
    samples = t86audit.draw_samples(entries, size=8, count=2, seed=3)
    plain = run_rules(entries, RULES, reference=REFERENCE, samples=samples, cache_verdicts=False)
    got = _run(entries, RULES, monkeypatch, batch=batch, samples=samples)
    assert _outcome(got) == _outcome(plain)
    assert list(got.entries) == list(plain.entries)
    by_key = {e.entry_number.key: s.id for s in samples for e in s.entries}
    marked = [f for f in got.findings if f.samples]
    assert marked
    for finding in got.findings:
        key = next(e.entry_number.key for e in entries if e.number == finding.entry_number)
        assert finding.samples == ((by_key[key],) if key in by_key else ())


def test_json_and_csv_reports_the_same_for_every_batch_size(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = write_benchmark_population(tmp_path / "bench.csv", 700)
    loaded = t86audit.load(path)
    renders = set()
    for batch, trial in ((1, None), (7, 16), (256, None), (256, 40)):
        with monkeypatch.context() as patched:
            patched.setattr(engine, "_BATCH_ENTRIES", batch)
            if trial is not None:
                patched.setattr(engine, "_TRIAL", trial)
            report = t86audit.audit(loaded, generated_at=AT)
        renders.add((report.render("json"), report.render("csv")))
    assert len(renders) == 1
    assert report.findings


def _without_invocation(text: str) -> dict[str, Any]:
    report: dict[str, Any] = json.loads(text)
    report["audit_trail"].pop("invocation")
    return report


@pytest.mark.skipif(not engine._can_fork(), reason="worker processes need fork here")
def test_two_workers_and_the_streamed_cli_give_the_same_json(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """In memory with jobs 1 and 2, streamed by the CLI with --jobs 1 and 2: one JSON."""
    monkeypatch.setattr(engine, "_MIN_SLICE", 100)
    monkeypatch.setattr(engine, "_WARM_UP", 30)
    monkeypatch.setattr(engine, "_BATCH_ENTRIES", 7)
    monkeypatch.setattr(engine, "_TRIAL", 50)
    path = write_benchmark_population(tmp_path / "bench.csv", 600)
    loaded = t86audit.load(path)
    counts: list[int] = []
    one = t86audit.audit(
        loaded, generated_at=AT, jobs=1, progress=lambda n, _s: counts.append(n)
    ).render("json")
    assert counts
    assert counts == sorted(counts)
    assert counts[-1] == len(loaded.entries)
    two = t86audit.audit(loaded, generated_at=AT, jobs=2).render("json")
    assert two == one
    streamed = []
    for jobs in ("1", "2"):
        out = io.StringIO()
        argv = ["audit", str(path), "--jobs", jobs, "--format", "json"]
        status = main(
            [*argv, "--generated-at", "2026-01-01T00:00:00+00:00"],
            stdout=out,
            stderr=io.StringIO(),
        )
        assert status in (0, 1)
        streamed.append(out.getvalue())
    assert streamed[0] == streamed[1]
    assert _without_invocation(streamed[0]) == _without_invocation(one)


def test_progress_counts_increase_to_the_population(monkeypatch: pytest.MonkeyPatch) -> None:
    entries = make_population(50, seed=2)
    seen: list[int] = []
    _run(
        entries,
        RULES,
        monkeypatch,
        batch=7,
        progress=lambda n, _s: seen.append(n),
        progress_every=5,
    )
    assert seen[:-1] == list(range(5, 51, 5))
    assert seen[-1] == 50  # and once at the end


def test_totals_that_are_not_plain_cents_keep_their_digits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entries = _odd_entries()
    result = _run(entries, [], monkeypatch, batch=3)
    totals = [r.total_value for r in result.entries.records]  # type: ignore[attr-defined]
    assert [str(t) for t in totals] == [str(e.total_value) for e in entries]
    kinds = [type(r.value) for r in result.entries.records]  # type: ignore[attr-defined]
    # A negative line is no article (Entry.total_value): -0.00 and -12.00 total "0", as a
    # value of "0" does, which is not plain cents.
    assert kinds == [Decimal, Decimal, Decimal, int, int, int, int, Decimal, int, Decimal]
    assert totals[2] == Decimal("1E+400")


@settings(max_examples=40, deadline=None)
@given(cuts=st.lists(st.integers(0, 31), max_size=6), parts=st.integers(1, 3))
def test_records_added_in_any_chunks_equal_their_fields(cuts: list[int], parts: int) -> None:
    """``add_many`` over any chunking (empty chunks too), joined from parts and pickled."""
    import pickle  # noqa: PLC0415

    from t86audit._entries import RecordTable  # noqa: PLC0415

    entries = [*make_population(10, seed=9), *_odd_entries(), *make_population(12, seed=9)]
    bounds = sorted({0, len(entries), *(c % (len(entries) + 1) for c in cuts)})
    chunks = [entries[a:b] for a, b in pairwise(bounds)]
    joined = RecordTable()
    for k in range(parts):
        part = RecordTable()
        for chunk in chunks[len(chunks) * k // parts : len(chunks) * (k + 1) // parts]:
            part.add_many(chunk, [e.entry_number.key for e in chunk])
            part.add_many([], [])
        joined.extend(pickle.loads(pickle.dumps(part)))
    wanted = [expected_record(e) for e in entries]
    assert list(joined) == wanted
    keys = [e.entry_number.key for e in entries]
    assert [joined.key(i) for i in range(len(entries))] == keys
    for name in ("source", "port_code", "seller", "entry_type", "key", "rows", "consignee"):
        assert list(joined.column(name)) == [getattr(r, name) for r in wanted], name
    odd_keys = {e.entry_number.key for e in _odd_entries()}
    assert joined.first_of(odd_keys) == {key: keys.index(key) for key in odd_keys}


def test_a_sampled_entry_missing_from_the_population_is_still_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from t86audit.exceptions import SampleError  # noqa: PLC0415

    entries = make_population(20, seed=7)
    samples = t86audit.draw_samples(entries, size=6, seed=1)
    kept = [e for e in entries if e is not samples[0].entries[-1]]
    with pytest.raises(SampleError, match="1 sampled entry"):
        _run(kept, RULES, monkeypatch, batch=3, samples=samples)
    assert _run(entries, RULES, monkeypatch, batch=3, samples=samples).findings is not None
