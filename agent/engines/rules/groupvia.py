"""`group-by-call` one call deeper: the loop calls a helper once per item (`weighted_total(s,
marks)`), and the helper calls the per-key scan (`marks_for_student(marks, s.sid)`). The pass
is made before the loop from the arguments the loop hands the helper, and a copy of the helper
takes the pass and hands it to the scan's answering copy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import libcst as cst

from agent.engines.rules.edits import code as code_of
from agent.engines.rules.syntax import bound_names, names_in, walk


@dataclass(frozen=True)
class Via:
    helper: cst.FunctionDef
    inner: tuple[cst.Call, ...]
    """The helper's calls of the scan (the same arguments but the key)."""
    pass_args: tuple[cst.Arg, ...]
    """The scan's arguments but the key, as the loop spells them (what the pass is made of)."""
    path: str
    """The helper's module (the scan's too); its copies go there."""
    imported: cst.ImportFrom | None = None
    """The loop's module's `from <helper's module> import helper`, when it is another module
    whose helper the loop calls by name: the copies' names are imported beside it."""
    names: frozenset[str] = frozenset()
    """Every name of the helper's module, which the copies' names must avoid as well."""


def module_names(module: cst.Module) -> set[str]:
    return {n.value for n in walk(module, into_scopes=True) if isinstance(n, cst.Name)}


def importing(module: cst.Module, name: str) -> cst.ImportFrom | None:
    """The top-level `from ... import name` (not aliased) of `module`, if there is one."""
    for stmt in module.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if not isinstance(small, cst.ImportFrom) or isinstance(small.names, cst.ImportStar):
                continue
            if any(a.asname is None and code_of(a.name) == name for a in small.names):
                return small
    return None


def with_names(node: cst.ImportFrom, names: list[str]) -> cst.ImportFrom:
    """`node` importing `names` too, after its own, in its own comma style."""
    assert not isinstance(node.names, cst.ImportStar)
    old = list(node.names)
    last = old[-1]
    space = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    trailing = last.comma if isinstance(last.comma, cst.Comma) else None
    sep = space
    if trailing is not None:  # one name a line: the lines between names keep their layout
        before = old[-2].comma if len(old) > 1 else None
        sep = before if isinstance(before, cst.Comma) else trailing
    old[-1] = last.with_changes(comma=sep)
    new = [cst.ImportAlias(cst.Name(n), comma=sep) for n in names]
    new[-1] = new[-1].with_changes(comma=trailing or cst.MaybeSentinel.DEFAULT)
    return node.with_changes(names=[*old, *new])


def bindings(fn: cst.FunctionDef, call: cst.Call) -> dict[str, cst.BaseExpression] | None:
    """Each plain parameter of `fn` and the expression `call` binds it to (a literal default
    where the call leaves it out), or None when the call or the parameters are not plain."""
    ps = fn.params
    if ps.posonly_params or ps.kwonly_params or ps.star_kwarg is not None:
        return None
    if not isinstance(ps.star_arg, cst.MaybeSentinel) or any(a.star for a in call.args):
        return None
    names = [p.name.value for p in ps.params]
    out: dict[str, cst.BaseExpression] = {}
    for i, arg in enumerate(call.args):
        name = arg.keyword.value if arg.keyword is not None else None
        if name is None and (i >= len(names) or any(a.keyword for a in call.args[:i])):
            return None
        name = name or names[i]
        if name not in names or name in out:
            return None
        out[name] = arg.value
    for p in ps.params:
        if p.name.value in out:
            continue
        if not isinstance(p.default, cst.Integer | cst.Float | cst.SimpleString | cst.Name):
            return None
        if isinstance(p.default, cst.Name) and p.default.value not in ("None", "True", "False"):
            return None
        out[p.name.value] = p.default
    return out


def moving_in(
    helper: cst.FunctionDef, bound: dict[str, cst.BaseExpression], fixed: Any
) -> set[str]:
    """The names of the helper that may differ from call to call of the loop: its locals, and
    the parameters bound to what `fixed` (a test of the loop's expression) does not accept."""
    params = {p.name.value for p in helper.params.params}
    locals_ = set(bound_names(helper)) | {
        n for node in walk(helper) if isinstance(node, cst.CompFor) for n in names_in(node.target)
    }
    rebound = locals_ & params
    return (locals_ - params) | rebound | {p for p, e in bound.items() if not fixed(e)}


def pass_arguments(
    inner: cst.Call, key_arg: int, bound: dict[str, cst.BaseExpression], moving: set[str]
) -> tuple[cst.Arg, ...] | None:
    """The scan's arguments but the key with each of the helper's parameters replaced by what
    the loop binds it to; None unless each is a literal or such a parameter."""
    out = []
    for i, arg in enumerate(inner.args):
        if i == key_arg:
            continue
        value = arg.value
        if isinstance(value, cst.Integer | cst.Float | cst.SimpleString):
            out.append(arg.with_changes(comma=cst.MaybeSentinel.DEFAULT))
            continue
        if not isinstance(value, cst.Name) or value.value not in bound or value.value in moving:
            return None
        out.append(arg.with_changes(value=bound[value.value], comma=cst.MaybeSentinel.DEFAULT))
    return tuple(out)


def via_copy(via: Via, name: str, groups: str, answer: str) -> cst.FunctionDef:
    """`name(groups, <the helper's parameters>)`: the helper, its scan calls answered by
    `answer(groups, ...)`."""
    targets = {id(c) for c in via.inner}

    class Swap(cst.CSTTransformer):
        def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
            if id(original_node) not in targets:
                return updated_node
            return updated_node.with_changes(
                func=cst.Name(answer), args=[cst.Arg(cst.Name(groups)), *updated_node.args]
            )

    fn = cst.ensure_type(via.helper.visit(Swap()), cst.FunctionDef)
    params = [cst.Param(cst.Name(groups)), *fn.params.params]
    return fn.with_changes(
        name=cst.Name(name), params=fn.params.with_changes(params=params), decorators=[]
    )
