"""The report as one self-contained, printable HTML document.

The file needs nothing else: no scripts, no fonts, no images, no external style sheets. A
Content-Security-Policy forbids scripts and remote loads outright, and every value from the
input is escaped with :func:`html.escape` (control characters become U+FFFD), so a hostile
description or consignee name shows as text and never runs. Citation links are emitted only for
``http``/``https`` URLs. The print style sheet repeats table headers on each page, keeps a
finding on one page where it fits, starts each section on a new page and prints link targets.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import TYPE_CHECKING

from t86audit.report._document import (
    Block,
    Cell,
    ChunkWriter,
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
    from t86audit.report import Report, TextWriter


__all__ = ["escape", "render", "render_fragment", "write"]

_CSS = """
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial,
  sans-serif; color: #1b1b1b; margin: 0 auto; max-width: 1100px; padding: 1.5rem; }
h1 { font-size: 1.7rem; margin: 0 0 .5rem; }
h2 { font-size: 1.35rem; border-bottom: 2px solid #1b1b1b; padding-bottom: .2rem;
  margin-top: 2.2rem; }
h3 { font-size: 1.1rem; margin-top: 1.6rem; }
h4 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
p.note { color: #3d4551; background: #f0f0f0; border-left: 4px solid #71767a;
  padding: .4rem .7rem; }
p.more { font-style: italic; color: #565c65; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .9em; }
th, td { border: 1px solid #a9aeb1; padding: .25rem .4rem; text-align: left;
  vertical-align: top; overflow-wrap: anywhere; }
th { background: #e6e6e6; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
dl.fields { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem;
  margin: .4rem 0 1rem; }
dl.fields dt { font-weight: 600; }
dl.fields dd { margin: 0; overflow-wrap: anywhere; }
section.record { border: 1px solid #a9aeb1; border-left-width: 6px; padding: .3rem .8rem;
  margin: .7rem 0; }
section.record p.title { font-weight: 700; margin: .3rem 0; }
section.violation { border-left-color: #b50909; }
section.warning { border-left-color: #c05600; }
section.info { border-left-color: #71767a; }
section.waived { border-left-color: #71767a; border-style: dashed; background: #f7f7f7; }
nav.toc ul { columns: 2; list-style: none; padding-left: 0; }
@page { margin: 16mm 14mm; }
@media print {
  body { font-size: 10pt; max-width: none; padding: 0; }
  main h2:not(:first-of-type) { break-before: page; }
  h2, h3, h4, p.title { break-after: avoid; }
  section.record, tr, dl.fields { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
  a[href^="http"]::after { content: " <" attr(href) ">"; font-size: 85%;
    overflow-wrap: anywhere; }
  nav.toc { display: none; }
}
""".strip()

_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def escape(text: object) -> str:
    """Escape ``text`` for HTML element content and attribute values."""
    value = str(text)
    # Nearly every value is printable: check that in C before looking at characters one by one.
    if not value.isprintable():
        value = "".join(
            c if c.isprintable() or c in "\n\t" else " " if c.isspace() else "\ufffd"
            for c in value
        )
    return html.escape(value, quote=True)


def _link(link: Link) -> str:
    if link.url is None:
        return escape(link.text)
    return f'<a href="{escape(link.url)}" rel="noopener noreferrer">{escape(link.text)}</a>'


def _cell(cell: Cell) -> str:
    if isinstance(cell, str):
        return escape(cell)
    if isinstance(cell, Link):
        return _link(cell)
    return "<br>".join(_link(link) for link in cell) or "-"


def _table(block: Table) -> Iterator[str]:
    def cls(i: int) -> str:
        return ' class="num"' if i in block.numeric else ""

    head = "".join(f"<th{cls(i)}>{escape(c)}</th>" for i, c in enumerate(block.columns))
    yield f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n"
    # Each column's opening tag once, not once per cell.
    opening = [f"<td{cls(i)}>" for i in range(len(block.columns))]
    separator = ""
    for row in block.rows:
        if len(row) > len(opening):
            opening.extend(f"<td{cls(i)}>" for i in range(len(opening), len(row)))
        cells = "".join([f"{opening[i]}{_cell(c)}</td>" for i, c in enumerate(row)])
        yield f"{separator}<tr>{cells}</tr>"
        separator = "\n"
    yield "\n</tbody>\n</table>"
    if block.more:
        yield f'\n<p class="more">{escape(block.more)}</p>'


def _fields(items: tuple[tuple[str, Cell], ...]) -> str:
    inner = "\n".join(f"<dt>{escape(label)}</dt><dd>{_cell(value)}</dd>" for label, value in items)
    return f'<dl class="fields">\n{inner}\n</dl>'


def _block(block: Block) -> Iterator[str]:
    if isinstance(block, Heading):
        level = min(block.level, 6)
        anchor = f' id="{escape(block.anchor)}"' if block.anchor else ""
        yield f"<h{level}{anchor}>{escape(block.text)}</h{level}>"
    elif isinstance(block, Para):
        kind = ' class="note"' if block.kind == "note" else ""
        yield f"<p{kind}>{escape(block.text)}</p>"
    elif isinstance(block, Table):
        yield from _table(block)
    elif isinstance(block, Fields):
        yield _fields(block.items)
    else:
        assert isinstance(block, Record)
        yield (
            f'<section class="record {escape(block.tag)}">\n'
            f'<p class="title">{escape(block.title)}</p>\n{_fields(block.items)}\n</section>'
        )


def _text(block: Block) -> str:
    return "".join(_block(block))


def _toc(blocks: list[Block]) -> str:
    items = "\n".join(
        f'<li><a href="#{escape(b.anchor)}">{escape(b.text)}</a></li>'
        for b in blocks
        if isinstance(b, Heading) and b.level == 2 and b.anchor
    )
    return f'<nav class="toc" aria-label="Sections">\n<ul>\n{items}\n</ul>\n</nav>'


def write(report: Report, stream: TextWriter) -> None:
    """Write the whole report as one HTML document to ``stream``, piece by piece.

    The text is that of :func:`render`; the entry table is written a few hundred rows at a time.
    """
    blocks = build(report)
    title = f"t86audit report, generated {report.generated_at.isoformat()}"
    # The contents go after the title and summary, before the first section.
    first_section = next(
        (i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.level == 2),
        len(blocks),
    )
    out = ChunkWriter(stream)
    out.write(
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="t86audit {escape(report.tool_version)}">\n'
        f"<title>{escape(title)}</title>\n<style>\n{_CSS}\n</style>\n</head>\n<body>\n"
        "<main>\n"
    )
    for index, block in enumerate(blocks):
        if index:
            out.write("\n")
        if index == first_section:
            out.write(_toc(blocks) + "\n")
        for piece in _block(block):
            out.write(piece)
    if first_section == len(blocks):
        out.write(("\n" if blocks else "") + _toc(blocks))
    out.write("\n</main>\n</body>\n</html>\n")
    out.flush()


def render(report: Report) -> str:
    """Render the whole report as one HTML document (UTF-8, ends with a newline)."""
    from t86audit.report import collect  # noqa: PLC0415

    return collect(write, report)


def render_fragment(report: Report) -> str:
    """A short HTML view for notebooks (no document wrapper, no styles)."""
    body = "\n".join(_text(b) for b in build_summary(report))
    return f'<div class="t86audit-report">\n{body}\n</div>\n'
