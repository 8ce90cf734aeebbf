"""CON: consignee and other parties: missing data, foreigners, placeholders, nominal parties."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Hashable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, cast

from t86audit._citations import CFR_10_151, cites
from t86audit.findings import Hit
from t86audit.model import Entry, Party
from t86audit.normalize import (
    _joined,
    consignee_key,
    is_placeholder,
    last_by_identity,
    name_identity,
    name_key,
    normalize_text,
    origin_code,
    place_key,
)
from t86audit.rules._base import DURING_T86_TEST, RuleContext
from t86audit.rules._catalog import builtin_group_rule, builtin_rule
from t86audit.rules._examples import flags, passes
from t86audit.rules._families import reading
from t86audit.rules._hits import entry_hit
from t86audit.rules._kept import (
    Kept,
    by_place,
    gather,
    kept_in,
    kept_of,
    left_out,
    unsettled,
)
from t86audit.rules.eligibility import pga_data_sent


if TYPE_CHECKING:
    from t86audit.findings import Citation
    from t86audit.rules._base import Check, Rule


_US = frozenset(
    {
        "US",
        "USA",
        "UNITED STATES",
        "UNITED STATES OF AMERICA",
        # Spanish, as exports from Latin American sellers' platforms write it.
        "ESTADOS UNIDOS",
        "ESTADOS UNIDOS DE AMERICA",
        "EEUU",
        "EE UU",
        # ISO 3166-1 numeric code, as some ERP and EDI exports write the country.
        "840",
    }
)
# Puerto Rico is in the customs territory of the United States (19 CFR 101.1); the other
# territories are not, so they are left to the user's judgement via the option.
_DEFAULT_US_COUNTRIES = ("US", "PR")
_COUNTRY_NAMES = {"PUERTO RICO": "PR", "PRI": "PR", "630": "PR"}
"""Names an export spells out for a code of the ``us_countries`` option."""
_NOT_LETTERS = re.compile(r"[^A-Z]+")


def _words(text: str) -> frozenset[str]:
    """The words of ``text``, as a set: a long list of words written as prose."""
    return frozenset(text.split())


_PARTY_FIELDS = ("name", "address", "country")
"""What CON001 and CON008 require of a party, in the order their findings list them."""


def _missing_hits(entry: Entry, party: Party, role: str, whose: str) -> Iterator[Hit]:
    """One hit per blank name, address or country of ``party`` (``role``: column prefix)."""
    for field in _PARTY_FIELDS:
        value = getattr(party, field).strip()
        if not value:
            yield Hit(
                entry,
                field=f"{role}_{field}",
                observed="",
                expected=f"{whose} {field}",
                message=f"{role} {field} is blank",
            )
        elif not (role == "consignee" and field == "name") and _names_nothing(field, value):
            # (A consignee name that is a placeholder is CON005's.)
            yield Hit(
                entry,
                field=f"{role}_{field}",
                observed=getattr(party, field),
                expected=f"{whose} {field}",
                message=f"{role} {field} is {value!r}, which names no {field}",
            )


def _names_nothing(field: str, value: str) -> bool:
    """A party value that stands for none: "N/A", "unknown", "-" ("NA" is Namibia's code)."""
    if len(value) > _PLACEHOLDER_LENGTH:
        return False  # (every entry asks, for six values: a real name or address is longer)
    if field == "country" and value.upper() == "NA":
        return False
    return _stands_for_none(value) or (field == "name" and _role_only(value, _SELLER_ROLES))


_BUYER_ROLES = _words(
    "customer customers consignee receiver recipient buyer client purchaser addressee shopper"
)
_SELLER_ROLES = _words("seller sellers shipper vendor supplier merchant exporter sender consignor")
_ROLE_FILLER = _words(
    # what a template or a marketplace's masked export writes around a party's role
    "test testing sample dummy default unknown unnamed anonymous valued dear new the a an n "
    "your our my name no not provided given available tbd "
    "amazon temu shein ebay aliexpress alibaba walmart etsy wish tiktok shopee lazada shopify "
    "joom wayfair"
)


@functools.lru_cache(maxsize=4096)
def _role_only(name: str, roles: frozenset[str]) -> bool:
    """Whether a name is only a party's role and words around it.

    "Unknown Seller", "Temu Customer", "Customer Name", "Test Buyer" are; a role beside any
    other word is a name ("Sam Buyer", "Client Services Inc").
    """
    words = normalize_text(name).split()
    return (
        0 < len(words) <= 4
        and not roles.isdisjoint(words)
        and all(w in roles or w in _ROLE_FILLER for w in words)
    )


@functools.lru_cache(maxsize=4096)
def _stands_for_none(value: str) -> bool:
    return _ALNUM.search(value) is None or is_placeholder(value, _PARTY_PLACEHOLDERS)


_PARTY_PLACEHOLDERS = frozenset(
    {
        "NOADDRESS",
        "ADDRESSNOTPROVIDED",
        "ADDRESSUNKNOWN",
        "NONAME",
        "NAMENOTPROVIDED",
        "SAMEASBILLING",
        "SAMEASSHIPPING",
        "SAMEASABOVE",
    }
)
"""What an export writes for a party's name or address it does not have, compared as
:func:`~t86audit.normalize.is_placeholder` compares (``Address not provided``)."""
_PLACEHOLDER_LENGTH = 24
"""Longer than any placeholder ("address not provided"): such a value is not checked for one."""
_ALNUM = re.compile(r"[^\W_]")


def _missing_party_rule(
    code: str, role: str, citations: Sequence[Citation], *blanks: tuple[str, str, str]
) -> Callable[[Check], Rule]:
    """Declare a missing-party-data rule: CON001 (the consignee) and CON008 (the seller).

    One check on two parties, a term of the T86 test: the rule reads the fields of the party
    ``role`` that :func:`_missing_hits` checks, and is shown flagging each ``(title, field,
    value)`` of ``blanks`` (the party with that field blanked), then passing a complete party.
    """
    return builtin_rule(
        code,
        in_force=DURING_T86_TEST,
        reads=tuple(f"entry.{role}.{field}" for field in _PARTY_FIELDS),
        citations=citations,
        examples=[
            *(flags(title, {role: {field: value}}) for title, field, value in blanks),
            passes(f"a complete {role}", {}),
        ],
    )


def _consignee_name_hit(entry: Entry, *, expected: str, message: str) -> Hit:
    """A finding on the consignee's name, showing the name as filed."""
    return Hit(
        entry,
        field="consignee_name",
        observed=entry.consignee.name,
        expected=expected,
        message=message,
    )


@_missing_party_rule(
    "CON001",
    "consignee",
    cites("fr89-2630", "fr84-40079", "cbp-t86-faq"),
    ("a blank consignee name", "name", ""),
    ("a blank street address", "address", " "),
)
def consignee_data_missing(entry: Entry, ctx: RuleContext) -> Iterator[Hit]:
    """Flag each blank consignee name, address or country."""
    yield from _missing_hits(entry, entry.consignee, "consignee", "the ultimate consignee's")


def _us_countries(ctx: RuleContext) -> frozenset[str]:
    # Asked for on every entry: the set is made once per rule and audit.
    return ctx.remember("us_countries", _us_countries_of, ctx.options)


def _us_countries_of(options: Any) -> frozenset[str]:
    given = options["us_countries"]
    # One separated string ("US,PR,GU", as --option gives it) is a list of codes, not letters.
    codes = re.split(r"[,;|\s]+", given) if isinstance(given, str) else given
    return frozenset(str(c).strip().upper() for c in codes if str(c).strip()) | _US


_CONSIGNEE_PLACE = (
    "entry.consignee.country",
    "entry.consignee.state",
    "entry.consignee.postal_code",
)
"""What CON002 reads: the country, and the state and ZIP code its message weighs it against."""


@builtin_rule(
    "CON002",
    citations=cites("cbp-directive-3550-079a", "cfr19-142.3(a)(6)", "hq-h290219"),
    reads=_CONSIGNEE_PLACE,
    options={"us_countries": _DEFAULT_US_COUNTRIES},
    examples=[
        flags(
            "a consignee in Shenzhen, CN",
            {
                "consignee": {
                    "country": "CN",
                    "address": "1 Futian Rd",
                    "state": "",
                    "postal_code": "518000",
                }
            },
        ),
        passes("a consignee in Puerto Rico", {"consignee": {"country": "PR"}}),
        passes("a consignee in the U.S.", {}),
        passes("the country written 'U.S.A.'", {"consignee": {"country": "U.S.A."}}),
        passes("Puerto Rico spelled out", {"consignee": {"country": "Puerto Rico"}}),
        passes("a consignee in Guam (CON011's warning)", {"consignee": {"country": "GU"}}),
        flags(
            "country 'CA' filed with a Los Angeles state and ZIP code (the message says so)",
            {
                "consignee": {
                    "country": "CA",
                    "city": "Los Angeles",
                    "state": "CA",
                    "postal_code": "90025",
                }
            },
        ),
    ],
)
def consignee_outside_us(entry: Entry, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a consignee country that is filled in and is not the United States."""
    country = entry.consignee.country.strip().upper()
    # An insular area's consignee (Guam, the Virgin Islands) is CON011's warning: the domain
    # reference does not say it is abroad for the ultimate-consignee rule.
    if _outside_us(country, ctx) and not _insular_area(country):
        yield Hit(
            entry,
            field="consignee_country",
            observed=entry.consignee.country,
            expected="US",
            message=f"ultimate consignee country is {country}, not the U.S."
            + _us_address_filed(entry.consignee),
        )


_US_ZIP = re.compile(r"^\d{5}(?:-?\d{4})?$")
_US_STATE_CODES = frozenset(
    re.findall(
        r"\w+",
        "al ak az ar ca co ct de fl ga hi id il in ia ks ky la me md ma mi mn ms mo mt ne nv nh "
        "nj nm ny nc nd oh ok or pa ri sc sd tn tx ut vt va wa wv wi wy dc",
    )
)
"""The fifty States and D.C., as :func:`~t86audit.normalize.place_key` gives a state."""


def _us_address_filed(party: Party) -> str:
    """What the message adds when the state and ZIP code filed are a U.S. address's.

    'CA' is Canada's code and California's: a country column holding the state, or a U.S.
    address under a foreign country code, shows in a U.S. state and a five-digit ZIP code filed
    beside it (no province of Canada shares a U.S. state's code). The finding stands, since the
    data element as filed names a country abroad, but it must not say the consignee surely is
    abroad when the rest of the address says otherwise.
    """
    state = place_key(party)[2]
    if state not in _US_STATE_CODES or not _US_ZIP.match(party.postal_code.strip()):
        return ""
    return (
        f"; the state {party.state.strip()!r} and ZIP code {party.postal_code.strip()!r} filed "
        "with it are a U.S. address's: either the consignee is abroad or its country was "
        "filed wrong"
    )


_IN_CARE_OF = re.compile(
    r"\b(?:c\s*/\s*o|c\.o\.?|care of|in care of)(?=\s|\b|$)|\u2105", re.IGNORECASE
)
"""'c/o', 'c.o.', 'care of' or the sign '℅': what follows names the premises, not the owner."""


_ATTENTION = re.compile(r"\b(?:attn|attention)\b", re.IGNORECASE)
"""'Attn:' and what follows names a contact at the premises, not the owner."""


def _owner_part(name: str) -> str:
    """The owner's name in ``"Owner c/o Warehouse"`` or ``"Owner Attn: Receiving"``.

    A name with neither is the owner's name whole.
    """
    return _ATTENTION.split(_IN_CARE_OF.split(name, maxsplit=1)[0], maxsplit=1)[0]


_LEGAL_FORMS = _words(
    "co ltd inc llc corp lp llp pllc plc gmbh ag bv nv pte pty sdn bhd srl sarl jsc"
)
"""Legal forms a company name ends with. Not the two-letter forms that are also syllables of
people's names ("Li Sa", "Kim As"): a person is not a company without its form."""
_US_FORMS = frozenset({"inc", "llc", "corp", "lp", "llp", "pllc"})
"""Forms of a U.S. business: "Star Trading Inc" may be a U.S. company of its own, not the
foreign "Star Trading"."""


@functools.lru_cache(maxsize=4096)
def _company(name: str) -> tuple[str, frozenset[str], bool]:
    """A party name as compared with another (:func:`_same_party`).

    Its letters without spaces ("Xin Yuan" is "Xinyuan"), the legal forms it ends with but "Co"
    ("Co., Ltd." is "Ltd"), and whether it ends with any.
    """
    words = name_key(name).split()
    end = len(words)
    while end > 1 and words[end - 1] in _LEGAL_FORMS:
        end -= 1
    forms = words[end:]
    return "".join(words[:end]), frozenset(forms) - {"co"}, bool(forms)


def _same_party(one: str, other: str) -> bool:
    """Whether two party names name one company or person, written otherwise.

    Case, punctuation, spacing and "Limited"/"Ltd" aside; one name with its legal form and the
    other without ("Shenzhen Xinyuan Trading", "... Co., Ltd.") are one, unless the form is a U.S.
    business's, which may be a company of its own.
    """
    core, forms, formed = _company(one)
    other_core, other_forms, other_formed = _company(other)
    if not core or core != other_core:
        return False
    if forms == other_forms and formed == other_formed:
        return True
    if formed and other_formed:
        return forms == other_forms  # ("Co., Ltd." and "Ltd"; not "Co" and "Inc")
    return (forms or other_forms).isdisjoint(_US_FORMS)


# Three rules (CON003, CON004, CON006) ask this of each entry, one after another.
@last_by_identity
def _is_seller(entry: Entry) -> bool:
    seller = entry.seller.name
    return (
        bool(seller.strip())
        # "N/A" as both names names no one twice.
        and not is_placeholder(seller)
        and _same_party(_owner_part(entry.consignee.name), seller)
    )


def _is_abroad(party: Party, ctx: RuleContext) -> bool:
    return _outside_us(party.country.strip().upper(), ctx)


def _outside_us(country: str, ctx: RuleContext) -> bool:
    """Whether a country as filed (stripped, upper case) is filled in and not the U.S.

    Punctuation and spacing do not make another country: ``U.S.A.``, ``U S`` and ``United
    States of America`` are the United States, ``Puerto Rico`` is ``PR``.
    """
    if not country or (country != "NA" and is_placeholder(country)):
        return False  # blank or "N/A": missing (CON001/CON008), not a place abroad
    us = _us_countries(ctx)
    if country in us:
        return False
    return not all(_is_us(part, us) for part in _alternatives(country))


_ALTERNATIVES = re.compile(r"[()\[\]/,]|\s-\s")
_ARTICLE = re.compile(r"^THE\s+")
"""ISO 3166's short names put the article last, in brackets ("United States of America
(the)"); other texts put it first ("The United States"): an article names no country."""


def _alternatives(country: str) -> list[str]:
    """The names a filed country (stripped, upper case) gives, the article left out.

    "United States (US)", "US - United States": each alternative must name the U.S. for the
    whole to.
    """
    parts = [_ARTICLE.sub("", p.strip()) for p in _ALTERNATIVES.split(country)]
    return [p for p in parts if p and p != "THE"] or [country]


def _is_us(country: str, us: frozenset[str]) -> bool:
    spaced = _NOT_LETTERS.sub(" ", country).strip()
    # A country's name or alpha-3 code as ISO 3166 and common usage write it ("America",
    # "USA"), as origins are read (normalize.origin_code).
    named = {
        spaced,
        spaced.replace(" ", ""),
        _COUNTRY_NAMES.get(spaced, ""),
        _COUNTRY_NAMES.get(country, ""),
        origin_code(country),
    }
    return bool(({country} | named) & us)


_INSULAR_AREAS = {
    **dict.fromkeys(("GU", "GUM", "GUAM", "316"), "Guam"),
    **dict.fromkeys(
        (
            "VI",
            "VIR",
            "850",
            "USVI",
            "VIRGINISLANDS",
            "USVIRGINISLANDS",
            "VIRGINISLANDSUS",
            "UNITEDSTATESVIRGINISLANDS",
            "VIRGINISLANDSOFTHEUNITEDSTATES",
        ),
        "the U.S. Virgin Islands",
    ),
    **dict.fromkeys(("AS", "ASM", "AMERICANSAMOA", "016"), "American Samoa"),
    **dict.fromkeys(
        ("MP", "MNP", "CNMI", "NORTHERNMARIANAISLANDS", "NORTHERNMARIANAS", "580"),
        "the Northern Mariana Islands",
    ),
    **dict.fromkeys(
        ("UM", "UMI", "UNITEDSTATESMINOROUTLYINGISLANDS", "USMINOROUTLYINGISLANDS", "581"),
        "the U.S. Minor Outlying Islands",
    ),
}
"""The U.S. insular areas other than Puerto Rico, as a country or state is filed (upper case,
letters only: "U.S. Virgin Islands" is ``USVIRGINISLANDS``; or the ISO numeric code) -> the
area's name: CON011's places."""


def _insular_area(place: str) -> str | None:
    """The insular area a filed country or state (stripped, upper case) names, else ``None``."""
    if not place:
        return None
    found = _INSULAR_AREAS.get(place)
    if found is None and not place.isalpha():
        found = _INSULAR_AREAS.get(_NOT_LETTERS.sub("", place))
        if found is None and _ALTERNATIVES.search(place):
            # "Guam (US)", "US - GU": an area named beside the United States is the area; beside
            # another country ("Virgin Islands (British)") it is not.
            parts = _alternatives(place)
            areas = {_insular_area(part) for part in parts}
            named = areas - {None}
            if len(named) == 1 and all(_insular_area(part) or _is_us(part, _US) for part in parts):
                found = named.pop()
    return found


def _names_us(country: str) -> bool:
    """Whether a country as filed (stripped, upper case) is the United States, in any spelling."""
    return all(_is_us(part, _US) for part in _alternatives(country))


_SELLER_CN = {"name": "Guangzhou Star Apparel Co", "address": "8 Huangpu Ave", "country": "CN"}
_SELLER_CARE_OF_WAREHOUSE = {
    "seller": _SELLER_CN,
    "consignee": {
        "name": "Guangzhou Star Apparel Co c/o ShipFast Fulfillment",
        "address": "400 Logistics Pkwy",
        "country": "US",
    },
}
"""The entry CON004 flags and CON003 passes: the seller named 'in care of' a U.S. warehouse."""


@builtin_rule(
    "CON003",
    reads=("entry.consignee.country", "entry.consignee.name", "entry.seller.name"),
    options={"us_countries": _DEFAULT_US_COUNTRIES},
    citations=cites("hq-h290219", "cbp-warehouse-faq", "cbp-directive-3550-079a"),
    examples=[
        flags(
            "seller and consignee both 'Guangzhou Star Apparel Co' in CN",
            {"seller": _SELLER_CN, "consignee": {**_SELLER_CN, "state": "", "postal_code": ""}},
        ),
        passes(
            "the seller 'in care of' a U.S. warehouse (CON004's case)", _SELLER_CARE_OF_WAREHOUSE
        ),
        passes("a U.S. buyer", {"seller": _SELLER_CN}),
    ],
)
def consignee_is_foreign_seller(entry: Entry, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a consignee that is the seller and sits abroad."""
    if _is_seller(entry) and _is_abroad(entry.consignee, ctx):
        yield _consignee_name_hit(
            entry,
            expected="a person in the United States",
            message=(
                f"consignee {entry.consignee.name!r} ({entry.consignee.country}) is the "
                f"seller {entry.seller.name!r}, outside the U.S."
            ),
        )


@builtin_rule(
    "CON004",
    reads=(
        "entry.consignee.address",
        "entry.consignee.country",
        "entry.consignee.name",
        "entry.seller.country",
        "entry.seller.name",
    ),
    options={"us_countries": _DEFAULT_US_COUNTRIES},
    citations=cites("cbp-warehouse-faq", "hq-h290219"),
    examples=[
        flags("the seller 'c/o' a U.S. fulfilment centre", _SELLER_CARE_OF_WAREHOUSE),
        passes("a U.S. buyer", {"seller": _SELLER_CN}),
    ],
)
def owner_in_care_of_warehouse(entry: Entry, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a seller-as-consignee whose address is in the United States."""
    if not _is_seller(entry) or _is_abroad(entry.consignee, ctx):
        return
    seller = entry.seller
    if seller.country.strip() and not _outside_us(seller.country.strip().upper(), ctx):
        return  # a U.S. seller that is its own consignee is no foreign owner
    # A country left blank (CON001's, CON008's) is not called foreign or the U.S.
    who = "the foreign seller" if _is_abroad(seller, ctx) else "the seller (no country filed)"
    address = entry.consignee.address
    where = (
        f"at a U.S. address {address!r}"
        if entry.consignee.country.strip() and not is_placeholder(entry.consignee.country)
        else f"at {address!r} (no consignee country filed)"
    )
    yield _consignee_name_hit(
        entry,
        expected="the owner in care of a U.S. warehouse, aggregated per day",
        message=(
            f"consignee {entry.consignee.name!r} is {who} {where}; confirm the warehouse "
            "arrangement"
        ),
    )


_PLACEHOLDERS = frozenset(
    {
        "n a",
        "na",
        "none",
        "null",
        "nil",
        "unknown",
        "tbd",
        "tba",
        "to be determined",
        "customer",
        "consignee",
        "receiver",
        "recipient",
        "buyer",
        "client",
        "test",
        "sample",
        "name",
        "first last",
        "firstname lastname",
        "first name last name",
        "first name",
        "last name",
        "full name",
        "n a n a",
        "na na",
        "xxx",
        "x",
        "abc",
        "asdf",
        "same",
        "self",
        "valued customer",
        "dear customer",
        "amazon customer",
        "occupant",
        "current resident",
        "resident",
        "name surname",
        "xxx xxx",
        "guest",
        "test test",
    }
)


_CUSTOMER_NUMBER = re.compile(
    r"(?:customer|consignee|buyer|client|recipient|receiver|order|account|member|user) #? ?\d+"
)
"""A placeholder word and a number ("Customer 4821", "Customer #00917", "Order #123456"): an
account or an order, not a name."""


def _placeholder_reason(name: str) -> str | None:
    text = normalize_text(name)
    if not text:
        # Blank is CON001's finding; symbols only ("-", "***", "?") are this rule's.
        return "only digits or symbols" if name.strip() else None
    if text in _PLACEHOLDERS:
        return "a placeholder, not a name"
    if _CUSTOMER_NUMBER.fullmatch(text):
        return "a placeholder and a number, not a name"
    if _role_only(text, _BUYER_ROLES):
        return "a placeholder, not a name"
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return "only digits or symbols"
    if len(letters) < 2:
        return "a single letter"
    return None


@builtin_rule(
    "CON005",
    in_force=DURING_T86_TEST,
    reads=("entry.consignee.name",),
    citations=cites("fr89-2630", "fr84-40079", "cbp-t86-faq"),
    examples=[
        flags("'N/A'", {"consignee": {"name": "N/A"}}),
        flags("'12345'", {"consignee": {"name": "12345"}}),
        flags("'Customer'", {"consignee": {"name": "Customer"}}),
        passes("'Nadia Abbott'", {"consignee": {"name": "Nadia Abbott"}}),
    ],
)
def placeholder_consignee_name(entry: Entry, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a consignee name that names nobody."""
    reason = _placeholder_reason(entry.consignee.name)
    if reason:
        yield _consignee_name_hit(
            entry,
            expected="a person's first and last name, or a business name",
            message=f"consignee name {entry.consignee.name!r} is {reason}",
        )


_CARRIER = re.compile(
    # Names that are a carrier's, a forwarder's, a broker's or a re-shipper's wherever they
    # stand in the consignee name ("FedEx Office Print & Ship Center", "Stackry Inc").
    r"\b(?:(?P<name>dhl|fedex|fed ex|federal express|usps|postal service|united parcel service|"
    r"aramex|yunexpress|yun express|4px|cainiao|sf express|j ?t express|zto express|yto express|"
    r"sto express|nippon express|tnt express|planet express|flexport|expeditors|ch robinson|"
    r"kuehne nagel|db schenker|ontrac|lasership|pitney bowes|asendia|geodis|purolator|winit|"
    r"osm worldwide|panalpina|forward air|evri|uniuni|myus|shipito|stackry|usgobuy|viabox|"
    r"customs brokers?|customs brokerage|(?:freight|parcel|package|mail) forwarding)"
    # A logistics firm's trade, or a carrier's name that is also a person's ("Li Yanwen", "Max
    # Schenker", "Ems Johnson") or another firm's word ("Royal Mail Boxes", "Ups and Downs
    # Cafe"): a carrier only as the trade the name ends with (_names_the_trade).
    r"|logistics|freight|forwarding|forwarders?|shipping|couriers?|cargo|consolidators?|3pl|"
    r"express|yanwen|schenker|landmark global|canada post|china post|hong ?kong post|"
    r"royal mail|ups|tnt|ems)\b"
)
"""What CON006 looks for in a consignee name: a carrier's name (the group ``name``), flagged
wherever it stands, or a logistics word, flagged as the name's trade only."""


_CODES = frozenset({"ups", "tnt", "ems"})
_AFTER_CODE = _words(
    "express store freight logistics supply worldwide ground mail courier service services inc "
    "llc ltd co"
)
"""A carrier's initials that are also a word or a name ("Ups and Downs Cafe", "TNT Fireworks",
"Ems Johnson") name the carrier alone or before one of these ("The UPS Store", "UPS Ground")."""
_TRADE_TAIL = _words(
    # legal forms
    "inc llc ltd co corp company corporation incorporated limited lp llp plc pllc gmbh ag "
    "sa sas bv nv pte pty sdn bhd srl sarl "
    # what a logistics firm's name goes on with ("ABC Freight Lines of Texas")
    "services service svc svcs solutions systems system group international intl "
    "worldwide global usa us america americas network networks agency agencies lines line "
    "partners holdings enterprises management ecommerce commerce express logistics freight "
    "forwarding forwarders forwarder cargo shipping courier couriers delivery deliveries "
    "parcel parcels mail post transport transportation trucking warehouse warehouses "
    "warehousing distribution fulfillment fulfilment center centre hub depot terminal "
    "division branch dept department office plus the and air ocean sea ground customs "
    "brokerage brokers broker clearance supply chain consolidators consolidation 3pl north "
    "south east west pacific atlantic"
)
"""Words that may follow a logistics firm's trade word in its name without naming another trade:
"Ocean Freight Services LLC" is a freight firm, "Harbor Freight Tools" and "Express Dental Care"
are not."""
_TAIL_ENDS = frozenset({"of", "attn", "attention"})
"""What ends the words :func:`_names_the_trade` reads: a place ("... of Washington") or a
contact ("... Attn J Smith") qualifies the firm without changing its trade."""
_EXPRESS_CONTEXT = _words(
    "courier couriers delivery deliveries parcel parcels package packages cargo freight "
    "logistics shipping mail post forwarding worldwide international intl global air ocean "
    "transport transportation trucking lines"
)
"""'Express' is a restaurant's or a shop's word ("Panda Express", "Express LLC", "Wok Express")
as often as a courier's: it names a carrier only with one of these words beside it."""
_NEWS = frozenset({"post", "mail", "the", "and", "express"})
_COURIER_CONTEXT = (_EXPRESS_CONTEXT - {"post", "mail", "courier"}) | {"express"}
"""A singular 'courier' is also a newspaper's name ("Courier-Post", "The Post and Courier") or a
person's ("Jean Courier"): it names a carrier with a firm's word after it ("Metro Courier Inc")
or a carrier's word beside it ("Express Courier")."""
_PERSONAL = frozenset({"yanwen", "schenker"})
"""Carriers' names that are also people's ("Li Yanwen", "Max Schenker"): a carrier's only alone
or with a firm's word after it ("Yanwen", "Schenker Inc")."""
_NOT_CARRIERS = ("harbor freight",)
"""A retailer's name that ends with a carrier's word: "Harbor Freight" sells tools."""


def _carrier_named(text: str) -> str | None:
    """The carrier's name or logistics trade a normalised consignee name holds, else ``None``."""
    for match in _CARRIER.finditer(text):
        if match.group("name") or _names_the_trade(text, match):
            return match.group(0)
    return None


def _names_the_trade(text: str, match: re.Match[str]) -> bool:
    """Whether the carrier word ``match`` is the trade the name ``text`` ends with.

    Only firms' words may follow it ("ABC Freight Lines Inc"); a word of another trade ("Freight
    House Restaurant", "Cargo Pants Outlet") makes the carrier word a description of that trade.
    """
    word = match.group(0)
    if word in _CODES:
        following = text[match.end() :].split(maxsplit=1)
        return text == word or (bool(following) and following[0] in _AFTER_CODE)
    tail: list[str] = []
    for after in text[match.end() :].split():
        if after in _TAIL_ENDS:
            break
        if not (after in _TRADE_TAIL or len(after) <= 2 or after.lstrip("#").isdigit()):
            return False
        tail.append(after)
    firm = _TRADE_TAIL.intersection(tail)  # (not initials or numbers: "Yanwen Li")
    if word in _PERSONAL:
        return bool(firm) or (match.start() == 0 and not tail)
    if word == "express":
        return not _EXPRESS_CONTEXT.isdisjoint(text.split())
    if word == "courier":
        # The Courier-Post, the Post and Courier, Jean Courier: a newspaper's or a person's
        # name unless a firm's word or another carrier's word goes with it.
        return bool(firm - _NEWS) or not _COURIER_CONTEXT.isdisjoint(text.split())
    named = text[: match.end()]
    return not any(named == name or named.endswith(" " + name) for name in _NOT_CARRIERS)


@builtin_rule(
    "CON006",
    reads=("entry.consignee.name", "entry.seller.name"),
    citations=cites("cbp-directive-3550-079a"),
    examples=[
        flags("'DHL Express USA'", {"consignee": {"name": "DHL Express USA"}}),
        flags(
            "'Pacific Freight Forwarders LLC'",
            {"consignee": {"name": "Pacific Freight Forwarders LLC"}},
        ),
        passes("'Nadia Abbott'", {"consignee": {"name": "Nadia Abbott"}}),
        passes(
            "'Jane Doe c/o ABC Logistics': the owner in care of the premises",
            {"consignee": {"name": "Jane Doe c/o ABC Logistics"}},
        ),
        passes("'Ups and Downs Cafe'", {"consignee": {"name": "Ups and Downs Cafe"}}),
        passes(
            "'Harbor Freight Tools': a carrier's word describing another trade",
            {"consignee": {"name": "Harbor Freight Tools"}},
        ),
    ],
)
def nominal_consignee(entry: Entry, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a consignee name that looks like a carrier or logistics firm."""
    # "Jane Doe c/o ABC Logistics" names the owner, in care of the premises (allowed).
    name = entry.consignee.name
    low = name.lower()
    maybe = "c/" in low or "c /" in low or "care of" in low or "c.o" in low or "\u2105" in low
    owner = name
    if maybe:
        owner, *premises = _IN_CARE_OF.split(name, maxsplit=1)
        if not _ALNUM.search(owner) and premises:
            owner = premises[0]  # "c/o Shipito": in care of the re-shipper, of no one named
    # name_key's reading, so that "D.H.L." and "U.P.S." are "dhl" and "ups".
    carrier = _carrier_named(normalize_text(_joined(owner)))
    if carrier and not _is_seller(entry):
        yield _consignee_name_hit(
            entry,
            expected="the owner, purchaser or delivery premises",
            message=(
                f"consignee {entry.consignee.name!r} looks like a carrier or "
                f"logistics firm ('{carrier}')"
            ),
        )


def _names_allowed(ctx: RuleContext) -> bool:
    """CON007 reports an address with more names than ``max_names``: one entry has one name."""
    return int(ctx.options["max_names"]) >= 1


def _address_day(entry: Entry, ctx: RuleContext) -> Iterator[Hashable]:
    address = consignee_key(entry.consignee)[1]  # (shared with the value rules' keys)
    if address:
        # The street and day; the ZIP code, city and state split it in finish (by_place).
        yield (address, entry.arrival_date)


def _keep_recipient(state: Any, entry: Entry, ctx: RuleContext) -> Any:
    """CON007's fold: the entry's shared record, with the consignee's name, address, place."""
    kept = kept_of(entry, ctx)
    kept.consignee_name = entry.consignee.name
    kept.consignee_address = entry.consignee.address
    kept.consignee_place = place_key(entry.consignee)
    return gather(state, kept)


def _many_names(count: int, **place: str) -> list[dict[str, Any]]:
    names = ["Ann Lee", "Bob Diaz", "Cara Moss", "Dan Kim", "Eve Ortiz", "Finn Cole"]
    return [
        {"consignee": {"name": names[i], "address": "77 Harbor Way Unit 2", **place}}
        for i in range(count)
    ]


@builtin_group_rule(
    "CON007",
    keys=_address_day,
    fold=_keep_recipient,
    needs_two=_names_allowed,
    options={"max_names": 4},
    citations=cites(*CFR_10_151, "fr89-2630"),
    examples=[
        flags("five names at one address on one day", *_many_names(5), serials=(1, 2, 3, 4, 5)),
        passes("four names at one address on one day (at the limit)", *_many_names(4)),
        passes(
            "five names at '77 Harbor Way Unit 2' on one day, three in Boston and two in "
            "Seattle (no ZIP codes filed): two addresses",
            *_many_names(3, city="Boston", state="MA", postal_code=""),
            *_many_names(5, city="Seattle", state="WA", postal_code="")[3:],
        ),
        flags(
            "five names at one address on one day, the ZIP code left blank on one entry",
            *_many_names(4),
            *_many_names(5, postal_code="")[4:],
            serials=(1, 2, 3, 4, 5),
        ),
    ],
)
def address_shared_by_many_consignees(
    key: Hashable, state: Any, ctx: RuleContext
) -> Iterator[Hit]:
    """Flag every entry at an address that saw more distinct names than allowed in a day."""
    limit = int(ctx.options["max_names"])
    if not isinstance(state, list) and limit >= 1:
        return  # one entry: one name, within any limit of one or more
    everyone = kept_in(state)
    for records in by_place(everyone):
        yield from _many_names_at(records, everyone, limit, ctx)


def _named(kept: Kept) -> str:
    """The name a record counts as: one person written two ways is one name (as in the keys)."""
    return name_identity(cast("str", kept.consignee_name))


def _names_counted(records: list[Kept]) -> set[str]:
    """The distinct names of ``records``, leaving out a placeholder ('N/A', 'Customer')."""
    # A placeholder (CON005's) names no one: it may be any of the others, so it is not
    # counted as a name of its own, as the value rules leave it out.
    return {
        _named(kept)
        for kept in records
        if _placeholder_reason(cast("str", kept.consignee_name)) is None
    } - {""}


def _many_names_at(
    records: list[Kept], everyone: list[Kept], limit: int, ctx: RuleContext
) -> Iterator[Hit]:
    """CON007 for the entries of one address (street and place) on one day.

    ``everyone``: all the records of the street and day, before by_place split them.
    """
    # Most addresses stop at this count; the placeholders are asked only past it.
    if len({_named(kept) for kept in records} - {""}) <= limit:
        return
    if len(_names_counted(records)) <= limit:
        return
    # An entry whose number is also on a record outside the street and day (a version for
    # another day or address), or whose versions here name two people ('Ann Lee' corrected
    # to 'Anne Lee') or lie in two places, may not add its name here: it is left out (see
    # unsettled), so that an address is reported only if it has too many names whichever
    # version stands. FIL003 reports the entry.
    doubtful = unsettled(records, everyone, ctx, alike=_named)
    note = ""
    if doubtful:
        note = left_out(kept for kept in records if kept.ref.key in doubtful)
        records = [kept for kept in records if kept.ref.key not in doubtful]
    names = _names_counted(records)
    if len(names) <= limit:
        return
    recipients = [(kept.ref, cast("str", kept.consignee_address)) for kept in records]
    recipients.sort(key=lambda r: (r[0].key, r[0].source, r[0].source_rows))
    # Records that share an entry number (one filing exported twice: FIL004, or versions
    # that agree on the name here) are one entry: listed and flagged once.
    first = {ref.key: (ref, address) for ref, address in reversed(recipients)}
    flagged = sorted(first.values(), key=lambda r: r[0].key)
    numbers = [ref.number for ref, _ in flagged]
    for entry, address in flagged:
        yield Hit(
            entry,
            field="consignee_address",
            observed=address,
            expected=f"at most {limit} consignee names per address per day",
            message=(
                f"{len(names)} different consignee names received entries at "
                f"{address!r} on {entry.arrival_date.isoformat()}" + note
            ),
            related=numbers,
        )


@_missing_party_rule(
    "CON008",
    "seller",
    cites("fr89-2630", "fr84-40079", "csms-41257565"),
    ("a blank seller country", "country", ""),
)
def seller_data_missing(entry: Entry, ctx: RuleContext) -> Iterator[Hit]:
    """Flag each blank seller name, address or country."""
    yield from _missing_hits(entry, entry.seller, "seller", "the seller's")


_PGA_DATA = frozenset({"declared", "disclaimed"})
_IOR_FORMATS = (
    re.compile(r"^\d{2}-?\d{7}(?:[- ]?[0-9A-Z]{2})?$"),  # EIN, optional two-character suffix
    re.compile(r"^\d{3}-?\d{2}-?\d{4}$"),  # SSN
    re.compile(r"^\d{6}-?\d{5}$"),  # CBP-assigned YYDDPP-NNNNN
)
_IOR_FAQ = (
    "CBP T86 FAQ: the IOR number of the owner, purchaser or broker is required when PGA "
    "requirements apply (data element 10)"
)

_ior_rule = reading(("entry.importer_of_record", "entry.pga_data"))
"""An entry rule on the importer-of-record number, which the PGA data makes required (CON009,
CON010)."""


@_ior_rule(
    "CON009",
    in_force=DURING_T86_TEST,
    citations=cites("cbp-t86-faq", "fr89-2630", "fr84-40079"),
    examples=[
        flags("PGA data declared, IOR blank", {"pga_data": "declared", "importer_of_record": ""}),
        passes(
            "PGA data declared with an EIN",
            {"pga_data": "declared", "importer_of_record": "12-3456789"},
        ),
        flags(
            "'Y' in a yes/no PGA column, IOR 'N/A'",
            {"pga_data": "Y", "importer_of_record": "N/A"},
        ),
        passes("no PGA data, no IOR", {}),
        passes("'N' in a yes/no PGA column, no IOR", {"pga_data": "N"}),
    ],
)
def importer_of_record_missing(entry: Entry, ctx: RuleContext) -> Iterator[Hit]:
    """Flag PGA data without an IOR number."""
    ior = entry.importer_of_record.strip()
    # "N/A" or "000000000" for the number is no number; "Y" or "FDA declared" in the PGA
    # column is PGA data sent, as ELG012 reads the column.
    if (ior and not is_placeholder(ior)) or not pga_data_sent(entry.pga_data):
        return
    pga = entry.pga_data.strip()
    said = pga.lower() if pga.lower() in _PGA_DATA else f"filed ({pga!r})"
    yield Hit(
        entry,
        field="importer_of_record",
        observed=entry.importer_of_record,
        expected="an IOR number (EIN, SSN or CBP-assigned number)",
        message=(
            f"PGA data is {said} but the importer-of-record number is "
            + (f"{ior!r}, which names none" if ior else "blank")
        ),
    )


@_ior_rule(
    "CON010",
    in_force=DURING_T86_TEST,
    citations=cites("cbp-t86-faq", "cfr19-24.5"),
    examples=[
        flags("IOR 'IOR-55821'", {"importer_of_record": "IOR-55821"}),
        passes("IOR '12-3456789AB'", {"importer_of_record": "12-3456789AB"}),
        passes("no IOR given", {}),
        passes(
            "IOR 'N/A' and no PGA data: no number given, none required",
            {"importer_of_record": "N/A"},
        ),
    ],
)
def importer_of_record_format(entry: Entry, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a filled-in IOR number of no known shape."""
    ior = entry.importer_of_record.strip()
    # 'N/A' or zeros name no number: nothing to judge the shape of. Without PGA data none is
    # required; with it, CON009 reports the missing number once.
    if ior and not is_placeholder(ior) and not any(p.match(ior.upper()) for p in _IOR_FORMATS):
        yield entry_hit(
            entry,
            "importer_of_record",
            expected="NN-NNNNNNN[XX], NNN-NN-NNNN or YYDDPP-NNNNN",
            message=f"importer-of-record number {ior!r} matches no known format",
        )


_GUAM = {"city": "Tamuning", "state": "GU", "postal_code": "96913"}


@builtin_rule(
    "CON011",
    reads=("entry.consignee.country", "entry.consignee.state"),
    citations=cites("cbp-directive-3550-079a", "cfr19-10.152"),
    examples=[
        flags("a consignee in Guam, country 'GU'", {"consignee": {**_GUAM, "country": "GU"}}),
        flags("a consignee in Guam, country 'US', state 'GU'", {"consignee": _GUAM}),
        flags(
            "a consignee in St. Thomas, 'U.S. Virgin Islands'",
            {"consignee": {"country": "U.S. Virgin Islands", "state": "", "city": "St Thomas"}},
        ),
        passes("a consignee in Puerto Rico", {"consignee": {"country": "PR", "state": "PR"}}),
        passes("a consignee in the U.S.", {}),
    ],
)
def consignee_in_insular_area(entry: Entry, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a consignee in Guam, the Virgin Islands, American Samoa or the Northern Marianas."""
    party = entry.consignee
    country = party.country.strip().upper()
    area = _insular_area(country)
    field = "consignee_country"
    if area is None:
        area = _insular_area(party.state.strip().upper())
        # (a state of a foreign country is CON002's: a consignee abroad)
        if area is None or (country and not is_placeholder(country) and not _names_us(country)):
            return
        field = "consignee_state"
    yield Hit(
        entry,
        field=field,
        observed=party.country if field == "consignee_country" else party.state,
        expected="a consignee in the States, D.C. or Puerto Rico, or counsel's confirmation",
        message=(
            f"consignee is in {area}, a U.S. insular area other than Puerto Rico; "
            "whether it can be a T86 ultimate consignee is unverified"
        ),
    )


RULES = (
    consignee_data_missing,
    consignee_outside_us,
    consignee_is_foreign_seller,
    owner_in_care_of_warehouse,
    placeholder_consignee_name,
    nominal_consignee,
    address_shared_by_many_consignees,
    seller_data_missing,
    importer_of_record_missing,
    importer_of_record_format,
    consignee_in_insular_area,
)
