"""Normalised keys shared by the rules: party identity, addresses, description words.

"One person on one day" needs to recognise ``"JOHN SMITH, 12 Main Street Apt. 4"`` and
``"john  smith, 12 main st #4"`` as the same consignee. These functions fold case, spacing and
punctuation, map common street-suffix and unit abbreviations to one form, and are cached, so each
distinct text is normalised once however many rules and entries use it.

The normalisation is deliberately conservative: it never merges two names that differ in a letter
or two addresses that differ in a house or unit number. Fuzzy matching (ACE's own method is not
public) would find more, and wrongly merge more; a wrong merge would put a violation on an entry
that has none.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar, cast

from t86audit.model import Party


__all__ = [
    "ORIGIN_NAMES",
    "PLACEHOLDERS",
    "address_key",
    "consignee_key",
    "description_words",
    "is_placeholder",
    "name_identity",
    "name_key",
    "normalize_text",
    "origin_code",
    "place_key",
    "places_conflict",
]

_PUNCT = re.compile(r"[^\w\s#]|_", re.UNICODE)
_SPACES = re.compile(r"\s+")
# The ASCII characters _PUNCT replaces, as a translation table: for ASCII text, one
# ``translate`` and ``split`` do what the two substitutions do, in a third less time.
_ASCII_PUNCT = bytes(32 if c < 128 and _PUNCT.match(chr(c)) else c for c in range(256))
"""A byte table: ASCII punctuation to a space. ``bytes.translate`` looks a byte up in C,
several times faster than ``str.translate``'s mapping for the texts of every entry."""
_UNDECOMPOSED = str.maketrans(
    {
        "\u0111": "d",  # đ (Vietnamese)
        "\u0110": "D",
        "\u00f8": "o",  # ø
        "\u00d8": "O",
        "\u0142": "l",  # ł
        "\u0141": "L",
        "\u00df": "ss",  # ß
        "\u00e6": "ae",  # æ
        "\u00c6": "AE",
        "\u0153": "oe",  # œ
        "\u0152": "OE",
        "\u00f0": "d",  # ð
        "\u00fe": "th",  # þ
        "\u0131": "i",  # dotless i
    }
)
"""Latin letters that carry their mark in the letter itself, which NFKD does not take off:
"Đỗ Thị Lan" is "Do Thi Lan" as "José" is "Jose"."""
_UNIT_HASH = re.compile(r"#\s*(\w+)")
# A unit written with a hyphen between its number and letter ("Apt 4-B", "Unit B-4") is the
# unit written without one ("Apt 4B"): only after a unit marker, and only a number joined to
# one or two letters, so a house-number range ("12-14 Main St") is never joined.
_UNIT_HYPHEN = re.compile(
    r"((?:\b(?:apt|apartment|unit|suite|ste|room|rm)\b\.?|#)\s*#?\s*)"
    r"(?:(\d+)\s*-\s*([a-z]{1,2})|([a-z]{1,2})\s*-\s*(\d+))\b",
    re.IGNORECASE,
)


def _unit_joined(match: re.Match[str]) -> str:
    number, letters = match.group(2), match.group(3)
    if number is None:
        return match.group(1) + match.group(4) + match.group(5)
    return match.group(1) + number + letters


_STREET_WORDS = {
    "street": "st",
    "str": "st",
    "avenue": "ave",
    "av": "ave",
    "road": "rd",
    "boulevard": "blvd",
    "drive": "dr",
    "lane": "ln",
    "court": "ct",
    "place": "pl",
    "terrace": "ter",
    "parkway": "pkwy",
    "highway": "hwy",
    "circle": "cir",
    "square": "sq",
    "north": "n",
    "south": "s",
    "east": "e",
    "west": "w",
    "northeast": "ne",
    "northwest": "nw",
    "southeast": "se",
    "southwest": "sw",
    "suite": "unit",
    "ste": "unit",
    "apartment": "unit",
    "apt": "unit",
    "unit": "unit",
    "room": "unit",
    "rm": "unit",
    "floor": "fl",
    "building": "bldg",
    "trail": "trl",
    "route": "rte",
    "center": "ctr",
    "centre": "ctr",
    "plaza": "plz",
    "heights": "hts",
    "point": "pt",
    "mount": "mt",
    "expressway": "expy",
    "freeway": "fwy",
    "space": "unit",
    "spc": "unit",
}
_STREET_PHRASES = re.compile(r"\b(?:post office box|p o box|rural route)\b")
"""Words of two or three that one abbreviation stands for: ``PO Box``, ``RR``."""
_STREET_PHRASE_WORDS = {"post office box": "po box", "p o box": "po box", "rural route": "rr"}
_UNIT_NUMBER_WORD = re.compile(r"\bunit (?:no|number|num) (?=\w)")
"""'Apt No. 4' is 'Apt 4': the word for number after a unit marker says nothing."""
_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "mx"})
_COMPANY_SUFFIXES = {
    "incorporated": "inc",
    "corporation": "corp",
    "company": "co",
    "limited": "ltd",
}


