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
from typing import TYPE_CHECKING

from t86audit.report._document import (
    Block,
    Cell,
    Fields,
    Heading,
    Para,
    Record,
    Table,
    build,
    cell_text,
)


if TYPE_CHECKING:
    from t86audit.report import Report


__all__ = ["WIDTH", "render"]

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


def _cell(cell: Cell) -> str:
    return _clean(cell_text(cell))


def _table(block: Table) -> list[str]:
    header = [_clean(c) for c in block.columns]
    rows = [[_cell(c) for c in row] for row in block.rows]
    widths = [len(h) for h in header]
    for row in rows:
        for i, text in enumerate(row):
            widths[i] = max(widths[i], len(text))

    def line(cells: list[str]) -> str:
        parts = [
            c.rjust(widths[i]) if i in block.numeric else c.ljust(widths[i])
            for i, c in enumerate(cells)
        ]
        return "  ".join(parts).rstrip()

    out = [line(header), "  ".join("-" * w for w in widths)]
    out.extend(line(row) for row in rows)
    if block.more:
        out.append(f"({_clean(block.more)})")
    return out


def _fields(items: tuple[tuple[str, Cell], ...], indent: str) -> list[str]:
    width = max((len(label) for label, _ in items), default=0)
    return [f"{indent}{_clean(label).ljust(width)}   {_cell(value)}" for label, value in items]


def _block(block: Block) -> list[str]:
    if isinstance(block, Heading):
        text = _clean(block.text)
        if block.level == 1:
            return [text, "=" * len(text)]
        if block.level == 2:
            return ["", text, "-" * len(text)]
        if block.level == 3:
            return ["", text, "~" * len(text)]
        return ["", f"{text}:"]
    if isinstance(block, Para):
        return [
            textwrap.fill(
                _clean(block.text), WIDTH, break_long_words=False, break_on_hyphens=False
            ),
        ]
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Fields):
        return _fields(block.items, "")
    assert isinstance(block, Record)
    return [_clean(block.title), *_fields(block.items, "    ")]


def render(report: Report) -> str:
    """Render ``report`` as text (ends with a newline)."""
    out: list[str] = []
    previous: Block | None = None
    for block in build(report):
        lines = _block(block)
        # A blank line between neighbours keeps records and tables apart; headings bring their own.
        if previous is not None and not isinstance(block, Heading):
            out.append("")
        out.extend(lines)
        previous = block
    return "\n".join(out).rstrip("\n") + "\n"
