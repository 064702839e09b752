"""``xinyong repairs``: credit repair applications; decide; resend agencies' notices (thin).

Acts as the operator, like ``xinyong objections``. ``notify`` is meant for a
daily timer: it sends again every repair notice an agency has not yet
acknowledged.
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
from xinyong.policy.service import node_pack
from xinyong.rights.repair_service import decide_repair, list_repairs, retry_notifications
from xinyong.rights.repairs import State
from xinyong.store.engine import open_store

app = typer.Typer(help="Credit repair (信用修复): list, decide, notify.", no_args_is_help=True)


def _now() -> datetime:
    return datetime.now(CHINA)


@app.command("list")
def list_(
    ctx: typer.Context,
    state: Annotated[list[State] | None, typer.Option(help="States to show.")] = None,
    subject: Annotated[str | None, typer.Option(help="One subject's.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 100,
) -> None:
    """Applications, oldest deadline first."""
    settings: Settings = ctx.obj
    with open_store(settings.store_url) as store:
        views, total = list_repairs(store, CLI, subject_code=subject,
                                    states=[str(x) for x in state or ()], limit=limit,
                                    now=_now())  # fmt: skip
    table = Table(title=f"repair applications ({total})")
    for header in ("id", "subject", "record", "department", "due", "state", "reason"):
        table.add_column(header)
    for view in views:
        r = view.repair
        due = r.due_on.isoformat() + (" overdue" if view.overdue else "")
        table.add_row(str(r.id), r.subject_code, r.record_id, r.department, due, str(r.state),
                      r.decision_reason or "")  # fmt: skip
    Console(highlight=False).print(table)


@app.command()
def decide(
    ctx: typer.Context,
    repair_id: Annotated[int, typer.Argument(metavar="ID", help="Application id.")],
    approve: Annotated[bool, typer.Option("--approve/--refuse", help="Approve or refuse.")],
    reason: Annotated[str, typer.Option(help="The reason (required to refuse).")] = "",
) -> None:
    """Approve (publication and sharing stop, measures lift, agencies told) or refuse."""
    settings: Settings = ctx.obj
    with open_store(settings.store_url) as store:
        done = decide_repair(store, node_pack(settings), CLI, repair_id, approve, reason,
                             now=_now())  # fmt: skip
    Console(highlight=False).print(f"repair {done.id}: {done.state} ({done.decision_reason})")


@app.command()
def notify(ctx: typer.Context) -> None:
    """Send again every repair notice not acknowledged for a day; for a daily timer."""
    settings: Settings = ctx.obj
    with open_store(settings.store_url) as store:
        sent = retry_notifications(store, now=_now(), actor="cli")
    Console(highlight=False).print(f"sent {len(sent)} unacknowledged notice(s) again")
