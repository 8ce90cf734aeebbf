"""The CSV loader: one row per line item, rows grouped into entries by entry number."""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TextIO, cast

import attrs

from t86audit.exceptions import InputError
from t86audit.io._columns import (
    ColumnPlan,
    Delimiting,
    check_decimal,
    check_delimiter,
    check_header_delimiter,
    check_mapping,
    choose_delimiter,
    delimiter_hint,
    plan_columns,
)
from t86audit.io._result import LoadResult
from t86audit.io._rows import EntryAssembler, _Problem
from t86audit.io._source import read_source
from t86audit.io._source import source_name as _source_name
from t86audit.io._values import (
    CellError,
    parse_amount_decimal_comma,
    parse_number_decimal_comma,
)


if TYPE_CHECKING:
    from t86audit.model import LineItem


__all__ = [
    "DecimalCommaAssembler",
    "assemble",
    "assembler_for",
    "default_delimiter",
    "load_csv",
    "read_csv_rows",
    "recorded",
    "row_reader",
    "sniff_delimiter",
]

# Large enough for any real cell; 2**31 - 1 fits a C long on every platform, sys.maxsize
# does not on 64-bit Windows.
_FIELD_SIZE_LIMIT = 2**31 - 1


@contextlib.contextmanager
def _field_size_limit() -> Iterator[None]:
    """Raise the csv module's (process-wide) field size limit while a file is read."""
    previous = csv.field_size_limit(_FIELD_SIZE_LIMIT)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def load_csv(
    source: str | os.PathLike[str] | TextIO,
    *,
    mapping: Mapping[str, str] | None = None,
    encoding: str = "utf-8",
    strict: bool = False,
    source_name: str | None = None,
    delimiter: str | None = None,
    decimal: str = ".",
) -> LoadResult:
    """Load entries from a CSV file with one row per line item.

    Rows are grouped into entries by entry number (ignoring dashes, spaces and letter case);
    the rows of one entry need not be adjacent. Headers are matched case-insensitively,
    ignoring surrounding spaces; a byte-order mark and CRLF line ends are accepted. Columns
    that are neither canonical nor mapped go into :attr:`Entry.extra`, taken from the entry's
    first row.

    The file may be delimited by commas, semicolons, tabs or vertical bars: ``delimiter``
    names it; else an Excel ``sep=`` first line does (the line is skipped), a ``.tsv`` file is
    read at tabs, and otherwise a header row that splits into the canonical columns at exactly
    one of semicolons, tabs and vertical bars (and not at commas) is read at it (see
    :func:`~t86audit.io._columns.choose_delimiter`). The load's
    :attr:`~t86audit.io.SourceInfo.delimiter` records a delimiter other than the comma.

    Row numbers in errors and in :attr:`Entry.source_rows` are 1-based **data** rows: the
    header is not counted, so row N is the Nth record after the header (row N + 1 in a
    spreadsheet). Records whose cells are all blank are skipped (they hold no data) but keep
    their place in the numbering.

    An entry with any unreadable row, or whose rows disagree on an entry-level field, is
    rejected whole: each of its rows gets a :class:`~t86audit.io.LoadError`.

    Args:
        source: a path, or an open text stream (its hash is then ``""``).
        mapping: canonical column name -> the header the file uses instead.
        encoding: the file's encoding; decoding is strict (no replacement characters).
        strict: raise :class:`~t86audit.exceptions.RowError` at the first unreadable row.
        source_name: the name stamped on entries and errors (default: the path as given).
        delimiter: ``","``, ``";"``, ``"tab"`` or ``"|"``; ``None`` (the
            default) finds it as said above.
        decimal: ``"."`` (U.S. format, the default) or ``","``: amounts, quantities and
            weights written with a decimal comma (``1.234,56``), read as
            :func:`~t86audit.io._values.parse_amount_decimal_comma` says.

    Raises:
        InputError: the file is missing, empty, not valid text in ``encoding``, malformed as
            CSV, its header lacks a required column or repeats a column, or its delimiter
            cannot be told.
        RowError: in strict mode, for the first row that cannot be loaded.
    """
    name = _source_name(source, source_name)
    columns = check_mapping(mapping, "column mapping")
    given = check_delimiter(delimiter, name)
    point = check_decimal(decimal, name)
    text = read_source(source, encoding=encoding, name=name)
    # The first lines are looked at apart: the whole text goes to the reader as it is.
    _, delimiting = sniff_delimiter(
        io.StringIO(text.text, newline=""),
        name,
        columns,
        given=given,
        default=default_delimiter(source),
    )
    with _field_size_limit():
        rows = read_csv_rows(
            text.text, name, delimiter=delimiting.delimiter, hint=delimiting.hint_line
        )
        try:
            header = next(rows)
        except StopIteration:
            raise InputError(name, "the file is empty: there is no header row") from None
        check_header_delimiter(header[1], name, delimiting)
        loaded = assemble(
            name,
            header[1],
            rows,
            columns,
            strict=strict,
            sha256=text.sha256,
            delimiting=delimiting,
            decimal=point,
        )
    return recorded(loaded, delimiting)


