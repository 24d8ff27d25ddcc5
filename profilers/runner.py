"""Runs one workload inside a sandbox; copied into the sandbox's scratch and run there.

Standard library only (it runs under the target's interpreter, not perfagent's). It imports a
GSO-style perf script (or runs a pytest node id) from the work tree, does `setup()` outside the
measured region, runs `experiment` `--loops` times, optionally switches callgrind collection on
around exactly those calls, stores or checks the result for output equivalence, and writes a
JSON status file. The host trusts only that file and its own clock, never this stdout.
Benchmark suites (asv, pytest-benchmark) and their discovery live in `runner_suites.py`,
shipped beside this file as `perfagent_runner_suites.py`.

    python runner.py --kind gso-script --spec perf.py --loops 3 --status S.json [--region LIB]
           [--store FILE | --check FILE] [--capture]
    python runner.py --kind asv --root benchmarks --spec mod.Class.time_x [--param-index N] ...
    python runner.py --kind asv-discover --spec benchmarks --status S.json

With only `run_test()` defined, FILE is passed to it as GSO's `prefix` (reference/eqcheck).
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import importlib.util
import inspect
import json
import os
import resource
import subprocess
import sys
import traceback
from collections.abc import Callable
from typing import Any

EXIT_FAILED = 3
EXIT_NOT_EQUIVALENT = 4
_REPR_LIMIT = 1_000_000


def _status(path: str, **fields: Any) -> None:
    usage = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )
    fields.setdefault("maxrss_kib", usage)
    fields.setdefault("python", sys.version.split()[0])
    with open(path + ".part", "w") as fh:
        json.dump(fields, fh)
    os.replace(path + ".part", path)


def _load_script(spec: str) -> Any:
    path = os.path.abspath(spec)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"perf script not found: {spec}")
    # Like `python script.py` run from the task directory: both on sys.path.
    for entry in (os.getcwd(), os.path.dirname(path)):
        if entry not in sys.path:
            sys.path.insert(0, entry)
    module_spec = importlib.util.spec_from_file_location("perfagent_workload", path)
    if module_spec is None or module_spec.loader is None:
        raise ImportError(f"cannot import perf script {spec}")
    module = importlib.util.module_from_spec(module_spec)
    sys.modules["perfagent_workload"] = module
    module_spec.loader.exec_module(module)
    return module


def _takes_argument(fn: Callable[..., Any]) -> bool:
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return True
    return any(
        p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)
        and (p.default is p.empty or p.kind is p.VAR_POSITIONAL)
        for p in params
    )


class _Region:
    """Callgrind client requests around the measured calls (no-op without a helper)."""

    def __init__(self, lib: str | None) -> None:
        self.lib = ctypes.CDLL(lib) if lib else None

    def __enter__(self) -> None:
        if self.lib is not None:
            self.lib.cg_start()
            self.lib.cg_toggle()

    def __exit__(self, *exc: object) -> None:
        if self.lib is not None:
            self.lib.cg_toggle()
            self.lib.cg_stop()


class NotEquivalent(Exception):
    """The result differs from the stored reference (check_equivalence failed)."""


def _run_gso(args: argparse.Namespace) -> dict[str, Any]:
    mod = _load_script(args.spec)
    experiment = getattr(mod, "experiment", None)
    run_test = getattr(mod, "run_test", None)
    out: dict[str, Any] = {}
    if not callable(experiment):
        if not callable(run_test):
            raise AttributeError(f"{args.spec} defines neither experiment() nor run_test()")
        # Only run_test(): it does its own setup, reference storing and equivalence check.
        gc.collect()
        with _Region(args.region):
            for _ in range(args.loops):
                if args.store:
                    run_test(reference=True, prefix=args.store)
                    out["stored"] = True
                elif args.check:
                    try:
                        run_test(eqcheck=True, prefix=args.check)
                    except Exception as exc:
                        raise NotEquivalent(repr(exc)) from exc
                    out["equivalent"] = True
                else:
                    run_test()
        return out
    setup = getattr(mod, "setup", None)
    data = setup() if callable(setup) else None
    with_data = _takes_argument(experiment)
    result: Any = None
    gc.collect()
    with _Region(args.region):
        for _ in range(args.loops):
            result = experiment(data) if with_data else experiment()
    if args.store and callable(getattr(mod, "store_result", None)):
        mod.store_result(result, args.store)
        out["stored"] = True
    if args.check:
        try:
            reference = mod.load_result(args.check)
            mod.check_equivalence(reference, result)
        except Exception as exc:
            raise NotEquivalent(repr(exc)) from exc
        out["equivalent"] = True
    if args.capture:
        out["result_repr"] = repr(result)[:_REPR_LIMIT]
    return out


def _run_pytest(args: argparse.Namespace) -> dict[str, Any]:
    import pytest

    gc.collect()
    with _Region(args.region):
        for _ in range(args.loops):
            code = int(pytest.main([args.spec, "-q", "-p", "no:cacheprovider"]))
            if code != 0:
                raise RuntimeError(f"pytest {args.spec} exited with {code}")
    return {}


def _run_command(args: argparse.Namespace) -> dict[str, Any]:
    for _ in range(args.loops):
        code = subprocess.call(["bash", "-c", args.spec])
        if code != 0:
            raise RuntimeError(f"command exited with {code}")
    return {}


SUITE_KINDS = ("asv", "pytest-benchmark", "asv-discover", "pytest-benchmark-discover")


def _suite_runner(kind: str) -> Callable[[argparse.Namespace], dict[str, Any]]:
    # Imported from this file's directory before any target code can shadow the name.
    import perfagent_runner_suites as suites

    def region_for(args: argparse.Namespace) -> Callable[[], _Region]:
        return lambda: _Region(args.region)

    return {
        "asv": lambda a: suites.run_asv(a, region_for(a)),
        "pytest-benchmark": lambda a: suites.run_pytest_benchmark(a, region_for(a)),
        "asv-discover": suites.discover_asv,
        "pytest-benchmark-discover": suites.discover_pytest_benchmark,
    }[kind]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    kinds = ["gso-script", "pytest", "command", *SUITE_KINDS]
    parser.add_argument("--kind", required=True, choices=kinds)
    parser.add_argument("--spec", required=True)
    parser.add_argument("--loops", type=int, default=1)
    parser.add_argument("--status", required=True)
    parser.add_argument("--region", default=None, help="callgrind toggle helper library")
    parser.add_argument("--store", default=None)
    parser.add_argument("--check", default=None)
    parser.add_argument("--capture", action="store_true", help="keep repr(result)")
    parser.add_argument("--root", default="", help="asv: the benchmark directory")
    parser.add_argument("--param-index", type=int, default=None, help="asv: parameter combination")
    args = parser.parse_args(argv)
    plain = {"gso-script": _run_gso, "pytest": _run_pytest, "command": _run_command}
    try:
        run = plain.get(args.kind) or _suite_runner(args.kind)
        fields = run(args)
    except NotEquivalent as exc:
        _status(args.status, ok=False, equivalent=False, error=f"not equivalent: {exc}"[:2000])
        return EXIT_NOT_EQUIVALENT
    except BaseException as exc:  # the workload's own failure, reported as data
        _status(args.status, ok=False, error=_last_line(exc))
        traceback.print_exc()
        return EXIT_FAILED
    _status(args.status, ok=True, loops=args.loops, **fields)
    sys.stdout.flush()
    return 0


def _last_line(exc: BaseException) -> str:
    text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return (text.splitlines() or [type(exc).__name__])[-1][:2000]


if __name__ == "__main__":
    sys.exit(main())