# The texts repeat within an entry (several rules read one address or name) and across a
# population (goods, sellers); a consignee's address rarely comes back, so a cache that kept
# every distinct text would grow with the population: 8,192 recent texts serve both.
@lru_cache(maxsize=8192)
def normalize_text(text: str) -> str:
    """Case-fold, strip accents and punctuation, and collapse white space."""
    if text.isascii():
        # ASCII has no compatibility forms and no combining marks: NFKD would change nothing.
        # str.split() and \s share one definition of white space.
        plain = text.casefold().encode("ascii").translate(_ASCII_PUNCT).decode("ascii")
        return " ".join(plain.split())
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", _PUNCT.sub(" ", plain.casefold())).strip()


_APOSTROPHES = str.maketrans("", "", "'\u2019`\u02bb\u02bc")
"""Apostrophes, and the Hawaiian okina (U+02BB) and its neighbour: Ka-okina-iulani is Kaiulani."""
_INITIALISM = re.compile(r"\b(?:[^\W\d_]\.[ \t]?){2,}")
"""Letters each followed by a period, with or without a space: ``L.L.C.``, ``P. O.``,
``J. R.``."""


def _joined(text: str) -> str:
    """A name or address with the punctuation inside a word taken out, not made a space.

    ``O'Brien`` is ``OBrien`` and ``L.L.C.`` is ``LLC``, as a filer who leaves the marks out
    writes them; any other punctuation still separates words (``Apt.4`` stays two words).
    """
    if not text.isascii() or "'" in text or "`" in text:
        text = text.translate(_APOSTROPHES)
    if "." in text:
        text = _INITIALISM.sub(_initials_joined, text)
    return text


def _initials_joined(match: re.Match[str]) -> str:
    """``J. R. `` -> ``JR ``: the letters together, a space after them where there was one."""
    found = match.group()
    letters = found.replace(".", "").replace(" ", "").replace("\t", "")
    return letters + " " if found[-1] in " \t" else letters


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """A person's or company's name, normalised; honorifics dropped, word order kept.

    Case, accents and punctuation do not tell two names apart: "Mary O'Brien" is "MARY
    OBRIEN", "Ridgeway Cycle Shop, L.L.C." is "Ridgeway Cycle Shop LLC".
    """
    joined = _joined(name)
    words = normalize_text(joined).replace("#", " ").split()
    if _HONORIFICS.isdisjoint(words):
        return " ".join(_COMPANY_SUFFIXES.get(w, w) for w in words)
    # An honorific is dropped only as it was written: initials joined into one ("M. S." is
    # "MS", "D.R." is "DR") are a person's initials, not "Ms." or "Dr.".
    written = set(normalize_text(name).replace("#", " ").split())
    words = [w for w in words if w not in _HONORIFICS or w not in written]
    return " ".join(_COMPANY_SUFFIXES.get(w, w) for w in words)


@lru_cache(maxsize=8192)
def address_key(address: str) -> str:
    """A street address, normalised: ``"12 Main Street, Apt. 4"`` -> ``"12 main st unit 4"``.

    >>> address_key("5 Oak Road, Apt. 4-B") == address_key("5 Oak Rd #4B")
    True
    >>> address_key("12-14 Main St") == address_key("1214 Main St")
    False
    >>> address_key("12 St. Mark's Place") == address_key("12 St Marks Pl")
    True
    """
    address = _joined(address)
    if "-" in address:  # (most addresses have none: the pattern is not tried on them)
        address = _UNIT_HYPHEN.sub(_unit_joined, address)
    text = normalize_text(address)
    if "#" in text:  # (the pattern and the "#" only where there is one)
        text = _UNIT_HASH.sub(r" unit \1 ", text).replace("#", " ")
    if " box" in text or "rural" in text:
        text = _STREET_PHRASES.sub(lambda m: _STREET_PHRASE_WORDS[m.group()], text)
    words = [_STREET_WORDS.get(w, w) for w in text.split()]
    if "unit" in words:
        joined = _UNIT_NUMBER_WORD.sub("unit ", " ".join(words))
        words = joined.split()
    if words.count("unit") < 2:
        return " ".join(words)
    # "unit unit 4" arises from "Apt #4"; keep one marker.
    out: list[str] = []
    for word in words:
        if word == "unit" and out and out[-1] == "unit":
            continue
        out.append(word)
    return " ".join(out)


