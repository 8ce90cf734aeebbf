"""The canonical input columns and the matching of a file's header to them.

The column list is the input contract (``contracts.md`` section 1): its order is the order in
which the columns are documented and in which errors about them are reported.
"""

from __future__ import annotations

import csv
import functools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from t86audit.exceptions import InputError
from t86audit.io._values import clip


__all__ = [
    "CANONICAL_COLUMNS",
    "COMMAS",
    "DECIMAL_MARKS",
    "DELIMITERS",
    "ENTRY_LEVEL_COLUMNS",
    "LINE_LEVEL_COLUMNS",
    "REQUIRED_COLUMNS",
    "ColumnPlan",
    "Delimiting",
    "check_decimal",
    "check_delimiter",
    "check_header_delimiter",
    "check_mapping",
    "check_text_options",
    "choose_delimiter",
    "delimiter_error",
    "delimiter_hint",
    "normalize_header",
    "plan_columns",
]

ENTRY_LEVEL_COLUMNS: tuple[str, ...] = (
    "entry_number",
    "entry_type",
    "arrival_date",
    "filed_at",
    "estimated_arrival_date",
    "port_code",
    "mode",
    "bill_of_lading",
    "consignee_name",
    "consignee_address",
    "consignee_city",
    "consignee_state",
    "consignee_postal_code",
    "consignee_country",
    "seller_name",
    "seller_address",
    "seller_country",
    "importer_of_record",
    "pga_data",
)
"""Columns that describe the entry as a whole; they repeat on every line row of the entry."""

LINE_LEVEL_COLUMNS: tuple[str, ...] = (
    "line_number",
    "description",
    "hts_number",
    "country_of_origin",
    "value_usd",
    "quantity",
    "quantity_unit",
    "gross_weight_kg",
    "order_reference",
    "additional_hts",
)
"""Columns that describe one line item."""

CANONICAL_COLUMNS: tuple[str, ...] = ENTRY_LEVEL_COLUMNS + LINE_LEVEL_COLUMNS
"""Every canonical column, in the order of the input contract."""

REQUIRED_COLUMNS: frozenset[str] = frozenset(
    {
        "entry_number",
        "arrival_date",
        "port_code",
        "bill_of_lading",
        "consignee_name",
        "consignee_address",
        "consignee_country",
        "seller_name",
        "seller_address",
        "seller_country",
        "description",
        "hts_number",
        "country_of_origin",
        "value_usd",
        "quantity",
    }
)
"""Columns a file must have (their cells may still be blank: that is data for the rules)."""

_CANONICAL_SET = frozenset(CANONICAL_COLUMNS)
_ORDER = {name: i for i, name in enumerate(CANONICAL_COLUMNS)}


@functools.lru_cache(maxsize=4096)
def normalize_header(header: str) -> str:
    r"""Return the comparison form of a header: lower case, white space runs made one space.

    Surrounding white space is dropped, and a run of it inside the name (a line break typed
    with Alt+Enter to wrap a spreadsheet's header cell, a non-breaking space from a web page,
    two spaces) reads as one space, so ``Entry\nNumber`` is the ``Entry Number`` a mapping
    names: the header the user sees. Cached: JSON keys are compared record after record.
    """
    return " ".join(header.split()).lower()


def check_mapping(mapping: Mapping[Any, Any] | None, source: str) -> dict[str, str]:
    """Validate a column mapping and return it as ``{canonical: header}``, both stripped.

    Args:
        mapping: canonical column name -> the header used in the user's file.
        source: where the mapping came from, for error messages.

    Raises:
        InputError: a key is not a canonical column, a header is blank or not text, or two
            canonical columns are mapped to the same header.
    """
    if not mapping:
        return {}
    unknown = sorted(
        str(key) for key in mapping if normalize_header(str(key)) not in _CANONICAL_SET
    )
    if unknown:
        names = ", ".join(repr(name) for name in unknown)
        raise InputError(
            source,
            f"mapping names unknown canonical column(s) {names}; "
            f"canonical columns are: {', '.join(CANONICAL_COLUMNS)}",
        )
    result: dict[str, str] = {}
    claimed: dict[str, str] = {}
    for key, header in mapping.items():
        canonical = normalize_header(key)
        if not isinstance(header, str) or not header.strip():
            raise InputError(
                source,
                f"mapping for {canonical!r} must be a non-blank header name, got {header!r}",
            )
        if canonical in result:
            raise InputError(source, f"mapping names canonical column {canonical!r} twice")
        wanted = normalize_header(header)
        if wanted in claimed:
            raise InputError(
                source,
                f"mapping assigns header {header.strip()!r} to both {claimed[wanted]!r} "
                f"and {canonical!r}",
            )
        claimed[wanted] = canonical
        result[canonical] = header.strip()
    return result


