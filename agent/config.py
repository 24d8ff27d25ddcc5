"""Run configuration: one documented field per knob, overridable as PERFAGENT_<FIELD>."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class RunConfig(BaseSettings):
    """How one optimize run searches. CLI flags override environment, which overrides these."""

    model_config = SettingsConfigDict(env_prefix="PERFAGENT_", extra="ignore")

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
    """Wall-clock seconds for the whole run at most (0 = no limit)."""
    patience: int = Field(default=5, ge=0)
    """Converged when this many evaluated candidates in a row added nothing to the Pareto
    front (0 = never stop for that)."""
    build_on_front: bool = True
    """Later rounds build on a parent drawn from the improving candidates (weighted towards
    the front, away from parents with many children) instead of always on the base."""
    recursion_limit: int = Field(default=400, ge=10)
    """LangGraph super-steps at most; a guard against a routing bug looping forever."""
