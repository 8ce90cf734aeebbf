"""Session 21 review of the exposure estimate: the Section 321 basis and a hand-computed pass.

**Section 321 basis.** ELG001 (arrival before the T86 test) and ELG004 (mail, outside the test)
rule out Type 86, not the de minimis exemption (19 U.S.C. 1321(a)(2)(C), 19 CFR 10.151: "any
shipment" of one person on one day at or under the threshold passes free of duty and tax under
informal entry procedures). Such an entry within the threshold owed no duty; before this session
it was priced as a dutiable informal entry (a $500 Chinese handbag of 15 Aug 2019: $172.10).

**Hand-computed pass.** Every expected figure in ``CASES`` was worked out by hand, before the
library was run, from the rows of ``/work/shared/data`` (not from the code):

* general rates, ``hts/htsus_2025_snapshot.csv``: 6109.10.00 16.5%, 4202.21.90 9%, 6404.11.90 20%,
  9403.50.90 Free, 8471.30.01.00 Free, 0406.10.04.00 10%;
* Section 301, ``duties/section301_hts.csv`` with ``section301_rate_periods.csv``: 4202.21.90 and
  9403.50.90 List 3 (9903.88.03) 25% from 2019-05-10; 6109.10.00 and 6404.11.90 List 4A
  (9903.88.15) 7.5% from 2020-02-14; 8471.30.01 none (List 4B never in force);
* IEEPA, ``duties/ieepa_2025.csv``: CN/HK fentanyl 9903.01.20 10% 2025-02-04..03-03, 9903.01.24 20%
  from 2025-03-04; China reciprocal 9903.01.63 125% 2025-04-10..05-13, then 9903.01.25 10%;
  baseline 9903.01.25 10% from 2025-04-05; EU 9903.01.50 20% on 2025-04-09 only; EU floor
  9903.02.20 (15% with the general rate) / 9903.02.19 (general rate at or over 15%) from
  2025-08-07; Vietnam 9903.02.69 20% from 2025-08-07; India 9903.02.26 25% from 2025-08-07 and
  9903.01.84 +25% from 2025-08-27; Brazil 9903.02.09 10% from 2025-08-07 and 9903.01.77 +40% from
  2025-08-06; Mexico 9903.01.01 25% from 2025-03-04; Canada 9903.01.10 25% 2025-03-04..07-31, 35%
  from 2025-08-01 (the energy and potash headings are for those goods only); Canada and Mexico
  pay no reciprocal duty; ``ieepa_annex2_exempt.csv``: 8471 exempt from 2025-04-05;
* fees, ``duties/mpf_by_fiscal_year.csv``: informal automated FY2023 $2.37, FY2024 $2.53,
  FY2025 $2.62, FY2026 $2.69; formal 0.3464% with min/max FY2024 $31.67/$614.35, FY2025
  $32.71/$634.62 (the fiscal year starts 1 Oct; no row before FY2019); ``other_fees.csv``: HMF
  0.125% of value, vessel cargo only;
* the reference, section 7.3: informal entry up to $2,500 (143.21), quota goods formal (T86 FAQ),
  each amount rounded to the cent, half up.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal as D  # noqa: N817

import pytest

import t86audit
from t86audit.exposure import estimate_entry, penalty_ranges
from t86audit.exposure._estimate import EXEMPTION_KEPT_RULES, INELIGIBLE_RULES
from t86audit.model import Entry, LineItem
from t86audit.policy import default_policy


TEE = "6109.10.00.12"
HANDBAG = "4202.21.90.00"
SHOES = "6404.11.90.20"
LAPTOP = "8471.30.01.00"
FURNITURE = "9403.50.90.45"
CHEESE = "0406.10.04.00"  # in-quota line, additional U.S. note 16 to chapter 4


def _entry(day: str, lines: list[tuple[str, str, str]], mode: str = "air") -> Entry:
    return Entry(
        "B76-0324527-8",
        dt.date.fromisoformat(day),
        mode=mode,
        lines=[
            LineItem(n, hts_number=hts, country_of_origin=origin, value_usd=D(value))
            for n, (hts, origin, value) in enumerate(lines, 1)
        ],
    )


def _key(provision: str) -> str:
    """'general' for the column 1 rate, the chapter 99 heading, 'MPF', 'HMF' or 'Section 321'."""
    if provision.startswith("HTSUS"):
        return "general"
    if provision.startswith("Section 321"):
        return "Section 321"
    found = re.search(r"\((99\d\d\.\d\d\.\d\d)\)", provision)
    if found:
        return found.group(1)
    return provision.split(maxsplit=1)[0]


# id, arrival, mode, reasons, lines (HTS, origin, value), expected line amounts (by key, per
# line), expected fees (by key), duty, loss (None: not computable), entry kind
CASES = [
    # Fiscal-year boundary of the informal MPF (1 Oct).
    (
        "vn-tee-fy2023-last-day",
        "2023-09-30",
        "air",
        ["VAL001"],
        [(TEE, "VN", "850.00")],
        [{"general": "140.25"}],
        {"MPF": "2.37"},
        "140.25",
        "142.62",
        "informal",
    ),
    (
        "vn-tee-fy2024-first-day",
        "2023-10-01",
        "air",
        ["VAL001"],
        [(TEE, "VN", "850.00")],
        [{"general": "140.25"}],
        {"MPF": "2.53"},
        "140.25",
        "142.78",
        "informal",
    ),
    # $2,500 is still informal (143.21); HMF on vessel cargo, 3.125 rounds half up to 3.13.
    (
        "vn-vessel-2500-informal",
        "2024-06-03",
        "vessel",
        ["VAL001"],
        [(TEE, "VN", "2500.00")],
        [{"general": "412.50"}],
        {"MPF": "2.53", "HMF": "3.13"},
        "412.50",
        "418.16",
        "informal",
    ),
    # One cent over: formal, MPF 8.66 raised to the FY2024 minimum.
    (
        "vn-vessel-2500.01-formal",
        "2024-06-03",
        "vessel",
        ["VAL001"],
        [(TEE, "VN", "2500.01")],
        [{"general": "412.50"}],
        {"MPF": "31.67", "HMF": "3.13"},
        "412.50",
        "447.30",
        "formal",
    ),
    # Formal MPF minimum across the FY2024/FY2025 boundary.
    (
        "vn-shoes-formal-min-fy2024",
        "2024-09-30",
        "air",
        ["VAL001"],
        [(SHOES, "VN", "3000.00")],
        [{"general": "600.00"}],
        {"MPF": "31.67"},
        "600.00",
        "631.67",
        "formal",
    ),
    (
        "vn-shoes-formal-min-fy2025",
        "2024-10-01",
        "air",
        ["VAL001"],
        [(SHOES, "VN", "3000.00")],
        [{"general": "600.00"}],
        {"MPF": "32.71"},
        "600.00",
        "632.71",
        "formal",
    ),
    # Formal MPF just under and over the FY2025 maximum ($634.62); free goods, no IEEPA yet.
    (
        "de-laptops-mpf-under-max",
        "2025-03-01",
        "air",
        ["VAL001"],
        [(LAPTOP, "DE", "183000.00")],
        [{"general": "0.00"}],
        {"MPF": "633.91"},
        "0.00",
        "633.91",
        "formal",
    ),
    (
        "de-laptops-mpf-max",
        "2025-03-01",
        "air",
        ["VAL001"],
        [(LAPTOP, "DE", "184000.00")],
        [{"general": "0.00"}],
        {"MPF": "634.62"},
        "0.00",
        "634.62",
        "formal",
    ),
    # EU: 20% on 9 Apr 2025 only, then the 10% baseline; from 7 Aug the 15% floor.
    (
        "de-tee-2025-04-09-eu-20",
        "2025-04-09",
        "air",
        ["VAL001"],
        [(TEE, "DE", "1000.00")],
        [{"general": "165.00", "9903.01.50": "200.00"}],
        {"MPF": "2.62"},
        "365.00",
        "367.62",
        "informal",
    ),
    (
        "de-tee-2025-04-10-baseline",
        "2025-04-10",
        "air",
        ["VAL001"],
        [(TEE, "DE", "1000.00")],
        [{"general": "165.00", "9903.01.25": "100.00"}],
        {"MPF": "2.62"},
        "265.00",
        "267.62",
        "informal",
    ),
    (
        "de-handbag-2025-08-07-floor-top-up",
        "2025-08-07",
        "air",
        ["VAL001"],
        [(HANDBAG, "DE", "1000.00")],
        [{"general": "90.00", "9903.02.20": "60.00"}],
        {"MPF": "2.62"},
        "150.00",
        "152.62",
        "informal",
    ),
    (
        "de-tee-2025-08-07-floor-met",
        "2025-08-07",
        "air",
        ["VAL001"],
        [(TEE, "DE", "1000.00")],
        [{"general": "165.00", "9903.02.19": "0.00"}],
        {"MPF": "2.62"},
        "165.00",
        "167.62",
        "informal",
    ),
    # China around the 2 May 2025 gate: 301 List 3, fentanyl 20%, reciprocal 125% then 10%.
    (
        "cn-handbag-2025-05-01-before-gate",
        "2025-05-01",
        "air",
        ["VAL001"],
        [(HANDBAG, "CN", "812.40")],
        [
            {
                "general": "73.12",
                "9903.88.03": "203.10",
                "9903.01.24": "162.48",
                "9903.01.63": "1015.50",
            }
        ],
        {"MPF": "2.62"},
        "1454.20",
        "1456.82",
        "informal",
    ),
    (
        "cn-handbag-2025-05-02-gated",
        "2025-05-02",
        "air",
        ["ELG003"],
        [(HANDBAG, "CN", "300.00")],
        [
            {
                "general": "27.00",
                "9903.88.03": "75.00",
                "9903.01.24": "60.00",
                "9903.01.63": "375.00",
            }
        ],
        {"MPF": "2.62"},
        "537.00",
        "539.62",
        "informal",
    ),
    (
        "cn-handbag-2025-05-14-reciprocal-10",
        "2025-05-14",
        "air",
        ["ELG003"],
        [(HANDBAG, "CN", "300.00")],
        [
            {
                "general": "27.00",
                "9903.88.03": "75.00",
                "9903.01.24": "60.00",
                "9903.01.25": "30.00",
            }
        ],
        {"MPF": "2.62"},
        "192.00",
        "194.62",
        "informal",
    ),
    # Hong Kong: no Section 301 (China only), but the China IEEPA rows name Hong Kong.
    (
        "hk-tee-2025-05-02-gated",
        "2025-05-02",
        "air",
        ["ELG003"],
        [(TEE, "HK", "200.00")],
        [{"general": "33.00", "9903.01.24": "40.00", "9903.01.63": "250.00"}],
        {"MPF": "2.62"},
        "323.00",
        "325.62",
        "informal",
    ),
    # The first gate (4-6 Feb 2025): fentanyl 10%, no reciprocal duty yet.
    (
        "cn-tee-2025-02-04-first-gate",
        "2025-02-04",
        "air",
        ["ELG003"],
        [(TEE, "CN", "100.00")],
        [{"general": "16.50", "9903.88.15": "7.50", "9903.01.20": "10.00"}],
        {"MPF": "2.62"},
        "34.00",
        "36.62",
        "informal",
    ),
    # Mexico and Canada: the border duties, no reciprocal duty.
    (
        "mx-tee-2025-03-10",
        "2025-03-10",
        "air",
        ["VAL001"],
        [(TEE, "MX", "900.00")],
        [{"general": "148.50", "9903.01.01": "225.00"}],
        {"MPF": "2.62"},
        "373.50",
        "376.12",
        "informal",
    ),
    (
        "ca-tee-2025-07-31",
        "2025-07-31",
        "air",
        ["VAL001"],
        [(TEE, "CA", "1000.00")],
        [{"general": "165.00", "9903.01.10": "250.00"}],
        {"MPF": "2.62"},
        "415.00",
        "417.62",
        "informal",
    ),
    (
        "ca-tee-2025-08-01",
        "2025-08-01",
        "air",
        ["VAL001"],
        [(TEE, "CA", "1000.00")],
        [{"general": "165.00", "9903.01.10": "350.00"}],
        {"MPF": "2.62"},
        "515.00",
        "517.62",
        "informal",
    ),
    # After the end of T86 (ELG002): Vietnam's 7 Aug rate; FY2026 from 1 Oct 2025.
    (
        "vn-tee-2025-08-29-ended",
        "2025-08-29",
        "air",
        ["ELG002"],
        [(TEE, "VN", "100.00")],
        [{"general": "16.50", "9903.02.69": "20.00"}],
        {"MPF": "2.62"},
        "36.50",
        "39.12",
        "informal",
    ),
    (
        "vn-tee-2025-10-01-fy2026",
        "2025-10-01",
        "air",
        ["ELG002"],
        [(TEE, "VN", "100.00")],
        [{"general": "16.50", "9903.02.69": "20.00"}],
        {"MPF": "2.69"},
        "36.50",
        "39.19",
        "informal",
    ),
    # India and Brazil: the country duty stacks on the reciprocal rate.
    (
        "in-tee-2025-08-27",
        "2025-08-27",
        "air",
        ["VAL001"],
        [(TEE, "IN", "1000.00")],
        [{"general": "165.00", "9903.01.84": "250.00", "9903.02.26": "250.00"}],
        {"MPF": "2.62"},
        "665.00",
        "667.62",
        "informal",
    ),
    (
        "br-tee-2025-08-07",
        "2025-08-07",
        "air",
        ["VAL001"],
        [(TEE, "BR", "1000.00")],
        [{"general": "165.00", "9903.01.77": "400.00", "9903.02.09": "100.00"}],
        {"MPF": "2.62"},
        "665.00",
        "667.62",
        "informal",
    ),
    # Quota goods: formal whatever the value (the FY2024 minimum MPF).
    (
        "de-cheese-quota",
        "2024-03-01",
        "air",
        ["ELG011"],
        [(CHEESE, "DE", "120.00")],
        [{"general": "12.00"}],
        {"MPF": "31.67"},
        "12.00",
        "43.67",
        "formal",
    ),
    # Confirmed AD/CVD scope: formal, the deposit named and not estimated.
    (
        "cn-furniture-adcvd",
        "2024-06-03",
        "air",
        ["ELG010"],
        [(FURNITURE, "CN", "400.00")],
        [{"general": "0.00", "9903.88.03": "100.00"}],
        {"MPF": "31.67"},
        "100.00",
        "131.67",
        "formal",
    ),
    # Rounding half up: 16.5% of $1.00 is 0.165, charged 0.17.
    (
        "vn-tee-one-dollar-half-up",
        "2024-06-03",
        "air",
        ["VAL002"],
        [(TEE, "VN", "1.00")],
        [{"general": "0.17"}],
        {"MPF": "2.53"},
        "0.17",
        "2.70",
        "informal",
    ),
    # Two lines, two origins (one person on one day), FY2025.
    (
        "cn-vn-two-lines-2024-11-05",
        "2024-11-05",
        "air",
        ["VAL002"],
        [(HANDBAG, "CN", "400.00"), (SHOES, "VN", "450.00")],
        [{"general": "36.00", "9903.88.03": "100.00"}, {"general": "90.00"}],
        {"MPF": "2.62"},
        "226.00",
        "228.62",
        "informal",
    ),
    # Annex II exempts from the reciprocal duty only, not from fentanyl.
    (
        "cn-laptop-2025-04-10-annex-ii",
        "2025-04-10",
        "air",
        ["VAL002"],
        [(LAPTOP, "CN", "500.00")],
        [{"general": "0.00", "9903.01.24": "100.00", "9903.01.63": "0.00"}],
        {"MPF": "2.62"},
        "100.00",
        "102.62",
        "informal",
    ),
    # Vessel cargo, informal: HMF 0.125% of $1,000.
    (
        "vn-tee-vessel-2025-01-15",
        "2025-01-15",
        "ocean",
        ["VAL001"],
        [(TEE, "VN", "1000.00")],
        [{"general": "165.00"}],
        {"MPF": "2.62", "HMF": "1.25"},
        "165.00",
        "168.87",
        "informal",
    ),
    # Mail with China origin after the gate: ELG003 denies the exemption itself; no HMF.
    (
        "cn-tee-mail-2025-06-01-gated",
        "2025-06-01",
        "mail",
        ["ELG003", "ELG004"],
        [(TEE, "CN", "100.00")],
        [{"general": "16.50", "9903.88.15": "7.50", "9903.01.24": "20.00", "9903.01.25": "10.00"}],
        {"MPF": "2.62"},
        "54.00",
        "56.62",
        "informal",
    ),
    # Section 321 basis: only Type 86 was ruled out, within the threshold.
    (
        "cn-handbag-2019-08-15-before-test",
        "2019-08-15",
        "air",
        ["ELG001"],
        [(HANDBAG, "CN", "500.00")],
        [{"Section 321": "0.00"}],
        {},
        "0.00",
        "0.00",
        "informal",
    ),
    (
        "vn-tee-2015-under-200-before-test",
        "2015-06-01",
        "air",
        ["ELG001"],
        [(TEE, "VN", "150.00")],
        [{"Section 321": "0.00"}],
        {},
        "0.00",
        "0.00",
        "informal",
    ),
    (
        "vn-tee-mail-2024",
        "2024-06-03",
        "mail",
        ["ELG004"],
        [(TEE, "VN", "100.00")],
        [{"Section 321": "0.00"}],
        {},
        "0.00",
        "0.00",
        "informal",
    ),
    # Over the $200 threshold of 2015: dutiable, but no MPF row before FY2019 (not computable).
    (
        "vn-tee-2015-over-200-before-test",
        "2015-06-01",
        "air",
        ["ELG001", "VAL001"],
        [(TEE, "VN", "300.00")],
        [{"general": "49.50"}],
        {"MPF": None},
        "49.50",
        None,
        "informal",
    ),
]


@pytest.mark.parametrize(
    ("day", "mode", "reasons", "lines", "amounts", "fees", "duty", "loss", "kind"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_hand_computed_exposure(day, mode, reasons, lines, amounts, fees, duty, loss, kind):
    x = estimate_entry(_entry(day, lines, mode), reasons)
    got_lines = [
        {_key(a.provision): str(a.amount_usd) for a in line.amounts if a.kind == "duty"}
        for line in x.lines
    ]
    assert got_lines == amounts
    got_fees = {
        _key(a.provision): None if a.amount_usd is None else str(a.amount_usd)
        for a in x.entry_amounts
        if a.kind == "fee"
    }
    assert got_fees == fees
    assert str(x.duty_usd) == duty
    assert (None if x.loss_of_revenue_usd is None else str(x.loss_of_revenue_usd)) == loss
    assert x.entry_kind == kind
    # Each amount is a whole number of cents, as CBP rounds (reference 7.3, E-7).
    for a in (*x.entry_amounts, *(a for ln in x.lines for a in ln.amounts)):
        if a.amount_usd is not None:
            assert a.amount_usd == a.amount_usd.quantize(D("0.01"))


# --------------------------------------------------------------------------------------------
# The Section 321 basis (ELG001, ELG004)


def test_a_pre_test_entry_within_the_threshold_owes_no_duty_and_says_why():
    x = estimate_entry(_entry("2019-08-15", [(HANDBAG, "CN", "500.00")]), ["ELG001"])
    assert (x.duty_usd, x.fees_usd, x.loss_of_revenue_usd) == (D("0.00"), D("0.00"), D("0.00"))
    assert x.computable
    assert x.section321
    note = x.entry_kind_note
    assert note.startswith("Section 321 basis: arrival before the Type 86 test began (ELG001)")
    assert "19 U.S.C. 1321(a)(2)(C)" in note
    assert "19 CFR 10.151" in note
    assert "$800 or less" in note
    assert "UNVERIFIED" in note  # the fee of such a release: the reference does not say
    # What a dutiable entry would have paid is named, not counted.
    (amount,) = x.lines[0].amounts
    assert amount.rate == "Free"
    assert "$170.00" in amount.note
    assert "9903.88.03" in amount.note
    # The fee is named as not estimated, with the most it could have been.
    assert x.not_estimated == ("MPF of the Section 321 release, if any",)
    (fee,) = x.entry_amounts
    assert fee.amount_usd is None
    assert "UNVERIFIED" in fee.note
    assert "$2.10 in FY2019" in fee.note


def test_the_threshold_of_the_arrival_date_decides_not_the_reasons_alone():
    # $250 in 2015 (threshold $200): priced as a dutiable entry even without VAL001.
    over = estimate_entry(_entry("2015-06-01", [(TEE, "VN", "250.00")]), ["ELG001"])
    assert not over.section321
    assert over.duty_usd == D("41.25")
    assert not over.computable  # no MPF row before FY2019
    # $800.00 in 2019 is within; $800.01 is not.
    at = estimate_entry(_entry("2019-09-27", [(TEE, "VN", "800.00")]), ["ELG001"])
    assert at.section321
    assert at.loss_of_revenue_usd == D("0.00")
    above = estimate_entry(_entry("2019-09-27", [(TEE, "VN", "800.01")]), ["ELG001"])
    assert not above.section321
    assert above.duty_usd == D("132.00")


def test_a_user_policy_threshold_is_the_one_tested():
    policy = default_policy()
    # The bundled table at 2019-09-27 says $800; the estimate follows the table it is given.
    assert policy.at(dt.date(2019, 9, 27)).threshold_usd == D(800)
    entry = _entry("2019-09-27", [(TEE, "VN", "500.00")])
    assert estimate_entry(entry, ["ELG001"], policy=policy).section321


def test_any_reason_that_denies_the_exemption_prices_the_entry():
    for other in sorted(INELIGIBLE_RULES - EXEMPTION_KEPT_RULES):
        x = estimate_entry(_entry("2019-08-15", [(HANDBAG, "CN", "500.00")]), ["ELG001", other])
        assert not x.section321, other
        assert x.duty_usd is not None, other
        assert x.duty_usd > 0, other


def test_a_blank_line_value_is_not_taken_as_within_the_threshold():
    entry = Entry(
        "B76-0324527-8",
        dt.date(2019, 8, 15),
        lines=[
            LineItem(1, hts_number=TEE, country_of_origin="VN", value_usd=D("100.00")),
            LineItem(2, hts_number=TEE, country_of_origin="VN", value_usd=None),
        ],
    )
    x = estimate_entry(entry, ["ELG001"])
    assert not x.section321
    assert not x.computable


def test_vessel_cargo_on_the_section_321_basis_names_the_hmf_too():
    x = estimate_entry(_entry("2019-08-15", [(TEE, "VN", "500.00")], "ocean"), ["ELG001"])
    assert x.section321
    assert x.fees_usd == D("0.00")
    assert x.not_estimated == (
        "MPF of the Section 321 release, if any",
        "HMF of the Section 321 release (vessel cargo), if any",
    )


def test_the_section_321_basis_takes_the_no_loss_penalty_branch():
    # No loss of revenue: 1592(c)(3)/(2) at 20%/40% of dutiable value (reference 7.2).
    x = estimate_entry(_entry("2019-08-15", [(HANDBAG, "CN", "500.00")]), ["ELG001"])
    (entry,) = penalty_ranges([x]).per_entry
    assert entry.negligence_usd == D("100.00")
    assert entry.gross_negligence_usd == D("200.00")
    assert entry.fraud_usd == D("500.00")


def test_the_audit_report_states_the_basis(tmp_path):
    entries = [
        _entry("2019-08-15", [(HANDBAG, "CN", "500.00")]),
    ]
    report = t86audit.audit(entries, select=["ELG001"], jobs=1)
    assert report.exposure is not None
    (x,) = report.exposure.entries
    assert x.section321
    assert x.loss_of_revenue_usd == D("0.00")
    text = report.render("text")
    assert "kept the" in text
    assert "Section 321 basis" in text
    data = report.to_dict()["exposure"]["entries"][0]
    assert data["entry_kind"] == "informal"
    assert data["entry_kind_note"].startswith("Section 321 basis")
    assert data["loss_of_revenue_usd"] == "0.00"
    assert data["not_estimated"] == ["MPF of the Section 321 release, if any"]


# --------------------------------------------------------------------------------------------
# Penalty ranges by hand (reference 7.2)


def test_penalty_ranges_by_hand():
    # Two entries with a loss, one without (Section 321 basis), two in the s.70531 window.
    with_loss_a = estimate_entry(_entry("2025-08-07", [(TEE, "BR", "1000.00")]), ["VAL001"])
    with_loss_b = estimate_entry(_entry("2025-08-27", [(TEE, "IN", "1000.00")]), ["VAL001"])
    without = estimate_entry(_entry("2024-06-03", [(TEE, "VN", "100.00")], "mail"), ["ELG004"])
    r = penalty_ranges([with_loss_b, without, with_loss_a])
    ceilings = {c.culpability: c for c in r.ceilings}
    # Loss 667.62 + 667.62 = 1335.24; value without loss 100.00.
    assert r.loss_of_revenue_usd == D("1335.24")
    assert ceilings["negligence"].with_loss_usd == D("2670.48")  # 2x
    assert ceilings["negligence"].without_loss_usd == D("20.00")  # 20%
    assert ceilings["gross_negligence"].with_loss_usd == D("5340.96")  # 4x
    assert ceilings["gross_negligence"].without_loss_usd == D("40.00")  # 40%
    assert ceilings["fraud"].total_usd == D("2100.00")  # entered value
    assert ceilings["fraud"].confidence == "UNVERIFIED"
    # 1592(c)(4): fraud prior disclosure 100% of loss, 10% of dutiable value without loss.
    assert ceilings["fraud"].prior_disclosure_usd == D("1345.24")
    # s.70531: the 7 Aug entry first ($5,000), the 27 Aug one second ($10,000).
    assert r.s70531_entries == 2
    assert r.s70531_ceiling_usd == D("15000.00")
    per = {p.entry_number: p for p in r.per_entry}
    assert len(per) == 1  # one entry number, shared: the list keeps arrival order
    assert [p.penalty_70531_usd for p in r.per_entry] == [D(0), D(5000), D(10000)]


# --------------------------------------------------------------------------------------------
# HMF: vessel cargo as exports write it (19 CFR 24.24(a), 0.125%)


@pytest.mark.parametrize(
    ("mode", "hmf"),
    [
        ("ocean", "1.25"),
        ("Ocean Freight", "1.25"),
        ("Sea freight", "1.25"),
        ("VESSEL, CONTAINERIZED", "1.25"),
        ("11", "1.25"),  # ACE mode code: vessel, containerized
        ("10", "1.25"),  # ACE mode code: vessel, non-containerized
        ("40", None),  # air
        ("Air Freight", None),
        ("truck", None),
        ("sea-air", None),  # arrives by air: no HMF on a guess
        ("", None),
    ],
)
def test_hmf_is_charged_on_vessel_cargo_however_the_mode_is_written(mode, hmf):
    # $1,000 of Vietnamese T-shirts, 2024-06-03: 165.00 duty, MPF 2.53, HMF 1.25 if vessel.
    x = estimate_entry(_entry("2024-06-03", [(TEE, "VN", "1000.00")], mode), ["VAL001"])
    fees = {_key(a.provision): str(a.amount_usd) for a in x.entry_amounts}
    assert fees == ({"MPF": "2.53", "HMF": hmf} if hmf else {"MPF": "2.53"})


def test_penalty_notes_name_the_broker_penalty_of_1641():
    x = estimate_entry(_entry("2024-06-03", [(TEE, "VN", "1000.00")]), ["VAL001"])
    notes = " ".join(penalty_ranges([x]).notes)
    assert "19 U.S.C. 1641(d)" in notes
    assert "19 CFR 111.91" in notes
    assert "$30,000" in notes
    assert "$10,000 per transaction" in notes
    assert "111.53" in notes
