"""The row pipeline shared by every loader: parse a row, add it to its entry, build the entries.

A loader turns its input into rows of cell texts laid out by a
:class:`~t86audit.io._columns.ColumnPlan` and feeds them to an :class:`EntryAssembler`, one
row at a time. The assembler parses each row once, groups rows by entry number (rows of one
entry need not be adjacent), checks that the rows of an entry agree on the entry-level fields,
and finally builds one :class:`~t86audit.model.Entry` per group, or rejects the group whole.
Reading a row (:meth:`EntryAssembler.add_row`) and building the entries
(:meth:`EntryAssembler.finish`) are separate steps so that a streaming loader can reuse them.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import NamedTuple, cast

import attrs

from t86audit.exceptions import InputError
from t86audit.io._columns import (
    ENTRY_LEVEL_COLUMNS,
    LINE_LEVEL_COLUMNS,
    ColumnPlan,
    normalize_header,
)
from t86audit.io._result import LoadError, LoadResult, SourceInfo
from t86audit.io._values import (
    DATE_FORMATS,
    CellError,
    clip,
    escape_surrogates,
    find_surrogate,
    parse_amount,
    parse_date,
    parse_datetime,
    parse_eda,
    parse_int,
    parse_number,
    without_decimal_option,
)
from t86audit.model import (
    T86_TYPE,
    Entry,
    EntryNumber,
    LineItem,
    Party,
    entry_number_key,
    split_hts_numbers,
)
from t86audit.normalize import is_placeholder


__all__ = ["EntryAssembler"]

# entry_number is the grouping key itself: rows whose numbers differ only in dashes, spaces or
# letter case belong to one entry, so its spelling is not compared.
_SHARED_COLUMNS = ENTRY_LEVEL_COLUMNS[1:]
_MAX_LISTED_ROWS = 5
# The entry-level fields compared by the value they are read as, not as written.
_DATED_FIELDS: dict[str, Callable[[str], object]] = {
    "arrival_date": parse_date,
    # The instant, in UTC: two aware times in two zones never compare equal when one of them
    # falls in the hour the clocks go back (PEP 495), though they name the same instant.
    "filed_at": lambda text: _instant(parse_datetime(text)),
    "estimated_arrival_date": parse_eda,
}


def _instant(moment: dt.datetime | None) -> dt.datetime | None:
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(dt.UTC)


_INCONSISTENT = "either one entry filed inconsistently or two entries sharing an entry number"
# The entry-level fields an Entry is built from (after the number and type), in that order.
_ENTRY_FIELDS = ENTRY_LEVEL_COLUMNS[2:]
# An HTS number a spreadsheet stored as a number and wrote in exponent notation
# ("6.1091E+09", pandas' "6.1091e+09"): its digits are lost, so it is not data as filed but
# a load error. Looked for only in a cell holding "+", which no HTS number has.
_EXPONENT_HTS_RE = re.compile(r"[0-9]+(?:\.[0-9]*)?[eE]\+[0-9]+")
# A totals or footer row at the bottom of an export ("Total", "Grand total:", "Total USD"):
# said in the message of a row that cannot be an entry's (looked for only in such a row).
_TOTAL_RE = re.compile(r"(?:grand\s*|sub-?\s*)?totals?(?:\s+\w+)?\s*:?", re.IGNORECASE)


class _Header(NamedTuple):
    """The parsed entry-level fields of an entry (from its first readable row)."""

    arrival_date: dt.date
    filed_at: dt.datetime | None
    estimated_arrival_date: dt.date | None
    texts: tuple[str, ...]
    """The entry-level cells, stripped, in the order of the assembler's shared columns."""
    extra: dict[str, str]


class _Problem(NamedTuple):
    """Why a row cannot be loaded: the LoadError fields other than source and row."""

    column: str | None
    value: str | None
    message: str


class _Group:
    """The rows read so far for one entry number (one record, for JSON input)."""

    __slots__ = (
        "disagreement",
        "header",
        "header_problem",
        "labels",
        "lines",
        "number",
        "problems",
        "raw",
        "row_texts",
        "rows",
        "texts",
        "texts_label",
    )

    def __init__(self, number: str) -> None:
        self.number = number
        self.rows: list[int] = []
        self.labels: list[str | None] = []
        self.lines: list[LineItem | None] = []
        self.problems: list[_Problem | None] = []
        # Each row's entry-level texts; rows that agree share the group's tuple object.
        self.row_texts: list[tuple[str, ...] | None] = []
        self.texts: tuple[str, ...] | None = None
        # The first row's entry-level cells as filed: a row whose cells are the very same
        # needs no stripping to agree (the usual case).
        self.raw: tuple[str, ...] | None = None
        self.texts_label = ""
        self.header: _Header | None = None
        self.header_problem: _Problem | None = None
        self.disagreement: tuple[int, str, str] | None = None

    @property
    def rejected(self) -> bool:
        return (
            self.header_problem is not None
            or self.disagreement is not None
            or any(problem is not None for problem in self.problems)
        )


