"""`RulesEngine`: the offline planner and coder used when no model is configured.

Plans come from the catalogue's preconditions evaluated in the functions the profile shows
hot; each plan records the exact steps (rule, file, function, site positions) so `code`
replays them deterministically and refuses when the code no longer matches.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from agent.engines.rules.catalogue import BY_ID, CATALOGUE, IMPACT
from agent.engines.rules.project import Project, project_for
from agent.engines.rules.rewrite import (
    Rule,
    Site,
    apply_change,
    function_context,
    iter_functions,
    match_function,
    parse,
)
from agent.exceptions import BadInput
from agent.protocols import CodeRequest, Edit, Plan, PlanRequest
from storage.vocabulary import REJECTED_BY_CHECKS, Status

FAILED_STATUSES = REJECTED_BY_CHECKS | {Status.EDIT_FAILED, Status.SLOWER}
"""Outcomes after which a single rewrite is left out of later combined plans."""

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


@dataclass(frozen=True)
class RulesConfig:
    """How the rules engine picks functions and rewrites."""

    min_share: float = 0.05
    """A function is hot when at least this fraction of samples has it on the stack."""
    combine_top: int = 4
    """How many of the hottest functions the cross-function combined plan spans."""
    rules: tuple[str, ...] = tuple(rule.id for rule in CATALOGUE)
    """Rule ids the engine may use (all by default)."""


@dataclass(frozen=True)
class Step:
    """One rewrite applied to one function."""

    rule: str
    file: str
    function: str
    sites: tuple[tuple[int, int], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "file": self.file,
            "function": self.function,
            "sites": [list(s) for s in self.sites],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Step:
        return cls(
            str(data["rule"]),
            str(data["file"]),
            str(data["function"]),
            tuple((int(s[0]), int(s[1])) for s in data.get("sites", ())),
        )


@dataclass
class _Hot:
    file: str
    function: str
    share: float | None
    """Fraction of samples with the function on the stack; None without a profile."""
    self_share: float | None = None
    steps: list[tuple[Step, str]] = field(default_factory=list)
    """Applicable single rewrites and their plain-words description."""


class StepFailed(Exception):
    """A step's precondition does not hold (any more) or its output does not compile."""


def run_step(
    texts: dict[str, str], step: Step, *, verify: bool, project: Project | None = None
) -> tuple[Step, str]:
    """Apply `step` to `texts` (in place); returns the step with its sites and a description.

    With `verify`, the sites found must be exactly the recorded ones.
    """
    rule = BY_ID.get(step.rule)
    if rule is None:
        raise StepFailed(f"unknown rule {step.rule!r}")
    text = texts.get(step.file)
    if text is None:
        raise StepFailed(f"{step.file} is not among the editable files")
    try:
        ctx = function_context(step.file, text, step.function, project)
    except Exception as exc:  # libcst parse errors carry multi-line messages
        raise StepFailed(f"{step.file} does not parse: {str(exc).splitlines()[0]}") from exc
    if ctx is None:
        raise StepFailed(f"function {step.function} not found in {step.file}")
    sites: list[Site] = rule.find(ctx)
    positions = tuple((s.line, s.column) for s in sites)
    if not sites or (verify and positions != step.sites):
        raise StepFailed(
            f"the precondition of {step.rule} no longer holds in {step.file}:{step.function}"
        )
    try:
        new_text = apply_change(ctx.module, rule.change(ctx, sites)).code
        compile(new_text, step.file, "exec")
    except (SyntaxError, ValueError) as exc:
        raise StepFailed(f"{step.rule} cannot be applied in {step.file}: {exc}") from exc
    texts[step.file] = new_text
    return Step(step.rule, step.file, step.function, positions), rule.describe(sites)


