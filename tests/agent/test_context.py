"""Code context for prompts: hot functions, callers, callees, imports, within a budget."""

from __future__ import annotations

from agent.llm.context import ContextConfig, SourceIndex, build_context, fit
from agent.llm.windows import coder_context
from agent.protocols import Hotspot, HotspotProfile

CORE = """import re
from collections import Counter


def helper(word):
    return word.lower()


class Index:
    @staticmethod
    def tokenize(line):
        words = re.findall(r"\\w+", line)
        return [helper(w) for w in words]

    def add(self, line):
        return Counter(self.tokenize(line))


def unrelated():
    return 42
"""
APP = "from pkg.core import Index\n\n\ndef run(lines):\n    idx = Index()\n    return [idx.add(l) for l in lines]\n"
SOURCES = {"pkg/core.py": CORE, "pkg/app.py": APP, "README.md": "# readme\n"}
PROFILE = HotspotProfile(
    hotspots=(
        Hotspot("tokenize", "/abs/path/to/repo/pkg/core.py", 12, 0.6, 0.7),
        Hotspot("findall", "/usr/lib/python3.11/re/__init__.py", 216, 0.3, 0.3),
    ),
    samples=100,
)


def test_hot_function_with_imports_callees_and_callers() -> None:
    ctx = build_context(PROFILE, SOURCES)
    roles = [(s.role, s.name) for s in ctx.snippets]
    assert roles[0] == ("hot", "Index.tokenize")
    assert ("imports", "imports") in roles
    assert ("callee", "helper") in roles
    assert ("caller", "Index.add") in roles
    assert all(name != "unrelated" for _, name in roles)
    hot = ctx.snippets[0]
    assert hot.start == 10 and hot.text.startswith("    @staticmethod\n    def tokenize")
    assert "70% of samples, 60% self" in ctx.render()


def test_budget_keeps_the_hottest_and_lists_the_rest() -> None:
    full = build_context(PROFILE, SOURCES)
    budget = full.snippets[0].render().__len__() // 4 + 30
    ctx = build_context(PROFILE, SOURCES, ContextConfig(max_tokens=budget))
    assert ctx.snippets[0].role == "hot" and len(ctx.snippets) < len(full.snippets)
    assert ctx.omitted and ctx.tokens <= budget
    assert "Not shown (budget)" in ctx.render()


def test_a_hot_function_too_large_shows_its_start_up_to_a_statement() -> None:
    """A snippet is bounded by the statements it covers (never a line cut in half), and the
    part not shown is listed as omitted with its lines."""
    body = "".join(f"    total += {i}\n" for i in range(400))
    big = f"def huge(n):\n    total = 0\n{body}    return total\n"
    prof = HotspotProfile(hotspots=(Hotspot("huge", "pkg/big.py", 1, 0.9, 0.9),), samples=10)
    ctx = build_context(prof, {"pkg/big.py": big}, ContextConfig(max_tokens=300))
    [hot] = ctx.snippets
    assert hot.role == "hot" and hot.shown_to < hot.end == 403
    assert hot.text.startswith("def huge(n):\n    total = 0\n")
    assert hot.text.split("\n")[-1] == f"    total += {hot.shown_to - 3}"
    assert f"lines 1-{hot.shown_to} of 1-403" in ctx.render()
    assert ctx.omitted == (f"pkg/big.py:huge (lines {hot.shown_to + 1}-403)",)
    assert ctx.tokens <= 300


def test_imports_at_both_ends_of_a_module_do_not_hide_the_code_between() -> None:
    """Guards the sympy regression: an "imports" snippet spanning lines 1-2133 of a module
    with imports at both ends marked every later snippet of that file as shown, and they were
    neither shown nor listed as omitted."""
    middle = "".join(f"def f{i}(x):\n    return x + {i}\n\n\n" for i in range(500))
    text = f"import os\nimport re\n\n\n{middle}def hot(x):\n    return f1(x)\n\n\nimport sys\n"
    start = text.split("\n").index("def hot(x):") + 1
    prof = HotspotProfile(hotspots=(Hotspot("f1", "m.py", 9, 0.5, 0.9),), samples=10)
    ctx = build_context(prof, {"m.py": text}, ContextConfig(max_tokens=400))
    spans = [(s.role, s.start, s.end) for s in ctx.snippets]
    assert ("imports", 1, 2) in spans
    assert ("imports", start + 4, start + 4) in spans
    assert ("caller", start, start + 1) in spans
    rendered = ctx.render()
    assert "def hot(x):" in rendered


def test_what_does_not_fit_is_listed_with_its_lines() -> None:
    full = build_context(PROFILE, SOURCES)
    budget = full.snippets[0].render().__len__() // 4 + 30
    ctx = build_context(PROFILE, SOURCES, ContextConfig(max_tokens=budget))
    shown = {(s.path, s.name) for s in ctx.snippets}
    for s in full.snippets:
        assert (s.path, s.name) in shown or f"{s.path}:{s.name} (lines {s.start}-{s.end})" in (
            ctx.omitted
        )


def test_without_profile_whole_files_in_given_order() -> None:
    ctx = build_context(HotspotProfile(hotspots=(), samples=0), SOURCES)
    assert [s.path for s in ctx.snippets] == ["pkg/core.py", "pkg/app.py", "README.md"]
    assert all(s.role == "file" for s in ctx.snippets)


def test_hotspot_found_by_name_when_line_is_off() -> None:
    prof = HotspotProfile(hotspots=(Hotspot("helper", "pkg/core.py", 0, 0.5, 0.5),), samples=10)
    assert build_context(prof, SOURCES).snippets[0].name == "helper"


def test_unparsable_file_is_skipped_not_fatal() -> None:
    index = SourceIndex.build({"bad.py": "def (:\n", "pkg/core.py": CORE})
    assert {f.path for f in index.functions} == {"pkg/core.py"}


def test_fit_skips_snippets_inside_kept_ones() -> None:
    ctx = build_context(PROFILE, {"pkg/core.py": CORE})
    again = fit([*ctx.snippets, *ctx.snippets], 10_000)
    assert len(again.snippets) == len(ctx.snippets)


def test_coder_sees_the_plans_files_and_a_map_of_the_rest() -> None:
    big = {"a.py": "x = 1\n" * 2000, "pkg/core.py": CORE, "pkg/app.py": APP}
    ctx = coder_context(big, ("pkg/app.py:run",), "also touch pkg/core.py", 1000, 500, 200)
    assert [p for p, _ in ctx.files] == ["pkg/app.py", "pkg/core.py"]
    assert ctx.repo_map == "a.py (2,000 lines)" and not ctx.windows
