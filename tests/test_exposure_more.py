"""Exposure: penalty ceilings, the projection (with a coverage simulation), user tables, build."""

import datetime as dt
import importlib.util
import random
import subprocess
import sys
from decimal import Decimal as D  # noqa: N817
from pathlib import Path

import attrs
import pytest

from t86audit.exceptions import InputError
from t86audit.exposure import (
    PENALTY_STATEMENT,
    DutyTables,
    InterestRates,
    estimate_entry,
    penalty_ranges,
    project_loss,
)
from t86audit.model import Entry, LineItem


ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "build_duty_tables.py"


def _entry(day, value, hts="6109.10.00.12", origin="VN", number="B76-0324527-8"):
    line = LineItem(1, hts_number=hts, country_of_origin=origin, value_usd=D(value))
    return Entry(number, dt.date.fromisoformat(day), lines=(line,))


# --- penalties --------------------------------------------------------------------------------


def test_penalty_ceilings_by_culpability():
    """Loss $250.03 (VN T-shirts) and a no-loss entry of $1,000 (loss set to 0 by hand)."""
    a = estimate_entry(_entry("2024-06-03", "1500.00"), ["VAL001"])
    b = attrs.evolve(
        estimate_entry(_entry("2024-06-04", "1000.00", number="B76-0324528-6"), ["VAL001"]),
        loss_of_revenue_usd=D("0.00"),
    )

    ranges = penalty_ranges([a, b])
    by = {c.culpability: c for c in ranges.ceilings}

    assert ranges.loss_of_revenue_usd == D("250.03")
    assert ranges.dutiable_value_usd == D("2500.00")
    assert by["negligence"].with_loss_usd == D("500.06")  # 2 x 250.03
    assert by["negligence"].without_loss_usd == D("200.00")  # 20% x 1,000
    assert by["negligence"].total_usd == D("700.06")
    assert by["gross_negligence"].with_loss_usd == D("1000.12")  # 4 x 250.03
    assert by["gross_negligence"].without_loss_usd == D("400.00")  # 40% x 1,000
    assert by["fraud"].confidence == "UNVERIFIED"
    assert by["fraud"].total_usd == D("2500.00")
    # fraud with prior disclosure: 1 x loss + 10% of the no-loss entry's value
    assert by["fraud"].prior_disclosure_usd == D("350.03")
    assert by["negligence"].prior_disclosure_usd is None  # interest needs rates
    assert ranges.prior_disclosure_tender_usd == D("250.03")
    assert ranges.interest_usd is None
    assert ranges.statement == PENALTY_STATEMENT
    assert "not a penalty assessment" in ranges.statement
    assert "not legal advice" in ranges.statement


def test_not_computable_entries_are_left_out_and_counted():
    sugar = estimate_entry(_entry("2024-06-03", "90", hts="1701.14.10.20"), ["ELG011"])
    shirts = estimate_entry(_entry("2024-06-03", "1500.00"), ["VAL001"])

    ranges = penalty_ranges([sugar, shirts])

    assert ranges.entries == 2
    assert ranges.computable_entries == 1
    assert ranges.not_computable_entries == 1
    assert ranges.loss_of_revenue_usd == D("250.03")
    assert ranges.per_entry[0].negligence_usd is None or ranges.per_entry[1].negligence_usd is None


def test_s70531_first_and_subsequent():
    """Three entries of 3-28 Aug 2025: $5,000 + $10,000 + $10,000; one of 2 Aug: nothing."""
    days = ["2025-08-02", "2025-08-03", "2025-08-10", "2025-08-28"]
    exposures = [
        estimate_entry(_entry(d, "900", number=f"B76-032452{i}-0"), ["VAL001"])
        for i, d in enumerate(days)
    ]

    ranges = penalty_ranges(exposures)

    assert ranges.s70531_entries == 3
    assert ranges.s70531_ceiling_usd == D("25000.00")
    assert [p.penalty_70531_usd for p in ranges.per_entry] == [0, 5000, 10000, 10000]


