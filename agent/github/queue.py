"""The bot's job queue and its worker: claim a job, check who asked, fetch the PR head,
optimize it, and answer with one follow-up PR or one plain comment.

The queue is the `github_jobs` table (see `storage.jobs`): a webhook only inserts a row,
workers claim rows atomically, so jobs survive restarts and a repository never has more
than `per_repo_limit` jobs running. The bot is quiet by design: a request it refuses for
lack of permission gets no reply (noisy bots get uninstalled), only a log line.
"""

from __future__ import annotations

import base64
import logging
import os
import shutil
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from agent.exceptions import PerfagentError
from agent.github.body import pr_body, scrub
from agent.github.client import GitHubClient, GitHubError
from agent.github.config import BotConfig
from agent.github.evidence import NothingToPropose, gather_evidence
from agent.github.pr import open_pull_request
from agent.github.runner import OptimizeOutcome, OptimizeRequest, Runner, subprocess_runner
from storage import Store
from storage.jobs import GitHubJob, claim_job, finish_job, update_job
from storage.jobs import job as job_row

log = logging.getLogger("perfagent.bot")

ClientFactory = Callable[[], GitHubClient]


@dataclass(frozen=True)
class Final:
    """How a job ended: its status, reason and any other column to set."""

    status: str
    reason: str = ""
    fields: dict[str, Any] = field(default_factory=dict)


class JobFailed(PerfagentError):
    """A job cannot go on; the message is said plainly in the PR's progress comment."""


def fetch_env(clone_url: str, client: GitHubClient) -> dict[str, str]:
    """Git config, through the environment only, that lets git fetch a private repository of
    the API's host with the token: nothing is written to the clone's `.git/config`."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    url = urlparse(clone_url)
    api = urlparse(client.config.api_url)
    token = client.config.token_value()
    same_host = url.hostname and url.hostname in (
        api.hostname,
        (api.hostname or "").removeprefix("api."),
    )
    if url.scheme == "https" and same_host and token:
        basic = base64.b64encode(f"x-access-token:{token}".encode()).decode()
        env.update(
            {
                "GIT_CONFIG_COUNT": "1",
                "GIT_CONFIG_KEY_0": f"http.{url.scheme}://{url.hostname}/.extraheader",
                "GIT_CONFIG_VALUE_0": f"AUTHORIZATION: basic {basic}",
            }
        )
    return env


def fetch_head(clone_url: str, ref: str, workdir: Path, env: dict[str, str]) -> str:
    """Make `workdir` a fresh repository checked out at `ref` of `clone_url`; return its sha."""

    def git(*args: str) -> str:
        proc = subprocess.run(
            ["git", *args], cwd=workdir, capture_output=True, text=True, env=env, timeout=1800
        )
        if proc.returncode:
            lines = scrub(proc.stderr).strip().splitlines()
            raise JobFailed(f"git {args[0]} failed: {lines[-1] if lines else 'error'}")
        return proc.stdout.strip()

    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    git("init", "-q")
    git("fetch", "-q", "--no-tags", clone_url, f"refs/heads/{ref}")
    git("checkout", "-q", "--detach", "FETCH_HEAD")
    return git("rev-parse", "HEAD")


EXIT_WORDS = {
    -1: "the optimize run was stopped",
    2: "bad input",
    3: "the base is broken (tests or workload fail before any edit)",
}
"""What the exit codes of docs/design.md §3 mean to the requester; any other code is perfagent failing."""


def failure_words(outcome: OptimizeOutcome, log_url: str, job_id: int) -> tuple[str, str]:
    """(why, detail) of a run that gave no verdict. An internal error (exit 4, a crash, or a
    run that left no run id) says "perfagent failed" and where its log is, never "nothing
    found"."""
    if outcome.exit_code in EXIT_WORDS:
        detail = f": {outcome.message}" if outcome.message else ""
        return EXIT_WORDS[outcome.exit_code], detail
    where = (
        f"{log_url.rstrip('/')}/job-{job_id}.log"
        if log_url
        else f"`logs/job-{job_id}.log` in the bot's home directory"
        if outcome.log_path
        else "the bot's log"
    )
    return "perfagent failed", f" (exit {outcome.exit_code}, an internal error); log: {where}"


