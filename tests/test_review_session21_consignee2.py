"""Twenty-first session, parties (second pass): CON001-CON005 and CON007-CON010.

Countries written with an article or as ISO numeric codes (CON002), the PGA data column read as
ELG012 reads it (CON009), placeholders made of a party's role (CON005, CON008), placeholders not
counted as names at an address (CON007), and the seller found as the consignee under another
spelling of its name (CON003, CON004).
"""

from __future__ import annotations

from typing import Any

import pytest

import t86audit
from t86audit.testing import make_entry


def _found(entries: list[dict[str, Any]], codes: list[str]) -> set[str]:
    """``CODE@n`` for each finding of ``codes`` on the ``n``-th entry (1-based), one audit."""
    built = [make_entry(serial=i + 1, **e) for i, e in enumerate(entries)]
    position = {str(e.entry_number): i + 1 for i, e in enumerate(built)}
    report = t86audit.audit(built, select=codes)
    return {f"{f.code}@{position[str(f.entry_number)]}" for f in report.findings}


def _messages(entry: dict[str, Any], code: str) -> list[str]:
    report = t86audit.audit([make_entry(**entry)], select=[code])
    return [f.message for f in report.findings]


# --- CON002: the United States in its ISO forms; insular areas named beside it ---------------


@pytest.mark.parametrize(
    "country",
    [
        "United States of America (the)",  # ISO 3166's short name, article last
        "The United States",
        "United States (the)",
        "840",  # ISO 3166-1 numeric
        "630",  # Puerto Rico, numeric
        "U.S.A.",
        "UNITED STATES (US)",
    ],
)
def test_the_united_states_with_an_article_or_numeric_code_is_not_abroad(country: str):
    assert _found([{"consignee": {"country": country}}], ["CON002", "CON011"]) == set()


@pytest.mark.parametrize("country", ["Guam (US)", "US (Guam)", "US - GU", "316"])
def test_guam_written_beside_the_us_or_as_a_number_is_con011s_warning_not_con002s(country: str):
    assert _found([{"consignee": {"country": country}}], ["CON002", "CON011"]) == {"CON011@1"}


@pytest.mark.parametrize(
    "country", ["Virgin Islands (British)", "Bahamas (the)", "The Bahamas", "Guam (CN)", "124"]
)
def test_other_countries_stay_abroad(country: str):
    assert _found([{"consignee": {"country": country}}], ["CON002", "CON011"]) == {"CON002@1"}


# --- CON009: the PGA column read as ELG012 reads it ------------------------------------------

_SENT = ["declared", "disclaimed", "DECLARED", "Y", "yes", "true", "1", "PGA disclaimed",
         "FDA declared"]  # fmt: skip
_NOT_SENT = ["", "N", "no", "false", "no PGA", "N/A", "not declared", "0"]


@pytest.mark.parametrize("pga", _SENT)
def test_pga_data_sent_in_any_form_asks_for_the_ior_number(pga: str):
    assert _found([{"pga_data": pga}], ["CON009"]) == {"CON009@1"}


@pytest.mark.parametrize("pga", _NOT_SENT)
def test_no_pga_data_asks_for_no_ior_number(pga: str):
    assert _found([{"pga_data": pga}], ["CON009"]) == set()


@pytest.mark.parametrize("pga", _SENT + _NOT_SENT)
def test_con009_and_elg012_agree_on_whether_pga_data_was_sent(pga: str):
    """ELG012 warns of a flagged line with no PGA data; CON009 asks for the IOR number when
    there is some: for one column value exactly one of them speaks."""
    cookies = [{"description": "butter cookies, 400 g tin", "hts_number": "1905.90.90.90"}]
    report = t86audit.audit(
        [make_entry(pga_data=pga, lines=cookies)],
        select=["CON009", "ELG012"],
        options={"ELG012": {"hts_flags": {"1905.90.90.90": ["FD4"]}}},
    )
    assert sorted(f.code for f in report.findings) in (["CON009"], ["ELG012"])


