"""Images for the Docker sandbox, in three cached layers keyed by content hash (SWE-bench style).

    base      OS, CPython, git, valgrind, py-spy        configuration: built here by
              (tag perfagent-base:<suite>-<key>)         debootstrap + import, or any image name
    env       base + /opt/venv + the target's requirements files      key: base id + files
    instance  env + the repo at its base commit + the task's install command
                                                         key: env id + commit + install

Every image and container made here carries the label `perfagent=1` (and `perfagent.role`,
`perfagent.key`), which is what `prune` removes. Build steps are the only containers that get
a network (host networking, since engines here run without a bridge) and the host's CA bundle
(registries sit behind a TLS proxy); candidates never do.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shlex
import shutil
import socket
import subprocess
import tarfile
import tempfile
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import docker
import docker.errors

from sandbox.base import SandboxError

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


def owner_token(pid: int | None = None) -> str:
    """`pid:start-time`, so a recycled pid is not mistaken for a live owner."""
    pid = os.getpid() if pid is None else pid
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return f"{pid}:{fields[19]}"
    except (OSError, IndexError):
        return f"{pid}:0"


def owner_alive(token: str) -> bool:
    """Whether the process an `owner_token` names still runs."""
    pid_text, _, _ = token.partition(":")
    return pid_text.isdigit() and owner_token(int(pid_text)) == token


def owner_labels() -> dict[str, str]:
    """Labels that tie a container to this process on this host."""
    return {LABEL: "1", OWNER_LABEL: owner_token(), HOST_LABEL: socket.gethostname()}


def _quiet(_: str) -> None:
    pass


@dataclass(frozen=True)
class BaseImageConfig:
    """The base layer perfagent bootstraps when no registry image is configured."""

    repository: str = "perfagent-base"
    """Image repository name; the tag is `<suite>-<content key>`."""
    suite: str = "bookworm"
    """Debian release debootstrap installs (matches the CPython the host tools expect)."""
    mirror: str = "http://deb.debian.org/debian"
    packages: tuple[str, ...] = (
        "python3",
        "python3-venv",
        "python3-pip",
        "python3-dev",
        "git",
        "valgrind",
        "gcc",
        "libc6-dev",
    )
    """Debian packages: interpreter, git, valgrind (with its client-request headers) and a C
    compiler for the instruction-count helper and for building C extensions."""
    pip_packages: tuple[str, ...] = ("py-spy>=0.4",)
    """Installed from PyPI into the system interpreter's scripts dir (/usr/local/bin)."""

    def key(self) -> str:
        data = {"recipe": RECIPE_VERSION, **asdict(self)}
        data.pop("repository")
        return _hash(json.dumps(data, sort_keys=True))

    @property
    def tag(self) -> str:
        return f"{self.repository}:{self.suite}-{self.key()[:12]}"


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


def ensure_base_image(
    client: docker.DockerClient,
    config: BaseImageConfig | None = None,
    build: BuildConfig | None = None,
    *,
    log: Log = _quiet,
    rebuild: bool = False,
) -> str:
    """The bootstrapped base image's tag, building it (debootstrap + import) only when missing."""
    config = config or BaseImageConfig()
    build = build or BuildConfig()
    tag = config.tag
    if not rebuild and image_id(client, tag):
        log(f"base image {tag} present")
        return tag
    debootstrap = shutil.which("debootstrap")
    if debootstrap is None:
        raise SandboxError(
            f"base image {tag} is missing and debootstrap is not installed "
            "(apt-get install -y debootstrap, or configure a registry image as the base)"
        )
    if os.geteuid() != 0:
        raise SandboxError("bootstrapping the base image needs root (debootstrap); run as root")
    key = config.key()
    labels = {LABEL: "1", ROLE_LABEL: "base", KEY_LABEL: key}
    raw_tag = f"{config.repository}:raw-{key[:12]}"
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="perfagent-rootfs-") as tmp:
        rootfs = Path(tmp) / "rootfs"
        log(f"debootstrap {config.suite} ({len(config.packages)} packages) ...")
        proc = subprocess.run(
            [
                debootstrap,
                "--variant=minbase",
                "--include=" + ",".join(config.packages),
                config.suite,
                str(rootfs),
                config.mirror,
            ],
            capture_output=True,
            text=True,
            timeout=build.timeout_s,
        )
        if proc.returncode != 0:
            tail = (proc.stdout + proc.stderr).strip().splitlines()[-5:]
            raise SandboxError("debootstrap failed: " + " | ".join(tail))
        # Leave no apt lists or caches in the layer; they only cost space.
        for junk in ("var/cache/apt/archives", "var/lib/apt/lists"):
            shutil.rmtree(rootfs / junk, ignore_errors=True)
        log(f"importing rootfs as {raw_tag} ...")
        tar = subprocess.Popen(
            ["tar", "--numeric-owner", "-C", str(rootfs), "-c", "."], stdout=subprocess.PIPE
        )
        assert tar.stdout is not None
        try:
            client.api.import_image_from_stream(
                tar.stdout,
                repository=raw_tag.split(":")[0],
                tag=raw_tag.split(":")[1],
                changes=[f"LABEL {k}={v}" for k, v in labels.items()],
            )
        finally:
            tar.stdout.close()
            tar.wait()
        if tar.returncode != 0:
            raise SandboxError(f"tar of the rootfs failed with status {tar.returncode}")
    try:
        script = "set -e\n"
        if config.pip_packages:
            script += (
                "python3 -m pip install --no-cache-dir --break-system-packages "
                "--root-user-action=ignore "
                + " ".join(_shell_quote(p) for p in config.pip_packages)
            )
            script += "\n"
        script += "mkdir -p /work /perfagent && chmod 755 /work /perfagent\n"
        run_build_step(
            client,
            raw_tag,
            script,
            tag=tag,
            labels=labels,
            build=build,
            log=log,
            workdir="/",
        )
    finally:
        _remove_image(client, raw_tag)
    log(f"base image {tag} built in {time.monotonic() - started:.0f} s")
    return tag


