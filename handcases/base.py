"""Helpers for the hand-made cases: check digit (reference 5.3, by hand), a clean base row, CSV writing."""
import csv

LETTERS = {c: str(v) for c, v in zip("ABCDEFGHI", range(1, 10))}
LETTERS.update({c: str(v) for c, v in zip("JKLMNOPQR", range(1, 10))})
LETTERS.update({c: str(v) for c, v in zip("STUVWXYZ", range(2, 10))})

def check_digit(filer: str, serial: str) -> int:
    digits = "".join(LETTERS.get(ch, ch) for ch in filer.upper()) + serial
    assert len(digits) == 10 and digits.isdigit(), digits
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

COLUMNS = ["entry_number","entry_type","arrival_date","filed_at","estimated_arrival_date","port_code","mode",
           "bill_of_lading","consignee_name","consignee_address","consignee_city","consignee_state",
           "consignee_postal_code","consignee_country","seller_name","seller_address","seller_country",
           "importer_of_record","pga_data","line_number","description","hts_number","country_of_origin",
           "value_usd","quantity","quantity_unit","gross_weight_kg","order_reference"]

_bill = [0]
_seen: dict = {}
ENTRY_LEVEL = COLUMNS[:19]
def row(entry: str, **kw) -> dict:
    """A clean row; rows of one entry share their entry-level defaults (bill, parties, order ref)."""
    if entry in _seen:
        n = _seen[entry]
    else:
        _bill[0] += 1
        n = _seen[entry] = _bill[0]
    return _row(entry, n, **kw)

def _row(entry: str, n: int, **kw) -> dict:
    _bill_n = n
    base = dict(entry_number=entry, entry_type="86", arrival_date="2024-06-03",
                filed_at="2024-06-01T10:00:00", estimated_arrival_date="2024-06-03", port_code="4701",
                mode="air", bill_of_lading=f"738-{_bill_n:08d}", consignee_name=f"Person {_bill_n} Example",
                consignee_address=f"{_bill_n} Main Street", consignee_city="Boston", consignee_state="MA",
                consignee_postal_code="02127", consignee_country="US",
                seller_name=f"Seller {_bill_n} Co., Ltd.", seller_address="112 Nguyen Van Linh Street, HCMC",
                seller_country="VN", importer_of_record="", pga_data="", line_number="1",
                description="women's cotton knit t-shirt", hts_number="6109.10.00.40", country_of_origin="VN",
                value_usd="50.00", quantity="2", quantity_unit="PCS", gross_weight_kg="0.4",
                order_reference=f"ORD-{_bill_n}")
    base.update(kw)
    return base

def write(path: str, rows: list[dict], columns: list[str] | None = None, rename: dict | None = None) -> None:
    cols = list(columns or COLUMNS)
    for r in rows:
        for k in r:
            if k not in cols:
                cols.append(k)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow([(rename or {}).get(c, c) for c in cols])
        for r in rows:
            w.writerow([r.get(c, "") for c in cols])
