"""The Docker sandbox against a real engine: containers, limits, scratch, images, cleanup.

Without an engine these tests skip loudly; under `PERFAGENT_REQUIRE_DOCKER=1` (CI) they fail.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sandbox import images
from sandbox.base import Limits, ProtectedPathError, Sandbox, SandboxError, WorkspaceSpec
from sandbox.docker import (
    DockerConfig,
    DockerSandbox,
    DockerSandboxFactory,
    _collapse,
    reap_orphans,
)
from sandbox.engine import EngineConfig, connect, probe

pytestmark = [pytest.mark.docker]

FILES = {
    "pkg/__init__.py": "",
    "pkg/mod.py": "def f(x):\n    return x + 1\n",
    "tests/test_mod.py": "from pkg.mod import f\n\n\ndef test_f():\n    assert f(1) == 2\n",
    "bench/run.py": "from pkg.mod import f\nprint('bench', f(1))\n",
    "sub/task/main.py": "print('task')\n",
    "requirements.txt": "",
}
PROTECTED = ("**/tests/**", "bench/**")


def _factory(tmp_path: Path, **changes: object) -> DockerSandboxFactory:
    try:
        factory = DockerSandboxFactory.from_environment(DockerConfig(tmp_root=tmp_path / "trees"))
    except SandboxError as exc:
        if os.environ.get("PERFAGENT_REQUIRE_DOCKER") == "1":
            pytest.fail(f"PERFAGENT_REQUIRE_DOCKER=1 but Docker is unusable: {exc}")
        pytest.skip(f"SKIPPED LOUDLY: no Docker engine ({exc}); run .ci/provision-docker as root")
    return factory.configure(**changes) if changes else factory


@pytest.fixture
def docker_factory(tmp_path: Path) -> DockerSandboxFactory:
    return _factory(tmp_path)


@pytest.fixture
def docker_repo(make_repo: Callable[..., Path]) -> Path:
    return make_repo(FILES, name="docker-target")


@pytest.fixture
def open_docker(
    docker_factory: DockerSandboxFactory, docker_repo: Path
) -> Iterator[Callable[..., DockerSandbox]]:
    opened: list[DockerSandbox] = []

    def make(limits: Limits | None = None, **fields: object) -> DockerSandbox:
        spec = WorkspaceSpec(
            **{"repo": docker_repo, "ref": "HEAD", "protected": PROTECTED, **fields}  # type: ignore[arg-type]
        )
        sb = docker_factory.open(spec, limits)
        opened.append(sb)
        return sb

    yield make
    for sb in opened:
        sb.close()


def test_implements_the_sandbox_protocol(open_docker: Callable[..., DockerSandbox]) -> None:
    sb = open_docker()
    assert isinstance(sb, Sandbox)
    assert sb.kind == "docker"
    assert sb.workdir == "/work/repo" and sb.scratch == "/perfagent/scratch"
    assert (sb.host_root / "pkg/mod.py").is_file() and sb.host_scratch.is_dir()


def test_runs_in_the_task_directory_as_an_unprivileged_user(
    open_docker: Callable[..., DockerSandbox],
) -> None:
    """Guards against commands running as root, with capabilities, or with setuid escalation."""
    sb = open_docker(subdir="sub/task")
    res = sb.execute("pwd; id -u; grep -E '^(CapEff|NoNewPrivs)' /proc/self/status; python main.py")
    assert res.ok, res
    lines = res.stdout.split()
    assert lines[0] == "/work/repo/sub/task"
    assert lines[1] != "0"
    assert "CapEff:" in lines and lines[lines.index("CapEff:") + 1] == "0000000000000000"
    assert lines[lines.index("NoNewPrivs:") + 1] == "1"
    assert lines[-1] == "task"


def test_result_fields(open_docker: Callable[..., DockerSandbox]) -> None:
    sb = open_docker()
    started = time.perf_counter()
    res = sb.execute("echo out; echo err >&2; exit 3")
    host_elapsed = time.perf_counter() - started
    assert (res.returncode, res.stdout, res.stderr) == (3, "out\n", "err\n")
    assert not res.timed_out and not res.output_truncated and res.tampered == ()
    assert res.peak_rss_bytes and res.peak_rss_bytes > 0
    # duration_s is the command's own run time, measured inside: it excludes container start-up.
    assert 0 < res.duration_s < host_elapsed


def test_environment_is_an_allow_list(
    open_docker: Callable[..., DockerSandbox], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guards against host variables (API keys above all) reaching candidate code."""
    monkeypatch.setenv("OPENAI_API_KEY", "sk-host-secret-value")
    monkeypatch.setenv("PERFAGENT_HOST_ONLY", "visible?")
    sb = open_docker()
    res = sb.execute(
        "env",
        env={"EXTRA": "1", "ANTHROPIC_API_KEY": "x", "INNOCENT": "sk-host-secret-value"},
    )
    names = {line.split("=", 1)[0] for line in res.stdout.splitlines()}
    assert "EXTRA" in names and "PYTHONHASHSEED=0" in res.stdout
    assert not names & {"OPENAI_API_KEY", "PERFAGENT_HOST_ONLY", "ANTHROPIC_API_KEY", "INNOCENT"}
    assert "sk-host-secret-value" not in res.stdout


