"""The normalising keys: the ASCII fast path agrees with the definition by regular expressions."""

from __future__ import annotations

import re
from typing import Any, cast

from hypothesis import given, settings
from hypothesis import strategies as st

from t86audit.normalize import (
    _STREET_WORDS,
    _UNIT_HASH,
    _UNIT_HYPHEN,
    _joined,
    _unit_joined,
    address_key,
    normalize_text,
)


_PUNCT = re.compile(r"[^\w\s#]|_", re.UNICODE)
_SPACES = re.compile(r"\s+")


def _by_definition(text: str) -> str:
    """normalize_text as its docstring defines it, for text without accents."""
    return _SPACES.sub(" ", _PUNCT.sub(" ", text.casefold())).strip()


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_ascii_text_normalises_as_the_definition_says(text: str) -> None:
    normalize_text.cache_clear()
    assert normalize_text(text) == _by_definition(text)


def test_punctuation_case_and_spacing_fold_to_one_key() -> None:
    assert normalize_text("  JOHN\tSMITH,  Jr._ \x1c#4 ") == "john smith jr #4"
    assert address_key("12 Main Street, Apt. #4") == address_key("12 main st   unit 4")


def test_accents_are_stripped_outside_ascii() -> None:
    assert normalize_text("Café  Crème-Brûlée") == "cafe creme brulee"


def test_origin_code_reads_the_spellings_of_china_and_hong_kong() -> None:
    """Alpha-3 codes and spelled-out names of China and Hong Kong give CN and HK."""
    from t86audit.normalize import origin_code  # noqa: PLC0415

    for filed in ("CN", "cn", "CHN", "China", "PRC", "P.R.C.", "People's Republic of China",
                  "China, People's Republic of", "mainland china"):  # fmt: skip
        assert origin_code(filed) == "CN", filed
    for filed in ("HK", "HKG", "Hong Kong", "Hong Kong SAR", "Hong Kong, China", "hongkong"):
        assert origin_code(filed) == "HK", filed
    # Taiwan and Macau are not China: Macau is its own code (MO), and "Republic of China",
    # which no ISO name is, comes back as filed, upper-cased.
    assert origin_code(" Republic of China ") == "REPUBLIC OF CHINA"
    assert origin_code("Macau") == "MO"
    assert origin_code("vn") == "VN"


def test_zip_codes_as_filed_and_as_spreadsheets_keep_them() -> None:
    """The first five digits of the first run; a bare number lost its leading zeros."""
    from t86audit.model import Party  # noqa: PLC0415
    from t86audit.normalize import place_key  # noqa: PLC0415

    cases = {
        "02127": "02127", "02127-1234": "02127", "021271234": "02127", "10001-123": "10001",
        "10001 12": "10001", "2127": "02127", "2127.0": "02127", "10001.0": "10001",
        "21271234": "02127", "12": "",
    }  # fmt: skip
    for filed, zip5 in cases.items():
        assert place_key(Party(name="x", postal_code=filed))[0] == zip5, filed


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["", "02127", "02128"]),
            st.sampled_from(["", "boston", "springfield"]),
            st.sampled_from(["", "ma", "il"]),
        ),
        min_size=1,
        max_size=7,
    ),
    st.randoms(use_true_random=False),
)
def test_places_split_into_people_whatever_the_order(
    places: list[tuple[str, str, str]], rng: Any
) -> None:
    """No group holds two places that conflict; with no conflict, one group; every record in
    one group; and the same records are together in every order."""
    from t86audit.normalize import places_conflict  # noqa: PLC0415
    from t86audit.rules._kept import Kept, by_place  # noqa: PLC0415

    records = []
    for number, place in enumerate(places):
        record = Kept(cast("Any", number))  # a stand-in reference: by_place reads places only
        record.consignee_place = place
        records.append(record)

    def together(ordered: list[Kept]) -> set[frozenset[int]]:
        groups = by_place(ordered)
        assert sorted(id(r) for g in groups for r in g) == sorted(id(r) for r in ordered)
        for group in groups:
            for at, one in enumerate(group):
                for other in group[at + 1 :]:
                    assert one.consignee_place is not None
                    assert other.consignee_place is not None
                    assert not places_conflict(one.consignee_place, other.consignee_place)
        return {frozenset(id(r) for r in group) for group in groups}

    first = together(records)
    if not any(places_conflict(a, b) for a in places for b in places):
        assert len(first) == 1
    shuffled = list(records)
    rng.shuffle(shuffled)
    assert together(shuffled) == first


def _address_key_by_the_letter(address: str) -> str:
    """address_key as first written, every step on every address (the reference).

    Apostrophes and the periods of initialisms are taken out first (``_joined``, since the
    nineteenth session: "St. Mark's" is "St Marks").
    """
    address = _joined(address)
    if "-" in address:
        address = _UNIT_HYPHEN.sub(_unit_joined, address)
    text = _UNIT_HASH.sub(r" unit \1 ", normalize_text(address))
    out: list[str] = []
    for word in (_STREET_WORDS.get(w, w) for w in text.replace("#", " ").split()):
        if word == "unit" and out and out[-1] == "unit":
            continue
        out.append(word)
    return " ".join(out)


@given(
    st.lists(
        st.sampled_from(
            [
                "12",
                "4-B",
                "#",
                "# 4",
                "#4B",
                "unit",
                "Unit",
                "apt",
                "Apt.",
                "Street",
                "St",
                "Rd",
                "Suite",
                "-",
                "  ",
                ",",
                "Zoë",
                "Église",
                "b-4",
                "##",
                "14",
            ]
        ),
        max_size=8,
    ).map(" ".join)
    | st.text(max_size=24)
)
def test_address_key_s_shortcuts_change_nothing(address: str) -> None:
    """The pattern is tried only on addresses with a "#", the repeated "unit" looked for only
    where there are two: the key is the one every step on every address gives."""
    assert address_key(address) == _address_key_by_the_letter(address)
