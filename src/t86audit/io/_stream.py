"""The streaming loader: entries read one at a time, for populations too large to hold.

:func:`stream` returns an :class:`EntryStream`, an iterable of entries that reads its files
incrementally: the text is decoded strictly as it is read, the SHA-256 of the bytes is computed
on the way, and the rows of each entry are grouped as they arrive. After the stream is
exhausted, :attr:`EntryStream.result` holds the same accounting an in-memory
:func:`~t86audit.io.load` gives (sources, rows read and rejected, every load error), so an
audit of the stream reports exactly what an audit of the loaded file reports.

Streaming relies on the rows of one entry being **contiguous**, the way exports are written.
The stream remembers the entries it has closed (nothing while their numbers come in increasing
order, as sorted exports give them; a 64-bit hash of each number otherwise); when a closed
entry number comes back it raises
:class:`RowsNotContiguousError` rather than build two half entries. :func:`t86audit.audit` and
the command line catch it, say why on standard error, and read the files again with each
entry's rows put together (:meth:`EntryStream.regrouped`: a first pass notes each row's entry
and byte offset, a second reads the rows entry by entry), so memory stays bounded.

JSON Lines stream too (each record is one entry, so contiguity is never in question). A JSON
array is one document: it is read whole, as :func:`~t86audit.io.load` reads it.
"""

from __future__ import annotations

import codecs
import collections
import csv
import hashlib
import io
import itertools
import json
import operator
import os
import sys
import zlib
from array import array
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, Generic, NoReturn, TypeVar

import attrs

from t86audit.exceptions import InputError
from t86audit.io._columns import (
    COMMAS,
    ColumnPlan,
    Delimiting,
    check_decimal,
    check_delimiter,
    check_header_delimiter,
    check_mapping,
    check_text_options,
    plan_columns,
)
from t86audit.io._csv import (
    _field_size_limit,
    assembler_for,
    default_delimiter,
    read_csv_rows,
    row_reader,
    sniff_delimiter,
)
from t86audit.io._json import _DECODER, _PLAN, _RecordError, _RecordReader, load_json
from t86audit.io._load import load
from t86audit.io._result import LoadError, LoadResult, SourceInfo
from t86audit.io._rows import EntryAssembler
from t86audit.io._source import (
    INPUT_FORMATS,
    Kind,
    check_not_workbook,
    kind_of,
    open_binary,
    read_source,
    unknown_format,
)
from t86audit.io._xlsx import load_xlsx
from t86audit.model import Entry, entry_number_key


__all__ = ["EntryStream", "ReadWith", "RowsNotContiguousError", "StreamedLoad", "stream"]

_BOM = "\ufeff"
_CHUNK = 1 << 20
_MEASURABLE = {
    "utf-8": "utf-8",
    "utf-8-sig": "utf-8",
    "ascii": "ascii",
    "latin-1": "latin-1",
    "iso8859-1": "latin-1",
    "cp1252": "cp1252",
}
"""Codecs (by :func:`codecs.lookup` name) whose lines' bytes follow from their text, and the
codec that decodes a run of whole lines from the middle of such a file (no byte-order mark)."""

_COUNT_BLOCK = 1 << 18
"""Characters :meth:`_Source.blocks` reads at a time: a block's lines stay in the cache while
they are looked at several times."""
_FIRST_BLOCK = 1 << 13
"""Characters a part reads in its first block while it passes over the entries before its own
(then twice as many a block, up to :data:`_COUNT_BLOCK`): about what reading line by line
decodes ahead, so a part beginning near the start of a file decodes no more than it did."""
_OTHER_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
"""The characters :meth:`str.splitlines` ends a line at besides ``\\r`` and ``\\n``; a file's
lines (``newline=""``) and the CSV reader do not end there."""

_MEASURED_KEPT = 1 << 16
"""Line offsets a reading keeps behind the last entry's first line before letting them go."""
_BATCH = 256
"""Entries assembled together before they are handed on (their rows are held meanwhile)."""
_KEPT_COLUMNS = ("consignee_name", "consignee_address", "seller_name", "description")
"""The columns whose texts outlive their entry in a streamed audit, and repeat across it.

The group rules keep them until the end of the pass (rules._kept, the record table); interned,
one string stands for every entry that repeats a value. Interning every cell cost a row some
2.7 µs, for texts that die with their entry (or, entry numbers and bills, never repeat).
"""


class RowsNotContiguousError(InputError):
    """The rows of one entry are not next to each other, so the file cannot be streamed.

    Streaming builds an entry from a run of adjacent rows; a row whose entry was already
    built would otherwise become a second, partial entry. Load the file in memory
    (:func:`~t86audit.io.load`) or sort it by entry number.

    Attributes:
        entry_number: the entry number as filed on the row that came back.
        row: the data row at which the entry number reappeared.
    """

    def __init__(self, source: str, entry_number: str, row: int) -> None:
        self.entry_number = entry_number
        super().__init__(
            source,
            f"the rows of entry {entry_number!r} are not contiguous (it reappears at row {row} "
            "after other entries' rows), so the file cannot be streamed; load it in memory "
            "or sort it by entry number",
            row=row,
        )


@attrs.frozen(repr=False)
class StreamedLoad(LoadResult):
    """The accounting of a streamed load: a :class:`LoadResult` whose entries were not kept.

    ``entries`` is empty (the entries went to the audit one at a time); ``entries_loaded``
    and ``rows_in_entries`` count them all the same.

    Attributes:
        entries_seen: the entries the stream yielded.
        rows_in_seen: the rows that went into them.
    """

    entries_seen: int = 0
    rows_in_seen: int = 0

    @classmethod
    def of(cls, loaded: LoadResult) -> StreamedLoad:
        """``loaded``'s accounting without its entries (they went, or stay, elsewhere)."""
        return cls(
            entries=(),
            errors=loaded.errors,
            sources=loaded.sources,
            rows_read=loaded.rows_read,
            rows_rejected=loaded.rows_rejected,
            entries_seen=loaded.entries_loaded,
            rows_in_seen=loaded.rows_in_entries,
        )

    @property
    def entries_loaded(self) -> int:
        """The number of entries loaded (and streamed)."""
        return self.entries_seen

    @property
    def rows_in_entries(self) -> int:
        """The rows that went into loaded entries."""
        return self.rows_in_seen


class _HashingReader(io.RawIOBase):
    """A binary file that feeds every byte it reads to a SHA-256 digest."""

    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__()
        self._raw = raw
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        size = len(data)
        buffer[:size] = data
        self.digest.update(data)
        return size

    def close(self) -> None:
        self._raw.close()
        super().close()


