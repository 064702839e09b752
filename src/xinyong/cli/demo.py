"""``xinyong demo``: everything the platform does so far, in one command (thin)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.console import Console

from xinyong.cli.generate import render_generation, subject_progress
from xinyong.cli.ingest import render_reports
from xinyong.cli.store import render_init
from xinyong.demo import DEMO_SUBJECTS, run_demo


def demo(
    ctx: typer.Context,
    subjects: Annotated[int, typer.Option(help="Size of the generated city.")] = DEMO_SUBJECTS,
) -> None:
    """Initialise the store, generate a small noisy city, check every pack, ingest the city."""
    console = Console()
    with subject_progress(subjects) as advance:
        report = run_demo(ctx.obj, datetime.now(UTC), subjects=subjects, progress=advance)
    render_init(console, report.init)
    render_generation(report.generation)
    for check in report.packs:
        if check.loaded is not None:
            console.print(f"policy pack ok: {check.loaded.version}", highlight=False)
        else:
            console.print(
                f"policy pack {check.code}: {len(check.problems)} problem(s)", style="red"
            )
    if not all(check.ok for check in report.packs):
        raise typer.Exit(1)
    render_reports(report.batches)
    console.print(
        f"\nNext: xinyong policy diff rongcheng fuzhou; "
        f"the department files are in {report.generation.out}",
        highlight=False,
    )
