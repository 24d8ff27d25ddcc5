"""Per-value caches: pure functions of hashable arguments, and costly standard-library parsing
(`strptime`, `fromisoformat`, literal regular expressions) applied again to repeated values."""

from __future__ import annotations

import keyword
from collections.abc import Sequence
from typing import Any

import libcst as cst

from agent.engines.rules.clock_state import reads_clock_state
from agent.engines.rules.constants import constant_value
from agent.engines.rules.edits import code, fresh_name
from agent.engines.rules.places import module_ref
from agent.engines.rules.project import FunctionRef
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.syntax import bound_names, names_in, type_checked, walk
from agent.engines.rules.typeinfo import T, annotation_type, exact_key, immutable

CACHE_SIZE = 65536
"""Entries kept per cache: enough for any workload's distinct values, bounded for a server."""

_CHEAP_BUILTINS = frozenset({"len", "abs", "int", "float", "str", "bool", "min", "max", "round"})


def lru_decorator(functools: str) -> cst.Decorator:
    return cst.Decorator(
        decorator=cst.parse_expression(f"{functools}.lru_cache(maxsize={CACHE_SIZE}, typed=True)")
    )


class CachePureFunction(Rule):
    """A pure function of hashable arguments, called again with values it has seen ⇒
    `@functools.lru_cache(maxsize=65536, typed=True)`.

    Precondition: module-level, not async, no decorators, not recursive (see `lru-cache`);
    every parameter is a plain one annotated str, int, bool, bytes or None (or tuples of
    those: equal values are indistinguishable, which floats are not) with a literal default
    if any; the return annotation is immutable (a cached result is shared); the repository-
    wide effect analysis finds the body pure and closed (no side effects, reads no module
    state that could change, calls only such functions); and the body does real work (a
    loop, a comprehension or a non-trivial call), so the cache lookup is cheaper.
    """

    id = "cache-pure-function"
    title = "cache a pure function's results per argument value"

    def find(self, ctx: FunctionContext) -> list[Site]:
        fn = ctx.fn
        if "." in ctx.qualname or fn.decorators or fn.asynchronous is not None:
            return []
        ps = fn.params
        if isinstance(ps.star_arg, cst.Param) or ps.star_kwarg is not None:
            return []
        params = [*ps.posonly_params, *ps.params, *ps.kwonly_params]
        if not params or not all(_key_param(p) for p in params):
            return []
        if type_checked(fn, {p.name.value for p in params}):
            return []  # the annotations are not a contract: `cache-pure-function-guarded`
        returns = annotation_type(fn.returns.annotation) if fn.returns else None
        if not immutable(returns) or _names_project_class(ctx, returns):
            return []
        if bound_names(ctx.module).get(fn.name.value) != 1:
            return []
        summary = ctx.scope.effects.summary(FunctionRef(ctx.path, ctx.qualname, fn))
        if not summary.closed or _calls_itself(fn) or not _does_work(ctx):
            return []
        return [ctx.site(fn.name, f"`{fn.name.value}`")]

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        deco = lru_decorator(module_ref(ctx, "functools", change))
        change.replace[id(ctx.fn)] = lambda u: u.with_changes(decorators=[deco, *u.decorators])
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        return (
            f"cache the results of the pure function {sites[0].detail} per argument value "
            f"(functools.lru_cache, {CACHE_SIZE} entries) so repeated values are computed once"
        )


def _names_project_class(ctx: FunctionContext, t: T | None) -> bool:
    """A `date` or `Decimal` the repository defines itself is not the immutable stdlib one."""
    if t is None:
        return False
    if t.kind.startswith("obj:") and t.kind[4:] in ctx.project.classes:
        return True
    return any(_names_project_class(ctx, i) for i in (t.items or ())) or _names_project_class(
        ctx, t.elem
    )


def _key_param(p: cst.Param) -> bool:
    if p.annotation is None or not exact_key(annotation_type(p.annotation.annotation)):
        return False
    default = p.default
    return (
        default is None
        or isinstance(default, cst.SimpleString | cst.Integer | cst.ConcatenatedString)
        or (isinstance(default, cst.Name) and default.value in ("None", "True", "False"))
    )


