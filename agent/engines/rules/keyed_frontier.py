"""A frontier from which the element with the smallest key is picked again and again
(`current = min(unvisited, key=lambda s: dist[s])`, the O(V²) Dijkstra) keeps its keys in a
heap: each pick costs O(log n) instead of a scan of the whole frontier."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from agent.engines.rules.edits import code, module_helper
from agent.engines.rules.frontier_helper import HELPER
from agent.engines.rules.frontier_stores import bound_at, dict_stores, rebinds_index
from agent.engines.rules.places import module_ref, shadowed
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.syntax import (
    SCOPES,
    bound_names,
    declared_global,
    name_nodes,
    names_in,
    param_names,
    walk,
)

_BUILTINS = frozenset(
    {"min", "set", "list", "dict", "len", "sorted", "tuple", "max", "sum", "any", "all"}
    | {"type", "int", "bool", "float", "str", "bytes", "staticmethod", "TypeError"}
    | {"ValueError", "Exception"}
)
_INTROSPECTION = frozenset({"locals", "vars", "exec", "eval", "globals"})
_METHODS = {"list": frozenset({"append", "remove"}), "set": frozenset({"add", "remove", "discard"})}
_CONSTANTS = (cst.Integer, cst.Float, cst.SimpleString)
_NAMED_CONSTANTS = frozenset({"None", "True", "False", 'float("inf")', "float('inf')"})


class KeyedFrontier(Rule):
    """`x = min(todo, key=lambda n: (dist[n], n))` again and again, with `todo` changed by
    `append`/`add`/`remove`/`discard` and `dist` by stores ⇒ `todo` becomes a
    `_KeyedFrontier` (`frontier_helper`) that keeps each element's key in a heap, refreshed
    for the elements whose key was stored since the last pick (`todo.touch(n)` after each
    store), and answers `min` from its top: the same element `min` picks.

    Precondition: `todo` is a local bound once, at the top of the function body, to
    `set(c)`, `list(c)` or a comprehension (every place at first: a frontier seeded by a
    display stays small, and a scan of it is cheaper than the helper), and used only by
    `min(todo, key=K)` assigned to a name, `append` (a list) or `add`/`discard` (a set) and `remove`
    statements, `in` tests, `len` and truth tests. `K` is the same at every pick: a lambda
    whose body is made of its parameter, constants, `d[p]` and `d.get(p[, constant])`, and
    tuples of those, or `d.get`; for a set the key is a tuple holding the element itself
    (no two keys equal, so the set's order cannot decide the pick). Each `d` is a local
    dict bound once at the top of the function body to a dict display, comprehension or
    `dict(...)` (its reads change nothing), seen by no nested scope but the key, and
    changed only by `d[i] = v` or `d[i] op= v` statements of their own, `i` a name, a
    tuple of names or a constant; every other use only reads it. Keys that are not plain
    numbers, strings or tuples of them, and list elements that are not, are found at run
    time and the helper turns back into the plain list or set.
    """

    id = "keyed-frontier"
    title = "pick the smallest-key element of a frontier from a heap instead of scanning it"

    def find(self, ctx: FunctionContext) -> list[Site]:
        if shadowed(ctx, _BUILTINS) or names_in(ctx.fn) & _INTROSPECTION:
            return []  # `vars()['dist'][k] = v` or `exec(...)` stores where no one sees
        body = list(ctx.fn.body.body) if isinstance(ctx.fn.body, cst.IndentedBlock) else []
        local = set(bound_names(ctx.fn)) - param_names(ctx.fn) - declared_global(ctx.fn)
        sites = []
        for i, stmt in enumerate(body):
            bound = bound_at(stmt, ("set", "list"))
            if bound is None or bound[0] not in local or bound_names(ctx.fn)[bound[0]] != 1:
                continue
            if not _whole_collection(stmt.body[0].value):  # type: ignore[attr-defined]
                continue
            found = _frontier(ctx, body, i, bound[0], bound[1], local)
            if found is not None:
                sites.append(ctx.site(stmt, f"`{bound[0]}`", extra=(bound[0], bound[1], *found)))
        return sites

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        heapq = module_ref(ctx, "heapq", change)
        collections = module_ref(ctx, "collections", change)
        operator = module_ref(ctx, "operator", change)
        helper = module_helper(
            ctx.module, ctx.module_names, change.constants, "_KeyedFrontier",
            lambda n: HELPER.format(
                name=n, heapq=heapq, deque=f"{collections}.deque",
                itemgetter=f"{operator}.itemgetter",
            ).lstrip(),
        )  # fmt: skip
        touches: dict[int, tuple[cst.CSTNode, list[str]]] = {}
        for site in sites:
            name, kind, picks, stores = site.extra
            value = site.node.body[0].value
            wrapped = cst.parse_expression(f"{helper}({code(value)}, {kind == 'set'})")
            change.replace[id(value)] = lambda _u, w=wrapped: w
            for call, key in picks:
                pick = cst.parse_expression(f"{name}.smallest({code(key)})")
                change.replace[id(call)] = lambda _u, p=pick: p
            for line, index in stores:
                touched = code(index)
                if isinstance(index, cst.Tuple) and not index.lpar:
                    touched = f"({touched})"
                touches.setdefault(id(line), (line, []))[1].append(f"{name}.touch({touched})\n")
        for key, (_line, texts) in touches.items():  # two frontiers may read one dict
            new = [cst.parse_statement(t) for t in texts]
            change.replace[key] = lambda u, new=new: cst.FlattenSentinel([u, *new])
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        names = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"keep the keys of {names} in a heap (heapq), refreshed when a key is stored, and "
            "pick its smallest-key element from there instead of scanning it with `min`"
        )


def _whole_collection(value: cst.BaseExpression) -> bool:
    """`set(nodes)`, `list(graph)` or a comprehension: a frontier that starts with every
    place (the O(V²) scan). One seeded by a display (`[start]`) holds only the places found
    and not yet settled, few enough that a scan beats the helper's bookkeeping (measured:
    slower up to a few hundred places on a grid, 0.88 at 1600)."""
    if isinstance(value, cst.SetComp | cst.ListComp):
        return True
    return isinstance(value, cst.Call) and len(value.args) == 1


def _frontier(
    ctx: FunctionContext,
    body: Sequence[cst.CSTNode],
    at: int,
    name: str,
    kind: str,
    local: set[str],
) -> tuple[list[tuple[cst.Call, cst.BaseExpression]], list[tuple[cst.CSTNode, cst.CSTNode]]] | None:
    """The picks (`min` calls and their keys) and the key stores to report, when the
    frontier bound by `body[at]` and its key's dicts are used only as the rule allows."""
    picks = _picks(ctx, name, kind)
    if not picks or len({code(key) for _, key in picks}) != 1:
        return None
    dicts = _key_reads(picks[0][1], with_element=kind == "set")
    if not dicts or not dicts <= local - {name}:
        return None
    keys = {id(key) for _, key in picks}
    for scope in walk(ctx.fn):  # only the key may see the dicts or the frontier from a scope
        nested = scope is not ctx.fn and isinstance(scope, SCOPES) and id(scope) not in keys
        if nested and names_in(scope) & (dicts | {name}):
            return None
    stores = []
    for d in sorted(dicts):
        found = dict_stores(ctx, body, d)
        if found is None:
            return None
        later = [(line, index) for line, index, top in found if top > at]
        if any(line is None or index is None for line, index in later):
            return None  # a store the helper must hear of, in a form it cannot be told
        if any(rebinds_index(ctx, line, index) for line, index in later):
            return None
        stores += later
    return picks, stores


