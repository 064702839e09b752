"""``xinyong consents``: a subject's consents to agencies; revoke one (thin).

Acts as the operator, at the counter, on the subject's behalf.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from xinyong.cli.objections import CLI
from xinyong.clock import CHINA
from xinyong.config import Settings
from xinyong.rights.consent_service import consents, revoke_consent
from xinyong.store.engine import open_store

app = typer.Typer(help="Consents (授权) to authorised queries: list, revoke.", no_args_is_help=True)


@app.command("list")
def list_(
    ctx: typer.Context,
    subject: Annotated[str, typer.Argument(metavar="CODE", help="USCC or resident ID.")],
) -> None:
    """The subject's consents: agency, purpose, until when, revoked or in force."""
    settings: Settings = ctx.obj
    now = datetime.now(CHINA)
    with open_store(settings.store_url) as store:
        found = consents(store, subject)
    table = Table(title=f"consents of {subject} ({len(found)})")
    for header in ("id", "agency", "purpose", "granted", "until", "state"):
        table.add_column(header)
    for c in found:
        state = "in force" if c.in_force(now) else ("revoked" if c.revoked_at else "expired")
        table.add_row(str(c.id), f"{c.agency_name} ({c.agency})", c.purpose,
                      c.granted_at.astimezone(CHINA).strftime("%Y-%m-%d"),
                      c.valid_until.isoformat(), state)  # fmt: skip
    Console(highlight=False).print(table)


@app.command()
def revoke(
    ctx: typer.Context,
    consent_id: Annotated[int, typer.Argument(metavar="ID", help="Consent id.")],
) -> None:
    """Revoke a consent; the agency's next query is refused."""
    settings: Settings = ctx.obj
    with open_store(settings.store_url) as store:
        done = revoke_consent(store, consent_id, by=CLI.actor, now=datetime.now(CHINA))
    Console(highlight=False).print(f"consent {done.id} revoked")