def test_protected_files_are_read_only_and_new_ones_reported(
    open_docker: Callable[..., DockerSandbox],
) -> None:
    """Guards against a command editing tests/benchmark files, or adding files under them."""
    sb = open_docker()
    res = sb.execute(
        "echo hack >> tests/test_mod.py; echo hack > bench/new.py; echo x > tests/conftest.py; "
        "mkdir -p pkg/tests && echo x > pkg/tests/test_new.py; echo ok"
    )
    assert "Read-only file system" in res.stderr
    assert res.tampered == ("pkg/tests/test_new.py",)
    assert not res.ok
    assert (sb.host_root / "tests/test_mod.py").read_text() == FILES["tests/test_mod.py"]
    assert not (sb.host_root / "pkg/tests/test_new.py").exists()
    assert sb.execute("echo fine").tampered == ()


def test_patches_to_protected_files_are_refused(open_docker: Callable[..., DockerSandbox]) -> None:
    with pytest.raises(ProtectedPathError):
        open_docker(files={"tests/test_mod.py": "def test_f():\n    pass\n"})


def test_scratch_is_per_command(open_docker: Callable[..., DockerSandbox]) -> None:
    """Guards against one command reading what an earlier one wrote to scratch (result caching),
    while the host still sees every command's outputs and its own inputs stay visible."""
    sb = open_docker()
    (sb.host_scratch / "runner.py").write_text("print('runner')\n")
    first = sb.execute(f"python {sb.scratch}/runner.py; echo 1 > {sb.scratch}/out1.txt")
    assert first.stdout == "runner\n"
    assert (sb.host_scratch / "out1.txt").read_text() == "1\n"
    second = sb.execute(
        f"ls {sb.scratch}; cd {sb.scratch} && rm -f runner.py && echo 'print(0)' > runner.py; "
        "mkdir -p d; echo 2 > d/out2.txt; ln -s /etc/passwd link"
    )
    assert second.stdout.split() == ["runner.py"]
    assert (sb.host_scratch / "d/out2.txt").read_text() == "2\n"
    assert not (sb.host_scratch / "link").exists()
    assert (sb.host_scratch / "runner.py").read_text() == "print('runner')\n"
    third = sb.execute(f"ls -R {sb.scratch}; python {sb.scratch}/runner.py")
    assert "out1.txt" not in third.stdout and "out2.txt" not in third.stdout
    assert third.stdout.endswith("runner\n")
    (sb.host_scratch / "runner.py").write_text("print('fresh')\n")
    assert sb.execute(f"python {sb.scratch}/runner.py").stdout == "fresh\n"


def test_tmp_is_fresh_per_command(open_docker: Callable[..., DockerSandbox]) -> None:
    sb = open_docker()
    assert sb.execute("echo cached > /tmp/c; echo cached > $HOME/h").ok
    assert sb.execute("cat /tmp/c $HOME/h").returncode != 0


