"""A third broker's export, built cell by cell: "Keystone Border Brokerage" (filer code KZ9).

An older broker system's extract, in forms no earlier review tried: Windows-1252 text
(accented consignee names, a curly apostrophe, German sharp s), CRLF line ends with line feeds
inside quoted address cells, amounts written ``$1,234.56`` and ``USD 45.00``, dates written as
date-times (``2024-10-15 00:00:00``) in the date columns, two trailing empty columns (the header
ends with two delimiters too), its own header names in other capitalisation, spacing and
underscores (read through ``keystone_mapping.json``; ``Arrival_Date``, ``HTS_Number`` and
``MODE`` are canonical names but for case), a row exported twice, rows that cannot be read and a
``Total`` row. Variants of the same rows: UTF-8 with a byte-order mark, semicolon-delimited,
and amounts with a decimal comma.

``EXPECTED`` and ``EXPECTED_LOAD_ERRORS`` were written from the input contract and the domain
reference before the audit was run. Run this module to write the files into
``tests/data_review_session22_h2/``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any


DATA = Path(__file__).parent / "data_review_session22_h2"

HEADER = (
    "Entry No", "ENTRY TYPE", "Arrival_Date", "Transmitted", "EDA", " Port Code ", "MODE",
    "AWB / BOL", "Consignee Name", "Consignee Address", "Consignee City", "Consignee State",
    "Consignee ZIP", "Consignee Country", "Shipper Name", "Shipper Address", "Shipper Country",
    "IOR No", "PGA", "Line", "Goods Description", "HTS_Number", "Origin", "Value (USD)", "Qty",
    "UOM", "Gross Wt (kg)", "Order Ref", "Ch99", "Broker Notes", "", "",
)  # fmt: skip

MAPPING = {
    "entry_number": "Entry No",
    "entry_type": "ENTRY TYPE",
    "filed_at": "Transmitted",
    "estimated_arrival_date": "EDA",
    "port_code": "Port Code",
    "bill_of_lading": "AWB / BOL",
    "consignee_name": "Consignee Name",
    "consignee_address": "Consignee Address",
    "consignee_city": "Consignee City",
    "consignee_state": "Consignee State",
    "consignee_postal_code": "Consignee ZIP",
    "consignee_country": "Consignee Country",
    "seller_name": "Shipper Name",
    "seller_address": "Shipper Address",
    "seller_country": "Shipper Country",
    "importer_of_record": "IOR No",
    "pga_data": "PGA",
    "line_number": "Line",
    "description": "Goods Description",
    "country_of_origin": "Origin",
    "value_usd": "Value (USD)",
    "quantity": "Qty",
    "quantity_unit": "UOM",
    "gross_weight_kg": "Gross Wt (kg)",
    "order_reference": "Order Ref",
    "additional_hts": "Ch99",
}

# Sellers: name, address (line feeds inside, as the old system's address block), country.
HANOI = ("Hanoi Silk & Cotton Garment JSC", "45 Lang Ha Street, Dong Da District\nHanoi", "VN")
KYOTO = ("Kyoto Kitchenware K.K.", "3-12 Shijo-dori, Shimogyo-ku\nKyoto 600-8001", "JP")
GDL = ("Guadalajara Artesanías SA de CV", "Av. Vallarta 1450\nGuadalajara, Jalisco", "MX")
MAPLE = ("Maple Leaf Outfitters Inc.", "2200 Boul. Saint-Laurent\nMontréal QC H2X 2T3", "CA")
SHENZHEN = (
    "Shenzhen Lumiere Electronics Co., Ltd.",
    "Building 7, Bao\u2019an Industrial Park\nShenzhen, Guangdong",
    "CN",
)
HAMBURG = ("Hamburg Hobby Versand GmbH", "Große Elbstraße 145\n22767 Hamburg", "DE")
TAICHUNG = ("Taichung Precision Tools Co.", "101 Taiwan Boulevard Sec. 3, Taichung", "TW")
BENGALURU = ("Bengaluru Handicraft Exports Pvt Ltd", "17 MG Road, Bengaluru 560001", "IN")

# Goods: description, HTS number as the system writes it (dotted).
TSHIRT = ("women\u2019s cotton knit t-shirt", "6109.10.00.40")
SWEATER = ("men's cotton crew-neck pullover sweater", "6110.20.20.10")
KNIFE = ("stainless steel chef's knife, 21 cm blade", "8211.92.40.60")
TEAPOT = ("cast iron teapot with infuser", "7323.91.50.40")
SCARF = ("hand-block-printed silk scarf", "6214.10.10.00")
MUG = ("hand-painted ceramic coffee mug", "6912.00.48.10")
LEASH = ("leather dog leash", "4201.00.30.00")
RAILWAY = ("plastic scale model railway kit", "9503.00.00.90")
SOCKETS = ("chrome vanadium socket wrench set", "8204.20.00.00")
FLASK = ("stainless steel vacuum flask, 750 ml", "9617.00.10.00")
BOOTS = ("men's insulated hiking boots, textile upper", "6404.11.90.20")
EARBUDS = ("wireless bluetooth earbuds with charging case", "8518.30.20.00")

_LETTERS = {c: str((i % 9) + 1) for i, c in enumerate("ABCDEFGHI")}
_LETTERS |= {c: str((i % 9) + 1) for i, c in enumerate("JKLMNOPQR")}
_LETTERS |= {c: str(i + 2) for i, c in enumerate("STUVWXYZ")}


def check_digit(filer: str, serial: str) -> str:
    """CATAIR Appendix E (reference section 5.3): Luhn over the converted 10 digits."""
    digits = [int(_LETTERS.get(c, c)) for c in filer + serial]
    total = 0
    for position, digit in enumerate(digits, 1):
        doubled = digit * 2 if position % 2 == 0 else digit
        total += doubled - 9 if doubled > 9 else doubled
    return str((10 - total % 10) % 10)


def number(serial: int, *, wrong: bool = False) -> str:
    text = f"{serial:07d}"
    digit = check_digit("KZ9", text)
    if wrong:
        digit = str((int(digit) + 1) % 10)
    return f"KZ9-{text}-{digit}"


def consignee(name: str, address: str, city: str, state: str, zip_: str, country: str = "US"):
    return (name, address, city, state, zip_, country)


JOSE = consignee("José Álvarez", "1845 W 38th Street", "Los Angeles", "CA", "90062")
ZOE = consignee("Zoë Müller", "77 Lakeview Terrace\nApt 3", "Duluth", "MN", "55803")
RENEE = consignee("Renée O\u2019Connor", "18 Commonwealth Avenue", "Boston", "MA", "02116")
MARCUS = consignee("Marcus Hughes", "3401 Main Street", "Kansas City", "MO", "64111")
CLAIRE = consignee("Claire Dubois", "2250 N Clark Street\nUnit 1402", "Chicago", "IL", "60614")
RAVI = consignee("Ravi Patel", "88 Oak Hollow Lane", "Plano", "TX", "75024")
ANA_1 = consignee("Ana Núñez", "7300 SW 8th Street Apt 5", "Miami", "FL", "33144")
ANA_2 = consignee("Ana Núñez", "7300 SW 8th Street\nApt 5", "Miami", "FL", "33144")
SIOBHAN_1 = consignee("Siobhán O\u2019Brien", "412 Harbor View Road", "Portland", "ME", "04101")
SIOBHAN_2 = consignee("Siobhán O'Brien", "412 Harbor View Road", "Portland", "ME", "04101")
FRANCOIS = consignee("François Dubé", "56 Division Street", "Cleveland", "OH", "44113")
GRACE = consignee("Grace Whitfield", "233 Pine Street", "Seattle", "WA", "98101")
HANNAH = consignee("Hannah Lindgren", "9 Lakeshore Drive", "Madison", "WI", "53703")
DEREK = consignee("Derek Okafor", "410 Peachtree Street NE\nApt 12B", "Atlanta", "GA", "30308")
LUCIA = consignee("Lucía García", "7301 Biscayne Blvd", "Miami", "FL", "33138")
PETRA = consignee("Petra Novák", "120 Elm Street", "Hartford", "CT", "06103")
TORONTO = consignee("Aoife Kelly", "200 Bay Street\nSuite 1800", "Toronto", "ON", "M5J 2J1", "CA")
BLANK = consignee("", "15 Elm Ridge Road", "Portland", "OR", "97205")
NA = consignee("N/A", "640 Broad Street", "Newark", "NJ", "07102")

# One entry: (serial or entry number, entry-level overrides, consignee, seller, lines), where
# a line is (goods, value as written, qty, uom, weight) plus optional cell overrides.
V, W, INFO = "violation", "warning", "info"


def entry(
    serial: int | str,
    arrival: str,
    cons: tuple[str, ...],
    seller: tuple[str, str, str],
    lines: list[tuple[Any, ...]],
    *,
    filed: str | None = None,
    eda: str | None = None,
    port: str = "4701",
    mode: str = "AIR",
    etype: str = "86",
    bill: str | None = None,
    notes: str = "",
) -> list[list[str]]:
    num = serial if isinstance(serial, str) else number(serial)
    day = arrival[:10]
    filed_text = filed if filed is not None else f"{_day_before(day)} 18:30:00"
    eda_text = eda if eda is not None else f"{day} 00:00:00"
    bill_text = bill or f"176-{int(num[4:11]) % 10**8:08d}"
    rows = []
    for i, line in enumerate(lines, 1):
        goods, value, qty, uom, weight, *more = line
        over = more[0] if more else {}
        desc, hts = goods
        row = {
            "Entry No": num, "ENTRY TYPE": etype, "Arrival_Date": arrival,
            "Transmitted": filed_text, "EDA": eda_text, " Port Code ": port, "MODE": mode,
            "AWB / BOL": bill_text, "Consignee Name": cons[0], "Consignee Address": cons[1],
            "Consignee City": cons[2], "Consignee State": cons[3], "Consignee ZIP": cons[4],
            "Consignee Country": cons[5], "Shipper Name": seller[0],
            "Shipper Address": seller[1], "Shipper Country": seller[2], "IOR No": "",
            "PGA": "", "Line": str(i), "Goods Description": desc, "HTS_Number": hts,
            "Origin": seller[2], "Value (USD)": value, "Qty": qty, "UOM": uom,
            "Gross Wt (kg)": weight, "Order Ref": f"KBB-{num[4:11]}", "Ch99": "",
            "Broker Notes": notes,
        }  # fmt: skip
        row.update(over)
        rows.append([row.get(h, "") for h in HEADER])
    return rows


def _day_before(day: str) -> str:
    return (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()


def rows() -> list[list[str]]:
    """The export's data rows, in file order."""
    out: list[list[str]] = []
    add = out.extend
    d = "2024-10-15 00:00:00"
    add(entry(7300101, d, JOSE, HANOI, [(TSHIRT, "$24.50", "2", "PCS", "0.40")]))
    add(entry(7300102, d, ZOE, KYOTO, [(TEAPOT, "$68.00", "1", "PCS", "1.20"),
                                      (KNIFE, "$145.00", "1", "PCS", "0.25")]))  # fmt: skip
    add(
        entry(
            7300103,
            "2024-10-16 00:00:00",
            RENEE,
            GDL,
            [(MUG, "$18.00", "4", "PCS", "1.60"), (LEASH, "$19.00", "1", "PCS", "0.20")],
        )
    )
    add(
        entry(
            7300104,
            "2024-10-16 00:00:00",
            MARCUS,
            MAPLE,
            [(BOOTS, "$1,234.56", "6", "PRS", "7.80")],
        )
    )
    add(
        entry(
            7300105,
            "2024-10-16 00:00:00",
            CLAIRE,
            HAMBURG,
            [(RAILWAY, "$800.00", "4", "PCS", "3.20")],
        )
    )
    add(
        entry(
            7300106,
            "2024-10-17 00:00:00",
            RAVI,
            TAICHUNG,
            [(SOCKETS, "$650.00", "5", "SET", "11.00"), (SOCKETS, "$150.01", "1", "SET", "2.20")],
        )
    )
    # One consignee, one day: the address as one line, then as the system's two-line block.
    add(
        entry(
            7300107,
            "2024-10-17 00:00:00",
            ANA_1,
            HANOI,
            [(TSHIRT, "$500.00", "20", "PCS", "4.00")],
            filed="2024-10-16 10:00:00",
        )
    )
    add(
        entry(
            7300108,
            "2024-10-17 00:00:00",
            ANA_2,
            KYOTO,
            [(KNIFE, "$450.00", "3", "PCS", "0.75")],
            filed="2024-10-16 12:00:00",
        )
    )
    # One consignee, one day: the name with a curly apostrophe, then a straight one.
    add(
        entry(
            7300109,
            "2024-10-18 00:00:00",
            SIOBHAN_1,
            BENGALURU,
            [(SCARF, "$400.00", "10", "PCS", "0.50")],
            filed="2024-10-17 09:00:00",
        )
    )
    add(
        entry(
            7300110,
            "2024-10-18 00:00:00",
            SIOBHAN_2,
            GDL,
            [(MUG, "$420.00", "24", "PCS", "9.60")],
            filed="2024-10-17 11:00:00",
        )
    )
    add(
        entry(
            7300111, "2024-10-18 00:00:00", BLANK, HANOI, [(SWEATER, "$48.00", "1", "PCS", "0.55")]
        )
    )
    add(entry(7300112, "2024-10-18 00:00:00", NA, KYOTO, [(TEAPOT, "$68.00", "1", "PCS", "1.20")]))
    # A time of day in the date column: the date is 20 October.
    add(
        entry(
            7300113,
            "2024-10-20 14:35:00",
            FRANCOIS,
            HAMBURG,
            [(RAILWAY, "$58.00", "1", "PCS", "0.80")],
            filed="2024-10-19 18:30:00",
            eda="2024-10-20 00:00:00",
        )
    )
    add(
        entry(
            7300114,
            "2024-10-21 00:00:00",
            GRACE,
            MAPLE,
            [(BOOTS, "$189.00", "1", "PRS", "1.30")],
            eda="",
        )
    )
    add(
        entry(
            7300115,
            "2024-10-21 00:00:00",
            HANNAH,
            TAICHUNG,
            [(SOCKETS, "$74.00", "1", "SET", "2.20")],
            filed="2024-10-22 09:15:00",
        )
    )
    add(
        entry(
            7300116,
            "2025-05-05 00:00:00",
            DEREK,
            SHENZHEN,
            [(EARBUDS, "$39.99", "1", "PCS", "0.12")],
        )
    )
    add(
        entry(
            7300117, "2025-09-02 00:00:00", LUCIA, HANOI, [(TSHIRT, "$19.99", "2", "PCS", "0.40")]
        )
    )
    add(
        entry(
            7300118,
            "2024-10-22 00:00:00",
            PETRA,
            HANOI,
            [(("gift", "6109.10.00.40"), "$35.00", "1", "PCS", "0.30")],
        )
    )
    add(
        entry(
            7300119,
            "2024-10-22 00:00:00",
            JOSE,
            BENGALURU,
            [((SCARF[0], "6214.10.10"), "$32.00", "2", "PCS", "0.10")],
        )
    )
    add(
        entry(
            7300120,
            "2024-10-22 00:00:00",
            ZOE,
            GDL,
            [(LEASH, "$19.00", "1", "PCS", "0.20")],
            mode="MAIL",
        )
    )
    add(
        entry(
            7300121,
            "2024-10-23 00:00:00",
            MARCUS,
            ("", "", "VN"),
            [(SWEATER, "$48.00", "1", "PCS", "0.55")],
        )
    )
    add(
        entry(
            7300122,
            "2024-10-23 00:00:00",
            TORONTO,
            KYOTO,
            [(TEAPOT, "$68.00", "1", "PCS", "1.20")],
        )
    )
    add(
        entry(
            number(7300123, wrong=True),
            "2024-10-23 00:00:00",
            CLAIRE,
            TAICHUNG,
            [(SOCKETS, "$74.00", "1", "SET", "2.20")],
        )
    )
    add(
        entry(
            7300124,
            "2025-05-01 00:00:00",
            RAVI,
            SHENZHEN,
            [(EARBUDS, "$39.99", "1", "PCS", "0.12", {"Ch99": "9903.88.15"})],
        )
    )
    add(entry(7300125, "2024-10-24 00:00:00", HANNAH, HANOI,
              [(TSHIRT, "$24.50", "2", "PCS", "0.40"),
               (("stainless steel vacuum flask,\n750 ml", FLASK[1]), "$21.00", "2", "PCS", "0.70"),
               (SWEATER, "$48.00", "1", "PCS", "0.55")]))  # fmt: skip
    add(
        entry(
            7300126,
            "2024-10-24 00:00:00",
            FRANCOIS,
            BENGALURU,
            [(SCARF, "USD 45.00", "3", "PCS", "0.15")],
        )
    )
    # Exported twice: the second row is a load error, the entry counts the line once.
    twice = entry(
        7300127, "2024-10-24 00:00:00", GRACE, KYOTO, [(KNIFE, "$450.00", "3", "PCS", "0.75")]
    )
    add(twice + twice)
    # An impossible date: both rows are load errors, the entry is not audited in part.
    add(
        entry(
            7300128,
            "2024-02-30 00:00:00",
            DEREK,
            GDL,
            filed="2024-02-28 18:30:00",
            eda="2024-02-29 00:00:00",
            lines=[(MUG, "$18.00", "4", "PCS", "1.60"), (LEASH, "$19.00", "1", "PCS", "0.20")],
        )
    )
    # An amount in another currency: the row, and so its entry's other row, are load errors.
    add(entry(7300129, "2024-10-25 00:00:00", LUCIA, HAMBURG,
              [(RAILWAY, "$58.00", "1", "PCS", "0.80"),
               (RAILWAY, "12 EUR", "1", "PCS", "0.80")]))  # fmt: skip
    # Clean entries, one to four lines, to make a population.
    add(entry(7300130, "2024-10-25 00:00:00", PETRA, KYOTO,
              [(TEAPOT, "$68.00", "1", "PCS", "1.20"), (KNIFE, "$145.00", "1", "PCS", "0.25"),
               (FLASK, "$21.00", "1", "PCS", "0.70")]))  # fmt: skip
    add(
        entry(
            7300131,
            "2024-10-25 00:00:00",
            ZOE,
            HANOI,
            [(TSHIRT, "$24.50", "2", "PCS", "0.40"), (SWEATER, "$48.00", "1", "PCS", "0.55")],
        )
    )
    add(
        entry(
            7300132,
            "2024-10-28 00:00:00",
            RENEE,
            BENGALURU,
            [(SCARF, "$32.00", "2", "PCS", "0.10")],
        )
    )
    add(entry(7300133, "2024-10-28 00:00:00", MARCUS, GDL,
              [(MUG, "$36.00", "8", "PCS", "3.20"), (LEASH, "$19.00", "1", "PCS", "0.20"),
               (MUG, "$9.00", "2", "PCS", "0.80")]))  # fmt: skip
    add(
        entry(
            7300134,
            "2024-10-28 00:00:00",
            CLAIRE,
            MAPLE,
            [(BOOTS, "$189.00", "1", "PRS", "1.30")],
            port="3004",
            mode="TRUCK",
            bill="TRK-CA-778120",
        )
    )
    add(
        entry(
            7300135,
            "2024-10-29 00:00:00",
            RAVI,
            HAMBURG,
            [(RAILWAY, "$1,058.00", "1", "PCS", "0.80")],
        )
    )
    add(
        entry(
            7300136,
            "2024-10-29 00:00:00",
            ANA_1,
            TAICHUNG,
            [(SOCKETS, "$74.00", "1", "SET", "2.20"), (SOCKETS, "$74.00", "1", "SET", "2.20")],
        )
    )
    add(
        entry(
            7300137,
            "2024-10-29 00:00:00",
            SIOBHAN_1,
            KYOTO,
            [
                (TEAPOT, "$68.00", "1", "PCS", "1.20"),
                (FLASK, "$21.00", "2", "PCS", "1.40"),
                (KNIFE, "$145.00", "1", "PCS", "0.25"),
                (TEAPOT, "$68.00", "1", "PCS", "1.20"),
            ],
        )
    )
    add(
        entry(7300138, "2024-10-30 00:00:00", HANNAH, GDL, [(LEASH, "$19.00", "1", "PCS", "0.20")])
    )
    add(
        entry(
            7300139,
            "2024-10-30 00:00:00",
            FRANCOIS,
            HANOI,
            [(SWEATER, "$48.00", "1", "PCS", "0.55"), (TSHIRT, "$24.50", "2", "PCS", "0.40")],
        )
    )
    add(
        entry(
            7300140,
            "2024-10-30 00:00:00",
            DEREK,
            MAPLE,
            [(BOOTS, "$189.00", "1", "PRS", "1.30"), (BOOTS, "$189.00", "1", "PRS", "1.30")],
        )
    )
    add(entry(7300141, "2024-10-31 00:00:00", GRACE, HANOI,
              [(TSHIRT, "$24.50", "2", "PCS", "0.40"), (SWEATER, "$48.00", "1", "PCS", "0.55"),
               (TSHIRT, "$12.25", "1", "PCS", "0.20")]))  # fmt: skip
    add(
        entry(
            7300142,
            "2024-10-31 00:00:00",
            LUCIA,
            KYOTO,
            [(TEAPOT, "$68.00", "1", "PCS", "1.20"), (FLASK, "$21.00", "1", "PCS", "0.70")],
        )
    )
    add(
        entry(
            7300143,
            "2024-10-31 00:00:00",
            PETRA,
            BENGALURU,
            [(SCARF, "$32.00", "2", "PCS", "0.10"), (SCARF, "$48.00", "3", "PCS", "0.15")],
        )
    )
    add(entry(7300144, "2024-10-31 00:00:00", JOSE, TAICHUNG,
              [(SOCKETS, "$74.00", "1", "SET", "2.20"), (SOCKETS, "$74.00", "1", "SET", "2.20"),
               (SOCKETS, "$148.00", "2", "SET", "4.40")]))  # fmt: skip
    total = ["Total"] + [""] * (len(HEADER) - 1)
    total[HEADER.index("Value (USD)")] = "$11,437.53"
    out.append(total)
    return out


