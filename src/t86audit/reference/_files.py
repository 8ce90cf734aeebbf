"""Reading reference tables from files, and writing the package data.

The parts of :mod:`t86audit.reference` an audit of the bundled tables never needs: the HTSUS
derivation a user's schedule goes through (and the bundled one went through when it was built),
the package-data encoders, the vague-term parser, and the tables only a user supplies (quota
goods, the PGA flags of HTS numbers). They are public as ``t86audit.reference.<name>`` and
documented there; this module is imported on first use of one of them, which keeps the import
of :mod:`t86audit.reference` small (``python -m t86audit`` compiles it on every run when Python
does not cache bytecode).
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import attrs

from t86audit.exceptions import InputError, T86AuditError
from t86audit.normalize import normalize_text
from t86audit.reference._data import (
    _ARTICLE_SEPARATOR,
    _CHAPTER_WORDS_HEADER,
    _HTS_HEADER,
    HtsData,
    Snapshot,
    _csv_rows,
    _digits,
    _sha256,
)


__all__ = [
    "HTS_CSV_COLUMNS",
    "PGA_FLAG_TABLE_COLUMNS",
    "QUOTA_TABLE_COLUMNS",
    "PgaFlagTable",
    "PgaHtsFlags",
    "QuotaGood",
    "QuotaTable",
    "derive_hts_data",
    "encode_chapter_words",
    "encode_hts_data",
    "parse_vague_term",
    "read_hts_rows",
    "read_pga_flag_table",
    "read_quota_table",
    "split_examples",
]

HTS_CSV_COLUMNS = ("chapter", "htsno", "indent", "description")
"""Columns a schedule CSV must have (the shared snapshot's layout; other columns are ignored)."""

_HTSNO_RE = re.compile(r"^[0-9]{4}(?:\.?[0-9]{2}){0,3}$")
_PAREN = re.compile(r"\(([^()]*)\)")
_EXAMPLE_SPLIT = re.compile(r"\(\s*e\.g\.", re.IGNORECASE)
_BY_ITSELF = re.compile(r"\bby itself\b", re.IGNORECASE)


# ---------------------------------------------------------------------------------------------
# Reading user files


def _read_file(path: str | Path) -> tuple[str, bytes]:
    """Read a UTF-8 text file (a byte-order mark is allowed); return its text and raw bytes."""
    file = Path(path)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise InputError(str(file), f"cannot read the file ({exc.strerror or exc})") from exc
    try:
        return data.decode("utf-8-sig"), data
    except UnicodeDecodeError as exc:
        raise InputError(str(file), f"not UTF-8 text (byte {exc.start})") from exc


# ---------------------------------------------------------------------------------------------
# HTSUS: the derivation from a schedule CSV, and the package format


def _clean_text(text: str) -> str:
    # Zero-width spaces occur in the USITC export; trailing colons introduce the child rows.
    cleaned = " ".join(text.replace("\u200b", "").split())
    return cleaned.rstrip(":").rstrip()


def derive_hts_data(rows: Iterable[Mapping[str, str]], *, source: str = "<rows>") -> HtsData:
    """Derive the HTSUS table from schedule rows in the shared snapshot's layout.

    Each row has ``chapter``, ``htsno`` (dotted, possibly empty for text-only grouping rows),
    ``indent`` (depth in the schedule tree) and ``description``. A row's article description is
    the chain of the texts of the rows above it with a smaller indent, joined by ``" > "``,
    trailing colons removed. Valid 10-digit numbers are the printed statistical reporting
    numbers plus, for each 8-digit subheading with no statistical number under it, the
    subheading with suffix ``00``. A heading without its own four-digit row (one printed as
    ``0205.00.00.00``) takes the text of that top-level row.

    This function is pure: the same rows always give an equal result.

    Args:
        rows: the schedule rows, in schedule order.
        source: names the rows' origin in error messages.

    Raises:
        InputError: a row has an indent that is not a number, or an ``htsno`` that is not an
            HTS number.
    """
    stack: list[tuple[int, str]] = []
    printed: dict[str, tuple[str, str]] = {}
    subheadings: dict[str, tuple[str, str]] = {}
    headings: dict[str, str] = {}
    top_level: dict[str, str] = {}
    for row_number, row in enumerate(rows, start=1):
        htsno = (row.get("htsno") or "").strip()
        if htsno and not _HTSNO_RE.match(htsno):
            raise InputError(
                source, "not an HTS number", row=row_number, column="htsno", value=htsno
            )
        digits = htsno.replace(".", "")
        indent_raw = (row.get("indent") or "").strip()
        if not indent_raw.isdigit():
            raise InputError(
                source,
                "indent must be a whole number of 0 or more",
                row=row_number,
                column="indent",
                value=indent_raw,
            )
        indent = int(indent_raw)
        chapter_raw = (row.get("chapter") or "").strip()
        if chapter_raw and not (chapter_raw.isdigit() and 1 <= int(chapter_raw) <= 99):
            raise InputError(
                source,
                "chapter must be a number from 1 to 99",
                row=row_number,
                column="chapter",
                value=chapter_raw,
            )
        chapter = chapter_raw.zfill(2) if chapter_raw else digits[:2]
        text = _clean_text(row.get("description") or "")
        while stack and stack[-1][0] >= indent:
            stack.pop()
        stack.append((indent, text))
        if len(digits) in (8, 10):
            chain = _ARTICLE_SEPARATOR.join(t for _, t in stack if t)
            target = printed if len(digits) == 10 else subheadings
            target.setdefault(digits, (chapter, chain))
        elif len(digits) == 4:
            headings.setdefault(digits, text)
        if indent == 0 and len(digits) > 4 and not digits[4:].strip("0"):
            top_level.setdefault(digits[:4], text)

    with_statistical = {number[:8] for number in printed}
    numbers = dict(printed)
    implied = set()
    for subheading, value in subheadings.items():
        if subheading not in with_statistical:
            numbers[subheading + "00"] = value
            implied.add(subheading + "00")
    for heading, text in top_level.items():
        headings.setdefault(heading, text)
    return HtsData(
        articles={n: numbers[n][1] for n in sorted(numbers)},
        chapters={n: numbers[n][0] for n in sorted(numbers)},
        implied=frozenset(implied),
        headings={h: headings[h] for h in sorted(headings)},
    )


def read_hts_rows(text: str, *, source: str) -> HtsData:
    """Read schedule CSV text (the shared snapshot's layout) and derive its table.

    Args:
        text: the CSV text, with a header naming at least :data:`HTS_CSV_COLUMNS`.
        source: names the text's origin in error messages.

    Raises:
        InputError: a required column is missing or a row is malformed.
    """
    return derive_hts_data(_csv_rows(text, source, HTS_CSV_COLUMNS), source=source)


def encode_hts_data(data: HtsData) -> bytes:
    """Serialise an HTSUS table to the compact package format (two gzip members of text lines).

    The output is byte-for-byte reproducible: everything is sorted and the gzip headers carry no
    time stamp. The first member is the index, read at once by :func:`decode_hts_data`: the
    headings, the valid numbers, which are implied, and their chapters (stored only where a
    chapter is not the number's first two digits). The second holds the texts, decompressed
    only when a text is first asked for (an audit whose numbers are all valid and whose
    descriptions fit never needs them): the node of each number's article, one line per
    heading text, then one line ``parent<TAB>segment`` per node of the tree the articles'
    ``" > "``-separated segments form (a root has an empty parent), so each chain of ancestors
    is stored once.

    Raises:
        T86AuditError: a number or chapter is not digits, or a text holds a line break (the
            derivation never gives either).
    """
    numbers = sorted(data.articles)
    headings = sorted(data.headings)
    for code in (*numbers, *headings, *(data.chapters[n] for n in numbers)):
        if not code.isdigit():
            raise T86AuditError(f"HTS number or chapter {code!r} is not digits")
    node_of: dict[tuple[int, str], int] = {}
    node_lines: list[str] = []
    article_nodes: list[str] = []
    for number in numbers:
        node = -1
        for segment in data.articles[number].split(_ARTICLE_SEPARATOR):
            child = node_of.get((node, segment))
            if child is None:
                child = node_of[node, segment] = len(node_lines)
                node_lines.append(f"{node if node >= 0 else ''}\t{segment}")
            node = child
        article_nodes.append(str(node))
    chapters = [f"{n}:{data.chapters[n]}" for n in numbers if data.chapters[n] != n[:2]]
    index = [
        _HTS_HEADER,
        " ".join(headings),
        " ".join(numbers),
        " ".join(sorted(data.implied)),
        " ".join(chapters),
    ]
    texts = [data.headings[h] for h in headings] + node_lines
    if any("\n" in text for text in texts):
        raise T86AuditError("an HTSUS text holds a line break")
    return b"".join(
        gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), compresslevel=9, mtime=0)
        for lines in (index, [" ".join(article_nodes), *texts])
    )


