"""The source templates of the generated results tables (`cache-pure-function-guarded`'s
decorator, `cache-recursive-guarded`'s lookup and keep): their shared parts, how a template
becomes code, and how a module's copy of a helper is recognised as one of them."""

from __future__ import annotations

import functools

import libcst as cst

from agent.engines.rules.caching import CACHE_SIZE
from agent.engines.rules.project import Project
from agent.engines.rules.syntax import bound_names, code_of, walk

SERVED = ("str", "int", "float")
"""The argument types the tables serve."""
IMMUTABLE = """    immutable = {str, int, float, bool, bytes, complex, type(None), datetime.date,
                 datetime.datetime, datetime.time, datetime.timedelta, decimal.Decimal,
                 fractions.Fraction}
"""
KEPT = """    def record(kind):  # a namedtuple class itself: a tuple whose instances have no __dict__
        return kind.__bases__ == (tuple,) and "_fields" in vars(kind) and (
            vars(kind).get("__slots__") == ()
        )

    def kept(result):
        kind = type(result)
        if kind in immutable or (kind is tuple or record(kind)) and all(
            type(x) in immutable for x in result
        ):
            return result, None
        if kind is list and all(type(x) in immutable for x in result):
            return list(result), list
        if kind is dict and all(type(k) in immutable for k in result):
            if all(type(v) in immutable for v in result.values()):
                return dict(result), dict
        return None
"""
"""The helpers' shared parts: which results are kept, and how (as they are, or a copy)."""


def helper_call(project: Project, path: str, expr: cst.BaseExpression, template: str) -> bool:
    """`expr` is `name(frozenset([...]))` of str/int/float type tuples, where `name` is bound
    once in `path` to the helper `template` writes, exactly as written."""
    if not isinstance(expr, cst.Call) or not isinstance(expr.func, cst.Name):
        return False
    if len(expr.args) != 1 or expr.args[0].keyword is not None or expr.args[0].star:
        return False
    served = expr.args[0].value
    if not isinstance(served, cst.Call) or code_of(served.func) != "frozenset":
        return False
    if {n.value for n in walk(served) if isinstance(n, cst.Name)} - {"frozenset", *SERVED}:
        return False
    name = expr.func.value
    module, node = project.modules.get(path), project.defs.get(path, {}).get(name)
    if module is None or not isinstance(node, cst.FunctionDef):
        return False
    return bound_names(module).get(name) == 1 and code_of(
        node.with_changes(leading_lines=())
    ) == helper_code(template, name)


def helper_text(template: str, name: str) -> str:
    """A helper's source from its template (`_HELPER` here, or another rule's)."""
    return template.format(name=name, size=CACHE_SIZE, immutable=IMMUTABLE, kept=KEPT)


@functools.cache
def helper_code(template: str, name: str) -> str:
    """The helper's code as `code_of` prints it, for comparing with what a module holds."""
    helper = cst.parse_module(helper_text(template, name)).body[0]
    return code_of(helper.with_changes(leading_lines=()))
