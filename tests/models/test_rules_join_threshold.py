"""A join index is built only once its loop has scanned all the records `PLAIN_SCANS` times:
a method whose loop runs two or three times per call built an index of every record at each
call and measured 2.3x slower than its scans (the blind `library` project)."""

from __future__ import annotations

from typing import Any

import pytest

from agent.engines.rules import guarded_joins
from agent.engines.rules.join_helpers import PLAIN_SCANS
from tests.models.rules_corpus import helpers

SOURCE = """
def totals(rows, keys):
    out = []
    for k in keys:
        out.append(sum(r["amount"] for r in rows if r["id"] == k))
    return out
"""


@pytest.fixture
def real_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guarded_joins, "PLAIN_SCANS", PLAIN_SCANS)


def _counted(text: str) -> tuple[dict[str, Any], list[int]]:
    """The rewritten module, with its index builder counting the indexes it builds."""
    module = helpers.run_module(text, "join_threshold")
    built: list[int] = []
    build = module["_group_by_key"]

    def counting(*args: Any) -> Any:
        built.append(1)
        return build(*args)

    module["_group_by_key"] = counting
    return module, built


@pytest.mark.usefixtures("real_threshold")
@pytest.mark.parametrize(("keys", "indexes"), [(PLAIN_SCANS, 0), (PLAIN_SCANS + 1, 1), (50, 1)])
def test_the_index_is_built_only_after_the_plain_scans(keys: int, indexes: int) -> None:
    text = helpers.rewrite(SOURCE, "join-index-guarded", "totals")
    assert text is not None and f"< {PLAIN_SCANS} else" in text
    module, built = _counted(text)
    rows = [{"id": n % 7, "amount": n} for n in range(40)]
    expected = helpers.run_module(SOURCE, "join_threshold_before")["totals"](rows, range(keys))  # type: ignore[operator]
    assert module["totals"](rows, range(keys)) == expected
    assert len(built) == indexes


def test_the_tests_build_it_at_the_first_scan() -> None:
    text = helpers.rewrite(SOURCE, "join-index-guarded", "totals")
    assert text is not None
    module, built = _counted(text)
    assert module["totals"]([{"id": 1, "amount": 2}], [1]) == [2]
    assert built == [1]