class _Source:
    """One input file opened for streaming: decoded text lines, and the hash of its bytes."""

    def __init__(
        self, path: str | os.PathLike[str], name: str, encoding: str, newline: str
    ) -> None:
        self.path = path
        self.name = name
        self.encoding = encoding
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(name, f"unknown encoding {encoding!r}") from None
        raw = open_binary(path, name)
        # Where an encoding gives each character a fixed number of bytes per its text (one,
        # or UTF-8's), a line's bytes are known from its text: entries can be found again
        # by their byte offsets (see measure()).
        self._codec = _MEASURABLE.get(codecs.lookup(encoding).name)
        self._bom = 0
        try:
            if raw.seekable():
                start = raw.read(8)
                check_not_workbook(start, name)
                if codecs.lookup(encoding).name == "utf-8-sig" and start.startswith(
                    codecs.BOM_UTF8
                ):
                    self._bom = len(codecs.BOM_UTF8)  # the decoder drops it from the text
                raw.seek(0)
            else:
                self._codec = None
        except BaseException:
            raw.close()
            raise
        self._offsets: array[int] | None = None
        self.bom_dropped = False
        """Whether :meth:`blocks` dropped a byte-order mark the decoder kept in the text."""
        self._pending: list[str] = []
        self._hashing = _HashingReader(raw)
        self._text = io.TextIOWrapper(
            io.BufferedReader(self._hashing, _CHUNK),
            encoding=encoding,
            errors="strict",
            newline=newline,
        )

    def lines(self) -> Iterator[str]:
        """The text, line by line with line ends kept; a byte-order mark is dropped.

        Raises:
            InputError: the bytes are not valid in the encoding (the message is the one the
                in-memory loader gives, naming the byte offset and line).
        """
        text = self._text
        try:
            first = text.readline()
            if self._offsets is None:
                yield first.removeprefix(_BOM)
                yield from text
            else:
                yield from self._measured(first, text)
        except UnicodeDecodeError:
            self._undecodable()

    def blocks(self, first: int | None = None) -> Generator[list[str], None, None]:
        r"""The text as :meth:`lines` gives it, in lists of whole lines (256 Ki characters a list).

        For counting (:class:`_Counted`) and passing over lines (:class:`_Before`): a block's
        lines are split at once, not read one by one. Lines end where :meth:`lines` ends them
        (``\n``, ``\r\n`` or ``\r``); a block holding a character :meth:`str.splitlines` also
        breaks at is split as :class:`io.StringIO` splits it (as the file's lines are). With
        ``first``, the first block is of that many characters and each next one twice the one
        before, up to the full size. A reading may stop taking blocks and go on with
        :meth:`rest`.

        Raises:
            InputError: as :meth:`lines`.
        """
        read = self._text.read
        # The text after the last line end read (a long line's parts): see rest().
        pending = self._pending
        # ``first``: the blocks begin that small and double up to the full size, so that a
        # reading that stops early has decoded little more than it needed (see _Before).
        size = _COUNT_BLOCK if first is None else min(first, _COUNT_BLOCK)
        try:
            chunk = read(size)
            if chunk.startswith(_BOM):
                self.bom_dropped = True
                chunk = chunk[1:] or read(size)
            while chunk:
                size = min(2 * size, _COUNT_BLOCK)
                # The block ends at its last line end; a final "\r" may be half of a "\r\n".
                cut = max(chunk.rfind("\n"), chunk.rfind("\r", 0, len(chunk) - 1)) + 1
                if cut:
                    pending.append(chunk[:cut])
                    lines = _split_lines("".join(pending))
                    pending[:] = [chunk[cut:]]
                    yield lines
                else:
                    pending.append(chunk)
                chunk = read(size)
            if text := "".join(pending):
                pending.clear()
                yield _split_lines(text)
        except UnicodeDecodeError:
            self._undecodable()

    def rest(self) -> Iterator[str]:
        """The lines after the last block :meth:`blocks` gave, read as :meth:`lines` reads them.

        For a reading that takes blocks for a while and then lines (:class:`_Before`): the
        text is decoded a little at a time again, not a block ahead of the lines it gives.
        """
        text = self._text
        pending = "".join(self._pending)
        self._pending.clear()
        try:
            if pending:
                # The line begun at the block's end, finished (a final "\r" ends it, unless
                # a "\n" follows: split as the file's lines are).
                yield from _split_lines(pending + text.readline())
            yield from text
        except UnicodeDecodeError:
            self._undecodable()

    @property
    def measurable(self) -> bool:
        """Whether the lines' byte offsets can be told from their text (:meth:`measure`)."""
        return self._codec is not None

    @property
    def codec(self) -> str | None:
        """The codec that decodes any run of whole lines of the file, if it is measurable."""
        return self._codec

    def measure(self, offsets: array[int]) -> None:
        """Have :meth:`lines` append each line's byte offset in the file to ``offsets``.

        Call before reading; only for a :attr:`measurable` file. A line of ASCII text has as
        many bytes as characters; another is encoded again to count them (strict decoding
        made it, so it encodes back to the same bytes).
        """
        self._offsets = offsets

    def _measured(self, first: str, lines: Iterable[str]) -> Iterator[str]:
        offsets = self._offsets
        assert offsets is not None
        codec = self._codec
        assert codec is not None
        # The first line is measured as decoded (a byte-order mark the decoder kept is in
        # it), then given without the mark, as lines() gives it.
        note = offsets.append
        note(self._bom)
        at = self._bom + len(first.encode(codec))
        yield first.removeprefix(_BOM)
        for line in lines:
            note(at)
            at += len(line) if line.isascii() else len(line.encode(codec))
            yield line

    def skip(self, count: int) -> None:
        """Pass over the next ``count`` lines (of :meth:`lines`, which continues after them).

        The lines go from the decoder to nowhere without a Python frame each: a re-read that
        wants a few entries of a large file passes over most of its lines.
        """
        try:
            collections.deque(itertools.islice(self._text, count), maxlen=0)
        except UnicodeDecodeError:
            self._undecodable()

    def _undecodable(self) -> NoReturn:
        self.close()
        # Read the file whole once more: its error names the offset and line in the file.
        read_source(self.path, encoding=self.encoding, name=self.name)
        raise InputError(self.name, "the file changed while it was read") from None

    @property
    def sha256(self) -> str:
        """The hex SHA-256 of the bytes read so far (all of them, once exhausted)."""
        return self._hashing.digest.hexdigest()

    def close(self) -> None:
        """Close the file."""
        self._text.close()


class _Tally:
    """The accounting of one source, kept while its entries stream past."""

    __slots__ = ("entries", "errors", "rows_in_entries", "rows_read")

    def __init__(self) -> None:
        self.rows_read = 0
        self.entries = 0
        self.rows_in_entries = 0
        self.errors: list[LoadError] = []

    def take(self, part: LoadResult) -> Iterator[Entry]:
        """Count one finished group of rows and yield its entries."""
        self.rows_read += part.rows_read
        self.errors.extend(part.errors)
        for entry in part.entries:
            self.entries += 1
            self.rows_in_entries += len(entry.source_rows)
            yield entry

    def info(self, name: str, sha256: str, delimiting: Delimiting = COMMAS) -> StreamedLoad:
        """The source's load result; errors ordered by row, as the in-memory loader orders them."""
        errors = sorted(self.errors, key=lambda error: (error.row is None, error.row or 0))
        return StreamedLoad(
            entries=(),
            errors=tuple(errors),
            sources=(_source_info(name, sha256, self.rows_read, delimiting),),
            rows_read=self.rows_read,
            rows_rejected=self.rows_read - self.rows_in_entries,
            entries_seen=self.entries,
            rows_in_seen=self.rows_in_entries,
        )


_T = TypeVar("_T")
"""What a consumer of :meth:`EntryStream.read_with` makes of the entries."""


