"""Hotspots with py-spy: a separate, untimed profiling pass (never during timed runs).

A large program's hot function is often not where the interpreter spends its own time:
`Mul._eval_is_zero` on a sympy task had 24 % of all samples and little self time, and a
ranking by self time cut it. Functions are ranked by self time and by inclusive time, and
each comes with the call path that reaches it, so a planner sees which function to change.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import re
import shlex
import time
from collections import Counter
from dataclasses import dataclass, field

from profilers.config import MeasureConfig
from profilers.errors import MeasurementError, ToolMissing
from profilers.harness import (
    RUNNER_NAME,
    Harness,
    base_env,
    has_tool,
    nonce,
    prepare,
    run_workload,
)
from profilers.results import Hotspot, HotspotProfile
from profilers.workload import Workload
from sandbox.base import Sandbox

_FRAME = re.compile(r"^(?P<func>.*) \((?P<file>.*):(?P<line>\d+)\)$")


@dataclass(frozen=True)
class _Frame:
    function: str
    file: str
    line: int


def _parse_frame(text: str) -> _Frame | None:
    m = _FRAME.match(text.strip())
    if m is None:
        return None
    return _Frame(m["func"], m["file"], int(m["line"]))


def _relative(path: str, roots: tuple[str, ...]) -> str:
    for root in roots:
        root = root.rstrip("/")
        if root and path.startswith(root + "/"):
            return path[len(root) + 1 :]
    return path


PASS_THROUGH = 0.95
"""A frame that hands at least this share of its time to one callee adds nothing to the
callee's line in a ranking by inclusive time (main -> run -> solve chains)."""


@dataclass
class _Counts:
    samples: int = 0
    self_: Counter[_Frame] = field(default_factory=Counter)
    total: Counter[_Frame] = field(default_factory=Counter)
    edges: Counter[tuple[_Frame, _Frame]] = field(default_factory=Counter)
    stacks: list[tuple[tuple[_Frame, ...], int]] = field(default_factory=list)


def _count(text: str, roots: tuple[str, ...]) -> _Counts:
    c = _Counts()
    for raw in text.splitlines():
        stack, _, count_text = raw.rstrip().rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = tuple(
            _Frame(f.function, _relative(f.file, roots), f.line)
            for f in (_parse_frame(part) for part in stack.split(";"))
            if f is not None and not f.file.endswith(RUNNER_NAME)
        )
        c.samples += count
        if not frames:
            continue
        c.stacks.append((frames, count))
        c.self_[frames[-1]] += count
        for frame in set(frames):
            c.total[frame] += count
        for edge in {(a, b) for a, b in itertools.pairwise(frames) if a != b}:
            c.edges[edge] += count
    return c


def _ranked(c: _Counts, top: int) -> list[_Frame]:
    """The top frames by self time, then the top by inclusive time that are not mere
    pass-throughs (a function with little self time but a large share below it)."""
    by_self = sorted(c.total, key=lambda f: (-c.self_[f], -c.total[f], f.file, f.line))[:top]
    widest: Counter[_Frame] = Counter()
    for (a, _), n in c.edges.items():
        widest[a] = max(widest[a], n)
    by_total = [
        f
        for f in sorted(c.total, key=lambda f: (-c.total[f], -c.self_[f], f.file, f.line))
        if widest[f] < PASS_THROUGH * c.total[f] and f not in by_self
    ][:top]
    return sorted([*by_self, *by_total], key=lambda f: (-c.self_[f], -c.total[f], f.file, f.line))


def _paths(c: _Counts, wanted: list[_Frame]) -> dict[_Frame, tuple[str, ...]]:
    """The heaviest call path from the workload to each wanted frame (the stack prefix that
    reaches it in most samples), over a trie of the stacks."""
    want = set(wanted)
    nodes: dict[tuple[int, _Frame], int] = {}
    parents: list[tuple[int, _Frame | None]] = [(-1, None)]
    weight: dict[_Frame, Counter[int]] = {f: Counter() for f in want}
    for frames, count in c.stacks:
        node, seen = 0, set()
        for frame in frames:
            key = (node, frame)
            if key not in nodes:
                nodes[key] = len(parents)
                parents.append((node, frame))
            node = nodes[key]
            if frame in want and frame not in seen:
                seen.add(frame)
                weight[frame][node] += count
    out: dict[_Frame, tuple[str, ...]] = {}
    for frame, counts in weight.items():
        if not counts:
            continue
        node, path = counts.most_common(1)[0][0], []
        while node > 0:
            node, f = parents[node]
            assert f is not None
            path.append(f"{f.function} ({f.file}:{f.line})")
        out[frame] = tuple(reversed(path))
    return out


def parse_collapsed(text: str, roots: tuple[str, ...] = (), top: int = 20) -> HotspotProfile:
    """Hotspots from py-spy raw output ("f (file:line);g (file:line) COUNT" per line): the
    runner's own frames are dropped, shares are fractions of all samples. Ranked by self time
    and, for the functions whose time is mostly below them, by inclusive time (up to `top`
    each), each with its heaviest call path from the workload."""
    c = _count(text, roots)
    if c.samples == 0:
        return HotspotProfile(hotspots=(), samples=0, collapsed="")
    ranked = _ranked(c, top)
    paths = _paths(c, ranked)
    hotspots = tuple(
        Hotspot(
            function=f.function,
            file=f.file,
            line=f.line,
            self_share=c.self_[f] / c.samples,
            total_share=c.total[f] / c.samples,
            path=paths.get(f, ()),
        )
        for f in ranked
    )
    kept = [
        ";".join(f"{f.function} ({f.file}:{f.line})" for f in frames) + f" {count}"
        for frames, count in c.stacks
    ]
    return HotspotProfile(hotspots=hotspots, samples=c.samples, collapsed="\n".join(kept) + "\n")


