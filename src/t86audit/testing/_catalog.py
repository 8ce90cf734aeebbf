"""Curated, domain-valid building blocks shared by the factories and the Hypothesis strategies.

Every HTS number here is a 10-digit statistical reporting number of the HTSUS (2025 snapshot)
whose description fits the goods named; none is in a China AD/CVD order's HTS list, needs PGA
data, or is subject to a quota, so a line built from them is clean on any T86 date.
Each description maps to exactly one HTS number and back, so the catalog never looks like
inconsistent classification.

The goods, places and sellers are data, ``catalog.toml`` beside this module, read once at
import: one row a line, as a reviewer checks them against the HTSUS.
"""

import datetime as dt
import tomllib
from decimal import Decimal
from importlib import resources
from typing import Any, NamedTuple


class Product(NamedTuple):
    """A kind of goods that can be filed cleanly on a Type 86 entry."""

    description: str
    hts_number: str
    quantity_unit: str
    unit_price: Decimal
    unit_weight_kg: Decimal


class Address(NamedTuple):
    """A U.S. city with a matching state and ZIP code."""

    city: str
    state: str
    postal_code: str


class Seller(NamedTuple):
    """A foreign seller party as the CSV carries it (name, address, country)."""

    name: str
    address: str
    country: str


# The T86 window and the China/Hong Kong gates, by arrival date (domain reference, section 1).
# t86audit.policy holds the authoritative table; this copy keeps the testing helpers free of it.
T86_FIRST_DAY = dt.date(2019, 9, 28)
T86_LAST_DAY = dt.date(2025, 8, 28)
EARLY_FILING_END = dt.date(2024, 2, 15)
EDA_REQUIRED_FROM = dt.date(2024, 7, 25)
CHINA_GATES: tuple[tuple[dt.date, dt.date], ...] = (
    (dt.date(2025, 2, 4), dt.date(2025, 2, 6)),
    (dt.date(2025, 5, 2), T86_LAST_DAY),
)
CHINA_ORIGINS = ("CN", "HK")


def _data() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("catalog.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


_DATA = _data()


def _goods(kind: str) -> tuple[Product, ...]:
    return tuple(
        Product(description, hts, unit, Decimal(price), Decimal(weight))
        for description, hts, unit, price, weight in _DATA["goods"][kind]
    )


PRODUCTS: tuple[Product, ...] = _goods("clean")
"""Goods for the default factories and strategies (description, HTS, unit, price, weight)."""

DEFAULT_PRODUCT = PRODUCTS[0]

ALCOHOL_PRODUCTS: tuple[Product, ...] = _goods("alcohol")
"""Alcoholic beverages: excluded from the exemption by 19 CFR 10.153(e)."""

TOBACCO_PRODUCTS: tuple[Product, ...] = _goods("tobacco")
"""Cigarettes (19 CFR 10.153(e)) and other tobacco products (CBP guidance)."""

CHAPTER_98_NUMBERS = ("9801.00.10.98", "9801.00.20.00", "9802.00.50.60")
"""Chapter 98 special provisions, which CSMS 62520662 says cannot be used on a T86."""

VAGUE_DESCRIPTIONS = (
    "gift",
    "gifts",
    "Gift",
    "accessories",
    "parts",
    "daily necessities",
    "consolidated",
    "GIFT",
)
"""Descriptions that are, exactly, a term CBP names as unacceptably vague (CSMS 60011750)."""

PLACEHOLDER_NAMES = ("N/A", "NA", "Customer", "Consignee", "TBD", "Unknown", "12345", "0")
"""Consignee names that identify nobody."""

FIRST_NAMES = (
    "Jordan",
    "Maria",
    "David",
    "Aisha",
    "Kevin",
    "Linh",
    "Robert",
    "Priya",
    "Samuel",
    "Emily",
    "Carlos",
    "Hannah",
    "Tyrone",
    "Mei",
    "Patrick",
    "Fatima",
    "Gregory",
    "Sofia",
    "Marcus",
    "Olivia",
    "Andre",
    "Naomi",
    "Brandon",
    "Yuki",
    "Daniel",
    "Chloe",
    "Victor",
    "Grace",
    "Rafael",
    "Leah",
    "Terrence",
    "Isabel",
    "Wesley",
    "Nadia",
    "Eric",
    "Rosa",
    "Malik",
    "Julia",
    "Trevor",
    "Amara",
)
LAST_NAMES = (
    "Ellis",
    "Gonzalez",
    "Thompson",
    "Rahman",
    "O'Brien",
    "Nguyen",
    "Fischer",
    "Patel",
    "Okafor",
    "Whitaker",
    "Ramirez",
    "Kowalski",
    "Jackson",
    "Chen",
    "Murphy",
    "Haddad",
    "Lindqvist",
    "Moreno",
    "Bennett",
    "Carter",
    "Dubois",
    "Adeyemi",
    "Sullivan",
    "Tanaka",
    "Weiss",
    "Harper",
    "Castillo",
    "Brooks",
    "Silva",
    "Goldberg",
    "Washington",
    "Reyes",
    "Hoffman",
    "Kim",
    "Lawson",
    "Delgado",
    "Price",
    "Novak",
    "Singh",
    "Mensah",
)
STREETS = (
    "Maple Avenue",
    "Oak Street",
    "Cedar Lane",
    "Park Boulevard",
    "Lakeview Drive",
    "Washington Street",
    "Elm Court",
    "Highland Avenue",
    "Sunset Road",
    "Mill Street",
    "Riverside Drive",
    "Chestnut Street",
    "Hillcrest Road",
    "Franklin Avenue",
    "Pine Street",
)
US_PLACES: tuple[Address, ...] = tuple(Address(*row) for row in _DATA["parties"]["us_places"])
"""U.S. cities with a matching state and ZIP code."""

SELLERS: tuple[Seller, ...] = tuple(Seller(*row) for row in _DATA["parties"]["sellers"])
"""Sellers outside China and Hong Kong, so they stay clean on every T86 date."""

CHINA_SELLERS: tuple[Seller, ...] = tuple(
    Seller(*row) for row in _DATA["parties"]["china_sellers"]
)
"""Sellers of China and Hong Kong, for the dated gates."""

CLEAN_ORIGINS = ("VN", "GB", "KR", "JP", "IN", "CA", "DE", "TW", "TH", "MX")
"""Countries of origin never affected by a T86 gate."""

FOREIGN_CONSIGNEES: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("Li Wei", "Room 1203, 88 Shennan Road, Futian District", "Shenzhen", "GD", "518000", "CN"),
    ("Oliver Bennett", "14 Kings Road", "London", "", "SW3 4RP", "GB"),
    ("Chantal Roy", "220 Rue Sainte-Catherine", "Montreal", "QC", "H2X 1L1", "CA"),
    ("Jose Alvarez", "Av. Insurgentes Sur 1602", "Ciudad de Mexico", "CDMX", "03940", "MX"),
)
"""Consignees with an address outside the United States: name, address, city, state, ZIP,
country."""

EXPRESS_PORTS = ("4701", "4771", "4778", "2720", "2791", "3195", "5297", "4197", "2095")
"""ACE ports where express consignment (and so most T86 traffic) enters."""

TRUCK_PORTS = ("0901", "3004", "3801", "0712")
OCEAN_PORTS = ("2704", "2709", "3002")

FILER_CODES = ("B76", "H3K")
