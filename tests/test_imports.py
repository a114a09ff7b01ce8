"""The package's shape: no import circles in drift/, and no module uses another's private names.

Read from the source with `ast`, so lazy imports inside functions count too: a circle that
only works because one side imports late is still a circle in the design.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "drift"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def absolute(node: ast.ImportFrom, here: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = here.split(".") if is_package else here.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports(known: dict[str, Path]) -> dict[str, list[tuple[str, str, int]]]:
    """module -> [(imported drift module, name taken from it or '', line)]."""
    out: dict[str, list[tuple[str, str, int]]] = {}
    for name, path in known.items():
        found = out.setdefault(name, [])
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                found += [(a.name, "", node.lineno) for a in node.names if a.name in known]
            elif isinstance(node, ast.ImportFrom):
                source = absolute(node, name, path.name == "__init__.py")
                for alias in node.names:
                    if f"{source}.{alias.name}" in known:  # `from pkg import submodule`
                        found.append((f"{source}.{alias.name}", "", node.lineno))
                    elif source in known:
                        found.append((source, alias.name, node.lineno))
    return out


def private_uses(known: dict[str, Path]) -> list[str]:
    """`from x import _y` and `x._y` where x is another drift module."""
    bad = []
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        aliases: dict[str, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                source = absolute(node, name, path.name == "__init__.py")
                for alias in node.names:
                    if f"{source}.{alias.name}" in known:
                        aliases[alias.asname or alias.name] = f"{source}.{alias.name}"
                    elif source in known and source != name and alias.name.startswith("_") and not alias.name.startswith("__"):
                        bad.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} imports {alias.name} from {source}")
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in known and alias.asname:
                        aliases[alias.asname] = alias.name
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases
                    and aliases[node.value.id] != name and node.attr.startswith("_") and not node.attr.startswith("__")):
                bad.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} uses {node.value.id}.{node.attr}")
    return bad


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each a circle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_checker_finds_a_circle_and_a_private_import(tmp_path, monkeypatch):
    package = tmp_path / "drift"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from drift.b import helper\n")
    (package / "b.py").write_text("def helper():\n    from drift import a\n    return a._secret\n")
    (package / "c.py").write_text("from drift.b import _hidden\nimport drift.a\n")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", package)
    known = modules()
    graph = {m: {t for t, _, _ in found if t != m} for m, found in imports(known).items()}
    assert cycles(graph) == [["drift.a", "drift.b"]]
    assert sorted(private_uses(known)) == ["drift/b.py:3 uses a._secret", "drift/c.py:1 imports _hidden from drift.b"]


def test_no_import_circles_in_drift():
    known = modules()
    graph = {m: {t for t, _, _ in found if t != m} for m, found in imports(known).items()}
    assert cycles(graph) == []


def test_no_module_imports_a_private_name_from_another():
    assert private_uses(modules()) == []
