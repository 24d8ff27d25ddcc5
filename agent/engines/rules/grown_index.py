"""Get-or-create over a list the function builds: `for t in trips: if t["trip_id"] == wanted:
trip = t; break`, then a new record appended when none matched. A dict of each key's first
record, kept beside the list at every append, answers the search instead of a scan of
everything appended so far."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from agent.engines.rules.edits import code, fresh_name, module_helper
from agent.engines.rules.list_uses import inside, list_init, method_call, uses_of
from agent.engines.rules.places import block_of
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
_MUTATORS = frozenset({"update", "pop", "popitem", "setdefault", "clear", "__setitem__"})


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
    """The key's literal, as written (`"trip_id"`)."""
    searches: tuple[_Search, ...]
    appends: tuple[tuple[cst.SimpleStatementLine, str], ...]
    """Each `xs.append(e)` line and the name `e` it appends."""


class GrownListIndex(Rule):
    """`xs = []`; searches `for t in xs: if t["k"] == p: found = t; break` (or `return t`);
    appends `xs.append(e)` right after `e = {"k": ..., ...}` ⇒ `xs_index = {}` beside the
    list, `xs_index = _index_first(xs_index, e["k"], e)` after each append, and each search
    answered by `xs_index` when it exists and the list is not empty and `p` is exactly a str
    or an int (else the loop runs as before).

    Precondition: `xs` is a plain local bound once, to `[]`, and used only by `append`
    statements, such searches, `len(xs)` and `return xs`; every appended record is a dict
    display with the key among its literal keys (no `**`) bound on the line before its
    append, so every record has the key and, since nothing in the function stores, deletes
    or augments any `[<the key>]`, keeps it; the names that hold records (the loop variable,
    `found`, `e`) are only bound, read by subscription (`e["k"]`, or a different field's
    method call: `e["times"].append(...)`), tested with `is` / `is not`, appended, or
    returned: a record never reaches code that could change its key. The probe `p` is a
    plain name the loop does not bind, so reading it once instead of once per record does
    not change what it reads; the loop variable is not read after the loop. At run time the
    index gives up for good at the first key that is not exactly a str or an int.
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
                    f"{index} = {helper}({index}, {record}[{plan.key}], {record})\n"
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
    appends: list[tuple[cst.SimpleStatementLine, str]] = []
    for n, parent in uses_of(ctx, name):
        if inside(init, n):
            continue
        if method_call(ctx, n, parent) == "append":
            added = _append(ctx, parent)
            if added is None:
                return None
            appends.append(added)
        elif isinstance(parent, cst.For) and parent.iter is n:
            found = _search(ctx, parent)
            if found is None:
                return None
            searches.append(found[0])
            keys.add(found[1])
        elif not _plain_read(ctx, n, parent):
            return None
    if not searches or not appends or len(keys) != 1:
        return None
    key = keys.pop()
    if not all(_built_with(ctx, line, record, key) for line, record in appends):
        return None
    held = {r for _, r in appends} | {s.found for s in searches if s.found}
    held |= {cst.ensure_type(s.loop.target, cst.Name).value for s in searches}
    if _key_changes(ctx, key) or not all(_held_safely(ctx, h, key) for h in held):
        return None
    return _Plan(name, key, tuple(searches), tuple(appends))


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
    return (line, value.value) if isinstance(value, cst.Name) else None


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
    if not _keyed(left, t):
        left, right = right, left
    if not _keyed(left, t) or not isinstance(right, cst.Name) or right.value == t:
        return None
    key = code(
        cst.ensure_type(cst.ensure_type(left, cst.Subscript).slice[0].slice, cst.Index).value
    )
    found = _takes(body[0], t)
    if found is False or right.value in bound_names(loop):
        return None
    outside = [x for x in name_nodes(ctx.fn) if x.value == t and not inside(loop, x)]
    if outside:
        return None  # after the loop `t` would be the last record read
    return _Search(loop, right.value, found), key  # type: ignore[arg-type]


def _keyed(expr: cst.BaseExpression, t: str) -> bool:
    """`t["literal"]`."""
    if not isinstance(expr, cst.Subscript) or code(expr.value) != t or len(expr.slice) != 1:
        return False
    index = expr.slice[0].slice
    return isinstance(index, cst.Index) and isinstance(index.value, cst.SimpleString)


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


def _built_with(ctx: FunctionContext, line: cst.SimpleStatementLine, record: str, key: str) -> bool:
    """The line before the append binds `record` to a dict display with `key` (no `**`)."""
    found = block_of(ctx, line)
    if found is None or found[1] == 0:
        return False
    before = found[0][found[1] - 1]
    if not isinstance(before, cst.SimpleStatementLine) or len(before.body) != 1:
        return False
    bind = before.body[0]
    if not isinstance(bind, cst.Assign) or len(bind.targets) != 1:
        return False
    target = bind.targets[0].target
    if not isinstance(target, cst.Name) or target.value != record:
        return False
    if not isinstance(bind.value, cst.Dict):
        return False
    elements = bind.value.elements
    if any(not isinstance(e, cst.DictElement) for e in elements):
        return False
    return any(code(e.key) == key for e in elements)  # type: ignore[attr-defined]


def _same_key(index: cst.BaseExpression, key: str) -> bool:
    """Whether a subscript's index may be the key: the same literal, or anything that is
    not another string literal."""
    if isinstance(index, cst.SimpleString):
        try:
            return (
                index.evaluated_value
                == cst.ensure_type(cst.parse_expression(key), cst.SimpleString).evaluated_value
            )
        except Exception:
            return True
    return not isinstance(index, cst.ConcatenatedString | cst.Integer | cst.Float)


def _key_changes(ctx: FunctionContext, key: str) -> bool:
    """Something in the function stores, deletes or augments a subscript that may be the
    key (of any receiver: a record may hide behind another name there)."""
    for node in walk(ctx.fn, into_scopes=True):
        targets: list[cst.BaseExpression] = []
        if isinstance(node, cst.AssignTarget | cst.AugAssign | cst.AnnAssign | cst.Del):
            targets = [node.target]
        elif isinstance(node, cst.For | cst.CompFor | cst.WithItem | cst.NamedExpr):
            targets = [getattr(node, "target", None) or getattr(node, "asname", None)]  # type: ignore[list-item]
        for target in targets:
            for sub in walk(target) if target is not None else ():
                if isinstance(sub, cst.Subscript) and any(
                    isinstance(e.slice, cst.Index) and _same_key(e.slice.value, key)
                    for e in sub.slice
                ):
                    return True
    return False


def _held_safely(ctx: FunctionContext, name: str, key: str) -> bool:
    """Every mention of a name that may hold a record leaves the record's key alone (see the
    rule's precondition)."""
    for n in name_nodes(ctx.fn):
        if n.value != name:
            continue
        parent = ctx.parents.get(id(n))
        if isinstance(parent, cst.AssignTarget | cst.For) and getattr(parent, "target", None) is n:
            continue
        if isinstance(parent, cst.Assign) and parent.value is n:
            owner = ctx.parents.get(id(parent))
            if _break_bind(ctx, owner):
                continue
            return False
        if isinstance(parent, cst.Return | cst.Arg) and _return_or_append(ctx, n, parent):
            continue
        if isinstance(parent, cst.Comparison) and parent.left is n:
            if all(isinstance(c.operator, cst.Is | cst.IsNot) for c in parent.comparisons):
                continue
            return False
        if (
            isinstance(parent, cst.Subscript)
            and parent.value is n
            and _subscript_ok(ctx, parent, key)
        ):
            continue
        return False
    return True


