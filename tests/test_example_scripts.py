"""The example scripts run from a fresh checkout and say what they should."""

import subprocess
import sys
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent


def _run(*args):
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )


def test_audit_population(tmp_path):
    """The population script prints the accounting and writes a JSON report."""
    out = tmp_path / "r.json"
    proc = _run("examples/audit_population.py", "--json", str(out))

    assert proc.returncode == 0, proc.stderr
    assert "rows read" in proc.stdout
    assert "most frequent findings" in proc.stdout
    assert out.read_text(encoding="utf-8").startswith("{")


def test_answer_a_letter():
    """The letter script reports every cited entry and labels the cited sample not projectable."""
    proc = _run("examples/answer_a_letter.py")

    assert proc.returncode == 0, proc.stderr
    assert "B76-0411564-5:" in proc.stdout
    assert "not projectable" in proc.stdout
    assert "95% interval" in proc.stdout


def test_redacted_report(tmp_path):
    """The redaction script writes an HTML report without the example consignees' names."""
    key = tmp_path / "key.txt"
    key.write_text("cd" * 32, encoding="utf-8")
    out = tmp_path / "r.html"
    proc = _run("examples/redacted_report.py", "--output", str(out), "--key-file", str(key))
    html = out.read_text(encoding="utf-8")

    assert proc.returncode == 0, proc.stderr
    assert "Consignee-" in html
    assert "Fatima Haddad" not in html
