"""Reading an input's text: strict decoding, byte-order marks, hashing, clear errors."""

from __future__ import annotations

import codecs
import hashlib
import os
from pathlib import Path
from typing import BinaryIO, Literal, TextIO

from t86audit.exceptions import InputError


__all__ = ["ENCODING_HINT", "SourceText", "check_not_workbook", "read_source", "source_name"]

ENCODING_HINT = "pass encoding='latin-1' (or --encoding) if the file is not UTF-8"
_WINDOWS_HINT = (
    " (for a file saved on Windows, 'cp1252' reads the same letters and also its curly "
    "quotes and dashes, which latin-1 reads as invisible control characters)"
)
_BOM = "\ufeff"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def open_binary(path: str | os.PathLike[str], name: str) -> BinaryIO:
    """Open an input file for reading bytes; a file that cannot be opened is an InputError.

    Raises:
        InputError: the file does not exist, is a directory, or cannot be read.
    """
    try:
        return open(path, "rb")  # noqa: PTH123 - the caller closes it; PathLike too
    except FileNotFoundError:
        raise InputError(name, "file not found") from None
    except IsADirectoryError:
        raise InputError(name, "is a directory, not a file") from None
    except OSError as exc:
        raise InputError(name, f"cannot be read: {exc.strerror or exc}") from None


def read_bytes(path: str | os.PathLike[str], name: str) -> bytes:
    """An input file's bytes (see :func:`open_binary` for the errors)."""
    with open_binary(path, name) as handle:
        try:
            return handle.read()
        except OSError as exc:
            raise InputError(name, f"cannot be read: {exc.strerror or exc}") from None


def read_head(path: str | os.PathLike[str], name: str, size: int = len(_ZIP_MAGIC)) -> bytes:
    """An input file's first ``size`` bytes, to tell its kind (see :func:`open_binary`)."""
    with open_binary(path, name) as handle:
        try:
            return handle.read(size)
        except OSError as exc:
            raise InputError(name, f"cannot be read: {exc.strerror or exc}") from None


def check_not_workbook(head: bytes, name: str, *, expected: str = "text") -> None:
    """Refuse a spreadsheet workbook read as text (an ``.xlsx`` renamed ``.csv``, say).

    ``head`` is the file's first bytes. An ``.xlsx`` workbook is a ZIP archive, an old ``.xls``
    an OLE compound file; both are named by their signature, with what to do.

    Raises:
        InputError: the bytes are a workbook's (or, for text, any ZIP archive's).
    """
    if head.startswith(_OLE_MAGIC):
        raise InputError(
            name,
            "is an old Excel .xls workbook (binary), which t86audit does not read; "
            "save it as .xlsx or as CSV UTF-8 in Excel",
        )
    if expected == "text" and head.startswith(_ZIP_MAGIC):
        raise InputError(
            name,
            "is an Excel .xlsx workbook (a ZIP file), not CSV or JSON text; rename it with an "
            ".xlsx suffix to read its first sheet (needs pip install 't86audit[excel]'), "
            "or save it as CSV UTF-8 in Excel",
        )


class SourceText:
    """The decoded text of an input, with its name and hash."""

    __slots__ = ("name", "sha256", "text")

    def __init__(self, name: str, text: str, sha256: str) -> None:
        self.name = name
        self.text = text
        self.sha256 = sha256


def source_name(source: str | os.PathLike[str] | TextIO, given: str | None) -> str:
    """Return the name stamped on entries and errors.

    That is ``given`` if set, else the path as given, else the stream's ``name`` (``"<stream>"``
    when it has none).
    """
    if given is not None:
        return given
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    name = getattr(source, "name", None)
    return name if isinstance(name, str) else "<stream>"


def read_source(
    source: str | os.PathLike[str] | TextIO, *, encoding: str, name: str
) -> SourceText:
    """Read and strictly decode a path, or read a text stream; strip a byte-order mark.

    Raises:
        InputError: the file does not exist or cannot be read, the encoding is unknown, or the
            bytes are not valid in it (the message gives the byte offset and line).
    """
    if not isinstance(source, str | os.PathLike):
        try:
            text = source.read()
        except UnicodeDecodeError as exc:
            raise InputError(
                name,
                f"the stream is not valid {exc.encoding} text ({exc.reason}); {ENCODING_HINT}",
            ) from None
        except OSError as exc:
            raise InputError(name, f"cannot be read: {exc}") from None
        if not isinstance(text, str):
            raise InputError(name, "expected a text stream (open the file in text mode)")
        return SourceText(name, text.removeprefix(_BOM), "")
    data = read_bytes(source, name)
    check_not_workbook(data[:8], name)
    digest = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode(encoding)
    except LookupError:
        raise InputError(name, f"unknown encoding {encoding!r}") from None
    except UnicodeDecodeError as exc:
        marked = _utf16_mark(data)
        if marked is not None:
            raise InputError(name, f"the bytes are not valid {encoding}: {marked}") from None
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start : min(exc.end, exc.start + 8)].hex(" ")
        raise InputError(
            name,
            f"bytes at offset {exc.start} (line {line} of the file: {bad}) are not valid "
            f"{encoding} ({exc.reason}); {ENCODING_HINT}{_WINDOWS_HINT}",
        ) from None
    return SourceText(name, text.removeprefix(_BOM), digest)


_WIDE_MARKS = (
    (codecs.BOM_UTF32_LE, "UTF-32", "utf-32"),
    (codecs.BOM_UTF32_BE, "UTF-32", "utf-32"),
    (codecs.BOM_UTF16_LE, "UTF-16", "utf-16"),
    (codecs.BOM_UTF16_BE, "UTF-16", "utf-16"),
)


def _utf16_mark(data: bytes) -> str | None:
    """The message for text that begins with a UTF-16 (or UTF-32) byte-order mark, else None.

    Excel's "Unicode Text" and other Windows programs save UTF-16; read as UTF-8 it fails at
    its first byte, and the usual advice (latin-1, cp1252) would only give NUL characters.
    """
    for mark, label, encoding in _WIDE_MARKS:
        if data.startswith(mark):
            return (
                f"the file begins with the byte-order mark of {label} text "
                f"({mark.hex(' ')}), as Excel's 'Unicode Text' and other Windows programs "
                f"save it: pass --encoding {encoding} (encoding='{encoding}')"
            )
    return None


Kind = Literal["csv", "json", "jsonl", "xlsx"]
_SUFFIX_FORMATS: dict[str, Kind] = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
}
INPUT_FORMATS: tuple[str, ...] = ("csv", "json", "jsonl", "xlsx")
"""The input formats, as ``format=`` (and ``--input-format``) take them."""
SUFFIX_HINT = (
    "cannot tell the format from the file name; use a .csv, .tsv, .json, .jsonl, .ndjson or "
    ".xlsx suffix"
)


def unknown_format(format: object) -> str:
    """The message for an input format that is not one of :data:`INPUT_FORMATS`."""
    return f"unknown format {format!r}; use one of {', '.join(map(repr, INPUT_FORMATS))}"


def kind_of(path: str | os.PathLike[str], format: Kind | None) -> Kind:
    """The format a path is read as: ``format`` if given, else its suffix's.

    Raises:
        InputError: no format is given and the suffix is not one t86audit knows.
    """
    name = os.fspath(path)
    kind = format or _SUFFIX_FORMATS.get(Path(name).suffix.lower())
    if kind is None:
        raise InputError(name, f"{SUFFIX_HINT}, or pass format='csv' (or 'json', 'jsonl')")
    return kind