@attrs.frozen
class ColumnPlan:
    """Where each column of a file's header goes.

    Attributes:
        positions: canonical column -> index of the cell that holds it (absent: not in the file).
        extra: ``(index, name)`` for every other column; ``name`` is the header as filed, white
            space stripped (a blank header is named ``column_N``, N 1-based).
        width: the number of cells a row must have.
        header: the header cells as read, white space stripped (to recognise a repeat of the
            header among the data rows, as files put one after another have).
    """

    positions: Mapping[str, int]
    extra: tuple[tuple[int, str], ...]
    width: int
    header: tuple[str, ...] = ()


def plan_columns(
    header: Sequence[str],
    mapping: Mapping[str, str],
    source: str,
    *,
    required: Iterable[str] = REQUIRED_COLUMNS,
    what: str = "column",
    header_note: bool = True,
    delimiting: Delimiting | None = None,
) -> ColumnPlan:
    """Match a header row to the canonical columns.

    Headers are compared case-insensitively, ignoring surrounding white space. A mapped header
    takes the canonical name it is mapped to; a header equal to a canonical name takes it unless
    that canonical name is mapped elsewhere, in which case two headers would claim one column.

    Args:
        header: the header cells as read.
        mapping: the output of :func:`check_mapping`.
        source: the file, for error messages.
        required: the canonical columns that must be present.
        what: the word for a column in messages (``"column"`` or ``"key"``).
        header_note: when no header is a canonical column at all, quote the row read as the
            header in the error (a caller that names the row itself passes ``False``).
        delimiting: how a delimited text file's header was split (default: at commas), for
            the message about a header that seems to be split at the wrong delimiter.

    Raises:
        InputError: a header occurs twice, two headers claim one canonical column, a mapped
            header is not in the file, or a required column is missing.
    """
    _check_not_delimiter_hint(header, source)
    if header and header[0].startswith(("\u00ff\u00fe", "\u00fe\u00ff")):
        # UTF-16 read one byte a character: every other character is NUL, so the headers
        # would first be reported as duplicates of '\x00'.
        raise InputError(
            source,
            "the file cannot be read as text in this encoding" + _byte_order_mark_hint(header),
        )
    by_header = {normalize_header(wanted): canonical for canonical, wanted in mapping.items()}
    seen: dict[str, int] = {}
    positions: dict[str, int] = {}
    extra: list[tuple[int, str]] = []
    for index, raw in enumerate(header):
        name = raw.strip()
        normal = normalize_header(name)
        if not name:
            # A trailing delimiter on the header line gives blank headers; name them by
            # position so two of them do not collide and their cells are still kept.
            extra.append((index, f"column_{index + 1}"))
            continue
        if normal in seen:
            raise InputError(
                source,
                f"duplicate {what} {name!r} ({what}s {seen[normal] + 1} and {index + 1}; "
                "headers are compared case-insensitively, ignoring surrounding spaces)",
                column=name,
            )
        seen[normal] = index
        canonical = by_header.get(normal)
        if canonical is None and normal in _CANONICAL_SET:
            canonical = normal
        if canonical is None:
            extra.append((index, name))
            continue
        if canonical in positions:
            other = header[positions[canonical]].strip()
            raise InputError(
                source,
                f"{what}s {other!r} and {name!r} both supply {canonical!r} "
                "(one directly, one through the mapping); remove one or change the mapping",
                column=canonical,
            )
        positions[canonical] = index
    unmatched = [
        c
        for c, wanted in mapping.items()
        if c not in positions or normalize_header(wanted) not in seen
    ]
    missing = sorted((c for c in required if c not in positions), key=_ORDER.__getitem__)
    used = delimiting or COMMAS
    split_note = ""
    if (unmatched or missing) and what == "column":
        # Only on the way to an error: a header that is another delimiter's, read at the
        # commas inside its names, would be reported as columns missing (or a mapping's
        # headers not found), and the user told to fix a mapping that is right.
        split = _other_delimiter(header, used.delimiter)
        if split is not None and used.given:
            # The delimiter named is used as named: the message says what the header holds.
            split_note = (
                f"; the header row was split at {used.delimiter!r} as delimiter="
                f"{used.delimiter!r} asks, but it splits into more columns at {split[1]}"
            )
        elif split is not None:
            raise InputError(
                source,
                delimiter_error(
                    *split,
                    single=len(header) == 1,
                    used=used.delimiter,
                    hinted=used.found == "sep line",
                ),
            )
    if unmatched:
        listed = ", ".join(
            f"{c!r} -> {mapping[c]!r}" for c in sorted(unmatched, key=_ORDER.__getitem__)
        )
        raise InputError(
            source,
            f"the mapping names {what}(s) the input does not have: {listed}{split_note}",
            column=unmatched[0] if len(unmatched) == 1 else None,
        )
    if missing:
        raise InputError(
            source,
            f"missing required {what}(s): {', '.join(missing)}; "
            "pass a column mapping if the file uses other names"
            + _mapping_hint(missing, positions, extra, what)
            + _byte_order_mark_hint(header)
            + split_note
            + (
                _header_row_note(header, what)
                if header_note and not positions and not split_note
                else ""
            ),
            column=missing[0] if len(missing) == 1 else None,
        )
    return ColumnPlan(
        positions=positions,
        extra=tuple(extra),
        width=len(header),
        header=tuple(cell.strip() for cell in header),
    )


