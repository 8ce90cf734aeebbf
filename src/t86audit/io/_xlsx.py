"""The Excel loader: one worksheet of an ``.xlsx`` workbook, read like a CSV export.

Needs the optional ``openpyxl`` package (``pip install 't86audit[excel]'``); it is imported only
when a workbook is read. The sheet's cells are turned into the text a CSV export would hold
(:func:`excel_cell_text`) and run through the CSV row pipeline, so header matching, the column
mapping and the row accounting are the CSV loader's.

**Row numbers are the worksheet's**, as Excel shows them at the left of the sheet: the header is
on row 1 of a simple sheet, so its first data row is row 2 (a CSV file's first data row is row 1,
because CSV rows count data records). Load errors and :attr:`Entry.source_rows` use the sheet's
numbers, so a reader can go straight to the row in Excel.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import math
import os
import re
import warnings
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from t86audit.exceptions import InputError
from t86audit.io._columns import (
    ENTRY_LEVEL_COLUMNS,
    LINE_LEVEL_COLUMNS,
    ColumnPlan,
    check_mapping,
    plan_columns,
)
from t86audit.io._csv import assemble
from t86audit.io._frames import cell_text
from t86audit.io._result import LoadResult
from t86audit.io._source import _ZIP_MAGIC, check_not_workbook, read_bytes
from t86audit.io._values import clip


__all__ = ["EXCEL_HINT", "excel_cell_text", "is_xlsx", "load_xlsx", "open_workbook"]

EXCEL_HINT = "pip install 't86audit[excel]' (or save the sheet as CSV UTF-8)"
"""What to do when a workbook is read without the optional extra."""

_SIGNIFICANT_DIGITS = 15
"""Excel keeps a number to 15 significant digits; a float read back is rounded to them."""


def excel_cell_text(value: object) -> str:
    """Return the text a CSV export of a worksheet cell would hold.

    Text stays as is; a whole number is its digits (``6109100040``, an entry type ``1``); any
    other number its shortest text to Excel's 15 significant digits (``12.5``, and ``0.3`` for a
    formula's ``0.30000000000000004``); a date or date-time cell is its ISO text (a date-time at
    midnight is the date alone), which the date readers take as a date; a time is ``HH:MM:SS``.
    """
    if isinstance(value, float) and math.isfinite(value):
        value = float(f"{value:.{_SIGNIFICANT_DIGITS}g}")
    if isinstance(value, dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return cell_text(value)


def load_xlsx(
    source: str | os.PathLike[str],
    *,
    sheet: str | None = None,
    mapping: Mapping[str, str] | None = None,
    strict: bool = False,
    source_name: str | None = None,
) -> LoadResult:
    """Load entries from one worksheet of an Excel ``.xlsx`` workbook (one row per line item).

    The first visible worksheet is read unless ``sheet`` names another (hidden sheets are
    passed over). The header is the first row
    with any value; rows and columns with no value at all are skipped (rows keep their place in
    the numbering). Cells are read as their values (a formula as its last computed value) and
    converted with :func:`excel_cell_text`; then the rows go through the CSV loader's pipeline.
    Row numbers in errors and :attr:`Entry.source_rows` are the **worksheet's row numbers**, as
    Excel shows them (the header of a simple sheet is row 1, its first data row row 2).

    Args:
        source: the workbook's path.
        sheet: the worksheet's name (default: the first worksheet).
        mapping: canonical column name -> the header the sheet uses instead.
        strict: raise :class:`~t86audit.exceptions.RowError` at the first unreadable row.
        source_name: the name stamped on entries and errors (default: the path as given).

    Raises:
        InputError: ``openpyxl`` is not installed, the file is missing or not an ``.xlsx``
            workbook, the sheet does not exist or is empty, or its header lacks a required
            column (as for CSV).
        RowError: in strict mode, for the first row that cannot be loaded.
    """
    name = source_name if source_name is not None else os.fspath(source)
    columns = check_mapping(mapping, "column mapping")
    data = read_bytes(source, name)
    with open_workbook(data, name) as workbook:
        rows, where, kept = _sheet_rows(workbook, sheet, name)
        chosen = _chosen(workbook, sheet)
        title = chosen.title
        # openpyxl's read-only sheets do not give their merged ranges; the part is read.
        part = getattr(chosen, "_worksheet_path", None)
    _refuse_unsaved_formulas(data, title, name)
    digest = hashlib.sha256(data).hexdigest()
    at = _header_at(rows, columns, name, where)
    header = rows[at][1]
    # A set test per row in C; only a row holding an error value is looked at cell by cell
    # (the last such cell is named).
    bad = {}
    for number, cells in rows[at + 1 :]:
        if not EXCEL_ERRORS.isdisjoint(cells):
            i = max(i for i, cell in enumerate(cells) if cell in EXCEL_ERRORS)
            bad[number] = (i, _FORMULA_ERROR_WHY.format(cell=cells[i]))
    merges = _merged_ranges(data, part) if isinstance(part, str) else []
    if merges:
        plan = plan_columns(header, columns, name)
        for number, problem in _spread_merges(rows, at, plan, merges, kept).items():
            bad.setdefault(number, problem)
    return assemble(
        name, header, iter(rows[at + 1 :]), columns, strict=strict, sha256=digest, bad_cells=bad
    )


EXCEL_ERRORS = frozenset(
    {"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}
)
"""Excel's error values: what a cell shows when its formula failed (a VLOOKUP that found
nothing gives ``#N/A``). They are no data: a row holding one is a load error."""
_FORMULA_ERROR_WHY = (
    "holds Excel's error {cell} (a formula that failed, such as a VLOOKUP that found nothing), "
    "not a value; correct the formula or paste the values, then export again"
)


