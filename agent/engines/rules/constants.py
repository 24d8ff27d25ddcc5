"""Module-level values that cannot change: names bound once to literals, to immutable
standard-library values built from literals (`ZERO = Decimal("0")`), or to tables the
repository only reads, and set from nowhere else; and the Decimal arithmetic whose result
depends on the thread's decimal context, which is state."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import libcst as cst

from agent.engines.rules.readonly import literal_table, only_read, split_literal
from agent.engines.rules.syntax import bound_names, code_of, names_in, walk
from agent.engines.rules.typeinfo import IMMUTABLE_STDLIB, uncallable

if TYPE_CHECKING:
    from agent.engines.rules.effects import Scope
    from agent.engines.rules.project import Project

_IMMUTABLE_LITERALS = cst.Integer | cst.Float | cst.Imaginary | cst.SimpleString


def constant_value(project: object, path: str, name: str, depth: int = 0) -> bool:
    """`name` is bound once at module level to an immutable literal value (or a compiled
    regular expression), an immutable standard-library value built from such values, or a
    table of them the repository only reads (`agent.engines.rules.readonly`), and no
    function declares it `global`."""
    from agent.engines.rules.project import Project

    assert isinstance(project, Project)
    if depth > _DEPTH:
        return False
    module = project.modules.get(path)
    node = project.defs.get(path, {}).get(name)
    if module is None or not isinstance(node, cst.Assign | cst.AnnAssign):
        return False
    if bound_names(module).get(name) != 1 or node.value is None:
        return False
    for n in walk(module, into_scopes=True):
        if isinstance(n, cst.Global) and any(i.name.value == name for i in n.names):
            return False
    if name in rebound_from_outside(project, path):
        return False
    if _literal(node.value) or immutable_construction(project, path, node.value, depth) is not None:
        return True
    return literal_table(node.value, _literal) and only_read(project, path, name)


def rebound_from_outside(project: object, path: str) -> frozenset[str]:
    """Names of the module `path` that code may set from elsewhere: `mod.NAME = v` (or
    `del`, augmented) through an import of it anywhere in the repository, and every name
    when anything reaches a module's namespace wholesale (`globals()`, `__globals__`,
    `setattr`/`vars` on a module, `__dict__` of one)."""
    from agent.engines.rules.project import Project

    assert isinstance(project, Project)
    return _rebound(project, path)


@functools.lru_cache(maxsize=256)  # by the sources' content (an id could be reused)
def _rebound(project: Project, path: str) -> frozenset[str]:
    out: set[str] = set()
    every = set(project.defs.get(path, {}))
    for other, module in project.modules.items():

        def names_module(node: cst.BaseExpression, other: str = other) -> bool:
            return isinstance(node, cst.Name) and project.module_alias(other, node.value) == path

        for n in walk(module, into_scopes=True):
            if _wholesale(n, names_module):
                return frozenset(every)
            targets: list[cst.BaseExpression] = []
            if isinstance(n, cst.Assign):
                targets = [t.target for t in n.targets]
            elif isinstance(n, cst.AugAssign | cst.AnnAssign | cst.Del):
                targets = [n.target]
            out |= {
                t.attr.value
                for t in targets
                if isinstance(t, cst.Attribute) and names_module(t.value)
            }
    return frozenset(out)


def _wholesale(n: cst.CSTNode, names_module: object) -> bool:
    """`n` reaches a module's namespace as a whole: `f.__globals__`, `globals()`, or
    `mod.__dict__`, `setattr(mod, ...)`, `vars(mod)`, `delattr(mod, ...)` of the module."""
    assert callable(names_module)
    if isinstance(n, cst.Attribute):
        return n.attr.value == "__globals__" or (
            n.attr.value == "__dict__" and names_module(n.value)
        )
    if not isinstance(n, cst.Call):
        return False
    if code_of(n.func) == "globals":
        return True
    return (
        code_of(n.func) in ("setattr", "vars", "delattr")
        and bool(n.args)
        and names_module(n.args[0].value)
    )


def immutable_class(project: object, path: str, func: cst.BaseExpression) -> str | None:
    """The immutable standard-library class `func` names in `path` (`Decimal` imported from
    `decimal`, or `decimal.Decimal` with `decimal` imported), or None."""
    found = imported_name(project, path, func)
    return None if found is None else IMMUTABLE_STDLIB.get((found[0], found[1] or ""))


def imported_name(
    project: object, path: str, expr: cst.BaseExpression
) -> tuple[str, str | None] | None:
    """(module, name) of what `expr` names in `path` through its imports (`Decimal` from
    `from decimal import Decimal`, `decimal.Decimal` with `import decimal`); None for
    anything else, and for a module of the repository's (it may be called `decimal` too)."""
    from agent.engines.rules.project import Project

    assert isinstance(project, Project)
    imports = project.imports.get(path, {})
    found: tuple[str, str | None] | None = None
    if isinstance(expr, cst.Name):
        found = imports.get(expr.value)
    elif isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name):
        module = imports.get(expr.value.value)
        found = (module[0], expr.attr.value) if module is not None and not module[1] else None
    return None if found is None or found[0] in project.by_dotted else found


