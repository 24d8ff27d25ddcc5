"""Nearby inputs drawn from captured arguments: the same ones for a seed, and large arguments
shuffled or cut once per slot, not once per try."""

from __future__ import annotations

import random
from typing import Any

import pytest

from profilers.checks import perturb
from profilers.checks.perturb import derive, find_sites


def seq(items: list[Any]) -> list[Any]:
    return ["l", "builtins.list", items, 0]


def call_form(*args: Any) -> list[Any]:
    return ["x", None, [seq(list(args)), seq([])]]


BIG = call_form(
    seq([["i", n] for n in range(0, 30_000, 3)]),
    seq([["s", f"sku-{n}"] for n in range(3_000)]),
    ["i", 7],
)


@pytest.mark.parametrize("draw_seed", [None, 1, 10_007])
def test_a_seed_draws_the_same_nearby_inputs_every_time(draw_seed: int | None) -> None:
    first = derive(BIG, 6, draw_seed, find_sites(BIG))
    assert first == derive(BIG, 6, draw_seed, find_sites(BIG))
    slots = {op["slot"] for ops in first for op in ops}
    assert {"argument 0 resized", "argument 1 shuffled", "argument 1 resized"} <= slots
    if draw_seed is not None:
        assert first != derive(BIG, 6, draw_seed + 1, find_sites(BIG))


def test_large_arguments_are_shuffled_and_cut_once_per_slot(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Guards the cost of every faster candidate (issue 13): every try shuffled and cut the
    captured arguments (10,000 items here) although only the first try that gives each slot
    its variant is kept; hypothesis' later tries now only make their draws."""
    built: list[str] = []

    class Counting(random.Random):
        def shuffle(self, x: Any) -> None:  # type: ignore[override]
            built.append("shuffle")
            super().shuffle(x)

        def sample(self, population: Any, k: int, **kw: Any) -> list[Any]:  # type: ignore[override]
            built.append("sample")
            return super().sample(population, k, **kw)

    monkeypatch.setattr(perturb.random, "Random", Counting)
    variants = derive(BIG, 6, 1, find_sites(BIG))
    heavy = [op for ops in variants for op in ops if op["op"] in ("shuffle", "keep")]
    assert len(built) == len(heavy)
