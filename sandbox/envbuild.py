"""The env and instance image layers, built from the target's files and an `EnvRecipe`.

    env       base + /opt/venv (the recipe's Python when the base has it) + the recipe's
              packages + the target's requirements*.txt      key: base id + all of those
    instance  env + the repo at its base commit + the recipe's install commands + the
              task's own install command                     key: env id + commit + commands

A benchmark instance without its official image gets its environment from a recipe (SWE-bench
style: Python version, pip packages, install commands). Any failure to build either layer is
an `EnvBuildError` (status `env-failed`) carrying pip's own error line: the environment is
broken, not the benchmark's base.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import docker

from sandbox.base import SandboxError
from sandbox.build import (
    KEY_LABEL,
    LABEL,
    RECIPE_VERSION,
    REPO_MOUNT,
    ROLE_LABEL,
    VENV,
    BuildConfig,
    BuildFailed,
    Log,
    content_hash,
    image_id,
    quiet,
    run_build_step,
    shell_quote,
)


class EnvBuildError(SandboxError):
    """The task's environment could not be built; the message is pip's (or the command's)
    error line."""

    status = "env-failed"


class InstallFailed(EnvBuildError):
    """The task's own install command failed while the instance layer was built (the
    recipe's environment was fine): the same status as a failing install run locally."""

    status = "install-failed"


TASK_INSTALL_MARK = "perfagent: running the task install command"
"""Printed before the task's own install step, so a failure after it is `install-failed`."""


@dataclass(frozen=True)
class EnvRecipe:
    """How to build a task's environment when no prebuilt image is used."""

    python: str | None = None
    """`X.Y`: the venv's interpreter when the base image has `pythonX.Y`, else its python3."""
    pre_install: tuple[str, ...] = ()
    """Shell commands run as root before the venv is made (system packages: `apt-get ...`)."""
    packages: tuple[str, ...] = ()
    """pip requirements installed into the venv before the repository."""
    install: tuple[str, ...] = ()
    """Shell commands run in the repository (e.g. `pip install -e .[test]`)."""
    constraints: tuple[str, ...] = ()
    """pip constraints every install step honours (e.g. `setuptools<82`)."""
    source: str = ""
    """Where the recipe came from (a spec file, perfagent's data, inferred), for messages."""

    @classmethod
    def from_fields(cls, fields: Mapping[str, Any]) -> EnvRecipe:
        """A recipe from plain data (lists or tuples), e.g. a task's `env`."""
        python = fields.get("python")
        return cls(
            python=str(python) if python else None,
            pre_install=tuple(fields.get("pre_install") or ()),
            packages=tuple(fields.get("packages") or ()),
            install=tuple(fields.get("install") or ()),
            constraints=tuple(fields.get("constraints") or ()),
            source=str(fields.get("source") or ""),
        )


@dataclass(frozen=True)
class EnvironmentSpec:
    """What the env layer installs: the recipe's Python and packages, then the target's
    requirements files (name, text)."""

    requirements: tuple[tuple[str, str], ...] = ()
    python: str | None = None
    pre_install: tuple[str, ...] = ()
    packages: tuple[str, ...] = ()
    constraints: tuple[str, ...] = ()

    def key(self, base_id: str) -> str:
        parts = [RECIPE_VERSION, base_id, list(self.requirements)]
        extra = [self.python, list(self.pre_install), list(self.packages), list(self.constraints)]
        if any(extra):
            parts += extra
        return content_hash(json.dumps(parts))

    def with_recipe(self, recipe: EnvRecipe | None) -> EnvironmentSpec:
        if recipe is None:
            return self
        return replace(
            self,
            python=recipe.python,
            pre_install=recipe.pre_install,
            packages=recipe.packages,
            constraints=recipe.constraints,
        )


def error_line(output: str) -> str:
    """The line that says why a build failed: pip's last `ERROR:` line, else the last line."""
    lines = [line.strip() for line in output.strip().splitlines() if line.strip()]
    for line in reversed(lines):
        if line.startswith(("ERROR:", "error:", "E: ")):
            return line[:400]
    return lines[-1][:400] if lines else "no output"


def requirements_at(repo: Path, ref: str, subdir: str = "") -> EnvironmentSpec:
    """The requirements*.txt files of the task directory at `ref` (read from git, not the tree)."""
    prefix = f"{subdir.strip('/')}/" if subdir.strip("/") else ""
    listing = _git(repo, "ls-tree", "--name-only", f"{ref}:{prefix}" if prefix else f"{ref}:")
    names = sorted(
        n for n in listing.splitlines() if n.startswith("requirements") and n.endswith(".txt")
    )
    files = tuple((n, _git(repo, "show", f"{ref}:{prefix}{n}")) for n in names)
    return EnvironmentSpec(requirements=files)


def env_script(spec: EnvironmentSpec) -> tuple[str, dict[str, str]]:
    """The env layer's bash script and the files it reads (under /perfagent/req)."""
    files = {f"perfagent/req/{name}": text for name, text in spec.requirements}
    script = "set -e\n" + "".join(f"{command}\n" for command in spec.pre_install)
    script += "py=python3\n"
    if spec.python:
        want = f"python{shell_quote(spec.python)}"
        script += (
            f'if command -v {want} >/dev/null; then py={want}; else echo "perfagent: Python '
            f'{spec.python} is not in the base image; using $(python3 -V)"; fi\n'
        )
    script += f"$py -m venv {VENV}\n"
    if spec.constraints:
        files["perfagent/req/constraints.txt"] = "\n".join(spec.constraints) + "\n"
        script += "export PIP_CONSTRAINT=/perfagent/req/constraints.txt\n"
    pip = f"{VENV}/bin/pip install --no-cache-dir --disable-pip-version-check"
    if spec.packages:
        script += f"{pip} {' '.join(shell_quote(p) for p in spec.packages)}\n"
    for name, _ in spec.requirements:
        script += f"{pip} -r /perfagent/req/{shell_quote(name)}\n"
    if spec.constraints:  # kept: the instance layer's installs honour it too
        script += "mkdir -p /perfagent/env && cp /perfagent/req/constraints.txt /perfagent/env/\n"
    script += "rm -rf /perfagent/req\n"
    return script, files


def ensure_env_image(
    client: docker.DockerClient,
    base: str,
    spec: EnvironmentSpec,
    build: BuildConfig | None = None,
    *,
    log: Log = quiet,
) -> str:
    """The env layer over `base`, cached by key; EnvBuildError when it cannot be built."""
    base_id = image_id(client, base)
    if base_id is None:
        raise SandboxError(
            f"base image {base} is not available; run `perfagent sandbox provision` "
            "or configure an image your engine can pull"
        )
    key = spec.key(base_id)
    tag = f"perfagent-env:{key[:16]}"
    if image_id(client, tag):
        return tag
    script, files = env_script(spec)
    what = f"{len(spec.packages)} packages, {len(spec.requirements)} requirements files"
    log(f"building env layer {tag} ({what}) ...")
    labels = {LABEL: "1", ROLE_LABEL: "env", KEY_LABEL: key}
    try:
        run_build_step(
            client, base, script, tag=tag, labels=labels, build=build, log=log, files=files
        )
    except BuildFailed as exc:
        raise EnvBuildError(f"environment build failed: {error_line(exc.output)}") from None
    return tag


def instance_script(install: str | None, recipe_install: tuple[str, ...]) -> str | None:
    """The instance layer's script: the recipe's install commands, then the task's own."""
    mark = [f"echo '{TASK_INSTALL_MARK}'", install] if install else []
    steps = [*recipe_install, *mark]
    if not steps:
        return None
    prelude = (
        "set -e\nif [ -f /perfagent/env/constraints.txt ]; then "
        "export PIP_CONSTRAINT=/perfagent/env/constraints.txt; fi\n"
    )
    return prelude + "\n".join(steps) + "\n"


def ensure_instance_image(
    client: docker.DockerClient,
    env: str,
    repo: Path,
    commit: str,
    *,
    install: str | None,
    recipe_install: tuple[str, ...] = (),
    subdir: str = "",
    build: BuildConfig | None = None,
    log: Log = quiet,
) -> str:
    """The instance layer: the repo at `commit` in /work/repo with the install commands run in
    it; EnvBuildError when one fails.

    Without install commands the env layer is used as is (the work tree is bind-mounted over
    /work/repo at run time, so a copy in the image would only be hidden).
    """
    script = instance_script(install, recipe_install)
    if script is None:
        return env
    env_id = image_id(client, env)
    if env_id is None:
        raise SandboxError(f"env image {env} is not available")
    key = content_hash(json.dumps([RECIPE_VERSION, env_id, commit, subdir, install]
                                  + ([list(recipe_install)] if recipe_install else [])))  # fmt: skip
    tag = f"perfagent-instance:{key[:16]}"
    if image_id(client, tag):
        return tag
    archive = subprocess.run(
        ["git", "-C", str(repo), "archive", "--format=tar", f"--prefix={REPO_MOUNT[1:]}/", commit],
        capture_output=True,
        timeout=600,
    )
    if archive.returncode != 0:
        raise SandboxError(
            f"git archive {commit} failed: {archive.stderr.decode(errors='replace').strip()}"
        )
    workdir = f"{REPO_MOUNT}/{subdir.strip('/')}".rstrip("/")
    log(f"building instance layer {tag} ({'; '.join([*recipe_install, install or ''])}) ...")
    labels = {LABEL: "1", ROLE_LABEL: "instance", KEY_LABEL: key}
    try:
        run_build_step(client, env, script, tag=tag, labels=labels, build=build, log=log,
                       tar_at_root=archive.stdout, workdir=workdir)  # fmt: skip
    except BuildFailed as exc:
        if TASK_INSTALL_MARK in exc.output:
            raise InstallFailed(f"install command failed: {error_line(exc.output)}") from None
        raise EnvBuildError(f"environment build failed: {error_line(exc.output)}") from None
    return tag


def _git(repo: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, timeout=120
    )
    if proc.returncode != 0:
        raise SandboxError(f"git {args[0]} failed: {proc.stderr.strip().splitlines()[-1:]}")
    return proc.stdout
