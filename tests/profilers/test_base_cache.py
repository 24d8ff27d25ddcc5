"""The base side's untimed results come from the cache once kept: outputs, peak memory,
instruction counts; keys tell bases apart; a cached reference is re-tagged for every head."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import pytest

from profilers.base_results import outputs_from, outputs_json
from profilers.cache import BaseKey, MemoryCache, NoCache, base_key, is_commit
from profilers.config import MeasureConfig
from profilers.equivalence import Outputs
from profilers.evaluate import measure
from profilers.instructions import _apart, instruction_screen
from profilers.results import MemoryComparison, WallTimeComparison
from profilers.workload import Workload
from tests.profilers.conftest import BENCH, PERF_SCRIPT, OpenPair, loop_script

pytestmark = pytest.mark.slow

FAST = MeasureConfig(instructions="never", min_sample_s=0.05, max_pairs=6, looks=2)
SCRIPT = Workload("gso-script", "perf.py")
COMMAND = Workload("command", "python3 bench.py")
COMMIT = "a" * 40


def files(n: int) -> dict[str, str]:
    return {"lib.py": loop_script(n), "perf.py": PERF_SCRIPT, "bench.py": BENCH}


def test_keys_name_what_a_base_result_depends_on() -> None:
    cache = MemoryCache()
    key = BaseKey(cache, COMMIT, env="e")
    same = key.key("outputs", COMMAND, FAST)
    assert same == BaseKey(cache, COMMIT, env="e").key("outputs", COMMAND, replace(FAST, pairs=9))
    different = [
        BaseKey(cache, "b" * 40, env="e").key("outputs", COMMAND, FAST),
        BaseKey(cache, COMMIT, subdir="sub", env="e").key("outputs", COMMAND, FAST),
        BaseKey(cache, COMMIT, env="other").key("outputs", COMMAND, FAST),
        key.key("outputs", SCRIPT, FAST),
        key.key("outputs", COMMAND, replace(FAST, seeds=(1,))),
        key.key("outputs", COMMAND, replace(FAST, env={"X": "1"})),
        key.key("memory", COMMAND, FAST),
    ]
    assert len({same, *different}) == 1 + len(different)


def test_only_full_commits_are_cached() -> None:
    """Guards against caching under a ref that moves (HEAD, a branch)."""
    assert is_commit(COMMIT) and not is_commit("HEAD") and not is_commit("a" * 12)
    assert base_key(MemoryCache(), "HEAD") is None
    assert base_key(NoCache(), COMMIT) is None
    assert base_key(None, COMMIT) is None
    assert base_key(MemoryCache(), COMMIT) is not None


def test_a_cached_reference_gets_a_fresh_tag_each_time() -> None:
    """Guards against two heads seeing the same reference file names."""
    out = Outputs("gso-check", ("x",), reference=(("ref-1_result.json", b"7"),), ref_id="ref-1")
    a, b = outputs_from(outputs_json(out)), outputs_from(outputs_json(out))
    assert a.ref_id != b.ref_id and a.ref_id.startswith("ref-")
    assert a.reference == ((a.ref_id + "_result.json", b"7"),)


def test_later_heads_use_the_cached_base_outputs_and_memory(open_pair: OpenPair) -> None:
    """The second head is judged against what the cache says the base printed: poisoning
    the cached outputs makes an unchanged head "broken", so the base was not run again."""
    cache = MemoryCache()
    base, head = open_pair(files(20_000), {"lib.py": "# same\n" + loop_script(20_000)})
    key = BaseKey(cache, COMMIT)
    first = measure(base, head, COMMAND, None, FAST, base_key=key)
    assert first.verdict != "broken" and first.equivalent is True
    assert {"outputs", "memory"} <= {kind for kind, _ in cache.values}
    assert first.peak_memory is not None
    kept = cache.values[("memory", key.key("memory", COMMAND, FAST))]
    assert kept == {"peak_rss_bytes": first.peak_memory.base_bytes}

    for (kind, _), value in cache.values.items():
        if kind == "outputs":
            value["stdout"] = ["result False\n"] * len(value["stdout"])
    again = measure(base, head, COMMAND, None, FAST, base_key=BaseKey(cache, COMMIT))
    assert again.verdict == "broken" and "outputs differ" in again.reason
    elsewhere = measure(base, head, COMMAND, None, FAST, base_key=BaseKey(cache, "b" * 40))
    assert elsewhere.verdict != "broken"


def test_a_cached_gso_reference_checks_every_head(open_pair: OpenPair) -> None:
    cache = MemoryCache()
    wrong = loop_script(20_000).replace("s >= 0", "s < 0")
    base, good = open_pair(files(20_000), {"lib.py": "# same\n" + loop_script(20_000)})
    _, bad = open_pair(files(20_000), {"lib.py": wrong})
    for _ in range(2):
        assert measure(base, good, SCRIPT, None, FAST, base_key=BaseKey(cache, COMMIT)).equivalent
        m = measure(base, bad, SCRIPT, None, FAST, base_key=BaseKey(cache, COMMIT))
        assert m.verdict == "broken" and "check_equivalence failed" in m.reason
    assert len([k for k, _ in cache.values if k == "outputs"]) == 1


@pytest.mark.valgrind
def test_auto_counts_only_heads_the_caller_wants_and_the_base_once(open_pair: OpenPair) -> None:
    """instructions = "auto": no count unless `count_if` says the head enters the front; the
    base's count is kept and reused (a poisoned base count shows in the next ratio)."""
    cache = MemoryCache()
    base, head = open_pair(files(400_000), {"lib.py": loop_script(40_000)})
    cfg = replace(FAST, instructions="auto")
    seen: list[tuple[WallTimeComparison, MemoryComparison | None]] = []

    def no(rt: WallTimeComparison, mem: MemoryComparison | None) -> bool:
        seen.append((rt, mem))
        return False

    skipped = measure(base, head, SCRIPT, None, cfg, base_key=BaseKey(cache, COMMIT), count_if=no)
    assert skipped.instructions is None and len(seen) == 1
    assert seen[0][0] == skipped.runtime
    first = measure(
        base, head, SCRIPT, None, cfg, base_key=BaseKey(cache, COMMIT), count_if=lambda *_: True
    )
    assert first.instructions is not None and first.instructions.ratio < 0.2
    [(kind, k)] = [key for key in cache.values if key[0] == "instructions"]
    cache.values[(kind, k)]["counts"] = {
        s: 2 * n for s, n in cache.values[(kind, k)]["counts"].items()
    }
    again = measure(
        base, head, SCRIPT, None, cfg, base_key=BaseKey(cache, COMMIT), count_if=lambda *_: True
    )
    assert again.instructions is not None
    assert again.instructions.base == 2 * first.instructions.base
    assert again.instructions.head == first.instructions.head


