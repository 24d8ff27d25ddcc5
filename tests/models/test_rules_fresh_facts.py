"""Combined plans read, at every step, the facts of the code the earlier steps produced, so a
plan codes the same edit in the process that wrote it and in a fresh one (a resumed run)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from agent.engines.rules import RulesEngine
from agent.protocols import CodeRequest, Hotspot, HotspotProfile, PlanRequest, Task

IDS = '''"""Account ids."""

import re

_ID = re.compile(r"([A-Z]{2})-?(\\d{5})")


def normalise(text):
    cleaned = re.sub(r"\\s+", "", text).upper()
    match = _ID.fullmatch(cleaned)
    if not match:
        raise ValueError(f"bad id: {text!r}")
    return f"{match.group(1)}-{match.group(2)}"
'''
SOURCES = {"acct/ids.py": IDS}
TASK = Task(task_id="t", repo=Path("/nonexistent"), bench="python bench.py")
PROFILE = HotspotProfile(hotspots=(Hotspot("normalise", "acct/ids.py", 9, 0.6, 0.7),), samples=1000)


CODE_AGAIN = f"""
import json, sys
from pathlib import Path
from agent.engines.rules import RulesEngine
from agent.protocols import CodeRequest, Plan, Task
plan = Plan("stored", "", "rules", (), json.loads(sys.argv[1]))
task = Task(task_id="t", repo=Path("/nonexistent"), bench="python bench.py")
edit = RulesEngine().code(CodeRequest(task=task, plan=plan, sources={SOURCES!r}))
print(json.dumps({{"error": edit.error or "", "files": edit.files}}))
"""


def test_a_stored_combined_plan_codes_the_same_edit_in_a_fresh_process() -> None:
    """Guards the resume path against stale facts: the second step of `regex-precompile,
    cache-pure-function-guarded` was judged with the first step's new pattern constant unknown.
    In the planning process an answer about the function from before the first step was still
    cached and hid it; a resumed run coding the stored plan failed with 'the precondition no
    longer holds'."""
    engine = RulesEngine()
    req = PlanRequest(task=TASK, profile=PROFILE, sources=SOURCES, baseline={}, n_plans=10)
    both = ["regex-precompile", "cache-pure-function-guarded"]
    plan = next(p for p in engine.plan(req) if [s["rule"] for s in p.data["steps"]] == both)
    here = engine.code(CodeRequest(task=TASK, plan=plan, sources=SOURCES))
    assert not here.error
    fresh = json.loads(
        subprocess.run(
            [sys.executable, "-c", CODE_AGAIN, json.dumps(plan.data)],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parents[2],
        ).stdout
    )
    assert fresh == {"error": "", "files": here.files}
    namespace: dict[str, object] = {}
    exec(compile(fresh["files"]["acct/ids.py"], "ids.py", "exec"), namespace)
    normalise = namespace["normalise"]
    assert normalise(" ac 00012 ") == normalise("AC-00012") == "AC-00012"  # type: ignore[operator]