@pytest.mark.parametrize("ior", ["N/A", "none", "000000000", "00-0000000"])
def test_an_ior_number_that_names_none_is_missing(ior: str):
    messages = _messages({"pga_data": "declared", "importer_of_record": ior}, "CON009")
    assert messages == [
        f"PGA data is declared but the importer-of-record number is {ior!r}, which names none"
    ]


def test_con009_quotes_a_pga_value_other_than_declared_or_disclaimed():
    assert _messages({"pga_data": "Y"}, "CON009") == [
        "PGA data is filed ('Y') but the importer-of-record number is blank"
    ]
    assert _found([{"pga_data": "Y", "importer_of_record": "12-3456789"}], ["CON009"]) == set()


# --- CON005 and CON008: a party's role is no name ----------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Temu Customer",
        "Customer Name",
        "Unknown Customer",
        "Test Buyer",
        "The Buyer",
        "Recipient Name",
        "Order #123456",
        "Account 99812",
        "Amazon Customer",  # (already so)
    ],
)
def test_a_consignee_named_by_its_role_is_a_placeholder(name: str):
    assert _found([{"consignee": {"name": name}}], ["CON005"]) == {"CON005@1"}


@pytest.mark.parametrize(
    "name",
    [
        "Sam Buyer",
        "Jane Customer",
        "Client Services Inc",
        "Customer Service Dept",
        "Amazon.com Services LLC",
        "王小明",
        "Иван Петров",
        "Li",
    ],
)
def test_a_role_word_beside_a_name_is_a_name(name: str):
    assert _found([{"consignee": {"name": name}}], ["CON005"]) == set()


@pytest.mark.parametrize(
    "name", ["Seller", "Shipper", "Unknown Seller", "Amazon Seller", "Vendor Name", "N/A"]
)
def test_a_seller_named_by_its_role_is_missing(name: str):
    assert _messages({"seller": {"name": name}}, "CON008") == [
        f"seller name is {name!r}, which names no name"
    ]


@pytest.mark.parametrize(
    "name", ["Shipper Logistics Inc", "Star Supplier Co Ltd", "深圳市新源贸易有限公司", "SHEIN"]
)
def test_a_seller_whose_name_holds_a_role_word_is_named(name: str):
    assert _found([{"seller": {"name": name}}], ["CON008"]) == set()


# --- CON007: what counts as a name, and as one address ---------------------------------------

_FOUR = ["Ann Lee", "Bob Diaz", "Cara Moss", "Dan Kim"]


def _at(address: str | list[str], names: list[str]) -> list[dict[str, Any]]:
    streets = address if isinstance(address, list) else [address] * len(names)
    return [{"consignee": {"name": n, "address": a}} for n, a in zip(names, streets, strict=True)]


@pytest.mark.parametrize("fifth", ["N/A", "Customer", "Temu Customer", "-", "LEE, ANN"])
def test_a_placeholder_or_a_name_written_again_is_not_a_fifth_name(fifth: str):
    assert _found(_at("100 Main St", [*_FOUR, fifth]), ["CON007"]) == set()


def test_five_real_names_and_a_placeholder_are_five_names():
    found = _found(_at("100 Main St", [*_FOUR, "Eve Ortiz", "N/A"]), ["CON007"])
    assert found == {f"CON007@{i}" for i in range(1, 7)}
    report = t86audit.audit(
        [
            make_entry(serial=i + 1, **e)
            for i, e in enumerate(_at("100 Main St", [*_FOUR, "Eve Ortiz", "N/A"]))
        ],
        select=["CON007"],
    )
    assert report.findings[0].message.startswith("5 different consignee names")


@pytest.mark.parametrize(
    "streets",
    [
        [f"100 Main St Apt {i}" for i in range(1, 6)],
        [f"1250 Forwarder Way Suite {1230 + i}-ABC" for i in range(5)],
        [f"1250 Forwarder Way #US1234{i}" for i in range(5)],
    ],
)
def test_units_suites_and_customer_numbers_are_other_addresses(streets: list[str]):
    assert _found(_at(streets, [*_FOUR, "Eve Ortiz"]), ["CON007"]) == set()


