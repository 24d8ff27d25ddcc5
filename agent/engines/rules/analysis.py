"""Static facts the rewrites' preconditions rest on: types, bindings, uses and purity.

Everything here is deliberately conservative. A type is known only when an annotation, a
literal or a well-known builtin says so; anything else is `UNKNOWN`, and a rewrite whose
precondition needs a fact it cannot prove does not fire.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import libcst as cst


@dataclass(frozen=True)
class T:
    """An inferred type: a kind ("str", "list", ...) and, for containers, element types."""

    kind: str
    elem: T | None = None
    """Element type of a list/set/tuple/iterable; key type of a dict."""
    value: T | None = None
    """Value type of a dict."""
    items: tuple[T, ...] | None = None
    """Per-position types of a fixed-length tuple."""


UNKNOWN = T("unknown")
STR, INT, FLOAT, BOOL, BYTES, NONE = (
    T(k) for k in ("str", "int", "float", "bool", "bytes", "none")
)
HASHABLE_ANY = T("hashable")
"""Some hashable value of no more precise type (e.g. `str | None`)."""

SCALARS = frozenset({"str", "int", "float", "bool", "bytes", "none", "hashable"})
SIZED = frozenset({"str", "bytes", "list", "set", "frozenset", "dict", "tuple"})
"""Kinds whose truth value is exactly `len(x) != 0`."""


def is_hashable(t: T | None) -> bool:
    """True only when every value of `t` is known to be hashable."""
    if t is None:
        return False
    if t.kind in SCALARS:
        return True
    if t.kind == "tuple":
        if t.items is not None:
            return all(is_hashable(i) for i in t.items)
        return is_hashable(t.elem)
    return t.kind == "frozenset"  # a frozenset itself is always hashable


def elem_of(t: T) -> T:
    """The type iteration over `t` yields."""
    if t.kind == "str":
        return STR
    if t.kind == "dict":
        return t.elem or UNKNOWN
    if t.kind == "tuple" and t.items is not None:
        first = t.items[0] if t.items else UNKNOWN
        return first if all(i == first for i in t.items) else UNKNOWN
    if t.kind in ("list", "set", "frozenset", "tuple", "iterable"):
        return t.elem or UNKNOWN
    return UNKNOWN


def join(a: T | None, b: T) -> T:
    """The least type covering both (flow-insensitive union), or UNKNOWN."""
    if a is None or a == b or a.kind == "empty":
        return b
    if b.kind == "empty":
        return a
    if is_hashable(a) and is_hashable(b) and a.kind in SCALARS and b.kind in SCALARS:
        return HASHABLE_ANY
    if a.kind == b.kind and a.kind in ("list", "set", "dict") and a.items is None is b.items:
        elem = join(a.elem, b.elem) if a.elem and b.elem else UNKNOWN
        value = join(a.value, b.value) if a.value and b.value else None
        if a.kind == "dict" and value is None:
            value = UNKNOWN
        return T(a.kind, elem=elem, value=value)
    return UNKNOWN


_SCALAR_NAMES = {"str": STR, "int": INT, "float": FLOAT, "bool": BOOL, "bytes": BYTES}
_SEQ_NAMES = {
    "list": "list",
    "List": "list",
    "MutableSequence": "list",
    "set": "set",
    "Set": "set",
    "MutableSet": "set",
    "frozenset": "frozenset",
    "FrozenSet": "frozenset",
    "Sequence": "iterable",
    "Iterable": "iterable",
    "Iterator": "iterable",
    "Collection": "iterable",
    "AbstractSet": "iterable",
}
_MAP_NAMES = {"dict": "dict", "Dict": "dict"}


def _dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        head = _dotted(node.value)
        return f"{head}.{node.attr.value}" if head else ""
    return ""


def annotation_type(node: cst.BaseExpression | None) -> T:
    """The type an annotation promises (typing aliases and PEP 585/604 forms)."""
    if node is None:
        return UNKNOWN
    if isinstance(node, cst.SimpleString):  # a string annotation: parse what it says
        try:
            return annotation_type(cst.parse_expression(node.evaluated_value))  # type: ignore[arg-type]
        except Exception:
            return UNKNOWN
    if isinstance(node, cst.Name | cst.Attribute):
        name = _dotted(node).rsplit(".", 1)[-1]
        if name in _SCALAR_NAMES:
            return _SCALAR_NAMES[name]
        if name == "None":
            return NONE
        if name in _SEQ_NAMES:
            return T(_SEQ_NAMES[name])
        if name in _MAP_NAMES:
            return T("dict")
        if name == "tuple" or name == "Tuple":
            return T("tuple")
        if name[:1].isupper() and name not in ("Any", "Callable", "Self", "Type"):
            return T(f"obj:{name}")  # attribute types come from the class's annotated fields
        return UNKNOWN
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
        left, right = annotation_type(node.left), annotation_type(node.right)
        return left if left == right else join(left, right)
    if isinstance(node, cst.Subscript):
        name = _dotted(node.value).rsplit(".", 1)[-1]
        args = [e.slice.value for e in node.slice if isinstance(e.slice, cst.Index)]
        types = [annotation_type(a) for a in args]
        if name == "Optional" and len(types) == 1:
            return join(types[0], NONE)
        if name == "Union":
            out: T | None = None
            for t in types:
                out = join(out, t)
            return out or UNKNOWN
        if name in _SEQ_NAMES and len(types) == 1:
            return T(_SEQ_NAMES[name], elem=types[0])
        if name in ("dict", "Dict", "Mapping", "MutableMapping") and len(types) == 2:
            kind = "dict" if name in _MAP_NAMES else "mapping"
            return T(kind, elem=types[0], value=types[1])
        if name in ("tuple", "Tuple"):
            if len(args) == 2 and isinstance(args[1], cst.Ellipsis):
                return T("tuple", elem=types[0])
            return T("tuple", items=tuple(types))
    return UNKNOWN


STR_TO_STR = frozenset(
    {
        "lower",
        "upper",
        "strip",
        "lstrip",
        "rstrip",
        "casefold",
        "title",
        "capitalize",
        "replace",
        "format",
        "join",
        "zfill",
        "ljust",
        "rjust",
        "center",
        "removeprefix",
        "removesuffix",
        "swapcase",
        "expandtabs",
    }
)
STR_TO_LIST = frozenset({"split", "rsplit", "splitlines"})
STR_TO_INT = frozenset({"count", "find", "rfind", "index", "rindex"})
STR_TO_BOOL = frozenset(
    {"startswith", "endswith", "isdigit", "isalpha", "isalnum", "isspace", "isupper", "islower"}
)

PURE_BUILTINS = frozenset(
    {
        "len",
        "abs",
        "min",
        "max",
        "sum",
        "sorted",
        "set",
        "frozenset",
        "tuple",
        "list",
        "dict",
        "str",
        "int",
        "float",
        "bool",
        "ord",
        "chr",
        "round",
        "divmod",
        "pow",
        "any",
        "all",
        "range",
        "enumerate",
        "zip",
        "reversed",
        "isinstance",
        "hash",
        "repr",
    }
)
"""Builtins without side effects on their arguments (they may still raise)."""

READ_ONLY_METHODS = frozenset(
    {
        "count",
        "index",
        "get",
        "keys",
        "values",
        "items",
        "copy",
        "issubset",
        "issuperset",
        "isdisjoint",
        "union",
        "intersection",
        "difference",
        "symmetric_difference",
        "startswith",
        "endswith",
        "find",
        "rfind",
        "rindex",
        "split",
        "rsplit",
        "splitlines",
        "join",
        "format",
        "encode",
        "decode",
    }
    | STR_TO_STR
    | STR_TO_BOOL
)
"""Methods that never mutate their receiver on the builtin types they exist on."""


class TypeEnv:
    """Flow-insensitive types of a function's local names."""

    def __init__(self, names: dict[str, T] | None = None) -> None:
        self.names: dict[str, T] = dict(names or {})

    def get(self, name: str) -> T:
        return self.names.get(name, UNKNOWN)

    def infer(self, expr: cst.BaseExpression, local: dict[str, T] | None = None) -> T:
        """The type of `expr` given the names' types, or UNKNOWN."""
        env = {**self.names, **(local or {})}
        return _infer(expr, env)


