"""Hand-made cases: each rule's verdict on small exports unlike the bundled example.

The expected findings were written from the domain reference (/work/shared/domain/t86-reference.md,
cited by section in each case) and the input contract, not from the code. Each case is written
as a CSV file (its own column order, header spelling and extra columns where the case says so),
audited as a user would audit it, and every finding is compared: the exact set of
(rule code, entry number) pairs, no load errors. Each case's second argument names the section
of the reference (or of the input contract, or the rule's documented design) that gives its
expected verdicts. Most cases guard behaviour a user relies on;
c41 (VAL002: same name and street in another city), c44 (ELG002: a T86 transmitted after
T86 ended) and c51 (ELG003: origin spelled out) were wrong verdicts when written; so were, in a
second pass, c53 (a description in Chinese, Russian or Arabic got only DES006), c54 and c55
(VAL005, VAL006: same name and street in another city) and c56 (CON007: same street in another
city, or a ZIP code left blank on one entry). The message tests at the end guard VAL003's,
VAL004's and DES006's wording (VAL004 rounded 0.001 to 0.00).

Check digits below are computed with the reference's algorithm (section 5.3), written out here
independently of t86audit's own implementation.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

import t86audit
from t86audit.testing import CSV_COLUMNS


LETTERS = {c: str(v) for c, v in zip("ABCDEFGHI", range(1, 10), strict=True)}
LETTERS.update({c: str(v) for c, v in zip("JKLMNOPQR", range(1, 10), strict=True)})
LETTERS.update({c: str(v) for c, v in zip("STUVWXYZ", range(2, 10), strict=True)})


def check_digit(filer: str, serial: str) -> int:
    digits = "".join(LETTERS.get(ch, ch) for ch in filer.upper()) + serial
    assert len(digits) == 10, digits
    assert digits.isdigit(), digits
    total = 0
    for pos, ch in enumerate(digits, start=1):
        d = int(ch)
        if pos % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


assert check_digit("B76", "0324527") == 8  # reference 5.3 worked example


def en(filer: str, serial: str) -> str:
    return f"{filer}-{serial}-{check_digit(filer, serial)}"


# The canonical columns (additional_hts left out: a file without it, as exports are).
COLUMNS = [c for c in CSV_COLUMNS if c != "additional_hts"]

_bill = [0]
_seen: dict[str, int] = {}


def row(entry: str, **kw: Any) -> dict[str, Any]:
    """A clean row; the rows of one entry share their entry-level defaults (bill, parties)."""
    if entry in _seen:
        n = _seen[entry]
    else:
        _bill[0] += 1
        n = _seen[entry] = _bill[0]
    return _row(entry, n, **kw)


def _row(entry: str, n: int, **kw: Any) -> dict[str, Any]:
    _bill_n = n
    base = {
        "entry_number": entry,
        "entry_type": "86",
        "arrival_date": "2024-06-03",
        "filed_at": "2024-06-01T10:00:00",
        "estimated_arrival_date": "2024-06-03",
        "port_code": "4701",
        "mode": "air",
        "bill_of_lading": f"738-{_bill_n:08d}",
        "consignee_name": f"Person {_bill_n} Example",
        "consignee_address": f"{_bill_n} Main Street",
        "consignee_city": "Boston",
        "consignee_state": "MA",
        "consignee_postal_code": "02127",
        "consignee_country": "US",
        "seller_name": f"Seller {_bill_n} Co., Ltd.",
        "seller_address": "112 Nguyen Van Linh Street, HCMC",
        "seller_country": "VN",
        "importer_of_record": "",
        "pga_data": "",
        "line_number": "1",
        "description": "women's cotton knit t-shirt",
        "hts_number": "6109.10.00.40",
        "country_of_origin": "VN",
        "value_usd": "50.00",
        "quantity": "2",
        "quantity_unit": "PCS",
        "gross_weight_kg": "0.4",
        "order_reference": f"ORD-{_bill_n}",
    }
    base.update(kw)
    return base


def write(
    path: str,
    rows: list[dict[str, Any]],
    columns: list[str] | None = None,
    rename: dict[str, str] | None = None,
) -> None:
    cols = list(columns or COLUMNS)
    for r in rows:
        for k in r:
            if k not in cols:
                cols.append(k)
    with Path(path).open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow([(rename or {}).get(c, c) for c in cols])
        for r in rows:
            w.writerow([r.get(c, "") for c in cols])


CASES: list[dict[str, Any]] = []


def case(name, ref, rows, expected, **opts):
    CASES.append({"name": name, "ref": ref, "rows": rows, "expected": set(expected), "opts": opts})


def E(s):
    return en("B76", f"{s:07d}")


# --- value: $800 per entry (3.3 V1) ---
case("c01_exactly_800", "3.3 V1: violation only when > $800", [row(E(1), value_usd="800.00")], [])
case("c02_800_01", "3.3 V1", [row(E(2), value_usd="800.01")], [("VAL001", E(2))])
case(
    "c03_two_lines_sum_over",
    "3.3 V1 (sum of line values)",
    [
        row(E(3), line_number="1", value_usd="400.00"),
        row(E(3), line_number="2", value_usd="400.01"),
    ],
    [("VAL001", E(3))],
)
case(
    "c04_value_formats",
    "3.3 V1; contracts 1 ('$' and thousands separators accepted)",
    [
        row(E(41), value_usd="1,234.50"),
        row(E(42), value_usd="$12"),
        row(E(43), value_usd="USD 800.00"),
        row(E(44), value_usd="$800.01"),
        row(E(45), value_usd="US$ 799.99"),
    ],
    [("VAL001", E(41)), ("VAL001", E(44))],
)
case(
    "c05_three_lines_exact_800",
    "3.3 V1: 266.67+266.67+266.66 = 800.00, not over",
    [
        row(E(5), line_number=str(i + 1), value_usd=v)
        for i, v in enumerate(["266.67", "266.67", "266.66"])
    ],
    [],
)

# --- one person on one day (3.3 V2) ---
P = {"consignee_name": "Maria Lopez", "consignee_address": "12 Main Street"}
case(
    "c06_same_consignee_same_day",
    "3.3 V2: the entry that takes the day's total over $800",
    [
        row(E(61), value_usd="500.00", filed_at="2024-06-01T09:00:00", **P),
        row(E(62), value_usd="400.00", filed_at="2024-06-01T10:00:00", **P),
    ],
    [("VAL002", E(62))],
)
case(
    "c07_same_consignee_other_days",
    "3.3 V2: per day",
    [
        row(E(71), value_usd="500.00", **P),
        row(
            E(72),
            value_usd="400.00",
            arrival_date="2024-06-04",
            estimated_arrival_date="2024-06-04",
            **P,
        ),
    ],
    [],
)
case(
    "c08_spelling_variants",
    "3.3 V2: normalized consignee (name + address)",
    [
        row(E(81), value_usd="500.00", filed_at="2024-06-01T09:00:00", **P),
        row(
            E(82),
            value_usd="400.00",
            filed_at="2024-06-01T10:00:00",
            consignee_name="MARIA  LOPEZ",
            consignee_address="12 Main St.",
        ),
    ],
    [("VAL002", E(82))],
)
case(
    "c09_three_sum_exactly_800",
    "3.3 V2: 300+300+200 = 800 is not over",
    [
        row(E(91), value_usd="300.00", filed_at="2024-06-01T09:00:00", **P),
        row(E(92), value_usd="300.00", filed_at="2024-06-01T10:00:00", **P),
        row(E(93), value_usd="200.00", filed_at="2024-06-01T11:00:00", **P),
    ],
    [],
)
case(
    "c10_type11_does_not_count",
    "3.3 V2 groups T86 entries; type 11 is not judged (FIL015 page)",
    [
        row(E(101), value_usd="300.00", **P),
        row(E(102), entry_type="11", value_usd="600.00", filed_at="2024-06-01T08:00:00", **P),
    ],
    [],
)
case(
    "c11_two_people_one_address",
    "3.3 V2: different persons",
    [
        row(E(111), value_usd="500.00", **P),
        row(
            E(112),
            value_usd="400.00",
            consignee_name="John Lopez",
            consignee_address="12 Main Street",
        ),
    ],
    [],
)
case(
    "c12_rows_not_adjacent",
    "3.3 V1; contracts 1 (rows share entry_number)",
    [
        row(E(121), line_number="1", value_usd="450.00"),
        row(E(122), value_usd="100.00"),
        row(E(121), line_number="2", value_usd="400.00"),
    ],
    [("VAL001", E(121))],
)


# --- China / HK gate (3.2 D3) ---
def g(n, coo, day):
    return row(
        E(n),
        country_of_origin=coo,
        arrival_date=day,
        estimated_arrival_date=day,
        filed_at=f"{day}T00:00:00",
    )


case(
    "c13_may_gate",
    "3.2 D3: CN/HK from 2025-05-02; MO and TW are not the PRC/HK",
    [
        g(131, "CN", "2025-05-01"),
        g(132, "CN", "2025-05-02"),
        g(133, "HK", "2025-05-02"),
        g(134, "MO", "2025-05-02"),
        g(135, "TW", "2025-05-02"),
    ],
    [("ELG003", E(132)), ("ELG003", E(133))],
)
case(
    "c14_feb_gate",
    "3.2 D3: [2025-02-04, 2025-02-07)",
    [
        g(141, "CN", "2025-02-03"),
        g(142, "CN", "2025-02-04"),
        g(143, "HK", "2025-02-06"),
        g(144, "CN", "2025-02-07"),
    ],
    [("ELG003", E(142)), ("ELG003", E(143))],
)
case(
    "c15_mixed_origin_lowercase",
    "3.2 D3: any line COO in {CN, HK}",
    [
        row(
            E(151),
            line_number="1",
            country_of_origin="VN",
            arrival_date="2025-06-02",
            estimated_arrival_date="2025-06-02",
            filed_at="2025-06-01T10:00:00",
        ),
        row(
            E(151),
            line_number="2",
            country_of_origin="cn",
            arrival_date="2025-06-02",
            estimated_arrival_date="2025-06-02",
            filed_at="2025-06-01T10:00:00",
        ),
    ],
    [("ELG003", E(151))],
)

# --- end and start of T86 (3.2 D1, D2) ---
case(
    "c16_end_of_t86",
    "3.2 D2: on/after 2025-08-29 (every T86)",
    [g(161, "VN", "2025-08-28"), g(162, "VN", "2025-08-29"), g(163, "CN", "2025-09-15")],
    [("ELG002", E(162)), ("ELG002", E(163))],
)
case(
    "c17_start_of_t86",
    "3.2 D1: before 2019-09-28; F3: no EDA needed before 2024-07-25",
    [
        row(
            E(171),
            arrival_date="2019-09-27",
            filed_at="2019-09-26T10:00:00",
            estimated_arrival_date="",
        ),
        row(
            E(172),
            arrival_date="2019-09-28",
            filed_at="2019-09-26T10:00:00",
            estimated_arrival_date="",
        ),
    ],
    [("ELG001", E(171))],
)

# --- entry types (FIL015 page; T86 rules do not apply to 01/11) ---
BAD = {
    "value_usd": "5000.00",
    "country_of_origin": "CN",
    "arrival_date": "2025-06-02",
    "estimated_arrival_date": "",
    "filed_at": "2025-06-03T10:00:00",
    "description": "gift",
    "hts_number": "6109.10",
}
case(
    "c18_types_01_11_blank",
    "T86 rules judge T86 only; blank type is presumed 86 with FIL015",
    [
        row(E(181), entry_type="01", **BAD),
        row(E(182), entry_type="11", **BAD),
        row(E(183), entry_type="", value_usd="900.00"),
        row(E(184), entry_type="086"),
    ],
    [("FIL015", E(183)), ("VAL001", E(183))],
)

# --- entry numbers (5.1-5.3) ---
case(
    "c19_check_digits",
    "5.3 (check digit), 5.1/5.2 (format, letters in filer code)",
    [
        row("B76-0324527-8"),
        row("B76-0324527-7"),
        row("ZXY-1234567-2"),
        row("zxy76543212"),
        row("9A2-0000001-5"),
        row("9A2-0000001-4"),
        row("B76-324527-8"),
    ],
    [("FIL002", "B76-0324527-7"), ("FIL002", "9A2-0000001-4"), ("FIL001", "B76-324527-8")],
)


# --- vague descriptions (4) ---
def d(n, text, hts="6109.10.00.40"):
    return row(E(n), description=text, hts_number=hts)


case(
    "c20_vague_terms",
    "4: whole-description match of a CBP term -> V",
    [
        d(201, "gift"),
        d(202, "Gifts"),
        d(203, "GIFT "),
        d(204, "daily necessities"),
        d(205, "accessories", "6117.80.87.10"),
        d(206, "parts", "8708.30.50.90"),
        d(207, "consolidated"),
        d(208, "freight of all kinds"),
        d(209, "toys", "9503.00.00.73"),
    ],
    # 'toys' is known from a FedEx notice only, 'freight of all kinds' from remarks as reported
    # (reference 4 marks both rows [S]): DES004 warnings, a secondary source (architecture 14)
    # 'freight of all kinds' on a T-shirt number is also HTS006 (3.5 H6)
    [("DES002", E(n)) for n in range(201, 208)]
    + [("DES004", E(208)), ("DES004", E(209)), ("HTS006", E(208))],
)
case(
    "c21_innocent_words",
    "4: specific descriptions that merely contain a term pass",
    [
        d(211, "women's cotton knit t-shirt, gift for mother"),
        d(212, "rubber party balloons", "9505.90.40.00"),
        d(213, "plush stuffed animal toy for children", "9503.00.00.73"),
        d(214, "brake drums for passenger cars", "8708.30.50.20"),
        d(215, "corrugated cardboard gift boxes", "4819.10.00.40"),
    ],
    [],
)
case(
    "c22_vague_with_qualifier",
    "4: vague term as leading/only noun with nothing specific -> W",
    [d(221, "auto parts", "8708.30.50.90"), d(222, "assorted gifts")],
    # 'auto parts' is CBP's own 'parts' (CSMS 60011750 [V]) with a generic word, the reference's
    # own example of this kind (4, implementation notes): DES003, a warning citing the CSMS, not
    # DES004 citing the vendor list that also has the phrase
    [("DES003", E(221)), ("DES003", E(222))],
)
case(
    "c23_symbols_only",
    "4: only digits/punctuation -> V",
    [d(231, "123456"), d(232, "---")],
    [("DES005", E(231)), ("DES005", E(232))],
)


# --- HTS (3.5 H1-H4; 5.5) ---
def h(n, hts, **kw):
    return row(E(n), hts_number=hts, **kw)


J = {
    "arrival_date": "2025-07-15",
    "estimated_arrival_date": "2025-07-15",
    "filed_at": "2025-07-14T10:00:00",
    "description": "women's 14k gold ring",
}
J5 = dict(
    J,
    arrival_date="2025-06-05",
    estimated_arrival_date="2025-06-05",
    filed_at="2025-06-04T10:00:00",
)
J1 = dict(
    J,
    arrival_date="2025-04-01",
    estimated_arrival_date="2025-04-01",
    filed_at="2025-03-31T10:00:00",
)
case(
    "c24_hts_formats",
    "3.5 H1 (10 digits after stripping dots), H2",
    [h(241, "6109.10.00"), h(242, "6109100040"), h(243, "6109.10.0040"), h(244, "6109.10.00.99")],
    # 6109.10.00.99 on a 2024 entry: only a warning (HTS003), the bundled editions
    # cover 2025 (HTS003 page);
    # HTS007: one description under two numbers (3.5 H7, warning)
    [
        ("HTS001", E(241)),
        ("HTS003", E(244)),
        ("HTS007", E(242)),
        ("HTS007", E(243)),
        ("HTS007", E(244)),
    ],
)
case(
    "c25_hts_revision",
    "3.5 H2: valid on the entry date (2025 rev 15 -> rev 16 on 2025-06-06;"
    " dates > 31 days from the change)",
    [
        h(251, "7113.19.50.90", **J5),
        h(252, "7113.19.50.90", **J),
        h(253, "7113.19.50.91", **J),
        h(254, "7113.19.50.91", **J1),
    ],
    [("HTS002", E(252)), ("HTS002", E(254))] + [("HTS007", E(n)) for n in range(251, 255)],
)
case(
    "c26_chapter_98_99",
    "3.5 H3/H4; CSMS 62520662 (~4 Oct 2024)",
    [
        h(
            261,
            "9801.00.10.98",
            arrival_date="2024-12-02",
            estimated_arrival_date="2024-12-02",
            filed_at="2024-12-01T10:00:00",
            description="returned women's cotton knit t-shirt",
        ),
        h(262, "9903.88.03.00", description="women's cotton knit t-shirt"),
    ],
    # ELG014 info: a Section 301 number did not by itself bar T86 (3.6 E8)
    [("HTS004", E(261)), ("HTS005", E(262)), ("ELG014", E(262))],
)

# --- ineligible goods (3.6) ---
PG = {"pga_data": "declared", "importer_of_record": "12-345678900"}
case(
    "c27_quota",
    "3.6 E2 / 10.153(g): TRQ goods, in-quota or over-quota",
    [
        h(271, "1701.99.50.50", description="refined cane sugar, white, granulated", **PG),
        h(272, "1202.41.40.20", description="raw peanuts in shell", **PG),
        h(273, "0406.10.08.00", description="fresh chongos cheese", **PG),
    ],
    [("ELG011", E(271)), ("ELG011", E(272)), ("ELG011", E(273))],
)
case(
    "c28_alcohol_tobacco_perfume",
    "3.6 E3a / 10.153(e): perfume allowed only if the whole shipment <= $5",
    [
        h(281, "2204.21.50.15", description="red wine, 750 ml bottles", **PG),
        h(282, "2402.20.80.00", description="paper-wrapped cigarettes"),
        h(
            283,
            "3303.00.30.00",
            description="eau de parfum containing alcohol, 10 ml",
            value_usd="4.00",
        ),
        row(
            E(284),
            line_number="1",
            hts_number="3303.00.30.00",
            description="eau de parfum containing alcohol, 10 ml",
            value_usd="4.00",
        ),
        row(E(284), line_number="2", value_usd="20.00"),
        h(
            285,
            "3303.00.30.00",
            description="eau de parfum containing alcohol, 50 ml",
            value_usd="30.00",
        ),
    ],
    [("ELG005", E(281)), ("ELG007", E(282)), ("ELG006", E(284)), ("ELG006", E(285))],
)
case(
    "c29_mail_and_pga_ior",
    "3.6 E6 (mail); 3.4 C8 (PGA data declared or disclaimed without IOR)",
    [
        row(E(291), mode="mail"),
        row(E(292), pga_data="declared"),
        row(E(293), pga_data="disclaimed"),
        row(E(294), **PG),
    ],
    [("ELG004", E(291)), ("CON009", E(292)), ("CON009", E(293))],
)
case(
    "c30_adcvd",
    "3.6 E1: HTS + COO in an AD/CVD order (China orders bundled)",
    [
        h(
            301,
            "7317.00.55.02",
            description="steel wire collated roofing nails",
            country_of_origin="CN",
        ),
        h(
            302,
            "7317.00.55.02",
            description="steel wire collated roofing nails",
            country_of_origin="VN",
        ),
    ],
    [("ELG009", E(301))],
)

# --- parties (3.4) ---
case(
    "c31_parties",
    "3.4 C1, C2, C3, C5, C7",
    [
        row(E(311), consignee_name=""),
        row(E(312), consignee_country="CA"),
        row(E(313), consignee_name="N/A"),
        row(E(314), consignee_name="Customer Care Solutions LLC"),
        row(E(315), seller_name=""),
        row(
            E(316),
            consignee_name="Seller 999 Co., Ltd.",
            seller_name="Seller 999 Co., Ltd.",
            consignee_address="88 Nanshan Road, Shenzhen",
            consignee_country="CN",
        ),
    ],
    [
        ("CON001", E(311)),
        ("CON002", E(312)),
        ("CON005", E(313)),
        ("CON008", E(315)),
        ("CON002", E(316)),
        ("CON003", E(316)),
    ],
)


# --- filing times (3.7 F1-F3) ---
def f(n, arr, filed, eda=None, **kw):
    return row(
        E(n),
        arrival_date=arr,
        filed_at=filed,
        estimated_arrival_date=arr if eda is None else eda,
        **kw,
    )


case(
    "c32_filing_times",
    "3.7 F1 (late from 2024-02-15), F2 (15 days before), naive = Eastern, Z = UTC",
    [
        f(321, "2024-06-03", "2024-06-04T08:00:00"),
        f(322, "2024-02-14", "2024-02-20T10:00:00"),
        f(323, "2024-02-14", "2024-03-05T10:00:00"),
        f(324, "2024-02-15", "2024-02-16T10:00:00"),
        f(325, "2024-06-03", "2024-06-03T02:00:00Z"),
        f(326, "2024-06-03", "2024-06-04T03:30:00Z"),
    ],
    [("FIL008", E(321)), ("FIL009", E(323)), ("FIL008", E(324))],
)
case(
    "c33_eda",
    "3.7 F3: EDA from submissions on/after 2024-07-25; SE20 MMDDYY accepted",
    [
        f(331, "2024-07-26", "2024-07-25T10:00:00", ""),
        f(332, "2024-07-26", "2024-07-24T10:00:00", ""),
        f(333, "2024-07-26", "2024-07-25T10:00:00", "072624"),
        f(334, "2024-07-26", "2024-07-25T10:00:00", "2024-08-10"),
    ],
    [("FIL010", E(331)), ("FIL011", E(334))],
)
case(
    "c34_us_dates",
    "contracts 1: MM/DD/YYYY; 3.3 V1/V2",
    [
        row(
            E(341),
            arrival_date="06/03/2024",
            filed_at="06/01/2024 10:00 AM",
            estimated_arrival_date="06/03/2024",
            value_usd="800.01",
        ),
        row(
            E(342),
            arrival_date="06/03/2024",
            filed_at="06/01/2024 9:00 AM",
            estimated_arrival_date="060324",
            value_usd="500.00",
            **P,
        ),
        row(E(343), value_usd="400.00", filed_at="2024-06-01T10:00:00", **P),
    ],
    [("VAL001", E(341)), ("VAL002", E(343))],
)

# --- bills and ports (3.7 F4, 5.4) ---
case(
    "c35_bills_ports",
    "3.7 F4; 5.4 (4-digit Schedule D)",
    [
        row(E(351), bill_of_lading="738-99999999"),
        row(E(352), bill_of_lading="738-99999999"),
        row(E(353), bill_of_lading=""),
        row(E(354), port_code="47O1"),
        row(E(355), port_code="470"),
        row(E(356), port_code="2720"),
    ],
    [
        ("FIL007", E(351)),
        ("FIL007", E(352)),
        ("FIL005", E(353)),
        ("FIL012", E(354)),
        ("FIL012", E(355)),
    ],
)

# --- line values (3.3 V5) and split shipments (V4) ---
case(
    "c36_line_values",
    "3.3 V5 (<= $0.01 -> W); VAL003 blank/negative",
    [
        row(E(361), value_usd=""),
        row(E(362), value_usd="-5.00"),
        row(E(363), value_usd="0.00"),
        row(E(364), value_usd="0.01"),
    ],
    [("VAL003", E(361)), ("VAL003", E(362)), ("VAL004", E(363)), ("VAL004", E(364))],
)
S = dict(
    seller_name="Shenzhen Bright Co", seller_address="1 Bao'an Road", seller_country="VN", **P
)
case(
    "c37_split_shipment",
    "3.3 V4: same seller + consignee on adjacent days, combined > $800 -> W",
    [
        row(E(371), value_usd="500.00", **S),
        row(
            E(372),
            value_usd="400.00",
            arrival_date="2024-06-04",
            estimated_arrival_date="2024-06-04",
            **S,
        ),
    ],
    [("VAL005", E(371)), ("VAL005", E(372))],
)
case(
    "c38_in_care_of",
    "3.4 C3: foreign owner c/o U.S. warehouse -> W",
    [
        row(
            E(381),
            seller_name="Shenzhen Bright Co",
            consignee_name="Shenzhen Bright Co c/o ABC Fulfillment LLC",
            consignee_address="500 Logistics Way",
        )
    ],
    [("CON004", E(381))],
)

# --- other export layouts ---
rev = [*list(reversed(COLUMNS)), "Broker Ref", "Notes"]
case(
    "c39_column_order_extra",
    "contracts 1: header order free, case/space-insensitive, extra columns kept",
    [
        row(E(391), value_usd="800.01", **{"Broker Ref": "X1", "Notes": "rush"}),
        row(E(392), **{"Broker Ref": "X2", "Notes": ""}),
    ],
    [("VAL001", E(391))],
    columns=rev,
    rename={
        "entry_number": " Entry_Number ",
        "value_usd": "VALUE_USD",
        "arrival_date": "Arrival_Date",
    },
)
case(
    "c40_same_day_mixed_gate_and_value",
    "3.2 D3 per line + 3.3 V1 on same entry",
    [
        row(
            E(401),
            line_number="1",
            country_of_origin="HK",
            value_usd="700.00",
            arrival_date="2025-07-01",
            estimated_arrival_date="2025-07-01",
            filed_at="2025-06-30T10:00:00",
        ),
        row(
            E(401),
            line_number="2",
            country_of_origin="VN",
            value_usd="150.00",
            arrival_date="2025-07-01",
            estimated_arrival_date="2025-07-01",
            filed_at="2025-06-30T10:00:00",
        ),
    ],
    [("ELG003", E(401)), ("VAL001", E(401))],
)

# ======== batch 2: harder cases ========
# One person: name + full address; same name and street in different cities are two people (3.3 V2)
case(
    "c41_same_name_street_other_city",
    "3.3 V2: 'normalized consignee (name + address)'; a different city is another address",
    [
        row(
            E(411),
            value_usd="500.00",
            filed_at="2024-06-01T09:00:00",
            consignee_name="John Smith",
            consignee_address="100 Main Street",
            consignee_city="Boston",
            consignee_state="MA",
            consignee_postal_code="02127",
        ),
        row(
            E(412),
            value_usd="400.00",
            filed_at="2024-06-01T10:00:00",
            consignee_name="John Smith",
            consignee_address="100 Main Street",
            consignee_city="Springfield",
            consignee_state="IL",
            consignee_postal_code="62701",
        ),
    ],
    [],
)
case(
    "c42_us_consignee_spellings",
    "3.4 C2: consignee in the U.S. (incl. Puerto Rico, customs territory) is not abroad",
    [
        row(E(421), consignee_country="USA"),
        row(E(422), consignee_country="us"),
        row(
            E(423),
            consignee_country="PR",
            consignee_city="San Juan",
            consignee_state="PR",
            consignee_postal_code="00901",
        ),
    ],
    [],
)
case(
    "c43_time_zones",
    "contracts 1 (naive = Eastern); 3.7 F1/F3 judged on the Eastern calendar",
    [
        row(E(431), filed_at="2024-06-04T09:00:00+08:00"),  # 2024-06-03 21:00 EDT, arrival day
        row(
            E(432),
            arrival_date="2024-12-02",
            estimated_arrival_date="2024-12-02",
            filed_at="2024-12-03T04:30:00Z",
        ),  # 23:30 EST
        row(
            E(433),
            arrival_date="2024-07-26",
            estimated_arrival_date="",
            filed_at="2024-07-25T02:00:00Z",
        ),  # 24 Jul EDT
        row(E(434), arrival_date="2024-06-03", filed_at="2024-06-04T05:00:00Z"),
    ],  # 2024-06-04 01:00 EDT: late
    [("FIL008", E(434))],
)
case(
    "c44_end_by_entry_time",
    "3.2 D2: entry/release on/after 2025-08-29 00:01 EDT, 'entry date' evidence",
    [
        row(
            E(441),
            arrival_date="2025-08-28",
            estimated_arrival_date="2025-08-28",
            filed_at="2025-08-29T10:00:00",
        )
    ],
    [("FIL008", E(441)), ("ELG002", E(441))],
)
case(
    "c45_bill_shared_with_type11",
    "3.7 F4: the same bill on more than one T86 (a type 11 is not a T86)",
    [
        row(E(451), bill_of_lading="738-55555555"),
        row(E(452), bill_of_lading="738-55555555", entry_type="11", value_usd="900.00"),
    ],
    [],
)
case(
    "c46_perfume_small_shipment",
    "3.6 E3a / 10.153(e): whole shipment $5 or less is allowed",
    [
        row(
            E(461),
            line_number="1",
            hts_number="3303.00.30.00",
            description="eau de parfum containing alcohol, 2 ml sample vial",
            value_usd="3.00",
        ),
        row(E(461), line_number="2", value_usd="1.50"),
    ],
    [],
)
case(
    "c47_non_alcoholic_beer",
    "3.6 E3a: non-alcoholic beer (2202.91) is not an alcoholic beverage",
    [
        row(
            E(471),
            hts_number="2202.91.00.10",
            description="non-alcoholic beer, 330 ml cans",
            pga_data="declared",
            importer_of_record="12-345678900",
        )
    ],
    [],
)
case(
    "c48_description_words",
    "4: word matches, not substrings ('slacks' is not SLAC, 'fake' is not FAK,"
    " 'powder' with specifics)",
    [
        d(481, "men's cotton slacks", "6203.42.07.16"),
        d(482, "women's cotton knit t-shirt with fake pocket"),
        d(483, "baby powder of talc", "3304.91.00.50"),
        d(484, "Gift.", "6109.10.00.40"),
        d(485, "GIFTS!"),
    ],
    [("DES002", E(484)), ("DES002", E(485))],
)
case(
    "c49_value_misc",
    "contracts 1: values; a European '1.234,50' must not be read as 1.2345",
    [row(E(492), value_usd="800"), row(E(493), value_usd=" 800.00 ")],
    [],
)
case(
    "c50_entry_number_forms",
    "5.1-5.3: lowercase filer code with dashes; all-digit filer code",
    [row("b76-0324527-8"), row(en("123", "0000009")), row("B76-0324527-80")],
    [("FIL001", "B76-0324527-80")],
)


case(
    "c51_origin_spelled_out",
    "3.2 D3: the line's origin is China / Hong Kong however the export spells it",
    [
        g(511, "China", "2025-06-02"),
        g(512, "People's Republic of China", "2025-06-02"),
        g(513, "Hong Kong SAR", "2025-06-02"),
        g(514, "Republic of China", "2025-06-02"),
        g(515, "Macau", "2025-06-02"),
        g(516, "china", "2025-05-01"),
    ],
    [("ELG003", E(511)), ("ELG003", E(512)), ("ELG003", E(513))],
)

case(
    "c52_tiny_line_values",
    "3.3 V5 (a line value <= $0.01 -> W); VAL003: a negative value however small",
    [row(E(521), value_usd="0.001"), row(E(522), value_usd="-0.001")],
    [("VAL004", E(521)), ("VAL003", E(522))],
)

case(
    "c53_description_not_in_english",
    "4: CBP's generic rules say a description must be in English ([S], a carrier's summary: "
    "a warning by architecture point 14); Latin-script text is not judged for its language",
    [
        d(531, "礼物"),
        d(532, "подарок"),
        d(533, "هدية"),
        d(534, "T恤 cotton t-shirt"),
        d(535, "chemise en coton", "6205.20.20.16"),
    ],
    [("DES007", E(531)), ("DES007", E(532)), ("DES007", E(533))],
)


BOSTON = {"consignee_city": "Boston", "consignee_state": "MA", "consignee_postal_code": "02127"}
SPRINGFIELD = {
    "consignee_city": "Springfield",
    "consignee_state": "IL",
    "consignee_postal_code": "62701",
}
NOWHERE = {"consignee_city": "", "consignee_state": "", "consignee_postal_code": ""}


def day(n: int, when: str, **kw: Any) -> dict[str, Any]:
    return row(E(n), arrival_date=when, estimated_arrival_date=when, **kw)


SMITH = {"consignee_name": "John Smith", "consignee_address": "100 Main Street"}
LEE = {"consignee_name": "Ann Lee", "consignee_address": "7 Pine Road"}
case(
    "c54_split_shipment_other_city",
    "3.3 V4: same seller + consignee (3.3 V2: normalized name + address; another city is "
    "another address); a place left blank on one entry does not split a consignee",
    [
        day(541, "2024-06-03", value_usd="500.00", **S | SMITH | BOSTON),
        day(542, "2024-06-04", value_usd="400.00", **S | SMITH | SPRINGFIELD),
        day(543, "2024-06-03", value_usd="500.00", **S | LEE | BOSTON),
        day(544, "2024-06-04", value_usd="400.00", **S | LEE | NOWHERE),
    ],
    [("VAL005", E(543)), ("VAL005", E(544))],
)
case(
    "c55_values_under_threshold_other_cities",
    "3.3 V2: a consignee is a normalized name + address (another ZIP code is another "
    "address); VAL006's documented design: three entries within $50 under $800",
    [
        day(551, "2024-06-03", value_usd="795.00", **SMITH | BOSTON),
        day(552, "2024-06-10", value_usd="799.00", **SMITH | SPRINGFIELD),
        day(553, "2024-06-17", value_usd="790.00", **SMITH, consignee_postal_code="94105"),
        day(554, "2024-06-03", value_usd="795.00", **LEE | BOSTON),
        day(555, "2024-06-10", value_usd="799.00", **LEE | BOSTON),
        day(556, "2024-06-17", value_usd="790.00", **LEE | NOWHERE),
    ],
    [("VAL006", E(554)), ("VAL006", E(555)), ("VAL006", E(556))],
)


NAMES = ["Ann Lee", "Bob Diaz", "Cara Moss", "Dan Kim", "Eve Ortiz"]
case(
    "c56_many_names_one_street_two_cities",
    "3.4 C6: many distinct names at one address on one day -> W; the same street in another "
    "city is another address (3.3 V2), a ZIP code left blank on one entry is not",
    [
        row(E(561 + i), consignee_name=name, consignee_address="77 Harbor Way", **where)
        for i, (name, where) in enumerate(
            zip(
                NAMES,
                [NOWHERE | {"consignee_city": "Boston", "consignee_state": "MA"}] * 3
                + [NOWHERE | {"consignee_city": "Springfield", "consignee_state": "IL"}] * 2,
                strict=True,
            )
        )
    ]
    + [
        row(
            E(566 + i),
            consignee_name=name,
            consignee_address="9 Dock Street",
            consignee_postal_code="" if i == 4 else "02127",
        )
        for i, name in enumerate(NAMES)
    ],
    [("CON007", E(566 + i)) for i in range(5)],
)


@pytest.mark.parametrize("spec", CASES, ids=[c["name"] for c in CASES])
def test_hand_case(spec, tmp_path: Path) -> None:
    """The audit of the case's CSV finds exactly the expected (code, entry) pairs."""
    path = tmp_path / f"{spec['name']}.csv"
    write(str(path), spec["rows"], **spec["opts"])
    loaded = t86audit.load(str(path))
    assert not loaded.errors, loaded.errors
    report = t86audit.audit(loaded)
    found = {(f.code, f.entry_number) for f in report.findings}
    messages = sorted(f"{f.code} {f.entry_number}: {f.message}" for f in report.findings)
    assert found == spec["expected"], (spec["ref"], messages)


