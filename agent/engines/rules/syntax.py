"""Syntax-tree helpers: fast walks, names, bindings and parent links of libcst trees."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import wraps
from typing import TypeVar

import libcst as cst

from agent.engines.rules.typeinfo import _dotted

SCOPES = (cst.FunctionDef, cst.Lambda, cst.ClassDef)
_SCOPE_TYPES = frozenset(SCOPES)  # libcst's node classes have no subclasses: `type() in` is exact
_T = TypeVar("_T", dict, set)
_N = TypeVar("_N", bound=cst.CSTNode)


_KIDS: dict[int, tuple[cst.CSTNode, list[cst.CSTNode]]] = {}
"""id(node) -> (node, children) for indexed trees. libcst computes `.children` by visiting,
which is slow; one indexing pass per parsed module makes every later walk cheap. The node is
kept alongside so a recycled id can never match a different node."""
_KIDS_LIMIT = 3_000_000
_MEMO_LIMIT = 2048
"""Answers kept per memoized question: a project sweep asks about a few hundred nodes, and each
kept node keeps its tree alive, so a long run must not hold thousands of old trees."""


_WALKS: dict[tuple[int, bool], tuple[cst.CSTNode, list[cst.CSTNode]]] = {}
"""(id(node), into_scopes) -> (node, the walk's nodes). The rules walk the same function bodies
over and over (twenty times each in a sweep); a tree never changes, so each walk is listed once."""
_walked = 0
_WALKED_LIMIT = 500_000
"""Nodes listed in `_WALKS` before it is emptied, so old trees are not kept alive."""


class _Indexer(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if self.stack:
            _KIDS[id(self.stack[-1])][1].append(node)
        _KIDS[id(node)] = (node, [])
        self.stack.append(node)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.stack.pop()


def index_tree(root: cst.CSTNode) -> None:
    """Record the children of every node under `root` (see `_KIDS`)."""
    if len(_KIDS) > _KIDS_LIMIT:
        _KIDS.clear()
    root.visit(_Indexer())


def per_node(fn: Callable[[_N], _T]) -> Callable[[_N], _T]:
    """Memoize a question about a subtree by the node's identity (libcst trees are immutable,
    and the node is kept so a recycled id never matches). Callers get a copy to change."""
    seen: dict[int, tuple[_N, _T]] = {}

    @wraps(fn)
    def answer(node: _N) -> _T:
        hit = seen.get(id(node))
        if hit is None or hit[0] is not node:
            if len(seen) >= _MEMO_LIMIT:
                seen.clear()
            hit = seen[id(node)] = (node, fn(node))
        return hit[1].copy()

    return answer


def children_of(node: cst.CSTNode) -> Sequence[cst.CSTNode]:
    hit = _KIDS.get(id(node))
    if hit is not None and hit[0] is node:
        return hit[1]
    return node.children


def walk(node: cst.CSTNode, *, into_scopes: bool = False) -> Iterator[cst.CSTNode]:
    """Pre-order walk; nested functions, lambdas and classes are skipped unless asked."""
    global _walked
    key = (id(node), into_scopes)
    hit = _WALKS.get(key)
    if hit is None or hit[0] is not node:
        if _walked > _WALKED_LIMIT:
            _WALKS.clear()
            _walked = 0
        order = _pre_order(node, into_scopes)
        _walked += len(order)
        hit = _WALKS[key] = (node, order)
    return iter(hit[1])


def _pre_order(node: cst.CSTNode, into_scopes: bool) -> list[cst.CSTNode]:
    order = []
    stack = [node]
    while stack:
        cur = stack.pop()
        order.append(cur)
        if cur is not node and not into_scopes and type(cur) in _SCOPE_TYPES:
            continue
        stack.extend(reversed(children_of(cur)))
    return order


def dotted(expr: cst.BaseExpression) -> bool:
    """A name, or attributes of one (`a`, `a.b.c`)."""
    while isinstance(expr, cst.Attribute):
        expr = expr.value
    return isinstance(expr, cst.Name)


def module_function(module: cst.Module, name: str) -> cst.FunctionDef | None:
    """The top-level `def name` of `module`, if there is one."""
    for stmt in module.body:
        if isinstance(stmt, cst.FunctionDef) and stmt.name.value == name:
            return stmt
    return None


@per_node
def bound_names(node: cst.CSTNode) -> dict[str, int]:
    """Names bound in `node`'s own scope (with how many binding sites), comprehension vars aside."""
    out: dict[str, int] = {}

    def add(target: cst.CSTNode) -> None:
        if isinstance(target, cst.Name):
            out[target.value] = out.get(target.value, 0) + 1
        elif isinstance(target, cst.Tuple | cst.List):
            for el in target.elements:
                add(el.value)
        elif isinstance(target, cst.StarredElement):
            add(target.value)

    comp_targets: set[int] = set()
    for n in walk(node):
        if isinstance(n, cst.CompFor):
            comp_targets.add(id(n.target))
        if isinstance(n, cst.Assign):
            for t in n.targets:
                add(t.target)
        elif (
            isinstance(n, cst.AnnAssign | cst.AugAssign)
            or (isinstance(n, cst.For) and id(n.target) not in comp_targets)
            or isinstance(n, cst.NamedExpr)
        ):
            add(n.target)
        elif isinstance(n, cst.WithItem) and n.asname is not None:
            add(n.asname.name)
        elif isinstance(n, cst.ExceptHandler | cst.ExceptStarHandler) and n.name is not None:
            add(n.name.name)
        elif isinstance(n, cst.MatchAs | cst.MatchStar) and n.name is not None:
            add(n.name)
        elif isinstance(n, cst.MatchMapping) and n.rest is not None:
            add(n.rest)
        elif isinstance(n, cst.Del):
            add(n.target)
        elif isinstance(n, cst.Import | cst.ImportFrom) and not isinstance(n.names, cst.ImportStar):
            for alias in n.names:
                name = alias.asname.name if alias.asname else alias.name
                if isinstance(name, cst.Name):
                    add(name)
                else:
                    out[_dotted(name).split(".")[0]] = 2
        elif isinstance(n, cst.FunctionDef | cst.ClassDef) and n is not node:
            add(n.name)
        elif isinstance(n, cst.Global | cst.Nonlocal):
            for item in n.names:
                out[item.name.value] = 99
    return out


