"""A real PostgreSQL server for the store's tests, started in a temporary directory.

The server listens on a free loopback port and a unix socket in its own directory, trusts
local connections (it is reachable only from this machine, for the length of the session),
and is stopped and deleted afterwards. PostgreSQL refuses to run as root, so as root the
server runs as the `postgres` system user that Debian's package creates.

Missing PostgreSQL skips the tests loudly, except under `PERFAGENT_CI=1` where it fails.
CI installs it with `apt-get install -y postgresql` and the drivers with `pip install
'.[dev]'` (psycopg 3, which plain `postgresql://` URLs use, and psycopg2).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest
from sqlalchemy import create_engine

from storage.models import Base

DATABASE = "perfagent_test"


@dataclass(frozen=True)
class PostgresServer:
    """A running server: its SQLAlchemy URL for `DATABASE`, and how to reach it."""

    url: str
    port: int
    bin_dir: Path
    data_dir: Path


def unavailable(reason: str) -> NoReturn:
    if os.environ.get("PERFAGENT_CI") == "1":
        pytest.fail(f"{reason}; PostgreSQL tests are required in CI")
    pytest.skip(f"SKIPPED LOUDLY: {reason}")


def postgres_bin_dir() -> Path | None:
    """The newest Debian-style PostgreSQL server binaries, or any initdb on PATH."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def as_server_user(argv: list[str]) -> list[str]:
    """Run as `postgres` when we are root: initdb and postgres refuse to run as root."""
    if os.geteuid() != 0:
        return argv
    return ["runuser", "-u", "postgres", "--", *argv]


def run(argv: list[str], timeout: float = 120) -> None:
    proc = subprocess.run(
        as_server_user(argv), capture_output=True, text=True, timeout=timeout, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv[:2])} failed: {proc.stderr.strip() or proc.stdout}")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """Start a throwaway PostgreSQL server for the session and create `DATABASE` in it."""
    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        unavailable("PostgreSQL is not installed (apt-get install -y postgresql)")
    try:
        import psycopg  # noqa: F401
        import psycopg2  # noqa: F401
    except ImportError as exc:
        unavailable(f"{exc.name} is not installed (pip install -e '.[dev]')")
    if os.geteuid() == 0:
        try:
            server_user = pwd.getpwnam("postgres")
        except KeyError:
            unavailable("running as root and there is no `postgres` user to run the server")
    # Not pytest's tmp_path: its parents are private to root, and the server user must enter.
    root = Path(tempfile.mkdtemp(prefix="perfagent-pg-"))
    data_dir, sock_dir = root / "data", root / "sock"
    sock_dir.mkdir()
    if os.geteuid() == 0:
        for path in (root, sock_dir):
            os.chown(path, server_user.pw_uid, server_user.pw_gid)
    port = free_port()
    log = root / "server.log"
    started = False
    try:
        flags = ["-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"]
        run([str(bin_dir / "initdb"), "-D", str(data_dir), *flags])
        options = (
            f"-p {port} -k {sock_dir} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        pg_ctl = [str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-w", "-t", "60"]
        run([*pg_ctl, "-l", str(log), "-o", options, "start"])
        started = True
        psql = [str(bin_dir / "psql"), "-h", str(sock_dir), "-p", str(port), "-U", "postgres"]
        run([*psql, "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c", f"CREATE DATABASE {DATABASE}"])
        yield PostgresServer(
            url=f"postgresql+psycopg2://postgres@127.0.0.1:{port}/{DATABASE}",
            port=port,
            bin_dir=bin_dir,
            data_dir=data_dir,
        )
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        tail = log.read_text()[-2000:] if log.exists() else ""
        pytest.fail(f"could not start PostgreSQL: {exc}\n{tail}")
    finally:
        if started:
            stop = as_server_user([*pg_ctl, "-m", "fast", "stop"])
            subprocess.run(stop, capture_output=True, timeout=60, check=False)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A URL to an empty database: every table is dropped after each test."""
    yield postgres_server.url
    engine = create_engine(postgres_server.url)
    with engine.begin() as conn:
        Base.metadata.drop_all(conn)
    engine.dispose()
