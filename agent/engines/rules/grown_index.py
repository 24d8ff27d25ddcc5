"""Get-or-create over a list the function builds: `for t in trips: if t["trip_id"] == wanted:
trip = t; break`, then a new record appended when none matched. A dict of each key's first
record, kept beside the list at every append, answers the search instead of a scan of
everything appended so far."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from agent.engines.rules.edits import code, fresh_name, module_helper
from agent.engines.rules.grown_records import (
    built_by_class,
    built_with,
    held_safely,
    key_changes,
)
from agent.engines.rules.list_uses import inside, list_init, method_call, uses_of
from agent.engines.rules.places import store_target
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.syntax import bound_names, name_nodes, walk

_HELPER = '''
def {name}(index, key, record):
    """`index` with `record` under `key` unless an earlier record has that key; None (no
    index from then on) when the key is not exactly a str or an int, for which alone a dict
    finds the same keys as `==` does."""
    if index is None or (type(key) is not str and type(key) is not int):
        return None
    index.setdefault(key, record)
    return index
'''


@dataclass(frozen=True)
class _Search:
    loop: cst.For
    probe: str
    found: str | None
    """The name the match is bound to before `break`; None when the loop returns it."""


@dataclass(frozen=True)
class _Plan:
    name: str
    key: str
    """How a record's key is read: `["trip_id"]` (a dict's item) or `.ident` (an attribute)."""
    searches: tuple[_Search, ...]
    appends: tuple[tuple[cst.SimpleStatementLine, str], ...]
    """Each `xs.append(...)` line and how the index reads the record it appends."""


class GrownListIndex(Rule):
    """`xs = []`; searches `for t in xs: if t["k"] == p: found = t; break` (or `return t`,
    or `t.k == p`); appends `xs.append(e)` ⇒ `xs_index = {}` beside the list, `xs_index =
    _index_first(xs_index, e["k"], e)` after each append, and each search answered by
    `xs_index` when it exists and the list is not empty and `p` is exactly a str or an int
    (else the loop runs as before).

    Precondition: `xs` is a plain local bound once, to `[]`, used only by `append`
    statements, such searches (one key for all), `len(xs)` and `return xs`; the loop
    variable is not read after its loop, and the probe `p` is a plain name the loop does not
    bind, so reading it once instead of once per record does not change what it reads. A
    record's key never changes while the list is in use:
    - dict records: each is a dict display with the key among its literal keys (no `**`),
      bound on the line before its append; nothing in the function stores, deletes or
      augments any `[<the key>]`, and the names that hold records (the loop variable,
      `found`, `e`) are only bound, read by subscription (or a different field's method
      call: `e["times"].append(...)`), tested with `is` / `is not`, appended or returned,
      so a record never reaches code that could change its key;
    - object records: each is built by `K(...)` (in the append or on the line before), `K`
      a class whose objects keep the key attribute as `__init__` set it (`fixed_attribute`);
      the list may then also be iterated and indexed.
    At run time the index gives up for good at the first key that is not exactly a str or
    an int.
    """

    id = "grown-list-index"
    title = "look records up by key in a dict kept beside the list a function builds"

    def find(self, ctx: FunctionContext) -> list[Site]:
        sites = []
        for name in sorted(bound_names(ctx.fn)):
            init = list_init(ctx, name)
            plan = _plan(ctx, name, init) if init is not None else None
            if plan is not None and init is not None:
                sites.append(ctx.site(init, f"`{name}`", extra=plan))
        return sites

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        helper = module_helper(
            ctx.module, ctx.module_names, change.constants, "_index_first",
            lambda n: _HELPER.format(name=n).lstrip(),
        )  # fmt: skip
        for site in sites:
            plan: _Plan = site.extra
            index = fresh_name(f"{plan.name}_index", ctx.module_names)
            start = cst.parse_statement(f"{index} = {{}}\n")
            change.replace[id(site.node)] = lambda u, s=start: cst.FlattenSentinel([u, s])
            for line, record in plan.appends:
                keep = cst.parse_statement(
                    f"{index} = {helper}({index}, {record}{plan.key}, {record})\n"
                )
                change.replace[id(line)] = lambda u, k=keep: cst.FlattenSentinel([u, k])
            for search in plan.searches:
                change.replace[id(search.loop)] = lambda u, s=search, xs=plan.name, i=index: (
                    _answered(u, s, xs, i)
                )
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        names = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"keep a dict of each key's first record beside {names} as it grows (while the "
            "keys are str or int) and look records up in it instead of scanning the list"
        )


def _answered(loop: cst.For, search: _Search, xs: str, index: str) -> cst.If:
    p = search.probe
    hit = f"{search.found} = {index}[{p}]" if search.found else f"return {index}[{p}]"
    text = (
        f"if {index} is None or not {xs} or (type({p}) is not str and type({p}) is not int):\n"
        f"    pass\nelif {p} in {index}:\n    {hit}\n"
    )
    made = cst.ensure_type(cst.parse_statement(text), cst.If)
    body = made.body.with_changes(body=[loop.with_changes(leading_lines=())])
    return made.with_changes(body=body, leading_lines=loop.leading_lines)


def _plan(ctx: FunctionContext, name: str, init: cst.SimpleStatementLine) -> _Plan | None:
    searches: list[_Search] = []
    keys: set[str] = set()
    iterated = False
    appends: list[tuple[cst.SimpleStatementLine, str]] = []
    for n, parent in uses_of(ctx, name):
        if inside(init, n):
            continue
        if method_call(ctx, n, parent) == "append":
            added = _append(ctx, parent)
            if added is None:
                return None
            appends.append(added)
        elif isinstance(parent, cst.For | cst.CompFor) and parent.iter is n:
            found = _search(ctx, parent) if isinstance(parent, cst.For) else None
            if found is None:
                iterated = True  # a plain read of every record
                continue
            searches.append(found[0])
            keys.add(found[1])
        elif _item_read(ctx, n, parent):
            iterated = True  # hands out a record, as iteration does
        elif not _plain_read(ctx, n, parent):
            return None
    if not searches or not appends or len(keys) != 1:
        return None
    key = keys.pop()
    if key.startswith("."):
        if not all(built_by_class(ctx, line, key[1:]) for line, _ in appends):
            return None
        appends = [(line, f"{name}[-1]") for line, _ in appends]
    elif iterated:
        return None  # a dict read through the list could change a key under another name
    else:
        literal = key[1:-1]
        if not all(built_with(ctx, line, record, literal) for line, record in appends):
            return None
        held = {r for _, r in appends} | {s.found for s in searches if s.found}
        held |= {cst.ensure_type(s.loop.target, cst.Name).value for s in searches}
        if key_changes(ctx, literal) or not all(held_safely(ctx, h, literal, name) for h in held):
            return None
    return _Plan(name, key, tuple(searches), tuple(appends))


def _item_read(ctx: FunctionContext, n: cst.Name, parent: cst.CSTNode | None) -> bool:
    """`xs[i]` read (not stored to or deleted)."""
    if not isinstance(parent, cst.Subscript) or parent.value is not n:
        return False
    up = ctx.parents.get(id(parent))
    return not store_target(ctx, parent) and not isinstance(up, cst.Element | cst.Tuple | cst.List)


def _plain_read(ctx: FunctionContext, n: cst.Name, parent: cst.CSTNode | None) -> bool:
    """`return xs` or `len(xs)`."""
    if isinstance(parent, cst.Return):
        return True
    call = ctx.parents.get(id(parent))
    return (
        isinstance(parent, cst.Arg)
        and isinstance(call, cst.Call)
        and len(call.args) == 1
        and ctx.scope.builtin(call.func) == "len"
    )


def _append(
    ctx: FunctionContext, attr: cst.CSTNode | None
) -> tuple[cst.SimpleStatementLine, str] | None:
    call = ctx.parents.get(id(attr))
    expr = ctx.parents.get(id(call))
    line = ctx.parents.get(id(expr))
    if not (isinstance(call, cst.Call) and isinstance(expr, cst.Expr)):
        return None
    if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
        return None
    if len(call.args) != 1 or call.args[0].keyword or call.args[0].star:
        return None
    value = call.args[0].value
    return line, code(value)


def _search(ctx: FunctionContext, loop: cst.For) -> tuple[_Search, str] | None:
    """`for t in xs: if t[KEY] == p: found = t; break` (or `return t`): the search and KEY."""
    if loop.orelse is not None or loop.asynchronous is not None:
        return None
    if not isinstance(loop.target, cst.Name) or not isinstance(loop.body, cst.IndentedBlock):
        return None
    t = loop.target.value
    body = loop.body.body
    if len(body) != 1 or not isinstance(body[0], cst.If) or body[0].orelse is not None:
        return None
    test = body[0].test
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return None
    if not isinstance(test.comparisons[0].operator, cst.Equal):
        return None
    left, right = test.left, test.comparisons[0].comparator
    if _keyed(left, t) is None:
        left, right = right, left
    key = _keyed(left, t)
    if key is None or not isinstance(right, cst.Name) or right.value == t:
        return None
    found = _takes(body[0], t)
    if found is False or right.value in bound_names(loop):
        return None
    own = _comprehension_names(ctx.fn, t)
    outside = [x for x in name_nodes(ctx.fn) if x.value == t and not inside(loop, x)]
    if any(id(x) not in own for x in outside):
        return None  # after the loop `t` would be the last record read
    return _Search(loop, right.value, found), key  # type: ignore[arg-type]


def _comprehension_names(fn: cst.FunctionDef, t: str) -> set[int]:
    """The ids of the mentions of `t` inside comprehensions that bind a `t` of their own."""
    out: set[int] = set()
    for node in walk(fn):
        if not isinstance(node, cst.ListComp | cst.SetComp | cst.GeneratorExp | cst.DictComp):
            continue
        clause: cst.CompFor | None = node.for_in
        while clause is not None:
            if t in {n.value for n in walk(clause.target) if isinstance(n, cst.Name)}:
                out |= {id(n) for n in walk(node)}
                break
            clause = clause.inner_for_in
    return out


def _keyed(expr: cst.BaseExpression, t: str) -> str | None:
    """The accessor of `t["literal"]` (`["literal"]`) or of `t.attr` (`.attr`)."""
    if isinstance(expr, cst.Attribute) and code(expr.value) == t:
        return f".{expr.attr.value}"
    if not isinstance(expr, cst.Subscript) or code(expr.value) != t or len(expr.slice) != 1:
        return None
    index = expr.slice[0].slice
    if isinstance(index, cst.Index) and isinstance(index.value, cst.SimpleString):
        return f"[{code(index.value)}]"
    return None


def _takes(match: cst.If, t: str) -> str | bool | None:
    """The name `found = t; break` binds, None for `return t`, False for anything else."""
    lines = match.body.body if isinstance(match.body, cst.IndentedBlock) else ()
    if not lines or not all(isinstance(line, cst.SimpleStatementLine) for line in lines):
        return False
    smalls = [s for line in lines for s in cst.ensure_type(line, cst.SimpleStatementLine).body]
    if len(smalls) == 1 and isinstance(smalls[0], cst.Return):
        value = smalls[0].value
        return None if isinstance(value, cst.Name) and value.value == t else False
    if len(smalls) != 2 or not isinstance(smalls[1], cst.Break):
        return False
    bind = smalls[0]
    if not isinstance(bind, cst.Assign) or len(bind.targets) != 1:
        return False
    target, value = bind.targets[0].target, bind.value
    if not isinstance(target, cst.Name) or not isinstance(value, cst.Name) or value.value != t:
        return False
    return target.value if target.value != t else False
