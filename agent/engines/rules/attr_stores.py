"""Where the repository stores an attribute of a given name, and whether it reaches
attributes by a computed name (`setattr`, `getattr`, `vars`, `__dict__`)."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from agent.engines.rules.own_helpers import own_helpers
from agent.engines.rules.project import Project
from agent.engines.rules.syntax import (
    SCOPES,
    bound_names,
    declared_global,
    names_in,
    nested_scope_names,
    walk,
)


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
    key = f"attribute_stores:{attr}:{cls}"
    found = project.memo.get(key)
    if found is None:
        found = project.memo[key] = tuple(_stores_of(project, attr, cls))
    assert isinstance(found, tuple)
    return list(found)


def _stores_of(
    project: Project, attr: str, cls: str | None
) -> list[tuple[str, cst.CSTNode, cst.BaseExpression | None]]:
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
            target: cst.BaseExpression | None = None
            if isinstance(stmt, cst.WithItem):
                target = stmt.asname.name if stmt.asname else None
            else:
                target = stmt.target
            if _names_attr(target, attr, me):
                out.append((path, stmt, None))
        if not isinstance(stmt, cst.SimpleStatementLine | cst.SimpleStatementSuite):
            continue  # a suite: `if p: p.x = v` on one line
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
    """Storing to `target` stores `attr` of some object, or into it (`x.attr = v`, `x.attr[i]
    = v`, `x.attr.y = v`), other than `me.attr` itself; the names a subscript's index reads
    (`counts[x.attr] += 1`) are only read."""
    while target is not None:
        if isinstance(target, cst.Tuple | cst.List):
            return any(_names_attr(e.value, attr, me) for e in target.elements)
        if isinstance(target, cst.StarredElement | cst.Subscript):
            target = target.value
        elif isinstance(target, cst.Attribute):
            mine = (
                me is not None and isinstance(target.value, cst.Name) and target.value.value == me
            )
            if target.attr.value == attr and not mine:
                return True
            target = target.value
        else:
            return False
    return False


def dynamic_access(project: Project, attr: str, *, reads: bool = True) -> bool:
    """`setattr`/`getattr`/`delattr`/`vars`/`__dict__`/`__setattr__` anywhere, unless naming
    another attribute: by a string literal, or by a name the function binds only as the
    target of loops over string literals (`for name in ("first", "last"): getattr(self,
    name)`). Without `reads`, `getattr` is left out (the question is only who can change it).
    perfagent's own helpers count for the fields they are given (`own_helpers`)."""
    own = own_helpers(project)
    if reads and (own.fields is None or attr in own.fields):
        return True
    found = _reached(project)
    return found.any_name or attr in found.changed or (reads and attr in found.read)


@dataclass(frozen=True)
class _Reached:
    """The attribute names code outside perfagent's own helpers reaches by computed name."""

    any_name: bool
    """Some access may reach any attribute (`vars`, `__dict__`, a name not known)."""
    changed: frozenset[str]
    """Named to `setattr` or `delattr`."""
    read: frozenset[str]
    """Named to `getattr`."""


def _reached(project: Project) -> _Reached:
    found = project.memo.get("attributes_reached")
    if isinstance(found, _Reached):
        return found
    own = own_helpers(project)
    changed: set[str] = set()
    read: set[str] = set()
    any_name = False
    for module in project.modules.values():
        scopes = [module, *(n for n in walk(module, into_scopes=True) if isinstance(n, SCOPES))]
        for scope in scopes:
            if id(scope) in own.nodes:
                continue
            spelled = _spelled(scope) if isinstance(scope, cst.FunctionDef) else {}
            called = {id(n.func) for n in walk(scope) if isinstance(n, cst.Call)}
            for n in walk(scope):
                if isinstance(n, cst.Name) and n.value in SETTERS and id(n) not in called:
                    any_name = True  # handed on: `sa = setattr`
                names = _names_reached(n, spelled)
                if names is None:
                    continue
                if names is _ANY or names & _WRITERS:
                    any_name = True  # `getattr(obj, "__dict__")[attr] = v` writes it
                elif (
                    isinstance(n, cst.Call)
                    and isinstance(n.func, cst.Name)
                    and n.func.value == "getattr"
                ):
                    read |= names
                else:
                    changed |= names
    found = _Reached(any_name, frozenset(changed), frozenset(read))
    project.memo["attributes_reached"] = found
    return found


_ANY: frozenset[str] = frozenset({"*"})


