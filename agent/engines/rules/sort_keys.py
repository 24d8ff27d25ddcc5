"""Objects sorted through an `__lt__` that only compares a key (`self.sort_key() <
other.sort_key()`, `(self.a, self.b) < (other.a, other.b)`) ⇒ sorted by that key: one key
per element instead of two per comparison, and the comparisons made in C."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from agent.engines.rules.edits import code, fresh_name, imported_as, is_docstring, module_helper
from agent.engines.rules.effects import effects_of
from agent.engines.rules.project import Project
from agent.engines.rules.rewrite import Change, FunctionContext, Rule, Site
from agent.engines.rules.syntax import walk

TRAPS = ("__getattr__", "__getattribute__")
"""A class defining one of these may run code on every attribute read: the number of reads
would show."""


@dataclass(frozen=True)
class Order:
    """A class whose `__lt__` compares one key of each side, and how to read that key."""

    cls: str
    path: str
    accessor: str
    """`operator.methodcaller("m")` or `operator.attrgetter("a", ...)`, as code."""
    label: str


class SortByKey(Rule):
    """`xs.sort()` or `sorted(xs)` (optionally `reverse=`) where the elements order by a
    repository class's `__lt__` that returns `self.m() < other.m()`, `self.a < other.a` or
    `(self.a, self.b) < (other.a, other.b)` (after an optional `if not isinstance(other, C):
    return NotImplemented`) ⇒ sorted with `key=` that method or those attributes.

    Precondition: the method is pure wherever the repository defines it (the effect
    analysis), and no repository class defines an attribute read as a method or property
    (so reading it has no effect); no class defines `__getattr__` or `__getattribute__`.
    The rewrite checks at run time that the container is a list and that every element's
    type has exactly that `__lt__` (by its qualified name and file), and sorts as before
    otherwise: sorting compares keys with `<` exactly as `__lt__` did, so the order (a
    stable sort) is the same.
    """

    id = "sort-by-key"
    title = "sort objects by the key their __lt__ compares"

    def find(self, ctx: FunctionContext) -> list[Site]:
        orders = key_orders(ctx.project)
        if not orders:
            return []
        sites = []
        for node in walk(ctx.fn):
            if not isinstance(node, cst.Call) or not _plain_sort(ctx, node):
                continue
            func = node.func
            target = func.value if isinstance(func, cst.Attribute) else node.args[0].value
            elem = ctx.env.infer(target).elem
            kind = elem.kind if elem is not None else "unknown"
            if kind != "unknown" and not kind.startswith("obj:"):
                continue  # numbers, strings, tuples...: their own `__lt__`
            named = kind[4:] if kind.startswith("obj:") else ""
            chosen = [o for o in orders if o.cls == named] or (orders if len(orders) == 1 else [])
            if chosen:
                sites.append(ctx.site(node, f"`{code(node)}` by {chosen[0].label}", chosen[0]))
        return sites

    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        change = Change()
        operator = imported_as(ctx.module, "operator")
        if operator is None:
            operator = fresh_name("_operator", ctx.module_names)
            change.imports.append(f"import operator as {operator}")
        helpers: dict[str, str] = {}
        for site in sites:
            order: Order = site.extra
            if order.cls not in helpers:
                helpers[order.cls] = _helper_for(ctx, change, order, operator)
            helper, call = helpers[order.cls], site.node
            if isinstance(call.func, cst.Attribute):
                new = call.with_changes(
                    func=cst.Name(helper), args=[cst.Arg(call.func.value), *call.args]
                )
            else:
                inner = cst.Call(cst.Name("list"), [cst.Arg(call.args[0].value)])
                made = cst.parse_expression(f"{helper}({code(inner)}, keep=True)")
                assert isinstance(made, cst.Call)
                new = made.with_changes(args=[*made.args, *call.args[1:]])
            change.replace[id(call)] = lambda _u, new=new: new
        return change

    def describe(self, sites: Sequence[Site]) -> str:
        where = ", ".join(dict.fromkeys(s.detail for s in sites))
        return (
            f"sort {where}: `__lt__` only compares that key, so sorting by it gives the same "
            "order with one key per element instead of two per comparison"
        )


def _plain_sort(ctx: FunctionContext, call: cst.Call) -> bool:
    """`x.sort()` or `sorted(x)`, with at most `reverse=` besides."""
    func = call.func
    if isinstance(func, cst.Attribute) and func.attr.value == "sort":
        extra = list(call.args)
    elif ctx.scope.builtin(func) == "sorted" and call.args and call.args[0].keyword is None:
        if call.args[0].star:
            return False
        extra = list(call.args[1:])
    else:
        return False
    return all(a.keyword is not None and a.keyword.value == "reverse" for a in extra)


def _helper_for(ctx: FunctionContext, change: Change, order: Order, operator: str) -> str:
    """The helper's name: the one an earlier rewrite of this module wrote, else a new one."""
    return module_helper(
        ctx.module,
        ctx.module_names,
        change.constants,
        f"_sort_{order.cls.lower()}s",
        lambda name: _helper(name, order, operator),
    )


