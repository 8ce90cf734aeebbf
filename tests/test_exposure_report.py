"""The exposure in the report: JSON object, human section, worksheet, samples' projections."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import t86audit
from t86audit.cli import main
from t86audit.testing import make_entry


ROOT = Path(__file__).resolve().parent.parent
WHEN = dt.datetime(2026, 12, 5, tzinfo=dt.UTC)
OTHER = {"name": "Ruth Adler", "address": "7 Cedar Road", "city": "Boise", "state": "ID"}


def _tshirts() -> t86audit.Entry:
    """The issue's hand-computed case: $1,500 of VN t-shirts on 2024-06-03 (VAL001)."""
    return make_entry(
        serial=1,
        arrival_date="2024-06-03",
        lines=[
            {
                "description": "men's cotton knit t-shirts",
                "hts_number": "6109.10.00.12",
                "country_of_origin": "VN",
                "value_usd": "1500.00",
                "quantity": "100",
            }
        ],
    )


def test_an_ineligible_entry_shows_what_it_would_have_owed():
    report = t86audit.audit([_tshirts(), make_entry(serial=2, consignee=OTHER)], generated_at=WHEN)
    assert report.exposure is not None
    (entry,) = report.exposure.entries
    assert entry.reasons == ("VAL001",)
    assert entry.duty_usd == Decimal("247.50")
    assert entry.fees_usd == Decimal("2.53")
    assert entry.loss_of_revenue_usd == Decimal("250.03")

    data = json.loads(report.to_json())
    assert data["schema_version"] == 2
    listed = data["exposure"]["entries"][0]
    assert listed["duty_usd"] == "247.50"
    assert listed["loss_of_revenue_usd"] == "250.03"
    amounts = listed["lines"][0]["amounts"]
    assert {a["rate"] for a in amounts} == {"16.5%"}
    assert amounts[0]["rate_date"] == "2024-06-03"
    assert data["exposure"]["totals"]["loss_of_revenue_usd"] == "250.03"
    assert "not a penalty assessment" in data["exposure"]["penalty_ranges"]["statement"]


def test_clean_and_waived_entries_owe_nothing():
    entry = _tshirts()
    waivers = [
        {
            "entry_number": entry.number,
            "code": "VAL001",
            "reason": "value corrected by a type 11 entry",
            "reviewer": "J. Doe",
            "date": "2026-12-01",
        }
    ]
    report = t86audit.audit([entry], waivers=waivers, generated_at=WHEN)
    assert report.exposure is not None
    assert report.exposure.entries == ()
    assert "nothing to estimate" in report.to_text()


def test_other_entry_types_are_not_in_the_exposure():
    formal = make_entry(serial=3, entry_type="01", value="5000.00")
    report = t86audit.audit([formal], generated_at=WHEN)
    assert report.exposure is not None
    assert report.exposure.entries == ()


def test_the_example_report_shows_its_exposure():
    loaded = t86audit.load(ROOT / "examples" / "data" / "entries.csv")
    sample = t86audit.draw_samples(loaded.entries, size=59, seed=2024)
    report = t86audit.audit(loaded, samples=sample, generated_at=WHEN)
    exposure = report.exposure
    assert exposure is not None
    assert len(exposure.entries) > 10
    assert {g.label for g in exposure.by_reason} >= {"VAL001", "VAL002", "ELG003"}
    months = [g.label for g in exposure.by_month]
    assert months == sorted(months)
    assert exposure.projections
    assert exposure.projections[0].projection.population_size == 2996
    text = report.to_text()
    assert "Exposure" in text
    assert "Penalty ranges" in text
    assert "Loss of revenue" in text


def test_the_audit_can_skip_the_exposure():
    report = t86audit.audit([_tshirts()], exposure=False, generated_at=WHEN)
    assert report.exposure is None
    assert json.loads(report.to_json())["exposure"] is None


def test_a_streamed_audit_reads_the_ineligible_entries_again(tmp_path):
    from t86audit.io import stream  # noqa: PLC0415
    from t86audit.testing import CSV_COLUMNS, to_csv_rows  # noqa: PLC0415

    path = tmp_path / "entries.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(to_csv_rows([make_entry(serial=2, consignee=OTHER), _tshirts()]))
    report = t86audit.audit(stream(path), generated_at=WHEN)
    assert report.exposure is not None
    assert [e.loss_of_revenue_usd for e in report.exposure.entries] == [Decimal("250.03")]


