"""What running code can do, across the repository: side effects of calls, which arguments a
callee changes or keeps, and what kind of value it returns.

`Effects.summary(ref)` describes a repository function; `Scope` answers questions about the
calls and stores inside one function. Unknown callees, attribute stores, `global`, I/O and
generators are impure. Two assumptions are made everywhere: dunder methods (`__eq__`,
`__hash__`, `__len__`, `__iter__`, properties) have no side effects, and iterating a loop's
iterable changes nothing else (not so for the caller's generators: `iteration.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import libcst as cst

from agent.engines.rules.augment import augment_ok
from agent.engines.rules.called import called_positions, calls_positional
from agent.engines.rules.clock_state import reads_clock_state
from agent.engines.rules.constants import decimal_method, uncallable_value
from agent.engines.rules.envs import build_env
from agent.engines.rules.infer import TypeEnv
from agent.engines.rules.project import FunctionRef, Project
from agent.engines.rules.stdlib import (
    EXCEPTIONS,
    FRESH_METHODS,
    IMMUTABLE_METHODS,
    MUTATING_METHODS,
    MUTATING_STDLIB,
    PURE_BUILTIN_CALLS,
    next_of_generator,
    stdlib_kind,
)
from agent.engines.rules.syntax import SCOPES, bound_names, code_of, names_in, walk
from agent.engines.rules.typeinfo import immutable

_IMPURE_NODES = (
    cst.Global,
    cst.Nonlocal,
    cst.Yield,
    cst.Await,
    cst.With,
    cst.FunctionDef,
    cst.ClassDef,
)
_BUILTIN_RECEIVERS = frozenset({"str", "bytes", "list", "tuple", "dict", "set", "frozenset"})


@dataclass(frozen=True)
class Summary:
    """What calling a repository function can do."""

    pure: bool
    """No side effects: only its own fresh locals change; not a generator."""
    closed: bool = False
    """Pure, and its result depends only on its arguments and immutable module constants."""
    readonly: frozenset[int] = frozenset()
    """Positions of the parameters it neither changes nor keeps (stores, returns)."""
    returns: str = "unknown"
    """"immutable", "fresh" or "unknown" (see `stdlib.py`)."""
    never_none: bool = False
    deep: bool = False
    """It returns a fresh container whose elements are new or immutable too (a matrix of
    new rows): a caller may change them as its own."""


IMPURE = Summary(False)


@dataclass(frozen=True)
class CallFacts:
    """What one call does: its return kind and which argument expressions it leaves alone."""

    returns: str
    readonly_args: frozenset[int]
    """Indexes into `call.args` of the arguments it neither changes nor keeps."""
    never_none: bool = False
    closed: bool = True
    passes_through: bool = False
    """The result may contain the read-only arguments themselves (`sorted(xs)` holds the
    elements of `xs`); a repository function's read-only parameters never do."""
    deep: bool = False
    """`Summary.deep`, for a repository function's call."""


class Effects:
    """Summaries of the repository's functions, computed on demand and cached."""

    def __init__(self, project: Project) -> None:
        from agent.engines.rules.summaries import summarize
        from agent.engines.rules.summary_cache import SummaryCache

        self.project = project
        best = Summary(True, True, frozenset(range(64)), "unknown")
        self._cache = SummaryCache(lambda ref: summarize(self, ref), best, IMPURE)
        self.changed: dict[tuple[str, str], frozenset[int] | None] = {}  # see changed_params

    def summary(self, ref: FunctionRef) -> Summary:
        return self._cache.get(ref)

    def scope(self, path: str, fn: cst.FunctionDef, cls: str | None) -> Scope:
        return Scope(self, path, fn, cls)


