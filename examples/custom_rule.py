"""Write a rule of your own in a script and audit the example data with it, next to the built-ins.

    python examples/custom_rule.py [examples/data/entries.csv] [--margin 25.00]

The rule, LOC001, is a broker's own review trigger: an entry valued just under the de minimis
threshold in force on its arrival date gets a warning, so that someone asks for the invoice
before the T86 is filed. The built-in rules VAL006 and VAL007 look for *several* such entries of
one consignee or seller; this one looks at each entry alone.

No packaging is needed to try a rule: build a RulePack in the script, put it in a RuleRegistry
with the built-in pack, and pass the registry to ``t86audit.audit``. To make the rule available
to the ``t86audit`` command and to every audit, ship the pack as a package
(docs/writing-rule-packs.md).
"""

import argparse
import sys
from collections.abc import Iterator
from decimal import Decimal

import t86audit
from t86audit.findings import Citation, Hit
from t86audit.model import Entry
from t86audit.rules import BUILTIN_PACK, Example, RuleContext, RulePack, rule
from t86audit.testing import assert_rule_examples, make_entry


@rule(
    "LOC001",  # a prefix of your own (2-4 capitals) and three digits; never reuse a code
    name="value-just-under-threshold",
    severity="warning",  # a person should look: a value just under $800 is not unlawful
    scope="entry",  # the check gets (entry, ctx); "line" would give (entry, line, ctx)
    options={"margin_usd": Decimal("25.00")},
    citations=[
        Citation("19 U.S.C.", "1484(a)", note="reasonable care"),
        Citation("19 CFR", "10.151"),
    ],
    summary="The entry's total value is just under the de minimis threshold in force.",
    rationale=(
        "Values just under the threshold are a common sign of undervaluation. One such entry "
        "proves nothing, but it is cheap to check the invoice before filing, and the threshold "
        "to compare with is the one in force on the arrival date ($200 before 10 March 2016)."
    ),
    reasonable_care="Ask for the commercial invoice of any entry this close to the threshold.",
    limitations="A fixed dollar margin; it does not look at the consignee's other entries.",
    examples=[
        Example(
            "a $790.00 entry in 2024",
            lambda: [make_entry(value="790.00")],
            flagged=["B76-0000001-5"],
        ),
        Example("a $700.00 entry in 2024", lambda: [make_entry(value="700.00")]),
        Example(
            "a $190.00 entry arriving in 2015, under the $200 threshold of the time",
            lambda: [make_entry(value="190.00", arrival_date="2015-06-01")],
            flagged=["B76-0000001-5"],
        ),
        Example(
            "a $790.00 entry with a $5.00 margin",
            lambda: [make_entry(value="790.00")],
            options={"margin_usd": "5.00"},
        ),
    ],
)
def value_just_under_threshold(entry: Entry, ctx: RuleContext) -> Iterator[Hit]:
    """Flag an entry whose total lies within the margin below the threshold of its arrival date."""
    # The policy table knows which threshold applied on which date; never hard-code $800.
    threshold = ctx.period(entry).threshold_usd
    margin = Decimal(str(ctx.options["margin_usd"]))
    total = entry.total_value
    if threshold - margin <= total <= threshold:
        yield Hit(
            entry,
            field="value_usd",
            observed=f"{total:.2f}",
            expected=f"below {threshold - margin:.2f}, or the invoice checked",
            message=(
                f"entry total {total:.2f} USD is within {margin:.2f} USD under the "
                f"{threshold:.2f} USD threshold"
            ),
        )


LOCAL_PACK = RulePack(
    name="local",
    version="0.1.0",
    prefixes=("LOC",),
    rules=(value_just_under_threshold,),
    description="Our own review triggers.",
)


def main(argv: list[str] | None = None) -> int:
    """Check the rule's examples, then audit the data with the built-in rules and LOC001."""
    parser = argparse.ArgumentParser(description="Audit with the built-in rules and LOC001.")
    parser.add_argument("paths", nargs="*", default=["examples/data/entries.csv"])
    parser.add_argument("--margin", default="25.00", help="LOC001's margin in USD")
    args = parser.parse_args(argv)

    # Every example must flag exactly the entries it names: the rule's own test.
    for local_rule in LOCAL_PACK.rules:
        assert_rule_examples(local_rule)
    print(f"{len(value_just_under_threshold.examples)} examples of LOC001 behave as documented")

    registry = t86audit.RuleRegistry([BUILTIN_PACK, LOCAL_PACK])
    loaded = t86audit.load(*args.paths)
    report = t86audit.audit(
        loaded, registry=registry, options={"LOC001": {"margin_usd": args.margin}}
    )
    print(f"{len(report.rules)} rules ran on {len(report.entries)} entries")

    by_entry: dict[str, list[str]] = {}
    for finding in report.findings:
        by_entry.setdefault(finding.entry_number, []).append(finding.code)
    ours = [f for f in report.findings if f.code == "LOC001"]
    print(f"\nLOC001 {value_just_under_threshold.name}: {len(ours)} entries")
    for finding in ours:
        others = [code for code in by_entry[finding.entry_number] if code != "LOC001"]
        seen_by = f"; also {', '.join(others)}" if others else ""
        print(f"  {finding.entry_number}  {finding.message}{seen_by}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
