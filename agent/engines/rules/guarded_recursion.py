"""Per-value caches for pure recursive functions, kept inside the function: the lookup runs at
entry and every `return` stores its value, so each level of the recursion is still one frame
(a cached wrapper around the function would take two, halving the reachable depth)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import libcst as cst

from agent.engines.rules.edits import fresh_name, is_docstring
from agent.engines.rules.guarded_caching import GuardedCachePureFunction, literal_kind
from agent.engines.rules.project import Project
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.syntax import bound_names, code_of, walk
from agent.engines.rules.table_helpers import helper_call, helper_text

_HELPER = '''

def {name}(served):
    """A results table for one function, for calls whose argument types (exactly str, int or
    float: immutable, hashable; defaults included) are among `served`. `lookup` gives the
    call's key (None for a call that is not served) and its entry, if any; `keep` stores a
    result under a key and returns it. An immutable result is kept as it is; a list or dict of
    immutable values is kept as a private copy, and every hit gets a new copy, as every call
    got a new list or dict; any other result is not kept. The key holds the types, as
    1 == 1.0 would share an entry; a call with a float zero is not served, as 0.0 == -0.0
    would share one."""
    import datetime
    import decimal
    import fractions

{immutable}    floats = any(float in kinds for kinds in served)
    table = {{}}

{kept}
    def lookup(args):
        kinds = tuple(map(type, args))
        if kinds not in served or floats and float in kinds and 0.0 in args:
            return None, None
        key = (kinds, args)
        return key, table.get(key)

    def keep(key, result):
        if key is not None and len(table) < {size}:
            entry = kept(result)
            if entry is not None:
                table[key] = entry
        return result

    return lookup, keep
'''


class GuardedCacheRecursive(Rule):
    """A pure recursive function called again with the same values (the same sub-problem
    reached by many paths) ⇒ a results table looked up at entry, filled at every `return`:
    `key, entry = f_lookup((a, b))`, `if entry is not None: return <entry's value>`, and each
    `return x` becomes `return f_keep(key, x)`. Served are calls whose arguments (defaults
    included) are exactly str, int or float (no float zero), as in
    `cache-pure-function-guarded`, whose precondition this shares but for recursion; only
    results of an immutable type, or lists and dicts of them (kept and handed out as copies),
    are kept. Every level is still one frame: the deepest recursion it reaches is the
    original's, but for the table's own brief calls at the deepest level (two frames for an
    int result, five for a list or dict, measured from the same frame).

    Precondition: that of `cache-pure-function-guarded` (pure and closed for every served
    assignment of types, found by the repository-wide effect analysis; scalar callers; no
    identity comparisons), and the function calls itself; no `with` or `finally` (code that
    runs after a `return` has stored its value) and no `try` at all (a handler that catches
    RecursionError makes the result depend on the stack's depth, and the table would hand a
    fallback out at any depth); an indented body; not a generator.
    """

    id = "cache-recursive-guarded"
    title = "cache a pure recursive function's results for str, int and float arguments"

    def find(self, ctx: FunctionContext) -> list[Site]:
        if not isinstance(ctx.fn.body, cst.IndentedBlock):
            return []  # a one-line body: no room for the entry lines
        if any(isinstance(n, cst.With | cst.Try | cst.TryStar) for n in walk(ctx.fn.body)):
            return []
        served = GuardedCachePureFunction().eligible(ctx, recursive=True)
        if not served:
            return []
        params = ctx.fn.params.params
        full = set()
        for kinds in served:  # a call that leaves parameters out gets their literal defaults
            rest = tuple(literal_kind(p.default) for p in params[len(kinds) :])
            full.add((*kinds, *rest))
        return [ctx.site(ctx.fn.name, f"`{ctx.fn.name.value}`", extra=sorted(full))]

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        fn_name = ctx.fn.name.value
        helper_name = fresh_name("_recursive_results", ctx.module_names)
        lookup = fresh_name(f"_{fn_name.lstrip('_')}_lookup", ctx.module_names)
        keep = fresh_name(f"_{fn_name.lstrip('_')}_keep", ctx.module_names)
        key = fresh_name("cache_key", ctx.module_names)
        entry = fresh_name("cache_entry", ctx.module_names)
        helper = cst.parse_module(helper_text(_HELPER, helper_name)).body[0]
        change.constants.append(helper.with_changes(leading_lines=[cst.EmptyLine()] * 2))
        served = ", ".join(
            f"({', '.join(kinds)}{',' if len(kinds) == 1 else ''})" for kinds in sites[0].extra
        )
        table = cst.parse_statement(f"{lookup}, {keep} = {helper_name}(frozenset([{served}]))")
        entry_lines = [cst.parse_statement(c) for c in _entry_code(ctx.fn, key, entry, lookup)]

        def rewrite(u: cst.FunctionDef) -> cst.FlattenSentinel[cst.BaseStatement]:
            lines, u = u.leading_lines, u.with_changes(leading_lines=())
            body = list(u.body.body)
            doc = 1 if body and is_docstring(body[0]) else 0
            body = [
                *body[:doc],
                *entry_lines,
                *(cast(cst.BaseStatement, s.visit(_Returns(keep, key))) for s in body[doc:]),
            ]
            if not _ends_in_return(body[-1]):
                body.append(cst.parse_statement(f"return {keep}({key}, None)"))
            new = u.with_changes(body=u.body.with_changes(body=body), leading_lines=lines)
            gap = [cst.EmptyLine(indent=False)] * 2
            return cst.FlattenSentinel([new, table.with_changes(leading_lines=gap)])

        change.replace[id(ctx.fn)] = rewrite
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        return (
            f"cache the results of the pure recursive function {sites[0].detail} inside it "
            "(looked up at entry, stored at each return; only calls with str, int or float "
            "arguments, checked at run time), so each sub-problem is solved once"
        )


class _Returns(cst.CSTTransformer):
    """`return x` ⇒ `return keep(key, x)` in the function's own scope (not in nested ones)."""

    def __init__(self, keep: str, key: str) -> None:
        self.keep, self.key = keep, key

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def leave_Return(self, original: cst.Return, updated: cst.Return) -> cst.Return:
        value = updated.value if updated.value is not None else cst.Name("None")
        call = cst.Call(cst.Name(self.keep), [cst.Arg(cst.Name(self.key)), cst.Arg(value)])
        return updated.with_changes(value=call, whitespace_after_return=cst.SimpleWhitespace(" "))


