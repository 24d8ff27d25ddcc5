"""A deterministic model that answers from a script: for tests, demos and bug reports.

Script file (JSON): `{"replies": [REPLY, ...]}` where REPLY is a string, or an object
`{"content": str, "input_tokens": int, "output_tokens": int, "cost_usd": float,
"cached_input_tokens": int, "cache_write_tokens": int}`, or
`{"raise": "rate_limit" | "auth" | "timeout" | "error", "message": str}` to fail that call.
Replies are consumed in order; when the script runs out the run ends with a budget reason.
Structured queries are answered from the same script (the reply is the JSON text), and the
schemas asked for are kept in `schemas`, one entry per call (None for a plain query).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from agent.exceptions import BadInput, BudgetExhausted, ModelAuthError, ModelError
from agent.protocols import Message, OutputSchema, Reply


class ReplayModel:
    def __init__(self, replies: Sequence[str | dict[str, Any]], name: str = "replay") -> None:
        self.name = name
        self._replies = list(replies)
        self.calls: list[list[Message]] = []
        self.schemas: list[OutputSchema | None] = []

    @classmethod
    def from_name(cls, arg: str) -> ReplayModel:
        if not arg:
            raise BadInput("replay model needs a script: --model replay:FILE.json")
        path = Path(arg)
        try:
            data = json.loads(path.read_text())
            replies = data["replies"] if isinstance(data, dict) else data
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise BadInput(f"cannot read replay script {arg}: {exc}") from exc
        if not isinstance(replies, list):
            raise BadInput(f"replay script {arg}: 'replies' must be a list")
        return cls(replies, name=f"replay:{path.name}")

    @property
    def remaining(self) -> int:
        return len(self._replies)

    def query_structured(self, messages: Sequence[Message], schema: OutputSchema) -> Reply:
        reply = self.query(messages)
        self.schemas[-1] = schema
        return reply

    def query(self, messages: Sequence[Message]) -> Reply:
        self.calls.append(list(messages))
        self.schemas.append(None)
        if not self._replies:
            raise BudgetExhausted("replay script exhausted")
        item = self._replies.pop(0)
        if isinstance(item, str):
            item = {"content": item}
        if "raise" in item:
            kind, message = item["raise"], item.get("message", "scripted failure")
            if kind == "auth":
                raise ModelAuthError(f"{self.name}: {message}")
            raise ModelError(f"{self.name}: {kind}: {message}")
        content = str(item.get("content", ""))
        return Reply(
            content=content,
            model=self.name,
            input_tokens=int(item.get("input_tokens", sum(len(m.content) // 4 for m in messages))),
            output_tokens=int(item.get("output_tokens", len(content) // 4)),
            cost_usd=float(item.get("cost_usd", 0.0)),
            cached_input_tokens=int(item.get("cached_input_tokens", 0)),
            cache_write_tokens=int(item.get("cache_write_tokens", 0)),
        )
