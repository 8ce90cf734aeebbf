"""The built-in rule pack and the public API for writing rules.

Rule families, one module each: ``value`` (VAL), ``consignee`` (CON), ``description`` (DES),
``classification`` (HTS), ``eligibility`` (ELG), ``filing`` (FIL).
The pack is registered under the ``t86audit.rules`` entry-point group as ``core``, exactly as a
third-party pack registers its own.
"""

from t86audit.findings import Citation, Hit, Severity
from t86audit.rules import (
    classification,
    consignee,
    description,
    eligibility,
    filing,
    value,
)
from t86audit.rules._base import (
    CODE_RE,
    PRESUMPTION_READS,
    Example,
    Rule,
    RuleCode,
    RuleContext,
    RuleMetadata,
    RulePack,
    RuleProse,
    collect,
    collect_records,
    entries_of,
    group_rule,
    on_arrival,
    on_entry,
    presumed,
    presumed_not_t86,
    presuming_t86,
    records_of,
    rule,
)
from t86audit.rules._catalog import check_catalog


__all__ = [
    "BUILTIN_PACK",
    "CODE_RE",
    "PRESUMPTION_READS",
    "Citation",
    "Example",
    "Hit",
    "Rule",
    "RuleCode",
    "RuleContext",
    "RuleMetadata",
    "RulePack",
    "RuleProse",
    "Severity",
    "collect",
    "collect_records",
    "entries_of",
    "group_rule",
    "on_arrival",
    "on_entry",
    "presumed",
    "presumed_not_t86",
    "presuming_t86",
    "records_of",
    "rule",
]

BUILTIN_PACK = RulePack(
    name="core",
    version="0.1.0",
    prefixes=("VAL", "CON", "DES", "HTS", "ELG", "FIL"),
    rules=(
        *value.RULES,
        *consignee.RULES,
        *description.RULES,
        *classification.RULES,
        *eligibility.RULES,
        *filing.RULES,
    ),
    description="t86audit's built-in rules: value, parties, description, classification, "
    "eligibility and filing.",
)
"""The built-in pack: every rule family of the contract's code prefixes."""
check_catalog(r.code for r in BUILTIN_PACK.rules)
