"""Curated, domain-valid building blocks shared by the factories and the Hypothesis strategies.

Every HTS number here is a 10-digit statistical reporting number of the HTSUS (2025 snapshot)
whose description fits the goods named; none is in a China AD/CVD order's HTS list, needs PGA
data, or is subject to a quota, so a line built from them is clean on any T86 date.
Each description maps to exactly one HTS number and back, so the catalog never looks like
inconsistent classification.
"""

import datetime as dt
from decimal import Decimal
from typing import NamedTuple


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

PRODUCTS: tuple[Product, ...] = (
    Product(
        "women's cotton knit t-shirt", "6109.10.00.40", "PCS", Decimal("14.99"), Decimal("0.18")
    ),
    Product(
        "men's cotton crew neck t-shirt", "6109.10.00.12", "PCS", Decimal("12.50"), Decimal("0.20")
    ),
    Product(
        "women's cotton sweatshirt", "6110.20.20.46", "PCS", Decimal("32.00"), Decimal("0.50")
    ),
    Product(
        "women's polyester knit dress", "6104.43.20.10", "PCS", Decimal("27.90"), Decimal("0.30")
    ),
    Product("cotton ankle socks", "6115.95.90.00", "PR", Decimal("3.20"), Decimal("0.05")),
    Product("cotton terry bath towel", "6302.60.00.20", "PCS", Decimal("11.00"), Decimal("0.50")),
    Product("leather bifold wallet", "4202.31.60.00", "PCS", Decimal("24.00"), Decimal("0.12")),
    Product("polyester backpack", "4202.92.31.20", "PCS", Decimal("36.00"), Decimal("0.70")),
    Product(
        "wireless bluetooth earbuds", "8518.30.20.00", "PCS", Decimal("39.99"), Decimal("0.10")
    ),
    Product("wireless computer mouse", "8471.60.90.50", "PCS", Decimal("18.50"), Decimal("0.10")),
    Product("usb flash drive", "8523.51.00.00", "PCS", Decimal("9.99"), Decimal("0.02")),
    Product("polarized sunglasses", "9004.10.00.00", "PCS", Decimal("22.00"), Decimal("0.05")),
    Product("plastic hair clips", "9615.11.40.00", "PCS", Decimal("2.40"), Decimal("0.01")),
    Product("sterling silver necklace", "7113.11.50.00", "PCS", Decimal("45.00"), Decimal("0.02")),
    Product(
        "plastic building block toy set", "9503.00.00.90", "SET", Decimal("29.99"), Decimal("0.60")
    ),
    Product("ceramic coffee mug", "6912.00.44.00", "PCS", Decimal("9.50"), Decimal("0.35")),
    Product("acoustic guitar strings", "9209.30.00.00", "SET", Decimal("8.75"), Decimal("0.05")),
    Product("paperback novel", "4901.99.00.93", "PCS", Decimal("12.99"), Decimal("0.30")),
    Product("golf balls", "9506.32.00.00", "DOZ", Decimal("28.00"), Decimal("0.55")),
    Product("spark plugs", "8511.10.00.00", "PCS", Decimal("6.40"), Decimal("0.06")),
)
"""Goods for the default factories and strategies (description, HTS, unit, price, weight)."""

DEFAULT_PRODUCT = PRODUCTS[0]

ALCOHOL_PRODUCTS: tuple[Product, ...] = (
    Product("red wine, 750 ml bottle", "2204.21.50.40", "BTL", Decimal("24.00"), Decimal("1.30")),
    Product(
        "white wine, 750 ml bottle", "2204.21.50.55", "BTL", Decimal("19.00"), Decimal("1.30")
    ),
    Product("malt beer, 330 ml cans", "2203.00.00.60", "PCS", Decimal("3.50"), Decimal("0.36")),
)
"""Alcoholic beverages: excluded from the exemption by 19 CFR 10.153(e)."""

TOBACCO_PRODUCTS: tuple[Product, ...] = (
    Product("paper-wrapped cigarettes", "2402.20.80.00", "PCS", Decimal("9.00"), Decimal("0.03")),
    Product("pipe tobacco", "2403.19.20.20", "PCS", Decimal("14.00"), Decimal("0.10")),
    Product("roll-your-own tobacco", "2403.19.20.50", "PCS", Decimal("12.00"), Decimal("0.05")),
)
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
US_PLACES: tuple[Address, ...] = (
    Address("Columbus", "OH", "43215"),
    Address("Houston", "TX", "77002"),
    Address("Brooklyn", "NY", "11215"),
    Address("Seattle", "WA", "98103"),
    Address("Atlanta", "GA", "30308"),
    Address("Denver", "CO", "80205"),
    Address("Chicago", "IL", "60614"),
    Address("Phoenix", "AZ", "85004"),
    Address("Portland", "OR", "97214"),
    Address("Raleigh", "NC", "27601"),
    Address("Minneapolis", "MN", "55408"),
    Address("Tampa", "FL", "33602"),
)

SELLERS: tuple[Seller, ...] = (
    Seller(
        "Saigon Threadworks Co., Ltd.",
        "112 Nguyen Van Linh Street, District 7, Ho Chi Minh City",
        "VN",
    ),
    Seller("Thames Valley Trading Ltd", "Unit 4, Greenham Business Park, Newbury RG19 6HN", "GB"),
    Seller("Busan Digital Co., Ltd.", "77 Jungang-daero, Dong-gu, Busan 48821", "KR"),
    Seller("Osaka Hobby Works K.K.", "2-14-3 Nipponbashi, Naniwa-ku, Osaka 556-0005", "JP"),
    Seller("Tiruppur Knit Garments Pvt. Ltd.", "45 Avinashi Road, Tiruppur 641603", "IN"),
    Seller("Maple Leaf Outfitters Inc.", "455 Saint-Paul Street West, Montreal QC H2Y 2A3", "CA"),
    Seller("Rheinland Handelshaus GmbH", "Industriestrasse 14, 50735 Koeln", "DE"),
)
"""Sellers outside China and Hong Kong, so they stay clean on every T86 date."""

CHINA_SELLERS: tuple[Seller, ...] = (
    Seller(
        "Shenzhen Lianfa Electronics Co., Ltd.",
        "Building 3, 1019 Huaqiang North Road, Futian District, Shenzhen",
        "CN",
    ),
    Seller("Kowloon Gadget House Ltd.", "12/F, 35 Nathan Road, Tsim Sha Tsui, Kowloon", "HK"),
)

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
