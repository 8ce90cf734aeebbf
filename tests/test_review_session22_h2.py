"""Session 22 (h2): a third broker's export worked end to end, against a hand-made answer key.

The export ("Keystone Border Brokerage", filer code KZ9) is built cell by cell in
``tests/_s22_h2_export.py`` and written to ``tests/data_review_session22_h2/``: Windows-1252 text
with accented names and a curly apostrophe, CRLF row ends with line feeds inside quoted address
cells, ``$1,234.56`` and ``USD 45.00`` amounts, date-times in the date columns, two trailing empty
columns, its own header (a mapping file), a row exported twice, unreadable rows and a ``Total``
row; and the same rows as UTF-8 with a byte-order mark, semicolon-delimited, and with decimal
commas. The answer key (``EXPECTED``, ``EXPECTED_LOAD_ERRORS``) was written from the input
contract and the domain reference before the audit was run.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

import pytest

from t86audit import audit, load, stream
from t86audit.cli import main
from t86audit.exceptions import InputError
from t86audit.io import read_mapping
from tests import _s22_h2_export as export


DATA = export.DATA
MAIN = DATA / "keystone_export.csv"
BOM = DATA / "keystone_export_utf8bom.csv"
SEMICOLON = DATA / "keystone_export_semicolon.csv"
DECIMAL_COMMA = DATA / "keystone_export_decimal_comma.csv"
MAPPING_FILE = DATA / "keystone_mapping.json"
ROWS_READ = 70
ROWS_IN_ENTRIES = 64
ENTRIES = 42


@pytest.fixture(scope="module")
def mapping() -> dict[str, str]:
    return read_mapping(MAPPING_FILE)


def _cli(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(args, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def document(tmp_path_factory) -> dict[str, Any]:
    """The command line's JSON report on the cp1252 export, as a user runs it."""
    path = tmp_path_factory.mktemp("s22h2") / "report.json"
    code, _, err = _cli(
        ["audit", str(MAIN), "--mapping", str(MAPPING_FILE), "--encoding", "cp1252",
         "--format", "json", "--output", str(path), "--no-exposure"]
    )  # fmt: skip
    assert code == 0, err
    parsed: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return parsed


def _keyed(findings: list[dict[str, Any]]) -> dict[str, dict[tuple[str, int | None], str]]:
    got: dict[str, dict[tuple[str, int | None], str]] = {}
    for finding in findings:
        key = (finding["code"], finding["line_number"])
        got.setdefault(finding["entry_number"], {})[key] = finding["severity"]
    return got


def test_the_fixture_files_are_the_builders():
    """The committed files are the builder's (to regenerate: python tests/_s22_h2_export.py)."""
    for name, build in export.FILES.items():
        assert (DATA / name).read_bytes() == build(), name
    raw = MAIN.read_bytes()
    assert b"\r\n" in raw
    assert b"\x92" in raw  # the curly apostrophe
    assert "é".encode("cp1252") in raw
    assert BOM.read_bytes().startswith(b"\xef\xbb\xbf")


def test_every_finding_is_in_the_answer_key_and_every_expected_one_is_found(document):
    got = _keyed(document["findings"])
    for number, expected in export.EXPECTED.items():
        assert got.get(number, {}) == expected, number
    assert set(got) <= set(export.EXPECTED)
    # C7 names each blank seller field: the name and the address of KZ9-7300121-6.
    fields = sorted(f["field"] for f in document["findings"] if f["code"] == "CON008")
    assert fields == ["seller_address", "seller_name"]


def test_every_row_is_in_an_entry_or_a_load_error(document, mapping):
    counts = document["input"]
    assert counts["rows_read"] == ROWS_READ
    assert counts["entries_loaded"] == ENTRIES
    assert counts["rows_rejected"] == len(export.EXPECTED_LOAD_ERRORS)
    errors = document["load_errors"]
    assert [(e["row"], e["column"]) for e in errors] == export.EXPECTED_LOAD_ERRORS
    for error in errors:
        assert error["source"] == str(MAIN)
        assert error["message"]
        if error["column"] is not None:
            assert error["value"]
    loaded = load(MAIN, mapping=mapping, encoding="cp1252")
    in_entries = sorted(row for entry in loaded.entries for row in entry.source_rows)
    rejected = sorted(error.row for error in loaded.errors if error.row is not None)
    assert len(in_entries) == ROWS_IN_ENTRIES
    assert sorted(in_entries + rejected) == list(range(1, ROWS_READ + 1))
    assert loaded.rows_read == ROWS_IN_ENTRIES + loaded.rows_rejected


