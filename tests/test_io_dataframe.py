"""Tests for the in-memory loaders: plain records and pandas DataFrames."""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from t86audit.exceptions import InputError, RowError
from t86audit.io import load_csv, load_dataframe, load_records


DATA = Path(__file__).parent / "data" / "io"
ALL_COLUMNS = DATA / "all_columns.csv"


def csv_records() -> list[dict[str, str]]:
    with ALL_COLUMNS.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_records_load_like_the_csv_file():
    """Flat row dicts load exactly like the CSV rows they came from."""
    from_records = load_records(csv_records())
    from_csv = load_csv(ALL_COLUMNS)
    assert from_records.entries == from_csv.entries
    assert [e.source_rows for e in from_records.entries] == [(1, 3), (2,)]
    assert [e.extra for e in from_records.entries] == [e.extra for e in from_csv.entries]
    assert from_records.sources[0].path == "<records>"


def test_records_convert_python_values_to_text():
    """Decimals, floats, dates and None become the text a CSV export would hold."""
    row: dict[str, object] = dict(csv_records()[1])
    row.update(
        value_usd=Decimal("45.00"),
        quantity=3.0,
        gross_weight_kg=0.1,
        arrival_date=dt.date(2024, 3, 5),
        filed_at=None,
        line_number=2,
    )
    (entry,) = load_records([row]).entries
    line = entry.lines[0]
    assert (line.value_usd, line.value_raw) == (Decimal("45.00"), "45.00")
    assert (line.quantity, line.quantity_raw) == (Decimal(3), "3")
    assert line.gross_weight_kg == Decimal("0.1")
    assert line.line_number == 2
    assert entry.arrival_date == dt.date(2024, 3, 5)
    assert entry.filed_at is None


def test_records_with_missing_keys_and_non_mappings():
    """A key absent from a record is blank; a record that is not a mapping is a row error."""
    rows: list[object] = [*csv_records(), 7]
    del rows[1]["importer_of_record"]  # type: ignore[attr-defined]
    result = load_records(rows, source_name="mine")  # type: ignore[arg-type]
    assert result.entries[1].importer_of_record == ""
    assert [(e.source, e.row) for e in result.errors] == [("mine", 4)]
    assert result.rows_read == result.rows_in_entries + result.rows_rejected


def test_empty_records_load_nothing():
    """No records, no entries (and no error)."""
    result = load_records([])
    assert (result.entries, result.rows_read) == ((), 0)


def test_records_missing_a_required_column():
    """Records lacking a required key in every row are an InputError."""
    rows = [{k: v for k, v in row.items() if k != "hts_number"} for row in csv_records()]
    with pytest.raises(InputError, match="hts_number"):
        load_records(rows)


def test_importing_io_does_not_import_pandas():
    """pandas is imported lazily, never by importing the loaders."""
    code = "import sys, t86audit.io; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_dataframe_of_text_equals_the_csv_load():
    """A DataFrame read as text from the CSV file loads exactly like the file."""
    pd = pytest.importorskip("pandas")
    df = pd.read_csv(ALL_COLUMNS, dtype=str, keep_default_na=False)
    from_df = load_dataframe(df)
    from_csv = load_csv(ALL_COLUMNS)
    assert from_df.entries == from_csv.entries
    assert [e.extra for e in from_df.entries] == [e.extra for e in from_csv.entries]
    assert [e.source_rows for e in from_df.entries] == [(1, 3), (2,)]
    assert from_df.entries[0].source == "<DataFrame>"


