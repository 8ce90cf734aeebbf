"""HTSUS rate texts, parsed and applied to a line's value and quantity or weight.

Handles "Free", "16.5%", "154.1¢/kg", "2.5¢/kg + 10%", "$1.23/doz." and the like.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import attrs


__all__ = ["CENT", "ParsedRate", "Quantity", "apply_rate", "money", "parse_rate", "percent_text"]

CENT = Decimal("0.01")
_HUNDRED = Decimal(100)

# Unit of a specific rate or a filed quantity -> (dimension, size in the dimension's base unit).
_UNITS: dict[str, tuple[str, Decimal]] = {
    "kg": ("mass", Decimal(1)),
    "kgs": ("mass", Decimal(1)),
    "kilogram": ("mass", Decimal(1)),
    "kilograms": ("mass", Decimal(1)),
    "g": ("mass", Decimal("0.001")),
    "gram": ("mass", Decimal("0.001")),
    "grams": ("mass", Decimal("0.001")),
    "t": ("mass", Decimal(1000)),
    "mt": ("mass", Decimal(1000)),
    "tonne": ("mass", Decimal(1000)),
    "each": ("count", Decimal(1)),
    "no": ("count", Decimal(1)),
    "nmb": ("count", Decimal(1)),
    "pcs": ("count", Decimal(1)),
    "pc": ("count", Decimal(1)),
    "piece": ("count", Decimal(1)),
    "pieces": ("count", Decimal(1)),
    "ea": ("count", Decimal(1)),
    "unit": ("count", Decimal(1)),
    "units": ("count", Decimal(1)),
    "u": ("count", Decimal(1)),
    "head": ("count", Decimal(1)),
    "doz": ("count", Decimal(12)),
    "dz": ("count", Decimal(12)),
    "dozen": ("count", Decimal(12)),
    "gross": ("count", Decimal(144)),
    "pr": ("pairs", Decimal(1)),
    "prs": ("pairs", Decimal(1)),
    "pair": ("pairs", Decimal(1)),
    "pairs": ("pairs", Decimal(1)),
    "dozprs": ("pairs", Decimal(12)),
    "dozpr": ("pairs", Decimal(12)),
    "l": ("volume", Decimal(1)),
    "liter": ("volume", Decimal(1)),
    "liters": ("volume", Decimal(1)),
    "litre": ("volume", Decimal(1)),
    "litres": ("volume", Decimal(1)),
    "ltr": ("volume", Decimal(1)),
    "m2": ("area", Decimal(1)),
    "m²": ("area", Decimal(1)),
    "sqm": ("area", Decimal(1)),
    "m3": ("cubic", Decimal(1)),
    "m³": ("cubic", Decimal(1)),
    "m": ("length", Decimal(1)),
}

_AD_VALOREM = re.compile(r"^([0-9]+(?:\.[0-9]+)?)\s*%$")
_SPECIFIC = re.compile(
    r"^(?:\$\s*([0-9]+(?:\.[0-9]+)?)|([0-9]+(?:\.[0-9]+)?)\s*¢)\s*(?:/\s*(.+?)|\s+(each))$"
)
_POLARITY = re.compile(r"degree", re.IGNORECASE)


def unit_key(text: str) -> str:
    """A unit as written (``"doz."``, ``"Kg"``, ``"doz. prs."``) as a key of the unit table."""
    return re.sub(r"[\s.]", "", text.lower())


def money(value: Decimal) -> Decimal:
    """Round an amount to the cent, half up, as CBP does."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def percent_text(rate: Decimal) -> str:
    """A percentage as CBP prints it: ``Decimal("7.50")`` -> ``"7.5%"``."""
    text = format(rate.normalize(), "f")
    return f"{text}%"


@attrs.frozen
class Specific:
    """A specific part of a rate: an amount in dollars per unit."""

    usd_per_unit: Decimal
    unit: str
    dimension: str
    size: Decimal


