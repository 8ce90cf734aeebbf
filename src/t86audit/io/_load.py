"""Loading files in memory: :func:`load`, whatever each file's format."""

from __future__ import annotations

import os
from collections.abc import Mapping

from t86audit.exceptions import InputError
from t86audit.io._columns import check_decimal, check_delimiter, check_text_options
from t86audit.io._csv import load_csv
from t86audit.io._json import load_json
from t86audit.io._result import LoadResult
from t86audit.io._source import INPUT_FORMATS, Kind, kind_of, unknown_format
from t86audit.io._xlsx import load_xlsx


__all__ = ["load"]


def load(
    *paths: str | os.PathLike[str],
    mapping: Mapping[str, str] | None = None,
    encoding: str = "utf-8",
    strict: bool = False,
    format: Kind | None = None,
    sheet: str | None = None,
    delimiter: str | None = None,
    decimal: str = ".",
) -> LoadResult:
    """Load entries from one or more files and merge the results.

    The format follows the suffix (``.csv``/``.txt``/``.tsv``: CSV, delimited by commas,
    semicolons, tabs or vertical bars (see :func:`load_csv`); ``.xlsx``/``.xlsm``: an Excel
    workbook, which needs ``pip install 't86audit[excel]'``; ``.json``: a JSON array, or JSON
    Lines if the content says so; ``.jsonl``/``.ndjson``: JSON Lines) unless ``format`` is
    given. Entries keep their file order, file after file. Entries with the same entry number
    in two files stay two entries: a duplicate-entry-number rule reports them.

    Row numbers are data rows for CSV (the header not counted) and the worksheet's own row
    numbers for a workbook (as Excel shows them: the header is row 1); see :func:`load_xlsx`.

    Args:
        *paths: the files to read.
        mapping: canonical column name -> the header (or JSON key) used instead.
        encoding: the files' encoding; decoding is strict.
        strict: raise :class:`~t86audit.exceptions.RowError` at the first unreadable row.
        format: read every path as this format (``"csv"``, ``"json"``, ``"jsonl"`` or
            ``"xlsx"``), whatever its suffix.
        sheet: the worksheet of the workbooks to read (default: each one's first worksheet).
        delimiter: the CSV files' delimiter (``","``, ``";"``, ``"tab"`` or ``"|"``);
            ``None`` (the default) finds each file's, as :func:`load_csv` says.
        decimal: the CSV files' decimal mark: ``"."`` (U.S. format, the default) or ``","``
            (``1.234,56``; see :func:`load_csv`).

    Raises:
        InputError: no path is given, a suffix is not recognised, or a file cannot be read at
            all (see :func:`load_csv`, :func:`load_json` and :func:`load_xlsx`).
        RowError: in strict mode, for the first row that cannot be loaded.
    """
    if not paths:
        raise InputError("load()", "no input files given")
    if format is not None and format not in INPUT_FORMATS:
        raise InputError("load()", unknown_format(format))
    kinds = [kind_of(path, format) for path in paths]
    if sheet is not None and "xlsx" not in kinds:
        raise InputError("load()", f"sheet={sheet!r} is given but no input is an .xlsx workbook")
    given = check_delimiter(delimiter, "load()")
    point = check_decimal(decimal, "load()")
    if "csv" not in kinds:
        check_text_options(given, point, "load()")
    result: LoadResult | None = None
    for path, kind in zip(paths, kinds, strict=True):
        if kind == "csv":
            loaded = load_csv(
                path,
                mapping=mapping,
                encoding=encoding,
                strict=strict,
                delimiter=given,
                decimal=point,
            )
        elif kind == "xlsx":
            loaded = load_xlsx(path, sheet=sheet, mapping=mapping, strict=strict)
        else:
            lines = True if kind == "jsonl" else (None if format is None else False)
            loaded = load_json(
                path, lines=lines, encoding=encoding, strict=strict, mapping=mapping
            )
        result = loaded if result is None else result + loaded
    assert result is not None
    return result
