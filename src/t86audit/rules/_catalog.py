"""The built-in rules' prose, kept in ``catalog.toml`` beside their code.

What a built-in rule says (its name, severity, summary, rationale, reasonable-care note,
limitations, and its basis where it rests on a weaker source than it cites: a
:class:`~t86audit.rules.RuleProse`) is a table of ``catalog.toml``, one per rule code, where
it reads as text rather than as Python. The rule's module keeps what runs (the check, its
citations, options and examples: a :class:`~t86audit.rules.RuleCode`) and declares the rule with
:func:`builtin_rule` or :func:`builtin_group_rule`, which take the prose from the catalog by
code. A rule pack passes all of its metadata to :func:`~t86audit.rules.rule` as keywords.

The catalog is read once, when the first built-in rule is declared. A built-in rule without a
table, a table for no built-in rule (:func:`check_catalog`) or a table with an unknown key is
a :class:`~t86audit.exceptions.RuleDefinitionError` when the rules are imported.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Literal, Unpack, cast

from t86audit.exceptions import RuleDefinitionError
from t86audit.reference._data import package_bytes
from t86audit.rules._base import CODE_RE, RuleCode, RuleProse, group_rule, rule


if TYPE_CHECKING:
    from t86audit.rules._base import (
        Check,
        Finish,
        Fold,
        Keys,
        NeedsTwo,
        Rule,
        SameEveryDay,
        Variant,
    )


__all__ = [
    "CATALOG_FILE",
    "about",
    "builtin_group_rule",
    "builtin_rule",
    "catalog",
    "check_catalog",
    "parse_catalog",
]

CATALOG_FILE = "catalog.toml"
"""The built-in rules' prose (package data of :mod:`t86audit.rules`)."""

_KEYS = RuleProse.__required_keys__ | RuleProse.__optional_keys__


def parse_catalog(text: str) -> dict[str, RuleProse]:
    """The tables of a catalog's text, by rule code, each checked for its keys.

    A text is one paragraph: its line breaks and other runs of white space read as one space.

    Raises:
        RuleDefinitionError: a table named by no rule code, a key that is not prose, or a value
            that is not a string.
    """
    try:
        tables = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        msg = f"{CATALOG_FILE}: {error}"
        raise RuleDefinitionError(msg) from error
    for code, table in tables.items():
        if not CODE_RE.match(code) or not isinstance(table, dict):
            msg = f"{CATALOG_FILE}: {code!r} is not a table named by a rule code"
            raise RuleDefinitionError(msg)
        unknown = sorted(table.keys() - _KEYS)
        if unknown:
            msg = f"{CATALOG_FILE}: [{code}] has unknown key(s) {unknown}; known: {sorted(_KEYS)}"
            raise RuleDefinitionError(msg)
        if not all(isinstance(value, str) for value in table.values()):
            msg = f"{CATALOG_FILE}: [{code}] has a value that is not a string"
            raise RuleDefinitionError(msg)
        # One paragraph a text: written across lines, read with its white space folded.
        tables[code] = {key: " ".join(value.split()) for key, value in table.items()}
    return cast("dict[str, RuleProse]", tables)


@functools.cache
def catalog() -> Mapping[str, RuleProse]:
    """The built-in rules' prose, by code: ``catalog.toml``, read once."""
    return parse_catalog(package_bytes("rules", CATALOG_FILE).decode("utf-8"))


def about(code: str) -> RuleProse:
    """The prose of the built-in rule ``code``.

    Raises:
        RuleDefinitionError: the catalog has no table for ``code``.
    """
    try:
        return catalog()[code]
    except KeyError:
        msg = f"built-in rule {code} has no table [{code}] in rules/{CATALOG_FILE}"
        raise RuleDefinitionError(msg) from None


def check_catalog(codes: Iterable[str]) -> None:
    """Refuse catalog tables for codes that no built-in rule among ``codes`` has.

    Raises:
        RuleDefinitionError: naming the tables no rule reads.
    """
    unread = sorted(catalog().keys() - set(codes))
    if unread:
        msg = f"rules/{CATALOG_FILE} describes {unread}, which no built-in rule declares"
        raise RuleDefinitionError(msg)


class _BuiltinRule(RuleCode, total=False):
    """What a built-in line or entry rule declares in its decorator (:func:`builtin_rule`)."""

    scope: Literal["line", "entry"]
    reads: Iterable[str] | None
    same_every_day: SameEveryDay | None


class _RequiredGroup(RuleCode):
    keys: Keys


class _BuiltinGroupRule(_RequiredGroup, total=False):
    """What a built-in group rule declares in its decorator (:func:`builtin_group_rule`)."""

    fold: Fold | None
    needs_two: NeedsTwo
    variant: Variant | None


def builtin_rule(code: str, /, **arguments: Unpack[_BuiltinRule]) -> Callable[[Check], Rule]:
    """:func:`~t86audit.rules.rule` for a built-in rule, its prose taken from the catalog.

    Raises:
        TypeError: ``arguments`` name prose the catalog gives (as :func:`rule` would refuse a
            keyword given twice).
    """
    return rule(code, **arguments, **about(code))


def builtin_group_rule(
    code: str, /, **arguments: Unpack[_BuiltinGroupRule]
) -> Callable[[Finish], Rule]:
    """:func:`~t86audit.rules.group_rule` for a built-in rule, its prose from the catalog."""
    return group_rule(code, **arguments, **about(code))
