"""The rewrite framework: functions located by qualname, sites, and node replacement.

A `Rule` finds `Site`s in one function (where its precondition holds) and rewrites all of
them. Rules see a `FunctionContext` built from a freshly parsed module, so applying several
rules in sequence always works on parsed, positioned, current code.
"""

from __future__ import annotations

import functools
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from agent.engines.rules.analysis import T, TypeEnv, build_env, index_tree, parent_map


@dataclass(frozen=True)
class Site:
    """One place a rule fires: where it is and the words that describe it."""

    line: int
    column: int
    detail: str
    """Plain words for the plan text, e.g. "the list `allowed`"."""
    node: Any = field(default=None, compare=False, repr=False)
    """The matched node in the context's module (not serialized)."""
    extra: Any = field(default=None, compare=False, repr=False)
    """Rule-private data computed by `find` and used by `apply`."""

    @property
    def position(self) -> list[int]:
        return [self.line, self.column]


class FunctionContext:
    """One function of a parsed module with the facts rules need about it."""

    def __init__(
        self,
        path: str,
        wrapper: MetadataWrapper,
        fn: cst.FunctionDef,
        qualname: str,
        classes: dict[str, T] | None = None,
    ) -> None:
        self.path = path
        self.wrapper = wrapper
        self.module = wrapper.module
        self.fn = fn
        self.qualname = qualname
        facts = _facts(wrapper)
        self.positions, self.parents, self.base_names = facts
        self.env: TypeEnv = build_env(fn, classes)
        self.module_names: set[str] = set(self.base_names)
        """Names new code must avoid; `fresh_name` adds to it (reset before each change)."""

    def pos(self, node: cst.CSTNode) -> tuple[int, int]:
        start = self.positions[node].start
        return start.line, start.column

    @property
    def is_method(self) -> bool:
        return isinstance(self.parents.get(id(self.parents.get(id(self.fn)))), cst.ClassDef)

    def site(self, node: cst.CSTNode, detail: str, extra: Any = None) -> Site:
        line, col = self.pos(node)
        return Site(line, col, detail, node, extra)

    @property
    def label(self) -> str:
        return f"{self.path}:{self.qualname}"


@dataclass
class Change:
    """What a rule wants done: node replacements plus module-level additions."""

    replace: dict[int, Callable[..., Any]] = field(default_factory=dict)
    """id(original node) -> function of the updated node returning its replacement
    (a node, a `cst.FlattenSentinel` to insert statements, or `cst.RemoveFromParent()`)."""
    imports: list[str] = field(default_factory=list)
    """Module imports to ensure, as statements (`"import collections"`)."""
    constants: list[cst.BaseStatement] = field(default_factory=list)
    """Module-level statements placed after the imports (compiled regexes, ...)."""


class Rule(ABC):
    """A semantics-preserving rewrite with an explicit, conservative precondition."""

    id: str = ""
    title: str = ""
    """Short imperative phrase for plan titles ("use a frozenset for membership")."""
    rewrites_loops: bool = False
    """True when the rule restructures a loop (such rules do not combine on the same loop)."""

    @abstractmethod
    def find(self, ctx: FunctionContext) -> list[Site]:
        """Every site in `ctx.fn` where the precondition holds."""

    @abstractmethod
    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        """The edit for `sites` (all found by `find` on the same context)."""

    def describe(self, sites: Sequence[Site]) -> str:
        """Plain words for a plan ("hoist the list `allowed` ... as a frozenset")."""
        details = ", ".join(dict.fromkeys(s.detail for s in sites))
        return f"{self.title}: {details}"


# --- locating functions -------------------------------------------------------------------


def iter_functions(module: cst.Module) -> Iterator[tuple[str, cst.FunctionDef]]:
    """(qualname, node) of every function and method, nested ones as `outer.inner`."""

    def visit(body: Sequence[cst.CSTNode], prefix: str) -> Iterator[tuple[str, cst.FunctionDef]]:
        for stmt in body:
            if isinstance(stmt, cst.FunctionDef):
                qual = f"{prefix}{stmt.name.value}"
                yield qual, stmt
                yield from visit(_block(stmt.body), f"{qual}.")
            elif isinstance(stmt, cst.ClassDef):
                yield from visit(_block(stmt.body), f"{prefix}{stmt.name.value}.")
            elif isinstance(stmt, cst.If | cst.Try):
                yield from visit(_block(stmt.body), prefix)

    yield from visit(module.body, "")


