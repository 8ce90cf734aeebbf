"""Keyed pseudonyms for party names and addresses, so a report can leave the compliance team.

A redacted report says ``Consignee-3f9a2c41b7`` where the filing said ``Maria Lopez``, in
every format and every section: findings (what was filed, what was required, the message),
the entry table, the pattern view, samples, the letter response, load errors, rule errors and
waivers. Entry numbers, HTS numbers, values, dates, states and countries stay, so every finding
can still be followed up.

**What is replaced.** The ultimate consignee's and the seller's name, street address, city and
postal code, and the importer-of-record number (which may be an individual's tax number). Each
value becomes a label and the first hex digits of HMAC-SHA256(key, value), the value first
case-folded with its white space collapsed: ``"MARIA  LOPEZ"`` and ``"Maria Lopez"`` get the
same pseudonym, as they fall in the same pattern group. The label says what the value was
(``Consignee``, ``Seller``, ``Address``, ``City``, ``Postal``, ``IOR``); a value that is both a
name and an address, or both the consignee and the seller, is a ``Party`` in free text. Blank
values stay blank, so findings about blank data still read true. Inside free text (messages,
descriptions, reasons), party values are replaced where they are quoted (as rules quote them) or
where the finding's own entry, or an entry it names, holds them, also split by commas (a
message listing a description's words). Text the user wrote (waiver reasons, sample notes) is
searched for every party value the redactor knows, quoted or not. The text a rejected row
alone holds, which a load error quotes ("the row holds only ..."), may be a title or a name
typed on a row of its own: it becomes a ``Text`` pseudonym whatever it says.

**Who can trace a pseudonym.** The pseudonyms are stable: the same key gives the same
pseudonym for the same value in every report. Whoever holds the key can recompute the mapping
from the original names (:meth:`Redactor.pseudonym`); without the key, a pseudonym reveals
nothing about the name, beyond that two equal pseudonyms stand for the same value. Keep the key
with the compliance team, and generate it at random (:func:`generate_key`, i.e.
``secrets.token_hex(32)``): a guessable key lets anyone confirm a guessed name.

**Knowing the values.** To find a value quoted in a message, the redactor must have seen it.
A report knows every party name (the entry table holds them), but keeps the entries themselves
only when the audit loaded them in memory (a :class:`~t86audit.io.LoadResult`) or sampled them.
For an audit that streams its entries, pass them through :meth:`Redactor.watch` during the
audit and redact with the same redactor (``redactor.report(report)``): otherwise an address
quoted in a message of a non-sampled entry may survive.

**Limits.** Free text that is not a party field (a description, a waiver reason, a non-canonical
column) is searched only for the parties' values, not for other personal data it may contain.

>>> import t86audit
>>> from t86audit.testing import make_entry
>>> report = t86audit.audit([make_entry(consignee={"name": "Maria Lopez"}, value="950.00")])
>>> redacted = report.redacted(b"0123456789abcdef0123456789abcdef")
>>> "Maria Lopez" in redacted.to_json(), redacted.entry_rows[0].consignee
(False, 'Consignee-6e34d70647')
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import attrs

from t86audit.exceptions import InputError
from t86audit.model import Entry, EntryNumber, Party


if TYPE_CHECKING:
    from t86audit.findings import Finding
    from t86audit.io import LoadError
    from t86audit.report import Report


__all__ = [
    "KEY_ENV",
    "MIN_KEY_BYTES",
    "REDACTED_FIELDS",
    "Redactor",
    "Role",
    "generate_key",
    "key_from_text",
    "read_key",
    "redact_report",
]

KEY_ENV = "T86AUDIT_REDACT_KEY"
"""The environment variable the command line reads the redaction key from."""

MIN_KEY_BYTES = 16
"""The shortest key accepted (128 bits); :func:`generate_key` gives 32 bytes."""

Role = Literal["consignee", "seller", "address", "city", "postal_code", "ior", "party", "text"]
"""What a value is; it decides the pseudonym's label (``text``: a rejected row's lone text)."""

_LABELS: dict[str, str] = {
    "consignee": "Consignee",
    "seller": "Seller",
    "address": "Address",
    "city": "City",
    "postal_code": "Postal",
    "ior": "IOR",
    "party": "Party",
    "text": "Text",
}

REDACTED_FIELDS: Mapping[str, Role] = {
    "consignee_name": "consignee",
    "consignee_address": "address",
    "consignee_city": "city",
    "consignee_postal_code": "postal_code",
    "seller_name": "seller",
    "seller_address": "address",
    "seller_city": "city",
    "seller_postal_code": "postal_code",
    "importer_of_record": "ior",
}
"""Input columns (and finding fields) whose values are replaced, with their role."""

_PARTY_FIELDS: tuple[tuple[str, Role], ...] = (
    ("address", "address"),
    ("city", "city"),
    ("postal_code", "postal_code"),
)
# Every quoted stretch of text, at every quote: rules quote values with repr(), and trying
# each quote (rather than pairing them left to right) survives apostrophes in the prose. The
# length bound keeps hostile text full of quotes linear.
_QUOTED = re.compile(r"""(?=(?:'([^'\n]{0,512})'|"([^"\n]{0,512})"))""")
# Messages shorten long values (t86audit.io clips at 60 characters, exceptions at 80).
_CLIP_LIMITS = (60, 80)
# The loader quotes what a rejected row alone holds ("the row holds only 'Maria Lopez', as a
# title, label or note row does"; "(it holds only 'a', 'b')"): a title, a label, or a name typed
# on a row of its own, which no entry holds, so the redactor cannot know it as a party value.
# It is replaced whatever it says.
_QUOTE_ITEM = r"""(?:'(?:[^'\\\n]|\\.){0,512}'|"(?:[^"\\\n]|\\.){0,512}")"""
_ROW_TEXTS = re.compile(r"\bholds only (" + _QUOTE_ITEM + r"(?:, " + _QUOTE_ITEM + r")*)")
_QUOTE_ITEMS = re.compile(_QUOTE_ITEM)
_KEY_ID_MESSAGE = b"t86audit redaction key id"
_HEX_KEY = re.compile(r"(?:[0-9a-fA-F]{2}){16,}")
_MIN_BARE = 3
# Known values longer than this (in words) are found in user-written text only where quoted.
_MAX_BARE_WORDS = 16
_WORD = re.compile(r"\S+")
_EDGE = "\"'([{<,.;:!?)]}>"