def test_check_digit_helper_matches_the_worked_example() -> None:
    """Reference 5.3: B76-0324527-8, and letters S-Z map to 2-9."""
    assert check_digit("B76", "0324527") == 8
    assert en("ZXY", "1234567") == "ZXY-1234567-2"


def test_european_decimal_comma_is_a_load_error_not_a_small_value(tmp_path: Path) -> None:
    """contracts 1: a value that cannot be read is a load error, never a guess ('1.234,50')."""
    path = tmp_path / "comma.csv"
    write(str(path), [row(en("B76", "0000901"), value_usd="1.234,50")])
    loaded = t86audit.load(str(path))
    assert not loaded.entries
    assert [e.column for e in loaded.errors] == ["value_usd"]


def test_late_t86_after_the_end_names_the_filing_time(tmp_path: Path) -> None:
    """ELG002's finding for a T86 transmitted after 29 Aug 2025 cites the filing time as filed."""
    path = tmp_path / "late.csv"
    number = en("B76", "0000902")
    write(
        str(path),
        [
            row(
                number,
                arrival_date="2025-08-28",
                estimated_arrival_date="2025-08-28",
                filed_at="2025-08-29T10:00:00",
            )
        ],
    )
    finding = next(f for f in t86audit.audit(str(path)).findings if f.code == "ELG002")
    assert finding.entry_number == number
    assert finding.field == "filed_at"
    assert finding.observed == "2025-08-29T10:00:00"
    assert "2025-08-28" in finding.message
    assert "2025-08-29" in finding.message