class EntryAssembler:
    """Turns rows of cell texts into entries and load errors, keeping every row accounted for.

    Row numbers are 1-based data rows: the header is not counted, so data row 1 is the second
    line of a simple CSV file. JSON input numbers its records instead.

    Args:
        source: the source name stamped on entries and errors.
        plan: where each column sits in a row.
        strict: raise :class:`~t86audit.exceptions.RowError` at the first problem.
        sha256: the hash of the source's bytes (``""`` for in-memory sources).
    """

    def __init__(self, source: str, plan: ColumnPlan, *, strict: bool, sha256: str = "") -> None:
        self.source = source
        self.strict = strict
        self.sha256 = sha256
        self.rows_read = 0
        self.delimited_text = True
        """Whether the rows are a CSV file's: its messages may advise ``decimal=','``, which
        only a CSV file takes (a workbook, JSON, records or a DataFrame set it ``False``)."""
        self._groups: dict[object, _Group] = {}
        # The entry of the last row with an entry number: a row of line data right after it
        # with a blank number is its continuation (see add_row).
        self._last_group: _Group | None = None
        self._loose: list[LoadError] = []
        self._width = plan.width
        self._extra = plan.extra
        positions = plan.positions
        self._entry_number = positions.get("entry_number", -1)
        self._shared = tuple(name for name in _SHARED_COLUMNS if name in positions)
        shared_index = [positions[name] for name in self._shared]
        # itemgetter picks every entry-level cell in one C call, but with a single index it
        # returns the bare cell rather than a tuple, so that case builds the tuple itself.
        self._pick_shared: Callable[[Sequence[str]], tuple[str, ...]] = (
            operator.itemgetter(*shared_index)
            if len(shared_index) > 1
            else lambda cells: tuple(cells[i] for i in shared_index)
        )
        self._line_index = tuple(positions.get(name, -1) for name in LINE_LEVEL_COLUMNS)
        # Where the entry's fields sit in a header's texts; a column the input lacks reads
        # the blank appended after them (index -1).
        at = {name: i for i, name in enumerate(self._shared)}
        self._entry_index = tuple(at.get(name, -1) for name in _ENTRY_FIELDS)
        self._arrival_at = at.get("arrival_date", -1)
        self._filed_at = at.get("filed_at", -1)
        self._eda_at = at.get("estimated_arrival_date", -1)
        self._type_at = at.get("entry_type", -1)
        # Entry-level references a spreadsheet may have written in exponent notation.
        self._references_at = tuple(
            (name, at[name]) for name in ("bill_of_lading", "port_code") if name in at
        )
        self._names = {index: name for name, index in positions.items()}
        self._names.update(plan.extra)
        self._header = plan.header
        # A column the file heads otherwise (through a mapping): its errors name that header
        # too, so a user can find the column in the file they know.
        header = plan.header or ()
        self._headed = {
            name: header[index].strip()
            for name, index in positions.items()
            if 0 <= index < len(header) and normalize_header(header[index]) != name
        }

    # -- step 1: read a row ----------------------------------------------------------------

    def add_row(
        self,
        row: int,
        cells: Sequence[str],
        *,
        label: str | None = None,
        group: object = None,
        extra: Mapping[str, str] | None = None,
    ) -> None:
        """Read one data row and add it to its entry.

        Args:
            row: the 1-based data row (header not counted), or JSON record number.
            cells: the row's cell texts, laid out as the plan says.
            label: how messages name the row when ``row`` alone does not (JSON: ``"line 2"``).
            group: the grouping key; by default the entry number's :attr:`EntryNumber.key`.
            extra: the entry's non-canonical fields, if not taken from the plan's columns.

        Raises:
            RowError: in strict mode, if the row cannot be loaded.
            InputError: the platform lacks the U.S. Eastern time zone.
        """
        self.rows_read += 1
        ragged = len(cells) != self._width
        i_number = self._entry_number
        number = cells[i_number].strip() if 0 <= i_number < len(cells) else ""
        # An ASCII row holds no surrogate (find_surrogate's own first test), so the usual
        # row skips the call.
        if (extra is not None or not "".join(cells).isascii()) and self._reject_surrogates(
            row, cells, label=label, group=group, number=number, extra=extra
        ):
            return
        if ("+" in number or number[:1] in "GgSsTt") and self._not_an_entry(
            row, label, number, cells
        ):
            return
        if not number:
            name = label or f"row {row}"
            if not ragged and self._continuation(row, label, cells):
                return
            if ragged:
                self._reject_loose(row, label, self._ragged(cells, name))
            else:
                self._reject_loose(
                    row,
                    label,
                    _Problem(
                        "entry_number",
                        number,
                        "entry_number is blank, so the row cannot be assigned to an entry"
                        + _totals_hint(cells),
                    ),
                )
            return
        entry = self._group(group if group is not None else entry_number_key(number), number)
        if ragged:
            name = label or f"row {row}"
            self._add(
                entry,
                row=row,
                label=label,
                line=None,
                problem=self._ragged(cells, name),
                texts=None,
            )
            return
        raw = self._pick_shared(cells)
        if entry.texts is None:
            texts = entry.texts = tuple(map(str.strip, raw))
            entry.raw = raw
            entry.texts_label = label or f"row {row}"
            parsed = self._parse_header(texts, cells, extra)
            if isinstance(parsed, _Problem):
                parsed = self._explain(parsed, cells)
                entry.header_problem = parsed
                self._raise_if_strict(row, label, parsed)
            else:
                entry.header = parsed
        elif raw == entry.raw:
            texts = entry.texts
        else:
            texts = tuple(map(str.strip, raw))
            if texts == entry.texts or self._same_when_read(entry.texts, texts):
                texts = entry.texts
        line = self._parse_line(cells, row)
        if isinstance(line, _Problem):
            self._add(entry, row=row, label=label, line=None, problem=line, texts=texts)
        elif (
            entry.lines
            and texts is entry.texts
            # (None until numbered by position at build: a blank line number)
            and cast("object", line.line_number) is not None
            and self._repeated(entry, line, label)
        ):
            return  # the same row twice: counted once (a load error says so)
        else:
            # _add, written out: this is every good row's path.
            entry.rows.append(row)
            entry.labels.append(label)
            entry.lines.append(line)
            entry.problems.append(None)
            entry.row_texts.append(texts)
        if texts is not entry.texts and entry.disagreement is None:
            name = label or f"row {row}"
            entry.disagreement = index, field, message = self._disagreement(entry, texts, name)
            self._raise_if_strict(row, label, _Problem(field, texts[index], message))

    def _repeated(self, entry: _Group, line: LineItem, label: str | None) -> bool:
        """Reject ``line``'s row if it repeats an earlier row of its entry cell for cell.

        Exports put together from overlapping pieces (two downloads of one day, a file pasted
        after itself) hold some rows twice. Added again, the row's value would count twice
        towards the threshold (a violation that is not in the filing); its entry keeps the
        row once and a load error names both rows. Only a row with a line number is compared:
        two rows without one are two lines, numbered by their positions.
        """
        number = line.line_number
        row = line.source_row or 0
        for index, earlier in enumerate(entry.lines):
            if (
                earlier is not None
                and earlier.line_number == number
                and entry.row_texts[index] is entry.texts
                and attrs.evolve(line, source_row=earlier.source_row) == earlier
            ):
                first = entry.labels[index] or f"row {entry.rows[index]}"
                self._reject_loose(
                    row,
                    label,
                    _Problem(
                        "line_number",
                        str(number),
                        f"the row repeats {first} of entry {clip(entry.number)} cell for cell "
                        f"(line {number}): the export holds the row twice, so the entry counts "
                        "it once; if the line was filed twice, give the second its own line "
                        "number",
                    ),
                )
                return True
        return False

    def _reject_surrogates(
        self,
        row: int,
        cells: Sequence[str],
        *,
        label: str | None,
        group: object,
        number: str,
        extra: Mapping[str, str] | None,
    ) -> bool:
        """Reject a row holding an unpaired surrogate (see :func:`find_surrogate`)."""
        index = find_surrogate(cells)
        if index >= 0:
            column = self._names.get(index)
            value = cells[index].strip()
        else:
            if extra is None:
                return False
            keys = list(extra)
            index = find_surrogate([*keys, *extra.values()])
            if index < 0:
                return False
            key = keys[index % len(keys)]
            column, value = escape_surrogates(key), extra[key]
        problem = _Problem(
            column,
            escape_surrogates(value),
            f"{column or 'a field'} holds an unpaired surrogate code point (shown as \\uXXXX), "
            "which is not a character: a broken escape in JSON or text decoded the wrong way; "
            "fix the value at its source",
        )
        if find_surrogate([number]) >= 0:
            number = ""
        if group is not None or number:
            entry = self._group(group if group is not None else entry_number_key(number), number)
            self._add(entry, row=row, label=label, line=None, problem=problem, texts=None)
        else:
            self._reject_loose(row, label, problem)
        return True

    def reject_row(
        self,
        row: int,
        column: str | None,
        value: str | None,
        message: str,
        *,
        label: str | None = None,
        group: object = None,
        number: str = "",
    ) -> None:
        """Count a row that cannot even be laid out as cells, and reject it.

        With ``group``, the row belongs to that entry (JSON record), which is then rejected
        whole; without it the row stands alone.

        Raises:
            RowError: in strict mode.
        """
        self.rows_read += 1
        problem = _Problem(column, value, message)
        if group is None:
            self._reject_loose(row, label, problem)
        else:
            entry = self._group(group, number)
            self._add(entry, row=row, label=label, line=None, problem=problem, texts=None)

    def _group(self, key: object, number: str) -> _Group:
        entry = self._groups.get(key)
        if entry is None:
            entry = self._groups[key] = _Group(number)
        self._last_group = entry
        return entry

    def _not_an_entry(
        self, row: int, label: str | None, number: str, cells: Sequence[str]
    ) -> bool:
        """Reject a row whose entry number is not one; return whether it was rejected.

        A spreadsheet's exponent notation (``1.23457E+10``, its digits lost), or a totals or
        footer row's word ("Grand Total:"), dated or not.
        """
        if _EXPONENT_HTS_RE.fullmatch(number):
            problem = _Problem("entry_number", number, _digits_lost(number))
        elif _TOTAL_RE.fullmatch(number):
            problem = _Problem(
                "entry_number", number, "entry_number is not an entry number" + _totals_hint(cells)
            )
        else:
            return False
        self._reject_loose(row, label, problem)
        return True

    def add_bad_row(self, row: int, cells: Sequence[str], index: int, why: str) -> None:
        """Count a row whose cell ``index`` holds no value, as a load error of its entry.

        The entry is rejected whole, as for any row that cannot be read.
        """
        self.rows_read += 1
        i_number = self._entry_number
        number = cells[i_number].strip() if 0 <= i_number < len(cells) else ""
        column = self._names.get(index)
        value = cells[index] if 0 <= index < len(cells) else ""
        problem = _Problem(column, value, f"{column or 'a cell'} {why}")
        if not number or index == i_number:
            self._reject_loose(row, None, problem)
            return
        self._add(
            self._group(entry_number_key(number), number),
            row=row,
            label=None,
            line=None,
            problem=problem,
            texts=None,
        )

    def _continuation(self, row: int, label: str | None, cells: Sequence[str]) -> bool:
        """Add a row without an entry number to the entry above it, if it continues that one.

        A report-style export (or merged cells in a workbook) gives an entry's number on its
        first row only. The row belongs to that entry, which cannot be audited without it: the
        entry is rejected whole, never audited in part. Returns whether the row was taken.
        """
        last = self._last_group
        if (
            last is None
            or not self._holds_line_data(cells)
            or not self._continues(last, cells)
            or _totals_hint(cells)
        ):
            return False
        self._add(
            last,
            row=row,
            label=label,
            line=None,
            problem=_Problem(
                "entry_number",
                "",
                # Quoted, as every text of the file a message repeats: the entry before may
                # be a label row's text (redaction replaces quoted row texts).
                f"entry_number is blank on a row of line data right after the rows of entry "
                f"{clip(last.number)!r}: a continuation row (merged cells or a report layout?); "
                "fill the entry number down, so that the entry is audited with every line",
            ),
            texts=None,
        )
        return True

    def _continues(self, last: _Group, cells: Sequence[str]) -> bool:
        """Whether a row's entry-level cells are blank or those of ``last``: its continuation.

        A row that gives other entry-level data (another bill, another date) is an entry of
        its own whose number is missing, not a line of ``last``.
        """
        texts = last.texts
        for i, text in enumerate(map(str.strip, self._pick_shared(cells))):
            if text and (texts is None or text != texts[i]):
                return False
        return True

    def _holds_line_data(self, cells: Sequence[str]) -> bool:
        """Whether a row gives a line's description or HTS number (a totals row does not)."""
        for i in (self._line_index[1], self._line_index[2]):
            if 0 <= i < len(cells) and cells[i].strip():
                return True
        return False

    def _parse_line(self, cells: Sequence[str], row: int) -> LineItem | _Problem:
        """The row's line item (its ``line_number`` ``None`` when blank, numbered at build)."""
        i_line, i_desc, i_hts, i_coo, i_value, i_qty, i_unit, i_weight, i_ref, i_add = (
            self._line_index
        )
        column = "line_number"
        text = cells[i_line].strip() if i_line >= 0 else ""
        try:
            line_number = parse_int(text) if text else None
            column = "value_usd"
            value_raw = text = cells[i_value].strip() if i_value >= 0 else ""
            value = parse_amount(text)
            column = "quantity"
            quantity_raw = text = cells[i_qty].strip() if i_qty >= 0 else ""
            quantity = parse_number(text)
            column = "gross_weight_kg"
            weight_raw = text = cells[i_weight].strip() if i_weight >= 0 else ""
            weight = parse_number(text)
        except CellError as exc:
            return _Problem(column, text, exc.message)
        hts = cells[i_hts].strip() if i_hts >= 0 else ""
        additional = cells[i_add].strip() if i_add >= 0 else ""
        if "+" in hts or "+" in additional:
            problem = _exponent_hts(hts, additional)
            if problem is not None:
                return problem
        # Positional, in LineItem's field order (a keyword call costs every row more).
        return LineItem(
            line_number,  # type: ignore[arg-type]  # (None: numbered by position at build)
            cells[i_desc].strip() if i_desc >= 0 else "",
            hts,
            cells[i_coo].strip() if i_coo >= 0 else "",
            value,
            quantity,
            cells[i_unit].strip() if i_unit >= 0 else "",
            weight,
            cells[i_ref].strip() if i_ref >= 0 else "",
            value_raw,
            quantity_raw,
            weight_raw,
            row,
            additional,
        )

    def _parse_header(
        self, texts: tuple[str, ...], cells: Sequence[str], extra: Mapping[str, str] | None
    ) -> _Header | _Problem:
        column = "arrival_date"
        text = texts[self._arrival_at] if self._arrival_at >= 0 else ""
        if not text:
            return _Problem(
                column,
                text,
                f"arrival_date is blank; it is required ({DATE_FORMATS}) because it governs "
                "the value threshold and every dated rule",
            )
        try:
            arrival = parse_date(text)
            column = "filed_at"
            text = texts[self._filed_at] if self._filed_at >= 0 else ""
            filed_at = parse_datetime(text)
            column = "estimated_arrival_date"
            text = texts[self._eda_at] if self._eda_at >= 0 else ""
            # A placeholder ("TBD", "N/A", "000000") gives no date: FIL010's blank EDA, not an
            # unreadable row that would take the entry out of the audit.
            eda = parse_eda(text) if text and not is_placeholder(text) else None
        except CellError as exc:
            return _Problem(column, text, exc.message)
        except LookupError as exc:
            raise InputError(self.source, str(exc)) from None
        for name, index in self._references_at:
            text = texts[index]
            if "+" in text and _EXPONENT_HTS_RE.fullmatch(text):
                return _Problem(name, text, _digits_lost(text))
        if extra is None:
            extra = {name: cells[index].strip() for index, name in self._extra}
        return _Header(arrival, filed_at, eda, texts, dict(extra))

    def _ragged(self, cells: Sequence[str], name: str) -> _Problem:
        hint = ""
        filled = [cell.strip() for cell in cells if cell.strip()]
        if len(cells) > self._width and not "".join(cells[self._width :]).strip():
            # Not read as the row without them: a delimiter inside an unquoted value of a row
            # whose last cell is blank gives this very row, its columns shifted.
            hint = (
                "; its extra cells at the end are blank: if every row ends with a delimiter "
                "that the header row lacks, end the header row with one too"
            )
        elif len(filled) <= 2:
            hint = (
                f" (it holds only {', '.join(repr(clip(cell)) for cell in filled)}): if it is "
                "a title, note or footer line, it holds no entry; delete it" + _totals_hint(cells)
            )
        return _Problem(
            None,
            None,
            f"{name} has {len(cells)} cells but the header has {self._width}; a delimiter "
            "inside an unquoted value shifts every later column, so the row cannot be read" + hint,
        )

    def _explain(self, problem: _Problem, cells: Sequence[str]) -> _Problem:
        """Say why an entry's first row has an unreadable entry-level field, where it shows.

        A repeat of the header row (files of one export put one after another) and a totals
        row are not entries at all; called only for a row already rejected.
        """
        header = self._header
        number = self._entry_number
        if (
            header
            and 0 <= number < len(cells) == len(header)
            and normalize_header(cells[number]) == normalize_header(header[number])
        ):
            same = sum(
                normalize_header(cell) == normalize_header(name)
                for cell, name in zip(cells, header, strict=True)
            )
            return problem._replace(
                message=(
                    f"the row repeats the header row ({same} of its {len(cells)} cells are "
                    "the header's), as files of one export put one after another do; it "
                    "holds no entry: delete it (the rows around it are read as usual)"
                )
            )
        hint = _totals_hint(cells) or _label_hint(cells)
        return problem._replace(message=problem.message + hint) if hint else problem

    def _same_when_read(self, first: tuple[str, ...], this: tuple[str, ...]) -> bool:
        """Whether two rows' entry-level texts differ only in how a date or time is written.

        One export can spell an entry's arrival date ``2025-08-20`` on one row and
        ``08/20/2025`` on the next (rows merged from two systems, or a spreadsheet that
        reformatted some cells): the same date, so the same entry, not two entries sharing a
        number. Every other difference (a name, an address, a port) is a disagreement.
        """
        return all(
            self._agree(index, one, other)
            for index, (one, other) in enumerate(zip(first, this, strict=True))
        )

    def _agree(self, index: int, one: str, other: str) -> bool:
        """Whether two rows' texts of the entry-level field at ``index`` say the same."""
        if one == other:
            return True
        read = _DATED_FIELDS.get(self._shared[index])
        if read is None or not one or not other:
            return False
        try:
            return read(one) == read(other)
        except CellError:
            return False

    def _disagreement(
        self, entry: _Group, texts: tuple[str, ...], name: str
    ) -> tuple[int, str, str]:
        assert entry.texts is not None
        for index, (first, this) in enumerate(zip(entry.texts, texts, strict=True)):
            # A date written another way is not what the rows disagree on: the message names
            # the field that differs in what it says.
            if not self._agree(index, first, this):
                field = self._shared[index]
                why = _INCONSISTENT
                if not any(texts):
                    # A report layout, not a second filing: say what to do about it.
                    why = (
                        f"{name} gives none of the entry-level columns, as an export that "
                        "gives an entry's data on its first row only does: fill them down, "
                        "so that every row of the entry repeats them"
                    )
                message = (
                    f"rows disagree on {field}: {clip(first)!r} ({entry.texts_label}) vs "
                    f"{clip(this)!r} ({name}); {why}"
                )
                return index, field, message
        raise AssertionError("texts differ")  # pragma: no cover

    def _add(
        self,
        entry: _Group,
        *,
        row: int,
        label: str | None,
        line: LineItem | None,
        problem: _Problem | None,
        texts: tuple[str, ...] | None,
    ) -> None:
        entry.rows.append(row)
        entry.labels.append(label)
        entry.lines.append(line)
        entry.problems.append(problem)
        entry.row_texts.append(texts)
        if problem is not None:
            self._raise_if_strict(row, label, problem)

    def _reject_loose(self, row: int, label: str | None, problem: _Problem) -> None:
        error = self._error(row, label, problem)
        if self.strict:
            raise error.to_exception()
        self._loose.append(error)

    def _raise_if_strict(self, row: int, label: str | None, problem: _Problem) -> None:
        if self.strict:
            raise self._error(row, label, problem).to_exception()

    def _error(self, row: int, label: str | None, problem: _Problem) -> LoadError:
        message = problem.message if label is None else f"{label}: {problem.message}"
        if not self.delimited_text:
            message = without_decimal_option(message)
        headed = self._headed.get(problem.column) if problem.column else None
        if headed:
            message += f" (column {problem.column}, headed {clip(headed)!r} in the file)"
        return LoadError(self.source, row, problem.column, problem.value, message)

    # -- step 2: build the entries -----------------------------------------------------------

    def finish(self) -> LoadResult:
        """Build the entries and return the load result for this source.

        Entries come in order of first appearance; errors are ordered by row.
        """
        entries: list[Entry] = []
        errors = list(self._loose)
        for group in self._groups.values():
            if group.rejected:
                errors.extend(self._reject_group(group))
            else:
                entries.append(self._build(group))
        errors.sort(key=lambda error: (error.row is None, error.row or 0))
        rows_in_entries = sum(len(entry.source_rows) for entry in entries)
        rejected = self.rows_read - rows_in_entries
        assert rejected == len(errors), "every rejected row has exactly one load error"
        return LoadResult(
            entries=tuple(entries),
            errors=tuple(errors),
            sources=(SourceInfo(self.source, self.sha256, self.rows_read),),
            rows_read=self.rows_read,
            rows_rejected=rejected,
        )

    def _reject_group(self, group: _Group) -> list[LoadError]:
        bad: list[str] = []
        reasons: list[_Problem | None] = []
        for row, own, texts, label in zip(
            group.rows, group.problems, group.row_texts, group.labels, strict=True
        ):
            # The entry-level fields are read before the line, so their problem comes first
            # (as in strict mode, which stops at the first problem found).
            reason = own
            if group.header_problem is not None and texts is group.texts:
                reason = group.header_problem
            reasons.append(reason)
            if reason is not None:
                bad.append(label or f"row {row}")
        errors: list[LoadError] = []
        for row, label, reason, texts in zip(
            group.rows, group.labels, reasons, group.row_texts, strict=True
        ):
            problem = reason
            if problem is None and bad:
                problem = _Problem(
                    None,
                    None,
                    f"entry {clip(group.number)} rejected: {_list_labels(bad)} could not be read",
                )
            elif problem is None:
                assert group.disagreement is not None
                assert texts is not None
                index, field, message = group.disagreement
                problem = _Problem(field, texts[index], message)
            errors.append(self._error(row, label, problem))
        return errors

    def _build(self, group: _Group) -> Entry:
        header = group.header
        assert header is not None
        lines: list[LineItem] = group.lines  # type: ignore[assignment]  # (no None: not rejected)
        if None in [cast("object", line.line_number) for line in lines]:
            # A blank line number is the line's position in the entry.
            lines = [
                attrs.evolve(line, line_number=position)
                if cast("object", line.line_number) is None
                else line
                for position, line in enumerate(lines, 1)
            ]
        if len(lines) > 1:
            lines = merge_tariff_ordinals(lines)
        values = (*header.texts, "")  # a column the input lacks reads the blank at -1
        (
            arrival_date_raw,
            filed_at_raw,
            estimated_arrival_date_raw,
            port_code,
            mode,
            bill_of_lading,
            consignee_name,
            consignee_address,
            consignee_city,
            consignee_state,
            consignee_postal_code,
            consignee_country,
            seller_name,
            seller_address,
            seller_country,
            importer_of_record,
            pga_data,
        ) = map(values.__getitem__, self._entry_index)
        return Entry(
            entry_number=EntryNumber(group.number),
            arrival_date=header.arrival_date,
            port_code=port_code,
            bill_of_lading=bill_of_lading,
            consignee=Party(
                name=consignee_name,
                address=consignee_address,
                city=consignee_city,
                state=consignee_state,
                postal_code=consignee_postal_code,
                country=consignee_country,
            ),
            seller=Party(name=seller_name, address=seller_address, country=seller_country),
            lines=tuple(lines),
            # No entry_type column: a T86 export (the contract's default). A blank cell in a
            # file that has the column stays blank, for FIL015 to report.
            entry_type=values[self._type_at] if self._type_at >= 0 else T86_TYPE,
            filed_at=header.filed_at,
            estimated_arrival_date=header.estimated_arrival_date,
            mode=mode,
            importer_of_record=importer_of_record,
            pga_data=pga_data,
            arrival_date_raw=arrival_date_raw,
            filed_at_raw=filed_at_raw,
            estimated_arrival_date_raw=estimated_arrival_date_raw,
            source=self.source,
            source_rows=tuple(group.rows),
            extra=header.extra,
        )


