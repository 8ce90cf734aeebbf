"""What a load returns: the entries, the rows that could not be read, and the accounting."""

from __future__ import annotations

import attrs

from t86audit.exceptions import RowError
from t86audit.model import Entry


__all__ = ["LoadError", "LoadResult", "RejectionLead", "SourceInfo"]


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
class RejectionLead:
    """What the rejected rows were mostly rejected for, as a summary line may say it.

    Attributes:
        columns: the column (``""`` for a whole row) with the most rejected rows; several, in
            order of their first error, when they tie, for then no column leads.
        rows: the rejected rows of each of ``columns``.
        counted: the rejected rows that have a reason of their own (rows rejected only because a
            sibling row of their entry was unreadable are not counted: the sibling's error says
            why).
        example: the first error of ``columns``, in input order.
    """

    columns: tuple[str, ...]
    rows: int
    counted: int
    example: LoadError

    @property
    def is_majority(self) -> bool:
        """Whether one column holds more than half of the counted rows ("most of them")."""
        return len(self.columns) == 1 and 2 * self.rows > self.counted


@attrs.frozen
class SourceInfo:
    """One input that was read.

    Attributes:
        path: the path as given, or a description of an in-memory source.
        sha256: hex SHA-256 of the file's bytes; ``""`` for in-memory sources.
        rows_read: the data rows (or JSON line items) read from it.
        delimiter: the delimiter of a delimited text file read with another than the comma
            (``";"``, the tab character or ``"|"``); ``""`` for a comma-separated file and
            other inputs.
        delimiter_found: where that delimiter came from: ``"given"`` (``delimiter=``),
            ``"suffix"`` (a ``.tsv`` file), ``"sep line"`` (an Excel ``sep=`` first line) or
            ``"header row"`` (found there); ``""`` with the comma.
    """

    path: str
    sha256: str
    rows_read: int
    delimiter: str = ""
    delimiter_found: str = ""


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

    def rejection_lead(self) -> RejectionLead | None:
        """The column most rejected rows were rejected for, or the columns that tie.

        ``None`` when no row was rejected.

        The command line's note and the report's summary both say it, so they name the same
        column: a tie is reported as a tie, never as one column picked by order or by name.
        """
        own = [e for e in self.errors if e.column is not None or e.value is not None]
        own = own or list(self.errors)
        if not own:
            return None
        counts: dict[str, int] = {}
        for error in own:
            key = error.column or ""
            counts[key] = counts.get(key, 0) + 1
        top = max(counts.values())
        columns = tuple(column for column, n in counts.items() if n == top)
        example = next(e for e in own if (e.column or "") in columns)
        return RejectionLead(columns=columns, rows=top, counted=len(own), example=example)

    def raise_for_errors(self) -> None:
        """Raise :class:`~t86audit.exceptions.RowError` for the first load error, if any."""
        if self.errors:
            raise self.errors[0].to_exception()
