"""Local OpenAI-compatible servers as first-class: windows, slots, cancellation, fallbacks.

The real `openai` SDK against a loopback server that answers llama.cpp's `/props`, vLLM's
`/v1/models` and ollama's `/api/show` as those servers do.
"""

from __future__ import annotations

import json
import threading
import time

import pytest

from agent.exceptions import ModelError
from agent.llm.plan_replies import PLANNER_SCHEMA
from agent.models.openai_compatible import OpenAICompatibleModel
from agent.models.provider import ProviderConfig, prompt_tokens
from agent.models.retries import RetryPolicy
from agent.protocols import Message
from tests.models.loopback import ScriptedServer, Step, error_body, openai_body

PROMPT = [Message("system", "You optimize code."), Message("user", "x = 1\n" * 800)]


def local(
    server: ScriptedServer, sleeps: list[float] | None = None, **cfg: object
) -> OpenAICompatibleModel:
    values: dict = {"timeout_s": 5, "retry": RetryPolicy(max_attempts=3, base_delay_s=0.5)}
    values["sleep"] = (sleeps if sleeps is not None else []).append
    config = ProviderConfig(**{**values, **cfg})
    return OpenAICompatibleModel("qwen2.5-coder", base_url=server.url + "/v1", config=config)


WINDOW_ROUTES = {
    "llama.cpp /props": {
        "/props": Step(200, {"default_generation_settings": {"n_ctx": 4096}, "total_slots": 4})
    },
    "vLLM /v1/models": {
        "/v1/models": Step(
            200, {"object": "list", "data": [{"id": "qwen2.5-coder", "max_model_len": 4096}]}
        )
    },
    "ollama /api/show": {
        "/api/show": Step(
            200,
            {
                "parameters": "temperature 0.7\nnum_ctx 4096",
                "model_info": {"qwen2.context_length": 32768},
            },
        )
    },
}


@pytest.mark.parametrize("where", list(WINDOW_ROUTES))
def test_the_window_is_learned_and_the_reply_allowance_fits_it(
    server: ScriptedServer, where: str
) -> None:
    """Guards against asking 8,192 output tokens of a 4,096-token server, which let a model
    that never stops fill the server's context."""
    server.routes.update(WINDOW_ROUTES[where])
    server.add(Step(200, openai_body("ok", model="qwen2.5-coder")), Step(200, openai_body("ok")))
    model = local(server)
    model.query(PROMPT)
    model.query(PROMPT)
    asked = [s.body["max_tokens"] for s in server.completions]
    assert asked == [4096 - prompt_tokens(PROMPT)] * 2
    probes = [s.path for s in server.seen if s not in server.completions]
    assert len(probes) <= 3  # asked once, not per call


def test_the_setting_beats_the_server_and_a_prompt_that_cannot_fit_is_refused(
    server: ScriptedServer,
) -> None:
    server.routes.update(WINDOW_ROUTES["llama.cpp /props"])
    model = local(server, context_window=1500)
    with pytest.raises(ModelError, match=r"does not fit the model's context window of 1500"):
        model.query(PROMPT)
    assert server.completions == []  # refused before sending anything
    server.add(Step(200, openai_body("ok")))
    short = [Message("user", "hello")]
    model.query(short)
    assert server.completions[0].body["max_tokens"] == min(8192, 1500 - prompt_tokens(short))


def test_llama_cpp_trained_length_is_the_last_resort(server: ScriptedServer) -> None:
    server.routes["/v1/models"] = Step(
        200, {"data": [{"id": "model.gguf", "meta": {"n_ctx_train": 3000}}]}
    )
    server.add(Step(200, openai_body("ok")))
    local(server).query(PROMPT)
    assert server.completions[0].body["max_tokens"] == 3000 - prompt_tokens(PROMPT)


def test_an_unknown_window_leaves_the_allowance_alone(server: ScriptedServer) -> None:
    server.add(Step(200, openai_body("ok")))
    local(server, max_output_tokens=2000).query(PROMPT)
    assert server.completions[0].body["max_tokens"] == 2000


def ask_at_once(model: OpenAICompatibleModel, n: int) -> list[BaseException]:
    errors: list[BaseException] = []

    def one() -> None:
        try:
            model.query([Message("user", "hi")])
        except BaseException as exc:  # collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return errors


@pytest.mark.parametrize("how", ["props", "setting"])
def test_a_one_slot_server_gets_one_request_at_a_time(server: ScriptedServer, how: str) -> None:
    """Guards against requests queuing inside a one-slot llama.cpp server, where a client's
    timeout cannot see them and every retry waits behind the abandoned one."""
    if how == "props":
        server.routes["/props"] = Step(
            200, {"default_generation_settings": {"n_ctx": 8192}, "total_slots": 1}
        )
    server.add(*[Step(200, openai_body("ok"), delay_s=0.3) for _ in range(3)])
    model = local(server, slots=1 if how == "setting" else None)
    assert ask_at_once(model, 3) == []
    assert [s.overlapping for s in server.completions] == [0, 0, 0]


