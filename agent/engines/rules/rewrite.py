"""The rewrite framework: functions located by qualname, sites, and node replacement.

A `Rule` finds `Site`s in one function (where its precondition holds) and rewrites all of
them. Rules see a `FunctionContext` built from a freshly parsed module, so applying several
rules in sequence always works on parsed, positioned, current code.
"""

from __future__ import annotations

import functools
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from agent.engines.rules.edits import add_module_statements, module_level_names, prepended
from agent.engines.rules.effects import Scope, effects_of
from agent.engines.rules.envs import build_env
from agent.engines.rules.infer import TypeEnv
from agent.engines.rules.project import Project
from agent.engines.rules.syntax import code_of, index_tree, parent_map


@dataclass(frozen=True)
class Site:
    """One place a rule fires: where it is and the words that describe it."""

    line: int
    column: int
    detail: str
    """Plain words for the plan text, e.g. "the list `allowed`"."""
    node: Any = field(default=None, compare=False, repr=False)
    """The matched node in the context's module (not serialized)."""
    extra: Any = field(default=None, compare=False, repr=False)
    """Rule-private data computed by `find` and used by `apply`."""

    @property
    def position(self) -> list[int]:
        return [self.line, self.column]


class FunctionContext:
    """One function of a parsed module with the facts rules need about it."""

    def __init__(
        self,
        path: str,
        wrapper: MetadataWrapper,
        fn: cst.FunctionDef,
        qualname: str,
        project: Project | None = None,
    ) -> None:
        self.path = path
        self.wrapper = wrapper
        self.module = wrapper.module
        self.fn = fn
        self.qualname = qualname
        facts = _facts(wrapper)
        self.positions, self.parents, self.base_names = facts
        self.project = project or Project({})
        self.cls = self._owner()
        self.env: TypeEnv = build_env(fn, self.project.type_facts(path), self.cls)
        self.module_names: set[str] = set(self.base_names)
        """Names new code must avoid; `fresh_name` adds to it (reset before each change)."""

    def _owner(self) -> str | None:
        parent = self.parents.get(id(self.parents.get(id(self.fn))))
        if isinstance(parent, cst.ClassDef) and not any(
            code_of(d.decorator) in ("staticmethod", "classmethod") for d in self.fn.decorators
        ):
            return parent.name.value
        return None

    @functools.cached_property
    def scope(self) -> Scope:
        """Effects of the calls and stores in this function (see `effects.py`)."""
        return effects_of(self.project).scope(self.path, self.fn, self.cls)

    def pos(self, node: cst.CSTNode) -> tuple[int, int]:
        start = self.positions[node].start
        return start.line, start.column

    @property
    def is_method(self) -> bool:
        return isinstance(self.parents.get(id(self.parents.get(id(self.fn)))), cst.ClassDef)

    def site(self, node: cst.CSTNode, detail: str, extra: Any = None) -> Site:
        line, col = self.pos(node)
        return Site(line, col, detail, node, extra)

    @property
    def label(self) -> str:
        return f"{self.path}:{self.qualname}"


@dataclass
class Change:
    """What a rule wants done: node replacements plus module-level additions."""

    replace: dict[int, Callable[..., Any]] = field(default_factory=dict)
    """id(original node) -> function of the updated node returning its replacement
    (a node, a `cst.FlattenSentinel` to insert statements, or `cst.RemoveFromParent()`)."""
    imports: list[str] = field(default_factory=list)
    """Module imports to ensure, as statements (`"import collections"`)."""
    constants: list[cst.BaseStatement] = field(default_factory=list)
    """Module-level statements placed after the imports (compiled regexes, ...)."""
    elsewhere: dict[str, Change] = field(default_factory=dict)
    """Changes to other modules, by path; their nodes are those of `project.modules[path]`."""
    before: dict[int, tuple[cst.CSTNode, list[cst.BaseStatement]]] = field(default_factory=dict)
    """id(original statement) -> the statement and the new ones to put before it, in order
    (after its replacement, if it has one)."""

    def insert_before(self, stmt: cst.CSTNode, *new: cst.BaseStatement) -> None:
        """Put `new` before `stmt` (after what earlier calls put there)."""
        self.before.setdefault(id(stmt), (stmt, []))[1].extend(new)


class Rule(ABC):
    """A semantics-preserving rewrite with an explicit, conservative precondition."""

    id: str = ""
    title: str = ""
    """Short imperative phrase for plan titles ("use a frozenset for membership")."""
    rewrites_loops: bool = False
    """True when the rule restructures a loop (such rules do not combine on the same loop)."""
    one_site: bool = False
    """True when `find` offers one site at a time: combined plans apply the rule again, on
    the rewritten function, while it still finds one."""

    @abstractmethod
    def find(self, ctx: FunctionContext) -> list[Site]:
        """Every site in `ctx.fn` where the precondition holds."""

    @abstractmethod
    def change(self, ctx: FunctionContext, sites: Sequence[Site]) -> Change:
        """The edit for `sites` (all found by `find` on the same context)."""

    def describe(self, sites: Sequence[Site]) -> str:
        """Plain words for a plan ("hoist the list `allowed` ... as a frozenset")."""
        details = ", ".join(dict.fromkeys(s.detail for s in sites))
        return f"{self.title}: {details}"


