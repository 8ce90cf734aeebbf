"""The built-in rules' prose is in rules/catalog.toml: a table for every rule, a rule for each."""

import tomllib
import typing
from collections.abc import Iterator

import pytest

from t86audit.exceptions import RuleDefinitionError
from t86audit.findings import Citation, Hit
from t86audit.reference._data import package_bytes
from t86audit.rules import BUILTIN_PACK, Example, RuleContext, RuleProse, rule
from t86audit.rules._catalog import (
    CATALOG_FILE,
    about,
    builtin_rule,
    catalog,
    check_catalog,
    parse_catalog,
)
from t86audit.rules._examples import num, population


CITE = [Citation("19 CFR", "10.151")]


def _examples():
    return [
        Example("flag", lambda: population({}), flagged=[num(1)]),
        Example("pass", lambda: population({})),
    ]


def _check(entry, ctx: RuleContext) -> Iterator[Hit]:
    yield from ()


def test_every_built_in_rule_has_a_table_and_every_table_a_rule():
    assert sorted(catalog()) == sorted(r.code for r in BUILTIN_PACK.rules)
    check_catalog(r.code for r in BUILTIN_PACK.rules)


def test_each_rule_says_what_its_table_says():
    for r in BUILTIN_PACK.rules:
        table = catalog()[r.code]
        assert table["name"] == r.name
        assert table["severity"] == r.severity.value
        assert table["summary"] == r.summary
        assert table["rationale"] == r.rationale
        assert table["reasonable_care"] == r.reasonable_care
        assert table.get("limitations", "") == r.limitations
        assert table.get("basis", r.basis) == r.basis


def test_the_catalog_is_read_from_the_package_data():
    text = package_bytes("rules", CATALOG_FILE).decode("utf-8")
    assert tomllib.loads(text).keys() == catalog().keys()


def test_a_built_in_rule_without_a_table_fails_when_declared():
    with pytest.raises(RuleDefinitionError, match=r"VAL999 has no table \[VAL999\]"):
        builtin_rule("VAL999", citations=CITE, examples=_examples())


def test_a_table_for_no_rule_fails_loudly():
    codes = [r.code for r in BUILTIN_PACK.rules if r.code != "VAL001"]
    with pytest.raises(RuleDefinitionError, match=r"describes \['VAL001'\], which no built-in"):
        check_catalog(codes)


def test_prose_given_both_in_the_catalog_and_the_decorator_is_refused():
    with pytest.raises(TypeError, match="summary"):
        builtin_rule(
            "VAL001",
            citations=CITE,
            examples=_examples(),
            summary="Another summary.",  # type: ignore[call-arg]
        )


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (
            '[VAL001]\nname = "a"\nexamples = "x"\n',
            r"\[VAL001\] has unknown key\(s\) \['examples'\]",
        ),
        ('[value]\nname = "a"\n', "'value' is not a table named by a rule code"),
        ("[VAL001]\nseverity = 3\n", r"\[VAL001\] has a value that is not a string"),
        ('[VAL001\nname = "a"\n', "catalog.toml: "),
    ],
)
def test_a_malformed_catalog_is_refused(text, match):
    with pytest.raises(RuleDefinitionError, match=match):
        parse_catalog(text)


def test_a_text_written_across_lines_is_one_paragraph():
    text = "[VAL001]\nrationale = '''\nOne\n  two,  three.\n'''\n"
    assert parse_catalog(text)["VAL001"]["rationale"] == "One two, three."


def test_about_gives_the_prose_rule_takes():
    prose: RuleProse = about("VAL002")
    declared = rule("VAL002", citations=CITE, examples=_examples(), **prose)(_check)
    built_in = next(r for r in BUILTIN_PACK.rules if r.code == "VAL002")
    assert (declared.name, declared.summary, declared.limitations) == (
        built_in.name,
        built_in.summary,
        built_in.limitations,
    )


def test_a_pack_still_passes_its_prose_as_keywords():
    declared = rule(
        "ACM001",
        name="acme-check",
        severity="warning",
        citations=CITE,
        summary="Acme's check.",
        rationale="Why.",
        reasonable_care="What to do.",
        limitations="Some.",
        examples=_examples(),
    )(_check)
    assert (declared.name, declared.summary, declared.limitations) == (
        "acme-check",
        "Acme's check.",
        "Some.",
    )


def test_the_rule_decorator_s_annotations_resolve_at_run_time() -> None:
    """Documentation tools and run-time checkers read rule()'s annotations (its Check alias)."""
    hints = typing.get_type_hints(rule)
    assert "return" in hints
