"""Golden reports: the example data's reports, in every format, byte for byte.

A change to what the audit finds or how a report reads must be deliberate: when one is made on
purpose, regenerate the digests with ``python tests/test_golden_reports.py`` (from the
repository root) and say in the commit and the CHANGELOG what changed and why. The digests are
of the rendered text (SHA-256), with a fixed timestamp and the samples the README draws.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "example-reports.json"
WHEN = dt.datetime(2026, 12, 5, 12, 0, tzinfo=dt.UTC)
FORMATS = ("text", "markdown", "html", "json", "csv")
CASES = {
    "entries": ("examples/data/entries.csv",),
    "entries-2": ("examples/data/entries-2.csv",),
}


def _digests() -> dict[str, dict[str, str]]:
    import t86audit  # noqa: PLC0415

    here = Path.cwd()
    os.chdir(ROOT)  # sources are named as the README's command names them
    try:
        out: dict[str, dict[str, str]] = {}
        for case, paths in CASES.items():
            loaded = t86audit.load(*paths)
            samples = t86audit.draw_samples(
                loaded.entries,
                size=min(10, len(loaded.entries) // 2),
                count=2,
                seed=7,
                drawn_at=WHEN,
            )
            report = t86audit.audit(loaded, samples=samples, generated_at=WHEN, jobs=1)
            out[case] = {
                fmt: hashlib.sha256(report.render(fmt).encode("utf-8")).hexdigest()
                for fmt in FORMATS
            }
        return out
    finally:
        os.chdir(here)


def test_example_reports_match_their_golden_digests():
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert _digests() == expected, (
        "a report of the example data changed; if on purpose, regenerate with "
        "`python tests/test_golden_reports.py` and record the change in CHANGELOG.md"
    )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    GOLDEN.write_text(json.dumps(_digests(), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN.relative_to(ROOT)}")