def test_without_a_slot_limit_requests_overlap(server: ScriptedServer) -> None:
    """The control for the test above: the server does see overlapping requests."""
    server.add(*[Step(200, openai_body("ok"), delay_s=0.5) for _ in range(2)])
    assert ask_at_once(local(server), 2) == []
    assert max(s.overlapping for s in server.completions) == 1


def test_a_timed_out_request_is_cancelled_before_the_retry(server: ScriptedServer) -> None:
    """Guards against retries queuing behind an abandoned request: the timed-out connection
    is closed (the server sees the hang-up) before the retry is sent."""
    server.routes["/props"] = Step(
        200, {"default_generation_settings": {"n_ctx": 8192}, "total_slots": 1}
    )
    server.add(Step(200, openai_body("late"), delay_s=5.0), Step(200, openai_body("on time")))
    sleeps: list[float] = []
    model = local(server, sleeps, timeout_s=0.5)
    assert model.query([Message("user", "hi")]).content == "on time"
    first, retry = server.completions
    assert retry.overlapping == 0  # the first connection was closed when the retry came
    deadline = time.monotonic() + 5
    while not first.cancelled and time.monotonic() < deadline:
        time.sleep(0.02)  # the server's handler notices the hang-up on its next poll
    assert first.cancelled
    assert len(sleeps) == 1


def test_structured_output_is_tried_once_per_server(server: ScriptedServer) -> None:
    """A server that rejects `response_format` is asked in text from then on, by every model
    on it: one rejected request per server, not one per call."""
    plans = json.dumps({"plans": [{"title": "t", "text": "x"}]})
    server.add(
        Step(400, error_body("invalid_request_error", "response_format not supported")),
        *[Step(200, openai_body(plans)) for _ in range(3)],
    )
    first = local(server)
    assert json.loads(first.query_structured(PROMPT, PLANNER_SCHEMA).content)["plans"]
    first.query_structured(PROMPT, PLANNER_SCHEMA)
    local(server).query_structured(PROMPT, PLANNER_SCHEMA)
    sent = [("response_format" in s.body) for s in server.completions]
    assert sent == [True, False, False, False]


def test_a_server_with_structured_output_keeps_getting_the_schema(server: ScriptedServer) -> None:
    plans = json.dumps({"observations": [], "plans": []})
    server.add(*[Step(200, openai_body(plans)) for _ in range(2)])
    model = local(server)
    model.query_structured(PROMPT, PLANNER_SCHEMA)
    model.query_structured(PROMPT, PLANNER_SCHEMA)
    formats = [s.body.get("response_format") for s in server.completions]
    assert all(f and f["json_schema"]["schema"] == PLANNER_SCHEMA.schema for f in formats)


def test_a_400_that_is_not_about_the_schema_is_an_error(server: ScriptedServer) -> None:
    server.add(
        Step(400, error_body("invalid_request_error", "bad")), Step(400, error_body("x", "y"))
    )
    with pytest.raises(ModelError, match="HTTP 400"):
        local(server).query_structured(PROMPT, PLANNER_SCHEMA)
    server.add(Step(200, openai_body("{}")))
    local(server).query_structured(PROMPT, PLANNER_SCHEMA)
    assert "response_format" in server.completions[-1].body  # not marked unsupported


def test_an_empty_reply_is_retried_once_with_a_larger_allowance(server: ScriptedServer) -> None:
    """Guards against failing on the first empty reply of a reasoning model that spent its
    allowance thinking; both calls are counted."""
    empty = openai_body("", tokens=(100, 1000))
    empty["choices"][0]["finish_reason"] = "length"
    server.add(Step(200, empty), Step(200, openai_body("done", tokens=(100, 20))))
    reply = local(server, max_output_tokens=1000).query([Message("user", "hi")])
    assert reply.content == "done"
    assert [s.body["max_tokens"] for s in server.completions] == [1000, 2000]
    assert (reply.input_tokens, reply.output_tokens) == (200, 1020)


def test_two_empty_replies_are_a_clear_error(server: ScriptedServer) -> None:
    server.add(
        Step(200, openai_body("  ")), Step(200, openai_body("")), Step(200, openai_body("x"))
    )
    with pytest.raises(ModelError, match="empty reply twice") as info:
        local(server, max_output_tokens=500).query([Message("user", "hi")])
    assert "\n" not in str(info.value) and len(server.completions) == 2


def test_retry_after_over_the_setting_ends_the_call(server: ScriptedServer) -> None:
    server.add(Step(429, error_body("rate_limit", "later"), {"retry-after": "90"}))
    sleeps: list[float] = []
    retry = RetryPolicy(max_attempts=5, max_delay_s=60)
    model = local(server, sleeps, retry=retry)
    with pytest.raises(ModelError, match="90 s, more than the 60 s limit"):
        model.query([Message("user", "hi")])
    assert sleeps == [] and len(server.completions) == 1