def csv_text(delimiter: str = ",", *, decimal_comma: bool = False) -> str:
    """The export as the old system writes it: CRLF row ends, line feeds inside quoted cells."""
    value_at = HEADER.index("Value (USD)")
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADER)
    for data_row in rows():
        cells = list(data_row)
        if decimal_comma and cells[value_at]:
            cells[value_at] = to_decimal_comma(cells[value_at])
        writer.writerow(cells)
    return out.getvalue()


def to_decimal_comma(value: str) -> str:
    """'$1,234.56' -> '1.234,56 $', as a system set to a European locale writes amounts."""
    digits = value.replace("$", "").replace("USD", "").strip()
    if not digits[0].isdigit():
        return value
    whole, _, fraction = digits.partition(".")
    return whole.replace(",", ".") + ("," + fraction if fraction else "")


FILES = {
    "keystone_export.csv": lambda: csv_text().encode("cp1252"),
    "keystone_export_utf8bom.csv": lambda: b"\xef\xbb\xbf" + csv_text().encode("utf-8"),
    "keystone_export_semicolon.csv": lambda: csv_text(";").encode("cp1252"),
    "keystone_export_decimal_comma.csv": lambda: csv_text(decimal_comma=True).encode("cp1252"),
    "keystone_mapping.json": lambda: (
        json.dumps(MAPPING, indent=2, ensure_ascii=False) + "\n"
    ).encode("utf-8"),
}


