"""Exception types raised by t86audit.

Every exception that leaves the public API derives from :class:`T86AuditError`, so a script can
catch the library's own failures with one ``except`` clause and let genuine bugs propagate.
Exceptions carry structured attributes (file, row, column, value, reason), not only a string,
so a caller can route them without parsing messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


__all__ = [
    "DuplicateRuleError",
    "InputError",
    "PackLoadError",
    "RowError",
    "RuleDefinitionError",
    "SampleError",
    "T86AuditError",
    "UnknownEntriesError",
]


class T86AuditError(Exception):
    """Base class of every error t86audit raises on purpose."""


class InputError(T86AuditError):
    """An input file (or object) cannot be used at all.

    Raised for a missing file, a file that is not valid text in the expected encoding, a missing
    required column, or JSON of the wrong shape. The command line turns it into exit status 2.

    Attributes:
        source: the file path or a description of the in-memory source.
        reason: what is wrong, in plain words.
        row: the 1-based data row (or JSON record) concerned, when one is known.
        column: the column (canonical name) concerned, when one is known.
        value: the offending raw value, when one is known.
    """

    def __init__(
        self,
        source: str,
        reason: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
    ) -> None:
        self.source = source
        self.reason = reason
        self.row = row
        self.column = column
        self.value = value
        super().__init__(self._compose())

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt from its fields, so it crosses processes (a worker's error reaches the parent).
        return (
            _rebuild_input_error,
            (type(self), self.source, self.reason, self.row, self.column, self.value),
        )

    def _compose(self) -> str:
        where = [self.source]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        text = ", ".join(where)
        if self.value is not None:
            text += f", value {_clip(self.value)!r}"
        return f"{text}: {self.reason}"


class RowError(InputError):
    """One row could not be read; raised only in strict mode (otherwise: a load error)."""


class SampleError(T86AuditError):
    """A sample cannot be drawn or rebuilt (population too small, duplicate entries, bad size)."""


class UnknownEntriesError(SampleError):
    """A cited sample names entry numbers not in the population.

    Attributes:
        unknown: every entry number that was not found, in the order given.
        source: the samples file that names them, if they come from one.
    """

    def __init__(self, unknown: Sequence[str], source: str | None = None) -> None:
        self.unknown = tuple(unknown)
        self.source = source
        listed = ", ".join(self.unknown)
        where = f"{source}: " if source else ""
        super().__init__(
            f"{where}{len(self.unknown)} entry number(s) not found in the population: {listed}"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.unknown, self.source))


class RuleDefinitionError(T86AuditError, ValueError):
    """A rule's metadata is incomplete or malformed; raised when the rule is defined."""


class DuplicateRuleError(T86AuditError, ValueError):
    """Two rules share a code or name, or two packs claim the same code prefix."""


class PackLoadError(T86AuditError):
    """A rule pack registered under the ``t86audit.rules`` entry-point group failed to load."""

    def __init__(self, display_name: str, cause: BaseException) -> None:
        self.display_name = display_name
        self.cause = cause
        super().__init__(f"rule pack {display_name} failed to load: {cause!r}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.display_name, self.cause))


def _clip(value: str, limit: int = 80) -> str:
    """Shorten a raw value for a message, so a hostile 10 MB cell cannot flood a terminal."""
    return value if len(value) <= limit else value[: limit - 3] + "..."


def _rebuild_input_error(  # noqa: PLR0917  (pickle calls it with the fields in order)
    kind: type[InputError],
    source: str,
    reason: str,
    row: int | None,
    column: str | None,
    value: str | None,
) -> InputError:
    return kind(source, reason, row=row, column=column, value=value)
