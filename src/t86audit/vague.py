"""Matching descriptions against CBP's vague-description terms (for DES002-DES006).

The matcher sits below the rules and the reference set (which builds one per audit), so neither
imports the other's module to reach it.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any, Protocol

import attrs

from t86audit.normalize import description_words, normalize_text


__all__ = [
    "CONFIRMED",
    "STOP_WORDS",
    "VagueMatch",
    "VagueMatcher",
    "VagueTermLike",
    "is_confirmed",
    "plain_description",
    "word_stems",
]


class VagueTermLike(Protocol):
    """What the matcher needs of a vague-term record (see :mod:`t86audit.reference`)."""

    @property
    def term(self) -> str:
        """The term as published."""

    @property
    def phrases(self) -> tuple[str, ...]:
        """Lower-case phrases that match the term."""

    @property
    def confidence(self) -> str:
        """V, S, C or UNVERIFIED."""

    @property
    def source(self) -> str:
        """Where the term comes from."""

    @property
    def is_rule(self) -> bool:
        """True for bracketed rules such as "[only digits]" (not phrases)."""


CONFIRMED = frozenset({"V"})
"""The confidence level that supports a violation: CBP's own text in hand. CBP's list as a third
party reproduced it is a secondary source, so its terms are DES004 warnings (severity follows the
basis)."""

_CBP_TEXT = re.compile(r"\bCBP (?:list|remarks|24-hour)|\bCSMS\b|\bACAS\b")
_REPORTED_BY_OTHERS = re.compile(r"\bas reported by (?:carriers?|vendors?|brokers?)\b", re.I)
"""A CBP text known only as a carrier or vendor reports it ("ACAS announcements ... as
reported by carriers"): not CBP's own words in hand, so a DES004 warning."""


def is_confirmed(term: VagueTermLike) -> bool:
    """Whether a vague term is CBP's own: confidence V or S *and* a CBP text as its source.

    A term whose only source is a carrier's or vendor's notice ("Toys" in a FedEx notice,
    "Electronics" in an ONE notice) is not CBP's word, however faithfully reported: it is a
    DES004 warning, never a DES002 violation.
    """
    return (
        term.confidence in CONFIRMED
        and bool(_CBP_TEXT.search(term.source))
        and not _REPORTED_BY_OTHERS.search(term.source)
    )


STOP_WORDS = frozenset(
    {
        "of",
        "for",
        "and",
        "the",
        "a",
        "an",
        "with",
        "in",
        "to",
        "on",
        "or",
        "by",
        "from",
        "made",
        "as",
        "per",
        "at",
        "is",
    }
)
_STOP = STOP_WORDS
"""Words that join others and name nothing ("of", "for", "with")."""
# Words that add nothing to "what is it, what is it made of, what is it for".
_PLAIN_GENERIC = frozenset(
    {
        "auto",
        "car",
        "misc",
        "miscellaneous",
        "various",
        "assorted",
        "general",
        "other",
        "new",
        "item",
        "good",
        "product",
        "stuff",
        "thing",
        "sundry",
        "sundrie",
        "mixed",
        "spare",
        "replacement",
        "small",
        "big",
        "personal",
        "daily",
        "use",
        "kit",
        "set",
        "pc",
        "pcs",
        "piece",
        "lot",
        "box",
        "bag",
        "package",
        "parcel",
        "merchandise",
        "commodity",
        "article",
        "sample",
        "free",
        "cheap",
        "quality",
        "high",
        "best",
        "hot",
        "sale",
        "order",
        "qty",
    }
)
_AUDIENCE = frozenset(
    {
        # Whom the goods are for says nothing of what they are: "women's apparel" is as vague
        # as CBP's "Ladies' Apparel".
        "women",
        "woman",
        "womens",
        "ladie",
        "lady",
        "men",
        "man",
        "mens",
        "kid",
        "children",
        "child",
        "childrens",
        "baby",
        "babie",
        "boy",
        "girl",
        "unisex",
        "adult",
        "infant",
        "toddler",
    }
)
_OCCASION = frozenset(
    {
        # Nor does the occasion ("birthday gift" is CBP's "gift": a transaction, not goods) or
        # the shipment ("consolidated cargo" is CBP's "consolidated").
        "birthday",
        "christma",  # "christmas", stemmed
        "xmas",
        "holiday",
        "wedding",
        "anniversary",
        "valentine",
        "party",
        "halloween",
        "easter",
        "graduation",
        "cargo",
        "shipment",
        "consignment",
    }
)
_GENERIC = _PLAIN_GENERIC | _AUDIENCE | _OCCASION

_NAMES_WHAT_OF = frozenset({"part", "accessory", "component"})
"""Vague heads that a single word before them does not make specific: "bicycle parts" says what
they are parts of, as "parts of bicycle" does, not which part (CBP: "name the part and what it
is part of"; "name the accessory")."""
_LINKS = frozenset({"with", "and", "plus", "including", "incl", "w"})
"""Words that make parts or accessories an addition to named goods ("doll with accessories")."""
_DEVICE_WORDS = 2
"""How many words after a part or accessory head ("parts for Dyson vacuum", "Nintendo Switch
accessories") may name only what the goods belong to: a brand and a model, or a device. More
words may name the part itself ("parts for Honda Civic front brake pads")."""
_COUNTED_HEAD = re.compile(r"\d\s*(?:part|parts|accessory|accessories|component|components)$")
"""Parts counted ("sofa, 3 parts", "epoxy, 2-part"): the goods are named before the count."""
_ALIASES = {"clothe": "clothing"}
"""Spellings of a listed term the list does not give ("clothes", stemmed, is "clothing")."""


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+);", re.IGNORECASE)


