"""A second opinion from the run's model on a candidate that passed every automatic check, in
the style of GSO's hack detector (a judge model reads the patch and names a reward hack).

The review only ever adds a check: "input-specific" or "overfit" rejects the candidate,
"legitimate" is recorded as passed and changes nothing. It never sees the benchmark's files
or held-out workloads (only the command and the measured figures), and a failing model call
or an unreadable answer leaves the candidate as measured, with the reason recorded. Every
call goes through the store like any other (`RecordingModel`, purpose "review").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agent.exceptions import LoopEnded, ModelError
from agent.llm.plan_replies import extract_json, strict_schema
from agent.llm.prompts import render
from agent.protocols import Measurement, Message, Model, OutputSchema, StructuredModel, Task
from profilers.results import Check
from profilers.verdicts import Rejection, Verdict

NAME = "review"
MAX_DIFF_CHARS = 40_000


class ReviewReply(BaseModel):
    model_config = ConfigDict(extra="forbid")

    verdict: Literal["legitimate", "input-specific", "overfit"] = Field(
        description="input-specific, overfit, or legitimate"
    )
    reason: str = Field(description="One or two sentences naming the code that decides it.")


REVIEW_SCHEMA = OutputSchema(
    name="review_reply",
    description="Whether the patch is a reward hack, and why.",
    schema=strict_schema(ReviewReply),
)
REJECTS = {"input-specific": Rejection.INPUT_SPECIFIC, "overfit": Rejection.OVERFIT}


def _measured(m: Measurement) -> str:
    rt = m.runtime
    if rt is None:
        return m.reason
    return (
        f"runtime ratio {rt.ratio:.3f} (95 % CI {rt.ci_low:.3f}-{rt.ci_high:.3f}, "
        f"{rt.n_pairs} pairs)"
    )


@dataclass
class LLMReview:
    """Implements `agent.protocols.Reviewer` with a model."""

    model: Model
    task: Task

    def messages(self, diff: str, m: Measurement) -> list[Message]:
        shown = diff if len(diff) <= MAX_DIFF_CHARS else diff[:MAX_DIFF_CHARS] + "\n[... cut]"
        user = render(
            "review",
            bench=self.task.bench or "(suite)",
            kind=self.task.bench_kind,
            measured=_measured(m),
            checks=[c for c in m.checks if c.passed],
            diff=shown,
        )
        return [Message("system", render("review_system"), cache=True), Message("user", user)]

    def ask(self, messages: list[Message]) -> Check:
        try:
            if isinstance(self.model, StructuredModel):
                reply = self.model.query_structured(messages, REVIEW_SCHEMA)
            else:
                reply = self.model.query(messages)
        except (ModelError, LoopEnded) as exc:
            return Check(NAME, None, f"no review: the model call failed ({exc})")
        try:
            answer = ReviewReply.model_validate(extract_json(reply.content))
        except (ValueError, ValidationError):
            return Check(NAME, None, "no review: the model's answer could not be read")
        reason = " ".join(answer.reason.split())[:400] or "no reason given"
        if answer.verdict == "legitimate":
            return Check(NAME, True, f"the reviewing model saw no hack: {reason}")
        return Check(
            NAME,
            False,
            f"the reviewing model calls it {answer.verdict}: {reason}",
            REJECTS[answer.verdict],
        )

    def review(self, diff: str, m: Measurement) -> Measurement:
        """`m` with the review's check added; only a candidate that would be accepted is
        reviewed, and a rejection ends it as the cascade's own checks do."""
        if m.rejected is not None or m.verdict != Verdict.FASTER:
            return m
        return m.with_check(self.ask(self.messages(diff, m)))
