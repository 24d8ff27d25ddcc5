"""String building: `s += piece` in a loop becomes a list of pieces joined once."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from agent.engines.rules.edits import fresh_name, insert_before
from agent.engines.rules.places import block_of, enclosing_loops, single_binding
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.syntax import (
    declared_global,
    inside_try,
    name_nodes,
    names_in,
    nested_scope_names,
    walk,
)


class StringJoin(Rule):
    """`s = "..."` then `for ...: s += piece` ⇒ collect pieces in a list, `s += "".join(parts)`.

    Precondition: `s` is a plain local of the function (not global, not seen by a nested
    scope); inside the outermost loop that updates it, every mention of `s` is the target of
    `s += piece` where `piece` is known to be a str and does not mention `s`; the loop's
    statement is not inside `try`/`with` (a handler could see a half-built `s`); `s` is bound
    before the loop in the same block and not mentioned between that binding and the loop.
    """

    id = "string-join"
    title = 'build strings with a list and one "".join'
    rewrites_loops = True

    def find(self, ctx: FunctionContext) -> list[Site]:
        banned = declared_global(ctx.fn) | nested_scope_names(ctx.fn)
        loops_done: set[int] = set()
        sites = []
        for node in walk(ctx.fn):
            if not (
                isinstance(node, cst.AugAssign)
                and isinstance(node.operator, cst.AddAssign)
                and isinstance(node.target, cst.Name)
            ):
                continue
            name = node.target.value
            if name in banned or ctx.env.get(name).kind != "str":
                continue
            loops = [lp for lp in enclosing_loops(ctx, node) if isinstance(lp, cst.For | cst.While)]
            if not loops or id(loops[0]) in loops_done:
                continue
            loop = loops[0]
            if not self._loop_ok(ctx, loop, name):
                continue
            loops_done.add(id(loop))
            sites.append(ctx.site(loop, f"`{name}`", extra=name))
        return sites

    def _loop_ok(self, ctx: FunctionContext, loop: cst.CSTNode, name: str) -> bool:
        if inside_try(loop, ctx.fn, ctx.parents):
            return False
        found = block_of(ctx, loop)
        if found is None:
            return False
        body, idx = found
        # every mention of `name` in the loop must be `name += <str not mentioning name>`
        targets = 0
        mentions = sum(1 for n in name_nodes(loop) if n.value == name)
        for n in walk(loop):
            if isinstance(n, cst.AugAssign) and isinstance(n.target, cst.Name):
                if n.target.value != name:
                    continue
                if not isinstance(n.operator, cst.AddAssign) or name in names_in(n.value):
                    return False
                if ctx.env.infer(n.value).kind != "str":
                    return False
                if enclosing_loops(ctx, n)[:1] != [loop]:
                    return False
                targets += 1
        if targets == 0 or targets != mentions:
            return False
        # bound before the loop in this block, untouched in between
        for prev in reversed(body[:idx]):
            mentioned = name in names_in(prev)
            if not mentioned:
                continue
            return _binds_str(ctx, prev, name)
        return False

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        for site in sites:
            name, loop = site.extra, site.node
            parts = fresh_name(f"{name}_parts", ctx.module_names)
            for n in walk(loop):
                if (
                    isinstance(n, cst.AugAssign)
                    and isinstance(n.target, cst.Name)
                    and n.target.value == name
                ):
                    change.replace[id(n)] = lambda u, parts=parts: cst.Expr(
                        cst.parse_expression(f"{parts}.append(x)").with_changes(
                            args=[cst.Arg(u.value)]
                        )
                    )
            start = cst.parse_statement(f"{parts}: list[str] = []\n")
            after = cst.parse_statement(f'{name} += "".join({parts})\n')
            before = insert_before(loop, start)
            change.replace[id(loop)] = lambda u, before=before, after=after: cst.FlattenSentinel(
                [*before(u).nodes, after]
            )
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        names = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"stop growing the string {names} with += in a loop (quadratic copying); "
            'append the pieces to a list and "".join them once after the loop'
        )


def _binds_str(ctx: FunctionContext, stmt: cst.CSTNode, name: str) -> bool:
    bound = single_binding(stmt)
    if bound is None:
        return False
    target, value = bound
    return (
        isinstance(target, cst.Name)
        and target.value == name
        and name not in names_in(value)
        and ctx.env.infer(value).kind == "str"
    )