def test_the_load_errors_say_what_is_wrong(document):
    by_row = {e["row"]: e for e in document["load_errors"]}
    assert "repeats row 32 of entry KZ9-7300127-3 cell for cell" in by_row[33]["message"]
    assert by_row[34]["value"] == "2024-02-30 00:00:00"
    assert "is not a real date" in by_row[34]["message"]
    assert "row 37 could not be read" in by_row[36]["message"]
    assert by_row[37]["value"] == "12 EUR"
    assert "headed 'Value (USD)' in the file" in by_row[37]["message"]
    assert "totals or footer row" in by_row[70]["message"]


def test_the_file_reads_the_same_as_filed(mapping):
    """No reading artefact: texts keep their letters and line feeds, dates drop midnight."""
    loaded = load(MAIN, mapping=mapping, encoding="cp1252")
    by_number = {str(entry.entry_number): entry for entry in loaded.entries}
    zoe = by_number["KZ9-7300102-6"]
    assert zoe.consignee.name == "Zoë Müller"
    assert zoe.consignee.address == "77 Lakeview Terrace\nApt 3"
    assert zoe.seller.address == "3-12 Shijo-dori, Shimogyo-ku\nKyoto 600-8001"
    assert str(zoe.arrival_date) == "2024-10-15"
    assert zoe.total_value == Decimal("213.00")
    assert by_number["KZ9-7300101-8"].lines[0].description == "women\u2019s cotton knit t-shirt"
    assert by_number["KZ9-7300104-2"].lines[0].value_usd == Decimal("1234.56")
    assert by_number["KZ9-7300126-5"].lines[0].value_usd == Decimal("45.00")
    assert by_number["KZ9-7300113-3"].arrival_date.isoformat() == "2024-10-20"
    # The repeated row counts once: $450, not a $900 entry over the threshold.
    assert by_number["KZ9-7300127-3"].total_value == Decimal("450.00")
    # The trailing empty columns are kept as the entry's extra columns, named by position.
    assert zoe.extra == {"Broker Notes": "", "column_31": "", "column_32": ""}


def test_the_utf8_copy_with_a_byte_order_mark_gives_the_same_audit(document, mapping, tmp_path):
    out = tmp_path / "bom.json"
    code, _, err = _cli(
        ["audit", str(BOM), "--mapping", str(MAPPING_FILE), "--format", "json",
         "--output", str(out), "--no-exposure"]
    )  # fmt: skip
    assert code == 0, err
    other = json.loads(out.read_text(encoding="utf-8"))
    assert _keyed(other["findings"]) == _keyed(document["findings"])
    assert [(e["row"], e["column"], e["value"]) for e in other["load_errors"]] == [
        (e["row"], e["column"], e["value"]) for e in document["load_errors"]
    ]
    assert other["input"]["rows_read"] == ROWS_READ


def test_library_load_audit_and_stream_agree_with_the_command_line(document, mapping):
    cli = _keyed(document["findings"])
    for population in (
        load(MAIN, mapping=mapping, encoding="cp1252"),
        stream(MAIN, mapping=mapping, encoding="cp1252"),
    ):
        report = audit(population, exposure=False)
        got = _keyed(json.loads(report.to_json())["findings"])
        assert got == cli
        assert report.load is not None
        assert report.load.rows_read == ROWS_READ
        assert report.load.rows_rejected == len(export.EXPECTED_LOAD_ERRORS)


def test_a_windows_file_read_as_utf8_is_refused_with_the_encoding_to_use():
    code, _, err = _cli(["audit", str(MAIN), "--mapping", str(MAPPING_FILE)])
    assert code == 2
    assert "line 2 of the file" in err
    assert "'cp1252'" in err


def test_a_semicolon_file_is_read_at_its_semicolons(mapping):
    """Session 24 (h3): found from its header (through the mapping); before, refused."""
    semicolons = load(SEMICOLON, mapping=mapping, encoding="cp1252")
    commas = load(MAIN, mapping=mapping, encoding="cp1252")
    assert (semicolons.rows_read, semicolons.entries_loaded) == (ROWS_READ, ENTRIES)
    assert [(e.row, e.column, e.value) for e in semicolons.errors] == [
        (e.row, e.column, e.value) for e in commas.errors
    ]
    assert semicolons.sources[0].delimiter == ";"
    code, _, err = _cli(["audit", str(SEMICOLON), "--mapping", str(MAPPING_FILE),
                         "--encoding", "cp1252", "--no-exposure"])  # fmt: skip
    assert code == 0
    assert "was read as delimited by semicolons" in err