def default_delimiter(source: object) -> str:
    """The delimiter a file is read with when nothing else names one: a ``.tsv`` file's tab."""
    if isinstance(source, str | os.PathLike) and os.fspath(source).lower().endswith(".tsv"):
        return "\t"
    return ","


def sniff_delimiter(
    lines: Iterator[str],
    name: str,
    mapping: Mapping[str, str],
    *,
    given: str | None,
    default: str,
) -> tuple[Iterator[str], Delimiting]:
    """The delimiter of the text whose lines are ``lines``, and those lines again.

    The lines up to the first non-blank one (and the next, when that is a ``sep=`` line) are
    read to tell (:func:`~t86audit.io._columns.choose_delimiter`), then given back ahead of
    the rest, so the reader reads every line of the file.
    """
    peeked: list[str] = []
    first: list[str] = []
    for line in lines:
        peeked.append(line)
        if not line.strip(_BLANK):
            # (A row of empty cells, ';;;;' as a spreadsheet writes an empty first row: the
            # reader passes over it at its delimiter, so the header is the next line.)
            continue
        first.append(line)
        if len(first) == 2 or delimiter_hint(line) is None:
            break
    delimiting = choose_delimiter(first, mapping, name, given=given, default=default)
    return itertools.chain(peeked, lines), delimiting


_BLANK = " \t\r\n\f\v,;|"
"""What a line holding no text before the header may be made of (white space, delimiters)."""


def recorded(loaded: LoadResult, delimiting: Delimiting) -> LoadResult:
    """``loaded`` with its (one) source noting a delimiter other than the comma."""
    if delimiting.delimiter == ",":
        return loaded
    sources = tuple(
        attrs.evolve(source, delimiter=delimiting.delimiter, delimiter_found=delimiting.found)
        for source in loaded.sources
    )
    return attrs.evolve(loaded, sources=sources)


def row_reader(lines: Iterable[str], delimiter: str = ",") -> Any:
    """The CSV reader of a file's lines: the one place t86audit makes one for its inputs.

    Strict (a malformed quote is an error, not a guess); ``delimiter`` is the file's
    (:func:`sniff_delimiter`), the comma by default.
    """
    return csv.reader(lines, delimiter=delimiter, strict=True)