def _exponent_hts(hts: str, additional: str) -> _Problem | None:
    """The load error for an HTS number in exponent notation, if a cell holds one."""
    for column, text, parts in (
        ("hts_number", hts, (hts,)),
        ("additional_hts", additional, split_hts_numbers(additional)),
    ):
        for part in parts:
            if _EXPONENT_HTS_RE.fullmatch(part):
                return _Problem(
                    column,
                    text,
                    f"{clip(part)!r} is an HTS number that a spreadsheet stored as a number and "
                    "wrote in exponent notation: its digits are lost, so what was filed cannot "
                    "be told; format the column as text in the spreadsheet and export it again",
                )
    return None


def _digits_lost(text: str) -> str:
    """Why a reference in exponent notation (``7.38242E+10``) cannot be read."""
    return (
        f"{clip(text)!r} is a number a spreadsheet wrote in exponent notation: its digits are "
        "lost, and two such values would look alike; format the column as text in the "
        "spreadsheet and export it again"
    )


def _totals_hint(cells: Sequence[str]) -> str:
    """``"; it looks like a totals row ..."``, for a rejected row that has a total's word."""
    for cell in cells:
        text = cell.strip()
        if text and _TOTAL_RE.fullmatch(text):
            return (
                f"; it looks like a totals or footer row ({clip(text)!r}), which holds no "
                "entry: delete it from the export"
            )
    return ""


