"""The evidence a planner grounds its plans in: outcomes of earlier attempts in words, the
baseline figures, the profile with call paths, the hot code and a map of the editable files.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

from agent.llm.context import ContextConfig, build_context
from agent.llm.index import SourceIndex, changed_definitions, profile_path
from agent.llm.repomap import profile_weights, repo_map
from agent.protocols import HotspotProfile, Outcome, PlanRequest
from storage.vocabulary import IMPROVING, Status

OUTCOME_WORDS: dict[Status, str] = {
    Status.SAME: "no measurable change, within noise",
    Status.SLOWER: "slower",
    Status.TESTS_FAILED: "the tests failed",
    Status.BROKEN: "broke the workload or changed its output",
    Status.OVERFIT: "faster on the benchmark's own inputs only, not on perturbed inputs or "
    "held-out workloads (do not tune to the benchmark)",
    Status.STATEFUL: "kept state between runs or wrote outside its work tree (no caches "
    "that outlive a call)",
    Status.INPUT_SPECIFIC: "special-cased the benchmark's inputs (never recognize inputs)",
    Status.EDIT_FAILED: "the edit could not be applied",
    Status.ERROR: "could not be measured (the sandbox failed)",
    Status.DUPLICATE: "the same change as an earlier candidate",
    Status.CODED: "not measured yet",
    Status.EVALUATING: "not measured yet",
    Status.REVIEWING: "faster; still under review",
    Status.DOMINATED: "faster than the base, but clearly slower than the best candidate so far",
}
"""What each non-improving status tells the planner (every status has words: see tests)."""


def describe_outcome(o: Outcome) -> str:
    """One line telling the model what happened to an earlier plan."""
    ratio = o.runtime_ratio
    ci = f", 95 % CI {o.ci[0]:.3f}-{o.ci[1]:.3f}" if o.ci else ""
    detail = " ".join(o.detail.split())
    if len(detail) > 300:
        detail = detail[:297] + "..."
    tail = f": {detail}" if detail else ""
    measured = f" (runtime ratio {ratio:.3f}{ci})" if ratio is not None else ""
    if o.status in IMPROVING or o.status == Status.UNCONFIRMED:
        what = f"faster by {(1 - (ratio or 1)) * 100:.1f} %{measured}"
        if o.status == Status.UNCONFIRMED:
            what += ", not confirmed on re-measurement"
    elif o.status == Status.SLOWER and ratio:
        what = f"slower by {(ratio - 1) * 100:.1f} %{measured}"
    else:
        what = OUTCOME_WORDS[o.status] + measured
    return f'"{o.plan_title}": {what}{tail}'


def baseline_lines(baseline: Mapping[str, Any]) -> list[tuple[str, str]]:
    out = []
    for key, value in baseline.items():
        if key in ("hotspots", "profile_samples") or isinstance(value, dict | list):
            continue
        if isinstance(value, float):
            text = f"{value:.4g}"
        elif isinstance(value, int) and not isinstance(value, bool) and value >= 10_000:
            text = f"{value:,}"
        else:
            text = str(value)
        out.append((key, text))
    return out


# the profile ---------------------------------------------------------------------------------
def frame_label(frame: str, sources: Mapping[str, str]) -> str | None:
    """`function (file:line)` as `function [path]` when the file is editable, else None."""
    name, _, where = frame.rpartition(" (")
    path = profile_path(where.rstrip(")").rsplit(":", 1)[0], sources) if where else None
    return f"{name} [{path}]" if path else None


def call_path(path: Sequence[str], sources: Mapping[str, str], keep: int = 8) -> str:
    """A call path as the planner reads it: the workload's frame, then the editable frames
    (other code shown as "…", recursion as "×n"), cut in the middle when long."""
    labels = []
    for i, frame in enumerate(path):
        label = frame_label(frame, sources)
        if label is None and i == 0:
            name, _, where = frame.rpartition(" (")
            label = f"{name} [{where.rsplit(':', 1)[0]}]" if name else frame
        elif label is None:
            label = "…"
        labels.append(label)
    out = []
    for label, group in itertools.groupby(labels):
        n = len(list(group))
        out.append(label if n == 1 or label == "…" else f"{label} ×{n}")
    if len(out) > keep:
        out = [*out[:2], "…", *out[-(keep - 3) :]]
    return " → ".join(out)


def hotspot_rows(
    profile: HotspotProfile, index: SourceIndex, changed: Sequence[str], shown: int
) -> list[dict[str, Any]]:
    """The table rows: hottest by inclusive time, with self time, marked when the function
    changed since the profile was taken."""
    touched = {c.split(":", 1)[1].rsplit(".", 1)[-1] for c in changed if ":" in c}
    hotspots = sorted(profile.hotspots, key=lambda h: (-h.total_share, -h.self_share))
    rows = []
    for h in hotspots[:shown]:
        editable = profile_path(h.file, index.sources) is not None
        rows.append(
            {
                "function": h.function,
                "where": f"{h.file}:{h.line}",
                "total": h.total_share * 100,
                "self": h.self_share * 100,
                "changed": editable and h.function.rsplit(".", 1)[-1] in touched,
            }
        )
    return rows


def hot_paths(profile: HotspotProfile, sources: Mapping[str, str], shown: int) -> list[str]:
    """Call paths to the hottest editable functions (the workload's root frames left out)."""
    out = []
    for h in sorted(profile.hotspots, key=lambda h: -h.total_share):
        if h.path and h.total_share < 0.99 and profile_path(h.file, sources) is not None:
            out.append(f"{h.function} ({h.total_share:.0%}): {call_path(h.path, sources)}")
        if len(out) >= shown:
            break
    return out


def hot_definitions(profile: HotspotProfile, index: SourceIndex) -> list[dict[str, Any]]:
    """The editable functions the profile names with their shares (for the coder's map)."""
    weights = profile_weights(profile.hotspots, index)
    return [
        {"path": path, "function": qualname, "share": round(share, 4)}
        for (path, qualname), share in sorted(weights.defs.items(), key=lambda kv: -kv[1])[:12]
    ]


def gather(
    request: PlanRequest, context_tokens: int, map_tokens: int, hotspots_shown: int
) -> dict[str, Any]:
    """Template variables shared by the planning prompts. In a round built on a candidate the
    code is the candidate's while the profile is the base's: the functions it changed are
    named and marked, so no share is read as describing code that no longer exists."""
    index = SourceIndex.build(request.sources)
    changed = changed_definitions(request.parent_diff, index) if request.parent_diff else []
    context = build_context(request.profile, request.sources, ContextConfig(context_tokens))
    weights = profile_weights(request.profile.hotspots, index)
    return {
        "bench": request.task.bench,
        "test": request.task.test or "",
        "baseline": baseline_lines(request.baseline),
        "samples": request.profile.samples,
        "hotspots": hotspot_rows(request.profile, index, changed, hotspots_shown),
        "paths": hot_paths(request.profile, request.sources, 6),
        "code": context.render() or "(no editable source found)",
        "map": repo_map(index, weights, map_tokens),
        "files": len(request.sources),
        "parent": request.parent_id,
        "changed": changed,
        "history": [describe_outcome(o) for o in request.history],
        "hot": hot_definitions(request.profile, index),
    }
