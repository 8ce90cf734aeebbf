"""A broker's real export, with every shape that used to draw a wrong finding (issue 13).

The export mixes entry types 01, 11 and 86, writes types as Excel does ("1"), gives bills as
master/house pairs, has a seller shipping one parcel a day to a regular customer, reports Chapter
99 numbers as extra "tariff ordinal" rows and in the additional_hts column, and carries an IEEPA
line on Chinese goods after the 2 May 2025 gate. Every finding on it must be one counsel would
sign: no violation on a non-86 entry, and each of the findings below right.
"""

from __future__ import annotations

import csv
import io

import pytest

import t86audit
from t86audit.testing import CSV_COLUMNS, make_entry, to_csv_rows


REGULAR = {"name": "Grace Okafor", "address": "40 Birch Lane", "city": "Denver", "state": "CO"}
DAILY_SELLER = {"name": "Hanoi Candle Works", "address": "9 Pho Hue", "country": "VN"}


def _entries() -> list[t86audit.Entry]:
    entries = [
        # 1: formal entry, $2,000: lawful, not judged.
        make_entry(serial=1, entry_type="01", value="2000.00"),
        # 2: informal entry of Chinese goods in September 2025: not judged.
        make_entry(
            serial=2,
            entry_type="11",
            arrival_date="2025-09-10",
            lines=[{"country_of_origin": "CN", "value_usd": "1200.00"}],
        ),
        # 3 and 4: an informal $750 and a T86 $100 to one person on one day.
        make_entry(serial=3, entry_type="11", value="750.00", consignee=REGULAR),
        make_entry(serial=4, entry_type="86", value="100.00", consignee=REGULAR),
        # 5: Excel's "1" for a formal entry of $5,000.
        make_entry(serial=5, entry_type="1", value="5000.00"),
        # 6: a master and a house bill, given together.
        make_entry(serial=6, bill_of_lading="176-12345675 / SZX0098123"),
        # 7: labelled master and house.
        make_entry(serial=7, bill_of_lading="MAWB 176-12345686 HAWB SZX0098124"),
        # 8: two air waybills on one T86: a warning (the one-bill rule is unverified).
        make_entry(serial=8, bill_of_lading="176-12345690 / 176-12345701"),
    ]
    # 9-14: six daily $150 parcels from one seller to one customer, each its own order.
    for day in range(6):
        serial = 9 + day
        entries.append(
            make_entry(
                serial=serial,
                arrival_date=f"2024-07-{8 + day:02d}",
                seller=DAILY_SELLER,
                consignee={"name": "Sam Rivera", "address": "3 Pine Court"},
                lines=[
                    {
                        "description": "soy wax scented candle",
                        "hts_number": "3406.00.00.00",
                        "value_usd": "150.00",
                        "order_reference": f"HCW-{serial}",
                    }
                ],
            )
        )
    # 15: Chinese goods after the 2 May 2025 gate, with an IEEPA number beside the HTS.
    entries.append(
        make_entry(
            serial=15,
            arrival_date="2025-06-10",
            seller={"country": "CN"},
            lines=[
                {
                    "description": "women's cotton knit t-shirt",
                    "hts_number": "6109.10.00.40",
                    "country_of_origin": "CN",
                    "value_usd": "20.00",
                    "additional_hts": "9903.01.24",
                }
            ],
        )
    )
    return entries


def _export() -> str:
    """The export as CSV, with the Section 301 number of entry 16 as a tariff ordinal row."""
    rows = to_csv_rows(_entries())
    # 16: a Vietnamese t-shirt in 2024 whose Section 301 / 9903 number comes on its own row,
    # with the same entry and line number (ACE tariff ordinals), before the Chapter 61 row.
    base = to_csv_rows([make_entry(serial=16)])[0]
    ordinal = {**base, "hts_number": "9903.88.15", "description": "", "value_usd": ""}
    rows += [ordinal, base]
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> t86audit.Report:
    path = tmp_path_factory.mktemp("export") / "broker-export.csv"
    path.write_text(_export(), encoding="utf-8")
    loaded = t86audit.load(path)
    assert loaded.rows_rejected == 0
    # Entry 16's two rows are one entry with one line: 17 rows, 16 entries.
    assert (loaded.rows_read, len(loaded.entries)) == (17, 16)
    sixteen = next(e for e in loaded.entries if e.number == _number(16))
    assert len(sixteen.lines) == 1
    assert sixteen.lines[0].hts_number == "6109.10.00.40"
    assert sixteen.lines[0].additional_hts == ("9903.88.15",)
    return t86audit.audit(loaded)


