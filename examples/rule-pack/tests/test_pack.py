"""The example pack's rules pass their own examples and are discovered by t86audit."""

from acme_t86_rules import PACK

import t86audit
from t86audit.testing import assert_rule_examples, make_entry


def test_examples() -> None:
    """Every rule flags exactly what its examples say."""
    for r in PACK.rules:
        assert_rule_examples(r)


def test_pack_is_discovered_through_its_entry_point() -> None:
    """Installed, the pack runs with the built-in rules and is selectable by prefix."""
    registry = t86audit.RuleRegistry.default()
    entry = make_entry(lines=[{"value_usd": "1.00", "gross_weight_kg": "40"}])
    report = t86audit.audit([entry], select=["ACM"])

    assert "acme" in [p.name for p in registry.packs]
    assert [f.code for f in report.findings] == ["ACM001"]
