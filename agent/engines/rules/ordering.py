"""Values with a fixed total order: whether `<` among the elements a list holds is a strict
weak order that cannot change while they sit in the list, so a list kept sorted as it grows
holds exactly what sorting it later would give.

Scalars qualify by type (ints and bools, strs, bytes, and tuples of those position by
position). Objects of a repository class qualify when `__lt__` compares one key of both sides
(`self.key() < other.key()`), the key is built only from attributes of the object that are
set once, in `__init__`, to immutable values, and it is a scalar of the kinds above.
"""

from __future__ import annotations

import libcst as cst

from agent.engines.rules.attr_stores import attribute_stores, dynamic_access, methods_of
from agent.engines.rules.edits import code, is_docstring
from agent.engines.rules.project import Project
from agent.engines.rules.syntax import code_of
from agent.engines.rules.typeinfo import INT, STR, UNKNOWN, T, annotation_type, immutable

_FAMILIES = {"int": "num", "bool": "num", "str": "str", "bytes": "bytes"}
_ENUM_BASES = frozenset({"Enum", "IntEnum", "StrEnum", "Flag", "IntFlag"})
_CONVERSIONS = {"int": INT, "str": STR}
_OTHER_ORDER = ("__gt__", "__le__", "__ge__")


def family(t: T | None) -> str | None:
    """The order family of scalars of type `t` ("num", "str", "(num,str)"...): values of one
    family compare without raising, and `<` among them is a strict weak order."""
    if t is None:
        return None
    if t.kind == "tuple" and t.items is not None:
        parts = [family(i) for i in t.items]
        return None if None in parts or not parts else f"({','.join(parts)})"  # type: ignore[arg-type]
    if t.kind == "tuple" and t.elem is not None:
        inner = family(t.elem)
        return f"({inner}...)" if inner else None
    return _FAMILIES.get(t.kind)


def order_family(project: Project, t: T | None) -> str | None:
    """`family(t)`, or `obj:K` for a repository class whose objects qualify (module doc)."""
    if t is not None and t.kind.startswith("obj:"):
        name = t.kind[4:]
        return t.kind if keyed_class(project, name) else None
    return family(t)


def known_bases(project: Project, cls: cst.ClassDef) -> bool:
    """Every base of `cls` is `object` or a class of the repository (whose code is looked
    through like the rest); a library base could reach any attribute."""
    for base in cls.bases:
        spelled = code_of(base.value)
        if base.keyword is not None or (spelled != "object" and spelled not in project.classes):
            return False
    return True


def subclassed(project: Project, name: str) -> bool:
    """Some class of the repository names `name` among its bases."""
    for _path, other in project.classes.values():
        if name in {code_of(b.value).rsplit(".", 1)[-1] for b in other.bases}:
            return True
    return any(
        isinstance(stmt, cst.ClassDef)
        and name in {code_of(b.value).rsplit(".", 1)[-1] for b in stmt.bases}
        for module in project.modules.values()
        for stmt in module.body
    )


def _single_return(fn: cst.FunctionDef) -> cst.BaseExpression | None:
    """`E` when `fn`'s body is (a docstring and) `return E`."""
    body = list(fn.body.body) if isinstance(fn.body, cst.IndentedBlock) else []
    if body and is_docstring(body[0]):
        body = body[1:]
    if len(body) != 1 or not isinstance(body[0], cst.SimpleStatementLine):
        return None
    small = body[0].body
    if len(small) != 1 or not isinstance(small[0], cst.Return) or small[0].value is None:
        return None
    return small[0].value


def _plain(fn: cst.FunctionDef, n: int) -> list[str] | None:
    """The names of `fn`'s `n` plain positional parameters, when that is all it takes."""
    ps = fn.params
    if fn.decorators or fn.asynchronous is not None or ps.posonly_params or ps.kwonly_params:
        return None
    if not isinstance(ps.star_arg, cst.MaybeSentinel) or ps.star_kwarg is not None:
        return None
    if len(ps.params) != n or any(p.default is not None for p in ps.params):
        return None
    return [p.name.value for p in ps.params]