def _decode_hts_data_1(text: str) -> HtsData:
    """Read the first package format: one tab-separated line per heading and number."""
    articles: dict[str, str] = {}
    chapters: dict[str, str] = {}
    implied: list[str] = []
    headings: dict[str, str] = {}
    for line in text.split("\n")[1:]:
        if not line:
            continue
        kind, number, chapter, text_ = line.split("\t", 3)
        if kind == "H":
            headings[number] = text_
            continue
        articles[number] = text_
        chapters[number] = chapter
        if kind == "I":
            implied.append(number)
    return HtsData(
        articles=articles, chapters=chapters, implied=frozenset(implied), headings=headings
    )


def encode_chapter_words(words: Mapping[str, Iterable[str]], *, schedule_sha256: str) -> bytes:
    """Serialise words per chapter to the package format (gzip, no time stamp, reproducible).

    One line per chapter with words, ``chapter<TAB>word word ...``, chapters and words sorted,
    after the header line ``#t86audit-chapter-words<TAB>1<TAB><schedule sha256>``.

    Args:
        words: chapter -> its words (chapters without words are left out).
        schedule_sha256: the snapshot hash of the schedule the words come from.

    Raises:
        T86AuditError: a chapter is not two digits, or a word is empty or holds white space.
    """
    lines = [f"{_CHAPTER_WORDS_HEADER}\t{schedule_sha256}"]
    for chapter in sorted(words):
        chapter_words = sorted(set(words[chapter]))
        if not (len(chapter) == 2 and chapter.isdigit()):
            raise T86AuditError(f"chapter {chapter!r} is not two digits")
        if any(word.split() != [word] for word in chapter_words):
            raise T86AuditError(f"chapter {chapter} has an empty word or one with white space")
        if chapter_words:
            lines.append(f"{chapter}\t{' '.join(chapter_words)}")
    payload = ("\n".join(lines) + "\n").encode("utf-8")
    return gzip.compress(payload, compresslevel=9, mtime=0)


