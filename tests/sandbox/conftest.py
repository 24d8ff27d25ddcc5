"""Fixtures for the sandbox tests: a small committed repo, a factory writing under tmp_path,
and a /proc scan that finds processes by a marker in their command line."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sandbox.base import Limits, SandboxFactory, WorkspaceSpec
from sandbox.local import LocalSandbox, LocalSandboxConfig, LocalSandboxFactory

FILES = {
    "pkg/__init__.py": "",
    "pkg/mod.py": "def f(x):\n    return x + 1\n",
    "tests/test_mod.py": "from pkg.mod import f\n\n\ndef test_f():\n    assert f(1) == 2\n",
    "bench/run.py": "print('bench')\n",
    ".gitignore": "*.log\nbuild/\n",
    "sub/task/main.py": "print('task')\n",
}
PROTECTED = ("tests/**", "bench")


@pytest.fixture
def repo(make_repo: Callable[..., Path]) -> Path:
    return make_repo(FILES)


@pytest.fixture
def factory(tmp_path: Path) -> LocalSandboxFactory:
    return LocalSandboxFactory(LocalSandboxConfig(tmp_root=tmp_path / "trees"))


@pytest.fixture
def open_sb(repo: Path, factory: LocalSandboxFactory) -> Iterator[Callable[..., LocalSandbox]]:
    """`open_sb(limits=..., **spec_fields)` opens a sandbox on `repo` at HEAD, closed after."""
    opened: list[LocalSandbox] = []

    def make(
        limits: Limits | None = None, fac: LocalSandboxFactory | None = None, **fields: object
    ) -> LocalSandbox:
        spec = WorkspaceSpec(**{"repo": repo, "ref": "HEAD", "protected": PROTECTED, **fields})  # type: ignore[arg-type]
        sb = (fac or factory).open(spec, limits)
        opened.append(sb)
        return sb

    yield make
    for sb in opened:
        sb.close()


def marker() -> str:
    """A unique `sleep` argument, so the test can find its processes in /proc."""
    return f"{1000 + secrets.randbelow(9000)}.{secrets.randbelow(10**6):06d}"


def live_pids_with(text: str) -> list[int]:
    """Host pids of live (not zombie) processes whose command line contains `text`."""
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = Path(entry.path, "cmdline").read_bytes().replace(b"\0", b" ").decode()
            state = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if text in cmdline and state not in ("Z", "X"):
            found.append(int(entry.name))
    return found


def docker_factory_or_skip(tmp_root: Path) -> SandboxFactory:
    """A Docker factory, or a loud skip (a failure under PERFAGENT_REQUIRE_DOCKER=1)."""
    from sandbox.base import SandboxError
    from sandbox.docker import DockerConfig, DockerSandboxFactory

    try:
        return DockerSandboxFactory.from_environment(DockerConfig(tmp_root=tmp_root))
    except SandboxError as exc:
        if os.environ.get("PERFAGENT_REQUIRE_DOCKER") == "1":
            pytest.fail(f"PERFAGENT_REQUIRE_DOCKER=1 but Docker is unusable: {exc}")
        pytest.skip(f"SKIPPED LOUDLY: no Docker engine ({exc}); run .ci/provision-docker as root")