class Worker:
    """Claims jobs from the store and runs them one at a time (one thread per worker)."""

    def __init__(
        self,
        store: Store,
        config: BotConfig,
        client_factory: ClientFactory,
        runner: Runner = subprocess_runner,
        *,
        wake: threading.Event | None = None,
        stop: threading.Event | None = None,
    ) -> None:
        self.store = store
        self.config = config
        self.client_factory = client_factory
        self.runner = runner
        self.wake = wake or threading.Event()
        self.stop = stop or threading.Event()

    # the loop ---------------------------------------------------------------------------------
    def serve_forever(self) -> None:
        while not self.stop.is_set():
            try:
                found = self.run_once()
            except Exception:  # a worker never dies; the job row says what went wrong
                log.exception("bot: worker error")
                found = None
            if found is None:
                self.wake.wait(self.config.poll_s)
                self.wake.clear()

    def run_once(self) -> GitHubJob | None:
        """Claim and run one job; None when the queue had nothing runnable."""
        job = claim_job(self.store, self.config.per_repo_limit)
        if job is None:
            return None
        log.info("bot: job %s: %s #%s by %s", job.id, job.repo, job.pr_number, job.requested_by)
        with self.client_factory() as client:
            self.process(job, client)
        return job

    # one job ----------------------------------------------------------------------------------
    def process(self, job: GitHubJob, client: GitHubClient) -> None:
        """Run one claimed job to its end; the row's final status is written only after the
        clone is cleaned up, so a finished job leaves nothing behind."""
        secrets = [client.config.token_value() or "", self.config.secret_value() or ""]
        workdir = self.config.home.resolve() / "work" / f"job-{job.id}"
        final: Final | None = None
        try:
            final = self._run(job, client, workdir, secrets)
        except (PerfagentError, OSError, subprocess.SubprocessError) as exc:
            message = scrub(str(exc).splitlines()[0] if str(exc) else repr(exc), secrets)
            log.warning("bot: job %s failed: %s", job.id, message)
            final = Final("failed", message)
            if self._comment_id(job) is not None or not isinstance(exc, GitHubError):
                self._say_safely(client, job, f"perfagent could not finish: {message}")
        except Exception as exc:
            log.exception("bot: job %s: internal error", job.id)
            final = Final("failed", f"internal error: {exc.__class__.__name__}")
            self._say_safely(client, job, "perfagent hit an internal error; see its log.")
        finally:
            if not self.config.keep_workdirs and workdir.exists():
                shutil.rmtree(workdir, ignore_errors=True)
            if final is not None:
                finish_job(self.store, job.id, final.status, final.reason, **final.fields)

    def _run(
        self, job: GitHubJob, client: GitHubClient, workdir: Path, secrets: list[str]
    ) -> Final | None:
        if not client.can_write(job.repo, job.requested_by):
            log.warning(
                "bot: job %s denied: %s has no write permission on %s",
                job.id,
                job.requested_by,
                job.repo,
            )
            return Final("denied", f"{job.requested_by} cannot write")
        pull = client.pull(job.repo, job.pr_number)
        if pull.get("state") != "open":
            log.info("bot: job %s skipped: PR #%s is %s", job.id, job.pr_number, pull.get("state"))
            return Final("skipped", f"pull request is {pull.get('state')}")
        if job.options.get("error"):
            self._say(client, job, self._usage(job))
            return Final("failed", str(job.options["error"]))
        head = pull["head"]
        head_repo = head.get("repo") or {}
        if not head_repo:
            raise JobFailed("the pull request's head repository was deleted")
        self._say(
            client,
            job,
            f"perfagent is measuring and optimizing `{head['ref']}` at "
            f"{head['sha'][:10]} (job {job.id}). It will reply here once, with a pull "
            "request backed by measurements or a plain note that nothing was confirmed.",
        )
        clone_url = head_repo["clone_url"]
        sha = fetch_head(clone_url, head["ref"], workdir, fetch_env(clone_url, client))
        update_job(self.store, job.id, head_sha=sha)
        outcome = self._optimize(job, workdir)
        if outcome is None:
            return None
        return self._answer(client, job, sha, outcome, pull, secrets)

    def _optimize(self, job: GitHubJob, workdir: Path) -> OptimizeOutcome | None:
        options = {k: v for k, v in job.options.items() if k in ("bench", "test", "budget")}
        request = OptimizeRequest(
            workdir=workdir,
            db_url=self.store.url,
            options=options,
            sandbox=self.config.sandbox,
            model=self.config.model,
            timeout_s=self.config.job_timeout_s,
            log_path=self.config.home.resolve() / "logs" / f"job-{job.id}.log",
        )
        outcome = self.runner(request, self.stop)
        if outcome.run_id:
            update_job(self.store, job.id, run_id=outcome.run_id)
        if outcome.exit_code == -1 and self.stop.is_set():
            update_job(self.store, job.id, status="queued", reason="requeued: the bot stopped")
            log.info("bot: job %s requeued: the bot is stopping", job.id)
            return None
        return outcome

    def _answer(
        self,
        client: GitHubClient,
        job: GitHubJob,
        sha: str,
        outcome: OptimizeOutcome,
        pull: dict[str, Any],
        secrets: list[str],
    ) -> Final:
        if outcome.exit_code not in (0, 1) or not outcome.run_id:
            why, detail = failure_words(outcome, self.config.log_url, job.id)
            self._say(client, job, f"perfagent could not optimize this PR, {why}{detail}")
            return Final("failed", f"{why}{detail}")
        try:
            ev = gather_evidence(self.store, outcome.run_id)
        except NothingToPropose as exc:
            run = self.store.run(outcome.run_id)
            self._say(
                client,
                job,
                f"perfagent found nothing confirmed faster at {sha[:10]}; no pull request "
                f"opened. ({exc}) Details: `perfagent show {outcome.run_id}`.",
            )
            log.info("bot: job %s: no improvement (run %s)", job.id, outcome.run_id)
            return Final("no-improvement", run.reason if run else str(exc))
        head = pull["head"]
        head_full = head["repo"]["full_name"]
        rt = ev.runtime
        if head_full != job.repo:
            # A fork's branch cannot be pushed to with this repository's token: say it here.
            body = pr_body(ev, None, secrets)
            diff = scrub(ev.diff, secrets)
            self._say(
                client,
                job,
                f"{body}\n<details><summary>patch</summary>\n\n```diff\n{diff}\n```\n</details>\n",
            )
            return Final("done", "posted as a comment (fork)")
        opened = open_pull_request(
            client, ev, head_full, head["ref"], draft=self.config.draft, secrets=secrets
        )
        self._say(
            client,
            job,
            f"perfagent opened {opened.url}: runtime ratio {rt['ratio']:.3f} (95 % CI "
            f"{rt['ci_low']:.3f} – {rt['ci_high']:.3f})"
            + (", tests pass" if ev.test else "")
            + f". Merge it into `{head['ref']}` if you want it.",
        )
        return Final("done", "", {"result_url": opened.url})

    # comments ---------------------------------------------------------------------------------
    def _usage(self, job: GitHubJob) -> str:
        return (
            f"perfagent did not start: {job.options['error']}. Usage: `{self.config.command} "
            "[--bench CMD] [--test CMD] [--budget N]`."
        )

    def _comment_id(self, job: GitHubJob) -> int | None:
        row = job_row(self.store, job.id)
        return row.comment_id if row else None

    def _say(self, client: GitHubClient, job: GitHubJob, text: str) -> None:
        """Post the job's one comment, or edit it when it exists (a requeued job too)."""
        secrets = [client.config.token_value() or "", self.config.secret_value() or ""]
        text = scrub(text, secrets)
        comment_id = self._comment_id(job)
        if comment_id is None:
            comment_id = int(client.comment(job.repo, job.pr_number, text)["id"])
            update_job(self.store, job.id, comment_id=comment_id)
        else:
            client.edit_comment(job.repo, comment_id, text)

    def _say_safely(self, client: GitHubClient, job: GitHubJob, text: str) -> None:
        try:
            self._say(client, job, text)
        except GitHubError as exc:
            log.warning("bot: job %s: cannot comment: %s", job.id, exc)