def _target_bindings(target: cst.BaseExpression, t: T) -> Iterator[tuple[str, T]]:
    if isinstance(target, cst.Name):
        yield target.value, t
    elif isinstance(target, cst.Tuple | cst.List):
        elems = target.elements
        for i, el in enumerate(elems):
            if isinstance(el, cst.StarredElement):
                for name in names_in(el.value):
                    yield name, UNKNOWN
                continue
            if t.items is not None and len(t.items) == len(elems):
                sub = t.items[i]
            elif t.kind == "tuple" and t.items is None and t.elem is not None:
                sub = t.elem
            else:
                sub = UNKNOWN
            yield from _target_bindings(el.value, sub)
    else:
        for name in names_in(target):
            if _is_bound_name(target, name):
                yield name, UNKNOWN


def _is_bound_name(target: cst.BaseExpression, name: str) -> bool:
    return isinstance(target, cst.Name) and target.value == name


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


def _comp_env(comp: cst.BaseSimpleComp | cst.DictComp, env: dict[str, T]) -> dict[str, T]:
    local = dict(env)
    clause: cst.CompFor | None = comp.for_in
    while clause is not None:
        it = _infer(clause.iter, local)
        local.update(_target_bindings(clause.target, elem_of(it)))
        clause = clause.inner_for_in
    return local


