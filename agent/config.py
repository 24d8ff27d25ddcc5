"""Run configuration: every setting of a run, resolved in one place and kept in the store.

Precedence, highest first: command-line flags, the environment (`PERFAGENT_<FIELD>`), the
task's `[tool.perfagent]` table, the defaults below. A bad value from any source is bad input
(exit 2) naming where it came from, found before a run is created.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from agent.exceptions import BadInput

SandboxKind = Literal["auto", "docker", "local"]


class RunConfig(BaseSettings):
    """How one optimize run searches."""

    model_config = SettingsConfigDict(env_prefix="PERFAGENT_", extra="ignore")

    model: str | None = None
    """`--model`; None picks from the API keys present (`agent.wiring.default_model_name`)."""
    sandbox: SandboxKind = "auto"
    """Where candidates run; `auto` is Docker when an engine answers, else local."""
    budget: int = Field(default=6, ge=1)
    """Candidates to evaluate at most (edits that fail to apply count too)."""
    plans_per_round: int = Field(default=4, ge=1)
    """Plans asked of the planner each round."""
    max_rounds: int = Field(default=4, ge=1)
    """Planning rounds at most; each feeds every earlier outcome back to the planner."""
    confirm_top: int = Field(default=2, ge=1)
    """How many of the best "faster" candidates are re-measured from scratch, best first,
    until one is confirmed (selection bias: the winner of many comparisons is re-checked)."""
    max_llm_calls: int = Field(default=60, ge=0)
    """Model calls at most (0 = no limit)."""
    max_cost_usd: float = Field(default=5.0, ge=0)
    """Model spend at most, in US dollars (0 = no limit)."""
    max_wall_s: float = Field(default=3600.0, ge=0)
    """Wall-clock seconds for the whole run at most, over every resume (0 = no limit)."""
    patience: int = Field(default=5, ge=0)
    """Converged when this many evaluated candidates in a row added nothing to the Pareto
    front (0 = never stop for that)."""
    repair_attempts: int = Field(default=1, ge=0)
    """Times a candidate that failed its tests or changed the workload's behaviour goes back to
    the coder with the failure (each repair is a child of the candidate it fixes; 0 = never)."""
    build_on_front: bool = True
    """Later rounds build on a parent drawn from the improving candidates (weighted towards
    the front, away from parents with many children) instead of always on the base."""
    llm: dict[str, Any] = Field(default_factory=dict)
    """Provider settings of a model run (`agent.models.settings.ModelSettings`) as resolved
    when the run started; extra headers are left out (they may carry credentials)."""
    instructions: Literal["auto", "always", "never"] = "auto"
    """Valgrind instruction counts: `auto` counts a candidate once its wall time says faster
    and it enters the Pareto front; `always` counts every candidate whose tests pass, before
    timing it; `never` counts none (`profilers.config.MeasureConfig.instructions`)."""
    lookahead: int | None = Field(default=None, ge=0, le=1)
    """1: model calls run beside the measurement (the next plan coded, the next round planned,
    a faster candidate reviewed while its checks run; measurement stays one at a time); 0:
    every step in turn; unset: 1 for a model that computes elsewhere, 0 for one
    served on this machine (a loopback URL). Engines and scripted replies always run in turn
    (`agent.loop.ahead`)."""
    opening: bool = True
    """With model calls beside the measurement (`lookahead` 1), the first candidates come
    from plans written from the profile (speed up the hottest functions, together and, with
    room in the budget, each alone), measured while the planner's first round is still
    thinking; false: the first candidate waits for that round (`agent.loop.opening`)."""
    recursion_limit: int = Field(default=400, ge=10)
    """Loop steps at most; a guard against a routing bug looping forever."""


class PlainConfig(RunConfig):
    """The same fields from given values only: no environment read."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


RUN_KEYS = frozenset(RunConfig.model_fields)
"""Keys of `[tool.perfagent]` that configure the run rather than the task."""


def _first_error(exc: ValidationError, source: str) -> BadInput:
    err = exc.errors()[0]
    key = ".".join(str(p) for p in err["loc"]) or "?"
    where = {"env": f"PERFAGENT_{key.upper()}", "table": f"[tool.perfagent] {key}"}.get(
        source, f"--{key.replace('_', '-')}"
    )
    return BadInput(f"{where}: {err['msg']} (got {err.get('input')!r})")


def resolve_config(
    flags: Mapping[str, Any] | None = None, table: Mapping[str, Any] | None = None
) -> RunConfig:
    """Flags (None = not given) over the environment over `table` over the defaults."""
    values = {k: v for k, v in (table or {}).items() if k in RUN_KEYS}
    try:
        PlainConfig(**values)
    except ValidationError as exc:
        raise _first_error(exc, "table") from None
    try:
        env = RunConfig()
    except ValidationError as exc:
        raise _first_error(exc, "env") from None
    values.update({k: getattr(env, k) for k in env.model_fields_set})
    given = {k: v for k, v in (flags or {}).items() if v is not None}
    try:
        return PlainConfig(**{**values, **given})
    except ValidationError as exc:
        raise _first_error(exc, "flag") from None


def stored_config(data: Mapping[str, Any]) -> RunConfig:
    """A run's configuration exactly as the store kept it (no environment applied)."""
    return PlainConfig(**{k: v for k, v in data.items() if k in RUN_KEYS})
