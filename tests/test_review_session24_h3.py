"""Session 24 (h3): semicolon-, tab- and pipe-delimited exports, and decimal commas.

Brokers' systems export tab-separated (``.tsv``/``.txt``) and pipe-delimited files, and
European-locale spreadsheets write semicolons (with an Excel ``sep=;`` first line, and decimal
commas). The example population rewritten with each delimiter must give the comma file's
findings; a delimiter is found from the header row only when exactly one delimiter splits it
into the canonical columns, and never guessed; a decimal comma is read only when asked.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from t86audit import audit, load, stream
from t86audit.cli import main
from t86audit.exceptions import InputError
from t86audit.io import CANONICAL_COLUMNS
from t86audit.io._stream import count_entries


ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "data" / "entries.csv"
FIXED = "2026-01-01T00:00:00Z"
NUMBER_COLUMNS = ("value_usd", "quantity", "gross_weight_kg")


def _cli(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(args, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def _rows(path: Path = EXAMPLE) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def _write(path: Path, rows: list[list[str]], delimiter: str, *, first: str = "") -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        handle.write(first)
        csv.writer(handle, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return path


def _report(path: Path, *extra: str) -> dict[str, Any]:
    """The command line's JSON report of ``path``, its file name made the example's."""
    code, out, err = _cli(
        ["audit", str(path), "--format", "json", "--generated-at", FIXED, *extra]
    )
    assert code == 0, err
    # Findings and errors name their source: the same rows, so the same text but for it.
    document: dict[str, Any] = json.loads(out.replace(json.dumps(str(path))[1:-1], "EXAMPLE"))
    return document


@pytest.fixture(scope="module")
def commas() -> dict[str, Any]:
    return _report(EXAMPLE)


@pytest.mark.parametrize(
    ("delimiter", "suffix", "found"),
    [
        (";", ".csv", "header row"),
        ("\t", ".txt", "header row"),
        ("|", ".csv", "header row"),
        ("\t", ".tsv", "suffix"),
    ],
    ids=["semicolons", "tabs-txt", "vertical-bars", "tabs-tsv"],
)
def test_the_example_data_in_another_delimiter_gives_the_comma_files_findings(
    tmp_path, commas, delimiter, suffix, found
):
    """Every finding, load error and exposure line the same, read with no option given.

    The example file's rows are not in entry order, so the audit reads them again in entry
    order (by byte offsets) and reads the ineligible entries a second time for the exposure:
    both readings split the lines at the file's delimiter too.
    """
    path = _write(tmp_path / f"entries{suffix}", _rows(), delimiter)
    code, _, err = _cli(["audit", str(path), "--format", "json", "--generated-at", FIXED,
                         "--output", str(tmp_path / "r.json")])  # fmt: skip
    assert code == 0
    # Said once, and only when the file's header showed it (a .tsv file is read at tabs).
    noted = [line for line in err.splitlines() if "was read as delimited by" in line]
    assert len(noted) == (found == "header row")
    document = _report(path)
    assert len(commas["findings"]) > 100  # (the example has findings: none would prove nothing)
    for key in ("findings", "load_errors", "entries", "exposure", "counts"):
        assert document[key] == commas[key], key
    assert document["input"]["rows_read"] == commas["input"]["rows_read"] == 4561
    loaded = load(path)
    assert (loaded.sources[0].delimiter, loaded.sources[0].delimiter_found) == (delimiter, found)
    # The report says how the file was read (a comma file's source has no such keys).
    (source,) = document["input"]["sources"]
    assert (source["delimiter"], source["delimiter_found"]) == (delimiter, found)
    assert "delimiter" not in commas["input"]["sources"][0]


def test_an_excel_sep_line_names_the_delimiter_and_keeps_the_files_line_numbers(tmp_path):
    """'sep=;' (Excel's hint) is honoured and passed over; rows keep their data row numbers.

    Row numbers are data rows (the header not counted, as Excel, which hides the line, shows
    them less one); a message about a line of the file counts the sep= line, as an editor does.
    """
    rows = _rows()
    hinted = _write(tmp_path / "hinted.csv", rows, ";", first="sep=;\r\n")
    loaded = load(hinted)
    commas = load(EXAMPLE)
    assert (loaded.rows_read, loaded.entries_loaded) == (commas.rows_read, commas.entries_loaded)
    # The example's planted errors: rows 1615-1616 (2024-02-31), 1861/2511, 2702-2703 ('abc').
    assert [(e.row, e.column, e.value) for e in loaded.errors] == [
        (e.row, e.column, e.value) for e in commas.errors
    ]
    assert (2703, "value_usd", "abc") in [(e.row, e.column, e.value) for e in loaded.errors]
    assert loaded.sources[0].delimiter_found == "sep line"
    streamed = stream(hinted).read_with(list, announce=False)
    assert [e.source_rows for e in streamed.value] == [e.source_rows for e in loaded.entries]

    # Text after a closing quote on data row 3: line 5 of the file (sep=, header, rows 1, 2),
    # line 4 without the sep= line.
    broken = [list(row) for row in rows[:6]]
    broken[3][8] = '"Jordan" Ellis'
    for first, line in (("sep=;\r\n", 5), ("", 4)):
        path = tmp_path / "broken.csv"
        path.write_text(
            first + "\r\n".join(";".join(row) for row in broken) + "\r\n", encoding="utf-8"
        )
        for read in (load, lambda p: list(stream(p))):
            with pytest.raises(InputError) as caught:
                read(path)
            assert f"near line {line} of the file" in caught.value.reason
            assert caught.value.row == 3


def test_a_sep_line_naming_another_delimiter_is_overruled_by_one_given(tmp_path):
    """A wrong 'sep=' line: the message says so; delimiter= reads the file without editing it."""
    path = _write(tmp_path / "wrong.csv", _rows()[:40], ";", first="sep=|\r\n")
    with pytest.raises(InputError) as caught:
        load(path)
    assert "first line (sep=) names '|' as its delimiter" in caught.value.reason
    assert "pass delimiter=';'" in caught.value.reason
    loaded = load(path, delimiter=";")
    assert loaded.rows_read == 39
    assert loaded.sources[0].delimiter_found == "given"
    odd = _write(tmp_path / "odd.csv", _rows()[:3], ";", first="sep=^\r\n")
    with pytest.raises(InputError, match=r"delimiter hint naming '\^'"):
        load(odd)
    assert load(odd, delimiter=";").rows_read == 2


def test_a_tsv_file_is_read_at_tabs_whatever_its_header(tmp_path):
    """A .tsv file is read at tabs without looking at its header (no note: its name says so)."""
    rows = _rows()[:30]
    path = _write(tmp_path / "export.tsv", rows, "\t")
    loaded = load(path)
    assert loaded.sources[0].delimiter == "\t"
    assert loaded.sources[0].delimiter_found == "suffix"
    assert loaded.rows_read == 29
    # Commas in a .tsv file are data: a header of commas is one column, named as such.
    commas = _write(tmp_path / "commas.tsv", rows, ",")
    with pytest.raises(InputError) as caught:
        load(commas)
    assert "a single column that holds commas" in caught.value.reason
    assert "pass delimiter=','" in caught.value.reason
    assert load(commas, delimiter=",").rows_read == 29
    code, out, err = _cli(["load", str(path)])
    assert code == 0
    assert err == ""
    assert "delimited by '\\t'" in out


def _decimal_comma(text: str) -> str:
    """A U.S. number as a decimal-comma locale writes it: '$1,245.00' -> '$1.245,00'."""
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def _european_rows() -> list[list[str]]:
    rows = _rows()
    at = [rows[0].index(column) for column in NUMBER_COLUMNS]
    return [rows[0]] + [
        [_decimal_comma(cell) if i in at else cell for i, cell in enumerate(row)]
        for row in rows[1:]
    ]


def test_decimal_commas_are_row_errors_that_name_the_option(tmp_path):
    """Without decimal=',', '12,50' is the usual row error: file, row, column, value, reason."""
    path = _write(tmp_path / "european.csv", _european_rows(), ";")
    loaded = load(path)
    assert loaded.entries_loaded < 10  # (the few entries without a fraction in any number)
    first = loaded.errors[0]
    assert (first.source, first.row, first.column, first.value) == (
        str(path),
        1,
        "value_usd",
        "23,98",  # the example's first row: 23.98
    )
    assert "decimal comma" in first.message
    assert "pass decimal=','" in first.message
    assert "--decimal ," in first.message
    code, out, _ = _cli(["load", str(path)])
    assert code == 0
    assert "row 1, column value_usd, value '23,98'" in out
    assert "--decimal ," in out


def test_decimal_commas_read_with_the_option_give_the_comma_files_findings(tmp_path, commas):
    """decimal=',' reads '23,98' as 23.98 and '$1.245,00' as 1245.00; findings quote as filed."""
    path = _write(tmp_path / "european.csv", _european_rows(), ";")
    loaded = load(path, decimal=",")
    plain = load(EXAMPLE)
    assert [(e.row, e.column) for e in loaded.errors] == [(e.row, e.column) for e in plain.errors]
    first = loaded.entries[0].lines[0]
    assert (first.value_usd, first.value_raw) == (Decimal("23.98"), "23,98")
    assert (first.gross_weight_kg, first.gross_weight_raw) == (Decimal("0.39"), "0,39")
    for ours, theirs in zip(loaded.entries, plain.entries, strict=True):
        assert [(line.value_usd, line.quantity, line.gross_weight_kg) for line in ours.lines] == [
            (line.value_usd, line.quantity, line.gross_weight_kg) for line in theirs.lines
        ]
    grouped = [
        line for entry in loaded.entries for line in entry.lines if line.value_raw == "$1.245,00"
    ]
    assert [line.value_usd for line in grouped] == [Decimal("1245.00")]
    document = _report(path, "--decimal", ",")

    def who(finding: dict[str, Any]) -> tuple[Any, ...]:
        return (finding["code"], finding["entry_number"], finding["line_number"])

    assert [who(f) for f in document["findings"]] == [who(f) for f in commas["findings"]]
    assert document["audit_trail"]["invocation"]["decimal"] == ","
    # A line's value is quoted as filed ('0,01'); an entry's total is the amount judged.
    quoted = [
        (ours["observed"], theirs["observed"])
        for ours, theirs in zip(document["findings"], commas["findings"], strict=True)
        if ours["code"] == "VAL004"
    ]
    assert quoted
    assert all(ours == _decimal_comma(theirs) and "," in ours for ours, theirs in quoted)


@pytest.mark.parametrize(
    ("filed", "says"),
    [
        ("1.234", "with a decimal comma it is 1234, but in U.S. format it is 1.234"),
        ("1,234", "with a decimal comma it is 1.234, but in U.S. format it is 1234"),
        ("12.50", "has a decimal point, but decimal=','"),
        ("1,234.56", "has a decimal point"),
        ("0.500", "has a decimal point"),
    ],
)
def test_forms_a_decimal_comma_cannot_tell_apart_are_refused(tmp_path, filed, says):
    """Read one way with a decimal comma and another in U.S. format: refused, never guessed."""
    rows = _european_rows()[:2]
    rows[1][rows[0].index("value_usd")] = filed
    path = _write(tmp_path / "one.csv", rows, ";")
    loaded = load(path, decimal=",")
    assert loaded.entries == ()
    error = loaded.errors[0]
    assert (error.row, error.column, error.value) == (1, "value_usd", filed)
    assert says in error.message


@pytest.mark.parametrize(
    ("filed", "read"),
    [("1.234,56", "1234.56"), ("1234,5", "1234.5"), ("0,375", "0.375"), ("1.234.567", "1234567"),
     ("12,50 $", "12.50"), ("USD 12,50", "12.50"), ("25,00-", "-25.00"), ("800", "800")],
)  # fmt: skip
def test_decimal_comma_amounts_are_read_as_decimals(tmp_path, filed, read):
    rows = _european_rows()[:2]
    rows[1][rows[0].index("value_usd")] = filed
    path = _write(tmp_path / "one.csv", rows, ";")
    line = load(path, decimal=",").entries[0].lines[0]
    assert line.value_usd == Decimal(read)
    assert isinstance(line.value_usd, Decimal)
    assert line.value_raw == filed


def test_a_header_split_by_two_delimiters_names_both(tmp_path):
    header = ";".join(CANONICAL_COLUMNS[:10]) + "|" + "|".join(CANONICAL_COLUMNS[10:])
    path = tmp_path / "two.csv"
    path.write_text(header + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load(path)
    reason = caught.value.reason
    assert "splits into canonical columns at two delimiters" in reason
    assert "at semicolons into 9" in reason
    assert "at vertical bars into 19" in reason
    assert "pass delimiter=';' or delimiter='|'" in reason
    code, _, err = _cli(["audit", str(path)])
    assert code == 2
    assert "pass --delimiter ';' or --delimiter '|'" in err
    # A delimiter given is used as given (here: the columns before the first bar are missing).
    with pytest.raises(InputError, match="missing required column"):
        load(path, delimiter="|")


def test_a_wrong_delimiter_given_gets_the_missing_columns_message(tmp_path):
    """The delimiter given is used as given: the header is one column, columns are missing."""
    code, _, err = _cli(["audit", str(EXAMPLE), "--delimiter", ";"])
    assert code == 2
    assert "missing required column(s): entry_number, arrival_date" in err
    assert "split at ';' as --delimiter ';' asks, but it splits into more columns at commas" in err
    tabs = _write(tmp_path / "tabs.txt", _rows()[:5], "\t")
    code, _, err = _cli(["load", str(tabs), "--delimiter", "|"])
    assert code == 2
    assert "missing required column(s)" in err
    assert "splits into more columns at tabs" in err


def test_a_semicolon_header_of_other_names_says_to_name_the_delimiter(tmp_path):
    """Too few canonical names to tell: the message names the delimiter and the option."""
    rows = _rows()[:4]
    rows[0] = [f"Col {i}" for i in range(len(rows[0]))]
    path = _write(tmp_path / "other.csv", rows, ";")
    with pytest.raises(InputError) as caught:
        load(path)
    assert "seems to be delimited by ';'" in caught.value.reason
    assert "pass delimiter=';'" in caught.value.reason
    mapping = {name: f"Col {i}" for i, name in enumerate(_rows()[0])}
    assert load(path, delimiter=";", mapping=mapping).rows_read == 3
    # Through the mapping the header splits into the canonical columns: found.
    assert load(path, mapping=mapping).sources[0].delimiter == ";"


@pytest.mark.parametrize(
    ("given", "delimiter"),
    [(",", ","), (";", ";"), ("tab", "\t"), ("\\t", "\t"), ("\t", "\t"), ("|", "|")],
)
def test_the_delimiter_option_takes_what_a_shell_lets_one_type(tmp_path, given, delimiter):
    path = _write(tmp_path / "e.txt", _rows()[:20], delimiter)
    code, out, err = _cli(["load", str(path), "--delimiter", given, "--format", "json"])
    assert code == 0, err
    assert json.loads(out)["rows_read"] == 19
    assert load(path, delimiter=given).rows_read == 19


def test_bad_delimiter_and_decimal_options_are_refused(tmp_path, capsys):
    code, _, _ = _cli(["load", str(EXAMPLE), "--delimiter", "x"])
    assert code == 2
    assert "expected , ; tab or |" in capsys.readouterr().err  # (argparse's own stream)
    code, _, _ = _cli(["load", str(EXAMPLE), "--decimal", ";"])
    assert code == 2
    assert "--decimal: invalid choice" in capsys.readouterr().err
    with pytest.raises(InputError, match="unknown delimiter 'x'"):
        load(EXAMPLE, delimiter="x")
    with pytest.raises(InputError, match="unknown decimal mark"):
        stream(EXAMPLE, decimal=";")
    records = tmp_path / "e.jsonl"
    records.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="no input is a CSV"):
        load(records, delimiter=";")
    code, _, err = _cli(["load", str(records), "--decimal", ","])
    assert code == 2
    assert "--decimal , is given but no input is a CSV" in err


def test_a_detected_delimiter_is_in_the_load_accounting(tmp_path):
    path = _write(tmp_path / "pipes.csv", _rows()[:20], "|")
    code, out, err = _cli(["load", str(path), "--format", "json"])
    assert code == 0
    source = json.loads(out)["sources"][0]
    assert (source["delimiter"], source["delimiter_found"]) == ("|", "header row")
    assert err.count("was read as delimited by vertical bars") == 1
    code, out, _ = _cli(["load", str(EXAMPLE), "--format", "json"])
    assert "delimiter" not in json.loads(out)["sources"][0]  # (a comma file: as before)


def test_a_delimited_file_read_in_parts_gives_the_same_entries(tmp_path):
    """Counting, parts (passing over other parts' lines) and finding entries again, at tabs.

    Those readings find entry numbers by splitting lines at commas; in a file delimited
    otherwise every line goes to the CSV reader instead: slower, the same entries.
    """
    rows = _rows()
    number = rows[0].index("entry_number")
    ordered = [rows[0], *sorted(rows[1:], key=lambda row: row[number])]
    commas = _write(tmp_path / "sorted.csv", ordered, ",")
    tabs = _write(tmp_path / "sorted.txt", ordered, "\t")
    counted = count_entries([tabs])
    assert (counted.entries, counted.contiguous) == (
        count_entries([commas]).entries,
        True,
    )
    assert counted.sources[0].delimiter == "\t"
    whole = list(stream(commas))
    cut = counted.entries // 3
    parts = []
    for first, end in ((0, cut), (cut, 2 * cut), (2 * cut, counted.entries)):
        part = [e.source_rows for e in stream(tabs).part(first, end)]
        assert part == [e.source_rows for e in stream(commas).part(first, end)]
        parts.extend(part)
    assert parts == [e.source_rows for e in whole]
    wanted = {whole[5].number, whole[-3].number}
    again = stream(tabs)
    list(again)
    assert sorted(e.number for e in again.only(wanted)) == sorted(wanted)
    report_tabs = audit(stream(tabs), jobs=2, exposure=False)
    report_commas = audit(stream(commas), jobs=2, exposure=False)
    assert [(f.code, f.entry_number) for f in report_tabs.findings] == [
        (f.code, f.entry_number) for f in report_commas.findings
    ]
    assert report_tabs.load is not None
    assert report_tabs.load.sources[0].delimiter == "\t"


def test_an_empty_first_row_of_delimiters_is_passed_over(tmp_path):
    """A spreadsheet writes an empty first row as ';;;;': the header is the next line."""
    rows = _rows()[:8]
    path = _write(tmp_path / "lead.csv", rows, ";", first=";;;;;;\r\n\r\n")
    loaded = load(path)
    assert loaded.sources[0].delimiter == ";"
    plain = load(_write(tmp_path / "plain.csv", rows, ","))
    assert [e.source_rows for e in loaded.entries] == [e.source_rows for e in plain.entries]


def test_a_weight_with_a_decimal_comma_is_never_read_as_thousands(tmp_path):
    """'0,375' (0.375 kg with a decimal comma) was read as 375 in U.S. format; now refused.

    A U.S. number never begins with a group of a lone zero; '10,000' is still ten thousand.
    """
    rows = _rows()[:3]
    weight = rows[0].index("gross_weight_kg")
    rows[1][weight] = "0,375"
    rows[2][weight] = "10,000"
    loaded = load(_write(tmp_path / "w.csv", rows, ","))
    assert [(e.row, e.column, e.value) for e in loaded.errors] == [(1, "gross_weight_kg", "0,375")]
    assert "pass decimal=','" in loaded.errors[0].message
    (entry,) = [e for e in loaded.entries if e.source_rows == (2,)]
    assert entry.lines[0].gross_weight_kg == Decimal("10000")