class Scope:
    """One function seen from inside: its locals, their types and which of them hold
    containers it created itself (fresh: 1, fresh all the way down: 2)."""

    def __init__(self, effects: Effects, path: str, fn: cst.FunctionDef, cls: str | None):
        self.effects = effects
        self.project = effects.project
        self.path = path
        self.fn = fn
        self.cls = cls
        ps = fn.params
        self.params = [p.name.value for p in (*ps.posonly_params, *ps.params, *ps.kwonly_params)]
        self.locals = set(bound_names(fn)) | set(self.params)
        for star in (ps.star_arg, ps.star_kwarg):
            if isinstance(star, cst.Param):
                self.locals.add(star.name.value)
        for n in walk(fn.body, into_scopes=True):
            if isinstance(n, cst.CompFor):
                self.locals |= names_in(n.target)
            elif isinstance(n, cst.Lambda):
                self.locals |= {p.name.value for p in n.params.params}
        self.env: TypeEnv = build_env(fn, self.project.type_facts(path), cls)
        from agent.engines.rules.freshness import fresh_levels, immutable_locals

        self.immutables: set[str] = set()
        self.fresh: dict[str, int] = {}
        self.elements: dict[str, int] = {}
        self.immutables = immutable_locals(self)  # first: what is stored may be immutable
        self.fresh, self.elements = fresh_levels(self)

    # --- names ------------------------------------------------------------------------------

    def dotted(self, expr: cst.BaseExpression) -> str | None:
        """`re.sub`, `datetime.datetime.strptime`...: the standard-library name an expression
        spells through the module's imports (None for locals and repository names)."""
        if isinstance(expr, cst.Name):
            if expr.value in self.locals:
                return None
            imported = self.project.imports.get(self.path, {}).get(expr.value)
            if imported is None:
                defined = expr.value in self.project.defs.get(self.path, {})
                return None if defined else f"builtins.{expr.value}"
            module, attr = imported
            if self.project.by_dotted.get(module) or self.project.by_dotted.get(f"{module}.{attr}"):
                return None
            return f"{module}.{attr}" if attr else module
        if isinstance(expr, cst.Attribute):
            head = self.dotted(expr.value)
            return (
                f"{head}.{expr.attr.value}" if head and not head.startswith("builtins.") else None
            )
        return None

    def builtin(self, expr: cst.BaseExpression) -> str | None:
        name = self.dotted(expr)
        return name[9:] if name and name.startswith("builtins.") else None

    # --- calls ------------------------------------------------------------------------------

    def call(self, call: cst.Call) -> CallFacts | None:
        """The facts of a call without side effects (beyond this function's fresh locals), or
        None when it may have some."""
        func = call.func
        builtin = self.builtin(func)
        if builtin is not None:
            return self._builtin_call(builtin, call)
        dotted = self.dotted(func)
        if dotted is not None:
            return self._stdlib_call(dotted, call)
        target = self.project.resolve(self.path, func, self.cls)
        if isinstance(target, FunctionRef) and target.cls is not None:
            return self._receiver_call(target, call)  # `self.m(...)`
        if isinstance(target, FunctionRef):
            return self._project_call(target, call, offset=0)
        if isinstance(func, cst.Name) and self._builds_namedtuple(func.value):
            return CallFacts("fresh", self._all(call), True, passes_through=True)
        if isinstance(target, tuple):
            return self._constructor(target[1], call)
        if isinstance(func, cst.Attribute):
            return self._method_call(func, call)
        return None

    def _all(self, call: cst.Call) -> frozenset[int]:
        return frozenset(range(len(call.args)))

    def _builtin_call(self, name: str, call: cst.Call) -> CallFacts | None:
        if name in EXCEPTIONS:
            return CallFacts("fresh", self._all(call), True)
        if name == "next" and next_of_generator(call):
            # it advances only the generator the expression itself creates (its code is
            # checked with the rest of the function); the result is an element or the default
            return CallFacts("alias", self._all(call), passes_through=True)
        kind = PURE_BUILTIN_CALLS.get(name)
        if kind is None or not self._callables_pure(name, call):
            return None
        through = kind != "immutable"
        return CallFacts(kind, self._all(call), kind != "alias", passes_through=through)

    def _stdlib_call(self, name: str, call: cst.Call) -> CallFacts | None:
        kind = None if reads_clock_state(self.project, name) else stdlib_kind(name)
        if kind is not None and self._callables_pure(name, call):
            through = kind != "immutable"
            return CallFacts(kind, self._all(call), kind != "unknown", passes_through=through)
        position = MUTATING_STDLIB.get(name)
        if position is not None and len(call.args) > position:
            target = call.args[position].value
            if isinstance(target, cst.Name) and self.fresh.get(target.value, 0) >= 1:
                return CallFacts("unknown", frozenset())
        return None

    def _callables_pure(self, name: str, call: cst.Call) -> bool:
        """The arguments `name` (a function, or `.method`) calls (a sort key, map's
        function...) are pure callables."""
        positions = called_positions(name, call)
        if positions is None:
            return False
        for pos in positions:
            for i, arg in enumerate(call.args):
                hit = arg.keyword.value == pos if arg.keyword else i == pos
                if hit and not (self.pure_callable(arg.value) or uncallable_value(self, arg.value)):
                    return False
        return True

    def pure_callable(self, expr: cst.BaseExpression) -> bool:
        if isinstance(expr, cst.Lambda):
            return True  # its body is checked with the rest of the code it sits in
        if isinstance(expr, cst.Name) and expr.value == "None":
            return True
        builtin = self.builtin(expr)
        if builtin is not None:
            return builtin in PURE_BUILTIN_CALLS and PURE_BUILTIN_CALLS[builtin] != "fresh"
        dotted = self.dotted(expr)
        if dotted is not None:
            return stdlib_kind(dotted) is not None and not calls_positional(dotted)
        if isinstance(expr, cst.Call):
            facts = self.call(expr)
            return facts is not None and self.dotted(expr.func) in (
                "operator.itemgetter",
                "operator.attrgetter",
                "functools.cmp_to_key",
            )
        target = self.project.resolve(self.path, expr, self.cls)
        return isinstance(target, FunctionRef) and self.effects.summary(target).pure

    def _project_call(self, ref: FunctionRef, call: cst.Call, offset: int) -> CallFacts | None:
        summary = self.effects.summary(ref)
        if not summary.pure:
            return None
        params = ref.fn.params
        names = [p.name.value for p in (*params.posonly_params, *params.params)]
        readonly: set[int] = set()
        for i, arg in enumerate(call.args):
            if arg.star:
                continue
            if arg.keyword is None:
                index = i + offset
            else:
                kw = [p.name.value for p in (*params.params, *params.kwonly_params)]
                all_names = names + [n for n in kw if n not in names]
                if arg.keyword.value not in all_names:
                    continue
                index = all_names.index(arg.keyword.value)
            if index in summary.readonly:
                readonly.add(i)
        return CallFacts(
            summary.returns,
            frozenset(readonly),
            summary.never_none,
            summary.closed,
            deep=summary.deep,
        )

    def _receiver_call(self, ref: FunctionRef, call: cst.Call) -> CallFacts | None:
        """`recv.m(...)` running the repository method `ref`: its receiver is its first
        parameter (none for a static method), and the call may return (part of) it."""
        decorators = {code_of(d.decorator) for d in ref.fn.decorators}
        if "property" in decorators:
            return None  # `recv.p(...)` calls what the property returns
        static = "staticmethod" in decorators
        facts = self._project_call(ref, call, offset=0 if static else 1)
        if facts is None or static or 0 in self.effects.summary(ref).readonly:
            return facts
        return replace(facts, passes_through=True)

    def _builds_namedtuple(self, name: str) -> bool:
        from agent.engines.rules.closedness import namedtuple_class

        found = self.project.lookup(self.path, name)
        return found is not None and namedtuple_class(self.project, *found)

    def _constructor(self, cls: cst.ClassDef, call: cst.Call) -> CallFacts | None:
        from agent.engines.rules.closedness import constructor_pure

        if not constructor_pure(self.effects, cls):
            return None
        return CallFacts("fresh", self._all(call), True, passes_through=True)

    def _method_call(self, func: cst.Attribute, call: cst.Call) -> CallFacts | None:
        meth = func.attr.value
        recv = self.env.infer(func.value)
        if recv.kind.startswith("obj:") and recv.kind[4:] in self.project.classes:
            ref = self.project.method(recv.kind[4:], meth)
            return None if ref is None else self._receiver_call(ref, call)
        if meth in MUTATING_METHODS:
            from agent.engines.rules.freshness import element_of_new

            receiver = func.value
            if isinstance(receiver, cst.Name) and self.fresh.get(receiver.value, 0) >= 1:
                return CallFacts("unknown", frozenset())
            if element_of_new(receiver, self.fresh, self.elements):
                return CallFacts("unknown", frozenset())
            return None
        known_builtin = recv.kind in _BUILTIN_RECEIVERS or isinstance(func.value, cst.SimpleString)
        if not known_builtin and self.project.defines_method(meth):
            return None
        if meth == "get" and (known_builtin or _positional(call) >= 1):
            return CallFacts("alias", self._all(call), passes_through=True)
        if meth == "join" and not (known_builtin or isinstance(func.value, cst.SimpleString)):
            return None
        immutable = meth in IMMUTABLE_METHODS and not reads_clock_state(self.project, meth)
        if immutable or decimal_method(self.project, recv.kind, meth):
            return CallFacts("immutable", self._all(call), True)
        if meth in FRESH_METHODS and self._callables_pure(f".{meth}", call):
            return CallFacts("fresh", self._all(call), passes_through=True)
        return None

    # --- stores -----------------------------------------------------------------------------

    def store_ok(self, target: cst.BaseExpression) -> bool:
        """Assigning to `target` changes only this function's locals or fresh containers."""
        if isinstance(target, cst.Name):
            return True
        if isinstance(target, cst.Tuple | cst.List):
            return all(self.store_ok(e.value) for e in target.elements)
        if isinstance(target, cst.StarredElement):
            return self.store_ok(target.value)
        if isinstance(target, cst.Attribute):
            base = target.value
            return isinstance(base, cst.Name) and self.fresh.get(base.value, 0) >= 1
        if isinstance(target, cst.Subscript):
            depth, base = 1, target.value
            while isinstance(base, cst.Subscript):
                depth, base = depth + 1, base.value
            name = base.value if isinstance(base, cst.Name) else ""
            level, inner = self.fresh.get(name, 0), self.elements.get(name, 0)
            return level >= min(depth, 2) or (depth == 2 and level >= 1 and inner >= 1)
        return False

    def impure_node(self, node: cst.CSTNode) -> bool:
        """`node` itself (not its children) may have an effect beyond fresh locals."""
        if isinstance(node, cst.Call):
            return self.call(node) is None
        if isinstance(node, cst.Assign):
            return not all(self.store_ok(t.target) for t in node.targets)
        if isinstance(node, cst.AugAssign):
            return not augment_ok(self, node)
        if isinstance(node, cst.AnnAssign):
            return not self.store_ok(node.target)
        if isinstance(node, cst.Del):
            return not self.store_ok(node.target)
        if isinstance(node, cst.For):
            return node.asynchronous is not None or not self.store_ok(node.target)
        return isinstance(node, _IMPURE_NODES)

    def pure(self, node: cst.CSTNode) -> bool:
        """No effect anywhere under `node` beyond this function's fresh locals (lambdas are
        looked into; other nested scopes are impure)."""
        for n in walk(node, into_scopes=True):
            if n is not node and isinstance(n, SCOPES) and not isinstance(n, cst.Lambda):
                return False
            if self.impure_node(n):
                return False
        return True

    def immutable_value(self, expr: cst.BaseExpression) -> bool:
        if isinstance(expr, cst.Call):
            facts = self.call(expr)
            return facts is not None and facts.returns == "immutable"
        return immutable(self.env.infer(expr))


def _positional(call: cst.Call) -> int:
    return sum(1 for a in call.args if a.keyword is None and not a.star)


_EFFECTS: dict[str, Effects] = {}


def effects_of(project: Project) -> Effects:
    """The (cached) `Effects` of a project."""
    hit = _EFFECTS.get(project.key)
    if hit is None or hit.project is not project:
        if len(_EFFECTS) > 16:
            _EFFECTS.clear()
        hit = _EFFECTS[project.key] = Effects(project)
    return hit
