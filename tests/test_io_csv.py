"""Tests for the CSV loader, column mapping and load accounting."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from t86audit.exceptions import InputError, RowError
from t86audit.io import (
    CANONICAL_COLUMNS,
    ENTRY_LEVEL_COLUMNS,
    LINE_LEVEL_COLUMNS,
    REQUIRED_COLUMNS,
    LoadError,
    LoadResult,
    load,
    load_csv,
    read_mapping,
)
from t86audit.model import EntryNumber
from t86audit.testing import make_population, to_csv_rows


DATA = Path(__file__).parent / "data" / "io"

BASE = {
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
    "description": "T-shirt",
    "hts_number": "6109.10.0012",
    "country_of_origin": "CN",
    "value_usd": "10.00",
    "quantity": "1",
}
HEADER = [*BASE, "filed_at", "estimated_arrival_date", "line_number", "gross_weight_kg"]


def csv_text(*rows: dict[str, str], header: list[str] = HEADER) -> str:
    """Build CSV text: each row is BASE updated with the given cells."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        cells = {**BASE, **row}
        writer.writerow([cells.get(name, "") for name in header])
    return out.getvalue()


def load_text(text: str, **kwargs: object) -> LoadResult:
    return load_csv(io.StringIO(text), source_name="t.csv", **kwargs)  # type: ignore[arg-type]


def one_error(result: LoadResult) -> LoadError:
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


def assert_accounted(result: LoadResult) -> None:
    assert result.rows_read == result.rows_in_entries + result.rows_rejected
    assert len(result.errors) == result.rows_rejected


# -- contract constants ------------------------------------------------------------------------


def test_columns_follow_the_contract():
    """The canonical columns are the contract's, entry level first, required ones included."""
    assert CANONICAL_COLUMNS == ENTRY_LEVEL_COLUMNS + LINE_LEVEL_COLUMNS
    assert len(CANONICAL_COLUMNS) == len(set(CANONICAL_COLUMNS)) == 29
    assert CANONICAL_COLUMNS[0] == "entry_number"
    assert CANONICAL_COLUMNS[-1] == "additional_hts"
    assert set(CANONICAL_COLUMNS) >= REQUIRED_COLUMNS
    assert len(REQUIRED_COLUMNS) == 15


# -- round trip --------------------------------------------------------------------------------


def test_every_canonical_column_reaches_the_model():
    """A file using every column loads each value into the right model field."""
    result = load_csv(DATA / "all_columns.csv")
    assert_accounted(result)
    assert result.errors == ()
    assert [e.number for e in result.entries] == ["B76-0324527-8", "H3K-0004108-1"]
    first, second = result.entries
    eastern = ZoneInfo("America/New_York")

    assert first.entry_type == "86"
    assert first.arrival_date == dt.date(2024, 3, 4)
    assert first.arrival_date_raw == "2024-03-04"
    assert first.filed_at == dt.datetime(2024, 3, 4, 9, 30, tzinfo=eastern)
    assert first.filed_at_raw == "2024-03-04T09:30:00"
    assert first.estimated_arrival_date == dt.date(2024, 3, 4)
    assert first.estimated_arrival_date_raw == "030424"
    assert first.port_code == "4701"
    assert first.mode == "air"
    assert first.bill_of_lading == "AWB-1001"
    assert first.consignee.name == "Jane Doe"
    assert first.consignee.address == "12 Elm St"
    assert first.consignee.city == "Springfield"
    assert first.consignee.state == "IL"
    assert first.consignee.postal_code == "62701"
    assert first.consignee.country == "US"
    assert first.seller.name == "Shenzhen Gadgets Ltd"
    assert first.seller.address == "88 Market Rd"
    assert first.seller.country == "CN"
    assert first.importer_of_record == ""
    assert first.pga_data == "disclaimed"
    assert first.extra == {"broker_note": "first"}
    assert first.source == str(DATA / "all_columns.csv")
    assert first.source_rows == (1, 3)

    line1, line2 = first.lines
    assert line1.line_number == 1
    assert line1.description == "Cotton T-shirt, men's"
    assert line1.hts_number == "6109.10.0012"
    assert line1.country_of_origin == "CN"
    assert line1.value_usd == Decimal("1200.50")
    assert line1.value_raw == "$1,200.50"
    assert line1.quantity == Decimal(2)
    assert line1.quantity_raw == "2"
    assert line1.quantity_unit == "PCS"
    assert line1.gross_weight_kg == Decimal("0.35")
    assert line1.gross_weight_raw == "0.35"
    assert line1.order_reference == "ORD-1"
    assert line1.source_row == 1
    assert line2.line_number == 2
    assert line2.gross_weight_kg is None
    assert line2.source_row == 3

    assert second.arrival_date == dt.date(2024, 3, 5)
    assert second.filed_at == dt.datetime(
        2024, 3, 5, 14, tzinfo=dt.timezone(dt.timedelta(hours=8))
    )
    assert second.importer_of_record == "12-3456789AB"
    assert second.lines[0].line_number == 1
    assert second.lines[0].value_usd == Decimal(45)
    assert second.source_rows == (2,)