def uncached(project: Project, path: str, fn: cst.FunctionDef) -> cst.FunctionDef | None:
    """The function as it was before this rule cached it, when `fn` is exactly such a rewrite
    (its entry lines, every own `return` storing through the table's `keep`, the table made
    once in `path` by the rule's own, unchanged helper); otherwise None. The table answers
    every call as the function would, so the function's effects are the original's."""
    if not isinstance(fn.body, cst.IndentedBlock):
        return None
    body = list(fn.body.body)
    doc = 1 if body and is_docstring(body[0]) else 0
    if len(body) < doc + 3 or not _entry_lines(fn, body[doc], body[doc + 1]):
        return None
    key, entry, lookup = cast(tuple[str, str, str], _entry_names(body[doc]))
    keep = _table_of(project, path, lookup)
    if keep is None or not _private(project, path, fn, key, entry, lookup, keep):
        return None
    strip = _Unkept(keep, key)
    rest = [cast(cst.BaseStatement, s.visit(strip)) for s in body[doc + 2 :]]
    mentions = {n.value for s in rest for n in walk(s) if isinstance(n, cst.Name)}
    if strip.foreign or mentions & {key, entry, lookup, keep}:
        return None
    return fn.with_changes(body=fn.body.with_changes(body=[*body[:doc], *rest]))


def _private(
    project: Project, path: str, fn: cst.FunctionDef, key: str, entry: str, lookup: str, keep: str
) -> bool:
    """The table's names are this function's alone: `lookup` and `keep` are mentioned nowhere
    else in the module but their binding (no other function stores into the table or shares
    it), no parameter or local rebinds them, `key` and `entry` are bound once (by the entry
    line) and no star import can rebind anything."""
    module = project.modules[path]
    if any(
        isinstance(n, cst.ImportFrom) and isinstance(n.names, cst.ImportStar)
        for n in walk(module, into_scopes=True)
    ):
        return False
    params = {p.name.value for p in fn.params.params}
    ps = fn.params
    if ps.posonly_params or ps.kwonly_params or ps.star_kwarg is not None:
        return False
    if isinstance(ps.star_arg, cst.Param | cst.ParamStar):
        return False
    bound = bound_names(fn)
    if {lookup, keep, key, entry} & params or lookup in bound or keep in bound:
        return False
    if bound.get(key) != 1 or bound.get(entry) != 1:
        return False
    own = {id(n) for n in walk(fn, into_scopes=True)}
    return all(
        _table_line(module, n)
        for n in walk(module, into_scopes=True)
        if isinstance(n, cst.Name) and n.value in (lookup, keep) and id(n) not in own
    )


