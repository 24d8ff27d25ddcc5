"""The generalization stage: a head faster on the workload must be faster on nearby inputs too.

Runs only after wall time found the head faster. Interleaved base/head samples, each a fresh
replay process, time the changed functions on captured calls (the first of each function)
and on nearby inputs: each argument shuffled, resized or with one element changed (one
"slot" each), drawn afresh for every pair, so a cache that outlives a process never sees an
input twice. The clock runs inside the process around the calls alone, so start-up and
unpickling do not dilute the ratio; the runner binds the clock before any target code is
imported. Every ratio is judged by `profilers.stats`.

Faster on the captured calls but, on some slot (or on all nearby inputs together), not
faster, with that ratio's interval wholly above the captured one's, is overfit: a fast path
for the benchmark's own inputs. A slot whose input leaves the base under a tenth of its
captured call's work (a search from a start that is nowhere in the graph) counts only among
all nearby inputs together: there a cost the head pays once per call can outweigh the little
work left without any fast path. Nearby inputs on which the base raised are left out; while a
slot that kept some has too few samples for any ratio to be judged faster, more pairs are
drawn (up to twice as many, and only while it can still get enough). When the captured calls
do not carry the gain (the speed comes from code the capture cannot replay), generalization
is not judged.
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING, Any

from profilers.checks.base_side import base_sample_loops
from profilers.checks.capture import replay
from profilers.checks.perturb import derive, find_sites
from profilers.checks.perturbed import VARIANTS
from profilers.checks.state import Shared, shared
from profilers.harness import Harness
from profilers.results import Check, Measurement, WallTimeComparison
from profilers.stats import decide
from profilers.verdicts import Rejection, Verdict

if TYPE_CHECKING:
    from profilers.evaluate import Cascade

NAME = "generalization"
Sample = dict[str, float]
MAX_LOOPS = 200
MOST_TIMED = 4
CHEAP = 0.1
"""A slot whose input costs the base less than this share of its captured call is no
evidence of a fast path on its own: there, a cost the head pays once per call (an index or
a table built before the work it saves) can outweigh the little work left, fast path or not.
Such slots still count in all nearby inputs together."""
RAISED = "raised:"
"""A sample's marker of a series whose nearby input raised (the base's: left out)."""
WARMUP_SEED = 10_007
"""Draws the warm-up inputs: no pair's seed (pairs draw 1, 2, ...)."""


class _Failed(Exception):
    def __init__(self, side: str, why: str) -> None:
        super().__init__(why)
        self.side = side


def _sample(c: Cascade, st: Shared, harness: Harness, side: str, plan: dict[str, Any]) -> Sample:
    """Seconds inside the calls: "captured" and "perturbed" in all, and per function
    "FID|captured" and "FID|SLOT" (one slot: one argument shuffled, resized or changed)."""
    assert st.recording is not None and st.targets is not None
    run = replay(harness, st.recording, st.targets, c.config, plan)
    if run.answer is None:
        raise _Failed(side, run.failure)
    series = {str(k): float(v) for k, v in dict(run.answer.get("series", {})).items()}
    captured = sum(v for k, v in series.items() if k.endswith("|captured"))
    series.update(captured=captured, perturbed=sum(series.values()) - captured)
    sample = {k: max(v, 1e-9) for k, v in series.items()}
    sample.update({RAISED + str(k): 1.0 for k in run.answer.get("raised", [])})
    return sample


def _raised_in(sample: Sample) -> set[str]:
    """The series of a sample whose nearby input raised (marked by `RAISED`)."""
    return {k[len(RAISED) :] for k in sample if k.startswith(RAISED)}


def add_pair(got: dict[str, tuple[list[float], list[float]]], base: Sample, head: Sample) -> int:
    """One pair's samples into the series, but a nearby input on which the base raised:
    fresh inputs are drawn for every pair without being checked against the base, and one
    that sends both sides down the same error path in a moment would read as "not faster
    there" (the perturbed stage leaves such inputs out too). All nearby inputs together are
    summed again from the slots kept in this pair, on both sides alike. How many it left
    out."""
    raised = _raised_in(base)
    kept = [k for k in base if k in head and k not in raised and not k.startswith(RAISED)]
    for key in kept:
        if key != "perturbed":
            got.setdefault(key, ([], []))[0].append(base[key])
            got[key][1].append(head[key])
    slots = [k for k in kept if "|" in k and not k.endswith("|captured")]
    if slots:
        got.setdefault("perturbed", ([], []))
        for side, sample in enumerate((base, head)):
            got["perturbed"][side].append(max(sum(sample[k] for k in slots), 1e-9))
    return len(raised & set(head))


