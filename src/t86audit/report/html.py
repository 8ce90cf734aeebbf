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

from t86audit.report import _blocks
from t86audit.report._charts import svg
from t86audit.report._document import ChunkWriter, build, build_summary, cell_formatter


if TYPE_CHECKING:
    from t86audit.report import Report
    from t86audit.report._common import TextWriter


__all__ = ["escape", "render", "render_fragment", "write"]

_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 14px/1.45 -apple-system, "Segoe UI", Roboto, Helvetica, Arial, "Liberation Sans",
  sans-serif; color: #1b1b1b; margin: 0 auto; max-width: 1100px; padding: 1.5rem; }
h1 { font-size: 1.7rem; margin: 0 0 .6rem; }
h2 { font-size: 1.35rem; border-bottom: 2px solid #1b1b1b; padding-bottom: .2rem;
  margin-top: 2.2rem; }
h3 { font-size: 1.1rem; margin-top: 1.6rem; }
h4 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
p { overflow-wrap: break-word; }
p.note { color: #3d4551; background: #f0f0f0; border-left: 4px solid #71767a;
  padding: .4rem .7rem; }
p.alert { font-weight: 600; border: 2px solid #1b1b1b; border-left-width: 8px;
  padding: .5rem .8rem; }
p.more { font-style: italic; color: #565c65; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .9em; }
th, td { border: 1px solid #a9aeb1; padding: .25rem .4rem; text-align: left;
  vertical-align: top; overflow-wrap: break-word; }
th { background: #e6e6e6; }
td a[href^="#"], td a[id] { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.nw, td.num { white-space: nowrap; }
td.hash, dd.hash { font: .85em ui-monospace, Menlo, Consolas, monospace;
  overflow-wrap: anywhere; }
a { color: #1a4480; }
dl.fields { display: grid; grid-template-columns: max-content minmax(0, 1fr);
  gap: .15rem 1rem; margin: .4rem 0 1rem; }
dl.fields dt { font-weight: 600; }
dl.fields dd { margin: 0; overflow-wrap: break-word; min-width: 0; }
dl.cover { border-top: 3px solid #1b1b1b; border-bottom: 1px solid #a9aeb1;
  padding: .6rem 0; }
dl.facts { grid-template-columns: repeat(3, max-content minmax(0, 1fr)); margin-bottom: .2rem; }
section.record { border: 1px solid #a9aeb1; border-left-width: 6px; padding: .3rem .8rem;
  margin: .7rem 0; }
section.record p.title { font-weight: 700; margin: .3rem 0; }
section.violation { border-left-color: #b50909; }
section.warning { border-left-color: #c05600; }
section.info { border-left-color: #71767a; }
section.waived { border-left-color: #71767a; border-style: dashed; background: #f7f7f7; }
div.chart { margin: .6rem 0 1.2rem; }
div.chart p.caption { font-size: .85em; color: #3d4551; margin: .2rem 0 0; }
svg.chart { display: block; width: 100%; max-width: 720px; height: auto; }
nav.toc ul { columns: 2; list-style: none; padding-left: 0; margin: .4rem 0 1rem; }
@page { size: letter; margin: .5in .5in .55in;
  @bottom-right { content: "Page " counter(page) " of " counter(pages);
    font: 8pt Helvetica, Arial, "Liberation Sans", sans-serif; } }
@media screen and (max-width: 700px) {
  body { padding: .8rem; font-size: 15px; }
  h1 { font-size: 1.4rem; }
  nav.toc ul { columns: 1; }
  dl.fields, dl.facts { grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); gap: .3rem .8rem; }
  table, tbody, tr, td { display: block; width: 100%; }
  thead { display: none; }
  tr { border: 1px solid #a9aeb1; margin: 0 0 .6rem; padding: .3rem .55rem; }
  td { border: 0; padding: .12rem 0; }
  td.num { text-align: left; }
  td::before { content: attr(data-label); display: block; font-size: .72em; font-weight: 700;
    color: #565c65; text-transform: uppercase; letter-spacing: .03em; }
}
@media print {
  body { font: 8pt/1.28 Helvetica, Arial, "Liberation Sans", sans-serif; max-width: none;
    padding: 0; }
  h1 { font-size: 17pt; }
  h2 { font-size: 13pt; margin-top: 1.2rem; }
  h3 { font-size: 10.5pt; margin: .8rem 0 .2rem; }
  p { margin: .3rem 0; }
  dl.fields { margin: .2rem 0 .4rem; gap: .05rem .8rem; }
  h2.page { break-before: page; margin-top: 0; }
  h2, h3, h4, p.title { break-after: avoid; }
  table { font-size: 7.2pt; margin: .25rem 0 .5rem; }
  th, td { padding: 1px 3px; }
  th { background: none; border-bottom: 1.5px solid #1b1b1b; }
  p.note { background: none; padding: .1rem .5rem; }
  section.record, tr, dl.fields, div.chart { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
  nav.toc { display: none; }
  svg.chart { max-width: 6.6in; }
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


def _link(link: _blocks.Link) -> str:
    if link.url is None:
        return escape(link.text + link.after)
    after = escape(link.after)
    if link.url.startswith("#"):  # in the page: an entry, a rule, a sampled entry
        return f'<a href="{escape(link.url)}">{escape(link.text)}</a>{after}'
    return f'<a href="{escape(link.url)}" rel="noopener noreferrer">{escape(link.text)}</a>{after}'


def _target(target: _blocks.Target) -> str:
    return f'<a id="{escape(target.anchor)}">{escape(target.text)}</a>'


_cell = cell_formatter(escape, _link, _target)


_WORD = 24
"""A cell of one word up to this long is never broken (dates, amounts, codes as filed)."""


def _column_class(block: _blocks.Table, i: int) -> str:
    if i in block.numeric:
        return "num"
    if i in block.hashes:
        return "hash"
    if i in block.nowrap:
        return "nw"
    return ""


def _table(block: _blocks.Table) -> Iterator[str]:
    classes = [_column_class(block, i) for i in range(len(block.columns))]

    def opening(i: int) -> str:
        # The column's name rides along for the narrow layout, where a row becomes a card.
        if i >= len(classes):
            return "<td>"
        kind = f' class="{classes[i]}"' if classes[i] else ""
        return f'<td{kind} data-label="{escape(block.columns[i])}">'

    num = ' class="num"'
    head = "".join(
        f"<th{num if i in block.numeric else ''}>{escape(c)}</th>"
        for i, c in enumerate(block.columns)
    )
    yield f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n"
    # Each column's opening tag once, not once per cell; in a column that may wrap, a cell of
    # one short word (a date, an amount, a code as filed) gets the tag that keeps it whole.
    openings = [opening(i) for i in range(len(block.columns))]
    whole = [
        f'<td class="nw" data-label="{escape(c)}">' if not classes[i] else openings[i]
        for i, c in enumerate(block.columns)
    ]
    separator = ""
    for row in block.rows:
        if len(row) > len(openings):
            openings.extend(opening(i) for i in range(len(openings), len(row)))
            whole.extend(openings[len(whole) :])
        cells = "".join(
            [
                (whole[i] if type(c) is str and len(c) <= _WORD and " " not in c else openings[i])
                + f"{_cell(c)}</td>"
                for i, c in enumerate(row)
            ]
        )
        yield f"{separator}<tr>{cells}</tr>"
        separator = "\n"
    yield "\n</tbody>\n</table>"
    if block.more:
        yield f'\n<p class="more">{escape(block.more)}</p>'


def _fields(items: tuple[tuple[str, _blocks.Cell], ...], kind: str = "") -> str:
    inner = "\n".join(f"<dt>{escape(label)}</dt><dd>{_cell(value)}</dd>" for label, value in items)
    return f'<dl class="fields{" " + escape(kind) if kind else ""}">\n{inner}\n</dl>'


def _chart(block: _blocks.Chart) -> str:
    note = f'\n<p class="caption">{escape(block.note)}</p>' if block.note else ""
    return f'<div class="chart">\n{svg(block, escape)}{note}\n</div>'


def _block(block: _blocks.Block) -> Iterator[str]:
    if isinstance(block, _blocks.Heading):
        level = min(block.level, 6)
        anchor = f' id="{escape(block.anchor)}"' if block.anchor else ""
        page = ' class="page"' if block.new_page and level == 2 else ""
        yield f"<h{level}{anchor}{page}>{escape(block.text)}</h{level}>"
    elif isinstance(block, _blocks.Para):
        kind = f' class="{escape(block.kind)}"' if block.kind in ("note", "alert") else ""
        yield f"<p{kind}>{escape(block.text)}</p>"
    elif isinstance(block, _blocks.Table):
        yield from _table(block)
    elif isinstance(block, _blocks.Fields):
        yield _fields(block.items, block.kind)
    elif isinstance(block, _blocks.Chart):
        yield _chart(block)
    else:
        assert isinstance(block, _blocks.Record)
        yield (
            f'<section class="record {escape(block.tag)}">\n'
            f'<p class="title">{escape(block.title)}</p>\n{_fields(block.items)}\n</section>'
        )


def _text(block: _blocks.Block) -> str:
    return "".join(_block(block))


def _toc(blocks: list[_blocks.Block]) -> str:
    items = "\n".join(
        f'<li><a href="#{escape(b.anchor)}">{escape(b.text)}</a></li>'
        for b in blocks
        if isinstance(b, _blocks.Heading) and b.level == 2 and b.anchor
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
        (i for i, b in enumerate(blocks) if isinstance(b, _blocks.Heading) and b.level == 2),
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
    from t86audit.report._common import collect  # noqa: PLC0415

    return collect(write, report)


_FRAGMENT_CSS = """
div.t86audit-report table { border-collapse: collapse; margin: .4rem 0 .8rem; }
div.t86audit-report table th, div.t86audit-report table td { text-align: left;
  vertical-align: top; padding: .2rem .45rem; border: 1px solid #d0d0d0; }
div.t86audit-report table td.num, div.t86audit-report table th.num { text-align: right; }
div.t86audit-report table td.nw, div.t86audit-report table td.num,
div.t86audit-report table th { white-space: nowrap; }
div.t86audit-report dl.fields { display: grid; grid-template-columns: max-content auto;
  gap: .1rem 1rem; }
div.t86audit-report dl.fields dt { font-weight: 600; }
div.t86audit-report dl.fields dd { margin: 0; }
div.t86audit-report svg.chart { display: block; width: 100%; max-width: 620px;
  height: auto; }
div.t86audit-report p.note { color: #555; font-size: .9em; }
""".strip()


def render_fragment(report: Report) -> str:
    """A short HTML view for notebooks: no document wrapper, styles scoped to the view.

    Text is left-aligned and codes, rule names and entry numbers stay on one line, whatever
    the notebook's own table style.
    """
    body = "\n".join(_text(b) for b in build_summary(report))
    return f'<div class="t86audit-report">\n<style>\n{_FRAGMENT_CSS}\n</style>\n{body}\n</div>\n'
