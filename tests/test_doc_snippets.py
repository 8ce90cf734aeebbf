"""The docs' Python examples and shell commands run, so the documentation cannot rot.

Each fenced ``python`` block runs in a fresh namespace from the repository root, blocks of one page
in order. The ``sh`` blocks of :data:`SHELL_PAGES` run in bash, in order, from a temporary copy of
the project's example data (so the files they write land there), with the ``t86audit`` of this
environment on the path. A block preceded by ``<!-- not-tested: reason -->`` is skipped (say why).
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"(<!-- not-tested:[^>]*-->\s*)?```python\n(.*?)```", re.DOTALL)
SH_BLOCK = re.compile(r"(<!-- not-tested:[^>]*-->\s*)?```sh\n(.*?)```", re.DOTALL)
SHELL_PAGES = [
    ROOT / "docs" / "getting-started.md",
    ROOT / "docs" / "walkthrough-answering-a-letter.md",
]
"""Pages whose every untagged shell command works when pasted in order from the project folder."""

# Run before each block: report every command that fails, except an intended --fail-on exit 1.
_TRAP = """trap 'code=$?
case "$BASH_COMMAND" in
  *--fail-on*) [ "$code" -eq 1 ] || echo "FAILED ($code): $BASH_COMMAND" >&2 ;;
  *) echo "FAILED ($code): $BASH_COMMAND" >&2 ;;
esac' ERR
"""


def _blocks(page, pattern=BLOCK):
    return [
        m.group(2)
        for m in pattern.finditer(page.read_text(encoding="utf-8"))
        if m.group(1) is None
    ]


PAGES_WITH_CODE = [p for p in PAGES if _blocks(p)]


@pytest.mark.parametrize("page", PAGES_WITH_CODE, ids=lambda p: p.name)
def test_python_blocks_run(page, monkeypatch, capsys, tmp_path):
    """Every untagged python block of the page runs without error.

    In a scratch folder that sees the project's example and test data: what a block writes
    (``report.save("report.html")``) must not land on a user's own files in the project.
    """
    for name in ("examples", "tests"):
        (tmp_path / name).symlink_to(ROOT / name)
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__doc_snippet__"}
    for code in _blocks(page):
        exec(compile(code, str(page), "exec"), namespace)
    capsys.readouterr()

    assert set(namespace) - {"__name__", "__builtins__"}, "the blocks defined nothing"


def test_readme_has_runnable_examples():
    """The README's quickstart is among the tested blocks."""
    assert (ROOT / "README.md") in PAGES_WITH_CODE


@pytest.mark.parametrize("page", SHELL_PAGES, ids=lambda p: p.name)
def test_shell_blocks_run(page, tmp_path):
    """Every untagged sh block of the page runs in bash, in order, without a failing command."""
    blocks = _blocks(page, SH_BLOCK)
    assert blocks, f"{page.name} has no shell block"
    shutil.copytree(ROOT / "examples" / "data", tmp_path / "examples" / "data")
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    env["PYTHONPATH"] = str(ROOT / "src")
    for block in blocks:
        done = subprocess.run(
            ["bash", "-c", _TRAP + block],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert "FAILED (" not in done.stderr, f"{block}\n{done.stderr}"
        assert "Traceback" not in done.stderr, done.stderr
        assert " error: " not in done.stderr, done.stderr
        assert done.returncode == 0, done.stderr
