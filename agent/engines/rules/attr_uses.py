"""How a class uses one of its list attributes: every mention of `self.x` in its methods
sorted into the kinds of use the `sorted-attribute` rewrite knows, or refused.

Kinds: "init" (`self.x = []` in `__init__`), "append" (`self.x.append(v)` as a statement),
"sort" (`self.x.sort()` as a statement), "min"/"max"/"sorted" (`min(self.x)`...), "clear",
"read" (other reads that do not depend on the list's order: `len`, `bool`, truth tests,
`in`, `count`), "ordered" (reads that do: indexing, iteration, `index`, `list(...)`), "pop"
(`pop`, `del self.x[i]`: which element goes depends on the order) and "remove" (`remove(v)`:
the first element equal to `v`).
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from agent.engines.rules.effects import Scope
from agent.engines.rules.stdlib import next_of_generator

_METHOD_KINDS = {
    "count": "read",
    "clear": "clear",
    "index": "ordered",
    "pop": "pop",
    "remove": "remove",
}
_LOOP_ONLY = frozenset({"enumerate", "reversed"})
"""Builtins whose result holds the list: allowed only as a loop's iterable (used up there)."""
_CONSUMERS = frozenset(
    {"any", "all", "sum", "min", "max", "sorted", "tuple", "list", "set", "frozenset", "dict"}
)
"""Builtins that use up a generator passed as their only argument before they return (and
`next`, which drops it after the first element it takes)."""


@dataclass(frozen=True)
class Use:
    kind: str
    node: cst.CSTNode
    """The statement line (init, append, sort), the call (min, max) or the mention itself."""
    method: cst.FunctionDef


def classify(
    mention: cst.Attribute,
    method: cst.FunctionDef,
    scope: Scope,
    parents: dict[int, cst.CSTNode],
) -> Use | None:
    """The kind of use `mention` (`self.x`) is in `method`, or None for any other use."""
    if _lazy(mention, method, scope, parents):
        return None
    parent = parents.get(id(mention))
    if isinstance(parent, cst.Attribute) and parent.value is mention:
        return _method_use(mention, parent, method, parents)
    if isinstance(parent, cst.Arg):
        return _argument_use(mention, parent, method, scope, parents)
    if isinstance(parent, cst.ComparisonTarget) and parent.comparator is mention:
        if isinstance(parent.operator, cst.In | cst.NotIn):
            return Use("read", mention, method)
        return None
    if _truth_test(mention, parents):
        return Use("read", mention, method)
    if isinstance(parent, cst.For | cst.CompFor) and parent.iter is mention:
        return Use("ordered", mention, method)
    if isinstance(parent, cst.Subscript) and parent.value is mention:
        return _subscript_use(mention, parent, method, parents)
    if isinstance(parent, cst.AssignTarget | cst.AnnAssign):
        return _binding(mention, parent, method, scope, parents)
    return None


def _lazy(
    node: cst.CSTNode, method: cst.FunctionDef, scope: Scope, parents: dict[int, cst.CSTNode]
) -> bool:
    """`node` sits in a generator expression that is not used up at once (as the only
    argument of a builtin that consumes it): it could run later, after the list changed."""
    cur = parents.get(id(node))
    while cur is not None and cur is not method:
        if isinstance(cur, cst.GeneratorExp):
            arg, call = parents.get(id(cur)), parents.get(id(parents.get(id(cur))))
            plain = isinstance(arg, cst.Arg) and arg.keyword is None and not arg.star
            if (
                plain
                and isinstance(call, cst.Call)
                and call.args[0] is arg
                and scope.builtin(call.func) == "next"
                and next_of_generator(call)
            ):
                cur = parents.get(id(cur))
                continue  # `next(gen)` takes what it needs at once and drops the rest
            if not (plain and isinstance(call, cst.Call) and call.args[0] is arg):
                return True
            if scope.builtin(call.func) not in _CONSUMERS or not _quiet_options(call, scope):
                return True
        cur = parents.get(id(cur))
    return False


def _quiet_options(call: cst.Call, scope: Scope) -> bool:
    """Besides the generator, only `key=` (a pure function), `reverse=` or `default=`
    (values evaluated before the call): nothing that runs while the generator is used up
    can change the list."""
    for arg in call.args[1:]:
        if arg.star or arg.keyword is None:
            return False
        if arg.keyword.value == "key":
            fn = arg.value
            if not scope.pure_callable(fn) or (isinstance(fn, cst.Lambda) and not scope.pure(fn)):
                return False
        elif arg.keyword.value not in ("reverse", "default"):
            return False
    return True