_MISREAD_MARKS = {
    "\u00ef\u00bb\u00bf": "UTF-8",  # EF BB BF, read as Latin-1 or cp1252
    "\u00ff\u00fe": "UTF-16",  # FF FE
    "\u00fe\u00ff": "UTF-16",  # FE FF
}
"""A byte-order mark as another encoding reads it, and the encoding it marks."""


def _byte_order_mark_hint(header: Sequence[str]) -> str:
    """Why the first header is not found, when it begins with a byte-order mark misread."""
    first = header[0] if header else ""
    for mark, encoding in _MISREAD_MARKS.items():
        if first.startswith(mark):
            # UTF-8 is the default; a UTF-16 file (Excel's "Unicode Text") must be named.
            how = (
                "read it without --encoding (and a file in another encoding in a run of its own)"
                if encoding == "UTF-8"
                else "pass --encoding utf-16 (encoding='utf-16')"
            )
            return (
                f"; the first header begins with {mark!r}, the byte-order mark of a {encoding} "
                f"file read in another encoding: this file is {encoding}, so {how}"
            )
    return ""


def _check_not_delimiter_hint(header: Sequence[str], source: str) -> None:
    """Refuse Excel's ``sep=,`` line, read as the header row of a table, with what to do.

    A delimited text file's ``sep=`` line is honoured before its header is read
    (:func:`choose_delimiter`); a worksheet or a table built in memory whose first row is
    such a line would have every required column reported missing.

    Raises:
        InputError: the header is such a line.
    """
    cells = [cell.strip() for cell in header]
    if 1 <= len(cells) <= 2 and cells[0].lower().startswith("sep=") and not any(cells[1:]):
        line = ",".join(header)
        raise InputError(
            source,
            f"the first line {clip(line)!r} is a spreadsheet's delimiter hint, not the header "
            "row: delete that line (the header must be the first line)",
        )


DELIMITERS: Mapping[str, str] = {
    ",": "commas",
    ";": "semicolons",
    "\t": "tabs",
    "|": "vertical bars",
}
"""The delimiters a CSV file may use, and their names in messages (the comma first)."""

