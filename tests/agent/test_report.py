"""The HTML report: plain verdicts, escaped hostile text, no scripts or network, renders in Chromium."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from agent.exceptions import BadInput
from agent.views.plot import nice_ticks
from agent.views.report import render_report, write_report
from storage import Store, sqlite_url

HOSTILE_TITLE = '<img src=x onerror="document.body.dataset.pwned=1">Inline the loop'
HOSTILE_PLAN = "Speed up parsing.</pre><script>document.body.dataset.pwned=2</script>"
HOSTILE_DIFF = (
    "--- a/pkg/mod.py\n+++ b/pkg/mod.py\n@@ -1,2 +1,2 @@\n"
    "-x = 1\n+x = '</span></pre></details><script>document.body.dataset.pwned=3</script>'\n"
    '+<a href="https://evil.example/">click</a> <iframe src="https://evil.example/">\n'
)
GOOD_DIFF = (
    "diff --git a/pkg/mod.py b/pkg/mod.py\n--- a/pkg/mod.py\n+++ b/pkg/mod.py\n"
    "@@ -10,7 +10,5 @@ def slow_sum(values):\n"
    "-    total = 0\n-    for v in values:\n-        total += v\n-    return total\n"
    "+    return sum(values)\n \n \n def mean(values):\n"
)
COLLAPSED = "\n".join(
    [
        "<module> (bench.py:1);main (bench.py:12);slow_sum (pkg/mod.py:10) 260",
        "<module> (bench.py:1);main (bench.py:12);mean (pkg/mod.py:18);slow_sum (pkg/mod.py:10) 120",
        "<module> (bench.py:1);main (bench.py:12);load (pkg/io.py:4);json.loads (json/__init__.py:346) 70",
        "<module> (bench.py:1);main (bench.py:12);load (pkg/io.py:4);read_text (pathlib.py:1058) 20",
        "<module> (bench.py:1);setup (bench.py:5) 10",
        "garbage line without a count",
    ]
)


def new_run(store: Store) -> str:
    return store.create_run(
        repo="/home/dev/inventory",
        base_commit="3f2a9c1d0e8b7a6f5e4d3c2b1a09f8e7d6c5b4a3",
        task={"bench": "python bench.py"},
        model="anthropic:claude-sonnet",
        sandbox="docker",
    ).id


def plan(store: Store, run_id: str, title: str, text: str) -> int:
    [pid] = store.add_plans(run_id, 1, [{"title": title, "text": text, "source": "test"}])
    return pid


def populated_store(tmp_path: Path) -> tuple[Store, str]:
    """A finished run with a baseline, plans, candidates of every status, trials, LLM calls,
    events and a collapsed-stacks profile, built only through Store methods."""
    store = Store(sqlite_url(tmp_path / "report.db"))
    run_id = new_run(store)
    store.update_run(
        run_id,
        baseline={
            "wall_s": 0.412,
            "peak_rss_bytes": 48 * 2**20,
            "instructions": 2_345_678_901,
            "tests_flaky": False,
            "profile_samples": 480,
            "hotspots": [
                {
                    "function": "slow_sum",
                    "file": "pkg/mod.py",
                    "line": 10,
                    "self_share": 0.79,
                    "total_share": 0.79,
                },
                {
                    "function": "load",
                    "file": "pkg/io.py",
                    "line": 4,
                    "self_share": 0.02,
                    "total_share": 0.19,
                },
            ],
        },
    )
    store.add_trials(run_id, None, "baseline", "walltime_s", "base", [0.41, 0.412, 0.43])
    store.add_artifact(run_id, "baseline-profile", COLLAPSED)
    specs: list[tuple[str, str, str, dict[str, Any]]] = [
        (
            "Use the built-in sum",
            "Replace the manual loop in slow_sum with sum().",
            "accepted",
            dict(
                runtime_ratio=0.62,
                ci_low=0.60,
                ci_high=0.64,
                p_value=0.00004,
                instructions_ratio=0.58,
                memory_ratio=1.0,
                on_front=True,
                confirmation={"ratio": 0.63, "ci_low": 0.61, "ci_high": 0.65, "p_value": 0.0001},
                measurement={"runtime": {"base_median_s": 0.405}, "instructions": {"base": 7}},
            ),
        ),
        (
            "Cache parsed records",
            "Memoize load() on the file's mtime.",
            "accepted",
            dict(
                runtime_ratio=0.81,
                ci_low=0.78,
                ci_high=0.84,
                p_value=0.0008,
                instructions_ratio=0.41,
                memory_ratio=1.12,
                on_front=True,
                confirmation={"ratio": 0.80, "ci_low": 0.77, "ci_high": 0.83, "p_value": 0.001},
            ),
        ),
        (
            "Vectorize mean",
            "Compute mean from the running sum.",
            "unconfirmed",
            dict(
                runtime_ratio=0.88,
                ci_low=0.83,
                ci_high=0.94,
                p_value=0.004,
                instructions_ratio=0.9,
                memory_ratio=1.0,
                reason="re-measurement said same",
            ),
        ),
        (
            "Avoid attribute lookups",
            "Bind values.append to a local.",
            "same",
            dict(
                runtime_ratio=0.99,
                ci_low=0.95,
                ci_high=1.03,
                p_value=0.41,
                instructions_ratio=0.99,
                memory_ratio=1.0,
                reason="not faster (p = 0.41)",
            ),
        ),
        (
            HOSTILE_TITLE,
            HOSTILE_PLAN,
            "same",
            dict(
                runtime_ratio=1.04,
                ci_low=0.99,
                ci_high=1.09,
                p_value=0.93,
                instructions_ratio=1.02,
                memory_ratio=1.0,
                diff=HOSTILE_DIFF,
            ),
        ),
        (
            "Drop the sort",
            "The sort looks unnecessary.",
            "broken",
            dict(tests_passed=False, equivalent=False, reason="tests failed: test_order"),
        ),
        (
            "Rewrite in C",
            "Port slow_sum to a C extension.",
            "edit-failed",
            dict(
                diff="",
                tests_passed=None,
                equivalent=None,
                reason="SEARCH block not found in pkg/mod.py",
            ),
        ),
        (
            "Use the built-in sum again",
            "Same as #1.",
            "duplicate",
            dict(tests_passed=None, equivalent=None, reason="same diff as candidate 1"),
        ),
    ]
    for title, text, status, fields in specs:
        fields = {"diff": GOOD_DIFF, "tests_passed": True, "equivalent": True, **fields}
        cid = store.add_candidate(
            run_id,
            plan_id=plan(store, run_id, title, text),
            status=status,
            diff_hash=f"h{title}",
            verdict={"accepted": "faster"}.get(status, ""),
            **fields,
        )
        if fields.get("runtime_ratio") is not None:
            r = fields["runtime_ratio"]
            store.add_trials(run_id, cid, "evaluate", "walltime_s", "base", [0.41] * 10)
            store.add_trials(run_id, cid, "evaluate", "walltime_s", "head", [0.41 * r] * 10)
    for purpose in ("plan", "code", "code"):
        store.add_llm_call(
            run_id,
            model="claude",
            purpose=purpose,
            response="ok",
            input_tokens=1200,
            output_tokens=300,
            cost_usd=0.0081,
        )
    store.log(run_id, "stop", "budget spent", reason="budget")
    first = store.candidates(run_id)[0].id
    store.update_run(
        run_id, status="finished", best_candidate_id=first, reason="budget: 8 candidates evaluated"
    )
    return store, run_id


class Tags(HTMLParser):
    """Every start tag with its attributes, and the page's visible text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(page: str) -> Tags:
    tags = Tags()
    tags.feed(page)
    return tags