def test_a_semicolon_file_whose_header_names_hold_a_comma_is_named_as_one(tmp_path, mapping):
    """Read at its commas, the header is a few cells: it was reported as columns missing.

    Before: 'the mapping names column(s) the input does not have: ...' with a mapping, and
    without one 'missing required column(s) ... if title or note lines come before the header
    row, delete them', neither of which is what is wrong. Since session 24 (h3) the header
    shows the semicolons are the delimiter (through the mapping; without it, at its
    'Arrival_Date', 'MODE' and 'HTS_Number'): the file is read at them, and without the mapping
    the message is the missing columns' of that header, with the mapping that reads them.
    """
    text = SEMICOLON.read_bytes().decode("cp1252").replace("Value (USD)", "Value (USD, FOB)", 1)
    path = tmp_path / "semi.csv"
    path.write_bytes(text.encode("cp1252"))
    renamed = {**mapping, "value_usd": "Value (USD, FOB)"}
    assert load(path, mapping=renamed, encoding="cp1252").entries_loaded == ENTRIES
    with pytest.raises(InputError) as loaded:
        load(path, encoding="cp1252")
    with pytest.raises(InputError) as streamed:
        list(stream(path, encoding="cp1252"))
    for exc in (loaded, streamed):
        message = str(exc.value)
        assert "missing required column(s): entry_number, port_code" in message
        assert '"consignee_name": "Consignee Name"' in message
        assert "does not have" not in message
        assert "title or note lines" not in message


def test_a_comma_file_missing_columns_is_not_called_semicolon_delimited(tmp_path):
    """A header that semicolons do not split into more columns keeps the missing-column error."""
    path = tmp_path / "short.csv"
    path.write_text("entry_number,arrival_date;port_code\nKZ9-7300101-8,2024-10-15\n")
    with pytest.raises(InputError, match="missing required column") as exc:
        load(path)
    assert "delimited by" not in str(exc.value)


def test_decimal_commas_are_load_errors_that_say_to_convert_the_whole_file(mapping):
    """'1.234,56' is never read: a decimal-comma file's '1.500' would read as 1.5 in U.S. form."""
    loaded = load(DECIMAL_COMMA, mapping=mapping, encoding="cp1252")
    assert loaded.entries == ()
    assert loaded.rows_read == ROWS_READ == loaded.rows_rejected
    by_row = {error.row: error for error in loaded.errors}
    error = by_row[6]  # KZ9-7300104-2, '$1,234.56' in the U.S. export
    assert (error.source, error.column, error.value) == (
        str(DECIMAL_COMMA),
        "value_usd",
        "1.234,56",
    )
    assert "decimal comma" in error.message
    assert "must be converted whole" in error.message
    assert "save it as an .xlsx workbook" in error.message
    code, _, err = _cli(["audit", str(DECIMAL_COMMA), "--mapping", str(MAPPING_FILE),
                         "--encoding", "cp1252"])  # fmt: skip
    assert code == 2
    assert "no entry loaded: 70 of 70 input rows rejected" in err


def test_an_amount_with_its_minus_sign_after_the_digits_is_read_as_negative(tmp_path, mapping):
    """Older systems write '25.00-' for -25.00: the line's negative value is VAL003's to report.

    Before, the row was a load error ("is not an amount") and its entry left the audit.
    """
    text = MAIN.read_bytes().decode("cp1252").replace("$24.50", "24.50-", 1)
    path = tmp_path / "minus.csv"
    path.write_bytes(text.encode("cp1252"))
    loaded = load(path, mapping=mapping, encoding="cp1252")
    assert [(e.row, e.column) for e in loaded.errors] == export.EXPECTED_LOAD_ERRORS
    entry = next(e for e in loaded.entries if str(e.entry_number) == "KZ9-7300101-8")
    assert entry.lines[0].value_usd == Decimal("-24.50")
    findings = [f for f in audit(loaded, exposure=False).findings if f.code == "VAL003"]
    assert [(f.entry_number, f.line_number) for f in findings] == [("KZ9-7300101-8", 1)]
    assert findings[0].observed == "24.50-"


