"""The made-up broker of tests/test_review_session21_blind_xlsx.py: its entries and its exports.

"Keystone Zephyr Customs Brokerage" (filer code KZ7) keeps its Type 86 review as an Excel
workbook, the way a compliance team does: a hidden old copy first, a title block over the
header, its own header names, real date and date-time cells, numbers kept as numbers (values
with a currency format, quantities, ZIP codes, port codes, entry types and most HTS numbers,
some of chapters 01-09 whose leading zero a number loses), countries of origin written as
names, blank rows and a label row between the years, an entry number merged down over an
entry's second line, a VLOOKUP that found nothing (``#N/A``), a quantity typed ``2 pcs``, a
``TOTAL`` row whose formula Excel computed and saved, and a Notes sheet after the data.

:func:`build_workbook` writes it; :func:`build_json` writes the same entries as the JSON input
form (codes as text, as a system exports them), without the rows a workbook alone can spoil.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


FILER = "KZ7"


def check_digit(filer: str, serial: str) -> str:
    """The entry number's check digit, by the domain reference's 5.3 (CATAIR Appendix E)."""
    letters = {c: str((i % 9) + 1) for i, c in enumerate("ABCDEFGHIJKLMNOPQR")}
    letters.update({c: str(i + 2) for i, c in enumerate("STUVWXYZ")})
    digits = "".join(letters.get(c, c) for c in filer) + serial
    total = 0
    for position, char in enumerate(digits, 1):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def number(serial: int, *, wrong_digit: bool = False) -> str:
    text = f"{serial:07d}"
    digit = check_digit(FILER, text)
    if wrong_digit:
        digit = str((int(digit) + 3) % 10)
    return f"{FILER}-{text}-{digit}"


@dataclass
class Line:
    description: str
    hts: int | str | None
    origin: str | None
    value: float | str | None
    quantity: int | str | None = 1
    unit: str = "PCS"
    order: str = ""


@dataclass
class Entry:
    key: str  # E01...: the answer key's name for it
    serial: int
    arrival: dt.date | str
    lines: list[Line]
    entry_type: int | str | None = 86
    filed: dt.datetime | str | None = None  # default: the day before arrival, 14:05
    eda: dt.date | str | None = None  # default: the arrival date from 25 Jul 2024
    port: int | str | None = 4701
    mode: str = "Air"
    bill: str | None = None  # default: an air waybill of its own
    consignee: str | None = None
    address: str | None = None
    city: str = "Columbus"
    state: str = "OH"
    zip: int | str | None = None
    consignee_country: str = "USA"
    seller: str | None = None
    seller_address: str | None = None
    seller_country: str = "Vietnam"
    ior: str = ""
    pga: str = ""
    number_text: str | None = None  # an entry number as filed, when not the computed one
    wrong_digit: bool = False
    merged_number: bool = False  # the entry number merged down over its second row
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def entry_number(self) -> str:
        if self.number_text is not None:
            return self.number_text
        return number(self.serial, wrong_digit=self.wrong_digit)

    def arrival_date(self) -> dt.date:
        if isinstance(self.arrival, dt.date):
            return self.arrival
        month, day, year = (int(p) for p in self.arrival.split("/"))
        return dt.date(year, month, day)

    def filed_value(self) -> dt.datetime | str | None:
        if self.filed is not None:
            return self.filed
        day = self.arrival_date() - dt.timedelta(days=1)
        return dt.datetime(day.year, day.month, day.day, 14, 5)  # noqa: DTZ001 - a workbook cell has no zone (U.S. Eastern)

    def eda_value(self) -> dt.date | str | None:
        if self.eda is not None:
            return self.eda if self.eda != "" else None
        return self.arrival_date() if self.arrival_date() >= dt.date(2024, 7, 25) else None


D = dt.date
T = dt.datetime
_NAMES = iter(
    [
        "Avery Collins",
        "Brandon Hughes",
        "Chloe Nguyen",
        "Daniel Brooks",
        "Elena Petrova",
        "Farah Siddiqui",
        "Gavin Murphy",
        "Hannah Weiss",
        "Isaac Romero",
        "Jasmine Patel",
        "Kevin Osei",
        "Laura Bianchi",
        "Marcus Lee",
        "Nadia Haddad",
        "Oliver Grant",
        "Paula Mendes",
        "Quentin Ross",
        "Rachel Kim",
        "Samuel Okoro",
        "Tessa Lindqvist",
        "Umar Farouk",
        "Valerie Dubois",
        "Wesley Chang",
        "Ximena Ruiz",
        "Yusuf Demir",
        "Zoe Hartmann",
        "Aaron Fischer",
        "Bianca Rossi",
        "Caleb Ward",
        "Dana Whitfield",
        "Ethan Price",
        "Fiona Gallagher",
        "George Adeyemi",
        "Helen Park",
        "Ivan Sokolov",
        "Julia Novak",
        "Kyle Bennett",
        "Lina Yusuf",
        "Mason Reid",
        "Nora Castillo",
        "Owen Sato",
        "Piper Quinn",
        "Reza Tehrani",
        "Sofia Marino",
        "Trent Wallace",
        "Ursula Berg",
        "Victor Alvarez",
        "Wendy Cho",
        "Xavier Bloom",
        "Yara Saleh",
        "Zane Porter",
        "Alma Herrera",
        "Boris Ilic",
        "Carmen Vega",
        "Derek Moss",
        "Eva Lund",
        "Felix Amadi",
        "Grace Tanaka",
        "Hugo Baptiste",
        "Iris Kowalski",
        "Jonah Freed",
        "Kira Ivanova",
        "Leo Marchetti",
        "Maya Goldberg",
        "Nico Santos",
    ]
)
_SELLERS = iter(
    [
        ("Saigon Cotton Garment Co.", "12 Le Loi St, District 1, Ho Chi Minh City", "Vietnam"),
        ("Hanoi Knitwear JSC", "88 Kim Ma, Ba Dinh, Hanoi", "Vietnam"),
        ("Busan Home Goods Co., Ltd.", "21 Jungang-daero, Busan", "Korea, Republic of"),
        ("Osaka Kitchen Works K.K.", "3-1 Namba, Chuo-ku, Osaka", "Japan"),
        ("Taipei Tech Supply Ltd.", "100 Zhongxiao E Rd, Taipei", "Taiwan"),
        ("Lyon Maison SARL", "8 Rue de la Republique, Lyon", "France"),
        ("Krakow Trading Sp. z o.o.", "5 Rynek Glowny, Krakow", "Poland"),
        ("Bangkok Craft House Co.", "44 Sukhumvit Rd, Bangkok", "Thailand"),
        ("Jaipur Textiles Pvt. Ltd.", "17 MI Road, Jaipur", "India"),
        ("Guangzhou Everbright Trading Co.", "9 Huangpu Ave, Guangzhou", "China"),
        ("Kowloon Gadget House Ltd.", "33 Nathan Rd, Kowloon", "Hong Kong"),
        ("Seoul Beauty Lab Inc.", "77 Gangnam-daero, Seoul", "Korea, Republic of"),
        ("Da Nang Leather Co.", "9 Bach Dang, Da Nang", "Vietnam"),
        ("Manila Home Linens Inc.", "2 Ayala Ave, Makati", "Philippines"),
        ("Istanbul Bazaar Export A.S.", "40 Istiklal Cd, Istanbul", "Turkey"),
    ]
    * 8
)
_seller_no = [0]


def _next_seller() -> tuple[str, str, str]:
    name, address, country = next(_SELLERS)
    _seller_no[0] += 1
    # Each entry's seller is its own firm, so that no seller gathers entries by accident.
    return f"{name} (branch {_seller_no[0]})", address, country


def _entries() -> list[Entry]:
    e: list[Entry] = []
    add = e.append
    # --- 2019 ------------------------------------------------------------------------------
    add(
        Entry(
            "E01",
            8100011,
            D(2019, 9, 20),
            [Line("Men's cotton knitted T-shirts, short sleeve", 6109100012, "Vietnam", 45.0, 3)],
        )
    )
    add(
        Entry(
            "E02",
            8100029,
            D(2019, 9, 28),
            [Line("Women's cotton knitted T-shirts", 6109100040, "Vietnam", 60.0, 4)],
        )
    )
    add(
        Entry(
            "E03",
            8100037,
            D(2019, 11, 4),
            [Line("Black tea in tea bags, 100 count boxes", 902300050, "India", 38.5, 6)],
            filed=T(2019, 11, 22, 10, 15),
            seller_country="India",
        )
    )
    # --- 2020-2023 -------------------------------------------------------------------------
    add(
        Entry(
            "E04",
            8100045,
            "03/10/2020",
            [
                Line(
                    "Roasted coffee beans, certified organic, 1 lb bags",
                    901210035,
                    "Colombia",
                    54.0,
                    3,
                )
            ],
            filed="03/20/2020 9:40 AM",
            seller_country="Colombia",
        )
    )
    # One person, one day, written two ways (V2); the ZIP kept as a number on one (02127).
    add(
        Entry(
            "E05",
            8100052,
            D(2021, 6, 15),
            [Line("Ceramic dinner plates and bowls set", 6912004810, "Vietnam", 420.0, 1)],
            filed=T(2021, 6, 14, 9, 0),
            consignee="SMITH, JOHN",
            address="245 Harbor View Rd #4B",
            city="Boston",
            state="MA",
            zip=2127,
        )
    )
    add(
        Entry(
            "E06",
            8100060,
            D(2021, 6, 15),
            [Line("Cotton terry bath towels", 6302600020, "Korea, Republic of", 450.0, 6)],
            filed=T(2021, 6, 14, 15, 30),
            consignee="John Smith",
            address="245 Harbor View Road, Apt 4-B",
            city="Boston",
            state="MA",
            zip="02127",
        )
    )
    add(
        Entry(
            "E07",
            8100078,
            D(2021, 6, 16),
            [Line("Stainless steel vacuum flask, 1 liter", 9617001000, "Japan", 300.0, 2)],
            consignee="JOHN SMITH",
            address="245 HARBOR VIEW RD APT 4B",
            city="BOSTON",
            state="MA",
            zip="02127",
        )
    )
    # The same name and street in Portland, Maine: another person.
    add(
        Entry(
            "E08",
            8100086,
            D(2021, 6, 15),
            [Line("Cotton terry kitchen towels set", 6302600020, "Korea, Republic of", 390.0, 8)],
            consignee="John Smith",
            address="245 Harbor View Rd #4B",
            city="Portland",
            state="ME",
            zip="04101",
        )
    )
    # Split shipment (V4): one seller, one order, consecutive days, 520 + 480.
    shenzhen = (
        "Shenzhen Brightway Electronics Co., Ltd.",
        "18 Keji Rd, Nanshan, Shenzhen",
        "China",
    )
    add(
        Entry(
            "E09",
            8100094,
            D(2023, 5, 8),
            [
                Line(
                    "Lithium-ion power bank battery 20000mAh",
                    8507600020,
                    "China",
                    520.0,
                    10,
                    order="ORD-55781",
                )
            ],
            consignee="Maria Garcia-Lopez",
            address="77 Orchard Lane",
            city="Austin",
            state="TX",
            zip=78704,
            seller=shenzhen[0],
            seller_address=shenzhen[1],
            seller_country=shenzhen[2],
        )
    )
    add(
        Entry(
            "E10",
            8100102,
            D(2023, 5, 9),
            [
                Line(
                    "Wireless Bluetooth earphones with charging case",
                    8518302000,
                    "China",
                    480.0,
                    12,
                    order="ORD-55781",
                )
            ],
            consignee="GARCIA LOPEZ, MARIA",
            address="77 ORCHARD LN",
            city="Austin",
            state="TX",
            zip=78704,
            seller=shenzhen[0],
            seller_address=shenzhen[1],
            seller_country=shenzhen[2],
        )
    )
    # V1: over $800 across two lines; exactly $800 passes.
    add(
        Entry(
            "E11",
            8100110,
            D(2022, 8, 2),
            [
                Line("Women's cotton knitted T-shirts", 6109100040, "Vietnam", 560.0, 20),
                Line("Cotton terry bath towels", 6302600020, "Vietnam", 310.5, 10),
            ],
        )
    )
    add(
        Entry(
            "E12",
            8100128,
            D(2022, 8, 2),
            [Line("Electric space heater, portable", 8516290060, "Korea, Republic of", 800.0, 1)],
        )
    )
    # Ineligible goods.
    add(
        Entry(
            "E13",
            8100136,
            D(2023, 1, 17),
            [
                Line(
                    "Aged cheddar cheese, vacuum packed",
                    406901200,
                    "United Kingdom",
                    38.0,
                    2,
                    unit="KG",
                )
            ],
            seller_country="United Kingdom",
        )
    )
    add(
        Entry(
            "E14",
            8100144,
            D(2023, 3, 14),
            [
                Line("Scented soy wax candles in glass jars", 3406000000, "China", 64.0, 8),
                Line("Graphite pencils, wood cased, pack of 24", 9609100000, "China", 12.0, 5),
            ],
            seller_country="China",
        )
    )
    add(
        Entry(
            "E15",
            8100151,
            D(2022, 11, 30),
            [Line("Red wine, Bordeaux, 750 ml bottles", 2204215050, "France", 64.0, 2, unit="L")],
            seller_country="France",
        )
    )
    add(
        Entry(
            "E16",
            8100169,
            D(2023, 2, 21),
            [Line("Cigarettes, 10 packs of 20", 2402208000, "Korea, Republic of", 55.0, 200)],
            seller_country="Korea, Republic of",
        )
    )
    add(
        Entry(
            "E17",
            8100177,
            D(2023, 7, 11),
            [Line("Eau de parfum spray, 100 ml", "3303.00.30.00", "France", 85.0, 1)],
            seller_country="France",
        )
    )
    add(
        Entry(
            "E18",
            8100185,
            D(2023, 7, 12),
            [Line("Eau de parfum sample vial, 2 ml", "3303.00.30.00", "France", 4.5, 1)],
            seller_country="France",
        )
    )
    add(
        Entry(
            "E19",
            8100193,
            D(2024, 1, 9),
            [Line("Vodka, 700 ml bottle", 2208602000, "Poland", 42.0, 1, unit="L")],
            seller_country="Poland",
        )
    )
    # --- 2024 ------------------------------------------------------------------------------
    add(
        Entry(
            "E20",
            8100201,
            D(2024, 2, 14),
            [Line("Women's cotton knitted T-shirts", 6109100040, "Vietnam", 75.0, 5)],
            filed=T(2024, 2, 20, 11, 0),
        )
    )
    add(
        Entry(
            "E21",
            8100219,
            D(2024, 2, 15),
            [Line("Women's cotton knitted T-shirts", 6109100040, "Vietnam", 82.0, 5)],
            filed=T(2024, 2, 16, 8, 0),
        )
    )
    add(
        Entry(
            "E22",
            8100227,
            D(2024, 6, 10),
            [Line("Men's cotton knitted T-shirts, short sleeve", 6109100012, "Vietnam", 66.0, 4)],
            filed=T(2024, 6, 11, 0, 0),
        )
    )
    add(
        Entry(
            "E23",
            8100235,
            D(2024, 4, 3),
            [Line("Butter cookies in tins", 1905909090, "Korea, Republic of", 48.0, 6)],
            seller_country="Korea, Republic of",
        )
    )
    add(
        Entry(
            "E24",
            8100243,
            D(2024, 4, 9),
            [
                Line(
                    "Lip make-up preparations, lipstick",
                    3304100000,
                    "Korea, Republic of",
                    70.0,
                    10,
                )
            ],
            pga="Declared",
            seller_country="Korea, Republic of",
        )
    )
    add(
        Entry(
            "E25",
            8100250,
            D(2024, 4, 16),
            [Line("Plastic food storage containers with lids", 3924104000, "Thailand", 36.0, 12)],
            pga="Disclaimed",
            ior="27-1234567",
            seller_country="Thailand",
        )
    )
    add(Entry("E26", 8100268, D(2024, 5, 6), [Line("GIFT", 9503000090, "Vietnam", 25.0, 1)]))
    add(
        Entry("E27", 8100276, D(2024, 5, 7), [Line("Accessories", 7117909000, "Vietnam", 30.0, 5)])
    )
    add(
        Entry(
            "E28",
            8100284,
            D(2024, 5, 8),
            [Line("auto parts", 8708305090, "Taiwan", 95.0, 4)],
            seller_country="Taiwan",
        )
    )
    add(
        Entry(
            "E29",
            8100292,
            D(2024, 5, 9),
            [Line("general merchandise", 9503000090, "Vietnam", 40.0, 3)],
        )
    )
    add(
        Entry(
            "E30",
            8100300,
            D(2024, 5, 10),
            [Line("Daily necessities", 3924104000, "Thailand", 22.0, 6)],
            seller_country="Thailand",
        )
    )
    add(
        Entry(
            "E31",
            8100318,
            D(2024, 5, 13),
            [Line("Sweater", 6110202079, "India", 48.0, 2)],
            seller_country="India",
        )
    )
    add(
        Entry(
            "E32",
            8100326,
            D(2024, 5, 14),
            [Line("Silicone phone case for smartphones", 6109100040, "Vietnam", 18.0, 3)],
        )
    )
    add(
        Entry(
            "E33",
            8100334,
            D(2024, 5, 15),
            [Line("Men's cotton knitted crew-neck T-shirts", "6109.10", "Vietnam", 52.0, 4)],
        )
    )
    add(
        Entry(
            "E34",
            8100342,
            D(2024, 12, 2),
            [Line("Returned U.S. goods, cotton hoodies", 9801001010, "United States", 120.0, 3)],
            eda=D(2024, 12, 2),
        )
    )
    add(
        Entry(
            "E35",
            8100359,
            D(2024, 5, 20),
            [Line("Ceramic coffee mugs, set of 4", 6912004810, "Vietnam", 44.0, 1)],
            consignee="",
        )
    )
    add(
        Entry(
            "E36",
            8100367,
            D(2024, 5, 21),
            [Line("Ceramic coffee mugs, set of 2", 6912004810, "Vietnam", 24.0, 1)],
            consignee="N/A",
        )
    )
    add(
        Entry(
            "E37",
            8100375,
            D(2024, 5, 22),
            [Line("Cotton terry hand towels", 6302600020, "Vietnam", 34.0, 4)],
            consignee="Claire Tremblay",
            address="400 Rue Sherbrooke O",
            city="Montreal",
            state="QC",
            zip="H3A 0B8",
            consignee_country="Canada",
        )
    )
    add(
        Entry(
            "E38",
            8100383,
            D(2024, 5, 23),
            [Line("Imitation jewelry earrings, plated brass", 7117909000, "Thailand", 28.0, 6)],
            consignee="FedEx Express",
            address="6000 Airport Rd",
            seller_country="Thailand",
        )
    )
    add(
        Entry(
            "E39",
            8100391,
            D(2024, 5, 24),
            [Line("Wooden dining table, oak", 9403608040, "Vietnam", 310.0, 1)],
            seller_address="",
        )
    )
    add(
        Entry(
            "E40",
            8100409,
            D(2024, 6, 3),
            [Line("Ceramic serving bowls, set of 3", 6912004810, "Vietnam", 41.0, 1)],
            mode="Mail",
        )
    )
    add(
        Entry(
            "E41",
            810041,
            D(2024, 6, 4),
            [Line("Cotton terry beach towels", 6302600020, "Vietnam", 47.0, 2)],
            number_text="KZ7-810041-7",
        )
    )
    add(
        Entry(
            "E42",
            8100417,
            D(2024, 6, 5),
            [Line("Cotton terry bath sheets", 6302600020, "Vietnam", 58.0, 2)],
            wrong_digit=True,
        )
    )
    add(
        Entry(
            "E43",
            8100425,
            D(2024, 6, 6),
            [Line("Leather passport covers", 4202316000, "Vietnam", 33.0, 3)],
            bill="",
        )
    )
    add(
        Entry(
            "E44",
            8100433,
            D(2024, 6, 7),
            [Line("Stainless steel vacuum flask, 500 ml", 9617001000, "Japan", 39.0, 2)],
            bill="176-44556677",
            seller_country="Japan",
        )
    )
    add(
        Entry(
            "E45",
            8100441,
            D(2024, 6, 7),
            [Line("Stainless steel vacuum flask, 750 ml", 9617001000, "Japan", 43.0, 2)],
            bill="176-44556677",
            seller_country="Japan",
        )
    )
    add(
        Entry(
            "E46",
            8100458,
            D(2024, 6, 12),
            [Line("Plastic food storage boxes", 3924104000, "Thailand", 29.0, 8)],
            port=2799,
            seller_country="Thailand",
        )
    )
    add(
        Entry(
            "E47",
            8100466,
            D(2024, 9, 12),
            [Line("Women's cotton knitted T-shirts", 6109100040, "Vietnam", 58.0, 4)],
            filed=T(2024, 9, 10, 16, 20),
            eda="",
        )
    )
    add(
        Entry(
            "E48",
            8100474,
            D(2024, 10, 2),
            [Line("Men's cotton knitted T-shirts, short sleeve", 6109100012, "Vietnam", 61.0, 4)],
            filed=T(2024, 9, 18, 12, 0),
            eda="091924",
        )
    )
    add(
        Entry(
            "E49",
            8100482,
            D(2024, 10, 8),
            [
                Line("Cotton terry bath towels", 6302600020, None, 64.0, 4),
                Line("Cotton terry hand towels", 6302600020, "Vietnam", 22.0, None),
            ],
        )
    )
    add(
        Entry(
            "E50",
            8100490,
            D(2024, 10, 15),
            [Line("Scandinavian wool throw blankets", 6301200010, "Sweden", 150.0, 2)],
            consignee="Nordvik Design AB c/o ShipHub Fulfillment",
            address="1500 Commerce Pkwy",
            city="Reno",
            state="NV",
            zip=89502,
            seller="Nordvik Design AB",
            seller_address="Strandvagen 5, Stockholm",
            seller_country="Sweden",
        )
    )
    # One person, one day, three ways (V2): 300 + 300 + 300, the third takes it over.
    add(
        Entry(
            "E51",
            8100508,
            D(2024, 3, 18),
            [Line("Bamboo cutting boards, set of 3", 4419199000, "Vietnam", 300.0, 1)],
            filed=T(2024, 3, 17, 8, 0),
            consignee="Sean O'Brien",
            address="18 Elm St., Unit 2",
            city="Albany",
            state="NY",
            zip=12207,
        )
    )
    add(
        Entry(
            "E52",
            8100516,
            D(2024, 3, 18),
            [Line("Cotton terry bath towels", 6302600020, "Vietnam", 300.0, 10)],
            filed=T(2024, 3, 17, 9, 0),
            consignee="O'BRIEN, SEAN",
            address="18 ELM STREET UNIT 2",
            city="ALBANY",
            state="NY",
            zip=12207,
        )
    )
    add(
        Entry(
            "E53",
            8100524,
            D(2024, 3, 18),
            [Line("Ceramic dinner plates and bowls set", 6912004810, "Vietnam", 300.0, 1)],
            filed=T(2024, 3, 17, 10, 0),
            consignee="sean obrien",
            address="18 Elm Street #2",
            city="Albany",
            state="NY",
            zip="12207",
        )
    )
    # Values bunched just under $800 for one consignee, weeks apart (heuristic).
    for key, serial, day, value in (
        ("E54", 8100532, D(2024, 7, 1), 785.0),
        ("E55", 8100540, D(2024, 8, 12), 792.5),
        ("E56", 8100557, D(2024, 9, 23), 779.99),
    ):
        add(
            Entry(
                key,
                serial,
                day,
                [Line("Men's leather dress shoes", 6403596060, "India", value, 1)],
                consignee="Priya Raman",
                address="9 Lakeview Terrace",
                city="Madison",
                state="WI",
                zip=53703,
                seller_country="India",
            )
        )
    add(
        Entry(
            "E57",
            8100565,
            D(2024, 11, 4),
            [
                Line("Women's cotton knitted T-shirts", 6109100040, "Vietnam", 40.0, 2),
                Line(
                    "Women's cotton knitted T-shirts, promotional", 6109100040, "Vietnam", 0.0, 1
                ),
            ],
        )
    )
    add(
        Entry(
            "E58",
            8100573,
            D(2024, 11, 5),
            [Line("Cotton terry bath towels", 6302600020, "Vietnam", None, 6)],
        )
    )
    # Other entry types: no T86 rule judges them.
    add(
        Entry(
            "E59",
            8100581,
            D(2025, 6, 3),
            [Line("Lithium-ion power bank battery 20000mAh", 8507600020, "China", 1450.0, 30)],
            entry_type=1,
            seller_country="China",
        )
    )
    add(
        Entry(
            "E60",
            8100599,
            D(2025, 6, 4),
            [Line("GIFT", 9503000090, "China", 240.0, 1)],
            entry_type=11,
            seller_country="China",
        )
    )
    # --- 2025 ------------------------------------------------------------------------------
    add(
        Entry(
            "E61",
            8100607,
            D(2025, 2, 5),
            [
                Line(
                    "Wireless Bluetooth earphones with charging case", 8518302000, "China", 35.0, 1
                )
            ],
            seller_country="China",
        )
    )
    add(
        Entry(
            "E62",
            8100615,
            D(2025, 2, 7),
            [
                Line(
                    "Wireless Bluetooth earphones with charging case",
                    8518302000,
                    "Hong Kong",
                    35.0,
                    1,
                )
            ],
            seller_country="Hong Kong",
        )
    )
    add(
        Entry(
            "E63",
            8100623,
            D(2025, 5, 1),
            [
                Line(
                    "Wireless Bluetooth earphones with charging case", 8518302000, "China", 35.0, 1
                )
            ],
            filed=T(2025, 4, 30, 9, 0),
            seller_country="China",
        )
    )
    add(
        Entry(
            "E64",
            8100631,
            D(2025, 5, 2),
            [
                Line(
                    "Wireless Bluetooth earphones with charging case", 8518302000, "China", 35.0, 1
                ),
                Line("Cotton terry hand towels", 6302600020, "Vietnam", 12.0, 2),
            ],
            seller_country="China",
        )
    )
    add(
        Entry(
            "E65",
            8100649,
            D(2025, 6, 10),
            [
                Line(
                    "Wireless Bluetooth earphones with charging case",
                    8518302000,
                    "Taiwan",
                    35.0,
                    1,
                )
            ],
            seller_country="Taiwan",
        )
    )
    add(
        Entry(
            "E66",
            8100656,
            D(2025, 8, 28),
            [Line("Cotton terry bath towels", 6302600020, "Korea, Republic of", 55.0, 4)],
            seller_country="Korea, Republic of",
        )
    )
    add(
        Entry(
            "E67",
            8100664,
            D(2025, 8, 29),
            [Line("Cotton terry bath towels", 6302600020, "Korea, Republic of", 55.0, 4)],
            seller_country="Korea, Republic of",
        )
    )
    add(
        Entry(
            "E68",
            8100672,
            D(2025, 3, 10),
            [Line("Women's cotton knitted tank tops", 6109100099, "Vietnam", 33.0, 2)],
        )
    )
    add(
        Entry(
            "E69",
            8100680,
            D(2025, 3, 11),
            [Line("Men's cotton knitted sleeveless tank tops", 610910001, "Vietnam", 33.0, 2)],
        )
    )
    add(
        Entry(
            "E70",
            8100698,
            D(2025, 3, 12),
            [Line("Dried onion powder", 712202000, "India", 14.0, 2, unit="KG")],
            seller_country="India",
        )
    )
    add(
        Entry(
            "E71",
            8100706,
            D(2025, 3, 13),
            [Line("Cotton terry bath towels", 6302600020, "Vietnam", 52.0, 4)],
            consignee="Lucas Meyer",
            address="55 Pine St",
            consignee_country="United States",
        )
    )
    # Rows only a workbook spoils: load errors, their entries rejected whole.
    add(
        Entry(
            "E72",
            8100714,
            D(2025, 3, 17),
            [
                Line("Cotton terry bath towels", 6302600020, "Vietnam", 30.0, 2),
                Line("Cotton terry hand towels", 6302600020, "Vietnam", 12.0, 2),
            ],
            merged_number=True,
        )
    )
    add(
        Entry(
            "E73",
            8100722,
            D(2025, 3, 18),
            [Line("Ceramic coffee mugs, set of 6", "#N/A", "Vietnam", 38.0, 1)],
        )
    )
    add(
        Entry(
            "E74",
            8100730,
            D(2025, 3, 19),
            [Line("Cotton terry kitchen towels set", 6302600020, "Vietnam", 26.0, "2 pcs")],
        )
    )
    _fill_parties(e)
    return e


def _fill_parties(entries: list[Entry]) -> None:
    streets = iter(range(100, 10_000, 37))
    for entry in entries:
        if entry.consignee is None:
            entry.consignee = next(_NAMES)
        if entry.address is None:
            entry.address = f"{next(streets)} Maple Ave"
        if entry.zip is None:
            entry.zip = 43215
        if entry.seller is None:
            name, address, country = _next_seller()
            entry.seller = name
            entry.seller_address = (
                address if entry.seller_address is None else entry.seller_address
            )
            entry.seller_country = entry.seller_country or country
        if entry.bill is None:
            entry.bill = f"176-{entry.serial:08d}"


ENTRIES = _entries()
BY_KEY = {entry.key: entry for entry in ENTRIES}

HEADERS = [
    "Entry No.",
    "Entry Type",
    "Arrival Date",
    "Transmitted (ET)",
    "EDA",
    "Port",
    "Mode",
    "AWB / BOL",
    "Consignee",
    "Consignee Street",
    "City",
    "St",
    "ZIP",
    "Consignee Ctry",
    "Seller / Shipper",
    "Seller Address",
    "Seller Ctry",
    "IOR No.",
    "PGA",
    "Ln",
    "Description",
    "HTSUS",
    "Origin",
    "FRV (USD)",
    "Qty",
    "UOM",
    "Order Ref",
]
MAPPING = {
    "entry_number": "Entry No.",
    "entry_type": "Entry Type",
    "arrival_date": "Arrival Date",
    "filed_at": "Transmitted (ET)",
    "estimated_arrival_date": "EDA",
    "port_code": "Port",
    "mode": "Mode",
    "bill_of_lading": "AWB / BOL",
    "consignee_name": "Consignee",
    "consignee_address": "Consignee Street",
    "consignee_city": "City",
    "consignee_state": "St",
    "consignee_postal_code": "ZIP",
    "consignee_country": "Consignee Ctry",
    "seller_name": "Seller / Shipper",
    "seller_address": "Seller Address",
    "seller_country": "Seller Ctry",
    "importer_of_record": "IOR No.",
    "pga_data": "PGA",
    "line_number": "Ln",
    "description": "Description",
    "hts_number": "HTSUS",
    "country_of_origin": "Origin",
    "value_usd": "FRV (USD)",
    "quantity": "Qty",
    "quantity_unit": "UOM",
    "order_reference": "Order Ref",
}


def _row(entry: Entry, index: int, line: Line) -> list[Any]:
    return [
        entry.entry_number,
        entry.entry_type,
        entry.arrival,
        entry.filed_value(),
        entry.eda_value(),
        entry.port,
        entry.mode,
        entry.bill,
        entry.consignee,
        entry.address,
        entry.city,
        entry.state,
        entry.zip,
        entry.consignee_country,
        entry.seller,
        entry.seller_address,
        entry.seller_country,
        entry.ior,
        entry.pga,
        index,
        line.description,
        line.hts,
        line.origin,
        line.value,
        line.quantity,
        line.unit,
        line.order,
    ]


@dataclass
class Layout:
    """Where the builder put things: the worksheet rows of each entry and of the extras."""

    rows: dict[str, list[int]] = field(default_factory=dict)
    label_row: int = 0
    total_row: int = 0
    header_row: int = 0
    last_row: int = 0


def build_workbook(path: Path, *, saved_by_excel: bool = True) -> Layout:
    """Write the workbook; ``saved_by_excel``: give the TOTAL formula the value Excel saves."""
    import openpyxl  # noqa: PLC0415
    from openpyxl.styles import Font  # noqa: PLC0415

    book = openpyxl.Workbook()
    old = book.active
    old.title = "Old export"
    old.append(["Entry No.", "Arrival", "FRV"])
    old.append([number(9999990), "01/01/2019", 1234.0])
    old.sheet_state = "hidden"
    sheet = book.create_sheet("T86 Review")
    layout = Layout()
    sheet.append(["Keystone Zephyr Customs Brokerage - Type 86 filings under review"])
    sheet.append(["Period:", "28 Sep 2019 - 29 Aug 2025 (arrival dates)"])
    sheet.merge_cells("A1:H1")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([])
    sheet.append(HEADERS)
    layout.header_row = sheet.max_row
    for cell in sheet[layout.header_row]:
        cell.font = Font(bold=True)
    year = None
    for entry in ENTRIES:
        block = entry.arrival_date().year
        if year is not None and block != year:
            sheet.append([])
            if block == 2024:
                sheet.append(["--- 2024 filings ---"])
                layout.label_row = sheet.max_row
        year = block
        first = sheet.max_row + 1
        for index, line in enumerate(entry.lines, 1):
            sheet.append(_row(entry, index, line))
            row = sheet.max_row
            layout.rows.setdefault(entry.key, []).append(row)
            _formats(sheet, row)
        if entry.merged_number:
            # Report style: the entry-level cells merged down over the entry's rows.
            for column in range(1, 20):
                letter = openpyxl.utils.get_column_letter(column)
                sheet.merge_cells(f"{letter}{first}:{letter}{sheet.max_row}")
    sheet.append([])
    data_rows = [row for rows in layout.rows.values() for row in rows]
    sheet.append(["TOTAL"] + [None] * 22 + [f"=SUM(X{min(data_rows)}:X{max(data_rows)})"])
    layout.total_row = sheet.max_row
    sheet.cell(layout.total_row, 24).number_format = '"$"#,##0.00'
    layout.last_row = sheet.max_row
    notes = book.create_sheet("Notes")
    notes.append(["Prepared by compliance for outside counsel. Values are FRV in USD."])
    notes.append(["Source: ABI query, 2025-10-01; entry types 01 and 11 included for context."])
    book.save(path)
    if saved_by_excel:
        total = sum(
            float(line.value)
            for entry in ENTRIES
            for line in entry.lines
            if isinstance(line.value, float)
        )
        _save_formula_value(path, f"X{layout.total_row}", f"{total:.2f}")
    return layout


def _formats(sheet: Any, row: int) -> None:
    sheet.cell(row, 3).number_format = "mm/dd/yyyy"
    sheet.cell(row, 4).number_format = "mm/dd/yyyy hh:mm"
    sheet.cell(row, 5).number_format = "mm/dd/yyyy"
    sheet.cell(row, 24).number_format = '"$"#,##0.00'
    sheet.cell(row, 13).number_format = "00000"  # Excel shows 02127; the cell holds 2127


def _save_formula_value(path: Path, cell: str, value: str) -> None:
    """Give a formula cell the value Excel would have computed and saved with it."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet2.xml"
    xml = parts[sheet].decode("utf-8")
    xml, count = re.subn(
        rf'(<c r="{cell}"[^>]*>)(<f>[^<]*</f>)(<v\s*/>|<v></v>)?', rf"\1\2<v>{value}</v>", xml
    )
    assert count == 1, "formula cell not found"
    parts[sheet] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def _text(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _hts_text(hts: int | str | None) -> str | None:
    if isinstance(hts, int):
        return f"{hts:010d}" if hts >= 100_000_000 else str(hts)
    return hts


JSON_SKIPPED = {"E72", "E73", "E74"}
"""Entries spoilt only by the workbook (merged cells, #N/A, '2 pcs'): not in the JSON export."""


def build_json(path: Path) -> None:
    """The same entries as the JSON input form: codes as text, with their leading zeros."""
    out = []
    for entry in ENTRIES:
        if entry.key in JSON_SKIPPED:
            continue
        entry_type = entry.entry_type
        out.append(
            {
                "entry_number": entry.entry_number,
                "entry_type": f"{entry_type:02d}" if isinstance(entry_type, int) else entry_type,
                "arrival_date": _text(entry.arrival),
                "filed_at": _text(entry.filed_value()),
                "estimated_arrival_date": _text(entry.eda_value()),
                "port_code": str(entry.port),
                "mode": entry.mode.lower(),
                "bill_of_lading": entry.bill,
                "consignee_name": entry.consignee,
                "consignee_address": entry.address,
                "consignee_city": entry.city,
                "consignee_state": entry.state,
                "consignee_postal_code": (
                    f"{entry.zip:05d}" if isinstance(entry.zip, int) else entry.zip
                ),
                "consignee_country": entry.consignee_country,
                "seller_name": entry.seller,
                "seller_address": entry.seller_address,
                "seller_country": entry.seller_country,
                "importer_of_record": entry.ior,
                "pga_data": entry.pga.lower(),
                "lines": [
                    {
                        "line_number": index,
                        "description": line.description,
                        "hts_number": _hts_text(line.hts),
                        "country_of_origin": line.origin or "",
                        "value_usd": None if line.value is None else f"{line.value:.2f}",
                        "quantity": line.quantity,
                        "quantity_unit": line.unit,
                        "order_reference": line.order,
                    }
                    for index, line in enumerate(entry.lines, 1)
                ],
            }
        )
    path.write_text(json.dumps(out, indent=1), encoding="utf-8")


def write_mapping(path: Path) -> None:
    path.write_text(json.dumps(MAPPING, indent=1), encoding="utf-8")