def test_rows_group_by_entry_number_key_in_order_of_first_appearance():
    """Rows differing only in dashes, spaces or case form one entry; entries keep file order."""
    text = csv_text(
        {"entry_number": "B76-0324527-8"},
        {"entry_number": "H3K-0004108-1"},
        {"entry_number": "b76 0324527 8", "description": "Socks"},
    )
    result = load_text(text)
    assert [e.number for e in result.entries] == ["B76-0324527-8", "H3K-0004108-1"]
    assert [line.description for line in result.entries[0].lines] == ["T-shirt", "Socks"]
    assert result.entries[0].source_rows == (1, 3)
    assert result.entries[0].entry_number.key == EntryNumber("b76 0324527 8").key


def test_malformed_entry_number_is_data():
    """A malformed entry number is kept as filed; the rules judge it."""
    result = load_text(csv_text({"entry_number": " 12 "}))
    assert result.entries[0].number == "12"
    assert not result.entries[0].entry_number.is_well_formed


def test_cells_are_stripped_and_blank_text_is_data():
    """Surrounding white space is stripped, inner text kept, blank text fields kept as ''."""
    result = load_text(csv_text({"consignee_name": "", "description": "  Two  words  "}))
    entry = result.entries[0]
    assert entry.consignee.name == ""
    assert entry.lines[0].description == "Two  words"


def test_line_numbers_default_to_order_within_the_entry():
    """line_number defaults to the line's position in its entry; given numbers are kept."""
    text = csv_text(
        {"line_number": ""},
        {"line_number": "7"},
        {"line_number": ""},
    )
    lines = load_text(text).entries[0].lines
    assert [line.line_number for line in lines] == [1, 7, 3]


def test_entry_type_defaults_to_86():
    """entry_type is 86 when the column is absent; a blank cell stays blank (FIL015 reports it)."""
    assert load_text(csv_text({})).entries[0].entry_type == "86"
    header = [*HEADER, "entry_type"]
    text = csv_text(
        {"entry_type": ""}, {"entry_number": "H3K-0004108-1", "entry_type": "01"}, header=header
    )
    assert [e.entry_type for e in load_text(text).entries] == ["", "01"]


def test_blank_rows_are_skipped_but_keep_their_row_number():
    """All-blank records are not data rows, yet row numbers stay positional."""
    text = csv_text({}, {"entry_number": "H3K-0004108-1", "value_usd": "x"})
    text = text.replace("\n", "\n,,,\n\n", 1)
    result = load_text(text)
    assert result.rows_read == 2
    assert result.entries[0].source_rows == (3,)
    assert one_error(result).row == 4
    assert_accounted(result)


def test_big_fields_load_and_the_csv_limit_is_restored():
    """A cell far above the csv module's default limit loads; the global limit is restored."""
    before = csv.field_size_limit()
    big = "x" * (before + 10)
    result = load_text(csv_text({"description": big}))
    assert result.entries[0].lines[0].description == big
    assert csv.field_size_limit() == before


# -- headers and mapping -----------------------------------------------------------------------


def test_headers_match_ignoring_case_and_spaces_with_bom_and_crlf():
    """Header case and surrounding spaces do not matter; a BOM and CRLF line ends are fine."""
    text = csv_text({})
    header, rest = text.split("\n", 1)
    fancy = ",".join(f"  {name.upper()} " for name in header.split(","))
    text = "\ufeff" + (fancy + "\n" + rest).replace("\n", "\r\n")
    result = load_text(text)
    assert result.errors == ()
    assert result.entries[0].number == "B76-0324527-8"
    assert result.entries[0].extra == {}


def test_bom_and_crlf_in_a_file():
    """A UTF-8 file with a BOM and CRLF loads through a mapping file."""
    result = load_csv(
        DATA / "broker_export.csv", mapping=read_mapping(DATA / "broker_mapping.json")
    )
    assert result.errors == ()
    entry = result.entries[0]
    assert entry.number == "ABC-1234567-6"
    assert [line.value_usd for line in entry.lines] == [Decimal("1234.56"), Decimal("10.00")]
    assert entry.lines[1].description == "Charger"


@pytest.mark.parametrize("name", ["broker_mapping.json", "broker_mapping.csv"])
def test_read_mapping_json_and_csv_forms(name):
    """Both mapping file forms give the same mapping."""
    mapping = read_mapping(DATA / name)
    assert mapping["value_usd"] == "Declared Value"
    assert mapping["entry_number"] == "Entry No"
    assert len(mapping) == 15


