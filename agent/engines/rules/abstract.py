"""Classes whose methods are an interface: what runs for their instances is defined
elsewhere (a `Protocol`, an ABC, a class with a metaclass), or a method that is a stub."""

from __future__ import annotations

import libcst as cst

_INTERFACES = frozenset({"Protocol", "ABC"})


def interface_method(cls: cst.ClassDef, fn: cst.FunctionDef) -> bool:
    """Calling `fn` on an instance typed as `cls` may run code the class does not hold:
    the class is a `Protocol` or an ABC (or has a metaclass), or `fn` is abstract or a
    stub (its body only `...`, `pass`, a docstring or `raise NotImplementedError`)."""
    if cls.keywords:
        return True  # `metaclass=ABCMeta` and friends
    for base in cls.bases:
        text = cst.Module([]).code_for_node(base.value)
        if text.split("[", 1)[0].rsplit(".", 1)[-1] in _INTERFACES:
            return True
    for d in fn.decorators:
        if cst.Module([]).code_for_node(d.decorator).rsplit(".", 1)[-1] == "abstractmethod":
            return True
    return _stub(fn)


def _stub(fn: cst.FunctionDef) -> bool:
    smalls: list[cst.BaseSmallStatement] = []
    if isinstance(fn.body, cst.SimpleStatementSuite):
        smalls = list(fn.body.body)  # `def notify(self, message): ...`
    for stmt in fn.body.body if isinstance(fn.body, cst.IndentedBlock) else ():
        if not isinstance(stmt, cst.SimpleStatementLine):
            return False
        smalls += stmt.body
    for s in smalls:
        if isinstance(s, cst.Pass):
            continue
        if isinstance(s, cst.Expr) and isinstance(s.value, cst.Ellipsis | cst.SimpleString):
            continue
        if isinstance(s, cst.Raise) and "NotImplementedError" in cst.Module([]).code_for_node(s):
            continue
        return False
    return True
