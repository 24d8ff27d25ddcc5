"""`RulesEngine`: the offline planner and coder used when no model is configured.

Plans come from the catalogue's preconditions evaluated in the functions the profile shows
hot; each plan records the exact steps (rule, file, function, site positions) so `code`
replays them deterministically and refuses when the code no longer matches.
"""

from __future__ import annotations

import fnmatch
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from agent.engines.rules.catalogue import BY_ID, CATALOGUE
from agent.engines.rules.project import Project, project_for
from agent.engines.rules.rewrite import Rule, iter_functions, match_function, parse
from agent.engines.rules.search import FAILED_STATUSES, Hot, Search
from agent.engines.rules.steps import Step, StepFailed, run_step
from agent.exceptions import BadInput
from agent.protocols import CodeRequest, Edit, HotspotProfile, Plan, PlanRequest

_TEST_GLOBS = (
    "tests/*",
    "*/tests/*",
    "test/*",
    "*/test/*",
    "test_*.py",
    "*/test_*.py",
    "*_test.py",
    "conftest.py",
    "*/conftest.py",
)

__all__ = ["FAILED_STATUSES", "RulesConfig", "RulesEngine", "Step", "StepFailed", "run_step"]


@dataclass(frozen=True)
class RulesConfig:
    """How the rules engine picks functions and rewrites."""

    min_share: float = 0.05
    """A function is hot when at least this fraction of samples has it on the stack."""
    combine_top: int = 4
    """How many of the hottest functions the cross-function combined plan spans."""
    rules: tuple[str, ...] = tuple(rule.id for rule in CATALOGUE)
    """Rule ids the engine may use (all by default)."""


