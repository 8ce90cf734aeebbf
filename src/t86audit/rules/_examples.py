"""Helpers for building the rules' examples.

Example entries are built with :func:`t86audit.testing.make_entry` (a clean, valid entry by
default) and numbered ``B76-0000001-C``, ``B76-0000002-C``, ... in the order given, so an
example can name the entries it expects flagged with :func:`num` before anything is built.

Most examples are a few such entries, each given as the fields it overrides (a *spec*), that
the rule flags (:func:`flags`) or passes (:func:`passes`). The specs are plain dicts made when
the rules are imported; the entries are built from them only when the example runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from typing import Any

from t86audit.model import Entry, compute_check_digit
from t86audit.rules._base import Example


def num(serial: int, filer_code: str = "B76") -> str:
    """The valid entry number of example entry ``serial``: ``num(1) == "B76-0000001-C"``."""
    digits = f"{serial:07d}"
    return f"{filer_code}-{digits}-{compute_check_digit(filer_code, digits)}"


def population(*specs: Mapping[str, Any]) -> Sequence[Entry]:
    """Entries numbered ``num(1)``, ``num(2)``, ... built from field overrides."""
    from t86audit.testing import make_entry  # noqa: PLC0415  (examples build lazily)

    return [
        make_entry(**{"entry_number": num(index), **spec})
        for index, spec in enumerate(specs, start=1)
    ]


def flags(
    title: str,
    *specs: Mapping[str, Any],
    serials: Iterable[int] = (1,),
    options: Mapping[str, Any] | None = None,
    reference: Callable[[], Any] | None = None,
) -> Example:
    """An example the rule flags: the :func:`population` of ``specs``, reported at ``serials``.

    ``serials`` are the entries' places in ``specs``, counted from 1 (the first entry unless
    given); ``options`` and ``reference`` are as in :class:`~t86audit.rules.Example`.
    """
    return Example(
        title,
        partial(population, *specs),
        flagged=[num(serial) for serial in serials],
        options={} if options is None else options,
        reference=reference,
    )


def passes(
    title: str,
    *specs: Mapping[str, Any],
    options: Mapping[str, Any] | None = None,
    reference: Callable[[], Any] | None = None,
) -> Example:
    """An example the rule passes: the :func:`population` of ``specs``, nothing reported."""
    return flags(title, *specs, serials=(), options=options, reference=reference)
