"""``xinyong inspect``: 双随机、一公开 — the roster, a round's plan, and its verification (thin)."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from xinyong.clock import CHINA
from xinyong.config import Settings
from xinyong.policy.service import node_pack
from xinyong.store.engine import open_store
from xinyong.supervision.errors import PlanDocumentError
from xinyong.supervision.model import Plan
from xinyong.supervision.service import (
    StoredPlan,
    load_roster,
    plan_round,
    stored_document,
    verify_document,
)

app = typer.Typer(help="Random inspections by grade: roster, plan, verify.", no_args_is_help=True)
CLI_ACTOR = "cli"


@app.command()
def roster(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="CSV with id, name, region, department[, active].")],
) -> None:
    """Add or update the inspectors (执法检查人员) a plan draws from."""
    settings: Settings = ctx.obj
    try:
        with file.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise PlanDocumentError(path=str(file), reason=str(exc)) from exc
    with open_store(settings.store_url) as store:
        added, updated = load_roster(store, rows)
    Console(highlight=False).print(f"roster: {added} inspectors added, {updated} updated")


@app.command()
def plan(
    ctx: typer.Context,
    period: Annotated[str, typer.Option(help="The round: 2026, 2026Q1 or 2026-03.")],
    sector: Annotated[str, typer.Option(help="A sector of the inspection policy.")],
    seed: Annotated[int | None, typer.Option(help="Seed to publish (default: drawn now).")] = None,
    policy: Annotated[
        str | None, typer.Option(help="Inspection policy (default: the pack's).")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Write the published plan (JSON) here.")] = None,
) -> None:
    """Draw entities per grade at the policy's shares and assign inspectors without conflicts."""
    settings: Settings = ctx.obj
    with open_store(settings.store_url) as store:
        stored = plan_round(store, node_pack(settings), period=period, sector=sector,
                            now=datetime.now(CHINA), actor=CLI_ACTOR, seed=seed,
                            policy_code=policy)  # fmt: skip
    console = Console(highlight=False, soft_wrap=True)
    console.print(render_plan(stored))
    console.print(plan_lines(stored))
    if out is not None:
        out.write_text(json.dumps(stored.document, ensure_ascii=False, indent=1), encoding="utf-8")
        console.print(f"published plan written to {out}")


def render_plan(stored: StoredPlan) -> Table:
    plan = stored.plan
    table = Table("grade", "share", "entities", "drawn", title=_title(stored.id, plan))
    for column in table.columns[1:]:
        column.justify = "right"
    population: dict[str, int] = {}
    for row in stored.document["population"]["entities"]:
        population[row[1]] = population.get(row[1], 0) + 1
    for grade, share in plan.shares:
        table.add_row(grade, f"{share:.0%}", str(population.get(grade, 0)), str(plan.drawn(grade)))
    return table


def plan_lines(stored: StoredPlan) -> str:
    """What anyone needs to re-derive the plan, under its table."""
    plan = stored.plan
    return (f"policy {stored.policy.code}, {plan.team_size} inspectors to each entity\n"
            f"seed {plan.seed}\npopulation sha256 {plan.population_hash}")  # fmt: skip


def _title(plan_id: int | str, plan: Plan) -> str:
    return f"inspection plan {plan_id}: {plan.sector}, {plan.period}"


@app.command()
def verify(
    ctx: typer.Context,
    plan: Annotated[str, typer.Argument(help="A stored plan's id, or a published plan's file.")],
) -> None:
    """Re-derive a plan from its seed and population; exit 1 if anything differs."""
    settings: Settings = ctx.obj
    if plan.isdigit():
        with open_store(settings.store_url) as store:
            doc = stored_document(store, int(plan))
    else:
        try:
            doc = json.loads(Path(plan).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise PlanDocumentError(path=plan, reason=str(exc)) from exc
    try:
        drawn, problems = verify_document(doc)
    except ValueError as exc:
        raise PlanDocumentError(path=plan, reason=str(exc)) from exc
    console = Console(highlight=False, soft_wrap=True)
    if problems:
        for problem in problems:
            console.print(f"[red]differs[/]: {problem}")
        raise typer.Exit(1)
    console.print(
        f"[green]verified[/]: {_title(doc.get('plan_id', plan), drawn)} re-derives exactly "
        f"({len(drawn.assignments)} assignments, seed {drawn.seed})"
    )