def keyed_class(project: Project, name: str) -> bool:
    """Objects of repository class `name` are ordered by a fixed key (module doc)."""
    found = project.classes.get(name)
    if found is None or subclassed(project, name):
        return False
    path, cls = found
    if any(code_of(b.value) != "object" for b in cls.bases):
        return False
    methods = methods_of(cls)
    if cls.decorators:
        from agent.engines.rules.dataclass_order import ordered_dataclass

        return ordered_dataclass(project, path, cls, methods)
    lt = methods.get("__lt__")
    if lt is None or any(m in methods for m in (*_OTHER_ORDER, "__setattr__", "__getattr__")):
        return False
    params = _plain(lt, 2)
    body = _single_return(lt)
    if params is None or body is None or not isinstance(body, cst.Comparison):
        return False
    if len(body.comparisons) != 1 or not isinstance(body.comparisons[0].operator, cst.LessThan):
        return False
    left, right = body.left, body.comparisons[0].comparator
    if code(_renamed(left, params[0], params[1])) != code(right):
        return False
    attrs: set[str] = set()
    t = _key_type(project, name, methods, left, params[0], attrs, 0)
    return family(t) is not None and all(_constant(project, name, a) for a in attrs)


def _constant(project: Project, cls: str, attr: str) -> bool:
    """An attribute the key reads is set once to an immutable value; a method it calls is
    never replaced on an object (no store of an attribute of that name)."""
    if attr.startswith("()"):
        meth = attr[2:]
        return not attribute_stores(project, meth) and not dynamic_access(project, meth)
    return constant_attribute(project, cls, attr)


class _Rename(cst.CSTTransformer):
    def __init__(self, old: str, new: str) -> None:
        super().__init__()
        self.old, self.new = old, new

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        return (
            updated_node.with_changes(value=self.new)
            if updated_node.value == self.old
            else updated_node
        )

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.Attribute:
        return updated_node.with_changes(attr=original_node.attr)


def _renamed(expr: cst.BaseExpression, old: str, new: str) -> cst.CSTNode:
    out = expr.visit(_Rename(old, new))
    assert isinstance(out, cst.CSTNode)
    return out


def _key_type(
    project: Project,
    cls: str,
    methods: dict[str, cst.FunctionDef],
    expr: cst.BaseExpression,
    me: str,
    attrs: set[str],
    depth: int,
) -> T:
    """The type of a key expression over `me` (UNKNOWN for any other shape); the attributes
    of `me` it reads are added to `attrs`."""
    if depth > 4:
        return UNKNOWN
    if isinstance(expr, cst.Tuple):
        items = [
            _key_type(project, cls, methods, e.value, me, attrs, depth + 1)
            for e in expr.elements
            if not isinstance(e, cst.StarredElement)
        ]
        ok = len(items) == len(expr.elements) and items
        return T("tuple", items=tuple(items)) if ok else UNKNOWN
    if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus):
        inner = _key_type(project, cls, methods, expr.expression, me, attrs, depth + 1)
        return INT if inner.kind == "int" else UNKNOWN
    if isinstance(expr, cst.Integer):
        return INT
    if isinstance(expr, cst.SimpleString):
        return STR
    if isinstance(expr, cst.Call) and len(expr.args) == 1 and not expr.args[0].keyword:
        return _call_type(project, cls, methods, expr, me, attrs, depth)
    if isinstance(expr, cst.Call) and not expr.args and isinstance(expr.func, cst.Attribute):
        return _method_key(project, cls, methods, expr.func, me, attrs, depth)
    if _own_attribute(expr, me) and expr.attr.value not in methods:  # type: ignore[attr-defined]
        attrs.add(expr.attr.value)  # type: ignore[attr-defined]
        return project.fields.get(f"{cls}.{expr.attr.value}", UNKNOWN)  # type: ignore[attr-defined]
    return UNKNOWN


