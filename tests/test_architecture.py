"""The layers of the program import only downward, and no module imports itself back through others.

The layers, from the bottom (docs/explanation/architecture.md draws them):

0. foundations: the domain, the errors, the limits, the words, safe file writing;
1. dates: candidate days, blackouts, time zones, the period to plan, fair turns;
2. the committee: its file read and checked;
3. planning: the CP-SAT model, the solve, the explanation, alternatives, the validator, replanning;
4. files: the planning formats, the documents, the calendar files and their sending;
5. the interface: the command line and the library's front door (`rotation`).

A module may import a module of its own layer or a lower one, at the top of the file or inside a
function alike; names imported only for the type checker (`if TYPE_CHECKING:`) do not count. Every
module of `rotation` and `calendars` must be placed in a layer, so that a new module is a decision,
not an accident.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

LAYERS: tuple[tuple[str, ...], ...] = (
    (
        "rotation.errors",
        "rotation.limits",
        "rotation.domain",
        "rotation.messages",
        "rotation.i18n",
        "rotation.files",
        "rotation.profile",
    ),
    ("calendars.dates", "calendars.blackouts", "calendars.vtimezone", "rotation.horizon", "rotation.fairness"),
    ("rotation.config", "rotation.committee_check"),
    (
        "rotation.model",
        "rotation.solve",
        "rotation.explain",
        "rotation.alternatives",
        "rotation.validate",
        "rotation.replan",
    ),
    (
        "calendars",
        "calendars.ics",
        "calendars.mail",
        "calendars.outbox",
        "rotation.render",
        "rotation.planfile",
        "rotation.formats",
        "rotation.documents",
        "rotation.planning_check",
        "rotation.issuing",
        "rotation.sending",
        "rotation.outputs",
    ),
    ("rotation", "rotation.__main__", "rotation.cli"),
)


def _modules() -> dict[str, Path]:
    found = {}
    for package in ("rotation", "calendars"):
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


MODULES = _modules()


def _owner(name: str) -> str | None:
    """The module of `rotation` or `calendars` that `name` (a module or a name in one) lives in."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node of `tree` except those under `if TYPE_CHECKING:`, which only the type checker reads."""
    nodes = []
    todo = [tree]
    while todo:
        node = todo.pop()
        nodes.append(node)
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                todo.extend(child.orelse)
            else:
                todo.append(child)
    return nodes


def _imports(name: str) -> set[str]:
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(filter(None, (_owner(alias.name) for alias in node.names)))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            for alias in node.names:
                owner = _owner(f"{base}.{alias.name}") if f"{base}.{alias.name}" in MODULES else _owner(base)
                if owner:
                    found.add(owner)
    found.discard(name)
    return found


GRAPH = {name: _imports(name) for name in MODULES}


def layer(name: str) -> int:
    """The layer of a module: that of the longest prefix listed in LAYERS."""
    best = None
    for number, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".")) and (best is None or len(prefix) > len(best[1])):
                best = (number, prefix)
    if best is None:
        raise AssertionError(f"{name} is in no layer: add it to LAYERS and to docs/explanation/architecture.md")
    return best[0]


@pytest.mark.parametrize("name", sorted(MODULES))
def test_a_module_imports_only_its_own_layer_or_lower(name: str) -> None:
    upward = sorted(other for other in GRAPH[name] if layer(other) > layer(name))
    assert upward == [], f"{name} (layer {layer(name)}) imports {upward} from a higher layer"


def test_no_module_imports_itself_back_through_others() -> None:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(name: str) -> None:
        index[name] = low[name] = len(index)
        stack.append(name)
        for other in sorted(GRAPH[name]):
            if other not in index:
                visit(other)
                low[name] = min(low[name], low[other])
            elif other in stack:
                low[name] = min(low[name], index[other])
        if low[name] == index[name]:
            component = [stack.pop()]
            while component[-1] != name:
                component.append(stack.pop())
            if len(component) > 1:
                cycles.append(sorted(component))

    for name in sorted(GRAPH):
        if name not in index:
            visit(name)
    assert cycles == [], f"modules that import each other: {cycles}"


def test_the_checks_see_imports_at_every_depth() -> None:
    # an import inside a function counts as much as one at the top: the check would pass vacuously otherwise
    assert "rotation.model" in GRAPH["rotation.solve"]
    assert "rotation.domain" in GRAPH["rotation.validate"]


def test_the_architecture_page_gives_every_module_its_layer() -> None:
    page = (ROOT / "docs" / "explanation" / "architecture.md").read_text(encoding="utf-8")
    sections = page.split("\n## ")
    for name in MODULES:
        section = next((text for text in sections if f"| `{name}` |" in text), None)
        assert section is not None, f"docs/explanation/architecture.md does not list {name}"
        assert section.startswith(f"{layer(name)}. "), f"{name} is listed under another layer than its own"
