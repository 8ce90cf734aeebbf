"""Session 22 review (h4): the non-filing rules cross-checked on a hand-built broker population.

Each test pins a difference found between the tool and a key written by hand before the tool
ran, on entries a marketplace broker files: the finding a user relies on, or the absence of a
wrong one.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import t86audit
from t86audit.testing import make_entry


def _findings(rows: list[tuple[str, str]], code: str) -> dict[int, t86audit.Finding]:
    """One entry per (description, number); the rule's findings by row index."""
    entries = [
        make_entry(
            serial=i + 1,
            arrival_date="2024-08-21",
            lines=[{"description": d, "hts_number": h, "value_usd": "22.00"}],
        )
        for i, (d, h) in enumerate(rows)
    ]
    index = {str(e.entry_number): i for i, e in enumerate(entries)}
    report = t86audit.audit(entries, select=[code])
    return {index[str(f.entry_number)]: f for f in report.findings}


# --- HTS006: a package named after the measure is not the goods ---------------------------

PACKED_UNDER_THEIR_OWN_NUMBER = [
    ("aromatic pipe tobacco 50 g pouch", "2403.19.20.20"),  # pipe tobacco
    ("Hookah Tobacco 250g Tin", "2403.11.00.00"),  # water-pipe tobacco
    ("Japanese green tea leaves 100 g tin", "0902.10.90.50"),  # green tea
    ("Irish salted butter 250 g tub", "0405.10.20.00"),  # butter
]


@pytest.mark.parametrize(("description", "hts_number"), PACKED_UNDER_THEIR_OWN_NUMBER)
def test_goods_packed_in_a_pouch_or_tin_are_judged_as_the_goods(
    description: str, hts_number: str
) -> None:
    """'Pipe tobacco 50 g pouch' under pipe tobacco was warned as a pouch misfiled (before)."""
    assert _findings([(description, hts_number)], "HTS006") == {}


def test_packed_goods_under_another_number_are_still_flagged_as_the_goods() -> None:
    """The package is dropped, not the judgement: pipe tobacco under smoking pipes is named."""
    found = _findings([("pipe tobacco 50g pouch", "9614.00.26.00")], "HTS006")
    assert "names pipe tobacco" in found[0].message
    assert "2403" in found[0].message


def test_a_container_named_alone_after_a_measure_stays_the_goods() -> None:
    """'Stainless 32 oz Bottle' names a bottle: nothing before the measure names other goods."""
    from t86audit.rules.classification import _products  # noqa: PLC0415

    assert _products("Stainless 32 oz Bottle").products == ("bottle",)
    assert _products("aromatic pipe tobacco 50 g pouch").products == ("pipe tobacco",)


# --- CON010: a placeholder is no IOR number to judge ------------------------------------------


def _codes(entry: t86audit.Entry, select: list[str]) -> list[str]:
    return sorted(f.code for f in t86audit.audit([entry], select=select).findings)


def test_an_ior_placeholder_without_pga_data_is_no_finding() -> None:
    """An export writing 'N/A' in every empty IOR cell got CON010 on every entry (before)."""
    for placeholder in ("N/A", "none", "000000000", "-"):
        entry = make_entry(importer_of_record=placeholder)
        assert _codes(entry, ["CON"]) == [], placeholder


def test_an_ior_placeholder_with_pga_data_is_reported_once_as_missing() -> None:
    """With PGA data the number is required: CON009 says it is missing; no CON010 beside it."""
    entry = make_entry(importer_of_record="N/A", pga_data="declared")
    assert _codes(entry, ["CON"]) == ["CON009"]


def test_a_malformed_ior_number_is_still_reported() -> None:
    entry = make_entry(importer_of_record="IOR-55821")
    report = t86audit.audit([entry], select=["CON010"])
    assert [f.message for f in report.findings] == [
        "importer-of-record number 'IOR-55821' matches no known format"
    ]


# --- DES001 / DES006: a placeholder or a document reference is no description ----------------


def _des(description: str) -> list[tuple[str, str, str]]:
    entry = make_entry(lines=[{"description": description}])
    report = t86audit.audit([entry], select=["DES"])
    return [(f.code, f.severity.value, f.message) for f in report.findings]


@pytest.mark.parametrize("description", ["N/A", "TBD", "None", "Unknown", "Not available"])
def test_a_placeholder_description_is_a_missing_description(description: str) -> None:
    """'N/A' was a DES006 warning ('0 words'); no description was given: DES001's violation."""
    assert _des(description) == [
        (
            "DES001",
            "violation",
            f"line 1 has no description: {description!r} is a placeholder, not a description",
        )
    ]


