"""Records calls of the functions a candidate changes while the base runs; shipped into the
sandbox's scratch as `perfagent_capture.py` and started by the `sitecustomize.py` beside it
(`capture_site.py`) in every Python process the workload or the tests start.

Standard library only, and nothing newer than Python 3.9: it runs under the target's
interpreter. `PERFAGENT_CAPTURE` names a JSON config: the repository root as commands see it,
the target functions per repo-relative file, where to write, and how many calls to keep. An
import hook wraps each target right after its module runs. A wrapped function records a
bounded sample of its calls (the first few, then every power of two): the arguments pickled
before the call (a deep copy), pickled again after it (argument mutation), and the pickled
return value or the exception's type and message. Calls whose arguments cannot be pickled are
counted, not recorded. Records are appended to a pickle stream as they happen, so a workload
that ends with `os._exit` keeps what it recorded; counts are written at exit.
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import pickle
import sys
import threading
from collections.abc import Callable
from typing import Any

CONFIG_ENV = "PERFAGENT_CAPTURE"
_UNWRAPPABLE = 0x20 | 0x80 | 0x100 | 0x200
"""Code flags of generators, coroutines and async generators: their calls return iterators."""


def find_root(start: str) -> str:
    """The enclosing directory holding `.git` (the work tree's root), else `start`."""
    here = os.path.abspath(start)
    while True:
        if os.path.exists(os.path.join(here, ".git")):
            return here
        parent = os.path.dirname(here)
        if parent == here:
            return os.path.abspath(start)
        here = parent


class Recorder:
    def __init__(self, config: dict[str, Any]) -> None:
        self.root = os.path.realpath(find_root(config["workdir"]))
        self.targets: dict[str, list[str]] = config["targets"]
        self.first = int(config.get("first", 6))
        self.most = int(config.get("most", 12))
        self.max_bytes = int(config.get("max_record_bytes", 8 << 20))
        self.budget = int(config.get("max_total_bytes", 64 << 20))
        out = config["out"]
        os.makedirs(out, exist_ok=True)
        tag = f"{os.getpid()}-{os.urandom(4).hex()}"
        self.records_path = os.path.join(out, f"rec-{tag}.pkl")
        self.notes_path = os.path.join(out, f"notes-{tag}.json")
        self.lock = threading.Lock()
        self.local = threading.local()
        self.kept: dict[str, int] = {}
        self.calls: dict[str, int] = {}
        self.skipped: dict[str, dict[str, int]] = {}
        self.modules: dict[str, str] = {}
        self.unwrapped: dict[str, str] = {}
        self.written = 0
        self.handle: Any = None

    # where modules come from -------------------------------------------------------------
    def relpath(self, origin: str | None) -> str | None:
        if not origin or not origin.endswith(".py"):
            return None
        path = os.path.realpath(origin)
        if not path.startswith(self.root + os.sep):
            return None
        return os.path.relpath(path, self.root).replace(os.sep, "/")

    def patch(self, module: Any, rel: str) -> None:
        self.modules[rel] = module.__name__
        for qualname in self.targets.get(rel, ()):
            fid = f"{rel}::{qualname}"
            try:
                self._patch_one(module, qualname, fid)
            except Exception as exc:  # a target we cannot wrap is reported, never fatal
                self.unwrapped[fid] = f"cannot wrap: {exc}"
        self.write_notes()

    def _patch_one(self, module: Any, qualname: str, fid: str) -> None:
        owner: Any = module
        parts = qualname.split(".")
        for part in parts[:-1]:
            owner = getattr(owner, part)
        name = parts[-1]
        raw = owner.__dict__.get(name) if isinstance(owner, type) else vars(module).get(name)
        if raw is None:
            self.unwrapped[fid] = "not found at run time"
            return
        wrapped = self._wrap_descriptor(raw, fid)
        if wrapped is None:
            return
        setattr(owner, name, wrapped)

    def _wrap_descriptor(self, raw: Any, fid: str) -> Any:
        if isinstance(raw, (staticmethod, classmethod)):
            inner = self._wrap(raw.__func__, fid)
            return None if inner is None else type(raw)(inner)
        if isinstance(raw, property):
            getter = raw.fget and self._wrap(raw.fget, fid)
            return None if getter is None else property(getter, raw.fset, raw.fdel, raw.__doc__)
        if not callable(raw):
            self.unwrapped[fid] = "not callable"
            return None
        return self._wrap(raw, fid)

    def _wrap(self, fn: Callable[..., Any], fid: str) -> Callable[..., Any] | None:
        code = getattr(fn, "__code__", None)
        if code is not None and code.co_flags & _UNWRAPPABLE:
            self.unwrapped[fid] = "generator or coroutine (its calls return iterators)"
            return None
        counter = [0]
        recorder = self

        @functools.wraps(fn)
        def perfagent_recorded(*args: Any, **kwargs: Any) -> Any:
            counter[0] += 1
            n = counter[0]
            if getattr(recorder.local, "busy", False) or not recorder.wanted(fid, n):
                return fn(*args, **kwargs)
            return recorder.record(fid, fn, args, kwargs)

        return perfagent_recorded

    # recording ---------------------------------------------------------------------------
    def wanted(self, fid: str, n: int) -> bool:
        self.calls[fid] = n
        if self.kept.get(fid, 0) >= self.most or self.written >= self.budget:
            return False
        return n <= self.first or n & (n - 1) == 0

    def skip(self, fid: str, why: str) -> None:
        counts = self.skipped.setdefault(fid, {})
        counts[why] = counts.get(why, 0) + 1

    def _dump(self, value: Any) -> bytes | None:
        self.local.busy = True
        try:
            return pickle.dumps(value, protocol=4)
        except Exception:
            return None
        finally:
            self.local.busy = False

    def record(self, fid: str, fn: Callable[..., Any], args: Any, kwargs: Any) -> Any:
        before = self._dump((args, kwargs))
        if before is None or len(before) > self.max_bytes:
            self.skip(fid, "unpicklable arguments" if before is None else "arguments too large")
            return fn(*args, **kwargs)
        try:
            result = fn(*args, **kwargs)
        except BaseException as exc:
            kind = type(exc)
            self.save(fid, before, args, kwargs, None, [_name(kind), str(exc)[:2000]])
            raise
        self.save(fid, before, args, kwargs, result, None)
        return result

    def save(self, fid: str, before: bytes, args: Any, kwargs: Any, result: Any, exc: Any) -> None:
        after = self._dump((args, kwargs))
        rec = {
            "fid": fid,
            "args": before,
            "after": None if after == before else after,
            "after_lost": after is None,
            "result": None if exc is not None else self._dump(result),
            "exc": exc,
        }
        if exc is None and rec["result"] is None:
            rec["result_lost"] = True
        data = self._dump(rec)
        if data is None:
            return
        with self.lock:
            if self.handle is None:
                self.handle = open(self.records_path, "ab")  # noqa: SIM115 - kept open
            self.handle.write(data)
            self.handle.flush()
            self.written += len(data)
            self.kept[fid] = self.kept.get(fid, 0) + 1

    def write_notes(self) -> None:
        roots = [
            os.path.relpath(os.path.realpath(p), self.root)
            for p in sys.path
            if p and os.path.realpath(p).startswith(self.root)
        ]
        notes = {
            "modules": self.modules,
            "paths": roots,
            "cwd": os.path.relpath(os.getcwd(), self.root),
            "calls": self.calls,
            "kept": self.kept,
            "skipped": self.skipped,
            "unwrapped": self.unwrapped,
        }
        tmp = self.notes_path + ".part"
        with open(tmp, "w") as fh:
            json.dump(notes, fh)
        os.replace(tmp, self.notes_path)


def _name(kind: type) -> str:
    return f"{kind.__module__}.{kind.__qualname__}"


class _Loader:
    """Runs the real loader, then wraps the module's targets before anyone else sees them."""

    def __init__(self, inner: Any, recorder: Recorder, rel: str) -> None:
        self._inner, self._recorder, self._rel = inner, recorder, rel

    def create_module(self, spec: Any) -> Any:
        return self._inner.create_module(spec)

    def exec_module(self, module: Any) -> None:
        self._inner.exec_module(module)
        self._recorder.patch(module, self._rel)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class _Finder:
    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder

    def find_spec(self, name: str, path: Any, target: Any = None) -> Any:
        spec = None
        for finder in list(sys.meta_path):
            find = getattr(finder, "find_spec", None)
            if finder is self or find is None:
                continue
            spec = find(name, path, target)
            if spec is not None:
                break
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        rel = self.recorder.relpath(spec.origin)
        if rel is not None and rel in self.recorder.targets:
            spec.loader = _Loader(spec.loader, self.recorder, rel)
        return spec


def install() -> Recorder | None:
    """Start recording when `PERFAGENT_CAPTURE` names a readable config (else do nothing)."""
    path = os.environ.get(CONFIG_ENV)
    if not path:
        return None
    try:
        with open(path) as fh:
            config = json.load(fh)
        recorder = Recorder(config)
    except (OSError, ValueError, KeyError):
        return None
    sys.meta_path.insert(0, _Finder(recorder))
    atexit.register(recorder.write_notes)
    return recorder
