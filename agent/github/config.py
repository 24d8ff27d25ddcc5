"""Configuration of the GitHub client and the PR bot, one documented field per knob.

Secrets are `SecretStr`: they print as `**********` in reprs, logs and tracebacks.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class GitHubConfig(BaseSettings):
    """How to reach GitHub (or GitHub Enterprise) and as whom."""

    model_config = SettingsConfigDict(
        env_prefix="PERFAGENT_GITHUB_", extra="ignore", populate_by_name=True
    )

    api_url: str = Field(
        default="https://api.github.com",
        validation_alias=AliasChoices("PERFAGENT_GITHUB_API"),
    )
    """REST API base URL; GitHub Enterprise Server: `https://HOST/api/v3`."""
    token: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("GITHUB_TOKEN", "GH_TOKEN"),
    )
    """Token from `GITHUB_TOKEN` (or `GH_TOKEN`); needs contents and pull-requests write."""
    timeout_s: float = Field(default=30.0, gt=0)
    """Seconds to wait for one HTTP response."""
    max_retries: int = Field(default=5, ge=0)
    """Retries of one request after a rate limit, a 5xx or a dropped connection."""
    max_wait_s: float = Field(default=900.0, ge=0)
    """Longest rate-limit wait honoured; a longer `Retry-After`/reset fails the request."""
    user_agent: str = "perfagent-pr-bot"
    """GitHub requires a User-Agent header."""

    def token_value(self) -> str | None:
        return self.token.get_secret_value() if self.token else None


class BotConfig(BaseSettings):
    """How `perfagent bot serve` listens, what triggers it and how it runs jobs."""

    model_config = SettingsConfigDict(
        env_prefix="PERFAGENT_BOT_", extra="ignore", populate_by_name=True
    )

    webhook_secret: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("PERFAGENT_WEBHOOK_SECRET"),
    )
    """Shared secret of the webhook (`X-Hub-Signature-256`); the bot refuses to start without."""
    host: str = "127.0.0.1"
    """Address to listen on (put a TLS-terminating proxy in front for GitHub to reach it)."""
    port: int = Field(default=8787, ge=0, le=65535)
    """Port to listen on (0: any free port)."""
    command: str = "/perfagent optimize"
    """Comment prefix (first line of a PR comment) that requests a job."""
    label: str = "perfagent"
    """Label that requests a job when added to a pull request ("" disables labels)."""
    workers: int = Field(default=1, ge=1)
    """Worker threads claiming jobs from the queue."""
    per_repo_limit: int = Field(default=1, ge=1)
    """Jobs of one repository allowed to run at the same time."""
    poll_s: float = Field(default=2.0, gt=0)
    """How often an idle worker looks for queued jobs written by another process."""
    home: Path = Path(".perfagent-bot")
    """Directory for the bot's store (default `HOME/bot.db`) and job work trees."""
    sandbox: str = "auto"
    """`--sandbox` of the `perfagent optimize` the bot runs."""
    model: str | None = None
    """`--model` of the optimize run (None: the optimize default resolution)."""
    max_budget: int = Field(default=6, ge=1)
    """Upper bound on `--budget` a comment may ask for."""
    job_timeout_s: float = Field(default=3600.0, gt=0)
    """Wall-clock limit of one optimize run."""
    max_attempts: int = Field(default=2, ge=1)
    """Times a job is started at most (a restart mid-job requeues it)."""
    max_body_bytes: int = Field(default=5_000_000, ge=1024)
    """Largest webhook payload accepted."""
    draft: bool = False
    """Open follow-up pull requests as drafts."""
    keep_workdirs: bool = False
    """Keep each job's clone after it ends (debugging)."""
    log_url: str = ""
    """Where `HOME/logs` is published (e.g. behind your proxy, with access control): "perfagent
    failed" replies link `LOG_URL/job-N.log`; empty: they name the file on the bot's host."""
    max_concurrency: int = Field(default=8, ge=1)
    """Webhook deliveries handled (written to the store) at the same time; others wait."""
    max_connections: int = Field(default=64, ge=1)
    """Open webhook connections; more are answered 503 at once."""
    read_timeout_s: float = Field(default=10.0, gt=0)
    """Longest a client may take to send one request's headers and body (slow clients are cut
    off; GitHub itself gives a delivery 10 s)."""

    def secret_value(self) -> str | None:
        return self.webhook_secret.get_secret_value() if self.webhook_secret else None
