"""Exposure estimates against hand-computed cases: general rates, Section 301, IEEPA, MPF, HMF.

Every expected figure is worked out by hand from the bundled tables (value x rate, rounded half
up to the cent); the comment beside each case shows the arithmetic.
"""

import datetime as dt
from decimal import Decimal as D  # noqa: N817

import pytest

from t86audit.exposure import (
    INELIGIBLE_RULES,
    DutyTables,
    EntryExposure,
    estimate_entry,
    parse_rate,
)
from t86audit.model import Entry, LineItem


def _entry(day, *lines, mode="air"):
    return Entry("B76-0324527-8", dt.date.fromisoformat(day), lines=lines, mode=mode)


def _line(hts, origin, value, n=1, **kw):
    return LineItem(n, hts_number=hts, country_of_origin=origin, value_usd=D(value), **kw)


def _amounts(exposure: EntryExposure):
    """{provision prefix: (rate, amount)} of the first line plus the entry-level amounts."""
    out = {}
    for a in (*exposure.lines[0].amounts, *exposure.entry_amounts):
        out[a.provision] = (a.rate, a.amount_usd)
    return out


def _duties(exposure):
    return [(a.provision, a.rate, a.amount_usd) for a in exposure.lines[0].amounts]


# --- the acceptance cases of issue 14 ----------------------------------------------------------


def test_vn_cotton_t_shirts_2024():
    """$1,500.00 x 16.5% = $247.50 duty; FY2024 informal automated MPF $2.53."""
    x = estimate_entry(_entry("2024-06-03", _line("6109.10.00.12", "VN", "1500.00")), ["VAL001"])

    assert x.duty_usd == D("247.50")
    assert x.fees_usd == D("2.53")
    assert x.loss_of_revenue_usd == D("250.03")
    assert x.entry_kind == "informal"
    assert x.computable
    assert _duties(x) == [("HTSUS 6109.10.00 general rate", "16.5%", D("247.50"))]
    mpf = x.entry_amounts[0]
    assert (mpf.provision, mpf.rate, mpf.amount_usd) == (
        "MPF informal (automated), FY2024",
        "$2.53",
        D("2.53"),
    )
    assert mpf.rate_date == dt.date(2024, 6, 3)
    assert "mpf" in mpf.source
    assert "[S]" in mpf.source


@pytest.mark.parametrize(
    "weight", [{"gross_weight_kg": D(6)}, {"quantity": D(6), "quantity_unit": "kg"}]
)
def test_butter_over_quota_specific_rate(weight):
    """6 kg x $1.541/kg (154.1 cents/kg) = $9.246 -> $9.25."""
    x = estimate_entry(
        _entry("2024-06-03", _line("0405.10.20.00", "NZ", "60.00", **weight)), ["ELG011"]
    )

    assert x.duty_usd == D("9.25")
    assert _duties(x)[0] == ("HTSUS 0405.10.20 general rate", "$1.541/kg", D("9.25"))


def test_raw_cane_sugar_is_not_computable_with_its_reason():
    """The rate depends on polarity (degrees), which filed data does not give."""
    x = estimate_entry(
        _entry("2024-06-03", _line("1701.14.10.20", "BR", "90.00", gross_weight_kg=D(50))),
        ["ELG011"],
    )

    assert not x.computable
    assert x.loss_of_revenue_usd is None
    assert x.duty_usd is None
    assert "polarity" in x.not_computable_reason
    assert not x.lines[0].computable
    assert x.lines[0].amounts[0].amount_usd is None
    # The fee is still known: quota goods needed a formal entry, so the formal MPF's FY2024
    # minimum (0.3464% of $90 is $0.31).
    assert x.fees_usd == D("31.67")
    assert x.entry_kind == "formal"
    assert "quota is not eligible for informal entry" in x.entry_kind_note


# --- general rates ----------------------------------------------------------------------------


def test_compound_and_per_unit_rates():
    """0.9 cents each x 100 birds = $0.90; per-liter milk 0.34 cents x 10 l = $0.034 -> $0.03."""
    birds = estimate_entry(
        _entry(
            "2024-06-03", _line("0105.11.00.10", "CA", "500", quantity=D(100), quantity_unit="No.")
        ),
        ["VAL001"],
    )
    milk = estimate_entry(
        _entry(
            "2024-06-03",
            _line("0401.10.00.00", "CA", "20", quantity=D(10), quantity_unit="liters"),
        ),
        ["VAL001"],
    )

    assert birds.duty_usd == D("0.90")
    assert milk.duty_usd == D("0.03")


