r"""The report as Markdown (CommonMark with GitHub tables), for a memo, a ticket or a wiki.

Every value that comes from the input is escaped so it reads as the text that was filed: the
characters Markdown would act on (``\ ` * _ [ ] | ~ #``) are backslash-escaped, ``< > &`` become
HTML entities (no raw HTML reaches the output), and line breaks and control characters inside a
value become a space or U+FFFD, so a value can neither end a table cell nor start a new block.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from t86audit.report import _blocks
from t86audit.report._document import (
    ChunkWriter,
    build,
    build_summary,
    cell_formatter,
    chart_table,
)


if TYPE_CHECKING:
    from t86audit.report import Report
    from t86audit.report._common import TextWriter


__all__ = ["escape", "render", "render_summary", "write"]

_SPECIAL = "\\`*_[]|~#"
"""The characters Markdown would act on; each is written after a backslash."""

_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", **{c: "\\" + c for c in _SPECIAL}}
)
"""HTML entities for ``& < >`` and a backslash before each of :data:`_SPECIAL`, in one pass."""


def escape(text: object) -> str:
    """Escape ``text`` so Markdown shows it literally, on one line."""
    value = str(text)
    # Nearly every value is printable: check that in C before looking at characters one by one.
    if not value.isprintable():
        value = "".join(" " if c.isspace() else c if c.isprintable() else "\ufffd" for c in value)
    # One translation (in C) does the entities and the backslashes: neither adds white space,
    # and what it inserts is not looked at again, so collapsing white space after it is the same.
    return " ".join(value.translate(_ESCAPES).split())


def _url(url: str) -> str:
    # Citation URLs are http(s) by construction; encode what would end the link early.
    return url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C")


def _link(link: _blocks.Link) -> str:
    # In-page links (to an entry or a rule) point at HTML ids Markdown does not have.
    if link.url is None or link.url.startswith("#"):
        return escape(link.text + link.after)
    # escape() trims white space; the space between the name and its words must stay.
    space = " " if link.after[:1].isspace() else ""
    return f"[{escape(link.text)}]({_url(link.url)}){space}{escape(link.after)}"


def _target(target: _blocks.Target) -> str:
    # Markdown has no ids to link to (see _link): the entry number shows as text.
    return escape(target.text)


_cell = cell_formatter(escape, _link, _target)


def _table(block: _blocks.Table) -> Iterator[str]:
    head = "| " + " | ".join(escape(c) for c in block.columns) + " |"
    rule = (
        "| "
        + " | ".join("---:" if i in block.numeric else "---" for i in range(len(block.columns)))
        + " |"
    )
    yield head + "\n" + rule
    for row in block.rows:
        yield "\n| " + " | ".join([_cell(c) for c in row]) + " |"
    if block.more:
        yield f"\n\n_{escape(block.more)}_"


def _fields(items: tuple[tuple[str, _blocks.Cell], ...]) -> str:
    return "\n".join(f"- **{escape(label)}:** {_cell(value)}" for label, value in items)


def _block(block: _blocks.Block) -> Iterator[str]:
    if isinstance(block, _blocks.Heading):
        yield "#" * min(block.level, 6) + " " + escape(block.text)
    elif isinstance(block, _blocks.Para):
        text = escape(block.text)
        yield f"> {text}" if block.kind == "note" else text
    elif isinstance(block, _blocks.Table):
        yield from _table(block)
    elif isinstance(block, _blocks.Fields):
        yield _fields(block.items)
    elif isinstance(block, _blocks.Chart):
        # The heading before it names the chart; its data reads as a table.
        if block.note:
            yield f"{escape(block.note)}\n\n"
        yield from _table(chart_table(block))
    else:
        assert isinstance(block, _blocks.Record)
        yield f"**{escape(block.title)}**\n\n{_fields(block.items)}"


def _write(blocks: list[_blocks.Block], stream: TextWriter) -> None:
    out = ChunkWriter(stream)
    for index, block in enumerate(blocks):
        if index:
            out.write("\n\n")
        for piece in _block(block):
            out.write(piece)
    out.write("\n")
    out.flush()


def write(report: Report, stream: TextWriter) -> None:
    """Write the whole report as Markdown to ``stream``, piece by piece (as :func:`render`)."""
    _write(build(report), stream)


def render(report: Report) -> str:
    """Render the whole report as Markdown."""
    from t86audit.report._common import collect  # noqa: PLC0415

    return collect(write, report)


def render_summary(report: Report) -> str:
    """A short Markdown view for notebooks: summary, the first findings, rules, samples."""
    from t86audit.report._common import collect  # noqa: PLC0415

    return collect(lambda r, stream: _write(build_summary(r), stream), report)
