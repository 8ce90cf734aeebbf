"""Bundled reference data: HTSUS snapshot, port codes, vague terms, AD/CVD orders, PGA flags.

Every table ships inside the package (``t86audit/data``) in a compact form, with a
:class:`Snapshot` naming its source, date and content hash, so a report can say which data a
finding was judged against. ``data/README.md`` describes each table's source and how complete it
is; :func:`provenance` gives the same record to programs.

Nothing is read at import time. Each loader (:func:`hts_schedule`, :func:`port_table`,
:func:`vague_terms`, :func:`adcvd_table`, :func:`pga_flag_codes`) parses its file on the first
call and caches the result, so a script that audits ten entries without a classification rule
never pays for the HTSUS.

A user with a newer schedule or order list passes it in the format of the project's source
tables: :meth:`HtsSchedule.from_csv` and :meth:`AdcvdTable.from_csv`. The code that derives the
bundled HTSUS table from the source CSV (:func:`derive_hts_data`) is the same code that reads a
user's file, so both give the same answers for the same schedule.
"""

from __future__ import annotations

import bisect
import csv
import functools
import gzip
import hashlib
import io
import json
import re
import types
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from t86audit.exceptions import InputError, T86AuditError
from t86audit.normalize import normalize_text


__all__ = [
    "HTS_CSV_COLUMNS",
    "PORT_CODE_CLASSES",
    "AdcvdOrder",
    "AdcvdTable",
    "HtsData",
    "HtsSchedule",
    "PgaFlag",
    "Port",
    "PortTable",
    "Snapshot",
    "TableProvenance",
    "VagueTerm",
    "adcvd_table",
    "classify_port_code",
    "content_words",
    "decode_hts_data",
    "derive_hts_data",
    "encode_hts_data",
    "hts_schedule",
    "manifest_sha256",
    "parse_vague_term",
    "pga_flag_codes",
    "port_table",
    "provenance",
    "read_adcvd_orders",
    "read_hts_rows",
    "read_pga_flags",
    "snapshots",
    "split_examples",
    "vague_terms",
    "vague_terms_snapshot",
]

# Names of the package data files; the build script writes exactly these.
HTS_FILE = "hts.tsv.gz"
PORTS_FILE = "ports.csv"
DISTRICTS_FILE = "districts.csv"
VAGUE_TERMS_FILE = "vague_terms.json"
ADCVD_ORDERS_FILE = "adcvd_orders.csv"
ADCVD_ORDER_HTS_FILE = "adcvd_order_hts.csv"
PGA_FLAGS_FILE = "pga_flag_codes.csv"
METADATA_FILE = "metadata.json"

HTS_CSV_COLUMNS = ("chapter", "htsno", "indent", "description")
"""Columns a schedule CSV must have (the shared snapshot's layout; other columns are ignored)."""

_HTS_HEADER = "#t86audit-hts\t1"
_HTSNO_RE = re.compile(r"^[0-9]{4}(?:\.?[0-9]{2}){0,3}$")
_NON_DIGITS = re.compile(r"[^0-9]")
_PAREN = re.compile(r"\(([^()]*)\)")
_EXAMPLE_SPLIT = re.compile(r"\(\s*e\.g\.", re.IGNORECASE)
_BY_ITSELF = re.compile(r"\bby itself\b", re.IGNORECASE)
_ARTICLE_SEPARATOR = " > "

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
class Snapshot:
    """The identity of one reference table, for a report's audit trail.

    Attributes:
        name: the table's stable name (``"htsus"``, ``"ports"``, ``"vague_terms"``,
            ``"adcvd_china"``, ``"pga_flag_codes"``).
        source: where the data comes from, including the source file name(s).
        date: the date of the data (ISO 8601; ``YYYY-MM`` when the sources give no day; empty
            when unknown, e.g. a user's file).
        sha256: SHA-256 of the source file; for a table built from several files, of their
            ``sha256sum``-style manifest (one ``"<sha256>  <file>"`` line per file, sorted by
            file name).
        note: what the data does not cover, in one or two sentences.
    """

    name: str
    source: str
    date: str
    sha256: str
    note: str = ""


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
    return (resources.files("t86audit") / "data" / name).read_bytes()


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


def _csv_rows(text: str, source: str, required: Sequence[str]) -> list[dict[str, str]]:
    """Parse CSV text into rows keyed by (stripped) header; check the required columns exist."""
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, None)
        if header is None:
            raise InputError(source, "the file is empty; a header row is required")
        names = [h.strip() for h in header]
        for column in required:
            if column not in names:
                raise InputError(source, "missing required column", column=column)
        rows: list[dict[str, str]] = []
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            rows.append({n: (values[i] if i < len(values) else "") for i, n in enumerate(names)})
    except csv.Error as exc:
        raise InputError(source, f"not readable as CSV ({exc})") from exc
    return rows


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------------------------------------
# HTSUS


