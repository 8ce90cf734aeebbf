"""The neutral blocks of the human-readable report: headings, paragraphs, tables, charts.

:mod:`t86audit.report._document` lays a report out in these blocks and the text, Markdown and
HTML renderers draw them; the report's sections (the Exposure section too) build them. Blocks
hold plain, unescaped text: escaping is the renderer's job.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs


__all__ = [
    "Block",
    "Cell",
    "Chart",
    "Fields",
    "Heading",
    "Link",
    "Para",
    "Record",
    "Table",
    "Target",
    "opening",
]


@attrs.frozen
class Link:
    """Text that points somewhere: a citation's URL (``http``/``https`` only) or an anchor.

    An anchor is ``#`` and an id made by the report itself (never text from the input).
    ``after`` follows the link as plain text: a citation's note and dates, so that only its
    name is underlined, not a paragraph of words.
    """

    text: str
    url: str | None = None
    after: str = ""


@attrs.frozen
class Target:
    """Text that in-page links point to (an entry number in the entry table)."""

    text: str
    anchor: str


Cell = str | Link | Target | tuple[Link, ...]
"""A table or field value: text, one link, a link target, or several links (citations)."""


@attrs.frozen
class Heading:
    """A section heading; ``level`` 1 is the title.

    A level-2 heading is numbered (``3. Samples``) unless ``numbered`` is false (the summary,
    the charts, the appendices); ``new_page`` starts it on a new page in print.
    """

    level: int
    text: str
    anchor: str = ""
    numbered: bool = True
    new_page: bool = False


@attrs.frozen
class Para:
    """A paragraph.

    ``kind`` ``note`` is set apart (the disclaimer, explanations); ``alert`` stands out (rows
    rejected at load).
    """

    text: str
    kind: str = "plain"


@attrs.frozen
class Table:
    """A table; ``numeric`` columns are right-aligned; ``more`` says what was left out.

    ``nowrap`` columns hold codes, entry numbers, dates or amounts, never broken inside;
    ``hashes`` columns hold digests, set small and broken anywhere when the page is narrow.
    Numeric columns never break either.

    ``rows`` may be a sequence whose rows are made as they are read (the entry table): read it
    in order, as few times as the layout needs.
    """

    columns: tuple[str, ...]
    rows: Sequence[tuple[Cell, ...]]
    numeric: tuple[int, ...] = ()
    more: str = ""
    nowrap: tuple[int, ...] = ()
    hashes: tuple[int, ...] = ()


@attrs.frozen
class Fields:
    """Labelled values, one per line; ``kind`` ``cover`` or ``facts`` sets them out apart."""

    items: tuple[tuple[str, Cell], ...]
    kind: str = ""


@attrs.frozen
class Record:
    """One finding: a title line, a tag (severity or ``waived``) and labelled values."""

    title: str
    tag: str
    items: tuple[tuple[str, Cell], ...]


@attrs.frozen
class Chart:
    """Counts to draw: one bar per label, each stacked from ``series`` (in order).

    ``kind`` ``bars`` draws a horizontal bar per label (sellers, rules); ``columns`` draws a
    time line, one column per label (months, in date order), with ``marks`` (position in
    labels, counted from 0 with fractions inside a label, and a short text) drawn as vertical
    lines: the policy periods. ``key`` is unique in the document. HTML draws it as inline SVG;
    text and Markdown show :func:`chart_table`.
    """

    key: str
    title: str
    label_header: str
    labels: tuple[str, ...]
    series: tuple[tuple[str, tuple[int, ...]], ...]
    kind: str = "bars"
    marks: tuple[tuple[float, str], ...] = ()
    note: str = ""

    def totals(self) -> list[int]:
        """The stacked total of each label."""
        return [sum(values[i] for _, values in self.series) for i in range(len(self.labels))]


Block = Heading | Para | Table | Fields | Record | Chart


def opening(heading: Heading, note: str) -> list[Block]:
    """A section's first blocks: its heading, then the note that says how to read it."""
    return [heading, Para(note, "note")]
