"""`perfagent sandbox ...`: provision, inspect and clean up the Docker sandbox.

    perfagent sandbox bootstrap [--start-engine] [--rebuild] [--json]
    perfagent sandbox status [--json]
    perfagent sandbox prune [--all] [--json]

Progress goes to stderr; stdout carries the result (one JSON object with `--json`).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated, Any

import typer

from agent.cli.common import fail, say
from sandbox import images
from sandbox.base import SandboxError
from sandbox.engine import connect, describe, engine_url, start_daemon

app = typer.Typer(
    name="sandbox",
    help="Provision, inspect and clean up the Docker sandbox.",
    no_args_is_help=True,
    add_completion=False,
)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON object on stdout.")]


@app.command()
def provision(
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Build the base image even if it exists.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Install and start a Docker engine (as root, from Debian) and build the base image:
    whatever of that is missing. Prints the DOCKER_HOST to use."""
    from sandbox.provision import provision as provision_docker

    try:
        done = provision_docker(rebuild=rebuild, log=say)
    except SandboxError as exc:
        fail(str(exc))
    if as_json:
        print(json.dumps(asdict(done)))
    else:
        print(f"export DOCKER_HOST={done.engine}")


@app.command()
def bootstrap(
    start_engine: Annotated[
        bool, typer.Option("--start-engine", help="Start dockerd (as root) if none answers.")
    ] = False,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Build even if the image exists.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Build the base image locally (debootstrap + import) unless it is already there."""
    try:
        if start_engine:
            pid = start_daemon()
            if pid:
                say(f"started dockerd (pid {pid})")
        client = connect()
        config = images.BaseImageConfig()
        tag = images.ensure_base_image(client, config, log=say, rebuild=rebuild)
    except SandboxError as exc:
        fail(str(exc))
    if as_json:
        print(json.dumps({"image": tag, "engine": engine_url()}))
    else:
        print(tag)


@app.command()
def status(as_json: JsonFlag = False) -> None:
    """Show the engine, the base image and what perfagent has created."""
    try:
        client = connect()
    except SandboxError as exc:
        if as_json:
            print(json.dumps({"engine": None, "error": str(exc)}))
        fail(str(exc))
    info = describe(client, engine_url())
    base_tag = images.BaseImageConfig().tag
    made = images.perfagent_images(client)
    running = client.api.containers(filters={"label": f"{images.LABEL}=1"})
    report: dict[str, Any] = {
        "engine": asdict(info),
        "base_image": {"tag": base_tag, "present": images.image_id(client, base_tag) is not None},
        "images": made,
        "containers_running": len(running),
    }
    if as_json:
        print(json.dumps(report))
        return
    print(
        f"engine   {info.base_url}  docker {info.server_version}  cgroup v{info.cgroup_version}  "
        f"{info.ncpu} CPUs  {info.storage_driver}"
    )
    print(f"base     {base_tag}  {'present' if report['base_image']['present'] else 'missing'}")
    for img in made:
        tags = ", ".join(img["tags"]) or "<untagged>"
        print(f"{img['role']:<9}{tags}  {img['size'] / 1024**2:.0f} MiB")
    print(f"running  {len(running)} perfagent container(s)")


@app.command()
def prune(
    include_base: Annotated[
        bool, typer.Option("--all", help="Also remove the bootstrapped base image.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Remove containers and images perfagent created (label perfagent=1)."""
    try:
        client = connect()
        report = images.prune(client, include_base=include_base)
    except SandboxError as exc:
        fail(str(exc))
    if as_json:
        print(json.dumps(asdict(report)))
    else:
        print(
            f"removed {report.containers} container(s) and {report.images} image(s), "
            f"{report.freed_bytes / 1024**2:.0f} MiB"
        )
