"""Code context for prompts: hot functions, callers, callees, imports, within a budget."""

from __future__ import annotations

from agent.llm.context import ContextConfig, SourceIndex, build_context, files_for_plan, fit
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


def test_first_snippet_is_cut_rather_than_dropped() -> None:
    ctx = build_context(PROFILE, SOURCES, ContextConfig(max_tokens=25))
    assert ctx.snippets[0].role == "hot" and "cut to fit the budget" in ctx.snippets[0].text


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


def test_files_for_plan_targets_first_within_budget() -> None:
    big = {"a.py": "x = 1\n" * 2000, "pkg/core.py": CORE, "pkg/app.py": APP}
    shown, left = files_for_plan(big, ("pkg/app.py:run",), "also touch core.py", 1000)
    assert list(shown) == ["pkg/app.py", "pkg/core.py"]
    assert left == ["a.py"]