PLACEHOLDERS = frozenset(
    {
        "NA",
        "NONE",
        "NULL",
        "NIL",
        "TBD",
        "TBA",
        "UNKNOWN",
        "PENDING",
        "X",
        "XX",
        "XXX",
        "NOTAVAILABLE",
        "NOTAPPLICABLE",
        "NOTPROVIDED",
        "NOTGIVEN",
        "NOTSPECIFIED",
        "TOFOLLOW",
        "TOCOME",
    }
)
"""What an export writes for a reference it does not have, compared without case, spaces or
punctuation (``N/A`` is ``NA``, ``To follow`` is ``TOFOLLOW``)."""
_NOT_ALNUM = re.compile(r"[^0-9A-Z]")


@lru_cache(maxsize=4096)
def is_placeholder(text: str, more: frozenset[str] = frozenset()) -> bool:
    """Whether a reference (a bill, an order number) is blank or names none: ``"N/A"``, ``"0"``.

    ``more``: further placeholders of one kind of reference (``"AWB"`` for a bill).
    """
    if not text.isascii() and any(c.isalnum() and not c.isascii() for c in text):
        # Written in another script (a Chinese or Cyrillic company name): it names something,
        # though nothing of it is left when only Latin letters and digits are kept.
        return False
    key = _NOT_ALNUM.sub("", text.upper())
    return not key or key in PLACEHOLDERS or key in more or set(key) == {"0"}


_A = TypeVar("_A")
_R = TypeVar("_R")


def last_by_identity(compute: Callable[[_A], _R]) -> Callable[[_A], _R]:
    """``compute``, remembering its last argument (by identity) and result.

    For a pure function that several rules ask about the same object one after another (an
    entry's party, its bill field): the second and later asks cost an identity test. The last
    argument stays alive until the next call; the pair is swapped whole, so threads never see
    half of it.
    """
    last: list[tuple[object, Any]] = [(object(), None)]

    @functools.wraps(compute)
    def remembered(argument: _A) -> _R:
        held = last[0]
        if held[0] is argument:
            return cast("_R", held[1])
        value = compute(argument)
        last[0] = (argument, value)
        return value

    return remembered


@lru_cache(maxsize=65536)
def name_identity(name: str) -> str:
    """Who a name names, for telling one party from another: its letters in a canonical turn.

    :func:`name_key` without its spaces, turned to start where the text is least in
    alphabetical order (its least rotation). A name inverted with or without a comma ("SMITH,
    JOHN", "Smith John"), a family name written first or last ("Zhang Xiaoming"), and a given
    name written with a hyphen, a space or neither ("Min-jun", "Min Jun", "Minjun") are the
    same text turned or spaced otherwise, and so one identity; other names keep theirs.

    >>> same = {"SMITH, JOHN": "John Smith", "KIM MIN-JUN": "Kim Minjun", "Jon": "John"}
    >>> [name_identity(a) == name_identity(b) for a, b in same.items()]
    [True, True, False]
    """
    text = name_key(name).replace(" ", "")
    if len(text) < 2:
        return text
    doubled = text + text
    size = len(text)
    # The least rotation starts at a least letter: only those turns are compared.
    least = min(text)
    return min(doubled[i : i + size] for i in range(size) if text[i] == least)