def _break_bind(ctx: FunctionContext, line: cst.CSTNode | None) -> bool:
    """`found = t` followed by `break` (the search's own binding)."""
    block = ctx.parents.get(id(line))
    if not isinstance(block, cst.IndentedBlock) or not isinstance(line, cst.SimpleStatementLine):
        return False
    body = list(block.body)
    at = body.index(line)
    nxt = body[at + 1] if at + 1 < len(body) else None
    return isinstance(nxt, cst.SimpleStatementLine) and isinstance(nxt.body[0], cst.Break)


def _return_or_append(ctx: FunctionContext, n: cst.Name, parent: cst.CSTNode) -> bool:
    if isinstance(parent, cst.Return):
        return True
    call = ctx.parents.get(id(parent))
    return (
        isinstance(call, cst.Call)
        and isinstance(call.func, cst.Attribute)
        and (call.func.attr.value == "append" and len(call.args) == 1)
        and _appends_the_list(ctx, call)
    )


def _appends_the_list(ctx: FunctionContext, call: cst.Call) -> bool:
    func = cst.ensure_type(call.func, cst.Attribute)
    return isinstance(func.value, cst.Name) and list_init(ctx, func.value.value) is not None


def _subscript_ok(ctx: FunctionContext, sub: cst.Subscript, key: str) -> bool:
    """`e[x]` read; as a receiver (`e[x].append(...)`), only of another literal field."""
    up = ctx.parents.get(id(sub))
    if isinstance(up, cst.Attribute) and up.value is sub:
        index = sub.slice[0].slice if len(sub.slice) == 1 else None
        if not isinstance(index, cst.Index) or not isinstance(index.value, cst.SimpleString):
            return False
        return not _same_key(index.value, key) and up.attr.value not in _MUTATORS
    return True
