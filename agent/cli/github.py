"""`perfagent pr RUN_ID` and `perfagent bot serve`: the GitHub side of the command line.

Mount with `mount(app)` (or `app.command("pr")(pr)` and `app.add_typer(bot, name="bot")`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from agent.cli.common import DbOpt, db_url, fail, open_store, say
from agent.exceptions import PerfagentError
from agent.github.body import pr_body
from agent.github.client import GitHubClient, GitHubError
from agent.github.config import GitHubConfig
from agent.github.evidence import NothingToPropose, gather_evidence
from agent.github.pr import branch_name, check_repo_name, open_pull_request, repo_from_remote
from sandbox.secrets import redact

bot = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="The GitHub PR bot: optimize pull requests on request.",
    pretty_exceptions_enable=False,
)


def pr(
    run_id: Annotated[str, typer.Argument(help="The run whose accepted candidate to propose.")],
    repo: Annotated[
        str | None,
        typer.Option("--repo", help="OWNER/NAME on GitHub [default: from the origin remote]."),
    ] = None,
    db: DbOpt = None,
    base: Annotated[
        str | None, typer.Option("--base", help="Branch to merge into [default: the repo's].")
    ] = None,
    draft: Annotated[bool, typer.Option("--draft", help="Open a draft pull request.")] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the PR body; touch nothing on GitHub.")
    ] = False,
) -> None:
    """Open a pull request with a run's accepted candidate and its evidence.

    The branch is created through the GitHub API on the run's base commit (which must be on
    GitHub); the token comes from GITHUB_TOKEN or GH_TOKEN, the API from PERFAGENT_GITHUB_API.
    """
    store = open_store(db_url(db))
    try:
        ev = gather_evidence(store, run_id)
    except PerfagentError as exc:
        fail(str(exc), exc.exit_code)
    full = repo or repo_from_remote(ev.repo_path)
    if not full:
        fail(f"cannot tell the GitHub repository of {ev.repo_path}: pass --repo OWNER/NAME")
    try:
        check_repo_name(full)
    except PerfagentError as exc:
        fail(str(exc))
    config = GitHubConfig()
    secrets = [config.token_value() or ""]
    if dry_run:
        print(pr_body(ev, branch_name(ev), secrets), end="")
        return
    if not config.token_value():
        fail("no GitHub token: set GITHUB_TOKEN or GH_TOKEN")
    try:
        with GitHubClient(config) as client:
            target = base or str(client.repo(full)["default_branch"])
            opened = open_pull_request(client, ev, full, target, draft=draft, secrets=secrets)
    except NothingToPropose as exc:
        fail(str(exc), 1)
    except GitHubError as exc:
        fail(redact(str(exc)), 1)
    except PerfagentError as exc:
        fail(str(exc), exc.exit_code)
    verb = "already open" if opened.existing else "opened"
    say(f"perfagent: {verb} pull request #{opened.number} from {opened.branch}")
    print(opened.url)


@bot.command()
def serve(
    port: Annotated[int | None, typer.Option(help="Port to listen on [default: 8787].")] = None,
    host: Annotated[str | None, typer.Option(help="Address [default: 127.0.0.1].")] = None,
    db: Annotated[
        str | None,
        typer.Option("--db", help="SQLAlchemy URL or SQLite path [default: HOME/bot.db]."),
    ] = None,
    home: Annotated[
        Path | None,
        typer.Option(help="Directory for the store and job clones [default: .perfagent-bot]."),
    ] = None,
) -> None:
    """Serve GitHub webhooks: `/perfagent optimize` comments and the trigger label queue a job.

    Needs PERFAGENT_WEBHOOK_SECRET and GITHUB_TOKEN (or GH_TOKEN); other knobs are
    PERFAGENT_BOT_* environment variables (see docs/github.md).
    """
    from agent.github.serve import serve_bot

    try:
        serve_bot(port=port, host=host, db=db, home=home, say=say)
    except PerfagentError as exc:
        fail(str(exc), exc.exit_code)


def mount(app: typer.Typer) -> None:
    """Add `pr` and `bot serve` to the main `perfagent` app (once; calling again is a no-op)."""
    if any(group.name == "bot" for group in app.registered_groups):
        return
    app.command("pr")(pr)
    app.add_typer(bot, name="bot")
