"""Lists used as FIFO queues become `collections.deque`."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from agent.engines.rules.edits import code
from agent.engines.rules.places import collections_name, plain_local
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.syntax import bound_names, name_nodes, walk

_READING_BUILTINS = frozenset({"len", "sorted", "min", "max", "sum", "list", "tuple", "any", "all"})
"""Builtins that only iterate their first argument: a deque reads the same as a list."""
_QUEUE_METHODS = {"append", "extend", "pop", "insert", "count", "index", "clear"}


class DequeQueue(Rule):
    """A local list used as a FIFO queue (`q.pop(0)`, `q.insert(0, x)`) ⇒ `collections.deque`
    with `popleft()` / `appendleft()` (O(1) instead of O(n) per operation).

    Precondition: `q` is a plain local bound exactly once, to a list display or `list(...)`;
    every use is `q.append/extend/pop()/pop(0)/insert(0, ..)/count/index/clear`, `len(q)`,
    `sorted(q)` / `min` / `max` / `sum` / `list` / `tuple` / `any` / `all` of it,
    `x in q`, truth tests, `q[0]`/`q[-1]` reads, or iteration over `q` in a loop that does
    not change `q` (a deque raises if mutated while iterated, a list does not). It is never
    returned, passed on, stored, sliced or compared.
    """

    id = "deque-queue"
    title = "use collections.deque for a list used as a queue"

    def find(self, ctx: FunctionContext) -> list[Site]:
        bound = bound_names(ctx.fn)
        sites = []
        for node in walk(ctx.fn):
            if not isinstance(node, cst.Assign | cst.AnnAssign):
                continue
            targets = (
                [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
            )
            if len(targets) != 1 or not isinstance(targets[0], cst.Name) or node.value is None:
                continue
            q = targets[0].value
            if bound.get(q) != 1 or not plain_local(ctx, q) or q in self._params(ctx):
                continue
            value = node.value
            if not (
                isinstance(value, cst.List)
                or (
                    isinstance(value, cst.Call)
                    and code(value.func) == "list"
                    and "list" not in ctx.env.names
                    and len(value.args) <= 1
                    and all(not a.keyword and not a.star for a in value.args)
                )
            ):
                continue
            if isinstance(node, cst.AnnAssign) and not self._list_annotation(
                node.annotation.annotation
            ):
                continue
            ops = self._queue_ops(ctx, q, node)
            if ops:
                sites.append(ctx.site(node, f"`{q}`", extra=(q, ops)))
        return sites

    @staticmethod
    def _params(ctx: FunctionContext) -> set[str]:
        ps = ctx.fn.params
        return {p.name.value for p in (*ps.posonly_params, *ps.params, *ps.kwonly_params)}

    @staticmethod
    def _list_annotation(ann: cst.BaseExpression) -> bool:
        return isinstance(ann, cst.Subscript) and code(ann.value) in ("list", "List")

    def _queue_ops(
        self, ctx: FunctionContext, q: str, binding: cst.CSTNode
    ) -> list[cst.Call] | None:
        """The `q.pop(0)` / `q.insert(0, x)` calls to rewrite, or None if a use forbids it."""
        ops: list[cst.Call] = []
        for n in name_nodes(ctx.fn, into_scopes=False):
            if n.value != q:
                continue
            parent = ctx.parents.get(id(n))
            if parent is binding or (
                isinstance(parent, cst.AssignTarget) and ctx.parents.get(id(parent)) is binding
            ):
                continue
            if isinstance(parent, cst.Attribute) and parent.value is n:
                verdict = _method_use(ctx, parent)
                if verdict is None:
                    return None
                if isinstance(verdict, cst.Call):
                    ops.append(verdict)
            elif not _plain_use(ctx, n, parent, q):
                return None
        return ops or None

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        deque = collections_name(ctx, "deque", change)
        for site in sites:
            _q, ops = site.extra

            def new_binding(u: cst.CSTNode) -> cst.CSTNode:
                value = u.value  # type: ignore[attr-defined]
                if isinstance(value, cst.Call):
                    value = value.with_changes(func=cst.parse_expression(deque))
                elif isinstance(value, cst.List) and not value.elements:
                    value = cst.parse_expression(f"{deque}()")
                else:
                    value = cst.Call(cst.parse_expression(deque), args=[cst.Arg(value)])
                if isinstance(u, cst.AnnAssign):
                    ann = u.annotation.annotation
                    assert isinstance(ann, cst.Subscript)
                    return u.with_changes(
                        value=value,
                        annotation=u.annotation.with_changes(
                            annotation=ann.with_changes(value=cst.parse_expression(deque))
                        ),
                    )
                return u.with_changes(value=value)

            change.replace[id(site.node)] = new_binding
            for call in ops:
                change.replace[id(call)] = _queue_call

        return change

    def describe(self, sites: Sequence[Site]) -> str:
        names = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"turn the list {names} used as a FIFO queue into a collections.deque; "
            "pop(0)/insert(0, x) become popleft()/appendleft(x), O(1) instead of O(n)"
        )


def _queue_call(u: cst.CSTNode) -> cst.CSTNode:
    call: cst.Call = u  # type: ignore[assignment]
    func: cst.Attribute = call.func  # type: ignore[assignment]
    if func.attr.value == "pop":
        return call.with_changes(func=func.with_changes(attr=cst.Name("popleft")), args=[])
    value = call.args[1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return call.with_changes(func=func.with_changes(attr=cst.Name("appendleft")), args=[value])


def _method_use(ctx: FunctionContext, attr: cst.Attribute) -> cst.Call | bool | None:
    """A `q.meth(...)` use: the call when it must change, True when it is fine, None if not."""
    call = ctx.parents.get(id(attr))
    meth = attr.attr.value
    if not isinstance(call, cst.Call) or call.func is not attr or meth not in _QUEUE_METHODS:
        return None
    if any(a.keyword or a.star for a in call.args):
        return None
    args = [code(a.value) for a in call.args]
    if meth == "pop":
        return call if args == ["0"] else (None if args else True)
    if meth == "insert":
        return call if len(args) == 2 and args[0] == "0" else None
    return True


def _plain_use(ctx: FunctionContext, n: cst.Name, parent: cst.CSTNode | None, q: str) -> bool:
    """`len(q)`, `x in q`, truth tests, `q[0]`/`q[-1]` reads, iteration without changes."""
    if isinstance(parent, cst.Arg):
        call = ctx.parents.get(id(parent))
        return (
            isinstance(call, cst.Call)
            and ctx.scope.builtin(call.func) in _READING_BUILTINS
            and call.args[0] is parent
            and not parent.keyword
            and not parent.star
        )
    if isinstance(parent, cst.ComparisonTarget):
        return isinstance(parent.operator, cst.In | cst.NotIn)
    if isinstance(parent, cst.If | cst.While | cst.IfExp):
        return parent.test is n
    if isinstance(parent, cst.UnaryOperation):
        return isinstance(parent.operator, cst.Not)
    if isinstance(parent, cst.BooleanOperation):
        return _in_test(ctx, parent)
    if isinstance(parent, cst.Subscript) and parent.value is n:
        sl = parent.slice
        idx = code(sl[0].slice) if len(sl) == 1 and isinstance(sl[0].slice, cst.Index) else ""
        grand = ctx.parents.get(id(parent))
        return idx in ("0", "-1") and not isinstance(
            grand, cst.AssignTarget | cst.Del | cst.AugAssign
        )
    if isinstance(parent, cst.For) and parent.iter is n:
        return q not in bound_names(parent) and all(m.value != q for m in name_nodes(parent.body))
    return False


def _in_test(ctx: FunctionContext, node: cst.CSTNode) -> bool:
    cur: cst.CSTNode | None = node
    child = node
    while isinstance(cur, cst.BooleanOperation):
        child, cur = cur, ctx.parents.get(id(cur))
    return isinstance(cur, cst.If | cst.While) and cur.test is child