# ---------------------------------------------------------------------------------------------
# Vague description terms


def parse_vague_term(term: str) -> tuple[tuple[str, ...], bool, str]:
    """Split a vague-term row's text into match phrases, or recognise it as a rule.

    ``"Apparel / Clothing / Garments"`` gives three phrases; a parenthesised abbreviation is a
    phrase of its own (``"Freight of all kinds (FAK)"`` gives ``"freight of all kinds"`` and
    ``"fak"``). A text in square brackets (``"[description is only numbers]"``), or one saying a
    name "by itself" is vague, is a rule: no phrases, and an identifier made from its words.

    >>> parse_vague_term("Freight of all kinds (FAK)")
    (('freight of all kinds', 'fak'), False, '')
    >>> parse_vague_term("[description not in English]")
    ((), True, 'description_not_in_english')

    Returns:
        ``(phrases, is_rule, rule)``.
    """
    text = " ".join(term.split())
    if text.startswith("[") and text.endswith("]"):
        return (), True, normalize_text(text[1:-1]).replace(" ", "_")
    if _BY_ITSELF.search(text):
        head = _EXAMPLE_SPLIT.split(text, maxsplit=1)[0]
        return (), True, normalize_text(head).replace(" ", "_")
    phrases: list[str] = []
    for part in text.split("/"):
        candidates = [_PAREN.sub(" ", part), *_PAREN.findall(part)]
        for candidate in candidates:
            phrase = normalize_text(candidate)
            if phrase and phrase not in phrases:
                phrases.append(phrase)
    return tuple(phrases), False, ""


