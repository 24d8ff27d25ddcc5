"""Hand-written factorial functions: a repository function whose body is one of the usual
spellings of a product loop `1 * 2 * ... * n`, so that for a non-negative int `n` it returns
exactly `math.factorial(n)`, with no other effect. `math-comb` treats calls to it like calls
to `math.factorial` (its run-time guard only takes the new path for such `n`)."""

from __future__ import annotations

import itertools

import libcst as cst

from agent.engines.rules.edits import code
from agent.engines.rules.project import FunctionRef
from agent.engines.rules.syntax import bound_names, walk

_UPDATES = ("r *= {i}", "r = r * {i}", "r = {i} * r")
_STEPS = ("i += 1", "i = i + 1")
_DOWN = ("n -= 1", "n = n - 1")


def _loops() -> frozenset[str]:
    """Every accepted body, with the parameter named `n`, the product `r`, the counter `i`.
    Each one is `n!` for every int `n >= 0` (an empty product for 0 and 1), multiplying ints
    only; none recurses, so none can raise RecursionError where `math.factorial` returns."""
    bodies = set()
    for update in _UPDATES:
        up_i, up_n = update.format(i="i"), update.format(i="n")
        for start in ("1", "2"):
            bodies.add(f"r = 1\nfor i in range({start}, n + 1):\n    {up_i}\nreturn r\n")
            for bound, step in itertools.product(("i <= n", "i < n + 1"), _STEPS):
                bodies.add(
                    f"r = 1\ni = {start}\nwhile {bound}:\n    {up_i}\n    {step}\nreturn r\n"
                )
        for nxt in ("i + 1", "(i + 1)"):
            bodies.add(f"r = 1\nfor i in range(n):\n    {update.format(i=nxt)}\nreturn r\n")
        for stop in ("0", "1"):
            bodies.add(f"r = 1\nfor i in range(n, {stop}, -1):\n    {up_i}\nreturn r\n")
            for step in _DOWN:
                bodies.add(f"r = 1\nwhile n > {stop}:\n    {up_n}\n    {step}\nreturn r\n")
    return frozenset(bodies)


_BODIES = _loops()

_NEVER_FOR_COUNTS = frozenset(
    {
        "n < 0",
        "0 > n",
        "n <= -1",
        "not isinstance(n, int)",
        "isinstance(n, bool)",
        "type(n) is not int",
        "type(n) != int",
    }
)
"""Tests that are false for every exact int `n >= 0`: a check before the loop that raises on
them never raises where `math-comb`'s guard takes the new path."""


class _Rename(cst.CSTTransformer):
    def __init__(self, names: dict[str, str]) -> None:
        self.names = names

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        return updated.with_changes(value=self.names.get(updated.value, updated.value))


def is_factorial(fn: cst.FunctionDef) -> bool:
    """`fn` takes one plain positional parameter, has no decorators, and its body (after an
    optional docstring) is one of `_BODIES` up to the names of its parameter and locals."""
    params = fn.params
    if fn.decorators or fn.asynchronous is not None or len(params.params) != 1:
        return False
    if params.posonly_params or params.kwonly_params or params.star_kwarg is not None:
        return False
    if isinstance(params.star_arg, cst.Param | cst.ParamStar):
        return False
    param = params.params[0]
    if param.default is not None or param.star not in ("", cst.MaybeSentinel.DEFAULT):
        return False
    body = list(fn.body.body) if isinstance(fn.body, cst.IndentedBlock) else []
    if body and _docstring(body[0]):
        body = body[1:]
    while body and checks_that_raise(body[0], param.name.value):
        body = body[1:]
    if any(isinstance(n, cst.Global | cst.Nonlocal) for n in walk(fn, into_scopes=True)):
        return False
    local = sorted(set(bound_names(fn)) - {param.name.value})
    if not 1 <= len(local) <= 2:
        return False
    module = cst.Module(
        body=[s for s in body if isinstance(s, cst.SimpleStatementLine | cst.BaseCompoundStatement)]
    )
    for order in itertools.permutations(("r", "i"), len(local)):
        names = {param.name.value: "n", **dict(zip(local, order, strict=True))}
        if len(set(names.values())) != len(names):
            continue
        text = module.visit(_Rename(names)).code
        if _normal(text) in _BODIES:
            return True
    return False


def checks_that_raise(stmt: cst.BaseStatement, param: str) -> bool:
    """`if <test>: raise ...` (no `else`), the test one of `_NEVER_FOR_COUNTS` (or several
    joined by `or`) with the parameter for `n`."""
    if not isinstance(stmt, cst.If) or stmt.orelse is not None:
        return False
    then = stmt.body.body if isinstance(stmt.body, cst.IndentedBlock) else ()
    if len(then) != 1 or not isinstance(then[0], cst.SimpleStatementLine):
        return False
    if len(then[0].body) != 1 or not isinstance(then[0].body[0], cst.Raise):
        return False
    tests = [stmt.test]
    while tests and isinstance(tests[-1], cst.BooleanOperation):
        last = tests.pop()
        if not isinstance(last.operator, cst.Or) or last.lpar:  # type: ignore[attr-defined]
            return False
        tests += [last.left, last.right]  # type: ignore[attr-defined]
    rename = _Rename({param: "n"})
    return all(code(t.visit(rename)) in _NEVER_FOR_COUNTS for t in tests)  # type: ignore[arg-type]


def _docstring(stmt: cst.BaseStatement) -> bool:
    return (
        isinstance(stmt, cst.SimpleStatementLine)
        and len(stmt.body) == 1
        and isinstance(stmt.body[0], cst.Expr)
        and isinstance(stmt.body[0].value, cst.SimpleString | cst.ConcatenatedString)
    )


def _normal(text: str) -> str:
    """The body re-indented to four spaces, without blank or comment-only lines."""
    lines = [line for line in text.splitlines() if line.strip() and line.strip()[0] != "#"]
    if not lines:
        return ""
    unit = next((len(x) - len(x.lstrip()) for x in lines if x[0] == " "), 4) or 4
    out = [" " * 4 * ((len(x) - len(x.lstrip())) // unit) + x.strip() for x in lines]
    return "\n".join(out) + "\n"


def factorial_function(module: cst.Module, ref: FunctionRef) -> bool:
    """`ref` is a top-level hand-written factorial that its module binds exactly once (no
    other `def`, assignment or import of that name, no `import *`, no `global` statement
    naming it), so a call by that name from the same module runs this body; the module does
    not rebind `range` either."""
    if ref.cls is not None or "." in ref.qualname or not is_factorial(ref.fn):
        return False
    if not any(stmt is ref.fn for stmt in module.body):
        return False
    name = ref.fn.name.value
    for node in walk(module, into_scopes=True):
        if isinstance(node, cst.Global) and any(n.name.value == name for n in node.names):
            return False
        if isinstance(node, cst.ImportFrom) and isinstance(node.names, cst.ImportStar):
            return False
    top = bound_names(module)
    builtins = {"range", "isinstance", "type", "int", "bool"}  # the templates and checks
    return top.get(name) == 1 and not builtins & set(top)