class EntryStream:
    """Entries read from files one at a time; iterate it once.

    Build it with :func:`stream`. After the iteration ends, :attr:`result` holds the load
    accounting. Pass the stream itself to :func:`t86audit.audit` so the report carries that
    accounting and so rows that turn out not to be contiguous fall back to an in-memory load.

    Args:
        paths: the files to read.
        mapping: canonical column name -> the header (or JSON key) used instead.
        encoding: the files' encoding; decoding is strict.
        strict: raise :class:`~t86audit.exceptions.RowError` at the first unreadable row.
        format: read every path as this format, whatever its suffix.
        on_fallback: called with a one-line reason when an audit gives up streaming and
            loads the population in memory (default: a warning on the ``t86audit`` logger,
            which Python prints on standard error when logging is not configured).
        sheet: the worksheet of ``.xlsx`` inputs to read (default: the first).
        delimiter: the CSV inputs' delimiter (``","``, ``";"``, ``"tab"`` or ``"|"``); ``None``
            finds each file's (see :func:`~t86audit.io.load_csv`).
        decimal: the CSV inputs' decimal mark, ``"."`` or ``","`` (see
            :func:`~t86audit.io.load_csv`).
    """

    def __init__(
        self,
        paths: tuple[str | os.PathLike[str], ...],
        *,
        mapping: Mapping[str, str] | None = None,
        encoding: str = "utf-8",
        strict: bool = False,
        format: Kind | None = None,
        on_fallback: Callable[[str], None] | None = None,
        sheet: str | None = None,
        delimiter: str | None = None,
        decimal: str = ".",
    ) -> None:
        if not paths:
            raise InputError("stream()", "no input files given")
        if format is not None and format not in INPUT_FORMATS:
            raise InputError("stream()", unknown_format(format))
        self.paths = paths
        self.sheet = sheet
        self.delimiter = check_delimiter(delimiter, "stream()")
        self.decimal = check_decimal(decimal, "stream()")
        self.mapping = check_mapping(mapping, "column mapping")
        self.encoding = encoding
        self.strict = strict
        self.format = format
        self.on_fallback = on_fallback
        self._kinds = [self._kind(path) for path in paths]
        if "csv" not in self._kinds:
            check_text_options(self.delimiter, self.decimal, "stream()")
        self._result: LoadResult | None = None
        self._started = False
        # (first, end): only the entries of these ordinals (counted from 0 across the files)
        # are built; see part(). None: every entry.
        self._part: tuple[int, int] | None = None
        self._wanted: frozenset[str] | None = None
        self._ordinal = -1
        self._done = False
        # Where each file's entries are (file number -> index), noted while the files are
        # read whole or in parts; a complete one lets only() skip to the entries wanted.
        self._lines: dict[int, _LineIndex] = {}
        self._lines_complete = False
        self._find_by: dict[int, _LineIndex] | None = None
        self._wanted_marks: frozenset[int] = frozenset()
        # Each CSV file's rows are put in entry order before they are read (see regrouped()).
        self._regroup = False

    def _kind(self, path: str | os.PathLike[str]) -> Kind:
        return kind_of(path, self.format)

    @property
    def reading(self) -> dict[str, Any]:
        """How its files are read, as :func:`~t86audit.io.load`'s keyword arguments.

        Everything that reads these files again (a part, the in-memory fallback, the
        exposure's second reading) passes these on, so no reading option is left behind.
        """
        return {
            "mapping": self.mapping or None,
            "encoding": self.encoding,
            "strict": self.strict,
            "format": self.format,
            "sheet": self.sheet,
            "delimiter": self.delimiter,
            "decimal": self.decimal,
        }

    @property
    def partitionable(self) -> bool:
        """Whether :meth:`part` can split this stream: every input is CSV, its rows in order."""
        return not self._regroup and all(kind == "csv" for kind in self._kinds)

    @property
    def regrouping(self) -> bool:
        """Whether the rows of each CSV file are put in entry order first (:meth:`regrouped`)."""
        return self._regroup

    def part(self, first: int, end: int) -> EntryStream:
        """A new stream of the same files giving only the entries ``first`` to ``end - 1``.

        Entries are counted from 0 across the files in order, as they stream. The rows of
        other entries are read but not parsed (those before the part's first entry passed
        over a block of lines at a time, about a third of what parsing them would cost), and
        reading stops after entry ``end - 1``, so
        several processes can each build and audit a contiguous slice of one population.
        The part's :attr:`result` accounts for its own rows only (its sources' hashes are
        of what it read); :func:`count_entries` gives the whole files' accounting.
        """
        other = EntryStream(self.paths, on_fallback=self.on_fallback, **self.reading)
        other._part = (first, end)
        other._regroup = self._regroup
        return other

    @property
    def begun(self) -> int:
        """How many entries the reading has begun (counted as :meth:`part` counts them)."""
        return self._ordinal + 1

    def stop_at(self, end: int) -> int:
        """Give no entry from entry ``end`` on (counted as :meth:`part` counts them); a part's.

        A part being read can be told where to stop after it started (the first worker starts
        before the population is counted). Entries whose rows it has begun to read are still
        given, so the end that holds may be later: it is returned.
        """
        if self._part is None:
            msg = "stop_at() is for a part of a stream (see part())"
            raise RuntimeError(msg)
        end = max(end, self._ordinal + 1, self._part[0])
        self._part = (self._part[0], end)
        return end

    @property
    def started(self) -> bool:
        """Whether the stream has been (or is being) read; it can be read once."""
        return self._started

    def settle(self, result: LoadResult) -> None:
        """Record the accounting of a stream that other processes read in parts.

        After an audit split into parts (:meth:`part`), this stream was never iterated here;
        its :attr:`result` is then the parts' accounting put together, and it counts as read.
        """
        self._started = True
        self._result = result

    def only(self, numbers: Iterable[str]) -> EntryStream:
        """A new stream of the same CSV files giving only the entries with these numbers.

        Numbers are compared by their key (:func:`~t86audit.model.entry_number_key`); the lines
        of every other entry are left out before the CSV reader (see :class:`_Unwanted`), so
        finding a few entries again (the groups met twice, the ineligible entries) costs less
        than a ``csv.reader`` pass. Rows of other entries between two rows of a wanted entry
        are passed over, as :func:`~t86audit.io.load` would; rows of two wanted entries
        interleaved raise :class:`RowsNotContiguousError`, as the stream does. The stream's
        :attr:`result` accounts only for the rows it kept.
        """
        other = self.part(0, -1)
        other._part = None
        other._wanted = frozenset(entry_number_key(n) for n in numbers)
        if self._lines_complete:
            # The pass noted where every entry is: only the wanted entries' lines are read
            # (past the others without even looking at them; see _Spans).
            other._find_by = self._lines
            other._wanted_marks = frozenset(_mark(key) for key in other._wanted)
        return other

    @property
    def line_index(self) -> dict[int, _LineIndex]:
        """Where the entries this stream read are in their files (file number -> index).

        Noted while the files are read whole, or by a part (:meth:`part`) for its entries;
        give the parts' indexes to :meth:`take_index` of the stream they were parts of.
        """
        return self._lines

    def take_index(self, parts: Sequence[Mapping[int, _LineIndex] | None]) -> None:
        """Put together the indexes of the parts that read this stream's files (in order).

        Afterwards :meth:`only` reads just the lines of the entries it is asked for. A part
        without an index (``None``) leaves the stream without one.
        """
        joined = _joined(parts)
        if joined is None:
            return
        self._lines = joined
        self._lines_complete = len(joined) == len(self.paths)

    @property
    def result(self) -> LoadResult:
        """The load accounting, once the stream has been read to the end.

        Raises:
            RuntimeError: the stream has not been read to the end.
        """
        if self._result is None:
            msg = "the stream has not been read to the end yet"
            raise RuntimeError(msg)
        return self._result

    def __iter__(self) -> Iterator[Entry]:
        if self._started:
            msg = "an EntryStream can be read once; call stream() again to read the files again"
            raise RuntimeError(msg)
        self._started = True
        return self._entries()

    def _entries(self) -> Iterator[Entry]:
        total: StreamedLoad | None = None
        part: StreamedLoad
        for number, (path, kind) in enumerate(zip(self.paths, self._kinds, strict=True)):
            name = os.fspath(path)
            if self._done:
                break
            if kind == "csv":
                part = yield from self._csv(path, name, number)
            elif kind == "jsonl":
                part = yield from self._json_lines(path, name)
            elif kind == "xlsx":
                # A workbook is a ZIP archive: its sheet is read whole, as load() reads it.
                part = yield from _whole(
                    load_xlsx(path, sheet=self.sheet, mapping=self.mapping, strict=self.strict)
                )
            else:
                # A .json file is one document (an array, or JSON Lines only the whole text
                # can tell apart from one object): it is read whole, as load() reads it.
                loaded = load_json(
                    path,
                    lines=False if self.format == "json" else None,
                    encoding=self.encoding,
                    strict=self.strict,
                    mapping=self.mapping,
                )
                yield from loaded.entries
                part = StreamedLoad.of(loaded)
            total = part if total is None else merge_loads(total, part)
        self._result = total
        # Read whole, every file CSV: the index is complete (parts' indexes are put together
        # by take_index on the stream they are parts of).
        self._lines_complete = (
            self._part is None and self._wanted is None and len(self._lines) == len(self.paths)
        )

    def _csv(  # noqa: PLR0915  (the row loop stays in one frame: hot-path locals)
        self, path: str | os.PathLike[str], name: str, file_number: int
    ) -> Generator[Entry, None, StreamedLoad]:
        stamp = _stamp(path)  # before reading: a change while it is read shows later
        source = _Source(path, name, self.encoding, newline="")
        tally = _Tally()
        try:
            with _field_size_limit():
                strict = self.strict
                closed = _Closed()
                first, end = self._part if self._part is not None else (0, -1)
                # Reading the file whole or a part of it, note where each entry starts (the
                # lines read before its first row, that row's number and, where the encoding
                # tells, its byte offset).
                at = [0] if self._wanted is None and not self._regroup else None
                measured = array("q") if at is not None and source.measurable else None
                if measured is not None:
                    source.measure(measured)
                skipping = self._skipping(source, closed)
                spans = self._spans(source, file_number, path)
                splitting = (self.delimiter, default_delimiter(path))
                if self._regroup:
                    rows, plan, index, delimiting = _regrouped_rows(
                        source, name, self.mapping, self._wanted, stamp, splitting=splitting
                    )
                else:
                    rows, plan, index, delimiting = _csv_start(
                        source,
                        name,
                        self.mapping,
                        self._wanted,
                        lines=skipping or spans,
                        at=at,
                        splitting=splitting,
                    )
                lines: _LineIndex | None = None
                if at is not None:
                    lines = self._lines[file_number] = _LineIndex(
                        at[0], stamp, None if measured is None else array("q")
                    )
                    starts, firsts, marks = lines.starts, lines.rows, lines.marks
                    offsets = lines.offsets
                line_offset = 0
                measured_from = 0  # the line whose offset is measured[0]
                assembling = assembler_for(self.decimal)
                assembler = assembling(name, plan, strict=strict)
                in_batch = 0
                current: str | None = None
                last_number = ""
                intern = sys.intern
                kept = [i for i in map(plan.positions.get, _KEPT_COLUMNS) if i is not None]
                # Rows before a file's first entry number go with the entry before them (the
                # previous file's last), as they would in one stream: to the part holding it.
                inside = (self._part is None and self._wanted is None) or (
                    self._part is not None and first <= max(self._ordinal, 0) < end
                )
                for row, cells in rows:
                    if skipping is not None:
                        # The lines left out held this many entries: count on from the last.
                        self._ordinal += skipping.entries
                        current, last_number = skipping.current, skipping.last
                        line_offset = skipping.skipped  # lines the reader did not get
                        measured_from = skipping.measured_from
                        skipping = None
                    number = cells[index].strip() if 0 <= index < len(cells) else ""
                    if number and number != last_number:
                        last_number = number
                        key = entry_number_key(number)
                        if key != current:
                            if current is not None:
                                closed.add(current)
                                in_batch += 1
                                if in_batch == _BATCH:
                                    # Entries are built a batch at a time: an assembler is
                                    # cheap per batch, not per entry.
                                    yield from tally.take(assembler.finish())
                                    assembler = assembling(name, plan, strict=strict)
                                    in_batch = 0
                            if key in closed:
                                raise RowsNotContiguousError(name, number, row)
                            current = key
                            if self._part is not None:
                                self._ordinal += 1
                                if self._ordinal >= self._part[1]:  # (see stop_at)
                                    self._done = True
                                    break
                                inside = self._ordinal >= first
                            elif self._wanted is not None:
                                inside = key in self._wanted
                            if lines is not None and inside:
                                assert at is not None
                                start = at[0] + line_offset
                                starts.append(start)
                                firsts.append(row)
                                marks.append(_mark(key))
                                if offsets is not None:
                                    assert measured is not None
                                    offsets.append(measured[start - measured_from])
                                    if start - measured_from > _MEASURED_KEPT:
                                        # No later entry starts before this one: the
                                        # offsets of the lines before it can go.
                                        del measured[: start - measured_from]
                                        measured_from = start
                    if not inside:
                        continue  # another part's entry (or a row before the first entry)
                    # A row without an entry number is a load error of its own; it does not
                    # end the entry whose rows surround it, as it would not in memory.
                    for i in kept:
                        if i < len(cells):
                            cells[i] = intern(cells[i])
                    assembler.add_row(row, cells, group=current if number else None)
                if skipping is not None:
                    self._ordinal += skipping.entries  # every line of the file was left out
                yield from tally.take(assembler.finish())
            sha256 = source.sha256
        finally:
            source.close()
        return tally.info(name, sha256, delimiting)

    def _skipping(self, source: _Source, closed: _Closed) -> _Before | None:
        """The filter leaving out a file's entries before this part's first, if it has some.

        Their rows are another part's: their lines are left out before the CSV reader, a
        block of lines at a time where that is safe (:class:`_Before`).
        """
        if self._part is None:
            return None
        before = self._part[0] - self._ordinal - 1
        if before <= 0:
            return None
        return _Before(source, before, closed)

    def _spans(
        self, source: _Source, file_number: int, path: str | os.PathLike[str]
    ) -> _Spans | None:
        """The filter reading only the wanted entries' lines, if the pass noted where they are.

        ``None`` also when the file is not as the pass found it (another size or modification
        time): its wanted entries are then found by their numbers, line by line.
        """
        if self._find_by is None:
            return None
        index = self._find_by[file_number]
        if index.stamp is None or index.stamp != _stamp(path):
            return None
        return _Spans(source, index, self._wanted_marks)

    def _json_lines(
        self, path: str | os.PathLike[str], name: str
    ) -> Generator[Entry, None, StreamedLoad]:
        source = _Source(path, name, self.encoding, newline="\n")
        tally = _Tally()
        seen_text = False
        try:
            reader = _RecordReader(name, self.mapping, strict=self.strict, sha256="")
            for line_no, line in enumerate(source.lines(), 1):
                if not line.strip():
                    continue
                seen_text = True
                record: object
                try:
                    record = _DECODER.decode(line)
                except ValueError as exc:
                    record = _record_error(exc)
                except RecursionError:
                    record = _RecordError("the JSON is nested too deeply to read")
                # One record is one entry: each gets an assembler of its own, so nothing
                # accumulates from one record to the next.
                reader.assembler = EntryAssembler(name, _PLAN, strict=self.strict)
                reader.assembler.delimited_text = False
                reader.add(line_no, record)
                yield from tally.take(reader.assembler.finish())
            sha256 = source.sha256
        finally:
            source.close()
        if not seen_text:
            raise InputError(name, "the file is empty: expected a JSON array or JSON Lines")
        return tally.info(name, sha256)

    def regrouped(self, reason: str, *, announce: bool = True) -> EntryStream | LoadResult:
        """Give up streaming the rows as they come: announce ``reason``, and read them again.

        :func:`t86audit.audit` calls this when :class:`RowsNotContiguousError` interrupts an
        audit of the stream, and starts again on what it returns. For CSV files (and JSON
        Lines, whose records are whole entries) that is a new stream of the same files whose
        CSV rows are put in entry order before they are read: a first pass notes each row's
        entry and byte offset, a second reads the rows entry by entry (:func:`_regrouped_rows`),
        so memory holds a few numbers per row, not the population. The entries, their order
        (first appearance), the load errors and the accounting are those of
        :func:`~t86audit.io.load`. Other inputs, and any in strict mode (whose first problem
        must be the first in the file), are loaded in memory (:meth:`load_in_memory`).
        ``announce=False``: a reading whose reason was given before (a re-read) says nothing.
        """
        if (
            any(kind not in {"csv", "jsonl"} for kind in self._kinds)
            or self._part is not None
            # Strict reading stops at the first problem in the file, as load() meets it: in
            # entry order another row's could come first.
            or self.strict
        ):
            return self.load_in_memory(reason, announce=announce)
        if announce:
            self._announce(f"streaming stopped: {reason}; reading the rows again in entry order")
        other = self.part(0, -1)
        other._part = None
        other._wanted = self._wanted
        other._regroup = True
        return other

    def read_with(
        self,
        consume: Callable[[Iterable[Entry]], _T],
        *,
        announce: bool = True,
        scattered: str | None = None,
    ) -> ReadWith[_T]:
        """``consume(entries)`` over this stream, read again in entry order if it must be.

        When :class:`RowsNotContiguousError` interrupts the reading, the stream is
        :meth:`regrouped` (the reason announced if ``announce``) and ``consume`` is called
        again, from the start, on the entries read again: whatever the interrupted call built
        is dropped, so ``consume`` must build its state afresh on each call. ``scattered``:
        the rows are already known not to be adjacent (the reason why); the stream is then
        regrouped at once, without a first reading. The one way :func:`t86audit.audit`, the
        command line and the Dask adapter read a stream that may turn out scattered.
        """
        if scattered is None:
            try:
                return ReadWith(consume(self), self)
            except RowsNotContiguousError as exc:
                # The announcement names the entry, not the advice to sort the file (the
                # regrouped reading makes that unnecessary).
                scattered = exc.reason.partition(", so")[0]
        again = self.regrouped(scattered, announce=announce)
        return ReadWith(consume(again.entries if isinstance(again, LoadResult) else again), again)

    def _announce(self, message: str) -> None:
        if self.on_fallback is not None:
            self.on_fallback(message)
        else:
            import logging  # noqa: PLC0415  (a fallback is rare; logging costs ~7 ms to import)

            logging.getLogger("t86audit").warning("t86audit: %s", message)

    def load_in_memory(self, reason: str, *, announce: bool = True) -> LoadResult:
        """Give up streaming: announce ``reason`` and load every file in memory.

        :func:`t86audit.audit` calls this when :class:`RowsNotContiguousError` interrupts an
        audit of the stream; the audit then starts again on the loaded entries.
        """
        if announce:
            self._announce(
                f"streaming stopped: {reason}; loading the population in memory instead"
            )
        loaded = load(*self.paths, **self.reading)
        self._result = loaded
        return loaded


