"""Summaries of repository functions: purity, which parameters stay untouched, what they
return; and which locals hold containers the function made itself."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import libcst as cst

from agent.engines.rules.infer import comp_env
from agent.engines.rules.stdlib import EXCEPTIONS, PURE_BUILTIN_CALLS, stdlib_kind
from agent.engines.rules.syntax import (
    SCOPES,
    bound_names,
    code_of,
    name_nodes,
    names_in,
    parent_map,
    walk,
)
from agent.engines.rules.typeinfo import annotation_type, immutable

if TYPE_CHECKING:
    from agent.engines.rules.effects import Effects, Scope, Summary
    from agent.engines.rules.project import FunctionRef

_SAFE_DECORATORS = frozenset({"staticmethod", "property"})
_IMMUTABLE_LITERALS = cst.Integer | cst.Float | cst.Imaginary | cst.SimpleString
_ORDER = {"immutable": 0, "fresh": 1, "unknown": 2}


def summarize(effects: Effects, ref: FunctionRef) -> Summary:
    from agent.engines.rules.effects import IMPURE, Summary

    fn = ref.fn
    if fn.asynchronous is not None or any(
        code_of(d.decorator) not in _SAFE_DECORATORS for d in fn.decorators
    ):
        return IMPURE
    scope = effects.scope(ref.path, fn, ref.cls)
    if not scope.pure(fn.body):
        return IMPURE
    params = [p.name.value for p in (*fn.params.posonly_params, *fn.params.params)]
    if isinstance(fn.params.star_arg, cst.Param) or fn.params.star_kwarg is not None:
        readonly: frozenset[int] = frozenset()
    else:
        readonly = frozenset(i for i, p in enumerate(params) if param_readonly(scope, p))
    returns, never_none = _returns(scope)
    if fn.returns is not None and immutable(annotation_type(fn.returns.annotation)):
        returns = "immutable"  # the annotation is a promise callers already rely on
    closed = ref.cls is None and _closed(scope)
    return Summary(True, closed, readonly, returns, never_none)


# --- fresh locals ---------------------------------------------------------------------------


def fresh_levels(scope: Scope) -> dict[str, int]:
    """Locals bound only to containers this function creates: 1 when the container is new,
    2 when its elements are new or immutable too."""
    values: dict[str, list[cst.BaseExpression | None]] = {}
    for n in walk(scope.fn.body):
        for name, value in _bindings(n):
            values.setdefault(name, []).append(value)
    for p in scope.params:
        values[p] = [None]
    levels = {name: 2 for name in values}
    for _ in range(6):
        new = {name: min(_level(scope, v, levels) for v in vs) for name, vs in values.items()}
        if new == levels:
            break
        levels = new
    return {k: v for k, v in levels.items() if v}


def _bindings(n: cst.CSTNode) -> list[tuple[str, cst.BaseExpression | None]]:
    if isinstance(n, cst.Assign):
        out: list[tuple[str, cst.BaseExpression | None]] = []
        for t in n.targets:
            out.extend(_unpack(t.target, n.value))
        return out
    if isinstance(n, cst.AnnAssign) and isinstance(n.target, cst.Name):
        return [(n.target.value, n.value)] if n.value is not None else []
    if isinstance(n, cst.AugAssign) and isinstance(n.target, cst.Name):
        return [(n.target.value, n.value if isinstance(n.value, cst.List) else None)]
    if isinstance(n, cst.NamedExpr) and isinstance(n.target, cst.Name):
        return [(n.target.value, n.value)]
    if isinstance(n, cst.For | cst.CompFor):
        return [(name, None) for name, _ in _unpack(n.target, None)]
    if isinstance(n, cst.WithItem) and n.asname is not None:
        return [(name, None) for name in names_in(n.asname.name)]
    if isinstance(n, cst.ExceptHandler) and n.name is not None:
        return [(n.name.name.value, None)] if isinstance(n.name.name, cst.Name) else []
    return []


def _unpack(
    target: cst.BaseExpression, value: cst.BaseExpression | None
) -> list[tuple[str, cst.BaseExpression | None]]:
    """Names a target binds, each with its value when the value is a display of the same
    shape (`a, b = [], {}`); subscript and attribute targets bind no name."""
    if isinstance(target, cst.Name):
        return [(target.value, value)]
    if isinstance(target, cst.StarredElement):
        return [(name, None) for name, _ in _unpack(target.value, None)]
    if not isinstance(target, cst.Tuple | cst.List):
        return []
    values: list[cst.BaseExpression | None] = [None] * len(target.elements)
    if (
        isinstance(value, cst.Tuple | cst.List)
        and len(value.elements) == len(target.elements)
        and not any(isinstance(e, cst.StarredElement) for e in value.elements)
    ):
        values = [e.value for e in value.elements]
    out = []
    for el, v in zip(target.elements, values, strict=True):
        out.extend(_unpack(el.value, v))
    return out


def _level(scope: Scope, value: cst.BaseExpression | None, levels: dict[str, int]) -> int:
    if value is None:
        return 0
    if isinstance(value, cst.Name):
        return levels.get(value.value, 0) if value.value in scope.locals else 0
    if isinstance(value, cst.List | cst.Set | cst.Tuple):
        if isinstance(value, cst.Tuple):
            return 0
        return 2 if all(_element_new(scope, e.value, levels) for e in value.elements) else 1
    if isinstance(value, cst.Dict):
        return (
            2
            if all(
                isinstance(e, cst.DictElement) and _element_new(scope, e.value, levels)
                for e in value.elements
            )
            else 1
        )
    if isinstance(value, cst.ListComp | cst.SetComp):
        return 2 if _element_new(scope, value.elt, levels, comp=True) else 1
    if isinstance(value, cst.DictComp):
        return 2 if _element_new(scope, value.value, levels, comp=True) else 1
    if (
        isinstance(value, cst.BinaryOperation)
        and isinstance(value.operator, cst.Multiply)
        and isinstance(value.left, cst.List)
    ):
        return 2 if all(_immutable_expr(scope, e.value) for e in value.left.elements) else 1
    if isinstance(value, cst.IfExp):
        return min(_level(scope, value.body, levels), _level(scope, value.orelse, levels))
    if isinstance(value, cst.Call):
        facts = scope.call(value)
        if facts is None or facts.returns != "fresh":
            return 0
        name = scope.builtin(value.func)
        if name in ("list", "sorted", "set", "dict") and value.args:
            return 2 if immutable(scope.env.infer(value).elem) else 1
        return 1
    return 0


def _element_new(
    scope: Scope, expr: cst.BaseExpression, levels: dict[str, int], comp: bool = False
) -> bool:
    if _immutable_expr(scope, expr):
        return True
    if isinstance(expr, cst.Name) and not comp:
        return False
    return _level(scope, expr, levels) == 2 and not isinstance(expr, cst.Name)


def _immutable_expr(scope: Scope, expr: cst.BaseExpression) -> bool:
    if isinstance(expr, _IMMUTABLE_LITERALS | cst.FormattedString | cst.ConcatenatedString):
        return True
    if isinstance(expr, cst.Comparison):
        return True
    if isinstance(expr, cst.Name):
        return expr.value in ("None", "True", "False") or expr.value in scope.immutables
    if isinstance(expr, cst.UnaryOperation):
        return _immutable_expr(scope, expr.expression)
    if isinstance(expr, cst.BinaryOperation | cst.BooleanOperation):
        return _immutable_expr(scope, expr.left) and _immutable_expr(scope, expr.right)
    if isinstance(expr, cst.IfExp):
        return _immutable_expr(scope, expr.body) and _immutable_expr(scope, expr.orelse)
    if isinstance(expr, cst.Subscript | cst.Attribute) and _immutable_expr(scope, expr.value):
        return True
    if isinstance(expr, cst.Tuple):
        return all(_immutable_expr(scope, e.value) for e in expr.elements)
    return scope.immutable_value(expr)


def immutable_locals(scope: Scope) -> set[str]:
    """Locals that only ever hold immutable values (numbers, strings, dates, ...)."""
    values: dict[str, list[cst.BaseExpression | None]] = {}
    for n in walk(scope.fn.body):
        if isinstance(n, cst.AugAssign) and isinstance(n.target, cst.Name):
            values.setdefault(n.target.value, []).append(n.value)
            continue
        for name, value in _bindings(n):
            values.setdefault(name, []).append(value)
    for p in scope.params:
        if not immutable(scope.env.get(p)):
            values[p] = [None]
    scope.immutables = {n for n in scope.locals if immutable(scope.env.get(n))} | set(values)
    for _ in range(6):
        keep = {
            name
            for name in scope.immutables
            if all(v is not None and _immutable_expr(scope, v) for v in values.get(name, []))
        }
        if keep == scope.immutables:
            break
        scope.immutables = keep
    return scope.immutables


# --- parameters -----------------------------------------------------------------------------

_CLIMB = (
    cst.Element,
    cst.Tuple,
    cst.List,
    cst.Set,
    cst.Dict,
    cst.DictElement,
    cst.StarredElement,
    cst.BooleanOperation,
    cst.Lambda,
)
_READS = (
    cst.Comparison,
    cst.ComparisonTarget,
    cst.UnaryOperation,
    cst.BinaryOperation,
    cst.If,
    cst.While,
    cst.Assert,
    cst.FormattedStringExpression,
    cst.Index,
    cst.SubscriptElement,
    cst.Slice,
    cst.Expr,
    cst.CompIf,
    cst.Raise,
)


def aliases(scope: Scope, seeds: set[str]) -> set[str]:
    """Locals that may hold (part of) what the `seeds` names hold."""
    names = set(seeds)
    counters = accumulators(scope)
    for _ in range(8):
        grown = set(names)
        for n in walk(scope.fn.body, into_scopes=True):
            if isinstance(n, cst.AugAssign) and names_in(n.target) <= counters:
                continue  # `total += x` makes a new number; `total` never holds `x` itself
            for name, value in _bindings(n):
                source = value if value is not None else _bound_from(n)
                if source is not None and _may_alias(scope, source, names):
                    grown.add(name)
        if grown == names:
            break
        names = grown
    return names


def accumulators(scope: Scope) -> set[str]:
    """Locals bound plainly only to immutable literals and otherwise only updated in place
    (`total = 0.0` ... `total += x`)."""
    plain: dict[str, bool] = {}
    for n in walk(scope.fn.body):
        if isinstance(n, cst.AugAssign):
            continue
        for name, value in _bindings(n):
            ok = value is not None and isinstance(value, _IMMUTABLE_LITERALS)
            plain[name] = plain.get(name, True) and ok
    return {name for name, ok in plain.items() if ok and name not in scope.params}


def _bound_from(n: cst.CSTNode) -> cst.BaseExpression | None:
    if isinstance(n, cst.Assign | cst.AugAssign):
        return n.value
    if isinstance(n, cst.For | cst.CompFor):
        return n.iter
    if isinstance(n, cst.WithItem):
        return n.item
    return None


def _may_alias(scope: Scope, expr: cst.BaseExpression, names: set[str]) -> bool:
    if not names & names_in(expr):
        return False
    if isinstance(expr, cst.Call) and not names & names_in(expr.func):
        facts = scope.call(expr)
        if facts is not None and not facts.passes_through:
            mentioned = {i for i, a in enumerate(expr.args) if names & names_in(a.value)}
            if mentioned <= facts.readonly_args:
                return False  # the callee neither keeps nor returns them
    if isinstance(expr, cst.Comparison | cst.FormattedString):
        return False
    if isinstance(expr, cst.ListComp | cst.SetComp | cst.GeneratorExp):
        local = comp_env(expr, scope.env.names)
        return not immutable(scope.env.infer(expr.elt, local))
    return not _immutable_expr(scope, expr)


def param_readonly(scope: Scope, param: str) -> bool:
    """The parameter and everything reached through it is neither changed nor kept."""
    names = aliases(scope, {param})
    parents = parent_map(scope.fn)
    for n in name_nodes(scope.fn.body):
        if n.value in names and not _use_ok(scope, n, parents):
            return False
    return True


def _use_ok(scope: Scope, n: cst.Name, parents: dict[int, cst.CSTNode]) -> bool:
    if _rebinding(n, parents):
        return True
    start: cst.CSTNode = n
    while True:
        cur, parent = _climb(scope, n, start, parents)
        if cur is None:
            return True
        if not isinstance(parent, cst.Arg):
            return _final_use_ok(scope, n, cur, parent)
        call = parents.get(id(parent))
        if not isinstance(call, cst.Call):
            return False
        facts = scope.call(call)
        if facts is None or list(call.args).index(parent) not in facts.readonly_args:
            return False
        if not facts.passes_through or facts.returns == "immutable":
            return True
        start = call  # `sorted(p)` holds what `p` holds: follow where it goes


def _climb(
    scope: Scope, n: cst.Name, cur: cst.CSTNode, parents: dict[int, cst.CSTNode]
) -> tuple[cst.CSTNode | None, cst.CSTNode | None]:
    """Up through expressions that still hold (part of) the value; (None, None) when an
    immutable value read from it is reached."""
    parent = parents.get(id(cur))
    while (
        (isinstance(parent, cst.Attribute | cst.Subscript) and parent.value is cur)
        or isinstance(parent, _CLIMB)
        or (isinstance(parent, cst.IfExp) and parent.test is not cur)
        or isinstance(parent, cst.ListComp | cst.SetComp | cst.GeneratorExp | cst.DictComp)
    ):
        if cur is not n and isinstance(cur, cst.BaseExpression) and _immutable_expr(scope, cur):
            return None, None  # an immutable value read from it cannot change it or leak it
        cur, parent = parent, parents.get(id(parent))
    return cur, parent


def _final_use_ok(scope: Scope, n: cst.Name, cur: cst.CSTNode, parent: cst.CSTNode | None) -> bool:
    if isinstance(parent, cst.Assign):
        return all(_names_only(t.target) for t in parent.targets)
    if isinstance(parent, cst.AnnAssign | cst.NamedExpr):
        return _names_only(parent.target)
    if isinstance(parent, cst.WithItem):
        return True
    if isinstance(parent, cst.For | cst.CompFor):
        return parent.iter is cur or cur is n
    if isinstance(parent, cst.AssignTarget | cst.Del):
        return cur is n
    if isinstance(parent, cst.AugAssign):
        if parent.value is cur:
            return True
        return cur is n and (immutable(scope.env.get(n.value)) or n.value in accumulators(scope))
    if isinstance(parent, cst.Call):
        return _call_use_ok(scope, parent, cur, n)
    return isinstance(parent, _READS)


def _rebinding(n: cst.Name, parents: dict[int, cst.CSTNode]) -> bool:
    """`n` is (part of) a binding target: `n = ...`, `a, n = ...`, `for n in ...`."""
    cur: cst.CSTNode = n
    parent = parents.get(id(cur))
    while isinstance(parent, cst.Element | cst.Tuple | cst.List | cst.StarredElement):
        cur, parent = parent, parents.get(id(parent))
    if isinstance(parent, cst.AssignTarget | cst.Del):
        return True
    if isinstance(parent, cst.For | cst.CompFor):
        return parent.target is cur
    if isinstance(parent, cst.AnnAssign | cst.NamedExpr):
        return parent.target is cur and cur is n
    return isinstance(parent, cst.AsName)


def _names_only(target: cst.BaseExpression) -> bool:
    if isinstance(target, cst.Name):
        return True
    if isinstance(target, cst.Tuple | cst.List):
        return all(_names_only(e.value) for e in target.elements)
    if isinstance(target, cst.StarredElement):
        return _names_only(target.value)
    return False


def _call_use_ok(scope: Scope, call: cst.Call, cur: cst.CSTNode, n: cst.Name) -> bool:
    if call.func is not cur:
        return False
    if not isinstance(cur, cst.Attribute):
        return False  # calling the parameter itself runs unknown code
    facts = scope.call(call)
    if facts is None:
        return False
    receiver = cur.value
    from agent.engines.rules.stdlib import MUTATING_METHODS

    if cur.attr.value in MUTATING_METHODS:
        return receiver is n and scope.fresh.get(n.value, 0) >= 1
    return True


# --- results --------------------------------------------------------------------------------


def _returns(scope: Scope) -> tuple[str, bool]:
    kinds: list[str] = []
    never_none = _ends_in_exit(_block(scope.fn.body))
    for n in walk(scope.fn.body):
        if not isinstance(n, cst.Return):
            continue
        if n.value is None or (isinstance(n.value, cst.Name) and n.value.value == "None"):
            never_none = False
            kinds.append("immutable")
            continue
        kind, not_none = _value_kind(scope, n.value)
        kinds.append(kind)
        never_none = never_none and not_none
    if not kinds:
        return "immutable", False
    return max(kinds, key=lambda k: _ORDER[k]), never_none


def _value_kind(scope: Scope, value: cst.BaseExpression) -> tuple[str, bool]:
    if _immutable_expr(scope, value):
        literal_none = isinstance(value, cst.Name) and value.value == "None"
        return "immutable", not literal_none and not isinstance(value, cst.Name | cst.IfExp)
    if isinstance(value, cst.List | cst.Set | cst.Dict | cst.ListComp | cst.SetComp | cst.DictComp):
        return "fresh", True
    if isinstance(value, cst.Name) and scope.fresh.get(value.value, 0) >= 1:
        return "fresh", True
    if isinstance(value, cst.Call):
        facts = scope.call(value)
        if facts is not None and facts.returns in _ORDER:
            return facts.returns, facts.never_none
    return "unknown", False


def _ends_in_exit(body: Sequence[cst.CSTNode]) -> bool:
    if not body:
        return False
    last = body[-1]
    if isinstance(last, cst.SimpleStatementLine):
        return isinstance(last.body[-1], cst.Return | cst.Raise)
    if isinstance(last, cst.If) and last.orelse is not None:
        other = last.orelse
        rest: Sequence[cst.CSTNode] = [other] if isinstance(other, cst.If) else _block(other.body)
        return _ends_in_exit(_block(last.body)) and _ends_in_exit(rest)
    return False


def _block(suite: cst.BaseSuite) -> Sequence[cst.CSTNode]:
    return suite.body if isinstance(suite, cst.IndentedBlock) else ()


# --- closedness -----------------------------------------------------------------------------


def _closed(scope: Scope) -> bool:
    """Reads no module state that could change: only immutable constants, functions and
    classes of the repository, imported standard-library names and builtins."""
    project = scope.project
    for n in name_nodes(scope.fn.body):
        name = n.value
        if name in scope.locals or name in ("True", "False", "None"):
            continue
        dotted = scope.dotted(n)
        if dotted is not None:
            head = dotted.split(".")[0]
            if head == "builtins":
                if name in PURE_BUILTIN_CALLS or name in EXCEPTIONS:
                    continue
                return False
            if stdlib_kind(dotted) is not None or _stdlib_module(dotted):
                continue
            return False
        found = project.lookup(scope.path, name)
        if found is None:
            return False
        where, node = found
        if isinstance(node, cst.FunctionDef):
            from agent.engines.rules.project import FunctionRef

            if not scope.effects.summary(FunctionRef(where, name, node)).closed:
                return False
        elif not isinstance(node, cst.ClassDef) and not constant_value(project, where, name):
            return False
    return True


def _stdlib_module(dotted: str) -> bool:
    return dotted in ("re", "math", "unicodedata", "string", "datetime", "decimal", "statistics")


def constant_value(project: object, path: str, name: str) -> bool:
    """`name` is bound once at module level to an immutable literal value (or a compiled
    regular expression) and no function declares it `global`."""
    from agent.engines.rules.project import Project

    assert isinstance(project, Project)
    module = project.modules.get(path)
    node = project.defs.get(path, {}).get(name)
    if module is None or not isinstance(node, cst.Assign | cst.AnnAssign):
        return False
    if bound_names(module).get(name) != 1 or node.value is None:
        return False
    for n in walk(module, into_scopes=True):
        if isinstance(n, cst.Global) and any(i.name.value == name for i in n.names):
            return False
    return _literal(node.value)


def _literal(value: cst.BaseExpression) -> bool:
    if isinstance(value, _IMMUTABLE_LITERALS | cst.ConcatenatedString):
        return True
    if isinstance(value, cst.Name):
        return value.value in ("True", "False", "None")
    if isinstance(value, cst.UnaryOperation):
        return isinstance(value.expression, cst.Integer | cst.Float)
    if isinstance(value, cst.Tuple):
        return all(_literal(e.value) for e in value.elements)
    if isinstance(value, cst.Call) and code_of(value.func) in ("frozenset", "re.compile"):
        return all(_literal(a.value) or _attr_flag(a.value) for a in value.args)
    return False


def _attr_flag(value: cst.BaseExpression) -> bool:
    return isinstance(value, cst.Attribute) and code_of(value.value) == "re"


# --- constructors ---------------------------------------------------------------------------


def constructor_pure(effects: Effects, cls: cst.ClassDef) -> bool:
    """Building an instance runs no code with effects: an exception class without methods,
    or a dataclass without `__init__` whose `__post_init__` (if any) is pure."""
    body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
    methods = {s.name.value: s for s in body if isinstance(s, cst.FunctionDef)}
    bases = {code_of(b.value).rsplit(".", 1)[-1] for b in cls.bases}
    if not methods and (bases & EXCEPTIONS or any(b.endswith("Error") for b in bases)):
        return True
    decorators = {code_of(d.decorator).split("(")[0] for d in cls.decorators}
    if not decorators & {"dataclass", "dataclasses.dataclass"} or "__init__" in methods:
        return False
    post = methods.get("__post_init__")
    if post is None:
        return True
    from agent.engines.rules.project import FunctionRef

    for path, (where, node) in [(p, v) for p, v in effects.project.classes.items()]:
        if node is cls:
            return effects.summary(FunctionRef(where, f"{path}.__post_init__", post, path)).pure
    return False


def in_own_scope(node: cst.CSTNode) -> bool:
    return not isinstance(node, SCOPES)