def test_mapping_dict_is_case_insensitive_and_extra_columns_are_kept():
    """A dict mapping matches headers case-insensitively; other columns go into extra."""
    text = csv_text({}).replace("value_usd", "Declared Value", 1)
    text = text.replace("\n", ",Note\n", 1).replace("\n", ",hello\n").replace(",hello\n", "\n", 1)
    result = load_text(text, mapping={"value_usd": "declared value"})
    entry = result.entries[0]
    assert entry.lines[0].value_usd == Decimal("10.00")
    assert entry.extra == {"Note": "hello"}


def test_extra_columns_come_from_the_entry_first_row():
    """Entry.extra holds non-canonical columns taken from the entry's first row."""
    header = [*HEADER, "Broker Ref"]
    text = csv_text({"Broker Ref": "A"}, {"Broker Ref": "B"}, header=header)
    assert load_text(text).entries[0].extra == {"Broker Ref": "A"}


def test_mapping_with_unknown_canonical_names_is_an_input_error(tmp_path):
    """A mapping naming unknown canonical columns is refused, naming them."""
    path = tmp_path / "m.json"
    path.write_text('{"value": "Value", "entry_no": "No", "port_code": "Port"}')
    with pytest.raises(InputError) as info:
        read_mapping(path)
    assert "'entry_no'" in str(info.value)
    assert "'value'" in str(info.value)
    with pytest.raises(InputError, match="'valu'"):
        load_text(csv_text({}), mapping={"valu": "x"})


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("canonical,header\nvalue_usd,A\nvalue_usd,B\n", "twice"),
        ("canonical,header\nvalue_usd,A\nquantity,a\n", "both"),
        ("name,column\nvalue_usd,A\n", "canonical,header"),
        ("canonical,header\nvalue_usd\n", "2 cells"),
        ("", "empty"),
    ],
)
def test_bad_mapping_csv_files(tmp_path, content, fragment):
    """Malformed mapping CSV files give a clear InputError."""
    path = tmp_path / "m.csv"
    path.write_text(content)
    with pytest.raises(InputError, match=fragment):
        read_mapping(path)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ('["value_usd"]', "JSON object"),
        ('{"value_usd": 3}', "must be a string"),
        ('{"value_usd": "A",', "invalid JSON"),
        ('{"value_usd": ' + "9" * 5000 + "}", "too many digits"),
    ],
)
def test_bad_mapping_json_files(tmp_path, content, fragment):
    """Malformed mapping JSON files give a clear InputError."""
    path = tmp_path / "m.json"
    path.write_text(content)
    with pytest.raises(InputError, match=fragment):
        read_mapping(path)


def test_mapped_header_missing_from_the_file_is_an_input_error():
    """A mapping that names a header the file lacks is refused (it is usually a typo)."""
    with pytest.raises(InputError, match="'Trans Time'"):
        load_text(csv_text({}), mapping={"filed_at": "Trans Time"})


def test_header_and_mapping_claiming_one_column_is_an_input_error():
    """A canonical header plus a header mapped to the same column is refused."""
    text = csv_text({}, header=[*HEADER, "Value"])
    with pytest.raises(InputError, match="both supply 'value_usd'"):
        load_text(text, mapping={"value_usd": "Value"})


def test_missing_required_columns_are_one_input_error():
    """A header without required columns gives one InputError naming all of them."""
    header = [name for name in HEADER if name not in {"value_usd", "quantity"}]
    with pytest.raises(InputError) as info:
        load_text(csv_text({}, header=header))
    assert info.value.source == "t.csv"
    assert "missing required column(s): value_usd, quantity" in info.value.reason


def test_missing_columns_message_spells_out_the_mapping_for_look_alike_headers() -> None:
    """Headers like ``Value USD`` are not taken silently, but the message gives the mapping.

    The mapping it prints, saved as a file and passed back, loads the file.
    """
    renamed = {"value_usd": "Value USD", "quantity": "QUANTITY-", "hts_number": "HTS No"}
    header = [renamed.get(name, name) for name in HEADER]
    text = csv_text({}, header=header)
    with pytest.raises(InputError) as info:
        load_text(text)
    reason = info.value.reason
    assert "missing required column(s): hts_number, value_usd, quantity" in reason
    # 'HTS No' is not a look-alike of hts_number: only the two that are get a mapping.
    printed = reason.split("holding ", 1)[1].removesuffix(" would read them")
    assert json.loads(printed) == {"value_usd": "Value USD", "quantity": "QUANTITY-"}
    with pytest.raises(InputError, match=r"missing required column\(s\): hts_number;"):
        load_text(text, mapping=json.loads(printed))
    loaded = load_text(text, mapping={**json.loads(printed), "hts_number": "HTS No"})
    assert len(loaded.entries) == 1


def test_missing_columns_without_look_alikes_print_no_mapping() -> None:
    """Nothing that looks like the missing column: the message stays as it was."""
    header = [name for name in HEADER if name != "value_usd"]
    with pytest.raises(InputError) as info:
        load_text(csv_text({}, header=header))
    assert info.value.reason.endswith("pass a column mapping if the file uses other names")


