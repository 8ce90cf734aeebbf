"""DES: merchandise description: blank, vague (CBP's list), symbols only, short, not English."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator

from t86audit._citations import cites
from t86audit.findings import Hit
from t86audit.model import Entry, LineItem
from t86audit.normalize import description_words, is_placeholder
from t86audit.rules._base import Example, RuleContext
from t86audit.rules._examples import flags, passes
from t86audit.rules._families import reading
from t86audit.rules._hits import line_hit
from t86audit.vague import (
    ONLY,
    STOP_WORDS,
    UNSPECIFIC,
    VagueMatch,
    VagueMatcher,
    VagueTermLike,
    is_confirmed,
    plain_description,
    word_stems,
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


DESCRIBE_PRECISELY = (
    "cfr19-4.7a",
    "cfr19-122.48a",
    "cfr19-123.91",
    "cfr19-123.92",
    "cfr19-128.21",
)
"""The regulations that require a precise description of the goods (citation ids): they are
older than the T86 test, so vague descriptions are findable for its whole period."""
_DESC_CITES = cites(*DESCRIBE_PRECISELY, "csms-60011750", "csms-60144714")


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


def _is_placeholder_text(text: str) -> bool:
    """Whether a description with letters is a placeholder for none: 'N/A', 'None', 'TBD'.

    Text without a letter ('---', '0') is left to DES005, which reports it as having no words.
    """
    return any(c.isalpha() for c in text) and is_placeholder(text)


@_description_rule(
    "DES001",
    citations=cites(*DESCRIBE_PRECISELY, "fr89-2630"),
    examples=[
        _example("", title="a blank description"),
        _example("N/A", title="'N/A' (a placeholder: no description given)"),
        _example("women's cotton knit t-shirt", flagged=False),
    ],
)
def description_missing(entry: Entry, line: LineItem, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a blank description, or one that is a placeholder for none ('N/A', 'TBD')."""
    text = line.description.strip()
    if not text:
        yield _description_hit(
            entry,
            line,
            expected="what the goods are, what they are made of, what they are for",
            message=f"line {line.line_number} has no description",
            observed="",
        )
    elif _is_placeholder_text(text):
        # An export's 'N/A' or 'TBD' says no description was given, as a blank does; the
        # parties' rules (CON001, CON008) read such a placeholder the same way.
        yield _description_hit(
            entry,
            line,
            expected="what the goods are, what they are made of, what they are for",
            message=(
                f"line {line.line_number} has no description: {line.description!r} is a "
                "placeholder, not a description"
            ),
        )


