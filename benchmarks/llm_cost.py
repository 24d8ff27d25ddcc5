"""What do prompt caching and prompt order save? Run by hand (not collected by pytest):

    PYTHONPATH=. python benchmarks/llm_cost.py [--files 12]

A scripted exchange goes through the real planner, coder and provider adapters (the real
`openai` and `anthropic` SDKs) against loopback servers that simulate each provider's prompt
cache and report it as that provider does: one planning round in search mode (observations,
second-order observations, plans, critique), then two plans coded, each needing one re-ask,
both counted as accepted. It is run with caching (the provider's cache, and Anthropic's
`cache_control` breakpoints) and without (a provider that caches nothing; no breakpoints),
and prints calls, prompt tokens, cached tokens and dollars per accepted candidate at list
prices (claude-sonnet-4-5, gpt-4.1). Token counts are the simulator's (four characters a
token), so the figures compare the two modes; they are not a bill.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from agent.llm.coder import LLMCoder
from agent.llm.planner import LLMPlanner
from agent.models.anthropic_model import AnthropicModel
from agent.models.openai_model import OpenAIModel
from agent.models.provider import ProviderConfig, ProviderModel
from agent.protocols import CodeRequest, Hotspot, HotspotProfile, PlanRequest, Reply, Task
from tests.models.loopback import PromptCache, ScriptedServer, Step

ACCEPTED = 2
KEY = "sk-bench-not-a-real-key-000000"


def sources(n_files: int) -> dict[str, str]:
    """A package of `n_files` modules; `pkg/core.py` holds the hot loop."""
    out = {
        "pkg/core.py": "def slow_sum(xs):\n    acc = 0\n    for x in xs:\n        acc += x\n"
        "    return acc\n\n\ndef count(xs, y):\n    return len([x for x in xs if x == y])\n"
    }
    for k in range(n_files):
        out[f"pkg/mod{k}.py"] = "".join(
            f"def helper_{k}_{i}(a, b):\n    return (a * {i} + b) % 97\n\n\n" for i in range(60)
        )
    return out


def block(search: str, replace: str) -> str:
    return f"pkg/core.py\n```python\n<<<<<<< SEARCH\n{search}=======\n{replace}>>>>>>> REPLACE\n```"


PLANS = [
    {
        "title": "Use the builtin sum",
        "text": "slow_sum is 80 % of samples: use sum(xs).",
        "targets": ["pkg/core.py:slow_sum"],
        "observations": ["O1"],
        "critique": "",
        "keep": True,
    },
    {
        "title": "Use list.count",
        "text": "count builds a list: use xs.count(y).",
        "targets": ["pkg/core.py:count"],
        "observations": ["O2"],
        "critique": "",
        "keep": True,
    },
]
REPLIES = [
    json.dumps(
        {
            "observations": [
                {
                    "id": "O1",
                    "text": "slow_sum loops in Python (80 %)",
                    "evidence": "80 %",
                    "from": [],
                },
                {
                    "id": "O2",
                    "text": "count builds a temporary list",
                    "evidence": "15 %",
                    "from": [],
                },
            ],
            "plans": [],
        }
    ),
    json.dumps({"observations": [], "plans": []}),
    json.dumps({"observations": [], "plans": PLANS}),
    json.dumps({"observations": [], "plans": PLANS}),
    block("    total = 0\n", "    pass\n"),
    block(
        "    acc = 0\n    for x in xs:\n        acc += x\n    return acc\n", "    return sum(xs)\n"
    ),
    block("    return len([x for y in xs])\n", "    pass\n"),
    block("    return len([x for x in xs if x == y])\n", "    return xs.count(y)\n"),
]


class NoCache(PromptCache):
    """A provider that caches nothing (the 'without caching' baseline)."""

    def usage(self, request: dict[str, Any]) -> tuple[int, int, int]:
        full, _, _ = super().usage(request)
        return full, 0, 0


def make(kind: str, url: str, caching: bool) -> ProviderModel:
    config = ProviderConfig(timeout_s=30, prompt_cache=caching)
    if kind == "openai":
        return OpenAIModel("gpt-4.1", api_key=KEY, base_url=url + "/v1", config=config)
    return AnthropicModel("claude-sonnet-4-5", api_key=KEY, base_url=url, config=config)


def scripted_run(kind: str, caching: bool, n_files: int) -> list[Reply]:
    server = ScriptedServer()
    cache = PromptCache(kind) if caching else NoCache(kind)
    model = "gpt-4.1" if kind == "openai" else "claude-sonnet-4-5"
    server.add(*[Step(200, cache.body(text, model=model)) for text in REPLIES])
    replies: list[Reply] = []
    adapter = make(kind, server.url, caching)
    adapter.on_call = lambda _m, reply, _e: replies.append(reply) if reply else None
    try:
        files = sources(n_files)
        task = Task(task_id="bench", repo=Path("/bench"), bench="python bench.py", test="pytest")
        profile = HotspotProfile(
            hotspots=(
                Hotspot("slow_sum", "pkg/core.py", 2, self_share=0.8, total_share=0.8),
                Hotspot("count", "pkg/core.py", 9, self_share=0.15, total_share=0.15),
            ),
            samples=1000,
        )
        request = PlanRequest(task, profile, files, {"wall_s": 1.5}, n_plans=2)
        plans = LLMPlanner(adapter).plan(request)
        coder = LLMCoder(adapter)
        for plan in plans[:ACCEPTED]:
            edit = coder.code(CodeRequest(task=task, plan=plan, sources=files))
            assert edit.files, edit.error
    finally:
        server.close()
    return replies


def row(label: str, replies: list[Reply], per: Callable[[float], float]) -> str:
    tokens = sum(r.input_tokens for r in replies)
    cached = sum(r.cached_input_tokens for r in replies)
    written = sum(r.cache_write_tokens for r in replies)
    usd = sum(r.cost_usd for r in replies)
    return (
        f"{label:<28} {len(replies):>5} {per(tokens):>12,.0f} {per(cached):>12,.0f} "
        f"{per(written):>12,.0f} {per(usd):>11.5f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=12, help="modules in the package")
    args = parser.parse_args()
    print(f"per accepted candidate ({ACCEPTED} accepted in the scripted run)")
    head = f"{'provider / mode':<28} {'calls':>5} {'prompt tok':>12} {'cached tok':>12}"
    print(head + f" {'written tok':>12} {'USD':>11}")
    for kind in ("anthropic", "openai"):
        costs = {}
        for caching in (True, False):
            replies = scripted_run(kind, caching, args.files)
            costs[caching] = sum(r.cost_usd for r in replies)
            label = f"{kind} {'with' if caching else 'without'} caching"
            print(row(label, replies, lambda v: v / ACCEPTED))
        print(f"{kind}: caching costs {costs[True] / costs[False]:.2f} x the uncached run")


if __name__ == "__main__":
    main()
