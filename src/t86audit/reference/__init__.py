"""Bundled reference data: the HTSUS and its 2025 revisions, ports, vague terms, AD/CVD, quotas.

Also the PGA flag codes.

Every table ships inside the package (``t86audit/data``) in a compact form, with a
:class:`Snapshot` naming its source, date and content hash, so a report can say which data a
finding was judged against. ``data/README.md`` describes each table's source and how complete it
is; :func:`provenance` gives the same record to programs.

Nothing is read at import time. Each loader (:func:`hts_schedule`, :func:`port_table`,
:func:`vague_terms`, :func:`adcvd_table`, :func:`pga_flag_codes`, :func:`quota_list`,
:func:`hts_editions`) parses its file on the first call and caches the result, so a script
that audits ten entries without a classification rule never pays for the HTSUS. Even then the
HTSUS is read in two steps: its valid numbers on first use, its texts only when one is asked
for; and the vocabulary HTS006 compares descriptions with ships pre-built (:func:`hts_vocabulary`).

A user with a newer schedule or order list passes it in the format of the project's source
tables: :meth:`HtsSchedule.from_csv` and :meth:`AdcvdTable.from_csv`. The code that derives the
bundled HTSUS table from the source CSV (:func:`derive_hts_data`) is the same code that reads a
user's file, so both give the same answers for the same schedule.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import gzip
import json
import types
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from t86audit.exceptions import InputError, T86AuditError
from t86audit.normalize import normalize_text
from t86audit.reference._data import (
    _ARTICLE_SEPARATOR,
    _CHAPTER_WORDS_HEADER,
    _HTS_HEADER,
    _HTS_HEADER_1,
    ADCVD_ORDER_HTS_FILE,
    ADCVD_ORDERS_FILE,
    DISTRICTS_FILE,
    HTS_EDITIONS_FILE,
    HTS_FILE,
    HTS_VOCABULARY_FILE,
    METADATA_FILE,
    PGA_FLAGS_FILE,
    PORTS_FILE,
    QUOTA_FILE,
    VAGUE_TERMS_FILE,
    HtsData,
    Snapshot,
    _csv_rows,
    _csv_table,
    _digits,
    _sha256,
    package_bytes,
)


if TYPE_CHECKING:
    from t86audit.reference._files import (
        HTS_CSV_COLUMNS,
        PGA_FLAG_TABLE_COLUMNS,
        QUOTA_TABLE_COLUMNS,
        PgaFlagTable,
        PgaHtsFlags,
        QuotaGood,
        QuotaTable,
        derive_hts_data,
        encode_chapter_words,
        encode_hts_data,
        parse_vague_term,
        read_hts_rows,
        read_pga_flag_table,
        read_quota_table,
        split_examples,
    )

__all__ = [
    "ADCVD_ORDERS_FILE",
    "ADCVD_ORDER_HTS_FILE",
    "DISTRICTS_FILE",
    "HTS_CSV_COLUMNS",
    "HTS_EDITIONS_FILE",
    "HTS_FILE",
    "HTS_VOCABULARY_FILE",
    "METADATA_FILE",
    "PGA_FLAGS_FILE",
    "PGA_FLAG_TABLE_COLUMNS",
    "PORTS_FILE",
    "PORT_CODE_CLASSES",
    "QUOTA_FILE",
    "QUOTA_LINE_ROLES",
    "QUOTA_TABLE_COLUMNS",
    "VAGUE_TERMS_FILE",
    "AdcvdOrder",
    "AdcvdTable",
    "ChapterWords",
    "HtsData",
    "HtsEdition",
    "HtsEditions",
    "HtsSchedule",
    "PgaFlag",
    "PgaFlagTable",
    "PgaHtsFlags",
    "Port",
    "PortTable",
    "QuotaGood",
    "QuotaList",
    "QuotaListing",
    "QuotaLists",
    "QuotaTable",
    "Snapshot",
    "TableProvenance",
    "VagueTerm",
    "adcvd_table",
    "classify_port_code",
    "content_words",
    "decode_chapter_words",
    "decode_hts_data",
    "derive_hts_data",
    "encode_chapter_words",
    "encode_hts_data",
    "hts_editions",
    "hts_schedule",
    "hts_vocabulary",
    "manifest_sha256",
    "parse_vague_term",
    "pga_flag_codes",
    "port_table",
    "provenance",
    "quota_list",
    "read_adcvd_orders",
    "read_hts_rows",
    "read_pga_flag_table",
    "read_pga_flags",
    "read_quota_table",
    "snapshots",
    "split_examples",
    "vague_terms",
    "vague_terms_snapshot",
]

# Words that carry no product meaning in tariff texts; kept out of a chapter's vocabulary so a
# description sharing only "other" or "parts thereof" with a chapter does not look related.
_STOPWORD_TEXT = """
    about above after all also and any are being both but can each either etc except
    excluding for from had has have having her his including into its itself like more most
    nor not only other others per such than that the their them then there thereof these
    they this those through under upon was were what when whether which while who whose
    with within without
    chapter chapters heading headings subheading subheadings note notes provided specified
    elsewhere included described nesoi
"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


# ---------------------------------------------------------------------------------------------
# Snapshots and provenance


@attrs.frozen
class TableProvenance:
    """The full provenance record of a bundled table (also in ``t86audit/data/README.md``).

    Attributes:
        snapshot: the table's identity.
        description: what the table holds.
        licence: the licence or public-domain status of the source.
        source_files: ``(file, sha256)`` of each source file, relative to the shared data folder.
        completeness: caveats on what is missing or uncertain.
        legend: meanings of the table's confidence or class codes, as ``(code, meaning)``.
        counts: row counts of the bundled table, as ``(what, count)``.
        data_files: the package data files that hold the table.
    """

    snapshot: Snapshot
    description: str
    licence: str
    source_files: tuple[tuple[str, str], ...]
    completeness: tuple[str, ...]
    legend: tuple[tuple[str, str], ...]
    counts: tuple[tuple[str, int], ...]
    data_files: tuple[str, ...]


def _data_bytes(name: str) -> bytes:
    return package_bytes("data", name)


def _data_text(name: str) -> str:
    return _data_bytes(name).decode("utf-8")


@functools.cache
def _provenance_records() -> types.MappingProxyType[str, TableProvenance]:
    raw: Any = json.loads(_data_text(METADATA_FILE))
    records: dict[str, TableProvenance] = {}
    for table in raw["tables"]:
        snap = Snapshot(
            name=table["name"],
            source=table["source"],
            date=table["date"],
            sha256=table["sha256"],
            note=table["note"],
        )
        records[snap.name] = TableProvenance(
            snapshot=snap,
            description=table["description"],
            licence=table["licence"],
            source_files=tuple((f["file"], f["sha256"]) for f in table["source_files"]),
            completeness=tuple(table["completeness"]),
            legend=tuple((code, meaning) for code, meaning in table["legend"]),
            counts=tuple((what, int(n)) for what, n in table["counts"]),
            data_files=tuple(table["data_files"]),
        )
    return types.MappingProxyType(records)


