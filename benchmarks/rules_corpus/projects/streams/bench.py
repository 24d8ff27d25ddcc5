"""Workload: 6000 event lines, 1500 users; tags, an enriched join and running leaders.

Deterministic (fixed seed); prints a summary of results, never timings.
"""

from __future__ import annotations

import hashlib
import random

from streams import enrich, parse_events, running_leaders, tag_counts

TAGS = ["Promo  Code!", "  promo-code", "REFUND", "refund ", "Gift Card", "gift--card",
        "Bulk Order"]


def main() -> None:
    rng = random.Random(99)
    lines = ["# user|tag|amount"]
    for _ in range(6000):
        lines.append(f"u{rng.randint(0, 1700)}|{rng.choice(TAGS)}|{rng.randint(1, 9999) / 100}")
    users = [(f"u{i}", f"name{i}") for i in range(1500)]
    events = list(parse_events(lines))
    counts = tag_counts(events)
    print(f"tags {sorted(counts.items())}")
    joined = enrich(events, users)
    print(f"{len(joined)} joined; first {joined[:2]}")
    leaders = running_leaders(events[:2500], 3)
    print(f"leaders at end {leaders[-1]}")
    digest = hashlib.sha256(repr((events, joined, leaders)).encode()).hexdigest()[:16]
    print(f"sha256 {digest}")


if __name__ == "__main__":
    main()
