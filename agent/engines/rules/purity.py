"""Purity of expressions and how a name is used: read-only, or possibly mutated or leaked."""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from agent.engines.rules.infer import TypeEnv, infer_in
from agent.engines.rules.syntax import name_nodes, parent_map, stored, walk
from agent.engines.rules.typeinfo import PURE_BUILTINS, READ_ONLY_METHODS, T

_BUILTIN_KINDS = frozenset({"str", "bytes", "list", "tuple", "dict", "set", "frozenset"})


def is_pure_expr(expr: cst.CSTNode, env: TypeEnv, local: dict[str, T] | None = None) -> bool:
    """No calls except pure builtins and read-only methods on builtin-typed receivers.

    Attribute reads are allowed (properties with side effects are rare and would be a bug in
    the user's code); assignments, walruses, awaits and yields are not.
    """
    scope = {**env.names, **(local or {})}
    for n in walk(expr):
        if isinstance(n, cst.NamedExpr | cst.Await | cst.Yield | cst.Lambda):
            return False
        if isinstance(n, cst.Call):
            f = n.func
            if isinstance(f, cst.Name):
                if f.value not in PURE_BUILTINS or f.value in scope:
                    return False
            elif isinstance(f, cst.Attribute):
                recv = infer_in(f.value, scope)
                builtin_recv = recv.kind in _BUILTIN_KINDS or isinstance(f.value, cst.SimpleString)
                if f.attr.value not in READ_ONLY_METHODS or not builtin_recv:
                    return False
            else:
                return False
    return True


@dataclass
class Uses:
    """How a name is used inside some statement."""

    reads: int = 0
    unsafe: list[str] = field(default_factory=list)
    """Why a use might mutate or leak the object ("passed to f()", "x.append", ...)."""


def read_only_uses(
    node: cst.CSTNode, name: str, *, allowed_methods: frozenset[str] = READ_ONLY_METHODS
) -> Uses:
    """Classify every use of `name` under `node`: read-only (safe) or possibly mutating.

    Safe: right operand of `in`/`not in`, any comparison operand, argument of a pure builtin,
    iterable of a `for`/comprehension, subscript read, call of a read-only method, boolean
    test. Anything else (method calls, passing it to a user function, storing it, binding it,
    mentioning it in a nested function) counts as unsafe.
    """
    uses = Uses()
    parents = parent_map(node)
    for n in name_nodes(node):
        if n.value != name:
            continue
        parent = parents.get(id(n))
        uses.reads += 1
        reason = _unsafe_use(n, parent, parents, allowed_methods, node)
        if reason:
            uses.unsafe.append(reason)
    return uses


def _unsafe_use(
    n: cst.Name,
    parent: cst.CSTNode | None,
    parents: dict[int, cst.CSTNode],
    allowed: frozenset[str],
    root: cst.CSTNode,
) -> str:
    anc = parent
    while anc is not None and anc is not root:
        if isinstance(anc, cst.FunctionDef | cst.Lambda | cst.ClassDef):
            return "used in a nested scope"
        anc = parents.get(id(anc))
    if parent is None or isinstance(parent, cst.Param):
        return ""
    if isinstance(parent, cst.Attribute) and parent.value is n:
        grand = parents.get(id(parent))
        if isinstance(grand, cst.Call) and grand.func is parent:
            if parent.attr.value in allowed:
                return ""
            return f"{n.value}.{parent.attr.value}() may mutate it"
        if stored(parent, parents):
            return f"{n.value}.{parent.attr.value} is assigned"
        return f"{n.value}.{parent.attr.value} is read"
    if isinstance(parent, cst.ComparisonTarget | cst.Comparison):
        return ""
    if isinstance(parent, cst.Subscript) and parent.value is n:
        if stored(parent, parents):
            return f"{n.value}[...] is assigned"
        return ""
    if isinstance(parent, cst.Arg):
        call = parents.get(id(parent))
        if (
            isinstance(call, cst.Call)
            and isinstance(call.func, cst.Name)
            and call.func.value in PURE_BUILTINS
        ):
            return ""
        return f"{n.value} is passed to a call"
    if isinstance(parent, cst.For | cst.CompFor) and parent.iter is n:
        return ""
    if isinstance(parent, cst.If | cst.While | cst.IfExp) and getattr(parent, "test", None) is n:
        return ""
    if isinstance(parent, cst.UnaryOperation) and isinstance(parent.operator, cst.Not):
        return ""
    if isinstance(parent, cst.BooleanOperation):
        # `a or xs` is `xs` itself, handed on: safe only where the value is only tested
        return "" if _tested(parent, parents) else f"{n.value} is handed on by `and`/`or`"
    return f"{n.value} is used as a value ({type(parent).__name__})"


def _tested(node: cst.CSTNode, parents: dict[int, cst.CSTNode]) -> bool:
    """Whether the value of `node` (an `and`/`or`) is only tested for truth."""
    up = parents.get(id(node))
    while isinstance(up, cst.BooleanOperation):
        node, up = up, parents.get(id(up))
    if isinstance(up, cst.If | cst.While | cst.IfExp | cst.Assert):
        return up.test is node
    return isinstance(up, cst.UnaryOperation) and isinstance(up.operator, cst.Not)
