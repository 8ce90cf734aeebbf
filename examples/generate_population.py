"""Generate the example Type 86 population: realistic clean entries plus planted problems.

Writes three files next to the output path (by default ``examples/data/``):

* ``entries.csv``: about 3,000 entries in the canonical CSV layout (one row per line item,
  entry-level fields repeated), filed by two filers (``B76`` and ``H3K``) from January 2023 to
  the end of the T86 programme, with problems of every rule family planted at known entries;
* ``entries-2.csv``: a small later export, two of whose entries reuse entry numbers of
  ``entries.csv`` (the multi-file duplicate case);
* ``planted.csv``: every planted problem: ``entry_number, family, problem, detail, file``.

The output is byte-identical for the same ``--seed`` and ``--entries``. Only the standard
library is used, plus :func:`t86audit.model.compute_check_digit` for entry-number check digits.

Usage::

    python examples/generate_population.py                 # the committed example data
    python examples/generate_population.py --seed 7 --entries 10000 --output /tmp/big.csv
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from t86audit.model import compute_check_digit


DESCRIPTION = "Generate the example Type 86 population with planted problems."
DEFAULT_SEED = 20240527  # the day CBP's suspension of several T86 brokers took effect
DEFAULT_ENTRIES = 3000
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "data" / "entries.csv"

# The canonical CSV columns, in the order of the input contract.
_COLUMN_NAMES = """
    entry_number entry_type arrival_date filed_at estimated_arrival_date port_code mode
    bill_of_lading consignee_name consignee_address consignee_city consignee_state
    consignee_postal_code consignee_country seller_name seller_address seller_country
    importer_of_record pga_data line_number description hts_number country_of_origin value_usd
    quantity quantity_unit gross_weight_kg order_reference