def _number(serial: int) -> str:
    return make_entry(serial=serial).number


def _codes(report: t86audit.Report, serial: int) -> list[str]:
    number = _number(serial)
    return sorted(f.code for f in report.findings if f.entry_number == number)


def test_no_finding_on_formal_or_informal_entries(report: t86audit.Report) -> None:
    for serial in (1, 2, 3, 5):
        assert _codes(report, serial) == [], serial


def test_day_total_counts_t86_entries_only(report: t86audit.Report) -> None:
    assert "VAL002" not in _codes(report, 4)


def test_master_house_pairs_are_one_bill(report: t86audit.Report) -> None:
    assert "FIL006" not in _codes(report, 6)
    assert "FIL006" not in _codes(report, 7)
    two = [f for f in report.findings if f.code == "FIL006"]
    assert [f.entry_number for f in two] == [_number(8)]
    assert two[0].severity.value == "warning"
    assert two[0].basis == "unverified"


def test_daily_parcels_are_not_chained(report: t86audit.Report) -> None:
    for serial in range(9, 15):
        assert "VAL005" not in _codes(report, serial)


def test_ieepa_line_is_gated_and_never_called_eligible(report: t86audit.Report) -> None:
    codes = _codes(report, 15)
    assert "ELG003" in codes
    assert "ELG014" not in codes
    texts = " ".join(f.message for f in report.findings if f.entry_number == _number(15))
    assert "eligible for T86" not in texts


def test_tariff_ordinal_rows_merge_into_one_line(report: t86audit.Report) -> None:
    codes = _codes(report, 16)
    assert "HTS005" not in codes
    note = [f for f in report.findings if f.code == "ELG014" and f.entry_number == _number(16)]
    assert len(note) == 1
    assert "Section 301" in note[0].message
    assert note[0].line_number == 1


def test_no_violation_rests_on_guidance_alone(report: t86audit.Report) -> None:
    """Severity follows the evidence: every violation has a binding basis."""
    binding = {"statute", "regulation", "executive-order", "federal-register"}
    assert all(f.basis in binding for f in report.findings if f.severity.value == "violation")


def test_the_export_is_counted_by_type(report: t86audit.Report) -> None:
    text = report.to_text()
    assert "type 01: 2, type 11: 2, type 86: 12" in text


def test_an_order_split_is_not_hidden_by_a_small_day_window() -> None:
    """VAL005 judges every group of a shipment: its day window, then each of its orders."""
    from t86audit.rules.value import split_shipment  # noqa: PLC0415
    from t86audit.testing import run_rule  # noqa: PLC0415

    seller = {"name": "Shenzhen Bright Trading Co"}
    buyer = {"name": "Alan Park", "address": "88 Oak Avenue"}

    def shipment(serial: int, day: str, value: str, order: str) -> t86audit.Entry:
        return make_entry(
            serial=serial,
            arrival_date=day,
            seller=seller,
            consignee=buyer,
            lines=[{"value_usd": value, "order_reference": order}],
        )

    entries = [
        shipment(1, "2024-06-03", "100.00", "PO-77"),
        shipment(2, "2024-06-04", "100.00", "PO-78"),
        shipment(3, "2024-06-10", "750.00", "PO-77"),
    ]
    found = {f.entry_number: f for f in run_rule(split_shipment, entries)}
    assert set(found) == {entries[0].number, entries[2].number}
    assert "under order reference PO-77" in found[entries[0].number].message
