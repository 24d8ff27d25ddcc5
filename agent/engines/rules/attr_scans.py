"""Scans of a list attribute for the records whose field equals a probe (`for t in self._talks:
if t.talk_id == wanted: ...`, `[b for b in self._bookings if b.room == room]`, `any(r.name ==
name for r in self._rooms)`), and whether the scan could visit only those records and do the
same: the other records only have their key compared, which changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from agent.engines.rules.attr_stores import attribute_stores, dynamic_access, methods_of
from agent.engines.rules.edits import code
from agent.engines.rules.effects import Scope
from agent.engines.rules.project import Project
from agent.engines.rules.syntax import bound_names, name_nodes, walk

_ENDS = (cst.Return, cst.Raise, cst.Break)
_SUSPENDS = (cst.Yield, cst.Await, cst.Continue)
_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)
_CONSTRUCTORS = frozenset({"__init__", "__post_init__"})

Field = str | int | tuple[str | int, ...]


@dataclass(frozen=True)
class Scan:
    iter: cst.Attribute
    """The mention `me.attr` the scan iterates."""
    field: Field
    """An attribute's name, or the position of a tuple's item; several of them when the scan
    takes a record whose value of any of them equals the probe."""
    probe: cst.BaseExpression


def keyed_scan(
    mention: cst.Attribute, method: cst.FunctionDef, scope: Scope, parents: dict[int, cst.CSTNode]
) -> Scan | None:
    """The scan `mention` is the iterable of, when it is one that may visit only the records
    whose field equals the probe."""
    loop = parents.get(id(mention))
    if isinstance(loop, cst.For) and loop.iter is mention:
        return _for_scan(mention, loop, method, scope)
    if isinstance(loop, cst.CompFor) and loop.iter is mention:
        return _comprehension_scan(mention, loop, scope, parents)
    return None


def _for_scan(
    mention: cst.Attribute, loop: cst.For, method: cst.FunctionDef, scope: Scope
) -> Scan | None:
    """`for x in me.attr:` whose body is one `if x.field == probe ...:` with no `else`, whose
    branch either ends the loop on every path or changes only fresh locals; `x` is not used
    outside the loop (after it, `x` would be the last record visited)."""
    body = loop.body.body if isinstance(loop.body, cst.IndentedBlock) else ()
    if loop.asynchronous or not isinstance(loop.target, cst.Name) or len(body) != 1:
        return None
    branch = body[0]
    if not isinstance(branch, cst.If) or branch.orelse is not None:
        return None
    var = loop.target.value
    found = _key_test(branch.test, var)
    if found is None or _rebinds(loop, found[1]):
        return None
    inside = {id(n) for n in walk(loop, into_scopes=True)}
    if any(n.value == var and id(n) not in inside for n in name_nodes(method.body)):
        return None
    if any(isinstance(n, _SUSPENDS[:2]) for n in walk(loop, into_scopes=True)):
        return None
    if not (_ends_loop(branch.body) or scope.pure(branch.body)):
        return None
    return Scan(mention, *found)


def _comprehension_scan(
    mention: cst.Attribute, clause: cst.CompFor, scope: Scope, parents: dict[int, cst.CSTNode]
) -> Scan | None:
    """A one-clause comprehension over `me.attr` whose first condition starts with the key
    test, or `any(x.field == probe ... for x in me.attr)`; the rest is pure."""
    comp = parents.get(id(clause))
    if not isinstance(comp, _COMPREHENSIONS) or comp.for_in is not clause:
        return None
    if (
        clause.inner_for_in is not None
        or clause.asynchronous
        or not isinstance(clause.target, cst.Name)
    ):
        return None
    if clause.ifs:
        test = clause.ifs[0].test
    else:
        arg, call = parents.get(id(comp)), parents.get(id(parents.get(id(comp))))
        if not isinstance(comp, cst.GeneratorExp) or not isinstance(call, cst.Call):
            return None
        if scope.builtin(call.func) != "any" or len(call.args) != 1 or call.args[0] is not arg:
            return None
        test = comp.elt
    found = _key_test(test, clause.target.value)
    if found is None or not scope.pure(comp):
        return None
    return Scan(mention, *found)


def _key_test(test: cst.BaseExpression, var: str) -> tuple[Field, cst.BaseExpression] | None:
    """(field, probe) of `var.field == probe` or `var[i] == probe` (either way round, `i` a
    literal position), alone or first of an `and`; the probe is a name other than `var`,
    or one attribute of such a name. Tests of several fields against one probe joined by
    `or` (`g.home == team or g.away == team`) give the tuple of those fields."""
    while isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
        test = test.left
    tests = []
    while isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.Or):
        tests.append(test.right)
        test = test.left
    if tests:
        found = [_one_key_test(t, var) for t in [test, *reversed(tests)]]
        probes = {code(f[1]) for f in found if f is not None}
        if None in found or len(probes) != 1:
            return None
        fields = tuple(dict.fromkeys(f[0] for f in found if f is not None))
        return fields if len(fields) > 1 else fields[0], found[0][1]  # type: ignore[index]
    return _one_key_test(test, var)


def _one_key_test(
    test: cst.BaseExpression, var: str
) -> tuple[str | int, cst.BaseExpression] | None:
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return None
    if not isinstance(test.comparisons[0].operator, cst.Equal):
        return None
    for key, probe in ((test.left, test.comparisons[0].comparator),
                       (test.comparisons[0].comparator, test.left)):  # fmt: skip
        field = _field(key, var)
        base = probe.value if isinstance(probe, cst.Attribute) else probe
        if field is not None and isinstance(base, cst.Name) and base.value != var:
            return field, probe
    return None


def _field(key: cst.BaseExpression, var: str) -> str | int | None:
    if isinstance(key, cst.Attribute) and _is_name(key.value, var):
        return key.attr.value
    if not isinstance(key, cst.Subscript) or not _is_name(key.value, var) or len(key.slice) != 1:
        return None
    index = key.slice[0].slice
    number = index.value if isinstance(index, cst.Index) else None
    if isinstance(number, cst.UnaryOperation) and isinstance(number.operator, cst.Minus):
        inner = number.expression
        return -int(inner.value) if isinstance(inner, cst.Integer) else None
    return int(number.value) if isinstance(number, cst.Integer) else None


def _is_name(node: cst.BaseExpression, name: str) -> bool:
    return isinstance(node, cst.Name) and node.value == name


def _rebinds(loop: cst.For, probe: cst.BaseExpression) -> bool:
    base = probe.value if isinstance(probe, cst.Attribute) else probe
    assert isinstance(base, cst.Name)
    return base.value in bound_names(loop.body) or _is_name(loop.target, base.value)


def _ends_loop(block: cst.BaseSuite) -> bool:
    """Every path through `block` leaves the loop: it ends in `return`, `raise` or `break`
    and nothing in it continues the loop or suspends it."""
    body = block.body if isinstance(block, cst.IndentedBlock) else ()
    if not body or any(isinstance(n, _SUSPENDS) for n in walk(block, into_scopes=True)):
        return False
    last = body[-1]
    return isinstance(last, cst.SimpleStatementLine) and isinstance(last.body[-1], _ENDS)


def fixed_field(project: Project, field: Field) -> bool:
    """Once an object is built, nothing in the repository changes its attribute `field` (each
    of them, for a tuple): the only stores of an attribute of that name are `self.field =
    ...` in constructors, and no code reaches attributes by a computed name. A tuple's items
    never change (the index reads them only from tuples)."""
    if isinstance(field, tuple):
        return all(fixed_field(project, f) for f in field)
    if isinstance(field, int):
        return True
    key = f"fixed_field:{field}"
    found = project.memo.get(key)
    if found is None:
        found = project.memo[key] = _fixed(project, field)
    return bool(found)


def _fixed(project: Project, field: str) -> bool:
    if dynamic_access(project, field, reads=False):
        return False
    allowed: set[int] = set()
    for module in project.modules.values():
        for cls in walk(module, into_scopes=True):
            if not isinstance(cls, cst.ClassDef):
                continue
            for name, fn in methods_of(cls).items():
                params = fn.params.params
                if name in _CONSTRUCTORS and params and not fn.decorators:
                    allowed |= _own_stores(fn, params[0].name.value, field)
    stores = attribute_stores(project, field)
    return all(id(stmt) in allowed for _, stmt, _ in stores)


def _own_stores(fn: cst.FunctionDef, me: str, field: str) -> set[int]:
    out = set()
    for line in walk(fn):
        if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1:
            continue
        small = line.body[0]
        targets = (
            [t.target for t in small.targets] if isinstance(small, cst.Assign)
            else [small.target] if isinstance(small, cst.AnnAssign) else []
        )  # fmt: skip
        if targets and all(
            isinstance(t, cst.Attribute) and _is_name(t.value, me) and t.attr.value == field
            for t in targets
        ):
            out.add(id(line))
    return out
