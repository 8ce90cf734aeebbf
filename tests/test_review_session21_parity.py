"""Dask parity for what session 21 added (review h12).

Two local worker processes must give the single-process report, byte for byte, on the
session's own exports: the blind CSV through its mapping (types 86, 01 and 11, so the Patterns
section's ``entry_type``; 2019 dates, so the letter response's "not in force" lists) and a
population of this review's (one consignee written 'SMITH, JOHN' and 'John Smith' on one day,
so ``name_identity`` in the group keys; consignees in Guam and the Virgin Islands, CON011;
origins written as country names, read through the countries table on the workers), each with
a cited and a drawn sample, waivers and redaction.

The reference set given is one that already ran an audit. Before, its DES matcher (built on
first use, with a cache pickle refuses) made ``audit_dask`` fail to send it to the workers: a
user who tried the audit locally first with their own PGA table got no Dask report at all.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import pickle
from pathlib import Path

import pytest

import t86audit
from t86audit.reference import PgaFlagTable
from t86audit.refset import ReferenceSet
from t86audit.testing import make_entry


DATA = Path(__file__).resolve().parent / "data" / "blind_s21"
AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
KEY = "0123456789abcdef" * 4


def _reference(folder: Path) -> ReferenceSet:
    flags = folder / "pga.csv"
    flags.write_text("hts,flags\n3924.10.40.00,FD2\n", encoding="utf-8")
    return ReferenceSet(pga_flags=PgaFlagTable.from_csv(flags))


def test_a_reference_set_that_audited_once_can_be_sent_to_workers(tmp_path: Path) -> None:
    reference = _reference(tmp_path)
    lines = [{"description": "gift", "hts_number": "6109100012"}]
    before = t86audit.audit([make_entry(lines=lines)], reference=reference, select=["DES"])
    assert [f.code for f in before.findings] == ["DES002"]
    copy = pickle.loads(pickle.dumps(reference))
    again = t86audit.audit([make_entry(lines=lines)], reference=copy, select=["DES"])
    assert again.findings == before.findings


def _population(path: Path) -> Path:
    columns = [
        "entry_number",
        "entry_type",
        "arrival_date",
        "filed_at",
        "port_code",
        "bill_of_lading",
        "consignee_name",
        "consignee_address",
        "consignee_city",
        "consignee_state",
        "consignee_postal_code",
        "consignee_country",
        "seller_name",
        "seller_address",
        "seller_country",
        "line_number",
        "description",
        "hts_number",
        "country_of_origin",
        "value_usd",
        "quantity",
    ]
    people = [
        ("SMITH, JOHN", "77 Larkspur Hollow Rd", "Ashbury", "OH", "US", "500.00", "Vietnam"),
        ("John Smith", "77 Larkspur Hollow Road", "Ashbury", "OH", "US", "400.00", "Viet Nam"),
        ("Araceli Taitano", "221 Chalan Santo Papa", "Hagatna", "", "Guam", "90.00", "Brazil"),
        ("Benedicto Camacho", "17 Marine Corps Dr", "Tamuning", "GU", "US", "80.00", "DEU"),
        ("Leontyne Christophe", "Estate Bovoni 44", "St Thomas", "", "VI", "70.00", "Türkiye"),
        ("Max Schenker", "5 Dunmarrow Lane", "Pellingford", "KY", "US", "60.00", "China"),
        ("Thorvald Freight Services LLC", "9 Quay Pkwy", "Harrow", "TX", "US", "50.00", "CN"),
    ]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for serial, (name, street, city, state, country, value, origin) in enumerate(people, 1):
            for kind, day in (("86", "2024-03-05"), ("01", "2019-07-01")):
                number = f"Q7Z-{(5510000 if kind == '86' else 6610000) + serial:07d}"
                writer.writerow(
                    [
                        number,
                        kind,
                        day,
                        day + "T01:00:00",
                        "4701",
                        f"738-{34170000 + serial}{kind}",
                        name,
                        street,
                        city,
                        state,
                        "43001",
                        country,
                        "Quenby Textiles Ltd",
                        "9 Ring Road, Pudong",
                        "CN",
                        "1",
                        "women's cotton knit t-shirt",
                        "6109.10.00.40",
                        origin,
                        value,
                        "1",
                    ]
                )
    return path


@pytest.mark.parametrize("source", ["blind", "review"])
def test_dask_gives_the_single_process_report(client, tmp_path: Path, source: str) -> None:
    from t86audit.distributed import audit_dask  # noqa: PLC0415

    if source == "blind":
        path = DATA / "cascadia_export.csv"
        mapping = json.loads((DATA / "cascadia_mapping.json").read_text(encoding="utf-8"))
    else:
        path, mapping = _population(tmp_path / "review.csv"), None
    loaded = t86audit.load(path, mapping=mapping)
    reference = _reference(tmp_path)
    plain = t86audit.audit(loaded, generated_at=AT, reference=reference)  # uses the reference
    cited = t86audit.cited_sample(
        loaded.entries, [str(e.entry_number) for e in loaded.entries[:12]], id="CBP-1", drawn_at=AT
    )
    drawn = t86audit.draw_samples(loaded.entries, size=5, count=1, seed=7, drawn_at=AT)
    waivers = [
        {
            "entry_number": f.entry_number,
            "code": f.code,
            "reason": "reviewed",
            "reviewer": "J. Doe",
            "date": "2026-12-01",
        }
        for f in plain.findings[:3]
    ]
    samples = (cited, *drawn)
    for key in (None, KEY):
        expected = t86audit.audit(
            loaded,
            reference=reference,
            redact_key=key,
            generated_at=AT,
            samples=samples,
            waivers=waivers,
        )
        got = audit_dask(
            [str(path)],
            client=client,
            mapping=mapping,
            reference=reference,
            redact_key=key,
            generated_at=AT,
            samples=samples,
            waivers=waivers,
        )
        assert got.to_json() == expected.to_json()
    letter = expected.letter_response
    assert any(e.not_in_force for e in letter)  # the "not in force" lists are compared
    codes = {f.code for f in expected.findings}
    if source == "review":
        assert {"VAL002", "CON011", "CON006"} <= codes
        assert any(e.entry.type_code == "01" for e in letter)