def _simple(command: str) -> bool:
    """Whether `command` is one plain program call (safe to run without a shell)."""
    if any(c in command for c in ";&|<>()$`\\\n*?[]{}~#!=") or not command.strip():
        return False
    try:
        return bool(shlex.split(command))
    except ValueError:
        return False


def _roots(sb: Sandbox) -> tuple[str, ...]:
    res = sb.execute("git rev-parse --show-toplevel", timeout=30)
    top = res.stdout.strip() if res.ok else ""
    return tuple(r for r in (sb.workdir, top, str(sb.host_root)) if r)


def _profile_loops(harness: Harness, workload: Workload, config: MeasureConfig, seed: int) -> int:
    """Loops for ~`profile_min_s` of samples, from one untimed run."""
    res, status = run_workload(harness, workload, 1, "base", config, seed=seed, quiet=True)
    # A suite benchmark's own call may be a tiny part of its process (start-up, setup): its
    # loops are sized on the call's time, else py-spy may never sample the code it runs.
    region = status.get("region_s") if status else None
    once = region if isinstance(region, float) and 0 < region <= res.duration_s else res.duration_s
    return min(config.max_loops, max(1, math.ceil(config.profile_min_s / max(once, 1e-3))))


def profile_hotspots(sb: Sandbox, workload: Workload, config: MeasureConfig) -> HotspotProfile:
    """Run the workload under `py-spy record` long enough for ~`profile_min_s` of samples and
    return the top functions (file:line of the function, self/total share) with the raw
    collapsed stacks. ToolMissing without py-spy; MeasurementError if py-spy fails."""
    if not has_tool(sb, "py-spy"):
        raise ToolMissing(f"py-spy is not installed in the {sb.kind} sandbox (pip install py-spy)")
    harness = prepare(sb, config)
    seed = config.seeds[0]
    loops = _profile_loops(harness, workload, config, seed)
    text, took = _record(sb, harness, workload, config, loops, seed)
    more = _more_loops(config, loops, _sample_count(text), took)
    if more:
        with contextlib.suppress(MeasurementError):  # else the first profile stands
            extra, _ = _record(sb, harness, workload, config, more, seed)
            text = text.rstrip("\n") + "\n" + extra
    return parse_collapsed(text, _roots(sb), config.hotspots_top)


def _more_loops(config: MeasureConfig, loops: int, got: int, took: float) -> int:
    """Loops to profile again when `loops` gave fewer than half the samples asked.

    The loops are sized from one run; when that run was slow (a cold start, a busy machine)
    the profile holds far fewer samples than asked, and a few samples of start-up can
    outweigh the program's own (a CI rehearsal profiled 17). The rest is asked for once, for
    at most twice the time asked: a program whose time is not in Python, which py-spy cannot
    sample, would otherwise run again and again."""
    wanted = config.profile_min_s * config.profile_rate
    if not 0 < got < wanted / 2:
        return 0
    more = math.ceil(loops * (wanted - got) / got)
    return max(0, min(more, config.max_loops - loops, int(2 * config.profile_min_s * loops / took)))


def _sample_count(collapsed: str) -> int:
    """Samples in py-spy's raw output (each line: a stack, a space, its count)."""
    total = 0
    for line in collapsed.splitlines():
        _, _, count = line.rpartition(" ")
        if count.isdigit():
            total += int(count)
    return total


def _record(
    sb: Sandbox, harness: Harness, workload: Workload, config: MeasureConfig, loops: int, seed: int
) -> tuple[str, float]:
    """py-spy's raw output over `loops` runs of the workload, and the seconds they took."""
    tag = f"pyspy-{nonce()}"
    flags = [
        "py-spy",
        "record",
        "--format",
        "raw",
        "--function",
        "--full-filenames",
        "--subprocesses",
        "--rate",
        str(config.profile_rate),
        "--output",
    ]
    if workload.kind == "command":
        # One py-spy per run, rooted at the command itself when it is a simple one: short-lived
        # children of a shell are found late and lose most of their samples.
        # py-spy needs a Python root process: a compound command runs under an idle Python
        # parent (idle samples are not recorded) whose children py-spy follows.
        launcher = "import subprocess, sys; sys.exit(subprocess.call(['bash', '-c', sys.argv[1]]))"
        target = (
            workload.spec
            if _simple(workload.spec)
            else shlex.join([harness.python, "-c", launcher, workload.spec])
        )
        out = shlex.quote(harness.scratch_path(tag))
        cmd = (
            f"for _i in $(seq {loops}); do {shlex.join(flags)} {out}-$_i.txt -- {target} "
            ">/dev/null || exit $?; done"
        )
    else:
        inner = harness.command(workload, loops, quiet=True)
        cmd = (
            f"{shlex.join(flags)} {harness.scratch_path(tag)}-1.txt -- bash -c {shlex.quote(inner)}"
        )
    started = time.monotonic()
    run = sb.execute(cmd, timeout=config.timeout_s, env=base_env(config, seed))
    took = max(time.monotonic() - started, 1e-3)
    parts = sorted(harness.sandbox.host_scratch.glob(f"{tag}-*.txt"))
    try:
        text = "".join(p.read_text(errors="replace") for p in parts)
    finally:
        for p in parts:
            p.unlink(missing_ok=True)
    if run.timed_out:
        raise MeasurementError(f"py-spy profile timed out after {config.timeout_s:g} s")
    if not text:
        raise MeasurementError(
            f"py-spy wrote no profile: {run.tail(1) or f'exit {run.returncode}'}"
        )
    return text, took