@pytest.mark.parametrize(
    ("value", "code", "shown"),
    [
        ("0.001", "VAL004", "is declared at 0.001 USD"),
        ("$0.0050", "VAL004", "is declared at 0.0050 USD"),
        ("-0.001", "VAL003", "declares a negative value -0.001"),
    ],
)
def test_line_value_messages_quote_the_value_as_filed(
    tmp_path: Path, value: str, code: str, shown: str
) -> None:
    """Reference 3.3 V5: the evidence is the line value; a message never rounds it to 0.00."""
    path = tmp_path / "tiny.csv"
    number = en("B76", "0000903")
    write(str(path), [row(number, value_usd=value)])
    finding = next(f for f in t86audit.audit(str(path)).findings if f.code == code)
    assert finding.observed == value
    assert shown in finding.message
    assert "0.00 " not in finding.message


def test_negative_value_message_without_the_filed_text() -> None:
    """A line built in code, with no text as filed, still shows its value in VAL003's message."""
    from t86audit.rules.value import line_value_missing_or_negative  # noqa: PLC0415
    from t86audit.testing import make_entry, make_line, run_rule  # noqa: PLC0415

    entry = make_entry(lines=[make_line(value_usd="-0.001", value_raw="")])
    (finding,) = run_rule(line_value_missing_or_negative, [entry])
    assert finding.message.endswith("declares a negative value -0.001")


