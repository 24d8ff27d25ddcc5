"""Environment specs for instances without an official image: the user's file, perfagent's
own data, or inferred from the checkout; pytest always for pytest workloads."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tasks.envspec import (
    BUILD_PINS,
    builtin_book,
    declared_test_extras,
    infer_spec,
    load_spec_book,
)
from tasks.formats import build_task, parse_records
from tasks.native import TaskError
from tasks.repos import RepoConfig
from tests.conftest import git

LIB = {
    "lib/__init__.py": "import six\n\n\ndef double(x):\n    return six.ensure_text('') + str(2 * x)\n",
    "tests/test_lib.py": "from lib import double\n\n\ndef test_double():\n    assert double(2) == '4'\n",
    "pyproject.toml": '[project]\nname = "lib"\nversion = "0.1"\ndependencies = ["six"]\n'
    '[project.optional-dependencies]\ntest = ["iniconfig"]\ndocs = ["x"]\n',
}


def sweperf_record(**extra: object) -> dict[str, object]:
    return {
        "instance_id": "octo__lib-1",
        "repo": "octo/lib",
        "base_commit": "HEAD",
        "efficiency_test": ["tests/test_lib.py::test_double"],
        "version": "0.1",
        **extra,
    }


def test_inferred_specs_install_the_checkout_with_its_declared_test_extras(
    make_repo: Callable[..., Path],
) -> None:
    """Guards the fallback recipe: `pip install -e .` plus the test extras the project
    declares (pyproject, setup.cfg or setup.py), nothing else."""
    repo = make_repo(LIB)
    assert declared_test_extras(repo, "HEAD") == ("test",)
    assert infer_spec(repo, "HEAD").install == ("pip install -e '.[test]'",)
    cfg = make_repo({"setup.cfg": "[options.extras_require]\ntesting = pytest-mock\n",
                     "setup.py": "from setuptools import setup\nsetup()\n"})  # fmt: skip
    assert declared_test_extras(cfg, "HEAD") == ("testing",)
    py = make_repo({"setup.py": "setup(extras_require={'tests': ['mock'], 'doc': []})\n"})
    assert declared_test_extras(py, "HEAD") == ("tests",)
    bare = make_repo({"x.py": ""})
    spec = infer_spec(bare, "HEAD")
    assert spec.install == ("pip install -e .",) and spec.source == "inferred"
    assert spec.recipe_fields()["constraints"] == list(BUILD_PINS)


def test_a_sweperf_task_gets_pytest_and_an_inferred_recipe(
    make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    """Guards SWE-Perf reproducing 0 of 10 under Docker: its environment had no pytest and
    none of the repository's dependencies, because the instance carries no install."""
    make_repo(LIB, name="mirror/octo__lib")
    [loaded] = parse_records([sweperf_record()], "sweperf")
    assert loaded.instance is not None
    config = RepoConfig(work_dir=tmp_path / "ws", cache_dir=tmp_path / "mirror", allow_clone=False)
    task, _ = build_task(loaded.instance, config)
    assert task.env is not None
    assert task.env["packages"] == ["pytest"]
    assert task.env["install"] == ["pip install -e '.[test]'"]
    assert json.loads(json.dumps(task.env)) == task.env  # the task round-trips the store


def test_perfagent_ships_specs_for_the_benchmarks_repositories() -> None:
    """Guards the shipped data: every repository of SWE-Perf and SWE-fficiency has a spec
    that parses, and versions fall back to the repository's default."""
    book = builtin_book()
    for repo in ("sympy/sympy", "pydata/xarray", "scikit-learn/scikit-learn", "astropy/astropy",
                 "sphinx-doc/sphinx", "mwaskom/seaborn", "matplotlib/matplotlib",
                 "pylint-dev/pylint", "psf/requests", "pandas-dev/pandas", "scipy/scipy",
                 "numpy/numpy", "dask/dask"):  # fmt: skip
        spec = book.find(repo, "0.0-unknown")
        assert spec is not None and spec.source == f"perfagent:{repo}@*", repo
    pinned = book.find("pandas-dev/pandas", "1.4")
    assert pinned is not None and pinned.python == "3.9" and pinned.source.endswith("@1.4")
    assert book.find("octo/unknown", "1") is None


def test_a_users_spec_file_wins_and_is_checked(
    make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    """Guards `--env-spec FILE`: its spec beats perfagent's and the inferred one, pytest is
    added for pytest workloads, and a bad file is one line naming the file and the key."""
    make_repo(LIB, name="mirror/octo__lib")
    spec_file = tmp_path / "env.json"
    spec_file.write_text(json.dumps({"octo/lib": {"0.1": {"python": "3.11",
                         "packages": ["six==1.16.0"], "install": ["pip install ."]}}}))  # fmt: skip
    book = load_spec_book(spec_file)
    [loaded] = parse_records([sweperf_record()], "sweperf")
    assert loaded.instance is not None
    config = RepoConfig(work_dir=tmp_path / "ws", cache_dir=tmp_path / "mirror", allow_clone=False)
    task, _ = build_task(loaded.instance, config, env_specs=book)
    assert task.env is not None
    assert task.env["packages"] == ["six==1.16.0", "pytest"]
    assert task.env["install"] == ["pip install ."] and task.env["python"] == "3.11"
    assert task.env["source"] == f"file:{spec_file}:octo/lib@0.1"
    toml = tmp_path / "one.toml"
    toml.write_text('python = "3.10"\npackages = ["pytest==8.0.0"]\n')
    everyone = load_spec_book(toml).find("any/repo", None)
    assert everyone is not None and everyone.with_pytest().packages == ("pytest==8.0.0",)
    for text, message in (
        ('{"octo/lib": {"1": {"pyhton": "3.9"}}}', "octo/lib 1: unknown key 'pyhton'"),
        ('{"octo/lib": {"1": {"python": 3.9}}}', "'python' must be a version"),
        ('{"octo/lib": {"1": {"packages": "x y", "install": [""]}}}', "'install' must be"),
        ("{nope", "not valid JSON"),
    ):
        spec_file.write_text(text)
        with pytest.raises(TaskError, match=message) as caught:
            load_spec_book(spec_file)
        assert "\n" not in str(caught.value)
    with pytest.raises(TaskError, match="cannot read env spec"):
        load_spec_book(tmp_path / "absent.json")


def test_other_formats_get_no_recipe_unless_the_users_file_names_them(
    make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    """Guards GSO and native tasks, which carry their own install commands: no recipe is
    forced on them."""
    repo = make_repo(LIB)
    git(repo, "tag", "v1")
    [loaded] = parse_records([{"instance_id": "n1", "repo": str(repo), "bench": "python -V"}],
                             "native")  # fmt: skip
    assert loaded.instance is not None
    config = RepoConfig(work_dir=tmp_path / "ws", allow_clone=False)
    task, _ = build_task(loaded.instance, config)
    assert task.env is None
