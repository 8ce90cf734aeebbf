"""The package's layering: no import cycles anywhere, and the layers import only downward.

Read from the source (``ast``), so an import inside a function counts as much as one at the
top of a module; imports under ``if TYPE_CHECKING:`` do not (they never run). ``from pkg import
submodule`` is an import of the submodule, as Python runs it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest


SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "t86audit"


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _type_checking_only(tree: ast.AST) -> set[int]:
    """Ids of the import nodes under ``if TYPE_CHECKING:``."""
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            ids.update(id(sub) for sub in ast.walk(node))
    return ids


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name in MODULES]
    if node.level:
        base = module.split(".")
        package = base if MODULES[module].name == "__init__.py" else base[:-1]
        package = package[: len(package) - (node.level - 1)]
        name = ".".join([*package, *([node.module] if node.module else [])])
    else:
        name = node.module or ""
    subs = [f"{name}.{a.name}" for a in node.names if f"{name}.{a.name}" in MODULES]
    out = subs if len(subs) == len(node.names) else [name, *subs]
    return [target for target in out if target in MODULES]


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _type_checking_only(tree)
        edges: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom) and id(node) not in skip:
                edges.update(t for t in _targets(module, node) if t != module)
        graph[module] = edges
    return graph


GRAPH = _graph()


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _imports_of(prefix: str) -> set[str]:
    """Every project module imported by a module of ``prefix`` (a module or a package)."""
    return {
        target
        for module, targets in GRAPH.items()
        if module == prefix or module.startswith(prefix + ".")
        for target in targets
    }


def _within(modules: set[str], prefix: str) -> set[str]:
    return {m for m in modules if m == prefix or m.startswith(prefix + ".")}


def test_the_reader_sees_the_package():
    assert "t86audit.engine" in GRAPH
    assert "t86audit.rules._base" in GRAPH["t86audit.engine"]


def test_no_import_cycle_anywhere_in_the_package():
    assert _cycles(GRAPH) == []


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c"]]


def test_model_imports_nothing_of_the_project():
    assert _imports_of("t86audit.model") == set()


@pytest.mark.parametrize("lower", ["t86audit.report", "t86audit.io", "t86audit.cli"])
def test_rules_never_import_report_io_or_cli(lower: str) -> None:
    assert _within(_imports_of("t86audit.rules"), lower) == set()


@pytest.mark.parametrize(
    "upper",
    ["t86audit.engine", "t86audit.rules", "t86audit.report", "t86audit.api", "t86audit.cli"],
)
def test_reference_data_sits_below_the_engine_rules_and_report(upper: str) -> None:
    below = _imports_of("t86audit.reference") | _imports_of("t86audit.reference._files")
    assert _within(below, upper) == set()


@pytest.mark.parametrize("upper", ["t86audit.report", "t86audit.api", "t86audit.cli"])
def test_the_engine_does_not_reach_up(upper: str) -> None:
    assert _within(_imports_of("t86audit.engine"), upper) == set()