def test_duplicate_header_after_normalisation_is_an_input_error():
    """Two headers that differ only in case or spaces are refused."""
    text = csv_text({}, header=[*HEADER, " Value_USD"])
    with pytest.raises(InputError, match="duplicate column 'Value_USD'"):
        load_text(text)


def test_blank_headers_are_kept_by_position():
    """Blank header cells (a trailing comma) do not collide and keep their cells in extra."""
    text = csv_text({}).replace("\n", ",,\n")
    entry = load_text(text).entries[0]
    assert entry.extra == {f"column_{len(HEADER) + 1}": "", f"column_{len(HEADER) + 2}": ""}


# -- whole-file input errors -------------------------------------------------------------------


def test_missing_file_is_an_input_error(tmp_path):
    """A path that does not exist gives an InputError naming it."""
    path = tmp_path / "nope.csv"
    with pytest.raises(InputError) as info:
        load_csv(path)
    assert info.value.source == str(path)
    assert "not found" in info.value.reason


def test_directory_is_an_input_error(tmp_path):
    """A directory instead of a file gives an InputError."""
    with pytest.raises(InputError, match="directory"):
        load_csv(tmp_path)


@pytest.mark.parametrize("content", ["", "\n\n", "  \r\n"])
def test_empty_file_is_an_input_error(tmp_path, content):
    """A file without a header row gives an InputError."""
    path = tmp_path / "e.csv"
    path.write_text(content)
    with pytest.raises(InputError, match="empty"):
        load_csv(path)


def test_header_only_loads_nothing():
    """A header without data rows is a valid, empty load."""
    result = load_text(",".join(HEADER) + "\n")
    assert result.entries == ()
    assert result.rows_read == 0


def test_not_utf8_is_an_input_error_with_offset_and_hint(tmp_path):
    """Bytes invalid in UTF-8 give one InputError with the offset, line and encoding hint."""
    path = tmp_path / "latin.csv"
    text = csv_text({"consignee_name": "Jos\u00e9"})
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(InputError) as info:
        load_csv(path)
    offset = text.encode("latin-1").index(b"\xe9")
    assert f"offset {offset}" in info.value.reason
    assert "line 2" in info.value.reason
    assert "encoding='latin-1'" in info.value.reason
    result = load_csv(path, encoding="latin-1")
    assert result.entries[0].consignee.name == "Jos\u00e9"


def test_unknown_encoding_is_an_input_error(tmp_path):
    """An encoding name Python does not know gives an InputError."""
    path = tmp_path / "a.csv"
    path.write_text(csv_text({}))
    with pytest.raises(InputError, match="unknown encoding"):
        load_csv(path, encoding="no-such-codec")


def test_malformed_quoting_is_an_input_error():
    """An unterminated quote would swallow later rows, so the file is refused."""
    text = csv_text({}, {"description": "X"}).replace(",X,", ',"X,', 1)
    with pytest.raises(InputError, match="malformed CSV"):
        load_text(text)


# -- values ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", Decimal(12)),
        ("12.50", Decimal("12.50")),
        ("$1,234.56", Decimal("1234.56")),
        ("US$ 800", Decimal(800)),
        ("USD 799.99", Decimal("799.99")),
        ("799.99 USD", Decimal("799.99")),
        ("799.99usd", Decimal("799.99")),
        ("12$", Decimal(12)),
        ("1,234,567.1234", Decimal("1234567.1234")),
        ("-5.00", Decimal("-5.00")),
        ("-$5.00", Decimal("-5.00")),
        ("$-5.00", Decimal("-5.00")),
        (".50", Decimal("0.50")),
        ("", None),
        ("  ", None),
    ],
)
def test_amounts_accepted(raw, expected):
    """Amounts with currency marks, separators and up to four decimals are read exactly."""
    line = load_text(csv_text({"value_usd": raw})).entries[0].lines[0]
    assert line.value_usd == expected
    assert type(line.value_usd) is (Decimal if expected is not None else type(None))
    assert line.value_raw == raw.strip()


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("abc", "is not an amount"),
        ("NaN", "not a finite number"),
        ("inf", "not a finite number"),
        ("-Infinity", "not a finite number"),
        ("1e3", "exponent"),
        ("1.5E-2", "exponent"),
        ("1,23.4", "thousands separators"),
        ("12,34", "thousands separators"),
        ("1234,567", "thousands separators"),
        ("(5.00)", "parentheses"),
        ("1.23456", "5 decimal places"),
        ("$5 USD", "is not an amount"),
        ("$", "is not an amount"),
        ("5.", "is not an amount"),
        ("\u0661\u0662", "is not an amount"),
    ],
)
def test_amounts_rejected(raw, fragment):
    """Unreadable amounts are row errors naming the column, value and reason."""
    error = one_error(load_text(csv_text({"value_usd": raw})))
    assert (error.source, error.row, error.column, error.value) == ("t.csv", 1, "value_usd", raw)
    assert fragment in error.message


