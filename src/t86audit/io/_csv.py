"""The CSV loader: one row per line item, rows grouped into entries by entry number."""

from __future__ import annotations

import contextlib
import csv
import io
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, TextIO

from t86audit.exceptions import InputError
from t86audit.io._columns import check_mapping, delimiter_error, plan_columns
from t86audit.io._result import LoadResult
from t86audit.io._rows import EntryAssembler
from t86audit.io._source import read_source
from t86audit.io._source import source_name as _source_name


__all__ = ["assemble", "load_csv", "read_csv_rows"]

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
) -> LoadResult:
    """Load entries from a CSV file with one row per line item.

    Rows are grouped into entries by entry number (ignoring dashes, spaces and letter case);
    the rows of one entry need not be adjacent. Headers are matched case-insensitively,
    ignoring surrounding spaces; a byte-order mark and CRLF line ends are accepted. Columns
    that are neither canonical nor mapped go into :attr:`Entry.extra`, taken from the entry's
    first row.

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

    Raises:
        InputError: the file is missing, empty, not valid text in ``encoding``, malformed as
            CSV, or its header lacks a required column or repeats a column.
        RowError: in strict mode, for the first row that cannot be loaded.
    """
    name = _source_name(source, source_name)
    columns = check_mapping(mapping, "column mapping")
    text = read_source(source, encoding=encoding, name=name)
    with _field_size_limit():
        rows = read_csv_rows(text.text, name)
        try:
            header = next(rows)
        except StopIteration:
            raise InputError(name, "the file is empty: there is no header row") from None
        _check_delimiter(name, header[1])
        return assemble(name, header[1], rows, columns, strict=strict, sha256=text.sha256)


def _check_delimiter(name: str, header: Sequence[str]) -> None:
    """Name the likely delimiter when a header reads as one column (a European export)."""
    if len(header) != 1:
        return
    for delimiter, word in ((";", "semicolons"), ("\t", "tabs"), ("|", "vertical bars")):
        if header[0].count(delimiter) >= 2:
            raise InputError(name, delimiter_error(delimiter, word))


def read_csv_rows(
    text: str | Iterable[str],
    name: str,
    skipped: Callable[[], int] | None = None,
    at: list[int] | None = None,
    lines_skipped: Callable[[], int] | None = None,
) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(data row number, cells)``, the header first as row 0.

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
    reader = csv.reader(lines, strict=True)
    row = -1
    # One try around the loop (a csv.Error ends the reading either way): a plain for loop is
    # the cheapest way through millions of rows. A joined row strips to "" exactly when
    # every cell is blank; a first cell with text says at once that the row is not (the
    # usual row: the join is made only for the others).
    try:
        if at is not None:
            yield from _rows_at(reader, skipped, at)
            return
        for cells in reader:
            if row < 0:
                if not "".join(cells).strip():
                    continue
                row = 0
                yield 0, cells
                continue
            row += 1
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


def _rows_at(
    reader: Any, skipped: Callable[[], int] | None, at: list[int]
) -> Iterator[tuple[int, list[str]]]:
    """:func:`read_csv_rows`'s loop, noting where each record starts in ``at[0]``.

    A second loop, so the loaders that do not ask pay nothing for it.
    """
    row = -1
    start = 0
    try:
        for cells in reader:
            if row < 0:
                start = reader.line_num
                if not "".join(cells).strip():
                    continue
                row = 0
                at[0] = start
                yield 0, cells
                continue
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
    """
    plan = plan_columns(header, mapping, name)
    assembler = EntryAssembler(name, plan, strict=strict, sha256=sha256)
    for row, cells in rows:
        if bad_cells and row in bad_cells:
            assembler.add_bad_row(row, cells, *bad_cells[row])
        else:
            assembler.add_row(row, cells)
    return assembler.finish()
