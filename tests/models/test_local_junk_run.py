"""A whole `perfagent optimize` run against a local server whose model answers junk.

The server is a loopback one of our own that speaks llama.cpp's API (`/props`, `/v1/models`,
`/v1/chat/completions`, one slot) and answers every completion with what a small model
that cannot follow the format says. Issue 14 saw every such run end with exit 2 and no JSON;
it must end with exit 1 ("nothing accepted"), its JSON on stdout, and every call the server
answered recorded in the store. (The same run against a real llama-server with a small GGUF
model is `benchmarks/local_junk_run.py` and `test_llama_cpp_run.py`.)
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from storage import Store, sqlite_url
from tests.agent.test_planner_loop import PROJECT
from tests.models.loopback import ScriptedServer, Step, openai_body

ROOT = Path(__file__).resolve().parents[2]
JUNK = (
    "I think the answer is to make it faster. The function could be optimized by " * 12,
    '{"observations": [{"id": "O1", "text": "...", "evidence": "..."}]}',
    '```json\n{"plans": [{"title": "short imperative title", "text": "..."}]}\n```',
    "Sure! Here are the observations: 1. the code is slow 2. it could be faster",
)
"""What small models said in issue 14: prose, the prompt's own example echoed with "...",
a list in words. (An empty reply is retried inside the provider: tested with the providers.)"""


def llama_cpp_server(n_ctx: int = 8192) -> ScriptedServer:
    server = ScriptedServer()
    server.routes["/props"] = Step(
        body={"default_generation_settings": {"n_ctx": n_ctx}, "total_slots": 1}
    )
    server.routes["/v1/models"] = Step(
        body={"object": "list", "data": [{"id": "gemma", "meta": {"n_ctx_train": 32768}}]}
    )
    replies = itertools.cycle(JUNK)

    def junk(_request: Any) -> dict[str, Any]:
        return openai_body(next(replies), model="gemma", tokens=(900, 60))

    server.add(*(Step(body=junk) for _ in range(200)))
    return server


@pytest.fixture
def junk_server() -> Iterator[ScriptedServer]:
    server = llama_cpp_server()
    try:
        yield server
    finally:
        server.close()


def optimize(repo: Path, db: Path, model: str, timeout: int = 900) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("OPENAI", "ANTHROPIC", "PERFAGENT_"))
    }
    env["PYTHONPATH"] = str(ROOT)
    args = ["optimize", str(repo), "--model", model, "--budget", "2", "--json"]
    args += ["--sandbox", "local", "--db", str(db)]
    return subprocess.run(
        [sys.executable, "-m", "agent", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=timeout,
    )


def check_junk_run(proc: subprocess.CompletedProcess, db: Path, answered: int) -> dict:
    """Exit 1, the run's JSON on stdout, and one recorded call per request the server got."""
    assert proc.returncode == 1, proc.stderr[-3000:]
    out = json.loads(proc.stdout)
    assert out["status"] == "no-improvement" and out["best"] is None
    assert out["reason"].startswith("planner-failed: the planner failed 2 round(s) in a row")
    store = Store(sqlite_url(db))
    calls = store.llm_calls(out["run_id"])
    assert out["llm"]["calls"] == len(calls) == answered > 0
    assert all(c.purpose == "plan" and c.prompt for c in calls)
    errors = [e for e in store.events(out["run_id"]) if e.kind == "planner-error"]
    assert [e.data["round"] for e in errors] == [1, 2]
    return out


@pytest.mark.slow
def test_a_run_against_a_junk_local_model_ends_with_exit_1_and_its_json(
    make_repo: Callable[..., Path], tmp_path: Path, junk_server: ScriptedServer
) -> None:
    repo = make_repo(PROJECT)
    db = tmp_path / "runs.db"
    proc = optimize(repo, db, f"openai-compatible:gemma@{junk_server.url}/v1")
    seen = junk_server.completions
    check_junk_run(proc, db, len(seen))
    assert all(s.overlapping == 0 for s in seen)  # one slot: never two requests at once
    assert all(s.body["max_tokens"] < 8192 for s in seen)  # fitted to the window
    store = Store(sqlite_url(db))
    [run] = store.runs()
    replies = [c.response for c in store.llm_calls(run.id)]
    assert replies == [JUNK[i % len(JUNK)] for i in range(len(seen))]
    for request in seen[1:]:  # a re-ask quotes an excerpt, never a whole junk reply
        assert all(len(m["content"]) < 20_000 for m in request.body["messages"])
        assert JUNK[0] not in request.body["messages"][-1]["content"]