def _loops(c: Cascade, st: Shared, plan: dict[str, Any]) -> tuple[int, Sample | None]:
    """How many times a sample repeats the calls, sized on one base run (kept by content),
    and that run when it is the first pair's base sample as it stands (one loop: a base so
    slow that one pass fills a sample, where a second run would cost the most)."""
    assert st.harnesses is not None and st.recording is not None and st.targets is not None
    hb = st.harnesses[0]
    goal = max(0.05, c.config.min_sample_s / 2)
    sizing: list[Sample] = []

    def size() -> int:
        first = {**plan, "variants": _fresh_variants(st, 1), "loops": 1}  # the first pair's
        once = _sample(c, st, hb, "base", first)
        sizing.append(once)
        took = once["captured"] + once["perturbed"]
        return max(1, min(MAX_LOOPS, math.ceil(goal / took)))

    sized = {**plan, "goal": goal}
    loops = base_sample_loops(
        hb, c.workload, st.recording, st.targets, c.config, sized, c.base_key, size
    )
    return loops, sizing[0] if sizing and loops == 1 else None


def pairs_for(c: Cascade) -> int:
    """Half the workload's pairs, at least 5: the ratios judged here are far apart when it
    matters (a fast path is 10x or more), and every pair replays the slow base."""
    return max(5, c.config.pairs // 2)


def _timed(st: Shared) -> list[str]:
    """The calls to time: the first with valid perturbed inputs of each function, at most
    `MOST_TIMED` (the timing repeats them in every sample; more calls add cost, not power)."""
    fids = {str(c["i"]): c["fid"] for c in (st.base or {}).get("calls", [])}
    chosen: dict[str, str] = {}
    for i in sorted(st.variants, key=int):
        chosen.setdefault(fids.get(i, i), i)
    return list(chosen.values())[:MOST_TIMED]


def _derived(st: Shared, draw_seed: int) -> dict[str, list[Any]]:
    """Per timed call, the nearby inputs drawn with `draw_seed` (none where it has no sites)."""
    calls = {str(c["i"]): c for c in (st.base or {}).get("calls", [])}
    drawn: dict[str, list[Any]] = {}
    for i in st.variants:
        form = calls[i]["args"]
        if i not in st.sites:
            st.sites[i] = find_sites(form)
        if (i, draw_seed) not in st.drawn:
            st.drawn[i, draw_seed] = derive(form, VARIANTS, draw_seed, st.sites[i])
        drawn[i] = st.drawn[i, draw_seed]
    return drawn


def _fresh_variants(st: Shared, draw_seed: int) -> dict[str, list[Any]]:
    """Other nearby inputs of the same calls for each pair: a cache that outlives a process
    learns the inputs it has seen, so every pair gets inputs it has not."""
    return {i: drawn or st.variants[i] for i, drawn in _derived(st, draw_seed).items()}


def _warmup(st: Shared) -> dict[str, list[dict[str, Any]]]:
    """Per timed call, one nearby input timed nowhere (a cut-down one where there is one, the
    cheapest to run), called untimed before the samples: it takes the one-time costs (a regex
    compiled on first use, a lazy import) that would otherwise land on whichever call runs
    first, the captured one, and read as a fast path for the benchmark's own inputs. Being
    no input that is timed, it warms no per-value cache for them (hence no fallback to the
    perturbed stage's inputs, which `_fresh_variants` may time)."""
    chosen: dict[str, list[dict[str, Any]]] = {}
    for i, drawn in _derived(st, WARMUP_SEED).items():
        cut = [v for v in drawn if v and v[0].get("op") == "keep"]
        if drawn:
            chosen[i] = (cut or drawn)[0]
    return chosen


def _pairs(
    c: Cascade, st: Shared, plan: dict[str, Any], first: Sample | None = None
) -> dict[str, tuple[list[float], list[float]]]:
    """Per series (captured, perturbed, each kind): base and head samples, interleaved ABBA;
    `first`, the first pair's base sample when the sizing run already took it."""
    assert st.harnesses is not None
    hb, hh = st.harnesses
    got: dict[str, tuple[list[float], list[float]]] = {}
    raised: set[str] = set()
    n = 0
    most = 2 * pairs_for(c)
    while n < pairs_for(c) or (n < most and short(got, raised, c.config.alpha, most - n)):
        paired = {**plan, "variants": _fresh_variants(st, n + 1)}
        order = [(hb, "base"), (hh, "head")] if n % 2 == 0 else [(hh, "head"), (hb, "base")]
        taken: dict[str, Sample] = {}
        for harness, side in order:
            reuse = n == 0 and side == "base" and first is not None
            taken[side] = first if reuse and first else _sample(c, st, harness, side, paired)
        raised |= _raised_in(taken["base"])
        st.left_out += add_pair(got, taken["base"], taken["head"])
        n += 1
    return got


def short(
    got: dict[str, tuple[list[float], list[float]]], raised: set[str], alpha: float, left: int
) -> bool:
    """A slot on whose inputs the base raised in some pairs has kept too few samples for any
    ratio to be judged faster (the exact rank test's smallest p, 1 / C(2k, k), not below
    `alpha`), and can still get enough in the `left` pairs that may be drawn."""
    need = enough(alpha)
    for key in raised:
        k = len(got.get(key, ((), ()))[0])
        if 0 < k < need <= k + left:
            return True
    return False


def enough(alpha: float) -> int:
    """The fewest pairs whose exact rank test can give p < `alpha` (5 for 0.01); 64 stands
    for "never" (an `alpha` of 0 or less)."""
    k = 2
    while k < 64 and 1 / math.comb(2 * k, k) >= alpha:
        k += 1
    return k


def _evidence(c: Cascade, verdicts: dict[str, WallTimeComparison], loops: int) -> dict[str, Any]:
    orig, pert = verdicts["captured"], verdicts["perturbed"]
    rt = c.runtime
    per_function: dict[str, dict[str, Any]] = {}
    for key, v in verdicts.items():
        if "|" in key:
            fid, series = key.rsplit("|", 1)
            per_function.setdefault(fid, {})[series] = {
                "ratio": v.ratio,
                "ci": [v.ci_low, v.ci_high],
                "verdict": v.verdict,
            }
    return {
        "ratio": pert.ratio,
        "ci_low": pert.ci_low,
        "ci_high": pert.ci_high,
        "p_value": pert.p_value,
        "verdict": pert.verdict,
        "captured_ratio": orig.ratio,
        "captured_ci": [orig.ci_low, orig.ci_high],
        "captured_verdict": orig.verdict,
        "workload_ratio": rt.ratio if rt else None,
        "functions": per_function,
        "n_pairs": pert.n_pairs,
        "loops": loops,
        "left_out": shared(c).left_out,
    }


def generalization(c: Cascade) -> Measurement | None:
    rt = c.runtime
    st = shared(c)
    if rt is None or rt.verdict != Verdict.FASTER:
        c.checks.append(Check(NAME, None, "not faster on the workload: no gain to generalize"))
        return None
    if not st.variants or st.harnesses is None:
        c.checks.append(Check(NAME, None, "no perturbed inputs to time"))
        return None
    timed = _timed(st)
    st.variants = {i: v for i, v in st.variants.items() if i in timed}
    plan = {"mode": "time", "timed": [int(i) for i in timed], "variants": st.variants}
    plan["warmup"] = _warmup(st)
    c.say("generalization: timing the changed functions on captured and nearby inputs")
    started = time.monotonic()
    try:
        loops, first = _loops(c, st, plan)
        got = _pairs(c, st, {**plan, "loops": loops}, first)
    except _Failed as exc:
        if exc.side == "head":
            reason = f"the head fails when timed on nearby inputs ({exc})"
            return c.reject(Check(NAME, False, reason, Rejection.BROKEN))
        c.checks.append(Check(NAME, None, f"the base's timing run failed ({exc})"))
        return None
    verdicts = {k: decide(b, h, c.config) for k, (b, h) in got.items() if len(b) >= 2 <= len(h)}
    if "perturbed" not in verdicts or "captured" not in verdicts:
        reason = "not judged: the base raised on every nearby input it was timed on"
        c.checks.append(Check(NAME, None, reason))
        return None
    evidence = {**_evidence(c, verdicts, loops), "seconds": time.monotonic() - started}
    return _judge(c, verdicts, evidence)


def lagging(verdicts: dict[str, WallTimeComparison]) -> dict[str, list[str]]:
    """Per function whose captured calls are faster: the slots where it is not faster, with
    an interval wholly above its captured calls' ("perturbed": all nearby inputs together),
    leaving out slots far cheaper for the base than the captured call (`CHEAP`)."""
    found: dict[str, list[str]] = {}
    keys = [k for k in verdicts if "|" in k] + ["|perturbed"]
    for key in keys:
        fid, series = key.rsplit("|", 1)
        ref = verdicts.get(f"{fid}|captured" if fid else "captured")
        v = verdicts.get(key if fid else "perturbed")
        if series == "captured" or ref is None or v is None or ref.verdict != Verdict.FASTER:
            continue
        if fid and v.base_median_s < CHEAP * ref.base_median_s:
            continue
        if v.verdict != Verdict.FASTER and v.ci_low > ref.ci_high:
            found.setdefault(fid or "all changed functions", []).append(series)
    return found


def _judge(
    c: Cascade, verdicts: dict[str, WallTimeComparison], evidence: dict[str, Any]
) -> Measurement | None:
    orig, pert = verdicts["captured"], verdicts["perturbed"]
    assert c.runtime is not None
    words = (
        f"x{pert.ratio:.3f} on nearby inputs, x{orig.ratio:.3f} on the captured calls, "
        f"x{c.runtime.ratio:.3f} on the workload"
    )
    if orig.verdict != Verdict.FASTER:
        reason = f"not judged: the captured calls do not carry the workload's gain ({words})"
        c.checks.append(Check(NAME, None, reason, evidence=evidence))
        return None
    behind = lagging(verdicts)
    if behind:
        fid, slots = next(iter(behind.items()))
        shown = "any nearby input" if "perturbed" in slots else "; ".join(slots[:3])
        reason = f"{fid} is faster only on the benchmark's own inputs (not on {shown}): {words}"
        evidence["lagging"] = behind
        return c.reject(Check(NAME, False, reason, Rejection.OVERFIT, evidence))
    if pert.verdict == Verdict.FASTER:
        c.checks.append(
            Check(NAME, True, f"faster on nearby inputs too: {words}", evidence=evidence)
        )
    else:
        reason = f"not conclusive on nearby inputs: {words}"
        c.checks.append(Check(NAME, None, reason, evidence=evidence))
    return None