def provenance() -> Mapping[str, TableProvenance]:
    """The provenance record of every bundled table, keyed by table name.

    Reads only the small metadata file, never the tables themselves.
    """
    return _provenance_records()


def snapshots() -> tuple[Snapshot, ...]:
    """Every bundled table's identity, in a fixed order, for the report's audit trail.

    Reads only the small metadata file, never the tables themselves.
    """
    return tuple(record.snapshot for record in _provenance_records().values())


def _snapshot(name: str) -> Snapshot:
    return _provenance_records()[name].snapshot


# ---------------------------------------------------------------------------------------------
# CSV tables


# ---------------------------------------------------------------------------------------------
# HTSUS


def decode_hts_data(blob: bytes) -> HtsData:
    """Read an HTSUS table written by :func:`encode_hts_data` (also in its first format).

    Only the index is decompressed here; the article and heading texts are decompressed on
    first access to one of them, so checking numbers never pays for the texts. The result
    compares equal to the table the blob was encoded from.

    Raises:
        T86AuditError: the data is not in the expected format.
    """
    inflater = zlib.decompressobj(wbits=31)  # 31: a gzip member
    try:
        index = inflater.decompress(blob).decode("utf-8")
    except (zlib.error, UnicodeDecodeError) as exc:
        raise T86AuditError(f"HTSUS data is not gzip-compressed UTF-8 text ({exc})") from exc
    header = index.split("\n", 1)[0]
    if header == _HTS_HEADER_1:
        from t86audit.reference._files import _decode_hts_data_1  # noqa: PLC0415

        return _decode_hts_data_1(index)
    lines = index.split("\n")
    if header != _HTS_HEADER or len(lines) != 6 or not inflater.eof:
        raise T86AuditError(f"HTSUS data has an unknown format header {header[:40]!r}")
    numbers = _Numbers(lines[2].split())
    headings = lines[1].split()
    texts = _HtsTexts(inflater.unused_data, len(headings), len(numbers))
    return HtsData(
        articles=_HtsArticles(numbers, texts),
        chapters=_HtsChapters(numbers, dict(c.split(":", 1) for c in lines[4].split())),
        implied=frozenset(lines[3].split()),
        headings=_HtsHeadings({h: i for i, h in enumerate(headings)}, texts),
    )


_SET_AFTER = 2048
"""Look-ups a decoded table answers by bisection before it puts its numbers in a set."""


class _Numbers:
    """The valid numbers of a decoded table, sorted.

    Hashing every number into a set up front cost more than all the look-ups of a small audit,
    so look-ups bisect the sorted list; a large audit's look-ups soon pass
    :data:`_SET_AFTER`, and then the numbers go into a set.
    """

    def __init__(self, numbers: list[str]) -> None:
        self.sorted = numbers
        self._set: frozenset[str] | None = None
        self._lookups = 0

    def __contains__(self, number: object) -> bool:
        if not isinstance(number, str):
            return False
        found = self._set
        if found is None:
            self._lookups += 1
            if self._lookups <= _SET_AFTER:
                return self.position(number) is not None
            found = self._set = frozenset(self.sorted)
        return number in found

    def position(self, number: str) -> int | None:
        """The number's index in the sorted list, or ``None`` if it is not there."""
        numbers = self.sorted
        at = bisect.bisect_left(numbers, number)
        return at if at < len(numbers) and numbers[at] == number else None

    def __len__(self) -> int:
        return len(self.sorted)


class _HtsTexts:
    """The texts member of an encoded HTSUS table, decompressed and split on first use."""

    def __init__(self, blob: bytes, heading_count: int, number_count: int) -> None:
        self._blob = blob
        self._heading_count = heading_count
        self._number_count = number_count
        self._lines: list[str] | None = None
        self._nodes: list[str] | None = None

    def _load(self) -> tuple[list[str], list[str]]:
        lines, nodes = self._lines, self._nodes
        if lines is None or nodes is None:
            try:
                lines = gzip.decompress(self._blob).decode("utf-8").split("\n")
            except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
                raise T86AuditError(f"HTSUS data has damaged texts ({exc})") from exc
            nodes = lines[0].split()
            if len(nodes) != self._number_count:
                raise T86AuditError("HTSUS data has damaged texts (a node per number expected)")
            self._lines, self._nodes = lines, nodes
        return lines, nodes

    def heading(self, position: int) -> str:
        return self._load()[0][1 + position]

    def article(self, position: int) -> str:
        """The article of the number at this position of the sorted numbers."""
        lines, nodes = self._load()
        offset = 1 + self._heading_count
        node = int(nodes[position])
        segments: list[str] = []
        while node >= 0:
            parent, segment = lines[offset + node].split("\t", 1)
            segments.append(segment)
            node = int(parent) if parent else -1
        return _ARTICLE_SEPARATOR.join(reversed(segments))


class _ByNumber(Mapping[str, str]):
    """A mapping over the valid numbers of a decoded table (articles, chapters).

    Membership, order and size come from the :class:`_Numbers` index, so they never touch the
    texts; a subclass says how a number's value is found.
    """

    _values = ""
    """What the mapping gives for a number, as its ``repr`` names it."""

    def __init__(self, numbers: _Numbers) -> None:
        self._numbers = numbers

    def __contains__(self, number: object) -> bool:
        # Membership is the validity check: answered from the index, never from the texts.
        return number in self._numbers

    def __iter__(self) -> Iterator[str]:
        return iter(self._numbers.sorted)

    def __len__(self) -> int:
        return len(self._numbers)

    def __repr__(self) -> str:
        return f"<HTSUS {self._values} of {len(self)} numbers>"


class _HtsArticles(_ByNumber):
    """Number -> article description of a decoded table; a text is joined when looked up."""

    _values = "articles"

    def __init__(self, numbers: _Numbers, texts: _HtsTexts) -> None:
        super().__init__(numbers)
        self._texts = texts

    def __getitem__(self, number: str) -> str:
        position = self._numbers.position(number) if number in self._numbers else None
        if position is None:
            raise KeyError(number)
        return self._texts.article(position)


class _HtsChapters(_ByNumber):
    """Number -> chapter of a decoded table: the number's first two digits unless listed."""

    _values = "chapters"

    def __init__(self, numbers: _Numbers, listed: dict[str, str]) -> None:
        super().__init__(numbers)
        self._listed = listed

    def __getitem__(self, number: str) -> str:
        if number not in self._numbers:
            raise KeyError(number)
        return self._listed.get(number) or number[:2]


_Source = TypeVar("_Source")
_Value = TypeVar("_Value")


