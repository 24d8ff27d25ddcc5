"""Iterating an object that is not a builtin container runs code: a generator's body, a
class's `__iter__` or `__next__`. The caller's generator may change, between two of its
items, what a value kept across a loop's iterations was computed from (`for tick in
clock.ticks(): report(total(state))`, where each tick advances `state`). The effect analysis
assumes iterating changes nothing; a rule that keeps a value across the iterations of a loop
asks here, for every iteration that the loop runs, either a proof that it iterates a builtin
container or a run-time test that says when it may not."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from agent.engines.rules.edits import code, fresh_name
from agent.engines.rules.invariant_args import dict_view
from agent.engines.rules.places import COMPREHENSIONS, CONSUMERS, comp_targets
from agent.engines.rules.rewrite import Change, FunctionContext
from agent.engines.rules.stable import changed_containers
from agent.engines.rules.syntax import bound_names, walk

PLAIN_KINDS = frozenset({"list", "tuple", "dict", "set", "frozenset", "str", "bytes"})
"""Inferred kinds whose iteration runs no code of the program."""
PLAIN_TYPES = "(list, tuple, dict, set, frozenset, str, bytes, range)"
ITERATION_BUILTINS = frozenset({"type", *PLAIN_TYPES.strip("()").split(", ")})
_CONSTANT = "{} = frozenset(" + PLAIN_TYPES + ")\n"
"""Written once to the module: a set already, so no membership rule rewrites it again."""
"""The builtins a test names (a module binding one of them gets no test: it is refused)."""
_WRAPPERS = frozenset({"enumerate", "zip", "reversed", "iter", "map", "filter"})
"""Builtins that iterate their arguments lazily, as they are themselves iterated."""
_VIEWS = frozenset({"items", "keys", "values"})


def iterated_unplain(ctx: FunctionContext, loop: cst.CSTNode) -> list[str] | None:
    """What `loop` iterates while it runs (its own iterable, the iterables of the loops and
    comprehensions in it, what builtins in it iterate) that may run code when iterated, as
    run-time tests that are true when it may have (`type(ticks) not in (list, ...)`; a
    `.items()` view is plain when its object is exactly a dict). Each names (an attribute
    chain of) a name that the loop leaves bound to the same object, so a test that holds once
    holds at every iteration; None when an iterable is not of that form.

    Not seen, so the effect analysis's assumption stands for them: iterations inside
    repository functions the loop calls; `in` (a dunder, like `__eq__`); and iterables bound
    anew in the loop (`for subject in marks` under `for student, marks in table.items()`),
    since a test where the call is sees only the current one, not one that ran before it
    (an exact test would mark the kept value stale at each such loop's start)."""
    tests: list[str] = []
    rebound = set(bound_names(loop)) | comp_targets(loop)
    stored = {n.attr.value for n in _attribute_stores(loop)}
    changed = changed_containers(ctx, loop)
    for it in _iterated(ctx, loop):
        for value, test in _unplain(ctx, it):
            root, exact = _root(value, stored)
            if isinstance(root, cst.Name) and root.value in rebound:
                continue  # bound anew in the loop: see the docstring
            if not isinstance(root, cst.Name) or not exact or changed is None:
                return None
            if root is not value and root.value in changed:
                return None
            if test not in tests:
                tests.append(test)
    return tests


def _root(value: cst.BaseExpression, stored: set[str]) -> tuple[cst.BaseExpression, bool]:
    """The name `value` reads through attributes and subscripts, and whether it reads it
    exactly so (attributes none stored to in the loop, subscripts by a literal); else the
    part where that stops."""
    exact = True
    while True:
        if isinstance(value, cst.Attribute):
            exact = exact and value.attr.value not in stored
            value = value.value
        elif isinstance(value, cst.Subscript):
            index = value.slice[0].slice if len(value.slice) == 1 else None
            literal = isinstance(index, cst.Index) and isinstance(
                index.value, cst.Integer | cst.SimpleString
            )
            exact = exact and literal
            value = value.value
        else:
            return value, exact


def runs_code_tests(ctx: FunctionContext, change: Change, tests: Sequence[str]) -> list[str]:
    """`tests` (from `iterated_unplain`) with the tuple of plain types they name written to
    the module (once) under a fresh name."""
    if not any(PLAIN_TYPES in t for t in tests):
        return list(tests)
    name = next(
        (
            code(c).split(" = ")[0]
            for c in change.constants
            if code(c) == _CONSTANT.format(code(c).split(" = ")[0])
        ),
        None,
    )
    if name is None:
        name = fresh_name("_PLAIN_ITERABLES", ctx.module_names)
        change.constants.append(cst.parse_statement(_CONSTANT.format(name)))
    return [t.replace(PLAIN_TYPES, name) for t in tests]


def plain_test(test: str) -> str:
    """The negation of a test from `runs_code_tests`: true when nothing ran."""
    return test.replace(" not in ", " in ").replace(" is not ", " is ")


def _iterated(ctx: FunctionContext, loop: cst.CSTNode) -> list[cst.BaseExpression]:
    """What `loop` iterates while it runs; what its iterable does as it is evaluated (once,
    before any iteration) is left out, its iteration is not."""
    first: cst.CSTNode | None = None
    if isinstance(loop, cst.For):
        first = loop.iter
    elif isinstance(loop, COMPREHENSIONS):
        first = loop.for_in.iter
    before = {id(n) for n in walk(first, into_scopes=True)} if first is not None else set()
    out: list[cst.BaseExpression] = []
    for n in walk(loop, into_scopes=True):
        if id(n) in before:
            continue
        if isinstance(n, cst.For | cst.CompFor):
            out.append(n.iter)
        elif isinstance(n, cst.Call):
            out.extend(_iterated_args(ctx, n))
    return out


def _iterated_args(ctx: FunctionContext, call: cst.Call) -> list[cst.BaseExpression]:
    """The arguments a builtin call iterates (`sum(xs, start)` iterates only `xs`; `max(a,
    b)` iterates neither; `map(f, xs)` iterates `xs`)."""
    name = ctx.scope.builtin(call.func)
    args = [a.value for a in call.args if not a.keyword]
    if name in ("zip",):
        return args
    if name in ("map", "filter"):
        return args[1:]
    if name in ("min", "max"):
        return args if len(args) == 1 else []
    if name in CONSUMERS | _WRAPPERS | {"dict"}:
        return args[:1]
    return []


def _unplain(ctx: FunctionContext, it: cst.BaseExpression) -> list[tuple[cst.BaseExpression, str]]:
    """What iterating `it` iterates that may run the program's code, each with the test that
    tells: nothing for a builtin container, a literal, a comprehension (whose own iterables
    are iterations of the loop), `range`, a known dict's view or what a call in the (pure)
    loop returns (a generator function is impure); `x` with `type(x) is not
    dict` for another `x.items()`; the arguments of a lazy builtin (`enumerate(ticks)`) that
    are not plain; else `it`, with `type(it) not in (list, ...)`."""
    if isinstance(it, cst.BaseComp | cst.BaseString | cst.Integer | cst.Float):
        return []
    if isinstance(it, cst.List | cst.Tuple | cst.Set | cst.Dict):
        return []
    if isinstance(it, cst.Call):
        name = ctx.scope.builtin(it.func)
        if name == "range" or dict_view(ctx, it):
            return []
        if name in _WRAPPERS and not any(a.star for a in it.args):
            return [v for a in _iterated_args(ctx, it) for v in _unplain(ctx, a)]
        func = it.func
        if isinstance(func, cst.Attribute) and func.attr.value in _VIEWS and not it.args:
            return [(func.value, f"type({code(func.value)}) is not dict")]
        return []  # a pure call's result: a generator function is impure
    if ctx.env.infer(it).kind in PLAIN_KINDS:
        return []
    return [(it, f"type({code(it)}) not in {PLAIN_TYPES}")]


def _attribute_stores(loop: cst.CSTNode) -> list[cst.Attribute]:
    out: list[cst.Attribute] = []
    for node in walk(loop, into_scopes=True):
        targets: list[cst.BaseExpression] = []
        if isinstance(node, cst.Assign):
            targets = [t.target for t in node.targets]
        elif isinstance(node, cst.AugAssign | cst.AnnAssign):
            targets = [node.target]
        out.extend(t for t in targets if isinstance(t, cst.Attribute))
    return out
