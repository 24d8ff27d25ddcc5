"""Tables built in a repository that uses `decimal` (`ONE + Decimal(n) / Decimal(d)` for
every step of a price ladder): building, converting, comparing or formatting a Decimal
reads the thread's decimal context (precision, rounding, capitals, traps) and raises its
flags. Such a table is kept per context settings, built in a copy of the context, and the
flags its building raised are raised again at every call that reads it."""

from __future__ import annotations

import functools
from collections.abc import Sequence

import libcst as cst

from agent.engines.rules.closedness import _depth_dependent, constant_name
from agent.engines.rules.constants import CONTEXT_NAMES, touches_context
from agent.engines.rules.edits import fresh_name, module_helper
from agent.engines.rules.effects import Scope
from agent.engines.rules.inline import _all_params
from agent.engines.rules.project import FunctionRef, Project
from agent.engines.rules.rewrite import Change, FunctionContext
from agent.engines.rules.syntax import bound_names, code_of, name_nodes, walk

_SETTINGS = '''def {name}(context):
    """What Decimal arithmetic gives (or raises) under `context`: all of it but its flags."""
    return (
        context.prec,
        context.rounding,
        context.Emin,
        context.Emax,
        context.capitals,
        context.clamp,
        tuple(context.traps.values()),
    )
'''

_RAISE = '''def {name}(context, signals):
    """Raise the flags of `signals` in `context`, as the arithmetic that raised them did."""
    for signal in signals:
        context.flags[signal] = True
'''


def uses_decimal(project: object) -> bool:
    """Some module of the repository names the `decimal` module (`import decimal`, `from
    decimal import ...`): a Decimal may then reach a table (through a constant, an argument
    default, a helper's result), and building, converting, comparing or formatting one reads
    the context (its precision, rounding, capitals, traps) and raises its flags, in ways
    that are hard to rule out one by one."""
    assert isinstance(project, Project)
    return _uses_decimal(project)


@functools.lru_cache(maxsize=32)  # by the sources' content (an id could be reused)
def _uses_decimal(project: Project) -> bool:
    return any(
        (isinstance(n, cst.ImportFrom) and n.module is not None and code_of(n.module) == "decimal")
        or (isinstance(n, cst.Import) and any(code_of(a.name) == "decimal" for a in n.names))
        for module in project.modules.values()
        for n in walk(module, into_scopes=True)
    )


def closed_under_context(scope: Scope, n: cst.Name, seen: set[tuple[str, str]]) -> bool:
    """A name (not a local) whose value cannot change, where a repository function may do
    Decimal arithmetic (here or in what it calls): it then depends on the context alone.
    Nothing may touch the context object itself."""
    if scope.dotted(n) in CONTEXT_NAMES:
        return False
    return constant_name(scope, n) or _context_function(scope, n, seen)


def _context_function(scope: Scope, n: cst.Name, seen: set[tuple[str, str]]) -> bool:
    if n.value in scope.locals:
        return False
    found = scope.project.lookup(scope.path, n.value)
    fn = found[1] if found is not None else None
    if found is None or not isinstance(fn, cst.FunctionDef):
        return False
    where, name = found[0], fn.name.value
    if not scope.effects.summary(FunctionRef(where, name, fn)).pure:
        return False
    if (where, name) in seen:
        return True  # a cycle: closed if the rest of it is
    seen.add((where, name))
    inner = scope.effects.scope(where, fn, None)
    if _depth_dependent(inner) or touches_context(inner, fn):
        return False  # the context object named in the body or in a default
    defaults = [p.default for p in _all_params(fn) if p.default is not None]
    return all(
        m.value in inner.locals or closed_under_context(inner, m, seen)
        for part in (fn.body, *defaults)
        for m in name_nodes(part)
    )


def context_cell(
    ctx: FunctionContext, change: Change, name: str, stmts: Sequence[cst.BaseStatement]
) -> list[cst.BaseStatement]:
    """The statements that take `name` from a cell keyed by the decimal context's settings
    (raising the flags its building raised), or build it in a copy of the context and keep
    it there."""
    cell = fresh_name(f"_{name.lstrip('_')}_tables", ctx.module_names)
    change.constants.append(cst.parse_statement(f"{cell} = {{}}\n"))
    module = fresh_name("_decimal", ctx.module_names)
    change.imports.append(f"import decimal as {module}")
    settings = module_helper(
        ctx.module, ctx.module_names, change.constants, "_decimal_settings",
        lambda n: _SETTINGS.format(name=n),
    )  # fmt: skip
    raise_flags = module_helper(
        ctx.module, ctx.module_names, change.constants, "_raise_decimal_flags",
        lambda n: _RAISE.format(name=n),
    )  # fmt: skip
    taken = set(bound_names(ctx.fn)) | ctx.module_names
    here, key, signals, building = (
        fresh_name(n, taken) for n in ("_context", "_settings", "_signals", "_building")
    )
    text = (
        f"{here} = {module}.getcontext()\n"
        f"{key} = {settings}({here})\n"
        f"if {key} in {cell}:\n"
        f"    {name}, {signals} = {cell}[{key}]\n"
        f"    {raise_flags}({here}, {signals})\n"
        f"else:\n"
        f"    with {module}.localcontext() as {building}:\n"
        f"        {building}.clear_flags()\n"
        f"        try:\n"
        f"            pass\n"
        f"        finally:\n"
        f"            {signals} = tuple(s for s, on in {building}.flags.items() if on)\n"
        f"            {raise_flags}({here}, {signals})\n"
        f"    {cell}[{key}] = ({name}, {signals})\n"
    )
    built = [s.with_changes(leading_lines=[]) for s in stmts]
    return list(cst.parse_module(text).visit(_Into(built)).body)  # the nodes, not their text


class _Into(cst.CSTTransformer):
    """Put the table's own statements (as nodes: a multi-line string keeps its lines) in
    place of the `try` block's `pass`."""

    def __init__(self, stmts: list[cst.BaseStatement]) -> None:
        self.stmts = stmts

    def leave_Try(self, original: cst.Try, updated: cst.Try) -> cst.Try:
        return updated.with_changes(body=updated.body.with_changes(body=self.stmts))