def test_a_description_without_letters_stays_des005() -> None:
    assert [code for code, _, _ in _des("---")] == ["DES005"]


@pytest.mark.parametrize(
    "description", ["See invoice", "As per invoice", "See attached packing list"]
)
def test_a_reference_to_a_document_names_no_goods(description: str) -> None:
    """'See invoice' (two words) passed every DES rule before."""
    assert _des(description) == [
        (
            "DES006",
            "warning",
            f"line 1 description {description!r} names no goods: only a reference to a document",
        )
    ]


@pytest.mark.parametrize(
    "description", ["invoice printer paper, 80 mm rolls", "packing tape, clear, 48 mm"]
)
def test_goods_named_beside_a_document_word_pass(description: str) -> None:
    assert _des(description) == []


# --- CON002: a foreign country code beside a U.S. state and ZIP code ---------------------------


def _con002(consignee: dict[str, str]) -> list[str]:
    report = t86audit.audit([make_entry(consignee=consignee)], select=["CON002"])
    return [f.message for f in report.findings]


def test_country_ca_with_a_california_address_says_the_country_may_be_wrong() -> None:
    """'CA' is Canada and California: the finding stands, but no longer says only 'abroad'."""
    messages = _con002(
        {
            "name": "Lily Tran",
            "address": "1820 Sawtelle Blvd",
            "city": "Los Angeles",
            "state": "CA",
            "postal_code": "90025",
            "country": "CA",
        }
    )
    assert messages == [
        (
            "ultimate consignee country is CA, not the U.S.; the state 'CA' and ZIP code '90025' "
            "filed with it are a U.S. address's: either the consignee is abroad or its country "
            "was filed wrong"
        )
    ]


@pytest.mark.parametrize(
    ("state", "postal_code", "country"),
    [("QC", "H3H 1G7", "CA"), ("JAL", "44100", "MX"), ("", "518000", "CN")],
)
def test_a_consignee_abroad_gets_the_plain_message(
    state: str, postal_code: str, country: str
) -> None:
    messages = _con002(
        {"address": "1 Main Rd", "state": state, "postal_code": postal_code, "country": country}
    )
    assert messages == [f"ultimate consignee country is {country}, not the U.S."]


# --- The hand-built population against its key ----------------------------------------------

_DATA = Path(__file__).resolve().parent / "data"
_FAMILIES = ("VAL", "CON", "DES", "HTS", "ELG")
_KNOWN_MISSES = {("H05", "HTS006", "warning", 1)}
"""Findings the key expects and the tool does not give: documented limitations left as they are."""
_PGA_FLAGS = {"1905.90.90.90": ["FD4", "AQ1", "AM7"], "3304.10.00.00": ["FD2", "AM7"]}
_PGA_FLAGS["3924.10.40.00"] = ["FD1"]


def test_the_hand_population_gets_exactly_its_keyed_findings() -> None:
    """133 entries a marketplace broker files in 2024-2025, keyed by hand before the tool ran.

    tests/data/h4_s22_key.json gives, per entry, the VAL/CON/DES/HTS/ELG findings expected
    (code, severity, line), why (the reference's section and the rule's documented basis), and
    for the few items settled after the run, which side was wrong.
    """
    key = json.loads((_DATA / "h4_s22_key.json").read_text(encoding="utf-8"))
    loaded = t86audit.load(_DATA / "h4_s22_population.csv")
    assert not loaded.errors
    options = {"ELG012": {"hts_flags": _PGA_FLAGS}, "ELG013": {"hts_flags": _PGA_FLAGS}}
    report = t86audit.audit(loaded, options=options, exposure=False)
    ids = {number: item["id"] for number, item in key.items()}
    found = {
        (ids[f.entry_number], f.code, f.severity.value, f.line_number)
        for f in report.findings
        if f.code.startswith(_FAMILIES)
    }
    expected = {
        (item["id"], code, severity, line)
        for item in key.values()
        for code, severity, line in item["expected"]
    }
    assert found - expected == set()
    assert expected - found == _KNOWN_MISSES


def test_a_package_sold_empty_stays_the_goods() -> None:
    """'Shampoo 100ml Bottle Refillable' may be the bottle itself: it stays among the goods."""
    from t86audit.rules.classification import _products  # noqa: PLC0415

    assert "bottle" in _products("Shampoo 100ml Bottle Refillable").products
    assert _products("Shampoo 100ml Bottle").products == ("shampoo",)
    assert _findings([("Perfume 10ml Bottle Empty", "7010.90.50.09")], "HTS006") == {}