def test_model_text_is_escaped_and_the_page_runs_nothing(tmp_path: Path) -> None:
    """Guards against a model's plan or diff injecting markup or script into the report."""
    store, run_id = populated_store(tmp_path)
    page = render_report(store, run_id)
    tags = parse(page)
    names = {t for t, _ in tags.tags}
    assert not names & {"script", "iframe", "img", "object", "embed", "a", "link", "base"}
    attrs = [(k, v or "") for _, a in tags.tags for k, v in a]
    assert not [k for k, _ in attrs if k.startswith("on")]
    assert not [v for k, v in attrs if k in ("src", "href") or "http" in v or "url(" in v]
    text = "".join(tags.text)
    assert HOSTILE_TITLE in text and HOSTILE_PLAN in text
    assert "document.body.dataset.pwned=3</script>" in text
    assert "Content-Security-Policy" in page and "default-src 'none'" in page


def test_a_found_improvement_is_stated_with_its_confirmed_ratio(tmp_path: Path) -> None:
    store, run_id = populated_store(tmp_path)
    text = "".join(parse(render_report(store, run_id)).text)
    assert "Found a faster version: candidate #1 “Use the built-in sum” runs in 0.630×" in text
    assert "95 % CI 0.610–0.650" in text and "confirmed by a fresh re-measurement" in text
    assert "budget: 8 candidates evaluated" in text
    assert "412.0 ms" in text and "2 345 678 901" in text and "48.0 MiB" in text
    assert "405.0 ms median over 1 evaluation" in " ".join(text.split())


