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
    from t86audit.io import load_csv  # noqa: PLC0415
    from t86audit.testing import CSV_COLUMNS, to_csv_rows  # noqa: PLC0415

    import csv  # noqa: PLC0415

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