def plain_description(text: str) -> str:
    """The description with HTML character references decoded and "&" read as "and".

    Marketplace exports carry titles HTML-escaped ("Parts &amp; Accessories",
    "&quot;Gift&quot;"): read as filed, "amp" and "quot" would be words of the goods. The
    ampersand joins goods as "and" does ("doll & accessories" adds accessories to a doll).
    """
    if "&" not in text:
        return text  # the usual case: nothing to decode
    if _ENTITY.search(text):
        text = html.unescape(text)
    return text.replace("&", " and ")


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(
        _ALIASES.get(stem, stem) for stem in map(_stem, description_words(plain_description(text)))
    )


def word_stems(text: str) -> tuple[str, ...]:
    """The words of ``text`` as the matcher reads them: HTML-decoded, lower-case, plurals cut.

    "Twist Ties" gives ``("twist", "tie")`` and "plastic twist ties" ``("plastic", "twist",
    "tie")``, so that two texts compare word for word whatever their number.
    """
    return _tokens(text)


def _is_latin(letter: str) -> bool:
    """Whether a letter is of the Latin script: a-z, accented (é, ß, ø), fullwidth forms."""
    return letter.isascii() or "LATIN" in unicodedata.name(letter, "")


def _unread(text: str) -> str:
    """The words of ``text`` with a letter of another script than Latin ('礼物', 'подарок').

    The matcher reads Latin-script words only: such words may name the goods ("陶瓷杯 gift" is
    a ceramic cup) though no word it reads does.
    """
    if text.isascii():
        return ""  # the usual case
    return " ".join(
        word for word in text.split() if any(c.isalpha() and not _is_latin(c) for c in word)
    )


ONLY = "only"
"""The description is only the term: DES002 (a term in CBP's own text) or DES004 (any other)."""
UNSPECIFIC = "unspecific"
"""The description adds nothing specific to the term: DES003."""


@attrs.frozen
class VagueMatch:
    """How a description relates to the vague-term list.

    ``exact`` says the description's Latin-script words are only a vague term (HTS007 does not
    group such descriptions); ``verdict`` says which finding the term supports: :data:`ONLY`,
    :data:`UNSPECIFIC` or ``""`` (the description names the goods). The two differ where the
    words are a vendor's term that contains one of CBP's own ("auto parts" is CBP's "parts"
    with a generic word: DES003, citing CBP) or where words in another script were not read
    (``unread``: "陶瓷杯 gift" may name a ceramic cup).
    """

    term: VagueTermLike | None
    exact: bool
    specific_words: tuple[str, ...]
    of_phrase: bool
    verdict: str = ""
    unread: str = ""


