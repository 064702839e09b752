"""``xinyong lists``: run the listing procedure, show a list, show or remove one entry (thin).

``run`` is meant for a daily timer; running it twice in a row changes nothing.
``--on`` runs it as of another day (10:00 in Beijing), for rehearsals and
demonstrations on a copy of the store.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from xinyong.clock import CHINA
from xinyong.config import Settings
from xinyong.lists.model import State
from xinyong.lists.service import RunSummary, remove_by_decision, run_lists
from xinyong.lists.views import entry_detail, list_entries
from xinyong.policy.service import node_pack
from xinyong.store.engine import open_store

app = typer.Typer(
    help="Red and black lists: run the procedure, show entries.", no_args_is_help=True
)
CLI_ACTOR = "cli"


def _moment(on: datetime | None) -> datetime:
    if on is None:
        return datetime.now(CHINA)
    return datetime.combine(on.date(), time(10), CHINA)


@app.command()
def run(
    ctx: typer.Context,
    on: Annotated[
        datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help="Run as of this day (default: now)."),
    ] = None,
) -> None:
    """Propose, notify, list, expire and remove entries as the rules and records say."""
    settings: Settings = ctx.obj
    now = _moment(on)
    console = Console(stderr=True, highlight=False)
    with open_store(settings.store_url) as store, console.status("running the lists") as status:
        summary = run_lists(
            store, node_pack(settings), now, actor=CLI_ACTOR,
            progress=lambda code: status.update(f"deriving proposals for {code}"),
        )  # fmt: skip
    Console(highlight=False).print(render_summary(summary))


def render_summary(summary: RunSummary) -> Table:
    """The table of one lists run: per list, what was notified, listed, removed or held."""
    day = summary.day
    table = Table(title=f"lists run on {day.isoformat()}")
    for header in ("list", "notified", "listed", "removed", "held"):
        table.add_column(header, justify="left" if header == "list" else "right")
    codes = sorted(
        {*summary.proposed, *summary.listed, *(c for c, _ in summary.removed),
         *(c for c, _ in summary.held)}
    )  # fmt: skip
    for code in codes:
        removed = ", ".join(f"{n} {why}" for (c, why), n in summary.removed.items() if c == code)
        held = ", ".join(f"{n}: {why}" for (c, why), n in summary.held.items() if c == code)
        table.add_row(
            code,
            str(summary.proposed[code]),
            str(summary.listed[code]),
            removed or "0",
            held or "—",
        )
    if not codes:
        table.caption = "nothing to do: every entry is where the rules and records put it"
    return table


@app.command()
def show(
    ctx: typer.Context,
    list_code: Annotated[
        str, typer.Argument(metavar="LIST", help="List code, e.g. judgment_defaulters.")
    ],
    state: Annotated[
        list[State] | None, typer.Option(help="States to show (default: listed).")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="Entries to show.")] = 50,
) -> None:
    """A list's entries, newest first."""
    settings: Settings = ctx.obj
    with open_store(settings.store_url) as store:
        page = list_entries(
            store, node_pack(settings), list_code, states=state or [State.LISTED], limit=limit
        )
    table = Table(title=f"{page.rule.name.zh} {page.rule.name.en} ({page.total})")
    for header in ("entry", "subject", "name", "state", "objection until", "listed", "expires"):
        table.add_column(header)
    for view in page.entries:
        e = view.entry
        table.add_row(
            str(e.id), e.subject_code, view.subject_name, e.state, _day(e.objection_until),
            _day(e.listed_on), _day(e.expires_on),
        )  # fmt: skip
    Console(highlight=False).print(table)


@app.command()
def entry(
    ctx: typer.Context,
    entry_id: Annotated[
        int, typer.Argument(metavar="ENTRY", help="Entry id, as `lists show` shows.")
    ],
) -> None:
    """One entry: its basis, every step it took and the notice it was given."""
    settings: Settings = ctx.obj
    with open_store(settings.store_url) as store:
        detail = entry_detail(store, entry_id)
    e = detail.entry
    console = Console(highlight=False, soft_wrap=True)
    console.print(f"entry {e.id}: {e.subject_code} on {e.list_code}, {e.state}"
                  + (f" ({e.removal})" if e.removal else ""))  # fmt: skip
    console.print(f"basis: {', '.join(e.basis['documents'])} (policy {e.policy_version})")
    steps = Table("at", "step", "by", "reason")
    for step in detail.steps:
        at = step.at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")
        steps.add_row(at, f"{step.from_state or '—'} → {step.to_state}", step.actor, step.reason)
    console.print(steps)
    if detail.notice is not None:
        console.print(detail.notice.text_zh)
        console.print(detail.notice.text_en)


@app.command()
def remove(
    ctx: typer.Context,
    entry_id: Annotated[int, typer.Argument(metavar="ENTRY", help="Entry id.")],
    reason: Annotated[str, typer.Option(help="The decision and its document number.")],
) -> None:
    """Remove an entry by decision (an objection upheld, a court order …)."""
    settings: Settings = ctx.obj
    with open_store(settings.store_url) as store:
        removed = remove_by_decision(store, entry_id, reason, datetime.now(CHINA), actor=CLI_ACTOR)
    Console(highlight=False).print(f"removed entry {removed.id} from {removed.list_code}")


def _day(day: date | None) -> str:
    return "—" if day is None else day.isoformat()
