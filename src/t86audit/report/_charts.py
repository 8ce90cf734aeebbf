"""The report's charts as inline SVG, drawn by the library: no script, no font, no network.

Made to print in black and white: the first series (violations) is solid near-black, the second
(warnings) hatched, the third (info notes and waived findings) light grey, and every bar is
labelled with its value, so no colour is needed to read a chart. Labels from the input (seller
and consignee names) pass through the renderer's ``escape`` and are shortened to fit, with the
whole text in the bar's ``<title>``. The same chart always gives the same text.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING


if TYPE_CHECKING:
    from t86audit.report._blocks import Chart


__all__ = ["WIDTH", "svg"]

WIDTH = 720
"""The drawing's width in SVG units (it scales to the page)."""

FONT = 11
"""The size of labels."""

_INK = "#262626"
_LIGHT = "#c4c4c4"
_GRID = "#d9d9d9"

Escape = Callable[[object], str]


def _fill(key: str, index: int) -> str:
    if index == 0:
        return f'fill="{_INK}"'
    if index == 1:
        return f'fill="url(#{key}-hatch)" stroke="{_INK}" stroke-width="0.8"'
    return f'fill="{_LIGHT}" stroke="#8c8c8c" stroke-width="0.6"'


def _num(value: float) -> str:
    """A coordinate with at most two decimals, the same on every platform."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _short(text: str, chars: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "\u2026"


def _defs(key: str) -> str:
    return (
        f'<defs><pattern id="{key}-hatch" width="5" height="5" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        '<rect width="5" height="5" fill="#ffffff"/>'
        f'<line x1="1" y1="0" x2="1" y2="5" stroke="{_INK}" stroke-width="2"/>'
        "</pattern></defs>"
    )


def _legend(chart: Chart, escape: Escape, y: float) -> str:
    parts: list[str] = []
    x = 0.0
    for i, (name, _) in enumerate(chart.series):
        parts.append(
            f'<rect x="{_num(x)}" y="{_num(y - 9)}" width="12" height="10" {_fill(chart.key, i)}/>'
            f'<text x="{_num(x + 16)}" y="{_num(y)}">{escape(name)}</text>'
        )
        x += 16 + len(name) * FONT * 0.56 + 18
    return "".join(parts)


def _open(chart: Chart, escape: Escape, height: float) -> str:
    totals = chart.totals()
    label = f"{chart.title}: " + "; ".join(
        f"{_short(lab, 60)} {t}" for lab, t in zip(chart.labels, totals, strict=True) if t
    )
    return (
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'width="{WIDTH}" height="{_num(height)}" viewBox="0 0 {WIDTH} {_num(height)}" '
        f'aria-label="{escape(_short(label, 600))}" font-family="Helvetica, Arial, sans-serif" '
        f'font-size="{FONT}" fill="{_INK}">'
        f"<title>{escape(chart.title)}</title>{_defs(chart.key)}"
    )


def _describe(chart: Chart, i: int, total: int) -> str:
    parts = [f"{values[i]} {name.lower()}" for name, values in chart.series if values[i]]
    return f"{chart.labels[i]}: {total}" + (f" ({', '.join(parts)})" if parts else "")


def _bars(chart: Chart, escape: Escape) -> str:
    """One horizontal bar per label, the label on the left and the total after the bar."""
    label_width = 250.0
    x0 = label_width + 10
    x1 = WIDTH - 44.0
    top = 26.0
    row = 16.0
    bar = 11.0
    totals = chart.totals()
    scale = (x1 - x0) / max(max(totals, default=0), 1)
    height = top + row * len(chart.labels) + 6
    chars = int(label_width / (FONT * 0.55))
    out = [_open(chart, escape, height), _legend(chart, escape, 12)]
    for i, label in enumerate(chart.labels):
        y = top + i * row
        out.append(f"<g><title>{escape(_describe(chart, i, totals[i]))}</title>")
        out.append(
            f'<text x="{_num(label_width)}" y="{_num(y + bar - 3)}" text-anchor="end">'
            f"{escape(_short(label, chars))}</text>"
        )
        x = x0
        for s, (_, values) in enumerate(chart.series):
            if values[i]:
                width = values[i] * scale
                out.append(
                    f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(width)}" '
                    f'height="{_num(bar)}" {_fill(chart.key, s)}/>'
                )
                x += width
        out.append(
            f'<text x="{_num(x + 4)}" y="{_num(y + bar - 3)}" font-weight="bold">'
            f"{totals[i]}</text></g>"
        )
    out.append(
        f'<line x1="{_num(x0)}" y1="{_num(top - 3)}" x2="{_num(x0)}" '
        f'y2="{_num(height - 4)}" stroke="{_INK}" stroke-width="1"/>'
    )
    out.append("</svg>")
    return "".join(out)


def _step(top: int) -> int:
    """A round step (1, 2 or 5 times a power of ten) for at most five grid lines up to ``top``."""
    if top <= 5:
        return 1
    power = 1
    while top / (power * 10) > 5:
        power *= 10
    for factor in (1, 2, 5, 10):
        if top / (factor * power) <= 5:
            return factor * power
    return 10 * power  # pragma: no cover - the loop always returns


def _mark_groups(xs: list[tuple[float, str]]) -> list[tuple[float, str]]:
    """Marks closer than a label's width drawn under one label (``6-8`` or ``3, 4``)."""
    groups: list[list[tuple[float, str]]] = []
    for x, text in xs:
        if groups and x - groups[-1][0][0] < 16:
            groups[-1].append((x, text))
        else:
            groups.append([(x, text)])
    out: list[tuple[float, str]] = []
    for group in groups:
        texts = [t for _, t in group]
        if len(texts) == 1:
            label = texts[0]
        elif len(texts) == 2:
            label = f"{texts[0]},{texts[1]}"
        else:
            label = f"{texts[0]}-{texts[-1]}"
        out.append((group[0][0], label))
    return out


