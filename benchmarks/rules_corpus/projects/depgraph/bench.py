"""Workload: a repository of 260 packages in ~900 versions. Eight random installs are
resolved, ordered and checked with removal reports; then one environment is grown a root
at a time (skipping roots that conflict) and ordered after every step.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random

from depgraph import (
    DependencyError,
    format_report,
    install_order,
    removal_report,
    resolve,
    validate_repo,
    versions_of,
)

NAMES = 260
LOCKED = 0.04


def spelled(rng, index):
    """The same package is written differently by different maintainers."""
    base = f"lib_{index:03d}" if index % 3 else f"py-tool-{index:03d}"
    return rng.choice([base, base.upper(), base.replace("-", "_"), f" {base}"])


def make_repo(rng):
    versions = {}
    for index in range(NAMES):
        keys = set()
        count = rng.randint(2, 6)
        while len(keys) < count:
            keys.add((rng.randint(0, 3), rng.randint(0, 12), rng.randint(0, 20)))
        versions[index] = sorted(keys)
    repo = []
    for index in range(NAMES):
        for key in versions[index]:
            requires = []
            if index >= 8:
                for dep in rng.sample(range(max(0, index - 120), index), rng.randint(0, 3)):
                    floor = rng.choice(versions[dep][: max(1, len(versions[dep]) - 1)])
                    req = f"{spelled(rng, dep)}>={floor[0]}.{floor[1]}"
                    roll = rng.random()
                    if roll < LOCKED and index >= NAMES - 90:
                        req += f",<{floor[0] + 1}"
                    elif roll < 0.05:
                        req += f",<{versions[dep][-1][0] + 1}"
                    elif roll < 0.12:
                        req += f",!={rng.choice(versions[dep])[0]}.0.0"
                    requires.append(req)
            version = ".".join(str(part) for part in key)
            if rng.random() < 0.2:
                version += ".0"
            repo.append((spelled(rng, index), version, requires))
    rng.shuffle(repo)
    return repo


def main() -> None:
    rng = random.Random(42)
    repo = make_repo(rng)
    packages = validate_repo(repo)
    results = []
    failures = []
    for install in range(8):
        roots = [f"{spelled(rng, index)}>=0" for index in rng.sample(range(NAMES - 80, NAMES), 3)]
        try:
            chosen = resolve(repo, roots)
        except DependencyError as exc:
            failures.append((install, str(exc)))
            continue
        order = [(pkg[0].strip().lower(), pkg[1]) for pkg in install_order(chosen)]
        reports = [removal_report(chosen, victim) for victim in rng.sample(sorted(chosen), 2)]
        results.append((install, roots, order, reports))

    accepted = []
    growth = []
    everything = {}
    for index in rng.sample(range(NAMES - 60, NAMES), 14):
        root = spelled(rng, index)
        try:
            everything = resolve(repo, accepted + [root])
        except DependencyError as exc:
            failures.append((index, str(exc)))
            continue
        accepted.append(root)
        order = install_order(everything)
        growth.append((index, len(order), order[0][1], order[-1][1]))
    full_order = [pkg[1] for pkg in install_order(everything)]
    reports = [removal_report(everything, victim, keep=accepted)
               for victim in sorted(everything)[::60]]
    results.append((None, accepted, full_order, reports))
    newest = [versions_of(repo, f"lib_{index:03d}")[:1] for index in range(1, NAMES, 37)]

    sizes = [len(order) for _, _, order, _ in results]
    print(f"{len(repo)} packages ({packages} distinct), {len(results)} installs resolved, "
          f"{len(failures)} failed")
    print(f"install sizes min {min(sizes)} max {max(sizes)} total {sum(sizes)}")
    print(f"first install order starts {results[0][2][:4]}")
    print(f"environment grew in {len(growth)} steps to {len(everything)} packages")
    worst = max((rep for *_, reps in results for rep in reps), key=lambda r: len(r["broken"]))
    print(format_report(worst))
    if failures:
        print(f"first failure: {failures[0][1]}")
    print(f"newest {newest[:2]}")
    digest = hashlib.sha256(repr((results, growth, failures, newest)).encode()).hexdigest()[:16]
    print(f"sha256 {digest}")


if __name__ == "__main__":
    main()
