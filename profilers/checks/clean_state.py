"""The clean-state check: a head must not write outside its sandbox's scratch, nor keep state
from one run to the next, beyond what the base itself does (issue 12, item 4).

The sandbox starts every command from a clean state and lists in `ExecResult.writes` what the
command wrote anywhere but scratch (HOME, TMPDIR, /tmp, the work tree, the host's files), so a
disk cache never survives into a timed run. This stage turns those lists into a verdict: it
runs the base's workload once and the head's twice in a row, and rejects the head (`stateful`)
when it leaves paths the base does not, or when a repeated run of the head prints differently
from the base's stable output (its first run matched it in the equivalence stage): state kept
between runs where the sandbox could not see it, e.g. on a host without a private file view.
Names that differ only in digits or in tempfile's random parts count as the same path.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from profilers.checks.base_side import base_clean_run
from profilers.equivalence import normalize
from profilers.harness import prepare_pair, run_workload
from profilers.results import Check, Measurement
from profilers.verdicts import Rejection

if TYPE_CHECKING:
    from profilers.evaluate import Cascade

NAME = "clean-state"
SHOWN = 5
"""Paths named in the one-line reason (all of them are in the evidence)."""
_RANDOM = (
    (re.compile(r"tmp[a-z0-9_]{8}"), "tmp*"),
    (re.compile(r"[0-9a-f]{8,}"), "*"),
    (re.compile(r"\d+"), "#"),
)


def shape(path: str) -> str:
    """`path` with tempfile-style random names and numbers masked, for comparing two runs."""
    for pattern, mask in _RANDOM:
        path = pattern.sub(mask, path)
    return path


def stray_writes(head: tuple[str, ...], base: tuple[str, ...]) -> list[str]:
    """Paths the head wrote that the base did not (compared by `shape`)."""
    known = {shape(p) for p in base}
    return sorted({p for p in head if not p.startswith("... ") and shape(p) not in known})


def clean_state(c: Cascade) -> Measurement | None:
    """Reject a head that writes outside scratch or keeps state between runs (see above)."""
    hb, hh = c.harnesses = c.harnesses or prepare_pair(c.base, c.head, c.config)
    seed = c.config.seeds[0]
    c.say("clean-state: the workload once on base, twice on head, comparing what each left")
    base = base_clean_run(hb, c.workload, c.config, seed, c.base_key)
    first, _ = run_workload(hh, c.workload, 1, "head", c.config, seed=seed)
    second, _ = run_workload(hh, c.workload, 1, "head", c.config, seed=seed)
    c.head_peak = first.peak_rss_bytes  # the memory stage need not run the head again
    extra = stray_writes(first.writes + second.writes, base.writes)
    evidence: dict[str, object] = {"writes": extra, "base_writes": list(base.writes)}
    if extra:
        shown = ", ".join(extra[:SHOWN]) + (
            f" and {len(extra) - SHOWN} more" if len(extra) > SHOWN else ""
        )
        reason = f"writes outside its sandbox's scratch where the base does not: {shown}"
        return c.reject(Check(NAME, False, reason, Rejection.STATEFUL, evidence))
    if _outputs_compared(c) and len({_comparable(c, r.stdout) for r in (base, first, second)}) > 1:
        evidence["runs_differ"] = True
        reason = "a repeated run prints differently from the base: state kept between runs"
        return c.reject(Check(NAME, False, reason, Rejection.STATEFUL, evidence))
    reason = "leaves nothing outside scratch the base does not, and runs alike twice"
    if not (_sees_all(c.head) and _sees_all(c.base)):
        reason += " (this sandbox sees writes to the work tree, HOME and TMPDIR only)"
    c.checks.append(Check(NAME, True, reason, Rejection.STATEFUL, evidence))
    return None


def _outputs_compared(c: Cascade) -> bool:
    """Whether the equivalence stage compared printed outputs and found the head's equal."""
    return c.equivalent is True and c.base_out is not None and c.base_out.kind == "stdout"


def _comparable(c: Cascade, stdout: str) -> str:
    normalized = c.base_out is not None and c.base_out.mode == "normalized"
    return normalize(stdout) if normalized else stdout


def _sees_all(sandbox: object) -> bool:
    return bool(getattr(sandbox, "sees_all_writes", False))
