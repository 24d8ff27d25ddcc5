"""A step: one rewrite applied to one function, recorded so `code` can replay it exactly."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from agent.engines.rules.catalogue import BY_ID
from agent.engines.rules.project import Project, project_for
from agent.engines.rules.rewrite import Site, apply_change, function_context


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

    @property
    def key(self) -> tuple[str, str, str]:
        """What the step is, wherever its sites are: (rule, file, function)."""
        return self.rule, self.file, self.function


class StepFailed(Exception):
    """A step's precondition does not hold (any more) or its output does not compile."""


def run_step(
    texts: dict[str, str], step: Step, *, verify: bool, project: Project | None = None
) -> tuple[Step, str]:
    """Apply `step` to `texts` (in place); returns the step with its sites and a description.

    With `verify`, the sites found must be exactly the recorded ones.
    """
    try:
        return _run(texts, step, verify, project)
    except _Stale:  # it also changes a module an earlier step rewrote: read them all again
        try:
            return _run(texts, step, verify, project_for(texts))
        except _Stale as exc:
            raise StepFailed(f"{step.rule} cannot change {exc}, which does not parse") from exc


class _Stale(Exception):
    pass


def _run(
    texts: dict[str, str], step: Step, verify: bool, project: Project | None
) -> tuple[Step, str]:
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
        change = rule.change(ctx, sites)
        new_texts = {step.file: apply_change(ctx.module, change).code}
        for path, other in change.elsewhere.items():
            module = ctx.project.modules.get(path)
            if module is None or texts.get(path) != ctx.project.sources.get(path):
                raise _Stale(path)
            new_texts[path] = apply_change(module, other).code
        for path, new in new_texts.items():
            compile(new, path, "exec")
    except (SyntaxError, ValueError) as exc:
        raise StepFailed(f"{step.rule} cannot be applied in {step.file}: {exc}") from exc
    texts.update(new_texts)
    return Step(step.rule, step.file, step.function, positions), rule.describe(sites)
