"""Citations shared by the built-in rules, written once.

Sources and confidence markers follow the project's domain reference (``docs/concepts.md``):
a ``note`` tells counsel when a citation is guidance rather than law, or is not verified.

Each citation carries its date from the domain reference (:attr:`Citation.date`): a binding
source's effective date, guidance's issue date, or for a long-standing provision the earliest
date the reference vouches for (``in force by``). A finding then cites only what was law (or
said) by its entry's date, and marks later guidance as such (:func:`t86audit.findings.cited_on`).
Where the reference gives no date, the citation is undated and says so (UNVERIFIED).
"""

import datetime as dt

from t86audit.findings import LATER_GUIDANCE, Citation


UNDATED = "date not in the domain reference (UNVERIFIED)"
"""The ``date_note`` of a citation the domain reference gives no date for."""

T86_TEST_START = dt.date(2019, 9, 28)
"""The day the T86 test began in ACE (84 FR 40079; the domain reference's timeline)."""

LATER_EDITION = "edition issued after this entry; cited for the codes it lists"
"""How a later edition of a code list is shown on an earlier entry."""


def cfr19(
    section: str,
    paragraph: str = "",
    *,
    note: str = "",
    date: dt.date | None = None,
    date_kind: str = "in force by",
    date_note: str = UNDATED,
) -> Citation:
    """19 CFR ``section``, cited at ``paragraph`` (e.g. ``"(d)"``), linked to its eCFR page.

    A regulation cited here is long-standing: its date is the earliest the domain reference
    vouches for (``in force by``), or none when the reference gives none.
    """
    return Citation(
        "19 CFR",
        section + paragraph,
        f"https://www.ecfr.gov/current/title-19/section-{section}",
        note=note,
        date=date,
        date_kind=date_kind,
        date_note=date_note,
    )


_BULLETINS = "https://content.govdelivery.com/accounts/USDHSCBP/bulletins/"


def csms(
    number: str,
    bulletin: str = "",
    *,
    note: str,
    date: dt.date | None = None,
    date_kind: str = "issued",
    date_note: str = UNDATED,
    later_note: str | None = LATER_GUIDANCE,
) -> Citation:
    """CBP's CSMS message ``number``; ``bulletin`` is its id in CBP's GovDelivery archive.

    A message whose bulletin id is known is linked to its page there; one without is cited
    by number alone. ``later_note`` is how it is shown on an entry it postdates: by default
    as CBP's later reading of the law in force; ``None`` for a message that announced a new
    requirement, which is no reading of the law before it.
    """
    return Citation(
        "CSMS",
        number,
        _BULLETINS + bulletin if bulletin else None,
        note=note,
        date=date,
        date_kind=date_kind,
        date_note=date_note,
        later_note=later_note,
    )


