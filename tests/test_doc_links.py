"""Relative links in the README and docs point at files that exist."""

import re
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    ROOT / "README.md",
    ROOT / "examples" / "README.md",
    ROOT / "CHANGELOG.md",
    *sorted((ROOT / "docs").rglob("*.md")),
]
LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(page):
    """Every relative link (anchors stripped) names an existing file or folder."""
    targets = [
        t
        for t in LINK.findall(page.read_text(encoding="utf-8"))
        if not t.startswith(("http://", "https://", "mailto:", "#"))
    ]
    missing = [t for t in targets if not (page.parent / t.split("#")[0]).exists()]

    assert not missing, f"{page.name}: broken links {missing}"
