"""Real provider calls, only with PERFAGENT_LIVE_TESTS=1 and a key (they cost money)."""

from __future__ import annotations

import os

import pytest

from agent.models import get_model
from agent.protocols import Message

LIVE = os.environ.get("PERFAGENT_LIVE_TESTS") == "1"
pytestmark = pytest.mark.skipif(not LIVE, reason="live API tests need PERFAGENT_LIVE_TESTS=1")


@pytest.fixture(autouse=True)
def no_provider_env() -> None:
    """Overrides the folder's key scrubbing: live tests use the real environment."""


@pytest.mark.parametrize(
    ("name", "key"),
    [
        (
            "anthropic:" + os.environ.get("PERFAGENT_ANTHROPIC_MODEL", "claude-haiku-4-5"),
            "ANTHROPIC_API_KEY",
        ),
        ("openai:" + os.environ.get("PERFAGENT_OPENAI_MODEL", "gpt-4.1-nano"), "OPENAI_API_KEY"),
    ],
)
def test_live_exchange(name: str, key: str) -> None:
    if not os.environ.get(key):
        pytest.skip(f"{key} is not set")
    reply = get_model(name).query([Message("user", "Reply with the single word: pong")])
    assert "pong" in reply.content.lower()
    assert reply.input_tokens > 0 and reply.output_tokens > 0 and reply.cost_usd > 0