def _names_reached(n: cst.CSTNode, spelled: dict[str, set[str]]) -> frozenset[str] | None:
    """The attribute names `n` reaches by computed name, `_ANY` when it may reach any, or
    None when it reaches none that way."""
    if isinstance(n, cst.Attribute) and n.attr.value in _WRITERS:
        return _ANY  # `object.__setattr__(obj, name, v)` sets even a frozen field
    if not isinstance(n, cst.Call) or not isinstance(n.func, cst.Name):
        return None
    if n.func.value == "vars":
        return _ANY
    if n.func.value not in ("setattr", "delattr", "getattr"):
        return None
    name = n.args[1].value if len(n.args) > 1 else None
    if isinstance(name, cst.SimpleString):
        return frozenset({str(name.evaluated_value)})
    if isinstance(name, cst.Name) and name.value in spelled:
        return frozenset(spelled[name.value])
    return _ANY


SETTERS = frozenset({"setattr", "delattr"})
"""The builtins that set or delete an attribute by a computed name."""
_WRITERS = SETTERS | {"__dict__", "__setattr__", "__delattr__"}
"""Names by which code may store any attribute: `builtins.setattr`, `getattr(builtins,
"setattr")`, `type.__setattr__`, `vars(o)` aside (a call of its own)."""


def _spelled(fn: cst.FunctionDef) -> dict[str, set[str]]:
    """The names `fn` binds only as the target of `for` statements over literal strings,
    each with the strings it takes. A name a comprehension or a nested scope also binds or
    mentions (`nonlocal`) is left out: which binding a use sees is not followed here."""
    strings: dict[str, set[str]] = {}
    loops: dict[str, int] = {}
    other = declared_global(fn) | nested_scope_names(fn)
    other |= {p.name.value for p in walk(fn.params) if isinstance(p, cst.Param)}
    for n in walk(fn):
        if isinstance(n, cst.CompFor):
            other |= names_in(n.target)
        if not isinstance(n, cst.For) or not isinstance(n.target, cst.Name):
            continue
        name, values = n.target.value, _literal_strings(n.iter)
        if values is None:
            other.add(name)
            continue
        strings.setdefault(name, set()).update(values)
        loops[name] = loops.get(name, 0) + 1
    bound = bound_names(fn)
    return {
        name: values
        for name, values in strings.items()
        if name not in other and bound.get(name, 0) == loops[name]
    }


def _literal_strings(expr: cst.BaseExpression) -> set[str] | None:
    if not isinstance(expr, cst.Tuple | cst.List | cst.Set):
        return None
    values = set()
    for el in expr.elements:
        if not isinstance(el, cst.Element) or not isinstance(el.value, cst.SimpleString):
            return None
        value = el.value.evaluated_value
        if not isinstance(value, str):
            return None
        values.add(value)
    return values


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
    path, node = found
    for deco in node.decorators:
        spelled = deco.decorator.func if isinstance(deco.decorator, cst.Call) else deco.decorator
        if cst.Module([]).code_for_node(spelled) not in _DATACLASS:
            return False
    fields = _field_spellings(project, path) if node.decorators else set()
    body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
    for stmt in body:
        if isinstance(stmt, cst.FunctionDef | cst.ClassDef):
            if stmt.name.value == attr or stmt.name.value in _ACCESS_HOOKS:
                return False
        elif not isinstance(stmt, cst.SimpleStatementLine) or not _plain_class_line(
            stmt, attr, fields
        ):
            return False
    for base in node.bases:
        named = cst.Module([]).code_for_node(base.value)
        if base.keyword is not None or (
            named != "object" and not plain_field(project, named, attr, depth + 1)
        ):
            return False
    return True


def _field_spellings(project: Project, path: str) -> set[str]:
    """How the module spells `dataclasses.field` (`field`, `dataclasses.field`)."""
    spelled = set()
    for local, (module, name) in project.imports.get(path, {}).items():
        if module == "dataclasses" and name == "field":
            spelled.add(local)
        elif module == "dataclasses" and name is None:
            spelled.add(f"{local}.field")
    return spelled


def _dataclass_field(value: cst.BaseExpression, spellings: set[str]) -> bool:
    """`field(default_factory=f, ...)`, with no default or a literal one: the dataclass
    leaves no class attribute, or a literal, behind."""
    if not isinstance(value, cst.Call) or cst.Module([]).code_for_node(value.func) not in spellings:
        return False
    for arg in value.args:
        if arg.keyword is None or arg.star:
            return False
        if arg.keyword.value == "default" and not _literal(arg.value):
            return False
    return True


def _plain_class_line(stmt: cst.SimpleStatementLine, attr: str, fields: set[str]) -> bool:
    """A line of a class body that does not bind `attr` to anything but a literal (an
    annotation alone, a literal default, or a dataclass `field` of `fields` spellings with
    a literal default or none)."""
    for small in stmt.body:
        if isinstance(small, cst.AnnAssign | cst.Assign):
            names = (
                [small.target]
                if isinstance(small, cst.AnnAssign)
                else [t.target for t in small.targets]
            )
            if any(not isinstance(n, cst.Name) or n.value == attr for n in names):
                value = small.value
                if value is not None and not (_literal(value) or _dataclass_field(value, fields)):
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
