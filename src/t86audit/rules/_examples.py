"""Helpers for building the rules' examples.

Example entries are built with :func:`t86audit.testing.make_entry` (a clean, valid entry by
default) and numbered ``B76-0000001-C``, ``B76-0000002-C``, ... in the order given, so an
example can name the entries it expects flagged with :func:`num` before anything is built.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from t86audit.model import Entry, compute_check_digit


def num(serial: int, filer_code: str = "B76") -> str:
    """The valid entry number of example entry ``serial``: ``num(1) == "B76-0000001-C"``."""
    digits = f"{serial:07d}"
    return f"{filer_code}-{digits}-{compute_check_digit(filer_code, digits)}"


def population(*specs: dict[str, Any]) -> Sequence[Entry]:
    """Entries numbered ``num(1)``, ``num(2)``, ... built from field overrides."""
    from t86audit.testing import make_entry  # noqa: PLC0415  (examples build lazily)

    return [
        make_entry(**{"entry_number": num(index), **spec})
        for index, spec in enumerate(specs, start=1)
    ]