def _helper(name: str, order: Order, operator: str) -> str:
    module_file = order.path
    return (
        f"def {name}(items, keep=False, **reverse):\n"
        f'    """Sort the list `items` in place (and return it with `keep`) by {order.label}\n'
        f"    when every element orders by {order.cls}.__lt__, which compares exactly that; as\n"
        '    before otherwise."""\n'
        "    kinds = set(map(type, items)) if type(items) is list else set()\n"
        "    orders = {kind.__lt__ for kind in kinds}\n"
        "    order = orders.pop() if len(orders) == 1 else None\n"
        "    code = getattr(order, '__code__', None)\n"
        "    if (\n"
        f"        getattr(order, '__qualname__', None) == {order.cls + '.__lt__'!r}\n"
        "        and code is not None\n"
        f"        and code.co_filename.replace('\\\\', '/').endswith({'/' + module_file!r})\n"
        "    ):\n"
        f"        items.sort(key={operator}.{order.accessor}, **reverse)\n"
        "    else:\n"
        "        items.sort(**reverse)\n"
        "    return items if keep else None\n"
    )


def key_orders(project: Project) -> list[Order]:
    """The repository's classes whose `__lt__` compares one key of each side."""
    classes = project.classes
    if traps_attribute_reads(project):
        return []
    out = []
    for cls, (path, node) in sorted(classes.items()):
        lt = next(
            (s for s in _body(node) if isinstance(s, cst.FunctionDef) and s.name.value == "__lt__"),
            None,
        )
        found = _compared_key(lt, cls) if lt is not None else None
        if found is None:
            continue
        kind, names = found
        if kind == "method" and _pure_everywhere(project, names[0]):
            accessor = f"methodcaller({names[0]!r})"
            out.append(Order(cls, path, accessor, f"`{names[0]}()`"))
        elif kind == "attrs" and not any(project.defines_method(n) for n in names):
            accessor = f"attrgetter({', '.join(repr(n) for n in names)})"
            out.append(Order(cls, path, accessor, ", ".join(f"`.{n}`" for n in names)))
    return out


def traps_attribute_reads(project: Project) -> bool:
    """Some repository class defines `__getattr__` or `__getattribute__`."""
    return any(
        isinstance(s, cst.FunctionDef) and s.name.value in TRAPS
        for _, node in project.classes.values()
        for s in _body(node)
    )


def _body(node: cst.CSTNode) -> Sequence[cst.CSTNode]:
    block = getattr(node, "body", None)
    return block.body if isinstance(block, cst.IndentedBlock) else ()


def _compared_key(lt: cst.FunctionDef, cls: str) -> tuple[str, tuple[str, ...]] | None:
    """("method", (m,)) or ("attrs", names) when `lt` only returns `self.K < other.K`."""
    params = lt.params
    star = isinstance(params.star_arg, cst.Param | cst.ParamStar)
    if len(params.params) != 2 or star or params.kwonly_params or params.star_kwarg:
        return None
    me, other = (p.name.value for p in params.params)
    stmts = [s for s in _body(lt) if not is_docstring(s)]
    if len(stmts) == 2 and _not_implemented_guard(stmts[0], other):
        stmts = stmts[1:]
    if len(stmts) != 1 or not isinstance(stmts[0], cst.SimpleStatementLine):
        return None
    ret = stmts[0].body[0]
    if not isinstance(ret, cst.Return) or not isinstance(ret.value, cst.Comparison):
        return None
    comp = ret.value
    if len(comp.comparisons) != 1 or not isinstance(comp.comparisons[0].operator, cst.LessThan):
        return None
    left, right = _key_of(comp.left, me), _key_of(comp.comparisons[0].comparator, other)
    return left if left is not None and left == right else None


def _key_of(expr: cst.BaseExpression, name: str) -> tuple[str, tuple[str, ...]] | None:
    if isinstance(expr, cst.Call) and not expr.args and _attr_of(expr.func, name):
        return "method", (_attr_of(expr.func, name),)
    if _attr_of(expr, name):
        return "attrs", (_attr_of(expr, name),)
    if isinstance(expr, cst.Tuple) and expr.elements:
        names = [_attr_of(e.value, name) for e in expr.elements]
        if all(names) and not any(isinstance(e, cst.StarredElement) for e in expr.elements):
            return "attrs", tuple(names)
    return None


def _attr_of(expr: cst.BaseExpression, name: str) -> str:
    if (
        isinstance(expr, cst.Attribute)
        and isinstance(expr.value, cst.Name)
        and expr.value.value == name
    ):
        return expr.attr.value
    return ""


def _not_implemented_guard(stmt: cst.CSTNode, other: str) -> bool:
    """`if not isinstance(other, C): return NotImplemented`."""
    if not isinstance(stmt, cst.If) or stmt.orelse is not None:
        return False
    test = stmt.test
    if not (isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not)):
        return False
    call = test.expression
    if not (isinstance(call, cst.Call) and code(call.func) == "isinstance" and call.args):
        return False
    if code(call.args[0].value) != other:
        return False
    body = _body(stmt)
    return (
        len(body) == 1
        and isinstance(body[0], cst.SimpleStatementLine)
        and isinstance(body[0].body[0], cst.Return)
        and code(body[0].body[0].value or cst.Name("None")) == "NotImplemented"
    )


def _pure_everywhere(project: Project, method: str) -> bool:
    """Every repository method called `method` is pure (and at least one exists)."""
    effects = effects_of(project)
    refs = [r for r in project.all_functions() if r.cls and r.qualname.endswith(f".{method}")]
    return bool(refs) and all(effects.summary(r).pure for r in refs)