@_description_rule(
    "DES002",
    citations=_DESC_CITES,
    examples=[
        _example("Gift"),
        _example("&quot;Gift&quot;", title="'&quot;Gift&quot;' (HTML-escaped 'Gift')"),
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
    if match.verdict == ONLY and match.term is not None and is_confirmed(match.term):
        yield _vague_hit(entry, line, match.term, "is only the vague term")


def _vague_hit(
    entry: Entry, line: LineItem, term: VagueTermLike, how: str, match: VagueMatch | None = None
) -> Hit:
    unread = (
        f"; its words {match.unread!r} are not in the Latin script and were not read"
        if match is not None and match.unread
        else ""
    )
    return _description_hit(
        entry,
        line,
        expected="a precise description: what it is, its material, its use",
        message=(
            f"line {line.line_number} description {line.description!r} {how} "
            f"{term.term!r} (source: {term.source}; confidence {term.confidence}){unread}"
        ),
    )


_CBP_LIST = re.compile(r"\bCBP list\b")
"""A vague-term row whose source is CBP's own list of unacceptable and acceptable descriptions."""


def _cbp_examples(ctx: RuleContext) -> frozenset[tuple[str, ...]]:
    """The descriptions CBP's list gives as acceptable ('electronic toys'), as word stems.

    Only the rows whose source is CBP's list: the other rows' acceptable column holds advice
    ('name the part and what it is a part of'), which no filer writes as a description.
    """

    def collect() -> frozenset[tuple[str, ...]]:
        found: set[tuple[str, ...]] = set()
        for term in ctx.reference.vague_terms:
            if _CBP_LIST.search(term.source):
                found.update(word_stems(e) for e in term.acceptable_examples if word_stems(e))
        return frozenset(found)

    return ctx.remember("cbp-acceptable-descriptions", collect)


def _is_cbp_example(text: str, ctx: RuleContext) -> bool:
    """Whether a description is, word for word, one CBP's list gives as acceptable.

    Two of CBP's vague words may make a precise description together: CBP lists 'electronic
    toys' as acceptable for 'Electronic goods', though 'electronics' and 'toys' are each on
    vendors' and carriers' lists. CBP's own example is not warned of as adding nothing.
    """
    return word_stems(text) in _cbp_examples(ctx)


@_description_rule(
    "DES003",
    citations=_DESC_CITES,
    examples=[
        _example("car parts"),
        _example("assorted gifts"),
        _example("parts of bicycle"),
        _example("bicycle parts"),
        _example("birthday gift"),
        _example("auto parts", title="'auto parts' (CBP's 'parts' with a generic word)"),
        _example("replacement parts for Dyson V8 vacuum"),
        _example("bicycle brake parts, steel", flagged=False),
        _example("T-shirt sample", flagged=False),
        _example("doll & accessories", flagged=False),
        _example(
            "electronic toys",
            flagged=False,
            title="'electronic toys', one of CBP's own examples of an acceptable description",
        ),
    ],
)
def vague_term_without_specifics(entry: Entry, line: LineItem, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a vague term with no specific word, or a bare 'of/for <one word>'."""
    match = _matcher(ctx).match(line.description)
    if (
        match.verdict == UNSPECIFIC
        and match.term is not None
        and not _is_cbp_example(line.description, ctx)
    ):
        how = "in its Latin-script words adds" if match.unread else "adds"
        yield _vague_hit(
            entry, line, match.term, f"{how} nothing specific to the vague term", match
        )


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
    if match.verdict == ONLY and match.term is not None and not is_confirmed(match.term):
        yield _vague_hit(entry, line, match.term, "is only the term")


@_description_rule(
    "DES005",
    citations=cites(*DESCRIBE_PRECISELY, "csms-60011750"),
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


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_COLOURS = _word_set(
    "black white red blue green yellow pink purple violet grey gray brown beige navy khaki "
    "maroon burgundy teal turquoise multicolor multicolour multi transparent clear dark"
)
"""Colours that are not also goods ("orange", "gold", "silver", "rose", "lime" are left out)."""
_SIZES = _word_set(
    "xxs xs xl xxl xxxl xxxxl sm md small medium large size sz petite plus one eu uk us cm "
    "mm inch inches ft kg lb lbs oz ml"
)
_QUANTITIES = _word_set(
    "pc pcs piece pieces pack packs pk lot lots pair pairs set sets qty quantity unit units "
    "count ct dozen bundle each ea"
)
_LISTING = _word_set(
    "new brand hot sale free shipping best seller top quality high wholesale cheap default "
    "title item items product products goods order listing variant option style type model "
    "color colour sku asin arrival arrivals bestseller clearance discount"
)
_DOCUMENT = _word_set(
    "see refer attached attachment invoice invoices commercial packing list document documents "
    "doc docs details description descriptions"
)
"""A reference to a document instead of a description ("As per invoice", "See attached
packing list"): it sends the officer elsewhere and names no goods."""
_NAMES_NO_GOODS = STOP_WORDS | _COLOURS | _SIZES | _QUANTITIES | _LISTING | _DOCUMENT
"""Words that say nothing of what the goods are: a variant's colour or size, a count, a
marketplace listing's labels and filler ("Black / XL", "lot of 3", "Brand New", "Default
Title"), a reference to a document ("See invoice")."""


def _has_word_naming_goods(text: str) -> bool:
    """Whether ``text`` has a word that may name the goods.

    Not such words: colour, size, quantity and listing words (:data:`_NAMES_NO_GOODS`), nor
    the letters of a code with digits in it ("B08XYZ1234", "SKU-88213-BLK-XL").
    """
    for token in plain_description(text).split():
        if any(c.isdigit() for c in token):
            continue  # a code's letters ("SKU-88213-BLK-XL") are not words of the goods
        if any(w not in _NAMES_NO_GOODS for w in description_words(token) if len(w) > 1):
            return True
    return False


_MIN_WORDS = 2
"""DES006's default minimum of descriptive words."""


def says_too_little(text: str, ctx: RuleContext) -> bool:
    """Whether a description fails to say what the goods are, by the DES rules' own tests.

    True for a blank or a placeholder ('N/A', DES001), a vague term alone or with nothing
    specific ('Accessories', 'auto parts', DES002-DES004), no letter ('12345', DES005), fewer
    than DES006's default two words or none naming goods ('item', 'See invoice'), and words in
    another script the matcher cannot read ('礼物', DES007), even beside Latin ones: such words
    may name anything. For other rules that must know whether a description sets the goods
    apart (ELG009); ``ctx`` is theirs (it gives the vague-term list).
    """
    if (
        not text.strip()
        or _is_symbols_only(text)
        or _is_placeholder_text(text)
        or _has_no_latin_letter(text)
    ):
        return True
    match = _matcher(ctx).match(text)
    if (match.verdict or match.unread) and not _is_cbp_example(text, ctx):
        return True
    words = [w for w in description_words(plain_description(text)) if len(w) > 1]
    if len(words) >= _MIN_WORDS:
        return _names_no_goods(words, text, ctx)
    return not (len(words) == 1 and _singular(words[0]) in _cbp_acceptable_words(ctx))


@_description_rule(
    "DES006",
    options={"min_words": _MIN_WORDS},
    citations=cites(*DESCRIBE_PRECISELY, "csms-60144714"),
    examples=[
        _example("item"),
        _example("abc"),
        _example("T恤", title="'T恤' (one Latin letter: the Chinese word is not counted)"),
        _example("Black / XL", title="'Black / XL' (a colour and a size, no goods)"),
        _example("lot of 3"),
        _example("As per invoice", title="'As per invoice' (a document, not the goods)"),
        _example("leather wallet", flagged=False),
        _example("invoice printer paper, 80 mm rolls", flagged=False),
        _example("black leather wallet, XL", flagged=False),
        _example(
            "Refrigerator",
            flagged=False,
            title="'Refrigerator', one of CBP's own examples of an acceptable description",
        ),
        _example("礼物", flagged=False, title="'礼物' (Chinese, 'gift': DES007's)"),
    ],
)
def description_too_short(entry: Entry, line: LineItem, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a description with fewer words than the minimum, or none naming goods."""
    text = line.description
    words = [w for w in description_words(plain_description(text)) if len(w) > 1]
    minimum = int(ctx.options["min_words"])
    # Most descriptions are long enough and have a word naming goods among their first few.
    if len(words) >= minimum:
        if _names_no_goods(words, text, ctx):
            only = (
                "a reference to a document"
                if _DOCUMENT.intersection(words)
                else "colour, size, quantity, code or listing words"
            )
            yield _description_hit(
                entry,
                line,
                expected=f"at least {minimum} descriptive words",
                message=(
                    f"line {line.line_number} description {text!r} names no goods: only {only}"
                ),
            )
        return
    if (
        not text.strip()
        or _is_symbols_only(text)
        or _has_no_latin_letter(text)
        or _is_placeholder_text(text)  # DES001's: 'N/A' is no description
    ):
        return
    if len(words) == 1 and _singular(words[0]) in _cbp_acceptable_words(ctx):
        return  # one of CBP's own acceptable examples ("Refrigerator", "Pasta")
    if not _matcher(ctx).match(text).verdict:
        yield _description_hit(
            entry,
            line,
            expected=f"at least {minimum} descriptive words",
            message=(
                f"line {line.line_number} description {text!r} has {len(words)} word(s) of "
                "two or more Latin letters"
            ),
        )


def _names_no_goods(words: list[str], text: str, ctx: RuleContext) -> bool:
    """Whether a description long enough by count has no word that may name goods.

    The usual description settles it at once: three or more words outside
    :data:`_NAMES_NO_GOODS`, or one and no digit that could make it a code's letters. A
    description the vague-term rules report ("free sample") is theirs, and words in another
    script ("Black XL 手机壳") may name the goods.
    """
    others = sum(1 for w in words if w not in _NAMES_NO_GOODS)
    if others >= _SURELY_NOT_ALL_CODE or (
        others and (not _DIGIT.search(text) or _has_word_naming_goods(text))
    ):
        return False
    match = _matcher(ctx).match(text)
    return not match.verdict and not match.unread


_DIGIT = re.compile(r"\d")
_SURELY_NOT_ALL_CODE = 3
"""Words outside the list that codes alone seldom give: a description with this many is not
searched for codes (a cost paid per distinct description, most of which have them)."""


@_description_rule(
    "DES007",
    citations=cites("crane-vague-descriptions", *DESCRIBE_PRECISELY),
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
