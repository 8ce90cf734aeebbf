"""Session 23 (h2): the exposure estimate on 2019-2024 entries, computed by hand.

Every expected figure below was worked out by hand, before the library was run, from the rows of
``/work/shared/data`` and the domain reference (3.6, 7.2, 7.3), not from the code:

* general (column 1) and column 2 rates, ``hts/htsus_2025_snapshot.csv``: 4202.21.90 9% (column 2
  35%), 6109.10.00 16.5%, 6404.11.90 20%, 6110.20.20 16.5%, 7113.19.50 5.5%, 9004.10.00 2%,
  6307.90.98 7%, 8507.60.00 3.4%, 8703.80.00 2.5%, 1202.41.80 163.8%, 2204.21.50 6.3 cents/liter;
  Free: 8471.30.01, 3304.99.50, 8517.62.00, 8541.10.00, 8541.42.00, 9018.31.00, 7206.10.00;
* Section 301, ``duties/section301_hts.csv`` and ``section301_rate_periods.csv``:
  4202.21.90 List 3 (9903.88.03) 10% 2018-09-24..2019-05-09, 25% from 2019-05-10 (goods exported
  before 10 May and entered 10 May-14 Jun 2019: 10%, heading 9903.88.09); 6109.10.00,
  6404.11.90, 6110.20.20, 7113.19.50, 9004.10.00, 1202.41.80, 6307.90.98 (a partial item; the
  2026 text excepts .9842/.9844/.9850/.9870/.9875, an exception the data README says "probably
  dates from the 2024 review, not 2019 - UNVERIFIED") List 4A (9903.88.15) 15% 2019-09-01..
  2020-02-13, 7.5% from 2020-02-14; 8517.62.00 List 3 partial (9903.88.04, excepting .0090) and
  List 4A (excepting .0010/.0020); 8703.80.00 List 1 (9903.88.01) to 2024-09-26, then 9903.91.03
  100%; 8541.10.00 List 2 (9903.88.02) to 2024-12-31, then 9903.91.05 50%; 7206.10.00 List 4A to
  2024-09-26, then 9903.91.01 25%; 9018.31.00 only 9903.91.03 100% from 2024-09-27; 8541.42.00
  only 9903.91.02 50% from 2024-09-27 (an HS 2022 number: no List 1-4A row in the table);
  8507.60.00 List 4A 7.5% (V) and 9903.91.01 25% from 2024-09-27 (fn-2025-only, UNVERIFIED);
  no Section 301 on 8471.30.01 or on goods of Hong Kong, Vietnam, Germany, Mexico, Russia;
* fees, ``duties/mpf_by_fiscal_year.csv`` [S] (fiscal years start 1 Oct): informal automated
  FY2019 $2.10, FY2020 $2.14, FY2021 $2.18, FY2022 $2.22, FY2023 $2.37, FY2024 $2.53, FY2025
  $2.62; formal 0.3464% with min/max FY2021 $27.23/$528.33, FY2023 $29.66/$575.35;
  ``other_fees.csv``: HMF 0.125%, vessel cargo only [V];
* which entries are ineligible before 2 May 2025 (domain reference 3.2-3.6): over $800 (VAL001),
  one consignee's day over $800 from the entry that crosses it (VAL002), before the test
  (ELG001) or by mail (ELG004: both keep the exemption at or under $800), alcohol (ELG005),
  quota goods (ELG011: formal entry whatever the value); Section 301 goods were NOT ineligible
  (E8), so a $800.00 Chinese handbag is not priced.

Each amount is value x rate rounded half up to the cent (reference 7.3 E-7); penalty ceilings
are 2x / 4x the loss (20% / 40% of the value where none was lost) and the entered value for
fraud (reference 7.2, docs/estimating-exposure.md).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from decimal import Decimal as D  # noqa: N817

import pytest

import t86audit
from t86audit.exposure import InterestRates, penalty_ranges
from t86audit.model import compute_check_digit
from t86audit.testing import CSV_COLUMNS
from tests._exposure_cases import Line, case_entry, case_estimate


HANDBAG = "4202.21.90.00"
TEE = "6109.10.00.12"
SHOES = "6404.11.90.20"
SWEATER = "6110.20.20.10"
LAPTOP = "8471.30.01.00"
JEWEL = "7113.19.50.90"
SUNGLASSES = "9004.10.00.00"
COSMETIC = "3304.99.50.00"
EV = "8703.80.00.20"
DIODE = "8541.10.00.80"
SYRINGE = "9018.31.00.40"
SOLAR = "8541.42.00.10"
INGOT = "7206.10.00.00"
MODEM = "8517.62.00.10"
ROUTER_OTHER = "8517.62.00.90"
MASK = "6307.90.98.70"
BATTERY = "8507.60.00.20"
PEANUTS = "1202.41.80.20"
WINE = "2204.21.50.40"
BAMBOO_OLD = "4421.91.97.80"  # a 2017-2021 number (USTR List 3 annex); not in the 2025 schedule


# id, arrival, mode, reasons, lines, per line the (key, amount) pairs of the duties, the entry's
# fees (key, amount), the loss of revenue (None: not computable), the entry kind.
CASES: list[
    tuple[
        str,
        str,
        str,
        tuple[str, ...],
        list[Line],
        list[list[tuple[str, str]]],
        list[tuple[str, str]],
        str | None,
        str,
    ]
] = [
    # 1. Last day of FY2019: 850 x 9% = 76.50, List 3 25% = 212.50, MPF FY2019 2.10: 291.10.
    (
        "c01-fy2019-last-day",
        "2019-09-30",
        "air",
        ("VAL001",),
        [(HANDBAG, "CN", "850.00", "1", "PCS")],
        [[("general", "76.50"), ("9903.88.03", "212.50")]],
        [("MPF", "2.10")],
        "291.10",
        "informal",
    ),
    # 2. First day of FY2020: the same duties, MPF 2.14: 291.14.
    (
        "c02-fy2020-first-day",
        "2019-10-01",
        "air",
        ("VAL001",),
        [(HANDBAG, "CN", "850.00", "1", "PCS")],
        [[("general", "76.50"), ("9903.88.03", "212.50")]],
        [("MPF", "2.14")],
        "291.14",
        "informal",
    ),
    # 3. Last day of List 4A at 15%: 900 x 16.5% = 148.50, x 15% = 135.00, 2.14: 285.64.
    (
        "c03-4a-15pct-last-day",
        "2020-02-13",
        "air",
        ("VAL001",),
        [(TEE, "CN", "900.00", "60", "DOZ")],
        [[("general", "148.50"), ("9903.88.15", "135.00")]],
        [("MPF", "2.14")],
        "285.64",
        "informal",
    ),
    # 4. First day of List 4A at 7.5%: 148.50 + 67.50 + 2.14 = 218.14.
    (
        "c04-4a-7.5pct-first-day",
        "2020-02-14",
        "air",
        ("VAL001",),
        [(TEE, "CN", "900.00", "60", "DOZ")],
        [[("general", "148.50"), ("9903.88.15", "67.50")]],
        [("MPF", "2.14")],
        "218.14",
        "informal",
    ),
    # 5. Before the test, first day of List 4A (1 Sep 2019), over $800: 1,000 x 20% = 200.00,
    # 15% = 150.00, MPF FY2019 2.10: 352.10.
    (
        "c05-pretest-4a-first-day",
        "2019-09-01",
        "air",
        ("ELG001", "VAL001"),
        [(SHOES, "CN", "1000.00", "40", "PRS")],
        [[("general", "200.00"), ("9903.88.15", "150.00")]],
        [("MPF", "2.10")],
        "352.10",
        "informal",
    ),
    # 6. The day before List 4A began: no Section 301; 200.00 + 2.10 = 202.10.
    (
        "c06-pretest-before-4a",
        "2019-08-31",
        "air",
        ("ELG001", "VAL001"),
        [(SHOES, "CN", "1000.00", "40", "PRS")],
        [[("general", "200.00")]],
        [("MPF", "2.10")],
        "202.10",
        "informal",
    ),
    # 7. List 3 at 10% on its last day (9 May 2019): 90.00 + 100.00 + 2.10 = 192.10.
    (
        "c07-list3-10pct-last-day",
        "2019-05-09",
        "air",
        ("ELG001", "VAL001"),
        [(HANDBAG, "CN", "1000.00", "1", "PCS")],
        [[("general", "90.00"), ("9903.88.03", "100.00")]],
        [("MPF", "2.10")],
        "192.10",
        "informal",
    ),
    # 8. List 3 at 25% (20 May 2019), charged; 10% if exported before 10 May (9903.88.09, the
    # export date not filed): 90.00 + 250.00 + 2.10 = 342.10.
    (
        "c08-list3-25pct-in-transit-window",
        "2019-05-20",
        "air",
        ("ELG001", "VAL001"),
        [(HANDBAG, "CN", "1000.00", "1", "PCS")],
        [[("general", "90.00"), ("9903.88.03", "250.00")]],
        [("MPF", "2.10")],
        "342.10",
        "informal",
    ),
    # 9. Before the test, within $800: the exemption stands (Section 321 basis): 0.00.
    (
        "c09-pretest-within-threshold",
        "2019-06-20",
        "air",
        ("ELG001",),
        [(HANDBAG, "CN", "500.00", "1", "PCS")],
        [[("S321", "0.00")]],
        [],
        "0.00",
        "informal",
    ),
    # 10. Mail within $800 (2021): Section 321 basis: 0.00.
    (
        "c10-mail-within-threshold",
        "2021-07-01",
        "mail",
        ("ELG004",),
        [(SUNGLASSES, "DE", "300.00", "2", "DOZ")],
        [[("S321", "0.00")]],
        [],
        "0.00",
        "informal",
    ),
    # 11. Mail over $800, German cosmetics Free: the loss is the FY2022 MPF 2.22 only.
    (
        "c11-mail-over-threshold-fee-only",
        "2022-03-10",
        "mail",
        ("ELG004", "VAL001"),
        [(COSMETIC, "DE", "950.00", "5", "KG")],
        [[("general", "0.00")]],
        [("MPF", "2.22")],
        "2.22",
        "informal",
    ),
    # 12. A cent over $800: 800.01 x 9% = 72.0009 -> 72.00, x 25% = 200.0025 -> 200.00,
    # FY2021 2.18: 274.18.
    (
        "c12-a-cent-over",
        "2021-05-05",
        "air",
        ("VAL001",),
        [(HANDBAG, "CN", "800.01", "1", "PCS")],
        [[("general", "72.00"), ("9903.88.03", "200.00")]],
        [("MPF", "2.18")],
        "274.18",
        "informal",
    ),
    # 13. $2,500.00 by vessel is still informal: 412.50; MPF FY2023 2.37, HMF 3.125 -> 3.13:
    # 418.00.
    (
        "c13-2500-informal-vessel",
        "2022-11-15",
        "ocean",
        ("VAL001",),
        [(TEE, "VN", "2500.00", "150", "DOZ")],
        [[("general", "412.50")]],
        [("MPF", "2.37"), ("HMF", "3.13")],
        "418.00",
        "informal",
    ),
    # 14. $2,500.01 is formal: 412.50165 -> 412.50; MPF 8.66 raised to the FY2023 minimum
    # 29.66; HMF 3.1250125 -> 3.13: 445.29.
    (
        "c14-2500.01-formal-minimum",
        "2022-11-15",
        "ocean",
        ("VAL001",),
        [(TEE, "VN", "2500.01", "150", "DOZ")],
        [[("general", "412.50")]],
        [("MPF", "29.66"), ("HMF", "3.13")],
        "445.29",
        "formal",
    ),
    # 15. Formal at the maximum: German laptops $200,000 (Free): 692.80 capped at 575.35.
    (
        "c15-formal-maximum",
        "2023-06-01",
        "air",
        ("VAL001",),
        [(LAPTOP, "DE", "200000.00", "150", "PCS")],
        [[("general", "0.00")]],
        [("MPF", "575.35")],
        "575.35",
        "formal",
    ),
    # 16. Mexican sweaters by truck (USMCA in force, no claim filed): 1,200 x 16.5% = 198.00,
    # no HMF, MPF FY2020 2.14: 200.14.
    (
        "c16-mx-truck",
        "2020-08-03",
        "truck",
        ("VAL001",),
        [(SWEATER, "MX", "1200.00", "80", "DOZ")],
        [[("general", "198.00")]],
        [("MPF", "2.14")],
        "200.14",
        "informal",
    ),
    # 17. Hong Kong jewellery: no Section 301 (not China): 82.50 + 2.37 = 84.87.
    (
        "c17-hk-no-301",
        "2023-02-02",
        "air",
        ("VAL001",),
        [(JEWEL, "HK", "1500.00", "30", "G")],
        [[("general", "82.50")]],
        [("MPF", "2.37")],
        "84.87",
        "informal",
    ),
    # 18. The same from China: 82.50 + List 4A 7.5% 112.50 + 2.37 = 197.37.
    (
        "c18-cn-jewel-4a",
        "2023-02-02",
        "air",
        ("VAL001",),
        [(JEWEL, "CN", "1500.00", "30", "G")],
        [[("general", "82.50"), ("9903.88.15", "112.50")]],
        [("MPF", "2.37")],
        "197.37",
        "informal",
    ),
    # 19. Three lines (2024): handbag 400 (36.00 + 100.00), tee 300 (49.50 + 22.50), laptop
    # 250 (0.00): 208.00 + FY2024 2.53 = 210.53.
    (
        "c19-three-lines",
        "2024-03-01",
        "air",
        ("VAL001",),
        [
            (HANDBAG, "CN", "400.00", "1", "PCS"),
            (TEE, "CN", "300.00", "20", "DOZ"),
            (LAPTOP, "CN", "250.00", "1", "PCS"),
        ],
        [
            [("general", "36.00"), ("9903.88.03", "100.00")],
            [("general", "49.50"), ("9903.88.15", "22.50")],
            [("general", "0.00")],
        ],
        [("MPF", "2.53")],
        "210.53",
        "informal",
    ),
    # 20. An electric vehicle's last List 1 day: 2,000 x 2.5% = 50.00 + 25% 500.00 + 2.53.
    (
        "c20-ev-list1-last-day",
        "2024-09-26",
        "vessel",
        ("VAL001",),
        [(EV, "CN", "2000.00", "1", "NO")],
        [[("general", "50.00"), ("9903.88.01", "500.00")]],
        [("MPF", "2.53"), ("HMF", "2.50")],
        "555.03",
        "informal",
    ),
    # 21. The four-year review's first day: 100% (9903.91.03) replaces List 1: 50.00 + 2,000.00
    # + 2.53 + HMF 2.50 = 2,055.03.
    (
        "c21-ev-review-first-day",
        "2024-09-27",
        "vessel",
        ("VAL001",),
        [(EV, "CN", "2000.00", "1", "NO")],
        [[("general", "50.00"), ("9903.91.03", "2000.00")]],
        [("MPF", "2.53"), ("HMF", "2.50")],
        "2055.03",
        "informal",
    ),
    # 22. Diodes on the last day of List 2 (FY2025 began 1 Oct 2024): 250.00 + 2.62.
    (
        "c22-diode-list2-last-day",
        "2024-12-31",
        "air",
        ("VAL001",),
        [(DIODE, "CN", "1000.00", "500", "NO")],
        [[("general", "0.00"), ("9903.88.02", "250.00")]],
        [("MPF", "2.62")],
        "252.62",
        "informal",
    ),
    # 23. The same on 2 Jan 2025: 9903.91.05 50% replaces List 2: 500.00 + 2.62.
    (
        "c23-diode-review-2025",
        "2025-01-02",
        "air",
        ("VAL001",),
        [(DIODE, "CN", "1000.00", "500", "NO")],
        [[("general", "0.00"), ("9903.91.05", "500.00")]],
        [("MPF", "2.62")],
        "502.62",
        "informal",
    ),
    # 24. Syringes the day the review began: 100% = 900.00 + 2.53.
    (
        "c24-syringe-review-first-day",
        "2024-09-27",
        "air",
        ("VAL001",),
        [(SYRINGE, "CN", "900.00", "1000", "NO")],
        [[("general", "0.00"), ("9903.91.03", "900.00")]],
        [("MPF", "2.53")],
        "902.53",
        "informal",
    ),
    # 25. Steel ingots' last List 4A day: 7.5% = 75.00 + 2.53 (Section 232 named, not
    # estimated).
    (
        "c25-ingot-4a-last-day",
        "2024-09-26",
        "air",
        ("VAL001",),
        [(INGOT, "CN", "1000.00", "100", "KG")],
        [[("general", "0.00"), ("9903.88.15", "75.00")]],
        [("MPF", "2.53")],
        "77.53",
        "informal",
    ),
    # 26. Their first review day: 9903.91.01 25% = 250.00 + 2.53.
    (
        "c26-ingot-review-first-day",
        "2024-09-27",
        "air",
        ("VAL001",),
        [(INGOT, "CN", "1000.00", "100", "KG")],
        [[("general", "0.00"), ("9903.91.01", "250.00")]],
        [("MPF", "2.53")],
        "252.53",
        "informal",
    ),
    # 27. Modems (.0010): List 3 partial item 9903.88.04 25% (4A excepts .0010): 250.00 + 2.18.
    (
        "c27-modem-list3-partial",
        "2021-01-10",
        "air",
        ("VAL001",),
        [(MODEM, "CN", "1000.00", "20", "NO")],
        [[("general", "0.00"), ("9903.88.04", "250.00")]],
        [("MPF", "2.18")],
        "252.18",
        "informal",
    ),
    # 28. 8517.62.0090: the List 3 item excepts it; List 4A 7.5% = 75.00 + 2.18.
    (
        "c28-8517-other-4a",
        "2021-01-10",
        "air",
        ("VAL001",),
        [(ROUTER_OTHER, "CN", "1000.00", "5", "KG")],
        [[("general", "0.00"), ("9903.88.15", "75.00")]],
        [("MPF", "2.18")],
        "77.18",
        "informal",
    ),
    # 29. Disposable masks (6307.90.9870) in 2021: 7% = 70.00; List 4A 7.5% = 75.00 charged,
    # the 2026 text's exception of this number being UNVERIFIED before the 2024 review; 2.18.
    (
        "c29-mask-2021-exception-unverified",
        "2021-01-10",
        "air",
        ("VAL001",),
        [(MASK, "CN", "1000.00", "2000", "NO")],
        [[("general", "70.00"), ("9903.88.15", "75.00")]],
        [("MPF", "2.18")],
        "147.18",
        "informal",
    ),
    # 30. Lithium-ion batteries after 27 Sep 2024: 3.4% = 34.00; List 4A 7.5% = 75.00 (the
    # 9903.91.01 row is UNVERIFIED and gives way); FY2025 2.62: 111.62.
    (
        "c30-battery-unverified-review-row",
        "2024-10-15",
        "air",
        ("VAL001",),
        [(BATTERY, "CN", "1000.00", "50", "NO")],
        [[("general", "34.00"), ("9903.88.15", "75.00")]],
        [("MPF", "2.62")],
        "111.62",
        "informal",
    ),
    # 31. Quota peanuts of Argentina under $800: formal entry (T86 FAQ, 10.153(g)): 163.8% =
    # 163.80; formal MPF 0.35 raised to the FY2021 minimum 27.23: 191.03.
    (
        "c31-quota-formal",
        "2021-06-01",
        "air",
        ("ELG011",),
        [(PEANUTS, "AR", "100.00", "20", "KG")],
        [[("general", "163.80")]],
        [("MPF", "27.23")],
        "191.03",
        "formal",
    ),
    # 32. French wine (ELG005): 10 liters x 6.3 cents = 0.63; FY2021 2.18: 2.81, the excise tax
    # named, not estimated.
    (
        "c32-wine-excise-named",
        "2020-11-20",
        "air",
        ("ELG005",),
        [(WINE, "FR", "200.00", "10", "LITERS")],
        [[("general", "0.63")]],
        [("MPF", "2.18")],
        "2.81",
        "informal",
    ),
    # 33. Russia the day before P.L. 117-110 applied (8 Apr 2022): general 9% = 90.00 + 2.22.
    (
        "c33-ru-before-column2",
        "2022-04-08",
        "air",
        ("VAL001",),
        [(HANDBAG, "RU", "1000.00", "1", "PCS")],
        [[("general", "90.00")]],
        [("MPF", "2.22")],
        "92.22",
        "informal",
    ),
    # 34. Russia from 9 Apr 2022: column 2 35% = 350.00 + 2.22.
    (
        "c34-ru-column2",
        "2022-05-02",
        "air",
        ("VAL001",),
        [(HANDBAG, "RU", "1000.00", "1", "PCS")],
        [[("general", "350.00")]],
        [("MPF", "2.22")],
        "352.22",
        "informal",
    ),
    # 36. Chinese solar cells (8541.42.00, an HS 2022 number) in 2023: the table has only the
    # review's 9903.91.02 from 27 Sep 2024, so no Section 301 is counted (named, UNVERIFIED);
    # Free; the loss is the FY2023 MPF 2.37.
    (
        "c36-solar-2023-no-list-row",
        "2023-05-15",
        "air",
        ("VAL001",),
        [(SOLAR, "CN", "1000.00", "10", "NO")],
        [[("general", "0.00")]],
        [("MPF", "2.37")],
        "2.37",
        "informal",
    ),
    # 35. A number of 2017-2021 not in the 2025 schedule: no general rate, so not computable;
    # List 3 25% = 225.00 still shown.
    (
        "c35-old-number-not-computable",
        "2020-06-01",
        "air",
        ("VAL001",),
        [(BAMBOO_OLD, "CN", "900.00", "10", "KG")],
        [[("9903.88.03", "225.00")]],
        [("MPF", "2.14")],
        None,
        "informal",
    ),
]


def _key(provision: str) -> str:
    if provision.startswith("HTSUS"):
        return "general"
    if provision.startswith("Section 321 exemption"):
        return "S321"
    found = re.search(r"\((99\d\d\.\d\d\.\d\d)\)", provision)
    if found:
        return found.group(1)
    return provision.split(maxsplit=1)[0]


_entry = case_entry
_estimate = case_estimate


@pytest.mark.parametrize(
    ("day", "mode", "reasons", "lines", "want_lines", "want_fees", "loss", "kind"),
    [pytest.param(*c[1:], id=c[0]) for c in CASES],
)
def test_hand_computed_exposure(day, mode, reasons, lines, want_lines, want_fees, loss, kind):
    x = _estimate(day, lines, reasons, mode)
    got_lines = [
        [(_key(a.provision), str(a.amount_usd)) for a in ln.amounts if a.kind == "duty"]
        for ln in x.lines
    ]
    want = [[(k, v) for k, v in ln] for ln in want_lines]
    # A line not computable shows what it could compute; the general rate is then None.
    got_lines = [[(k, v) for k, v in ln if v != "None"] for ln in got_lines]
    assert got_lines == want
    got_fees = [(_key(a.provision), str(a.amount_usd)) for a in x.entry_amounts if a.kind == "fee"]
    assert got_fees == want_fees
    assert x.loss_of_revenue_usd == (None if loss is None else D(loss))
    assert x.entry_kind == kind
    assert x.reasons == tuple(sorted(reasons))
    for a in (*x.entry_amounts, *(a for ln in x.lines for a in ln.amounts)):
        if a.amount_usd is not None:
            assert a.amount_usd == a.amount_usd.quantize(D("0.01"))
            assert a.rate_date == dt.date.fromisoformat(day)


# --- judgement cases: what the data cannot settle must be said -----------------------------


def test_list3_in_transit_window_names_heading_9903_88_09():
    """Case 8: between 10 May and 14 Jun 2019 the 25% is charged, and the amount says that goods
    exported before 10 May paid 10% (9903.88.09), the export date not being filed."""
    x = _estimate("2019-05-20", [(HANDBAG, "CN", "1000.00", "1", "PCS")], ("ELG001", "VAL001"))
    s301 = next(a for a in x.lines[0].amounts if "9903.88.03" in a.provision)
    assert s301.amount_usd == D("250.00")
    assert "9903.88.09" in s301.note
    assert "10%" in s301.note
    # After 14 Jun 2019 the transition is over: no such note.
    later = _estimate("2019-06-15", [(HANDBAG, "CN", "1000.00", "1", "PCS")], ("ELG001", "VAL001"))
    assert "9903.88.09" not in later.lines[0].amounts[1].note


@pytest.mark.parametrize(
    ("hts", "day", "heading"),
    [
        (SOLAR, "2023-05-15", "9903.91.02"),  # an HS 2022 number, moved to the review
        (SYRINGE, "2024-09-26", "9903.91.03"),  # the day before the review began
    ],
)
def test_no_list_row_before_a_review_heading_is_named_unverified(hts, day, heading):
    """8541.42.00 and 9018.31.00 have only 2024-review rows. Before them the table holds no
    List 1-4A row: for a number created in 2022 (solar cells) the lists' earlier coverage is not
    recorded, and the table cannot tell such a number from one never listed (syringes). The
    estimate charges no Section 301 and names it as not estimated, UNVERIFIED."""
    x = _estimate(day, [(hts, "CN", "1000.00", "10", "NO")])
    assert x.duty_usd == D("0.00")
    named = [a for a in x.lines[0].amounts if a.kind == "not_estimated"]
    assert len(named) == 1
    assert named[0].provision.startswith("Section 301")
    assert "UNVERIFIED" in named[0].note
    assert heading in named[0].note
    assert named[0].provision in x.not_estimated
    # Not for a Hong Kong or Vietnamese line, nor once the review heading is in force.
    assert not [
        a
        for a in _estimate(day, [(hts, "VN", "1000.00", "1", "NO")]).lines[0].amounts
        if a.kind == "not_estimated"
    ]
    after = _estimate("2024-10-15", [(hts, "CN", "1000.00", "10", "NO")])
    assert not [a for a in after.lines[0].amounts if a.kind == "not_estimated"]


def test_mask_exception_before_the_review_is_unverified_and_charged():
    """Case 29's 4A amount says the exception is UNVERIFIED for the date; from 1 Jan 2025, when
    9903.91.04 names 6307.90.9870, the exception is taken as in force (that heading's 25%)."""
    x = _estimate("2021-01-10", [(MASK, "CN", "1000.00", "2000", "NO")])
    s301 = next(a for a in x.lines[0].amounts if "9903.88.15" in a.provision)
    assert s301.amount_usd == D("75.00")
    assert "UNVERIFIED" in s301.note
    # Another 6307.90.98 number is simply List 4A, with no such note.
    other = _estimate("2021-01-10", [("6307.90.98.89", "CN", "1000.00", "2000", "NO")])
    s301 = next(a for a in other.lines[0].amounts if "9903.88.15" in a.provision)
    assert s301.amount_usd == D("75.00")
    assert "UNVERIFIED" not in s301.note
    y = _estimate("2025-01-15", [(MASK, "CN", "1000.00", "2000", "NO")])
    got = {_key(a.provision): a.amount_usd for a in y.lines[0].amounts if a.kind == "duty"}
    assert got["9903.91.04"] == D("250.00")
    assert "9903.88.15" not in got or got["9903.88.15"] == D("0.00")


def test_battery_review_row_unverified_is_named_as_such():
    x = _estimate("2024-10-15", [(BATTERY, "CN", "1000.00", "50", "NO")])
    s301 = next(a for a in x.lines[0].amounts if "9903.88.15" in a.provision)
    assert "9903.91.01" in s301.note
    assert "UNVERIFIED" in s301.note


# --- the whole audit: the report's exposure section on these entries -------------------------

# id, arrival, filed time, mode, consignee, lines. The consignee "day" receives four entries on
# 15 Mar 2021 in filing order: 350 + 300 = 650, then 250 takes the day to 900 (VAL002 from
# there), then 100 (1,000).
AUDITED: list[tuple[str, str, str, str, str, list[Line]]] = [
    (c[0], c[1], "08:00", c[2], c[0], c[4])
    for c in CASES
    if c[0] not in {"c23-diode-review-2025"}  # a 2025 arrival: the pair is tested above
] + [
    ("d1-day-350", "2021-03-15", "08:00", "air", "day", [(HANDBAG, "CN", "350.00", "1", "PCS")]),
    ("d2-day-300", "2021-03-15", "09:00", "air", "day", [(TEE, "VN", "300.00", "20", "DOZ")]),
    ("d3-day-250", "2021-03-15", "10:00", "air", "day", [(TEE, "CN", "250.00", "15", "DOZ")]),
    (
        "d4-day-100",
        "2021-03-15",
        "11:00",
        "air",
        "day",
        [(SUNGLASSES, "DE", "100.00", "1", "DOZ")],
    ),
    # $800.00 exactly is within the threshold; Section 301 goods were eligible (E8): not priced.
    ("e1-800.00-cn", "2021-05-05", "08:00", "air", "e1", [(HANDBAG, "CN", "800.00", "1", "PCS")]),
]

# Losses by hand of the entries priced (the CASES' figures, and the day's two: d3 250 x 16.5% =
# 41.25 + 4A 7.5% 18.75 + FY2021 2.18 = 62.18; d4 100 x 2% = 2.00 + 2.18 = 4.18).
AUDITED_LOSS = {c[0]: c[7] for c in CASES if c[0] != "c23-diode-review-2025"} | {
    "d3-day-250": "62.18",
    "d4-day-100": "4.18",
}


def _number(i: int) -> str:
    serial = f"{923200 + i:07d}"
    return f"B76-{serial}-{compute_check_digit('B76', serial)}"


NUMBERS = {name: _number(i) for i, (name, *_) in enumerate(AUDITED)}


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    columns = [
        c
        for c in CSV_COLUMNS
        if c not in {"importer_of_record", "pga_data", "order_reference", "additional_hts"}
    ]
    folder = tmp_path_factory.mktemp("s23h2")
    with (folder / "entries.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, columns)
        w.writeheader()
        for i, (name, day, time, mode, consignee, lines) in enumerate(AUDITED):
            for n, (hts, origin, value, qty, unit) in enumerate(lines, 1):
                w.writerow(
                    {
                        "entry_number": _number(i),
                        "entry_type": "86",
                        "arrival_date": day,
                        "filed_at": f"{day}T{time}:00",
                        "estimated_arrival_date": day,
                        "port_code": "4701",
                        "mode": mode,
                        "bill_of_lading": f"738-9{i:07d}",
                        "consignee_name": f"Consignee {consignee}",
                        "consignee_address": f"{20 + len(consignee)} Elm St",
                        "consignee_city": "Boston",
                        "consignee_state": "MA",
                        "consignee_postal_code": "02127",
                        "consignee_country": "US",
                        "seller_name": f"Seller {name} Ltd",
                        "seller_address": "1 Export Road",
                        "seller_country": lines[0][1],
                        "line_number": n,
                        "description": "goods of " + hts,
                        "hts_number": hts,
                        "country_of_origin": origin,
                        "value_usd": value,
                        "quantity": qty,
                        "quantity_unit": unit,
                        "gross_weight_kg": "1.0",
                    }
                )
    loaded = t86audit.load(folder / "entries.csv")
    assert loaded.rows_rejected == 0
    result = t86audit.audit(loaded, generated_at=dt.datetime(2026, 12, 8, tzinfo=dt.UTC))
    assert result.exposure is not None
    return result


def test_audit_prices_exactly_the_ineligible_entries_by_hand(report):
    got = {e.entry_number: e.loss_of_revenue_usd for e in report.exposure.entries}
    want = {
        NUMBERS[name]: (None if loss is None else D(loss)) for name, loss in AUDITED_LOSS.items()
    }
    assert got == want
    reasons = {e.entry_number: e.reasons for e in report.exposure.entries}
    assert reasons[NUMBERS["d3-day-250"]] == ("VAL002",)
    assert reasons[NUMBERS["d4-day-100"]] == ("VAL002",)
    for c in CASES:
        if c[0] in AUDITED_LOSS:
            assert reasons[NUMBERS[c[0]]] == tuple(sorted(c[3])), c[0]


def test_audit_penalty_ranges_by_hand(report):
    """Losses by hand (AUDITED_LOSS) sum to 9,972.81 over the 35 computable entries; the two
    Section 321 entries (500.00 and 300.00) lost none; the old number (900.00) is left out.

    negligence 2 x 9,972.81 = 19,945.62 + 20% x 800 = 160.00 -> 20,105.62; gross negligence
    39,891.24 + 320.00 -> 40,211.24; fraud: the computable entries' value 235,650.02 + 1,000.00
    (solar) - 900.00 (not computable) = 235,750.02, of which 800.00 without loss; its prior
    disclosure cap 9,972.81 + 10% x 800 = 10,052.81. No entry in 3-28 Aug 2025."""
    r = report.exposure.penalty_ranges
    assert (r.entries, r.computable_entries) == (37, 36)
    assert r.loss_of_revenue_usd == D("9972.81")
    assert r.prior_disclosure_tender_usd == D("9972.81")
    c = {k.culpability: k for k in r.ceilings}
    assert (c["negligence"].with_loss_usd, c["negligence"].without_loss_usd) == (
        D("19945.62"),
        D("160.00"),
    )
    assert c["negligence"].total_usd == D("20105.62")
    assert c["gross_negligence"].total_usd == D("40211.24")
    assert (c["fraud"].with_loss_usd, c["fraud"].without_loss_usd) == (
        D("234950.02"),
        D("800.00"),
    )
    assert c["fraud"].prior_disclosure_usd == D("10052.81")
    assert (r.s70531_entries, r.s70531_ceiling_usd) == (0, D("0.00"))
    per = {p.entry_number: p for p in r.per_entry}
    c08 = per[NUMBERS["c08-list3-25pct-in-transit-window"]]
    assert (c08.negligence_usd, c08.gross_negligence_usd, c08.fraud_usd) == (
        D("684.20"),
        D("1368.40"),
        D("1000.00"),
    )
    c09 = per[NUMBERS["c09-pretest-within-threshold"]]
    assert (c09.negligence_usd, c09.gross_negligence_usd) == (D("100.00"), D("200.00"))
    old = per[NUMBERS["c35-old-number-not-computable"]]
    assert (old.negligence_usd, old.fraud_usd) == (None, D("900.00"))
    # Fee-only entries: mail cosmetics (2.22 on 950.00), the German laptops (575.35 on
    # 200,000.00) and the solar cells (2.37 on 1,000.00): 579.94; 20% / 40% of 201,950.00.
    note = next(n for n in r.notes if "fees only" in n)
    assert "3 of the entries lost fees only (MPF/HMF, $579.94 in all)" in note
    assert "$40,390.00 negligence" in note
    assert "$80,780.00 gross negligence" in note


def test_prior_disclosure_interest_by_hand():
    """Case 12 (loss 274.18 from 5 May 2021), 3% a year to 4 Jun 2021, compounded daily:
    274.18 x ((1 + 0.03/365)^30 - 1) = 0.6769 -> 0.68; tender 274.86."""
    x = _estimate("2021-05-05", [(HANDBAG, "CN", "800.01", "1", "PCS")])
    rates = InterestRates(periods=((dt.date(2021, 1, 1), D(3)),), through=dt.date(2021, 6, 4))
    r = penalty_ranges([x], interest_rates=rates)
    assert r.interest_usd == D("0.68")
    assert r.prior_disclosure_tender_usd == D("274.86")
    assert r.per_entry[0].interest_usd == D("0.68")


def test_json_exposure_names_amounts_bases_dates_and_caveats(report):
    data = json.loads(report.to_json())["exposure"]
    entries = {e["entry_number"]: e for e in data["entries"]}
    c08 = entries[NUMBERS["c08-list3-25pct-in-transit-window"]]
    assert (c08["duty_usd"], c08["fees_usd"], c08["loss_of_revenue_usd"]) == (
        "340.00",
        "2.10",
        "342.10",
    )
    assert c08["penalty_ceilings"]["negligence_usd"] == "684.20"
    general, s301 = c08["lines"][0]["amounts"]
    assert (general["provision"], general["rate"], general["amount_usd"]) == (
        "HTSUS 4202.21.90 general rate",
        "9%",
        "90.00",
    )
    assert (s301["provision"], s301["rate"], s301["amount_usd"]) == (
        "Section 301 List 3 (9903.88.03)",
        "25%",
        "250.00",
    )
    assert s301["rate_date"] == "2019-05-20"
    assert s301["source"].endswith("[V]")
    assert "9903.88.09" in s301["note"]
    (mpf,) = c08["entry_amounts"]
    assert (mpf["provision"], mpf["amount_usd"], mpf["rate_date"]) == (
        "MPF informal (automated), FY2019",
        "2.10",
        "2019-05-20",
    )
    assert mpf["source"].endswith("[S]")
    c14 = entries[NUMBERS["c14-2500.01-formal-minimum"]]
    assert c14["entry_kind"] == "formal"
    fees = {a["provision"]: a for a in c14["entry_amounts"]}
    assert fees["MPF formal, FY2023"]["amount_usd"] == "29.66"
    assert fees["MPF formal, FY2023"]["note"] == "minimum applied"
    assert fees["HMF (vessel cargo)"]["amount_usd"] == "3.13"
    solar = entries[NUMBERS["c36-solar-2023-no-list-row"]]
    assert solar["not_estimated"] == ["Section 301 List 1-4A duty before the four-year review"]
    assert "UNVERIFIED" in solar["lines"][0]["amounts"][1]["note"]
    mask = entries[NUMBERS["c29-mask-2021-exception-unverified"]]
    assert "UNVERIFIED" in mask["lines"][0]["amounts"][1]["note"]
    old = entries[NUMBERS["c35-old-number-not-computable"]]
    assert (old["computable"], old["loss_of_revenue_usd"]) == (False, None)
    assert "not in the HTSUS snapshot" in old["not_computable_reason"]
    totals = data["totals"]
    assert totals["loss_of_revenue_usd"] == "9972.81"
    assert totals["entered_value_usd"] == "236650.02"


def test_text_report_gives_the_caveats_of_these_entries(report):
    text = report.to_text()
    section = text[text.index("Exposure\n") :]
    assert "Loss of revenue      $9,972.81" in section
    assert "9903.88.09" in section  # the in-transit rate of 2019
    assert "Section 301 List 1-4A duty before the four-year review: not estimated" in section
    assert "probably dates from the 2024 review" in section
    assert "$40,390.00 negligence" in section


def test_rates_before_2025_say_they_are_the_2025_schedules():
    """No 2019-2024 edition is bundled (shared data README, section 5): a general rate applied
    to a 2021 arrival says it is the 2025 snapshot's and not verified for that date; a 2025
    arrival's does not."""
    x = _estimate("2021-05-05", [(HANDBAG, "CN", "800.01", "1", "PCS")])
    general = x.lines[0].amounts[0]
    assert general.amount_usd == D("72.00")
    assert "HTSUS snapshot of 2025-05-26" in general.note
    assert "not verified" in general.note
    ru = _estimate("2022-05-02", [(HANDBAG, "RU", "1000.00", "1", "PCS")]).lines[0].amounts[0]
    assert "HTSUS snapshot of 2025-05-26" in ru.note
    assert "column 2 rate" in ru.note
    y = _estimate("2025-01-02", [(DIODE, "CN", "1000.00", "500", "NO")])
    assert y.lines[0].amounts[0].note == ""


def test_text_report_says_the_snapshot_caveat_once(report):
    text = report.to_text()
    section = text[text.index("Exposure\n") :]
    # 37 priced entries, less the two on the Section 321 basis and the one not computable.
    assert "For 34 of these entries, arriving before 2025" in " ".join(section.split())
    assert "general rate: rate as printed" not in section
    assert "column 2 rate: products of RU" in section


def test_an_arrival_before_the_first_mpf_year_is_not_computable():
    """15 Sep 2018, before the test and before List 3 began (24 Sep 2018), $1,000 over the
    threshold: 9% = 90.00 and no Section 301; the MPF table starts with FY2019 (1 Oct 2018;
    the FY2018 informal fee is disputed, $2.00 or $2.05), so the loss is not computable and
    says why rather than counting the fee as zero."""
    x = _estimate("2018-09-15", [(HANDBAG, "CN", "1000.00", "1", "PCS")], ("ELG001", "VAL001"))
    assert x.duty_usd == D("90.00")
    assert [a.provision for a in x.lines[0].amounts] == ["HTSUS 4202.21.90 general rate"]
    assert x.loss_of_revenue_usd is None
    assert "a fee could not be computed" in x.not_computable_reason
    assert x.entry_amounts[0].note == "no MPF row covers 2018-09-15"
