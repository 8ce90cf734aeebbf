"""Citations shared by the built-in rules, written once.

Sources and confidence markers follow the project's domain reference (``docs/concepts.md``):
a ``note`` tells counsel when a citation is guidance rather than law, or is not verified.
"""

from t86audit.findings import Citation


def cfr19(section: str, paragraph: str = "", *, note: str = "") -> Citation:
    """19 CFR ``section``, cited at ``paragraph`` (e.g. ``"(d)"``), linked to its eCFR page."""
    return Citation(
        "19 CFR",
        section + paragraph,
        f"https://www.ecfr.gov/current/title-19/section-{section}",
        note=note,
    )


_BULLETINS = "https://content.govdelivery.com/accounts/USDHSCBP/bulletins/"


def csms(number: str, bulletin: str = "", *, note: str) -> Citation:
    """CBP's CSMS message ``number``; ``bulletin`` is its id in CBP's GovDelivery archive.

    A message whose bulletin id is known is linked to its page there; one without is cited
    by number alone.
    """
    return Citation("CSMS", number, _BULLETINS + bulletin if bulletin else None, note=note)


USC_1321 = Citation(
    "19 U.S.C.",
    "1321(a)(2)(C)",
    "https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title19-section1321",
)
USC_1321_SPLIT = Citation(
    USC_1321.instrument,
    "1321(a)(2), last sentence",
    USC_1321.url,
    note="articles forwarded in separate lots to secure the benefit of the exemption",
)
CFR_10_151 = cfr19("10.151")
CFR_10_152 = cfr19(
    "10.152",
    note=(
        "allows more for gifts sent from the Virgin Islands, Guam and American Samoa, as places "
        "goods are imported from; where the customs territory ends, and what that means for "
        "the ultimate consignee, is UNVERIFIED in the domain reference"
    ),
)
CFR_10_153D = cfr19(
    "10.153", "(d)", note="consolidated shipments to one consignee are one importation"
)
USC_1484 = Citation("19 U.S.C.", "1484(a)", note="reasonable care in making entry")
USC_1592 = Citation("19 U.S.C.", "1592(a)", note="material false statement or omission")
FR_2024 = Citation(
    "89 FR",
    "2630",
    "https://www.federalregister.gov/d/2024-00698",
    note="T86 test notice, republished 16 Jan 2024 (data elements; misconduct)",
)
FR_2019 = Citation(
    "84 FR",
    "40079",
    "https://www.federalregister.gov/d/2019-17243",
    note="T86 test notice of 13 Aug 2019",
)
T86_FAQ = Citation(
    "CBP",
    "Entry Type 86 Frequently Asked Questions",
    "https://www.cbp.gov/trade/trade-enforcement/tftea/section-321-programs/"
    "entry-type-86-frequently-asked-questions",
    note="CBP guidance, not a regulation",
)
ECOMMERCE_FAQ = Citation(
    "CBP",
    "E-Commerce FAQs (one person, one day)",
    "https://www.cbp.gov/trade/basic-import-export/e-commerce/faqs",
    note="CBP guidance, not a regulation",
)
DIRECTIVE_3550 = Citation(
    "CBP Directive", "3550-079A", note="ultimate consignee at time of entry or release"
)
CFR_142_3 = Citation("19 CFR", "142.3(a)(6)")
CFR_24_5 = Citation("19 CFR", "24.5", note="filing identification number")
H290219 = Citation(
    "CBP ruling",
    "HQ H290219 (28 Jul 2020)",
    note="text of the ruling not verified; summarised by CBP's 2021 FAQ",
)
WAREHOUSE_FAQ = Citation(
    "CBP",
    "Administrative Ruling Related to Domestic Warehouses and Fulfillment Centers FAQs",
    "https://www.cbp.gov/trade/basic-import-export/e-commerce/administrative-ruling-FAQs",
    note="CBP guidance (2021): owner's name 'in care of' a U.S. warehouse is allowed",
)
CSMS_41257565 = csms("41257565", note="seller/shipper clarification, 10 Jan 2020")
CFR_DESCRIPTION = (
    Citation("19 CFR", "4.7a"),
    Citation("19 CFR", "122.48a"),
    Citation("19 CFR", "123.91"),
    Citation("19 CFR", "123.92"),
    Citation("19 CFR", "128.21"),
)
CSMS_60011750 = csms("60011750", note="vague merchandise description cargo messages, 1 Apr 2024")
CSMS_60144714 = csms(
    "60144714",
    note=(
        "filer must show how the 10-digit HTS was determined (known from a secondary summary of "
        "the CSMS [S])"
    ),
)
