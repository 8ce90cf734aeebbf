"""Loaders: read Type 86 entries as filed from CSV, Excel, JSON, JSON Lines, records or DataFrames.

CSV means delimited text: commas, semicolons, tabs or vertical bars (``delimiter=``, else an
Excel ``sep=`` line, a ``.tsv`` suffix or the header row says which; see :func:`load_csv`).

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

from t86audit.io._columns import (
    CANONICAL_COLUMNS,
    ENTRY_LEVEL_COLUMNS,
    LINE_LEVEL_COLUMNS,
    REQUIRED_COLUMNS,
)
from t86audit.io._csv import load_csv
from t86audit.io._frames import load_dataframe, load_records
from t86audit.io._json import load_json
from t86audit.io._load import load
from t86audit.io._mapping import read_mapping
from t86audit.io._result import LoadError, LoadResult, SourceInfo
from t86audit.io._source import INPUT_FORMATS, kind_of
from t86audit.io._stream import (
    EntryStream,
    RowsNotContiguousError,
    StreamedLoad,
    stream,
)
from t86audit.io._xlsx import load_xlsx


__all__ = [
    "CANONICAL_COLUMNS",
    "ENTRY_LEVEL_COLUMNS",
    "INPUT_FORMATS",
    "LINE_LEVEL_COLUMNS",
    "REQUIRED_COLUMNS",
    "EntryStream",
    "LoadError",
    "LoadResult",
    "RowsNotContiguousError",
    "SourceInfo",
    "StreamedLoad",
    "kind_of",
    "load",
    "load_csv",
    "load_dataframe",
    "load_json",
    "load_records",
    "load_xlsx",
    "read_mapping",
    "stream",
]
