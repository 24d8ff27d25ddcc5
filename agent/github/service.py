"""`perfagent bot serve` in one object: the webhook server and the worker thread(s)."""

from __future__ import annotations

import logging
import threading

from agent.github.client import GitHubClient
from agent.github.config import BotConfig, GitHubConfig
from agent.github.queue import ClientFactory, Worker
from agent.github.runner import Runner, subprocess_runner
from agent.github.server import WebhookServer
from agent.github.webhook import WebhookHandler
from storage import Store
from storage.jobs import requeue_orphans

log = logging.getLogger("perfagent.bot")


class BotService:
    """Listens for webhooks and runs queued jobs until `stop()`.

    Starting requeues jobs a previous bot process left running (or fails them after
    `max_attempts`); stopping ends the HTTP server, cancels a running optimize (its job is
    queued again) and joins the workers.
    """

    def __init__(
        self,
        store: Store,
        config: BotConfig,
        github: GitHubConfig,
        *,
        runner: Runner = subprocess_runner,
        client_factory: ClientFactory | None = None,
    ) -> None:
        self.store = store
        self.config = config
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.handler = WebhookHandler(store, config, self.wake)
        factory = client_factory or (lambda: GitHubClient(github))
        self.workers = [
            Worker(store, config, factory, runner, wake=self.wake, stop=self.stopping)
            for _ in range(config.workers)
        ]
        self.server: WebhookServer | None = None
        self._threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        assert self.server is not None, "not started"
        return self.server.url

    def start(self) -> None:
        """Bind the port and start serving and working in background threads."""
        requeued = requeue_orphans(self.store, self.config.max_attempts)
        if requeued:
            log.info("bot: jobs %s were left running by a stopped bot; requeued", requeued)
        self.server = WebhookServer(self.handler, self.config.host, self.config.port)
        self.server.start()
        self._threads = [
            threading.Thread(target=w.serve_forever, name=f"bot-worker-{i}", daemon=True)
            for i, w in enumerate(self.workers)
        ]
        for t in self._threads:
            t.start()
        log.info("bot: listening on %s with %d worker(s)", self.url, len(self.workers))

    def stop(self, timeout: float = 60.0) -> None:
        self.stopping.set()
        self.wake.set()
        if self.server is not None:
            self.server.stop(timeout)
        for t in self._threads:
            t.join(timeout)
        log.info("bot: stopped")

    def wait(self) -> None:
        """Block until `stop()` is called (from a signal handler or another thread)."""
        self.stopping.wait()
