"""`perfagent doctor`: what this machine can do, checked for real."""

from __future__ import annotations

import os
import shutil
import subprocess

from agent.wiring import default_model_name

Check = tuple[bool, str]

_START_ENGINE = "start one with `perfagent sandbox provision` (as root)"


def _run(*cmd: str) -> Check:
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, str(exc)
    out = (proc.stdout or proc.stderr).strip().splitlines()
    return proc.returncode == 0, out[0] if out else f"exit {proc.returncode}"


def docker_checks() -> dict[str, Check]:
    """`docker` (SDK and engine) and `docker-image` (the base image the Docker sandbox builds on),
    each saying what is missing and how to fix it; failures mean runs use the local sandbox."""
    try:
        import docker  # noqa: F401  (only to tell a missing SDK apart from a missing engine)
    except ImportError as exc:
        return {
            "docker": (
                False,
                f"the docker Python SDK cannot be imported ({exc}); reinstall perfagent "
                "(it needs `pip install 'docker>=7'`); local sandbox until then",
            ),
            "docker-image": (False, "not checked: no Docker SDK"),
        }
    from sandbox import images
    from sandbox.base import SandboxError
    from sandbox.docker import DockerSandboxFactory
    from sandbox.engine import describe, engine_url

    # The same configuration `--sandbox auto|docker` uses (DOCKER_HOST, PERFAGENT_DOCKER_IMAGE).
    try:
        factory = DockerSandboxFactory.from_environment()
    except SandboxError as exc:
        return _no_engine(exc)
    client, config = factory.client, factory.config
    url = engine_url(config.engine)
    results: dict[str, Check] = {}
    try:
        info = describe(client, url)
        results["docker"] = (
            True,
            f"engine {info.server_version} at {url} (API {info.api_version}, "
            f"cgroup v{info.cgroup_version}, {info.ncpu} CPUs)",
        )
        tag = config.base_image or config.base.tag
        if images.image_id(client, tag) is not None:
            results["docker-image"] = (True, f"base image {tag} present")
        elif config.base_image:
            results["docker-image"] = (
                False,
                f"base image {tag} (PERFAGENT_DOCKER_IMAGE) is not on the engine at {url}; "
                f"`docker pull {tag}` (or `docker load` it), or unset PERFAGENT_DOCKER_IMAGE to "
                "use the bootstrapped base (`perfagent sandbox bootstrap`)",
            )
        else:
            results["docker-image"] = (
                False,
                f"base image {tag} is missing on the engine at {url}; build it with "
                "`perfagent sandbox provision` (root, debootstrap, about a minute)",
            )
    except Exception as exc:  # the engine answered a ping; anything after is reported, not raised
        results.setdefault("docker", (False, f"engine at {url} failed: {_first_line(exc)}"))
        results.setdefault("docker-image", (False, f"cannot inspect images: {_first_line(exc)}"))
    finally:
        client.close()
    return results


def _no_engine(exc: BaseException) -> dict[str, Check]:
    """What to say when no engine answers: where perfagent looked and how to start one."""
    from sandbox.engine import engine_url

    url = engine_url()
    if os.environ.get("DOCKER_HOST"):
        fix = f"start the engine DOCKER_HOST names, or unset DOCKER_HOST and {_START_ENGINE}"
    elif shutil.which("dockerd") is None:
        fix = (
            "dockerd is not installed: `perfagent sandbox provision` (as root) installs "
            "docker.io, starts it and builds the base image, or set DOCKER_HOST to a running "
            "engine"
        )
    else:
        fix = f"{_START_ENGINE}, or set DOCKER_HOST to a running engine"
    return {
        "docker": (
            False,
            f"client only: no Docker daemon answers at {url} ({_reason(exc, url)}); "
            f"{fix}; local sandbox until then",
        ),
        "docker-image": (False, "not checked: no engine"),
    }


def checks() -> dict[str, Check]:
    results = docker_checks()
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


def _reason(exc: BaseException, url: str) -> str:
    """Why nothing answers: a missing socket file in words, else the engine error without the
    "no Docker engine answers at URL:" prefix `connect` adds."""
    if url.startswith("unix://") and not os.path.exists(url[len("unix://") :]):
        return "the socket file does not exist"
    text = _first_line(exc)
    prefix = f"no Docker engine answers at {url}: "
    return text[len(prefix) :] if text.startswith(prefix) else text


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
