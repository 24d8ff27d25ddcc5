"""A scripted planner+coder for loop tests: plans and their edits come from a JSON file.

File: {"plans": [{"title": str, "text": str, "files": {path: text}}], "sleep": seconds}, or
"rounds": [[plan, ...], ...] instead of "plans" for different plans in each planning round.
Usable from the CLI as `--model tests.agent.fakes:ScriptedEngine:FILE`.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from agent.protocols import CodeRequest, Edit, Plan, PlanRequest


class ScriptedEngine:
    name = "scripted"

    def __init__(self, script: dict[str, Any]) -> None:
        self.script = script
        self.requests: list[PlanRequest] = []

    @classmethod
    def from_name(cls, arg: str) -> ScriptedEngine:
        return cls(json.loads(Path(arg).read_text()))

    def plan(self, request: PlanRequest) -> list[Plan]:
        self.requests.append(request)
        time.sleep(float(self.script.get("sleep", 0)))
        rounds = self.script.get("rounds")
        plans = rounds[min(request.round, len(rounds)) - 1] if rounds else self.script["plans"]
        return [
            Plan(title=p["title"], text=p["text"], source="scripted", data={"files": p["files"]})
            for p in plans
        ][: request.n_plans]

    def code(self, request: CodeRequest) -> Edit:
        time.sleep(float(self.script.get("sleep", 0)))
        files = dict(request.plan.data["files"])
        if "error" in files:
            return Edit(error=str(files["error"]))
        return Edit(files=files)


class Crashing:
    """An engine with a bug: perfagent must report its own failure, never "no improvement"."""

    name = "crashing"

    @classmethod
    def from_name(cls, arg: str) -> Crashing:
        return cls()

    def plan(self, request: PlanRequest) -> list[Plan]:
        raise RuntimeError("a bug in the planner")

    def code(self, request: CodeRequest) -> Edit:
        raise RuntimeError("a bug in the coder")
