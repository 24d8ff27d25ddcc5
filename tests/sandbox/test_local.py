"""The local sandbox runs real processes: limits, kills, environment, network, protected files."""

from __future__ import annotations

import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sandbox.base import Limits, Sandbox, WorkspaceSpec
from sandbox.limits import probe_host
from sandbox.local import LocalSandbox, LocalSandboxConfig, LocalSandboxFactory, is_secret_name
from tests.sandbox.conftest import live_pids_with, marker

FALLBACK = LocalSandboxConfig(pid_namespace=False, net_namespace=False, pids_cgroup=False)


@pytest.fixture(params=["isolated", "fallback"])
def any_factory(request: pytest.FixtureRequest, tmp_path: Path) -> LocalSandboxFactory:
    """The default sandbox, and the one without namespaces or cgroups (process groups only)."""
    base = FALLBACK if request.param == "fallback" else LocalSandboxConfig()
    return LocalSandboxFactory(LocalSandboxConfig(**{**base.__dict__, "tmp_root": tmp_path / "t"}))


def test_implements_the_protocol(open_sb: Callable[..., LocalSandbox]) -> None:
    sb = open_sb()
    assert isinstance(sb, Sandbox)
    assert sb.kind == LocalSandboxFactory.kind == "local"


def test_runs_in_workdir_with_status_and_output(open_sb: Callable[..., LocalSandbox]) -> None:
    sb = open_sb()
    res = sb.execute("pwd; echo err >&2; exit 3")
    assert res.returncode == 3 and not res.ok
    assert res.stdout == f"{sb.host_root}\n" and res.stderr == "err\n"
    assert res.duration_s > 0 and not res.timed_out and res.killed_reason == ""
    assert sb.execute("python3 -c 'from pkg.mod import f; print(f(1))'").stdout == "2\n"


def test_each_command_is_a_fresh_process(open_sb: Callable[..., LocalSandbox]) -> None:
    """Guards against state (environment, cwd, files in HOME) carrying from one command on."""
    sb = open_sb()
    first = sb.execute("export FOO=1; cd /; echo x > $HOME/kept")
    assert first.writes == ("$HOME/kept",)
    res = sb.execute('echo "${FOO:-unset} $PWD"; cat $HOME/kept')
    assert res.stdout == f"unset {sb.host_root}\n" and "No such file" in res.stderr


