"""Twenty-first session, parties: CON006's carriers and namesakes, insular consignees, broker-style
names and addresses in the consignee-keyed rules."""

from __future__ import annotations

import pytest

import t86audit
from t86audit.normalize import name_identity
from t86audit.testing import make_entry


def _flagged(names: list[str], code: str = "CON006") -> set[str]:
    """The names, each the consignee of its own entry, that ``code`` flags (one audit)."""
    entries = [make_entry(serial=i + 1, consignee={"name": n}) for i, n in enumerate(names)]
    report = t86audit.audit(entries, select=[code])
    by_number = {str(e.entry_number): e.consignee.name for e in entries}
    return {by_number[str(f.entry_number)] for f in report.findings}


# --- CON006: a carrier, forwarder, broker or re-shipper named as the consignee ----------------

CARRIERS = [
    # express operators and posts
    "DHL Express",
    "DHL EXPRESS (USA) INC",
    "DHL eCommerce Solutions",
    "D.H.L.",
    "FedEx Ground",
    "FEDEX TRADE NETWORKS",
    "Federal Express Corporation",
    "FedEx Office Print & Ship Center",
    "UPS",
    "U.P.S.",
    "United Parcel Service Inc",
    "UPS Supply Chain Solutions",
    "The UPS Store #4512",
    "USPS",
    "United States Postal Service",
    "Aramex NY",
    "TNT Express",
    "EMS",
    "YunExpress",
    "Yun Express USA",
    "4PX Express",
    "4PX Worldwide Express Co Ltd",
    "Cainiao",
    "Cainiao Network Technology",
    "Yanwen Logistics",
    "YANWEN",
    "SF Express",
    "S.F. Express Co Ltd",
    "J&T Express",
    "ZTO Express",
    "YTO Express",
    "Purolator Inc",
    "Canada Post",
    "China Post",
    "Hongkong Post",
    "Royal Mail",
    "OSM Worldwide",
    "OnTrac",
    "LaserShip Inc",
    "Pitney Bowes Global Ecommerce",
    "Landmark Global",
    "Asendia USA",
    "Nippon Express USA",
    # forwarders, consolidators and logistics firms (3PLs)
    "Flexport Inc",
    "Expeditors International of Washington",
    "C.H. Robinson Worldwide",
    "Kuehne + Nagel Inc",
    "DB Schenker",
    "Schenker Inc",
    "Geodis USA",
    "CEVA Logistics",
    "Yusen Logistics (Americas) Inc",
    "Agility Logistics Corp",
    "Toll Global Forwarding",
    "Sunyou Logistics",
    "WINIT America",
    "ABC Logistics Inc",
    "XYZ Freight Forwarding",
    "Pacific Freight Forwarders LLC",
    "Global Forwarders LLC",
    "Atlas Air Cargo",
    "Sky Cargo Inc",
    "Ocean Freight Services LLC",
    "Blue Water Shipping Co",
    "JFK Air Freight Inc",
    "Trans-Pacific Freight Co",
    "Ace Freight Lines",
    "Midwest Freight Systems Inc",
    "Metro Couriers Inc",
    "Rapid Courier Services",
    "Interglobal Express Courier",
    "ABC Express Delivery Inc",
    "Global Express Inc",
    "Estes Express Lines",
    "Eastern Consolidators Inc",
    "Prime Logistics Warehouse",
    "West Coast 3PL LLC",
    "Golden State Logistics & Fulfillment",
    "US Parcel Forwarding LLC",
    # customs brokers
    "ABC Customs Brokers Inc",
    "Miami Customs Brokerage Corp",
    "Apex Customs Broker LLC",
    # re-shippers, alone or 'in care of' no one named
    "MyUS.com",
    "MYUS.COM INC",
    "c/o Shipito",
    "Shipito LLC",
    "Planet Express",
    "Stackry",
    "Stackry Inc",
    "USGoBuy",
    "Viabox",
    "c/o Stackry",
]