@pytest.mark.valgrind
def test_a_base_count_made_beside_a_failing_head_count_is_kept(open_pair: OpenPair) -> None:
    """Guards the side-by-side count: the base is counted in a thread while the head is, and a
    head that fails under valgrind must neither lose the base's finished count nor report a
    comparison."""
    cache = MemoryCache()
    broken = loop_script(1_000, body="s += 1 // (i - i)")
    base, head = open_pair(files(40_000), {"lib.py": broken})
    cfg = replace(FAST, instructions="always")
    result, why = instruction_screen(base, head, SCRIPT, cfg, base=BaseKey(cache, COMMIT))
    assert result is None and "head" in why
    [kept] = [v for (kind, _), v in cache.values.items() if kind == "instructions"]
    assert all(n > 0 for n in kept["counts"].values())
    again, _ = instruction_screen(base, base, SCRIPT, cfg, base=BaseKey(cache, COMMIT))
    assert again is not None and again.ratio == 1.0


def test_sides_share_no_engine_connection_when_counted_at_once() -> None:
    """Guards the side-by-side count: one sandbox, or two sharing a Docker client (not safe
    across threads), are counted one after the other."""
    shared = object()
    one, two = SimpleNamespace(client=shared), SimpleNamespace(client=shared)
    assert not _apart(one, one) and not _apart(one, two)
    assert _apart(SimpleNamespace(), SimpleNamespace())
    assert _apart(one, SimpleNamespace(client=object()))