def test_per_kg_rate_without_weight_is_not_computable():
    x = estimate_entry(_entry("2024-06-03", _line("0405.10.20.00", "NZ", "60.00")), ["ELG011"])

    assert not x.computable
    assert "needs a weight" in x.not_computable_reason


def test_parse_rate_shapes():
    assert parse_rate("Free").ad_valorem_percent == 0
    assert parse_rate("16.5%").ad_valorem_percent == D("16.5")
    compound = parse_rate("2.5¢/kg + 10%")
    assert compound.ad_valorem_percent == D(10)
    assert compound.specific[0].usd_per_unit == D("0.025")
    assert parse_rate("$1.23/doz.").specific[0].size == 12
    assert parse_rate("5¢/kg on drained weight").problem
    assert parse_rate("").problem


def test_dozen_rate_from_a_piece_count():
    """A per-dozen rate applied to 24 pieces is two dozens."""
    rate = parse_rate("$1.23/doz.")
    from t86audit.exposure._rates import Quantity, apply_rate  # noqa: PLC0415

    amount, _ = apply_rate(rate, D(10), Quantity(D(24), "pcs", None))
    assert amount == D("2.46")


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (LineItem(1, hts_number="6109.10.00.12", country_of_origin="VN"), "value is blank"),
        (_line("6109.10", "VN", "10"), "fewer than 8 digits"),
        (_line("9903.88.03", "CN", "10"), "chapter 98/99"),
        (_line("0000.00.00.00", "VN", "10"), "not in the HTSUS snapshot"),
    ],
)
def test_lines_that_cannot_be_estimated_say_why(line, reason):
    x = estimate_entry(_entry("2024-06-03", line), ["VAL001"])

    assert not x.computable
    assert reason in x.not_computable_reason


# --- Section 301 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hts", "day", "provision", "rate", "amount"),
    [
        # List 1: 28452000 at 25% -> $100 x 25% = $25.00
        ("2845.20.00.00", "2024-06-03", "Section 301 List 1 (9903.88.01)", "25%", "25.00"),
        # List 2: 2710.19.30 at 25%
        ("2710.19.30.50", "2024-06-03", "Section 301 List 2 (9903.88.02)", "25%", "25.00"),
        # List 3: 0203.29.20 at 25% from 10 May 2019
        ("0203.29.20.20", "2020-01-06", "Section 301 List 3 (9903.88.03)", "25%", "25.00"),
        # List 3 partial item 9903.88.04
        (
            "2931.90.90.10",
            "2020-01-06",
            "Section 301 List 3, partial item (9903.88.04)",
            "25%",
            "25.00",
        ),
        # List 4A: 15% until 13 Feb 2020, 7.5% from 14 Feb 2020
        ("6109.10.00.12", "2020-02-13", "Section 301 List 4A (9903.88.15)", "15%", "15.00"),
        ("6109.10.00.12", "2020-02-14", "Section 301 List 4A (9903.88.15)", "7.5%", "7.50"),
        # 2024 review: 8703.80.00 List 1 25% to 26 Sep 2024, then 100% under 9903.91.03
        ("8703.80.00.00", "2024-09-26", "Section 301 List 1 (9903.88.01)", "25%", "25.00"),
        (
            "8703.80.00.00",
            "2024-09-27",
            "Section 301 four-year review (9903.91.03)",
            "100%",
            "100.00",
        ),
    ],
)
def test_section_301_by_list_and_date(hts, day, provision, rate, amount):
    x = estimate_entry(_entry(day, _line(hts, "CN", "100.00")), ["VAL001"])

    s301 = [a for a in x.lines[0].amounts if a.provision.startswith("Section 301")]
    assert [(a.provision, a.rate, a.amount_usd) for a in s301] == [(provision, rate, D(amount))]
    assert s301[0].rate_date == dt.date.fromisoformat(day)
    assert "section301" in s301[0].source


def test_section_301_only_for_chinese_origin():
    x = estimate_entry(_entry("2024-06-03", _line("2845.20.00.00", "VN", "100")), ["VAL001"])

    assert not [a for a in x.lines[0].amounts if a.provision.startswith("Section 301")]


