"""What a load returns: the entries, the rows that could not be read, and the accounting."""

from __future__ import annotations

import attrs

from t86audit.exceptions import RowError
from t86audit.model import Entry


__all__ = ["LoadError", "LoadResult", "SourceInfo"]


@attrs.frozen
class LoadError:
    """One input row that could not be loaded (a record, not an exception).

    Attributes:
        source: the file (as given) or in-memory source the row came from.
        row: the 1-based data row (header not counted) or JSON record; ``None`` if unknown.
        column: the canonical column concerned, or ``None`` when the whole row is concerned
            (for example a row rejected because a sibling row of its entry was unreadable).
        value: the raw value concerned, or ``None``.
        message: why the row was not loaded, in plain words.
    """

    source: str
    row: int | None
    column: str | None
    value: str | None
    message: str

    def to_dict(self) -> dict[str, object]:
        """Return the ``load_errors`` item of the JSON report (contract section 4)."""
        # The item is the record's fields, in their order (all plain values: nothing to convert).
        return attrs.asdict(self)

    def to_exception(self) -> RowError:
        """Return the :class:`~t86audit.exceptions.RowError` that strict mode raises for it."""
        return RowError(
            self.source, self.message, row=self.row, column=self.column, value=self.value
        )


@attrs.frozen
class SourceInfo:
    """One input that was read.

    Attributes:
        path: the path as given, or a description of an in-memory source.
        sha256: hex SHA-256 of the file's bytes; ``""`` for in-memory sources.
        rows_read: the data rows (or JSON line items) read from it.
    """

    path: str
    sha256: str
    rows_read: int


@attrs.frozen(repr=False)
class LoadResult:
    """The outcome of loading one or more inputs.

    Every row read is accounted for: ``rows_read == rows_in_entries + rows_rejected``.

    Attributes:
        entries: the loaded entries, in order of first appearance (file by file).
        errors: one :class:`LoadError` per rejected row, ordered by source and row.
        sources: what was read, in order.
        rows_read: data rows read over all sources.
        rows_rejected: rows that are in no loaded entry.
    """

    entries: tuple[Entry, ...]
    errors: tuple[LoadError, ...]
    sources: tuple[SourceInfo, ...]
    rows_read: int
    rows_rejected: int

    @property
    def entries_loaded(self) -> int:
        """The number of entries loaded."""
        return len(self.entries)

    @property
    def rows_in_entries(self) -> int:
        """The rows that went into loaded entries (the sum of their ``source_rows``)."""
        return sum(len(entry.source_rows) for entry in self.entries)

    def __repr__(self) -> str:
        # The counts, not every entry: a notebook shows the repr of a load of a year's
        # filings (attrs' repr of every entry was megabytes of text).
        names = ", ".join(source.path for source in self.sources[:3])
        more = f" and {len(self.sources) - 3} more" if len(self.sources) > 3 else ""
        return (
            f"<{type(self).__name__} entries={self.entries_loaded:,} rows_read={self.rows_read:,} "
            f"rows_rejected={self.rows_rejected:,} errors={len(self.errors):,} "
            f"sources=[{names}{more}]>"
        )

    def __add__(self, other: object) -> LoadResult:
        """Merge two loads; entries with the same number in both stay separate entries."""
        if not isinstance(other, LoadResult):
            return NotImplemented
        return LoadResult(
            entries=self.entries + other.entries,
            errors=self.errors + other.errors,
            sources=self.sources + other.sources,
            rows_read=self.rows_read + other.rows_read,
            rows_rejected=self.rows_rejected + other.rows_rejected,
        )

    def raise_for_errors(self) -> None:
        """Raise :class:`~t86audit.exceptions.RowError` for the first load error, if any."""
        if self.errors:
            raise self.errors[0].to_exception()