USC_1321 = Citation(
    "19 U.S.C.",
    "1321(a)(2)(C)",
    "https://uscode.house.gov/view.xhtml?req=granuleid:USC-prelim-title19-section1321",
    date=dt.date(2016, 3, 10),
    date_kind="in force by",
    date_note="$800 from 10 Mar 2016 (TFTEA sec. 901(c)); the provision dates from 1938",
)
USC_1321_SPLIT = Citation(
    USC_1321.instrument,
    "1321(a)(2), last sentence",
    USC_1321.url,
    note="articles forwarded in separate lots to secure the benefit of the exemption",
    date=dt.date(2016, 3, 10),
    date_kind="in force by",
    date_note="text as codified after TFTEA; its first date is not in the domain reference",
)
CFR_10_151 = cfr19(
    "10.151",
    date=dt.date(2016, 8, 26),
    date_note="$800 text from CBP Dec. 16-13 (81 FR 58831); the section is older",
)
CFR_2015 = "GPO 2015 annual edition of the CFR; no later amendment found for the T86 period"
CFR_10_152 = cfr19(
    "10.152",
    date_note=UNDATED,
    note=(
        "allows more for gifts sent from the Virgin Islands, Guam and American Samoa, as places "
        "goods are imported from; where the customs territory ends, and what that means for "
        "the ultimate consignee, is UNVERIFIED in the domain reference"
    ),
)
CFR_10_153D = cfr19(
    "10.153",
    "(d)",
    note="consolidated shipments to one consignee are one importation",
    date=dt.date(2015, 4, 1),
    date_note=CFR_2015,
)
USC_1484 = Citation(
    "19 U.S.C.",
    "1484(a)",
    note="reasonable care in making entry",
    date=dt.date(1993, 12, 8),
    date_kind="in force by",
    date_note="reasonable care since the Customs Modernization Act, effective 8 Dec 1993",
)
USC_1592 = Citation(
    "19 U.S.C.", "1592(a)", note="material false statement or omission", date_note=UNDATED
)
FR_2024 = Citation(
    "89 FR",
    "2630",
    "https://www.federalregister.gov/d/2024-00698",
    note="T86 test notice, republished 16 Jan 2024 (data elements; misconduct)",
    date=dt.date(2024, 2, 15),
    date_note="published 16 Jan 2024; supersedes 84 FR 40079",
)
FR_2019 = Citation(
    "84 FR",
    "40079",
    "https://www.federalregister.gov/d/2019-17243",
    note="T86 test notice of 13 Aug 2019",
    date=T86_TEST_START,
    date_note="published 13 Aug 2019",
    # The republished notice governs arrivals from its effective date: citing the 2019 text
    # for a later entry would cite terms that no longer applied (the 15-day filing window).
    until=dt.date(2024, 2, 15),
)
_FAQ_DATE = (
    "first released about then, as reported by the trade press [S]; the page has been "
    "revised since, and the date of the text cited is UNVERIFIED"
)
T86_FAQ = Citation(
    "CBP",
    "Entry Type 86 Frequently Asked Questions",
    "https://www.cbp.gov/trade/trade-enforcement/tftea/section-321-programs/"
    "entry-type-86-frequently-asked-questions",
    note="CBP guidance, not a regulation",
    date=dt.date(2019, 10, 4),
    date_kind="issued",
    date_note=_FAQ_DATE,
)
ECOMMERCE_FAQ = Citation(
    "CBP",
    "E-Commerce FAQs (one person, one day)",
    "https://www.cbp.gov/trade/basic-import-export/e-commerce/faqs",
    note="CBP guidance, not a regulation",
    date_note=UNDATED,
)
DIRECTIVE_3550 = Citation(
    "CBP Directive",
    "3550-079A",
    note="ultimate consignee at time of entry or release",
    date_note=UNDATED,
)
CFR_142_3 = Citation(
    "19 CFR",
    "142.3(a)(6)",
    date_note="date not in the domain reference, which cites it with T.D. 94-39 (UNVERIFIED)",
)
CFR_24_5 = Citation("19 CFR", "24.5", note="filing identification number", date_note=UNDATED)
H290219 = Citation(
    "CBP ruling",
    "HQ H290219 (28 Jul 2020)",
    note="text of the ruling not verified; summarised by CBP's 2021 FAQ",
    date=dt.date(2020, 7, 28),
    date_kind="issued",
    date_note="posted 31 Jul 2020",
)
WAREHOUSE_FAQ = Citation(
    "CBP",
    "Administrative Ruling Related to Domestic Warehouses and Fulfillment Centers FAQs",
    "https://www.cbp.gov/trade/basic-import-export/e-commerce/administrative-ruling-FAQs",
    note="CBP guidance (2021): owner's name 'in care of' a U.S. warehouse is allowed",
    date=dt.date(2021, 2, 18),
    date_kind="issued",
)
CSMS_41257565 = csms(
    "41257565",
    note="seller/shipper clarification, 10 Jan 2020",
    date=dt.date(2020, 1, 10),
    date_note="",
)
_DESCRIPTION_DATE = "older than the T86 test (domain reference), first date not given"
CFR_DESCRIPTION = tuple(
    Citation(
        "19 CFR",
        section,
        date=T86_TEST_START,
        date_kind="in force by",
        date_note=_DESCRIPTION_DATE,
    )
    for section in ("4.7a", "122.48a", "123.91", "123.92", "128.21")
)
CSMS_60011750 = csms(
    "60011750",
    note="vague merchandise description cargo messages, 1 Apr 2024",
    date=dt.date(2024, 4, 1),
    date_note="",
)
CSMS_60144714 = csms(
    "60144714",
    note=(
        "filer must show how the 10-digit HTS was determined (known from a secondary summary of "
        "the CSMS [S])"
    ),
    date=dt.date(2024, 4, 11),
    date_note="as summarised [S]",
)