def _table_line(module: cst.Module, name: cst.Name) -> bool:
    """`name` is a target of the module-level `lookup, keep = helper(...)` line."""
    for stmt in module.body:
        names = _entry_names(stmt)
        if names is None:
            continue
        assign = cast(cst.Assign, cast(cst.SimpleStatementLine, stmt).body[0])
        target = cast(cst.Tuple, assign.targets[0].target)
        if any(e.value is name for e in target.elements):
            return True
    return False


def _entry_lines(fn: cst.FunctionDef, first: cst.CSTNode, second: cst.CSTNode) -> bool:
    names = _entry_names(first)
    if names is None:
        return False
    key, entry, lookup = names
    want = _entry_code(fn, key, entry, lookup)
    return (code_of(first), code_of(second)) == want and len({key, entry, lookup}) == 3


def _entry_code(fn: cst.FunctionDef, key: str, entry: str, lookup: str) -> tuple[str, str]:
    """The two lines the rule puts first in the function: the lookup, and the return of a hit."""
    args = ", ".join(p.name.value for p in fn.params.params)
    return (
        f"{key}, {entry} = {lookup}(({args},))\n",
        f"if {entry} is not None:\n"
        f"    return {entry}[0] if {entry}[1] is None else {entry}[1]({entry}[0])\n",
    )


def _entry_names(stmt: cst.CSTNode) -> tuple[str, str, str] | None:
    if not isinstance(stmt, cst.SimpleStatementLine) or not isinstance(stmt.body[0], cst.Assign):
        return None
    assign = stmt.body[0]
    target, value = assign.targets[0].target, assign.value
    if not isinstance(target, cst.Tuple) or len(target.elements) != 2:
        return None
    if not isinstance(value, cst.Call) or not isinstance(value.func, cst.Name):
        return None
    key, entry = (e.value for e in target.elements)
    if not isinstance(key, cst.Name) or not isinstance(entry, cst.Name):
        return None
    return key.value, entry.value, value.func.value


def _table_of(project: Project, path: str, lookup: str) -> str | None:
    """The `keep` bound beside `lookup` by `lookup, keep = helper(frozenset([...]))`, the only
    binding of either name in `path`, with `helper` this rule's own, bound once."""
    module = project.modules.get(path)
    if module is None:
        return None
    bound = bound_names(module)
    for stmt in module.body:
        names = _entry_names(stmt)
        if names is None or names[0] != lookup:
            continue
        keep = names[1]
        call = cast(cst.Assign, cast(cst.SimpleStatementLine, stmt).body[0]).value
        if not helper_call(project, path, call, _HELPER):
            return None
        if bound.get(lookup) != 1 or bound.get(keep) != 1:
            return None
        return keep
    return None


class _Unkept(cst.CSTTransformer):
    """`return keep(key, x)` ⇒ `return x` in the function's own scope; any other use of
    `keep` or `key` is `foreign`."""

    def __init__(self, keep: str, key: str) -> None:
        self.keep, self.key, self.foreign = keep, key, False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def leave_Return(self, original: cst.Return, updated: cst.Return) -> cst.Return:
        call = updated.value
        if (
            isinstance(call, cst.Call)
            and code_of(call.func) == self.keep
            and len(call.args) == 2
            and code_of(call.args[0]) in (self.key, f"{self.key}, ")
            and not any(a.star or a.keyword for a in call.args)
        ):
            return updated.with_changes(value=call.args[1].value)
        self.foreign = True
        return updated


def _ends_in_return(stmt: cst.CSTNode) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and isinstance(
        stmt.body[-1], cst.Return | cst.Raise
    )
