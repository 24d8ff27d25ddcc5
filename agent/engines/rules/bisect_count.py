"""How many items of a collection rank above a value (`1 + sum(1 for o in rows if o["score"] >
value)`, the competition rank), counted again for every value: the count is read from the
items' keys sorted once, with `bisect`, once `hoist-pure-call` keeps that sorted copy across
the loop (this rule only enables it)."""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from agent.engines.rules.edits import code, module_helper
from agent.engines.rules.places import enclosing_loops, module_ref, shadowed
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.syntax import names_in, walk

_OPS = {
    cst.GreaterThan: ">",
    cst.GreaterThanEqual: ">=",
    cst.LessThan: "<",
    cst.LessThanEqual: "<=",
}
_BUILTINS = frozenset(
    {"sum", "len", "list", "sorted", "type", "int", "float", "bool", "str", "Exception"}
)

_KEYS = '''

def {name}(items, index):
    """(each item's key in order, the keys sorted or None, the exception reading a key
    raised or None): sorted only when every key is an int, bool or float (not NaN), or every
    key a str, where sorting orders them as `<` does one by one."""
    keys, error = [], None
    try:
        for item in items:
            keys.append(item if index is None else item[index])
    except Exception as exc:
        error = exc
    numbers = all(type(k) in (int, float, bool) and k == k for k in keys)
    if error is None and (numbers or all(type(k) is str for k in keys)):
        return keys, sorted(keys), numbers, None
    return keys, None, numbers, error
'''

_COUNT = '''

def {name}(found, op, value, value_first):
    """How many keys compare with the value as `key <op> value` (or `value <op> key` when
    `value_first`): counted with bisect on the sorted keys when the value is of their kind,
    else one comparison per key in order, raising where the scan over the items raised."""
    keys, ordered, numbers, error = found
    if not keys:
        if error is not None:
            raise error
        return 0
    if numbers:
        plain = type(value) in (int, float, bool) and value == value
    else:
        plain = type(value) is str
    if ordered is not None and plain:
        if value_first:
            op = {{">": "<", ">=": "<=", "<": ">", "<=": ">="}}[op]
        if op == ">":
            return len(ordered) - {bisect}.bisect_right(ordered, value)
        if op == ">=":
            return len(ordered) - {bisect}.bisect_left(ordered, value)
        if op == "<":
            return {bisect}.bisect_left(ordered, value)
        return {bisect}.bisect_right(ordered, value)
    count = 0
    for key in keys:
        left, right = key, value
        if value_first:
            left, right = value, key
        if op == ">":
            hit = left > right
        elif op == ">=":
            hit = left >= right
        elif op == "<":
            hit = left < right
        else:
            hit = left <= right
        if hit:
            count += 1
    if error is not None:
        raise error
    return count
'''


class CountByBisect(Rule):
    """`sum(1 for o in items if o[k] > value)` (or `len([o for o in items if ...])`, with
    `>`, `>=`, `<`, `<=`, either way round, `o` or `o[constant]` the item's key) inside a loop
    ⇒ `_count_compared(_ordered_keys(items, k), ">", value, False)`: the keys are
    read in one scan and sorted (`_ordered_keys`), and the count comes from bisect. Alone it
    gains nothing (it sorts where it scanned); it enables `hoist-pure-call`, which keeps the
    sorted keys across the loop when `items` does not change there, so each count is a
    bisect instead of a scan.

    Precondition: the generator or comprehension has one `for` over a name, or a dict's
    `.values()`, with a name target, one `if` that is a single comparison of the key with
    `value`, and yields `1` (or, for `len`, the item or a constant); `value` mentions not the
    item and holds no call, `:=`, `await`, `yield` or lambda (it is read once instead of once per
    item); the call sits in a loop; `sum`, `len` and the builtins the helpers call are not
    shadowed. At run time bisect answers only when every key is an int, bool or float (not
    NaN), or every key a str, and the value is of their kind; otherwise each key is compared
    with the value in order, as the scan did, and an exception reading a key is raised after
    the comparisons before it.
    """

    id = "count-by-bisect"
    title = "count the keys above a value by bisecting them sorted, instead of scanning"
    adds_helpers = True

    def find(self, ctx: FunctionContext) -> list[Site]:
        if shadowed(ctx, _BUILTINS):
            return []
        deleted = {n for d in walk(ctx.fn) if isinstance(d, cst.Del) for n in names_in(d)}
        sites = []
        for node in walk(ctx.fn):
            if not isinstance(node, cst.Call):
                continue
            loops = enclosing_loops(ctx, node)
            if loops:
                found = _count_of(node, _targets(loops) - deleted)
                if found is not None:
                    sites.append(ctx.site(node, f"`{code(node)}`", extra=found))
        return sites

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        bisect = module_ref(ctx, "bisect", change)
        keys = module_helper(
            ctx.module, ctx.module_names, change.constants, "_ordered_keys",
            lambda n: _KEYS.format(name=n).lstrip(),
        )  # fmt: skip
        count = module_helper(
            ctx.module, ctx.module_names, change.constants, "_count_compared",
            lambda n: _COUNT.format(name=n, bisect=bisect).lstrip(),
        )  # fmt: skip
        for site in sites:
            items, index, op, value, value_first = site.extra
            text = f"{count}({keys}({code(items)}, {index}), {op!r}, {code(value)}, {value_first})"
            new = cst.parse_expression(text)
            change.replace[id(site.node)] = lambda _u, new=new: new
        return change


