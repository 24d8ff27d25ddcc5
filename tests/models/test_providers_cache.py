"""Prompt caching, structured output and prices through the real SDKs on loopback servers.

The servers simulate each provider's prompt cache (`tests.models.loopback.PromptCache`) and
report it the way that provider does: Anthropic in `usage.cache_read_input_tokens` and
`usage.cache_creation_input_tokens`, OpenAI in `usage.prompt_tokens_details.cached_tokens`.
"""

from __future__ import annotations

import json

import pytest

from agent.exceptions import BadInput
from agent.llm.coder import LLMCoder
from agent.llm.plan_replies import PLANNER_SCHEMA
from agent.models import get_model
from agent.models.accounting import BudgetedModel
from agent.models.anthropic_model import AnthropicModel
from agent.models.openai_model import OpenAIModel
from agent.models.provider import ProviderConfig
from agent.models.settings import load_model_settings
from agent.protocols import CodeRequest, Message, Plan, Task
from tests.models.loopback import PromptCache, ScriptedServer, Step

KEY = "sk-test-0123456789abcdefSECRET"
STABLE = "def hot(xs):\n    return [x * 2 for x in xs]\n" * 400  # about 4,000 tokens


def conversation(turn: int) -> list[Message]:
    return [
        Message("system", "You optimize code.", cache=True),
        Message("user", STABLE, cache=True),
        Message("user", f"Step {turn}: say something new."),
    ]


def make(kind: str, url: str, **cfg: object) -> OpenAIModel | AnthropicModel:
    config = ProviderConfig(timeout_s=5, **cfg)  # type: ignore[arg-type]
    if kind == "openai":
        return OpenAIModel("gpt-4o-mini", api_key=KEY, base_url=url + "/v1", config=config)
    return AnthropicModel("claude-haiku-4-5", api_key=KEY, base_url=url, config=config)


@pytest.mark.parametrize("kind", ["openai", "anthropic"])
def test_cached_tokens_appear_from_the_second_call_and_are_priced(
    server: ScriptedServer, kind: str
) -> None:
    cache = PromptCache(kind)
    server.add(*[Step(200, cache.body(f"answer {i}")) for i in range(3)])
    model = make(kind, server.url)
    replies = [model.query(conversation(i)) for i in range(3)]
    assert replies[0].cached_input_tokens == 0
    assert all(r.cached_input_tokens > 3000 for r in replies[1:])
    assert all(r.cached_input_tokens < r.input_tokens for r in replies)
    for r in replies:
        plain = r.input_tokens - r.cached_input_tokens - r.cache_write_tokens
        if kind == "openai":  # gpt-4o-mini: 0.15 input, 0.075 cached, 0.6 output
            expected = plain * 0.15 + r.cached_input_tokens * 0.075 + r.output_tokens * 0.6
        else:  # claude-haiku-4-5: 1.0 input, 0.1 read, 1.25 write, 5.0 output
            expected = (
                plain * 1.0
                + r.cached_input_tokens * 0.1
                + r.cache_write_tokens * 1.25
                + r.output_tokens * 5.0
            )
        assert r.cost_usd == pytest.approx(expected / 1e6)
    assert replies[1].cost_usd < replies[0].cost_usd
    if kind == "anthropic":
        assert replies[0].cache_write_tokens > 3000 and replies[1].cache_write_tokens == 0
        sent = server.completions[0].body
        assert sent["system"][0]["cache_control"] == {"type": "ephemeral"}
        first_turn = sent["messages"][0]["content"]
        assert "cache_control" in first_turn[0] and "cache_control" not in first_turn[1]


def test_anthropic_without_prompt_cache_sends_no_breakpoints(server: ScriptedServer) -> None:
    cache = PromptCache("anthropic")
    server.add(*[Step(200, cache.body("ok")) for _ in range(2)])
    model = make("anthropic", server.url, prompt_cache=False)
    replies = [model.query(conversation(i)) for i in range(2)]
    assert [r.cached_input_tokens for r in replies] == [0, 0]
    assert "cache_control" not in json.dumps(server.completions[0].body)