class VagueMatcher:
    """Match descriptions against vague-term phrases; each distinct text is analysed once."""

    def __init__(self, terms: Iterable[VagueTermLike]) -> None:
        self._phrases: list[tuple[tuple[str, ...], VagueTermLike]] = []
        self._brand_alone: VagueTermLike | None = None
        for term in terms:
            if term.is_rule:
                if getattr(term, "rule", "") == "brand_or_trade_mark_name_by_itself":
                    self._brand_alone = term
                continue
            for phrase in term.phrases:
                tokens = _tokens(phrase)
                if tokens:
                    self._phrases.append((tokens, term))
        # Longest phrases first, so "daily necessities" wins over a shorter phrase inside it.
        self._phrases.sort(key=lambda item: (-len(item[0]), item[0]))
        self._exact: dict[tuple[str, ...], VagueTermLike] = {}
        for tokens, term in self._phrases:
            self._exact.setdefault(tokens, term)
        # A vague term beside another is not what makes it specific ("gifts and accessories").
        self._vague_words = frozenset(tokens[0] for tokens, _ in self._phrases if len(tokens) == 1)
        self._confirmed = [(tokens, term) for tokens, term in self._phrases if is_confirmed(term)]
        self.match = lru_cache(maxsize=65536)(self._match)

    def __getstate__(self) -> dict[str, Any]:
        # The cache wraps a bound method, which pickle refuses: a reference set that audited
        # once (and so built its matcher) is sent to Dask workers without it, rebuilt there.
        state = self.__dict__.copy()
        del state["match"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.match = lru_cache(maxsize=65536)(self._match)

    def _match(self, description: str) -> VagueMatch:
        tokens = _tokens(description)
        if not tokens:
            return _NO_MATCH
        unread = _unread(description)
        exact = self._exact.get(tokens)
        if exact is None and self._brand_alone is not None and _is_brand_alone(tokens):
            exact = self._brand_alone
        found = (
            _Found(exact, (), of_phrase=False, unspecific=True)
            if exact is not None
            else self._find(description, tokens, self._phrases)
        )
        if found is None:
            return _NO_MATCH if not unread else attrs.evolve(_NO_MATCH, unread=unread)
        if found.unspecific and not is_confirmed(found.term):
            # A vendor's or carrier's term holding one of CBP's own ("auto parts" holds the
            # CSMS's "parts"): when CBP's term, with the other words, still adds nothing
            # specific, the finding cites CBP's text, the stronger source, as DES003.
            own = self._find(description, tokens, self._confirmed)
            if own is not None and own.unspecific:
                return VagueMatch(
                    own.term,
                    exact=exact is not None,
                    specific_words=own.specific,
                    of_phrase=own.of_phrase,
                    verdict=UNSPECIFIC,
                    unread=unread,
                )
        if exact is not None:
            # Words in another script may name the goods ("陶瓷杯 gift"): not "only" the term.
            verdict = UNSPECIFIC if unread else ONLY
            return VagueMatch(exact, True, (), of_phrase=False, verdict=verdict, unread=unread)
        return VagueMatch(
            found.term,
            exact=False,
            specific_words=found.specific,
            of_phrase=found.of_phrase,
            verdict=UNSPECIFIC if found.unspecific else "",
            unread=unread,
        )

    def _find(
        self,
        description: str,
        tokens: tuple[str, ...],
        phrases: Sequence[tuple[tuple[str, ...], VagueTermLike]],
    ) -> _Found | None:
        """The first of ``phrases`` in ``tokens``, with what the other words add to it."""
        present = frozenset(tokens)
        for phrase, term in phrases:
            if phrase[0] not in present:
                continue  # most phrases: a set look-up instead of a scan of the description
            start = _find(tokens, phrase)
            if start is None:
                continue
            rest = tokens[:start] + tokens[start + len(phrase) :]
            specific = tuple(w for w in rest if self._is_specific(w))
            end = start + len(phrase)
            after = tokens[end : end + 1]
            names_what_of = phrase[-1] in _NAMES_WHAT_OF
            # "gift for mom", and with only generic words before it, "birthday gift for mom",
            # "replacement part for Dyson": the words after say whom or what it is for.
            # Whom the goods are for may name them before "of" ("baby powder of talc").
            leads = after in (("of",), ("for",)) and not any(
                self._is_specific(w) or w in _AUDIENCE for w in tokens[:start]
            )
            of_phrase = leads or (
                end == len(tokens)
                and names_what_of
                and _LINKS.isdisjoint(tokens)
                and not _COUNTED_HEAD.search(normalize_text(description))
            )
            limit = _DEVICE_WORDS if names_what_of and _LINKS.isdisjoint(tokens) else 1
            unspecific = not specific or (of_phrase and len(specific) <= limit)
            return _Found(term, specific, of_phrase=of_phrase, unspecific=unspecific)
        return None

    def _is_specific(self, word: str) -> bool:
        return (
            word not in _STOP
            and word not in _GENERIC
            and word not in self._vague_words
            and len(word) > 1
        )


@attrs.frozen
class _Found:
    """A vague phrase found in a description: its term and what the other words add."""

    term: VagueTermLike
    specific: tuple[str, ...]
    of_phrase: bool
    unspecific: bool


_NO_MATCH = VagueMatch(None, exact=False, specific_words=(), of_phrase=False)


def _is_brand_alone(tokens: tuple[str, ...]) -> bool:
    """Whether a description is a name and the word brand or trade mark, nothing else.

    CBP's list: "Brand" or "Trade Mark" name by itself ("Bubbles Brand") says who made the
    goods, not what they are; "Bubbles Brand laundry detergent" does.
    """
    if tokens[-2:] == ("trade", "mark"):
        named = tokens[:-2]
    elif tokens[-1] in ("brand", "trademark"):
        named = tokens[:-1]
    else:
        return False
    return 1 <= len(named) <= 2


def _find(tokens: Sequence[str], phrase: Sequence[str]) -> int | None:
    size = len(phrase)
    for start in range(len(tokens) - size + 1):
        if tuple(tokens[start : start + size]) == tuple(phrase):
            return start
    return None
