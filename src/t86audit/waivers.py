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

**Waivers written in the report.** A compliance team reviews the findings in the report: the
Excel report's Findings sheet (``--format xlsx``) and the CSV export (``--format csv``) have the
columns ``waiver_reason``, ``waiver_reviewer`` and ``waiver_date``. Filled on the findings the
reviewer accepts and saved, the workbook or the CSV is itself a waivers file, recognised by its
``waiver_reason`` column::

    t86audit audit entries.csv --format xlsx --output review.xlsx
    # fill waiver_reason, waiver_reviewer, waiver_date on the accepted findings; save
    t86audit audit entries.csv --waivers review.xlsx

A row whose three waiver cells are blank is a finding not waived. A rule that flags several lines
of an entry gives a row per line; they are one waiver, so the filled ones must agree. A workbook
(recognised by its bytes, read with the optional ``excel`` extra) is read from its sheet
``Waivers`` if it has one (in either layout), else ``Findings``, else its first; its date cells
are dates, and its row numbers are the worksheet's, as Excel shows them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
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
        row: its 1-based data row in that file (the header not counted); in a workbook, the
            worksheet's row number, as Excel shows it (the header is row 1). A waiver written on
            several findings rows of one entry and rule has the first row's number.
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
    cells: Mapping[str, object],
    source: str,
    row: int | None,
    seen: dict[tuple[str, str], int] | None,
    names: Mapping[str, str] | None = None,
) -> Waiver:
    """Check one waiver's fields and build it.

    ``seen``, if given, catches a repeated (entry, code). ``names`` maps a field to the column
    that errors name (a findings table's ``waiver_reason`` for ``reason``); default the field.
    """
    values = {column: _text(cells.get(column)) for column in WAIVER_COLUMNS}
    raw_date = cells.get("date")

    def fail(column: str, reason: str) -> InputError:
        shown = names[column] if names is not None else column
        return InputError(source, reason, row=row, column=shown, value=values[column])

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
    if seen is not None:
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


_FINDINGS_COLUMNS = {
    "entry_number": "entry_number",
    "code": "code",
    "reason": "waiver_reason",
    "reviewer": "waiver_reviewer",
    "date": "waiver_date",
}
"""A findings table's column for each of a waiver's fields (the report's CSV columns)."""

_PLAIN_COLUMNS = {column: column for column in WAIVER_COLUMNS}

_DECISION = ("reason", "reviewer", "date")
"""The fields a reviewer fills on a finding to waive it."""

_SHEETS = ("waivers", "findings")
"""The worksheets read from a workbook, by preference (else its first)."""

_Row = tuple[int, Sequence[object]]


def read_waivers(source: str | os.PathLike[str] | TextIO, *, encoding: str = "utf-8") -> WaiverSet:
    """Read waivers from a waivers file, a findings table or an ``.xlsx`` workbook.

    Three forms are read (column names matched case-insensitively, other columns ignored):

    - a **waivers file**: CSV with the header ``entry_number,code,reason,reviewer,date``, one
      row per entry and rule; records whose cells are all blank are skipped but keep their
      place in the row numbering;
    - a **findings table**, recognised by its ``waiver_reason`` column: the report's CSV export
      (``--format csv``) with ``waiver_reason``, ``waiver_reviewer`` and ``waiver_date`` filled
      on the findings a reviewer accepts. A row whose three are blank is a finding not waived;
      the rows of one entry and rule (one per line flagged) are one waiver and must agree; the
      ``'`` the report put before a formula-like cell (see
      :func:`t86audit.report.csv.neutralise`) is taken off;
    - an **.xlsx workbook** (recognised by its bytes; needs ``pip install 't86audit[excel]'``):
      its worksheet ``Waivers``, else ``Findings`` (the Excel report's), else its first, in
      either layout. A date cell is a date; row numbers are the worksheet's, as Excel shows them.

    Args:
        source: a path, or an open text stream (CSV only).
        encoding: a CSV file's encoding (decoding is strict; a byte-order mark is accepted).

    Returns:
        The waivers with the file's name and SHA-256.

    Raises:
        InputError: naming the file (and the worksheet), and the row, column and value when one
            is at fault: the file is missing, unreadable, empty or lacks a column; a row has a
            blank entry number, reason or reviewer, a malformed code, a date that is not
            ``YYYY-MM-DD`` (or ``YYYYMMDD``, ``MM/DD/YYYY``), or repeats another row's entry and
            code (in a findings table: with another reason, reviewer or date); a workbook's
            entry number or date is a number cell; openpyxl is missing for a workbook.
    """
    from t86audit.io._csv import read_csv_rows  # noqa: PLC0415
    from t86audit.io._source import read_bytes, read_head, read_source, source_name  # noqa: PLC0415
    from t86audit.io._xlsx import is_xlsx  # noqa: PLC0415

    name = source_name(source, None)
    # Recognised by its first bytes, not its suffix: a report saved under any name is read.
    if isinstance(source, str | os.PathLike) and is_xlsx(read_head(source, name)):
        return _read_workbook(read_bytes(source, name), name)
    text = read_source(source, encoding=encoding, name=name)
    rows = read_csv_rows(text.text, name)
    try:
        _, header = next(rows)
    except StopIteration:
        raise InputError(
            name, f"the waivers file is empty; expected the header {','.join(WAIVER_COLUMNS)}"
        ) from None
    return WaiverSet(_read_table(header, rows, name), name, text.sha256)