@attrs.frozen
class ReadWith(Generic[_T]):
    """What :meth:`EntryStream.read_with` gives: the consumer's result and what it read.

    Attributes:
        value: what the consumer returned from the reading that went to the end.
        read: what that reading read: the stream itself, the stream regrouped in entry order,
            or (a workbook among the inputs, or strict reading) the population loaded in
            memory; the second look at the entries reads it again.
    """

    value: _T
    read: EntryStream | LoadResult

    @property
    def load(self) -> LoadResult:
        """The load accounting: the stream's result, or the loaded population, entries and all."""
        return self.read if isinstance(self.read, LoadResult) else self.read.result

    @property
    def accounting(self) -> StreamedLoad:
        """The load accounting without the entries (a loaded population's are dropped)."""
        load = self.load
        return load if isinstance(load, StreamedLoad) else StreamedLoad.of(load)


def _record_error(exc: ValueError) -> _RecordError:
    if isinstance(exc, json.JSONDecodeError):
        return _RecordError(f"not valid JSON at column {exc.colno}: {exc.msg}")
    return _RecordError(f"not valid JSON: {exc}")


def _csv_start(
    source: _Source,
    name: str,
    mapping: Mapping[str, str],
    wanted: frozenset[str] | None = None,
    *,
    lines: _LeftOut | _Spans | None = None,
    at: list[int] | None = None,
    splitting: tuple[str | None, str] = (None, ","),
) -> tuple[Iterator[tuple[int, list[str]]], ColumnPlan, int, Delimiting]:
    """A CSV file's data rows, its column plan, the entry number's position and its delimiter.

    With ``wanted`` (entry number keys), the lines of other entries never reach the CSV reader;
    ``lines``, a filter of the source's lines made by the caller, is read instead of the source
    (see :class:`_Unwanted`, :class:`_Before`, :class:`_Spans` and :class:`_Counted`); ``at`` is
    :func:`read_csv_rows`'s. ``splitting`` is ``(delimiter given or None, the default)`` (see
    :func:`~t86audit.io._csv.sniff_delimiter`).

    The filters split lines at commas to find their entry numbers: in a file delimited
    otherwise they give every line to the reader (their ``index`` stays unset), and the
    stream, which leaves out the rows of other entries and parts by their keys too, reads the
    same entries, only slower.

    Raises:
        InputError: the file is empty, its delimiter cannot be told, it seems to use another
            delimiter, or lacks a required column.
    """
    if lines is None and wanted is not None:
        lines = _Unwanted(source.lines(), wanted)
    given, default = splitting
    text, delimiting = sniff_delimiter(
        iter(source.lines() if lines is None else lines),
        name,
        mapping,
        given=given,
        default=default,
    )
    delimiter, hint = delimiting.delimiter, delimiting.hint_line
    rows = (
        read_csv_rows(text, name, at=at, delimiter=delimiter, hint=hint)
        if lines is None
        else read_csv_rows(
            text,
            name,
            lines.count_skipped,
            at=at,
            lines_skipped=lines.lines_skipped,
            delimiter=delimiter,
            hint=hint,
        )
    )
    try:
        header = next(rows)[1]
    except StopIteration:
        raise InputError(name, "the file is empty: there is no header row") from None
    check_header_delimiter(header, name, delimiting)
    plan = plan_columns(header, mapping, name, delimiting=delimiting)
    index = plan.positions.get("entry_number", -1)
    if lines is not None and delimiter == ",":
        lines.index = index  # the header is read: the lines after it can be told apart
    return rows, plan, index, delimiting


