"""Whether code outside a class only reads an attribute of a given name: the mentions of
`obj.x` anywhere in the repository that can neither change the list `x` holds nor hand it
on (for `sorted-shadow`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from agent.engines.rules.syntax import parent_map, walk

if TYPE_CHECKING:
    from agent.engines.rules.rewrite import FunctionContext

_READING_BUILTINS = frozenset(
    {
        "len",
        "sorted",
        "min",
        "max",
        "sum",
        "list",
        "tuple",
        "set",
        "frozenset",
        "any",
        "all",
        "enumerate",
        "reversed",
        "zip",
        "print",
        "repr",
        "str",
    }
)
_READING_METHODS = frozenset({"count", "index", "copy"})


def read_only_elsewhere(ctx: FunctionContext, attr: str, known: set[int]) -> bool:
    """Every mention of an attribute `attr` in the repository, but the `known` ones, only
    reads it."""
    for path, module in ctx.project.modules.items():
        tree = ctx.module if path == ctx.path else module
        parents = ctx.parents if path == ctx.path else parent_map(module)
        shadowed = _bound_anywhere(tree)
        for n in walk(tree, into_scopes=True):
            mention = isinstance(n, cst.Attribute) and n.attr.value == attr
            if mention and id(n) not in known and not _reads(n, parents, shadowed):  # type: ignore[arg-type]
                return False
    return True


def _bound_anywhere(tree: cst.CSTNode) -> set[str]:
    """Names a module binds somewhere (a builtin of that name may be shadowed there)."""
    out: set[str] = set()
    for n in walk(tree, into_scopes=True):
        if isinstance(n, cst.Param | cst.FunctionDef | cst.ClassDef):
            out.add(n.name.value)
        elif isinstance(n, cst.AssignTarget | cst.AnnAssign | cst.AugAssign | cst.For):
            out |= {m.value for m in walk(n.target) if isinstance(m, cst.Name)}
        elif isinstance(n, cst.ImportAlias):
            name = n.asname.name if n.asname else n.name
            if isinstance(name, cst.Name):
                out.add(name.value)
        elif isinstance(n, cst.CompFor | cst.NamedExpr):
            out |= {m.value for m in walk(n.target) if isinstance(m, cst.Name)}
    return out


def _reads(n: cst.Attribute, parents: dict[int, cst.CSTNode], shadowed: set[str]) -> bool:
    parent = parents.get(id(n))
    if isinstance(parent, cst.Arg):
        call = parents.get(id(parent))
        func = call.func if isinstance(call, cst.Call) else None
        return (
            isinstance(func, cst.Name)
            and func.value in _READING_BUILTINS
            and func.value not in shadowed
            and parent.keyword is None
        )
    if isinstance(parent, cst.For | cst.CompFor):
        return parent.iter is n
    if isinstance(parent, cst.ComparisonTarget):
        return parent.comparator is n and isinstance(parent.operator, cst.In | cst.NotIn)
    if isinstance(parent, cst.Subscript) and parent.value is n:
        return _loaded(parent, parents)
    if isinstance(parent, cst.Attribute) and parent.value is n:
        call = parents.get(id(parent))
        return (
            isinstance(call, cst.Call)
            and call.func is parent
            and parent.attr.value in _READING_METHODS
        )
    return _test(n, parents)


def _loaded(sub: cst.Subscript, parents: dict[int, cst.CSTNode]) -> bool:
    child: cst.CSTNode = sub
    outer = parents.get(id(sub))
    while isinstance(outer, cst.Element | cst.Tuple | cst.List | cst.StarredElement):
        child, outer = outer, parents.get(id(outer))
    if isinstance(outer, cst.Del | cst.AsName):
        return False
    return getattr(outer, "target", None) is not child


def _test(n: cst.CSTNode, parents: dict[int, cst.CSTNode]) -> bool:
    child, parent = n, parents.get(id(n))
    while isinstance(parent, cst.BooleanOperation) or (
        isinstance(parent, cst.UnaryOperation) and isinstance(parent.operator, cst.Not)
    ):
        child, parent = parent, parents.get(id(parent))
    return isinstance(parent, cst.If | cst.While | cst.IfExp) and parent.test is child
