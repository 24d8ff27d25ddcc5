"""The repository as a whole: where a called name is defined, and the types its functions and
classes promise (return annotations, annotated fields, `self.x` set in `__init__`).

Rewrites that need facts about a callee (`effects.py`) ask a `Project`; anything it cannot
resolve to a definition in the repository (or only to an interface's) is unknown, and
unknown is unsafe."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import libcst as cst

from agent.engines.rules.abstract import interface_method
from agent.engines.rules.syntax import code_of, index_tree
from agent.engines.rules.typeinfo import IMMUTABLE_STDLIB as _IMMUTABLE_STDLIB
from agent.engines.rules.typeinfo import NONE, UNKNOWN, T, annotation_type, class_fields, join


@dataclass(frozen=True)
class FunctionRef:
    """A function or method defined in the repository."""

    path: str
    qualname: str
    fn: cst.FunctionDef
    cls: str | None = None
    """The class a method belongs to."""


def dotted_name(path: str) -> str:
    """`pkg/mod.py` -> `pkg.mod`, `pkg/__init__.py` -> `pkg`."""
    parts = path.removesuffix(".py").split("/")
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


class Project:
    """The repository's Python sources, parsed once, with name resolution across modules."""

    def __init__(self, sources: Mapping[str, str]) -> None:
        self.key = hashlib.sha256(
            "\0".join(f"{p}\0{t}" for p, t in sorted(sources.items())).encode()
        ).hexdigest()
        self.sources = dict(sources)  # the texts the project was read from
        self.modules: dict[str, cst.Module] = {}
        for path, text in sorted(sources.items()):
            if path.endswith(".py"):
                try:
                    self.modules[path] = _parse(text)
                except Exception:
                    continue
        self.by_dotted: dict[str, str] = {}
        for path in self.modules:
            name = dotted_name(path)
            self.by_dotted.setdefault(name, path)
            if name.startswith("src."):
                self.by_dotted.setdefault(name[4:], path)
        self.defs: dict[str, dict[str, cst.CSTNode]] = {
            p: _top_defs(m) for p, m in self.modules.items()
        }
        self.imports: dict[str, dict[str, tuple[str, str | None]]] = {
            p: _imports(p, m) for p, m in self.modules.items()
        }
        self.classes = self._classes()
        self.fields = self._fields()
        self._facts: dict[tuple[str, bool], dict[str, T]] = {}
        self.memo: dict[str, object] = {}  # answers about the whole project, worked out once

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Project) and other.key == self.key

    # --- resolution -------------------------------------------------------------------------

    def lookup(self, path: str, name: str, depth: int = 0) -> tuple[str, cst.CSTNode] | None:
        """The definition (`def`, `class` or module-level assignment) `name` means in `path`."""
        node = self.defs.get(path, {}).get(name)
        if node is not None:
            return path, node
        imported = self.imports.get(path, {}).get(name)
        if imported is None or depth > 4:
            return None
        module, attr = imported
        target = self.by_dotted.get(module)
        if target is None or attr is None:
            return None
        return self.lookup(target, attr, depth + 1)

    def module_alias(self, path: str, name: str) -> str | None:
        """The repository module a local name refers to (`import pkg.mod as m`)."""
        imported = self.imports.get(path, {}).get(name)
        if imported is None:
            return None
        module, attr = imported
        full = f"{module}.{attr}" if attr else module
        return self.by_dotted.get(full)

    def function(self, path: str, qualname: str) -> FunctionRef | None:
        module = self.modules.get(path)
        if module is None:
            return None
        return _functions(module, path).get(qualname)

    def resolve(
        self, path: str, func: cst.BaseExpression, self_class: str | None = None
    ) -> FunctionRef | tuple[str, cst.ClassDef] | None:
        """The repository function (or class, for a constructor call) `func` calls, if known."""
        if isinstance(func, cst.Name):
            found = self.lookup(path, func.value)
            if found is None:
                return None
            where, node = found
            if isinstance(node, cst.FunctionDef):
                return FunctionRef(where, func.value, node)
            if isinstance(node, cst.ClassDef):
                return where, node
            return None
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
            owner = func.value.value
            if owner == "self" and self_class is not None:
                return self.method(self_class, func.attr.value)
            target = self.module_alias(path, owner)
            if target is not None:
                return self.resolve(target, cst.Name(func.attr.value))
        return None

    def method(self, cls: str, name: str) -> FunctionRef | None:
        """`cls.name` when defined in `cls` itself and no repository subclass overrides it."""
        found = self.classes.get(cls)
        if found is None:
            return None
        path, node = found
        for _other_path, other in self.classes.values():
            bases = {code_of(b.value).rsplit(".", 1)[-1] for b in other.bases}
            if cls in bases and _methods(other).get(name) is not None:
                return None
        fn = _methods(node).get(name)
        ok = fn is not None and not interface_method(node, fn)
        return FunctionRef(path, f"{cls}.{name}", fn, cls) if ok else None  # type: ignore[arg-type]

    def defines_method(self, name: str) -> bool:
        """Some class of the repository defines a method called `name`."""
        return any(name in _methods(node) for _, node in self.classes.values())

    # --- types ------------------------------------------------------------------------------

    def _classes(self) -> dict[str, tuple[str, cst.ClassDef]]:
        seen: dict[str, list[tuple[str, cst.ClassDef]]] = {}
        for path, module in self.modules.items():
            for stmt in module.body:
                if isinstance(stmt, cst.ClassDef):
                    seen.setdefault(stmt.name.value, []).append((path, stmt))
        return {name: found[0] for name, found in seen.items() if len(found) == 1}

    def _fields(self) -> dict[str, T]:
        fields: dict[str, T] = {}
        for path, module in self.modules.items():
            fields.update(
                (key, t)
                for key, t in class_fields(module).items()
                if self.classes.get(key.split(".", 1)[0], ("",))[0] == path
            )
            for stmt in module.body:
                if isinstance(stmt, cst.ClassDef) and stmt.name.value in self.classes:
                    fields.update(_init_fields(stmt, fields))
                    fields.update(_method_returns(stmt))
        return fields

    def type_facts(self, path: str, *, inferred: bool = True) -> dict[str, T]:
        """Types for `build_env`: class fields, and `()name` for callables visible in `path`
        (from return annotations, else from what an unannotated function returns)."""
        cached = self._facts.get((path, inferred))
        if cached is not None:
            return cached
        facts = dict(self.fields)
        names = set(self.defs.get(path, {})) | set(self.imports.get(path, {}))
        from agent.engines.rules.constants import (
            constant_value,
            immutable_class,
            immutable_construction,
        )
        from agent.engines.rules.infer import infer_in

        for name in names:
            found = self.lookup(path, name)
            made = immutable_class(self, path, cst.Name(name)) if found is None else None
            if made is not None:
                facts[f"(){name}"] = T(f"obj:{made}")  # `Decimal(...)` builds a Decimal
            module, attr = self.imports.get(path, {}).get(name, ("", "x"))
            for (home, cls), kind in _IMMUTABLE_STDLIB.items():
                if found is None and not attr and module == home:
                    facts[f"(){name}.{cls}"] = T(f"obj:{kind}")  # `decimal.Decimal(...)`
            if found is None:
                continue
            where, node = found
            if isinstance(node, cst.ClassDef):
                facts[f"(){name}"] = T(f"obj:{node.name.value}")
            elif isinstance(node, cst.FunctionDef) and node.returns is not None:
                facts[f"(){name}"] = annotation_type(node.returns.annotation)
            elif isinstance(node, cst.FunctionDef) and inferred:
                facts[f"(){name}"] = self._returned(where, node)
            elif isinstance(node, cst.Assign) and constant_value(self, where, name):
                made = immutable_construction(self, where, node.value)
                literal = infer_in(node.value, {}) if made is None else T(f"obj:{made}")
                if literal.kind != "unknown":  # `ZERO = Decimal("0")`, `CODES = ("a", "b")`
                    facts[name] = literal
        self._facts[(path, inferred)] = facts
        return facts

    def _returned(self, path: str, fn: cst.FunctionDef) -> T:
        """The join of the types an unannotated function returns (UNKNOWN for generators)."""
        from agent.engines.rules.envs import build_env
        from agent.engines.rules.infer import infer_in
        from agent.engines.rules.syntax import walk

        env = build_env(fn, self.type_facts(path, inferred=False)).names
        out: T | None = None
        body = fn.body.body if isinstance(fn.body, cst.IndentedBlock) else ()
        last = body[-1] if body else None
        if not (
            isinstance(last, cst.SimpleStatementLine)
            and isinstance(last.body[-1], cst.Return | cst.Raise)
        ):
            out = NONE
        for n in walk(fn.body):
            if isinstance(n, cst.Yield | cst.Await):
                return UNKNOWN
            if isinstance(n, cst.Return):
                out = join(out, infer_in(n.value, env) if n.value is not None else NONE)
        return out or UNKNOWN

    def all_functions(self) -> Iterator[FunctionRef]:
        for path, module in self.modules.items():
            yield from _functions(module, path).values()


