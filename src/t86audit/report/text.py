"""A plain-text report for a terminal: every section of the report, in fixed-width layout.

Example (abridged)::

    t86audit report
    ===============
    ...
    1. Findings
    -----------
    VIOLATION VAL001 entry-value-over-threshold: entry H3K-0004108-1
        Entry          H3K-0004108-1
        Data element   value_usd
        Filed          850.00
        Required       <= 800.00
        Fact           entry total 850.00 USD exceeds the 800.00 USD threshold
        Law            19 U.S.C. 1321(a)(2)(C); 19 CFR 10.151

Characters from the input that could drive a terminal (control characters, escape sequences,
bidirectional overrides) are shown as U+FFFD; white space inside a value becomes a space.
Nothing is shortened: hashes, names and messages appear whole, so a table may be wider than the
terminal.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from t86audit.report import _blocks
from t86audit.report._document import ChunkWriter, build, cell_text, chart_table


if TYPE_CHECKING:
    from t86audit.report import Report
    from t86audit.report._common import TextWriter


__all__ = ["WIDTH", "render", "write"]

WIDTH = 100
"""Paragraphs are wrapped to this width."""


def _clean(text: object) -> str:
    """Neutralise control characters from the input so they cannot drive the terminal."""
    value = str(text)
    if value.isprintable():
        return value
    out = []
    for c in value:
        if c.isprintable():
            out.append(c)
        elif c.isspace():
            out.append(" ")
        else:
            out.append("\ufffd")
    return "".join(out)


def _cell(cell: _blocks.Cell) -> str:
    return _clean(cell_text(cell))


def _texts(row: Iterable[_blocks.Cell]) -> list[str]:
    # Nearly every cell is printable text: take it as it is without a call per cell.
    return [c if type(c) is str and c.isprintable() else _cell(c) for c in row]


def _table(block: _blocks.Table) -> Iterator[str]:
    header = [_clean(c) for c in block.columns]
    widths = [len(h) for h in header]
    # Two passes over the rows (widths, then lines) rather than keeping every cell's text: the
    # rows may be made as they are read (the entry table of a large audit).
    for row in block.rows:
        lengths = [len(text) for text in _texts(row)]
        if len(lengths) == len(widths):
            widths = list(map(max, widths, lengths))
        else:
            for i, length in enumerate(lengths):
                widths[i] = max(widths[i], length)
    justify = [str.rjust if i in block.numeric else str.ljust for i in range(len(widths))]

    def line(cells: list[str]) -> str:
        # A row shorter than the header lays out only its own cells.
        fitted = [fit(c, w) for fit, c, w in zip(justify, cells, widths, strict=False)]
        return "  ".join(fitted).rstrip()

    yield line(header)
    yield "  ".join("-" * w for w in widths)
    for row in block.rows:
        yield line(_texts(row))
    if block.more:
        yield f"({_clean(block.more)})"


def _fields(items: tuple[tuple[str, _blocks.Cell], ...], indent: str) -> list[str]:
    width = max((len(label) for label, _ in items), default=0)
    return [f"{indent}{_clean(label).ljust(width)}   {_cell(value)}" for label, value in items]


def _block(block: _blocks.Block) -> Iterable[str]:
    if isinstance(block, _blocks.Heading):
        text = _clean(block.text)
        if block.level == 1:
            return [text, "=" * len(text)]
        if block.level == 2:
            return ["", text, "-" * len(text)]
        if block.level == 3:
            return ["", text, "~" * len(text)]
        return ["", f"{text}:"]
    if isinstance(block, _blocks.Para):
        return [
            textwrap.fill(
                _clean(block.text), WIDTH, break_long_words=False, break_on_hyphens=False
            ),
        ]
    if isinstance(block, _blocks.Table):
        return _table(block)
    if isinstance(block, _blocks.Fields):
        return _fields(block.items, "")
    if isinstance(block, _blocks.Chart):
        # The heading before it names the chart; its data reads as a table with a bar of #.
        head = []
        if block.note:
            fill = textwrap.fill(
                _clean(block.note), WIDTH, break_long_words=False, break_on_hyphens=False
            )
            head = [fill, ""]
        return [*head, *_table(chart_table(block, bar_width=40))]
    assert isinstance(block, _blocks.Record)
    return [_clean(block.title), *_fields(block.items, "    ")]


class _Lines:
    """Writes lines joined by line breaks, with the text's trailing line breaks made one."""

    __slots__ = ("first", "held", "out")

    def __init__(self, stream: TextWriter) -> None:
        self.out = ChunkWriter(stream)
        self.first = True
        self.held = ""  # trailing line breaks written so far: dropped if nothing follows

    def line(self, text: str) -> None:
        piece = text if self.first else "\n" + text
        self.first = False
        body = piece.rstrip("\n")
        if body:
            self.out.write(self.held + body)
            self.held = piece[len(body) :]
        else:
            self.held += piece

    def close(self) -> None:
        self.out.write("\n")
        self.out.flush()


def write(report: Report, stream: TextWriter) -> None:
    """Write ``report`` as text to ``stream``, piece by piece (the text of :func:`render`)."""
    out = _Lines(stream)
    previous: _blocks.Block | None = None
    for block in build(report):
        # A blank line between neighbours keeps records and tables apart; headings bring their own.
        if previous is not None and not isinstance(block, _blocks.Heading):
            out.line("")
        for text in _block(block):
            out.line(text)
        previous = block
    out.close()


def render(report: Report) -> str:
    """Render ``report`` as text (ends with a newline)."""
    from t86audit.report._common import collect  # noqa: PLC0415

    return collect(write, report)