def _label_hint(cells: Sequence[str]) -> str:
    """``"; the row holds only ..."``, for a rejected row of one text (a title or label row)."""
    filled = [cell.strip() for cell in cells if cell.strip()]
    if len(filled) != 1 or any(c.isdigit() for c in filled[0].replace(" ", "")[:1]):
        return ""
    return (
        f"; the row holds only {clip(filled[0])!r}, as a title, label or note row does: it "
        "holds no entry, delete it from the export"
    )


def _is_chapter_99(hts: str) -> bool:
    digits = "".join(ch for ch in hts if ch.isdigit())
    return digits.startswith("99")


def _same_or_blank(value: Decimal | None, primary: Decimal | None) -> bool:
    return value is None or value in (0, primary)


def merge_tariff_ordinals(lines: list[LineItem]) -> list[LineItem]:
    """Merge the ACE "tariff ordinal" rows of a line into one line.

    ACE reports a line's Chapter 99 numbers (Section 301, IEEPA) as further tariff numbers of
    the same line; exports often give each its own row, with the same entry and line number.
    Rows sharing a line number merge into the row that has the line's Chapter 1-97 number
    when every other row carries only Chapter 99 numbers, repeats the line's description or
    leaves it blank, and repeats its value or leaves it blank or zero; their numbers become
    :attr:`LineItem.additional_hts`. Anything else (two articles under one line number) stays
    as separate lines, for the rules to report.
    """
    by_number: dict[int, list[int]] = {}
    for index, line in enumerate(lines):
        by_number.setdefault(line.line_number, []).append(index)
    if len(by_number) == len(lines):
        return lines
    merged: dict[int, LineItem] = {}
    dropped: set[int] = set()
    for indexes in by_number.values():
        if len(indexes) < 2:
            continue
        group = [lines[i] for i in indexes]
        primary_at = [
            i
            for i, line in zip(indexes, group, strict=True)
            if line.hts_number and not _is_chapter_99(line.hts_number)
        ]
        if len(primary_at) > 1:
            continue
        primary_index = primary_at[0] if primary_at else indexes[0]
        primary = lines[primary_index]
        others = [lines[i] for i in indexes if i != primary_index]
        if not all(
            _is_chapter_99(other.hts_number)
            and other.description in ("", primary.description)
            and _same_or_blank(other.value_usd, primary.value_usd)
            for other in others
        ):
            continue
        extra = list(primary.additional_hts)
        for other in others:
            extra.extend(other.hts_numbers)
        merged[primary_index] = attrs.evolve(primary, additional_hts=tuple(extra))
        dropped.update(i for i in indexes if i != primary_index)
    if not merged:
        return lines
    return [merged.get(i, line) for i, line in enumerate(lines) if i not in dropped]


def _list_labels(labels: Sequence[str]) -> str:
    """``"row 7"``, ``"rows 3, 7"`` or ``"rows 3, 7, 9, 10, 11 and 4 more"``."""
    if len(labels) == 1:
        return labels[0]
    words = {label.partition(" ")[0] for label in labels}
    shown = labels[:_MAX_LISTED_ROWS]
    if len(words) == 1:
        text = f"{words.pop()}s " + ", ".join(label.partition(" ")[2] for label in shown)
    else:
        text = ", ".join(shown)
    if len(labels) > _MAX_LISTED_ROWS:
        text += f" and {len(labels) - _MAX_LISTED_ROWS} more"
    return text
