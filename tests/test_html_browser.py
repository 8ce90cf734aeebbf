"""The HTML report in a real browser: printed to PDF, photographed, measured for overflow.

Runs the README's first command on the bundled example, then headless Chromium prints the
report to PDF (``pdfinfo`` counts the Letter pages: at most 40, with the summary, the charts and
the findings by rule on the first pages), photographs it at desktop (1280 px) and phone (390 px)
width, and measures that nothing is wider than the window at 1280, 768 and 390 px.

The report itself holds no script (its Content-Security-Policy forbids one), so the measuring is
done by a test-only page: it shows the report, unchanged, in an ``<iframe srcdoc>`` of the width
under test (a headless window cannot be made narrower than about 500 px; a frame can) and a
script of its own reads the frame's layout, then ``--dump-dom`` hands the result back.

Needs ``chromium`` (or ``chromium-browser``, ``google-chrome``; or ``T86AUDIT_CHROMIUM``) and
``pdfinfo``/``pdftotext`` (poppler-utils): ``apt-get install -y chromium poppler-utils``. Without
them the tests are skipped, unless ``T86AUDIT_REQUIRE_BROWSER=1`` (CI sets it), which makes a
missing browser a failure. ``T86AUDIT_SCREENSHOTS=DIR`` keeps the two screenshots in ``DIR``
(``docs/report-desktop.png`` and ``docs/report-phone.png`` were made so).
"""

import collections
import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "data" / "entries.csv"
REQUIRED = os.environ.get("T86AUDIT_REQUIRE_BROWSER") == "1"
MAX_PAGES = 40
TIMEOUT = 180
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

PROBE = """<script>
document.getElementById("report").addEventListener("load", () => {
  const doc = document.getElementById("report").contentDocument;
  const width = doc.documentElement.clientWidth;
  const wide = [];
  for (const el of doc.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && (box.right > width + 0.5 || box.left < -0.5)) {
      wide.push(`${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""} ` +
        `${Math.round(box.left)}..${Math.round(box.right)}: ` +
        (el.textContent || "").trim().slice(0, 50));
    }
  }
  document.body.setAttribute("data-layout", JSON.stringify({
    width, scrollWidth: doc.documentElement.scrollWidth, wide: wide.slice(0, 12),
    charts: doc.querySelectorAll("svg.chart").length,
  }));
});
</script>"""


def _tool(names, package):
    override = os.environ.get("T86AUDIT_CHROMIUM") if package == "chromium" else None
    found = next((shutil.which(n) for n in ((override,) if override else names) if n), None)
    if found is None:
        found = next((shutil.which(n) for n in names if shutil.which(n)), None)
    if found is None:
        message = (
            f"{names[0]} is not installed: apt-get install -y chromium poppler-utils "
            "(set T86AUDIT_REQUIRE_BROWSER=1 to fail instead of skipping)"
        )
        if REQUIRED:
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture(scope="module")
def tools():
    return {
        "chromium": _tool(BROWSERS, "chromium"),
        "pdfinfo": _tool(("pdfinfo",), "poppler-utils"),
        "pdftotext": _tool(("pdftotext",), "poppler-utils"),
    }


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("browser")