def split_examples(text: str) -> tuple[str, ...]:
    """Split a ``;``-separated list of acceptable examples (commas belong to an example)."""
    return tuple(part.strip() for part in text.split(";") if part.strip())


# ---------------------------------------------------------------------------------------------
# User-supplied tables: quota goods, PGA flags of HTS numbers
#
# No public source lists either table in a usable form, so t86audit ships neither: the rules
# that need them report "not applicable" until the user supplies one. The formats are
# documented in examples/tables/README.md, with small examples.

QUOTA_TABLE_COLUMNS = ("hts",)
"""Columns a quota table must have; ``quota`` and ``country_code`` are optional."""

PGA_FLAG_TABLE_COLUMNS = ("hts", "flags")
"""Columns a PGA flag table must have (other columns, e.g. ``source``, are ignored)."""

_FLAG_CODE_RE = re.compile(r"^[A-Z0-9]{2,4}$")
_FLAG_SEPARATORS = re.compile(r"[|,;\s]+")
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")


def _prefix_cell(row: Mapping[str, str], source: str, row_number: int) -> str:
    """The digits of a row's ``hts`` cell: an HTS number or prefix of 4 to 10 digits."""
    raw = row.get("hts", "")
    if not _HTSNO_RE.match("".join(raw.split())):
        raise InputError(
            source,
            "not an HTS number or prefix (4, 6, 8 or 10 digits, dots allowed)",
            row=row_number,
            column="hts",
            value=raw,
        )
    return _digits(raw)


def _user_snapshot(name: str, path: str | Path, raw: bytes, date: str, what: str) -> Snapshot:
    """The identity of a table read from the user's file (also a user's HTSUS schedule)."""
    return Snapshot(
        name=name,
        source=f"user-supplied {what} {Path(path).name}",
        date=date,
        sha256=_sha256(raw),
        note=f"{what} supplied by the user; its completeness is the user's responsibility",
    )


def _memory_snapshot(name: str, what: str) -> Snapshot:
    # A user table built in memory has no file to name or hash (compare _user_snapshot).
    return Snapshot(name=name, source=f"user-supplied {what} (in memory)", date="", sha256="")


@attrs.frozen
class QuotaGood:
    """One row of a quota table: goods of a class or kind covered by a quota.

    Attributes:
        hts_prefix: the HTS number or prefix, as digits (4 to 10); every number starting with
            it is covered.
        quota: what the user calls the quota (``"sugar TRQ, add. U.S. note 5 to ch. 17"``);
            may be empty.
        country_code: ISO 3166-1 alpha-2 code of the origin the quota covers; empty for goods
            of every origin (a quota on a class or kind of goods, the usual case).
    """

    hts_prefix: str
    quota: str = ""
    country_code: str = ""

    def describe(self) -> str:
        """The quota's name, or ``"quota goods under <prefix>"`` when the table gives none."""
        return self.quota or f"quota goods under HTS {self.hts_prefix}"