_ALTERNATIVE = frozenset(
    {
        ("date", "fromisoformat"),
        ("date", "fromordinal"),
        ("datetime", "combine"),
        ("datetime", "fromisoformat"),
        ("datetime", "fromordinal"),
        ("time", "fromisoformat"),
        ("Decimal", "from_float"),
        ("Fraction", "from_float"),
        ("Fraction", "from_decimal"),
    }
)
"""Alternative constructors of the immutable standard-library classes whose value depends on
their arguments alone (not `today`, `now` or `fromtimestamp`, which read the clock or the
time zone, nor `strptime`, which reads the locale)."""
_DEPTH = 4
"""How deep constants built from constants are followed."""


def immutable_construction(
    project: object, path: str, value: cst.BaseExpression, depth: int = 0
) -> str | None:
    """`Decimal("0.01")`, `timedelta(days=1)`, `datetime.combine(DAY, time(0))`: an immutable
    standard-library value built by its class or an alternative constructor of it from
    literals, such values and module constants of them (the class's name), or None."""
    if not isinstance(value, cst.Call) or any(a.star for a in value.args) or depth > _DEPTH:
        return None
    made = immutable_class(project, path, value.func)
    func = value.func
    if made is None and isinstance(func, cst.Attribute):
        owner = immutable_class(project, path, func.value)
        made = owner if (owner, func.attr.value) in _ALTERNATIVE else None
    if made is None:
        return None
    for arg in value.args:
        v = arg.value
        if _literal(v) or immutable_construction(project, path, v, depth + 1) is not None:
            continue
        if not (isinstance(v, cst.Name) and constant_value(project, path, v.value, depth + 1)):
            return None
    return made


def _literal(value: cst.BaseExpression) -> bool:
    if isinstance(value, _IMMUTABLE_LITERALS | cst.ConcatenatedString):
        return True
    if isinstance(value, cst.Name):
        return value.value in ("True", "False", "None")
    if isinstance(value, cst.UnaryOperation):
        return isinstance(value.expression, cst.Integer | cst.Float)
    if isinstance(value, cst.Tuple):
        return all(_literal(e.value) for e in value.elements)
    if not isinstance(value, cst.Call):
        return False
    if (
        code_of(value.func) in ("frozenset", "tuple")
        and len(value.args) == 1
        and split_literal(value.args[0].value, _literal)
    ):
        return True  # frozenset("a b c".split())
    if code_of(value.func) in ("frozenset", "re.compile"):
        return all(_literal(a.value) or _attr_flag(a.value) for a in value.args)
    return False


def _attr_flag(value: cst.BaseExpression) -> bool:
    return isinstance(value, cst.Attribute) and code_of(value.value) == "re"


# --- the decimal context ----------------------------------------------------------------------


def real_decimal(project: object) -> bool:
    """Every `Decimal` the repository names is `decimal.Decimal`: no definition of its own
    by that name, no `Decimal` imported from another module, no `x.Decimal` of a module
    other than `decimal` (annotations spell types by name alone)."""
    from agent.engines.rules.project import Project

    assert isinstance(project, Project)
    return _real_decimal(project)


@functools.lru_cache(maxsize=32)
def _real_decimal(project: Project) -> bool:
    return all(_decimal_only(project, path, module) for path, module in project.modules.items())


def decimal_method(project: object, kind: str, method: str) -> bool:
    """`method` of a `decimal.Decimal`: it makes a new immutable value."""
    from agent.engines.rules.stdlib import DECIMAL_METHODS

    return kind == "obj:Decimal" and method in DECIMAL_METHODS and real_decimal(project)