_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[ >/]")
"""A formula element of a worksheet's XML (``<f>``, ``<f t="shared" .../>``)."""


def _chosen(workbook: Any, sheet: str | None) -> Any:
    """The worksheet :func:`_sheet_rows` read (it has checked that it exists)."""
    return _first_visible(list(workbook.worksheets)) if sheet is None else workbook[sheet]


def _first_visible(worksheets: list[Any]) -> Any:
    """The first worksheet a user sees; all hidden, the first.

    A hidden one (an old copy, a lookup table) is passed over, as Excel itself opens on a
    visible sheet.
    """
    for worksheet in worksheets:
        if getattr(worksheet, "sheet_state", "visible") == "visible":
            return worksheet
    return worksheets[0]


def _refuse_unsaved_formulas(data: bytes, title: str, name: str) -> None:
    """Refuse a sheet with a formula whose value was never computed and saved.

    openpyxl reads a formula cell as the value Excel last saved; a workbook written by a
    program and never opened in Excel has none, and the cell would read as blank: a value
    left blank (VAL003) where the filing had one, or a total under the threshold. Such a
    workbook is refused whole, naming a cell, rather than audited without those values.
    Only workbooks that hold a formula at all are read a second time, as formulas.
    """
    import zipfile  # noqa: PLC0415

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        if not any(_FORMULA_TAG.search(archive.read(part)) for part in parts):
            return
    found = None
    with _formulas_and_values(data) as (formulas, values):
        for formula_row, value_row in zip(
            formulas[title].iter_rows(), values[title].iter_rows(), strict=False
        ):
            for formula, value in zip(formula_row, value_row, strict=False):
                text = getattr(formula, "value", None)
                if isinstance(text, str) and text.startswith("=") and value.value is None:
                    found = (formula.coordinate, text)
                    break
            if found:
                break
    if found is not None:
        cell, text = found
        raise InputError(
            name,
            f"worksheet {title!r} cell {cell} holds the formula {clip(text)!r} with no saved "
            "value (the workbook was written by a program and never calculated), so its value "
            "cannot be read; open the workbook in Excel and save it, or export the sheet as "
            "CSV, then audit again",
        )


@contextlib.contextmanager
def _formulas_and_values(data: bytes) -> Iterator[tuple[Any, Any]]:
    """The workbook opened twice, read-only: as formulas and as saved values."""
    import openpyxl  # noqa: PLC0415 - optional dependency, imported on use

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            yield formulas, values
        finally:
            formulas.close()
            values.close()


def is_xlsx(data: bytes) -> bool:
    """Whether a file's bytes start like an ``.xlsx`` workbook (a ZIP archive)."""
    return data.startswith(_ZIP_MAGIC)


@contextlib.contextmanager
def open_workbook(data: bytes, name: str) -> Iterator[Any]:
    """Open an ``.xlsx`` workbook's bytes with openpyxl, read-only and as values; close it after.

    openpyxl's warnings (styles and extensions it does not keep) are silenced while the
    workbook is open: only the values are read.

    Raises:
        InputError: the bytes are not an ``.xlsx`` workbook (an old ``.xls`` is named as such),
            ``openpyxl`` is not installed (with :data:`EXCEL_HINT`), or the file is damaged.
    """
    if not is_xlsx(data):
        check_not_workbook(data[:8], name, expected="xlsx")
        raise InputError(
            name,
            "is not an Excel .xlsx workbook (it does not start like one); "
            "give a CSV file a .csv suffix",
        )
    try:
        import openpyxl  # noqa: PLC0415 - optional dependency, imported on use
    except ImportError:
        raise InputError(
            name, f"reading an Excel workbook needs the optional openpyxl package: {EXCEL_HINT}"
        ) from None
    with warnings.catch_warnings():
        # openpyxl warns about styles and extensions it does not keep; the values are read.
        warnings.simplefilter("ignore")
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # a damaged file raises anything, from zip to XML errors
            raise InputError(
                name, f"cannot be read as an .xlsx workbook ({type(exc).__name__}: {exc})"
            ) from None
        try:
            yield workbook
        finally:
            workbook.close()


