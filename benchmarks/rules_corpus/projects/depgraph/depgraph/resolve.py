"""Choosing one version of every package a set of root requirements needs, and an
order to install them in."""

from __future__ import annotations

from depgraph.repo import newest_satisfying
from depgraph.versions import DependencyError, parse_requirement, satisfies


def resolve(repo, roots):
    """Map each needed package name to the package chosen for it.

    Depth first and greedy: the first requirement to mention a name picks the newest
    version that satisfies it, and every later requirement on that name must accept it.
    """
    if isinstance(roots, str):
        roots = [roots]
    chosen = {}
    for req in roots:
        _resolve_one(repo, req, chosen, [])
    return chosen


def _resolve_one(repo, requirement, chosen, path):
    name, constraints = parse_requirement(requirement)
    if name in chosen:
        pkg = chosen[name]
        if not satisfies(pkg[1], constraints):
            trail = " -> ".join(path + [name])
            raise DependencyError(
                f"conflict at {trail}: {name} {pkg[1]} already chosen, {requirement!r} needed")
        return
    pkg = newest_satisfying(repo, requirement)
    if pkg is None:
        needed_by = path[-1] if path else "the roots"
        raise DependencyError(f"nothing satisfies {requirement!r} (needed by {needed_by})")
    chosen[name] = pkg
    for dep in pkg[2]:
        _resolve_one(repo, dep, chosen, path + [name])


def dependency_map(chosen):
    """name -> names it requires that are among the chosen, in requirement order."""
    deps = {}
    for name, pkg in chosen.items():
        deps[name] = []
        for req in pkg[2]:
            dep_name, _ = parse_requirement(req)
            if dep_name in chosen and dep_name not in deps[name]:
                deps[name].append(dep_name)
    return deps


def install_order(chosen):
    """The chosen packages, every one after all it requires; ties go alphabetically."""
    deps = dependency_map(chosen)
    order = []
    remaining = list(deps)
    while remaining:
        ready = [name for name in remaining if all(dep in order for dep in deps[name])]
        if not ready:
            raise DependencyError("dependency cycle among " + ", ".join(sorted(remaining)))
        ready.sort()
        order.append(ready[0])
        remaining.remove(ready[0])
    return [chosen[name] for name in order]


def install_plan(repo, roots):
    """resolve() then install_order(): the packages to install, in order."""
    return install_order(resolve(repo, roots))