@attrs.frozen
class ParsedRate:
    """A parsed HTSUS rate: ad valorem percent plus specific parts, or why it cannot be used.

    Attributes:
        text: the rate as printed.
        ad_valorem_percent: the ad valorem part (0 when there is none).
        specific: the specific parts (per kg, per dozen, ...).
        problem: empty when the rate can be applied; otherwise why not, in plain words.
    """

    text: str
    ad_valorem_percent: Decimal = Decimal(0)
    specific: tuple[Specific, ...] = ()
    problem: str = ""


def parse_rate(text: str) -> ParsedRate:
    """Parse an HTSUS general-rate text.

    >>> parse_rate("2.5¢/kg + 10%").ad_valorem_percent
    Decimal('10')
    >>> parse_rate("Free").problem
    ''
    """
    cleaned = " ".join(text.split())
    if not cleaned:
        return ParsedRate(text, problem="the schedule prints no general rate for this subheading")
    if cleaned.lower() == "free":
        return ParsedRate(cleaned)
    if _POLARITY.search(cleaned):
        return ParsedRate(
            cleaned,
            problem=(
                f"the rate ({cleaned}) depends on the sugar's polarity (degrees), which filed "
                "data does not give"
            ),
        )
    ad_valorem = Decimal(0)
    specific: list[Specific] = []
    for part in (p.strip() for p in cleaned.split("+")):
        match = _AD_VALOREM.match(part)
        if match:
            ad_valorem += Decimal(match.group(1))
            continue
        match = _SPECIFIC.match(part)
        unit = unit_key((match.group(3) or match.group(4)) if match else "")
        if match is None or unit not in _UNITS:
            return ParsedRate(
                cleaned,
                problem=(
                    f"the rate ({cleaned}) is not an ad valorem, per-unit or compound rate that "
                    "filed data can be applied to"
                ),
            )
        dollars = match.group(1)
        amount = Decimal(dollars) if dollars else Decimal(match.group(2)) / _HUNDRED
        dimension, size = _UNITS[unit]
        specific.append(Specific(amount, unit, dimension, size))
    return ParsedRate(cleaned, ad_valorem, tuple(specific))


@attrs.frozen
class Quantity:
    """What a line filed that a specific rate can use."""

    quantity: Decimal | None
    unit: str
    gross_weight_kg: Decimal | None


def _units_of(spec: Specific, filed: Quantity) -> tuple[Decimal | None, str]:
    """The line's quantity in the specific rate's unit, and a note on how it was obtained."""
    unit = unit_key(filed.unit)
    known = _UNITS.get(unit)
    if filed.quantity is not None and known is not None and known[0] == spec.dimension:
        return filed.quantity * known[1] / spec.size, ""
    if spec.dimension == "mass" and filed.gross_weight_kg is not None:
        return (
            filed.gross_weight_kg / spec.size,
            (
                "gross weight used for a per-kg rate; the duty is assessed on net weight, so this "
                "may overstate it"
            ),
        )
    return None, ""


def apply_rate(rate: ParsedRate, value: Decimal, filed: Quantity) -> tuple[Decimal | None, str]:
    """The duty (unrounded) of ``rate`` on a line, or ``None`` and why it cannot be computed.

    Returns ``(amount, note)``: the note explains an approximation (gross weight for net weight)
    or, when the amount is ``None``, what is missing.
    """
    if rate.problem:
        return None, rate.problem
    total = value * rate.ad_valorem_percent / _HUNDRED
    notes = []
    for spec in rate.specific:
        units, note = _units_of(spec, filed)
        if units is None:
            wanted = {
                "mass": "a weight (gross_weight_kg, or a quantity in kg)",
                "count": "a quantity in pieces or dozens",
                "pairs": "a quantity in pairs",
                "volume": "a quantity in liters",
                "area": "a quantity in square meters",
                "cubic": "a quantity in cubic meters",
                "length": "a quantity in meters",
            }[spec.dimension]
            return None, f"the rate ({rate.text}) needs {wanted}, which the line does not give"
        total += units * spec.usd_per_unit
        if note:
            notes.append(note)
    return total, "; ".join(notes)