class RulesEngine:
    """Plans and codes catalogue rewrites in the profile's hot functions, without any model."""

    name = "rules"

    def __init__(self, config: RulesConfig | None = None) -> None:
        self.config = config or RulesConfig()
        self.rules: tuple[Rule, ...] = tuple(r for r in CATALOGUE if r.id in self.config.rules)

    @classmethod
    def from_name(cls, arg: str) -> RulesEngine:
        """`rules` (every rule) or `rules:ID,ID` (only those rules)."""
        if not arg.strip():
            return cls()
        ids = tuple(i.strip() for i in arg.split(",") if i.strip())
        unknown = [i for i in ids if i not in BY_ID]
        if unknown:
            raise BadInput(
                f"unknown rule(s) {', '.join(unknown)}; known: {', '.join(sorted(BY_ID))}"
            )
        return cls(RulesConfig(rules=ids))

    # --- planning -----------------------------------------------------------------------

    def plan(self, request: PlanRequest) -> list[Plan]:
        hot = self._hot_functions(request)
        project = project_for(request.sources)
        for h in hot:
            h.steps = self._applicable(request.sources, h, project)
        search = Search(self.rules, request.sources, hot, project, self.config.combine_top)
        return search.plans(request.history)[: max(request.n_plans, 0)]

    def _hot_functions(self, request: PlanRequest) -> list[Hot]:
        sources = request.sources
        out: dict[tuple[str, str], Hot] = {}
        spots = sorted(request.profile.hotspots, key=lambda h: -h.total_share)
        for spot in spots:
            path = _source_path(spot.file, sources)
            if spot.total_share < self.config.min_share or path is None:
                continue
            if _is_test_file(path) or not path.endswith(".py"):
                continue
            qual = match_function(sources[path], spot.function, spot.line)
            if qual is None:
                continue
            key = (path, qual)
            if key not in out:
                out[key] = Hot(path, qual, spot.total_share, spot.self_share)
        for spot in spots:  # the callers on a hot function's heaviest path
            if spot.total_share < self.config.min_share:
                continue
            for caller in self._callers(spot.path[:-1], sources):
                if caller not in out:
                    out[caller] = Hot(*caller, spot.total_share, None, caller=True)
        for caller, share in self._inclusive(request.profile, sources).items():
            if share >= self.config.min_share and caller not in out:
                out[caller] = Hot(*caller, share, None, caller=True)
        if not out and not request.profile.hotspots and request.profile.samples == 0:
            for path, text in sources.items():  # no profile at all: a static pass
                if not path.endswith(".py") or _is_test_file(path):
                    continue
                try:
                    module = parse(path, text).module
                except Exception:
                    continue
                for qual, _fn in iter_functions(module):
                    out.setdefault((path, qual), Hot(path, qual, None))
        return sorted(out.values(), key=lambda h: -(h.share or 0.0))

    @classmethod
    def _inclusive(
        cls, profile: HotspotProfile, sources: Mapping[str, str]
    ) -> dict[tuple[str, str], float]:
        """Every editable function's share of the samples with it on the stack, from the
        profile's stacks. A caller whose calls spread over several callees, or whose callee is
        hot through another caller (`qualify_all` calling `tier_on` once per customer, where
        `tier_on` is hottest below another report), is on no hotspot's heaviest path, yet a
        repeated call is in it."""
        if profile.samples <= 0 or not profile.collapsed:
            return {}
        known: dict[str, list[tuple[str, str]]] = {}
        counts: Counter[tuple[str, str]] = Counter()
        for line in profile.collapsed.splitlines():
            stack, _, count = line.rstrip().rpartition(" ")
            if not stack or not (count.isascii() and count.isdigit()):
                continue
            seen: set[tuple[str, str]] = set()
            for frame in stack.split(";"):
                if frame not in known:
                    known[frame] = cls._callers((frame,), sources)
                seen.update(known[frame])
            for caller in seen:
                counts[caller] += int(count)
        return {caller: n / profile.samples for caller, n in counts.items()}

    @staticmethod
    def _callers(path: tuple[str, ...], sources: Mapping[str, str]) -> list[tuple[str, str]]:
        """The editable functions among a hot function's callers (frames "f (file:line)").

        A caller whose time is all in one callee is left out of the profile's hotspots (a pass
        through), yet that is where a call repeated with the same arguments in a loop is, so
        it is as hot as the callee: at least the callee's inclusive share is below it."""
        found = []
        for frame in path:
            name, _, where = frame.rpartition(" (")
            file, _, line = where.rstrip(")").rpartition(":")
            src = _source_path(file, sources)
            if not name or src is None or _is_test_file(src) or not src.endswith(".py"):
                continue
            if not (line.isascii() and line.isdigit()) or "<" in name:
                continue
            qual = match_function(sources[src], name, int(line))
            if qual is not None:
                found.append((src, qual))
        return found

    def _applicable(
        self, sources: Mapping[str, str], hot: Hot, project: Project
    ) -> list[tuple[Step, str]]:
        found = []
        for rule in self.rules:
            texts = dict(sources)  # a rewrite may add to the module of a callee too
            try:
                step = Step(rule.id, hot.file, hot.function)
                found.append(run_step(texts, step, verify=False, project=project))
            except StepFailed:
                continue
            except Exception:  # a rule bug must never cost the run; the rule just abstains
                continue
        return found

    # --- coding -------------------------------------------------------------------------

    def code(self, request: CodeRequest) -> Edit:
        raw = request.plan.data.get("steps") if request.plan.data else None
        if not raw:
            return Edit(
                error="the plan has no rules steps (it was not written by the rules engine)"
            )
        try:
            steps = [Step.from_json(s) for s in raw]
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            return Edit(error=f"malformed rules plan data: {exc}")
        texts = dict(request.sources)
        project = project_for(request.sources)
        for step in steps:
            if step.rule not in {r.id for r in self.rules}:
                return Edit(error=f"rule {step.rule} is not enabled in this engine")
            try:
                run_step(texts, step, verify=True, project=project)
                project = project_for(texts)  # as the plan read it (see Search)
            except StepFailed as exc:
                return Edit(error=str(exc))
            except Exception as exc:  # a rule bug becomes a failed edit, never a crash
                return Edit(error=f"{step.rule} failed in {step.file}: {type(exc).__name__}: {exc}")
        changed = {p: t for p, t in texts.items() if t != request.sources.get(p)}
        for path, text in changed.items():
            try:
                compile(text, path, "exec")
            except SyntaxError as exc:  # belt and braces: never hand back unparsable code
                return Edit(error=f"rewritten {path} does not compile: {exc}")
        if not changed:
            return Edit(error="the rewrites change nothing")
        return Edit(files=changed)


def _source_path(file: str, sources: Mapping[str, str]) -> str | None:
    """The editable file a profiler path names: exact, else the one source whose path ends
    with it or that it ends with (profilers report paths relative to whatever the
    interpreter's working directory or sys.path entry was)."""
    if file in sources:
        return file
    norm = file.replace("\\", "/").lstrip("./")
    if "/site-packages/" in norm or "/lib/python" in norm or norm.startswith("<"):
        return None  # the interpreter's or a dependency's code, never the target's
    matches = [
        p
        for p in sources
        if p.endswith("/" + norm) or norm.endswith("/" + p) or (norm and p == norm)
    ]
    return matches[0] if len(matches) == 1 else None


def _is_test_file(path: str) -> bool:
    return any(fnmatch.fnmatch(path, g) for g in _TEST_GLOBS)
