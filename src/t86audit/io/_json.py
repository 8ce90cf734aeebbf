"""The JSON loader: an array of entry objects, or JSON Lines with one entry object per line.

Each entry object has the contract's entry-level keys and a ``lines`` array of line objects
with the line-level keys. Nested party objects are not part of the contract: only the flat
keys (``consignee_name``, ...) are read.

Accounting: ``rows_read`` counts line objects. A record that has no readable ``lines`` array
(or is not an object at all) counts as one row, rejected. Row numbers are record numbers:
the 1-based index in the array, or the 1-based line of the file for JSON Lines (blank lines
are skipped but keep their place). Messages about a line object say ``line K``; every line of
a record carries the record's row number.
"""

from __future__ import annotations

import decimal
import json
import os
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from t86audit.exceptions import InputError
from t86audit.io._columns import (
    CANONICAL_COLUMNS,
    ENTRY_LEVEL_COLUMNS,
    LINE_LEVEL_COLUMNS,
    REQUIRED_COLUMNS,
    ColumnPlan,
    check_mapping,
    normalize_header,
)
from t86audit.io._result import LoadResult
from t86audit.io._rows import EntryAssembler
from t86audit.io._source import read_source
from t86audit.io._source import source_name as _source_name
from t86audit.io._values import clip, escape_surrogates


__all__ = ["load_json"]

_JSON_LINES_SUFFIXES = frozenset({".jsonl", ".ndjson"})
_ENTRY_SET = frozenset(ENTRY_LEVEL_COLUMNS)
_LINE_SET = frozenset(LINE_LEVEL_COLUMNS)
_KNOWN = _ENTRY_SET | _LINE_SET | {"lines"}
_REQUIRED_ENTRY = tuple(c for c in ENTRY_LEVEL_COLUMNS if c in REQUIRED_COLUMNS)
_REQUIRED_LINE = tuple(c for c in LINE_LEVEL_COLUMNS if c in REQUIRED_COLUMNS)
_PLAN = ColumnPlan(
    positions={name: index for index, name in enumerate(CANONICAL_COLUMNS)},
    extra=(),
    width=len(CANONICAL_COLUMNS),
)
_ENTRY_WIDTH = len(ENTRY_LEVEL_COLUMNS)
_PARTY_HINT = (
    "; nested party objects are not accepted: use the flat keys consignee_name, "
    "consignee_address, consignee_country, seller_name, seller_address, seller_country"
)


class _RepeatedKeys(dict[str, Any]):
    """A JSON object whose text names a key twice; ``repeated`` is the first such key."""

    repeated = ""


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Build a JSON object, remembering a repeated key instead of silently keeping the last.

    JSON parsers disagree on which of two equal keys wins, so a record that repeats
    ``value_usd`` could read as one value to the broker's system and another here.
    """
    obj = dict(pairs)
    if len(obj) == len(pairs):
        return obj
    flagged = _RepeatedKeys(obj)
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            flagged.repeated = key
            break
        seen.add(key)
    return flagged


_DOUBLE_DIGITS = 15
"""Significant digits every binary double keeps exactly through decimal text and back."""
_DOUBLE_MAX_DIGITS = 17
"""The most significant digits a double's shortest text has (``0.30000000000000004``)."""


def _number_text(text: str) -> str:
    """The text of a JSON number with a fraction, float noise removed.

    An API whose system holds amounts as binary floats writes a computed value with 16 or 17
    significant digits (``0.1 + 0.2`` as ``0.30000000000000004``, ``1234.5000000000002``):
    the float's noise, which no filing has. A double holds 15 significant digits exactly,
    so such a number is read at 15 (``0.3``), as Excel's own numbers are in a workbook: the
    value the system meant. A number of 15 digits or fewer, an integer and a number in a
    string are kept exactly as written; so is one of more than 17 digits, which no float
    wrote.
    """
    digits = text.lstrip("+-").replace(".", "").lstrip("0")
    if len(digits) <= _DOUBLE_DIGITS or len(digits) > _DOUBLE_MAX_DIGITS or not digits.isdigit():
        return text
    with decimal.localcontext() as context:
        context.prec = _DOUBLE_DIGITS
        rounded = +Decimal(text)
    return format(rounded.normalize(), "f")