_OTHER_DELIMITERS = tuple((d, word) for d, word in DELIMITERS.items() if d != ",")

_DELIMITER_SPELLINGS: Mapping[str, str] = {
    ",": ",",
    "comma": ",",
    ";": ";",
    "semicolon": ";",
    "\t": "\t",
    "\\t": "\t",
    "tab": "\t",
    "|": "|",
    "pipe": "|",
    "bar": "|",
}
"""How ``delimiter=`` (and ``--delimiter``) may name each delimiter: ``tab`` and ``\\t`` are
what a shell lets a user type for a tab."""


def check_delimiter(delimiter: object, source: str) -> str | None:
    """The delimiter character ``delimiter=`` names, or ``None`` (found from the file).

    Raises:
        InputError: it names none of the comma, semicolon, tab or vertical bar.
    """
    if delimiter is None:
        return None
    found = _DELIMITER_SPELLINGS.get(delimiter.lower()) if isinstance(delimiter, str) else None
    if found is None:
        raise InputError(
            source,
            f"unknown delimiter {delimiter!r}; use ',', ';', '\\t' (or 'tab') or '|'",
        )
    return found


DECIMAL_MARKS = (".", ",")
"""The decimal marks ``decimal=`` (and ``--decimal``) take: the U.S. point, or the comma."""


def check_decimal(decimal: object, source: str) -> str:
    """``decimal=`` checked: ``"."`` or ``","``.

    Raises:
        InputError: it is neither.
    """
    if decimal not in DECIMAL_MARKS:
        raise InputError(source, f"unknown decimal mark {decimal!r}; use '.' (the default) or ','")
    return str(decimal)


def check_text_options(delimiter: str | None, decimal: str, source: str) -> None:
    """Refuse ``delimiter=`` or ``decimal=","`` given when no input is a delimited text file.

    Raises:
        InputError: either is given (they would be silently ignored).
    """
    given = [
        f"{option}={value!r}"
        for option, value, default in (("delimiter", delimiter, None), ("decimal", decimal, "."))
        if value != default
    ]
    if given:
        raise InputError(
            source,
            f"{' and '.join(given)} {'is' if len(given) == 1 else 'are'} given but no input "
            "is a CSV (delimited text) file",
        )


@attrs.frozen
class Delimiting:
    """How a delimited text file is split into cells, and why.

    Attributes:
        delimiter: the delimiter character.
        found: where it came from: ``"given"`` (``delimiter=``), ``"suffix"`` (a ``.tsv``
            file's tab), ``"sep line"`` (an Excel ``sep=`` first line), ``"header row"`` (the
            header splits at it into the canonical columns), or ``""`` (the comma, by default).
        hint_line: the file's first non-blank line is a ``sep=`` line, skipped before the
            header (the CSV reader still reads it, so that line numbers stay the file's).
    """

    delimiter: str = ","
    found: str = ""
    hint_line: bool = False

    @property
    def given(self) -> bool:
        """Whether the caller named the delimiter (``delimiter=``)."""
        return self.found == "given"

    def why(self) -> str:
        """How the delimiter was found, as a note says it (``""`` for the default comma)."""
        return {
            "given": "as asked",
            "suffix": "a .tsv file's",
            "sep line": "its first line's sep= says so",
            "header row": "its header row splits at them into the canonical columns",
        }.get(self.found, "")


COMMAS = Delimiting()
"""The default: a comma-separated file without a ``sep=`` line."""

_HINT_RE = re.compile(r"[ \t]*sep=(.)(.*)", re.IGNORECASE | re.DOTALL)


def delimiter_hint(line: str) -> str | None:
    """The delimiter an Excel ``sep=`` line names (``sep=;`` gives ``";"``), else ``None``.

    Excel writes the line as ``sep=X``; a spreadsheet that saved the file again may have added
    delimiters after it (``sep=;;;``, ``sep=;,,``). Only the line itself is looked at.
    """
    if "sep=" not in line[:8].lower():
        return None
    match = _HINT_RE.fullmatch(line.rstrip("\r\n"))
    if match is None:
        return None
    delimiter, rest = match.groups()
    if rest.strip(delimiter + ",;|\t "):
        return None  # text after the hint: not a hint line (a header cell 'sep=...')
    return delimiter


