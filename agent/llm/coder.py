"""`LLMCoder`: a plan becomes whole-file edits through SEARCH/REPLACE blocks.

The model gets the plan and the code it is about (`agent.llm.windows`): the plan's files whole
when they are small, else windows around the functions it names, and a map of the other
editable files ranked by the profile the plan carries. It must reply with SEARCH/REPLACE
blocks, each after its file path line::

    pkg/module.py
    ```python
    <<<<<<< SEARCH
    exact lines from the file
    =======
    replacement lines
    >>>>>>> REPLACE
    ```

(see `agent.llm.edits` for the exact grammar and the matching ladder: exact, whitespace-tolerant,
re-indented). Any explanation around the blocks is ignored.

The prompt puts the stable prefix first, for the providers' prompt caches: the system prompt,
the code, then the plan (each marked `cache`, so re-asks read all three from the cache).

When a reply is malformed, a block matches nothing or several places, a block names a file
that is not editable (tests, benchmark files, anything outside the include globs: refused), or
an edited Python file no longer parses, the model is told exactly what failed (with the
closest actual lines of the file) and asked again, at most `max_reasks` times (so
`Edit.attempts` <= 1 + `max_reasks`). A re-ask quotes only what is needed: the failed blocks,
the lines around a format error, the blocks that applied by name; never the whole reply. Blocks
that did apply are kept in a working copy and must not be re-sent. Nothing is returned unless
every block applied: the result is all-or-nothing, as whole new file texts in `Edit.files`
(only changed files); otherwise `Edit.error` says why.

`repair` is the same loop for a candidate that failed a check: the code shown holds the failed
change, and the task quotes the failure and the change's diff.

For a replay script: one reply per attempt, each holding the blocks (a re-ask reply holds only
the blocks that failed, written against the current text).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from agent.exceptions import LoopEnded, ModelAuthError, ModelError
from agent.llm.context import estimate_tokens
from agent.llm.edits import EditBlock, EditFormatError, apply_blocks, parse_blocks, syntax_errors
from agent.llm.index import SourceIndex, changed_definitions
from agent.llm.prompts import render
from agent.llm.repomap import Weights
from agent.llm.windows import coder_context
from agent.protocols import CodeRequest, Edit, Message, Model, Plan, RepairRequest

DIFF_LINES = 150
"""A failed change longer than this is quoted by its start in a repair prompt."""


class CoderConfig(BaseSettings):
    """How the LLM coder edits; overridable as `PERFAGENT_CODER_<FIELD>`."""

    model_config = SettingsConfigDict(env_prefix="PERFAGENT_CODER_", extra="ignore")

    max_reasks: int = Field(default=3, ge=0)
    """Times a failed reply is reported back and asked again."""
    context_tokens: int = Field(default=16000, ge=500)
    """Token budget for the code shown with the plan (whole files, windows and the map)."""
    whole_file_tokens: int = Field(default=4000, ge=100)
    """A plan's file up to this size is shown whole; a larger one as windows around the
    functions the plan names."""
    map_tokens: int = Field(default=1500, ge=0)
    """Token budget for the map of the other editable files (0: no map)."""
    check_syntax: bool = True
    """Re-ask when an edited Python file no longer parses (cheaper than a sandbox run)."""


class LLMCoder:
    """Implements plans with a chat model (see the module docstring for the reply format)."""

    def __init__(self, model: Model, config: CoderConfig | None = None) -> None:
        self.model = model
        self.name = model.name
        self.config = config or CoderConfig()

    def code(self, request: CodeRequest) -> Edit:
        plan = request.plan
        task = render("coder_plan", title=plan.title, text=plan.text, targets=list(plan.targets))
        return self._edit(request.sources, plan, plan.targets, task)

    def repair(self, request: RepairRequest) -> Edit:
        """Fix a candidate that failed a check: the code shown holds its change."""
        plan = request.plan
        changed = changed_definitions(request.diff, SourceIndex.build(request.sources))
        lines = request.diff.splitlines()
        diff = "\n".join(lines[:DIFF_LINES])
        if len(lines) > DIFF_LINES:
            diff += f"\n[{len(lines) - DIFF_LINES} more lines of the diff]"
        task = render(
            "coder_repair",
            title=plan.title,
            text=plan.text,
            failure=request.failure.strip(),
            diff=diff,
        )
        return self._edit(request.sources, plan, (*changed, *plan.targets), task)

    def _prompt(self, sources: Mapping[str, str], plan: Plan, targets: Sequence[str]) -> str:
        cfg = self.config
        ctx = coder_context(
            sources,
            targets,
            f"{plan.title}\n{plan.text}",
            cfg.context_tokens,
            cfg.whole_file_tokens,
            cfg.map_tokens,
            plan_weights(plan),
        )
        return render(
            "coder_files",
            # By path, not by rank: plans that are shown the same files share the cached prefix.
            files=sorted(ctx.files),
            windows=ctx.windows,
            sizes=ctx.sizes,
            repo_map=ctx.repo_map,
            left_out=ctx.left_out,
        )

    def _edit(
        self, sources: Mapping[str, str], plan: Plan, targets: Sequence[str], task: str
    ) -> Edit:
        sources = dict(sources)
        if not sources:
            return Edit(error="no editable files to change")
        asked = [
            Message("system", render("coder_system"), cache=True),
            Message("user", self._prompt(sources, plan, targets), cache=True),
            Message("user", task, cache=True),
        ]
        messages = asked
        working = dict(sources)
        problem = ""
        attempts = 0
        for attempts in range(1, self.config.max_reasks + 2):
            try:
                reply = self.model.query(messages)
            except (LoopEnded, ModelAuthError):
                raise
            except ModelError as exc:
                return Edit(error=f"model failed: {exc}", attempts=attempts)
            feedback, problem, working = self._attempt(reply.content, sources, working)
            if not feedback:
                changed = {p: t for p, t in working.items() if sources.get(p) != t}
                if not changed:
                    return Edit(error="the edit changes nothing", attempts=attempts)
                return Edit(files=changed, attempts=attempts)
            messages = [*asked, Message("user", feedback)]
        return Edit(error=f"edit failed after {attempts} attempts: {problem}", attempts=attempts)

    def _attempt(
        self, reply: str, sources: Mapping[str, str], working: dict[str, str]
    ) -> tuple[str, str, dict[str, str]]:
        """(feedback for the model or "" when done, one-line problem, new working copy)."""
        try:
            blocks = parse_blocks(reply)
        except EditFormatError as exc:
            feedback = render("coder_retry", format_error=str(exc), excerpt=around(reply, str(exc)))
            return feedback, f"malformed reply: {exc}", working
        result = apply_blocks(blocks, working, original=sources)
        working = result.texts
        syntax = syntax_errors(result.changed(sources)) if self.config.check_syntax else []
        if result.ok and not syntax:
            return "", "", working
        refused = [f for f in result.failures if f.kind == "refused"]
        if refused:
            problem = f"edit refused: {refused[0].reason}"
        elif result.failures:
            f = result.failures[0]
            problem = f"block {f.index + 1} ({f.block.path}): {f.reason}"
        else:
            problem = "edited code does not parse: " + syntax[0].splitlines()[0]
        # The model saw the original files; show the current text of files it already changed
        # and must now patch again, while that stays within half the budget.
        touched = {f.block.path for f in result.failures} | {
            s.split(" line ", 1)[0] for s in syntax
        }
        current = []
        budget = self.config.context_tokens // 2
        for path in sorted(touched):
            if path in working and working[path] != sources.get(path):
                cost = estimate_tokens(working[path])
                if cost <= budget:
                    current.append((path, working[path]))
                    budget -= cost
        feedback = render(
            "coder_retry",
            format_error="",
            failures=[f.report() for f in result.failures],
            applied=[describe(blocks[i]) for i, _ in result.applied],
            syntax=syntax,
            current=current,
        )
        return feedback, problem, working


def plan_weights(plan: Plan) -> Weights:
    """The profile shares a planner put in the plan (`data["hot"]`), for ranking the map."""
    files: dict[str, float] = {}
    defs: dict[tuple[str, str], float] = {}
    for item in plan.data.get("hot") or []:
        if not isinstance(item, dict) or not isinstance(item.get("path"), str):
            continue
        path, share = item["path"], float(item.get("share") or 0.0)
        files[path] = max(files.get(path, 0.0), share)
        if item.get("function"):
            defs[(path, str(item["function"]))] = share
    return Weights(files, defs)


def around(reply: str, error: str, context: int = 3) -> str:
    """The reply's lines near the line an error names (or its first lines)."""
    lines = reply.splitlines()
    found = re.search(r"line (\d+)", error)
    at = int(found.group(1)) - 1 if found else 0
    lo, hi = max(0, at - context), min(len(lines), at + context + 1)
    return "\n".join(f"{k + 1:>4} | {lines[k][:200]}" for k in range(lo, hi))


def describe(block: EditBlock) -> str:
    """A block named in a line: its file and its SEARCH section's first line."""
    first = next((x.strip() for x in block.search.splitlines() if x.strip()), "")
    return f"{block.path}: the block starting `{first[:80]}`"