# Numbers are kept as their JSON text, so no float ever appears and value_raw is as filed
# (but for a float's noise: see _number_text).
_DECODER = json.JSONDecoder(
    parse_float=_number_text, parse_int=str, parse_constant=str, object_pairs_hook=_object
)


class _RecordError(Exception):
    """A record (or line object) cannot be read; ``column``/``value``/``message`` say why."""

    def __init__(self, message: str, column: str | None = None, value: str | None = None) -> None:
        self.message = message
        self.column = column
        self.value = value
        super().__init__(message)


def load_json(
    source: str | os.PathLike[str] | TextIO,
    *,
    lines: bool | None = None,
    encoding: str = "utf-8",
    strict: bool = False,
    source_name: str | None = None,
    mapping: Mapping[str, str] | None = None,
) -> LoadResult:
    """Load entries from a JSON array of entry objects or from JSON Lines.

    Keys are matched like CSV headers (case-insensitive, surrounding spaces ignored, through
    ``mapping`` if given). Numbers may be JSON numbers or strings; JSON numbers are read from
    their text, never through ``float``. Each record is one entry: two records with the same
    entry number stay two entries.

    Rows (see the module notes): ``rows_read`` counts line objects; a record without lines
    counts as one rejected row. Row numbers are record numbers (array index, or file line for
    JSON Lines), and messages name the line object (``line 2: ...``).

    Args:
        source: a path, or an open text stream.
        lines: ``True`` for JSON Lines, ``False`` for an array; ``None`` decides from a
            ``.jsonl``/``.ndjson`` suffix, else from the content.
        encoding: the file's encoding; decoding is strict.
        strict: raise :class:`~t86audit.exceptions.RowError` at the first unreadable record.
        source_name: the name stamped on entries and errors (default: the path as given).
        mapping: canonical column name -> the key the file uses instead.

    Raises:
        InputError: the file is missing, empty, not valid text, not valid JSON (with line and
            column), nested too deeply, or not an array / JSON Lines of objects.
        RowError: in strict mode, for the first record that cannot be loaded.
    """
    name = _source_name(source, source_name)
    columns = check_mapping(mapping, "column mapping")
    read = read_source(source, encoding=encoding, name=name)
    if (
        lines is None
        and isinstance(source, str | os.PathLike)
        and Path(source).suffix.lower() in _JSON_LINES_SUFFIXES
    ):
        lines = True
    return _load_text(name, read.text, lines, columns, strict=strict, sha256=read.sha256)


def _load_text(
    name: str,
    text: str,
    lines: bool | None,
    mapping: Mapping[str, str],
    *,
    strict: bool,
    sha256: str,
) -> LoadResult:
    stripped = text.lstrip()
    if not stripped:
        raise InputError(name, "the file is empty: expected a JSON array or JSON Lines")
    records: Iterator[tuple[int, Any]]
    if lines is None:
        if stripped[0] == "[":
            lines = False
        elif stripped[0] == "{":
            lines = not _is_single_object(text)
        else:
            raise InputError(
                name,
                "expected a JSON array of entry objects or JSON Lines (one object per line)",
            )
    records = _json_lines(text) if lines else _json_array(name, text)
    reader = _RecordReader(name, mapping, strict=strict, sha256=sha256)
    for record_no, record in records:
        reader.add(record_no, record)
    return reader.assembler.finish()


def _is_single_object(text: str) -> bool:
    try:
        return isinstance(_DECODER.decode(text), dict)
    except (ValueError, RecursionError):
        return False