def _targets(loops: Sequence[cst.CSTNode]) -> set[str]:
    """The names the loops around a node bind as their targets."""
    out: set[str] = set()
    for loop in loops:
        fors = [loop.for_in] if hasattr(loop, "for_in") else [loop]
        while fors:
            cur = fors.pop()
            if isinstance(cur, cst.For | cst.CompFor):
                out |= names_in(cur.target)
            if isinstance(cur, cst.CompFor) and cur.inner_for_in is not None:
                fors.append(cur.inner_for_in)
    return out


def _count_of(call: cst.Call, bound: set[str]) -> tuple | None:
    """(items, key index text, op, value, value first) of a count the rule serves."""
    if not isinstance(call.func, cst.Name) or len(call.args) != 1:
        return None
    arg = call.args[0]
    if arg.keyword or arg.star:
        return None
    comp = arg.value
    if call.func.value == "sum" and isinstance(comp, cst.GeneratorExp):
        if not (isinstance(comp.elt, cst.Integer) and comp.elt.value == "1"):
            return None
    elif call.func.value == "len" and isinstance(comp, cst.ListComp):
        if not isinstance(comp.elt, cst.Integer | cst.SimpleString | cst.Name):
            return None
    else:
        return None
    loop = comp.for_in
    if loop.inner_for_in is not None or loop.asynchronous or len(loop.ifs) != 1:
        return None
    if not isinstance(loop.target, cst.Name) or not _items(loop.iter):
        return None
    item = loop.target.value
    if isinstance(comp.elt, cst.Name) and comp.elt.value != item:
        return None
    return _compared(loop.ifs[0].test, item, loop.iter, bound)


def _items(node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.Name):
        return True
    return (
        isinstance(node, cst.Call)
        and not node.args
        and isinstance(node.func, cst.Attribute)
        and isinstance(node.func.value, cst.Name)
        and node.func.attr.value == "values"
    )


def _compared(
    test: cst.BaseExpression, item: str, items: cst.BaseExpression, bound: set[str]
) -> tuple | None:
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return None
    target = test.comparisons[0]
    op = _OPS.get(type(target.operator))
    if op is None:
        return None
    for key, value, value_first in ((test.left, target.comparator, False),
                                    (target.comparator, test.left, True)):  # fmt: skip
        index = _key_index(key, item)
        if index is not None and _plain_value(value, item, bound) and item not in names_in(items):
            return items, index, op, value, value_first
    return None


def _key_index(key: cst.BaseExpression, item: str) -> str | None:
    if isinstance(key, cst.Name) and key.value == item:
        return "None"
    if not isinstance(key, cst.Subscript) or not isinstance(key.value, cst.Name):
        return None
    if key.value.value != item or len(key.slice) != 1:
        return None
    index = key.slice[0].slice
    if isinstance(index, cst.Index) and isinstance(index.value, cst.Integer | cst.SimpleString):
        return code(index.value)
    return None


def _plain_value(value: cst.BaseExpression, item: str, bound: set[str]) -> bool:
    if isinstance(value, cst.Integer | cst.Float | cst.SimpleString):
        return True
    return isinstance(value, cst.Name) and value.value != item and value.value in bound
