"""Environments built from recipes under Docker: a repository whose tests need a dependency
from PyPI runs its tests once the recipe is built, and a recipe that cannot be installed is
`env-failed` with pip's own error line (never a broken base)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sandbox.base import SandboxError, WorkspaceSpec
from sandbox.docker import DockerConfig, DockerSandboxFactory
from sandbox.envbuild import EnvBuildError, EnvRecipe, error_line
from tasks.envspec import infer_spec

pytestmark = [pytest.mark.docker, pytest.mark.slow]

LIB = {
    "lib/__init__.py": "import iniconfig\n\n\ndef double(x):\n    return 2 * x\n",
    "tests/test_lib.py": "from lib import double\n\n\ndef test_double():\n    assert double(2) == 4\n",
    "pyproject.toml": '[build-system]\nrequires = ["setuptools>=64"]\n'
    'build-backend = "setuptools.build_meta"\n'
    '[project]\nname = "lib"\nversion = "0.1"\ndependencies = ["iniconfig"]\n'
    '[project.optional-dependencies]\ntest = ["packaging"]\n'
    '[tool.setuptools]\npackages = ["lib"]\n',
    "tests/test_extra.py": "import packaging\n\n\ndef test_extra():\n    assert packaging\n",
}


@pytest.fixture
def factory(tmp_path: Path) -> Iterator[DockerSandboxFactory]:
    try:
        made = DockerSandboxFactory.from_environment(DockerConfig(tmp_root=tmp_path / "trees"))
    except SandboxError as exc:
        if os.environ.get("PERFAGENT_REQUIRE_DOCKER") == "1":
            pytest.fail(f"PERFAGENT_REQUIRE_DOCKER=1 but Docker is unusable: {exc}")
        pytest.skip(f"SKIPPED LOUDLY: no Docker engine ({exc}); run `perfagent sandbox provision`")
    yield made


def test_a_recipe_built_environment_runs_the_repositorys_tests(
    factory: DockerSandboxFactory, make_repo: Callable[..., Path]
) -> None:
    """Guards "/opt/venv/bin/python: No module named pytest" and missing dependencies: the
    inferred recipe (pip install -e .[test], plus pytest) makes the tests pass; without it
    the same tests cannot even start."""
    repo = make_repo({**LIB, "tests/__init__.py": f"# {uuid.uuid4().hex}\n"})
    spec = WorkspaceSpec(repo, "HEAD", name="envbuild")
    with factory.open(spec) as plain:
        bare = plain.execute("python -m pytest -q -p no:cacheprovider tests", timeout=120)
    assert not bare.ok and "No module named pytest" in bare.stderr + bare.stdout
    recipe = EnvRecipe.from_fields(infer_spec(repo, "HEAD").with_pytest().recipe_fields())
    with factory.configure(recipe=recipe).open(spec) as sb:
        res = sb.execute("python -m pytest -q -p no:cacheprovider tests", timeout=300)
    assert res.ok, res.tail()
    assert "2 passed" in res.stdout


def test_a_recipe_that_cannot_install_is_env_failed_with_pips_error(
    factory: DockerSandboxFactory, make_repo: Callable[..., Path]
) -> None:
    """Guards an environment failure reported as `base-failed`: the error is an
    EnvBuildError whose status is env-failed and whose message is pip's error line."""
    repo = make_repo(LIB)
    missing = f"perfagent-no-such-package-{uuid.uuid4().hex[:8]}==9.9"
    recipe = EnvRecipe(python="3.11", packages=(missing,))
    with pytest.raises(EnvBuildError) as caught:
        factory.configure(recipe=recipe).open(WorkspaceSpec(repo, "HEAD", name="envfail"))
    assert caught.value.status == "env-failed"
    message = str(caught.value)
    assert message.startswith("environment build failed: ERROR: ")
    assert missing.split("==")[0] in message and "\n" not in message


def test_pips_error_line_is_found_in_build_output() -> None:
    """Guards the line reported: pip's last ERROR line, not the last line of the log."""
    output = (
        "Collecting x\nERROR: Could not find a version\nERROR: No matching distribution\n\nexit"
    )
    assert error_line(output) == "ERROR: No matching distribution"
    assert error_line("just this\n") == "just this"