def test_section_301_split_subheading():
    """8517.62.00: 3-partial (25%, except ..90) and 4A (7.5%, except ..10/..20)."""

    def s301(hts):
        x = estimate_entry(_entry("2020-03-02", _line(hts, "CN", "100")), ["VAL001"])
        return [(a.rate, a.note) for a in x.lines[0].amounts if a.provision.startswith("Sect")]

    assert s301("8517.62.00.90")[0][0] == "7.5%"  # excepted from the partial List 3 item
    assert s301("8517.62.00.10")[0][0] == "25%"  # excepted from List 4A
    both = s301("8517.62.00.50")
    assert both[0][0] == "25%"
    assert "also listed" in both[0][1]


def test_section_301_excepted_number_owes_none():
    """4901.99.00.40 is excepted from the List 4A item 4901.99.00."""
    x = estimate_entry(_entry("2024-06-03", _line("4901.99.00.40", "CN", "100")), ["VAL001"])

    s301 = [a for a in x.lines[0].amounts if a.provision.startswith("Section 301")]
    assert [(a.rate, a.amount_usd) for a in s301] == [("0%", D("0.00"))]


# --- IEEPA 2025 -------------------------------------------------------------------------------


def _ieepa(origin, day, hts="6109.10.00.12", value="100.00"):
    x = estimate_entry(_entry(day, _line(hts, origin, value)), ["ELG002"])
    return [
        (a.provision, a.rate, a.amount_usd)
        for a in x.lines[0].amounts
        if a.provision.startswith("IEEPA")
    ]


def test_china_fentanyl_steps():
    """10% from 4 Feb 2025, 20% from 4 Mar 2025 (value $100, 6109.10.00: 16.5% + 7.5% 301)."""
    assert _ieepa("CN", "2025-02-03") == []
    assert _ieepa("CN", "2025-02-04") == [
        ("IEEPA fentanyl China; Hong Kong (9903.01.20)", "10%", D("10.00"))
    ]
    assert _ieepa("CN", "2025-03-03")[0][1] == "10%"
    assert _ieepa("CN", "2025-03-04")[0] == (
        "IEEPA fentanyl China; Hong Kong (9903.01.24)",
        "20%",
        D("20.00"),
    )
    assert _ieepa("HK", "2025-03-04")[0][1] == "20%"


@pytest.mark.parametrize(
    ("day", "reciprocal"),
    [
        ("2025-04-04", None),
        ("2025-04-05", ("IEEPA reciprocal baseline (9903.01.25)", "10%", D("10.00"))),
        ("2025-04-08", ("IEEPA reciprocal baseline (9903.01.25)", "10%", D("10.00"))),
        (
            "2025-04-09",
            ("IEEPA reciprocal China; Hong Kong; Macau (9903.01.63)", "84%", D("84.00")),
        ),
        (
            "2025-04-10",
            ("IEEPA reciprocal China; Hong Kong; Macau (9903.01.63)", "125%", D("125.00")),
        ),
        (
            "2025-05-13",
            ("IEEPA reciprocal China; Hong Kong; Macau (9903.01.63)", "125%", D("125.00")),
        ),
        (
            "2025-05-14",
            ("IEEPA reciprocal China; Hong Kong; Macau (9903.01.25)", "10%", D("10.00")),
        ),
    ],
)
def test_china_reciprocal_steps(day, reciprocal):
    found = [a for a in _ieepa("CN", day) if "reciprocal" in a[0]]

    assert found == ([reciprocal] if reciprocal else [])


def test_china_stack_on_14_may_2025():
    """$100 CN T-shirts: 16.5 general + 7.5 (301 4A) + 20 fentanyl + 10 reciprocal = $54.00."""
    x = estimate_entry(_entry("2025-05-14", _line("6109.10.00.12", "CN", "100.00")), ["ELG003"])

    assert [a.provision.split(" (")[0] for a in x.lines[0].amounts] == [
        "HTSUS 6109.10.00 general rate",
        "Section 301 List 4A",
        "IEEPA fentanyl China; Hong Kong",
        "IEEPA reciprocal China; Hong Kong; Macau",
    ]
    assert x.duty_usd == D("54.00")
    assert x.loss_of_revenue_usd == D("56.62")  # + FY2025 informal MPF $2.62


