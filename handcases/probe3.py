import sys; sys.path.insert(0,'.')
from base import en, row, write
E=lambda s: en("C12", f"{s:07d}")
rows=[
 row(E(1), entry_type="1", value_usd="900.00"),
 row(E(2), entry_type="86.0", value_usd="900.00"),
 row(E(3), entry_type="T86"),
 row(E(4), consignee_name="TBD"), row(E(5), consignee_name="Consignee"), row(E(6), consignee_name="12345"),
 row(E(7), hts_number="6109 10 00 40"), row(E(8), hts_number="6109-10-00-40"),
 row(E(9), description="spare parts for sewing machines", hts_number="8452.90.91.00"),
 row(E(10), description="gift set"),
 row(E(11), arrival_date="2024-02-10", estimated_arrival_date="2024-02-10", filed_at="2024-02-25T10:00:00"),
 row(E(12), arrival_date="2024-02-10", estimated_arrival_date="2024-02-10", filed_at="2024-02-26T10:00:00"),
 row(E(13), arrival_date="2025-05-01", estimated_arrival_date="2025-05-01", filed_at="2025-05-02T10:00:00", country_of_origin="CN"),
 row(E(14), country_of_origin="China", arrival_date="2025-06-02", estimated_arrival_date="2025-06-02", filed_at="2025-06-01T10:00:00"),
 row(E(15), consignee_country=""),
 row(E(16), description="Nike"),
 row(E(17), description="礼物"),
 row(E(18), description="phone case", hts_number="4202.32.10.00"),
 row(E(19), value_usd="0.001"),
 row(E(20), consignee_name="Mr. John Q. Public", consignee_address="5 Elm St", value_usd="500", filed_at="2024-06-01T09:00:00"),
 row(E(21), consignee_name="John Q Public", consignee_address="5 Elm Street", value_usd="400", filed_at="2024-06-01T10:00:00"),
]
write("csv/probe3.csv", rows)