# entry number -> {(code, line or None): severity}, from the domain reference (row in comment).
EXPECTED: dict[str, dict[tuple[str, int | None], str]] = {
    number(7300101): {},  # accented consignee, curly apostrophe in the description
    number(7300102): {},  # address with a line feed; two lines
    number(7300103): {},
    number(7300104): {("VAL001", None): V},  # V1: '$1,234.56'
    number(7300105): {},  # V1: '$800.00' exactly
    number(7300106): {("VAL001", None): V},  # V1: $650.00 + $150.01
    number(7300107): {},  # V2: the first of Ana Nunez's 17 October, $500
    number(7300108): {("VAL002", None): V},  # V2: + $450, the address in two lines
    number(7300109): {},  # V2: the first of Siobhan O'Brien's 18 October, $400
    number(7300110): {("VAL002", None): V},  # V2: + $420, a straight apostrophe
    number(7300111): {("CON001", None): V},  # C1: consignee name blank
    number(7300112): {("CON005", None): V},  # C5: 'N/A'
    number(7300113): {},  # a time of day in the arrival date column: 20 October
    number(7300114): {("FIL010", None): W},  # F3: no EDA, submitted October 2024
    number(7300115): {("FIL008", None): V},  # F1: transmitted the day after arrival
    number(7300116): {("ELG003", 1): V},  # D3: CN goods arriving 5 May 2025
    number(7300117): {("ELG002", None): V},  # D2: 2 Sep 2025
    number(7300118): {("DES002", 1): V},  # H5: 'gift'
    number(7300119): {("HTS001", 1): V},  # H1: 8 digits
    number(7300120): {("ELG004", None): W},  # E6: mail (exclusion wording UNVERIFIED)
    number(7300121): {("CON008", None): V},  # C7: seller name and address blank
    number(7300122): {("CON002", None): V},  # C2: consignee in Toronto
    number(7300123, wrong=True): {("FIL002", None): W},  # F5: check digit
    number(7300124): {("ELG014", 1): INFO},  # E8: 9903.88.15 on CN goods, 1 May 2025
    **{number(serial): {} for serial in (7300125, 7300126, 7300127)},
    number(7300135): {("VAL001", None): V},  # V1: '$1,058.00'
    **{number(serial): {} for serial in range(7300130, 7300145) if serial != 7300135},
}

# (row, column) of every load error; rows are data rows (the header not counted).
EXPECTED_LOAD_ERRORS: list[tuple[int, str | None]] = [
    (33, "line_number"),  # row 32 exported twice
    (34, "arrival_date"),  # 2024-02-30
    (35, "arrival_date"),  # the same entry's other row
    (36, None),  # readable, rejected with its entry (row 37)
    (37, "value_usd"),  # '12 EUR'
    (70, "entry_number"),  # the Total row
]


def main() -> None:
    DATA.mkdir(exist_ok=True)
    for name, build in FILES.items():
        (DATA / name).write_bytes(build())


if __name__ == "__main__":
    main()
