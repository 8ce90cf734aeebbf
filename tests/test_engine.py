"""The one-pass engine, the registry and the audit API."""

import datetime as dt
import importlib.metadata
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import t86audit
from t86audit.engine import run_rules
from t86audit.exceptions import (
    DuplicateRuleError,
    PackLoadError,
    RuleDefinitionError,
    SampleError,
    T86AuditError,
)
from t86audit.findings import Citation, Hit
from t86audit.registry import RuleRegistry, load_packs
from t86audit.rules import BUILTIN_PACK, Example, RulePack, rule
from t86audit.rules._examples import num, population
from t86audit.sample import cited_sample
from t86audit.testing import make_entry, make_population


CITE = [Citation("19 CFR", "10.151")]


def _examples():
    return [
        Example("flag", lambda: population({}), flagged=[num(1)]),
        Example("pass", lambda: population({})),
    ]


@rule(
    "TST001",
    name="always-raises",
    severity="warning",
    citations=CITE,
    summary="Raises.",
    rationale="r",
    reasonable_care="c",
    examples=_examples(),
)
def always_raises(entry, ctx):
    msg = "boom"
    raise RuntimeError(msg)


@rule(
    "TST002",
    name="flags-everything",
    severity="info",
    citations=CITE,
    summary="Flags.",
    rationale="r",
    reasonable_care="c",
    examples=_examples(),
)
def flags_everything(entry, ctx):
    yield Hit(entry, message="seen")


@rule(
    "TST003",
    name="never-applies",
    severity="violation",
    citations=CITE,
    summary="N/A.",
    rationale="r",
    reasonable_care="c",
    examples=_examples(),
    applies=lambda ctx: "no table supplied",
)
def never_applies(entry, ctx):
    yield Hit(entry, message="should not run")


def test_rule_that_raises_is_recorded_and_audit_goes_on():
    """A raising rule reads as error, never passed; the other rules still run."""
    entries = make_population(5)
    result = run_rules(entries, [always_raises, flags_everything])

    statuses = {r.rule.code: r for r in result.rule_results}
    assert statuses["TST001"].status == "error"
    assert statuses["TST001"].error_count == 5
    assert statuses["TST001"].errors[0].exception_type == "RuntimeError"
    assert statuses["TST002"].status == "failed"
    assert len(result.findings) == 5


def test_fail_fast_reraises():
    """Rule authors can ask for the exception."""
    with pytest.raises(RuntimeError, match="boom"):
        run_rules(make_population(1), [always_raises], fail_fast=True)


def test_not_applicable_is_never_passed():
    """A rule that cannot run says why and is not run."""
    result = run_rules(make_population(2), [never_applies])

    assert result.rule_results[0].status == "not_applicable"
    assert result.rule_results[0].reason == "no table supplied"
    assert result.findings == ()


def test_engine_reads_an_iterator_once():
    """A generator of entries is enough: the engine makes one pass."""
    entries = make_population(7)
    seen = []

    def stream():
        for e in entries:
            seen.append(e.number)
            yield e

    result = run_rules(stream(), [flags_everything])

    assert seen == [e.number for e in entries]
    assert len(result.entries) == 7


def test_findings_are_flagged_per_sample_and_cite_population_entries():
    """A sampled entry's group finding names its sample and the population entries behind it."""
    consignee = {"name": "Maria Lopez", "address": "12 Main Street"}
    # Serials past make_population's (1-10): a number also on another record with other data
    # (FIL003) may not be on this day at all, and VAL002 leaves it out.
    entries = [make_entry(serial=i, value="300.00", consignee=consignee) for i in range(101, 104)]
    entries += make_population(10, start=dt.date(2024, 7, 1))
    sample = cited_sample(entries, [entries[2].number])
    report = t86audit.audit(entries, samples=[sample], select=["VAL002"])

    (finding,) = report.findings
    assert finding.entry_number == entries[2].number
    assert finding.samples == (sample.id,)
    assert set(finding.related_entries) == {entries[0].number, entries[1].number}
    assert finding.policy_period == "eda-required" or finding.policy_period