@functools.lru_cache(maxsize=256)
def _parse(text: str) -> cst.Module:
    module = cst.parse_module(text)
    index_tree(module)
    return module


def _top_defs(module: cst.Module) -> dict[str, cst.CSTNode]:
    out: dict[str, cst.CSTNode] = {}
    for stmt in module.body:
        if isinstance(stmt, cst.FunctionDef | cst.ClassDef):
            out[stmt.name.value] = stmt
        elif isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                targets = (
                    [t.target for t in small.targets]
                    if isinstance(small, cst.Assign)
                    else [small.target]
                    if isinstance(small, cst.AnnAssign)
                    else []
                )
                for target in targets:
                    if isinstance(target, cst.Name):
                        out[target.value] = small
    return out


def _imports(path: str, module: cst.Module) -> dict[str, tuple[str, str | None]]:
    """local name -> (module, attribute or None) for the module's top-level imports."""
    package = dotted_name(path).split(".")
    if not path.endswith("__init__.py"):
        package = package[:-1]
    out: dict[str, tuple[str, str | None]] = {}
    for stmt in module.body:
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            if isinstance(small, cst.Import):
                for alias in small.names:
                    full = code_of(alias.name)
                    local = code_of(alias.asname.name) if alias.asname else full.split(".")[0]
                    out[local] = (full if alias.asname else local, None)
            elif isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
                base = code_of(small.module) if small.module else ""
                if small.relative:
                    up = len(small.relative) - 1
                    parent = package[: len(package) - up] if up else package
                    base = ".".join([*parent, base] if base else parent)
                for alias in small.names:
                    name = code_of(alias.name)
                    local = code_of(alias.asname.name) if alias.asname else name
                    out[local] = (base, name)
    return out


