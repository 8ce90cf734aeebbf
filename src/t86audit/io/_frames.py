"""Loaders for in-memory rows: plain records (dicts) and pandas DataFrames.

Both convert every value to text first and then run the same row pipeline as CSV, so a
DataFrame read from a CSV file with ``dtype=str`` loads exactly like the file. Row numbers are
1-based positions (a DataFrame's index is ignored).
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from t86audit.exceptions import InputError
from t86audit.io._columns import check_mapping, plan_columns
from t86audit.io._result import LoadResult, SourceInfo
from t86audit.io._rows import EntryAssembler


if TYPE_CHECKING:
    import pandas as pd


__all__ = ["cell_text", "load_dataframe", "load_records"]

_MISSING_TYPES = frozenset({"NAType", "NaTType"})
_EXACT_FLOAT_INTEGER = 2**53


def _never_missing(value: object) -> bool:
    del value
    return False


def cell_text(value: object, is_missing: Callable[[object], bool] = _never_missing) -> str:
    """Convert an in-memory value to the cell text a CSV export would hold.

    ``None``, NaN and pandas' missing markers become ``""``; a float becomes its shortest
    decimal text (``12.5``; ``3.0`` becomes ``3``) without exponent; a
    :class:`~decimal.Decimal` its fixed-point text; a date-time at midnight without a time
    zone its ISO date, any other date-time its ISO 8601 text; a date its ISO text.
    """
    if isinstance(value, str):
        return value
    if value is None or type(value).__name__ in _MISSING_TYPES or is_missing(value):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if math.isinf(value):
            return "-inf" if value < 0 else "inf"
        if value.is_integer() and abs(value) < _EXACT_FLOAT_INTEGER:
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if isinstance(value, Decimal):
        return format(value, "f") if value.is_finite() else str(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is None and value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def load_records(
    records: Iterable[Mapping[str, object]],
    *,
    source_name: str = "<records>",
    mapping: Mapping[str, str] | None = None,
    strict: bool = False,
) -> LoadResult:
    """Load entries from flat row dicts, one per line item, with CSV semantics.

    The columns are the union of the records' keys, in order of first appearance; a key
    missing from a record is a blank cell. Values are converted with :func:`cell_text`.
    Row numbers are the records' 1-based positions. An empty iterable loads nothing.

    Raises:
        InputError: a required column is missing from every record, or two keys are the same
            column after normalisation.
        RowError: in strict mode, for the first record that cannot be loaded.
    """
    columns = check_mapping(mapping, "column mapping")
    rows: list[object] = list(records)
    if not rows:
        return LoadResult((), (), (SourceInfo(source_name, "", 0),), 0, 0)
    keys: dict[object, None] = {}
    for record in rows:
        if isinstance(record, Mapping):
            keys.update(dict.fromkeys(record))
    order = list(keys)
    plan = plan_columns([str(key) for key in order], columns, source_name)
    assembler = EntryAssembler(source_name, plan, strict=strict)
    assembler.delimited_text = False
    for row, record in enumerate(rows, 1):
        if not isinstance(record, Mapping):
            assembler.reject_row(
                row,
                None,
                None,
                f"the record is a {type(record).__name__}, not a mapping of columns to values",
            )
            continue
        assembler.add_row(row, [cell_text(record.get(key)) for key in order])
    return assembler.finish()


def load_dataframe(
    df: pd.DataFrame,
    *,
    mapping: Mapping[str, str] | None = None,
    strict: bool = False,
    source_name: str = "<DataFrame>",
) -> LoadResult:
    """Load entries from a pandas DataFrame with one row per line item, like a CSV file.

    Column names are matched like CSV headers. Every value is converted to text first
    (missing values to ``""``, timestamps to ISO dates, floats to their shortest decimal text;
    see :func:`cell_text`), then the CSV row pipeline runs. Row numbers are 1-based positions;
    the index is ignored. pandas is imported only when this function is called. Read a CSV
    file with ``pd.read_csv(path, dtype=str, keep_default_na=False)`` to load it as filed: a
    text column read as numbers (leading zeros lost) is warned about.

    Raises:
        InputError: pandas is not installed, ``df`` is not a DataFrame, or its columns lack a
            required column or repeat one.
        RowError: in strict mode, for the first row that cannot be loaded.
    """
    try:
        import pandas as pd  # noqa: PLC0415 - optional dependency, imported on use
    except ImportError:  # pragma: no cover - pandas is installed wherever a DataFrame exists
        raise InputError(source_name, "load_dataframe needs pandas (pip install pandas)") from None
    if not isinstance(df, pd.DataFrame):
        raise InputError(source_name, f"expected a pandas DataFrame, got {type(df).__name__}")
    columns = check_mapping(mapping, "column mapping")
    header = [str(name) for name in df.columns]
    plan = plan_columns(header, columns, source_name)
    _warn_if_typed(df, plan.positions, source_name)
    assembler = EntryAssembler(source_name, plan, strict=strict)
    assembler.delimited_text = False
    is_missing = _scalar_missing(pd)
    for row, values in enumerate(df.itertuples(index=False, name=None), 1):
        assembler.add_row(row, [cell_text(value, is_missing) for value in values])
    return assembler.finish()


_NUMBERS = frozenset({"value_usd", "quantity", "gross_weight_kg", "line_number"})
"""Canonical columns whose values are numbers: read as numbers, they lose nothing a rule reads."""


def _warn_if_typed(df: Any, positions: Mapping[str, int], source_name: str) -> None:
    """Warn when text columns were read as numbers (``pd.read_csv`` without ``dtype=str``).

    A port code ``0101``, a postal code ``02134`` or an HTS number ``0101210000`` read as a
    number has lost its leading zero, and the rules would judge a number that was never
    filed; the loader cannot tell.
    """
    kinds = [dtype.kind for dtype in df.dtypes]
    typed = sorted(
        name
        for name, index in positions.items()
        if name not in _NUMBERS and index < len(kinds) and kinds[index] in "iufcb"
    )
    if typed:
        warnings.warn(
            f"{source_name}: the column(s) {', '.join(typed)} hold numbers, not the text filed: "
            "leading zeros (port and postal codes, HTS numbers) may be lost and 'N/A' read as "
            "blank; read the file with pd.read_csv(path, dtype=str, keep_default_na=False) to "
            "load it as filed",
            UserWarning,
            stacklevel=3,
        )


def _scalar_missing(pd: Any) -> Callable[[object], bool]:
    """Return a test for pandas' missing scalars that never fails on list-like cells."""
    isna = pd.isna

    def is_missing(value: object) -> bool:
        try:
            return bool(isna(value))
        except (TypeError, ValueError):
            return False

    return is_missing