class _MadeOnLookup(Mapping[str, _Value], Generic[_Source, _Value]):
    """A mapping with the keys of ``_sources``; a subclass makes a key's value from its source.

    The tables keep what they read (a position, a line of words, a CSV row) and make a value
    only when it is looked up, so membership, order and size come from the sources alone.
    """

    def __init__(self, sources: dict[str, _Source]) -> None:
        self._sources = sources

    def __contains__(self, key: object) -> bool:
        return key in self._sources

    def __iter__(self) -> Iterator[str]:
        return iter(self._sources)

    def __len__(self) -> int:
        return len(self._sources)


class _HtsHeadings(_MadeOnLookup[int, str]):
    """Heading -> text of a decoded table; the texts are decompressed on first look-up."""

    def __init__(self, positions: dict[str, int], texts: _HtsTexts) -> None:
        super().__init__(positions)
        self._texts = texts

    def __getitem__(self, heading: str) -> str:
        return self._texts.heading(self._sources[heading])

    def __repr__(self) -> str:
        return f"<HTSUS heading texts of {len(self)} headings>"


def content_words(text: str) -> frozenset[str]:
    """The content words of a text: lower-case alphabetic words of 3+ letters, no stop words.

    Text is normalised with :func:`t86audit.normalize.normalize_text` (accents and punctuation
    removed), the same normalisation the rules apply to descriptions, so the words compare
    directly with a chapter's vocabulary.

    >>> sorted(content_words("Men's or boys' shirts, of cotton"))
    ['boys', 'cotton', 'men', 'shirts']
    """
    return frozenset(
        word
        for word in normalize_text(text).split()
        if len(word) >= 3 and word.isalpha() and word.isascii() and word not in _STOPWORDS
    )