NAMESAKES = [
    # businesses of other trades whose names hold a carrier's word
    "Express Dental Care",
    "Cargo Pants Outlet LLC",
    "Freight House Restaurant",
    "Shipley Donuts",
    "Harbor Freight Tools",
    "Harbor Freight Tools #123",
    "Harbor Freight",
    "Transit Coffee Co",
    "Global Express Salon",
    "Courier Journal",
    "The Courier-Journal",
    "Post & Courier",
    "Panda Express",
    "Panda Express #1123",
    "Pizza Express",
    "Express Scripts Inc",
    "Express LLC",
    "Express Oil Change",
    "Express Employment Professionals",
    "Nail Express Spa",
    "Wok Express",
    "American Express Travel",
    "American Express Company",
    "Freight & Salvage Coffeehouse",
    "Freight Farms Inc",
    "Shipping Container Homes LLC",
    "Cargo Cafe",
    "Logistics Health Inc",
    "Express Lane Car Wash",
    "Expressions Hair Studio",
    "Shipping & Handling Boutique",
    "The Freight Yard Bar",
    "Cargo Coffee",
    "Brokerage Realty LLC",
    "Customs House Tavern",
    "Ups and Downs Cafe",
    "Tnt Fireworks Inc",
    "Freightliner of Arizona",
    "Expressway Motors",
    "Cargo Ship Models Inc",
    "Shipping Supplies Direct",
    "Logistics Management Institute",
    "Event Logistics Catering",
    "Courier Coffee Roasters",
    "Express Pharmacy",
    "Pony Express Pizza",
    "Express Mart #7",
    "Freight Brewing Company",
    "Cargo Records",
    "Landmark Global Church",
    "Nguyen Express Nails",
    "Royal Mail Boxes Etc",
    "Post Office Pub",
    "Forwarding Address Realty",
    "Postal Annex",
    "Courier Hotel",
    "Express Tax Service",
    "Cargo Trailer Sales LLC",
    "Speedy Shipping Supplies",
    "Air Cargo Grill",
    "Shipwright Boat Works",
    "Transport Cafe",
    "Freight Wine Bar",
    "Express Care Urgent Clinic",
    "Shipping Point Church",
    "ShipBob Fulfillment",
    # people
    "Ems Johnson",
    "Max Schenker",
    "Li Yanwen",
    "Yanwen Li",
    "Chen Yanwen",
    "Jean Courier",
    "Kim Yun",
    "Dhlamini Sipho",
    "Maria Fedeli",
    # owners in care of a carrier's premises
    "Jane Doe c/o ABC Logistics",
    "John Poe, c.o. Coastal Freight",
    "Jane Roe \u2105 Planet Express",
    "Kim Tran c/o Stackry",
]


def test_con006_flags_every_carrier_forwarder_broker_and_reshipper_of_the_corpus():
    assert len(CARRIERS) >= 80
    missed = set(CARRIERS) - _flagged(CARRIERS)
    assert not missed


def test_con006_flags_no_business_of_another_trade_or_person_with_a_carrier_word():
    """Before session 21 'express', 'freight', 'shipping', 'courier' and 'logistics' anywhere in
    a name were enough: 'Express Dental Care' and 'Harbor Freight Tools' were flagged."""
    assert len(NAMESAKES) >= 70
    assert not _flagged(NAMESAKES)


def test_con006_names_the_carrier_it_saw():
    entry = make_entry(serial=1, consignee={"name": "c/o Shipito"})
    (finding,) = t86audit.audit([entry], select=["CON006"]).findings
    assert "'shipito'" in finding.message
    assert finding.observed == "c/o Shipito"


def test_con006_leaves_the_seller_named_as_consignee_to_con003_and_con004():
    seller = {"name": "Shenzhen Global Logistics Co", "address": "8 Futian Rd", "country": "CN"}
    entry = make_entry(serial=1, seller=seller, consignee={"name": "Shenzhen Global Logistics Co"})
    assert not t86audit.audit([entry], select=["CON006"]).findings


# --- CON002/CON011: consignees in U.S. insular areas outside Puerto Rico ----------------------


def _place_codes(consignee: dict[str, str]) -> list[str]:
    entry = make_entry(serial=1, consignee=consignee)
    report = t86audit.audit([entry], select=["CON002", "CON011"])
    return sorted(f.code for f in report.findings)


@pytest.mark.parametrize(
    "consignee",
    [
        {"country": "GU", "state": "", "city": "Tamuning"},
        {"country": "Guam", "state": "", "city": "Tamuning"},
        {"country": "US", "state": "GU", "city": "Tamuning", "postal_code": "96913"},
        {"country": "USA", "state": "Guam", "city": "Hagatna"},
        {"country": "VI", "state": "", "city": "Charlotte Amalie"},
        {"country": "U.S. Virgin Islands", "state": "", "city": "St Thomas"},
        {"country": "US", "state": "VI", "city": "Christiansted", "postal_code": "00820"},
        {"country": "AS", "state": "", "city": "Pago Pago"},
        {"country": "US", "state": "AS", "city": "Pago Pago"},
        {"country": "MP", "state": "", "city": "Saipan"},
        {"country": "Northern Mariana Islands", "state": "", "city": "Saipan"},
        {"country": "US", "state": "MP", "city": "Saipan"},
    ],
)
def test_an_insular_consignee_is_a_warning_whatever_the_field_it_is_written_in(
    consignee: dict[str, str],
):
    """Before: country 'GU' was CON002's violation ('not the U.S.'), country 'US' with state 'GU'
    passed silently. The domain reference does not settle whether such a consignee is abroad."""
    assert _place_codes(consignee) == ["CON011"]


