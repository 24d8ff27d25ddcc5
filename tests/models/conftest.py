"""Fixtures for provider tests (a loopback server per test, no real keys or settings) and for
the rules engine's tests."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from agent.models.local import forget_servers
from tests.models.loopback import (
    ScriptedServer,
    Seen,
    Step,
    anthropic_body,
    error_body,
    openai_body,
)

__all__ = ["ScriptedServer", "Seen", "Step", "anthropic_body", "error_body", "openai_body"]


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    srv = ScriptedServer()
    try:
        yield srv
    finally:
        srv.close()


@pytest.fixture(autouse=True)
def no_provider_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tests never pick up a developer's real keys, endpoints or model settings by accident,
    and every test learns its servers afresh."""
    for var in (
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "ANTHROPIC_API_KEY",
        "ANTHROPIC_BASE_URL",
        "PERFAGENT_COMPATIBLE_API_KEY",
        "OPENAI_COMPATIBLE_API_KEY",
    ):
        monkeypatch.delenv(var, raising=False)
    for var in [v for v in os.environ if v.startswith("PERFAGENT_MODEL_")]:
        monkeypatch.delenv(var)
    forget_servers()
    yield
    forget_servers()


@pytest.fixture(autouse=True)
def join_indexes_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Join indexes are built at a loop's first scan here, not after `PLAIN_SCANS` plain
    scans, so every before/after comparison runs the index and not only the plain scans a
    short loop makes (`test_rules_join_threshold.py` checks the real threshold)."""
    from agent.engines.rules import guarded_joins

    monkeypatch.setattr(guarded_joins, "PLAIN_SCANS", 0)
