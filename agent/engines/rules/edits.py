"""Module-level edits shared by the rewrites: imports, constants, fresh names."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import libcst as cst

from agent.engines.rules.syntax import bound_names, walk


def _is_import(stmt: cst.CSTNode) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and all(
        isinstance(s, cst.Import | cst.ImportFrom) for s in stmt.body
    )


def _is_future(stmt: cst.CSTNode) -> bool:
    return (
        isinstance(stmt, cst.SimpleStatementLine)
        and len(stmt.body) == 1
        and isinstance(stmt.body[0], cst.ImportFrom)
        and isinstance(stmt.body[0].module, cst.Name)
        and stmt.body[0].module.value == "__future__"
    )


def is_docstring(stmt: cst.CSTNode) -> bool:
    """A statement that is only a string (a docstring, where it stands first)."""
    return (
        isinstance(stmt, cst.SimpleStatementLine)
        and len(stmt.body) == 1
        and isinstance(stmt.body[0], cst.Expr)
        and isinstance(stmt.body[0].value, cst.SimpleString | cst.ConcatenatedString)
    )


def add_module_statements(
    module: cst.Module, imports: Sequence[str], constants: Sequence[cst.BaseStatement]
) -> cst.Module:
    """Insert missing imports after the existing top-of-module imports, then constants."""
    body: list[Any] = list(module.body)
    present = {module.code_for_node(s).strip() for s in body if _is_import(s)}
    end = 0
    for i, stmt in enumerate(body):
        if _is_import(stmt) or (i == 0 and is_docstring(stmt)):
            end = i + 1
        elif isinstance(stmt, cst.SimpleStatementLine | cst.EmptyLine):
            continue
        else:
            break
    new_imports = [
        cst.parse_statement(f"{imp}\n") for imp in dict.fromkeys(imports) if imp not in present
    ]
    if new_imports:
        # standard-library imports go first in the import block, after `from __future__`
        at = 0
        for i, stmt in enumerate(body[:end]):
            if (i == 0 and is_docstring(stmt)) or _is_future(stmt):
                at = i + 1
        first = body[at] if at < len(body) else None
        if first is not None and getattr(first, "leading_lines", None) and at > 0:
            new_imports[0] = new_imports[0].with_changes(leading_lines=first.leading_lines)
            body[at] = first.with_changes(leading_lines=())
        body[at:at] = new_imports
        end += len(new_imports)
    added: list[cst.BaseStatement] = []
    if constants:
        # after the module's leading simple statements (imports, earlier constants), so
        # constants added by successive rewrites keep their order
        while end < len(body) and isinstance(body[end], cst.SimpleStatementLine):
            end += 1
        head = constants[0]
        if isinstance(head, cst.SimpleStatementLine):
            constants = [head.with_changes(leading_lines=[cst.EmptyLine()]), *constants[1:]]
        added.extend(constants)
    if not added and not new_imports:
        return module
    body[end:end] = added
    for i in range(max(end, 1), min(end + len(added) + 1, len(body))):
        body[i] = _spaced(body[i - 1], body[i])
    return module.with_changes(body=body)


def _spaced(before: cst.CSTNode, stmt: Any) -> Any:
    """`stmt` with the two blank lines PEP 8 asks for next to a function or class (a helper
    inserted between statements must not leave `def` right after a line of code)."""
    if not any(isinstance(s, cst.FunctionDef | cst.ClassDef) for s in (before, stmt)):
        return stmt
    lines = list(getattr(stmt, "leading_lines", ()))
    blank = 0
    while blank < len(lines) and lines[blank].comment is None:
        blank += 1
    if blank >= 2:
        return stmt
    return stmt.with_changes(leading_lines=[cst.EmptyLine()] * 2 + lines[blank:])


def leading_statements(module: cst.Module) -> list[cst.BaseStatement]:
    """Module statements before the first compound statement (where imports normally sit)."""
    out: list[cst.BaseStatement] = []
    for stmt in module.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            break
        out.append(stmt)
    return out


def imported_as(module: cst.Module, module_name: str) -> str | None:
    """The local name under which `import module_name` is visible at module level, if any."""
    for stmt in leading_statements(module):
        if not _is_import(stmt):
            continue
        for small in stmt.body:  # type: ignore[attr-defined]
            if isinstance(small, cst.Import):
                for alias in small.names:
                    dotted = cst.Module([]).code_for_node(alias.name)
                    if dotted == module_name:
                        return alias.asname.name.value if alias.asname else module_name  # type: ignore[union-attr]
    return None


def from_imported(module: cst.Module, module_name: str, attr: str) -> str | None:
    """The local name of `from module_name import attr [as x]` at module level, if any."""
    for stmt in leading_statements(module):
        if not _is_import(stmt):
            continue
        for small in stmt.body:  # type: ignore[attr-defined]
            if (
                isinstance(small, cst.ImportFrom)
                and small.module is not None
                and cst.Module([]).code_for_node(small.module) == module_name
                and not isinstance(small.names, cst.ImportStar)
            ):
                for alias in small.names:
                    if isinstance(alias.name, cst.Name) and alias.name.value == attr:
                        return alias.asname.name.value if alias.asname else attr  # type: ignore[union-attr]
    return None


def module_level_names(module: cst.Module) -> set[str]:
    """Every name mentioned anywhere in the module (new names must avoid all of them)."""
    return _all_names(module)


def _all_names(node: cst.CSTNode) -> set[str]:

    return {n.value for n in walk(node, into_scopes=True) if isinstance(n, cst.Name)}


def fresh_name(base: str, taken: set[str]) -> str:
    """`base`, or `base_2`, `base_3`... whichever no code in the module mentions yet."""
    name, i = base, 1
    while name in taken:
        i += 1
        name = f"{base}_{i}"
    taken.add(name)
    return name


def module_helper(
    module: cst.Module,
    taken: set[str],
    constants: list[cst.BaseStatement],
    base: str,
    text_of: Callable[[str], str],
) -> str:
    """The name of a module-level helper (a function, a class or a one-line constant such
    as `_NOT_COMPUTED = object()`), written once per module: `base` when an earlier rewrite
    already wrote `text_of(base)` there and nothing else binds it, else a fresh name whose
    definition is added to `constants`."""
    made = {
        cst.Module([]).code_for_node(s.with_changes(leading_lines=()))
        for s in module.body
        if isinstance(s, cst.FunctionDef | cst.ClassDef | cst.SimpleStatementLine)
    }
    wanted = cst.parse_statement(text_of(base)).with_changes(leading_lines=())
    if cst.Module([]).code_for_node(wanted) in made and bound_names(module).get(base) == 1:
        return base
    name = fresh_name(base, taken)
    stmt = cst.parse_statement(text_of(name))
    if isinstance(stmt, cst.FunctionDef | cst.ClassDef):
        stmt = stmt.with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine()])
    constants.append(stmt)
    return name


def reused_import(
    module: cst.Module, taken: set[str], imports: list[str], source: str, name: str, base: str
) -> str:
    """The alias of `from source import name as base` when the module has that import and
    binds `base` nowhere else; else a fresh alias, whose import is added to `imports`."""
    wanted = f"from {source} import {name} as {base}"
    present = {
        cst.Module([]).code_for_node(s.with_changes(leading_lines=())).strip()
        for s in leading_statements(module)
    }
    if wanted in present and bound_names(module).get(base) == 1:
        return base
    alias = fresh_name(base, taken)
    imports.append(f"from {source} import {name} as {alias}")
    return alias


def insert_before(stmt: cst.CSTNode, *new: cst.BaseStatement) -> Callable[[cst.CSTNode], Any]:
    """A replacement callback that puts `new` statements before the (updated) statement
    (`Change.insert_before` does this for a rule that has nothing else to do there)."""
    return lambda updated: prepended(updated, *new)


def prepended(updated: Any, *new: cst.BaseStatement) -> Any:
    """`new` statements, then the (updated) statement or the statements it became; the
    blank lines and comments that led it lead them."""
    nodes = list(updated.nodes) if isinstance(updated, cst.FlattenSentinel) else [updated]
    if isinstance(updated, cst.RemovalSentinel):
        nodes = []
    lead = getattr(nodes[0], "leading_lines", ()) if nodes else ()
    first: Any = new[0]
    if lead and hasattr(first, "leading_lines"):
        first = first.with_changes(leading_lines=lead)
        nodes[0] = nodes[0].with_changes(leading_lines=())
    return cst.FlattenSentinel([first, *new[1:], *nodes])


def code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)
