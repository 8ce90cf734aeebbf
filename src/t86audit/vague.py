"""Matching descriptions against CBP's vague-description terms (for DES002-DES006).

The matcher sits below the rules and the reference set (which builds one per audit), so neither
imports the other's module to reach it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Protocol

import attrs

from t86audit.normalize import description_words, normalize_text


__all__ = ["CONFIRMED", "VagueMatch", "VagueMatcher", "VagueTermLike", "is_confirmed"]


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


_STOP = frozenset(
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
# Words that add nothing to "what is it, what is it made of, what is it for".
_GENERIC = frozenset(
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
_NAMES_WHAT_OF = frozenset({"part", "accessory", "component"})
"""Vague heads that a single word before them does not make specific: "bicycle parts" says what
they are parts of, as "parts of bicycle" does, not which part (CBP: "name the part and what it
is part of"; "name the accessory")."""
_LINKS = frozenset({"with", "and", "plus", "including", "incl", "w"})
"""Words that make parts or accessories an addition to named goods ("doll with accessories")."""
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


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(_ALIASES.get(stem, stem) for stem in map(_stem, description_words(text)))


@attrs.frozen
class VagueMatch:
    """How a description relates to the vague-term list."""

    term: VagueTermLike | None
    exact: bool
    specific_words: tuple[str, ...]
    of_phrase: bool


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
        self.match = lru_cache(maxsize=65536)(self._match)

    def _match(self, description: str) -> VagueMatch:
        tokens = _tokens(description)
        if not tokens:
            return VagueMatch(None, exact=False, specific_words=(), of_phrase=False)
        exact = self._exact.get(tokens)
        if exact is not None:
            return VagueMatch(exact, exact=True, specific_words=(), of_phrase=False)
        if self._brand_alone is not None and _is_brand_alone(tokens):
            return VagueMatch(self._brand_alone, exact=True, specific_words=(), of_phrase=False)
        for phrase, term in self._phrases:
            start = _find(tokens, phrase)
            if start is None:
                continue
            rest = tokens[:start] + tokens[start + len(phrase) :]
            specific = tuple(
                w
                for w in rest
                if w not in _STOP
                and w not in _GENERIC
                and w not in self._vague_words
                and len(w) > 1
            )
            end = start + len(phrase)
            after = tokens[end : end + 1]
            of_phrase = (start == 0 and after in (("of",), ("for",))) or (
                end == len(tokens)
                and phrase[-1] in _NAMES_WHAT_OF
                and _LINKS.isdisjoint(tokens)
                and not _COUNTED_HEAD.search(normalize_text(description))
            )
            return VagueMatch(term, exact=False, specific_words=specific, of_phrase=of_phrase)
        return VagueMatch(None, exact=False, specific_words=(), of_phrase=False)


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