def test_baseline_figures_fall_back_to_the_paired_measurements(tmp_path: Path) -> None:
    store = Store(sqlite_url(tmp_path / "r.db"))
    run_id = new_run(store)
    store.add_candidate(
        run_id,
        status="same",
        runtime_ratio=1.0,
        measurement={"instructions": {"base": 1234567}, "peak_memory": {"base_bytes": 2**20}},
    )
    text = " ".join("".join(parse(render_report(store, run_id)).text).split())
    assert "1 234 567" in text and "1.0 MiB" in text and "not checked yet" in text


def test_a_run_that_found_nothing_says_so_plainly(tmp_path: Path) -> None:
    """Guards against a report that reads like a success when no candidate was faster."""
    store = Store(sqlite_url(tmp_path / "r.db"))
    run_id = new_run(store)
    cid = store.add_candidate(
        run_id,
        plan_id=plan(store, run_id, "t", "p"),
        status="same",
        diff=GOOD_DIFF,
        runtime_ratio=1.0,
        ci_low=0.97,
        ci_high=1.03,
    )
    store.update_run(run_id, status="no-improvement", reason="converged: 3 planning rounds")
    page = render_report(store, run_id)
    text = " ".join("".join(parse(page).text).split())
    assert "Nothing was found: 1 candidate evaluated, none measurably faster" in text
    assert "There is no patch to apply." in text and "Found a faster" not in text
    assert "No profile was recorded for the baseline." in text
    assert f'id="pt-{cid}"' in page and "Pareto front (none)" in text


def test_a_running_run_highlights_only_a_provisional_front(tmp_path: Path) -> None:
    store = Store(sqlite_url(tmp_path / "r.db"))
    run_id = new_run(store)
    fast = store.add_candidate(
        run_id,
        status="faster",
        runtime_ratio=0.7,
        ci_low=0.65,
        ci_high=0.75,
        instructions_ratio=0.7,
    )
    slow = store.add_candidate(
        run_id,
        status="faster",
        runtime_ratio=0.9,
        ci_low=0.85,
        ci_high=0.95,
        instructions_ratio=0.9,
    )
    page = render_report(store, run_id)
    assert f'class="cand front" id="pt-{fast}"' in page
    assert f'class="cand" id="pt-{slow}"' in page
    assert "provisional front (not re-measured yet)" in page
    assert "This run is still in progress" in page


