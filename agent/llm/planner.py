"""`LLMPlanner`: PlanSearch-style plans grounded in measurements, closed over earlier outcomes.

Each round the model sees the evidence: the baseline figures (wall time, instruction counts,
peak memory, whatever the baseline holds), the hotspot profile, the code of the hot functions
with their imports, callees and callers (`agent.llm.context`, within a token budget), and one line
per earlier `Outcome` ("tests failed: ...", "no measurable change (noise) ...", "faster by
18 % ..."), so failed ideas are not retried and good ones are built on.

Modes (`PlannerConfig.mode`, env `PERFAGENT_PLANNER_MODE`):

- ``search`` (default, up to 4 calls a round, in this order):
  1. first-order observations -> reply ``{"observations": [{"id", "text", "evidence"?}]}``
  2. second-order observations from pairs of them (skipped with fewer than two, or when
     ``second_order`` is off) -> reply ``{"observations": [{"id", "from"?, "text"}]}``
  3. plans from all observations -> reply ``{"plans": [PLAN, ...]}``
  4. critique and fix (skipped when ``critique`` is off) -> reply
     ``{"plans": [{"title", "critique"?, "text", "targets"?, "keep"?}, ...]}``, one entry per
     plan in order; ``"keep": false`` drops a plan. Fixed plans come first; an original is kept
     too when it is not a near-duplicate of its fix (PlanSearch keeps both). Before this
     call the plans are told as drafts (`plan_drafts`), so the loop can code them meanwhile.
- ``cheap`` (1 call): observations and plans together ->
  ``{"observations": [...], "plans": [PLAN, ...]}``.

PLAN is ``{"title": str, "text": str, "targets": ["file.py:function", ...],
"observations": ["O1", ...]}`` (targets and observations optional; targets may also be one
string). A reply to ANY step that carries a ``plans`` list ends generation there and skips the
critique (so a replay script can answer each round with a single JSON reply in either mode).

Prompts put the stable prefix first, for the providers' prompt caches: the system prompt,
then the evidence (workload, baseline, profile, code; marked `cache`), and last the step's
volatile part (earlier outcomes, observations, the task). Models with structured output are
asked through it with one schema for every step (`agent.llm.plan_replies`); others answer in
text. Replies may be bare JSON, JSON in a fenced block (```json ... ```), or JSON with prose
around it; echoed example values count as empty. A reply that cannot be used is answered with
the parse error and a short excerpt of the reply (never the whole of it) and asked again
(`json_retries` times); the critique step falls back to the unreviewed plans; any other step
then raises `ModelError` with a one-line reason. Near-duplicate plans (normalized text
similarity, and titles already tried) are dropped before any code is written; at most
`request.n_plans` plans are returned.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from agent.exceptions import BudgetExhausted, ModelAuthError, ModelError
from agent.llm.evidence import describe_outcome, gather
from agent.llm.explore import Explorer, describe_call
from agent.llm.plan_replies import (
    EXPLORING_SCHEMA,
    PLANNER_SCHEMA,
    as_list,
    check_reply,
    converged,
    excerpt,
    extract_json,
    observations_of,
    plan_dicts,
    targets_of,
)
from agent.llm.prompts import render
from agent.llm.similarity import drop_duplicates, similarity
from agent.protocols import Drafts, Message, Model, Plan, PlanRequest, StructuredModel

__all__ = [
    "LLMPlanner",
    "PlannerConfig",
    "describe_outcome",
    "drop_duplicates",
    "extract_json",
    "similarity",
]


class PlannerConfig(BaseSettings):
    """How the LLM planner searches; overridable as `PERFAGENT_PLANNER_<FIELD>`."""

    model_config = SettingsConfigDict(env_prefix="PERFAGENT_PLANNER_", extra="ignore")

    mode: Literal["search", "cheap"] = "search"
    """"search": observations, combinations, plans, critique (≤ 4 calls); "cheap": 1 call."""
    observations: int = Field(default=8, ge=1)
    """First-order observations asked for."""
    second_order: bool = True
    """Ask for observations from pairs of first-order ones (search mode)."""
    max_pairs: int = Field(default=6, ge=1)
    """Observation pairs offered for second-order reasoning (the first ones, in order)."""
    critique: bool = True
    """Run the critique-and-fix pass over the plans (search mode)."""
    json_retries: int = Field(default=1, ge=0)
    """Re-asks per step when a reply is not usable JSON."""
    duplicate_threshold: float = Field(default=0.75, gt=0, le=1)
    """Plans at least this similar (normalized words or characters) count as duplicates."""
    context_tokens: int = Field(default=6000, ge=200)
    """Token budget for the code shown to the planner."""
    map_tokens: int = Field(default=1500, ge=100)
    """Token budget for the map of the editable files (ranked by the profile)."""
    hotspots_shown: int = Field(default=12, ge=1)
    explore_steps: int = Field(default=0, ge=0)
    """Read-only tool calls (view, grep, definitions, callers) the model may make before it
    plans, each round (0: no exploring)."""


# the planner ---------------------------------------------------------------------------------
class LLMPlanner:
    """Plans from a chat model (see the module docstring for the replies it expects)."""

    def __init__(self, model: Model, config: PlannerConfig | None = None) -> None:
        self.model = model
        self.name = model.name
        self.config = config or PlannerConfig()
        self.calls = 0
        """Model calls made so far (all rounds)."""
        self.last_observations: list[dict[str, Any]] = []
        self._prefix: list[Message] = []
        """The round's stable messages: system prompt, evidence (and what exploring found)."""

    # one JSON step ---------------------------------------------------------------------------
    def _query(self, messages: list[Message]) -> str:
        """The reply's text; through structured output when the model has it (the provider
        setting `structured_output` turns that off)."""
        if isinstance(self.model, StructuredModel):
            schema = EXPLORING_SCHEMA if self.config.explore_steps else PLANNER_SCHEMA
            reply = self.model.query_structured(messages, schema)
        else:
            reply = self.model.query(messages)
        self.calls += 1
        return reply.content

    def _ask(
        self, step: str, prompt: str | list[Message], key: str, review: bool = False
    ) -> dict[str, Any]:
        tail = [Message("user", prompt)] if isinstance(prompt, str) else prompt
        asked = [*self._prefix, *tail]
        messages = asked
        error = ""
        for _ in range(self.config.json_retries + 1):
            content = self._query(messages)
            try:
                data = extract_json(content)
                check_reply(data, key, review)
                return data
            except ValueError as exc:
                error = str(exc)
                # The error and the reply's start, not the whole reply: a junk reply sent back
                # can overflow a small model's context.
                retry = render("json_retry", error=error, excerpt=excerpt(content))
                messages = [*asked, Message("user", retry)]
        raise ModelError(
            f"planner: {self.name} gave no usable {step} reply "
            f"after {self.config.json_retries + 1} attempts: {error}"
        )

    # the round -------------------------------------------------------------------------------
    def evidence(self, request: PlanRequest) -> dict[str, Any]:
        """Template variables shared by the planning prompts."""
        cfg = self.config
        return gather(request, cfg.context_tokens, cfg.map_tokens, cfg.hotspots_shown)

    def _explore(self, request: PlanRequest) -> dict[str, Any]:
        """Read-only tool calls before planning, up to `explore_steps`; what they returned
        joins the round's cached prefix. A model that fails here only ends the exploring."""
        budget = self.config.explore_steps
        explorer = Explorer(request.sources)
        done: list[str] = []
        tail = [Message("user", render("planner_explore", steps=budget))]
        while len(done) < budget:
            try:
                data = self._ask("exploration", tail, "calls")
            except ModelError as exc:
                if isinstance(exc, ModelAuthError):
                    raise
                break
            calls = [c for c in as_list(data.get("calls")) if isinstance(c, dict)]
            if not calls:
                break
            results = []
            for call in calls[: budget - len(done)]:
                done.append(describe_call(call))
                results.append((done[-1], explorer.run(call)))
            tail.append(
                Message(
                    "user",
                    render("planner_explore_results", results=results, left=budget - len(done)),
                )
            )
        if len(tail) > 1:
            found = "\n\n".join(m.content for m in tail[1:])
            self._prefix.append(Message("user", "# What exploring found\n\n" + found, cache=True))
        return {"steps": len(done), "budget": budget, "calls": done}

    def plan(self, request: PlanRequest) -> list[Plan]:
        return self.plan_drafts(request, lambda _drafts: None)

    def plan_drafts(self, request: PlanRequest, drafts: Drafts) -> list[Plan]:
        """The round's plans; `drafts` is told them before the critique reviews them."""
        ev = self.evidence(request)
        self._prefix = [
            Message("system", render("planner_system"), cache=True),
            Message("user", render("planner_evidence", **ev), cache=True),
        ]
        extra: dict[str, Any] = {"hot": ev["hot"]}
        if self.config.explore_steps:
            extra["exploration"] = self._explore(request)

        def grounded(plans: Sequence[Plan]) -> list[Plan]:
            return [replace(p, data={**p.data, **extra}) for p in plans]

        return grounded(self._round(request, ev, lambda plans: drafts(grounded(plans))))

    def _round(self, request: PlanRequest, ev: Mapping[str, Any], drafts: Drafts) -> list[Plan]:
        n = max(1, request.n_plans)
        cfg = self.config
        if cfg.mode == "cheap":
            data = self._ask("plan", render("planner_cheap", n_plans=n, **ev), "plans")
            return self._finish(data, [], request)
        data = self._ask(
            "observation",
            render("planner_observations", k=cfg.observations, **ev),
            "observations",
        )
        if converged(data, "observations"):
            return []
        observations = observations_of(data, "O")
        if plan_dicts(data):
            return self._finish(data, observations, request)
        if cfg.second_order and len(observations) >= 2:
            pairs = list(itertools.combinations([o["id"] for o in observations], 2))
            data = self._ask(
                "second-order observation",
                render(
                    "planner_second_order",
                    observations=observations,
                    pairs=pairs[: cfg.max_pairs],
                ),
                "observations",
            )
            if plan_dicts(data):
                return self._finish(data, observations, request)
            observations += observations_of(data, "C", taken={o["id"] for o in observations})
        self.last_observations = observations
        data = self._ask(
            "plan", render("planner_plans", n_plans=n, observations=observations, **ev), "plans"
        )
        plans = self._plans(data, observations)
        if cfg.critique and plans:
            drafts(drop_duplicates(plans, cfg.duplicate_threshold, _tried(request))[:n])
            plans = self._critique(plans, ev)
        return drop_duplicates(plans, cfg.duplicate_threshold, _tried(request))[:n]

    def _finish(
        self, data: Mapping[str, Any], observations: list[dict[str, Any]], request: PlanRequest
    ) -> list[Plan]:
        observations = observations + observations_of(
            data, "O", taken={o["id"] for o in observations}
        )
        self.last_observations = observations
        plans = self._plans(data, observations)
        return drop_duplicates(plans, self.config.duplicate_threshold, _tried(request))[
            : max(1, request.n_plans)
        ]

    def _plans(self, data: Mapping[str, Any], observations: list[dict[str, Any]]) -> list[Plan]:
        by_id = {o["id"]: o["text"] for o in observations}
        out = []
        for item in plan_dicts(data):
            cited = [str(x) for x in as_list(item.get("observations"))]
            out.append(
                Plan(
                    title=" ".join(str(item["title"]).split())[:200],
                    text=str(item["text"]).strip(),
                    source=self.name,
                    targets=targets_of(item.get("targets")),
                    data={
                        "observations": [by_id.get(c, c) for c in cited],
                        "planner": self.config.mode,
                    },
                )
            )
        return out

    def _critique(self, plans: list[Plan], ev: Mapping[str, Any]) -> list[Plan]:
        hot = [f"{h['function']} ({h['where']}, {h['total']:.0f} %)" for h in ev["hotspots"][:6]]
        prompt = render("planner_critique", plans=plans, hot=hot, history=ev["history"])
        try:
            data = self._ask("critique", prompt, "plans", review=True)
        except (ModelError, BudgetExhausted):
            # An unreviewed plan is still a plan (the measurements judge it), and a budget
            # spent here is met again by the next call, with this round's plans kept.
            return plans
        reviews = data["plans"] if isinstance(data.get("plans"), list) else []
        fixed: list[Plan] = []
        originals: list[Plan] = []
        for i, p in enumerate(plans):
            review = reviews[i] if i < len(reviews) and isinstance(reviews[i], dict) else {}
            if review.get("keep") is False:
                continue
            text = str(review.get("text") or "").strip()
            targets = targets_of(review.get("targets")) or p.targets
            title = " ".join(str(review.get("title") or p.title).split())[:200]
            noted = {**p.data, "critique": str(review.get("critique") or "")}
            if not text or (title, _words(text), targets) == (p.title, _words(p.text), p.targets):
                fixed.append(replace(p, data=noted))  # unchanged: its draft's edit stands
                continue
            fixed.append(Plan(title, text, p.source, targets, {**noted, "fixed": True}))
            originals.append(p)
        # Fixed plans first; an original survives only if it differs from every fix.
        return fixed + originals


def _words(text: str) -> str:
    return " ".join(text.split())


def _tried(request: PlanRequest) -> list[str]:
    return [o.plan_title for o in request.history]