def test_diff_includes_new_files(open_docker: Callable[..., DockerSandbox]) -> None:
    sb = open_docker(files={"pkg/mod.py": "def f(x):\n    return x + 2\n"})
    assert sb.execute("echo 'X = 1' > pkg/new.py", keep_writes=True).ok
    diff = sb.diff()
    assert "diff --git a/pkg/mod.py b/pkg/mod.py" in diff
    assert "diff --git a/pkg/new.py b/pkg/new.py" in diff and "+X = 1" in diff


def test_host_side_timeout_kills_a_container_whose_timer_does_not_answer(
    tmp_path: Path, docker_repo: Path
) -> None:
    """Guards against relying on the in-container timer alone: the host kills and removes."""
    factory = _factory(tmp_path, grace_s=-4.0)  # the host gives up 4 s before the timer would
    with factory.open(WorkspaceSpec(repo=docker_repo, ref="HEAD")) as sb:
        res = sb.execute("sleep 60", timeout=5)
        assert res.timed_out and res.returncode is None and "timeout" in res.killed_reason
        left = sb.client.api.containers(all=True, filters={"label": f"perfagent.sandbox={sb.id}"})
        assert left == []


def test_close_removes_tree_and_is_idempotent(open_docker: Callable[..., DockerSandbox]) -> None:
    sb = open_docker()
    sb.execute("echo x > pkg/junk.py", keep_writes=True)
    base = sb.tree.base
    sb.close()
    sb.close()
    assert not base.exists()
    with pytest.raises(SandboxError):
        sb.execute("true")


def test_containers_of_dead_owners_are_reaped(
    docker_factory: DockerSandboxFactory, docker_repo: Path
) -> None:
    """Guards against containers outliving a crashed perfagent (owner pid gone)."""
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    token = images.owner_token(dead.pid)
    dead.wait()
    client = docker_factory.client
    image = docker_factory.resolve_image(docker_repo, "HEAD")
    labels = {**images.owner_labels(), images.OWNER_LABEL: token, images.ROLE_LABEL: "candidate"}
    orphan = client.api.create_container(image, command=["sleep", "300"], labels=labels)
    client.api.start(orphan["Id"])
    mine = client.api.create_container(
        image, command=["sleep", "300"], labels=images.owner_labels()
    )
    try:
        assert reap_orphans(client) >= 1
        ids = {c["Id"] for c in client.api.containers(all=True)}
        assert orphan["Id"] not in ids and mine["Id"] in ids
    finally:
        for cid in (orphan["Id"], mine["Id"]):
            images.remove_container(client, cid)


@pytest.mark.valgrind
@pytest.mark.pyspy
def test_profilers_work_inside(open_docker: Callable[..., DockerSandbox]) -> None:
    """Guards against a base image or container flags that break valgrind or py-spy."""
    sb = open_docker()
    res = sb.execute(
        f"valgrind --tool=callgrind --callgrind-out-file={sb.scratch}/cg.out python -c 'pass' "
        f"&& py-spy record -r 200 -f raw -o {sb.scratch}/prof.txt -- "
        "python -c 'sum(i * i for i in range(3_000_000))'",
        timeout=300,
    )
    assert res.ok, res.tail()
    assert "summary:" in (sb.host_scratch / "cg.out").read_text()
    assert (sb.host_scratch / "prof.txt").read_text().strip()


def test_requirements_and_install_build_cached_layers(
    tmp_path: Path, make_repo: Callable[..., Path]
) -> None:
    """Guards against rebuilding env/instance layers for an unchanged key."""
    repo = make_repo(
        {
            "setup.py": "from setuptools import setup\nsetup(name='tinypkg', version='1', py_modules=['tiny'])\n",
            "tiny.py": "VALUE = 42\n",
        },
        name="installable",
    )
    factory = _factory(
        tmp_path,
        install="pip install --no-deps --no-build-isolation -e . || pip install --no-deps -e .",
    )
    first = factory.resolve_image(repo, "HEAD")
    assert first.startswith("perfagent-instance:")
    again = factory.configure().resolve_image(repo, "HEAD")
    assert again == first
    with factory.open(WorkspaceSpec(repo=repo, ref="HEAD")) as sb:
        res = sb.execute("cd /tmp && python -c 'import tiny; print(tiny.VALUE)'")
        assert res.stdout.strip() == "42", res


