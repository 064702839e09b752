"""``xinyong keys``: create, list and revoke API keys (thin).

Run on the node by its operator. The plaintext key is printed once, to
stdout alone (so ``KEY=$(xinyong keys create …)`` captures it), with the
notes on stderr; the store keeps only its SHA-256.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from xinyong.clock import CHINA
from xinyong.config import Settings
from xinyong.keys import service
from xinyong.keys.model import ApiKey, Role
from xinyong.store.engine import open_store

app = typer.Typer(help="Create, list and revoke API keys.", no_args_is_help=True)
# Who the audit log names for changes made with this command.
CLI_ACTOR = "cli"


@app.command()
def create(
    ctx: typer.Context,
    name: Annotated[
        str, typer.Option("--name", help="Who or what uses the key, e.g. market-bureau-uploader.")
    ],
    role: Annotated[Role, typer.Option("--role", help="What the key may do (docs/api.md).")],
    department: Annotated[
        str | None,
        typer.Option(
            "--department", help="For a department key: the node's department it speaks for."
        ),
    ] = None,
) -> None:
    """Create an API key and print it once: it cannot be shown again."""
    settings: Settings = ctx.obj
    # A department key belongs to a department of this node's jurisdiction.
    jurisdiction = settings.jurisdiction if role is Role.DEPARTMENT else None
    with open_store(settings.store_url) as store:
        principal, plaintext = service.create_key(
            store,
            name=name,
            role=role.value,
            department=department,
            jurisdiction=jurisdiction,
            actor=CLI_ACTOR,
            now=datetime.now(UTC),
        )
    err = Console(stderr=True, soft_wrap=True, highlight=False)
    scope = f" for {principal.jurisdiction}/{principal.department}" if principal.department else ""
    err.print(f"created API key {principal.prefix} ({principal.name}, {principal.role}{scope})")
    print(plaintext)
    err.print(
        "[yellow]warning: this is the only time the key is shown; the node keeps only its "
        "hash, so it cannot be shown again. Store it now; if it is lost, revoke it and "
        "create another.[/yellow]"
    )


@app.command("list")
def list_(ctx: typer.Context) -> None:
    """List the API keys, revoked ones too (never their secrets)."""
    settings: Settings = ctx.obj
    with open_store(settings.store_url) as store:
        keys = service.list_keys(store)
    console = Console(soft_wrap=True)
    if not keys:
        console.print("no API keys yet; create one with `xinyong keys create`", highlight=False)
        return
    console.print(_table(keys))


def _table(keys: list[ApiKey]) -> Table:
    table = Table()
    # Prefixes and times stay whole (to be copied and read); names wrap instead.
    for header in ("prefix", "name", "role", "department", "created", "revoked"):
        whole = header in ("prefix", "created", "revoked")
        table.add_column(header, no_wrap=whole, overflow="ellipsis" if whole else "fold")
    for key in keys:
        p = key.principal
        department = f"{p.jurisdiction}/{p.department}" if p.department else "—"
        revoked = _moment(key.revoked_at) if key.revoked_at else "—"
        table.add_row(p.prefix, p.name, p.role.value, department, _moment(key.created_at), revoked)
    return table


def _moment(at: datetime) -> str:
    return at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


@app.command()
def revoke(
    ctx: typer.Context,
    prefix: Annotated[str, typer.Argument(help="The key's prefix, as `xinyong keys list` shows.")],
) -> None:
    """Revoke an API key: the next request with it is refused (401)."""
    settings: Settings = ctx.obj
    with open_store(settings.store_url) as store:
        key = service.revoke_key(store, prefix, actor=CLI_ACTOR, now=datetime.now(UTC))
    Console(highlight=False).print(
        f"revoked API key {key.principal.prefix} ({key.principal.name}); "
        "requests with it are now refused"
    )
