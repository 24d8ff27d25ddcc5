"""`perfagent bot serve` as one function: configuration, store, server, signals.

The command is a thin wrapper: it passes its options through and turns `BadInput` into the
one-line exit 2. `serve_bot` returns once SIGINT or SIGTERM has stopped the bot cleanly.
"""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

from sqlalchemy.engine import make_url

from agent.exceptions import BadInput
from agent.github.config import BotConfig, GitHubConfig
from agent.wiring import store_at
from storage import Store, StoreError, sqlite_url

Say = Callable[[str], None]


def bot_config(
    port: int | None = None, host: str | None = None, home: Path | None = None
) -> tuple[BotConfig, GitHubConfig]:
    """The bot's settings (options over PERFAGENT_BOT_* variables); BadInput naming what is
    wrong or missing."""
    overrides: dict[str, Any] = {
        k: v for k, v in {"port": port, "host": host, "home": home}.items() if v is not None
    }
    try:
        config = BotConfig(**overrides)
    except ValueError as exc:
        raise BadInput(f"bad bot configuration: {str(exc).splitlines()[0]}") from None
    github = GitHubConfig()
    if not config.secret_value():
        raise BadInput("no webhook secret: set PERFAGENT_WEBHOOK_SECRET")
    if not github.token_value():
        raise BadInput("no GitHub token: set GITHUB_TOKEN or GH_TOKEN")
    return config, github


def bot_store(db: str | None, home: Path) -> Store:
    """`--db` (a URL or a SQLite path), default HOME/bot.db; BadInput when it cannot open."""
    url = db or str(home / "bot.db")
    try:
        return store_at(url if "://" in url else sqlite_url(Path(url).resolve()))
    except StoreError as exc:
        raise BadInput(str(exc).splitlines()[0]) from None


def serve_bot(
    *,
    port: int | None = None,
    host: str | None = None,
    db: str | None = None,
    home: Path | None = None,
    say: Say = lambda m: print(m, file=sys.stderr, flush=True),
) -> None:
    """Serve webhooks and run jobs until SIGINT or SIGTERM; BadInput for bad settings."""
    from agent.github.service import BotService

    config, github = bot_config(port, host, home)
    store = bot_store(db, config.home)
    logging.basicConfig(
        level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(message)s"
    )
    service = BotService(store, config, github)
    try:
        service.start()
    except OSError as exc:
        where = f"{config.host}:{config.port}"
        raise BadInput(f"cannot listen on {where}: {exc.strerror or exc}") from None

    def stop(signum: int, _frame: FrameType | None) -> None:
        say(f"perfagent: bot stopping ({signal.Signals(signum).name})")
        service.stopping.set()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        shown = make_url(store.url).render_as_string(hide_password=True)
        say(f"perfagent: bot listening on {service.url}; store {shown}")
        service.wait()
    finally:
        service.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
