"""Errors that end a command or the loop, each with the reason users see.

PerfagentError
├── BadInput            exit 2: the user asked for something that cannot be done
├── BaselineBroken      exit 3: tests or workload fail before any edit
├── ModelError          the model provider failed in a way retries cannot fix
│   └── ModelAuthError  bad or missing key (never retried)
└── LoopEnded           the search stops, cleanly, with a reason
    ├── BudgetExhausted calls, dollars, wall time or candidates spent
    ├── Converged       nothing left worth trying
    ├── PlannerFailed   the planner's model failed round after round
    └── Aborted         stopped from outside (signal, user)
"""

from __future__ import annotations


class PerfagentError(Exception):
    exit_code = 2


class BadInput(PerfagentError):
    exit_code = 2


class BaselineBroken(PerfagentError):
    exit_code = 3


class ModelError(PerfagentError):
    exit_code = 2


class ModelAuthError(ModelError):
    pass


class LoopEnded(PerfagentError):
    exit_code = 0
    reason = "ended"


class BudgetExhausted(LoopEnded):
    reason = "budget"


class Converged(LoopEnded):
    reason = "converged"


class PlannerFailed(LoopEnded):
    reason = "planner-failed"


class Aborted(LoopEnded):
    reason = "aborted"
