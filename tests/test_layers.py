"""The shape of the code: no import circles, and no arrow pointing up.

Every import of a Luntan module is read from the source (those inside
functions too: an import moved into a function to dodge a circle is still
one), and each module has a layer, from `zh` at the bottom to the pages and
the API at the top (docs/design.md, "Layout"). A module may import its own
layer and those below it; any app's `models` are data that every layer
reads.
"""

import ast
from collections import defaultdict
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

# Lowest first. A module takes the layer of the longest prefix listed here.
LAYERS = [
    ("luntan.zh", "luntan.errors", "luntan.textfields", "luntan.markup", "luntan.forms", "luntan.images"),
    ("luntan.ratelimit", "luntan.accounts", "luntan.search", "luntan.stats",
     # the policy posting consults: the keyword screen, bans, newcomer review
     "luntan.moderation.screening", "luntan.moderation.selectors"),
    ("luntan.forum",),
    ("luntan.messages", "luntan.columns", "luntan.moderation"),
    ("luntan.web", "luntan.api", "luntan.urls", "luntan.demo", "luntan.cli", "luntan.settings", "luntan.wsgi",
     # an account's pages and admin show what the member has everywhere (posts, column, boards)
     "luntan.gunicorn_conf", "luntan.accounts.views", "luntan.accounts.admin"),
]


def _modules() -> dict[str, Path]:
    found = {}
    for path in (SRC / "luntan").rglob("*.py"):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(SRC).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            candidates = [module] + [f"{module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        else:
            continue
        # The most specific module named: `from luntan.forum import lifecycle` is an import of the module.
        for candidate in candidates:
            if candidate in modules and candidate != name and not any(
                other != candidate and other.startswith(candidate + ".") for other in candidates if other in modules
            ):
                targets.add(candidate)
    return targets


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def _layer(module: str) -> int | None:
    best, level = "", None
    for number, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > len(best):
                best, level = prefix, number
    return level


def _is_data(module: str) -> bool:
    return module.endswith(".models") or module == "luntan"


def test_no_import_circles():
    graph = _graph()
    state: dict[str, int] = {}
    circles = []

    def visit(module: str, trail: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                circles.append(" → ".join(trail[trail.index(target):] + [module, target]) if target in trail else f"{module} → {target}")
            elif target not in state:
                visit(target, trail + [module])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [])
    assert circles == []


def test_every_module_has_a_layer():
    assert [module for module in _modules() if _layer(module) is None and not _is_data(module)] == []


def test_no_module_imports_one_that_sits_above_it():
    upward = defaultdict(list)
    for module, targets in _graph().items():
        for target in targets:
            if _is_data(target):
                continue
            if _layer(target) > _layer(module):
                upward[module].append(target)
    assert dict(upward) == {}
