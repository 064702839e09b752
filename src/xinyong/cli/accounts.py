"""``xinyong accounts``: subjects' portal accounts: invite, link to the identity provider, reset (thin).

The operator acts. A password is read from standard input (``--password-stdin``)
or generated and printed once, never taken as an argument, where it would
stay in the shell's history and the process list.
"""

from __future__ import annotations

import secrets
import sys
from datetime import datetime
from typing import Annotated

import typer
from rich.console import Console

from xinyong.cli.objections import CLI
from xinyong.clock import CHINA
from xinyong.config import Settings
from xinyong.rights.account_service import invite_account, link_account, reset_password
from xinyong.store.engine import open_store

app = typer.Typer(help="Subjects' portal accounts: invite, link, reset.", no_args_is_help=True)
PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from standard input.")
]


def _password(from_stdin: bool) -> tuple[str, bool]:
    """The password, and whether it was generated here (and so must be shown once)."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\n"), False
    return secrets.token_urlsafe(12), True


@app.command()
def invite(
    ctx: typer.Context,
    subject: Annotated[str, typer.Argument(metavar="CODE", help="USCC or resident ID.")],
    login: Annotated[str, typer.Argument(help="The login the subject signs in with.")],
    agent: Annotated[
        str | None, typer.Option(help="For a company: the authorised agent's name.")
    ] = None,
    password_stdin: PasswordStdin = False,
) -> None:
    """Open a portal account for a subject (a person, or a company's agent)."""
    settings: Settings = ctx.obj
    password, generated = _password(password_stdin)
    with open_store(settings.store_url) as store:
        made = invite_account(store, subject_code=subject, login=login, password=password,
                              agent=agent, actor=CLI.actor, now=datetime.now(CHINA))  # fmt: skip
    console = Console(highlight=False)
    console.print(f"account {made.login} opened for {made.subject_code}")
    if generated:
        console.print(f"password (shown once): {password}")


@app.command()
def link(
    ctx: typer.Context,
    login: Annotated[str, typer.Argument(help="The account's login.")],
    issuer: Annotated[str, typer.Option(help="The provider's issuer URL.")],
    sub: Annotated[str, typer.Option(help="The account's `sub` claim at the provider.")],
) -> None:
    """Let an account sign in through the OpenID Connect provider as that `sub`."""
    settings: Settings = ctx.obj
    with open_store(settings.store_url) as store:
        link_account(store, login, issuer=issuer, subject=sub, actor=CLI.actor,
                     now=datetime.now(CHINA))  # fmt: skip
    Console(highlight=False).print(f"account {login} signs in at {issuer} as {sub}")


@app.command()
def reset(
    ctx: typer.Context,
    login: Annotated[str, typer.Argument(help="The account's login.")],
    password_stdin: PasswordStdin = False,
) -> None:
    """Set a new password, lift a lock-out and end the account's sessions."""
    settings: Settings = ctx.obj
    password, generated = _password(password_stdin)
    with open_store(settings.store_url) as store:
        reset_password(store, login, password, actor=CLI.actor, now=datetime.now(CHINA))
    console = Console(highlight=False)
    console.print(f"account {login}: new password set, its sessions ended")
    if generated:
        console.print(f"password (shown once): {password}")