def test_quantity_and_weight_are_strict_decimals():
    """quantity and gross_weight_kg read like amounts (no currency), blank is None."""
    entry = load_text(csv_text({"quantity": "1,000", "gross_weight_kg": "0.123456"})).entries[0]
    assert entry.lines[0].quantity == Decimal(1000)
    assert entry.lines[0].gross_weight_kg == Decimal("0.123456")
    blank = load_text(csv_text({"quantity": ""})).entries[0].lines[0]
    assert blank.quantity is None
    assert blank.gross_weight_kg is None
    for column, raw in [("quantity", "two"), ("quantity", "$5"), ("gross_weight_kg", "1e2")]:
        error = one_error(load_text(csv_text({column: raw})))
        assert (error.column, error.value) == (column, raw)


def test_line_number_must_be_an_integer():
    """A non-integer line_number is a row error."""
    error = one_error(load_text(csv_text({"line_number": "1.5"})))
    assert (error.column, error.value) == ("line_number", "1.5")
    assert "whole number" in error.message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2024-03-04", dt.date(2024, 3, 4)),
        ("03/04/2024", dt.date(2024, 3, 4)),
        ("3/4/2024", dt.date(2024, 3, 4)),
        ("12/31/2024", dt.date(2024, 12, 31)),
        ("2024-02-29", dt.date(2024, 2, 29)),
        # What Excel and pandas write for a date: the time of day is checked and dropped.
        ("2024-03-04T00:00", dt.date(2024, 3, 4)),
        ("2019-08-15 00:00:00", dt.date(2019, 8, 15)),
        ("8/12/2019 8:10", dt.date(2019, 8, 12)),
        ("8/12/2019 8:10:00 PM", dt.date(2019, 8, 12)),
        # Forms no reading makes ambiguous: the year first in four digits, or the month's name.
        ("2024/03/04", dt.date(2024, 3, 4)),
        ("2024-3-4", dt.date(2024, 3, 4)),
        ("04-Mar-2024", dt.date(2024, 3, 4)),
        ("4 March 2024", dt.date(2024, 3, 4)),
        ("Mar 4, 2024", dt.date(2024, 3, 4)),
        ("Sept 4, 2024", dt.date(2024, 9, 4)),
    ],
)
def test_arrival_dates_accepted(raw, expected):
    """ISO and U.S. month-first dates are accepted; 03/04 is March 4, never April 3."""
    entry = load_text(csv_text({"arrival_date": raw})).entries[0]
    assert entry.arrival_date == expected
    assert entry.arrival_date_raw == raw


@pytest.mark.parametrize(
    "raw",
    [
        "2024-02-31",
        "2023-02-29",
        "31/12/2024",
        "12/31/24",
        "March 3",
        "2024/13/04",  # year first, but no month 13
        "31-Feb-2024",  # a month's name, but no 31 February
        "03042024",  # MMDDYYYY (YYYYMMDD is read: test_dates_in_iso_basic_form_are_read)
        "3.4.2024",  # day or month first: not guessed
        "13/01/2024",
        "13/01/2024 00:00:00",
        "2024-03-04 25:00",
        "3/4/2024 13:00 PM",
        "2024-03-04T00:00Z",
        "",
    ],
)
def test_arrival_dates_rejected(raw):
    """Ambiguous, impossible, two-digit-year and blank arrival dates are row errors."""
    error = one_error(load_text(csv_text({"arrival_date": raw})))
    assert (error.column, error.value) == ("arrival_date", raw)
    assert "YYYY-MM-DD" in error.message
    assert "MM/DD/YYYY" in error.message


@pytest.mark.parametrize("raw", ["2025-05-02T03:30:00Z", "2025-05-02T00:00:00+00:00"])
def test_an_arrival_instant_with_an_offset_says_why_its_day_is_not_guessed(raw):
    """03:30 UTC is 1 May in Eastern time, midnight UTC may be a date: the user says which."""
    error = one_error(load_text(csv_text({"arrival_date": raw})))
    assert (error.column, error.value) == ("arrival_date", raw)
    assert "UTC offset" in error.message
    assert "Eastern calendar day" in error.message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("030424", dt.date(2024, 3, 4)),
        ("03/04/2024", dt.date(2024, 3, 4)),
        ("03/04/24", dt.date(2024, 3, 4)),  # MMDDYY with slashes
        ("3/4/24", dt.date(2024, 3, 4)),
        ("", None),
    ],
)
def test_eda_accepts_mmddyy(raw, expected):
    """The estimated arrival date also accepts ACE's MMDDYY; blank is None."""
    entry = load_text(csv_text({"estimated_arrival_date": raw})).entries[0]
    assert entry.estimated_arrival_date == expected