def _share_words(hot: _Hot) -> str:
    if hot.share is None:
        return "no profile was available, so this is a static finding"
    words = f"{round(hot.share * 100)} % of samples"
    if hot.self_share is not None and hot.self_share < hot.share * 0.9:
        words += f" ({round(hot.self_share * 100)} % in its own code)"
    return words


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
        banned = self._failed_steps(request, hot)
        plans = self._plans(request.sources, hot, banned, project)
        tried = {o.plan_title for o in request.history}
        fresh = [p for p in plans if p.title not in tried]
        return fresh[: max(request.n_plans, 0)]

    def _hot_functions(self, request: PlanRequest) -> list[_Hot]:
        sources = request.sources
        out: dict[tuple[str, str], _Hot] = {}
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
                out[key] = _Hot(path, qual, spot.total_share, spot.self_share)
        if not out and not request.profile.hotspots and request.profile.samples == 0:
            for path, text in sources.items():  # no profile at all: a static pass
                if not path.endswith(".py") or _is_test_file(path):
                    continue
                try:
                    module = parse(path, text).module
                except Exception:
                    continue
                for qual, _fn in iter_functions(module):
                    out.setdefault((path, qual), _Hot(path, qual, None))
        return list(out.values())

    def _applicable(
        self, sources: Mapping[str, str], hot: _Hot, project: Project
    ) -> list[tuple[Step, str]]:
        found = []
        for rule in self.rules:
            texts = {hot.file: sources[hot.file]}
            try:
                step = Step(rule.id, hot.file, hot.function)
                found.append(run_step(texts, step, verify=False, project=project))
            except StepFailed:
                continue
            except Exception:  # a rule bug must never cost the run; the rule just abstains
                continue
        return found

    def _failed_steps(self, request: PlanRequest, hot: list[_Hot]) -> set[tuple[str, str, str]]:
        failed = {o.plan_title for o in request.history if o.status in FAILED_STATUSES}
        out = set()
        for h in hot:
            for step, _ in h.steps:
                if _single_title(step) in failed:
                    out.add((step.rule, step.file, step.function))
        return out

    def _combine(
        self,
        sources: Mapping[str, str],
        hots: Sequence[_Hot],
        banned: set[tuple[str, str, str]],
        project: Project,
    ) -> tuple[list[Step], list[tuple[_Hot, str]]]:
        """Apply every applicable rewrite of `hots` in catalogue order, keeping those that still
        apply after the earlier ones; returns the steps and their descriptions."""
        texts = dict(sources)
        steps: list[Step] = []
        words: list[tuple[_Hot, str]] = []
        for h in hots:
            for rule in self.rules:
                if (rule.id, h.file, h.function) in banned:
                    continue
                if not any(s.rule == rule.id for s, _ in h.steps):
                    continue
                trial = dict(texts)
                try:
                    step, desc = run_step(
                        trial, Step(rule.id, h.file, h.function), verify=False, project=project
                    )
                except Exception:
                    continue
                texts = trial
                steps.append(step)
                words.append((h, desc))
        return steps, words

    def _plans(
        self,
        sources: Mapping[str, str],
        hot: list[_Hot],
        banned: set[tuple[str, str, str]],
        project: Project,
    ) -> list[Plan]:
        with_steps = [h for h in hot if h.steps]
        plans: list[Plan] = []
        top = with_steps[: self.config.combine_top]
        if len(top) >= 2:
            steps, words = self._combine(sources, top, banned, project)
            if len({(s.file, s.function) for s in steps}) >= 2:
                names = ", ".join(f"{h.file}:{h.function}" for h in top)
                plans.append(
                    self._plan(
                        f"rules: all rewrites in the {len(top)} hottest functions ({names})",
                        steps,
                        words,
                        share=top[0].share,
                    )
                )
        for h in with_steps:
            if len(h.steps) < 2:
                continue
            steps, words = self._combine(sources, [h], banned, project)
            if len(steps) >= 2:
                ids = ", ".join(s.rule for s in steps)
                plans.append(
                    self._plan(f"rules: {ids} in {h.file}:{h.function}", steps, words, h.share)
                )
        singles: list[tuple[float, int, Plan]] = []
        for order, h in enumerate(with_steps):
            for step, desc in h.steps:
                weight = (h.share if h.share is not None else 0.5) * IMPACT.get(step.rule, 1)
                plan = self._plan(_single_title(step), [step], [(h, desc)], h.share)
                singles.append((-weight, order, plan))
        plans.extend(p for _, _, p in sorted(singles, key=lambda t: (t[0], t[1])))
        seen: set[str] = set()
        unique = []
        for p in plans:
            if p.title not in seen:
                seen.add(p.title)
                unique.append(p)
        return unique

    def _plan(
        self,
        title: str,
        steps: Sequence[Step],
        words: Sequence[tuple[_Hot, str]],
        share: float | None,
    ) -> Plan:
        lines = [f"{desc} in `{h.file}:{h.function}`; {_share_words(h)}." for h, desc in words]
        text = lines[0] if len(lines) == 1 else "\n".join(f"- {line}" for line in lines)
        targets = tuple(dict.fromkeys(f"{s.file}:{s.function}" for s in steps))
        return Plan(
            title=title,
            text=text,
            source="rules",
            targets=targets,
            data={
                "engine": "rules",
                "rules": list(dict.fromkeys(s.rule for s in steps)),
                "steps": [s.to_json() for s in steps],
                "share": share,
            },
        )

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


def _single_title(step: Step) -> str:
    return f"rules: {step.rule} in {step.file}:{step.function}"


def _is_test_file(path: str) -> bool:
    return any(fnmatch.fnmatch(path, g) for g in _TEST_GLOBS)
