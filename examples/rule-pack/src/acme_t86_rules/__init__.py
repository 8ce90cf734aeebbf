"""An example third-party rule pack for t86audit: the ``ACM`` prefix.

Installed, it is discovered through the ``t86audit.rules`` entry-point group and runs alongside the
built-in rules: ``t86audit rules`` lists ACM001, and ``t86audit audit --select ACM`` runs it alone.
"""

from collections.abc import Iterator
from decimal import Decimal

from t86audit.findings import Citation, Hit
from t86audit.model import Entry, LineItem
from t86audit.rules import Example, RuleContext, RulePack, rule
from t86audit.testing import make_entry


__all__ = ["PACK", "value_per_kg_implausible"]

_UNDERVALUATION = Citation("19 U.S.C.", "1592(a)", note="material false statement or omission")


def _entry(number: int, value: str, weight: str) -> list[Entry]:
    return [make_entry(serial=number, lines=[{"value_usd": value, "gross_weight_kg": weight}])]


@rule(
    "ACM001",
    name="value-per-kg-implausible",
    severity="warning",
    scope="line",
    options={"min_usd_per_kg": Decimal("0.50")},
    citations=[_UNDERVALUATION, Citation("19 U.S.C.", "1484(a)", note="reasonable care")],
    summary="A line's declared value per kilogram is implausibly low.",
    rationale=(
        "CBP cites weight and value ratios that 'don't make sense' as an undervaluation sign: "
        "10 kg of goods declared at $1 is rarely a real price."
    ),
    reasonable_care="Compare declared value with gross weight before filing; ask for invoices.",
    limitations="One cut-off for every kind of goods; a real pack would tune it per HTS chapter.",
    examples=[
        Example(
            "10 kg declared at $2.00", lambda: _entry(1, "2.00", "10"), flagged=["B76-0000001-5"]
        ),
        Example("0.2 kg declared at $14.99", lambda: _entry(1, "14.99", "0.2")),
    ],
)
def value_per_kg_implausible(entry: Entry, line: LineItem, ctx: RuleContext) -> Iterator[Hit]:
    """Flag a line whose value per kilogram is under the option's cut-off."""
    weight, value = line.gross_weight_kg, line.value_usd
    if not weight or value is None or weight <= 0:
        return
    per_kg = value / weight
    floor = Decimal(str(ctx.options["min_usd_per_kg"]))
    if per_kg < floor:
        yield Hit(
            entry,
            line=line.line_number,
            field="value_usd",
            observed=line.value_raw,
            expected=f">= {floor} USD per kg",
            message=(
                f"line {line.line_number} declares {value} USD for {weight} kg "
                f"({per_kg:.2f} USD/kg)"
            ),
        )


PACK = RulePack(
    name="acme",
    version="0.1.0",
    prefixes=("ACM",),
    rules=(value_per_kg_implausible,),
    description="Example pack: weight/value plausibility.",
)
