"""The build machinery every image layer shares: labels, owner tokens, one build step.

A build step is a container that runs a bash script as root and is committed as an image.
Build steps are the only containers that get a network (host networking, since engines here
run without a bridge) and the host's CA bundle (registries sit behind a TLS proxy); candidates
never do. Every image and container made here carries the label `perfagent=1` (and
`perfagent.role`, `perfagent.key`), which is what `prune` removes.
"""

from __future__ import annotations

import hashlib
import io
import os
import shlex
import socket
import tarfile
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import docker
import docker.errors

from sandbox.base import SandboxError
from sandbox.procs import owner_token

LABEL = "perfagent"
"""Present (value "1") on every image and container perfagent creates."""
ROLE_LABEL = "perfagent.role"
KEY_LABEL = "perfagent.key"
RECIPE_VERSION = 1
"""Bump when a recipe below changes in a way the content hashes cannot see."""

VENV = "/opt/venv"
REPO_MOUNT = "/work/repo"
"""Where the target's tree sits in every container (identical for base and head)."""
IMAGE_PATH = f"{VENV}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
CA_IN_CONTAINER = "/perfagent/ca.crt"
BUILD_ENV_PASSTHROUGH = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "no_proxy",
    "PIP_INDEX_URL",
    "PIP_EXTRA_INDEX_URL",
    "PIP_TRUSTED_HOST",
)
"""Host variables build steps (never candidates) see; values that point at host files are dropped."""

OWNER_LABEL = "perfagent.owner"
"""`pid:start-time` of the process that made a container (to reap those of crashed runs)."""
HOST_LABEL = "perfagent.host"

Log = Callable[[str], None]


class BuildFailed(SandboxError):
    """A build step's script exited non-zero; `output` is everything it printed."""

    def __init__(self, message: str, output: str) -> None:
        super().__init__(message)
        self.output = output


def owner_labels() -> dict[str, str]:
    """Labels that tie a container to this process on this host."""
    return {LABEL: "1", OWNER_LABEL: owner_token(), HOST_LABEL: socket.gethostname()}


def quiet(_: str) -> None:
    """A `Log` that says nothing."""


@dataclass(frozen=True)
class BuildConfig:
    """How build steps (env and instance layers, base bootstrap) run."""

    ca_bundle: Path | None = None
    """CA bundle mounted into build steps; None finds the host's (PIP_CERT, SSL_CERT_FILE, ...)."""
    timeout_s: float = 1800.0
    """Limit for one build step."""
    network_mode: str = "host"
    """Build steps only; engines started with `--bridge=none` have no other network."""


def find_ca_bundle() -> Path | None:
    """The host's CA bundle (honours PIP_CERT, REQUESTS_CA_BUNDLE, SSL_CERT_FILE)."""
    for var in ("PIP_CERT", "REQUESTS_CA_BUNDLE", "SSL_CERT_FILE"):
        value = os.environ.get(var)
        if value and Path(value).is_file():
            return Path(value)
    for path in ("/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt"):
        if Path(path).is_file():
            return Path(path)
    return None


def image_id(client: docker.DockerClient, ref: str) -> str | None:
    """The image id `ref` names locally, or None."""
    try:
        return str(client.images.get(ref).id)
    except docker.errors.ImageNotFound:
        return None
    except docker.errors.APIError as exc:
        raise SandboxError(f"cannot inspect image {ref}: {exc.explanation or exc}") from None


def build_environment(build: BuildConfig) -> tuple[dict[str, str], list[docker.types.Mount]]:
    """A build step's environment (proxy and index settings passed through, never values that
    point at host files) and mounts (the host's CA bundle, read-only)."""
    ca = build.ca_bundle or find_ca_bundle()
    env = {"PATH": IMAGE_PATH, "LANG": "C.UTF-8", "HOME": "/root", "PIP_NO_INPUT": "1"}
    for var in BUILD_ENV_PASSTHROUGH:
        value = os.environ.get(var)
        if value and not value.startswith("file:") and "file://" not in value:
            env[var] = value
    mounts: list[docker.types.Mount] = []
    if ca is not None:
        mounts.append(docker.types.Mount(CA_IN_CONTAINER, str(ca), type="bind", read_only=True))
        env.update(
            PIP_CERT=CA_IN_CONTAINER,
            REQUESTS_CA_BUNDLE=CA_IN_CONTAINER,
            SSL_CERT_FILE=CA_IN_CONTAINER,
        )
    return env, mounts


def run_build_step(
    client: docker.DockerClient,
    image: str,
    script: str,
    *,
    tag: str,
    labels: Mapping[str, str],
    build: BuildConfig | None = None,
    log: Log = quiet,
    files: Mapping[str, str] | None = None,
    tar_at_root: bytes | None = None,
    workdir: str = "/",
) -> str:
    """Run `script` (bash) as root in a container from `image` and commit it as `tag`.

    The step gets host networking and the host CA bundle (so pip works behind a TLS proxy); the
    committed image's environment is set explicitly, so no build-time variable leaks into it.
    """
    build = build or BuildConfig()
    env, mounts = build_environment(build)
    host_config = client.api.create_host_config(
        network_mode=build.network_mode, mounts=mounts, init=True
    )
    container = client.api.create_container(
        image,
        command=["bash", "-c", script],
        name=f"perfagent-build-{uuid.uuid4().hex[:10]}",
        environment=env,
        working_dir=workdir,
        labels={**owner_labels(), ROLE_LABEL: "build"},
        host_config=host_config,
        use_config_proxy=False,
    )
    cid = container["Id"]
    try:
        for archive in (tar_of(files) if files else None, tar_at_root):
            if archive:
                client.api.put_archive(cid, "/", archive)
        client.api.start(cid)
        try:
            status = client.api.wait(cid, timeout=build.timeout_s)
        except Exception:
            client.api.kill(cid)
            raise SandboxError(
                f"build step for {tag} timed out after {build.timeout_s:g} s"
            ) from None
        code = int(status.get("StatusCode", -1))
        output = client.api.logs(cid, stdout=True, stderr=True).decode(errors="replace")
        for line in output.splitlines()[-3:]:
            log(f"  {line}")
        if code != 0:
            tail = " | ".join(output.strip().splitlines()[-6:])
            raise BuildFailed(f"build step for {tag} failed with status {code}: {tail}", output)
        _commit(client, cid, tag, labels)
    finally:
        remove_container(client, cid)
    return tag


def _commit(client: docker.DockerClient, cid: str, tag: str, labels: Mapping[str, str]) -> None:
    repository, _, version = tag.rpartition(":")
    client.api.commit(
        cid,
        repository=repository,
        tag=version,
        conf={
            "Env": [f"PATH={IMAGE_PATH}", "LANG=C.UTF-8"],
            "Labels": dict(labels),
            "Cmd": ["/bin/bash"],
            "WorkingDir": "/",
            "User": "",
        },
    )


def remove_container(client: docker.DockerClient, cid: str) -> None:
    try:
        client.api.remove_container(cid, force=True, v=True)
    except docker.errors.NotFound:
        pass
    except docker.errors.APIError as exc:
        if "already in progress" not in str(exc):
            raise


def remove_image(client: docker.DockerClient, ref: str) -> bool:
    try:
        client.api.remove_image(ref, force=True)
        return True
    except docker.errors.NotFound:
        return False
    except docker.errors.APIError:
        # In use by a running container of another run: leave it for a later prune.
        return False


def tar_of(files: Mapping[str, str]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def shell_quote(text: str) -> str:
    return shlex.quote(text)
