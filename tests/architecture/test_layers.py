"""The shape of the code: layers point one way, no import cycles, small modules and functions.

Guards the renovation (issue 16): `tasks`, `sandbox` and `storage` import none of the other
packages, `profilers` only `sandbox`; no module over 400 lines, no function over 60; the loop
imports protocols, never concrete engines, models, sandboxes or profilers.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("agent", "tasks", "profilers", "sandbox", "storage")
ALLOWED = {
    "agent": {"agent", "tasks", "profilers", "sandbox", "storage"},
    "profilers": {"profilers", "sandbox"},
    "tasks": {"tasks"},
    "sandbox": {"sandbox"},
    "storage": {"storage"},
}
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def modules() -> Iterator[tuple[str, Path]]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT).with_suffix("")
            name = ".".join(rel.parts).removesuffix(".__init__")
            yield name, path


def imports(path: Path, *, top_level_only: bool = False) -> set[str]:
    """First-party modules a file imports (TYPE_CHECKING blocks left out)."""
    tree = ast.parse(path.read_text())
    found: set[str] = set()
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    for node in nodes:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{a.name}" for a in node.names}
    return {m for m in found if m.split(".")[0] in PACKAGES}


def test_layers_point_one_way() -> None:
    wrong = [
        f"{name} imports {imp}"
        for name, path in modules()
        for imp in imports(path)
        if imp.split(".")[0] not in ALLOWED[name.split(".")[0]]
    ]
    assert wrong == []


def test_the_loop_imports_no_concrete_parts() -> None:
    """The loop meets the rest at `agent.protocols`; wiring picks the concrete classes."""
    concrete = ("agent.engines", "agent.models", "agent.llm", "sandbox.local", "sandbox.docker")
    concrete += ("profilers.session", "profilers.evaluate", "sandbox.checkout")
    wrong = [
        f"{name} imports {imp}"
        for name, path in modules()
        if name.startswith("agent.loop")
        for imp in imports(path)
        if imp.startswith(concrete)
    ]
    assert wrong == []


def test_no_import_cycles() -> None:
    known = dict(modules())
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        targets = set()
        for imp in imports(path, top_level_only=True):
            while imp and imp not in known:
                imp = imp.rpartition(".")[0]
            if imp and imp != name:
                targets.add(imp)
        graph[name] = targets
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1 and not name_is_parent(nxt, node):
                cycles.append(" -> ".join([*stack[stack.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert cycles == []


def name_is_parent(package: str, module: str) -> bool:
    """A package's `__init__` re-exporting its own submodule is not a cycle."""
    return module.startswith(package + ".")


@pytest.mark.parametrize("package", PACKAGES)
def test_modules_and_functions_stay_small(package: str) -> None:
    too_long = []
    for name, path in modules():
        if not name.startswith(package):
            continue
        source = path.read_text()
        if source.count("\n") > MAX_MODULE_LINES:
            too_long.append(f"{name}: {source.count(chr(10))} lines")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{name}.{node.name}: {length} lines")
    assert too_long == []


def test_stores_are_opened_with_redaction() -> None:
    """Secrets never reach the store: agent code opens stores only through `store_at`."""
    bare = [
        name
        for name, path in modules()
        if name.startswith("agent") and name != "agent.wiring" and "Store(" in path.read_text()
    ]
    assert bare == []
