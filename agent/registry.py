"""Lazy registries: short names to `module:Class` targets, imported only when asked for.

`--model` takes `NAME[:ARG]`: a registered model or engine, or a dotted path
`package.module:Class[:ARG]`. Every class is built with `Class.from_name(ARG)`.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

from agent.exceptions import BadInput

KNOWN = ("rules", "replay", "anthropic", "openai", "openai-compatible")
"""Every registered name `--model` takes (engines and models), for error messages."""


def split_name(name: str) -> tuple[str, str]:
    """`"anthropic:claude-x"` -> `("anthropic", "claude-x")`; a dotted path keeps its class."""
    head, _, arg = name.strip().partition(":")
    if "." in head and arg:
        cls, _, arg = arg.partition(":")
        return f"{head}:{cls}", arg
    return head, arg


def load_class(provider: str, *tables: Mapping[str, str]) -> type[Any]:
    """The class a registered name or a dotted `module:Class` names; BadInput otherwise."""
    target = next((t[provider] for t in tables if provider in t), "")
    target = target or (provider if ":" in provider else "")
    if not target:
        known = ", ".join(sorted(KNOWN))
        raise BadInput(f"unknown model {provider!r}; use one of {known} (as NAME:ARG)")
    module_name, _, attr = target.partition(":")
    try:
        module = importlib.import_module(module_name)
        return getattr(module, attr)
    except (ImportError, AttributeError) as exc:
        raise BadInput(f"model {provider!r} is not available: {exc}") from exc