def test_at_most_four_breakpoints_reach_anthropic(server: ScriptedServer) -> None:
    server.add(Step(200, PromptCache("anthropic").body("ok")))
    many = [Message("user", f"part {i}", cache=True) for i in range(6)]
    make("anthropic", server.url).query(many)
    assert json.dumps(server.completions[0].body).count("cache_control") == 4


@pytest.mark.parametrize("kind", ["openai", "anthropic"])
def test_the_coders_reasks_read_the_files_from_the_cache(server: ScriptedServer, kind: str) -> None:
    """The edit loop's second attempt pays for the files at the cache-read rate."""
    source = "def slow(xs):\n    acc = 0\n    for x in xs:\n        acc += x\n    return acc\n"
    filler = "".join(f"def helper_{i}(a, b):\n    return a + b + {i}\n\n\n" for i in range(300))
    sources = {"pkg/core.py": source + "\n\n" + filler}
    wrong = "pkg/core.py\n```python\n<<<<<<< SEARCH\n    total = 0\n=======\n    pass\n>>>>>>> REPLACE\n```"
    good = (
        "pkg/core.py\n```python\n<<<<<<< SEARCH\n    acc = 0\n    for x in xs:\n        acc += x\n"
        "    return acc\n=======\n    return sum(xs)\n>>>>>>> REPLACE\n```"
    )
    cache = PromptCache(kind)
    server.add(Step(200, cache.body(wrong)), Step(200, cache.body(good)))
    plan = Plan("Use sum", "slow is hot; use sum().", "test", ("pkg/core.py:slow",))
    task = Task(task_id="t", repo=__import__("pathlib").Path("/x"), bench="python b.py")
    calls: list = []
    model = make(kind, server.url)
    model.on_call = lambda m, r, e: calls.append(r)
    edit = LLMCoder(model).code(CodeRequest(task=task, plan=plan, sources=sources))
    assert edit.error == "" and edit.attempts == 2
    first, second = calls
    assert first.cached_input_tokens == 0 and second.cached_input_tokens > 2000


