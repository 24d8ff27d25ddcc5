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
     too when it is not a near-duplicate of its fix (PlanSearch keeps both).
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

import difflib
import itertools
import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from agent.exceptions import ModelError
from agent.llm.plan_replies import (
    PLANNER_SCHEMA,
    as_list,
    check_reply,
    excerpt,
    extract_json,
    observations_of,
    plan_dicts,
    targets_of,
)
from agent.llm.prompts import render
from agent.protocols import Message, Model, Outcome, Plan, PlanRequest, StructuredModel

__all__ = [
    "LLMPlanner",
    "PlannerConfig",
    "describe_outcome",
    "drop_duplicates",
    "extract_json",
    "similarity",
]
from agent.llm.context import ContextConfig, build_context
from storage.vocabulary import IMPROVING, Status

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "of",
        "to",
        "in",
        "on",
        "for",
        "by",
        "with",
        "from",
        "into",
        "that",
        "this",
        "it",
        "its",
        "is",
        "are",
        "be",
        "as",
        "at",
        "or",
        "use",
        "using",
        "so",
        "each",
        "per",
        "all",
        "then",
        "than",
        "via",
    ]
)


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
    hotspots_shown: int = Field(default=12, ge=1)


# similarity ----------------------------------------------------------------------------------
def normalize(text: str) -> str:
    words = re.sub(r"[^a-z0-9_]+", " ", text.lower()).split()
    return " ".join(w for w in words if w not in STOPWORDS)


def similarity(a: str, b: str) -> float:
    """Max of word-set Jaccard and character similarity of the normalized texts (0..1)."""
    na, nb = normalize(a), normalize(b)
    if not na or not nb:
        return 1.0 if na == nb else 0.0
    wa, wb = set(na.split()), set(nb.split())
    jaccard = len(wa & wb) / len(wa | wb)
    chars = difflib.SequenceMatcher(None, na, nb, autojunk=False).ratio()
    return max(jaccard, chars)


def drop_duplicates(
    plans: Sequence[Plan], threshold: float, tried: Sequence[str] = ()
) -> list[Plan]:
    """Plans in order without near-duplicates of earlier ones or of titles already tried."""
    kept: list[Plan] = []
    tried_norm = {normalize(t) for t in tried if t}
    for p in plans:
        if normalize(p.title) in tried_norm:
            continue
        if any(similarity(t, p.title) >= max(threshold, 0.9) for t in tried):
            continue
        if any(
            normalize(p.title) == normalize(k.title)
            or similarity(f"{p.title}\n{p.text}", f"{k.title}\n{k.text}") >= threshold
            for k in kept
        ):
            continue
        kept.append(p)
    return kept


# evidence ------------------------------------------------------------------------------------
OUTCOME_WORDS: dict[Status, str] = {
    Status.SAME: "no measurable change, within noise",
    Status.SLOWER: "slower",
    Status.TESTS_FAILED: "the tests failed",
    Status.BROKEN: "broke the workload or changed its output",
    Status.OVERFIT: "faster on the benchmark's own inputs only, not on perturbed inputs or "
    "held-out workloads (do not tune to the benchmark)",
    Status.STATEFUL: "kept state between runs or wrote outside its work tree (no caches "
    "that outlive a call)",
    Status.INPUT_SPECIFIC: "special-cased the benchmark's inputs (never recognize inputs)",
    Status.EDIT_FAILED: "the edit could not be applied",
    Status.ERROR: "could not be measured (the sandbox failed)",
    Status.DUPLICATE: "the same change as an earlier candidate",
    Status.CODED: "not measured yet",
    Status.EVALUATING: "not measured yet",
}
"""What each non-improving status tells the planner (every status has words: see tests)."""