def generate_key() -> str:
    """Return a new random key as 64 hex digits (``secrets.token_hex(32)``).

    Store it where the compliance team keeps secrets; pass it as ``T86AUDIT_REDACT_KEY`` or in
    a key file to the command line, or as ``bytes.fromhex(key)`` to :meth:`Report.redacted`.
    """
    return secrets.token_hex(32)


def key_from_text(text: str, *, source: str = "redaction key") -> bytes:
    """Turn a key as written (hex digits, or a passphrase) into key bytes.

    Surrounding white space is ignored. An even number of hex digits, at least 32, is read as
    hex; anything else is taken as a passphrase in UTF-8.

    Raises:
        InputError: the key is shorter than :data:`MIN_KEY_BYTES` bytes.
    """
    stripped = text.strip()
    if _HEX_KEY.fullmatch(stripped):
        return bytes.fromhex(stripped)
    key = stripped.encode("utf-8", "surrogatepass")
    _check_key(key, source)
    return key


def read_key(
    path: str | os.PathLike[str] | None = None, *, environ: Mapping[str, str] | None = None
) -> bytes:
    """Read the redaction key from a file, or else from :data:`KEY_ENV`.

    Raises:
        InputError: the file cannot be read, the variable is not set, or the key is too short.
    """
    if path is not None:
        name = os.fspath(path)
        try:
            text = Path(path).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InputError(name, "redaction key file not found") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(name, f"cannot read the redaction key: {exc}") from None
        return key_from_text(text, source=name)
    env = os.environ if environ is None else environ
    text = env.get(KEY_ENV, "")
    if not text.strip():
        raise InputError(
            KEY_ENV,
            "no redaction key: set the environment variable or pass --redact-key-file FILE; "
            "generate a key with: python -c 'import secrets; print(secrets.token_hex(32))'",
        )
    return key_from_text(text, source=KEY_ENV)


