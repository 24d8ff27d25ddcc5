"""The baseline node: check and profile the unedited code once per run."""

from __future__ import annotations

import time
from dataclasses import asdict
from typing import Any

from langgraph.runtime import Runtime

from agent.exceptions import BaselineBroken
from agent.loop.state import Deps, State
from agent.protocols import Hotspot, HotspotProfile
from profilers.errors import BaselineFailed
from storage import Store


def baseline(state: State, *, runtime: Runtime[Deps]) -> State:
    """Tests twice (flaky tests are reported), the workload three times, a hotspot profile."""
    d, run_id = runtime.context, state["run_id"]
    run = d.store.run(run_id)
    if run is not None and run.baseline:
        return {}
    begun = time.monotonic()
    try:
        report = d.profiler.baseline(d.progress)
    except BaselineFailed as exc:
        raise BaselineBroken(str(exc)) from None
    d.ahead.pace.baseline_s = time.monotonic() - begun
    if report.tests_flaky:
        d.store.log(run_id, "warning", "tests are flaky on the baseline", tail=report.flaky_tail)
    for note in report.notes:
        d.store.log(run_id, "warning", note)
        d.progress(f"warning: {note}")
    d.store.add_trials(run_id, None, "baseline", "walltime_s", "base", report.durations_s)
    profile = report.profile
    if profile.collapsed:
        d.store.add_artifact(run_id, "baseline-profile", profile.collapsed)
    for h in profile.hotspots[:5]:
        d.progress(f"  hot: {h.file}:{h.line} {h.function}  {h.total_share:.0%} of samples")
    summary: dict[str, Any] = {
        "tests_flaky": report.tests_flaky,
        "wall_s": sorted(report.durations_s)[len(report.durations_s) // 2],
        "peak_rss_bytes": report.peak_rss_bytes,
        "hotspots": [asdict(h) for h in profile.hotspots],
        "profile_samples": profile.samples,
    }
    d.store.update_run(run_id, baseline=summary)
    return {}


def load_profile(store: Store, run_id: str) -> HotspotProfile:
    run = store.run(run_id)
    base = run.baseline if run else {}
    return HotspotProfile(
        hotspots=tuple(Hotspot(**h) for h in base.get("hotspots", [])),
        samples=int(base.get("profile_samples", 0)),
    )
