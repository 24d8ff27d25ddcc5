"""Prompt templates (`*.j2`, Jinja2 with StrictUndefined: a missing variable is an error)."""

from __future__ import annotations

from typing import Any

import jinja2

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("agent.llm", "prompts"),
    undefined=jinja2.StrictUndefined,
    autoescape=False,
    keep_trailing_newline=False,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(name: str, **variables: Any) -> str:
    """The template `name` (without `.j2`) filled with `variables`, stripped."""
    return _ENV.get_template(f"{name}.j2").render(**variables).strip()
