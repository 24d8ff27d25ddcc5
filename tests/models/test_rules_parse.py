"""No rewrite ever emits code that does not parse: every rule, alone and chained in catalogue
order, on every function of the dev projects of the measurement corpus (the held-out ones
are never read here: they measure code the rules were not written against)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agent.engines.rules import CATALOGUE, Step, StepFailed, run_step
from agent.engines.rules.project import project_for
from agent.engines.rules.rewrite import iter_functions, parse

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "benchmarks" / "rules_corpus"


def dev_projects() -> list[Path]:
    split = CORPUS / "split.json"
    if not split.exists():
        return []
    return [CORPUS / "projects" / name for name in json.loads(split.read_text())["dev"]]


def sources_of(project: Path) -> dict[str, str]:
    return {
        p.relative_to(project).as_posix(): p.read_text()
        for p in sorted(project.rglob("*.py"))
        if "withheld" not in p.parts and "__pycache__" not in p.parts
    }


@pytest.mark.slow
@pytest.mark.parametrize("project", dev_projects(), ids=lambda p: p.name)
def test_every_rewrite_of_a_dev_project_parses(project: Path) -> None:
    sources = sources_of(project)
    repo = project_for(sources)
    for path, text in sources.items():
        for qual, _ in iter_functions(parse(path, text).module):
            chained = dict(sources)
            for rule in CATALOGUE:
                # While no earlier rule has changed anything, the chained run is the run alone.
                # The chain keeps the original sources' facts: more states than combined plans
                # reach (they read each step's own), at a fraction of the cost.
                runs = [chained] if chained == sources else [dict(sources), chained]
                for texts in runs:
                    try:
                        run_step(texts, Step(rule.id, path, qual), verify=False, project=repo)
                    except StepFailed:
                        continue
                    compile(texts[path], f"{project.name}/{path}:{qual}:{rule.id}", "exec")
