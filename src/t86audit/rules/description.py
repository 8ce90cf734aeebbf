"""DES: merchandise description: blank, vague (CBP's list), symbols only, short, not English."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator

from t86audit.findings import Citation, Hit
from t86audit.model import Entry, LineItem
from t86audit.normalize import description_words
from t86audit.rules import _citations as cite
from t86audit.rules._base import Example, RuleContext
from t86audit.rules._examples import flags, passes
from t86audit.rules._families import reading
from t86audit.rules._hits import line_hit
from t86audit.vague import (
    VagueMatcher,
    VagueTermLike,
    is_confirmed,
)


def _matcher(ctx: RuleContext) -> VagueMatcher:
    matcher: VagueMatcher = ctx.reference.vague_matcher
    return matcher


def _is_symbols_only(text: str) -> bool:
    stripped = text.strip()
    return bool(stripped) and not any(c.isalpha() for c in stripped)


def _is_latin(letter: str) -> bool:
    """Whether a letter is of the Latin script: a-z, accented (é, ß, ø), fullwidth forms."""
    return letter.isascii() or "LATIN" in unicodedata.name(letter, "")


def _has_no_latin_letter(text: str) -> bool:
    """Whether ``text`` has letters and none of them Latin: '礼物', 'подарок', 'هدية'."""
    if text.isascii():
        return False  # ASCII letters are Latin, and text without letters is DES005's
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and not any(_is_latin(c) for c in letters)


_DESC_CITES = [*cite.CFR_DESCRIPTION, cite.CSMS_60011750, cite.CSMS_60144714]


_description_rule = reading(("line.description",), "line")
"""Declare a DES rule: a line rule that reads the line's description and nothing else."""


def _line(description: str) -> dict[str, object]:
    return {"lines": [{"description": description}]}


def _example(description: str, *, flagged: bool = True, title: str | None = None) -> Example:
    """An example entry with one line described as ``description``.

    The DES examples differ only in the description, so each is titled with the description
    in quotes (unless ``title`` says otherwise); ``flagged`` says whether the rule reports it.
    """
    return (flags if flagged else passes)(
        f"'{description}'" if title is None else title, _line(description)
    )


def _description_hit(
    entry: Entry, line: LineItem, *, expected: str, message: str, observed: str | None = None
) -> Hit:
    """A finding on a line's description; ``observed`` is the description unless given."""
    shown = line.description if observed is None else observed
    return line_hit(entry, line, "description", shown, expected=expected, message=message)


_NO_WORDS = ("words describing the goods", "has no words")
_NOT_LATIN = (
    "a description in English",
    "has no letter of the Latin script: it is not in English",
)
"""What DES005 and DES007 expect of a description they flag, and what their message says."""


def _description_says(
    entry: Entry, line: LineItem, test: Callable[[str], bool], verdict: tuple[str, str]
) -> Iterator[Hit]:
    """A finding on the description when ``test`` holds for it (DES005, DES007).

    ``verdict`` is what was expected and what the message says of the description:
    "line N description '<description>' <verdict[1]>".
    """
    expected, says = verdict
    if test(line.description):
        yield _description_hit(
            entry,
            line,
            expected=expected,
            message=f"line {line.line_number} description {line.description!r} {says}",
        )


