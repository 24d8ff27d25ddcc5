"""Nested list arithmetic: `a[i][k]` inside a loop over `k` looks up the row `a[i]` again on
every iteration; bind it to a local once per row."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from agent.engines.rules.edits import code, fresh_name
from agent.engines.rules.places import stmt_of
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.stdlib import MUTATING_METHODS
from agent.engines.rules.syntax import (
    bound_names,
    declared_global,
    name_nodes,
    names_in,
    param_names,
    walk,
)


class RowBinding(Rule):
    """`for i in range(len(a)): ... for k in ...: ... a[i][k] ...` ⇒ `a_i = a[i]` before the
    inner loop and `a_i[k]` inside.

    Precondition: `a` and `i` are names the inner loop never rebinds; `i` is the variable of
    an enclosing `for i in range(n)` where `n` is `len(a)` (or a name bound once to it), or
    `a` is bound once to a comprehension over `range(n)`, or over a list `n` took the length
    of with only pure code in between (so `a[i]` exists and looking it up early cannot
    fail); nothing in the function rebinds `a`, stores into `a[...]` directly, or calls a
    method that changes it; the inner loop runs only pure code, and stores only into rows of
    its own fresh lists, so which row `a[i]` is cannot change in it. When `a` is the
    function's own list (bound once to a list display or comprehension and never handed to
    other code), the inner loop may run anything: no other code can reach `a`.
    """

    id = "row-binding"
    title = "bind the current row to a local in nested list loops"

    def find(self, ctx: FunctionContext) -> list[Site]:
        sites = []
        seen: set[tuple[int, str]] = set()
        for node in walk(ctx.fn):
            if not isinstance(node, cst.Subscript) or not _row_lookup(node):
                continue
            table, index = node.value.value, node.slice[0].slice.value.value  # type: ignore[attr-defined]
            inner = self._inner_loop(ctx, node, table, index)
            if inner is None or (id(inner), code(node)) in seen:
                continue
            seen.add((id(inner), code(node)))
            sites.append(ctx.site(node, f"`{code(node)}`", extra=inner))
        return sites

    def _inner_loop(
        self, ctx: FunctionContext, node: cst.Subscript, table: str, index: str
    ) -> cst.CSTNode | None:
        """The outermost loop inside `index`'s loop that re-runs `node` without changing
        `table` or `index`."""
        chain: list[cst.For] = []
        cur = ctx.parents.get(id(node))
        while cur is not None and cur is not ctx.fn:
            if isinstance(cur, cst.FunctionDef | cst.Lambda | cst.ClassDef | cst.BaseComp):
                return None
            if isinstance(cur, cst.For):
                if index in names_in(cur.target):
                    break
                chain.append(cur)
            elif isinstance(cur, cst.While):
                return None
            cur = ctx.parents.get(id(cur))
        if not isinstance(cur, cst.For) or not chain or not _valid_rows(ctx, cur, table, index):
            return None
        for loop in reversed(chain):  # outermost first
            if {table, index} & (set(bound_names(loop)) | names_in(loop.target)):
                continue
            if (_own_table(ctx, table) or ctx.scope.pure(loop)) and not _row_stores(loop, table):
                stmt = stmt_of(ctx, loop)
                return stmt if isinstance(ctx.parents.get(id(stmt)), cst.IndentedBlock) else None
        return None

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        made: dict[tuple[int, str], str] = {}
        before: dict[int, tuple[cst.CSTNode, list[cst.BaseStatement]]] = {}
        for site in sites:
            inner = site.extra
            text = code(site.node)
            key = (id(inner), text)
            if key not in made:
                table, index = site.node.value.value, site.node.slice[0].slice.value.value
                made[key] = fresh_name(f"{table}_{index}", ctx.module_names)
                line = cst.parse_statement(f"{made[key]} = {text}\n")
                before.setdefault(id(inner), (inner, []))[1].append(line)
        for (inner_id, text), name in made.items():
            inner = before[inner_id][0]
            for n in walk(inner):
                if isinstance(n, cst.Subscript) and _row_lookup(n) and code(n) == text:
                    change.replace[id(n)] = lambda _u, name=name: cst.Name(name)
        for target, new in before.values():
            change.insert_before(target, *new)
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        rows = ", ".join(dict.fromkeys(s.detail for s in sites))
        return f"look up the row(s) {rows} once per row instead of on every inner iteration"


def _own_table(ctx: FunctionContext, table: str) -> bool:
    """`table` is the function's own list (bound once, to a list display or comprehension,
    and never handed to other code: `_uses_keep_rows`), so only the function's own stores
    (`_row_stores`) could replace one of its rows, whatever the loop calls."""
    if table in param_names(ctx.fn) or bound_names(ctx.fn).get(table) != 1:
        return False
    for n in walk(ctx.fn, into_scopes=True):
        if isinstance(n, cst.Name) and n.value == table and _escapes(ctx, n):
            return False
    for n in walk(ctx.fn):
        if isinstance(n, cst.Assign) and len(n.targets) == 1 and code(n.targets[0].target) == table:
            return isinstance(n.value, cst.List | cst.ListComp) and _uses_keep_rows(ctx, table)
    return False


def _escapes(ctx: FunctionContext, n: cst.Name) -> bool:
    """A mention through which other code could reach the table: in a nested function,
    lambda, class or generator (which may run later), or as a parameter's default."""
    if isinstance(ctx.parents.get(id(n)), cst.Param):
        return True
    cur = ctx.parents.get(id(n))
    while cur is not None and cur is not ctx.fn:
        if isinstance(cur, cst.FunctionDef | cst.Lambda | cst.ClassDef | cst.GeneratorExp):
            return True
        cur = ctx.parents.get(id(cur))
    return False