"""
COLUMNS = tuple(_COLUMN_NAMES.split())
PLANTED_COLUMNS = ("entry_number", "family", "problem", "detail", "file")
FAMILIES = ("VAL", "CON", "DES", "HTS", "ELG", "FIL", "LOAD")

FIRST_ARRIVAL = dt.date(2023, 1, 3)
LAST_ARRIVAL = dt.date(2025, 8, 28)  # the last day ACE accepted a T86
CHINA_GATES = ((dt.date(2025, 2, 4), dt.date(2025, 2, 6)), (dt.date(2025, 5, 2), LAST_ARRIVAL))
EDA_OPTIONAL_UNTIL = dt.date(2024, 7, 20)  # a margin before the 2024-07-25 EDA requirement
# Clean entries stay well below $800 and below the "just under $800" band the value rules
# watch, alone and together with a consignee's other entries of the same or adjacent days.
CLEAN_CAP = Decimal("700.00")
CENT = Decimal("0.01")

FILERS = {"B76": 410_001, "H3K": 4_101}
IOR_BY_FILER = {"B76": "36-441721000", "H3K": "95-318827400"}


# --------------------------------------------------------------------------------------------
# Reference data: goods, people, sellers, ports


def _table(text: str) -> list[list[str]]:
    """Rows of a ``|``-separated table, cells stripped; blank lines are skipped."""
    return [[cell.strip() for cell in line.split("|")] for line in text.strip().splitlines()]


@dataclass(frozen=True)
class Product:
    """Goods with a valid 10-digit HTS number (HTSUS 2025) and a plausible price range."""

    description: str
    hts: str
    unit: str
    low: Decimal
    high: Decimal
    weight: Decimal
    pga: str  # the PGA data a careful filer sends: "declared", "disclaimed" or ""
    adcvd: bool  # the HTS number is listed in a China AD/CVD order: never CN origin
    multiples: bool  # usually bought several at a time


# key | description | HTS | unit | low and high price | kg each | flags: multiples (bought
# several at a time), adcvd (never of Chinese origin), declared/disclaimed (the PGA data sent)
# Each description has exactly one HTS number and each HTS number one description, so the
# clean data never looks like inconsistent classification.
PRODUCTS_TABLE = """
tshirt_w     | women's cotton knit t-shirt     | 6109.10.00.40 | PCS | 6  | 35  | 0.18 |
tshirt_m     | men's cotton crew neck t-shirt  | 6109.10.00.12 | PCS | 6  | 35  | 0.20 |
sweatshirt_w | women's cotton sweatshirt       | 6110.20.20.46 | PCS | 15 | 60  | 0.50 |
sweater_m    | men's cotton knit sweater       | 6110.20.20.10 | PCS | 18 | 80  | 0.55 |
dress_w      | women's polyester knit dress    | 6104.43.20.10 | PCS | 12 | 70  | 0.30 |
socks        | cotton ankle socks              | 6115.95.90.00 | PR  | 2  | 8   | 0.05 | multiples
gloves       | polyester knit winter gloves    | 6116.93.88.00 | PR  | 5  | 20  | 0.08 |
cap          | cotton knit baseball cap        | 6505.00.15.40 | PCS | 6  | 25  | 0.10 |
scarf        | silk scarf                      | 6214.10.10.00 | PCS | 15 | 90  | 0.08 |
towel        | cotton terry bath towel         | 6302.60.00.20 | PCS | 6  | 30  | 0.50 |
pillowcase   | cotton pillowcase               | 6302.31.90.10 | PCS | 5  | 20  | 0.20 |
shoes        | men's mesh running shoes        | 6404.11.90.20 | PR  | 25 | 120 | 0.80 |
handbag      | leather handbag                 | 4202.21.90.00 | PCS | 30 | 250 | 0.90 |
wallet       | leather bifold wallet           | 4202.31.60.00 | PCS | 10 | 60  | 0.12 |
backpack     | polyester backpack              | 4202.92.31.20 | PCS | 15 | 80  | 0.70 |
earbuds      | wireless bluetooth earbuds      | 8518.30.20.00 | PCS | 10 | 150 | 0.10 |
charger      | usb wall charger adapter        | 8504.40.95.10 | PCS | 5  | 30  | 0.08 |
mouse        | wireless computer mouse         | 8471.60.90.50 | PCS | 8  | 60  | 0.10 |
keyboard     | mechanical computer keyboard    | 8471.60.20.00 | PCS | 25 | 150 | 0.90 |
flash        | usb flash drive                 | 8523.51.00.00 | PCS | 5  | 40  | 0.02 |
bulbs        | led light bulbs                 | 8539.52.00.91 | PCS | 2  | 10  | 0.06 | multiples
sunglasses   | polarized sunglasses            | 9004.10.00.00 | PCS | 8  | 120 | 0.05 |
comb         | plastic hair comb               | 9615.11.30.00 | PCS | 1  | 6   | 0.02 | multiples
hairclips    | plastic hair clips              | 9615.11.40.00 | PCS | 1  | 6   | 0.01 | multiples
hairbrush    | plastic hairbrush               | 9603.29.80.10 | PCS | 3  | 20  | 0.10 |
necklace     | sterling silver necklace        | 7113.11.50.00 | PCS | 15 | 200 | 0.02 |
earrings     | base metal fashion earrings     | 7117.19.90.00 | PR  | 2  | 20  | 0.01 | multiples
umbrella     | folding umbrella                | 6601.91.00.00 | PCS | 8  | 35  | 0.35 |
blocks       | plastic building block toy set  | 9503.00.00.90 | SET | 10 | 80  | 0.60 |
plush        | stuffed plush toy bear          | 9503.00.00.73 | PCS | 8  | 40  | 0.30 |
golf         | golf balls                      | 9506.32.00.00 | DOZ | 15 | 50  | 0.55 |
strings      | acoustic guitar strings         | 9209.30.00.00 | SET | 5  | 25  | 0.05 |
novel        | paperback novel                 | 4901.99.00.93 | PCS | 6  | 25  | 0.30 |
mug          | ceramic coffee mug              | 6912.00.44.00 | PCS | 5  | 25  | 0.35 |
knives       | stainless steel table knives    | 8211.91.40.00 | SET | 10 | 60  | 0.50 |
containers   | plastic food storage containers | 3924.10.40.00 | SET | 8  | 35  | 0.60 | disclaimed
dogcollar    | leather dog collar              | 4201.00.30.00 | PCS | 8  | 45  | 0.12 |
sparkplugs   | spark plugs                     | 8511.10.00.00 | PCS | 3  | 15  | 0.06 | multiples
brakepads    | ceramic brake pads              | 8708.30.50.90 | SET | 25 | 120 | 1.80 | adcvd
candle       | scented soy wax candle          | 3406.00.00.00 | PCS | 8  | 30  | 0.40 | adcvd
cookies      | butter cookies                  | 1905.90.90.90 | PCS | 6  | 30  | 0.50 | declared adcvd
tea          | black tea bags                  | 0902.30.00.50 | PCS | 4  | 25  | 0.20 | declared
lipstick     | matte lipstick                  | 3304.10.00.00 | PCS | 5  | 40  | 0.03 | declared
"""  # noqa: E501 - one product per line reads best


def _product(row: list[str]) -> Product:
    flags = row[7].split()
    pga = next((flag for flag in flags if flag in ("declared", "disclaimed")), "")
    return Product(
        row[1],
        row[2],
        row[3],
        Decimal(row[4]),
        Decimal(row[5]),
        Decimal(row[6]),
        pga,
        "adcvd" in flags,
        "multiples" in flags,
    )


PRODUCTS: dict[str, Product] = {row[0]: _product(row) for row in _table(PRODUCTS_TABLE)}


@dataclass(frozen=True)
class Consignee:
    """A U.S. ultimate consignee with a fixed address; weight sets how often it imports."""

    name: str
    address: str
    city: str
    state: str
    postal_code: str
    weight: int

    def fields(self) -> tuple[str, str, str, str, str, str]:
        """Name, address, city, state, ZIP, country, as the CSV carries them."""
        return (self.name, self.address, self.city, self.state, self.postal_code, "US")


# name | street address | city | state | ZIP | weight (a few import heavily)
CONSIGNEES_TABLE = """
Maria Gonzalez               | 2210 Westheimer Road Apt 14      | Houston        | TX | 77098 | 12
Kevin O'Brien                | 418 Prospect Park West           | Brooklyn       | NY | 11215 | 10
Linh Tran                    | 9021 Bolsa Avenue                | Westminster    | CA | 92683 | 10
Ridgeway Cycle Shop LLC      | 77 Industrial Way Suite 3        | Boulder        | CO | 80301 | 9
Harborline Home Goods LLC    | 1250 Commerce Drive Unit B       | Edison         | NJ | 08837 | 9
Aisha Rahman                 | 1502 N Damen Avenue              | Chicago        | IL | 60622 | 4
David Thompson               | 3317 Peachtree Road NE           | Atlanta        | GA | 30326 | 4
Priya Patel                  | 28 Hamilton Street               | Edison         | NJ | 08817 | 4
Samuel Okafor                | 615 Pennsylvania Avenue SE       | Washington     | DC | 20003 | 3
Emily Whitaker               | 1140 SW Alder Street             | Portland       | OR | 97205 | 3
Carlos Ramirez               | 2401 E Camelback Road            | Phoenix        | AZ | 85016 | 3
Hannah Kowalski              | 815 W Wisconsin Avenue           | Milwaukee      | WI | 53233 | 3
Tyrone Jackson               | 4420 Old Dowd Road               | Charlotte      | NC | 28208 | 3
Mei Chen                     | 1633 Noriega Street              | San Francisco  | CA | 94122 | 4
Patrick Murphy               | 52 Dorchester Avenue             | Boston         | MA | 02127 | 2
Fatima Haddad                | 6710 Schaefer Road               | Dearborn       | MI | 48126 | 3
Gregory Lindqvist            | 3005 Hennepin Avenue             | Minneapolis    | MN | 55408 | 2
Sofia Moreno                 | 1290 Brickell Bay Drive Apt 2207 | Miami          | FL | 33131 | 3
Marcus Bennett               | 208 Broadway                     | Nashville      | TN | 37201 | 2
Olivia Carter                | 930 Pearl Street                 | Denver         | CO | 80203 | 2
Andre Dubois                 | 1419 Magazine Street             | New Orleans    | LA | 70130 | 2
Naomi Adeyemi                | 75 Greenwich Avenue              | Stamford       | CT | 06902 | 2
Brandon Sullivan             | 5120 Harrison Boulevard          | Ogden          | UT | 84403 | 2
Yuki Tanaka                  | 2455 Kalakaua Avenue Unit 1104   | Honolulu       | HI | 96815 | 2
Daniel Weiss                 | 340 E 64th Street Apt 5C         | New York       | NY | 10065 | 3
Chloe Harper                 | 1817 Fairview Avenue E           | Seattle        | WA | 98102 | 2
Victor Castillo              | 4300 N Mesa Street               | El Paso        | TX | 79902 | 2
Grace Brooks                 | 119 Market Street                | Charleston     | SC | 29401 | 2
Rafael Silva                 | 66 Ferry Street                  | Newark         | NJ | 07105 | 2
Leah Goldberg                | 2900 Wilshire Boulevard          | Santa Monica   | CA | 90403 | 2
Wesley Hoffman               | 1521 S Main Street               | Salt Lake City | UT | 84115 | 1
Nadia Kim                    | 3810 Wilshire Boulevard Apt 1502 | Los Angeles    | CA | 90010 | 3
Eric Lawson                  | 722 E Grand River Avenue         | Lansing        | MI | 48906 | 1
Rosa Delgado                 | 1906 W Hillsborough Avenue       | Tampa          | FL | 33603 | 2
Bluebird Boutique Inc.       | 311 King Street                  | Alexandria     | VA | 22314 | 3
Summit Outdoor Supply Co.    | 4580 Valley Road                 | Bozeman        | MT | 59718 | 2
Lakeside Auto Repair LLC     | 2008 Lake Street                 | Kenosha        | WI | 53140 | 2
Petal & Pine Home LLC        | 18 Main Street                   | Burlington     | VT | 05401 | 2
Northgate Electronics Repair | 915 N 45th Street                | Seattle        | WA | 98103 | 2
Coastal Tea Room LLC         | 402 Front Street                 | Beaufort       | NC | 28516 | 2
"""
CONSIGNEES: tuple[Consignee, ...] = tuple(
    Consignee(row[0], row[1], row[2], row[3], row[4], int(row[5]))
    for row in _table(CONSIGNEES_TABLE)
)


@dataclass(frozen=True)
class Seller:
    """A foreign seller: what it sells, where its goods are made, how it ships."""

    code: str
    name: str
    address: str
    country: str
    origins: tuple[str, ...]
    products: tuple[str, ...]
    weight: int
    airline: str
    truck: bool

    def fields(self) -> tuple[str, str, str]:
        """Name, address, country, as the CSV carries them."""
        return (self.name, self.address, self.country)


# code | name | address | country | origins | goods | weight | air waybill prefix | truck
SELLERS_TABLE = """
SZLF | Shenzhen Lianfa Electronics Co., Ltd. | Building 3, 1019 Huaqiang North Road, Futian District, Shenzhen | CN | CN | earbuds charger mouse keyboard flash bulbs | 10 | 784 |
GZMY | Guangzhou Meiyi Apparel Co., Ltd. | 88 Zhongshan Avenue West, Tianhe District, Guangzhou | CN | CN | tshirt_w tshirt_m sweatshirt_w dress_w socks gloves cap | 10 | 784 |
YWXH | Yiwu Xinghe Trading Co., Ltd. | 17 Futian Road, Yiwu, Zhejiang | CN | CN | hairclips comb earrings umbrella blocks plush hairbrush | 9 | 999 |
DGHT | Dongguan Hengtai Leather Products Co., Ltd. | 26 Dongcheng Road, Dongcheng District, Dongguan, Guangdong | CN | CN | handbag wallet dogcollar backpack | 6 | 784 |
NBHY | Ningbo Haoyu Household Products Co., Ltd. | 301 Jiangnan Road, Yinzhou District, Ningbo, Zhejiang | CN | CN | mug knives bulbs containers | 5 | 999 |
XMSR | Xiamen Sunrise Sporting Goods Co., Ltd. | 9 Huandao East Road, Siming District, Xiamen, Fujian | CN | CN | golf shoes backpack | 4 | 731 |
KLGH | Kowloon Gadget House Ltd. | 12/F, 35 Nathan Road, Tsim Sha Tsui, Kowloon, Hong Kong | HK | CN HK | earbuds charger flash mouse | 5 | 160 |
HBFT | Harbour Fashion Trading Ltd. | Unit 5, 9/F, 18 Hung To Road, Kwun Tong, Kowloon, Hong Kong | HK | CN HK | tshirt_w dress_w scarf sunglasses | 4 | 160 |
SGTW | Saigon Threadworks Co., Ltd. | 112 Nguyen Van Linh Street, District 7, Ho Chi Minh City | VN | VN | tshirt_w tshirt_m sweatshirt_w sweater_m dress_w socks | 8 | 738 |
HNSH | Hanoi Silk House Co., Ltd. | 36 Hang Gai Street, Hoan Kiem District, Hanoi | VN | VN | scarf pillowcase | 3 | 738 |
DNFW | Da Nang Footwear JSC | Lot 12, Hoa Khanh Industrial Park, Lien Chieu District, Da Nang | VN | VN | shoes backpack | 4 | 738 |
TVBC | Thames Valley Biscuit Company Ltd | Unit 4, Greenham Business Park, Newbury RG19 6HN | GB | GB | cookies tea | 3 | 125 |
CMBK | Camden Books & Media Ltd | 21 Jamestown Road, London NW1 7BY | GB | GB | novel | 3 | 125 |
NTLT | Northern Tack & Leather Ltd | Mill Lane Works, Walsall WS1 2PN | GB | GB IN | dogcollar wallet handbag | 2 | 125 |
MLOF | Maple Leaf Outfitters Inc. | 455 Saint-Paul Street West, Montreal QC H2Y 2A3 | CA | CA VN | gloves cap socks sweater_m | 3 | 014 | truck
GLAS | Great Lakes Auto Supply Ltd. | 1200 Dundas Street East, Mississauga ON L4Y 2C5 | CA | CA JP MX | sparkplugs brakepads | 3 | 014 | truck
RHAT | Rheinland Autoteile GmbH | Industriestrasse 14, 50735 Koeln | DE | DE | sparkplugs brakepads | 2 | 020 |
BLKW | Berliner Kuechenwaren GmbH | Oranienstrasse 185, 10999 Berlin | DE | DE | knives mug | 2 | 020 |
SLBL | Seoul Beauty Lab Co., Ltd. | 14 Gangnam-daero 102-gil, Gangnam-gu, Seoul 06123 | KR | KR | lipstick hairbrush | 3 | 180 |
BSDG | Busan Digital Co., Ltd. | 77 Jungang-daero, Dong-gu, Busan 48821 | KR | KR | flash mouse keyboard | 3 | 180 |
OSHW | Osaka Hobby Works K.K. | 2-14-3 Nipponbashi, Naniwa-ku, Osaka 556-0005 | JP | JP | blocks plush strings golf | 3 | 205 |
JPHE | Jaipur Handicrafts Exports Pvt. Ltd. | B-12, Sitapura Industrial Area, Jaipur 302022 | IN | IN | necklace earrings scarf pillowcase towel | 3 | 098 |
TPKG | Tiruppur Knit Garments Pvt. Ltd. | 45 Avinashi Road, Tiruppur 641603 | IN | IN | tshirt_w tshirt_m socks towel | 3 | 098 |
ANHT | Anatolia Home Textiles A.S. | Organize Sanayi Bolgesi 3. Cadde No 7, Denizli | TR | TR | towel pillowcase | 2 | 235 |
BKCC | Bangkok Candle & Craft Co., Ltd. | 88 Rama IV Road, Khlong Toei, Bangkok 10110 | TH | TH | candle | 2 | 217 |
GDLG | Guadalajara Leather Goods S.A. de C.V. | Av. Vallarta 3233, Guadalajara, Jalisco 44690 | MX | MX | handbag wallet dogcollar | 2 | 139 |
MLEY | Milano Eyewear S.r.l. | Via Tortona 31, 20144 Milano | IT | IT | sunglasses | 2 | 055 |
BXCD | Bordeaux Cellar Direct SARL | 12 Quai des Chartrons, 33000 Bordeaux | FR | FR | | 0 | 057 |
MCBV | Munich Craft Beverages GmbH | Landsberger Strasse 120, 80339 Muenchen | DE | DE | | 0 | 020 |
ATHB | Amsterdam Tobacco House B.V. | Damrak 62, 1012 LM Amsterdam | NL | NL | | 0 | 074 |
"""  # noqa: E501 - one seller per line reads best
SELLERS: tuple[Seller, ...] = tuple(
    Seller(
        row[0],
        row[1],
        row[2],
        row[3],
        tuple(row[4].split()),
        tuple(row[5].split()),
        int(row[6]),
        row[7],
        row[8] == "truck",
    )
    for row in _table(SELLERS_TABLE)
)
SELLER = {seller.code: seller for seller in SELLERS}
# Sellers of weight 0 (wine, beer, tobacco) appear only in planted problems.
CLEAN_SELLERS = tuple(seller for seller in SELLERS if seller.weight > 0)

# ACE express-consignment hubs and airports (Schedule D / ACE Appendix E codes) with weights.
AIR_PORTS = (
    ("4701", 3),
    ("4771", 3),
    ("4772", 3),
    ("4778", 3),
    ("2720", 2),
    ("2791", 3),
    ("3195", 3),
    ("5297", 2),
    ("4197", 3),
    ("2095", 2),
    ("4196", 2),
    ("5206", 1),
    ("3029", 1),
    ("2801", 1),
)
TRUCK_PORTS = ("0901", "3004", "3801", "0712")
OCEAN_PORTS = ("2704", "2709", "3002")


def gated(day: dt.date) -> bool:
    """Whether Chinese and Hong Kong goods were ineligible for T86 on this arrival date."""
    return any(first <= day <= last for first, last in CHINA_GATES)


# --------------------------------------------------------------------------------------------
# Entries as they will be written


@dataclass
class Line:
    """One line item, every field as text."""

    description: str
    hts: str
    origin: str
    value: str
    quantity: str
    unit: str
    weight: str
    order_reference: str

    @property
    def amount(self) -> Decimal:
        """The value as a number (0 for text that is not one, such as the planted "abc")."""
        text = self.value.replace("$", "").replace(",", "")
        try:
            return Decimal(text)
        except ArithmeticError:
            return Decimal(0)


@dataclass
class Spec:
    """An entry to write: entry-level fields, lines and the problems planted in it."""

    seq: int
    filer: str
    arrival: dt.date
    filed_at: dt.datetime
    eda: dt.date | None
    port: str
    mode: str
    bill: str
    consignee: tuple[str, str, str, str, str, str]
    seller: tuple[str, str, str]
    lines: list[Line]
    ior: str = ""
    pga: str = ""
    arrival_text: str = ""
    number: str = ""
    number_style: str = "valid"
    copy_of: Spec | None = None
    file: str = "entries.csv"
    group: str = ""
    plants: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        """The entry's total declared value."""
        return sum((line.amount for line in self.lines), Decimal(0))

    def plant(self, family: str, problem: str, detail: str) -> Spec:
        """Record a planted problem; ``{peers}`` in the detail lists the group's other entries."""
        self.plants.append((family, problem, detail))
        return self

    def rows(self) -> list[list[str]]:
        """The CSV rows of this entry."""
        eda = self.eda.isoformat() if self.eda else ""
        shared = [
            self.number,
            "86",
            self.arrival_text or self.arrival.isoformat(),
            self.filed_at.isoformat(),
            eda,
            self.port,
            self.mode,
            self.bill,
            *self.consignee,
            *self.seller,
            self.ior,
            self.pga,
        ]
        return [
            [
                *shared,
                str(index),
                line.description,
                line.hts,
                line.origin,
                line.value,
                line.quantity,
                line.unit,
                line.weight,
                line.order_reference,
            ]
            for index, line in enumerate(self.lines, start=1)
        ]


