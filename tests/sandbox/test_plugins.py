"""Regression: a project's tests in the local sandbox loaded the pytest plugins of perfagent's
own dependencies (hypothesis, anyio, langsmith through langgraph), five seconds a run on two
cores. Only the project's plugins load now; one it declares, directly or through what it
declares, still does."""

from __future__ import annotations

from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import pytest

from sandbox.base import WorkspaceSpec
from sandbox.local import LocalSandboxConfig, LocalSandboxFactory
from sandbox.plugins import closure, declared, foreign_pytest_plugins

SHOW_PLUGINS = (
    "def test_show(pytestconfig):\n"
    "    pm = pytestconfig.pluginmanager\n"
    "    names = sorted(n for n, p in pm.list_name_plugin() if p is not None)\n"
    "    print('PLUGINS', ' '.join(names))\n"
)


def _hypothesis_plugin() -> str:
    names = [e.name for e in metadata.entry_points(group="pytest11") if e.dist.name == "hypothesis"]
    if not names:
        pytest.skip("hypothesis installs no pytest plugin here")
    return names[0]


def test_what_a_project_declares_is_read_from_pyproject_and_requirements() -> None:
    found = declared({
        "pyproject.toml": '[project]\ndependencies = ["Hypothesis>=6 ; python_version>\'3\'"]\n'
        '[project.optional-dependencies]\ntest = ["pytest_timeout"]\n'
        '[dependency-groups]\ndev = ["ruff"]\n',
        "requirements.txt": "# pinned\nhttpx[http2]==0.27\n-e .\ngit+https://x.invalid/y\n",
    })  # fmt: skip
    assert found == [
        ("hypothesis", ()),
        ("pytest-timeout", ()),
        ("ruff", ()),
        ("httpx", ("http2",)),
    ]


def test_a_closure_follows_installed_requirements() -> None:
    assert {"httpx", "anyio", "idna"} <= closure([("httpx", ())])
    assert closure([("no-such-distribution-here", ())]) == frozenset()


def test_a_plugin_of_perfagents_dependencies_is_kept_out_unless_the_project_declares_it(
    make_repo: Callable[..., Path],
) -> None:
    plugin = _hypothesis_plugin()
    bare = make_repo({"pyproject.toml": "[project]\nname = 'x'\ndependencies = ['six']\n"})
    assert plugin in foreign_pytest_plugins(bare, "HEAD")
    uses = make_repo({"requirements-dev.txt": "hypothesis\n"})
    assert plugin not in foreign_pytest_plugins(uses, "HEAD")
    # a task directory with files of its own is a project of its own: the top's do not count
    nested = make_repo({
        "requirements.txt": "hypothesis\n",
        "sub/pyproject.toml": "[project]\nname = 'sub'\n",
    })  # fmt: skip
    assert plugin in foreign_pytest_plugins(nested, "HEAD", "sub")
    assert plugin not in foreign_pytest_plugins(nested, "HEAD", "")


def test_tests_in_the_local_sandbox_load_only_the_projects_plugins(
    make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    plugin = _hypothesis_plugin()
    files = {"tests/test_show.py": SHOW_PLUGINS}
    loaded = {}
    for name, extra in (("bare", {}), ("declares", {"requirements.txt": "hypothesis\n"})):
        repo = make_repo({**files, **extra}, name)
        factory = LocalSandboxFactory(LocalSandboxConfig(tmp_root=tmp_path / f"t-{name}"))
        sb = factory.open(WorkspaceSpec(repo=repo, ref="HEAD"))
        try:
            res = sb.execute("python -m pytest -q -s -p no:cacheprovider tests", timeout=120)
        finally:
            sb.close()
        assert res.returncode == 0, res.stderr
        line = next(x for x in res.stdout.splitlines() if "PLUGINS" in x)
        loaded[name] = set(line.split("PLUGINS", 1)[1].split())
    assert plugin not in loaded["bare"]
    assert plugin in loaded["declares"]
