"""The warm container of one Docker sandbox: created once, one `docker exec` of the timer per
command, replaced when a command leaves it dirty or hung.

    docker-init (PID 1)
      └─ python3 -I -S docker_timer.py --idle           (keeps the container up)
    docker exec (per command, root with CAP_SETUID/CAP_SETGID only)
      └─ python3 -I -S docker_timer.py JOB              runs, times and resets
           └─ bash -c COMMAND                           sandbox user, no capabilities

`--network none`, all capabilities dropped but the two the timer needs to drop to the user,
`no-new-privileges`, a pids limit, memory equal to memory+swap, an optional cpuset (never a
CPU quota), a read-only root filesystem with fresh tmpfs at /tmp, HOME, /var/tmp and
/run/lock, the work tree bind-mounted writable with every protected file read-only over it.
"""

from __future__ import annotations

import base64
import contextlib
import json
import threading
from typing import Any

import docker
import docker.errors
import requests.exceptions

from sandbox import images
from sandbox.base import Limits, SandboxError

TIMER = "/perfagent/bin/docker_timer.py"
HOME = "/perfagent/home"
SANDBOX_LABEL = "perfagent.sandbox"
_QUIET = (docker.errors.DockerException, requests.exceptions.RequestException)


class Container:
    """One running container of a sandbox."""

    def __init__(self, client: docker.DockerClient, cid: str, name: str) -> None:
        self.client = client
        self.id = cid
        self.name = name

    @classmethod
    def start(
        cls,
        client: docker.DockerClient,
        image: str,
        name: str,
        sandbox_id: str,
        mounts: list[docker.types.Mount],
        limits: Limits,
        settings: dict[str, Any],
    ) -> Container:
        """Create and start a container; `settings` holds cpuset, tmpfs size, nofile, user."""
        api = client.api
        host_config = _host_config(api, mounts, limits, settings)
        try:
            created = api.create_container(
                image,
                command=["python3", "-I", "-S", TIMER, "--idle"],
                name=name,
                user="0:0",
                working_dir="/",
                environment={"PATH": images.IMAGE_PATH, "LANG": "C.UTF-8"},
                labels={
                    **images.owner_labels(),
                    images.ROLE_LABEL: "candidate",
                    SANDBOX_LABEL: sandbox_id,
                },
                host_config=host_config,
                network_disabled=not limits.network,
                use_config_proxy=False,
            )
        except docker.errors.DockerException as exc:
            raise SandboxError(f"cannot create container: {explain(exc)}") from None
        box = cls(client, created["Id"], name)
        try:
            api.start(box.id)
        except docker.errors.DockerException as exc:
            box.remove()
            raise SandboxError(f"cannot start container {name}: {explain(exc)}") from None
        return box

    def run(self, job_path: str, wait_s: float) -> tuple[dict[str, Any] | None, str]:
        """Exec the timer on `job_path`; (its status, or None when it gave none, and why).
        A timer that does not answer within `wait_s` gets the container killed."""
        api = self.client.api
        try:
            exec_id = api.exec_create(
                self.id, ["python3", "-I", "-S", TIMER, job_path], user="0:0", workdir="/"
            )["Id"]
        except docker.errors.DockerException as exc:
            raise SandboxError(f"container {self.name} failed: {explain(exc)}") from None
        out: list[Any] = []
        thread = threading.Thread(
            target=_exec_start, args=(api, exec_id, out), name="perfagent-exec", daemon=True
        )
        thread.start()
        thread.join(wait_s)
        if thread.is_alive():
            self.kill()
            thread.join(30)
            return None, "host-timeout"
        if not out or isinstance(out[0], BaseException):
            return None, f"exec failed: {out[0] if out else 'no answer'}"
        stdout, stderr = out[0]
        try:
            status: dict[str, Any] = json.loads(stdout or b"")
        except ValueError:
            tail = (stderr or b"").decode("utf-8", "replace").strip().splitlines()[-5:]
            return None, " | ".join(tail) or "no output"
        for name in ("stdout", "stderr"):
            status[name] = base64.b64decode(status.get(name) or "")
        return status, ""

    def kill(self) -> None:
        with contextlib.suppress(*_QUIET):
            self.client.api.kill(self.id)

    def remove(self) -> None:
        with contextlib.suppress(*_QUIET):
            images.remove_container(self.client, self.id)


def _host_config(
    api: docker.APIClient,
    mounts: list[docker.types.Mount],
    limits: Limits,
    settings: dict[str, Any],
) -> dict[str, Any]:
    uid, gid = settings["user"]
    size = settings["tmpfs_bytes"]
    return api.create_host_config(
        mounts=mounts,
        network_mode="host" if limits.network else "none",
        cap_drop=["ALL"],
        cap_add=["SETUID", "SETGID"],
        security_opt=["no-new-privileges"],
        pids_limit=limits.max_processes,
        mem_limit=limits.memory_bytes,
        memswap_limit=limits.memory_bytes,
        cpuset_cpus=settings["cpuset"],
        init=True,
        read_only=True,
        tmpfs={
            "/tmp": f"rw,nosuid,nodev,size={size}",
            HOME: f"rw,nosuid,nodev,size={size},uid={uid},gid={gid},mode=0700",
            "/var/tmp": "rw,nosuid,nodev,size=16m",
            "/run/lock": "rw,nosuid,nodev,size=1m",
        },
        ulimits=[
            docker.types.Ulimit(name="nofile", soft=settings["nofile"], hard=settings["nofile"]),
            docker.types.Ulimit(name="core", soft=0, hard=0),
        ],
    )


def _exec_start(api: docker.APIClient, exec_id: str, out: list[Any]) -> None:
    try:
        out.append(api.exec_start(exec_id, demux=True))
    except Exception as exc:  # reported to the caller, who replaces the container
        out.append(exc)


def explain(exc: BaseException) -> str:
    text = getattr(exc, "explanation", None) or str(exc)
    return str(text).strip().splitlines()[0] if str(text).strip() else type(exc).__name__