def _row_lookup(node: cst.CSTNode) -> bool:
    """`name[name]`, used as a value (its own elements may still be stored into)."""
    return (
        isinstance(node, cst.Subscript)
        and isinstance(node.value, cst.Name)
        and len(node.slice) == 1
        and isinstance(node.slice[0].slice, cst.Index)
        and isinstance(node.slice[0].slice.value, cst.Name)
    )


def _valid_rows(ctx: FunctionContext, loop: cst.For, table: str, index: str) -> bool:
    """`loop` is `for index in range(n)` with `table[index]` known to exist, and `table` is
    never rebound, stored into directly or changed by a method in the function."""
    if table in declared_global(ctx.fn) or bound_names(ctx.fn).get(table, 0) > 1:
        return False
    if _row_stores(ctx.fn, table) or not isinstance(loop.target, cst.Name):
        return False
    if not _uses_keep_rows(ctx, table):
        return False
    it = loop.iter
    if not (isinstance(it, cst.Call) and code(it.func) == "range" and len(it.args) == 1):
        return False
    bound = code(it.args[0].value)
    if bound == f"len({table})":
        return True
    return _bound_is_length(ctx, table, bound)


def _uses_keep_rows(ctx: FunctionContext, table: str) -> bool:
    """Every use of `table` reads it (`table[...]`, `len(table)`, iteration, `return
    table`): it is never aliased or handed to code that could replace its rows."""
    for n in name_nodes(ctx.fn):
        if n.value != table:
            continue
        parent = ctx.parents.get(id(n))
        if isinstance(parent, cst.Subscript) and parent.value is n:
            continue
        if isinstance(parent, cst.For | cst.CompFor) and parent.iter is n:
            continue
        if isinstance(parent, cst.Return | cst.AssignTarget | cst.Param):
            continue
        if isinstance(parent, cst.Arg):
            call = ctx.parents.get(id(parent))
            if isinstance(call, cst.Call) and ctx.scope.builtin(call.func) == "len":
                continue
        return False
    return True


def _bound_is_length(ctx: FunctionContext, table: str, bound: str) -> bool:
    """`bound` is a name bound once to `len(table)`, or `table` is bound once to a
    comprehension over `range(bound)` (without conditions)."""
    counts = bound_names(ctx.fn)
    for n in walk(ctx.fn):
        if not isinstance(n, cst.Assign) or len(n.targets) != 1:
            continue
        target = n.targets[0].target
        if not isinstance(target, cst.Name):
            continue
        if target.value == bound and counts.get(bound) == 1 and code(n.value) == f"len({table})":
            return True
        if target.value == table and isinstance(n.value, cst.ListComp):
            clause = n.value.for_in
            plain = clause.inner_for_in is None and not clause.ifs
            if plain and code(clause.iter) == f"range({bound})" and counts.get(bound, 0) <= 1:
                return True
            if (
                plain
                and isinstance(clause.iter, cst.Name)
                and _length_of(ctx, bound, clause.iter, n)
            ):
                return True  # one row per element of the list whose length `bound` took
    return False


def _length_of(ctx: FunctionContext, bound: str, source: cst.Name, made: cst.Assign) -> bool:
    """`bound` is a name bound once to `len(source)` by a top-level statement of the function,
    and the table is made (`made`) from `source` by a later top-level statement, with only
    pure code from one to the other; `source` is never rebound nor changed in the function."""
    name = source.value
    counts = bound_names(ctx.fn)
    if counts.get(bound) != 1 or counts.get(name, 0) > (0 if name in param_names(ctx.fn) else 1):
        return False
    if name in declared_global(ctx.fn) or _row_stores(ctx.fn, name):
        return False
    body = list(ctx.fn.body.body) if isinstance(ctx.fn.body, cst.IndentedBlock) else []
    lines = [s for s in body if isinstance(s, cst.SimpleStatementLine) and len(s.body) == 1]
    at = {id(s.body[0]): body.index(s) for s in lines}
    taken = next(
        (
            s.body[0]
            for s in lines
            if isinstance(s.body[0], cst.Assign)
            and len(s.body[0].targets) == 1
            and code(s.body[0].targets[0].target) == bound
        ),
        None,
    )
    if taken is None or code(taken.value) != f"len({name})" or id(made) not in at:
        return False
    start, end = at[id(taken)], at[id(made)]
    return start < end and all(ctx.scope.pure(s) for s in body[start : end + 1])


def _row_stores(node: cst.CSTNode, table: str) -> bool:
    """`table[...] = ...`, `del table[...]`, `table.append(...)` and the like under `node`."""
    for n in walk(node, into_scopes=True):
        targets: list[cst.BaseExpression] = []
        if isinstance(n, cst.Assign):
            targets = [t.target for t in n.targets]
        elif isinstance(n, cst.AugAssign | cst.Del):
            targets = [n.target]
        elif (
            isinstance(n, cst.Call)
            and isinstance(n.func, cst.Attribute)
            and n.func.attr.value in MUTATING_METHODS
            and code(n.func.value) == table
        ):
            return True
        for t in targets:
            if isinstance(t, cst.Subscript) and code(t.value) == table:
                return True
    return False
