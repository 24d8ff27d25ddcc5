"""Pricing, Retry-After parsing, the bounded retry loop, redaction and BudgetedModel."""

from __future__ import annotations

import random
from collections.abc import Sequence

import pytest

from agent.exceptions import BudgetExhausted, ModelAuthError, ModelError
from agent.models.accounting import BudgetedModel
from agent.models.pricing import cost_of, price_of
from agent.models.replay import ReplayModel
from agent.models.retries import (
    RetryPolicy,
    TransientModelError,
    call_with_retries,
    parse_retry_after,
)
from agent.protocols import Message, Reply
from sandbox.secrets import redact

MSG = [Message("user", "hello")]


def test_prices_match_families_and_snapshots() -> None:
    assert price_of("gpt-4o-mini-2024-07-18") == price_of("gpt-4o-mini")
    assert price_of("gpt-4o-2024-08-06") == price_of("gpt-4o")
    assert price_of("gpt-4o-mini") != price_of("gpt-4o")
    assert price_of("claude-sonnet-4-5-20250929") == price_of("claude-sonnet-4-5")
    assert price_of("llama3:8b") is None
    cost = cost_of("gpt-4.1", 1_000_000, 500_000)
    assert cost.priced and cost.usd == pytest.approx(2.0 + 4.0)


def test_unknown_model_costs_zero_and_is_flagged() -> None:
    cost = cost_of("my-local-model", 10_000, 10_000)
    assert (cost.usd, cost.priced) == (0.0, False)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Retry-After": "3"}, 3.0),
        ({"retry-after": "1.5"}, 1.5),
        ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),
        ({"Retry-After": "Wed, 21 Oct 2015 07:28:30 GMT"}, 10.0),
        ({"Retry-After": "soon"}, None),
        ({}, None),
        (None, None),
    ],
)
def test_parse_retry_after(headers: dict | None, expected: float | None) -> None:
    now = 1445412500.0  # 10 s before the HTTP date above
    assert parse_retry_after(headers, now=now) == expected


def test_retries_back_off_exponentially_and_stop() -> None:
    sleeps: list[float] = []
    calls = []

    def always() -> str:
        calls.append(1)
        raise TransientModelError("server error HTTP 503")

    policy = RetryPolicy(max_attempts=4, base_delay_s=1.0, jitter=0.25)
    with pytest.raises(ModelError, match="gave up after 4 attempts") as info:
        call_with_retries(always, policy, sleep=sleeps.append, rng=random.Random(1))
    assert not isinstance(info.value, TransientModelError)
    assert len(calls) == 4 and len(sleeps) == 3
    for i, s in enumerate(sleeps):
        assert 0.75 * 2**i <= s <= 1.25 * 2**i


def test_total_wait_is_bounded() -> None:
    sleeps: list[float] = []

    def limited() -> str:
        raise TransientModelError("rate limited", retry_after=40)

    policy = RetryPolicy(max_attempts=10, max_delay_s=60, max_total_wait_s=100)
    with pytest.raises(ModelError, match="after 3 attempts and 80 s of waiting"):
        call_with_retries(limited, policy, sleep=sleeps.append)
    assert sleeps == [40, 40]


def test_non_transient_errors_are_not_retried() -> None:
    calls = []

    def auth() -> str:
        calls.append(1)
        raise ModelAuthError("rejected")

    with pytest.raises(ModelAuthError):
        call_with_retries(auth, RetryPolicy(), sleep=lambda _s: None)
    assert calls == [1]


def test_redact_hides_whole_and_partial_keys() -> None:
    key = "sk-proj-ABCDEFGHIJKLMNOPQRSTUVWXYZ0123"
    text = f"bad key {key}; you sent sk-proj-ABCD...Z0123 and {key[-8:]}"
    out = redact(text, [key])
    assert key not in out and key[-8:] not in out and key[:12] not in out