def _statement(call: cst.CSTNode | None, parents: dict[int, cst.CSTNode]) -> cst.CSTNode | None:
    """The line holding `call` when the call is the line's only statement."""
    expr = parents.get(id(call))
    line = parents.get(id(expr))
    if isinstance(expr, cst.Expr) and isinstance(line, cst.SimpleStatementLine):
        return line if len(line.body) == 1 else None
    return None


def _method_use(
    mention: cst.Attribute,
    attr: cst.Attribute,
    method: cst.FunctionDef,
    parents: dict[int, cst.CSTNode],
) -> Use | None:
    call = parents.get(id(attr))
    if not isinstance(call, cst.Call) or call.func is not attr:
        return None
    if any(a.keyword is not None or a.star for a in call.args):
        return None
    meth = attr.attr.value
    if meth in ("append", "sort"):
        line = _statement(call, parents)
        if line is None or len(call.args) != (1 if meth == "append" else 0):
            return None
        return Use(meth, line, method)
    kind = _METHOD_KINDS.get(meth)
    return Use(kind, mention, method) if kind is not None else None


def _argument_use(
    mention: cst.Attribute,
    arg: cst.Arg,
    method: cst.FunctionDef,
    scope: Scope,
    parents: dict[int, cst.CSTNode],
) -> Use | None:
    call = parents.get(id(arg))
    if not isinstance(call, cst.Call) or len(call.args) != 1 or arg.keyword or arg.star:
        return None
    name = scope.builtin(call.func)
    if name in ("len", "bool"):
        return Use("read", mention, method)
    if name in ("min", "max", "sorted"):
        return Use(name, call, method)
    if name in ("list", "tuple"):
        return Use("ordered", mention, method)
    loop = parents.get(id(call))
    if name in _LOOP_ONLY and isinstance(loop, cst.For) and loop.iter is call:
        return Use("ordered", mention, method)
    return None


def _truth_test(node: cst.CSTNode, parents: dict[int, cst.CSTNode]) -> bool:
    """`if self.x`, `while not self.x`, `a and self.x` in a test, `v if self.x else w`."""
    child, parent = node, parents.get(id(node))
    while isinstance(parent, cst.BooleanOperation) or (
        isinstance(parent, cst.UnaryOperation) and isinstance(parent.operator, cst.Not)
    ):
        child, parent = parent, parents.get(id(parent))
    return isinstance(parent, cst.If | cst.While | cst.IfExp) and parent.test is child


def _subscript_use(
    mention: cst.Attribute,
    sub: cst.Subscript,
    method: cst.FunctionDef,
    parents: dict[int, cst.CSTNode],
) -> Use | None:
    child: cst.CSTNode = sub
    outer = parents.get(id(sub))
    while isinstance(outer, cst.Element | cst.Tuple | cst.List | cst.StarredElement):
        child, outer = outer, parents.get(id(outer))
    if isinstance(outer, cst.Del) and child is sub:
        one = len(sub.slice) == 1 and isinstance(sub.slice[0].slice, cst.Index)
        return Use("pop", mention, method) if one else None
    stores = (cst.Del, cst.AssignTarget, cst.AugAssign, cst.AnnAssign, cst.For, cst.CompFor)
    if isinstance(outer, stores) and getattr(outer, "target", None) is child:
        return None
    if isinstance(outer, cst.AsName | cst.Del):
        return None
    return Use("ordered", mention, method)


def _binding(
    mention: cst.Attribute,
    parent: cst.CSTNode,
    method: cst.FunctionDef,
    scope: Scope,
    parents: dict[int, cst.CSTNode],
) -> Use | None:
    """`self.x = []` (or `list()`, or annotated) as a top-level line of `__init__`."""
    if method.name.value != "__init__":
        return None
    small = parents.get(id(parent)) if isinstance(parent, cst.AssignTarget) else parent
    if isinstance(small, cst.Assign) and len(small.targets) != 1:
        return None
    if isinstance(small, cst.AnnAssign) and small.target is not mention:
        return None
    value = getattr(small, "value", None)
    empty = isinstance(value, cst.List) and not value.elements
    if not empty and not (
        isinstance(value, cst.Call) and not value.args and scope.builtin(value.func) == "list"
    ):
        return None
    line = parents.get(id(small))
    block = parents.get(id(line))
    if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
        return None
    if not isinstance(block, cst.IndentedBlock) or parents.get(id(block)) is not method:
        return None
    return Use("init", line, method)