def _regrouped_rows(
    source: _Source,
    name: str,
    mapping: Mapping[str, str],
    wanted: frozenset[str] | None,
    stamp: tuple[int, int] | None,
    *,
    splitting: tuple[str | None, str] = (None, ","),
) -> tuple[Iterator[tuple[int, list[str]]], ColumnPlan, int, Delimiting]:
    """:func:`_csv_start`'s rows, each entry's rows together, entries in first-appearance order.

    A first pass reads the file (its hash, its header) and notes, per data row, its number,
    its entry (by first appearance of its entry number's key; a row without one goes with the
    entry before it) and the byte offset where it starts: three numbers a row. The rows are
    then ordered by entry (a stable sort: an entry's rows stay in file order) and read again
    from their offsets, the runs of rows that were already adjacent in one read. A row is
    parsed as the first pass parsed it (the same ``csv.reader``, the same text), so the
    cells are the same. A file whose offsets cannot be told from its text (an encoding of
    variable width, a stream that cannot seek) keeps its rows in memory instead.

    With ``wanted`` (entry number keys), only the rows of those entries are noted.

    Raises:
        InputError: as :func:`_csv_start`; or the file changed between the two passes.
    """
    measured: array[int] | None = array("q") if source.measurable else None
    if measured is not None:
        source.measure(measured)
    at = [0]
    rows, plan, index, delimiting = _csv_start(source, name, mapping, at=at, splitting=splitting)
    first: dict[str, int] = {}
    numbers = array("q")  # each row's number
    owners = array("q")  # each row's entry, by first appearance; _NOT_WANTED if not wanted
    starts = array("q")  # each row's first byte
    kept: list[list[str]] = []  # the rows themselves, when they cannot be read again
    trimmed = 0  # lines let go from the front of `measured`
    owner = -1
    last_number = ""
    key = ""
    for row, cells in rows:
        number = cells[index].strip() if 0 <= index < len(cells) else ""
        if number and number != last_number:
            last_number = number
            key = entry_number_key(number)
            owner = first.setdefault(key, len(first))
        numbers.append(row)
        # Every row is noted (a row ends where the next one starts), the ones not wanted
        # apart, so that they are not read again.
        owners.append(owner if wanted is None or (number and key in wanted) else _NOT_WANTED)
        if measured is None:
            kept.append(cells)
            continue
        starts.append(measured[at[0] - trimmed])
        if at[0] - trimmed > _MEASURED_KEPT:
            del measured[: at[0] - trimmed]
            trimmed = at[0]
    first.clear()
    order = sorted(
        (i for i, owner in enumerate(owners) if owner != _NOT_WANTED), key=owners.__getitem__
    )
    del owners
    if measured is None:
        return ((numbers[i], kept[i]) for i in order), plan, index, delimiting
    codec = source.codec
    assert codec is not None
    reading = _read_in_order(
        source.path,
        name,
        codec=codec,
        numbers=numbers,
        starts=starts,
        order=order,
        stamp=stamp,
        delimiter=delimiting.delimiter,
    )
    return reading, plan, index, delimiting


_NOT_WANTED = -2
"""The entry of a row :func:`_regrouped_rows` is not asked for."""

_RUN_BYTES = 1 << 20
"""The most bytes of adjacent rows :func:`_read_in_order` reads (and holds) at once."""


def _read_in_order(
    path: str | os.PathLike[str],
    name: str,
    *,
    codec: str,
    numbers: array[int],
    starts: array[int],
    order: list[int],
    stamp: tuple[int, int] | None,
    delimiter: str = ",",
) -> Iterator[tuple[int, list[str]]]:
    """The rows ``order`` names, read again from their byte offsets (see _regrouped_rows)."""
    if stamp is None or _stamp(path) != stamp:
        raise InputError(name, "the file changed while it was read")
    size = stamp[0]
    count = len(order)
    with _field_size_limit(), Path(path).open("rb") as handle:
        at = 0
        while at < count:
            # A run of rows adjacent in the file is read and parsed at once, up to _RUN_BYTES:
            # a sorted file with one row out of place is one long run, not one read.
            end = at + 1
            limit = starts[order[at]] + _RUN_BYTES
            while end < count and order[end] == order[end - 1] + 1 and starts[order[end]] < limit:
                end += 1
            first, last = order[at], order[end - 1]
            stop = starts[last + 1] if last + 1 < len(starts) else size
            handle.seek(starts[first])
            text = handle.read(stop - starts[first]).decode(codec)
            reader = row_reader(io.StringIO(text, newline=""), delimiter)
            wanted = end - at
            for cells in reader:
                if not "".join(cells).strip():
                    continue  # a blank record between rows, passed over by the first pass too
                yield numbers[order[at]], cells
                at += 1
                wanted -= 1
                if not wanted:
                    break
            if wanted:
                raise InputError(name, "the file changed while it was read")
    if _stamp(path) != stamp:
        raise InputError(name, "the file changed while it was read")


def _ends_quoted(line: str, inside: bool) -> bool:
    """Whether a CSV line ends inside a quoted value (``inside``: whether it begins in one).

    As the CSV reader reads it: a quote opens a value only as the value's first character (at
    the line's start or after a comma); inside, a doubled quote is a quote character and a
    single one closes the value. A quote anywhere else is an ordinary character.
    """
    at = 0
    size = len(line)
    while True:
        if inside:
            close = line.find('"', at)
            if close < 0:
                return True
            if close + 1 < size and line[close + 1] == '"':
                at = close + 2
                continue
            inside = False
            at = close + 1
        quote = line.find('"', at)
        if quote < 0:
            return False
        # Between ``at`` and the quote nothing is quoted, so a comma there is a delimiter.
        inside = quote == 0 or line[quote - 1] == ","
        at = quote + 1


class _LeftOut:
    """A filter of a CSV file's lines that leaves some out before the reader (the stream's).

    ``index`` is the entry number's column, set once the reader has read the header (until
    then every line goes to the reader); :meth:`count_skipped` says how many lines were left
    out, each a row of its own, so the reader numbers the rows it gets as if it had read them.
    """

    __slots__ = ("index", "skipped")

    def __init__(self) -> None:
        self.index = -1
        self.skipped = 0

    def count_skipped(self) -> int:
        """How many lines (each a row of its own) have been left out so far."""
        return self.skipped

    lines_skipped = count_skipped

    def __iter__(self) -> Iterator[str]:
        raise NotImplementedError


class _Unwanted(_LeftOut):
    """The lines of a CSV file but those of entries not wanted, left out before they are parsed.

    Finding a few entries again (the groups met twice, the ineligible entries) reads every
    line, but most belong to other entries: a line whose cells up to the entry number hold no
    quote is split at its commas (exactly what the CSV reader would do with it) and, if its
    entry number is not wanted, left out and counted (:meth:`count_skipped`), so the reader
    numbers the rows it gets as if it had read every line. A line without an entry number goes
    the way of the line before it, as the stream treats such a row. Other lines with quotes,
    and every line of a quoted value that spans lines (:func:`_ends_quoted`), go to the reader
    as they are. Until ``index`` (the entry number's column) is set, every line does.
    """

    __slots__ = ("lines", "wanted")

    def __init__(self, lines: Iterator[str], wanted: frozenset[str]) -> None:
        super().__init__()
        self.lines = lines
        self.wanted = wanted

    def __iter__(self) -> Iterator[str]:
        wanted = self.wanted
        quoted = False
        keep = False  # rows before the file's first entry number go with no wanted entry
        last = ""
        for line in self.lines:
            index = self.index
            quote = line.find('"')
            ends_quoted = (quoted or quote >= 0) and _ends_quoted(line, quoted)
            if index < 0 or quoted or ends_quoted:
                # The header; or a line that begins or ends inside a quoted value.
                quoted = ends_quoted
                keep, last = True, ""  # its entry is not known here: what follows is kept
                yield line
                continue
            cells = _number_cells(line, index, quote)
            if cells is None:
                keep, last = True, ""
                yield line
                continue
            number = cells[index].strip()
            if number and number != last:
                last = number
                keep = entry_number_key(number) in wanted
            if keep:
                yield line
            else:
                self.skipped += 1


