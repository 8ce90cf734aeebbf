"""Exposure figures worked out by hand from the shared public sources, independently of the code.

Every expected amount below was computed by hand (value x rate, rounded half up to the cent)
before the library was run, from these rows of ``../shared/data`` (the project's reference data,
from which ``src/t86audit/data/duties`` is built):

* general rates: ``hts/htsus_2025_snapshot.csv`` (4202.21.90.00 9%, 6109.10.00 16.5%,
  6404.11.90 20%, 0406.10.08.00 $1.509/kg, 9609.10.00.00 14¢/gross + 4.3%, 6502.00.20.00
  34¢/doz. + 3.4%, 6307.90.98 7%, 8507.60.00 3.4%, 3910.00.00.00 3%, 8541.10.00, 8541.41.00.00,
  8517.13.00.00, 8471.30.01.00 and 9018.31.00 Free);
* Section 301: ``duties/section301_hts.csv`` (4202.21.90 List 3 9903.88.03; 6109.10.00,
  9609.10.00, 8507.60.00 and 6307.90.98 List 4A 9903.88.15, 15% to 2020-02-13 then 7.5%, the
  6307.90.98 item excepting .9842/.9844/.9850/.9870/.9875; 6307.90.9870 alone under 9903.91.04
  25% in 2025; 8541.10.00 List 2 to 2024-12-31 then 9903.91.05 50%; 9018.31.00 9903.91.03 100%;
  8541.41.00 List 1; 3910.00.00 List 2) and ``duties/section301_rate_periods.csv`` (List 3 10%
  2018-09-24..2019-05-09, 25% from 2019-05-10);
* IEEPA: ``duties/ieepa_2025.csv`` (rows named by heading in each case) and
  ``duties/ieepa_annex2_exempt.csv`` (8471, 8517.13.00, 8541.10.00 from 2025-04-05; 3910.00.00
  to 2025-09-07; 8541.41.00 from 2025-09-08; chapter 04 UNVERIFIED, so charged);
* fees: ``duties/mpf_by_fiscal_year.csv`` (informal automated FY2019 $2.10, FY2020 $2.14, FY2024
  $2.53, FY2025 $2.62, FY2026 $2.69; formal 0.3464% with min/max FY2024 $31.67/$614.35, FY2025
  $32.71/$634.62, FY2026 $33.58/$651.50) and ``duties/other_fees.csv`` (HMF 0.125%, vessel).

Penalty figures follow docs/estimating-exposure.md ("Penalty ranges"): 2x and 4x the loss,
the entered value for fraud, $5,000 then $10,000 under P.L. 119-21 s.70531 for 3-28 Aug 2025.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from decimal import Decimal as D  # noqa: N817

import pytest

import t86audit
from t86audit.exposure import EntryExposure, estimate_entry
from t86audit.model import Entry, LineItem, compute_check_digit
from t86audit.reference import AdcvdTable
from t86audit.refset import ReferenceSet
from t86audit.testing import CSV_COLUMNS


Line = tuple[str, str, str, str, str]
"""A line: HTS number, origin, value, quantity, quantity unit."""

HANDBAG = "4202.21.90.00"
TEE = "6109.10.00.40"
SHOES = "6404.11.90.20"


def _key(provision: str) -> str:
    """'general' for the column 1 rate, else the chapter 99 heading the amount names."""
    if provision.startswith("HTSUS"):
        return "general"
    found = re.search(r"\((99\d\d\.\d\d\.\d\d)\)", provision)
    return found.group(1) if found else provision


def _estimate(day: str, lines: list[Line], mode: str = "air") -> EntryExposure:
    entry = Entry(
        "B76-0324527-8",
        dt.date.fromisoformat(day),
        mode=mode,
        lines=[
            LineItem(
                n,
                hts_number=hts,
                country_of_origin=origin,
                value_usd=D(value),
                quantity=D(qty),
                quantity_unit=unit,
            )
            for n, (hts, origin, value, qty, unit) in enumerate(lines, 1)
        ],
    )
    return estimate_entry(entry, ["VAL001"])


Pairs = list[tuple[str, str]]
Case = tuple[str, str, str, list[Line], list[Pairs], Pairs, str]
"""id, arrival, mode, lines, per-line [(key, amount)], entry fees [(kind, amount)], loss."""

CASES: list[Case] = [
    # (a) China after the 2 May 2025 gate: 9% 45.00; List 3 25% 125.00; fentanyl 9903.01.24 20%
    # 100.00; reciprocal 9903.01.63 125% (2025-04-10..05-13) 625.00; FY2025 MPF $2.62.
    (
        "cn-2025-05-02",
        "2025-05-02",
        "air",
        [(HANDBAG, "CN", "500.00", "1", "PCS")],
        [
            [
                ("general", "45.00"),
                ("9903.88.03", "125.00"),
                ("9903.01.24", "100.00"),
                ("9903.01.63", "625.00"),
            ]
        ],
        [("MPF", "2.62")],
        "897.62",
    ),
    # (b) the same goods on 1 May 2025 (over $800, so VAL001): same rows; $900 x 9/25/20/125%.
    (
        "cn-2025-05-01",
        "2025-05-01",
        "air",
        [(HANDBAG, "CN", "900.00", "1", "PCS")],
        [
            [
                ("general", "81.00"),
                ("9903.88.03", "225.00"),
                ("9903.01.24", "180.00"),
                ("9903.01.63", "1125.00"),
            ]
        ],
        [("MPF", "2.62")],
        "1613.62",
    ),
    # China 9 Apr 2025: reciprocal 84% (9903.01.63, 9 Apr only) 756.00.
    (
        "cn-2025-04-09",
        "2025-04-09",
        "air",
        [(HANDBAG, "CN", "900.00", "1", "PCS")],
        [
            [
                ("general", "81.00"),
                ("9903.88.03", "225.00"),
                ("9903.01.24", "180.00"),
                ("9903.01.63", "756.00"),
            ]
        ],
        [("MPF", "2.62")],
        "1244.62",
    ),
    # China 7 Apr 2025: the 10% baseline 9903.01.25 (from 2025-04-05; China's own row from 9 Apr).
    (
        "cn-2025-04-07",
        "2025-04-07",
        "air",
        [(HANDBAG, "CN", "900.00", "1", "PCS")],
        [
            [
                ("general", "81.00"),
                ("9903.88.03", "225.00"),
                ("9903.01.24", "180.00"),
                ("9903.01.25", "90.00"),
            ]
        ],
        [("MPF", "2.62")],
        "578.62",
    ),
    # China 14 May 2025: reciprocal back to 10% (9903.01.25 row of reciprocal_china from 05-14).
    (
        "cn-2025-05-14",
        "2025-05-14",
        "air",
        [(HANDBAG, "CN", "500.00", "1", "PCS")],
        [
            [
                ("general", "45.00"),
                ("9903.88.03", "125.00"),
                ("9903.01.24", "100.00"),
                ("9903.01.25", "50.00"),
            ]
        ],
        [("MPF", "2.62")],
        "322.62",
    ),
    # China 5 Feb 2025 (first gate): fentanyl 9903.01.20 10%; no reciprocal before 5 Apr.
    (
        "cn-2025-02-05",
        "2025-02-05",
        "air",
        [(HANDBAG, "CN", "300.00", "1", "PCS")],
        [[("general", "27.00"), ("9903.88.03", "75.00"), ("9903.01.20", "30.00")]],
        [("MPF", "2.62")],
        "134.62",
    ),
    # Fentanyl step: 10% on 3 Mar 2025 (9903.01.20 to 03-03), 20% on 4 Mar (9903.01.24).
    (
        "cn-2025-03-03",
        "2025-03-03",
        "air",
        [(HANDBAG, "CN", "900.00", "1", "PCS")],
        [[("general", "81.00"), ("9903.88.03", "225.00"), ("9903.01.20", "90.00")]],
        [("MPF", "2.62")],
        "398.62",
    ),
    (
        "cn-2025-03-04",
        "2025-03-04",
        "air",
        [(HANDBAG, "CN", "900.00", "1", "PCS")],
        [[("general", "81.00"), ("9903.88.03", "225.00"), ("9903.01.24", "180.00")]],
        [("MPF", "2.62")],
        "488.62",
    ),
    # China 12 Nov 2025: fentanyl 10% again (9903.01.24 from 11-10); China's 10% row ends 11-09,
    # so the baseline 9903.01.25 10% applies (the 34% row never took effect); FY2026 MPF.
    (
        "cn-2025-11-12",
        "2025-11-12",
        "air",
        [(HANDBAG, "CN", "300.00", "1", "PCS")],
        [
            [
                ("general", "27.00"),
                ("9903.88.03", "75.00"),
                ("9903.01.24", "30.00"),
                ("9903.01.25", "30.00"),
            ]
        ],
        [("MPF", "2.69")],
        "164.69",
    ),
    # Smartphones: Free; no Section 301 row (List 4B never in force); fentanyl 140.00; Annex II
    # (8517.13.00 from 2025-04-05) exempts from the reciprocal duty only.
    (
        "cn-phone",
        "2025-05-02",
        "air",
        [("8517.13.00.00", "CN", "700.00", "1", "PCS")],
        [[("general", "0.00"), ("9903.01.24", "140.00"), ("9903.01.63", "0.00")]],
        [("MPF", "2.62")],
        "142.62",
    ),
    # Laptops: Annex II lists the heading 8471 (4-digit) from 2025-04-05.
    (
        "cn-laptop",
        "2025-06-01",
        "air",
        [("8471.30.01.00", "CN", "700.00", "1", "PCS")],
        [[("general", "0.00"), ("9903.01.24", "140.00"), ("9903.01.25", "0.00")]],
        [("MPF", "2.62")],
        "142.62",
    ),
    # Diodes 8541.10.00: List 2 25% to 2024-12-31, then 9903.91.05 50% (replaces it); Annex II.
    (
        "cn-diodes-2024",
        "2024-12-31",
        "air",
        [("8541.10.00.80", "CN", "900.00", "1000", "PCS")],
        [[("general", "0.00"), ("9903.88.02", "225.00")]],
        [("MPF", "2.62")],
        "227.62",
    ),
    (
        "cn-diodes-2025",
        "2025-05-20",
        "air",
        [("8541.10.00.80", "CN", "500.00", "1000", "PCS")],
        [
            [
                ("general", "0.00"),
                ("9903.91.05", "250.00"),
                ("9903.01.24", "100.00"),
                ("9903.01.25", "0.00"),
            ]
        ],
        [("MPF", "2.62")],
        "352.62",
    ),
    # Syringes 9018.31.00: 9903.91.03 100% from 2024-09-27.
    (
        "cn-syringes",
        "2024-10-15",
        "air",
        [("9018.31.00.40", "CN", "900.00", "1000", "PCS")],
        [[("general", "0.00"), ("9903.91.03", "900.00")]],
        [("MPF", "2.62")],
        "902.62",
    ),
    # LEDs 8541.41.00 (List 1 25%): Annex II only from 2025-09-08, so charged on 1 Jun, not 10 Sep.
    (
        "cn-led-jun",
        "2025-06-01",
        "air",
        [("8541.41.00.00", "CN", "500.00", "100", "PCS")],
        [
            [
                ("general", "0.00"),
                ("9903.88.01", "125.00"),
                ("9903.01.24", "100.00"),
                ("9903.01.25", "50.00"),
            ]
        ],
        [("MPF", "2.62")],
        "277.62",
    ),
    (
        "cn-led-sep",
        "2025-09-10",
        "air",
        [("8541.41.00.00", "CN", "500.00", "100", "PCS")],
        [
            [
                ("general", "0.00"),
                ("9903.88.01", "125.00"),
                ("9903.01.24", "100.00"),
                ("9903.01.25", "0.00"),
            ]
        ],
        [("MPF", "2.62")],
        "227.62",
    ),
    # Silicones 3910.00.00 (3%, List 2): Annex II to 2025-09-07, removed from 09-08.
    (
        "cn-silicone-0905",
        "2025-09-05",
        "air",
        [("3910.00.00.00", "CN", "500.00", "10", "KG")],
        [
            [
                ("general", "15.00"),
                ("9903.88.02", "125.00"),
                ("9903.01.24", "100.00"),
                ("9903.01.25", "0.00"),
            ]
        ],
        [("MPF", "2.62")],
        "242.62",
    ),
    (
        "cn-silicone-0908",
        "2025-09-08",
        "air",
        [("3910.00.00.00", "CN", "500.00", "10", "KG")],
        [
            [
                ("general", "15.00"),
                ("9903.88.02", "125.00"),
                ("9903.01.24", "100.00"),
                ("9903.01.25", "50.00"),
            ]
        ],
        [("MPF", "2.62")],
        "292.62",
    ),
    # Disposable textile face masks 6307.90.9870: excepted from List 4A; 9903.91.04 25% in 2025.
    (
        "cn-masks-9870",
        "2025-06-01",
        "air",
        [("6307.90.98.70", "CN", "500.00", "100", "PCS")],
        [
            [
                ("general", "35.00"),
                ("9903.91.04", "125.00"),
                ("9903.01.24", "100.00"),
                ("9903.01.25", "50.00"),
            ]
        ],
        [("MPF", "2.62")],
        "312.62",
    ),
    # Other made-up textile articles 6307.90.9891: 9903.91.04 names only 6307.90.9870, so it
    # does not apply; List 4A 7.5% (the footnote-only 9903.91.01 row is UNVERIFIED and gives way).
    (
        "cn-textile-9891",
        "2025-06-01",
        "air",
        [("6307.90.98.91", "CN", "500.00", "100", "PCS")],
        [
            [
                ("general", "35.00"),
                ("9903.88.15", "37.50"),
                ("9903.01.24", "100.00"),
                ("9903.01.25", "50.00"),
            ]
        ],
        [("MPF", "2.62")],
        "225.12",
    ),
    # Lithium-ion batteries 8507.60.00: List 4A 7.5% (verified) over the UNVERIFIED 9903.91.01.
    (
        "cn-batteries",
        "2025-06-01",
        "air",
        [("8507.60.00.20", "CN", "500.00", "10", "PCS")],
        [
            [
                ("general", "17.00"),
                ("9903.88.15", "37.50"),
                ("9903.01.24", "100.00"),
                ("9903.01.25", "50.00"),
            ]
        ],
        [("MPF", "2.62")],
        "207.12",
    ),
    # List 4A: 15% to 13 Feb 2020, 7.5% from 14 Feb 2020; FY2020 MPF $2.14.
    (
        "cn-4a-2020-02-13",
        "2020-02-13",
        "air",
        [(TEE, "CN", "900.00", "60", "PCS")],
        [[("general", "148.50"), ("9903.88.15", "135.00")]],
        [("MPF", "2.14")],
        "285.64",
    ),
    (
        "cn-4a-2020-02-14",
        "2020-02-14",
        "air",
        [(TEE, "CN", "900.00", "60", "PCS")],
        [[("general", "148.50"), ("9903.88.15", "67.50")]],
        [("MPF", "2.14")],
        "218.14",
    ),
    # List 3 before the T86 test (ELG001): 10% to 9 May 2019, 25% from 10 May 2019
    # (section301_rate_periods.csv rows 9903.88.03); FY2019 MPF $2.10.
    (
        "cn-list3-2019-05-09",
        "2019-05-09",
        "air",
        [(HANDBAG, "CN", "900.00", "1", "PCS")],
        [[("general", "81.00"), ("9903.88.03", "90.00")]],
        [("MPF", "2.10")],
        "173.10",
    ),
    (
        "cn-list3-2018-10-01",
        "2018-10-01",
        "air",
        [(HANDBAG, "CN", "900.00", "1", "PCS")],
        [[("general", "81.00"), ("9903.88.03", "90.00")]],
        [("MPF", "2.10")],
        "173.10",
    ),
    (
        "cn-list3-2019-05-10",
        "2019-05-10",
        "air",
        [(HANDBAG, "CN", "900.00", "1", "PCS")],
        [[("general", "81.00"), ("9903.88.03", "225.00")]],
        [("MPF", "2.10")],
        "308.10",
    ),
    # (c) Hong Kong: no Section 301; fentanyl 20% 60.00; reciprocal 10% (from 14 May) 30.00.
    (
        "hk-2025-06-10",
        "2025-06-10",
        "air",
        [(TEE, "HK", "300.00", "12", "PCS")],
        [[("general", "49.50"), ("9903.01.24", "60.00"), ("9903.01.25", "30.00")]],
        [("MPF", "2.62")],
        "142.12",
    ),
    # Hong Kong on 2 May 2025: 148.50 + fentanyl 180.00 + 125% 1,125.00.
    (
        "hk-2025-05-02",
        "2025-05-02",
        "air",
        [(TEE, "HK", "900.00", "60", "PCS")],
        [[("general", "148.50"), ("9903.01.24", "180.00"), ("9903.01.63", "1125.00")]],
        [("MPF", "2.62")],
        "1456.12",
    ),
    # Macau: the China reciprocal rows cover MO (125% on 10 Apr); no fentanyl (CN|HK), no 301.
    (
        "mo-2025-04-10",
        "2025-04-10",
        "air",
        [(HANDBAG, "MO", "900.00", "1", "PCS")],
        [[("general", "81.00"), ("9903.01.63", "1125.00")]],
        [("MPF", "2.62")],
        "1208.62",
    ),
    # (d) After 29 Aug 2025, non-China: Vietnam 9903.02.69 20%.
    (
        "vn-2025-09-02",
        "2025-09-02",
        "air",
        [(SHOES, "VN", "400.00", "4", "PRS")],
        [[("general", "80.00"), ("9903.02.69", "80.00")]],
        [("MPF", "2.62")],
        "162.62",
    ),
    # EU floor 9903.02.20: 15% less the 9% general rate = 6% (36.00).
    (
        "it-2025-09-15",
        "2025-09-15",
        "air",
        [(HANDBAG, "IT", "600.00", "1", "PCS")],
        [[("general", "54.00"), ("9903.02.20", "36.00")]],
        [("MPF", "2.62")],
        "92.62",
    ),
    # EU, general rate 16.5% >= 15%: 9903.02.19, no additional duty; 1 Oct 2025 is FY2026.
    (
        "de-2025-10-01",
        "2025-10-01",
        "air",
        [(TEE, "DE", "600.00", "24", "PCS")],
        [[("general", "99.00"), ("9903.02.19", "0.00")]],
        [("MPF", "2.69")],
        "101.69",
    ),
    # EU floor on a specific rate: $1.509/kg x 2 kg = 3.02 (3.018% of value); top-up to 15% 11.98.
    (
        "fr-cheese-2025-09-10",
        "2025-09-10",
        "air",
        [("0406.10.08.00", "FR", "100.00", "2", "KG")],
        [[("general", "3.02"), ("9903.02.20", "11.98")]],
        [("MPF", "2.62")],
        "17.62",
    ),
    # India after 27 Aug 2025: 9903.01.84 25% and reciprocal 9903.02.26 25%.
    (
        "in-2025-09-01",
        "2025-09-01",
        "air",
        [(TEE, "IN", "200.00", "12", "PCS")],
        [[("general", "33.00"), ("9903.01.84", "50.00"), ("9903.02.26", "50.00")]],
        [("MPF", "2.62")],
        "135.62",
    ),
    # Vietnam on 9 Apr 2025 only: 46% (9903.01.72); 10 Apr: 10% baseline.
    (
        "vn-2025-04-09",
        "2025-04-09",
        "air",
        [(TEE, "VN", "900.00", "60", "PCS")],
        [[("general", "148.50"), ("9903.01.72", "414.00")]],
        [("MPF", "2.62")],
        "565.12",
    ),
    (
        "vn-2025-04-10",
        "2025-04-10",
        "air",
        [(TEE, "VN", "900.00", "60", "PCS")],
        [[("general", "148.50"), ("9903.01.25", "90.00")]],
        [("MPF", "2.62")],
        "241.12",
    ),
    # Germany on 9 Apr 2025: EU 20% (9903.01.50).
    (
        "de-2025-04-09",
        "2025-04-09",
        "air",
        [(TEE, "DE", "900.00", "60", "PCS")],
        [[("general", "148.50"), ("9903.01.50", "180.00")]],
        [("MPF", "2.62")],
        "331.12",
    ),
    # Canada: nothing on 3 Mar 2025 (paused to 4 Mar); 35% (9903.01.10) from 1 Aug; no reciprocal.
    (
        "ca-2025-03-03",
        "2025-03-03",
        "air",
        [(TEE, "CA", "900.00", "60", "PCS")],
        [[("general", "148.50")]],
        [("MPF", "2.62")],
        "151.12",
    ),
    (
        "ca-2025-08-05",
        "2025-08-05",
        "air",
        [(TEE, "CA", "900.00", "60", "PCS")],
        [[("general", "148.50"), ("9903.01.10", "315.00")]],
        [("MPF", "2.62")],
        "466.12",
    ),
    # Mexico 25% (9903.01.01) from 4 Mar 2025; no reciprocal.
    (
        "mx-2025-03-10",
        "2025-03-10",
        "air",
        [(TEE, "MX", "900.00", "60", "PCS")],
        [[("general", "148.50"), ("9903.01.01", "225.00")]],
        [("MPF", "2.62")],
        "376.12",
    ),
    # Brazil 6 Aug 2025: +40% (9903.01.77) and the baseline (Brazil's own 10% row starts 7 Aug).
    (
        "br-2025-08-06",
        "2025-08-06",
        "air",
        [(SHOES, "BR", "900.00", "9", "PRS")],
        [[("general", "180.00"), ("9903.01.77", "360.00"), ("9903.01.25", "90.00")]],
        [("MPF", "2.62")],
        "632.62",
    ),
    (
        "br-2025-08-20",
        "2025-08-20",
        "air",
        [(SHOES, "BR", "900.00", "9", "PRS")],
        [[("general", "180.00"), ("9903.01.77", "360.00"), ("9903.02.09", "90.00")]],
        [("MPF", "2.62")],
        "632.62",
    ),
    # Japan from 7 Aug 2025: the 15% floor heading 9903.02.73 (9% general, 6% top-up).
    (
        "jp-2025-08-15",
        "2025-08-15",
        "air",
        [(HANDBAG, "JP", "900.00", "1", "PCS")],
        [[("general", "81.00"), ("9903.02.73", "54.00")]],
        [("MPF", "2.62")],
        "137.62",
    ),
    # Switzerland 39% (9903.02.58), United Kingdom 10% (9903.02.66) from 7 Aug 2025.
    (
        "ch-2025-08-10",
        "2025-08-10",
        "air",
        [(TEE, "CH", "900.00", "60", "PCS")],
        [[("general", "148.50"), ("9903.02.58", "351.00")]],
        [("MPF", "2.62")],
        "502.12",
    ),
    (
        "gb-2025-08-28",
        "2025-08-28",
        "air",
        [(TEE, "GB", "900.00", "60", "PCS")],
        [[("general", "148.50"), ("9903.02.66", "90.00")]],
        [("MPF", "2.62")],
        "241.12",
    ),
    # (e)/(f) Formal entries: $3,000 x 0.3464% = 10.39, below the minimum: FY2024 on
    # 30 Sep 2024 ($31.67), FY2025 on 1 Oct 2024 ($32.71).
    (
        "formal-min-fy2024",
        "2024-09-30",
        "air",
        [(SHOES, "VN", "3000.00", "30", "PRS")],
        [[("general", "600.00")]],
        [("MPF", "31.67")],
        "631.67",
    ),
    (
        "formal-min-fy2025",
        "2024-10-01",
        "air",
        [(SHOES, "VN", "3000.00", "30", "PRS")],
        [[("general", "600.00")]],
        [("MPF", "32.71")],
        "632.71",
    ),
    # $180,000 x 0.3464% = 623.52, above the FY2024 maximum $614.35.
    (
        "formal-max-fy2024",
        "2024-06-03",
        "air",
        [(TEE, "VN", "180000.00", "12000", "PCS")],
        [[("general", "29700.00")]],
        [("MPF", "614.35")],
        "30314.35",
    ),
    # $2,500.00 is informal; $2,500.01 formal (8.66 -> minimum $32.71); $10,000 -> $34.64.
    (
        "informal-2500",
        "2025-01-15",
        "air",
        [(TEE, "VN", "2500.00", "200", "PCS")],
        [[("general", "412.50")]],
        [("MPF", "2.62")],
        "415.12",
    ),
    (
        "formal-2500.01",
        "2025-01-15",
        "air",
        [(TEE, "VN", "2500.01", "200", "PCS")],
        [[("general", "412.50")]],
        [("MPF", "32.71")],
        "445.21",
    ),
    (
        "formal-10000",
        "2025-01-15",
        "air",
        [(TEE, "VN", "10000.00", "800", "PCS")],
        [[("general", "1650.00")]],
        [("MPF", "34.64")],
        "1684.64",
    ),
    # FY2026 formal: $20,000 x 0.3464% = 69.28; Vietnam 20% 4,000.00.
    (
        "formal-fy2026",
        "2025-10-15",
        "air",
        [(TEE, "VN", "20000.00", "1600", "PCS")],
        [[("general", "3300.00"), ("9903.02.69", "4000.00")]],
        [("MPF", "69.28")],
        "7369.28",
    ),
    # Rounding half up: 12,345.67 x 16.5% = 2,037.03555 -> 2,037.04; x 0.3464% = 42.7654 -> 42.77.
    (
        "formal-rounding",
        "2024-06-03",
        "air",
        [(TEE, "VN", "12345.67", "1000", "PCS")],
        [[("general", "2037.04")]],
        [("MPF", "42.77")],
        "2079.81",
    ),
    # (g) HMF 0.125% on vessel cargo only: $1,000 -> 1.25 (ocean); none by air.
    (
        "hmf-ocean",
        "2024-06-03",
        "ocean",
        [(TEE, "VN", "1000.00", "80", "PCS")],
        [[("general", "165.00")]],
        [("MPF", "2.53"), ("HMF", "1.25")],
        "168.78",
    ),
    (
        "hmf-air",
        "2024-06-03",
        "air",
        [(TEE, "VN", "1000.00", "80", "PCS")],
        [[("general", "165.00")]],
        [("MPF", "2.53")],
        "167.53",
    ),
    # 1,234.56: duty 203.7024 -> 203.70; HMF 1.5432 -> 1.54.
    (
        "hmf-rounding",
        "2024-06-03",
        "ocean",
        [(TEE, "VN", "1234.56", "100", "PCS")],
        [[("general", "203.70")]],
        [("MPF", "2.53"), ("HMF", "1.54")],
        "207.77",
    ),
    # 30 Sep 2025 by sea: FY2025's last day; HMF 0.50 on $400.
    (
        "hmf-fy2025-last-day",
        "2025-09-30",
        "ocean",
        [(SHOES, "VN", "400.00", "4", "PRS")],
        [[("general", "80.00"), ("9903.02.69", "80.00")]],
        [("MPF", "2.62"), ("HMF", "0.50")],
        "163.12",
    ),
    # Formal, vessel, two origins: MPF 692.80 capped at 614.35; HMF on $200,000 = 250.00.
    (
        "formal-ocean-two-origins",
        "2024-06-03",
        "ocean",
        [(TEE, "VN", "100000.00", "8000", "PCS"), (HANDBAG, "CN", "100000.00", "1000", "PCS")],
        [[("general", "16500.00")], [("general", "9000.00"), ("9903.88.03", "25000.00")]],
        [("MPF", "614.35"), ("HMF", "250.00")],
        "51364.35",
    ),
    # (h) Tariff-rate quota cheese, over-quota line: $1.509/kg x 2 kg = 3.018 -> 3.02; baseline
    # 10% (Annex II chapter 04 rows UNVERIFIED: charged).
    (
        "quota-cheese",
        "2025-06-01",
        "air",
        [("0406.10.08.00", "FR", "100.00", "2", "KG")],
        [[("general", "3.02"), ("9903.01.25", "10.00")]],
        [("MPF", "2.62")],
        "15.64",
    ),
    # Compound rate by the dozen: 30 pieces = 2.5 doz x 34¢ = 0.85, + 3.4% of 900 = 30.60.
    (
        "compound-per-dozen",
        "2024-06-03",
        "air",
        [("6502.00.20.00", "VN", "900.00", "30", "PCS")],
        [[("general", "31.45")]],
        [("MPF", "2.53")],
        "33.98",
    ),
    # (j) Three origins on one entry, 10 Jun 2025: CN 66 + 4A 30 + fentanyl 80 + 10% 40 = 216.00;
    # VN 49.50 + 30 = 79.50; HK 18 + fentanyl 40 + 10% 20 = 78.00.
    (
        "three-origins",
        "2025-06-10",
        "air",
        [
            (TEE, "CN", "400.00", "24", "PCS"),
            (TEE, "VN", "300.00", "24", "PCS"),
            (HANDBAG, "HK", "200.00", "1", "PCS"),
        ],
        [
            [
                ("general", "66.00"),
                ("9903.88.15", "30.00"),
                ("9903.01.24", "80.00"),
                ("9903.01.25", "40.00"),
            ],
            [("general", "49.50"), ("9903.01.25", "30.00")],
            [("general", "18.00"), ("9903.01.24", "40.00"), ("9903.01.25", "20.00")],
        ],
        [("MPF", "2.62")],
        "376.12",
    ),
]


@pytest.mark.parametrize(
    ("day", "mode", "lines", "want_lines", "want_fees", "loss"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_hand_computed_entry(day, mode, lines, want_lines, want_fees, loss):
    x = _estimate(day, lines, mode)

    got_lines = [[(_key(a.provision), a.amount_usd) for a in ln.amounts] for ln in x.lines]
    assert got_lines == [[(k, D(v)) for k, v in ln] for ln in want_lines]
    got_fees = [(a.provision.split()[0], a.amount_usd) for a in x.entry_amounts]
    assert got_fees == [(k, D(v)) for k, v in want_fees]
    assert x.loss_of_revenue_usd == D(loss)
    duty = sum((D(v) for ln in want_lines for _, v in ln), D(0))
    assert x.duty_usd == duty


def test_ten_digit_row_applies_to_a_number_filed_at_eight_digits_as_a_partial_item():
    """6307.90.98 filed without its statistical suffix on 1 Jun 2025: 9903.91.04 (named for
    6307.90.9870 only) may cover it, so the highest rate in force is charged and said to be a
    partial item: $500 x 25% = 125.00 (List 4A 7.5% named in the note)."""
    x = _estimate("2025-06-01", [("6307.90.98", "CN", "500.00", "100", "PCS")])
    s301 = x.lines[0].amounts[1]
    assert (_key(s301.provision), s301.amount_usd) == ("9903.91.04", D("125.00"))
    assert "partial item" in s301.note
    assert "9903.88.15" in s301.note


def test_pre_window_list3_rate_says_where_it_comes_from():
    x = _estimate("2019-05-09", [(HANDBAG, "CN", "900.00", "1", "PCS")])
    assert "2018-09-24 to 2019-05-09" in x.lines[0].amounts[1].note


# --- the whole audit: which entries are ineligible, AD/CVD, penalty ceilings ------------------

# id, arrival, lines, loss (hand-computed above or here). Every entry has its own consignee.
AUDITED: list[tuple[str, str, list[Line], str | None]] = [
    ("cn-gate", "2025-05-02", [(HANDBAG, "CN", "500.00", "1", "PCS")], "897.62"),  # ELG003
    ("cn-over-800", "2025-05-01", [(HANDBAG, "CN", "900.00", "1", "PCS")], "1613.62"),  # VAL001
    ("cn-eligible", "2025-05-01", [(HANDBAG, "CN", "500.00", "1", "PCS")], None),  # no finding
    ("vn-closed", "2025-09-02", [(SHOES, "VN", "400.00", "4", "PRS")], "162.62"),  # ELG002
    # (i) AD/CVD (pencils, A-570-827 confirmed by the user's table, ELG010): 14¢/gross x 10
    # gross (1,440 pieces) = 1.40 + 4.3% of 500 = 21.50; List 4A 7.5% 37.50; goods of a
    # confirmed AD/CVD scope were entered formally (type 03), so the formal MPF's FY2024
    # minimum 31.67 (0.3464% of 500 is 1.73); the AD/CVD deposit is named, not estimated.
    ("cn-pencils", "2024-08-01", [("9609.10.00.00", "CN", "500.00", "1440", "PCS")], "92.07"),
    # Quota goods needed a formal entry whatever their value (T86 FAQ, reference E2): duty
    # 3.02 + 10.00 as above, and the formal MPF's FY2025 minimum 32.71 (0.3464% of 100 is 0.35).
    ("quota", "2025-06-01", [("0406.10.08.00", "FR", "100.00", "2", "KG")], "45.73"),  # ELG011
    ("ca-aug", "2025-08-05", [(TEE, "CA", "900.00", "60", "PCS")], "466.12"),
    ("jp-aug", "2025-08-15", [(HANDBAG, "JP", "900.00", "1", "PCS")], "137.62"),
    ("br-aug", "2025-08-20", [(SHOES, "BR", "900.00", "9", "PRS")], "632.62"),
    ("gb-aug-02", "2025-08-02", [(TEE, "GB", "900.00", "60", "PCS")], "241.12"),
]

_COLUMNS = [
    c
    for c in CSV_COLUMNS
    if c not in {"importer_of_record", "pga_data", "order_reference", "additional_hts"}
]


def _number(i: int) -> str:
    serial = f"{900100 + i:07d}"
    return f"B76-{serial}-{compute_check_digit('B76', serial)}"


@pytest.fixture(scope="module")
def audited(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hand")
    with (folder / "entries.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, _COLUMNS)
        w.writeheader()
        for i, (name, day, lines, _) in enumerate(AUDITED):
            for n, (hts, origin, value, qty, unit) in enumerate(lines, 1):
                w.writerow(
                    {
                        "entry_number": _number(i),
                        "entry_type": "86",
                        "arrival_date": day,
                        "filed_at": f"{day}T08:00:00",
                        "estimated_arrival_date": day,
                        "port_code": "4701",
                        "mode": "air",
                        "bill_of_lading": f"738-9{i:07d}",
                        "consignee_name": f"Consignee {name}",
                        "consignee_address": f"{10 + i} Main St",
                        "consignee_city": "Boston",
                        "consignee_state": "MA",
                        "consignee_postal_code": "02127",
                        "consignee_country": "US",
                        "seller_name": f"Seller {name} Ltd",
                        "seller_address": "1 Export Road",
                        "seller_country": origin,
                        "line_number": n,
                        "description": "goods of " + hts,
                        "hts_number": hts,
                        "country_of_origin": origin,
                        "value_usd": value,
                        "quantity": qty,
                        "quantity_unit": unit,
                        "gross_weight_kg": qty if unit == "KG" else "1.0",
                    }
                )
    (folder / "orders.csv").write_text(
        "case_number,order_type,country_code,product,companion_case\n"
        'A-570-827,AD,CN,"Pencils, Cased",\n',
        encoding="utf-8",
    )
    (folder / "order_hts.csv").write_text(
        "case_number,hts,confirmed\nA-570-827,9609.10.00,yes\n", encoding="utf-8"
    )
    reference = ReferenceSet(
        adcvd=AdcvdTable.from_csv(folder / "orders.csv", folder / "order_hts.csv")
    )
    loaded = t86audit.load(folder / "entries.csv")
    assert loaded.rows_rejected == 0
    report = t86audit.audit(loaded, reference=reference)
    assert report.exposure is not None
    return report.exposure


def test_audit_estimates_exactly_the_ineligible_entries(audited):
    got = {e.entry_number: e.loss_of_revenue_usd for e in audited.entries}
    want = {_number(i): D(loss) for i, (*_, loss) in enumerate(AUDITED) if loss is not None}
    assert got == want
    reasons = {e.entry_number: e.reasons for e in audited.entries}
    assert reasons[_number(0)] == ("ELG003",)
    assert reasons[_number(1)] == ("VAL001",)
    assert reasons[_number(3)] == ("ELG002",)
    assert reasons[_number(4)] == ("ELG010",)
    assert reasons[_number(5)] == ("ELG011",)


def test_adcvd_deposit_is_named_not_counted(audited):
    pencils = next(e for e in audited.entries if e.entry_number == _number(4))
    assert pencils.duty_usd == D("60.40")  # 1.40 + 21.50 + 37.50
    assert "AD/CVD cash deposits" in pencils.not_estimated
    deposit = next(a for a in pencils.entry_amounts if a.provision == "AD/CVD cash deposits")
    assert deposit.amount_usd is None


def test_penalty_ceilings(audited):
    """(k) Sum of the nine losses 4,289.14 (the quota entry's 45.73 and the pencils' 92.07 with
    their formal MPF); 2x 8,578.28; 4x 17,156.56; fraud: entered value 500 + 900 + 400 + 500 +
    100 + 900 + 900 + 900 + 900 = 6,000.00; prior
    disclosure tenders the loss (no interest rates given).
    s.70531: 5 Aug ($5,000), 15 Aug and 20 Aug ($10,000 each) = $25,000; 2 Aug is before
    3 Aug 2025 and owes none."""
    r = audited.penalty_ranges
    assert r.loss_of_revenue_usd == D("4289.14")
    ceilings = {c.culpability: c for c in r.ceilings}
    assert ceilings["negligence"].total_usd == D("8578.28")
    assert ceilings["gross_negligence"].total_usd == D("17156.56")
    assert ceilings["fraud"].total_usd == D("6000.00")
    assert ceilings["fraud"].prior_disclosure_usd == D("4289.14")
    assert r.prior_disclosure_tender_usd == D("4289.14")
    assert r.s70531_entries == 3
    assert r.s70531_ceiling_usd == D("25000.00")
    per = {p.entry_number: p.penalty_70531_usd for p in r.per_entry}
    assert per[_number(6)] == D(5000)
    assert per[_number(7)] == D(10000)
    assert per[_number(8)] == D(10000)
    assert per[_number(9)] == D(0)


def test_prior_disclosure_interest_compounded_daily():
    """$167.53 loss from 3 Jun 2024: 8% for 212 days to 1 Jan 2025, then 7% for 59 days to
    1 Mar 2025, compounded daily on a 365-day year: 167.53 x ((1 + .08/365)^212 x
    (1 + .07/365)^59 - 1) = 9.964 -> 9.96."""
    from t86audit.exposure import InterestRates, penalty_ranges  # noqa: PLC0415

    x = _estimate("2024-06-03", [(TEE, "VN", "1000.00", "80", "PCS")])
    rates = InterestRates(
        periods=((dt.date(2024, 4, 1), D(8)), (dt.date(2025, 1, 1), D(7))),
        through=dt.date(2025, 3, 1),
    )
    r = penalty_ranges([x], interest_rates=rates)
    assert x.loss_of_revenue_usd == D("167.53")
    assert r.interest_usd == D("9.96")
    assert r.prior_disclosure_tender_usd == D("177.49")


@pytest.mark.parametrize("filed", ["China", "People's Republic of China", "CHN", " cn "])
def test_an_origin_spelled_out_is_estimated_as_its_code(filed: str) -> None:
    """ELG003 reads 'China' as CN; the estimate of the entry it flags must too (case (a)).

    Handbags of 2 May 2025, $500: 9% + List 3 25% + fentanyl 20% + reciprocal 125% (MPF
    FY2025 2.62) = 897.62, whichever way the origin was written.
    """
    spelled = _estimate("2025-05-02", [(HANDBAG, filed, "500.00", "1", "PCS")])
    coded = _estimate("2025-05-02", [(HANDBAG, "CN", "500.00", "1", "PCS")])
    assert spelled.loss_of_revenue_usd == coded.loss_of_revenue_usd == D("897.62")
    assert spelled.lines[0].country_of_origin == "CN"
    assert [a.provision for a in spelled.lines[0].amounts] == [
        a.provision for a in coded.lines[0].amounts
    ]


def test_taiwan_and_macau_spelled_out_are_not_china() -> None:
    """'Republic of China' is Taiwan; Macau is not Hong Kong: no Section 301 on either."""
    for filed in ("Republic of China", "Macau"):
        x = _estimate("2024-06-03", [(HANDBAG, filed, "500.00", "1", "PCS")])
        assert not any("Section 301" in a.provision for a in x.lines[0].amounts), filed
