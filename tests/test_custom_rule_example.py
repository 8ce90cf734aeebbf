"""examples/custom_rule.py: a rule written in a script runs next to the built-in rules."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import t86audit
from t86audit.rules import BUILTIN_PACK
from t86audit.testing import assert_rule_examples, make_entry


ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "examples" / "custom_rule.py"


def _module():
    spec = importlib.util.spec_from_file_location("custom_rule_example", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_script_reports_the_entries_just_under_the_threshold():
    """Run as a script, it checks its examples and lists the nine planted near-$800 entries."""
    proc = subprocess.run(
        [sys.executable, str(SCRIPT)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert proc.returncode == 0, proc.stderr
    assert "examples of LOC001 behave as documented" in proc.stdout
    assert f"{len(BUILTIN_PACK.rules) + 1} rules ran on 2996 entries" in proc.stdout
    assert "LOC001 value-just-under-threshold: 9 entries" in proc.stdout
    # The consignee cluster VAL006 finds, and the seller cluster VAL007 finds, entry by entry.
    assert "B76-0410746-9  entry total 799.99 USD" in proc.stdout
    assert "H3K-0004360-8  entry total 785.00 USD" in proc.stdout


def test_rule_examples_and_registry():
    """The rule's examples hold, and the registry adds it to the built-in pack without a clash."""
    module = _module()
    assert_rule_examples(module.value_just_under_threshold)
    registry = t86audit.RuleRegistry([module.BUILTIN_PACK, module.LOCAL_PACK])

    assert "LOC001" in registry
    assert len(registry) == len(module.BUILTIN_PACK.rules) + 1


def test_rule_uses_the_threshold_of_the_arrival_date():
    """$190 is just under the $200 threshold of 2015, and far under the $800 of 2024."""
    module = _module()
    registry = t86audit.RuleRegistry([module.LOCAL_PACK])
    entries = [
        make_entry(serial=1, value="190.00", arrival_date="2015-06-01"),
        make_entry(serial=2, value="190.00", arrival_date="2024-06-03"),
    ]
    report = t86audit.audit(entries, registry=registry)

    assert [(f.code, f.entry_number) for f in report.findings] == [("LOC001", "B76-0000001-5")]