class _Before(_LeftOut):
    """A CSV file's lines from the first line of entry ``before`` (counted from 0) on.

    The lines of the file's first ``before`` entries belong to other parts of the population
    (:meth:`EntryStream.part`): they are left out before the CSV reader, their keys added to
    ``closed``. They are read a block at a time (:meth:`_Source.blocks`), as the count reads
    them (:class:`_Counted`): a block whose lines all split at commas, none of them able to end
    inside a quoted value, and that cannot hold the part's first entry (fewer runs of entry
    numbers than entries left to pass) is passed with a few C-level steps and one step per
    entry; another block is looked at line by line. From the first line the reader is needed
    for (the part's first entry, or a line only the reader can tell), every line goes to the
    reader. ``entries``, ``current`` and ``last`` then say how many entries were left out, the
    last one's key and its number as filed; ``skipped`` how many lines (each a row).

    Where the file is measured (:meth:`_Source.measure`), the lines given are measured here
    (the source's own :meth:`~_Source.lines` is not used), and the offsets the source
    collects begin at line ``measured_from`` (the first line given after those left out).
    """

    __slots__ = ("before", "closed", "current", "entries", "last", "measured_from", "source")

    def __init__(self, source: _Source, before: int, closed: _Closed) -> None:
        super().__init__()
        self.source = source
        self.before = before
        self.closed = closed
        self.entries = 0
        self.current: str | None = None
        self.last = ""
        self.measured_from = 0

    def __iter__(self) -> Iterator[str]:
        source = self.source
        # The source's own lines() measures the lines it gives; these are measured here.
        offsets = source._offsets
        codec = source._codec
        note = None if offsets is None else offsets.append
        blocks = source.blocks(first=_FIRST_BLOCK)
        at = 0  # the byte offset of the next line, when measured
        given = 0  # the lines given to the reader
        lines: list[str] = []
        stop = 0  # where, in ``lines``, the lines to give the reader begin
        for lines in blocks:
            if note is not None and not given and not self.skipped:
                at = source._bom + (len(_BOM.encode(codec)) if source.bom_dropped and codec else 0)
            stop = 0
            while stop < len(lines) and self.index < 0:
                # The header (the index is set once the reader has read it).
                line = lines[stop]
                stop += 1
                given += 1
                if note is not None:
                    note(at)
                    at += _size(line, codec)
                yield line
            if stop == len(lines):
                continue
            rest = lines[stop:] if stop else lines
            found = -1 if self._passed(rest) else self._first_given(rest)
            if note is not None:
                at += _size("".join(rest if found < 0 else rest[:found]), codec)
            if found < 0:
                continue  # every line of the block left out
            stop += found
            break
        else:
            return
        # From here every line goes to the reader, measured from the first of them on, and
        # read line by line again (a part that stops early decodes no further than it did).
        blocks.close()
        self.measured_from = given + self.skipped
        if note is None:
            yield from lines[stop:]
            yield from source.rest()
            return
        assert offsets is not None
        del offsets[:]
        for line in itertools.chain(lines[stop:], source.rest()):
            note(at)
            at += _size(line, codec)
            yield line

    def _passed(self, lines: list[str]) -> bool:
        """Leave out ``lines`` at once, if that is safe: whether it was."""
        cells, slow = _plain(lines, self.index)
        if slow:
            return False
        numbers = [cell.strip() for cell in cells if cell is not None]  # (none is None)
        runs = [number for number, _ in itertools.groupby(filter(None, numbers))]
        if runs and runs[0] == self.last:
            del runs[0]
        if self.entries + len(runs) > self.before:
            return False  # the part's first entry may begin in these lines
        self.skipped += len(lines)
        if not runs:
            return True
        self.last = runs[-1]
        # (A key passed over that comes back is met by the stream, in the part.)
        self.current, begun, _ = _begin(self.closed, self.current, _keys(runs))
        self.entries += begun
        return True

    def _first_given(self, lines: list[str]) -> int:
        """Leave out ``lines`` one by one, up to the first the reader must have; where it is.

        ``-1`` when every line was left out.
        """
        index = self.index
        closed = self.closed
        for at, line in enumerate(lines):
            quote = line.find('"')
            cells = _number_cells(line, index, quote)
            if cells is None or (quote >= 0 and _ends_quoted(line, False)):
                return at  # the reader decides, from here on (a quoted value may go on)
            number = cells[index].strip()
            if number and number != self.last:
                key = entry_number_key(number)
                if key != self.current:
                    if self.entries == self.before:
                        return at  # the part's first entry: the stream reads it, closes the last
                    if self.current is not None:
                        closed.add(self.current)
                    self.current = key
                    self.entries += 1
                self.last = number
            self.skipped += 1
        return -1


def _size(text: str, codec: str | None) -> int:
    """The bytes of ``text`` in ``codec`` (a measurable one: see :data:`_MEASURABLE`)."""
    if text.isascii() or codec is None:
        return len(text)
    return len(text.encode(codec))


def _stamp(path: str | os.PathLike[str]) -> tuple[int, int] | None:
    """A file's size and modification time (ns), or ``None`` if it cannot be told."""
    try:
        found = Path(path).stat()
    except OSError:
        return None
    return found.st_size, found.st_mtime_ns


def _mark(key: str) -> int:
    """A short, portable digest of an entry number key (CRC-32; the same in every process).

    Two keys sharing one only make :class:`_Spans` read one more entry's lines, which the
    stream then leaves out by its key.
    """
    return zlib.crc32(key.encode("utf-8", "surrogatepass"))


_U32 = "I" if array("I").itemsize == 4 else "L"


def _joined(parts: Sequence[Mapping[int, _LineIndex] | None]) -> dict[int, _LineIndex] | None:
    """The indexes of the parts that read a stream's files, put together (file number ->).

    ``None`` if a part has none (see :meth:`EntryStream.take_index`).
    """
    if any(part is None for part in parts):
        return None
    joined: dict[int, _LineIndex] = {}
    for part in parts:
        assert part is not None
        for number, index in part.items():
            held = joined.get(number)
            if held is None:
                joined[number] = held = _LineIndex(
                    index.header, index.stamp, None if index.offsets is None else array("q")
                )
            elif held.stamp != index.stamp:
                held.stamp = None  # the file changed between the parts' readings
            held.extend(index)
    return joined


def narrow_index(
    parts: Sequence[Mapping[int, _LineIndex] | None] | None, numbers: Iterable[str]
) -> list[dict[int, _LineIndex]] | None:
    """The parts' indexes cut down to what :meth:`EntryStream.only` reads for ``numbers``.

    As :meth:`EntryStream.take_index` takes them (one part: the whole files): the same lines
    are read with it as with the whole index, which is some 28 bytes an entry. A task that
    reads a few entries of a large file again is sent this instead (a Dask task's arguments
    are pickled, sent and held by the scheduler until it ends). ``None`` stays ``None``, as
    does an index one of whose parts has none.
    """
    if parts is None:
        return None
    joined = _joined(parts)
    if joined is None:
        return None
    wanted = frozenset(_mark(entry_number_key(n)) for n in numbers)
    return [{number: index.narrowed(wanted) for number, index in joined.items()}]


class _LineIndex:
    """Where a CSV file's entries are, noted as it is read: to find a few of them again.

    Attributes:
        header: the lines up to the end of the header row.
        stamp: the file's size and modification time when it was read (:func:`_stamp`); a
            file that no longer has them is read without the index.
        starts: per entry (in file order), the lines before its first row.
        rows: per entry, its first row's number (as load errors and entries give rows).
        marks: per entry, :func:`_mark` of its entry number key.
    """

    __slots__ = ("header", "marks", "offsets", "rows", "stamp", "starts")

    def __init__(
        self, header: int, stamp: tuple[int, int] | None, offsets: array[int] | None = None
    ) -> None:
        self.header = header
        self.stamp = stamp
        self.starts = array("q")
        self.rows = array("q")
        self.marks = array(_U32)
        self.offsets = offsets

    def extend(self, other: _LineIndex) -> None:
        """Add the entries of the part after this one."""
        self.starts.extend(other.starts)
        self.rows.extend(other.rows)
        self.marks.extend(other.marks)
        if self.offsets is not None and other.offsets is not None:
            self.offsets.extend(other.offsets)
        else:
            self.offsets = None  # one part could not tell: find the lines by counting them

    def narrowed(self, wanted: frozenset[int]) -> _LineIndex:
        """An index of the entries whose marks are ``wanted`` and of each one's next entry.

        Its :meth:`spans` of ``wanted`` are this index's: an entry's lines end where the next
        entry's begin, and the file's last entry stays the last.
        """
        found = itertools.compress(range(len(self.marks)), map(wanted.__contains__, self.marks))
        last = len(self.marks) - 1
        kept = sorted({i for at in found for i in (at, at + 1) if i <= last})
        out = _LineIndex(self.header, self.stamp, None if self.offsets is None else array("q"))
        out.starts = array("q", [self.starts[i] for i in kept])
        out.rows = array("q", [self.rows[i] for i in kept])
        out.marks = array(_U32, [self.marks[i] for i in kept])
        if self.offsets is not None:
            out.offsets = array("q", [self.offsets[i] for i in kept])
        return out

    def spans(self, wanted: frozenset[int]) -> list[_Span]:
        """The lines of the entries whose marks are ``wanted``, in file order.

        Each is ``(first line, end line or None for the file's end, first row, rows, first
        byte, end byte or None)``: an entry's lines run from its first row to the next
        entry's first row, so the rows between (blank ones, rows without an entry number) go
        with it, and it holds the rows numbered from its first to the next entry's first. The
        bytes are ``-1`` when the index has no offsets.
        """
        starts, rows = self.starts, self.rows
        offsets = self.offsets if self.offsets is not None else array("q", [-1]) * len(starts)
        last = len(starts) - 1
        out: list[_Span] = []
        for i, mark in enumerate(self.marks):
            if mark in wanted:
                if i < last:
                    out.append(
                        (
                            starts[i],
                            starts[i + 1],
                            rows[i],
                            rows[i + 1] - rows[i],
                            offsets[i],
                            offsets[i + 1],
                        )
                    )
                else:
                    out.append((starts[i], None, rows[i], 0, offsets[i], None))
        return out


_Span = tuple[int, int | None, int, int, int, int | None]
"""An entry's lines in its file, as :meth:`_LineIndex.spans` gives them."""