def read_csv_rows(
    text: str | Iterable[str],
    name: str,
    skipped: Callable[[], int] | None = None,
    at: list[int] | None = None,
    lines_skipped: Callable[[], int] | None = None,
    *,
    delimiter: str = ",",
    hint: bool = False,
) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(data row number, cells)``, the header first as row 0.

    ``delimiter`` splits the cells; ``hint``: the first non-blank record is an Excel
    ``sep=`` line (see :func:`sniff_delimiter`), read (so that line numbers stay the file's)
    and passed over.

    ``text`` is the whole file, or its lines read incrementally (the streaming loader).
    Blank records before the header are skipped; after it, records whose cells are all
    blank are skipped but counted, so row numbers stay positional. ``skipped()``, if given,
    says how many rows the line source has left out so far, and ``lines_skipped()`` how many
    lines (by default as many as rows), so an error names the line of the file.

    ``at``, if given, is set (``at[0]``) to the lines read before the record just yielded
    (for the header: the lines up to its end), so a reader can find a row's lines again.

    Raises:
        InputError: the CSV quoting is malformed (for example an unterminated quote).
    """
    lines = io.StringIO(text, newline="") if isinstance(text, str) else text
    reader = row_reader(lines, delimiter)
    row = -1
    # One try around each loop (a csv.Error ends the reading either way): a plain for loop is
    # the cheapest way through millions of rows. A joined row strips to "" exactly when
    # every cell is blank; a first cell with text says at once that the row is not (the
    # usual row: the join is made only for the others).
    try:
        header = _header(reader, hint)
        if header is None:
            return
        row = 0
        if at is not None:
            at[0] = reader.line_num
            yield 0, header
            yield from _rows_at(reader, skipped, at)
            return
        yield 0, header
        for row, cells in enumerate(reader, start=1):
            if (cells and cells[0].strip()) or "".join(cells).strip():
                yield (row if skipped is None else row + skipped()), cells
    except csv.Error as exc:
        if at is not None and len(at) > 1:
            row = at.pop()
        left_out = lines_skipped or skipped
        line = reader.line_num + (left_out() if left_out is not None else 0)
        raise InputError(
            name,
            f"malformed CSV near line {line} of the file ({exc}); check the quoting of the row",
            row=(row + 1 + (skipped() if skipped is not None else 0)) if row >= 0 else None,
        ) from None


def _header(reader: Any, hint: bool) -> list[str] | None:
    """The header's cells: the first record with text (after the ``sep=`` line if ``hint``).

    ``None`` when the file has none. Blank records before it are passed over.
    """
    cells: list[str]
    for cells in reader:
        if not "".join(cells).strip():
            continue
        if hint:
            hint = False  # the sep= line, before the header
            continue
        return cells
    return None


def _rows_at(
    reader: Any, skipped: Callable[[], int] | None, at: list[int]
) -> Iterator[tuple[int, list[str]]]:
    """:func:`read_csv_rows`'s loop after the header, noting where each record starts in ``at[0]``.

    A second loop, so the loaders that do not ask pay nothing for it.
    """
    row = 0
    start = reader.line_num
    try:
        for cells in reader:
            row += 1
            if (cells and cells[0].strip()) or "".join(cells).strip():
                at[0] = start
                yield (row if skipped is None else row + skipped()), cells
            start = reader.line_num
    except csv.Error:
        at.append(row)  # for the caller's message: the row the error is in
        raise


def assemble(
    name: str,
    header: Sequence[str],
    rows: Iterable[tuple[int, Sequence[str]]],
    mapping: Mapping[str, str],
    *,
    strict: bool,
    sha256: str = "",
    bad_cells: Mapping[int, tuple[int, str]] | None = None,
    delimiting: Delimiting | None = None,
    decimal: str = ".",
) -> LoadResult:
    """Run rows laid out under ``header`` through the entry pipeline (shared with frames).

    Args:
        name: the source name.
        header: the header cells.
        rows: ``(data row number, cells)`` pairs.
        mapping: a mapping checked by :func:`~t86audit.io._columns.check_mapping`.
        strict: raise at the first unreadable row.
        sha256: the source's hash.
        bad_cells: rows holding a cell that is no value (a workbook's formula error), as
            ``row -> (cell index, why)``: each such row is a load error of its entry.
        delimiting: how a delimited text file was split (for messages about its header).
        decimal: the decimal mark of the amounts and numbers (see :func:`assembler_for`).
    """
    plan = plan_columns(header, mapping, name, delimiting=delimiting)
    assembler = assembler_for(decimal)(name, plan, strict=strict, sha256=sha256)
    # Only a delimited text file (read with its delimiting) takes decimal=','; a workbook's
    # messages do not advise it.
    assembler.delimited_text = delimiting is not None
    for row, cells in rows:
        if bad_cells and row in bad_cells:
            assembler.add_bad_row(row, cells, *bad_cells[row])
        else:
            assembler.add_row(row, cells)
    return assembler.finish()


def assembler_for(decimal: str) -> type[EntryAssembler]:
    """The entry assembler that reads amounts and numbers with the decimal mark ``decimal``."""
    return EntryAssembler if decimal == "." else DecimalCommaAssembler


class DecimalCommaAssembler(EntryAssembler):
    """An :class:`~t86audit.io._rows.EntryAssembler` reading numbers with a decimal comma.

    For a file written in a decimal-comma locale (``decimal=","``): each amount, quantity and
    weight is read by :func:`~t86audit.io._values.parse_amount_decimal_comma` (or
    :func:`~t86audit.io._values.parse_number_decimal_comma`), and the line keeps the text as
    filed (``value_raw`` ``"1.234,56"``), as a line read in U.S. format does. The cells read
    are handed to the usual reading in U.S. format, so every other check is the same; the
    comma-separated U.S. path pays nothing for it.
    """

    def __init__(self, source: str, plan: ColumnPlan, *, strict: bool, sha256: str = "") -> None:
        super().__init__(source, plan, strict=strict, sha256=sha256)
        positions = plan.positions
        self._numbers = tuple(
            (column, positions[column], read)
            for column, read in (
                ("value_usd", parse_amount_decimal_comma),
                ("quantity", parse_number_decimal_comma),
                ("gross_weight_kg", parse_number_decimal_comma),
            )
            if column in positions
        )

    def _parse_line(self, cells: Sequence[str], row: int) -> LineItem | _Problem:
        converted = list(cells)
        problem: _Problem | None = None
        filed: dict[str, str] = {}
        for column, index, read in self._numbers:
            if index >= len(cells):
                continue
            text = cells[index].strip()
            try:
                value = read(text)
            except CellError as exc:
                problem = problem or _Problem(column, text, exc.message)
                converted[index] = ""
                continue
            filed[column] = text
            converted[index] = "" if value is None else format(value, "f")
        line = super()._parse_line(converted, row)
        if isinstance(line, _Problem) or problem is not None:
            # A line number the U.S. reading refuses comes first, as it does there.
            return line if isinstance(line, _Problem) else cast("_Problem", problem)
        return attrs.evolve(
            line,
            value_raw=filed.get("value_usd", line.value_raw),
            quantity_raw=filed.get("quantity", line.quantity_raw),
            gross_weight_raw=filed.get("gross_weight_kg", line.gross_weight_raw),
        )
