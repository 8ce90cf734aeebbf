"""The normalising keys: the ASCII fast path agrees with the definition by regular expressions."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from t86audit.normalize import address_key, normalize_text


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
    # Other origins come back as filed, upper-cased: Taiwan and Macau are not China.
    assert origin_code(" Republic of China ") == "REPUBLIC OF CHINA"
    assert origin_code("Macau") == "MACAU"
    assert origin_code("vn") == "VN"