class _Spans:
    """The lines of a CSV file's header and of the wanted entries, by the pass's index.

    The lines of every other entry are passed over without being looked at (the index says
    where each entry's lines are), so finding a few entries again costs about what reading
    the file's lines costs, not what splitting them does. The reader numbers the rows it
    gets as the pass numbered them: :meth:`count_skipped` says how many rows were passed
    over before the span being read.
    """

    __slots__ = ("header", "index", "left_out", "lines", "skipped", "source", "spans")

    def __init__(self, source: _Source, index: _LineIndex, wanted: frozenset[int]) -> None:
        self.source = source
        self.lines = source.lines()
        self.index = -1  # set by _csv_start; the spans need no column
        self.spans = index.spans(wanted)
        self.header = index.header
        self.skipped = 0
        self.left_out = 0

    def count_skipped(self) -> int:
        """How many rows have been passed over so far."""
        return self.skipped

    def lines_skipped(self) -> int:
        """How many lines have been passed over so far."""
        return self.left_out

    def __iter__(self) -> Iterator[str]:
        lines = iter(self.lines)
        at = self.header  # the header's lines, read as they are
        yield from itertools.islice(lines, at)
        codec = self.source.codec
        if codec is not None and self.spans and self.spans[0][4] >= 0:
            yield from self._by_offsets(at, codec)
            return
        given = 0  # data rows given to the reader
        for start, end, first_row, rows, _, _ in self.spans:
            if start > at:
                self.source.skip(start - at)
                self.left_out += start - at
            self.skipped = first_row - 1 - given
            if end is None:
                yield from lines
                return
            yield from itertools.islice(lines, end - start)
            at = end
            given += rows

    def _by_offsets(self, at: int, codec: str) -> Iterator[str]:
        """The spans' lines, each span's bytes read where the index says they are.

        Nothing between two spans is read, decoded or hashed: the cost is the wanted
        entries', however large the file. A span's bytes begin and end at line starts, so
        they decode on their own.
        """
        source = self.source
        given = 0
        with open_binary(source.path, source.name) as raw:
            for start, end, first_row, rows, first_byte, end_byte in self.spans:
                self.left_out += start - at
                self.skipped = first_row - 1 - given
                raw.seek(first_byte)
                data = raw.read() if end_byte is None else raw.read(end_byte - first_byte)
                try:
                    text = data.decode(codec)
                except UnicodeDecodeError:
                    source._undecodable()
                yield from io.StringIO(text, newline="")
                if end is None:
                    return
                at = end
                given += rows


def _number_cells(line: str, index: int, quote: int) -> list[str] | None:
    """The line's cells up to the entry number's (cell ``index``), split at its commas.

    ``None`` when only the CSV reader can tell: a short row (the stream reports it), or a
    quote (at ``quote``; -1 for none) before the cell after the entry number's, where a comma
    may be data.
    """
    cells = line.split(",", index + 1)
    if len(cells) <= index or (
        quote >= 0 and (len(cells) == index + 1 or quote < len(line) - len(cells[index + 1]))
    ):
        return None
    return cells


def _whole(loaded: LoadResult) -> Generator[Entry, None, StreamedLoad]:
    """Yield the entries of an input read whole; return its accounting."""
    yield from loaded.entries
    return StreamedLoad.of(loaded)


def merge_loads(first: LoadResult, second: LoadResult) -> StreamedLoad:
    """The accounting of two inputs read one after the other (errors and sources in order)."""
    return StreamedLoad(
        entries=(),
        errors=first.errors + second.errors,
        sources=first.sources + second.sources,
        rows_read=first.rows_read + second.rows_read,
        rows_rejected=first.rows_rejected + second.rows_rejected,
        entries_seen=first.entries_loaded + second.entries_loaded,
        rows_in_seen=first.rows_in_entries + second.rows_in_entries,
    )


@attrs.frozen
class EntryCount:
    """What a quick pass over CSV files finds: entries, rows and hashes, without parsing rows.

    Attributes:
        entries: the entries (runs of rows with one entry-number key), across the files.
        sources: each file's name, SHA-256 and data rows, as a full load records them.
        contiguous: whether every entry's rows are adjacent (else the files cannot be split
            into parts, nor streamed).
    """

    entries: int
    sources: tuple[SourceInfo, ...]
    contiguous: bool


def count_entries(
    paths: Sequence[str | os.PathLike[str]],
    *,
    mapping: Mapping[str, str] | None = None,
    encoding: str = "utf-8",
    delimiter: str | None = None,
) -> EntryCount:
    """Count the entries of CSV files (for splitting a stream into parts; see :meth:`part`).

    Reads only the entry number of each row, a block of lines at a time (:class:`_Counted`):
    the lines whose entry number a split at commas gives, and that cannot begin a quoted value
    going on to the next line, are counted without the CSV reader; the others are read with it.
    A row without an entry number belongs to no entry.

    Raises:
        InputError: a file cannot be read, or has no header or no entry_number column.
    """
    checked = check_mapping(mapping, "column mapping")
    given = check_delimiter(delimiter, "count_entries()")
    entries = 0
    contiguous = True
    sources: list[SourceInfo] = []
    for path in paths:
        name = os.fspath(path)
        source = _Source(path, name, encoding, newline="")
        try:
            with _field_size_limit():
                counter = _Counter()
                counted = _Counted(source, counter)
                rows, _, index, delimiting = _csv_start(
                    source,
                    name,
                    checked,
                    lines=counted,
                    splitting=(given, default_delimiter(path)),
                )
                for _row, cells in rows:
                    counter.row(cells[index].strip() if 0 <= index < len(cells) else "")
            entries += counter.entries
            contiguous = contiguous and counter.contiguous
            sources.append(_source_info(name, source.sha256, counter.rows, delimiting))
        finally:
            source.close()
    return EntryCount(entries, tuple(sources), contiguous)


def _split_lines(text: str) -> list[str]:
    """``text``'s lines, ends kept, where the file's lines (``newline=""``) end."""
    for other in _OTHER_BREAKS:
        if other in text:
            return list(io.StringIO(text, newline=""))
    return text.splitlines(keepends=True)


def _not_blank(line: str) -> bool:
    """Whether a line that is a whole record (no quoted value goes on after it) is a row.

    As the reader tells: a row has a cell that is not blank. Quoted cells are read by the CSV
    reader (``,"",`` is blank); a line it cannot read is told as before the reader read such
    lines, by its text without commas.
    """
    if '"' in line:
        try:
            return bool("".join(next(row_reader([line]), [])).strip())
        except csv.Error:
            pass
    return bool(line.replace(",", "").strip())


class _Counted(_LeftOut):
    """The lines of a CSV file the reader must read to count its entries; the others counted.

    :class:`_Source.blocks` gives the lines a block at a time. After the header (until
    ``index``, the entry number's column, is set, every line goes to the reader), the lines of
    a block are looked at together, with a few C-level passes (:func:`_plain`): a line whose
    cells up to the entry number's hold no quote is split at its commas, exactly as the reader
    would split it, and counted at once (:meth:`_Counter.numbers`: one step per entry, not per
    line); :meth:`count_skipped` says how many lines were, so the reader numbers the rows it
    gets as if it had read every line. A line that may end inside a quoted value
    (:func:`_ends_quoted`; the lines that follow, to the value's end) or whose entry number only
    the reader can tell goes to it, in file order with the lines counted.

    A line ends inside a quoted value only if its last quote opens the value (at the line's
    start or after a comma) or is the second of a doubled quote within it: the rest of the
    value holds only doubled quotes. So a line whose last quote follows another character
    ends outside, whatever its quotes before; the other lines are read one by one, as before.
    """

    __slots__ = ("counter", "source")

    def __init__(self, source: _Source, counter: _Counter) -> None:
        super().__init__()
        self.source = source
        self.counter = counter

    def __iter__(self) -> Iterator[str]:
        counter = self.counter
        quoted = False  # inside a quoted value that began on an earlier line
        for lines in self.source.blocks():
            end = len(lines)
            at = 0
            while at < end and (self.index < 0 or quoted):
                # The header (the index is set once the reader has read it), or the rest of
                # a value begun in the block before.
                line = lines[at]
                at += 1
                quoted = (quoted or '"' in line) and _ends_quoted(line, quoted)
                yield line
            if at == end:
                continue
            index = self.index
            first = at
            cells, slow = _plain(lines[at:] if at else lines, index)
            # Count the lines up to each one that is looked at alone, then that one.
            for found_at in (*slow, end - first):
                stop = found_at + first
                if stop < at:
                    continue  # a line of a quoted value, given to the reader
                if stop > at:
                    self._count(lines[at:stop], cells[at - first : stop - first])
                    at = stop
                if stop == end:
                    break
                line = lines[at]
                at += 1
                quote = line.find('"')
                if quote >= 0 and _ends_quoted(line, False):
                    # A quoted value goes on: its lines go to the reader, to its end.
                    yield line
                    quoted = True
                    while at < end and quoted:
                        line = lines[at]
                        at += 1
                        quoted = _ends_quoted(line, True)
                        yield line
                    continue
                split = _number_cells(line, index, quote)
                if split is None:
                    yield line
                    continue
                self.skipped += 1
                number = split[index].strip()
                if number or _not_blank(line):
                    counter.row(number)

    def _count(self, lines: list[str], cells: Sequence[str | None]) -> None:
        """Count ``lines``, whose entry number cells are ``cells`` (none ``None``)."""
        numbers = [cell.strip() for cell in cells if cell is not None]
        rows = len(lines)
        if "" in numbers:
            # Blank entry numbers: such a row counts if another of its cells is not blank.
            kept = []
            for line, number in zip(lines, numbers, strict=True):
                if number:
                    kept.append(number)
                elif not _not_blank(line):
                    rows -= 1
            numbers = kept
        self.skipped += len(lines)
        self.counter.numbers(numbers, rows)