_TITLE_ROWS = 10
"""How many rows of a title block above the header a sheet may have."""

_TITLE_CELLS = 2
"""How many values a title row may hold (a report's name, its date range)."""

_NOT_THE_HEADER = ("missing required column", "the input does not have")
"""What :func:`~t86audit.io._columns.plan_columns` says of a row that lacks the header's
columns: required columns missing, or the mapped headers absent (a mapping is checked first)."""


def _header_at(
    rows: Sequence[tuple[int, list[str]]],
    mapping: Mapping[str, str],
    name: str,
    where: tuple[str, str] = ("", ""),
) -> int:
    """The index in ``rows`` of the header: the first row, or the row under a title block.

    Reports exported from broker software often open with a title (the report's name, a date
    range) above the column headers. When the first row with any value lacks the required
    columns, the header is the first of the next rows that has them, provided every row above
    it holds at most :data:`_TITLE_CELLS` values: a title, never data. Otherwise the first
    row's error stands, naming the row it was read from and ``where`` (the worksheet, and the
    others a workbook of several has: see :func:`_sheet_rows`).
    """
    try:
        plan_columns(rows[0][1], mapping, name, header_note=False)
    except InputError as first:
        # The first row lacks the columns: required ones, or (with a mapping) the headers the
        # mapping names. Either way it may be a title above the header.
        if not any(why in first.reason for why in _NOT_THE_HEADER):
            raise
        candidate = 0
        for at, (_, cells) in enumerate(rows[: _TITLE_ROWS + 1]):
            if at and _is_header(cells, mapping, name):
                return at
            if sum(1 for cell in cells if cell) > _TITLE_CELLS:
                candidate = at
                break
        if candidate:
            # A title block, then a row of headers that lack a column (a mapping's header
            # misspelt, a required column missing): that row's error names what it lacks,
            # where the first row's would list every column as missing from the title.
            try:
                plan_columns(rows[candidate][1], mapping, name, header_note=False)
            except InputError as error:
                raise InputError(
                    name,
                    f"{error.reason} (the header is row {rows[candidate][0]}{where[0]}, under "
                    f"a title block of {candidate} row(s) above it{where[1]})",
                    column=error.column,
                ) from None
        raise InputError(
            name,
            f"{first.reason} (the header is the first row with any value, row {rows[0][0]}"
            f"{where[0]}: {clip(', '.join(c for c in rows[0][1] if c))!r}{where[1]})",
            column=first.column,
        ) from None
    return 0


def _is_header(cells: Sequence[str], mapping: Mapping[str, str], name: str) -> bool:
    try:
        plan_columns(cells, mapping, name)
    except InputError:
        return False
    return True


def _sheet_rows(
    workbook: Any, sheet: str | None, name: str
) -> tuple[list[tuple[int, list[str]]], tuple[str, str], list[int]]:
    """The header (first) and data rows of the sheet as ``(sheet row, cells)``, all as text.

    With them, for messages about the header, when the workbook has several worksheets, the
    words that name this one (`` of worksheet 'Notes', the first``) and the others, else
    blanks; and the sheet column (0 for A) of each cell of a row (empty columns are dropped).
    """
    worksheets = list(workbook.worksheets)
    if sheet is None:
        if not worksheets:
            raise InputError(name, "the workbook has no worksheet")
        worksheet = _first_visible(worksheets)
    else:
        by_name = {ws.title: ws for ws in worksheets}
        if sheet not in by_name:
            listed = ", ".join(repr(title) for title in by_name) or "none"
            raise InputError(name, f"has no worksheet {sheet!r}; its worksheets are: {listed}")
        worksheet = by_name[sheet]
    # The stored dimensions can be wrong (some writers never set them): read every row.
    worksheet.reset_dimensions()
    rows: list[tuple[int, list[str]]] = []
    for number, values in enumerate(worksheet.iter_rows(values_only=True), 1):
        cells = [excel_cell_text(value).strip() if value is not None else "" for value in values]
        if any(cells):
            rows.append((number, cells))
    if not rows:
        raise InputError(name, f"worksheet {worksheet.title!r} is empty: there is no header row")
    where = ("", "")
    if len(worksheets) > 1:
        listed = ", ".join(repr(ws.title) for ws in worksheets)
        hidden = [ws.title for ws in worksheets if getattr(ws, "sheet_state", "") != "visible"]
        where = (
            f" of worksheet {worksheet.title!r}"
            + (", the first visible" if sheet is None and hidden else "")
            + (", the first" if sheet is None and not hidden else ""),
            f"; the workbook's worksheets are {listed}: pass sheet=NAME to read another",
        )
    squared, kept = _drop_empty_columns(rows)
    return squared, where, kept