def _calls_itself(fn: cst.FunctionDef) -> bool:
    return any(
        isinstance(n, cst.Call) and isinstance(n.func, cst.Name) and n.func.value == fn.name.value
        for n in walk(fn)
    )


def _does_work(ctx: FunctionContext) -> bool:
    for n in walk(ctx.fn.body):
        if isinstance(n, cst.For | cst.While | cst.BaseComp):
            return True
        if isinstance(n, cst.Call) and ctx.scope.builtin(n.func) not in _CHEAP_BUILTINS:
            return True
    return False


# --- cached standard-library calls ------------------------------------------------------------

_ROOTS = {
    "datetime.datetime.strptime": 0,
    "datetime.datetime.fromisoformat": 0,
    "datetime.date.fromisoformat": 0,
    "time.strptime": 0,
    "unicodedata.normalize": 1,
    "re.sub": 2,
    "re.subn": 2,
    "re.fullmatch": 1,
    "re.match": 1,
    "re.search": 1,
}
"""Calls that reject a non-str value with TypeError (as a cache's hashing does) and whose
result is immutable: dotted name -> position of the value; every other argument must be a
literal."""

_THEN = frozenset(
    [
        "date",
        "time",
        "strftime",
        "isoformat",
        "weekday",
        "isoweekday",
        "isocalendar",
        "toordinal",
        "lower",
        "upper",
        "strip",
        "lstrip",
        "rstrip",
        "casefold",
        "title",
        "replace",
        "removeprefix",
        "removesuffix",
        "group",
        "groups",
    ]
)
"""Methods of the root's result (a date, str or match) that may join the cached chain."""


class CachedCall(Rule):
    """`datetime.strptime(value, "%Y-%m-%d").date()` (also `fromisoformat`, literal `re.sub`/
    `re.match`..., `unicodedata.normalize`) on values that repeat ⇒ a module-level
    `functools.lru_cache`d helper called with the value.

    Precondition: the call names the standard-library function through the module's own
    imports (not shadowed in the function); every argument but the value is a literal (a
    `re.sub` replacement must be a literal string, not a function) or, outside nested
    functions, a module constant (`DATE_FORMAT`: bound once to an immutable literal, never
    rebound), which the helper takes as a parameter so that its value is part of the cache
    key (a test may patch it); the chain's result is
    immutable (dates, strings, match objects, tuples). The value itself is evaluated where it
    was; a value of the wrong type still raises TypeError, from the cache instead of the call.
    """

    id = "cached-call"
    title = "cache costly parsing of repeated values"

    def find(self, ctx: FunctionContext) -> list[Site]:
        if any("cache" in code(d.decorator) for d in ctx.fn.decorators):
            return []  # the whole function is cached already
        sites = []
        taken: set[int] = set()
        for node in walk(ctx.fn):
            if not isinstance(node, cst.Call) or id(node) in taken:
                continue
            root = _root(ctx, node)
            if root is None:
                continue
            top = _extend(ctx, node)
            value = node.args[root].value
            taken |= {id(n) for n in walk(top)}
            sites.append(ctx.site(top, f"`{code(top)}`", extra=value))
        return sites

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        functools = module_ref(ctx, "functools", change)
        made: dict[str, str] = {}
        for site in sites:
            value = site.extra
            taken = names_in(site.node) | set(keyword.kwlist)
            param = fresh_name("value" if "value" not in taken else "text", taken)
            # a module constant is handed to the helper, so the cache is keyed on its value
            # too (a test may patch it) and the caller's scope still resolves it
            named = _constant_args(site.node, value)
            params: dict[str, str] = {}
            for n in named:
                params.setdefault(n.value, fresh_name(n.value.lower(), taken))
            body = _replace_value(site.node, {value: param, **{n: params[n.value] for n in named}})
            text = code(body)
            if text not in made:
                name = fresh_name(f"_{_helper_stem(site.node)}_cached", ctx.module_names)
                made[text] = name
                signature = ", ".join([param, *dict.fromkeys(params.values())])
                helper = cst.parse_statement(
                    f"@{functools}.lru_cache(maxsize={CACHE_SIZE}, typed=True)\n"
                    f"def {name}({signature}):\n    return {text}\n"
                )
                lines = [cst.EmptyLine(), cst.EmptyLine()]
                change.constants.append(helper.with_changes(leading_lines=lines))
            given = [cst.Arg(cst.Name(n)) for n in params]
            call = cst.Call(cst.Name(made[text]), args=[cst.Arg(value), *given])
            change.replace[id(site.node)] = lambda _u, call=call: call
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        calls = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"compute {calls} once per distinct value through a module-level "
            "functools.lru_cache helper"
        )