@dataclass(frozen=True)
class EnvironmentSpec:
    """What the env layer installs: the target's requirements files (name, text)."""

    requirements: tuple[tuple[str, str], ...] = ()

    def key(self, base_id: str) -> str:
        return _hash(json.dumps([RECIPE_VERSION, base_id, list(self.requirements)]))


def requirements_at(repo: Path, ref: str, subdir: str = "") -> EnvironmentSpec:
    """The requirements*.txt files of the task directory at `ref` (read from git, not the tree)."""
    prefix = f"{subdir.strip('/')}/" if subdir.strip("/") else ""
    listing = _git(repo, "ls-tree", "--name-only", f"{ref}:{prefix}" if prefix else f"{ref}:")
    names = sorted(
        n for n in listing.splitlines() if n.startswith("requirements") and n.endswith(".txt")
    )
    files = tuple((n, _git(repo, "show", f"{ref}:{prefix}{n}")) for n in names)
    return EnvironmentSpec(requirements=files)


def ensure_env_image(
    client: docker.DockerClient,
    base: str,
    spec: EnvironmentSpec,
    build: BuildConfig | None = None,
    *,
    log: Log = _quiet,
) -> str:
    """The env layer over `base` (a venv at /opt/venv plus the requirements), cached by key."""
    base_id = image_id(client, base)
    if base_id is None:
        raise SandboxError(
            f"base image {base} is not available; run `perfagent sandbox bootstrap` "
            "or configure an image your engine can pull"
        )
    key = spec.key(base_id)
    tag = f"perfagent-env:{key[:16]}"
    if image_id(client, tag):
        return tag
    files = {f"perfagent/req/{name}": text for name, text in spec.requirements}
    script = f"set -e\npython3 -m venv {VENV}\n"
    for name, _ in spec.requirements:
        script += f"{VENV}/bin/pip install --no-cache-dir -r /perfagent/req/{_shell_quote(name)}\n"
    script += "rm -rf /perfagent/req\n"
    log(f"building env layer {tag} ({len(spec.requirements)} requirements files) ...")
    run_build_step(
        client,
        base,
        script,
        tag=tag,
        labels={LABEL: "1", ROLE_LABEL: "env", KEY_LABEL: key},
        build=build,
        log=log,
        files=files,
        workdir="/",
    )
    return tag


def ensure_instance_image(
    client: docker.DockerClient,
    env: str,
    repo: Path,
    commit: str,
    *,
    install: str | None,
    subdir: str = "",
    build: BuildConfig | None = None,
    log: Log = _quiet,
) -> str:
    """The instance layer: the repo at `commit` in /work/repo with `install` run in it.

    Without an install command the env layer is used as is (the work tree is bind-mounted over
    /work/repo at run time, so a copy in the image would only be hidden).
    """
    if not install:
        return env
    env_id = image_id(client, env)
    if env_id is None:
        raise SandboxError(f"env image {env} is not available")
    key = _hash(json.dumps([RECIPE_VERSION, env_id, commit, subdir, install]))
    tag = f"perfagent-instance:{key[:16]}"
    if image_id(client, tag):
        return tag
    archive = subprocess.run(
        ["git", "-C", str(repo), "archive", "--format=tar", f"--prefix={REPO_MOUNT[1:]}/", commit],
        capture_output=True,
        timeout=600,
    )
    if archive.returncode != 0:
        raise SandboxError(
            f"git archive {commit} failed: {archive.stderr.decode(errors='replace').strip()}"
        )
    workdir = f"{REPO_MOUNT}/{subdir.strip('/')}".rstrip("/")
    log(f"building instance layer {tag} (install: {install}) ...")
    run_build_step(
        client,
        env,
        install,
        tag=tag,
        labels={LABEL: "1", ROLE_LABEL: "instance", KEY_LABEL: key},
        build=build,
        log=log,
        tar_at_root=archive.stdout,
        workdir=workdir,
    )
    return tag


