"""Session 22 review (h6): ELG009 no longer warns of every Chinese line in a basket subheading.

Several AD/CVD orders list only 6-digit subheadings that are baskets (3926.90 other articles of
plastics, 8708.99 other motor-vehicle parts, 8544.42, 7007.19), so every Chinese phone case or
auto part was warned of as possibly twist ties, geogrid or steel wheels. A broad match now needs
the description to name the order's goods, or to say too little to tell them apart; a match on a
listing of 8 or more digits is warned of as before. Expectations are worked by hand from the
bundled China order table.
"""

from __future__ import annotations

import pytest

import t86audit
from t86audit.rules.eligibility import order_goods_words
from t86audit.testing import make_entry


BASKET_PLASTICS = "3926.90.99.89"  # A-570-036 geogrid, A-570-075 ribbon, A-570-131 twist ties
BASKET_VEHICLE_PARTS = "8708.99.81.80"  # A-570-082 steel wheels, A-570-601 bearings (8708.99)


def _elg009(description: str, hts_number: str, origin: str = "CN") -> list[t86audit.Finding]:
    entry = make_entry(
        arrival_date="2024-08-21",
        lines=[
            {
                "description": description,
                "hts_number": hts_number,
                "country_of_origin": origin,
                "value_usd": "12.00",
            }
        ],
    )
    return list(t86audit.audit([entry], select=["ELG009"]).findings)


SPECIFIC_OTHER_GOODS = [
    ("silicone phone case for iPhone 15", BASKET_PLASTICS),
    ("hydrogel screen protector film for Galaxy S24", BASKET_PLASTICS),
    ("ABS plastic cup holder insert for car console", BASKET_VEHICLE_PARTS),
    ("rubber floor mat clips for Toyota Camry, set of 4", BASKET_VEHICLE_PARTS),
]


@pytest.mark.parametrize(("description", "hts_number"), SPECIFIC_OTHER_GOODS)
def test_a_specific_description_of_other_goods_under_a_broad_listing_is_not_warned_of(
    description: str, hts_number: str
) -> None:
    """Before: 'HTS 3926.90.99.89 of CN falls under ... A-570-036 (Biaxial Integral Geogrid
    Products ...) ... A-570-131 (Twist Ties ...)' on every Chinese phone case."""
    assert _elg009(description, hts_number) == []


NAMING_THE_GOODS = [
    ("plastic twist ties 500 pcs", BASKET_PLASTICS, "A-570-131", "'tie', 'twist'"),
    ("decorative ribbon spool, 50 yards", BASKET_PLASTICS, "A-570-075", "'decorative', 'ribbon'"),
    ("biaxial geogrid roll for driveway", BASKET_PLASTICS, "A-570-036", "'biaxial', 'geogrid'"),
    ("trailer wheel 13 inch, 5 lug", BASKET_VEHICLE_PARTS, "A-570-082", "'wheel'"),
    ("front wheel bearing hub assembly", BASKET_VEHICLE_PARTS, "A-570-601", "'bearing'"),
]


@pytest.mark.parametrize(("description", "hts_number", "case", "words"), NAMING_THE_GOODS)
def test_a_description_naming_the_order_goods_is_warned_of_with_the_words(
    description: str, hts_number: str, case: str, words: str
) -> None:
    (found,) = _elg009(description, hts_number)
    assert case in found.message
    assert f"the description names {words}" in found.message


def test_only_the_orders_whose_goods_are_named_are_listed() -> None:
    """'twist ties' names A-570-131 and its CVD twin, not the geogrid or ribbon orders."""
    (found,) = _elg009("plastic twist ties 500 pcs", BASKET_PLASTICS)
    assert "A-570-131" in found.message
    assert "C-570-132" in found.message
    assert "A-570-036" not in found.message
    assert "A-570-075" not in found.message


@pytest.mark.parametrize(
    "description", ["Accessories", "auto parts", "", "N/A", "12345", "item", "See invoice", "配件"]
)
def test_a_vague_description_under_a_broad_listing_is_still_warned_of(description: str) -> None:
    """Nothing tells such a line apart from the order's goods (the DES rules' own tests)."""
    (found,) = _elg009(description, BASKET_PLASTICS)
    assert "A-570-131" in found.message
    assert "the description does not say what the goods are" in found.message


def test_a_listing_of_eight_or_more_digits_is_warned_of_whatever_the_description() -> None:
    """A-570-827 lists 9609.10.00: cased pencils described as a gift set are still named."""
    (found,) = _elg009("kids drawing gift set with case", "9609.10.00.00")
    assert "A-570-827" in found.message
    assert "lists 9609.10.00)" in found.message  # no broad-listing reason: the number decides


def test_other_origins_are_unchanged() -> None:
    assert _elg009("plastic twist ties 500 pcs", BASKET_PLASTICS, origin="VN") == []
    assert _elg009("Accessories", BASKET_PLASTICS, origin="VN") == []


def test_the_title_words_the_named_words_are_read_from() -> None:
    """Materials qualifying the goods and filler are left out; a material that is the goods
    ('Uncoated Paper') and a plural matched by its singular ('Mattresses') are kept."""
    assert order_goods_words("Certain Steel Wheels 12 to 16.5 Inches in Diameter") == {"wheel"}
    assert order_goods_words("Aluminum Wire and Cable") == {"wire", "cable"}
    assert order_goods_words("Uncoated Paper") == {"uncoated", "paper"}
    assert order_goods_words("Carbon and Alloy Steel Threaded Rod") == {"threaded", "rod"}
    (found,) = _elg009("queen size memory foam mattress", "9404.29.90.13")
    assert "the description names 'mattress'" in found.message


def test_a_description_naming_a_title_word_is_warned_of_though_the_scope_may_exclude_it() -> None:
    """Documented limitation: 'cable' is a word of 'Aluminum Wire and Cable'; the scope's size
    and alloy tests, which words cannot settle, decide whether a USB cable is within it."""
    (found,) = _elg009("USB-C charging cable 1m braided nylon", "8544.42.90.90")
    assert "A-570-095" in found.message


def test_the_verdict_depends_on_the_description_so_the_cache_keys_it() -> None:
    """Two lines under one number and origin, one vague, one specific, in one audit."""
    entry = make_entry(
        arrival_date="2024-08-21",
        lines=[
            {"description": d, "hts_number": BASKET_PLASTICS, "country_of_origin": "CN"}
            for d in ("silicone phone case for iPhone 15", "Accessories", "silicone phone case")
        ],
    )
    found = t86audit.audit([entry], select=["ELG009"]).findings
    assert [f.line_number for f in found] == [2]


def test_elg010_still_reports_a_confirmed_case_whatever_the_description() -> None:
    entry = make_entry(
        arrival_date="2024-08-21",
        lines=[
            {
                "description": "silicone phone case",
                "hts_number": BASKET_PLASTICS,
                "country_of_origin": "CN",
            }
        ],
    )
    report = t86audit.audit(
        [entry],
        select=["ELG009", "ELG010"],
        options={"ELG010": {"confirmed_cases": ["A-570-131"]}},
    )
    assert [f.code for f in report.findings] == ["ELG010"]
