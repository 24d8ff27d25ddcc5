"""Types the rewrites' preconditions rest on: a small lattice of kinds, annotations read as
types, and the builtin functions and methods whose effects are known.

Everything here is deliberately conservative. A type is known only when an annotation, a
literal or a well-known builtin says so; anything else is `UNKNOWN`, and a rewrite whose
precondition needs a fact it cannot prove does not fire.
"""

from __future__ import annotations

from dataclasses import dataclass

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

SCALARS = frozenset({"str", "int", "float", "bool", "bytes", "none", "hashable", "key"})
EXACT_KEYS = frozenset({"str", "int", "bool", "bytes", "none", "key"})
"""Kinds whose equal values are indistinguishable and whose `==` agrees with `hash`, so a
dict lookup or a cache keyed on them answers exactly as `==` would (floats are left out:
`0.0 == -0.0` but they print differently)."""
IMMUTABLE_STDLIB = {
    ("decimal", "Decimal"): "Decimal",
    ("fractions", "Fraction"): "Fraction",
    ("datetime", "date"): "date",
    ("datetime", "datetime"): "datetime",
    ("datetime", "time"): "time",
    ("datetime", "timedelta"): "timedelta",
}
"""Standard-library classes whose instances cannot change, by (module, name)."""
IMMUTABLE_CLASSES = frozenset(IMMUTABLE_STDLIB.values())
"""Their names, as types spell them (`obj:Decimal`)."""
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


def exact_key(t: T | None) -> bool:
    """Every value of `t` is a str, int, bool, bytes or None (or a tuple of those)."""
    if t is None:
        return False
    if t.kind == "tuple":
        if t.items is not None:
            return all(exact_key(i) for i in t.items)
        return exact_key(t.elem)
    return t.kind in EXACT_KEYS


def immutable(t: T | None) -> bool:
    """Every value of `t` is immutable all the way down."""
    if t is None:
        return False
    if t.kind == "tuple":
        if t.items is not None:
            return all(immutable(i) for i in t.items)
        return immutable(t.elem)
    if t.kind.startswith("obj:"):
        return t.kind[4:] in IMMUTABLE_CLASSES
    return t.kind in SCALARS or (t.kind == "frozenset" and immutable(t.elem))


def uncallable(t: T) -> bool:
    """No value of `t` can be called: `re.sub`'s replacement string, a `key=None`."""
    return t.kind in ("str", "bytes", "int", "float", "bool", "none")


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
    if a.kind in EXACT_KEYS and b.kind in EXACT_KEYS:
        return T("key")
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
        if name in IMMUTABLE_CLASSES:
            return T(f"obj:{name}")
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
                and any(
                    cst.Module([]).code_for_node(d.decorator) == "property" for d in item.decorators
                )
            ):
                out[f"{stmt.name.value}.{item.name.value}"] = annotation_type(
                    item.returns.annotation
                )
    return out
