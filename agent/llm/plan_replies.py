"""What the planner asks a model for, and how it reads the answer.

One schema serves every planning step (`PlannerReply`: observations and plans, each step
filling the list it asks for), so the tool or `response_format` a provider sees is the same
for the whole round and does not break its prompt cache. Providers with structured output
get the schema (`PLANNER_SCHEMA`); the text parser (`extract_json`) reads everyone else, and
both paths go through the same lenient readers below. Echoed templates count as empty: a
title, text or target that is the prompt's own example, or only dots, is dropped.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from agent.protocols import OutputSchema

FENCED = re.compile(r"```(?:json|JSON)?[ \t]*\n(.*?)```", re.DOTALL)
PLACEHOLDERS = frozenset(
    {
        "",
        "short imperative title",
        "the plan in plain words",
        "the fixed plan",
        "path/file.py:function",
    }
)
"""The example values the planning prompts show (lower case); a reply that echoes them is
not an answer."""
EXCERPT_CHARS = 300
"""How much of a failed reply a re-ask quotes."""


# the schema ----------------------------------------------------------------------------------
class ObservationItem(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    id: str = Field(description='"O1", "O2", ... (second-order: "C1", ...)')
    text: str = Field(description="One or two sentences naming the function or line.")
    evidence: str = Field(default="", description="The figure or quoted line it rests on.")
    sources: list[str] = Field(
        default_factory=list, alias="from", description="Second-order: the ids it combines."
    )


class PlanItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(description="A short imperative title.")
    text: str = Field(description="The plan in plain words: what, where and why.")
    targets: list[str] = Field(default_factory=list, description='"path/file.py:function"')
    observations: list[str] = Field(default_factory=list, description="Ids it builds on.")
    critique: str = Field(default="", description="Critique step: the review of the plan.")
    keep: bool = Field(default=True, description="Critique step: false drops the plan.")


class PlannerReply(BaseModel):
    """Every planning step's answer: the step's task says which list to fill."""

    model_config = ConfigDict(extra="forbid")

    observations: list[ObservationItem] = Field(default_factory=list)
    plans: list[PlanItem] = Field(default_factory=list)


class ToolCall(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tool: Literal["view", "grep", "definitions", "callers"]
    path: str = Field(default="", description="A file (view, definitions) or directory (grep).")
    start: int = Field(default=0, description="view: first line.")
    end: int = Field(default=0, description="view: last line.")
    pattern: str = Field(default="", description="grep: a regular expression.")
    name: str = Field(default="", description="definitions, callers: a function or class.")


class ExploringReply(PlannerReply):
    """The same, with the exploration step's tool calls (one schema for the whole round)."""

    calls: list[ToolCall] = Field(default_factory=list)