def _infer(expr: cst.BaseExpression, env: dict[str, T]) -> T:
    if isinstance(expr, cst.SimpleString | cst.FormattedString | cst.ConcatenatedString):
        if isinstance(expr, cst.SimpleString) and "b" in expr.prefix.lower():
            return BYTES
        return STR
    if isinstance(expr, cst.Integer):
        return INT
    if isinstance(expr, cst.Float):
        return FLOAT
    if isinstance(expr, cst.Name):
        if expr.value in ("True", "False"):
            return BOOL
        if expr.value == "None":
            return NONE
        return env.get(expr.value, UNKNOWN)
    if isinstance(expr, cst.Comparison):
        return BOOL
    if isinstance(expr, cst.UnaryOperation):
        if isinstance(expr.operator, cst.Not):
            return BOOL
        inner = _infer(expr.expression, env)
        return inner if inner.kind in ("int", "float") else UNKNOWN
    if isinstance(expr, cst.BinaryOperation):
        left, right = _infer(expr.left, env), _infer(expr.right, env)
        if isinstance(expr.operator, cst.Add):
            if left.kind == right.kind == "str":
                return STR
            if left.kind == right.kind == "list":
                return T("list", elem=left.elem if left.elem == right.elem else UNKNOWN)
        if isinstance(expr.operator, cst.Modulo) and left.kind == "str":
            return STR
        if left.kind == right.kind == "int" and not isinstance(expr.operator, cst.Divide):
            return INT
        if {left.kind, right.kind} <= {"int", "float"} and (
            left.kind == "float" or right.kind == "float" or isinstance(expr.operator, cst.Divide)
        ):
            return FLOAT
        return UNKNOWN
    if isinstance(expr, cst.List | cst.Set | cst.Tuple):
        types = [
            UNKNOWN if isinstance(e, cst.StarredElement) else _infer(e.value, env)
            for e in expr.elements
        ]
        if isinstance(expr, cst.Tuple):
            return T("tuple", items=tuple(types))
        elem: T | None = None
        for t in types:
            elem = join(elem, t)
        kind = "list" if isinstance(expr, cst.List) else "set"
        return T(kind, elem=elem or T("empty"))
    if isinstance(expr, cst.Dict):
        if not expr.elements:
            return T("dict", elem=T("empty"), value=T("empty"))
        keys: T | None = None
        values: T | None = None
        for el in expr.elements:
            if not isinstance(el, cst.DictElement):
                return T("dict", elem=UNKNOWN, value=UNKNOWN)
            keys, values = join(keys, _infer(el.key, env)), join(values, _infer(el.value, env))
        return T("dict", elem=keys, value=values)
    if isinstance(expr, cst.ListComp | cst.SetComp | cst.GeneratorExp):
        local = _comp_env(expr, env)
        elt = _infer(expr.elt, local)
        kind = {cst.ListComp: "list", cst.SetComp: "set", cst.GeneratorExp: "iterable"}[type(expr)]
        return T(kind, elem=elt)
    if isinstance(expr, cst.DictComp):
        local = _comp_env(expr, env)
        return T("dict", elem=_infer(expr.key, local), value=_infer(expr.value, local))
    if isinstance(expr, cst.Subscript):
        base = _infer(expr.value, env)
        is_slice = any(isinstance(e.slice, cst.Slice) for e in expr.slice)
        if base.kind in ("str", "bytes"):
            return base
        if base.kind == "list" and is_slice:
            return base
        if base.kind == "list":
            return base.elem or UNKNOWN
        if base.kind in ("dict", "mapping") and not is_slice:
            return base.value or UNKNOWN
        if base.kind == "tuple" and not is_slice:
            idx = expr.slice[0].slice
            if base.items is not None and isinstance(idx, cst.Index):
                if isinstance(idx.value, cst.Integer):
                    i = int(idx.value.value, 0)
                    return base.items[i] if i < len(base.items) else UNKNOWN
                return UNKNOWN
            return base.elem or UNKNOWN
        return UNKNOWN
    if isinstance(expr, cst.Call):
        return _infer_call(expr, env)
    if isinstance(expr, cst.Attribute):
        base = _infer(expr.value, env)
        if base.kind.startswith("obj:"):
            return env.get(f"{base.kind[4:]}.{expr.attr.value}", UNKNOWN)
        return UNKNOWN
    if isinstance(expr, cst.IfExp):
        return join(_infer(expr.body, env), _infer(expr.orelse, env))
    return UNKNOWN


