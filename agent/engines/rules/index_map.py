"""`xs.index(v)` in a loop over an `xs` the loop leaves alone ⇒ a map of each value's first
position, built once at the first lookup: a scan per lookup becomes a dict lookup."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from agent.engines.rules.edits import code, fresh_name, module_helper
from agent.engines.rules.iteration import NOTE_BUILTINS, Notes
from agent.engines.rules.places import enclosing_loops, shadowed, stmt_of
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.stable import arguments_stable
from agent.engines.rules.syntax import bound_names, declared_global, names_in, walk

_EXACT = "(str, int, float, bool, bytes, type(None))"
"""Types whose equal values always hash alike, so a dict finds what `==` finds."""


class IndexMap(Rule):
    """`xs.index(v)` (one argument) inside a loop that neither rebinds `xs` nor changes
    anything it may reach ⇒ `_index_in(xs, positions := _positions_of(xs, positions), v)`,
    `positions = None` before the outermost such loop.

    Precondition: `xs` is a local name (or parameter) not declared global; the loop is pure
    apart from changes to the function's own fresh containers, none of which `xs` may
    reach (`stable.py`). At run time the map is built only for a list or tuple whose items
    are all str, int, float, bool, bytes or None (each value keeps its first position, as
    `index` finds it), and used only for a value of those types; a value it lacks, any
    other value and any other `xs` go to `xs.index(v)` itself, which answers or raises as
    before. The map is built at the first lookup, where the scan would have run.
    """

    id = "index-map"
    title = "look positions up in a map instead of scanning with index()"

    def find(self, ctx: FunctionContext) -> list[Site]:
        sites = []
        for node in walk(ctx.fn):
            if not isinstance(node, cst.Call) or not isinstance(node.func, cst.Attribute):
                continue
            func = node.func
            if func.attr.value != "index" or not isinstance(func.value, cst.Name):
                continue
            if len(node.args) != 1 or node.args[0].keyword is not None or node.args[0].star:
                continue
            name = func.value.value
            if name in declared_global(ctx.fn) or name not in ctx.scope.locals:
                continue
            loop = _outer_loop(ctx, node, name)
            if loop is not None and not shadowed(ctx, NOTE_BUILTINS):
                extra = (name, stmt_of(ctx, loop), loop)
                sites.append(ctx.site(node, f"`{name}.index(...)`", extra))
        return sites

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        helpers = _helpers(ctx, change)
        maps: dict[tuple[int, str], str] = {}
        notes = Notes(ctx, change)
        for site in sites:
            name, outer, loop = site.extra
            key = (id(outer), name)
            if key not in maps:
                maps[key] = fresh_name(f"{name}_positions", ctx.module_names)
                init = cst.parse_statement(f"{maps[key]} = None\n")
                change.insert_before(outer, init)
            positions, value = maps[key], code(site.node.args[0].value)
            mapped = (
                f"{helpers[1]}({name}, ({positions} := {helpers[0]}({name}, {positions})), "
                f"({value}))"
            )
            ran = notes.flag(loop, outer)
            new = cst.parse_expression(
                f"({name}.index({value}) if {ran} else {mapped})" if ran else mapped
            )
            change.replace[id(site.node)] = lambda _u, new=new: new
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        where = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"look up {where} in a map of first positions built once, instead of scanning "
            "the sequence on every iteration (the sequence does not change in the loop)"
        )


def _outer_loop(ctx: FunctionContext, call: cst.Call, name: str) -> cst.CSTNode | None:
    """The outermost loop around `call` that leaves `name` and what it reaches alone."""
    for loop in enclosing_loops(ctx, call):
        bound = set(bound_names(loop))
        if isinstance(loop, cst.For):
            bound |= names_in(loop.target)
        if name in bound or not ctx.scope.pure(loop):
            continue
        if not isinstance(ctx.parents.get(id(stmt_of(ctx, loop))), cst.IndentedBlock):
            continue
        return loop if arguments_stable(ctx, loop, {name}) else None
    return None


def _helpers(ctx: FunctionContext, change: Change) -> tuple[str, str]:
    """The module-level `_positions_of(items, known)` and `_index_in(items, positions, v)`."""

    def helper(base: str, text: str) -> str:
        return module_helper(
            ctx.module, ctx.module_names, change.constants, base, lambda n: text.format(name=n)
        )

    return helper("_positions_of", _POSITIONS_OF), helper("_index_in", _INDEX_IN)


_POSITIONS_OF = (
    "def {name}(items, known):\n"
    '    """`known`, or else the first position of each value of `items` (False when `items`\n'
    f'    is not a list or tuple of {_EXACT[1:-1]} values)."""\n'
    "    if known is not None:\n"
    "        return known\n"
    "    if type(items) not in (list, tuple):\n"
    "        return False\n"
    f"    if not set(map(type, items)) <= set({_EXACT}):\n"
    "        return False\n"
    "    positions = {{}}\n"
    "    for i, item in enumerate(items):\n"
    "        positions.setdefault(item, i)\n"
    "    return positions\n"
)
_INDEX_IN = (
    "def {name}(items, positions, value):\n"
    '    """`items.index(value)`, found in `positions` when it can be."""\n'
    f"    if positions is not False and type(value) in {_EXACT}:\n"
    "        found = positions.get(value)\n"
    "        if found is not None:\n"
    "            return found\n"
    "    return items.index(value)\n"
)