# Four group rules (VAL002, VAL005, VAL006, CON007) key an entry by its consignee, one after
# another: its address, which hardly repeats across a population and misses address_key's
# cache, is normalised once per entry rather than once per rule (a Party is immutable).
@last_by_identity
def consignee_key(party: Party) -> tuple[str, str]:
    """The identity of a party for aggregation: its name's identity and its street address.

    The name is compared by :func:`name_identity` (word order, spacing and hyphens aside); the
    address by :func:`address_key`.

    City, state and ZIP code are left out on purpose: filers omit them inconsistently, and an
    omission must not split one person into two. The group rules split a key's entries by
    :func:`place_key` afterwards, only where two filed places differ
    (``t86audit.rules._kept.by_place``).
    """
    return (name_identity(party.name), address_key(party.address))


_DIGITS = re.compile(r"\d+")
_BARE_NUMBER = re.compile(r"(\d+)(?:\.0+)?")


_STATE_NAMES = (
    "AL alabama, AK alaska, AZ arizona, AR arkansas, CA california, CO colorado, "
    "CT connecticut, DE delaware, FL florida, GA georgia, HI hawaii, ID idaho, IL illinois, "
    "IN indiana, IA iowa, KS kansas, KY kentucky, LA louisiana, ME maine, MD maryland, "
    "MA massachusetts, MI michigan, MN minnesota, MS mississippi, MO missouri, MT montana, "
    "NE nebraska, NV nevada, NH new hampshire, NJ new jersey, NM new mexico, NY new york, "
    "NC north carolina, ND north dakota, OH ohio, OK oklahoma, OR oregon, PA pennsylvania, "
    "RI rhode island, SC south carolina, SD south dakota, TN tennessee, TX texas, UT utah, "
    "VT vermont, VA virginia, WA washington, WV west virginia, WI wisconsin, WY wyoming, "
    "DC district of columbia, PR puerto rico, GU guam, VI virgin islands, AS american samoa, "
    "MP northern mariana islands"
)
_STATE_CODES = {
    name: code.lower()
    for code, _, name in (item.partition(" ") for item in _STATE_NAMES.split(", "))
}
"""A state's name as filed, normalised, -> its two-letter code, normalised: "California" is
"CA", so that a state spelt out does not make two places of one."""


def place_key(party: Party) -> tuple[str, str, str]:
    """Where a party's street address is: ``(ZIP5, city, state)``, each ``""`` when not filed.

    The ZIP code is the first five digits of its first run of digits (``02127-1234``,
    ``10001 12``). A ZIP that a spreadsheet kept as a number lost its leading zeros, and may
    have gained a ``.0``: a bare number of three or four digits is a ZIP (``2127`` is
    ``02127``), of seven or eight a ZIP+4 (``21271234`` is ``02127``).
    """
    text = party.postal_code.strip()
    bare = _BARE_NUMBER.fullmatch(text)
    runs = [bare.group(1)] if bare else _DIGITS.findall(text)
    digits = runs[0] if runs else ""
    if bare and len(digits) in {7, 8}:
        zip5 = digits.zfill(9)[:5]
    elif len(digits) >= 5:
        zip5 = digits[:5]
    elif len(digits) >= 3:
        zip5 = digits.zfill(5)
    else:
        zip5 = ""
    state = normalize_text(party.state)
    return (zip5, normalize_text(party.city), _STATE_CODES.get(state, state))


def places_conflict(one: tuple[str, str, str], other: tuple[str, str, str]) -> bool:
    """Whether two :func:`place_key` places are surely different: only filed parts are compared.

    Two ZIP codes decide when both are filed; otherwise two cities, then two states. A part left
    blank on either side never makes a conflict.
    """
    if one[0] and other[0]:
        return one[0] != other[0]
    if one[1] and other[1] and one[1] != other[1]:
        return True
    return bool(one[2] and other[2] and one[2] != other[2])


_WORD = re.compile(r"[a-z]+")


@lru_cache(maxsize=65536)
def description_words(description: str) -> tuple[str, ...]:
    """The alphabetic words of a description, lower-cased, in order."""
    return tuple(_WORD.findall(normalize_text(description)))


_LETTERS_ONLY = re.compile(r"[^A-Z]+")

