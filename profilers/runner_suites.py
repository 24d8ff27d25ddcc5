"""Benchmark-suite workloads for the shipped runner; copied into scratch beside it.

Standard library only at import time: it runs under the target's interpreter. asv benchmarks
are found, set up and torn down by `asv_runner` (asv's own discovery and setup code), which
the harness copies from perfagent's installed distribution into scratch (`perfagent_lib/`):
the target's environment need not have it, and it is pure Python with no dependencies, so it
runs under whatever interpreter the sandbox has (Docker: Debian's python3 in the repo's venv).
Timing is perfagent's, never asv's: the host times the whole process, `--loops` calls per
sample; `region_s` (this process's clock around the calls) only guides loop calibration.
pytest-benchmark items run under pytest with a `benchmark` fixture of ours that calls the
timed function `--loops` times (pytest-benchmark itself is disabled and need not be installed).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

LIB_DIR = "perfagent_lib"
_clock = time.perf_counter  # bound before any target code is imported
Region = Callable[[], AbstractContextManager[None]]
KINDS = {
    "TimeBenchmark": "time",
    "TimerawBenchmark": "timeraw",
    "PeakMemBenchmark": "peakmem",
    "TrackBenchmark": "track",
    "MemBenchmark": "track",
}
"""asv_runner benchmark classes -> how perfagent measures them."""


def _asv_discovery() -> Any:
    lib = os.path.join(os.path.dirname(os.path.abspath(__file__)), LIB_DIR)
    if os.path.isdir(lib) and lib not in sys.path:
        sys.path.insert(0, lib)
    import asv_runner.discovery as discovery  # from scratch (perfagent_lib)

    cwd = os.getcwd()
    if cwd not in sys.path:  # the project imports as it would from an asv environment
        sys.path.insert(1, cwd)
    return discovery


def discover_asv(args: argparse.Namespace) -> dict[str, Any]:
    """Every benchmark under `--spec` (the benchmark directory) with its parameters."""
    discovery = _asv_discovery()
    from asv_runner._aux import update_sys_path

    root = os.path.abspath(args.spec)
    if not os.path.isdir(root):
        raise FileNotFoundError(f"asv benchmark directory not found: {args.spec}")
    update_sys_path(root)
    found = [
        {
            "name": bench.name,
            "type": KINDS.get(type(bench).__name__, type(bench).__name__),
            "params": [list(p) for p in bench.params],
            "param_names": list(bench.param_names),
        }
        for bench in discovery.disc_benchmarks(root)
    ]
    return {"benchmarks": found}


def _call_args(bench: Any) -> tuple[Any, ...]:
    build = getattr(bench, "_build_params", None)
    return tuple(build()) if callable(build) else tuple(bench._current_params)


def _load_asv(args: argparse.Namespace) -> Any:
    discovery = _asv_discovery()
    bench = discovery.get_benchmark_from_name(os.path.abspath(args.root), args.spec)
    if args.param_index is not None:
        bench.set_param_idx(args.param_index)
    if bench.setup_cache_key is not None:
        cache = bench.do_setup_cache()  # once per process: asv runs it once per environment
        if hasattr(bench, "set_cache"):
            bench.set_cache(cache)
        elif cache is not None:
            bench.insert_param(cache)
    return bench


def run_asv(args: argparse.Namespace, region: Region) -> dict[str, Any]:
    """Setup, `--loops` calls of one asv benchmark (one parameter combination), teardown."""
    bench = _load_asv(args)
    kind = KINDS.get(type(bench).__name__)
    if kind is None:
        raise TypeError(f"{args.spec}: unsupported asv benchmark type {type(bench).__name__}")
    if bench.do_setup():
        raise RuntimeError(f"{args.spec}: skipped by its setup (NotImplementedError/skip_params)")
    try:
        if kind == "track":
            return _track(bench)
        if kind == "timeraw":
            return _timeraw(bench, args.loops, region)
        return _timed(bench, args.loops, region)
    finally:
        bench.do_teardown()


def _timed(bench: Any, loops: int, region: Region) -> dict[str, Any]:
    call, params = bench.func, _call_args(bench)
    # asv's opt-in for benchmarks that consume their setup (number = 1): set up before every
    # call. The host clock then counts those setups too, on both sides alike.
    again = getattr(bench, "number", 0) == 1 and bool(getattr(bench, "_setups", ()))
    start = _clock()
    with region():
        for i in range(loops):
            if again and i:
                bench.do_teardown()
                bench.do_setup()
            call(*params)
    return {"region_s": _clock() - start}


def _timeraw(bench: Any, loops: int, region: Region) -> dict[str, Any]:
    code = bench.func(*_call_args(bench))
    stmt, setup = code if isinstance(code, tuple) else (code, "")
    program = textwrap.dedent(setup) + "\n" + textwrap.dedent(stmt)
    env = {**os.environ, **(getattr(bench, "_timeraw_env", None) or {})}
    start = _clock()
    with region():
        for _ in range(loops):  # a fresh interpreter per call, as asv's timeraw does
            done = subprocess.run([sys.executable, "-c", program], env=env, check=False)
            if done.returncode != 0:
                raise RuntimeError(f"timeraw code exited with {done.returncode}")
    return {"region_s": _clock() - start}


def _track(bench: Any) -> dict[str, Any]:
    value = bench.do_run()
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"track benchmark returned {type(value).__name__}, not a number")
    return {"value": float(value)}


# pytest-benchmark ------------------------------------------------------------------------------
class BenchmarkFixture:
    """Stands in for pytest-benchmark's `benchmark`: the timed function runs `loops` times."""

    def __init__(self, loops: int, region: Region) -> None:
        self.loops = loops
        self.region = region
        self.calls = 0
        self.region_s = 0.0
        self.extra_info: dict[str, Any] = {}
        self.group: str | None = None

    def __call__(self, function_: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return self._repeat(lambda: function_(*args, **kwargs))

    def pedantic(
        self,
        target: Callable[..., Any],
        args: tuple[Any, ...] = (),
        kwargs: dict[str, Any] | None = None,
        setup: Callable[[], Any] | None = None,
        teardown: Callable[..., Any] | None = None,
        rounds: int = 1,
        warmup_rounds: int = 0,
        iterations: int = 1,
    ) -> Any:
        """rounds/iterations are pytest-benchmark's own timing: perfagent's loops replace them."""

        def once() -> Any:
            a, kw = args, dict(kwargs or {})
            if setup is not None:
                made = setup()
                if made is not None:
                    a, kw = made
            try:
                return target(*a, **kw)
            finally:
                if teardown is not None:
                    teardown(*a, **kw)

        return self._repeat(once)

    def _repeat(self, call: Callable[[], Any]) -> Any:
        if self.calls:
            raise RuntimeError("the benchmark fixture can only be used once per test")
        self.calls += 1
        result = None
        start = _clock()
        with self.region():
            for _ in range(self.loops):
                result = call()
        self.region_s += _clock() - start
        return result


def _plugin(loops: int, region: Region) -> Any:
    import pytest  # the target's own pytest

    class Plugin:
        def __init__(self) -> None:
            self.used: list[BenchmarkFixture] = []
            self.items: list[str] = []

        def pytest_configure(self, config: Any) -> None:
            config.addinivalue_line("markers", "benchmark(**kwargs): pytest-benchmark options")

        def pytest_collection_modifyitems(self, items: list[Any]) -> None:
            self.items = [i.nodeid for i in items if "benchmark" in getattr(i, "fixturenames", ())]

        @pytest.fixture
        def benchmark(self) -> BenchmarkFixture:
            fixture = BenchmarkFixture(loops, region)
            self.used.append(fixture)
            return fixture

    return Plugin()


def _pytest(argv: list[str], plugin: Any) -> int:
    import pytest

    if os.getcwd() not in sys.path:  # as `python -m pytest` has it
        sys.path.insert(0, os.getcwd())
    flags = ["-q", "-p", "no:cacheprovider", "-p", "no:benchmark"]
    return int(pytest.main([*argv, *flags], plugins=[plugin]))


def run_pytest_benchmark(args: argparse.Namespace, region: Region) -> dict[str, Any]:
    """One pytest-benchmark item; its `benchmark(...)` call runs `--loops` times."""
    plugin = _plugin(args.loops, region)
    code = _pytest([args.spec], plugin)
    if code != 0:
        raise RuntimeError(f"pytest {args.spec} exited with {code}")
    if len(plugin.used) != 1 or plugin.used[0].calls != 1:
        raise RuntimeError(
            f"{args.spec} must be one test calling the benchmark fixture once "
            f"({len(plugin.used)} tests, {sum(f.calls for f in plugin.used)} calls)"
        )
    return {"region_s": plugin.used[0].region_s}


def discover_pytest_benchmark(args: argparse.Namespace) -> dict[str, Any]:
    """Node ids of the tests under `--spec` that use the `benchmark` fixture."""
    plugin = _plugin(1, lambda: _NoRegion())
    code = _pytest(["--collect-only", args.spec], plugin)
    if code not in (0, 5):  # 5: nothing collected
        raise RuntimeError(f"pytest could not collect {args.spec} (exit {code})")
    return {"items": plugin.items}


class _NoRegion(AbstractContextManager[None]):
    def __exit__(self, *exc: object) -> None:
        return None