def strict_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema in the strict form structured outputs require: references
    inlined, every property required, no additional properties, no defaults or titles."""
    raw = model.model_json_schema(by_alias=True)
    defs = raw.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(x) for x in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            return walk(defs[node["$ref"].rsplit("/", 1)[-1]])
        out = {k: walk(v) for k, v in node.items() if k not in ("default", "title", "properties")}
        if "properties" in node:  # property names are data, not keywords: keep every one
            out["properties"] = {k: walk(v) for k, v in node["properties"].items()}
        if out.get("type") == "object":
            out["required"] = list(out.get("properties", {}))
            out["additionalProperties"] = False
        return out

    schema = walk(raw)
    assert isinstance(schema, dict)
    return schema


PLANNER_SCHEMA = OutputSchema(
    name="planner_reply",
    description="Observations and optimization plans; fill the list the task asks for.",
    schema=strict_schema(PlannerReply),
)
EXPLORING_SCHEMA = OutputSchema(
    name="planner_reply",
    description="Tool calls, observations and optimization plans; fill the list the task asks for.",
    schema=strict_schema(ExploringReply),
)


# reading replies -----------------------------------------------------------------------------
def extract_json(text: str) -> dict[str, Any]:
    """The JSON object in a reply: bare, fenced, or the first balanced `{...}` in prose."""
    stripped = text.strip()
    candidates = [m.strip() for m in FENCED.findall(text)]
    if stripped[:1] in ("{", "["):
        candidates.insert(0, stripped)
    start = text.find("{")
    if start >= 0:
        candidates.append(text[start : _balanced_end(text, start)])
    error = "no JSON object found"
    for c in candidates:
        if not c:
            continue
        try:
            value = json.loads(c)
        except ValueError as exc:
            error = f"invalid JSON ({exc})"
            continue
        if isinstance(value, dict):
            return value
        error = f"expected a JSON object, got {type(value).__name__}"
    raise ValueError(error)


def _balanced_end(text: str, start: int) -> int:
    depth, in_str, esc = 0, False, False
    for i in range(start, len(text)):
        ch = text[i]
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i + 1
    return len(text)


def excerpt(reply: str, limit: int = EXCERPT_CHARS) -> str:
    """The start of a failed reply, on one line and cut to `limit` characters."""
    flat = " ".join(reply.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def is_placeholder(value: Any) -> bool:
    """True for an empty value, only dots, or the prompt's own example text."""
    text = " ".join(str(value or "").split()).strip().strip("\"'`").strip().lower()
    return not text.replace(".", "").replace("\u2026", "").strip() or text in PLACEHOLDERS


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def targets_of(value: Any) -> tuple[str, ...]:
    out = []
    for t in as_list(value):
        if isinstance(t, dict):
            path, func = str(t.get("file") or t.get("path") or ""), str(t.get("function") or "")
            t = f"{path}:{func}" if func else path
        text = str(t).strip()
        if text and not is_placeholder(text):
            out.append(text)
    return tuple(dict.fromkeys(out))


def plan_dicts(data: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The usable plans of a reply: a title and a text, neither a placeholder."""
    raw = data.get("plans")
    if not isinstance(raw, list):
        return []
    return [
        p
        for p in raw
        if isinstance(p, dict)
        and isinstance(p.get("title"), str)
        and isinstance(p.get("text"), str)
        and not is_placeholder(p["title"])
        and not is_placeholder(p["text"])
    ]


def observations_of(
    data: Mapping[str, Any], prefix: str, taken: set[str] | None = None
) -> list[dict[str, Any]]:
    """The usable observations of a reply, with ids made unique (`prefix` + number)."""
    taken = set(taken or ())
    out = []
    for item in as_list(data.get("observations")):
        if isinstance(item, str):
            item = {"text": item}
        if not isinstance(item, dict) or is_placeholder(item.get("text")):
            continue
        oid = str(item.get("id") or "").strip()
        if not oid or oid in taken:
            oid = next(f"{prefix}{k}" for k in itertools.count(1) if f"{prefix}{k}" not in taken)
        taken.add(oid)
        out.append({"id": oid, "text": " ".join(str(item["text"]).split())})
    return out


def converged(data: Mapping[str, Any], key: str) -> bool:
    """`{"plans": []}`: the model says there is nothing new worth trying. At an observation
    step only without observations (a structured reply always carries both lists)."""
    if data.get("plans") != []:
        return False
    return key == "plans" or "observations" not in data


def check_reply(data: Mapping[str, Any], key: str, review: bool) -> None:
    """`ValueError` (said to the model) when a step's reply holds nothing usable."""
    if key == "calls":
        if not isinstance(data.get("calls"), list):
            raise ValueError('the object has no "calls" list')
        return
    if converged(data, key):
        return
    if review and isinstance(data.get("plans"), list):
        return
    if data.get("plans") or key == "plans":
        if not plan_dicts(data):
            raise ValueError(
                '"plans" holds no plan with a real "title" and "text" '
                "(the example values of the prompt do not count)"
            )
        return
    if not isinstance(data.get(key), list):
        raise ValueError(f'the object has no "{key}" list')
    if key == "observations" and data[key] and not observations_of(data, "O"):
        raise ValueError(
            '"observations" holds no observation with a real "text" '
            "(the example values of the prompt do not count)"
        )
