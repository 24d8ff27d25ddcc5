"""The base side's untimed results, from the cache when it holds them, else measured and kept.

Each kind is kept as JSON with its raw values: the base's workload outputs (with the files
its `store_result` wrote), its peak memory, its hotspot profile. A cached reference is handed
out under a fresh file tag each time, so no head learns a name another head's run used.
"""

from __future__ import annotations

import base64
from dataclasses import asdict
from typing import Any

from profilers.cache import BaseKey
from profilers.config import MeasureConfig
from profilers.equivalence import Outputs, capture_outputs
from profilers.harness import Harness, nonce
from profilers.hotspots import profile_hotspots
from profilers.memory import peak_memory
from profilers.results import Hotspot, HotspotProfile
from profilers.workload import Workload
from sandbox.base import Sandbox


def outputs_json(out: Outputs) -> dict[str, Any]:
    return {
        "kind": out.kind,
        "stdout": list(out.stdout),
        "mode": out.mode,
        "reference": [[name, base64.b64encode(data).decode()] for name, data in out.reference],
        "ref_id": out.ref_id,
        "durations": list(out.durations),
    }


def outputs_from(data: dict[str, Any]) -> Outputs:
    """Stored base outputs, their reference files renamed under a fresh tag."""
    old = str(data.get("ref_id", ""))
    new = f"ref-{nonce()}" if old else ""
    files = tuple(
        (new + name[len(old) :] if old and name.startswith(old) else name, base64.b64decode(blob))
        for name, blob in data.get("reference", [])
    )
    return Outputs(
        kind=data["kind"],
        stdout=tuple(data.get("stdout", ())),
        mode=data.get("mode", "exact"),
        reference=files,
        ref_id=new,
        durations=tuple(float(d) for d in data.get("durations", ())),
    )


def base_outputs(
    harness: Harness, workload: Workload, config: MeasureConfig, key: BaseKey | None
) -> tuple[Outputs, bool]:
    """The base's outputs and whether they came from the cache."""
    ready = key.ready(harness.sandbox, config) if key else None
    found = ready.get("outputs", workload, config) if ready else None
    if found is not None:
        return outputs_from(found), True
    out = capture_outputs(harness.sandbox, workload, config, harness=harness)
    if ready is not None:
        ready.put("outputs", workload, config, outputs_json(out))
    return out, False


def base_memory(
    sb: Sandbox, workload: Workload, config: MeasureConfig, key: BaseKey | None
) -> int | None:
    """Peak RSS of one base run (cached)."""
    ready = key.ready(sb, config) if key else None
    found = ready.get("memory", workload, config) if ready else None
    if found is not None:
        value = found.get("peak_rss_bytes")
        return int(value) if value is not None else None
    peak = peak_memory(sb, workload, config, side="base")
    if ready is not None:
        ready.put("memory", workload, config, {"peak_rss_bytes": peak})
    return peak


def profile_json(profile: HotspotProfile) -> dict[str, Any]:
    return {
        "hotspots": [asdict(h) for h in profile.hotspots],
        "samples": profile.samples,
        "collapsed": profile.collapsed,
    }


def base_profile(
    sb: Sandbox, workload: Workload, config: MeasureConfig, key: BaseKey | None
) -> tuple[HotspotProfile, bool]:
    """The base's hotspot profile and whether it came from the cache. A failed profile is
    not kept (the next run tries again)."""
    ready = key.ready(sb, config) if key else None
    shape = (config.profile_min_s, config.profile_rate, config.hotspots_top)
    found = ready.get("profile", workload, config, shape=shape) if ready else None
    if found is not None:
        hotspots = tuple(
            Hotspot(**{**h, "path": tuple(h.get("path") or ())}) for h in found.get("hotspots", [])
        )
        return HotspotProfile(hotspots, int(found["samples"]), str(found["collapsed"])), True
    profile = profile_hotspots(sb, workload, config)
    if ready is not None and profile.samples:
        ready.put("profile", workload, config, profile_json(profile), shape=shape)
    return profile, False