def describe_outcome(o: Outcome) -> str:
    """One line telling the model what happened to an earlier plan."""
    ratio = o.runtime_ratio
    ci = f", 95 % CI {o.ci[0]:.3f}-{o.ci[1]:.3f}" if o.ci else ""
    detail = " ".join(o.detail.split())
    if len(detail) > 300:
        detail = detail[:297] + "..."
    tail = f": {detail}" if detail else ""
    measured = f" (runtime ratio {ratio:.3f}{ci})" if ratio is not None else ""
    if o.status in IMPROVING or o.status == Status.UNCONFIRMED:
        what = f"faster by {(1 - (ratio or 1)) * 100:.1f} %{measured}"
        if o.status == Status.UNCONFIRMED:
            what += ", not confirmed on re-measurement"
    elif o.status == Status.SLOWER and ratio:
        what = f"slower by {(ratio - 1) * 100:.1f} %{measured}"
    else:
        what = OUTCOME_WORDS[o.status] + measured
    return f'"{o.plan_title}": {what}{tail}'


def baseline_lines(baseline: Mapping[str, Any]) -> list[tuple[str, str]]:
    out = []
    for key, value in baseline.items():
        if key in ("hotspots", "profile_samples") or isinstance(value, dict | list):
            continue
        if isinstance(value, float):
            text = f"{value:.4g}"
        elif isinstance(value, int) and not isinstance(value, bool) and value >= 10_000:
            text = f"{value:,}"
        else:
            text = str(value)
        out.append((key, text))
    return out


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
        """The round's stable messages: system prompt and evidence."""

    # one JSON step ---------------------------------------------------------------------------
    def _query(self, messages: list[Message]) -> str:
        """The reply's text; through structured output when the model has it (the provider
        setting `structured_output` turns that off)."""
        if isinstance(self.model, StructuredModel):
            reply = self.model.query_structured(messages, PLANNER_SCHEMA)
        else:
            reply = self.model.query(messages)
        self.calls += 1
        return reply.content

    def _ask(self, step: str, prompt: str, key: str, review: bool = False) -> dict[str, Any]:
        asked = [*self._prefix, Message("user", prompt)]
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
        hotspots = sorted(request.profile.hotspots, key=lambda h: h.total_share, reverse=True)
        context = build_context(
            request.profile, request.sources, ContextConfig(max_tokens=self.config.context_tokens)
        )
        return {
            "bench": request.task.bench,
            "test": request.task.test or "",
            "baseline": baseline_lines(request.baseline),
            "samples": request.profile.samples,
            "hotspots": hotspots[: self.config.hotspots_shown],
            "code": context.render() or "(no editable source found)",
            "editable": sorted(request.sources),
            "history": [describe_outcome(o) for o in request.history],
        }

    def plan(self, request: PlanRequest) -> list[Plan]:
        ev = self.evidence(request)
        self._prefix = [
            Message("system", render("planner_system"), cache=True),
            Message("user", render("planner_evidence", **ev), cache=True),
        ]
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
        hot = [f"{h.function} ({h.file}, {h.total_share:.0%})" for h in ev["hotspots"][:6]]
        prompt = render("planner_critique", plans=plans, hot=hot, history=ev["history"])
        try:
            data = self._ask("critique", prompt, "plans", review=True)
        except ModelError:
            return plans  # an unreviewed plan is still a plan; the measurements will judge it
        reviews = data["plans"] if isinstance(data.get("plans"), list) else []
        fixed: list[Plan] = []
        originals: list[Plan] = []
        for i, p in enumerate(plans):
            review = reviews[i] if i < len(reviews) and isinstance(reviews[i], dict) else {}
            if review.get("keep") is False:
                continue
            text = str(review.get("text") or "").strip()
            if not text:
                fixed.append(p)
                continue
            targets = targets_of(review.get("targets")) or p.targets
            title = " ".join(str(review.get("title") or p.title).split())[:200]
            data_ = {**p.data, "critique": str(review.get("critique") or ""), "fixed": True}
            fixed.append(Plan(title, text, p.source, targets, data_))
            originals.append(p)
        # Fixed plans first; an original survives only if it differs from every fix.
        return fixed + originals


def _tried(request: PlanRequest) -> list[str]:
    return [o.plan_title for o in request.history]