def money(value: Decimal) -> str:
    """Two decimals, no currency sign."""
    return f"{value.quantize(CENT)}"


# --------------------------------------------------------------------------------------------
# The population builder


class Builder:
    """Builds clean entries and planted problems, keeping every group rule quiet by default.

    A consignee's entries on one day stay under ``CLEAN_CAP``, as do runs of one seller's
    entries to one consignee on consecutive days; planted problems claim their consignee for
    three days either side, so no clean entry joins their group by accident.
    """

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.seq = 0
        self.day_totals: dict[tuple[int, dt.date], Decimal] = {}
        self.pair_days: dict[tuple[str, int], dict[dt.date, Decimal]] = {}
        self.claimed: set[tuple[int, dt.date]] = set()
        self.bill_serial = 2_410_000 + self.rng.randrange(10_000)
        self.order_serial: Counter[str] = Counter()
        self.span = (LAST_ARRIVAL - FIRST_ARRIVAL).days

    # -- small choices ----------------------------------------------------------------------

    def weighted(self, items: Sequence[tuple[str, int]]) -> str:
        """One item, by weight."""
        return self.rng.choices([i for i, _ in items], [w for _, w in items])[0]

    def day(self) -> dt.date:
        """An arrival date; volume grows over time, as T86 traffic did."""
        offset = int(self.span * (self.rng.random() ** 0.7))
        return FIRST_ARRIVAL + dt.timedelta(days=offset)

    def filed(self, arrival: dt.date, *, after: int | None = None) -> dt.datetime:
        """A filing time: before arrival, or ``after`` days after it."""
        if after is None:
            after = -self.rng.randint(1, 3)
        clock = dt.time(self.rng.randrange(6, 23), self.rng.randrange(60), self.rng.randrange(60))
        return dt.datetime.combine(arrival + dt.timedelta(days=after), clock)

    def clean_filed(self, arrival: dt.date) -> dt.datetime:
        """Filing time of a clean entry: before 2024 some were filed after arrival, legally."""
        if arrival <= dt.date(2024, 1, 31) and self.rng.random() < 0.3:
            return self.filed(arrival, after=self.rng.randint(1, 10))
        return self.filed(arrival)

    def eda(self, arrival: dt.date, filed: dt.datetime) -> dt.date | None:
        """The estimated arrival date; before the EDA became mandatory it was often left out."""
        if filed.date() < EDA_OPTIONAL_UNTIL and self.rng.random() < 0.5:
            return None
        if self.rng.random() < 0.1:
            return arrival - dt.timedelta(days=1)
        return arrival

    def bill(self, mode: str, seller: Seller) -> str:
        """A new bill: air waybill (mod-7 check digit), truck PRO number or ocean bill."""
        self.bill_serial += self.rng.randint(1, 40)
        serial = self.bill_serial
        if mode == "truck":
            return f"TRK{serial:09d}"
        if mode == "ocean":
            return f"OOLU{serial:010d}"
        if mode == "mail":
            return f"LX{serial % 100_000_000:08d}{serial % 7}{seller.country}"
        return f"{seller.airline}-{serial:07d}{serial % 7}"

    def order_reference(self, seller: Seller, day: dt.date) -> str:
        """A new order number of the seller's web shop."""
        self.order_serial[seller.code] += self.rng.randint(1, 9)
        return f"{seller.code}-{day.year}-{self.order_serial[seller.code]:06d}"

    def port(self, mode: str) -> str:
        """A port of entry for the mode."""
        if mode == "truck":
            return self.rng.choice(TRUCK_PORTS)
        if mode == "ocean":
            return self.rng.choice(OCEAN_PORTS)
        return self.weighted(AIR_PORTS)

    def mode(self, seller: Seller) -> str:
        """Mostly air; Canadian sellers often truck; a few Asian sellers use ocean."""
        if seller.truck and self.rng.random() < 0.6:
            return "truck"
        if seller.country in ("CN", "VN", "KR") and self.rng.random() < 0.03:
            return "ocean"
        return "air"

    def filer(self) -> str:
        """B76 files most entries, H3K the rest."""
        return "H3K" if self.rng.random() < 0.2 else "B76"

    def line(
        self,
        product: Product,
        origin: str,
        order: str,
        *,
        quantity: int | None = None,
        value: str | None = None,
        cap: Decimal | None = None,
    ) -> Line:
        """A line for ``product``; price and quantity drawn unless given (at most ``cap``)."""
        if quantity is None:
            quantity = (
                self.rng.randint(2, 8)
                if product.multiples
                else self.rng.choice((1, 1, 1, 1, 1, 1, 1, 2, 2, 3))
            )
        amount: Decimal | None = None
        if value is None:
            high = (
                product.high
                if cap is None
                else max(min(product.high, cap / quantity), product.low)
            )
            cents = self.rng.randint(int(product.low * 100), int(high * 100))
            if self.rng.random() < 0.6:
                cents = max(cents // 100 * 100 - 1, int(product.low * 100))
            amount = Decimal(cents).scaleb(-2) * quantity
        value_text = value if value is not None else money(amount or Decimal(0))
        jitter = Decimal(self.rng.randint(90, 115)) / 100
        weight = max(product.weight * quantity * jitter, CENT)
        return Line(
            product.description,
            product.hts,
            origin,
            value_text,
            str(quantity),
            product.unit,
            money(weight),
            order,
        )

    # -- bookkeeping ------------------------------------------------------------------------

    def register(self, spec: Spec, consignee: int | None, seller: Seller | None) -> Spec:
        """Count the entry towards its consignee's day and seller-consignee run."""
        if consignee is not None:
            key = (consignee, spec.arrival)
            self.day_totals[key] = self.day_totals.get(key, Decimal(0)) + spec.total
            if seller is not None:
                days = self.pair_days.setdefault((seller.code, consignee), {})
                days[spec.arrival] = days.get(spec.arrival, Decimal(0)) + spec.total
        return spec

    def fits(self, consignee: int, seller: Seller, day: dt.date, value: Decimal) -> bool:
        """Whether a clean entry can join without making any group rule fire."""
        if (consignee, day) in self.claimed:
            return False
        if self.day_totals.get((consignee, day), Decimal(0)) + value > CLEAN_CAP:
            return False
        days = self.pair_days.get((seller.code, consignee), {})
        run = value + days.get(day, Decimal(0))
        for step in (-1, 1):
            current = day + dt.timedelta(days=step)
            while current in days:
                run += days[current]
                current += dt.timedelta(days=step)
        return run <= CLEAN_CAP

    def claim(self, consignee: int, day: dt.date) -> None:
        """Keep clean entries of this consignee away from a planted entry's group."""
        for offset in range(-3, 4):
            self.claimed.add((consignee, day + dt.timedelta(days=offset)))

    def free_consignee(self, *days: dt.date, avoid: Iterable[int] = ()) -> int:
        """A consignee with nothing (clean or planted) within three days of any of ``days``."""
        avoided = set(avoid)
        window = [d + dt.timedelta(days=o) for d in days for o in range(-3, 4)]
        while True:
            index = self.rng.randrange(len(CONSIGNEES))
            if index in avoided or any((index, d) in self.claimed for d in window):
                continue
            if any((index, d) in self.day_totals for d in window):
                continue
            return index

    # -- entries ----------------------------------------------------------------------------

    def spec(
        self,
        day: dt.date,
        consignee: tuple[str, str, str, str, str, str],
        seller: Seller,
        lines: list[Line],
        *,
        mode: str | None = None,
        filed: dt.datetime | None = None,
    ) -> Spec:
        """An entry with clean entry-level data around the given parties and lines."""
        self.seq += 1
        mode = mode or self.mode(seller)
        filed = filed or self.clean_filed(day)
        pga = next(
            (
                p.pga
                for p in PRODUCTS.values()
                for ln in lines
                if p.hts == ln.hts and p.pga == "declared"
            ),
            "",
        )
        if not pga and any(p.pga and p.hts == ln.hts for p in PRODUCTS.values() for ln in lines):
            pga = "disclaimed"
        filer = self.filer()
        return Spec(
            self.seq,
            filer,
            day,
            filed,
            self.eda(day, filed),
            self.port(mode),
            mode,
            self.bill(mode, seller),
            consignee,
            seller.fields(),
            lines,
            ior=IOR_BY_FILER[filer] if pga else "",
            pga=pga,
        )

    def origin(self, seller: Seller, product: Product, day: dt.date) -> str | None:
        """A country of origin that keeps the line clean on ``day``, if the seller has one."""
        origins = [
            o for o in seller.origins if not (o in ("CN", "HK") and (gated(day) or product.adcvd))
        ]
        return self.rng.choice(origins) if origins else None

    def clean(self, window: tuple[dt.date, dt.date] | None = None) -> Spec:
        """A clean entry that fits beside everything built so far (arriving within ``window``)."""
        while True:
            if window is None:
                arrival = self.day()
            else:
                span = (window[1] - window[0]).days
                arrival = window[0] + dt.timedelta(days=self.rng.randrange(span + 1))
            seller = SELLER[self.weighted([(s.code, s.weight) for s in CLEAN_SELLERS])]
            consignee = self.rng.choices(range(len(CONSIGNEES)), [c.weight for c in CONSIGNEES])[0]
            count = self.rng.choice((1, 1, 1, 1, 1, 1, 2, 2, 3, 4))
            keys = self.rng.sample(seller.products, min(count, len(seller.products)))
            order = self.order_reference(seller, arrival)
            lines = []
            for key in keys:
                origin = self.origin(seller, PRODUCTS[key], arrival)
                if origin is not None:
                    lines.append(self.line(PRODUCTS[key], origin, order))
            if not lines:
                continue
            total = sum((ln.amount for ln in lines), Decimal(0))
            if not self.fits(consignee, seller, arrival, total):
                continue
            spec = self.spec(arrival, CONSIGNEES[consignee].fields(), seller, lines)
            return self.register(spec, consignee, seller)

    def planted(
        self,
        day: dt.date,
        seller: Seller,
        items: Sequence[tuple[str, int, str]],
        *,
        consignee: int | None = None,
        party: tuple[str, ...] | None = None,
        origin: str | None = None,
        mode: str | None = None,
        filed: dt.datetime | None = None,
        order: str | None = None,
    ) -> Spec:
        """An entry for a planted problem: given goods (key, quantity, value), clean otherwise.

        The consignee is claimed for three days either side; pass ``party`` to file other
        consignee fields at that consignee's slot (for example a placeholder name).
        """
        if consignee is None:
            consignee = self.free_consignee(day)
        self.claim(consignee, day)
        order = order or self.order_reference(seller, day)
        lines = []
        drawn = sum(1 for _, _, value in items if not value)
        cap = Decimal(400) / drawn if drawn else None
        for key, quantity, value in items:
            product = PRODUCTS[key]
            line_origin = origin or self.origin(seller, product, day) or seller.origins[0]
            lines.append(
                self.line(
                    product, line_origin, order, quantity=quantity, value=value or None, cap=cap
                )
            )
        fields = party if party is not None else CONSIGNEES[consignee].fields()
        assert len(fields) == 6
        spec = self.spec(
            day,
            (fields[0], fields[1], fields[2], fields[3], fields[4], fields[5]),
            seller,
            lines,
            mode=mode,
            filed=filed or self.filed(day),
        )
        if spec.eda is None and spec.filed_at.date() >= EDA_OPTIONAL_UNTIL:
            spec.eda = day
        return self.register(spec, consignee if party is None else None, seller)


# --------------------------------------------------------------------------------------------
# Planted problems

# One planted entry per row: family | problem | arrival | seller | goods | changes | detail.
# goods: "key:quantity[:value]" items separated by spaces (the value is drawn when left out).
# changes, separated by ";": desc=, hts=, unit= (line 1); origin= (every line); cname=, caddr=,
# ccountry=, party=name~address~city~state~ZIP~country (the consignee); sname=, saddr=,
# scountry= (the seller); port=, mode=, pga=, ior=; eda=none or eda=+N (days from arrival);
# filed=+N (days after arrival) or an ISO date-time; number=malformed-N or wrong-check-N.
# {sp2} and {sp3} stand for two and three spaces. The families' group problems (one person on
# one day, split shipments, shared addresses...) are built in code below the table.
PLANTS_TABLE = """
VAL | entry-value-over-threshold | 2024-03-12 | DGHT | handbag:4:812.40 | | entry total 812.40
VAL | entry-value-over-threshold | 2024-09-05 | SZLF | earbuds:5:475.00 mouse:5:475.00 | | entry total 950.00 over two lines
VAL | entry-value-over-threshold | 2023-11-20 | JPHE | necklace:6:$1,245.00 | | entry total 1245.00, filed as '$1,245.00' (currency sign and thousands separator)
VAL | entry-value-over-threshold | 2025-03-18 | SGTW | sweater_m:5:312.50 sweatshirt_w:6:298.00 dress_w:6:295.00 | | entry total 905.50 over three lines
VAL | entry-value-over-threshold | 2024-12-02 | DNFW | shoes:7:800.01 | | entry total 800.01, one cent over
VAL | nominal-line-value | 2024-05-07 | YWXH | plush:1:0.00 | | line 1 value 0.00
VAL | nominal-line-value | 2023-08-14 | KLGH | charger:2:0.01 flash:1 | origin=HK | line 1 value 0.01
VAL | nominal-line-value | 2025-04-09 | BSDG | mouse:1:0.01 | | line 1 value 0.01
CON | consignee-data-missing | 2023-05-16 | SGTW | tshirt_w:1 | cname= | consignee name empty
CON | consignee-data-missing | 2024-08-27 | OSHW | plush:1 | cname={sp3} | consignee name is three spaces
CON | consignee-data-missing | 2023-12-04 | JPHE | earrings:1 | caddr= | consignee street address empty
CON | consignee-data-missing | 2025-06-17 | BSDG | flash:1 | caddr= | consignee street address empty
CON | consignee-data-missing | 2024-02-22 | TPKG | socks:3 | ccountry= | consignee country empty
CON | consignee-outside-us | 2024-04-23 | SZLF | earbuds:1 | party=Li Wei~Room 1203, 88 Shennan Road, Futian District~Shenzhen~GD~518000~CN | consignee address in Shenzhen, CN
CON | consignee-outside-us | 2025-07-08 | CMBK | novel:1 | party=Oliver Bennett~14 Kings Road~London~~SW3 4RP~GB | consignee address in London, GB
CON | consignee-outside-us | 2023-10-17 | MLOF | gloves:1 | party=Chantal Roy~220 Sainte-Catherine Street West~Montreal~QC~H2X 1L1~CA | consignee address in Montreal, CA
CON | owner-in-care-of-warehouse | 2024-03-26 | GZMY | tshirt_w:6 | party=Guangzhou Meiyi Apparel Co., Ltd. c/o ShipRight Fulfillment~2100 Commerce Parkway Building B~Reno~NV~89506~US | the foreign seller 'c/o' a U.S. warehouse in Reno, NV (allowed; a warning)
CON | owner-in-care-of-warehouse | 2025-04-15 | HBFT | scarf:6 | party=Harbour Fashion Trading Ltd. C/O Keystone Fulfillment Center~455 Distribution Way~Bethlehem~PA~18017~US | the foreign seller 'C/O' a U.S. warehouse in Bethlehem, PA (allowed; a warning)
CON | placeholder-consignee-name | 2024-08-13 | HNSH | scarf:1 | cname=N/A | consignee name 'N/A'
CON | placeholder-consignee-name | 2023-07-25 | YWXH | hairclips:4 | cname=Customer | consignee name 'Customer'
CON | placeholder-consignee-name | 2025-02-25 | SZLF | charger:1 | cname=TBD | consignee name 'TBD'
CON | placeholder-consignee-name | 2024-11-12 | DNFW | backpack:1 | cname=12345 | consignee name '12345' (digits only)
CON | nominal-consignee | 2024-01-30 | SZLF | mouse:1 | party=DHL Express~Building 208, JFK International Airport~Jamaica~NY~11430~US | carrier 'DHL Express' as consignee
CON | nominal-consignee | 2024-10-01 | GZMY | cap:1 | party=FedEx Trade Networks~Building 208, JFK International Airport~Jamaica~NY~11430~US | forwarder 'FedEx Trade Networks' as consignee
CON | nominal-consignee | 2025-03-25 | SGTW | socks:4 | party=UPS Supply Chain Solutions~Building 208, JFK International Airport~Jamaica~NY~11430~US | forwarder 'UPS Supply Chain Solutions' as consignee
CON | seller-data-missing | 2023-04-11 | BKCC | candle:1 | sname= | seller name empty
CON | seller-data-missing | 2024-09-17 | MLEY | sunglasses:1 | sname= | seller name empty
CON | seller-data-missing | 2023-06-20 | ANHT | towel:1 | saddr= | seller address empty
CON | seller-data-missing | 2025-05-20 | TPKG | tshirt_m:1 | saddr= | seller address empty
CON | seller-data-missing | 2024-06-04 | BLKW | knives:1 | scountry= | seller country empty
CON | seller-data-missing | 2025-01-14 | OSHW | strings:1 | scountry= | seller country empty
CON | importer-of-record-missing | 2024-11-26 | TVBC | cookies:3 | ior= | PGA data declared but no importer of record number
CON | importer-of-record-missing | 2025-02-11 | SLBL | lipstick:3 | ior= | PGA data declared but no importer of record number
DES | description-missing | 2023-03-07 | SGTW | tshirt_m:1 | desc= | description empty
DES | description-missing | 2023-04-23 | TPKG | tshirt_m:1 | desc= | description empty
DES | description-missing | 2023-06-09 | GZMY | tshirt_m:1 | desc={sp2} | description is two spaces
DES | vague-description | 2023-07-26 | OSHW | plush:1 | desc=gift | description exactly 'gift'
DES | vague-description | 2023-09-11 | YWXH | hairclips:3 | desc=accessories | description exactly 'accessories'
DES | vague-description | 2023-10-28 | RHAT | sparkplugs:4 | desc=parts | description exactly 'parts'
DES | vague-description | 2023-12-14 | BLKW | mug:2 | desc=daily necessities | description exactly 'daily necessities'
DES | vague-description | 2024-01-30 | DNFW | backpack:1 | desc=consolidated | description exactly 'consolidated'
DES | vague-term-without-specifics | 2024-03-17 | RHAT | brakepads:1 | desc=car parts | 'car parts': a vague term and a generic word
DES | vague-term-without-specifics | 2024-05-03 | OSHW | blocks:1 | desc=assorted gifts | 'assorted gifts': a vague term and a generic word
DES | vague-term-without-specifics | 2024-06-19 | KLGH | charger:1 | desc=accessories for phone | 'accessories for phone': a vague term and a bare 'for <thing>'
DES | vague-term-without-specifics | 2024-08-05 | GLAS | sparkplugs:4 | desc=auto parts | 'auto parts': CBP's 'parts' (CSMS 60011750) and a generic word
DES | unconfirmed-vague-term | 2024-09-21 | ANHT | towel:2 | desc=general merchandise | 'general merchandise' is commonly called vague, not confirmed in CBP text
DES | description-symbols-only | 2024-11-07 | BSDG | flash:1 | desc=12345 | description '12345'
DES | description-symbols-only | 2024-12-24 | SGTW | tshirt_w:1 | desc=--- | description '---'
DES | description-symbols-only | 2025-02-09 | MLEY | sunglasses:1 | desc=#@! | description '#@!'
DES | description-too-short | 2025-03-28 | JPHE | earrings:2 | desc=abc | description 'abc'
DES | description-too-short | 2025-01-13 | YWXH | comb:3 | desc=item | description 'item'
DES | description-too-short | 2025-06-30 | DNFW | shoes:1 | desc=shoes | description 'shoes', one word
HTS | hts-not-10-digits | 2023-02-14 | SGTW | tshirt_w:1 | desc=women's cotton tank top;hts=6109.10 | 6-digit HTS 6109.10
HTS | hts-not-10-digits | 2023-04-08 | BSDG | earbuds:1 | desc=wireless gaming headset;hts=851830 | 6-digit HTS 851830, without dots
HTS | hts-not-10-digits | 2023-05-31 | DNFW | backpack:1 | desc=nylon laptop backpack;hts=4202.92.31 | 8-digit HTS 4202.92.31
HTS | hts-not-in-schedule-older-entry | 2023-07-23 | TPKG | tshirt_w:1 | desc=girls' cotton graphic t-shirt;hts=6109.10.00.99 | 6109.10.00.99 is not a statistical reporting number
HTS | hts-not-in-schedule-older-entry | 2023-09-14 | BSDG | earbuds:1 | desc=over-ear bluetooth headphones;hts=8518.30.99.99 | 8518.30.99.99 is not a statistical reporting number
HTS | hts-not-in-schedule | 2023-11-06 | BLKW | mug:1 | desc=ceramic flower vase;hts=1234.56.78.90 | 1234.56.78.90: there is no heading 1234
HTS | hts-chapter-98-before-guidance | 2023-12-29 | NTLT | wallet:1 | desc=men's leather belt, customer return;hts=9801.00.10.98 | chapter 98 number 9801.00.10.98 (U.S. goods returned)
HTS | hts-chapter-98-before-guidance | 2024-02-20 | OSHW | strings:1 | desc=quartz wristwatch returned after repair;hts=9802.00.50.60 | chapter 98 number 9802.00.50.60 (repairs abroad)
HTS | hts-chapter-99 | 2024-04-13 | NBHY | knives:1 | desc=stainless steel insulated tumbler;hts=9903.88.15.00 | chapter 99 number 9903.88.15 (Section 301) as the only classification
HTS | hts-chapter-99 | 2024-06-05 | NBHY | mug:1 | desc=bamboo serving tray;hts=9903.88.03.00 | chapter 99 number 9903.88.03 (Section 301) as the only classification
HTS | description-inconsistent-with-hts | 2024-07-28 | SZLF | charger:1 | desc=silicone phone case;hts=6109.10.00.40 | 'silicone phone case' under 6109 (T-shirts, knitted)
HTS | description-inconsistent-with-hts | 2024-09-19 | KLGH | earbuds:1 | desc=wireless earphones;hts=6110.20.20.10 | 'wireless earphones' under 6110 (sweaters, knitted)
HTS | description-inconsistent-with-hts | 2024-11-11 | GDLG | dogcollar:1 | desc=leather dog leash;hts=8511.10.00.00 | 'leather dog leash' under 8511 (spark plugs)
ELG | arrival-before-t86-test | 2019-08-15 | SGTW | tshirt_w:2 | | arrival 2019-08-15
ELG | arrival-before-t86-test | 2019-09-27 | SGTW | tshirt_w:2 | | arrival 2019-09-27, the day before the test started
ELG | arrival-after-t86-ended | 2025-08-29 | CMBK | novel:2 | | arrival 2025-08-29, the first day without de minimis
ELG | arrival-after-t86-ended | 2025-09-03 | CMBK | novel:2 | | arrival 2025-09-03
ELG | arrival-after-t86-ended | 2025-09-15 | CMBK | novel:2 | | arrival 2025-09-15
ELG | china-hong-kong-origin-gated | 2025-02-05 | YWXH | umbrella:2 | origin=CN | origin CN arriving 2025-02-05
ELG | china-hong-kong-origin-gated | 2025-02-06 | KLGH | flash:2 | origin=HK | origin HK arriving 2025-02-06
ELG | china-hong-kong-origin-gated | 2025-05-02 | GZMY | tshirt_w:2 | origin=CN | origin CN arriving 2025-05-02
ELG | china-hong-kong-origin-gated | 2025-07-10 | HBFT | sunglasses:2 | origin=HK | origin HK arriving 2025-07-10
ELG | mail-mode | 2023-06-14 | YWXH | earrings:1 | mode=mail | mode 'mail'
ELG | mail-mode | 2024-05-20 | HNSH | scarf:1 | mode=mail | mode 'mail'
ELG | mail-mode | 2025-01-09 | JPHE | necklace:1 | mode=mail | mode 'mail'
ELG | alcoholic-beverage | 2024-11-19 | BXCD | novel:2 | desc=red wine, 750 ml bottle;hts=2204.21.50.40;unit=BTL | wine (2204.21.50.40)
ELG | alcoholic-beverage | 2023-12-05 | BXCD | novel:2 | desc=white wine, 750 ml bottle;hts=2204.21.50.55;unit=BTL | wine (2204.21.50.55)
ELG | alcoholic-beverage | 2025-03-11 | MCBV | novel:2 | desc=malt beer, 330 ml cans;hts=2203.00.00.60 | beer (2203.00.00.60)
ELG | cigars-or-cigarettes | 2024-01-16 | ATHB | novel:2 | desc=paper-wrapped cigarettes;hts=2402.20.80.00 | cigarettes (2402.20.80.00)
ELG | cigars-or-cigarettes | 2025-06-24 | ATHB | novel:2 | desc=paper-wrapped cigarettes;hts=2402.20.80.00 | cigarettes (2402.20.80.00)
ELG | other-tobacco | 2024-07-02 | ATHB | novel:2 | desc=pipe tobacco;hts=2403.19.20.20 | pipe tobacco (2403.19.20.20)
ELG | other-tobacco | 2023-05-30 | ATHB | novel:2 | desc=roll-your-own tobacco;hts=2403.19.20.50 | roll-your-own tobacco (2403.19.20.50)
ELG | adcvd-hts-match | 2023-09-12 | YWXH | comb:10 | desc=wooden cased graphite pencils;hts=9609.10.00.00;origin=CN | pencils of China: the cased pencils order lists 9609.10.00
ELG | adcvd-hts-match | 2024-08-21 | NBHY | comb:10 | desc=paraffin wax pillar candle;hts=3406.00.00.00;origin=CN | candles of China: the petroleum wax candles order lists 3406.00.00
ELG | adcvd-hts-match | 2025-03-26 | YWXH | comb:10 | desc=steel wire paper clips;hts=8305.90.30.10;origin=CN | paper clips of China: the paper clips order lists 8305.90
ELG | pga-data-missing | 2023-10-02 | TVBC | cookies:4 | pga=;ior= | butter cookies (1905.90.90.90, FDA flag FD4) without PGA data or a disclaimer
ELG | pga-data-missing | 2024-07-30 | TVBC | cookies:4 | pga=;ior= | butter cookies (1905.90.90.90, FDA flag FD4) without PGA data or a disclaimer
ELG | pga-data-missing | 2025-06-05 | TVBC | cookies:4 | pga=;ior= | butter cookies (1905.90.90.90, FDA flag FD4) without PGA data or a disclaimer
FIL | entry-number-malformed | 2023-04-04 | SGTW | socks:3 | number=malformed-0 |
FIL | entry-number-malformed | 2024-06-18 | SGTW | socks:3 | number=malformed-1 |
FIL | entry-number-malformed | 2025-01-28 | SGTW | socks:3 | number=malformed-2 |
FIL | entry-number-check-digit | 2023-08-29 | TPKG | towel:1 | number=wrong-check-3 |
FIL | entry-number-check-digit | 2024-04-02 | TPKG | towel:1 | number=wrong-check-5 |
FIL | entry-number-check-digit | 2025-07-29 | TPKG | towel:1 | number=wrong-check-7 |
FIL | filed-after-arrival | 2024-02-15 | CMBK | novel:1 | filed=+1 | arrival 2024-02-15, the first day of the filed-before-arrival rule; filed a day later
FIL | filed-after-arrival | 2024-06-20 | CMBK | novel:1 | filed=+2 | filed two days after arrival
FIL | filed-after-arrival | 2024-11-05 | CMBK | novel:1 | filed=+5 | filed five days after arrival
FIL | filed-after-arrival | 2025-03-11 | CMBK | novel:1 | filed=+1 | filed a day after arrival
FIL | filed-more-than-15-days-after-arrival | 2023-03-01 | HNSH | pillowcase:2 | filed=+19 | filed 19 days after arrival (the 2019 notice allowed 15)
FIL | filed-more-than-15-days-after-arrival | 2023-10-10 | HNSH | pillowcase:2 | filed=+23 | filed 23 days after arrival (the 2019 notice allowed 15)
FIL | filed-more-than-15-days-after-arrival | 2024-02-01 | HNSH | pillowcase:2 | filed=+19 | arrival before 2024-02-15, filed 19 days later
FIL | estimated-arrival-date-missing | 2024-07-26 | SLBL | hairbrush:1 | filed=2024-07-25T08:40:00;eda=none | no EDA, filed 2024-07-25 (the first day it was mandatory)
FIL | estimated-arrival-date-missing | 2024-09-03 | SLBL | hairbrush:1 | filed=2024-09-02T19:05:00;eda=none | no EDA, filed 2024-09-02
FIL | estimated-arrival-date-missing | 2025-01-15 | SLBL | hairbrush:1 | filed=2025-01-13T11:30:00;eda=none | no EDA, filed 2025-01-13
FIL | estimated-arrival-date-missing | 2025-06-10 | SLBL | hairbrush:1 | filed=2025-06-09T14:55:00;eda=none | no EDA, filed 2025-06-09
FIL | estimated-arrival-date-far-from-arrival | 2024-08-20 | BSDG | keyboard:1 | eda=+10 | EDA 10 days after arrival
FIL | estimated-arrival-date-far-from-arrival | 2025-02-18 | BSDG | keyboard:1 | eda=-21 | EDA 21 days before arrival
FIL | estimated-arrival-date-far-from-arrival | 2025-05-27 | BSDG | keyboard:1 | eda=+45 | EDA 45 days after arrival
FIL | port-code-unknown | 2024-03-05 | MLEY | sunglasses:1 | port=9999 | port 9999 is in neither port list
FIL | port-code-unknown | 2025-04-22 | MLEY | sunglasses:1 | port=1234 | port 1234 is in neither port list
FIL | port-code-historical | 2023-11-07 | MLEY | sunglasses:1 | port=2711 | port 2711 (El Segundo, CA) appears only in historical Census trade data
"""  # noqa: E501 - one planted entry per line reads best

_CONSIGNEE_FIELDS = {"cname": 0, "caddr": 1, "ccountry": 5}
_SELLER_FIELDS = {"sname": 0, "saddr": 1, "scountry": 2}


def _goods(text: str) -> list[tuple[str, int, str]]:
    items = []
    for item in text.split():
        key, quantity, *value = item.split(":", 2)
        items.append((key, int(quantity), value[0] if value else ""))
    return items


def plant_table(b: Builder) -> list[Spec]:
    """The single-entry planted problems of ``PLANTS_TABLE``."""
    specs = []
    for family, problem, arrival, code, goods, change_text, detail in _table(PLANTS_TABLE):
        day = dt.date.fromisoformat(arrival)
        changes = {}
        for item in filter(None, (part.strip() for part in change_text.split(";"))):
            key, _, value = item.partition("=")
            changes[key] = value.replace("{sp2}", "  ").replace("{sp3}", "   ")
        person = b.free_consignee(day)
        party: tuple[str, ...] | None = None
        if "party" in changes:
            party = tuple(changes["party"].split("~"))
        elif _CONSIGNEE_FIELDS.keys() & changes.keys():
            fields = list(CONSIGNEES[person].fields())
            for key, index in _CONSIGNEE_FIELDS.items():
                if key in changes:
                    fields[index] = changes[key]
            party = tuple(fields)
        filed = None
        if changes.get("filed", "").startswith("+"):
            filed = b.filed(day, after=int(changes["filed"]))
        elif "filed" in changes:
            filed = dt.datetime.fromisoformat(changes["filed"])
        spec = b.planted(
            day,
            SELLER[code],
            _goods(goods),
            consignee=person,
            party=party,
            origin=changes.get("origin"),
            mode=changes.get("mode"),
            filed=filed,
        )
        first = spec.lines[0]
        first.description = changes.get("desc", first.description)
        first.hts = changes.get("hts", first.hts)
        first.unit = changes.get("unit", first.unit)
        seller = list(spec.seller)
        for key, index in _SELLER_FIELDS.items():
            if key in changes:
                seller[index] = changes[key]
        spec.seller = (seller[0], seller[1], seller[2])
        spec.port = changes.get("port", spec.port)
        spec.pga = changes.get("pga", spec.pga)
        spec.ior = changes.get("ior", spec.ior)
        spec.number_style = changes.get("number", spec.number_style)
        if "eda" in changes:
            eda = changes["eda"]
            spec.eda = None if eda == "none" else day + dt.timedelta(days=int(eda))
        specs.append(spec.plant(family, problem, detail))
    return specs


def plant_value_groups(b: Builder) -> list[Spec]:
    """Planted value problems that need several entries."""
    specs: list[Spec] = []

    def group(name: str, members: Iterable[Spec]) -> list[Spec]:
        listed = list(members)
        for spec in listed:
            spec.group = name
        specs.extend(listed)
        return listed

    # One person, one day: three entries from three sellers, each under $800, 885.50 together.
    # In filing (manifest) order the third takes the day's total over $800: that entry breaks
    # the rule; the first two are named in its detail.
    day = dt.date(2024, 10, 15)
    person = b.free_consignee(day)
    lots = [
        ("SZLF", "earbuds:4:320.00"),
        ("DGHT", "handbag:2:290.00"),
        ("SGTW", "sweater_m:5:275.50"),
    ]
    members = group(
        "one-day-1",
        [
            b.planted(
                day,
                SELLER[code],
                _goods(goods),
                consignee=person,
                filed=dt.datetime.combine(day - dt.timedelta(days=1), dt.time(9 + 3 * n, 15)),
            )
            for n, (code, goods) in enumerate(lots)
        ],
    )
    members[-1].plant(
        "VAL",
        "consignee-day-over-threshold",
        f"third of three entries to one consignee arriving {day}, filed last: "
        "320.00 + 290.00 + 275.50 = 885.50; the earlier entries {peers} stay "
        "under $800 and are not flagged",
    )
    # The same with two entries, the second naming the consignee in capitals.
    day = dt.date(2025, 1, 22)
    person = b.free_consignee(day)
    fields = CONSIGNEES[person].fields()
    evening = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(16, 40))
    members = group(
        "one-day-2",
        [
            b.planted(
                day,
                SELLER["JPHE"],
                _goods("necklace:3:450.00"),
                consignee=person,
                filed=evening - dt.timedelta(hours=6),
            ),
            b.planted(
                day,
                SELLER["OSHW"],
                _goods("blocks:6:410.00"),
                consignee=person,
                party=(fields[0].upper(), *fields[1:]),
                filed=evening,
            ),
        ],
    )
    b.register(members[1], person, SELLER["OSHW"])
    members[1].plant(
        "VAL",
        "consignee-day-over-threshold",
        f"second of two entries to one consignee arriving {day}, the name in "
        "capitals: 450.00 + 410.00 = 860.00; the earlier entry {peers} is not "
        "flagged",
    )

    # Split shipments: one order in two lots six days apart; three lots on consecutive days.
    day = dt.date(2024, 4, 10)
    later = day + dt.timedelta(days=6)
    person = b.free_consignee(day, later)
    order = b.order_reference(SELLER["GZMY"], day)
    for spec in group(
        "split-1",
        [
            b.planted(
                day,
                SELLER["GZMY"],
                _goods("sweatshirt_w:10:480.00"),
                consignee=person,
                order=order,
            ),
            b.planted(
                later, SELLER["GZMY"], _goods("dress_w:9:455.00"), consignee=person, order=order
            ),
        ],
    ):
        spec.plant(
            "VAL",
            "split-shipment",
            f"order {order} sent in two lots six days apart, 480.00 + 455.00 = 935.00; "
            "with {peers}",
        )
    day = dt.date(2025, 3, 3)
    nextday = day + dt.timedelta(days=1)
    person = b.free_consignee(day, nextday)
    for spec in group(
        "split-2",
        [
            b.planted(day, SELLER["BSDG"], _goods("keyboard:3:300.00"), consignee=person),
            b.planted(nextday, SELLER["BSDG"], _goods("earbuds:4:280.00"), consignee=person),
            b.planted(nextday, SELLER["BSDG"], _goods("mouse:8:290.00"), consignee=person),
        ],
    ):
        spec.plant(
            "VAL",
            "split-shipment",
            "one seller to one consignee on consecutive days, 300.00 + 280.00 + 290.00 "
            "= 870.00; with {peers}",
        )

    # One consignee's entries valued just under $800, from five sellers.
    cluster = [
        ("2024-01-08", "SGTW", "sweater_m:10:792.00"),
        ("2024-01-19", "DGHT", "handbag:4:799.99"),
        ("2024-02-02", "SZLF", "earbuds:6:790.00"),
        ("2024-02-14", "JPHE", "necklace:5:796.40"),
        ("2024-02-27", "DNFW", "shoes:7:794.95"),
    ]
    days = [dt.date.fromisoformat(day_text) for day_text, _, _ in cluster]
    person = b.free_consignee(*days)
    for spec in group(
        "near-threshold-consignee",
        [
            b.planted(day, SELLER[code], _goods(goods), consignee=person)
            for day, (_, code, goods) in zip(days, cluster, strict=True)
        ],
    ):
        spec.plant(
            "VAL",
            "consignee-values-under-threshold",
            f"entry total {spec.total}, one of five for this consignee within $10 under "
            "$800; with {peers}",
        )
    # One seller's entries valued just under $800, to four consignees.
    chosen: list[int] = []
    members = []
    for day_text, goods in [
        ("2024-06-10", "handbag:4:785.00"),
        ("2024-06-24", "handbag:4:798.00"),
        ("2024-07-08", "backpack:12:776.50"),
        ("2024-07-22", "handbag:4:799.00"),
    ]:
        day = dt.date.fromisoformat(day_text)
        chosen.append(b.free_consignee(day, avoid=chosen))
        members.append(
            b.planted(day, SELLER["NTLT"], _goods(goods), consignee=chosen[-1], origin="GB")
        )
    for spec in group("near-threshold-seller", members):
        spec.plant(
            "VAL",
            "seller-values-under-threshold",
            f"entry total {spec.total}, one of four from this seller within $25 under "
            "$800; with {peers}",
        )

    return specs