def _decimal_only(project: Project, path: str, module: cst.Module) -> bool:
    imports = project.imports.get(path, {})
    for local, (source, attr) in imports.items():
        if (local == "Decimal" or attr == "Decimal") and (source, attr) != ("decimal", "Decimal"):
            return False
        if local == "decimal" and (source, attr) != ("decimal", None):
            return False
    for n in walk(module, into_scopes=True):
        if isinstance(n, cst.ImportFrom | cst.Import) and "Decimal" in code_of(n):
            plain = isinstance(n, cst.ImportFrom) and not n.relative and n.module is not None
            if not plain or code_of(n.module) != "decimal":  # type: ignore[union-attr,arg-type]
                return False
        other = isinstance(n, cst.Attribute) and n.attr.value == "Decimal"
        if other and (code_of(n.value) != "decimal" or "decimal" not in imports):  # type: ignore[attr-defined]
            return False
        if isinstance(n, cst.ClassDef | cst.FunctionDef) and n.name.value == "Decimal":
            return False
    return "Decimal" not in project.defs.get(path, {})


CONTEXT_NAMES = frozenset(
    f"decimal.{n}"
    for n in (
        "getcontext",
        "setcontext",
        "localcontext",
        "Context",
        "DefaultContext",
        "BasicContext",
        "ExtendedContext",
    )
)
"""What reads or changes a decimal context object itself (its settings, its flags)."""


def touches_context(scope: Scope, node: cst.CSTNode) -> bool:
    """`node` names a decimal context (`decimal.getcontext()`, `localcontext`): what it
    computes may read the thread's context, flags included, which is state."""
    return any(
        isinstance(n, cst.Name | cst.Attribute) and scope.dotted(n) in CONTEXT_NAMES
        for n in walk(node, into_scopes=True)
    )


def decimal_context(scope: Scope, node: cst.CSTNode) -> bool:
    """`node` computes a Decimal by arithmetic, a method or a builtin (`a / b`, `d.quantize`,
    `sum(ds)`, `-d`): the result depends on the thread's decimal context (its precision,
    rounding and traps), which is state. Building one from a value (`Decimal("1.5")`) does
    not."""
    for n in walk(node, into_scopes=True):
        if isinstance(n, cst.AugAssign):
            if scope.env.infer(n.target).kind == "obj:Decimal":
                return True
        elif isinstance(n, cst.Call) and _decimal_call(scope, n):
            return True
        elif isinstance(n, cst.BinaryOperation | cst.UnaryOperation):
            if isinstance(n, cst.UnaryOperation) and isinstance(n.operator, cst.Not):
                continue
            if scope.env.infer(n).kind == "obj:Decimal":
                return True
    return False


def _decimal_call(scope: Scope, call: cst.Call) -> bool:
    """A method of a Decimal (`quantize`, `sqrt`...), or `sum`/`abs`/`round`/`pow`/`divmod`
    of Decimals, or anything else inferred to give a Decimal but building one."""
    func = call.func
    if isinstance(func, cst.Attribute) and scope.env.infer(func.value).kind == "obj:Decimal":
        return True
    if scope.builtin(func) in ("sum", "abs", "round", "pow", "divmod"):
        for arg in call.args:
            t = scope.env.infer(arg.value)
            if "obj:Decimal" in (t.kind, t.elem.kind if t.elem else ""):
                return True
    if scope.env.infer(call).kind != "obj:Decimal":
        return False
    return immutable_class(scope.project, scope.path, func) is None  # `Decimal(x)` is exact


def uncallable_value(scope: Scope, expr: cst.BaseExpression) -> bool:
    """No one can call the value of `expr`: a str, a number or None (`re.sub`'s replacement
    string, a `key=None`), or an item of a module table of literals."""
    return uncallable(scope.env.infer(expr)) or _table_item(scope, expr)


def _table_item(scope: Scope, expr: cst.BaseExpression) -> bool:
    """`expr` is a name bound only as the target of a `for` over a module table of literals
    (`for pattern, repl in SUFFIX_RULES`): it holds a literal, or a list made of them."""
    if not isinstance(expr, cst.Name) or expr.value in scope.params:
        return False
    if bound_names(scope.fn).get(expr.value) != 1:
        return False
    for loop in walk(scope.fn.body):
        if isinstance(loop, cst.For) and expr.value in names_in(loop.target):
            table = loop.iter
            return (
                isinstance(table, cst.Name)
                and table.value not in scope.locals
                and constant_value(scope.project, scope.path, table.value)
            )
    return False
