"""Column mapping files: which header of the user's export holds which canonical column."""

from __future__ import annotations

import csv
import functools
import io
import json
import os
from pathlib import Path

from t86audit.exceptions import InputError
from t86audit.io._columns import check_mapping, normalize_header
from t86audit.io._json import decode_document
from t86audit.io._source import read_source


__all__ = ["read_mapping"]


def read_mapping(path: str | os.PathLike[str]) -> dict[str, str]:
    """Read a column mapping file: canonical column name -> the header used in the user's file.

    Two forms are accepted: a JSON object ``{"value_usd": "Declared Value", ...}``, or a CSV
    file with the header ``canonical,header`` and one mapping per row. A ``.json`` suffix (or
    text starting with ``{``) selects JSON; anything else is read as CSV.

    Returns:
        ``{canonical: header}`` with canonical names lower-cased and both sides stripped.

    Raises:
        InputError: the file is missing or malformed, names an unknown canonical column
            (the error lists them), maps a column twice, or maps two columns to one header.
    """
    name = os.fspath(path)
    text = read_source(path, encoding="utf-8", name=name).text
    if Path(name).suffix.lower() == ".json" or text.lstrip().startswith("{"):
        pairs = _json_pairs(name, text)
    else:
        pairs = _csv_pairs(name, text)
    seen: set[str] = set()
    for canonical, _ in pairs:
        if normalize_header(canonical) in seen:
            raise InputError(name, f"the mapping names {canonical.strip()!r} twice")
        seen.add(normalize_header(canonical))
    result = {normalize_header(canonical): header.strip() for canonical, header in pairs}
    check_mapping(result, name)
    return result


def _json_pairs(name: str, text: str) -> list[tuple[str, str]]:
    # Pairs rather than a dict, so a canonical column named twice is seen and reported.
    document = decode_document(name, text, functools.partial(json.loads, object_pairs_hook=list))
    if not isinstance(document, list) or not text.lstrip().startswith("{"):
        raise InputError(name, 'a mapping file holds a JSON object {"canonical": "header", ...}')
    pairs: list[tuple[str, str]] = []
    for canonical, header in document:
        if not isinstance(header, str):
            raise InputError(
                name, f"the header mapped to {canonical!r} must be a string, got {header!r}"
            )
        pairs.append((canonical, header))
    return pairs


def _csv_pairs(name: str, text: str) -> list[tuple[str, str]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        rows = [row for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as exc:
        raise InputError(name, f"malformed CSV near line {reader.line_num}: {exc}") from None
    if not rows:
        raise InputError(name, "the mapping file is empty")
    if [normalize_header(cell) for cell in rows[0]] != ["canonical", "header"]:
        raise InputError(
            name,
            "a mapping CSV file starts with the header 'canonical,header', "
            f"got {','.join(rows[0])!r}",
        )
    pairs: list[tuple[str, str]] = []
    for row, cells in enumerate(rows[1:], 1):
        if len(cells) != 2:
            raise InputError(
                name, f"a mapping row has 2 cells (canonical,header), got {len(cells)}", row=row
            )
        pairs.append((cells[0], cells[1]))
    return pairs