def plant_party_groups(b: Builder) -> list[Spec]:
    """Planted problems of parties, bills and classification that need code, not a table row."""
    specs: list[Spec] = []

    def group(name: str, members: Iterable[Spec]) -> list[Spec]:
        listed = list(members)
        for spec in listed:
            spec.group = name
        specs.extend(listed)
        return listed

    # The foreign seller as consignee at its own address (also a consignee outside the U.S.).
    for day, code, goods in [
        (dt.date(2023, 9, 6), "GZMY", "dress_w:2"),
        (dt.date(2024, 12, 10), "KLGH", "earbuds:2"),
    ]:
        seller = SELLER[code]
        spec = b.planted(
            day,
            seller,
            _goods(goods),
            party=(seller.name, seller.address, "", "", "", seller.country),
        )
        spec.plant(
            "CON",
            "consignee-is-foreign-seller",
            f"consignee is the seller {seller.name!r} at its own address",
        )
        specs.append(
            spec.plant(
                "CON",
                "consignee-outside-us",
                f"consignee country {seller.country} (the seller itself)",
            )
        )
    # Eight consignee names at one address on one day.
    day = dt.date(2024, 10, 8)
    names = [
        "Jenny Zhao",
        "Mark Liu",
        "Sandra Wu",
        "Tony Huang",
        "Kelly Lin",
        "Peter Ma",
        "Alice Guo",
        "Ryan Sun",
    ]
    for spec in group(
        "shared-address",
        [
            b.planted(
                day,
                SELLER["YWXH"],
                _goods("hairclips:5 earrings:3"),
                party=(name, "1450 W Artesia Blvd Unit 12", "Gardena", "CA", "90248", "US"),
            )
            for name in names
        ],
    ):
        spec.plant(
            "CON",
            "address-shared-by-many-consignees",
            f"eight consignee names at 1450 W Artesia Blvd Unit 12 on {day}; with {{peers}}",
        )

    # One description under three HTS numbers.
    for day_text, hts in [
        ("2023-06-06", "8518.22.00.00"),
        ("2024-02-06", "8518.29.80.00"),
        ("2024-09-24", "8519.81.41.50"),
    ]:
        spec = b.planted(dt.date.fromisoformat(day_text), SELLER["SZLF"], _goods("earbuds:2"))
        spec.lines[0].description = "portable bluetooth speaker"
        spec.lines[0].hts = hts
        group("one-description", [spec])[0].plant(
            "HTS",
            "inconsistent-classification",
            f"'portable bluetooth speaker' under {hts} here and under other numbers in {{peers}}",
        )

    # One bill of lading on two entries (a week apart; then on one day).
    for first_day, second_day in [
        (dt.date(2024, 5, 14), dt.date(2024, 5, 21)),
        (dt.date(2025, 1, 7), dt.date(2025, 1, 7)),
    ]:
        one = b.planted(first_day, SELLER["OSHW"], _goods("golf:1"))
        two = b.planted(second_day, SELLER["JPHE"], _goods("earrings:1"))
        two.bill, two.port, two.mode = one.bill, one.port, one.mode
        for spec in group(f"bill-{one.bill}", [one, two]):
            spec.plant("FIL", "bill-of-lading-reused", f"bill {one.bill} also on {{peers}}")
    return specs