def test_sample_entries_must_be_in_the_population():
    """Auditing a sample against a population that lacks its entries is an error."""
    population = make_population(12)
    sample = cited_sample(population, [population[0].number])
    with pytest.raises(SampleError, match="not in the audited population"):
        run_rules(population[1:], [flags_everything], samples=[sample])


def test_select_and_ignore_by_code_and_prefix():
    """--select VAL,CON --ignore CON003 picks the VAL and CON rules except CON003."""
    registry = RuleRegistry.default()
    chosen = {r.code for r in registry.select(["VAL", "CON"], ["CON003"])}

    assert chosen
    assert all(c.startswith(("VAL", "CON")) for c in chosen)
    assert "CON003" not in chosen
    with pytest.raises(T86AuditError, match="matches no registered rule"):
        registry.select(["NOPE"])


def test_packs_reject_clashes():
    """Duplicate codes, clashing prefixes and codes outside the pack's prefixes all raise."""
    with pytest.raises(DuplicateRuleError):
        RulePack("x", "1", ("TST",), (flags_everything, flags_everything))
    with pytest.raises(RuleDefinitionError):
        RulePack("x", "1", ("ABC",), (flags_everything,))
    registry = RuleRegistry([RulePack("a", "1", ("TST",), (flags_everything,))])
    with pytest.raises(DuplicateRuleError, match="prefix TST"):
        registry.add(RulePack("b", "1", ("TST",), (always_raises,)))
    with pytest.raises(DuplicateRuleError, match="prefix VAL"):
        RuleRegistry([BUILTIN_PACK, RulePack("c", "1", ("VAL",), ())])


def test_rule_metadata_is_checked_at_definition():
    """An incomplete rule fails when it is declared."""
    with pytest.raises(RuleDefinitionError, match="code"):
        rule(
            "val1",
            name="x",
            severity="info",
            citations=CITE,
            summary="s",
            rationale="r",
            reasonable_care="c",
            examples=_examples(),
        )
    with pytest.raises(RuleDefinitionError, match="kebab"):
        rule(
            "TST009",
            name="Not_Kebab",
            severity="info",
            citations=CITE,
            summary="s",
            rationale="r",
            reasonable_care="c",
            examples=_examples(),
        )
    with pytest.raises(RuleDefinitionError, match="Citation"):
        rule(
            "TST009",
            name="x",
            severity="info",
            citations=[],
            summary="s",
            rationale="r",
            reasonable_care="c",
            examples=_examples(),
        )
    with pytest.raises(RuleDefinitionError, match="flagged and one passing"):
        rule(
            "TST009",
            name="x",
            severity="info",
            citations=CITE,
            summary="s",
            rationale="r",
            reasonable_care="c",
            examples=_examples()[1:],
        )
    with pytest.raises(RuleDefinitionError, match="reasonable_care"):
        rule(
            "TST009",
            name="x",
            severity="info",
            citations=CITE,
            summary="s",
            rationale="r",
            reasonable_care=" ",
            examples=_examples(),
        )


def test_third_party_pack_loads_through_an_entry_point():
    """A hand-built entry point loads a pack the same way an installed one does."""
    ep = importlib.metadata.EntryPoint("core", "t86audit.rules:BUILTIN_PACK", "t86audit.rules")
    broken = importlib.metadata.EntryPoint("bad", "t86audit.no_such_module:PACK", "t86audit.rules")

    assert load_packs(entry_points=[ep])[0].name == "core"
    with pytest.raises(PackLoadError, match="bad"):
        load_packs(entry_points=[broken])
    with pytest.warns(RuntimeWarning, match="bad"):
        assert load_packs(entry_points=[broken], on_error="warn") == []


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), size=st.integers(1, 40))
def test_results_do_not_depend_on_entry_order(seed, size):
    """Shuffling the population changes no finding."""
    entries = make_population(size, seed=seed, days=3)
    # make some consignees repeat so group rules have work to do
    shuffled = list(entries)
    random.Random(seed).shuffle(shuffled)
    rules = list(RuleRegistry.default())

    first = run_rules(entries, rules)
    second = run_rules(shuffled, rules)

    assert first.findings == second.findings
    numbers = {e.number for e in entries}
    assert all(f.entry_number in numbers for f in first.findings)
    assert all(set(f.related_entries) <= numbers for f in first.findings)


