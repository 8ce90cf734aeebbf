"""Session 24, h6: review of the session's merged work (presumed records, citations, delimiters).

Each expectation was worked out by hand from the domain reference (/work/shared/domain), not
copied from the code's output.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

import t86audit
from t86audit.model import Entry
from t86audit.testing import make_entry


AT = dt.datetime(2026, 12, 8, 12, 0, tzinfo=dt.UTC)


def _entry(serial: int, day: str, *, entry_type: str = "", name: str | None = None) -> Entry:
    """A $950 entry (over the $800 of 19 U.S.C. 1321(a)(2)(C) from 10 Mar 2016)."""
    consignee = None if name is None else {"name": name, "address": f"{serial} Elm Street"}
    return make_entry(
        serial=serial, arrival_date=day, entry_type=entry_type, value="950.00", consignee=consignee
    )


# --------------------------------------------------------------------------------------------
# The workbook's Summary says what the other formats say of records not priced


def _summary_rows(report: t86audit.Report, tmp_path: Path) -> list[tuple[Any, ...]]:
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "report.xlsx"
    report.save(out)
    workbook = openpyxl.load_workbook(out, read_only=True)
    rows = [tuple(row) for row in workbook["Summary"].iter_rows(values_only=True) if row]
    workbook.close()
    return rows


def test_the_workbook_summary_names_the_records_it_does_not_price(tmp_path: Path) -> None:
    """A blank-type record of 15 Jun 2018 (before the T86 test of 28 Sep 2019) is ineligible
    by ELG001 and VAL001, presumed, and not priced. The markdown and HTML reports give the
    'Not priced' note above the totals; the workbook's Summary, whose totals count only the
    one priced entry, must say it too, or its 'ineligible entries 1' reads as the whole."""
    entries = [_entry(1, "2018-06-15"), _entry(2, "2024-06-03", entry_type="86", name="Bo Li")]
    report = t86audit.audit(entries, generated_at=AT)
    assert report.exposure is not None
    assert [number for number, _ in report.exposure.not_priced] == [entries[0].number]
    markdown = report.render("markdown")
    assert f"Not priced: 1 entry ({entries[0].number})" in markdown
    rows = _summary_rows(report, tmp_path)
    by_label = {row[0]: row[1:] for row in rows}
    assert by_label["ineligible entries"][0] == 1  # the priced one
    assert by_label["ineligible entries not priced"][0] == 1
    notes = [row[1] for row in rows if row[0] == "exposure note"]
    assert any(
        str(note).startswith(f"Not priced: 1 entry ({entries[0].number})") for note in notes
    )


def test_the_workbook_summary_adds_nothing_when_every_entry_is_priced(tmp_path: Path) -> None:
    report = t86audit.audit([_entry(2, "2024-06-03", entry_type="86")], generated_at=AT)
    labels = [row[0] for row in _summary_rows(report, tmp_path)]
    assert "ineligible entries" in labels
    assert "ineligible entries not priced" not in labels


# --------------------------------------------------------------------------------------------
# docs/hostile-input.md: a first line 'sep=,' is Excel's hint, honoured (no longer a stop)


def test_a_sep_comma_first_line_is_skipped_and_rows_stay_data_rows(tmp_path: Path) -> None:
    import csv  # noqa: PLC0415

    from t86audit.io import load_csv  # noqa: PLC0415
    from t86audit.testing import CSV_COLUMNS, to_csv_rows  # noqa: PLC0415

    entries = [make_entry(serial=1), make_entry(serial=2)]
    path = tmp_path / "export.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        handle.write("sep=,\r\n")
        writer = csv.DictWriter(handle, fieldnames=list(CSV_COLUMNS), lineterminator="\r\n")
        writer.writeheader()
        rows = list(to_csv_rows(entries))
        rows[1]["value_usd"] = "abc"
        writer.writerows(rows)
    loaded = load_csv(path)
    assert [e.number for e in loaded.entries] == [entries[0].number]
    assert loaded.entries[0].source_rows == (1,)
    # The bad value is data row 2 (the header not counted, the sep= line neither).
    assert [(e.row, e.column, e.value) for e in loaded.errors] == [(2, "value_usd", "abc")]
    hostile = (Path(__file__).resolve().parents[1] / "docs" / "hostile-input.md").read_text()
    assert "| a first line `sep=,`, or title lines above a CSV header | the file stops" not in (
        hostile
    )


# --------------------------------------------------------------------------------------------
# One person on one day (ref 3.3 V2) sums T86 entries: a record presumed not to be a T86 does
# not push a typed T86 over the limit


EDT = dt.timezone(dt.timedelta(hours=-4))  # 28-29 Aug 2025
DANA = {"name": "Dana Cole", "address": "5 Oak Street"}


def _day_28_aug(serial: int, value: str, entry_type: str, filed: dt.datetime | None) -> Entry:
    return make_entry(
        serial=serial,
        arrival_date="2025-08-28",
        entry_type=entry_type,
        value=value,
        consignee=DANA,
        filed_at=filed,
    )


def test_a_record_presumed_not_a_t86_does_not_make_a_typed_t86_over_the_day() -> None:
    """Both arrived 28 Aug 2025, the T86 test's last day, for one consignee. Record 1 ($700)
    has no entry type and was transmitted at 1:00 a.m. EDT 29 Aug 2025, after ACE stopped
    accepting T86 (12:01 a.m. EDT): no T86 could be made, so it is more likely a type 11 or 01
    entry (ELG002 presumed, not priced). Record 2 is a T86 of $200 with no filing time. The
    T86 day total (V2 groups T86 entries) is $200, not over $800: record 2 has no VAL002
    violation, and the exposure prices nothing."""
    blank = _day_28_aug(1, "700.00", "", dt.datetime(2025, 8, 29, 1, 0, tzinfo=EDT))
    typed = _day_28_aug(2, "200.00", "86", None)
    report = t86audit.audit([blank, typed], generated_at=AT)
    on_typed = [
        (f.code, f.severity.value) for f in report.findings if f.entry_number == typed.number
    ]
    assert ("VAL002", "violation") not in on_typed
    assert report.exposure is not None
    assert [e.entry_number for e in report.exposure.entries] == []
    assert [number for number, _ in report.exposure.not_priced] == [blank.number]


def test_typed_t86s_over_the_day_are_still_violations_beside_a_presumed_record() -> None:
    """Two T86s of $500 (no filing time) on 28 Aug 2025: $1,000 for one person on one day is
    over $800 whatever the blank-type record transmitted after the end adds; the second T86
    (in manifest order) is a violation, its total the T86s' $1,000."""
    blank = _day_28_aug(1, "700.00", "", dt.datetime(2025, 8, 29, 1, 0, tzinfo=EDT))
    first = _day_28_aug(2, "500.00", "86", dt.datetime(2025, 8, 28, 9, 0, tzinfo=EDT))
    second = _day_28_aug(3, "500.00", "86", dt.datetime(2025, 8, 28, 10, 0, tzinfo=EDT))
    report = t86audit.audit([blank, first, second], generated_at=AT)
    val002 = {f.entry_number: f for f in report.findings if f.code == "VAL002"}
    assert val002[second.number].severity.value == "violation"
    assert first.number not in val002
    assert "brings the day's total to 1,000.00 USD (day total 1,000.00 USD)" in (
        val002[second.number].message
    )
    # The blank record, read as the T86 it is presumed to be, brings the day to $1,700: its
    # own finding is a presumed warning.
    assert val002[blank.number].severity.value == "warning"
    assert "holds only if the record was a T86" in val002[blank.number].message