def test_short_description_counts_latin_words_and_says_so(tmp_path: Path) -> None:
    """Reference 4: DES006 counts words of two or more Latin letters; its message says which."""
    path = tmp_path / "short.csv"
    number = en("B76", "0000904")
    write(str(path), [row(number, description="T恤")])
    (finding,) = t86audit.audit(str(path)).findings
    assert finding.code == "DES006"
    assert finding.message.endswith("has 0 word(s) of two or more Latin letters")


def _john_smith(serial: int, value: str, **place: str) -> Any:
    from t86audit.testing import make_entry  # noqa: PLC0415

    return make_entry(
        serial=serial,
        value=value,
        arrival_date=dt.date(2024, 6, 4),
        consignee={"name": "John Smith", "address": "100 Main Street", **place},
    )


def _flagged(entries: list[Any]) -> list[str]:
    report = t86audit.audit(entries, select=["VAL002"], exposure=False)
    return [f.entry_number for f in report.findings]


def test_an_unrelated_place_does_not_part_a_person_from_an_entry_without_a_zip() -> None:
    """Reference 3.3 V2 (one person on one day): Boston 02127 and Boston without a ZIP code
    are one person ($500 + $400), whether or not a Springfield John Smith also received goods
    that day; Boston without a ZIP beside two Boston ZIP codes cannot be told apart: no sum."""
    boston = _john_smith(1, "500.00", city="Boston", state="MA", postal_code="02127")
    no_zip = _john_smith(2, "400.00", city="Boston", state="MA", postal_code="")
    springfield = _john_smith(3, "100.00", city="Springfield", state="IL", postal_code="62701")
    other_boston = _john_smith(4, "450.00", city="Boston", state="MA", postal_code="02128")
    assert _flagged([boston, no_zip]) == [no_zip.number]
    assert _flagged([boston, no_zip, springfield]) == [no_zip.number]
    assert _flagged([boston, other_boston, no_zip]) == []


