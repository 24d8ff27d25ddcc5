"""A list from which the smallest element is taken again and again (`x = min(todo)` then
`todo.remove(x)`, or `todo.sort()` then `todo.pop(0)`) becomes a heap."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from agent.engines.rules.edits import code
from agent.engines.rules.ordering import family
from agent.engines.rules.places import module_ref, plain_local
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.syntax import bound_names, name_nodes, walk
from agent.engines.rules.typeinfo import T, elem_of


class MinHeap(Rule):
    """`x = min(todo)` followed by `todo.remove(x)` (or `todo.sort()` followed by `x =
    todo.pop(0)`) ⇒ `x = heapq.heappop(todo)`, with `heapq.heapify` after the binding and
    `heapq.heappush` for appends: O(log n) instead of O(n) per step.

    Precondition: `todo` is a plain local bound once, to a list display or comprehension,
    `[]` or `list(...)`; its elements are of one order family (`ordering.family`: ints and
    bools, strs or bytes, or tuples of those position by position; not None, nor a union
    such as `int | str` whose members do not compare, where `min` and the heap would raise
    at different points), so equal elements are indistinguishable and which of them is taken
    first cannot be observed; every other use is `todo.append(v)` as a statement,
    `len(todo)`, or a truth test: nothing sees its order.
    """

    id = "min-heap"
    title = "take the smallest element from a heap instead of scanning a list"

    def find(self, ctx: FunctionContext) -> list[Site]:
        sites = []
        for name, t in sorted(ctx.env.names.items()):
            if t.kind != "list" or "." in name or "(" in name or not self.elements_ok(elem_of(t)):
                continue
            if bound_names(ctx.fn).get(name) != 1 or not plain_local(ctx, name):
                continue
            found = self._uses(ctx, name)
            if found is not None:
                binding, takes, appends = found
                sites.append(ctx.site(binding, f"`{name}`", extra=(name, takes, appends)))
        return sites

    def elements_ok(self, elem: T) -> bool:
        """Elements of type `elem` can be taken from a heap (see the class doc)."""
        return family(elem) is not None

    def _uses(
        self, ctx: FunctionContext, name: str
    ) -> (
        tuple[cst.SimpleStatementLine, list[tuple[cst.CSTNode, cst.CSTNode]], list[cst.CSTNode]]
        | None
    ):
        binding = None
        takes: list[tuple[cst.CSTNode, cst.CSTNode]] = []
        appends: list[cst.CSTNode] = []
        claimed: set[int] = set()
        for stmt in walk(ctx.fn):
            if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
                shape = _statement_shape(stmt, name)
                if shape == "binding":
                    binding = stmt
                elif shape == "append":
                    appends.append(stmt)
                elif shape in ("min", "sort"):
                    follow = _next_statement(ctx, stmt)
                    if follow is None or not _pairs(stmt, follow, name, shape):
                        return None
                    if shape == "min" and not _first_under_guard(ctx, stmt, name):
                        return None  # min([]) raises ValueError where heappop raises IndexError
                    takes.append((stmt, follow))
                else:
                    continue
                claimed |= {id(n) for n in walk(stmt)}
                if shape in ("min", "sort"):
                    claimed |= {id(n) for n in walk(takes[-1][1])}
        if binding is None or not takes:
            return None
        for n in name_nodes(ctx.fn):
            if n.value == name and id(n) not in claimed and not _reads_size(ctx, n):
                return None
        return binding, takes, appends

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        heapq = module_ref(ctx, "heapq", change)
        for site in sites:
            name, takes, appends = site.extra
            heapify = cst.parse_statement(f"{heapq}.heapify({name})\n")
            change.replace[id(site.node)] = lambda u, h=heapify: cst.FlattenSentinel([u, h])
            for first, second in takes:
                target = _taken_into(first if _is_min(first) else second)
                new = cst.parse_statement(f"{target} = {heapq}.heappop({name})\n")
                change.replace[id(first)] = lambda u, new=new: new.with_changes(
                    leading_lines=u.leading_lines
                )
                change.replace[id(second)] = lambda _u: cst.RemoveFromParent()
            for stmt in appends:
                value = code(stmt.body[0].value.args[0].value)
                new = cst.parse_statement(f"{heapq}.heappush({name}, {value})\n")
                change.replace[id(stmt)] = lambda u, new=new: new.with_changes(
                    leading_lines=u.leading_lines
                )
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        names = ", ".join(dict.fromkeys(s.detail for s in sites))
        return f"keep {names} as a heap (heapq) instead of scanning or re-sorting it for the smallest element"


def _statement_shape(stmt: cst.SimpleStatementLine, name: str) -> str:
    small = stmt.body[0]
    text = code(small).strip()
    if isinstance(small, cst.Assign | cst.AnnAssign):
        target = small.targets[0].target if isinstance(small, cst.Assign) else small.target
        if isinstance(target, cst.Name) and target.value == name:
            value = small.value
            if isinstance(value, cst.List | cst.ListComp) or (
                isinstance(value, cst.Call) and code(value.func) == "list" and len(value.args) <= 1
            ):
                return "binding"
        value = small.value
        if isinstance(target, cst.Name) and value is not None and code(value) == f"min({name})":
            return "min"
    if text == f"{name}.sort()":
        return "sort"
    if (
        isinstance(small, cst.Expr)
        and isinstance(small.value, cst.Call)
        and code(small.value.func) == f"{name}.append"
        and len(small.value.args) == 1
        and not small.value.args[0].keyword
        and not small.value.args[0].star
    ):
        return "append"
    return ""


def _pairs(first: cst.SimpleStatementLine, second: cst.CSTNode, name: str, shape: str) -> bool:
    if not isinstance(second, cst.SimpleStatementLine) or len(second.body) != 1:
        return False
    if shape == "min":
        target = _taken_into(first)
        return code(second.body[0]).strip() == f"{name}.remove({target})"
    small = second.body[0]
    return (
        isinstance(small, cst.Assign)
        and len(small.targets) == 1
        and _plain_target(small.targets[0].target, name)
        and code(small.value) == f"{name}.pop(0)"
    )


def _plain_target(target: cst.BaseAssignTargetExpression, name: str) -> bool:
    """A name, or a tuple of names (`now, code = todo.pop(0)`), none of them the list."""
    if isinstance(target, cst.Name):
        return target.value != name
    if isinstance(target, cst.Tuple | cst.List):
        return all(
            isinstance(e, cst.Element) and isinstance(e.value, cst.Name) and e.value.value != name
            for e in target.elements
        )
    return False


def _is_min(stmt: cst.CSTNode) -> bool:
    small = stmt.body[0]  # type: ignore[attr-defined]
    value = getattr(small, "value", None)
    return isinstance(value, cst.Call) and code(value.func) == "min"


def _taken_into(stmt: cst.CSTNode) -> str:
    small = stmt.body[0]  # type: ignore[attr-defined]
    target = small.targets[0].target if isinstance(small, cst.Assign) else small.target
    return code(target)


def _next_statement(ctx: FunctionContext, stmt: cst.CSTNode) -> cst.CSTNode | None:
    block = ctx.parents.get(id(stmt))
    if not isinstance(block, cst.IndentedBlock):
        return None
    body = list(block.body)
    i = next(k for k, s in enumerate(body) if s is stmt)
    return body[i + 1] if i + 1 < len(body) else None


def _first_under_guard(ctx: FunctionContext, stmt: cst.CSTNode, name: str) -> bool:
    """`stmt` is the first statement of a `while name:` loop's body (so the list is not
    empty there)."""
    block = ctx.parents.get(id(stmt))
    loop = ctx.parents.get(id(block))
    return (
        isinstance(block, cst.IndentedBlock)
        and block.body[0] is stmt
        and isinstance(loop, cst.While)
        and code(loop.test) == name
    )


def _reads_size(ctx: FunctionContext, n: cst.Name) -> bool:
    """`len(todo)` or a truth test of `todo` (`while todo`, `if not todo`, `a and todo`)."""
    parent = ctx.parents.get(id(n))
    if isinstance(parent, cst.Arg):
        call = ctx.parents.get(id(parent))
        return isinstance(call, cst.Call) and ctx.scope.builtin(call.func) == "len"
    child: cst.CSTNode = n
    while isinstance(parent, cst.BooleanOperation) or (
        isinstance(parent, cst.UnaryOperation) and isinstance(parent.operator, cst.Not)
    ):
        child, parent = parent, ctx.parents.get(id(parent))
    return isinstance(parent, cst.If | cst.While) and parent.test is child