@_description_rule(
    "DES001",
    citations=[*cite.CFR_DESCRIPTION, cite.FR_2024],
    examples=[
        _example("", title="a blank description"),
        _example("women's cotton knit t-shirt", flagged=False),
    ],
)
def description_missing(entry: Entry, line: LineItem, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a blank description."""
    if not line.description.strip():
        yield _description_hit(
            entry,
            line,
            expected="what the goods are, what they are made of, what they are for",
            message=f"line {line.line_number} has no description",
            observed="",
        )


@_description_rule(
    "DES002",
    citations=_DESC_CITES,
    examples=[
        _example("Gift"),
        _example("daily necessities"),
        _example("gift: ceramic coffee mug", flagged=False),
        _example(
            "Toys", flagged=False, title="'Toys' (known only from a carrier's notice: DES004's)"
        ),
    ],
)
def vague_description(entry: Entry, line: LineItem, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a description that is exactly a confirmed vague term."""
    match = _matcher(ctx).match(line.description)
    if match.exact and match.term is not None and is_confirmed(match.term):
        yield _vague_hit(entry, line, match.term, "is only the vague term")


def _vague_hit(entry: Entry, line: LineItem, term: VagueTermLike, how: str) -> Hit:
    return _description_hit(
        entry,
        line,
        expected="a precise description: what it is, its material, its use",
        message=(
            f"line {line.line_number} description {line.description!r} {how} "
            f"{term.term!r} (source: {term.source}; confidence {term.confidence})"
        ),
    )


@_description_rule(
    "DES003",
    citations=_DESC_CITES,
    examples=[
        _example("car parts"),
        _example("assorted gifts"),
        _example("parts of bicycle"),
        _example("bicycle parts"),
        _example("birthday gift"),
        _example("bicycle brake parts, steel", flagged=False),
        _example("T-shirt sample", flagged=False),
    ],
)
def vague_term_without_specifics(entry: Entry, line: LineItem, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a vague term with no specific word, or a bare 'of/for <one word>'."""
    match = _matcher(ctx).match(line.description)
    if match.term is None or match.exact:
        return
    if not match.specific_words or (match.of_phrase and len(match.specific_words) <= 1):
        yield _vague_hit(entry, line, match.term, "adds nothing specific to the vague term")


@_description_rule(
    "DES004",
    citations=_DESC_CITES,
    examples=[
        _example("general merchandise"),
        _example("stainless steel kitchen knife", flagged=False),
    ],
)
def unconfirmed_vague_term(entry: Entry, line: LineItem, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a description that is exactly an unconfirmed vague term."""
    match = _matcher(ctx).match(line.description)
    if match.exact and match.term is not None and not is_confirmed(match.term):
        yield _vague_hit(entry, line, match.term, "is only the term")


@_description_rule(
    "DES005",
    citations=[*cite.CFR_DESCRIPTION, cite.CSMS_60011750],
    examples=[
        _example("12345"),
        _example("---"),
        _example("USB-C cable, 1 m, PVC", flagged=False),
    ],
)
def description_symbols_only(entry: Entry, line: LineItem, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a description with no letter in it."""
    yield from _description_says(entry, line, _is_symbols_only, _NO_WORDS)


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


_MORE_ACCEPTABLE = frozenset({"orange", "fish", "sunglasse", "sock"})
"""One-word acceptable examples the domain reference gives beside CBP's list and the bundled
table lacks: "oranges, fish" (food, from CBP's 2003 cargo-description guidance, [S]) and
"sunglasses, socks" (accessories, a vendor's list, [C], as the table's "Capacitors" is); in
:func:`_singular` form."""


def _cbp_acceptable_words(ctx: RuleContext) -> frozenset[str]:
    """The one-word descriptions CBP gives as acceptable beside its vague terms, singular."""

    def collect() -> frozenset[str]:
        found: set[str] = set(_MORE_ACCEPTABLE)
        for term in ctx.reference.vague_terms:
            for example in term.acceptable_examples:
                words = description_words(example)
                if len(words) == 1 and len(words[0]) > 1:
                    found.add(_singular(words[0]))
        return frozenset(found)

    return ctx.remember("cbp-acceptable-words", collect)


@_description_rule(
    "DES006",
    options={"min_words": 2},
    citations=[*cite.CFR_DESCRIPTION, cite.CSMS_60144714],
    examples=[
        _example("item"),
        _example("abc"),
        _example("T恤", title="'T恤' (one Latin letter: the Chinese word is not counted)"),
        _example("leather wallet", flagged=False),
        _example(
            "Refrigerator",
            flagged=False,
            title="'Refrigerator', one of CBP's own examples of an acceptable description",
        ),
        _example("礼物", flagged=False, title="'礼物' (Chinese, 'gift': DES007's)"),
    ],
)
def description_too_short(entry: Entry, line: LineItem, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a description with fewer words than the minimum."""
    text = line.description
    words = [w for w in description_words(text) if len(w) > 1]
    minimum = int(ctx.options["min_words"])
    # Most descriptions are long enough: count the words before the costlier exclusions.
    if (
        len(words) >= minimum
        or not text.strip()
        or _is_symbols_only(text)
        or _has_no_latin_letter(text)
    ):
        return
    if len(words) == 1 and _singular(words[0]) in _cbp_acceptable_words(ctx):
        return  # one of CBP's own acceptable examples ("Refrigerator", "Pasta")
    if not _matcher(ctx).match(text).exact:
        yield _description_hit(
            entry,
            line,
            expected=f"at least {minimum} descriptive words",
            message=(
                f"line {line.line_number} description {text!r} has {len(words)} word(s) of "
                "two or more Latin letters"
            ),
        )


_CARRIER_SUMMARY = Citation(
    "Crane Worldwide",
    "trade advisory notice on vague cargo descriptions",
    "https://www.craneww.com/knowledge-center/trade-advisory-notices/"
    "vague-cargo-descriptions-prohibited-for-electronic-export-information/",
    note=(
        "secondary source: a carrier's summary of the generic rules CBP attaches to its list of "
        "unacceptable descriptions ('must be in English'); CBP's page was not consulted"
    ),
)


@_description_rule(
    "DES007",
    citations=[_CARRIER_SUMMARY, *cite.CFR_DESCRIPTION],
    examples=[
        _example("礼物", title="'礼物' (Chinese for 'gift')"),
        _example("подарок", title="'подарок' (Russian for 'gift')"),
        _example("T恤 cotton t-shirt", flagged=False),
        _example(
            "chemise en coton", flagged=False, title="'chemise en coton' (French, Latin script)"
        ),
    ],
)
def description_not_in_english(entry: Entry, line: LineItem, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a description with letters, none of them Latin."""
    yield from _description_says(entry, line, _has_no_latin_letter, _NOT_LATIN)


RULES = (
    description_missing,
    vague_description,
    vague_term_without_specifics,
    unconfirmed_vague_term,
    description_symbols_only,
    description_too_short,
    description_not_in_english,
)
