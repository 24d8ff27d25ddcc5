"""Shared helpers for the rules engine tests (imported as `tests.models.rules_corpus.helpers`)."""

from __future__ import annotations

import importlib.util
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from agent.engines.rules import Step, StepFailed, run_step
from agent.engines.rules.project import project_for

HERE = Path(__file__).parent


def load(name: str) -> ModuleType:
    """Import `rules_corpus/<name>.py` under a unique module name."""
    mod_name = f"_rules_corpus_{name}"
    if mod_name in sys.modules:
        return sys.modules[mod_name]
    spec = importlib.util.spec_from_file_location(mod_name, HERE / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[mod_name] = module
    spec.loader.exec_module(module)
    return module


def rewrite(source: str, rule: str, function: str, path: str = "mod.py") -> str | None:
    """`source` with `rule` applied to `function`, or None when the rule does not fire."""
    texts = {path: textwrap.dedent(source)}
    try:
        run_step(texts, Step(rule, path, function), verify=False, project=project_for(texts))
    except StepFailed:
        return None
    return texts[path]


def body_of(text: str, function: str) -> str:
    """The source lines of one top-level function in `text` (for readable assertions)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"def {function}("))
    end = next(
        (i for i in range(start + 1, len(lines)) if lines[i] and not lines[i][0].isspace()),
        len(lines),
    )
    return "\n".join(lines[start:end]).rstrip() + "\n"


def run_module(text: str, name: str) -> dict[str, object]:
    """Execute module text as a fresh module and return its namespace (registered in
    `sys.modules` while it runs: dataclasses look their module up there)."""
    module = ModuleType(name)
    sys.modules[name] = module
    try:
        exec(compile(text, f"<{name}>", "exec"), module.__dict__)
    finally:
        del sys.modules[name]
    return module.__dict__


def outcome(fn: Callable[..., Any], *args: Any) -> object:
    """What calling `fn` shows: its result, or the type of the exception it raises."""
    try:
        return fn(*args)
    except Exception as e:  # the exception is the observable outcome
        return type(e)