@pytest.mark.parametrize("column", ["arrival_date", "estimated_arrival_date"])
def test_dates_in_iso_basic_form_are_read(column: str) -> None:
    """``YYYYMMDD`` (ISO 8601's basic form, as ABI extracts write dates) reads as the date."""
    entry = load_text(csv_text({column: "20250502"})).entries[0]
    assert getattr(entry, column) == dt.date(2025, 5, 2)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("05022025", "not a date in an accepted format"),  # MMDDYYYY: never guessed
        ("02052025", "not a date in an accepted format"),  # DDMMYYYY
        ("18991231", "not a date in an accepted format"),  # outside 1900-2099
        ("20250230", "not a real date"),
        ("2025050", "not a date in an accepted format"),
    ],
)
def test_eight_digit_dates_other_than_yyyymmdd_are_load_errors(raw: str, reason: str) -> None:
    """Eight digits are read as YYYYMMDD only, and only as a real date of 1900 to 2099."""
    error = one_error(load_text(csv_text({"arrival_date": raw})))
    assert (error.column, error.value) == ("arrival_date", raw)
    assert reason in error.message
    assert "YYYYMMDD" in error.message


def test_eda_not_a_real_date_names_the_eda_formats() -> None:
    """An impossible EDA says it is not a real date, and names the EDA's own formats."""
    error = one_error(load_text(csv_text({"estimated_arrival_date": "2024-02-30"})))
    assert "not a real date" in error.message
    assert "MMDDYY" in error.message


@pytest.mark.parametrize("raw", ["043124", "2024-13-01", "4/31/24", "3/4/2", "0304"])
def test_eda_rejected(raw):
    """An unreadable EDA is a row error naming the accepted formats."""
    error = one_error(load_text(csv_text({"estimated_arrival_date": raw})))
    assert (error.column, error.value) == ("estimated_arrival_date", raw)
    assert "MMDDYY" in error.message


def test_filed_at_naive_is_us_eastern_and_aware_keeps_offset():
    """Naive transmission times are U.S. Eastern; offsets and Z are kept; blank is None."""
    eastern = ZoneInfo("America/New_York")
    cases = {
        "2024-07-01T23:59:00": dt.datetime(2024, 7, 1, 23, 59, tzinfo=eastern),
        "2024-07-01 08:00": dt.datetime(2024, 7, 1, 8, tzinfo=eastern),
        "2024-07-01": dt.datetime(2024, 7, 1, tzinfo=eastern),
        "2024-07-01T12:00:00Z": dt.datetime(2024, 7, 1, 12, tzinfo=dt.UTC),
        # The U.S. form spreadsheets write, month first as for dates.
        "07/01/2024 10:00": dt.datetime(2024, 7, 1, 10, tzinfo=eastern),
        "7/1/2024 8:10:30 PM": dt.datetime(2024, 7, 1, 20, 10, 30, tzinfo=eastern),
        "7/1/2024": dt.datetime(2024, 7, 1, tzinfo=eastern),
    }
    for raw, expected in cases.items():
        entry = load_text(csv_text({"filed_at": raw})).entries[0]
        assert entry.filed_at == expected
        assert entry.filed_at is not None
        assert entry.filed_at.utcoffset() == expected.utcoffset()
        assert entry.filed_at_raw == raw
    assert load_text(csv_text({"filed_at": ""})).entries[0].filed_at is None


@pytest.mark.parametrize(
    "raw", ["yesterday", "13/01/2024 10:00", "7/1/24 10:00", "2024-07-01T25:00", "2024-W27-1"]
)
def test_filed_at_rejected(raw):
    """A transmission time that is not ISO 8601 is a row error."""
    error = one_error(load_text(csv_text({"filed_at": raw})))
    assert (error.column, error.value) == ("filed_at", raw)
    assert "ISO 8601" in error.message


# -- rejection of whole entries ----------------------------------------------------------------


def test_a_bad_row_rejects_its_whole_entry():
    """Every row of an entry with an unreadable row is rejected; siblings name the bad row."""
    text = csv_text(
        {},
        {"entry_number": "H3K-0004108-1"},
        {"value_usd": "abc"},
        {"description": "Socks"},
    )
    result = load_text(text)
    assert_accounted(result)
    assert [e.number for e in result.entries] == ["H3K-0004108-1"]
    assert [(e.row, e.column, e.value) for e in result.errors] == [
        (1, None, None),
        (3, "value_usd", "abc"),
        (4, None, None),
    ]
    assert result.errors[0].message == "entry B76-0324527-8 rejected: row 3 could not be read"
    assert result.errors[2].message == result.errors[0].message


def test_several_bad_rows_are_listed_in_sibling_messages():
    """Siblings list every unreadable row of the entry."""
    text = csv_text({"value_usd": "x"}, {}, {"quantity": "y"})
    result = load_text(text)
    assert result.errors[1].message == "entry B76-0324527-8 rejected: rows 1, 3 could not be read"


