"""Version strings and requirement strings: parsing, comparison and matching.

Versions are dotted numbers ('1.10.2'); trailing zeros do not count, so '1.2' and '1.2.0'
are the same version. A requirement is a package name followed by comma separated
constraints, for example 'foo>=1.2,<2.0' or 'Bar_Baz==3'.
"""

from __future__ import annotations

import re

_VERSION_RE = re.compile(r"^\d+(\.\d+)*$")
_NAME_RE = re.compile(r"^[^\s<>=!,~]+$")
_CLAUSE_RE = re.compile(r"^(==|!=|>=|<=|>|<)\s*(\S+)$")

OPERATORS = ("==", "!=", ">=", "<=", ">", "<")


class DependencyError(ValueError):
    """Bad input, or a set of requirements that cannot be met."""


def normalize_name(name):
    """Lower case, underscores become dashes, surrounding blanks removed."""
    if not isinstance(name, str):
        raise DependencyError(f"package name must be a string, got {name!r}")
    cleaned = name.strip().lower().replace("_", "-")
    if not cleaned or not _NAME_RE.match(cleaned):
        raise DependencyError(f"invalid package name {name!r}")
    return cleaned


def parse_version(text):
    """'1.10.2' -> (1, 10, 2); a leading 'v' is allowed, trailing zeros are dropped."""
    if not isinstance(text, str):
        raise DependencyError(f"version must be a string, got {text!r}")
    cleaned = text.strip()
    if cleaned[:1] in ("v", "V"):
        cleaned = cleaned[1:]
    if not _VERSION_RE.match(cleaned):
        raise DependencyError(f"invalid version {text!r}")
    parts = [int(piece) for piece in cleaned.split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)


def format_version(key):
    """(1, 10, 2) -> '1.10.2'; the inverse of parse_version up to trailing zeros."""
    return ".".join(str(part) for part in key)


def compare_versions(a, b):
    """-1, 0 or 1 as version string a is older than, equal to or newer than b."""
    ka = parse_version(a)
    kb = parse_version(b)
    return (ka > kb) - (ka < kb)


def parse_requirement(text):
    """'foo>=1.2,<2.0' -> ('foo', (('>=', (1, 2)), ('<', (2,))))."""
    if not isinstance(text, str):
        raise DependencyError(f"requirement must be a string, got {text!r}")
    match = re.match(r"^\s*([^\s<>=!,~]+)\s*(.*?)\s*$", text)
    if match is None:
        raise DependencyError(f"invalid requirement {text!r}")
    name = normalize_name(match.group(1))
    rest = match.group(2)
    clauses = []
    if rest:
        for piece in rest.split(","):
            clause = _CLAUSE_RE.match(piece.strip())
            if clause is None:
                raise DependencyError(f"invalid constraint {piece.strip()!r} in {text!r}")
            clauses.append((clause.group(1), parse_version(clause.group(2))))
    return name, tuple(clauses)


def _holds(key, op, bound):
    if op == "==":
        return key == bound
    if op == "!=":
        return key != bound
    if op == ">=":
        return key >= bound
    if op == "<=":
        return key <= bound
    if op == ">":
        return key > bound
    if op == "<":
        return key < bound
    raise DependencyError(f"unknown operator {op!r}")


def satisfies(version, constraints):
    """True when version string meets every (operator, version key) constraint."""
    key = parse_version(version)
    for op, bound in constraints:
        if not _holds(key, op, bound):
            return False
    return True


def matches(version, requirement):
    """True when version string satisfies the constraints of a requirement string."""
    _, constraints = parse_requirement(requirement)
    return satisfies(version, constraints)


def format_requirement(name, constraints):
    """The inverse of parse_requirement: ('foo', (('>=', (1, 2)),)) -> 'foo>=1.2'."""
    return normalize_name(name) + ",".join(op + format_version(bound) for op, bound in constraints)