def test_vietnam_reciprocal_steps():
    """10% baseline, 46% on 9 Apr 2025 only, 10% again, 20% from 7 Aug 2025."""
    rate = lambda day: [a[1] for a in _ieepa("VN", day)]  # noqa: E731
    assert rate("2025-04-04") == []
    assert rate("2025-04-05") == ["10%"]
    assert rate("2025-04-09") == ["46%"]
    assert rate("2025-04-10") == ["10%"]
    assert rate("2025-08-06") == ["10%"]
    assert _ieepa("VN", "2025-08-07") == [
        ("IEEPA reciprocal Vietnam (9903.02.69)", "20%", D("20.00"))
    ]


def test_eu_and_japan_fifteen_percent_floor():
    """From 7 Aug 2025: general rate >= 15% -> no IEEPA duty; below -> topped up to 15%."""
    # 6109.10.00 is 16.5%: nothing more (9903.02.19).
    assert _ieepa("DE", "2025-08-07") == [
        ("IEEPA reciprocal European Union (9903.02.19)", "15% less the general rate", D("0.00"))
    ]
    # 6403.19.40 (sports footwear) is 4.3%: $100 x (15% - 4.3%) = $10.70.
    assert _ieepa("FR", "2025-08-07", hts="6403.19.40.00") == [
        ("IEEPA reciprocal European Union (9903.02.20)", "15% less the general rate", D("10.70"))
    ]
    assert _ieepa("JP", "2025-08-07", hts="6403.19.40.00")[0][2] == D("10.70")
    # A Free article pays the whole 15%.
    assert _ieepa("IT", "2025-08-07", hts="6403.12.30.00")[0][2] == D("15.00")
    assert _ieepa("DE", "2025-08-06") == [
        ("IEEPA reciprocal baseline (9903.01.25)", "10%", D("10.00"))
    ]


def test_canada_mexico_fentanyl_and_no_reciprocal():
    """Canada 25% from 4 Mar 2025, 35% from 1 Aug 2025; Mexico 25%; neither pays reciprocal."""
    assert _ieepa("CA", "2025-03-03") == []
    assert [a[1] for a in _ieepa("CA", "2025-03-04")] == ["25%"]
    assert [a[1] for a in _ieepa("CA", "2025-07-31")] == ["25%"]
    assert _ieepa("CA", "2025-08-01") == [
        ("IEEPA fentanyl Canada (9903.01.10)", "35%", D("35.00"))
    ]
    assert _ieepa("MX", "2025-06-02") == [
        ("IEEPA fentanyl Mexico (9903.01.01)", "25%", D("25.00"))
    ]
    x = estimate_entry(_entry("2025-06-02", _line("6109.10.00.12", "MX", "100")), ["VAL001"])
    assert "USMCA" in x.lines[0].amounts[1].note


def test_brazil_and_india_august_2025():
    """Brazil +40% from 6 Aug 2025; India +25% from 27 Aug 2025, on top of reciprocal."""
    assert [a[1] for a in _ieepa("BR", "2025-08-05")] == ["10%"]
    assert sorted(a[1] for a in _ieepa("BR", "2025-08-06")) == ["10%", "40%"]
    assert sorted(a[1] for a in _ieepa("BR", "2025-08-07")) == ["10%", "40%"]  # 9903.02.09 10%
    assert sorted(a[1] for a in _ieepa("IN", "2025-08-26")) == ["25%"]
    assert sorted(a[1] for a in _ieepa("IN", "2025-08-27")) == ["25%", "25%"]


def test_annex_ii_exempts_the_reciprocal_duty_only():
    """8471 (computers) is in Annex II: no reciprocal duty, fentanyl still due."""
    cn = _ieepa("CN", "2025-05-14", hts="8471.30.01.00")
    assert ("IEEPA fentanyl China; Hong Kong (9903.01.24)", "20%", D("20.00")) in cn
    reciprocal = [a for a in cn if "reciprocal" in a[0]]
    assert reciprocal == [
        ("IEEPA reciprocal China; Hong Kong; Macau (9903.01.25)", "0%", D("0.00"))
    ]


def test_unverified_annex_ii_number_is_charged_with_a_note():
    x = estimate_entry(_entry("2025-06-02", _line("0201.10.05.10", "AU", "100")), ["ELG011"])

    reciprocal = [a for a in x.lines[0].amounts if "reciprocal" in a.provision]
    assert reciprocal[0].amount_usd == D("10.00")
    assert "UNVERIFIED" in reciprocal[0].note


# --- fees -------------------------------------------------------------------------------------