def test_rows_disagreeing_on_an_entry_level_field_reject_the_entry():
    """Rows of one entry that disagree on an entry-level field are all rejected, naming it."""
    text = csv_text({}, {"bill_of_lading": "AWB-2"}, {"bill_of_lading": " AWB-1 "})
    result = load_text(text)
    assert_accounted(result)
    assert result.entries == ()
    expected = (
        "rows disagree on bill_of_lading: 'AWB-1' (row 1) vs 'AWB-2' (row 2); either one entry "
        "filed inconsistently or two entries sharing an entry number"
    )
    assert [(e.row, e.column, e.value, e.message) for e in result.errors] == [
        (1, "bill_of_lading", "AWB-1", expected),
        (2, "bill_of_lading", "AWB-2", expected),
        (3, "bill_of_lading", "AWB-1", expected),
    ]


@pytest.mark.parametrize(
    ("field", "first", "second"),
    [
        ("arrival_date", "2024-02-20", "02/20/2024"),
        ("arrival_date", "2024-02-20", "20240220"),
        ("filed_at", "2024-02-19T10:00:00", "2024-02-19 10:00:00"),
        ("filed_at", "2024-02-19T10:00:00-05:00", "2024-02-19T15:00:00Z"),
        ("estimated_arrival_date", "2024-02-20", "022024"),
    ],
)
def test_rows_spelling_one_date_two_ways_are_one_entry(field: str, first: str, second: str):
    """Rows whose entry-level texts differ only in how one date or time is written agree.

    Merged exports spell a date two ways; the entry is kept, with the first row's text as
    filed, instead of being rejected as two entries sharing a number.
    """
    result = load_text(csv_text({field: first}, {field: second}))
    assert_accounted(result)
    assert result.errors == ()
    (entry,) = result.entries
    assert len(entry.lines) == 2
    assert entry.source_rows == (1, 2)


@pytest.mark.parametrize(
    ("field", "first", "second"),
    [
        ("arrival_date", "2024-02-20", "02/21/2024"),  # another day
        ("filed_at", "2024-02-19T10:00:00", "2024-02-19T10:00:01"),  # another second
        ("filed_at", "2024-02-19T10:00:00", ""),  # blank on one row
        ("arrival_date", "2024-02-20", "02/20/24"),  # a two-digit year is not read
    ],
)
def test_rows_with_different_dates_still_disagree(field: str, first: str, second: str):
    """A date that reads differently (or not at all) on another row still rejects the entry."""
    result = load_text(csv_text({field: first}, {field: second}))
    assert_accounted(result)
    assert result.entries == ()
    assert all(f"rows disagree on {field}" in e.message for e in result.errors)


def test_bad_entry_level_value_rejects_every_row_with_the_real_reason():
    """An unreadable entry-level value is the reason given on every row of the entry."""
    result = load_text(csv_text({"arrival_date": "2024-02-30"}, {"arrival_date": "2024-02-30"}))
    assert [(e.row, e.column) for e in result.errors] == [(1, "arrival_date"), (2, "arrival_date")]
    assert all("not a real date" in e.message for e in result.errors)


def test_blank_entry_number_is_a_row_error():
    """A row without an entry number cannot be grouped and is rejected alone."""
    result = load_text(csv_text({"entry_number": "  "}, {}))
    assert_accounted(result)
    assert len(result.entries) == 1
    error = one_error(result)
    assert (error.row, error.column, error.value) == (1, "entry_number", "")


def test_ragged_rows_are_rejected_with_their_entry():
    """A row with more or fewer cells than the header rejects its entry."""
    text = csv_text({}, {}, {"entry_number": "H3K-0004108-1"})
    lines = text.splitlines()
    lines[1] += ",surplus"
    lines[3] = lines[3].rsplit(",", 1)[0]
    result = load_text("\n".join(lines) + "\n")
    assert_accounted(result)
    assert result.entries == ()
    assert "has 20 cells but the header has 19" in result.errors[0].message
    assert result.errors[1].message.endswith("row 1 could not be read")
    assert "has 18 cells" in result.errors[2].message


def test_errors_are_ordered_by_row():
    """Load errors come in row order, whatever the entry they belong to."""
    text = csv_text(
        {"entry_number": "H3K-0004108-1"},
        {"value_usd": "x"},
        {"entry_number": "H3K-0004108-1", "quantity": "y"},
        {},
    )
    assert [e.row for e in load_text(text).errors] == [1, 2, 3, 4]


# -- strict mode -------------------------------------------------------------------------------


def test_strict_mode_raises_row_error_with_attributes():
    """strict=True raises RowError for the first problem, carrying source, row, column, value."""
    text = csv_text({}, {"value_usd": "abc"}, {"quantity": "zz"})
    with pytest.raises(RowError) as info:
        load_text(text, strict=True)
    error = info.value
    assert isinstance(error, InputError)
    assert (error.source, error.row, error.column, error.value) == ("t.csv", 2, "value_usd", "abc")
    assert "is not an amount" in error.reason
    assert "t.csv, row 2, column 'value_usd'" in str(error)


