"""Loaders: read Type 86 entries as filed from CSV, JSON, JSON Lines, records or DataFrames.

:func:`stream` reads CSV and JSON Lines incrementally, one entry at a time, for populations
too large to hold in memory; after it is exhausted it gives the same accounting.

Every loader returns a :class:`LoadResult` in which every input row is accounted for: it is
in a loaded entry, or in :attr:`LoadResult.errors` with its source, row, column, value and
reason (``rows_read == rows_in_entries + rows_rejected``). An entry with any unreadable row is
rejected whole, never audited in part. Inputs that cannot be used at all (a missing file, bad
encoding, a missing required column, JSON of the wrong shape) raise
:class:`~t86audit.exceptions.InputError` instead.

The input contract (canonical columns, formats) is :data:`CANONICAL_COLUMNS` and
``contracts.md`` section 1.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from t86audit.exceptions import InputError
from t86audit.io._columns import (
    CANONICAL_COLUMNS,
    ENTRY_LEVEL_COLUMNS,
    LINE_LEVEL_COLUMNS,
    REQUIRED_COLUMNS,
)
from t86audit.io._csv import load_csv
from t86audit.io._frames import load_dataframe, load_records
from t86audit.io._json import load_json
from t86audit.io._mapping import read_mapping
from t86audit.io._result import LoadError, LoadResult, SourceInfo
from t86audit.io._stream import EntryStream, RowsNotContiguousError, StreamedLoad, stream


__all__ = [
    "CANONICAL_COLUMNS",
    "ENTRY_LEVEL_COLUMNS",
    "LINE_LEVEL_COLUMNS",
    "REQUIRED_COLUMNS",
    "EntryStream",
    "LoadError",
    "LoadResult",
    "RowsNotContiguousError",
    "SourceInfo",
    "StreamedLoad",
    "load",
    "load_csv",
    "load_dataframe",
    "load_json",
    "load_records",
    "read_mapping",
    "stream",
]

_FORMATS_BY_SUFFIX: dict[str, Literal["csv", "json", "jsonl"]] = {
    ".csv": "csv",
    ".txt": "csv",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}


def load(
    *paths: str | os.PathLike[str],
    mapping: Mapping[str, str] | None = None,
    encoding: str = "utf-8",
    strict: bool = False,
    format: Literal["csv", "json", "jsonl"] | None = None,
) -> LoadResult:
    """Load entries from one or more files and merge the results.

    The format follows the suffix (``.csv``/``.txt``: CSV; ``.json``: a JSON array, or JSON
    Lines if the content says so; ``.jsonl``/``.ndjson``: JSON Lines) unless ``format`` is
    given. Entries keep their file order, file after file. Entries with the same entry number
    in two files stay two entries: a duplicate-entry-number rule reports them.

    Args:
        *paths: the files to read.
        mapping: canonical column name -> the header (or JSON key) used instead.
        encoding: the files' encoding; decoding is strict.
        strict: raise :class:`~t86audit.exceptions.RowError` at the first unreadable row.
        format: read every path as this format, whatever its suffix.

    Raises:
        InputError: no path is given, a suffix is not recognised, or a file cannot be read at
            all (see :func:`load_csv` and :func:`load_json`).
        RowError: in strict mode, for the first row that cannot be loaded.
    """
    if not paths:
        raise InputError("load()", "no input files given")
    if format is not None and format not in ("csv", "json", "jsonl"):
        raise InputError("load()", f"unknown format {format!r}; use 'csv', 'json' or 'jsonl'")
    result: LoadResult | None = None
    for path in paths:
        name = os.fspath(path)
        kind = format or _FORMATS_BY_SUFFIX.get(Path(name).suffix.lower())
        if kind is None:
            raise InputError(
                name,
                "cannot tell the format from the file name; use a .csv, .json, .jsonl or "
                ".ndjson suffix, or pass format='csv' (or 'json', 'jsonl')",
            )
        if kind == "csv":
            loaded = load_csv(path, mapping=mapping, encoding=encoding, strict=strict)
        else:
            lines = True if kind == "jsonl" else (None if format is None else False)
            loaded = load_json(
                path, lines=lines, encoding=encoding, strict=strict, mapping=mapping
            )
        result = loaded if result is None else result + loaded
    assert result is not None
    return result