# --- CON003 / CON004: the seller named as consignee, spelt otherwise --------------------------

_SELLER = {"name": "Shenzhen Xinyuan Trading Co., Ltd.", "address": "88 Nanshan Blvd",
           "country": "CN"}  # fmt: skip
_ABROAD = {"address": "88 Nanshan Blvd", "city": "Shenzhen", "state": "", "postal_code": "",
           "country": "CN"}  # fmt: skip
_WAREHOUSE = {"address": "1200 Commerce Dr", "city": "Elk Grove", "state": "IL",
              "postal_code": "60007", "country": "US"}  # fmt: skip


@pytest.mark.parametrize(
    "name",
    [
        "SHENZHEN XINYUAN TRADING CO LTD",
        "Shenzhen Xinyuan Trading Company Limited",
        "Shenzhen Xinyuan Trading Co.,Ltd",
        "Shenzhen Xin Yuan Trading Co., Ltd.",  # pinyin spaced
        "Shenzhen Xinyuan Trading",  # no legal form
        "Shenzhen Xinyuan Trading Ltd",  # 'Co.' left out
    ],
)
def test_the_seller_abroad_is_found_under_another_spelling(name: str):
    entry = {"consignee": {"name": name, **_ABROAD}, "seller": _SELLER}
    assert _found([entry], ["CON003", "CON004"]) == {"CON003@1"}


@pytest.mark.parametrize(
    "name",
    [
        "Shenzhen Xinyuan Trading c/o Amazon Fulfillment Center ONT8",
        "SHENZHEN XINYUAN TRADING CO., LIMITED C/O ShipBob",
        "Shenzhen Xinyuan Trading Co Ltd Attn: Receiving, ShipBob",
    ],
)
def test_the_seller_in_care_of_or_for_the_attention_of_a_warehouse_is_con004(name: str):
    entry = {"consignee": {"name": name, **_WAREHOUSE}, "seller": _SELLER}
    assert _found([entry], ["CON003", "CON004"]) == {"CON004@1"}


@pytest.mark.parametrize(
    ("consignee", "seller"),
    [
        ("Star Trading Inc", "Star Trading Co"),  # a U.S. company of its own
        ("Star Trading LLC", "Star Trading"),
        ("Star Trading Co", "Star Trading Ltd"),
        ("Shenzhen Hsinyuan Trading Co Ltd", "Shenzhen Xinyuan Trading Co Ltd"),
        ("深圳市新源贸易有限公司", "Shenzhen Xinyuan Trading Co Ltd"),
        ("c/o ShipBob Fulfillment", "Shenzhen Xinyuan Trading Co Ltd"),
        ("ShipBob Fulfillment", "Shenzhen Xinyuan Trading Co Ltd"),
    ],
)
def test_another_company_or_the_premises_alone_is_not_the_seller(consignee: str, seller: str):
    entry = {"consignee": {"name": consignee, **_WAREHOUSE}, "seller": {**_SELLER, "name": seller}}
    assert _found([entry], ["CON003", "CON004"]) == set()


def test_con004_calls_a_blank_country_neither_foreign_nor_the_us():
    name = "Shenzhen Xinyuan Trading Co Ltd"
    both_blank = {
        "consignee": {"name": name, **_WAREHOUSE, "country": ""},
        "seller": {**_SELLER, "country": ""},
    }
    assert _messages(both_blank, "CON004") == [
        (
            f"consignee {name!r} is the seller (no country filed) at '1200 Commerce Dr' (no "
            "consignee country filed); confirm the warehouse arrangement"
        )
    ]
    filed = {"consignee": {"name": name, **_WAREHOUSE}, "seller": _SELLER}
    assert _messages(filed, "CON004") == [
        (
            f"consignee {name!r} is the foreign seller at a U.S. address '1200 Commerce Dr'; "
            "confirm the warehouse arrangement"
        )
    ]