def test_strict_mode_raises_on_disagreement_and_blank_entry_number():
    """strict=True also raises for inconsistent rows and ungroupable rows."""
    with pytest.raises(RowError) as info:
        load_text(csv_text({}, {"port_code": "2720"}), strict=True)
    assert (info.value.row, info.value.column, info.value.value) == (2, "port_code", "2720")
    with pytest.raises(RowError) as info:
        load_text(csv_text({"entry_number": ""}), strict=True)
    assert info.value.column == "entry_number"


def test_strict_mode_loads_clean_files():
    """strict=True on a clean file loads it normally."""
    assert load_csv(DATA / "all_columns.csv", strict=True).entries_loaded == 2


# -- load() and LoadResult ---------------------------------------------------------------------


def test_load_merges_files_and_keeps_duplicate_entries_apart(tmp_path):
    """Several paths merge in order; the same entry number in two files stays two entries."""
    a = tmp_path / "a.csv"
    b = tmp_path / "b.txt"
    a.write_text(csv_text({}, {"value_usd": "bad"}))
    b.write_text(csv_text({}))
    result = load(a, b)
    assert_accounted(result)
    assert [(e.number, e.source) for e in result.entries] == [("B76-0324527-8", str(b))]
    result = load(b, b)
    assert [e.source for e in result.entries] == [str(b), str(b)]
    assert result.rows_read == 2
    assert [s.path for s in result.sources] == [str(b), str(b)]


def test_sources_carry_the_file_hash(tmp_path):
    """SourceInfo records the SHA-256 of the bytes read and the rows read."""
    path = tmp_path / "a.csv"
    path.write_text(csv_text({}, {}))
    (info,) = load(path).sources
    assert info.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert info.rows_read == 2
    assert load_text(csv_text({})).sources[0].sha256 == ""


def test_load_dispatches_on_suffix_or_format(tmp_path):
    """The suffix selects the loader; format= overrides it; unknown suffixes are refused."""
    path = tmp_path / "entries.dat"
    path.write_text(csv_text({}))
    with pytest.raises(InputError, match="format"):
        load(path)
    assert load(path, format="csv").entries_loaded == 1
    with pytest.raises(InputError, match="no input"):
        load()


def test_load_result_add_and_raise_for_errors():
    """Results add up, and raise_for_errors raises the first error as a RowError."""
    good = load_text(csv_text({}))
    bad = load_text(csv_text({"value_usd": "x"}))
    total = good + bad
    assert (total.rows_read, total.rows_rejected, total.entries_loaded) == (2, 1, 1)
    assert total.rows_in_entries == 1
    good.raise_for_errors()
    with pytest.raises(RowError) as info:
        total.raise_for_errors()
    assert (info.value.row, info.value.column) == (1, "value_usd")


def test_load_error_to_dict_has_the_report_keys():
    """LoadError.to_dict gives the load_errors item of the JSON report."""
    error = one_error(load_text(csv_text({"value_usd": "abc"})))
    assert error.to_dict() == {
        "source": "t.csv",
        "row": 1,
        "column": "value_usd",
        "value": "abc",
        "message": error.message,
    }


def test_huge_cells_give_short_messages_but_keep_the_value():
    """A huge unreadable cell is kept whole in the error's value but clipped in its message."""
    raw = "9" * 5000
    error = one_error(load_text(csv_text({"line_number": raw})))
    assert error.value == raw
    assert len(error.message) < 200
    big = "x" * 10_000
    error = one_error(load_text(csv_text({"value_usd": big})))
    assert error.value == big
    assert len(error.message) < 200


def test_stream_sources_are_named_after_the_stream(tmp_path):
    """An open text file is named by its path; a binary stream is refused."""
    path = tmp_path / "s.csv"
    path.write_text(csv_text({}))
    with path.open(newline="") as handle:
        assert load_csv(handle).entries[0].source == str(path)
    with path.open("rb") as handle, pytest.raises(InputError, match="text stream"):
        load_csv(handle)


def test_a_load_shows_its_counts_not_its_entries(tmp_path):
    """A notebook shows a load's repr: the counts and sources, not every entry (attrs' repr
    of a year's filings was megabytes of text)."""
    rows = to_csv_rows(make_population(50, seed=2))
    path = tmp_path / "year.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    loaded = load(path)
    shown = repr(loaded)
    assert shown == (
        f"<LoadResult entries=50 rows_read={loaded.rows_read} rows_rejected=0 errors=0 "
        f"sources=[{path}]>"
    )
    four = repr(loaded + loaded + loaded + loaded)
    assert four.count(str(path)) == 3  # four sources: three named,
    assert four.endswith(" and 1 more]>")  # and the rest counted