def _read_workbook(data: bytes, name: str) -> WaiverSet:
    """The waivers of a workbook's waivers sheet; errors name the worksheet."""
    from t86audit.io._xlsx import open_workbook  # noqa: PLC0415

    with open_workbook(data, name) as workbook:
        worksheets = list(workbook.worksheets)
        if not worksheets:
            raise InputError(name, "the workbook has no worksheet")
        titled = {ws.title.casefold(): ws for ws in worksheets}
        worksheet = next((titled[t] for t in _SHEETS if t in titled), worksheets[0])
        title = worksheet.title
        # The stored dimensions can be wrong (some writers never set them): read every row.
        worksheet.reset_dimensions()
        rows: list[_Row] = [
            (number, values)
            for number, values in enumerate(worksheet.iter_rows(values_only=True), 1)
            if any(_text(value) for value in values)
        ]
    if not rows:
        raise InputError(
            name,
            f"worksheet {title!r} is empty; expected the header {','.join(WAIVER_COLUMNS)} "
            "or the report's Findings columns",
        )
    try:
        header = [_text(cell) for cell in rows[0][1]]
        waivers = _read_table(header, rows[1:], name, sheet=True)
    except InputError as exc:
        raise InputError(
            exc.source,
            f"{exc.reason} (worksheet {title!r})",
            row=exc.row,
            column=exc.column,
            value=exc.value,
        ) from None
    return WaiverSet(waivers, name, hashlib.sha256(data).hexdigest())


def _read_table(
    header: Sequence[str], rows: Iterable[_Row], name: str, *, sheet: bool = False
) -> tuple[Waiver, ...]:
    """The waivers of a table's rows, in the waivers layout or a findings table's.

    ``sheet``: the cells are a worksheet's values (numbers, dates), not CSV text.
    """
    lowered = [cell.strip().lower() for cell in header]
    findings = _FINDINGS_COLUMNS["reason"] in lowered
    names = _FINDINGS_COLUMNS if findings else _PLAIN_COLUMNS
    fields = {column: field for field, column in names.items()}
    positions: dict[str, int] = {}
    for index, column in enumerate(lowered):
        if column in fields:
            if fields[column] in positions:
                raise InputError(name, "the column appears twice in the header", column=column)
            positions[fields[column]] = index
    missing = [names[field] for field in WAIVER_COLUMNS if field not in positions]
    if missing:
        expected = ",".join(names[field] for field in WAIVER_COLUMNS)
        needs = "a findings table (it has waiver_reason) needs" if findings else "expected"
        raise InputError(name, f"the header lacks {', '.join(missing)}; {needs} {expected}")
    seen: dict[tuple[str, str], int] = {}
    merged: dict[tuple[str, str], Waiver] = {}
    waivers: list[Waiver] = []
    for row, cells in rows:
        raw = {field: cells[i] if i < len(cells) else "" for field, i in positions.items()}
        if sheet:
            raw = _sheet_cells(raw, name, row, names)
        if not findings:
            waivers.append(_parse(raw, name, row, seen))
            continue
        raw = {field: _unneutralise(value) for field, value in raw.items()}
        if not any(_text(raw[field]) for field in _DECISION):
            continue  # a finding nobody waived
        waiver = _parse(raw, name, row, None, names)
        first = merged.setdefault((waiver.key, waiver.code), waiver)
        if first is waiver:
            waivers.append(waiver)
        else:
            _check_same(first, waiver, names)
    return tuple(waivers)