@pytest.fixture(scope="module")
def report(workdir):
    """The README's first command, run in a scratch copy of the project folder: report.html."""
    data = workdir / "examples" / "data"
    data.mkdir(parents=True)
    shutil.copyfile(EXAMPLE, data / EXAMPLE.name)
    source = "examples/data/entries.csv"
    cli = [sys.executable, "-m", "t86audit"]
    for args in (
        ["sample", source, "--count", "2", "--seed", "7", "--output", "samples.json"],
        [
            *("audit", source, "--samples", "samples.json", "--format", "html"),
            *("--output", "report.html", "--generated-at", "2026-01-15T09:00:00+00:00"),
        ],
    ):
        done = subprocess.run(
            [*cli, *args, "--force"], cwd=workdir, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
    return workdir / "report.html"


def _chromium(tools, workdir, *args):
    profile = workdir / "profile"
    command = [
        tools["chromium"],
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--no-first-run",
        "--no-default-browser-check",
        f"--user-data-dir={profile}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)


def _framed(report, width, height, script=""):
    """A test-only page showing the report unchanged in a frame ``width`` px wide."""
    source = html.escape(report.read_text(encoding="utf-8"), quote=True)
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><style>html, body { margin: 0; } '
        "iframe { border: 0; display: block; }</style></head><body>"
        f'<iframe id="report" width="{width}" height="{height}" srcdoc="{source}"></iframe>'
        f"{script}</body></html>"
    )


@pytest.fixture(scope="module")
def pdf(tools, workdir, report):
    out = workdir / "report.pdf"
    done = _chromium(
        tools,
        workdir,
        "--no-pdf-header-footer",
        "--print-to-pdf-no-header",
        f"--print-to-pdf={out}",
        report.as_uri(),
    )
    assert out.is_file(), done.stderr[-2000:]
    return out


def _pages(tools, pdf):
    info = subprocess.run(
        [tools["pdfinfo"], str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    pages = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    size = re.search(r"^Page size:\s+(.*)$", info, re.MULTILINE)
    assert pages is not None, info
    assert size is not None, info
    return int(pages.group(1)), size.group(1)


def _page_text(tools, pdf, first, last):
    return subprocess.run(
        [tools["pdftotext"], "-f", str(first), "-l", str(last), "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_example_report_prints_to_at_most_40_letter_pages(tools, pdf):
    pages, size = _pages(tools, pdf)

    assert pages <= MAX_PAGES, f"{pages} pages"
    assert "612 x 792" in size  # US Letter


def test_summary_charts_and_findings_come_first(tools, pdf):
    """Page 1 has the cover and the summary; the charts and findings by rule follow at once."""
    first = _page_text(tools, pdf, 1, 1)
    opening = _page_text(tools, pdf, 1, 6)

    assert "Filer codes" in first
    assert "Summary" in first
    assert "rejected at load" in first
    assert "Findings by arrival month" in opening
    assert "Top consignees by findings" in opening
    assert "1. Findings by rule" in opening
    assert "Page 1 of" in first


def test_printed_tables_keep_entry_numbers_and_dates_whole(tools, pdf, report):
    """Every entry number and date in a table cell kept whole is whole on paper too.

    Prose (a fact, a citation's note) may wrap where a browser likes; table cells of codes,
    entry numbers, dates and amounts may not.
    """
    text = _page_text(tools, pdf, 1, MAX_PAGES)
    cells = re.findall(r'<td class="(?:nw|num)"[^>]*>(.*?)</td>', report.read_text("utf-8"))
    tokens = collections.Counter(
        value
        for cell in cells
        for value in [html.unescape(re.sub(r"<[^>]+>", "", cell))]
        if re.fullmatch(r"[A-Z0-9]{3}-\d{7}-\d|\d{4}-\d{2}-\d{2}", value)
    )

    assert len(tokens) > 100
    split = {t: n for t, n in tokens.items() if text.count(t) < n}
    assert split == {}


@pytest.mark.parametrize("width", [1280, 768, 390])
def test_nothing_is_wider_than_the_window(tools, workdir, report, width):
    probe = workdir / f"probe-{width}.html"
    probe.write_text(_framed(report, width, 900, PROBE), encoding="utf-8")
    done = _chromium(
        tools,
        workdir,
        "--window-size=1400,1000",
        "--virtual-time-budget=10000",
        "--dump-dom",
        probe.as_uri(),
    )
    found = re.search(r'data-layout="([^"]*)"', done.stdout)
    assert found, done.stderr[-2000:]
    layout = json.loads(html.unescape(found.group(1)))

    assert layout["width"] <= width
    assert layout["width"] >= width - 20  # the frame really is this narrow (less a scroll bar)
    assert layout["charts"] == 4
    assert layout["wide"] == []
    assert layout["scrollWidth"] <= layout["width"]


@pytest.mark.parametrize(
    ("name", "width", "height"), [("desktop", 1280, 1800), ("phone", 390, 2000)]
)
def test_screenshots(tools, workdir, report, name, width, height):
    """The top of the report at desktop and phone width (kept with T86AUDIT_SCREENSHOTS)."""
    page = workdir / f"shot-{name}.html"
    page.write_text(_framed(report, width, height), encoding="utf-8")
    shot = workdir / f"report-{name}.png"
    done = _chromium(
        tools,
        workdir,
        f"--window-size={width},{height}",
        "--virtual-time-budget=5000",
        f"--screenshot={shot}",
        page.as_uri(),
    )
    assert shot.is_file(), done.stderr[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG")
    assert int.from_bytes(data[16:20], "big") == width
    keep = os.environ.get("T86AUDIT_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, Path(keep) / shot.name)
