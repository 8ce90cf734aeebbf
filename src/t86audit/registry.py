"""Rule packs: discovery through entry points, registration, selection.

The built-in pack is registered under the ``t86audit.rules`` entry-point group exactly as a
third-party pack would be, so the plug-in path runs on every audit. Loading fails loudly by
default: a pack skipped without notice would mean violations missed without notice.
"""

from __future__ import annotations

import importlib.metadata
import warnings
from collections.abc import Iterable, Iterator, Sequence
from typing import Literal

from t86audit.exceptions import DuplicateRuleError, PackLoadError, T86AuditError
from t86audit.rules._base import Rule, RulePack


__all__ = ["ENTRY_POINT_GROUP", "RuleRegistry", "load_packs"]

ENTRY_POINT_GROUP = "t86audit.rules"


def _display_name(ep: importlib.metadata.EntryPoint) -> str:
    dist = getattr(ep, "dist", None)
    dist_name = dist.name if dist is not None else "?"
    return f"{dist_name}[{ep.name}]"


def load_packs(
    group: str = ENTRY_POINT_GROUP,
    *,
    on_error: Literal["raise", "warn"] = "raise",
    entry_points: Iterable[importlib.metadata.EntryPoint] | None = None,
) -> list[RulePack]:
    """Load every rule pack registered under ``group``, in entry-point name order.

    Args:
        group: the entry-point group.
        on_error: ``"raise"`` (default) raises :class:`PackLoadError` on the first pack that
            fails; ``"warn"`` skips it with a warning.
        entry_points: entry points to load instead of the installed ones (for tests).
    """
    eps = (
        list(entry_points)
        if entry_points is not None
        else list(importlib.metadata.entry_points(group=group))
    )
    packs: list[RulePack] = []
    for ep in sorted(eps, key=lambda e: e.name):
        try:
            obj = ep.load()
            if not isinstance(obj, RulePack):
                msg = f"entry point {ep.value!r} is a {type(obj).__name__}, not a RulePack"
                raise TypeError(msg)  # noqa: TRY301
        except Exception as exc:  # a broken plug-in may raise anything
            error = PackLoadError(_display_name(ep), exc)
            if on_error == "raise":
                raise error from exc
            warnings.warn(str(error), RuntimeWarning, stacklevel=2)
            continue
        packs.append(obj)
    return packs


class RuleRegistry:
    """The rules available to an audit, from one or more packs.

    No two packs may claim the same prefix, and no two rules may share a code or alias.
    """

    def __init__(self, packs: Iterable[RulePack] = ()) -> None:
        self._packs: list[RulePack] = []
        self._by_code: dict[str, Rule] = {}
        self._prefix_owner: dict[str, str] = {}
        for pack in packs:
            self.add(pack)

    @classmethod
    def default(cls) -> RuleRegistry:
        """A registry of every installed pack (the built-in ``core`` pack included)."""
        return cls(load_packs())

    def add(self, pack: RulePack) -> None:
        """Register a pack; raises :class:`DuplicateRuleError` on any clash."""
        if any(p.name == pack.name for p in self._packs):
            msg = f"a rule pack named {pack.name!r} is already registered"
            raise DuplicateRuleError(msg)
        for prefix in pack.prefixes:
            owner = self._prefix_owner.get(prefix)
            if owner is not None:
                msg = f"prefix {prefix} claimed by both pack {owner!r} and pack {pack.name!r}"
                raise DuplicateRuleError(msg)
        for r in pack.rules:
            for code in (r.code, *r.aliases):
                if code in self._by_code:
                    msg = f"rule code {code} is registered twice"
                    raise DuplicateRuleError(msg)
        for prefix in pack.prefixes:
            self._prefix_owner[prefix] = pack.name
        for r in pack.rules:
            for code in (r.code, *r.aliases):
                self._by_code[code] = r
        self._packs.append(pack)

    @property
    def packs(self) -> tuple[RulePack, ...]:
        """The registered packs, in registration order."""
        return tuple(self._packs)

    def __iter__(self) -> Iterator[Rule]:
        return iter(
            sorted({r.code: r for r in self._by_code.values()}.values(), key=lambda r: r.code)
        )

    def __len__(self) -> int:
        return len({r.code for r in self._by_code.values()})

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code.upper() in self._by_code

    def get(self, code: str) -> Rule:
        """The rule with this code or alias; :class:`T86AuditError` if unknown."""
        try:
            return self._by_code[code.strip().upper()]
        except KeyError:
            msg = f"unknown rule code {code!r}"
            raise T86AuditError(msg) from None

    def select(self, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> list[Rule]:
        """The rules chosen by ``select`` (codes or prefixes; empty = all) minus ``ignore``.

        A token that matches no registered rule raises :class:`T86AuditError`, because a typo in
        ``--select`` would otherwise run nothing and report a clean audit.
        """
        rules = list(self)
        for token in (*select, *ignore):
            if token.strip() and not any(r.matches(token) for r in rules):
                msg = f"--select/--ignore token {token!r} matches no registered rule"
                raise T86AuditError(msg)
        chosen = [r for r in rules if not select or any(r.matches(t) for t in select)]
        return [r for r in chosen if not any(r.matches(t) for t in ignore)]
