"""Session 21 review: HTS006 and goods excluded from Type 86 named under another number.

ELG005-ELG008 judge the HTS number only, so vodka filed under soft drinks or cigarettes under
smoking pipes get no eligibility finding. HTS006 (description against number) is where such a
line shows: it must name the goods and the excluded heading, say what follows if the goods are
what the description names, and stay silent on the many titles where a spirit, tobacco or perfume
word names something else (whiskey stones, cognac leather, a sake set, a perfume atomizer).
"""

from __future__ import annotations

import pytest

import t86audit
from t86audit.testing import make_entry


def _hts006(rows: list[tuple[str, str]]) -> dict[int, t86audit.Finding]:
    """HTS006's findings on one entry per (description, number), by row index."""
    entries = [
        make_entry(
            serial=i + 1,
            arrival_date="2025-06-10",
            lines=[{"description": d, "hts_number": h, "value_usd": "20"}],
        )
        for i, (d, h) in enumerate(rows)
    ]
    index = {str(e.entry_number): i for i, e in enumerate(entries)}
    report = t86audit.audit(entries, select=["HTS006"])
    return {index[str(f.entry_number)]: f for f in report.findings}


def _one(description: str, hts_number: str) -> t86audit.Finding | None:
    return _hts006([(description, hts_number)]).get(0)


FLAGGED = [
    # (description, number filed, excluded heading the message must name)
    ("vodka 750ml", "2202.99.91.20", "2208"),  # soft drinks
    ("scotch whisky 12 year", "7013.37.20.90", "2208"),  # drinking glasses
    ("Whisky 12 Years Old 700ml", "2202.99.91.20", "2208"),
    ("Cognac VSOP 70cl", "2009.89.20.00", "2208"),
    ("London Dry Gin 700ml", "2202.10.00.55", "2208"),
    ("Brandy 700ml 40% vol", "2009.89.20.00", "2208"),
    ("Sake 720ml", "2202.99.91.20", "2206"),
    ("Cigarettes 1 carton", "9614.00.26.00", "2402"),  # smoking pipes, 'cigarette holders'
    ("Cigarettes 1 carton", "4819.20.00.40", "2402"),  # folding cartons
    ("Cuban Cigars Box of 25", "4819.20.00.40", "2402"),
    ("pipe tobacco 50g", "9614.00.26.00", "2403"),
    ("Hookah Tobacco 250g", "9614.00.28.90", "2403"),
    ("eau de parfum 100ml", "3304.99.50.00", "3303"),  # make-up preparations
    ("Perfume for Women 50ml", "3304.99.50.00", "3303"),
    ("Men's Cologne 100ml", "3305.90.00.00", "3303"),
]


@pytest.mark.parametrize(("description", "hts_number", "heading"), FLAGGED)
def test_excluded_goods_under_another_number_are_flagged(
    description: str, hts_number: str, heading: str
) -> None:
    finding = _one(description, hts_number)

    assert finding is not None
    # The note is conditional (the description may be wrong, not the number) and names the
    # excluded heading.
    _, note = finding.message.split(". If the goods are what the description names, ")
    assert heading in note
    assert "excluded from Type 86" in note


def test_the_note_names_the_exclusion_and_its_basis() -> None:
    spirits = _one("vodka 750ml", "2202.99.91.20")
    perfume = _one("eau de parfum 100ml", "3304.99.50.00")
    tobacco = _one("pipe tobacco 50g", "9614.00.26.00")

    assert spirits is not None
    assert perfume is not None
    assert tobacco is not None
    assert "names vodka, goods of heading 2208" in spirits.message
    assert (
        "alcoholic beverages (heading 2208) are excluded from Type 86 by 19 CFR 10.153(e) "
        "(ELG005 reads the number filed, not the description)"
    ) in spirits.message
    # perfume is excluded only with alcohol and over $5: the note says so
    assert (
        "perfume containing alcohol (heading 3303) is excluded from Type 86 by 19 CFR "
        "10.153(e) in a shipment worth over $5"
    ) in perfume.message
    # other tobacco is excluded by CBP guidance, not by the regulation
    assert "other tobacco products (heading 2403) are excluded from Type 86 by CBP guidance" in (
        tobacco.message
    )