def run_build_step(
    client: docker.DockerClient,
    image: str,
    script: str,
    *,
    tag: str,
    labels: Mapping[str, str],
    build: BuildConfig | None = None,
    log: Log = _quiet,
    files: Mapping[str, str] | None = None,
    tar_at_root: bytes | None = None,
    workdir: str = "/",
) -> str:
    """Run `script` (bash) as root in a container from `image` and commit it as `tag`.

    The step gets host networking and the host CA bundle (so pip works behind a TLS proxy); the
    committed image's environment is set explicitly, so no build-time variable leaks into it.
    """
    build = build or BuildConfig()
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
    name = f"perfagent-build-{uuid.uuid4().hex[:10]}"
    host_config = client.api.create_host_config(
        network_mode=build.network_mode, mounts=mounts, init=True
    )
    container = client.api.create_container(
        image,
        command=["bash", "-c", script],
        name=name,
        environment=env,
        working_dir=workdir,
        labels={**owner_labels(), ROLE_LABEL: "build"},
        host_config=host_config,
        use_config_proxy=False,
    )
    cid = container["Id"]
    try:
        if files:
            client.api.put_archive(cid, "/", _tar_of(files))
        if tar_at_root:
            client.api.put_archive(cid, "/", tar_at_root)
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
            raise SandboxError(f"build step for {tag} failed with status {code}: {tail}")
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
    finally:
        _remove_container(client, cid)
    return tag


@dataclass(frozen=True)
class PruneReport:
    """What `prune` removed."""

    containers: int
    images: int
    freed_bytes: int


def prune(client: docker.DockerClient, *, include_base: bool = False) -> PruneReport:
    """Remove every container, and every env/instance image (base too if asked), labelled perfagent=1."""
    containers = client.api.containers(all=True, filters={"label": f"{LABEL}=1"})
    for c in containers:
        _remove_container(client, c["Id"])
    removed, freed = 0, 0
    roles = ("instance", "env", "base") if include_base else ("instance", "env")
    for role in roles:
        for img in client.api.images(filters={"label": f"{ROLE_LABEL}={role}"}):
            for ref in img.get("RepoTags") or [img["Id"]]:
                if _remove_image(client, ref):
                    removed += 1
                    freed += int(img.get("Size") or 0)
    client.api.prune_images(filters={"dangling": True, "label": f"{LABEL}=1"})
    return PruneReport(containers=len(containers), images=removed, freed_bytes=freed)


def perfagent_images(client: docker.DockerClient) -> list[dict[str, Any]]:
    """Images perfagent made: role, tags, size, created (for `perfagent sandbox status`)."""
    out = []
    for img in client.api.images(filters={"label": f"{LABEL}=1"}):
        labels = img.get("Labels") or {}
        out.append(
            {
                "role": labels.get(ROLE_LABEL, "?"),
                "tags": img.get("RepoTags") or [],
                "size": int(img.get("Size") or 0),
                "created": int(img.get("Created") or 0),
            }
        )
    return sorted(out, key=lambda i: (i["role"], -i["created"]))


def _remove_container(client: docker.DockerClient, cid: str) -> None:
    try:
        client.api.remove_container(cid, force=True, v=True)
    except docker.errors.NotFound:
        pass
    except docker.errors.APIError as exc:
        if "already in progress" not in str(exc):
            raise


def _remove_image(client: docker.DockerClient, ref: str) -> bool:
    try:
        client.api.remove_image(ref, force=True)
        return True
    except docker.errors.NotFound:
        return False
    except docker.errors.APIError:
        # In use by a running container of another run: leave it for a later prune.
        return False


def _tar_of(files: Mapping[str, str]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _git(repo: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, timeout=120
    )
    if proc.returncode != 0:
        raise SandboxError(f"git {args[0]} failed: {proc.stderr.strip().splitlines()[-1:]}")
    return proc.stdout


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _shell_quote(text: str) -> str:
    return shlex.quote(text)