@per_node
def nested_scope_names(node: cst.CSTNode) -> set[str]:
    """Names mentioned inside nested functions, lambdas or classes (closures may see them)."""
    out: set[str] = set()
    for n in walk(node):
        if n is not node and isinstance(n, SCOPES):
            out |= names_in(n)
    return out


@per_node
def declared_global(fn: cst.FunctionDef) -> set[str]:
    out: set[str] = set()
    for n in walk(fn):
        if isinstance(n, cst.Global | cst.Nonlocal):
            out |= {item.name.value for item in n.names}
    return out


@per_node
def names_in(node: cst.CSTNode) -> set[str]:
    """Every name referenced under `node` (attribute and keyword-argument names excluded)."""
    return {n.value for n in name_nodes(node)}


def name_nodes(node: cst.CSTNode, *, into_scopes: bool = True) -> list[cst.Name]:
    """`Name` nodes under `node` that refer to variables (not `.attr` or `kw=` names)."""
    skip: set[int] = set()
    out: list[cst.Name] = []
    for n in walk(node, into_scopes=into_scopes):
        if isinstance(n, cst.Attribute):
            skip.add(id(n.attr))
        elif isinstance(n, cst.Arg) and n.keyword is not None:
            skip.add(id(n.keyword))
        elif isinstance(n, cst.Name) and id(n) not in skip:
            out.append(n)
    return out


def code_of(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


def param_names(fn: cst.FunctionDef | cst.Lambda) -> set[str]:
    """Every parameter name of `fn`, of every kind."""
    ps = fn.params
    named = [*ps.posonly_params, *ps.params, *ps.kwonly_params]
    named += [p for p in (ps.star_arg, ps.star_kwarg) if isinstance(p, cst.Param)]
    return {p.name.value for p in named}


def stored(node: cst.CSTNode, parents: dict[int, cst.CSTNode]) -> bool:
    """`node` is (part of) what an assignment, `del`, `for` or `with` binds or deletes."""
    up = parents.get(id(node))
    while isinstance(up, cst.Tuple | cst.List | cst.Element | cst.StarredElement):
        node, up = up, parents.get(id(up))
    if isinstance(up, cst.Del):
        return True
    if isinstance(up, cst.AssignTarget | cst.AugAssign | cst.AnnAssign | cst.For | cst.CompFor):
        return up.target is node
    if isinstance(up, cst.AsName):
        return up.name is node
    return isinstance(up, cst.NamedExpr) and up.target is node


def parent_map(root: cst.CSTNode) -> dict[int, cst.CSTNode]:
    """id(child) -> parent for every node under `root` (scopes included)."""
    out: dict[int, cst.CSTNode] = {}
    for n in walk(root, into_scopes=True):
        for c in children_of(n):
            out[id(c)] = n
    return out


def loops_in(node: cst.CSTNode) -> Iterator[cst.For | cst.While]:
    """Loops in `node`'s own scope, outermost first."""
    for n in walk(node):
        if isinstance(n, cst.For | cst.While):
            yield n


def inside_try(target: cst.CSTNode, fn: cst.FunctionDef, parents: dict[int, cst.CSTNode]) -> bool:
    """True when `target` sits in a `try` body of `fn` (a handler could observe partial state)."""
    cur: cst.CSTNode | None = parents.get(id(target))
    while cur is not None and cur is not fn:
        if isinstance(cur, cst.Try | cst.TryStar | cst.With):
            return True
        cur = parents.get(id(cur))
    return False


def type_checked(fn: cst.FunctionDef, names: set[str]) -> bool:
    """The function's own code asks the type of one of `names` (`isinstance(x, ...)`,
    `type(x)`): its author expects values other than what an annotation says, so the
    annotation is not a contract to build on."""
    for n in walk(fn.body):
        if isinstance(n, cst.Call) and isinstance(n.func, cst.Name) and n.args:
            first = n.args[0].value
            named = isinstance(first, cst.Name) and first.value in names
            if named and n.func.value in ("isinstance", "type"):
                return True
    return False


def skips(stmt: cst.CSTNode) -> bool:
    """`if ...: continue` (no `else`), as a one-line or an indented body."""
    if not isinstance(stmt, cst.If) or stmt.orelse is not None:
        return False
    body = stmt.body.body
    if isinstance(stmt.body, cst.IndentedBlock):
        if len(body) != 1 or not isinstance(body[0], cst.SimpleStatementLine):
            return False
        body = body[0].body
    return len(body) == 1 and isinstance(body[0], cst.Continue)
