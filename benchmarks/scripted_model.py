"""A scripted OpenAI-compatible model on 127.0.0.1 for `loop_speed.py`: real planner and coder
prompts in, plans and SEARCH/REPLACE edits out, after a fixed delay.

Its plans and edits are the `rules` engine's for the example (plus harmless comment-only
variants, so a budget of 8 finds 8 distinct candidates); every answer takes `delay_s`, so an
instant run and a slow run do exactly the same work and differ only in the model's latency.
It answers each planning step of the planner's search mode by the step's task text, and a
plan it did not write (the loop's opening plans from the profile) with the edit of its own
that best matches the functions the plan names, as a model would implement the plan it is
given. That choice depends on the request alone, never on which concurrent request the
server answered first, so both runs code the same edits for the same plans.
"""

from __future__ import annotations

import ast
import json
import re
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from agent.config import RUN_KEYS
from agent.engines import get_engine
from agent.protocols import CodeRequest, HotspotProfile, PlanRequest
from agent.wiring import checkout_for
from tasks import load_task
from tests.models.loopback import ScriptedServer, Step, openai_body

Plan = dict[str, Any]

NOTES = (
    ("explain the record layout", "Records arrive as dicts keyed by field name."),
    ("state the loop's cost", "Quadratic when every order scans the whole catalogue."),
    ("name the invariants", "Identifiers stay unique; quantities never go negative."),
    ("document the ordering", "Output keeps first-seen order, as callers rely on."),
    ("note the units", "Prices hold cents as integers, weights hold grams."),
    ("warn about aliasing", "Callers own these lists: copy before mutating."),
    ("describe failure modes", "Unknown suppliers raise KeyError rather than pass silently."),
    ("credit the format", "Input follows the CSV export of the warehouse system."),
)
"""Comment-only plans (title, the comment): distinct enough that the planner's duplicate
filter keeps every one, so a budget larger than the rules engine's plans is spent in full."""


def catalogue(example: Path, profile: HotspotProfile, n: int) -> list[Plan]:
    """At most `n` plans with their edits (task-relative path -> new text): the rules
    engine's first, then one comment-only plan per `NOTES` entry on its hot files."""
    task = load_task(example, run_keys=RUN_KEYS)
    sources = checkout_for(task).sources("")
    engine = get_engine("rules")
    request = PlanRequest(
        task=task, profile=profile, sources=sources, baseline={}, n_plans=n, round=1
    )
    plans: list[Plan] = []
    for p in engine.plan(request):
        edit = engine.code(CodeRequest(task=task, plan=p, sources=sources))
        if edit.files and not edit.error:
            plans.append({"title": p.title, "text": p.text, "targets": list(p.targets),
                          "files": dict(edit.files), "original": sources})  # fmt: skip
    hot = [h.file for h in profile.hotspots if h.file in sources] or sorted(sources)
    for k, (title, note) in enumerate(NOTES[: max(0, n - len(plans))]):
        path = hot[k % len(hot)]
        text = f"# {note}\n" + sources[path]
        plans.append({"title": f"{title} ({path})", "text": f"{note} (a comment in {path})",
                      "targets": [path], "files": {path: text}, "original": sources})  # fmt: skip
    return plans[:n]


def changed_functions(plan: Plan) -> frozenset[str]:
    """Names of the functions whose source the plan's edit changes (or adds)."""

    def bodies(text: str) -> dict[str, str]:
        try:
            tree = ast.parse(text)
        except SyntaxError:
            return {}
        return {n.name: ast.dump(n) for n in ast.walk(tree)
                if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}  # fmt: skip

    out: set[str] = set()
    for path, new in plan["files"].items():
        old, now = bodies(plan["original"].get(path, "")), bodies(new)
        out |= {name for name, body in now.items() if old.get(name) != body}
    return frozenset(out)


