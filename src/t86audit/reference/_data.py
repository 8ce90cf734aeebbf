"""The reference tables' shared ground: file names, formats, snapshots, CSV reading, HTS data.

Both the tables (:mod:`t86audit.reference`) and the readers and writers of source and user files
(:mod:`t86audit.reference._files`) build on this module, so neither imports the other's.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import attrs

from t86audit.exceptions import InputError


# Names of the package data files; the build script writes exactly these.
HTS_FILE = "hts.tsv.gz"
HTS_VOCABULARY_FILE = "hts_vocabulary.tsv.gz"
PORTS_FILE = "ports.csv"
DISTRICTS_FILE = "districts.csv"
VAGUE_TERMS_FILE = "vague_terms.json"
ADCVD_ORDERS_FILE = "adcvd_orders.csv"
ADCVD_ORDER_HTS_FILE = "adcvd_order_hts.csv"
PGA_FLAGS_FILE = "pga_flag_codes.csv"
QUOTA_FILE = "quota_goods.csv"
HTS_EDITIONS_FILE = "hts_editions_2025.json"
METADATA_FILE = "metadata.json"

_PACKAGE = Path(__file__).parent.parent  # (not resolved: a linked file reads its own tree)


def package_bytes(*parts: str) -> bytes:
    """The bytes of a file shipped in the package (``package_bytes("data", "ports.csv")``).

    Read from the folder beside the code; through :mod:`importlib.resources` only when the
    package is not in a folder (a zip archive). Why not always: importing that module (with
    tempfile, shutil and the compression modules) costs a ten-entry audit some 8 ms.
    """
    try:
        return _PACKAGE.joinpath(*parts).read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        from importlib import resources  # noqa: PLC0415

        return resources.files("t86audit").joinpath(*parts).read_bytes()


_HTS_HEADER = "#t86audit-hts\t2"
_HTS_HEADER_1 = "#t86audit-hts\t1"  # the first format, still read
_NON_DIGITS = re.compile(r"[^0-9]")
_ARTICLE_SEPARATOR = " > "


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


def _csv_table(
    text: str, source: str, required: Sequence[str]
) -> tuple[list[str], list[list[str]]]:
    """Parse CSV text into its (stripped) header and its rows, blank rows left out.

    Every row has a cell per header name: a short row's missing cells are blank, a long row's
    extra cells are dropped. The required columns must exist.
    """
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, None)
        if header is None:
            raise InputError(source, "the file is empty; a header row is required")
        names = [h.strip() for h in header]
        for column in required:
            if column not in names:
                raise InputError(source, "missing required column", column=column)
        width = len(names)
        rows = [
            values if len(values) >= width else values + [""] * (width - len(values))
            for values in reader
            if "".join(values).strip()
        ]
    except csv.Error as exc:
        raise InputError(source, f"not readable as CSV ({exc})") from exc
    return names, rows


def _csv_rows(text: str, source: str, required: Sequence[str]) -> list[dict[str, str]]:
    """Parse CSV text into rows keyed by (stripped) header; check the required columns exist."""
    names, rows = _csv_table(text, source, required)
    return [dict(zip(names, cells, strict=False)) for cells in rows]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


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


def _digits(text: str) -> str:
    # Most numbers asked about are digits already (a line's hts_digits): no substitution.
    if text.isascii() and text.isdigit():
        return text
    return _NON_DIGITS.sub("", text)


_CHAPTER_WORDS_HEADER = "#t86audit-chapter-words\t1"