def _columns(chart: Chart, escape: Escape) -> str:
    """A time line: one column per label (months), grid lines, values and period marks."""
    left, right = 40.0, 8.0
    top, bottom = 50.0, 30.0
    height = 230.0
    plot_h = height - top - bottom
    n = len(chart.labels)
    col = (WIDTH - left - right) / max(n, 1)
    totals = chart.totals()
    step = _step(max(totals, default=0))
    ceiling = max(step, math.ceil(max(totals, default=0) / step) * step)
    scale = plot_h / ceiling
    base = top + plot_h
    out = [_open(chart, escape, height), _legend(chart, escape, 12)]
    for tick in range(0, ceiling + 1, step):
        y = base - tick * scale
        out.append(
            f'<line x1="{_num(left)}" y1="{_num(y)}" x2="{_num(WIDTH - right)}" y2="{_num(y)}" '
            f'stroke="{_INK if tick == 0 else _GRID}" stroke-width="{1 if tick == 0 else 0.7}"/>'
            f'<text x="{_num(left - 5)}" y="{_num(y + 4)}" text-anchor="end" font-size="10">'
            f"{tick}</text>"
        )
    bar = max(col * 0.72, 1.0)
    value_font = 9 if col >= 14 else 8 if col >= 9 else 7 if col >= 7 else 0
    for i in range(n):
        x = left + i * col + (col - bar) / 2
        y = base
        out.append(f"<g><title>{escape(_describe(chart, i, totals[i]))}</title>")
        for s, (_, values) in enumerate(chart.series):
            if values[i]:
                h = values[i] * scale
                y -= h
                out.append(
                    f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(bar)}" height="{_num(h)}" '
                    f"{_fill(chart.key, s)}/>"
                )
        if totals[i] and value_font:
            out.append(
                f'<text x="{_num(x + bar / 2)}" y="{_num(y - 2)}" text-anchor="middle" '
                f'font-size="{value_font}">{totals[i]}</text>'
            )
        out.append("</g>")
    # The x axis: a year under its first month, and under the first column.
    every_month = n <= 24
    for i, label in enumerate(chart.labels):
        x = left + i * col
        month = label[5:7]
        if i == 0 or month == "01":
            out.append(
                f'<line x1="{_num(x)}" y1="{_num(base)}" x2="{_num(x)}" y2="{_num(base + 5)}" '
                f'stroke="{_INK}" stroke-width="1"/>'
                f'<text x="{_num(x + 1)}" y="{_num(base + 26 if every_month else base + 16)}" '
                f'font-size="10">{escape(label[:4])}</text>'
            )
        if every_month:
            out.append(
                f'<text x="{_num(x + col / 2)}" y="{_num(base + 13)}" text-anchor="middle" '
                f'font-size="9">{escape(month)}</text>'
            )
    # The marks: a dashed line each, numbered at the top (close ones under one number).
    xs = [(left + position * col, text) for position, text in chart.marks]
    for x, _ in xs:
        out.append(
            f'<line x1="{_num(x)}" y1="{_num(top - 12)}" x2="{_num(x)}" y2="{_num(base)}" '
            f'stroke="{_INK}" stroke-width="0.9" stroke-dasharray="3 2"/>'
        )
    last_x = -100.0
    row = 0
    for x, label in _mark_groups(xs):
        row = 1 - row if x - last_x < 30 else 0
        last_x = x
        out.append(
            f'<text x="{_num(x + 2)}" y="{_num(top - 16 - row * 11)}" font-size="10" '
            f'font-weight="bold">{escape(label)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def svg(chart: Chart, escape: Escape) -> str:
    """The chart as one ``<svg>`` element; ``escape`` makes a text safe for HTML."""
    if chart.kind == "columns":
        return _columns(chart, escape)
    return _bars(chart, escape)
