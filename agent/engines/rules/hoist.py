"""Loop-invariant calls to pure repository functions, computed once (lazily) per loop."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import libcst as cst

from agent.engines.rules.edits import code, fresh_name
from agent.engines.rules.effects import CallFacts
from agent.engines.rules.invariant_args import iterated, plain_arguments
from agent.engines.rules.iteration import NOTE_BUILTINS, Notes
from agent.engines.rules.list_uses import read_only, uses_of
from agent.engines.rules.order import evaluated_first, unconditional
from agent.engines.rules.places import enclosing_loops, plain_local, shadowed, stmt_of
from agent.engines.rules.project import FunctionRef
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.stable import arguments_stable
from agent.engines.rules.stdlib import PURE_STDLIB
from agent.engines.rules.syntax import (
    SCOPES,
    bound_names,
    declared_global,
    names_in,
    param_names,
    walk,
)

_COSTLY_BUILTINS = frozenset({"min", "max", "sum", "sorted", "any", "all"})
"""Builtins worth hoisting: they scan their argument (`len` and friends are O(1))."""
_READ_PARENTS = (
    cst.BinaryOperation,
    cst.Comparison,
    cst.ComparisonTarget,
    cst.UnaryOperation,
    cst.FormattedStringExpression,
)


class HoistPureCall(Rule):
    """A call to a pure repository function (or pure standard-library function) whose
    arguments do not change in the loop ⇒ computed once, at its first use in the loop.

    Precondition: the repository-wide effect analysis finds the callee pure; every argument
    is a literal, or a name (or attribute of one) the loop never rebinds; everything the loop
    runs is pure apart from changes to the function's own fresh containers (`out.append`),
    none of which the arguments may reach (`stable.py`: `count(out)` after `out.append(x)`
    is not invariant), so nothing the call reads can change between iterations; the result is immutable, or
    only read (an operand, or an argument the callee neither changes nor keeps), so sharing
    one result is unobservable; the call runs unconditionally in its statement, after only
    trivial evaluations. It is computed lazily (`if v is None: v = f(a)` just before that
    statement), so a loop that never runs never calls it and an exception is raised at the
    same point as before. An argument not known to be a value that iterating leaves intact
    (a list, a string, a number...) may be a one-shot iterator, which the first call would
    use up: the call is then made again on every iteration whenever that argument is an
    iterator (`isinstance(gen, Iterator)`), as before the rewrite. So it is on every iteration
    of a loop over something that is not a builtin container (the caller's generator may
    change what the call reads between two items; `iteration.py`).
    """

    id = "hoist-pure-call"
    title = "compute a loop-invariant call to a pure function once"

    def find(self, ctx: FunctionContext) -> list[Site]:
        sites = []
        for node, facts in read_pure_calls(ctx):
            loop = self._loop(ctx, node)
            if loop is None:
                continue
            stmt = stmt_of(ctx, node)
            first = unconditional(ctx, node, stmt) and evaluated_first(ctx, node, stmt)
            if not first and in_nested(ctx, node):
                continue  # kept in place by `:=`, which binds in the function only out here
            outer = stmt_of(ctx, loop)
            if not isinstance(ctx.parents.get(id(outer)), cst.IndentedBlock):
                continue
            if shadowed(ctx, NOTE_BUILTINS):
                continue
            extra = (outer, stmt, facts.never_none, first, loop)
            sites.append(ctx.site(node, f"`{code(node)}`", extra=extra))
        return sites

    def _loop(self, ctx: FunctionContext, node: cst.Call) -> cst.CSTNode | None:
        """The outermost statement loop in which the call is invariant and nothing changes."""
        names = _argument_names(plain_arguments(ctx, node))
        if names is None or names & (declared_global(ctx.fn)):
            return None
        for loop in enclosing_loops(ctx, node):
            if not isinstance(loop, cst.For | cst.While):
                return None
            bound = set(bound_names(loop))
            if isinstance(loop, cst.For):
                bound |= names_in(loop.target)
            if names & bound or not ctx.scope.pure(loop):
                continue
            return loop if arguments_stable(ctx, loop, names) else None
        return None

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        made: dict[tuple[int, str], str] = {}
        notes = Notes(ctx, change)
        guarded: set[tuple[int, str]] = set()
        missing = ""
        for site in sites:
            outer, stmt, never_none, first, loop = site.extra
            text = code(site.node)
            key = (id(outer), text)
            if key not in made:
                made[key] = fresh_name(f"{_stem(site.node)}_value", ctx.module_names)
                if not never_none and not missing:
                    missing = fresh_name("_NOT_COMPUTED", ctx.module_names)
                    change.constants.append(cst.parse_statement(f"{missing} = object()\n"))
                start = "None" if never_none else missing
                init = cst.parse_statement(f"{made[key]} = {start}\n")
                change.insert_before(outer, init)
            name = made[key]
            ran = notes.flag(loop, outer)
            if not first:  # computed where it stands, at its first evaluation
                unset = "None" if never_none else missing
                kept = kept_in_place(
                    ctx, change, site.node, name, unset, iterated(ctx, site.node), ran
                )
                change.replace[id(site.node)] = lambda _u, kept=kept: kept
                continue
            if (id(stmt), name) not in guarded:
                guarded.add((id(stmt), name))
                unset = f"{name} is {'None' if never_none else missing}"
                test = " or ".join(
                    [
                        unset,
                        *one_shot_tests(ctx, change, site.node, iterated(ctx, site.node)),
                        *([ran] if ran else []),
                    ]
                )
                guard = cst.parse_statement(f"if {test}:\n    {name} = {text}\n")
                change.insert_before(stmt, guard)
            change.replace[id(site.node)] = lambda _u, name=name: cst.Name(name)
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        calls = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"compute {calls} once per loop (at its first use) instead of on every iteration: "
            "the callee is pure and its arguments do not change in the loop"
        )


def read_pure_calls(ctx: FunctionContext) -> Iterator[tuple[cst.Call, CallFacts]]:
    """The calls in `ctx.fn` worth computing once (`pure_call_facts`) whose result is
    immutable or only read, so one value may stand for several calls; with their facts."""
    for node in walk(ctx.fn):
        if isinstance(node, cst.Call):
            facts = pure_call_facts(ctx, node)
            if facts is not None and _result_read_only(ctx, node, facts):
                yield node, facts


def pure_call_facts(ctx: FunctionContext, node: cst.Call) -> CallFacts | None:
    """The facts of a call worth computing once: to a pure repository function or method, a
    pure standard-library function or a scanning builtin; None for any other call."""
    scope = ctx.scope
    target = ctx.project.resolve(ctx.path, node.func, ctx.cls)
    dotted = scope.dotted(node.func)
    method = isinstance(node.func, cst.Attribute) and ctx.env.infer(
        node.func.value
    ).kind.startswith("obj:")
    costly = scope.builtin(node.func) in _COSTLY_BUILTINS
    if not (isinstance(target, FunctionRef) or method or dotted in PURE_STDLIB or costly):
        return None
    if any(a.star for a in node.args):
        return None
    return scope.call(node)


_INTACT_WHEN_ITERATED = frozenset(
    {"list", "tuple", "dict", "set", "frozenset", "str", "bytes", "int", "float", "bool", "none"}
)
"""Kinds that iterating leaves as they were (or that cannot be iterated)."""


def _iterator_alias(ctx: FunctionContext, change: Change) -> str:
    """The name `collections.abc.Iterator` is imported as for `change` (imported once)."""
    prefix = "from collections.abc import Iterator as "
    for line in change.imports:
        if line.startswith(prefix):
            return line[len(prefix) :]
    alias = fresh_name("_Iterator", ctx.module_names)
    change.imports.append(prefix + alias)
    return alias


def one_shot_tests(
    ctx: FunctionContext,
    change: Change,
    call: cst.Call,
    iterated: Sequence[cst.BaseExpression] | None = None,
) -> list[str]:
    """`isinstance(a, Iterator)` for each argument of `call` (or each of the values it
    `iterated`, when the caller knows better) that may be a one-shot iterator
    (`_maybe_iterators`): where one holds, the call must run again, as in the original,
    because an earlier call may have used the argument up."""
    values = [a.value for a in call.args] if iterated is None else iterated
    risky = _maybe_iterators(ctx, values)
    if not risky:
        return []
    alias = _iterator_alias(ctx, change)
    return [f"isinstance({arg}, {alias})" for arg in risky]


def _maybe_iterators(ctx: FunctionContext, values: Sequence[cst.BaseExpression]) -> tuple[str, ...]:
    """The values (as code) that may be one-shot iterators: the callee's purity assumes
    iterating an argument changes nothing, which holds for containers, not for generators."""
    risky = []
    for value in values:
        if isinstance(value, cst.Integer | cst.Float | cst.SimpleString):
            continue
        if ctx.env.infer(value).kind not in _INTACT_WHEN_ITERATED:
            risky.append(code(value))
    return tuple(dict.fromkeys(risky))


def _argument_names(call: cst.Call) -> set[str] | None:
    """Names the arguments read, when every argument is a literal or a (dotted) name."""
    names: set[str] = set()
    for arg in call.args:
        value = arg.value
        while isinstance(value, cst.Attribute):
            value = value.value
        if isinstance(value, cst.Name):
            names.add(value.value)
        elif not isinstance(value, cst.Integer | cst.Float | cst.SimpleString):
            return None
    func = call.func
    while isinstance(func, cst.Attribute):
        func = func.value
    if isinstance(func, cst.Name):
        names.add(func.value)
    return names


def _result_read_only(ctx: FunctionContext, call: cst.Call, facts: CallFacts) -> bool:
    if facts.returns == "immutable":
        return True
    parent = ctx.parents.get(id(call))
    if isinstance(parent, _READ_PARENTS):
        return True
    if isinstance(parent, cst.Assign):
        return _bound_to_a_reader(ctx, parent)
    if isinstance(parent, cst.For | cst.CompFor) and parent.iter is call:
        # iterated, never reachable by a name; but an iterator (`reversed(t)`) is used up
        return ctx.env.infer(call).kind in _INTACT_WHEN_ITERATED
    if isinstance(parent, cst.Arg):
        outer = ctx.parents.get(id(parent))
        if isinstance(outer, cst.Call):
            outer_facts = ctx.scope.call(outer)
            index = list(outer.args).index(parent)
            if outer_facts is None or index not in outer_facts.readonly_args:
                return False
            if not outer_facts.passes_through or outer_facts.returns == "immutable":
                return True
            return _result_read_only(ctx, outer, outer_facts)
    return False


def _bound_to_a_reader(ctx: FunctionContext, assign: cst.Assign) -> bool:
    """`v = f(...)` where the plain local `v` is bound only there and every use of it only
    reads it (`v[i]`, `len(v)`, `for x in v`, `x in v`, returning it): one result may then
    serve every run of the statement (`ordered = sorted(values)` in a loop over queries)."""
    if len(assign.targets) != 1 or not isinstance(assign.targets[0].target, cst.Name):
        return False
    target = assign.targets[0].target
    name = target.value
    if bound_names(ctx.fn).get(name) != 1 or name in param_names(ctx.fn):
        return False
    if not plain_local(ctx, name):
        return False
    return all(read_only(ctx, n, up) for n, up in uses_of(ctx, name) if n is not target)


def _stem(call: cst.Call) -> str:
    func = call.func
    name = func.attr.value if isinstance(func, cst.Attribute) else code(func)
    return name.strip("_") or "call"


def kept_in_place(
    ctx: FunctionContext,
    change: Change,
    call: cst.Call,
    name: str,
    unset: str,
    iterated: Sequence[cst.BaseExpression] | None = None,
    ran: str | None = None,
) -> cst.BaseExpression:
    """`call` as its kept value `name` (holding `unset` until then), made at the call's first
    evaluation, and again wherever an argument may be a one-shot iterator (`one_shot_tests`)
    or a loop's iterable may have run code (`ran`, from `iteration.Notes.flag`)."""
    one_shot = one_shot_tests(ctx, change, call, iterated)
    known = " and ".join(
        [
            f"{name} is not {unset}",
            *(f"not {t}" for t in one_shot),
            *([f"not {ran}"] if ran else []),
        ]
    )
    return cst.parse_expression(kept_expression(ctx, call, name, known, code(call)))


def kept_expression(
    ctx: FunctionContext, node: cst.CSTNode, name: str, known: str, text: str
) -> str:
    """The kept value, over three lines inside its parentheses so it reads well in a patch;
    on one line inside an f-string, where a line break is a syntax error before 3.12."""
    cur = ctx.parents.get(id(node))
    while cur is not None and not isinstance(cur, cst.BaseStatement):
        if isinstance(cur, cst.FormattedStringExpression):
            return f"({name} if {known} else ({name} := {text}))"
        cur = ctx.parents.get(id(cur))
    return f"(\n    {name}\n    if {known}\n    else ({name} := {text})\n)"


def in_nested(ctx: FunctionContext, node: cst.CSTNode) -> bool:
    """`node` is inside a nested scope, a comprehension or an f-string of the function."""
    cur = ctx.parents.get(id(node))
    while cur is not None and cur is not ctx.fn:
        if isinstance(cur, (*SCOPES, cst.BaseComp, cst.CompFor, cst.FormattedString)):
            return True
        cur = ctx.parents.get(id(cur))
    return False
