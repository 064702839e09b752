"""``xinyong ingest FILE... --department D``: department files into the store, batch by batch.

Thin: one :func:`xinyong.ingest.service.ingest_path` call per file under a
progress bar, then a summary table. A file that cannot be used at all is
reported in one line and the others still run; the exit code is 1 if any
file failed, so scripts notice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from xinyong.config import Settings
from xinyong.errors import XinyongError
from xinyong.ingest.model import BatchReport


def ingest(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="Department files: CSV, XLSX or JSON Lines.")],
    department: Annotated[str, typer.Option(help="Reporting department code, e.g. samr.")],
    mapping: Annotated[
        str | None, typer.Option(help="Mapping code; default: chosen by the file's header.")
    ] = None,
    encoding: Annotated[
        str, typer.Option(help="CSV encoding: auto, utf-8, utf-8-sig or gb18030.")
    ] = "auto",
) -> None:
    """Validate and store department files; rejected rows go to a quarantine CSV."""
    from xinyong.cli.main import print_error
    from xinyong.ingest.service import ingest_path

    settings: Settings = ctx.obj
    now = datetime.now(UTC)
    reports: list[BatchReport] = []
    failed = 0
    for path in files:
        try:
            with row_progress(path.name) as advance:
                reports.append(
                    ingest_path(
                        settings,
                        path,
                        department,
                        now,
                        mapping=mapping,
                        encoding=encoding,
                        progress=advance,
                    )
                )
        except XinyongError as err:
            failed += 1
            print_error(err, settings.locale)
    if reports:
        render_reports(reports)
    if failed:
        raise typer.Exit(1)


@contextmanager
def row_progress(name: str) -> Iterator[Callable[[int], None]]:
    """A Rich spinner with the rows done so far, on stderr."""
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    bar = Progress(*columns, console=Console(stderr=True), transient=True)
    task = bar.add_task(name, total=None)

    def advance(done: int) -> None:
        bar.start()
        bar.update(task, description=f"{name}: {done:,} rows")

    try:
        yield advance
    finally:
        if bar.live.is_started:
            bar.stop()


def render_reports(reports: list[BatchReport]) -> None:
    console = Console()
    table = Table(title="ingest summary")
    for column in ("file", "batch", "mapping", "rows", "accepted", "duplicates", "corrections",
                   "revocations", "rejected"):  # fmt: skip
        left = column in ("file", "mapping")
        table.add_column(column, justify="left" if left else "right", overflow="fold")
    for r in reports:
        batch = f"{r.batch_id}*" if r.already_applied else str(r.batch_id)
        table.add_row(r.filename, batch, r.mapping or "-", *(f"{n:,}" for n in (
            r.rows, r.accepted, r.duplicates, r.corrections, r.revocations, r.rejected)))  # fmt: skip
    console.print(table)
    codes: dict[str, int] = {}
    for r in reports:
        for code, count in r.rejected_by_code.items():
            codes[code] = codes.get(code, 0) + count
    if codes:
        rejected = Table(title="rejected rows by error code")
        rejected.add_column("error code")
        rejected.add_column("rows", justify="right")
        for code, count in sorted(codes.items(), key=lambda kv: -kv[1]):
            rejected.add_row(code, f"{count:,}")
        console.print(rejected)
    for r in reports:
        if r.already_applied:
            console.print(
                f"{r.filename}: already applied as batch {r.batch_id}; nothing changed",
                highlight=False,
            )
        if r.quarantine:
            console.print(f"quarantine: {r.quarantine}", highlight=False)
