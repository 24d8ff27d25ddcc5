"""What perfagent learns about an OpenAI-compatible server, once per server per process.

- Context window: the `context_window` setting, else asked of the server: llama.cpp's `/props`
  (`default_generation_settings.n_ctx`, the window it really runs), the `/v1/models` entry
  (`max_model_len` on vLLM, `context_length` or `context_window` elsewhere), ollama's
  `/api/show` (`num_ctx` in its parameters, else `<arch>.context_length`), and last the
  trained length llama.cpp lists in `/v1/models` (`meta.n_ctx_train`). Unknown: no fitting.
- Slots: the `slots` setting, else llama.cpp's `/props` `total_slots`. A server with N slots
  gets at most N requests at once from this process: more would queue behind each other
  inside the server, where a client timeout cannot see them.
- Structured output: the first structured request says whether `response_format` works
  (`OpenAICompatibleModel`); the answer is kept here so other models on the server reuse it.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

PROBE_TIMEOUT_S = 10.0


@dataclass
class ServerInfo:
    """What one server (one base URL) told us."""

    windows: dict[str, int | None] = field(default_factory=dict)
    """Context window per model name (None: the server does not say)."""
    slots: int | None = None
    props_read: bool = False
    structured: bool | None = None
    """Whether `response_format` works (None: not tried yet)."""
    gate: threading.BoundedSemaphore | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


_SERVERS: dict[str, ServerInfo] = {}
_SERVERS_LOCK = threading.Lock()


def server_info(base_url: str) -> ServerInfo:
    """The shared record for a base URL (made on first use)."""
    key = base_url.rstrip("/")
    with _SERVERS_LOCK:
        return _SERVERS.setdefault(key, ServerInfo())


def forget_servers() -> None:
    """Drop everything learned (tests start each server afresh)."""
    with _SERVERS_LOCK:
        _SERVERS.clear()


def server_root(base_url: str) -> str:
    """`http://host:8080/v1` -> `http://host:8080` (where `/props` and `/api/show` live)."""
    root = base_url.rstrip("/")
    return root[: -len("/v1")] if root.endswith("/v1") else root


def _get_json(client: httpx.Client, method: str, url: str, **kw: Any) -> Any:
    """The JSON a probe returns, or None on any failure (a server need not answer probes)."""
    try:
        resp = client.request(method, url, **kw)
        if resp.status_code != 200:
            return None
        return resp.json()
    except (httpx.HTTPError, ValueError):
        return None


def _positive(value: Any) -> int | None:
    try:
        n = int(value)
    except (TypeError, ValueError):
        return None
    return n if n > 0 else None


def props_facts(data: Any) -> tuple[int | None, int | None]:
    """(context window, slots) from a llama.cpp `/props` answer."""
    if not isinstance(data, dict):
        return None, None
    settings = data.get("default_generation_settings")
    n_ctx = settings.get("n_ctx") if isinstance(settings, dict) else None
    return _positive(n_ctx or data.get("n_ctx")), _positive(data.get("total_slots"))


def models_window(data: Any, model: str, trained: bool = False) -> int | None:
    """The window a `/v1/models` answer gives for `model` (or for its only entry); with
    `trained`, llama.cpp's training length is accepted too."""
    entries = data.get("data") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return None
    mine = [e for e in entries if isinstance(e, dict) and e.get("id") == model]
    if not mine and len(entries) == 1 and isinstance(entries[0], dict):
        mine = entries
    for entry in mine:
        for key in ("max_model_len", "context_length", "context_window", "max_context_length"):
            if _positive(entry.get(key)):
                return _positive(entry.get(key))
        meta = entry.get("meta")
        if trained and isinstance(meta, dict) and _positive(meta.get("n_ctx_train")):
            return _positive(meta.get("n_ctx_train"))
    return None


def ollama_window(data: Any) -> int | None:
    """The window an ollama `/api/show` answer gives: `num_ctx` when the model sets one,
    else the architecture's `context_length`."""
    if not isinstance(data, dict):
        return None
    params = data.get("parameters")
    if isinstance(params, str):
        for line in params.splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[0] == "num_ctx" and _positive(parts[1]):
                return _positive(parts[1])
    info = data.get("model_info")
    if isinstance(info, dict):
        for key, value in info.items():
            if key.endswith(".context_length") and _positive(value):
                return _positive(value)
    return None


def probe_server(
    base_url: str, model: str, headers: Mapping[str, str]
) -> tuple[int | None, int | None]:
    """(context window, slots) asked of the server; either may be None."""
    root = server_root(base_url)
    with httpx.Client(headers=dict(headers), timeout=PROBE_TIMEOUT_S) as client:
        window, slots = props_facts(_get_json(client, "GET", f"{root}/props"))
        if window:
            return window, slots
        listed = _get_json(client, "GET", f"{base_url.rstrip('/')}/models")
        window = models_window(listed, model)
        if window:
            return window, slots
        shown = _get_json(client, "POST", f"{root}/api/show", json={"model": model})
        window = ollama_window(shown) or models_window(listed, model, trained=True)
        return window, slots


def learn(
    base_url: str,
    model: str,
    headers: Mapping[str, str],
    window: int | None,
    slots: int | None,
) -> tuple[int | None, int | None]:
    """(context window, slots) for `model` on the server: settings first, else what the
    server says (asked once per server and model; remembered for the process)."""
    info = server_info(base_url)
    with info.lock:
        if (window is None and model not in info.windows) or (
            slots is None and not info.props_read
        ):
            found_window, found_slots = probe_server(base_url, model, headers)
            info.windows.setdefault(model, found_window)
            info.slots = info.slots or found_slots
            info.props_read = True
        slots = slots or info.slots
        if slots is not None and info.gate is None:
            info.gate = threading.BoundedSemaphore(slots)
        return window or info.windows.get(model), slots