@attrs.frozen
class HtsData:
    """The HTSUS table derived from a schedule: valid numbers, article texts, headings.

    Attributes:
        articles: every valid 10-digit number -> its article description, the chain of its
            ancestors' texts from the heading down (``"T-shirts, ... > Of cotton > ..."``).
        chapters: every valid 10-digit number -> its two-digit chapter.
        implied: the numbers valid only as an 8-digit subheading with no statistical rows,
            reported with the suffix ``00``.
        headings: four-digit heading -> its text.
    """

    articles: Mapping[str, str]
    chapters: Mapping[str, str]
    implied: frozenset[str]
    headings: Mapping[str, str]


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
    """Serialise an HTSUS table to the compact package format (gzip-compressed, tab-separated).

    The output is byte-for-byte reproducible: lines are sorted and the gzip header carries no
    time stamp. Line kinds: ``H`` heading, ``N`` printed statistical number, ``I`` number valid
    by the ``00`` rule; columns: kind, number, chapter, text.
    """
    lines = [_HTS_HEADER]
    lines.extend(f"H\t{h}\t{h[:2]}\t{text}" for h, text in sorted(data.headings.items()))
    for number in sorted(data.articles):
        kind = "I" if number in data.implied else "N"
        lines.append(f"{kind}\t{number}\t{data.chapters[number]}\t{data.articles[number]}")
    payload = ("\n".join(lines) + "\n").encode("utf-8")
    return gzip.compress(payload, compresslevel=9, mtime=0)


def decode_hts_data(blob: bytes) -> HtsData:
    """Read an HTSUS table written by :func:`encode_hts_data`.

    Raises:
        T86AuditError: the data is not in the expected format.
    """
    lines = gzip.decompress(blob).decode("utf-8").split("\n")
    if lines[0] != _HTS_HEADER:
        raise T86AuditError(f"HTSUS data has an unknown format header {lines[0][:40]!r}")
    articles: dict[str, str] = {}
    chapters: dict[str, str] = {}
    implied: list[str] = []
    headings: dict[str, str] = {}
    for line in lines[1:]:
        if not line:
            continue
        kind, number, chapter, text = line.split("\t", 3)
        if kind == "H":
            headings[number] = text
            continue
        articles[number] = text
        chapters[number] = chapter
        if kind == "I":
            implied.append(number)
    return HtsData(
        articles=articles, chapters=chapters, implied=frozenset(implied), headings=headings
    )


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


def _digits(text: str) -> str:
    return _NON_DIGITS.sub("", text)


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
        text, raw = _read_file(path)
        data = read_hts_rows(text, source=str(path))
        snapshot = Snapshot(
            name="htsus",
            source=f"user-supplied schedule {Path(path).name}",
            date=date,
            sha256=_sha256(raw),
            note="schedule supplied by the user; its completeness is the user's responsibility",
        )
        return cls(data, snapshot)

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
        self._ports = {port.code: port for port in ports}
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


@functools.cache
def port_table() -> PortTable:
    """The bundled port-code list, parsed on first call."""
    ports = [
        Port(
            code=row["code"],
            name=row["name"],
            district=row["district"],
            listed_in=row["listed_in"],
            note=row["note"],
            is_port_of_entry=row["code_class"] == "port",
            district_name=row["district_name"],
            code_class=row["code_class"],
        )
        for row in _csv_rows(_data_text(PORTS_FILE), PORTS_FILE, ("code", "code_class"))
    ]
    districts = {
        row["district"]: row["name"]
        for row in _csv_rows(_data_text(DISTRICTS_FILE), DISTRICTS_FILE, ("district", "name"))
    }
    return PortTable(ports, districts, _snapshot("ports"))


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


def _confirmed_flag(row: Mapping[str, str], source: str, row_number: int) -> bool:
    """Read a row's optional ``confirmed`` cell: yes/y/true/1/x, or no/n/false/0/blank."""
    raw = row.get("confirmed", "")
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
        if _confirmed_flag(row, source, row_number)
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
        hts_rows = _csv_rows(order_hts_text, hts_source, ("case_number",))
        for row_number, row in enumerate(hts_rows, start=1):
            case = row["case_number"].strip()
            if case not in case_numbers:
                raise InputError(
                    hts_source,
                    "case number not in the orders table",
                    row=row_number,
                    column="case_number",
                    value=case,
                )
            raw = row.get("hts_digits") or row.get("hts") or ""
            digits = _digits(raw)
            if len(digits) < 4:
                raise InputError(
                    hts_source, "not an HTS number", row=row_number, column="hts", value=raw
                )
            if digits not in prefixes.setdefault(case, []):
                prefixes[case].append(digits)
                if row.get("in_htsus_2025_snapshot", "").strip().lower() == "no":
                    outside.setdefault(case, []).append(digits)
            if _confirmed_flag(row, hts_source, row_number):
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
                if order not in bucket:
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
# User-supplied tables: quota goods, PGA flags of HTS numbers
#
# No public source lists either table in a usable form, so t86audit ships neither: the rules
# that need them report "not applicable" until the user supplies one. The formats are
# documented in examples/tables/README.md, with small examples.

# Appended here, next to the tables, rather than in the list at the top of the module.
__all__ += [
    "PGA_FLAG_TABLE_COLUMNS",
    "QUOTA_TABLE_COLUMNS",
    "PgaFlagTable",
    "PgaHtsFlags",
    "QuotaGood",
    "QuotaTable",
    "read_pga_flag_table",
    "read_quota_table",
]

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
    return Snapshot(
        name=name,
        source=f"user-supplied {what} {Path(path).name}",
        date=date,
        sha256=_sha256(raw),
        note=f"{what} supplied by the user; its completeness is the user's responsibility",
    )


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
        self.snapshot = snapshot or Snapshot(
            name="quota", source="user-supplied quota table (in memory)", date="", sha256=""
        )
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
        self.snapshot = snapshot or Snapshot(
            name="pga_flags", source="user-supplied PGA flag table (in memory)", date="", sha256=""
        )
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