def _block(body: cst.BaseSuite) -> Sequence[cst.CSTNode]:
    return body.body if isinstance(body, cst.IndentedBlock) else ()


def parse(path: str, text: str) -> MetadataWrapper:
    """The parsed module (cached: planning asks every rule about the same few texts)."""
    return _parsed(path, text)


@functools.lru_cache(maxsize=64)
def _parsed(path: str, text: str) -> MetadataWrapper:
    wrapper = MetadataWrapper(cst.parse_module(text))
    index_tree(wrapper.module)
    return wrapper


_FACTS: dict[int, tuple[MetadataWrapper, Any, dict[int, cst.CSTNode], frozenset[str]]] = {}


def _facts(wrapper: MetadataWrapper) -> tuple[Any, dict[int, cst.CSTNode], frozenset[str]]:
    """Positions, parent links and mentioned names of a parsed module, computed once."""
    hit = _FACTS.get(id(wrapper))
    if hit is None or hit[0] is not wrapper:
        if len(_FACTS) > 64:
            _FACTS.clear()
        module = wrapper.module
        hit = (
            wrapper,
            wrapper.resolve(PositionProvider),
            parent_map(module),
            frozenset(module_level_names(module)),
        )
        _FACTS[id(wrapper)] = hit
    return hit[1], hit[2], hit[3]


def function_context(
    path: str, text: str, qualname: str, classes: dict[str, T] | None = None
) -> FunctionContext | None:
    key = tuple(sorted((classes or {}).items()))
    ctx = _context(path, text, qualname, key)
    if ctx is not None:
        ctx.module_names = set(ctx.base_names)
    return ctx


@functools.lru_cache(maxsize=512)
def _context(
    path: str, text: str, qualname: str, classes: tuple[tuple[str, T], ...]
) -> FunctionContext | None:
    wrapper = _parsed(path, text)
    for qual, fn in iter_functions(wrapper.module):
        if qual == qualname:
            return FunctionContext(path, wrapper, fn, qual, dict(classes))
    return None


def project_classes(sources: Mapping[str, str]) -> dict[str, T]:
    """Annotated fields of the project's classes (`"Item.sku" -> str`); a class name defined
    in more than one place is ambiguous and left out."""
    from agent.engines.rules.analysis import class_fields

    fields: dict[str, T] = {}
    owners: dict[str, int] = {}
    for path, text in sources.items():
        if not path.endswith(".py"):
            continue
        try:
            module = cst.parse_module(text)
        except Exception:
            continue
        for stmt in module.body:
            if isinstance(stmt, cst.ClassDef):
                owners[stmt.name.value] = owners.get(stmt.name.value, 0) + 1
        fields.update(class_fields(module))
    return {k: v for k, v in fields.items() if owners.get(k.split(".", 1)[0]) == 1}


def match_function(text: str, name: str, line: int) -> str | None:
    """The qualname of the function a profiler named `name` (maybe `Class.meth`) at `line`.

    Several functions may share a name; the one whose body spans `line` wins, then the one
    defined nearest above it.
    """
    try:
        wrapper = MetadataWrapper(cst.parse_module(text))
    except cst.ParserSyntaxError:
        return None
    positions = wrapper.resolve(PositionProvider)
    short = name.rsplit(".", 1)[-1]
    best: tuple[int, str] | None = None
    for qual, fn in iter_functions(wrapper.module):
        if qual != name and qual.rsplit(".", 1)[-1] != short:
            continue
        if "." in name and not qual.endswith(name):
            continue
        span = positions[fn]
        if span.start.line <= line <= span.end.line:
            score = 0
        elif span.start.line <= line:
            score = 1 + line - span.start.line
        else:
            score = 100_000 + span.start.line - line
        if line <= 0:
            score = 0
        if best is None or score < best[0]:
            best = (score, qual)
    return best[1] if best else None


