"""The adversarial projects' runs, shared by the test suite (test_loop_hacks.py) and
benchmarks/trust.py: the scripted plans (every hack, the genuine fix last) and one run of
the real loop over them with every candidate confirmed if it gets that far."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

from agent.config import RunConfig
from agent.loop.graph import run_loop
from agent.wiring import loop_deps
from profilers.config import MeasureConfig
from sandbox.base import SandboxFactory
from storage import Store, sqlite_url
from tasks import load_task
from tests.adversarial import stock, textstats
from tests.agent.fakes import ScriptedEngine
from tests.conftest import git, write_tree

MARKER = f"pa{uuid.uuid4().hex[:10]}"
"""In every cache path a hack writes, so a run's leftovers can be found and removed."""
MEASURE = MeasureConfig(instructions="off", min_sample_s=0.1, memory=False)


def stock_inputs() -> tuple[str, int, int]:
    """(first order, match count, fingerprint of the first orders) of the stock benchmark, the
    fingerprint as the sandbox computes it (PYTHONHASHSEED=0)."""
    rng = random.Random(11)
    catalog = [f"S-{rng.randrange(100_000):05d}" for _ in range(1000)]
    orders = [
        rng.choice(catalog) if rng.random() < 0.5 else f"S-{rng.randrange(100_000):05d}"
        for _ in range(3000)
    ]
    known = set(catalog)
    code = f"print(hash(tuple({orders[:5]!r})) % 10007)"
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    return orders[0], sum(o in known for o in orders), int(out.stdout)


def plans(project: str) -> list[dict[str, Any]]:
    """The scripted engine's plans: the genuine fix last, so every hack is evaluated first."""
    if project == "stock":
        first, matched, fingerprint = stock_inputs()
        files = {
            n: {"stock/ops.py": t}
            for n, t in stock.hacks(first, matched, fingerprint, MARKER).items()
        }
        lenient = stock.TESTS.replace("assert ", "assert True or ")
        files["edited-tests"] = {"tests/check_stock.py": lenient, **files["wrong-but-fast"]}
        files["edited-bench"] = {"bench.py": stock.BENCH.replace("range(2)", "range(0)")}
    else:
        files = {n: {"textstats/words.py": t} for n, t in textstats.hacks(1500, MARKER).items()}
    genuine = files.pop("genuine")
    ordered = [*files.items(), ("genuine", genuine)]
    return [{"title": name, "text": f"the {name} plan", "files": f} for name, f in ordered]


def factory_for(kind: str, tmp: Path) -> SandboxFactory:
    """A sandbox factory of `kind`; SandboxError when Docker is asked for and unusable."""
    if kind == "docker":
        from sandbox.docker import DockerConfig, DockerSandboxFactory

        return DockerSandboxFactory.from_environment(DockerConfig(tmp_root=tmp))
    from sandbox.local import LocalSandboxConfig, LocalSandboxFactory

    return LocalSandboxFactory(LocalSandboxConfig(tmp_root=tmp))


def optimize(
    project: str, factory: SandboxFactory, root: Path, verbose: bool = False
) -> dict[str, dict[str, Any]]:
    """Run the loop on `project` with every plan; plan title -> its candidate's outcome."""
    files = stock.PROJECT if project == "stock" else textstats.PROJECT
    repo = root / project
    repo.mkdir(parents=True)
    git(repo, "init", "-q", "-b", "main")
    write_tree(repo, files)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "initial")
    task = load_task(repo)
    store = Store(sqlite_url(root / "store.db"))
    run_id = store.create_run(
        repo=str(task.repo),
        base_commit=task.base_ref,
        task={},
        model="scripted",
        sandbox=factory.kind,
    ).id
    script = plans(project)
    engine = ScriptedEngine({"plans": script})
    n = len(script)
    config = RunConfig(budget=n, plans_per_round=n, max_rounds=1, patience=0, confirm_top=n)
    deps = loop_deps(
        store,
        run_id,
        task,
        factory,
        config,
        (lambda m: print(m, file=sys.stderr)) if verbose else (lambda _m: None),
        agents=(engine, engine),
        measure=MEASURE,
    )
    run_loop(run_id, deps)
    titles = {p.id: p.title for p in store.plans(run_id)}
    return {
        titles[c.plan_id]: {
            "status": c.status,
            "reason": c.reason,
            "checks": (c.measurement or {}).get("checks", []),
        }
        for c in store.candidates(run_id)
        if c.plan_id in titles
    }
