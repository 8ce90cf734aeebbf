r"""The report as Markdown (CommonMark with GitHub tables), for a memo, a ticket or a wiki.

Every value that comes from the input is escaped so it reads as the text that was filed: the
characters Markdown would act on (``\ ` * _ [ ] | ~ #``) are backslash-escaped, ``< > &`` become
HTML entities (no raw HTML reaches the output), and line breaks and control characters inside a
value become a space or U+FFFD, so a value can neither end a table cell nor start a new block.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from t86audit.report._document import (
    Block,
    Cell,
    Fields,
    Heading,
    Link,
    Para,
    Record,
    Table,
    build,
    build_summary,
)


if TYPE_CHECKING:
    from t86audit.report import Report


__all__ = ["escape", "render", "render_summary"]

_SPECIAL = re.compile(r"([\\`*_\[\]|~#])")
_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def escape(text: object) -> str:
    """Escape ``text`` so Markdown shows it literally, on one line."""
    value = str(text)
    # Nearly every value is printable: check that in C before looking at characters one by one.
    if not value.isprintable():
        value = "".join(" " if c.isspace() else c if c.isprintable() else "\ufffd" for c in value)
    flat = " ".join(value.translate(_ENTITIES).split())
    return _SPECIAL.sub(r"\\\1", flat)


def _url(url: str) -> str:
    # Citation URLs are http(s) by construction; encode what would end the link early.
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C")


def _link(link: Link) -> str:
    if link.url is None:
        return escape(link.text)
    return f"[{escape(link.text)}]({_url(link.url)})"


def _cell(cell: Cell) -> str:
    if isinstance(cell, str):
        return escape(cell)
    if isinstance(cell, Link):
        return _link(cell)
    return "; ".join(_link(link) for link in cell) or "-"


def _table(block: Table) -> str:
    head = "| " + " | ".join(escape(c) for c in block.columns) + " |"
    rule = (
        "| "
        + " | ".join("---:" if i in block.numeric else "---" for i in range(len(block.columns)))
        + " |"
    )
    rows = ["| " + " | ".join(_cell(c) for c in row) + " |" for row in block.rows]
    text = "\n".join([head, rule, *rows])
    if block.more:
        text += f"\n\n_{escape(block.more)}_"
    return text


def _fields(items: tuple[tuple[str, Cell], ...]) -> str:
    return "\n".join(f"- **{escape(label)}:** {_cell(value)}" for label, value in items)


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        return "#" * min(block.level, 6) + " " + escape(block.text)
    if isinstance(block, Para):
        text = escape(block.text)
        return f"> {text}" if block.kind == "note" else text
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Fields):
        return _fields(block.items)
    assert isinstance(block, Record)
    return f"**{escape(block.title)}**\n\n{_fields(block.items)}"


def _join(blocks: list[Block]) -> str:
    return "\n\n".join(_block(b) for b in blocks) + "\n"


def render(report: Report) -> str:
    """Render the whole report as Markdown."""
    return _join(build(report))


def render_summary(report: Report) -> str:
    """A short Markdown view for notebooks: summary, the first findings, rules, samples."""
    return _join(build_summary(report))