def _infer_call(expr: cst.Call, env: dict[str, T]) -> T:
    func = expr.func
    args = [a.value for a in expr.args if not a.keyword and not a.star]
    if isinstance(func, cst.Name) and func.value not in env:
        name = func.value
        first = _infer(args[0], env) if args else UNKNOWN
        if name in ("str", "repr", "chr"):
            return STR
        if name in ("len", "ord", "hash"):
            return INT
        if name == "int":
            return INT
        if name == "float":
            return FLOAT
        if name in ("bool", "isinstance", "any", "all"):
            return BOOL
        if name in ("list", "sorted"):
            return T("list", elem=elem_of(first) if args else T("empty"))
        if name in ("set", "frozenset"):
            return T(name, elem=elem_of(first) if args else T("empty"))
        if name == "tuple":
            return T("tuple", elem=elem_of(first) if args else UNKNOWN)
        if name == "range":
            return T("iterable", elem=INT)
        if name == "reversed":
            return T("iterable", elem=elem_of(first))
        if name == "enumerate":
            return T("iterable", elem=T("tuple", items=(INT, elem_of(first))))
        if name == "zip" and args and all(not a.keyword for a in expr.args):
            return T(
                "iterable", elem=T("tuple", items=tuple(elem_of(_infer(a, env)) for a in args))
            )
        if name in ("min", "max") and len(args) == 1 and len(expr.args) == 1:
            return elem_of(first)
        if name == "abs" and first.kind in ("int", "float"):
            return first
        if name == "dict" and not expr.args:
            return T("dict", elem=T("empty"), value=T("empty"))
        return UNKNOWN
    if isinstance(func, cst.Attribute):
        recv = _infer(func.value, env)
        meth = func.attr.value
        if recv.kind == "str":
            if meth in STR_TO_STR:
                return STR
            if meth in STR_TO_LIST:
                return T("list", elem=STR)
            if meth in STR_TO_INT:
                return INT
            if meth in STR_TO_BOOL:
                return BOOL
            if meth == "encode":
                return BYTES
        if isinstance(func.value, cst.SimpleString) and meth == "join":
            return STR
        if recv.kind in ("dict", "mapping"):
            if meth == "keys":
                return T("iterable", elem=recv.elem or UNKNOWN)
            if meth == "values":
                return T("iterable", elem=recv.value or UNKNOWN)
            if meth == "items":
                return T(
                    "iterable", elem=T("tuple", items=(recv.elem or UNKNOWN, recv.value or UNKNOWN))
                )
    return UNKNOWN


