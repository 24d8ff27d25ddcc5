"""A repository is a plain list of packages; a package is a tuple
(name, version string, list of requirement strings)."""

from __future__ import annotations

from depgraph.versions import (
    DependencyError,
    normalize_name,
    parse_requirement,
    parse_version,
    satisfies,
)


def make_package(name, version, requires=()):
    """Build a checked package tuple."""
    pkg = (name, version, list(requires))
    validate_package(pkg)
    return pkg


def validate_package(pkg):
    if not isinstance(pkg, tuple) or len(pkg) != 3:
        raise DependencyError(f"a package is a (name, version, requires) tuple, got {pkg!r}")
    name, version, requires = pkg
    normalize_name(name)
    parse_version(version)
    if not isinstance(requires, (list, tuple)):
        raise DependencyError(f"requirements of {name!r} must be a list, got {requires!r}")
    for req in requires:
        parse_requirement(req)


def validate_repo(repo):
    """Check every package; the same name and version may appear only once."""
    seen = {}
    for pkg in repo:
        validate_package(pkg)
        ident = (normalize_name(pkg[0]), parse_version(pkg[1]))
        if ident in seen:
            raise DependencyError(
                f"{pkg[0]} {pkg[1]} appears twice (first as {seen[ident][0]} {seen[ident][1]})")
        seen[ident] = pkg
    return len(seen)


def package_names(repo):
    """Distinct normalized names, sorted."""
    return sorted({normalize_name(pkg[0]) for pkg in repo})


def find_package(repo, name, version):
    """The package with this name and version, or None."""
    target = normalize_name(name)
    key = parse_version(version)
    for pkg in repo:
        if normalize_name(pkg[0]) == target and parse_version(pkg[1]) == key:
            return pkg
    return None


def versions_of(repo, name):
    """All packages called name, newest first (equal versions keep repository order)."""
    target = normalize_name(name)
    found = [pkg for pkg in repo if normalize_name(pkg[0]) == target]
    found.sort(key=lambda pkg: parse_version(pkg[1]), reverse=True)
    return found


def newest_satisfying(repo, requirement):
    """The newest package that meets a requirement string, or None."""
    name, constraints = parse_requirement(requirement)
    for pkg in versions_of(repo, name):
        if satisfies(pkg[1], constraints):
            return pkg
    return None


def who_requires(repo, name, version):
    """(name, version) of every package whose requirements accept this name and version."""
    target = normalize_name(name)
    found = []
    for pkg in repo:
        for req in pkg[2]:
            req_name, constraints = parse_requirement(req)
            if req_name == target and satisfies(version, constraints):
                found.append((normalize_name(pkg[0]), pkg[1]))
                break
    return sorted(found, key=lambda item: (item[0], parse_version(item[1])))
