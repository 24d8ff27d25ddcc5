"""pytest plugins that perfagent's own installation brings, kept out of the project's commands.

The local sandbox runs a project's commands with the interpreter on PATH, which is often the
one perfagent is installed in (the quickstart, CI). pytest then loads every plugin installed
there, perfagent's dependencies' among them: hypothesis, anyio and langsmith (through
langgraph) add about five seconds to each test run on two cores, and could change what a
test sees. A plugin is kept out (`-p no:NAME` in PYTEST_ADDOPTS) when its distribution is in
perfagent's dependency closure and not in the project's: what the project declares at the
checked-out commit (pyproject's dependencies, optional dependencies and dependency groups,
requirements*.txt), followed through what is installed. Base and head get the same list,
read from the base commit, so a candidate cannot change it.
"""

from __future__ import annotations

import functools
import re
import subprocess
import tomllib
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_EXTRAS = re.compile(r"\[([^\]]*)\]")
OWN_DISTRIBUTION = "perfagent"


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement(line: str) -> tuple[str, tuple[str, ...]] | None:
    """(canonical name, extras) of one requirement string; None for options, URLs, comments."""
    text = line.split("#", 1)[0].strip()
    if not text or text.startswith(("-", "git+", "http:", "https:", "file:", ".", "/")):
        return None
    m = _NAME.match(text)
    if m is None:
        return None
    rest = text[m.end() :]
    extras = _EXTRAS.match(rest.lstrip())
    found = tuple(e.strip() for e in extras.group(1).split(",")) if extras else ()
    return canonical(m.group(1)), found


def _marker_holds(requirement: str, extras: Iterable[str]) -> bool:
    """Whether a `Requires-Dist` line applies: no marker, or a marker `packaging` accepts for
    this interpreter with one of `extras` (without `packaging`, only unmarked lines apply)."""
    if ";" not in requirement:
        return True
    marker = requirement.split(";", 1)[1]
    try:
        from packaging.markers import Marker
    except ImportError:
        return False
    try:
        parsed = Marker(marker)
        return any(parsed.evaluate({"extra": e}) for e in (*extras, ""))
    except Exception:  # an unparsable marker: leave the requirement out
        return False


def closure(roots: Iterable[tuple[str, tuple[str, ...]]]) -> frozenset[str]:
    """The installed distributions `roots` (name, extras) pull in, themselves included."""
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name, extras = todo.pop()
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        if name in seen and not extras:
            continue
        seen.add(name)
        for line in dist.requires or ():
            req = _requirement(line)
            if req is not None and req[0] not in seen and _marker_holds(line, extras):
                todo.append(req)
    return frozenset(seen)


@functools.cache
def _own() -> frozenset[str]:
    """perfagent's runtime closure (its extras are tools a project may use on purpose)."""
    return closure([(OWN_DISTRIBUTION, ())])


def declared(texts: dict[str, str]) -> list[tuple[str, tuple[str, ...]]]:
    """The requirements a project declares, from its files' texts (path -> text)."""
    found: list[tuple[str, tuple[str, ...]]] = []
    for path, text in texts.items():
        if path.endswith("pyproject.toml"):
            found += _from_pyproject(text)
        else:
            found += [r for line in text.splitlines() if (r := _requirement(line))]
    return found


def _from_pyproject(text: str) -> list[tuple[str, tuple[str, ...]]]:
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError):
        return []
    project = data.get("project", {})
    lines: list[Any] = list(project.get("dependencies", []))
    for group in project.get("optional-dependencies", {}).values():
        lines += list(group)
    for group in data.get("dependency-groups", {}).values():
        lines += list(group)
    return [r for line in lines if isinstance(line, str) and (r := _requirement(line))]


def _git(repo: Path, *args: str) -> str | None:
    proc = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          timeout=60)  # fmt: skip
    return proc.stdout if proc.returncode == 0 else None


def _project_files(repo: Path, ref: str, subdir: str) -> dict[str, str]:
    """pyproject.toml and requirements*.txt of the task directory, or of the repository's top
    when the task directory has none (a directory with its own is a project of its own)."""
    texts: dict[str, str] = {}
    for folder in dict.fromkeys([subdir.strip("/"), ""]):
        listed = _git(repo, "ls-tree", "--name-only", ref, *([f"{folder}/"] if folder else []))
        for name in (listed or "").splitlines():
            base = name.rsplit("/", 1)[-1]
            if base == "pyproject.toml" or (
                base.startswith("requirements") and base.endswith(".txt")
            ):
                text = _git(repo, "show", f"{ref}:{name}")
                if text is not None:
                    texts[name] = text
        if texts:
            break
    return texts


def foreign_pytest_plugins(repo: Path, ref: str, subdir: str = "") -> tuple[str, ...]:
    """Entry-point names of the pytest plugins to keep out of this project's commands."""
    commit = (_git(repo, "rev-parse", "--verify", f"{ref}^{{commit}}") or "").strip()
    return _foreign(repo, commit, subdir.strip("/")) if commit else ()


@functools.lru_cache(maxsize=32)
def _foreign(repo: Path, commit: str, subdir: str) -> tuple[str, ...]:
    own = _own()
    if not own:
        return ()
    theirs = closure(declared(_project_files(repo, commit, subdir)))
    names = {
        ep.name
        for ep in metadata.entry_points(group="pytest11")
        if ep.dist is not None and canonical(ep.dist.name) in own - theirs - {OWN_DISTRIBUTION}
    }
    return tuple(sorted(names))


def addopts(plugins: Iterable[str]) -> str:
    return " ".join(f"-p no:{name}" for name in plugins)