def _check_key(key: bytes, source: str) -> None:
    if len(key) < MIN_KEY_BYTES:
        raise InputError(
            source,
            f"the key has {len(key)} bytes; use at least {MIN_KEY_BYTES}, best a random one "
            "from secrets.token_hex(32)",
        )


def _normal(value: str) -> str:
    """The form a pseudonym is computed from: white space collapsed, case-folded."""
    return " ".join(value.split()).casefold()


def _clip(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 3] + "..."


_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.DOTALL)
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", "'": "'", '"': '"'}


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if code[0] in "xuU" and len(code) > 1:
        return chr(int(code[1:], 16))
    return _SIMPLE_ESCAPES.get(code, match.group())


def _quoted_forms(content: str) -> list[str]:
    """What a quoted stretch of a message may stand for: itself, or the value repr() wrote."""
    forms = [content]
    if "\\" in content:
        with contextlib.suppress(ValueError, OverflowError):  # an escape beyond U+10FFFF
            forms.append(_ESCAPE.sub(_unescape, content))
    return forms


def _bare_ok(value: str) -> bool:
    # Unquoted matching of very short or letter-less values (a postal code, "NA") would hit
    # line numbers, values and words that merely contain them.
    return len(value) >= _MIN_BARE and any(c.isalpha() for c in value)


@functools.lru_cache(maxsize=4096)
def _bare_pattern(value: str) -> re.Pattern[str]:
    # Any run of white space between the words: "MARIA  LOPEZ" is found in "Maria Lopez"; and
    # a comma or semicolon, as a message lists a description's words ("not found there:
    # eau, parfum, maria, lopez").
    words = r"(?:\s*[,;]\s*|\s+)".join(re.escape(word) for word in value.split())
    return re.compile(r"(?<![\w-])" + words + r"(?![\w-])", re.IGNORECASE)