def plant_load_errors(b: Builder) -> list[Spec]:
    """Entries the loader must reject whole: bad value, impossible date, duplicate number."""
    bad_value = b.planted(dt.date(2024, 9, 10), SELLER["GZMY"], _goods("tshirt_w:2 socks:4"))
    bad_value.lines[1].value = "abc"
    bad_value.plant(
        "LOAD", "value-not-a-number", "line 2 value 'abc'; the whole entry (2 rows) is rejected"
    )
    bad_date = b.planted(dt.date(2024, 2, 29), SELLER["OSHW"], _goods("blocks:1 plush:1"))
    bad_date.arrival_text = "2024-02-31"
    bad_date.plant(
        "LOAD",
        "impossible-date",
        "arrival_date '2024-02-31'; the whole entry (2 rows) is rejected",
    )
    first = b.planted(dt.date(2024, 4, 16), SELLER["SGTW"], _goods("dress_w:1"))
    second = b.planted(dt.date(2024, 8, 6), SELLER["CMBK"], _goods("novel:2"))
    second.copy_of = first
    first.plant(
        "LOAD",
        "duplicate-entry-number-in-file",
        "two filings (arrivals 2024-04-16 and 2024-08-06) share this number; their rows "
        f"disagree on entry-level fields, so both ({len(first.lines) + len(second.lines)} rows) "
        "are rejected",
    )
    return [bad_value, bad_date, first, second]


