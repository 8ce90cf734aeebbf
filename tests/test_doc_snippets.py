"""The Python examples in the README and docs run, so the documentation cannot rot.

Each fenced ``python`` block runs in a fresh namespace from the repository root, blocks of one page
in order. A block preceded by ``<!-- not-tested: reason -->`` is skipped (say why).
"""

import re
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"(<!-- not-tested:[^>]*-->\s*)?```python\n(.*?)```", re.DOTALL)


def _blocks(page):
    return [
        m.group(2) for m in BLOCK.finditer(page.read_text(encoding="utf-8")) if m.group(1) is None
    ]


PAGES_WITH_CODE = [p for p in PAGES if _blocks(p)]


@pytest.mark.parametrize("page", PAGES_WITH_CODE, ids=lambda p: p.name)
def test_python_blocks_run(page, monkeypatch, capsys):
    """Every untagged python block of the page runs without error."""
    monkeypatch.chdir(ROOT)
    namespace = {"__name__": "__doc_snippet__"}
    for code in _blocks(page):
        exec(compile(code, str(page), "exec"), namespace)
    capsys.readouterr()

    assert set(namespace) - {"__name__", "__builtins__"}, "the blocks defined nothing"


def test_readme_has_runnable_examples():
    """The README's quickstart is among the tested blocks."""
    assert (ROOT / "README.md") in PAGES_WITH_CODE