def _split(line: str, delimiter: str) -> list[str]:
    """One header line split at ``delimiter`` as the CSV reader would split it."""
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return [line]  # (a quoted header cell that goes on to the next line: not split here)


def _recognised(cells: Sequence[str], mapped: Mapping[str, str]) -> frozenset[str]:
    """The canonical columns the header cells name, directly or through the mapping."""
    found = set()
    for cell in cells:
        normal = normalize_header(cell)
        canonical = mapped.get(normal) or (normal if normal in _CANONICAL_SET else None)
        if canonical is not None:
            found.add(canonical)
    return frozenset(found)


_CLEAR_SPLIT = 2
"""The canonical columns a header must split into at a delimiter for it to be taken."""


def choose_delimiter(
    first: Sequence[str],
    mapping: Mapping[str, str],
    source: str,
    *,
    given: str | None = None,
    default: str = ",",
) -> Delimiting:
    """The delimiter of a delimited text file, from its first lines.

    ``first`` holds the file's first non-blank line, and the next one when that is a ``sep=``
    line, which is skipped. In order: ``given`` (``delimiter=``) is used; else a ``sep=`` line
    names the delimiter; else ``default`` when it is not the comma (a ``.tsv`` file's tab);
    else the header row decides. Commas are taken when the row split at them holds every
    required column, or when no other delimiter splits it into at least two canonical columns
    (directly or through ``mapping``) and into more of them than the commas do. Exactly one
    such delimiter is taken; two are refused, naming both: a delimiter is never guessed.

    Raises:
        InputError: the ``sep=`` line names a delimiter t86audit does not read (and none is
            given), or the header splits into canonical columns at two delimiters.
    """
    hint = delimiter_hint(first[0]) if first else None
    if hint is not None:
        line = clip(first[0].rstrip("\r\n"))
        if hint not in DELIMITERS and given is None:
            raise InputError(
                source,
                f"the first line {line!r} is a spreadsheet's delimiter hint naming {hint!r}, "
                "which t86audit does not read: export the file delimited by commas, "
                "semicolons, tabs or vertical bars",
            )
        # A delimiter given wins over the line (a wrong line is then no reason to edit a
        # large file); the line is passed over either way: it is not the header.
        if given is not None:
            return Delimiting(given, "given", hint_line=True)
        return Delimiting(hint, "sep line", hint_line=True)
    if given is not None:
        return Delimiting(given, "given")
    if default != ",":
        return Delimiting(default, "suffix")
    header = first[0] if first else ""
    if not any(d in header for d in ";\t|"):
        return COMMAS  # (every comma-separated file but a few: nothing to compare)
    mapped = {normalize_header(wanted): canonical for canonical, wanted in mapping.items()}
    found = {d: _recognised(_split(header, d), mapped) for d in DELIMITERS}
    if found[","] >= REQUIRED_COLUMNS:
        return COMMAS
    candidates = [
        d
        for d, _ in _OTHER_DELIMITERS
        if len(found[d]) >= _CLEAR_SPLIT and len(found[d]) > len(found[","])
    ]
    if candidates and len(found[","]) >= _CLEAR_SPLIT:
        candidates.insert(0, ",")
    if len(candidates) > 1:
        split = " and ".join(
            f"at {DELIMITERS[d]} into {len(found[d])} ({_some(found[d])})" for d in candidates
        )
        named = " or ".join(f"delimiter={d!r}" for d in candidates)
        raise InputError(
            source,
            f"the header row splits into canonical columns at two delimiters, {split}: "
            f"which one the file uses cannot be told; pass {named}",
        )
    return Delimiting(candidates[0], "header row") if candidates else COMMAS


def _some(columns: Iterable[str]) -> str:
    """A few of ``columns``, in contract order, for a message."""
    ordered = sorted(columns, key=_ORDER.__getitem__)
    return ", ".join(ordered[:3]) + (", ..." if len(ordered) > 3 else "")