# --------------------------------------------------------------------------------------------
# Numbering and output


def assign_numbers(specs: list[Spec], counters: dict[str, int]) -> None:
    """Give entries their numbers in filing order, sequential per filer, some spoiled."""
    for spec in sorted(specs, key=lambda s: (s.filed_at, s.seq)):
        if spec.copy_of is not None:
            continue
        serial = f"{counters[spec.filer]:07d}"
        counters[spec.filer] += 1
        check = compute_check_digit(spec.filer, serial)
        style = spec.number_style
        if style.startswith("malformed-"):
            shapes = (
                f"{spec.filer}-{serial[1:]}-{check}",
                f"{spec.filer}{serial}",
                f"{spec.filer[:2]}-{serial}-{check}",
            )
            spec.number = shapes[int(style.rsplit("-", 1)[1])]
            spec.plants[-1] = (*spec.plants[-1][:2], f"{spec.number!r} is not XXX-NNNNNNN-C")
        elif style.startswith("wrong-check-"):
            wrong = (check + int(style.rsplit("-", 1)[1])) % 10
            spec.number = f"{spec.filer}-{serial}-{wrong}"
            spec.plants[-1] = (*spec.plants[-1][:2], f"check digit {wrong}, expected {check}")
        else:
            spec.number = f"{spec.filer}-{serial}-{check}"
    for spec in specs:
        if spec.copy_of is not None:
            spec.number = spec.copy_of.number


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """Write CSV with CRLF line ends, as broker exports usually have."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)


def planted_rows(specs: Sequence[Spec]) -> list[list[str]]:
    """One row per planted problem, with ``{peers}`` resolved to the group's other numbers."""
    groups: dict[str, list[str]] = {}
    for spec in specs:
        if spec.group:
            groups.setdefault(spec.group, []).append(spec.number)
    rows = []
    for spec in specs:
        for family, problem, detail in spec.plants:
            peers = ", ".join(sorted(n for n in groups.get(spec.group, []) if n != spec.number))
            rows.append(
                [spec.number, family, problem, detail.replace("{peers}", peers), spec.file]
            )
    rows.sort(key=lambda r: (FAMILIES.index(r[1]), r[2], r[4], r[0]))
    return rows