def test_typed_dataframe_gives_the_same_values():
    """A DataFrame with pandas' own types (NaN, floats, Timestamps) gives equal values."""
    pd = pytest.importorskip("pandas")
    df = pd.read_csv(
        ALL_COLUMNS,
        dtype={
            "port_code": str,
            "consignee_postal_code": str,
            "estimated_arrival_date": str,
            "entry_type": str,
        },
    )
    df["arrival_date"] = pd.to_datetime(df["arrival_date"], format="mixed")
    from_df = load_dataframe(df)
    from_csv = load_csv(ALL_COLUMNS)
    assert from_df.errors == ()
    for got, want in zip(from_df.entries, from_csv.entries, strict=True):
        assert got.number == want.number
        assert got.arrival_date == want.arrival_date
        assert got.filed_at == want.filed_at
        assert got.consignee == want.consignee
        assert [line.value_usd for line in got.lines] == [line.value_usd for line in want.lines]
        assert [line.quantity for line in got.lines] == [line.quantity for line in want.lines]
        assert [line.gross_weight_kg for line in got.lines] == [
            line.gross_weight_kg for line in want.lines
        ]
        assert [line.line_number for line in got.lines] == [
            line.line_number for line in want.lines
        ]
        assert got.importer_of_record == want.importer_of_record


def test_dataframe_missing_values_and_timestamps():
    """pd.NA, NaT and NaN are blank; a Timestamp with a time keeps it."""
    pd = pytest.importorskip("pandas")
    df = pd.read_csv(ALL_COLUMNS, dtype=str, keep_default_na=False).head(1)
    df["filed_at"] = pd.Series([pd.Timestamp("2024-03-04 09:30")], dtype="datetime64[ns]")
    df["gross_weight_kg"] = pd.array([pd.NA], dtype="Float64")
    df["order_reference"] = pd.Series([pd.NaT])
    entry = load_dataframe(df).entries[0]
    assert entry.filed_at is not None
    assert entry.filed_at.hour == 9
    assert entry.filed_at_raw == "2024-03-04T09:30:00"
    assert entry.lines[0].gross_weight_kg is None
    assert entry.lines[0].order_reference == ""


def test_dataframe_row_errors_use_positions_and_strict_raises():
    """Row numbers are 1-based positions (the index is ignored); strict mode raises."""
    pd = pytest.importorskip("pandas")
    df = pd.read_csv(ALL_COLUMNS, dtype=str, keep_default_na=False)
    df.index = [10, 20, 30]
    df.loc[20, "value_usd"] = "lots"
    result = load_dataframe(df, source_name="frame")
    assert [(e.source, e.row, e.column) for e in result.errors] == [("frame", 2, "value_usd")]
    with pytest.raises(RowError) as info:
        load_dataframe(df, strict=True)
    assert info.value.row == 2


def test_dataframe_with_mapping_and_bad_input():
    """Column mappings apply to DataFrames; a non-DataFrame is an InputError."""
    pd = pytest.importorskip("pandas")
    df = pd.read_csv(ALL_COLUMNS, dtype=str, keep_default_na=False)
    df = df.rename(columns={"value_usd": "Declared Value"})
    result = load_dataframe(df, mapping={"value_usd": "Declared Value"})
    assert result.entries_loaded == 2
    with pytest.raises(InputError, match="value_usd"):
        load_dataframe(df)
    with pytest.raises(InputError, match="expected a pandas DataFrame"):
        load_dataframe([1, 2])


def test_a_frame_whose_text_columns_hold_numbers_is_warned_about():
    """pd.read_csv without dtype=str reads port codes, postal codes and HTS numbers as numbers
    (a leading zero lost); the load says so and how to read the file as filed. Numbers in the
    number columns (values, quantities, weights) are not warned about."""
    pd = pytest.importorskip("pandas")
    from t86audit.testing import make_entry, to_csv_rows  # noqa: PLC0415

    rows = to_csv_rows([make_entry(serial=1, port_code="0101"), make_entry(serial=2)])
    text = pd.DataFrame(rows, dtype=str)
    typed = text.astype({"port_code": "int64", "value_usd": "float64"})
    with pytest.warns(UserWarning, match=r"the column\(s\) port_code hold numbers") as caught:
        loaded = load_dataframe(typed)
    assert "dtype=str, keep_default_na=False" in str(caught[0].message)
    assert loaded.entries[0].port_code == "101"  # what the warning is about
    assert load_dataframe(text).entries[0].port_code == "0101"  # no warning: filterwarnings=error