def test_rows_that_end_with_delimiters_the_header_lacks_say_to_add_them(tmp_path, mapping):
    """Not read: a cell's unquoted comma gives the same cells when the last column is blank."""
    text = MAIN.read_bytes().decode("cp1252")
    header, _, rest = text.partition("\r\n")
    path = tmp_path / "ragged.csv"
    path.write_bytes((header.removesuffix(",,") + "\r\n" + rest).encode("cp1252"))
    loaded = load(path, mapping=mapping, encoding="cp1252")
    assert loaded.entries == ()
    assert loaded.rows_rejected == ROWS_READ
    assert "end the header row with one too" in loaded.errors[0].message


def test_a_delimiter_hint_for_another_delimiter_says_what_the_file_is(tmp_path, mapping):
    """Before: 'delete that line', which led only to the delimiter's own error next run.

    Since session 24 (h3) the line is honoured: 'sep=;' reads the file at its semicolons; a
    'sep=' naming a tab, in a file delimited by semicolons, says what the header holds.
    """
    right = tmp_path / "hinted.csv"
    right.write_bytes(SEMICOLON.read_bytes().replace(b"Entry No", b"sep=;\r\nEntry No", 1))
    loaded = load(right, mapping=mapping, encoding="cp1252")
    assert (loaded.rows_read, loaded.entries_loaded) == (ROWS_READ, ENTRIES)
    assert loaded.sources[0].delimiter_found == "sep line"
    wrong = tmp_path / "wrong.csv"
    wrong.write_bytes(SEMICOLON.read_bytes().replace(b"Entry No", b"sep=\t\r\nEntry No", 1))
    with pytest.raises(InputError) as exc:
        load(wrong, mapping=mapping, encoding="cp1252")
    message = str(exc.value)
    assert "first line (sep=) names '\\t'" in message
    assert "delimited by ';'" in message
    assert "pass delimiter=';'" in message


def test_a_report_layout_row_without_entry_data_says_to_fill_it_down(tmp_path, mapping):
    """Entry data on the first row only: the entry is rejected (a disagreement), saying why.

    Before, the message called it 'either one entry filed inconsistently or two entries
    sharing an entry number', which does not say what to do.
    """
    text = MAIN.read_bytes().decode("cp1252")
    header, _, rest = text.partition("\r\n")
    rows = list(csv.reader(io.StringIO(rest, newline="")))
    entry_level = range(1, 19)  # ENTRY TYPE ... PGA: every entry-level column after the number
    rows[2] = [("" if i in entry_level else cell) for i, cell in enumerate(rows[2])]
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path = tmp_path / "report_layout.csv"
    path.write_bytes((header + "\r\n" + out.getvalue()).encode("cp1252"))
    loaded = load(path, mapping=mapping, encoding="cp1252")
    errors = {error.row: error for error in loaded.errors}
    assert set(errors) == {2, 3, *(row for row, _ in export.EXPECTED_LOAD_ERRORS)}
    assert "row 3 gives none of the entry-level columns" in errors[3].message
    assert "fill them down" in errors[2].message
    assert loaded.rows_read == ROWS_READ


def test_a_utf16_file_is_named_as_one_with_the_encoding_to_pass(tmp_path, document, mapping):
    """Excel's 'Unicode Text' is UTF-16 with a byte-order mark.

    Before: read as UTF-8 the error suggested latin-1 or cp1252; read so, the header became
    'duplicate column '\\x00''. Now each says to pass utf-16, which reads the file.
    """
    path = tmp_path / "unicode.csv"
    path.write_bytes(MAIN.read_bytes().decode("cp1252").encode("utf-16"))
    for encoding in ("utf-8", "cp1252", "latin-1"):
        for read in (load, lambda p, **kw: list(stream(p, **kw))):
            with pytest.raises(InputError) as exc:
                read(path, mapping=mapping, encoding=encoding)
            message = str(exc.value)
            assert "UTF-16" in message
            assert "--encoding utf-16" in message
            assert "latin-1" not in message
    got = _keyed(json.loads(audit(load(path, mapping=mapping, encoding="utf-16"),
                                  exposure=False).to_json())["findings"])  # fmt: skip
    assert got == _keyed(document["findings"])
