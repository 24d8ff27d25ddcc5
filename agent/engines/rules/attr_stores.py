"""Where the repository stores an attribute of a given name, and whether it reaches
attributes by a computed name (`setattr`, `getattr`, `vars`, `__dict__`)."""

from __future__ import annotations

import libcst as cst

from agent.engines.rules.project import Project
from agent.engines.rules.syntax import walk


def methods_of(cls: cst.ClassDef) -> dict[str, cst.FunctionDef]:
    body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
    return {s.name.value: s for s in body if isinstance(s, cst.FunctionDef)}


def attribute_stores(
    project: Project, attr: str, cls: str | None = None
) -> list[tuple[str, cst.CSTNode, cst.BaseExpression | None]]:
    """Every store (or deletion) of an attribute called `attr` anywhere in the repository, as
    (path, statement, value): value None when it is not a plain single-target assignment.
    With `cls`, stores to `self.attr` in the methods of other classes are left out (their
    `self` is no `cls`: `cls` has no bases and no subclasses)."""
    out: list[tuple[str, cst.CSTNode, cst.BaseExpression | None]] = []
    for path, module in project.modules.items():
        others = _othermethods_of(module, cls)
        inside: set[int] = set()
        for fn, me in others.values():
            out.extend(_stores_in(path, fn, attr, me))
            inside |= {id(n) for n in walk(fn, into_scopes=True)}
        for stmt in walk(module, into_scopes=True):
            if id(stmt) not in inside:
                out.extend(_stores_in(path, stmt, attr, None, shallow=True))
    return out


def _othermethods_of(module: cst.Module, cls: str | None) -> dict[int, tuple[cst.FunctionDef, str]]:
    """id(method) -> (it, its instance parameter), for the methods of classes but `cls`."""
    out: dict[int, tuple[cst.FunctionDef, str]] = {}
    if cls is None:
        return out
    for stmt in module.body:
        if isinstance(stmt, cst.ClassDef) and stmt.name.value != cls:
            for name, fn in methods_of(stmt).items():
                first = fn.params.params[:1]
                if first and not fn.decorators and name != "__new__":
                    out[id(fn)] = (fn, first[0].name.value)
    return out


def _stores_in(
    path: str, node: cst.CSTNode, attr: str, me: str | None, *, shallow: bool = False
) -> list[tuple[str, cst.CSTNode, cst.BaseExpression | None]]:
    """The stores of `attr` in `node` itself (`shallow`) or all of it, those to `me.attr`
    aside."""
    out: list[tuple[str, cst.CSTNode, cst.BaseExpression | None]] = []
    for stmt in [node] if shallow else walk(node, into_scopes=True):
        if isinstance(stmt, cst.For | cst.CompFor | cst.WithItem):
            target = stmt.target if not isinstance(stmt, cst.WithItem) else stmt.asname
            if _names_attr(target, attr, me):
                out.append((path, stmt, None))
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            targets = _store_targets(small)
            if any(_names_attr(t, attr, me) for t in targets):
                plain = len(stmt.body) == 1 and len(targets) == 1
                ok = plain and isinstance(small, cst.Assign | cst.AnnAssign)
                out.append((path, stmt, getattr(small, "value", None) if ok else None))
    return out


def _store_targets(small: cst.CSTNode) -> list[cst.CSTNode]:
    if isinstance(small, cst.Assign):
        return [t.target for t in small.targets]
    if isinstance(small, cst.AnnAssign | cst.AugAssign):
        return [small.target]
    if isinstance(small, cst.Del):
        return [small.target]
    return []


def _names_attr(target: cst.CSTNode | None, attr: str, me: str | None = None) -> bool:
    if target is None:
        return False
    return any(
        isinstance(n, cst.Attribute)
        and n.attr.value == attr
        and not (me is not None and isinstance(n.value, cst.Name) and n.value.value == me)
        for n in walk(target)
    )


def dynamic_access(project: Project, attr: str) -> bool:
    """`setattr`/`getattr`/`delattr`/`vars`/`__dict__`/`__setattr__` anywhere, unless naming
    another attribute."""
    for module in project.modules.values():
        for n in walk(module, into_scopes=True):
            if isinstance(n, cst.Attribute) and n.attr.value in ("__dict__", "__setattr__"):
                return True  # `object.__setattr__(obj, name, v)` sets even a frozen field
            if not isinstance(n, cst.Call) or not isinstance(n.func, cst.Name):
                continue
            if n.func.value == "vars":
                return True
            if n.func.value in ("setattr", "delattr", "getattr"):
                name = n.args[1].value if len(n.args) > 1 else None
                if not isinstance(name, cst.SimpleString) or name.evaluated_value == attr:
                    return True
    return False


_DATACLASS = frozenset({"dataclass", "dataclasses.dataclass"})
_ACCESS_HOOKS = frozenset({"__getattr__", "__getattribute__"})


def plain_field(project: Project, cls: str, attr: str, depth: int = 0) -> bool:
    """Reading `obj.attr` of an object of repository class `cls` runs no code of the
    repository: neither `cls`, nor a class of the repository it derives from, nor one
    deriving from it (whose objects may stand for it), defines `attr` as a method, property
    or other class-level value that could be a descriptor, or customises attribute access;
    its bases are `object` or classes of the repository; its only decorator, if any, is
    `dataclass` (which leaves fields plain). `attr` is then an instance attribute, a slot or
    a dataclass field, and reading it has no effect (it may still raise AttributeError)."""
    from agent.engines.rules.ordering import subclassed

    found = project.classes.get(cls)
    if found is None or depth > 8 or (depth == 0 and subclassed(project, cls)):
        return False
    node = found[1]
    for deco in node.decorators:
        spelled = deco.decorator.func if isinstance(deco.decorator, cst.Call) else deco.decorator
        if cst.Module([]).code_for_node(spelled) not in _DATACLASS:
            return False
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
    for stmt in body:
        if isinstance(stmt, cst.FunctionDef | cst.ClassDef):
            if stmt.name.value == attr or stmt.name.value in _ACCESS_HOOKS:
                return False
        elif not isinstance(stmt, cst.SimpleStatementLine) or not _plain_class_line(stmt, attr):
            return False
    for base in node.bases:
        named = cst.Module([]).code_for_node(base.value)
        if base.keyword is not None or (
            named != "object" and not plain_field(project, named, attr, depth + 1)
        ):
            return False
    return True


def _plain_class_line(stmt: cst.SimpleStatementLine, attr: str) -> bool:
    """A line of a class body that does not bind `attr` to anything but a literal (an
    annotation alone, or a literal default)."""
    for small in stmt.body:
        if isinstance(small, cst.AnnAssign | cst.Assign):
            names = (
                [small.target]
                if isinstance(small, cst.AnnAssign)
                else [t.target for t in small.targets]
            )
            if any(not isinstance(n, cst.Name) or n.value == attr for n in names):
                value = small.value
                if value is not None and not _literal(value):
                    return False
        elif not isinstance(small, cst.Expr | cst.Pass):
            return False
    return True


def _literal(value: cst.BaseExpression) -> bool:
    if isinstance(value, cst.UnaryOperation):
        value = value.expression
    if isinstance(value, cst.Name):
        return value.value in ("None", "True", "False")
    return isinstance(value, cst.Integer | cst.Float | cst.SimpleString | cst.ConcatenatedString)