def _call_type(
    project: Project,
    cls: str,
    methods: dict[str, cst.FunctionDef],
    call: cst.Call,
    me: str,
    attrs: set[str],
    depth: int,
) -> T:
    """`int(x)` / `str(x)` of a key expression or of an attribute of any type (the attribute
    is immutable, so the conversion gives the same value every time)."""
    func = call.func
    if not isinstance(func, cst.Name) or func.value not in _CONVERSIONS or call.args[0].star:
        return UNKNOWN
    path = project.classes[cls][0]
    if func.value in project.defs.get(path, {}) or func.value in project.imports.get(path, {}):
        return UNKNOWN
    arg = call.args[0].value
    if _own_attribute(arg, me) and arg.attr.value not in methods:  # type: ignore[attr-defined]
        attrs.add(arg.attr.value)  # type: ignore[attr-defined]
        return _CONVERSIONS[func.value]
    inner = _key_type(project, cls, methods, arg, me, attrs, depth + 1)
    return _CONVERSIONS[func.value] if family(inner) is not None else UNKNOWN


def _method_key(
    project: Project,
    cls: str,
    methods: dict[str, cst.FunctionDef],
    func: cst.Attribute,
    me: str,
    attrs: set[str],
    depth: int,
) -> T:
    """`me.key()`: a method of the class whose body is `return <key expression>`."""
    if not (isinstance(func.value, cst.Name) and func.value.value == me):
        return UNKNOWN
    fn = methods.get(func.attr.value)
    params = _plain(fn, 1) if fn is not None else None
    body = _single_return(fn) if fn is not None else None
    if fn is None or params is None or body is None:
        return UNKNOWN
    attrs.add(f"(){func.attr.value}")
    return _key_type(project, cls, methods, body, params[0], attrs, depth + 1)


def _own_attribute(expr: cst.BaseExpression, me: str) -> bool:
    return (
        isinstance(expr, cst.Attribute)
        and isinstance(expr.value, cst.Name)
        and expr.value.value == me
    )


def constant_attribute(project: Project, cls: str, attr: str) -> bool:
    """`attr` is stored exactly once in the repository, in `cls.__init__`'s own top-level
    statements as `self.attr = <immutable value>`, and nothing sets it by name."""
    path, node = project.classes[cls]
    init = methods_of(node).get("__init__")
    if init is None:
        return False
    stores = attribute_stores(project, attr, cls)
    if len(stores) != 1 or dynamic_access(project, attr):
        return False
    where, stmt, value = stores[0]
    body = init.body.body if isinstance(init.body, cst.IndentedBlock) else ()
    if where != path or value is None or not any(s is stmt for s in body):
        return False
    self_name = init.params.params[0].name.value if init.params.params else ""
    target = stmt.body[0]  # type: ignore[attr-defined]
    target = target.target if isinstance(target, cst.AnnAssign) else target.targets[0].target
    if not _own_attribute(target, self_name):
        return False
    return _immutable_value(project, path, init, value, cls)


def _immutable_value(
    project: Project, path: str, init: cst.FunctionDef, value: cst.BaseExpression, cls: str
) -> bool:
    """A literal, a parameter annotated with an immutable type, `int(..)`/`str(..)`, or a
    call of a repository enum class (its members are fixed)."""
    if isinstance(value, cst.Integer | cst.Float | cst.SimpleString):
        return True
    if isinstance(value, cst.Name):
        for p in init.params.params:
            if p.name.value == value.value and p.annotation is not None:
                return immutable(annotation_type(p.annotation.annotation))
        return False
    if not isinstance(value, cst.Call) or not isinstance(value.func, cst.Name):
        return False
    name = value.func.value
    if name in _CONVERSIONS:
        return name not in project.defs.get(path, {}) and name not in project.imports.get(path, {})
    found = project.lookup(path, name)
    if found is None or not isinstance(found[1], cst.ClassDef):
        return False
    bases = {code_of(b.value).rsplit(".", 1)[-1] for b in found[1].bases}
    return bool(bases & _ENUM_BASES) and not found[1].decorators