@pytest.mark.parametrize(
    ("consignee", "codes"),
    [
        ({"country": "PR", "state": "PR", "city": "San Juan"}, []),  # in the customs territory
        ({"country": "US", "state": "Puerto Rico", "city": "Ponce"}, []),
        ({"country": "US", "state": "CA"}, []),
        ({"country": "VG", "state": "", "city": "Road Town"}, ["CON002"]),  # British
        ({"country": "CN", "state": "GU", "city": "Guangzhou"}, ["CON002"]),
        ({"country": "", "state": "GU", "city": "Tamuning"}, ["CON011"]),
    ],
)
def test_the_customs_territory_and_abroad_are_not_insular(
    consignee: dict[str, str], codes: list[str]
):
    assert _place_codes(consignee) == codes


def test_con011_says_what_it_does_not_know():
    entry = make_entry(serial=1, consignee={"country": "US", "state": "GU"})
    (finding,) = t86audit.audit([entry], select=["CON011"]).findings
    assert finding.severity is t86audit.Severity.WARNING
    assert finding.basis == "unverified"
    assert finding.field == "consignee_state"
    assert "Guam" in finding.message
    assert "unverified" in finding.message


# --- VAL002 and the other consignee-keyed rules: one person written two ways -----------------


def _day_total_codes(one: dict[str, str], other: dict[str, str]) -> list[str]:
    """VAL002 on two entries of one day, 500 and 400 USD: over 800 only if they are one person."""
    entries = [
        make_entry(serial=1, value="500.00", consignee=one),
        make_entry(serial=2, value="400.00", consignee=other),
    ]
    return sorted({f.code for f in t86audit.audit(entries, select=["VAL002"]).findings})


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (
            {"name": "JOHN SMITH", "address": "45 W 3RD AVE #12", "postal_code": "10001-2345"},
            {"name": "John Smith", "address": "45 West 3rd Avenue Apt 12", "postal_code": "10001"},
        ),
        (
            {"name": "MARIA GARCIA LOPEZ", "address": "123 N MAIN ST STE 200"},
            {
                "name": "Mar\u00eda Garc\u00eda-L\u00f3pez",
                "address": "123 North Main Street, Suite 200",
            },
        ),
        (
            {"name": "NGUYEN VAN AN", "address": "12 ELM ST APT 3-B"},
            {"name": "Nguy\u1ec5n V\u0103n An", "address": "12 Elm Street #3B"},
        ),
        (
            {"name": "ACME TRADING, L.L.C.", "address": "77 HARBOR BLVD UNIT B"},
            {"name": "Acme Trading LLC", "address": "77 Harbor Boulevard, Unit B"},
        ),
        (
            {"name": "ACME TRADING CORP.", "address": "9 OLD HWY 1 APT 4"},
            {"name": "Acme Trading Corporation", "address": "9 Old Highway 1 #4"},
        ),
    ],
)
def test_broker_style_caps_abbreviations_and_accents_are_one_person(
    one: dict[str, str], other: dict[str, str]
):
    assert _day_total_codes(one, other) == ["VAL002"]


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ({"name": "JOHN SMITH JR"}, {"name": "John Smith Sr"}),
        (
            {"name": "KIM MIN JUN", "address": "45 W 3RD AVE #12"},
            {"name": "Kim Min Jun", "address": "45 W 3RD AVE #13"},
        ),
        (
            {"name": "LE VAN AN", "address": "123 N MAIN ST"},
            {"name": "Le Van An", "address": "123 S MAIN ST"},
        ),
    ],
)
def test_two_people_are_not_merged(one: dict[str, str], other: dict[str, str]):
    assert _day_total_codes(one, other) == []


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ({"name": "SMITH, JOHN"}, {"name": "John Smith"}),
        ({"name": "SMITH JOHN"}, {"name": "John Smith"}),
        ({"name": "KIM MIN-JUN"}, {"name": "Kim Minjun"}),
        ({"name": "ZHANG XIAO-MING"}, {"name": "Xiaoming Zhang"}),
        ({"name": "Garcia-Lopez, Maria"}, {"name": "Maria Garcia Lopez"}),
    ],
)
def test_an_inverted_or_hyphenated_name_is_one_person(one: dict[str, str], other: dict[str, str]):
    assert _day_total_codes(one, other) == ["VAL002"]


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ({"name": "John Paul Smith"}, {"name": "Paul John Smith"}),
        ({"name": "Ann Lee Smith"}, {"name": "Lee Ann Smith"}),
        ({"name": "Kim Min-jun"}, {"name": "Kim Min-ji"}),
        ({"name": "SMITH, JOHN"}, {"name": "SMITH, JOAN"}),
    ],
)
def test_names_that_differ_in_more_than_order_or_spacing_stay_two_people(
    one: dict[str, str], other: dict[str, str]
):
    """Before the identity change these were apart too; the change must not merge them."""
    assert _day_total_codes(one, other) == []


def test_one_person_written_two_ways_is_one_name_at_an_address():
    """CON007 counts names by identity: 'SMITH, JOHN' and 'John Smith' are one recipient."""
    names = {name_identity(n) for n in ("SMITH, JOHN", "John Smith", "Smith John", "JOHN SMITH")}
    assert len(names) == 1
