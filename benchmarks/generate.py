"""Generate a benchmark population of Type 86 entries in the canonical CSV columns.

The population looks like one broker's year of filings: about 1.6 lines per entry, one row per
line with the entry-level columns repeated, the rows of each entry adjacent (as exports are
written). Most entries are clean; a few percent carry the problems the rules look for (an entry
over $800, one person's day over $800, vague descriptions, short HTS numbers, wrong check
digits, reused bills), so every kind of rule has work to do.

The output is byte-identical for the same ``--entries`` and ``--seed``. Only the standard
library is used.

Usage::

    python benchmarks/generate.py --entries 100000 --output benchmarks/data/entries-100000.csv
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
from pathlib import Path


_COLUMN_NAMES = """
    entry_number entry_type arrival_date filed_at estimated_arrival_date port_code mode
    bill_of_lading consignee_name consignee_address consignee_city consignee_state
    consignee_postal_code consignee_country seller_name seller_address seller_country
    importer_of_record pga_data line_number description hts_number country_of_origin value_usd
    quantity quantity_unit gross_weight_kg order_reference
"""
COLUMNS = tuple(_COLUMN_NAMES.split())
DEFAULT_SEED = 86

# description | HTS number | unit | low | high (USD per unit)
PRODUCTS = [
    ("women's cotton knit t-shirt", "6109.10.00.40", "PCS", 6, 35),
    ("men's cotton crew neck t-shirt", "6109.10.00.12", "PCS", 6, 35),
    ("women's cotton sweatshirt", "6110.20.20.46", "PCS", 15, 60),
    ("women's polyester knit dress", "6104.43.20.10", "PCS", 12, 70),
    ("cotton ankle socks", "6115.95.90.00", "PR", 2, 8),
    ("polyester knit winter gloves", "6116.93.88.00", "PR", 5, 20),
    ("cotton knit baseball cap", "6505.00.15.40", "PCS", 6, 25),
    ("silk scarf", "6214.10.10.00", "PCS", 15, 90),
    ("cotton terry bath towel", "6302.60.00.20", "PCS", 6, 30),
    ("men's mesh running shoes", "6404.11.90.20", "PR", 25, 120),
    ("leather handbag", "4202.21.90.00", "PCS", 30, 250),
    ("leather bifold wallet", "4202.31.60.00", "PCS", 10, 60),
    ("polyester backpack", "4202.92.31.20", "PCS", 15, 80),
    ("wireless bluetooth earbuds", "8518.30.20.00", "PCS", 10, 150),
    ("usb wall charger adapter", "8504.40.95.10", "PCS", 5, 30),
    ("wireless computer mouse", "8471.60.90.50", "PCS", 8, 60),
    ("usb flash drive", "8523.51.00.00", "PCS", 5, 40),
    ("polarized sunglasses", "9004.10.00.00", "PCS", 8, 120),
    ("plastic hair comb", "9615.11.30.00", "PCS", 1, 6),
    ("sterling silver necklace", "7113.11.50.00", "PCS", 15, 200),
    ("folding umbrella", "6601.91.00.00", "PCS", 8, 35),
    ("plastic building block toy set", "9503.00.00.90", "SET", 10, 80),
    ("golf balls", "9506.32.00.00", "DOZ", 15, 50),
    ("paperback novel", "4901.99.00.93", "PCS", 6, 25),
    ("ceramic coffee mug", "6912.00.44.00", "PCS", 5, 25),
    ("stainless steel table knives", "8211.91.40.00", "SET", 10, 60),
    ("leather dog collar", "4201.00.30.00", "PCS", 8, 45),
    ("spark plugs", "8511.10.00.00", "PCS", 3, 15),
]
VAGUE = ["gift", "parts", "accessories", "samples", "clothing", "merchandise"]
SELLER_WORDS = ["Bright", "Golden", "Pacific", "Lotus", "Harbor", "Summit", "Jade", "Orchid"]
SELLER_KINDS = ["Trading Co., Ltd.", "Electronics Co., Ltd.", "Apparel Ltd", "Import Export Co."]
SELLER_PLACES = [
    ("Shenzhen", "CN"),
    ("Guangzhou", "CN"),
    ("Ho Chi Minh City", "VN"),
    ("Bangkok", "TH"),
    ("Seoul", "KR"),
    ("Taipei", "TW"),
]
FIRST = ["Maria", "James", "Wei", "Aisha", "Carlos", "Emily", "Noah", "Priya", "Liam", "Sofia"]
LAST = ["Lopez", "Smith", "Chen", "Khan", "Garcia", "Brown", "Nguyen", "Patel", "Kim", "Rossi"]
STREETS = ["Main Street", "Oak Avenue", "Elm St", "Maple Rd", "Cedar Lane", "Pine Street"]
CITIES = [
    ("Boston", "MA", "02127"),
    ("Chicago", "IL", "60614"),
    ("Houston", "TX", "77002"),
    ("Seattle", "WA", "98101"),
    ("Miami", "FL", "33130"),
    ("Denver", "CO", "80202"),
]
PORTS = ["4701", "2720", "3901", "5206", "4772"]
FILER = "B76"
FIRST_DAY = dt.date(2024, 1, 2)
_LETTERS = {chr(ord("A") + i): (i % 9) + 1 for i in range(18)} | {
    chr(ord("S") + i): i + 2 for i in range(8)
}


def check_digit(filer: str, serial: str) -> int:
    """The CATAIR Appendix E check digit (Luhn over filer code digits and serial)."""
    digits = [int(c) if c.isdigit() else _LETTERS[c] for c in filer] + [int(c) for c in serial]
    total = 0
    for position, digit in enumerate(digits, start=1):
        if position % 2 == 0:
            doubled = digit * 2
            total += doubled - 9 if doubled > 9 else doubled
        else:
            total += digit
    return (10 - total % 10) % 10


def _people(rng: random.Random, count: int) -> list[tuple[str, str, str, str, str]]:
    people = []
    for i in range(count):
        city, state, zip_code = CITIES[i % len(CITIES)]
        people.append(
            (
                f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                f"{rng.randint(1, 9999)} {rng.choice(STREETS)}"
                + (f" Apt {rng.randint(1, 40)}" if rng.random() < 0.3 else ""),
                city,
                state,
                zip_code,
            )
        )
    return people


def _sellers(rng: random.Random, count: int) -> list[tuple[str, str, str]]:
    sellers = []
    for i in range(count):
        place, country = SELLER_PLACES[i % len(SELLER_PLACES)]
        name = f"{place} {rng.choice(SELLER_WORDS)} {rng.choice(SELLER_KINDS)} {i}"
        sellers.append((name, f"{rng.randint(1, 500)} Industrial Road, {place}", country))
    return sellers


def generate(entries: int, seed: int, output: Path) -> int:
    """Write ``entries`` entries to ``output``; return the number of rows written."""
    rng = random.Random(seed)
    people = _people(rng, max(10, entries // 3))
    sellers = _sellers(rng, max(5, entries // 200))
    output.parent.mkdir(parents=True, exist_ok=True)
    rows = 0
    bills: list[str] = []
    with output.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for index in range(entries):
            serial = f"{1_000_000 + index:07d}"
            digit = check_digit(FILER, serial)
            if rng.random() < 0.002:
                digit = (digit + 1) % 10  # a wrong check digit
            number = f"{FILER}-{serial}-{digit}"
            arrival = FIRST_DAY + dt.timedelta(days=rng.randrange(360))
            filed = dt.datetime.combine(
                arrival - dt.timedelta(days=rng.randint(0, 2)), dt.time(rng.randrange(24))
            )
            person = rng.choice(people)
            seller = rng.choice(sellers)
            bill = f"738-{rng.randrange(10**8):08d}"
            if bills and rng.random() < 0.003:
                bill = rng.choice(bills)  # a bill already used on another entry
            elif len(bills) < 1000:
                bills.append(bill)
            head = [
                number,
                "86",
                arrival.isoformat(),
                filed.isoformat(),
                arrival.strftime("%m%d%y"),
                rng.choice(PORTS),
                "air",
                bill,
                person[0],
                person[1],
                person[2],
                person[3],
                person[4],
                "US",
                seller[0],
                seller[1],
                seller[2],
                "",
                "",
            ]
            lines = 1 + (rng.random() < 0.45) + (rng.random() < 0.15)
            over = rng.random() < 0.01  # a few entries over $800
            budget = rng.uniform(810, 950) if over else 700.0
            for line in range(1, lines + 1):
                description, hts, unit, low, high = rng.choice(PRODUCTS)
                if rng.random() < 0.01:
                    description = rng.choice(VAGUE)
                if rng.random() < 0.002:
                    hts = hts[:7]  # six digits
                quantity = rng.randint(1, 3)
                value = budget / lines if over else min(rng.uniform(low, high) * quantity, 700)
                writer.writerow(
                    [
                        *head,
                        line,
                        description,
                        hts,
                        seller[2],
                        f"{value:.2f}",
                        quantity,
                        unit,
                        f"{0.1 * quantity + 0.05:.2f}",
                        f"PO-{index:07d}",
                    ]
                )
                rows += 1
    return rows


def main() -> None:
    """Command line: write one population."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args()
    rows = generate(args.entries, args.seed, args.output)
    print(f"{args.output}: {args.entries} entries, {rows} rows")


if __name__ == "__main__":
    main()
