"""Tables a function builds afresh on every call from nothing that can change:
`ladder = [(t, to_fraction(t)) for t in STANDARD_FRACTIONS]` at the top of a function called
for every price. The table is built at the first call and kept in a module-level cell; later
calls take it from there. It is only ever read, and what it holds is immutable, so no caller
can tell one table from another."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from agent.engines.rules.constants import touches_context
from agent.engines.rules.decimal_cells import closed_under_context, context_cell, uses_decimal
from agent.engines.rules.edits import fresh_name
from agent.engines.rules.freshness import immutable_expr
from agent.engines.rules.places import single_binding
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.syntax import SCOPES, bound_names, name_nodes, names_in, walk
from agent.engines.rules.typeinfo import IMMUTABLE_CLASSES, elem_of, immutable

_EMPTY = ("list", "dict", "set")
_FILLS = {"append": 1, "add": 1}
_READERS = frozenset(
    {"len", "sorted", "min", "max", "sum", "any", "all", "list", "tuple", "set", "frozenset"}
    | {"enumerate", "zip", "reversed", "dict", "bool"}
)
"""Builtins that only read a table handed to them (what they return holds its elements)."""
_READ_METHODS = frozenset({"get", "index", "count", "keys", "values", "items"})
_INTROSPECTION = frozenset({"locals", "vars", "dir", "eval", "exec"})
_SAME_WHEN_EXACT = frozenset({"tuple", "frozenset"})
"""`tuple(t)` and `frozenset(f)` hand back `t` and `f` themselves."""


@dataclass
class _Table:
    name: str
    stmts: tuple[cst.BaseStatement, ...]
    context: bool = False
    """Building it does Decimal arithmetic: kept per decimal context (`decimal_cells`)."""


class ConstantTable(Rule):
    """`x = <table>` (a comprehension or a call) or `x = []` / `{}` / `set()` filled by the
    `for` loop right after it (`x.append(v)`, `x.add(v)`, `x[k] = v`) ⇒ the same statements
    run only when a module-level cell is still empty, and put `x` there; later calls read it
    back.

    Precondition: the statements are at the top level of the function, change nothing but
    `x` (pure once `x` is the function's own) and read no local of the function but what
    they bind themselves: only constants, functions that read only constants, classes,
    imported standard-library names and pure builtins (`closedness.constant_name`), so they
    build an equal table at every call. What the table holds is immutable (strings, numbers,
    tuples of them...). `x` is bound only there, never in a nested scope, and every later
    mention only reads it: iterated, indexed, sliced, tested with `in`, handed to a builtin
    that only reads it, or `get`/`index`/`count`/`keys`/`values`/`items` called on it; so it
    is never changed, returned, stored or compared by identity, and one table may serve
    every call (the immutable values in it are shared too, as equal immutable values may be
    anyway). A slice, `tuple(x)` or `frozenset(x)` would hand a tuple or frozenset table
    itself out, so they are reads only of a list (or dict or set). The other names the
    statements bind (a loop's variable) are read nowhere else, but by later top-level loops
    that bind them first, and nothing reads the function's names wholesale (`locals()`).
    Building, converting, comparing or formatting a Decimal reads the thread's decimal
    context and raises its flags, so in a repository that uses `decimal` at all every
    table is kept per context settings, built in a copy of the context, and its flags are
    raised again at every call (`decimal_cells`); nothing may name the context object
    itself (a helper's default included). A repository with a
    class spelled like a standard value type (`Decimal`, `date`), which the types would
    take for immutable, is refused. When building
    the table raises, the cell stays empty and the next call builds it again, raising where
    the original did."""

    id = "constant-table"
    title = "build a table that depends on no argument once, at the first call"

    def find(self, ctx: FunctionContext) -> list[Site]:
        body = ctx.fn.body.body if isinstance(ctx.fn.body, cst.IndentedBlock) else ()
        sites = []
        for i, stmt in enumerate(body):
            table = _table_at(ctx, list(body[i:]))
            if table is not None and stmt is table.stmts[0]:
                sites.append(ctx.site(stmt, f"`{table.name}`", table))
        return sites

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        for site in sites:
            table: _Table = site.extra
            first, rest = table.stmts[0], table.stmts[1:]
            if table.context:
                new: list[cst.BaseStatement] = context_cell(ctx, change, table.name, table.stmts)
            else:
                new = [_plain_cell(ctx, change, table)]
            change.replace[id(first)] = lambda u, new=new: cst.FlattenSentinel(
                [new[0].with_changes(leading_lines=u.leading_lines), *new[1:]]
            )
            for stmt in rest:
                change.replace[id(stmt)] = lambda _u: cst.RemoveFromParent()
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        names = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"build {names} once, at the first call, and keep it in a module-level cell: it "
            "depends on no argument and on nothing that can change, holds only immutable "
            "values and is only read"
        )


def _plain_cell(ctx: FunctionContext, change: Change, table: _Table) -> cst.BaseStatement:
    cell = fresh_name(f"_{table.name.lstrip('_')}_table", ctx.module_names)
    change.constants.append(cst.parse_statement(f"{cell} = []\n"))
    stmts = [s.with_changes(leading_lines=[]) for s in table.stmts]
    return cst.If(
        test=cst.Name(cell),
        body=cst.IndentedBlock([cst.parse_statement(f"{table.name} = {cell}[0]\n")]),
        orelse=cst.Else(
            cst.IndentedBlock([*stmts, cst.parse_statement(f"{cell}.append({table.name})\n")])
        ),
    )


def _table_at(ctx: FunctionContext, rest: list[cst.BaseStatement]) -> _Table | None:
    first = rest[0]
    target, value = single_binding(first) or (None, None)
    if not isinstance(target, cst.Name) or value is None:
        return None
    name = target.value
    if _empty(ctx, value):
        loop = rest[1] if len(rest) > 1 else None
        if not isinstance(loop, cst.For) or not _fills(ctx, loop, name):
            return None
        stmts: tuple[cst.BaseStatement, ...] = (first, loop)
    elif _costly(value) and _immutable_table(ctx, value):
        stmts = (first,)
    else:
        return None
    if not _closed(ctx, stmts, name) or not _only_read(ctx, name, stmts):
        return None
    if not _scratch_unread(ctx, stmts, name):
        return None
    return _Table(name, stmts, uses_decimal(ctx.project))


def _empty(ctx: FunctionContext, value: cst.BaseExpression) -> bool:
    if isinstance(value, cst.List | cst.Dict):
        return not value.elements
    return (
        isinstance(value, cst.Call) and not value.args and ctx.scope.builtin(value.func) in _EMPTY
    )


def _costly(value: cst.BaseExpression) -> bool:
    """Building it runs a loop or a call (a display of literals is cheap already)."""
    return any(
        isinstance(n, cst.Call | cst.ListComp | cst.SetComp | cst.DictComp | cst.GeneratorExp)
        for n in walk(value)
    )


def _immutable_table(ctx: FunctionContext, value: cst.BaseExpression) -> bool:
    t = ctx.env.infer(value)
    if t.kind in ("list", "set", "frozenset", "tuple"):
        return immutable(t.elem) or (t.items is not None and immutable(t))
    if t.kind == "dict":
        return immutable(t.value) and immutable(t.elem)
    return immutable(t) and t.kind not in ("unknown", "hashable")


def _fills(ctx: FunctionContext, loop: cst.For, name: str) -> bool:
    """`for t in ...:` whose body only puts immutable values into `name`."""
    if loop.orelse is not None or loop.asynchronous is not None:
        return False
    body = loop.body.body if isinstance(loop.body, cst.IndentedBlock) else ()
    if not body or name in names_in(loop.target) or name in names_in(loop.iter):
        return False
    for stmt in body:
        if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
            return False
        small = stmt.body[0]
        if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            call, func = small.value, small.value.func
            if not (
                isinstance(func, cst.Attribute)
                and isinstance(func.value, cst.Name)
                and func.value.value == name
                and _FILLS.get(func.attr.value) == len(call.args)
                and not call.args[0].keyword
                and not call.args[0].star
            ):
                return False
            values = [call.args[0].value]
        elif isinstance(small, cst.Assign) and len(small.targets) == 1:
            store = small.targets[0].target
            if not (
                isinstance(store, cst.Subscript)
                and isinstance(store.value, cst.Name)
                and store.value.value == name
                and len(store.slice) == 1
                and isinstance(store.slice[0].slice, cst.Index)
            ):
                return False
            values = [small.value, store.slice[0].slice.value]
        else:
            return False
        if name in set().union(*(names_in(v) for v in values)):
            return False
        if not all(_immutable_value(ctx, v, loop) for v in values):
            return False
    return True


def _immutable_value(ctx: FunctionContext, value: cst.BaseExpression, loop: cst.For) -> bool:
    """An immutable value: by its type, or a tuple of such values, or the loop's own variable
    over a collection of immutable values."""
    if isinstance(value, cst.Tuple):
        return all(_immutable_value(ctx, e.value, loop) for e in value.elements)
    own = isinstance(loop.target, cst.Name) and isinstance(value, cst.Name)
    if own and value.value == loop.target.value:  # type: ignore[attr-defined]
        return immutable(elem_of(ctx.env.infer(loop.iter)))
    return immutable_expr(ctx.scope, value) or immutable(ctx.env.infer(value))


def _closed(ctx: FunctionContext, stmts: Sequence[cst.BaseStatement], name: str) -> bool:
    """The statements change only the table and read only what cannot change, or Decimal
    arithmetic, which reads the thread's decimal context (`decimal_cells`)."""
    if not all(ctx.scope.pure(s) for s in stmts):
        return False
    if IMMUTABLE_CLASSES & set(ctx.project.classes):
        return False  # a class of the repository spelled like `Decimal` is not immutable
    if any(touches_context(ctx.scope, s) for s in stmts):
        return False  # built in a copy of the context, with its flags cleared
    own: set[str] = {name}
    for stmt in stmts:
        own |= set(bound_names(stmt))
        for n in walk(stmt, into_scopes=True):
            if isinstance(n, cst.For | cst.CompFor):
                own |= names_in(n.target)
            if isinstance(n, SCOPES) and not isinstance(n, cst.Lambda):
                return False
    for stmt in stmts:
        for n in name_nodes(stmt):
            if n.value in own:
                continue
            if n.value in ctx.scope.locals or not closed_under_context(ctx.scope, n, set()):
                return False
    return True


def _scratch_unread(ctx: FunctionContext, stmts: Sequence[cst.BaseStatement], name: str) -> bool:
    """The other names the statements bind (a loop's variable) are read nowhere else in the
    function (nested functions included), but in later top-level `for` statements that bind
    them first, and nothing reads the function's names wholesale (`locals()`): a call that
    takes the table from the cell never binds them."""
    if any(
        isinstance(n, cst.Call) and ctx.scope.builtin(n.func) in _INTROSPECTION and not n.args
        for n in walk(ctx.fn.body, into_scopes=True)
    ):
        return False
    scratch = {n for stmt in stmts for n in bound_names(stmt)} - {name}
    body = list(ctx.fn.body.body) if isinstance(ctx.fn.body, cst.IndentedBlock) else []
    first, last = body.index(stmts[0]), body.index(stmts[-1])
    for at, stmt in enumerate(body):
        used = scratch & {n.value for n in name_nodes(stmt)}
        if first <= at <= last or not used:
            continue
        if at < first or not isinstance(stmt, cst.For) or stmt.orelse is not None:
            return False
        if used & names_in(stmt.iter) or not used <= names_in(stmt.target):
            return False
    return True


def _only_read(ctx: FunctionContext, name: str, stmts: Sequence[cst.BaseStatement]) -> bool:
    """`name` is bound only by the table's first statement and every other mention reads it."""
    if name in ctx.scope.params or bound_names(ctx.fn).get(name) != 1:
        return False
    inside = {id(n) for s in stmts for n in walk(s, into_scopes=True)}
    for n in name_nodes(ctx.fn.body):
        if n.value != name or id(n) in inside:
            continue
        if not _read_use(ctx, n):
            return False
    return True


def _read_use(ctx: FunctionContext, n: cst.Name) -> bool:
    parent = ctx.parents.get(id(n))
    if isinstance(parent, cst.For | cst.CompFor):
        return parent.iter is n
    if isinstance(parent, cst.Subscript) and parent.value is n:
        sliced = any(isinstance(e.slice, cst.Slice) for e in parent.slice)
        return not _stored(ctx, parent) and (not sliced or _kind(ctx, n) == "list")
    if isinstance(parent, cst.ComparisonTarget):
        return parent.comparator is n and isinstance(parent.operator, cst.In | cst.NotIn)
    if isinstance(parent, cst.Attribute) and parent.value is n:
        call = ctx.parents.get(id(parent))
        return (
            isinstance(call, cst.Call)
            and call.func is parent
            and parent.attr.value in _READ_METHODS
        )
    if isinstance(parent, cst.Arg) and parent.value is n and not parent.keyword:
        call = ctx.parents.get(id(parent))
        reader = ctx.scope.builtin(call.func) if isinstance(call, cst.Call) else None
        if reader in _SAME_WHEN_EXACT:
            return _kind(ctx, n) in ("list", "dict", "set")
        return reader in _READERS
    return False


def _kind(ctx: FunctionContext, n: cst.Name) -> str:
    return ctx.env.infer(n).kind


def _stored(ctx: FunctionContext, sub: cst.Subscript) -> bool:
    """`x[i] = v`, `x[i] += v`, `del x[i]`, or `x[i]` as a `for` / `with` target."""
    cur: cst.CSTNode = sub
    parent = ctx.parents.get(id(cur))
    while isinstance(parent, cst.Element | cst.Tuple | cst.List | cst.StarredElement):
        cur, parent = parent, ctx.parents.get(id(parent))
    if isinstance(parent, cst.AssignTarget | cst.Del):
        return True
    if isinstance(parent, cst.AugAssign | cst.AnnAssign | cst.For | cst.CompFor):
        return parent.target is cur
    return isinstance(parent, cst.AsName)
