"""Reverse dependencies inside a resolved set, and what breaks when a package goes."""

from __future__ import annotations

from depgraph.versions import DependencyError, normalize_name, parse_requirement


def dependents(chosen, name):
    """Names of the chosen packages that directly require name, sorted."""
    target = normalize_name(name)
    found = []
    for other, pkg in chosen.items():
        for req in pkg[2]:
            dep_name, _ = parse_requirement(req)
            if dep_name == target and other not in found:
                found.append(other)
    return sorted(found)


def all_dependents(chosen, name):
    """Names that need name directly or through others (name itself left out), sorted."""
    target = normalize_name(name)
    seen = []
    _collect(chosen, target, seen)
    return sorted(other for other in seen if other != target)


def _collect(chosen, name, seen):
    for other in dependents(chosen, name):
        if other not in seen:
            seen.append(other)
            _collect(chosen, other, seen)


def removal_report(chosen, name, keep=()):
    """What removing one installed package does to the others.

    'direct' need it, 'broken' need it directly or not, 'orphans' were only needed by
    the removed and broken packages (or other orphans), 'kept' counts what still works.
    Names in keep were installed on purpose and are never orphans.
    """
    target = normalize_name(name)
    if target not in chosen:
        raise DependencyError(f"{name!r} is not installed")
    keep = [normalize_name(other) for other in keep]
    direct = dependents(chosen, target)
    broken = all_dependents(chosen, target)
    gone = [target] + broken
    users_of = {other: dependents(chosen, other) for other in chosen}
    orphans = []
    changed = True
    while changed:
        changed = False
        for other in sorted(chosen):
            if other in gone or other in orphans or other in keep:
                continue
            users = users_of[other]
            if users and all(user in gone or user in orphans for user in users):
                orphans.append(other)
                changed = True
    return {
        "removed": (target, chosen[target][1]),
        "direct": direct,
        "broken": broken,
        "orphans": sorted(orphans),
        "kept": len(chosen) - 1 - len(broken) - len(orphans),
    }


def format_report(report):
    """A few readable lines for a removal_report() result."""
    name, version = report["removed"]
    lines = [f"removing {name} {version}"]
    for label in ("direct", "broken", "orphans"):
        names = report[label]
        shown = ", ".join(names[:6]) + (f" (+{len(names) - 6} more)" if len(names) > 6 else "")
        lines.append(f"  {label:<8}{len(names):>4}  {shown or '-'}")
    lines.append(f"  kept    {report['kept']:>4}")
    return "\n".join(lines)
