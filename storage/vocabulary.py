"""The words the store keeps for candidates, plans and runs: defined here once, imported everywhere.

Statuses are `StrEnum`s, so a value read back from the database compares equal to its member
and serializes as the plain string users see in `show --json`, reports and pull requests.
A candidate's status tells where it is in the loop and, once evaluated, why it was kept or
dropped. The four wall-time verdicts (`profilers.verdicts.Verdict`) are statuses with the
same spelling: `Status(verdict)` is the status a fresh verdict gives.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """Where a candidate is, and what its evaluation said."""

    CODED = "coded"
    """An edit exists and waits to be evaluated."""
    EVALUATING = "evaluating"
    REVIEWING = "reviewing"
    """Faster, and every automatic check passed; the reviewing model has not answered yet
    (the loop measures on meanwhile). Never on the front nor a parent until it answers."""
    ACCEPTED = "accepted"
    """Faster, and confirmed by a re-measurement from scratch."""
    FASTER = "faster"
    """Faster in evaluation; not yet confirmed."""
    DOMINATED = "dominated"
    """Faster than the base but clearly slower than a faster candidate already checked: its
    trust checks wait, so it is never on the front, a parent or accepted; it is checked in
    full only if nothing that outran it is left when the run finishes."""
    UNCONFIRMED = "unconfirmed"
    """Faster at first; the re-measurement did not confirm it (or could not run)."""
    SAME = "same"
    """Every check passed; not measurably faster."""
    SLOWER = "slower"
    TESTS_FAILED = "tests-failed"
    BROKEN = "broken"
    """Outputs or captured behaviour differ from the base, or the workload fails on it."""
    OVERFIT = "overfit"
    """Faster on the workload, not on perturbed inputs or held-out workloads."""
    STATEFUL = "stateful"
    """Wrote outside its work tree or kept state between runs (a cache across samples)."""
    INPUT_SPECIFIC = "input-specific"
    """Special-cases the benchmark's inputs (literals from its files, tables of answers)."""
    EDIT_FAILED = "edit-failed"
    """The plan's edit could not be made or applied."""
    ERROR = "error"
    """The sandbox or a measuring tool failed: says nothing about the candidate."""
    DUPLICATE = "duplicate"
    """The same change as an earlier candidate."""


WAITING = frozenset({Status.CODED, Status.EVALUATING})
"""Coded and paid for, not yet judged."""
IMPROVING = frozenset({Status.ACCEPTED, Status.FASTER})
"""Measured faster than the base: the only statuses that can join the Pareto front."""
FASTER_THAN_BASE = frozenset({*IMPROVING, Status.DOMINATED})
"""Measured faster than the base (a dominated one only waits for its trust checks)."""
SOUND = frozenset({*IMPROVING, Status.UNCONFIRMED, Status.SAME, Status.SLOWER})
"""Every correctness and anti-gaming check passed."""
PARENTS = frozenset(SOUND - {Status.SLOWER})
"""Worth building on: sound, and not measured slower (a parent's loss is carried into every
child; a rewrite measured slower is not proposed again in combinations)."""
REJECTED_BY_CHECKS = frozenset(
    {Status.TESTS_FAILED, Status.BROKEN, Status.OVERFIT, Status.STATEFUL, Status.INPUT_SPECIFIC}
)
"""A check failed: the change is wrong or games the measurement; never tried again."""
EVALUATED = frozenset({*SOUND, *REJECTED_BY_CHECKS, Status.ERROR, Status.DOMINATED})
"""Went through evaluation (whatever it said)."""
SPENT = frozenset({*EVALUATED, Status.EDIT_FAILED, Status.REVIEWING})
"""Count against the candidate budget."""
DEAD_ENDS = frozenset({*REJECTED_BY_CHECKS, Status.EDIT_FAILED, Status.ERROR, Status.DUPLICATE})
"""A plan that produced one of these is not planned again."""
NOT_FASTER = frozenset({Status.SAME, Status.SLOWER, Status.UNCONFIRMED})
"""Sound but no measured gain: a rewrite a combination should leave out."""


class PlanStatus(StrEnum):
    PENDING = "pending"
    CODED = "coded"
    SKIPPED = "skipped"


class RunStatus(StrEnum):
    RUNNING = "running"
    FINISHED = "finished"
    """Ended with an accepted candidate."""
    NO_IMPROVEMENT = "no-improvement"
    INTERRUPTED = "interrupted"
    FAILED = "failed"


ENDED = frozenset({RunStatus.FINISHED, RunStatus.NO_IMPROVEMENT})
"""Runs that ended on their own; `resume` refuses them."""