def test_prior_disclosure_interest_when_rates_are_given():
    """$1,000 loss at 8% a year compounded daily for 366 days (2024 is a leap year)."""
    exposure = attrs.evolve(
        estimate_entry(_entry("2024-01-01", "100"), ["VAL001"]), loss_of_revenue_usd=D("1000.00")
    )
    rates = InterestRates([(dt.date(2023, 10, 1), D(8))], through=dt.date(2025, 1, 1))

    ranges = penalty_ranges([exposure], interest_rates=rates)

    expected = (D(1000) * (1 + D(8) / 36500) ** 366 - 1000).quantize(D("0.01"))
    assert ranges.interest_usd == expected
    assert ranges.prior_disclosure_tender_usd == D("1000.00") + expected
    negligence = next(c for c in ranges.ceilings if c.culpability == "negligence")
    assert negligence.prior_disclosure_usd == expected


# --- projection -------------------------------------------------------------------------------


def _population(size, share, seed):
    rng = random.Random(seed)
    return [
        D(str(round(rng.lognormvariate(4, 1.2), 2))) if rng.random() < share else D(0)
        for _ in range(size)
    ]


def test_projection_is_deterministic_for_the_seed():
    sample = _population(80, 0.3, 1)

    first = project_loss(sample, 4000, seed=7)
    again = project_loss(sample, 4000, seed=7)
    other = project_loss(sample, 4000, seed=8)

    assert first == again
    assert (first.low, first.high) != (other.low, other.high)
    assert first.estimate == (sum(sample) * 4000 / 80).quantize(D("0.01"))
    assert first.low <= first.estimate <= first.high
    assert first.low >= sum(sample)  # the population's loss is at least the sample's
    assert first.high - first.estimate > first.estimate - first.low  # skewed: wider above
    assert first.sample_size == 80
    assert first.population_size == 4000


def test_projection_of_a_clean_sample_is_degenerate_and_says_so():
    result = project_loss([D(0)] * 30, 1000, seed=1)

    assert (result.estimate, result.low, result.high) == (D(0), D(0), D(0))
    assert "degenerate" in result.note


def test_projection_rejects_bad_input():
    with pytest.raises(ValueError, match="at least 2"):
        project_loss([D(1)], 10, seed=1)
    with pytest.raises(ValueError, match="smaller than the sample"):
        project_loss([D(1), D(2)], 1, seed=1)
    with pytest.raises(ValueError, match="negative"):
        project_loss([D(1), D(-2)], 10, seed=1)


def test_projection_interval_covers_the_true_total_about_95_percent():
    """Simulation: 200 simple random samples of 60 from a known, skewed, mostly-zero population.

    20% of the 3,000 entries have a lognormal loss (median about $55, long right tail). The 95%
    interval must contain the true total in 90-99% of samples.
    """
    population = _population(3000, 0.2, 2024)
    true_total = sum(population)
    rng = random.Random(11)
    trials = 200
    covered = 0
    for trial in range(trials):
        sample = rng.sample(population, 60)
        result = project_loss(sample, len(population), seed=trial, resamples=499)
        covered += result.low <= true_total <= result.high

    assert 0.90 <= covered / trials <= 0.99


# --- user tables ------------------------------------------------------------------------------


def test_user_section301_table_extends_by_subheading(tmp_path):
    """A user row for 6109.10.00 replaces the bundled rows of that subheading only."""
    path = tmp_path / "s301.csv"
    path.write_text(
        "hts8,list,heading_99,rate_percent,effective_from,effective_to\n"
        "61091000,4A,9903.88.15,0,2019-09-01,\n",
        encoding="utf-8",
    )
    tables = DutyTables.default().with_table("section301", path)

    shirts = estimate_entry(_entry("2024-06-03", "100", origin="CN"), ["VAL001"], tables=tables)
    s301 = [a for a in shirts.lines[0].amounts if a.provision.startswith("Section 301")]
    assert [(a.rate, a.amount_usd) for a in s301] == [("0%", D("0.00"))]
    assert "extended by user file" in s301[0].source
    cars = estimate_entry(
        _entry("2024-10-01", "100", hts="8703.80.00.00", origin="CN"), ["VAL001"], tables=tables
    )
    assert any(a.rate == "100%" for a in cars.lines[0].amounts)
    assert tables.source("section301").mode == "extend"
    assert DutyTables.default().source("section301").mode == "bundled"