def _drop_empty_columns(
    rows: Sequence[tuple[int, list[str]]],
) -> tuple[list[tuple[int, list[str]]], list[int]]:
    """Remove the columns with no value in any row, and square the rows to one width.

    Returns the rows and, for each column kept, its index on the sheet (0 for column A).
    """
    width = max(len(cells) for _, cells in rows)
    used = [False] * width
    for _, cells in rows:
        for index, cell in enumerate(cells):
            if cell:
                used[index] = True
    keep = [index for index, flag in enumerate(used) if flag]
    return [(number, list(_pick(cells, keep))) for number, cells in rows], keep


def _pick(cells: Sequence[str], keep: Sequence[int]) -> Iterator[str]:
    size = len(cells)
    for index in keep:
        yield cells[index] if index < size else ""


_MERGE_RE = re.compile(
    rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3})([0-9]+)(?::([A-Z]{1,3})([0-9]+))?"'
)
"""A merged range of a worksheet's XML (``<mergeCell ref="I10:I11"/>``)."""


def _column_index(letters: bytes) -> int:
    """A column's letters as its index (``A`` is 0)."""
    index = 0
    for letter in letters:
        index = index * 26 + letter - 64
    return index - 1


def _merged_ranges(data: bytes, part: str) -> list[tuple[int, int, int]]:
    """The sheet's merged ranges of one column over several rows: ``(column, first, last)``.

    The column is the sheet's (0 for A), the rows the sheet's numbers. Ranges over several
    columns (a title across the sheet) are left as they read: their value in the first cell.
    """
    import zipfile  # noqa: PLC0415

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        try:
            xml = archive.read(part.lstrip("/"))
        except KeyError:
            return []
    if b"mergeCell" not in xml:
        return []
    found = []
    for first_col, first_row, last_col, last_row in _MERGE_RE.findall(xml):
        if not last_col or last_col != first_col or int(last_row) <= int(first_row):
            continue
        found.append((_column_index(first_col), int(first_row), int(last_row)))
    return found


_MERGED_LINE_WHY = (
    "is blank: the cell {cell} lies in the merged range {range}, whose value {value} is on "
    "row {first}; a line-level value is not spread over the rows a merged cell covers (it may "
    "be one line's or all of theirs): unmerge the cells and give each line its own value"
)


def _spread_merges(
    rows: list[tuple[int, list[str]]],
    at: int,
    plan: ColumnPlan,
    merges: Sequence[tuple[int, int, int]],
    kept: Sequence[int],
) -> dict[int, tuple[int, str]]:
    """Give the rows under a merged cell the value Excel shows across them, where it is sure.

    Excel keeps a merged cell's value in its first cell only, and shows it over every row the
    range covers; compliance teams merge an entry's number, date or consignee down over the
    entry's lines. An entry-level column holds one value for every row of the entry (the input
    contract repeats it on each), so the rows the range covers read the value shown (in
    ``rows``, in place). A line-level value merged over several rows could be one line's or
    their total, which is not guessed: each row the range covers beyond its first is returned,
    as ``row -> (cell index, why)``, to be a load error. Merges above the data and in columns
    that are no canonical column are left as read.
    """
    header_row = rows[at][0]
    position = {sheet_column: index for index, sheet_column in enumerate(kept)}
    entry_level = {plan.positions[c] for c in ENTRY_LEVEL_COLUMNS if c in plan.positions}
    line_level = {plan.positions[c] for c in LINE_LEVEL_COLUMNS if c in plan.positions}
    by_number = dict(rows[at + 1 :])
    bad: dict[int, tuple[int, str]] = {}
    for sheet_column, first, last in merges:
        index = position.get(sheet_column)
        if index is None or first <= header_row or first not in by_number:
            continue
        value = by_number[first][index]
        if index in entry_level:
            for number in range(first + 1, last + 1):
                cells = by_number.get(number)
                if cells is not None and not cells[index]:
                    cells[index] = value
        elif index in line_level:
            letters = _column_letters(sheet_column + 1)
            for number in range(first + 1, last + 1):
                if number in by_number:
                    bad[number] = (
                        index,
                        _MERGED_LINE_WHY.format(
                            cell=f"{letters}{number}",
                            range=f"{letters}{first}:{letters}{last}",
                            value=repr(clip(value)),
                            first=first,
                        ),
                    )
    return bad


def _column_letters(index: int) -> str:
    """A column's letters from its 1-based number (``1`` is ``A``, ``27`` is ``AA``)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
