"""Every rule's own flagged and passing examples run as tests, plus checks over all rules."""

import pytest

from t86audit.engine import run_rules
from t86audit.registry import RuleRegistry
from t86audit.rules import BUILTIN_PACK, CODE_RE
from t86audit.rules._base import NAME_RE


REGISTRY = RuleRegistry.default()
RULES = list(REGISTRY)
CASES = [
    pytest.param(
        rule, example, id=f"{rule.code}-{index}-{'flagged' if example.flagged else 'passing'}"
    )
    for rule in RULES
    for index, example in enumerate(rule.examples)
]


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_rule_example(rule, example):
    """The rule flags exactly the example's expected entries, stamped with its own code."""
    entries = example.build()
    result = run_rules(
        entries,
        [rule.with_options(**example.options)],
        reference=example.make_reference(),
        fail_fast=True,
    )

    flagged = {f.entry_number for f in result.findings}
    assert flagged == set(example.flagged), [f.message for f in result.findings]
    assert all(f.code == rule.code and f.severity is rule.severity for f in result.findings)
    assert result.rule_results[0].status == ("failed" if example.flagged else "passed")


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_metadata_is_complete(rule):
    """Code, kebab-case name, citations, rationale, care note, both kinds of example."""
    assert CODE_RE.match(rule.code)
    assert NAME_RE.match(rule.name)
    assert rule.citations
    assert rule.summary
    assert "\n" not in rule.summary
    assert rule.rationale
    assert rule.reasonable_care
    assert any(e.flagged for e in rule.examples)
    assert any(not e.flagged for e in rule.examples)
    assert rule.pack == "core"


def test_builtin_pack_is_found_through_its_entry_point():
    """The core pack comes from the t86audit.rules entry-point group, like any third-party pack."""
    assert [p.name for p in REGISTRY.packs] == ["core"]
    assert REGISTRY.packs[0] is BUILTIN_PACK or REGISTRY.packs[0] == BUILTIN_PACK


def test_codes_and_names_unique_and_sorted():
    """No code or name is used twice; rules iterate in code order."""
    codes = [r.code for r in RULES]
    names = [r.name for r in RULES]

    assert codes == sorted(codes)
    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)