def _picks(
    ctx: FunctionContext, name: str, kind: str
) -> list[tuple[cst.Call, cst.BaseExpression]] | None:
    picks = []
    for n in name_nodes(ctx.fn):
        if n.value != name:
            continue
        up = ctx.parents.get(id(n))
        if isinstance(up, cst.AssignTarget):
            continue  # the binding (bound once: `find` checked)
        if isinstance(up, cst.Arg) and _is_pick(ctx, up, n):
            call = ctx.parents[id(up)]
            assert isinstance(call, cst.Call)
            picks.append((call, call.args[1].value))
        elif not _frontier_use(ctx, n, up, kind):
            return None
    return picks


def _is_pick(ctx: FunctionContext, arg: cst.Arg, n: cst.Name) -> bool:
    """`n` is the first argument of `target = min(n, key=K)`, a statement of its own."""
    call = ctx.parents.get(id(arg))
    if not isinstance(call, cst.Call) or code(call.func) != "min" or len(call.args) != 2:
        return False
    first, second = call.args
    if first is not arg or first.keyword or first.star or second.star:
        return False
    if second.keyword is None or second.keyword.value != "key":
        return False
    small = ctx.parents.get(id(call))
    line = ctx.parents.get(id(small))
    return (
        isinstance(small, cst.Assign)
        and small.value is call
        and len(small.targets) == 1
        and isinstance(small.targets[0].target, cst.Name)
        and isinstance(line, cst.SimpleStatementLine)
        and len(line.body) == 1
    )