def _root(ctx: FunctionContext, call: cst.Call) -> int | None:
    dotted = ctx.scope.dotted(call.func)
    position = _ROOTS.get(dotted or "")
    if (
        position is None
        or len(call.args) <= position
        or reads_clock_state(ctx.project, dotted or "")
    ):
        return None
    if any(a.star for a in call.args) or call.args[position].keyword is not None:
        return None
    head = code(call.func).split(".")[0]
    if head in ctx.scope.locals:
        return None
    for i, arg in enumerate(call.args):
        if i == position:
            continue
        if arg.keyword is not None and arg.keyword.value not in ("count", "flags"):
            return None
        if not _literal(ctx, arg.value):
            return None
    return position


def _literal(ctx: FunctionContext, value: cst.BaseExpression) -> bool:
    """A literal, a `re` flag, or a module constant (`DATE_FORMAT = "%Y-%m-%d"`, bound once
    and never rebound: the helper reads the same value the call did)."""
    if isinstance(value, cst.SimpleString | cst.Integer | cst.ConcatenatedString):
        return True
    if isinstance(value, cst.Name) and value.value not in ctx.scope.locals:
        if ctx.cls is None and "." in ctx.qualname:
            return False  # a nested function: an enclosing one may bind the name
        return _module_constant(ctx, value.value)
    dotted = ctx.scope.dotted(value)
    return bool(dotted and dotted.startswith("re.") and dotted.split(".")[1].isupper())


def _module_constant(ctx: FunctionContext, name: str) -> bool:
    """`name` is bound once in this module, by an assignment or an import of a name that
    `constants.constant_value` finds constant where it is defined, and no function of this
    module declares it `global`."""
    found = ctx.project.lookup(ctx.path, name)
    if found is None or bound_names(ctx.module).get(name) != 1:
        return False
    where, node = found
    defined = [k for k, v in ctx.project.defs.get(where, {}).items() if v is node]
    for n in walk(ctx.module, into_scopes=True):
        if isinstance(n, cst.Global) and any(i.name.value == name for i in n.names):
            return False
    return len(defined) == 1 and constant_value(ctx.project, where, defined[0])


def _extend(ctx: FunctionContext, node: cst.Call) -> cst.BaseExpression:
    """The largest chain of literal-argument methods applied to the call's result."""
    top: cst.BaseExpression = node
    while True:
        attr = ctx.parents.get(id(top))
        call = ctx.parents.get(id(attr))
        if not (
            isinstance(attr, cst.Attribute)
            and attr.value is top
            and attr.attr.value in _THEN
            and isinstance(call, cst.Call)
            and call.func is attr
            and all(_literal(ctx, a.value) and not a.star for a in call.args)
            and not reads_clock_state(ctx.project, attr.attr.value)
        ):
            return top
        top = call


def _constant_args(top: cst.BaseExpression, value: cst.BaseExpression) -> list[cst.Name]:
    """The module constants the chain is given (every argument but the value that is a name)."""
    return [
        n.value
        for n in walk(top)
        if isinstance(n, cst.Arg) and isinstance(n.value, cst.Name) and n.value is not value
    ]


def _replace_value(top: cst.BaseExpression, names: dict[cst.CSTNode, str]) -> cst.BaseExpression:
    """`top` with each of the nodes `names` keys (by identity) replaced by that name."""
    by_id = {id(node): name for node, name in names.items()}

    class Swap(cst.CSTTransformer):
        def on_leave(self, original: cst.CSTNode, updated: cst.CSTNode) -> Any:
            return cst.Name(by_id[id(original)]) if id(original) in by_id else updated

    return top.visit(Swap())  # type: ignore[return-value]


def _helper_stem(top: cst.BaseExpression) -> str:
    node: cst.CSTNode = top
    while isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        inner = node.func.value
        if not isinstance(inner, cst.Call):
            return node.func.attr.value
        node = inner
    return "call"