def _other_delimiter(header: Sequence[str], used: str = ",") -> tuple[str, str] | None:
    """The delimiter a header row read at ``used`` seems to use instead, as ``(it, its name)``.

    The row splits at it into at least three columns, and into more than at ``used`` (a
    semicolon file whose header names hold a comma, 'Value (USD, FOB)', reads as a few cells).
    """
    line = used.join(header)
    for delimiter, word in DELIMITERS.items():
        if delimiter == used:
            continue
        parts = line.count(delimiter) + 1
        if parts >= 3 and parts > len(header):
            return delimiter, word
    return None


def delimiter_error(
    delimiter: str,
    word: str,
    *,
    single: bool = True,
    used: str = ",",
    hinted: bool = False,
) -> str:
    """The message for a file read at ``used`` that is delimited by ``delimiter`` (``word``).

    The header row split at ``delimiter`` names too few canonical columns for it to be taken
    by itself (:func:`choose_delimiter`): the user names it, and maps the headers. ``hinted``:
    ``used`` is what the file's ``sep=`` line named.
    """
    found = (
        f"the header is a single column that holds {word}"
        if single
        else f"the header row splits at {word}, into more columns than at its {DELIMITERS[used]}"
    )
    if hinted:
        found = f"the file's first line (sep=) names {used!r} as its delimiter, but {found}"
    return f"{found}: {_delimiter_advice(delimiter, used)}"


def _delimiter_advice(delimiter: str, used: str = ",") -> str:
    return (
        f"the file seems to be delimited by {delimiter!r}, not by {DELIMITERS[used]}; pass "
        f"delimiter={delimiter!r} to read it so (with a column mapping if its headers are not "
        "the canonical names)"
    )


def check_header_delimiter(header: Sequence[str], source: str, delimiting: Delimiting) -> None:
    """Name the likely delimiter when a header read as ``delimiting`` says is one column.

    Not for a delimiter the caller gave: that one is used as given, and a wrong one leads to
    the missing-columns message (:func:`plan_columns` adds what the header splits at).

    Raises:
        InputError: the header is one cell holding at least two of another delimiter.
    """
    if len(header) != 1 or delimiting.given:
        return
    for delimiter, word in DELIMITERS.items():
        if delimiter != delimiting.delimiter and header[0].count(delimiter) >= 2:
            hinted = delimiting.found == "sep line"
            message = delimiter_error(delimiter, word, used=delimiting.delimiter, hinted=hinted)
            raise InputError(source, message)


def _header_row_note(header: Sequence[str], what: str) -> str:
    """Quote the row read as the header when none of its cells is a canonical column."""
    text = ", ".join(cell.strip() for cell in header if cell.strip())
    return (
        f"; none of the header's {what}s is a canonical one (the header read: {clip(text)!r}): "
        "if title or note lines come before the header row, delete them"
    )


def _loose(name: str) -> str:
    """``name`` with case, spaces, underscores and punctuation left out (``Entry-No.`` ...)."""
    return "".join(ch for ch in name.casefold() if ch.isalnum())


def _mapping_hint(
    missing: Sequence[str],
    positions: Mapping[str, int],
    extra: Sequence[tuple[int, str]],
    what: str,
) -> str:
    """A mapping that reads the file's look-alike headers, for the missing-column message.

    Exports often write ``Entry Number`` or ``ENTRY-NUMBER`` for ``entry_number``; such a
    header is not taken silently (the contract matches names exactly but for case and
    surrounding spaces), but the message spells out the mapping that would take it, every
    canonical column the file lacks that has one look-alike among the unmatched headers.
    """
    by_loose: dict[str, list[str]] = {}
    for _, name in extra:
        by_loose.setdefault(_loose(name), []).append(name)
    found = {
        canonical: by_loose[_loose(canonical)][0]
        for canonical in CANONICAL_COLUMNS
        if canonical not in positions and len(by_loose.get(_loose(canonical), ())) == 1
    }
    if not any(canonical in found for canonical in missing):
        return ""
    pairs = ", ".join(f"{json.dumps(c)}: {json.dumps(h)}" for c, h in found.items())
    return (
        f"; the file has {what}s that look like canonical ones: a --mapping file holding "
        f"{{{pairs}}} would read them"
    )
