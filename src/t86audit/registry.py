"""Rule packs: discovery through entry points, registration, selection.

The built-in pack is registered under the ``t86audit.rules`` entry-point group exactly as a
third-party pack would be, so the plug-in path runs on every audit. Loading fails loudly by
default: a pack skipped without notice would mean violations missed without notice.
"""

from __future__ import annotations

import functools
import importlib
import re
import sys
import warnings
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from t86audit.exceptions import DuplicateRuleError, PackLoadError, T86AuditError
from t86audit.rules._base import Rule, RulePack


if TYPE_CHECKING:
    import importlib.metadata

__all__ = ["ENTRY_POINT_GROUP", "RuleRegistry", "load_packs"]

ENTRY_POINT_GROUP = "t86audit.rules"


class _EntryPointLike(Protocol):
    """What loading a pack needs of an entry point (``importlib.metadata.EntryPoint`` has it)."""

    @property
    def name(self) -> str: ...

    @property
    def value(self) -> str: ...

    def load(self) -> object: ...


class _Dist:
    """The distribution an entry point found by the scan comes from (its name, for messages)."""

    __slots__ = ("_info", "_stem")

    def __init__(self, info: Path, stem: str) -> None:
        self._info = info
        self._stem = stem

    @property
    def name(self) -> str:
        """The ``Name`` its metadata gives (as importlib.metadata says it), else the folder's."""
        for file in ("METADATA", "PKG-INFO"):
            try:
                with (self._info / file).open(encoding="utf-8") as handle:
                    for line in handle:
                        if line[:5].lower() == "name:":  # (header names ignore case)
                            return line[5:].strip()
                        if not line.strip():
                            break  # the headers end at the first blank line
            except (OSError, ValueError):
                continue
        return self._stem


# importlib.metadata's pattern for an entry point's value: "module[:attr.attr] [extras]".
_VALUE = re.compile(r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$")


class _FoundEntryPoint:
    """An entry point read from an ``entry_points.txt`` by :func:`_scan_entry_points`."""

    __slots__ = ("dist", "group", "name", "value")

    def __init__(self, name: str, value: str, group: str, dist: _Dist) -> None:
        self.name = name
        self.value = value
        self.group = group
        self.dist = dist

    def load(self) -> object:
        """Import the module the value names and return the attribute it names."""
        match = _VALUE.match(self.value)
        if match is None:
            msg = f"entry point value {self.value!r} is not of the form module:attribute"
            raise ValueError(msg)
        module = importlib.import_module(match.group("module"))
        names = filter(None, (match.group("attr") or "").split("."))
        return functools.reduce(getattr, names, module)


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _scan_entry_points(group: str) -> list[_FoundEntryPoint] | None:
    """The ``group`` entry points of the distributions on ``sys.path``, or ``None``.

    Why not ``importlib.metadata.entry_points()``: importing it (it parses e-mail headers)
    and walking every distribution's metadata takes some 40 ms, a sixth of a ten-entry audit
    from the command line, to find the one built-in pack. This reads what that function
    reads, the ``entry_points.txt`` of each ``*.dist-info`` and ``*.egg-info`` folder in the
    folders of ``sys.path``, and keeps the first distribution of each name as it does.
    ``None`` (use importlib.metadata) wherever the scan could read otherwise than it does: a
    zip archive or an egg on the path, an import hook of its own that finds distributions
    (or none that does), a metadata folder named unusually, or a file it would refuse.
    """
    from importlib.machinery import PathFinder  # noqa: PLC0415  (frozen: costs nothing)

    finders = [f for f in sys.meta_path if hasattr(f, "find_distributions")]
    if finders != [PathFinder]:
        return None
    seen: set[str] = set()
    found: list[_FoundEntryPoint] = []
    for entry in sys.path:
        folder = Path(entry or ".")
        try:
            children = list(folder.iterdir())
        except NotADirectoryError:
            return None  # a zip archive on the path
        except OSError:
            continue  # a folder that does not exist (python311.zip usually does not)
        if folder.name.lower().endswith(".egg"):
            return None  # an unpacked egg: its metadata sits elsewhere
        for child in children:
            info = child.name
            if not info.lower().endswith((".dist-info", ".egg-info")):
                continue
            stem = info.rpartition(".")[0].partition("-")[0]
            if not stem or not info.endswith((".dist-info", ".egg-info")):
                return None  # importlib names such a one by its metadata: let it decide
            dist = _normalized(stem)
            if dist in seen:
                continue
            seen.add(dist)
            try:
                text = (child / "entry_points.txt").read_text(encoding="utf-8")
            except OSError:
                continue
            # Every file is read whole: importlib.metadata refuses a bad line in any section.
            points = _read_entry_points(text, group, _Dist(child, stem))
            if points is None:
                return None
            found.extend(points)
    return found


def _read_entry_points(text: str, group: str, dist: _Dist) -> list[_FoundEntryPoint] | None:
    """The ``group`` section of an ``entry_points.txt``, read as importlib.metadata reads it.

    ``None`` for a line importlib.metadata refuses (an entry without ``=``): it then decides.
    """
    found: list[_FoundEntryPoint] = []
    section: str | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line.strip("[]")
        elif section is not None:
            name, equals, value = line.partition("=")
            if not equals:
                return None
            if section == group:
                found.append(_FoundEntryPoint(name.strip(), value.strip(), group, dist))
    return found


def _installed_entry_points(group: str) -> Sequence[_EntryPointLike]:
    scanned = _scan_entry_points(group)
    if scanned is not None:
        return scanned
    import importlib.metadata  # noqa: PLC0415  (see _scan_entry_points)

    return list(importlib.metadata.entry_points(group=group))


def _display_name(ep: _EntryPointLike) -> str:
    dist = getattr(ep, "dist", None)
    dist_name = dist.name if dist is not None else "?"
    return f"{dist_name}[{ep.name}]"


def load_packs(
    group: str = ENTRY_POINT_GROUP,
    *,
    on_error: Literal["raise", "warn"] = "raise",
    entry_points: Iterable[importlib.metadata.EntryPoint | _EntryPointLike] | None = None,
) -> list[RulePack]:
    """Load every rule pack registered under ``group``, in entry-point name order.

    Args:
        group: the entry-point group.
        on_error: ``"raise"`` (default) raises :class:`PackLoadError` on the first pack that
            fails; ``"warn"`` skips it with a warning.
        entry_points: entry points to load instead of the installed ones (for tests).
    """
    eps = list(entry_points) if entry_points is not None else _installed_entry_points(group)
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
