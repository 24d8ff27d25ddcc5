"""Clean state for every command, in every sandbox kind: fresh HOME, TMPDIR, /tmp and scratch,
the work tree as opened, and every write outside scratch listed and discarded (issue 12)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sandbox.base import Sandbox, SandboxFactory, WorkspaceSpec
from sandbox.limits import probe_host
from sandbox.local import LocalSandboxConfig, LocalSandboxFactory
from tests.sandbox.conftest import FILES, PROTECTED, docker_factory_or_skip

pytestmark = [pytest.mark.slow]
KINDS = [
    "local",
    "local-fallback",
    pytest.param("docker", marks=pytest.mark.docker),
]


@pytest.fixture(params=KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def sb(kind: str, tmp_path: Path, make_repo: Callable[..., Path]) -> Iterator[Sandbox]:
    repo = make_repo({**FILES, "requirements.txt": ""}, name="clean")
    factory: SandboxFactory
    if kind == "docker":
        factory = docker_factory_or_skip(tmp_path / "trees")
    else:
        if kind == "local" and not probe_host().file_isolation:
            pytest.skip("no private file view on this host")
        iso = kind == "local"
        factory = LocalSandboxFactory(
            LocalSandboxConfig(tmp_root=tmp_path / "trees", isolate_files=iso)
        )
    sandbox = factory.open(WorkspaceSpec(repo=repo, ref="HEAD", protected=PROTECTED))
    yield sandbox
    sandbox.close()


def test_home_tmpdir_tmp_and_scratch_start_empty_every_time(sb: Sandbox) -> None:
    """Guards against a cache kept in HOME, TMPDIR, /tmp or scratch between commands."""
    (sb.host_scratch / "input.txt").write_text("from the host\n")
    write = (
        'mkdir -p "$HOME/.cache/x" && echo 1 > "$HOME/.cache/x/v" && echo 2 > "$TMPDIR/t" && '
        'echo 3 > /tmp/pa-clean-state && echo 4 > "$PERFAGENT_SCRATCH/out.txt" && '
        'echo 5 > "$PERFAGENT_SCRATCH/input.txt"; cat "$PERFAGENT_SCRATCH/input.txt"'
    )
    first = sb.execute(write)
    assert first.returncode == 0, first  # changing the host's input may be refused (Docker)
    assert "$HOME/.cache/x/v" in first.writes and "$TMPDIR/t" in first.writes
    if sb.sees_all_writes:
        assert any(w.endswith("/pa-clean-state") for w in first.writes), first.writes
        assert not Path("/tmp/pa-clean-state").exists()
    Path("/tmp/pa-clean-state").unlink(missing_ok=True)
    assert not any("out.txt" in w or "input.txt" in w for w in first.writes)
    assert (sb.host_scratch / "out.txt").read_text() == "4\n"
    assert (sb.host_scratch / "input.txt").read_text() == "from the host\n"
    second = sb.execute('ls -A "$HOME" "$TMPDIR" "$PERFAGENT_SCRATCH"; cat "$PERFAGENT_SCRATCH"/*')
    words = {w for w in second.stdout.split() if not w.endswith(":")}
    assert words == {"input.txt", "from", "the", "host"}, second.stdout
    assert second.writes == ()


def test_the_tree_is_read_only_in_effect_unless_writes_are_kept(sb: Sandbox) -> None:
    """Guards against a cache in the work tree surviving a workload or test run, while setup
    steps (keep_writes) still build in place."""
    res = sb.execute("echo c > pkg/cache.json && echo '# x' >> pkg/mod.py && rm .gitignore")
    assert res.returncode == 0, res
    assert {"$TREE/pkg/cache.json", "$TREE/pkg/mod.py", "$TREE/.gitignore"} <= set(res.writes)
    after = sb.execute("ls pkg; cat pkg/mod.py; test -f .gitignore && echo kept")
    assert "cache.json" not in after.stdout and "# x" not in after.stdout
    assert after.stdout.endswith("kept\n") and after.writes == ()
    kept = sb.execute("echo b > pkg/built.txt", keep_writes=True)
    assert kept.writes == () and (sb.host_root / "pkg/built.txt").read_text() == "b\n"
    assert sb.execute("cat pkg/built.txt").stdout == "b\n"


def test_a_daemon_writing_after_the_command_leaves_nothing(sb: Sandbox) -> None:
    """Guards against a background process that outlives its command to plant a cache."""
    res = sb.execute(
        '(sleep 0.3; echo late > "$HOME/late"; echo late > "$TMPDIR/late") >/dev/null 2>&1 & '
        "echo started"
    )
    assert res.stdout == "started\n"
    time.sleep(0.6)
    again = sb.execute('cat "$HOME/late" "$TMPDIR/late" 2>&1; echo done')
    assert "late\n" not in again.stdout.replace("late:", "") and again.stdout.endswith("done\n")


def test_locked_directories_are_cleaned_too(sb: Sandbox) -> None:
    """Guards against a command hiding state in directories it made unreadable."""
    hide = 'mkdir -p "$HOME/a/b" && echo s > "$HOME/a/b/s" && chmod 000 "$HOME/a/b" "$HOME/a"'
    assert sb.execute(hide).returncode == 0
    res = sb.execute('ls -A "$HOME"')
    assert res.stdout == "" and res.returncode == 0


def test_ipc_objects_do_not_outlive_a_command(sb: Sandbox, kind: str) -> None:
    """Guards against state kept in System V shared memory between runs."""
    if kind == "local-fallback":
        pytest.skip("without namespaces the host's IPC objects are shared")
    make = (
        'python3 -c "import ctypes; libc = ctypes.CDLL(None); '
        'print(libc.shmget(0x5eed, 4096, 0o1666) >= 0)"'
    )
    first = sb.execute(make)
    assert first.stdout.strip() == "True", first
    look = 'python3 -c "import ctypes; print(ctypes.CDLL(None).shmget(0x5eed, 0, 0o666))"'
    assert sb.execute(look).stdout.strip() == "-1"


def test_the_timing_covers_the_command_not_the_reset(sb: Sandbox) -> None:
    """Guards against set-up or reset work landing inside duration_s."""
    started = time.perf_counter()
    res = sb.execute("sleep 0.2")
    wall = time.perf_counter() - started
    assert 0.2 <= res.duration_s < wall


def test_protected_files_are_looked_at_before_a_command_only_when_they_may_have_changed(
    sb: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Guards the cost of every timing sample on a big work tree (issue 13) without letting a
    changed protected file through: the first command always starts from restored protected
    files; later ones skip that pass only where every command's writes are confined (then
    nothing can have changed them since the last command ended), and never after a command
    that kept its writes and tampered."""
    tree = sb.tree  # type: ignore[attr-defined]
    looked: list[int] = []
    real = tree.restore_protected
    monkeypatch.setattr(tree, "restore_protected", lambda: looked.append(1) or real())
    for _ in range(3):
        assert sb.execute("cat tests/test_mod.py").returncode == 0
    confined = sb.sees_all_writes and tree.commands_unprivileged
    assert len(looked) == (1 if confined else 3)
    kept = sb.execute("echo 'def test_f(): pass' > tests/test_mod.py", keep_writes=True)
    assert kept.tampered == ("tests/test_mod.py",) or kept.returncode != 0  # Docker refuses it
    assert "assert f(1) == 2" in sb.execute("cat tests/test_mod.py").stdout
