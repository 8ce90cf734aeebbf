"""Property tests: whatever the input, every row is accounted for and only our errors escape."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from t86audit.exceptions import RowError, T86AuditError
from t86audit.io import REQUIRED_COLUMNS, LoadResult, load_csv, load_json


OPTIONAL = [
    "line_number",
    "filed_at",
    "estimated_arrival_date",
    "gross_weight_kg",
    "entry_type",
    "Broker Note",
]
ENTRY_NUMBERS = ["B76-0324527-8", "b7603245278", " B76 0324527 8 ", "H3K-0004108-1", "x", "", " "]
AMOUNTS = ["10", "$1,234.56", "USD 5", "-3", "", "abc", "1e3", "1,23.4", "NaN", "0.12345"]
DATES = ["2024-03-04", "03/04/2024", "3/4/2024", "2024-02-31", "31/12/2024", "12/31/24", ""]
EDAS = ["030424", "2024-03-04", "", "133124", "soon"]
DATETIMES = ["2024-03-04T10:00", "2024-03-04T10:00:00Z", "", "noon", "2024-03-04T25:00"]
INTS = ["1", "2", "", "1.5", "one"]

free_text = st.text(max_size=12)
cell_choices = {
    "entry_number": st.sampled_from(ENTRY_NUMBERS),
    "arrival_date": st.sampled_from(DATES),
    "estimated_arrival_date": st.sampled_from(EDAS),
    "filed_at": st.sampled_from(DATETIMES),
    "value_usd": st.one_of(st.sampled_from(AMOUNTS), free_text),
    "quantity": st.one_of(st.sampled_from(AMOUNTS), free_text),
    "gross_weight_kg": st.sampled_from(AMOUNTS),
    "line_number": st.sampled_from(INTS),
    "bill_of_lading": st.sampled_from(["AWB-1", "AWB-2", " AWB-1"]),
}


def cell_strategy(column: str) -> st.SearchStrategy[str]:
    return cell_choices.get(column, st.one_of(st.sampled_from(["A", "", " B "]), free_text))


@st.composite
def csv_files(draw: st.DrawFn) -> tuple[str, list[int]]:
    """CSV text with valid and invalid cells, random grouping and ragged rows.

    Returns the text and the row numbers of the data rows that hold any non-blank cell.
    """
    optional = draw(st.lists(st.sampled_from(OPTIONAL), unique=True, max_size=len(OPTIONAL)))
    header = draw(st.permutations(sorted(REQUIRED_COLUMNS) + optional))
    rows = []
    for _ in range(draw(st.integers(0, 12))):
        cells = [draw(cell_strategy(column)) for column in header]
        shape = draw(st.sampled_from(["ok"] * 8 + ["long", "short"]))
        if shape == "long":
            cells.append("surplus")
        elif shape == "short" and cells:
            cells.pop()
        rows.append(cells)
    out = io.StringIO()
    # csv.writer only quotes the line terminator's own characters, so a lone "\r" in a cell
    # is unambiguous only with CRLF terminators or when every cell is quoted.
    if draw(st.booleans()):
        writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    else:
        writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(header)
    writer.writerows(rows)
    data_rows = [n for n, cells in enumerate(rows, 1) if any(c.strip() for c in cells)]
    return out.getvalue(), data_rows


def check_accounting(result: LoadResult) -> None:
    assert result.rows_read == result.rows_in_entries + result.rows_rejected
    assert len(result.errors) == result.rows_rejected
    assert sum(source.rows_read for source in result.sources) == result.rows_read
    for entry in result.entries:
        assert len(entry.lines) == len(entry.source_rows)


@settings(max_examples=60, deadline=None)
@given(csv_files())
def test_every_csv_row_is_accounted_for(generated):
    """Each data row is in exactly one loaded entry or has exactly one load error."""
    text, data_rows = generated
    try:
        result = load_csv(io.StringIO(text), source_name="gen.csv")
    except T86AuditError:
        return
    check_accounting(result)
    assert result.rows_read == len(data_rows)
    loaded = [row for entry in result.entries for row in entry.source_rows]
    rejected = [error.row or 0 for error in result.errors]
    assert sorted(loaded + rejected) == data_rows
    assert all(error.source == "gen.csv" for error in result.errors)
    assert rejected == sorted(rejected)


@settings(max_examples=30, deadline=None)
@given(csv_files())
def test_strict_mode_raises_exactly_when_lenient_mode_reports(generated):
    """strict=True raises RowError if and only if a lenient load reports errors."""
    text, _ = generated
    try:
        lenient = load_csv(io.StringIO(text))
    except T86AuditError:
        return
    if not lenient.errors:
        assert load_csv(io.StringIO(text), strict=True).entries == lenient.entries
        return
    with pytest.raises(RowError) as info:
        load_csv(io.StringIO(text), strict=True)
    assert (info.value.row, info.value.column) in {(e.row, e.column) for e in lenient.errors}


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from('ab,"\n\r \ufeff$1-entry_numbervalu'), max_size=80))
def test_arbitrary_text_raises_only_our_errors(text):
    """Any text either loads with full accounting or raises a T86AuditError."""
    try:
        result = load_csv(io.StringIO(text), mapping={"value_usd": "a"})
    except T86AuditError:
        return
    check_accounting(result)


json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=6),
    st.sampled_from(["2024-03-04", "10", "B76-0324527-8", "abc"]),
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=4), children, max_size=3)
    ),
    max_leaves=10,
)
entry_like = st.fixed_dictionaries(
    {
        key: st.sampled_from(["x", "2024-03-04", "B76-0324527-8"])
        for key in sorted(REQUIRED_COLUMNS)
    },
    optional={
        "lines": st.lists(
            st.one_of(
                json_values,
                st.fixed_dictionaries(
                    {
                        "description": st.just("d"),
                        "hts_number": st.just("1"),
                        "country_of_origin": st.just("CN"),
                        "value_usd": st.sampled_from(["1", "x", 2.5]),
                        "quantity": st.just(1),
                    }
                ),
            ),
            max_size=3,
        )
    },
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(entry_like, json_values), max_size=5), st.booleans())
def test_every_json_line_is_accounted_for(records, as_lines):
    """Any array or JSON Lines of values loads with full accounting or raises our error."""
    text = "\n".join(map(json.dumps, records)) if as_lines else json.dumps(records)
    try:
        result = load_json(io.StringIO(text), lines=as_lines)
    except T86AuditError:
        return
    check_accounting(result)