def _methods(cls: cst.ClassDef) -> dict[str, cst.FunctionDef]:
    body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
    return {s.name.value: s for s in body if isinstance(s, cst.FunctionDef)}


_FUNCTIONS: dict[tuple[int, str], tuple[cst.Module, dict[str, FunctionRef]]] = {}


def _functions(module: cst.Module, path: str) -> dict[str, FunctionRef]:
    hit = _FUNCTIONS.get((id(module), path))
    if hit is not None and hit[0] is module:
        return hit[1]
    if len(_FUNCTIONS) > 512:
        _FUNCTIONS.clear()
    out: dict[str, FunctionRef] = {}
    for stmt in module.body:
        if isinstance(stmt, cst.FunctionDef):
            out[stmt.name.value] = FunctionRef(path, stmt.name.value, stmt)
        elif isinstance(stmt, cst.ClassDef):
            for name, fn in _methods(stmt).items():
                qual = f"{stmt.name.value}.{name}"
                out[qual] = FunctionRef(path, qual, fn, stmt.name.value)
    _FUNCTIONS[(id(module), path)] = (module, out)
    return out


def _init_fields(cls: cst.ClassDef, known: dict[str, T]) -> dict[str, T]:
    """`self.x: T = ...` in `__init__` (annotation), or `self.x = param` / `list(param)` of an
    annotated parameter; a field assigned differently anywhere is left unknown."""
    init = _methods(cls).get("__init__")
    if init is None:
        return {}
    params = {
        p.name.value: annotation_type(p.annotation.annotation if p.annotation else None)
        for p in init.params.params
    }
    out: dict[str, T] = {}
    for stmt in init.body.body if isinstance(init.body, cst.IndentedBlock) else ():
        if not isinstance(stmt, cst.SimpleStatementLine):
            continue
        for small in stmt.body:
            target, value, ann = _self_assignment(small)
            if target is None:
                continue
            key = f"{cls.name.value}.{target}"
            if key in known:
                continue
            t = annotation_type(ann) if ann is not None else _param_copy_type(value, params)
            out[key] = t if key not in out else UNKNOWN
    return {k: v for k, v in out.items() if v != UNKNOWN}


def _self_assignment(
    small: cst.BaseSmallStatement,
) -> tuple[str | None, cst.BaseExpression | None, cst.BaseExpression | None]:
    if isinstance(small, cst.AnnAssign):
        target, value, ann = small.target, small.value, small.annotation.annotation
    elif isinstance(small, cst.Assign) and len(small.targets) == 1:
        target, value, ann = small.targets[0].target, small.value, None
    else:
        return None, None, None
    if (
        isinstance(target, cst.Attribute)
        and isinstance(target.value, cst.Name)
        and target.value.value == "self"
    ):
        return target.attr.value, value, ann
    return None, None, None


def _param_copy_type(value: cst.BaseExpression | None, params: dict[str, T]) -> T:
    if isinstance(value, cst.Name):
        return params.get(value.value, UNKNOWN)
    if (
        isinstance(value, cst.Call)
        and code_of(value.func) in ("list", "dict", "set")
        and len(value.args) == 1
        and isinstance(value.args[0].value, cst.Name)
    ):
        t = params.get(value.args[0].value.value, UNKNOWN)
        kind = code_of(value.func)
        return t if t.kind == kind else UNKNOWN
    return UNKNOWN


def _method_returns(cls: cst.ClassDef) -> dict[str, T]:
    """`"Class.meth()" -> T` from return annotations."""
    return {
        f"{cls.name.value}.{name}()": annotation_type(fn.returns.annotation)
        for name, fn in _methods(cls).items()
        if fn.returns is not None
    }


@functools.lru_cache(maxsize=8)
def project_of(sources: tuple[tuple[str, str], ...]) -> Project:
    return Project(dict(sources))


def project_for(sources: Mapping[str, str]) -> Project:
    """The (cached) `Project` of these sources."""
    return project_of(tuple(sorted(sources.items())))