class Redactor:
    """Replaces party names and addresses with keyed pseudonyms (see the module notes).

    The redactor remembers the party values it has seen (:meth:`learn`, :meth:`watch`, and
    :meth:`report` for what the report holds) so that it can find them quoted in free text;
    it keeps one short entry per distinct value, not the entries.

    Args:
        key: the secret key, at least :data:`MIN_KEY_BYTES` bytes (see :func:`generate_key`).
        digits: hex digits in a pseudonym (6 to 64). Ten keep pseudonyms short and distinct
            for about a million different values; a shorter pseudonym may collide.

    Raises:
        InputError: the key is too short.
        TypeError: the key is not bytes.
        ValueError: ``digits`` is out of range.

    >>> r = Redactor(bytes(range(32)))
    >>> r.pseudonym("Maria Lopez", "consignee") == r.pseudonym(" maria  LOPEZ", "consignee")
    True
    >>> r.pseudonym("", "consignee")
    ''
    >>> r.learn_value("Maria Lopez", "consignee")
    >>> r.text("2 shipments to 'MARIA LOPEZ'")
    "2 shipments to 'Consignee-0ccad7e039'"
    """

    def __init__(self, key: bytes, *, digits: int = 10) -> None:
        given: object = key
        if not isinstance(given, bytes | bytearray):
            msg = f"the redaction key must be bytes, got {type(given).__name__}"
            raise TypeError(msg)
        _check_key(bytes(key), "redaction key")
        if not 6 <= digits <= 64:
            msg = f"digits must be from 6 to 64, got {digits}"
            raise ValueError(msg)
        self._key = bytes(key)
        self._digits = digits
        # normal form of a known value -> its label in free text ("Consignee-...", "Party-...")
        self._known: dict[str, str] = {}
        # normal form of a long value as a message clips it -> the same label
        self._clipped: dict[str, str] = {}
        # the most words of a known value found unquoted in user-written text
        self._max_words = 0
        # user-written texts searched for known values (``anywhere``): their spans
        self._spans_of: dict[str, list[tuple[int, int, str]]] = {}

    @property
    def key_id(self) -> str:
        """A short keyed fingerprint that tells which key redacted a report (not the key)."""
        return hmac.new(self._key, _KEY_ID_MESSAGE, hashlib.sha256).hexdigest()[:12]

    def _digest(self, normal: str) -> str:
        known = self._known.get(normal)
        if known is not None:
            return known.rpartition("-")[2]
        data = normal.encode("utf-8", "surrogatepass")
        return hmac.new(self._key, data, hashlib.sha256).hexdigest()[: self._digits]

    def pseudonym(self, value: str, role: Role = "party") -> str:
        """The pseudonym of ``value`` in ``role``, e.g. ``"Consignee-3f9a2c41b7"``.

        Blank values (empty or white space) are returned unchanged.
        """
        normal = _normal(value)
        if not normal:
            return value
        return f"{_LABELS[role]}-{self._digest(normal)}"

    # -- learning the values to look for ----------------------------------------------------

    def learn_value(self, value: str, role: Role) -> None:
        """Remember one party value, so free text quoting it is redacted."""
        normal = _normal(value)
        if not normal:
            return
        label = f"{_LABELS[role]}-{self._digest(normal)}"
        known = self._known.get(normal)
        if self._spans_of and known != label:
            self._spans_of.clear()  # texts searched before may hold this value
        if known is None:
            self._known[normal] = label
        elif known != label:
            # A name that is also an address, or both consignee and seller: say neither.
            self._known[normal] = self.pseudonym(value, "party")
        text = value.strip()
        if _bare_ok(text):
            self._max_words = max(self._max_words, min(len(normal.split()), _MAX_BARE_WORDS))
        for limit in _CLIP_LIMITS:
            if len(text) > limit:
                self._clipped.setdefault(_normal(_clip(text, limit)), self._known[normal])

    def learn(self, entry: Entry) -> None:
        """Remember the party values of ``entry``, so free text quoting them is redacted."""
        for value, role in _party_values(entry):
            self.learn_value(value, role)

    def watch(self, entries: Iterable[Entry]) -> Iterator[Entry]:
        """Pass entries through unchanged, learning their party values on the way.

        Audit ``redactor.watch(entries)`` instead of ``entries`` when the audit streams its
        entries, so that :meth:`report` knows every address (see the module notes).
        """
        for entry in entries:
            self.learn(entry)
            yield entry

    # -- replacing ---------------------------------------------------------------------------

    def _label(self, content: str) -> str | None:
        for form in _quoted_forms(content):
            normal = _normal(form)
            label = self._known.get(normal) or self._clipped.get(normal)
            if label is not None:
                return label
        return None

    def _quoted_known(self, text: str) -> list[str]:
        """The known party values ``text`` quotes, as it quotes them."""
        found: list[str] = []
        for match in _QUOTED.finditer(text):
            content = match.group(1) if match.group(1) is not None else match.group(2)
            if content.strip():
                found.extend(
                    form
                    for form in _quoted_forms(content)
                    if _normal(form) in self._known or _normal(form) in self._clipped
                )
        return found

    def _known_spans(self, text: str) -> Iterator[tuple[int, int, str]]:
        """Every known value in ``text``, quoted or not: runs of words, edge punctuation off."""
        words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
        for i, (first, _) in enumerate(words):
            for j in range(i, min(len(words), i + self._max_words)):
                raw = text[first : words[j][1]]
                for stretch in (raw, raw.rstrip(_EDGE), raw.lstrip(_EDGE), raw.strip(_EDGE)):
                    if not _bare_ok(stretch):
                        continue
                    label = self._known.get(_normal(stretch))
                    if label is not None:
                        start = first + raw.index(stretch)
                        yield start, start + len(stretch), label
                        break

    def text(
        self,
        text: str,
        *,
        values: Iterable[str] = (),
        anywhere: bool = False,
        filed: tuple[str, str] | None = None,
    ) -> str:
        """Replace party values inside free text.

        Quoted values (``'Maria Lopez'``, as rules quote them) are replaced wherever they are
        known; the ``values`` given (the parties of the entry the text is about) are replaced
        unquoted too, in any letter case and spacing. With ``anywhere`` (for text a user wrote,
        such as a waiver reason), every known value is replaced unquoted too. ``filed``: a
        value the text quotes that is not a party's (a description a finding is about) and its
        redacted form; quoted, it reads as that form, even where another entry's party has
        the same text (a consignee named "Gift" does not make the description 'gift' a name).
        """
        if not text:
            return text
        spans: list[tuple[int, int, str]] = []
        own = None if filed is None else _normal(filed[0])
        for match in _QUOTED.finditer(text):
            single = match.group(1)
            quote, content = ("'", single) if single is not None else ('"', match.group(2))
            if own is not None and filed is not None and _normal(content) == own:
                if content != filed[1]:
                    start = match.start()
                    spans.append((start, start + len(content) + 2, f"{quote}{filed[1]}{quote}"))
                continue
            label = self._label(content) if content.strip() else None
            if label is not None:
                start = match.start()
                spans.append((start, start + len(content) + 2, f"{quote}{label}{quote}"))
        if anywhere:
            # One waiver's reason is copied onto every finding it waives: searched once.
            found = self._spans_of.get(text)
            if found is None:
                found = self._spans_of[text] = list(self._known_spans(text))
            spans.extend(found)
        lowered: str | None = None
        for value in {v.strip() for v in values}:
            if not _bare_ok(value):
                continue
            if lowered is None:
                lowered = text.lower()
            if value.split()[0].lower() not in lowered:
                continue
            label = self._known.get(_normal(value)) or self.pseudonym(value)
            spans.extend((m.start(), m.end(), label) for m in _bare_pattern(value).finditer(text))
        if not spans:
            return text
        spans.sort(key=lambda span: (span[0], span[0] - span[1]))
        out: list[str] = []
        position = 0
        for start, end, label in spans:
            if start < position:
                continue
            out.append(text[position:start])
            out.append(label)
            position = end
        out.append(text[position:])
        return "".join(out)

    def party(self, party: Party, role: Role) -> Party:
        """``party`` with its name, address, city and postal code replaced."""
        return attrs.evolve(
            party,
            name=self.pseudonym(party.name, role),
            address=self.pseudonym(party.address, "address"),
            city=self.pseudonym(party.city, "city"),
            postal_code=self.pseudonym(party.postal_code, "postal_code"),
        )

    def entry(self, entry: Entry) -> Entry:
        """``entry`` with its parties, importer of record and party values in free text replaced.

        Entry number, dates, port, HTS numbers, values and quantities are kept.
        """
        values = [value for value, _ in _party_values(entry)]
        lines = tuple(
            attrs.evolve(line, description=self.text(line.description, values=values))
            for line in entry.lines
        )
        return attrs.evolve(
            entry,
            consignee=self.party(entry.consignee, "consignee"),
            seller=self.party(entry.seller, "seller"),
            importer_of_record=self.pseudonym(entry.importer_of_record, "ior"),
            lines=lines,
            extra={k: self.text(v, values=values) for k, v in entry.extra.items()},
        )

    def finding(self, finding: Finding, *, values: Iterable[str] = ()) -> Finding:
        """``finding`` with party values replaced in what was filed, required and said.

        Args:
            finding: the finding.
            values: the party values of its entry (and related entries), to find unquoted.
        """
        role = REDACTED_FIELDS.get(finding.field or "")
        observed = finding.observed
        # A party value the message quotes (a description's words in another script that are
        # another entry's consignee) is that party's in the text the finding is about too.
        # The finding's own value quoted whole stays what it is (a consignee named "Gift" does
        # not make the description 'gift' a name): only the other values it quotes count.
        own = None if observed is None else _normal(observed)
        values = [
            *values,
            *(v for v in self._quoted_known(finding.message) if _normal(v) != own),
        ]
        filed: tuple[str, str] | None = None
        if observed is not None and observed.strip() and role is not None:
            values.append(observed)
            observed = self.pseudonym(observed.strip(), role)
        elif observed is not None:
            redacted = self.text(observed, values=values)
            if observed.strip():
                filed = (observed, redacted)
            observed = redacted
        expected = finding.expected
        return attrs.evolve(
            finding,
            observed=observed,
            expected=None if expected is None else self.text(expected, values=values),
            message=self.text(finding.message, values=values, filed=filed),
            waiver_reason=self.text(finding.waiver_reason, values=values, anywhere=True),
        )

    def load_error(self, error: LoadError, *, row_texts: Iterable[str] = ()) -> LoadError:
        """A load error with a party value (and its mentions in the message) replaced.

        The text a rejected row alone holds, quoted by the message, is replaced too (see
        :meth:`row_texts`), and so is any of ``row_texts`` the message quotes (the rows of
        the "entry" a label row made, named by the error of the row after it).
        """
        message = self._hide_row_texts(error.message, set(row_texts))
        role = REDACTED_FIELDS.get(error.column or "")
        if role is not None and error.value:
            return attrs.evolve(
                error,
                value=self.pseudonym(error.value, role),
                message=self.text(message, values=(error.value,)),
            )
        value = None if error.value is None else self.text(error.value)
        return attrs.evolve(error, value=value, message=self.text(message))

    @staticmethod
    def row_texts(message: str) -> list[str]:
        """The texts a load error's message quotes as all that its rejected row holds."""
        texts = []
        for match in _ROW_TEXTS.finditer(message):
            for item in _QUOTE_ITEMS.finditer(match.group(1)):
                text = _quoted_forms(item.group()[1:-1])[-1]
                if any(c.isalpha() for c in text):  # ('2024', '---' name nobody)
                    texts.append(text)
        return texts

    def _hide_row_texts(self, message: str, others: set[str]) -> str:
        hidden = set(self.row_texts(message)) | others
        if not hidden:
            return message

        def replace(match: re.Match[str]) -> str:
            quoted = match.group()
            text = _quoted_forms(quoted[1:-1])[-1]
            if text not in hidden:
                return quoted
            return f"{quoted[0]}{self.pseudonym(text, 'text')}{quoted[0]}"

        return _QUOTE_ITEMS.sub(replace, message)

    def report(self, report: Report) -> Report:
        """A copy of ``report`` with party names and addresses replaced everywhere.

        Counts, codes, entry numbers and values are unchanged, so the redacted report renders
        the same findings in the same order; the audit trail records the redaction and the
        key's :attr:`key_id`.

        Raises:
            ValueError: the report is already redacted.
        """
        if "redaction" in report.invocation:
            msg = "the report is already redacted"
            raise ValueError(msg)
        self._learn_report(report)
        names = _names_by_entry(report)

        def near(*numbers: str | None) -> list[str]:
            return [v for n in numbers if n for v in names.get(EntryNumber(n).key, ())]

        result = report.result
        findings = tuple(
            self.finding(f, values=near(f.entry_number, *f.related_entries))
            for f in result.findings
        )
        rule_results = tuple(
            attrs.evolve(
                r,
                reason=self.text(r.reason),
                errors=tuple(
                    attrs.evolve(e, message=self.text(e.message, values=near(e.entry_number)))
                    for e in r.errors
                ),
            )
            for r in result.rule_results
        )
        samples = tuple(
            attrs.evolve(
                s,
                entries=tuple(self.entry(e) for e in s.entries),
                note=self.text(s.note, anywhere=True),
            )
            for s in result.samples
        )
        result = attrs.evolve(
            result, findings=findings, rule_results=rule_results, samples=samples
        )
        load = report.load
        if load is not None:
            row_texts = {text for e in load.errors for text in self.row_texts(e.message)}
            load = attrs.evolve(
                load,
                entries=tuple(self.entry(e) for e in load.entries),
                errors=tuple(self.load_error(e, row_texts=row_texts) for e in load.errors),
            )
        facts = tuple(
            attrs.evolve(
                f,
                seller=self.pseudonym(f.seller, "seller"),
                consignee=self.pseudonym(f.consignee, "consignee"),
            )
            for f in report.facts
        )
        renamed = {
            id(w): attrs.evolve(
                w, reason=self.text(w.reason, values=near(w.entry_number), anywhere=True)
            )
            for w in report.waivers.waivers
        }
        waivers = attrs.evolve(
            report.waivers, waivers=tuple(renamed[id(w)] for w in report.waivers.waivers)
        )
        unused = tuple(
            attrs.evolve(
                u,
                waiver=renamed.get(id(u.waiver), u.waiver),
                why=self.text(u.why, anywhere=True),
            )
            for u in report.unused_waivers
        )
        exposure = report.exposure
        if exposure is not None:
            # The exposure names sellers (its by-seller table); nothing else in it is a party.
            exposure = attrs.evolve(
                exposure,
                by_seller=tuple(
                    g
                    if g.label == "(blank)"
                    else attrs.evolve(g, label=self.pseudonym(g.label, "seller"))
                    for g in exposure.by_seller
                ),
            )
        invocation: dict[str, Any] = dict(report.invocation)
        invocation["redaction"] = {
            "method": "HMAC-SHA256 pseudonyms",
            "key_id": self.key_id,
            "fields": sorted(REDACTED_FIELDS),
        }
        return attrs.evolve(
            report,
            result=result,
            load=load,
            facts=facts,
            waivers=waivers,
            unused_waivers=unused,
            invocation=invocation,
            exposure=exposure,
        )

    def _learn_report(self, report: Report) -> None:
        """Learn every party value the report itself holds."""
        entries = list(report.load.entries) if report.load is not None else []
        entries.extend(e for s in report.result.samples for e in s.entries)
        for entry in entries:
            self.learn(entry)
        for fact in report.facts:
            self.learn_value(fact.seller, "seller")
            self.learn_value(fact.consignee, "consignee")
        for finding in report.findings:
            role = REDACTED_FIELDS.get(finding.field or "")
            if role is not None and finding.observed:
                self.learn_value(finding.observed, role)
        if report.load is not None:
            for error in report.load.errors:
                role = REDACTED_FIELDS.get(error.column or "")
                if role is not None and error.value:
                    self.learn_value(error.value, role)


