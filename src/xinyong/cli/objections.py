"""``xinyong objections``: the operator's view of objections; decide, extend, escalate (thin).

The command line runs on the node itself, so it acts as the operator (the
audit log names it ``cli``). Departments decide through the API with their
own keys; ``escalate`` is meant for a daily timer, beside ``lists run``.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from xinyong.clock import CHINA
from xinyong.config import Settings
from xinyong.keys.model import Principal, Role
from xinyong.policy.service import node_pack
from xinyong.rights.objection_queue import escalate_overdue, list_objections, objection_view
from xinyong.rights.objections import Ruling, State
from xinyong.rights.service import ObjectionView, decide_objection, extend_objection
from xinyong.store.engine import open_store

app = typer.Typer(
    help="Objections (异议): list, show, decide, extend, escalate.", no_args_is_help=True
)
CLI = Principal(key_id=0, prefix="cli", name="command line (operator)", role=Role.OPERATOR)


def _now() -> datetime:
    return datetime.now(CHINA)


@app.command("list")
def list_(
    ctx: typer.Context,
    state: Annotated[list[State] | None, typer.Option(help="States to show.")] = None,
    overdue: Annotated[bool, typer.Option(help="Only open ones past their last day.")] = False,
    subject: Annotated[
        str | None, typer.Option(help="One subject's (USCC or resident ID).")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 100,
) -> None:
    """Objections, oldest deadline first, with their department and deadline."""
    settings: Settings = ctx.obj
    with open_store(settings.store_url) as store:
        views, total = list_objections(store, CLI, subject_code=subject,
                                       states=[str(x) for x in state or ()],
                                       overdue_only=overdue, limit=limit, now=_now())  # fmt: skip
    table = Table(title=f"objections ({total})")
    for header in ("id", "subject", "item", "department", "filed", "due", "state"):
        table.add_column(header)
    for view in views:
        o = view.objection
        due = o.due_on.isoformat() + (" overdue" if view.overdue else "")
        table.add_row(str(o.id), o.subject_code, o.item, o.department,
                      o.filed_at.astimezone(CHINA).strftime("%Y-%m-%d"), due, str(o.state))  # fmt: skip
    Console(highlight=False).print(table)


@app.command()
def show(
    ctx: typer.Context,
    objection_id: Annotated[int, typer.Argument(metavar="ID", help="Objection id.")],
) -> None:
    """One objection: its reasons, deadlines, attachments and decision."""
    settings: Settings = ctx.obj
    with open_store(settings.store_url) as store:
        view = objection_view(store, CLI, objection_id, now=_now())
    _print(view)


def _print(view: ObjectionView) -> None:
    o = view.objection
    console = Console(highlight=False, soft_wrap=True)
    console.print(f"objection {o.id}: {o.item} of {o.subject_code}, {o.state}")
    console.print(
        f"filed {o.filed_at.astimezone(CHINA):%Y-%m-%d %H:%M} by {o.filed_by}: {o.reasons}"
    )
    extended = f" (extended: {o.extension_reason})" if o.extension_reason else ""
    console.print(f"decided by {o.department} by {o.due_on.isoformat()}{extended}; "
                  f"at the longest {o.latest_on.isoformat()}")  # fmt: skip
    for a in view.attachments:
        console.print(f"attachment {a.id}: {a.filename} ({a.media_type}, {a.size:,} bytes)")
    if o.decided_at is not None:
        console.print(f"{o.state} on {o.decided_at.astimezone(CHINA):%Y-%m-%d} by {o.decided_by}: "
                      f"{o.decision_reason}")  # fmt: skip


@app.command()
def decide(
    ctx: typer.Context,
    objection_id: Annotated[int, typer.Argument(metavar="ID", help="Objection id.")],
    ruling: Annotated[Ruling, typer.Argument(help="uphold, correct or revoke.")],
    reason: Annotated[str, typer.Option(help="The written reason, for the subject.")],
    correction: Annotated[
        str | None,
        typer.Option(help="For correct: payload fields as JSON, e.g. '{\"fine_yuan\": 2000}'."),
    ] = None,
) -> None:
    """Decide an objection; its lists are re-derived and the subject is notified."""
    settings: Settings = ctx.obj
    try:
        fields = json.loads(correction) if correction else None
    except json.JSONDecodeError as err:
        raise typer.BadParameter(f"--correction is not JSON: {err.msg}") from None
    if fields is not None and not isinstance(fields, dict):
        raise typer.BadParameter("--correction must be a JSON object of payload fields")
    with open_store(settings.store_url) as store:
        decide_objection(store, node_pack(settings), CLI, objection_id, ruling, reason,
                         correction=fields, now=_now())  # fmt: skip
        _print(objection_view(store, CLI, objection_id, now=_now()))


@app.command()
def extend(
    ctx: typer.Context,
    objection_id: Annotated[int, typer.Argument(metavar="ID", help="Objection id.")],
    until: Annotated[datetime, typer.Option(formats=["%Y-%m-%d"], help="The new last day.")],
    reason: Annotated[str, typer.Option(help="Why more time is needed (recorded).")],
) -> None:
    """Extend the deadline, at most to the pack's longest."""
    settings: Settings = ctx.obj
    with open_store(settings.store_url) as store:
        done = extend_objection(store, CLI, objection_id, until.date(), reason, now=_now())
    Console(highlight=False).print(f"objection {done.id}: decide by {_day(done.due_on)}")


@app.command()
def escalate(ctx: typer.Context) -> None:
    """Hand every overdue objection to the operator (once each); for a daily timer."""
    settings: Settings = ctx.obj
    with open_store(settings.store_url) as store:
        ids = escalate_overdue(store, now=_now(), actor="cli")
    Console(highlight=False).print(
        f"escalated {len(ids)} overdue objection(s)"
        + (f": {', '.join(map(str, ids))}" if ids else "")
    )


def _day(day: date) -> str:
    return day.isoformat()
