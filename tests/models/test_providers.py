"""The real `openai` and `anthropic` SDKs against loopback servers that speak their APIs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pytest

from agent.exceptions import ModelAuthError, ModelError
from agent.models import get_model
from agent.models.anthropic_model import AnthropicModel
from agent.models.openai_compatible import OpenAICompatibleModel
from agent.models.openai_model import OpenAIModel
from agent.models.provider import ProviderConfig, ProviderModel
from agent.models.retries import RetryPolicy
from agent.protocols import Message, Reply
from tests.models.conftest import ScriptedServer, Step, anthropic_body, error_body, openai_body

KEY = "sk-test-0123456789abcdefSECRET"
MESSAGES = [Message("system", "You optimize code."), Message("user", "Say hello.")]


@dataclass
class Provider:
    name: str
    body: Callable[..., dict]
    make: Callable[[str, ProviderConfig, list], ProviderModel]
    model: str
    path: str


def _openai(url: str, cfg: ProviderConfig, calls: list) -> ProviderModel:
    return OpenAIModel(
        "gpt-4o-mini", api_key=KEY, base_url=url + "/v1", config=cfg, on_call=record(calls)
    )


def _anthropic(url: str, cfg: ProviderConfig, calls: list) -> ProviderModel:
    return AnthropicModel(
        "claude-haiku-4-5", api_key=KEY, base_url=url, config=cfg, on_call=record(calls)
    )


def _compatible(url: str, cfg: ProviderConfig, calls: list) -> ProviderModel:
    return OpenAICompatibleModel(
        "llama3", base_url=url + "/v1", api_key=KEY, config=cfg, on_call=record(calls)
    )


PROVIDERS = [
    Provider("openai", openai_body, _openai, "gpt-4o-mini", "/v1/chat/completions"),
    Provider("anthropic", anthropic_body, _anthropic, "claude-haiku-4-5", "/v1/messages"),
    Provider("openai-compatible", openai_body, _compatible, "llama3", "/v1/chat/completions"),
]


def record(calls: list) -> Callable[[Sequence[Message], Reply | None, BaseException | None], None]:
    def on_call(
        messages: Sequence[Message], reply: Reply | None, error: BaseException | None
    ) -> None:
        calls.append((list(messages), reply, error))

    return on_call


@pytest.fixture(params=PROVIDERS, ids=lambda p: p.name)
def provider(request: pytest.FixtureRequest) -> Provider:
    return request.param


def config(sleeps: list[float], timeout_s: float = 5.0) -> ProviderConfig:
    """Three attempts at most; retries record their wait instead of sleeping."""
    retry = RetryPolicy(max_attempts=3, base_delay_s=0.5, max_delay_s=30.0)
    return ProviderConfig(timeout_s=timeout_s, retry=retry, sleep=sleeps.append)


def test_normal_exchange(server: ScriptedServer, provider: Provider) -> None:
    sleeps: list[float] = []
    calls: list = []
    server.add(Step(200, provider.body("hello there", model=provider.model, tokens=(1000, 500))))
    model = provider.make(server.url, config(sleeps), calls)
    reply = model.query(MESSAGES)
    assert reply.content == "hello there"
    assert (reply.input_tokens, reply.output_tokens) == (1000, 500)
    assert model.name.startswith(provider.name + ":")
    [seen] = server.completions
    assert seen.path == provider.path
    assert seen.body["model"] == provider.model
    if provider.name == "anthropic":
        assert seen.body["system"] == [{"type": "text", "text": "You optimize code."}]
        assert seen.body["messages"] == [
            {"role": "user", "content": [{"type": "text", "text": "Say hello."}]}
        ]
        # SDK versions send the key as x-api-key or as a bearer token.
        assert KEY in (seen.headers.get("x-api-key", ""), seen.headers.get("authorization", "")[7:])
        assert reply.cost_usd == pytest.approx((1000 * 1.0 + 500 * 5.0) / 1e6)
    else:
        assert [m["role"] for m in seen.body["messages"]] == ["system", "user"]
        assert seen.headers.get("authorization") == f"Bearer {KEY}"
    if provider.name == "openai":
        assert reply.cost_usd == pytest.approx((1000 * 0.15 + 500 * 0.6) / 1e6)
        assert not model.unpriced
    if provider.name == "openai-compatible":
        assert reply.cost_usd == 0.0 and model.unpriced
        assert "max_tokens" in seen.body
    assert sleeps == []
    assert len(calls) == 1 and calls[0][1] == reply and calls[0][2] is None


def test_429_honours_retry_after(server: ScriptedServer, provider: Provider) -> None:
    sleeps: list[float] = []
    calls: list = []
    server.add(
        Step(429, error_body("rate_limit_error", "slow down"), {"retry-after": "7"}),
        Step(200, provider.body("ok", model=provider.model)),
    )
    reply = provider.make(server.url, config(sleeps), calls).query(MESSAGES)
    assert reply.content == "ok"
    assert sleeps == [7.0]
    assert len(server.completions) == 2  # our retry, not the SDK's (max_retries=0)
    assert len(calls) == 1 and calls[0][2] is None


def test_retry_after_above_the_limit_gives_up(server: ScriptedServer, provider: Provider) -> None:
    """Guards against sleeping for whatever a server asks (an hour) inside a run."""
    sleeps: list[float] = []
    server.add(Step(429, error_body("rate_limit_error", "later"), {"retry-after": "3600"}))
    with pytest.raises(ModelError, match=r"rate limited.*3600 s"):
        provider.make(server.url, config(sleeps), []).query(MESSAGES)
    assert sleeps == [] and len(server.completions) == 1


def test_500_then_success(server: ScriptedServer, provider: Provider) -> None:
    sleeps: list[float] = []
    server.add(
        Step(500, error_body("api_error", "boom")),
        Step(503, error_body("overloaded_error", "busy")),
        Step(200, provider.body("fine", model=provider.model)),
    )
    reply = provider.make(server.url, config(sleeps), []).query(MESSAGES)
    assert reply.content == "fine"
    assert len(sleeps) == 2 and sleeps[1] > sleeps[0] > 0  # exponential backoff
    assert len(server.completions) == 3


def test_persistent_5xx_is_bounded(server: ScriptedServer, provider: Provider) -> None:
    """Guards against retrying forever: attempts stop at the policy's maximum."""
    sleeps: list[float] = []
    calls: list = []
    server.add(*[Step(502, error_body("api_error", "bad gateway")) for _ in range(5)])
    with pytest.raises(ModelError, match=r"HTTP 502.*gave up after 3 attempts"):
        provider.make(server.url, config(sleeps), calls).query(MESSAGES)
    assert len(server.completions) == 3 and len(sleeps) == 2
    assert len(calls) == 1 and calls[0][1] is None and isinstance(calls[0][2], ModelError)