# Alpha-3 codes and the names exports spell out, after upper-casing and turning anything but
# letters into single spaces. Only the origins dated rules and duties single out; Taiwan
# ("Republic of China") and Macau are other origins and are not here.
_CHINA = (
    "CHN, CHINA, PRC, P R C, PR CHINA, P R CHINA, MAINLAND CHINA, CHINA MAINLAND, "
    "PEOPLES REPUBLIC OF CHINA, PEOPLE S REPUBLIC OF CHINA, THE PEOPLES REPUBLIC OF CHINA, "
    "THE PEOPLE S REPUBLIC OF CHINA, CHINA PEOPLES REPUBLIC OF, CHINA PEOPLE S REPUBLIC OF"
)
_HONG_KONG = (
    "HKG, HONG KONG, HONGKONG, HONG KONG SAR, HONG KONG S A R, HONG KONG CHINA, "
    "HONG KONG SAR CHINA, CHINA HONG KONG, CHINA HONG KONG SAR"
)
ORIGIN_NAMES: dict[str, str] = {
    **dict.fromkeys(_CHINA.split(", "), "CN"),
    **dict.fromkeys(_HONG_KONG.split(", "), "HK"),
}
"""Origins filed otherwise than as ISO 3166-1 alpha-2 codes, and the code each stands for."""


@lru_cache(maxsize=1024)
def origin_code(origin: str) -> str:
    """The ISO 3166-1 alpha-2 code a country of origin as filed stands for (upper case).

    The input contract asks for alpha-2 codes, but exports also write ``CHN``, ``China`` or
    ``Hong Kong SAR``: the rules that single China and Hong Kong out (ELG003) and the exposure
    estimate (Section 301, the IEEPA duties by country) read those as ``CN`` and ``HK`` alike,
    so a finding and its estimate never disagree on the origin. Any other text comes back
    stripped and upper-cased, as filed.
    """
    code = origin.strip().upper()
    found = ORIGIN_NAMES.get(code)
    if found is not None:
        return found
    if len(code) == 2 and code.isalpha() and code != "UK":
        return code  # an alpha-2 code as filed (or two letters ISO does not know: as filed)
    words = _LETTERS_ONLY.sub(" ", code).strip()
    return (
        ORIGIN_NAMES.get(words)
        or _named_in(words.split())
        or _country_codes().get(_country_key(origin))
        or code
    )


def _country_key(name: str) -> str:
    """A country's code or name compared: letters only, accents dropped, upper case."""
    folded = unicodedata.normalize("NFKD", name.translate(_UNDECOMPOSED))
    return _LETTERS_ONLY.sub("", "".join(c for c in folded if c.isascii()).upper())


@lru_cache(maxsize=1)
def _country_codes() -> dict[str, str]:
    """The alpha-2 code of each alpha-3 code and country name in ``data/countries.csv``.

    The table (ISO 3166-1, from the iso-codes project, with names exports use that ISO does
    not list; see ``scripts/build_countries.py``) is read at the first origin that is neither an
    alpha-2 code nor China or Hong Kong spelt out. A name two countries share is left out.
    """
    from t86audit.reference._data import package_bytes  # noqa: PLC0415  (only when needed)

    text = package_bytes("data", "countries.csv").decode("utf-8")
    found: dict[str, str] = {}
    shared: set[str] = set()
    rows = csv.reader(text.splitlines())
    next(rows)  # the header
    for alpha_2, alpha_3, names in rows:
        for key in {_country_key(alpha_3), *map(_country_key, names.split("|"))}:
            if found.setdefault(key, alpha_2) != alpha_2:
                shared.add(key)
    for key in shared:
        del found[key]
    return found


_NOT_MAINLAND = frozenset({"TAIWAN", "MACAU", "MACAO", "ROC"})
"""Words that make a name holding "China" another origin ("Taiwan, Province of China")."""


def _named_in(words: list[str]) -> str | None:
    """``CN`` or ``HK`` for a longer spelling of China or Hong Kong, else ``None``.

    ``Hong Kong Special Administrative Region``, ``HK SAR``, ``China (PRC)``, ``Peoples Rep.
    of China``, ``CN - China``: a name that says Hong Kong is Hong Kong; one that says China
    (or PRC) is China, unless it also names Taiwan or Macau, or is the Republic of China
    without "People's".
    """
    if not words:
        return None
    joined = " ".join(words)
    if "HONG KONG" in joined or "HONGKONG" in words or (words[0] == "HK" and "SAR" in words):
        return "HK"
    if "CHINA" not in words and "PRC" not in words:
        return None
    if _NOT_MAINLAND.intersection(words):
        return None
    if "REPUBLIC" in words or "REP" in words:
        return "CN" if {"PEOPLE", "PEOPLES"} & set(words) or "PRC" in words else None
    return "CN"
