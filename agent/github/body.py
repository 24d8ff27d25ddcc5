"""The pull request's title and body: the plan, the evidence table, how it was measured and
how to reproduce it. Only numbers the store holds are printed; a missing one reads "—"."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable
from typing import Any

from agent.github.evidence import Evidence
from agent.views.checks import check_rows
from agent.views.workloads import markdown_table
from sandbox.secrets import redact

MARKER = "<!-- perfagent:run={run} candidate={cand} -->"
DASH = "—"


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """Remove secret-looking environment values and the given secrets from text."""
    return redact(text, secrets)


def fmt_seconds(value: float | None) -> str:
    if value is None:
        return DASH
    if value >= 1:
        return f"{value:.3g} s"
    if value >= 1e-3:
        return f"{value * 1e3:.3g} ms"
    return f"{value * 1e6:.3g} µs"


def fmt_bytes(value: float | None) -> str:
    if value is None:
        return DASH
    for unit, size in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if value >= size:
            return f"{value / size:.3g} {unit}"
    return f"{value:.0f} B"


def fmt_ratio(value: float | None) -> str:
    return DASH if value is None else f"{value:.3f}"


def fmt_p(value: float | None) -> str:
    if value is None:
        return DASH
    return f"{value:.2g}" if value >= 1e-3 else f"{value:.1e}"


def fmt_count(value: float | None) -> str:
    return DASH if value is None else f"{int(value):,}"


def gain_words(ratio: float) -> str:
    if ratio < 1:
        return f"{1 - ratio:.0%} less time (×{1 / ratio:.2f} speed-up)"
    return f"{ratio - 1:.0%} more time"


def quiet(text: str) -> str:
    """Model-written text without live @mentions (a PR must not page people)."""
    return re.sub(r"@(?=[A-Za-z0-9])", "@\u200b", text)


def pr_title(ev: Evidence) -> str:
    title = quiet(re.sub(r"\s+", " ", ev.plan_title).strip())
    if len(title) > 60:
        title = title[:57].rstrip() + "..."
    return f"perf: {title} (runtime ×{ev.runtime['ratio']:.2f})"


def _runtime_row(label: str, rt: dict[str, Any], samples: str) -> str:
    ci = (
        f"{rt['ci_low']:.3f} – {rt['ci_high']:.3f}"
        if rt.get("ci_low") is not None and rt.get("ci_high") is not None
        else DASH
    )
    return (
        f"| {label} | {fmt_seconds(rt.get('base_median_s'))} | "
        f"{fmt_seconds(rt.get('head_median_s'))} | **{fmt_ratio(rt.get('ratio'))}** | {ci} | "
        f"{fmt_p(rt.get('p_value'))} | {samples} |"
    )


def evidence_table(ev: Evidence) -> str:
    rt = ev.runtime
    pairs = rt.get("n_pairs")
    rows = [
        "| metric | base | patched | ratio (patched / base) | 95 % CI of ratio | p-value | samples |",
        "|---|---|---|---|---|---|---|",
        _runtime_row(
            "wall time, re-measured from scratch",
            rt,
            f"{pairs} interleaved pairs" if pairs else DASH,
        ),
    ]
    if ev.search_runtime:
        srt = ev.search_runtime
        spairs = srt.get("n_pairs")
        rows.append(
            _runtime_row(
                "wall time, during the search",
                srt,
                f"{spairs} interleaved pairs" if spairs else DASH,
            )
        )
    generalization = _generalization_row(ev)
    if generalization:
        rows.append(generalization)
    if ev.instructions:
        ins = ev.instructions
        seeds = ins.get("seeds")
        rows.append(
            f"| CPU instructions (valgrind) | {fmt_count(ins.get('base'))} | "
            f"{fmt_count(ins.get('head'))} | **{fmt_ratio(ins.get('ratio'))}** | "
            f"{DASH} (exact count) | {DASH} (deterministic) | "
            f"{f'{seeds} hash seed(s)' if seeds else 'one count per side'} |"
        )
    else:
        rows.append(
            f"| CPU instructions (valgrind) | {DASH} | {DASH} | {DASH} | {DASH} | {DASH} | "
            "not measured |"
        )
    if ev.memory:
        mem = ev.memory
        rows.append(
            f"| peak memory (RSS) | {fmt_bytes(mem.get('base_bytes'))} | "
            f"{fmt_bytes(mem.get('head_bytes'))} | **{fmt_ratio(mem.get('ratio'))}** | "
            f"{DASH} (one value) | {DASH} | one value per side |"
        )
    else:
        rows.append(
            f"| peak memory (RSS) | {DASH} | {DASH} | {DASH} | {DASH} | {DASH} | not measured |"
        )
    return "\n".join(rows)


def environment_lines(ev: Evidence) -> list[str]:
    env = ev.environment
    lines = [f"- **Sandbox:** `{ev.sandbox}`"]
    pairs = ev.runtime.get("n_pairs")
    lines.append(
        f"- **Wall time:** {pairs or DASH} interleaved base/patched pairs, each sample a fresh "
        "process, warm-up discarded; ratio of medians with a 95 % bootstrap CI and a one-sided "
        "Mann–Whitney U p-value. The winner of the search was re-measured from scratch before "
        "this PR (the first table row)."
    )
    if env:
        machine = ", ".join(
            part
            for part in (
                f"Python {env['python']}" if env.get("python") else "",
                str(env.get("platform") or ""),
                f"{env.get('cpu_model') or 'CPU'} ({env.get('cpu_count', '?')} cores)",
                f"load {env['load_avg_1m']:.2f}" if env.get("load_avg_1m") is not None else "",
                f"PYTHONHASHSEED={env['hash_seed']}" if env.get("hash_seed") is not None else "",
            )
            if part
        )
        lines.append(f"- **Machine:** {machine}")
    lines.append(f"- **Base commit:** `{ev.base_commit}`")
    lines.append(f"- **Workload:** `{ev.bench}`" if ev.bench else "- **Workload:** (task default)")
    found_by = f"- **Found by:** `{ev.model}`, {ev.candidates_evaluated} candidate(s) evaluated"
    if ev.llm_calls:
        found_by += f", {ev.llm_calls} model call(s), ${ev.llm_cost_usd:.2f}"
    lines.append(found_by)
    return lines


def reproduce_block(ev: Evidence, branch: str | None) -> str:
    where = shlex.quote(ev.subdir) if ev.subdir else "."
    # Without a bench command, measure takes the suites of the task's [tool.perfagent].
    bench = ["--bench", shlex.quote(ev.bench or "CMD")] if ev.bench or not ev.workloads else []
    measure = [
        "perfagent",
        "measure",
        where,
        *bench,
        "--base",
        ev.base_commit,
        "--patch",
        "perfagent.patch",
    ]
    if ev.test:
        measure += ["--test", shlex.quote(ev.test)]
    fetch = (
        [
            f"git fetch origin {shlex.quote(branch)}",
            f"git diff {ev.base_commit} FETCH_HEAD > perfagent.patch",
        ]
        if branch
        else ["# save the patch below as perfagent.patch"]
    )
    lines = ["```sh", *fetch, " ".join(measure), "```"]
    return "\n".join(lines)


def tests_lines(ev: Evidence) -> list[str]:
    if ev.test:
        lines = [f"- `{ev.test}`: **passed** on the patched tree (and on the base)."]
    else:
        lines = ["- No test command was configured: no tests were run."]
    if ev.equivalent is True:
        lines.append("- Workload output: **equivalent** to the base's.")
    elif ev.equivalent is False:
        lines.append("- Workload output: differs from the base's.")
    else:
        lines.append("- Workload output: not compared (the workload has no equivalence check).")
    if ev.tests_flaky:
        lines.append(f"- Note: the base's tests were flaky: {ev.tests_flaky}.")
    return lines


def checks_lines(ev: Evidence) -> list[str]:
    """One line per check of the candidate: outcome and reason, and the figure behind it."""
    lines = []
    for row in check_rows({"checks": list(ev.checks)}):
        more = f" ({row['detail']})" if row["detail"] else ""
        lines.append(f"- **{row['name']}**: {row['outcome']}: {quiet(row['reason'])}{quiet(more)}")
    return lines or ["- No check outcomes were recorded for this candidate."]


def _generalization_row(ev: Evidence) -> str | None:
    found = next((c for c in ev.checks if c.get("name") == "generalization"), None)
    gen = (found or {}).get("evidence") or {}
    if "ratio" not in gen:
        return None
    ci = f"{gen['ci_low']:.3f} – {gen['ci_high']:.3f}" if gen.get("ci_low") is not None else DASH
    return (
        f"| changed functions on nearby inputs | {DASH} | {DASH} | **{fmt_ratio(gen['ratio'])}** | "
        f"{ci} | {fmt_p(gen.get('p_value'))} | {gen.get('n_pairs', DASH)} interleaved pairs |"
    )


def workloads_section(ev: Evidence) -> list[str]:
    """The per-workload table (re-measured from scratch), when the run measured several."""
    if not ev.workloads:
        return []
    held = sum(w.get("role") == "holdout" for w in ev.workloads)
    note = (
        "Every workload measured for this patch, re-measured from scratch: targets must be "
        "faster, and no workload may be significantly slower beyond the tolerance."
    )
    if held:
        note += (
            f" {held} held-out workload(s) (role `holdout`) were never shown to the model; "
            "the patch is not slower on them."
        )
    return ["### Every workload", markdown_table(ev.workloads), note]


def pr_body(ev: Evidence, branch: str | None, secrets: Iterable[str] = ()) -> str:
    """Markdown body of the pull request for `ev`, pushed as `branch` (None: the patch is
    shown with the body instead, as in a comment)."""
    rt = ev.runtime
    plan = quiet(ev.plan_text.strip() or ev.plan_title)
    what = f"The workload `{ev.bench}`" if ev.bench else "The most improved benchmark"
    headline = (
        f"{what} takes {gain_words(rt['ratio'])}: median runtime ratio "
        f"**{rt['ratio']:.3f}** (95 % CI {rt['ci_low']:.3f} – {rt['ci_high']:.3f}, "
        f"p = {fmt_p(rt.get('p_value'))})" + (", with the tests passing." if ev.test else ".")
    )
    parts = [
        MARKER.format(run=ev.run_id, cand=ev.candidate_id),
        f"## {quiet(ev.plan_title)}",
        headline,
        "### Plan",
        plan,
        "### Evidence",
        evidence_table(ev),
        "Ratios below 1 mean the patched code uses less. A wall-time result counts as faster "
        "only with p < 0.01, a median ratio ≤ 0.97 and a CI that excludes 1.",
        *workloads_section(ev),
        "### Tests",
        "\n".join(tests_lines(ev)),
        "### Checks",
        "\n".join(checks_lines(ev)),
        "### How and where it was measured",
        "\n".join(environment_lines(ev)),
        "### Reproduce",
        reproduce_block(ev, branch),
        f"<sub>perfagent run `{ev.run_id}`, candidate {ev.candidate_id}. Review the diff as you "
        "would any contributor's: the measurements say it is faster on this workload, not that "
        "it is what you want.</sub>",
    ]
    return scrub("\n\n".join(parts) + "\n", secrets)


def commit_message(ev: Evidence) -> str:
    rt = ev.runtime
    return (
        f"perf: {quiet(ev.plan_title)}\n\n"
        f"Runtime ratio {rt['ratio']:.3f} (95% CI {rt['ci_low']:.3f}-{rt['ci_high']:.3f}, "
        f"p={fmt_p(rt.get('p_value'))}, {rt.get('n_pairs')} pairs); tests pass.\n"
        f"perfagent run {ev.run_id}, candidate {ev.candidate_id}.\n"
    )