def test_malformed_json_is_retried(server: ScriptedServer, provider: Provider) -> None:
    sleeps: list[float] = []
    server.add(Step(200, "{not json"), Step(200, provider.body("good", model=provider.model)))
    assert provider.make(server.url, config(sleeps), []).query(MESSAGES).content == "good"
    assert len(server.completions) == 2


def test_malformed_json_everywhere_is_a_clear_error(
    server: ScriptedServer, provider: Provider
) -> None:
    server.add(Step(200, "{not json"), Step(200, {"unexpected": True}), Step(200, "<html>"))
    with pytest.raises(ModelError, match="malformed reply") as info:
        provider.make(server.url, config([]), []).query(MESSAGES)
    assert "\n" not in str(info.value)


def test_timeout_is_retried(server: ScriptedServer, provider: Provider) -> None:
    sleeps: list[float] = []
    server.add(Step(200, provider.body("late", model=provider.model), delay_s=3.0))
    server.add(Step(200, provider.body("on time", model=provider.model)))
    model = provider.make(server.url, config(sleeps, timeout_s=0.5), [])
    assert model.query(MESSAGES).content == "on time"
    assert len(sleeps) == 1


def test_timeouts_everywhere_end_with_model_error(
    server: ScriptedServer, provider: Provider
) -> None:
    server.add(*[Step(200, provider.body("late"), delay_s=2.0) for _ in range(3)])
    with pytest.raises(ModelError, match=r"timed out.*gave up after 3 attempts"):
        provider.make(server.url, config([], timeout_s=0.3), []).query(MESSAGES)