def read_quota_table(text: str, *, source: str = "<quota table>") -> tuple[QuotaGood, ...]:
    """Read a quota table from CSV text.

    Columns: ``hts`` (required: an HTS number or prefix of 4, 6, 8 or 10 digits, dots
    allowed), ``quota`` (optional: the quota's name or identifier) and ``country_code``
    (optional: limit the row to goods of one origin; blank for every origin). Other columns
    are ignored; rows that are entirely blank are skipped.

    Raises:
        InputError: the ``hts`` column is missing, or a cell is malformed.
    """
    rows = _csv_rows(text, source, QUOTA_TABLE_COLUMNS)
    goods: dict[QuotaGood, None] = {}
    for row_number, row in enumerate(rows, start=1):
        prefix = _prefix_cell(row, source, row_number)
        country = row.get("country_code", "").strip().upper()
        if country and not _COUNTRY_RE.match(country):
            raise InputError(
                source,
                "country_code must be a two-letter ISO code or blank",
                row=row_number,
                column="country_code",
                value=row.get("country_code", ""),
            )
        goods.setdefault(QuotaGood(prefix, " ".join(row.get("quota", "").split()), country))
    return tuple(goods)


class QuotaTable:
    """Goods covered by an absolute or tariff-rate quota, supplied by the user.

    19 CFR 10.153(g) bars de minimis for "merchandise of a class or kind covered by an absolute
    or tariff-rate quota, open or closed"; no public table maps HTS numbers to quotas in a
    usable form, so the user supplies one (:meth:`from_csv`).

    >>> table = QuotaTable([QuotaGood("1701", "sugar TRQ")])
    >>> [g.quota for g in table.matches("1701.14.10.00")]
    ['sugar TRQ']

    Attributes:
        goods: the table's rows.
        snapshot: the identity of the table (file name, hash and the date the user gave).
    """

    def __init__(self, goods: Iterable[QuotaGood], snapshot: Snapshot | None = None) -> None:
        self.goods: tuple[QuotaGood, ...] = tuple(goods)
        self.snapshot = snapshot or _memory_snapshot("quota", "quota table")
        index: dict[str, list[QuotaGood]] = {}
        for good in self.goods:
            index.setdefault(good.hts_prefix, []).append(good)
        self._index = index
        self._lengths = sorted({len(p) for p in index})

    @classmethod
    def from_csv(cls, path: str | Path, *, date: str = "") -> QuotaTable:
        """Read a quota table (format: :func:`read_quota_table`).

        Args:
            path: the CSV file (UTF-8, a byte-order mark is allowed).
            date: the date of the quota list, recorded in the snapshot (ISO 8601).

        Raises:
            InputError: the file cannot be read, lacks the ``hts`` column or has a bad cell.
        """
        text, raw = _read_file(path)
        goods = read_quota_table(text, source=str(path))
        return cls(goods, _user_snapshot("quota", path, raw, date, "quota table"))

    def matches(self, hts_digits: str, country: str = "") -> tuple[QuotaGood, ...]:
        """The rows covering this HTS number (and origin), shortest prefix first.

        Args:
            hts_digits: the line's HTS number (dots and spaces are ignored).
            country: the line's country of origin; rows limited to another origin do not
                match. Rows without a country match every origin.
        """
        digits = _digits(hts_digits)
        code = country.strip().upper()
        if not digits:
            return ()
        found: list[QuotaGood] = []
        for length in self._lengths:
            if length > len(digits):
                break
            found.extend(
                good
                for good in self._index.get(digits[:length], ())
                if not good.country_code or good.country_code == code
            )
        return tuple(found)

    def __len__(self) -> int:
        return len(self.goods)

    def __repr__(self) -> str:
        return f"<QuotaTable rows={len(self.goods)}>"


@attrs.frozen
class PgaHtsFlags:
    """One row of a PGA flag table: the flags ACE sets on an HTS number (or prefix).

    Attributes:
        hts_prefix: the HTS number or prefix, as digits (4 to 10).
        flags: the PGA flag codes (``("FD4", "AQ1")``); empty means "no flags", which lets a
            10-digit row override a flagged heading.
    """

    hts_prefix: str
    flags: tuple[str, ...]