def test_the_worksheet_lists_every_amount_and_neutralises_formulas(tmp_path, capsys):
    worksheet = tmp_path / "worksheet.csv"
    status = main(
        [
            "audit",
            str(ROOT / "examples" / "data" / "entries.csv"),
            "--format",
            "json",
            "--output",
            str(tmp_path / "report.json"),
            "--exposure-worksheet",
            str(worksheet),
        ]
    )
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(worksheet.read_text(encoding="utf-8"))))
    assert rows[-1]["entry_number"] == "TOTAL"
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert rows[-1]["amount_usd"] == report["exposure"]["totals"]["loss_of_revenue_usd"]
    kinds = {row["kind"] for row in rows}
    assert {"duty", "fee", "entry total", "total"} <= kinds
    assert all(not row["provision"].startswith(("=", "+", "@")) for row in rows)
    capsys.readouterr()


def test_the_worksheet_is_refused_without_the_exposure(tmp_path, capsys):
    status = main(
        [
            "audit",
            str(ROOT / "examples" / "data" / "entries-2.csv"),
            "--no-exposure",
            "--exposure-worksheet",
            str(tmp_path / "w.csv"),
        ]
    )
    assert status == 2
    assert "--no-exposure" in capsys.readouterr().err


def test_each_entry_carries_its_ceilings_and_interest_when_rates_are_given():
    from t86audit.exposure import InterestRates  # noqa: PLC0415

    rates = InterestRates(
        periods=((dt.date(2024, 4, 1), Decimal("8")),), through=dt.date(2024, 12, 31)
    )
    report = t86audit.audit([_tshirts()], interest_rates=rates, generated_at=WHEN)
    data = json.loads(report.to_json())["exposure"]
    ceilings = data["entries"][0]["penalty_ceilings"]
    assert ceilings["negligence_usd"] == "500.06"  # twice the loss of revenue
    assert ceilings["gross_negligence_usd"] == "1000.12"
    assert Decimal(ceilings["interest_usd"]) > 0
    assert Decimal(data["penalty_ranges"]["prior_disclosure_tender_usd"]) > Decimal("250.03")


def test_the_stream_read_again_parses_only_the_ineligible_entries(tmp_path):
    """EntryStream.only keeps the wanted entries and accounts only for their rows."""
    from t86audit.io import stream  # noqa: PLC0415
    from t86audit.testing import CSV_COLUMNS, make_population, to_csv_rows  # noqa: PLC0415

    entries = make_population(50, seed=3)
    path = tmp_path / "entries.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(to_csv_rows(entries))
    wanted = {entries[3].number, entries[40].number.replace("-", "")}
    again = stream(path).only(wanted)
    found = list(again)
    assert [e.number for e in found] == [entries[3].number, entries[40].number]
    assert found[0] == t86audit.load(path).entries[3]
    assert again.result.entries_loaded == 2


def test_two_entries_sharing_a_number_are_each_estimated(tmp_path):
    """FIL003's duplicates: the exposure estimates both, not the first only (review fix)."""
    from t86audit.testing import CSV_COLUMNS, to_csv_rows  # noqa: PLC0415

    first = make_entry(serial=7, value="950.00", consignee=OTHER)
    second = make_entry(
        serial=7,
        value="2950.00",
        consignee={"name": "Ben Ortiz", "address": "9 Ash St", "city": "Reno", "state": "NV"},
    )
    paths = []
    for name, entry in (("a.csv", first), ("b.csv", second)):
        path = tmp_path / name
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, CSV_COLUMNS)
            writer.writeheader()
            writer.writerows(to_csv_rows([entry]))
        paths.append(path)
    report = t86audit.audit(t86audit.load(*paths), generated_at=WHEN)
    assert report.exposure is not None
    values = sorted(e.entered_value_usd for e in report.exposure.entries)
    assert values == [Decimal("950.00"), Decimal("2950.00")]


def test_no_projection_when_an_ineligible_sampled_entry_cannot_be_found_again():
    """A one-shot iterable: the projection is left out rather than counting a loss as zero."""
    entries = [
        make_entry(serial=i, consignee={"name": f"P{i}", "address": f"{i} St"})
        for i in range(1, 30)
    ]
    entries[3] = make_entry(serial=4, value="1500.00", consignee={"name": "P4", "address": "4 St"})
    sample = t86audit.draw_samples(entries, size=29, seed=1)
    report = t86audit.audit(iter(entries), samples=sample, generated_at=WHEN)
    assert report.exposure is not None
    assert report.exposure.missing
    assert report.exposure.projections == ()