class Priced:
    """A model whose every call costs a fixed amount and can say its worst case."""

    name = "priced"
    unpriced = False

    def __init__(self, cost: float, worst: float = 0.0) -> None:
        self.cost, self.worst, self.calls = cost, worst, 0

    def worst_case_cost(self, messages: Sequence[Message]) -> float:
        return self.worst

    def query(self, messages: Sequence[Message]) -> Reply:
        self.calls += 1
        return Reply("ok", "priced", 10, 5, self.cost)


def test_budget_max_calls_checked_before_the_call() -> None:
    inner = ReplayModel(["a", "b", "c"])
    model = BudgetedModel(inner, max_calls=2)
    model.query(MSG)
    model.query(MSG)
    with pytest.raises(BudgetExhausted, match="2 calls"):
        model.query(MSG)
    assert inner.remaining == 1  # the third call never reached the model


def test_budget_cost_uses_the_next_calls_worst_case() -> None:
    """Guards against SWE-agent#1240 ($4 cap, $700 spent): the check happens before the
    call and includes what that call may cost."""
    inner = Priced(cost=0.6, worst=0.5)
    model = BudgetedModel(inner, max_cost_usd=1.0)
    model.query(MSG)  # 0 spent + 0.5 worst case fits in 1.0
    with pytest.raises(BudgetExhausted, match="would be exceeded"):
        model.query(MSG)  # 0.6 spent + 0.5 worst case does not
    assert inner.calls == 1 and model.ledger.calls == 1


def test_budget_cost_spent() -> None:
    inner = Priced(cost=0.6)
    model = BudgetedModel(inner, max_cost_usd=1.0)
    model.query(MSG)
    model.query(MSG)
    with pytest.raises(BudgetExhausted, match=r"\$1.00 spent"):
        model.query(MSG)
    assert inner.calls == 2 and model.ledger.cost_usd == pytest.approx(1.2)


def test_budget_wall_time() -> None:
    now = [0.0]
    model = BudgetedModel(ReplayModel(["a", "b"]), max_wall_s=10, clock=lambda: now[0])
    model.query(MSG)
    now[0] = 10.0
    with pytest.raises(BudgetExhausted, match="wall-time"):
        model.query(MSG)


def test_ledger_counts_tokens_failures_and_unpriced_calls() -> None:
    inner = ReplayModel(
        [{"content": "x", "input_tokens": 7, "output_tokens": 3}, {"raise": "error"}]
    )
    inner.unpriced = True  # type: ignore[attr-defined]
    model = BudgetedModel(inner, max_calls=5)
    model.query(MSG)
    with pytest.raises(ModelError):
        model.query(MSG)
    assert model.ledger.to_json() == {
        "calls": 2,
        "failed_calls": 1,
        "input_tokens": 7,
        "output_tokens": 3,
        "cached_input_tokens": 0,
        "cache_write_tokens": 0,
        "cost_usd": 0.0,
        "unpriced_calls": 1,
    }


def test_zero_limits_mean_unlimited() -> None:
    model = BudgetedModel(ReplayModel(["a"] * 3), max_calls=0, max_cost_usd=0, max_wall_s=0)
    for _ in range(3):
        model.query(MSG)
    assert model.name == "replay"


def test_two_calls_in_flight_cannot_overshoot_the_dollar_budget_together() -> None:
    """Guards the code-ahead overlap: a coder call and a review may be in flight at once;
    the first one's worst case is held until it answers, so the second is refused."""
    import threading

    answered = threading.Event()
    inside = threading.Event()

    class Slow(Priced):
        def query(self, messages: Sequence[Message]) -> Reply:
            inside.set()
            answered.wait(30)
            return super().query(messages)

    model = BudgetedModel(Slow(cost=0.5, worst=0.6), max_cost_usd=1.0)
    first = threading.Thread(target=model.query, args=([Message("user", "a")],))
    first.start()
    assert inside.wait(30)
    with pytest.raises(BudgetExhausted, match="would be exceeded"):
        model.query([Message("user", "b")])
    answered.set()
    first.join()
    assert model.ledger.cost_usd == pytest.approx(0.5)