def blocks(plan: Plan) -> str:
    """Whole-file SEARCH/REPLACE blocks turning the base's files into the plan's."""
    out = []
    for path, new in plan["files"].items():
        old = plan["original"][path]
        old = old if old.endswith("\n") else old + "\n"
        new = new if new.endswith("\n") else new + "\n"
        out.append(f"{path}\n```python\n<<<<<<< SEARCH\n{old}=======\n{new}>>>>>>> REPLACE\n```")
    return "\n\n".join(out)


class PlannerCoder:
    """Answers planning and coding requests from the catalogue, in order."""

    def __init__(self, plans: list[Plan]) -> None:
        self.plans = plans
        self.by_title = {p["title"]: p for p in plans}
        self.served = 0
        self.lock = threading.Lock()
        self.answered: dict[str, Plan] = {}
        """Plans it did not write, by title: the edit it chose for each."""

    def _matching(self, title: str) -> Plan | None:
        """The unserved edit covering most of the functions an unknown plan names (after
        its colon), with fewest others; ties go to catalogue order. Served once."""
        named = {w.strip() for w in title.partition(":")[2].split(",") if w.strip()}
        with self.lock:
            if title in self.answered:
                return self.answered[title]
            free = [p for p in self.plans[self.served :] if p not in self.answered.values()]
            if not free:
                return None
            best = max(free, key=lambda p: (len(changed_functions(p) & named),
                                            -len(changed_functions(p) - named)))  # fmt: skip
            self.answered[title] = best
            return best

    def _next(self, n: int) -> list[Plan]:
        with self.lock:
            free = [p for p in self.plans[self.served :] if p not in self.answered.values()]
            got = free[:n]
            self.served = self.plans.index(got[-1]) + 1 if got else len(self.plans)
        return got

    @staticmethod
    def _plan_json(p: Plan, **more: Any) -> dict[str, Any]:
        return {"title": p["title"], "text": p["text"], "targets": p["targets"],
                "observations": ["O1"], **more}  # fmt: skip

    def reply(self, messages: list[Mapping[str, Any]]) -> str:
        last = str(messages[-1].get("content", ""))
        whole = "\n".join(str(m.get("content", "")) for m in messages)
        obs = [{"id": "O1", "text": "The profile names the hot functions.", "evidence": "py-spy"}]
        if "# Plans to review" in last:
            titles = re.findall(r"^## Plan \d+: (.+)$", last, re.MULTILINE)
            kept = [self.by_title[t] for t in titles if t in self.by_title]
            review = [self._plan_json(p, critique="sound", keep=True) for p in kept]
            return json.dumps({"observations": [], "plans": review})
        if "For each pair of observations" in last:
            return json.dumps({"observations": [], "plans": []})
        wanted = re.search(r"(?:Write|write) (\d+) distinct optimization plans", last)
        if wanted:
            plans = [self._plan_json(p) for p in self._next(int(wanted.group(1)))]
            return json.dumps({"observations": obs, "plans": plans})
        if "observations" in last and "# Task" in last:
            return json.dumps({"observations": obs, "plans": []})
        found = re.search(r"^# Plan: (.+)$", whole, re.MULTILINE)
        if found and found.group(1).strip() in self.by_title:
            return blocks(self.by_title[found.group(1).strip()])
        if found and (unplanned := self._matching(found.group(1).strip())):
            return blocks(unplanned)  # a plan it did not write (the loop's own)
        return "{}"


def serve(plans: list[Plan], delay_s: float) -> ScriptedServer:
    """A loopback server answering chat completions from `plans` after `delay_s`."""
    brain = PlannerCoder(plans)
    server = ScriptedServer()

    def answer(request: Any) -> dict[str, Any]:
        messages = request.get("messages", []) if isinstance(request, dict) else []
        return openai_body(brain.reply(messages), model="scripted")

    server.routes["/v1/chat/completions"] = Step(body=answer, delay_s=delay_s)
    return server