# --- applying changes ---------------------------------------------------------------------


class _Replacer(cst.CSTTransformer):
    def __init__(self, replace: dict[int, Callable[[cst.CSTNode], Any]]) -> None:
        super().__init__()
        self.replace = replace
        self.done: set[int] = set()

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> Any:
        fn = self.replace.get(id(original_node))
        if fn is None:
            return updated_node
        self.done.add(id(original_node))
        return fn(updated_node)


def apply_change(module: cst.Module, change: Change) -> cst.Module:
    """`module` with `change` applied; raises ValueError if a replacement found no node."""
    replacer = _Replacer(change.replace)
    new = module.visit(replacer)
    missing = set(change.replace) - replacer.done
    if missing:
        raise ValueError(f"{len(missing)} rewrite target(s) not found")
    if change.imports or change.constants:
        new = add_module_statements(new, change.imports, change.constants)
    return new


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


def _is_docstring(stmt: cst.CSTNode) -> bool:
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
        if _is_import(stmt) or (i == 0 and _is_docstring(stmt)):
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
            if (i == 0 and _is_docstring(stmt)) or _is_future(stmt):
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
    return module.with_changes(body=body)


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
    from agent.engines.rules.analysis import walk

    return {n.value for n in walk(node, into_scopes=True) if isinstance(n, cst.Name)}


def fresh_name(base: str, taken: set[str]) -> str:
    """`base`, or `base_2`, `base_3`... whichever no code in the module mentions yet."""
    name, i = base, 1
    while name in taken:
        i += 1
        name = f"{base}_{i}"
    taken.add(name)
    return name


def module_ref(ctx: FunctionContext, module_name: str, change: Change) -> str:
    """An expression prefix naming `module_name`, importing it at module level if needed."""
    from agent.engines.rules.analysis import bound_names

    local = imported_as(ctx.module, module_name)
    if local and ctx.env.names.get(local) is None:
        return local
    if module_name in bound_names(ctx.module) or module_name in ctx.env.names:
        raise ValueError(f"the name {module_name!r} is taken in {ctx.path}")
    change.imports.append(f"import {module_name}")
    return module_name


def stmt_of(ctx: FunctionContext, node: cst.CSTNode) -> cst.CSTNode:
    """The statement (small or compound) that directly contains `node` in a block."""
    cur: cst.CSTNode = node
    while True:
        parent = ctx.parents.get(id(cur))
        if parent is None or isinstance(parent, cst.IndentedBlock | cst.Module):
            return cur
        if isinstance(parent, cst.SimpleStatementLine):
            return parent
        cur = parent


def insert_before(stmt: cst.CSTNode, *new: cst.BaseStatement) -> Callable[[cst.CSTNode], Any]:
    """A replacement callback that puts `new` statements before the (updated) statement."""

    def do(updated: cst.CSTNode) -> Any:
        lead = getattr(updated, "leading_lines", ())
        first: Any = new[0]
        if lead and hasattr(first, "leading_lines"):
            first = first.with_changes(leading_lines=lead)
            updated = updated.with_changes(leading_lines=())
        return cst.FlattenSentinel([first, *new[1:], updated])

    return do


def block_of(ctx: FunctionContext, stmt: cst.CSTNode) -> tuple[list[cst.CSTNode], int] | None:
    """The statements of the block holding `stmt` and its index there."""
    parent = ctx.parents.get(id(stmt))
    if isinstance(parent, cst.IndentedBlock | cst.Module):
        body: list[cst.CSTNode] = list(parent.body)
        for i, s in enumerate(body):
            if s is stmt:
                return body, i
    return None


# --- loops --------------------------------------------------------------------------------

COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)