def test_collapse_mounts_whole_directories_when_everything_inside_is_protected() -> None:
    tracked = ["tests/a.py", "tests/sub/b.py", "pkg/tests/c.py", "pkg/mod.py", "bench.py", "x.py"]
    protected = ["tests/a.py", "tests/sub/b.py", "pkg/tests/c.py", "bench.py"]
    assert _collapse(protected, tracked) == ["bench.py", "pkg/tests", "tests"]


def test_missing_engine_is_one_line_error() -> None:
    config = EngineConfig(base_url="unix:///nonexistent/docker.sock", ping_timeout_s=1)
    assert probe(config) is None
    with pytest.raises(SandboxError) as info:
        connect(config)
    assert "\n" not in str(info.value) and "no Docker engine" in str(info.value)


def test_cli_status_reports_engine_and_base_image(docker_factory: DockerSandboxFactory) -> None:
    from typer.testing import CliRunner

    from agent.cli.sandbox import app

    result = CliRunner().invoke(app, ["status", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["engine"]["server_version"]
    assert report["base_image"]["tag"] == images.BaseImageConfig().tag


def test_prune_removes_what_perfagent_made_but_keeps_the_base(
    docker_factory: DockerSandboxFactory, docker_repo: Path
) -> None:
    """Guards against prune missing labelled containers/images, or deleting the costly base."""
    client = docker_factory.client
    if client.api.containers(filters={"label": f"{images.ROLE_LABEL}=candidate"}):
        pytest.skip("other perfagent runs are active on this engine; not pruning under them")
    image = docker_factory.resolve_image(docker_repo, "HEAD")
    leftover = client.api.create_container(image, command=["true"], labels=images.owner_labels())
    from typer.testing import CliRunner

    from agent.cli.sandbox import app

    result = CliRunner().invoke(app, ["prune", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["containers"] >= 1 and report["images"] >= 1
    assert leftover["Id"] not in {c["Id"] for c in client.api.containers(all=True)}
    assert images.image_id(client, image) is None
    base = docker_factory.config.base_image or docker_factory.config.base.tag
    assert images.image_id(client, base) is not None


def test_prewarm_opens_the_next_sandbox_in_the_background(
    docker_factory: DockerSandboxFactory, docker_repo: Path
) -> None:
    """Guards against the next candidate's container start sitting in series with the current
    one's timing, and against prewarmed containers nobody opens being left behind."""
    spec = WorkspaceSpec(repo=docker_repo, ref="HEAD", files={"pkg/mod.py": "X = 2\n"})
    other = WorkspaceSpec(repo=docker_repo, ref="HEAD", name="other")
    docker_factory.prewarm(spec)
    docker_factory.prewarm(other)
    with docker_factory.open(spec) as sb:
        assert sb._runs == 0  # prewarming never runs a command
        assert sb.execute("cat pkg/mod.py").stdout == "X = 2\n"
        warm_id = sb.id
    warm = docker_factory._prewarmed.warm
    unused = warm[next(iter(warm))].result()
    docker_factory.discard_prewarmed()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and unused.tree.base.exists():
        time.sleep(0.1)
    assert not unused.tree.base.exists()
    client = docker_factory.client
    for sid in (warm_id, unused.id):
        assert client.api.containers(all=True, filters={"label": f"perfagent.sandbox={sid}"}) == []


def test_a_container_left_dirty_is_replaced(tmp_path: Path, docker_repo: Path) -> None:
    """Guards against state surviving in a container whose reset never ran (its timer killed by
    the host): the next command gets a fresh container and a clean state."""
    factory = _factory(tmp_path, grace_s=-4.0)  # the host gives up 4 s before the timer would
    with factory.open(WorkspaceSpec(repo=docker_repo, ref="HEAD")) as sb:
        first = sb._box
        assert sb.execute("echo x > /tmp/a; sleep 60", timeout=5).timed_out
        again = sb.execute("ls -A /tmp; echo ok", timeout=30)
        assert again.stdout == "ok\n"
        assert first is not None and sb._box is not None and first.id != sb._box.id
