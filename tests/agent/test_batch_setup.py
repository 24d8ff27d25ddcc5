"""What `perfagent batch` checks before it sends work out: Ray is installed, and every worker
can reach the store the driver reads (a SQLite file is refused across machines)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from agent.batch.cluster import check_store
from agent.batch.config import BatchConfig
from agent.batch.worker import optimize_instance
from agent.exceptions import BadInput
from storage import sqlite_url
from tasks.formats import load_instances
from tasks.repos import RepoConfig
from tests.agent.test_cli_errors import one_line_error

ROOT = Path(__file__).resolve().parents[2]
WITHOUT_RAY = (
    "import sys; sys.modules['ray'] = None; sys.argv[0] = 'perfagent'; "
    "from agent.cli import main; main()"
)


def test_batch_without_ray_names_the_extra(tmp_path: Path) -> None:
    """Guards installs without the [batch] extra: one line naming it, exit 2, no traceback."""
    tasks = tmp_path / "tasks.jsonl"
    tasks.write_text(json.dumps({"instance_id": "a", "repo": "o/r", "bench": "true"}) + "\n")
    proc = subprocess.run(
        [sys.executable, "-c", WITHOUT_RAY, "batch", str(tasks), "--format", "native"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 2
    assert (
        one_line_error(proc)
        == "perfagent: perfagent batch needs Ray: pip install 'perfagent[batch]'"
    )


def config(tmp_path: Path, db: str, driver_host: str = "driver-machine") -> BatchConfig:
    repos = RepoConfig(work_dir=tmp_path / "ws", allow_clone=False)
    return BatchConfig(fmt="native", repos=repos, db=db, driver_host=driver_host)


def node(host: str, alive: bool = True) -> dict[str, object]:
    """A node as `ray.nodes()` lists it (the fields read)."""
    return {"NodeManagerHostname": host, "Alive": alive}


def test_a_sqlite_store_is_refused_for_a_cluster_over_several_machines(tmp_path: Path) -> None:
    """Guards silent loss: workers on other machines would each write a SQLite file of their
    own that the driver's resume and predictions never read."""
    db = sqlite_url(tmp_path / "batch.db")
    with pytest.raises(BadInput) as refused:
        check_store(config(tmp_path, db), [node("driver-machine"), node("other-machine")])
    assert "other-machine" in str(refused.value) and "postgresql://" in str(refused.value)
    check_store(config(tmp_path, db), [node("driver-machine"), node("gone", alive=False)])
    pg = "postgresql://perfagent@db.internal/batch"
    check_store(config(tmp_path, pg), [node("driver-machine"), node("other-machine")])


def test_a_worker_on_another_machine_never_opens_a_sqlite_store(tmp_path: Path) -> None:
    """Guards the same on the worker's side (nodes that joined after the driver checked)."""
    tasks = tmp_path / "tasks.jsonl"
    tasks.write_text(json.dumps({"instance_id": "a", "repo": "o/r", "bench": "true"}) + "\n")
    [loaded] = load_instances(tasks, "native")
    db = tmp_path / "batch.db"
    row = optimize_instance(loaded, None, config(tmp_path, sqlite_url(db)))
    assert row["status"] == "error" and row["accepted"] is False
    assert "SQLite file on driver-machine" in row["reason"]
    assert not db.exists()
