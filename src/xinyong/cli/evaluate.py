"""``xinyong evaluate`` (grade everyone) and ``xinyong explain CODE`` (why, and what changes it).

Thin: the use cases are :mod:`xinyong.evaluation.service`. ``evaluate``
stores a run per model; ``explain`` answers without storing and says whether
its answer matches the subject's latest stored result.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from xinyong.clock import CHINA, china_date
from xinyong.config import Settings
from xinyong.evaluation.engine import ENGINES
from xinyong.evaluation.explain import Explanation
from xinyong.evaluation.service import Result, RunSummary, evaluate_all, explain_subject
from xinyong.evaluation.service import stored_results as stored
from xinyong.policy.service import node_pack
from xinyong.store.engine import open_store

CLI_ACTOR = "cli"
Day = Annotated[
    datetime | None,
    typer.Option("--on", formats=["%Y-%m-%d"], help="Evaluate as of this day (default: today)."),
]


def _day(on: datetime | None) -> date:
    return on.date() if on is not None else china_date(datetime.now(CHINA))


def evaluate(
    ctx: typer.Context,
    model: Annotated[str | None, typer.Option(help="Only this scoring model.")] = None,
    engine: Annotated[
        str, typer.Option(help=f"Where to compute: {' or '.join(ENGINES)}.")
    ] = "duckdb",
    on: Day = None,
) -> None:
    """Grade every subject by each scoring model in force; store one run per model."""
    settings: Settings = ctx.obj
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed:,}"),
               TimeElapsedColumn())  # fmt: skip
    bar = Progress(*columns, console=Console(stderr=True), transient=True)
    tasks: dict[str, int] = {}

    def progress(step: str, n: int, total: int | None) -> None:
        if step not in tasks:
            label = "snapshot rows" if step == "snapshot" else f"{step}: results stored"
            tasks[step] = bar.add_task(label, total=None)
        bar.advance(tasks[step], n)  # type: ignore[arg-type]

    with open_store(settings.store_url) as store, bar:
        runs = evaluate_all(
            store, node_pack(settings), settings.data_dir / "evaluation",
            now=datetime.now(CHINA), actor=CLI_ACTOR, model_code=model, engine=engine,
            as_of=_day(on), progress=progress,
        )  # fmt: skip
    Console(highlight=False).print(render_runs(runs))


def render_runs(runs: list[RunSummary]) -> Table:
    """One row per model: subjects graded and how they spread over the grades."""
    title = f"evaluation as of {runs[0].as_of.isoformat()}" if runs else "evaluation"
    table = Table(title=title)
    for header in ("model", "run", "subjects", "grades", "seconds"):
        table.add_column(header, justify="left" if header in ("model", "grades") else "right")
    for run in runs:
        spread = "  ".join(f"{grade} {n:,} ({n / run.subjects:.0%})" for grade, n in _by_band(run))
        table.add_row(f"{run.model.code} {run.model.name.zh}", str(run.run_id),
                      f"{run.subjects:,}", spread or "—", f"{run.seconds:.1f}")  # fmt: skip
    if runs:
        snap = runs[0].snapshot
        table.caption = (f"engine {runs[0].engine}; snapshot {snap.records:,} records of "
                         f"{snap.subjects:,} subjects, sha256 {snap.sha256[:16]}…")  # fmt: skip
    else:
        table.caption = "no scoring model in force on that day"
    return table


def _by_band(run: RunSummary) -> list[tuple[str, int]]:
    """Grades in the model's order (highest first), not alphabetically."""
    return [
        (b.grade, run.distribution[b.grade]) for b in run.model.bands if b.grade in run.distribution
    ]


def explain(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="USCC or resident ID.")],
    model: Annotated[str | None, typer.Option(help="Only this scoring model.")] = None,
    on: Day = None,
) -> None:
    """A subject's score by each model: every record and cap behind it, and what will change it."""
    settings: Settings = ctx.obj
    with open_store(settings.store_url) as store:
        results = explain_subject(
            store, node_pack(settings), code, as_of=_day(on), model_code=model
        )
        latest = (
            {r.model_code: r for r in stored(store, results[0][0].subject_code)} if results else {}
        )
    console = Console(highlight=False, soft_wrap=True)
    if not results:
        console.print(f"no scoring model in force grades {code}")
    for result, why in results:
        before = latest.get(result.model.code)
        if before is None:
            note = "not yet in a stored run"
        elif before.inputs_hash == result.inputs_hash:
            note = f"the same as run {before.run_id} of {before.as_of.isoformat()}"
        else:
            note = (f"run {before.run_id} of {before.as_of.isoformat()} gave {before.score:g} "
                    f"{before.grade} from other inputs")  # fmt: skip
        console.print(_header(result), f"\n  ({note})")
        console.print(render_reasons(why))
        if why.changes:
            console.print(render_changes(why))


def _header(result: Result) -> str:
    m = result.model
    return (f"[bold]{m.name.zh} {m.name.en}[/] ({m.code}): [bold]{result.score:g} {result.grade}[/]"
            f" on {result.as_of.isoformat()} — policy {result.policy_version}, "
            f"inputs sha256 {result.inputs_hash[:16]}…\n  basis: {m.legal_basis}")  # fmt: skip


def render_reasons(why: Explanation) -> Table:
    """The lines of a score, largest first, from the base to the total."""
    table = Table("reason", "rule", "record", "decided", "leaves window on", "points")
    table.columns[-1].justify = "right"
    table.add_row("base", "", "", "", "", f"{why.base:g}")
    for r in why.reasons:
        until = (
            r.leaves_on.isoformat() if r.leaves_on else ("—" if r.code != "record" else "no end")
        )
        record = f"{r.record_id} v{r.version}" if r.record_id else ""
        decided = r.decided_on.isoformat() if r.decided_on else ""
        table.add_row(r.code, r.rule or "", record, decided, until, f"{r.points:+g}")
    table.add_row("[bold]score[/]", "", "", "", "", f"[bold]{why.total:g}[/]")
    return table


def render_changes(why: Explanation) -> Table:
    table = Table("on", "records leaving their window", "score", "grade", title="what changes it")
    for c in why.changes:
        table.add_row(c.on.isoformat(), ", ".join(c.leaving), f"{c.score:g}", c.grade)
    return table