def test_user_mpf_table_replaces(tmp_path):
    path = tmp_path / "mpf.csv"
    path.write_text(
        "fiscal_year,effective_from,effective_to,formal_rate_percent,formal_min_usd,"
        "formal_max_usd,informal_automated_usd\n"
        "2024,2023-10-01,2024-09-30,0.3464,31.67,614.35,9.99\n",
        encoding="utf-8",
    )
    tables = DutyTables.default().with_table("mpf", path, mode="replace")

    x = estimate_entry(_entry("2024-06-03", "100"), ["VAL001"], tables=tables)
    assert x.fees_usd == D("9.99")
    assert "user file" in x.entry_amounts[0].source
    missing = estimate_entry(_entry("2022-06-03", "100"), ["VAL001"], tables=tables)
    assert not missing.computable
    assert "fee" in missing.not_computable_reason


def test_user_table_errors(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("hts8,list\n61091000,4A\n", encoding="utf-8")
    with pytest.raises(InputError, match="heading_99"):
        DutyTables.default().with_table("section301", bad)
    with pytest.raises(ValueError, match="unknown duty table"):
        DutyTables.default().with_table("nope", bad)
    with pytest.raises(ValueError, match="mode"):
        DutyTables.default().with_table("mpf", bad, mode="merge")
    dated = tmp_path / "dated.csv"
    dated.write_text(
        "hts8,list,heading_99,rate_percent,effective_from\n61091000,4A,9903.88.15,5,soon\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="ISO date"):
        DutyTables.default().with_table("section301", dated)


# --- packaging --------------------------------------------------------------------------------


def test_importing_exposure_reads_no_table_and_t86audit_does_not_import_it():
    code = (
        "import t86audit, sys\n"
        "assert 't86audit.exposure' not in sys.modules\n"
        "import t86audit.exposure as x\n"
        "assert x.tables._bundled_rows.cache_info().currsize == 0\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def _tiny_shared(root: Path) -> Path:
    files = {
        "hts/htsus_2025_snapshot.csv": (
            "chapter,htsno,indent,description,units,general_rate,special_rate,column2_rate\n"
            '61,6109,0,"T-shirts",,,,\n'
            "61,6109.10.00,1,Of cotton,,16.5%,,90%\n"
            "61,6109.10.00.12,2,Men's,doz.|kg,,,\n"
            "95,9503,0,Toys,,Free,,70%\n"
            "95,9503.00.00.11,1,Under 3,No.,,,\n"
        ),
        "duties/section301_hts.csv": (
            "hts,list,heading_99,rate_percent,effective_from,effective_to,except_hts10,"
            "in_htsus_2025_snapshot,evidence,source\n"
            "6109.10.00,4A,9903.88.15,7.5,2020-02-14,,,yes,ustr-2019-4A,CSMS-41538917\n"
        ),
        "duties/section301_rate_periods.csv": (
            "list,heading_99,rate_percent,effective_from,effective_to,source\n"
            "4A,9903.88.15,7.5,2020-02-14,,CSMS 41538917\n"
        ),
        "duties/ieepa_2025.csv": (
            "program,country_name,country_iso2,heading_99,rate_percent,rate_basis,effective_from,"
            "effective_to,executive_order,verification,source,notes\n"
            "reciprocal_baseline,all,*,9903.01.25,10,additional,2025-04-05,,EO 14257,V,EO,\n"
            "reciprocal_exemption,,,9903.01.26,0,none,2025-04-05,,EO 14257,V,EO,Canada\n"
        ),
        "duties/ieepa_annex2_exempt.csv": (
            "hts,digits,listed_from,listed_to,t86_period_status,verification,source\n"
            "8471,4,,,presumed in force during T86 period (from 2025-04-05),S,note 2\n"
        ),
        "duties/mpf_by_fiscal_year.csv": (
            "fiscal_year,effective_from,effective_to,mpf_formal_rate_percent,mpf_formal_min_usd,"
            "mpf_formal_max_usd,mpf_informal_automated_usd,mpf_informal_manual_usd,"
            "mpf_informal_cbp_prepared_usd,manual_entry_surcharge_usd,federal_register,csms,"
            "sources,verification\n"
            "2024,2023-10-01,2024-09-30,0.3464,31.67,614.35,2.53,,,3.80,88 FR 48900,,kwe,S\n"
        ),
        "duties/other_fees.csv": (
            "fee,rate,unit,applies_to,effective_from,effective_to,source,verification,notes\n"
            "harbor_maintenance_fee,0.125,percent,vessel,,,19 CFR 24.24(a),V,\n"
        ),
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_build_script_is_deterministic_and_its_output_loads(tmp_path):
    if not SCRIPT.is_file():
        pytest.skip("scripts/ is not part of this distribution")
    spec = importlib.util.spec_from_file_location("build_duty_tables", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    shared = _tiny_shared(tmp_path / "shared")

    first, warnings = module.build(shared)
    second, _ = module.build(shared)

    assert first == second
    assert warnings == []
    assert set(first) == {
        "README.md",
        "metadata.json",
        "hts_general_rates.csv.gz",
        "section301_hts.csv.gz",
        "section301_rate_periods.csv",
        "ieepa_2025.csv",
        "ieepa_annex2_exempt.csv",
        "mpf_by_fiscal_year.csv",
        "hmf.csv",
        "not_estimated.csv",
        "preference_programs.csv",
    }
    import gzip  # noqa: PLC0415

    rates = gzip.decompress(first["hts_general_rates.csv.gz"]).decode()
    # The column 2 rate beside the general one, inherited from the heading like it (9503);
    # the special column as printed (none in this tiny source).
    assert rates.splitlines() == [
        "hts8,general_rate,column2_rate,special_rate",
        "61091000,16.5%,90%,",
        "95030000,Free,70%,",
    ]
    s301 = gzip.decompress(first["section301_hts.csv.gz"]).decode().splitlines()
    assert s301[1].split(",")[:2] == ["61091000", "4A"]
    assert ",C," in s301[1]  # only the third-party List 4A extraction lists it
    ieepa = first["ieepa_2025.csv"].decode()
    assert "9903.01.26,0,none,exemption" in ieepa
    assert ",CA,9903.01.26" in ieepa


def test_ieepa_rows_looked_up_per_country_and_day_stay_right_past_the_bound(monkeypatch):
    """The remembered look-ups are the input's countries: bounded, and the same rows after the
    memory starts again as a scan of the table gives."""
    from t86audit.exposure import tables as duty_tables  # noqa: PLC0415

    monkeypatch.setattr(duty_tables, "_IEEPA_REMEMBERED", 3)
    fresh = DutyTables()  # an instance of its own: the shared default is not touched
    days = [dt.date(2025, 4, 10), dt.date(2025, 5, 2), dt.date(2025, 8, 29)]
    asked = [(country, day) for country in ("CN", "BR", "XX", "IN") for day in days]
    for country, day in asked * 2:
        expected = tuple(r for r in fresh.ieepa() if r.applies(country, day))
        assert fresh.ieepa_for(country, day) == expected
    remembered = fresh._cache["index:ieepa_2025 by country and day"]
    assert 0 < len(remembered) <= 3
    assert any(fresh.ieepa_for("CN", day) for day in days)  # the look-ups find rows at all