@pytest.mark.parametrize(
    ("code", "name", "value"),
    [
        ("VAL005", "window_days", "abc"),
        ("VAL005", "window_days", "1.5"),
        ("VAL005", "window_days", True),
        ("VAL004", "nominal_usd", "one dollar"),
        ("VAL004", "nominal_usd", "NaN"),
        ("ELG005", "hts_prefixes", 2204),
        ("ELG012", "hts_flags", "FD1"),
    ],
)
def test_an_option_value_the_rule_cannot_use_is_refused_before_the_pass(code, name, value):
    """A wrong kind of value is a usage error naming the option, not a rule error per entry."""
    with pytest.raises(ValueError, match=rf"option {code}\.{name} must be"):
        run_rules(make_population(3), list(RuleRegistry.default()), options={code: {name: value}})


@pytest.mark.parametrize(
    ("code", "name", "value"),
    [
        ("VAL005", "window_days", "3"),
        ("VAL005", "window_days", 3),
        ("VAL004", "nominal_usd", "0.50"),
        ("ELG005", "hts_prefixes", "2203,2204"),
        ("ELG005", "hts_prefixes", ["2203"]),
        ("ELG012", "hts_flags", {"3924.10.40.00": ["FD1"]}),
    ],
)
def test_an_option_value_of_the_right_kind_runs(code, name, value):
    """Text from the command line is accepted where it reads as the default's kind."""
    result = run_rules(
        make_population(3), list(RuleRegistry.default()), options={code: {name: value}}
    )
    status = {r.rule.code: r.status for r in result.rule_results}
    assert status[code] in {"passed", "failed", "not_applicable"}


def test_a_missing_or_unknown_rule_keyword_is_a_type_error_naming_the_decorator():
    """As a Python signature would refuse it, before any other check of the declaration."""
    from t86audit.rules import RuleMetadata, group_rule  # noqa: PLC0415

    meta = {
        "name": "x",
        "severity": "info",
        "citations": CITE,
        "summary": "s",
        "rationale": "r",
        "reasonable_care": "c",
        "examples": _examples(),
    }
    assert set(meta) == RuleMetadata.__required_keys__
    short = {k: v for k, v in meta.items() if k != "rationale"}
    with pytest.raises(
        TypeError, match=r"rule\(\) for 'TST009': missing keyword\(s\) \['rationale'\]"
    ):
        rule("TST009", **short)
    with pytest.raises(TypeError, match=r"unknown \['rationle'\]"):
        rule("TST009", rationle="r", **meta)  # type: ignore[call-arg]
    # Checked before group_rule's own arguments: the keyword is what the author must fix first.
    with pytest.raises(TypeError, match=r"group_rule\(\) for 'TST009': missing"):
        group_rule("TST009", keys=lambda e, c: (), variant=lambda e, k, c: None, **short)


def test_a_misspelt_audit_setting_is_refused_not_dropped():
    """run_rules_in_parts passes its settings on as keywords: a typo must not pass silently."""
    from t86audit.engine import _Audit, run_rules_in_parts  # noqa: PLC0415

    with pytest.raises(TypeError, match="samplez"):
        _Audit([flags_everything], samplez=())  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="cache_verdict"):
        run_rules_in_parts(
            lambda first, end: [],
            0,
            [flags_everything],
            jobs=1,
            cache_verdict=False,  # type: ignore[call-arg]
        )