def decode_document(name: str, text: str, decode: Callable[[str], Any]) -> Any:
    """Decode the whole JSON text of the file ``name`` with ``decode``.

    Malformed JSON, a hostile document nested too deeply for the decoder, and an integer of
    more digits than Python reads raise :class:`~t86audit.exceptions.InputError` naming the
    file and where the JSON went wrong; any other error of ``decode`` propagates.
    """
    try:
        return decode(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            name, f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise InputError(name, "the JSON is nested too deeply to read") from None
    except ValueError as exc:
        if "integer string conversion" not in str(exc):
            raise
        # Python reads no integer of more than 4,300 digits (a guard against slow parsing).
        raise InputError(name, "a number in the JSON has too many digits to read") from None


def _json_array(name: str, text: str) -> Iterator[tuple[int, Any]]:
    try:
        document = decode_document(name, text, _DECODER.decode)
    except ValueError as exc:  # e.g. an integer too long to convert
        raise InputError(name, f"invalid JSON: {exc}") from None
    if isinstance(document, dict):
        _check_not_wrapped(name, document)
        yield 1, document
        return
    if not isinstance(document, list):
        raise InputError(
            name,
            f"expected a JSON array of entry objects or JSON Lines, got a JSON {_kind(document)}",
        )
    yield from enumerate(document, 1)


def _check_not_wrapped(name: str, document: dict[str, Any]) -> None:
    """Refuse an object that wraps the entries (``{"entries": [...]}``) instead of being one.

    A single entry object is a file of one entry; an object with no entry-level key and a key
    holding an array (of objects, or empty) is an export's envelope around the entries, with or
    without other keys beside it (``{"count": 3, "entries": [...]}``). It is not unwrapped
    silently (the input is a JSON array of entry objects): the message says how.
    """
    keys = {str(key).strip().lower() for key in document}
    # An entry object has its lines (a key no mapping renames), or entry fields; with a
    # mapping its fields may have other names, but never an envelope's lone array.
    if "lines" in keys or _ENTRY_SET.intersection(keys):
        return
    for key, value in document.items():
        if isinstance(value, list) and all(isinstance(item, dict) for item in value):
            held = f"an array of {len(value)} objects" if value else "an empty array"
            raise InputError(
                name,
                f"the JSON is an object with no entry field whose key {key!r} holds {held}: "
                "if those are the entries, give the array itself (a JSON array of entry "
                "objects, or JSON Lines)",
            )


def _json_lines(text: str) -> Iterator[tuple[int, Any]]:
    # Split on "\n" only: JSON strings may legally hold U+2028 and other characters that
    # str.splitlines() would treat as line breaks.
    for line_no, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            yield line_no, _DECODER.decode(line)
        except json.JSONDecodeError as exc:
            yield line_no, _RecordError(f"not valid JSON at column {exc.colno}: {exc.msg}")
        except RecursionError:
            yield line_no, _RecordError("the JSON is nested too deeply to read")
        except ValueError as exc:
            yield line_no, _RecordError(f"not valid JSON: {exc}")


def _kind(value: object) -> str:
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        # Numbers and NaN were parsed to their text; a JSON string reads the same here.
        return "string or number"
    if isinstance(value, bool):
        return "boolean"
    return "null"


def _text(value: object, key: str) -> str:
    if isinstance(value, str):
        return value
    if (
        key == "additional_hts"
        and isinstance(value, list)
        and all(isinstance(item, str) for item in value)
    ):
        # A line's Chapter 99 numbers may come as a JSON array of texts.
        return "; ".join(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    raise _RecordError(
        f"{key} must be text or a number, got a JSON {_kind(value)}",
        column=key,
        value=escape_surrogates(clip(json.dumps(value, ensure_ascii=False, sort_keys=True), 200)),
    )


def _extra_text(value: object) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return _text(value, "")


class _RecordReader:
    """Checks records and lays their lines out as rows for the entry pipeline."""

    def __init__(
        self, name: str, mapping: Mapping[str, str], *, strict: bool, sha256: str
    ) -> None:
        self.name = name
        self.by_key = {
            normalize_header(wanted): canonical for canonical, wanted in mapping.items()
        }
        self.assembler = EntryAssembler(name, _PLAN, strict=strict, sha256=sha256)
        self.assembler.delimited_text = False

    def _resolve(
        self, obj: Mapping[str, object], level: frozenset[str], other: frozenset[str], where: str
    ) -> tuple[dict[str, object], dict[str, object], object]:
        """Split an object into canonical fields, extra fields and its ``lines`` value."""
        if isinstance(obj, _RepeatedKeys):
            key = obj.repeated
            normal = normalize_header(key)
            raise _RecordError(
                f"key {key!r} appears twice in {where.partition(' (')[0]}; JSON readers "
                "disagree on which value counts, so the record cannot be read",
                column=normal if normal in _KNOWN else None,
            )
        fields: dict[str, object] = {}
        extra: dict[str, object] = {}
        seen: dict[str, str] = {}
        lines: object = None
        for key, value in obj.items():
            normal = normalize_header(key)
            if normal in seen:
                raise _RecordError(
                    f"keys {seen[normal]!r} and {key!r} are the same key (keys are compared "
                    "case-insensitively, ignoring surrounding spaces)",
                    column=normal if normal in _KNOWN else None,
                )
            seen[normal] = key
            canonical = self.by_key.get(normal)
            if canonical is None and normal in level | other:
                canonical = normal
            if canonical is None:
                if normal == "lines" and level is _ENTRY_SET:
                    lines = value
                else:
                    extra[key.strip()] = value
            elif canonical in other:
                raise _RecordError(
                    f"{canonical!r} is {'a line' if canonical in _LINE_SET else 'an entry'}-level "
                    f"key and does not belong in {where}",
                    column=canonical,
                )
            elif canonical in fields:
                raise _RecordError(
                    f"two keys supply {canonical!r} (one directly, one through the mapping)",
                    column=canonical,
                )
            else:
                fields[canonical] = value
        return fields, extra, lines

    def _entry_cells(
        self, record: dict[str, object]
    ) -> tuple[list[str], dict[str, str], list[object]]:
        """Check an entry object; return its entry-level cells, extra fields and lines."""
        fields, extra, raw_lines = self._resolve(
            record, _ENTRY_SET, _LINE_SET, "the entry object (put it in its line objects)"
        )
        missing = [key for key in _REQUIRED_ENTRY if key not in fields]
        if missing:
            nested = any(isinstance(record.get(k), dict) for k in ("consignee", "seller"))
            raise _RecordError(
                f"the entry object lacks required key(s): {', '.join(missing)}"
                + (_PARTY_HINT if nested else "")
            )
        if raw_lines is None:
            given = any(normalize_header(key) == "lines" for key in record)
            raise _RecordError(
                "the entry object's 'lines' is null, not an array of line objects"
                if given
                else "the entry object has no 'lines' array"
            )
        if not isinstance(raw_lines, list):
            raise _RecordError(
                f"'lines' must be an array of line objects, got a JSON {_kind(raw_lines)}"
            )
        if not raw_lines:
            raise _RecordError("entry has no lines")
        cells = [_text(fields.get(c), c) for c in ENTRY_LEVEL_COLUMNS]
        return cells, {key: _extra_text(value) for key, value in extra.items()}, raw_lines

    def _line_cells(self, line: object) -> tuple[list[str], dict[str, str]]:
        """Check a line object; return its line-level cells and extra fields."""
        if not isinstance(line, dict):
            raise _RecordError(f"the line is a JSON {_kind(line)}, not a line object")
        fields, extra, _ = self._resolve(
            line, _LINE_SET, _ENTRY_SET, "a line object (put it in the entry object)"
        )
        missing = [key for key in _REQUIRED_LINE if key not in fields]
        if missing:
            raise _RecordError(f"the line object lacks required key(s): {', '.join(missing)}")
        cells = [_text(fields.get(c), c) for c in LINE_LEVEL_COLUMNS]
        return cells, {key: _extra_text(value) for key, value in extra.items()}

    def add(self, record_no: int, record: object) -> None:
        """Read one record (entry object) and feed its lines to the assembler."""
        assembler = self.assembler
        if isinstance(record, _RecordError):
            assembler.reject_row(record_no, None, None, record.message)
            return
        if not isinstance(record, dict):
            assembler.reject_row(
                record_no, None, None, f"the record is a JSON {_kind(record)}, not an entry object"
            )
            return
        group = ("record", record_no)
        number = record.get("entry_number")
        number_text = number.strip() if isinstance(number, str) else ""
        try:
            entry_cells, extra, raw_lines = self._entry_cells(record)
        except _RecordError as exc:
            # Every line object of the record is a row, and every one is rejected.
            listed = record.get("lines")
            count = len(listed) if isinstance(listed, list) and listed else 1
            for index in range(count):
                assembler.reject_row(
                    record_no,
                    exc.column,
                    exc.value,
                    exc.message,
                    label=f"line {index + 1}" if count > 1 else None,
                    group=group if count > 1 else None,
                    number=number_text,
                )
            return
        number_text = entry_cells[0].strip()
        for index, line in enumerate(raw_lines, 1):
            label = f"line {index}"
            try:
                line_cells, line_extra = self._line_cells(line)
            except _RecordError as exc:
                assembler.reject_row(
                    record_no,
                    exc.column,
                    exc.value,
                    exc.message,
                    label=label,
                    group=group,
                    number=number_text,
                )
                continue
            assembler.add_row(
                record_no,
                entry_cells + line_cells,
                label=label,
                group=group,
                extra=extra | line_extra,
            )