def _frontier_use(ctx: FunctionContext, n: cst.Name, up: cst.CSTNode | None, kind: str) -> bool:
    """A use of the frontier the helper serves as the list or set did."""
    if isinstance(up, cst.Attribute) and up.value is n and up.attr.value in _METHODS[kind]:
        call = ctx.parents.get(id(up))
        stmt = ctx.parents.get(id(call))
        return (
            isinstance(call, cst.Call)
            and call.func is up
            and len(call.args) == 1
            and not call.args[0].keyword
            and not call.args[0].star
            and isinstance(stmt, cst.Expr)
        )
    if isinstance(up, cst.ComparisonTarget) and up.comparator is n:
        whole = ctx.parents.get(id(up))  # `x in todo`, not `x in todo in bag`
        return (
            isinstance(up.operator, cst.In | cst.NotIn)
            and isinstance(whole, cst.Comparison)
            and len(whole.comparisons) == 1
        )
    if isinstance(up, cst.While | cst.If) and up.test is n:
        return True
    if isinstance(up, cst.UnaryOperation) and isinstance(up.operator, cst.Not):
        return True
    if isinstance(up, cst.Arg) and not up.keyword and not up.star:
        call = ctx.parents.get(id(up))
        return isinstance(call, cst.Call) and code(call.func) == "len" and len(call.args) == 1
    return False


def _key_reads(key: cst.BaseExpression, *, with_element: bool) -> set[str] | None:
    """The dicts a key reads, when it is one the rule keeps in a heap (see the class doc)."""
    if isinstance(key, cst.Attribute) and isinstance(key.value, cst.Name):
        if key.attr.value in ("get", "__getitem__") and not with_element:
            return {key.value.value}
        return None
    if not isinstance(key, cst.Lambda) or key.params.star_arg != cst.MaybeSentinel.DEFAULT:
        return None
    ps = key.params
    if len(ps.params) != 1 or ps.posonly_params or ps.kwonly_params or ps.star_kwarg:
        return None
    if ps.params[0].default is not None:
        return None
    p = ps.params[0].name.value
    body = key.body
    if with_element and not (
        isinstance(body, cst.Tuple)
        and any(isinstance(e.value, cst.Name) and e.value.value == p for e in body.elements)
    ):
        return None
    return _reads(body, p)


def _reads(node: cst.BaseExpression, p: str) -> set[str] | None:
    if isinstance(node, cst.Name):
        return set() if node.value == p else None
    if isinstance(node, _CONSTANTS):
        return set()
    if isinstance(node, cst.Tuple):
        out: set[str] = set()
        for e in node.elements:
            got = None if isinstance(e, cst.StarredElement) else _reads(e.value, p)
            if got is None:
                return None
            out |= got
        return out
    if isinstance(node, cst.Subscript) and isinstance(node.value, cst.Name):
        index = node.slice[0].slice if len(node.slice) == 1 else None
        if isinstance(index, cst.Index) and code(index.value) == p and node.value.value != p:
            return {node.value.value}
        return None
    if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        d = node.func.value
        if not isinstance(d, cst.Name) or d.value == p or node.func.attr.value != "get":
            return None
        args = node.args
        if not 1 <= len(args) <= 2 or any(a.keyword or a.star for a in args):
            return None
        if code(args[0].value) != p or (len(args) == 2 and not _constant(args[1].value)):
            return None
        return {d.value}
    return None


def _constant(node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        node = node.expression
    return isinstance(node, _CONSTANTS) or code(node) in _NAMED_CONSTANTS
