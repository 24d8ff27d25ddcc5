"""Environment specs: how to build a target's environment when no official image is used.

SWE-Perf and SWE-fficiency instances name a repository and a `version` but carry no install
commands; their official images are often out of reach (offline, another architecture). A
spec says, SWE-bench style, which Python, which pip packages and which install commands a
repository at a version needs. Where one comes from, first match wins:

1. a spec file the user gives (`--env-spec FILE`, `load_spec_book`);
2. perfagent's own specs for the repositories these benchmarks use (`envspecs/*.json`);
3. inferred from the checkout: `pip install -e .` plus its declared test extras.

pytest is always installed for pytest workloads. Spec files are JSON or TOML:
`{"OWNER/NAME": {"VERSION" | "*": SPEC}}`, or one SPEC for every repository, where SPEC has
`python` ("3.9"), `pre_install`, `packages` and `install` (lists of strings), all optional.
"""

from __future__ import annotations

import configparser
import functools
import json
import re
import subprocess
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from tasks.native import TaskError

BUILD_PINS = ("setuptools<82",)
"""Build-tool pins every install runs with (GSO PR #23: setuptools 82 broke legacy builds)."""
SPEC_KEYS = ("python", "pre_install", "packages", "install")
TEST_EXTRAS = ("test", "tests", "testing")
"""Extras that declare a repository's test dependencies, by convention."""
PYTHON_VERSION = re.compile(r"^3\.\d{1,2}$")


@dataclass(frozen=True)
class EnvSpec:
    """One repository's environment: what the Docker sandbox builds for it."""

    python: str | None = None
    pre_install: tuple[str, ...] = ()
    packages: tuple[str, ...] = ()
    install: tuple[str, ...] = ("pip install -e .",)
    source: str = "inferred"
    """Where it came from: `file:PATH`, `perfagent:REPO@VERSION` or `inferred`."""

    def with_pytest(self) -> EnvSpec:
        """This spec with pytest among its packages (unless it names a pytest already)."""
        if any(re.match(r"^pytest\b(?![-_])", p) for p in self.packages):
            return self
        return replace(self, packages=(*self.packages, "pytest"))

    def recipe_fields(self) -> dict[str, Any]:
        """The fields of `sandbox.envbuild.EnvRecipe` this spec fills (build pins included),
        as JSON-safe plain data: `Task.env` holds this, so a task round-trips the store."""
        return {
            "python": self.python,
            "pre_install": list(self.pre_install),
            "packages": list(self.packages),
            "install": list(self.install),
            "constraints": list(BUILD_PINS),
            "source": self.source,
        }


@dataclass(frozen=True)
class SpecBook:
    """Specs by repository (`OWNER/NAME`, or `*` for any) and version (or `*` for any)."""

    specs: Mapping[str, Mapping[str, EnvSpec]] = field(default_factory=dict)

    def find(self, repo: str, version: str | None) -> EnvSpec | None:
        by_version = self.specs.get(repo.lower()) or self.specs.get("*") or {}
        return by_version.get(str(version or "")) or by_version.get("*")


def parse_spec(data: Any, where: str, source: str) -> EnvSpec:
    """One SPEC object; TaskError naming `where` and the bad key."""
    if not isinstance(data, Mapping):
        raise TaskError(f"{where}: a spec must be an object with {', '.join(SPEC_KEYS)}")
    unknown = sorted(set(data) - set(SPEC_KEYS))
    if unknown:
        raise TaskError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(SPEC_KEYS)})")
    python = data.get("python")
    if python is not None and not (isinstance(python, str) and PYTHON_VERSION.match(python)):
        raise TaskError(f"{where}: 'python' must be a version like \"3.9\", not {python!r}")
    lists: dict[str, tuple[str, ...]] = {}
    for key in ("pre_install", "packages", "install"):
        value = data.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise TaskError(f"{where}: {key!r} must be a list of non-empty strings")
        lists[key] = tuple(value)
    install = lists["install"] if "install" in data else ("pip install -e .",)
    return EnvSpec(python, lists["pre_install"], lists["packages"], install, source)