def enclosing_loops(ctx: FunctionContext, node: cst.CSTNode) -> list[cst.CSTNode]:
    """Loops (and comprehensions) of `ctx.fn`'s own scope that re-run `node`, outermost first.

    A `for` statement's iterable and a comprehension's first iterable run once, so they do
    not count as inside that loop. Nodes in nested functions get no loops at all.
    """
    out: list[cst.CSTNode] = []
    path: list[cst.CSTNode] = [node]
    cur = ctx.parents.get(id(node))
    while cur is not None and cur is not ctx.fn:
        if isinstance(cur, SCOPE_TYPES):
            return []
        child = path[-1]
        if isinstance(cur, cst.For):
            if child is not cur.iter and child is not cur.target:
                out.append(cur)
        elif isinstance(cur, cst.While):
            out.append(cur)
        elif isinstance(cur, COMPREHENSIONS):
            first = cur.for_in
            once = child is first and len(path) >= 2 and path[-2] is first.iter
            if not once:
                out.append(cur)
        path.append(cur)
        cur = ctx.parents.get(id(cur))
    return out[::-1]


SCOPE_TYPES = (cst.FunctionDef, cst.Lambda, cst.ClassDef)


def comp_targets(node: cst.CSTNode) -> set[str]:
    """Names bound by comprehension `for` targets under `node`."""
    from agent.engines.rules.analysis import names_in, walk

    out: set[str] = set()
    for n in walk(node):
        if isinstance(n, cst.CompFor):
            out |= names_in(n.target)
    return out


def invariant_in(loop: cst.CSTNode, names: set[str]) -> bool:
    """None of `names` is rebound in `loop` or used there in a way that could mutate it."""
    from agent.engines.rules.analysis import bound_names, read_only_uses

    bound = set(bound_names(loop)) | comp_targets(loop)
    if isinstance(loop, cst.For):
        from agent.engines.rules.analysis import names_in

        bound |= names_in(loop.target)
    if names & bound:
        return False
    return all(not read_only_uses(loop, n).unsafe for n in names)


def statement_in_block(ctx: FunctionContext, node: cst.CSTNode) -> cst.CSTNode | None:
    """The statement holding `node` if that statement sits directly in an indented block."""
    stmt = stmt_of(ctx, node)
    return stmt if isinstance(ctx.parents.get(id(stmt)), cst.IndentedBlock) else None


def code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


def init_before(
    ctx: FunctionContext, stmt: cst.CSTNode, name: str, values: tuple[str, ...]
) -> cst.SimpleStatementLine | None:
    """The `name = <one of values>` (or annotated) line that last binds `name` before `stmt`
    in the same block, with no mention of `name` in between; None otherwise."""
    from agent.engines.rules.analysis import names_in

    found = block_of(ctx, stmt)
    if found is None:
        return None
    body, idx = found
    for prev in reversed(body[:idx]):
        if name not in names_in(prev):
            continue
        bound = single_binding(prev)
        if bound is None or not isinstance(prev, cst.SimpleStatementLine):
            return None
        target, value = bound
        ok = isinstance(target, cst.Name) and target.value == name and code(value) in values
        return prev if ok else None
    return None


def single_binding(stmt: cst.CSTNode) -> tuple[cst.BaseExpression, cst.BaseExpression] | None:
    """(target, value) when `stmt` is a line holding one plain or annotated assignment to a
    single target; None otherwise."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None
    small = stmt.body[0]
    if isinstance(small, cst.Assign) and len(small.targets) == 1:
        return small.targets[0].target, small.value
    if isinstance(small, cst.AnnAssign) and small.value is not None:
        return small.target, small.value
    return None


def targets_private(ctx: FunctionContext, loop: cst.For) -> bool:
    """The loop's target names are mentioned nowhere in the function outside the loop (so a
    comprehension, which does not leak them, behaves the same)."""
    from agent.engines.rules.analysis import name_nodes, names_in, walk

    names = names_in(loop.target)
    inside = {id(n) for n in walk(loop, into_scopes=True)}
    return not any(n.value in names and id(n) not in inside for n in name_nodes(ctx.fn))


def plain_local(ctx: FunctionContext, name: str) -> bool:
    """A local of the function that no nested scope sees and no global/nonlocal declares."""
    from agent.engines.rules.analysis import declared_global, nested_scope_names

    return name not in declared_global(ctx.fn) | nested_scope_names(ctx.fn)
