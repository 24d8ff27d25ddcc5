"""The special-case stage: a head whose added code recognizes the benchmark's inputs (or keeps
a table of their answers, or tampers with the harness) is input-specific, whatever it does.

The benchmark's and the tests' files are read on the host, from the base's work tree (the
files the task protects; build and tool configuration left out), and never shown to a model.
The base's own code supplies the literals that are ordinary for this project.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from profilers.checks.behaviour import head_changes
from profilers.checks.special import Corpus, Finding, build_corpus, literals_in, scan
from profilers.checks.state import shared
from profilers.results import Check, Measurement
from profilers.verdicts import Rejection
from sandbox.base import Sandbox, path_matches

if TYPE_CHECKING:
    from profilers.evaluate import Cascade

NAME = "special-case"
MAX_FILE_BYTES = 1024**2
MAX_TOTAL_BYTES = 20 * 1024**2
MAX_SCALARS = 200_000
_CONFIG_SUFFIXES = (".toml", ".cfg", ".ini", ".lock", "setup.py")
_SKIP_DIRS = frozenset({".git", ".perfagent", "__pycache__", "node_modules", ".venv", ".tox"})


def _files(root: Path) -> Iterator[tuple[str, Path]]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if not path.is_symlink():
                yield path.relative_to(root).as_posix(), path


def _text(path: Path) -> str | None:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return None
        return path.read_text()
    except (OSError, UnicodeDecodeError):
        return None


def inputs_and_code(sandbox: Sandbox, workload_spec: str) -> tuple[dict[str, str], set[Any]]:
    """(benchmark and test files by path, literals of the rest of the base's Python code)."""
    protected = tuple(getattr(getattr(sandbox, "tree", None), "protected", ()) or ())
    spec = workload_spec.strip()
    inputs: dict[str, str] = {}
    literals: set[Any] = set()
    budget = MAX_TOTAL_BYTES
    for rel, path in _files(sandbox.host_root):
        bench = rel == spec or rel.endswith("/" + spec)
        if not bench and (not protected or not path_matches(rel, protected)):
            if rel.endswith(".py") and budget > 0 and (text := _text(path)) is not None:
                budget -= len(text)
                literals |= {v for v, _ in _literals(text)}
            continue
        if rel.endswith(_CONFIG_SUFFIXES) or budget <= 0:
            continue
        text = _text(path)
        if text is not None:
            budget -= len(text)
            inputs[rel] = text
    return inputs, literals


_READ: dict[tuple[str, ...], tuple[dict[str, str], set[Any]]] = {}
"""What `inputs_and_code` read of a base commit in this process: every candidate of a run
reads the same base, and parsing all of its Python files costs seconds."""


def _base_reading(c: Cascade) -> tuple[dict[str, str], set[Any]]:
    if c.base_key is None:  # no full commit id: the tree may change under its name
        return inputs_and_code(c.base, c.workload.spec)
    protected = tuple(getattr(getattr(c.base, "tree", None), "protected", ()) or ())
    key = (c.base_key.commit, c.base_key.subdir, c.workload.spec.strip(), *protected)
    if key not in _READ:
        if len(_READ) >= 8:
            _READ.pop(next(iter(_READ)))
        _READ[key] = inputs_and_code(c.base, c.workload.spec)
    return _READ[key]


def _literals(text: str) -> list[tuple[Any, int]]:
    try:
        return list(literals_in(ast.parse(text)))
    except (SyntaxError, ValueError, RecursionError):
        return []


def captured_scalars(base_answer: dict[str, Any] | None) -> list[Any]:
    """The str, int and float values inside the captured arguments (bounded)."""
    found: list[Any] = []
    todo = [call.get("args") for call in (base_answer or {}).get("calls", []) if "args" in call]
    while todo and len(found) < MAX_SCALARS:
        form = todo.pop()
        if not isinstance(form, list) or not form:
            continue
        tag = form[0]
        if tag in ("i", "f") or (tag == "s" and len(form) == 2):
            found.append(form[1])
        elif tag in ("l", "e"):
            todo.extend(form[2])
        elif tag == "d":
            todo.extend(x for kv in form[2] for x in kv)
        elif tag == "o":
            todo.extend(form[2].values())
    return found


def _reason(findings: list[Finding]) -> str:
    f = findings[0]
    what = {
        "comparison": f"compares its input with {f.literal}, which also occurs in {f.also_in}",
        "digest": f"compares a digest of its input with the stored {f.literal}",
        "table": f"adds a table of {f.literal} ({f.also_in})",
        "harness": f"{f.also_in} ({f.literal})",
    }[f.kind]
    more = f" (+{len(findings) - 1} more)" if len(findings) > 1 else ""
    return f"{f.file}:{f.line} {what}: `{f.code}`{more}"


def special_case(c: Cascade) -> Measurement | None:
    changes = [ch for ch in head_changes(c) if not ch.deleted]
    if not changes:
        c.checks.append(Check(NAME, True, "no Python code added"))
        return None
    inputs, base_literals = _base_reading(c)
    corpus: Corpus = build_corpus(inputs, c.workload.spec, captured_scalars(shared(c).base))
    findings: list[Finding] = []
    for change in changes:
        source = _text(c.head.host_root / change.path)
        if source is not None:
            findings += scan(change.path, source, set(change.added), base_literals, corpus)
    if findings:
        evidence = {"findings": [f.to_json() for f in findings[:20]]}
        return c.reject(
            Check(NAME, False, _reason(findings)[:600], Rejection.INPUT_SPECIFIC, evidence)
        )
    reason = (
        "the added code neither compares inputs with the benchmark's or tests' literals, nor "
        "adds a table of answers, nor touches the harness"
    )
    c.checks.append(Check(NAME, True, reason, evidence={"files_read": sorted(inputs)[:50]}))
    return None
