"""`perfagent doctor`: what this machine can do, checked for real."""

from __future__ import annotations

import os
import shutil
import subprocess

from agent.wiring import default_model_name


def _run(*cmd: str) -> tuple[bool, str]:
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, str(exc)
    out = (proc.stdout or proc.stderr).strip().splitlines()
    return proc.returncode == 0, out[0] if out else f"exit {proc.returncode}"


def checks() -> dict[str, tuple[bool, str]]:
    results: dict[str, tuple[bool, str]] = {}
    try:
        import docker

        client = docker.from_env(timeout=5)
        client.ping()
        results["docker"] = (True, f"engine {client.version().get('Version', '?')}")
    except Exception as exc:  # any failure to reach an engine means no Docker
        results["docker"] = (False, f"no engine answers ({exc.__class__.__name__}); local sandbox")
    results["valgrind"] = (
        _run("valgrind", "--version") if shutil.which("valgrind") else (False, "not installed")
    )
    pyspy = shutil.which("py-spy")
    results["py-spy"] = _run(pyspy, "--version") if pyspy else (False, "not installed")
    results["git"] = _run("git", "--version") if shutil.which("git") else (False, "not installed")
    for key in ("ANTHROPIC_API_KEY", "OPENAI_API_KEY", "OPENAI_BASE_URL"):
        results[key] = (bool(os.environ.get(key)), "set" if os.environ.get(key) else "not set")
    results["model"] = (True, "default: " + default_model_name())
    return results