def check(specs: Sequence[Spec]) -> None:
    """Invariants of the output: no accidental duplicate numbers, bills or orders."""
    assert len({id(s) for s in specs}) == len(specs), "an entry was added twice"
    intended = {s.number for s in specs if s.copy_of is not None}
    numbers = Counter(s.number for s in specs)
    assert all(n in intended for n, c in numbers.items() if c > 1), numbers.most_common(3)
    bills = Counter(s.bill for s in specs)
    reused = {s.bill for s in specs if s.group.startswith("bill-")}
    assert all(b in reused for b, c in bills.items() if c > 1), bills.most_common(3)
    for spec in specs:
        if not spec.plants and spec.copy_of is None and spec.file == "entries.csv":
            assert spec.total <= CLEAN_CAP, spec


def build(seed: int, entries: int) -> tuple[list[Spec], list[Spec]]:
    """Build the main population and the second file's entries."""
    b = Builder(seed)
    planted = plant_table(b) + plant_value_groups(b) + plant_party_groups(b) + plant_load_errors(b)
    if entries < len(planted) + 2:
        msg = f"--entries must be at least {len(planted) + 2} (the planted entries and two more)"
        raise ValueError(msg)
    clean = [b.clean() for _ in range(entries - len(planted))]
    main = planted + clean
    counters = dict(FILERS)
    assign_numbers(main, counters)

    # A later export: new entries, two of which reuse numbers from entries.csv.
    window = (dt.date(2025, 8, 18), LAST_ARRIVAL)
    later = [b.clean(window) for _ in range(10)]
    originals = b.rng.sample(sorted(clean, key=lambda s: s.seq), 2)
    for spec, original in zip(later, originals, strict=False):
        spec.copy_of = original
        spec.plant(
            "FIL",
            "duplicate-entry-number",
            f"also used in entries.csv for the entry arriving {original.arrival}",
        )
    for spec in later:
        spec.file = "entries-2.csv"
    assign_numbers(later, counters)
    check(main)
    return main, later


