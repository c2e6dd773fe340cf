"""No import cycle among lighthouse_iac's modules: each can be read, and imported, after what it uses.

The graph is built from the source with `ast`: only imports run when a module is imported count, so those
inside functions (deliberately lazy) and under `if TYPE_CHECKING:` (annotations only) are left out.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "lighthouse_iac"


def modules(package: Path) -> dict[str, tuple[Path, bool]]:
    """Dotted module name -> (file, whether it is a package's __init__)."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        found[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return found


def _statements(body: Sequence[ast.stmt]) -> Iterator[ast.stmt]:
    """The statements run at import time, through `if` and `try`, except `if TYPE_CHECKING:` bodies."""
    for node in body:
        if isinstance(node, ast.If):
            if "TYPE_CHECKING" not in ast.unparse(node.test):
                yield from _statements(node.body)
            yield from _statements(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, *(h.body for h in node.handlers), node.orelse, node.finalbody):
                yield from _statements(block)
        else:
            yield node


def imported(name: str, source: str, is_package: bool, known: Mapping[str, object]) -> set[str]:
    """The modules of `known` that module `name` imports at module level."""
    package = name if is_package else name.rpartition(".")[0]
    found = set()
    for node in _statements(ast.parse(source).body):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = parts[: len(parts) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                found.add(submodule if submodule in known else target)
    # Importing `a.b.c` runs the packages `a` and `a.b` first, unless the importer is inside them (then
    # they are already being imported): `from .config.located import x` runs config/__init__.py.
    ancestors = {".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1)}
    for target in list(found):
        parts = target.split(".")
        found |= {".".join(parts[:i]) for i in range(1, len(parts))} - ancestors
    return {target for target in found if target in known and target != name}


def cycles(graph: Mapping[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (or a module importing itself)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's algorithm; the graph is a few hundred modules deep at most
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph[node]:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def import_graph(package: Path) -> dict[str, set[str]]:
    known = modules(package)
    return {
        name: imported(name, path.read_text(encoding="utf-8"), is_package, known)
        for name, (path, is_package) in known.items()
    }


def test_the_graph_sees_the_imports_it_should() -> None:
    # The walker itself: relative and absolute imports count, lazy and annotation-only ones do not.
    known = {name: None for name in ("pkg", "pkg.a", "pkg.b", "pkg.c", "pkg.sub", "pkg.sub.d", "pkg.e")}
    source = (
        "from typing import TYPE_CHECKING\n"
        "from . import a\n"
        "from .sub import d\n"
        "import pkg.e\n"
        "if TYPE_CHECKING:\n    from . import b\n"
        "def f() -> None:\n    from . import c\n"
    )
    inside = "from .. import a\nfrom .d import name\nfrom ..sub import d\n"
    assert imported("pkg.sub.x", inside, False, known) == {"pkg.a", "pkg.sub.d"}
    assert imported("pkg", source, True, known) == {"pkg.a", "pkg.sub", "pkg.sub.d", "pkg.e"}
    # A module deep in a package runs that package's __init__ first: an edge to it too.
    assert imported("pkg.a", "from .sub.d import name\n", False, known) == {"pkg.sub", "pkg.sub.d"}
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_in_lighthouse_iac() -> None:
    graph = import_graph(PACKAGE)
    assert len(graph) > 50  # the package was found, not an empty folder
    assert cycles(graph) == []
