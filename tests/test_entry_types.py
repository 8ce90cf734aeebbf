"""Entry types: T86 rules judge Type 86 entries only; other types are loaded, counted, listed.

A broker's export holds every entry it filed. A formal (01) or informal (11) entry is lawful
at any value and for any origin, so a T86 finding on it would be wrong in front of counsel.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

import t86audit
from t86audit.model import entry_type_code
from t86audit.testing import CSV_COLUMNS, make_entry, make_line, to_csv_rows


def _codes(report: t86audit.Report, number: str) -> list[str]:
    return sorted(f.code for f in report.findings if f.entry_number == number)


def _csv(entries: list[t86audit.Entry], *, drop: tuple[str, ...] = ()) -> str:
    columns = [c for c in CSV_COLUMNS if c not in drop]
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(to_csv_rows(entries))
    return out.getvalue()


CONSIGNEE = {"name": "Maria Lopez", "address": "12 Elm St", "city": "Austin", "state": "TX"}


def mixed_export() -> list[t86audit.Entry]:
    """Types 01, 11 and 86 in one export, with the shapes a real broker's file has."""
    return [
        # A formal entry of $2,000: lawful, no VAL001.
        make_entry(serial=1, entry_type="01", value="2000.00"),
        # An informal entry of Chinese goods after the 2 May 2025 gate: no ELG002, no VAL001.
        make_entry(
            serial=2,
            entry_type="11",
            arrival_date="2025-09-10",
            lines=[{"country_of_origin": "CN", "value_usd": "1200.00"}],
            seller={"country": "CN"},
        ),
        # An informal entry of $750 and a T86 of $100 to the same person on the same day: the
        # T86 total for the day is $100, so no VAL002.
        make_entry(serial=3, entry_type="11", value="750.00", consignee=CONSIGNEE),
        make_entry(serial=4, entry_type="86", value="100.00", consignee=CONSIGNEE),
        # Excel dropped the leading zero: "1" is type 01.
        make_entry(serial=5, entry_type="1", value="5000.00"),
        # A T86 over the threshold: still a violation.
        make_entry(serial=6, entry_type="86", value="900.00"),
    ]


def test_entry_type_codes_are_normalised():
    """Excel's 1 and 11.0 are 01 and 11; 086 is 86; blank or text is unreadable."""
    assert entry_type_code("1") == "01"
    assert entry_type_code("11.0") == "11"
    assert entry_type_code(" 086 ") == "86"
    assert entry_type_code("") == ""
    assert entry_type_code("informal") == ""
    assert make_entry(entry_type="1").judged_as_t86 is False
    assert make_entry(entry_type="").judged_as_t86 is True


def test_no_t86_finding_lands_on_another_entry_type():
    """Formal and informal entries draw no finding; the T86 entries are judged as before."""
    entries = mixed_export()
    report = t86audit.audit(entries)
    judged = {e.number for e in entries if e.judged_as_t86}
    others = {e.number for e in entries} - judged
    assert others == {entries[i].number for i in (0, 1, 2, 4)}
    assert not [f for f in report.findings if f.entry_number in others]
    # The T86 of $100 is alone on its day among T86 entries.
    assert "VAL002" not in _codes(report, entries[3].number)
    assert "VAL001" in _codes(report, entries[5].number)


def test_other_types_are_counted_and_listed_not_judged():
    """The summary counts entries by type; the entry table says the entry was not judged."""
    entries = mixed_export()
    report = t86audit.audit(entries, generated_at=dt.datetime(2026, 12, 5, tzinfo=dt.UTC))
    rows = {row.entry_number: row for row in report.entry_rows}
    assert rows[entries[0].number].status == "not_judged"
    assert rows[entries[0].number].entry_type == "01"
    assert rows[entries[4].number].entry_type == "01"
    assert rows[entries[5].number].status == "violation"

    data = json.loads(report.to_json())
    assert data["input"]["entries_by_type"] == {"01": 2, "11": 2, "86": 2}
    statuses = {e["entry_number"]: e["status"] for e in data["entries"]}
    assert statuses[entries[1].number] == "not_judged"

    text = report.to_text()
    assert "type 01: 2, type 11: 2, type 86: 2" in text
    assert "type 11: not judged by the T86 rules" in text
    # Only judged entries can be clean: 2 of 6 are judged, 1 of them is clean.
    assert "2 judged as Type 86 (1 clean)" in text


def test_a_blank_type_is_a_finding_and_audited_as_86(tmp_path):
    """A blank type in a file with the column is FIL015 and the entry is judged as a T86."""
    entries = [
        make_entry(serial=1, entry_type="", value="900.00"),
        make_entry(serial=2, consignee=CONSIGNEE),
    ]
    path = tmp_path / "export.csv"
    path.write_text(_csv(entries), encoding="utf-8")
    loaded = t86audit.load(path)
    assert [e.entry_type for e in loaded.entries] == ["", "86"]
    report = t86audit.audit(loaded)
    assert _codes(report, entries[0].number) == ["FIL015", "VAL001"]
    fil015 = next(f for f in report.findings if f.code == "FIL015")
    assert "presumed Type 86" in fil015.message
    assert fil015.severity.value == "warning"


def test_a_file_without_the_column_is_all_type_86(tmp_path):
    """The contract's default: no entry_type column means a Type 86 export, no FIL015."""
    path = tmp_path / "export.csv"
    path.write_text(_csv([make_entry(serial=1)], drop=("entry_type",)), encoding="utf-8")
    loaded = t86audit.load(path)
    assert [e.entry_type for e in loaded.entries] == ["86"]
    assert not t86audit.audit(loaded).findings


def test_samples_draw_only_type_86_entries():
    """A random sample of T86 filings never draws a formal or informal entry."""
    entries = [make_entry(serial=i, entry_type="11" if i % 2 else "86") for i in range(1, 41)]
    (sample,) = t86audit.draw_samples(entries, size=10, count=1, seed=3)
    assert {e.entry_type for e in sample.entries} == {"86"}
    assert sample.population_size == 40
    with pytest.raises(t86audit.SampleError, match="20 distinct Type 86 entries"):
        t86audit.draw_samples(entries, size=10, count=3, seed=3)


def test_group_rules_count_only_t86_entries():
    """Split shipments and day totals never add an informal entry's value to a T86."""
    seller = {"name": "Shenzhen Gadget Co", "address": "8 Tech Rd", "country": "VN"}
    entries = [
        make_entry(serial=1, entry_type="11", value="700.00", consignee=CONSIGNEE, seller=seller),
        make_entry(serial=2, entry_type="86", value="300.00", consignee=CONSIGNEE, seller=seller),
    ]
    report = t86audit.audit(entries)
    assert not report.findings


def test_line_items_keep_chapter_99_numbers():
    """make_line and the CSV writer carry additional_hts through a round trip."""
    line = make_line(additional_hts="9903.88.15; 9903.01.24")
    assert line.additional_hts == ("9903.88.15", "9903.01.24")
    assert line.hts_numbers == (line.hts_number, "9903.88.15", "9903.01.24")