def ordered(specs: Iterable[Spec]) -> list[Spec]:
    """File order: by filing time, as a filer's export lists them."""
    return sorted(specs, key=lambda s: (s.filed_at, s.seq))


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=DESCRIPTION)
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
    )
    parser.add_argument(
        "--entries",
        type=int,
        default=DEFAULT_ENTRIES,
        help=f"entries in entries.csv (default {DEFAULT_ENTRIES})",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help="path of entries.csv; entries-2.csv and planted.csv go beside it",
    )
    args = parser.parse_args(argv)
    output: Path = args.output
    output.parent.mkdir(parents=True, exist_ok=True)

    try:
        main_specs, later_specs = build(args.seed, args.entries)
    except ValueError as exc:
        parser.error(str(exc))
    main_rows = [row for spec in ordered(main_specs) for row in spec.rows()]
    later_rows = [row for spec in ordered(later_specs) for row in spec.rows()]
    write_csv(output, COLUMNS, main_rows)
    write_csv(output.with_name("entries-2.csv"), COLUMNS, later_rows)
    planted = planted_rows([*main_specs, *later_specs])
    write_csv(output.with_name("planted.csv"), PLANTED_COLUMNS, planted)

    rejected = [
        s for s in main_specs if any(f == "LOAD" for f, _, _ in s.plants) or s.copy_of is not None
    ]
    rejected_rows = sum(len(s.lines) for s in rejected)
    numbers = {s.number for s in main_specs}
    loaded = len(numbers) - len({s.number for s in rejected})
    print(
        f"{output.name}: {len(main_rows)} rows, {len(numbers)} entry numbers; "
        f"{loaded} entries load, {rejected_rows} rows are rejected"
    )
    print(f"entries-2.csv: {len(later_rows)} rows, {len(later_specs)} entries")
    counts = Counter((row[1], row[2]) for row in planted)
    print(f"planted.csv: {len(planted)} problems")
    for (family, problem), count in sorted(
        counts.items(), key=lambda i: (FAMILIES.index(i[0][0]), i[0][1])
    ):
        print(f"  {family} {problem}: {count}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