def test_points_sit_left_of_the_baseline_when_faster(tmp_path: Path) -> None:
    store, run_id = populated_store(tmp_path)
    page = render_report(store, run_id)
    base_x = float(re.search(r'<line class="ref" x1="([\d.]+)"', page).group(1))  # type: ignore[union-attr]
    xs = {int(i): float(x) for i, x in re.findall(r'id="pt-(\d+)">.*?cx="([\d.]+)"', page, re.S)}
    cands = {c.id: c for c in store.candidates(run_id)}
    assert len(xs) == 5  # the broken, edit-failed and duplicate ones have no runtime
    for cid, x in xs.items():
        ratio = cands[cid].confirmation.get("ratio", cands[cid].runtime_ratio)
        assert ratio is not None and (x < base_x) == (ratio < 1)


def test_secrets_never_reach_the_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Guards against an API key echoed into a diff or plan ending up in a shared HTML file."""
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-test-0123456789")
    store = Store(sqlite_url(tmp_path / "r.db"))
    run_id = new_run(store)
    store.add_candidate(
        run_id,
        plan_id=plan(store, run_id, "t", "key sk-ant-test-0123456789"),
        status="same",
        diff="+KEY = 'sk-ant-test-0123456789'\n",
    )
    assert "sk-ant-test-0123456789" not in render_report(store, run_id)


def test_unknown_run_and_unwritable_path_are_bad_input(tmp_path: Path) -> None:
    store, run_id = populated_store(tmp_path)
    with pytest.raises(BadInput, match="no run 'nope'"):
        write_report(store, "nope", tmp_path / "r.html")
    (tmp_path / "file").write_text("")
    with pytest.raises(BadInput, match="cannot write the report"):
        write_report(store, run_id, tmp_path / "file" / "r.html")


def test_nice_ticks_cover_the_range_with_round_steps() -> None:
    assert nice_ticks(0.55, 1.1) == [0.6, 0.7, 0.8, 0.9, 1.0, 1.1]
    assert nice_ticks(0.0, 2.0, 5) == [0.0, 0.5, 1.0, 1.5, 2.0]


# headless Chromium -----------------------------------------------------------------------------
def chromium() -> str:
    found = next(
        (p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p),
        None,
    )
    if found is None:
        reason = "Chromium is not installed (apt-get install -y chromium)"
        if os.environ.get("PERFAGENT_CI") == "1":
            pytest.fail(f"{reason}; it is required in CI")
        pytest.skip(f"SKIPPED LOUDLY: {reason}")
    return found


def run_chromium(exe: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
    ]
    return subprocess.run(
        [exe, *flags, *args], capture_output=True, text=True, timeout=120, check=False
    )


def png_info(path: Path) -> tuple[int, int, int]:
    """(width, height, distinct byte values in the decoded pixel rows) of a PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    pos, idat = 8, b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        if data[pos + 4 : pos + 8] == b"IDAT":
            idat += data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    return width, height, len(set(zlib.decompress(idat)))


@pytest.mark.slow
def test_the_report_renders_in_headless_chromium(tmp_path: Path) -> None:
    """Guards against a report that is valid text but does not render: plot, table and
    flame graph must reach the DOM, no injected script may run, the screenshot is not blank."""
    exe = chromium()
    store, run_id = populated_store(tmp_path)
    html_path = tmp_path / "out" / "report.html"
    write_report(store, run_id, html_path)
    shot = tmp_path / "report.png"
    res = run_chromium(
        exe,
        tmp_path / "profile1",
        f"--screenshot={shot}",
        "--window-size=1200,2000",
        html_path.as_uri(),
    )
    assert shot.exists(), res.stderr[-2000:]
    width, height, distinct = png_info(shot)
    assert (width, height) == (1200, 2000)
    assert shot.stat().st_size > 30_000 and distinct > 50
    dom = run_chromium(exe, tmp_path / "profile2", "--dump-dom", html_path.as_uri()).stdout
    assert '<svg id="pareto-plot"' in dom and '<table id="candidate-table">' in dom
    assert dom.count('class="cand front"') == 2 and '<svg class="flamegraph"' in dom
    assert dom.count("<tr") >= 9 and "&lt;module&gt; (bench.py:1)" in dom
    assert "data-pwned" not in dom.split("<body", 1)[1].split(">", 1)[0]
    assert "<script" not in dom.lower()