def test_a_zip_plus_4_that_lost_its_leading_zero_is_the_same_zip() -> None:
    """21271234 is 02127-1234 saved as a number: the same place as 02127, so one person."""
    boston = _john_smith(1, "500.00", city="Boston", state="MA", postal_code="02127")
    numeric = _john_smith(2, "400.00", postal_code="21271234")
    assert _flagged([boston, numeric]) == [numeric.number]


def test_who_is_summed_with_whom_does_not_depend_on_the_order_filed() -> None:
    """A place that agrees with two people (Boston, no state; beside MA and IL) stands alone
    in every order, so no order of filing sums it with either."""
    base = {"name": "John Smith", "address": "100 Main Street", "postal_code": ""}
    from t86audit.testing import make_entry  # noqa: PLC0415

    boston = make_entry(serial=1, value="500.00", arrival_date=dt.date(2024, 6, 4),
                        consignee={**base, "city": "Boston", "state": ""})  # fmt: skip
    ma = make_entry(serial=2, value="400.00", arrival_date=dt.date(2024, 6, 4),
                    consignee={**base, "city": "", "state": "MA"})  # fmt: skip
    il = make_entry(serial=3, value="100.00", arrival_date=dt.date(2024, 6, 4),
                    consignee={**base, "city": "", "state": "IL"})  # fmt: skip
    import itertools  # noqa: PLC0415

    for order in itertools.permutations([boston, ma, il]):
        assert _flagged(list(order)) == [], [e.number for e in order]
