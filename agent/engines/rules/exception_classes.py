"""Exception classes (and other subclasses) whose construction runs nothing with effects:
an `__init__` that stores on `self` and hands its arguments to `super().__init__`, over
bases that are builtin exceptions or such classes of the repository."""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from agent.engines.rules.closedness import _HOOKS, constructor_pure, init_pure
from agent.engines.rules.stdlib import EXCEPTIONS
from agent.engines.rules.syntax import bound_names, code_of

if TYPE_CHECKING:
    from agent.engines.rules.effects import Effects, Scope


def exception_bases(effects: Effects, cls: cst.ClassDef, depth: int = 0) -> bool:
    """Every base is a builtin exception, or an exception class of the repository whose
    construction runs nothing with effects."""
    if depth > 8:
        return False
    for base in cls.bases:
        name = code_of(base.value)
        found = effects.project.classes.get(name)
        if found is not None:
            if not exception_bases(effects, found[1], depth + 1):
                return False
            if not constructor_pure(effects, found[1]):
                return False
        elif name not in EXCEPTIONS and not name.endswith("Error"):
            return False  # an imported `...Error` is taken for an exception class
    return True


def exception_init_pure(
    effects: Effects, cls: cst.ClassDef, methods: dict[str, cst.FunctionDef]
) -> bool:
    """An exception class whose `__init__` stores on `self` (attributes that are not the
    class's own names) and hands its arguments to `super().__init__`, all without effects."""
    init = methods.get("__init__")
    if set(bound_names(cls.body)) & _HOOKS:
        return False
    if init is None:  # an inherited `__init__` may store what this class makes a property
        lines = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else (cls.body,)
        return all(_plain_member(stmt) for stmt in lines)
    own = set(bound_names(cls.body)) | set(methods)
    bases, seen = list(cls.bases), set()
    while bases:  # a repository ancestor's property would run its setter
        found = effects.project.classes.get(code_of(bases.pop().value))
        if found is not None and id(found[1]) not in seen:
            seen.add(id(found[1]))
            own |= set(bound_names(found[1].body))
            bases += found[1].bases
    return init_pure(effects, cls, init, own, _super_init)


def _plain_member(stmt: cst.CSTNode) -> bool:
    """A method without decorators, a docstring, `pass`, or a name bound to a literal (also
    on the class's own line: `class E(Exception): pass`)."""
    if isinstance(stmt, cst.FunctionDef):
        return not stmt.decorators
    if not isinstance(stmt, cst.SimpleStatementLine | cst.SimpleStatementSuite):
        return False
    for small in stmt.body:
        value = small.value if isinstance(small, cst.Expr | cst.Assign | cst.AnnAssign) else None
        if isinstance(small, cst.Pass):
            continue
        if isinstance(value, cst.Name) and value.value in ("None", "True", "False"):
            continue
        if not isinstance(value, cst.SimpleString | cst.Integer | cst.Float):
            return False
    return True


def _super_init(stmt: cst.CSTNode, scope: Scope) -> bool:
    """`super().__init__(...)` as a statement, its arguments without effects."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return False
    expr = stmt.body[0]
    call = expr.value if isinstance(expr, cst.Expr) else None
    if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute):
        return False
    head = call.func.value
    if call.func.attr.value != "__init__" or not isinstance(head, cst.Call) or head.args:
        return False
    if scope.builtin(head.func) != "super":
        return False
    return all(not a.star and scope.pure(a.value) for a in call.args)
