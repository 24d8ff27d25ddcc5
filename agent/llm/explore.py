"""Read-only tools a planner may use to explore the repository before it plans.

They run over the editable files of the checkout (task-relative path -> text, read on the
host from a git work tree): nothing is executed, no candidate code runs. Each call is one
step of the round's budget; every result is bounded, and a bad call is answered with what
was wrong (a model's mistake costs a step, never the round).

- ``view``: lines ``start``-``end`` of a file (at most `VIEW_LINES`), numbered;
- ``grep``: lines matching a regular expression (a literal when it is not one), in a file or
  a directory, or everywhere (at most `GREP_HITS`);
- ``definitions``: the classes and functions of a file, or where a name is defined;
- ``callers``: the functions that call a name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from agent.llm.edits import resolve_path
from agent.llm.index import SourceIndex, line_count
from agent.llm.repomap import signature

TOOLS = ("view", "grep", "definitions", "callers")
VIEW_LINES = 200
GREP_HITS = 40
RESULT_CHARS = 8000
"""One result at most (a longer one is cut, and says so)."""


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def describe_call(call: Mapping[str, Any]) -> str:
    """A call in one line, as the store and the next prompt record it."""
    tool = str(call.get("tool") or "?")
    args = [
        f"{k}={call[k]!r}"
        for k in ("path", "start", "end", "pattern", "name")
        if call.get(k) not in (None, "", 0)
    ]
    return f"{tool}({', '.join(args)})"


@dataclass
class Explorer:
    sources: Mapping[str, str]
    _index: SourceIndex | None = field(default=None, repr=False)

    @property
    def index(self) -> SourceIndex:
        if self._index is None:
            self._index = SourceIndex.build(self.sources)
        return self._index

    def run(self, call: Mapping[str, Any]) -> str:
        """The result of one call (an error is a result too)."""
        tool = str(call.get("tool") or "")
        if tool not in TOOLS:
            return f"unknown tool {tool!r}: use one of {', '.join(TOOLS)}"
        out = getattr(self, tool)(call)
        assert isinstance(out, str)
        if len(out) > RESULT_CHARS:
            out = out[:RESULT_CHARS].rsplit("\n", 1)[0] + "\n[result cut: ask for less]"
        return out

    def _path(self, call: Mapping[str, Any]) -> str | None:
        raw = str(call.get("path") or "").strip()
        return resolve_path(raw, self.sources) if raw else None

    def view(self, call: Mapping[str, Any]) -> str:
        path = self._path(call)
        if path is None:
            return f"no editable file {call.get('path')!r}"
        lines = self.sources[path].split("\n")
        n = line_count(self.sources[path])
        start = max(1, _int(call.get("start"), 1))
        end = min(n, _int(call.get("end"), start + VIEW_LINES - 1), start + VIEW_LINES - 1)
        if start > n:
            return f"{path} has {n} lines"
        body = "\n".join(f"{k:>5} | {lines[k - 1]}" for k in range(start, end + 1))
        return f"{path} lines {start}-{end} of {n}:\n{body}"

    def grep(self, call: Mapping[str, Any]) -> str:
        pattern = str(call.get("pattern") or "")
        if not pattern:
            return "grep needs a pattern"
        try:
            rx = re.compile(pattern)
        except re.error:
            rx = re.compile(re.escape(pattern))
        where = str(call.get("path") or "").strip().strip("/")
        hits: list[str] = []
        total = 0
        for path, text in self.sources.items():
            if where and path != where and not path.startswith(where + "/"):
                continue
            for k, line in enumerate(text.split("\n"), start=1):
                if rx.search(line):
                    total += 1
                    if len(hits) < GREP_HITS:
                        hits.append(f"{path}:{k}: {line.strip()[:160]}")
        if not hits:
            return f"no line matches {pattern!r}" + (f" under {where}" if where else "")
        more = f"\n[{total - len(hits)} more matches]" if total > len(hits) else ""
        return "\n".join(hits) + more

    def definitions(self, call: Mapping[str, Any]) -> str:
        name = str(call.get("name") or "").strip()
        path = self._path(call)
        if path is not None:
            defs = self.index.definitions(path)
            if not defs:
                return f"{path} defines no class or function (or does not parse)"
            return "\n".join(
                f"{d.start:>5}-{d.end:<5} {'  ' * d.qualname.count('.')}{signature(self.index, d)}"
                for d in defs
            )
        if not name:
            return "definitions needs a path or a name"
        found = self.index.defined(name)
        if not found:
            return f"no editable definition of {name!r}"
        return "\n".join(f"{d.path}:{d.start}-{d.end} {d.qualname}" for d in found[:GREP_HITS])

    def callers(self, call: Mapping[str, Any]) -> str:
        name = str(call.get("name") or "").strip()
        if not name:
            return "callers needs a name"
        found = self.index.callers(name)
        if not found:
            return f"no editable function calls {name!r}"
        lines = [f"{f.path}:{f.start}-{f.end} {f.qualname}" for f in found[:GREP_HITS]]
        more = f"\n[{len(found) - GREP_HITS} more]" if len(found) > GREP_HITS else ""
        return "\n".join(lines) + more