def _plain(lines: list[str], index: int) -> tuple[Sequence[str | None], list[int]]:
    """The entry number cells of ``lines`` and the lines to look at one by one.

    ``cells[i]`` is the cell of ``lines[i]`` split at commas, ``None`` where only the reader can
    tell it (:func:`_number_cells`); the lines to look at one by one (their positions, in
    increasing order) are those and the lines that may end inside a quoted value: their last
    quote is the line's first character or follows a comma or a quote (see :class:`_Counted`).
    """
    cells: Sequence[str | None]
    if index == 0:
        firsts = [line.partition(",")[0] for line in lines]
        cells = firsts
        # A quote in the first cell: the cell may be quoted, and hold commas.
        slow = (
            [i for i, cell in enumerate(firsts) if '"' in cell] if '"' in "".join(firsts) else []
        )
    else:
        cells = [_plain_cell(line, index) for line in lines]
        slow = [i for i, cell in enumerate(cells) if cell is None]
    # (A last quote that is the line's first character is in a cell told above: line[-1] is
    # then looked at, harmlessly.)
    bad = [i for i, line in enumerate(lines) if '"' in line and line[line.rfind('"') - 1] in ',"']
    if bad:
        slow = sorted({*slow, *bad})
    return cells, slow


def _plain_cell(line: str, index: int) -> str | None:
    """The line's cell ``index`` split at commas; ``None`` where the reader must tell it.

    As :func:`_number_cells`: a short row, or a quote before the cell after the entry number's.
    """
    quote = line.find('"')
    cells = _number_cells(line, index, quote)
    return None if cells is None else cells[index]


def _keys(numbers: list[str]) -> list[str]:
    """``entry_number_key`` of each number (stripped, not blank), most at once.

    Numbers without whitespace inside are joined, their dashes dropped and their letters made
    capitals in one string (both change each character alone), and split again.
    """
    joined = "\x00".join(numbers)
    # (Not for non-ASCII numbers: entry_number_key reads typographic dashes as dashes.)
    if joined.isascii() and len(joined.split()) == 1:
        keys = joined.replace("-", "").upper().split("\x00")
        if len(keys) == len(numbers):  # (a number holding the separator cannot be split again)
            return keys
    return [entry_number_key(number) for number in numbers]


def _begin(closed: _Closed, current: str | None, keys: list[str]) -> tuple[str | None, int, bool]:
    """Open the entries of ``keys`` in turn after ``current``, each closing the one before.

    ``keys`` are the keys of runs of rows, in order (none equal to the one before it, but the
    first may be ``current``'s). Returns the key open at the end, how many entries began, and
    whether a key came back after it was closed. One step for all while the keys increase
    from above every key closed (:meth:`_Closed.extend_increasing`), else one per key.
    """
    if keys and keys[0] == current:
        del keys[0]
    if not keys:
        return current, 0, False
    opened = [current, *keys] if current is not None else keys
    if closed.extend_increasing(opened):
        return keys[-1], len(keys), False
    begun = 0
    back = False
    for key in keys:
        if key == current:
            continue
        if current is not None:
            closed.add(current)
        if key in closed:
            back = True
        current = key
        begun += 1
    return current, begun, back


class _Counter:
    """What :func:`count_entries` finds in one file, from each row's entry number in order."""

    __slots__ = ("closed", "contiguous", "current", "entries", "last", "rows")

    def __init__(self) -> None:
        self.closed = _Closed()
        self.current: str | None = None
        self.last = ""
        self.rows = 0
        self.entries = 0
        self.contiguous = True

    def row(self, number: str) -> None:
        """Count a row whose entry number (stripped) is ``number``."""
        self.rows += 1
        if not number or number == self.last:
            return
        self.last = number
        key = entry_number_key(number)
        if key == self.current:
            return
        if self.current is not None:
            self.closed.add(self.current)
        if key in self.closed:
            self.contiguous = False
        self.current = key
        self.entries += 1

    def numbers(self, numbers: list[str], rows: int) -> None:
        """Count ``rows`` rows whose entry numbers (stripped, not blank) are ``numbers``.

        As :meth:`row` for each in turn (and for the rows without one), one step per entry:
        the rows of an entry are adjacent runs of one number, and numbers that increase, as
        in an export sorted by entry number, are closed at once.
        """
        self.rows += rows
        runs = [number for number, _ in itertools.groupby(numbers)]
        if runs and runs[0] == self.last:
            del runs[0]
        if not runs:
            return
        self.last = runs[-1]
        self.current, begun, back = _begin(self.closed, self.current, _keys(runs))
        self.entries += begun
        if back:
            self.contiguous = False


class _Closed:
    """The entry number keys a reading has closed, to tell whether one comes back.

    While keys come in increasing order (an export sorted by entry number) only the greatest
    is needed to answer; the hashes of the others wait in an array (8 bytes a key). The first
    key at or below the greatest turns them into a set, which answers from then on. Two keys
    with one hash (about one chance in 10^19 for a pair) would be taken for a key come back:
    the audit then reads the rows again in entry order, with the same findings.
    """

    __slots__ = ("_greatest", "_hashes", "_set")

    def __init__(self) -> None:
        self._greatest = ""
        self._hashes = array("q")
        self._set: set[int] | None = None

    def add(self, key: str) -> None:
        if self._set is not None:
            self._set.add(hash(key))
            return
        self._hashes.append(hash(key))
        self._greatest = max(key, self._greatest)

    def extend_increasing(self, keys: Sequence[str]) -> bool:
        """Close every key of ``keys`` but the last, as ``add`` and ``in`` would one by one.

        That is, for each key after the first: ``add`` the one before it, then ask whether it
        is ``in`` (it is not). Done at once, and ``True``, while the keys increase from above
        every key closed so far (a sorted export); otherwise nothing is done (``False``).
        """
        if (
            self._set is not None
            or not keys
            or keys[0] <= self._greatest
            or not all(map(operator.lt, keys, itertools.islice(keys, 1, None)))
        ):
            return False
        if len(keys) > 1:
            self._hashes.extend(map(hash, itertools.islice(keys, len(keys) - 1)))
            self._greatest = keys[-2]
        return True

    def __contains__(self, key: str) -> bool:
        if self._set is None:
            if key > self._greatest:
                return False
            self._set = set(self._hashes)
            self._hashes = array("q")
        return hash(key) in self._set


def stream(
    *paths: str | os.PathLike[str],
    mapping: Mapping[str, str] | None = None,
    encoding: str = "utf-8",
    strict: bool = False,
    format: Kind | None = None,
    on_fallback: Callable[[str], None] | None = None,
    sheet: str | None = None,
    delimiter: str | None = None,
    decimal: str = ".",
) -> EntryStream:
    """Stream entries from one or more files without holding them all in memory.

    Takes the arguments of :func:`~t86audit.io.load` and reads the same formats; the entries,
    their order and (once the stream is exhausted) :attr:`EntryStream.result` are what
    ``load`` gives, provided the rows of each entry are contiguous in the file. Memory grows
    with one short key per entry (to notice an entry number that comes back), not with the
    entries. A JSON array is read whole; CSV and JSON Lines are read incrementally.

    >>> import t86audit
    >>> from t86audit.io import stream
    >>> entries = stream("examples/data/entries.csv")               # doctest: +SKIP
    >>> report = t86audit.audit(entries)                             # doctest: +SKIP

    Args:
        *paths: the files to read.
        mapping: canonical column name -> the header (or JSON key) used instead.
        encoding: the files' encoding; decoding is strict.
        strict: raise :class:`~t86audit.exceptions.RowError` at the first unreadable row.
        format: read every path as this format, whatever its suffix.
        on_fallback: called with a one-line reason if an audit of the stream must fall back
            to loading in memory (see :class:`EntryStream`).
        sheet: the worksheet of ``.xlsx`` inputs to read (default: the first); a workbook is
            read whole.
        delimiter: the CSV inputs' delimiter (``","``, ``";"``, ``"tab"`` or ``"|"``); ``None``
            finds each file's, as :func:`~t86audit.io.load_csv` does.
        decimal: the CSV inputs' decimal mark: ``"."`` (U.S. format) or ``","``.

    Raises:
        InputError: no path is given, or a suffix or format is not recognised. Problems
            inside a file (missing, empty, bad encoding, missing columns) are raised when the
            stream is read, as :func:`~t86audit.io.load` would raise them; rows of one entry
            that are not adjacent raise :class:`RowsNotContiguousError`.
    """
    return EntryStream(
        paths,
        mapping=mapping,
        encoding=encoding,
        strict=strict,
        format=format,
        on_fallback=on_fallback,
        sheet=sheet,
        delimiter=delimiter,
        decimal=decimal,
    )


def _source_info(name: str, sha256: str, rows: int, delimiting: Delimiting) -> SourceInfo:
    """A CSV source's :class:`SourceInfo`, noting a delimiter other than the comma."""
    if delimiting.delimiter == ",":
        return SourceInfo(name, sha256, rows)
    return SourceInfo(name, sha256, rows, delimiting.delimiter, delimiting.found)
