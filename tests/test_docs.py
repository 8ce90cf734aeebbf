"""The rule reference in docs/rules is generated from the metadata and must be current."""

from pathlib import Path

from t86audit.docgen import expected_files


DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules"


def test_every_rule_page_exists_and_is_current():
    """Regenerate with `python -m t86audit.docgen docs/rules` when this fails."""
    expected = expected_files()
    stale = [
        name
        for name, content in expected.items()
        if not (DOCS / name).exists() or (DOCS / name).read_text(encoding="utf-8") != content
    ]
    extra = sorted(p.name for p in DOCS.glob("*.md") if p.name not in expected)

    assert not stale, f"stale or missing rule pages: {stale}"
    assert not extra, f"pages for rules that no longer exist: {extra}"
