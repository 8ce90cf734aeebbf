"""Waivers: findings a reviewer has looked at and accepted, with the reason and the reviewer.

A waiver names one entry and one rule code. Every finding of that rule on that entry (all its
lines) is marked waived: it stays in the report, marked, with the reason, and it no longer counts
toward ``--fail-on`` or toward a sample's entries with a violation. A waiver that matches no
finding is not dropped silently: the report lists it as unused, with the reason it matched
nothing, because a stale waiver usually means the data or the rules changed.

The waivers file is CSV with this header (names matched case-insensitively, extra columns
ignored)::

    entry_number,code,reason,reviewer,date
    H3K-0004108-1,VAL001,Corrected by PEA 2024-07-02; value per invoice 780.00,J. Ortiz,2024-07-03

``entry_number`` is matched by its key (dashes, spaces and letter case ignored), ``code`` is a
rule code or one of its aliases, ``reason`` and ``reviewer`` must not be blank, and ``date`` is
a date in one of the forms the entries' dates take (``YYYY-MM-DD``, ``YYYYMMDD`` or U.S.
``MM/DD/YYYY``).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TextIO

import attrs

from t86audit.exceptions import InputError
from t86audit.model import EntryNumber


if TYPE_CHECKING:
    from t86audit.findings import Finding


__all__ = [
    "WAIVER_COLUMNS",
    "UnusedWaiver",
    "Waiver",
    "WaiverSet",
    "apply_waivers",
    "coerce_waivers",
    "read_waivers",
]

WAIVER_COLUMNS = ("entry_number", "code", "reason", "reviewer", "date")
"""The columns of a waivers file, in the documented order."""

_CODE_RE = re.compile(r"^[A-Z]{2,4}[0-9]{3}$")


@attrs.frozen
class Waiver:
    """A reviewer's decision to accept the findings of one rule on one entry.

    Attributes:
        entry_number: the entry number as written in the waiver (matched by key).
        code: the rule code, upper case (an alias is resolved when the waiver is applied).
        reason: why the findings are accepted, in the reviewer's words.
        reviewer: who decided.
        date: when.
        source: the waivers file (or ``"<memory>"``) the waiver came from.
        row: its 1-based data row in that file (the header not counted).
    """

    entry_number: str
    code: str
    reason: str
    reviewer: str
    date: dt.date
    source: str = attrs.field(default="<memory>", eq=False)
    row: int | None = attrs.field(default=None, eq=False)

    @property
    def key(self) -> str:
        """The entry-number key the waiver matches (see :attr:`EntryNumber.key`)."""
        return EntryNumber(self.entry_number).key

    def to_dict(self) -> dict[str, Any]:
        """The waiver as JSON-ready data."""
        return {
            "entry_number": self.entry_number,
            "code": self.code,
            "reason": self.reason,
            "reviewer": self.reviewer,
            "date": self.date.isoformat(),
            "source": self.source,
            "row": self.row,
        }


@attrs.frozen
class UnusedWaiver:
    """A waiver that matched no finding, and why."""

    waiver: Waiver
    why: str


@attrs.frozen
class WaiverSet:
    """The waivers read from one file (or given in memory) and where they came from.

    Attributes:
        waivers: the waivers, in file order.
        source: the file path as given, or ``"<memory>"``.
        sha256: SHA-256 of the file's bytes (``""`` for in-memory waivers or a stream).
    """

    waivers: tuple[Waiver, ...]
    source: str = "<memory>"
    sha256: str = ""


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _parse(
    cells: Mapping[str, object], source: str, row: int | None, seen: dict[tuple[str, str], int]
) -> Waiver:
    """Check one waiver's fields and build it; ``seen`` catches a repeated (entry, code)."""
    values = {column: _text(cells.get(column)) for column in WAIVER_COLUMNS}
    raw_date = cells.get("date")

    def fail(column: str, reason: str) -> InputError:
        return InputError(source, reason, row=row, column=column, value=values[column])

    if not values["entry_number"]:
        raise fail("entry_number", "the entry number is blank")
    code = values["code"].upper()
    if not _CODE_RE.match(code):
        raise fail("code", "not a rule code (2-4 letters and 3 digits, e.g. VAL001)")
    for column in ("reason", "reviewer"):
        if not values[column]:
            raise fail(column, f"the {column} is blank; a waiver must say why and who")
    if isinstance(raw_date, dt.datetime):
        raise fail("date", "a waiver date is a date, not a date-time")
    if isinstance(raw_date, dt.date):
        date = raw_date
    else:
        from t86audit.io._values import CellError, parse_date  # noqa: PLC0415

        if not values["date"]:
            raise fail("date", "the date is blank; a waiver must say when it was decided")
        # The forms the entries' dates take: a reviewer's spreadsheet writes U.S. dates.
        try:
            date = parse_date(values["date"])
        except CellError as exc:
            raise fail("date", exc.message) from None
    key = (EntryNumber(values["entry_number"]).key, code)
    if key in seen:
        where = f"row {seen[key]}" if seen[key] else "an earlier waiver"
        raise fail(
            "code", f"a second waiver for entry {values['entry_number']} and {code} ({where})"
        )
    seen[key] = row or 0
    return Waiver(
        entry_number=values["entry_number"],
        code=code,
        reason=values["reason"],
        reviewer=values["reviewer"],
        date=date,
        source=source,
        row=row,
    )