def parse_book(data: Any, where: str, source: str) -> SpecBook:
    """A whole spec file's content (a book, or one spec for every repository)."""
    if isinstance(data, Mapping) and set(data) & set(SPEC_KEYS):
        return SpecBook({"*": {"*": parse_spec(data, where, source)}})
    if not isinstance(data, Mapping):
        raise TaskError(f"{where}: expected an object of OWNER/NAME -> version -> spec")
    specs: dict[str, dict[str, EnvSpec]] = {}
    for repo, versions in data.items():
        if repo.startswith("_"):  # "_about" and other notes
            continue
        if repo != "*" and not re.fullmatch(r"[\w.-]+/[\w.-]+", repo):
            raise TaskError(f"{where}: {repo!r} is not OWNER/NAME or *")
        if not isinstance(versions, Mapping):
            raise TaskError(f"{where}: {repo}: expected an object of version -> spec")
        specs[repo.lower()] = {
            str(version): parse_spec(
                spec, f"{where}: {repo} {version}", f"{source}{repo}@{version}"
            )
            for version, spec in versions.items()
        }
    return SpecBook(specs)


def load_spec_book(path: Path) -> SpecBook:
    """A user's spec file (`--env-spec FILE`, JSON or TOML); TaskError in one line."""
    try:
        text = path.read_text()
    except (OSError, UnicodeDecodeError) as exc:
        why = getattr(exc, "strerror", None) or exc
        raise TaskError(f"cannot read env spec {path}: {why}") from None
    try:
        data = tomllib.loads(text) if path.suffix == ".toml" else json.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        kind = "TOML" if path.suffix == ".toml" else "JSON"
        raise TaskError(f"{path}: not valid {kind}: {exc}") from None
    return parse_book(data, str(path), f"file:{path}:")


@functools.cache
def builtin_book() -> SpecBook:
    """perfagent's own specs (package data `tasks/envspecs/*.json`)."""
    specs: dict[str, dict[str, EnvSpec]] = {}
    for item in sorted(resources.files("tasks.envspecs").iterdir(), key=str):
        if item.name.endswith(".json"):
            book = parse_book(json.loads(item.read_text()), f"tasks/envspecs/{item.name}",
                              "perfagent:")  # fmt: skip
            for repo, versions in book.specs.items():
                specs.setdefault(repo, {}).update(versions)
    return SpecBook(specs)


def _show(checkout: Path, ref: str, path: str) -> str | None:
    proc = subprocess.run(["git", "-C", str(checkout), "show", f"{ref}:{path}"],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    return proc.stdout if proc.returncode == 0 else None


def declared_test_extras(checkout: Path, ref: str, subdir: str = "") -> tuple[str, ...]:
    """Test extras the project declares at `ref` (pyproject, setup.cfg, or a plain setup.py)."""
    prefix = f"{subdir.strip('/')}/" if subdir.strip("/") else ""
    found: set[str] = set()
    pyproject = _show(checkout, ref, f"{prefix}pyproject.toml")
    if pyproject:
        try:
            extras = tomllib.loads(pyproject).get("project", {}).get("optional-dependencies", {})
            found |= set(extras) & set(TEST_EXTRAS)
        except tomllib.TOMLDecodeError:
            pass
    setup_cfg = _show(checkout, ref, f"{prefix}setup.cfg")
    if setup_cfg:
        parser = configparser.ConfigParser()
        try:
            parser.read_string(setup_cfg)
            if parser.has_section("options.extras_require"):
                found |= set(parser.options("options.extras_require")) & set(TEST_EXTRAS)
        except configparser.Error:
            pass
    setup_py = _show(checkout, ref, f"{prefix}setup.py") or ""
    for extra in TEST_EXTRAS:
        if re.search(rf"extras_require\s*=\s*\{{[^}}]*['\"]{extra}['\"]\s*:", setup_py, re.S):
            found.add(extra)
    return tuple(sorted(found))


def infer_spec(checkout: Path, ref: str, subdir: str = "") -> EnvSpec:
    """`pip install -e .` plus the repository's declared test extras."""
    extras = declared_test_extras(checkout, ref, subdir)
    target = f"'.[{','.join(extras)}]'" if extras else "."
    return EnvSpec(install=(f"pip install -e {target}",), source="inferred")


def resolve_env(
    repo: str,
    version: str | None,
    checkout: Path,
    ref: str,
    subdir: str = "",
    *,
    pytest: bool,
    book: SpecBook | None = None,
) -> EnvSpec:
    """The spec for `repo` at `version`: the user's book, else perfagent's, else inferred from
    `checkout` at `ref`; with pytest for pytest workloads."""
    spec = (book.find(repo, version) if book else None) or builtin_book().find(repo, version)
    if spec is None:
        spec = infer_spec(checkout, ref, subdir)
    return spec.with_pytest() if pytest else spec