class HtsSchedule:
    """An HTSUS schedule: which 10-digit numbers are valid and what they describe.

    Use :func:`hts_schedule` for the bundled snapshot, or :meth:`from_csv` for a newer schedule.
    Numbers may be given with or without dots (``"6109.10.00.12"`` or ``"6109100012"``).

    Attributes:
        snapshot: the identity of the schedule (name, source, date, sha256).
    """

    def __init__(self, data: HtsData, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self._data = data
        self._vocabulary: dict[str, frozenset[str]] = {}

    @classmethod
    def from_csv(cls, path: str | Path, *, date: str = "") -> HtsSchedule:
        """Read a schedule file in the layout of the USITC-derived snapshot CSV.

        The file needs the columns ``chapter``, ``htsno``, ``indent`` and ``description`` (others,
        such as the duty rates, are ignored) with one row per schedule row in schedule order.
        The derivation is the one used for the bundled snapshot (:func:`derive_hts_data`).

        Args:
            path: the CSV file (UTF-8).
            date: the schedule's revision date, recorded in the snapshot (ISO 8601).

        Raises:
            InputError: the file cannot be read, lacks a column, or has a malformed row.
        """
        from t86audit.reference._files import (  # noqa: PLC0415
            _read_file,
            _user_snapshot,
            read_hts_rows,
        )

        text, raw = _read_file(path)
        data = read_hts_rows(text, source=str(path))
        return cls(data, _user_snapshot("htsus", path, raw, date, "schedule"))

    def __len__(self) -> int:
        return len(self._data.articles)

    def __contains__(self, number: object) -> bool:
        return isinstance(number, str) and self.is_valid(number)

    def is_valid(self, digits10: str) -> bool:
        """Whether the number is a valid 10-digit statistical reporting number in this schedule.

        An 8-digit subheading with no statistical numbers under it is valid with suffix ``00``.
        """
        return _digits(digits10) in self._data.articles

    def article(self, digits10: str) -> str | None:
        """The article description of a valid number (its ancestors' texts joined by ``" > "``).

        Returns ``None`` for a number that is not valid in this schedule.
        """
        return self._data.articles.get(_digits(digits10))

    def is_implied(self, digits10: str) -> bool:
        """Whether the number is valid only by the ``00`` rule (it is not printed as such)."""
        return _digits(digits10) in self._data.implied

    def chapter(self, digits10: str) -> str | None:
        """The two-digit chapter of a valid number, or ``None`` if it is not valid."""
        return self._data.chapters.get(_digits(digits10))

    def heading_text(self, heading4: str) -> str | None:
        """The text of a four-digit heading, or ``None`` if the schedule has none for it."""
        return self._data.headings.get(_digits(heading4))

    def chapter_vocabulary(self, chapter2: str) -> frozenset[str]:
        """The content words (see :func:`content_words`) of a chapter's headings and articles.

        Args:
            chapter2: the chapter, ``"61"`` or ``"6"``/``"06"`` for chapter 6.

        Returns:
            The words; empty for a chapter the schedule does not have.
        """
        key = _digits(chapter2).zfill(2)
        cached = self._vocabulary.get(key)
        if cached is not None:
            return cached
        segments: set[str] = {
            text for heading, text in self._data.headings.items() if heading[:2] == key
        }
        for number in self._numbers_in_chapter.get(key, ()):
            segments.update(self._data.articles[number].split(_ARTICLE_SEPARATOR))
        words: set[str] = set()
        for segment in segments:
            words |= content_words(segment)
        vocabulary = frozenset(words)
        self._vocabulary[key] = vocabulary
        return vocabulary

    def numbers_with_prefix(self, prefix: str) -> Iterator[str]:
        """Every valid 10-digit number starting with the given digits, in ascending order."""
        digits = _digits(prefix)
        numbers = self._sorted_numbers
        start = bisect.bisect_left(numbers, digits)
        for number in numbers[start:]:
            if not number.startswith(digits):
                break
            yield number

    @cached_property
    def _sorted_numbers(self) -> list[str]:
        return sorted(self._data.articles)

    @cached_property
    def _numbers_in_chapter(self) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = {}
        for number, chapter in self._data.chapters.items():
            grouped.setdefault(chapter, []).append(number)
        return grouped

    def __repr__(self) -> str:
        return f"HtsSchedule({self.snapshot.name!r}, {self.snapshot.date!r}, {len(self)} numbers)"


@functools.cache
def hts_schedule() -> HtsSchedule:
    """The bundled HTSUS snapshot (USITC export of 2025-05-26), parsed on first call."""
    return HtsSchedule(decode_hts_data(_data_bytes(HTS_FILE)), _snapshot("htsus"))


class ChapterWords(_MadeOnLookup[str, frozenset[str]]):
    """Words per two-digit chapter, computed from one schedule; chapters without words absent.

    Read from a blob written by :func:`encode_chapter_words`. A chapter's words are split out of
    the blob on its first look-up, so a small audit touching a few chapters parses only those.

    Attributes:
        schedule_sha256: the ``snapshot.sha256`` of the schedule the words were computed from;
            a user of the table checks it against the schedule in use.
    """

    def __init__(self, lines: Mapping[str, str], schedule_sha256: str) -> None:
        super().__init__(dict(lines))
        self.schedule_sha256 = schedule_sha256
        self._parsed: dict[str, frozenset[str]] = {}

    def __getitem__(self, chapter: str) -> frozenset[str]:
        words = self._parsed.get(chapter)
        if words is None:
            words = frozenset(self._sources[chapter].split())
            self._parsed[chapter] = words
        return words

    def __repr__(self) -> str:
        return f"<ChapterWords of {len(self)} chapters>"


def decode_chapter_words(blob: bytes) -> ChapterWords:
    """Read words per chapter written by :func:`encode_chapter_words`.

    Raises:
        T86AuditError: the data is not in the expected format.
    """
    try:
        text = gzip.decompress(blob).decode("utf-8")
    except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
        raise T86AuditError(f"chapter words are not gzip-compressed UTF-8 text ({exc})") from exc
    header, _, body = text.partition("\n")
    name, _, schedule_sha256 = header.rpartition("\t")
    if name != _CHAPTER_WORDS_HEADER:
        raise T86AuditError(f"chapter words have an unknown format header {header[:40]!r}")
    lines: dict[str, str] = {}
    for line in body.splitlines():
        chapter, _, words = line.partition("\t")
        lines[chapter] = words
    return ChapterWords(lines, schedule_sha256)


@functools.cache
def hts_vocabulary() -> ChapterWords:
    """The vocabulary HTS006 compares descriptions with, pre-built for the bundled snapshot.

    Each chapter's words are the stems (:func:`t86audit.rules.classification.stem`) of its
    content words (:meth:`HtsSchedule.chapter_vocabulary`), as
    :func:`t86audit.rules.classification.chapter_stems` computes them from
    :func:`hts_schedule`; ``scripts/build_reference_data.py`` writes them, so an audit does not
    stem every word of every chapter it meets. Parsed on first call.
    """
    return decode_chapter_words(_data_bytes(HTS_VOCABULARY_FILE))


# ---------------------------------------------------------------------------------------------
# Ports


PORT_CODE_CLASSES = {
    "port": "a port or subport code",
    "low_value": "70xx: Census statistical code for low-value shipments, not a port",
    "mail": "80xx: Census statistical code for mail shipments, not a port",
    "vessels_under_own_power": "6000: Census statistical code, not a port",
    "region_or_preclearance": "71xx-79xx and 9232: CBP region or foreign preclearance station",
}
"""The ``code_class`` values of :class:`Port` and what they mean."""


def classify_port_code(code: str) -> str:
    """Classify a four-digit code by its shape: a port, or a statistical or CBP region code.

    Follows the facts recorded with the port list: 70xx (low value), 80xx (mail) and 6000
    (vessels under own power) are Census statistical codes; 71xx-79xx and 9232 are CBP regions
    or foreign preclearance stations. Any other code is ``"port"`` (whether it exists is a
    question for :func:`port_table`).

    >>> classify_port_code("7001"), classify_port_code("4701")
    ('low_value', 'port')
    """
    code = code.strip()
    if code.startswith("70"):
        return "low_value"
    if code.startswith("80"):
        return "mail"
    if code == "6000":
        return "vessels_under_own_power"
    if code[:2] in {"71", "72", "73", "74", "75", "76", "77", "78", "79"} or code == "9232":
        return "region_or_preclearance"
    return "port"


@attrs.frozen
class Port:
    """A four-digit Schedule D code ``DDPP`` and what is known about it.

    Attributes:
        code: the code, leading zero kept (``"0101"``).
        name: the name as published (Census names upper-case, CBP ACE names mixed case).
        district: the first two digits.
        listed_in: which list the code comes from: ``census_schedule_d``, ``cbp_ace_appendix_e``,
            ``census_trade_data_only`` or ``census_historical`` (no current reference: suspect).
        note: provenance details.
        is_port_of_entry: ``False`` for statistical codes and CBP region/preclearance codes.
        district_name: the Census district name; empty where Census has no such district.
        code_class: one of :data:`PORT_CODE_CLASSES`.
    """

    code: str
    name: str
    district: str
    listed_in: str
    note: str
    is_port_of_entry: bool
    district_name: str = ""
    code_class: str = "port"


class PortTable:
    """The bundled port-code list (Census Schedule D Apr 2025 + CBP ACE Appendix E Feb 2026).

    Attributes:
        snapshot: the identity of the list.
    """

    def __init__(
        self, ports: Iterable[Port], districts: Mapping[str, str], snapshot: Snapshot
    ) -> None:
        self.snapshot = snapshot
        self._ports: Mapping[str, Port] = {port.code: port for port in ports}
        self._districts = dict(districts)

    def get(self, code: str) -> Port | None:
        """The port with this code (surrounding white space ignored), or ``None``."""
        return self._ports.get(code.strip())

    def district_name(self, district: str) -> str | None:
        """The Census name of a two-digit customs district, or ``None`` if Census has none."""
        return self._districts.get(district.strip())

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code.strip() in self._ports

    def __iter__(self) -> Iterator[Port]:
        return iter(sorted(self._ports.values(), key=lambda p: p.code))

    def __len__(self) -> int:
        return len(self._ports)


class _PortRows(_MadeOnLookup[Mapping[str, str], Port]):
    """Code -> :class:`Port` over the bundled list's rows; a port is made on its first look-up.

    An audit looks up a handful of codes; making all of the list's ports up front cost more
    than the rest of reading it.
    """

    def __init__(self, rows: Iterable[Mapping[str, str]]) -> None:
        super().__init__({row["code"]: row for row in rows})
        self._made: dict[str, Port] = {}

    def __getitem__(self, code: str) -> Port:
        port = self._made.get(code)
        if port is None:
            row = self._sources[code]
            port = Port(
                code=row["code"],
                name=row["name"],
                district=row["district"],
                listed_in=row["listed_in"],
                note=row["note"],
                is_port_of_entry=row["code_class"] == "port",
                district_name=row["district_name"],
                code_class=row["code_class"],
            )
            self._made[code] = port
        return port


@functools.cache
def port_table() -> PortTable:
    """The bundled port-code list, parsed on first call."""
    districts = {
        row["district"]: row["name"]
        for row in _csv_rows(_data_text(DISTRICTS_FILE), DISTRICTS_FILE, ("district", "name"))
    }
    table = PortTable((), districts, _snapshot("ports"))
    table._ports = _PortRows(_csv_rows(_data_text(PORTS_FILE), PORTS_FILE, ("code", "code_class")))
    return table


# ---------------------------------------------------------------------------------------------
# Vague description terms


@attrs.frozen
class VagueTerm:
    """A cargo description CBP treats as too vague, or a rule about descriptions.

    Attributes:
        term: the row's text as published (``"Apparel / Clothing / Garments"``).
        phrases: the normalised phrases it stands for (``("apparel", "clothing", "garments")``),
            normalised like descriptions (:func:`t86audit.normalize.normalize_text`); empty for
            a rule.
        acceptable_examples: acceptable descriptions CBP or the source gives (examples only,
            not an allow-list).
        source: the source, keyed in ``data/README.md``.
        confidence: ``V`` (CBP primary text), ``S`` (CBP text as reproduced by a third party),
            ``C`` (vendor or broker examples) or ``UNVERIFIED``.
        is_rule: whether the row is a rule about the description's form (only digits, only
            special characters, not English, a brand name alone) rather than a term to match.
        rule: the rule's identifier (``"description_is_only_numbers"``); empty for a term.
    """

    term: str
    phrases: tuple[str, ...]
    acceptable_examples: tuple[str, ...]
    source: str
    confidence: str
    is_rule: bool
    rule: str = ""


@functools.cache
def _vague_terms_file() -> tuple[str, tuple[VagueTerm, ...]]:
    raw: Any = json.loads(_data_text(VAGUE_TERMS_FILE))
    terms = tuple(
        VagueTerm(
            term=row["term"],
            phrases=tuple(row["phrases"]),
            acceptable_examples=tuple(row["acceptable_examples"]),
            source=row["source"],
            confidence=row["confidence"],
            is_rule=bool(row["is_rule"]),
            rule=row["rule"],
        )
        for row in raw["terms"]
    )
    return str(raw["version"]), terms


def vague_terms() -> tuple[VagueTerm, ...]:
    """The bundled vague-description list, in source order, parsed on first call."""
    return _vague_terms_file()[1]


def vague_terms_snapshot() -> Snapshot:
    """The identity of the bundled vague-description list."""
    return _snapshot("vague_terms")


# ---------------------------------------------------------------------------------------------
# AD/CVD orders


@attrs.frozen
class AdcvdOrder:
    """An antidumping (AD) or countervailing duty (CVD) order and the HTS numbers in its scope.

    Attributes:
        case_number: Commerce's case number (``"A-570-001"``).
        order_type: ``"AD"`` or ``"CVD"``.
        country_code: ISO 3166-1 alpha-2 code of the country the order covers.
        product: the order's English product title.
        companion_case: the AD or CVD case on the same product, if any.
        hts_prefixes: HTS numbers named in the scope, as digits at their level (6, 8 or 10).
        prefixes_not_in_htsus: those of ``hts_prefixes`` that are not in the HTSUS snapshot
            (older numbers kept in scope texts after renumbering).
        confirmed_prefixes: those of ``hts_prefixes`` whose goods the table's author has
            confirmed to be within the written scope (a user table's ``confirmed`` column);
            always empty in the bundled table.
    """

    case_number: str
    order_type: str
    country_code: str
    product: str
    companion_case: str
    hts_prefixes: tuple[str, ...]
    prefixes_not_in_htsus: tuple[str, ...] = ()
    confirmed_prefixes: tuple[str, ...] = ()

    def matching_prefix(self, hts_digits: str) -> str | None:
        """The longest of the order's HTS prefixes that the number starts with, or ``None``."""
        digits = _digits(hts_digits)
        found = [p for p in self.hts_prefixes if digits.startswith(p)]
        return max(found, key=len) if found else None

    def is_confirmed(self, hts_digits: str) -> bool:
        """Whether a confirmed prefix of the order covers this HTS number."""
        digits = _digits(hts_digits)
        return any(digits.startswith(p) for p in self.confirmed_prefixes)


def _split_prefixes(text: str) -> tuple[str, ...]:
    return tuple(p for p in text.split("|") if p)


_YES = frozenset({"yes", "y", "true", "1", "x"})
_NO = frozenset({"", "no", "n", "false", "0"})


def _confirmed_flag(raw: str, source: str, row_number: int) -> bool:
    """Read a row's optional ``confirmed`` cell: yes/y/true/1/x, or no/n/false/0/blank."""
    value = raw.strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise InputError(
        source, "must be yes or no (or blank)", row=row_number, column="confirmed", value=raw
    )


def read_adcvd_orders(
    orders_text: str, order_hts_text: str | None = None, *, source: str = "<orders>"
) -> tuple[AdcvdOrder, ...]:
    """Read AD/CVD orders from CSV text in the layout of the project's China order tables.

    The orders table needs ``case_number``, ``order_type``, ``country_code`` and ``product``;
    ``companion_case`` is optional. HTS numbers come from the second table (``case_number`` and
    ``hts_digits`` or ``hts``, optional ``in_htsus_2025_snapshot`` ``yes``/``no``) or, without
    it, from the orders table's ``hts_in_scope`` column (``|``-separated, dots allowed).

    An optional ``confirmed`` column (``yes``/``no``, blank meaning no) marks goods the user has
    confirmed to be within the order's written scope: in the orders table it confirms every HTS
    number of the case, in the HTS table the one (case, HTS number) row.

    Raises:
        InputError: a required column is missing, an HTS row names an unknown case, or a
            ``confirmed`` cell is not yes or no.
    """
    order_rows = _csv_rows(
        orders_text, source, ("case_number", "order_type", "country_code", "product")
    )
    prefixes: dict[str, list[str]] = {}
    outside: dict[str, list[str]] = {}
    confirmed: dict[str, list[str]] = {}
    case_numbers = {row["case_number"].strip() for row in order_rows}
    confirmed_cases = {
        row["case_number"].strip()
        for row_number, row in enumerate(order_rows, start=1)
        if _confirmed_flag(row.get("confirmed", ""), source, row_number)
    }
    if order_hts_text is None:
        for row_number, row in enumerate(order_rows, start=1):
            if "hts_in_scope" not in row:
                raise InputError(
                    source,
                    "missing required column (no HTS table was given)",
                    column="hts_in_scope",
                )
            case = row["case_number"].strip()
            for item in row["hts_in_scope"].split("|"):
                digits = _digits(item)
                if item.strip() and len(digits) < 4:
                    raise InputError(
                        source,
                        "not an HTS number",
                        row=row_number,
                        column="hts_in_scope",
                        value=item,
                    )
                if digits and digits not in prefixes.setdefault(case, []):
                    prefixes[case].append(digits)
    else:
        hts_source = f"{source} (HTS table)"
        # Cells by column position, not a dict per row: the bundled table has some two
        # thousand rows, and building their dicts was most of the time of reading it.
        names, hts_rows = _csv_table(order_hts_text, hts_source, ("case_number",))
        column = {name: i for i, name in enumerate(names)}  # a repeated name: the last one
        at_case = column["case_number"]
        at_digits, at_hts = column.get("hts_digits"), column.get("hts")
        at_in_htsus, at_confirmed = column.get("in_htsus_2025_snapshot"), column.get("confirmed")
        for row_number, cells in enumerate(hts_rows, start=1):
            case = cells[at_case].strip()
            if case not in case_numbers:
                raise InputError(
                    hts_source,
                    "case number not in the orders table",
                    row=row_number,
                    column="case_number",
                    value=case,
                )
            raw = (
                (cells[at_digits] if at_digits is not None else "")
                or (cells[at_hts] if at_hts is not None else "")
                or ""
            )
            # Plain digits (every row of the bundled table) need no clean-up.
            digits = raw if raw.isascii() and raw.isdigit() else _digits(raw)
            if len(digits) < 4:
                raise InputError(
                    hts_source, "not an HTS number", row=row_number, column="hts", value=raw
                )
            case_prefixes = prefixes.get(case)
            if case_prefixes is None:
                case_prefixes = prefixes[case] = []
            if digits not in case_prefixes:
                case_prefixes.append(digits)
                if at_in_htsus is not None and cells[at_in_htsus].strip().lower() == "no":
                    outside.setdefault(case, []).append(digits)
            if at_confirmed is not None and _confirmed_flag(
                cells[at_confirmed], hts_source, row_number
            ):
                case_confirmed = confirmed.setdefault(case, [])
                if digits not in case_confirmed:
                    case_confirmed.append(digits)
    for case in confirmed_cases:
        confirmed[case] = list(prefixes.get(case, ()))
    return tuple(
        AdcvdOrder(
            case_number=row["case_number"].strip(),
            order_type=row["order_type"].strip(),
            country_code=row["country_code"].strip().upper(),
            product=row["product"].strip(),
            companion_case=row.get("companion_case", "").strip(),
            hts_prefixes=tuple(prefixes.get(row["case_number"].strip(), ())),
            prefixes_not_in_htsus=tuple(outside.get(row["case_number"].strip(), ())),
            confirmed_prefixes=tuple(confirmed.get(row["case_number"].strip(), ())),
        )
        for row in order_rows
    )


class AdcvdTable:
    """AD/CVD orders indexed for matching a line's HTS number and country of origin.

    A match means the line's HTS number falls under a number named in an order's scope. The
    written scope governs, not the HTS list, so a match calls for a look at the scope; it is
    not a finding by itself, unless the table marks it confirmed
    (:meth:`AdcvdOrder.is_confirmed`).

    Attributes:
        snapshot: the identity of the order list.
    """

    def __init__(self, orders: Iterable[AdcvdOrder], snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.orders: tuple[AdcvdOrder, ...] = tuple(orders)
        index: dict[tuple[str, str], list[AdcvdOrder]] = {}
        for order in self.orders:
            for prefix in order.hts_prefixes:
                bucket = index.setdefault((order.country_code, prefix), [])
                # As `order not in bucket`, but equal orders share a case number, so whole
                # orders are compared only then (the AD and CVD orders on a product share
                # most of their numbers).
                case = order.case_number
                if not any(o.case_number == case and o == order for o in bucket):
                    bucket.append(order)
        self._index = index
        self._lengths = sorted({len(p) for o in self.orders for p in o.hts_prefixes})

    @classmethod
    def from_csv(
        cls,
        orders_path: str | Path,
        order_hts_path: str | Path | None = None,
        *,
        date: str = "",
    ) -> AdcvdTable:
        """Read a user's order tables in the layout of the project's China order tables.

        Args:
            orders_path: the orders CSV (see :func:`read_adcvd_orders` for its columns).
            order_hts_path: the per-order HTS CSV; without it, the orders' ``hts_in_scope``
                column is used.
            date: the date of the order list, recorded in the snapshot (ISO 8601).

        Raises:
            InputError: a file cannot be read, lacks a column, or names an unknown case.
        """
        from t86audit.reference._files import _read_file  # noqa: PLC0415

        orders_text, orders_raw = _read_file(orders_path)
        hts_text: str | None = None
        manifest = [(Path(orders_path).name, _sha256(orders_raw))]
        if order_hts_path is not None:
            hts_text, hts_raw = _read_file(order_hts_path)
            manifest.append((Path(order_hts_path).name, _sha256(hts_raw)))
        orders = read_adcvd_orders(orders_text, hts_text, source=str(orders_path))
        snapshot = Snapshot(
            name="adcvd",
            source="user-supplied orders " + ", ".join(name for name, _ in manifest),
            date=date,
            sha256=manifest_sha256(manifest) if len(manifest) > 1 else manifest[0][1],
            note="order list supplied by the user; its completeness is the user's responsibility",
        )
        return cls(orders, snapshot)

    def matches(self, hts_digits: str, country: str) -> tuple[AdcvdOrder, ...]:
        """The orders on this country whose scope names a prefix of this HTS number.

        Args:
            hts_digits: the line's HTS number (dots and spaces are ignored).
            country: the country of origin, ISO 3166-1 alpha-2 (case-insensitive).

        Returns:
            The matching orders, sorted by case number; empty when none match.
        """
        digits = _digits(hts_digits)
        code = country.strip().upper()
        if not digits or not code:
            return ()
        found: dict[str, AdcvdOrder] = {}
        for length in self._lengths:
            if length > len(digits):
                break
            for order in self._index.get((code, digits[:length]), ()):
                found.setdefault(order.case_number, order)
        return tuple(found[case] for case in sorted(found))

    def __len__(self) -> int:
        return len(self.orders)


def manifest_sha256(files: Iterable[tuple[str, str]]) -> str:
    """SHA-256 of a ``sha256sum``-style manifest of ``(file name, sha256)`` pairs, sorted by name.

    Identifies a table built from several files with one hash.
    """
    lines = "".join(f"{digest}  {name}\n" for name, digest in sorted(files))
    return _sha256(lines.encode("utf-8"))


@functools.cache
def adcvd_table() -> AdcvdTable:
    """The bundled AD/CVD orders on goods from China (ITA data as of 2026-07-06)."""
    orders = read_adcvd_orders(
        _data_text(ADCVD_ORDERS_FILE),
        _data_text(ADCVD_ORDER_HTS_FILE),
        source=ADCVD_ORDERS_FILE,
    )
    return AdcvdTable(orders, _snapshot("adcvd_china"))


# ---------------------------------------------------------------------------------------------
# PGA flag codes


@attrs.frozen
class PgaFlag:
    """A partner government agency (PGA) tariff flag code.

    Attributes:
        flag: the code (``"FD2"``).
        agency: the agency (``"FDA"``).
        required: ``True`` for an ``R`` flag (data required; a "not regulated" disclaim does not
            satisfy it), ``False`` for an ``M`` flag (data may be required) or an unclassified one.
        meaning: the flag's definition.
        disclaim_note: what is known about disclaiming it.
        confidence: ``V`` (primary government text), ``S`` (government wording via a third
            party) or ``C`` (third-party code or a single observation).
        requirement: the flag's class as published: ``"R"``, ``"M"`` or empty.
        source: the source of the definition.
    """

    flag: str
    agency: str
    required: bool
    meaning: str
    disclaim_note: str
    confidence: str
    requirement: str = ""
    source: str = ""


def read_pga_flags(text: str, *, source: str = "<pga flags>") -> tuple[PgaFlag, ...]:
    """Read PGA flag codes from CSV text in the layout of the project's flag-code table.

    Raises:
        InputError: a required column is missing.
    """
    rows = _csv_rows(text, source, ("flag", "agency", "required_or_may", "meaning", "confidence"))
    return tuple(
        PgaFlag(
            flag=row["flag"].strip().upper(),
            agency=row["agency"].strip(),
            required=row["required_or_may"].strip().upper() == "R",
            meaning=row["meaning"].strip(),
            disclaim_note=row.get("disclaim_note", "").strip(),
            confidence=row["confidence"].strip(),
            requirement=row["required_or_may"].strip().upper(),
            source=row.get("source", "").strip(),
        )
        for row in rows
    )


@functools.cache
def _pga_flags() -> tuple[PgaFlag, ...]:
    return read_pga_flags(_data_text(PGA_FLAGS_FILE), source=PGA_FLAGS_FILE)


def pga_flag_codes() -> dict[str, PgaFlag]:
    """The bundled PGA flag codes, keyed by code (a new dict on each call).

    A code missing from this table is unknown to it, not non-existent: the table holds the 38
    codes found in public sources.
    """
    return {flag.flag: flag for flag in _pga_flags()}


# ---------------------------------------------------------------------------------------------
# Quota goods (bundled list)
#
# The bundled list and the object ELG011 consults live here, not in t86audit.reference._files, so
# an audit of the bundled tables never imports the file readers; a user's table
# (:class:`QuotaTable`) is read there and joins the bundled list in :class:`QuotaLists`.

QUOTA_LINE_ROLES = {
    "in_quota": "in-quota line",
    "over_quota": "over-quota line",
    "gn15_in_quota_rate": "general note 15 line",
}
"""The ``quota_line`` values of :class:`QuotaListing` and how a message names them."""


@attrs.frozen
class QuotaListing:
    """One 8-digit subheading of the bundled quota list: goods of a class or kind under a quota.

    Attributes:
        hts_prefix: the subheading, as 8 digits; every number starting with it is covered.
        quota_type: ``"tariff-rate quota"`` (the list holds no absolute quota: none was found in
            the 2025 schedule).
        quota_line: ``"in_quota"`` (the line "described in additional U.S. note N ... and
            entered pursuant to its provisions"), ``"over_quota"`` (its "Other" sibling) or
            ``"gn15_in_quota_rate"`` (the line "described in general note 15", the quota's
            exclusions, at the in-quota rate). 19 CFR 10.153(g) bars the class or kind of
            goods whether the quota is open or closed, so all three count.
        provision: the U.S. note that sets the quota (``"additional U.S. note 5 to chapter
            17"``); a general note 15 line names the notes of its group's quota lines.
        commodity: the schedule's description chain of the subheading's group.
        confidence: ``V`` (the line is printed so in the HTSUS; primary text).
        basis: how the row was obtained (``source``, ``provision derived`` or ``added``; see
            ``data/README.md``).
        source: key of the row's source (``usitc-2025-rev18``, ``usitc-2025-05-26``).
    """

    hts_prefix: str
    quota_type: str
    quota_line: str
    provision: str
    commodity: str = ""
    confidence: str = ""
    basis: str = ""
    source: str = ""

    def describe(self) -> str:
        """``"tariff-rate quota of additional U.S. note 6 to chapter 4 (Butter; ...)"``."""
        role = QUOTA_LINE_ROLES.get(self.quota_line, self.quota_line)
        goods = self.commodity.split(_ARTICLE_SEPARATOR)
        short = goods[0] if len(goods) == 1 else f"{goods[0]} > {goods[-1]}"
        what = f"{self.quota_type} of {self.provision}" if self.provision else self.quota_type
        return f"{what} ({_shorten_text(short)}; {_dotted8(self.hts_prefix)}, {role})"


def _shorten_text(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def _dotted8(digits: str) -> str:
    parts = [digits[:4]] + [digits[i : i + 2] for i in range(4, len(digits), 2)]
    return ".".join(p for p in parts if p)


class QuotaList:
    """The bundled list of goods under a tariff-rate quota (:func:`quota_list`).

    A number is covered when it starts with one of the list's 8-digit subheadings. Matching is
    by subheading only, never by heading or chapter: a heading holds quota and non-quota lines
    side by side (0405.20.40 or 1701.91.80 are not quota goods).

    >>> [g.provision for g in quota_list().matches("1701.14.10.20")]
    ['additional U.S. note 5 to chapter 17']

    Attributes:
        goods: the list's rows.
        snapshot: the list's identity (source, date, hash).
    """

    def __init__(self, goods: Iterable[QuotaListing], snapshot: Snapshot) -> None:
        self.goods: tuple[QuotaListing, ...] = tuple(goods)
        self.snapshot = snapshot
        index: dict[str, list[QuotaListing]] = {}
        for good in self.goods:
            index.setdefault(good.hts_prefix, []).append(good)
        self._index = index
        self._lengths = sorted({len(p) for p in index})

    def matches(self, hts_digits: str, country: str = "") -> tuple[QuotaListing, ...]:
        """The rows covering this HTS number, shortest prefix first.

        ``country`` is ignored: a quota bars the class or kind of goods whatever the origin.
        """
        del country
        digits = _digits(hts_digits)
        found: list[QuotaListing] = []
        for length in self._lengths:
            if length > len(digits):
                break
            found.extend(self._index.get(digits[:length], ()))
        return tuple(found)

    def __len__(self) -> int:
        return len(self.goods)

    def __repr__(self) -> str:
        return f"<QuotaList {self.snapshot.date} rows={len(self.goods)}>"


class QuotaLists:
    """The quota lists an audit consults together: the bundled list and the user's table.

    ``ReferenceSet.quota`` is one of these. :meth:`matches` returns every list's matching
    rows; :attr:`tables` gives each list with its own snapshot, so a finding can say which
    list named the goods.

    Attributes:
        tables: the lists, bundled first (each has ``matches()`` and ``snapshot``).
    """

    def __init__(self, tables: Iterable[Any]) -> None:
        self.tables: tuple[Any, ...] = tuple(tables)

    def matches(self, hts_digits: str, country: str = "") -> tuple[Any, ...]:
        """Every list's rows covering this number (and origin), list by list."""
        return tuple(g for table in self.tables for g in table.matches(hts_digits, country))

    @property
    def snapshots(self) -> tuple[Snapshot, ...]:
        """The identities of the lists."""
        return tuple(table.snapshot for table in self.tables)

    def __len__(self) -> int:
        return sum(len(table) for table in self.tables)

    def __repr__(self) -> str:
        return f"<QuotaLists {[t.snapshot.name for t in self.tables]}>"


@functools.cache
def quota_list() -> QuotaList:
    """The bundled list of goods under a tariff-rate quota (HTSUS 2025 Revision 18)."""
    rows = _csv_rows(_data_text(QUOTA_FILE), QUOTA_FILE, ("hts", "quota_line", "provision"))
    goods = [
        QuotaListing(
            hts_prefix=row["hts"],
            quota_type=row.get("quota_type", ""),
            quota_line=row["quota_line"],
            provision=row["provision"],
            commodity=row.get("commodity", ""),
            confidence=row.get("confidence", ""),
            basis=row.get("basis", ""),
            source=row.get("source", ""),
        )
        for row in rows
    ]
    return QuotaList(goods, _snapshot("quota_goods"))


# ---------------------------------------------------------------------------------------------
# HTSUS editions of 2025 (which numbers were valid on which date)


@attrs.frozen
class HtsEdition:
    """One dated revision of the HTSUS.

    Attributes:
        revision: the revision's key (``"basic"``, ``"rev_16"``).
        label: how a message names it (``"2025 rev 16"``).
        date: the date it took effect, as the bundled revision table gives it (partly
            publication dates: see the ``htsus_editions`` caveats).
        subheadings_listed: whether every 8-digit subheading of this revision is known (its
            count of 8-digit subheadings equals the snapshot's); when not, a subheading added
            after the snapshot without statistical rows is unknown to the data.
    """

    revision: str
    label: str
    date: dt.date
    subheadings_listed: bool = True


class HtsEditions:
    """The 10-digit numbers of every 2025 revision of the HTSUS, built on the bundled snapshot.

    The snapshot (2025-05-26) is one revision; the numbers that were not in every 2025
    revision are listed with the first and last revision that had them. So for a date from the
    first revision's to :attr:`covers_to`, the schedule in force can be told:
    :meth:`is_valid` answers for a number and a revision.

    >>> editions = hts_editions()
    >>> feb, aug = editions.in_force(dt.date(2025, 2, 10)), editions.in_force(dt.date(2025, 8, 10))
    >>> feb.label, editions.is_valid("0901110045", feb), editions.is_valid("0901110045", aug)
    ('2025 rev 3', True, False)

    Attributes:
        editions: the revisions, oldest first.
        snapshot: the identity of the revision table.
        covers_to: the last day the newest revision is taken to be in force.
        snapshot_revision: the revision the bundled schedule is.
    """

    def __init__(
        self,
        editions: Sequence[HtsEdition],
        changes: Mapping[str, tuple[str, str]],
        schedule: HtsSchedule,
        *,
        snapshot_revision: str,
        covers_to: dt.date,
        snapshot: Snapshot,
    ) -> None:
        self.editions: tuple[HtsEdition, ...] = tuple(sorted(editions, key=lambda e: e.date))
        position = {e.revision: i for i, e in enumerate(self.editions)}
        self._position = position
        self._changes = {n: (position[a], position[b]) for n, (a, b) in changes.items()}
        self._changed_sorted = sorted(self._changes)
        self._schedule = schedule
        self.snapshot_revision = snapshot_revision
        self.covers_to = covers_to
        self.snapshot = snapshot
        self._dates = [e.date for e in self.editions]

    @property
    def covers_from(self) -> dt.date:
        """The first day of the oldest revision."""
        return self.editions[0].date

    def covers(self, day: dt.date) -> bool:
        """Whether the revision in force on this day is known."""
        return self.covers_from <= day <= self.covers_to

    def in_force(self, day: dt.date) -> HtsEdition | None:
        """The revision in force on this day by the bundled dates; ``None`` outside coverage."""
        if not self.covers(day):
            return None
        return self.editions[bisect.bisect_right(self._dates, day) - 1]

    def around(self, day: dt.date, margin_days: int) -> tuple[HtsEdition, ...]:
        """The revisions in force on some day within ``margin_days`` of this one, oldest first.

        Covered days only: these are the revisions a revision date uncertain by that margin may
        have put in force on the day.
        """
        margin = dt.timedelta(days=max(margin_days, 0))
        start, end = max(day - margin, self.covers_from), min(day + margin, self.covers_to)
        if start > end:
            return ()
        first = bisect.bisect_right(self._dates, start) - 1
        last = bisect.bisect_right(self._dates, end) - 1
        return self.editions[first : last + 1]

    def is_valid(self, digits10: str, edition: HtsEdition) -> bool:
        """Whether the number is a valid 10-digit number of the revision."""
        digits = _digits(digits10)
        span = self._changes.get(digits)
        if span is None:
            return self._schedule.is_valid(digits)
        return span[0] <= self._position[edition.revision] <= span[1]

    def numbers_with_prefix(self, prefix: str, edition: HtsEdition) -> list[str]:
        """The revision's valid numbers starting with these digits, ascending."""
        digits = _digits(prefix)
        found = set(self._schedule.numbers_with_prefix(digits))
        at = bisect.bisect_left(self._changed_sorted, digits)
        for number in self._changed_sorted[at:]:
            if not number.startswith(digits):
                break
            found.add(number)
        return sorted(n for n in found if self.is_valid(n, edition))

    def first_with(self, digits10: str) -> HtsEdition | None:
        """The oldest revision that has this number, or ``None``."""
        return next((e for e in self.editions if self.is_valid(digits10, e)), None)

    def changed(self, digits10: str) -> bool:
        """Whether the number was not in every revision."""
        return _digits(digits10) in self._changes

    def __repr__(self) -> str:
        return (
            f"<HtsEditions {self.editions[0].label} .. {self.editions[-1].label}, "
            f"{len(self._changes)} changed numbers>"
        )


@functools.cache
def hts_editions() -> HtsEditions:
    """The bundled 2025 HTSUS revisions over the bundled snapshot, parsed on first call."""
    raw: Any = json.loads(_data_text(HTS_EDITIONS_FILE))
    editions = [
        HtsEdition(
            revision=e["revision"],
            label=e["label"],
            date=dt.date.fromisoformat(e["date"]),
            subheadings_listed=bool(e["subheadings_listed"]),
        )
        for e in raw["editions"]
    ]
    changes = {number: (first, last) for number, first, last in raw["changes"]}
    return HtsEditions(
        editions,
        changes,
        hts_schedule(),
        snapshot_revision=raw["snapshot_revision"],
        covers_to=dt.date.fromisoformat(raw["covers_to"]),
        snapshot=_snapshot("htsus_editions"),
    )


# ---------------------------------------------------------------------------------------------
# Reading source and user files, writing the package data, user-supplied tables
#
# These live in t86audit.reference._files and are imported from there on first use (PEP 562):
# an audit of the bundled tables needs none of them, and leaving them out makes this module,
# which every audit imports, a third smaller to compile when Python caches no bytecode. No
# public source lists the PGA flags of HTS numbers in a usable form, so t86audit ships no such
# table: the rules that need it report "not applicable" until the user supplies one. A user's
# quota table extends (or replaces) the bundled quota list (formats: examples/tables/README.md).
# Their names stand in __all__ with the others (and, for type checkers, in the import under
# TYPE_CHECKING at the top); _files lists them in its own __all__, and a test holds the two to
# the same names.


def __getattr__(name: str) -> Any:
    """Import a name of :mod:`t86audit.reference._files` on first use and keep it here."""
    # Only a name this module does not define reaches here, so a public one is _files's.
    if name not in __all__:
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)
    from t86audit.reference import _files  # noqa: PLC0415

    value = getattr(_files, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The module's globals and every public name, imported or not."""
    return sorted({*globals(), *__all__})
