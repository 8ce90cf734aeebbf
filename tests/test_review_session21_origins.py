"""Countries of origin written as names or alpha-3 codes (session 21).

Before, only China and Hong Kong were read from names: 'Vietnam', 'Brazil' or 'DEU' came back as
filed, so the exposure priced a Vietnamese line at the IEEPA baseline instead of Vietnam's rate,
and a country-limited quota or a user's AD/CVD table missed 'Brazil'.
"""

from __future__ import annotations

import pytest

from t86audit.exposure import estimate_entry
from t86audit.normalize import origin_code
from t86audit.testing import make_entry


@pytest.mark.parametrize(
    ("filed", "code"),
    [
        ("Vietnam", "VN"),
        ("Viet Nam", "VN"),
        ("VNM", "VN"),
        ("Brazil", "BR"),
        ("DEU", "DE"),
        ("Germany", "DE"),
        ("UK", "GB"),
        ("United Kingdom", "GB"),
        ("Korea, Republic of", "KR"),
        ("South Korea", "KR"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("Taiwan", "TW"),
        ("Taiwan, Province of China", "TW"),
        ("Macau", "MO"),
        ("Côte d'Ivoire", "CI"),
        ("USA", "US"),
        # China and Hong Kong as before.
        ("People's Republic of China", "CN"),
        ("Hong Kong SAR", "HK"),
    ],
)
def test_a_country_written_out_or_in_alpha_3_is_its_alpha_2_code(filed: str, code: str) -> None:
    assert origin_code(filed) == code


@pytest.mark.parametrize("filed", ["NA", "VN", "XX", "Viet", "N/A", "Republic of China"])
def test_a_code_or_an_unknown_text_comes_back_as_filed(filed: str) -> None:
    """Two letters are a code as filed ('NA' is Namibia); a text no country has is kept."""
    assert origin_code(filed) == filed.upper()


def _loss(origin: str) -> object:
    entry = make_entry(
        arrival_date="2025-08-15",
        lines=[
            {
                "description": "Cotton T-shirt",
                "hts_number": "6109.10.00.12",
                "country_of_origin": origin,
                "value_usd": "900.00",
            }
        ],
    )
    return estimate_entry(entry, ["VAL001"]).loss_of_revenue_usd


def test_the_exposure_prices_vietnam_written_out_as_vn() -> None:
    """Before: 'Vietnam' fell to the IEEPA baseline (10%), not Vietnam's own rate."""
    assert _loss("Vietnam") == _loss("Viet Nam") == _loss("VNM") == _loss("VN")
    assert _loss("VN") != _loss("ZZ")  # Vietnam's own rate is not the baseline's


@pytest.mark.parametrize(
    ("country", "codes"),
    [
        ("America", []),  # before: a CON002 violation ("AMERICA, not the U.S.")
        ("United States of America", []),
        ("Canada", ["CON002"]),
        ("CAN", ["CON002"]),
        ("South America", ["CON002"]),
    ],
)
def test_a_consignee_country_is_read_as_origins_are(country: str, codes: list[str]) -> None:
    from t86audit import audit  # noqa: PLC0415
    from t86audit.model import Party  # noqa: PLC0415

    consignee = Party(
        name="Ann Lee",
        address="1 Main St",
        city="Boston",
        state="MA",
        postal_code="02127",
        country=country,
    )
    report = audit([make_entry(consignee=consignee)], select=["CON002"])
    assert [f.code for f in report.findings] == codes


@pytest.mark.parametrize("country", ["États-Unis", "Etats-Unis", "EE.UU.", "Vereinigte Staaten"])
def test_the_united_states_in_other_languages_is_us(country: str) -> None:
    """A seller's platform may write the consignee's country in its own language."""
    assert origin_code(country) == "US"