def test_environment_is_scrubbed(
    open_sb: Callable[..., LocalSandbox], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guards against API keys reaching candidate code through the inherited environment."""
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-0123456789abcdef")
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_0123456789abcdef")
    monkeypatch.setenv("PYTHONPATH", "/somewhere")
    monkeypatch.setenv("RANDOM_HOST_VAR", "1")
    sb = open_sb()
    res = sb.execute("env", env={"EXTRA": "yes", "PYTHONHASHSEED": "7"})
    env = dict(line.split("=", 1) for line in res.stdout.splitlines())
    assert "OPENAI_API_KEY" not in env and "GITHUB_TOKEN" not in env
    assert "sk-test" not in res.stdout and "ghp_" not in res.stdout
    assert "PYTHONPATH" not in env and "RANDOM_HOST_VAR" not in env
    assert env["EXTRA"] == "yes" and env["PYTHONHASHSEED"] == "7"
    assert env["HOME"] != env["TMPDIR"] and sb.scratch not in (env["HOME"], env["TMPDIR"])
    assert env["PYTHONDONTWRITEBYTECODE"] == "1" and env["PERFAGENT_SCRATCH"] == sb.scratch
    assert sb.execute("echo $PYTHONHASHSEED").stdout == "0\n"


@pytest.mark.parametrize(
    "env",
    [
        {"ANTHROPIC_API_KEY": "x"},
        {"MY_SECRET": "x"},
        {"HARMLESS": "sk-test-0123456789abcdef"},
        {"INDEX": "https://user:pw@example.invalid/simple"},
        {"BASH_ENV": "/tmp/x"},
    ],
)
def test_secret_looking_env_is_dropped(
    open_sb: Callable[..., LocalSandbox],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    env: dict[str, str],
) -> None:
    """Guards against a caller handing a credential to candidate code through `env`."""
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-0123456789abcdef")
    res = open_sb().execute("env", env={**env, "KEEP": "1"})
    names = {line.split("=", 1)[0] for line in res.stdout.splitlines()}
    assert not names & set(env) and "KEEP" in names
    assert "sk-test" not in res.stdout and "user:pw" not in res.stdout
    assert "not passing" in caplog.text


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("OPENAI_API_KEY", True),
        ("AWS_SECRET_ACCESS_KEY", True),
        ("HF_TOKEN", True),
        ("DB_PASSWORD", True),
        ("SSH_AUTH_SOCK", True),
        ("TOKENIZERS_PARALLELISM", False),
        ("PYTHONHASHSEED", False),
        ("KEYBOARD_LAYOUT", False),
        ("PATH", False),
    ],
)
def test_secret_names(name: str, secret: bool) -> None:
    assert is_secret_name(name) is secret


def test_timeout_kills_the_whole_tree(any_factory: LocalSandboxFactory, repo: Path) -> None:
    """Guards against a timed-out command leaving its children (and their children) running."""
    tag = marker()
    with any_factory.open(_spec(repo)) as sb:
        res = sb.execute(f"(sleep {tag} &) ; sleep {tag} & sleep {tag}", timeout=0.5)
        assert res.timed_out and res.returncode is None and not res.ok
        assert res.killed_reason == "timeout after 0.5 s"
        assert 0.5 <= res.duration_s < 5
        assert live_pids_with(tag) == []


def test_background_processes_do_not_outlive_a_command(
    any_factory: LocalSandboxFactory, repo: Path
) -> None:
    """Guards against a candidate starting a daemon that keeps running (and using CPU) while
    later commands are timed. Without a PID namespace or cgroup only the process group is
    killed, so the fallback case leaves out the `setsid` escape."""
    tag = marker()
    escape = any_factory.config.pid_namespace or any_factory.config.pids_cgroup
    cmd = f"nohup sleep {tag} >/dev/null 2>&1 & sleep {tag} & echo started"
    if escape:
        cmd = f"setsid sleep {tag} & " + cmd
    with any_factory.open(_spec(repo)) as sb:
        res = sb.execute(cmd, timeout=10)
        assert res.returncode == 0 and res.stdout == "started\n"
        assert live_pids_with(tag) == []


def test_fork_bomb_is_contained(open_sb: Callable[..., LocalSandbox]) -> None:
    """Guards against a runaway candidate exhausting the host's process table."""
    if probe_host().pids_cgroup is None:
        pytest.skip("no pids cgroup here: a fork bomb run as root would not be contained")
    sb = open_sb(limits=Limits(max_processes=40, timeout_s=20))
    tag = marker()
    code = (
        "import os, time\nn = 0\nwhile True:\n"
        "    try:\n        pid = os.fork()\n    except OSError:\n        break\n"
        f"    if pid == 0:\n        time.sleep({tag})\n        os._exit(0)\n    n += 1\n"
        "print(n)\n"
    )
    (sb.host_scratch / "forks.py").write_text(code)
    res = sb.execute(f"python3 {sb.scratch}/forks.py")
    assert res.returncode == 0, res.stderr
    assert 0 < int(res.stdout) < 40
    assert live_pids_with(tag) == []
    bomb = sb.execute(f"bomb() {{ bomb | bomb & }}; bomb; sleep {tag}", timeout=2)
    assert bomb.timed_out and bomb.killed_reason == "timeout after 2 s"
    assert live_pids_with(tag) == []
    assert sb.execute("echo alive").stdout == "alive\n"


def test_memory_bomb_ends_non_zero(open_sb: Callable[..., LocalSandbox]) -> None:
    sb = open_sb(limits=Limits(memory_bytes=512 * 1024**2))
    res = sb.execute("python3 -c 'x = bytearray(2 * 1024**3)'", timeout=30)
    assert res.returncode not in (0, None)
    assert "memory limit" in res.killed_reason
    assert sb.execute("python3 -c 'x = bytearray(64 * 1024**2)'").ok


def test_peak_rss_is_the_commands_not_the_hosts(open_sb: Callable[..., LocalSandbox]) -> None:
    """Guards against ru_maxrss of a spawned process starting at our own RSS (inherited through
    exec): a tiny command must not report this test process's memory."""
    if probe_host().gnu_time is None:
        pytest.skip("GNU time is not installed")
    ballast = bytearray(200 * 1024**2)
    ballast[::4096] = b"x" * len(ballast[::4096])
    sb = open_sb()
    small = sb.execute("true").peak_rss_bytes
    big = sb.execute(
        "python3 -c 'x = bytearray(150 * 1024**2); x[::4096] = b\"y\" * len(x[::4096])'"
    )
    assert small is not None and small < 100 * 1024**2
    assert big.peak_rss_bytes is not None and big.peak_rss_bytes > 150 * 1024**2
    del ballast


def test_output_is_truncated(open_sb: Callable[..., LocalSandbox]) -> None:
    sb = open_sb(limits=Limits(max_output_bytes=1000))
    res = sb.execute("head -c 1000000 /dev/zero | tr '\\0' a; echo; echo LAST-LINE")
    assert res.output_truncated and res.returncode == 0
    assert len(res.stdout.encode()) <= 1000
    assert res.stdout.startswith("aaa") and res.stdout.endswith("LAST-LINE\n")
    assert "bytes cut by the sandbox" in res.stdout


def test_endless_output_is_stopped(open_sb: Callable[..., LocalSandbox], tmp_path: Path) -> None:
    """Guards against a command filling the disk through its captured output."""
    fac = LocalSandboxFactory(LocalSandboxConfig(tmp_root=tmp_path / "t", flood_bytes=2 * 1024**2))
    sb = open_sb(fac=fac, limits=Limits(max_output_bytes=100))
    res = sb.execute("yes", timeout=30)
    assert "output flood" in res.killed_reason and not res.ok
    assert res.output_truncated


@pytest.fixture
def loopback_server() -> Iterator[int]:
    """A TCP server on the host's 127.0.0.1 that answers `hello` to each connection."""
    srv = socket.create_server(("127.0.0.1", 0))
    srv.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except TimeoutError:
                continue
            with conn:
                conn.sendall(b"hello")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield srv.getsockname()[1]
    stop.set()
    thread.join()
    srv.close()


def test_network_is_refused(open_sb: Callable[..., LocalSandbox], loopback_server: int) -> None:
    """Guards against candidates reaching the host's network; a command allowed the network
    reaches the same server, so the refusal is the namespace's doing."""
    if not probe_host().net_namespace:
        pytest.skip("network namespaces are not available here")
    client = (
        f"import socket; s = socket.create_connection(('127.0.0.1', {loopback_server}), timeout=2); "
        "print(s.recv(5).decode())"
    )
    cmd = f'{sys.executable} -c "{client}"'
    denied = open_sb().execute(cmd)
    assert denied.returncode != 0 and "hello" not in denied.stdout
    allowed = open_sb(limits=Limits(network=True)).execute(cmd)
    assert allowed.ok and allowed.stdout == "hello\n", allowed.stderr
    assert (
        open_sb()
        .execute(f"{sys.executable} -c \"import socket; socket.create_server(('127.0.0.1', 0))\"")
        .ok
    )


def test_tampering_is_reported_and_restored(open_sb: Callable[..., LocalSandbox]) -> None:
    """Guards against a candidate passing by editing its tests or benchmark during a run."""
    sb = open_sb()
    original = (sb.host_root / "tests/test_mod.py").read_text()
    res = sb.execute(
        "echo 'def test_f(): pass' > tests/test_mod.py; rm bench/run.py; "
        "echo 'x = 1' > tests/conftest.py; echo ok"
    )
    assert res.returncode == 0 and not res.ok
    assert res.tampered == ("bench/run.py", "tests/conftest.py", "tests/test_mod.py")
    assert (sb.host_root / "tests/test_mod.py").read_text() == original
    assert (sb.host_root / "bench/run.py").exists()
    assert not (sb.host_root / "tests/conftest.py").exists()
    assert sb.execute("cat bench/run.py").tampered == ()


def test_tampering_through_a_symlinked_directory_is_undone(
    open_sb: Callable[..., LocalSandbox],
) -> None:
    sb = open_sb()
    res = sb.execute(
        "mkdir -p $HOME/fake && echo 'def test_f(): pass' > $HOME/fake/test_mod.py && "
        "rm -rf tests && ln -s $HOME/fake tests"
    )
    assert {"tests", "tests/test_mod.py"} & set(res.tampered), res
    assert not (sb.host_root / "tests").is_symlink()
    assert "assert f(1) == 2" in (sb.host_root / "tests/test_mod.py").read_text()


def test_edits_by_the_host_to_protected_files_are_undone_before_a_command(
    open_sb: Callable[..., LocalSandbox],
) -> None:
    sb = open_sb()
    (sb.host_root / "tests/test_mod.py").write_text("changed\n")
    res = sb.execute("cat tests/test_mod.py")
    assert "assert f(1) == 2" in res.stdout and res.tampered == ()


def test_close_kills_nothing_it_should_not_and_removes_everything(
    open_sb: Callable[..., LocalSandbox], repo: Path
) -> None:
    sb = open_sb()
    base = sb.tree.base
    sb.close()
    assert not base.exists()
    assert (repo / "pkg/mod.py").exists()


def test_fallback_warnings_are_recorded() -> None:
    support = probe_host()
    assert probe_host() is support  # probed once
    for line in support.warnings:
        assert "\n" not in line


def _spec(repo: Path) -> WorkspaceSpec:
    return WorkspaceSpec(repo=repo, ref="HEAD")


def test_isolated_commands_leave_the_host_and_their_tree_unchanged(
    open_sb: Callable[..., LocalSandbox], repo: Path, tmp_path: Path
) -> None:
    """Guards against a candidate changing the host (the target repo's git dir, files far from
    its tree) or its own tree during a run: every write is discarded and listed."""
    if not probe_host().file_isolation:
        pytest.skip("no private file view here: the Docker sandbox isolates files")
    sb = open_sb()
    assert sb.sees_all_writes
    far = tmp_path / "far.txt"
    res = sb.execute(
        f"echo x > {repo}/.git/evil; echo x > {repo}/pkg/mod.py; echo x > {far}; "
        "echo a > new.txt && echo b > $TMPDIR/t && echo c > $HOME/h && echo d > /dev/shm/s "
        "&& rm pkg/mod.py && echo writable-ok"
    )
    assert res.stdout == "writable-ok\n", res.stderr
    assert not (repo / ".git/evil").exists() and not far.exists()
    assert "return x + 1" in (repo / "pkg/mod.py").read_text()
    assert not (sb.host_root / "new.txt").exists() and (sb.host_root / "pkg/mod.py").exists()
    assert set(res.writes) == {
        f"{repo}/.git/evil",
        f"{repo}/pkg/mod.py",
        str(far),
        "$TREE/new.txt",
        "$TREE/pkg/mod.py",
        "$TMPDIR/t",
        "$HOME/h",
        "/dev/shm/s",
    }
    assert sb.execute("echo 1 > /sys/fs/cgroup/pids/cgroup.procs").returncode != 0
    assert sb.execute("mount -t tmpfs none /mnt").returncode != 0  # no capabilities


def test_keep_writes_keeps_tree_edits_only(open_sb: Callable[..., LocalSandbox]) -> None:
    """Guards against a setup step's build output vanishing, or leaking past the work tree."""
    sb = open_sb()
    res = sb.execute("echo k > pkg/built.py; echo c > $HOME/c", keep_writes=True)
    assert res.ok and res.writes == ("$HOME/c",)
    assert (sb.host_root / "pkg/built.py").read_text() == "k\n"
    assert sb.execute("cat pkg/built.py").stdout == "k\n"
    assert "diff --git a/pkg/built.py b/pkg/built.py" in sb.diff()


def test_without_file_isolation_the_tree_is_still_put_back(tmp_path: Path, repo: Path) -> None:
    """Guards against the fallback (no mount namespace) letting a cache in the work tree, HOME
    or TMPDIR survive into the next command."""
    config = LocalSandboxConfig(tmp_root=tmp_path / "t", isolate_files=False)
    with LocalSandboxFactory(config).open(WorkspaceSpec(repo=repo, ref="HEAD")) as sb:
        assert not sb.sees_all_writes
        res = sb.execute(
            "echo c > pkg/cache.json; echo x >> pkg/mod.py; rm .gitignore; echo h > $HOME/h; "
            "mkdir -p build && echo o > build/x.log"
        )
        assert set(res.writes) == {
            "$TREE/pkg/cache.json",
            "$TREE/pkg/mod.py",
            "$TREE/.gitignore",
            "$TREE/build/x.log",
            "$HOME/h",
        }
        again = sb.execute("ls pkg build $HOME; cat pkg/mod.py .gitignore")
        assert "cache.json" not in again.stdout and "x.log" not in again.stdout
        assert again.stdout.count("return x + 1") == 1 and "build/" in again.stdout
        assert again.writes == ()


def test_prewarm_checks_the_next_sandbox_out_in_the_background(
    factory: LocalSandboxFactory, repo: Path, tmp_path: Path
) -> None:
    """Guards against the next candidate's check-out sitting in series with the current one's
    timing, and against prewarmed work trees nobody opens being left behind."""
    spec = WorkspaceSpec(repo=repo, ref="HEAD", files={"extra.py": "X = 2\n"})
    other = WorkspaceSpec(repo=repo, ref="HEAD", name="other")
    factory.prewarm(spec)
    factory.prewarm(other)
    sb = factory.open(spec)
    try:
        assert len(factory._prewarmed.warm) == 1  # the open took the one checked out ahead
        assert sb.execute("cat extra.py").stdout == "X = 2\n"
    finally:
        sb.close()
    unused = factory._prewarmed.warm[next(iter(factory._prewarmed.warm))].result()
    factory.discard_prewarmed()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and unused.tree.base.exists():
        time.sleep(0.05)
    assert not unused.tree.base.exists()
    assert not list((tmp_path / "trees").iterdir())