# --- bindings and uses --------------------------------------------------------------------

SCOPES = (cst.FunctionDef, cst.Lambda, cst.ClassDef)


_KIDS: dict[int, tuple[cst.CSTNode, list[cst.CSTNode]]] = {}
"""id(node) -> (node, children) for indexed trees. libcst computes `.children` by visiting,
which is slow; one indexing pass per parsed module makes every later walk cheap. The node is
kept alongside so a recycled id can never match a different node."""
_KIDS_LIMIT = 3_000_000


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


def children_of(node: cst.CSTNode) -> Sequence[cst.CSTNode]:
    hit = _KIDS.get(id(node))
    if hit is not None and hit[0] is node:
        return hit[1]
    return node.children


def walk(node: cst.CSTNode, *, into_scopes: bool = False) -> Iterator[cst.CSTNode]:
    """Pre-order walk; nested functions, lambdas and classes are skipped unless asked."""
    stack = [node]
    while stack:
        cur = stack.pop()
        yield cur
        if cur is not node and not into_scopes and isinstance(cur, SCOPES):
            continue
        stack.extend(reversed(children_of(cur)))


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
        elif isinstance(n, cst.ExceptHandler) and n.name is not None:
            add(n.name.name)
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


def nested_scope_names(node: cst.CSTNode) -> set[str]:
    """Names mentioned inside nested functions, lambdas or classes (closures may see them)."""
    out: set[str] = set()
    for n in walk(node):
        if n is not node and isinstance(n, SCOPES):
            out |= names_in(n)
    return out


def declared_global(fn: cst.FunctionDef) -> set[str]:
    out: set[str] = set()
    for n in walk(fn):
        if isinstance(n, cst.Global | cst.Nonlocal):
            out |= {item.name.value for item in n.names}
    return out


def class_fields(module: cst.Module) -> dict[str, T]:
    """`"Class.field" -> type` for annotated class-level fields and annotated properties."""
    out: dict[str, T] = {}
    for stmt in module.body:
        if not isinstance(stmt, cst.ClassDef) or not isinstance(stmt.body, cst.IndentedBlock):
            continue
        for item in stmt.body.body:
            if isinstance(item, cst.SimpleStatementLine):
                for small in item.body:
                    if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                        t = annotation_type(small.annotation.annotation)
                        out[f"{stmt.name.value}.{small.target.value}"] = t
            elif (
                isinstance(item, cst.FunctionDef)
                and item.returns is not None
                and any(code_of(d.decorator) == "property" for d in item.decorators)
            ):
                out[f"{stmt.name.value}.{item.name.value}"] = annotation_type(
                    item.returns.annotation
                )
    return out