def read_waivers(source: str | os.PathLike[str] | TextIO, *, encoding: str = "utf-8") -> WaiverSet:
    """Read a waivers file (CSV, header ``entry_number,code,reason,reviewer,date``).

    Records whose cells are all blank are skipped but keep their place in the row numbering.

    Args:
        source: a path, or an open text stream.
        encoding: the file's encoding (decoding is strict; a byte-order mark is accepted).

    Returns:
        The waivers with the file's name and SHA-256.

    Raises:
        InputError: naming the file, and the row, column and value when one is at fault: the
            file is missing, unreadable, empty or lacks a column; a row has a blank entry
            number, reason or reviewer, a malformed code, a date that is not ``YYYY-MM-DD``,
            or repeats another row's entry and code.
    """
    from t86audit.io._csv import read_csv_rows  # noqa: PLC0415
    from t86audit.io._source import read_source, source_name  # noqa: PLC0415

    name = source_name(source, None)
    text = read_source(source, encoding=encoding, name=name)
    rows = read_csv_rows(text.text, name)
    try:
        _, header = next(rows)
    except StopIteration:
        raise InputError(
            name, f"the waivers file is empty; expected the header {','.join(WAIVER_COLUMNS)}"
        ) from None
    positions: dict[str, int] = {}
    for index, cell in enumerate(header):
        column = cell.strip().lower()
        if column in WAIVER_COLUMNS:
            if column in positions:
                raise InputError(name, "the column appears twice in the header", column=column)
            positions[column] = index
    missing = [c for c in WAIVER_COLUMNS if c not in positions]
    if missing:
        raise InputError(
            name,
            f"the header lacks {', '.join(missing)}; expected {','.join(WAIVER_COLUMNS)}",
        )
    seen: dict[tuple[str, str], int] = {}
    waivers = [
        _parse(
            {c: cells[i] if i < len(cells) else "" for c, i in positions.items()},
            name,
            row,
            seen,
        )
        for row, cells in rows
    ]
    return WaiverSet(tuple(waivers), name, text.sha256)


def coerce_waivers(
    waivers: str | os.PathLike[str] | WaiverSet | Iterable[Waiver | Mapping[str, Any]] | None,
) -> WaiverSet:
    """Turn what :func:`t86audit.audit` accepts as ``waivers`` into a checked :class:`WaiverSet`.

    A path is read with :func:`read_waivers`; :class:`Waiver` objects and mappings with the
    file's column names are checked as a file's rows are (row = position, 1-based).

    Raises:
        InputError: as :func:`read_waivers`, with source ``"waivers"`` for in-memory waivers.
    """
    if waivers is None:
        return WaiverSet(())
    if isinstance(waivers, WaiverSet):
        return waivers
    if isinstance(waivers, str | os.PathLike):
        return read_waivers(waivers)
    seen: dict[tuple[str, str], int] = {}
    out: list[Waiver] = []
    for index, item in enumerate(waivers, start=1):
        if isinstance(item, Waiver):
            cells: Mapping[str, object] = {
                "entry_number": item.entry_number,
                "code": item.code,
                "reason": item.reason,
                "reviewer": item.reviewer,
                "date": item.date,
            }
        elif isinstance(item, Mapping):
            cells = item
        else:
            raise InputError(
                "waivers",
                f"expected a Waiver or a mapping, got {type(item).__name__}",
                row=index,
            )
        out.append(_parse(cells, "waivers", index, seen))
    return WaiverSet(tuple(out))


def apply_waivers(
    findings: Sequence[Finding],
    waivers: Iterable[Waiver],
    *,
    resolve_code: Callable[[str], str] | None = None,
    entry_keys: Iterable[str] | None = None,
    codes_run: Iterable[str] | None = None,
) -> tuple[tuple[Finding, ...], tuple[UnusedWaiver, ...]]:
    """Mark the findings the waivers cover, and list the waivers that covered nothing.

    Args:
        findings: the audit's findings (their order is kept).
        waivers: the waivers to apply.
        resolve_code: maps a waiver's code (or alias) to the rule's current code.
        entry_keys: the audited entries' keys, to say "entry not audited" for an unused waiver.
        codes_run: the codes of the rules that ran, to say "rule not run".

    Returns:
        The findings (waived ones replaced by copies with ``waived=True`` and the reason) and
        the unused waivers.
    """
    given = list(waivers)
    by_key: dict[tuple[str, str], Waiver] = {}
    repeated: list[UnusedWaiver] = []
    for waiver in given:
        code = resolve_code(waiver.code) if resolve_code is not None else waiver.code
        first = by_key.setdefault((waiver.key, code), waiver)
        if first is not waiver:
            # Two codes that are aliases of one rule: the first waiver decides.
            where = f"row {first.row}" if first.row is not None else "an earlier waiver"
            repeated.append(UnusedWaiver(waiver, f"repeats the waiver for {code} at {where}"))
    used: set[tuple[str, str]] = set()
    out: list[Finding] = []
    for finding in findings:
        match = (EntryNumber(finding.entry_number).key, finding.code)
        covering = by_key.get(match)
        if covering is None:
            out.append(finding)
            continue
        used.add(match)
        out.append(attrs.evolve(finding, waived=True, waiver_reason=covering.reason))
    keys = None if entry_keys is None else set(entry_keys)
    ran = None if codes_run is None else set(codes_run)
    unused = list(repeated)
    for (key, code), waiver in by_key.items():
        if (key, code) in used:
            continue
        if ran is not None and code not in ran:
            why = f"rule {code} did not run in this audit"
        elif keys is not None and key not in keys:
            why = f"entry {waiver.entry_number} is not in the audited population"
        else:
            why = f"no {code} finding on entry {waiver.entry_number}"
        unused.append(UnusedWaiver(waiver, why))
    position = {id(w): i for i, w in enumerate(given)}
    unused.sort(key=lambda u: position[id(u.waiver)])
    return tuple(out), tuple(unused)