def test_informal_mpf_by_fiscal_year():
    def mpf(day):
        x = estimate_entry(_entry(day, _line("6109.10.00.12", "VN", "900")), ["VAL001"])
        return x.entry_amounts[0].provision, x.fees_usd

    assert mpf("2023-09-30") == ("MPF informal (automated), FY2023", D("2.37"))
    assert mpf("2023-10-01") == ("MPF informal (automated), FY2024", D("2.53"))
    assert mpf("2024-10-01") == ("MPF informal (automated), FY2025", D("2.62"))
    assert mpf("2019-10-01") == ("MPF informal (automated), FY2020", D("2.14"))


@pytest.mark.parametrize(
    ("value", "fee", "note"),
    [
        ("2500.00", "2.53", ""),  # informal up to $2,500
        ("2500.01", "31.67", "minimum applied"),  # 2500.01 x 0.3464% = 8.66 < FY2024 min 31.67
        ("10000.00", "34.64", ""),  # 10,000 x 0.3464% = 34.64
        ("200000.00", "614.35", "maximum applied"),  # 692.80 > FY2024 max 614.35
    ],
)
def test_formal_mpf_minimum_and_maximum(value, fee, note):
    x = estimate_entry(_entry("2024-06-03", _line("8471.30.01.00", "VN", value)), ["VAL001"])

    assert x.entry_kind == ("informal" if D(value) <= 2500 else "formal")
    assert x.fees_usd == D(fee)
    assert x.entry_amounts[0].note.startswith(note)


def test_vessel_shipment_owes_hmf():
    """$1,500 x 0.125% = $1.875 -> $1.88 (half up); plus FY2024 informal MPF $2.53."""
    x = estimate_entry(
        _entry("2024-06-03", _line("6109.10.00.12", "VN", "1500.00"), mode="ocean"), ["VAL001"]
    )

    hmf = [a for a in x.entry_amounts if a.provision.startswith("HMF")]
    assert [(a.rate, a.amount_usd) for a in hmf] == [("0.125%", D("1.88"))]
    assert x.fees_usd == D("4.41")
    assert x.loss_of_revenue_usd == D("251.91")
    air = estimate_entry(_entry("2024-06-03", _line("6109.10.00.12", "VN", "1500")), ["VAL001"])
    assert not [a for a in air.entry_amounts if a.provision.startswith("HMF")]


def test_143_21_chapter_99_exception_is_noted():
    x = estimate_entry(_entry("2024-06-03", _line("6109.10.00.12", "CN", "900")), ["VAL001"])

    assert x.entry_kind == "informal"
    assert "143.21" in x.entry_kind_note


# --- not estimated, entry-level facts ---------------------------------------------------------


def test_excise_and_adcvd_are_named_never_zero():
    x = estimate_entry(
        _entry("2024-06-03", _line("2204.21.50.40", "FR", "50", quantity=D(3), quantity_unit="l")),
        ["ELG005", "ELG010"],
    )

    named = [a for a in (*x.lines[0].amounts, *x.entry_amounts) if a.kind == "not_estimated"]
    assert {a.provision.split(" (")[0] for a in named} == {
        "Federal excise tax on alcohol",
        "AD/CVD cash deposits",
    }
    assert all(a.amount_usd is None for a in named)
    assert x.computable
    assert len(x.not_estimated) == 2


def test_penalty_70531_window():
    def flag(day):
        x = estimate_entry(_entry(day, _line("6109.10.00.12", "VN", "900")), ["VAL001"])
        return x.penalty_70531

    assert [flag(d) for d in ("2025-08-02", "2025-08-03", "2025-08-28")] == [False, True, True]


def test_reasons_are_recorded_sorted():
    x = estimate_entry(
        _entry("2024-06-03", _line("6109.10.00.12", "VN", "1")), ["VAL002", "ELG004", "VAL002"]
    )

    assert x.reasons == ("ELG004", "VAL002")


def test_ineligible_rules_are_the_documented_set():
    assert {"VAL001", "VAL002", "ELG003", "ELG010", "ELG011", "ELG004"} <= INELIGIBLE_RULES
    assert "VAL005" not in INELIGIBLE_RULES
    assert "ELG009" not in INELIGIBLE_RULES


def test_default_tables_are_shared_and_sources_are_dated():
    tables = DutyTables.default()

    assert DutyTables.default() is tables
    sources = {s.name: s for s in tables.sources()}
    assert sources["hts_general_rates"].date == "2025-05-26"
    assert all(s.sha256 and s.mode == "bundled" for s in sources.values())
