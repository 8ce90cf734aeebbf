"""Rules declared alike: a family of rules that reads the same inputs declares them once.

The engine evaluates a rule once per distinct value of the inputs it declares, and rules that
declare the same inputs share one look-up (:attr:`~t86audit.rules.Rule.reads`). The built-in
rules that judge the same data elements are therefore declared through one decorator made
here per set of inputs, so their declarations cannot drift apart and each names only what is
its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Literal, Protocol, Unpack

from t86audit.rules._base import PRESUMPTION_READS, RuleCode
from t86audit.rules._catalog import builtin_rule


if TYPE_CHECKING:
    from t86audit.rules._base import Check, Rule, SameEveryDay


__all__ = [
    "Declare",
    "described_goods_rule",
    "exempt_goods_rule",
    "goods_rule",
    "port_rule",
    "reading",
]


class Declare(Protocol):
    """A built-in rule's decorator factory (``builtin_rule``), its inputs and scope given."""

    def __call__(self, code: str, /, **metadata: Unpack[RuleCode]) -> Callable[[Check], Rule]:
        """Declare the rule ``code`` with ``metadata``."""
        ...


def reading(
    reads: Iterable[str],
    scope: Literal["line", "entry"] = "entry",
    same_every_day: SameEveryDay | None = None,
) -> Declare:
    """The :func:`~t86audit.rules._catalog.builtin_rule` of the rules that read ``reads``.

    ``same_every_day``: see :attr:`~t86audit.rules.Rule.same_every_day`.
    """
    names = tuple(reads)

    def declare(code: str, /, **metadata: Unpack[RuleCode]) -> Callable[[Check], Rule]:
        return builtin_rule(
            code, scope=scope, reads=names, same_every_day=same_every_day, **metadata
        )

    return declare


goods_rule = reading(("line.additional_hts", "line.country_of_origin", "line.hts_number"), "line")
"""A line rule on what the goods are and where they come from: the line's HTS numbers and its
country of origin (HTS001, HTS005, ELG005, ELG007, ELG008, ELG010, ELG011, ELG014)."""

described_goods_rule = reading(
    ("line.additional_hts", "line.country_of_origin", "line.description", "line.hts_number"),
    "line",
)
"""A line rule on the goods, their origin and what the description says they are (ELG009,
which sets a broad AD/CVD match aside when the description names other goods)."""

exempt_goods_rule = reading(
    ("line.additional_hts", "line.country_of_origin", "line.hts_number", *PRESUMPTION_READS),
    "line",
)
"""A line rule on goods kept out of the de minimis exemption (ELG005, ELG007, ELG008, ELG010,
ELG011): :data:`goods_rule`'s inputs and what tells a record that is a T86 only by presumption
(:func:`~t86audit.rules.presuming_t86`)."""

exempt_described_goods_rule = reading(
    (
        "line.additional_hts",
        "line.country_of_origin",
        "line.description",
        "line.hts_number",
        *PRESUMPTION_READS,
    ),
    "line",
)
""":data:`described_goods_rule` for goods kept out of the exemption (ELG009): its inputs and
:data:`~t86audit.rules._base.PRESUMPTION_READS`."""

port_rule = reading(("entry.arrival_date", "entry.entry_type", "entry.mode", "entry.port_code"))
"""An entry rule on how and where the goods arrived: the arrival date, the entry type, the
mode of transport and the port code (ELG004, FIL012-FIL015)."""
