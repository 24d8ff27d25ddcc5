"""The offline `rules` engine: deterministic, semantics-preserving rewrites of hot functions.

`--model rules` (the default without an API key) plans and codes with `RulesEngine`; see
`catalogue.py` for the rewrites and each rule's docstring for its exact precondition.
"""

from agent.engines.rules.catalogue import CATALOGUE
from agent.engines.rules.engine import RulesConfig, RulesEngine
from agent.engines.rules.steps import Step, StepFailed, run_step

__all__ = ["CATALOGUE", "RulesConfig", "RulesEngine", "Step", "StepFailed", "run_step"]
