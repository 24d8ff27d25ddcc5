"""A package dependency resolver: version parsing, constraint matching, newest satisfying
versions, install order, reverse dependencies and removal reports."""

from depgraph.repo import (
    find_package,
    make_package,
    newest_satisfying,
    package_names,
    validate_package,
    validate_repo,
    versions_of,
    who_requires,
)
from depgraph.report import all_dependents, dependents, format_report, removal_report
from depgraph.resolve import dependency_map, install_order, install_plan, resolve
from depgraph.versions import (
    DependencyError,
    compare_versions,
    format_requirement,
    format_version,
    matches,
    normalize_name,
    parse_requirement,
    parse_version,
    satisfies,
)

__all__ = [
    "DependencyError",
    "all_dependents",
    "compare_versions",
    "dependency_map",
    "dependents",
    "find_package",
    "format_report",
    "format_requirement",
    "format_version",
    "install_order",
    "install_plan",
    "make_package",
    "matches",
    "newest_satisfying",
    "normalize_name",
    "package_names",
    "parse_requirement",
    "parse_version",
    "removal_report",
    "resolve",
    "satisfies",
    "validate_package",
    "validate_repo",
    "versions_of",
    "who_requires",
]