PASSING = [
    # excluded goods under their own numbers (ELG005-ELG008's case, not HTS006's)
    ("Premium Vodka 40% ABV", "2208.60.20.00"),
    ("Eau de Parfum for Women 50ml", "3303.00.30.00"),
    ("Cigars Cuban 5 pack", "2402.10.80.50"),
    ("Pipe Tobacco 50g", "2403.19.90.50"),
    ("Car Perfume", "3307.49.00.00"),  # a car fragrance is a room perfuming preparation
    ("Non Alcoholic Beer 6 pack", "2202.91.00.20"),
    ("Non Alcoholic Wine 750ml", "2202.99.91.20"),
    ("Electronic Cigarette Disposable", "8543.40.00.30"),
    ("Rolling Papers 50 leaves", "4813.10.00.00"),
    # a spirit, tobacco or perfume word that names other goods' kind, material, colour or use
    ("Whiskey Stones Granite Chilling Rocks Set of 9", "6802.23.00.00"),
    ("Whiskey Glass 10oz", "7013.37.20.90"),
    ("Whiskey Glasses Set of 2", "7013.28.10.00"),
    ("Whisky Decanter Crystal", "7013.41.50.00"),
    ("Brandy Snifter Glass", "7013.28.10.00"),
    ("Tequila Shot Glasses", "7013.28.10.00"),
    ("Soju glasses set", "7013.28.10.00"),
    ("Whiskey Barrel Planter", "4421.99.98.80"),
    ("Whiskey Flask Stainless Steel 8oz", "7323.93.00.80"),
    ("Cocktail Smoker Whiskey", "8205.60.00.00"),
    ("Sake Set Ceramic 5 pcs", "6912.00.48.10"),
    ("Sake Bottle Ceramic", "6912.00.48.10"),
    ("Cigars Humidor Box Cedar", "4420.90.80.00"),
    ("Cigarette Case Metal", "7326.90.86.88"),
    ("Cigarette Holder", "9614.00.94.00"),
    ("Cigarette Lighter Electric USB", "9613.80.10.40"),
    ("Tobacco Pipe Wood", "9614.00.25.00"),
    ("Hookah Hose Silicone", "9614.00.98.90"),
    ("Pipe Tobacco Tin Empty", "7310.29.00.55"),
    ("Parfum Atomizer Bottle Refillable", "9616.10.00.00"),
    ("Perfume Bottle Empty 50ml", "7010.90.50.05"),
    ("Rum Cake", "1905.90.10.90"),
    ("Rum Balls", "1806.90.90.90"),
    ("Vodka Flavored Gummies", "1704.90.35.90"),
    ("Liqueur Chocolates", "1806.90.90.90"),
    ("Rum Raisin Ice Cream", "2105.00.40.00"),
    ("Candy Cigarettes", "1704.90.35.90"),
    ("Ginger Beer 12 pack", "2202.10.00.55"),
    # colours, brands and other senses
    ("Cognac color leather belt", "4203.30.00.00"),
    ("Belt Cognac Leather", "4203.30.00.00"),
    ("Dress Wine Red", "6104.43.20.10"),
    ("Wine Red Velvet Scrunchie", "6117.80.95.40"),
    ("Champagne Satin Dress", "6204.49.50.10"),
    ("Whiskey Brown Leather Boots", "6403.99.90.65"),
    ("Brandy Melville Tshirt", "6109.10.00.12"),
    ("Tequila Sunrise Tshirt", "6109.10.00.12"),
    ("Cotton Gin", "8445.19.00.80"),
    ("Gin Rummy Card Game", "9504.40.00.00"),
    ("Bourbon Vanilla Extract 4oz", "2106.90.99.97"),
]


def test_titles_naming_other_goods_are_not_flagged() -> None:
    """Precision first: none of these is a false warning (one audit for all of them)."""
    found = _hts006(PASSING)

    assert [PASSING[i] for i in sorted(found)] == []


def test_a_measure_is_no_product_word() -> None:
    """'1 carton', '12 year', '750ml' say how much, not which goods: the carton's own heading
    text (4819, cartons) does not pass the line, and a measure makes the title say enough."""
    carton = _one("Cigarettes 1 carton", "4819.20.00.40")
    bare = _one("Cigarettes", "4819.20.00.40")

    assert carton is not None
    assert "names cigarettes," in carton.message
    # One word alone is still too little to judge (min_known_words)
    assert bare is None


def test_an_accessory_filed_as_the_excluded_goods_gets_no_exclusion_note() -> None:
    """Goods named last decide the note: 'Whiskey Glasses' under spectacles is flagged as
    glasses, with no claim that the goods may be alcoholic beverages."""
    finding = _one("Whiskey Glasses Set of 2", "9003.11.00.00")

    assert finding is not None
    assert "excluded from Type 86" not in finding.message
