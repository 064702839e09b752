"""``xinyong check CODE --matter M``: which joint sanctions or rewards apply, and why (thin).

Reads only the entries that reach that code (no resident index); the check is
logged like an API check, as made by ``key:cli``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from xinyong.checks.service import check_once
from xinyong.config import Settings
from xinyong.keys.model import Principal, Role
from xinyong.policy.service import node_pack
from xinyong.store.engine import open_store

CLI_PRINCIPAL = Principal(key_id=0, prefix="cli", name="command line", role=Role.OPERATOR)
_OUTCOME = {"proceed": "green", "restrict": "red", "favour": "cyan"}


def check(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="USCC or resident ID.")],
    matter: Annotated[str, typer.Option(help="The matter being handled, e.g. flight_ticket.")],
) -> None:
    """Check a subject for a matter: proceed, restrict or favour, with each measure's basis."""
    settings: Settings = ctx.obj
    with open_store(settings.store_url) as store:
        result = check_once(
            store, node_pack(settings), CLI_PRINCIPAL, code, matter, datetime.now(UTC)
        )
    console = Console(highlight=False, soft_wrap=True)
    outcome = result.decision.outcome
    console.print(
        f"[{_OUTCOME[outcome]}]{outcome}[/]: {result.subject_code} for {matter} (check {result.check_id})"
    )
    if not result.decision.measures:
        return
    table = Table("measure", "kind", "reaches", "list entry", "until", "memorandum", "legal basis")
    table.columns[2].no_wrap = True
    for m in result.decision.measures:
        reaches = f"representative of {m.via}" if m.via else "the subject"
        until = m.until.isoformat() if m.until else "until removed"
        table.add_row(f"{m.name_zh} {m.name_en}", m.kind, reaches, f"{m.list_code} #{m.entry_id}",
                      until, f"{m.memorandum} {m.memorandum_basis}", m.legal_basis)  # fmt: skip
    console.print(table)
