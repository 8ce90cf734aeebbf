"""The bundled citations, kept as data in ``citations.toml`` and cited by id.

Every legal or guidance source the built-in rules and the policy table rest on is a table of
``citations.toml`` (package data beside this module), keyed by a stable id such as
``"cfr19-10.151"``: its instrument, section, address, note, and the date the domain reference
gives it (:class:`~t86audit.findings.Citation`). Code names a source by its id (:func:`cite`,
:func:`cites`), so the text of a citation, and above all its date, is written once, where it
reads as data rather than as Python.

A table's keys are :class:`~t86audit.findings.Citation`'s: ``instrument`` and ``section``
(required), ``url``, ``note``, ``basis``, ``date``, ``date_kind``, ``date_note``, ``until`` and
``later_note``; ``date`` and ``until`` are TOML dates, and ``later_note = false`` means the
source is not shown at all on an entry it postdates (``None``). A key left out takes the
class's default (``basis`` is then read from the instrument and note). ``like`` names another
table whose keys this one takes where it gives none itself: a second reading of one source
(the T86 FAQ cited for what it says of PGA goods) keeps that source's address and date.

The file is read once, when a citation is first asked for. A table that is not well formed is a
:class:`~t86audit.exceptions.RuleDefinitionError` naming the file, the id, the key and why.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
import types
from collections.abc import Mapping
from typing import Any

from t86audit.exceptions import RuleDefinitionError
from t86audit.findings import Citation
from t86audit.reference._data import package_bytes


__all__ = ["CITATIONS_FILE", "citations", "cite", "cites", "parse_citations"]

CITATIONS_FILE = "citations.toml"
"""The bundled citations (package data of :mod:`t86audit`)."""

USC_1321 = ("usc19-1321-pre-tftea", "usc19-1321")
"""The ids of 19 U.S.C. 1321(a)(2)(C) in its two texts: $200 until 9 Mar 2016, then $800.

A rule cites both; a finding shows the one in force on its entry's date (their ``until`` and
``date`` meet on 10 Mar 2016, when TFTEA sec. 901(c) raised the threshold)."""
CFR_10_151 = ("cfr19-10.151-pre-16-13", "cfr19-10.151")
"""The ids of 19 CFR 10.151 in its two texts: $200 until 25 Aug 2016, then $800.

CBP Dec. 16-13 conformed the regulation to the statute on 26 Aug 2016: an entry of 10 Mar to
25 Aug 2016 is judged by the statute's $800 and shows the regulation as it then read."""

_ID = re.compile(r"[a-z0-9][a-z0-9.()-]*\Z")
_TEXTS = frozenset({"instrument", "section", "url", "note", "basis", "date_kind", "date_note"})
_DATES = frozenset({"date", "until"})
_KEYS = _TEXTS | _DATES | {"later_note", "like"}


def _error(ident: str, reason: str) -> RuleDefinitionError:
    return RuleDefinitionError(f"{CITATIONS_FILE}: [{ident!r}] {reason}")


def _checked(ident: str, table: object) -> dict[str, Any]:
    """A table's keys, each of its kind; the reason it is refused otherwise."""
    if not _ID.match(ident) or not isinstance(table, dict):
        msg = "is not a table named by an id: lower-case letters, digits, dots, dashes, brackets"
        raise _error(ident, msg)
    unknown = sorted(table.keys() - _KEYS)
    if unknown:
        raise _error(ident, f"has unknown key(s) {unknown}; known: {sorted(_KEYS)}")
    for key, value in table.items():
        if key in _TEXTS | {"like"} and not isinstance(value, str):
            raise _error(ident, f"{key} = {value!r} is not a string")
        # A TOML date-time would compare with no arrival date: only a calendar day is a date.
        if key in _DATES and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
            raise _error(ident, f"{key} = {value!r} is not a date (YYYY-MM-DD)")
        if key == "later_note" and value is not False and not isinstance(value, str):
            raise _error(ident, f"later_note = {value!r} is neither a string nor false")
        if key == "url" and not value.startswith(("https://", "http://")):
            raise _error(ident, f"url = {value!r} is not a web address")
    return table


def parse_citations(text: str) -> dict[str, Citation]:
    """The citations of a ``citations.toml`` text, by id, in the order of the file.

    Raises:
        RuleDefinitionError: text that is not TOML (a repeated id among it), a table not named
            by an id, an unknown key, a value of the wrong kind, a ``like`` that names no table
            (or one that is itself like another), a table without an instrument or section,
            or a value :class:`~t86audit.findings.Citation` refuses (an unknown ``date_kind``
            or ``basis``).
    """
    try:
        tables = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        msg = f"{CITATIONS_FILE}: {error}"
        raise RuleDefinitionError(msg) from error
    checked = {ident: _checked(ident, table) for ident, table in tables.items()}
    out: dict[str, Citation] = {}
    for ident, table in checked.items():
        fields = dict(table)
        like = fields.pop("like", None)
        if like is not None:
            base = checked.get(like)
            if base is None or "like" in base:
                raise _error(ident, f"like = {like!r} names no table that stands on its own")
            fields = {**base, **fields}
        missing = sorted({"instrument", "section"} - fields.keys())
        if missing:
            raise _error(ident, f"has no {' or '.join(missing)}")
        if fields.get("later_note") is False:
            fields["later_note"] = None
        try:
            out[ident] = Citation(**fields)
        except ValueError as error:
            raise _error(ident, str(error)) from None
    return out


@functools.cache
def citations() -> Mapping[str, Citation]:
    """The bundled citations by id: ``citations.toml``, read once."""
    parsed = parse_citations(package_bytes(CITATIONS_FILE).decode("utf-8"))
    return types.MappingProxyType(parsed)


def cite(ident: str) -> Citation:
    """The bundled citation ``ident`` (``cite("cfr19-10.151")``).

    Raises:
        RuleDefinitionError: ``citations.toml`` has no table ``ident``.
    """
    try:
        return citations()[ident]
    except KeyError:
        msg = f"{CITATIONS_FILE} has no citation [{ident!r}]"
        raise RuleDefinitionError(msg) from None


def cites(*idents: str) -> tuple[Citation, ...]:
    """The bundled citations ``idents``, in that order (a rule's ``citations``)."""
    return tuple(cite(ident) for ident in idents)