def _check_same(first: Waiver, again: Waiver, names: Mapping[str, str]) -> None:
    """A findings table's second row of one entry and rule must repeat the first's decision.

    A rule that flags several lines of an entry gives several findings, but one waiver covers
    them all: their rows may all be filled, alike, or only one of them.
    """
    for field in _DECISION:
        before, now = getattr(first, field), getattr(again, field)
        if before != now:
            shown = now.isoformat() if isinstance(now, dt.date) else now
            earlier = before.isoformat() if isinstance(before, dt.date) else before
            raise InputError(
                again.source,
                f"row {first.row} waives entry {first.entry_number} and {first.code} with "
                f"{names[field]} {earlier!r}: the findings of one entry and rule are one waiver; "
                "give their rows the same reason, reviewer and date, or fill only one",
                row=again.row,
                column=names[field],
                value=shown,
            )


def _sheet_cells(
    raw: Mapping[str, object], name: str, row: int, names: Mapping[str, str]
) -> dict[str, object]:
    """A worksheet row's cells for :func:`_parse`: a date cell is a date, other values text.

    Raises:
        InputError: the entry number or the date is a number cell.
    """
    from t86audit.io._xlsx import excel_cell_text  # noqa: PLC0415

    out: dict[str, object] = {}
    for field, value in raw.items():
        if field == "date" and isinstance(value, dt.date):
            # Excel has no date-only cell: a typed date reads back as a date-time (at midnight,
            # unless a time was typed too; the waiver keeps the day).
            out[field] = value.date() if isinstance(value, dt.datetime) else value
        elif (
            field in _NUMBER_CELL
            and isinstance(value, int | float)
            and not isinstance(value, bool)
        ):
            text = excel_cell_text(value)
            raise InputError(name, _NUMBER_CELL[field], row=row, column=names[field], value=text)
        else:
            out[field] = value if isinstance(value, str) else excel_cell_text(value)
    return out


_NUMBER_CELL = {
    "entry_number": "a number cell, not an entry number: Excel drops the dashes and leading "
    "zeros of a number; type the entry number as text, as filed (B76-0410201-5)",
    "date": "a number cell, not a date: format the cell as a date or type YYYY-MM-DD",
}
"""Why a number cell is refused, by field."""


def _unneutralise(value: object) -> object:
    """Take off the ``'`` that :func:`t86audit.report.csv.neutralise` put before the text."""
    if isinstance(value, str) and value.startswith("'"):
        from t86audit.report.csv import neutralise  # noqa: PLC0415

        # Only the quote the report would have added: the rest must be what it guards against.
        if neutralise(value[1:]) == value:
            return value[1:]
    return value


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
    codes_known: Iterable[str] | None = None,
) -> tuple[tuple[Finding, ...], tuple[UnusedWaiver, ...]]:
    """Mark the findings the waivers cover, and list the waivers that covered nothing.

    Args:
        findings: the audit's findings (their order is kept).
        waivers: the waivers to apply.
        resolve_code: maps a waiver's code (or alias) to the rule's current code.
        entry_keys: the audited entries' keys, to say "entry not audited" for an unused waiver.
        codes_run: the codes of the rules that ran, to say "rule not run".
        codes_known: the codes of every rule installed (aliases resolved), to say "no such
            rule" of a code none has (a typo) rather than "not run".

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
    known = None if codes_known is None else set(codes_known)
    unused = list(repeated)
    for (key, code), waiver in by_key.items():
        if (key, code) in used:
            continue
        if known is not None and code not in known:
            why = f"no rule has the code {code} (`t86audit rules` lists them)"
        elif ran is not None and code not in ran:
            why = f"rule {code} did not run in this audit"
        elif keys is not None and key not in keys:
            why = f"entry {waiver.entry_number} is not in the audited population"
        else:
            why = f"no {code} finding on entry {waiver.entry_number}"
        unused.append(UnusedWaiver(waiver, why))
    position = {id(w): i for i, w in enumerate(given)}
    unused.sort(key=lambda u: position[id(u.waiver)])
    return tuple(out), tuple(unused)