def iter_functions(module: cst.Module) -> Iterator[tuple[str, cst.FunctionDef]]:
    """(qualname, node) of every function and method, nested ones as `outer.inner`."""

    def visit(body: Sequence[cst.CSTNode], prefix: str) -> Iterator[tuple[str, cst.FunctionDef]]:
        for stmt in body:
            if isinstance(stmt, cst.FunctionDef):
                qual = f"{prefix}{stmt.name.value}"
                yield qual, stmt
                yield from visit(_block(stmt.body), f"{qual}.")
            elif isinstance(stmt, cst.ClassDef):
                yield from visit(_block(stmt.body), f"{prefix}{stmt.name.value}.")
            elif isinstance(stmt, cst.If | cst.Try):
                yield from visit(_block(stmt.body), prefix)

    yield from visit(module.body, "")


def _block(body: cst.BaseSuite) -> Sequence[cst.CSTNode]:
    return body.body if isinstance(body, cst.IndentedBlock) else ()


def parse(path: str, text: str) -> MetadataWrapper:
    """The parsed module (cached: planning asks every rule about the same few texts)."""
    return _parsed(path, text)


@functools.lru_cache(maxsize=64)
def _parsed(path: str, text: str) -> MetadataWrapper:
    wrapper = MetadataWrapper(cst.parse_module(text))
    index_tree(wrapper.module)
    return wrapper


_FACTS: dict[int, tuple[MetadataWrapper, Any, dict[int, cst.CSTNode], frozenset[str]]] = {}


def _facts(wrapper: MetadataWrapper) -> tuple[Any, dict[int, cst.CSTNode], frozenset[str]]:
    """Positions, parent links and mentioned names of a parsed module, computed once."""
    hit = _FACTS.get(id(wrapper))
    if hit is None or hit[0] is not wrapper:
        if len(_FACTS) > 64:
            _FACTS.clear()
        module = wrapper.module
        hit = (
            wrapper,
            wrapper.resolve(PositionProvider),
            parent_map(module),
            frozenset(module_level_names(module)),
        )
        _FACTS[id(wrapper)] = hit
    return hit[1], hit[2], hit[3]


def function_context(
    path: str, text: str, qualname: str, project: Project | None = None
) -> FunctionContext | None:
    ctx = _context(path, text, qualname, project or Project({}))
    if ctx is not None:
        ctx.module_names = set(ctx.base_names)
    return ctx


@functools.lru_cache(maxsize=512)
def _context(path: str, text: str, qualname: str, project: Project) -> FunctionContext | None:
    wrapper = _parsed(path, text)
    for qual, fn in iter_functions(wrapper.module):
        if qual == qualname:
            return FunctionContext(path, wrapper, fn, qual, project)
    return None


def match_function(text: str, name: str, line: int) -> str | None:
    """The qualname of the function a profiler named `name` (maybe `Class.meth`) at `line`.

    Several functions may share a name; the one whose body spans `line` wins, then the one
    defined nearest above it.
    """
    short = name.rsplit(".", 1)[-1]
    best: tuple[int, str] | None = None
    for qual, start, end in _function_spans(text):
        if qual != name and qual.rsplit(".", 1)[-1] != short:
            continue
        if "." in name and not qual.endswith(name):
            continue
        if start <= line <= end:
            score = 0
        elif start <= line:
            score = 1 + line - start
        else:
            score = 100_000 + start - line
        if line <= 0:
            score = 0
        if best is None or score < best[0]:
            best = (score, qual)
    return best[1] if best else None


@functools.lru_cache(maxsize=64)
def _function_spans(text: str) -> tuple[tuple[str, int, int], ...]:
    """Every function's qualname and first and last line (parsed once per text: a profile
    names many frames of one module)."""
    try:
        wrapper = MetadataWrapper(cst.parse_module(text))
    except cst.ParserSyntaxError:
        return ()
    positions = wrapper.resolve(PositionProvider)
    return tuple(
        (qual, positions[fn].start.line, positions[fn].end.line)
        for qual, fn in iter_functions(wrapper.module)
    )


class _Replacer(cst.CSTTransformer):
    def __init__(self, change: Change) -> None:
        super().__init__()
        self.replace = change.replace
        self.before = change.before
        self.done: set[int] = set()

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> Any:
        key = id(original_node)
        fn = self.replace.get(key)
        new: Any = updated_node if fn is None else fn(updated_node)
        if key in self.before:
            new = prepended(new, *self.before[key][1])
        if fn is not None or key in self.before:
            self.done.add(key)
        return new


def apply_change(module: cst.Module, change: Change) -> cst.Module:
    """`module` with `change` applied; raises ValueError if a replacement found no node."""
    replacer = _Replacer(change)
    new = module.visit(replacer)
    missing = (set(change.replace) | set(change.before)) - replacer.done
    if missing:
        raise ValueError(f"{len(missing)} rewrite target(s) not found")
    if change.imports or change.constants:
        new = add_module_statements(new, change.imports, change.constants)
    return new
