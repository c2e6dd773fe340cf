"""No module-level mutable state in lighthouse_iac/, policies/ and components/.

State a module keeps between calls makes one call's answer depend on another having run (a memo keyed by
`id()` outliving its object, a cache over a catalogue that changed, the environment read once). Constants
are fine as tuples, frozensets or `MappingProxyType`; per-run caches belong to an object that is created,
used and dropped. The check reads the source with `ast`:
- module- or class-level assignments of list, dict or set displays or comprehensions, or of calls that
  build one (`dict()`, `defaultdict()`, ...);
- `@cache`/`@lru_cache` on a function that takes anything but strings, numbers and tuples of them, or
  that reads the environment;
- `global` statements, and `gc.disable()` (tuning the collector is scoped: `gc.freeze()` and restore).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TREES = ("lighthouse_iac", "policies", "components")

_BUILDERS = frozenset({"dict", "list", "set", "defaultdict", "OrderedDict", "Counter", "deque", "bytearray"})
_DISPLAYS = (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)
_CACHES = frozenset({"cache", "lru_cache", "cached_property"})
# What a cached function may take: values that cannot change under the cache.
_IMMUTABLE = frozenset({"str", "int", "float", "bool", "bytes", "None", "tuple", "frozenset"})
_ENVIRONMENT = ("os.environ", "getenv", "Path.cwd", "os.getcwd", "sys.argv")

# Known and owned: each names who removes it. A finding not listed here fails the test, and so does an
# entry here that no longer matches anything (delete it when the fix lands).
PENDING: dict[str, str] = {}

# Justified for good: (file, name) -> why.
ALLOWED: dict[tuple[str, str], str] = {
    ("*", "__all__"): "the list of public names Python's star-import reads; never written after import",
}


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else ""


def _mutable(value: ast.expr | None) -> bool:
    if value is None:
        return False
    return isinstance(value, _DISPLAYS) or (isinstance(value, ast.Call) and _name(value) in _BUILDERS)


def _targets(node: ast.Assign | ast.AnnAssign) -> list[str]:
    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
    return [ast.unparse(t) for t in targets]


def _body(statements: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements run at import or class creation, through `if` and `try` blocks."""
    for node in statements:
        yield node
        if isinstance(node, ast.If):
            yield from _body(node.body)
            yield from _body(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, *(h.body for h in node.handlers), node.orelse, node.finalbody):
                yield from _body(block)
        elif isinstance(node, ast.ClassDef):
            yield from _body(node.body)


def _immutable_annotation(annotation: ast.expr | None) -> bool:
    if annotation is None:
        return False
    names = {n.id for n in ast.walk(annotation) if isinstance(n, ast.Name)}
    names |= {n.attr for n in ast.walk(annotation) if isinstance(n, ast.Attribute)}
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        return _immutable_annotation(ast.parse(annotation.value, mode="eval").body)
    return bool(names) and names <= _IMMUTABLE


def _cache_problem(function: ast.FunctionDef | ast.AsyncFunctionDef) -> str | None:
    if not any(_name(d) in _CACHES for d in function.decorator_list):
        return None
    arguments = [*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs]
    arguments = [a for a in arguments if a.arg not in ("self", "cls")]
    mutable = [a.arg for a in arguments if not _immutable_annotation(a.annotation)]
    if function.args.vararg or function.args.kwarg:
        mutable.append("*args/**kwargs")
    if mutable:
        return f"cached over {', '.join(mutable)}, which may change under the cache"
    text = ast.unparse(function)
    if any(reader in text for reader in _ENVIRONMENT):
        return "cached over the environment, which may change under the cache"
    return None


def findings(path: Path, source: str) -> Iterator[tuple[str, str]]:
    """(name, why) for each piece of module-level mutable state in one file."""
    tree = ast.parse(source)
    for node in _body(tree.body):
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value and _mutable(node.value):
            shown = ast.unparse(node.value)[:40]
            for target in _targets(node):
                yield target, f"line {node.lineno}: a mutable {shown!r} at module level"
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            problem = _cache_problem(node)
            if problem:
                yield node.name, f"line {node.lineno}: {problem}"
    for any_node in ast.walk(tree):
        if isinstance(any_node, ast.Global):
            yield ", ".join(any_node.names), f"line {any_node.lineno}: a `global` statement"
        elif isinstance(any_node, ast.Call) and ast.unparse(any_node.func) == "gc.disable":
            why = "the collector switched off (freeze and restore instead)"
            yield "gc.disable", f"line {any_node.lineno}: {why}"


def _project_findings() -> dict[str, str]:
    found = {}
    for tree in TREES:
        for path in sorted((ROOT / tree).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            for name, why in findings(path, path.read_text(encoding="utf-8")):
                if (relative, name) not in ALLOWED and ("*", name) not in ALLOWED:
                    found[f"{relative}:{name}"] = why
    return found


def test_the_check_finds_state_and_spares_constants() -> None:
    source = (
        "import gc, os\nfrom functools import cache\nfrom types import MappingProxyType\n"
        "TABLE = {'a': 1}\nSEEN: list[int] = []\nBY_ID = dict()\nNAMES = ('a', 'b')\n"
        "KINDS = frozenset({'x'})\nVIEW = MappingProxyType({'a': 1})\n"
        "class Memo:\n    known = {}\n"
        "@cache\ndef pattern(text: str, flags: tuple[int, ...]) -> int:\n    return 1\n"
        "@cache\ndef summary(role: Role) -> int:\n    return 1\n"
        "@cache\ndef settings() -> str:\n    return os.environ['X']\n"
        "def f() -> None:\n    global COUNT\n    gc.disable()\n    local = {}\n"
    )
    assert sorted(name for name, _ in findings(Path("x.py"), source)) == [
        "BY_ID",
        "COUNT",
        "SEEN",
        "TABLE",
        "gc.disable",
        "known",
        "settings",
        "summary",
    ]


def test_no_module_level_mutable_state() -> None:
    found = _project_findings()
    unexpected = {key: why for key, why in found.items() if key not in PENDING}
    assert unexpected == {}, "module-level state; make it a constant or a per-run object:\n" + "\n".join(
        f"{key}: {why}" for key, why in sorted(unexpected.items())
    )
    fixed = sorted(set(PENDING) - set(found))
    assert fixed == [], f"fixed (remove from PENDING): {fixed}"
