"""Tests for the JSON and JSON Lines loader."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

from t86audit.exceptions import InputError, RowError
from t86audit.io import LoadResult, load, load_csv, load_json


DATA = Path(__file__).parent / "data" / "io"

ENTRY = {
    "entry_number": "B76-0324527-8",
    "arrival_date": "2024-03-04",
    "port_code": "4701",
    "bill_of_lading": "AWB-1",
    "consignee_name": "Jane Doe",
    "consignee_address": "12 Elm St",
    "consignee_country": "US",
    "seller_name": "Shop Ltd",
    "seller_address": "1 Rd",
    "seller_country": "CN",
}
LINE = {
    "description": "T-shirt",
    "hts_number": "6109.10.0012",
    "country_of_origin": "CN",
    "value_usd": "10.00",
    "quantity": "1",
}


def record(*lines: dict[str, object], **fields: object) -> dict[str, object]:
    """An entry object: ENTRY updated with fields, with the given lines (LINE updated)."""
    return {**ENTRY, **fields, "lines": [{**LINE, **line} for line in lines]}


def load_array(records: list[object], **kwargs: object) -> LoadResult:
    return load_json(io.StringIO(json.dumps(records)), source_name="t.json", **kwargs)  # type: ignore[arg-type]


def load_raw(text: str, **kwargs: object) -> LoadResult:
    return load_json(io.StringIO(text), source_name="t.json", **kwargs)  # type: ignore[arg-type]


def assert_accounted(result: LoadResult) -> None:
    assert result.rows_read == result.rows_in_entries + result.rows_rejected
    assert len(result.errors) == result.rows_rejected


def test_json_array_loads_like_the_equivalent_csv():
    """The JSON fixture gives the same entries as the CSV fixture with the same data."""
    from_json = load_json(DATA / "entries.json")
    from_csv = load_csv(DATA / "all_columns.csv")
    assert from_json.errors == ()
    assert from_json.entries == from_csv.entries
    assert [e.extra for e in from_json.entries] == [
        {"broker_note": "first"},
        {"broker_note": "second"},
    ]
    assert from_json.entries[0].source_rows == (1, 1)
    assert [line.source_row for line in from_json.entries[1].lines] == [2]
    assert from_json.rows_read == 3


def test_json_lines_load_like_the_array_and_keep_line_numbers():
    """JSON Lines give the same entries; blank lines are skipped but rows are file lines."""
    from_lines = load(DATA / "entries.jsonl")
    from_array = load(DATA / "entries.json")
    assert from_lines.entries == from_array.entries
    assert [e.source_rows for e in from_lines.entries] == [(1, 1), (3,)]


def test_json_suffix_with_json_lines_content_is_detected(tmp_path):
    """A .json file holding JSON Lines is recognised from its content."""
    path = tmp_path / "entries.json"
    path.write_text("\n".join(json.dumps(record({})) for _ in range(2)))
    assert load(path).entries_loaded == 2


def test_single_object_is_one_record():
    """A file holding one entry object loads it (a one-line JSON Lines file)."""
    result = load_raw(json.dumps(record({}), indent=2))
    assert result.entries_loaded == 1


def test_an_envelope_around_the_entries_is_refused_saying_how_to_unwrap_it() -> None:
    """``{"entries": [...]}`` is not taken for one entry lacking every key."""
    text = json.dumps({"entries": [record({}), record({})]})
    with pytest.raises(InputError) as info:
        load_raw(text)
    assert info.value.source == "t.json"
    assert "key 'entries' holds an array of 2 objects" in info.value.reason
    assert "give the array itself" in info.value.reason
    # Beside other keys, or empty, the array is still the envelope's.
    with pytest.raises(InputError, match="key 'data' holds an array of 1 objects"):
        load_raw(json.dumps({"count": 1, "data": [record({})]}))
    with pytest.raises(InputError, match="key 'entries' holds an empty array"):
        load_raw(json.dumps({"entries": []}))
    # An object with lines is an entry (its other fields may have mapped names), not an
    # envelope: read as a record, here one lacking the other required keys.
    lone = load_raw(
        json.dumps({"No.": "B76-0324527-8", "lines": [LINE]}), mapping={"entry_number": "No."}
    )
    assert lone.rows_rejected == 1
    assert "lacks required key(s)" in lone.errors[0].message
    # An entry object with one key is still a record, rejected with its missing keys.
    result = load_raw(json.dumps({"entry_number": "B76-0324527-8"}))
    assert result.rows_rejected == 1
    assert "lacks required key(s)" in result.errors[0].message


def test_json_numbers_never_pass_through_float():
    """JSON numbers are read from their text: 0.1 is exactly Decimal('0.1')."""
    result = load_raw("[" + json.dumps(record({})).replace('"10.00"', "0.1") + "]")
    line = result.entries[0].lines[0]
    assert line.value_usd == Decimal("0.1")
    assert line.value_raw == "0.1"


def test_json_exponent_and_nan_values_are_row_errors():
    """Exponent numbers and NaN in a value are rejected like their CSV text."""
    text = json.dumps([record({}), record({})])
    text = text.replace('"10.00"', "1e3", 1).replace('"10.00"', "NaN", 1)
    result = load_raw(text)
    assert [(e.row, e.column, e.value) for e in result.errors] == [
        (1, "value_usd", "1e3"),
        (2, "value_usd", "NaN"),
    ]
    assert result.errors[0].message.startswith("line 1: ")


def test_records_with_the_same_entry_number_stay_apart():
    """Each record is one entry, even if another record has the same entry number."""
    result = load_array([record({}), record({"description": "Socks"})])
    assert result.entries_loaded == 2


def test_keys_match_case_insensitively_and_through_a_mapping():
    """Keys match like CSV headers and can be mapped."""
    rec = record({})
    rec["Consignee_Name "] = rec.pop("consignee_name")
    rec["Declared"] = rec.pop("seller_name")
    result = load_array([rec], mapping={"seller_name": "declared"})
    entry = result.entries[0]
    assert entry.consignee.name == "Jane Doe"
    assert entry.seller.name == "Shop Ltd"


def test_default_line_numbers_and_null_values():
    """Lines are numbered in order by default; null is a blank value."""
    result = load_array([record({"quantity": None}, {"line_number": 9}, {})])
    lines = result.entries[0].lines
    assert [line.line_number for line in lines] == [1, 9, 3]
    assert lines[0].quantity is None


def test_a_bad_line_rejects_the_whole_record():
    """An unreadable line object rejects every line of its record, one error each."""
    result = load_array([record({}, {"value_usd": "abc"}, {}), record({})])
    assert_accounted(result)
    assert result.entries_loaded == 1
    assert [(e.row, e.column, e.message[:7]) for e in result.errors] == [
        (1, None, "line 1:"),
        (1, "value_usd", "line 2:"),
        (1, None, "line 3:"),
    ]
    assert result.errors[0].message == (
        "line 1: entry B76-0324527-8 rejected: line 2 could not be read"
    )


@pytest.mark.parametrize(
    ("rec", "rows", "fragment"),
    [
        (42, 1, "not an entry object"),
        ("text", 1, "not an entry object"),
        ({**ENTRY}, 1, "no 'lines' array"),
        ({**ENTRY, "lines": {}}, 1, "must be an array"),
        ({**ENTRY, "lines": []}, 1, "entry has no lines"),
        ({**ENTRY, "lines": [LINE, 5]}, 2, "not a line object"),
        ({**ENTRY, "lines": [{**LINE, "port_code": "1"}]}, 1, "does not belong in a line object"),
        ({**ENTRY, "description": "x", "lines": [LINE, LINE]}, 2, "does not belong in the entry"),
        ({**ENTRY, "lines": [{"description": "x"}]}, 1, "lacks required key(s): hts_number"),
        ({**ENTRY, "port_code": {"a": 1}, "lines": [LINE]}, 1, "must be text or a number"),
        ({**ENTRY, "Port_Code": "1", "lines": [LINE]}, 1, "are the same key"),
    ],
)
def test_bad_records_are_row_errors(rec, rows, fragment):
    """Records of the wrong shape are rejected, each line counted, with a clear reason."""
    result = load_array([rec, record({})])
    assert_accounted(result)
    assert result.entries_loaded == 1
    assert result.rows_rejected == rows
    assert all(error.row == 1 for error in result.errors)
    assert any(fragment in error.message for error in result.errors), result.errors


def test_nested_party_objects_get_a_hint():
    """Nested consignee/seller objects are not in the contract; the error says so."""
    rec = {k: v for k, v in record({}).items() if not k.startswith("consignee")}
    rec["consignee"] = {"name": "Jane"}
    (error,) = load_array([rec]).errors
    assert "consignee_name" in error.message
    assert "nested party objects are not accepted" in error.message


def test_extra_keys_are_kept_as_text():
    """Unknown keys go into Entry.extra; nested values as compact JSON text."""
    rec = record({}, broker={"id": "7"}, flag=True, note=None)
    assert load_array([rec]).entries[0].extra == {
        "broker": '{"id": "7"}',
        "flag": "true",
        "note": "",
    }


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("   \n", "empty"),
        ("[1, 2", "invalid JSON at line 1, column 6"),
        ('[{"a": 1},\n {"b": }]', "invalid JSON at line 2, column 8"),
        ('"entries"', "expected a JSON array"),
        ("42", "expected a JSON array"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ],
)
def test_unreadable_json_is_an_input_error(text, fragment):
    """JSON that cannot be parsed, or is not an array of objects, is an InputError."""
    with pytest.raises(InputError, match=fragment):
        load_raw(text, lines=None)


def test_array_expected_but_scalar_given():
    """With lines=False a top-level scalar is refused."""
    with pytest.raises(InputError, match="got a JSON string or number"):
        load_raw("3.5", lines=False)


def test_bad_json_lines_are_row_errors():
    """In JSON Lines a line that is not valid JSON is a row error; other lines load."""
    text = json.dumps(record({})) + "\n{oops\n\n" + json.dumps(record({})) + "\n[]\n"
    result = load_raw(text, lines=True)
    assert_accounted(result)
    assert result.entries_loaded == 2
    assert [(e.row, e.message[:18]) for e in result.errors] == [
        (2, "not valid JSON at "),
        (5, "the record is a JS"),
    ]


def test_strict_mode_raises_row_error():
    """strict=True raises RowError for the first unreadable record."""
    with pytest.raises(RowError) as info:
        load_array([record({}), record({}, {"quantity": "many"})], strict=True)
    assert (info.value.source, info.value.row, info.value.column) == ("t.json", 2, "quantity")
    assert info.value.reason.startswith("line 2: ")


def test_missing_json_file_and_bad_encoding(tmp_path):
    """Missing files and invalid UTF-8 are InputErrors, as for CSV."""
    with pytest.raises(InputError, match="not found"):
        load(tmp_path / "none.json")
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b'{"entry_number": "\xff"}\n')
    with pytest.raises(InputError, match="offset 18 "):
        load(path)
