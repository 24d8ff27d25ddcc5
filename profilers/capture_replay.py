"""Replays recorded calls in a fresh process; shipped into the sandbox's scratch as
`perfagent_replay.py` (with `perfagent_forms.py` beside it) and run under the target's
interpreter, standard library only.

    python perfagent_replay.py --plan PLAN.json --out OUT.json

The plan names the record streams and notes a capture wrote (`capture_runner.py`), the
classes whose instances the head builds differently ("rebuilt": calls reaching one are
skipped), and what to do. "compare": call each recorded function with its recorded arguments
and write the normal form of the result (or exception) and of the arguments after the call;
with "recorded", also the normal forms of what the capture saw, with "args" those of the
arguments; with "variants", call again on perturbed arguments. "time": call the selected
calls and their perturbed variants `loops` times and write the seconds spent inside the
calls alone (arguments are unpickled and perturbed outside the clock).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pickle
import sys
from time import perf_counter as _clock  # bound before any target code can replace it
from typing import Any

import perfagent_forms as forms

BUDGET_ARGS = 60000
BUDGET_RESULT = 60000


def _load_records(paths: list[str], limit: int) -> list[dict[str, Any]]:
    kept: list[dict[str, Any]] = []
    per: dict[str, int] = {}
    seen: set[tuple[str, bytes]] = set()
    for path in paths:
        try:
            fh = open(path, "rb")  # noqa: SIM115 - read in a loop below
        except OSError:
            continue
        with fh:
            while True:
                try:
                    rec = pickle.load(fh)
                except EOFError:
                    break
                except Exception:
                    break  # a stream cut short by a killed process: keep what came before
                key = (rec["fid"], rec["args"])
                if key not in seen and per.get(rec["fid"], 0) < limit:
                    seen.add(key)
                    per[rec["fid"]] = per.get(rec["fid"], 0) + 1
                    kept.append(rec)
    return kept


def _setup(plan: dict[str, Any]) -> dict[str, str]:
    import perfagent_capture

    root = perfagent_capture.find_root(plan["workdir"])
    modules: dict[str, str] = {}
    paths: list[str] = []
    cwd = ""
    for path in plan["notes"]:
        try:
            with open(path) as fh:
                notes = json.load(fh)
        except (OSError, ValueError):
            continue
        for rel, name in notes.get("modules", {}).items():
            modules.setdefault(rel, name)
        paths += [p for p in notes.get("paths", []) if p not in paths]
        cwd = cwd or notes.get("cwd", "")
    for rel in reversed(paths):
        full = os.path.normpath(os.path.join(root, rel))
        if full not in sys.path:
            sys.path.insert(1, full)
    target = os.path.normpath(os.path.join(root, cwd)) if cwd else plan["workdir"]
    if os.path.isdir(target):
        os.chdir(target)
    return modules


def _resolve(fid: str, modules: dict[str, str]) -> Any:
    rel, qualname = fid.split("::", 1)
    module = importlib.import_module(modules[rel])
    owner: Any = module
    parts = qualname.split(".")
    for part in parts[:-1]:
        owner = getattr(owner, part)
    raw = owner.__dict__[parts[-1]] if isinstance(owner, type) else vars(module)[parts[-1]]
    if isinstance(raw, (staticmethod, classmethod)):
        return raw.__func__
    if isinstance(raw, property):
        return raw.fget
    return raw


def _classes(rebuilt: dict[str, list[str]], modules: dict[str, str]) -> tuple[type, ...]:
    found = []
    for rel, names in rebuilt.items():
        for qualname in names:
            try:
                found.append(_resolve(f"{rel}::{qualname}", modules))
            except Exception:
                continue
    return tuple(k for k in found if isinstance(k, type))


def _reaches(value: Any, classes: tuple[type, ...], budget: int = 20000) -> bool:
    """Whether an instance of `classes` is reachable from `value` (bounded walk)."""
    if not classes:
        return False
    todo, seen = [value], set()
    while todo and budget > 0:
        x = todo.pop()
        budget -= 1
        if isinstance(x, classes):
            return True
        if id(x) in seen or isinstance(x, (str, bytes, int, float)):
            continue
        seen.add(id(x))
        if isinstance(x, dict):
            todo.extend(x.keys())
            todo.extend(x.values())
        elif isinstance(x, (list, tuple, set, frozenset)):
            todo.extend(x)
        elif hasattr(x, "__dict__") and isinstance(vars(x), dict):
            todo.extend(vars(x).values())
    return False


def _invoke(fn: Any, args: list[Any], kwargs: dict[str, Any]) -> tuple[Any, Any]:
    try:
        return fn(*args, **kwargs), None
    except KeyboardInterrupt:
        raise
    except BaseException as exc:
        return None, [forms.type_name(type(exc)), str(exc)[:2000]]


def _snapshots(args: list[Any], kwargs: dict[str, Any]) -> dict[str, bytes | None]:
    """Each argument pickled on its own ("0", "1", ... and "k:NAME")."""
    named = {str(n): a for n, a in enumerate(args)}
    named.update({f"k:{k}": v for k, v in kwargs.items()})
    out: dict[str, bytes | None] = {}
    for key, value in named.items():
        try:
            out[key] = pickle.dumps(value, protocol=4)
        except Exception:
            out[key] = None
    return out


def _after(before: dict[str, bytes | None], args: list[Any], kwargs: dict[str, Any]) -> Any:
    """["same"] when the call left every argument as it was (pickled bytes compared, at C
    speed), else ["changed", {argument: [form before, form after]}] for the arguments it
    changed: big arguments get forms only when a call changes them."""
    now = _snapshots(args, kwargs)
    changed = {k for k, v in now.items() if v is None or v != before.get(k)}
    if not changed:
        return ["same"]
    values = {str(n): a for n, a in enumerate(args)}
    values.update({f"k:{k}": v for k, v in kwargs.items()})
    out = {}
    for key in sorted(changed):
        was = before.get(key)
        old = forms.form(pickle.loads(was), BUDGET_ARGS) if was else None
        out[key] = [old, forms.form(values[key], BUDGET_ARGS)]
    return ["changed", out]


def _outcome(
    result: Any,
    exc: Any,
    before: dict[str, bytes | None],
    args: list[Any],
    kwargs: dict[str, Any],
) -> dict[str, Any]:
    return {
        "ret": None if exc else forms.form(result, BUDGET_RESULT),
        "exc": exc,
        "after": _after(before, args, kwargs),
    }


class Replay:
    def __init__(self, plan: dict[str, Any]) -> None:
        self.plan = plan
        self.records = _load_records(plan["records"], int(plan.get("limit", 24)))
        self.modules = _setup(plan)
        self.rebuilt = _classes(plan.get("rebuilt", {}), self.modules)
        self.functions: dict[str, Any] = {}
        self.alive: list[Any] = []

    def function(self, fid: str) -> Any:
        if fid not in self.functions:
            self.functions[fid] = _resolve(fid, self.modules)
        return self.functions[fid]

    def arguments(self, rec: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
        args, kwargs = pickle.loads(rec["args"])
        self.alive.append((args, kwargs))  # no id is reused while this process runs
        return list(args), dict(kwargs)

    def prepare(self, i: int) -> tuple[Any, list[Any], dict[str, Any]]:
        """The function and fresh arguments of call `i`; raises with the reason it cannot."""
        rec = self.records[i]
        try:
            fn = self.function(rec["fid"])
        except Exception as exc:
            raise LookupError("cannot resolve {}: {}".format(rec["fid"], _line(exc))) from None
        try:
            args, kwargs = self.arguments(rec)
        except Exception as exc:
            raise ValueError(f"cannot load the arguments: {_line(exc)}") from None
        if _reaches([args, kwargs], self.rebuilt):
            raise TypeError("an argument is an instance of a class the head builds differently")
        return fn, args, kwargs

    def compare(self) -> dict[str, Any]:
        calls = []
        for i, rec in enumerate([] if self.plan.get("skip_calls") else self.records):
            entry: dict[str, Any] = {"i": i, "fid": rec["fid"], "mutates": rec["after"] is not None}
            try:
                fn, args, kwargs = self.prepare(i)
            except (LookupError, ValueError, TypeError) as exc:
                entry["skip"] = f"{type(exc).__name__}: {exc}"
                calls.append(entry)
                continue
            if self.plan.get("args"):
                entry["args"] = forms.call_form(args, kwargs, BUDGET_ARGS)
            before = _snapshots(args, kwargs)
            result, raised = _invoke(fn, args, kwargs)
            entry["out"] = _outcome(result, raised, before, args, kwargs)
            if self.plan.get("recorded"):
                entry["recorded"] = _recorded(rec)
            calls.append(entry)
        variants = [self.variant(int(i), j, ops) for i, j, ops in _jobs(self.plan)]
        return {"calls": calls, "variants": variants}

    def variant(self, i: int, j: int, ops: list[dict[str, Any]]) -> dict[str, Any]:
        entry: dict[str, Any] = {"i": i, "j": j}
        try:
            fn, args, kwargs = self.prepare(i)
            if not self.records[i]["after"]:
                _invoke(fn, args, kwargs)  # the same objects again, after a first call
            forms.perturb(args, kwargs, ops)
        except Exception as exc:
            entry["skip"] = _line(exc)
            return entry
        before = _snapshots(args, kwargs)
        result, raised = _invoke(fn, args, kwargs)
        entry["out"] = _outcome(result, raised, before, args, kwargs)
        return entry

    def time(self) -> dict[str, Any]:
        """Seconds inside the calls, per series: "FID|captured" and "FID|SLOT", and the
        series where a call raised (an error path, no measure of the work)."""
        series: dict[str, float] = {}
        raised: set[str] = set()
        jobs = list(_jobs(self.plan))
        for i, ops in dict(self.plan.get("warmup", {})).items():  # untimed: one-time costs
            fn, args, kwargs = self.prepare(int(i))
            forms.perturb(args, kwargs, ops)
            _invoke(fn, args, kwargs)
        for _ in range(int(self.plan.get("loops", 1))):
            for i in self.plan["timed"]:
                fn, args, kwargs = self.prepare(int(i))
                start = _clock()
                _invoke(fn, args, kwargs)
                took = _clock() - start
                key = self.records[int(i)]["fid"] + "|captured"
                series[key] = series.get(key, 0.0) + took
            for i, _j, ops in jobs:
                fn, args, kwargs = self.prepare(int(i))
                forms.perturb(args, kwargs, ops)
                start = _clock()
                failed = _invoke(fn, args, kwargs)[1]
                took = _clock() - start
                key = self.records[int(i)]["fid"] + "|" + ops[0].get("slot", ops[0]["op"])
                series[key] = series.get(key, 0.0) + took
                if failed is not None:
                    raised.add(key)
        return {"series": series, "loops": self.plan.get("loops", 1), "raised": sorted(raised)}


def _jobs(plan: dict[str, Any]) -> list[tuple[str, int, list[dict[str, Any]]]]:
    return [
        (i, j, ops)
        for i, variants in plan.get("variants", {}).items()
        for j, ops in enumerate(variants)
    ]


def _recorded(rec: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"exc": rec["exc"], "ret": None, "after": None}
    try:
        if rec["exc"] is None:
            out["ret"] = (
                ["lost"]
                if rec.get("result_lost")
                else forms.form(pickle.loads(rec["result"]), BUDGET_RESULT)
            )
        if not rec.get("after_lost") and rec["after"] is None:
            out["after"] = ["same"]
        elif not rec.get("after_lost"):
            args, kwargs = pickle.loads(rec["args"])
            later, later_kw = pickle.loads(rec["after"])
            out["after"] = _after(_snapshots(list(args), dict(kwargs)), list(later), dict(later_kw))
    except Exception as exc:
        out["error"] = _line(exc)
    return out


def _line(exc: BaseException) -> str:
    return (f"{type(exc).__name__}: {exc}").splitlines()[0][:500]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--plan", required=True)
    parser.add_argument("--out", required=True)
    opts = parser.parse_args(argv)
    with open(opts.plan) as fh:
        plan = json.load(fh)
    quiet = open(os.devnull, "w")  # noqa: SIM115 - the calls' prints go nowhere
    sys.stdout = quiet
    replay = Replay(plan)
    result = replay.time() if plan.get("mode") == "time" else replay.compare()
    result["loaded"] = len(replay.records)
    tmp = opts.out + ".part"
    # dumps, not dump: only a one-shot encode takes the C encoder (answers reach megabytes)
    text = json.dumps(result, default=repr)
    with open(tmp, "w") as fh:
        fh.write(text)
    os.replace(tmp, opts.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
