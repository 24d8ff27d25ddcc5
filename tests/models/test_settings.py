"""Provider settings: flags over environment over [tool.perfagent.llm] over defaults."""

from __future__ import annotations

import pytest

from agent.exceptions import BadInput
from agent.models.pricing import Price
from agent.models.provider import ProviderConfig
from agent.models.settings import ModelSettings, load_model_settings


def test_defaults() -> None:
    s = load_model_settings()
    assert s == ModelSettings()
    assert (s.timeout, s.max_output_tokens, s.temperature, s.price) == (300.0, 8192, None, None)


def test_precedence_flags_env_file_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    file = {"timeout": 30, "max_output_tokens": 2048, "temperature": 0.5, "slots": 2}
    monkeypatch.setenv("PERFAGENT_MODEL_TIMEOUT", "60")
    monkeypatch.setenv("PERFAGENT_MODEL_MAX_OUTPUT_TOKENS", "3000")
    s = load_model_settings({"timeout": 90, "temperature": None}, file)
    assert s.timeout == 90  # flag
    assert s.max_output_tokens == 3000  # environment over file
    assert s.temperature == 0.5  # file (the flag was not given)
    assert s.slots == 2 and s.context_window is None  # file, default


def test_json_values_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PERFAGENT_MODEL_PRICE", '{"input": 0.5, "output": 1.5}')
    monkeypatch.setenv("PERFAGENT_MODEL_EXTRA_HEADERS", '{"X-Team": "perf"}')
    s = load_model_settings()
    assert s.price is not None and s.price.to_price() == Price(0.5, 1.5)
    assert s.extra_headers == {"X-Team": "perf"}


@pytest.mark.parametrize(
    ("flags", "file", "env", "message"),
    [
        ({}, {"tmeout": 3}, {}, r"\[tool.perfagent.llm\]: model setting tmeout: Extra inputs"),
        ({}, {"price": {"input": 1}}, {}, r"\[tool.perfagent.llm\]: model setting price.output"),
        ({"timeout": -1}, {}, {}, r"flags: model setting timeout"),
        ({}, {}, {"PERFAGENT_MODEL_SLOTS": "zero"}, r"environment \(PERFAGENT_MODEL_\*\)"),
        ({}, {"reasoning_effort": "max"}, {}, r"reasoning_effort"),
    ],
)
def test_bad_values_are_one_line_bad_input(
    monkeypatch: pytest.MonkeyPatch, flags: dict, file: dict, env: dict, message: str
) -> None:
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    with pytest.raises(BadInput, match=message) as info:
        load_model_settings(flags, file)
    assert "\n" not in str(info.value)


def test_settings_become_the_adapters_config() -> None:
    s = load_model_settings(
        {},
        {
            "timeout": 12,
            "max_attempts": 2,
            "max_retry_wait": 5,
            "context_window": 4096,
            "price": {"input": 1, "output": 2, "cached_input": 0.1},
        },
    )
    cfg = ProviderConfig.from_settings(s)
    assert (cfg.timeout_s, cfg.context_window) == (12, 4096)
    assert (cfg.retry.max_attempts, cfg.retry.max_delay_s) == (2, 5)
    assert cfg.price == Price(1, 2, 0.1)