def read_pga_flag_table(text: str, *, source: str = "<pga flag table>") -> tuple[PgaHtsFlags, ...]:
    """Read the PGA flags of HTS numbers from CSV text.

    Columns: ``hts`` (an HTS number or prefix of 4, 6, 8 or 10 digits, dots allowed) and
    ``flags`` (flag codes such as ``FD4``, separated by ``|``, commas, semicolons or spaces;
    blank for "no flags"). This is the layout of the project's ``pga_flags_by_hts.csv``; other
    columns are ignored. Rows naming the same number are merged.

    Raises:
        InputError: a required column is missing, or a cell is malformed.
    """
    rows = _csv_rows(text, source, PGA_FLAG_TABLE_COLUMNS)
    merged: dict[str, list[str]] = {}
    for row_number, row in enumerate(rows, start=1):
        prefix = _prefix_cell(row, source, row_number)
        flags = merged.setdefault(prefix, [])
        for code in _FLAG_SEPARATORS.split(row.get("flags", "").strip().upper()):
            if not code:
                continue
            if not _FLAG_CODE_RE.match(code):
                raise InputError(
                    source,
                    "not a PGA flag code (2 to 4 letters or digits, e.g. FD4)",
                    row=row_number,
                    column="flags",
                    value=row.get("flags", ""),
                )
            if code not in flags:
                flags.append(code)
    return tuple(PgaHtsFlags(prefix, tuple(flags)) for prefix, flags in merged.items())


class PgaFlagTable:
    """The PGA flags of the user's HTS numbers, supplied by the user.

    CBP distributes the flags through the ACE HTS extract; no public table of them exists, so
    the user supplies the flags of the numbers they file (:meth:`from_csv`). A number takes the
    flags of the longest prefix the table lists, so a heading can be flagged as a whole and one
    of its numbers listed with other flags (or none).

    >>> table = PgaFlagTable([PgaHtsFlags("1905", ("FD3",)), PgaHtsFlags("1905909090", ("FD4",))])
    >>> table.flags("1905.90.90.90"), table.flags("1905.31.00.49"), table.flags("6109.10.00.40")
    (('FD4',), ('FD3',), ())

    Attributes:
        rows: the table's rows.
        snapshot: the identity of the table (file name, hash and the date the user gave).
    """

    def __init__(self, rows: Iterable[PgaHtsFlags], snapshot: Snapshot | None = None) -> None:
        self.rows: tuple[PgaHtsFlags, ...] = tuple(rows)
        self.snapshot = snapshot or _memory_snapshot("pga_flags", "PGA flag table")
        by_prefix: dict[str, list[str]] = {}
        for row in self.rows:
            flags = by_prefix.setdefault(row.hts_prefix, [])
            flags.extend(f for f in row.flags if f not in flags)
        self._by_prefix = {p: tuple(f) for p, f in by_prefix.items()}
        self._lengths = sorted({len(p) for p in by_prefix}, reverse=True)

    @classmethod
    def from_csv(cls, path: str | Path, *, date: str = "") -> PgaFlagTable:
        """Read a PGA flag table (format: :func:`read_pga_flag_table`).

        Args:
            path: the CSV file (UTF-8, a byte-order mark is allowed).
            date: the date of the flags (of the ACE HTS extract they come from), ISO 8601.

        Raises:
            InputError: the file cannot be read, lacks a column or has a bad cell.
        """
        text, raw = _read_file(path)
        rows = read_pga_flag_table(text, source=str(path))
        return cls(rows, _user_snapshot("pga_flags", path, raw, date, "PGA flag table"))

    def flags(self, hts_digits: str) -> tuple[str, ...]:
        """The flags of the longest listed prefix of this HTS number; empty when none is listed."""
        digits = _digits(hts_digits)
        for length in self._lengths:
            if length <= len(digits):
                found = self._by_prefix.get(digits[:length])
                if found is not None:
                    return found
        return ()

    def lists(self, hts_digits: str) -> bool:
        """Whether the table lists this HTS number or a prefix of it (flagged or not)."""
        digits = _digits(hts_digits)
        return any(digits[:n] in self._by_prefix for n in self._lengths if n <= len(digits))

    def __len__(self) -> int:
        return len(self.rows)

    def __repr__(self) -> str:
        return f"<PgaFlagTable rows={len(self.rows)}>"