# --------------------------------------------------------------------------------------------
# A decimal comma in an input that is not delimited text: the message must not advise
# decimal=',', which only CSV files take (load() refuses it for them)


def _decimal_comma_records() -> list[dict[str, str]]:
    from t86audit.testing import to_csv_rows  # noqa: PLC0415

    rows = list(to_csv_rows([make_entry(serial=1)]))
    rows[0]["value_usd"] = "12,50"
    return rows


def _assert_no_decimal_option_advice(message: str) -> None:
    assert "'12,50' has a decimal comma" in message
    assert "decimal=','" not in message
    assert "--decimal" not in message
    assert "save it as an .xlsx workbook" not in message


def test_a_decimal_comma_in_a_workbook_text_cell_names_no_csv_option(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    from t86audit.testing import CSV_COLUMNS  # noqa: PLC0415

    path = tmp_path / "export.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(list(CSV_COLUMNS))
    for row in _decimal_comma_records():
        workbook.active.append([row[column] for column in CSV_COLUMNS])
    workbook.save(path)
    loaded = t86audit.load(path)
    ((column, message),) = [(e.column, e.message) for e in loaded.errors]
    assert column == "value_usd"
    _assert_no_decimal_option_advice(message)
    # The advice it would give is refused for a workbook:
    with pytest.raises(t86audit.InputError, match="no input is a CSV"):
        t86audit.load(path, decimal=",")


def test_a_decimal_comma_in_records_names_no_csv_option() -> None:
    from t86audit.io import load_records  # noqa: PLC0415

    loaded = load_records(_decimal_comma_records())
    ((message,),) = [(e.message,) for e in loaded.errors]
    _assert_no_decimal_option_advice(message)


def test_a_decimal_comma_in_a_csv_file_still_names_the_option(tmp_path: Path) -> None:
    import csv  # noqa: PLC0415

    from t86audit.testing import CSV_COLUMNS  # noqa: PLC0415

    path = tmp_path / "export.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(CSV_COLUMNS), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(_decimal_comma_records())
    streamed = t86audit.stream(path)
    assert list(streamed) == []
    for errors in (t86audit.load(path).errors, streamed.result.errors):
        ((message,),) = [(e.message,) for e in errors]
        assert "pass decimal=',' (on the command line --decimal ,)" in message