def test_bad_key_is_auth_error_without_retry_or_key(
    server: ScriptedServer, provider: Provider
) -> None:
    """Guards against leaking the key into errors (providers echo it) and retrying a 401."""
    sleeps: list[float] = []
    calls: list = []
    echo = f"Incorrect API key provided: {KEY}. You can find your key at ..."
    server.add(Step(401, error_body("authentication_error", echo)), Step(200, provider.body("x")))
    with pytest.raises(ModelAuthError) as info:
        provider.make(server.url, config(sleeps), calls).query(MESSAGES)
    message = str(info.value)
    assert KEY not in message and KEY[:12] not in message and KEY[-8:] not in message
    assert "401" in message and "\n" not in message
    assert len(server.completions) == 1 and sleeps == []
    assert isinstance(calls[0][2], ModelAuthError)
    assert KEY not in repr(calls[0][2].args)


def test_400_is_not_retried(server: ScriptedServer, provider: Provider) -> None:
    server.add(Step(400, error_body("invalid_request_error", "bad")), Step(200, provider.body("x")))
    with pytest.raises(ModelError, match="HTTP 400") as info:
        provider.make(server.url, config([]), []).query(MESSAGES)
    assert not isinstance(info.value, ModelAuthError)
    assert len(server.completions) == 1


def test_registry_builds_models_from_env(
    server: ScriptedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    assert get_model("anthropic:claude-haiku-4-5").name == "anthropic:claude-haiku-4-5"
    assert get_model("openai:gpt-4o").name == "openai:gpt-4o"
    url = server.url + "/v1"
    m = get_model(f"openai-compatible:qwen2.5-coder@{url}")
    assert isinstance(m, OpenAICompatibleModel) and m.base_url == url
    server.add(Step(200, openai_body("local", model="qwen2.5-coder")))
    assert m.query(MESSAGES).content == "local"
    # An OpenAI key is not sent to a server named only on the command line.
    assert "authorization" not in server.completions[0].headers or KEY not in str(
        server.completions[0].headers.get("authorization")
    )


def test_compatible_honours_openai_base_url(
    server: ScriptedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", server.url + "/v1")
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    m = get_model("openai-compatible:llama3")
    server.add(Step(200, openai_body("via env", model="llama3")))
    assert m.query(MESSAGES).content == "via env"
    assert server.completions[0].headers.get("authorization") == f"Bearer {KEY}"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("anthropic:claude-haiku-4-5", "ANTHROPIC_API_KEY is not set"),
        ("openai:gpt-4o", "OPENAI_API_KEY is not set"),
    ],
)
def test_missing_key_is_a_one_line_auth_error(name: str, message: str) -> None:
    with pytest.raises(ModelAuthError, match=message):
        get_model(name)


@pytest.mark.parametrize(
    "arg", ["", "llama3", "@http://x", "llama3@ftp://host", "llama3@not a url"]
)
def test_compatible_bad_names_are_bad_input(arg: str) -> None:
    from agent.exceptions import BadInput

    with pytest.raises(BadInput):
        OpenAICompatibleModel.from_name(arg)


def test_anthropic_turns_merge_and_start_with_user(server: ScriptedServer) -> None:
    server.add(Step(200, anthropic_body("ok")))
    model = _anthropic(server.url, config([]), [])
    model.query(
        [
            Message("system", "a"),
            Message("assistant", "previous answer"),
            Message("user", "one"),
            Message("user", "two"),
        ]
    )
    sent = server.completions[0].body["messages"]
    assert [t["role"] for t in sent] == ["user", "assistant", "user"]
    assert [b["text"] for b in sent[2]["content"]] == ["one", "two"]


def test_compatible_name_hides_url_credentials() -> None:
    """Guards against credentials in a base URL reaching the store via the model name."""
    m = OpenAICompatibleModel("llama3", base_url="http://user:s3cret@[::1]:8000/v1")
    assert m.name == "openai-compatible:llama3@http://[::1]:8000/v1"