def _party_values(entry: Entry) -> list[tuple[str, Role]]:
    """The values of ``entry`` that redaction replaces, with their roles."""
    out: list[tuple[str, Role]] = []
    parties: tuple[tuple[Party, Role], ...] = (
        (entry.consignee, "consignee"),
        (entry.seller, "seller"),
    )
    for party, role in parties:
        out.append((party.name, role))
        out.extend((getattr(party, attribute), r) for attribute, r in _PARTY_FIELDS)
    out.append((entry.importer_of_record, "ior"))
    return [(value, role) for value, role in out if value.strip()]


def _names_by_entry(report: Report) -> dict[str, tuple[str, ...]]:
    """Entry key -> the party values the report knows for it (names, and more if sampled)."""
    names: dict[str, tuple[str, ...]] = {}
    for fact in report.facts:
        names.setdefault(fact.key, (fact.seller, fact.consignee))
    entries = list(report.load.entries) if report.load is not None else []
    entries.extend(e for s in report.result.samples for e in s.entries)
    for entry in entries:
        key = entry.entry_number.key
        names[key] = (*names.get(key, ()), *(value for value, _ in _party_values(entry)))
    return names


def redact_report(report: Report, key: bytes | str | Redactor) -> Report:
    """Return ``report`` with party names and addresses replaced by keyed pseudonyms.

    Args:
        report: the report to redact (it is not changed).
        key: the key as bytes, as text (hex digits or a passphrase, see
            :func:`key_from_text`), or a :class:`Redactor` that has watched the audit's
            entries.

    Raises:
        InputError: the key is too short.
        ValueError: the report is already redacted.
    """
    if isinstance(key, Redactor):
        redactor = key
    elif isinstance(key, str):
        redactor = Redactor(key_from_text(key))
    else:
        redactor = Redactor(key)
    return redactor.report(report)