def code_of(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


def build_env(fn: cst.FunctionDef, classes: dict[str, T] | None = None) -> TypeEnv:
    """Types of parameters (from annotations) and locals (from every binding site).

    `classes` holds `"Class.field"` types (see `class_fields`); class names defined more
    than once in the project are left out by the caller.
    """
    params: dict[str, T] = dict(classes or {})
    for p in (*fn.params.posonly_params, *fn.params.params, *fn.params.kwonly_params):
        ann = annotation_type(p.annotation.annotation if p.annotation else None)
        if p.default is not None and ann != UNKNOWN:
            ann = join(ann, ann)  # the default is checked by whoever wrote it; trust the hint
        params[p.name.value] = ann
    for star in (fn.params.star_arg, fn.params.star_kwarg):
        if isinstance(star, cst.Param):
            params[star.name.value] = UNKNOWN
    banned = declared_global(fn) | nested_scope_names(fn)
    env = dict(params)
    for _ in range(5):  # a few rounds reach the fixpoint for the code shapes we handle
        seen: dict[str, T | None] = {name: t for name, t in params.items()}
        for name, t in _bindings(fn, env):
            seen[name] = join(seen.get(name), t) if name in seen else t
        new = {k: (v or UNKNOWN) for k, v in seen.items()}
        for name in banned:
            if name in new and name not in params:
                new[name] = UNKNOWN
        if new == env:
            break
        env = new
    return TypeEnv(env)


def _bindings(fn: cst.FunctionDef, env: dict[str, T]) -> Iterator[tuple[str, T]]:
    comp_targets: set[int] = set()
    for n in walk(fn):
        if isinstance(n, cst.CompFor):
            comp_targets.add(id(n.target))
        if isinstance(n, cst.Assign):
            t = _infer(n.value, env)
            for tgt in n.targets:
                yield from _target_bindings(tgt.target, t)
                sub = tgt.target
                if (
                    isinstance(sub, cst.Subscript)
                    and isinstance(sub.value, cst.Name)
                    and env.get(sub.value.value, UNKNOWN).kind == "dict"
                    and len(sub.slice) == 1
                    and isinstance(sub.slice[0].slice, cst.Index)
                ):
                    key = _infer(sub.slice[0].slice.value, env)
                    yield sub.value.value, T("dict", elem=key, value=t)
        elif isinstance(n, cst.AnnAssign):
            t = annotation_type(n.annotation.annotation)
            if isinstance(n.target, cst.Name):
                yield n.target.value, t
        elif isinstance(n, cst.AugAssign):
            if isinstance(n.target, cst.Name):
                if n.target.value not in env:
                    continue  # optimistic first round: the plain binding decides the type
                op = n.operator.__class__.__name__.removesuffix("Assign")
                binop = getattr(cst, op, None)
                if binop is None:
                    yield n.target.value, UNKNOWN
                    continue
                t = _infer(cst.BinaryOperation(left=n.target, operator=binop(), right=n.value), env)
                yield n.target.value, t
        elif isinstance(n, cst.For) and id(n.target) not in comp_targets:
            yield from _target_bindings(n.target, elem_of(_infer(n.iter, env)))
        elif isinstance(n, cst.NamedExpr) and isinstance(n.target, cst.Name):
            yield n.target.value, _infer(n.value, env)
        elif isinstance(n, cst.Call) and isinstance(n.func, cst.Attribute):
            recv = n.func.value
            if isinstance(recv, cst.Name) and len(n.args) == 1 and not n.args[0].keyword:
                kind, meth = env.get(recv.value, UNKNOWN).kind, n.func.attr.value
                arg = _infer(n.args[0].value, env)
                if (kind, meth) in (("list", "append"), ("set", "add")):
                    yield recv.value, T(kind, elem=arg)
                elif (kind, meth) in (("list", "extend"), ("set", "update")):
                    yield recv.value, T(kind, elem=elem_of(arg))
        elif isinstance(n, cst.WithItem) and n.asname is not None:
            yield from _target_bindings(n.asname.name, UNKNOWN)
        elif isinstance(n, cst.ExceptHandler) and n.name is not None:
            yield from _target_bindings(n.name.name, UNKNOWN)
        elif isinstance(n, cst.FunctionDef | cst.ClassDef) and n is not fn:
            yield n.name.value, UNKNOWN
        elif isinstance(n, cst.Import | cst.ImportFrom) and not isinstance(n.names, cst.ImportStar):
            for alias in n.names:
                name = alias.asname.name if alias.asname else alias.name
                if isinstance(name, cst.Name):
                    yield name.value, UNKNOWN


# --- purity and read-only uses ----------------------------------------------------------


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
                recv = _infer(f.value, scope)
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
        if isinstance(grand, cst.AssignTarget | cst.AugAssign | cst.Del):
            return f"{n.value}.{parent.attr.value} is assigned"
        return f"{n.value}.{parent.attr.value} is read"
    if isinstance(parent, cst.ComparisonTarget | cst.Comparison):
        return ""
    if isinstance(parent, cst.Subscript) and parent.value is n:
        grand = parents.get(id(parent))
        if isinstance(grand, cst.AssignTarget | cst.Del) or (
            isinstance(grand, cst.AugAssign) and grand.target is parent
        ):
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
        return ""
    return f"{n.value} is used as a value ({type(parent).__name__})"


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