def test_openai_structured_output_carries_the_strict_schema(server: ScriptedServer) -> None:
    reply = json.dumps({"observations": [], "plans": [{"title": "t", "text": "x"}]})
    server.add(Step(200, PromptCache("openai").body(reply)))
    got = make("openai", server.url).query_structured(conversation(0), PLANNER_SCHEMA)
    assert json.loads(got.content)["plans"][0]["title"] == "t"
    fmt = server.completions[0].body["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["strict"] is True
    assert fmt["json_schema"]["name"] == "planner_reply"
    assert fmt["json_schema"]["schema"] == PLANNER_SCHEMA.schema


def test_anthropic_structured_output_is_a_forced_tool(server: ScriptedServer) -> None:
    answer = {
        "observations": [{"id": "O1", "text": "hot loop", "evidence": "", "from": []}],
        "plans": [],
    }
    server.add(Step(200, PromptCache("anthropic").body(json.dumps(answer))))
    got = make("anthropic", server.url).query_structured(conversation(0), PLANNER_SCHEMA)
    assert json.loads(got.content) == answer
    sent = server.completions[0].body
    assert sent["tools"] == [
        {
            "name": "planner_reply",
            "description": PLANNER_SCHEMA.description,
            "input_schema": PLANNER_SCHEMA.schema,
        }
    ]
    assert sent["tool_choice"] == {"type": "tool", "name": "planner_reply"}


def test_anthropic_thinking_offers_the_tool_and_keeps_the_reply_allowance(
    server: ScriptedServer,
) -> None:
    server.add(Step(200, PromptCache("anthropic").body('{"observations": [], "plans": []}')))
    model = make(
        "anthropic", server.url, thinking_budget=2048, max_output_tokens=1000, temperature=0.3
    )
    model.query_structured(conversation(0), PLANNER_SCHEMA)
    sent = server.completions[0].body
    assert sent["thinking"] == {"type": "enabled", "budget_tokens": 2048}
    assert sent["max_tokens"] == 3048 and sent["tool_choice"] == {"type": "auto"}
    assert "temperature" not in sent  # extended thinking accepts no other


def test_settings_reach_the_request(
    server: ScriptedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", server.url + "/v1")
    monkeypatch.setenv("PERFAGENT_MODEL_TEMPERATURE", "0.2")
    settings = load_model_settings(
        {"max_output_tokens": 1234},
        {
            "reasoning_effort": "low",
            "extra_headers": {"X-Gateway-Token": "gw-secret-123456"},
            "temperature": 0.9,
        },
    )
    server.add(Step(200, PromptCache("openai").body("ok")))
    model = get_model("openai:gpt-4o-mini", settings)
    model.query(conversation(0))
    seen = server.completions[0]
    assert seen.body["max_completion_tokens"] == 1234
    assert seen.body["temperature"] == 0.2  # the environment beats the file
    assert seen.body["reasoning_effort"] == "low"
    assert seen.headers["x-gateway-token"] == "gw-secret-123456"
    assert "gw-secret-123456" in model._secrets  # header values are redacted like keys


def test_a_dollar_budget_on_an_unpriced_model_is_refused(server: ScriptedServer) -> None:
    """Guards against a silent 0 USD: an unknown model's calls would never stop a budget."""
    url = f"openai-compatible:my-local-model@{server.url}/v1"
    model = get_model(url)
    with pytest.raises(BadInput, match="has no known price") as info:
        BudgetedModel(model, max_cost_usd=5.0)
    assert "\n" not in str(info.value) and "price = {input" in str(info.value)
    BudgetedModel(model, max_cost_usd=0)  # no dollar budget: fine
    priced = get_model(url, load_model_settings({}, {"price": {"input": 2.0, "output": 4.0}}))
    budgeted = BudgetedModel(priced, max_cost_usd=5.0)
    server.add(Step(200, PromptCache("openai").body("ok")))
    reply = budgeted.query([Message("user", "x" * 4000)])
    assert reply.cost_usd == pytest.approx((reply.input_tokens * 2 + reply.output_tokens * 4) / 1e6)
    assert budgeted.ledger.unpriced_calls == 0


@pytest.mark.parametrize("kind", ["openai", "anthropic"])
def test_a_planning_round_reads_its_evidence_from_the_cache(
    server: ScriptedServer, kind: str
) -> None:
    """Observations, second-order observations, plans and critique share one cached prefix
    (system prompt and evidence) and one schema, so calls 2 to 4 read it from the cache."""
    from agent.llm.planner import LLMPlanner
    from agent.protocols import Hotspot, HotspotProfile, PlanRequest

    obs = {
        "observations": [
            {"id": "O1", "text": "hot loop", "evidence": "80 %", "from": []},
            {"id": "O2", "text": "temporary list", "evidence": "", "from": []},
        ],
        "plans": [],
    }
    plan = {
        "title": "Use sum",
        "text": "Replace the loop with sum().",
        "targets": [],
        "observations": ["O1"],
        "critique": "",
        "keep": True,
    }
    script = [
        obs,
        {"observations": [], "plans": []},
        {"observations": [], "plans": [plan]},
        {"observations": [], "plans": [plan]},
    ]
    cache = PromptCache(kind)
    server.add(*[Step(200, cache.body(json.dumps(x))) for x in script])
    model = make(kind, server.url)
    replies: list = []
    model.on_call = lambda m, r, e: replies.append(r)
    body = "".join(f"    y{i} = xs[{i}] * {i} + len(xs)\n" for i in range(300))
    sources = {"pkg/m0.py": f"def hot(xs):\n{body}    return y1\n"}
    profile = HotspotProfile((Hotspot("hot", "pkg/m0.py", 1, 0.8, 0.8),), samples=100)
    task = Task(task_id="t", repo=__import__("pathlib").Path("/x"), bench="python b.py")
    out = LLMPlanner(model).plan(PlanRequest(task, profile, sources, {"wall_s": 1.0}))
    assert [p.title for p in out] == ["Use sum"]
    assert replies[0].cached_input_tokens == 0
    assert all(r.cached_input_tokens > 1000 for r in replies[1:])
    if kind == "anthropic":
        tools = [s.body["tools"] for s in server.completions]
        assert all(t == tools[0] for t in tools)
